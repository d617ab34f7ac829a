/* SPDX-License-Identifier: GPL-2.0 */
/* Build DAMOS schemes from the --damos-* options, one per --damos-action. */
#include "damon_opts.h"

#include <stdlib.h>
#include <string.h>

#include "cmd/damon_opts_internal.h"
#include "core/damon.h"
#include "core/units.h"
#include "core/xalloc.h"

/* Options whose i-th occurrence applies to the i-th scheme. */
static const int per_scheme_keys[] = {
	DOPT_DAMOS_SZ_REGION, DOPT_DAMOS_ACCESS_RATE, DOPT_DAMOS_AGE,
	DOPT_DAMOS_APPLY_INTERVAL, DOPT_DAMOS_QUOTAS,
	DOPT_DAMOS_QUOTA_INTERVAL, DOPT_DAMOS_QUOTA_TIME,
	DOPT_DAMOS_QUOTA_SPACE, DOPT_DAMOS_QUOTA_WEIGHTS,
	DOPT_DAMOS_QUOTA_GOAL_TUNER, DOPT_DAMOS_FAIL_CHARGE,
	DOPT_DAMOS_WMARKS, DOPT_DAMOS_MAX_NR_SNAPSHOTS,
};

/* The alternative to --damos-quotas, one value per option. */
static const int quota_alt_keys[] = {
	DOPT_DAMOS_QUOTA_INTERVAL, DOPT_DAMOS_QUOTA_TIME,
	DOPT_DAMOS_QUOTA_SPACE, DOPT_DAMOS_QUOTA_WEIGHTS,
};

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

static void check_counts(const struct damon_opts_args *a, size_t nr,
			 struct diag *d)
{
	size_t i, n;
	int key;

	if (!nr) {
		for (key = DOPT_DAMOS_ACTION + 1; key <= DOPT_DAMOS_LAST; key++)
			if (dopts_count(a, key))
				dopts_err(d, key,
					  "needs --%s: each scheme starts with one",
					  dopts_name(DOPT_DAMOS_ACTION));
		return;
	}
	for (i = 0; i < ARRAY_SIZE(per_scheme_keys); i++) {
		n = dopts_count(a, per_scheme_keys[i]);
		if (n > nr)
			dopts_err(d, per_scheme_keys[i],
				  "given %zu times for %zu scheme%s; each --%s opens one scheme",
				  n, nr, plural(nr),
				  dopts_name(DOPT_DAMOS_ACTION));
	}
	if (!dopts_count(a, DOPT_DAMOS_QUOTAS))
		return;
	for (i = 0; i < ARRAY_SIZE(quota_alt_keys); i++)
		if (dopts_count(a, quota_alt_keys[i]))
			dopts_err(d, quota_alt_keys[i],
				  "cannot be used with --%s",
				  dopts_name(DOPT_DAMOS_QUOTAS));
}

/*
 * How many occurrences of @item_key (goals, filters) go to each of the @nr
 * schemes: all to the only scheme, else as --damos-nr-* says.  Return an
 * array of @nr counts (owned by the caller), or NULL after a diag entry.
 */
static size_t *split_counts(const struct damon_opts_args *a, int item_key,
			    int nr_key, size_t nr, struct diag *d)
{
	size_t nr_items = dopts_count(a, item_key), n = 0, sum = 0, i, j;
	const struct damon_opt_occ *o;
	size_t *per = xcalloc(nr, sizeof(*per));
	uint64_t v;

	if (!dopts_count(a, nr_key)) {
		if (nr_items && nr > 1)
			goto err_need;
		per[0] = nr_items;
		return per;
	}
	for (i = 0; (o = dopts_nth(a, nr_key, i)); i++) {
		for (j = 0; j < o->nr_vals; j++, n++) {
			if (dopts_nr(d, nr_key, o->vals[j], &v))
				goto err_free;
			if (v > nr_items)
				v = nr_items + 1;
			if (n < nr)
				per[n] = v;
			sum += v;
		}
	}
	if (n != nr) {
		dopts_err(d, nr_key, "%zu value%s given for %zu scheme%s", n,
			  plural(n), nr, plural(nr));
		goto err_free;
	}
	if (sum != nr_items) {
		dopts_err(d, nr_key,
			  "the values add up to %zu, but --%s is given %zu time%s",
			  sum, dopts_name(item_key), nr_items,
			  plural(nr_items));
		goto err_free;
	}
	return per;

err_need:
	dopts_err(d, item_key,
		  "with %zu schemes, say how many go to each with --%s", nr,
		  dopts_name(nr_key));
err_free:
	free(per);
	return NULL;
}

static const char *action_kw(int i)
{
	return damos_action_name(i);
}

static void build_dests(const struct damon_opt_occ *o, struct damos *s,
			struct diag *d)
{
	struct damos_dest *dest;
	uint64_t id, weight;
	size_t i;

	for (i = 1; i + 1 < o->nr_vals; i += 2) {
		if (dopts_nr(d, o->key, o->vals[i], &id) ||
		    dopts_nr(d, o->key, o->vals[i + 1], &weight))
			continue;
		dest = damos_add_dest(s);
		dest->id = id;
		dest->weight = weight;
	}
}

/* ACTION [NID | ID WEIGHT...] */
static void build_action(const struct damon_opt_occ *o, struct damos *s,
			 struct diag *d)
{
	size_t nr_args = o->nr_vals - 1;
	char kw[256];
	int act;

	act = damos_action_from_name(o->vals[0]);
	if (act < 0) {
		dopts_err(d, o->key, "'%s' is not a DAMOS action (%s)",
			  o->vals[0], dopts_keywords(kw, sizeof(kw), action_kw,
						     NR_DAMOS_ACTIONS));
		return;
	}
	s->action = act;
	if (act != DAMOS_MIGRATE_HOT && act != DAMOS_MIGRATE_COLD) {
		if (nr_args)
			dopts_err(d, o->key,
				  "action '%s' takes no value, got '%s'",
				  o->vals[0], o->vals[1]);
		return;
	}
	if (nr_args == 1) {
		if (!dopts_i64(d, o->key, o->vals[1], "a NUMA node id",
			       &s->target_nid))
			s->has_target_nid = true;
		return;
	}
	if (!nr_args || nr_args % 2) {
		dopts_err(d, o->key,
			  "action '%s' needs a NUMA node id or pairs of destination node id and weight, got %zu value%s",
			  o->vals[0], nr_args, plural(nr_args));
		return;
	}
	build_dests(o, s, d);
}


/* An access rate: 0 to 100 % of the samples, or "max". */
static void access_rate(struct diag *d, int key, const char *s, uint64_t *bp)
{
	uint64_t v;

	if (dopts_percent_bp(d, key, s, &v))
		return;
	if (v != UINT64_MAX && v > 10000) {
		dopts_err(d, key, "'%s' is more than 100 %% (access rates are 0 to 100 %%)",
			  s);
		return;
	}
	*bp = v;
}
static void build_pattern(const struct damon_opts_args *a, size_t i,
			  struct damos_access_pattern *p, struct diag *d)
{
	const struct damon_opt_occ *o;

	o = dopts_nth(a, DOPT_DAMOS_SZ_REGION, i);
	if (o) {
		dopts_size(d, o->key, o->vals[0], &p->min_sz_bytes);
		dopts_size(d, o->key, o->vals[1], &p->max_sz_bytes);
	}
	o = dopts_nth(a, DOPT_DAMOS_ACCESS_RATE, i);
	if (o) {
		p->nr_accesses_unit = DAMOS_NR_ACCESSES_PERCENT;
		access_rate(d, o->key, o->vals[0], &p->min_nr_accesses);
		access_rate(d, o->key, o->vals[1], &p->max_nr_accesses);
	}
	o = dopts_nth(a, DOPT_DAMOS_AGE, i);
	if (o) {
		p->age_unit = DAMOS_AGE_US;
		dopts_time(d, o->key, o->vals[0], UNITS_US, &p->min_age);
		dopts_time(d, o->key, o->vals[1], UNITS_US, &p->max_age);
	}
}

static void build_weights(const struct damon_opt_occ *o, size_t from,
			  struct damos_quota *q, struct diag *d)
{
	uint64_t *w[] = {
		&q->weight_sz_permil, &q->weight_nr_accesses_permil,
		&q->weight_age_permil,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(w) && from + i < o->nr_vals; i++)
		dopts_ratio(d, o->key, o->vals[from + i], UNITS_PERMIL, w[i]);
}

/* --damos-quotas or its alternative; return whether a reset interval is set. */
static bool build_quota(const struct damon_opts_args *a, size_t i,
			struct damos_quota *q, struct diag *d)
{
	const struct damon_opt_occ *o, *iv, *t, *sz, *w;

	o = dopts_nth(a, DOPT_DAMOS_QUOTAS, i);
	if (o) {
		dopts_time(d, o->key, o->vals[0], UNITS_MS, &q->time_ms);
		if (o->nr_vals > 1)
			dopts_size(d, o->key, o->vals[1], &q->sz_bytes);
		if (o->nr_vals > 2)
			dopts_time(d, o->key, o->vals[2], UNITS_MS,
				   &q->reset_interval_ms);
		build_weights(o, 3, q, d);
		return o->nr_vals > 2;
	}
	iv = dopts_nth(a, DOPT_DAMOS_QUOTA_INTERVAL, i);
	t = dopts_nth(a, DOPT_DAMOS_QUOTA_TIME, i);
	sz = dopts_nth(a, DOPT_DAMOS_QUOTA_SPACE, i);
	w = dopts_nth(a, DOPT_DAMOS_QUOTA_WEIGHTS, i);
	if (!iv && !t && !sz && !w)
		return false;
	/* damo gives every priority the same weight in this form. */
	q->weight_sz_permil = 1;
	q->weight_nr_accesses_permil = 1;
	q->weight_age_permil = 1;
	if (iv)
		dopts_time(d, iv->key, iv->vals[0], UNITS_MS,
			   &q->reset_interval_ms);
	if (t)
		dopts_time(d, t->key, t->vals[0], UNITS_MS, &q->time_ms);
	if (sz)
		dopts_size(d, sz->key, sz->vals[0], &q->sz_bytes);
	if (w)
		build_weights(w, 0, q, d);
	return iv != NULL;
}

static const char *metric_kw(int i)
{
	return damos_qgoal_metric_name(i);
}

/* What a goal of metric @m takes after its target value, for messages. */
static const char *goal_opts(enum damos_quota_goal_metric m, size_t *min,
			     size_t *max)
{
	if (damos_qgoal_needs_path(m)) {
		*min = *max = 2;
		return "NID MEMCG_PATH";
	}
	if (damos_qgoal_needs_nid(m)) {
		*min = *max = 1;
		return "NID";
	}
	*min = m == DAMOS_QGOAL_USER_INPUT;
	*max = 1;
	return *min ? "CURRENT" : "[CURRENT]";
}

static void build_goal_values(const struct damon_opt_occ *o,
			      struct damos_quota_goal *g, struct diag *d)
{
	const char *target = o->vals[1];

	if (g->metric == DAMOS_QGOAL_SOME_MEM_PSI_US)
		dopts_time(d, o->key, target, UNITS_US, &g->target_value);
	else if (damos_qgoal_is_bp(g->metric) ||
		 g->metric == DAMOS_QGOAL_NODE_ELIGIBLE_MEM_BP)
		dopts_ratio(d, o->key, target, UNITS_BP, &g->target_value);
	else
		dopts_nr(d, o->key, target, &g->target_value);
	if (o->nr_vals < 3)
		return;
	if (!damos_qgoal_needs_nid(g->metric)) {
		dopts_nr(d, o->key, o->vals[2], &g->current_value);
		return;
	}
	if (!dopts_i64(d, o->key, o->vals[2], "a NUMA node id", &g->nid))
		g->has_nid = true;
	if (o->nr_vals > 3)
		g->path = xstrdup(o->vals[3]);
}

/* METRIC TARGET [CURRENT | NID [MEMCG_PATH]] */
static void build_goal(const struct damon_opt_occ *o, struct damos *s,
		       struct diag *d)
{
	size_t nr_opts = o->nr_vals - 2, min, max;
	struct damos_quota_goal *g;
	const char *what;
	char kw[256];
	int m;

	m = damos_qgoal_metric_from_name(o->vals[0]);
	if (m < 0) {
		dopts_err(d, o->key, "'%s' is not a quota goal metric (%s)",
			  o->vals[0], dopts_keywords(kw, sizeof(kw), metric_kw,
						     NR_DAMOS_QGOAL_METRICS));
		return;
	}
	what = goal_opts(m, &min, &max);
	if (nr_opts < min || nr_opts > max) {
		dopts_err(d, o->key,
			  "metric '%s' takes %s after the target value, got %zu value%s",
			  o->vals[0], what, nr_opts, plural(nr_opts));
		return;
	}
	g = damos_add_goal(s);
	g->metric = m;
	build_goal_values(o, g, d);
}

static const char *tuner_kw(int i)
{
	return damos_goal_tuner_name(i);
}

static const char *wmark_kw(int i)
{
	return damos_wmark_metric_name(i);
}

static void build_wmarks(const struct damon_opt_occ *o,
			 struct damos_watermarks *w, struct diag *d)
{
	char kw[128];
	int m = damos_wmark_metric_from_name(o->vals[0]);

	if (m < 0)
		dopts_err(d, o->key, "'%s' is not a watermarks metric (%s)",
			  o->vals[0], dopts_keywords(kw, sizeof(kw), wmark_kw,
						     NR_DAMOS_WMARK_METRICS));
	else
		w->metric = m;
	dopts_time(d, o->key, o->vals[1], UNITS_US, &w->interval_us);
	dopts_ratio(d, o->key, o->vals[2], UNITS_PERMIL, &w->high_permil);
	dopts_ratio(d, o->key, o->vals[3], UNITS_PERMIL, &w->mid_permil);
	dopts_ratio(d, o->key, o->vals[4], UNITS_PERMIL, &w->low_permil);
}

/* The options that take one or two plain values. */
static void build_misc(const struct damon_opts_args *a, size_t i,
		       struct damos *s, struct diag *d)
{
	const struct damon_opt_occ *o;
	char kw[128];
	int t;

	o = dopts_nth(a, DOPT_DAMOS_APPLY_INTERVAL, i);
	if (o)
		dopts_time(d, o->key, o->vals[0], UNITS_US,
			   &s->apply_interval_us);
	o = dopts_nth(a, DOPT_DAMOS_QUOTA_GOAL_TUNER, i);
	if (o) {
		t = damos_goal_tuner_from_name(o->vals[0]);
		if (t < 0)
			dopts_err(d, o->key, "'%s' is not a goal tuner (%s)",
				  o->vals[0],
				  dopts_keywords(kw, sizeof(kw), tuner_kw,
						 NR_DAMOS_GOAL_TUNERS));
		else
			s->quota.goal_tuner = t;
	}
	o = dopts_nth(a, DOPT_DAMOS_FAIL_CHARGE, i);
	if (o) {
		dopts_nr(d, o->key, o->vals[0], &s->quota.fail_charge_num);
		dopts_nr(d, o->key, o->vals[1], &s->quota.fail_charge_denom);
	}
	o = dopts_nth(a, DOPT_DAMOS_WMARKS, i);
	if (o)
		build_wmarks(o, &s->wmarks, d);
	o = dopts_nth(a, DOPT_DAMOS_MAX_NR_SNAPSHOTS, i);
	if (o)
		dopts_nr(d, o->key, o->vals[0], &s->max_nr_snapshots);
}

/* Occurrences [@from, @from + @nr) of --damos-filter, as one scheme's. */
static void build_scheme_filters(const struct damon_opts_args *a, size_t from,
				 size_t nr, struct damos *s, struct diag *d)
{
	const struct damon_opt_occ **occ;
	size_t i;

	if (!nr)
		return;
	occ = xreallocarray(NULL, nr, sizeof(*occ));
	for (i = 0; i < nr; i++)
		occ[i] = dopts_nth(a, DOPT_DAMOS_FILTER, from + i);
	dopts_build_filters(occ, nr, s, d);
	free(occ);
}

/* The @i-th scheme; its goals and filters start at @goal and @filter. */
static void build_scheme(const struct damon_opts_args *a, size_t i,
			 size_t goal, size_t nr_goals, size_t filter,
			 size_t nr_filters, struct damos *s, struct diag *d)
{
	bool has_reset;
	size_t j;

	build_action(dopts_nth(a, DOPT_DAMOS_ACTION, i), s, d);
	build_pattern(a, i, &s->pattern, d);
	has_reset = build_quota(a, i, &s->quota, d);
	for (j = 0; j < nr_goals; j++)
		build_goal(dopts_nth(a, DOPT_DAMOS_QUOTA_GOAL, goal + j), s, d);
	if (nr_goals && !has_reset)
		dopts_err(d, DOPT_DAMOS_QUOTA_GOAL,
			  "quota goals need a quota reset interval: give --%s with at least 3 values, or --%s",
			  dopts_name(DOPT_DAMOS_QUOTAS),
			  dopts_name(DOPT_DAMOS_QUOTA_INTERVAL));
	build_misc(a, i, s, d);
	build_scheme_filters(a, filter, nr_filters, s, d);
}

void dopts_build_schemes(const struct damon_opts_args *a, struct damon_ctx *c,
			 struct diag *d)
{
	size_t nr = dopts_count(a, DOPT_DAMOS_ACTION);
	size_t *goals, *filters, goal = 0, filter = 0, i;
	struct damos *s;

	check_counts(a, nr, d);
	if (!nr)
		return;
	goals = split_counts(a, DOPT_DAMOS_QUOTA_GOAL,
			     DOPT_DAMOS_NR_QUOTA_GOALS, nr, d);
	filters = split_counts(a, DOPT_DAMOS_FILTER, DOPT_DAMOS_NR_FILTERS,
			       nr, d);
	for (i = 0; i < nr; i++) {
		s = damon_ctx_add_scheme(c);
		build_scheme(a, i, goal, goals ? goals[i] : 0, filter,
			     filters ? filters[i] : 0, s, d);
		goal += goals ? goals[i] : 0;
		filter += filters ? filters[i] : 0;
	}
	free(goals);
	free(filters);
}
