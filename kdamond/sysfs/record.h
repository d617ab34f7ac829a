/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The recording of kernel DAMON, the sysfs backend's record operation: a
 * running kdamond's damon_aggregated tracepoint, read from a trace
 * instance of damo's own (record.c), or every snapshot interval the tried
 * regions of a stat scheme added to the kdamond for the recording and
 * removed again (record_snapshot.c).  Both push into a snap_sink.
 */
#ifndef DAMO_KDAMOND_SYSFS_RECORD_H
#define DAMO_KDAMOND_SYSFS_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kdamond/sysfs/run.h"
#include "core/damon.h"
#include "core/snapshot.h"

struct snap_sink;

/* One target's snapshot being put together from trace lines. */
struct rk_target {
	struct snapshot s;
	uint64_t want;			/* its nr_regions; 0: none open */
	uint64_t prev_end_ns;		/* SNAP_NONE before the first */
	size_t rec;			/* the sink's record */
};

/* One stream of kernel DAMON's snapshots. */
struct rk {
	struct kernel_run *kr;
	struct snap_sink *sink;
	struct kdamond k;		/* the kdamond as read at the start */
	unsigned long idx;
	uint64_t snapshot_ns;		/* 0: tracepoints */
	struct rk_target *t;
	size_t nr_t;
	uint64_t aggr_ns;
	uint64_t nr_dropped;
	int err;			/* the sink's, once it refused */
	const char *end;		/* why the stream ended by itself */
	/* --snapshot */
	bool scheme_added;		/* put the kdamond back at the end */
	struct damon_config orig;	/* that kdamond before */
	size_t scheme;
};

/* Whether the kdamond recorded no longer runs as the thread it ran as. */
bool rk_kdamond_gone(struct rk *r);

/*
 * rk_should_end() - whether the stream should end now: the sink says so,
 * or (every half second) the kdamond is gone, which sets r->end.
 */
bool rk_should_end(struct rk *r, uint64_t *next_check);

/*
 * rk_write_snapshot() - pass @t's snapshot, ending at @end_ns, to the sink
 * and empty it.  Return: 0 or -errno (the sink's).
 */
int rk_write_snapshot(struct rk *r, struct rk_target *t, uint64_t end_ns);

/* Add the stream's record about target @target or scheme @scheme. */
void rk_add_record(struct rk *r, uint64_t target, uint64_t scheme);

/* record_snapshot.c: --snapshot. */

/*
 * rk_install_scheme() - add a stat scheme over all regions to the running
 * kdamond r->idx, which must be damo's, keeping its configuration in
 * r->orig.  Return: 0 or -errno (with the reason in r->kr->diag).
 */
int rk_install_scheme(struct rk *r);

/* Commit r->orig back, if a scheme was installed.  Return 0 or -errno. */
int rk_uninstall_scheme(struct rk *r);

/* Snapshots every r->snapshot_ns until the end.  Return 0 or -errno. */
int rk_loop_snapshot(struct rk *r);

/*
 * sysfs_record() - stream kdamond @idx (running, one context) into @sink
 * until the sink says stop, the kdamond stops or an error, through its
 * tracepoint under @tracefs, or with @snapshot_ns through tried regions;
 * notices (a leftover trace instance removed) go to @o as warnings.
 * *@end says why it ended by itself, *@nr_dropped what was lost.
 * Return: 0 or -errno (kr->diag).
 */
struct out;
int sysfs_record(struct kernel_run *kr, const char *tracefs,
		 struct out *o, unsigned long idx, uint64_t snapshot_ns,
		 struct snap_sink *sink, const char **end,
		 uint64_t *nr_dropped);

#endif /* DAMO_KDAMOND_SYSFS_RECORD_H */
