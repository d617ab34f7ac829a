/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report access --json: each record as damo's JSON has it (indexes,
 * intervals, scheme filters, snapshots with their totals, scheme stats and
 * sampling interval, data source), in exact integers where damo prints
 * formatted strings; null where the record does not say.
 */
#include "report_access.h"

#include "core/damon.h"
#include "core/out.h"
#include "core/report/region.h"
#include "core/snapshot.h"
#include "formats/record.h"

static void u64_or_null(struct out *o, const char *key, uint64_t v)
{
	if (v == SNAP_NONE)
		out_null(o, key);
	else
		out_u64(o, key, v);
}

static void json_intervals(struct out *o, const struct record_meta *meta)
{
	const struct damon_intervals *iv = &meta->intervals;

	if (!meta->has_intervals) {
		out_null(o, "intervals");
		return;
	}
	out_begin_obj(o, "intervals");
	out_u64(o, "sample_us", iv->sample_us);
	out_u64(o, "aggr_us", iv->aggr_us);
	out_u64(o, "ops_update_us", iv->ops_update_us);
	out_begin_obj(o, "intervals_goal");
	out_u64(o, "access_bp", iv->goal.access_bp);
	out_u64(o, "aggrs", iv->goal.aggrs);
	out_u64(o, "min_sample_us", iv->goal.min_sample_us);
	out_u64(o, "max_sample_us", iv->goal.max_sample_us);
	out_end_obj(o);
	out_end_obj(o);
}

/* damo's keys for every filter; those of other types are null. */
static void json_filter(struct out *o, const struct damos_filter *f)
{
	out_begin_obj(o, NULL);
	out_str(o, "filter_type", damos_filter_type_name(f->type));
	out_bool(o, "matching", f->matching);
	out_bool(o, "allow", f->allow);
	out_str(o, "memcg_path", f->memcg_path ? f->memcg_path : "");
	if (f->type == DAMOS_FILTER_ADDR) {
		out_begin_obj(o, "address_range");
		out_u64(o, "start", f->addr_range.start);
		out_u64(o, "end", f->addr_range.end);
		out_end_obj(o);
	} else {
		out_null(o, "address_range");
	}
	if (f->type == DAMOS_FILTER_TARGET)
		out_u64(o, "damon_target_idx", f->target_idx);
	else
		out_null(o, "damon_target_idx");
	if (f->has_hugepage_size) {	/* damo's files give it to every type */
		out_begin_list(o, "hugepage_size");
		out_u64(o, NULL, f->min_hugepage_sz);
		out_u64(o, NULL, f->max_hugepage_sz);
		out_end_list(o);
	} else {
		out_null(o, "hugepage_size");
	}
	out_end_obj(o);
}

void access_json_record_head(struct out *o, const struct record_meta *meta)
{
	size_t i;

	out_begin_obj(o, NULL);
	if (meta->kdamond_is_stat)
		out_i64(o, "kdamond_idx", -1);
	else
		u64_or_null(o, "kdamond_idx", meta->kdamond_idx);
	u64_or_null(o, "context_idx", meta->context_idx);
	json_intervals(o, meta);
	u64_or_null(o, "scheme_idx", meta->scheme_idx);
	u64_or_null(o, "target_id", meta->target_id);
	out_begin_list(o, "scheme_filters");
	for (i = 0; i < meta->nr_scheme_filters; i++)
		json_filter(o, &meta->scheme_filters[i]);
	out_end_list(o);
	out_begin_list(o, "snapshots");
}

void access_json_record_tail(struct out *o, const struct record_meta *meta)
{
	out_end_list(o);
	if (meta->data_source)
		out_str(o, "data_source", meta->data_source);
	else
		out_null(o, "data_source");
	out_end_obj(o);
}

static void json_stats(struct out *o, const struct snapshot *s)
{
	const struct damos_stats *st = &s->stats;

	if (!s->has_stats) {
		out_null(o, "damos_stats");
		return;
	}
	out_begin_obj(o, "damos_stats");
	out_u64(o, "nr_tried", st->nr_tried);
	out_u64(o, "sz_tried", st->sz_tried);
	out_u64(o, "nr_applied", st->nr_applied);
	out_u64(o, "sz_applied", st->sz_applied);
	out_u64(o, "sz_ops_filter_passed", st->sz_ops_filter_passed);
	out_u64(o, "qt_exceeds", st->qt_exceeds);
	out_u64(o, "nr_snapshots", st->nr_snapshots);
	out_end_obj(o);
}

void access_json_snapshot(struct out *o, const struct record_meta *meta,
			  const struct snapshot *s)
{
	size_t i, j;

	out_begin_obj(o, NULL);
	u64_or_null(o, "start_time", s->start_ns);
	out_u64(o, "end_time", s->end_ns);
	out_begin_list(o, "regions");
	for (i = 0; i < s->nr_regions; i++) {
		const struct snap_region *r = &s->regions[i];

		out_begin_obj(o, NULL);
		out_u64(o, "start", r->start);
		out_u64(o, "end", r->end);
		u64_or_null(o, "nr_accesses", r->nr_accesses);
		u64_or_null(o, "age", r->age);
		if (meta->has_intervals && r->nr_accesses != SNAP_NONE)
			out_u64(o, "access_rate_percent",
				report_region_percent(meta, r));
		else
			out_null(o, "access_rate_percent");
		if (meta->has_intervals && r->age != SNAP_NONE)
			out_u64(o, "age_us", report_region_age_us(meta, r));
		else
			out_null(o, "age_us");
		out_begin_list(o, "probe_hits");
		for (j = 0; j < s->nr_probes; j++)
			out_u64(o, NULL, s->probe_hits[i * s->nr_probes + j]);
		out_end_list(o);
		out_u64(o, "sz_filter_passed", r->sz_filter_passed);
		out_end_obj(o);
	}
	out_end_list(o);
	out_u64(o, "total_bytes", snapshot_total_bytes(s));
	json_stats(o, s);
	u64_or_null(o, "sample_interval_us", s->sample_interval_us);
	out_end_obj(o);
}
