/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The record model shared by record and report: a recording is a sequence
 * of records (one per kdamond, context, scheme and target, as damo keeps
 * them), each a sequence of snapshots of regions.  Readers and writers of
 * every record format stream it one snapshot at a time, so memory is
 * bounded by one snapshot whatever the file size.
 */
#ifndef DAMO_CORE_SNAPSHOT_H
#define DAMO_CORE_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/damon.h"

#define SNAP_NONE UINT64_MAX	/* an absent (null) optional number */

struct snap_region {
	uint64_t start;
	uint64_t end;
	uint64_t nr_accesses;		/* samples; SNAP_NONE: a bare range */
	uint64_t age;			/* aggregation intervals; SNAP_NONE */
	uint64_t sz_filter_passed;	/* bytes; 0 when not known */
};

struct snapshot {
	/*
	 * SNAP_NONE when unknown: traces and legacy files give only end
	 * times, and the first snapshot's start is derived from the others.
	 */
	uint64_t start_ns;
	uint64_t end_ns;
	struct snap_region *regions;	/* owned; by start, as DAMON gives them */
	size_t nr_regions;
	size_t cap_regions;
	/*
	 * Probe hits (damon_region_aggregated, damo's "probe_hits"): when
	 * nr_probes is not 0, region i's hits are probe_hits[i * nr_probes
	 * + j], zero where a region has fewer; owned.
	 */
	uint64_t *probe_hits;
	size_t nr_probes;
	size_t cap_probe_hits;
	uint64_t total_bytes;		/* SNAP_NONE: sum of the regions */
	uint64_t sample_interval_us;	/* SNAP_NONE when not recorded */
	bool has_stats;
	struct damos_stats stats;	/* of the record's scheme */
};

/* What one record is about; indexes are SNAP_NONE when null. */
struct record_meta {
	uint64_t kdamond_idx;		/* DAMON_STAT records use (u64)-1 ... */
	bool kdamond_is_stat;		/* ... so this says "-1" exactly */
	uint64_t context_idx;
	uint64_t scheme_idx;
	uint64_t target_id;
	bool has_intervals;
	struct damon_intervals intervals;
	char *data_source;		/* "unknown" or "damon_stat"; owned */
	struct damos_filter *scheme_filters;	/* owned (damo's list) */
	size_t nr_scheme_filters;
};

void snapshot_init(struct snapshot *s);
void snapshot_release(struct snapshot *s);
/* Drop the regions but keep their storage: for reuse while streaming. */
void snapshot_clear(struct snapshot *s);
/* Append one region (zeroed) and return it. */
struct snap_region *snapshot_add_region(struct snapshot *s);
/*
 * snapshot_region_probes() - the probe hits row of region @idx (one that
 * exists), widened to at least @nr probes (rows of other regions are
 * zero-padded).  The row is valid until the next add or widening.
 */
uint64_t *snapshot_region_probes(struct snapshot *s, size_t idx, size_t nr);
/* total_bytes, or the sum of the regions' sizes when it is absent. */
uint64_t snapshot_total_bytes(const struct snapshot *s);

void record_meta_init(struct record_meta *m);
void record_meta_release(struct record_meta *m);

#endif /* DAMO_CORE_SNAPSHOT_H */
