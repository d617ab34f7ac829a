/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libFuzzer target for the record writers: records and snapshots made from
 * the input bytes are written in one of the formats damo writes (json,
 * json_compressed, native: the first byte picks), read back, and must come
 * back exactly as written.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/snapshot.h"
#include "core/xalloc.h"
#include "formats/record.h"
#include "formats/record_write.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_RECORDS 4
#define MAX_SNAPSHOTS 8
#define MAX_REGIONS 16

/* The input as a stream of numbers; zeros once it runs out. */
struct bytes {
	const uint8_t *p;
	size_t n;
};

static uint64_t take(struct bytes *b, unsigned int nbytes)
{
	uint64_t v = 0;

	while (nbytes--) {
		v <<= 8;
		if (b->n) {
			v |= *b->p++;
			b->n--;
		}
	}
	return v;
}

struct model {
	struct record_meta meta[MAX_RECORDS];
	struct snapshot snaps[MAX_RECORDS][MAX_SNAPSHOTS];
	size_t nr_snaps[MAX_RECORDS];
	size_t nr_records;
};

/* Regions sorted and apart, times rising: what a monitor produces. */
static void make(struct bytes *b, struct model *m)
{
	size_t r, s, i, nr;
	uint64_t t = take(b, 4), addr;

	m->nr_records = 1 + take(b, 1) % MAX_RECORDS;
	for (r = 0; r < m->nr_records; r++) {
		struct record_meta *meta = &m->meta[r];

		record_meta_init(meta);
		meta->kdamond_idx = 0;
		meta->context_idx = 0;
		meta->target_id = take(b, 2);
		meta->has_intervals = true;
		meta->intervals.sample_us = 1 + take(b, 2);
		meta->intervals.aggr_us = meta->intervals.sample_us *
					  (1 + take(b, 1));
		meta->intervals.ops_update_us = 1000000;
		m->nr_snaps[r] = 1 + take(b, 1) % MAX_SNAPSHOTS;
		for (s = 0; s < m->nr_snaps[r]; s++) {
			struct snapshot *sn = &m->snaps[r][s];

			snapshot_init(sn);
			sn->start_ns = t;
			t += 1 + take(b, 3);
			sn->end_ns = t;
			nr = 1 + take(b, 1) % MAX_REGIONS;
			addr = take(b, 5) << 12;
			for (i = 0; i < nr; i++) {
				struct snap_region *reg =
					snapshot_add_region(sn);

				addr += take(b, 2) << 12;
				reg->start = addr;
				addr += (1 + take(b, 2)) << 12;
				reg->end = addr;
				reg->nr_accesses = take(b, 1);
				reg->age = take(b, 2);
			}
		}
	}
}

static void release(struct model *m)
{
	size_t r, s;

	for (r = 0; r < m->nr_records; r++) {
		for (s = 0; s < m->nr_snaps[r]; s++)
			snapshot_release(&m->snaps[r][s]);
		m->meta[r].data_source = NULL;
		record_meta_release(&m->meta[r]);
	}
}

static void differs(const char *what, size_t r, size_t s)
{
	fprintf(stderr, "round trip changed %s (record %zu, snapshot %zu)\n",
		what, r, s);
	abort();
}

static void compare(const char *path, const struct model *m)
{
	const struct record_meta *meta;
	struct record_reader *rd;
	struct snapshot got;
	struct diag d;
	size_t r = 0, s, i;
	int ret;

	diag_init(&d);
	snapshot_init(&got);
	if (record_open(path, &rd, &d)) {
		fprintf(stderr, "written file does not read: %s\n",
			d.nr ? d.v[0].msg : "?");
		abort();
	}
	while ((ret = record_next(rd, &meta)) > 0) {
		if (r >= m->nr_records)
			differs("the number of records", r, 0);
		if (meta->target_id != m->meta[r].target_id)
			differs("target_id", r, 0);
		for (s = 0; (ret = record_next_snapshot(rd, &got)) > 0; s++) {
			const struct snapshot *want = &m->snaps[r][s];

			if (s >= m->nr_snaps[r])
				differs("the number of snapshots", r, s);
			if (got.start_ns != want->start_ns ||
			    got.end_ns != want->end_ns)
				differs("the snapshot times", r, s);
			if (got.nr_regions != want->nr_regions)
				differs("the number of regions", r, s);
			for (i = 0; i < got.nr_regions; i++) {
				const struct snap_region *a = &got.regions[i];
				const struct snap_region *b = &want->regions[i];

				if (a->start != b->start || a->end != b->end ||
				    a->nr_accesses != b->nr_accesses ||
				    a->age != b->age)
					differs("a region", r, s);
			}
		}
		if (ret < 0 || s != m->nr_snaps[r])
			differs("the number of snapshots", r, s);
		r++;
	}
	if (ret < 0 || r != m->nr_records)
		differs("the number of records", r, 0);
	record_close(rd);
	snapshot_release(&got);
	diag_release(&d);
}

static char dir[] = "/tmp/damo-fuzz-XXXXXX";

/* Every run leaves the directory empty: remove it at exit. */
static void remove_dir(void)
{
	rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum record_format fmts[] = {
		RECORD_FMT_JSON, RECORD_FMT_JSON_COMPRESSED, RECORD_FMT_NATIVE,
	};
	static bool made;
	struct bytes b = { data, size };
	struct record_writer *w;
	struct model m;
	struct diag d;
	size_t r, s;
	char *path, *old;

	if (!made) {
		if (!mkdtemp(dir))
			abort();
		made = true;
		atexit(remove_dir);
	}
	path = xasprintf("%s/r", dir);
	old = xasprintf("%s/r.old", dir);
	memset(&m, 0, sizeof(m));
	diag_init(&d);
	w = record_writer_open(path, fmts[take(&b, 1) % 3], &d);
	make(&b, &m);
	for (r = 0; r < m.nr_records; r++) {
		if (record_writer_add(w, &m.meta[r]) != r)
			abort();
	}
	for (r = 0; r < m.nr_records; r++)
		for (s = 0; s < m.nr_snaps[r]; s++)
			if (record_writer_snapshot(w, r, &m.snaps[r][s]))
				abort();
	if (record_writer_finish(w)) {
		fprintf(stderr, "cannot write: %s\n", d.nr ? d.v[0].msg : "?");
		abort();
	}
	record_writer_free(w);
	compare(path, &m);
	unlink(path);
	unlink(old);
	release(&m);
	diag_release(&d);
	free(path);
	free(old);
	return 0;
}
