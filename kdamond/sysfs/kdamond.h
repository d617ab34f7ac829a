/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sysfs backend: the model written into admin/kdamonds/<K>/ in the
 * kernel's order, state commands, and the model read back with the runtime
 * state (pid, stats, effective quotas, tuned intervals, tried regions).
 */
#ifndef DAMO_KDAMOND_SYSFS_KDAMOND_H
#define DAMO_KDAMOND_SYSFS_KDAMOND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct damon_config;
struct diag;
struct features;
struct kdamond;

/* One run's access to a DAMON sysfs tree. */
struct kdamond_io {
	const char *root;		/* admin directory */
	const char *modules;		/* /sys/module, for DAMON_STAT hints */
	const struct features *feat;	/* what the kernel has */
	struct diag *diag;		/* problems, with file, value, error */
	FILE *trace;			/* if set: "write PATH VALUE" per write */
};

/*
 * kdamond_check_features() - refuse every part of @cfg the kernel under
 * @io cannot take, naming the feature and the kernel that brought it
 * ("quotas.goal_tuner needs Linux 7.1 (schemes_quota_goal_tuner)").
 * Features that could not be determined are let through (the write will
 * tell).  Return: the number of problems added to io->diag.
 */
size_t kdamond_check_features(const struct kdamond_io *io,
			      const struct damon_config *cfg);

/*
 * kdamond_stage() - write @k into kdamonds/<@idx>/ (which must exist),
 * writing each nr_* file before its children and only when the count
 * differs, optional files only where they exist.
 * Return: 0 or -errno (the failing write is in io->diag).
 */
int kdamond_stage(const struct kdamond_io *io, unsigned long idx,
		  const struct kdamond *k);

/* The number of kdamond directories, or -errno. */
long kdamond_nr(const struct kdamond_io *io);
/* Write nr_kdamonds (recreates every kdamond directory). */
int kdamond_set_nr(const struct kdamond_io *io, unsigned long nr);

/* Whether kdamond @idx reads "on". */
bool kdamond_is_on(const struct kdamond_io *io, unsigned long idx);
/* The kdamond thread's pid, or -1. */
long kdamond_pid(const struct kdamond_io *io, unsigned long idx);

/*
 * kdamond_cmd() - write a state command ("on", "off", "commit",
 * "update_schemes_stats", ...) to kdamonds/<@idx>/state.  EBUSY from the
 * kernel's try-locked mutex is retried a few times with backoff.
 */
int kdamond_cmd(const struct kdamond_io *io, unsigned long idx,
		const char *cmd);

/*
 * kdamond_turn_on() / kdamond_turn_off() - write on/off and wait (up to
 * @timeout_ms) until the state file says so.  A refused "on" gets a hint
 * where one helps (DAMON_STAT holding DAMON, a memcg path that does not
 * exist).  Return: 0, -errno, or -ETIMEDOUT.
 */
int kdamond_turn_on(const struct kdamond_io *io, unsigned long idx,
		    unsigned int timeout_ms);
int kdamond_turn_off(const struct kdamond_io *io, unsigned long idx,
		     unsigned int timeout_ms);

/*
 * kdamond_read() - read kdamonds/<@idx>/ into @k (initialised by the
 * caller): parameters as the kernel holds them (nr_accesses in samples,
 * age in aggregation intervals), state, pid and per-scheme stats,
 * effective quota and tried regions as last refreshed.
 */
int kdamond_read(const struct kdamond_io *io, unsigned long idx,
		 struct kdamond *k);

#endif /* DAMO_KDAMOND_SYSFS_KDAMOND_H */
