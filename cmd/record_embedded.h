/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo record from the embedded monitor: the snapshots a daemon streams
 * (cmd/embedded.h) into a record writer, until it stops, a duration ends
 * or the user interrupts; and "damo record -- COMMAND" where the kernel
 * cannot monitor the command (a daemon started for it, stopped after).
 */
#ifndef DAMO_CMD_RECORD_EMBEDDED_H
#define DAMO_CMD_RECORD_EMBEDDED_H

#include <stdbool.h>
#include <stdint.h>

#include "kdamond/embedded/embedded.h"

struct diag;
struct out;
struct record_writer;

struct record_embedded_result {
	uint64_t nr_snapshots;
	uint64_t nr_regions;
	uint64_t wall_ns;
	char *source;		/* what the monitor saw through; owned */
};

/*
 * record_embedded() - record running monitor @id of @rundir into @w (one
 * record per target) for @duration_ns (0: until it stops or SIGINT /
 * SIGTERM).  Progress goes to @progress when not NULL.  The writer is not
 * finished here.  Return: 0 or -errno with why in @d.
 */
int record_embedded(const char *rundir, unsigned long id,
		    struct record_writer *w, uint64_t duration_ns,
		    struct out *progress, struct record_embedded_result *res,
		    struct diag *d);

/*
 * record_embedded_command() - start an embedded monitor of @cfg (with
 * @eo's source and command), record it as record_embedded() does, and
 * stop it.  Return: 0 or -errno with why in @d.
 */
int record_embedded_command(const char *rundir, struct damon_config *cfg,
			    struct embedded_opts *eo,
			    struct record_writer *w, uint64_t duration_ns,
			    struct out *progress,
			    struct record_embedded_result *res, struct diag *d);

void record_embedded_result_release(struct record_embedded_result *res);

#endif /* DAMO_CMD_RECORD_EMBEDDED_H */
