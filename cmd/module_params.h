/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMON module parameters as damo 3.3 sets them: the value of each known
 * parameter checked and converted to the unit the parameter file wants
 * ("30s" for min_age is 30000000 microseconds), and damo's options of
 * "damo module reclaim|lru_sort" (--min_age, --quota, ...) turned into
 * parameter writes.
 */
#ifndef DAMO_CMD_MODULE_PARAMS_H
#define DAMO_CMD_MODULE_PARAMS_H

#include <argp.h>
#include <stdbool.h>
#include <stddef.h>

struct diag;

/* One parameter write: @value owned. */
struct module_write {
	const char *param;
	char *value;
};

/* The writes a command line asks for, in order. */
struct module_writes {
	struct module_write *v;
	size_t nr;
	size_t cap;
	const char *module;	/* "reclaim", "lru_sort", "stat" (borrowed) */
	bool skip_anon;		/* --skip_anon given */
	bool any_option;	/* a damo option was given */
};

/*
 * The argp child of damo's module options (--min_age, --quota, --wmarks,
 * --monitor_intervals, --nr_regions, --monitor_region, --skip_anon,
 * --hot_thres_access_freq, --cold_min_age, each also with hyphens).  Its
 * input is a struct module_writes * whose @module is set.  Values are
 * checked and converted as they are parsed; a bad one is a usage error.
 */
extern const struct argp module_opts_argp;

/*
 * module_param_value() - @value for parameter @param in the unit its file
 * wants: times to microseconds or milliseconds as the name says, sizes
 * and addresses to bytes, ratios to per-mille, booleans to Y or N, counts
 * as numbers.  A parameter this table does not know takes a whole number
 * or Y/N only.  Return: the new string (caller frees), or NULL with the
 * reason in @d.
 */
char *module_param_value(const char *param, const char *value,
			 struct diag *d);

/* Add a write of @value (taken) to @w. */
void module_writes_add(struct module_writes *w, const char *param,
		       char *value);
void module_writes_release(struct module_writes *w);

#endif /* DAMO_CMD_MODULE_PARAMS_H */
