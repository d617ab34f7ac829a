/* SPDX-License-Identifier: GPL-2.0 */
/* What the report types share: options, input, the feeding loop, printers. */
#include "report_common.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/diag.h"
#include "core/out.h"
#include "core/record_guide.h"
#include "core/report/record_info.h"
#include "core/snap_sink.h"
#include "core/snapshot.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "formats/dist_image.h"
#include "formats/record.h"

int report_open(struct damo_ctx *ctx, const char *path,
		struct report_input *in)
{
	int err;

	diag_init(&in->diag);
	err = record_open(path, &in->rd, &in->diag);
	in->progress = (struct read_progress){
		.out = cmd_out(ctx), .path = path, .rd = in->rd,
	};
	if (err) {
		if (in->diag.nr)
			cmd_report(cmd_out(ctx), &in->diag);
		else
			out_error(cmd_out(ctx), "cannot read '%s': %s", path,
				  strerror(-err));
		diag_release(&in->diag);
		return err;
	}
	/* No report needs a record's data_source before its snapshots. */
	record_one_pass(in->rd);
	/* A cut native file: say so, and read what is there. */
	cmd_warn_diag(cmd_out(ctx), &in->diag);
	return 0;
}

void report_keep(struct report_input *in)
{
	record_spool_start(in->rd);	/* else the file is read again */
}

int report_reopen(struct damo_ctx *ctx, const char *path,
		  struct report_input *first, struct report_input *in)
{
	diag_init(&in->diag);
	in->rd = record_spool_replay(first->rd, &in->diag);
	if (!in->rd)
		return report_open(ctx, path, in);
	in->progress = (struct read_progress){
		.out = cmd_out(ctx), .path = path, .rd = in->rd,
	};
	return 0;
}

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void read_progress(struct read_progress *p, uint64_t nr_snaps)
{
	char b1[UNITS_BUFSZ], b2[UNITS_BUFSZ], b3[UNITS_BUFSZ], b4[UNITS_BUFSZ];
	char left[32];
	uint64_t done, total;
	double now, rate;

	if (!p->out || out_is_json(p->out))
		return;
	now = mono_s();
	if (!p->t0) {
		/* DAMO_PROGRESS_NOW (tests): every call shows it at once. */
		p->t0 = getenv("DAMO_PROGRESS_NOW") ? now - 1 : now;
		p->shown = p->t0 - 1;
		if (!getenv("DAMO_PROGRESS_NOW"))
			return;
	}
	if (now - p->t0 < 1 ||
	    (now - p->shown < 0.25 && !getenv("DAMO_PROGRESS_NOW")))
		return;
	p->shown = now;
	record_progress(p->rd, &done, &total);
	rate = (double)done / (now - p->t0);
	if (rate > 0 && total > done)
		snprintf(left, sizeof(left), ", %.0f s left",
			 (double)(total - done) / rate + 0.5);
	else
		left[0] = '\0';
	out_progress(p->out, "reading %s: %s of %s (%.0f%%), %s snapshots, %s/s%s",
		     p->path, units_fmt_sz(b1, done, false),
		     units_fmt_sz(b2, total, false),
		     total ? 100.0 * (double)done / (double)total : 100.0,
		     units_fmt_nr(b3, nr_snaps, false),
		     units_fmt_sz(b4, (uint64_t)rate, false), left);
}

void read_progress_end(struct read_progress *p)
{
	if (p->out)
		out_progress_end(p->out);
}

int report_feed(struct report_input *in, struct snap_sink *sink)
{
	const struct record_meta *meta;
	struct snapshot snap;
	uint64_t nr = 0;
	size_t rec;
	int err;

	snapshot_init(&snap);
	read_progress(&in->progress, 0);
	while ((err = record_next(in->rd, &meta)) == 1) {
		rec = sink->add(sink, meta);
		while ((err = record_next_snapshot(in->rd, &snap)) == 1) {
			err = sink->snapshot(sink, rec, &snap);
			if (err || (sink->should_stop && sink->should_stop(sink)))
				goto out;
			if (!(++nr & 15))
				read_progress(&in->progress, nr);
		}
		if (err < 0)
			break;
	}
out:
	read_progress_end(&in->progress);
	snapshot_release(&snap);
	return err < 0 ? err : 0;
}

int report_read_failed(struct damo_ctx *ctx, struct report_input *in)
{
	if (in->diag.nr)
		cmd_report(cmd_out(ctx), &in->diag);
	else
		out_error(cmd_out(ctx), "cannot read the record file");
	return -EINVAL;
}

void report_close(struct report_input *in)
{
	record_close(in->rd);
	diag_release(&in->diag);
}

static long parse_long(struct argp_state *state, const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end)
		argp_error(state, "--range: '%s' is not an integer", s);
	return v;
}

/*
 * Every percentile of Python's range(START, STOP, STEP) must be 0 to 100;
 * then @r is rewritten to the same percentiles with a STOP and STEP whose
 * arithmetic cannot overflow a long.
 */
static void check_percentiles(struct argp_state *state,
			      struct report_range *r)
{
	__int128 start = r->start, stop = r->stop, step = r->step, n, last;

	if (step > 0)
		n = start < stop ? (stop - start - 1) / step + 1 : 0;
	else
		n = start > stop ? (start - stop - 1) / -step + 1 : 0;
	if (!n)
		return;
	last = start + (n - 1) * step;
	if (start < 0 || start > 100 || last < 0 || last > 100) {
		argp_error(state,
			   "--range: %ld %ld %ld gives percentiles %ld to %lld; percentiles are 0 to 100",
			   r->start, r->stop, r->step, r->start,
			   (long long)(last > INT64_MAX ? INT64_MAX :
				       last < INT64_MIN ? INT64_MIN : last));
		return;
	}
	if (n == 1)
		r->step = r->step > 0 ? 1 : -1;
	r->stop = (long)(last + r->step / (r->step < 0 ? -r->step : r->step));
}

/* damo's --range START STOP STEP: @arg and the next two words. */
static void parse_range(struct argp_state *state, const char *arg,
			struct report_range *r)
{
	if (state->next + 2 > state->argc) {
		argp_error(state, "--range takes START STOP STEP");
		return;
	}
	r->start = parse_long(state, arg);
	r->stop = parse_long(state, state->argv[state->next]);
	r->step = parse_long(state, state->argv[state->next + 1]);
	state->next += 2;
	if (!r->step) {
		argp_error(state, "--range: STEP must not be zero");
		return;
	}
	check_percentiles(state, r);
}

enum {
	OPT_NR_COLS = 0x7f0,
	OPT_RAW,
	OPT_WORK_TIME,
};

/* Every shared option, each after the set bit it belongs to. */
static const struct {
	unsigned int set;
	struct argp_option opt;
} report_options[] = {
	{ REPORT_OPT_INPUT,
	  { "input", 'i', "FILE", 0, "Record file (default damon.data)", 0 } },
	{ REPORT_OPT_INPUT_FP,
	  { "input", 'i', "FILE", 0,
	    "Footprint file (default damon.data.mem_footprint)", 0 } },
	{ REPORT_OPT_RANGE,
	  { "range", 'r', "START STOP STEP", 0,
	    "Percentiles to print, a Python range (default 0 101 25)", 0 } },
	{ REPORT_OPT_SORTBY,
	  { "sortby", 's', "size|time", 0,
	    "Order of the values percentiles are taken from (default size)",
	    0 } },
	{ REPORT_OPT_NR_COLS,
	  { "nr-cols-bar", OPT_NR_COLS, "N", 0,
	    "Width of the bar chart (default 59)", 0 } },
	{ REPORT_OPT_NR_COLS, CMD_ALIAS("nr_cols_bar", OPT_NR_COLS) },
	{ REPORT_OPT_RAW,
	  { "raw-number", OPT_RAW, NULL, 0,
	    "Plain numbers (byte counts, times) instead of human units", 0 } },
	{ REPORT_OPT_RAW, CMD_ALIAS("raw_number", OPT_RAW) },
	{ REPORT_OPT_WORK_TIME,
	  { "work-time", OPT_WORK_TIME, "US", 0,
	    "Re-aggregate snapshots to this interval first, as damo adjust "
	    "does (microseconds or '1 s'; default 1 us: each snapshot "
	    "alone)", 0 } },
	{ REPORT_OPT_WORK_TIME, CMD_ALIAS("work_time", OPT_WORK_TIME) },
	{ REPORT_OPT_PLOT,
	  { "plot", 'p', "FILE", 0,
	    "Draw the distribution into FILE (.png or .svg) instead of "
	    "printing it (as damo, -p is --plot here, not --pretty)", 0 } },
};

static error_t report_opts_parse(int key, char *arg, struct argp_state *state)
{
	struct report_opts *ro = state->input;

	switch (key) {
	case 'i':
		ro->input = arg;
		return 0;
	case 'r':
		parse_range(state, arg, &ro->range);
		return 0;
	case 's':
		if (strcmp(arg, "size") && strcmp(arg, "time"))
			argp_error(state, "--sortby: 'size' or 'time', not '%s'",
				   arg);
		ro->by_time = !strcmp(arg, "time");
		return 0;
	case OPT_NR_COLS:
		if (units_parse_nr(arg, &ro->nr_cols_bar) || !ro->nr_cols_bar ||
		    ro->nr_cols_bar > 1000)
			argp_error(state, "--nr-cols-bar: '%s' is not 1 to 1000",
				   arg);
		return 0;
	case OPT_RAW:
		ro->raw = true;
		return 0;
	case 'p':
		if (dist_image_format_of(arg) < 0)
			argp_error(state, "--plot: '%s' is not a file name "
				   "ending in .png or .svg", arg);
		ro->plot = arg;
		return 0;
	case OPT_WORK_TIME:
		if (units_parse_time(arg, UNITS_US, &ro->work_time_us) ||
		    !ro->work_time_us || ro->work_time_us > UINT64_MAX / 1000)
			argp_error(state, "--work-time: '%s' is not a positive "
				   "time in microseconds", arg);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

const struct argp *report_opts_argp(unsigned int set)
{
	/* one command runs a process; a few sets are room to spare */
	static struct {
		unsigned int set;
		struct argp_option opts[ARRAY_SIZE(report_options) + 1];
		struct argp argp;
	} cache[4];
	size_t i, j, n;

	for (i = 0; i < ARRAY_SIZE(cache) && cache[i].set; i++)
		if (cache[i].set == set)
			return &cache[i].argp;
	if (i == ARRAY_SIZE(cache))
		abort();
	cache[i].set = set;
	for (j = 0, n = 0; j < ARRAY_SIZE(report_options); j++)
		if (report_options[j].set & set)
			cache[i].opts[n++] = report_options[j].opt;
	cache[i].argp.options = cache[i].opts;
	cache[i].argp.parser = report_opts_parse;
	return &cache[i].argp;
}

void report_child_inputs(struct argp_state *state,
			 const struct argp_child *children,
			 struct damo_ctx *ctx, struct report_opts *ro)
{
	size_t i;

	cmd_child_inputs(state, children, ctx);
	for (i = 0; children[i].argp; i++)
		if (children[i].argp->parser == report_opts_parse)
			state->child_inputs[i] = ro;
}

void report_print_dist(struct out *o, const struct report_dist *d,
		       const struct report_opts *ro, bool all,
		       const char *all_key, const char *val_key)
{
	size_t i, n = report_range_len(&ro->range), cols;
	uint64_t v, maxv = report_dist_pct_max(d, &ro->range);
	char buf[UNITS_BUFSZ], bar[1001];
	long p;

	if (!d->n) {
		out_print_null(o, "avr", "# no snapshot\n");
	} else {
		v = report_dist_avr(d);
		out_print_u64_as(o, "avr", "# avr:\t%s\n", v,
				 units_fmt_sz(buf, v, ro->raw));
	}
	out_json_begin_list(o, all ? all_key : "percentiles");
	for (i = 0; d->n && all && i < d->n; i++) {
		out_text(o, "%zu ", i);
		out_print_u64_as(o, NULL, "%s\n", d->v[i],
				 units_fmt_sz(buf, d->v[i], ro->raw));
	}
	for (i = 0; d->n && !all && i < n; i++) {
		p = report_range_at(&ro->range, i);
		v = report_dist_pct(d, p);
		cols = 0;
		if (maxv)
			cols = (size_t)((double)v / ((double)maxv /
						     (double)ro->nr_cols_bar));
		if (cols > ro->nr_cols_bar)
			cols = ro->nr_cols_bar;
		memset(bar, '*', cols);
		memset(bar + cols, ' ', ro->nr_cols_bar - cols);
		bar[ro->nr_cols_bar] = '\0';
		out_json_begin_obj(o, NULL);
		out_print_i64(o, "percentile", "%3" PRId64 " ", p);
		out_print_u64_as(o, val_key, "%15s ", v,
				 units_fmt_sz(buf, v, ro->raw));
		out_text(o, "|%s|\n", bar);
		out_json_end_obj(o);
	}
	out_json_end_list(o);
}

int report_read_guides(struct report_input *in, struct record_guide **gs,
		       size_t *nr)
{
	struct record_info_model m;
	int err;

	record_info_model_init(&m);
	err = report_feed(in, &m.sink);
	*gs = record_info_model_result(&m, nr, true);
	return err;
}

/* damo's format_sz_accurate: "127.576196 TiB". */
const char *report_fmt_sz_accurate(char *buf, uint64_t b, bool raw)
{
	static const char *const units[] = { "EiB", "PiB", "TiB", "GiB",
					     "MiB", "KiB" };
	unsigned int i, shift;

	if (raw || b < 1024) {
		snprintf(buf, UNITS_BUFSZ, raw ? "%llu" : "%llu B",
			 (unsigned long long)b);
		return buf;
	}
	for (i = 0; i < ARRAY_SIZE(units); i++) {
		shift = 60 - 10 * i;
		if (b > (1ULL << shift))
			break;
	}
	if (i == ARRAY_SIZE(units)) {
		snprintf(buf, UNITS_BUFSZ, "%llu B", (unsigned long long)b);
		return buf;
	}
	snprintf(buf, UNITS_BUFSZ, "%f %s", (double)b / (double)(1ULL << shift),
		 units[i]);
	return buf;
}
