/* SPDX-License-Identifier: GPL-2.0 */
/* PNG and SVG files of distribution plots. */
#include "formats/dist_image.h"

#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/dist_plot.h"
#include "core/safefile.h"

int dist_image_format_of(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (!dot || strchr(dot, '/'))
		return -1;
	if (!strcasecmp(dot + 1, "png"))
		return DIST_IMAGE_PNG;
	if (!strcasecmp(dot + 1, "svg"))
		return DIST_IMAGE_SVG;
	return -1;
}

static int write_png(const struct dist_plot *p, FILE *f)
{
	png_image img;
	uint8_t *px = dist_plot_raster(p);
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

static void rgb(char *buf, struct heatmap_rgb c)
{
	sprintf(buf, "#%02x%02x%02x", c.r, c.g, c.b);
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

static int write_svg(const struct dist_plot *p, FILE *f)
{
	static const char *const anchors[] = { "start", "middle", "end" };
	const struct plot_text *t;
	const struct plot_line *l;
	char ink[8], paper[8], line[8];
	size_t i;
	int x, y;

	rgb(ink, heatmap_plot_ink);
	rgb(paper, heatmap_plot_paper);
	rgb(line, dist_plot_line);
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%d\" viewBox=\"0 0 %d %d\" data-points=\"%zu\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"%s\"/>\n",
		p->width, p->height, p->width, p->height, p->nr_pts, paper);
	fprintf(f, "<g stroke=\"%s\" shape-rendering=\"crispEdges\">\n", ink);
	for (i = 0; i < p->nr_lines; i++) {
		l = &p->lines[i];
		fprintf(f, "<line x1=\"%d.5\" y1=\"%d.5\" x2=\"%d.5\" "
			"y2=\"%d.5\"/>\n", l->x0, l->y0, l->x1, l->y1);
	}
	fputs("</g>\n", f);
	fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
		"points=\"", line);
	for (i = 0; i < p->nr_pts; i++) {
		dist_plot_at(p, i, &x, &y);
		fprintf(f, "%s%d,%d", i ? " " : "", x, y);
	}
	fprintf(f, "\"/>\n<g fill=\"%s\">\n", line);
	for (i = 0; i < p->nr_pts; i++) {
		dist_plot_at(p, i, &x, &y);
		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"5\" height=\"5\"/>\n",
			x - 2, y - 2);
	}
	fputs("</g>\n", f);
	fprintf(f, "<g font-family=\"monospace\" fill=\"%s\">\n", ink);
	for (i = 0; i < p->nr_texts; i++) {
		t = &p->texts[i];
		fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"10\" "
			"text-anchor=\"%s\">", t->x, t->y + 7, anchors[t->anchor]);
		xml_escaped(f, t->s);
		fputs("</text>\n", f);
	}
	fputs("</g>\n</svg>\n", f);
	return 0;
}

struct dist_write {
	const struct dist_plot *p;
	enum dist_image_format fmt;
};

static int dist_write_fn(void *data, FILE *f)
{
	const struct dist_write *w = data;

	return w->fmt == DIST_IMAGE_PNG ? write_png(w->p, f) :
					  write_svg(w->p, f);
}

int dist_image_write(const struct dist_plot *p, enum dist_image_format fmt,
		     const char *path, const char **what)
{
	struct dist_write w = { .p = p, .fmt = fmt };

	/* a new file of an unpredictable name next to PATH, then renamed */
	return safefile_write_stream(path, 0666, dist_write_fn, &w, what);
}
