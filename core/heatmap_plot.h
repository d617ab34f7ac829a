/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The picture of a heatmap for image files: where its cells, axes, tick
 * labels, title and colour scale legend go, shared by the PNG and SVG
 * writers so both show the same, and a rasteriser (RGB pixels, with the
 * 5x7 font) for PNG.  Time runs along x and addresses up along y, as in
 * damo's gnuplot images.
 */
#ifndef DAMO_CORE_HEATMAP_PLOT_H
#define DAMO_CORE_HEATMAP_PLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/heatmap_color.h"

struct heatmap;

enum plot_anchor {
	PLOT_LEFT,
	PLOT_CENTER,
	PLOT_RIGHT,
};

/* A label: @x is where @anchor puts it, @y the top of its glyphs. */
struct plot_text {
	int x, y;
	int scale;		/* glyph pixels per font pixel */
	enum plot_anchor anchor;
	char s[96];
};

struct plot_line {
	int x0, y0, x1, y1;	/* horizontal or vertical, ends included */
};

#define PLOT_MAX_TEXTS 40
#define PLOT_MAX_LINES 40

struct heatmap_plot {
	const struct heatmap *hm;	/* borrowed */
	enum heatmap_colorset set;
	double lo, hi;			/* span of the heats; NaN: no heat */
	int width, height;
	int px, py, pw, ph;		/* the cells' area */
	int cw, ch;			/* pixels of a time row, an address column */
	int lx, ly, lw, lh;		/* the legend's colour bar */
	struct plot_text texts[PLOT_MAX_TEXTS];
	size_t nr_texts;
	struct plot_line lines[PLOT_MAX_LINES];
	size_t nr_lines;
};

/* Colours of what is not a cell. */
extern const struct heatmap_rgb heatmap_plot_ink, heatmap_plot_paper,
	heatmap_plot_none;

/*
 * heatmap_plot_init() - lay out the picture of @hm (borrowed, must outlive
 * @p) in colour set @set, titled @title, its heats in @unit ("hz" or
 * "samples").  Ticks are labelled relative to the start of each range, in
 * damo's units, the axis names saying where that is.
 */
void heatmap_plot_init(struct heatmap_plot *p, const struct heatmap *hm,
		       enum heatmap_colorset set, const char *title,
		       const char *unit);

/*
 * heatmap_plot_cell() - where cell (@row, @col) goes (top left corner,
 * @p->cw x @p->ch) and its colour.  Return: false when it has no heat (it
 * is drawn in heatmap_plot_none then).
 */
bool heatmap_plot_cell(const struct heatmap_plot *p, size_t row, size_t col,
		       int *x, int *y, struct heatmap_rgb *c);

/* The legend's colour at fraction @f of its height from the bottom. */
struct heatmap_rgb heatmap_plot_legend_at(const struct heatmap_plot *p,
					  double f);

/* Width in pixels of label @t. */
int heatmap_plot_text_width(const struct plot_text *t);

/*
 * heatmap_plot_raster() - the picture as @p->height rows of @p->width RGB
 * triplets.  Return: owned by the caller (free()).
 */
uint8_t *heatmap_plot_raster(const struct heatmap_plot *p);

#endif /* DAMO_CORE_HEATMAP_PLOT_H */
