/* SPDX-License-Identifier: GPL-2.0 */
/* damo's record guide: time, address space and contiguous regions. */
#include "core/record_guide.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

void record_guide_init(struct record_guide *g, const struct record_meta *m)
{
	memset(g, 0, sizeof(*g));
	g->kdamond_idx = m->kdamond_idx;
	g->kdamond_is_stat = m->kdamond_is_stat;
	g->context_idx = m->context_idx;
	g->scheme_idx = m->scheme_idx;
	g->target_id = m->target_id;
	g->start_ns = SNAP_NONE;
	g->end_ns = SNAP_NONE;
}

void record_guide_release(struct record_guide *g)
{
	free(g->gaps);
	g->gaps = NULL;
	g->nr_gaps = 0;
}

bool record_guide_is_of(const struct record_guide *g,
			const struct record_meta *m)
{
	return g->kdamond_idx == m->kdamond_idx &&
	       g->context_idx == m->context_idx &&
	       g->scheme_idx == m->scheme_idx && g->target_id == m->target_id;
}

/* The start of the first snapshot, older by the ages damo knows of. */
static uint64_t first_start(const struct record_meta *m,
			    const struct snapshot *s)
{
	uint64_t max_age = 0, back;
	size_t i;

	if (!m->has_intervals || s->start_ns == SNAP_NONE)
		return s->start_ns;
	for (i = 0; i < s->nr_regions; i++)
		if (s->regions[i].age != SNAP_NONE &&
		    s->regions[i].age > max_age)
			max_age = s->regions[i].age;
	back = max_age * m->intervals.aggr_us * 1000;
	return back > s->start_ns ? 0 : s->start_ns - back;
}

/* Narrow each stored gap by the new gaps that touch it (closed test). */
static void narrow_gaps(struct record_guide *g, const struct guide_range *n,
			size_t nr)
{
	struct guide_range *gap;
	size_t i, j;

	for (i = 0; i < g->nr_gaps; i++) {
		gap = &g->gaps[i];
		for (j = 0; j < nr; j++) {
			if (n[j].start > gap->end || n[j].end < gap->start)
				continue;
			if (n[j].start > gap->start)
				gap->start = n[j].start;
			if (n[j].end < gap->end)
				gap->end = n[j].end;
		}
	}
}

void record_guide_add(struct record_guide *g, const struct record_meta *m,
		      const struct snapshot *s)
{
	struct guide_range *gaps = NULL;
	uint64_t last = 0;
	size_t i, nr = 0;

	if (!g->nr_snapshots)
		g->start_ns = first_start(m, s);
	g->nr_snapshots++;
	g->nr_regions += s->nr_regions;
	g->end_ns = s->end_ns;
	for (i = 0; i < s->nr_regions; i++) {
		const struct snap_region *r = &s->regions[i];

		/* damo tests "not lowest" (falsy 0) like "None" */
		if (!g->lowest_addr || r->start < g->lowest_addr)
			g->lowest_addr = r->start;
		if (!g->highest_addr || r->end > g->highest_addr)
			g->highest_addr = r->end;
		if (last && last != r->start) {
			gaps = xreallocarray(gaps, nr + 1, sizeof(*gaps));
			gaps[nr].start = last;
			gaps[nr++].end = r->start;
		}
		last = r->end;
	}
	if (!g->nr_gaps) {
		free(g->gaps);
		g->gaps = gaps;
		g->nr_gaps = nr;
		return;
	}
	narrow_gaps(g, gaps, nr);
	free(gaps);
}

void record_guide_regions(const struct record_guide *g,
			  struct guide_range *out)
{
	size_t i;

	out[0].start = g->lowest_addr;
	for (i = 0; i < g->nr_gaps; i++) {
		out[i].end = g->gaps[i].start;
		out[i + 1].start = g->gaps[i].end;
	}
	out[g->nr_gaps].end = g->highest_addr;
}

uint64_t record_guide_space(const struct record_guide *g)
{
	uint64_t sum = g->highest_addr - g->lowest_addr;
	size_t i;

	for (i = 0; i < g->nr_gaps; i++)
		sum -= g->gaps[i].end - g->gaps[i].start;
	return sum;
}

void record_guide_add_heat(const struct guide_range *cr, size_t nr,
			   uint64_t *heat, const struct snapshot *s)
{
	const struct snap_region *r;
	size_t i, k;

	for (k = 0; k < s->nr_regions; k++) {
		r = &s->regions[k];
		if (!r->nr_accesses || r->nr_accesses == SNAP_NONE)
			continue;
		for (i = 0; i < nr; i++)
			if (!(r->end < cr[i].start || r->start > cr[i].end))
				heat[i] += (r->end - r->start) * r->nr_accesses;
	}
}
