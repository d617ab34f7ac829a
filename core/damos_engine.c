/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The DAMOS engine's per-iteration application (docs/kernel-damon.md §5.2,
 * §5.3): due schemes, resume points, pattern and score checks, quota
 * splits, stats, tried-regions walks.
 */
#include "core/damos_engine.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/damos_private.h"
#include "core/mon_clock.h"
#include "core/monitor.h"
#include "core/xalloc.h"

static uint64_t align_down(uint64_t v, uint64_t a)
{
	return a ? v / a * a : v;
}

/* Split the filters into the core and ops lists, keeping their order. */
static void index_filters(struct damos_scheme_state *st)
{
	size_t i, n = st->s.nr_filters ? st->s.nr_filters : 1;

	st->core_filters = xcalloc(n, sizeof(*st->core_filters));
	st->ops_filters = xcalloc(n, sizeof(*st->ops_filters));
	for (i = 0; i < st->s.nr_filters; i++) {
		if (damos_filter_is_core(st->s.filters[i].type))
			st->core_filters[st->nr_core_filters++] = i;
		else
			st->ops_filters[st->nr_ops_filters++] = i;
	}
}

static void scheme_state_init(struct damos_scheme_state *st,
			      const struct damos *s,
			      const struct damon_intervals *iv)
{
	const struct damos_access_pattern *p;
	size_t i;

	memset(st, 0, sizeof(*st));
	damos_copy(&st->s, s);
	p = &st->s.pattern;
	st->min_sz = p->min_sz_bytes;
	st->max_sz = p->max_sz_bytes;
	st->min_nr = damos_nr_accesses_to_samples(p, p->min_nr_accesses, iv);
	st->max_nr = damos_nr_accesses_to_samples(p, p->max_nr_accesses, iv);
	st->min_age = damos_age_to_aggr_intervals(p, p->min_age, iv);
	st->max_age = damos_age_to_aggr_intervals(p, p->max_age, iv);
	index_filters(st);
	st->goals = xcalloc(st->s.quota.nr_goals ? st->s.quota.nr_goals : 1,
			    sizeof(*st->goals));
	for (i = 0; i < st->s.quota.nr_goals; i++)
		st->goals[i].current_value = st->s.quota.goals[i].current_value;
	st->quota.charge_target_from = SIZE_MAX;
	st->wmark_activated = true;
}

void damos_engine_init(struct damos_engine *e, const struct damon_ctx *ctx,
		       struct damos_actions *actions,
		       struct damos_metrics *metrics)
{
	size_t si;

	memset(e, 0, sizeof(*e));
	e->actions = actions;
	e->metrics = metrics;
	e->nr_schemes = ctx->nr_schemes;
	e->schemes = xcalloc(ctx->nr_schemes ? ctx->nr_schemes : 1,
			     sizeof(*e->schemes));
	for (si = 0; si < ctx->nr_schemes; si++)
		scheme_state_init(&e->schemes[si], &ctx->schemes[si],
				  &ctx->intervals);
}

void damos_engine_release(struct damos_engine *e)
{
	size_t si;

	for (si = 0; si < e->nr_schemes; si++) {
		struct damos_scheme_state *st = &e->schemes[si];

		damos_release(&st->s);
		free(st->core_filters);
		free(st->ops_filters);
		free(st->goals);
	}
	free(e->schemes);
	memset(e, 0, sizeof(*e));
}

static uint64_t apply_samples(const struct damos_scheme_state *st,
			      const struct monitor *mon)
{
	uint64_t si = mon->attrs.sample_us ? mon->attrs.sample_us : 1;
	uint64_t ai = st->s.apply_interval_us ? st->s.apply_interval_us :
						mon->attrs.aggr_us;

	return ai / si;
}

/* The list's default: reject when its last filter is an allow filter. */
static bool default_reject(const struct damos_scheme_state *st,
			   const size_t *idx, size_t nr)
{
	return nr && st->s.filters[idx[nr - 1]].allow;
}

void damos_engine_start(struct damos_engine *e, const struct monitor *mon)
{
	size_t si;

	for (si = 0; si < e->nr_schemes; si++) {
		struct damos_scheme_state *st = &e->schemes[si];

		st->next_apply_sis = apply_samples(st, mon);
		/* with ops filters, the ops layer has the last word */
		st->core_default_reject = st->nr_ops_filters ? false :
			default_reject(st, st->core_filters,
				       st->nr_core_filters);
		st->ops_default_reject = default_reject(st, st->ops_filters,
							st->nr_ops_filters);
	}
}

void damos_engine_rebase(struct damos_engine *e, const struct monitor *mon)
{
	size_t si;

	for (si = 0; si < e->nr_schemes; si++)
		e->schemes[si].next_apply_sis = mon->psi +
			apply_samples(&e->schemes[si], mon);
}

int damos_engine_set_goal_current(struct damos_engine *e, size_t si,
				  size_t gi, uint64_t value)
{
	if (si >= e->nr_schemes || gi >= e->schemes[si].s.quota.nr_goals)
		return -EINVAL;
	e->schemes[si].goals[gi].current_value = value;
	return 0;
}

int damos_engine_walk(struct damos_engine *e, const struct damos_walk *w)
{
	if (e->walk_pending)
		return -EBUSY;
	if (!e->nr_schemes)
		return -EINVAL;
	e->walk = *w;
	e->walk_pending = true;
	return 0;
}

void damos_engine_walk_cancel(struct damos_engine *e)
{
	struct damos_walk w = e->walk;
	size_t si;

	if (!e->walk_pending)
		return;
	e->walk_pending = false;
	for (si = 0; si < e->nr_schemes; si++)
		e->schemes[si].walk_completed = false;
	if (w.done)
		w.done(w.data, true);
}

/* damos_walk_complete() */
static void walk_complete(struct damos_engine *e, size_t si)
{
	size_t i;

	if (!e->walk_pending)
		return;
	e->schemes[si].walk_completed = true;
	for (i = 0; i < e->nr_schemes; i++) {
		if (!e->schemes[i].walk_completed)
			return;
	}
	for (i = 0; i < e->nr_schemes; i++)
		e->schemes[i].walk_completed = false;
	e->walk_pending = false;
	if (e->walk.done)
		e->walk.done(e->walk.data, false);
}

/*
 * damos_skip_charged_region(): honour the resume point of the last
 * exhausted window; may move *ri to the uncharged right part of a split.
 */
static bool skip_charged(struct monitor *mon, size_t ti, size_t *ri,
			 struct damos_quota_state *q)
{
	struct mon_target *t = &mon->targets[ti];
	struct mon_region *r = &t->regions[*ri];
	uint64_t skip;

	if (q->charge_target_from == SIZE_MAX)
		return false;
	if (ti != q->charge_target_from)
		return true;
	if (*ri == t->nr_regions - 1) {
		q->charge_target_from = SIZE_MAX;
		q->charge_addr_from = 0;
		return true;
	}
	if (q->charge_addr_from && r->end <= q->charge_addr_from)
		return true;
	if (q->charge_addr_from && r->start < q->charge_addr_from) {
		skip = align_down(q->charge_addr_from - r->start,
				  mon->min_sz_region);
		if (!skip) {
			if (mon_region_sz(r) <= mon->min_sz_region)
				return true;
			skip = mon->min_sz_region;
		}
		mon_target_split_at(t, *ri, skip);
		(*ri)++;
	}
	q->charge_target_from = SIZE_MAX;
	q->charge_addr_from = 0;
	return false;
}

static void update_stat(struct damos_scheme_state *st, uint64_t sz,
			uint64_t applied, uint64_t passed)
{
	st->stats.nr_tried++;
	st->stats.sz_tried += sz;
	if (applied)
		st->stats.nr_applied++;
	st->stats.sz_applied += applied;
	st->stats.sz_ops_filter_passed += passed;
}

/* damos_apply_scheme() */
static void apply_scheme(struct damos_engine *e, struct monitor *mon,
			 size_t ti, size_t ri, size_t si)
{
	struct damos_scheme_state *st = &e->schemes[si];
	struct damos_quota_state *q = &st->quota;
	struct mon_target *t = &mon->targets[ti];
	uint64_t sz = mon_region_sz(&t->regions[ri]), applied, passed, t0;

	if (q->esz && q->charged_sz + sz > q->esz) {
		sz = align_down(q->esz - q->charged_sz, mon->min_sz_region);
		if (!sz) {
			update_stat(st, 0, 0, 0);
			return;
		}
		mon_target_split_at(t, ri, sz);
	}
	if (damos_core_filter_out(mon, ti, ri, st))
		return;
	if (mon->hooks.before_apply)
		mon->hooks.before_apply(mon->hooks.data, si, ti,
					&t->regions[ri]);
	t0 = mon_clock_now_ns(mon->clock);
	applied = damos_ops_apply(e, mon, ti, ri, si, &passed);
	if (e->walk_pending && !st->walk_completed && e->walk.region)
		e->walk.region(e->walk.data, si, ti, &t->regions[ri], passed);
	q->total_charged_ns += mon_clock_now_ns(mon->clock) - t0;
	q->charged_sz += sz;
	if (q->esz && q->charged_sz >= q->esz) {
		q->charge_target_from = ti;
		q->charge_addr_from = t->regions[ri].end + 1;
	}
	if (st->s.action != DAMOS_STAT)
		t->regions[ri].age = 0;
	update_stat(st, sz, applied, passed);
}

static bool is_due(const struct damos_scheme_state *st,
		   const struct monitor *mon)
{
	return mon->psi >= st->next_apply_sis && st->wmark_activated;
}

/* damon_do_apply_schemes(): every due scheme on region @ri. */
static void apply_schemes_to(struct damos_engine *e, struct monitor *mon,
			     size_t ti, size_t ri)
{
	struct mon_target *t = &mon->targets[ti];
	size_t si;

	for (si = 0; si < e->nr_schemes; si++) {
		struct damos_scheme_state *st = &e->schemes[si];
		struct damos_quota_state *q = &st->quota;

		if (!is_due(st, mon))
			continue;
		if (q->esz && q->charged_sz >= q->esz)
			continue;
		if (skip_charged(mon, ti, &ri, q))
			continue;
		if (st->s.max_nr_snapshots &&
		    st->s.max_nr_snapshots <= st->stats.nr_snapshots)
			continue;
		if (damos_pattern_ok(st, &t->regions[ri]) &&
		    (!q->esz || damos_region_score(mon, st, &t->regions[ri]) >=
				q->min_score))
			apply_scheme(e, mon, ti, ri, si);
		if (ri == t->nr_regions - 1)
			st->stats.nr_snapshots++;
	}
}

void damos_engine_apply(struct damos_engine *e, struct monitor *mon)
{
	uint64_t si_us = mon->attrs.sample_us ? mon->attrs.sample_us : 1;
	bool any = false;
	size_t si, ti, ri;

	for (si = 0; si < e->nr_schemes; si++) {
		if (!is_due(&e->schemes[si], mon))
			continue;
		any = true;
		damos_quota_adjust(e, mon, si);
	}
	if (!any)
		return;
	for (ti = 0; ti < mon->nr_targets; ti++) {
		struct mon_target *t = &mon->targets[ti];

		if (!t->valid)
			continue;
		/*
		 * Like the kernel's _safe walk, pieces split off region ri
		 * are not visited in this pass.
		 */
		for (ri = 0; ri < t->nr_regions;) {
			size_t before = t->nr_regions;

			apply_schemes_to(e, mon, ti, ri);
			ri += 1 + (t->nr_regions - before);
		}
	}
	for (si = 0; si < e->nr_schemes; si++) {
		struct damos_scheme_state *st = &e->schemes[si];

		if (mon->psi < st->next_apply_sis)
			continue;
		walk_complete(e, si);
		st->next_apply_sis = mon->psi +
			(st->s.apply_interval_us ? st->s.apply_interval_us :
			 mon->attrs.aggr_us) / si_us;
	}
}
