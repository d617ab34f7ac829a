/* SPDX-License-Identifier: GPL-2.0 */
/* The embedded backend (kdamond/backend.h): the daemon's client side. */
#include "kdamond/backend.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/access_source.h"
#include "core/diag.h"
#include "core/mon_budget.h"
#include "core/snap_sink.h"
#include "core/snapshot.h"
#include "core/sources/auto.h"
#include "core/sources/proc.h"
#include "core/xalloc.h"
#include "kdamond/embedded/daemon.h"
#include "kdamond/embedded/embedded.h"

#define RSS_EVERY_NS (1000ULL * 1000 * 1000)

static int emb_list(struct backend *b, bool mine, struct damo_id **ids,
		    size_t *nr)
{
	unsigned long *v;
	size_t i, n = embedded_ids(b->rundir, &v);

	(void)mine;	/* every embedded monitor is damo's */
	*ids = xcalloc(n ? n : 1, sizeof(**ids));
	for (i = 0; i < n; i++)
		(*ids)[i] = (struct damo_id){ BACKEND_EMBEDDED, v[i] };
	*nr = n;
	free(v);
	return 0;
}

static int emb_start(struct backend *b, struct damon_config *cfg,
		     const struct backend_start *o)
{
	struct embedded_opts eo = {
		.source = o->source, .foreground = o->foreground,
		.ephemeral = o->ephemeral,
		.command = o->command, .out = b->env->out,
		.warn = b->env->warn, .started = o->started, .data = o->data,
	};

	/* its own defaults, paced by a CPU budget, unless intervals were
	 * asked for */
	if (!o->intervals_given && cfg->nr_kdamonds &&
	    cfg->kdamonds[0].nr_ctxs) {
		embedded_default_intervals(&cfg->kdamonds[0].ctxs[0]);
		eo.cpu_budget_bp = o->cpu_budget_bp ? o->cpu_budget_bp :
				   MON_BUDGET_DEFAULT_BP;
	}
	return embedded_start(b->rundir, cfg, &eo, b->diag);
}

static int emb_tune(struct backend *b, struct damo_id id,
		    const struct damon_config *cfg, unsigned int flags)
{
	/* every embedded monitor is damo's: BACKEND_TUNE_FORCE is moot */
	return embedded_tune(b->rundir, id.nr, cfg,
			     flags & BACKEND_TUNE_INTERVALS, b->diag);
}

static int emb_stop(struct backend *b, const struct damo_id *ids, size_t nr,
		    bool force)
{
	size_t i;
	int err = 0;

	(void)force;
	for (i = 0; i < nr && !err; i++)
		err = embedded_stop(b->rundir, ids[i].nr, b->diag);
	return err;
}

static int emb_status(struct backend *b, struct damo_id id,
		      enum backend_refresh how, bool force,
		      struct backend_status *st)
{
	struct embedded_info info;
	int err;

	(void)how;	/* the daemon's answer is always current */
	(void)force;
	err = embedded_status(b->rundir, id.nr, &st->k, &info, b->diag);
	if (!err) {
		st->owned = true;
		st->running = info.running;
		st->dead = info.dead;
		st->stats_fresh = true;	/* the daemon answers with what it has */
		st->source = xstrdup(info.source ? info.source : "");
		st->sees = xstrdup(info.sees ? info.sees : "");
		st->has_exit_reason = true;
		st->exit_reason = info.exit_reason ?
				  xstrdup(info.exit_reason) : NULL;
		st->has_nr_regions = true;
		st->nr_regions = info.nr_regions;
		st->achieved_aggrs = info.achieved_aggrs;
		st->achieved_sample_us = info.achieved_sample_us;
		st->achieved_aggr_us = info.achieved_aggr_us;
		st->behind = info.behind;
	}
	embedded_info_release(&info);
	return err;
}

static int emb_apply_schemes(struct backend *b, struct damo_id id,
			     const struct damos *schemes, size_t nr,
			     bool force)
{
	struct embedded_info info;
	struct damon_config cfg;
	int err;

	(void)force;
	damon_config_init(&cfg);
	err = embedded_status(b->rundir, id.nr,
			      damon_config_add_kdamond(&cfg), &info, b->diag);
	embedded_info_release(&info);
	if (!err) {
		damon_ctx_set_schemes(&cfg.kdamonds[0].ctxs[0], schemes, nr);
		/* the intervals in force stay, paced or not */
		err = embedded_tune(b->rundir, id.nr, &cfg, false, b->diag);
	}
	damon_config_release(&cfg);
	return err;
}

/* ---- record: the daemon's stream into a snap_sink ---- */

struct emb_rec {
	struct snap_sink *sink;
	size_t *recs;			/* the sink's record of each target */
	long *pids;			/* each target's process */
	size_t nr_targets;
	uint64_t rss_ns;		/* when RSS was last sampled */
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Every second: each target's RSS and VSZ as side samples. */
static int sample_rss(struct emb_rec *r, uint64_t time_ns)
{
	uint64_t vsz = 0, rss = 0, now = mono_ns();
	size_t ti;
	int err = 0;

	if (!r->sink->rss || (r->rss_ns && now - r->rss_ns < RSS_EVERY_NS))
		return 0;
	r->rss_ns = now;
	for (ti = 0; ti < r->nr_targets && !err; ti++)
		if (r->pids[ti] > 0 &&
		    !proc_statm((pid_t)r->pids[ti], &vsz, &rss))
			err = r->sink->rss(r->sink, r->recs[ti], time_ns, rss,
					   vsz);
	return err;
}

static int on_snapshot(void *data, size_t ti, const struct snapshot *s)
{
	struct emb_rec *r = data;
	int err;

	if (ti >= r->nr_targets)
		return 0;	/* a target the status did not list */
	err = r->sink->snapshot(r->sink, r->recs[ti], s);
	return err ? err : sample_rss(r, s->end_ns);
}

static bool should_stop(void *data)
{
	struct emb_rec *r = data;

	return r->sink->should_stop && r->sink->should_stop(r->sink);
}

static int emb_record(struct backend *b, struct damo_id id,
		      struct backend_record *req, struct snap_sink *sink)
{
	struct emb_rec r = { .sink = sink };
	struct embedded_info info;
	struct record_meta m;
	struct kdamond k;
	size_t ti;
	int err;

	kdamond_init(&k);
	err = embedded_status(b->rundir, id.nr, &k, &info, b->diag);
	if (!err && !info.running) {
		diag_add(b->diag, "", "'e%lu' is not running (%s)", id.nr,
			 info.exit_reason ? info.exit_reason : "stopped");
		err = -ESRCH;
	}
	if (!err && req->snapshot_ns) {
		diag_add(b->diag, "", "an embedded monitor is recorded as it runs: --snapshot is for kernel DAMON");
		err = -EINVAL;
	}
	if (err)
		goto out;
	snprintf(req->source, sizeof(req->source), "embedded:%s",
		 info.source ? info.source : "");
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
		record_meta_release(&m);
	}
	err = embedded_record(b->rundir, id.nr, on_snapshot, should_stop, &r,
			      b->diag);
	if (!err)
		req->end = "monitor stopped";
	free(r.recs);
	free(r.pids);
out:
	kdamond_release(&k);
	embedded_info_release(&info);
	return err;
}

/* Each source of the registry, tried for a command as --source would. */
static int emb_sources(struct backend *b, struct backend_source **v,
		       size_t *nr)
{
	const struct access_source_type *t;
	char *agent = emb_agent_path();
	struct diag why;
	size_t i, n;

	(void)b;
	for (n = 0; access_source_at(n); n++)
		;
	*v = xcalloc(n ? n : 1, sizeof(**v));
	for (i = 0; (t = access_source_at(i)); i++) {
		diag_init(&why);
		(*v)[i].type = t;
		(*v)[i].usable = !access_source_try(t, NULL, 0, agent, &why);
		if (!(*v)[i].usable && why.nr)
			snprintf((*v)[i].why, sizeof((*v)[i].why), "%s",
				 why.v[0].msg);
		diag_release(&why);
	}
	*nr = n;
	free(agent);
	return 0;
}

const struct backend_ops backend_embedded_ops = {
	.list = emb_list,
	.start = emb_start,
	.tune = emb_tune,
	.stop = emb_stop,
	.status = emb_status,
	.apply_schemes = emb_apply_schemes,
	.record = emb_record,
	.sources = emb_sources,
};
