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

/*
 * struct system_pa_range - one resource of the physical address space
 * with the NUMA node and state of the memory blocks under it.
 * @start, @end:	[start, end)
 * @nid:		its memory block's node
 * @state:		the memory block's state ("online")
 * @name:		the /proc/iomem resource ("System RAM", "Kernel code")
 */
struct system_pa_range {
	uint64_t start;
	uint64_t end;
	long nid;
	char state[16];
	char name[64];
};

/*
 * system_pa_layout() - the resources of /proc/iomem ($DAMO_IOMEM), nested
 * ones included, that memory blocks (under /sys/devices/system, or
 * $DAMO_SYSTEM_ROOT) cover, each with its block's node and state, sorted
 * by start; a resource that runs past a run of blocks (merged by node and
 * state) is split where the run ends.  The way damo's pa_layout sees it.
 * Return: the number of ranges with *@ranges (free()) set, or -errno
 * (-ENOENT: no memory blocks, as without CONFIG_MEMORY_HOTPLUG).
 */
long system_pa_layout(struct system_pa_range **ranges);

#endif /* DAMO_KDAMOND_SYSTEM_H */
