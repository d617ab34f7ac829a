/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMON's kernel modules (DAMON_RECLAIM, DAMON_LRU_SORT, DAMON_STAT):
 * their parameters under /sys/module/damon_<name>/parameters.
 */
#ifndef DAMO_KDAMOND_MODULE_H
#define DAMO_KDAMOND_MODULE_H

#include <stdbool.h>
#include <stddef.h>

struct diag;

struct module_param {
	char *name;
	char *value;	/* NULL when unreadable (write-only parameters) */
};

/*
 * module_read() - every parameter of damon_<@name> under @root (the
 * /sys/module directory), sorted by name.  @params is owned by the
 * caller (module_params_free()).  Return the count, or -errno (-ENOENT:
 * the module is not loaded or built in).
 */
long module_read(const char *root, const char *name,
		 struct module_param **params);
void module_params_free(struct module_param *params, long nr);

/*
 * module_set() - write @value to parameter @key of damon_<@name>.  Unknown
 * keys are refused before anything is written.  Return 0 or -errno, with
 * the file, value and error in @diag.
 */
int module_set(const char *root, const char *name, const char *key,
	       const char *value, struct diag *diag);

#endif /* DAMO_KDAMOND_MODULE_H */
