/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests for core/damon.c and core/damon_validate.c: every model rule. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/damon.h"
#include "core/diag.h"
#include "core/xalloc.h"

#define CTX "kdamonds[0].contexts[0]"
#define S0 CTX ".schemes[0]"

/* A valid vaddr configuration with one target and one scheme. */
static void base(struct damon_config *cfg)
{
	struct damon_ctx *c;
	struct damon_target *t;

	damon_config_init(cfg);
	c = kdamond_add_ctx(damon_config_add_kdamond(cfg));
	c->ops = DAMON_OPS_VADDR;
	t = damon_ctx_add_target(c);
	t->has_pid = true;
	t->pid = 4242;
	damon_ctx_add_scheme(c)->action = DAMOS_PAGEOUT;
}

static struct damon_ctx *ctx0(struct damon_config *cfg)
{
	return &cfg->kdamonds[0].ctxs[0];
}

static struct damos *s0(struct damon_config *cfg)
{
	return &ctx0(cfg)->schemes[0];
}

/*
 * Validate @cfg and expect exactly one problem, at @path, whose message
 * contains @msg.  Releases @cfg.
 */
static void expect_one(struct damon_config *cfg, const char *path,
		       const char *msg)
{
	struct diag d;

	diag_init(&d);
	damon_config_validate(cfg, 0, &d);
	if (d.nr != 1 || strcmp(d.v[0].path, path) ||
	    !strstr(d.v[0].msg, msg)) {
		size_t i;

		for (i = 0; i < d.nr; i++)
			print_error("got: %s: %s\n", d.v[i].path, d.v[i].msg);
		print_error("want: %s: ...%s...\n", path, msg);
		fail();
	}
	diag_release(&d);
	damon_config_release(cfg);
}

/* Validate @cfg and expect no problem.  Releases @cfg. */
static void expect_none(struct damon_config *cfg)
{
	struct diag d;
	size_t i;

	diag_init(&d);
	damon_config_validate(cfg, 0, &d);
	for (i = 0; i < d.nr; i++)
		print_error("got: %s: %s\n", d.v[i].path, d.v[i].msg);
	assert_int_equal(d.nr, 0);
	diag_release(&d);
	damon_config_release(cfg);
}

static void test_base_config_is_valid(void **state)
{
	struct damon_config cfg;
	struct diag d;

	(void)state;
	base(&cfg);
	diag_init(&d);
	assert_int_equal(damon_config_validate(&cfg, 0, &d), 0);
	assert_int_equal(d.nr, 0);
	diag_release(&d);
	damon_config_release(&cfg);
}

static void test_defaults_follow_damo(void **state)
{
	struct damon_ctx c;
	struct damos s;

	(void)state;
	damon_ctx_init(&c);
	assert_int_equal(c.intervals.sample_us, 5000);
	assert_int_equal(c.intervals.aggr_us, 100000);
	assert_int_equal(c.intervals.ops_update_us, 1000000);
	assert_int_equal(c.min_nr_regions, 10);
	assert_int_equal(c.max_nr_regions, 1000);
	assert_int_equal(c.addr_unit, 1);
	damos_init(&s);
	assert_int_equal(s.action, DAMOS_STAT);
	assert_true(s.pattern.max_sz_bytes == DAMON_MAX);
	assert_true(s.pattern.max_nr_accesses == DAMON_MAX);
	assert_true(s.pattern.max_age == DAMON_MAX);
	assert_true(s.quota.reset_interval_ms == DAMON_MAX);
	assert_int_equal(s.wmarks.metric, DAMOS_WMARK_NONE);
}

static void test_keywords_round_trip(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < NR_DAMOS_ACTIONS; i++)
		assert_int_equal(damos_action_from_name(damos_action_name(i)), i);
	for (i = 0; i < NR_DAMOS_FILTER_TYPES; i++)
		assert_int_equal(damos_filter_type_from_name(
					 damos_filter_type_name(i)), i);
	for (i = 0; i < NR_DAMOS_QGOAL_METRICS; i++)
		assert_int_equal(damos_qgoal_metric_from_name(
					 damos_qgoal_metric_name(i)), i);
	for (i = 0; i < NR_DAMON_OPS; i++)
		assert_int_equal(damon_ops_from_name(damon_ops_name(i)), i);
	assert_int_equal(damos_action_from_name("pageout "), -1);
	assert_int_equal(damon_ops_from_name("PADDR"), -1);
}

static void test_sample_longer_than_aggr_is_refused(void **state)
{
	struct damon_config cfg;

	(void)state;
	base(&cfg);
	ctx0(&cfg)->intervals.sample_us = 200000;
	expect_one(&cfg, CTX ".intervals.sample_us", "longer than");
}

static void test_zero_sample_interval_is_refused(void **state)
{
	struct damon_config cfg;

	(void)state;
	base(&cfg);
	ctx0(&cfg)->intervals.sample_us = 0;
	expect_one(&cfg, CTX ".intervals.sample_us", "at least 1 us");
}

static void test_intervals_goal_bounds(void **state)
{
	struct damon_config cfg;
	struct damon_intervals_goal *g;

	(void)state;
	base(&cfg);
	g = &ctx0(&cfg)->intervals.goal;
	*g = (struct damon_intervals_goal){ 400, 3, 10000, 1000 };
	expect_one(&cfg, CTX ".intervals.intervals_goal.min_sample_us",
		   "greater than max_sample_us");
	base(&cfg);
	g = &ctx0(&cfg)->intervals.goal;
	*g = (struct damon_intervals_goal){ 400, 3, 10000, 10000000 };
	expect_one(&cfg, CTX ".intervals.sample_us", "outside the auto-tuning");
	base(&cfg);
	g = &ctx0(&cfg)->intervals.goal;
	*g = (struct damon_intervals_goal){ 10001, 0, 0, 0 };
	expect_one(&cfg, CTX ".intervals.intervals_goal.access_bp",
		   "more than 100 %");
	/* aggrs 0 disables tuning: the bounds do not matter then */
	base(&cfg);
	g = &ctx0(&cfg)->intervals.goal;
	*g = (struct damon_intervals_goal){ 400, 0, 10000, 1000 };
	{
		struct diag d;

		diag_init(&d);
		assert_int_equal(damon_config_validate(&cfg, 0, &d), 0);
		diag_release(&d);
		damon_config_release(&cfg);
	}
}

static void test_nr_regions_rules(void **state)
{
	struct damon_config cfg;

	(void)state;
	base(&cfg);
	ctx0(&cfg)->min_nr_regions = 2;
	expect_one(&cfg, CTX ".nr_regions.min", "below 3");
	base(&cfg);
	ctx0(&cfg)->min_nr_regions = 100;
	ctx0(&cfg)->max_nr_regions = 50;
	expect_one(&cfg, CTX ".nr_regions.min", "greater than max");
}

static void test_addr_unit_rules(void **state)
{
	struct damon_config cfg;

	(void)state;
	base(&cfg);
	ctx0(&cfg)->addr_unit = 0;
	expect_one(&cfg, CTX ".addr_unit", "at least 1");
	base(&cfg);
	ctx0(&cfg)->addr_unit = 4;
	expect_one(&cfg, CTX ".addr_unit", "only paddr");
}

static void test_target_rules(void **state)
{
	struct damon_config cfg;
	struct damon_addr_range *r;

	(void)state;
	base(&cfg);
	ctx0(&cfg)->targets[0].has_pid = false;
	expect_one(&cfg, CTX ".targets[0].pid", "needs the pid");
	base(&cfg);
	ctx0(&cfg)->targets[0].pid = -5;
	expect_one(&cfg, CTX ".targets[0].pid", "not a process id");
	base(&cfg);
	/* fvaddr without regions monitors nothing until some are committed */
	ctx0(&cfg)->ops = DAMON_OPS_FVADDR;
	expect_none(&cfg);
	base(&cfg);
	r = damon_target_add_region(&ctx0(&cfg)->targets[0]);
	*r = (struct damon_addr_range){ 8192, 4096 };
	expect_one(&cfg, CTX ".targets[0].regions[0].start", "not below end");
	base(&cfg);
	r = damon_target_add_region(&ctx0(&cfg)->targets[0]);
	*r = (struct damon_addr_range){ 4096, 16384 };
	r = damon_target_add_region(&ctx0(&cfg)->targets[0]);
	*r = (struct damon_addr_range){ 8192, 32768 };
	expect_one(&cfg, CTX ".targets[0].regions[1].start", "overlaps");
}

static void test_paddr_rules(void **state)
{
	struct damon_config cfg;

	(void)state;
	base(&cfg);
	ctx0(&cfg)->ops = DAMON_OPS_PADDR;
	damon_ctx_add_target(ctx0(&cfg));
	expect_one(&cfg, CTX ".targets", "2 targets given");
	/* paddr without regions is fine: the backend fills System RAM */
	base(&cfg);
	ctx0(&cfg)->ops = DAMON_OPS_PADDR;
	ctx0(&cfg)->targets[0].has_pid = false;
	{
		struct diag d;

		diag_init(&d);
		assert_int_equal(damon_config_validate(&cfg, 0, &d), 0);
		diag_release(&d);
		damon_config_release(&cfg);
	}
}

static void test_kdamond_needs_one_context(void **state)
{
	struct damon_config cfg;

	(void)state;
	base(&cfg);
	kdamond_add_ctx(&cfg.kdamonds[0])->ops = DAMON_OPS_PADDR;
	expect_one(&cfg, "kdamonds[0].contexts", "exactly one context");
}

static void test_action_support_per_ops(void **state)
{
	struct damon_config cfg;

	(void)state;
	base(&cfg);
	s0(&cfg)->action = DAMOS_LRU_PRIO;
	expect_one(&cfg, S0 ".action", "'lru_prio' is not supported by ops 'vaddr'");
	base(&cfg);
	ctx0(&cfg)->ops = DAMON_OPS_PADDR;
	s0(&cfg)->action = DAMOS_WILLNEED;
	expect_one(&cfg, S0 ".action", "'willneed' is not supported by ops 'paddr'");
	assert_true(damos_action_supported(DAMOS_PAGEOUT, DAMON_OPS_PADDR));
	assert_true(damos_action_supported(DAMOS_STAT, DAMON_OPS_FVADDR));
	assert_true(damos_action_supported(DAMOS_COLLAPSE, DAMON_OPS_VADDR));
	assert_false(damos_action_supported(DAMOS_COLLAPSE, DAMON_OPS_PADDR));
}

static void test_migrate_destinations(void **state)
{
	struct damon_config cfg;

	(void)state;
	base(&cfg);
	s0(&cfg)->action = DAMOS_MIGRATE_COLD;
	expect_one(&cfg, S0 ".action", "needs a destination");
	base(&cfg);
	s0(&cfg)->has_target_nid = true;
	s0(&cfg)->target_nid = 1;
	expect_one(&cfg, S0 ".target_nid", "only migrate_hot and migrate_cold");
	base(&cfg);
	s0(&cfg)->action = DAMOS_MIGRATE_HOT;
	s0(&cfg)->has_target_nid = true;
	s0(&cfg)->target_nid = -2;
	expect_one(&cfg, S0 ".target_nid", "not a NUMA node id");
}

static void test_access_pattern_ranges(void **state)
{
	struct damon_config cfg;

	(void)state;
	base(&cfg);
	s0(&cfg)->pattern.min_sz_bytes = 8192;
	s0(&cfg)->pattern.max_sz_bytes = 4096;
	expect_one(&cfg, S0 ".access_pattern.sz_bytes.min", "greater than max");
	base(&cfg);
	s0(&cfg)->pattern.min_nr_accesses = 5000;
	s0(&cfg)->pattern.max_nr_accesses = 100;
	expect_one(&cfg, S0 ".access_pattern.nr_accesses.min", "greater than max");
	base(&cfg);
	s0(&cfg)->pattern.min_age = 10;
	s0(&cfg)->pattern.max_age = 1;
	expect_one(&cfg, S0 ".access_pattern.age.min", "greater than max");
}

static struct damos_quota_goal *goal(struct damon_config *cfg,
				     enum damos_quota_goal_metric m)
{
	struct damos_quota_goal *g;

	s0(cfg)->quota.reset_interval_ms = 1000;
	g = damos_add_goal(s0(cfg));
	g->metric = m;
	g->target_value = 100;
	return g;
}

static void test_quota_goal_rules(void **state)
{
	struct damon_config cfg;
	struct damos_quota_goal *g;

	(void)state;
	base(&cfg);
	goal(&cfg, DAMOS_QGOAL_USER_INPUT)->target_value = 0;
	expect_one(&cfg, S0 ".quotas.goals[0].target_value", "ignore this goal");
	base(&cfg);
	goal(&cfg, DAMOS_QGOAL_NODE_MEM_USED_BP);
	expect_one(&cfg, S0 ".quotas.goals[0].nid", "needs a NUMA node id");
	base(&cfg);
	g = goal(&cfg, DAMOS_QGOAL_NODE_MEMCG_FREE_BP);
	g->has_nid = true;
	expect_one(&cfg, S0 ".quotas.goals[0].memcg_path", "cgroup path");
	base(&cfg);
	g = goal(&cfg, DAMOS_QGOAL_NODE_MEM_FREE_BP);
	g->has_nid = true;
	g->target_value = 10001;
	expect_one(&cfg, S0 ".quotas.goals[0].target_value", "more than 100 %");
	base(&cfg);
	goal(&cfg, DAMOS_QGOAL_SOME_MEM_PSI_US);
	s0(&cfg)->quota.reset_interval_ms = DAMON_MAX;
	expect_one(&cfg, S0 ".quotas.reset_interval_ms", "once per reset interval");
}

static void test_quota_weights_and_charge(void **state)
{
	struct damon_config cfg;

	(void)state;
	base(&cfg);
	s0(&cfg)->quota.weight_age_permil = 1ULL << 32;
	expect_one(&cfg, S0 ".quotas.weights.age_permil", "2^32 - 1");
	base(&cfg);
	s0(&cfg)->quota.fail_charge_num = 1;
	expect_one(&cfg, S0 ".quotas.fail_charge_num", "fail_charge_denom is 0");
}

static void test_watermarks_rules(void **state)
{
	struct damon_config cfg;
	struct damos_watermarks *w;

	(void)state;
	base(&cfg);
	w = &s0(&cfg)->wmarks;
	*w = (struct damos_watermarks){ DAMOS_WMARK_FREE_MEM_RATE, 5000000,
					 300, 400, 200 };
	expect_one(&cfg, S0 ".watermarks.mid_permil", "above high_permil");
	base(&cfg);
	w = &s0(&cfg)->wmarks;
	*w = (struct damos_watermarks){ DAMOS_WMARK_FREE_MEM_RATE, 5000000,
					 500, 100, 200 };
	expect_one(&cfg, S0 ".watermarks.low_permil", "above mid_permil");
	base(&cfg);
	w = &s0(&cfg)->wmarks;
	*w = (struct damos_watermarks){ DAMOS_WMARK_FREE_MEM_RATE, 0,
					 500, 400, 200 };
	expect_one(&cfg, S0 ".watermarks.interval_us", "check interval");
	base(&cfg);
	w = &s0(&cfg)->wmarks;
	*w = (struct damos_watermarks){ DAMOS_WMARK_FREE_MEM_RATE, 1,
					 1001, 400, 200 };
	expect_one(&cfg, S0 ".watermarks.high_permil", "more than 1000 permil");
}

static void test_filter_rules(void **state)
{
	struct damon_config cfg;
	struct damos_filter *f;

	(void)state;
	base(&cfg);
	damos_add_filter(s0(&cfg))->type = DAMOS_FILTER_MEMCG;
	expect_one(&cfg, S0 ".filters[0].memcg_path", "needs memcg_path");
	base(&cfg);
	f = damos_add_filter(s0(&cfg));
	f->type = DAMOS_FILTER_MEMCG;
	f->memcg_path = xstrdup("workloads/a");
	expect_one(&cfg, S0 ".filters[0].memcg_path", "starting with '/'");
	base(&cfg);
	f = damos_add_filter(s0(&cfg));
	f->type = DAMOS_FILTER_ADDR;
	f->addr_range = (struct damon_addr_range){ 4096, 4096 };
	expect_one(&cfg, S0 ".filters[0].address_range", "not below end");
	base(&cfg);
	f = damos_add_filter(s0(&cfg));
	f->type = DAMOS_FILTER_TARGET;
	f->target_idx = 1;
	expect_one(&cfg, S0 ".filters[0].damon_target_idx", "1 target");
	base(&cfg);
	f = damos_add_filter(s0(&cfg));
	f->type = DAMOS_FILTER_HUGEPAGE_SIZE;
	f->has_hugepage_size = true;
	f->min_hugepage_sz = 1 << 21;
	f->max_hugepage_sz = 4096;
	expect_one(&cfg, S0 ".filters[0].hugepage_size", "greater than max");
}

static void test_schemes_only_skips_context_rules(void **state)
{
	struct damon_config cfg;
	struct damos_filter *f;
	struct diag d;

	(void)state;
	base(&cfg);
	s0(&cfg)->action = DAMOS_LRU_PRIO;
	f = damos_add_filter(s0(&cfg));
	f->type = DAMOS_FILTER_TARGET;
	f->target_idx = 3;
	ctx0(&cfg)->min_nr_regions = 1;
	diag_init(&d);
	assert_int_equal(damon_config_validate(&cfg, DAMON_VALIDATE_SCHEMES_ONLY,
					       &d), 0);
	diag_release(&d);
	damon_config_release(&cfg);
}

static void test_every_problem_is_reported(void **state)
{
	struct damon_config cfg;
	struct diag d;

	(void)state;
	base(&cfg);
	ctx0(&cfg)->min_nr_regions = 1;
	s0(&cfg)->action = DAMOS_LRU_DEPRIO;
	s0(&cfg)->pattern.min_age = 5;
	s0(&cfg)->pattern.max_age = 1;
	diag_init(&d);
	assert_int_equal(damon_config_validate(&cfg, 0, &d), 3);
	assert_int_equal(d.nr, 3);
	diag_release(&d);
	damon_config_release(&cfg);
}

static void test_pattern_unit_conversions(void **state)
{
	struct damos_access_pattern p = { .nr_accesses_unit =
						  DAMOS_NR_ACCESSES_PERCENT,
					  .age_unit = DAMOS_AGE_US };
	struct damon_intervals iv = { .sample_us = 5000, .aggr_us = 100000 };

	(void)state;
	/* 50 % of 20 samples; 4,9 % -> int(0.98) = 0; max stays max */
	assert_int_equal(damos_nr_accesses_to_samples(&p, 5000, &iv), 10);
	assert_int_equal(damos_nr_accesses_to_samples(&p, 490, &iv), 0);
	assert_true(damos_nr_accesses_to_samples(&p, DAMON_MAX, &iv) ==
		    DAMON_MAX);
	/* 30 s at 100 ms aggregation = 300 aggregation intervals */
	assert_int_equal(damos_age_to_aggr_intervals(&p, 30000000, &iv), 300);
	assert_int_equal(damos_age_to_aggr_intervals(&p, 99999, &iv), 0);
	p.nr_accesses_unit = DAMOS_NR_ACCESSES_SAMPLES;
	p.age_unit = DAMOS_AGE_AGGR_INTERVALS;
	assert_int_equal(damos_nr_accesses_to_samples(&p, 7, &iv), 7);
	assert_int_equal(damos_age_to_aggr_intervals(&p, 7, &iv), 7);
	/* aggr / sample not whole: damo divides as floats (100/3 * 50 %) */
	iv.sample_us = 3000;
	p.nr_accesses_unit = DAMOS_NR_ACCESSES_PERCENT;
	assert_int_equal(damos_nr_accesses_to_samples(&p, 5000, &iv), 16);
}

static void test_copy_is_deep(void **state)
{
	struct damon_config a, b;
	struct damos_filter *f;

	(void)state;
	base(&a);
	f = damos_add_filter(s0(&a));
	f->type = DAMOS_FILTER_MEMCG;
	f->memcg_path = xstrdup("/a");
	damon_target_add_region(&ctx0(&a)->targets[0])->end = 4096;
	damon_config_copy(&b, &a);
	assert_ptr_not_equal(b.kdamonds, a.kdamonds);
	assert_ptr_not_equal(s0(&b)->filters[0].memcg_path,
			     s0(&a)->filters[0].memcg_path);
	assert_string_equal(s0(&b)->filters[0].memcg_path, "/a");
	assert_int_equal(ctx0(&b)->targets[0].regions[0].end, 4096);
	damon_config_release(&a);
	assert_string_equal(s0(&b)->filters[0].memcg_path, "/a");
	damon_config_release(&b);
	/* releasing twice is harmless */
	damon_config_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_config_is_valid),
		cmocka_unit_test(test_defaults_follow_damo),
		cmocka_unit_test(test_keywords_round_trip),
		cmocka_unit_test(test_sample_longer_than_aggr_is_refused),
		cmocka_unit_test(test_zero_sample_interval_is_refused),
		cmocka_unit_test(test_intervals_goal_bounds),
		cmocka_unit_test(test_nr_regions_rules),
		cmocka_unit_test(test_addr_unit_rules),
		cmocka_unit_test(test_target_rules),
		cmocka_unit_test(test_paddr_rules),
		cmocka_unit_test(test_kdamond_needs_one_context),
		cmocka_unit_test(test_action_support_per_ops),
		cmocka_unit_test(test_migrate_destinations),
		cmocka_unit_test(test_access_pattern_ranges),
		cmocka_unit_test(test_quota_goal_rules),
		cmocka_unit_test(test_quota_weights_and_charge),
		cmocka_unit_test(test_watermarks_rules),
		cmocka_unit_test(test_filter_rules),
		cmocka_unit_test(test_schemes_only_skips_context_rules),
		cmocka_unit_test(test_every_problem_is_reported),
		cmocka_unit_test(test_pattern_unit_conversions),
		cmocka_unit_test(test_copy_is_deep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
