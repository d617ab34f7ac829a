/* SPDX-License-Identifier: GPL-2.0 */
/* The softdirty access source: clear_refs "4" and pagemap bit 55. */
#include "core/sources/softdirty.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/sources/compat_uffd.h"
#include "core/xalloc.h"

int softdirty_supported(void)
{
	size_t pg = proc_page_size();
	volatile char *p;
	uint64_t ent = 0;
	int fd, err;

	p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	p[0] = 1;
	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
	} else {
		err = proc_pagemap_read(fd, (uintptr_t)p, 1, &ent, pg);
		close(fd);
	}
	munmap((void *)p, pg);
	if (err)
		return err;
	/* a new VMA and a newly dirtied PTE are both soft-dirty */
	return ent & PM_ENTRY_SOFT_DIRTY ? 0 : -EOPNOTSUPP;
}

static int softdirty_prepare(struct access_source *src, size_t ti,
			     const uint64_t *addrs, size_t n);
static int softdirty_check(struct access_source *src, size_t ti,
			   const uint64_t *addrs, size_t n, bool *accessed);

static void softdirty_destroy(struct access_source *src)
{
	softdirty_source_release((struct softdirty_source *)src);
}

static const struct access_source_ops softdirty_ops = {
	.init_regions = proc_source_init_regions,
	.update_regions = proc_source_update_regions,
	.prepare = softdirty_prepare,
	.check = softdirty_check,
	.target_valid = proc_source_target_valid,
	.destroy = softdirty_destroy,
};

static void add_support_error(struct diag *d, int err)
{
	if (!d)
		return;
	if (err != -EOPNOTSUPP) {
		diag_add(d, "", "cannot probe soft-dirty tracking in /proc/self/pagemap: %s",
			 strerror(-err));
		return;
	}
	diag_add(d, "", "this kernel does not track soft-dirty bits: pagemap bit 55 stayed clear after a write");
	diag_add(d, "hint",
		 "the softdirty source needs a kernel built with CONFIG_MEM_SOFT_DIRTY (Debian's kernels are); on Linux 6.7+ the uffd source works without it");
}

static int open_clear_refs(struct softdirty_source *s, size_t i,
			   struct diag *d)
{
	char path[64];
	int err;

	snprintf(path, sizeof(path), "/proc/%d/clear_refs",
		 (int)s->ps.targets[i].pid);
	s->clear_fds[i] = open(path, O_WRONLY | O_CLOEXEC);
	if (s->clear_fds[i] >= 0)
		return 0;
	err = -errno;
	if (d) {
		diag_add(d, "", "cannot open '%s': %s", path, strerror(-err));
		diag_add(d, "hint",
			 "clearing soft-dirty bits needs the process's owner or root");
	}
	return err;
}

int softdirty_source_init(struct softdirty_source *s, const pid_t *pids,
			  size_t nr, struct diag *d)
{
	size_t i;
	int err;

	memset(s, 0, sizeof(*s));
	err = softdirty_supported();
	if (err) {
		add_support_error(d, err);
		return err;
	}
	err = proc_source_open(&s->ps, pids, nr, PROC_TARGET_PAGEMAP, d);
	if (err)
		return err;
	s->clear_fds = xcalloc(nr, sizeof(*s->clear_fds));
	for (i = 0; i < nr; i++)
		s->clear_fds[i] = -1;
	for (i = 0; i < nr; i++) {
		err = open_clear_refs(s, i, d);
		if (err) {
			softdirty_source_release(s);
			return err;
		}
	}
	proc_pagemap_batch_init(&s->batch, SOFTDIRTY_MERGE_PAGES);
	s->ps.base.ops = &softdirty_ops;
	return 0;
}

void softdirty_source_release(struct softdirty_source *s)
{
	size_t i;

	for (i = 0; s->clear_fds && i < s->ps.nr_targets; i++)
		if (s->clear_fds[i] >= 0)
			close(s->clear_fds[i]);
	free(s->clear_fds);
	free(s->ents);
	proc_pagemap_batch_release(&s->batch);
	proc_source_close(&s->ps);
	memset(s, 0, sizeof(*s));
}

/*
 * clear_refs takes no range: "4" clears the soft-dirty bit of every page
 * of the process (and write-protects each PTE so that the next write
 * faults and sets it again).  So a sample clears the whole process once,
 * for all of its regions, and every page written in the sampling interval
 * costs the workload one minor fault.
 */
static int softdirty_prepare(struct access_source *src, size_t ti,
			     const uint64_t *addrs, size_t n)
{
	struct softdirty_source *s = (struct softdirty_source *)src;
	ssize_t ret;

	(void)addrs;
	if (ti >= s->ps.nr_targets)
		return -EINVAL;
	if (!n)
		return 0;
	do {
		ret = write(s->clear_fds[ti], "4", 1);
	} while (ret < 0 && errno == EINTR);
	s->nr_clears++;
	return ret < 0 ? -errno : 0;
}

static int softdirty_check(struct access_source *src, size_t ti,
			   const uint64_t *addrs, size_t n, bool *accessed)
{
	struct softdirty_source *s = (struct softdirty_source *)src;
	size_t i;
	int err;

	if (ti >= s->ps.nr_targets)
		return -EINVAL;
	if (s->ents_cap < n) {
		s->ents = xreallocarray(s->ents, n, sizeof(*s->ents));
		s->ents_cap = n;
	}
	err = proc_pagemap_sample(s->ps.targets[ti].pagemap_fd, addrs, n,
				  s->ents, s->ps.page_sz, &s->batch);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		accessed[i] = !!(s->ents[i] & PM_ENTRY_SOFT_DIRTY);
		s->nr_written += accessed[i];
	}
	s->nr_checked += n;
	return 0;
}

int softdirty_source_create(const pid_t *pids, size_t nr,
			    struct access_source **src, struct diag *d)
{
	struct softdirty_source *s = xcalloc(1, sizeof(*s));
	int err = softdirty_source_init(s, pids, nr, d);

	if (err) {
		free(s);
		return err;
	}
	*src = &s->ps.base;
	return 0;
}
