/* SPDX-License-Identifier: GPL-2.0 */
/* Internals shared by the files that implement cmd/damon_opts.h. */
#ifndef DAMO_CMD_DAMON_OPTS_INTERNAL_H
#define DAMO_CMD_DAMON_OPTS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

struct damon_ctx;
struct damon_opt_occ;
struct damon_opts_args;
struct damos;
struct diag;

/* argp keys of the options; the short ones are their own letter. */
enum damon_opts_key {
	DOPT_REGIONS = 'r',
	DOPT_SAMPLE = 's',
	DOPT_AGGR = 'a',
	DOPT_UPDR = 'u',
	DOPT_MINR = 'n',
	DOPT_MAXR = 'm',
	DOPT_OPS = 0x400,
	DOPT_TARGET_PID,
	DOPT_NUMA_NODE,
	DOPT_INTERVALS,
	DOPT_INTERVALS_GOAL,
	DOPT_AUTOTUNE,
	DOPT_NR_REGIONS,
	DOPT_REFRESH_STAT,
	DOPT_ADDR_UNIT,
	DOPT_PAUSE_CTX,
	DOPT_NR_TARGETS,
	DOPT_NR_CTXS,
	DOPT_NR_SCHEMES,
	DOPT_OBSOLETE_TARGETS,
	DOPT_SCHEME,
	DOPT_SCHEMES,
	/* Per-scheme options, DOPT_DAMOS_ACTION to DOPT_DAMOS_LAST. */
	DOPT_DAMOS_ACTION,
	DOPT_DAMOS_SZ_REGION,
	DOPT_DAMOS_ACCESS_RATE,
	DOPT_DAMOS_AGE,
	DOPT_DAMOS_APPLY_INTERVAL,
	DOPT_DAMOS_QUOTAS,
	DOPT_DAMOS_QUOTA_INTERVAL,
	DOPT_DAMOS_QUOTA_TIME,
	DOPT_DAMOS_QUOTA_SPACE,
	DOPT_DAMOS_QUOTA_WEIGHTS,
	DOPT_DAMOS_QUOTA_GOAL,
	DOPT_DAMOS_NR_QUOTA_GOALS,
	DOPT_DAMOS_QUOTA_GOAL_TUNER,
	DOPT_DAMOS_FAIL_CHARGE,
	DOPT_DAMOS_FILTER,
	DOPT_DAMOS_NR_FILTERS,
	DOPT_DAMOS_WMARKS,
	DOPT_DAMOS_MAX_NR_SNAPSHOTS,
	DOPT_DAMOS_LAST = DOPT_DAMOS_MAX_NR_SNAPSHOTS,
};

/* The GNU long name of @key without the dashes ("damos-age"). */
const char *dopts_name(int key);

/* How many times @key was given, and its @n-th occurrence (or NULL). */
size_t dopts_count(const struct damon_opts_args *a, int key);
const struct damon_opt_occ *dopts_nth(const struct damon_opts_args *a,
				      int key, size_t n);

/* diag_add() with "--<name of @key>" as the path. */
void dopts_err(struct diag *d, int key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Value parsers for option @key: 0, or -EINVAL/-ERANGE with a diag entry
 * quoting @s ("'30 sx' is not a time").  Nothing is written on failure.
 */
int dopts_nr(struct diag *d, int key, const char *s, uint64_t *out);
int dopts_i64(struct diag *d, int key, const char *s, const char *what,
	      int64_t *out);
/* A process id: 1 to the kernel's pid_max - 1, never narrowed. */
int dopts_pid(struct diag *d, int key, const char *s, int64_t *out);
int dopts_size(struct diag *d, int key, const char *s, uint64_t *out);
/* An address: "0x7f00..." or a size. */
int dopts_addr(struct diag *d, int key, const char *s, uint64_t *out);
int dopts_time(struct diag *d, int key, const char *s, uint64_t unit_ns,
	       uint64_t *out);
int dopts_ratio(struct diag *d, int key, const char *s, uint64_t scale,
		uint64_t *out);
/* A percentage where a bare number is percent, returned in bp (1 % = 100). */
int dopts_percent_bp(struct diag *d, int key, const char *s, uint64_t *out);

/*
 * dopts_keywords() - "a, b or c" from @name(0) .. @name(@nr - 1), written
 * into @buf of @size bytes, for messages that list what is accepted.
 */
const char *dopts_keywords(char *buf, size_t size, const char *(*name)(int),
			   int nr);

/* The schemes of --damos-* options, appended to @c (damon_opts_damos.c). */
void dopts_build_schemes(const struct damon_opts_args *a, struct damon_ctx *c,
			 struct diag *d);

/* Parse one scheme's --damos-filter words into @s (damon_opts_filter.c). */
void dopts_build_filters(const struct damon_opt_occ *const *occ, size_t nr,
			 struct damos *s, struct diag *d);

#endif /* DAMO_CMD_DAMON_OPTS_INTERNAL_H */
