/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every report on generated records, side by side with Python damo 3.3:
 * gen_record writes a record of SNAPSHOTS x REGIONS (damo 3.3's
 * json_compressed and the native format of the same snapshots) and one 6x
 * longer; each report runs on each file as a child process, RUNS times,
 * and the median CPU time (user + system, from wait4()'s rusage), the
 * median wall time and the median peak RSS (ru_maxrss) count.  Python
 * damo runs RUNS times per report, right after this damo's runs of the
 * same report, on the smaller json_compressed file when its damo.py is
 * found ($DAMO_PY, else /work/damo-py/src/damo.py).  The machine's load
 * average is printed before and after.
 *
 *   reports [-s SNAPSHOTS] [-r REGIONS] [-n RUNS] [-P] DIR
 *
 * -P: no Python damo.  Rates: regions per CPU second, and MB of the
 * file's content per CPU second (the inflated JSON for json_compressed,
 * the file for native).  "6x RSS" is the peak RSS on the 6x longer file
 * over that on the first: memory must not grow with the file (<= 1.5).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct run {
	double wall_s;
	double cpu_s;
	long maxrss_kib;
	bool ok;
};

struct report {
	const char *name;
	const char *args[8];		/* after "report", before --input */
	const char *py_args[8];		/* damo 3.3's; NULL: it has none */
};

static const struct report reports[] = {
	{ "heatmap --output raw", { "heatmap", "--output", "raw" },
	  { "heatmap", "--output", "raw" } },
	{ "heatmap (text)", { "heatmap" }, { "heatmap" } },
	{ "heatmap --output FILE.png", { "heatmap", "--output", "@png" },
	  { NULL } },
	{ "wss -r 0 101 5 --raw-number",
	  { "wss", "-r", "0", "101", "5", "--raw-number" },
	  { "wss", "-r", "0", "101", "5", "--raw_number" } },
	{ "nr_regions", { "nr_regions" }, { "nr_regions" } },
	{ "access", { "access" }, { "access" } },
	{ "access --style recency-percentiles",
	  { "access", "--style", "recency-percentiles" },
	  { "access", "--style", "recency-percentiles" } },
	{ "access --style temperature-sz-hist",
	  { "access", "--style", "temperature-sz-hist" },
	  { "access", "--style", "temperature-sz-hist" } },
	/* damo 3.3's times reads --input as its --inputs (two files) */
	{ "times", { "times" }, { NULL } },
	{ "record-info", { "record-info" }, { "record_info" } },
	{ "tried --all-snapshots", { "tried", "--all-snapshots" }, { NULL } },
};

#define NR_REPORTS (sizeof(reports) / sizeof(reports[0]))

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run @argv (@argv[0] the program), output to /dev/null, into @r. */
static void run_one(char *const *argv, struct run *r)
{
	struct rusage ru;
	double t0 = now_s();
	int status, fd;
	pid_t pid;

	r->ok = false;
	pid = fork();
	if (pid < 0)
		return;
	if (!pid) {
		fd = open("/dev/null", O_WRONLY);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0)
		return;
	r->wall_s = now_s() - t0;
	r->cpu_s = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
		   (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	r->maxrss_kib = ru.ru_maxrss;
	r->ok = WIFEXITED(status) && !WEXITSTATUS(status);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of @n values (sorted in place; the upper one of two). */
static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

#define MAX_RUNS 64

/* The medians of @n runs of "PROG [PY] report ARGS --input FILE". */
static void run_report(const char *prog, const char *py,
		       const char *const *args, const char *file,
		       const char *dir, int n, struct run *med)
{
	char *argv[24], png[4200];
	double cpu[MAX_RUNS], wall[MAX_RUNS], rss[MAX_RUNS];
	struct run r;
	int i, k = 0;

	argv[k++] = (char *)prog;
	if (py)
		argv[k++] = (char *)py;
	argv[k++] = "report";
	for (i = 0; args[i]; i++) {
		if (!strcmp(args[i], "@png")) {
			snprintf(png, sizeof(png), "%s/bench-heatmap.png", dir);
			argv[k++] = png;
		} else {
			argv[k++] = (char *)args[i];
		}
	}
	argv[k++] = "--input";
	argv[k++] = (char *)file;
	argv[k] = NULL;
	memset(med, 0, sizeof(*med));
	for (i = 0; i < n; i++) {
		run_one(argv, &r);
		if (!r.ok)
			return;
		cpu[i] = r.cpu_s;
		wall[i] = r.wall_s;
		rss[i] = (double)r.maxrss_kib;
	}
	med->cpu_s = median(cpu, n);
	med->wall_s = median(wall, n);
	med->maxrss_kib = (long)median(rss, n);
	med->ok = true;
}

static void print_load(const char *when)
{
	char buf[128] = "?";
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			strcpy(buf, "?\n");
		fclose(f);
	}
	printf("load average %s: %s", when, buf);
}

/* gen_record into DIR/bench-S-R; the regions and inflated JSON bytes. */
static int generate(const char *dir, unsigned long s, unsigned long r,
		    char *prefix, size_t size, uint64_t *regions,
		    uint64_t *json_bytes)
{
	char cmd[8400];
	FILE *p;
	int ok;

	snprintf(prefix, size, "%s/bench-%lux%lu", dir, s, r);
	snprintf(cmd, sizeof(cmd), "'%s' -s %lu -r %lu '%s'", GEN_BIN, s, r,
		 prefix);
	p = popen(cmd, "r");
	if (!p)
		return -errno;
	ok = fscanf(p, "%" SCNu64 " %" SCNu64, regions, json_bytes) == 2;
	if (pclose(p) || !ok) {
		fprintf(stderr, "reports: %s failed\n", cmd);
		return -EIO;
	}
	return 0;
}

static const char *find_damo_py(void)
{
	const char *p = getenv("DAMO_PY");

	if (p && *p)
		return access(p, R_OK) ? NULL : p;
	p = "/work/damo-py/src/damo.py";
	return access(p, R_OK) ? NULL : p;
}

int main(int argc, char **argv)
{
	static const char *const fmts[] = { "json_compressed", "native" };
	unsigned long nsnap = 200, nreg = 400;
	struct run c[NR_REPORTS][2][2], py[NR_REPORTS];
	char prefix[2][4096], file[4200];
	uint64_t regions[2], json[2], fbytes[2][2];
	const char *damo_py, *dir;
	bool no_py = false;
	struct stat st;
	int opt, runs = 3, f, z;
	size_t i;

	while ((opt = getopt(argc, argv, "s:r:n:P")) != -1) {
		switch (opt) {
		case 's':
			nsnap = strtoul(optarg, NULL, 10);
			break;
		case 'r':
			nreg = strtoul(optarg, NULL, 10);
			break;
		case 'n':
			runs = atoi(optarg);
			break;
		case 'P':
			no_py = true;
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc - 1 || !nsnap || !nreg || runs < 1 ||
	    runs > MAX_RUNS)
		goto usage;
	dir = argv[optind];
	damo_py = no_py ? NULL : find_damo_py();
	for (z = 0; z < 2; z++) {
		if (generate(dir, nsnap * (z ? 6 : 1), nreg, prefix[z],
			     sizeof(prefix[z]), &regions[z], &json[z]))
			return 1;
		for (f = 0; f < 2; f++) {
			snprintf(file, sizeof(file), "%s.%s", prefix[z], fmts[f]);
			fbytes[z][f] = stat(file, &st) ? 0 : (uint64_t)st.st_size;
		}
	}
	printf("records: %lu x %lu regions (%.2f M regions) and %lu x %lu; "
	       "json_compressed %.1f MiB (%.1f MB of JSON), native %.1f MiB\n",
	       nsnap, nreg, regions[0] / 1e6, nsnap * 6, nreg,
	       fbytes[0][0] / 1048576.0, json[0] / 1e6,
	       fbytes[0][1] / 1048576.0);
	printf("damo: %s; medians of %d runs (CPU = user + system)\n",
	       DAMO_BIN, runs);
	if (damo_py)
		printf("Python damo: %s, medians of %d runs on the "
		       "json_compressed file, after this damo's of each report\n",
		       damo_py, runs);
	else
		printf("Python damo: not run (%s)\n", no_py ? "-P" :
		       "set DAMO_PY to damo.py of damo 3.3");
	print_load("before");
	fflush(stdout);
	for (i = 0; i < NR_REPORTS; i++) {
		for (z = 0; z < 2; z++)
			for (f = 0; f < 2; f++) {
				snprintf(file, sizeof(file), "%s.%s",
					 prefix[z], fmts[f]);
				run_report(DAMO_BIN, NULL, reports[i].args,
					   file, dir, runs, &c[i][z][f]);
			}
		memset(&py[i], 0, sizeof(py[i]));
		if (damo_py && reports[i].py_args[0]) {
			snprintf(file, sizeof(file), "%s.json_compressed",
				 prefix[0]);
			run_report("python3", damo_py, reports[i].py_args,
				   file, dir, runs, &py[i]);
		}
	}
	print_load("after");
	printf("\n%-36s %-15s %7s %7s %8s %8s %8s %6s %8s %8s %7s %7s\n",
	       "report", "format", "wall s", "CPU s", "Mreg/s", "MB/s",
	       "RSS MiB", "6x RSS", "py CPU s", "py MiB", "x fast",
	       "x mem");
	for (i = 0; i < NR_REPORTS; i++) {
		for (f = 0; f < 2; f++) {
			const struct run *r = &c[i][0][f], *r6 = &c[i][1][f];
			uint64_t content = f ? fbytes[0][1] : json[0];

			printf("%-36s %-15s ", f ? "" : reports[i].name,
			       fmts[f]);
			if (!r->ok) {
				printf("failed\n");
				continue;
			}
			printf("%7.3f %7.3f %8.1f %8.0f %8.1f %6.2f",
			       r->wall_s, r->cpu_s,
			       regions[0] / r->cpu_s / 1e6,
			       content / r->cpu_s / 1e6,
			       r->maxrss_kib / 1024.0,
			       r6->ok ? (double)r6->maxrss_kib /
						(double)r->maxrss_kib : 0);
			if (py[i].ok)
				printf(" %8.2f %8.1f %7.0f %7.0f",
				       py[i].cpu_s, py[i].maxrss_kib / 1024.0,
				       py[i].cpu_s / r->cpu_s,
				       (double)py[i].maxrss_kib /
				       (double)r->maxrss_kib);
			else
				printf(" %8s %8s %7s %7s", "-", "-", "-", "-");
			printf("\n");
		}
	}
	printf("\n(x fast: Python damo's CPU time over this one's on the same "
	       "record; x mem: its peak RSS over this one's.  Times below "
	       "10 ms are mostly process start.)\n");
	return 0;
usage:
	fprintf(stderr, "usage: reports [-s SNAPSHOTS] [-r REGIONS] [-n RUNS] [-P] DIR\n");
	return 64;
}
