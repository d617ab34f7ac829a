/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /proc helpers shared by the access sources that watch processes: the
 * mappings of /proc/PID/maps, a target's liveness through a pidfd, and
 * batched /proc/PID/pagemap reads.
 */
#ifndef DAMO_CORE_SOURCES_PROC_H
#define DAMO_CORE_SOURCES_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/access_source.h"

struct diag;

enum proc_map_flags {
	PROC_MAP_READ = 1 << 0,
	PROC_MAP_WRITE = 1 << 1,
	PROC_MAP_EXEC = 1 << 2,
	PROC_MAP_PRIVATE = 1 << 3,	/* 'p', not 's' */
	PROC_MAP_ANON = 1 << 4,		/* no file: no path, [heap], [stack], [anon:...] */
	PROC_MAP_SPECIAL = 1 << 5,	/* [vdso], [vvar], ...: the kernel's */
	PROC_MAP_GATE = 1 << 6,		/* [vsyscall]: shown, but not a VMA */
};

struct proc_map {
	uint64_t start;
	uint64_t end;
	unsigned int flags;		/* enum proc_map_flags */
};

/* The mappings of one process, sorted by address, and a read buffer. */
struct proc_maps {
	struct proc_map *v;
	size_t nr;
	size_t cap;
	char *buf;
	size_t buf_cap;
};

static inline bool proc_map_is_private_anon_writable(const struct proc_map *m)
{
	unsigned int want = PROC_MAP_WRITE | PROC_MAP_PRIVATE | PROC_MAP_ANON;

	return (m->flags & want) == want;
}

void proc_maps_init(struct proc_maps *m);
void proc_maps_release(struct proc_maps *m);
/*
 * proc_map_parse_line() - one line of /proc/PID/maps ("start-end perms
 * offset dev inode [path]", no newline needed) into @out.  Returns 0 or
 * -EINVAL.
 */
int proc_map_parse_line(const char *line, struct proc_map *out);
/*
 * proc_maps_parse() - every line of @text (NUL-terminated) into @m,
 * replacing its mappings.  Returns 0 or -EINVAL at the first bad line.
 */
int proc_maps_parse(struct proc_maps *m, const char *text);
/*
 * proc_maps_read() - /proc/@pid/maps (0: the caller's own) into @m.
 * Returns 0, or -errno of open/read (-ENOENT/-ESRCH: no such process).
 */
int proc_maps_read(struct proc_maps *m, pid_t pid);
/*
 * proc_maps_three_regions() - the kernel's vaddr initial and updated
 * ranges (damon_three_regions()) of @m's VMAs, aligned to @align, appended
 * to @out.  [vsyscall] is left out as the kernel's VMA tree has no such
 * VMA.  Returns 0 or -EINVAL (fewer than two gaps).
 */
int proc_maps_three_regions(const struct proc_maps *m, uint64_t align,
			    struct mon_ranges *out);
/* The index of the mapping holding @addr, or -1. */
long proc_maps_find(const struct proc_maps *m, uint64_t addr);

/* A watched process: its pid, a pidfd and its pagemap. */
struct proc_target {
	pid_t pid;
	int pidfd;		/* -1: no pidfd_open (before 5.3) */
	int pagemap_fd;		/* -1: not opened */
};

enum proc_target_flags {
	PROC_TARGET_PAGEMAP = 1 << 0,	/* open /proc/PID/pagemap */
};

/*
 * proc_target_open() - @t for process @pid: a pidfd, and its pagemap when
 * @flags asks.  On failure returns -errno with the reason, and a hint on
 * what would make it work, added to @d (may be NULL).
 */
int proc_target_open(struct proc_target *t, pid_t pid, unsigned int flags,
		     struct diag *d);
/* Closes what is open; accepts a closed target. */
void proc_target_close(struct proc_target *t);
/*
 * proc_target_is_alive() - whether the process still runs.  A pidfd turns
 * readable when it exits (zombies included); without one, kill(pid, 0).
 */
bool proc_target_is_alive(const struct proc_target *t);

/*
 * proc_pagemap_read() - the pagemap entries of @nr pages from @addr (page
 * aligned) with one pread into @ents.  Entries past the end of the
 * address space read as 0.  Returns 0 or -errno.
 */
int proc_pagemap_read(int fd, uint64_t addr, size_t nr, uint64_t *ents,
		      size_t page_sz);

/* Scratch and counters of proc_pagemap_sample(). */
struct proc_pagemap_batch {
	uint64_t *buf;
	size_t cap;
	size_t max_gap;		/* pages between two samples read through */
	uint64_t nr_reads;	/* preads so far */
};

void proc_pagemap_batch_init(struct proc_pagemap_batch *b, size_t max_gap);
void proc_pagemap_batch_release(struct proc_pagemap_batch *b);
/*
 * proc_pagemap_sample() - the pagemap entry of each of @n addresses into
 * @ents[i].  Addresses in ascending order whose pages lie at most
 * b->max_gap pages apart share one pread, so a sample costs one read per
 * cluster of nearby addresses, not per address.  Returns 0 or -errno.
 */
int proc_pagemap_sample(int fd, const uint64_t *addrs, size_t n,
			uint64_t *ents, size_t page_sz,
			struct proc_pagemap_batch *b);

/*
 * The part common to the sources that watch processes (uffd, softdirty,
 * pageidle on vaddr): embed it first; its hooks serve init_regions,
 * update_regions and target_valid for all of them.
 */
struct proc_source {
	struct access_source base;
	struct proc_target *targets;
	size_t nr_targets;
	struct proc_maps maps;		/* scratch of the region updates */
	size_t page_sz;
	bool fixed;			/* fvaddr: user regions only, kept */
};

/*
 * proc_source_open() - open a proc_target for each of the @nr pids (see
 * proc_target_open() for @flags and @d).  @ps->base.ops is left alone.
 * Returns 0, or -EINVAL without pids, or the first target's -errno (then
 * nothing stays open).
 */
int proc_source_open(struct proc_source *ps, const pid_t *pids, size_t nr,
		     unsigned int flags, struct diag *d);
/* Closes every target; accepts a closed source. */
void proc_source_close(struct proc_source *ps);
/*
 * access_source_ops hooks: the vaddr three regions of /proc/PID/maps, or
 * with @fixed set (fvaddr) no initial ranges and no updates.
 */
int proc_source_init_regions(struct access_source *src, size_t ti,
			     struct mon_ranges *out);
int proc_source_update_regions(struct access_source *src, size_t ti,
			       struct mon_ranges *out);
bool proc_source_target_valid(struct access_source *src, size_t ti);

/*
 * proc_statm() - the virtual and resident sizes of process @pid in bytes,
 * from /proc/PID/statm.  Returns 0, or -errno (-ENOENT once it is gone).
 */
int proc_statm(pid_t pid, uint64_t *vsz, uint64_t *rss);

/* The system page size (sysconf). */
size_t proc_page_size(void);

#endif /* DAMO_CORE_SOURCES_PROC_H */
