/* SPDX-License-Identifier: GPL-2.0 */
/* damo report wss: working set size percentiles. */
#include "report_common.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/out.h"
#include "core/report/wss.h"
#include "core/snapshot.h"
#include "core/units.h"
#include "formats/record.h"

struct wss_args {
	struct damo_ctx *ctx;
	struct report_opts ro;
	struct wss_params params;
	bool all;
};

enum {
	OPT_EXCLUDE = 0x700,
	OPT_SZ_THRES,
	OPT_ALL,
	OPT_PER_TARGET,
	OPT_COLLAPSE,
};

static const struct argp_option wss_options[] = {
	{ "exclude-samples", OPT_EXCLUDE, "N", 0,
	  "Skip the first N snapshots of each record (default 20)", 0 },
	CMD_ALIAS("exclude_samples", OPT_EXCLUDE),
	{ "acc-thres", 't', "N", 0,
	  "Count regions of at least N samples with access (default 1)", 0 },
	CMD_ALIAS("acc_thres", 't'),
	{ "sz-thres", OPT_SZ_THRES, "SIZE", 0,
	  "Count regions of at least SIZE bytes (default 1)", 0 },
	CMD_ALIAS("sz_thres", OPT_SZ_THRES),
	{ "all-wss", OPT_ALL, NULL, 0,
	  "Print every value with its index instead of percentiles", 0 },
	CMD_ALIAS("all_wss", OPT_ALL),
	{ "per-target", OPT_PER_TARGET, NULL, 0,
	  "One report per target instead of their sums", 0 },
	CMD_ALIAS("per_target", OPT_PER_TARGET),
	{ "collapse-targets", OPT_COLLAPSE, NULL, 0,
	  "Sum the targets' i-th values into target 0 (the default)", 0 },
	CMD_ALIAS("collapse_targets", OPT_COLLAPSE),
	{ 0 }
};

static struct argp_child wss_children[] = {
	{ NULL, 0, NULL, 0 },	/* report_opts_argp(), set at run time */
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
		report_child_inputs(state, wss_children, a->ctx, &a->ro);
		return 0;
	case OPT_EXCLUDE:
		a->params.dist.exclude = parse_nr(state, "--exclude-samples",
						  arg, false);
		return 0;
	case 't':
		a->params.acc_thres = parse_nr(state, "--acc-thres", arg, false);
		return 0;
	case OPT_SZ_THRES:
		a->params.sz_thres = parse_nr(state, "--sz-thres", arg, true);
		return 0;
	case OPT_ALL:
		a->all = true;
		return 0;
	case OPT_PER_TARGET:
		a->params.dist.collapse = false;
		return 0;
	case OPT_COLLAPSE:
		a->params.dist.collapse = true;
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
	       "  damo report wss --plot wss.png\n"
	       "  damo report wss --json",
	.children = wss_children,
};

static void print_record(struct out *o, const struct rec_dist_record *r,
			 const struct wss_args *a)
{
	out_json_begin_obj(o, NULL);
	out_print_u64(o, "target_id", "# target_id\t%" PRIu64 "\n",
		      r->target_id);
	out_text(o, "# <percentile> <wss>\n");	/* even over no snapshot */
	report_print_dist(o, &r->dist, &a->ro, a->all, "wss", "wss");
	out_json_end_obj(o);
}

int report_wss(int argc, char **argv, struct damo_ctx *ctx)
{
	struct wss_args a = {
		.ctx = ctx, .ro = REPORT_OPTS_DEFAULT,
		.params = { .dist = { .exclude = 20, .collapse = true },
			    .acc_thres = 1, .sz_thres = 1 },
	};
	const struct rec_dist_record *recs;
	struct report_plot plot = { 0 };
	struct report_input in;
	struct wss_model m;
	size_t nr, i;
	struct out *o;
	int err;

	wss_children[0].argp = report_opts_argp(REPORT_OPT_INPUT |
			REPORT_OPT_RANGE | REPORT_OPT_SORTBY |
			REPORT_OPT_NR_COLS | REPORT_OPT_RAW |
			REPORT_OPT_WORK_TIME | REPORT_OPT_PLOT);
	err = cmd_parse(&wss_argp, argc, argv, &a);
	if (err)
		return err;
	err = report_open(ctx, a.ro.input, &in);
	if (err)
		return err;
	o = cmd_out(ctx);
	a.params.dist.by_time = a.ro.by_time;
	a.params.dist.work_time_us = a.ro.work_time_us;
	wss_model_init(&m, &a.params);
	err = report_feed(&in, wss_model_sink(&m));
	if (err < 0) {
		err = report_read_failed(ctx, &in);
		goto out;
	}
	err = 0;
	recs = wss_model_result(&m, &nr);
	if (a.ro.plot) {	/* the image instead of the text, as damo */
		for (i = 0; i < nr; i++)
			report_plot_add(&plot, &recs[i].dist, &a.ro, a.all);
		err = report_plot_write(ctx, &plot, &a.ro,
					"working set size", true);
		if (err || !out_is_json(o))
			goto out;
	}
	out_json_begin_list(o, NULL);
	for (i = 0; i < nr; i++)
		print_record(o, &recs[i], &a);
	out_json_end_list(o);
	if (!nr)
		out_text(o, "# no snapshot\n");
out:
	wss_model_release(&m);
	report_close(&in);
	return err;
}
