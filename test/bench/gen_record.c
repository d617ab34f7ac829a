/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A record generator for the report benchmark: one record of SNAPSHOTS
 * snapshots of REGIONS regions each, a hot range that drifts up the
 * address space over the recording, the rest cold, sizes and cold hits
 * from a fixed-seed xorshift, so every run writes the same files.
 *
 *   gen_record [-s SNAPSHOTS] [-r REGIONS] PREFIX
 *
 * writes PREFIX.json_compressed as Python damo 3.3 writes it
 * (json.dumps(indent=4) of its records with raw numbers: region start,
 * end and sizes as decimal strings, samples as integers, zlib level 6 as
 * Python's zlib.compress()), and PREFIX.native with the project's record
 * writer.  Prints the sizes: regions, compressed and inflated bytes.
 */
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "core/diag.h"
#include "core/snapshot.h"
#include "formats/record_write.h"

#define BASE_ADDR 0x7f0000000000ULL
#define SAMPLE_US 5000ULL
#define AGGR_US 100000ULL

static uint64_t rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Snapshot @i of @nr_snaps with @nr regions into @s; @seed advances. */
static void make_snapshot(struct snapshot *s, uint64_t i, uint64_t nr_snaps,
			  uint64_t nr, uint64_t *seed)
{
	uint64_t hot = i * nr / (nr_snaps ? nr_snaps : 1), addr = BASE_ADDR, j;
	uint64_t width = nr / 20 + 1;

	snapshot_clear(s);
	s->start_ns = 1700000000000000000ULL + i * AGGR_US * 1000;
	s->end_ns = s->start_ns + AGGR_US * 1000;
	for (j = 0; j < nr; j++) {
		struct snap_region *r = snapshot_add_region(s);
		bool is_hot = j >= hot && j < hot + width;
		uint64_t v = rnd(seed);

		r->start = addr;
		r->end = addr + (1 + v % 2048) * 4096;
		addr = r->end;
		r->nr_accesses = is_hot ? 10 + v % 11 : (v >> 20) % 31 == 0;
		r->age = is_hot ? (v >> 12) % 5 : i % 300 + (v >> 24) % 7;
		r->sz_filter_passed = 0;
	}
}

struct zout {
	FILE *f;
	z_stream zs;
	char *buf;
	size_t len;
	size_t cap;
	uint64_t raw;
	int err;
};

static void zflush(struct zout *z, int mode)
{
	unsigned char out[1 << 16];
	int ret;

	z->zs.next_in = (unsigned char *)z->buf;
	z->zs.avail_in = (uInt)z->len;
	do {
		z->zs.next_out = out;
		z->zs.avail_out = sizeof(out);
		ret = deflate(&z->zs, mode);
		if (ret == Z_STREAM_ERROR)
			z->err = -EIO;
		if (fwrite(out, 1, sizeof(out) - z->zs.avail_out, z->f) !=
		    sizeof(out) - z->zs.avail_out)
			z->err = -EIO;
	} while (z->zs.avail_out == 0 ||
		 (mode == Z_FINISH && ret != Z_STREAM_END && !z->err));
	z->raw += z->len;
	z->len = 0;
}

static void zput(struct zout *z, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void zput(struct zout *z, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(z->buf + z->len, z->cap - z->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= z->cap - z->len) {
		fprintf(stderr, "gen_record: line too long\n");
		exit(1);
	}
	z->len += (size_t)n;
	if (z->len > z->cap / 2)
		zflush(z, Z_NO_FLUSH);
}

/* damo 3.3's json.dumps(indent=4) of one record, compressed. */
static int write_damo(const char *path, uint64_t nr_snaps, uint64_t nr,
		      uint64_t *raw_bytes)
{
	struct zout z = { .cap = 1 << 20 };
	uint64_t seed = 0x9e3779b97f4a7c15ULL, i, j;
	struct snapshot s;

	z.f = fopen(path, "wb");
	if (!z.f)
		return -errno;
	z.buf = malloc(z.cap);
	if (!z.buf || deflateInit(&z.zs, 6) != Z_OK)
		return -ENOMEM;
	snapshot_init(&s);
	zput(&z, "[\n    {\n        \"kdamond_idx\": 0,\n"
		 "        \"context_idx\": 0,\n"
		 "        \"intervals\": {\n"
		 "            \"sample_us\": \"%llu\",\n"
		 "            \"aggr_us\": \"%llu\",\n"
		 "            \"ops_update_us\": \"1000000\",\n"
		 "            \"intervals_goal\": {\n"
		 "                \"access_bp\": \"0\",\n"
		 "                \"aggrs\": \"0\",\n"
		 "                \"min_sample_us\": \"0\",\n"
		 "                \"max_sample_us\": \"0\"\n"
		 "            }\n        },\n"
		 "        \"scheme_idx\": null,\n"
		 "        \"target_id\": 0,\n"
		 "        \"scheme_filters\": [],\n"
		 "        \"snapshots\": [",
	     (unsigned long long)SAMPLE_US, (unsigned long long)AGGR_US);
	for (i = 0; i < nr_snaps; i++) {
		make_snapshot(&s, i, nr_snaps, nr, &seed);
		zput(&z, "%s\n            {\n"
			 "                \"start_time\": \"%" PRIu64 "\",\n"
			 "                \"end_time\": \"%" PRIu64 "\",\n"
			 "                \"regions\": [",
		     i ? "," : "", s.start_ns, s.end_ns);
		for (j = 0; j < s.nr_regions; j++) {
			const struct snap_region *r = &s.regions[j];

			zput(&z, "%s\n                    {\n"
				 "                        \"start\": \"%" PRIu64 "\",\n"
				 "                        \"end\": \"%" PRIu64 "\",\n"
				 "                        \"nr_accesses\": {\n"
				 "                            \"samples\": %" PRIu64 ",\n"
				 "                            \"percent\": null\n"
				 "                        },\n"
				 "                        \"age\": {\n"
				 "                            \"usec\": null,\n"
				 "                            \"aggr_intervals\": \"%" PRIu64 "\"\n"
				 "                        },\n"
				 "                        \"probe_hits\": [],\n"
				 "                        \"sz_filter_passed\": \"0\"\n"
				 "                    }",
			     j ? "," : "", r->start, r->end, r->nr_accesses,
			     r->age);
		}
		zput(&z, "\n                ],\n"
			 "                \"total_bytes\": \"%" PRIu64 "\",\n"
			 "                \"damos_stats\": null,\n"
			 "                \"sample_interval_us\": null\n"
			 "            }", snapshot_total_bytes(&s));
	}
	zput(&z, "\n        ],\n        \"data_source\": null\n    }\n]");
	zflush(&z, Z_FINISH);
	deflateEnd(&z.zs);
	snapshot_release(&s);
	free(z.buf);
	if (fclose(z.f) || z.err)
		return -EIO;
	*raw_bytes = z.raw;
	return 0;
}

static int write_native(const char *path, uint64_t nr_snaps, uint64_t nr)
{
	struct record_info info = { .start_ns = SNAP_NONE };
	uint64_t seed = 0x9e3779b97f4a7c15ULL, i;
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
	meta.target_id = 0;
	meta.has_intervals = true;
	meta.intervals.sample_us = SAMPLE_US;
	meta.intervals.aggr_us = AGGR_US;
	meta.intervals.ops_update_us = 1000000;
	w = record_writer_open(path, RECORD_FMT_NATIVE, &d);
	record_writer_set_info(w, &info);
	rec = record_writer_add(w, &meta);
	snapshot_init(&s);
	for (i = 0; i < nr_snaps && !err; i++) {
		make_snapshot(&s, i, nr_snaps, nr, &seed);
		err = record_writer_snapshot(w, rec, &s);
	}
	if (!err)
		err = record_writer_finish(w);
	record_writer_free(w);
	snapshot_release(&s);
	record_meta_release(&meta);
	if (err && d.nr)
		fprintf(stderr, "%s: %s\n", path, d.v[0].msg);
	diag_release(&d);
	return err;
}

int main(int argc, char **argv)
{
	uint64_t nr_snaps = 800, nr = 400, raw = 0;
	char path[4096];
	int opt, err;

	while ((opt = getopt(argc, argv, "s:r:")) != -1) {
		switch (opt) {
		case 's':
			nr_snaps = strtoull(optarg, NULL, 10);
			break;
		case 'r':
			nr = strtoull(optarg, NULL, 10);
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc - 1 || !nr_snaps || !nr)
		goto usage;
	snprintf(path, sizeof(path), "%s.json_compressed", argv[optind]);
	err = write_damo(path, nr_snaps, nr, &raw);
	if (err) {
		fprintf(stderr, "%s: %s\n", path, strerror(-err));
		return 1;
	}
	snprintf(path, sizeof(path), "%s.native", argv[optind]);
	err = write_native(path, nr_snaps, nr);
	if (err) {
		fprintf(stderr, "%s: %s\n", path, strerror(-err));
		return 1;
	}
	printf("%" PRIu64 " %" PRIu64 "\n", nr_snaps * nr, raw);
	return 0;
usage:
	fprintf(stderr, "usage: gen_record [-s SNAPSHOTS] [-r REGIONS] PREFIX\n");
	return 64;
}
