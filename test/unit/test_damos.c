/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests for core/damos_*.c: the DAMOS engine, in virtual time. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/damon.h"
#include "core/damos_engine.h"
#include "core/mon_clock.h"
#include "core/monitor.h"
#include "core/sources/synthetic.h"
#include "core/xalloc.h"

#define KIB 1024ULL
#define MIB (1024ULL * 1024)
#define PG 4096ULL
#define BASE (1 * MIB)

struct call {
	size_t ti, si;
	uint64_t start, end;
	uint64_t t_ns;
};

/* Records every apply(); optional cost in virtual time; anon ranges. */
struct fake_actions {
	struct damos_actions base;
	struct mon_clock *clock;
	uint64_t ns_per_mib;
	struct call calls[512];
	size_t nr_calls;
	uint64_t anon_start, anon_end;	/* [start, end) is anonymous */
	size_t nr_filter_queries;
};

static uint64_t fake_apply(struct damos_actions *a, size_t ti,
			   uint64_t start, uint64_t end,
			   const struct damos *s, size_t si)
{
	struct fake_actions *f = (struct fake_actions *)a;

	if (f->nr_calls < ARRAY_SIZE(f->calls)) {
		struct call *c = &f->calls[f->nr_calls];

		c->ti = ti;
		c->si = si;
		c->start = start;
		c->end = end;
		c->t_ns = f->clock ? mon_clock_now_ns(f->clock) : 0;
	}
	f->nr_calls++;
	if (f->clock && f->ns_per_mib)
		mon_clock_sleep_ns(f->clock, (end - start) * f->ns_per_mib /
					     MIB);
	return s->action == DAMOS_STAT ? 0 : end - start;
}

static bool fake_filter_match(struct damos_actions *a, size_t ti,
			      uint64_t addr, uint64_t end,
			      const struct damos_filter *flt, uint64_t *run)
{
	struct fake_actions *f = (struct fake_actions *)a;
	bool anon = addr >= f->anon_start && addr < f->anon_end;

	(void)ti;
	f->nr_filter_queries++;
	if (anon)
		*run = (f->anon_end < end ? f->anon_end : end) - addr;
	else if (addr < f->anon_start && f->anon_start < end)
		*run = f->anon_start - addr;
	else
		*run = 0;
	return flt->type == DAMOS_FILTER_ANON && anon;
}

static const struct damos_actions_ops fake_ops = {
	.apply = fake_apply,
	.filter_match = fake_filter_match,
};

static void fake_init(struct fake_actions *f, struct mon_clock *clk,
		      uint32_t mask)
{
	memset(f, 0, sizeof(*f));
	f->base.ops = &fake_ops;
	f->base.ops_filter_actions = mask;
	f->clock = clk;
}

/* A context with one target (or two) of @nr user regions of @sz each. */
static void ctx_regions(struct damon_ctx *c, size_t nr_targets, size_t nr,
			uint64_t sz)
{
	size_t ti, i;

	damon_ctx_init(c);
	c->ops = DAMON_OPS_FVADDR;
	c->min_nr_regions = 3;
	for (ti = 0; ti < nr_targets; ti++) {
		struct damon_target *t = damon_ctx_add_target(c);

		t->has_pid = true;
		t->pid = 10 + (int64_t)ti;
		for (i = 0; i < nr; i++) {
			struct damon_addr_range *r = damon_target_add_region(t);

			r->start = BASE + i * sz;
			r->end = r->start + sz;
		}
	}
}

/* A scheme matching everything, with no quota and no reset. */
static struct damos *add_scheme(struct damon_ctx *c, enum damos_action a)
{
	struct damos *s = damon_ctx_add_scheme(c);

	s->action = a;
	s->quota.reset_interval_ms = 1000;
	return s;
}

struct rig {
	struct damon_ctx c;
	struct mon_clock clk;
	struct fake_actions act;
	struct damos_fake_metrics metrics;
	struct monitor mon;
};

/* Build the monitor of @r (no access source: nothing is ever accessed). */
static void rig_start(struct rig *r, uint32_t mask,
		      const struct monitor_hooks *hooks)
{
	struct monitor_setup st = {
		.ctx = &r->c, .clock = &r->clk, .actions = &r->act.base,
		.metrics = &r->metrics.base, .seed = 1,
	};

	mon_clock_init_virtual(&r->clk, 1000000000ULL);
	fake_init(&r->act, &r->clk, mask);
	damos_fake_metrics_init(&r->metrics);
	if (hooks)
		st.hooks = *hooks;
	assert_int_equal(monitor_init(&r->mon, &st), 0);
}

static void rig_stop(struct rig *r)
{
	monitor_release(&r->mon);
	damon_ctx_release(&r->c);
}

/* Run one DAMOS pass now, as if every scheme were due. */
static void apply_now(struct rig *r)
{
	size_t si;

	for (si = 0; si < r->mon.damos.nr_schemes; si++) {
		if (r->mon.psi < r->mon.damos.schemes[si].next_apply_sis)
			r->mon.psi = r->mon.damos.schemes[si].next_apply_sis;
	}
	damos_engine_apply(&r->mon.damos, &r->mon);
}

static struct mon_region *reg(struct rig *r, size_t ti, size_t i)
{
	return &r->mon.targets[ti].regions[i];
}

static void set_nr(struct mon_region *r, uint32_t nr, uint32_t age)
{
	r->nr_accesses = nr;
	r->nr_accesses_bp = nr * 10000;
	r->age = age;
}

static void test_score_formula_matches_hand_worked_examples(void **state)
{
	(void)state;
	/* freq 100, age 0 s: age_sub (0 + 32) * 100 / 32 / 2 = 50 */
	/* (1000 * 100 + 1000 * 50) / 2000 = 75; * 99 / 100 = 74 */
	assert_int_equal(damon_hot_score(20, 0, 20, 100000, 1000, 1000), 74);
	/* idle 10 s: log 4, negated; (28 * 100 / 32) / 2 = 43 -> 42 */
	assert_int_equal(damon_hot_score(0, 100, 20, 100000, 0, 1000), 42);
	/* freq 50, 60 s: log 6; 38 * 100 / 32 / 2 = 59; */
	/* (300 * 50 + 700 * 59) / 1000 = 56 -> 55 */
	assert_int_equal(damon_hot_score(10, 600, 20, 100000, 300, 700), 55);
	/* both weights 0: 0 */
	assert_int_equal(damon_hot_score(20, 600, 20, 100000, 0, 0), 0);
	/* very old and busy: log capped at 32 -> 100 -> 99 */
	assert_int_equal(damon_hot_score(20, UINT32_MAX, 20, 10000000, 0, 1),
			 99);
	/* very old and idle: -32 -> 0 */
	assert_int_equal(damon_hot_score(0, UINT32_MAX, 20, 10000000, 0, 1),
			 0);
	/* more accesses than the window (after tuning): clamped to 100 */
	assert_int_equal(damon_hot_score(40, 0, 20, 100000, 1, 0), 99);
	assert_int_equal(damos_action_score(DAMOS_PAGEOUT, 74), 25);
	assert_int_equal(damos_action_score(DAMOS_LRU_DEPRIO, 74), 25);
	assert_int_equal(damos_action_score(DAMOS_MIGRATE_COLD, 74), 25);
	assert_int_equal(damos_action_score(DAMOS_LRU_PRIO, 74), 74);
	assert_int_equal(damos_action_score(DAMOS_MIGRATE_HOT, 74), 74);
	assert_int_equal(damos_action_score(DAMOS_STAT, 74), 99);
	assert_int_equal(damos_action_score(DAMOS_WILLNEED, 0), 99);
}

static void test_feedback_loop_matches_hand_worked_numbers(void **state)
{
	(void)state;
	/* under-achieving: last * (1 + (10000 - score) / 10000) */
	assert_int_equal(damon_feed_loop_next(10000, 0), 20000);
	assert_int_equal(damon_feed_loop_next(20000, 5000), 30000);
	/* over-achieving: 30000 - 30000 * 5000 / 10000 */
	assert_int_equal(damon_feed_loop_next(30000, 15000), 15000);
	/* never below the minimum input */
	assert_int_equal(damon_feed_loop_next(15000, 19999), 10000);
	assert_int_equal(damon_feed_loop_next(123456, 20000), 10000);
	assert_int_equal(damon_feed_loop_next(123456, 10000), 123456);
	/* the intervals tuner's call: 1e8, score 12500 -> 7.5e7 */
	assert_int_equal(damon_feed_loop_next(100000000, 12500), 75000000);
	/* overflow guards */
	assert_int_equal(damon_feed_loop_next(UINT64_MAX - 1, 0), UINT64_MAX);
	assert_int_equal(damon_feed_loop_next(UINT64_MAX / 2, 1),
			 UINT64_MAX / 2 + UINT64_MAX / 2 / 10000 * 9999);
}

static void test_watermarks_switch_at_exact_thresholds(void **state)
{
	const struct damos_watermarks w = {
		.metric = DAMOS_WMARK_FREE_MEM_RATE, .interval_us = 1000,
		.high_permil = 800, .mid_permil = 500, .low_permil = 200,
	};
	static const struct {
		uint64_t m;
		uint64_t wait;
		bool active;
	} steps[] = {
		{ 600, 0, true },	/* starts active; in band: stays */
		{ 800, 0, true },	/* at high: still active */
		{ 801, 1000, false },	/* above high: off */
		{ 800, 1000, false },	/* back in [mid, high]: stays off */
		{ 500, 1000, false },	/* at mid: still off */
		{ 499, 0, true },	/* below mid: on */
		{ 200, 0, true },	/* at low: on */
		{ 199, 1000, false },	/* below low: off */
		{ 200, 0, true },	/* below mid again: on */
	};
	bool active = true;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		assert_int_equal(damos_wmark_wait(&w, &active, steps[i].m),
				 steps[i].wait);
		assert_int_equal(active, steps[i].active);
	}
}

static void test_all_schemes_off_pauses_monitoring(void **state)
{
	struct rig r;
	struct damos *s;
	uint64_t t0, psi0;

	(void)state;
	ctx_regions(&r.c, 1, 4, 16 * KIB);
	s = add_scheme(&r.c, DAMOS_STAT);
	s->wmarks.metric = DAMOS_WMARK_FREE_MEM_RATE;
	s->wmarks.interval_us = 50000;
	s->wmarks.high_permil = 800;
	s->wmarks.mid_permil = 500;
	s->wmarks.low_permil = 200;
	rig_start(&r, 0, NULL);
	r.metrics.free_mem_rate_permil = 900;
	t0 = mon_clock_now_ns(&r.clk);
	psi0 = r.mon.psi;
	assert_int_equal(monitor_step(&r.mon), MONITOR_PAUSED);
	assert_int_equal(mon_clock_now_ns(&r.clk), t0 + 50000000);
	assert_int_equal(r.mon.psi, psi0);
	assert_false(r.mon.damos.schemes[0].wmark_activated);
	/* still off in [mid, high] */
	r.metrics.free_mem_rate_permil = 600;
	assert_int_equal(monitor_step(&r.mon), MONITOR_PAUSED);
	r.metrics.free_mem_rate_permil = 400;
	assert_int_equal(monitor_step(&r.mon), MONITOR_SAMPLED);
	assert_int_equal(r.mon.psi, psi0 + 1);
	rig_stop(&r);

	/* a scheme without watermarks keeps the monitor going */
	ctx_regions(&r.c, 1, 4, 16 * KIB);
	s = add_scheme(&r.c, DAMOS_STAT);
	s->wmarks.metric = DAMOS_WMARK_FREE_MEM_RATE;
	s->wmarks.interval_us = 50000;
	s->wmarks.high_permil = 800;
	add_scheme(&r.c, DAMOS_STAT);
	rig_start(&r, 0, NULL);
	r.metrics.free_mem_rate_permil = 900;
	assert_true(monitor_step(&r.mon) & MONITOR_SAMPLED);
	assert_false(r.mon.damos.schemes[0].wmark_activated);
	monitor_run(&r.mon, 2, 0);
	assert_int_equal(r.mon.damos.schemes[0].stats.nr_tried, 0);
	assert_true(r.mon.damos.schemes[1].stats.nr_tried > 0);
	rig_stop(&r);
}

static void test_prioritisation_applies_to_highest_scores_first(void **state)
{
	static const uint32_t nr[] = { 20, 0, 10, 0, 5, 15 };
	struct rig r;
	struct damos *s;
	size_t i;

	(void)state;
	ctx_regions(&r.c, 1, 6, 16 * KIB);
	s = add_scheme(&r.c, DAMOS_PAGEOUT);
	s->quota.sz_bytes = 32 * KIB;
	s->quota.weight_nr_accesses_permil = 1000;
	rig_start(&r, 0, NULL);
	for (i = 0; i < 6; i++)
		set_nr(reg(&r, 0, i), nr[i], 0);
	apply_now(&r);
	/* the two idle regions have the top cold score (99) */
	assert_int_equal(r.mon.damos.schemes[0].quota.min_score, 99);
	assert_int_equal(r.act.nr_calls, 2);
	assert_int_equal(r.act.calls[0].start, BASE + 16 * KIB);
	assert_int_equal(r.act.calls[1].start, BASE + 48 * KIB);
	assert_int_equal(r.mon.damos.schemes[0].stats.nr_tried, 2);
	assert_int_equal(r.mon.damos.schemes[0].stats.sz_applied, 32 * KIB);
	rig_stop(&r);

	/* a bigger quota reaches down the histogram */
	ctx_regions(&r.c, 1, 6, 16 * KIB);
	s = add_scheme(&r.c, DAMOS_PAGEOUT);
	s->quota.sz_bytes = 64 * KIB;
	s->quota.weight_nr_accesses_permil = 1000;
	rig_start(&r, 0, NULL);
	for (i = 0; i < 6; i++)
		set_nr(reg(&r, 0, i), nr[i], 0);
	apply_now(&r);
	/*
	 * hot = nr * 100 / 20 * 99 / 100: 99, 0, 49, 0, 24, 74; cold = 99 -
	 * hot: 0, 99, 50, 99, 75, 25.  64 KiB is reached at score 50.
	 */
	assert_int_equal(r.mon.damos.schemes[0].quota.min_score, 50);
	assert_int_equal(r.act.nr_calls, 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(r.act.calls[i].start, BASE + (i + 1) * 16 * KIB);
	rig_stop(&r);
}

/*
 * Quota of one region per window and reset_interval 0 (a window per
 * pass): each pass resumes after the last one, and the kernel's "end + 1"
 * resume address skips the first page of the next region.
 */
static void test_resume_walks_round_robin(void **state)
{
	static const struct {
		uint64_t start, end;
	} want[] = {
		{ 0, 16 },		/* pass 1 */
		{ 20, 32 }, { 32, 36 },	/* pass 2 */
		{ 40, 48 }, { 48, 56 },	/* pass 3 */
					/* pass 4: last region, resume dropped */
		{ 0, 16 },		/* pass 5: from the start again */
	};
	struct rig r;
	struct damos *s;
	size_t i;

	(void)state;
	ctx_regions(&r.c, 1, 4, 16 * KIB);
	s = add_scheme(&r.c, DAMOS_STAT);
	s->quota.sz_bytes = 16 * KIB;
	s->quota.reset_interval_ms = 0;
	rig_start(&r, 0, NULL);
	for (i = 0; i < 5; i++)
		apply_now(&r);
	assert_int_equal(r.act.nr_calls, ARRAY_SIZE(want));
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		assert_int_equal(r.act.calls[i].start,
				 BASE + want[i].start * KIB);
		assert_int_equal(r.act.calls[i].end, BASE + want[i].end * KIB);
	}
	assert_int_equal(r.mon.damos.schemes[0].stats.qt_exceeds, 3);
	rig_stop(&r);
}

/* Bytes handed to apply() per charge window. */
struct window_check {
	const struct monitor *mon;
	uint64_t from_ns;
	uint64_t sum;
	uint64_t max_sum;
	uint64_t over;
	size_t windows;
};

static void new_window(struct window_check *w)
{
	const struct damos_quota_state *q = &w->mon->damos.schemes[0].quota;

	if (q->charged_from_ns != w->from_ns) {
		w->from_ns = q->charged_from_ns;
		w->sum = 0;
		w->windows++;
	}
}

struct quota_rig {
	struct fake_actions act;
	struct window_check w;
	uint64_t limit;			/* 0: the window's effective quota */
};

static uint64_t quota_apply(struct damos_actions *a, size_t ti,
			    uint64_t start, uint64_t end,
			    const struct damos *s, size_t si)
{
	struct quota_rig *q = (struct quota_rig *)a;
	uint64_t esz = q->w.mon->damos.schemes[0].quota.esz;

	new_window(&q->w);
	q->w.sum += end - start;
	if (q->w.sum > (q->limit ? q->limit : esz))
		q->w.over++;
	if (q->w.sum > q->w.max_sum)
		q->w.max_sum = q->w.sum;
	return fake_apply(a, ti, start, end, s, si);
}

static const struct damos_actions_ops quota_ops = { .apply = quota_apply };

static void run_quota(uint64_t sz_bytes, uint64_t ms, uint64_t ns_per_mib,
		      struct quota_rig *q, struct damos_quota_state *out,
		      uint64_t *qt_exceeds)
{
	struct synth_source src;
	struct synth_params p;
	struct synth_model m;
	struct mon_clock clk;
	struct damon_ctx c;
	struct monitor mon;
	struct monitor_setup st = { 0 };
	struct damos *s;

	synth_params_init(&p);
	p.cold_bp = 100;
	p.repeat = true;
	synth_model_init(&m);
	synth_model_hot_cold(&m, &p);
	mon_clock_init_virtual(&clk, 0);
	synth_source_init(&src, &m, 1, &clk, 6);
	damon_ctx_init(&c);
	c.ops = DAMON_OPS_VADDR;
	damon_ctx_add_target(&c)->has_pid = true;
	s = add_scheme(&c, DAMOS_PAGEOUT);
	s->pattern.max_nr_accesses = 10;	/* percent, in bp: 0.1 % */
	s->quota.sz_bytes = sz_bytes;
	s->quota.time_ms = ms;
	s->quota.reset_interval_ms = 250;
	s->quota.weight_age_permil = 1000;
	fake_init(&q->act, &clk, 0);
	q->act.base.ops = &quota_ops;
	q->act.ns_per_mib = ns_per_mib;
	st.ctx = &c;
	st.clock = &clk;
	st.source = &src.base;
	st.actions = &q->act.base;
	st.seed = 6;
	assert_int_equal(monitor_init(&mon, &st), 0);
	q->w.mon = &mon;
	monitor_run(&mon, 400, 0);
	*out = mon.damos.schemes[0].quota;
	*qt_exceeds = mon.damos.schemes[0].stats.qt_exceeds;
	assert_int_equal(mon.damos.schemes[0].stats.sz_tried,
			 out->total_charged_sz + out->charged_sz);
	monitor_release(&mon);
	synth_source_release(&src);
	synth_model_release(&m);
	damon_ctx_release(&c);
}

static void test_quota_is_never_exceeded_in_any_reset_interval(void **state)
{
	struct quota_rig q;
	struct damos_quota_state qs;
	uint64_t qt;

	(void)state;
	/* size quota: 3 MiB + 1 page per 250 ms window */
	memset(&q, 0, sizeof(q));
	q.limit = 3 * MIB + PG;
	run_quota(3 * MIB + PG, 0, 0, &q, &qs, &qt);
	assert_int_equal(q.w.over, 0);
	assert_true(qt > 100);		/* the quota did bind */
	assert_true(q.w.windows > 100);
	assert_int_equal(q.w.max_sum, 3 * MIB + PG);

	/*
	 * time quota: 2 ms per window, actions take 1 ns per byte.  The
	 * first window assumes 4 MiB/ms (esz 8 MiB); then the measured
	 * 1000000 bytes/ms gives esz = 2000000.
	 */
	memset(&q, 0, sizeof(q));
	run_quota(0, 2, MIB, &q, &qs, &qt);
	assert_int_equal(q.w.over, 0);
	/*
	 * 2000000 is no multiple of a page: the last page-aligned piece
	 * never fills it, so windows rarely count as exceeded (as in the
	 * kernel); the rest is tried with 0 bytes.
	 */
	assert_true(q.w.max_sum > 2000000 - PG);
	assert_int_equal(qs.esz, 2000000);
	assert_true(q.w.max_sum <= 8 * MIB);

	/* both: the smaller wins */
	memset(&q, 0, sizeof(q));
	q.limit = MIB;
	run_quota(MIB, 2, MIB, &q, &qs, &qt);
	assert_int_equal(q.w.over, 0);
	assert_int_equal(qs.esz, MIB);
}

struct goal_log {
	size_t nr;
	uint64_t esz[128];
};

static void goal_esz_changed(void *data, size_t si, uint64_t esz)
{
	struct goal_log *l = data;

	(void)si;
	if (l->nr < ARRAY_SIZE(l->esz))
		l->esz[l->nr++] = esz;
}

/* The "system": the goal's current value is the quota in pages. */
static void goal_call(void *data, struct monitor *mon)
{
	(void)data;
	damos_engine_set_goal_current(&mon->damos, 0, 0,
				      mon->damos.schemes[0].quota.esz / PG);
}

static void test_goal_moves_effective_quota_and_settles(void **state)
{
	struct goal_log log = { 0 };
	struct monitor_hooks hooks = {
		.data = &log, .esz_changed = goal_esz_changed,
		.call = goal_call,
	};
	struct damos_quota_goal *g;
	struct rig r;
	struct damos *s;
	uint64_t esz;
	size_t i;

	(void)state;
	ctx_regions(&r.c, 1, 8, 64 * KIB);
	s = add_scheme(&r.c, DAMOS_STAT);
	s->quota.reset_interval_ms = 100;	/* one window per aggr */
	g = damos_add_goal(s);
	g->metric = DAMOS_QGOAL_USER_INPUT;
	g->target_value = 100;
	rig_start(&r, 0, &hooks);
	monitor_run(&r.mon, 60, 0);
	/*
	 * esz_bp starts at 10000 (1 byte) and doubles while the score is 0
	 * (esz < 1 page): 2, 4, ... 4096 bytes.  The first value is set
	 * when the first window opens, not traced.
	 */
	for (i = 0; i < 11; i++)
		assert_int_equal(log.esz[i], 4ULL << i);
	/*
	 * then x (2 - score / 10000), the score counting whole pages:
	 * 8151, 16220, ... 407697, 411774 (100 pages: on goal, settled)
	 */
	assert_int_equal(log.esz[11], 8151);
	assert_int_equal(log.esz[12], 16220);
	for (i = 1; i < log.nr; i++)
		assert_true(log.esz[i] >= log.esz[i - 1]);
	esz = r.mon.damos.schemes[0].quota.esz;
	assert_int_equal(esz, 411774);
	assert_int_equal(esz / PG, 100);
	assert_int_equal(r.mon.damos.schemes[0].goals[0].current_value,
			 esz / PG);
	/* settled: no change in the last windows */
	assert_int_equal(log.esz[log.nr - 1], esz);
	monitor_run(&r.mon, 20, 0);
	assert_int_equal(r.mon.damos.schemes[0].quota.esz, esz);

	/*
	 * over-achieving shrinks it: with the goal halved the score is
	 * 20000, which restarts from the minimum input, then it climbs to
	 * the new goal
	 */
	r.mon.damos.schemes[0].s.quota.goals[0].target_value = 50;
	monitor_run(&r.mon, 1, 0);
	assert_int_equal(r.mon.damos.schemes[0].quota.esz, 1);
	monitor_run(&r.mon, 60, 0);
	esz = r.mon.damos.schemes[0].quota.esz;
	assert_int_equal(esz / PG, 50);
	rig_stop(&r);
}

static struct damos_filter *add_filter(struct damos *s,
				       enum damos_filter_type type,
				       bool matching, bool allow)
{
	struct damos_filter *f = damos_add_filter(s);

	f->type = type;
	f->matching = matching;
	f->allow = allow;
	return f;
}

static void addr_range(struct damos_filter *f, uint64_t start_kib,
		       uint64_t end_kib)
{
	f->addr_range.start = BASE + start_kib * KIB;
	f->addr_range.end = BASE + end_kib * KIB;
}

static void expect_calls(const struct rig *r, const uint64_t (*want)[2],
			 size_t n)
{
	size_t i;

	assert_int_equal(r->act.nr_calls, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(r->act.calls[i].start,
				 BASE + want[i][0] * KIB);
		assert_int_equal(r->act.calls[i].end, BASE + want[i][1] * KIB);
	}
}

static void test_core_filters_follow_the_default_rules(void **state)
{
	static const uint64_t allow_in[][2] = { { 16, 32 } };
	static const uint64_t reject_in[][2] = { { 0, 16 }, { 32, 48 },
						 { 48, 64 } };
	struct rig r;
	struct damos *s;

	(void)state;
	/* an allow list ends in "reject the rest"; rejects are not tried */
	ctx_regions(&r.c, 1, 4, 16 * KIB);
	s = add_scheme(&r.c, DAMOS_PAGEOUT);
	addr_range(add_filter(s, DAMOS_FILTER_ADDR, true, true), 16, 32);
	rig_start(&r, 0, NULL);
	apply_now(&r);
	expect_calls(&r, allow_in, 1);
	assert_int_equal(r.mon.damos.schemes[0].stats.nr_tried, 1);
	assert_int_equal(r.mon.damos.schemes[0].stats.sz_tried, 16 * KIB);
	rig_stop(&r);

	/* a reject list ends in "allow the rest" */
	ctx_regions(&r.c, 1, 4, 16 * KIB);
	s = add_scheme(&r.c, DAMOS_PAGEOUT);
	addr_range(add_filter(s, DAMOS_FILTER_ADDR, true, false), 16, 32);
	rig_start(&r, 0, NULL);
	apply_now(&r);
	expect_calls(&r, reject_in, 3);
	assert_int_equal(r.mon.damos.schemes[0].stats.nr_tried, 3);
	rig_stop(&r);

	/* matching = false inverts the condition */
	ctx_regions(&r.c, 1, 4, 16 * KIB);
	s = add_scheme(&r.c, DAMOS_PAGEOUT);
	addr_range(add_filter(s, DAMOS_FILTER_ADDR, false, true), 16, 32);
	rig_start(&r, 0, NULL);
	apply_now(&r);
	expect_calls(&r, reject_in, 3);
	rig_stop(&r);
}

static void test_addr_filter_splits_regions_at_its_bounds(void **state)
{
	static const uint64_t want[][2] = { { 16, 32 } };
	struct rig r;
	struct damos *s;

	(void)state;
	ctx_regions(&r.c, 1, 1, 64 * KIB);
	s = add_scheme(&r.c, DAMOS_PAGEOUT);
	addr_range(add_filter(s, DAMOS_FILTER_ADDR, true, true), 16, 32);
	rig_start(&r, 0, NULL);
	/* pass 1: split at 16 KiB, [0, 16) rejected, the rest waits */
	apply_now(&r);
	assert_int_equal(r.act.nr_calls, 0);
	assert_int_equal(r.mon.targets[0].nr_regions, 2);
	/* pass 2: [16, 64) split at 32 KiB, [16, 32) allowed */
	apply_now(&r);
	expect_calls(&r, want, 1);
	assert_int_equal(r.mon.targets[0].nr_regions, 3);
	/* pass 3: [16, 32) again, [32, 64) outside; no more splits */
	apply_now(&r);
	assert_int_equal(r.act.nr_calls, 2);
	assert_int_equal(r.act.calls[1].start, BASE + 16 * KIB);
	assert_int_equal(r.mon.targets[0].nr_regions, 3);
	assert_int_equal(r.mon.damos.schemes[0].stats.nr_tried, 2);
	rig_stop(&r);
}

static void test_target_filter_picks_targets_by_index(void **state)
{
	struct rig r;
	struct damos *s;
	size_t i;

	(void)state;
	ctx_regions(&r.c, 2, 2, 16 * KIB);
	s = add_scheme(&r.c, DAMOS_PAGEOUT);
	add_filter(s, DAMOS_FILTER_TARGET, true, true)->target_idx = 1;
	rig_start(&r, 0, NULL);
	apply_now(&r);
	assert_int_equal(r.act.nr_calls, 2);
	for (i = 0; i < 2; i++)
		assert_int_equal(r.act.calls[i].ti, 1);
	rig_stop(&r);
}

/* Four 16 KiB regions; [8, 40) KiB is anonymous. */
static void ops_rig(struct rig *r, enum damos_action action, bool allow_anon,
		    uint32_t mask)
{
	struct damos *s;

	ctx_regions(&r->c, 1, 4, 16 * KIB);
	s = add_scheme(&r->c, action);
	add_filter(s, DAMOS_FILTER_ANON, true, allow_anon);
	rig_start(r, mask, NULL);
	r->act.anon_start = BASE + 8 * KIB;
	r->act.anon_end = BASE + 40 * KIB;
}

static void test_ops_filters_follow_the_default_rules(void **state)
{
	static const uint64_t no_anon[][2] = { { 0, 8 }, { 40, 48 },
					       { 48, 64 } };
	static const uint64_t anon[][2] = { { 8, 16 }, { 16, 32 },
					    { 32, 40 } };
	const struct damos_stats *st;
	struct rig r;

	(void)state;
	/* reject anon: file memory passes (a reject list allows the rest) */
	ops_rig(&r, DAMOS_PAGEOUT, false, DAMOS_ACTIONS_ALL_OPS_FILTERED);
	apply_now(&r);
	expect_calls(&r, no_anon, 3);
	st = &r.mon.damos.schemes[0].stats;
	assert_int_equal(st->nr_tried, 4);	/* ops rejects are tried */
	assert_int_equal(st->sz_tried, 64 * KIB);
	assert_int_equal(st->nr_applied, 3);
	assert_int_equal(st->sz_applied, 32 * KIB);
	assert_int_equal(st->sz_ops_filter_passed, 32 * KIB);
	rig_stop(&r);

	/* allow anon: the rest is rejected */
	ops_rig(&r, DAMOS_PAGEOUT, true, DAMOS_ACTIONS_ALL_OPS_FILTERED);
	apply_now(&r);
	expect_calls(&r, anon, 3);
	assert_int_equal(r.mon.damos.schemes[0].stats.sz_ops_filter_passed,
			 32 * KIB);
	rig_stop(&r);

	/* stat measures what passes, applies nothing */
	ops_rig(&r, DAMOS_STAT, true, DAMOS_ACTIONS_ALL_OPS_FILTERED);
	apply_now(&r);
	st = &r.mon.damos.schemes[0].stats;
	assert_int_equal(st->sz_ops_filter_passed, 32 * KIB);
	assert_int_equal(st->sz_applied, 0);
	assert_int_equal(st->nr_applied, 0);
	rig_stop(&r);

	/* vaddr madvise actions ignore ops filters (6.18) */
	ops_rig(&r, DAMOS_PAGEOUT, true, DAMOS_ACTIONS_VADDR_OPS_FILTERED);
	apply_now(&r);
	assert_int_equal(r.act.nr_calls, 4);
	assert_int_equal(r.act.nr_filter_queries, 0);
	assert_int_equal(r.mon.damos.schemes[0].stats.sz_ops_filter_passed, 0);
	assert_int_equal(r.mon.damos.schemes[0].stats.sz_applied, 64 * KIB);
	rig_stop(&r);
}

static void test_core_allow_skips_ops_filters(void **state)
{
	static const uint64_t want[][2] = { { 0, 8 }, { 16, 32 }, { 40, 48 },
					    { 48, 64 } };
	struct rig r;
	struct damos *s;

	(void)state;
	ctx_regions(&r.c, 1, 4, 16 * KIB);
	s = add_scheme(&r.c, DAMOS_PAGEOUT);
	/* core: allow [16, 32); with ops filters the core default is allow */
	addr_range(add_filter(s, DAMOS_FILTER_ADDR, true, true), 16, 32);
	add_filter(s, DAMOS_FILTER_ANON, true, false);
	rig_start(&r, DAMOS_ACTIONS_ALL_OPS_FILTERED, NULL);
	r.act.anon_start = BASE + 8 * KIB;
	r.act.anon_end = BASE + 40 * KIB;
	apply_now(&r);
	/* [16, 32) is anonymous but core-allowed: applied whole */
	expect_calls(&r, want, 4);
	assert_int_equal(r.mon.damos.schemes[0].stats.sz_ops_filter_passed,
			 48 * KIB);
	rig_stop(&r);
}

static void test_action_other_than_stat_resets_age(void **state)
{
	struct rig r;
	size_t i;

	(void)state;
	ctx_regions(&r.c, 1, 4, 16 * KIB);
	add_scheme(&r.c, DAMOS_STAT);
	add_scheme(&r.c, DAMOS_COLD)->pattern.min_sz_bytes = 32 * KIB;
	rig_start(&r, 0, NULL);
	for (i = 0; i < 4; i++)
		set_nr(reg(&r, 0, i), 0, 5);
	apply_now(&r);
	for (i = 0; i < 4; i++)
		assert_int_equal(reg(&r, 0, i)->age, 5);
	r.mon.damos.schemes[1].min_sz = 0;
	apply_now(&r);
	for (i = 0; i < 4; i++)
		assert_int_equal(reg(&r, 0, i)->age, 0);
	rig_stop(&r);
}

static void test_pattern_matches_nr_accesses_bp_and_converts_units(
	void **state)
{
	struct rig r;
	struct damos *s;

	(void)state;
	ctx_regions(&r.c, 1, 4, 16 * KIB);
	s = add_scheme(&r.c, DAMOS_STAT);
	/* 50 % .. 75 % of 20 samples: 10 .. 15; age 200 ms .. 1 s: 2 .. 10 */
	s->pattern.min_nr_accesses = 5000;
	s->pattern.max_nr_accesses = 7500;
	s->pattern.min_age = 200000;
	s->pattern.max_age = 1000000;
	rig_start(&r, 0, NULL);
	assert_int_equal(r.mon.damos.schemes[0].min_nr, 10);
	assert_int_equal(r.mon.damos.schemes[0].max_nr, 15);
	assert_int_equal(r.mon.damos.schemes[0].min_age, 2);
	assert_int_equal(r.mon.damos.schemes[0].max_age, 10);
	set_nr(reg(&r, 0, 0), 12, 2);		/* matches */
	set_nr(reg(&r, 0, 1), 12, 11);		/* too old */
	set_nr(reg(&r, 0, 2), 16, 5);		/* too busy */
	/* mid-aggregation: the moving sum says 15, the raw count 0 */
	set_nr(reg(&r, 0, 3), 0, 5);
	reg(&r, 0, 3)->nr_accesses_bp = 159999;
	apply_now(&r);
	assert_int_equal(r.act.nr_calls, 2);
	assert_int_equal(r.act.calls[0].start, BASE);
	assert_int_equal(r.act.calls[1].start, BASE + 48 * KIB);
	rig_stop(&r);
}

static void test_apply_interval_and_snapshot_limit(void **state)
{
	struct rig r;
	struct damos *s;

	(void)state;
	ctx_regions(&r.c, 1, 4, 16 * KIB);
	add_scheme(&r.c, DAMOS_STAT);
	add_scheme(&r.c, DAMOS_STAT)->apply_interval_us = 300000;
	s = add_scheme(&r.c, DAMOS_STAT);
	s->max_nr_snapshots = 2;
	rig_start(&r, 0, NULL);
	monitor_run(&r.mon, 9, 0);
	assert_int_equal(r.mon.damos.schemes[0].stats.nr_snapshots, 9);
	assert_int_equal(r.mon.damos.schemes[1].stats.nr_snapshots, 3);
	assert_int_equal(r.mon.damos.schemes[2].stats.nr_snapshots, 2);
	assert_int_equal(r.mon.damos.schemes[2].stats.nr_tried, 2 * 4);
	rig_stop(&r);
}

struct walk_log {
	size_t nr;
	struct call regions[64];
	size_t done, canceled;
	size_t nr_before;		/* before_apply calls while pending */
	bool pending;
};

static void walk_region(void *data, size_t si, size_t ti,
			const struct mon_region *r, uint64_t passed)
{
	struct walk_log *w = data;

	(void)passed;
	if (w->nr < ARRAY_SIZE(w->regions)) {
		w->regions[w->nr].si = si;
		w->regions[w->nr].ti = ti;
		w->regions[w->nr].start = r->start;
		w->regions[w->nr].end = r->end;
	}
	w->nr++;
}

static void walk_done(void *data, bool canceled)
{
	struct walk_log *w = data;

	w->pending = false;
	if (canceled)
		w->canceled++;
	else
		w->done++;
}

static void walk_before(void *data, size_t si, size_t ti,
			const struct mon_region *r)
{
	struct walk_log *w = data;

	(void)si;
	(void)ti;
	(void)r;
	if (w->pending)
		w->nr_before++;
}

static void test_tried_regions_cover_one_apply_interval(void **state)
{
	struct walk_log log = { 0 };
	struct monitor_hooks hooks = {
		.data = &log, .before_apply = walk_before,
	};
	struct damos_walk w = {
		.data = &log, .region = walk_region, .done = walk_done,
	};
	struct rig r;
	struct damos *s;
	size_t i;

	(void)state;
	ctx_regions(&r.c, 1, 4, 16 * KIB);
	add_scheme(&r.c, DAMOS_STAT);
	add_scheme(&r.c, DAMOS_PAGEOUT)->apply_interval_us = 300000;
	rig_start(&r, 0, &hooks);
	monitor_run(&r.mon, 1, 0);
	log.pending = true;
	assert_int_equal(damos_engine_walk(&r.mon.damos, &w), 0);
	assert_int_equal(damos_engine_walk(&r.mon.damos, &w), -16);
	monitor_run(&r.mon, 5, 0);
	/* complete once the slower scheme finished an interval */
	assert_int_equal(log.done, 1);
	assert_int_equal(log.canceled, 0);
	/*
	 * each scheme's first pass after the request: stat at psi 40,
	 * pageout at psi 60 (its passes after that are not reported)
	 */
	assert_int_equal(log.nr, 8);
	for (i = 0; i < 8; i++) {
		assert_int_equal(log.regions[i].si, i / 4);
		assert_int_equal(log.regions[i].start, BASE + i % 4 * 16 * KIB);
	}
	assert_true(log.nr_before > log.nr);
	rig_stop(&r);

	/* all schemes off: monitoring pauses and the walk is canceled */
	memset(&log, 0, sizeof(log));
	ctx_regions(&r.c, 1, 4, 16 * KIB);
	s = add_scheme(&r.c, DAMOS_STAT);
	s->wmarks.metric = DAMOS_WMARK_FREE_MEM_RATE;
	s->wmarks.interval_us = 1000;
	s->wmarks.high_permil = 100;
	rig_start(&r, 0, NULL);
	assert_int_equal(damos_engine_walk(&r.mon.damos, &w), 0);
	assert_int_equal(monitor_step(&r.mon), MONITOR_PAUSED);
	assert_int_equal(log.canceled, 1);
	assert_int_equal(log.nr, 0);
	rig_stop(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_score_formula_matches_hand_worked_examples),
		cmocka_unit_test(test_feedback_loop_matches_hand_worked_numbers),
		cmocka_unit_test(test_watermarks_switch_at_exact_thresholds),
		cmocka_unit_test(test_all_schemes_off_pauses_monitoring),
		cmocka_unit_test(test_prioritisation_applies_to_highest_scores_first),
		cmocka_unit_test(test_resume_walks_round_robin),
		cmocka_unit_test(test_quota_is_never_exceeded_in_any_reset_interval),
		cmocka_unit_test(test_goal_moves_effective_quota_and_settles),
		cmocka_unit_test(test_core_filters_follow_the_default_rules),
		cmocka_unit_test(test_addr_filter_splits_regions_at_its_bounds),
		cmocka_unit_test(test_target_filter_picks_targets_by_index),
		cmocka_unit_test(test_ops_filters_follow_the_default_rules),
		cmocka_unit_test(test_core_allow_skips_ops_filters),
		cmocka_unit_test(test_action_other_than_stat_resets_age),
		cmocka_unit_test(test_pattern_matches_nr_accesses_bp_and_converts_units),
		cmocka_unit_test(test_apply_interval_and_snapshot_limit),
		cmocka_unit_test(test_tried_regions_cover_one_apply_interval),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
