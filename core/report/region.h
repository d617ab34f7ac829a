/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What damo derives from a recorded region: access rate, age in time,
 * temperature and idle time.  Report models and filters share these.
 */
#ifndef DAMO_CORE_REPORT_REGION_H
#define DAMO_CORE_REPORT_REGION_H

#include <stdint.h>

struct record_meta;
struct snap_region;

/* damo's --temperature_weights SIZE ACCESS_RATE AGE, default 0 100 100. */
struct report_weights {
	int64_t sz;
	int64_t rate;
	int64_t age;
};

/* Access rate in percent, damo's int(samples * 100 / max samples). */
uint64_t report_region_percent(const struct record_meta *meta,
			       const struct snap_region *r);
/* Age in microseconds (aggregation intervals times aggr); 0 if unknown. */
uint64_t report_region_age_us(const struct record_meta *meta,
			      const struct snap_region *r);
/*
 * damo's temperature of @r of @sz bytes: sz * w.sz + percent * w.rate +
 * age_us * w.age, negated when the access rate is 0.
 */
double report_region_temperature(const struct record_meta *meta,
				 const struct snap_region *r, double sz,
				 const struct report_weights *w);
/* Idle time in microseconds: 0 if accessed, else age + @aggr_us. */
uint64_t report_region_idle_us(const struct record_meta *meta,
			       const struct snap_region *r, uint64_t aggr_us);

#endif /* DAMO_CORE_REPORT_REGION_H */
