/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMOS actions of the embedded monitor applied from outside the target
 * processes with process_madvise(2) on a pidfd: cold, pageout, willneed
 * and collapse; stat needs nothing.  The struct damos_actions the DAMOS
 * engine calls.
 */
#ifndef DAMO_CORE_ACTIONS_MADVISE_H
#define DAMO_CORE_ACTIONS_MADVISE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/damon.h"
#include "core/damos_engine.h"
#include "core/sources/pageflags.h"
#include "core/sources/proc.h"

struct diag;

struct madvise_target {
	pid_t pid;
	int pidfd;
	int pagemap_fd;			/* -1: not opened yet */
	struct proc_maps maps;		/* cached for the ops filters */
	uint64_t maps_ns;		/* when read; 0: never */
};

/* A memcg filter's memcg_path and the inode kpagecgroup shows for it. */
struct madvise_memcg {
	char *path;
	uint64_t ino;
};

struct madvise_actions {
	struct damos_actions base;	/* first */
	struct madvise_target *targets;
	size_t nr_targets;
	uint64_t nr_calls;		/* process_madvise calls */
	uint64_t nr_failed;		/* ... refused by the kernel */
	int last_err;			/* -errno of the last refusal; 0 */
	/* ops filters: page information, batched and briefly cached */
	struct page_files files;
	struct page_chunk chunk;
	size_t chunk_ti;
	uint64_t chunk_ns;		/* when read; 0: no chunk */
	char *memcg_root;		/* NULL: found on first memcg filter */
	struct madvise_memcg *memcgs;
	size_t nr_memcgs;
	size_t cap_memcgs;
	uint64_t nr_filter_failed;	/* filter queries that could not read */
	int filter_err;			/* -errno of the last such failure */
};

/*
 * madvise_action_supported() - whether @action can be applied to another
 * process from outside.  On false, *@why (if @why) says why, in a
 * sentence fragment for an error message.
 */
bool madvise_action_supported(enum damos_action action, const char **why);

/*
 * madvise_actions_init() - actions on the @nr processes @pids (target ti
 * is pids[ti]).  Returns 0, or -errno with the reason added to @d (may
 * be NULL) when a process cannot be opened.
 */
int madvise_actions_init(struct madvise_actions *a, const pid_t *pids,
			 size_t nr, struct diag *d);
/* Closes the pidfds; accepts released actions. */
void madvise_actions_release(struct madvise_actions *a);

/*
 * madvise_actions_probe() - ask the kernel whether it would take
 * @action's advice for target @ti, without advising anything (an empty
 * iovec goes through every permission check).  Returns 0, or -errno with
 * why and what would help added to @d (may be NULL): -EOPNOTSUPP for an
 * action without advice (madvise_action_supported()), -EPERM without
 * CAP_SYS_NICE, -EACCES without ptrace access, -EINVAL for advice the
 * kernel refuses from outside, -ENOSYS before Linux 5.10.
 */
int madvise_actions_probe(struct madvise_actions *a, size_t ti,
			  enum damos_action action, struct diag *d);

/*
 * madvise_filter_probe() - whether ops filter @f can be decided for every
 * target of @a from outside, before a scheme uses it: anon and unmapped
 * need each target's /proc/PID/pagemap (ptrace access); active,
 * hugepage_size and memcg also the page frame numbers (CAP_SYS_ADMIN) and
 * /proc/kpageflags or /proc/kpagecgroup (root), memcg an existing memory
 * cgroup, young the idle page bitmap (CONFIG_IDLE_PAGE_TRACKING, root).
 * Core filters (addr, target) need nothing.  Returns 0, or -errno with why
 * and what would help added to @d (may be NULL).  A filter the probe
 * accepted that later cannot be read counts in nr_filter_failed and
 * matches nothing.
 */
int madvise_filter_probe(struct madvise_actions *a,
			 const struct damos_filter *f, struct diag *d);

/*
 * madvise_actions_set_paths() - for tests: read page flags, page memcgs
 * and idle bits from other files, and resolve memcg paths under
 * @memcg_root.  NULL keeps the current one.  Call before the first query.
 */
void madvise_actions_set_paths(struct madvise_actions *a,
			       const char *kpageflags, const char *kpagecgroup,
			       const char *idle_bitmap, const char *memcg_root);

#endif /* DAMO_CORE_ACTIONS_MADVISE_H */
