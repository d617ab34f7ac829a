/* SPDX-License-Identifier: GPL-2.0 */
/* The uffd access source: PAGEMAP_SCAN on agent-registered memory. */
#include "core/sources/uffd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/sources/compat_uffd.h"
#include "core/xalloc.h"

#define UFFD_VEC_LEN 256

static int pagemap_scan(int fd, struct pm_scan_arg *arg)
{
	int ret;

	do {
		ret = ioctl(fd, PAGEMAP_SCAN, arg);
	} while (ret < 0 && errno == EINTR);
	return ret < 0 ? -errno : ret;
}

int uffd_probe(int pagemap_fd, uint64_t start, uint64_t end)
{
	struct page_region r;
	struct pm_scan_arg arg = {
		.size = sizeof(arg),
		.start = start,
		.end = end,
		.vec = (uintptr_t)&r,
		.vec_len = 1,
		.max_pages = 1,
		.category_mask = PAGE_IS_WPALLOWED,
		.return_mask = PAGE_IS_WPALLOWED,
	};
	int ret = pagemap_scan(pagemap_fd, &arg);

	/* pagemap had no ioctl before 6.7: the VFS says ENOTTY */
	if (ret == -EINVAL || ret == -ENOTTY)
		return -ENOTTY;
	if (ret < 0)
		return ret;
	return ret ? 0 : -ENODATA;
}

/* The span of a process's VMAs, without the [vsyscall] gate. */
static int maps_span(struct proc_maps *m, pid_t pid, uint64_t *start,
		     uint64_t *end)
{
	size_t i;
	int err = proc_maps_read(m, pid);

	if (err)
		return err;
	*start = UINT64_MAX;
	*end = 0;
	for (i = 0; i < m->nr; i++) {
		if (m->v[i].flags & PROC_MAP_GATE)
			continue;
		if (m->v[i].start < *start)
			*start = m->v[i].start;
		if (m->v[i].end > *end)
			*end = m->v[i].end;
	}
	return *end ? 0 : -ENODATA;
}

int uffd_probe_pid(pid_t pid)
{
	struct proc_target t;
	struct proc_maps m;
	uint64_t start, end;
	int err;

	err = proc_target_open(&t, pid, PROC_TARGET_PAGEMAP, NULL);
	if (err)
		return err;
	proc_maps_init(&m);
	err = maps_span(&m, pid, &start, &end);
	if (!err)
		err = uffd_probe(t.pagemap_fd, start, end);
	proc_maps_release(&m);
	proc_target_close(&t);
	return err;
}

static void add_probe_error(struct diag *d, pid_t pid, int err)
{
	if (!d)
		return;
	switch (err) {
	case -ENOTTY:
		diag_add(d, "", "the kernel has no PAGEMAP_SCAN ioctl on /proc/%d/pagemap",
			 (int)pid);
		diag_add(d, "hint",
			 "the uffd source needs Linux 6.7 or later; try the softdirty or pageidle source");
		break;
	case -ENODATA:
		diag_add(d, "", "pid %d has no memory registered for userfaultfd write-protection",
			 (int)pid);
		diag_add(d, "hint",
			 "the uffd source sees only processes running damo's agent: start the workload with LD_PRELOAD=libdamo-agent.so (damo start -- COMMAND does), and check its stderr for 'damo-agent: error:'");
		break;
	default:
		diag_add(d, "", "cannot scan /proc/%d/pagemap: %s", (int)pid,
			 strerror(-err));
	}
}

static int uffd_prepare(struct access_source *src, size_t ti,
			const uint64_t *addrs, size_t n);
static int uffd_check(struct access_source *src, size_t ti,
		      const uint64_t *addrs, size_t n, bool *accessed);

static void uffd_destroy(struct access_source *src)
{
	uffd_source_release((struct uffd_source *)src);
}

static const struct access_source_ops uffd_ops = {
	.init_regions = proc_source_init_regions,
	.update_regions = proc_source_update_regions,
	.prepare = uffd_prepare,
	.check = uffd_check,
	.target_valid = proc_source_target_valid,
	.destroy = uffd_destroy,
};

int uffd_source_init(struct uffd_source *s, const pid_t *pids, size_t nr,
		     struct diag *d)
{
	uint64_t start, end;
	size_t i;
	int err;

	memset(s, 0, sizeof(*s));
	err = proc_source_open(&s->ps, pids, nr, PROC_TARGET_PAGEMAP, d);
	if (err)
		return err;
	for (i = 0; i < nr; i++) {
		err = maps_span(&s->ps.maps, pids[i], &start, &end);
		if (!err)
			err = uffd_probe(s->ps.targets[i].pagemap_fd, start,
					 end);
		if (err) {
			add_probe_error(d, pids[i], err);
			proc_source_close(&s->ps);
			return err;
		}
	}
	s->ps.base.ops = &uffd_ops;
	s->vec_len = UFFD_VEC_LEN;
	s->wp_merge_pages = UFFD_WP_MERGE_PAGES;
	s->get_merge_pages = UFFD_GET_MERGE_PAGES;
	s->vec = xcalloc(s->vec_len, sizeof(*s->vec));
	return 0;
}

void uffd_source_release(struct uffd_source *s)
{
	proc_source_close(&s->ps);
	free(s->vec);
	memset(s, 0, sizeof(*s));
}

/*
 * How many addresses from @i on form one span whose pages lie at most
 * @gap pages apart; the span is [*start, *end).
 */
static size_t span_of(const uint64_t *addrs, size_t i, size_t n,
		      uint64_t pg, uint64_t gap, uint64_t *start,
		      uint64_t *end)
{
	uint64_t last = addrs[i] / pg * pg;
	size_t j;

	*start = last;
	for (j = i + 1; j < n; j++) {
		uint64_t p = addrs[j] / pg * pg;

		if (p < last || p - last > (gap + 1) * pg)
			break;
		last = p;
	}
	*end = last + pg;
	return j - i;
}

/*
 * Arm the sampled pages: write-protect those written since they were
 * last armed (PM_SCAN_WP_MATCHING on PAGE_IS_WRITTEN, the kernel's fast
 * path; pages of VMAs without async write-protection are skipped).
 */
static int uffd_prepare(struct access_source *src, size_t ti,
			const uint64_t *addrs, size_t n)
{
	struct uffd_source *s = (struct uffd_source *)src;
	uint64_t pg = s->ps.page_sz;
	size_t i = 0;
	int ret;

	if (ti >= s->ps.nr_targets)
		return -EINVAL;
	while (i < n) {
		struct pm_scan_arg arg = {
			.size = sizeof(arg),
			.flags = PM_SCAN_WP_MATCHING,
			.category_mask = PAGE_IS_WRITTEN,
			.return_mask = PAGE_IS_WRITTEN,
		};
		uint64_t start, end;

		i += span_of(addrs, i, n, pg, s->wp_merge_pages, &start,
			     &end);
		arg.start = start;
		arg.end = end;
		ret = pagemap_scan(s->ps.targets[ti].pagemap_fd, &arg);
		s->nr_ioctls++;
		if (ret < 0)
			return ret;
	}
	return 0;
}

/*
 * Mark accessed the addresses of addrs[i, i + cnt) inside the written
 * ranges @v[0, nr); both are in ascending order.  Returns how many of
 * the addresses lie below @upto (the rest wait for the next batch).
 */
static size_t mark_written(const struct page_region *v, size_t nr,
			   const uint64_t *addrs, size_t cnt, uint64_t upto,
			   bool *accessed)
{
	size_t k = 0, r = 0;

	for (k = 0; k < cnt && addrs[k] < upto; k++) {
		while (r < nr && v[r].end <= addrs[k])
			r++;
		accessed[k] = r < nr && v[r].start <= addrs[k];
	}
	return k;
}

/* One span's written pages, batch after batch of s->vec_len ranges. */
static int check_span(struct uffd_source *s, int fd, uint64_t start,
		      uint64_t end, const uint64_t *addrs, size_t cnt,
		      bool *accessed)
{
	size_t done = 0;
	int ret;

	while (done < cnt) {
		struct pm_scan_arg arg = {
			.size = sizeof(arg),
			.start = start,
			.end = end,
			.vec = (uintptr_t)s->vec,
			.vec_len = s->vec_len,
			.category_mask = PAGE_IS_WRITTEN | PAGE_IS_WPALLOWED,
			.return_mask = PAGE_IS_WRITTEN,
		};

		ret = pagemap_scan(fd, &arg);
		s->nr_ioctls++;
		if (ret < 0)
			return ret;
		if (arg.walk_end <= start || arg.walk_end > end)
			arg.walk_end = end;
		done += mark_written(s->vec, (size_t)ret, addrs + done,
				     cnt - done, arg.walk_end,
				     accessed + done);
		start = arg.walk_end;
		if (start >= end)
			break;
	}
	return 0;
}

/*
 * Written since prepare armed them: PAGE_IS_WRITTEN on VMAs with async
 * write-protection (PAGE_IS_WPALLOWED; elsewhere every page would read
 * as written).  Nearby addresses share one read-only ioctl.
 */
static int uffd_check(struct access_source *src, size_t ti,
		      const uint64_t *addrs, size_t n, bool *accessed)
{
	struct uffd_source *s = (struct uffd_source *)src;
	uint64_t pg = s->ps.page_sz, start, end;
	size_t i = 0, cnt, k;
	int err;

	if (ti >= s->ps.nr_targets)
		return -EINVAL;
	memset(accessed, 0, n * sizeof(*accessed));
	while (i < n) {
		cnt = span_of(addrs, i, n, pg, s->get_merge_pages, &start,
			      &end);
		err = check_span(s, s->ps.targets[ti].pagemap_fd, start, end,
				 addrs + i, cnt, accessed + i);
		if (err)
			return err;
		for (k = i; k < i + cnt; k++)
			s->nr_written += accessed[k];
		i += cnt;
	}
	s->nr_checked += n;
	return 0;
}

/* Whether the kernel answers PAGEMAP_SCAN (6.7), tried on our own page. */
static int pagemap_scan_works(struct diag *d)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd, err;

	if (p == MAP_FAILED)
		return -errno;
	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	err = fd < 0 ? -errno :
		uffd_probe(fd, (uintptr_t)p, (uintptr_t)p + 4096);
	if (fd >= 0)
		close(fd);
	munmap(p, 4096);
	/* nothing of ours is registered: the ioctl itself works */
	if (err == -ENODATA)
		return 0;
	if (d && err == -ENOTTY) {
		diag_add(d, "", "this kernel has no PAGEMAP_SCAN ioctl on pagemap");
		diag_add(d, "hint", "the uffd source needs Linux 6.7 or later");
	} else if (d) {
		diag_add(d, "", "PAGEMAP_SCAN failed: %s", strerror(-err));
	}
	return err ? err : -EIO;
}

int uffd_probe_command(const char *agent, struct diag *d)
{
	if (!agent || access(agent, R_OK)) {
		if (d) {
			diag_add(d, "", "damo's agent library %s%s%s",
				 agent ? "'" : "", agent ? agent : "",
				 agent ? "' cannot be read" : "is not installed");
			diag_add(d, "hint",
				 "install damo with its agent (libdamo-agent.so)");
		}
		return -ENOENT;
	}
	return pagemap_scan_works(d);
}

int uffd_source_create(const pid_t *pids, size_t nr,
		       struct access_source **src, struct diag *d)
{
	struct uffd_source *s = xcalloc(1, sizeof(*s));
	int err = uffd_source_init(s, pids, nr, d);

	if (err) {
		free(s);
		return err;
	}
	*src = &s->ps.base;
	return 0;
}
