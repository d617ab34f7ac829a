/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kernel shows from outside about the pages of a process, for the
 * embedded monitor's DAMOS ops filters: /proc/PID/pagemap entries, and for
 * their frame numbers /proc/kpageflags, /proc/kpagecgroup and the idle
 * page bitmap.  Reads are batched: one pread per run of consecutive pages
 * or frames.  See core/sources/README.md, "Ops filters".
 */
#ifndef DAMO_CORE_SOURCES_PAGEFLAGS_H
#define DAMO_CORE_SOURCES_PAGEFLAGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/damon.h"

struct diag;

/* pagemap entry bits (Documentation/admin-guide/mm/pagemap.rst) */
#define PM_PRESENT (1ULL << 63)
#define PM_SWAP (1ULL << 62)
#define PM_FILE_SHARED_ANON (1ULL << 61)
#define PM_EXCLUSIVE (1ULL << 56)
#define PM_PFN_MASK ((1ULL << 55) - 1)

/* /proc/kpageflags bits (include/uapi/linux/kernel-page-flags.h) */
#define KPF_REFERENCED 2
#define KPF_LRU 5
#define KPF_ACTIVE 6
#define KPF_ANON 12
#define KPF_COMPOUND_HEAD 15
#define KPF_COMPOUND_TAIL 16
#define KPF_HUGE 17
#define KPF_NOPAGE 20
#define KPF_THP 22
#define KPF_IDLE 25

#define PAGEFLAGS_KPAGEFLAGS "/proc/kpageflags"
#define PAGEFLAGS_KPAGECGROUP "/proc/kpagecgroup"
#define PAGEFLAGS_IDLE_BITMAP "/sys/kernel/mm/page_idle/bitmap"

/* Pages one chunk covers at most: 4 KiB of pagemap. */
#define PAGE_CHUNK_PAGES 512

/* What a chunk holds beyond the pagemap entries. */
enum page_need {
	PAGE_NEED_FLAGS = 1 << 0,	/* kpageflags */
	PAGE_NEED_CGROUP = 1 << 1,	/* kpagecgroup: memcg inode */
	PAGE_NEED_FOLIO = 1 << 2,	/* folio size (and flags) */
	PAGE_NEED_YOUNG = 1 << 3,	/* idle bitmap */
};

/* The system-wide files, opened on demand; paths settable for tests. */
struct page_files {
	char *kpageflags;
	char *kpagecgroup;
	char *idle_bitmap;
	int kpageflags_fd;		/* -1: not open */
	int kpagecgroup_fd;
	int idle_fd;
	uint64_t nr_reads;		/* preads and pwrites so far */
};

/* Page information of [start, start + nr pages) of one process. */
struct page_chunk {
	uint64_t start;
	size_t nr;
	size_t cap;
	unsigned int have;		/* enum page_need */
	uint64_t *pm;
	uint64_t *kflags;		/* 0 for pages without a frame */
	uint64_t *cgroup;
	uint64_t *folio_sz;		/* bytes; 0 without a frame */
	bool *young;
};

/* NULL paths: the kernel's files. */
void page_files_init(struct page_files *pf, const char *kpageflags,
		     const char *kpagecgroup, const char *idle_bitmap);
void page_files_release(struct page_files *pf);
/*
 * page_files_open() - open what @need asks for (and is not open yet).
 * Returns 0, or -errno with the file, why and what would help added to
 * @d (may be NULL).
 */
int page_files_open(struct page_files *pf, unsigned int need,
		    struct diag *d);

/*
 * pagemap_shows_pfn() - whether this process sees frame numbers in
 * pagemap: the kernel shows them only to openers with CAP_SYS_ADMIN
 * (since 4.2), and zeroes them otherwise.
 */
bool pagemap_shows_pfn(void);

void page_chunk_init(struct page_chunk *pc);
void page_chunk_release(struct page_chunk *pc);
/*
 * page_chunk_read() - the pagemap entries of the @nr (at most
 * PAGE_CHUNK_PAGES) pages from @start (page aligned) of the process whose
 * pagemap is @pagemap_fd, in one pread, and what @need asks of their
 * frames (@pf opened for it).  Returns 0 or -errno.
 */
int page_chunk_read(struct page_chunk *pc, struct page_files *pf,
		    int pagemap_fd, uint64_t start, size_t nr,
		    unsigned int need, size_t page_sz);
/*
 * page_chunk_mkold() - what the kernel's young filter does to a young
 * folio it matched: mark pages [@from, @from + @n) of @pc idle again.
 */
int page_chunk_mkold(struct page_chunk *pc, struct page_files *pf,
		     size_t from, size_t n);

/*
 * page_filter_match() - whether page @i of @pc matches ops filter @f
 * (active, young, hugepage_size, memcg with the memcg's inode
 * @memcg_ino, unmapped; anon by the page: present and neither file nor
 * shared memory).  Pages without a frame match only unmapped.
 */
bool page_filter_match(const struct damos_filter *f,
		       const struct page_chunk *pc, size_t i,
		       uint64_t memcg_ino);
/* What page_filter_match() needs in a chunk for @type. */
unsigned int page_filter_needs(enum damos_filter_type type);

#endif /* DAMO_CORE_SOURCES_PAGEFLAGS_H */
