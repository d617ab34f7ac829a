/* SPDX-License-Identifier: GPL-2.0 */
/* The regions a DAMOS scheme tried: matching, totals, size histogram. */
#include "tried.h"

#include <string.h>

uint64_t tried_samples(const struct snap_region *r)
{
	return r->nr_accesses == SNAP_NONE ? 0 : r->nr_accesses;
}

uint64_t tried_rate(const struct tried_params *p, const struct snap_region *r)
{
	uint64_t max;

	if (!p->has_intervals || !p->intervals.sample_us)
		return 0;
	max = p->intervals.aggr_us / p->intervals.sample_us;
	return max ? tried_samples(r) * 100 / max : 0;
}

uint64_t tried_age_us(const struct tried_params *p,
		      const struct snap_region *r)
{
	if (!p->has_intervals || r->age == SNAP_NONE)
		return 0;
	return r->age * p->intervals.aggr_us;
}

bool tried_matches(const struct tried_params *p, const struct snap_region *r)
{
	const struct damos_access_pattern *ap;
	uint64_t sz = r->end - r->start, lo, hi;

	if (!p->scheme || !p->has_intervals)
		return false;
	ap = &p->scheme->pattern;
	if (sz < ap->min_sz_bytes || sz > ap->max_sz_bytes)
		return false;
	lo = damos_nr_accesses_to_samples(ap, ap->min_nr_accesses,
					  &p->intervals);
	hi = damos_nr_accesses_to_samples(ap, ap->max_nr_accesses,
					  &p->intervals);
	if (tried_samples(r) < lo || tried_samples(r) > hi)
		return false;
	lo = damos_age_to_aggr_intervals(ap, ap->min_age, &p->intervals);
	hi = damos_age_to_aggr_intervals(ap, ap->max_age, &p->intervals);
	return r->age != SNAP_NONE && r->age >= lo && r->age <= hi;
}

static unsigned int log2_of(uint64_t v)
{
	unsigned int n = 0;

	while (v >>= 1)
		n++;
	return n;
}

void tried_result_of(const struct tried_params *p, const struct snapshot *s,
		     struct tried_result *res)
{
	const struct snap_region *r;
	unsigned int k;
	uint64_t sz;
	size_t i;

	memset(res, 0, sizeof(*res));
	res->hist_first = TRIED_HIST_BINS;
	res->nr_regions = s->nr_regions;
	for (i = 0; i < s->nr_regions; i++) {
		r = &s->regions[i];
		sz = r->end - r->start;
		res->total_bytes += sz;
		res->sz_filter_passed += r->sz_filter_passed;
		if (tried_matches(p, r)) {
			res->nr_matching++;
			res->matching_bytes += sz;
		}
		k = log2_of(sz ? sz : 1);
		res->hist_nr[k]++;
		res->hist_sz[k] += sz;
		if (k < res->hist_first)
			res->hist_first = k;
		if (k > res->hist_last)
			res->hist_last = k;
	}
	for (k = res->hist_first; k <= res->hist_last && k < TRIED_HIST_BINS;
	     k++)
		if (res->hist_sz[k] > res->hist_max_sz)
			res->hist_max_sz = res->hist_sz[k];
}
