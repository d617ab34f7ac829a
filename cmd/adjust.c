/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo adjust: rewrite a record file with its snapshots re-aggregated to a
 * longer aggregation interval and the record filters applied, one
 * snapshot group at a time.
 */
#include "cmd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/report_common.h"
#include "cmd/report_filter.h"
#include "core/diag.h"
#include "core/out.h"
#include "core/reaggr.h"
#include "core/snapshot.h"
#include "core/units.h"
#include "formats/record.h"
#include "formats/record_write.h"

struct adjust_args {
	struct damo_ctx *ctx;
	struct report_opts ro;	/* --input */
	const char *output;
	bool compress;
	bool has_interval;
	uint64_t interval_us;
	uint64_t skip;
	unsigned int permission;
	struct report_filter filter;
	struct report_weights weights;
};

struct adjust_counts {
	uint64_t records;
	uint64_t snapshots_in;
	uint64_t snapshots_out;
};

enum {
	OPT_INTERVAL = 0x560,
	OPT_TYPE,
	OPT_PERMISSION,
	OPT_SKIP,
};

static const struct argp_option adjust_options[] = {
	{ "output", 'o', "FILE", 0,
	  "File to write (default damon.adjusted.data)", 0 },
	{ "aggregate-interval", OPT_INTERVAL, "US", 0,
	  "New aggregation interval in microseconds (or '1 s'); without it "
	  "only the filters apply", 0 },
	CMD_ALIAS("aggregate_interval", OPT_INTERVAL),
	{ "skip", OPT_SKIP, "N", 0,
	  "Drop the first N snapshots of each record before re-aggregating "
	  "(default 20; only with --aggregate-interval)", 0 },
	{ "output-type", OPT_TYPE, "TYPE", 0,
	  "json_compressed (default) or json", 0 },
	CMD_ALIAS("output_type", OPT_TYPE),
	{ "output-permission", OPT_PERMISSION, "OCTAL", 0,
	  "Mode of the written file (default 600)", 0 },
	CMD_ALIAS("output_permission", OPT_PERMISSION),
	{ 0 }
};

static struct argp_child adjust_children[] = {
	{ NULL, 0, NULL, 0 },	/* report_opts_argp(), set at run time */
	{ &report_filter_argp, 0, NULL, 0 },
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static error_t adjust_parse(int key, char *arg, struct argp_state *state)
{
	struct adjust_args *a = state->input;
	char *end;
	long mode;

	switch (key) {
	case ARGP_KEY_INIT:
		report_child_inputs(state, adjust_children, a->ctx, &a->ro);
		state->child_inputs[1] = &a->filter;
		return 0;
	case 'o':
		a->output = arg;
		return 0;
	case OPT_INTERVAL:
		if (units_parse_time(arg, UNITS_US, &a->interval_us) ||
		    !a->interval_us || a->interval_us > UINT64_MAX / 1000)
			argp_error(state, "--aggregate-interval: '%s' is not a "
				   "positive time in microseconds", arg);
		a->has_interval = true;
		return 0;
	case OPT_SKIP:
		if (units_parse_nr(arg, &a->skip))
			argp_error(state, "--skip: '%s' is not a count", arg);
		return 0;
	case OPT_TYPE:
		if (!strcmp(arg, "perf_script"))
			argp_error(state, "--output-type: perf_script is not "
				   "written; json_compressed or json");
		else if (strcmp(arg, "json") && strcmp(arg, "json_compressed"))
			argp_error(state, "--output-type: '%s' is not "
				   "json_compressed or json", arg);
		a->compress = strcmp(arg, "json") != 0;
		return 0;
	case OPT_PERMISSION:
		errno = 0;
		mode = strtol(arg, &end, 8);
		if (errno || end == arg || *end || mode < 0 || mode > 0777)
			argp_error(state, "--output-permission: '%s' is not an "
				   "octal mode (000 to 777)", arg);
		a->permission = (unsigned int)mode;
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp adjust_argp = {
	.options = adjust_options,
	.parser = adjust_parse,
	.doc = "Re-aggregate a record file to a longer aggregation interval.\v"
	       "Each record's first --skip snapshots are dropped, then "
	       "consecutive snapshots are merged until they span the new "
	       "interval: a region overlapping one already merged adds the "
	       "highest of its overlapping samples to it, uncovered parts "
	       "become new regions (damo's algorithm, so the numbers are "
	       "damo's).  A last group shorter than the interval is dropped.  "
	       "Record filters (as report access has them) apply first.  The "
	       "output is written whole or not at all; an existing file is "
	       "renamed FILE.old.\n\n"
	       "Examples:\n"
	       "  damo adjust --aggregate-interval 1000000\n"
	       "  damo adjust -i damon.data --aggregate-interval '1 s' --skip 30 -o adj.data\n"
	       "  damo adjust --sz-region 4096 max --output-type json -o small.json",
	.children = adjust_children,
};

static int adjust_record(struct adjust_args *a, struct record_reader *rd,
			 const struct record_meta *meta,
			 struct record_writer *w, struct adjust_counts *c,
			 struct snapshot *snap, struct snapshot *merged)
{
	struct record_meta m = *meta;
	struct reaggr ra;
	uint64_t idx;
	size_t rec;
	int err;

	if (a->has_interval && m.has_intervals)
		m.intervals.aggr_us = a->interval_us;
	rec = record_writer_add(w, &m);
	c->records++;
	reaggr_init(&ra, a->interval_us);
	for (idx = 0; (err = record_next_snapshot(rd, snap)) == 1; idx++) {
		c->snapshots_in++;
		if (a->has_interval && idx < a->skip)
			continue;
		if (!report_filter_snapshot(&a->filter, meta, snap, idx))
			continue;
		if (!a->has_interval) {
			err = record_writer_snapshot(w, rec, snap);
		} else if (reaggr_feed(&ra, snap, merged)) {
			err = record_writer_snapshot(w, rec, merged);
		} else {
			continue;
		}
		if (err)
			break;
		c->snapshots_out++;
	}
	reaggr_release(&ra);
	return err;
}

static void print_summary(struct out *o, const struct adjust_args *a,
			  const struct adjust_counts *c)
{
	if (!out_is_json(o))
		return;		/* damo prints nothing */
	out_begin_obj(o, NULL);
	out_str(o, "input", a->ro.input);
	out_str(o, "output", a->output);
	out_str(o, "format", a->compress ? "json_compressed" : "json");
	if (a->has_interval)
		out_u64(o, "aggr_us", a->interval_us);
	else
		out_null(o, "aggr_us");
	out_u64(o, "records", c->records);
	out_u64(o, "snapshots_read", c->snapshots_in);
	out_u64(o, "snapshots_written", c->snapshots_out);
	out_end_obj(o);
}

int cmd_adjust(int argc, char **argv, struct damo_ctx *ctx)
{
	struct adjust_args a = {
		.ctx = ctx, .ro = REPORT_OPTS_DEFAULT,
		.output = "damon.adjusted.data", .compress = true, .skip = 20,
		.permission = 0600, .weights = { 0, 100, 100 },
	};
	struct adjust_counts c = { 0 };
	const struct record_meta *meta;
	struct record_reader *rd = NULL;
	struct snapshot snap, merged;
	struct record_writer *w;
	struct diag d;
	int err;

	adjust_children[0].argp = report_opts_argp(REPORT_OPT_INPUT);
	err = cmd_parse(&adjust_argp, argc, argv, &a);
	if (err)
		return err;
	a.filter.weights = &a.weights;
	diag_init(&d);
	err = record_open(a.ro.input, &rd, &d);
	if (err) {
		if (!d.nr)
			diag_add(&d, a.ro.input, "cannot read: %s", strerror(-err));
		goto out;
	}
	snapshot_init(&snap);
	snapshot_init(&merged);
	w = record_writer_new(a.output, a.compress, &d);
	while ((err = record_next(rd, &meta)) == 1) {
		err = adjust_record(&a, rd, meta, w, &c, &snap, &merged);
		if (err < 0)
			break;
	}
	/* set on the new file before it has the name: no chmod(2) of a name */
	if (!err)
		err = record_writer_set_permission(w, a.permission);
	if (!err)
		err = record_writer_finish(w);
	record_writer_free(w);
	snapshot_release(&snap);
	snapshot_release(&merged);
	if (err && !d.nr)
		diag_add(&d, a.ro.input, "cannot adjust: %s", strerror(-err));
	if (!err)
		print_summary(cmd_out(ctx), &a, &c);
out:
	if (err)
		cmd_report(cmd_out(ctx), &d);
	record_close(rd);
	diag_release(&d);
	return err;
}
