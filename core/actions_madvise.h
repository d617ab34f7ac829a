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
#include "core/sources/proc.h"

struct diag;

struct madvise_target {
	pid_t pid;
	int pidfd;
	struct proc_maps maps;		/* cached for the anon filter */
	uint64_t maps_ns;		/* when read; 0: never */
};

struct madvise_actions {
	struct damos_actions base;	/* first */
	struct madvise_target *targets;
	size_t nr_targets;
	uint64_t nr_calls;		/* process_madvise calls */
	uint64_t nr_failed;		/* ... refused by the kernel */
	int last_err;			/* -errno of the last refusal; 0 */
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

#endif /* DAMO_CORE_ACTIONS_MADVISE_H */
