/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo's re-aggregation: a region overlapping one
 * already in the group adds the maximum of the overlapping samples of each
 * snapshot to it; its parts not covered are appended as new regions.
 */
#include "core/reaggr.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

void reaggr_init(struct reaggr *ra, uint64_t interval_us)
{
	memset(ra, 0, sizeof(*ra));
	ra->interval_ns = interval_us * 1000;
	snapshot_init(&ra->acc);
}

void reaggr_release(struct reaggr *ra)
{
	snapshot_release(&ra->acc);
	free(ra->add);
	free(ra->touched);
	ra->add = NULL;
	ra->touched = NULL;
	ra->cap_add = 0;
}

void reaggr_reset(struct reaggr *ra)
{
	snapshot_clear(&ra->acc);
	ra->nr_snapshots = 0;
}

static uint64_t samples_of(const struct snap_region *r)
{
	return r->nr_accesses == SNAP_NONE ? 0 : r->nr_accesses;
}

static void append(struct reaggr *ra, const struct snap_region *r)
{
	size_t cap = ra->cap_add;

	*snapshot_add_region(&ra->acc) = *r;
	if (ra->acc.nr_regions > ra->cap_add) {
		xgrow((void **)&ra->add, ra->acc.nr_regions, &cap,
		      sizeof(*ra->add));
		cap = ra->cap_add;
		xgrow((void **)&ra->touched, ra->acc.nr_regions, &cap,
		      sizeof(*ra->touched));
		ra->cap_add = cap;
	}
	ra->add[ra->acc.nr_regions - 1] = 0;
	ra->touched[ra->acc.nr_regions - 1] = false;
}

/* The part [start, end) of @r, its filter-passed bytes in proportion. */
static struct snap_region part_of(const struct snap_region *r, uint64_t start,
				  uint64_t end)
{
	struct snap_region p = *r;

	p.start = start;
	p.end = end;
	if (r->end > r->start)
		p.sz_filter_passed = (uint64_t)((double)r->sz_filter_passed *
						(double)(end - start) /
						(double)(r->end - r->start));
	return p;
}

/*
 * Insert @r as damo does it recursively (left part first, then right),
 * with an explicit stack so that a region over many others cannot
 * overflow the C stack.
 */
static void insert(struct reaggr *ra, const struct snap_region *r)
{
	struct snap_region *stack = NULL, cur;
	size_t nr = 0, cap = 0, i;
	uint64_t os, oe;

	xgrow((void **)&stack, 1, &cap, sizeof(*stack));
	stack[nr++] = *r;
	while (nr) {
		cur = stack[--nr];
		for (i = 0; i < ra->acc.nr_regions; i++) {
			if (!(cur.end <= ra->acc.regions[i].start ||
			      ra->acc.regions[i].end <= cur.start))
				break;
		}
		if (i == ra->acc.nr_regions) {
			append(ra, &cur);
			continue;
		}
		if (!ra->touched[i] || samples_of(&cur) > ra->add[i])
			ra->add[i] = samples_of(&cur);
		ra->touched[i] = true;
		os = ra->acc.regions[i].start;
		oe = ra->acc.regions[i].end;
		xgrow((void **)&stack, nr + 2, &cap, sizeof(*stack));
		if (oe < cur.end)
			stack[nr++] = part_of(&cur, oe, cur.end);
		if (cur.start < os)
			stack[nr++] = part_of(&cur, cur.start, os);
	}
	free(stack);
}

bool reaggr_feed(struct reaggr *ra, const struct snapshot *s,
		 struct snapshot *out)
{
	uint64_t start = s->start_ns == SNAP_NONE ? s->end_ns : s->start_ns;
	size_t i;

	if (!ra->nr_snapshots++) {
		ra->acc.start_ns = start;
		for (i = 0; i < s->nr_regions; i++)
			append(ra, &s->regions[i]);
	} else {
		for (i = 0; i < s->nr_regions; i++)
			insert(ra, &s->regions[i]);
		for (i = 0; i < ra->acc.nr_regions; i++) {
			if (!ra->touched[i])
				continue;
			if (ra->acc.regions[i].nr_accesses == SNAP_NONE)
				ra->acc.regions[i].nr_accesses = 0;
			ra->acc.regions[i].nr_accesses += ra->add[i];
			ra->add[i] = 0;
			ra->touched[i] = false;
		}
	}
	ra->acc.end_ns = s->end_ns;
	if (ra->acc.end_ns - ra->acc.start_ns < ra->interval_ns)
		return false;
	snapshot_clear(out);
	for (i = 0; i < ra->acc.nr_regions; i++)
		*snapshot_add_region(out) = ra->acc.regions[i];
	out->start_ns = ra->acc.start_ns;
	out->end_ns = ra->acc.end_ns;
	out->total_bytes = SNAP_NONE;
	out->sample_interval_us = SNAP_NONE;
	out->has_stats = false;
	reaggr_reset(ra);
	return true;
}
