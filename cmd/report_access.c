/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo report access: the regions of each snapshot of a record file:
 * damo's detailed view and distribution styles
 * (report_access_view.c, report_access_dist.c), --raw-form and --json,
 * after the record filters of report_filter.h.
 *
 * Memory: one snapshot at a time plus the printed text (which damo's pager
 * rule needs whole).  A first pass over the file learns what the templates
 * depend on (number of records, whether any has several snapshots or
 * DAMOS filters) and each record's first and last times.
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

struct access_args {
	struct damo_ctx *ctx;
	struct report_opts ro;
	bool raw_form;
	bool style_set;
	struct report_filter filter;
	struct access_view view;
	const struct keyword *ls_kws;	/* --ls-*-format-keywords */
	/* --tried-regions-of, -i tried_regions_of: K C S each */
	struct access_tried_of tried[ACCESS_MAX_FORMATS];
	size_t nr_tried;
	const char *tried_words[3];	/* of "-i tried_regions_of K C S" */
	size_t nr_tried_words;
	bool dont_merge;
};

#define TRIED_WORD "tried_regions_of"

enum {
	OPT_RAW_FORM = 0x700,
	OPT_STYLE,
	OPT_SORT_BY,
	OPT_SORT_DSC,
	OPT_WEIGHTS,
	OPT_PERCENTILES,
	OPT_HIST_RANGES,
	OPT_HIST_LOG,
	OPT_HIST_CUMULATE,
	OPT_HM_WIDTH,
	OPT_HM_COLORSET,
	OPT_HM_STATIC,
	OPT_TOTAL_SZ_ONLY,
	OPT_FORMAT,
	OPT_MIN_CHARS,
	OPT_DONT_MERGE,
	OPT_LS_RECORD_KWS,
	OPT_LS_SNAPSHOT_KWS,
	OPT_LS_REGION_KWS,
	OPT_BOX,
	OPT_BOX_VALUES,
	OPT_BOX_LENGTH,
	OPT_BOX_HEIGHT,
	OPT_BOX_COLORSET,
	OPT_BOX_SCALES,
	OPT_BOX_ALIGN,
	OPT_TRIED_OF,
	/* one per enum access_area, in its order */
	OPT_FORMAT_AREA,
	OPT_FORMAT_AREA_LAST = OPT_FORMAT_AREA + NR_AREAS - 1,
};

static const struct argp_option access_options[] = {
	{ "style", OPT_STYLE, "STYLE", 0,
	  "detailed (default), recency-percentiles, temperature-percentiles, "
	  "recency-sz-hist, temperature-sz-hist, simple-boxes, cold or hot", 0 },
	{ "raw-form", OPT_RAW_FORM, NULL, 0,
	  "Print every region of every snapshot in damo's machine form", 0 },
	CMD_ALIAS("raw_form", OPT_RAW_FORM),
	{ "sort-regions-by", OPT_SORT_BY, "KEY...", 0,
	  "Order regions by address, access_rate, age, size or temperature "
	  "(the last key first)", 0 },
	CMD_ALIAS("sort_regions_by", OPT_SORT_BY),
	{ "sort-regions-dsc", OPT_SORT_DSC, "KEY...", OPTION_ARG_OPTIONAL,
	  "Sort by these keys (KEY... or all, the default) in descending "
	  "order", 0 },
	CMD_ALIAS("sort_regions_dsc", OPT_SORT_DSC),
	{ "temperature-weights", OPT_WEIGHTS, "SZ RATE AGE", 0,
	  "Weights of size, access rate and age in temperatures "
	  "(default 0 100 100)", 0 },
	CMD_ALIAS("temperature_weights", OPT_WEIGHTS),
	{ "percentiles-range", OPT_PERCENTILES, "N...", 0,
	  "Percentiles to show: up to 3 numbers are a Python range, more "
	  "a list (default 0 1 25 50 75 99 100)", 0 },
	CMD_ALIAS("percentiles_range", OPT_PERCENTILES),
	{ "hist-ranges", OPT_HIST_RANGES, "MIN MAX...", 0,
	  "Histogram ranges as pairs of values", 0 },
	CMD_ALIAS("hist_ranges", OPT_HIST_RANGES),
	{ "hist-logscale", OPT_HIST_LOG, NULL, 0,
	  "Histogram ranges doubling in width", 0 },
	CMD_ALIAS("hist_logscale", OPT_HIST_LOG),
	{ "hist-cumulate", OPT_HIST_CUMULATE, NULL, 0,
	  "Histogram ranges all starting at the minimum", 0 },
	CMD_ALIAS("hist_cumulate", OPT_HIST_CUMULATE),
	{ "snapshot-heatmap-width", OPT_HM_WIDTH, "N", 0,
	  "Columns of the snapshot heatmap line (default 80)", 0 },
	CMD_ALIAS("snapshot_heatmap_width", OPT_HM_WIDTH),
	{ "snapshot-heatmap-colorset", OPT_HM_COLORSET, "gray|flame|emotion", 0,
	  "Colours of the snapshot heatmap line (default gray)", 0 },
	CMD_ALIAS("snapshot_heatmap_colorset", OPT_HM_COLORSET),
	{ "snapshot-heatmap-static", OPT_HM_STATIC, NULL, 0,
	  "Scale the heatmap line to the address span, gaps included", 0 },
	CMD_ALIAS("snapshot_heatmap_static", OPT_HM_STATIC),
	{ "total-sz-only", OPT_TOTAL_SZ_ONLY, NULL, 0,
	  "Print only the total size of each snapshot", 0 },
	CMD_ALIAS("total_sz_only", OPT_TOTAL_SZ_ONLY),
	{ "format", OPT_FORMAT, "ACTION AREA TEXT", 0,
	  "set or append TEXT (with <keyword>s) to the template of AREA: "
	  "record_head, snapshot_head, region, snapshot_tail or record_tail", 0 },
	{ "format-record-head", OPT_FORMAT_AREA + AREA_RECORD_HEAD, "TEXT", 0,
	  "The record head template (before --format and the style)", 0 },
	CMD_ALIAS("format_record_head", OPT_FORMAT_AREA + AREA_RECORD_HEAD),
	{ "format-snapshot-head", OPT_FORMAT_AREA + AREA_SNAPSHOT_HEAD, "TEXT", 0,
	  "The snapshot head template", 0 },
	CMD_ALIAS("format_snapshot_head", OPT_FORMAT_AREA + AREA_SNAPSHOT_HEAD),
	{ "format-region", OPT_FORMAT_AREA + AREA_REGION, "TEXT", 0,
	  "The template of each region", 0 },
	CMD_ALIAS("format_region", OPT_FORMAT_AREA + AREA_REGION),
	{ "format-snapshot-tail", OPT_FORMAT_AREA + AREA_SNAPSHOT_TAIL, "TEXT", 0,
	  "The snapshot tail template", 0 },
	CMD_ALIAS("format_snapshot_tail", OPT_FORMAT_AREA + AREA_SNAPSHOT_TAIL),
	{ "format-record-tail", OPT_FORMAT_AREA + AREA_RECORD_TAIL, "TEXT", 0,
	  "The record tail template", 0 },
	CMD_ALIAS("format_record_tail", OPT_FORMAT_AREA + AREA_RECORD_TAIL),
	{ "region-box", OPT_BOX, NULL, 0,
	  "Draw each region as a box (<box>) in the default formats", 0 },
	CMD_ALIAS("region_box", OPT_BOX),
	{ "region-box-values", OPT_BOX_VALUES, "LEN COLOR HEIGHT", 0,
	  "What the box's length, colour and height show: size, access_rate, "
	  "age or none (default age access_rate size)", 0 },
	CMD_ALIAS("region_box_values", OPT_BOX_VALUES),
	{ "region-box-min-max-length", OPT_BOX_LENGTH, "MIN MAX", 0,
	  "Columns of the box (default 1 30)", 0 },
	CMD_ALIAS("region_box_min_max_length", OPT_BOX_LENGTH),
	{ "region-box-min-max-height", OPT_BOX_HEIGHT, "MIN MAX", 0,
	  "Rows of the box (default 1 5)", 0 },
	CMD_ALIAS("region_box_min_max_height", OPT_BOX_HEIGHT),
	{ "region-box-colorset", OPT_BOX_COLORSET, "gray|flame|emotion", 0,
	  "Colours of the box (default gray)", 0 },
	CMD_ALIAS("region_box_colorset", OPT_BOX_COLORSET),
	{ "region-box-scales", OPT_BOX_SCALES, "LEN COLOR HEIGHT", 0,
	  "linear or log, for each (default log linear log)", 0 },
	CMD_ALIAS("region_box_scales", OPT_BOX_SCALES),
	{ "region-box-align", OPT_BOX_ALIGN, "left|right", 0,
	  "Where the box is aligned (default left)", 0 },
	CMD_ALIAS("region_box_align", OPT_BOX_ALIGN),
	{ "tried-regions-of", OPT_TRIED_OF, "K C S", 0,
	  "Show the tried regions of monitor K's context C's scheme S, "
	  "refreshed, instead of a file (repeatable; also '-i "
	  "tried_regions_of K C S')", 0 },
	CMD_ALIAS("tried_regions_of", OPT_TRIED_OF),
	{ "min-chars-for", OPT_MIN_CHARS, "KEYWORD N", 0,
	  "Pad KEYWORD's value to N characters, if damo gives it no width "
	  "of its own (repeatable)", 0 },
	CMD_ALIAS("min_chars_for", OPT_MIN_CHARS),
	{ "dont-merge-regions", OPT_DONT_MERGE, NULL, 0,
	  "Show tried_regions_of's regions unmerged (a record file's are "
	  "always shown as recorded)", 0 },
	CMD_ALIAS("dont_merge_regions", OPT_DONT_MERGE),
	{ "ls-record-format-keywords", OPT_LS_RECORD_KWS, NULL, 0,
	  "List the record head and tail <keyword>s and exit", 0 },
	CMD_ALIAS("ls_record_format_keywords", OPT_LS_RECORD_KWS),
	{ "ls-snapshot-format-keywords", OPT_LS_SNAPSHOT_KWS, NULL, 0,
	  "List the snapshot head and tail <keyword>s and exit", 0 },
	CMD_ALIAS("ls_snapshot_format_keywords", OPT_LS_SNAPSHOT_KWS),
	{ "ls-region-format-keywords", OPT_LS_REGION_KWS, NULL, 0,
	  "List the region <keyword>s and exit", 0 },
	CMD_ALIAS("ls_region_format_keywords", OPT_LS_REGION_KWS),
	{ 0 }
};

static struct argp_child access_children[] = {
	{ NULL, 0, NULL, 0 },	/* report_opts_argp(), set at run time */
	{ &report_filter_argp, 0, NULL, 0 },
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

/* K C S of a tried_regions_of: a monitor id, a context, a scheme. */
static void add_tried_of(struct argp_state *state, struct access_args *a,
			 const char *k, const char *c, const char *sc)
{
	struct access_tried_of *t;
	uint64_t ci, si;

	if (a->nr_tried == ARRAY_SIZE(a->tried)) {
		argp_error(state, "tried_regions_of: at most %zu",
			   ARRAY_SIZE(a->tried));
		return;
	}
	t = &a->tried[a->nr_tried];
	if (damo_id_parse(k, &t->id) || units_parse_nr(c, &ci) ||
	    ci > 65535 || units_parse_nr(sc, &si) || si > 65535) {
		argp_error(state, "tried_regions_of: '%s %s %s' is not a monitor "
			   "id (N or eN), a context and a scheme index", k, c,
			   sc);
		return;
	}
	t->ctx = (size_t)ci;
	t->scheme = (size_t)si;
	a->nr_tried++;
}

/* MIN MAX of a box dimension: 0 to 1000 columns or rows, MIN <= MAX. */
static void parse_min_max(struct argp_state *state, const char *arg,
			  uint64_t *min, uint64_t *max)
{
	const char *w;

	if (state->next >= state->argc) {
		argp_error(state, "--region-box-min-max-*: takes MIN MAX");
		return;
	}
	w = state->argv[state->next++];
	if (units_parse_nr(arg, min) || *min > 1000 ||
	    units_parse_nr(w, max) || *max > 1000 || *min > *max)
		argp_error(state, "--region-box-min-max-*: '%s %s' is not MIN "
			   "MAX of 0 to 1000, MIN <= MAX", arg, w);
}

static error_t access_parse(int key, char *arg, struct argp_state *state)
{
	struct access_args *a = state->input;
	struct access_view *v = &a->view;
	uint64_t n;
	int i;

	if (key >= OPT_FORMAT_AREA && key <= OPT_FORMAT_AREA_LAST) {
		v->area_tmpl[key - OPT_FORMAT_AREA] = arg;
		return 0;
	}
	switch (key) {
	case ARGP_KEY_INIT:
		report_child_inputs(state, access_children, a->ctx, &a->ro);
		state->child_inputs[1] = &a->filter;
		return 0;
	case OPT_STYLE:
		i = access_parse_style(arg);
		if (i < 0)
			argp_error(state, "--style: unknown style '%s'", arg);
		else
			v->style = (enum access_style)i;
		a->style_set = true;
		return 0;
	case OPT_RAW_FORM:
		a->raw_form = true;
		return 0;
	case OPT_SORT_BY:
		access_parse_sort(state, arg, v);
		return 0;
	case OPT_SORT_DSC:
		access_parse_sort_dsc(state, arg, v);
		return 0;
	case OPT_WEIGHTS:
		access_parse_weights(state, arg, &v->weights);
		return 0;
	case OPT_PERCENTILES:
		access_parse_percentiles(state, arg, v);
		return 0;
	case OPT_HIST_RANGES:
		access_parse_hist_ranges(state, arg, v);
		return 0;
	case OPT_HIST_LOG:
		v->hist_logscale = true;
		return 0;
	case OPT_HIST_CUMULATE:
		v->hist_cumulate = true;
		return 0;
	case OPT_HM_WIDTH:
		if (units_parse_nr(arg, &n) || !n || n > 10000)
			argp_error(state, "--snapshot-heatmap-width: '%s' is not "
				   "1 to 10000", arg);
		v->heatmap_width = (unsigned int)n;
		return 0;
	case OPT_HM_COLORSET:
		i = !strcmp(arg, "gray") ? 0 : !strcmp(arg, "flame") ? 1 :
			!strcmp(arg, "emotion") ? 2 : -1;
		if (i < 0)
			argp_error(state, "--snapshot-heatmap-colorset: 'gray', "
				   "'flame' or 'emotion', not '%s'", arg);
		v->heatmap_colorset = (unsigned int)(i < 0 ? 0 : i);
		return 0;
	case OPT_HM_STATIC:
		v->heatmap_static = true;
		return 0;
	case OPT_TOTAL_SZ_ONLY:
		v->total_sz_only = true;
		return 0;
	case OPT_FORMAT:
		access_parse_format(state, arg, v);
		return 0;
	case OPT_BOX:
		v->box.on = true;
		return 0;
	case OPT_BOX_VALUES:
		access_parse_box_values(state, arg, &v->box);
		return 0;
	case OPT_BOX_LENGTH:
	case OPT_BOX_HEIGHT:
		parse_min_max(state, arg, key == OPT_BOX_LENGTH ?
			      &v->box.len_min : &v->box.height_min,
			      key == OPT_BOX_LENGTH ?
			      &v->box.len_max : &v->box.height_max);
		return 0;
	case OPT_BOX_COLORSET:
		i = !strcmp(arg, "gray") ? 0 : !strcmp(arg, "flame") ? 1 :
			!strcmp(arg, "emotion") ? 2 : -1;
		if (i < 0)
			argp_error(state, "--region-box-colorset: 'gray', "
				   "'flame' or 'emotion', not '%s'", arg);
		v->box.colorset = (unsigned int)(i < 0 ? 0 : i);
		return 0;
	case OPT_BOX_SCALES:
		access_parse_box_scales(state, arg, &v->box);
		return 0;
	case OPT_BOX_ALIGN:
		if (strcmp(arg, "left") && strcmp(arg, "right"))
			argp_error(state, "--region-box-align: 'left' or "
				   "'right', not '%s'", arg);
		v->box.right = !strcmp(arg, "right");
		return 0;
	case OPT_MIN_CHARS:
		access_parse_min_chars(state, arg, v);
		return 0;
	case OPT_DONT_MERGE:
		a->dont_merge = true;
		return 0;
	case OPT_TRIED_OF:
		if (state->next + 2 > state->argc) {
			argp_error(state, "--tried-regions-of takes K C S");
			return 0;
		}
		add_tried_of(state, a, arg, state->argv[state->next],
			     state->argv[state->next + 1]);
		state->next += 2;
		return 0;
	case OPT_LS_RECORD_KWS:
		a->ls_kws = access_record_kws;
		return 0;
	case OPT_LS_SNAPSHOT_KWS:
		a->ls_kws = access_snapshot_kws;
		return 0;
	case OPT_LS_REGION_KWS:
		a->ls_kws = access_region_kws;
		return 0;
	case ARGP_KEY_ARG:
		/* damo's "-i tried_regions_of K C S": its words come here */
		if (a->ro.input && !strcmp(a->ro.input, TRIED_WORD)) {
			a->tried_words[a->nr_tried_words++] = arg;
			if (a->nr_tried_words == 3) {
				add_tried_of(state, a, a->tried_words[0],
					     a->tried_words[1],
					     a->tried_words[2]);
				a->nr_tried_words = 0;
			}
			return 0;
		}
		argp_error(state, "unexpected argument '%s'", arg);
		return 0;
	case ARGP_KEY_END:
		if (a->ro.input && !strcmp(a->ro.input, TRIED_WORD)) {
			if (a->nr_tried_words || !a->nr_tried)
				argp_error(state, "-i tried_regions_of takes K C S");
			a->ro.input = NULL;
		}
		if (a->nr_tried && a->ro.input)
			argp_error(state, "tried_regions_of and a file exclude "
				   "each other");
		if (a->raw_form && a->style_set)
			argp_error(state, "--raw-form and --style exclude each other");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp access_argp = {
	.options = access_options,
	.parser = access_parse,
	.doc = "Print the regions of the snapshots of a record file.\v"
	       "By default each snapshot is shown as damo shows it: a heatmap "
	       "line of its address space, one line per region (address, "
	       "size, access frequency, age) and the estimated memory "
	       "bandwidth and total size.  --style prints distributions "
	       "instead: per-byte idle time or temperature percentiles, or "
	       "size histograms.  Records without monitoring intervals can "
	       "only be shown with --raw-form or --json.  With --raw-form "
	       "every region is printed in damo's machine form.  With --json "
	       "the records (or, with --style, the style's numbers) come out "
	       "in exact integers.  Record filters narrow what is shown.\n\n"
	       "Examples:\n"
	       "  damo report access -i damon.data.snapshot\n"
	       "  damo report access --style recency-percentiles\n"
	       "  damo report access --style temperature-sz-hist --hist-logscale\n"
	       "  damo report access --sort-regions-by temperature --sort-regions-dsc\n"
	       "  damo report access --raw-form --raw-number\n"
	       "  damo report access --json",
	.children = access_children,
};

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

/* Print @text as damo's pager helper does: see ACCESS_PAGER_LINES. */
static void print_paged(struct out *o, const char *text)
{
	size_t nl = 0;
	const char *p;

	for (p = text; *p; p++)
		nl += *p == '\n';
	out_write(o, text);
	if (nl <= ACCESS_PAGER_LINES)
		out_write(o, "\n");
}

/* The first pass: what the templates depend on, per record times. */
static int prepass(struct access_args *a, struct access_rec_info **infos,
		   size_t *nr)
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
		v->damon_stat |= meta->data_source &&
			!strcmp(meta->data_source, "damon_stat");
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
	}
	if (err < 0)
		err = report_read_failed(a->ctx, &in);
out:
	v->nr_records = *nr;
	snapshot_release(&snap);
	report_close(&in);
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
					meta->data_source ? meta->data_source :
					"unknown");
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
	struct report_input in;
	size_t nr = 0;
	struct out *o;
	char *text = NULL;
	size_t len = 0;
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
	err = prepass(&a, &infos, &nr);
	if (err)
		goto out_free;
	err = report_open(ctx, a.ro.input, &in);
	if (err)
		goto out_free;
	f = open_memstream(&text, &len);
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
	if (!err && !out_is_json(o))
		print_paged(o, text);
	free(text);
	access_view_release(&a.view);
out_close:
	report_close(&in);
out_free:
	free(infos);
	access_live_cleanup(live_dir, live_path);
	return err;
}
