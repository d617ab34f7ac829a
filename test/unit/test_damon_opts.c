/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests of the DAMON parameter options (cmd/damon_opts.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/damon_opts.h"
#include "core/damon.h"
#include "core/diag.h"
#include "core/xalloc.h"

#define GiB (1024ULL * 1024 * 1024)

/* One run of the options: argp over a literal argv, then the build. */
struct run {
	char **argv;
	int argc;
	struct damon_opts_args a;
	struct damon_config cfg;
	struct diag diag;
	char *pos[4];		/* positional words the parent received */
	size_t nr_pos;
	int parse_err;
	int build_err;
};

static error_t parent_parse(int key, char *arg, struct argp_state *state)
{
	struct run *r = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &r->a;
		return 0;
	case ARGP_KEY_ARG:
		if (r->nr_pos == ARRAY_SIZE(r->pos))
			return ARGP_ERR_UNKNOWN;
		r->pos[r->nr_pos++] = arg;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp_child children[] = {
	{ &damon_opts_argp, 0, NULL, 0 },
	{ 0 }
};

static const struct argp parent = {
	.parser = parent_parse,
	.children = children,
};

/* Parse @words (NULL-terminated, "damo" prepended) and build on success. */
static void run_words(struct run *r, const char *const *words)
{
	int i;

	memset(r, 0, sizeof(*r));
	for (r->argc = 1; words[r->argc - 1]; r->argc++)
		;
	r->argv = xcalloc(r->argc + 1, sizeof(*r->argv));
	r->argv[0] = xstrdup("damo");
	for (i = 1; i < r->argc; i++)
		r->argv[i] = xstrdup(words[i - 1]);
	damon_opts_args_init(&r->a);
	damon_config_init(&r->cfg);
	diag_init(&r->diag);
	r->parse_err = argp_parse(&parent, r->argc, r->argv,
				  ARGP_NO_EXIT | ARGP_NO_ERRS | ARGP_NO_HELP,
				  NULL, r);
	r->build_err = -1;
	if (!r->parse_err)
		r->build_err = damon_opts_build(&r->a, &r->cfg, &r->diag);
}

#define RUN(r, ...) run_words(r, (const char *const[]){ __VA_ARGS__, NULL })

static void run_release(struct run *r)
{
	int i;

	damon_opts_args_release(&r->a);
	damon_config_release(&r->cfg);
	diag_release(&r->diag);
	for (i = 0; i < r->argc; i++)
		free(r->argv[i]);
	free(r->argv);
}

static void print_diag(const struct run *r)
{
	size_t i;

	for (i = 0; i < r->diag.nr; i++) {
		char *s = diag_format(&r->diag.v[i]);

		print_message("diag: %s\n", s);
		free(s);
	}
}

static void assert_ok(const struct run *r)
{
	print_diag(r);
	assert_int_equal(r->parse_err, 0);
	assert_int_equal(r->build_err, 0);
	assert_int_equal(r->diag.nr, 0);
	assert_int_equal(r->cfg.nr_kdamonds, 1);
	assert_int_equal(r->cfg.kdamonds[0].nr_ctxs, 1);
}

static struct damon_ctx *ctx_of(struct run *r)
{
	return &r->cfg.kdamonds[0].ctxs[0];
}

/* Whether a diag entry has @path and a message containing @msg. */
static bool has_diag(const struct run *r, const char *path, const char *msg)
{
	size_t i;

	for (i = 0; i < r->diag.nr; i++)
		if (!strcmp(r->diag.v[i].path, path) &&
		    strstr(r->diag.v[i].msg, msg))
			return true;
	return false;
}

static void assert_diag(const struct run *r, const char *path,
			const char *msg)
{
	if (!has_diag(r, path, msg)) {
		print_diag(r);
		fail_msg("no diag '%s: ...%s...'", path, msg);
	}
	assert_int_equal(r->build_err, -EINVAL);
}

static void test_issue_example(void **state)
{
	struct damos *s;
	struct run r;

	(void)state;
	RUN(&r, "--ops", "vaddr", "--target-pid", "1234",
	    "--damos-action", "pageout", "--damos-access-rate", "0%", "0%",
	    "--damos-age", "30s", "max", "--damos-quotas", "10ms", "1GiB",
	    "1s");
	assert_ok(&r);
	assert_int_equal(ctx_of(&r)->ops, DAMON_OPS_VADDR);
	assert_int_equal(ctx_of(&r)->nr_targets, 1);
	assert_true(ctx_of(&r)->targets[0].has_pid);
	assert_int_equal(ctx_of(&r)->targets[0].pid, 1234);
	assert_int_equal(ctx_of(&r)->targets[0].nr_regions, 0);
	assert_int_equal(ctx_of(&r)->nr_schemes, 1);
	s = &ctx_of(&r)->schemes[0];
	assert_int_equal(s->action, DAMOS_PAGEOUT);
	assert_int_equal(s->pattern.nr_accesses_unit,
			 DAMOS_NR_ACCESSES_PERCENT);
	assert_int_equal(s->pattern.min_nr_accesses, 0);
	assert_int_equal(s->pattern.max_nr_accesses, 0);
	assert_int_equal(s->pattern.age_unit, DAMOS_AGE_US);
	assert_int_equal(s->pattern.min_age, 30000000);
	assert_true(s->pattern.max_age == DAMON_MAX);
	assert_int_equal(s->pattern.min_sz_bytes, 0);
	assert_true(s->pattern.max_sz_bytes == DAMON_MAX);
	assert_int_equal(s->quota.time_ms, 10);
	assert_int_equal(s->quota.sz_bytes, GiB);
	assert_int_equal(s->quota.reset_interval_ms, 1000);
	assert_int_equal(s->quota.weight_sz_permil, 0);
	assert_int_equal(s->quota.nr_goals, 0);
	assert_true(damon_opts_given(&r.a));
	run_release(&r);
}

static bool same_filter(const struct damos_filter *a,
			const struct damos_filter *b)
{
	return a->type == b->type && a->matching == b->matching &&
	       a->allow == b->allow &&
	       !strcmp(a->memcg_path ? a->memcg_path : "",
		       b->memcg_path ? b->memcg_path : "") &&
	       a->addr_range.start == b->addr_range.start &&
	       a->addr_range.end == b->addr_range.end &&
	       a->target_idx == b->target_idx &&
	       a->has_hugepage_size == b->has_hugepage_size &&
	       a->min_hugepage_sz == b->min_hugepage_sz &&
	       a->max_hugepage_sz == b->max_hugepage_sz;
}

static bool same_goal(const struct damos_quota_goal *a,
		      const struct damos_quota_goal *b)
{
	return a->metric == b->metric && a->target_value == b->target_value &&
	       a->current_value == b->current_value &&
	       a->has_nid == b->has_nid && a->nid == b->nid &&
	       !strcmp(a->path ? a->path : "", b->path ? b->path : "");
}

static void assert_same_scheme(const struct damos *a, const struct damos *b)
{
	const struct damos_quota *qa = &a->quota, *qb = &b->quota;
	size_t i;

	assert_int_equal(a->action, b->action);
	assert_int_equal(a->has_target_nid, b->has_target_nid);
	assert_int_equal(a->target_nid, b->target_nid);
	assert_int_equal(a->nr_dests, b->nr_dests);
	if (a->nr_dests)
		assert_memory_equal(a->dests, b->dests,
				    a->nr_dests * sizeof(*a->dests));
	assert_memory_equal(&a->pattern, &b->pattern, sizeof(a->pattern));
	assert_int_equal(a->apply_interval_us, b->apply_interval_us);
	assert_int_equal(qa->time_ms, qb->time_ms);
	assert_int_equal(qa->sz_bytes, qb->sz_bytes);
	assert_int_equal(qa->reset_interval_ms, qb->reset_interval_ms);
	assert_int_equal(qa->weight_sz_permil, qb->weight_sz_permil);
	assert_int_equal(qa->weight_nr_accesses_permil,
			 qb->weight_nr_accesses_permil);
	assert_int_equal(qa->weight_age_permil, qb->weight_age_permil);
	assert_int_equal(qa->goal_tuner, qb->goal_tuner);
	assert_int_equal(qa->fail_charge_num, qb->fail_charge_num);
	assert_int_equal(qa->fail_charge_denom, qb->fail_charge_denom);
	assert_int_equal(qa->nr_goals, qb->nr_goals);
	for (i = 0; i < qa->nr_goals; i++)
		assert_true(same_goal(&qa->goals[i], &qb->goals[i]));
	assert_memory_equal(&a->wmarks, &b->wmarks, sizeof(a->wmarks));
	assert_int_equal(a->nr_filters, b->nr_filters);
	for (i = 0; i < a->nr_filters; i++)
		assert_true(same_filter(&a->filters[i], &b->filters[i]));
	assert_int_equal(a->max_nr_snapshots, b->max_nr_snapshots);
}

static void assert_same_ctx(const struct damon_ctx *a,
			    const struct damon_ctx *b)
{
	size_t i;

	assert_int_equal(a->ops, b->ops);
	assert_int_equal(a->addr_unit, b->addr_unit);
	assert_memory_equal(&a->intervals, &b->intervals,
			    sizeof(a->intervals));
	assert_int_equal(a->min_nr_regions, b->min_nr_regions);
	assert_int_equal(a->max_nr_regions, b->max_nr_regions);
	assert_int_equal(a->pause, b->pause);
	assert_int_equal(a->nr_targets, b->nr_targets);
	for (i = 0; i < a->nr_targets; i++) {
		assert_int_equal(a->targets[i].has_pid, b->targets[i].has_pid);
		assert_int_equal(a->targets[i].pid, b->targets[i].pid);
		assert_int_equal(a->targets[i].obsolete,
				 b->targets[i].obsolete);
		assert_int_equal(a->targets[i].nr_regions,
				 b->targets[i].nr_regions);
		if (a->targets[i].nr_regions)
			assert_memory_equal(a->targets[i].regions,
					    b->targets[i].regions,
					    a->targets[i].nr_regions *
					    sizeof(*a->targets[i].regions));
	}
	assert_int_equal(a->nr_schemes, b->nr_schemes);
	for (i = 0; i < a->nr_schemes; i++)
		assert_same_scheme(&a->schemes[i], &b->schemes[i]);
}

/* Every option, in GNU spelling; damo's is made by swapping '-' for '_'. */
static const char *const all_opts[] = {
	"--ops", "fvaddr", "--target-pid", "42", "--regions", "4K-8K",
	"16K-32K", "--target-pid", "43", "--regions", "1M-2M 3M-4M",
	"--monitoring-intervals", "10ms", "200ms", "2s",
	"--monitoring-intervals-goal", "4%", "3", "5ms", "10s",
	"--monitoring-nr-regions-range", "20", "2000",
	"--refresh-stat", "2s", "--obsolete-targets", "1",
	"--pause-ctx", "0", "--nr-targets", "2", "--nr-ctxs", "1",
	"--nr-schemes", "2",
	"--damos-action", "migrate_hot", "1",
	"--damos-sz-region", "4K", "max",
	"--damos-access-rate", "5", "50%",
	"--damos-age", "1s", "1m",
	"--damos-apply-interval", "1s",
	"--damos-quotas", "10ms", "128M", "1s", "1", "3", "7",
	"--damos-quota-goal", "some_mem_psi_us", "1ms",
	"--damos-quota-goal", "user_input", "100", "50",
	"--damos-quota-goal-tuner", "temporal",
	"--damos-quota-fail-charge-ratio", "1", "2",
	"--damos-filter", "allow", "young", "reject", "none", "anon",
	"--damos-wmarks", "free_mem_rate", "5s", "50%", "400", "200",
	"--damos-max-nr-snapshots", "7",
	"--damos-action", "pageout",
	"--damos-quotas", "0", "1G", "2s",
	"--damos-quota-goal", "active_mem_bp", "50.1%",
	"--damos-filter", "reject", "memcg", "/a",
	"--damos-nr-quota-goals", "2", "1",
	"--damos-nr-filters", "1", "1",
	NULL
};

static void test_underscore_spelling(void **state)
{
	const char *words[ARRAY_SIZE(all_opts)];
	char *underscored[ARRAY_SIZE(all_opts)];
	struct run gnu, damo;
	size_t i;
	char *p;

	(void)state;
	for (i = 0; all_opts[i]; i++) {
		underscored[i] = xstrdup(all_opts[i]);
		if (!strncmp(all_opts[i], "--", 2))
			for (p = underscored[i] + 2; *p; p++)
				if (*p == '-')
					*p = '_';
		words[i] = underscored[i];
	}
	words[i] = NULL;
	underscored[i] = NULL;
	assert_string_equal(words[0], "--ops");
	assert_string_equal(words[2], "--target_pid");
	run_words(&gnu, all_opts);
	run_words(&damo, words);
	assert_ok(&gnu);
	assert_ok(&damo);
	assert_same_ctx(ctx_of(&gnu), ctx_of(&damo));
	assert_int_equal(gnu.cfg.kdamonds[0].refresh_ms, 2000);
	assert_int_equal(damo.cfg.kdamonds[0].refresh_ms, 2000);
	assert_int_equal(ctx_of(&gnu)->nr_schemes, 2);
	assert_int_equal(ctx_of(&gnu)->schemes[0].quota.nr_goals, 2);
	assert_int_equal(ctx_of(&gnu)->schemes[1].quota.nr_goals, 1);
	assert_int_equal(ctx_of(&gnu)->schemes[0].nr_filters, 2);
	assert_int_equal(ctx_of(&gnu)->schemes[1].nr_filters, 1);
	for (i = 0; underscored[i]; i++)
		free(underscored[i]);
	run_release(&gnu);
	run_release(&damo);
}

static void assert_all_opts_ctx(const struct damon_ctx *c)
{
	assert_int_equal(c->ops, DAMON_OPS_FVADDR);
	assert_int_equal(c->nr_targets, 2);
	assert_int_equal(c->targets[0].pid, 42);
	assert_int_equal(c->targets[0].nr_regions, 2);
	assert_int_equal(c->targets[0].regions[0].start, 4096);
	assert_int_equal(c->targets[0].regions[0].end, 8192);
	assert_int_equal(c->targets[0].regions[1].start, 16384);
	assert_int_equal(c->targets[0].regions[1].end, 32768);
	assert_false(c->targets[0].obsolete);
	assert_int_equal(c->targets[1].pid, 43);
	assert_int_equal(c->targets[1].nr_regions, 2);
	assert_int_equal(c->targets[1].regions[1].end, 4 << 20);
	assert_true(c->targets[1].obsolete);
	assert_int_equal(c->intervals.sample_us, 10000);
	assert_int_equal(c->intervals.aggr_us, 200000);
	assert_int_equal(c->intervals.ops_update_us, 2000000);
	assert_int_equal(c->intervals.goal.access_bp, 400);
	assert_int_equal(c->intervals.goal.aggrs, 3);
	assert_int_equal(c->intervals.goal.min_sample_us, 5000);
	assert_int_equal(c->intervals.goal.max_sample_us, 10000000);
	assert_int_equal(c->min_nr_regions, 20);
	assert_int_equal(c->max_nr_regions, 2000);
	assert_true(c->pause);
}

static void assert_all_opts_schemes(const struct damon_ctx *c)
{
	const struct damos *s = &c->schemes[0];


	assert_int_equal(s->action, DAMOS_MIGRATE_HOT);
	assert_true(s->has_target_nid);
	assert_int_equal(s->target_nid, 1);
	assert_int_equal(s->pattern.min_sz_bytes, 4096);
	assert_int_equal(s->pattern.min_nr_accesses, 500);
	assert_int_equal(s->pattern.max_nr_accesses, 5000);
	assert_int_equal(s->pattern.min_age, 1000000);
	assert_int_equal(s->pattern.max_age, 60000000);
	assert_int_equal(s->apply_interval_us, 1000000);
	assert_int_equal(s->quota.time_ms, 10);
	assert_int_equal(s->quota.sz_bytes, 128 << 20);
	assert_int_equal(s->quota.reset_interval_ms, 1000);
	assert_int_equal(s->quota.weight_sz_permil, 1);
	assert_int_equal(s->quota.weight_nr_accesses_permil, 3);
	assert_int_equal(s->quota.weight_age_permil, 7);
	assert_int_equal(s->quota.goals[0].metric,
			 DAMOS_QGOAL_SOME_MEM_PSI_US);
	assert_int_equal(s->quota.goals[0].target_value, 1000);
	assert_int_equal(s->quota.goals[1].metric, DAMOS_QGOAL_USER_INPUT);
	assert_int_equal(s->quota.goals[1].target_value, 100);
	assert_int_equal(s->quota.goals[1].current_value, 50);
	assert_int_equal(s->quota.goal_tuner, DAMOS_GOAL_TUNER_TEMPORAL);
	assert_int_equal(s->quota.fail_charge_num, 1);
	assert_int_equal(s->quota.fail_charge_denom, 2);
	assert_int_equal(s->wmarks.metric, DAMOS_WMARK_FREE_MEM_RATE);
	assert_int_equal(s->wmarks.interval_us, 5000000);
	assert_int_equal(s->wmarks.high_permil, 500);
	assert_int_equal(s->wmarks.mid_permil, 400);
	assert_int_equal(s->wmarks.low_permil, 200);
	assert_int_equal(s->max_nr_snapshots, 7);

	s = &c->schemes[1];
	assert_int_equal(s->action, DAMOS_PAGEOUT);
	assert_true(s->pattern.max_nr_accesses == DAMON_MAX);
	assert_int_equal(s->apply_interval_us, 0);
	assert_int_equal(s->quota.sz_bytes, GiB);
	assert_int_equal(s->quota.goals[0].target_value, 5010);
	assert_int_equal(s->quota.goal_tuner, DAMOS_GOAL_TUNER_CONSIST);
	assert_int_equal(s->wmarks.metric, DAMOS_WMARK_NONE);
	assert_string_equal(s->filters[0].memcg_path, "/a");
	assert_false(s->filters[0].allow);
}

/* The model of all_opts, field by field. */
static void test_all_options(void **state)
{
	struct run r;

	(void)state;
	run_words(&r, all_opts);
	assert_ok(&r);
	assert_all_opts_ctx(ctx_of(&r));
	assert_all_opts_schemes(ctx_of(&r));
	run_release(&r);
}

static void test_defaults(void **state)
{
	const struct damon_ctx *c;
	struct damos def;
	struct run r;

	(void)state;
	RUN(&r, "--damos-action", "stat");
	assert_ok(&r);
	c = ctx_of(&r);
	assert_int_equal(c->ops, DAMON_OPS_PADDR);
	assert_int_equal(c->addr_unit, 1);
	assert_int_equal(c->nr_targets, 1);
	assert_false(c->targets[0].has_pid);
	assert_int_equal(c->targets[0].nr_regions, 0);
	assert_int_equal(c->intervals.sample_us, 5000);
	assert_int_equal(c->intervals.aggr_us, 100000);
	assert_int_equal(c->intervals.ops_update_us, 1000000);
	assert_int_equal(c->intervals.goal.aggrs, 0);
	assert_int_equal(c->min_nr_regions, 10);
	assert_int_equal(c->max_nr_regions, 1000);
	assert_false(c->pause);
	assert_int_equal(r.cfg.kdamonds[0].refresh_ms, 0);
	assert_int_equal(c->nr_schemes, 1);
	damos_init(&def);
	assert_same_scheme(&c->schemes[0], &def);
	run_release(&r);

	RUN(&r, NULL);
	assert_ok(&r);
	assert_false(damon_opts_given(&r.a));
	assert_int_equal(ctx_of(&r)->nr_schemes, 0);
	assert_int_equal(ctx_of(&r)->ops, DAMON_OPS_PADDR);
	run_release(&r);
}

static void test_ops_defaults(void **state)
{
	struct run r;

	(void)state;
	RUN(&r, "--target-pid", "42");
	assert_ok(&r);
	assert_int_equal(ctx_of(&r)->ops, DAMON_OPS_VADDR);
	run_release(&r);

	RUN(&r, "--target-pid", "42", "-r", "4096-8192", "4K-8K");
	assert_int_equal(r.parse_err, 0);
	/* The second region overlaps the first: left to validation. */
	assert_diag(&r, "kdamonds[0].contexts[0].targets[0].regions[1].start",
		    "overlaps");
	/* as damo: --target-pid with --regions stays vaddr */
	assert_int_equal(ctx_of(&r)->ops, DAMON_OPS_VADDR);
	run_release(&r);

	RUN(&r, "--regions", "1G-2G");
	assert_ok(&r);
	assert_int_equal(ctx_of(&r)->ops, DAMON_OPS_PADDR);
	assert_int_equal(ctx_of(&r)->targets[0].regions[0].start, GiB);
	run_release(&r);
}

static void test_interval_overrides(void **state)
{
	const struct damon_ctx *c;
	struct run r;

	(void)state;
	RUN(&r, "--monitoring-intervals", "10ms", "200ms", "2s", "-s", "6ms",
	    "-a", "300ms", "-u", "3s", "--monitoring-nr-regions-range", "5",
	    "50", "-n", "7", "-m", "70", "--monitoring-intervals-autotune",
	    "--damon-addr-unit", "4096", "--refresh-stat", "500");
	assert_ok(&r);
	c = ctx_of(&r);
	assert_int_equal(c->intervals.sample_us, 6000);
	assert_int_equal(c->intervals.aggr_us, 300000);
	assert_int_equal(c->intervals.ops_update_us, 3000000);
	assert_int_equal(c->min_nr_regions, 7);
	assert_int_equal(c->max_nr_regions, 70);
	assert_int_equal(c->addr_unit, 4096);
	assert_int_equal(r.cfg.kdamonds[0].refresh_ms, 500);
	assert_int_equal(c->intervals.goal.access_bp, 400);
	assert_int_equal(c->intervals.goal.aggrs, 3);
	run_release(&r);
}

static void test_filter_types(void **state)
{
	const struct damos_filter *f;
	struct run r;

	(void)state;
	RUN(&r, "--target-pid", "42", "--damos-action", "stat",
	    "--damos-filter", "allow", "anon", "reject", "none", "active",
	    "block", "young", "deny", "unmapped",
	    "--damos-filter", "reject", "memcg", "/a/b", "allow", "addr",
	    "4K", "8K",
	    "--damos-filter", "reject", "none", "target", "0", "allow",
	    "hugepage_size", "2M", "1G");
	assert_ok(&r);
	assert_int_equal(ctx_of(&r)->schemes[0].nr_filters, 8);
	f = ctx_of(&r)->schemes[0].filters;
	assert_int_equal(f[0].type, DAMOS_FILTER_ANON);
	assert_true(f[0].allow && f[0].matching);
	assert_int_equal(f[1].type, DAMOS_FILTER_ACTIVE);
	assert_true(!f[1].allow && !f[1].matching);
	assert_int_equal(f[2].type, DAMOS_FILTER_YOUNG);
	assert_false(f[2].allow);
	assert_int_equal(f[3].type, DAMOS_FILTER_UNMAPPED);
	assert_int_equal(f[4].type, DAMOS_FILTER_MEMCG);
	assert_string_equal(f[4].memcg_path, "/a/b");
	assert_int_equal(f[5].type, DAMOS_FILTER_ADDR);
	assert_true(f[5].allow);
	assert_int_equal(f[5].addr_range.start, 4096);
	assert_int_equal(f[5].addr_range.end, 8192);
	assert_int_equal(f[6].type, DAMOS_FILTER_TARGET);
	assert_false(f[6].matching);
	assert_int_equal(f[6].target_idx, 0);
	assert_int_equal(f[7].type, DAMOS_FILTER_HUGEPAGE_SIZE);
	assert_true(f[7].has_hugepage_size);
	assert_int_equal(f[7].min_hugepage_sz, 2 << 20);
	assert_int_equal(f[7].max_hugepage_sz, GiB);
	run_release(&r);
}

static void test_filter_old_syntax(void **state)
{
	const struct damos_filter *f;
	struct run r;

	(void)state;
	RUN(&r, "--damos-action", "stat",
	    "--damos-filter", "anon", "matching",
	    "--damos-filter", "memcg", "nomatching", "/x", "pass",
	    "--damos-filter", "addr", "matching", "0", "4K", "reject");
	assert_ok(&r);
	assert_int_equal(ctx_of(&r)->schemes[0].nr_filters, 3);
	f = ctx_of(&r)->schemes[0].filters;
	assert_int_equal(f[0].type, DAMOS_FILTER_ANON);
	assert_true(f[0].matching && !f[0].allow);
	assert_int_equal(f[1].type, DAMOS_FILTER_MEMCG);
	assert_true(!f[1].matching && f[1].allow);
	assert_string_equal(f[1].memcg_path, "/x");
	assert_int_equal(f[2].addr_range.end, 4096);
	assert_false(f[2].allow);
	run_release(&r);
}

static void test_goal_metrics(void **state)
{
	const struct damos_quota_goal *g;
	struct run r;

	(void)state;
	RUN(&r, "--damos-action", "stat", "--damos-quotas", "10ms", "1G", "1s",
	    "--damos-quota-goal", "user_input", "100", "50",
	    "--damos-quota-goal", "some_mem_psi_us", "1ms",
	    "--damos-quota-goal", "node_mem_used_bp", "99.7%", "0",
	    "--damos-quota-goal", "node_mem_free_bp", "50%", "1",
	    "--damos-quota-goal", "node_memcg_used_bp", "30%", "0", "/a",
	    "--damos-quota-goal", "node_memcg_free_bp", "30.5%", "1", "/b",
	    "--damos-quota-goal", "active_mem_bp", "50.1%",
	    "--damos-quota-goal", "inactive_mem_bp", "2000",
	    "--damos-quota-goal", "node_eligible_mem_bp", "42");
	assert_ok(&r);
	assert_int_equal(ctx_of(&r)->schemes[0].quota.nr_goals, 9);
	g = ctx_of(&r)->schemes[0].quota.goals;
	assert_int_equal(g[0].metric, DAMOS_QGOAL_USER_INPUT);
	assert_int_equal(g[0].target_value, 100);
	assert_int_equal(g[0].current_value, 50);
	assert_int_equal(g[1].metric, DAMOS_QGOAL_SOME_MEM_PSI_US);
	assert_int_equal(g[1].target_value, 1000);
	assert_int_equal(g[2].metric, DAMOS_QGOAL_NODE_MEM_USED_BP);
	assert_int_equal(g[2].target_value, 9970);
	assert_true(g[2].has_nid);
	assert_int_equal(g[2].nid, 0);
	assert_int_equal(g[3].target_value, 5000);
	assert_int_equal(g[3].nid, 1);
	assert_int_equal(g[4].metric, DAMOS_QGOAL_NODE_MEMCG_USED_BP);
	assert_int_equal(g[4].target_value, 3000);
	assert_string_equal(g[4].path, "/a");
	assert_int_equal(g[5].target_value, 3050);
	assert_string_equal(g[5].path, "/b");
	assert_int_equal(g[6].metric, DAMOS_QGOAL_ACTIVE_MEM_BP);
	assert_int_equal(g[6].target_value, 5010);
	assert_int_equal(g[7].metric, DAMOS_QGOAL_INACTIVE_MEM_BP);
	assert_int_equal(g[7].target_value, 2000);
	assert_int_equal(g[8].metric, DAMOS_QGOAL_NODE_ELIGIBLE_MEM_BP);
	assert_int_equal(g[8].target_value, 42);
	assert_false(g[8].has_nid);
	run_release(&r);
}

static void test_quota_alternative(void **state)
{
	const struct damos_quota *q;
	struct run r;

	(void)state;
	RUN(&r, "--damos-action", "stat", "--damos-action", "stat",
	    "--damos-quota-interval", "1s", "--damos-quota-space", "100M",
	    "--damos-quota-interval", "2s", "--damos-quota-time", "20",
	    "--damos-quota-weights", "0", "1", "1",
	    "--damos-quota-weights", "10%", "0", "5",
	    "--damos-quota-goal", "active_mem_bp", "50%",
	    "--damos-nr-quota-goals", "1", "0");
	assert_ok(&r);
	q = &ctx_of(&r)->schemes[0].quota;
	assert_int_equal(q->reset_interval_ms, 1000);
	assert_int_equal(q->sz_bytes, 100 << 20);
	assert_int_equal(q->time_ms, 20);
	assert_int_equal(q->weight_sz_permil, 0);
	assert_int_equal(q->weight_nr_accesses_permil, 1);
	assert_int_equal(q->nr_goals, 1);
	q = &ctx_of(&r)->schemes[1].quota;
	assert_int_equal(q->reset_interval_ms, 2000);
	assert_int_equal(q->sz_bytes, 0);
	assert_int_equal(q->weight_sz_permil, 100);
	assert_int_equal(q->weight_age_permil, 5);
	assert_int_equal(q->nr_goals, 0);
	run_release(&r);

	/* Without weights the alternative form weighs everything 1. */
	RUN(&r, "--damos-action", "stat", "--damos-quota-space", "1G");
	assert_ok(&r);
	q = &ctx_of(&r)->schemes[0].quota;
	assert_int_equal(q->weight_sz_permil, 1);
	assert_int_equal(q->weight_age_permil, 1);
	assert_true(q->reset_interval_ms == DAMON_MAX);
	run_release(&r);
}

static void test_migrate(void **state)
{
	const struct damos *s;
	struct run r;

	(void)state;
	RUN(&r, "--damos-action", "migrate_hot", "1",
	    "--damos-access-rate", "5%", "max",
	    "--damos-action", "migrate_cold", "0", "30", "1", "70");
	assert_ok(&r);
	s = &ctx_of(&r)->schemes[0];
	assert_true(s->has_target_nid);
	assert_int_equal(s->target_nid, 1);
	assert_int_equal(s->nr_dests, 0);
	assert_int_equal(s->pattern.min_nr_accesses, 500);
	s = &ctx_of(&r)->schemes[1];
	assert_false(s->has_target_nid);
	assert_int_equal(s->nr_dests, 2);
	assert_int_equal(s->dests[0].id, 0);
	assert_int_equal(s->dests[0].weight, 30);
	assert_int_equal(s->dests[1].id, 1);
	assert_int_equal(s->dests[1].weight, 70);
	assert_int_equal(s->pattern.min_nr_accesses, 0);
	run_release(&r);

	RUN(&r, "--damos-action", "migrate_hot");
	assert_diag(&r, "--damos-action", "needs a NUMA node id");
	run_release(&r);
	RUN(&r, "--damos-action", "migrate_hot", "0", "1", "2");
	assert_diag(&r, "--damos-action", "got 3 values");
	run_release(&r);
	RUN(&r, "--damos-action", "pageout", "1");
	assert_diag(&r, "--damos-action", "takes no value, got '1'");
	run_release(&r);
}

static void test_scheme_errors(void **state)
{
	struct run r;

	(void)state;
	RUN(&r, "--damos-age", "1s", "2s", "--damos-filter", "allow", "anon");
	assert_diag(&r, "--damos-age", "needs --damos-action");
	assert_diag(&r, "--damos-filter", "needs --damos-action");
	run_release(&r);

	RUN(&r, "--damos-action", "stat", "--damos-age", "1", "2",
	    "--damos-age", "3", "4");
	assert_diag(&r, "--damos-age", "given 2 times for 1 scheme");
	run_release(&r);

	RUN(&r, "--damos-action", "stat", "--damos-age", "30 sx", "max");
	assert_diag(&r, "--damos-age", "'30 sx' is not a time");
	run_release(&r);

	RUN(&r, "--damos-action", "stat", "--damos_sz_region", "1Q", "max");
	assert_diag(&r, "--damos-sz-region", "'1Q' is not a size");
	run_release(&r);

	RUN(&r, "--damos-action", "stat", "--damos-access-rate", "x", "1");
	assert_diag(&r, "--damos-access-rate", "'x' is not a percentage");
	run_release(&r);
}

static void test_scheme_keyword_errors(void **state)
{
	struct run r;

	(void)state;
	RUN(&r, "--damos-action", "sleep");
	assert_diag(&r, "--damos-action", "'sleep' is not a DAMOS action");
	run_release(&r);

	RUN(&r, "--damos-action", "stat", "--damos-filter", "allow", "fast");
	assert_diag(&r, "--damos-filter", "'fast' is not a filter type");
	run_release(&r);

	RUN(&r, "--damos-action", "stat", "--damos-filter", "allow", "memcg");
	assert_diag(&r, "--damos-filter", "needs a cgroup path");
	run_release(&r);

	RUN(&r, "--damos-action", "stat", "--damos-quotas", "1", "0", "1s",
	    "--damos-quota-goal", "user_input", "100");
	assert_diag(&r, "--damos-quota-goal", "takes CURRENT");
	run_release(&r);

	RUN(&r, "--damos-action", "stat", "--damos-quotas", "1", "0", "1s",
	    "--damos-quota-goal", "psi", "100");
	assert_diag(&r, "--damos-quota-goal", "'psi' is not a quota goal");
	run_release(&r);

	RUN(&r, "--damos-action", "stat", "--damos-quotas", "10ms",
	    "--damos-quota-goal", "active_mem_bp", "50%");
	assert_diag(&r, "--damos-quota-goal", "reset interval");
	run_release(&r);

	RUN(&r, "--damos-action", "stat", "--damos-quotas", "10ms",
	    "--damos-quota-space", "1G");
	assert_diag(&r, "--damos-quota-space", "cannot be used with");
	run_release(&r);

	RUN(&r, "--damos-action", "stat", "--damos-action", "stat",
	    "--damos-filter", "allow", "anon");
	assert_diag(&r, "--damos-filter", "--damos-nr-filters");
	run_release(&r);

	RUN(&r, "--damos-action", "stat", "--damos-action", "stat",
	    "--damos-filter", "allow", "anon", "--damos-nr-filters", "1", "1");
	assert_diag(&r, "--damos-nr-filters", "add up to 2");
	run_release(&r);

	RUN(&r, "--damos-action", "stat", "--damos-wmarks", "low_mem", "1s",
	    "1", "1", "1", "--damos-quota-goal-tuner", "fast");
	assert_diag(&r, "--damos-wmarks", "'low_mem' is not a watermarks");
	assert_diag(&r, "--damos-quota-goal-tuner",
		    "'fast' is not a goal tuner");
	run_release(&r);
}

static void test_ctx_errors(void **state)
{
	struct run r;

	(void)state;
	RUN(&r, "--regions", "4096-8192", "--numa-node", "0");
	assert_diag(&r, "--numa-node", "not both");
	run_release(&r);

	setenv("DAMO_SYSTEM_ROOT", "/nonexistent", 1);
	RUN(&r, "--numa-node", "0", "1");
	assert_diag(&r, "--numa-node", "cannot read the memory of node 0");
	run_release(&r);
	unsetenv("DAMO_SYSTEM_ROOT");

	RUN(&r, "--ops", "vaddr", "--ops", "paddr");
	assert_diag(&r, "--ops", "multiple contexts are not supported");
	run_release(&r);

	RUN(&r, "--ops", "kaddr");
	assert_diag(&r, "--ops", "'kaddr' is not an operations set");
	run_release(&r);

	RUN(&r, "--nr-ctxs", "1", "1");
	assert_diag(&r, "--nr-ctxs", "multiple contexts are not supported");
	run_release(&r);

	RUN(&r, "--nr-targets", "2");
	assert_diag(&r, "--nr-targets", "does not match the 1 target");
	run_release(&r);

	RUN(&r, "--pause-ctx", "1");
	assert_diag(&r, "--pause-ctx", "multiple contexts are not supported");
	run_release(&r);

	RUN(&r, "--target-pid", "abc");
	assert_diag(&r, "--target-pid", "'abc' is not a process id");
	run_release(&r);

	RUN(&r, "--target-pid", "1", "--regions", "4K-8K",
	    "--regions", "8K-16K");
	assert_diag(&r, "--regions", "given 2 times for 1 target");
	run_release(&r);

	RUN(&r, "--regions", "4K8K");
	assert_diag(&r, "--regions", "'4K8K' is not a region");
	run_release(&r);

	RUN(&r, "--obsolete-targets", "3");
	assert_diag(&r, "--obsolete-targets", "'3' is not a target index");
	run_release(&r);

	RUN(&r, "--monitoring-intervals-goal", "4%", "3", "5ms", "10s",
	    "--monitoring-intervals-autotune");
	assert_diag(&r, "--monitoring-intervals-autotune", "cannot be used");
	run_release(&r);

	/* Model rules are checked once the options themselves are fine. */
	RUN(&r, "--monitoring-nr-regions-range", "100", "10");
	assert_diag(&r, "kdamonds[0].contexts[0].nr_regions.min",
		    "greater than max");
	run_release(&r);
}

static void test_arity(void **state)
{
	struct run r;

	(void)state;
	RUN(&r, "--monitoring-intervals", "5ms", "100ms");
	assert_int_not_equal(r.parse_err, 0);
	run_release(&r);

	RUN(&r, "--monitoring-intervals", "5ms", "100ms", "--ops", "paddr");
	assert_int_not_equal(r.parse_err, 0);
	run_release(&r);

	RUN(&r, "--damos-action", "stat", "--damos-wmarks", "none", "0", "0");
	assert_int_not_equal(r.parse_err, 0);
	run_release(&r);

	/* A negative number is a value, "-r" is the next option. */
	RUN(&r, "--damos-action", "migrate_hot", "-1", "-r", "4K-8K");
	assert_int_equal(r.parse_err, 0);
	assert_int_equal(ctx_of(&r)->schemes[0].target_nid, -1);
	assert_int_equal(ctx_of(&r)->targets[0].nr_regions, 1);
	assert_diag(&r, "kdamonds[0].contexts[0].schemes[0].target_nid",
		    "not a NUMA node id");
	run_release(&r);
}

/* Positional words around multi-value options still reach the parent. */
static void test_positional_words(void **state)
{
	struct run r;

	(void)state;
	RUN(&r, "one", "--damos-age", "1s", "2s", "two",
	    "--monitoring-intervals", "1ms", "2ms", "3ms", "three",
	    "--damos-action", "stat");
	assert_int_equal(r.parse_err, 0);
	assert_int_equal(r.nr_pos, 3);
	assert_string_equal(r.pos[0], "one");
	assert_string_equal(r.pos[1], "two");
	assert_string_equal(r.pos[2], "three");
	assert_ok(&r);
	assert_int_equal(ctx_of(&r)->schemes[0].pattern.min_age, 1000000);
	assert_int_equal(ctx_of(&r)->intervals.ops_update_us, 3000);
	run_release(&r);
}

/* Write @text to a new temporary file; return its name (owned). */
static char *write_tmp(const char *text, const char *suffix)
{
	char *path = xasprintf("/tmp/test_damon_opts_XXXXXX%s", suffix);
	int fd = mkstemps(path, (int)strlen(suffix));

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void test_scheme_files(void **state)
{
	char *list = write_tmp("- action: pageout\n"
			       "  apply_interval_us: 1 s\n"
			       "- action: cold\n", ".yaml");
	char *doc = write_tmp("{\"kdamonds\": [{\"contexts\": [{"
			      "\"ops\": \"vaddr\", \"targets\": [],"
			      "\"schemes\": [{\"action\": \"willneed\"}]}]}]}",
			      ".json");
	char *bad = write_tmp("- action: pageout\n"
			      "- action: sleep\n", ".yaml");
	const struct damon_ctx *c;
	struct run r;

	(void)state;
	RUN(&r, "--target-pid", "42", "--damos-action", "stat", "--scheme",
	    list, "--scheme", doc);
	assert_ok(&r);
	c = ctx_of(&r);
	assert_int_equal(c->nr_schemes, 4);
	assert_int_equal(c->schemes[0].action, DAMOS_STAT);
	assert_int_equal(c->schemes[1].action, DAMOS_PAGEOUT);
	assert_int_equal(c->schemes[1].apply_interval_us, 1000000);
	assert_int_equal(c->schemes[2].action, DAMOS_COLD);
	assert_int_equal(c->schemes[3].action, DAMOS_WILLNEED);
	run_release(&r);

	RUN(&r, "--scheme", bad);
	assert_int_equal(r.build_err, -EINVAL);
	assert_true(r.diag.nr >= 1);
	assert_string_equal(r.diag.v[0].file, bad);
	assert_int_equal(r.diag.v[0].line, 2);
	run_release(&r);

	RUN(&r, "--scheme", "/nonexistent/schemes.yaml");
	assert_int_equal(r.build_err, -EINVAL);
	assert_true(r.diag.nr >= 1);
	assert_string_equal(r.diag.v[0].file, "/nonexistent/schemes.yaml");
	run_release(&r);

	unlink(list);
	unlink(doc);
	unlink(bad);
	free(list);
	free(doc);
	free(bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_issue_example),
		cmocka_unit_test(test_underscore_spelling),
		cmocka_unit_test(test_all_options),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_ops_defaults),
		cmocka_unit_test(test_interval_overrides),
		cmocka_unit_test(test_filter_types),
		cmocka_unit_test(test_filter_old_syntax),
		cmocka_unit_test(test_goal_metrics),
		cmocka_unit_test(test_quota_alternative),
		cmocka_unit_test(test_migrate),
		cmocka_unit_test(test_scheme_errors),
		cmocka_unit_test(test_scheme_keyword_errors),
		cmocka_unit_test(test_ctx_errors),
		cmocka_unit_test(test_arity),
		cmocka_unit_test(test_positional_words),
		cmocka_unit_test(test_scheme_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
