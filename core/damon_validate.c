/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model validation with the kernel's rules (docs/kernel-damon.md §1.3, §1.4), so
 * that a configuration is refused before anything is written anywhere.
 */
#include "damon.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "units.h"

#define PATH_MAX_LEN 192

struct vctx {
	struct diag *diag;
	size_t nr;
	bool schemes_only;
	bool no_pids;
};

/* @dst = @base + the formatted suffix, truncated if it must be. */
static void __attribute__((format(printf, 3, 4)))
sub(char *dst, const char *base, const char *fmt, ...)
{
	size_t len = strlen(base);
	va_list ap;

	if (len >= PATH_MAX_LEN)
		len = PATH_MAX_LEN - 1;
	memcpy(dst, base, len);
	va_start(ap, fmt);
	vsnprintf(dst + len, PATH_MAX_LEN - len, fmt, ap);
	va_end(ap);
}

static void __attribute__((format(printf, 4, 5)))
bad(struct vctx *v, const char *base, const char *leaf, const char *fmt, ...)
{
	char path[PATH_MAX_LEN * 2];
	char msg[512];
	va_list ap;

	sub(path, base, "%s%s", leaf && *leaf ? "." : "",
		 leaf ? leaf : "");
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_add(v->diag, path, "%s", msg);
	v->nr++;
}

/* Access pattern bounds in the unit they were given in: "50 %", "3 s". */
static const char *fmt_sz(char *buf, const struct damos_access_pattern *ap,
			  uint64_t val)
{
	(void)ap;
	return units_fmt_sz_exact(buf, val, false);
}

static const char *fmt_nr_acc(char *buf, const struct damos_access_pattern *ap,
			      uint64_t val)
{
	char nr[UNITS_BUFSZ];

	if (ap->nr_accesses_unit == DAMOS_NR_ACCESSES_PERCENT)
		return units_fmt_ratio(buf, val, UNITS_BP, false);
	snprintf(buf, UNITS_BUFSZ, "%s samples", units_fmt_nr(nr, val, false));
	return buf;
}

static const char *fmt_age(char *buf, const struct damos_access_pattern *ap,
			   uint64_t val)
{
	char nr[UNITS_BUFSZ];

	if (ap->age_unit == DAMOS_AGE_US)
		return units_fmt_time_exact(buf, val, UNITS_US, false);
	snprintf(buf, UNITS_BUFSZ, "%s aggr_intervals",
		 units_fmt_nr(nr, val, false));
	return buf;
}

static void check_range(struct vctx *v, const char *base, const char *what,
			const struct damos_access_pattern *ap, uint64_t min,
			uint64_t max,
			const char *(*fmt)(char *,
					   const struct damos_access_pattern *,
					   uint64_t))
{
	char a[UNITS_BUFSZ], b[UNITS_BUFSZ], leaf[64];

	if (min <= max)
		return;
	snprintf(leaf, sizeof(leaf), "%s.min", what);
	bad(v, base, leaf, "min (%s) is greater than max (%s)",
	    fmt(a, ap, min), fmt(b, ap, max));
}

/* An access rate is 0 to 100 % of the samples ("max" is 100 % too). */
static void check_rate(struct vctx *v, const char *base, const char *leaf,
		       const struct damos_access_pattern *ap, uint64_t val)
{
	char a[UNITS_BUFSZ];

	if (ap->nr_accesses_unit == DAMOS_NR_ACCESSES_PERCENT &&
	    val != UINT64_MAX && val > 10000)
		bad(v, base, leaf, "%s is more than 100 %% (access rates are 0 to 100 %%)",
		    units_fmt_ratio(a, val, UNITS_BP, false));
}

static void check_intervals(struct vctx *v, const char *base,
			    const struct damon_intervals *iv)
{
	const struct damon_intervals_goal *g = &iv->goal;
	char a[UNITS_BUFSZ], b[UNITS_BUFSZ];

	if (!iv->sample_us)
		bad(v, base, "sample_us", "must be at least 1 us");
	if (iv->sample_us > iv->aggr_us)
		bad(v, base, "sample_us",
		    "sampling interval (%s) is longer than the aggregation interval (%s)",
		    units_fmt_time_exact(a, iv->sample_us, UNITS_US, false),
		    units_fmt_time_exact(b, iv->aggr_us, UNITS_US, false));
	if (g->access_bp > 10000)
		bad(v, base, "intervals_goal.access_bp",
		    "%s is more than 100 %%",
		    units_fmt_ratio(a, g->access_bp, UNITS_BP, false));
	if (!g->aggrs)
		return;
	if (g->min_sample_us > g->max_sample_us)
		bad(v, base, "intervals_goal.min_sample_us",
		    "min_sample_us (%s) is greater than max_sample_us (%s)",
		    units_fmt_time_exact(a, g->min_sample_us, UNITS_US, false),
		    units_fmt_time_exact(b, g->max_sample_us, UNITS_US, false));
	else if (iv->sample_us < g->min_sample_us ||
		 iv->sample_us > g->max_sample_us)
		bad(v, base, "sample_us",
		    "%s is outside the auto-tuning range [%s, %s]",
		    units_fmt_time_exact(a, iv->sample_us, UNITS_US, false),
		    units_fmt_time_exact(b, g->min_sample_us, UNITS_US, false),
		    units_fmt_time_exact((char[UNITS_BUFSZ]){0},
					 g->max_sample_us, UNITS_US, false));
}

static void check_regions(struct vctx *v, const char *base,
			  const struct damon_target *t)
{
	char p[PATH_MAX_LEN], a[UNITS_BUFSZ], b[UNITS_BUFSZ];
	size_t i;

	for (i = 0; i < t->nr_regions; i++) {
		const struct damon_addr_range *r = &t->regions[i];

		sub(p, base, ".regions[%zu]", i);
		if (r->start >= r->end)
			bad(v, p, "start", "start (%s) is not below end (%s)",
			    units_fmt_nr(a, r->start, true),
			    units_fmt_nr(b, r->end, true));
		if (i && t->regions[i - 1].end > r->start)
			bad(v, p, "start",
			    "region overlaps or is not sorted after the previous one (which ends at %s)",
			    units_fmt_nr(a, t->regions[i - 1].end, true));
	}
}

int64_t damon_pid_max(void)
{
	static int64_t max;
	char buf[32];
	FILE *f;

	if (max)
		return max;
	max = DAMON_PID_LIMIT;
	f = fopen("/proc/sys/kernel/pid_max", "re");
	if (f) {
		if (fgets(buf, sizeof(buf), f)) {
			long long v = strtoll(buf, NULL, 10);

			if (v > 1 && v < DAMON_PID_LIMIT)
				max = v;
		}
		fclose(f);
	}
	return max;
}

bool damon_pid_valid(int64_t pid)
{
	return pid > 0 && pid < damon_pid_max();
}

static void check_target(struct vctx *v, const char *base,
			 const struct damon_ctx *c, const struct damon_target *t)
{
	bool need_pid = c->ops != DAMON_OPS_PADDR && !v->no_pids;

	if (need_pid && !t->has_pid)
		bad(v, base, "pid", "ops '%s' needs the pid of a process",
		    damon_ops_name(c->ops));
	/*
	 * A pid that no process can have is refused even where none is
	 * needed: whoever reads the target later narrows it to a pid_t.
	 */
	else if (t->has_pid && !damon_pid_valid(t->pid) &&
		 (need_pid || t->pid != 0))
		bad(v, base, "pid",
		    "%" PRId64 " is not a process id (1 to %" PRId64
		    ", below the kernel's pid_max)", t->pid,
		    damon_pid_max() - 1);
	check_regions(v, base, t);
}

static void check_filter(struct vctx *v, const char *base,
			 const struct damon_ctx *c, const struct damos_filter *f)
{
	char a[UNITS_BUFSZ], b[UNITS_BUFSZ];

	switch (f->type) {
	case DAMOS_FILTER_MEMCG:
		if (!f->memcg_path || !*f->memcg_path)
			bad(v, base, "memcg_path",
			    "a memcg filter needs memcg_path");
		else if (f->memcg_path[0] != '/')
			bad(v, base, "memcg_path",
			    "'%s' must be a cgroup path starting with '/' (relative to the cgroup2 mount)",
			    f->memcg_path);
		break;
	case DAMOS_FILTER_ADDR:
		if (f->addr_range.start >= f->addr_range.end)
			bad(v, base, "address_range",
			    "start (%s) is not below end (%s)",
			    units_fmt_nr(a, f->addr_range.start, true),
			    units_fmt_nr(b, f->addr_range.end, true));
		break;
	case DAMOS_FILTER_TARGET:
		if (!v->schemes_only && f->target_idx >= c->nr_targets)
			bad(v, base, "damon_target_idx",
			    "%" PRIu64 " is not a target index (the context has %zu target%s)",
			    f->target_idx, c->nr_targets,
			    c->nr_targets == 1 ? "" : "s");
		break;
	case DAMOS_FILTER_HUGEPAGE_SIZE:
		if (f->has_hugepage_size &&
		    f->min_hugepage_sz > f->max_hugepage_sz)
			bad(v, base, "hugepage_size",
			    "min (%s) is greater than max (%s)",
			    units_fmt_sz_exact(a, f->min_hugepage_sz, false),
			    units_fmt_sz_exact(b, f->max_hugepage_sz, false));
		break;
	default:
		break;
	}
}

/* The kernel keeps NUMA node ids in an int. */
#define NID_RANGE " (0 to 2147483647)"

static bool nid_valid(int64_t nid)
{
	return nid >= 0 && nid <= INT32_MAX;
}

static void check_goal(struct vctx *v, const char *base,
		       const struct damos_quota_goal *g)
{
	const char *name = damos_qgoal_metric_name(g->metric);

	if (!g->target_value)
		bad(v, base, "target_value",
		    "0 makes the kernel ignore this goal; give the value to aim for");
	if (damos_qgoal_needs_nid(g->metric) && !g->has_nid)
		bad(v, base, "nid", "metric '%s' needs a NUMA node id (nid)",
		    name);
	if (g->has_nid && !nid_valid(g->nid))
		bad(v, base, "nid", "%" PRId64 " is not a NUMA node id%s",
		    g->nid, NID_RANGE);
	if (damos_qgoal_needs_path(g->metric) &&
	    (!g->path || g->path[0] != '/'))
		bad(v, base, "memcg_path",
		    "metric '%s' needs a cgroup path starting with '/'", name);
	if (damos_qgoal_is_bp(g->metric) && g->target_value > 10000)
		bad(v, base, "target_value", "%" PRIu64 " bp is more than 100 %%",
		    g->target_value);
}

static void check_quota(struct vctx *v, const char *base,
			const struct damos_quota *q)
{
	char p[PATH_MAX_LEN];
	size_t i;

	if (q->weight_sz_permil > UINT32_MAX)
		bad(v, base, "weights.sz_permil", "is larger than 2^32 - 1");
	if (q->weight_nr_accesses_permil > UINT32_MAX)
		bad(v, base, "weights.nr_accesses_permil",
		    "is larger than 2^32 - 1");
	if (q->weight_age_permil > UINT32_MAX)
		bad(v, base, "weights.age_permil", "is larger than 2^32 - 1");
	if (q->fail_charge_num && !q->fail_charge_denom)
		bad(v, base, "fail_charge_num",
		    "has no effect while fail_charge_denom is 0");
	if (q->nr_goals && (!q->reset_interval_ms ||
			    q->reset_interval_ms == DAMON_MAX))
		bad(v, base, "reset_interval_ms",
		    "quota goals are evaluated once per reset interval; set one");
	for (i = 0; i < q->nr_goals; i++) {
		sub(p, base, ".goals[%zu]", i);
		check_goal(v, p, &q->goals[i]);
	}
}

static void check_wmarks(struct vctx *v, const char *base,
			 const struct damos_watermarks *w)
{
	if (w->metric == DAMOS_WMARK_NONE)
		return;
	if (w->high_permil > 1000)
		bad(v, base, "high_permil", "is more than 1000 permil (100 %%)");
	if (w->high_permil < w->mid_permil)
		bad(v, base, "mid_permil", "must not be above high_permil");
	if (w->mid_permil < w->low_permil)
		bad(v, base, "low_permil", "must not be above mid_permil");
	if (!w->interval_us)
		bad(v, base, "interval_us",
		    "watermarks need a check interval above 0");
}

static void check_scheme(struct vctx *v, const char *base,
			 const struct damon_ctx *c, const struct damos *s)
{
	const struct damos_access_pattern *ap = &s->pattern;
	char p[PATH_MAX_LEN], ab[PATH_MAX_LEN];
	bool migrate = s->action == DAMOS_MIGRATE_HOT ||
		       s->action == DAMOS_MIGRATE_COLD;
	size_t i;

	if (!v->schemes_only && !damos_action_supported(s->action, c->ops))
		bad(v, base, "action",
		    "action '%s' is not supported by ops '%s'",
		    damos_action_name(s->action), damon_ops_name(c->ops));
	if (migrate && !s->has_target_nid && !s->nr_dests)
		bad(v, base, "action",
		    "'%s' needs a destination node: target_nid or dests",
		    damos_action_name(s->action));
	if (!migrate && (s->has_target_nid || s->nr_dests))
		bad(v, base, s->nr_dests ? "dests" : "target_nid",
		    "only migrate_hot and migrate_cold take destinations");
	if (s->has_target_nid && !nid_valid(s->target_nid))
		bad(v, base, "target_nid", "%" PRId64 " is not a NUMA node id%s",
		    s->target_nid, NID_RANGE);
	for (i = 0; i < s->nr_dests; i++) {
		sub(p, base, ".dests[%zu]", i);
		if (s->dests[i].id > INT32_MAX)
			bad(v, p, "id", "%" PRIu64 " is not a NUMA node id%s",
			    s->dests[i].id, NID_RANGE);
		if (s->dests[i].weight > UINT32_MAX)
			bad(v, p, "weight", "%" PRIu64
			    " is larger than 2^32 - 1", s->dests[i].weight);
	}
	sub(ab, base, ".access_pattern");
	check_range(v, ab, "sz_bytes", ap, ap->min_sz_bytes, ap->max_sz_bytes,
		    fmt_sz);
	check_rate(v, ab, "nr_accesses.min", ap, ap->min_nr_accesses);
	check_rate(v, ab, "nr_accesses.max", ap, ap->max_nr_accesses);
	check_range(v, ab, "nr_accesses", ap, ap->min_nr_accesses,
		    ap->max_nr_accesses, fmt_nr_acc);
	check_range(v, ab, "age", ap, ap->min_age, ap->max_age, fmt_age);
	sub(p, base, ".quotas");
	check_quota(v, p, &s->quota);
	sub(p, base, ".watermarks");
	check_wmarks(v, p, &s->wmarks);
	for (i = 0; i < s->nr_filters; i++) {
		sub(p, base, ".filters[%zu]", i);
		check_filter(v, p, c, &s->filters[i]);
	}
}

static void check_ctx(struct vctx *v, const char *base,
		      const struct damon_ctx *c)
{
	char p[PATH_MAX_LEN];
	size_t i;

	if (v->schemes_only) {
		for (i = 0; i < c->nr_schemes; i++) {
			sub(p, base, ".schemes[%zu]", i);
			check_scheme(v, p, c, &c->schemes[i]);
		}
		return;
	}
	if (!c->addr_unit)
		bad(v, base, "addr_unit", "must be at least 1");
	else if (c->addr_unit != 1 && c->ops != DAMON_OPS_PADDR)
		bad(v, base, "addr_unit", "only paddr supports an addr_unit other than 1");
	sub(p, base, ".intervals");
	check_intervals(v, p, &c->intervals);
	if (c->min_nr_regions < 3)
		bad(v, base, "nr_regions.min",
		    "%" PRIu64 " is below 3, the smallest the kernel accepts",
		    c->min_nr_regions);
	else if (c->min_nr_regions > c->max_nr_regions)
		bad(v, base, "nr_regions.min",
		    "min (%" PRIu64 ") is greater than max (%" PRIu64 ")",
		    c->min_nr_regions, c->max_nr_regions);
	if (c->ops == DAMON_OPS_PADDR && c->nr_targets > 1)
		bad(v, base, "targets",
		    "paddr monitors one physical address space; %zu targets given",
		    c->nr_targets);
	for (i = 0; i < c->nr_targets; i++) {
		sub(p, base, ".targets[%zu]", i);
		check_target(v, p, c, &c->targets[i]);
	}
	for (i = 0; i < c->nr_schemes; i++) {
		sub(p, base, ".schemes[%zu]", i);
		check_scheme(v, p, c, &c->schemes[i]);
	}
}

size_t damon_config_validate(const struct damon_config *cfg,
			     unsigned int flags, struct diag *diag)
{
	struct vctx v = {
		.diag = diag,
		.schemes_only = flags & DAMON_VALIDATE_SCHEMES_ONLY,
		.no_pids = flags & DAMON_VALIDATE_NO_PIDS,
	};
	char p[PATH_MAX_LEN];
	size_t i, j;

	for (i = 0; i < cfg->nr_kdamonds; i++) {
		const struct kdamond *k = &cfg->kdamonds[i];

		snprintf(p, sizeof(p), "kdamonds[%zu]", i);
		if (k->nr_ctxs != 1)
			bad(&v, p, "contexts",
			    "a kdamond runs exactly one context; %zu given",
			    k->nr_ctxs);
		for (j = 0; j < k->nr_ctxs; j++) {
			snprintf(p, sizeof(p), "kdamonds[%zu].contexts[%zu]",
				 i, j);
			check_ctx(&v, p, &k->ctxs[j]);
		}
	}
	return v.nr;
}
