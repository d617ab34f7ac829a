/* SPDX-License-Identifier: GPL-2.0 */
/* Value distributions: average and Python-range percentiles. */
#include "dist.h"

#include <stdlib.h>

#include "core/xalloc.h"

size_t report_range_len(const struct report_range *r)
{
	if (r->step > 0 && r->start < r->stop)
		return (size_t)((r->stop - r->start - 1) / r->step + 1);
	if (r->step < 0 && r->start > r->stop)
		return (size_t)((r->start - r->stop - 1) / -r->step + 1);
	return 0;
}

long report_range_at(const struct report_range *r, size_t i)
{
	return r->start + (long)i * r->step;
}

size_t report_percentile_idx(long p, size_t len)
{
	/* float math as damo's int(p / 100 * len), then clamped */
	double x = (double)p / 100.0 * (double)len;
	long long i = (long long)x;

	if (i < 0)
		i += (long long)len;	/* Python's negative index */
	if (i < 0)
		i = 0;
	if ((size_t)i > len - 1)
		i = (long long)len - 1;
	return (size_t)i;
}

void report_dist_push(struct report_dist *d, uint64_t v)
{
	xgrow((void **)&d->v, d->n, &d->cap, sizeof(*d->v));
	d->v[d->n++] = v;
}

void report_dist_release(struct report_dist *d)
{
	free(d->v);
	d->v = NULL;
	d->n = 0;
	d->cap = 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void report_dist_sort(struct report_dist *d)
{
	if (d->n)
		qsort(d->v, d->n, sizeof(*d->v), cmp_u64);
}

uint64_t report_dist_avr(const struct report_dist *d)
{
	double sum = 0;
	size_t i;

	if (!d->n)
		return 0;
	for (i = 0; i < d->n; i++)
		sum += (double)d->v[i];
	return (uint64_t)(sum / (double)d->n);
}

uint64_t report_dist_pct(const struct report_dist *d, long p)
{
	return d->v[report_percentile_idx(p, d->n)];
}

uint64_t report_dist_pct_max(const struct report_dist *d,
			     const struct report_range *r)
{
	uint64_t v, maxv = 0;
	size_t i;

	for (i = 0; d->n && i < report_range_len(r); i++) {
		v = report_dist_pct(d, report_range_at(r, i));
		if (v > maxv)
			maxv = v;
	}
	return maxv;
}
