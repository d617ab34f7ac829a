/* SPDX-License-Identifier: GPL-2.0 */
/* DAMOS actions through process_madvise(2) on pidfds. */
#include "core/actions_madvise.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/sources/compat_uffd.h"
#include "core/sources/metrics.h"
#include "core/xalloc.h"

/* How long the cached maps serve the ops filters. */
#define MADVISE_MAPS_TTL_NS 1000000000ULL
/*
 * How long a chunk of page information serves further queries: the engine
 * walks a region's pages in one go, asking each filter in turn.
 */
#define MADVISE_CHUNK_TTL_NS 5000000ULL

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
	a->chunk_ns = 0;	/* the advice changes the pages */
	t = &a->targets[ti];
	iov.iov_base = (void *)(uintptr_t)start;
	iov.iov_len = (size_t)(end - start);
	ret = pmadvise(t->pidfd, &iov, 1, advice);
	if (ret == -ENOMEM)
		return apply_mapped(a, t, start, end, advice);
	count(a, ret);
	return ret > 0 ? (uint64_t)ret : 0;
}

static void filter_failed(struct madvise_actions *a, int err)
{
	a->nr_filter_failed++;
	a->filter_err = err;
}

static int open_pagemap(struct madvise_target *t)
{
	char path[64];

	if (t->pagemap_fd >= 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)t->pid);
	t->pagemap_fd = open(path, O_RDONLY | O_CLOEXEC);
	return t->pagemap_fd < 0 ? -errno : 0;
}

/* The inode of memcg @path (kpagecgroup's answer for its pages), cached. */
static int memcg_ino(struct madvise_actions *a, const char *path,
		     uint64_t *ino, struct diag *d)
{
	struct stat st;
	char *dir;
	size_t i;
	int err;

	for (i = 0; i < a->nr_memcgs; i++) {
		if (!strcmp(a->memcgs[i].path, path)) {
			*ino = a->memcgs[i].ino;
			return 0;
		}
	}
	if (!a->memcg_root)
		a->memcg_root = sys_memcg_root("/proc");
	if (!a->memcg_root) {
		if (d)
			diag_add(d, "", "no memory cgroup hierarchy is mounted: the memcg filter has no cgroup to compare with");
		return -ENOENT;
	}
	dir = xasprintf("%s/%s", a->memcg_root, path);
	err = stat(dir, &st) ? -errno : S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
	if (err) {
		if (d)
			diag_add(d, "", "no memory cgroup '%s': cannot use '%s': %s",
				 path, dir, strerror(-err));
		free(dir);
		return err;
	}
	free(dir);
	xgrow((void **)&a->memcgs, a->nr_memcgs, &a->cap_memcgs,
	      sizeof(*a->memcgs));
	a->memcgs[a->nr_memcgs].path = xstrdup(path);
	a->memcgs[a->nr_memcgs++].ino = (uint64_t)st.st_ino;
	*ino = (uint64_t)st.st_ino;
	return 0;
}

/*
 * The page information of target @ti from the page of @addr, up to @end
 * (within one mapping), with at least @need; *@idx is @addr's page in
 * a->chunk.
 */
static int chunk_get(struct madvise_actions *a, size_t ti, uint64_t addr,
		     uint64_t end, unsigned int need, size_t *idx)
{
	struct madvise_target *t = &a->targets[ti];
	struct page_chunk *pc = &a->chunk;
	size_t psz = proc_page_size();
	uint64_t pg = addr / psz * psz, now = now_ns(), nr;
	int err;

	if (a->chunk_ns && now - a->chunk_ns < MADVISE_CHUNK_TTL_NS &&
	    a->chunk_ti == ti && pc->start <= pg &&
	    pg < pc->start + pc->nr * psz && (pc->have & need) == need) {
		*idx = (size_t)((pg - pc->start) / psz);
		return 0;
	}
	if (a->chunk_ns && a->chunk_ti == ti && pc->start == pg)
		need |= pc->have;
	a->chunk_ns = 0;
	err = open_pagemap(t);
	if (!err)
		err = page_files_open(&a->files, need, NULL);
	if (err)
		return err;
	nr = (end - pg + psz - 1) / psz;
	if (nr > PAGE_CHUNK_PAGES)
		nr = PAGE_CHUNK_PAGES;
	err = page_chunk_read(pc, &a->files, t->pagemap_fd, pg, (size_t)nr,
			      need, psz);
	if (err)
		return err;
	a->chunk_ti = ti;
	a->chunk_ns = now;
	*idx = 0;
	return 0;
}

/*
 * The first present page of [@addr, @end) in *@next (@end: none), with one
 * PAGEMAP_SCAN: the kernel skips empty page tables where pagemap would
 * return an entry per page.  -ENOTTY before Linux 6.7.
 */
static int next_present(int pagemap_fd, uint64_t addr, uint64_t end,
			uint64_t *next)
{
	struct page_region r;
	struct pm_scan_arg arg = {
		.size = sizeof(arg),
		.start = addr,
		.end = end,
		.vec = (uintptr_t)&r,
		.vec_len = 1,
		.max_pages = 1,
		.category_mask = PAGE_IS_PRESENT,
		.return_mask = PAGE_IS_PRESENT,
	};
	int ret;

	do {
		ret = ioctl(pagemap_fd, PAGEMAP_SCAN, &arg);
	} while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return errno == EINVAL ? -ENOTTY : -errno;
	*next = ret ? r.start : end;
	return 0;
}

/*
 * Ops filters from outside.  A hole matches only unmapped, to the next
 * mapping.  anon is decided by the mapping where it decides (shared
 * memory is never anonymous, private anonymous memory always), and by
 * each page's pagemap entry in private file mappings (copied-on-write
 * pages are anonymous).  The rest by page: unmapped (no page present),
 * and from the page frame: active (kpageflags), hugepage_size (the folio
 * found in kpageflags), memcg (kpagecgroup), young (idle bitmap, then
 * marked idle again, as the kernel's young filter does).  The answer runs
 * over the following pages that share it, read in batches.
 */
static bool madv_filter_match(struct damos_actions *base, size_t ti,
			      uint64_t addr, uint64_t end,
			      const struct damos_filter *f, uint64_t *run)
{
	struct madvise_actions *a = (struct madvise_actions *)base;
	const struct proc_map *m;
	struct madvise_target *t;
	uint64_t mend, ino = 0, run_end;
	size_t psz = proc_page_size(), idx, k;
	bool ans;
	long i;
	int err;

	*run = 0;
	if (ti >= a->nr_targets || f->type == DAMOS_FILTER_ADDR ||
	    f->type == DAMOS_FILTER_TARGET || addr >= end)
		return false;
	t = &a->targets[ti];
	err = refresh_maps(t, false);
	if (err) {
		filter_failed(a, err);
		return false;
	}
	i = proc_maps_find(&t->maps, addr);
	if (i < 0) {
		size_t k2;

		for (k2 = 0; k2 < t->maps.nr && t->maps.v[k2].start <= addr;
		     k2++)
			;
		if (k2 < t->maps.nr && t->maps.v[k2].start < end)
			*run = t->maps.v[k2].start - addr;
		return f->type == DAMOS_FILTER_UNMAPPED;
	}
	m = &t->maps.v[i];
	mend = m->end < end ? m->end : end;
	if (f->type == DAMOS_FILTER_ANON &&
	    (!(m->flags & PROC_MAP_PRIVATE) || (m->flags & PROC_MAP_ANON))) {
		if (mend < end)
			*run = mend - addr;
		return (m->flags & PROC_MAP_PRIVATE) &&
		       (m->flags & PROC_MAP_ANON);
	}
	if (f->type == DAMOS_FILTER_MEMCG) {
		err = memcg_ino(a, f->memcg_path ? f->memcg_path : "", &ino,
				NULL);
		if (err) {
			filter_failed(a, err);
			return false;
		}
	}
	err = chunk_get(a, ti, addr, mend, page_filter_needs(f->type), &idx);
	if (err) {
		filter_failed(a, err);
		return false;
	}
	ans = page_filter_match(f, &a->chunk, idx, ino);
	for (k = idx + 1; k < a->chunk.nr &&
	     page_filter_match(f, &a->chunk, k, ino) == ans; k++)
		;
	if (f->type == DAMOS_FILTER_YOUNG && ans) {
		err = page_chunk_mkold(&a->chunk, &a->files, idx, k - idx);
		if (err)
			filter_failed(a, err);
	}
	run_end = a->chunk.start + k * psz;
	/* reserved but unpopulated memory: skip to its next page at once */
	if (k == a->chunk.nr && !(a->chunk.pm[idx] & PM_PRESENT) &&
	    run_end < mend &&
	    next_present(t->pagemap_fd, run_end, mend, &run_end))
		run_end = a->chunk.start + k * psz;
	if (run_end < end)
		*run = run_end - addr;
	return ans;
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
	page_files_init(&a->files, NULL, NULL, NULL);
	page_chunk_init(&a->chunk);
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
		a->targets[i].pagemap_fd = -1;
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
		if (a->targets[i].pagemap_fd >= 0)
			close(a->targets[i].pagemap_fd);
		proc_maps_release(&a->targets[i].maps);
	}
	free(a->targets);
	page_files_release(&a->files);
	page_chunk_release(&a->chunk);
	for (i = 0; i < a->nr_memcgs; i++)
		free(a->memcgs[i].path);
	free(a->memcgs);
	free(a->memcg_root);
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

void madvise_actions_set_paths(struct madvise_actions *a,
			       const char *kpageflags, const char *kpagecgroup,
			       const char *idle_bitmap, const char *memcg_root)
{
	struct page_files *pf = &a->files;
	char *kf = xstrdup(kpageflags ? kpageflags : pf->kpageflags);
	char *kc = xstrdup(kpagecgroup ? kpagecgroup : pf->kpagecgroup);
	char *ib = xstrdup(idle_bitmap ? idle_bitmap : pf->idle_bitmap);

	page_files_release(pf);
	page_files_init(pf, kf, kc, ib);
	free(kf);
	free(kc);
	free(ib);
	if (memcg_root) {
		free(a->memcg_root);
		a->memcg_root = xstrdup(memcg_root);
	}
	a->chunk_ns = 0;
}

int madvise_filter_probe(struct madvise_actions *a,
			 const struct damos_filter *f, struct diag *d)
{
	const char *name = damos_filter_type_name(f->type);
	unsigned int need = page_filter_needs(f->type);
	uint64_t ino;
	size_t ti;
	int err;

	if (f->type == DAMOS_FILTER_ADDR || f->type == DAMOS_FILTER_TARGET)
		return 0;
	for (ti = 0; ti < a->nr_targets; ti++) {
		err = open_pagemap(&a->targets[ti]);
		if (!err)
			continue;
		if (d) {
			diag_add(d, "", "the '%s' filter reads /proc/%d/pagemap, which cannot be opened: %s",
				 name, (int)a->targets[ti].pid,
				 strerror(-err));
			diag_add(d, "hint",
				 "damo needs ptrace access to pid %d: run it as the process's owner or as root",
				 (int)a->targets[ti].pid);
		}
		return err;
	}
	if (!need)
		return 0;
	if (!pagemap_shows_pfn()) {
		if (d) {
			diag_add(d, "", "the '%s' filter needs the page frame number of each page, which pagemap shows only to a process with CAP_SYS_ADMIN",
				 name);
			diag_add(d, "hint", "run damo as root");
		}
		return -EPERM;
	}
	err = page_files_open(&a->files, need, d);
	if (err)
		return err;
	if (f->type == DAMOS_FILTER_MEMCG)
		return memcg_ino(a, f->memcg_path ? f->memcg_path : "", &ino,
				 d);
	return 0;
}
