/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo record from kernel DAMON: a running kdamond, or one started for a
 * process or a command, through DAMON's tracepoints (kdamond/sysfs/trace.h) or
 * through periodic snapshots of a stat scheme's tried regions.
 */
#ifndef DAMO_CMD_RECORD_KERNEL_H
#define DAMO_CMD_RECORD_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "formats/record.h"

struct damo_ctx;
struct damon_opts_args;

struct record_kernel_opts {
	struct damo_ctx *ctx;
	bool has_idx;			/* record running kdamond @idx ... */
	unsigned long idx;
	char **command;			/* ... or start one for this command */
	const struct damon_opts_args *damon;	/* ... or for these options */
	uint64_t duration_ns;		/* 0: until the end of the target */
	uint64_t snapshot_ns;		/* 0: tracepoints, else the period */
	const char *output;
	enum record_format fmt;
};

/*
 * record_kernel() - record as @o says, until the duration passes, the
 * kdamond stops, the command exits, or SIGINT/SIGTERM; the file is then
 * finished and tracefs and the kdamond left as they were found (a kdamond
 * damo started for it is stopped).  Prints progress, the summary and any
 * error itself.  Return: 0 or -errno.
 */
int record_kernel(const struct record_kernel_opts *o);

#endif /* DAMO_CMD_RECORD_KERNEL_H */
