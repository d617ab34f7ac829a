/* SPDX-License-Identifier: GPL-2.0 */
/* The embedded monitor's snapshots for damo record (cmd/record_embedded.h). */
#include "cmd/record_embedded.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "cmd/embedded.h"
#include "core/damon.h"
#include "core/diag.h"
#include "core/snap_sink.h"
#include "core/snapshot.h"
#include "core/sources/proc.h"
#include "core/xalloc.h"

#define RSS_EVERY_NS (1000ULL * 1000 * 1000)

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

struct rec_run {
	struct snap_sink *sink;
	size_t *recs;			/* the sink's record of each target */
	long *pids;			/* each target's process */
	size_t nr_targets;
	uint64_t rss_ns;		/* when RSS was last sampled */
};

/* Every second: each target's RSS and VSZ as side samples. */
static int sample_rss(struct rec_run *r, uint64_t time_ns)
{
	uint64_t vsz = 0, rss = 0, now = mono_ns();
	size_t ti;
	int err = 0;

	if (!r->sink->rss || (r->rss_ns && now - r->rss_ns < RSS_EVERY_NS))
		return 0;
	r->rss_ns = now;
	for (ti = 0; ti < r->nr_targets && !err; ti++)
		if (r->pids[ti] > 0 && !proc_statm((pid_t)r->pids[ti], &vsz, &rss))
			err = r->sink->rss(r->sink, r->recs[ti], time_ns, rss,
					   vsz);
	return err;
}

static int on_snapshot(void *data, size_t ti, const struct snapshot *s)
{
	struct rec_run *r = data;
	int err;

	if (ti >= r->nr_targets)
		return 0;	/* a target the status did not list */
	err = r->sink->snapshot(r->sink, r->recs[ti], s);
	return err ? err : sample_rss(r, s->end_ns);
}

static bool should_stop(void *data)
{
	struct rec_run *r = data;

	return r->sink->should_stop(r->sink);
}

int record_embedded(const char *rundir, unsigned long id,
		    struct snap_sink *sink, char **source, struct diag *d)
{
	struct embedded_info info;
	struct rec_run r = { .sink = sink };
	struct kdamond k;
	struct record_meta m;
	size_t ti;
	int err;

	kdamond_init(&k);
	err = embedded_status(rundir, id, &k, &info, d);
	if (!err && !info.running) {
		diag_add(d, "", "'e%lu' is not running (%s)", id,
			 info.exit_reason ? info.exit_reason : "stopped");
		err = -ESRCH;
	}
	if (err)
		goto out;
	*source = info.source ? xstrdup(info.source) : NULL;
	r.nr_targets = k.ctxs[0].nr_targets;
	r.recs = xcalloc(r.nr_targets ? r.nr_targets : 1, sizeof(*r.recs));
	r.pids = xcalloc(r.nr_targets ? r.nr_targets : 1, sizeof(*r.pids));
	for (ti = 0; ti < r.nr_targets; ti++) {
		r.pids[ti] = k.ctxs[0].targets[ti].has_pid ?
			     (long)k.ctxs[0].targets[ti].pid : -1;
		record_meta_init(&m);
		m.kdamond_idx = 0;
		m.context_idx = 0;
		m.target_id = ti;
		m.has_intervals = true;
		m.intervals = k.ctxs[0].intervals;
		r.recs[ti] = sink->add(sink, &m);
	}
	err = embedded_record(rundir, id, on_snapshot, should_stop, &r, d);
	free(r.recs);
	free(r.pids);
out:
	kdamond_release(&k);
	embedded_info_release(&info);
	return err;
}
