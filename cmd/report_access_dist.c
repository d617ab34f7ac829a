/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How report access prints the distributions of a snapshot (computed by
 * core/report/access_dist.c): one printer each for text and JSON.
 */
#include "report_access.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/out.h"
#include "core/snapshot.h"
#include "core/units.h"

#define BAR_DOTS 20

/* The model's parameters from the view's options. */
static void params_of(const struct access_view *v,
		      struct access_dist_params *p)
{
	memset(p, 0, sizeof(*p));
	p->weights = v->weights;
	p->percentiles = v->percentiles;
	p->nr_percentiles = v->nr_percentiles;
	p->hist_ranges = v->hist_ranges;
	p->nr_hist_ranges = v->nr_hist_ranges;
	p->hist_logscale = v->hist_logscale;
	p->hist_cumulate = v->hist_cumulate;
	p->heatmap_width = v->heatmap_width;
	p->heatmap_static = v->heatmap_static;
}

static const char *fmt_metric(char *buf, int64_t val, bool temperature,
			      bool raw)
{
	if (temperature)
		return units_fmt_i64(buf, val, raw);
	if (val == INT64_MAX)	/* "max" of --hist-ranges */
		return units_fmt_time(buf, UINT64_MAX, UNITS_US, raw);
	return units_fmt_time(buf, (uint64_t)val, UNITS_US, raw);
}

void access_percentiles(const struct access_view *v, struct out *o,
			const char *key, const struct record_meta *meta,
			const struct snapshot *s, bool temperature,
			bool df_passed)
{
	long pct[ACCESS_MAX_PERCENTILES];
	int64_t val[ACCESS_MAX_PERCENTILES];
	char buf[UNITS_BUFSZ], pbuf[32], pfmt[32], vfmt[32];
	struct access_dist_params p;
	size_t nr, i;
	int pw = 0, vw = 0, len, dots;
	double per_dot;

	params_of(v, &p);
	nr = access_dist_percentiles(&p, meta, s, temperature, df_passed, pct,
				     val);
	out_json_begin_list(o, key);
	if (!s->nr_regions) {
		out_text(o, "no region in snapshot");
	} else {
		out_text(o, "%s", df_passed ? "<df-passed percentile> " :
			 "<percentile> ");
		if (temperature)
			out_text(o, "<temperature (weights: [%lld, %lld, %lld])>",
				 (long long)v->weights.sz,
				 (long long)v->weights.rate,
				 (long long)v->weights.age);
		else
			out_text(o, v->raw ? "<idle time (us)>" : "<idle time>");
	}
	for (i = 0; i < nr; i++) {
		len = snprintf(pbuf, sizeof(pbuf), "%ld", pct[i]);
		pw = len > pw ? len : pw;
		len = (int)strlen(fmt_metric(buf, val[i], temperature, v->raw));
		vw = len > vw ? len : vw;
	}
	snprintf(pfmt, sizeof(pfmt), "\n%%%d" PRId64 "  ", pw);
	snprintf(vfmt, sizeof(vfmt), "%%%ds  ", vw);
	per_dot = nr && val[nr - 1] != val[0] ?
		(double)(val[nr - 1] - val[0]) / BAR_DOTS : 1;
	for (i = 0; i < nr; i++) {
		dots = (int)((double)(val[i] - val[0]) / per_dot);
		if (dots > BAR_DOTS)
			dots = BAR_DOTS;
		fmt_metric(buf, val[i], temperature, v->raw);
		out_json_begin_obj(o, NULL);
		out_print_i64(o, "percentile", pfmt, pct[i]);
		if (temperature)
			out_print_i64_as(o, "temperature", vfmt, val[i], buf);
		else
			out_print_u64_as(o, "idle_time_us", vfmt,
					 (uint64_t)val[i], buf);
		out_text(o, "|%.*s%*s|", dots, "********************",
			 BAR_DOTS - dots, "");
		out_json_end_obj(o);
	}
	out_json_end_list(o);
}

void access_sz_hist(const struct access_view *v, struct out *o,
		    const char *key, const struct record_meta *meta,
		    const struct snapshot *s, bool temperature, bool df_passed)
{
	char b1[UNITS_BUFSZ], b2[UNITS_BUFSZ], x[2 * UNITS_BUFSZ + 8];
	char xp[2 * UNITS_BUFSZ + 8], yp[UNITS_BUFSZ];
	struct access_dist_params p;
	struct access_hist_bin *b;
	uint64_t ymin = UINT64_MAX, ymax = 0, per_dot;
	size_t nr, i, xw = 0, yw = 0, dots;

	params_of(v, &p);
	b = access_dist_hist(&p, meta, s, temperature, df_passed, &nr);
	out_json_begin_list(o, key);
	if (!b)
		out_text(o, "no region in snapshot");
	for (i = 0; i < nr; i++) {
		snprintf(x, sizeof(x), "[%s, %s)",
			 fmt_metric(b1, b[i].lo, temperature, v->raw),
			 fmt_metric(b2, b[i].hi, temperature, v->raw));
		xw = strlen(x) > xw ? strlen(x) : xw;
		units_fmt_sz(b1, b[i].sz, v->raw);
		yw = strlen(b1) > yw ? strlen(b1) : yw;
		ymin = b[i].sz < ymin ? b[i].sz : ymin;
		ymax = b[i].sz > ymax ? b[i].sz : ymax;
	}
	per_dot = nr ? (ymax - ymin) / BAR_DOTS : 1;
	per_dot = per_dot ? per_dot : 1;
	for (i = 0; i < nr; i++) {
		/* text: "[MIN, MAX)" padded, then the size, then the bar */
		snprintf(x, sizeof(x), "[%s, %s)",
			 fmt_metric(b1, b[i].lo, temperature, v->raw),
			 fmt_metric(b2, b[i].hi, temperature, v->raw));
		snprintf(xp, sizeof(xp), "%-*s", (int)xw, x);
		snprintf(yp, sizeof(yp), "%-*s", (int)yw,
			 units_fmt_sz(b1, b[i].sz, v->raw));
		dots = (b[i].sz - ymin + per_dot - 1) / per_dot;
		dots = dots > BAR_DOTS ? BAR_DOTS : dots;
		out_json_begin_obj(o, NULL);
		out_text(o, "%s", i ? "\n" : "");
		if (temperature) {
			out_print_i64_as(o, "min_temperature", "%s ", b[i].lo,
					 xp);
			out_print_i64(o, "max_temperature", NULL, b[i].hi);
		} else {
			out_print_u64_as(o, "min_idle_time_us", "%s ",
					 (uint64_t)b[i].lo, xp);
			out_print_u64(o, "max_idle_time_us", NULL,
				      (uint64_t)b[i].hi);
		}
		out_print_u64_as(o, "size", "%s ", b[i].sz, yp);
		out_text(o, "|%.*s%*s|", (int)dots, "********************",
			 (int)(BAR_DOTS - dots), "");
		out_json_end_obj(o);
	}
	out_json_end_list(o);
	free(b);
}

/* damo's colour sets (background, foreground) of levels 0 to 9. */
static const unsigned char heat_bg[3][10] = {
	{ 232, 232, 232, 232, 232, 232, 232, 232, 232, 232 },
	{ 232, 1, 1, 2, 3, 3, 20, 21, 26, 27 },
	{ 232, 234, 20, 21, 26, 2, 3, 1, 1, 1 },
};
static const unsigned char heat_fg[3][10] = {
	{ 237, 239, 241, 243, 245, 247, 249, 251, 253, 255 },
	{ 239, 235, 237, 239, 243, 245, 247, 249, 251, 255 },
	{ 239, 235, 237, 239, 243, 245, 247, 249, 251, 255 },
};

void access_color_start(FILE *f, unsigned int colorset, int lv)
{
	fprintf(f, "\033[48;5;%um\033[38;5;%um", heat_bg[colorset][lv],
		heat_fg[colorset][lv]);
}

static void heat_dots(const struct access_view *v, FILE *f,
		      const struct access_heat_pixel *px, size_t n, double minv,
		      double maxv, double unit)
{
	double tu = (maxv - minv) / 9;
	const unsigned int cs = v->heatmap_colorset;
	double nr_dots;
	size_t i;
	int lv;

	if (tu == 0)
		tu = maxv / 9;
	if (tu == 0)
		tu = 1;
	for (i = 0; i < n; i++) {
		if (px[i].is_void) {
			nr_dots = (px[i].end - px[i].start) / unit;
			if (!v->heatmap_static && nr_dots > 4)
				fprintf(f, "[...]");
			else
				fprintf(f, "%.*s", (int)nr_dots,
					"................................"
					"................................"
					"................................");
			continue;
		}
		lv = (int)((px[i].temp - minv) / tu);
		if (!v->color || lv < 0 || lv > 9) {
			fprintf(f, "%d", lv);
			continue;
		}
		fprintf(f, "\033[48;5;%um\033[38;5;%um%d\033[0m",
			heat_bg[cs][lv], heat_fg[cs][lv], lv);
	}
}

void access_heatmap(const struct access_view *v, FILE *f,
		    const struct record_meta *meta, const struct snapshot *s,
		    bool df_passed)
{
	char b1[UNITS_BUFSZ], b2[UNITS_BUFSZ], b3[UNITS_BUFSZ];
	struct access_dist_params p;
	struct access_heat h;

	params_of(v, &p);
	if (!access_dist_heat(&p, meta, s, df_passed, &h)) {
		fprintf(f, "n/a (no region)");
		return;
	}
	heat_dots(v, f, h.px, h.nr, h.min_temp, h.max_temp, h.unit);
	fprintf(f, "\n# min/max temperatures: %s, %s, column size: %s",
		units_fmt_i64(b1, (int64_t)h.min_temp, v->raw),
		units_fmt_i64(b2, (int64_t)h.max_temp, v->raw),
		units_fmt_sz(b3, (uint64_t)h.unit, v->raw));
	access_heat_release(&h);
}
