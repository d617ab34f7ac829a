/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unit tests of the real access sources and process_madvise actions on this
 * machine's kernel: damo-workload (with the agent preloaded) and forked
 * children write known ranges; the sources must find exactly those.
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
#include <time.h>
#include <unistd.h>

#include "core/actions_madvise.h"
#include "core/damon.h"
#include "core/diag.h"
#include "core/mon_clock.h"
#include "core/monitor.h"
#include "core/sources/compat_uffd.h"
#include "core/sources/pageidle.h"
#include "core/sources/proc.h"
#include "core/sources/softdirty.h"
#include "core/sources/uffd.h"
#include "core/xalloc.h"

#define MIB (1024ULL * 1024)
#define NR_SAMPLES 64

/* A damo-workload child and where it said its memory is. */
struct wl {
	pid_t pid;
	FILE *out;
	uint64_t base, size, hot_start, hot_end;
};

static const char *env_path(const char *name)
{
	const char *v = getenv(name);

	if (!v || !*v)
		fail_msg("%s is not set: run through ctest", name);
	return v;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void exec_workload(int fd, bool preload, char **argv)
{
	char asan[512];
	const char *old = getenv("ASAN_OPTIONS");

	dup2(fd, STDOUT_FILENO);
	unsetenv("LD_PRELOAD");
	if (preload) {
		setenv("LD_PRELOAD", getenv("DAMO_AGENT"), 1);
		/* ASan builds: the agent precedes the ASan runtime */
		snprintf(asan, sizeof(asan), "%s%sverify_asan_link_order=0",
			 old ? old : "", old && *old ? ":" : "");
		setenv("ASAN_OPTIONS", asan, 1);
	}
	execv(argv[0], argv);
	_exit(127);
}

/* Start damo-workload ARGS (writing) and read its "pid=..." line. */
static void wl_start(struct wl *w, bool preload, const char *size,
		     const char *hot)
{
	char *argv[] = { (char *)env_path("DAMO_WORKLOAD"), "--size",
			 (char *)size, "--hot", (char *)hot, "--write",
			 "--period", "1ms", "--seconds", "60", NULL };
	char line[512];
	int p[2];

	if (preload)
		env_path("DAMO_AGENT");
	assert_int_equal(pipe(p), 0);
	w->pid = fork();
	assert_true(w->pid >= 0);
	if (!w->pid)
		exec_workload(p[1], preload, argv);
	close(p[1]);
	w->out = fdopen(p[0], "r");
	assert_non_null(fgets(line, sizeof(line), w->out));
	assert_int_equal(sscanf(line, "pid=%*d base=%" SCNx64 " size=%" SCNu64
				" hot_start=%" SCNx64 " hot_end=%" SCNx64,
				&w->base, &w->size, &w->hot_start,
				&w->hot_end), 4);
}

static void wl_stop(struct wl *w)
{
	kill(w->pid, SIGKILL);
	waitpid(w->pid, NULL, 0);
	fclose(w->out);
}

/* NR_SAMPLES page addresses spread evenly over [start, end). */
static void spread(uint64_t *addrs, uint64_t start, uint64_t end)
{
	uint64_t step = (end - start) / NR_SAMPLES / 4096 * 4096;
	size_t i;

	for (i = 0; i < NR_SAMPLES; i++)
		addrs[i] = start + i * step + 123;
}

/* Prepare the hot and cold samples, wait, check; count accessed ones. */
static void sample_twice(struct access_source *src, const struct wl *w,
			 size_t *hot, size_t *cold)
{
	uint64_t addrs[2 * NR_SAMPLES];
	bool acc[2 * NR_SAMPLES];
	size_t i;

	/* the part below the hot range is written once, at the start */
	spread(addrs, w->base, w->hot_start);
	spread(addrs + NR_SAMPLES, w->hot_start, w->hot_end);
	*hot = *cold = 0;
	assert_int_equal(src->ops->prepare(src, 0, addrs, 2 * NR_SAMPLES), 0);
	sleep_ms(100);
	assert_int_equal(src->ops->check(src, 0, addrs, 2 * NR_SAMPLES, acc),
			 0);
	for (i = 0; i < 2 * NR_SAMPLES; i++)
		*(i < NR_SAMPLES ? cold : hot) += acc[i];
}

static bool diag_has(const struct diag *d, const char *needle)
{
	size_t i;

	for (i = 0; i < d->nr; i++) {
		print_message("diag: %s%s%s\n", d->v[i].path,
			      *d->v[i].path ? ": " : "", d->v[i].msg);
		if (strstr(d->v[i].msg, needle))
			return true;
	}
	return false;
}

static void test_maps_parse(void **state)
{
	struct proc_map m;
	struct proc_maps maps;
	struct mon_ranges r;

	(void)state;
	assert_int_equal(proc_map_parse_line("7f0000000000-7f0000021000 rw-p 00000000 00:00 0 ", &m), 0);
	assert_true(proc_map_is_private_anon_writable(&m));
	assert_int_equal(m.end - m.start, 0x21000);
	assert_int_equal(proc_map_parse_line("55d0a000-55d2b000 rw-p 00000000 00:00 0          [heap]", &m), 0);
	assert_true(proc_map_is_private_anon_writable(&m));
	assert_int_equal(proc_map_parse_line("7f1-7f2 rw-p 0001a000 fd:01 1234  /usr/lib/libc.so.6", &m), 0);
	assert_false(m.flags & PROC_MAP_ANON);
	assert_int_equal(proc_map_parse_line("7f1-7f2 rw-s 00000000 00:01 99  /dev/zero (deleted)", &m), 0);
	assert_false(m.flags & (PROC_MAP_ANON | PROC_MAP_PRIVATE));
	assert_int_equal(proc_map_parse_line("ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0  [vsyscall]", &m), 0);
	assert_true(m.flags & PROC_MAP_GATE);
	assert_int_equal(proc_map_parse_line("garbage", &m), -EINVAL);

	proc_maps_init(&maps);
	mon_ranges_init(&r);
	assert_int_equal(proc_maps_read(&maps, 0), 0);
	assert_true(maps.nr > 3);
	assert_int_equal(proc_maps_three_regions(&maps, 4096, &r), 0);
	assert_int_equal(r.nr, 3);
	/* the [vsyscall] gate is not a VMA: the last region ends below it */
	assert_true(r.v[2].end <= 0x800000000000ULL);
	assert_true(proc_maps_find(&maps, (uintptr_t)&maps) >= 0);
	assert_int_equal(proc_maps_find(&maps, 0), -1);
	mon_ranges_release(&r);
	proc_maps_release(&maps);
}

static void test_pagemap_batched(void **state)
{
	struct proc_pagemap_batch b;
	uint64_t addrs[6], ents[6];
	char *p;
	int fd;

	(void)state;
	p = mmap(NULL, 4096 * 1024, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p != MAP_FAILED);
	p[0] = p[4096 * 3] = p[4096 * 1000] = 1;
	addrs[0] = (uintptr_t)p;		/* present */
	addrs[1] = (uintptr_t)p + 4096 * 2;	/* absent, 1 page after */
	addrs[2] = (uintptr_t)p + 4096 * 3 + 5;	/* present */
	addrs[3] = (uintptr_t)p + 4096 * 3 + 9;	/* the same page again */
	addrs[4] = (uintptr_t)p + 4096 * 500;	/* absent, far */
	addrs[5] = (uintptr_t)p + 4096 * 1000;	/* present, far */
	fd = open("/proc/self/pagemap", O_RDONLY);
	assert_true(fd >= 0);
	proc_pagemap_batch_init(&b, 32);
	assert_int_equal(proc_pagemap_sample(fd, addrs, 6, ents, 4096, &b), 0);
	assert_true(ents[0] & PM_ENTRY_PRESENT);
	assert_false(ents[1] & PM_ENTRY_PRESENT);
	assert_true(ents[2] & PM_ENTRY_PRESENT);
	assert_true(ents[3] & PM_ENTRY_PRESENT);
	assert_false(ents[4] & PM_ENTRY_PRESENT);
	assert_true(ents[5] & PM_ENTRY_PRESENT);
	/* [0, 3] in one read, then 500 and 1000 alone */
	assert_int_equal(b.nr_reads, 3);
	proc_pagemap_batch_release(&b);
	close(fd);
	munmap(p, 4096 * 1024);
}

static void test_target_liveness(void **state)
{
	struct proc_target t;
	struct diag d;
	pid_t pid;
	int st, i;

	(void)state;
	diag_init(&d);
	pid = fork();
	if (!pid) {
		pause();
		_exit(0);
	}
	assert_int_equal(proc_target_open(&t, pid, PROC_TARGET_PAGEMAP, &d), 0);
	assert_true(proc_target_is_alive(&t));
	kill(pid, SIGKILL);
	/* a zombie is gone for the pidfd, though kill(pid, 0) still works */
	for (i = 0; i < 200 && proc_target_is_alive(&t); i++)
		sleep_ms(10);	/* a loaded machine may take a moment */
	assert_false(proc_target_is_alive(&t));
	assert_int_equal(kill(pid, 0), 0);
	waitpid(pid, &st, 0);
	proc_target_close(&t);
	assert_int_equal(proc_target_open(&t, pid, 0, &d), -ESRCH);
	assert_true(diag_has(&d, "no process with pid"));
	diag_release(&d);
}

static void test_proc_statm(void **state)
{
	uint64_t vsz = 0, rss = 0;
	char *p;

	(void)state;
	p = malloc(8 << 20);
	assert_non_null(p);
	memset(p, 1, 8 << 20);		/* resident now */
	assert_int_equal(proc_statm(getpid(), &vsz, &rss), 0);
	assert_true(rss >= 8 << 20);
	assert_true(vsz >= rss);
	free(p);
	assert_int_equal(proc_statm(0x3fffffff, &vsz, &rss), -ENOENT);
}

/* The agent's constructor registers before main, its mmap hook at once. */
static void wait_registered(pid_t pid)
{
	int i, err = -ENODATA;

	for (i = 0; i < 100 && err == -ENODATA; i++) {
		err = uffd_probe_pid(pid);
		if (err == -ENODATA)
			sleep_ms(20);
	}
	assert_int_equal(err, 0);
}

static void test_uffd_finds_written_pages(void **state)
{
	struct uffd_source s;
	struct diag d;
	struct wl w;
	size_t hot, cold;
	int round;

	(void)state;
	diag_init(&d);
	wl_start(&w, true, "64M", "8M@32M");
	wait_registered(w.pid);
	assert_int_equal(uffd_source_init(&s, &w.pid, 1, &d), 0);
	for (round = 0; round < 3; round++) {
		sample_twice(&s.ps.base, &w, &hot, &cold);
		print_message("uffd round %d: %zu/%d hot pages written, %zu/%d cold\n",
			      round, hot, NR_SAMPLES, cold, NR_SAMPLES);
		assert_int_equal(hot, NR_SAMPLES);
		assert_int_equal(cold, 0);
	}
	print_message("uffd: %llu PAGEMAP_SCAN ioctls for %d samples\n",
		      (unsigned long long)s.nr_ioctls, 3 * 2 * NR_SAMPLES);
	uffd_source_release(&s);
	wl_stop(&w);
	diag_release(&d);
}

static void test_uffd_without_agent(void **state)
{
	struct uffd_source s;
	struct diag d;
	struct wl w;

	(void)state;
	diag_init(&d);
	wl_start(&w, false, "16M", "4M@4M");
	assert_int_equal(uffd_source_init(&s, &w.pid, 1, &d), -ENODATA);
	assert_true(diag_has(&d, "no memory registered for userfaultfd"));
	wl_stop(&w);
	diag_release(&d);
}

/* What pagemap bit 55 says of a page a child wrote after clear_refs 4. */
static bool child_write_sets_bit55(void)
{
	char path[64], *p;
	uint64_t ent = 0;
	pid_t pid;
	int fd, go[2];

	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p != MAP_FAILED && pipe(go) == 0);
	pid = fork();
	if (!pid) {
		char c;

		if (read(go[0], &c, 1) == 1)
			p[0] = 2;
		pause();
		_exit(0);
	}
	snprintf(path, sizeof(path), "/proc/%d/clear_refs", (int)pid);
	fd = open(path, O_WRONLY);
	assert_true(fd >= 0 && write(fd, "4", 1) == 1);
	close(fd);
	assert_int_equal(write(go[1], "w", 1), 1);
	sleep_ms(50);
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	fd = open(path, O_RDONLY);
	assert_int_equal(proc_pagemap_read(fd, (uintptr_t)p, 1, &ent, 4096), 0);
	close(fd);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	munmap(p, 4096);
	print_message("softdirty: child's written page: pagemap %#llx\n",
		      (unsigned long long)ent);
	assert_true(ent & PM_ENTRY_PRESENT);
	return ent & PM_ENTRY_SOFT_DIRTY;
}

static void test_softdirty(void **state)
{
	struct softdirty_source s;
	struct diag d;
	struct wl w;
	size_t hot, cold;
	int err;

	(void)state;
	diag_init(&d);
	wl_start(&w, false, "64M", "8M@32M");
	err = softdirty_source_init(&s, &w.pid, 1, &d);
	if (err) {
		/* no silent skip: the error must be the kernel's, and say so */
		assert_int_equal(err, -EOPNOTSUPP);
		assert_false(child_write_sets_bit55());
		assert_true(diag_has(&d, "does not track soft-dirty bits"));
		print_message("softdirty: this kernel lacks CONFIG_MEM_SOFT_DIRTY; test/kernel/scenarios/embedded-sources.sh covers the source\n");
	} else {
		assert_true(child_write_sets_bit55());
		sample_twice(&s.ps.base, &w, &hot, &cold);
		assert_int_equal(hot, NR_SAMPLES);
		assert_int_equal(cold, 0);
		softdirty_source_release(&s);
	}
	wl_stop(&w);
	diag_release(&d);
}

static void test_pageidle_vaddr(void **state)
{
	struct pageidle_source s;
	struct diag d;
	struct wl w;
	size_t hot, cold;
	int err;

	(void)state;
	diag_init(&d);
	wl_start(&w, false, "64M", "8M@32M");
	err = pageidle_source_init(&s, &w.pid, 1, NULL, &d);
	if (access(PAGEIDLE_BITMAP, F_OK)) {
		assert_int_equal(err, -ENOENT);
		assert_true(diag_has(&d, "idle page tracking is not available"));
		assert_true(diag_has(&d, "CONFIG_IDLE_PAGE_TRACKING"));
	} else if (geteuid()) {
		assert_true(err == -EACCES || err == -EPERM);
		assert_true(diag_has(&d, "needs root"));
	} else {
		/* pages of our own child only */
		assert_int_equal(err, 0);
		sample_twice(&s.ps.base, &w, &hot, &cold);
		assert_true(hot >= NR_SAMPLES * 9 / 10);
		assert_true(cold <= NR_SAMPLES / 10);
		pageidle_source_release(&s);
	}
	wl_stop(&w);
	diag_release(&d);
}

/* paddr over a plain file standing in for the bitmap: the bookkeeping. */
static void test_pageidle_paddr_bookkeeping(void **state)
{
	char path[] = "/tmp/damo-test-idle-XXXXXX";
	struct pageidle_source s;
	uint64_t words[4] = { 0 }, addrs[5];
	bool acc[5];
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0 && write(fd, words, sizeof(words)) == sizeof(words));
	assert_int_equal(pageidle_source_init_paddr(&s, 1, path, NULL), 0);
	addrs[0] = 3 * 4096;			/* word 0 bit 3 */
	addrs[1] = 5 * 4096 + 7;		/* word 0 bit 5 */
	addrs[2] = 64 * 4096;			/* word 1 bit 0 */
	addrs[3] = 190 * 4096;			/* word 2 bit 62 */
	addrs[4] = 3 * 4096 + 100;		/* page 3 again */
	assert_int_equal(s.ps.base.ops->prepare(&s.ps.base, 0, addrs, 5), 0);
	assert_int_equal(pread(fd, words, sizeof(words), 0), sizeof(words));
	assert_int_equal(words[0], (1ULL << 3) | (1ULL << 5));
	assert_int_equal(words[1], 1);
	assert_int_equal(words[2], 1ULL << 62);
	assert_int_equal(s.nr_untracked, 0);
	/* "access" pages 5 and 190: the kernel clears their idle bits */
	words[0] = 1ULL << 3;
	words[2] = 0;
	assert_int_equal(pwrite(fd, words, sizeof(words), 0), sizeof(words));
	assert_int_equal(s.ps.base.ops->check(&s.ps.base, 0, addrs, 5, acc), 0);
	assert_false(acc[0]);
	assert_true(acc[1]);
	assert_false(acc[2]);
	assert_true(acc[3]);
	assert_false(acc[4]);
	/* words 0, 1, 2 are adjacent: one pwrite, one read back, one read */
	assert_int_equal(s.nr_bitmap_io, 3);
	pageidle_source_release(&s);
	close(fd);
	unlink(path);
}

/* The regions of the last finished aggregation of target 0. */
struct snap {
	struct mon_region *v;
	size_t nr;
	size_t cap;
	uint64_t nr_aggr;
};

static void on_aggregated(void *data, const struct monitor *mon)
{
	struct snap *s = data;
	const struct mon_target *t = &mon->targets[0];

	if (s->cap < t->nr_regions) {
		s->v = xreallocarray(s->v, t->nr_regions, sizeof(*s->v));
		s->cap = t->nr_regions;
	}
	memcpy(s->v, t->regions, t->nr_regions * sizeof(*s->v));
	s->nr = t->nr_regions;
	s->nr_aggr++;
}

static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Bytes of the written regions inside the hot range; checks the others. */
static uint64_t hot_found(const struct snap *sn, const struct wl *w)
{
	uint64_t found = 0;
	size_t i;

	for (i = 0; i < sn->nr; i++) {
		const struct mon_region *r = &sn->v[i];
		uint64_t s = r->start > w->hot_start ? r->start : w->hot_start;
		uint64_t e = r->end < w->hot_end ? r->end : w->hot_end;

		if (r->start >= w->hot_start && r->end <= w->hot_end)
			assert_true(r->nr_accesses > 0);
		if (r->start >= w->base && r->end <= w->base + w->size &&
		    (r->end <= w->hot_start || r->start >= w->hot_end))
			assert_int_equal(r->nr_accesses, 0);
		if (r->nr_accesses && s < e)
			found += e - s;
	}
	return found;
}

static void test_uffd_monitor_finds_hot_range(void **state)
{
	struct snap sn = { 0 };
	struct uffd_source s;
	struct damon_target *t;
	struct damon_ctx c;
	struct mon_clock clk;
	struct monitor mon;
	struct monitor_setup st = { 0 };
	struct wl w;
	uint64_t cpu, wall, found;
#ifdef __SANITIZE_ADDRESS__
	struct damon_addr_range *r;
#endif

	(void)state;
	wl_start(&w, true, "64M", "8M@24M");
	wait_registered(w.pid);
	assert_int_equal(uffd_source_init(&s, &w.pid, 1, NULL), 0);
	damon_ctx_init(&c);
	c.ops = DAMON_OPS_VADDR;
	t = damon_ctx_add_target(&c);
	t->has_pid = true;
	t->pid = w.pid;
#ifdef __SANITIZE_ADDRESS__
	/*
	 * ASan's shadow makes the vaddr three regions terabytes wide, where
	 * 2 s of sampling cannot narrow down 8 MiB: monitor the workload's
	 * mapping as fvaddr would.
	 */
	c.ops = DAMON_OPS_FVADDR;
	s.ps.fixed = true;
	r = damon_target_add_region(t);
	r->start = w.base;
	r->end = w.base + w.size;
#endif
	mon_clock_init_real(&clk);
	st.ctx = &c;
	st.clock = &clk;
	st.source = &s.ps.base;
	st.seed = 1;
	st.hooks.data = &sn;
	st.hooks.aggregated = on_aggregated;
	assert_int_equal(monitor_init(&mon, &st), 0);
	cpu = thread_cpu_ns();
	wall = mon_clock_now_ns(&clk);
	monitor_run(&mon, 0, wall + 2000000000ULL);
	cpu = thread_cpu_ns() - cpu;
	wall = mon_clock_now_ns(&clk) - wall;
	found = hot_found(&sn, &w);
	print_message("monitor: %zu regions after %llu aggregations, %llu%% of the hot range found; %llu ioctls per sample; monitor CPU %.2f%% of one core\n",
		      sn.nr, (unsigned long long)sn.nr_aggr,
		      (unsigned long long)(found * 100 / (w.hot_end - w.hot_start)),
		      (unsigned long long)(s.nr_ioctls / (mon.psi ? mon.psi : 1)),
		      100.0 * (double)cpu / (double)wall);
	/* 20 in 2 s; a loaded machine (CI runs tiers side by side) fewer */
	assert_true(sn.nr_aggr >= 10);
	assert_true(found * 100 >= (w.hot_end - w.hot_start) * 75);
	monitor_release(&mon);
	damon_ctx_release(&c);
	uffd_source_release(&s);
	wl_stop(&w);
	free(sn.v);
}

static void test_madvise_supported(void **state)
{
	const enum damos_action ok[] = { DAMOS_STAT, DAMOS_COLD, DAMOS_PAGEOUT,
					 DAMOS_WILLNEED, DAMOS_COLLAPSE };
	const char *why = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(ok); i++)
		assert_true(madvise_action_supported(ok[i], NULL));
	assert_false(madvise_action_supported(DAMOS_HUGEPAGE, &why));
	assert_non_null(strstr(why, "process_madvise() refuses"));
	assert_false(madvise_action_supported(DAMOS_LRU_PRIO, &why));
	assert_non_null(strstr(why, "kernel DAMON"));
	assert_false(madvise_action_supported(DAMOS_MIGRATE_COLD, &why));
}

/* RssFile of a process, in KiB. */
static uint64_t rss_file_kib(pid_t pid)
{
	char path[64], line[256];
	unsigned long long kib = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "RssFile: %llu kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/* A child that reads all of @file (mapped at @p) then waits. */
static pid_t reader_child(const char *p, size_t len)
{
	int go[2];
	pid_t pid;
	char c;

	assert_int_equal(pipe(go), 0);
	pid = fork();
	if (!pid) {
		volatile char sum = 0;
		size_t i;

		for (i = 0; i < len; i += 4096)
			sum += p[i];
		if (write(go[1], "r", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	assert_int_equal(read(go[0], &c, 1), 1);
	close(go[0]);
	close(go[1]);
	return pid;
}

/* A file of @len bytes on disk, written back: its pages are clean. */
static int clean_file(char *path, size_t len)
{
	char *buf = xmalloc(len);
	int fd = mkstemp(path);

	memset(buf, 'x', len);
	assert_true(fd >= 0 && write(fd, buf, len) == (ssize_t)len);
	free(buf);
	assert_int_equal(fsync(fd), 0);
	return fd;
}

static void test_madvise_pageout_and_cold(void **state)
{
	const size_t len = 16 * MIB;
	char path[] = "/tmp/damo-test-madv-XXXXXX", *p, *h;
	struct madvise_actions a;
	struct damos s = { 0 };
	uint64_t before, after, run;
	struct damos_filter f = { .type = DAMOS_FILTER_ANON };
	struct diag d;
	pid_t pid;
	int fd;

	(void)state;
	diag_init(&d);
	fd = clean_file(path, len);
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	/* three anonymous pages with a hole in the middle */
	h = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p != MAP_FAILED && h != MAP_FAILED);
	munmap(h + 4096, 4096);
	pid = reader_child(p, len);
	before = rss_file_kib(pid);

	assert_int_equal(madvise_actions_init(&a, &pid, 1, &d), 0);
	assert_int_equal(madvise_actions_probe(&a, 0, DAMOS_PAGEOUT, &d), 0);
	assert_int_equal(madvise_actions_probe(&a, 0, DAMOS_HUGEPAGE, &d),
			 -EOPNOTSUPP);
	assert_true(diag_has(&d, "cannot apply 'hugepage'"));
	s.action = DAMOS_PAGEOUT;
	assert_int_equal(a.base.ops->apply(&a.base, 0, (uintptr_t)p,
					   (uintptr_t)p + len, &s, 0), len);
	after = rss_file_kib(pid);
	print_message("pageout: the child's RssFile %llu -> %llu KiB\n",
		      (unsigned long long)before, (unsigned long long)after);
	assert_true(before >= len / 1024 && after < before / 4);
	s.action = DAMOS_COLD;
	assert_int_equal(a.base.ops->apply(&a.base, 0, (uintptr_t)p,
					   (uintptr_t)p + len, &s, 0), len);
	/* across the hole: the two mapped pages */
	assert_int_equal(a.base.ops->apply(&a.base, 0, (uintptr_t)h,
					   (uintptr_t)h + 3 * 4096, &s, 0),
			 2 * 4096);
	s.action = DAMOS_STAT;
	assert_int_equal(a.base.ops->apply(&a.base, 0, (uintptr_t)p,
					   (uintptr_t)p + len, &s, 0), 0);
	assert_int_equal(a.nr_failed, 0);
	assert_true(a.base.ops->filter_match(&a.base, 0, (uintptr_t)h,
					     (uintptr_t)h + 3 * 4096, &f, &run));
	assert_int_equal(run, 4096);
	assert_false(a.base.ops->filter_match(&a.base, 0, (uintptr_t)p,
					      (uintptr_t)p + 2 * len, &f, &run));
	assert_int_equal(run, len);
	madvise_actions_release(&a);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	munmap(p, len);
	munmap(h, 3 * 4096);
	close(fd);
	unlink(path);
	diag_release(&d);
}

/*
 * Without CAP_SYS_NICE (root drops to nobody first), advising another
 * process of the same user: EPERM, and the hint names the capability.
 */
static int probe_unprivileged(bool drop)
{
	struct madvise_actions a;
	struct diag d;
	pid_t pid;
	int err;
	bool ok;

	if (drop && (setgid(65534) || setuid(65534) ||
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
		err = madvise_actions_probe(&a, 0, DAMOS_COLD, &d);
		madvise_actions_release(&a);
	}
	ok = err == -EPERM && diag_has(&d, "refuses process_madvise()") &&
	     diag_has(&d, "CAP_SYS_NICE");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	diag_release(&d);
	return ok ? 0 : 1;
}

static void test_madvise_needs_cap_sys_nice(void **state)
{
	pid_t pid;
	int st;

	(void)state;
	pid = fork();
	if (!pid)
		_exit(probe_unprivileged(geteuid() == 0));
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_maps_parse),
		cmocka_unit_test(test_pagemap_batched),
		cmocka_unit_test(test_target_liveness),
		cmocka_unit_test(test_proc_statm),
		cmocka_unit_test(test_uffd_finds_written_pages),
		cmocka_unit_test(test_uffd_without_agent),
		cmocka_unit_test(test_softdirty),
		cmocka_unit_test(test_pageidle_vaddr),
		cmocka_unit_test(test_pageidle_paddr_bookkeeping),
		cmocka_unit_test(test_uffd_monitor_finds_hot_range),
		cmocka_unit_test(test_madvise_supported),
		cmocka_unit_test(test_madvise_pageout_and_cold),
		cmocka_unit_test(test_madvise_needs_cap_sys_nice),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
