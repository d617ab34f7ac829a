/* SPDX-License-Identifier: GPL-2.0 */
/* Reading and writing DAMON module parameters. */
#include "kdamond/module.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/xalloc.h"
#include "kdamond/sysfs/sysfs.h"

static int cmp_param(const void *a, const void *b)
{
	return strcmp(((const struct module_param *)a)->name,
		      ((const struct module_param *)b)->name);
}

/* Whether damon_<@name> is in this kernel (loaded or built in). */
static bool module_present(const char *root, const char *name)
{
	char *rel = xasprintf("damon_%s", name);
	bool yes = sysfs_exists(root, rel);

	free(rel);
	return yes;
}

long module_read(const char *root, const char *name,
		 struct module_param **params)
{
	char *dir = xasprintf("%s/damon_%s/parameters", root, name);
	char val[SYSFS_VAL_MAX];
	struct dirent *de;
	long nr = 0;
	DIR *d = opendir(dir);

	*params = NULL;
	if (!d) {
		nr = -errno;
		free(dir);
		return nr;
	}
	while ((de = readdir(d))) {
		struct module_param *p;

		if (de->d_name[0] == '.')
			continue;
		*params = xreallocarray(*params, (size_t)nr + 1, sizeof(**params));
		p = &(*params)[nr++];
		p->name = xstrdup(de->d_name);
		p->value = sysfs_read(dir, de->d_name, val, sizeof(val)) ?
			   NULL : xstrdup(val);
	}
	closedir(d);
	free(dir);
	if (nr)
		qsort(*params, (size_t)nr, sizeof(**params), cmp_param);
	return nr;
}

void module_params_free(struct module_param *params, long nr)
{
	long i;

	for (i = 0; i < nr; i++) {
		free(params[i].name);
		free(params[i].value);
	}
	free(params);
}

int module_set(const char *root, const char *name, const char *key,
	       const char *value, struct diag *diag)
{
	char *rel = xasprintf("damon_%s/parameters/%s", name, key);
	int err;

	if (!module_present(root, name)) {
		diag_add(diag, "", "this kernel has no damon_%s module (no '%s/damon_%s'): it needs CONFIG_DAMON_%s",
			 name, root, name, !strcmp(name, "lru_sort") ? "LRU_SORT" :
			 !strcmp(name, "reclaim") ? "RECLAIM" : "STAT");
		free(rel);
		return -ENOENT;
	}
	if (strchr(key, '/') || !sysfs_exists(root, rel)) {
		diag_add(diag, "", "damon_%s has no parameter '%s'", name, key);
		free(rel);
		return -ENOENT;
	}
	err = sysfs_write(root, rel, value, diag);
	free(rel);
	return err;
}
