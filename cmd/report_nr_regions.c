/* SPDX-License-Identifier: GPL-2.0 */
/* damo report nr_regions: percentiles of region counts. */
#include "report_common.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/out.h"
#include "core/report/nr_regions.h"
#include "core/snapshot.h"
#include "formats/record.h"

struct nr_regions_args {
	struct damo_ctx *ctx;
	struct report_opts ro;
};

static struct argp_child nr_regions_children[] = {
	{ NULL, 0, NULL, 0 },	/* report_opts_argp(), set at run time */
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static error_t nr_regions_parse(int key, char *arg, struct argp_state *state)
{
	struct nr_regions_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		report_child_inputs(state, nr_regions_children, a->ctx, &a->ro);
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp nr_regions_argp = {
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

static void print_record(struct out *o, const struct rec_dist_record *r,
			 const struct report_range *range)
{
	const struct report_dist *d = &r->dist;
	size_t i, nr = report_range_len(range);
	long p;

	out_json_begin_obj(o, NULL);
	if (r->target_id == SNAP_NONE)	/* a snapshot file's: damo's None */
		out_print_null(o, "target_id", "# target_id\tNone\n");
	else
		out_print_u64(o, "target_id", "# target_id\t%" PRIu64 "\n",
			      r->target_id);
	if (d->n)
		out_print_u64(o, "avr", "# avr:\t%" PRIu64 "\n",
			      report_dist_avr(d));
	else
		out_print_null(o, "avr", "# no snapshot\n");
	out_json_begin_list(o, "percentiles");
	for (i = 0; d->n && i < nr; i++) {
		p = report_range_at(range, i);
		out_json_begin_obj(o, NULL);
		out_print_i64(o, "percentile", "%" PRId64 "\t", p);
		out_print_u64(o, "nr_regions", "%" PRIu64 "\n",
			      report_dist_pct(d, p));
		out_json_end_obj(o);
	}
	out_json_end_list(o);
	out_json_end_obj(o);
}

int report_nr_regions(int argc, char **argv, struct damo_ctx *ctx)
{
	struct nr_regions_args a = { .ctx = ctx, .ro = REPORT_OPTS_DEFAULT };
	const struct rec_dist_record *recs;
	struct report_plot plot = { 0 };
	struct nr_regions_model m;
	struct report_input in;
	size_t nr, i;
	struct out *o;
	int err;

	nr_regions_children[0].argp = report_opts_argp(REPORT_OPT_INPUT |
			REPORT_OPT_RANGE | REPORT_OPT_SORTBY |
			REPORT_OPT_WORK_TIME | REPORT_OPT_PLOT);
	err = cmd_parse(&nr_regions_argp, argc, argv, &a);
	if (err)
		return err;
	err = report_open(ctx, a.ro.input, &in);
	if (err)
		return err;
	o = cmd_out(ctx);
	nr_regions_model_init(&m, a.ro.work_time_us, a.ro.by_time);
	err = report_feed(&in, nr_regions_model_sink(&m));
	if (err < 0) {
		err = report_read_failed(ctx, &in);
		goto out;
	}
	err = 0;
	recs = nr_regions_model_result(&m, &nr);
	if (a.ro.plot) {	/* the image instead of the text, as damo */
		for (i = 0; i < nr; i++)
			report_plot_add(&plot, &recs[i].dist, &a.ro, false);
		err = report_plot_write(ctx, &plot, &a.ro,
					"number of monitoring target regions",
					false);
		if (err || !out_is_json(o))
			goto out;
	}
	out_text(o, "# <percentile> <# regions>\n");
	out_json_begin_list(o, NULL);
	for (i = 0; i < nr; i++)
		print_record(o, &recs[i], &a.ro.range);
	out_json_end_list(o);
out:
	nr_regions_model_release(&m);
	report_close(&in);
	return err;
}
