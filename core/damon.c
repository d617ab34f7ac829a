/* SPDX-License-Identifier: GPL-2.0 */
/* The DAMON configuration model: keywords, defaults, lifetime and copies. */
#include "damon.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static const char *const ops_names[NR_DAMON_OPS] = {
	[DAMON_OPS_VADDR] = "vaddr",
	[DAMON_OPS_FVADDR] = "fvaddr",
	[DAMON_OPS_PADDR] = "paddr",
};

static const char *const action_names[NR_DAMOS_ACTIONS] = {
	[DAMOS_WILLNEED] = "willneed",
	[DAMOS_COLD] = "cold",
	[DAMOS_PAGEOUT] = "pageout",
	[DAMOS_HUGEPAGE] = "hugepage",
	[DAMOS_NOHUGEPAGE] = "nohugepage",
	[DAMOS_LRU_PRIO] = "lru_prio",
	[DAMOS_LRU_DEPRIO] = "lru_deprio",
	[DAMOS_MIGRATE_HOT] = "migrate_hot",
	[DAMOS_MIGRATE_COLD] = "migrate_cold",
	[DAMOS_STAT] = "stat",
	[DAMOS_COLLAPSE] = "collapse",
};

static const char *const filter_names[NR_DAMOS_FILTER_TYPES] = {
	[DAMOS_FILTER_ANON] = "anon",
	[DAMOS_FILTER_ACTIVE] = "active",
	[DAMOS_FILTER_MEMCG] = "memcg",
	[DAMOS_FILTER_YOUNG] = "young",
	[DAMOS_FILTER_HUGEPAGE_SIZE] = "hugepage_size",
	[DAMOS_FILTER_UNMAPPED] = "unmapped",
	[DAMOS_FILTER_ADDR] = "addr",
	[DAMOS_FILTER_TARGET] = "target",
};

static const char *const qgoal_names[NR_DAMOS_QGOAL_METRICS] = {
	[DAMOS_QGOAL_USER_INPUT] = "user_input",
	[DAMOS_QGOAL_SOME_MEM_PSI_US] = "some_mem_psi_us",
	[DAMOS_QGOAL_NODE_MEM_USED_BP] = "node_mem_used_bp",
	[DAMOS_QGOAL_NODE_MEM_FREE_BP] = "node_mem_free_bp",
	[DAMOS_QGOAL_NODE_MEMCG_USED_BP] = "node_memcg_used_bp",
	[DAMOS_QGOAL_NODE_MEMCG_FREE_BP] = "node_memcg_free_bp",
	[DAMOS_QGOAL_ACTIVE_MEM_BP] = "active_mem_bp",
	[DAMOS_QGOAL_INACTIVE_MEM_BP] = "inactive_mem_bp",
	[DAMOS_QGOAL_NODE_ELIGIBLE_MEM_BP] = "node_eligible_mem_bp",
};

static const char *const tuner_names[NR_DAMOS_GOAL_TUNERS] = {
	[DAMOS_GOAL_TUNER_CONSIST] = "consist",
	[DAMOS_GOAL_TUNER_TEMPORAL] = "temporal",
};

static const char *const wmark_names[NR_DAMOS_WMARK_METRICS] = {
	[DAMOS_WMARK_NONE] = "none",
	[DAMOS_WMARK_FREE_MEM_RATE] = "free_mem_rate",
};

static int lookup(const char *const *names, int nr, const char *name)
{
	int i;

	for (i = 0; i < nr; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

const char *damon_ops_name(enum damon_ops v) { return ops_names[v]; }
const char *damos_action_name(enum damos_action v) { return action_names[v]; }
const char *damos_filter_type_name(enum damos_filter_type v)
{
	return filter_names[v];
}
const char *damos_qgoal_metric_name(enum damos_quota_goal_metric v)
{
	return qgoal_names[v];
}
const char *damos_goal_tuner_name(enum damos_goal_tuner v)
{
	return tuner_names[v];
}
const char *damos_wmark_metric_name(enum damos_wmark_metric v)
{
	return wmark_names[v];
}

int damon_ops_from_name(const char *name)
{
	return lookup(ops_names, NR_DAMON_OPS, name);
}

int damos_action_from_name(const char *name)
{
	return lookup(action_names, NR_DAMOS_ACTIONS, name);
}

int damos_filter_type_from_name(const char *name)
{
	return lookup(filter_names, NR_DAMOS_FILTER_TYPES, name);
}

int damos_qgoal_metric_from_name(const char *name)
{
	return lookup(qgoal_names, NR_DAMOS_QGOAL_METRICS, name);
}

int damos_goal_tuner_from_name(const char *name)
{
	return lookup(tuner_names, NR_DAMOS_GOAL_TUNERS, name);
}

int damos_wmark_metric_from_name(const char *name)
{
	return lookup(wmark_names, NR_DAMOS_WMARK_METRICS, name);
}

bool damos_filter_is_core(enum damos_filter_type type)
{
	return type == DAMOS_FILTER_ADDR || type == DAMOS_FILTER_TARGET;
}

bool damos_qgoal_is_bp(enum damos_quota_goal_metric m)
{
	switch (m) {
	case DAMOS_QGOAL_NODE_MEM_USED_BP:
	case DAMOS_QGOAL_NODE_MEM_FREE_BP:
	case DAMOS_QGOAL_NODE_MEMCG_USED_BP:
	case DAMOS_QGOAL_NODE_MEMCG_FREE_BP:
	case DAMOS_QGOAL_ACTIVE_MEM_BP:
	case DAMOS_QGOAL_INACTIVE_MEM_BP:
		return true;
	default:
		return false;
	}
}

bool damos_qgoal_needs_nid(enum damos_quota_goal_metric m)
{
	return m == DAMOS_QGOAL_NODE_MEM_USED_BP ||
	       m == DAMOS_QGOAL_NODE_MEM_FREE_BP ||
	       m == DAMOS_QGOAL_NODE_MEMCG_USED_BP ||
	       m == DAMOS_QGOAL_NODE_MEMCG_FREE_BP;
}

bool damos_qgoal_needs_path(enum damos_quota_goal_metric m)
{
	return m == DAMOS_QGOAL_NODE_MEMCG_USED_BP ||
	       m == DAMOS_QGOAL_NODE_MEMCG_FREE_BP;
}

bool damos_action_supported(enum damos_action action, enum damon_ops ops)
{
	bool virt = ops != DAMON_OPS_PADDR;

	switch (action) {
	case DAMOS_WILLNEED:
	case DAMOS_COLD:
	case DAMOS_HUGEPAGE:
	case DAMOS_NOHUGEPAGE:
	case DAMOS_COLLAPSE:
		return virt;
	case DAMOS_LRU_PRIO:
	case DAMOS_LRU_DEPRIO:
		return !virt;
	default:
		return true;
	}
}

void damon_target_init(struct damon_target *t)
{
	memset(t, 0, sizeof(*t));
}

void damon_target_release(struct damon_target *t)
{
	free(t->regions);
	damon_target_init(t);
}

void damos_init(struct damos *s)
{
	memset(s, 0, sizeof(*s));
	s->action = DAMOS_STAT;
	s->target_nid = -1;
	s->pattern.max_sz_bytes = DAMON_MAX;
	s->pattern.nr_accesses_unit = DAMOS_NR_ACCESSES_PERCENT;
	s->pattern.max_nr_accesses = DAMON_MAX;
	s->pattern.age_unit = DAMOS_AGE_US;
	s->pattern.max_age = DAMON_MAX;
	s->quota.reset_interval_ms = DAMON_MAX;
	s->quota.goal_tuner = DAMOS_GOAL_TUNER_CONSIST;
	s->wmarks.metric = DAMOS_WMARK_NONE;
}

void damos_release(struct damos *s)
{
	size_t i;

	for (i = 0; i < s->nr_filters; i++)
		free(s->filters[i].memcg_path);
	free(s->filters);
	for (i = 0; i < s->quota.nr_goals; i++)
		free(s->quota.goals[i].path);
	free(s->quota.goals);
	free(s->dests);
	free(s->tried);
	damos_init(s);
}

void damon_ctx_init(struct damon_ctx *c)
{
	memset(c, 0, sizeof(*c));
	c->ops = DAMON_OPS_PADDR;
	c->addr_unit = 1;
	c->intervals.sample_us = 5000;
	c->intervals.aggr_us = 100000;
	c->intervals.ops_update_us = 1000000;
	c->min_nr_regions = 10;
	c->max_nr_regions = 1000;
}

static void damon_probe_release(struct damon_probe *p)
{
	size_t i;

	for (i = 0; i < p->nr_filters; i++)
		free(p->filters[i].path);
	free(p->filters);
	memset(p, 0, sizeof(*p));
}

void damon_ctx_release(struct damon_ctx *c)
{
	size_t i;

	for (i = 0; i < c->nr_targets; i++)
		damon_target_release(&c->targets[i]);
	free(c->targets);
	for (i = 0; i < c->nr_schemes; i++)
		damos_release(&c->schemes[i]);
	free(c->schemes);
	for (i = 0; i < c->nr_probes; i++)
		damon_probe_release(&c->probes[i]);
	free(c->probes);
	damon_ctx_init(c);
}

void kdamond_init(struct kdamond *k)
{
	memset(k, 0, sizeof(*k));
	k->pid = -1;
}

void kdamond_release(struct kdamond *k)
{
	size_t i;

	for (i = 0; i < k->nr_ctxs; i++)
		damon_ctx_release(&k->ctxs[i]);
	free(k->ctxs);
	kdamond_init(k);
}

void damon_config_init(struct damon_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
}

void damon_config_release(struct damon_config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->nr_kdamonds; i++)
		kdamond_release(&cfg->kdamonds[i]);
	free(cfg->kdamonds);
	damon_config_init(cfg);
}

/*
 * Grow an array by one zeroed element.  Arrays in the model are exactly
 * sized (nr == allocated), which keeps copies and releases simple.
 */
static void *grow_one(void **arr, size_t *nr, size_t size)
{
	char *p;

	*arr = xreallocarray(*arr, *nr + 1, size);
	p = (char *)*arr + *nr * size;
	memset(p, 0, size);
	(*nr)++;
	return p;
}

struct kdamond *damon_config_add_kdamond(struct damon_config *cfg)
{
	struct kdamond *k = grow_one((void **)&cfg->kdamonds,
				     &cfg->nr_kdamonds, sizeof(*k));

	kdamond_init(k);
	return k;
}

struct damon_ctx *kdamond_add_ctx(struct kdamond *k)
{
	struct damon_ctx *c = grow_one((void **)&k->ctxs, &k->nr_ctxs,
				       sizeof(*c));

	damon_ctx_init(c);
	return c;
}

struct damon_target *damon_ctx_add_target(struct damon_ctx *c)
{
	return grow_one((void **)&c->targets, &c->nr_targets,
			sizeof(*c->targets));
}

struct damos *damon_ctx_add_scheme(struct damon_ctx *c)
{
	struct damos *s = grow_one((void **)&c->schemes, &c->nr_schemes,
				   sizeof(*s));

	damos_init(s);
	return s;
}

void damon_ctx_set_schemes(struct damon_ctx *c, const struct damos *schemes,
			   size_t nr)
{
	size_t i;

	for (i = 0; i < c->nr_schemes; i++)
		damos_release(&c->schemes[i]);
	c->nr_schemes = 0;
	for (i = 0; i < nr; i++)
		damos_copy(damon_ctx_add_scheme(c), &schemes[i]);
}

struct damon_addr_range *damon_target_add_region(struct damon_target *t)
{
	return grow_one((void **)&t->regions, &t->nr_regions,
			sizeof(*t->regions));
}

struct damos_filter *damos_add_filter(struct damos *s)
{
	struct damos_filter *f = grow_one((void **)&s->filters,
					  &s->nr_filters, sizeof(*f));

	f->matching = true;
	return f;
}

struct damos_quota_goal *damos_add_goal(struct damos *s)
{
	return grow_one((void **)&s->quota.goals, &s->quota.nr_goals,
			sizeof(*s->quota.goals));
}

struct damos_dest *damos_add_dest(struct damos *s)
{
	return grow_one((void **)&s->dests, &s->nr_dests, sizeof(*s->dests));
}

struct damon_probe *damon_ctx_add_probe(struct damon_ctx *c)
{
	return grow_one((void **)&c->probes, &c->nr_probes,
			sizeof(*c->probes));
}

struct damon_probe_filter *damon_probe_add_filter(struct damon_probe *p)
{
	return grow_one((void **)&p->filters, &p->nr_filters,
			sizeof(*p->filters));
}

static void *dup_array(const void *src, size_t nr, size_t size)
{
	void *p;

	if (!nr)
		return NULL;
	p = xreallocarray(NULL, nr, size);
	memcpy(p, src, nr * size);
	return p;
}

static char *dup_str(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void damos_copy(struct damos *dst, const struct damos *src)
{
	size_t i;

	*dst = *src;
	dst->dests = dup_array(src->dests, src->nr_dests, sizeof(*src->dests));
	dst->filters = dup_array(src->filters, src->nr_filters,
				 sizeof(*src->filters));
	for (i = 0; i < src->nr_filters; i++)
		dst->filters[i].memcg_path = dup_str(src->filters[i].memcg_path);
	dst->quota.goals = dup_array(src->quota.goals, src->quota.nr_goals,
				     sizeof(*src->quota.goals));
	for (i = 0; i < src->quota.nr_goals; i++)
		dst->quota.goals[i].path = dup_str(src->quota.goals[i].path);
	dst->tried = dup_array(src->tried, src->nr_tried, sizeof(*src->tried));
}

static void ctx_copy(struct damon_ctx *dst, const struct damon_ctx *src)
{
	size_t i, j;

	*dst = *src;
	dst->targets = dup_array(src->targets, src->nr_targets,
				 sizeof(*src->targets));
	for (i = 0; i < src->nr_targets; i++)
		dst->targets[i].regions = dup_array(
			src->targets[i].regions, src->targets[i].nr_regions,
			sizeof(*src->targets[i].regions));
	dst->schemes = dup_array(src->schemes, src->nr_schemes,
				 sizeof(*src->schemes));
	for (i = 0; i < src->nr_schemes; i++)
		damos_copy(&dst->schemes[i], &src->schemes[i]);
	dst->probes = dup_array(src->probes, src->nr_probes,
				sizeof(*src->probes));
	for (i = 0; i < src->nr_probes; i++) {
		const struct damon_probe *p = &src->probes[i];

		dst->probes[i].filters = dup_array(p->filters, p->nr_filters,
						   sizeof(*p->filters));
		for (j = 0; j < p->nr_filters; j++)
			dst->probes[i].filters[j].path =
				dup_str(p->filters[j].path);
	}
}

void damon_config_copy(struct damon_config *dst, const struct damon_config *src)
{
	size_t i, j;

	*dst = *src;
	dst->kdamonds = dup_array(src->kdamonds, src->nr_kdamonds,
				  sizeof(*src->kdamonds));
	for (i = 0; i < src->nr_kdamonds; i++) {
		const struct kdamond *k = &src->kdamonds[i];

		dst->kdamonds[i].ctxs = dup_array(k->ctxs, k->nr_ctxs,
						  sizeof(*k->ctxs));
		for (j = 0; j < k->nr_ctxs; j++)
			ctx_copy(&dst->kdamonds[i].ctxs[j], &k->ctxs[j]);
	}
}

uint64_t damos_nr_accesses_to_samples(const struct damos_access_pattern *p,
				      uint64_t value,
				      const struct damon_intervals *iv)
{
	unsigned __int128 denom;

	if (p->nr_accesses_unit == DAMOS_NR_ACCESSES_SAMPLES)
		return value;
	if (value == DAMON_MAX)
		return DAMON_MAX;
	/* damo: int(percent * (aggr / sample) / 100), with value in bp */
	denom = (unsigned __int128)iv->sample_us * 10000;
	if (!denom)
		return DAMON_MAX;
	denom = (unsigned __int128)value * iv->aggr_us / denom;
	return denom > DAMON_MAX ? DAMON_MAX : (uint64_t)denom;
}

uint64_t damos_age_to_aggr_intervals(const struct damos_access_pattern *p,
				     uint64_t value,
				     const struct damon_intervals *iv)
{
	if (p->age_unit == DAMOS_AGE_AGGR_INTERVALS)
		return value;
	if (value == DAMON_MAX)
		return DAMON_MAX;
	return iv->aggr_us ? value / iv->aggr_us : DAMON_MAX;
}
