/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pageidle access source: reads and writes seen through idle page
 * tracking (/sys/kernel/mm/page_idle/bitmap), of processes through the page
 * frame numbers in their pagemap (vaddr), or of physical addresses (paddr).
 * Needs root and a kernel with CONFIG_IDLE_PAGE_TRACKING.  See
 * core/sources/README.md.
 */
#ifndef DAMO_CORE_SOURCES_PAGEIDLE_H
#define DAMO_CORE_SOURCES_PAGEIDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/sources/proc.h"

struct diag;

#define PAGEIDLE_BITMAP "/sys/kernel/mm/page_idle/bitmap"
/* Sampled pages at most this many pages apart share one pagemap pread. */
#define PAGEIDLE_MERGE_PAGES 32

/* One 64-page word of the bitmap that a sample touches. */
struct pageidle_word {
	uint64_t idx;			/* word index: pfn / 64 */
	uint64_t mask;			/* the sampled pages' bits */
	uint64_t val;			/* as last read */
};

/* What prepare() found for one target's sampled pages. */
struct pageidle_sample {
	uint64_t *pfns;			/* PAGEIDLE_NO_PFN: not present */
	bool *tracked;			/* the idle bit stuck: an LRU page */
	size_t n;
	size_t cap;
};

#define PAGEIDLE_NO_PFN UINT64_MAX

struct pageidle_source {
	struct proc_source ps;		/* first; no targets for paddr */
	bool paddr;
	int bitmap_fd;
	struct pageidle_sample *samples;	/* one per target */
	size_t nr_samples;
	struct pageidle_word *words;	/* scratch, sorted by idx */
	size_t nr_words;
	size_t cap_words;
	uint64_t *ents;			/* scratch: pagemap entries */
	size_t ents_cap;
	struct proc_pagemap_batch batch;
	uint64_t nr_bitmap_io;		/* bitmap preads and pwrites */
	uint64_t nr_checked;
	uint64_t nr_accessed;
	uint64_t nr_untracked;		/* sampled pages without an idle bit */
};

/*
 * pageidle_source_init() - watch the @nr processes @pids through their
 * page frame numbers.  @bitmap: the idle bitmap, NULL for
 * PAGEIDLE_BITMAP.  Fails, with why and what would help added to @d (may
 * be NULL), without the bitmap (CONFIG_IDLE_PAGE_TRACKING), without the
 * right to write it (root), when pagemap hides page frame numbers
 * (CAP_SYS_ADMIN), or a process is missing.  Returns 0 or -errno; on
 * failure nothing needs releasing.
 */
int pageidle_source_init(struct pageidle_source *s, const pid_t *pids,
			 size_t nr, const char *bitmap, struct diag *d);
/*
 * pageidle_source_init_paddr() - the same over physical addresses (page
 * frame number = address / page size) for @nr_targets paddr targets,
 * which bring their own regions and never end.
 */
int pageidle_source_init_paddr(struct pageidle_source *s, size_t nr_targets,
			       const char *bitmap, struct diag *d);
/* Closes everything; accepts a released source.  Also its destroy hook. */
void pageidle_source_release(struct pageidle_source *s);

/* pageidle_source_init() of the default bitmap, allocated: its registry row. */
int pageidle_source_create(const pid_t *pids, size_t nr,
			   struct access_source **src, struct diag *d);

#endif /* DAMO_CORE_SOURCES_PAGEIDLE_H */
