/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The embedded monitor: DAMON's monitoring loop in user space
 * (docs/kernel-damon.md §4 and §6) over an access source, with the DAMOS engine
 * (§5), in virtual or real time.  Deterministic for a seed.
 */
#ifndef DAMO_CORE_MONITOR_H
#define DAMO_CORE_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/access_source.h"
#include "core/damon.h"
#include "core/damos_engine.h"
#include "core/mon_rand.h"
#include "core/monitor_regions.h"

struct mon_clock;
struct monitor;

/* The kernel's struct damon_attrs. */
struct mon_attrs {
	uint64_t sample_us;
	uint64_t aggr_us;
	uint64_t ops_update_us;
	struct damon_intervals_goal goal;
	uint64_t min_nr_regions;
	uint64_t max_nr_regions;
	uint64_t aggr_samples;		/* aggr / sample, tuning keeps */
};

/*
 * Callbacks; any may be NULL.  They run on the monitor's thread, inside
 * monitor_step().
 */
struct monitor_hooks {
	void *data;
	/*
	 * At every aggregation boundary, after merge, schemes and tuning and
	 * before the counters reset (where damon_aggregated is traced):
	 * mon->targets[ti].regions hold the finished aggregation, which
	 * started at mon->aggr_start_ns and ends now.
	 */
	void (*aggregated)(void *data, const struct monitor *mon);
	/* Each iteration where kdamond serves damon_call() requests: may
	 * change attrs with monitor_set_attrs() or request a walk. */
	void (*call)(void *data, struct monitor *mon);
	/* damon_monitor_intervals_tune */
	void (*intervals_tuned)(void *data, const struct monitor *mon,
				uint64_t sample_us);
	/* damos_before_apply */
	void (*before_apply)(void *data, size_t si, size_t ti,
			     const struct mon_region *r);
	/* damos_esz: a window reset changed scheme @si's effective quota */
	void (*esz_changed)(void *data, size_t si, uint64_t esz);
};

struct monitor_setup {
	const struct damon_ctx *ctx;	/* copied */
	struct mon_clock *clock;	/* borrowed */
	struct access_source *source;	/* borrowed */
	struct damos_actions *actions;	/* borrowed; NULL: no-op */
	struct damos_metrics *metrics;	/* borrowed; NULL: all 0 */
	uint64_t seed;
	struct monitor_hooks hooks;
};

/*
 * Every field is readable by callers (recording, status, tests); change
 * them only through the functions below.
 */
struct monitor {
	struct mon_attrs attrs;
	uint64_t min_sz_region;
	uint64_t psi;			/* passed sample intervals */
	uint64_t next_aggregation_sis;
	uint64_t next_ops_update_sis;
	uint64_t next_intervals_tune_sis;
	struct mon_target *targets;
	size_t nr_targets;
	uint64_t sz_limit;
	uint32_t last_nr_regions;	/* split state (kernel: a static) */
	uint64_t nr_aggregations;
	uint64_t aggr_start_ns;
	uint64_t nr_bp_fixups;		/* kernel: nr_accesses_bp WARN */
	bool stop_requested;
	bool stopped;
	struct mon_clock *clock;
	struct access_source *src;
	struct mon_rand rand;
	struct mon_ranges ranges;	/* scratch for init/update_regions */
	uint64_t *addrs;		/* scratch for prepare/check */
	bool *accessed;
	size_t sample_cap;
	struct damos_engine damos;
	struct monitor_hooks hooks;
};

/*
 * monitor_init() - build a monitor from @setup (kdamond_init_ctx() and
 * ops.init: user regions aligned, or the source's initial ranges split
 * evenly).  Returns 0, or -EINVAL for attrs the kernel refuses (min_nr <
 * 3, min > max, sample > aggr, an intervals goal not bracketing sample).
 */
int monitor_init(struct monitor *mon, const struct monitor_setup *setup);
/* Cancels a pending walk; accepts a released monitor. */
void monitor_release(struct monitor *mon);

enum monitor_step_flags {
	MONITOR_SAMPLED = 1 << 0,	/* one sampling interval passed */
	MONITOR_AGGREGATED = 1 << 1,	/* ... ending an aggregation */
	MONITOR_PAUSED = 1 << 2,	/* watermarks: slept instead */
	MONITOR_STOPPED = 1 << 3,	/* stop requested or no valid target */
};

/* monitor_step() - one iteration of kdamond_fn()'s loop; returns flags. */
unsigned int monitor_step(struct monitor *mon);
/*
 * monitor_run() - step until stopped, @nr_aggregations more aggregations
 * (0: no limit) or the clock reaches @until_ns (0: no limit).  Returns the
 * last step's flags.
 */
unsigned int monitor_run(struct monitor *mon, uint64_t nr_aggregations,
			 uint64_t until_ns);
void monitor_request_stop(struct monitor *mon);

/*
 * monitor_set_attrs() - damon_set_attrs() (§4.8): validate, re-base the
 * deadlines on psi, rescale every region's counters and age.  Returns 0
 * or -EINVAL (nothing changed).  aggr_samples 0 means aggr / sample.
 */
int monitor_set_attrs(struct monitor *mon, const struct mon_attrs *attrs);

/* damon_max_nr_accesses(): aggr / sample, capped at UINT32_MAX, >= 1. */
uint32_t mon_attrs_max_nr_accesses(const struct mon_attrs *a);
/* Total regions over all targets. */
size_t monitor_nr_regions(const struct monitor *mon);

/*
 * monitor_intervals_adaptation_bp() - §6's adapt_bp for the current
 * regions (exported for hand-worked tests); 10000 means no change.
 */
uint64_t monitor_intervals_adaptation_bp(const struct monitor *mon);

#endif /* DAMO_CORE_MONITOR_H */
