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
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/backend_args.h"
#include "cmd/kernel.h"
#include "core/damon.h"
#include "core/diag.h"
#include "core/out.h"
#include "core/snapshot.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "formats/config.h"
#include "formats/record.h"
#include "kdamond/sysfs/kdamond.h"
#include "kdamond/sysfs/run.h"

#define TRIED_HIST_BINS 64

struct tried_args {
	struct damo_ctx *ctx;
	const char *input;
	const char *kdamonds;	/* the schemes of a recording */
	bool live;
	bool all;
	bool no_regions;
	bool has_kdamond;
	unsigned long kdamond;
};

/* One scheme's tried regions, from either source. */
struct tried_view {
	uint64_t kdamond_idx;
	uint64_t context_idx;
	uint64_t scheme_idx;
	const struct damos *scheme;	/* NULL: not known */
	bool has_intervals;
	struct damon_intervals intervals;
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
	{ "input", 'i', "FILE", 0,
	  "Record file with scheme records (default damon.data)", 0 },
	{ "kdamonds", OPT_KDAMONDS, "FILE", 0,
	  "The recording's configuration, for the schemes' actions and "
	  "access patterns (default FILE.kdamonds when it exists)", 0 },
	{ "live", OPT_LIVE, NULL, 0,
	  "Read the tried regions of the running kdamonds instead (as the "
	  "kernel last exposed them; nothing is written)", 0 },
	{ "kdamond-idx", 'k', "N", 0, "Only kdamond N (with --live)", 0 },
	{ "all-snapshots", OPT_ALL, NULL, 0,
	  "Every snapshot of a recording, not only the last", 0 },
	{ "no-regions", OPT_NO_REGIONS, NULL, 0,
	  "Totals and histogram only", 0 },
	{ 0 }
};

static const struct argp_child tried_children[] = {
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static error_t tried_parse(int key, char *arg, struct argp_state *state)
{
	struct tried_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, tried_children, a->ctx);
		return 0;
	case 'i':
		a->input = arg;
		return 0;
	case OPT_KDAMONDS:
		a->kdamonds = arg;
		return 0;
	case OPT_LIVE:
		a->live = true;
		return 0;
	case 'k':
		if (kernel_parse_idx(arg, &a->kdamond))
			argp_error(state, "--kdamond-idx: '%s' is not an index",
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
		if (a->live && (a->input || a->kdamonds || a->all))
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
	       "  damo record --source synthetic:stairs --scheme cold.json --timeout 5\n"
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

static uint64_t samples_of(const struct snap_region *r)
{
	return r->nr_accesses == SNAP_NONE ? 0 : r->nr_accesses;
}

static uint64_t rate_of(const struct tried_view *v, const struct snap_region *r)
{
	uint64_t max;

	if (!v->has_intervals || !v->intervals.sample_us)
		return 0;
	max = v->intervals.aggr_us / v->intervals.sample_us;
	return max ? samples_of(r) * 100 / max : 0;
}

static uint64_t age_us_of(const struct tried_view *v,
			  const struct snap_region *r)
{
	if (!v->has_intervals || r->age == SNAP_NONE)
		return 0;
	return r->age * v->intervals.aggr_us;
}

/* Whether @r is in the scheme's access pattern; false if not known. */
static bool matches(const struct tried_view *v, const struct snap_region *r)
{
	const struct damos_access_pattern *p;
	uint64_t sz = r->end - r->start, lo, hi;

	if (!v->scheme || !v->has_intervals)
		return false;
	p = &v->scheme->pattern;
	if (sz < p->min_sz_bytes || sz > p->max_sz_bytes)
		return false;
	lo = damos_nr_accesses_to_samples(p, p->min_nr_accesses, &v->intervals);
	hi = damos_nr_accesses_to_samples(p, p->max_nr_accesses, &v->intervals);
	if (samples_of(r) < lo || samples_of(r) > hi)
		return false;
	lo = damos_age_to_aggr_intervals(p, p->min_age, &v->intervals);
	hi = damos_age_to_aggr_intervals(p, p->max_age, &v->intervals);
	return r->age != SNAP_NONE && r->age >= lo && r->age <= hi;
}

static void print_idx(struct out *o, const char *key, uint64_t v)
{
	if (v == SNAP_NONE)
		out_null(o, key);
	else
		out_u64(o, key, v);
}

static void print_head(struct out *o, const struct tried_view *v)
{
	const struct damos_access_pattern *p;
	char b[6][UNITS_BUFSZ];

	if (out_is_json(o)) {
		print_idx(o, "kdamond_idx", v->kdamond_idx);
		print_idx(o, "context_idx", v->context_idx);
		print_idx(o, "scheme_idx", v->scheme_idx);
		out_str(o, "action", v->scheme ?
			damos_action_name(v->scheme->action) : NULL);
		if (v->s->start_ns != SNAP_NONE)
			out_u64(o, "start_time", v->s->start_ns);
		else
			out_null(o, "start_time");
		if (v->recorded)
			out_u64(o, "snapshot_idx", v->snapshot_idx);
		return;
	}
	if (!v->scheme)
		return;
	p = &v->scheme->pattern;
	out_text(o, "access pattern: size [%s, %s], nr_accesses [%s, %s]%s, "
		 "age [%s, %s]%s\n",
		 units_fmt_sz(b[0], p->min_sz_bytes, false),
		 units_fmt_sz(b[1], p->max_sz_bytes, false),
		 p->nr_accesses_unit == DAMOS_NR_ACCESSES_PERCENT ?
		 units_fmt_ratio(b[2], p->min_nr_accesses, UNITS_BP, false) :
		 units_fmt_nr(b[2], p->min_nr_accesses, false),
		 p->nr_accesses_unit == DAMOS_NR_ACCESSES_PERCENT ?
		 units_fmt_ratio(b[3], p->max_nr_accesses, UNITS_BP, false) :
		 units_fmt_nr(b[3], p->max_nr_accesses, false),
		 p->nr_accesses_unit == DAMOS_NR_ACCESSES_PERCENT ?
		 "" : " (samples)",
		 p->age_unit == DAMOS_AGE_US ?
		 units_fmt_time(b[4], p->min_age, UNITS_US, false) :
		 units_fmt_nr(b[4], p->min_age, false),
		 p->age_unit == DAMOS_AGE_US ?
		 units_fmt_time(b[5], p->max_age, UNITS_US, false) :
		 units_fmt_nr(b[5], p->max_age, false),
		 p->age_unit == DAMOS_AGE_US ? "" : " (aggregation intervals)");
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
		out_u64(o, "nr_accesses", samples_of(r));
		out_u64(o, "access_rate_percent", rate_of(v, r));
		out_time(o, "age_us", age_us_of(v, r), UNITS_US);
		out_size(o, "sz_filter_passed", r->sz_filter_passed);
		if (v->scheme)
			out_bool(o, "matches", matches(v, r));
		else
			out_null(o, "matches");
		out_end_obj(o);
	}
	out_end_table(o);
}

static unsigned int log2_of(uint64_t v)
{
	unsigned int n = 0;

	while (v >>= 1)
		n++;
	return n;
}

static void print_hist(struct out *o, const struct tried_view *v)
{
	uint64_t nr[TRIED_HIST_BINS] = { 0 }, sz[TRIED_HIST_BINS] = { 0 };
	uint64_t maxsz = 0, lo, sum_sz;
	char b1[UNITS_BUFSZ], b2[UNITS_BUFSZ], b3[UNITS_BUFSZ];
	unsigned int i, first = TRIED_HIST_BINS, last = 0, k, dots;

	for (i = 0; i < v->s->nr_regions; i++) {
		sum_sz = v->s->regions[i].end - v->s->regions[i].start;
		k = log2_of(sum_sz ? sum_sz : 1);
		nr[k]++;
		sz[k] += sum_sz;
		first = k < first ? k : first;
		last = k > last ? k : last;
	}
	for (i = first; i <= last && i < TRIED_HIST_BINS; i++)
		maxsz = sz[i] > maxsz ? sz[i] : maxsz;
	if (out_is_json(o))
		out_begin_list(o, "histogram");
	else if (first < TRIED_HIST_BINS)
		out_text(o, "# region size histogram: <range> <regions> <total size>\n");
	for (i = first; i <= last && i < TRIED_HIST_BINS; i++) {
		lo = 1ULL << i;
		if (out_is_json(o)) {
			out_begin_obj(o, NULL);
			out_u64(o, "min_size", lo);
			if (i == 63)
				out_null(o, "max_size");
			else
				out_u64(o, "max_size", lo << 1);
			out_u64(o, "nr_regions", nr[i]);
			out_u64(o, "size", sz[i]);
			out_end_obj(o);
			continue;
		}
		dots = maxsz ? (unsigned int)(sz[i] * 20 / maxsz) : 0;
		out_text(o, "[%12s, %12s) %6llu %12s |%.*s%*s|\n",
			 units_fmt_sz(b1, lo, false),
			 i == 63 ? "max" : units_fmt_sz(b2, lo << 1, false),
			 (unsigned long long)nr[i], units_fmt_sz(b3, sz[i], false),
			 (int)dots, "********************", (int)(20 - dots), "");
	}
	if (out_is_json(o))
		out_end_list(o);
}

static void print_view(struct tried_args *a, const struct tried_view *v)
{
	struct out *o = cmd_out(a->ctx);
	uint64_t total = 0, msz = 0, fsz = 0;
	size_t i, mnr = 0;
	char b1[UNITS_BUFSZ], b2[UNITS_BUFSZ], b3[UNITS_BUFSZ];

	for (i = 0; i < v->s->nr_regions; i++) {
		const struct snap_region *r = &v->s->regions[i];

		total += r->end - r->start;
		fsz += r->sz_filter_passed;
		if (matches(v, r)) {
			mnr++;
			msz += r->end - r->start;
		}
	}
	if (!out_is_json(o)) {
		out_text(o, "kdamond %s / context %s / scheme %s: %s",
			 v->kdamond_idx == SNAP_NONE ? "-" :
			 units_fmt_nr(b1, v->kdamond_idx, true),
			 v->context_idx == SNAP_NONE ? "-" :
			 units_fmt_nr(b2, v->context_idx, true),
			 v->scheme_idx == SNAP_NONE ? "-" :
			 units_fmt_nr(b3, v->scheme_idx, true),
			 v->scheme ? damos_action_name(v->scheme->action) :
			 "action unknown (no --kdamonds)");
		if (v->recorded)
			out_text(o, ", snapshot %zu", v->snapshot_idx + 1);
		if (v->nr_snapshots)
			out_text(o, " of %zu", v->nr_snapshots);
		out_text(o, "\n");
	}
	if (out_is_json(o))
		out_begin_obj(o, NULL);
	print_head(o, v);
	if (!a->no_regions)
		print_regions(o, v);
	if (out_is_json(o)) {
		out_u64(o, "nr_regions", v->s->nr_regions);
		out_u64(o, "total_bytes", total);
		out_u64(o, "sz_filter_passed", fsz);
		if (v->scheme) {
			out_u64(o, "nr_matching", mnr);
			out_u64(o, "matching_bytes", msz);
		}
	} else {
		out_text(o, "tried %zu regions, %s (%s passed filters)", v->s->nr_regions,
			 units_fmt_sz(b1, total, false), units_fmt_sz(b2, fsz, false));
		if (v->scheme)
			out_text(o, "; %zu match the access pattern, %s: %s would "
				 "apply to them", mnr, units_fmt_sz(b3, msz, false),
				 damos_action_name(v->scheme->action));
		out_text(o, "\n");
	}
	print_hist(o, v);
	if (out_is_json(o))
		out_end_obj(o);
	else
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
		xasprintf("%s.kdamonds", a->input);
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
	err = report_open(a->ctx, a->input, &in);
	if (err)
		goto out_cf;
	snapshot_init(&snap);
	snapshot_init(&last);
	if (out_is_json(cmd_out(a->ctx)))
		out_begin_list(cmd_out(a->ctx), NULL);
	while ((err = record_next(in.rd, &meta)) == 1) {
		if (meta->scheme_idx == SNAP_NONE)
			continue;
		any = true;
		memset(&v, 0, sizeof(v));
		v.kdamond_idx = meta->kdamond_idx;
		v.context_idx = meta->context_idx;
		v.scheme_idx = meta->scheme_idx;
		v.scheme = scheme_of(loaded ? &cf.cfg : NULL, meta);
		v.has_intervals = meta->has_intervals;
		v.intervals = meta->intervals;
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
	if (out_is_json(cmd_out(a->ctx)))
		out_end_list(cmd_out(a->ctx));
	if (err < 0)
		err = report_read_failed(a->ctx, &in);
	else if (!any && !out_is_json(cmd_out(a->ctx)))
		out_text(cmd_out(a->ctx), "# no scheme records in '%s' "
			 "(record with --scheme)\n", a->input);
	snapshot_release(&snap);
	snapshot_release(&last);
	report_close(&in);
out_cf:
	if (loaded)
		config_file_release(&cf);
	return err < 0 ? err : 0;
}

/* One kdamond's schemes, as read (tried regions as last refreshed). */
static void live_kdamond(struct tried_args *a, unsigned long k,
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
			s.start_ns = SNAP_NONE;	/* the kernel does not say */
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
			v.kdamond_idx = k;
			v.context_idx = c;
			v.scheme_idx = i;
			v.scheme = sc;
			v.has_intervals = true;
			v.intervals = ctx->intervals;
			v.s = &s;
			print_view(a, &v);
		}
	}
	snapshot_release(&s);
}

static int from_kernel(struct tried_args *a)
{
	struct out *o = cmd_out(a->ctx);
	struct kernel_run kr;
	struct kdamond kd;
	long n, k;
	int err;

	err = kernel_run_open(&kr, cmd_backend_env(a->ctx), false);
	if (err)
		return err;
	n = kdamond_nr(&kr.io);
	if (n < 0) {
		err = (int)n;
		cmd_diag_report(o, &kr.diag, false);
		goto out;
	}
	if (a->has_kdamond && a->kdamond >= (unsigned long)n) {
		out_error(o, "no kdamond %lu (there are %ld)", a->kdamond, n);
		err = -ENOENT;
		goto out;
	}
	if (out_is_json(o))
		out_begin_list(o, NULL);
	for (k = 0; k < n && !err; k++) {
		if (a->has_kdamond && (unsigned long)k != a->kdamond)
			continue;
		kdamond_init(&kd);
		err = kdamond_read(&kr.io, (unsigned long)k, &kd);
		if (!err)
			live_kdamond(a, (unsigned long)k, &kd);
		kdamond_release(&kd);
	}
	if (out_is_json(o))
		out_end_list(o);
	if (err)
		cmd_diag_report(o, &kr.diag, false);
out:
	kernel_close(&kr);
	return err;
}

int report_tried(int argc, char **argv, struct damo_ctx *ctx)
{
	struct tried_args a = { .ctx = ctx };
	int err;

	err = cmd_parse(&tried_argp, argc, argv, &a);
	if (err)
		return err;
	if (a.live)
		return from_kernel(&a);
	if (!a.input)
		a.input = REPORT_DEFAULT_INPUT;
	return from_file(&a);
}
