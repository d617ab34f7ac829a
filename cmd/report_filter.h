/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What damo derives from a recorded region (access rate, age in time,
 * temperature, idle time; damo-compat.md §4.1) and the record filters
 * that report access, adjust and wss share (--sz-region, --access-rate,
 * --age, --address, --sz-snapshot, --snapshot-time, --snapshot-idx,
 * --temperature), as an argp child.
 */
#ifndef DAMO_CMD_REPORT_FILTER_H
#define DAMO_CMD_REPORT_FILTER_H

#include <argp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct record_meta;
struct snap_region;
struct snapshot;

#define REPORT_MAX_ADDR_RANGES 16

/* damo's --temperature_weights SIZE ACCESS_RATE AGE, default 0 100 100. */
struct report_weights {
	int64_t sz;
	int64_t rate;
	int64_t age;
};

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

/*
 * The filter options.  Its input is a struct report_filter: a parent sets
 * it in its ARGP_KEY_INIT (state->child_inputs[i]).
 */
extern const struct argp report_filter_argp;

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

#endif /* DAMO_CMD_REPORT_FILTER_H */
