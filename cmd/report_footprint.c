/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo report footprint (damo's "footprints"): distributions of the
 * processes' virtual and resident sizes and of the system's used memory
 * over a recording's footprint samples (damo-compat.md §4.5), printed as
 * wss prints its distribution.  Memory: one number per sample and metric.
 */
#include "report_common.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/out.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "formats/footprint.h"

enum fp_metric { FP_VSZ, FP_RSS, FP_SYS_USED, NR_FP_METRICS };

static const char *const metric_names[] = { "vsz", "rss", "sys_used" };

struct fp_args {
	struct damo_ctx *ctx;
	const char *input;
	struct report_range range;
	uint64_t nr_cols_bar;
	int metric;		/* -1: all */
	bool by_time;
	bool raw;
	bool all;
};

struct fp_dists {
	uint64_t *v[NR_FP_METRICS];
	size_t n;
	size_t cap;
};

enum {
	OPT_NR_COLS = 0x780,
	OPT_RAW,
	OPT_ALL,
};

static const struct argp_option fp_options[] = {
	{ "input", 'i', "FILE", 0,
	  "Footprint file (default damon.data.mem_footprint)", 0 },
	{ "range", 'r', "START STOP STEP", 0,
	  "Percentiles to print, a Python range (default 0 101 25)", 0 },
	{ "sortby", 's', "size|time", 0,
	  "Order of the values percentiles are taken from (default size)", 0 },
	{ "nr-cols-bar", OPT_NR_COLS, "N", 0,
	  "Width of the bar chart (default 59)", 0 },
	{ "nr_cols_bar", OPT_NR_COLS, "N", OPTION_ALIAS | OPTION_HIDDEN,
	  NULL, 0 },
	{ "raw-number", OPT_RAW, NULL, 0, "Plain byte counts", 0 },
	{ "raw_number", OPT_RAW, NULL, OPTION_ALIAS | OPTION_HIDDEN, NULL, 0 },
	{ "all-footprint", OPT_ALL, NULL, 0,
	  "Print every value with its index instead of percentiles", 0 },
	{ "all_footprint", OPT_ALL, NULL, OPTION_ALIAS | OPTION_HIDDEN,
	  NULL, 0 },
	{ 0 }
};

static const struct argp_child fp_children[] = {
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static error_t fp_parse(int key, char *arg, struct argp_state *state)
{
	struct fp_args *a = state->input;
	size_t i;

	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, fp_children, a->ctx);
		return 0;
	case 'i':
		a->input = arg;
		return 0;
	case 'r':
		report_parse_range(state, arg, &a->range);
		return 0;
	case 's':
		if (strcmp(arg, "size") && strcmp(arg, "time"))
			argp_error(state, "--sortby: 'size' or 'time', not '%s'",
				   arg);
		a->by_time = !strcmp(arg, "time");
		return 0;
	case OPT_NR_COLS:
		if (units_parse_nr(arg, &a->nr_cols_bar) || !a->nr_cols_bar ||
		    a->nr_cols_bar > 1000)
			argp_error(state, "--nr-cols-bar: '%s' is not 1 to 1000",
				   arg);
		return 0;
	case OPT_RAW:
		a->raw = true;
		return 0;
	case OPT_ALL:
		a->all = true;
		return 0;
	case ARGP_KEY_ARG:
		if (state->arg_num || a->metric != -1)
			argp_error(state, "unexpected argument '%s'", arg);
		for (i = 0; i < NR_FP_METRICS; i++) {
			if (!strcmp(arg, metric_names[i]))
				a->metric = (int)i;
		}
		if (a->metric == -1 && strcmp(arg, "all"))
			argp_error(state, "unknown metric '%s'; expected vsz, "
				   "rss, sys_used or all", arg);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp fp_argp = {
	.options = fp_options,
	.parser = fp_parse,
	.args_doc = "[vsz|rss|sys_used|all]",
	.doc = "Print percentiles of the memory footprint of a recording.\v"
	       "The footprint file is what damo record writes next to the "
	       "access record (damon.data.mem_footprint): at each sampling "
	       "time the targets' /proc/PID/statm and the system's "
	       "/proc/meminfo.  vsz and rss are the sums over the targets "
	       "(pages of 4 KiB, as damo counts them), sys_used is MemTotal "
	       "minus MemFree.  For each metric (all three by default) the "
	       "values are sorted (unless --sortby time) and the percentiles "
	       "of --range printed with a bar chart after their average.\n\n"
	       "Examples:\n"
	       "  damo report footprint\n"
	       "  damo report footprints rss -i damon.data.mem_footprint --range 0 101 10\n"
	       "  damo report footprint vsz --sortby time --all-footprint\n"
	       "  damo report footprint --json",
	.children = fp_children,
};

static void push(struct fp_dists *d, const uint64_t *vals)
{
	size_t cap = d->cap;
	int m;

	for (m = 0; m < NR_FP_METRICS; m++) {
		cap = d->cap;
		xgrow((void **)&d->v[m], d->n + 1, &cap, sizeof(uint64_t));
		d->v[m][d->n] = vals[m];
	}
	d->cap = cap;
	d->n++;
}

static int read_dists(struct fp_args *a, struct fp_dists *d)
{
	struct footprint_reader *rd;
	struct footprint_sample s;
	uint64_t vals[NR_FP_METRICS] = { 0 }, seq = 0;
	bool open = false;
	struct diag diag;
	int err;

	diag_init(&diag);
	err = footprint_open(a->input, &rd, &diag);
	if (err) {
		out_error(cmd_out(a->ctx), "cannot read '%s': %s", a->input,
			  strerror(-err));
		diag_release(&diag);
		return err;
	}
	while ((err = footprint_next(rd, &s)) == 1) {
		if (open && s.seq != seq) {
			push(d, vals);
			memset(vals, 0, sizeof(vals));
		}
		open = true;
		seq = s.seq;
		vals[FP_VSZ] += s.vsz;
		vals[FP_RSS] += s.rss;
		if (s.pid == FOOTPRINT_SYSTEM)
			vals[FP_SYS_USED] = s.sys_used;
	}
	if (open && !err)
		push(d, vals);
	if (err)
		cmd_report(cmd_out(a->ctx), &diag);
	footprint_close(rd);
	diag_release(&diag);
	return err;
}

static uint64_t avr_of(const uint64_t *v, size_t n)
{
	double sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum += (double)v[i];
	return (uint64_t)(sum / (double)n);
}

static void print_text(struct out *o, const struct fp_args *a,
		       const char *name, const uint64_t *v, size_t n)
{
	size_t i, nr = report_range_len(&a->range), cols;
	char buf[UNITS_BUFSZ], bar[1001];
	uint64_t maxv = 0, x;
	double per_col;
	long p;

	out_text(o, "# <percentile> <%s>\n", name);
	if (!n) {
		out_text(o, "# no snapshot\n");
		return;
	}
	out_text(o, "# avr:\t%s\n", units_fmt_sz(buf, avr_of(v, n), a->raw));
	if (a->all) {
		for (i = 0; i < n; i++)
			out_text(o, "%zu %s\n", i, units_fmt_sz(buf, v[i], a->raw));
		return;
	}
	for (i = 0; i < nr; i++) {
		x = v[report_percentile_idx(report_range_at(&a->range, i), n)];
		maxv = x > maxv ? x : maxv;
	}
	per_col = maxv ? (double)maxv / (double)a->nr_cols_bar : 1;
	for (i = 0; i < nr; i++) {
		p = report_range_at(&a->range, i);
		x = v[report_percentile_idx(p, n)];
		cols = (size_t)((double)x / per_col);
		cols = cols > a->nr_cols_bar ? a->nr_cols_bar : cols;
		memset(bar, '*', cols);
		memset(bar + cols, ' ', a->nr_cols_bar - cols);
		bar[a->nr_cols_bar] = '\0';
		out_text(o, "%3ld %15s |%s|\n", p, units_fmt_sz(buf, x, a->raw),
			 bar);
	}
}

static void print_json(struct out *o, const struct fp_args *a,
		       const char *name, const uint64_t *v, size_t n)
{
	size_t i, nr = report_range_len(&a->range);
	long p;

	out_begin_obj(o, NULL);
	out_str(o, "metric", name);
	out_u64(o, "nr_samples", n);
	if (n)
		out_u64(o, "avr", avr_of(v, n));
	else
		out_null(o, "avr");
	out_begin_list(o, a->all ? "values" : "percentiles");
	for (i = 0; n && i < (a->all ? n : nr); i++) {
		if (a->all) {
			out_u64(o, NULL, v[i]);
			continue;
		}
		p = report_range_at(&a->range, i);
		out_begin_obj(o, NULL);
		out_i64(o, "percentile", p);
		out_u64(o, "bytes", v[report_percentile_idx(p, n)]);
		out_end_obj(o);
	}
	out_end_list(o);
	out_end_obj(o);
}

int report_footprint(int argc, char **argv, struct damo_ctx *ctx)
{
	struct fp_args a = {
		.ctx = ctx, .input = "damon.data.mem_footprint",
		.range = { 0, 101, 25 }, .nr_cols_bar = 59, .metric = -1,
	};
	struct fp_dists d = { 0 };
	struct out *o;
	int err, m;

	err = cmd_parse(&fp_argp, argc, argv, &a);
	if (err)
		return err;
	o = cmd_out(ctx);
	err = read_dists(&a, &d);
	if (err)
		goto out;
	if (out_is_json(o))
		out_begin_list(o, NULL);
	for (m = 0; m < NR_FP_METRICS; m++) {
		if (a.metric != -1 && a.metric != m)
			continue;
		if (!a.by_time)
			report_sort_u64(d.v[m], d.n);
		if (out_is_json(o))
			print_json(o, &a, metric_names[m], d.v[m], d.n);
		else
			print_text(o, &a, metric_names[m], d.v[m], d.n);
	}
	if (out_is_json(o))
		out_end_list(o);
out:
	for (m = 0; m < NR_FP_METRICS; m++)
		free(d.v[m]);
	return err;
}
