/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Record formats benchmark: generate a record of realistic regions
 * (1000 snapshots of 10000 regions by default: 10 million), write it as
 * native and as json_compressed, then read each back with the readers in
 * a fresh process (exec of this program with --read), timing it and taking
 * its peak RSS (VmHWM), and print a table and the ratios.
 *
 *   records [-s SNAPSHOTS] [-r REGIONS] [-d DIR] [-n RUNS] [-k]
 *
 * -n: read runs of the native file, the fastest counts; -k: keep the files
 * (in DIR, default $TMPDIR or /tmp).  "records --read FILE" reads one.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/snapshot.h"
#include "core/xalloc.h"
#include "formats/record.h"
#include "formats/record_write.h"

#define GOAL_REGIONS_PER_S 20e6

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* The peak resident set of this process, in KiB (VmHWM). */
static unsigned long vm_hwm_kib(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	unsigned long kib = 0;
	char line[256];

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %lu kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/* CPU seconds (user and system) this process has used. */
static double cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/*
 * Read every snapshot of @path; print "regions wall_seconds cpu_seconds
 * peak_kib checksum".
 */
static int do_read(const char *path)
{
	const struct record_meta *m;
	struct record_reader *rd;
	struct snapshot s;
	uint64_t regions = 0, sum = 0;
	struct diag d;
	double t0, c0;
	size_t i;
	int r;

	diag_init(&d);
	snapshot_init(&s);
	t0 = now_s();
	c0 = cpu_s();
	r = record_open(path, &rd, &d);
	if (r) {
		fprintf(stderr, "%s: cannot open: %s\n", path,
			d.nr ? d.v[0].msg : strerror(-r));
		return 1;
	}
	while ((r = record_next(rd, &m)) > 0) {
		while ((r = record_next_snapshot(rd, &s)) > 0) {
			regions += s.nr_regions;
			/* touch what a report would */
			for (i = 0; i < s.nr_regions; i++)
				sum += s.regions[i].nr_accesses;
		}
		if (r < 0)
			break;
	}
	if (r < 0) {
		fprintf(stderr, "%s: %s\n", path, d.nr ? d.v[0].msg : "error");
		return 1;
	}
	printf("%" PRIu64 " %.6f %.6f %lu %" PRIu64 "\n", regions,
	       now_s() - t0, cpu_s() - c0, vm_hwm_kib(), sum);
	record_close(rd);
	snapshot_release(&s);
	diag_release(&d);
	return 0;
}

struct result {
	const char *name;
	char *path;
	double write_s;
	uint64_t size;
	double read_s;
	double read_cpu_s;
	unsigned long peak_kib;
	uint64_t regions;
};

/* Write the generated record as @fmt to @path; the seconds it took. */
static double gen_write(const char *path, enum record_format fmt,
			unsigned int nr_snaps, unsigned int nr_regions)
{
	uint64_t x = 0x9e3779b97f4a7c15ull, addr, step;
	uint64_t *pages = xcalloc(nr_regions, sizeof(*pages));
	uint64_t *ages = xcalloc(nr_regions, sizeof(*ages));
	struct record_writer *w;
	struct record_meta m;
	struct snapshot s;
	struct diag d;
	unsigned int k, i;
	double t, gen = 0, t1;

	diag_init(&d);
	record_meta_init(&m);
	snapshot_init(&s);
	m.kdamond_idx = 0;
	m.context_idx = 0;
	m.target_id = 0;
	m.has_intervals = true;
	m.intervals.sample_us = 5000;
	m.intervals.aggr_us = 100000;
	m.intervals.ops_update_us = 1000000;
	for (i = 0; i < nr_regions; i++) {
		pages[i] = 1 + rnd(&x) % 2048;
		ages[i] = rnd(&x) % 50;
	}
	t = now_s();
	w = record_writer_open(path, fmt, &d);
	record_writer_add(w, &m);
	for (k = 0; k < nr_snaps; k++) {
		t1 = now_s();
		snapshot_clear(&s);
		s.start_ns = 1700000000000000000ull + k * 100000000ull;
		s.end_ns = s.start_ns + 100000000ull;
		addr = 0x7f0000000000ull;
		for (i = 0; i < nr_regions; i++) {
			struct snap_region *r = snapshot_add_region(&s);
			uint64_t a = rnd(&x) % 100;

			/* DAMON splits and merges: sizes wander */
			if (rnd(&x) % 4 == 0) {
				step = rnd(&x) % 65;
				pages[i] = pages[i] + step > 33 ?
					   pages[i] + step - 32 : 1;
			}
			r->start = addr;
			r->end = addr + pages[i] * 4096;
			addr = r->end + (rnd(&x) % 50 ? 0 : 4096 * 16);
			r->nr_accesses = a < 70 ? 0 : a < 95 ? a % 5 : 20;
			ages[i] = r->nr_accesses ? 0 : ages[i] + 1;
			r->age = ages[i];
		}
		gen += now_s() - t1;
		if (record_writer_snapshot(w, 0, &s))
			break;
	}
	if (record_writer_finish(w) || d.nr) {
		fprintf(stderr, "%s: %s\n", path, d.nr ? d.v[0].msg : "error");
		exit(1);
	}
	record_writer_free(w);
	t = now_s() - t - gen;
	snapshot_release(&s);
	diag_release(&d);
	free(pages);
	free(ages);
	return t;
}

/* Read @r->path in a fresh process, @runs times; keep the fastest. */
static void read_child(struct result *r, unsigned int runs)
{
	unsigned long peak;
	uint64_t regions, sum;
	double secs, cpu;
	char *cmd;
	FILE *p;

	r->read_s = 0;
	r->read_cpu_s = 0;
	while (runs--) {
		cmd = xasprintf("/proc/%d/exe --read '%s'", (int)getpid(),
				r->path);
		p = popen(cmd, "r");
		free(cmd);
		if (!p || fscanf(p, "%" SCNu64 " %lf %lf %lu %" SCNu64,
				 &regions, &secs, &cpu, &peak, &sum) != 5) {
			fprintf(stderr, "reading %s failed\n", r->path);
			exit(1);
		}
		if (pclose(p)) {
			fprintf(stderr, "reading %s failed\n", r->path);
			exit(1);
		}
		if (!r->read_s || secs < r->read_s)
			r->read_s = secs;
		if (!r->read_cpu_s || cpu < r->read_cpu_s)
			r->read_cpu_s = cpu;
		r->peak_kib = peak;
		r->regions = regions;
	}
}

int main(int argc, char **argv)
{
	unsigned int nr_snaps = 1000, nr_regions = 10000, runs = 3, i;
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	struct result res[2] = {
		{ .name = "native" }, { .name = "json_compressed" },
	};
	enum record_format fmts[2] = {
		RECORD_FMT_NATIVE, RECORD_FMT_JSON_COMPRESSED,
	};
	struct stat st;
	bool keep = false;
	char loadavg[128];
	FILE *f;
	int opt;

	if (argc == 3 && !strcmp(argv[1], "--read"))
		return do_read(argv[2]);
	while ((opt = getopt(argc, argv, "s:r:d:n:k")) != -1) {
		switch (opt) {
		case 'k':
			keep = true;
			break;
		case 's':
			nr_snaps = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 'r':
			nr_regions = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 'd':
			dir = optarg;
			break;
		case 'n':
			runs = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: records [-s SNAPSHOTS] [-r REGIONS] [-d DIR] [-n RUNS] [-k]\n");
			return 64;
		}
	}
	f = fopen("/proc/loadavg", "r");
	if (!f || !fgets(loadavg, sizeof(loadavg), f))
		strcpy(loadavg, "unknown\n");
	if (f)
		fclose(f);
	loadavg[strcspn(loadavg, "\n")] = '\0';
	printf("record: %u snapshots x %u regions = %.1f M regions\n\n",
	       nr_snaps, nr_regions, (double)nr_snaps * nr_regions / 1e6);
	for (i = 0; i < 2; i++) {
		res[i].path = xasprintf("%s/damo-bench-records-%d.%s", dir,
					(int)getpid(), res[i].name);
		res[i].write_s = gen_write(res[i].path, fmts[i], nr_snaps,
					   nr_regions);
		if (stat(res[i].path, &st))
			return 1;
		res[i].size = (uint64_t)st.st_size;
		read_child(&res[i], i ? 1 : runs);
	}
	printf("%-16s %9s %8s %8s %8s %8s %9s %9s %9s\n", "", "size", "",
	       "write", "read", "read", "M reg/s", "M reg/s", "peak");
	printf("%-16s %9s %8s %8s %8s %8s %9s %9s %9s\n", "format", "MiB",
	       "B/region", "s", "wall s", "CPU s", "wall", "CPU", "RSS MiB");
	for (i = 0; i < 2; i++)
		printf("%-16s %9.1f %8.2f %8.2f %8.3f %8.3f %9.1f %9.1f %9.1f\n",
		       res[i].name, res[i].size / 1048576.0,
		       (double)res[i].size / res[i].regions, res[i].write_s,
		       res[i].read_s, res[i].read_cpu_s,
		       res[i].regions / res[i].read_s / 1e6,
		       res[i].regions / res[i].read_cpu_s / 1e6,
		       res[i].peak_kib / 1024.0);
	printf("\nnative / json_compressed: size %.3f, write time %.3f, read CPU time %.4f (%.0fx faster), peak memory %.2f\n",
	       (double)res[0].size / res[1].size,
	       res[0].write_s / res[1].write_s,
	       res[0].read_cpu_s / res[1].read_cpu_s,
	       res[1].read_cpu_s / res[0].read_cpu_s,
	       (double)res[0].peak_kib / res[1].peak_kib);
	printf("native read: %.1f M regions/s of CPU time (%.1f wall), goal %.0f M regions/s: %s (%.2fx)\n",
	       res[0].regions / res[0].read_cpu_s / 1e6,
	       res[0].regions / res[0].read_s / 1e6, GOAL_REGIONS_PER_S / 1e6,
	       res[0].regions / res[0].read_cpu_s >= GOAL_REGIONS_PER_S ?
	       "met" : "NOT met",
	       res[0].regions / res[0].read_cpu_s / GOAL_REGIONS_PER_S);
	printf("(wall times depend on the machine's load: %s)\n", loadavg);
	for (i = 0; i < 2; i++) {
		if (res[0].regions != res[i].regions)
			fprintf(stderr, "%s read %" PRIu64 " regions\n",
				res[i].name, res[i].regions);
		if (keep)
			printf("kept %s\n", res[i].path);
		else
			unlink(res[i].path);
		free(res[i].path);
	}
	return res[0].regions == res[1].regions ? 0 : 1;
}
