/* SPDX-License-Identifier: GPL-2.0 */
/* damo record on the synthetic source: monitor hooks to record snapshots. */
#include "cmd/record_synth.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/damon.h"
#include "core/mon_clock.h"
#include "core/monitor.h"
#include "core/snap_sink.h"
#include "core/snapshot.h"
#include "core/sources/synth_actions.h"
#include "core/sources/synthetic.h"
#include "core/xalloc.h"
#include "formats/workload.h"

/* The sink is asked whether to stop every this much monitored time. */
#define POLL_STEP_NS (100ULL * 1000 * 1000)
/* The source's random stream must not be the monitor's. */
#define SOURCE_SEED_SALT 0x9e3779b97f4a7c15ULL

struct synth_run {
	const struct record_synth_opts *o;
	size_t *recs;			/* the sink's record of each */
	struct monitor *mon;
	uint64_t base_ns;		/* added to clock times in the file */
	size_t scheme_rec0;		/* record of scheme 0 */
	struct snapshot snap;		/* scratch for aggregations */
	struct snapshot *tried;		/* per scheme, the walk's regions */
	uint64_t *tried_from_ns;	/* per scheme, its next start_time */
	struct damos_walk walk;
	int err;
};

static uint64_t now_ns(const struct synth_run *run)
{
	return run->base_ns + mon_clock_now_ns(run->mon->clock);
}

static void write_snapshot(struct synth_run *run, size_t rec,
			   const struct snapshot *s)
{
	int err = run->o->sink->snapshot(run->o->sink, run->recs[rec], s);

	if (err && !run->err) {
		run->err = err;
		monitor_request_stop(run->mon);
	}
}

/* damon_aggregated: one snapshot per target. */
static void on_aggregated(void *data, const struct monitor *mon)
{
	struct synth_run *run = data;
	struct snapshot *s = &run->snap;
	size_t ti, i;

	for (ti = 0; ti < mon->nr_targets; ti++) {
		const struct mon_target *t = &mon->targets[ti];

		snapshot_clear(s);
		s->start_ns = run->base_ns + mon->aggr_start_ns;
		s->end_ns = now_ns(run);
		s->sample_interval_us = mon->attrs.sample_us;
		for (i = 0; i < t->nr_regions; i++) {
			struct snap_region *r = snapshot_add_region(s);

			r->start = t->regions[i].start;
			r->end = t->regions[i].end;
			r->nr_accesses = t->regions[i].nr_accesses;
			r->age = t->regions[i].age;
		}
		write_snapshot(run, ti, s);
	}
}

/* Each iteration: keep a tried-regions walk going while there are schemes. */
static void on_call(void *data, struct monitor *mon)
{
	struct synth_run *run = data;

	if (mon->damos.nr_schemes && !mon->damos.walk_pending)
		damos_engine_walk(&mon->damos, &run->walk);
}

static void on_tried(void *data, size_t si, size_t ti,
		     const struct mon_region *r, uint64_t sz_filter_passed)
{
	struct synth_run *run = data;
	struct snap_region *sr = snapshot_add_region(&run->tried[si]);

	(void)ti;
	sr->start = r->start;
	sr->end = r->end;
	sr->nr_accesses = r->nr_accesses_bp / 10000;
	sr->age = r->age;
	sr->sz_filter_passed = sz_filter_passed;
}

/* Every scheme finished an apply interval: a snapshot for each. */
static void on_walk_done(void *data, bool canceled)
{
	struct synth_run *run = data;
	struct monitor *mon = run->mon;
	size_t si;

	for (si = 0; si < mon->damos.nr_schemes; si++) {
		struct snapshot *s = &run->tried[si];

		if (!canceled) {
			s->start_ns = run->tried_from_ns[si];
			s->end_ns = now_ns(run);
			s->sample_interval_us = mon->attrs.sample_us;
			s->has_stats = true;
			s->stats = mon->damos.schemes[si].stats;
			write_snapshot(run, run->scheme_rec0 + si, s);
			run->tried_from_ns[si] = s->end_ns;
		}
		snapshot_clear(s);
	}
}

/* One record per target, then one per scheme, as damo lists them. */
static void add_records(struct synth_run *run)
{
	const struct damon_ctx *c = run->o->ctx;
	struct record_meta m;
	size_t i;

	for (i = 0; i < c->nr_targets + c->nr_schemes; i++) {
		record_meta_init(&m);
		m.kdamond_idx = 0;
		m.context_idx = 0;
		m.has_intervals = true;
		m.intervals = c->intervals;
		if (i < c->nr_targets) {
			m.target_id = i;
		} else {
			m.scheme_idx = i - c->nr_targets;
			/* borrowed: the writer copies what it needs */
			m.scheme_filters = c->schemes[m.scheme_idx].filters;
			m.nr_scheme_filters = c->schemes[m.scheme_idx].nr_filters;
		}
		run->recs[i] = run->o->sink->add(run->o->sink, &m);
	}
	run->scheme_rec0 = c->nr_targets;
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Step the monitor to the end of the duration or until the sink stops it. */
static uint64_t run_monitor(struct synth_run *run, struct monitor *mon)
{
	struct snap_sink *sink = run->o->sink;
	uint64_t start = mon_clock_now_ns(mon->clock), now = start;
	uint64_t until = start + run->o->duration_ns;
	unsigned int flags = 0;

	if (until < start)
		until = UINT64_MAX;
	while (now < until && !(flags & MONITOR_STOPPED) && !run->err &&
	       !sink->should_stop(sink)) {
		uint64_t next = until - now > POLL_STEP_NS ?
				now + POLL_STEP_NS : until;

		flags = monitor_run(mon, 0, next);
		now = mon_clock_now_ns(mon->clock);
	}
	return now - start;
}

static void run_init(struct synth_run *run, const struct record_synth_opts *o)
{
	size_t i, n = o->ctx->nr_schemes;

	memset(run, 0, sizeof(*run));
	run->o = o;
	run->recs = xcalloc(o->ctx->nr_targets + n + 1, sizeof(*run->recs));
	snapshot_init(&run->snap);
	run->tried = xcalloc(n ? n : 1, sizeof(*run->tried));
	run->tried_from_ns = xcalloc(n ? n : 1, sizeof(*run->tried_from_ns));
	for (i = 0; i < n; i++)
		snapshot_init(&run->tried[i]);
	run->walk.data = run;
	run->walk.region = on_tried;
	run->walk.done = on_walk_done;
}

static void run_release(struct synth_run *run)
{
	size_t i;

	for (i = 0; i < run->o->ctx->nr_schemes; i++)
		snapshot_release(&run->tried[i]);
	free(run->tried);
	free(run->tried_from_ns);
	free(run->recs);
	snapshot_release(&run->snap);
}

int record_synth_run(const struct record_synth_opts *o,
		     uint64_t *monitored_ns)
{
	struct synth_actions acts;
	struct synth_source src;
	struct synth_run run;
	struct mon_clock clk;
	struct monitor mon;
	struct monitor_setup setup = { .ctx = o->ctx, .clock = &clk,
				       .source = &src.base, .seed = o->seed };
	size_t i;
	int err;

	*monitored_ns = 0;
	run_init(&run, o);
	if (o->realtime) {
		mon_clock_init_real(&clk);
		run.base_ns = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC);
	} else {
		mon_clock_init_virtual(&clk, 0);
	}
	synth_source_init(&src, &o->wl->model, 1, &clk,
			  o->seed ^ SOURCE_SEED_SALT);
	src.kind = o->wl->kind;
	src.writes_only = o->wl->writes_only;
	synth_actions_init(&acts, &o->wl->model, 1, o->ctx->nr_schemes);
	setup.actions = &acts.base;
	setup.hooks = (struct monitor_hooks){
		.data = &run, .aggregated = on_aggregated, .call = on_call,
	};
	err = monitor_init(&mon, &setup);
	if (!err) {
		run.mon = &mon;
		add_records(&run);
		for (i = 0; i < o->ctx->nr_schemes; i++)
			run.tried_from_ns[i] = now_ns(&run);
		*monitored_ns = run_monitor(&run, &mon);
		/* a walk still open covers a part of an interval: canceled */
		monitor_release(&mon);
		err = run.err;
	}
	synth_actions_release(&acts);
	synth_source_release(&src);
	run_release(&run);
	return err;
}
