/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unit tests of the embedded monitor's ops filters decided from outside
 * (core/actions_madvise.c with core/sources/pageflags.c) on real memory: a
 * forked child with anonymous, file, shared and transparent huge page
 * mappings and a hole, and damo-workload.  Root parts (frame numbers,
 * kpageflags, kpagecgroup) skip without root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/actions_madvise.h"
#include "core/damon.h"
#include "core/diag.h"
#include "core/sources/metrics.h"
#include "core/sources/pageflags.h"
#include "core/xalloc.h"

#define PG 4096ULL
#define MIB (1024ULL * 1024)
#define THP (2 * MIB)

/* What the child mapped, at the same addresses in the child. */
struct layout {
	char *anon;		/* 64 pages, the first 32 written */
	char *pfile;		/* private file mapping, 16 pages read, 0-3 written */
	char *sfile;		/* shared file mapping, 256 pages read */
	char *shm;		/* shared anonymous, 8 pages written */
	char *hole;		/* 3 pages, the middle one unmapped, 0 and 2 written */
	char *thp;		/* 2 MiB aligned, MADV_HUGEPAGE, written */
	char *big;		/* 1 GiB reserved, one page written at 512 MiB */
	char path[64];
};

static struct layout lay;
static pid_t child;
static struct madvise_actions acts;

static bool diag_has(const struct diag *d, const char *s)
{
	size_t i;

	for (i = 0; i < d->nr; i++)
		if (strstr(d->v[i].msg, s))
			return true;
	return false;
}

static void map_all(void)
{
	char *buf = xmalloc(256 * PG), *t;
	int fd;

	snprintf(lay.path, sizeof(lay.path), "/tmp/damo-test-filt-XXXXXX");
	fd = mkstemp(lay.path);
	assert_true(fd >= 0);
	memset(buf, 'f', 256 * PG);
	assert_int_equal(write(fd, buf, 256 * PG), (ssize_t)(256 * PG));
	/* read twice: the kernel marks the page cache accessed, then active */
	assert_int_equal(pread(fd, buf, 256 * PG, 0), (ssize_t)(256 * PG));
	assert_int_equal(pread(fd, buf, 256 * PG, 0), (ssize_t)(256 * PG));
	free(buf);
	lay.anon = mmap(NULL, 64 * PG, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	lay.pfile = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE,
			 fd, 0);
	lay.sfile = mmap(NULL, 256 * PG, PROT_READ, MAP_SHARED, fd, 0);
	lay.shm = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	lay.hole = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	t = mmap(NULL, 2 * THP, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	lay.big = mmap(NULL, 1024 * MIB, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	assert_true(lay.big != MAP_FAILED);
	madvise(lay.big, 1024 * MIB, MADV_NOHUGEPAGE);
	close(fd);
	assert_true(lay.anon != MAP_FAILED && lay.pfile != MAP_FAILED &&
		    lay.sfile != MAP_FAILED && lay.shm != MAP_FAILED &&
		    lay.hole != MAP_FAILED && t != MAP_FAILED);
	assert_int_equal(munmap(lay.hole + PG, PG), 0);
	lay.thp = (char *)(((uintptr_t)t + THP - 1) & ~(uintptr_t)(THP - 1));
	madvise(lay.thp, THP, MADV_HUGEPAGE);
}

/* The child touches everything as the layout says, then waits. */
static int setup(void **state)
{
	int go[2];
	char c;

	(void)state;
	map_all();
	assert_int_equal(pipe(go), 0);
	child = fork();
	assert_true(child >= 0);
	if (!child) {
		volatile char sum = 0;
		size_t i;

		memset(lay.anon, 1, 32 * PG);
		for (i = 0; i < 16; i++)
			sum += lay.pfile[i * PG];
		memset(lay.pfile, 2, 4 * PG);
		for (i = 0; i < 256; i++)
			sum += lay.sfile[i * PG];
		memset(lay.shm, 3, 8 * PG);
		lay.hole[0] = 4;
		lay.hole[2 * PG] = 4;
		memset(lay.thp, 5, THP);
		lay.big[512 * MIB] = 6;
		if (write(go[1], "r", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	assert_int_equal(read(go[0], &c, 1), 1);
	close(go[0]);
	close(go[1]);
	assert_int_equal(madvise_actions_init(&acts, &child, 1, NULL), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	madvise_actions_release(&acts);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	unlink(lay.path);
	return 0;
}

static bool match(const struct damos_filter *f, const void *start,
		  uint64_t len, uint64_t *run)
{
	uint64_t a = (uintptr_t)start;

	return acts.base.ops->filter_match(&acts.base, 0, a, a + len, f, run);
}

/* Walk [start, start + len) as the engine does; bytes that match. */
static uint64_t matching_bytes(const struct damos_filter *f,
			       const void *start, uint64_t len)
{
	uint64_t pos = (uintptr_t)start, end = pos + len, run, sum = 0;

	while (pos < end) {
		bool m = acts.base.ops->filter_match(&acts.base, 0, pos, end,
						     f, &run);

		if (!run)
			run = end - pos;
		if (m)
			sum += run;
		pos += run;
	}
	return sum;
}

static void test_anon(void **state)
{
	struct damos_filter f = { .type = DAMOS_FILTER_ANON };
	uint64_t run;

	(void)state;
	assert_int_equal(madvise_filter_probe(&acts, &f, NULL), 0);
	/* private anonymous memory, written or not: anonymous */
	assert_true(match(&f, lay.anon, 64 * PG, &run));
	assert_int_equal(run, 0);
	/* private file mapping: the copied-on-write pages only */
	assert_true(match(&f, lay.pfile, 16 * PG, &run));
	assert_int_equal(run, 4 * PG);
	assert_false(match(&f, lay.pfile + 4 * PG, 12 * PG, &run));
	assert_int_equal(run, 0);
	assert_int_equal(matching_bytes(&f, lay.pfile, 16 * PG), 4 * PG);
	/* shared file and shared anonymous memory are not anonymous */
	assert_false(match(&f, lay.sfile, 256 * PG, &run));
	assert_int_equal(run, 0);
	assert_false(match(&f, lay.shm, 8 * PG, &run));
	/* across the hole: one page, the hole, one page */
	assert_true(match(&f, lay.hole, 3 * PG, &run));
	assert_int_equal(run, PG);
	assert_false(match(&f, lay.hole + PG, 2 * PG, &run));
	assert_int_equal(run, PG);
}

static void test_unmapped(void **state)
{
	struct damos_filter f = { .type = DAMOS_FILTER_UNMAPPED };
	uint64_t run, reads;

	(void)state;
	assert_int_equal(madvise_filter_probe(&acts, &f, NULL), 0);
	reads = acts.files.nr_reads;
	/* 32 written pages, then 32 never touched */
	assert_false(match(&f, lay.anon, 64 * PG, &run));
	assert_int_equal(run, 32 * PG);
	assert_true(match(&f, lay.anon + 32 * PG, 32 * PG, &run));
	assert_int_equal(run, 0);
	/* both answers came from one pagemap read */
	assert_int_equal(acts.files.nr_reads - reads, 1);
	assert_int_equal(matching_bytes(&f, lay.hole, 3 * PG), PG);
	assert_true(match(&f, lay.hole + PG, 2 * PG, &run));
	assert_int_equal(run, PG);
	assert_int_equal(matching_bytes(&f, lay.sfile, 256 * PG), 0);
	/* 512 MiB before the only page: one pagemap read, then PAGEMAP_SCAN */
	reads = acts.files.nr_reads;
	assert_true(match(&f, lay.big, 1024 * MIB, &run));
	assert_int_equal(run, 512 * MIB);
	assert_int_equal(acts.files.nr_reads - reads, 1);
	assert_false(match(&f, lay.big + 512 * MIB, 512 * MIB, &run));
	assert_int_equal(run, PG);
	assert_int_equal(matching_bytes(&f, lay.big, 1024 * MIB),
			 1024 * MIB - PG);
}

static bool need_root(void)
{
	if (pagemap_shows_pfn() && !access(PAGEFLAGS_KPAGEFLAGS, R_OK))
		return true;
	print_message("skipped: needs root for frame numbers and kpageflags\n");
	return false;
}

static bool has_thp(void)
{
	char *path = xasprintf("/proc/%d/smaps", (int)child), line[256];
	FILE *f = fopen(path, "r");
	bool in = false, thp = false;
	unsigned long long s, e, kb;

	free(path);
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx-%llx ", &s, &e) == 2)
			in = s <= (uintptr_t)lay.thp && (uintptr_t)lay.thp < e;
		else if (in && sscanf(line, "AnonHugePages: %llu kB", &kb) == 1)
			thp = kb >= 2048;
	}
	fclose(f);
	return thp;
}

static void test_hugepage_size(void **state)
{
	struct damos_filter f = { .type = DAMOS_FILTER_HUGEPAGE_SIZE,
				  .has_hugepage_size = true,
				  .min_hugepage_sz = THP,
				  .max_hugepage_sz = THP };
	uint64_t run;

	(void)state;
	if (!need_root())
		skip();
	assert_int_equal(madvise_filter_probe(&acts, &f, NULL), 0);
	/* small folios are not 2 MiB ones */
	assert_false(match(&f, lay.anon, 32 * PG, &run));
	assert_int_equal(run, 0);
	/* but they are 4 KiB ones */
	f.min_hugepage_sz = f.max_hugepage_sz = PG;
	assert_true(match(&f, lay.anon, 32 * PG, &run));
	assert_int_equal(run, 0);
	if (!has_thp()) {
		print_message("skipped the THP part: the kernel gave no huge page\n");
		return;
	}
	assert_false(match(&f, lay.thp, THP, &run));
	assert_int_equal(run, 0);
	f.min_hugepage_sz = f.max_hugepage_sz = THP;
	assert_int_equal(matching_bytes(&f, lay.thp, THP), THP);
	/* from the middle of the folio too: the head is found */
	assert_true(match(&f, lay.thp + 300 * PG, 16 * PG, &run));
	f.min_hugepage_sz = 4 * MIB;
	f.max_hugepage_sz = 1024 * MIB;
	assert_false(match(&f, lay.thp, THP, &run));
}

/* The number of pages of [p, p + n pages) whose frame is KPF_ACTIVE. */
static uint64_t active_pages(const char *p, size_t n)
{
	char *path = xasprintf("/proc/%d/pagemap", (int)child);
	int pm = open(path, O_RDONLY), kf = open(PAGEFLAGS_KPAGEFLAGS, O_RDONLY);
	uint64_t e, fl, cnt = 0;
	size_t i;

	free(path);
	assert_true(pm >= 0 && kf >= 0);
	for (i = 0; i < n; i++) {
		assert_int_equal(pread(pm, &e, 8, ((uintptr_t)p / PG + i) * 8),
				 8);
		if (!(e & PM_PRESENT))
			continue;
		assert_int_equal(pread(kf, &fl, 8, (e & PM_PFN_MASK) * 8), 8);
		cnt += !!(fl & (1ULL << KPF_ACTIVE));
	}
	close(pm);
	close(kf);
	return cnt;
}

/*
 * active against kpageflags read here, mapping by mapping: the child's
 * libc text is in use everywhere and active; its file pages, read twice,
 * are referenced but inactive (this kernel activates on reclaim).
 */
static void test_active(void **state)
{
	struct damos_filter f = { .type = DAMOS_FILTER_ACTIVE };
	uint64_t want, got, total = 0, active = 0;
	struct proc_maps maps;
	size_t i, tries;

	(void)state;
	if (!need_root())
		skip();
	assert_int_equal(madvise_filter_probe(&acts, &f, NULL), 0);
	proc_maps_init(&maps);
	assert_int_equal(proc_maps_read(&maps, child), 0);
	for (i = 0; i < maps.nr; i++) {
		const struct proc_map *m = &maps.v[i];
		size_t n = (size_t)((m->end - m->start) / PG);

		/* ASan's shadow reserves terabytes: one pread per page here */
		if ((m->flags & PROC_MAP_SPECIAL) || n > 16384)
			continue;
		/* the system may move a shared page meanwhile: retry */
		for (tries = 0; tries < 5; tries++) {
			want = active_pages((const char *)(uintptr_t)m->start,
					    n);
			got = matching_bytes(&f,
					     (const void *)(uintptr_t)m->start,
					     n * PG) / PG;
			if (got == want)
				break;
		}
		assert_int_equal(got, want);
		total += n;
		active += got;
	}
	print_message("active: %" PRIu64 " of the child's %" PRIu64 " pages\n",
		      active, total);
	assert_true(active > 0 && active < total);
	assert_int_equal(matching_bytes(&f, lay.sfile, 256 * PG), 0);
	proc_maps_release(&maps);
}

/* The memory cgroup of this process, relative to the hierarchy root. */
static char *own_memcg(bool v1)
{
	FILE *f = fopen("/proc/self/cgroup", "r");
	char line[1024], *res = NULL;

	assert_non_null(f);
	while (!res && fgets(line, sizeof(line), f)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

		if (!c2)
			continue;
		*c2 = '\0';
		line[strcspn(line, "\n")] = '\0';
		c2[1 + strcspn(c2 + 1, "\n")] = '\0';
		if (v1 ? !!strstr(c1 + 1, "memory") : !strcmp(c1 + 1, ""))
			res = xstrdup(c2 + 1);
	}
	fclose(f);
	return res;
}

static void test_memcg(void **state)
{
	struct damos_filter f = { .type = DAMOS_FILTER_MEMCG };
	char *root = sys_memcg_root("/proc"), *own, *ctl;
	struct diag d;
	uint64_t run;

	(void)state;
	if (!need_root() || access(PAGEFLAGS_KPAGECGROUP, R_OK) || !root)
		skip();
	ctl = xasprintf("%s/cgroup.controllers", root);
	own = own_memcg(access(ctl, F_OK) != 0);
	free(ctl);
	assert_non_null(own);
	f.memcg_path = own;
	assert_int_equal(madvise_filter_probe(&acts, &f, NULL), 0);
	/* the child's pages are charged to our memcg, written or not */
	assert_true(match(&f, lay.anon, 32 * PG, &run));
	assert_int_equal(run, 0);
	assert_false(match(&f, lay.anon + 32 * PG, 32 * PG, &run));
	if (strcmp(own, "/")) {
		f.memcg_path = "/";
		assert_false(match(&f, lay.anon, 32 * PG, &run));
		assert_int_equal(run, 0);
	}
	f.memcg_path = "/damo-no-such-memcg";
	diag_init(&d);
	assert_int_equal(madvise_filter_probe(&acts, &f, &d), -ENOENT);
	assert_true(diag_has(&d, "no memory cgroup '/damo-no-such-memcg'"));
	diag_release(&d);
	free(own);
	free(root);
}

/* The frame number of each of the child's @n pages from @p. */
static void child_pfns(const char *p, size_t n, uint64_t *pfns)
{
	char *path = xasprintf("/proc/%d/pagemap", (int)child);
	int pm = open(path, O_RDONLY);
	size_t i;

	free(path);
	assert_true(pm >= 0);
	assert_int_equal(pread(pm, pfns, n * 8, (uintptr_t)p / PG * 8),
			 (ssize_t)(n * 8));
	for (i = 0; i < n; i++) {
		assert_true(pfns[i] & PM_PRESENT);
		pfns[i] &= PM_PFN_MASK;
	}
	close(pm);
}

static uint64_t bit_of(int fd, uint64_t pfn)
{
	uint64_t w;

	assert_int_equal(pread(fd, &w, 8, pfn / 64 * 8), 8);
	return (w >> (pfn % 64)) & 1;
}

/*
 * young through the idle bitmap, here a plain file standing in for it: a
 * page whose idle bit is clear is young, and the filter marks it idle.
 */
static void test_young_bitmap(void **state)
{
	struct damos_filter f = { .type = DAMOS_FILTER_YOUNG };
	char path[] = "/tmp/damo-test-idle-XXXXXX";
	uint64_t pfns[32], run, w;
	size_t i;
	int fd;

	(void)state;
	if (!need_root())
		skip();
	child_pfns(lay.anon, 32, pfns);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	for (i = 0, w = 0; i < 32; i++)
		w = pfns[i] > w ? pfns[i] : w;
	assert_int_equal(ftruncate(fd, (off_t)((w / 64 + 1) * 8)), 0);
	/* pages 0-15 idle (not accessed since marked), 16-31 young */
	for (i = 0; i < 16; i++) {
		if (pread(fd, &w, 8, pfns[i] / 64 * 8) != 8)
			w = 0;
		w |= 1ULL << (pfns[i] % 64);
		assert_int_equal(pwrite(fd, &w, 8, pfns[i] / 64 * 8), 8);
	}
	for (i = 16; i < 32; i++)
		assert_int_equal(bit_of(fd, pfns[i]), 0);
	madvise_actions_set_paths(&acts, NULL, NULL, path, NULL);
	assert_int_equal(madvise_filter_probe(&acts, &f, NULL), 0);
	assert_false(match(&f, lay.anon, 32 * PG, &run));
	assert_int_equal(run, 16 * PG);
	assert_true(match(&f, lay.anon + 16 * PG, 16 * PG, &run));
	assert_int_equal(run, 0);
	/*
	 * checking cleared the accessed state: the young pages are idle now
	 * (a plain file takes whole words where the bitmap ignores zero
	 * bits, so the bits of pages 0-15 sharing a word may be gone)
	 */
	for (i = 16; i < 32; i++)
		assert_int_equal(bit_of(fd, pfns[i]), 1);
	assert_int_equal(matching_bytes(&f, lay.anon + 16 * PG, 16 * PG), 0);
	madvise_actions_set_paths(&acts, NULL, NULL, PAGEFLAGS_IDLE_BITMAP,
				  NULL);
	close(fd);
	unlink(path);
}

/* Without idle page tracking the young filter is refused, saying why. */
static void test_young_refused(void **state)
{
	struct damos_filter f = { .type = DAMOS_FILTER_YOUNG };
	struct diag d;
	int err;

	(void)state;
	if (!access(PAGEFLAGS_IDLE_BITMAP, F_OK) || !need_root())
		skip();
	diag_init(&d);
	err = madvise_filter_probe(&acts, &f, &d);
	assert_int_equal(err, -ENOENT);
	assert_true(diag_has(&d, PAGEFLAGS_IDLE_BITMAP));
	assert_true(diag_has(&d, "CONFIG_IDLE_PAGE_TRACKING"));
	diag_release(&d);
}

/*
 * Without CAP_SYS_ADMIN (root drops to nobody first) pagemap hides frame
 * numbers: active is refused at the probe, anon still works.
 */
static int probe_unprivileged(void)
{
	struct damos_filter f = { .type = DAMOS_FILTER_ACTIVE };
	struct damos_filter anon = { .type = DAMOS_FILTER_ANON };
	struct madvise_actions a;
	struct diag d;
	pid_t pid;
	int err;
	bool ok;

	if (geteuid() == 0 && (setgid(65534) || setuid(65534) ||
			       prctl(PR_SET_DUMPABLE, 1)))
		return 2;
	pid = fork();
	if (!pid) {
		pause();
		_exit(0);
	}
	diag_init(&d);
	err = madvise_actions_init(&a, &pid, 1, &d);
	if (!err) {
		ok = madvise_filter_probe(&a, &anon, &d) == 0 &&
		     madvise_filter_probe(&a, &f, &d) == -EPERM &&
		     diag_has(&d, "CAP_SYS_ADMIN");
		madvise_actions_release(&a);
	} else {
		ok = false;
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	diag_release(&d);
	return ok ? 0 : 1;
}

static void test_pfn_needs_cap_sys_admin(void **state)
{
	pid_t pid;
	int st;

	(void)state;
	pid = fork();
	if (!pid)
		_exit(probe_unprivileged());
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/* damo-workload's memory: anonymous, all of it present once filled. */
static void test_workload(void **state)
{
	const char *wl = getenv("DAMO_WORKLOAD");
	char *argv[] = { (char *)wl, "--size", "8M", "--hot", "1M@0",
			 "--write", "--period", "1ms", "--seconds", "60",
			 NULL };
	struct damos_filter anon = { .type = DAMOS_FILTER_ANON };
	struct damos_filter unm = { .type = DAMOS_FILTER_UNMAPPED };
	struct madvise_actions a;
	uint64_t base, size, run;
	char line[512];
	FILE *out;
	pid_t pid;
	int p[2];

	(void)state;
	if (!wl || !*wl)
		fail_msg("DAMO_WORKLOAD is not set: run through ctest");
	assert_int_equal(pipe(p), 0);
	pid = fork();
	if (!pid) {
		dup2(p[1], STDOUT_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	out = fdopen(p[0], "r");
	assert_non_null(fgets(line, sizeof(line), out));
	assert_int_equal(sscanf(line, "pid=%*d base=%" SCNx64 " size=%" SCNu64,
				&base, &size), 2);
	assert_int_equal(madvise_actions_init(&a, &pid, 1, NULL), 0);
	assert_int_equal(madvise_filter_probe(&a, &unm, NULL), 0);
	assert_true(a.base.ops->filter_match(&a.base, 0, base, base + size,
					     &anon, &run));
	assert_false(a.base.ops->filter_match(&a.base, 0, base, base + size,
					      &unm, &run));
	/* filled: one run over the 8 MiB, read 2 MiB at a time */
	while (run && run < size) {
		uint64_t r2;

		assert_int_equal(run % (512 * PG), 0);
		assert_false(a.base.ops->filter_match(&a.base, 0, base + run,
						      base + size, &unm, &r2));
		run = r2 ? run + r2 : 0;
	}
	madvise_actions_release(&a);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	fclose(out);
}

static void put_u64(int fd, uint64_t idx, uint64_t v)
{
	assert_int_equal(pwrite(fd, &v, 8, (off_t)(idx * 8)), 8);
}

/*
 * page_chunk_read() and page_filter_match() on fake pagemap, kpageflags
 * and kpagecgroup files: small folios, a page in the middle of a 4 MiB
 * folio whose head lies beyond the first backward window, holes, swap.
 */
static void test_fake_pages(void **state)
{
	char pm_path[] = "/tmp/damo-test-pm-XXXXXX";
	char kf_path[] = "/tmp/damo-test-kf-XXXXXX";
	char kc_path[] = "/tmp/damo-test-kc-XXXXXX";
	const uint64_t lru = 1ULL << KPF_LRU, act = 1ULL << KPF_ACTIVE;
	const uint64_t head = 1ULL << KPF_COMPOUND_HEAD;
	const uint64_t tail = 1ULL << KPF_COMPOUND_TAIL;
	const uint64_t base = 4096;	/* page index of the chunk */
	struct damos_filter f = { .type = DAMOS_FILTER_ACTIVE };
	int pm = mkstemp(pm_path), kf = mkstemp(kf_path), kc = mkstemp(kc_path);
	struct page_files pf;
	struct page_chunk pc;
	uint64_t i;

	(void)state;
	assert_true(pm >= 0 && kf >= 0 && kc >= 0);
	for (i = 0; i < 4; i++)
		put_u64(pm, base + i, PM_PRESENT | PM_EXCLUSIVE | (1000 + i));
	put_u64(pm, base + 4, PM_PRESENT | PM_FILE_SHARED_ANON | (4096 + 700));
	put_u64(pm, base + 5, 0);
	put_u64(pm, base + 6, PM_SWAP | 0x1234);
	put_u64(kf, 1000, lru | act);
	put_u64(kf, 1001, lru | act);
	put_u64(kf, 1002, lru);
	put_u64(kf, 1003, lru);
	put_u64(kf, 4096, lru | head | (1ULL << KPF_THP));
	for (i = 4097; i < 4096 + 1024; i++)
		put_u64(kf, i, lru | tail | (1ULL << KPF_THP));
	put_u64(kf, 4096 + 1024, lru);
	put_u64(kc, 1000, 77);
	put_u64(kc, 1001, 78);

	page_files_init(&pf, kf_path, kc_path, NULL);
	page_chunk_init(&pc);
	assert_int_equal(page_files_open(&pf, PAGE_NEED_FOLIO |
					 PAGE_NEED_CGROUP, NULL), 0);
	assert_int_equal(page_chunk_read(&pc, &pf, pm, base * PG, 7,
					 PAGE_NEED_FOLIO | PAGE_NEED_CGROUP,
					 PG), 0);
	/* pagemap, kpageflags (frames 1000-1003, then 4796) and kpagecgroup */
	assert_true(pf.nr_reads >= 5);
	assert_true(page_filter_match(&f, &pc, 0, 0));
	assert_true(page_filter_match(&f, &pc, 1, 0));
	assert_false(page_filter_match(&f, &pc, 2, 0));
	assert_false(page_filter_match(&f, &pc, 5, 0));
	f.type = DAMOS_FILTER_MEMCG;
	assert_true(page_filter_match(&f, &pc, 0, 77));
	assert_false(page_filter_match(&f, &pc, 1, 77));
	assert_false(page_filter_match(&f, &pc, 2, 0));	/* uncharged */
	f.type = DAMOS_FILTER_HUGEPAGE_SIZE;
	f.min_hugepage_sz = f.max_hugepage_sz = 4 * MIB;
	assert_int_equal(pc.folio_sz[4], 4 * MIB);
	assert_int_equal(pc.folio_sz[0], PG);
	assert_true(page_filter_match(&f, &pc, 4, 0));
	assert_false(page_filter_match(&f, &pc, 3, 0));
	f.type = DAMOS_FILTER_ANON;
	assert_true(page_filter_match(&f, &pc, 0, 0));
	assert_false(page_filter_match(&f, &pc, 4, 0));	/* file or shmem */
	assert_false(page_filter_match(&f, &pc, 6, 0));	/* swapped out */
	f.type = DAMOS_FILTER_UNMAPPED;
	assert_false(page_filter_match(&f, &pc, 4, 0));
	assert_true(page_filter_match(&f, &pc, 5, 0));
	assert_true(page_filter_match(&f, &pc, 6, 0));
	/* chunks are at most PAGE_CHUNK_PAGES and page aligned */
	assert_int_equal(page_chunk_read(&pc, &pf, pm, base * PG + 1, 1, 0,
					 PG), -EINVAL);
	assert_int_equal(page_chunk_read(&pc, &pf, pm, base * PG,
					 PAGE_CHUNK_PAGES + 1, 0, PG), -EINVAL);
	page_chunk_release(&pc);
	page_files_release(&pf);
	close(pm);
	close(kf);
	close(kc);
	unlink(pm_path);
	unlink(kf_path);
	unlink(kc_path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_anon),
		cmocka_unit_test(test_unmapped),
		cmocka_unit_test(test_hugepage_size),
		cmocka_unit_test(test_active),
		cmocka_unit_test(test_memcg),
		cmocka_unit_test(test_young_bitmap),
		cmocka_unit_test(test_young_refused),
		cmocka_unit_test(test_pfn_needs_cap_sys_admin),
		cmocka_unit_test(test_workload),
		cmocka_unit_test(test_fake_pages),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
