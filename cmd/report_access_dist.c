/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The distributions report access prints for a snapshot (damo-compat.md
 * §4.1): recency and temperature percentiles, size histograms and the
 * one-line snapshot heatmap.  Numbers follow damo's arithmetic, doubles
 * where damo uses Python floats.
 */
#include "report_access.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/out.h"
#include "core/snapshot.h"
#include "core/units.h"
#include "core/xalloc.h"

#define BAR_DOTS 20

uint64_t access_snapshot_aggr_us(const struct record_meta *meta,
				 const struct snapshot *s)
{
	uint64_t aggr = meta->intervals.aggr_us, snap_us;

	if (!meta->has_intervals)
		return 0;
	if (!meta->intervals.goal.aggrs)
		return aggr;
	if (s->sample_interval_us != SNAP_NONE && meta->intervals.sample_us)
		return (uint64_t)((double)s->sample_interval_us *
				  ((double)aggr / (double)meta->intervals.sample_us));
	if (s->start_ns == SNAP_NONE || !aggr)
		return aggr;
	snap_us = (s->end_ns - s->start_ns) / 1000;
	if (fabs((double)snap_us - (double)aggr) / (double)aggr < 0.1)
		return aggr;
	return snap_us;
}

/* The metric of region @r: idle time (us) or temperature (size weight 0). */
static int64_t metric_of(const struct access_view *v,
			 const struct record_meta *meta,
			 const struct snap_region *r, uint64_t aggr_us,
			 bool temperature)
{
	struct report_weights w = v->weights;

	if (!temperature)
		return (int64_t)report_region_idle_us(meta, r, aggr_us);
	w.sz = 0;
	return (int64_t)report_region_temperature(meta, r, 0, &w);
}

static uint64_t count_of(const struct snap_region *r, bool df_passed)
{
	return df_passed ? r->sz_filter_passed : r->end - r->start;
}

struct metric_idx {
	int64_t metric;
	size_t idx;
};

static int cmp_metric(const void *a, const void *b)
{
	const struct metric_idx *x = a, *y = b;

	if (x->metric != y->metric)
		return x->metric < y->metric ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;	/* stable */
}

/* @s's regions by metric, ties in address order; caller frees. */
static struct metric_idx *sorted_metrics(const struct access_view *v,
					 const struct record_meta *meta,
					 const struct snapshot *s,
					 bool temperature)
{
	uint64_t aggr_us = access_snapshot_aggr_us(meta, s);
	struct metric_idx *m;
	size_t i;

	m = xreallocarray(NULL, s->nr_regions ? s->nr_regions : 1, sizeof(*m));
	for (i = 0; i < s->nr_regions; i++) {
		m[i].metric = metric_of(v, meta, &s->regions[i], aggr_us,
					temperature);
		m[i].idx = i;
	}
	qsort(m, s->nr_regions, sizeof(*m), cmp_metric);
	return m;
}

/* damo's percentile walk: *@nr pairs into @pct and @val. */
static void percentile_values(const struct access_view *v,
			      const struct record_meta *meta,
			      const struct snapshot *s, bool temperature,
			      bool df_passed, long *pct, int64_t *val,
			      size_t *nr)
{
	struct metric_idx *m = sorted_metrics(v, meta, s, temperature);
	double total = 0, cum = 0;
	size_t i, next = 0, n = 0;
	int64_t last = 0;

	for (i = 0; i < s->nr_regions; i++)
		total += (double)count_of(&s->regions[i], df_passed);
	for (i = 0; i < s->nr_regions; i++) {
		cum += (double)count_of(&s->regions[m[i].idx], df_passed) *
		       100.0 / total;
		last = m[i].metric;
		while (next < v->nr_percentiles &&
		       cum >= (double)v->percentiles[next]) {
			pct[n] = v->percentiles[next++];
			val[n++] = last;
		}
		if (cum >= 100.0)
			break;
	}
	for (i = next; i < v->nr_percentiles; i++) {
		if (v->percentiles[i] == 100) {
			pct[n] = 100;
			val[n++] = last;
			break;
		}
	}
	*nr = n;
	free(m);
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

void access_percentiles(const struct access_view *v, FILE *f,
			const struct record_meta *meta,
			const struct snapshot *s, bool temperature,
			bool df_passed)
{
	long pct[ACCESS_MAX_PERCENTILES];
	int64_t val[ACCESS_MAX_PERCENTILES];
	char buf[UNITS_BUFSZ], pbuf[32];
	size_t nr, i;
	int pw = 0, vw = 0, len;
	double per_dot;

	if (!s->nr_regions) {
		fprintf(f, "no region in snapshot");
		return;
	}
	fprintf(f, "%s", df_passed ? "<df-passed percentile> " : "<percentile> ");
	if (temperature)
		fprintf(f, "<temperature (weights: [%lld, %lld, %lld])>",
			(long long)v->weights.sz, (long long)v->weights.rate,
			(long long)v->weights.age);
	else
		fprintf(f, v->raw ? "<idle time (us)>" : "<idle time>");
	percentile_values(v, meta, s, temperature, df_passed, pct, val, &nr);
	if (!nr)
		return;
	for (i = 0; i < nr; i++) {
		len = snprintf(pbuf, sizeof(pbuf), "%ld", pct[i]);
		pw = len > pw ? len : pw;
		len = (int)strlen(fmt_metric(buf, val[i], temperature, v->raw));
		vw = len > vw ? len : vw;
	}
	per_dot = val[nr - 1] != val[0] ?
		(double)(val[nr - 1] - val[0]) / BAR_DOTS : 1;
	for (i = 0; i < nr; i++) {
		int dots = (int)((double)(val[i] - val[0]) / per_dot);

		if (dots > BAR_DOTS)
			dots = BAR_DOTS;
		fprintf(f, "\n%*ld  %*s  |%.*s%*s|", pw, pct[i], vw,
			fmt_metric(buf, val[i], temperature, v->raw), dots,
			"********************", BAR_DOTS - dots, "");
	}
}

void access_percentiles_json(const struct access_view *v, struct out *o,
			     const char *key, const struct record_meta *meta,
			     const struct snapshot *s, bool temperature,
			     bool df_passed)
{
	long pct[ACCESS_MAX_PERCENTILES];
	int64_t val[ACCESS_MAX_PERCENTILES];
	size_t nr = 0, i;

	if (s->nr_regions)
		percentile_values(v, meta, s, temperature, df_passed, pct,
				  val, &nr);
	out_begin_list(o, key);
	for (i = 0; i < nr; i++) {
		out_begin_obj(o, NULL);
		out_i64(o, "percentile", pct[i]);
		if (temperature)
			out_i64(o, "temperature", val[i]);
		else
			out_u64(o, "idle_time_us", (uint64_t)val[i]);
		out_end_obj(o);
	}
	out_end_list(o);
}

struct hist_bin {
	int64_t lo;
	int64_t hi;
	uint64_t sz;
};

/* The ranges of the histogram (damo's get_hist_ranges); caller frees. */
static struct hist_bin *hist_bins(const struct access_view *v,
				  int64_t minv, int64_t maxv,
				  bool temperature, size_t *nr)
{
	struct hist_bin *b = NULL;
	size_t n = 0, cap = 0, i;
	int64_t w, last;
	uint64_t u;

	if (v->nr_hist_ranges) {
		for (i = 0; i + 1 < v->nr_hist_ranges; i += 2) {
			xgrow((void **)&b, n + 1, &cap, sizeof(*b));
			if (temperature) {
				units_parse_i64(v->hist_ranges[i], &b[n].lo);
				units_parse_i64(v->hist_ranges[i + 1], &b[n].hi);
			} else {
				units_parse_time(v->hist_ranges[i], UNITS_US, &u);
				b[n].lo = u > INT64_MAX ? INT64_MAX : (int64_t)u;
				units_parse_time(v->hist_ranges[i + 1], UNITS_US, &u);
				b[n].hi = u > INT64_MAX ? INT64_MAX : (int64_t)u;
			}
			n++;
		}
	} else if (v->hist_logscale) {
		w = (int64_t)((double)(maxv - minv) / 1024.0);
		w = w < 1 ? 1 : w;
		xgrow((void **)&b, n + 1, &cap, sizeof(*b));
		b[n].lo = minv;
		b[n++].hi = minv + w;
		while (b[n - 1].hi < maxv) {
			w = b[n - 1].hi - b[n - 1].lo;
			last = b[n - 1].hi;
			xgrow((void **)&b, n + 1, &cap, sizeof(*b));
			b[n].lo = v->hist_cumulate ? minv : last;
			b[n++].hi = last + w * 2;
		}
	} else {
		w = (maxv + 1 - minv + 9) / 10;
		w = w < 1 ? 1 : w;
		for (i = 0; i < 10; i++) {
			xgrow((void **)&b, n + 1, &cap, sizeof(*b));
			b[n].lo = v->hist_cumulate ? minv : minv + w * (int64_t)i;
			b[n++].hi = minv + w * (int64_t)(i + 1);
		}
	}
	for (i = 0; i < n; i++)
		b[i].sz = 0;
	*nr = n;
	return b;
}

/* The histogram of @s: *@nr bins, caller frees; NULL without regions. */
static struct hist_bin *sz_hist(const struct access_view *v,
				const struct record_meta *meta,
				const struct snapshot *s, bool temperature,
				bool df_passed, size_t *nr)
{
	struct metric_idx *m;
	struct hist_bin *b;
	size_t i, j;

	*nr = 0;
	if (!s->nr_regions)
		return NULL;
	m = sorted_metrics(v, meta, s, temperature);
	b = hist_bins(v, m[0].metric, m[s->nr_regions - 1].metric,
		      temperature, nr);
	for (j = 0; j < *nr; j++) {
		for (i = 0; i < s->nr_regions; i++) {
			if (m[i].metric >= b[j].lo && m[i].metric < b[j].hi)
				b[j].sz += count_of(&s->regions[m[i].idx],
						    df_passed);
		}
	}
	free(m);
	return b;
}

void access_sz_hist(const struct access_view *v, FILE *f,
		    const struct record_meta *meta, const struct snapshot *s,
		    bool temperature, bool df_passed)
{
	char b1[UNITS_BUFSZ], b2[UNITS_BUFSZ], x[2 * UNITS_BUFSZ + 8];
	struct hist_bin *b;
	uint64_t ymin = UINT64_MAX, ymax = 0, per_dot;
	size_t nr, i, xw = 0, yw = 0, dots;

	b = sz_hist(v, meta, s, temperature, df_passed, &nr);
	if (!b) {
		fprintf(f, "no region in snapshot");
		return;
	}
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
	per_dot = (ymax - ymin) / BAR_DOTS;
	per_dot = per_dot ? per_dot : 1;
	for (i = 0; i < nr; i++) {
		snprintf(x, sizeof(x), "[%s, %s)",
			 fmt_metric(b1, b[i].lo, temperature, v->raw),
			 fmt_metric(b2, b[i].hi, temperature, v->raw));
		dots = (b[i].sz - ymin + per_dot - 1) / per_dot;
		dots = dots > BAR_DOTS ? BAR_DOTS : dots;
		fprintf(f, "%s%-*s %-*s |%.*s%*s|", i ? "\n" : "", (int)xw, x,
			(int)yw, units_fmt_sz(b1, b[i].sz, v->raw), (int)dots,
			"********************", (int)(BAR_DOTS - dots), "");
	}
	free(b);
}

void access_sz_hist_json(const struct access_view *v, struct out *o,
			 const char *key, const struct record_meta *meta,
			 const struct snapshot *s, bool temperature,
			 bool df_passed)
{
	struct hist_bin *b;
	size_t nr, i;

	b = sz_hist(v, meta, s, temperature, df_passed, &nr);
	out_begin_list(o, key);
	for (i = 0; i < nr; i++) {
		out_begin_obj(o, NULL);
		if (temperature) {
			out_i64(o, "min_temperature", b[i].lo);
			out_i64(o, "max_temperature", b[i].hi);
		} else {
			out_u64(o, "min_idle_time_us", (uint64_t)b[i].lo);
			out_u64(o, "max_idle_time_us", (uint64_t)b[i].hi);
		}
		out_u64(o, "size", b[i].sz);
		out_end_obj(o);
	}
	out_end_list(o);
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

struct heat_pixel {
	double start;
	double end;
	double temp;
	bool is_void;
};

/* One pixel [start, start + unit) over @rs (a sorted list of @nr). */
static void heat_pixel(const struct access_view *v,
		       const struct record_meta *meta,
		       const struct snap_region *const *rs, size_t nr,
		       struct heat_pixel *p)
{
	double heat = 0, lo, hi;
	size_t i;

	p->is_void = true;
	for (i = 0; i < nr; i++) {
		if ((double)rs[i]->end <= p->start)
			continue;
		if (p->end <= (double)rs[i]->start)
			break;
		p->is_void = false;
		lo = (double)rs[i]->start > p->start ? (double)rs[i]->start :
			p->start;
		hi = (double)rs[i]->end < p->end ? (double)rs[i]->end : p->end;
		heat += report_region_temperature(meta, rs[i], hi - lo,
						  &v->weights) * (hi - lo);
	}
	p->temp = heat / (p->end - p->start);
}

static void heat_dots(const struct access_view *v, FILE *f,
		      const struct heat_pixel *px, size_t n, double minv,
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
	const struct snap_region **rs;
	struct heat_pixel *px = NULL;
	size_t nr = 0, i, n = 0, cap = 0;
	double total = 0, unit, start, minv = 0, maxv = 0, next;
	char b1[UNITS_BUFSZ], b2[UNITS_BUFSZ], b3[UNITS_BUFSZ];
	bool have = false;

	rs = xreallocarray(NULL, s->nr_regions + 1, sizeof(*rs));
	for (i = 0; i < s->nr_regions; i++) {
		if (df_passed && !s->regions[i].sz_filter_passed)
			continue;
		rs[nr++] = &s->regions[i];
	}
	if (!nr) {
		fprintf(f, "n/a (no region)");
		free(rs);
		return;
	}
	if (v->heatmap_static)
		total = (double)(rs[nr - 1]->end - rs[0]->start);
	else
		for (i = 0; i < nr; i++)
			total += (double)(rs[i]->end - rs[i]->start);
	unit = total / v->heatmap_width;
	start = (double)rs[0]->start;
	while (start < (double)rs[nr - 1]->end) {
		xgrow((void **)&px, n + 1, &cap, sizeof(*px));
		px[n].start = start;
		px[n].end = start + unit;
		heat_pixel(v, meta, rs, nr, &px[n]);
		if (px[n].is_void) {
			for (i = 0; i < nr && (double)rs[i]->start <= px[n].end; i++)
				;
			if (i == nr) {
				n++;
				break;
			}
			next = floor((double)rs[i]->start / unit) * unit;
			if (next <= start)	/* cannot happen in damo's data */
				next = px[n].end;
			px[n++].end = next;
			start = next;
			continue;
		}
		if (!have || px[n].temp < minv)
			minv = px[n].temp;
		if (!have || px[n].temp > maxv)
			maxv = px[n].temp;
		have = true;
		start = px[n++].end;
	}
	heat_dots(v, f, px, n, minv, maxv, unit);
	fprintf(f, "\n# min/max temperatures: %s, %s, column size: %s",
		units_fmt_i64(b1, (int64_t)minv, v->raw),
		units_fmt_i64(b2, (int64_t)maxv, v->raw),
		units_fmt_sz(b3, (uint64_t)unit, v->raw));
	free(px);
	free(rs);
}
