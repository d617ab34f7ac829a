/* SPDX-License-Identifier: GPL-2.0 */
/* DAMOS actions through process_madvise(2) on pidfds. */
#include "core/actions_madvise.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/sources/compat_uffd.h"
#include "core/xalloc.h"

/* How long the cached maps serve the anon filter. */
#define MADVISE_MAPS_TTL_NS 1000000000ULL

/* The advice of an action, or -1 when it has none. */
static int advice_of(enum damos_action action)
{
	switch (action) {
	case DAMOS_WILLNEED:
		return MADV_WILLNEED;
	case DAMOS_COLD:
		return MADV_COLD;
	case DAMOS_PAGEOUT:
		return MADV_PAGEOUT;
	case DAMOS_COLLAPSE:
		return MADV_COLLAPSE;
	default:
		return -1;
	}
}

bool madvise_action_supported(enum damos_action action, const char **why)
{
	const char *w = NULL;

	switch (action) {
	case DAMOS_STAT:
		return true;
	case DAMOS_HUGEPAGE:
	case DAMOS_NOHUGEPAGE:
		w = "the kernel takes MADV_HUGEPAGE and MADV_NOHUGEPAGE only from the process itself: process_madvise() refuses them for another process";
		break;
	case DAMOS_LRU_PRIO:
	case DAMOS_LRU_DEPRIO:
		w = "reordering the kernel's LRU lists has no madvise() advice: it needs kernel DAMON (paddr)";
		break;
	case DAMOS_MIGRATE_HOT:
	case DAMOS_MIGRATE_COLD:
		w = "migrating pages between NUMA nodes needs kernel DAMON: the embedded monitor has no migration";
		break;
	default:
		if (advice_of(action) >= 0)
			return true;
		w = "the embedded monitor does not know this action";
	}
	if (why)
		*why = w;
	return false;
}

static long pmadvise(int pidfd, const struct iovec *iov, size_t nr,
		     int advice)
{
	long ret;

	do {
		ret = syscall(SYS_process_madvise, pidfd, iov, nr, advice, 0);
	} while (ret < 0 && (errno == EINTR || errno == EAGAIN));
	return ret < 0 ? -errno : ret;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int refresh_maps(struct madvise_target *t, bool force)
{
	uint64_t now = now_ns();
	int err;

	if (!force && t->maps_ns && now - t->maps_ns < MADVISE_MAPS_TTL_NS)
		return 0;
	err = proc_maps_read(&t->maps, t->pid);
	t->maps_ns = err ? 0 : now;
	return err;
}

static void count(struct madvise_actions *a, long ret)
{
	a->nr_calls++;
	if (ret < 0) {
		a->nr_failed++;
		a->last_err = (int)ret;
	}
}

/*
 * madvise() of a range with holes advises its mapped parts and then fails
 * with ENOMEM, and process_madvise() then reports nothing done: advise the
 * mapped pieces one by one to learn what the kernel took.
 */
static uint64_t apply_mapped(struct madvise_actions *a,
			     struct madvise_target *t, uint64_t start,
			     uint64_t end, int advice)
{
	uint64_t sum = 0;
	size_t i;

	if (refresh_maps(t, true))
		return 0;
	for (i = 0; i < t->maps.nr; i++) {
		const struct proc_map *m = &t->maps.v[i];
		struct iovec iov;
		uint64_t s = m->start > start ? m->start : start;
		uint64_t e = m->end < end ? m->end : end;
		long ret;

		if (s >= e || (m->flags & PROC_MAP_GATE))
			continue;
		iov.iov_base = (void *)(uintptr_t)s;
		iov.iov_len = (size_t)(e - s);
		ret = pmadvise(t->pidfd, &iov, 1, advice);
		count(a, ret);
		if (ret > 0)
			sum += (uint64_t)ret;
	}
	return sum;
}

/*
 * Bytes the kernel accepted: the whole range when process_madvise()
 * succeeds (the kernel's vaddr counts the same), or the mapped pieces it
 * took when the range crosses a hole.
 */
static uint64_t madv_apply(struct damos_actions *base, size_t ti,
			   uint64_t start, uint64_t end, const struct damos *s,
			   size_t si)
{
	struct madvise_actions *a = (struct madvise_actions *)base;
	struct madvise_target *t;
	struct iovec iov;
	int advice = advice_of(s->action);
	long ret;

	(void)si;
	if (advice < 0 || ti >= a->nr_targets || end <= start)
		return 0;
	t = &a->targets[ti];
	iov.iov_base = (void *)(uintptr_t)start;
	iov.iov_len = (size_t)(end - start);
	ret = pmadvise(t->pidfd, &iov, 1, advice);
	if (ret == -ENOMEM)
		return apply_mapped(a, t, start, end, advice);
	count(a, ret);
	return ret > 0 ? (uint64_t)ret : 0;
}

/*
 * The anon filter by mapping: private or shared memory without a file.
 * (Copied-on-write pages of private file mappings are anonymous to the
 * kernel but not here.)  Other ops filters need page flags no interface
 * shows from outside: they never match.
 */
static bool madv_filter_match(struct damos_actions *base, size_t ti,
			      uint64_t addr, uint64_t end,
			      const struct damos_filter *f, uint64_t *run)
{
	struct madvise_actions *a = (struct madvise_actions *)base;
	struct madvise_target *t;
	long i;

	*run = 0;
	if (f->type != DAMOS_FILTER_ANON || ti >= a->nr_targets)
		return false;
	t = &a->targets[ti];
	if (refresh_maps(t, false))
		return false;
	i = proc_maps_find(&t->maps, addr);
	if (i < 0) {
		size_t k;

		for (k = 0; k < t->maps.nr && t->maps.v[k].start <= addr; k++)
			;
		if (k < t->maps.nr && t->maps.v[k].start < end)
			*run = t->maps.v[k].start - addr;
		return false;
	}
	if (t->maps.v[i].end < end)
		*run = t->maps.v[i].end - addr;
	return t->maps.v[i].flags & PROC_MAP_ANON;
}

static const struct damos_actions_ops madvise_ops = {
	.apply = madv_apply,
	.filter_match = madv_filter_match,
};

int madvise_actions_init(struct madvise_actions *a, const pid_t *pids,
			 size_t nr, struct diag *d)
{
	struct proc_target pt;
	size_t i;
	int err;

	memset(a, 0, sizeof(*a));
	a->base.ops = &madvise_ops;
	a->base.ops_filter_actions = DAMOS_ACTIONS_VADDR_OPS_FILTERED;
	a->targets = xcalloc(nr ? nr : 1, sizeof(*a->targets));
	for (i = 0; i < nr; i++) {
		err = proc_target_open(&pt, pids[i], 0, d);
		if (!err && pt.pidfd < 0)
			err = -ENOSYS;
		if (err) {
			if (err == -ENOSYS && d)
				diag_add(d, "", "this kernel has no pidfd_open(): process_madvise() needs Linux 5.10");
			a->nr_targets = i;
			madvise_actions_release(a);
			return err;
		}
		a->targets[i].pid = pids[i];
		a->targets[i].pidfd = pt.pidfd;
		proc_maps_init(&a->targets[i].maps);
	}
	a->nr_targets = nr;
	return 0;
}

void madvise_actions_release(struct madvise_actions *a)
{
	size_t i;

	for (i = 0; i < a->nr_targets; i++) {
		close(a->targets[i].pidfd);
		proc_maps_release(&a->targets[i].maps);
	}
	free(a->targets);
	memset(a, 0, sizeof(*a));
}

static void add_probe_error(struct diag *d, pid_t pid, const char *name,
			    int err)
{
	if (!d)
		return;
	if (err == -ESRCH) {
		diag_add(d, "", "no process with pid %d", (int)pid);
		return;
	}
	diag_add(d, "", "the kernel refuses process_madvise() of '%s' on pid %d: %s",
		 name, (int)pid, strerror(-err));
	if (err == -EPERM)
		diag_add(d, "hint",
			 "advising another process needs CAP_SYS_NICE: run damo as root or grant it the capability (setcap cap_sys_nice+ep)");
	else if (err == -EACCES)
		diag_add(d, "hint",
			 "damo needs ptrace access to pid %d: run it as the process's owner or as root",
			 (int)pid);
	else if (err == -EINVAL)
		diag_add(d, "hint",
			 "from another process the kernel takes cold, pageout and willneed since Linux 5.10 and collapse since 6.1");
	else if (err == -ENOSYS)
		diag_add(d, "hint", "process_madvise() needs Linux 5.10");
}

int madvise_actions_probe(struct madvise_actions *a, size_t ti,
			  enum damos_action action, struct diag *d)
{
	const char *why = NULL;
	int advice = advice_of(action);
	long ret;

	if (ti >= a->nr_targets)
		return -EINVAL;
	if (!madvise_action_supported(action, &why)) {
		if (d)
			diag_add(d, "", "the embedded monitor cannot apply '%s': %s",
				 damos_action_name(action), why);
		return -EOPNOTSUPP;
	}
	if (advice < 0)
		return 0;
	ret = pmadvise(a->targets[ti].pidfd, NULL, 0, advice);
	if (ret < 0)
		add_probe_error(d, a->targets[ti].pid,
				damos_action_name(action), (int)ret);
	return ret < 0 ? (int)ret : 0;
}
