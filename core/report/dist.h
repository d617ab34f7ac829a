/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Distributions of numbers as damo's wss, nr_regions and footprint reports
 * show them: the values (sorted or in time order), their truncated
 * average and the percentiles of a Python range() picked from them.
 */
#ifndef DAMO_CORE_REPORT_DIST_H
#define DAMO_CORE_REPORT_DIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* damo's --range START STOP STEP, a Python range() of percentiles. */
struct report_range {
	long start;
	long stop;
	long step;
};

/* Number of percentiles of @r (Python's len(range(...))). */
size_t report_range_len(const struct report_range *r);

/* The i-th percentile of @r. */
long report_range_at(const struct report_range *r, size_t i);

/* damo's list[min(int(p / 100 * len), len - 1)] for @len (> 0) values. */
size_t report_percentile_idx(long p, size_t len);

struct report_dist {
	uint64_t *v;
	size_t n;
	size_t cap;
};

void report_dist_push(struct report_dist *d, uint64_t v);
void report_dist_release(struct report_dist *d);
/* Sort the values ascending. */
void report_dist_sort(struct report_dist *d);
/* The truncated average (0 without values). */
uint64_t report_dist_avr(const struct report_dist *d);
/* The value at percentile @p; @d must have values. */
uint64_t report_dist_pct(const struct report_dist *d, long p);
/* The largest of the percentiles of @r (a bar chart's full width). */
uint64_t report_dist_pct_max(const struct report_dist *d,
			     const struct report_range *r);

#endif /* DAMO_CORE_REPORT_DIST_H */
