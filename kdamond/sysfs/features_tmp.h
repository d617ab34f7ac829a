/* SPDX-License-Identifier: GPL-2.0 */
/* The temporary kdamond that feature detection may create on an idle DAMON. */
#ifndef DAMO_KDAMOND_SYSFS_FEATURES_TMP_H
#define DAMO_KDAMOND_SYSFS_FEATURES_TMP_H

#include <stdbool.h>

struct diag;

/*
 * features_tmp_create() - with no kdamond in @root, create kdamond 0 with one
 * of every child (context, target, region, scheme, goal, filters, dest,
 * probe) so that their files can be looked at.  The caller must have seen
 * nr_kdamonds read 0.  Problems are added to @diag.
 * Return: whether kdamond 0 now exists; when false nothing is left behind.
 */
bool features_tmp_create(const char *root, struct diag *diag);

/* Remove what features_tmp_create() made (nr_kdamonds 0). */
void features_tmp_remove(const char *root, struct diag *diag);

#endif /* DAMO_KDAMOND_SYSFS_FEATURES_TMP_H */
