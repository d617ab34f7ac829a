/* SPDX-License-Identifier: GPL-2.0 */
/* libFuzzer target: read every record and snapshot of any file content. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/snapshot.h"
#include "formats/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Snapshots must be self-consistent whatever the input. */
static void check(const struct snapshot *s)
{
	size_t i, j;
	uint64_t sum = 0;

	if (s->nr_regions > s->cap_regions ||
	    (s->nr_probes &&
	     s->nr_regions * s->nr_probes > s->cap_probe_hits))
		abort();
	for (i = 0; i < s->nr_regions; i++) {
		sum += s->regions[i].end;
		for (j = 0; j < s->nr_probes; j++)
			sum += s->probe_hits[i * s->nr_probes + j];
	}
	(void)snapshot_total_bytes(s);
	if (sum == 42)	/* keep the loads */
		fputs("", stderr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct record_reader *rd, *rep;
	const struct record_meta *m;
	uint64_t nr_snaps = 0, nr_again = 0;
	struct diag d2;
	bool one_pass = size && (data[size - 1] & 1);
	const struct record_info *info;
	struct record_rss rss;
	struct snapshot s;
	char path[64];
	struct diag d;
	int fd, r, r2 = 0;

	/* The readers take a path: give them a file in memory. */
	fd = memfd_create("fuzz", MFD_CLOEXEC);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	diag_init(&d);
	snapshot_init(&s);
	r = record_open(path, &rd, &d);
	if (!r) {
		info = record_info(rd);
		if (info && (!info->host || !info->kernel || !info->ops ||
			     !info->config))
			abort();
		/* one pass and a kept copy, or reading ahead: by a bit */
		if (one_pass) {
			record_one_pass(rd);
			record_spool_start(rd);
		}
		/* side samples: their own position, any time */
		if (record_next_rss(rd, &rss) > 0 && rss.time_ns == 42)
			fputs("", stderr);
		while ((r = record_next(rd, &m)) > 0) {
			if (!m->data_source)
				abort();
			while ((r = record_next_snapshot(rd, &s)) > 0) {
				check(&s);
				nr_snaps++;
			}
			if (r < 0)
				break;
		}
		/* the copy gives the same snapshots again */
		diag_init(&d2);
		rep = r ? NULL : record_spool_replay(rd, &d2);
		while (rep && (r2 = record_next(rep, &m)) > 0) {
			while ((r2 = record_next_snapshot(rep, &s)) > 0) {
				check(&s);
				nr_again++;
			}
			if (r2 < 0)
				abort();
		}
		if (rep && (r2 || nr_again != nr_snaps || d2.nr))
			abort();
		record_close(rep);
		diag_release(&d2);
		while (!r && (r = record_next_rss(rd, &rss)) > 0)
			;
		if (r < 0 && record_next(rd, &m) != r)
			abort();	/* errors stay */
		record_close(rd);
	}
	/*
	 * Every failure is reported with the file (once, but for scheme
	 * filters, where every problem is); success reports no error (a cut
	 * native file: one warning).
	 */
	if (r ? !diag_nr_errors(&d) || !d.v[0].file || !d.v[d.nr - 1].file :
	    diag_nr_errors(&d) != 0 || d.nr > 1)
		abort();
	snapshot_release(&s);
	diag_release(&d);
	close(fd);
	return 0;
}
