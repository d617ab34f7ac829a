/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo report tried (ours; damo has no such report): for each DAMOS scheme,
 * the regions it tried (from a recording's scheme records, or read from a
 * running kdamond's tried_regions without writing anything), their access
 * pattern, whether each matches the scheme's access pattern (so would get
 * its action), totals and a size histogram.
 */
#include "report_common.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/backend_args.h"
#include "cmd/kernel.h"
#include "core/damon.h"
#include "core/diag.h"
#include "core/out.h"
#include "core/report/tried.h"
#include "core/snapshot.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "formats/config.h"
#include "formats/record.h"
#include "kdamond/backend.h"

struct tried_args {
	struct damo_ctx *ctx;
	struct report_opts ro;	/* input NULL: not given */
	const char *kdamonds;	/* the schemes of a recording */
	bool live;
	bool all;
	bool no_regions;
	bool has_kdamond;
	struct damo_id kdamond;	/* --kdamond-idx: the monitor's id */
};

/* One scheme's tried regions, from either source. */
struct tried_view {
	const struct damo_id *id;	/* live: the monitor's; NULL: a file's */
	uint64_t kdamond_idx;
	uint64_t context_idx;
	uint64_t scheme_idx;
	struct tried_params p;
	const struct snapshot *s;
	uint64_t base_ns;		/* of the record, SNAP_NONE live */
	bool recorded;			/* from a file: snapshot_idx is set */
	size_t snapshot_idx;
	size_t nr_snapshots;		/* 0 when not known (yet) */
};

enum {
	OPT_LIVE = 0x7a0,
	OPT_KDAMONDS,
	OPT_ALL,
	OPT_NO_REGIONS,
};

static const struct argp_option tried_options[] = {
	{ "kdamonds", OPT_KDAMONDS, "FILE", 0,
	  "The recording's configuration, for the schemes' actions and "
	  "access patterns (default FILE.kdamonds when it exists)", 0 },
	{ "live", OPT_LIVE, NULL, 0,
	  "Read the tried regions of the running monitors instead (as they "
	  "last exposed them; nothing is written)", 0 },
	{ "kdamond-idx", 'k', "ID", 0,
	  "Only the monitor ID: N or eN (with --live)", 0 },
	{ "all-snapshots", OPT_ALL, NULL, 0,
	  "Every snapshot of a recording, not only the last", 0 },
	{ "no-regions", OPT_NO_REGIONS, NULL, 0,
	  "Totals and histogram only", 0 },
	{ 0 }
};

static struct argp_child tried_children[] = {
	{ NULL, 0, NULL, 0 },	/* report_opts_argp(), set at run time */
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static error_t tried_parse(int key, char *arg, struct argp_state *state)
{
	struct tried_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		report_child_inputs(state, tried_children, a->ctx, &a->ro);
		return 0;
	case OPT_KDAMONDS:
		a->kdamonds = arg;
		return 0;
	case OPT_LIVE:
		a->live = true;
		return 0;
	case 'k':
		if (damo_id_parse(arg, &a->kdamond))
			argp_error(state, "--kdamond-idx: '%s' is not a monitor's id (N, or eN for an embedded monitor)",
				   arg);
		a->has_kdamond = true;
		return 0;
	case OPT_ALL:
		a->all = true;
		return 0;
	case OPT_NO_REGIONS:
		a->no_regions = true;
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		return 0;
	case ARGP_KEY_END:
		if (a->live && (a->ro.input || a->kdamonds || a->all))
			argp_error(state, "--live reads the kernel: no --input, "
				   "--kdamonds or --all-snapshots");
		if (!a->live && a->has_kdamond)
			argp_error(state, "--kdamond-idx needs --live");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp tried_argp = {
	.options = tried_options,
	.parser = tried_parse,
	.doc = "Show the regions each DAMOS scheme tried to apply its action to.\v"
	       "From a recording (damo record with --scheme writes one record "
	       "per scheme, a snapshot per apply interval), the last snapshot "
	       "of each scheme (every one with --all-snapshots); with --live, "
	       "the tried_regions the kernel last exposed for each scheme of "
	       "the running kdamonds ('damo schemes tried' refreshes them).  "
	       "Each region shows its size, access samples and rate, age, and "
	       "whether it matches the scheme's access pattern, that is "
	       "whether the scheme would apply its action to it (quotas and "
	       "filters aside).  Then the totals and a histogram of region "
	       "sizes (powers of two).  This report is not in Python damo.\n\n"
	       "Examples:\n"
	       "  damo record --model stairs.yaml --scheme cold.json --timeout 5\n"
	       "  damo report tried\n"
	       "  damo report tried --input damon.data --kdamonds damon.data.kdamonds\n"
	       "  damo report tried --live --kdamond-idx 0 --json",
	.children = tried_children,
};

static const struct out_col region_cols[] = {
	{ "start", "start", true },
	{ "end", "end", true },
	{ "size", "size", true },
	{ "nr_accesses", "samples", true },
	{ "access_rate_percent", "rate%", true },
	{ "age_us", "age", true },
	{ "sz_filter_passed", "filter-passed", true },
	{ "matches", "matches", false },
};

/* An index, or null ("-" in text). */
static void print_idx(struct out *o, const char *key, uint64_t v)
{
	if (v == SNAP_NONE)
		out_print_null(o, key, "-");
	else
		out_print_u64(o, key, "%" PRIu64, v);
}

/* The scheme's access pattern, in text. */
static void print_pattern(struct out *o, const struct damos_access_pattern *p)
{
	bool pct = p->nr_accesses_unit == DAMOS_NR_ACCESSES_PERCENT;
	bool us = p->age_unit == DAMOS_AGE_US;
	char b[6][UNITS_BUFSZ];

	if (out_is_json(o))
		return;
	out_text(o, "access pattern: size [%s, %s], nr_accesses [%s, %s]%s, "
		 "age [%s, %s]%s\n",
		 units_fmt_sz(b[0], p->min_sz_bytes, false),
		 units_fmt_sz(b[1], p->max_sz_bytes, false),
		 pct ? units_fmt_ratio(b[2], p->min_nr_accesses, UNITS_BP, false) :
		 units_fmt_nr(b[2], p->min_nr_accesses, false),
		 pct ? units_fmt_ratio(b[3], p->max_nr_accesses, UNITS_BP, false) :
		 units_fmt_nr(b[3], p->max_nr_accesses, false),
		 pct ? "" : " (samples)",
		 us ? units_fmt_time(b[4], p->min_age, UNITS_US, false) :
		 units_fmt_nr(b[4], p->min_age, false),
		 us ? units_fmt_time(b[5], p->max_age, UNITS_US, false) :
		 units_fmt_nr(b[5], p->max_age, false),
		 us ? "" : " (aggregation intervals)");
}

/* "kdamond K / context C / scheme S: ACTION, snapshot I of N". */
static void print_head(struct out *o, const struct tried_view *v)
{
	const struct damos *sc = v->p.scheme;
	char id[DAMO_ID_BUFSZ];
	char b[UNITS_BUFSZ];

	out_text(o, "kdamond ");
	if (v->id)
		out_print_str(o, "kdamond", "%s", damo_id_str(*v->id, id));
	else
		print_idx(o, "kdamond_idx", v->kdamond_idx);
	out_text(o, " / context ");
	print_idx(o, "context_idx", v->context_idx);
	out_text(o, " / scheme ");
	print_idx(o, "scheme_idx", v->scheme_idx);
	out_text(o, ": ");
	if (sc)
		out_print_str(o, "action", "%s", damos_action_name(sc->action));
	else
		out_print_null(o, "action", "action unknown (no --kdamonds)");
	if (v->s->start_ns != SNAP_NONE)
		out_print_u64(o, "start_time", NULL, v->s->start_ns);
	else
		out_print_null(o, "start_time", NULL);
	if (v->recorded) {
		/* counted from 1 in text */
		snprintf(b, sizeof(b), "%zu", v->snapshot_idx + 1);
		out_print_u64_as(o, "snapshot_idx", ", snapshot %s",
				 v->snapshot_idx, b);
	}
	if (v->nr_snapshots)
		out_text(o, " of %zu", v->nr_snapshots);
	out_text(o, "\n");
	if (sc)
		print_pattern(o, &sc->pattern);
}

static void print_regions(struct out *o, const struct tried_view *v)
{
	const struct snap_region *r;
	size_t i;

	out_begin_table(o, "regions", region_cols, ARRAY_SIZE(region_cols));
	for (i = 0; i < v->s->nr_regions; i++) {
		r = &v->s->regions[i];
		out_begin_obj(o, NULL);
		out_u64(o, "start", r->start);
		out_u64(o, "end", r->end);
		out_size(o, "size", r->end - r->start);
		out_u64(o, "nr_accesses", tried_samples(r));
		out_u64(o, "access_rate_percent", tried_rate(&v->p, r));
		out_time(o, "age_us", tried_age_us(&v->p, r), UNITS_US);
		out_size(o, "sz_filter_passed", r->sz_filter_passed);
		if (v->p.scheme)
			out_bool(o, "matches", tried_matches(&v->p, r));
		else
			out_null(o, "matches");
		out_end_obj(o);
	}
	out_end_table(o);
}

static void print_totals(struct out *o, const struct tried_view *v,
			 const struct tried_result *res)
{
	char b[UNITS_BUFSZ];

	out_print_u64(o, "nr_regions", "tried %" PRIu64 " regions, ",
		      res->nr_regions);
	out_print_u64_as(o, "total_bytes", "%s", res->total_bytes,
			 units_fmt_sz(b, res->total_bytes, false));
	out_print_u64_as(o, "sz_filter_passed", " (%s passed filters)",
			 res->sz_filter_passed,
			 units_fmt_sz(b, res->sz_filter_passed, false));
	if (v->p.scheme) {
		out_print_u64(o, "nr_matching",
			      "; %" PRIu64 " match the access pattern, ",
			      res->nr_matching);
		out_print_u64_as(o, "matching_bytes", "%s: ",
				 res->matching_bytes,
				 units_fmt_sz(b, res->matching_bytes, false));
		out_text(o, "%s would apply to them",
			 damos_action_name(v->p.scheme->action));
	}
	out_text(o, "\n");
}

static void print_hist(struct out *o, const struct tried_result *res)
{
	char b[UNITS_BUFSZ];
	unsigned int i, dots;
	uint64_t lo;

	out_json_begin_list(o, "histogram");
	if (res->hist_first < TRIED_HIST_BINS)
		out_text(o, "# region size histogram: <range> <regions> <total size>\n");
	for (i = res->hist_first; i <= res->hist_last && i < TRIED_HIST_BINS;
	     i++) {
		lo = 1ULL << i;
		out_json_begin_obj(o, NULL);
		out_print_u64_as(o, "min_size", "[%12s, ", lo,
				 units_fmt_sz(b, lo, false));
		if (i == 63)
			out_print_null(o, "max_size", "         max) ");
		else
			out_print_u64_as(o, "max_size", "%12s) ", lo << 1,
					 units_fmt_sz(b, lo << 1, false));
		out_print_u64(o, "nr_regions", "%6" PRIu64 " ",
			      res->hist_nr[i]);
		out_print_u64_as(o, "size", "%12s ", res->hist_sz[i],
				 units_fmt_sz(b, res->hist_sz[i], false));
		dots = res->hist_max_sz ? (unsigned int)(res->hist_sz[i] * 20 /
							 res->hist_max_sz) : 0;
		out_text(o, "|%.*s%*s|\n", (int)dots, "********************",
			 (int)(20 - dots), "");
		out_json_end_obj(o);
	}
	out_json_end_list(o);
}

static void print_view(struct tried_args *a, const struct tried_view *v)
{
	struct out *o = cmd_out(a->ctx);
	struct tried_result res;

	tried_result_of(&v->p, v->s, &res);
	out_json_begin_obj(o, NULL);
	print_head(o, v);
	if (!a->no_regions)
		print_regions(o, v);
	print_totals(o, v, &res);
	print_hist(o, &res);
	out_json_end_obj(o);
	out_text(o, "\n");
}

/* The scheme @meta's record is about in @cfg, or NULL. */
static const struct damos *scheme_of(const struct damon_config *cfg,
				     const struct record_meta *meta)
{
	uint64_t k = meta->kdamond_idx == SNAP_NONE ? 0 : meta->kdamond_idx;
	uint64_t c = meta->context_idx == SNAP_NONE ? 0 : meta->context_idx;
	const struct damon_ctx *ctx;

	if (!cfg || k >= cfg->nr_kdamonds || c >= cfg->kdamonds[k].nr_ctxs)
		return NULL;
	ctx = &cfg->kdamonds[k].ctxs[c];
	if (meta->scheme_idx >= ctx->nr_schemes)
		return NULL;
	return &ctx->schemes[meta->scheme_idx];
}

/* Load the recording's configuration, if there is one. */
static int load_kdamonds(struct tried_args *a, struct config_file *cf,
			 bool *loaded)
{
	char *path = a->kdamonds ? xstrdup(a->kdamonds) :
		xasprintf("%s.kdamonds", a->ro.input);
	struct diag d;
	int err = 0;

	*loaded = false;
	if (!a->kdamonds && access(path, F_OK)) {
		free(path);
		return 0;
	}
	diag_init(&d);
	err = config_load(path, false, cf, &d);
	if (err) {
		if (d.nr)
			cmd_report(cmd_out(a->ctx), &d);
		else
			out_error(cmd_out(a->ctx), "cannot read '%s': %s", path,
				  strerror(-err));
	} else {
		*loaded = true;
	}
	diag_release(&d);
	free(path);
	return err;
}

/*
 * The scheme records of a recording: their last snapshot each (or every
 * one), one snapshot in memory at a time (two: the last kept).
 */
static int from_file(struct tried_args *a)
{
	const struct record_meta *meta;
	struct snapshot snap, last;
	struct config_file cf;
	struct report_input in;
	struct tried_view v;
	bool loaded, any = false;
	size_t idx;
	int err;

	err = load_kdamonds(a, &cf, &loaded);
	if (err)
		return err;
	err = report_open(a->ctx, a->ro.input, &in);
	if (err)
		goto out_cf;
	snapshot_init(&snap);
	snapshot_init(&last);
	out_json_begin_list(cmd_out(a->ctx), NULL);
	while ((err = record_next(in.rd, &meta)) == 1) {
		if (meta->scheme_idx == SNAP_NONE)
			continue;
		any = true;
		memset(&v, 0, sizeof(v));
		v.kdamond_idx = meta->kdamond_idx;
		v.context_idx = meta->context_idx;
		v.scheme_idx = meta->scheme_idx;
		v.p.scheme = scheme_of(loaded ? &cf.cfg : NULL, meta);
		v.p.has_intervals = meta->has_intervals;
		v.p.intervals = meta->intervals;
		v.recorded = true;
		for (idx = 0; (err = record_next_snapshot(in.rd, &snap)) == 1;
		     idx++) {
			struct snapshot tmp = last;

			last = snap;	/* keep it: swap the storage */
			snap = tmp;
			if (a->all) {
				v.s = &last;
				v.snapshot_idx = idx;
				print_view(a, &v);
			}
		}
		if (err < 0)
			break;
		if (!a->all && idx) {
			v.s = &last;
			v.snapshot_idx = idx - 1;
			v.nr_snapshots = idx;
			print_view(a, &v);
		}
	}
	out_json_end_list(cmd_out(a->ctx));
	if (err < 0)
		err = report_read_failed(a->ctx, &in);
	else if (!any && !out_is_json(cmd_out(a->ctx)))
		out_text(cmd_out(a->ctx), "# no scheme records in '%s' "
			 "(record with --scheme)\n", a->ro.input);
	snapshot_release(&snap);
	snapshot_release(&last);
	report_close(&in);
out_cf:
	if (loaded)
		config_file_release(&cf);
	return err < 0 ? err : 0;
}

static bool nr_has(const struct damo_id *ids, size_t nr, struct damo_id id)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if (damo_id_eq(ids[i], id))
			return true;
	return false;
}

/* One monitor's schemes, as read (tried regions as last refreshed). */
static void live_monitor(struct tried_args *a, const struct damo_id *id,
			 const struct kdamond *kd)
{
	struct tried_view v;
	struct snapshot s;
	size_t c, i, j;

	snapshot_init(&s);
	for (c = 0; c < kd->nr_ctxs; c++) {
		const struct damon_ctx *ctx = &kd->ctxs[c];

		for (i = 0; i < ctx->nr_schemes; i++) {
			const struct damos *sc = &ctx->schemes[i];

			snapshot_clear(&s);
			s.start_ns = SNAP_NONE;	/* the monitor does not say */
			s.end_ns = SNAP_NONE;
			for (j = 0; j < sc->nr_tried; j++) {
				struct snap_region *r = snapshot_add_region(&s);

				r->start = sc->tried[j].start;
				r->end = sc->tried[j].end;
				r->nr_accesses = sc->tried[j].nr_accesses;
				r->age = sc->tried[j].age;
				r->sz_filter_passed = sc->tried[j].sz_filter_passed;
			}
			memset(&v, 0, sizeof(v));
			v.id = id;
			v.context_idx = c;
			v.scheme_idx = i;
			v.p.scheme = sc;
			v.p.has_intervals = true;
			v.p.intervals = ctx->intervals;
			v.s = &s;
			print_view(a, &v);
		}
	}
	snapshot_release(&s);
}

/* Every running monitor's schemes (or --kdamond-idx's), refreshing nothing. */
static int from_monitors(struct tried_args *a)
{
	struct out *o = cmd_out(a->ctx);
	struct backend b[2];
	struct damo_id *ids;
	size_t nr_b, nr, i, j;
	struct diag d;
	int err;

	diag_init(&d);
	err = backend_open_all(cmd_backend_env(a->ctx), BACKEND_AUTO,
			       a->has_kdamond ? &a->kdamond : NULL, b, &nr_b,
			       &d);
	if (err)
		goto out;
	out_json_begin_list(o, NULL);
	for (i = 0; i < nr_b && !err; i++) {
		err = backend_list(&b[i], false, &ids, &nr);
		for (j = 0; j < nr && !err; j++) {
			struct backend_status st;

			if (a->has_kdamond && !damo_id_eq(ids[j], a->kdamond))
				continue;
			backend_status_init(&st);
			err = backend_status(&b[i], ids[j], REFRESH_NONE,
					     false, &st);
			if (!err)
				live_monitor(a, &ids[j], &st.k);
			backend_status_release(&st);
		}
		if (!err && a->has_kdamond && !nr_has(ids, nr, a->kdamond)) {
			char buf[DAMO_ID_BUFSZ + 8];

			diag_add(&d, "", "there is no %s", damo_id_label(a->kdamond, buf));
			diag_add(&d, "hint", "'damo status' lists the monitors");
			err = -ENOENT;
		}
		free(ids);
	}
	out_json_end_list(o);
	for (i = 0; i < nr_b; i++)
		backend_close(&b[i]);
out:
	cmd_diag_report(o, &d, false);
	diag_release(&d);
	return err;
}

int report_tried(int argc, char **argv, struct damo_ctx *ctx)
{
	struct tried_args a = { .ctx = ctx, .ro = REPORT_OPTS_DEFAULT };
	int err;

	a.ro.input = NULL;
	tried_children[0].argp = report_opts_argp(REPORT_OPT_INPUT);
	err = cmd_parse(&tried_argp, argc, argv, &a);
	if (err)
		return err;
	if (a.live)
		return from_monitors(&a);
	if (!a.ro.input)
		a.ro.input = REPORT_DEFAULT_INPUT;
	return from_file(&a);
}
