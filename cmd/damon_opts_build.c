/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Build the kdamond, context and targets of a configuration from the DAMON
 * parameter options, and append the schemes of --scheme files.
 */
#include "damon_opts.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/damon_opts_internal.h"
#include "core/damon.h"
#include "core/diag.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "formats/config.h"
#include "kdamond/system.h"

#define MULTI_CTX "multiple contexts are not supported"

/* Options that set one value of the context or kdamond. */
static const int ctx_keys[] = {
	DOPT_OPS, DOPT_INTERVALS, DOPT_SAMPLE, DOPT_AGGR, DOPT_UPDR,
	DOPT_INTERVALS_GOAL, DOPT_NR_REGIONS, DOPT_MINR, DOPT_MAXR,
	DOPT_REFRESH_STAT, DOPT_ADDR_UNIT,
};

/*
 * damo applies the i-th occurrence of these to the i-th context; with one
 * context, a second occurrence would silently describe another one.
 */
static void check_single_ctx(const struct damon_opts_args *a, struct diag *d)
{
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(ctx_keys); i++) {
		n = dopts_count(a, ctx_keys[i]);
		if (n > 1)
			dopts_err(d, ctx_keys[i], "given %zu times; " MULTI_CTX,
				  n);
	}
}

static void time_opt(const struct damon_opts_args *a, int key, size_t idx,
		     uint64_t unit_ns, uint64_t *out, struct diag *d)
{
	const struct damon_opt_occ *o = dopts_nth(a, key, 0);

	if (o)
		dopts_time(d, key, o->vals[idx], unit_ns, out);
}

static void nr_opt(const struct damon_opts_args *a, int key, size_t idx,
		   uint64_t *out, struct diag *d)
{
	const struct damon_opt_occ *o = dopts_nth(a, key, 0);

	if (o)
		dopts_nr(d, key, o->vals[idx], out);
}

static void build_intervals(const struct damon_opts_args *a,
			    struct damon_intervals *iv, struct diag *d)
{
	struct damon_intervals_goal *g = &iv->goal;
	const struct damon_opt_occ *o;

	time_opt(a, DOPT_INTERVALS, 0, UNITS_US, &iv->sample_us, d);
	time_opt(a, DOPT_INTERVALS, 1, UNITS_US, &iv->aggr_us, d);
	time_opt(a, DOPT_INTERVALS, 2, UNITS_US, &iv->ops_update_us, d);
	time_opt(a, DOPT_SAMPLE, 0, UNITS_US, &iv->sample_us, d);
	time_opt(a, DOPT_AGGR, 0, UNITS_US, &iv->aggr_us, d);
	time_opt(a, DOPT_UPDR, 0, UNITS_US, &iv->ops_update_us, d);

	o = dopts_nth(a, DOPT_INTERVALS_GOAL, 0);
	if (o) {
		dopts_ratio(d, DOPT_INTERVALS_GOAL, o->vals[0], UNITS_BP,
			    &g->access_bp);
		dopts_nr(d, DOPT_INTERVALS_GOAL, o->vals[1], &g->aggrs);
		dopts_time(d, DOPT_INTERVALS_GOAL, o->vals[2], UNITS_US,
			   &g->min_sample_us);
		dopts_time(d, DOPT_INTERVALS_GOAL, o->vals[3], UNITS_US,
			   &g->max_sample_us);
	}
	if (!dopts_count(a, DOPT_AUTOTUNE))
		goto out_default_sample;
	if (o) {
		dopts_err(d, DOPT_AUTOTUNE,
			  "cannot be used with --%s; give one of them",
			  dopts_name(DOPT_INTERVALS_GOAL));
		return;
	}
	/* damo's autotune: 4 % of accesses per 3 aggregations, 5 ms..10 s. */
	g->access_bp = 400;
	g->aggrs = 3;
	g->min_sample_us = 5000;
	g->max_sample_us = 10000000;
out_default_sample:
	/*
	 * damo takes a goal whose range leaves out the default 5 ms sample
	 * ("--monitoring_intervals_goal 4% 3 10ms 5s"); the kernel refuses
	 * a sampling interval outside the range, so a sample interval that
	 * was not given starts at the nearest end of it.  One that was given
	 * is checked as given.
	 */
	if (!g->aggrs || dopts_count(a, DOPT_SAMPLE) ||
	    dopts_count(a, DOPT_INTERVALS) ||
	    g->min_sample_us > g->max_sample_us)
		return;
	if (iv->sample_us < g->min_sample_us)
		iv->sample_us = g->min_sample_us;
	else if (iv->sample_us > g->max_sample_us)
		iv->sample_us = g->max_sample_us;
}

/* "START-END" words, or one word holding several separated by blanks. */
static void parse_regions(const struct damon_opt_occ *o, struct damon_target *t,
			  struct diag *d)
{
	struct damon_addr_range r, *nr;
	char *copy, *tok, *save, *dash;
	size_t i;

	for (i = 0; i < o->nr_vals; i++) {
		copy = xstrdup(o->vals[i]);
		for (tok = strtok_r(copy, " \t\n", &save); tok;
		     tok = strtok_r(NULL, " \t\n", &save)) {
			dash = strchr(tok, '-');
			if (!dash || strchr(dash + 1, '-')) {
				dopts_err(d, DOPT_REGIONS,
					  "'%s' is not a region (START-END)",
					  tok);
				continue;
			}
			*dash = '\0';
			if (dopts_addr(d, DOPT_REGIONS, tok, &r.start) ||
			    dopts_addr(d, DOPT_REGIONS, dash + 1, &r.end))
				continue;
			nr = damon_target_add_region(t);
			*nr = r;
		}
		free(copy);
	}
	if (!t->nr_regions && o->nr_vals)
		dopts_err(d, DOPT_REGIONS, "no region given (START-END)");
}

/* --numa-node NID...: the memory blocks of those nodes, merged. */
static void numa_regions(const struct damon_opt_occ *o, struct damon_target *t,
			 struct diag *d)
{
	int64_t nid;
	size_t i;
	int err;

	if (t->nr_regions) {
		dopts_err(d, DOPT_NUMA_NODE, "give --%s or --%s for a target, not both",
			  dopts_name(DOPT_REGIONS), dopts_name(DOPT_NUMA_NODE));
		return;
	}
	for (i = 0; i < o->nr_vals; i++) {
		if (dopts_i64(d, DOPT_NUMA_NODE, o->vals[i], "a NUMA node id",
			      &nid))
			continue;
		err = system_node_regions(nid, t);
		if (err)
			dopts_err(d, DOPT_NUMA_NODE,
				  "cannot read the memory of node %s: %s",
				  o->vals[i], strerror(-err));
	}
}

static void build_targets(const struct damon_opts_args *a,
			  struct damon_ctx *c, struct diag *d)
{
	size_t nr_pids = dopts_count(a, DOPT_TARGET_PID);
	size_t nr_regions = dopts_count(a, DOPT_REGIONS);
	size_t nr = nr_pids ? nr_pids : 1, i;
	const struct damon_opt_occ *o;
	struct damon_target *t;

	if (nr_regions > nr)
		dopts_err(d, DOPT_REGIONS,
			  "given %zu times for %zu target%s; the i-th --%s applies to the i-th --%s",
			  nr_regions, nr, nr == 1 ? "" : "s",
			  dopts_name(DOPT_REGIONS),
			  dopts_name(DOPT_TARGET_PID));
	for (i = 0; i < nr; i++) {
		t = damon_ctx_add_target(c);
		o = dopts_nth(a, DOPT_TARGET_PID, i);
		if (o && !dopts_pid(d, DOPT_TARGET_PID, o->vals[0], &t->pid))
			t->has_pid = true;
		o = dopts_nth(a, DOPT_REGIONS, i);
		if (o)
			parse_regions(o, t, d);
		o = dopts_nth(a, DOPT_NUMA_NODE, i);
		if (o)
			numa_regions(o, t, d);
	}
}

static const char *ops_kw(int i)
{
	return damon_ops_name(i);
}

static void build_ops(const struct damon_opts_args *a, struct damon_ctx *c,
		      struct diag *d)
{
	const struct damon_opt_occ *o = dopts_nth(a, DOPT_OPS, 0);
	char kw[128];
	int ops;

	if (!o) {
		/*
		 * As damo: a pid means vaddr, with --regions too (they are
		 * its initial layout); fvaddr is asked for by --ops, or
		 * chosen by a positional pid or command with --regions.
		 */
		c->ops = dopts_count(a, DOPT_TARGET_PID) ? DAMON_OPS_VADDR :
							  DAMON_OPS_PADDR;
		return;
	}
	ops = damon_ops_from_name(o->vals[0]);
	if (ops < 0)
		dopts_err(d, DOPT_OPS, "'%s' is not an operations set (%s)",
			  o->vals[0],
			  dopts_keywords(kw, sizeof(kw), ops_kw, NR_DAMON_OPS));
	else
		c->ops = ops;
}

/* Indexes of --obsolete-targets and --pause-ctx. */
static void build_marks(const struct damon_opts_args *a, struct damon_ctx *c,
			struct diag *d)
{
	const struct damon_opt_occ *o;
	uint64_t idx;
	size_t i, j;

	for (i = 0; (o = dopts_nth(a, DOPT_OBSOLETE_TARGETS, i)); i++) {
		for (j = 0; j < o->nr_vals; j++) {
			if (dopts_nr(d, o->key, o->vals[j], &idx))
				continue;
			if (idx >= c->nr_targets)
				dopts_err(d, o->key,
					  "'%s' is not a target index (%zu target%s given)",
					  o->vals[j], c->nr_targets,
					  c->nr_targets == 1 ? "" : "s");
			else
				c->targets[idx].obsolete = true;
		}
	}
	for (i = 0; (o = dopts_nth(a, DOPT_PAUSE_CTX, i)); i++) {
		for (j = 0; j < o->nr_vals; j++) {
			if (dopts_nr(d, o->key, o->vals[j], &idx))
				continue;
			if (idx)
				dopts_err(d, o->key,
					  "'%s' is not a context index; " MULTI_CTX,
					  o->vals[j]);
			else
				c->pause = true;
		}
	}
}

/*
 * --nr-targets, --nr-ctxs and --nr-schemes distribute targets and schemes
 * over several contexts and kdamonds.  Accept them when they describe the
 * one context that is built.
 */
static void check_layout(const struct damon_opts_args *a, int key,
			 size_t have, const char *what, struct diag *d)
{
	const struct damon_opt_occ *o;
	uint64_t v;
	size_t i, n = 0;

	for (i = 0; (o = dopts_nth(a, key, i)); i++)
		n += o->nr_vals;
	if (!n)
		return;
	if (n > 1) {
		dopts_err(d, key, "%zu values given; " MULTI_CTX, n);
		return;
	}
	o = dopts_nth(a, key, 0);
	if (dopts_nr(d, key, o->vals[0], &v))
		return;
	if (v != have)
		dopts_err(d, key, "'%s' does not match the %zu %s%s given%s",
			  o->vals[0], have, what, have == 1 ? "" : "s",
			  key == DOPT_NR_CTXS ? "; " MULTI_CTX : "");
}

/* Move the schemes of @src (of a file) to the end of @c. */
static void take_schemes(struct damon_ctx *c, struct damon_ctx *src)
{
	struct damos *s;
	size_t i;

	for (i = 0; i < src->nr_schemes; i++) {
		s = damon_ctx_add_scheme(c);
		*s = src->schemes[i];
		damos_init(&src->schemes[i]);
	}
}

static void load_scheme_files(const struct damon_opts_args *a,
			      struct damon_ctx *c, struct diag *d)
{
	struct config_file cf;
	size_t i;

	for (i = 0; i < a->nr_scheme_files; i++) {
		if (config_load(a->scheme_files[i], true, &cf, d))
			continue;
		if (!cf.cfg.nr_kdamonds || !cf.cfg.kdamonds[0].nr_ctxs)
			dopts_err(d, DOPT_SCHEME,
				  "'%s' has no context to take schemes from",
				  a->scheme_files[i]);
		else
			take_schemes(c, &cf.cfg.kdamonds[0].ctxs[0]);
		config_file_release(&cf);
	}
	for (i = 0; i < a->nr_scheme_texts; i++) {
		const char *t = a->scheme_texts[i];

		if (config_parse(t, strlen(t), "--schemes", true, &cf, d))
			continue;
		if (!cf.cfg.nr_kdamonds || !cf.cfg.kdamonds[0].nr_ctxs)
			dopts_err(d, DOPT_SCHEMES,
				  "'%s' has no context to take schemes from",
				  t);
		else
			take_schemes(c, &cf.cfg.kdamonds[0].ctxs[0]);
		config_file_release(&cf);
	}
}

static void build_ctx(const struct damon_opts_args *a, struct kdamond *k,
		      struct damon_ctx *c, struct diag *d)
{
	const struct damon_opt_occ *o;

	check_single_ctx(a, d);
	build_intervals(a, &c->intervals, d);
	nr_opt(a, DOPT_NR_REGIONS, 0, &c->min_nr_regions, d);
	nr_opt(a, DOPT_NR_REGIONS, 1, &c->max_nr_regions, d);
	nr_opt(a, DOPT_MINR, 0, &c->min_nr_regions, d);
	nr_opt(a, DOPT_MAXR, 0, &c->max_nr_regions, d);
	time_opt(a, DOPT_REFRESH_STAT, 0, UNITS_MS, &k->refresh_ms, d);
	o = dopts_nth(a, DOPT_ADDR_UNIT, 0);
	if (o)
		dopts_size(d, DOPT_ADDR_UNIT, o->vals[0], &c->addr_unit);
	build_targets(a, c, d);
	build_ops(a, c, d);
	build_marks(a, c, d);
}

int damon_opts_build_unchecked(const struct damon_opts_args *a,
			       struct damon_config *cfg, struct diag *d)
{
	size_t first = d->nr;
	struct damon_ctx *c;
	struct kdamond *k;

	k = damon_config_add_kdamond(cfg);
	c = kdamond_add_ctx(k);
	build_ctx(a, k, c, d);
	dopts_build_schemes(a, c, d);
	load_scheme_files(a, c, d);
	check_layout(a, DOPT_NR_CTXS, 1, "context", d);
	check_layout(a, DOPT_NR_TARGETS, c->nr_targets, "target", d);
	check_layout(a, DOPT_NR_SCHEMES, c->nr_schemes, "scheme", d);
	return d->nr == first ? 0 : -EINVAL;
}

int damon_opts_build(const struct damon_opts_args *a, struct damon_config *cfg,
		     struct diag *d)
{
	int err = damon_opts_build_unchecked(a, cfg, d);

	if (!err && damon_config_validate(cfg, 0, d))
		err = -EINVAL;
	return err;
}

int damon_opts_add_schemes(const struct damon_opts_args *a,
			   struct damon_config *cfg, struct diag *d)
{
	size_t first = d->nr;

	if (!cfg->nr_kdamonds || !cfg->kdamonds[0].nr_ctxs) {
		dopts_err(d, DOPT_SCHEME, "the configuration has no context");
		return -EINVAL;
	}
	load_scheme_files(a, &cfg->kdamonds[0].ctxs[0], d);
	if (d->nr == first)
		damon_config_validate(cfg, 0, d);
	return d->nr == first ? 0 : -EINVAL;
}

const char *damon_opts_target_option(const struct damon_opts_args *a)
{
	static const int keys[] = {
		DOPT_OPS, DOPT_TARGET_PID, DOPT_REGIONS, DOPT_NUMA_NODE,
	};
	size_t i, j;

	for (i = 0; i < a->nr_occ; i++)
		for (j = 0; j < ARRAY_SIZE(keys); j++)
			if (a->occ[i].key == keys[j])
				return dopts_name(keys[j]);
	return NULL;
}

bool damon_opts_intervals_given(const struct damon_opts_args *a)
{
	static const int keys[] = {
		DOPT_SAMPLE, DOPT_AGGR, DOPT_UPDR, DOPT_INTERVALS,
		DOPT_INTERVALS_GOAL, DOPT_AUTOTUNE,
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (dopts_count(a, keys[i]))
			return true;
	return false;
}
