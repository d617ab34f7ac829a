/* SPDX-License-Identifier: GPL-2.0 */
/* damo's heatmap binning and Python float repr. */
#include "core/heatmap.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

int heatmap_init(struct heatmap *hm, uint64_t t0, uint64_t t1, uint64_t a0,
		 uint64_t a1, size_t rows, size_t cols)
{
	size_t i;

	memset(hm, 0, sizeof(*hm));
	if (!rows || !cols || t1 <= t0 || a1 <= a0 ||
	    (t1 - t0) / rows == 0 || (a1 - a0) / cols == 0)
		return -EINVAL;
	hm->t0 = t0;
	hm->tu = (t1 - t0) / rows;
	hm->a0 = a0;
	hm->au = (a1 - a0) / cols;
	hm->rows = rows;
	hm->cols = cols;
	hm->heat = xreallocarray(NULL, rows * cols, sizeof(double));
	for (i = 0; i < rows * cols; i++)
		hm->heat[i] = NAN;
	return 0;
}

void heatmap_release(struct heatmap *hm)
{
	free(hm->heat);
	hm->heat = NULL;
}

bool heatmap_span(const struct heatmap *hm, double *lo, double *hi)
{
	size_t i;

	*lo = INFINITY;
	*hi = -INFINITY;
	for (i = 0; i < hm->rows * hm->cols; i++) {
		if (isnan(hm->heat[i]))
			continue;
		*lo = fmin(*lo, hm->heat[i]);
		*hi = fmax(*hi, hm->heat[i]);
	}
	return !isinf(*lo);
}

double heatmap_at(const struct heatmap *hm, size_t row, size_t col)
{
	return hm->heat[row * hm->cols + col];
}

/*
 * Python's int((v - base) / unit): true division, truncated to zero; or
 * rounded down when the map @clip s.
 */
static long long bin_idx(const struct heatmap *hm, uint64_t v, uint64_t base,
			 uint64_t unit)
{
	double d = v >= base ? (double)(v - base) : -(double)(base - v);

	if (hm->clip)
		return (long long)floor(d / (double)unit);
	return (long long)(d / (double)unit);
}

static int64_t min_i64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

static int64_t max_i64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/*
 * One pixel's update, as damo's heat = samples * ot * oa (an exact integer)
 * plus old * (tu * au), over (tu * au), in doubles from there.
 */
static void pixel_add(const struct heatmap *hm, double *px, uint64_t samples,
		      const struct damon_intervals *iv, int64_t ot, int64_t oa)
{
	double pts = (double)((__int128)hm->tu * hm->au), hz;
	__int128 num;

	if (iv && iv->aggr_us) {
		hz = (double)samples * 1000000.0 / (double)iv->aggr_us;
		*px = (hz * (double)ot * (double)oa +
		       (isnan(*px) ? 0 : *px * pts)) / pts;
		return;
	}
	num = (__int128)samples * ot * oa;
	if (isnan(*px))
		*px = (double)num / pts;
	else
		*px = ((double)num + *px * pts) / pts;
}

static void add_region(struct heatmap *hm, const struct snap_region *r,
		       int64_t s_start, int64_t s_end, long long ti0,
		       long long ti1, const struct damon_intervals *iv)
{
	uint64_t samples = r->nr_accesses == SNAP_NONE ? 0 : r->nr_accesses;
	long long ai0 = bin_idx(hm, r->start, hm->a0, hm->au);
	long long ai1 = bin_idx(hm, r->end, hm->a0, hm->au);
	long long i, j;
	int64_t pt, pa, ot, oa;

	for (i = ti0; i <= ti1; i++) {
		if (i < 0 || (size_t)i >= hm->rows)
			continue;
		pt = (int64_t)(hm->t0 + (uint64_t)i * hm->tu);
		ot = min_i64(s_end, pt + (int64_t)hm->tu) - max_i64(s_start, pt);
		for (j = ai0; j <= ai1; j++) {
			if (j < 0 || (size_t)j >= hm->cols)
				continue;
			pa = (int64_t)(hm->a0 + (uint64_t)j * hm->au);
			oa = min_i64((int64_t)r->end, pa + (int64_t)hm->au) -
			     max_i64((int64_t)r->start, pa);
			pixel_add(hm, &hm->heat[(size_t)i * hm->cols + (size_t)j],
				  samples, iv, ot, oa);
		}
	}
}

void heatmap_add(struct heatmap *hm, const struct snapshot *s,
		 const struct damon_intervals *iv)
{
	uint64_t a1 = hm->a0 + hm->au * hm->cols, start, back;
	const struct snap_region *r;
	size_t k;

	for (k = 0; k < s->nr_regions; k++) {
		r = &s->regions[k];
		if (r->end < hm->a0 || r->start > a1)
			continue;
		back = 0;
		if (iv && r->age != SNAP_NONE)
			back = r->age * iv->aggr_us * 1000;
		start = back > s->start_ns ? 0 : s->start_ns - back;
		add_region(hm, r, (int64_t)start, (int64_t)s->end_ns,
			   bin_idx(hm, hm->has_last && start < hm->last_end ?
				   hm->last_end : start, hm->t0, hm->tu),
			   bin_idx(hm, s->end_ns, hm->t0, hm->tu), iv);
	}
	hm->last_end = s->end_ns;
	hm->has_last = true;
}

const char *heatmap_fmt_float(char *buf, double v)
{
	char e[40], digits[20], *p;
	int prec, exp, nd, i, n = 0;

	if (isnan(v))
		return strcpy(buf, "NaN");
	if (isinf(v))
		return strcpy(buf, v < 0 ? "-inf" : "inf");
	if (v == 0)
		return strcpy(buf, signbit(v) ? "-0.0" : "0.0");
	for (prec = 1; prec <= 17; prec++) {
		snprintf(e, sizeof(e), "%.*e", prec - 1, v);
		if (strtod(e, NULL) == v)
			break;
	}
	p = e;
	if (*p == '-')
		buf[n++] = *p++;
	for (nd = 0; *p && *p != 'e'; p++)
		if (*p != '.')
			digits[nd++] = *p;
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	exp = atoi(p + 1);
	if (exp < -4 || exp >= 16) {
		buf[n++] = digits[0];
		if (nd > 1) {
			buf[n++] = '.';
			memcpy(buf + n, digits + 1, (size_t)nd - 1);
			n += nd - 1;
		}
		sprintf(buf + n, "e%c%02d", exp < 0 ? '-' : '+', abs(exp));
		return buf;
	}
	if (exp < 0) {
		n += sprintf(buf + n, "0.");
		for (i = -1; i > exp; i--)
			buf[n++] = '0';
		memcpy(buf + n, digits, (size_t)nd);
		n += nd;
	} else {
		for (i = 0; i <= exp; i++)
			buf[n++] = i < nd ? digits[i] : '0';
		buf[n++] = '.';
		if (nd <= exp + 1)
			buf[n++] = '0';
		for (i = exp + 1; i < nd; i++)
			buf[n++] = digits[i];
	}
	buf[n] = '\0';
	return buf;
}
