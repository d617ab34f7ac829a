/* SPDX-License-Identifier: GPL-2.0 */
/* The pageidle access source: idle page tracking by page frame number. */
#include "core/sources/pageidle.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/sources/compat_uffd.h"
#include "core/xalloc.h"

static int pageidle_prepare(struct access_source *src, size_t ti,
			    const uint64_t *addrs, size_t n);
static int pageidle_check(struct access_source *src, size_t ti,
			  const uint64_t *addrs, size_t n, bool *accessed);

static void pageidle_destroy(struct access_source *src)
{
	pageidle_source_release((struct pageidle_source *)src);
}

static const struct access_source_ops pageidle_vaddr_ops = {
	.init_regions = proc_source_init_regions,
	.update_regions = proc_source_update_regions,
	.prepare = pageidle_prepare,
	.check = pageidle_check,
	.target_valid = proc_source_target_valid,
	.destroy = pageidle_destroy,
};

/* paddr: user regions only, never updated, never ends */
static const struct access_source_ops pageidle_paddr_ops = {
	.prepare = pageidle_prepare,
	.check = pageidle_check,
	.destroy = pageidle_destroy,
};

static int open_bitmap(struct pageidle_source *s, const char *path,
		       struct diag *d)
{
	int err;

	s->bitmap_fd = open(path, O_RDWR | O_CLOEXEC);
	if (s->bitmap_fd >= 0)
		return 0;
	err = -errno;
	if (!d)
		return err;
	if (err == -ENOENT) {
		diag_add(d, "", "idle page tracking is not available: no '%s'",
			 path);
		diag_add(d, "hint",
			 "the pageidle source needs a kernel built with CONFIG_IDLE_PAGE_TRACKING (Debian's cloud kernels are not); the softdirty or uffd source sees writes without it");
	} else {
		diag_add(d, "", "cannot open '%s': %s", path, strerror(-err));
		if (err == -EACCES || err == -EPERM)
			diag_add(d, "hint", "the pageidle source needs root");
	}
	return err;
}

/* Whether pagemap shows page frame numbers to us (CAP_SYS_ADMIN, 4.2). */
static int pfns_visible(size_t pg, struct diag *d)
{
	volatile char *p;
	uint64_t ent = 0;
	int fd, err;

	p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	p[0] = 1;
	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	err = fd < 0 ? -errno : proc_pagemap_read(fd, (uintptr_t)p, 1, &ent,
						   pg);
	if (fd >= 0)
		close(fd);
	munmap((void *)p, pg);
	if (!err && !(ent & PM_ENTRY_PFN_MASK))
		err = -EPERM;
	if (err && d) {
		diag_add(d, "", "/proc/PID/pagemap hides page frame numbers from damo");
		diag_add(d, "hint", "the pageidle source needs root (CAP_SYS_ADMIN)");
	}
	return err;
}

static void init_common(struct pageidle_source *s, size_t nr_samples)
{
	s->samples = xcalloc(nr_samples ? nr_samples : 1,
			     sizeof(*s->samples));
	s->nr_samples = nr_samples;
	proc_pagemap_batch_init(&s->batch, PAGEIDLE_MERGE_PAGES);
}

int pageidle_source_init(struct pageidle_source *s, const pid_t *pids,
			 size_t nr, const char *bitmap, struct diag *d)
{
	int err;

	memset(s, 0, sizeof(*s));
	s->bitmap_fd = -1;
	err = open_bitmap(s, bitmap ? bitmap : PAGEIDLE_BITMAP, d);
	if (!err)
		err = pfns_visible(proc_page_size(), d);
	if (!err)
		err = proc_source_open(&s->ps, pids, nr, PROC_TARGET_PAGEMAP,
				       d);
	if (err) {
		if (s->bitmap_fd >= 0)
			close(s->bitmap_fd);
		memset(s, 0, sizeof(*s));
		return err;
	}
	init_common(s, nr);
	s->ps.base.ops = &pageidle_vaddr_ops;
	return 0;
}

int pageidle_source_init_paddr(struct pageidle_source *s, size_t nr_targets,
			       const char *bitmap, struct diag *d)
{
	int err;

	memset(s, 0, sizeof(*s));
	s->bitmap_fd = -1;
	err = open_bitmap(s, bitmap ? bitmap : PAGEIDLE_BITMAP, d);
	if (err) {
		memset(s, 0, sizeof(*s));
		return err;
	}
	s->paddr = true;
	s->ps.page_sz = proc_page_size();
	init_common(s, nr_targets);
	s->ps.base.ops = &pageidle_paddr_ops;
	return 0;
}

void pageidle_source_release(struct pageidle_source *s)
{
	size_t i;

	for (i = 0; s->samples && i < s->nr_samples; i++) {
		free(s->samples[i].pfns);
		free(s->samples[i].tracked);
	}
	free(s->samples);
	free(s->words);
	free(s->ents);
	if (s->bitmap_fd >= 0)
		close(s->bitmap_fd);
	proc_pagemap_batch_release(&s->batch);
	proc_source_close(&s->ps);
	memset(s, 0, sizeof(*s));
	s->bitmap_fd = -1;
}

static int cmp_word(const void *a, const void *b)
{
	const struct pageidle_word *x = a, *y = b;

	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* s->words: the bitmap words of @pfns with their bits, sorted, unique. */
static void build_words(struct pageidle_source *s, const uint64_t *pfns,
			size_t n)
{
	size_t i, w = 0;

	s->nr_words = 0;
	for (i = 0; i < n; i++) {
		if (pfns[i] == PAGEIDLE_NO_PFN)
			continue;
		xgrow((void **)&s->words, s->nr_words, &s->cap_words,
		      sizeof(*s->words));
		s->words[s->nr_words].idx = pfns[i] / 64;
		s->words[s->nr_words].mask = 1ULL << (pfns[i] % 64);
		s->words[s->nr_words].val = 0;
		s->nr_words++;
	}
	qsort(s->words, s->nr_words, sizeof(*s->words), cmp_word);
	for (i = 0; i < s->nr_words; i++) {
		if (w && s->words[w - 1].idx == s->words[i].idx)
			s->words[w - 1].mask |= s->words[i].mask;
		else
			s->words[w++] = s->words[i];
	}
	s->nr_words = w;
}

/*
 * Write the masks of s->words to the bitmap (each set bit marks its page
 * idle; zero bits are ignored by the kernel), or read their values back.
 * Adjacent words share one pread or pwrite.
 */
static int io_words(struct pageidle_source *s, bool write_masks)
{
	uint64_t buf[64];
	size_t i = 0, j, k;
	ssize_t ret;

	while (i < s->nr_words) {
		for (j = i + 1; j < s->nr_words && j - i < 64 &&
		     s->words[j].idx == s->words[j - 1].idx + 1; j++)
			;
		for (k = i; k < j; k++)
			buf[k - i] = s->words[k].mask;
		if (write_masks)
			ret = pwrite(s->bitmap_fd, buf, (j - i) * 8,
				     (off_t)(s->words[i].idx * 8));
		else
			ret = pread(s->bitmap_fd, buf, (j - i) * 8,
				    (off_t)(s->words[i].idx * 8));
		s->nr_bitmap_io++;
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0)
			return -errno;
		/* past the last page frame the kernel reads nothing */
		for (k = i; !write_masks && k < j; k++)
			s->words[k].val = k - i < (size_t)ret / 8 ?
					  buf[k - i] : 0;
		i = j;
	}
	return 0;
}

static uint64_t word_val(const struct pageidle_source *s, uint64_t pfn)
{
	size_t lo = 0, hi = s->nr_words;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->words[mid].idx == pfn / 64)
			return s->words[mid].val;
		if (s->words[mid].idx < pfn / 64)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* The page frame numbers of @n sampled addresses into @sm. */
static int sample_pfns(struct pageidle_source *s, size_t ti,
		       const uint64_t *addrs, size_t n,
		       struct pageidle_sample *sm)
{
	size_t i;
	int err;

	if (sm->cap < n) {
		sm->pfns = xreallocarray(sm->pfns, n, sizeof(*sm->pfns));
		sm->tracked = xreallocarray(sm->tracked, n,
					    sizeof(*sm->tracked));
		sm->cap = n;
	}
	sm->n = n;
	if (s->paddr) {
		for (i = 0; i < n; i++)
			sm->pfns[i] = addrs[i] / s->ps.page_sz;
		return 0;
	}
	if (s->ents_cap < n) {
		s->ents = xreallocarray(s->ents, n, sizeof(*s->ents));
		s->ents_cap = n;
	}
	err = proc_pagemap_sample(s->ps.targets[ti].pagemap_fd, addrs, n,
				  s->ents, s->ps.page_sz, &s->batch);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		uint64_t pfn = s->ents[i] & PM_ENTRY_PFN_MASK;

		sm->pfns[i] = (s->ents[i] & PM_ENTRY_PRESENT) && pfn ?
			      pfn : PAGEIDLE_NO_PFN;
	}
	return 0;
}

/*
 * Mark the sampled pages idle, then read the bits back: the kernel
 * ignores pages that are not on an LRU list (kernel memory, free pages),
 * whose bits stay clear and would otherwise read as "accessed".
 */
static int pageidle_prepare(struct access_source *src, size_t ti,
			    const uint64_t *addrs, size_t n)
{
	struct pageidle_source *s = (struct pageidle_source *)src;
	struct pageidle_sample *sm;
	size_t i;
	int err;

	if (ti >= s->nr_samples)
		return -EINVAL;
	sm = &s->samples[ti];
	err = sample_pfns(s, ti, addrs, n, sm);
	if (err) {
		sm->n = 0;
		return err;
	}
	build_words(s, sm->pfns, n);
	err = io_words(s, true);
	if (!err)
		err = io_words(s, false);
	for (i = 0; i < n; i++) {
		sm->tracked[i] = !err && sm->pfns[i] != PAGEIDLE_NO_PFN &&
				 (word_val(s, sm->pfns[i]) >> (sm->pfns[i] % 64) & 1);
		s->nr_untracked += !sm->tracked[i];
	}
	return err;
}

/* A tracked page whose idle bit was cleared since prepare was accessed. */
static int pageidle_check(struct access_source *src, size_t ti,
			  const uint64_t *addrs, size_t n, bool *accessed)
{
	struct pageidle_source *s = (struct pageidle_source *)src;
	struct pageidle_sample *sm;
	size_t i;
	int err;

	(void)addrs;
	if (ti >= s->nr_samples)
		return -EINVAL;
	sm = &s->samples[ti];
	if (sm->n != n)
		return -EINVAL;
	build_words(s, sm->pfns, n);
	err = io_words(s, false);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		accessed[i] = sm->tracked[i] &&
			      !(word_val(s, sm->pfns[i]) >> (sm->pfns[i] % 64) & 1);
		s->nr_accessed += accessed[i];
	}
	s->nr_checked += n;
	return 0;
}

int pageidle_source_create(const pid_t *pids, size_t nr,
			   struct access_source **src, struct diag *d)
{
	struct pageidle_source *s = xcalloc(1, sizeof(*s));
	int err = pageidle_source_init(s, pids, nr, NULL, d);

	if (err) {
		free(s);
		return err;
	}
	*src = &s->ps.base;
	return 0;
}
