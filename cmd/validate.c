/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo validate: check that a record file looks like what a sane DAMON
 * gives (damo's validate, used by its tests): aggregation intervals,
 * numbers of regions and accesses in ranges, regions inside boundaries.
 */
#include "cmd.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/report_common.h"
#include "core/out.h"
#include "core/snap_sink.h"
#include "core/snapshot.h"
#include "core/xalloc.h"

struct bound {
	uint64_t min, max;
};

struct validate_args {
	struct damo_ctx *ctx;
	const char *input;
	struct bound aggr_us, nr_regions, nr_accesses;
	double allow_error;	/* percent of snapshots */
	struct bound *boundary;	/* --regions_boundary START-END... */
	size_t nr_boundary;
};

/* One snapshot's figures, and the first thing wrong in its regions. */
struct snap_fig {
	double aggr_us;
	uint64_t nr_regions;
	char *bad;		/* owned; NULL: its regions are fine */
};

struct rec_figs {
	struct snap_fig *s;
	size_t nr, cap;
};

struct validator {
	struct snap_sink sink;
	const struct validate_args *a;
	struct rec_figs *recs;
	size_t nr_recs, cap_recs;
};

enum {
	OPT_INPUT = 'i',
	OPT_AGGR = 0x780,
	OPT_NR_REGIONS,
	OPT_NR_ACCESSES,
	OPT_ALLOW_ERROR,
	OPT_BOUNDARY,
};

static const struct argp_option validate_options[] = {
	{ "input", OPT_INPUT, "FILE", 0, "The record file (default damon.data)",
	  0 },
	{ "aggr", OPT_AGGR, "MIN MAX", 0,
	  "Valid aggregation intervals, in microseconds (default 75000 125000)",
	  0 },
	{ "nr-regions", OPT_NR_REGIONS, "MIN MAX", 0,
	  "Valid numbers of regions a snapshot (default 3 1200)", 0 },
	CMD_ALIAS("nr_regions", OPT_NR_REGIONS),
	{ "nr-accesses", OPT_NR_ACCESSES, "MIN MAX", 0,
	  "Valid numbers of accesses (samples) of a region (default 0 24)", 0 },
	CMD_ALIAS("nr_accesses", OPT_NR_ACCESSES),
	{ "allow-error", OPT_ALLOW_ERROR, "PERCENT", 0,
	  "Share of snapshots whose interval or number of regions may be out "
	  "of range (default 2)", 0 },
	CMD_ALIAS("allow_error", OPT_ALLOW_ERROR),
	{ "regions-boundary", OPT_BOUNDARY, "START-END...", 0,
	  "Every region must be inside one of these ranges", 0 },
	CMD_ALIAS("regions_boundary", OPT_BOUNDARY),
	{ 0 }
};

static const struct argp_child validate_children[] = {
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static uint64_t parse_u64(struct argp_state *state, const char *opt,
			  const char *s)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (*s < '0' || *s > '9' || *end || errno)
		argp_error(state, "--%s: '%s' is not a number (0 or more)", opt, s);
	return v;
}

/* OPT MIN MAX: the value argp gave and the next word. */
static void parse_bound(struct argp_state *state, const char *opt,
			const char *arg, struct bound *b)
{
	if (state->next >= state->argc)
		argp_error(state, "--%s takes MIN and MAX", opt);
	b->min = parse_u64(state, opt, arg);
	b->max = parse_u64(state, opt, state->argv[state->next++]);
	if (b->min > b->max)
		argp_error(state, "--%s: the minimum %" PRIu64 " is above the maximum %" PRIu64,
			   opt, b->min, b->max);
}

static void add_boundary(struct argp_state *state, struct validate_args *a,
			 const char *s)
{
	const char *dash = strchr(s, '-');
	char *start;
	struct bound b;

	if (!dash)
		argp_error(state, "--regions_boundary: '%s' is not START-END", s);
	start = xstrndup(s, (size_t)(dash - s));
	b.min = parse_u64(state, "regions_boundary", start);
	b.max = parse_u64(state, "regions_boundary", dash + 1);
	free(start);
	if (b.min >= b.max)
		argp_error(state, "--regions_boundary: '%s' is empty", s);
	a->boundary = xreallocarray(a->boundary, a->nr_boundary + 1,
				    sizeof(*a->boundary));
	a->boundary[a->nr_boundary++] = b;
}

static error_t validate_parse(int key, char *arg, struct argp_state *state)
{
	struct validate_args *a = state->input;
	char *end;

	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, validate_children, a->ctx);
		return 0;
	case OPT_INPUT:
		a->input = arg;
		return 0;
	case OPT_AGGR:
		parse_bound(state, "aggr", arg, &a->aggr_us);
		return 0;
	case OPT_NR_REGIONS:
		parse_bound(state, "nr_regions", arg, &a->nr_regions);
		return 0;
	case OPT_NR_ACCESSES:
		parse_bound(state, "nr_accesses", arg, &a->nr_accesses);
		return 0;
	case OPT_ALLOW_ERROR:
		errno = 0;
		a->allow_error = strtod(arg, &end);
		if (end == arg || *end || errno || !(a->allow_error >= 0) ||
		    a->allow_error > 100)
			argp_error(state, "--allow_error: '%s' is not a percentage from 0 to 100",
				   arg);
		return 0;
	case OPT_BOUNDARY:
		add_boundary(state, a, arg);
		/* more START-END words follow, up to the next option */
		while (state->next < state->argc &&
		       state->argv[state->next][0] != '-')
			add_boundary(state, a, state->argv[state->next++]);
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp validate_argp = {
	.options = validate_options,
	.parser = validate_parse,
	.doc = "Check that a record file looks like what a sane DAMON gives "
	       "(damo's validate).\v"
	       "Each record's snapshots must have an aggregation interval and "
	       "a number of regions in range, but for --allow-error percent of "
	       "them; every region must be non-empty, with a number of "
	       "accesses in range, inside a --regions-boundary range if any "
	       "is given.  Prints nothing when the file is valid (under -j, "
	       "{\"valid\": true}); otherwise the first problem, exit status 1.\n\n"
	       "Examples:\n"
	       "  damo validate -i damon.data\n"
	       "  damo validate --aggr 90000 110000 --nr_regions 10 1000 \\\n"
	       "      --regions_boundary 4096-1073741824",
	.children = validate_children,
};

static size_t v_add(struct snap_sink *sink, const struct record_meta *meta)
{
	struct validator *v = (struct validator *)sink;

	(void)meta;
	xgrow((void **)&v->recs, v->nr_recs, &v->cap_recs, sizeof(*v->recs));
	memset(&v->recs[v->nr_recs], 0, sizeof(*v->recs));
	return v->nr_recs++;
}

static bool in_boundary(const struct validate_args *a, uint64_t start,
			uint64_t end)
{
	size_t i;

	for (i = 0; i < a->nr_boundary; i++)
		if (start >= a->boundary[i].min && end <= a->boundary[i].max)
			return true;
	return false;
}

static int v_snapshot(struct snap_sink *sink, size_t rec,
		      const struct snapshot *s)
{
	struct validator *v = (struct validator *)sink;
	const struct validate_args *a = v->a;
	struct rec_figs *r = &v->recs[rec];
	struct snap_fig *f;
	size_t i;

	xgrow((void **)&r->s, r->nr, &r->cap, sizeof(*r->s));
	f = &r->s[r->nr++];
	f->aggr_us = s->start_ns == SNAP_NONE ? -1 :
		     (double)(s->end_ns - s->start_ns) / 1000.0;
	f->nr_regions = s->nr_regions;
	f->bad = NULL;
	for (i = 0; i < s->nr_regions && !f->bad; i++) {
		const struct snap_region *g = &s->regions[i];

		if (g->start >= g->end)
			f->bad = xasprintf("wrong region [%" PRIu64 ", %" PRIu64 ")",
					   g->start, g->end);
		else if (a->nr_boundary && !in_boundary(a, g->start, g->end))
			f->bad = xasprintf("region %" PRIu64 "-%" PRIu64 " out of the boundary",
					   g->start, g->end);
		else if (g->nr_accesses != SNAP_NONE &&
			 (g->nr_accesses < a->nr_accesses.min ||
			  g->nr_accesses > a->nr_accesses.max))
			f->bad = xasprintf("invalid: expect %" PRIu64 "<=nr_accesses<=%" PRIu64 " but %" PRIu64,
					   a->nr_accesses.min, a->nr_accesses.max,
					   g->nr_accesses);
	}
	return 0;
}

static bool v_should_stop(struct snap_sink *sink)
{
	(void)sink;
	return false;
}

/*
 * The first problem of @r, damo's order: snapshot by snapshot, the
 * interval, the number of regions (each out-of-range one allowed while
 * fewer than the allowed share were), then the regions.
 */
static char *first_problem(const struct validate_args *a,
			   const struct rec_figs *r)
{
	double allowed = (double)r->nr * a->allow_error / 100.0;
	size_t i, bad_aggr = 0, bad_nr = 0;

	for (i = 0; i < r->nr; i++) {
		const struct snap_fig *f = &r->s[i];

		if (f->aggr_us >= 0 && (f->aggr_us < (double)a->aggr_us.min ||
					f->aggr_us > (double)a->aggr_us.max)) {
			if (!((double)bad_aggr < allowed))
				/* damo prints the microseconds cut down */
				return xasprintf("invalid: expect %" PRIu64 "<=aggregate interval<=%" PRIu64 " but %" PRIu64,
						 a->aggr_us.min, a->aggr_us.max,
						 (uint64_t)f->aggr_us);
			bad_aggr++;
		}
		if (f->nr_regions < a->nr_regions.min ||
		    f->nr_regions > a->nr_regions.max) {
			if (!((double)bad_nr < allowed))
				return xasprintf("invalid: expect %" PRIu64 "<=nr_regions<=%" PRIu64 " but %" PRIu64,
						 a->nr_regions.min,
						 a->nr_regions.max,
						 f->nr_regions);
			bad_nr++;
		}
		if (f->bad)
			return xstrdup(f->bad);
	}
	return NULL;
}

int cmd_validate(int argc, char **argv, struct damo_ctx *ctx)
{
	struct validate_args a = {
		.ctx = ctx, .input = REPORT_DEFAULT_INPUT,
		.aggr_us = { 75000, 125000 }, .nr_regions = { 3, 1200 },
		.nr_accesses = { 0, 24 }, .allow_error = 2,
	};
	struct validator v = {
		.sink = { .add = v_add, .snapshot = v_snapshot,
			  .should_stop = v_should_stop },
		.a = &a,
	};
	struct report_input in;
	char *problem = NULL;
	struct out *o;
	size_t i, j;
	int err;

	err = cmd_parse(&validate_argp, argc, argv, &a);
	if (err)
		goto out;
	o = cmd_out(ctx);
	err = report_open(ctx, a.input, &in);
	if (err)
		goto out;
	err = report_feed(&in, &v.sink);
	if (err == -EINVAL)
		err = report_read_failed(ctx, &in);
	report_close(&in);
	if (err)
		goto out_recs;
	if (!v.nr_recs)
		problem = xstrdup("target snapshots is zero");
	for (i = 0; i < v.nr_recs && !problem; i++)
		problem = first_problem(&a, &v.recs[i]);
	if (problem) {
		out_error(o, "%s: %s", a.input, problem);
		err = -EINVAL;
	} else if (out_is_json(o)) {
		out_begin_obj(o, NULL);
		out_bool(o, "valid", true);
		out_end_obj(o);
	}
	free(problem);
out_recs:
	for (i = 0; i < v.nr_recs; i++) {
		for (j = 0; j < v.recs[i].nr; j++)
			free(v.recs[i].s[j].bad);
		free(v.recs[i].s);
	}
	free(v.recs);
out:
	free(a.boundary);
	return err;
}
