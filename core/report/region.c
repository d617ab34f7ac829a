/* SPDX-License-Identifier: GPL-2.0 */
/* Region metrics as damo computes them. */
#include "region.h"

#include "core/snapshot.h"

uint64_t report_region_percent(const struct record_meta *meta,
			       const struct snap_region *r)
{
	double max_samples;

	if (!meta->has_intervals || !meta->intervals.sample_us ||
	    r->nr_accesses == SNAP_NONE)
		return 0;
	max_samples = (double)meta->intervals.aggr_us /
		      (double)meta->intervals.sample_us;
	return (uint64_t)((double)r->nr_accesses * 100.0 / max_samples);
}

uint64_t report_region_age_us(const struct record_meta *meta,
			      const struct snap_region *r)
{
	if (!meta->has_intervals || r->age == SNAP_NONE)
		return 0;
	return r->age * meta->intervals.aggr_us;
}

double report_region_temperature(const struct record_meta *meta,
				 const struct snap_region *r, double sz,
				 const struct report_weights *w)
{
	uint64_t pct = report_region_percent(meta, r);
	double t;

	t = sz * (double)w->sz + (double)pct * (double)w->rate +
	    (double)report_region_age_us(meta, r) * (double)w->age;
	return pct ? t : -t;
}

uint64_t report_region_idle_us(const struct record_meta *meta,
			       const struct snap_region *r, uint64_t aggr_us)
{
	if (report_region_percent(meta, r))
		return 0;
	return report_region_age_us(meta, r) + aggr_us;
}
