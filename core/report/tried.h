/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tried-regions model: for the regions a DAMOS scheme tried in one
 * snapshot (a scheme record's snapshot, or the kernel's tried_regions),
 * each region's access rate, age and whether it matches the scheme's
 * access pattern (so would get its action, quotas and filters aside),
 * the totals and a histogram of region sizes by powers of two.
 */
#ifndef DAMO_CORE_REPORT_TRIED_H
#define DAMO_CORE_REPORT_TRIED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/damon.h"
#include "core/snapshot.h"

#define TRIED_HIST_BINS 64

/* What is known of the scheme whose tried regions these are. */
struct tried_params {
	const struct damos *scheme;	/* NULL: not known */
	bool has_intervals;
	struct damon_intervals intervals;
};

struct tried_result {
	uint64_t nr_regions;
	uint64_t total_bytes;
	uint64_t sz_filter_passed;
	uint64_t nr_matching;		/* 0 when the scheme is not known */
	uint64_t matching_bytes;
	/* bin i: regions of [2^i, 2^(i+1)) bytes; first > last when none */
	uint64_t hist_nr[TRIED_HIST_BINS];
	uint64_t hist_sz[TRIED_HIST_BINS];
	unsigned int hist_first;
	unsigned int hist_last;
	uint64_t hist_max_sz;		/* the largest hist_sz[] */
};

/* Access samples of @r (0 when not known). */
uint64_t tried_samples(const struct snap_region *r);
/* Access rate of @r in percent of the aggregation's samples. */
uint64_t tried_rate(const struct tried_params *p, const struct snap_region *r);
/* Age of @r in microseconds (0 when not known). */
uint64_t tried_age_us(const struct tried_params *p,
		      const struct snap_region *r);
/* Whether @r is in the scheme's access pattern; false if not known. */
bool tried_matches(const struct tried_params *p, const struct snap_region *r);

/* tried_result_of() - the totals and histogram of snapshot @s into @res. */
void tried_result_of(const struct tried_params *p, const struct snapshot *s,
		     struct tried_result *res);

#endif /* DAMO_CORE_REPORT_TRIED_H */
