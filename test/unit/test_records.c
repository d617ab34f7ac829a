/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unit tests for the record readers against files Python damo wrote
 * (test/fixtures/records): the counts docs/damo-compat.md states, equal streams
 * from equal content, and located errors for every cut or damaged copy.
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
#include <zlib.h>

#include "core/damon.h"
#include "core/diag.h"
#include "core/snapshot.h"
#include "core/xalloc.h"
#include "formats/record.h"

#define NONE SNAP_NONE

static char *fixture(const char *name)
{
	const char *src = getenv("DAMO_SRC");

	return xasprintf("%s/test/fixtures/records/%s", src ? src : ".", name);
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = xmalloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* Write @len bytes to a new temporary file; the name is owned. */
static char *tmp_file(const void *buf, size_t len)
{
	char *path = xstrdup("/tmp/damo-test-records-XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	close(fd);
	return path;
}

/* The JSON text inside a json_compressed fixture, as a temporary file. */
static char *inflated_copy(const char *name)
{
	char *path = fixture(name), *out;
	size_t len, cap = 8 << 20;
	unsigned char *z = slurp(path, &len), *plain = xmalloc(cap);
	uLongf plen = cap;

	assert_int_equal(uncompress(plain, &plen, z, len), Z_OK);
	out = tmp_file(plain, plen);
	free(plain);
	free(z);
	free(path);
	return out;
}

struct counts {
	size_t records;
	size_t snapshots;
	size_t regions;
	uint64_t first_start;
	uint64_t first_end;
	uint64_t last_end;
};

/* Read all of @path (which must read cleanly) and count. */
static void count(const char *path, struct counts *c)
{
	struct record_reader *rd;
	const struct record_meta *m;
	struct snapshot s;
	struct diag d;
	int r;

	memset(c, 0, sizeof(*c));
	diag_init(&d);
	snapshot_init(&s);
	assert_int_equal(record_open(path, &rd, &d), 0);
	while ((r = record_next(rd, &m)) > 0) {
		c->records++;
		while ((r = record_next_snapshot(rd, &s)) > 0) {
			if (!c->snapshots++) {
				c->first_start = s.start_ns;
				c->first_end = s.end_ns;
			}
			c->last_end = s.end_ns;
			c->regions += s.nr_regions;
		}
		assert_int_equal(r, 0);
	}
	if (d.nr)
		print_error("%s: %s\n", path, d.v[0].msg);
	assert_int_equal(r, 0);
	assert_int_equal(d.nr, 0);
	record_close(rd);
	snapshot_release(&s);
	diag_release(&d);
}

static void test_damon_data(void **state)
{
	char *path = fixture("damon.data");
	struct record_reader *rd;
	const struct record_meta *m;
	struct snapshot s;
	struct counts c;
	struct diag d;

	(void)state;
	count(path, &c);
	assert_int_equal(c.records, 1);
	assert_int_equal(c.snapshots, 543);
	assert_int_equal(c.regions, 9773);
	assert_true(c.first_start == 539809434100ULL);
	assert_true(c.first_end == 539914032967ULL);
	assert_true(c.last_end == 596606618651ULL);

	diag_init(&d);
	snapshot_init(&s);
	assert_int_equal(record_open(path, &rd, &d), 0);
	assert_int_equal(record_format(rd), RECORD_FMT_JSON_COMPRESSED);
	assert_int_equal(record_next(rd, &m), 1);
	assert_true(m->target_id == 18446623438842320000ULL);
	assert_false(m->has_intervals);
	assert_true(m->kdamond_idx == NONE && m->context_idx == NONE &&
		    m->scheme_idx == NONE);
	assert_string_equal(m->data_source, "unknown");
	assert_int_equal(record_next_snapshot(rd, &s), 1);
	assert_true(s.total_bytes == 40243200);
	assert_true(s.regions[0].start == 94827419009024ULL);
	assert_true(s.regions[0].end == 94827423150080ULL);
	assert_true(s.regions[0].nr_accesses == 0);
	assert_true(s.regions[0].age == NONE);
	record_close(rd);
	snapshot_release(&s);
	diag_release(&d);
	free(path);
}

static void test_perf_script(void **state)
{
	char *path = fixture("perf.data.script");
	struct record_reader *rd;
	const struct record_meta *m;
	struct snapshot s;
	struct counts c;
	struct diag d;

	(void)state;
	count(path, &c);
	assert_int_equal(c.records, 1);
	assert_int_equal(c.snapshots, 562);
	assert_int_equal(c.regions, 10260);
	/* end - (last - first) / 561, truncated as damo's int() */
	assert_true(c.first_start == 82820852190262ULL);
	assert_true(c.first_end == 82820952659000ULL);
	assert_true(c.last_end == 82877315621000ULL);

	diag_init(&d);
	snapshot_init(&s);
	assert_int_equal(record_open(path, &rd, &d), 0);
	assert_int_equal(record_format(rd), RECORD_FMT_PERF_SCRIPT);
	assert_int_equal(record_next(rd, &m), 1);
	assert_true(m->target_id == 18446623435582458880ULL);
	assert_int_equal(record_next_snapshot(rd, &s), 1);
	assert_int_equal(s.nr_regions, 8);
	assert_true(s.regions[0].start == 94253027950592ULL);
	assert_true(s.regions[0].age == NONE);
	assert_true(s.sample_interval_us == NONE);
	record_close(rd);
	snapshot_release(&s);
	diag_release(&d);
	free(path);
}

/* Every snapshot of @a and @b is the same; @meta: the records' too. */
static void assert_same_stream(const char *a, const char *b, bool meta)
{
	struct record_reader *ra, *rb;
	const struct record_meta *ma, *mb;
	struct snapshot sa, sb;
	struct diag d;
	int r, r2;

	diag_init(&d);
	snapshot_init(&sa);
	snapshot_init(&sb);
	assert_int_equal(record_open(a, &ra, &d), 0);
	assert_int_equal(record_open(b, &rb, &d), 0);
	while ((r = record_next(ra, &ma)) > 0) {
		assert_int_equal(record_next(rb, &mb), 1);
		if (meta) {
			assert_true(ma->target_id == mb->target_id);
			assert_true(ma->kdamond_idx == mb->kdamond_idx);
			assert_int_equal(ma->has_intervals, mb->has_intervals);
			assert_int_equal(ma->nr_scheme_filters,
					 mb->nr_scheme_filters);
		}
		while ((r = record_next_snapshot(ra, &sa)) > 0) {
			assert_int_equal(record_next_snapshot(rb, &sb), 1);
			assert_true(sa.start_ns == sb.start_ns);
			assert_true(sa.end_ns == sb.end_ns);
			assert_int_equal(sa.nr_regions, sb.nr_regions);
			assert_memory_equal(sa.regions, sb.regions,
					    sa.nr_regions * sizeof(*sa.regions));
			assert_true(snapshot_total_bytes(&sa) ==
				    snapshot_total_bytes(&sb));
			assert_int_equal(sa.has_stats, sb.has_stats);
		}
		assert_int_equal(r, 0);
		assert_int_equal(record_next_snapshot(rb, &sb), 0);
	}
	r2 = record_next(rb, &mb);
	assert_int_equal(r, 0);
	assert_int_equal(r2, 0);
	assert_int_equal(d.nr, 0);
	record_close(ra);
	record_close(rb);
	snapshot_release(&sa);
	snapshot_release(&sb);
	diag_release(&d);
}

static const char *const compressed[] = {
	"damon.data", "damon.data.json_compressed",
	"damon.data.snapshot.active", "damon.data.snapshot.anon",
	"damon.data.snapshot.file", "damon.data.snapshot.hugepage",
	"damon.data.snapshot.inactive", "damon.data.snapshot.nofilter",
	"damon.data.snapshot.unmapped",
};

static void test_json_equals_compressed(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(compressed); i++) {
		char *z = fixture(compressed[i]), *plain = inflated_copy(compressed[i]);

		assert_same_stream(z, plain, true);
		unlink(plain);
		free(plain);
		free(z);
	}
}

/* The legacy binary damon.data was converted from, and its old schema. */
static void test_same_content_other_formats(void **state)
{
	char *data = fixture("damon.data");
	char *legacy = fixture("damon.data.legacy_binary");
	char *old = fixture("damon.data.json_compressed");

	(void)state;
	assert_same_stream(data, legacy, true);
	assert_same_stream(data, old, true);
	free(data);
	free(legacy);
	free(old);
}

static void test_snapshot_active(void **state)
{
	char *path = fixture("damon.data.snapshot.active");
	const struct damon_intervals *iv;
	const struct damos_filter *f;
	struct record_reader *rd;
	const struct record_meta *m;
	struct snapshot s;
	struct diag d;

	(void)state;
	diag_init(&d);
	snapshot_init(&s);
	assert_int_equal(record_open(path, &rd, &d), 0);
	assert_int_equal(record_next(rd, &m), 1);
	assert_true(m->kdamond_idx == 0 && m->context_idx == 0 &&
		    m->scheme_idx == 0 && m->target_id == NONE);
	assert_false(m->kdamond_is_stat);
	assert_true(m->has_intervals);
	iv = &m->intervals;
	assert_true(iv->sample_us == 150000 && iv->aggr_us == 3000000 &&
		    iv->ops_update_us == 1000000);
	/* "400.000000" read exactly, never through a double */
	assert_true(iv->goal.access_bp == 400 && iv->goal.aggrs == 1 &&
		    iv->goal.min_sample_us == 5000 &&
		    iv->goal.max_sample_us == 150000);
	assert_int_equal(m->nr_scheme_filters, 1);
	f = &m->scheme_filters[0];
	assert_int_equal(f->type, DAMOS_FILTER_ACTIVE);
	assert_true(f->matching && f->allow);
	assert_int_equal(record_next_snapshot(rd, &s), 1);
	assert_true(s.start_ns == 1748191609649802240ULL);
	assert_true(s.end_ns == 1748191612649802240ULL);
	assert_int_equal(s.nr_regions, 34);
	assert_true(s.regions[0].start == 4294967296ULL);
	assert_true(s.regions[0].end == 4456865792ULL);
	assert_true(s.regions[0].nr_accesses == 0);
	assert_true(s.regions[0].age == 5);
	/* "31.340 MiB" as damo's int(31.340 * 2^20) */
	assert_true(s.regions[0].sz_filter_passed == 32862371);
	assert_true(s.total_bytes == 64282951680ULL);
	assert_true(s.has_stats);
	assert_true(s.stats.nr_tried == 0 && s.stats.sz_applied == 0);
	assert_int_equal(record_next_snapshot(rd, &s), 0);
	assert_int_equal(record_next(rd, &m), 0);
	assert_int_equal(d.nr, 0);
	record_close(rd);
	snapshot_release(&s);
	diag_release(&d);
	free(path);
}

static void test_snapshot_files(void **state)
{
	static const struct {
		const char *name;
		size_t regions;
		uint64_t end;
	} files[] = {
		{ "damon.data.snapshot.active", 34, 1748191612649802240ULL },
		{ "damon.data.snapshot.anon", 105, 1748191729781395200ULL },
		{ "damon.data.snapshot.file", 203, 1748191795453755136ULL },
		{ "damon.data.snapshot.hugepage", 21, 1748191710908346368ULL },
		{ "damon.data.snapshot.inactive", 478, 1748191772865940992ULL },
		{ "damon.data.snapshot.nofilter", 132, 1745091985873302272ULL },
		{ "damon.data.snapshot.unmapped", 211, 1748191748999869440ULL },
	};
	struct counts c;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		char *path = fixture(files[i].name);

		count(path, &c);
		assert_int_equal(c.records, 1);
		assert_int_equal(c.snapshots, 1);
		assert_int_equal(c.regions, files[i].regions);
		assert_true(c.last_end == files[i].end);
		free(path);
	}
}

/*
 * Read @len bytes of @buf as a file: it must read cleanly, or fail with
 * one located error (a line for text and JSON, a byte offset for binary).
 */
static void read_or_locate(const unsigned char *buf, size_t len)
{
	char *path = tmp_file(buf, len);
	struct record_reader *rd;
	const struct record_meta *m;
	struct snapshot s;
	struct diag d;
	int r;

	diag_init(&d);
	snapshot_init(&s);
	r = record_open(path, &rd, &d);
	if (!r) {
		while ((r = record_next(rd, &m)) > 0)
			while ((r = record_next_snapshot(rd, &s)) > 0)
				;
		assert_true(r <= 0);
		if (r < 0)	/* the error stays */
			assert_int_equal(record_next(rd, &m), r);
		record_close(rd);
	}
	if (r) {
		assert_int_equal(r, -EINVAL);
		/* one error; scheme filters report each of their problems */
		assert_true(d.nr == 1 || strstr(d.v[0].path, "scheme_filters"));
		assert_string_equal(d.v[0].file, path);
		if (!d.v[0].line && strncmp(d.v[0].msg, "byte ", 5) &&
		    strcmp(d.v[0].msg, "empty file")) {
			print_error("unlocated: %s\n", d.v[0].msg);
			fail();
		}
	} else {
		assert_int_equal(d.nr, 0);
	}
	unlink(path);
	free(path);
	snapshot_release(&s);
	diag_release(&d);
}

/* A small deterministic generator, so failures can be replayed. */
static uint64_t rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static void prefixes(const unsigned char *buf, size_t len, size_t nr_random)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL ^ len;
	size_t i;

	if (!nr_random) {
		for (i = 0; i < len; i++)
			read_or_locate(buf, i);
		return;
	}
	for (i = 0; i < nr_random; i++)
		read_or_locate(buf, rnd(&x) % len);
}

static void corruptions(unsigned char *buf, size_t len, size_t nr)
{
	uint64_t x = 0x2545f4914f6cdd1dULL ^ len;
	size_t i, at;
	unsigned char old;

	for (i = 0; i < nr; i++) {
		at = rnd(&x) % len;
		old = buf[at];
		buf[at] = (unsigned char)rnd(&x);
		read_or_locate(buf, len);
		buf[at] = old;
	}
}

static unsigned char *fixture_bytes(const char *name, bool inflate,
				    size_t *len)
{
	char *path = inflate ? inflated_copy(name) : fixture(name);
	unsigned char *buf = slurp(path, len);

	if (inflate)
		unlink(path);
	free(path);
	return buf;
}

static void test_prefixes_small(void **state)
{
	unsigned char *buf;
	size_t i, len;

	(void)state;
	for (i = 2; i < ARRAY_SIZE(compressed); i++) {
		buf = fixture_bytes(compressed[i], false, &len);
		prefixes(buf, len, 0);
		free(buf);
		buf = fixture_bytes(compressed[i], true, &len);
		prefixes(buf, len, len > 4096 ? 300 : 0);
		free(buf);
	}
}

static void test_prefixes_big(void **state)
{
	static const struct {
		const char *name;
		bool inflate;
	} big[] = {
		{ "damon.data", false }, { "damon.data", true },
		{ "damon.data.json_compressed", false },
		{ "damon.data.legacy_binary", false },
		{ "perf.data.script", false },
	};
	unsigned char *buf;
	size_t i, len;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(big); i++) {
		buf = fixture_bytes(big[i].name, big[i].inflate, &len);
		prefixes(buf, len, big[i].inflate ? 40 : 200);
		if (!big[i].inflate)
			prefixes(buf, len < 2048 ? len : 2048, 0);
		free(buf);
	}
}

static void test_corrupted(void **state)
{
	static const char *const names[] = {
		"damon.data.snapshot.active", "damon.data.snapshot.hugepage",
		"damon.data.legacy_binary",
	};
	unsigned char *buf;
	size_t i, len;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		buf = fixture_bytes(names[i], false, &len);
		corruptions(buf, len, 200);
		free(buf);
	}
	buf = fixture_bytes("damon.data.snapshot.active", true, &len);
	corruptions(buf, len, 500);
	free(buf);
	buf = fixture_bytes("perf.data.script", false, &len);
	corruptions(buf, 64 << 10, 300);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_damon_data),
		cmocka_unit_test(test_perf_script),
		cmocka_unit_test(test_snapshot_active),
		cmocka_unit_test(test_snapshot_files),
		cmocka_unit_test(test_json_equals_compressed),
		cmocka_unit_test(test_same_content_other_formats),
		cmocka_unit_test(test_prefixes_small),
		cmocka_unit_test(test_prefixes_big),
		cmocka_unit_test(test_corrupted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
