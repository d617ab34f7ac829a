/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The system metrics of the embedded monitor's quota goals and watermarks
 * (docs/kernel-damon.md §3.3, §3.4, §5.4, §5.7), read from /proc, the NUMA node
 * directories in sysfs and the memory cgroup hierarchy, computed as the
 * kernel computes them.  The struct damos_metrics the DAMOS engine calls.
 * See core/sources/README.md, "Metrics".
 */
#ifndef DAMO_CORE_SOURCES_METRICS_H
#define DAMO_CORE_SOURCES_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "core/damon.h"
#include "core/damos_engine.h"

struct diag;

struct sys_metrics {
	struct damos_metrics base;	/* first */
	char *proc_root;		/* "/proc" */
	char *node_root;		/* "/sys/devices/system/node" */
	char *memcg_root;		/* memory cgroup hierarchy; NULL: none */
	bool memcg_v1;			/* numa_stat in pages, not bytes */
	size_t page_sz;
	char err[512];			/* why the last failed read failed */
};

/*
 * sys_metrics_init() - a provider reading under @proc_root (NULL:
 * "/proc"), @sys_root (NULL: $DAMO_SYSTEM_ROOT, else "/sys/devices/system";
 * nodes are @sys_root/node/nodeN) and the memory cgroup hierarchy mounted
 * at @memcg_root (NULL: found in @proc_root/self/mountinfo, cgroup v2 with
 * the memory controller first, then v1's memory hierarchy; none found
 * leaves it NULL and the memcg metrics fail with why).  A hierarchy with
 * cgroup.controllers is v2 (numa_stat in bytes), else v1 (pages).
 */
void sys_metrics_init(struct sys_metrics *m, const char *proc_root,
		      const char *sys_root, const char *memcg_root);
void sys_metrics_release(struct sys_metrics *m);

/*
 * sys_memcg_root() - where the memory cgroup hierarchy is mounted, from
 * @proc_root/self/mountinfo: a cgroup2 mount whose cgroup.controllers has
 * memory, else a cgroup v1 mount with the memory option.  NULL when there
 * is none.  The caller frees the result.
 */
char *sys_memcg_root(const char *proc_root);

/*
 * sys_metrics_goal() - the current value of goal @g as the kernel would
 * compute it now; some_mem_psi_us gives the PSI total (µs) of which the
 * engine takes differences, user_input -EINVAL.  Returns 0, or -errno
 * with the path and why in m->err.  A memcg that disappeared after
 * validation reads as the kernel reads it: used 0 bp, free 10000 bp.
 */
int sys_metrics_goal(struct sys_metrics *m, const struct damos_quota_goal *g,
		     uint64_t *value);
/*
 * sys_metrics_free_mem_rate() - the free_mem_rate watermark metric: free
 * memory per-mille of total RAM (MemFree * 1000 / MemTotal).  Returns 0 or
 * -errno with why in m->err.
 */
int sys_metrics_free_mem_rate(struct sys_metrics *m, uint64_t *permil);

/*
 * sys_metrics_check_scheme() - validate what scheme @s needs from @m: read
 * each goal's metric and the watermark metric once.  Each problem is added
 * to @d (may be NULL) under @path (the scheme's key path, for example
 * "kdamonds[0].contexts[0].schemes[1]") + ".quotas.goals[N]" or
 * ".watermarks", with the file and why.  node_eligible_mem_bp is refused:
 * the kernel defines it for physical address monitoring only.  Returns 0 or
 * the first -errno.
 */
int sys_metrics_check_scheme(struct sys_metrics *m, const struct damos *s,
			     const char *path, struct diag *d);

#endif /* DAMO_CORE_SOURCES_METRICS_H */
