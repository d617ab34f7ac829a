/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo report footprint (damo's "footprints"): distributions of the
 * processes' virtual and resident sizes and of the system's used memory
 * over a recording's footprint samples, printed as wss prints its
 * distribution.  Memory: one number per sample and metric.
 */
#include "report_common.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/out.h"
#include "core/report/footprint.h"
#include "formats/footprint.h"

struct fp_args {
	struct damo_ctx *ctx;
	struct report_opts ro;
	int metric;		/* -1: all */
	bool all;
};

enum {
	OPT_ALL = 0x780,
};

static const struct argp_option fp_options[] = {
	{ "all-footprint", OPT_ALL, NULL, 0,
	  "Print every value with its index instead of percentiles", 0 },
	CMD_ALIAS("all_footprint", OPT_ALL),
	{ 0 }
};

static struct argp_child fp_children[] = {
	{ NULL, 0, NULL, 0 },	/* report_opts_argp(), set at run time */
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static error_t fp_parse(int key, char *arg, struct argp_state *state)
{
	struct fp_args *a = state->input;
	size_t i;

	switch (key) {
	case ARGP_KEY_INIT:
		report_child_inputs(state, fp_children, a->ctx, &a->ro);
		return 0;
	case OPT_ALL:
		a->all = true;
		return 0;
	case ARGP_KEY_END:
		/* damo draws each metric over the last: one is the image */
		if (a->ro.plot && a->metric == -1)
			argp_error(state, "--plot draws one metric: name vsz, "
				   "rss or sys_used");
		return 0;
	case ARGP_KEY_ARG:
		if (state->arg_num || a->metric != -1)
			argp_error(state, "unexpected argument '%s'", arg);
		for (i = 0; i < NR_FP_METRICS; i++) {
			if (!strcmp(arg, fp_metric_names[i]))
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

static int read_samples(struct fp_args *a, struct fp_model *m)
{
	struct footprint_reader *rd;
	struct footprint_sample s;
	struct diag diag;
	int err;

	diag_init(&diag);
	err = footprint_open(a->ro.input, &rd, &diag);
	if (err) {
		out_error(cmd_out(a->ctx), "cannot read '%s': %s", a->ro.input,
			  strerror(-err));
		diag_release(&diag);
		return err;
	}
	while ((err = footprint_next(rd, &s)) == 1)
		fp_model_add(m, s.seq, s.pid == FOOTPRINT_SYSTEM, s.vsz, s.rss,
			     s.sys_used);
	if (err)
		cmd_report(cmd_out(a->ctx), &diag);
	footprint_close(rd);
	diag_release(&diag);
	return err;
}

static void print_metric(struct out *o, const struct fp_args *a,
			 const char *name, const struct report_dist *d)
{
	out_json_begin_obj(o, NULL);
	out_print_str(o, "metric", "# <percentile> <%s>\n", name);
	out_print_u64(o, "nr_samples", NULL, d->n);
	report_print_dist(o, d, &a->ro, a->all, "values", "bytes");
	out_json_end_obj(o);
}

int report_footprint(int argc, char **argv, struct damo_ctx *ctx)
{
	struct fp_args a = {
		.ctx = ctx, .ro = REPORT_OPTS_DEFAULT, .metric = -1,
	};
	struct report_plot plot = { 0 };
	struct fp_model m;
	struct out *o;
	int err, i;

	a.ro.input = "damon.data.mem_footprint";
	fp_children[0].argp = report_opts_argp(REPORT_OPT_INPUT_FP |
			REPORT_OPT_RANGE | REPORT_OPT_SORTBY |
			REPORT_OPT_NR_COLS | REPORT_OPT_RAW | REPORT_OPT_PLOT);
	err = cmd_parse(&fp_argp, argc, argv, &a);
	if (err)
		return err;
	o = cmd_out(ctx);
	fp_model_init(&m, a.ro.by_time);
	err = read_samples(&a, &m);
	if (err)
		goto out;
	if (a.ro.plot) {	/* the image instead of the text, as damo */
		report_plot_add(&plot, fp_model_result(&m, a.metric), &a.ro,
				a.all);
		err = report_plot_write(ctx, &plot, &a.ro, "memory footprint",
					true);
		if (err || !out_is_json(o))
			goto out;
	}
	out_json_begin_list(o, NULL);
	for (i = 0; i < NR_FP_METRICS; i++)
		if (a.metric == -1 || a.metric == i)
			print_metric(o, &a, fp_metric_names[i],
				     fp_model_result(&m, i));
	out_json_end_list(o);
out:
	fp_model_release(&m);
	return err;
}
