/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo's record filters (--sz-region, --access-rate, --age, --address,
 * --sz-snapshot, --snapshot-time, --snapshot-idx, --temperature), applied
 * one snapshot at a time by report access, wss and adjust.
 */
#ifndef DAMO_CORE_REPORT_FILTER_H
#define DAMO_CORE_REPORT_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/report/region.h"

struct record_meta;
struct snapshot;

#define REPORT_MAX_ADDR_RANGES 16

struct report_u64_range {
	bool set;
	uint64_t min;
	uint64_t max;
};

struct report_filter {
	struct report_u64_range sz_region;	/* bytes */
	struct report_u64_range access_rate;	/* percent */
	struct report_u64_range age;		/* microseconds */
	struct report_u64_range addr[REPORT_MAX_ADDR_RANGES];
	size_t nr_addr;
	struct report_u64_range sz_snapshot;	/* bytes */
	struct report_u64_range snapshot_time;	/* ns, absolute */
	struct report_u64_range snapshot_idx;	/* inclusive */
	bool has_temperature;
	int64_t min_temperature;
	int64_t max_temperature;
	/* borrowed: the weights --temperature uses */
	const struct report_weights *weights;
};

/* Whether any filter option was given. */
bool report_filter_is_set(const struct report_filter *f);

/*
 * report_filter_snapshot() - apply @f to snapshot @s, the @idx-th of its
 * record @meta: regions not passing are removed from @s (address ranges
 * clip them), in damo's order.  Pattern filters (access rate, age,
 * temperature) apply only to records with intervals.
 * Return: whether the snapshot is kept.
 */
bool report_filter_snapshot(const struct report_filter *f,
			    const struct record_meta *meta, struct snapshot *s,
			    uint64_t idx);

#endif /* DAMO_CORE_REPORT_FILTER_H */
