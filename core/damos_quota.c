/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMOS quotas (docs/kernel-damon.md §5.4): charge windows, the goal feedback
 * loop, effective quota, score histogram; plus scores, watermarks (§5.7)
 * and the fake metrics provider.
 */
#include "core/damos_engine.h"

#include <errno.h>
#include <string.h>

#include "core/damos_private.h"
#include "core/mon_clock.h"
#include "core/monitor.h"

#define PAGE_SZ 4096ULL

uint64_t damon_feed_loop_next(uint64_t last, uint64_t score)
{
	const uint64_t goal = 10000, min_input = 10000;
	uint64_t diff, comp;
	bool over = score > goal;

	if (score == goal)
		return last;
	if (score >= goal * 2)
		return min_input;
	diff = over ? score - goal : goal - score;
	if (last < UINT64_MAX / diff)
		comp = last * diff / goal;
	else
		comp = last / goal * diff;
	if (over)
		return last - comp > min_input ? last - comp : min_input;
	if (last < UINT64_MAX - comp)
		return last + comp;
	return UINT64_MAX;
}

unsigned int damon_hot_score(uint32_t nr_accesses, uint32_t age,
			     uint32_t max_nr_accesses, uint64_t aggr_us,
			     uint64_t weight_nr, uint64_t weight_age)
{
	uint64_t freq, age_sec, age_sub, hot;
	int age_log;

	freq = (uint64_t)nr_accesses * 100 / (max_nr_accesses ?
					       max_nr_accesses : 1);
	/* 6.18 uses raw nr_accesses; newer kernels clamp to 100 */
	if (freq > 100)
		freq = 100;
	age_sec = (uint64_t)((unsigned __int128)age * aggr_us / 1000000);
	for (age_log = 0; age_log < 32 && age_sec; age_log++)
		age_sec >>= 1;
	if (!freq)
		age_log = -age_log;	/* old and idle is cold */
	age_sub = (uint64_t)(age_log + 32) * 100 / 32 / 2;
	hot = weight_nr * freq + weight_age * age_sub;
	if (weight_nr + weight_age)
		hot /= weight_nr + weight_age;
	hot = hot * DAMOS_MAX_SCORE / 100;
	return hot > DAMOS_MAX_SCORE ? DAMOS_MAX_SCORE : (unsigned int)hot;
}

unsigned int damos_action_score(enum damos_action action, unsigned int hot)
{
	switch (action) {
	case DAMOS_PAGEOUT:
	case DAMOS_LRU_DEPRIO:
	case DAMOS_MIGRATE_COLD:
		return DAMOS_MAX_SCORE - hot;
	case DAMOS_LRU_PRIO:
	case DAMOS_MIGRATE_HOT:
		return hot;
	default:
		return DAMOS_MAX_SCORE;
	}
}

unsigned int damos_region_score(const struct monitor *mon,
				const struct damos_scheme_state *st,
				const struct mon_region *r)
{
	const struct damos_quota *q = &st->s.quota;
	unsigned int hot;

	hot = damon_hot_score(r->nr_accesses, r->age,
			      mon_attrs_max_nr_accesses(&mon->attrs),
			      mon->attrs.aggr_us, q->weight_nr_accesses_permil,
			      q->weight_age_permil);
	return damos_action_score(st->s.action, hot);
}

bool damos_pattern_ok(const struct damos_scheme_state *st,
		      const struct mon_region *r)
{
	uint64_t sz = mon_region_sz(r), nr = r->nr_accesses_bp / 10000;

	return st->min_sz <= sz && sz <= st->max_sz &&
	       st->min_nr <= nr && nr <= st->max_nr &&
	       st->min_age <= r->age && r->age <= st->max_age;
}

static uint64_t goal_current(struct damos_engine *e,
			     const struct damos_quota_goal *g,
			     struct damos_goal_state *gs)
{
	struct damos_metrics *m = e->metrics;
	uint64_t v = 0;

	switch (g->metric) {
	case DAMOS_QGOAL_USER_INPUT:
		return gs->current_value;
	case DAMOS_QGOAL_SOME_MEM_PSI_US:
		if (m && m->ops->psi_some_mem_total_us &&
		    m->ops->psi_some_mem_total_us(m, &v))
			v = 0;
		gs->current_value = v - gs->last_psi_total;
		gs->last_psi_total = v;
		return gs->current_value;
	default:
		if (!m || !m->ops->goal_value || m->ops->goal_value(m, g, &v))
			v = 0;
		gs->current_value = v;
		return v;
	}
}

/* damos_quota_score(): the highest goal score wins (most conservative). */
static uint64_t quota_score(struct damos_engine *e,
			    struct damos_scheme_state *st)
{
	uint64_t best = 0, score;
	size_t i;

	for (i = 0; i < st->s.quota.nr_goals; i++) {
		const struct damos_quota_goal *g = &st->s.quota.goals[i];
		unsigned __int128 cur = goal_current(e, g, &st->goals[i]);

		if (!g->target_value)
			continue;
		cur = cur * 10000 / g->target_value;
		score = cur > UINT64_MAX ? UINT64_MAX : (uint64_t)cur;
		if (score > best)
			best = score;
	}
	return best;
}

/* mult_frac(x, n, d) without the intermediate overflow */
static uint64_t mult_frac(uint64_t x, uint64_t n, uint64_t d)
{
	return x / d * n + x % d * n / d;
}

static uint64_t sat_mul(uint64_t a, uint64_t b)
{
	return b && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

/* damos_set_effective_quota() */
static void set_effective_quota(struct damos_engine *e,
				struct damos_scheme_state *st)
{
	const struct damos_quota *q = &st->s.quota;
	struct damos_quota_state *qs = &st->quota;
	uint64_t esz = UINT64_MAX, thr;

	if (!q->time_ms && !q->nr_goals) {
		qs->esz = q->sz_bytes;
		return;
	}
	if (q->nr_goals) {
		uint64_t score = quota_score(e, st);

		qs->esz_bp = damon_feed_loop_next(qs->esz_bp > 10000 ?
						  qs->esz_bp : 10000, score);
		esz = qs->esz_bp / 10000;
	}
	if (q->time_ms) {
		if (qs->total_charged_ns)
			thr = mult_frac(qs->total_charged_sz, 1000000,
					qs->total_charged_ns);
		else
			thr = PAGE_SZ * 1024;
		thr = sat_mul(thr, q->time_ms);
		esz = thr < esz ? thr : esz;
	}
	if (q->sz_bytes && q->sz_bytes < esz)
		esz = q->sz_bytes;
	qs->esz = esz;
}

static void set_min_score(struct damos_engine *e, struct monitor *mon,
			  struct damos_scheme_state *st)
{
	unsigned int sc, max_score = 0;
	uint64_t cum = 0;
	size_t ti, i;

	memset(e->hist, 0, sizeof(e->hist));
	for (ti = 0; ti < mon->nr_targets; ti++) {
		const struct mon_target *t = &mon->targets[ti];

		for (i = 0; i < t->nr_regions; i++) {
			const struct mon_region *r = &t->regions[i];

			if (!damos_pattern_ok(st, r))
				continue;
			sc = damos_region_score(mon, st, r);
			e->hist[sc] += mon_region_sz(r);
			if (sc > max_score)
				max_score = sc;
		}
	}
	for (sc = max_score;; sc--) {
		cum += e->hist[sc];
		if (cum >= st->quota.esz || !sc)
			break;
	}
	st->quota.min_score = sc;
}

void damos_quota_adjust(struct damos_engine *e, struct monitor *mon,
			size_t si)
{
	struct damos_scheme_state *st = &e->schemes[si];
	const struct damos_quota *q = &st->s.quota;
	struct damos_quota_state *qs = &st->quota;
	uint64_t now, reset_ns, old;

	if (!q->time_ms && !q->sz_bytes && !q->nr_goals)
		return;
	now = mon_clock_now_ns(mon->clock);
	if (!qs->window_started) {
		qs->window_started = true;
		qs->charged_from_ns = now;
		set_effective_quota(e, st);
	}
	reset_ns = sat_mul(q->reset_interval_ms, 1000000);
	if (now - qs->charged_from_ns >= reset_ns) {
		if (qs->esz && qs->charged_sz >= qs->esz)
			st->stats.qt_exceeds++;
		qs->total_charged_sz += qs->charged_sz;
		qs->charged_from_ns = now;
		qs->charged_sz = 0;
		old = qs->esz;
		set_effective_quota(e, st);
		if (qs->esz != old && mon->hooks.esz_changed)
			mon->hooks.esz_changed(mon->hooks.data, si, qs->esz);
	}
	set_min_score(e, mon, st);
}

uint64_t damos_wmark_wait(const struct damos_watermarks *w, bool *activated,
			  uint64_t m)
{
	if (m > w->high_permil || w->low_permil > m) {
		*activated = false;
		return w->interval_us;
	}
	if (w->high_permil >= m && m >= w->mid_permil && !*activated)
		return w->interval_us;
	*activated = true;
	return 0;
}

uint64_t damos_engine_wmark_wait_us(struct damos_engine *e)
{
	struct damos_metrics *m = e->metrics;
	uint64_t wait, min_wait = 0, v;
	bool first = true;
	size_t si;

	for (si = 0; si < e->nr_schemes; si++) {
		struct damos_scheme_state *st = &e->schemes[si];

		wait = 0;
		if (st->s.wmarks.metric == DAMOS_WMARK_FREE_MEM_RATE && m &&
		    m->ops->free_mem_rate && !m->ops->free_mem_rate(m, &v))
			wait = damos_wmark_wait(&st->s.wmarks,
						&st->wmark_activated, v);
		if (first || wait < min_wait) {
			first = false;
			min_wait = wait;
		}
	}
	return min_wait;
}

static int fake_psi(struct damos_metrics *m, uint64_t *us)
{
	struct damos_fake_metrics *f = (struct damos_fake_metrics *)m;

	*us = f->psi_some_mem_total_us;
	return f->err;
}

static int fake_goal(struct damos_metrics *m, const struct damos_quota_goal *g,
		     uint64_t *value)
{
	struct damos_fake_metrics *f = (struct damos_fake_metrics *)m;

	if (g->metric >= NR_DAMOS_QGOAL_METRICS)
		return -EINVAL;
	*value = f->goal_value[g->metric];
	return f->err;
}

static int fake_free_mem_rate(struct damos_metrics *m, uint64_t *permil)
{
	struct damos_fake_metrics *f = (struct damos_fake_metrics *)m;

	*permil = f->free_mem_rate_permil;
	return f->err;
}

static const struct damos_metrics_ops fake_metrics_ops = {
	.psi_some_mem_total_us = fake_psi,
	.goal_value = fake_goal,
	.free_mem_rate = fake_free_mem_rate,
};

void damos_fake_metrics_init(struct damos_fake_metrics *m)
{
	memset(m, 0, sizeof(*m));
	m->base.ops = &fake_metrics_ops;
	m->free_mem_rate_permil = 500;
}
