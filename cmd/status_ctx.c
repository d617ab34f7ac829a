/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo status: a context as text and JSON, its schemes, patterns and
 * filters.  Text shows values as an operator reads them (hex addresses,
 * "max", ages as times, ranges on one line); JSON keeps exact numbers.
 */
#include "cmd/status.h"

#include <inttypes.h>
#include <stdio.h>

#include "core/damon.h"
#include "core/out.h"
#include "core/units.h"

/* @v as text: "max" for the kernel's maximum of a field, else @fmt'd. */
static const char *fmt_or_max(char buf[UNITS_BUFSZ], uint64_t v,
			      const char *shown)
{
	if (v == DAMON_MAX || v == UINT32_MAX)
		return "max";
	snprintf(buf, UNITS_BUFSZ, "%s", shown);
	return buf;
}

/*
 * A range: {min, max} under @key in JSON, one line "@label: MIN .. MAX"
 * in text, each end as @min_s and @max_s show it (or "max").
 */
static void print_range(struct out *o, const char *key, const char *label,
			uint64_t min, uint64_t max, const char *min_s,
			const char *max_s, const char *unit)
{
	char a[UNITS_BUFSZ], b[UNITS_BUFSZ], line[3 * UNITS_BUFSZ];

	out_json_begin_obj(o, key);
	out_print_u64(o, "min", NULL, min);
	out_print_u64(o, "max", NULL, max);
	out_json_end_obj(o);
	snprintf(line, sizeof(line), "%s .. %s%s", fmt_or_max(a, min, min_s),
		 fmt_or_max(b, max, max_s), unit);
	out_text_field(o, label, line);
}

static void print_count_range(struct out *o, const char *key,
			      const char *label, uint64_t min, uint64_t max,
			      const char *unit)
{
	char a[UNITS_BUFSZ], b[UNITS_BUFSZ];

	print_range(o, key, label, min, max, units_fmt_nr(a, min, true),
		    units_fmt_nr(b, max, true), unit);
}

/* An address range: {start, end} in JSON, "0xSTART-0xEND (SIZE)" in text. */
static void print_addr_range(struct out *o, const char *key,
			     const char *label, uint64_t start, uint64_t end)
{
	char sz[UNITS_BUFSZ], line[2 * UNITS_BUFSZ + 48];

	out_json_begin_obj(o, key);
	out_print_u64(o, "start", NULL, start);
	out_print_u64(o, "end", NULL, end);
	out_json_end_obj(o);
	snprintf(line, sizeof(line), "0x%" PRIx64 "-0x%" PRIx64 " (%s)", start,
		 end, units_fmt_sz(sz, end >= start ? end - start : 0, false));
	out_text_field(o, label, line);
}

/*
 * The access pattern as the kernel holds it (samples, aggregation
 * intervals); in text ages are times (aggregations under --raw).
 */
static void print_pattern(struct out *o, const struct damos_access_pattern *p,
			  const struct damon_intervals *iv)
{
	char a[UNITS_BUFSZ], b[UNITS_BUFSZ];
	uint64_t aggr = iv->aggr_us;

	out_begin_obj(o, "access_pattern");
	print_range(o, "sz_bytes", "sz", p->min_sz_bytes, p->max_sz_bytes,
		    units_fmt_sz(a, p->min_sz_bytes, out_is_raw(o)),
		    units_fmt_sz(b, p->max_sz_bytes, out_is_raw(o)), "");
	print_count_range(o, "nr_accesses_samples", "nr_accesses",
			  p->min_nr_accesses, p->max_nr_accesses,
			  " samples");
	if (out_is_raw(o) || !aggr ||
	    (p->max_age != UINT32_MAX && p->max_age > UINT64_MAX / aggr))
		print_count_range(o, "age_aggr_intervals", "age", p->min_age,
				  p->max_age, " aggregations");
	else
		print_range(o, "age_aggr_intervals", "age", p->min_age,
			    p->max_age,
			    units_fmt_time(a, p->min_age * aggr, UNITS_US,
					   false),
			    units_fmt_time(b, p->max_age == UINT32_MAX ? 0 :
					   p->max_age * aggr, UNITS_US, false),
			    "");
	out_end_obj(o);
}

/* A filter with the keys of a kdamonds document's filters. */
static void print_filter(struct out *o, const struct damos_filter *f)
{
	char sz[2][UNITS_BUFSZ], line[256];
	int n;

	out_json_begin_obj(o, NULL);
	out_print_str(o, "filter_type", NULL, damos_filter_type_name(f->type));
	out_print_num(o, "matching", NULL, f->matching ? "true" : "false");
	out_print_num(o, "allow", NULL, f->allow ? "true" : "false");
	n = snprintf(line, sizeof(line), "%s%s %s",
		     f->allow ? "allow" : "reject",
		     f->matching ? "" : " not",
		     damos_filter_type_name(f->type));
	switch (f->type) {
	case DAMOS_FILTER_MEMCG:
		out_print_str(o, "memcg_path", NULL, f->memcg_path);
		snprintf(line + n, sizeof(line) - (size_t)n, " %s",
			 f->memcg_path ? f->memcg_path : "-");
		break;
	case DAMOS_FILTER_ADDR:
		out_json_begin_list(o, "address_range");
		out_print_u64(o, NULL, NULL, f->addr_range.start);
		out_print_u64(o, NULL, NULL, f->addr_range.end);
		out_json_end_list(o);
		snprintf(line + n, sizeof(line) - (size_t)n,
			 " 0x%" PRIx64 "-0x%" PRIx64, f->addr_range.start,
			 f->addr_range.end);
		break;
	case DAMOS_FILTER_TARGET:
		out_print_u64(o, "damon_target_idx", NULL, f->target_idx);
		snprintf(line + n, sizeof(line) - (size_t)n, " %" PRIu64,
			 f->target_idx);
		break;
	default:
		if (!f->has_hugepage_size)
			break;
		out_json_begin_list(o, "hugepage_size");
		out_print_u64(o, NULL, NULL, f->min_hugepage_sz);
		out_print_u64(o, NULL, NULL, f->max_hugepage_sz);
		out_json_end_list(o);
		snprintf(line + n, sizeof(line) - (size_t)n, " %s .. %s",
			 units_fmt_sz(sz[0], f->min_hugepage_sz, false),
			 units_fmt_sz(sz[1], f->max_hugepage_sz, false));
	}
	out_json_end_obj(o);
	out_text_field(o, NULL, line);
}

static void print_stats(struct out *o, const struct damos *s)
{
	const struct damos_stats *st = &s->stats;

	out_begin_obj(o, "stats");
	out_u64(o, "nr_tried", st->nr_tried);
	out_size(o, "sz_tried", st->sz_tried);
	out_u64(o, "nr_applied", st->nr_applied);
	out_size(o, "sz_applied", st->sz_applied);
	out_size(o, "sz_ops_filter_passed", st->sz_ops_filter_passed);
	out_u64(o, "qt_exceeds", st->qt_exceeds);
	out_u64(o, "nr_snapshots", st->nr_snapshots);
	out_end_obj(o);
	out_size(o, "tried_bytes", s->tried_bytes);
	out_u64(o, "nr_tried_regions", s->nr_tried);
}

static void print_quotas(struct out *o, const struct damos_quota *q)
{
	size_t i;

	out_begin_obj(o, "quotas");
	out_time(o, "time_ms", q->time_ms, UNITS_MS);
	out_size(o, "sz_bytes", q->sz_bytes);
	if (q->reset_interval_ms == DAMON_MAX)
		out_u64_as(o, "reset_interval_ms", NULL, q->reset_interval_ms,
			   "max");
	else
		out_time(o, "reset_interval_ms", q->reset_interval_ms,
			 UNITS_MS);
	out_size(o, "effective_sz_bytes", q->effective_sz_bytes);
	out_begin_list(o, "goals");
	for (i = 0; i < q->nr_goals; i++) {
		out_begin_obj(o, NULL);
		out_str(o, "metric", damos_qgoal_metric_name(q->goals[i].metric));
		out_u64(o, "target_value", q->goals[i].target_value);
		out_u64(o, "current_value", q->goals[i].current_value);
		out_end_obj(o);
	}
	out_end_list(o);
	out_end_obj(o);
}

static void print_scheme(struct out *o, const struct damos *s,
			 const struct damon_intervals *iv)
{
	size_t i;

	out_begin_obj(o, NULL);
	out_str(o, "action", damos_action_name(s->action));
	if (s->has_target_nid)
		out_id_nr(o, "target_nid", s->target_nid);
	print_pattern(o, &s->pattern, iv);
	out_time(o, "apply_interval_us", s->apply_interval_us, UNITS_US);
	print_quotas(o, &s->quota);
	out_str(o, "watermarks", damos_wmark_metric_name(s->wmarks.metric));
	out_u64(o, "nr_filters", s->nr_filters);
	out_begin_list(o, "filters");
	for (i = 0; i < s->nr_filters; i++)
		print_filter(o, &s->filters[i]);
	out_end_list(o);
	print_stats(o, s);
	out_end_obj(o);
}

void status_print_ctx(struct out *o, const struct damon_ctx *c)
{
	size_t i, j;

	out_begin_obj(o, NULL);
	out_str(o, "ops", damon_ops_name(c->ops));
	out_begin_obj(o, "intervals");
	out_time(o, "sample_us", c->intervals.sample_us, UNITS_US);
	out_time(o, "aggr_us", c->intervals.aggr_us, UNITS_US);
	out_time(o, "ops_update_us", c->intervals.ops_update_us, UNITS_US);
	out_end_obj(o);
	print_count_range(o, "nr_regions", "nr_regions", c->min_nr_regions,
			  c->max_nr_regions, "");
	out_begin_list(o, "targets");
	for (i = 0; i < c->nr_targets; i++) {
		out_begin_obj(o, NULL);
		if (c->targets[i].has_pid)
			out_id_nr(o, "pid", c->targets[i].pid);
		out_begin_list(o, "regions");
		for (j = 0; j < c->targets[i].nr_regions; j++)
			print_addr_range(o, NULL, NULL,
					 c->targets[i].regions[j].start,
					 c->targets[i].regions[j].end);
		out_end_list(o);
		out_end_obj(o);
	}
	out_end_list(o);
	out_begin_list(o, "schemes");
	for (i = 0; i < c->nr_schemes; i++)
		print_scheme(o, &c->schemes[i], &c->intervals);
	out_end_list(o);
	out_end_obj(o);
}
