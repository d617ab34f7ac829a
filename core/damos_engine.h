/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The DAMOS engine of the embedded monitor (docs/kernel-damon.md §5): pattern
 * matching, quotas with goals and prioritisation, resume after exhaustion,
 * core and ops filters, watermarks, stats and tried regions.  Actions and
 * system metrics come through the two interfaces below.
 */
#ifndef DAMO_CORE_DAMOS_ENGINE_H
#define DAMO_CORE_DAMOS_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/damon.h"

struct monitor;
struct mon_region;
struct damos_actions;
struct damos_metrics;

#define DAMOS_MAX_SCORE 99

/*
 * The action interface (the kernel's ops apply_scheme and ops filters).
 * Embed struct damos_actions as the first member of an implementation.
 */
struct damos_actions_ops {
	/*
	 * apply() - apply scheme @si's action (@s) to [start, end) of target
	 * @ti and return the bytes it was applied to (vaddr madvise: the
	 * length on success, else 0; stat: 0).  The engine may call it more
	 * than once per region when ops filters cut the region.
	 */
	uint64_t (*apply)(struct damos_actions *a, size_t ti, uint64_t start,
			  uint64_t end, const struct damos *s, size_t si);
	/*
	 * filter_match() - whether the memory of target @ti at @addr matches
	 * ops filter @f (anon, memcg, young, hugepage_size, unmapped, active;
	 * young should also clear the accessed state).  Set *run to how many
	 * bytes from @addr, at most end - addr, share the answer (a page, a
	 * folio, a whole mapping); 0 means all of them.  NULL: nothing ever
	 * matches.
	 */
	bool (*filter_match)(struct damos_actions *a, size_t ti, uint64_t addr,
			     uint64_t end, const struct damos_filter *f,
			     uint64_t *run);
};

struct damos_actions {
	const struct damos_actions_ops *ops;
	/*
	 * Bit (1 << action) set: that action honours ops filters and reports
	 * sz_ops_filter_passed.  paddr: all; vaddr (6.18): migrate_hot,
	 * migrate_cold and stat only (DAMOS_ACTIONS_VADDR_OPS_FILTERED).
	 */
	uint32_t ops_filter_actions;
};

#define DAMOS_ACTIONS_VADDR_OPS_FILTERED \
	((1u << DAMOS_MIGRATE_HOT) | (1u << DAMOS_MIGRATE_COLD) | \
	 (1u << DAMOS_STAT))
#define DAMOS_ACTIONS_ALL_OPS_FILTERED ((1u << NR_DAMOS_ACTIONS) - 1)

/*
 * System metrics for quota goals and watermarks.  Each returns 0 or -errno
 * (a failed read counts as 0, and leaves a watermark's state alone).  The
 * /proc and /sys readers live outside core/; damos_fake_metrics is the
 * settable one for tests.
 */
struct damos_metrics_ops {
	/* system-wide "some" memory stall total, µs (PSI) */
	int (*psi_some_mem_total_us)(struct damos_metrics *m, uint64_t *us);
	/*
	 * current value of goal @g for every metric but user_input and
	 * some_mem_psi_us (node_mem_*_bp, node_memcg_*_bp, *_mem_bp, ...)
	 */
	int (*goal_value)(struct damos_metrics *m,
			  const struct damos_quota_goal *g, uint64_t *value);
	/* free memory per-mille of total RAM */
	int (*free_mem_rate)(struct damos_metrics *m, uint64_t *permil);
};

struct damos_metrics {
	const struct damos_metrics_ops *ops;
};

/* A settable metrics provider: values are whatever the test put there. */
struct damos_fake_metrics {
	struct damos_metrics base;
	uint64_t psi_some_mem_total_us;
	uint64_t goal_value[NR_DAMOS_QGOAL_METRICS];
	uint64_t free_mem_rate_permil;
	int err;			/* returned by every read when set */
};

void damos_fake_metrics_init(struct damos_fake_metrics *m);

/* Quota internals (kernel struct damos_quota private fields). */
struct damos_quota_state {
	uint64_t esz;			/* effective size quota, 0: none */
	uint64_t esz_bp;
	uint64_t total_charged_sz;
	uint64_t total_charged_ns;
	uint64_t charged_sz;		/* in this window */
	uint64_t charged_from_ns;
	bool window_started;
	size_t charge_target_from;	/* resume point; SIZE_MAX: none */
	uint64_t charge_addr_from;
	unsigned int min_score;
};

struct damos_goal_state {
	uint64_t current_value;
	uint64_t last_psi_total;
};

struct damos_scheme_state {
	struct damos s;			/* deep copy of the config */
	/* access pattern in the kernel's units: samples, aggr intervals */
	uint64_t min_sz, max_sz;
	uint64_t min_nr, max_nr;
	uint64_t min_age, max_age;
	size_t nr_core_filters;		/* indexes into s.filters */
	size_t *core_filters;
	size_t nr_ops_filters;
	size_t *ops_filters;
	bool core_default_reject;
	bool ops_default_reject;
	bool core_allowed;		/* per-region scratch */
	uint64_t next_apply_sis;
	struct damos_quota_state quota;
	struct damos_goal_state *goals;	/* one per s.quota.goals */
	bool wmark_activated;
	bool walk_completed;
	struct damos_stats stats;
};

/*
 * A tried-regions request: region() is called for each region a scheme
 * tried during its next complete apply interval (nr_accesses as
 * nr_accesses_bp / 10000, age before the action reset it); done() once
 * every scheme finished one, or with @canceled when the monitor paused on
 * watermarks or stopped.
 */
struct damos_walk {
	void *data;
	void (*region)(void *data, size_t si, size_t ti,
		       const struct mon_region *r, uint64_t sz_filter_passed);
	void (*done)(void *data, bool canceled);
};

struct damos_engine {
	struct damos_scheme_state *schemes;
	size_t nr_schemes;
	struct damos_actions *actions;	/* borrowed, may be NULL */
	struct damos_metrics *metrics;	/* borrowed, may be NULL */
	uint64_t hist[DAMOS_MAX_SCORE + 1];
	struct damos_walk walk;
	bool walk_pending;
};

/*
 * damos_engine_init() - copy @ctx's schemes and convert their patterns to
 * samples and aggregation intervals with @ctx's intervals (as damo does at
 * commit).  @actions and @metrics are borrowed.
 */
void damos_engine_init(struct damos_engine *e, const struct damon_ctx *ctx,
		       struct damos_actions *actions,
		       struct damos_metrics *metrics);
void damos_engine_release(struct damos_engine *e);
/* kdamond_init_ctx() part: first next_apply_sis, filter default rules. */
void damos_engine_start(struct damos_engine *e, const struct monitor *mon);
/* Re-base next_apply_sis after an intervals change (damon_set_attrs()). */
void damos_engine_rebase(struct damos_engine *e, const struct monitor *mon);
/*
 * damos_engine_wmark_wait_us() - update every scheme's watermark state and
 * return the minimum wait; non-zero means monitoring pauses that long.
 */
uint64_t damos_engine_wmark_wait_us(struct damos_engine *e);
/* kdamond_apply_schemes(): one sampling iteration's worth of DAMOS. */
void damos_engine_apply(struct damos_engine *e, struct monitor *mon);

/* Start a tried-regions walk; -EBUSY if one is pending, -EINVAL if none. */
int damos_engine_walk(struct damos_engine *e, const struct damos_walk *w);
void damos_engine_walk_cancel(struct damos_engine *e);
/* Set a user_input goal's current value (commit_schemes_quota_goals). */
int damos_engine_set_goal_current(struct damos_engine *e, size_t si,
				  size_t gi, uint64_t value);

/*
 * Pure pieces of §5 and §6, exported for the tests and the tuner.
 *
 * damon_feed_loop_next() - damon_feed_loop_next_input(): the next input
 * for a score (10000 = on goal), never below 10000.
 */
uint64_t damon_feed_loop_next(uint64_t last, uint64_t score);
/*
 * damon_hot_score() - hotness 0..99 of a region from raw @nr_accesses and
 * @age with the quota weights (ops-common damon_hot_score()).
 */
unsigned int damon_hot_score(uint32_t nr_accesses, uint32_t age,
			     uint32_t max_nr_accesses, uint64_t aggr_us,
			     uint64_t weight_nr, uint64_t weight_age);
/* Score of a region for @action: hot, cold (99 - hot) or 99. */
unsigned int damos_action_score(enum damos_action action, unsigned int hot);
/*
 * damos_wmark_wait() - damos_wmark_wait_us() for a metric value @m: update
 * *@activated and return the wait in µs (0: active).
 */
uint64_t damos_wmark_wait(const struct damos_watermarks *w, bool *activated,
			  uint64_t m);

#endif /* DAMO_CORE_DAMOS_ENGINE_H */
