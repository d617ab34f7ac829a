/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sampling paced by a CPU budget, for the embedded monitor.  Sampling a
 * page from user space costs microseconds, not the kernel's nanoseconds,
 * and the cost grows with the number of regions: a monitor that starts at
 * DAMON's defaults (5 ms sample, 100 ms aggregation) while it has few
 * regions must slow down as they grow.  The monitor measures its own CPU
 * time per region-sample as it runs; mon_budget_sample_us() turns that into
 * the sampling interval that keeps it within its budget.
 */
#ifndef DAMO_CORE_MON_BUDGET_H
#define DAMO_CORE_MON_BUDGET_H

#include <stdbool.h>
#include <stdint.h>

/* The kernel's default intervals, where a budgeted monitor starts. */
#define MON_BUDGET_MIN_SAMPLE_US 5000ULL
#define MON_BUDGET_MAX_SAMPLE_US 10000000ULL
/* Samples per aggregation, as DAMON's defaults (5 ms / 100 ms). */
#define MON_BUDGET_AGGR_SAMPLES 20ULL
/* The default budget: 1 % of one core, in 1/10000 of a core. */
#define MON_BUDGET_DEFAULT_BP 100U
/* A new interval is taken only when it differs from the current by more. */
#define MON_BUDGET_HYSTERESIS_PCT 25U

/*
 * mon_budget_sample_us() - the sampling interval at which @nr_regions
 * regions, each sample costing @cost_ns of CPU time per region, take
 * @budget_bp ten-thousandths of a core: cost * regions / budget, rounded
 * up to a whole microsecond and kept within [MON_BUDGET_MIN_SAMPLE_US,
 * MON_BUDGET_MAX_SAMPLE_US].  @budget_bp must not be 0.
 */
uint64_t mon_budget_sample_us(uint64_t cost_ns, uint64_t nr_regions,
			      unsigned int budget_bp);

/*
 * mon_budget_cost_ns() - CPU time per region-sample from a measurement:
 * @cpu_ns spent over @nr_samples samples of (on average) @nr_regions
 * regions each; 0 when nothing was sampled.
 */
uint64_t mon_budget_cost_ns(uint64_t cpu_ns, uint64_t nr_samples,
			    uint64_t nr_regions);

/*
 * mon_budget_should_change() - whether @want differs enough from the
 * current @cur (by more than MON_BUDGET_HYSTERESIS_PCT percent of @cur)
 * to change intervals, which re-bases the monitor's counts.
 */
bool mon_budget_should_change(uint64_t cur_us, uint64_t want_us);

#endif /* DAMO_CORE_MON_BUDGET_H */
