/* SPDX-License-Identifier: GPL-2.0 */
/* Page information from pagemap, kpageflags, kpagecgroup and page_idle. */
#include "core/sources/pageflags.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/xalloc.h"

/* Largest folio searched for: 1 GiB of 4 KiB pages. */
#define MAX_FOLIO_PAGES (1ULL << 18)
#define CAP_SYS_ADMIN_BIT 21

void page_files_init(struct page_files *pf, const char *kpageflags,
		     const char *kpagecgroup, const char *idle_bitmap)
{
	memset(pf, 0, sizeof(*pf));
	pf->kpageflags = xstrdup(kpageflags ? kpageflags : PAGEFLAGS_KPAGEFLAGS);
	pf->kpagecgroup = xstrdup(kpagecgroup ? kpagecgroup :
				  PAGEFLAGS_KPAGECGROUP);
	pf->idle_bitmap = xstrdup(idle_bitmap ? idle_bitmap :
				  PAGEFLAGS_IDLE_BITMAP);
	pf->kpageflags_fd = pf->kpagecgroup_fd = pf->idle_fd = -1;
}

void page_files_release(struct page_files *pf)
{
	if (pf->kpageflags_fd >= 0)
		close(pf->kpageflags_fd);
	if (pf->kpagecgroup_fd >= 0)
		close(pf->kpagecgroup_fd);
	if (pf->idle_fd >= 0)
		close(pf->idle_fd);
	free(pf->kpageflags);
	free(pf->kpagecgroup);
	free(pf->idle_bitmap);
	memset(pf, 0, sizeof(*pf));
	pf->kpageflags_fd = pf->kpagecgroup_fd = pf->idle_fd = -1;
}

static int open_one(int *fd, const char *path, int flags, const char *what,
		    const char *missing, struct diag *d)
{
	int err;

	if (*fd >= 0)
		return 0;
	*fd = open(path, flags | O_CLOEXEC);
	if (*fd >= 0)
		return 0;
	err = -errno;
	if (!d)
		return err;
	diag_add(d, "", "cannot open '%s' (%s): %s", path, what,
		 strerror(-err));
	if (err == -ENOENT)
		diag_add(d, "hint", "%s", missing);
	else if (err == -EACCES || err == -EPERM)
		diag_add(d, "hint", "only root may read '%s': run damo as root",
			 path);
	return err;
}

int page_files_open(struct page_files *pf, unsigned int need, struct diag *d)
{
	int err = 0;

	if (need & (PAGE_NEED_FLAGS | PAGE_NEED_FOLIO))
		err = open_one(&pf->kpageflags_fd, pf->kpageflags, O_RDONLY,
			       "page flags",
			       "this kernel has no page flags file (CONFIG_PROC_PAGE_MONITOR)",
			       d);
	if (!err && (need & PAGE_NEED_CGROUP))
		err = open_one(&pf->kpagecgroup_fd, pf->kpagecgroup, O_RDONLY,
			       "the memory cgroup of each page",
			       "this kernel has no kpagecgroup (it needs CONFIG_MEMCG)",
			       d);
	if (!err && (need & PAGE_NEED_YOUNG))
		err = open_one(&pf->idle_fd, pf->idle_bitmap, O_RDWR,
			       "idle page tracking",
			       "this kernel has no idle page tracking (CONFIG_IDLE_PAGE_TRACKING): page table accessed bits are visible from outside only through it, so the young filter cannot be decided",
			       d);
	return err;
}

bool pagemap_shows_pfn(void)
{
	char line[256];
	bool ok = false;
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long caps;

		if (sscanf(line, "CapEff: %llx", &caps) == 1) {
			ok = caps & (1ULL << CAP_SYS_ADMIN_BIT);
			break;
		}
	}
	fclose(f);
	return ok;
}

void page_chunk_init(struct page_chunk *pc)
{
	memset(pc, 0, sizeof(*pc));
}

void page_chunk_release(struct page_chunk *pc)
{
	free(pc->pm);
	free(pc->kflags);
	free(pc->cgroup);
	free(pc->folio_sz);
	free(pc->young);
	page_chunk_init(pc);
}

static int pread_all(int fd, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done,
				  (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n) {
			/* past the end: no such frames */
			memset((char *)buf + done, 0, len - done);
			break;
		}
		done += (size_t)n;
	}
	return 0;
}

static bool has_frame(uint64_t pm)
{
	return (pm & PM_PRESENT) && (pm & PM_PFN_MASK);
}

/*
 * Per-frame u64 values of @fd (kpageflags, kpagecgroup) for the pages of
 * @pc with a frame, one pread per run of consecutive frames.
 */
static int read_per_frame(struct page_chunk *pc, struct page_files *pf,
			  int fd, uint64_t *out)
{
	size_t i = 0, j;
	int err;

	while (i < pc->nr) {
		uint64_t pfn;

		if (!has_frame(pc->pm[i])) {
			out[i++] = 0;
			continue;
		}
		pfn = pc->pm[i] & PM_PFN_MASK;
		for (j = i + 1; j < pc->nr && has_frame(pc->pm[j]) &&
		     (pc->pm[j] & PM_PFN_MASK) == pfn + (j - i); j++)
			;
		err = pread_all(fd, out + i, (j - i) * sizeof(*out), pfn * 8);
		pf->nr_reads++;
		if (err)
			return err;
		i = j;
	}
	return 0;
}

/* The flags of frames [lo, lo + n) into a new array. */
static uint64_t *read_flags(struct page_files *pf, uint64_t lo, size_t n)
{
	uint64_t *buf = xreallocarray(NULL, n ? n : 1, sizeof(*buf));

	pf->nr_reads++;
	if (pread_all(pf->kpageflags_fd, buf, n * sizeof(*buf), lo * 8)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/*
 * The folio of frame @pfn with flags @fl: [*head, *head + *nr) frames.
 * Folios are naturally aligned; the head has KPF_COMPOUND_HEAD and every
 * other frame KPF_COMPOUND_TAIL.  Returns 0 or -errno.
 */
static int find_folio(struct page_files *pf, uint64_t pfn, uint64_t fl,
		      uint64_t *head, uint64_t *nr)
{
	const uint64_t compound = (1ULL << KPF_COMPOUND_HEAD) |
				  (1ULL << KPF_COMPOUND_TAIL);
	uint64_t w, *buf, n;
	size_t k;

	*head = pfn;
	*nr = 1;
	if (!(fl & compound))
		return 0;
	if (!(fl & (1ULL << KPF_COMPOUND_HEAD))) {
		uint64_t scan = pfn;	/* frames below are not read yet */
		bool found = false;

		for (w = PAGE_CHUNK_PAGES; !found && scan &&
		     pfn - scan < MAX_FOLIO_PAGES; w *= 8) {
			uint64_t lo = scan > w ? scan - w : 0;

			buf = read_flags(pf, lo, (size_t)(scan - lo));
			if (!buf)
				return -EIO;
			for (k = (size_t)(scan - lo); k-- > 0;) {
				if (buf[k] & (1ULL << KPF_COMPOUND_HEAD)) {
					*head = lo + k;
					found = true;
					break;
				}
				if (!(buf[k] & (1ULL << KPF_COMPOUND_TAIL))) {
					free(buf);
					return -ENOENT;
				}
			}
			free(buf);
			scan = lo;
		}
		if (!found)
			return -ENOENT;
	}
	n = 1;
	for (w = PAGE_CHUNK_PAGES; n < MAX_FOLIO_PAGES; w *= 8) {
		buf = read_flags(pf, *head + n, (size_t)w);
		if (!buf)
			return -EIO;
		for (k = 0; k < w && (buf[k] & (1ULL << KPF_COMPOUND_TAIL));
		     k++)
			;
		free(buf);
		n += k;
		if (k < w)
			break;
	}
	*nr = n;
	return 0;
}

static int fill_folios(struct page_chunk *pc, struct page_files *pf,
		       size_t page_sz)
{
	uint64_t head = 0, nr = 0;
	size_t i;
	int err;

	for (i = 0; i < pc->nr; i++) {
		uint64_t pfn = pc->pm[i] & PM_PFN_MASK;

		pc->folio_sz[i] = 0;
		if (!has_frame(pc->pm[i]))
			continue;
		if (!(nr && head <= pfn && pfn < head + nr)) {
			err = find_folio(pf, pfn, pc->kflags[i], &head, &nr);
			if (err) {
				nr = 0;
				continue;
			}
		}
		pc->folio_sz[i] = nr * page_sz;
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The sorted distinct bitmap words of the framed pages [from, from + n)
 * of @pc into *@words; returns how many.
 */
static size_t idle_words(const struct page_chunk *pc, size_t from, size_t n,
			 uint64_t **words)
{
	size_t i, nr = 0, k;

	*words = xreallocarray(NULL, n ? n : 1, sizeof(**words));
	for (i = from; i < from + n; i++)
		if (has_frame(pc->pm[i]))
			(*words)[nr++] = (pc->pm[i] & PM_PFN_MASK) / 64;
	qsort(*words, nr, sizeof(**words), cmp_u64);
	for (i = 0, k = 0; i < nr; i++)
		if (!k || (*words)[k - 1] != (*words)[i])
			(*words)[k++] = (*words)[i];
	return k;
}

/* young: a page whose idle bit is clear was accessed (or never marked). */
static int fill_young(struct page_chunk *pc, struct page_files *pf)
{
	uint64_t *words, *vals;
	size_t nr = idle_words(pc, 0, pc->nr, &words), i, j;
	int err = 0;

	vals = xreallocarray(NULL, nr ? nr : 1, sizeof(*vals));
	for (i = 0; i < nr && !err; i = j) {
		for (j = i + 1; j < nr && words[j] == words[i] + (j - i); j++)
			;
		err = pread_all(pf->idle_fd, vals + i, (j - i) * 8,
				words[i] * 8);
		pf->nr_reads++;
	}
	for (i = 0; i < pc->nr && !err; i++) {
		uint64_t pfn = pc->pm[i] & PM_PFN_MASK, *w;

		pc->young[i] = false;
		if (!has_frame(pc->pm[i]))
			continue;
		w = bsearch(&(uint64_t){ pfn / 64 }, words, nr,
			    sizeof(*words), cmp_u64);
		pc->young[i] = !(vals[w - words] & (1ULL << (pfn % 64)));
	}
	free(words);
	free(vals);
	return err;
}

int page_chunk_mkold(struct page_chunk *pc, struct page_files *pf,
		     size_t from, size_t n)
{
	uint64_t *words, *vals;
	size_t nr, i, j;
	int err = 0;

	if (pf->idle_fd < 0 || from + n > pc->nr)
		return -EINVAL;
	nr = idle_words(pc, from, n, &words);
	vals = xcalloc(nr ? nr : 1, sizeof(*vals));
	for (i = from; i < from + n; i++) {
		uint64_t pfn = pc->pm[i] & PM_PFN_MASK, *w;

		if (!has_frame(pc->pm[i]))
			continue;
		w = bsearch(&(uint64_t){ pfn / 64 }, words, nr,
			    sizeof(*words), cmp_u64);
		vals[w - words] |= 1ULL << (pfn % 64);
		if (pc->young)
			pc->young[i] = false;
	}
	/* ones set the idle flag, zeroes are ignored */
	for (i = 0; i < nr && !err; i = j) {
		ssize_t done;

		for (j = i + 1; j < nr && words[j] == words[i] + (j - i); j++)
			;
		done = pwrite(pf->idle_fd, vals + i, (j - i) * 8,
			      (off_t)(words[i] * 8));
		pf->nr_reads++;
		if (done < 0)
			err = -errno;
	}
	free(words);
	free(vals);
	return err;
}

static void grow(void **p, size_t cap, size_t sz)
{
	*p = xreallocarray(*p, cap, sz);
}

int page_chunk_read(struct page_chunk *pc, struct page_files *pf,
		    int pagemap_fd, uint64_t start, size_t nr,
		    unsigned int need, size_t page_sz)
{
	int err;

	if (!nr || nr > PAGE_CHUNK_PAGES || start % page_sz)
		return -EINVAL;
	if (need & PAGE_NEED_FOLIO)
		need |= PAGE_NEED_FLAGS;
	if (nr > pc->cap) {
		grow((void **)&pc->pm, nr, sizeof(*pc->pm));
		grow((void **)&pc->kflags, nr, sizeof(*pc->kflags));
		grow((void **)&pc->cgroup, nr, sizeof(*pc->cgroup));
		grow((void **)&pc->folio_sz, nr, sizeof(*pc->folio_sz));
		grow((void **)&pc->young, nr, sizeof(*pc->young));
		pc->cap = nr;
	}
	pc->start = start;
	pc->nr = nr;
	pc->have = 0;
	err = pread_all(pagemap_fd, pc->pm, nr * 8, start / page_sz * 8);
	pf->nr_reads++;
	if (err)
		return err;
	if ((need & PAGE_NEED_FLAGS) &&
	    (err = read_per_frame(pc, pf, pf->kpageflags_fd, pc->kflags)))
		return err;
	if ((need & PAGE_NEED_CGROUP) &&
	    (err = read_per_frame(pc, pf, pf->kpagecgroup_fd, pc->cgroup)))
		return err;
	if ((need & PAGE_NEED_FOLIO) &&
	    (err = fill_folios(pc, pf, page_sz)))
		return err;
	if ((need & PAGE_NEED_YOUNG) && (err = fill_young(pc, pf)))
		return err;
	pc->have = need;
	return 0;
}

unsigned int page_filter_needs(enum damos_filter_type type)
{
	switch (type) {
	case DAMOS_FILTER_ACTIVE:
		return PAGE_NEED_FLAGS;
	case DAMOS_FILTER_MEMCG:
		return PAGE_NEED_CGROUP;
	case DAMOS_FILTER_YOUNG:
		return PAGE_NEED_YOUNG;
	case DAMOS_FILTER_HUGEPAGE_SIZE:
		return PAGE_NEED_FOLIO;
	default:
		return 0;
	}
}

bool page_filter_match(const struct damos_filter *f,
		       const struct page_chunk *pc, size_t i,
		       uint64_t memcg_ino)
{
	uint64_t pm = pc->pm[i];

	if (f->type == DAMOS_FILTER_UNMAPPED)
		return !(pm & PM_PRESENT);
	if (!(pm & PM_PRESENT))
		return false;
	switch (f->type) {
	case DAMOS_FILTER_ANON:
		return !(pm & PM_FILE_SHARED_ANON);
	case DAMOS_FILTER_ACTIVE:
		return (pc->have & PAGE_NEED_FLAGS) &&
		       (pc->kflags[i] & (1ULL << KPF_ACTIVE));
	case DAMOS_FILTER_MEMCG:
		return (pc->have & PAGE_NEED_CGROUP) && memcg_ino &&
		       pc->cgroup[i] == memcg_ino;
	case DAMOS_FILTER_YOUNG:
		return (pc->have & PAGE_NEED_YOUNG) && pc->young[i];
	case DAMOS_FILTER_HUGEPAGE_SIZE:
		return (pc->have & PAGE_NEED_FOLIO) && pc->folio_sz[i] &&
		       f->min_hugepage_sz <= pc->folio_sz[i] &&
		       pc->folio_sz[i] <= f->max_hugepage_sz;
	default:
		return false;
	}
}
