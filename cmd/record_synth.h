/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo record on the synthetic source: the embedded monitor and DAMOS
 * engine run on a workload model, and what they see goes to a record
 * writer.
 */
#ifndef DAMO_CMD_RECORD_SYNTH_H
#define DAMO_CMD_RECORD_SYNTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct damon_ctx;
struct out;
struct record_writer;
struct workload;

struct record_synth_opts {
	const struct damon_ctx *ctx;	/* intervals, regions, schemes */
	const struct workload *wl;	/* the one target's workload */
	uint64_t seed;
	uint64_t duration_ns;
	bool realtime;			/* CLOCK_MONOTONIC, not virtual */
	struct record_writer *writer;
	struct out *out;		/* the progress line; NULL: none */
};

struct record_synth_result {
	size_t nr_records;
	uint64_t nr_snapshots;		/* of the targets' records */
	uint64_t nr_regions;		/* in those */
	uint64_t nr_scheme_snapshots;	/* of the schemes' records */
	uint64_t virtual_ns;		/* monitored time */
	uint64_t wall_ns;
};

/*
 * record_synth_run() - monitor @o->wl for @o->duration_ns with @o->ctx
 * (its targets: one, with the workload's mappings as regions for fvaddr)
 * and add to @o->writer one record per target (target_id: its index) with
 * a snapshot per aggregation interval, then one per scheme (target_id
 * null) with a snapshot of the regions it tried per apply interval and its
 * stats.  Times are the monitor's clock: virtual nanoseconds from 0, or
 * with @o->realtime the real time (CLOCK_REALTIME-based, as damo's).
 * Return: 0, or -errno after a write error (in the writer's diag) or
 * -EINVAL for intervals the monitor refuses.
 */
int record_synth_run(const struct record_synth_opts *o,
		     struct record_synth_result *res);

#endif /* DAMO_CMD_RECORD_SYNTH_H */
