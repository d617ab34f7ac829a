/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo report times: the time intervals of a recording in which snapshots
 * have regions passing the record filters (core/report/times.h), printed
 * in seconds as damo prints them.
 */
#include "report_common.h"

#include <stdio.h>
#include <string.h>

#include "cmd/report_filter.h"
#include "core/out.h"
#include "core/report/times.h"
#include "core/units.h"

struct times_args {
	struct damo_ctx *ctx;
	struct report_opts ro;
	struct report_filter filter;
};

enum {
	OPT_INPUTS = 0x7c0,
};

static const struct argp_option times_options[] = {
	{ "inputs", OPT_INPUTS, "FILE PROFILE", 0,
	  "damo's spelling: the record file and its profile file (which "
	  "damo does not read either)", 0 },
	{ 0 }
};

static struct argp_child times_children[] = {
	{ NULL, 0, NULL, 0 },	/* report_opts_argp(), set at run time */
	{ &report_filter_argp, 0, NULL, 0 },
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static error_t times_parse(int key, char *arg, struct argp_state *state)
{
	struct times_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		report_child_inputs(state, times_children, a->ctx, &a->ro);
		state->child_inputs[1] = &a->filter;
		return 0;
	case OPT_INPUTS:
		if (state->next >= state->argc)
			argp_error(state, "--inputs takes FILE PROFILE");
		a->ro.input = arg;
		state->next++;	/* the profile file, unused */
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp times_argp = {
	.options = times_options,
	.parser = times_parse,
	.doc = "Print the times of a record file whose snapshots have regions "
	       "passing the record filters.\v"
	       "Snapshots with no region left after the filters are skipped; "
	       "the others give time intervals, each snapshot starting where "
	       "the last interval ends extending it, in file order.  Each "
	       "interval is printed as START-END in seconds, followed by a "
	       "'# (seconds)' line.\n\n"
	       "Examples:\n"
	       "  damo report times\n"
	       "  damo report times --input damon.data --access-rate 50 100\n"
	       "  damo report times --json",
	.children = times_children,
};

/* damo's '%f' % (ns / 1e9): a correctly rounded division first. */
static const char *fmt_seconds(char *buf, size_t sz, uint64_t ns)
{
	double s;

	if (ns <= (1ULL << 53))
		s = (double)ns / 1e9;	/* exact operands: rounded once */
	else
		s = (double)((long double)ns / 1e9L);
	snprintf(buf, sz, "%f", s);
	return buf;
}

int report_times(int argc, char **argv, struct damo_ctx *ctx)
{
	struct times_args a = { .ctx = ctx, .ro = REPORT_OPTS_DEFAULT };
	const struct times_interval *iv;
	struct report_input in;
	struct times_model m;
	char b1[64], b2[64];
	size_t nr, i;
	struct out *o;
	int err;

	times_children[0].argp = report_opts_argp(REPORT_OPT_INPUT);
	err = cmd_parse(&times_argp, argc, argv, &a);
	if (err)
		return err;
	err = report_open(ctx, a.ro.input, &in);
	if (err)
		return err;
	o = cmd_out(ctx);
	times_model_init(&m, &a.filter);
	err = report_feed(&in, &m.sink);
	if (err < 0) {
		err = report_read_failed(ctx, &in);
		goto out;
	}
	iv = times_model_result(&m, &nr);
	out_json_begin_list(o, NULL);
	for (i = 0; i < nr; i++) {
		out_json_begin_obj(o, NULL);
		out_print_u64_as(o, "start_ns", "%s-", iv[i].start_ns,
				 fmt_seconds(b1, sizeof(b1), iv[i].start_ns));
		out_print_u64_as(o, "end_ns", "%s\n", iv[i].end_ns,
				 fmt_seconds(b2, sizeof(b2), iv[i].end_ns));
		out_text(o, "# (seconds)\n");
		out_json_end_obj(o);
	}
	out_json_end_list(o);
out:
	times_model_release(&m);
	report_close(&in);
	return err;
}
