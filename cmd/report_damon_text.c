/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo's text of a kdamond ("damo report damon", "args damon --format
 * report"): the same lines, indentation and number formats as damo 3.3's
 * kdamond, context, target, scheme, quota, watermark, filter and stats
 * printers.
 */
#include "cmd/report_damon.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/damon.h"
#include "core/out.h"
#include "core/units.h"

#define NS_PER_US 1000ull
#define NS_PER_MS 1000000ull

/* "%*s" and the text: each line of damo's printers is indented by nesting */
#define LINE(o, ind, ...) do { \
	out_text(o, "%*s", (int)(ind), ""); \
	out_text(o, __VA_ARGS__); \
} while (0)

/*
 * @v times @mul in decimal, the way damo's raw numbers of times in ns come
 * out of Python's big integers (18446744073709551615000 for max us).
 */
static const char *raw_scaled(char *buf, uint64_t v, uint64_t mul)
{
	unsigned __int128 x = (unsigned __int128)v * mul;
	char tmp[48];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + (int)(x % 10));
		x /= 10;
	} while (x);
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return buf;
}

/* damo's format_addr_range: "[start, end) (size)". */
static const char *addr_range(char *buf, size_t len, uint64_t start,
			      uint64_t end, bool raw)
{
	char s[UNITS_BUFSZ], e[UNITS_BUFSZ], z[UNITS_BUFSZ];

	snprintf(buf, len, "[%s, %s) (%s)", units_fmt_nr(s, start, raw),
		 units_fmt_nr(e, end, raw),
		 units_fmt_sz(z, end - start, raw));
	return buf;
}

/* damo's format_permil / format_bp: a ratio, "%f" of the value raw. */
static const char *ratio(char *buf, uint64_t v, uint64_t scale, bool raw)
{
	if (raw) {
		snprintf(buf, UNITS_BUFSZ, "%f", (double)v);
		return buf;
	}
	return units_fmt_ratio(buf, v, scale, false);
}

static void print_target(struct out *o, int ind, const struct damon_target *t,
			 bool raw)
{
	char buf[3 * UNITS_BUFSZ + 16];
	size_t i;

	/* damo indents its empty text of a bare target: a blank line */
	if (!t->has_pid && !t->obsolete && !t->nr_regions)
		LINE(o, ind, "\n");
	if (t->has_pid)
		LINE(o, ind, "pid: %" PRId64 "\n", t->pid);
	if (t->obsolete)
		LINE(o, ind, "(obsolete)\n");
	for (i = 0; i < t->nr_regions; i++)
		LINE(o, ind, "region %s\n",
		     addr_range(buf, sizeof(buf), t->regions[i].start,
				t->regions[i].end, raw));
}

static void print_intervals(struct out *o, int ind,
			    const struct damon_intervals *iv, bool raw)
{
	char s[UNITS_BUFSZ], a[UNITS_BUFSZ], u[UNITS_BUFSZ];
	char g1[UNITS_BUFSZ], g2[UNITS_BUFSZ], g3[UNITS_BUFSZ], g4[UNITS_BUFSZ];
	const struct damon_intervals_goal *g = &iv->goal;

	if (!g->aggrs) {
		LINE(o, ind, "intervals: sample %s, aggr %s, update %s\n",
		     units_fmt_time(s, iv->sample_us, NS_PER_US, raw),
		     units_fmt_time(a, iv->aggr_us, NS_PER_US, raw),
		     units_fmt_time(u, iv->ops_update_us, NS_PER_US, raw));
		return;
	}
	LINE(o, ind, "intervals\n");
	LINE(o, ind + 4, "sample %s, aggr %s, update %s\n",
	     units_fmt_time(s, iv->sample_us, NS_PER_US, raw),
	     units_fmt_time(a, iv->aggr_us, NS_PER_US, raw),
	     units_fmt_time(u, iv->ops_update_us, NS_PER_US, raw));
	LINE(o, ind + 4, "target %s accesses per %s aggrs, [%s, %s] sampling interval\n",
	     ratio(g1, g->access_bp, 10000, raw), units_fmt_nr(g2, g->aggrs, raw),
	     units_fmt_time(g3, g->min_sample_us, NS_PER_US, raw),
	     units_fmt_time(g4, g->max_sample_us, NS_PER_US, raw));
}

/* One end of the access pattern's nr_accesses, in the scheme's unit. */
static const char *nr_acc(char *buf, const struct damos_access_pattern *p,
			  uint64_t v, bool raw)
{
	char n[UNITS_BUFSZ];

	if (p->nr_accesses_unit == DAMOS_NR_ACCESSES_SAMPLES) {
		snprintf(buf, UNITS_BUFSZ + 16, "%s samples",
			 units_fmt_nr(n, v, raw));
		return buf;
	}
	/* percent: the model keeps basis points */
	snprintf(buf, UNITS_BUFSZ + 16, "%s %%",
		 units_fmt_nr(n, v == UINT64_MAX ? v : v / 100, raw));
	return buf;
}

static const char *age(char *buf, const struct damos_access_pattern *p,
		       uint64_t v, bool raw)
{
	char n[UNITS_BUFSZ];

	if (p->age_unit == DAMOS_AGE_US) {
		/* damo's exact times are in ns raw, and 0 is "0 ns" */
		if (raw)
			raw_scaled(buf, v, NS_PER_US);
		else if (!v)
			snprintf(buf, UNITS_BUFSZ + 16, "0 ns");
		else
			units_fmt_time_exact(buf, v, NS_PER_US, false);
		return buf;
	}
	snprintf(buf, UNITS_BUFSZ + 16, "%s aggr_intervals",
		 units_fmt_nr(n, v, raw));
	return buf;
}

static void print_quota(struct out *o, int ind, const struct damos_quota *q,
			bool params_only, bool raw)
{
	char t[UNITS_BUFSZ], z[UNITS_BUFSZ], e[UNITS_BUFSZ], r[UNITS_BUFSZ];
	char a[UNITS_BUFSZ], b[UNITS_BUFSZ];
	size_t i;

	/* damo prints the time quota in ns when raw */
	if (raw)
		raw_scaled(t, q->time_ms, NS_PER_MS);
	else
		units_fmt_time(t, q->time_ms, NS_PER_MS, false);
	units_fmt_sz(z, q->sz_bytes, raw);
	units_fmt_time(r, q->reset_interval_ms, NS_PER_MS, raw);
	if (params_only)
		LINE(o, ind, "%s / %s per %s\n", t, z, r);
	else
		LINE(o, ind, "%s / %s / %s per %s\n", t, z,
		     units_fmt_sz(e, q->effective_sz_bytes, raw), r);
	if (q->fail_charge_denom)
		LINE(o, ind, "fail charge ratio: %" PRIu64 "/%" PRIu64 "/\n",
		     q->fail_charge_num, q->fail_charge_denom);
	for (i = 0; i < q->nr_goals; i++) {
		const struct damos_quota_goal *g = &q->goals[i];
		char nid[UNITS_BUFSZ + 8] = "";

		if (g->has_nid && damos_qgoal_needs_nid(g->metric))
			snprintf(nid, sizeof(nid), "nid %s", units_fmt_i64(a, g->nid, raw));
		if (damos_qgoal_needs_path(g->metric))
			LINE(o, ind, "goal %zu: metric %s (%s%smemcg %s) target %s current %s\n",
			     i, damos_qgoal_metric_name(g->metric), nid,
			     *nid ? ", " : "", g->path ? g->path : "",
			     units_fmt_nr(a, g->target_value, raw),
			     units_fmt_nr(b, g->current_value, raw));
		else if (*nid)
			LINE(o, ind, "goal %zu: metric %s (%s) target %s current %s\n",
			     i, damos_qgoal_metric_name(g->metric), nid,
			     units_fmt_nr(a, g->target_value, raw),
			     units_fmt_nr(b, g->current_value, raw));
		else
			LINE(o, ind, "goal %zu: metric %s target %s current %s\n",
			     i, damos_qgoal_metric_name(g->metric),
			     units_fmt_nr(a, g->target_value, raw),
			     units_fmt_nr(b, g->current_value, raw));
	}
	if (q->nr_goals)
		LINE(o, ind, "goal tuner: %s\n", damos_goal_tuner_name(q->goal_tuner));
	LINE(o, ind, "priority: sz %s, nr_accesses %s, age %s\n",
	     ratio(t, q->weight_sz_permil, 1000, raw),
	     ratio(z, q->weight_nr_accesses_permil, 1000, raw),
	     ratio(e, q->weight_age_permil, 1000, raw));
}

static void print_filter(struct out *o, int ind, const struct damos_filter *f,
			 bool raw)
{
	char buf[3 * UNITS_BUFSZ + 16], a[UNITS_BUFSZ], b[UNITS_BUFSZ];
	const char *head = f->allow ? "allow" : "reject";
	const char *non = f->matching ? "" : "none ";
	const char *type = damos_filter_type_name(f->type);

	if (!strcmp(type, "memcg"))
		LINE(o, ind, "%s %s%s %s\n", head, non, type,
		     f->memcg_path ? f->memcg_path : "");
	else if (!strcmp(type, "addr"))
		LINE(o, ind, "%s %s%s %s\n", head, non, type,
		     addr_range(buf, sizeof(buf), f->addr_range.start,
				f->addr_range.end, raw));
	else if (!strcmp(type, "target"))
		LINE(o, ind, "%s %s%s %s\n", head, non, type,
		     units_fmt_nr(a, f->target_idx, raw));
	else if (!strcmp(type, "hugepage_size") && f->has_hugepage_size)
		LINE(o, ind, "%s %s%s [%s, %s]\n", head, non, type,
		     units_fmt_sz(a, f->min_hugepage_sz, raw),
		     units_fmt_sz(b, f->max_hugepage_sz, raw));
	else
		LINE(o, ind, "%s %s%s\n", head, non, type);
}

static void print_stats(struct out *o, int ind, const struct damos *s,
			bool raw)
{
	const struct damos_stats *st = &s->stats;
	char a[UNITS_BUFSZ], b[UNITS_BUFSZ];

	LINE(o, ind, "tried %s times (%s)\n", units_fmt_nr(a, st->nr_tried, raw),
	     units_fmt_sz(b, st->sz_tried, raw));
	LINE(o, ind, "applied %s times (%s)\n",
	     units_fmt_nr(a, st->nr_applied, raw),
	     units_fmt_sz(b, st->sz_applied, raw));
	LINE(o, ind, "%s passed filters\n",
	     units_fmt_sz(a, st->sz_ops_filter_passed, raw));
	LINE(o, ind, "quota exceeded %s times\n",
	     units_fmt_nr(a, st->qt_exceeds, raw));
	/* damo prints the passed size twice */
	LINE(o, ind, "%s\n", units_fmt_sz(a, st->sz_ops_filter_passed, raw));
	LINE(o, ind, "tried %s snapshots (max %s)\n",
	     units_fmt_nr(a, st->nr_snapshots, raw),
	     units_fmt_nr(b, s->max_nr_snapshots, raw));
}

static void print_scheme(struct out *o, int ind, const struct damos *s,
			 const struct report_damon_show *how)
{
	const struct damos_access_pattern *p = &s->pattern;
	char a[UNITS_BUFSZ + 16], b[UNITS_BUFSZ + 16], c[UNITS_BUFSZ];
	char buf[3 * UNITS_BUFSZ + 16];
	bool raw = how->raw;
	size_t i;

	out_text(o, "%*saction: %s", ind, "", damos_action_name(s->action));
	if ((s->action == DAMOS_MIGRATE_HOT ||
	     s->action == DAMOS_MIGRATE_COLD) && s->has_target_nid)
		out_text(o, " to node %" PRId64, s->target_nid);
	else if (s->action == DAMOS_MIGRATE_HOT ||
		 s->action == DAMOS_MIGRATE_COLD)
		out_text(o, " to node None");
	if (s->apply_interval_us)
		out_text(o, " per %s\n",
			 units_fmt_time(a, s->apply_interval_us, NS_PER_US, raw));
	else
		out_text(o, " per aggr interval\n");
	LINE(o, ind, "target access pattern\n");
	LINE(o, ind + 4, "sz: [%s, %s]\n", units_fmt_sz(a, p->min_sz_bytes, raw),
	     units_fmt_sz(b, p->max_sz_bytes, raw));
	LINE(o, ind + 4, "nr_accesses: [%s, %s]\n",
	     nr_acc(a, p, p->min_nr_accesses, raw),
	     nr_acc(b, p, p->max_nr_accesses, raw));
	LINE(o, ind + 4, "age: [%s, %s]\n", age(a, p, p->min_age, raw),
	     age(b, p, p->max_age, raw));
	for (i = 0; i < s->nr_dests; i++)
		LINE(o, ind, "dest %" PRIu64 " weight %" PRIu64 "\n",
		     s->dests[i].id, s->dests[i].weight);
	LINE(o, ind, "quotas\n");
	print_quota(o, ind + 4, &s->quota, how->params_only, raw);
	LINE(o, ind, "watermarks\n");
	LINE(o, ind + 4, "metric %s, interval %s\n",
	     damos_wmark_metric_name(s->wmarks.metric),
	     units_fmt_time(a, s->wmarks.interval_us, NS_PER_US, raw));
	LINE(o, ind + 4, "%s, %s, %s\n",
	     ratio(a, s->wmarks.high_permil, 1000, raw),
	     ratio(b, s->wmarks.mid_permil, 1000, raw),
	     ratio(buf, s->wmarks.low_permil, 1000, raw));
	for (i = 0; i < s->nr_filters; i++) {
		LINE(o, ind, "filter %zu\n", i);
		print_filter(o, ind + 4, &s->filters[i], raw);
	}
	if (how->params_only || how->no_stats)
		return;
	LINE(o, ind, "statistics\n");
	print_stats(o, ind + 4, s, raw);
	if (how->omit_tried_regions)
		return;
	LINE(o, ind, "tried regions (%s)\n", units_fmt_sz(a, s->tried_bytes, raw));
	for (i = 0; i < s->nr_tried; i++) {
		const struct damos_tried_region *r = &s->tried[i];

		LINE(o, ind + 4, "%s: nr_accesses: %s samples, age: %s aggr_intervals, filter_passed: %s\n",
		     addr_range(buf, sizeof(buf), r->start, r->end, raw),
		     units_fmt_nr(a, r->nr_accesses, raw),
		     units_fmt_nr(b, r->age, raw),
		     units_fmt_sz(c, r->sz_filter_passed, raw));
	}
}

static void print_ctx(struct out *o, int ind, const struct damon_ctx *c,
		      const struct report_damon_show *how)
{
	char a[UNITS_BUFSZ], b[UNITS_BUFSZ];
	size_t i;

	out_text(o, "%*sops: %s", ind, "", damon_ops_name(c->ops));
	if (c->addr_unit != 1)
		out_text(o, " addr_unit %s", units_fmt_nr(a, c->addr_unit, how->raw));
	out_text(o, "\n");
	if (c->pause)
		LINE(o, ind, "pause: True\n");
	for (i = 0; i < c->nr_targets; i++) {
		LINE(o, ind, "target %zu\n", i);
		print_target(o, ind + 4, &c->targets[i], how->raw);
	}
	print_intervals(o, ind, &c->intervals, how->raw);
	LINE(o, ind, "nr_regions: [%s, %s]\n",
	     units_fmt_nr(a, c->min_nr_regions, how->raw),
	     units_fmt_nr(b, c->max_nr_regions, how->raw));
	for (i = 0; i < c->nr_schemes; i++) {
		LINE(o, ind, "scheme %zu\n", i);
		print_scheme(o, ind + 4, &c->schemes[i], how);
	}
	LINE(o, ind, "access sample control\n");
	/* this damo samples page tables */
	LINE(o, ind, "enabled primitives: page_table\n");
}

void report_damon_summary(char *buf, size_t len, const struct kdamond *k,
			  const struct report_damon_show *how,
			  const char *cpu_usage)
{
	char t[UNITS_BUFSZ];
	size_t n = 0;

	buf[0] = '\0';
	if (!how->params_only) {
		n += (size_t)snprintf(buf + n, len - n, "state: %s",
				      k->on ? "on" : "off");
		if (k->has_pid && n < len)
			n += (size_t)snprintf(buf + n, len - n, ", pid: %" PRId64,
					      k->pid);
	}
	if (k->refresh_ms && n < len)
		n += (size_t)snprintf(buf + n, len - n, "%sstats refresh per: %s",
				      n ? ", " : "",
				      units_fmt_time(t, k->refresh_ms, NS_PER_MS,
						     how->raw));
	if (cpu_usage && n < len)
		snprintf(buf + n, len - n, "%scpu usage: %s", n ? ", " : "",
			 cpu_usage);
}

void report_damon_print(struct out *o, size_t idx, const struct kdamond *k,
			const struct report_damon_show *how,
			const char *cpu_usage)
{
	char summary[256];
	size_t i;

	out_text(o, "kdamond %zu\n", idx);
	report_damon_summary(summary, sizeof(summary), k, how, cpu_usage);
	if (summary[0])
		out_text(o, "    %s\n", summary);
	for (i = 0; i < k->nr_ctxs; i++) {
		out_text(o, "    context %zu\n", i);
		print_ctx(o, 8, &k->ctxs[i], how);
	}
}
