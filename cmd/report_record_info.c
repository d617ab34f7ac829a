/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo report record-info: what each record of a file covers, damo's
 * record guide (core/report/record_info.h).
 */
#include "report_common.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/out.h"
#include "core/record_guide.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "formats/record.h"

struct info_args {
	struct damo_ctx *ctx;
	struct report_opts ro;
	bool raw;
};

enum {
	OPT_RAW = 0x720,
};

static const struct argp_option info_options[] = {
	{ "raw-numbers", OPT_RAW, NULL, 0,
	  "Plain nanoseconds and addresses (damo's heatmap --guide)", 0 },
	CMD_ALIAS("raw_numbers", OPT_RAW),
	CMD_ALIAS("raw-number", OPT_RAW),
	{ 0 }
};

static struct argp_child info_children[] = {
	{ NULL, 0, NULL, 0 },	/* report_opts_argp(), set at run time */
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static error_t info_parse(int key, char *arg, struct argp_state *state)
{
	struct info_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		report_child_inputs(state, info_children, a->ctx, &a->ro);
		return 0;
	case OPT_RAW:
		a->raw = true;
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp info_argp = {
	.options = info_options,
	.parser = info_parse,
	.doc = "Print what each record of a record file covers.\v"
	       "For each record (kdamond, context, scheme and target): the "
	       "time range of its snapshots and the contiguous address ranges "
	       "its regions covered, largest total first; with --json also "
	       "the number of snapshots and regions.\n\n"
	       "Examples:\n"
	       "  damo report record-info\n"
	       "  damo report record-info --input damon.data --raw-numbers\n"
	       "  damo report record-info --json",
	.children = info_children,
};

/* An index: -1 for DAMON_STAT's kdamond, JSON null (no text) if none. */
static void print_idx(struct out *o, const char *key, uint64_t v, bool stat)
{
	char fmt[64];

	snprintf(fmt, sizeof(fmt), "%s: %%%s\n", key, stat ? PRId64 : PRIu64);
	if (stat)
		out_print_i64(o, key, fmt, -1);
	else if (v == SNAP_NONE)
		out_print_null(o, key, NULL);
	else
		out_print_u64(o, key, fmt, v);
}

void report_print_guide(struct out *o, const struct record_guide *g, bool raw)
{
	struct guide_range *r = xcalloc(g->nr_gaps + 1, sizeof(*r));
	char b[UNITS_BUFSZ];
	size_t i;

	record_guide_regions(g, r);
	out_json_begin_obj(o, NULL);
	print_idx(o, "kdamond_idx", g->kdamond_idx, g->kdamond_is_stat);
	print_idx(o, "context_idx", g->context_idx, false);
	print_idx(o, "scheme_idx", g->scheme_idx, false);
	print_idx(o, "target_id", g->target_id, false);	/* null: snapshots */
	out_print_u64_as(o, "start_ns", "time: [%s, ", g->start_ns,
			 units_fmt_time(b, g->start_ns, UNITS_NS, raw));
	out_print_u64_as(o, "end_ns", "%s) ", g->end_ns,
			 units_fmt_time(b, g->end_ns, UNITS_NS, raw));
	out_text(o, "(%s)\n", units_fmt_time(b, g->end_ns - g->start_ns,
					     UNITS_NS, raw));
	out_print_u64(o, "lowest_addr", NULL, g->lowest_addr);
	out_print_u64(o, "highest_addr", NULL, g->highest_addr);
	out_print_u64(o, "nr_snapshots", NULL, g->nr_snapshots);
	out_print_u64(o, "nr_regions", NULL, g->nr_regions);
	out_json_begin_list(o, "regions");
	for (i = 0; i <= g->nr_gaps; i++) {
		out_json_begin_obj(o, NULL);
		out_text(o, "region\t%2zu: ", i);
		out_print_u64_as(o, "start", "[%s, ", r[i].start,
				 report_fmt_sz_accurate(b, r[i].start, raw));
		out_print_u64_as(o, "end", "%s) ", r[i].end,
				 report_fmt_sz_accurate(b, r[i].end, raw));
		out_print_u64_as(o, "size", "(%s)\n", r[i].end - r[i].start,
				 units_fmt_sz(b, r[i].end - r[i].start, raw));
		out_json_end_obj(o);
	}
	out_json_end_list(o);
	out_json_end_obj(o);
	free(r);
}

int report_record_info(int argc, char **argv, struct damo_ctx *ctx)
{
	struct info_args a = { .ctx = ctx, .ro = REPORT_OPTS_DEFAULT };
	struct record_guide *gs = NULL;
	struct report_input in;
	size_t nr = 0, i;
	struct out *o;
	int err;

	info_children[0].argp = report_opts_argp(REPORT_OPT_INPUT);
	err = cmd_parse(&info_argp, argc, argv, &a);
	if (err)
		return err;
	err = report_open(ctx, a.ro.input, &in);
	if (err)
		return err;
	o = cmd_out(ctx);
	err = report_read_guides(&in, &gs, &nr);
	if (err < 0) {
		err = report_read_failed(ctx, &in);
		goto out;
	}
	err = 0;
	out_json_begin_list(o, NULL);
	for (i = 0; i < nr; i++)
		if (gs[i].nr_snapshots)
			report_print_guide(o, &gs[i], a.raw);
	out_json_end_list(o);
out:
	for (i = 0; i < nr; i++)
		record_guide_release(&gs[i]);
	free(gs);
	report_close(&in);
	return err;
}
