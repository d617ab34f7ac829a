/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo report record-info: what each record of a file covers, damo's
 * record guide (damo-compat.md §4.2 "Guide", §4.5).
 */
#include "report_common.h"

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
	const char *input;
	bool raw;
};

enum {
	OPT_RAW = 0x720,
};

static const struct argp_option info_options[] = {
	{ "input", 'i', "FILE", 0, "Record file (default damon.data)", 0 },
	{ "raw-numbers", OPT_RAW, NULL, 0,
	  "Plain nanoseconds and addresses (damo's heatmap --guide)", 0 },
	{ "raw_numbers", OPT_RAW, NULL, OPTION_ALIAS | OPTION_HIDDEN, NULL, 0 },
	{ "raw-number", OPT_RAW, NULL, OPTION_ALIAS | OPTION_HIDDEN, NULL, 0 },
	{ 0 }
};

static const struct argp_child info_children[] = {
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static error_t info_parse(int key, char *arg, struct argp_state *state)
{
	struct info_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, info_children, a->ctx);
		return 0;
	case 'i':
		a->input = arg;
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

static void print_idx(struct out *o, const char *key, uint64_t v, bool stat)
{
	if (out_is_json(o)) {
		if (stat)
			out_i64(o, key, -1);
		else if (v == SNAP_NONE)
			out_null(o, key);
		else
			out_u64(o, key, v);
		return;
	}
	if (stat)
		out_text(o, "%s: -1\n", key);
	else if (v != SNAP_NONE)
		out_text(o, "%s: %llu\n", key, (unsigned long long)v);
}

static void print_text(struct out *o, const struct record_guide *g,
		       const struct guide_range *r, bool raw)
{
	char b1[UNITS_BUFSZ], b2[UNITS_BUFSZ], b3[UNITS_BUFSZ];
	size_t i;

	out_text(o, "target_id: %llu\n", (unsigned long long)g->target_id);
	out_text(o, "time: [%s, %s) (%s)\n",
		 units_fmt_time(b1, g->start_ns, UNITS_NS, raw),
		 units_fmt_time(b2, g->end_ns, UNITS_NS, raw),
		 units_fmt_time(b3, g->end_ns - g->start_ns, UNITS_NS, raw));
	for (i = 0; i <= g->nr_gaps; i++)
		out_text(o, "region\t%2zu: [%s, %s) (%s)\n", i,
			 report_fmt_sz_accurate(b1, r[i].start, raw),
			 report_fmt_sz_accurate(b2, r[i].end, raw),
			 units_fmt_sz(b3, r[i].end - r[i].start, raw));
}

static void print_json(struct out *o, const struct record_guide *g,
		       const struct guide_range *r)
{
	size_t i;

	out_u64(o, "target_id", g->target_id);
	out_u64(o, "start_ns", g->start_ns);
	out_u64(o, "end_ns", g->end_ns);
	out_u64(o, "lowest_addr", g->lowest_addr);
	out_u64(o, "highest_addr", g->highest_addr);
	out_u64(o, "nr_snapshots", g->nr_snapshots);
	out_u64(o, "nr_regions", g->nr_regions);
	out_begin_list(o, "regions");
	for (i = 0; i <= g->nr_gaps; i++) {
		out_begin_obj(o, NULL);
		out_u64(o, "start", r[i].start);
		out_u64(o, "end", r[i].end);
		out_u64(o, "size", r[i].end - r[i].start);
		out_end_obj(o);
	}
	out_end_list(o);
}

void report_print_guide(struct out *o, const struct record_guide *g, bool raw)
{
	struct guide_range *r = xcalloc(g->nr_gaps + 1, sizeof(*r));

	record_guide_regions(g, r);
	if (out_is_json(o))
		out_begin_obj(o, NULL);
	print_idx(o, "kdamond_idx", g->kdamond_idx, g->kdamond_is_stat);
	print_idx(o, "context_idx", g->context_idx, false);
	print_idx(o, "scheme_idx", g->scheme_idx, false);
	if (out_is_json(o)) {
		print_json(o, g, r);
		out_end_obj(o);
	} else {
		print_text(o, g, r, raw);
	}
	free(r);
}

int report_record_info(int argc, char **argv, struct damo_ctx *ctx)
{
	struct info_args a = { .ctx = ctx, .input = REPORT_DEFAULT_INPUT };
	struct record_guide *gs = NULL;
	struct report_input in;
	size_t nr = 0, i;
	struct out *o;
	int err;

	err = cmd_parse(&info_argp, argc, argv, &a);
	if (err)
		return err;
	err = report_open(ctx, a.input, &in);
	if (err)
		return err;
	o = cmd_out(ctx);
	err = report_read_guides(&in, &gs, &nr);
	if (err < 0) {
		err = report_read_failed(ctx, &in);
		goto out;
	}
	err = 0;
	if (out_is_json(o))
		out_begin_list(o, NULL);
	for (i = 0; i < nr; i++)
		if (gs[i].nr_snapshots)
			report_print_guide(o, &gs[i], a.raw);
	if (out_is_json(o))
		out_end_list(o);
out:
	for (i = 0; i < nr; i++)
		record_guide_release(&gs[i]);
	free(gs);
	report_close(&in);
	return err;
}
