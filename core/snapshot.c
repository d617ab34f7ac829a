/* SPDX-License-Identifier: GPL-2.0 */
/* The record model: snapshots of regions and what a record is about. */
#include "core/snapshot.h"

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
	snapshot_init(s);
}

void snapshot_clear(struct snapshot *s)
{
	struct snap_region *keep = s->regions;
	size_t cap = s->cap_regions;

	snapshot_init(s);
	s->regions = keep;
	s->cap_regions = cap;
}

struct snap_region *snapshot_add_region(struct snapshot *s)
{
	struct snap_region *r;

	xgrow((void **)&s->regions, s->nr_regions, &s->cap_regions,
	      sizeof(*s->regions));
	r = &s->regions[s->nr_regions++];
	memset(r, 0, sizeof(*r));
	r->age = SNAP_NONE;
	return r;
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
	free(m->data_source);
	record_meta_init(m);
}
