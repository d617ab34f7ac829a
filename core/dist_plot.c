/* SPDX-License-Identifier: GPL-2.0 */
/* The layout and raster of distribution plots. */
#include "dist_plot.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/font5x7.h"
#include "core/units.h"
#include "core/xalloc.h"

#define NR_TICKS 5
#define TICK_LEN 5

const struct heatmap_rgb dist_plot_line = { 0x94, 0x00, 0xd3 };

static void __attribute__((format(printf, 5, 6)))
add_text(struct dist_plot *p, int x, int y, enum plot_anchor a,
	 const char *fmt, ...)
{
	struct plot_text *t;
	va_list ap;

	if (p->nr_texts == PLOT_MAX_TEXTS)
		return;
	t = &p->texts[p->nr_texts++];
	t->x = x;
	t->y = y;
	t->scale = 1;
	t->anchor = a;
	va_start(ap, fmt);
	vsnprintf(t->s, sizeof(t->s), fmt, ap);
	va_end(ap);
}

static void add_line(struct dist_plot *p, int x0, int y0, int x1, int y1)
{
	if (p->nr_lines == PLOT_MAX_LINES)
		return;
	p->lines[p->nr_lines++] = (struct plot_line){ x0, y0, x1, y1 };
}

static void span(const struct dist_plot *p, double *lo, double *hi, int y)
{
	size_t i;
	double v;

	*lo = *hi = 0;
	for (i = 0; i < p->nr_pts; i++) {
		v = y ? p->pts[i].y : p->pts[i].x;
		if (!i || v < *lo)
			*lo = v;
		if (!i || v > *hi)
			*hi = v;
	}
	if (y && *lo > 0)
		*lo = 0;	/* sizes and counts from zero */
	if (*hi <= *lo)
		*hi = *lo + 1;
}

void dist_plot_init(struct dist_plot *p, const struct dist_point *pts,
		    size_t n, const char *xlabel, const char *ylabel,
		    int y_bytes)
{
	char buf[UNITS_BUFSZ];
	double v;
	int i, x, y;

	memset(p, 0, sizeof(*p));
	p->width = 640;
	p->height = 480;
	p->px = 100;
	p->py = 40;
	p->pw = 510;
	p->ph = 380;
	p->pts = pts;
	p->nr_pts = n;
	span(p, &p->x_lo, &p->x_hi, 0);
	span(p, &p->y_lo, &p->y_hi, 1);
	add_line(p, p->px, p->py, p->px, p->py + p->ph);
	add_line(p, p->px, p->py + p->ph, p->px + p->pw, p->py + p->ph);
	for (i = 0; i <= NR_TICKS; i++) {
		x = p->px + p->pw * i / NR_TICKS;
		y = p->py + p->ph - p->ph * i / NR_TICKS;
		add_line(p, x, p->py + p->ph, x, p->py + p->ph + TICK_LEN);
		add_line(p, p->px - TICK_LEN, y, p->px, y);
		v = p->x_lo + (p->x_hi - p->x_lo) * i / NR_TICKS;
		add_text(p, x, p->py + p->ph + TICK_LEN + 4, PLOT_CENTER,
			 "%.0f", v);
		v = p->y_lo + (p->y_hi - p->y_lo) * i / NR_TICKS;
		if (y_bytes)
			add_text(p, p->px - TICK_LEN - 4, y - 3, PLOT_RIGHT,
				 "%s", units_fmt_sz(buf, (uint64_t)v, false));
		else
			add_text(p, p->px - TICK_LEN - 4, y - 3, PLOT_RIGHT,
				 "%.0f", v);
	}
	add_text(p, p->px + p->pw / 2, p->py + p->ph + 28, PLOT_CENTER, "%s",
		 xlabel);
	add_text(p, p->px, p->py - 20, PLOT_LEFT, "%s", ylabel);
}

void dist_plot_at(const struct dist_plot *p, size_t i, int *x, int *y)
{
	*x = p->px + (int)((p->pts[i].x - p->x_lo) / (p->x_hi - p->x_lo) *
			   p->pw);
	*y = p->py + p->ph - (int)((p->pts[i].y - p->y_lo) /
				   (p->y_hi - p->y_lo) * p->ph);
}

static void put(const struct dist_plot *p, uint8_t *px, int x, int y,
		struct heatmap_rgb c)
{
	uint8_t *d;

	if (x < 0 || y < 0 || x >= p->width || y >= p->height)
		return;
	d = px + ((size_t)y * (size_t)p->width + (size_t)x) * 3;
	d[0] = c.r;
	d[1] = c.g;
	d[2] = c.b;
}

static void fill(const struct dist_plot *p, uint8_t *px, int x, int y,
		 int w, int h, struct heatmap_rgb c)
{
	int i, j;

	for (j = 0; j < h; j++)
		for (i = 0; i < w; i++)
			put(p, px, x + i, y + j, c);
}

/* A segment two pixels wide (Bresenham). */
static void segment(const struct dist_plot *p, uint8_t *px, int x0, int y0,
		    int x1, int y1)
{
	int dx = abs(x1 - x0), dy = -abs(y1 - y0), e = dx + dy, e2;
	int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;

	for (;;) {
		fill(p, px, x0, y0, 2, 2, dist_plot_line);
		if (x0 == x1 && y0 == y1)
			break;
		e2 = 2 * e;
		if (e2 >= dy) {
			e += dy;
			x0 += sx;
		}
		if (e2 <= dx) {
			e += dx;
			y0 += sy;
		}
	}
}

static void draw_text(const struct dist_plot *p, uint8_t *px,
		      const struct plot_text *t)
{
	int x = t->x, w = heatmap_plot_text_width(t), r, b;
	const uint8_t *g;
	const char *s;

	if (t->anchor == PLOT_CENTER)
		x -= w / 2;
	else if (t->anchor == PLOT_RIGHT)
		x -= w;
	for (s = t->s; *s; s++, x += FONT5X7_ADVANCE) {
		g = font5x7_glyph(*s);
		for (r = 0; r < FONT5X7_H; r++)
			for (b = 0; b < FONT5X7_W; b++)
				if (g[r] & (0x10 >> b))
					put(p, px, x + b, t->y + r,
					    heatmap_plot_ink);
	}
}

uint8_t *dist_plot_raster(const struct dist_plot *p)
{
	size_t n = (size_t)p->width * (size_t)p->height, i;
	uint8_t *px = xreallocarray(NULL, n, 3);
	const struct plot_line *l;
	int x0 = 0, y0 = 0, x1, y1;

	for (i = 0; i < n; i++)
		memcpy(px + i * 3, &heatmap_plot_paper, 3);
	for (i = 0; i < p->nr_lines; i++) {
		l = &p->lines[i];
		fill(p, px, l->x0, l->y0, l->x1 - l->x0 + 1, l->y1 - l->y0 + 1,
		     heatmap_plot_ink);
	}
	for (i = 0; i < p->nr_pts; i++) {
		dist_plot_at(p, i, &x1, &y1);
		if (i)
			segment(p, px, x0, y0, x1, y1);
		x0 = x1;
		y0 = y1;
	}
	for (i = 0; i < p->nr_pts; i++) {	/* the points over the line */
		dist_plot_at(p, i, &x1, &y1);
		fill(p, px, x1 - 2, y1 - 2, 5, 5, dist_plot_line);
	}
	for (i = 0; i < p->nr_texts; i++)
		draw_text(p, px, &p->texts[i]);
	return px;
}
