/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Wall time and peak memory of the reports on big records: records of
 * 1 M and 10 M regions (damo's json_compressed, written with the record
 * writer) are summarised by the damo binary as child processes, and each
 * child's maximum resident set size is taken from the rusage wait4()
 * returns for it (RUSAGE_CHILDREN's ru_maxrss, one child at a time).
 * Memory must not grow with the file: the ratio 10 M / 1 M stays ~1.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
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

#include "core/diag.h"
#include "core/snapshot.h"
#include "formats/record_write.h"

#define REGIONS_PER_SNAPSHOT 1000
#define REGION_SZ (4ULL << 20)
#define BASE_ADDR 0x7f0000000000ULL
#define SNAP_NS 100000000ULL

struct run {
	double wall_s;
	long maxrss_kib;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * A record of @nr_regions regions in snapshots of REGIONS_PER_SNAPSHOT:
 * a hot block that moves up the address space over time, the rest cold
 * and ageing.
 */
static int write_record(const char *path, uint64_t nr_regions)
{
	uint64_t nr_snaps = nr_regions / REGIONS_PER_SNAPSHOT, i, j, hot;
	struct record_writer *w;
	struct record_meta meta;
	struct snapshot s;
	struct diag d;
	size_t rec;
	int err = 0;

	diag_init(&d);
	record_meta_init(&meta);
	meta.kdamond_idx = 0;
	meta.context_idx = 0;
	meta.target_id = 42;
	meta.has_intervals = true;
	meta.intervals.sample_us = 5000;
	meta.intervals.aggr_us = 100000;
	meta.intervals.ops_update_us = 1000000;
	w = record_writer_new(path, true, &d);
	rec = record_writer_add(w, &meta);
	snapshot_init(&s);
	for (i = 0; i < nr_snaps && !err; i++) {
		snapshot_clear(&s);
		s.start_ns = 1000000000ULL + i * SNAP_NS;
		s.end_ns = s.start_ns + SNAP_NS;
		hot = (i * REGIONS_PER_SNAPSHOT / nr_snaps) % REGIONS_PER_SNAPSHOT;
		for (j = 0; j < REGIONS_PER_SNAPSHOT; j++) {
			struct snap_region *r = snapshot_add_region(&s);
			bool is_hot = j >= hot && j < hot + 50;

			r->start = BASE_ADDR + j * REGION_SZ;
			r->end = r->start + REGION_SZ;
			r->nr_accesses = is_hot ? 15 + j % 5 : (j % 97 == 0);
			r->age = is_hot ? 0 : i % 200;
		}
		err = record_writer_snapshot(w, rec, &s);
	}
	if (!err)
		err = record_writer_finish(w);
	record_writer_free(w);
	snapshot_release(&s);
	record_meta_release(&meta);
	if (err)
		fprintf(stderr, "cannot write %s: %s\n", path, strerror(-err));
	diag_release(&d);
	return err;
}

/* Run damo with @argv (NULL-terminated, argv[0] ignored), output to null. */
static int run_damo(char *const *argv, struct run *r)
{
	struct rusage ru;
	double t0 = now_s();
	int status, fd;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		fd = open("/dev/null", O_WRONLY);
		if (fd >= 0)
			dup2(fd, STDOUT_FILENO);
		execv(DAMO_BIN, argv);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0)
		return -errno;
	r->wall_s = now_s() - t0;
	r->maxrss_kib = ru.ru_maxrss;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "damo %s %s failed (status %d)\n", argv[1],
			argv[2], status);
		return -EIO;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const sizes[] = { "1M", "10M" };
	const uint64_t nr[] = { 1000000, 10000000 };
	struct run res[2][3];
	char path[2][4096];
	const char *dir = argc > 1 ? argv[1] : ".";
	struct stat st;
	double t0;
	int i, k;

	for (i = 0; i < 2; i++) {
		snprintf(path[i], sizeof(path[i]), "%s/bench-%s.data", dir,
			 sizes[i]);
		t0 = now_s();
		if (write_record(path[i], nr[i]))
			return 1;
		stat(path[i], &st);
		printf("wrote %s: %s regions, %.1f MiB json_compressed, in %.1f s\n",
		       path[i], sizes[i], (double)st.st_size / (1 << 20),
		       now_s() - t0);
		fflush(stdout);
	}
	for (i = 0; i < 2; i++) {
		char *const heat[] = { "damo", "report", "heatmap", "--input",
				       path[i], "--no-color", NULL };
		char *const wss[] = { "damo", "report", "wss", "--input",
				      path[i], NULL };
		char *const raw[] = { "damo", "report", "heatmap", "--input",
				      path[i], "--output", "raw", NULL };
		char *const *cmds[] = { heat, wss, raw };

		for (k = 0; k < 3; k++) {
			if (run_damo(cmds[k], &res[i][k]))
				return 1;
		}
	}
	printf("\n%-26s %12s %12s %12s %12s %9s\n", "report", "1M wall s",
	       "1M RSS KiB", "10M wall s", "10M RSS KiB", "RSS ratio");
	for (k = 0; k < 3; k++) {
		static const char *const names[] = {
			"heatmap (terminal)", "wss", "heatmap --output raw",
		};

		printf("%-26s %12.2f %12ld %12.2f %12ld %9.2f\n", names[k],
		       res[0][k].wall_s, res[0][k].maxrss_kib, res[1][k].wall_s,
		       res[1][k].maxrss_kib,
		       (double)res[1][k].maxrss_kib / (double)res[0][k].maxrss_kib);
	}
	for (i = 0; i < 2; i++)
		unlink(path[i]);
	return 0;
}
