/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel DAMON as a producer of snapshots for damo record: a running
 * kdamond's damon_aggregated tracepoint, read from a trace instance of
 * damo's own, or with a snapshot interval the tried regions of a stat
 * scheme that is added to the kdamond for the recording and removed again.
 */
#ifndef DAMO_CMD_RECORD_KERNEL_H
#define DAMO_CMD_RECORD_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

struct kernel_run;
struct snap_sink;

/* How a kdamond is recorded, and what the stream says at its end. */
struct record_kernel_stream {
	unsigned long idx;		/* the kdamond */
	uint64_t snapshot_ns;		/* 0: tracepoints, else the period */
	const char *source;		/* out: "tracepoint" or "snapshot" */
	const char *end;		/* out: why it ended by itself */
	uint64_t nr_dropped;		/* out: snapshots lost on the way */
};

/*
 * record_kernel_can() - whether kernel DAMON under @kr can make this
 * recording (@process: of a process, which needs vaddr), and if not,
 * what is missing, in kr->diag.  Return: 0 or -errno.
 */
int record_kernel_can(struct kernel_run *kr, bool process,
		      uint64_t snapshot_ns);

/*
 * record_kernel() - stream kdamond @st->idx (running, one context) into
 * @sink until the sink says stop, the kdamond stops or an error.  The
 * records are added to the sink here.  Return: 0 or -errno (kr->diag).
 */
int record_kernel(struct kernel_run *kr, struct record_kernel_stream *st,
		  struct snap_sink *sink);

#endif /* DAMO_CMD_RECORD_KERNEL_H */
