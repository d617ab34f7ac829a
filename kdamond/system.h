/* SPDX-License-Identifier: GPL-2.0 */
/* What damo reads of the system besides DAMON: physical memory layout. */
#ifndef DAMO_KDAMOND_SYSTEM_H
#define DAMO_KDAMOND_SYSTEM_H

#include <stdint.h>

/*
 * system_largest_ram() - [start, end) of the largest "System RAM" range of
 * /proc/iomem ($DAMO_IOMEM overrides the path, for tests), the default
 * region of paddr monitoring (docs/kernel-damon.md §4.6).  Return 0 or -errno
 * (-ENOENT: no System RAM line; addresses read as 0 without privilege).
 */
int system_largest_ram(uint64_t *start, uint64_t *end);

struct damon_target;

/*
 * system_node_regions() - append to @t the physical address ranges of NUMA
 * node @nid: its memory blocks under /sys/devices/system
 * ($DAMO_SYSTEM_ROOT overrides, for tests), adjacent blocks merged, in
 * address order after what @t holds.  Return 0 or -errno (-ENOENT: no
 * such node or no memory in it).
 */
int system_node_regions(long nid, struct damon_target *t);

#endif /* DAMO_KDAMOND_SYSTEM_H */
