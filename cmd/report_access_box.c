/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo's region boxes: a region drawn as |5555| whose length, colour
 * level (0 to 9) and height (rows) show its size, access rate or age,
 * each rescaled from the range over every region shown, linearly or in
 * log2.
 */
#include "report_access.h"

#include <argp.h>
#include <math.h>
#include <string.h>

#include "core/report/region.h"
#include "core/snapshot.h"
#include "core/units.h"
#include "core/xalloc.h"

static const char *const value_names[] = {
	[BOX_SIZE] = "size",
	[BOX_ACCESS_RATE] = "access_rate",
	[BOX_AGE] = "age",
	[BOX_NONE] = "none",
};

void access_box_init(struct access_box *b)
{
	/* damo's: age as length, access rate as colour, size as height */
	b->values[0] = BOX_AGE;
	b->values[1] = BOX_ACCESS_RATE;
	b->values[2] = BOX_SIZE;
	b->log[0] = true;
	b->log[1] = false;
	b->log[2] = true;
	b->len_min = 1;
	b->len_max = 30;
	b->height_min = 1;
	b->height_max = 5;
}

static double value_of(const struct record_meta *meta,
		       const struct snap_region *r, enum box_value v)
{
	switch (v) {
	case BOX_SIZE:
		return (double)(r->end - r->start);
	case BOX_ACCESS_RATE:
		return (double)report_region_percent(meta, r);
	case BOX_AGE:
		return (double)report_region_age_us(meta, r);
	default:
		return 0;
	}
}

void access_box_see(struct access_box *b, const struct record_meta *meta,
		    const struct snapshot *s)
{
	size_t i;
	int v;
	double x;

	for (i = 0; i < s->nr_regions; i++) {
		for (v = BOX_SIZE; v <= BOX_AGE; v++) {
			x = value_of(meta, &s->regions[i], (enum box_value)v);
			if (!b->seen || x < b->min[v])
				b->min[v] = x;
			if (!b->seen || x > b->max[v])
				b->max[v] = x;
		}
		b->seen = true;
	}
}

static double log2_or_0(double x)
{
	return x > 0 ? log2(x) : 0;
}

/* damo's rescale() of @x from [@lo, @hi] to [@nlo, @nhi]. */
static double rescale(double x, double lo, double hi, double nlo,
		      double nhi, bool logscale)
{
	double ratio;

	if (logscale) {
		x = log2_or_0(x);
		lo = log2_or_0(lo);
		hi = log2_or_0(hi);
	}
	ratio = hi - lo > 0 ? (nhi - nlo) / (hi - lo) : 1;
	return (x - lo) * ratio + nlo;
}

void access_box_print(FILE *f, const struct kw_ctx *c)
{
	const struct access_box *b = &c->v->box;
	enum box_value lv_v = b->values[0], col_v = b->values[1];
	enum box_value h_v = b->values[2];
	long len = 0, height = 1, i, level = 0;

	if (lv_v != BOX_NONE)
		len = (long)rescale(value_of(c->meta, c->r, lv_v),
				    b->min[lv_v], b->max[lv_v],
				    (double)b->len_min, (double)b->len_max,
				    b->log[0]);
	if (h_v != BOX_NONE)
		height = (long)rescale(value_of(c->meta, c->r, h_v),
				       b->min[h_v], b->max[h_v],
				       (double)b->height_min,
				       (double)b->height_max, b->log[2]);
	if (col_v != BOX_NONE)
		level = (long)rescale(value_of(c->meta, c->r, col_v),
				      b->min[col_v], b->max[col_v], 0, 9,
				      b->log[1]);
	if (len < 0)
		len = 0;
	for (; height > 0; height--) {
		if (b->right && (long)b->len_max > len)
			fprintf(f, "%*s", (int)((long)b->len_max - len), "");
		fputc('|', f);
		if (col_v != BOX_NONE && c->v->color && level >= 0 &&
		    level <= 9)
			access_color_start(f, b->colorset, (int)level);
		for (i = 0; i < len; i++) {
			if (col_v == BOX_NONE)
				fputc('-', f);
			else
				fprintf(f, "%ld", level);
		}
		if (col_v != BOX_NONE && c->v->color)
			fputs("\033[0m", f);
		fputc('|', f);
		if (height > 1)
			fputc('\n', f);
	}
	if (b->height_max > 1)
		fputc('\n', f);
}

void access_box_colors(FILE *f, const struct kw_ctx *c)
{
	int lv;

	for (lv = 0; lv <= 9; lv++) {
		if (c->v->color)
			access_color_start(f, c->v->box.colorset, lv);
		fprintf(f, "%d", lv);
	}
	if (c->v->color)
		fputs("\033[0m", f);
}

static void put_range(FILE *f, const struct kw_ctx *c, enum box_value v)
{
	const struct access_box *b = &c->v->box;
	char b1[UNITS_BUFSZ], b2[UNITS_BUFSZ];
	bool raw = c->v->raw;

	switch (v) {
	case BOX_SIZE:
		fprintf(f, "[%s, %s]", units_fmt_sz(b1, (uint64_t)b->min[v], raw),
			units_fmt_sz(b2, (uint64_t)b->max[v], raw));
		break;
	case BOX_AGE:	/* damo's trailing space */
		fprintf(f, "[%s, %s] ",
			units_fmt_time(b1, (uint64_t)b->min[v], UNITS_US, raw),
			units_fmt_time(b2, (uint64_t)b->max[v], UNITS_US, raw));
		break;
	case BOX_ACCESS_RATE:
		if (raw)
			fprintf(f, "[%f, %f]", b->min[v], b->max[v]);
		else
			fprintf(f, "[%s, %s]",
				units_fmt_ratio(b1, (uint64_t)b->min[v],
						UNITS_PERCENT, false),
				units_fmt_ratio(b2, (uint64_t)b->max[v],
						UNITS_PERCENT, false));
		break;
	default:
		fputs("None", f);
	}
}

static const char *scale_name(bool logscale)
{
	return logscale ? "logscale" : "linearscale";
}

void access_box_description(FILE *f, const struct kw_ctx *c)
{
	const struct access_box *b = &c->v->box;

	fprintf(f, "# length: %s (represents ", value_names[b->values[0]]);
	put_range(f, c, b->values[0]);
	fprintf(f, " with [%llu, %llu] columns in %s)\n",
		(unsigned long long)b->len_min, (unsigned long long)b->len_max,
		scale_name(b->log[0]));
	fprintf(f, "# color: %s (represents ", value_names[b->values[1]]);
	put_range(f, c, b->values[1]);
	fputs(" with [0, 9] number and color (", f);
	access_box_colors(f, c);
	fprintf(f, ") in %s)\n", scale_name(b->log[1]));
	fprintf(f, "# height: %s (represents ", value_names[b->values[2]]);
	put_range(f, c, b->values[2]);
	fprintf(f, " with [%llu, %llu] rows in %s)",
		(unsigned long long)b->height_min,
		(unsigned long long)b->height_max, scale_name(b->log[2]));
}

void access_parse_box_values(struct argp_state *state, const char *arg,
			     struct access_box *b)
{
	const char *w;
	size_t i, k;

	for (i = 0; i < 3; i++) {
		if (i && state->next >= state->argc) {
			argp_error(state, "--region-box-values takes three of "
				   "size, access_rate, age or none");
			return;
		}
		w = i ? state->argv[state->next++] : arg;
		for (k = 0; k < ARRAY_SIZE(value_names); k++) {
			if (!strcmp(w, value_names[k]))
				break;
		}
		if (k == ARRAY_SIZE(value_names)) {
			argp_error(state, "--region-box-values: '%s' is not size, "
				   "access_rate, age or none", w);
			return;
		}
		b->values[i] = (enum box_value)k;
	}
}

void access_parse_box_scales(struct argp_state *state, const char *arg,
			     struct access_box *b)
{
	const char *w;
	size_t i;

	for (i = 0; i < 3; i++) {
		if (i && state->next >= state->argc) {
			argp_error(state, "--region-box-scales takes three of "
				   "linear or log");
			return;
		}
		w = i ? state->argv[state->next++] : arg;
		if (strcmp(w, "linear") && strcmp(w, "log")) {
			argp_error(state, "--region-box-scales: '%s' is not "
				   "linear or log", w);
			return;
		}
		b->log[i] = !strcmp(w, "log");
	}
}
