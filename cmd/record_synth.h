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
struct snap_sink;
struct workload;

struct record_synth_opts {
	const struct damon_ctx *ctx;	/* intervals, regions, schemes */
	const struct workload *wl;	/* the one target's workload */
	uint64_t seed;
	uint64_t duration_ns;		/* of monitored time */
	bool realtime;			/* CLOCK_MONOTONIC, not virtual */
	struct snap_sink *sink;		/* where the snapshots go */
};

/*
 * record_synth_run() - run DAMON's algorithms on the workload model for
 * @o->duration_ns of monitored time (or until the sink says stop), one
 * record per target then one per scheme, as damo lists them.
 * *@monitored_ns receives the time monitored.  Return: 0 or -errno (the
 * sink's, or -EINVAL when the monitor refuses the context).
 */
int record_synth_run(const struct record_synth_opts *o,
		     uint64_t *monitored_ns);

#endif /* DAMO_CMD_RECORD_SYNTH_H */
