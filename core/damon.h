/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The DAMON configuration model: kdamonds -> contexts -> targets and schemes,
 * with the kernel's nouns and units.  Every file format and every backend
 * speaks this one model.
 *
 * Units: sizes and addresses in bytes (addr_unit units for paddr), *_us in
 * microseconds, *_ms in milliseconds, *_permil in 1/1000, *_bp in 1/10000.
 * "max" is DAMON_MAX (2^64 - 1) wherever the kernel takes an unsigned long.
 */
#ifndef DAMO_CORE_DAMON_H
#define DAMO_CORE_DAMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct diag;

#define DAMON_MAX UINT64_MAX

enum damon_ops {
	DAMON_OPS_VADDR,
	DAMON_OPS_FVADDR,
	DAMON_OPS_PADDR,
	NR_DAMON_OPS,
};

enum damos_action {
	DAMOS_WILLNEED,
	DAMOS_COLD,
	DAMOS_PAGEOUT,
	DAMOS_HUGEPAGE,
	DAMOS_NOHUGEPAGE,
	DAMOS_LRU_PRIO,
	DAMOS_LRU_DEPRIO,
	DAMOS_MIGRATE_HOT,
	DAMOS_MIGRATE_COLD,
	DAMOS_STAT,
	DAMOS_COLLAPSE,
	NR_DAMOS_ACTIONS,
};

enum damos_filter_type {
	DAMOS_FILTER_ANON,
	DAMOS_FILTER_ACTIVE,
	DAMOS_FILTER_MEMCG,
	DAMOS_FILTER_YOUNG,
	DAMOS_FILTER_HUGEPAGE_SIZE,
	DAMOS_FILTER_UNMAPPED,
	DAMOS_FILTER_ADDR,
	DAMOS_FILTER_TARGET,
	NR_DAMOS_FILTER_TYPES,
};

enum damos_quota_goal_metric {
	DAMOS_QGOAL_USER_INPUT,
	DAMOS_QGOAL_SOME_MEM_PSI_US,
	DAMOS_QGOAL_NODE_MEM_USED_BP,
	DAMOS_QGOAL_NODE_MEM_FREE_BP,
	DAMOS_QGOAL_NODE_MEMCG_USED_BP,
	DAMOS_QGOAL_NODE_MEMCG_FREE_BP,
	DAMOS_QGOAL_ACTIVE_MEM_BP,
	DAMOS_QGOAL_INACTIVE_MEM_BP,
	DAMOS_QGOAL_NODE_ELIGIBLE_MEM_BP,
	NR_DAMOS_QGOAL_METRICS,
};

enum damos_goal_tuner {
	DAMOS_GOAL_TUNER_CONSIST,
	DAMOS_GOAL_TUNER_TEMPORAL,
	NR_DAMOS_GOAL_TUNERS,
};

enum damos_wmark_metric {
	DAMOS_WMARK_NONE,
	DAMOS_WMARK_FREE_MEM_RATE,
	NR_DAMOS_WMARK_METRICS,
};

/* Which unit a scheme's nr_accesses / age bounds were given in. */
enum damos_nr_accesses_unit {
	DAMOS_NR_ACCESSES_PERCENT,	/* value in bp of the max (1% = 100) */
	DAMOS_NR_ACCESSES_SAMPLES,	/* value in sampling intervals */
};

enum damos_age_unit {
	DAMOS_AGE_US,			/* value in microseconds */
	DAMOS_AGE_AGGR_INTERVALS,	/* value in aggregation intervals */
};

struct damon_addr_range {
	uint64_t start;
	uint64_t end;
};

struct damon_target {
	bool has_pid;			/* false: "pid: null" (paddr) */
	int64_t pid;
	bool obsolete;			/* 6.19 obsolete_target */
	struct damon_addr_range *regions;
	size_t nr_regions;
};

struct damon_intervals_goal {
	uint64_t access_bp;
	uint64_t aggrs;			/* 0 disables auto-tuning */
	uint64_t min_sample_us;
	uint64_t max_sample_us;
};

struct damon_intervals {
	uint64_t sample_us;
	uint64_t aggr_us;
	uint64_t ops_update_us;
	struct damon_intervals_goal goal;
};

/*
 * A data-attribute filter as used by probes and sample control (7.2+ and
 * damo's experimental sample_control).  Only the fields of its type matter.
 */
struct damon_probe_filter {
	enum damos_filter_type type;
	bool matching;
	bool allow;
	char *path;			/* memcg path, owned */
};

struct damon_probe {
	struct damon_probe_filter *filters;
	size_t nr_filters;
};

struct damos_access_pattern {
	uint64_t min_sz_bytes;
	uint64_t max_sz_bytes;
	enum damos_nr_accesses_unit nr_accesses_unit;
	uint64_t min_nr_accesses;
	uint64_t max_nr_accesses;
	enum damos_age_unit age_unit;
	uint64_t min_age;
	uint64_t max_age;
};

struct damos_quota_goal {
	enum damos_quota_goal_metric metric;
	uint64_t target_value;
	uint64_t current_value;
	bool has_nid;
	int64_t nid;
	char *path;			/* memcg path for node_memcg_*, owned */
};

struct damos_quota {
	uint64_t time_ms;
	uint64_t sz_bytes;
	uint64_t reset_interval_ms;
	uint64_t weight_sz_permil;
	uint64_t weight_nr_accesses_permil;
	uint64_t weight_age_permil;
	struct damos_quota_goal *goals;
	size_t nr_goals;
	enum damos_goal_tuner goal_tuner;
	uint64_t effective_sz_bytes;	/* read-only runtime value */
	uint64_t fail_charge_num;
	uint64_t fail_charge_denom;
};

struct damos_watermarks {
	enum damos_wmark_metric metric;
	uint64_t interval_us;
	uint64_t high_permil;
	uint64_t mid_permil;
	uint64_t low_permil;
};

struct damos_filter {
	enum damos_filter_type type;
	bool matching;
	bool allow;
	char *memcg_path;		/* memcg, owned */
	struct damon_addr_range addr_range;	/* addr */
	uint64_t target_idx;		/* target */
	bool has_hugepage_size;		/* hugepage_size */
	uint64_t min_hugepage_sz;
	uint64_t max_hugepage_sz;
};

struct damos_dest {
	uint64_t id;
	uint64_t weight;
};

/* What a scheme did (docs/kernel-damon.md §5.9): runtime, never configured. */
struct damos_stats {
	uint64_t nr_tried;
	uint64_t sz_tried;
	uint64_t nr_applied;
	uint64_t sz_applied;
	uint64_t sz_ops_filter_passed;
	uint64_t qt_exceeds;
	uint64_t nr_snapshots;
};

/* A region a scheme tried during its last complete apply interval. */
struct damos_tried_region {
	uint64_t start;
	uint64_t end;
	uint64_t nr_accesses;
	uint64_t age;
	uint64_t sz_filter_passed;
};

struct damos {
	enum damos_action action;
	bool has_target_nid;
	int64_t target_nid;
	struct damos_dest *dests;
	size_t nr_dests;
	struct damos_access_pattern pattern;
	uint64_t apply_interval_us;	/* 0: every aggregation interval */
	struct damos_quota quota;
	struct damos_watermarks wmarks;
	struct damos_filter *filters;
	size_t nr_filters;
	uint64_t max_nr_snapshots;	/* 7.0; 0: unlimited */
	/* runtime state, filled by backends that read a running kdamond */
	struct damos_stats stats;
	uint64_t tried_bytes;
	struct damos_tried_region *tried;
	size_t nr_tried;
};

struct damon_ctx {
	enum damon_ops ops;
	uint64_t addr_unit;
	struct damon_target *targets;
	size_t nr_targets;
	struct damon_intervals intervals;
	uint64_t min_nr_regions;
	uint64_t max_nr_regions;
	struct damon_probe *probes;
	size_t nr_probes;
	bool pause;
	struct damos *schemes;
	size_t nr_schemes;
};

struct kdamond {
	bool on;			/* state */
	bool has_pid;
	int64_t pid;
	uint64_t refresh_ms;
	struct damon_ctx *ctxs;
	size_t nr_ctxs;
};

struct damon_config {
	struct kdamond *kdamonds;
	size_t nr_kdamonds;
};

/* Keyword tables; NULL-free, indexed by the enums above. */
const char *damon_ops_name(enum damon_ops ops);
const char *damos_action_name(enum damos_action action);
const char *damos_filter_type_name(enum damos_filter_type type);
const char *damos_qgoal_metric_name(enum damos_quota_goal_metric metric);
const char *damos_goal_tuner_name(enum damos_goal_tuner tuner);
const char *damos_wmark_metric_name(enum damos_wmark_metric metric);

/*
 * damon_*_from_name() - look a keyword up.  Return the enum value, or -1 when
 * @name is not a keyword of that kind.
 */
int damon_ops_from_name(const char *name);
int damos_action_from_name(const char *name);
int damos_filter_type_from_name(const char *name);
int damos_qgoal_metric_from_name(const char *name);
int damos_goal_tuner_from_name(const char *name);
int damos_wmark_metric_from_name(const char *name);

/* Filter types handled by DAMON core (addr, target) rather than the ops. */
bool damos_filter_is_core(enum damos_filter_type type);
/* Goal metrics whose target_value is in basis points / microseconds. */
bool damos_qgoal_is_bp(enum damos_quota_goal_metric metric);
bool damos_qgoal_needs_nid(enum damos_quota_goal_metric metric);
bool damos_qgoal_needs_path(enum damos_quota_goal_metric metric);
/* Whether @action can be applied by @ops (docs/kernel-damon.md §3.1). */
bool damos_action_supported(enum damos_action action, enum damon_ops ops);

/*
 * *_init() fill a struct with the defaults damo uses when a key is absent
 * (docs/damo-compat.md §2.2); *_release() free what it owns and leave it empty.
 * Both accept already-released structs.
 */
void damon_target_init(struct damon_target *t);
void damon_target_release(struct damon_target *t);
void damos_init(struct damos *s);
void damos_release(struct damos *s);
void damon_ctx_init(struct damon_ctx *c);
void damon_ctx_release(struct damon_ctx *c);
void kdamond_init(struct kdamond *k);
void kdamond_release(struct kdamond *k);
void damon_config_init(struct damon_config *cfg);
void damon_config_release(struct damon_config *cfg);

/*
 * *_add() append one element initialised with *_init() and return it.  The
 * array is grown with xreallocarray(); pointers to earlier elements become
 * invalid.
 */
struct kdamond *damon_config_add_kdamond(struct damon_config *cfg);
struct damon_ctx *kdamond_add_ctx(struct kdamond *k);
struct damon_target *damon_ctx_add_target(struct damon_ctx *c);
struct damos *damon_ctx_add_scheme(struct damon_ctx *c);
struct damon_addr_range *damon_target_add_region(struct damon_target *t);
struct damos_filter *damos_add_filter(struct damos *s);
struct damos_quota_goal *damos_add_goal(struct damos *s);
struct damos_dest *damos_add_dest(struct damos *s);
struct damon_probe *damon_ctx_add_probe(struct damon_ctx *c);
struct damon_probe_filter *damon_probe_add_filter(struct damon_probe *p);

/* Deep copies; the destination must be released by the caller. */
void damos_copy(struct damos *dst, const struct damos *src);
/* Replace @c's schemes with copies of @schemes[0..@nr). */
void damon_ctx_set_schemes(struct damon_ctx *c, const struct damos *schemes,
			   size_t nr);
void damon_config_copy(struct damon_config *dst, const struct damon_config *src);

/*
 * damon_config_validate() - check @cfg against the kernel's rules (ranges
 * ordered, regions sorted and non-overlapping, per-ops action support,
 * required fields per filter/goal type, ...).  Every problem is added to
 * @diag with the key path of the offending value (for example
 * "kdamonds[0].contexts[0].nr_regions.min").  Returns the number of problems.
 * With DAMON_VALIDATE_SCHEMES_ONLY the checks that need a context (ops,
 * targets) are skipped: for a scheme list that is not yet placed anywhere;
 * DAMON_VALIDATE_NO_PIDS skips the pid checks of targets.
 */
enum damon_validate_flags {
	DAMON_VALIDATE_SCHEMES_ONLY = 1 << 0,
	/*
	 * The targets are not processes (a synthetic workload of the embedded
	 * monitor): vaddr and fvaddr targets need no pid.
	 */
	DAMON_VALIDATE_NO_PIDS = 1 << 1,
};

size_t damon_config_validate(const struct damon_config *cfg,
			     unsigned int flags, struct diag *diag);

/*
 * The kernel's PID_MAX_LIMIT (2^22 on 64-bit): no process id is this
 * large on any machine.
 */
#define DAMON_PID_LIMIT 4194304

/*
 * damon_pid_max() - this machine's pid_max (/proc/sys/kernel/pid_max, read
 * once), or DAMON_PID_LIMIT when it cannot be read.  Process ids are 1 to
 * damon_pid_max() - 1: anything else names no process and must not be
 * narrowed into a pid_t.
 */
int64_t damon_pid_max(void);

/* damon_pid_valid() - whether @pid can be a process id on this machine. */
bool damon_pid_valid(int64_t pid);

/*
 * Conversions the kernel needs: nr_accesses bounds in samples and age bounds
 * in aggregation intervals, as damo computes them (docs/damo-compat.md §5.1).
 */
uint64_t damos_nr_accesses_to_samples(const struct damos_access_pattern *p,
				      uint64_t value,
				      const struct damon_intervals *iv);
uint64_t damos_age_to_aggr_intervals(const struct damos_access_pattern *p,
				     uint64_t value,
				     const struct damon_intervals *iv);

#endif /* DAMO_CORE_DAMON_H */
