/* SPDX-License-Identifier: GPL-2.0 */
/* The access distributions of one snapshot. */
#include "access_dist.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/snapshot.h"
#include "core/units.h"
#include "core/xalloc.h"

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
static int64_t metric_of(const struct access_dist_params *v,
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
static struct metric_idx *sorted_metrics(const struct access_dist_params *v,
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

size_t access_dist_percentiles(const struct access_dist_params *v,
			       const struct record_meta *meta,
			       const struct snapshot *s, bool temperature,
			       bool df_passed, long *pct, int64_t *val)
{
	struct metric_idx *m = sorted_metrics(v, meta, s, temperature);
	double total = 0, cum = 0;
	size_t i, next = 0, n = 0;
	int64_t last = 0;

	if (!s->nr_regions) {
		free(m);
		return 0;
	}
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
	free(m);
	return n;
}

/* The ranges of the histogram (damo's get_hist_ranges); caller frees. */
static struct access_hist_bin *hist_bins(const struct access_dist_params *v,
				  int64_t minv, int64_t maxv,
				  bool temperature, size_t *nr)
{
	struct access_hist_bin *b = NULL;
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

struct access_hist_bin *access_dist_hist(const struct access_dist_params *v,
					 const struct record_meta *meta,
					 const struct snapshot *s,
					 bool temperature, bool df_passed,
					 size_t *nr)
{
	struct metric_idx *m;
	struct access_hist_bin *b;
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

/* One pixel [start, start + unit) over @rs (a sorted list of @nr). */
static void heat_pixel(const struct access_dist_params *v,
		       const struct record_meta *meta,
		       const struct snap_region *const *rs, size_t nr,
		       struct access_heat_pixel *p)
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

bool access_dist_heat(const struct access_dist_params *v,
		      const struct record_meta *meta, const struct snapshot *s,
		      bool df_passed, struct access_heat *h)
{
	const struct snap_region **rs;
	struct access_heat_pixel *px = NULL;
	size_t nr = 0, i, n = 0, cap = 0;
	double total = 0, unit, start, minv = 0, maxv = 0, next;
	bool have = false;

	memset(h, 0, sizeof(*h));
	rs = xreallocarray(NULL, s->nr_regions + 1, sizeof(*rs));
	for (i = 0; i < s->nr_regions; i++) {
		if (df_passed && !s->regions[i].sz_filter_passed)
			continue;
		rs[nr++] = &s->regions[i];
	}
	if (!nr) {
		free(rs);
		return false;
	}
	if (v->heatmap_static)
		total = (double)(rs[nr - 1]->end - rs[0]->start);
	else
		for (i = 0; i < nr; i++)
			total += (double)(rs[i]->end - rs[i]->start);
	unit = total / v->heatmap_width;
	start = (double)rs[0]->start;
	while (start < (double)rs[nr - 1]->end) {
		xgrow((void **)&px, n, &cap, sizeof(*px));
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
	free(rs);
	h->px = px;
	h->nr = n;
	h->min_temp = minv;
	h->max_temp = maxv;
	h->unit = unit;
	return true;
}

void access_heat_release(struct access_heat *h)
{
	free(h->px);
	memset(h, 0, sizeof(*h));
}
