/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the commands that drive kernel DAMON (start, tune, stop, status,
 * schemes) share: opening the sysfs backend with its features, loading a
 * configuration from a file or options, ownership, and reporting.
 */
#ifndef DAMO_CMD_KERNEL_H
#define DAMO_CMD_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "core/diag.h"
#include "kdamond/features.h"
#include "kdamond/kdamond.h"
#include "kdamond/owner.h"

struct config_file;
struct damon_config;
struct damo_ctx;
struct damon_opts_args;

struct kernel_run {
	struct damo_ctx *ctx;
	struct features feat;
	struct kdamond_io io;
	struct diag diag;
	char *rundir;
};

/*
 * kernel_open() - set up @kr for the sysfs root of @ctx.  Features are
 * detected (read-only unless @may_create_tmp).  Fails with a message when
 * there is no DAMON sysfs interface.  Return 0 or -errno.
 */
int kernel_open(struct damo_ctx *ctx, struct kernel_run *kr,
		bool may_create_tmp);
void kernel_close(struct kernel_run *kr);

/*
 * kernel_report() - print what is in kr->diag: entries whose path is
 * "hint" as hints, the rest as one error (or warnings, with @warn_only).
 * Empties the list.
 */
void kernel_report(struct kernel_run *kr, bool warn_only);

/*
 * kernel_load_config() - the configuration of start/tune: @file (a
 * kdamonds document, or a scheme list put on top of the options) and/or
 * the DAMON options with their --scheme files; with @fill_paddr, paddr
 * targets without regions get the largest System RAM range.  Validated.
 * Problems go to @diag.  Return 0 or -errno.
 */
int kernel_load_config(const char *file, const struct damon_opts_args *opts,
		       bool fill_paddr, struct config_file *cf,
		       struct diag *diag);

/*
 * tune_check_target() - kdamond @idx runs, is damo's (or @force), and the
 * kernel can commit.  tune_commit() - stage @cfg (one kdamond) into it and
 * commit, putting the previous files back if the kernel refuses.  Both in
 * tune.c, shared with 'schemes apply'.  Return 0 or -errno.
 */
int tune_check_target(struct kernel_run *kr, unsigned long idx, bool force);
int tune_commit(struct kernel_run *kr, unsigned long idx,
		const struct damon_config *cfg);

/*
 * kernel_start() - start the kdamonds of @cfg (validated, checked against
 * the kernel's features, into free or damo's own slots unless @force) and
 * register them as damo's, as 'damo start' does; on failure nothing of it
 * stays.  With @command (a NULL-terminated argv), the command is forked,
 * made the vaddr target and let run once the kdamond runs; *@cmd_pid gets
 * its pid (-1 without one).  In start.c.  Return 0 or -errno.
 */
int kernel_start(struct kernel_run *kr, struct damon_config *cfg,
		 char **command, bool force, pid_t *cmd_pid);

/*
 * kernel_stop_started() - turn off kdamonds 0..@nr-1 that kernel_start()
 * started, remove their directories and registry entries.  Return 0 or
 * -errno.
 */
int kernel_stop_started(struct kernel_run *kr, size_t nr);

/* Parse a kdamond index argument ("0", "3"). -EINVAL if it is not one. */
int kernel_parse_idx(const char *s, unsigned long *idx);

/*
 * embedded_id_arg() - an argp ID argument @arg: a kernel kdamond's index
 * (*@has_idx, *@idx) or an embedded monitor's eN (*@has_eid, *@eid); a
 * second ID or anything else is a usage error.
 */
struct argp_state;
void embedded_id_arg(struct argp_state *state, const char *arg, bool *has_idx,
		     unsigned long *idx, bool *has_eid, unsigned long *eid);

#endif /* DAMO_CMD_KERNEL_H */
