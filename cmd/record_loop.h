/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one record loop of damo record: whatever produces the snapshots
 * (kernel DAMON, the embedded monitor, a synthetic workload model) pushes
 * them into the loop's snapshot sink (core/snap_sink.h).  The loop owns
 * what every recording shares: the record file, the progress line (JSON
 * progress objects under --json), SIGINT and SIGTERM, the --duration stop
 * condition, the exit of a command the recording runs, and the summary,
 * printed with the same keys whatever produced the snapshots.
 *
 * Use: record_loop_begin(), then the producer runs with &loop.sink (and
 * the fields under "what was recorded" set), then record_loop_end().
 */
#ifndef DAMO_CMD_RECORD_LOOP_H
#define DAMO_CMD_RECORD_LOOP_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/snap_sink.h"
#include "core/snapshot.h"
#include "formats/record.h"

struct diag;
struct out;
struct report_filter;
struct record_info;
struct record_writer;

struct record_loop {
	struct snap_sink sink;		/* what producers push into */

	/* What the recording is asked to do (record_loop_begin()). */
	struct out *out;
	const char *output;
	enum record_format fmt;
	uint64_t duration_ns;		/* on the wall clock; 0: none */
	uint64_t max_snapshots;		/* stop after so many; 0: none */
	/* damo's record filters, applied before writing; NULL: none */
	const struct report_filter *filter;
	bool skip_access;		/* --do-record without access */
	bool skip_footprint;		/* --do-record without mem_footprint */

	/* What was recorded, set by the caller as it learns it. */
	const char *what;		/* "kdamond 0", "e0", "the model" */
	const char *id;			/* the monitor's id; NULL: none */
	const char *source;		/* "tracepoint", "embedded:uffd", ... */
	uint64_t seed;			/* of a model; SNAP_NONE: none */
	uint64_t virtual_ns;		/* monitored virtual time; SNAP_NONE */
	uint64_t nr_dropped;		/* snapshots lost on the way */
	const char *end;		/* why the producer ended, if it did */
	pid_t command;			/* whose exit ends it; -1: none */
	int command_status;		/* its wait status, once it exited */

	/* The loop's own. */
	struct record_writer *w;
	struct sigaction old_int, old_term;
	uint64_t t0_ns, shown_ns, wall_ns;
	uint64_t nr_records, nr_snapshots, nr_regions;
	uint64_t nr_scheme_snapshots, nr_scheme_regions;
	uint64_t aggr_ns;		/* the last snapshot's span; 0: unknown */
	bool *is_scheme;		/* per record: a scheme's */
	struct record_meta *metas;	/* per record, with --filter: intervals */
	uint64_t *nr_in;		/* per record: snapshots given */
	struct snapshot scratch;	/* a snapshot being filtered */
	struct diag *diag;		/* the writer's problems go there */
	int werr;
};

/*
 * record_loop_begin() - start a recording to @output in @fmt: SIGINT and
 * SIGTERM are caught from here on (a command started afterwards cannot be
 * lost to a Ctrl-C), and the record file is opened, so that an output
 * that cannot be written fails before anything is started.
 * Return: 0 or -errno with the reason in @d.
 */
int record_loop_begin(struct record_loop *l, struct out *out,
		      const char *output, enum record_format fmt,
		      uint64_t duration_ns, struct diag *d);

/*
 * record_loop_set_info() - what the native file's header says about the
 * recording; call before the first snapshot.
 */
void record_loop_set_info(struct record_loop *l,
			  const struct record_info *info);

/*
 * Whether the recording was asked to stop (signal, duration, snapshot
 * count, command).
 */
bool record_loop_stopping(struct record_loop *l);

/*
 * record_loop_end_command() - a command the recording ran and that still
 * runs gets SIGTERM and is waited for, as damo ends its monitoring; one
 * that has not ended 3 seconds later gets SIGKILL.
 */
void record_loop_end_command(struct record_loop *l);

/*
 * record_loop_end() - end the recording: the progress line is ended, and
 * with @err 0 the record file finished and the summary printed; the
 * signal handlers are put back.  Return: @err, or the writer's -errno.
 */
int record_loop_end(struct record_loop *l, int err);

#endif /* DAMO_CMD_RECORD_LOOP_H */
