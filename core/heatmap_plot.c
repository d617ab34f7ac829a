/* SPDX-License-Identifier: GPL-2.0 */
/* Layout and rasterising of heatmap images. */
#include "core/heatmap_plot.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/font5x7.h"
#include "core/heatmap.h"
#include "core/units.h"
#include "core/xalloc.h"

const struct heatmap_rgb heatmap_plot_ink = { 0x20, 0x20, 0x20 };
const struct heatmap_rgb heatmap_plot_paper = { 0xff, 0xff, 0xff };
const struct heatmap_rgb heatmap_plot_none = { 0xf4, 0xd4, 0xdc };

#define PLOT_SIDE 500		/* the cells' area aims at this many pixels */
#define NR_TICKS 5
#define TICK_LEN 4

static void __attribute__((format(printf, 6, 7)))
add_text(struct heatmap_plot *p, int x, int y, int scale, enum plot_anchor a,
	 const char *fmt, ...)
{
	struct plot_text *t;
	va_list ap;

	if (p->nr_texts == PLOT_MAX_TEXTS)
		return;
	t = &p->texts[p->nr_texts++];
	t->x = x;
	t->y = y;
	t->scale = scale;
	t->anchor = a;
	va_start(ap, fmt);
	vsnprintf(t->s, sizeof(t->s), fmt, ap);
	va_end(ap);
}

static void add_line(struct heatmap_plot *p, int x0, int y0, int x1, int y1)
{
	if (p->nr_lines == PLOT_MAX_LINES)
		return;
	p->lines[p->nr_lines++] = (struct plot_line){ x0, y0, x1, y1 };
}

int heatmap_plot_text_width(const struct plot_text *t)
{
	size_t n = strlen(t->s);

	return n ? (int)n * FONT5X7_ADVANCE * t->scale - t->scale : 0;
}

static void heat_span(struct heatmap_plot *p)
{
	if (!heatmap_span(p->hm, &p->lo, &p->hi)) {
		p->lo = NAN;
		p->hi = NAN;
	}
}

/* Tick marks and labels of both axes, relative to the ranges' starts. */
static void add_ticks(struct heatmap_plot *p)
{
	const struct heatmap *hm = p->hm;
	uint64_t tlen = hm->tu * hm->rows, alen = hm->au * hm->cols;
	char buf[UNITS_BUFSZ];
	int i, x, y;

	for (i = 0; i < NR_TICKS; i++) {
		x = p->px + (int)((long)p->pw * i / (NR_TICKS - 1));
		if (i == NR_TICKS - 1)
			x--;
		add_line(p, x, p->py + p->ph, x, p->py + p->ph + TICK_LEN);
		add_text(p, x, p->py + p->ph + TICK_LEN + 4, 1,
			 i == 0 ? PLOT_LEFT : i == NR_TICKS - 1 ? PLOT_RIGHT :
			 PLOT_CENTER, "%s", units_fmt_time(buf,
			 tlen / (NR_TICKS - 1) * (uint64_t)i, UNITS_NS, false));
		y = p->py + p->ph - 1 - (int)((long)(p->ph - 1) * i /
					      (NR_TICKS - 1));
		add_line(p, p->px - TICK_LEN - 1, y, p->px - 1, y);
		add_text(p, p->px - TICK_LEN - 4, y - 3, 1, PLOT_RIGHT, "%s",
			 units_fmt_sz(buf, alen / (NR_TICKS - 1) * (uint64_t)i,
				      false));
	}
}

static void add_legend(struct heatmap_plot *p, const char *unit)
{
	int x = p->lx + p->lw + 6;

	add_text(p, p->lx, p->py - 16, 1, PLOT_LEFT, "%s", unit);
	if (isnan(p->hi)) {
		add_text(p, x, p->ly, 1, PLOT_LEFT, "no heat");
		return;
	}
	add_text(p, x, p->ly, 1, PLOT_LEFT, "%.3f", p->hi);
	add_text(p, x, p->ly + p->lh / 2 - 3, 1, PLOT_LEFT, "%.3f",
		 (p->lo + p->hi) / 2);
	add_text(p, x, p->ly + p->lh - 7, 1, PLOT_LEFT, "%.3f", p->lo);
}

void heatmap_plot_init(struct heatmap_plot *p, const struct heatmap *hm,
		       enum heatmap_colorset set, const char *title,
		       const char *unit)
{
	char b1[UNITS_BUFSZ], b2[UNITS_BUFSZ];

	memset(p, 0, sizeof(*p));
	p->hm = hm;
	p->set = set;
	heat_span(p);
	p->cw = hm->rows < PLOT_SIDE ? PLOT_SIDE / (int)hm->rows : 1;
	p->ch = hm->cols < PLOT_SIDE ? PLOT_SIDE / (int)hm->cols : 1;
	p->pw = p->cw * (int)hm->rows;
	p->ph = p->ch * (int)hm->cols;
	p->px = 100;
	p->py = 60;
	p->lx = p->px + p->pw + 24;
	p->ly = p->py;
	p->lw = 16;
	p->lh = p->ph;
	p->width = p->lx + p->lw + 90;
	p->height = p->py + p->ph + 52;

	add_text(p, p->width / 2, 10, 2, PLOT_CENTER, "%s", title);
	add_text(p, p->width / 2, 30, 1, PLOT_CENTER,
		 "%zu x %zu cells of %s x %s", hm->rows, hm->cols,
		 units_fmt_time(b1, hm->tu, UNITS_NS, false),
		 units_fmt_sz(b2, hm->au, false));
	add_text(p, p->px, p->py - 16, 1, PLOT_LEFT, "address, from 0x%llx (%s)",
		 (unsigned long long)hm->a0, units_fmt_sz(b1, hm->a0, false));
	add_text(p, p->px + p->pw / 2, p->py + p->ph + 30, 1, PLOT_CENTER,
		 "time, from %s", units_fmt_time(b2, hm->t0, UNITS_NS, false));
	/* the frame */
	add_line(p, p->px - 1, p->py - 1, p->px + p->pw, p->py - 1);
	add_line(p, p->px - 1, p->py + p->ph, p->px + p->pw, p->py + p->ph);
	add_line(p, p->px - 1, p->py - 1, p->px - 1, p->py + p->ph);
	add_line(p, p->px + p->pw, p->py - 1, p->px + p->pw, p->py + p->ph);
	add_ticks(p);
	add_legend(p, unit);
}

bool heatmap_plot_cell(const struct heatmap_plot *p, size_t row, size_t col,
		       int *x, int *y, struct heatmap_rgb *c)
{
	double h = heatmap_at(p->hm, row, col);

	*x = p->px + (int)row * p->cw;
	*y = p->py + p->ph - ((int)col + 1) * p->ch;
	if (isnan(h)) {
		*c = heatmap_plot_none;
		return false;
	}
	*c = heatmap_color_at(p->set, p->hi > p->lo ?
			      (h - p->lo) / (p->hi - p->lo) : 1);
	return true;
}

struct heatmap_rgb heatmap_plot_legend_at(const struct heatmap_plot *p,
					  double f)
{
	return heatmap_color_at(p->set, f);
}

static void put(const struct heatmap_plot *p, uint8_t *px, int x, int y,
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

static void fill(const struct heatmap_plot *p, uint8_t *px, int x, int y,
		 int w, int h, struct heatmap_rgb c)
{
	int i, j;

	for (j = 0; j < h; j++)
		for (i = 0; i < w; i++)
			put(p, px, x + i, y + j, c);
}

static void draw_text(const struct heatmap_plot *p, uint8_t *px,
		      const struct plot_text *t)
{
	int x = t->x, w = heatmap_plot_text_width(t), r, b;
	const uint8_t *g;
	const char *s;

	if (t->anchor == PLOT_CENTER)
		x -= w / 2;
	else if (t->anchor == PLOT_RIGHT)
		x -= w;
	for (s = t->s; *s; s++, x += FONT5X7_ADVANCE * t->scale) {
		g = font5x7_glyph(*s);
		for (r = 0; r < FONT5X7_H; r++)
			for (b = 0; b < FONT5X7_W; b++)
				if (g[r] & (0x10 >> b))
					fill(p, px, x + b * t->scale,
					     t->y + r * t->scale, t->scale,
					     t->scale, heatmap_plot_ink);
	}
}

uint8_t *heatmap_plot_raster(const struct heatmap_plot *p)
{
	size_t n = (size_t)p->width * (size_t)p->height, i, j;
	uint8_t *px = xreallocarray(NULL, n, 3);
	const struct plot_line *l;
	struct heatmap_rgb c;
	int x, y;

	for (i = 0; i < n; i++)
		memcpy(px + i * 3, &heatmap_plot_paper, 3);
	for (i = 0; i < p->hm->rows; i++) {
		for (j = 0; j < p->hm->cols; j++) {
			heatmap_plot_cell(p, i, j, &x, &y, &c);
			fill(p, px, x, y, p->cw, p->ch, c);
		}
	}
	for (y = 0; y < p->lh; y++)
		fill(p, px, p->lx, p->ly + y, p->lw, 1,
		     heatmap_plot_legend_at(p, p->lh > 1 ?
			(double)(p->lh - 1 - y) / (p->lh - 1) : 1));
	for (i = 0; i < p->nr_lines; i++) {
		l = &p->lines[i];
		fill(p, px, l->x0, l->y0, l->x1 - l->x0 + 1, l->y1 - l->y0 + 1,
		     heatmap_plot_ink);
	}
	for (i = 0; i < p->nr_texts; i++)
		draw_text(p, px, &p->texts[i]);
	return px;
}
