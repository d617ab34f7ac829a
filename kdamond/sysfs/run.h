/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel backend's run: DAMON's sysfs tree with the kernel's features,
 * damo's registry of the kdamonds it started, and what start, tune and stop
 * do on it (staging, committing with rollback, ownership, a command to
 * monitor).  backend_sysfs_ops (kdamond/backend.h) is built on it, and so
 * is the recording of kernel DAMON.
 */
#ifndef DAMO_KDAMOND_SYSFS_RUN_H
#define DAMO_KDAMOND_SYSFS_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "core/diag.h"
#include "kdamond/features.h"
#include "kdamond/sysfs/kdamond.h"
#include "kdamond/owner.h"

struct backend_env;
struct damon_config;

struct kernel_run {
	struct features feat;
	struct kdamond_io io;
	struct diag diag;
	char *rundir;
};

/*
 * kernel_run_open() - set up @kr for the roots of @env.  Features are
 * detected (read-only unless @may_create_tmp).  Fails with a message when
 * there is no DAMON sysfs interface (-ENOENT).  Return 0 or -errno; close
 * @kr with kernel_close() either way.
 */
int kernel_run_open(struct kernel_run *kr, const struct backend_env *env,
		    bool may_create_tmp);
void kernel_close(struct kernel_run *kr);

/*
 * kernel_fill_paddr() - paddr targets of @cfg without regions get the
 * largest System RAM range of /proc/iomem.  Return 0 or -errno, in @d.
 */
int kernel_fill_paddr(struct damon_config *cfg, struct diag *d);

/*
 * tune_check_target() - kdamond @idx runs, is damo's (or @force), and the
 * kernel can commit.  tune_commit() - stage @cfg (one kdamond) into it and
 * commit, putting the previous files back if the kernel refuses.
 * Return 0 or -errno.
 */
int tune_check_target(struct kernel_run *kr, unsigned long idx, bool force);
int tune_commit(struct kernel_run *kr, unsigned long idx,
		const struct damon_config *cfg);

/*
 * kernel_start() - start the kdamonds of @cfg (validated, checked against
 * the kernel's features, into free or damo's own slots unless @force) and
 * register them as damo's; on failure nothing of it stays.  With @command
 * (a NULL-terminated argv), the command is forked, made the vaddr target
 * and let run once the kdamond runs; *@cmd_pid gets its pid (-1 without
 * one).  Return 0 or -errno.
 */
int kernel_start(struct kernel_run *kr, struct damon_config *cfg,
		 char **command, bool force, pid_t *cmd_pid);

/*
 * kernel_stop_started() - turn off kdamonds 0..@nr-1 that kernel_start()
 * started, remove their directories and registry entries.  Return 0 or
 * -errno.
 */
int kernel_stop_started(struct kernel_run *kr, size_t nr);

/*
 * kernel_stop() - turn off kdamonds @idx[0..@nr) (damo's, unless @force),
 * then, when nothing runs and every directory is damo's, remove them.
 * Return 0 or -errno.
 */
int kernel_stop(struct kernel_run *kr, const unsigned long *idx, size_t nr,
		bool force);

#endif /* DAMO_KDAMOND_SYSFS_RUN_H */
