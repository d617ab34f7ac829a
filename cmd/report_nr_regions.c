/* SPDX-License-Identifier: GPL-2.0 */
/* damo report nr_regions: percentiles of region counts (damo-compat.md §4.4). */
#include "report_common.h"

#include <stdlib.h>
#include <string.h>

#include "core/out.h"
#include "core/reaggr.h"
#include "core/snapshot.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "formats/record.h"

/* damo skips this many snapshots of each record, without an option. */
#define NR_REGIONS_SKIP 20

struct nr_regions_args {
	struct damo_ctx *ctx;
	const char *input;
	struct report_range range;
	uint64_t work_time_us;
	bool by_time;
};

enum {
	OPT_SORTBY = 0x710,
	OPT_WORK_TIME,
};

static const struct argp_option nr_regions_options[] = {
	{ "input", 'i', "FILE", 0, "Record file (default damon.data)", 0 },
	{ "range", 'r', "START STOP STEP", 0,
	  "Percentiles to print, a Python range (default 0 101 25)", 0 },
	{ "sortby", OPT_SORTBY, "size|time", 0,
	  "Order of the values percentiles are taken from (default size)", 0 },
	{ "work-time", OPT_WORK_TIME, "US", 0,
	  "Re-aggregate snapshots to this interval first, as damo adjust "
	  "does (default 1 us: each snapshot alone; not in damo)", 0 },
	{ "work_time", OPT_WORK_TIME, "US", OPTION_ALIAS | OPTION_HIDDEN,
	  NULL, 0 },
	{ 0 }
};

static const struct argp_child nr_regions_children[] = {
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static error_t nr_regions_parse(int key, char *arg, struct argp_state *state)
{
	struct nr_regions_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, nr_regions_children, a->ctx);
		return 0;
	case 'i':
		a->input = arg;
		return 0;
	case 'r':
		report_parse_range(state, arg, &a->range);
		return 0;
	case OPT_SORTBY:
		if (strcmp(arg, "size") && strcmp(arg, "time"))
			argp_error(state, "--sortby: 'size' or 'time', not '%s'",
				   arg);
		a->by_time = !strcmp(arg, "time");
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

static const struct argp nr_regions_argp = {
	.options = nr_regions_options,
	.parser = nr_regions_parse,
	.doc = "Print percentiles of the number of regions of each record.\v"
	       "The first 20 snapshots of each record are skipped; the region "
	       "counts of the others are sorted (unless --sortby time) and the "
	       "percentiles of --range printed after their truncated average.  "
	       "With --work-time the snapshots are re-aggregated first, as "
	       "damo adjust does.\n\n"
	       "Examples:\n"
	       "  damo report nr_regions\n"
	       "  damo report nr_regions --input damon.data --range 0 101 10\n"
	       "  damo report nr_regions --json",
	.children = nr_regions_children,
};

static void print_record(struct out *o, uint64_t tid, const uint64_t *v,
			 size_t n, const struct nr_regions_args *a)
{
	size_t i, nr = report_range_len(&a->range);
	double sum = 0;
	uint64_t avr;
	long p;

	for (i = 0; i < n; i++)
		sum += (double)v[i];
	avr = n ? (uint64_t)(sum / (double)n) : 0;
	if (out_is_json(o)) {
		out_begin_obj(o, NULL);
		out_u64(o, "target_id", tid);
		if (n)
			out_u64(o, "avr", avr);
		else
			out_null(o, "avr");
		out_begin_list(o, "percentiles");
	} else {
		out_text(o, "# target_id\t%llu\n", (unsigned long long)tid);
		if (!n)
			out_text(o, "# no snapshot\n");
		else
			out_text(o, "# avr:\t%llu\n", (unsigned long long)avr);
	}
	for (i = 0; n && i < nr; i++) {
		p = report_range_at(&a->range, i);
		if (!out_is_json(o)) {
			out_text(o, "%ld\t%llu\n", p, (unsigned long long)
				 v[report_percentile_idx(p, n)]);
			continue;
		}
		out_begin_obj(o, NULL);
		out_i64(o, "percentile", p);
		out_u64(o, "nr_regions", v[report_percentile_idx(p, n)]);
		out_end_obj(o);
	}
	if (out_is_json(o)) {
		out_end_list(o);
		out_end_obj(o);
	}
}

static int read_records(struct report_input *in, struct out *o,
			const struct nr_regions_args *a)
{
	const struct record_meta *meta;
	struct snapshot snap, merged;
	uint64_t *v = NULL, tid, idx, start;
	struct reaggr ra;
	size_t n;
	int err;

	snapshot_init(&snap);
	snapshot_init(&merged);
	reaggr_init(&ra, a->work_time_us);
	while ((err = record_next(in->rd, &meta)) == 1) {
		tid = meta->target_id;
		n = 0;
		reaggr_reset(&ra);
		for (idx = 0; (err = record_next_snapshot(in->rd, &snap)) == 1;
		     idx++) {
			if (idx < NR_REGIONS_SKIP)
				continue;
			start = snap.start_ns == SNAP_NONE ? snap.end_ns :
				snap.start_ns;
			v = xreallocarray(v, n + 1, sizeof(*v));
			if (!ra.nr_snapshots && snap.end_ns - start >= ra.interval_ns)
				v[n++] = snap.nr_regions;	/* alone */
			else if (reaggr_feed(&ra, &snap, &merged))
				v[n++] = merged.nr_regions;
		}
		if (err < 0)
			break;
		if (!a->by_time)
			report_sort_u64(v, n);
		print_record(o, tid, v, n, a);
	}
	free(v);
	reaggr_release(&ra);
	snapshot_release(&merged);
	snapshot_release(&snap);
	return err;
}

int report_nr_regions(int argc, char **argv, struct damo_ctx *ctx)
{
	struct nr_regions_args a = {
		.ctx = ctx, .input = REPORT_DEFAULT_INPUT,
		.range = { 0, 101, 25 }, .work_time_us = 1,
	};
	struct report_input in;
	struct out *o;
	int err;

	err = cmd_parse(&nr_regions_argp, argc, argv, &a);
	if (err)
		return err;
	err = report_open(ctx, a.input, &in);
	if (err)
		return err;
	o = cmd_out(ctx);
	if (out_is_json(o))
		out_begin_list(o, NULL);
	else
		out_text(o, "# <percentile> <# regions>\n");
	err = read_records(&in, o, &a);
	if (out_is_json(o))
		out_end_list(o);
	if (err < 0)
		err = report_read_failed(ctx, &in);
	else
		err = 0;
	report_close(&in);
	return err;
}
