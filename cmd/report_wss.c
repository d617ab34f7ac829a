/* SPDX-License-Identifier: GPL-2.0 */
/* damo report wss: working set size percentiles (damo-compat.md §4.3). */
#include "report_common.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/out.h"
#include "core/reaggr.h"
#include "core/snapshot.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "formats/record.h"

struct wss_args {
	struct damo_ctx *ctx;
	const char *input;
	struct report_range range;
	uint64_t exclude;
	uint64_t acc_thres;
	uint64_t sz_thres;
	uint64_t nr_cols_bar;
	uint64_t work_time_us;
	bool by_time;
	bool raw;
	bool all;
	bool per_target;
};

/* The wss of every snapshot of one target. */
struct wss_dist {
	uint64_t target_id;
	uint64_t *v;
	size_t n;
};

enum {
	OPT_EXCLUDE = 0x700,
	OPT_SZ_THRES,
	OPT_SORTBY,
	OPT_NR_COLS,
	OPT_RAW,
	OPT_ALL,
	OPT_PER_TARGET,
	OPT_COLLAPSE,
	OPT_WORK_TIME,
};

static const struct argp_option wss_options[] = {
	{ "input", 'i', "FILE", 0, "Record file (default damon.data)", 0 },
	{ "range", 'r', "START STOP STEP", 0,
	  "Percentiles to print, a Python range (default 0 101 25)", 0 },
	{ "exclude-samples", OPT_EXCLUDE, "N", 0,
	  "Skip the first N snapshots of each record (default 20)", 0 },
	{ "exclude_samples", OPT_EXCLUDE, "N", OPTION_ALIAS | OPTION_HIDDEN,
	  NULL, 0 },
	{ "acc-thres", 't', "N", 0,
	  "Count regions of at least N samples with access (default 1)", 0 },
	{ "acc_thres", 't', "N", OPTION_ALIAS | OPTION_HIDDEN, NULL, 0 },
	{ "sz-thres", OPT_SZ_THRES, "SIZE", 0,
	  "Count regions of at least SIZE bytes (default 1)", 0 },
	{ "sz_thres", OPT_SZ_THRES, "SIZE", OPTION_ALIAS | OPTION_HIDDEN,
	  NULL, 0 },
	{ "sortby", OPT_SORTBY, "size|time", 0,
	  "Order of the values percentiles are taken from (default size)", 0 },
	{ "nr-cols-bar", OPT_NR_COLS, "N", 0,
	  "Width of the bar chart (default 59)", 0 },
	{ "nr_cols_bar", OPT_NR_COLS, "N", OPTION_ALIAS | OPTION_HIDDEN,
	  NULL, 0 },
	{ "raw-number", OPT_RAW, NULL, 0, "Plain byte counts", 0 },
	{ "raw_number", OPT_RAW, NULL, OPTION_ALIAS | OPTION_HIDDEN, NULL, 0 },
	{ "all-wss", OPT_ALL, NULL, 0,
	  "Print every value with its index instead of percentiles", 0 },
	{ "all_wss", OPT_ALL, NULL, OPTION_ALIAS | OPTION_HIDDEN, NULL, 0 },
	{ "per-target", OPT_PER_TARGET, NULL, 0,
	  "One report per target instead of their sums", 0 },
	{ "per_target", OPT_PER_TARGET, NULL, OPTION_ALIAS | OPTION_HIDDEN,
	  NULL, 0 },
	{ "collapse-targets", OPT_COLLAPSE, NULL, 0,
	  "Sum the targets' i-th values into target 0 (the default)", 0 },
	{ "collapse_targets", OPT_COLLAPSE, NULL, OPTION_ALIAS | OPTION_HIDDEN,
	  NULL, 0 },
	{ "work-time", OPT_WORK_TIME, "US", 0,
	  "Re-aggregate snapshots to this interval first, as damo adjust "
	  "does (microseconds or '1 s'; default 1 us: each snapshot alone)", 0 },
	{ "work_time", OPT_WORK_TIME, "US", OPTION_ALIAS | OPTION_HIDDEN,
	  NULL, 0 },
	{ 0 }
};

static const struct argp_child wss_children[] = {
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static uint64_t parse_nr(struct argp_state *state, const char *opt,
			 const char *arg, bool size)
{
	uint64_t v = 0;
	int err;

	err = size ? units_parse_size(arg, &v) : units_parse_nr(arg, &v);
	if (err)
		argp_error(state, "%s: invalid value '%s'", opt, arg);
	return v;
}

static error_t wss_parse(int key, char *arg, struct argp_state *state)
{
	struct wss_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, wss_children, a->ctx);
		return 0;
	case 'i':
		a->input = arg;
		return 0;
	case 'r':
		report_parse_range(state, arg, &a->range);
		return 0;
	case OPT_EXCLUDE:
		a->exclude = parse_nr(state, "--exclude-samples", arg, false);
		return 0;
	case 't':
		a->acc_thres = parse_nr(state, "--acc-thres", arg, false);
		return 0;
	case OPT_SZ_THRES:
		a->sz_thres = parse_nr(state, "--sz-thres", arg, true);
		return 0;
	case OPT_NR_COLS:
		a->nr_cols_bar = parse_nr(state, "--nr-cols-bar", arg, false);
		if (!a->nr_cols_bar || a->nr_cols_bar > 1000)
			argp_error(state, "--nr-cols-bar: 1 to 1000");
		return 0;
	case OPT_SORTBY:
		if (strcmp(arg, "size") && strcmp(arg, "time"))
			argp_error(state, "--sortby: 'size' or 'time', not '%s'",
				   arg);
		a->by_time = !strcmp(arg, "time");
		return 0;
	case OPT_RAW:
		a->raw = true;
		return 0;
	case OPT_ALL:
		a->all = true;
		return 0;
	case OPT_PER_TARGET:
		a->per_target = true;
		return 0;
	case OPT_COLLAPSE:
		a->per_target = false;
		return 0;
	case OPT_WORK_TIME:
		if (units_parse_time(arg, UNITS_US, &a->work_time_us) ||
		    !a->work_time_us || a->work_time_us > UINT64_MAX / 1000)
			argp_error(state, "--work-time: '%s' is not a positive "
				   "time in microseconds", arg);
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp wss_argp = {
	.options = wss_options,
	.parser = wss_parse,
	.doc = "Print percentiles of the working set size of a record file.\v"
	       "A snapshot's working set size is the total size of its regions "
	       "that were accessed in at least --acc-thres samples and are at "
	       "least --sz-thres bytes.  After the first --exclude-samples "
	       "snapshots of each record are skipped and the rest re-aggregated to "
	       "--work-time (as damo adjust does), the values (of all "
	       "targets summed, unless --per-target) are sorted and the "
	       "percentiles of --range printed with a bar chart, after their "
	       "average.\n\n"
	       "Examples:\n"
	       "  damo report wss\n"
	       "  damo report wss --input damon.data --range 1 101 1 --raw-number\n"
	       "  damo report wss --sortby time --all-wss\n"
	       "  damo report wss --json",
	.children = wss_children,
};

static uint64_t snapshot_wss(const struct snapshot *s,
			     const struct wss_args *a)
{
	uint64_t sum = 0, sz, nr;
	size_t i;

	for (i = 0; i < s->nr_regions; i++) {
		sz = s->regions[i].end - s->regions[i].start;
		nr = s->regions[i].nr_accesses;
		if (nr == SNAP_NONE)
			nr = 0;
		if (nr < a->acc_thres || sz < a->sz_thres)
			continue;
		sum += sz;
	}
	return sum;
}

/*
 * The snapshot to take the wss of after @s: @s itself when it spans the
 * work time alone (the default), else the re-aggregated one when a group
 * completes, else NULL.
 */
static const struct snapshot *worked(struct reaggr *ra,
				     const struct snapshot *s,
				     struct snapshot *merged)
{
	uint64_t start = s->start_ns == SNAP_NONE ? s->end_ns : s->start_ns;

	if (!ra->nr_snapshots && s->end_ns - start >= ra->interval_ns)
		return s;
	return reaggr_feed(ra, s, merged) ? merged : NULL;
}

/* Read the wss of every record of @rd into *@dists. */
static int read_dists(struct record_reader *rd, const struct wss_args *a,
		      struct wss_dist **dists, size_t *nr)
{
	const struct record_meta *meta;
	const struct snapshot *ws;
	struct snapshot snap, merged;
	struct wss_dist *d;
	struct reaggr ra;
	uint64_t idx;
	int err;

	snapshot_init(&snap);
	snapshot_init(&merged);
	reaggr_init(&ra, a->work_time_us);
	while ((err = record_next(rd, &meta)) == 1) {
		*dists = xreallocarray(*dists, *nr + 1, sizeof(**dists));
		d = &(*dists)[(*nr)++];
		memset(d, 0, sizeof(*d));
		d->target_id = meta->target_id;
		reaggr_reset(&ra);
		for (idx = 0; (err = record_next_snapshot(rd, &snap)) == 1; idx++) {
			if (idx < a->exclude)
				continue;
			ws = worked(&ra, &snap, &merged);
			if (!ws)
				continue;
			d->v = xreallocarray(d->v, d->n + 1, sizeof(*d->v));
			d->v[d->n++] = snapshot_wss(ws, a);
		}
		if (err < 0)
			break;
	}
	reaggr_release(&ra);
	snapshot_release(&merged);
	snapshot_release(&snap);
	return err;
}

/* damo's collapse: the i-th values of all targets added, as target 0. */
static void collapse(struct wss_dist *dists, size_t *nr)
{
	size_t i, j;

	for (i = 1; i < *nr; i++) {
		if (dists[i].n > dists[0].n) {
			dists[0].v = xreallocarray(dists[0].v, dists[i].n,
						   sizeof(uint64_t));
			memset(dists[0].v + dists[0].n, 0,
			       (dists[i].n - dists[0].n) * sizeof(uint64_t));
			dists[0].n = dists[i].n;
		}
		for (j = 0; j < dists[i].n; j++)
			dists[0].v[j] += dists[i].v[j];
		free(dists[i].v);
	}
	if (*nr)
		*nr = 1;
	if (*nr)
		dists[0].target_id = 0;
}

static uint64_t dist_avr(const struct wss_dist *d)
{
	double sum = 0;
	size_t i;

	for (i = 0; i < d->n; i++)
		sum += (double)d->v[i];
	return (uint64_t)(sum / (double)d->n);
}

static void print_bar(struct out *o, long p, uint64_t v, uint64_t maxv,
		      const struct wss_args *a)
{
	char buf[UNITS_BUFSZ];
	char bar[1001];
	size_t n = 0;

	if (maxv)
		n = (size_t)((double)v / ((double)maxv / (double)a->nr_cols_bar));
	if (n > a->nr_cols_bar)
		n = a->nr_cols_bar;
	memset(bar, '*', n);
	memset(bar + n, ' ', a->nr_cols_bar - n);
	bar[a->nr_cols_bar] = '\0';
	out_text(o, "%3ld %15s |%s|\n", p, units_fmt_sz(buf, v, a->raw), bar);
}

static void print_text(struct out *o, const struct wss_dist *d,
		       const struct wss_args *a)
{
	char buf[UNITS_BUFSZ];
	size_t i, n = report_range_len(&a->range);
	uint64_t v, maxv = 0;

	out_text(o, "# target_id\t%llu\n", (unsigned long long)d->target_id);
	if (!d->n) {
		out_text(o, "# no snapshot\n");
		return;
	}
	out_text(o, "# <percentile> <wss>\n");
	out_text(o, "# avr:\t%s\n", units_fmt_sz(buf, dist_avr(d), a->raw));
	if (a->all) {
		for (i = 0; i < d->n; i++)
			out_text(o, "%zu %s\n", i, units_fmt_sz(buf, d->v[i], a->raw));
		return;
	}
	for (i = 0; i < n; i++) {
		v = d->v[report_percentile_idx(report_range_at(&a->range, i), d->n)];
		if (v > maxv)
			maxv = v;
	}
	for (i = 0; i < n; i++) {
		v = d->v[report_percentile_idx(report_range_at(&a->range, i), d->n)];
		print_bar(o, report_range_at(&a->range, i), v, maxv, a);
	}
}

static void print_json(struct out *o, const struct wss_dist *d,
		       const struct wss_args *a)
{
	size_t i, n = report_range_len(&a->range);
	long p;

	out_begin_obj(o, NULL);
	out_u64(o, "target_id", d->target_id);
	if (d->n)
		out_u64(o, "avr", dist_avr(d));
	else
		out_null(o, "avr");
	out_begin_list(o, a->all ? "wss" : "percentiles");
	for (i = 0; d->n && i < (a->all ? d->n : n); i++) {
		if (a->all) {
			out_u64(o, NULL, d->v[i]);
			continue;
		}
		p = report_range_at(&a->range, i);
		out_begin_obj(o, NULL);
		out_i64(o, "percentile", p);
		out_u64(o, "wss", d->v[report_percentile_idx(p, d->n)]);
		out_end_obj(o);
	}
	out_end_list(o);
	out_end_obj(o);
}

int report_wss(int argc, char **argv, struct damo_ctx *ctx)
{
	struct wss_args a = {
		.ctx = ctx, .input = REPORT_DEFAULT_INPUT,
		.range = { 0, 101, 25 }, .exclude = 20, .acc_thres = 1,
		.sz_thres = 1, .nr_cols_bar = 59, .work_time_us = 1,
	};
	struct report_input in;
	struct wss_dist *dists = NULL;
	size_t nr = 0, i;
	struct out *o;
	int err;

	err = cmd_parse(&wss_argp, argc, argv, &a);
	if (err)
		return err;
	err = report_open(ctx, a.input, &in);
	if (err)
		return err;
	o = cmd_out(ctx);
	err = read_dists(in.rd, &a, &dists, &nr);
	if (err < 0) {
		err = report_read_failed(ctx, &in);
		goto out;
	}
	err = 0;
	for (i = 0; i < nr && !a.by_time; i++)
		report_sort_u64(dists[i].v, dists[i].n);
	if (!a.per_target)
		collapse(dists, &nr);
	if (out_is_json(o))
		out_begin_list(o, NULL);
	for (i = 0; i < nr; i++) {
		if (out_is_json(o))
			print_json(o, &dists[i], &a);
		else
			print_text(o, &dists[i], &a);
	}
	if (out_is_json(o))
		out_end_list(o);
	if (!nr && !out_is_json(o))
		out_text(o, "# no snapshot\n");
out:
	for (i = 0; i < nr; i++)
		free(dists[i].v);
	free(dists);
	report_close(&in);
	return err;
}
