/* SPDX-License-Identifier: GPL-2.0 */
/* PNG and SVG files of heatmap pictures. */
#include "formats/heatmap_image.h"

#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/heatmap.h"
#include "core/heatmap_plot.h"
#include "core/safefile.h"
#include "core/xalloc.h"

int heatmap_image_format_parse(const char *name)
{
	if (!strcasecmp(name, "png"))
		return HEATMAP_IMAGE_PNG;
	if (!strcasecmp(name, "svg"))
		return HEATMAP_IMAGE_SVG;
	return -1;
}

int heatmap_image_format_of(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (!dot || strchr(dot, '/'))
		return -1;
	return heatmap_image_format_parse(dot + 1);
}

static int write_png(const struct heatmap_plot *p, FILE *f)
{
	png_image img;
	uint8_t *px = heatmap_plot_raster(p);
	int ok;

	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	img.width = (png_uint_32)p->width;
	img.height = (png_uint_32)p->height;
	img.format = PNG_FORMAT_RGB;
	ok = png_image_write_to_stdio(&img, f, 0, px, 0, NULL);
	png_image_free(&img);
	free(px);
	return ok ? 0 : -EIO;
}

static void svg_rgb(char *buf, struct heatmap_rgb c)
{
	sprintf(buf, "#%02x%02x%02x", c.r, c.g, c.b);
}

static bool rgb_eq(struct heatmap_rgb a, struct heatmap_rgb b)
{
	return a.r == b.r && a.g == b.g && a.b == b.b;
}

static void xml_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else
			fputc(*s, f);
	}
}

/*
 * The cells, one <rect> per run of cells of one colour along the time
 * axis, with data-cells saying how many cells it stands for.
 */
static void svg_cells(const struct heatmap_plot *p, FILE *f)
{
	const struct heatmap *hm = p->hm;
	struct heatmap_rgb c, n;
	size_t i, j, k;
	int x, y, x2, y2;
	bool heat, heat2;
	char col[8];

	fputs("<g class=\"cells\" shape-rendering=\"crispEdges\">\n", f);
	for (j = 0; j < hm->cols; j++) {
		for (i = 0; i < hm->rows; i = k) {
			heat = heatmap_plot_cell(p, i, j, &x, &y, &c);
			for (k = i + 1; k < hm->rows; k++) {
				heat2 = heatmap_plot_cell(p, k, j, &x2, &y2, &n);
				if (heat2 != heat || !rgb_eq(c, n))
					break;
			}
			svg_rgb(col, c);
			fprintf(f, "<rect class=\"%s\" x=\"%d\" y=\"%d\" "
				"width=\"%d\" height=\"%d\" fill=\"%s\" "
				"data-cells=\"%zu\"/>\n", heat ? "cell" : "none",
				x, y, p->cw * (int)(k - i), p->ch, col, k - i);
		}
	}
	fputs("</g>\n", f);
}

static void svg_legend(const struct heatmap_plot *p, FILE *f)
{
	char col[8];
	int i;

	fputs("<defs><linearGradient id=\"scale\" x1=\"0\" y1=\"1\" "
	      "x2=\"0\" y2=\"0\">\n", f);
	if (p->set == HEATMAP_FLAME || p->set == HEATMAP_EMOTION) {
		/* damo's ten levels: bands with hard edges */
		for (i = 0; i < HEATMAP_LEVELS; i++) {
			svg_rgb(col, heatmap_plot_legend_at(p, (i + 0.5) /
							    HEATMAP_LEVELS));
			fprintf(f, "<stop offset=\"%d%%\" stop-color=\"%s\"/>"
				"<stop offset=\"%d%%\" stop-color=\"%s\"/>\n",
				i * 10, col, i * 10 + 10, col);
		}
	}
	for (i = 0; p->set != HEATMAP_FLAME && p->set != HEATMAP_EMOTION &&
		    i <= 20; i++) {
		svg_rgb(col, heatmap_plot_legend_at(p, i / 20.0));
		fprintf(f, "<stop offset=\"%d%%\" stop-color=\"%s\"/>\n",
			i * 5, col);
	}
	fputs("</linearGradient></defs>\n", f);
	fprintf(f, "<rect class=\"legend\" x=\"%d\" y=\"%d\" width=\"%d\" "
		"height=\"%d\" fill=\"url(#scale)\"/>\n", p->lx, p->ly, p->lw,
		p->lh);
}

static void svg_texts(const struct heatmap_plot *p, FILE *f)
{
	static const char *const anchors[] = { "start", "middle", "end" };
	const struct plot_text *t;
	const struct plot_line *l;
	char ink[8];
	size_t i;

	svg_rgb(ink, heatmap_plot_ink);
	fprintf(f, "<g stroke=\"%s\" shape-rendering=\"crispEdges\">\n", ink);
	for (i = 0; i < p->nr_lines; i++) {
		l = &p->lines[i];
		fprintf(f, "<line x1=\"%d.5\" y1=\"%d.5\" x2=\"%d.5\" "
			"y2=\"%d.5\"/>\n", l->x0, l->y0, l->x1, l->y1);
	}
	fputs("</g>\n", f);
	fprintf(f, "<g font-family=\"monospace\" fill=\"%s\">\n", ink);
	for (i = 0; i < p->nr_texts; i++) {
		t = &p->texts[i];
		fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"%d\" "
			"text-anchor=\"%s\">", t->x, t->y + 7 * t->scale,
			10 * t->scale, anchors[t->anchor]);
		xml_escaped(f, t->s);
		fputs("</text>\n", f);
	}
	fputs("</g>\n", f);
}

static int write_svg(const struct heatmap_plot *p, FILE *f)
{
	char col[8];

	svg_rgb(col, heatmap_plot_paper);
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%d\" viewBox=\"0 0 %d %d\" data-rows=\"%zu\" "
		"data-cols=\"%zu\">\n<rect width=\"100%%\" height=\"100%%\" "
		"fill=\"%s\"/>\n", p->width, p->height, p->width, p->height,
		p->hm->rows, p->hm->cols, col);
	svg_cells(p, f);
	svg_legend(p, f);
	svg_texts(p, f);
	fputs("</svg>\n", f);
	return 0;
}

struct heatmap_write {
	const struct heatmap_plot *p;
	enum heatmap_image_format fmt;
};

static int heatmap_write_fn(void *data, FILE *f)
{
	const struct heatmap_write *w = data;

	return w->fmt == HEATMAP_IMAGE_PNG ? write_png(w->p, f) :
					     write_svg(w->p, f);
}

int heatmap_image_write(const struct heatmap_plot *p,
			enum heatmap_image_format fmt, const char *path,
			const char **what)
{
	struct heatmap_write w = { .p = p, .fmt = fmt };

	/* a new file of an unpredictable name next to PATH, then renamed */
	return safefile_write_stream(path, 0666, heatmap_write_fn, &w, what);
}
