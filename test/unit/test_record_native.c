/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unit tests for the native record format: CRC32C, a round trip of every
 * field, compactness, and files cut at every byte or with any byte flipped.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/damon.h"
#include "core/diag.h"
#include "core/snapshot.h"
#include "core/xalloc.h"
#include "formats/crc32c.h"
#include "formats/record.h"
#include "formats/record_write.h"

static char *tmp_path(const char *name)
{
	const char *dir = getenv("TMPDIR");

	return xasprintf("%s/damo-test-native-%d-%s", dir ? dir : "/tmp",
			 (int)getpid(), name);
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	b = xmalloc((size_t)n + 1);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return b;
}

static void spit(const char *path, const void *b, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* RFC 3720 B.4 and the common check value. */
static void test_crc32c_vectors(void **state)
{
	unsigned char b[32];
	unsigned int i;

	(void)state;
	assert_int_equal(crc32c(0, "123456789", 9), 0xe3069283u);
	memset(b, 0, sizeof(b));
	assert_int_equal(crc32c(0, b, 32), 0x8a9136aau);
	memset(b, 0xff, sizeof(b));
	assert_int_equal(crc32c(0, b, 32), 0x62a8ab43u);
	for (i = 0; i < 32; i++)
		b[i] = (unsigned char)i;
	assert_int_equal(crc32c(0, b, 32), 0x46dd794eu);
	for (i = 0; i < 32; i++)
		b[i] = (unsigned char)(31 - i);
	assert_int_equal(crc32c(0, b, 32), 0x113fdb5cu);
	/* in pieces, at every split and alignment, the same */
	for (i = 0; i <= 32; i++)
		assert_int_equal(crc32c(crc32c(0, b, i), b + i, 32 - i),
				 0x113fdb5cu);
	assert_int_equal(crc32c(0, NULL, 0), 0);
	/* the table-driven fallback gives the same, at every length */
	for (i = 0; i <= 32; i++)
		assert_int_equal(crc32c_portable(0, b + 32 - i, i),
				 crc32c(0, b + 32 - i, i));
	assert_int_equal(crc32c_portable(0, "123456789", 9), 0xe3069283u);
}

/* Two records (a target's and a scheme's) with every field set. */
static void make_metas(struct record_meta *t, struct record_meta *s,
		       struct damos_filter *f)
{
	record_meta_init(t);
	t->kdamond_idx = 0;
	t->context_idx = 2;
	t->target_id = 18446623438842320000ull;
	t->has_intervals = true;
	t->intervals.sample_us = 5000;
	t->intervals.aggr_us = 100000;
	t->intervals.ops_update_us = 1000000;
	t->intervals.goal.access_bp = 400;
	t->intervals.goal.aggrs = 3;
	t->intervals.goal.min_sample_us = 5000;
	t->intervals.goal.max_sample_us = 10000000;
	record_meta_init(s);
	s->kdamond_idx = SNAP_NONE;
	s->kdamond_is_stat = true;
	s->scheme_idx = 1;
	s->data_source = "damon_stat";
	memset(f, 0, 2 * sizeof(*f));
	f[0].type = DAMOS_FILTER_MEMCG;
	f[0].matching = true;
	f[0].memcg_path = "/workload/a";
	f[1].type = DAMOS_FILTER_HUGEPAGE_SIZE;
	f[1].allow = true;
	f[1].has_hugepage_size = true;
	f[1].min_hugepage_sz = 2 << 20;
	f[1].max_hugepage_sz = UINT64_MAX;
	f[1].addr_range.start = 1;
	f[1].addr_range.end = UINT64_MAX;
	f[1].target_idx = 7;
	s->scheme_filters = f;
	s->nr_scheme_filters = 2;
}

/* Snapshot @k of a record: odd ones have probes, stats and nulls. */
static void make_snapshot(struct snapshot *s, unsigned int k)
{
	struct snap_region *r;
	unsigned int i, nr = 1 + k % 5;

	snapshot_clear(s);
	s->start_ns = k ? 1000000000ull * k : SNAP_NONE;
	s->end_ns = 1000000000ull * (k + 1) + 7;
	if (k % 2) {
		s->total_bytes = 123456789ull * k;
		s->sample_interval_us = 5000 + k;
		s->has_stats = true;
		s->stats.nr_tried = k;
		s->stats.sz_tried = 4096ull * k;
		s->stats.nr_applied = k / 2;
		s->stats.sz_applied = UINT64_MAX - k;
		s->stats.sz_ops_filter_passed = 12;
		s->stats.qt_exceeds = 3;
		s->stats.nr_snapshots = k * 10;
	}
	for (i = 0; i < nr; i++) {
		r = snapshot_add_region(s);
		r->start = 0x7f0000000000ull + (uint64_t)i * 0x200000 + k;
		r->end = r->start + 4096 * (i + 1);
		r->nr_accesses = (k + i) % 3 ? (k + i) % 21 : SNAP_NONE;
		r->age = i == 2 ? SNAP_NONE : k * 3 + i;
		r->sz_filter_passed = k % 2 ? 4096 * i : 0;
		if (k % 4 == 1)
			snapshot_region_probes(s, i, 3)[i % 3] = 1000 + k + i;
	}
	/* unsorted and overlapping regions survive too */
	if (k == 3) {
		r = snapshot_add_region(s);
		r->start = 0x1000;
		r->end = 0x2000;
		r->age = UINT64_MAX - 1;
		r->nr_accesses = 0;
	}
}

static void assert_snapshot_equal(const struct snapshot *a,
				  const struct snapshot *b)
{
	size_t i, j;

	assert_int_equal(a->start_ns, b->start_ns);
	assert_int_equal(a->end_ns, b->end_ns);
	assert_int_equal(a->total_bytes, b->total_bytes);
	assert_int_equal(a->sample_interval_us, b->sample_interval_us);
	assert_int_equal(a->has_stats, b->has_stats);
	assert_memory_equal(&a->stats, &b->stats, sizeof(a->stats));
	assert_int_equal(a->nr_regions, b->nr_regions);
	assert_int_equal(a->nr_regions ? a->nr_probes : 0,
			 b->nr_regions ? b->nr_probes : 0);
	for (i = 0; i < a->nr_regions; i++) {
		assert_memory_equal(&a->regions[i], &b->regions[i],
				    sizeof(a->regions[i]));
		for (j = 0; j < a->nr_probes; j++)
			assert_int_equal(a->probe_hits[i * a->nr_probes + j],
					 b->probe_hits[i * b->nr_probes + j]);
	}
}

static void assert_meta_equal(const struct record_meta *a,
			      const struct record_meta *b)
{
	size_t i;

	assert_int_equal(a->kdamond_idx, b->kdamond_idx);
	assert_int_equal(a->kdamond_is_stat, b->kdamond_is_stat);
	assert_int_equal(a->context_idx, b->context_idx);
	assert_int_equal(a->scheme_idx, b->scheme_idx);
	assert_int_equal(a->target_id, b->target_id);
	assert_int_equal(a->has_intervals, b->has_intervals);
	if (a->has_intervals)
		assert_memory_equal(&a->intervals, &b->intervals,
				    sizeof(a->intervals));
	assert_string_equal(a->data_source ? a->data_source : "unknown",
			    b->data_source);
	assert_int_equal(a->nr_scheme_filters, b->nr_scheme_filters);
	for (i = 0; i < a->nr_scheme_filters; i++) {
		const struct damos_filter *x = &a->scheme_filters[i];
		const struct damos_filter *y = &b->scheme_filters[i];

		assert_int_equal(x->type, y->type);
		assert_int_equal(x->matching, y->matching);
		assert_int_equal(x->allow, y->allow);
		assert_int_equal(!x->memcg_path, !y->memcg_path);
		if (x->memcg_path)
			assert_string_equal(x->memcg_path, y->memcg_path);
		assert_memory_equal(&x->addr_range, &y->addr_range,
				    sizeof(x->addr_range));
		assert_int_equal(x->target_idx, y->target_idx);
		assert_int_equal(x->has_hugepage_size, y->has_hugepage_size);
		assert_int_equal(x->min_hugepage_sz, y->min_hugepage_sz);
		assert_int_equal(x->max_hugepage_sz, y->max_hugepage_sz);
	}
}

#define NR_SNAPS 20

/*
 * The test file: two records, NR_SNAPS snapshots each, interleaved, side
 * samples, a chunk flushed every 4 snapshots (so several chunks).
 */
static void write_file(const char *path, struct record_meta *t,
		       struct record_meta *sm)
{
	struct damos_filter f[2];
	struct record_info info = {
		.start_ns = 1700000000000000000ull,
		.host = "testhost",
		.kernel = "Linux 6.99 x86_64",
		.ops = "vaddr",
		.config = "kdamonds:\n- contexts: []\n",
	};
	struct record_writer *w;
	struct snapshot s;
	struct diag d;
	unsigned int k;
	size_t rt, rs;

	diag_init(&d);
	snapshot_init(&s);
	make_metas(t, sm, f);
	w = record_writer_open(path, RECORD_FMT_NATIVE, &d);
	assert_non_null(w);
	assert_int_equal(record_writer_set_info(w, &info), 0);
	rt = record_writer_add(w, t);
	rs = record_writer_add(w, sm);
	assert_int_equal(rt, 0);
	assert_int_equal(rs, 1);
	for (k = 0; k < NR_SNAPS; k++) {
		make_snapshot(&s, k);
		assert_int_equal(record_writer_snapshot(w, rt, &s), 0);
		make_snapshot(&s, k + 100);
		assert_int_equal(record_writer_snapshot(w, rs, &s), 0);
		assert_int_equal(record_writer_rss(w, rt, 1000000000ull * k,
						   (k + 1) << 20,
						   k % 3 ? (k + 9) << 20 :
						   SNAP_NONE), 0);
		if (k % 4 == 3)
			assert_int_equal(record_writer_flush(w), 0);
	}
	/* the header is out: too late for it */
	assert_int_equal(record_writer_set_info(w, &info), -EBUSY);
	diag_release(&d);
	diag_init(&d);
	assert_int_equal(record_writer_finish(w), 0);
	record_writer_free(w);
	assert_int_equal(d.nr, 0);
	/* the filters were borrowed from the stack */
	sm->scheme_filters = NULL;
	sm->nr_scheme_filters = 0;
	snapshot_release(&s);
	diag_release(&d);
}

static void test_round_trip(void **state)
{
	char *path = tmp_path("rt");
	struct record_meta t, sm, *want[2];
	struct damos_filter f[2];
	const struct record_meta *m;
	const struct record_info *info;
	struct snapshot s, e;
	struct record_reader *rd;
	struct record_rss rss;
	struct diag d;
	unsigned int k, nrec = 0;

	(void)state;
	write_file(path, &t, &sm);
	make_metas(&t, &sm, f);
	want[0] = &t;
	want[1] = &sm;
	diag_init(&d);
	snapshot_init(&s);
	snapshot_init(&e);
	assert_int_equal(record_open(path, &rd, &d), 0);
	assert_int_equal(d.nr, 0);
	assert_int_equal(record_format(rd), RECORD_FMT_NATIVE);
	assert_string_equal(record_format_name(record_format(rd)), "native");
	info = record_info(rd);
	assert_non_null(info);
	assert_int_equal(info->start_ns, 1700000000000000000ull);
	assert_string_equal(info->host, "testhost");
	assert_string_equal(info->kernel, "Linux 6.99 x86_64");
	assert_string_equal(info->ops, "vaddr");
	assert_string_equal(info->config, "kdamonds:\n- contexts: []\n");
	/* side samples first, then again after the records: independent */
	for (k = 0; k < NR_SNAPS; k++) {
		assert_int_equal(record_next_rss(rd, &rss), 1);
		assert_int_equal(rss.rec, 0);
		assert_int_equal(rss.target_id, t.target_id);
		assert_int_equal(rss.time_ns, 1000000000ull * k);
		assert_int_equal(rss.rss_bytes, (uint64_t)(k + 1) << 20);
		assert_int_equal(rss.vsz_bytes,
				 k % 3 ? (uint64_t)(k + 9) << 20 : SNAP_NONE);
	}
	assert_int_equal(record_next_rss(rd, &rss), 0);
	while (record_next(rd, &m) > 0) {
		assert_true(nrec < 2);
		assert_meta_equal(want[nrec], m);
		for (k = 0; k < NR_SNAPS; k++) {
			assert_int_equal(record_next_snapshot(rd, &s), 1);
			make_snapshot(&e, k + (nrec ? 100 : 0));
			assert_snapshot_equal(&e, &s);
		}
		assert_int_equal(record_next_snapshot(rd, &s), 0);
		nrec++;
	}
	assert_int_equal(nrec, 2);
	assert_int_equal(record_next(rd, &m), 0);
	assert_int_equal(d.nr, 0);
	record_close(rd);
	/* skipping a record's snapshots still finds the next record */
	assert_int_equal(record_open(path, &rd, &d), 0);
	assert_int_equal(record_next(rd, &m), 1);
	assert_int_equal(record_next(rd, &m), 1);
	assert_int_equal(m->scheme_idx, 1);
	assert_int_equal(record_next_snapshot(rd, &s), 1);
	make_snapshot(&e, 100);
	assert_snapshot_equal(&e, &s);
	assert_int_equal(record_next(rd, &m), 0);
	record_close(rd);
	sm.scheme_filters = NULL;
	sm.nr_scheme_filters = 0;
	sm.data_source = NULL;
	record_meta_release(&t);
	record_meta_release(&sm);
	snapshot_release(&s);
	snapshot_release(&e);
	diag_release(&d);
	unlink(path);
	free(path);
}

/* damo's formats take the same API: side samples are dropped. */
static void test_json_drops_rss(void **state)
{
	char *path = tmp_path("j");
	struct record_writer *w;
	struct record_reader *rd;
	struct record_meta m;
	struct record_rss rss;
	struct diag d;

	(void)state;
	diag_init(&d);
	record_meta_init(&m);
	assert_null(record_writer_open(path, RECORD_FMT_PERF_SCRIPT, &d));
	w = record_writer_open(path, RECORD_FMT_JSON, &d);
	assert_int_equal(record_writer_add(w, &m), 0);
	assert_int_equal(record_writer_rss(w, 0, 1, 2, 3), 0);
	assert_int_equal(record_writer_flush(w), 0);
	assert_int_equal(record_writer_finish(w), 0);
	record_writer_free(w);
	assert_int_equal(record_open(path, &rd, &d), 0);
	assert_null(record_info(rd));
	assert_int_equal(record_next_rss(rd, &rss), 0);
	record_close(rd);
	assert_int_equal(d.nr, 0);
	diag_release(&d);
	unlink(path);
	free(path);
}

/* A deterministic generator for the synthetic record. */
static uint64_t rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/*
 * Realistic regions: 1000 page-aligned regions over a few GiB, sizes
 * that change a little between snapshots, access counts of 0 to 20 with
 * a few hot ones, ages growing or reset.
 */
static void test_compact(void **state)
{
	char *path = tmp_path("c");
	struct record_writer *w;
	struct record_meta m;
	struct snapshot s;
	struct diag d;
	uint64_t x = 42, pages[1000], ages[1000], addr, total = 0;
	unsigned int k, i;
	size_t len;
	unsigned char *b;

	(void)state;
	diag_init(&d);
	record_meta_init(&m);
	snapshot_init(&s);
	for (i = 0; i < 1000; i++) {
		pages[i] = 1 + rnd(&x) % 2048;
		ages[i] = rnd(&x) % 50;
	}
	w = record_writer_open(path, RECORD_FMT_NATIVE, &d);
	m.target_id = 0;
	record_writer_add(w, &m);
	for (k = 0; k < 300; k++) {
		snapshot_clear(&s);
		s.start_ns = 1700000000000000000ull + k * 100000000ull;
		s.end_ns = s.start_ns + 100000000ull;
		addr = 0x7f0000000000ull;
		for (i = 0; i < 1000; i++) {
			struct snap_region *r = snapshot_add_region(&s);
			uint64_t a = rnd(&x) % 100;

			/* DAMON splits and merges: sizes wander */
			if (rnd(&x) % 4 == 0) {
				uint64_t step = rnd(&x) % 65;

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
		total += s.nr_regions;
		assert_int_equal(record_writer_snapshot(w, 0, &s), 0);
	}
	assert_int_equal(record_writer_finish(w), 0);
	record_writer_free(w);
	b = slurp(path, &len);
	print_message("native: %zu bytes for %llu regions: %.2f bytes/region\n",
		      len, (unsigned long long)total, (double)len / total);
	assert_true(len < 20 * total);
	free(b);
	snapshot_release(&s);
	diag_release(&d);
	unlink(path);
	free(path);
}

/* Read @path whole: snapshots and samples read, and the open/read result. */
static int read_all(const char *path, struct diag *d, size_t *nr_snaps,
		    size_t *nr_rss)
{
	struct record_reader *rd;
	const struct record_meta *m;
	struct record_rss rss;
	struct snapshot s;
	int r;

	*nr_snaps = 0;
	*nr_rss = 0;
	r = record_open(path, &rd, d);
	if (r)
		return r;
	snapshot_init(&s);
	while ((r = record_next(rd, &m)) > 0) {
		while ((r = record_next_snapshot(rd, &s)) > 0)
			(*nr_snaps)++;
		if (r < 0)
			break;
	}
	if (!r) {
		while ((r = record_next_rss(rd, &rss)) > 0)
			(*nr_rss)++;
	}
	snapshot_release(&s);
	record_close(rd);
	return r;
}

/* Ends of the whole chunks of the file @b: the data ones, for a prefix. */
static size_t chunk_ends(const unsigned char *b, size_t len, size_t *ends,
			 size_t max, size_t *hdr_end)
{
	size_t off, n = 0;
	uint32_t body;

	body = (uint32_t)b[12] | (uint32_t)b[13] << 8 |
	       (uint32_t)b[14] << 16 | (uint32_t)b[15] << 24;
	off = 16 + body + 4;
	*hdr_end = off;
	while (off + 24 <= len && !memcmp(b + off, "DCHK", 4) && b[off + 4] == 1) {
		off += 24 + ((size_t)b[off + 8] | (size_t)b[off + 9] << 8 |
			     (size_t)b[off + 10] << 16 |
			     (size_t)b[off + 11] << 24);
		assert_true(n < max);
		ends[n++] = off;
	}
	return n;
}

/*
 * Every prefix reads to its last whole chunk with a "cut" warning, or (in
 * the header) fails with a located error; never a crash or a leak (ASan).
 */
static void test_every_prefix(void **state)
{
	char *path = tmp_path("p"), *cut = tmp_path("pc");
	struct record_meta t, sm;
	size_t len, ends[64], nr_ends, hdr_end, l, i, nr, nr_rss, want;
	unsigned char *b;
	struct diag d;
	char *msg;
	int r;

	(void)state;
	write_file(path, &t, &sm);
	record_meta_release(&t);
	sm.data_source = NULL;
	record_meta_release(&sm);
	b = slurp(path, &len);
	nr_ends = chunk_ends(b, len, ends, 64, &hdr_end);
	/* NR_SNAPS / 4 flushes, two records each, plus the last */
	assert_true(nr_ends >= 5);
	diag_init(&d);
	r = read_all(path, &d, &nr, &nr_rss);
	assert_int_equal(r, 0);
	assert_int_equal(nr, 2 * NR_SNAPS);
	assert_int_equal(nr_rss, NR_SNAPS);
	assert_int_equal(d.nr, 0);
	for (l = 0; l < len; l++) {
		spit(cut, b, l);
		diag_release(&d);
		diag_init(&d);
		r = read_all(cut, &d, &nr, &nr_rss);
		if (l < hdr_end) {
			assert_true(r < 0);
			assert_int_equal(diag_nr_errors(&d), d.nr);
			assert_true(d.nr >= 1);
			assert_string_equal(d.v[0].file, cut);
			assert_true(l == 0 ?
				    strstr(d.v[0].msg, "empty") != NULL :
				    !strncmp(d.v[0].msg, "byte ", 5));
			continue;
		}
		assert_int_equal(r, 0);
		/* one warning, saying where */
		assert_int_equal(d.nr, 1);
		assert_true(d.v[0].warning);
		msg = xasprintf("cut at byte %zu ", l);
		assert_non_null(strstr(d.v[0].msg, msg));
		free(msg);
		/* the snapshots of the chunks that are whole, no more */
		want = 0;
		for (i = 0; i < nr_ends && ends[i] <= l; i++)
			;
		if (i) {
			msg = xasprintf("last whole chunk at byte %zu)",
					ends[i - 1]);
			assert_non_null(strstr(d.v[0].msg, msg));
			free(msg);
		}
		/* 8 snapshots a chunk (4 per record), the last may have more */
		want = i < nr_ends ? i * 8 : 2 * NR_SNAPS;
		assert_int_equal(nr, want);
	}
	diag_release(&d);
	free(b);
	unlink(cut);
	unlink(path);
	free(cut);
	free(path);
}

/* Any flipped byte is an error naming a byte offset, never garbage. */
static void test_every_flip(void **state)
{
	char *path = tmp_path("f"), *bad = tmp_path("fb");
	struct record_meta t, sm;
	size_t len, i, nr, nr_rss;
	unsigned char *b;
	struct diag d;
	int r;

	(void)state;
	write_file(path, &t, &sm);
	record_meta_release(&t);
	sm.data_source = NULL;
	record_meta_release(&sm);
	b = slurp(path, &len);
	diag_init(&d);
	for (i = 0; i < len; i++) {
		b[i] ^= i % 2 ? 0x01 : 0xa5;
		spit(bad, b, len);
		b[i] ^= i % 2 ? 0x01 : 0xa5;
		diag_release(&d);
		diag_init(&d);
		r = read_all(bad, &d, &nr, &nr_rss);
		if (r >= 0)
			fail_msg("byte %zu flipped: read %zu snapshots, no error",
				 i, nr);
		assert_true(diag_nr_errors(&d) >= 1);
		assert_string_equal(d.v[d.nr - 1].file, bad);
		if (strncmp(d.v[d.nr - 1].msg, "byte ", 5))
			fail_msg("byte %zu flipped: '%s' says no byte offset",
				 i, d.v[d.nr - 1].msg);
	}
	diag_release(&d);
	free(b);
	unlink(bad);
	unlink(path);
	free(bad);
	free(path);
}

/* A writer given up without finish leaves a cut file, readable. */
static void test_unfinished(void **state)
{
	char *path = tmp_path("u"), *old;
	struct record_writer *w;
	struct record_meta m;
	struct snapshot s;
	struct diag d;
	size_t nr, nr_rss;
	unsigned int k;

	(void)state;
	diag_init(&d);
	record_meta_init(&m);
	snapshot_init(&s);
	spit(path, "keep", 4);
	w = record_writer_open(path, RECORD_FMT_NATIVE, &d);
	record_writer_add(w, &m);
	for (k = 0; k < 70; k++) {
		make_snapshot(&s, k);
		assert_int_equal(record_writer_snapshot(w, 0, &s), 0);
	}
	/* 64 snapshots went out by themselves, 6 wait */
	record_writer_free(w);
	assert_int_equal(read_all(path, &d, &nr, &nr_rss), 0);
	assert_int_equal(nr, 64);
	assert_int_equal(d.nr, 1);
	assert_true(d.v[0].warning);
	/* the file that was there is kept as .old, as damo does */
	old = xasprintf("%s.old", path);
	assert_int_equal(access(old, F_OK), 0);
	unlink(old);
	/* a writer that wrote nothing leaves things as they were */
	spit(path, "keep", 4);
	w = record_writer_open(path, RECORD_FMT_NATIVE, &d);
	record_writer_add(w, &m);
	make_snapshot(&s, 1);
	assert_int_equal(record_writer_snapshot(w, 0, &s), 0);
	record_writer_free(w);
	assert_int_equal(access(old, F_OK), -1);
	{
		size_t n;
		unsigned char *b = slurp(path, &n);

		assert_int_equal(n, 4);
		assert_memory_equal(b, "keep", 4);
		free(b);
	}
	free(old);
	snapshot_release(&s);
	diag_release(&d);
	unlink(path);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32c_vectors),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_json_drops_rss),
		cmocka_unit_test(test_compact),
		cmocka_unit_test(test_every_prefix),
		cmocka_unit_test(test_every_flip),
		cmocka_unit_test(test_unfinished),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
