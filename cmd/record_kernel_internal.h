/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What record_kernel.c (the run, tracepoints) and record_snapshot.c
 * (--snapshot through tried regions) share.
 */
#ifndef DAMO_CMD_RECORD_KERNEL_INTERNAL_H
#define DAMO_CMD_RECORD_KERNEL_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "cmd/kernel.h"
#include "kdamond/sysfs/run.h"
#include "core/damon.h"
#include "core/snapshot.h"

struct out;
struct record_kernel_opts;
struct record_writer;

/* One target's snapshot being put together from trace lines. */
struct rk_target {
	struct snapshot s;
	uint64_t want;			/* its nr_regions; 0: none open */
	uint64_t prev_end_ns;		/* SNAP_NONE before the first */
	size_t rec;			/* the writer's record */
};

/* One recording of kernel DAMON. */
struct rk {
	const struct record_kernel_opts *o;
	struct out *out;
	struct kernel_run kr;
	struct record_writer *w;
	struct kdamond k;		/* the kdamond as read at the start */
	unsigned long idx;
	size_t nr_started;		/* kdamonds damo started for this */
	pid_t cmd_pid;			/* the command, -1 without or reaped */
	int cmd_status;
	struct rk_target *t;
	size_t nr_t;
	uint64_t aggr_ns;
	uint64_t t0, shown;
	uint64_t nr_snapshots, nr_regions, nr_dropped;
	int werr;
	const char *end;		/* why the recording ended */
	/* --snapshot */
	bool scheme_added;		/* to a running kdamond: put back */
	struct damon_config orig;	/* that kdamond before */
	size_t scheme;
};

/* Now on clock @id, in nanoseconds. */
uint64_t rk_now_ns(clockid_t id);

/* Time since the recording started, in nanoseconds. */
uint64_t rk_elapsed_ns(const struct rk *r);

/* Whether the kdamond recorded no longer runs as the thread it ran as. */
bool rk_kdamond_gone(struct rk *r);

/*
 * rk_should_end() - whether the recording should end now (a signal, the
 * duration, the command or the kdamond gone), setting r->end; shows
 * progress.  @next_check: when to look at the command and kdamond next.
 */
bool rk_should_end(struct rk *r, uint64_t *next_check);

/*
 * rk_write_snapshot() - write @t's snapshot, ending at @end_ns, to its
 * record and empty it.  Return: 0 or -errno (the writer's).
 */
int rk_write_snapshot(struct rk *r, struct rk_target *t, uint64_t end_ns);

/* record_snapshot.c: --snapshot. */

/* Append a stat scheme over all regions (no quota, no filters) to @c. */
void rk_add_stat_scheme(struct rk *r, struct damon_ctx *c);

/*
 * rk_install_scheme() - add that scheme to the running kdamond r->idx,
 * which must be damo's, keeping its configuration in r->orig.
 * Return: 0 or -errno (with the reason in r->kr.diag).
 */
int rk_install_scheme(struct rk *r);

/* Commit r->orig back, if a scheme was installed.  Return 0 or -errno. */
int rk_uninstall_scheme(struct rk *r);

/* Snapshots every r->o->snapshot_ns until the end.  Return 0 or -errno. */
int rk_loop_snapshot(struct rk *r);

#endif /* DAMO_CMD_RECORD_KERNEL_INTERNAL_H */
