/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The embedded monitor's loop: sampling, aggregation, tuning, updates.
 * Section numbers (§) are those of docs/kernel-damon.md.
 */
#include "core/monitor.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/mon_clock.h"
#include "core/xalloc.h"

/* Regions reserved per target up front, so the loop rarely grows them. */
#define MON_RESERVE_MAX (1u << 16)

static uint64_t sample_div(const struct mon_attrs *a)
{
	return a->sample_us ? a->sample_us : 1;
}

uint32_t mon_attrs_max_nr_accesses(const struct mon_attrs *a)
{
	uint64_t n = a->aggr_us / sample_div(a);

	if (n > UINT32_MAX)
		n = UINT32_MAX;
	return n ? (uint32_t)n : 1;
}

size_t monitor_nr_regions(const struct monitor *mon)
{
	size_t ti, nr = 0;

	for (ti = 0; ti < mon->nr_targets; ti++)
		nr += mon->targets[ti].nr_regions;
	return nr;
}

/* The checks of damon_set_attrs() and damon_valid_intervals_goal(). */
static int attrs_validate(const struct mon_attrs *a)
{
	const struct damon_intervals_goal *g = &a->goal;

	if (g->aggrs && (g->min_sample_us > g->max_sample_us ||
			 a->sample_us < g->min_sample_us ||
			 g->max_sample_us < a->sample_us))
		return -EINVAL;
	if (a->min_nr_regions < 3 || a->min_nr_regions > a->max_nr_regions)
		return -EINVAL;
	if (a->sample_us > a->aggr_us)
		return -EINVAL;
	return 0;
}

static uint64_t region_sz_limit(const struct monitor *mon)
{
	uint64_t sz = 0;
	size_t ti;

	for (ti = 0; ti < mon->nr_targets; ti++)
		sz += mon_target_sz(&mon->targets[ti]);
	if (mon->attrs.min_nr_regions)
		sz /= mon->attrs.min_nr_regions;
	return sz < mon->min_sz_region ? mon->min_sz_region : sz;
}

/* nr_to_bp() then bp_to_nr() across an attrs change (§4.8). */
static uint32_t nr_for_new_attrs(uint32_t nr, const struct mon_attrs *old,
				 const struct mon_attrs *new)
{
	uint64_t bp = (uint64_t)nr * 10000 / mon_attrs_max_nr_accesses(old);

	return (uint32_t)(bp * mon_attrs_max_nr_accesses(new) / 10000);
}

static void rescale_regions(struct monitor *mon, const struct mon_attrs *new,
			    bool aggregating)
{
	const struct mon_attrs *old = &mon->attrs;
	size_t ti, i;

	if (!old->sample_us || !old->aggr_us || !new->sample_us ||
	    !new->aggr_us)
		return;
	for (ti = 0; ti < mon->nr_targets; ti++) {
		struct mon_target *t = &mon->targets[ti];

		for (i = 0; i < t->nr_regions; i++) {
			struct mon_region *r = &t->regions[i];

			if (!aggregating) {
				r->nr_accesses = nr_for_new_attrs(
					r->nr_accesses, old, new);
				r->nr_accesses_bp = r->nr_accesses * 10000;
			} else {
				r->last_nr_accesses = nr_for_new_attrs(
					r->last_nr_accesses, old, new);
				r->nr_accesses_bp = r->last_nr_accesses * 10000;
				r->nr_accesses = 0;
			}
			r->age = (uint32_t)((uint64_t)r->age * old->aggr_us /
					    new->aggr_us);
		}
	}
}

int monitor_set_attrs(struct monitor *mon, const struct mon_attrs *attrs)
{
	struct mon_attrs a = *attrs;
	bool aggregating = mon->psi < mon->next_aggregation_sis;
	int err = attrs_validate(&a);

	if (err)
		return err;
	if (!a.aggr_samples)
		a.aggr_samples = a.aggr_us / sample_div(&a);
	mon->next_aggregation_sis = mon->psi + a.aggr_us / sample_div(&a);
	mon->next_ops_update_sis = mon->psi + a.ops_update_us / sample_div(&a);
	rescale_regions(mon, &a, aggregating);
	mon->attrs = a;
	damos_engine_rebase(&mon->damos, mon);
	return 0;
}

static void sample_reserve(struct monitor *mon, size_t n);

/* The vaddr initial construction (§4.6 step 3) or the user's regions. */
static void init_target_regions(struct monitor *mon, size_t ti,
				const struct damon_target *ct)
{
	struct mon_target *t = &mon->targets[ti];
	struct mon_ranges *rs = &mon->ranges;
	uint64_t sz = 0;
	size_t i;

	if (ct->nr_regions) {
		mon_target_set_ranges(t, ct->regions, ct->nr_regions,
				      mon->min_sz_region);
		return;
	}
	if (!mon->src || !mon->src->ops->init_regions)
		return;
	rs->nr = 0;
	if (mon->src->ops->init_regions(mon->src, ti, rs) || !rs->nr)
		return;
	for (i = 0; i < rs->nr; i++)
		sz += rs->v[i].end - rs->v[i].start;
	sz /= mon->attrs.min_nr_regions;
	if (sz < mon->min_sz_region)
		sz = mon->min_sz_region;
	for (i = 0; i < rs->nr; i++)
		mon_target_add_evenly(t, rs->v[i].start, rs->v[i].end,
				      (rs->v[i].end - rs->v[i].start) / sz,
				      mon->min_sz_region);
}

static void attrs_from_ctx(struct mon_attrs *a, const struct damon_ctx *ctx)
{
	memset(a, 0, sizeof(*a));
	a->sample_us = ctx->intervals.sample_us;
	a->aggr_us = ctx->intervals.aggr_us;
	a->ops_update_us = ctx->intervals.ops_update_us;
	a->goal = ctx->intervals.goal;
	a->min_nr_regions = ctx->min_nr_regions;
	a->max_nr_regions = ctx->max_nr_regions;
}

int monitor_init(struct monitor *mon, const struct monitor_setup *setup)
{
	const struct damon_ctx *ctx = setup->ctx;
	uint64_t si, reserve;
	size_t ti;
	int err;

	memset(mon, 0, sizeof(*mon));
	attrs_from_ctx(&mon->attrs, ctx);
	err = attrs_validate(&mon->attrs);
	if (err)
		return err;
	si = sample_div(&mon->attrs);
	mon->attrs.aggr_samples = mon->attrs.aggr_us / si;
	mon->min_sz_region = MON_MIN_REGION;
	if (ctx->ops == DAMON_OPS_PADDR && ctx->addr_unit > 1)
		mon->min_sz_region = MON_MIN_REGION / ctx->addr_unit ?
				     MON_MIN_REGION / ctx->addr_unit : 1;
	mon->clock = setup->clock;
	mon->src = setup->source;
	mon->hooks = setup->hooks;
	mon_rand_init(&mon->rand, setup->seed);
	mon_ranges_init(&mon->ranges);

	/* kdamond_init_ctx() */
	mon->next_aggregation_sis = mon->attrs.aggr_us / si;
	mon->next_ops_update_sis = mon->attrs.ops_update_us / si;
	mon->next_intervals_tune_sis = mon->next_aggregation_sis *
				       mon->attrs.goal.aggrs;
	damos_engine_init(&mon->damos, ctx, setup->actions, setup->metrics);
	damos_engine_start(&mon->damos, mon);

	/* ops.init */
	reserve = 2 * mon->attrs.max_nr_regions + 16;
	if (reserve > MON_RESERVE_MAX)
		reserve = MON_RESERVE_MAX;
	mon->nr_targets = ctx->nr_targets;
	mon->targets = xcalloc(ctx->nr_targets ? ctx->nr_targets : 1,
			       sizeof(*mon->targets));
	sample_reserve(mon, reserve);
	for (ti = 0; ti < ctx->nr_targets; ti++) {
		mon_target_init(&mon->targets[ti]);
		mon_target_reserve(&mon->targets[ti], reserve);
		init_target_regions(mon, ti, &ctx->targets[ti]);
	}
	mon->sz_limit = region_sz_limit(mon);
	mon->aggr_start_ns = mon_clock_now_ns(mon->clock);
	return 0;
}

void monitor_release(struct monitor *mon)
{
	size_t ti;

	damos_engine_walk_cancel(&mon->damos);
	damos_engine_release(&mon->damos);
	for (ti = 0; ti < mon->nr_targets; ti++)
		mon_target_release(&mon->targets[ti]);
	free(mon->targets);
	free(mon->addrs);
	free(mon->accessed);
	mon_ranges_release(&mon->ranges);
	memset(mon, 0, sizeof(*mon));
}

void monitor_request_stop(struct monitor *mon)
{
	mon->stop_requested = true;
}

static void sample_reserve(struct monitor *mon, size_t n)
{
	size_t cap = mon->sample_cap ? mon->sample_cap : 64;

	if (n <= mon->sample_cap)
		return;
	while (cap < n)
		cap *= 2;
	mon->addrs = xreallocarray(mon->addrs, cap, sizeof(*mon->addrs));
	mon->accessed = xreallocarray(mon->accessed, cap,
				      sizeof(*mon->accessed));
	mon->sample_cap = cap;
}

/* §4.4 step A: one random address per region of every valid target. */
static void prepare_access_checks(struct monitor *mon)
{
	size_t ti, i;

	for (ti = 0; ti < mon->nr_targets; ti++) {
		struct mon_target *t = &mon->targets[ti];

		if (!t->valid)
			continue;
		sample_reserve(mon, t->nr_regions);
		for (i = 0; i < t->nr_regions; i++) {
			struct mon_region *r = &t->regions[i];

			r->sampling_addr = mon_rand_range(&mon->rand, r->start,
							  r->end);
			mon->addrs[i] = r->sampling_addr;
		}
		if (mon->src && mon->src->ops->prepare && t->nr_regions)
			mon->src->ops->prepare(mon->src, ti, mon->addrs,
					       t->nr_regions);
	}
}

/* damon_update_region_access_rate(), in the kernel's u32 arithmetic. */
static void update_access_rate(struct mon_region *r, bool accessed,
			       const struct mon_attrs *a)
{
	uint32_t len = a->sample_us ? mon_attrs_max_nr_accesses(a) : 1;
	uint32_t nomvsum = r->last_nr_accesses * 10000u;

	r->nr_accesses_bp = r->nr_accesses_bp - nomvsum / len +
			    (accessed ? 10000u : 0);
	if (accessed)
		r->nr_accesses++;
}

static void check_target(struct monitor *mon, size_t ti)
{
	struct mon_target *t = &mon->targets[ti];
	struct access_source *src = mon->src;
	size_t i, n = t->nr_regions;
	int err = -ENOENT;

	sample_reserve(mon, n);
	if (t->valid && src && src->ops->check && n) {
		for (i = 0; i < n; i++)
			mon->addrs[i] = t->regions[i].sampling_addr;
		err = src->ops->check(src, ti, mon->addrs, n, mon->accessed);
	}
	if (err)
		memset(mon->accessed, 0, n * sizeof(*mon->accessed));
}

/* §4.4 step B; returns the largest nr_accesses (the merge threshold). */
static uint32_t check_accesses(struct monitor *mon)
{
	uint32_t max_nr = 0;
	size_t ti, i;

	for (ti = 0; ti < mon->nr_targets; ti++) {
		struct mon_target *t = &mon->targets[ti];

		check_target(mon, ti);
		for (i = 0; i < t->nr_regions; i++) {
			struct mon_region *r = &t->regions[i];

			update_access_rate(r, mon->accessed[i], &mon->attrs);
			if (r->nr_accesses > max_nr)
				max_nr = r->nr_accesses;
		}
	}
	return max_nr;
}

/* kdamond_merge_regions(): repeat with doubling threshold while too many. */
static void merge_regions(struct monitor *mon, uint64_t thres)
{
	uint64_t max_thres = mon->attrs.aggr_us / sample_div(&mon->attrs);
	size_t ti, nr;

	do {
		nr = 0;
		for (ti = 0; ti < mon->nr_targets; ti++) {
			mon_target_merge(&mon->targets[ti],
					 thres > UINT32_MAX ? UINT32_MAX :
					 (uint32_t)thres, mon->sz_limit);
			nr += mon->targets[ti].nr_regions;
		}
		thres = thres ? thres * 2 : 1;
	} while (nr > mon->attrs.max_nr_regions && thres / 2 < max_thres);
}

/* kdamond_reset_aggregated(), with the recording callback in it. */
static void reset_aggregated(struct monitor *mon)
{
	size_t ti, i;

	for (ti = 0; ti < mon->nr_targets; ti++) {
		struct mon_target *t = &mon->targets[ti];

		for (i = 0; i < t->nr_regions; i++) {
			struct mon_region *r = &t->regions[i];

			if (r->nr_accesses_bp == r->nr_accesses * 10000)
				continue;
			r->nr_accesses_bp = r->nr_accesses * 10000;
			mon->nr_bp_fixups++;
		}
	}
	if (mon->hooks.aggregated)
		mon->hooks.aggregated(mon->hooks.data, mon);
	for (ti = 0; ti < mon->nr_targets; ti++) {
		struct mon_target *t = &mon->targets[ti];

		for (i = 0; i < t->nr_regions; i++) {
			t->regions[i].last_nr_accesses =
				t->regions[i].nr_accesses;
			t->regions[i].nr_accesses = 0;
		}
	}
	mon->aggr_start_ns = mon_clock_now_ns(mon->clock);
	mon->nr_aggregations++;
}

/* kdamond_split_regions() */
static void split_regions(struct monitor *mon)
{
	size_t nr = monitor_nr_regions(mon), ti;
	int nr_subs = 2;

	if (nr > mon->attrs.max_nr_regions / 2)
		return;
	if (mon->last_nr_regions == nr && nr < mon->attrs.max_nr_regions / 3)
		nr_subs = 3;
	for (ti = 0; ti < mon->nr_targets; ti++)
		mon_target_split(&mon->targets[ti], nr_subs, mon->min_sz_region,
				 &mon->rand);
	mon->last_nr_regions = (uint32_t)nr;
}

static void ops_update(struct monitor *mon)
{
	struct mon_ranges *rs = &mon->ranges;
	size_t ti;

	if (!mon->src || !mon->src->ops->update_regions)
		return;
	for (ti = 0; ti < mon->nr_targets; ti++) {
		rs->nr = 0;
		if (mon->src->ops->update_regions(mon->src, ti, rs) > 0)
			mon_target_set_ranges(&mon->targets[ti], rs->v, rs->nr,
					      mon->min_sz_region);
	}
}

uint64_t monitor_intervals_adaptation_bp(const struct monitor *mon)
{
	unsigned __int128 events = 0, max_events = 0, target, score;
	uint64_t adapt;
	size_t ti, i;

	for (ti = 0; ti < mon->nr_targets; ti++) {
		const struct mon_target *t = &mon->targets[ti];

		for (i = 0; i < t->nr_regions; i++) {
			uint64_t sz = mon_region_sz(&t->regions[i]);

			max_events += (unsigned __int128)sz *
				      mon->attrs.aggr_samples;
			events += (unsigned __int128)sz *
				  t->regions[i].nr_accesses;
		}
	}
	target = max_events * mon->attrs.goal.access_bp / 10000;
	if (!target)
		target = 1;
	score = events * 10000 / target;
	adapt = damon_feed_loop_next(100000000, score > UINT64_MAX ?
				     UINT64_MAX : (uint64_t)score) / 10000;
	/* shrink at most to half: [1, 10000] becomes [5000, 10000] */
	if (adapt <= 10000)
		adapt = 5000 + adapt / 2;
	return adapt;
}

/* kdamond_tune_intervals() */
static void tune_intervals(struct monitor *mon)
{
	uint64_t adapt = monitor_intervals_adaptation_bp(mon);
	const struct damon_intervals_goal *g = &mon->attrs.goal;
	struct mon_attrs a = mon->attrs;

	if (adapt == 10000)
		return;
	a.sample_us = (uint64_t)((unsigned __int128)mon->attrs.sample_us *
				 adapt / 10000);
	if (a.sample_us > g->max_sample_us)
		a.sample_us = g->max_sample_us;
	if (a.sample_us < g->min_sample_us)
		a.sample_us = g->min_sample_us;
	a.aggr_us = a.sample_us * mon->attrs.aggr_samples;
	if (mon->hooks.intervals_tuned)
		mon->hooks.intervals_tuned(mon->hooks.data, mon, a.sample_us);
	monitor_set_attrs(mon, &a);
}

/* kdamond_need_stop(); also caches each target's validity. */
static bool need_stop(struct monitor *mon)
{
	bool any = false;
	size_t ti;

	if (mon->stop_requested)
		return true;
	if (!mon->src || !mon->src->ops->target_valid)
		return false;
	for (ti = 0; ti < mon->nr_targets; ti++) {
		mon->targets[ti].valid =
			mon->src->ops->target_valid(mon->src, ti);
		any |= mon->targets[ti].valid;
	}
	return !any;
}

static void call_hook(struct monitor *mon)
{
	if (mon->hooks.call)
		mon->hooks.call(mon->hooks.data, mon);
}

/* The aggregation-boundary tail: tune → reset (callback) → split. */
static void end_aggregation(struct monitor *mon, uint64_t agg_deadline)
{
	uint64_t si = sample_div(&mon->attrs);

	if (mon->attrs.goal.aggrs && mon->psi >= mon->next_intervals_tune_sis) {
		/* so that set_attrs() sees the boundary, not mid-aggregation */
		mon->next_aggregation_sis = agg_deadline;
		mon->next_intervals_tune_sis += mon->attrs.aggr_samples *
						mon->attrs.goal.aggrs;
		tune_intervals(mon);
		si = sample_div(&mon->attrs);
	}
	mon->next_aggregation_sis = agg_deadline + mon->attrs.aggr_us / si;
	reset_aggregated(mon);
	split_regions(mon);
}

unsigned int monitor_step(struct monitor *mon)
{
	uint64_t agg_deadline = mon->next_aggregation_sis;
	uint64_t upd_deadline = mon->next_ops_update_sis;
	unsigned int flags = MONITOR_SAMPLED;
	uint64_t wait_us;
	uint32_t max_nr;

	if (mon->stopped || need_stop(mon)) {
		mon->stopped = true;
		damos_engine_walk_cancel(&mon->damos);
		return MONITOR_STOPPED;
	}
	wait_us = damos_engine_wmark_wait_us(&mon->damos);
	if (wait_us) {
		mon_clock_sleep_ns(mon->clock, wait_us * 1000);
		call_hook(mon);
		damos_engine_walk_cancel(&mon->damos);
		return MONITOR_PAUSED;
	}
	prepare_access_checks(mon);
	mon_clock_sleep_ns(mon->clock, mon->attrs.sample_us * 1000);
	mon->psi++;
	max_nr = check_accesses(mon);
	if (mon->psi >= agg_deadline)
		merge_regions(mon, max_nr / 10);
	call_hook(mon);
	if (mon->damos.nr_schemes)
		damos_engine_apply(&mon->damos, mon);
	else
		damos_engine_walk_cancel(&mon->damos);
	if (mon->psi >= agg_deadline) {
		end_aggregation(mon, agg_deadline);
		flags |= MONITOR_AGGREGATED;
	}
	if (mon->psi >= upd_deadline) {
		mon->next_ops_update_sis = upd_deadline +
			mon->attrs.ops_update_us / sample_div(&mon->attrs);
		ops_update(mon);
		mon->sz_limit = region_sz_limit(mon);
	}
	return flags;
}

unsigned int monitor_run(struct monitor *mon, uint64_t nr_aggregations,
			 uint64_t until_ns)
{
	uint64_t goal = mon->nr_aggregations + nr_aggregations;
	unsigned int flags = 0;

	for (;;) {
		if (nr_aggregations && mon->nr_aggregations >= goal)
			break;
		if (until_ns && mon_clock_now_ns(mon->clock) >= until_ns)
			break;
		flags = monitor_step(mon);
		if (flags & MONITOR_STOPPED)
			break;
	}
	return flags;
}
