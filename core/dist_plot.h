/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The picture of a distribution for --plot of report wss, nr_regions and
 * footprints: one line with points through (x, y) pairs, as damo's gnuplot
 * "linespoints" draws them, with ticked axes and their names.  Laid out
 * once for the PNG and SVG writers (formats/dist_image.h), rasterised
 * (RGB, the 5x7 font) for PNG.
 */
#ifndef DAMO_CORE_DIST_PLOT_H
#define DAMO_CORE_DIST_PLOT_H

#include <stddef.h>
#include <stdint.h>

#include "core/heatmap_color.h"
#include "core/heatmap_plot.h"

struct dist_point {
	double x, y;
};

struct dist_plot {
	int width, height;
	int px, py, pw, ph;		/* the plot area */
	const struct dist_point *pts;	/* borrowed */
	size_t nr_pts;
	double x_lo, x_hi, y_lo, y_hi;	/* the axes' spans */
	struct plot_text texts[PLOT_MAX_TEXTS];
	size_t nr_texts;
	struct plot_line lines[PLOT_MAX_LINES];
	size_t nr_lines;
};

/* The line's colour (gnuplot's first). */
extern const struct heatmap_rgb dist_plot_line;

/*
 * dist_plot_init() - lay out @n points @pts (borrowed, must outlive @p)
 * with axis names @xlabel and @ylabel; @y_bytes: y values are sizes
 * (ticks in KiB, MiB...), else counts.
 */
void dist_plot_init(struct dist_plot *p, const struct dist_point *pts,
		    size_t n, const char *xlabel, const char *ylabel,
		    int y_bytes);

/* Where point @i goes, in pixels. */
void dist_plot_at(const struct dist_plot *p, size_t i, int *x, int *y);

/* The picture as @p->height rows of @p->width RGB triplets; free() it. */
uint8_t *dist_plot_raster(const struct dist_plot *p);

#endif /* DAMO_CORE_DIST_PLOT_H */
