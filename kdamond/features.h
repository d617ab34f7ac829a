/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMON feature detection by file existence (docs/kernel-damon.md §7), so that
 * one binary serves every kernel from 5.18 to the newest.
 */
#ifndef DAMO_KDAMOND_FEATURES_H
#define DAMO_KDAMOND_FEATURES_H

#include <stdbool.h>
#include <stddef.h>

struct diag;

enum feature_category {
	FEAT_CAT_INTERFACE,
	FEAT_CAT_OPS,
	FEAT_CAT_FILE,		/* an optional sysfs file or directory */
	FEAT_CAT_ACTION,
	FEAT_CAT_FILTER_TYPE,
	FEAT_CAT_GOAL_METRIC,
	FEAT_CAT_COMMAND,	/* a keyword of kdamonds/<K>/state */
	FEAT_CAT_TRACEPOINT,
	FEAT_CAT_MODULE,
	NR_FEAT_CATS,
};

enum feature_state {
	FEAT_UNKNOWN,		/* nothing to look at */
	FEAT_NO,		/* looked where it would be: absent */
	FEAT_YES,		/* seen */
	FEAT_INFERRED,		/* a feature of a later kernel was seen */
	FEAT_INFERRED_NO,	/* a feature of an earlier kernel is absent */
};

struct feature_def {
	const char *name;
	enum feature_category cat;
	/* "6.18"; "mm" for features only in the mm tree at time of writing */
	const char *since;
	const char *desc;
	/*
	 * FEAT_CAT_FILE: path relative to a kdamond dir, with C (context),
	 * T (target), S (scheme), G (goal), F (filter, in filters/,
	 * core_filters/ or ops_filters/) standing for an existing index;
	 * FEAT_CAT_OPS/TRACEPOINT/MODULE: the keyword, event or module name.
	 */
	const char *probe;
};

struct feature {
	const struct feature_def *def;
	enum feature_state state;
	char *evidence;		/* what was looked at, owned */
};

struct features {
	struct feature *v;
	size_t nr;
	char *kernel;		/* uname release, owned */
	bool sysfs;		/* the DAMON sysfs interface exists */
	/*
	 * -errno of reading nr_kdamonds when the interface is there but
	 * cannot be read (-EACCES: DAMON's files are root's); 0 otherwise
	 */
	int sysfs_err;
	bool temporary;		/* a temporary kdamond was created and removed */
	size_t nr_kdamonds;	/* kdamonds that were read */
};

struct features_roots {
	const char *sysfs;	/* DAMON admin dir */
	const char *tracefs;	/* tracing root (events/damon/...) */
	const char *modules;	/* /sys/module */
};

/*
 * features_detect() - find out what the kernel under @roots supports.
 * It reads the existing kdamond trees.  Only when @may_create is set and no
 * kdamond exists at all does it create a temporary one (nr_kdamonds 1, one
 * of every child), look at it and remove it again (nr_kdamonds 0); it never
 * writes while any kdamond exists.  Problems with the temporary kdamond are
 * added to @diag as warnings; detection goes on with what could be read.
 * Return: 0, or -ENOENT when there is no DAMON sysfs interface (@f is still
 * filled, with every file feature unknown), or the -errno of an interface
 * that is there but cannot be read (-EACCES for a user who is not root;
 * an error and a hint in @diag, @f->sysfs_err set).
 */
int features_detect(const struct features_roots *roots, bool may_create,
		    struct features *f, struct diag *diag);
void features_release(struct features *f);

/* Whether feature @name is known to be there (seen or inferred). */
bool features_has(const struct features *f, const char *name);
/*
 * features_absent() - whether feature @name is known to be missing (seen
 * or inferred absent); an undetermined feature is not.  For decisions
 * that must not refuse what may well be there.
 */
bool features_absent(const struct features *f, const char *name);

const char *feature_category_name(enum feature_category cat);
const char *feature_state_name(enum feature_state state);

#endif /* DAMO_KDAMOND_FEATURES_H */
