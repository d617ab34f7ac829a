/* SPDX-License-Identifier: GPL-2.0 */
/* The record model: snapshots of regions and what a record is about. */
#include "core/snapshot.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

void snapshot_init(struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
	s->total_bytes = SNAP_NONE;
	s->sample_interval_us = SNAP_NONE;
}

void snapshot_release(struct snapshot *s)
{
	free(s->regions);
	free(s->probe_hits);
	snapshot_init(s);
}

void snapshot_clear(struct snapshot *s)
{
	struct snap_region *keep = s->regions;
	uint64_t *keep_hits = s->probe_hits;
	size_t cap = s->cap_regions, cap_hits = s->cap_probe_hits;

	snapshot_init(s);
	s->regions = keep;
	s->cap_regions = cap;
	s->probe_hits = keep_hits;
	s->cap_probe_hits = cap_hits;
}

/* Make room for @nr_rows rows of s->nr_probes hits. */
static void probes_reserve(struct snapshot *s, size_t nr_rows)
{
	size_t need, cap;

	if (__builtin_mul_overflow(nr_rows, s->nr_probes, &need))
		abort();
	if (need <= s->cap_probe_hits)
		return;
	cap = s->cap_probe_hits ? s->cap_probe_hits : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	s->probe_hits = xreallocarray(s->probe_hits, cap,
				      sizeof(*s->probe_hits));
	s->cap_probe_hits = cap;
}

struct snap_region *snapshot_add_region(struct snapshot *s)
{
	struct snap_region *r;

	xgrow((void **)&s->regions, s->nr_regions, &s->cap_regions,
	      sizeof(*s->regions));
	if (s->nr_probes) {
		probes_reserve(s, s->nr_regions + 1);
		memset(&s->probe_hits[s->nr_regions * s->nr_probes], 0,
		       s->nr_probes * sizeof(*s->probe_hits));
	}
	r = &s->regions[s->nr_regions++];
	memset(r, 0, sizeof(*r));
	r->age = SNAP_NONE;
	return r;
}

uint64_t *snapshot_region_probes(struct snapshot *s, size_t idx, size_t nr)
{
	size_t old = s->nr_probes, i;

	if (nr > old) {
		s->nr_probes = nr;
		probes_reserve(s, s->nr_regions);
		/* Re-lay the rows from the last, so none is overwritten. */
		for (i = s->nr_regions; i-- > 0;) {
			uint64_t *row = &s->probe_hits[i * nr];

			if (old)
				memmove(row, &s->probe_hits[i * old],
					old * sizeof(*row));
			memset(row + old, 0, (nr - old) * sizeof(*row));
		}
	}
	return &s->probe_hits[idx * s->nr_probes];
}

uint64_t snapshot_total_bytes(const struct snapshot *s)
{
	uint64_t sum = 0;
	size_t i;

	if (s->total_bytes != SNAP_NONE)
		return s->total_bytes;
	for (i = 0; i < s->nr_regions; i++)
		sum += s->regions[i].end - s->regions[i].start;
	return sum;
}

void record_meta_init(struct record_meta *m)
{
	memset(m, 0, sizeof(*m));
	m->kdamond_idx = SNAP_NONE;
	m->context_idx = SNAP_NONE;
	m->scheme_idx = SNAP_NONE;
	m->target_id = SNAP_NONE;
}

void record_meta_release(struct record_meta *m)
{
	size_t i;

	for (i = 0; i < m->nr_scheme_filters; i++)
		free(m->scheme_filters[i].memcg_path);
	free(m->scheme_filters);
	free(m->data_source);
	record_meta_init(m);
}
