/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo report access: the regions of each snapshot of a record file:
 * damo's detailed view and distribution styles
 * (report_access_view.c, report_access_dist.c), --raw-form and --json,
 * after the record filters of report_filter.h.
 *
 * Memory: one snapshot at a time.  A first pass over the file learns what
 * the templates depend on (number of records, whether any has several
 * snapshots or DAMOS filters) and each record's first and last times, and
 * finds any problem in the file before a line is printed; the text is
 * then printed as it is made, its newlines counted for damo's pager rule.
 */
#include "report_access.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/report_common.h"
#include "core/damon.h"
#include "core/out.h"
#include "core/snapshot.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "formats/record.h"

/* damo's pager: text of more newlines than this is shown as is. */
#define ACCESS_PAGER_LINES 50

static long long opt_ll(uint64_t v)
{
	return v == SNAP_NONE ? -1 : (long long)v;
}

static void raw_snapshot(FILE *f, const struct record_meta *meta,
			 const struct snapshot *s, uint64_t base, bool raw)
{
	char buf[UNITS_BUFSZ];
	uint64_t start = s->start_ns == SNAP_NONE ? base : s->start_ns;
	size_t i;

	fprintf(f, "monitoring_start:    %16s\n",
		units_fmt_time(buf, start - base, UNITS_NS, raw));
	fprintf(f, "monitoring_end:      %16s\n",
		units_fmt_time(buf, s->end_ns - base, UNITS_NS, raw));
	fprintf(f, "monitoring_duration: %16s\n",
		units_fmt_time(buf, s->end_ns - start, UNITS_NS, raw));
	if (meta->target_id == SNAP_NONE)	/* damo's None */
		fprintf(f, "target_id: None\n");
	else
		fprintf(f, "target_id: %llu\n",
			(unsigned long long)meta->target_id);
	fprintf(f, "nr_regions: %zu\n", s->nr_regions);
	fprintf(f, "# start_addr     end_addr        length  nr_accesses   age\n");
	for (i = 0; i < s->nr_regions; i++) {
		const struct snap_region *r = &s->regions[i];

		fprintf(f, "%012llx-%012llx (%12s) %11lld %5lld\n",
			(unsigned long long)r->start,
			(unsigned long long)r->end,
			units_fmt_sz(buf, r->end - r->start, raw),
			opt_ll(r->nr_accesses), opt_ll(r->age));
	}
	fprintf(f, "\n");
}

/*
 * The text as damo's pager helper prints it (see ACCESS_PAGER_LINES):
 * written as it comes, newlines counted, the last byte decided at the end.
 */
struct paged {
	struct out *o;		/* NULL: the text is not printed (--json) */
	size_t nl;
};

static ssize_t paged_write(void *cookie, const char *buf, size_t len)
{
	struct paged *pg = cookie;
	const char *p = buf, *e = buf + len;

	if (!pg->o)
		return (ssize_t)len;
	while ((p = memchr(p, '\n', (size_t)(e - p)))) {
		pg->nl++;
		p++;
	}
	out_write_len(pg->o, buf, len);
	return (ssize_t)len;
}

static void paged_end(struct paged *pg)
{
	if (pg->o && pg->nl <= ACCESS_PAGER_LINES)
		out_write(pg->o, "\n");
}

/*
 * The first pass: what the templates depend on, per record times; the
 * file is kept in @in (open on success: report_close() it) for the
 * second.
 */
static int prepass(struct access_args *a, struct access_rec_info **infos,
		   size_t *nr, struct report_input *in_out)
{
	struct access_view *v = &a->view;
	const struct record_meta *meta;
	struct report_input in;
	struct access_rec_info *ri;
	struct snapshot snap;
	size_t cap = 0, i;
	uint64_t idx;
	int err;

	err = report_open(a->ctx, a->ro.input, &in);
	if (err)
		return err;
	report_keep(&in);
	snapshot_init(&snap);
	while ((err = record_next(in.rd, &meta)) == 1) {
		if (!meta->has_intervals && !a->raw_form &&
		    (!out_is_json(cmd_out(a->ctx)) || a->style_set)) {
			out_error(cmd_out(a->ctx),
				  "some records lack the intervals information");
			err = -EINVAL;
			goto out;
		}
		xgrow((void **)infos, *nr + 1, &cap, sizeof(**infos));
		ri = &(*infos)[(*nr)++];
		memset(ri, 0, sizeof(*ri));
		for (i = 0; i < meta->nr_scheme_filters; i++)
			v->ops_filters |= !damos_filter_is_core(
				meta->scheme_filters[i].type);
		v->tuned |= meta->has_intervals && meta->intervals.goal.aggrs;
		for (idx = 0; (err = record_next_snapshot(in.rd, &snap)) == 1;
		     idx++) {
			if (!report_filter_snapshot(&a->filter, meta, &snap, idx))
				continue;
			if (!ri->nr_snapshots++)
				ri->start_ns = snap.start_ns == SNAP_NONE ?
					snap.end_ns : snap.start_ns;
			ri->end_ns = snap.end_ns;
			v->probe_hits |= snap.nr_probes > 0;
			access_box_see(&v->box, meta, &snap);
		}
		v->multi_snapshots |= ri->nr_snapshots > 1;
		if (err < 0)
			break;
		/* Read in one pass: whole after the snapshots. */
		ri->data_source = xstrdup(meta->data_source ?
					  meta->data_source : "unknown");
		v->damon_stat |= !strcmp(ri->data_source, "damon_stat");
	}
	if (err < 0)
		err = report_read_failed(a->ctx, &in);
out:
	v->nr_records = *nr;
	snapshot_release(&snap);
	if (err < 0)
		report_close(&in);
	else
		*in_out = in;
	return err < 0 ? err : 0;
}

void access_view_json_snapshot(struct access_view *v, struct out *o,
			       const struct record_meta *meta,
			       struct snapshot *s)
{
	bool temp = v->style == ACCESS_TEMPERATURE_PERCENTILES ||
		    v->style == ACCESS_TEMPERATURE_SZ_HIST;
	size_t i;

	out_begin_obj(o, NULL);
	if (s->start_ns == SNAP_NONE)
		out_null(o, "start_time");
	else
		out_u64(o, "start_time", s->start_ns);
	out_u64(o, "end_time", s->end_ns);
	out_u64(o, "total_bytes", snapshot_total_bytes(s));
	out_u64(o, "aggr_us", access_snapshot_aggr_us(meta, s));
	switch (v->style) {
	case ACCESS_RECENCY_PERCENTILES:
	case ACCESS_TEMPERATURE_PERCENTILES:
		access_percentiles(v, o, "percentiles", meta, s, temp,
					false);
		if (v->ops_filters)
			access_percentiles(v, o, "df_passed_percentiles",
						meta, s, temp, true);
		break;
	case ACCESS_RECENCY_SZ_HIST:
	case ACCESS_TEMPERATURE_SZ_HIST:
		access_sz_hist(v, o, "histogram", meta, s, temp, false);
		if (v->ops_filters)
			access_sz_hist(v, o, "df_passed_histogram", meta,
					    s, temp, true);
		break;
	default:
		out_begin_list(o, "regions");
		for (i = 0; i < s->nr_regions; i++) {
			const struct snap_region *r = &s->regions[i];

			out_begin_obj(o, NULL);
			out_u64(o, "start", r->start);
			out_u64(o, "end", r->end);
			out_u64(o, "nr_accesses", r->nr_accesses == SNAP_NONE ?
				0 : r->nr_accesses);
			out_u64(o, "access_rate_percent",
				report_region_percent(meta, r));
			out_u64(o, "age_us", report_region_age_us(meta, r));
			out_i64(o, "temperature", (int64_t)
				report_region_temperature(meta, r,
					(double)(r->end - r->start), &v->weights));
			out_u64(o, "sz_filter_passed", r->sz_filter_passed);
			out_end_obj(o);
		}
		out_end_list(o);
	}
	out_end_obj(o);
}

/* One record of the chosen output: snapshots after the filters. */
static int one_record(struct access_args *a, struct report_input *in,
		      const struct record_meta *meta,
		      const struct access_rec_info *ri, struct out *o,
		      FILE *f, struct snapshot *snap)
{
	bool json = out_is_json(o), view = !json && !a->raw_form;
	uint64_t idx, base = 0;
	size_t shown = 0;
	int err;

	if (json)
		access_json_record_head(o, meta);
	else if (view)
		access_view_record_head(&a->view, f, meta, ri);
	for (idx = 0; (err = record_next_snapshot(in->rd, snap)) == 1; idx++) {
		if (!report_filter_snapshot(&a->filter, meta, snap, idx))
			continue;
		shown++;
		if (json && a->style_set) {
			access_view_json_snapshot(&a->view, o, meta, snap);
		} else if (json) {
			access_json_snapshot(o, meta, snap);
		} else if (view) {
			access_view_snapshot(&a->view, f, meta, ri, snap,
					     shown == ri->nr_snapshots);
		} else {
			if (shown == 1) {
				base = snap->start_ns == SNAP_NONE ? 0 :
					snap->start_ns;
				fprintf(f, "base_time_absolute: %s\n",
					units_fmt_time((char[UNITS_BUFSZ]){ 0 },
						       base, UNITS_NS,
						       a->view.raw));
				fprintf(f, "data source: %s\n\n",
					ri->data_source);
			}
			raw_snapshot(f, meta, snap, base, a->view.raw);
		}
	}
	if (json)
		access_json_record_tail(o, meta);
	else if (view)
		access_view_record_tail(&a->view, f, meta, ri);
	return err;
}

static int read_records(struct access_args *a, struct report_input *in,
			const struct access_rec_info *infos, size_t nr,
			struct out *o, FILE *f)
{
	const struct record_meta *meta;
	struct snapshot snap;
	size_t i = 0;
	int err;

	snapshot_init(&snap);
	while ((err = record_next(in->rd, &meta)) == 1 && i < nr) {
		err = one_record(a, in, meta, &infos[i++], o, f, &snap);
		if (err < 0)
			break;
	}
	if (err < 0)
		err = report_read_failed(a->ctx, in);
	snapshot_release(&snap);
	return err < 0 ? err : 0;
}

/* The keywords of a template level as damo's help lists them. */
static void list_keywords(struct out *o, const struct keyword *kws)
{
	const struct keyword *k;

	out_json_begin_list(o, NULL);
	for (k = kws; k->name; k++) {
		out_json_begin_obj(o, NULL);
		out_print_str(o, "keyword", k == kws ? "%s\n" : "\n%s\n",
			      k->name);
		out_print_str(o, "description", "%s\n", k->desc);
		out_json_end_obj(o);
	}
	out_json_end_list(o);
}

int report_access(int argc, char **argv, struct damo_ctx *ctx)
{
	struct access_args a = {
		.ctx = ctx, .ro = REPORT_OPTS_DEFAULT,
		.view = {
			.weights = { 0, 100, 100 },
			.percentiles = { 0, 1, 25, 50, 75, 99, 100 },
			.nr_percentiles = 7, .heatmap_width = 80,
		},
	};
	struct access_rec_info *infos = NULL;
	char *live_dir = NULL, *live_path = NULL;
	struct report_input in, first;
	struct paged pg = { 0 };
	size_t nr = 0, i;
	struct out *o;
	FILE *f;
	int err;

	access_box_init(&a.view.box);
	a.ro.input = NULL;
	access_children[0].argp = report_opts_argp(REPORT_OPT_INPUT |
						   REPORT_OPT_RAW);
	err = cmd_parse(&access_argp, argc, argv, &a);
	if (err)
		return err;
	if (a.ls_kws) {
		list_keywords(cmd_out(ctx), a.ls_kws);
		return 0;
	}
	if (a.nr_tried) {	/* damo: the schemes' tried regions */
		err = access_tried_input(ctx, a.tried, a.nr_tried,
					 !a.dont_merge, &live_dir, &live_path);
		if (err)
			return err;
		a.ro.input = live_path;
		a.view.tried = true;
	} else if (!a.ro.input) {	/* damo: a live snapshot when monitors run */
		err = access_live_input(ctx, &live_dir, &live_path);
		if (err < 0)
			return err;
		a.ro.input = err ? live_path : REPORT_DEFAULT_INPUT;
	}
	a.view.raw = a.ro.raw;
	a.filter.weights = &a.view.weights;
	o = cmd_out(ctx);
	a.view.color = out_has_color(o);
	err = prepass(&a, &infos, &nr, &first);
	if (err)
		goto out_free;
	err = report_reopen(ctx, a.ro.input, &first, &in);
	report_close(&first);
	if (err)
		goto out_free;
	pg.o = out_is_json(o) ? NULL : o;
	f = fopencookie(&pg, "w", (cookie_io_functions_t){
		.write = paged_write });
	if (!f) {
		out_error(o, "out of memory");
		err = -ENOMEM;
		goto out_close;
	}
	access_view_setup(&a.view);
	out_json_begin_list(o, NULL);
	err = read_records(&a, &in, infos, nr, o, f);
	out_json_end_list(o);
	fclose(f);
	if (!err)
		paged_end(&pg);
	access_view_release(&a.view);
out_close:
	report_close(&in);
out_free:
	for (i = 0; i < nr; i++)
		free(infos[i].data_source);
	free(infos);
	access_live_cleanup(live_dir, live_path);
	return err;
}
