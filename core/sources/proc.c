/* SPDX-License-Identifier: GPL-2.0 */
/* /proc/PID/maps, pidfd liveness and batched pagemap reads for sources. */
#include "core/sources/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/monitor_regions.h"
#include "core/sources/compat_uffd.h"
#include "core/xalloc.h"

void proc_maps_init(struct proc_maps *m)
{
	memset(m, 0, sizeof(*m));
}

void proc_maps_release(struct proc_maps *m)
{
	free(m->v);
	free(m->buf);
	proc_maps_init(m);
}

static unsigned int path_flags(const char *path)
{
	if (!*path || !strcmp(path, "[heap]") || !strcmp(path, "[stack]") ||
	    !strncmp(path, "[anon:", 6))
		return PROC_MAP_ANON;
	if (!strcmp(path, "[vsyscall]"))
		return PROC_MAP_GATE | PROC_MAP_SPECIAL;
	if (path[0] == '[')
		return PROC_MAP_SPECIAL;
	return 0;
}

int proc_map_parse_line(const char *line, struct proc_map *out)
{
	unsigned long long start, end, inode;
	char perms[5];
	int pos = 0;
	const char *path;

	if (sscanf(line, "%llx-%llx %4s %*x %*x:%*x %llu%n", &start, &end,
		   perms, &inode, &pos) != 4 || start > end ||
	    strlen(perms) != 4)
		return -EINVAL;
	path = line + pos;
	while (*path == ' ' || *path == '\t')
		path++;
	out->start = start;
	out->end = end;
	out->flags = 0;
	if (perms[0] == 'r')
		out->flags |= PROC_MAP_READ;
	if (perms[1] == 'w')
		out->flags |= PROC_MAP_WRITE;
	if (perms[2] == 'x')
		out->flags |= PROC_MAP_EXEC;
	if (perms[3] == 'p')
		out->flags |= PROC_MAP_PRIVATE;
	/* an inode means a file even when its path is gone ("(deleted)") */
	if (!inode || path[0] == '[')
		out->flags |= path_flags(path);
	return 0;
}

int proc_maps_parse(struct proc_maps *m, const char *text)
{
	const char *line = text;

	m->nr = 0;
	while (*line) {
		const char *nl = strchr(line, '\n');
		struct proc_map map;
		char tmp[512];
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		/* a long path does not matter: only its start is looked at */
		snprintf(tmp, sizeof(tmp), "%.*s", (int)len, line);
		if (len && proc_map_parse_line(tmp, &map))
			return -EINVAL;
		if (len) {
			xgrow((void **)&m->v, m->nr, &m->cap, sizeof(*m->v));
			m->v[m->nr++] = map;
		}
		line += len + (nl ? 1 : 0);
	}
	return 0;
}

/* The whole of a /proc file into m->buf, NUL-terminated. */
static int read_whole(struct proc_maps *m, const char *path)
{
	size_t len = 0;
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		if (m->buf_cap - len < 4096) {
			m->buf_cap = m->buf_cap ? m->buf_cap * 2 : 16384;
			m->buf = xreallocarray(m->buf, m->buf_cap, 1);
		}
		n = read(fd, m->buf + len, m->buf_cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : 0;
			break;
		}
		len += (size_t)n;
	}
	close(fd);
	if (m->buf)
		m->buf[len] = '\0';
	return err;
}

int proc_maps_read(struct proc_maps *m, pid_t pid)
{
	char path[64];
	int err;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	else
		snprintf(path, sizeof(path), "/proc/self/maps");
	err = read_whole(m, path);
	if (err)
		return err;
	return proc_maps_parse(m, m->buf ? m->buf : "");
}

int proc_maps_three_regions(const struct proc_maps *m, uint64_t align,
			    struct mon_ranges *out)
{
	struct damon_addr_range *vmas, three[3];
	size_t i, nr = 0;
	int err;

	vmas = xcalloc(m->nr ? m->nr : 1, sizeof(*vmas));
	for (i = 0; i < m->nr; i++) {
		if (m->v[i].flags & PROC_MAP_GATE)
			continue;
		vmas[nr].start = m->v[i].start;
		vmas[nr].end = m->v[i].end;
		nr++;
	}
	err = damon_three_regions(vmas, nr, align, three);
	free(vmas);
	if (err)
		return err;
	for (i = 0; i < 3; i++)
		mon_ranges_push(out, three[i].start, three[i].end);
	return 0;
}

long proc_maps_find(const struct proc_maps *m, uint64_t addr)
{
	size_t lo = 0, hi = m->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (addr < m->v[mid].start)
			hi = mid;
		else if (addr >= m->v[mid].end)
			lo = mid + 1;
		else
			return (long)mid;
	}
	return -1;
}

static void add_open_error(struct diag *d, const char *path, pid_t pid,
			   int err)
{
	if (!d)
		return;
	if (err == -ENOENT || err == -ESRCH) {
		diag_add(d, "", "no process with pid %d", (int)pid);
		return;
	}
	diag_add(d, "", "cannot open '%s': %s", path, strerror(-err));
	if (err == -EACCES || err == -EPERM)
		diag_add(d, "hint",
			 "damo needs ptrace access to pid %d: run it as the process's owner (and kernel.yama.ptrace_scope 0 or 1 with the target a descendant) or as root",
			 (int)pid);
}

int proc_target_open(struct proc_target *t, pid_t pid, unsigned int flags,
		     struct diag *d)
{
	char path[64];
	int err;

	t->pid = pid;
	t->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	t->pagemap_fd = -1;
	if (t->pidfd < 0) {
		err = -errno;
		if (err != -ENOSYS) {
			add_open_error(d, "pidfd", pid, err);
			return err;
		}
		if (kill(pid, 0) && errno == ESRCH) {
			add_open_error(d, "", pid, -ESRCH);
			return -ESRCH;
		}
	}
	if (!(flags & PROC_TARGET_PAGEMAP))
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	t->pagemap_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (t->pagemap_fd < 0) {
		err = -errno;
		add_open_error(d, path, pid, err);
		proc_target_close(t);
		return err;
	}
	return 0;
}

void proc_target_close(struct proc_target *t)
{
	if (t->pidfd >= 0)
		close(t->pidfd);
	if (t->pagemap_fd >= 0)
		close(t->pagemap_fd);
	t->pidfd = -1;
	t->pagemap_fd = -1;
}

bool proc_target_is_alive(const struct proc_target *t)
{
	struct pollfd p = { .fd = t->pidfd, .events = POLLIN };

	if (t->pidfd >= 0)
		return poll(&p, 1, 0) == 0;
	return !kill(t->pid, 0) || errno == EPERM;
}

int proc_pagemap_read(int fd, uint64_t addr, size_t nr, uint64_t *ents,
		      size_t page_sz)
{
	size_t want = nr * sizeof(*ents), got = 0;
	off_t off = (off_t)(addr / page_sz * sizeof(*ents));
	ssize_t n;

	while (got < want) {
		n = pread(fd, (char *)ents + got, want - got,
			  off + (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			break;
		got += (size_t)n;
	}
	memset((char *)ents + got, 0, want - got);
	return 0;
}

void proc_pagemap_batch_init(struct proc_pagemap_batch *b, size_t max_gap)
{
	memset(b, 0, sizeof(*b));
	b->max_gap = max_gap;
}

void proc_pagemap_batch_release(struct proc_pagemap_batch *b)
{
	free(b->buf);
	proc_pagemap_batch_init(b, 0);
}

/* A read never spans more pages than this (32 KiB of entries). */
#define PAGEMAP_MAX_RUN 4096

/* How many addresses from @i on share one read, and its page span. */
static size_t run_len(const uint64_t *addrs, size_t i, size_t n,
		      size_t page_sz, size_t max_gap, size_t *nr_pages)
{
	uint64_t first = addrs[i] / page_sz, last = first;
	size_t j;

	for (j = i + 1; j < n; j++) {
		uint64_t p = addrs[j] / page_sz;

		if (p < last || p - last > max_gap + 1 ||
		    p - first >= PAGEMAP_MAX_RUN)
			break;
		last = p;
	}
	*nr_pages = (size_t)(last - first + 1);
	return j - i;
}

int proc_pagemap_sample(int fd, const uint64_t *addrs, size_t n,
			uint64_t *ents, size_t page_sz,
			struct proc_pagemap_batch *b)
{
	size_t i = 0, k, cnt, pages;
	int err;

	if (b->cap < PAGEMAP_MAX_RUN) {
		b->buf = xreallocarray(b->buf, PAGEMAP_MAX_RUN,
				       sizeof(*b->buf));
		b->cap = PAGEMAP_MAX_RUN;
	}
	while (i < n) {
		uint64_t first = addrs[i] / page_sz;

		cnt = run_len(addrs, i, n, page_sz, b->max_gap, &pages);
		err = proc_pagemap_read(fd, first * page_sz, pages, b->buf,
					page_sz);
		b->nr_reads++;
		if (err)
			return err;
		for (k = i; k < i + cnt; k++)
			ents[k] = b->buf[addrs[k] / page_sz - first];
		i += cnt;
	}
	return 0;
}

size_t proc_page_size(void)
{
	long sz = sysconf(_SC_PAGESIZE);

	return sz > 0 ? (size_t)sz : 4096;
}

int proc_source_open(struct proc_source *ps, const pid_t *pids, size_t nr,
		     unsigned int flags, struct diag *d)
{
	size_t i;
	int err;

	ps->targets = NULL;
	ps->nr_targets = 0;
	proc_maps_init(&ps->maps);
	ps->page_sz = proc_page_size();
	ps->fixed = false;
	if (!nr) {
		if (d)
			diag_add(d, "", "no target process to monitor");
		return -EINVAL;
	}
	ps->targets = xcalloc(nr, sizeof(*ps->targets));
	for (i = 0; i < nr; i++) {
		err = proc_target_open(&ps->targets[i], pids[i], flags, d);
		if (err) {
			ps->nr_targets = i;
			proc_source_close(ps);
			return err;
		}
	}
	ps->nr_targets = nr;
	return 0;
}

void proc_source_close(struct proc_source *ps)
{
	size_t i;

	for (i = 0; i < ps->nr_targets; i++)
		proc_target_close(&ps->targets[i]);
	free(ps->targets);
	ps->targets = NULL;
	ps->nr_targets = 0;
	proc_maps_release(&ps->maps);
}

int proc_source_init_regions(struct access_source *src, size_t ti,
			     struct mon_ranges *out)
{
	struct proc_source *ps = (struct proc_source *)src;
	int err;

	if (ti >= ps->nr_targets)
		return -EINVAL;
	if (ps->fixed)
		return 0;
	err = proc_maps_read(&ps->maps, ps->targets[ti].pid);
	if (err)
		return err;
	return proc_maps_three_regions(&ps->maps, MON_MIN_REGION, out);
}

/*
 * A pagemap file reads the address space its process had when it was
 * opened: one opened before the process exec'd (a command damo launches,
 * or one that execs itself, as 'sh -c "exec CMD"') watches the image it
 * left, forever.  Reopened at every ops update, it follows the process.
 */
static void reopen_pagemap(struct proc_target *t)
{
	char path[64];
	int fd;

	if (t->pagemap_fd < 0)
		return;
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)t->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;	/* gone: target_valid() tells */
	close(t->pagemap_fd);
	t->pagemap_fd = fd;
}

int proc_source_update_regions(struct access_source *src, size_t ti,
			       struct mon_ranges *out)
{
	struct proc_source *ps = (struct proc_source *)src;
	int err;

	if (ti < ps->nr_targets)
		reopen_pagemap(&ps->targets[ti]);
	if (ps->fixed)
		return 0;
	err = proc_source_init_regions(src, ti, out);
	return err ? err : 1;
}

bool proc_source_target_valid(struct access_source *src, size_t ti)
{
	struct proc_source *ps = (struct proc_source *)src;

	return ti < ps->nr_targets && proc_target_is_alive(&ps->targets[ti]);
}

int proc_statm(pid_t pid, uint64_t *vsz, uint64_t *rss)
{
	unsigned long long size, res;
	char path[64];
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/proc/%ld/statm", (long)pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	n = fscanf(f, "%llu %llu", &size, &res);
	fclose(f);
	if (n != 2)
		return -EINVAL;
	*vsz = size * (uint64_t)sysconf(_SC_PAGESIZE);
	*rss = res * (uint64_t)sysconf(_SC_PAGESIZE);
	return 0;
}
