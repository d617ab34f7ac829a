/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Drawing 'damo report heatmap' maps: binning the chosen record and
 * printing it as damo's digit map (256-colour, 24-bit or plain), its raw
 * lines, JSON, or an image file.
 */
#include "report_heatmap.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_common.h"

#include "core/heatmap.h"
#include "core/heatmap_color.h"
#include "core/heatmap_plot.h"
#include "core/out.h"
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

int heatmap_hottest_region(struct damo_ctx *ctx, const char *path,
			   const struct record_guide *g,
			   const struct guide_range *cr, size_t *hot)
{
	const struct record_meta *meta;
	struct report_input in;
	uint64_t *heat = xcalloc(g->nr_gaps + 1, sizeof(*heat));
	struct snapshot snap;
	double best = -1, h;
	size_t i;
	int err;

	err = report_open(ctx, path, &in);
	if (err)
		goto out;
	snapshot_init(&snap);
	while ((err = record_next(in.rd, &meta)) == 1) {
		if (!record_guide_is_of(g, meta))
			continue;
		while ((err = record_next_snapshot(in.rd, &snap)) == 1)
			record_guide_add_heat(cr, g->nr_gaps + 1, heat, &snap);
		if (err < 0)
			break;
	}
	snapshot_release(&snap);
	if (err < 0)
		err = report_read_failed(ctx, &in);
	report_close(&in);
	for (i = 0; !err && i <= g->nr_gaps; i++) {
		h = (double)heat[i] / (double)(cr[i].end - cr[i].start);
		if (h > best) {
			best = h;
			*hot = i;
		}
	}
out:
	free(heat);
	return err < 0 ? err : 0;
}

int heatmap_bin_record(struct damo_ctx *ctx, const char *path,
		       const struct record_guide *g, struct heatmap *hm,
		       bool *hz)
{
	const struct record_meta *meta;
	struct report_input in;
	struct snapshot snap;
	int err;

	*hz = false;
	err = report_open(ctx, path, &in);
	if (err)
		return err;
	snapshot_init(&snap);
	while ((err = record_next(in.rd, &meta)) == 1) {
		if (!record_guide_is_of(g, meta))
			continue;
		*hz = meta->has_intervals && meta->intervals.aggr_us;
		while ((err = record_next_snapshot(in.rd, &snap)) == 1)
			heatmap_add(hm, &snap, meta->has_intervals ?
				    &meta->intervals : NULL);
		if (err < 0)
			break;
	}
	snapshot_release(&snap);
	if (err < 0)
		err = report_read_failed(ctx, &in);
	report_close(&in);
	return err < 0 ? err : 0;
}

static void print_raw(struct out *o, const struct heatmap *hm,
		      const struct heatmap_args *a)
{
	char buf[40];
	size_t i, j;
	uint64_t t, ad;

	for (i = 0; i < hm->rows; i++) {
		t = i * hm->tu + (a->abs_time ? hm->t0 : 0);
		for (j = 0; j < hm->cols; j++) {
			ad = j * hm->au + (a->abs_addr ? hm->a0 : 0);
			out_text(o, "%llu\t%llu\t%s\n", (unsigned long long)t,
				 (unsigned long long)ad,
				 heatmap_fmt_float(buf, heatmap_at(hm, i, j)));
		}
	}
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
	double lo = INFINITY, hi = -INFINITY;
	size_t i, j, n;
	int lv;

	for (i = 0; i < hm->rows * hm->cols; i++) {
		if (isnan(hm->heat[i]))
			continue;
		lo = fmin(lo, hm->heat[i]);
		hi = fmax(hi, hm->heat[i]);
	}
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

/* Append to the growing string *@s (length *@n) printf-style. */
static void __attribute__((format(printf, 3, 4)))
sappend(char **s, size_t *n, const char *fmt, ...)
{
	va_list ap;
	char *t;
	int len;

	va_start(ap, fmt);
	len = vasprintf(&t, fmt, ap);
	va_end(ap);
	if (len < 0)
		abort();
	*s = xreallocarray(*s, *n + (size_t)len + 1, 1);
	memcpy(*s + *n, t, (size_t)len + 1);
	*n += (size_t)len;
	free(t);
}

/* A u64 of @g, or null when absent. */
static void sappend_id(char **s, size_t *n, const char *key, uint64_t v)
{
	if (v == SNAP_NONE)
		sappend(s, n, "\"%s\":null,", key);
	else
		sappend(s, n, "\"%s\":%llu,", key, (unsigned long long)v);
}

/* One map as a JSON object: its record, axes and rows of heats. */
static void json_map(char **s, size_t *n, const struct heatmap *hm,
		     const struct record_guide *g, bool hz)
{
	char buf[40];
	size_t i, j;
	double h;

	sappend(s, n, "{");
	if (g->kdamond_is_stat)
		sappend(s, n, "\"kdamond_idx\":-1,");
	else
		sappend_id(s, n, "kdamond_idx", g->kdamond_idx);
	sappend_id(s, n, "context_idx", g->context_idx);
	sappend_id(s, n, "scheme_idx", g->scheme_idx);
	sappend_id(s, n, "target_id", g->target_id);
	sappend(s, n, "\"heat_unit\":\"%s\",", hz ? "hz" : "samples");
	sappend(s, n, "\"time_start_ns\":%llu,\"time_end_ns\":%llu,"
		"\"time_unit_ns\":%llu,\"addr_start\":%llu,\"addr_end\":%llu,"
		"\"addr_unit\":%llu,\"rows\":%zu,\"cols\":%zu,\"heats\":[",
		(unsigned long long)hm->t0,
		(unsigned long long)(hm->t0 + hm->tu * hm->rows),
		(unsigned long long)hm->tu, (unsigned long long)hm->a0,
		(unsigned long long)(hm->a0 + hm->au * hm->cols),
		(unsigned long long)hm->au, hm->rows, hm->cols);
	for (i = 0; i < hm->rows; i++) {
		sappend(s, n, "%s[", i ? "," : "");
		for (j = 0; j < hm->cols; j++) {
			h = heatmap_at(hm, i, j);
			sappend(s, n, "%s%s", j ? "," : "",
				isnan(h) ? "null" : heatmap_fmt_float(buf, h));
		}
		sappend(s, n, "]");
	}
	sappend(s, n, "]}");
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

/* Draw address range @ar (map @idx of @nr_maps) of the record of @g. */
static int draw(struct damo_ctx *ctx, const struct heatmap_args *a,
		const struct record_guide *g, const struct guide_range *ar,
		const struct guide_range *tr, size_t idx, size_t nr_maps,
		char **json, size_t *njson)
{
	struct out *o = cmd_out(ctx);
	struct heatmap hm;
	bool hz;
	int err;

	err = heatmap_init(&hm, tr->start, tr->end, ar->start, ar->end,
			   a->rows, a->cols);
	if (err) {
		out_error(o, "the ranges to draw are narrower than the "
			  "resolution (%zu rows, %zu columns)", a->rows,
			  a->cols);
		return -CMD_EUSAGE;
	}
	err = heatmap_bin_record(ctx, a->input, g, &hm, &hz);
	if (err)
		goto out;
	/* an image is written whatever the mode; JSON tells its numbers */
	if (a->out == HEATMAP_OUT_IMAGE)
		err = write_image(ctx, a, &hm, g, hz, idx, nr_maps);
	if (err)
		goto out;
	if (out_is_json(o)) {
		if (idx)
			sappend(json, njson, ",");
		json_map(json, njson, &hm, g, hz);
	} else if (a->out == HEATMAP_OUT_IMAGE) {
		/* nothing on standard output */
	} else if (a->out == HEATMAP_OUT_RAW) {
		print_raw(o, &hm, a);
	} else {
		print_map(o, &hm, a, choose_paint(ctx, a), hz);
	}
out:
	heatmap_release(&hm);
	return err;
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

/* The address ranges to draw into *@ars (owned), *@nr of them. */
static int address_ranges(struct damo_ctx *ctx, const struct heatmap_args *a,
			  const struct record_guide *g,
			  struct guide_range **ars, size_t *nr)
{
	struct guide_range *cr = xcalloc(g->nr_gaps + 1, sizeof(*cr));
	size_t i, hot = 0;
	int err = 0;

	record_guide_regions(g, cr);
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
		free(cr);
		return err;
	}
	if (a->all) {
		*nr = g->nr_gaps + 1;
		*ars = cr;
		return 0;
	}
	err = heatmap_hottest_region(ctx, a->input, g, cr, &hot);
	*nr = 1;
	*ars = xcalloc(1, sizeof(**ars));
	(*ars)[0] = cr[hot];
	free(cr);
	return err;
}

int heatmap_draw_all(struct damo_ctx *ctx, const struct heatmap_args *a,
		     const struct record_guide *g)
{
	struct guide_range tr = { g->start_ns, g->end_ns }, *ars = NULL;
	char *json = xstrdup("[");
	size_t i, nr = 0, njson = 1;
	int err = 0;

	if (a->has_time_range &&
	    heatmap_resolve_range(&a->time_range, g->start_ns, g->end_ns,
				  &tr)) {
		out_error(cmd_out(ctx), "--time-range starts before 0");
		err = -EINVAL;
		goto out;
	}
	err = address_ranges(ctx, a, g, &ars, &nr);
	for (i = 0; !err && i < nr; i++)
		err = draw(ctx, a, g, &ars[i], &tr, i, nr, &json, &njson);
	if (!err && out_is_json(cmd_out(ctx))) {
		sappend(&json, &njson, "]\n");
		out_write(cmd_out(ctx), json);
	}
out:
	free(ars);
	free(json);
	return err;
}
