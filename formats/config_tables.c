/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kdamonds document of docs/damo-compat.md §2.2, object by object, in damo's
 * key order (§2.3): one table per object serves both reading and writing.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/damon.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "formats/config.h"
#include "formats/config_internal.h"
#include "formats/doc.h"

#define FLD(type, member) offsetof(type, member)

/* Keywords */

static int rd_keyword(struct cfg_reader *r, const struct doc_node *n,
		      int (*lookup)(const char *), const char *(*name)(int),
		      int nr, const char *what, int *dst)
{
	const char *s = rd_text(r, n);
	char list[512] = "";
	int i, v;

	if (!s)
		return -EINVAL;
	v = lookup(s);
	if (v >= 0) {
		*dst = v;
		return 0;
	}
	for (i = 0; i < nr; i++) {
		strncat(list, i ? ", " : "", sizeof(list) - strlen(list) - 1);
		strncat(list, name(i), sizeof(list) - strlen(list) - 1);
	}
	rd_err(r, n, "'%s' is not a %s (one of: %s)", s, what, list);
	return -EINVAL;
}

static const char *ops_nm(int v) { return damon_ops_name(v); }
static const char *action_nm(int v) { return damos_action_name(v); }
static const char *ftype_nm(int v) { return damos_filter_type_name(v); }
static const char *metric_nm(int v) { return damos_qgoal_metric_name(v); }
static const char *tuner_nm(int v) { return damos_goal_tuner_name(v); }
static const char *wmark_nm(int v) { return damos_wmark_metric_name(v); }

#define KEYWORD_FIELD(fn, type, member, lookup, nm, nr, what)		\
static int rd_##fn(struct cfg_reader *r, const struct doc_node *n,	\
		   void *obj)						\
{									\
	int v;								\
	int err = rd_keyword(r, n, lookup, nm, nr, what, &v);		\
									\
	if (!err)							\
		((type *)obj)->member = v;				\
	return err;							\
}									\
static struct doc_node *wr_##fn(const void *obj, bool raw)		\
{									\
	(void)raw;							\
	return doc_new_string(nm(((const type *)obj)->member));	\
}

KEYWORD_FIELD(ops, struct damon_ctx, ops, damon_ops_from_name, ops_nm,
	      NR_DAMON_OPS, "DAMON operations set")
KEYWORD_FIELD(action, struct damos, action, damos_action_from_name,
	      action_nm, NR_DAMOS_ACTIONS, "DAMOS action")
KEYWORD_FIELD(ftype, struct damos_filter, type, damos_filter_type_from_name,
	      ftype_nm, NR_DAMOS_FILTER_TYPES, "filter type")
KEYWORD_FIELD(ptype, struct damon_probe_filter, type,
	      damos_filter_type_from_name, ftype_nm, NR_DAMOS_FILTER_TYPES,
	      "filter type")
KEYWORD_FIELD(metric, struct damos_quota_goal, metric,
	      damos_qgoal_metric_from_name, metric_nm, NR_DAMOS_QGOAL_METRICS,
	      "quota goal metric")
KEYWORD_FIELD(tuner, struct damos_quota, goal_tuner,
	      damos_goal_tuner_from_name, tuner_nm, NR_DAMOS_GOAL_TUNERS,
	      "goal tuner")
KEYWORD_FIELD(wmark, struct damos_watermarks, metric,
	      damos_wmark_metric_from_name, wmark_nm, NR_DAMOS_WMARK_METRICS,
	      "watermarks metric")

/* Sub-objects that live in the parent struct */

#define SUBOBJ_FIELD(fn, fields, type, member)				\
static int rd_##fn(struct cfg_reader *r, const struct doc_node *n,	\
		   void *obj)						\
{									\
	return rd_obj(r, n, fields, &((type *)obj)->member);		\
}									\
static struct doc_node *wr_##fn(const void *obj, bool raw)		\
{									\
	return wr_obj(fields, &((const type *)obj)->member, raw);	\
}

static const struct cfg_field goal_iv_fields[] = {
	{ "access_bp", CK_BP, FLD(struct damon_intervals_goal, access_bp), CF_REQ },
	{ "aggrs", CK_NR, FLD(struct damon_intervals_goal, aggrs), CF_REQ },
	{ "min_sample_us", CK_US, FLD(struct damon_intervals_goal, min_sample_us), CF_REQ },
	{ "max_sample_us", CK_US, FLD(struct damon_intervals_goal, max_sample_us), CF_REQ },
	{ NULL }
};

SUBOBJ_FIELD(iv_goal, goal_iv_fields, struct damon_intervals, goal)

static const struct cfg_field intervals_fields[] = {
	{ "sample_us", CK_US, FLD(struct damon_intervals, sample_us), CF_REQ },
	{ "aggr_us", CK_US, FLD(struct damon_intervals, aggr_us), CF_REQ },
	{ "ops_update_us", CK_US, FLD(struct damon_intervals, ops_update_us), CF_REQ },
	{ "intervals_goal", CK_CUSTOM, 0, 0, 0, rd_iv_goal, wr_iv_goal },
	{ NULL }
};

SUBOBJ_FIELD(intervals, intervals_fields, struct damon_ctx, intervals)

/* nr_regions {min, max} maps onto two fields of the context itself. */
static const struct cfg_field nr_regions_fields[] = {
	{ "min", CK_NR, FLD(struct damon_ctx, min_nr_regions), CF_REQ },
	{ "max", CK_NR, FLD(struct damon_ctx, max_nr_regions), CF_REQ },
	{ NULL }
};

static int rd_nr_regions(struct cfg_reader *r, const struct doc_node *n,
			 void *obj)
{
	return rd_obj(r, n, nr_regions_fields, obj);
}

static struct doc_node *wr_nr_regions(const void *obj, bool raw)
{
	return wr_obj(nr_regions_fields, obj, raw);
}

/* Lists */

#define LIST_FIELD(fn, ptype, arr, nr, add, fields)			\
static void *add_##fn(void *obj) { return add(obj); }			\
static int rd_item_##fn(struct cfg_reader *r, const struct doc_node *n,\
			void *item)					\
{									\
	return rd_obj(r, n, fields, item);				\
}									\
static int rd_##fn(struct cfg_reader *r, const struct doc_node *n,	\
		   void *obj)						\
{									\
	return rd_list(r, n, obj, add_##fn, rd_item_##fn);		\
}									\
static struct doc_node *wr_##fn(const void *obj, bool raw)		\
{									\
	const ptype *p = obj;						\
	struct doc_node *seq = doc_new_seq();				\
	size_t i;							\
									\
	for (i = 0; i < p->nr; i++)					\
		doc_seq_add(seq, wr_obj(fields, &p->arr[i], raw));	\
	return seq;							\
}									\
static bool __attribute__((unused)) has_##fn(const void *obj)		\
{									\
	return ((const ptype *)obj)->nr > 0;				\
}

static const struct cfg_field region_fields[] = {
	{ "start", CK_ADDR, FLD(struct damon_addr_range, start), CF_REQ },
	{ "end", CK_ADDR, FLD(struct damon_addr_range, end), CF_REQ },
	{ NULL }
};

static void *target_add_region(void *t) { return damon_target_add_region(t); }
LIST_FIELD(regions, struct damon_target, regions, nr_regions,
	   target_add_region, region_fields)

static const struct cfg_field target_fields[] = {
	{ "pid", CK_I64, FLD(struct damon_target, pid), CF_REQ | CF_NULLABLE,
	  FLD(struct damon_target, has_pid) },
	{ "obsolete", CK_BOOL, FLD(struct damon_target, obsolete),
	  CF_SKIP_DEFAULT },
	{ "regions", CK_CUSTOM, 0, CF_REQ, 0, rd_regions, wr_regions },
	{ NULL }
};

static void *ctx_add_target(void *c) { return damon_ctx_add_target(c); }
LIST_FIELD(targets, struct damon_ctx, targets, nr_targets, ctx_add_target,
	   target_fields)

static const struct cfg_field dest_fields[] = {
	{ "id", CK_NR, FLD(struct damos_dest, id), CF_REQ },
	{ "weight", CK_NR, FLD(struct damos_dest, weight), CF_REQ },
	{ NULL }
};

static void *scheme_add_dest(void *s) { return damos_add_dest(s); }
LIST_FIELD(dests, struct damos, dests, nr_dests, scheme_add_dest,
	   dest_fields)

static const struct cfg_field probe_filter_fields[] = {
	{ "filter_type", CK_CUSTOM, 0, CF_REQ, 0, rd_ptype, wr_ptype },
	{ "matching", CK_BOOL, FLD(struct damon_probe_filter, matching), CF_REQ },
	{ "allow", CK_BOOL, FLD(struct damon_probe_filter, allow), 0 },
	{ "path", CK_STR, FLD(struct damon_probe_filter, path), CF_SKIP_DEFAULT },
	{ NULL }
};

static void *probe_add_filter(void *p) { return damon_probe_add_filter(p); }
LIST_FIELD(probe_filters, struct damon_probe, filters, nr_filters,
	   probe_add_filter, probe_filter_fields)

static const struct cfg_field probe_fields[] = {
	{ "filters", CK_CUSTOM, 0, 0, 0, rd_probe_filters, wr_probe_filters },
	{ NULL }
};

static void *ctx_add_probe(void *c) { return damon_ctx_add_probe(c); }
LIST_FIELD(probes, struct damon_ctx, probes, nr_probes, ctx_add_probe,
	   probe_fields)

/* Access pattern: nr_accesses in percent or samples, age in us or aggrs */

static int rd_unit_pair(struct cfg_reader *r, const struct doc_node *n,
			const char *unit, uint64_t *v, bool *has_unit)
{
	const char *s = rd_text(r, n);
	size_t len, ulen = strlen(unit);
	char *num;
	int err;

	*has_unit = false;
	if (!s)
		return -EINVAL;
	len = strlen(s);
	while (len && s[len - 1] == ' ')
		len--;
	*has_unit = len > ulen && !strncmp(s + len - ulen, unit, ulen);
	if (!*has_unit)
		return 1;
	num = xstrndup(s, len - ulen);
	err = units_parse_nr(num, v);
	free(num);
	if (err == -EDOM)
		rd_err(r, n, "'%s' is not a whole number of %s", s, unit);
	else if (err == -ERANGE)
		rd_err(r, n, "'%s' does not fit in 64 bits", s);
	else if (err)
		rd_err(r, n, "'%s' is not a number of %s", s, unit);
	return err;
}

/*
 * "18,446,744,073,709,551,615 %": how damo writes an access rate without
 * upper bound (its "max" kept as a percentage), which is max, not a
 * percentage out of range.
 */
static bool is_damo_max_percent(const char *s)
{
	const char *pct = strchr(s, '%');
	uint64_t v;
	char *num;
	int err;

	if (!pct || pct[1])
		return false;
	num = xstrndup(s, (size_t)(pct - s));
	err = units_parse_nr(num, &v);
	free(num);
	return !err && v == UINT64_MAX;
}

static int rd_nr_acc(struct cfg_reader *r, const struct doc_node *n,
		     struct damos_access_pattern *p, uint64_t *v, bool first)
{
	bool samples;
	const char *s;
	char *pct;
	int err = rd_unit_pair(r, n, "samples", v, &samples);

	if (err <= 0) {
		if (!err && !first &&
		    p->nr_accesses_unit != DAMOS_NR_ACCESSES_SAMPLES)
			goto mixed;
		p->nr_accesses_unit = DAMOS_NR_ACCESSES_SAMPLES;
		return err;
	}
	if (!first && p->nr_accesses_unit != DAMOS_NR_ACCESSES_PERCENT)
		goto mixed;
	p->nr_accesses_unit = DAMOS_NR_ACCESSES_PERCENT;
	s = n->text;
	if (is_damo_max_percent(s)) {
		*v = UINT64_MAX;
		return 0;
	}
	/* A bare number is a percentage: read it as "<n>%" in bp. */
	pct = strchr(s, '%') || !strcmp(s, "min") || !strcmp(s, "max") ?
	      xstrdup(s) : xasprintf("%s%%", s);
	err = units_parse_ratio(pct, UNITS_BP, v);
	free(pct);
	if (err)
		rd_err(r, n, "'%s' is not a percentage or '<n> samples'", s);
	return err;
mixed:
	rd_err(r, n, "min and max must use the same unit (percent or samples)");
	return -EINVAL;
}

static int rd_age(struct cfg_reader *r, const struct doc_node *n,
		  struct damos_access_pattern *p, uint64_t *v, bool first)
{
	bool aggrs;
	int err = rd_unit_pair(r, n, "aggr_intervals", v, &aggrs);
	enum damos_age_unit unit;

	/* not a value (a list, a map): nothing to tell the unit by */
	if (err < 0 && !aggrs)
		return err;
	unit = aggrs ? DAMOS_AGE_AGGR_INTERVALS : DAMOS_AGE_US;
	if (!first && p->age_unit != unit) {
		rd_err(r, n, "min and max must use the same unit (time or aggr_intervals)");
		return -EINVAL;
	}
	p->age_unit = unit;
	if (err <= 0)
		return err;
	return rd_scalar(r, n, CK_US, v);
}

/* Read {min, max} of an access-pattern dimension with @one per value. */
static int rd_minmax(struct cfg_reader *r, const struct doc_node *n,
		     struct damos_access_pattern *p, uint64_t *min,
		     uint64_t *max,
		     int (*one)(struct cfg_reader *, const struct doc_node *,
				struct damos_access_pattern *, uint64_t *,
				bool))
{
	const struct doc_node *lo = doc_map_get(n, "min");
	const struct doc_node *hi = doc_map_get(n, "max");
	size_t mark, i;
	int err = 0;

	if (n->kind != DOC_MAP) {
		rd_err(r, n, "expected a mapping with min and max");
		return -EINVAL;
	}
	for (i = 0; i < n->nr; i++) {
		if (strcmp(n->keys[i], "min") && strcmp(n->keys[i], "max")) {
			rd_unknown_key(r, n, i);
			err = -EINVAL;
		}
	}
	if (!lo || !hi) {
		rd_err(r, n, "missing required key '%s'", lo ? "max" : "min");
		return -EINVAL;
	}
	if (err)
		return err;
	/* the unit readers do not all note where their value stands */
	mark = rd_push_key(r, "min");
	rd_note_pos(r, lo);
	err |= one(r, lo, p, min, true);
	rd_pop(r, mark);
	mark = rd_push_key(r, "max");
	rd_note_pos(r, hi);
	err |= one(r, hi, p, max, false);
	rd_pop(r, mark);
	return err ? -EINVAL : 0;
}

static int rd_sz_one(struct cfg_reader *r, const struct doc_node *n,
		     struct damos_access_pattern *p, uint64_t *v, bool first)
{
	(void)p;
	(void)first;
	return rd_scalar(r, n, CK_SIZE, v);
}

static int rd_pattern(struct cfg_reader *r, const struct doc_node *n,
		      void *obj)
{
	struct damos_access_pattern *p = &((struct damos *)obj)->pattern;
	static const char *const keys[] = { "sz_bytes", "nr_accesses", "age" };
	const struct doc_node *v;
	size_t i, mark;
	int err = 0;

	if (n->kind != DOC_MAP) {
		rd_err(r, n, "expected a mapping");
		return -EINVAL;
	}
	for (i = 0; i < n->nr; i++)
		if (strcmp(n->keys[i], keys[0]) && strcmp(n->keys[i], keys[1]) &&
		    strcmp(n->keys[i], keys[2])) {
			rd_unknown_key(r, n, i);
			err = -EINVAL;
		}
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		v = doc_map_get(n, keys[i]);
		if (!v) {
			rd_err(r, n, "missing required key '%s'", keys[i]);
			err = -EINVAL;
			continue;
		}
		mark = rd_push_key(r, keys[i]);
		rd_note_pos(r, v);
		if (i == 0)
			err |= rd_minmax(r, v, p, &p->min_sz_bytes,
					 &p->max_sz_bytes, rd_sz_one);
		else if (i == 1)
			err |= rd_minmax(r, v, p, &p->min_nr_accesses,
					 &p->max_nr_accesses, rd_nr_acc);
		else
			err |= rd_minmax(r, v, p, &p->min_age, &p->max_age,
					 rd_age);
		rd_pop(r, mark);
	}
	return err ? -EINVAL : 0;
}

static struct doc_node *wr_nr_acc(const struct damos_access_pattern *p,
				  uint64_t v, bool raw)
{
	char buf[UNITS_BUFSZ];
	char *s;
	struct doc_node *n;

	if (p->nr_accesses_unit == DAMOS_NR_ACCESSES_SAMPLES)
		s = xasprintf("%s samples", units_fmt_nr(buf, v, raw));
	else if (v == DAMON_MAX)
		s = xstrdup("max");
	else
		s = xstrdup(units_fmt_ratio(buf, v, UNITS_BP, false));
	n = doc_new_string(s);
	free(s);
	return n;
}

static struct doc_node *wr_age(const struct damos_access_pattern *p,
			       uint64_t v, bool raw)
{
	char buf[UNITS_BUFSZ];
	char *s;
	struct doc_node *n;

	if (p->age_unit == DAMOS_AGE_US)
		return wr_scalar(CK_US, &v, raw);
	s = xasprintf("%s aggr_intervals", units_fmt_nr(buf, v, raw));
	n = doc_new_string(s);
	free(s);
	return n;
}

static struct doc_node *minmax(struct doc_node *lo, struct doc_node *hi)
{
	struct doc_node *m = doc_new_map();

	doc_map_add(m, "min", lo);
	doc_map_add(m, "max", hi);
	return m;
}

static struct doc_node *wr_pattern(const void *obj, bool raw)
{
	const struct damos_access_pattern *p = &((const struct damos *)obj)->pattern;
	struct doc_node *m = doc_new_map();

	doc_map_add(m, "sz_bytes", minmax(wr_scalar(CK_SIZE, &p->min_sz_bytes, raw),
					  wr_scalar(CK_SIZE, &p->max_sz_bytes, raw)));
	doc_map_add(m, "nr_accesses", minmax(wr_nr_acc(p, p->min_nr_accesses, raw),
					     wr_nr_acc(p, p->max_nr_accesses, raw)));
	doc_map_add(m, "age", minmax(wr_age(p, p->min_age, raw),
				     wr_age(p, p->max_age, raw)));
	return m;
}

/* Quota goals: the unit of target_value depends on the metric. */

static enum cfg_kind goal_value_kind(const struct damos_quota_goal *g)
{
	if (g->metric == DAMOS_QGOAL_SOME_MEM_PSI_US)
		return CK_US;
	return damos_qgoal_is_bp(g->metric) ? CK_BP : CK_NR;
}

static int rd_goal_value(struct cfg_reader *r, const struct doc_node *n,
			 void *obj)
{
	struct damos_quota_goal *g = obj;

	return rd_scalar(r, n, goal_value_kind(g), &g->target_value);
}

static struct doc_node *wr_goal_value(const void *obj, bool raw)
{
	const struct damos_quota_goal *g = obj;

	return wr_scalar(goal_value_kind(g), &g->target_value, raw);
}

static bool goal_has_nid(const void *obj)
{
	return ((const struct damos_quota_goal *)obj)->has_nid;
}

static const struct cfg_field goal_fields[] = {
	{ "metric", CK_CUSTOM, 0, 0, 0, rd_metric, wr_metric },
	{ "nid", CK_I64, FLD(struct damos_quota_goal, nid),
	  CF_NULLABLE | CF_SKIP_DEFAULT, FLD(struct damos_quota_goal, has_nid),
	  NULL, NULL, goal_has_nid },
	{ "memcg_path", CK_STR, FLD(struct damos_quota_goal, path),
	  CF_SKIP_DEFAULT },
	{ "target_value", CK_CUSTOM, 0, 0, 0, rd_goal_value, wr_goal_value },
	{ "current_value", CK_NR, FLD(struct damos_quota_goal, current_value), 0 },
	/* damo's first spelling of a user_input goal */
	{ "target_value_bp", CK_NR, FLD(struct damos_quota_goal, target_value),
	  CF_NO_WRITE },
	{ "current_value_bp", CK_NR, FLD(struct damos_quota_goal, current_value),
	  CF_NO_WRITE },
	{ NULL }
};

static void *quota_add_goal(void *q)
{
	/* damos_add_goal() takes the scheme; the quota is its member. */
	struct damos *s = (struct damos *)((char *)q - offsetof(struct damos, quota));

	return damos_add_goal(s);
}

static int rd_goal(struct cfg_reader *r, const struct doc_node *n, void *item)
{
	struct damos_quota_goal *g = item;
	const struct doc_node *m = n->kind == DOC_MAP ?
				   doc_map_get(n, "metric") : NULL;
	size_t mark;
	int err;

	/*
	 * The metric decides the unit of target_value: read it first, and
	 * stop at a bad one rather than misreading target_value after it.
	 */
	if (m) {
		mark = rd_push_key(r, "metric");
		err = rd_metric(r, m, g);
		rd_pop(r, mark);
		if (err)
			return err;
	}
	if (n->kind == DOC_MAP && !doc_map_get(n, "target_value") &&
	    !doc_map_get(n, "target_value_bp")) {
		rd_err(r, n, "missing required key 'target_value'");
		return -EINVAL;
	}
	return rd_obj(r, n, goal_fields, g);
}

static int rd_goals(struct cfg_reader *r, const struct doc_node *n, void *obj)
{
	return rd_list(r, n, obj, quota_add_goal, rd_goal);
}

static struct doc_node *wr_goals(const void *obj, bool raw)
{
	const struct damos_quota *q = obj;
	struct doc_node *seq = doc_new_seq();
	size_t i;

	for (i = 0; i < q->nr_goals; i++)
		doc_seq_add(seq, wr_obj(goal_fields, &q->goals[i], raw));
	return seq;
}

static const struct cfg_field weights_fields[] = {
	{ "sz_permil", CK_PERMIL, FLD(struct damos_quota, weight_sz_permil), CF_REQ },
	{ "nr_accesses_permil", CK_PERMIL,
	  FLD(struct damos_quota, weight_nr_accesses_permil), CF_REQ },
	{ "age_permil", CK_PERMIL, FLD(struct damos_quota, weight_age_permil), CF_REQ },
	{ NULL }
};

static int rd_weights(struct cfg_reader *r, const struct doc_node *n, void *obj)
{
	return rd_obj(r, n, weights_fields, obj);
}

static struct doc_node *wr_weights(const void *obj, bool raw)
{
	return wr_obj(weights_fields, obj, raw);
}

static bool quota_tuner_set(const void *obj)
{
	const struct damos_quota *q = obj;

	return q->goal_tuner != DAMOS_GOAL_TUNER_CONSIST;
}

static const struct cfg_field quota_fields[] = {
	{ "time_ms", CK_MS, FLD(struct damos_quota, time_ms), CF_REQ },
	{ "sz_bytes", CK_SIZE, FLD(struct damos_quota, sz_bytes), CF_REQ },
	{ "reset_interval_ms", CK_MS, FLD(struct damos_quota, reset_interval_ms),
	  CF_REQ },
	{ "fail_charge_num", CK_NR, FLD(struct damos_quota, fail_charge_num),
	  CF_SKIP_DEFAULT },
	{ "fail_charge_denom", CK_NR, FLD(struct damos_quota, fail_charge_denom),
	  CF_SKIP_DEFAULT },
	{ "goals", CK_CUSTOM, 0, 0, 0, rd_goals, wr_goals },
	{ "goal_tuner", CK_CUSTOM, 0, 0, 0, rd_tuner, wr_tuner, quota_tuner_set },
	{ "effective_sz_bytes", CK_SIZE, FLD(struct damos_quota, effective_sz_bytes),
	  CF_SKIP_DEFAULT },
	{ "weights", CK_CUSTOM, 0, CF_REQ, 0, rd_weights, wr_weights },
	{ NULL }
};

SUBOBJ_FIELD(quota, quota_fields, struct damos, quota)

static const struct cfg_field wmarks_fields[] = {
	{ "metric", CK_CUSTOM, 0, CF_REQ, 0, rd_wmark, wr_wmark },
	{ "interval_us", CK_US, FLD(struct damos_watermarks, interval_us), CF_REQ },
	{ "high_permil", CK_PERMIL, FLD(struct damos_watermarks, high_permil), CF_REQ },
	{ "mid_permil", CK_PERMIL, FLD(struct damos_watermarks, mid_permil), CF_REQ },
	{ "low_permil", CK_PERMIL, FLD(struct damos_watermarks, low_permil), CF_REQ },
	{ NULL }
};

SUBOBJ_FIELD(wmarks, wmarks_fields, struct damos, wmarks)

/* Filters */

static int rd_frange(struct cfg_reader *r, const struct doc_node *n, void *obj)
{
	return rd_obj(r, n, region_fields, &((struct damos_filter *)obj)->addr_range);
}

static struct doc_node *wr_frange(const void *obj, bool raw)
{
	return wr_obj(region_fields, &((const struct damos_filter *)obj)->addr_range,
		      raw);
}

static int rd_hpsize(struct cfg_reader *r, const struct doc_node *n, void *obj)
{
	struct damos_filter *f = obj;
	size_t mark;
	int err;

	if (n->kind != DOC_SEQ || n->nr != 2) {
		rd_err(r, n, "expected a list of two sizes: [min, max]");
		return -EINVAL;
	}
	f->has_hugepage_size = true;
	mark = rd_push_idx(r, 0);
	err = rd_scalar(r, n->items[0], CK_SIZE, &f->min_hugepage_sz);
	rd_pop(r, mark);
	mark = rd_push_idx(r, 1);
	err |= rd_scalar(r, n->items[1], CK_SIZE, &f->max_hugepage_sz);
	rd_pop(r, mark);
	return err ? -EINVAL : 0;
}

static struct doc_node *wr_hpsize(const void *obj, bool raw)
{
	const struct damos_filter *f = obj;
	struct doc_node *seq = doc_new_seq();

	doc_seq_add(seq, wr_scalar(CK_SIZE, &f->min_hugepage_sz, raw));
	doc_seq_add(seq, wr_scalar(CK_SIZE, &f->max_hugepage_sz, raw));
	return seq;
}

static bool is_type(const void *obj, enum damos_filter_type t)
{
	return ((const struct damos_filter *)obj)->type == t;
}

static bool f_memcg(const void *obj) { return is_type(obj, DAMOS_FILTER_MEMCG); }
static bool f_addr(const void *obj) { return is_type(obj, DAMOS_FILTER_ADDR); }
static bool f_target(const void *obj) { return is_type(obj, DAMOS_FILTER_TARGET); }
static bool f_hp(const void *obj)
{
	return is_type(obj, DAMOS_FILTER_HUGEPAGE_SIZE) &&
	       ((const struct damos_filter *)obj)->has_hugepage_size;
}

static int rd_fidx(struct cfg_reader *r, const struct doc_node *n, void *obj)
{
	return rd_scalar(r, n, CK_NR, &((struct damos_filter *)obj)->target_idx);
}

static struct doc_node *wr_fidx(const void *obj, bool raw)
{
	return wr_scalar(CK_NR, &((const struct damos_filter *)obj)->target_idx,
			 raw);
}

static int rd_fmemcg(struct cfg_reader *r, const struct doc_node *n, void *obj)
{
	return rd_scalar(r, n, CK_STR, &((struct damos_filter *)obj)->memcg_path);
}

static struct doc_node *wr_fmemcg(const void *obj, bool raw)
{
	const char *p = ((const struct damos_filter *)obj)->memcg_path;

	(void)raw;
	return doc_new_string(p ? p : "");
}

static const struct cfg_field filter_fields[] = {
	{ "filter_type", CK_CUSTOM, 0, CF_REQ, 0, rd_ftype, wr_ftype },
	{ "matching", CK_BOOL, FLD(struct damos_filter, matching), CF_REQ },
	{ "allow", CK_BOOL, FLD(struct damos_filter, allow), 0 },
	{ "filter_pass", CK_BOOL, FLD(struct damos_filter, allow), CF_NO_WRITE },
	{ "memcg_path", CK_CUSTOM, 0, 0, 0, rd_fmemcg, wr_fmemcg, f_memcg },
	{ "address_range", CK_CUSTOM, 0, 0, 0, rd_frange, wr_frange, f_addr },
	{ "damon_target_idx", CK_CUSTOM, 0, 0, 0, rd_fidx, wr_fidx, f_target },
	{ "hugepage_size", CK_CUSTOM, 0, 0, 0, rd_hpsize, wr_hpsize, f_hp },
	{ NULL }
};

static void *scheme_add_filter(void *s) { return damos_add_filter(s); }

static int rd_filter(struct cfg_reader *r, const struct doc_node *n,
		     void *item)
{
	struct damos_filter *f = item;
	static const char *const need[NR_DAMOS_FILTER_TYPES] = {
		[DAMOS_FILTER_MEMCG] = "memcg_path",
		[DAMOS_FILTER_ADDR] = "address_range",
		[DAMOS_FILTER_TARGET] = "damon_target_idx",
	};
	int err = rd_obj(r, n, filter_fields, f);
	const struct doc_node *v = need[f->type] ?
				   doc_map_get(n, need[f->type]) : NULL;

	if (!err && need[f->type] && (!v || v->kind == DOC_NULL)) {
		rd_err(r, n, "missing required key '%s' for filter_type '%s'",
		       need[f->type], damos_filter_type_name(f->type));
		err = -EINVAL;
	}
	return err;
}

static int rd_filters(struct cfg_reader *r, const struct doc_node *n,
		      void *obj)
{
	return rd_list(r, n, obj, scheme_add_filter, rd_filter);
}

int config_read_filters(const struct doc_node *n, const char *file,
			const char *path, struct damos *s, struct diag *diag)
{
	struct cfg_reader r = { .diag = diag, .file = file };
	size_t i;
	int err;

	rd_push_key(&r, path);
	err = rd_filters(&r, n, s);
	for (i = 0; i < r.nr_pos; i++)
		free(r.pos[i].path);
	free(r.pos);
	return err || r.nr_errors ? -EINVAL : 0;
}

static struct doc_node *wr_filters(const void *obj, bool raw)
{
	const struct damos *s = obj;
	struct doc_node *seq = doc_new_seq();
	size_t i;

	for (i = 0; i < s->nr_filters; i++)
		doc_seq_add(seq, wr_obj(filter_fields, &s->filters[i], raw));
	return seq;
}

/* Schemes */

static bool scheme_is_migrate(const void *obj)
{
	const struct damos *s = obj;

	return s->action == DAMOS_MIGRATE_HOT ||
	       s->action == DAMOS_MIGRATE_COLD || s->has_target_nid;
}

static int rd_tnid(struct cfg_reader *r, const struct doc_node *n, void *obj)
{
	struct damos *s = obj;

	s->has_target_nid = n->kind != DOC_NULL;
	return s->has_target_nid ? rd_scalar(r, n, CK_I64, &s->target_nid) : 0;
}

static struct doc_node *wr_tnid(const void *obj, bool raw)
{
	const struct damos *s = obj;

	return s->has_target_nid ? wr_scalar(CK_I64, &s->target_nid, raw) :
				   doc_new_null();
}

const struct cfg_field cfg_scheme_fields[] = {
	{ "action", CK_CUSTOM, 0, 0, 0, rd_action, wr_action },
	{ "dests", CK_CUSTOM, 0, 0, 0, rd_dests, wr_dests },
	{ "target_nid", CK_CUSTOM, 0, 0, 0, rd_tnid, wr_tnid, scheme_is_migrate },
	{ "access_pattern", CK_CUSTOM, 0, 0, 0, rd_pattern, wr_pattern },
	{ "apply_interval_us", CK_US, FLD(struct damos, apply_interval_us), 0 },
	{ "quotas", CK_CUSTOM, 0, 0, 0, rd_quota, wr_quota },
	{ "watermarks", CK_CUSTOM, 0, 0, 0, rd_wmarks, wr_wmarks },
	{ "filters", CK_CUSTOM, 0, 0, 0, rd_filters, wr_filters },
	{ "max_nr_snapshots", CK_NR, FLD(struct damos, max_nr_snapshots),
	  CF_SKIP_DEFAULT },
	{ "stats", CK_IGNORE },
	{ "tried_regions", CK_IGNORE },
	{ NULL }
};

void *cfg_add_scheme(void *ctx)
{
	return damon_ctx_add_scheme(ctx);
}

static int rd_scheme_item(struct cfg_reader *r, const struct doc_node *n,
			  void *item)
{
	return rd_obj(r, n, cfg_scheme_fields, item);
}

static int rd_schemes(struct cfg_reader *r, const struct doc_node *n,
		      void *obj)
{
	return rd_list(r, n, obj, cfg_add_scheme, rd_scheme_item);
}

static struct doc_node *wr_schemes(const void *obj, bool raw)
{
	const struct damon_ctx *c = obj;
	struct doc_node *seq = doc_new_seq();
	size_t i;

	for (i = 0; i < c->nr_schemes; i++)
		doc_seq_add(seq, wr_obj(cfg_scheme_fields, &c->schemes[i], raw));
	return seq;
}

/* Contexts and kdamonds */

static const struct cfg_field ctx_fields[] = {
	{ "ops", CK_CUSTOM, 0, CF_REQ, 0, rd_ops, wr_ops },
	{ "addr_unit", CK_SIZE, FLD(struct damon_ctx, addr_unit), 0 },
	{ "targets", CK_CUSTOM, 0, CF_REQ, 0, rd_targets, wr_targets },
	{ "intervals", CK_CUSTOM, 0, 0, 0, rd_intervals, wr_intervals },
	{ "nr_regions", CK_CUSTOM, 0, 0, 0, rd_nr_regions, wr_nr_regions },
	{ "probes", CK_CUSTOM, 0, 0, 0, rd_probes, wr_probes, has_probes },
	{ "sample_control", CK_IGNORE },
	{ "ops_attrs", CK_IGNORE },
	{ "pause", CK_BOOL, FLD(struct damon_ctx, pause), CF_SKIP_DEFAULT },
	{ "schemes", CK_CUSTOM, 0, 0, 0, rd_schemes, wr_schemes },
	{ NULL }
};

static void *kdamond_add_ctx_cb(void *k) { return kdamond_add_ctx(k); }

static int rd_ctx_item(struct cfg_reader *r, const struct doc_node *n,
		       void *item)
{
	return rd_obj(r, n, ctx_fields, item);
}

static int rd_ctxs(struct cfg_reader *r, const struct doc_node *n, void *obj)
{
	return rd_list(r, n, obj, kdamond_add_ctx_cb, rd_ctx_item);
}

static struct doc_node *wr_ctxs(const void *obj, bool raw)
{
	const struct kdamond *k = obj;
	struct doc_node *seq = doc_new_seq();
	size_t i;

	for (i = 0; i < k->nr_ctxs; i++)
		doc_seq_add(seq, wr_obj(ctx_fields, &k->ctxs[i], raw));
	return seq;
}

const struct cfg_field cfg_kdamond_fields[] = {
	{ "state", CK_IGNORE },
	{ "pid", CK_IGNORE },
	{ "refresh_ms", CK_MS, FLD(struct kdamond, refresh_ms), 0 },
	{ "contexts", CK_CUSTOM, 0, CF_REQ, 0, rd_ctxs, wr_ctxs },
	{ NULL }
};

void *cfg_add_kdamond(void *cfg)
{
	return damon_config_add_kdamond(cfg);
}
