/* SPDX-License-Identifier: GPL-2.0 */
/* A temporary kdamond to look at, created only when DAMON is idle. */
#include "kdamond/sysfs/features_tmp.h"

#include <stddef.h>

#include "core/diag.h"
#include "core/xalloc.h"
#include "kdamond/sysfs/sysfs.h"

#define K "kdamonds/0/"
#define C K "contexts/0/"
#define S C "schemes/0/"

/* Count files to set to 1, parents first; absent ones are skipped. */
static const char *const nr_files[] = {
	C "targets/nr_targets",
	C "targets/0/regions/nr_regions",
	C "monitoring_attrs/probes/nr_probes",
	C "monitoring_attrs/probes/0/filters/nr_filters",
	C "schemes/nr_schemes",
	S "quotas/goals/nr_goals",
	S "filters/nr_filters",
	S "core_filters/nr_filters",
	S "ops_filters/nr_filters",
	S "dests/nr_dests",
};

bool features_tmp_create(const char *root, struct diag *diag)
{
	size_t i;

	if (sysfs_write(root, "kdamonds/nr_kdamonds", "1", diag))
		return false;
	if (!sysfs_exists(root, K "contexts/nr_contexts")) {
		diag_add(diag, "", "the kernel did not create '%s/%s' after nr_kdamonds 1",
			 root, K "contexts");
		features_tmp_remove(root, diag);
		return false;
	}
	if (sysfs_write(root, K "contexts/nr_contexts", "1", diag)) {
		features_tmp_remove(root, diag);
		return false;
	}
	for (i = 0; i < ARRAY_SIZE(nr_files); i++)
		if (sysfs_exists(root, nr_files[i]))
			sysfs_write(root, nr_files[i], "1", diag);
	return true;
}

void features_tmp_remove(const char *root, struct diag *diag)
{
	sysfs_write(root, "kdamonds/nr_kdamonds", "0", diag);
}
