/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo-workload: map anonymous memory and access it in a known pattern, so
 * that a test can check what DAMON reports against where the accesses are.
 */
#include <argp.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "core/units.h"

const char *argp_program_version = "damo-workload " DAMO_VERSION;

enum pattern {
	PATTERN_HOT,
	PATTERN_STAIRS,
	PATTERN_ALL,
	PATTERN_NONE,
};

static const char *const pattern_names[] = {
	[PATTERN_HOT] = "hot",
	[PATTERN_STAIRS] = "stairs",
	[PATTERN_ALL] = "all",
	[PATTERN_NONE] = "none",
};

struct workload {
	uint64_t size;
	uint64_t hot_size;
	uint64_t hot_off;
	uint64_t duration_ns;	/* 0: until killed */
	uint64_t period_ns;
	uint64_t step_ns;
	enum pattern pattern;
	bool write;
	unsigned char *base;
	size_t page;
	uint64_t file_size;	/* a clean file mapping beside; 0: none */
};

enum {
	OPT_SIZE = 0x100,
	OPT_HOT,
	OPT_SECONDS,
	OPT_FILE,
	OPT_WRITE,
	OPT_PATTERN,
	OPT_PERIOD,
	OPT_STEP,
};

static const struct argp_option options[] = {
	{ "size", OPT_SIZE, "SIZE", 0,
	  "Anonymous memory to map and fill (default 256M)", 0 },
	{ "hot", OPT_HOT, "SIZE@OFFSET", 0,
	  "The part accessed repeatedly (default 32M@64M)", 0 },
	{ "file", OPT_FILE, "SIZE", 0,
	  "Also map SIZE of a clean file (in $TMPDIR, removed at once) and "
	  "read it once: memory that reclaim can drop without swap, never "
	  "accessed again", 0 },
	{ "seconds", OPT_SECONDS, "TIME", 0,
	  "How long to run after filling: 30, 2m (default 30 s; 0: until "
	  "killed)", 0 },
	{ "write", OPT_WRITE, NULL, 0,
	  "Write each page instead of reading it", 0 },
	{ "pattern", OPT_PATTERN, "PATTERN", 0,
	  "hot, stairs, all or none (default hot)", 0 },
	{ "period", OPT_PERIOD, "TIME", 0,
	  "Pause between two passes, in ms unless a unit is given "
	  "(default 5 ms, DAMON's default sampling interval; 0 for pass "
	  "after pass, which qemu's slow TCG needs for every sample to "
	  "see the accesses)", 0 },
	{ "step", OPT_STEP, "TIME", 0,
	  "How long stairs stays on one step, in ms unless a unit is given "
	  "(default 1 s)", 0 },
	{ 0 }
};

static uint64_t parse_size(struct argp_state *state, const char *s)
{
	uint64_t v;

	if (units_parse_size(s, &v) || !v)
		argp_error(state, "'%s' is not a size", s);
	return v;
}

static uint64_t parse_time(struct argp_state *state, const char *s,
			   uint64_t unit_ns)
{
	uint64_t v;

	if (units_parse_time(s, unit_ns, &v) ||
	    v > UINT64_MAX / unit_ns)
		argp_error(state, "'%s' is not a time", s);
	return v * unit_ns;
}

static void parse_hot(struct argp_state *state, struct workload *w,
		      char *arg)
{
	char *at = strchr(arg, '@');

	if (!at)
		argp_error(state, "--hot wants SIZE@OFFSET, not '%s'", arg);
	*at = '\0';
	w->hot_size = parse_size(state, arg);
	if (units_parse_size(at + 1, &w->hot_off))
		argp_error(state, "'%s' is not an offset", at + 1);
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct workload *w = state->input;
	size_t i;

	switch (key) {
	case OPT_SIZE:
		w->size = parse_size(state, arg);
		return 0;
	case OPT_HOT:
		parse_hot(state, w, arg);
		return 0;
	case OPT_SECONDS:
		w->duration_ns = parse_time(state, arg, UNITS_S);
		return 0;
	case OPT_FILE:
		w->file_size = parse_size(state, arg);
		return 0;
	case OPT_WRITE:
		w->write = true;
		return 0;
	case OPT_PATTERN:
		for (i = 0; i < sizeof(pattern_names) / sizeof(*pattern_names); i++)
			if (!strcmp(arg, pattern_names[i]))
				break;
		if (i == sizeof(pattern_names) / sizeof(*pattern_names))
			argp_error(state, "'%s' is not one of hot, stairs, all, none",
				   arg);
		w->pattern = i;
		return 0;
	case OPT_PERIOD:
		w->period_ns = parse_time(state, arg, UNITS_MS);
		return 0;
	case OPT_STEP:
		w->step_ns = parse_time(state, arg, UNITS_MS);
		if (!w->step_ns)
			argp_error(state, "--step must not be 0");
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		return 0;
	case ARGP_KEY_END:
		if (w->hot_off > w->size || w->hot_size > w->size - w->hot_off)
			argp_error(state, "the hot part must lie inside --size");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp argp = {
	.options = options,
	.parser = parse_opt,
	.doc = "Map anonymous memory, fill it once, then access it in a known "
	       "pattern for DAMON to find.\v"
	       "Patterns: hot accesses every page of the --hot part in each "
	       "pass; stairs accesses a --hot sized window that moves to the "
	       "next window of the mapping every --step (from the start, "
	       "wrapping around); all accesses every page; none accesses "
	       "nothing after the fill.\n\n"
	       "Once the memory is filled, one line says where it is, in "
	       "absolute addresses, before the accesses start:\n"
	       "  pid=PID base=0xADDR size=BYTES hot_start=0xADDR "
	       "hot_end=0xADDR pattern=NAME\n"
	       "hot_start and hot_end bound what is accessed: the --hot part, "
	       "the first step of stairs, the whole mapping for all, nothing "
	       "(both base) for none.  Stairs prints "
	       "\"step=N hot_start=0xADDR hot_end=0xADDR\" as each later step "
	       "starts, and every pattern prints \"done\" at the end.  Sizes "
	       "and times are read like damo's (4K, 1.5G, 100ms, 2m).\n\n"
	       "Exit status: 0 done, 1 the memory could not be mapped, 64 "
	       "usage.\n\n"
	       "Examples:\n"
	       "  damo-workload --size 256M --hot 32M@64M --seconds 30\n"
	       "  damo-workload --pattern stairs --hot 16M@0 --step 500ms &",
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * UNITS_S + (uint64_t)ts.tv_nsec;
}

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = {
		.tv_sec = ns / UNITS_S,
		.tv_nsec = ns % UNITS_S,
	};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* One access to each page of [@off, @off + @len): a byte read or written. */
static void touch(const struct workload *w, uint64_t off, uint64_t len,
		  bool write)
{
	volatile unsigned char *p = w->base + off;
	unsigned char sum = 0;
	uint64_t i;

	for (i = 0; i < len; i += w->page) {
		if (write)
			p[i] = (unsigned char)(i / w->page);
		else
			sum += p[i];
	}
	(void)sum;
}

/*
 * A file of @w->file_size bytes, written and synced (so its pages are
 * clean), mapped privately read-only and read once: resident file memory
 * that MADV_PAGEOUT can drop even without swap.
 */
static unsigned char *map_file(const struct workload *w)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	static unsigned char buf[65536];
	volatile unsigned char sum = 0;
	unsigned char *p;
	uint64_t done, i;
	int fd;

	snprintf(path, sizeof(path), "%s/damo-workload.XXXXXX",
		 dir && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0)
		goto fail;
	unlink(path);
	memset(buf, 0x5a, sizeof(buf));
	for (done = 0; done < w->file_size; done += sizeof(buf))
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			goto fail;
	if (fsync(fd))
		goto fail;
	p = mmap(NULL, w->file_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		goto fail;
	for (i = 0; i < w->file_size; i += w->page)
		sum += p[i];
	(void)sum;
	return p;
fail:
	fprintf(stderr, "damo-workload: error: cannot map a file of %lu bytes: %s\n",
		(unsigned long)w->file_size, strerror(errno));
	return NULL;
}

static void print_range(const struct workload *w, uint64_t off, uint64_t len)
{
	printf("hot_start=%#lx hot_end=%#lx", (unsigned long)(w->base + off),
	       (unsigned long)(w->base + off + len));
}

/* The stairs window in use @elapsed ns after the start: its index. */
static uint64_t stairs_step(const struct workload *w, uint64_t elapsed)
{
	uint64_t nr_steps = w->size / w->hot_size;

	return elapsed / w->step_ns % (nr_steps ? nr_steps : 1);
}

static void run(const struct workload *w)
{
	uint64_t start = now_ns(), elapsed, step = 0, cur;

	for (;;) {
		elapsed = now_ns() - start;
		if (w->duration_ns && elapsed >= w->duration_ns)
			break;
		switch (w->pattern) {
		case PATTERN_HOT:
			touch(w, w->hot_off, w->hot_size, w->write);
			break;
		case PATTERN_STAIRS:
			cur = stairs_step(w, elapsed);
			if (cur != step) {
				step = cur;
				printf("step=%lu ", (unsigned long)step);
				print_range(w, step * w->hot_size, w->hot_size);
				printf("\n");
				fflush(stdout);
			}
			touch(w, step * w->hot_size, w->hot_size, w->write);
			break;
		case PATTERN_ALL:
			touch(w, 0, w->size, w->write);
			break;
		case PATTERN_NONE:
			break;
		}
		sleep_ns(w->period_ns);
	}
}

int main(int argc, char **argv)
{
	struct workload w = {
		.size = 256ULL << 20,
		.hot_size = 32ULL << 20,
		.hot_off = 64ULL << 20,
		.duration_ns = 30 * UNITS_S,
		.period_ns = 5 * UNITS_MS,
		.step_ns = UNITS_S,
		.pattern = PATTERN_HOT,
	};
	void *p;

	argp_parse(&argp, argc, argv, 0, NULL, &w);
	w.page = (size_t)sysconf(_SC_PAGESIZE);
	p = mmap(NULL, w.size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "damo-workload: error: cannot map %lu bytes: %s\n",
			(unsigned long)w.size, strerror(errno));
		return 1;
	}
	w.base = p;
	/* Written, not read: a read would map the shared zero page. */
	touch(&w, 0, w.size, true);

	printf("pid=%d base=%#lx size=%lu ", (int)getpid(),
	       (unsigned long)w.base, (unsigned long)w.size);
	switch (w.pattern) {
	case PATTERN_HOT:
		print_range(&w, w.hot_off, w.hot_size);
		break;
	case PATTERN_STAIRS:
		print_range(&w, 0, w.hot_size);
		break;
	case PATTERN_ALL:
		print_range(&w, 0, w.size);
		break;
	case PATTERN_NONE:
		print_range(&w, 0, 0);
		break;
	}
	printf(" pattern=%s", pattern_names[w.pattern]);
	if (w.file_size) {
		unsigned char *f = map_file(&w);

		if (!f)
			return 1;
		printf(" file_start=%#lx file_end=%#lx", (unsigned long)f,
		       (unsigned long)(f + w.file_size));
	}
	printf("\n");
	fflush(stdout);

	run(&w);
	printf("done\n");
	munmap(p, w.size);
	return fflush(stdout) ? 1 : 0;
}
