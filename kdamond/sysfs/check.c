/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checking a configuration against the running kernel's features before
 * anything is written, so that a kdamond is never left half-configured
 * because a file turned out to be missing.
 */
#include "kdamond/sysfs/kdamond.h"

#include <stdio.h>
#include <string.h>

#include "core/damon.h"
#include "core/diag.h"
#include "kdamond/features.h"

struct fcheck {
	const struct kdamond_io *io;
	size_t nr;
};

static const struct feature *find(const struct features *fs, const char *name)
{
	size_t i;

	for (i = 0; i < fs->nr; i++)
		if (!strcmp(fs->v[i].def->name, name))
			return &fs->v[i];
	return NULL;
}

/* Refuse @what at @path when @feature is known to be missing. */
static void need(struct fcheck *c, const char *path, const char *what,
		 const char *feature)
{
	const struct feature *f = find(c->io->feat, feature);

	if (!f || (f->state != FEAT_NO && f->state != FEAT_INFERRED_NO))
		return;
	if (!strcmp(f->def->since, "mm"))
		diag_add(c->io->diag, path,
			 "%s needs the '%s' DAMON feature, which this kernel (%s) lacks; it is not in a released kernel yet",
			 what, feature, c->io->feat->kernel);
	else
		diag_add(c->io->diag, path,
			 "%s needs the '%s' DAMON feature of Linux %s; this kernel (%s) lacks it",
			 what, feature, f->def->since, c->io->feat->kernel);
	c->nr++;
}

static const char *const filter_features[NR_DAMOS_FILTER_TYPES] = {
	[DAMOS_FILTER_ANON] = "filter_anon_memcg",
	[DAMOS_FILTER_MEMCG] = "filter_anon_memcg",
	[DAMOS_FILTER_ADDR] = "filter_addr_target",
	[DAMOS_FILTER_TARGET] = "filter_addr_target",
	[DAMOS_FILTER_YOUNG] = "filter_young",
	[DAMOS_FILTER_HUGEPAGE_SIZE] = "filter_hugepage_size",
	[DAMOS_FILTER_UNMAPPED] = "filter_hugepage_size",
	[DAMOS_FILTER_ACTIVE] = "filter_hugepage_size",
};

static const char *const goal_features[NR_DAMOS_QGOAL_METRICS] = {
	[DAMOS_QGOAL_USER_INPUT] = "goal_user_input",
	[DAMOS_QGOAL_SOME_MEM_PSI_US] = "goal_some_mem_psi_us",
	[DAMOS_QGOAL_NODE_MEM_USED_BP] = "goal_node_mem",
	[DAMOS_QGOAL_NODE_MEM_FREE_BP] = "goal_node_mem",
	[DAMOS_QGOAL_NODE_MEMCG_USED_BP] = "goal_node_memcg",
	[DAMOS_QGOAL_NODE_MEMCG_FREE_BP] = "goal_node_memcg",
	[DAMOS_QGOAL_ACTIVE_MEM_BP] = "goal_active_mem",
	[DAMOS_QGOAL_INACTIVE_MEM_BP] = "goal_active_mem",
	[DAMOS_QGOAL_NODE_ELIGIBLE_MEM_BP] = "goal_node_eligible_mem",
};

static void check_scheme(struct fcheck *c, const char *base,
			 const struct damos *s)
{
	char p[256], w[128];
	size_t i;

	snprintf(p, sizeof(p), "%s.action", base);
	snprintf(w, sizeof(w), "action '%s'", damos_action_name(s->action));
	if (s->action == DAMOS_LRU_PRIO || s->action == DAMOS_LRU_DEPRIO)
		need(c, p, w, "lru_prio");
	if (s->action == DAMOS_MIGRATE_HOT || s->action == DAMOS_MIGRATE_COLD)
		need(c, p, w, "migrate_hot");
	if (s->action == DAMOS_COLLAPSE)
		need(c, p, w, "collapse");
	snprintf(p, sizeof(p), "%s.dests", base);
	if (s->nr_dests)
		need(c, p, "migration dests", "schemes_dests");
	snprintf(p, sizeof(p), "%s.apply_interval_us", base);
	if (s->apply_interval_us)
		need(c, p, "apply_interval_us", "schemes_apply_interval");
	snprintf(p, sizeof(p), "%s.max_nr_snapshots", base);
	if (s->max_nr_snapshots)
		need(c, p, "max_nr_snapshots", "schemes_stat_nr_snapshots");
	snprintf(p, sizeof(p), "%s.quotas", base);
	if (s->quota.goal_tuner != DAMOS_GOAL_TUNER_CONSIST)
		need(c, p, "goal_tuner", "schemes_quota_goal_tuner");
	if (s->quota.fail_charge_denom)
		need(c, p, "fail_charge_denom", "schemes_quota_fail_charge");
	for (i = 0; i < s->quota.nr_goals; i++) {
		const struct damos_quota_goal *g = &s->quota.goals[i];

		snprintf(p, sizeof(p), "%s.quotas.goals[%zu]", base, i);
		need(c, p, "quota goals", "schemes_quota_goals");
		snprintf(w, sizeof(w), "goal metric '%s'",
			 damos_qgoal_metric_name(g->metric));
		need(c, p, w, goal_features[g->metric]);
		if (g->has_nid)
			need(c, p, "goal nid", "schemes_quota_goal_nid");
	}
	for (i = 0; i < s->nr_filters; i++) {
		const struct damos_filter *f = &s->filters[i];

		snprintf(p, sizeof(p), "%s.filters[%zu]", base, i);
		need(c, p, "DAMOS filters", "schemes_filters");
		snprintf(w, sizeof(w), "filter type '%s'",
			 damos_filter_type_name(f->type));
		need(c, p, w, filter_features[f->type]);
		if (f->allow)
			need(c, p, "allow filters", "schemes_filters_allow");
	}
}

static void check_ctx(struct fcheck *c, const char *base,
		      const struct damon_ctx *ctx)
{
	char p[256], w[64];
	size_t i;

	snprintf(p, sizeof(p), "%s.ops", base);
	snprintf(w, sizeof(w), "operations set '%s'", damon_ops_name(ctx->ops));
	need(c, p, w, damon_ops_name(ctx->ops));
	snprintf(p, sizeof(p), "%s.addr_unit", base);
	if (ctx->addr_unit != 1)
		need(c, p, "addr_unit", "addr_unit");
	snprintf(p, sizeof(p), "%s.intervals.intervals_goal", base);
	if (ctx->intervals.goal.aggrs)
		need(c, p, "monitoring intervals auto-tuning", "intervals_goal");
	snprintf(p, sizeof(p), "%s.probes", base);
	if (ctx->nr_probes)
		need(c, p, "probes", "probes");
	snprintf(p, sizeof(p), "%s.pause", base);
	if (ctx->pause)
		need(c, p, "pause", "pause");
	for (i = 0; i < ctx->nr_targets; i++) {
		snprintf(p, sizeof(p), "%s.targets[%zu].obsolete", base, i);
		if (ctx->targets[i].obsolete)
			need(c, p, "obsolete targets", "obsolete_target");
	}
	for (i = 0; i < ctx->nr_schemes; i++) {
		snprintf(p, sizeof(p), "%s.schemes[%zu]", base, i);
		check_scheme(c, p, &ctx->schemes[i]);
	}
}

size_t kdamond_check_features(const struct kdamond_io *io,
			      const struct damon_config *cfg)
{
	struct fcheck c = { .io = io };
	char p[128];
	size_t i, j;

	if (!io->feat)
		return 0;
	for (i = 0; i < cfg->nr_kdamonds; i++) {
		const struct kdamond *k = &cfg->kdamonds[i];

		snprintf(p, sizeof(p), "kdamonds[%zu].refresh_ms", i);
		if (k->refresh_ms)
			need(&c, p, "refresh_ms", "refresh_ms");
		for (j = 0; j < k->nr_ctxs; j++) {
			snprintf(p, sizeof(p), "kdamonds[%zu].contexts[%zu]",
				 i, j);
			check_ctx(&c, p, &k->ctxs[j]);
		}
	}
	return c.nr;
}
