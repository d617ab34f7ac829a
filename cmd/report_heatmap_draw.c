/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Drawing 'damo report heatmap' maps: binning the chosen record and
 * printing it as damo's digit map (256-colour, 24-bit or plain), its raw
 * lines, JSON, or an image file.
 */
#include "report_heatmap.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_common.h"

#include "core/heatmap.h"
#include "core/heatmap_color.h"
#include "core/heatmap_plot.h"
#include "core/numfmt.h"
#include "core/out.h"
#include "core/report/heatmap.h"
#include "core/record_guide.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "formats/heatmap_image.h"
#include "formats/record.h"

/* How the map's cells are coloured. */
enum paint {
	PAINT_NONE,		/* digits only */
	PAINT_256,		/* xterm 256-colour escapes */
	PAINT_24BIT,		/* truecolor escapes */
};

/* The bin models of several maps and the hottest region's, fed at once. */
struct maps_sink {
	struct snap_sink sink;
	struct heatmap_bin_model *bins;
	size_t nr;
	struct heatmap_hot_model *hot;	/* NULL: not wanted */
};

static size_t maps_add(struct snap_sink *sink, const struct record_meta *m)
{
	struct maps_sink *ms = (struct maps_sink *)sink;
	size_t i, rec = 0;

	for (i = 0; i < ms->nr; i++)
		rec = ms->bins[i].sink.add(&ms->bins[i].sink, m);
	if (ms->hot)
		rec = ms->hot->sink.add(&ms->hot->sink, m);
	return rec;
}

static int maps_snapshot(struct snap_sink *sink, size_t rec,
			 const struct snapshot *s)
{
	struct maps_sink *ms = (struct maps_sink *)sink;
	size_t i;

	for (i = 0; i < ms->nr; i++)
		ms->bins[i].sink.snapshot(&ms->bins[i].sink, rec, s);
	if (ms->hot)
		ms->hot->sink.snapshot(&ms->hot->sink, rec, s);
	return 0;
}

int heatmap_bin_maps(struct damo_ctx *ctx, const struct heatmap_args *a,
		     const struct record_guide *g, struct heatmap *hms,
		     const bool *ok, size_t nr, bool *hz, size_t *hot)
{
	struct maps_sink ms = {
		.sink = { .add = maps_add, .snapshot = maps_snapshot },
	};
	struct heatmap_hot_model hm;
	struct report_input in;
	size_t i;
	int err;

	*hz = false;
	err = a->first ? report_reopen(ctx, a->ro.input, a->first, &in) :
			 report_open(ctx, a->ro.input, &in);
	if (err)
		return err;
	ms.bins = xcalloc(nr ? nr : 1, sizeof(*ms.bins));
	for (i = 0; i < nr; i++)
		if (ok[i])
			heatmap_bin_model_init(&ms.bins[ms.nr++], &hms[i], g);
	if (hot) {
		heatmap_hot_model_init(&hm, g, 1);
		ms.hot = &hm;
	}
	err = report_feed(&in, &ms.sink);
	if (err < 0)
		err = report_read_failed(ctx, &in);
	else if (hot)
		*hot = heatmap_hot_model_result(&hm, 0);
	for (i = 0; i < ms.nr; i++) {
		*hz |= ms.bins[i].hz;
		heatmap_bin_model_release(&ms.bins[i]);
	}
	if (hot)
		heatmap_hot_model_release(&hm);
	free(ms.bins);
	report_close(&in);
	return err;
}

/*
 * "time<TAB>address<TAB>heat" lines, formatted by core/numfmt (printf's
 * "%f" work dominated this output) and written 64 KiB at a time.
 */
static void print_raw(struct out *o, const struct heatmap *hm,
		      const struct heatmap_args *a)
{
	char buf[64 << 10], tbuf[NUMFMT_MAX];
	size_t i, j, tn, n = 0;
	uint64_t t, ad;

	for (i = 0; i < hm->rows; i++) {
		t = i * hm->tu + (a->abs_time ? hm->t0 : 0);
		tn = numfmt_u64(tbuf, t);
		for (j = 0; j < hm->cols; j++) {
			if (sizeof(buf) - n < 3 * NUMFMT_MAX + 4) {
				out_write_len(o, buf, n);
				n = 0;
			}
			ad = j * hm->au + (a->abs_addr ? hm->a0 : 0);
			memcpy(buf + n, tbuf, tn);
			n += tn;
			buf[n++] = '\t';
			n += numfmt_u64(buf + n, ad);
			buf[n++] = '\t';
			numfmt_repr(buf + n, heatmap_at(hm, i, j));
			n += strlen(buf + n);
			buf[n++] = '\n';
		}
	}
	out_write_len(o, buf, n);
}

/* One pixel of level @lv (-1: no heat) into @s; returns its length. */
static int fmt_pixel(char *s, int lv, enum paint paint,
		     enum heatmap_colorset set)
{
	int c = lv < 0 ? 4 : lv;
	char ch = lv < 0 ? ' ' : (char)('0' + lv);
	struct heatmap_rgb bg, fg;

	switch (paint) {
	case PAINT_NONE:
		return sprintf(s, "%c", ch);
	case PAINT_24BIT:
		bg = heatmap_color_bg(set, c);
		fg = heatmap_color_fg(set, c);
		return sprintf(s, "\x1b[48;2;%u;%u;%um\x1b[38;2;%u;%u;%um%c",
			       bg.r, bg.g, bg.b, fg.r, fg.g, fg.b, ch);
	default:
		return sprintf(s, "\x1b[48;5;%um\x1b[38;5;%um%c",
			       heatmap_color_bg256(set, c),
			       heatmap_color_fg256(set, c), ch);
	}
}

static void print_map(struct out *o, const struct heatmap *hm,
		      const struct heatmap_args *a, enum paint paint, bool hz)
{
	enum heatmap_colorset set = a->colorset < 0 ? HEATMAP_GRAY :
				    (enum heatmap_colorset)a->colorset;
	/* a cell's escapes take at most 48 bytes; the example has 10 */
	char *line = xcalloc((hm->cols > HEATMAP_LEVELS ? hm->cols :
			      HEATMAP_LEVELS) * 48 + 8, 1), b1[UNITS_BUFSZ],
	     b2[UNITS_BUFSZ], b3[UNITS_BUFSZ];
	const char *reset = paint == PAINT_NONE ? "" : "\x1b[0m";
	double lo, hi;
	size_t i, j, n;
	int lv;

	heatmap_span(hm, &lo, &hi);
	for (i = 0; i < hm->rows; i++) {
		for (j = 0, n = 0; j < hm->cols; j++)
			n += (size_t)fmt_pixel(line + n, heatmap_level(
				heatmap_at(hm, i, j), lo, hi), paint, set);
		out_text(o, "%s%s\n", line, reset);
	}
	if (!a->skip_example) {
		for (lv = 0, n = 0; lv < HEATMAP_LEVELS; lv++)
			n += (size_t)fmt_pixel(line + n, lv, paint, set);
		out_text(o, "# access_frequency: %s%s (%.3f-%.3f %s)\n", line,
			 reset, isinf(lo) ? 0 : lo, isinf(hi) ? 0 : hi,
			 hz ? "hz" : "samples");
	}
	out_text(o, "# x-axis: space [%s, %s) (%s)\n",
		 report_fmt_sz_accurate(b1, hm->a0, false),
		 report_fmt_sz_accurate(b2, hm->a0 + hm->au * hm->cols, false),
		 units_fmt_sz(b3, hm->au * hm->cols, false));
	out_text(o, "# y-axis: time [%s, %s) (%s)\n",
		 units_fmt_time(b1, hm->t0, UNITS_NS, false),
		 units_fmt_time(b2, hm->t0 + hm->tu * hm->rows, UNITS_NS, false),
		 units_fmt_time(b3, hm->tu * hm->rows, UNITS_NS, false));
	out_text(o, "# resolution: %zux%zu (%s and %s for each character)\n",
		 hm->cols, hm->rows, units_fmt_sz(b1, hm->au, false),
		 units_fmt_time(b2, hm->tu, UNITS_NS, false));
	free(line);
}

/* An index of @g, or null when absent. */
static void json_id(struct out *o, const char *key, uint64_t v)
{
	if (v == SNAP_NONE)
		out_null(o, key);
	else
		out_u64(o, key, v);
}

/* One map as a JSON object: its record, axes and rows of heats. */
static void json_map(struct out *o, const struct heatmap *hm,
		     const struct record_guide *g, bool hz)
{
	char buf[40];
	size_t i, j;
	double h;

	out_begin_obj(o, NULL);
	if (g->kdamond_is_stat)
		out_i64(o, "kdamond_idx", -1);
	else
		json_id(o, "kdamond_idx", g->kdamond_idx);
	json_id(o, "context_idx", g->context_idx);
	json_id(o, "scheme_idx", g->scheme_idx);
	json_id(o, "target_id", g->target_id);
	out_str(o, "heat_unit", hz ? "hz" : "samples");
	out_u64(o, "time_start_ns", hm->t0);
	out_u64(o, "time_end_ns", hm->t0 + hm->tu * hm->rows);
	out_u64(o, "time_unit_ns", hm->tu);
	out_u64(o, "addr_start", hm->a0);
	out_u64(o, "addr_end", hm->a0 + hm->au * hm->cols);
	out_u64(o, "addr_unit", hm->au);
	out_u64(o, "rows", hm->rows);
	out_u64(o, "cols", hm->cols);
	out_begin_list(o, "heats");
	for (i = 0; i < hm->rows; i++) {
		out_begin_list(o, NULL);
		for (j = 0; j < hm->cols; j++) {
			h = heatmap_at(hm, i, j);
			if (isnan(h))
				out_null(o, NULL);
			else
				out_print_num(o, NULL, NULL,
					      heatmap_fmt_float(buf, h));
		}
		out_end_list(o);
	}
	out_end_list(o);
	out_end_obj(o);
}

/* @path with ".@nr" before its extension (damo's names of several maps). */
static char *numbered_path(const char *path, size_t nr)
{
	const char *dot = strrchr(path, '.');

	if (!dot || strchr(dot, '/'))
		return xasprintf("%s.%zu", path, nr);
	return xasprintf("%.*s.%zu%s", (int)(dot - path), path, nr, dot);
}

static int write_image(struct damo_ctx *ctx, const struct heatmap_args *a,
		       const struct heatmap *hm, const struct record_guide *g,
		       bool hz, size_t idx, size_t nr_maps)
{
	struct heatmap_plot plot;
	char *path, title[96];
	const char *what = "write";
	int err;

	if (g->target_id == SNAP_NONE)
		snprintf(title, sizeof(title), "damo heatmap");
	else
		snprintf(title, sizeof(title), "damo heatmap of target %llu",
			 (unsigned long long)g->target_id);
	heatmap_plot_init(&plot, hm, a->colorset < 0 ? HEATMAP_VIRIDIS :
			  (enum heatmap_colorset)a->colorset, title,
			  hz ? "hz" : "samples");
	path = nr_maps > 1 ? numbered_path(a->image_path, idx + 1) :
			     xstrdup(a->image_path);
	err = heatmap_image_write(&plot, (enum heatmap_image_format)
				  a->image_fmt, path, &what);
	if (err)
		out_error(cmd_out(ctx), "cannot %s '%s': %s", what, path,
			  strerror(-err));
	free(path);
	return err;
}

static enum paint choose_paint(struct damo_ctx *ctx,
			       const struct heatmap_args *a)
{
	const char *ct = getenv("COLORTERM");
	bool color = a->color < 0 ? out_has_color(cmd_out(ctx)) : a->color;

	if (!color)
		return PAINT_NONE;
	/* damo's own sets are palette indexes; viridis has exact colours */
	if (a->colorset == HEATMAP_VIRIDIS && ct &&
	    (!strcmp(ct, "truecolor") || !strcmp(ct, "24bit")))
		return PAINT_24BIT;
	return PAINT_256;
}

/*
 * Show map @hm (map @idx of @nr_maps) of the record of @g; NULL: its
 * ranges were narrower than the resolution.
 */
static int draw(struct damo_ctx *ctx, const struct heatmap_args *a,
		const struct record_guide *g, const struct heatmap *hm,
		bool hz, size_t idx, size_t nr_maps, struct out *json)
{
	struct out *o = cmd_out(ctx);
	int err = 0;

	if (!hm) {
		out_error(o, "the ranges to draw are narrower than the "
			  "resolution (%zu rows, %zu columns)", a->rows,
			  a->cols);
		return -CMD_EUSAGE;
	}
	/* an image is written whatever the mode; JSON tells its numbers */
	if (a->out == HEATMAP_OUT_IMAGE)
		err = write_image(ctx, a, hm, g, hz, idx, nr_maps);
	if (err)
		return err;
	if (json)
		json_map(json, hm, g, hz);
	else if (a->out == HEATMAP_OUT_IMAGE)
		;	/* nothing on standard output */
	else if (a->out == HEATMAP_OUT_RAW)
		print_raw(o, hm, a);
	else
		print_map(o, hm, a, choose_paint(ctx, a), hz);
	return 0;
}

int heatmap_resolve_range(const struct heatmap_range *r, uint64_t base_lo,
			  uint64_t base_hi, struct guide_range *out)
{
	int64_t base = 0;

	switch (r->base) {
	case HEATMAP_BASE_GUIDED:
		base = (int64_t)base_lo;
		break;
	case HEATMAP_BASE_GUIDED_END:
		base = (int64_t)base_hi;
		break;
	case HEATMAP_BASE_VALUE:
		base = (int64_t)r->base_value;
		break;
	default:
		break;
	}
	if (base + r->start < 0)
		return -EINVAL;
	out->start = (uint64_t)(base + r->start);
	out->end = (uint64_t)(base + r->end);
	return 0;
}

/*
 * The address ranges to draw into *@ars (owned), *@nr of them; *@hottest
 * when only the hottest of them is to be drawn (the default).
 */
static int address_ranges(struct damo_ctx *ctx, const struct heatmap_args *a,
			  const struct record_guide *g,
			  struct guide_range **ars, size_t *nr, bool *hottest)
{
	size_t i;
	int err = 0;

	*hottest = false;
	if (a->nr_addr_ranges) {
		*nr = a->nr_addr_ranges;
		*ars = xcalloc(*nr, sizeof(**ars));
		for (i = 0; !err && i < *nr; i++) {
			err = heatmap_resolve_range(&a->addr_ranges[i],
						    g->lowest_addr, 0,
						    &(*ars)[i]);
			if (err)
				out_error(cmd_out(ctx), "--address-range: "
					  "range %zu starts below 0", i + 1);
		}
		return err;
	}
	*nr = g->nr_gaps + 1;
	*ars = xcalloc(*nr, sizeof(**ars));
	record_guide_regions(g, *ars);
	*hottest = !a->all;
	return 0;
}

/* Most map cells binned in one pass (their memory). */
#define ONE_PASS_CELLS (1u << 21)

enum map_state {
	MAP_TODO,	/* not binned (or drawn and released) */
	MAP_OK,		/* binned */
	MAP_NARROW,	/* its ranges are narrower than the resolution */
};

/*
 * Bin the maps of ranges [@lo, @hi) of @ars over times @tr into @hms in
 * one pass over the file, their states into @st; find the hottest range
 * into *@hot when not NULL.
 */
static int bin_pass(struct damo_ctx *ctx, const struct heatmap_args *a,
		    const struct record_guide *g,
		    const struct guide_range *ars, size_t lo, size_t hi,
		    const struct guide_range *tr, struct heatmap *hms,
		    unsigned char *st, bool *hz, size_t *hot)
{
	bool *ok = xcalloc(hi - lo + 1, sizeof(*ok));
	size_t i;
	int err;

	for (i = lo; i < hi; i++) {
		ok[i - lo] = !heatmap_init(&hms[i], tr->start, tr->end,
					   ars[i].start, ars[i].end, a->rows,
					   a->cols);
		st[i] = ok[i - lo] ? MAP_OK : MAP_NARROW;
	}
	err = heatmap_bin_maps(ctx, a, g, hms + lo, ok, hi - lo, hz,
			       hot);
	free(ok);
	return err;
}

/* Release the binned maps of @hms but @keep (of @nr). */
static void release_maps(struct heatmap *hms, unsigned char *st, size_t nr,
			 size_t keep)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		if (i != keep && st[i] == MAP_OK) {
			heatmap_release(&hms[i]);
			st[i] = MAP_TODO;
		}
	}
}

/*
 * The maps are binned in one pass over the file, the hottest range found
 * in the same pass, unless their cells are too many: then the hottest
 * range is found first and each map binned in a pass of its own.
 */
int heatmap_draw_all(struct damo_ctx *ctx, const struct heatmap_args *a,
		     const struct record_guide *g)
{
	struct guide_range tr = { g->start_ns, g->end_ns }, *ars = NULL;
	struct heatmap *hms = NULL;
	struct out *json = NULL;
	unsigned char *st = NULL;
	bool hottest, hz = false, at_once;
	FILE *jf = NULL;
	char *buf = NULL;
	size_t i, nr = 0, len = 0, first = 0, last, hot = 0;
	int err = 0;

	if (a->has_time_range &&
	    heatmap_resolve_range(&a->time_range, g->start_ns, g->end_ns,
				  &tr)) {
		out_error(cmd_out(ctx), "--time-range starts before 0");
		return -EINVAL;
	}
	err = address_ranges(ctx, a, g, &ars, &nr, &hottest);
	if (err)
		goto out;
	hms = xcalloc(nr, sizeof(*hms));
	st = xcalloc(nr, sizeof(*st));
	last = nr;
	at_once = nr * a->rows * a->cols <= ONE_PASS_CELLS;
	if (at_once || hottest)
		err = bin_pass(ctx, a, g, ars, 0, at_once ? nr : 0, &tr, hms,
			       st, &hz, hottest ? &hot : NULL);
	if (err)
		goto out;
	if (hottest) {
		release_maps(hms, st, nr, hot);
		first = hot;
		last = hot + 1;
	}
	/*
	 * The maps' JSON is printed only once all are drawn, so that an
	 * error (reading the file, writing an image) is alone on output.
	 */
	if (out_is_json(cmd_out(ctx))) {
		jf = open_memstream(&buf, &len);
		if (!jf) {
			out_error(cmd_out(ctx), "out of memory");
			err = -ENOMEM;
			goto out;
		}
		json = out_new(jf, OUT_JSON);
		out_begin_list(json, NULL);
	}
	for (i = first; !err && i < last; i++) {
		if (st[i] == MAP_TODO)
			err = bin_pass(ctx, a, g, ars, i, i + 1, &tr, hms, st,
				       &hz, NULL);
		if (!err)
			err = draw(ctx, a, g, st[i] == MAP_OK ? &hms[i] : NULL,
				   hz, i - first, last - first, json);
		release_maps(hms, st, i + 1, nr);
	}
	if (json) {
		out_free(&json);	/* ends the list */
		fclose(jf);
		if (!err)
			out_write(cmd_out(ctx), buf);
	}
out:
	if (st)
		release_maps(hms, st, nr, nr);
	free(hms);
	free(st);
	free(ars);
	free(buf);
	return err;
}
