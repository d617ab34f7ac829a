/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The damo JSON record reader against every shape damo writes: each
 * fixture record (damo 3.3 and old schemas), hand-written records with
 * every key damo knows (intervals, percent-only accesses, ages in
 * microseconds, probe hits, damos_stats, data_source after the
 * snapshots, escapes, one record without a list) and the same content
 * re-spaced (compact, CRLF, tabs, plain and compressed).  Everything the
 * reader returns is dumped as text and hashed; the hashes were taken with
 * the byte-at-a-time tokenizer the fast one replaced, so both read every
 * input to the same models.  DAMO_DUMP_DIR=DIR writes the dumps there.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "core/damon.h"
#include "core/diag.h"
#include "core/snapshot.h"
#include "core/xalloc.h"
#include "formats/json_pull.h"
#include "formats/record.h"
#include "formats/record_internal.h"

struct dump {
	char *buf;
	size_t len;
	size_t cap;
};

static void dprintf_(struct dump *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void dprintf_(struct dump *d, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(d->buf + d->len, d->cap - d->len, fmt, ap);
		va_end(ap);
		if ((size_t)n < d->cap - d->len)
			break;
		d->cap = d->cap * 2 + (size_t)n + 4096;
		d->buf = xreallocarray(d->buf, d->cap, 1);
	}
	d->len += (size_t)n;
}

static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 0x0ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void dump_meta(struct dump *d, const struct record_meta *m)
{
	const struct damon_intervals *iv = &m->intervals;
	size_t i;

	dprintf_(d, "record kd=%" PRIu64 "%s ctx=%" PRIu64 " scheme=%" PRIu64
		 " target=%" PRIu64 " src=%s\n", m->kdamond_idx,
		 m->kdamond_is_stat ? "(stat)" : "", m->context_idx,
		 m->scheme_idx, m->target_id, m->data_source);
	if (m->has_intervals)
		dprintf_(d, " intervals %" PRIu64 " %" PRIu64 " %" PRIu64
			 " goal %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
			 "\n", iv->sample_us, iv->aggr_us, iv->ops_update_us,
			 iv->goal.access_bp, iv->goal.aggrs,
			 iv->goal.min_sample_us, iv->goal.max_sample_us);
	for (i = 0; i < m->nr_scheme_filters; i++) {
		const struct damos_filter *f = &m->scheme_filters[i];

		dprintf_(d, " filter %d %d %d %s %" PRIu64 "-%" PRIu64
			 " %" PRIu64 " %d %" PRIu64 " %" PRIu64 "\n",
			 (int)f->type, f->matching, f->allow,
			 f->memcg_path ? f->memcg_path : "-",
			 f->addr_range.start, f->addr_range.end, f->target_idx,
			 f->has_hugepage_size, f->min_hugepage_sz,
			 f->max_hugepage_sz);
	}
}

static void dump_snapshot(struct dump *d, const struct snapshot *s)
{
	const struct damos_stats *st = &s->stats;
	size_t i, j;

	dprintf_(d, "snap %" PRIu64 " %" PRIu64 " total=%" PRIu64
		 " sample=%" PRIu64 " n=%zu probes=%zu\n", s->start_ns,
		 s->end_ns, s->total_bytes, s->sample_interval_us,
		 s->nr_regions, s->nr_probes);
	if (s->has_stats)
		dprintf_(d, " stats %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
			 " %" PRIu64 " %" PRIu64 " %" PRIu64 "\n", st->nr_tried,
			 st->sz_tried, st->nr_applied, st->sz_applied,
			 st->sz_ops_filter_passed, st->qt_exceeds,
			 st->nr_snapshots);
	for (i = 0; i < s->nr_regions; i++) {
		const struct snap_region *r = &s->regions[i];

		dprintf_(d, " %" PRIx64 "-%" PRIx64 " %" PRIu64 " %" PRIu64
			 " %" PRIu64, r->start, r->end, r->nr_accesses, r->age,
			 r->sz_filter_passed);
		for (j = 0; j < s->nr_probes; j++)
			dprintf_(d, " %" PRIu64,
				 s->probe_hits[i * s->nr_probes + j]);
		dprintf_(d, "\n");
	}
}

/*
 * Everything the reader gives for @path, errors included, read as @mode;
 * how many regions took the fast path in *@nr_fast when not NULL.
 */
enum read_mode {
	RM_FAST,	/* the default: fast path, keys read ahead */
	RM_SLOW,	/* no fast path */
	RM_AHEAD_LATE,	/* the default, the meta dumped after the snapshots */
	RM_ONE_PASS,	/* record_one_pass(), likewise */
};

static void dump_file_as(struct dump *d, const char *path,
			 enum read_mode mode, uint64_t *nr_fast)
{
	const struct record_meta *m;
	struct record_reader *rd;
	struct snapshot s;
	struct diag dg;
	size_t i;
	int r;

	diag_init(&dg);
	snapshot_init(&s);
	r = record_open(path, &rd, &dg);
	if (!r) {
		record_json_fast(rd, mode != RM_SLOW);
		if (mode == RM_ONE_PASS)
			record_one_pass(rd);
		while ((r = record_next(rd, &m)) > 0) {
			if (mode < RM_AHEAD_LATE)
				dump_meta(d, m);
			while ((r = record_next_snapshot(rd, &s)) > 0)
				dump_snapshot(d, &s);
			if (mode >= RM_AHEAD_LATE)
				dump_meta(d, m);
			if (r < 0)
				break;
		}
		if (nr_fast)
			*nr_fast = record_json_nr_fast(rd);
		record_close(rd);
	}
	dprintf_(d, "end %d\n", r);
	for (i = 0; i < dg.nr; i++)
		dprintf_(d, "diag %u:%u %s: %s\n", dg.v[i].line, dg.v[i].col,
			 dg.v[i].path ? dg.v[i].path : "",
			 dg.v[i].msg ? dg.v[i].msg : "");
	snapshot_release(&s);
	diag_release(&dg);
}

static void dump_file(struct dump *d, const char *path)
{
	dump_file_as(d, path, RM_FAST, NULL);
}

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

/* The JSON text of a fixture, inflated; owned. */
static char *fixture_json(const char *name, size_t *len)
{
	char *path = fixture(name);
	size_t zlen, cap = 1 << 20;
	unsigned char *z = slurp(path, &zlen);
	char *out = NULL;
	z_stream zs;
	int ret;

	free(path);
	memset(&zs, 0, sizeof(zs));
	assert_int_equal(inflateInit(&zs), Z_OK);
	zs.next_in = z;
	zs.avail_in = (uInt)zlen;
	*len = 0;
	do {
		cap *= 2;
		out = xreallocarray(out, cap, 1);
		zs.next_out = (unsigned char *)out + *len;
		zs.avail_out = (uInt)(cap - *len - 1);
		ret = inflate(&zs, Z_NO_FLUSH);
		*len = cap - 1 - zs.avail_out;
	} while (ret == Z_OK || (ret == Z_BUF_ERROR && !zs.avail_out));
	assert_int_equal(ret, Z_STREAM_END);
	inflateEnd(&zs);
	free(z);
	out[*len] = '\0';
	return out;
}

/* Write @len bytes (zlib-compressed when @z) to a temporary file. */
static char *tmp_file(const void *buf, size_t len, bool z)
{
	char *path = xstrdup("/tmp/damo-test-shapes-XXXXXX");
	int fd = mkstemp(path);
	uLongf zlen = compressBound((uLong)len);
	unsigned char *zb = NULL;

	assert_true(fd >= 0);
	if (z) {
		zb = xmalloc(zlen);
		assert_int_equal(compress(zb, &zlen, buf, (uLong)len), Z_OK);
		buf = zb;
		len = zlen;
	}
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	close(fd);
	free(zb);
	return path;
}

enum respace { SP_ASIS, SP_COMPACT, SP_CRLF, SP_TABS };

/*
 * @json with its blanks outside strings changed: removed, newlines made
 * CRLF, or each blank made a tab.  Line and column numbers in messages
 * change with it, so only error-free inputs are re-spaced.
 */
static char *respace(const char *json, size_t len, enum respace how,
		     size_t *out_len)
{
	char *o = xmalloc(len * 2 + 1);
	bool in_str = false, esc = false;
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		char c = json[i];

		if (in_str) {
			o[n++] = c;
			if (esc)
				esc = false;
			else if (c == '\\')
				esc = true;
			else if (c == '"')
				in_str = false;
			continue;
		}
		if (c == '"')
			in_str = true;
		if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
			if (how == SP_COMPACT)
				continue;
			if (how == SP_CRLF && c == '\n')
				o[n++] = '\r';
			if (how == SP_TABS && c == ' ')
				c = '\t';
		}
		o[n++] = c;
	}
	o[n] = '\0';
	*out_len = n;
	return o;
}

/* Dump @json (respaced @how, compressed when @z); check or write it. */
static uint64_t hash_json(const char *json, size_t len, enum respace how,
			  bool z)
{
	struct dump d = { 0 };
	size_t n;
	char *t = respace(json, len, how, &n);
	char *path = tmp_file(t, n, z);
	uint64_t h;

	dump_file(&d, path);
	unlink(path);
	free(path);
	free(t);
	h = fnv1a(d.buf, d.len);
	free(d.buf);
	return h;
}

/* Write the dump of @json to DAMO_DUMP_DIR/@name when it is set. */
static void maybe_write(const char *name, const char *json, size_t len)
{
	const char *dir = getenv("DAMO_DUMP_DIR");
	struct dump d = { 0 };
	char *path, *out;
	FILE *f;

	if (!dir)
		return;
	path = tmp_file(json, len, false);
	dump_file(&d, path);
	unlink(path);
	free(path);
	out = xasprintf("%s/%s.dump", dir, name);
	f = fopen(out, "w");
	assert_non_null(f);
	fwrite(d.buf, 1, d.len, f);
	fclose(f);
	free(out);
	free(d.buf);
}

struct shape {
	const char *name;	/* a fixture, or a label */
	const char *json;	/* NULL: the fixture's content */
	bool has_error;		/* not re-spaced: positions would move */
	uint64_t hash;		/* of the dump, from the reference reader */
};

static const struct shape shapes[] = {
	{ "damon.data", NULL, false, 0x385d8a460449ffc0ULL },
	{ "damon.data.json_compressed", NULL, false, 0x14dc621adb391696ULL },
	{ "damon.data.snapshot.active", NULL, false, 0x2ada18ab594b28aeULL },
	{ "damon.data.snapshot.anon", NULL, false, 0xef3c66f077252aefULL },
	{ "damon.data.snapshot.file", NULL, false, 0x1166af7a0cd4862bULL },
	{ "damon.data.snapshot.hugepage", NULL, false, 0x2303a7609f93c9f1ULL },
	{ "damon.data.snapshot.inactive", NULL, false, 0xb4da10136bc05b3fULL },
	{ "damon.data.snapshot.nofilter", NULL, false, 0x658b1cd7fa1951aaULL },
	{ "damon.data.snapshot.unmapped", NULL, false, 0x38b7f71d34268884ULL },
	/* damo 3.3's full schema, every region key, numbers and strings */
	{ "full", "[ {\"kdamond_idx\": 0, \"context_idx\": 1, "
	  "\"scheme_idx\": null, \"target_id\": 7,\n"
	  " \"intervals\": {\"sample_us\": \"5 ms\", \"aggr_us\": 100000, "
	  "\"ops_update_us\": \"1 s\", \"intervals_goal\": {\"access_bp\": "
	  "\"400.000000\", \"aggrs\": 3, \"min_sample_us\": 5000, "
	  "\"max_sample_us\": \"10 s\"}},\n"
	  " \"scheme_filters\": [],\n"
	  " \"snapshots\": [\n"
	  "  {\"start_time\": \"1,000\", \"end_time\": 2000, "
	  "\"total_bytes\": \"8 KiB\", \"sample_interval_us\": \"5 ms\", "
	  "\"damos_stats\": {\"nr_tried\": \"1,234\", \"sz_tried\": "
	  "\"4.000 KiB\", \"nr_applied\": 0, \"sz_applied\": 0, "
	  "\"sz_ops_filter_passed\": 4096, \"qt_exceeds\": 1, "
	  "\"nr_snapshots\": 9},\n"
	  "   \"regions\": [\n"
	  "    {\"start\": \"4,096\", \"end\": 8192, \"nr_accesses\": "
	  "{\"samples\": 3, \"percent\": 15.5}, \"age\": {\"usec\": "
	  "\"300 ms\", \"aggr_intervals\": 3}, \"sz_filter_passed\": "
	  "\"4 KiB\", \"probe_hits\": [1, 2, \"3\"]},\n"
	  "    {\"start\": 8192, \"end\": \"12,288\", \"nr_accesses\": "
	  "{\"samples\": null, \"percent\": 12.345678912}, \"age\": "
	  "{\"usec\": 1500000, \"aggr_intervals\": null}, "
	  "\"sz_filter_passed\": null, \"probe_hits\": null, "
	  "\"unknown\": {\"a\": [1, {\"b\": null}], \"c\": \"\\u00e9\\n\"}},\n"
	  "    {\"start\": 12288, \"end\": 16384, \"nr_accesses\": "
	  "{\"samples\": 1, \"percent\": 0}, \"age\": null},\n"
	  "    {\"start\": 16384, \"end\": 20480}\n"
	  "   ]},\n"
	  "  {\"regions\": [], \"end_time\": \"3 s\", \"start_time\": "
	  "\"2 s 500 ms\", \"damos_stats\": null}\n"
	  " ],\n"
	  " \"data_source\": \"damon_stat\"},\n"
	  " {\"kdamond_idx\": -1, \"context_idx\": 0, \"scheme_idx\": 2, "
	  "\"target_id\": null, \"snapshots\": [{\"start_time\": 0, "
	  "\"end_time\": 1, \"regions\": [{\"start\": 0, \"end\": "
	  "\"18,446,744,073,709,551,615\", \"nr_accesses\": {\"samples\": "
	  "\"18446744073709551614\", \"percent\": \"100\"}, \"age\": "
	  "{\"usec\": 0, \"aggr_intervals\": \"0\"}}]}], "
	  "\"data_source\": null, \"extra\": [true, false, -1.5e+3]}\n]\n",
	  false, 0x6830833738220a21ULL },
	/* one record object, no list; keys in another order */
	{ "single", "{\"snapshots\": [{\"end_time\": \"10\", \"regions\": "
	  "[{\"end\": \"0x10\", \"start\": \"1\"}], \"start_time\": "
	  "\"9\"}], \"target_id\": 3}", true, 0x645421fb2bdff8aaULL },
	{ "single-ok", "{\"snapshots\": [{\"end_time\": \"10\", \"regions\": "
	  "[{\"end\": 16, \"start\": \"1\", \"nr_accesses\": {\"samples\": "
	  "\"0\"}}], \"start_time\": \"9\"}], \"target_id\": 3}", false,
	  0x3c35febf71ae0a31ULL },
	/*
	 * numbers damo's units read in every spelling; the last region's
	 * start is above 2^64 - 1, which is refused (located), not capped
	 */
	{ "numbers", "[{\"target_id\": \"1,2,3\", \"intervals\": "
	  "{\"sample_us\": \"1.5 ms\", \"aggr_us\": \"0.1 s\", "
	  "\"ops_update_us\": \"max\"}, \"snapshots\": [{\"start_time\": "
	  "\"0\", \"end_time\": \"1 h\", \"regions\": [{\"start\": "
	  "\"007\", \"end\": \"1.5 MiB\", \"nr_accesses\": {\"samples\": "
	  "null, \"percent\": \"50\"}, \"age\": {\"usec\": \"250 ms\"}}, "
	  "{\"start\": \" 1,0 \", \"end\": \"min\", \"nr_accesses\": "
	  "{\"percent\": 99.9999999}}, {\"start\": 99999999999999999999, "
	  "\"end\": 1}]}]}]", true, 0xd174014d390294abULL },
	/* errors, located */
	{ "err-exponent", "[{\"snapshots\": [{\"start_time\": 1e3}]}]",
	  true, 0x2a3d1340db0a28afULL },
	{ "err-string", "[{\"snapshots\": [{\"start_time\": \"1\\q\"}]}]",
	  true, 0x97d5a6f91e7da257ULL },
	{ "err-number", "[{\"snapshots\": [{\"start_time\": 01}]}]", true,
	  0xc2cb9b0d8a7b4183ULL },
	{ "err-number2", "[{\"snapshots\": [{\"start_time\": 1.}]}]", true,
	  0xc2cb9b0d8a7b4183ULL },
	{ "err-number3", "[{\"snapshots\": [{\"start_time\": -}]}]", true,
	  0xc2cb9b0d8a7b4183ULL },
	{ "err-control", "[{\"snapshots\": [{\"start_time\": \"1\t\"}]}]",
	  true, 0x7ae82264b1063a79ULL },
	{ "err-literal", "[{\"snapshots\": [{\"start_time\": nul}]}]", true,
	  0x4e6182451dd3cacaULL },
	{ "err-range", "[{\"snapshots\": [{\"start_time\": 1, \"end_time\": "
	  "2, \"regions\": [{\"start\": \"18446744073709551616\", \"end\": "
	  "1}]}]}]", true, 0x438d3bb38839da80ULL },
	{ "err-unterminated", "[{\"snapshots\": [{\"start_time\": \"12", true,
	  0x6da6003787b33d60ULL },
	{ "err-surrogate", "[{\"data_source\": \"\\ud800x\", \"snapshots\": "
	  "[]}]", true, 0xe66842f460dfe7f0ULL },
	{ "err-trailing", "[{\"snapshots\": []}] x", true, 0xd7d0a3a5018d6377ULL },
	{ "err-byte", "[{\"snapshots\": [\x01]}]", true, 0xb22351ae45d1f6e8ULL },
	{ "err-missing", "[{\"snapshots\": [{\"start_time\": 1, "
	  "\"regions\": []}]}]", true, 0x229fbbcde1c3c771ULL },
	{ "err-long", "[{\"snapshots\": [{\"start_time\": "
	  "\"111111111111111111111111111111111111111111111\"}]}]", true,
	  0x05027d58a4b58b58ULL },
	{ "err-percent", "[{\"snapshots\": [{\"start_time\": 1, "
	  "\"end_time\": 2, \"regions\": [{\"start\": 0, \"end\": 1, "
	  "\"nr_accesses\": {\"percent\": 5}}]}]}]", true, 0x64fd47aaf5f721b0ULL },
};

static void test_shapes(void **state)
{
	const char *print = getenv("DAMO_SHAPES_PRINT");
	size_t i, len;
	bool fail = false;

	(void)state;
	for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		const struct shape *s = &shapes[i];
		char *json = s->json ? xstrdup(s->json) :
				       fixture_json(s->name, &len);
		uint64_t h[5];
		int k, nr = 1;

		if (s->json)
			len = strlen(json);
		maybe_write(s->name, json, len);
		h[0] = hash_json(json, len, SP_ASIS, false);
		if (!s->has_error) {
			h[1] = hash_json(json, len, SP_ASIS, true);
			h[2] = hash_json(json, len, SP_COMPACT, false);
			h[3] = hash_json(json, len, SP_CRLF, true);
			h[4] = hash_json(json, len, SP_TABS, false);
			nr = 5;
		}
		if (print)
			printf("\t{ \"%s\", ... 0x%016" PRIx64 "ULL },\n",
			       s->name, h[0]);
		for (k = 0; k < nr; k++) {
			if (h[k] == s->hash)
				continue;
			fprintf(stderr, "%s (variant %d): dump hash 0x%016" PRIx64
				", expected 0x%016" PRIx64 "\n", s->name, k,
				h[k], s->hash);
			fail = true;
		}
		free(json);
	}
	assert_false(fail);
}

/*
 * Skip the value at the start of @json with @fast or with jpull_skip();
 * where the source and the position are after it.  Returns what
 * jpull_skip_fast() returned, or jpull_skip()'s result.
 */
static int skip_once(const char *json, size_t len, bool fast,
		     uint64_t *tell, unsigned int *line, unsigned int *col,
		     enum jtok *next)
{
	char *path = tmp_file(json, len, false);
	struct jpull *jp = xcalloc(1, sizeof(*jp));
	struct rsrc src;
	struct diag dg;
	int r;

	diag_init(&dg);
	assert_int_equal(rsrc_open(&src, path), 0);
	jpull_init(jp, &src, path, &dg);
	r = fast ? jpull_skip_fast(jp) : jpull_skip(jp);
	*tell = rsrc_tell(&src);
	*line = jp->line;
	*col = jp->col;
	*next = jpull_next(jp);
	rsrc_close(&src);
	diag_release(&dg);
	unlink(path);
	free(path);
	free(jp);
	return r;
}

/* A valid array of @n elements of every kind, most of them plain. */
static char *plain_doc(size_t n, size_t *len)
{
	struct dump d = { 0 };
	size_t i;

	dprintf_(&d, " \n[");
	for (i = 0; i < n; i++) {
		dprintf_(&d, "%s", i ? "," : "");
		switch (i % 7) {
		case 0: dprintf_(&d, "%zu", i * 7919); break;
		case 1: dprintf_(&d, "-%zu.%zue+%zu", i, i % 13, i % 3); break;
		case 2: dprintf_(&d, "\n    {\"k%zu\": null, \"x\": [true, false, "
				 "{}], \"s\": \"\xc3\xa9 %zu\"}", i, i);
			break;
		case 3: dprintf_(&d, "\"%.*s\"", (int)(i % 40), "abcdefghij"
				 "abcdefghijabcdefghijabcdefghij"); break;
		case 4: dprintf_(&d, "[ [ [ ] ] ,\t\r\n[]]"); break;
		case 5: dprintf_(&d, "%*s0.5E-3", (int)(i % 17), ""); break;
		default: dprintf_(&d, "false "); break;
		}
	}
	dprintf_(&d, "] 1");
	*len = d.len;
	return d.buf;
}

/*
 * jpull_skip_fast() takes plain values itself, across every refill of the
 * source, to where jpull_skip() takes them, and gives up on escapes and
 * on every invalid value (which jpull_skip() then reports).
 */
static void test_skip_fast(void **state)
{
	static const char *const gives_up[] = {
		"[\"a\\nb\"]", "[1,]", "[01]", "[1.]", "[-]", "[nul]",
		"[truex]", "{\"a\" 1}", "{\"a\": 1,}", "{1: 2}", "[1}", "{]",
		"[\"\t\"]", "[1 2]", "[", "\"top\"", "17", "[\x01]",
		"[{\"a\": [1, 2}]",
	};
	unsigned int l1, c1, l2, c2;
	uint64_t t1, t2;
	enum jtok n1, n2;
	size_t len, i;
	char *doc;

	(void)state;
	for (i = 1; i < 200000; i = i * 3 + 1) {
		doc = plain_doc(i, &len);
		assert_int_equal(skip_once(doc, len, true, &t1, &l1, &c1, &n1),
				 0);
		assert_int_equal(skip_once(doc, len, false, &t2, &l2, &c2, &n2),
				 0);
		assert_int_equal(t1, t2);
		assert_int_equal(t1, len - 2);
		assert_int_equal(l1, l2);
		assert_int_equal(c1, c2);
		assert_int_equal(n1, JT_NUMBER);
		assert_int_equal(n2, JT_NUMBER);
		free(doc);
	}
	for (i = 0; i < sizeof(gives_up) / sizeof(gives_up[0]); i++) {
		const char *g = gives_up[i];

		assert_int_equal(skip_once(g, strlen(g), true, &t1, &l1, &c1,
					   &n1), 1);
	}
}

/* The Adler-32 after the deflate data is checked, and a cut one is seen. */
static void test_trailer(void **state)
{
	char *path = fixture("damon.data.snapshot.nofilter"), *t;
	struct dump d = { 0 };
	size_t len;
	unsigned char *z = slurp(path, &len);

	(void)state;
	free(path);
	z[len - 1] ^= 1;
	t = tmp_file(z, len, false);
	dump_file(&d, t);
	unlink(t);
	free(t);
	assert_non_null(strstr(d.buf, "(incorrect data check)"));
	d.len = 0;
	t = tmp_file(z, len - 2, false);
	dump_file(&d, t);
	unlink(t);
	free(t);
	assert_non_null(strstr(d.buf, "compressed data ends early"));
	free(d.buf);
	free(z);
}

/*
 * Dump @json (respaced @how, compressed when @z) through the fast path and
 * through the general parser only; the two dumps must be the same.
 * Returns how many regions the fast path took.
 */
static uint64_t both_paths(const char *name, const char *json, size_t len,
			   enum respace how, bool z)
{
	struct dump a = { 0 }, b = { 0 };
	uint64_t nr_fast = 0, nr_slow = 1;
	size_t n;
	char *t = respace(json, len, how, &n);
	char *path = tmp_file(t, n, z);

	dump_file_as(&a, path, RM_FAST, &nr_fast);
	dump_file_as(&b, path, RM_SLOW, &nr_slow);
	unlink(path);
	free(path);
	free(t);
	if (a.len != b.len || memcmp(a.buf, b.buf, a.len)) {
		size_t i = 0;

		while (i < a.len && i < b.len && a.buf[i] == b.buf[i])
			i++;
		fprintf(stderr, "%s (respace %d%s): the fast path differs at "
			"byte %zu of the dump:\nfast: %.120s\nslow: %.120s\n",
			name, (int)how, z ? ", compressed" : "", i, a.buf + i,
			b.buf + i);
		fail();
	}
	assert_int_equal(nr_slow, 0);
	free(a.buf);
	free(b.buf);
	return nr_fast;
}

/*
 * How damo writes a region's members, one spelling a variant: start and
 * end ("%" PRIu64 made of the address; "," a thousands-grouped string),
 * the other values as written, NULL for a key left out.
 */
struct damo_region {
	const char *start;	/* "s": digit string, "n": number, ... */
	const char *samples;
	const char *percent;
	const char *usec;
	const char *aggrs;
	const char *probes;
	const char *sz;
	const char *extra;	/* a last member of another key */
	bool fast;		/* the fast path takes it */
};

static const struct damo_region damo_regions[] = {
	{ "s", "10", "null", "null", "\"3\"", "[]", "\"0\"", NULL, true },
	{ ",", "0", "null", "null", "\"4\"", NULL, "\"2.611 GiB\"", NULL,
	  false },
	{ ",", "0", "null", "null", "null", NULL, NULL, NULL, true },
	{ "n", "null", "null", "\"300000\"", "null", "null", "null", NULL,
	  true },
	{ "s", "3", "15.5", "null", "\"1\"", "[]", "\"0\"", NULL, false },
	{ "s", "7", "null", "null", "\"2\"", "[1, 2, \"3\"]", "\"4096\"",
	  NULL, false },
	{ "n", "1", "null", "null", "\"0\"", "[]", "\"0\"",
	  "\"unknown\": {\"a\": [1, null]}", false },
	{ "m", "2", "null", "null", "\"5\"", NULL, NULL, NULL, false },
	{ "z", "2", "null", "null", "\"5\"", "[]", "\"8\"", NULL, false },
	{ "s", "\"5\"", "null", "\"0\"", "\"1,234\"", "[]", "0", NULL, true },
	{ "0", "4", "null", "1500000", "null", "[ ]", "\"4,096\"", NULL,
	  true },
	{ "n", "12345678901234567890", "null", "null", "\"1\"", "[]", "\"0\"",
	  NULL, false },
};

/* @v as a string of @how: s, n, ",", m (misgrouped), z (20 digits), 0. */
static void put_addr(struct dump *d, uint64_t v, const char *how)
{
	char dig[32];
	size_t n, i;

	n = (size_t)snprintf(dig, sizeof(dig), "%" PRIu64, v);
	switch (how[0]) {
	case 'n':
		dprintf_(d, "%s", dig);
		return;
	case 'z':
		dprintf_(d, "\"%020" PRIu64 "\"", v);
		return;
	case '0':
		dprintf_(d, "\"00%s\"", dig);
		return;
	case ',':
	case 'm':
		dprintf_(d, "\"");
		for (i = 0; i < n; i++)
			dprintf_(d, "%s%c", i && (how[0] == 'm' ? i == 1 :
				 (n - i) % 3 == 0) ? "," : "", dig[i]);
		dprintf_(d, "\"");
		return;
	default:
		dprintf_(d, "\"%s\"", dig);
	}
}

/*
 * A record as damo writes it (json.dumps(indent=4)) of @nr_snaps x
 * @nr_regs regions, each region of the variant damo_regions[i % @mod]; the
 * very last region's start is @last when not NULL.  How many regions the
 * fast path can take in *@nr_fast.
 */
static char *damo_doc(size_t nr_snaps, size_t nr_regs, size_t mod,
		      const char *last, size_t *len, size_t *nr_fast)
{
	const char *ind = "                        ";	/* 24 */
	struct dump d = { 0 };
	uint64_t addr = 0x7f0000000000ULL;
	size_t i, j, k = 0;

	*nr_fast = 0;
	dprintf_(&d, "[\n    {\n        \"kdamond_idx\": 0,\n"
		 "        \"context_idx\": 0,\n        \"intervals\": {\n"
		 "            \"sample_us\": \"5000\",\n"
		 "            \"aggr_us\": \"100000\",\n"
		 "            \"ops_update_us\": \"1000000\",\n"
		 "            \"intervals_goal\": {\n"
		 "                \"access_bp\": \"0\",\n"
		 "                \"aggrs\": \"0\",\n"
		 "                \"min_sample_us\": \"0\",\n"
		 "                \"max_sample_us\": \"0\"\n            }\n"
		 "        },\n        \"scheme_idx\": null,\n"
		 "        \"target_id\": 0,\n        \"scheme_filters\": [],\n"
		 "        \"snapshots\": [");
	for (i = 0; i < nr_snaps; i++) {
		dprintf_(&d, "%s\n            {\n"
			 "                \"start_time\": \"%zu00000000\",\n"
			 "                \"end_time\": \"%zu00000000\",\n"
			 "                \"regions\": [", i ? "," : "", i + 1,
			 i + 2);
		for (j = 0; j < nr_regs; j++, k++) {
			const struct damo_region *v = &damo_regions[k % mod];
			bool is_last = i + 1 == nr_snaps && j + 1 == nr_regs;

			dprintf_(&d, "%s\n%s{\n%s    \"start\": ", j ? "," : "",
				 ind, ind);
			if (is_last && last)
				dprintf_(&d, "%s", last);
			else
				put_addr(&d, addr, v->start);
			addr += 4096 * (1 + k % 97);
			dprintf_(&d, ",\n%s    \"end\": ", ind);
			put_addr(&d, addr, v->start);
			dprintf_(&d, ",\n%s    \"nr_accesses\": {\n"
				 "%s        \"samples\": %s,\n"
				 "%s        \"percent\": %s\n%s    },\n"
				 "%s    \"age\": {\n%s        \"usec\": %s,\n"
				 "%s        \"aggr_intervals\": %s\n%s    }",
				 ind, ind, v->samples, ind, v->percent, ind,
				 ind, ind, v->usec, ind, v->aggrs, ind);
			if (v->probes)
				dprintf_(&d, ",\n%s    \"probe_hits\": %s", ind,
					 v->probes);
			if (v->sz)
				dprintf_(&d, ",\n%s    \"sz_filter_passed\": %s",
					 ind, v->sz);
			if (v->extra)
				dprintf_(&d, ",\n%s    %s", ind, v->extra);
			dprintf_(&d, "\n%s}", ind);
			*nr_fast += v->fast && !(is_last && last);
		}
		dprintf_(&d, "\n                ],\n"
			 "                \"total_bytes\": \"%zu\",\n"
			 "                \"damos_stats\": null,\n"
			 "                \"sample_interval_us\": null\n"
			 "            }", (size_t)1 << 30);
	}
	dprintf_(&d, "\n        ],\n        \"data_source\": null\n    }\n]");
	*len = d.len;
	return d.buf;
}

/*
 * The fast path of damo's region objects reads every shape to the same
 * models, positions in messages and errors as the general parser: every
 * fixture and hand-written shape, and damo's own layout with each
 * spelling of a region, re-spaced, plain and compressed, over many
 * buffer refills; it takes the regions it is for and leaves the rest.
 */
static void test_fast_path(void **state)
{
	static const enum respace hows[] = { SP_ASIS, SP_COMPACT, SP_CRLF,
					     SP_TABS };
	static const char *const lasts[] = {
		"01", "\"18446744073709551616\"", "1e3", "\"1\\u0030\"",
		"nul", "\"12", "-1", "\"4,,096\"", "\"4 KiB\"",
	};
	const size_t nr = sizeof(damo_regions) / sizeof(damo_regions[0]);
	size_t i, k, len, can;
	uint64_t got;
	char *json;

	(void)state;
	for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		const struct shape *s = &shapes[i];

		json = s->json ? xstrdup(s->json) : fixture_json(s->name, &len);
		if (s->json)
			len = strlen(json);
		for (k = 0; k < 4; k++)
			both_paths(s->name, json, len, hows[k], k & 1);
		free(json);
	}
	/* Only damo 3.3's usual region: the fast path takes nearly all. */
	json = damo_doc(40, 100, 1, NULL, &len, &can);
	for (k = 0; k < 4; k++) {
		got = both_paths("damo-usual", json, len, hows[k], false);
		assert_true(got <= can && got >= can - can / 50);
		got = both_paths("damo-usual", json, len, hows[k], true);
		assert_true(got <= can && got >= can - can / 50);
	}
	free(json);
	/* Every spelling mixed; the fast path takes only its own. */
	json = damo_doc(30, 111, nr, NULL, &len, &can);
	for (k = 0; k < 4; k++) {
		got = both_paths("damo-mixed", json, len, hows[k], k & 1);
		assert_true(got <= can && got >= can - can / 20);
	}
	free(json);
	/* Errors after fast regions: the same messages at the same places. */
	for (i = 0; i < sizeof(lasts) / sizeof(lasts[0]); i++) {
		json = damo_doc(3, 50, 1, lasts[i], &len, &can);
		for (k = 0; k < 4; k++)
			both_paths(lasts[i], json, len, hows[k], k & 1);
		free(json);
	}
}

/* The "end" line of a dump and the diagnostics after it. */
static const char *last_lines(const char *dump)
{
	const char *p = strstr(dump, "\nend ");

	if (!strncmp(dump, "end ", 4))
		return dump;
	assert_non_null(p);
	return p + 1;
}

/*
 * Dump @json (respaced @how, compressed when @z) read ahead and in one
 * pass, each record's meta after its snapshots: the same dumps; or, for
 * @error inputs (which one pass finds after the snapshots before them),
 * the same end and diagnostics.
 */
static void one_pass_agrees(const char *name, const char *json, size_t len,
			    enum respace how, bool z, bool error)
{
	struct dump a = { 0 }, b = { 0 };
	size_t n;
	char *t = respace(json, len, how, &n);
	char *path = tmp_file(t, n, z);
	const char *da, *db;

	dump_file_as(&a, path, RM_AHEAD_LATE, NULL);
	dump_file_as(&b, path, RM_ONE_PASS, NULL);
	unlink(path);
	free(path);
	free(t);
	da = last_lines(a.buf);
	db = last_lines(b.buf);
	if (error ? strcmp(da, db) :
		    a.len != b.len || memcmp(a.buf, b.buf, a.len)) {
		fprintf(stderr, "%s (respace %d%s): one pass differs:\n"
			"ahead: %.300s\none pass: %.300s\n", name, (int)how,
			z ? ", compressed" : "", error ? da : a.buf,
			error ? db : b.buf);
		fail();
	}
	free(a.buf);
	free(b.buf);
}

/*
 * record_one_pass() reads every shape to the same snapshots and meta
 * (data_source included, once the snapshots ended) and the same errors
 * as reading ahead; a record key other than data_source after the
 * snapshots is refused, located.
 */
static void test_one_pass(void **state)
{
	static const enum respace hows[] = { SP_ASIS, SP_COMPACT, SP_CRLF,
					     SP_TABS };
	static const char *const lasts[] = {
		"01", "\"18446744073709551616\"", "1e3", "nul", "\"12",
	};
	static const char late[] = "[{\"intervals\": {\"sample_us\": 5, "
		"\"aggr_us\": 100}, \"snapshots\": [{\"start_time\": 1, "
		"\"end_time\": 2, \"regions\": [{\"start\": 0, \"end\": 4}]}], "
		"\"data_source\": \"damon_stat\",\n \"target_id\": 3}]";
	static const char single[] = "{\"intervals\": {\"sample_us\": 5, "
		"\"aggr_us\": 100}, \"snapshots\": [{\"start_time\": 1, "
		"\"end_time\": 2, \"regions\": [{\"start\": 0, \"end\": 4096, "
		"\"nr_accesses\": {\"samples\": 3, \"percent\": null}, "
		"\"age\": {\"usec\": 300, \"aggr_intervals\": null}}]}], "
		"\"data_source\": \"damon_stat\", \"other\": [1]}\n";
	struct dump d = { 0 };
	size_t i, k, len, can;
	char *json, *path;

	(void)state;
	for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		const struct shape *s = &shapes[i];

		json = s->json ? xstrdup(s->json) : fixture_json(s->name, &len);
		if (s->json)
			len = strlen(json);
		for (k = 0; k < 4; k++)
			one_pass_agrees(s->name, json, len, hows[k], k & 1,
					s->has_error);
		free(json);
	}
	json = damo_doc(7, 333, sizeof(damo_regions) /
			sizeof(damo_regions[0]), NULL, &len, &can);
	for (k = 0; k < 4; k++)
		one_pass_agrees("damo-mixed", json, len, hows[k], k & 1, false);
	free(json);
	for (i = 0; i < sizeof(lasts) / sizeof(lasts[0]); i++) {
		json = damo_doc(3, 50, 1, lasts[i], &len, &can);
		for (k = 0; k < 4; k++)
			one_pass_agrees(lasts[i], json, len, hows[k], k & 1,
					true);
		free(json);
	}
	/* one record object, no list, read in place */
	one_pass_agrees("single-in-place", single, strlen(single), SP_ASIS,
			false, false);
	one_pass_agrees("single-in-place", single, strlen(single), SP_COMPACT,
			true, false);
	path = tmp_file(single, strlen(single), false);
	dump_file_as(&d, path, RM_ONE_PASS, NULL);
	unlink(path);
	free(path);
	assert_non_null(strstr(d.buf, "snap 1 2 total="));
	assert_non_null(strstr(d.buf, "\n 0-1000 3 3 0\n"));
	assert_non_null(strstr(d.buf, " src=damon_stat\n"));
	assert_non_null(strstr(d.buf, "\nend 0\n"));
	d.len = 0;
	path = tmp_file(late, strlen(late), false);
	dump_file_as(&d, path, RM_ONE_PASS, NULL);
	unlink(path);
	free(path);
	assert_non_null(strstr(d.buf, "snap 1 2 "));
	assert_non_null(strstr(d.buf, "end -22\ndiag 2:2 [0].target_id: key "
			       "'target_id' after the snapshots"));
	free(d.buf);
}

/* Each record of @rd, its meta after its snapshots, and the end. */
static int dump_reader(struct dump *d, struct record_reader *rd)
{
	const struct record_meta *m;
	struct snapshot s;
	int r;

	snapshot_init(&s);
	while ((r = record_next(rd, &m)) > 0) {
		while ((r = record_next_snapshot(rd, &s)) > 0)
			dump_snapshot(d, &s);
		dump_meta(d, m);
		if (r < 0)
			break;
	}
	dprintf_(d, "end %d\n", r);
	snapshot_release(&s);
	return r;
}

/*
 * What a reader kept (record_spool_start()) is replayed as it was read:
 * every shape, in one pass and ahead; none when reading failed.
 */
static void test_spool(void **state)
{
	struct dump a = { 0 }, b = { 0 };
	struct record_reader *rd, *rep;
	struct diag dg, dg2;
	size_t i, len, can;
	int one, r;
	char *json, *path;

	(void)state;
	for (i = 0; i <= sizeof(shapes) / sizeof(shapes[0]); i++) {
		const struct shape *s = &shapes[i < sizeof(shapes) /
						sizeof(shapes[0]) ? i : 0];

		if (i == sizeof(shapes) / sizeof(shapes[0]))
			json = damo_doc(9, 77, sizeof(damo_regions) /
					sizeof(damo_regions[0]), NULL, &len,
					&can);
		else if (s->json)
			json = xstrdup(s->json);
		else
			json = fixture_json(s->name, &len);
		if (s->json && i < sizeof(shapes) / sizeof(shapes[0]))
			len = strlen(json);
		path = tmp_file(json, len, i & 1);
		for (one = 0; one < 2; one++) {
			diag_init(&dg);
			diag_init(&dg2);
			assert_int_equal(record_open(path, &rd, &dg), 0);
			if (one)
				record_one_pass(rd);
			assert_int_equal(record_spool_start(rd), 0);
			a.len = 0;
			b.len = 0;
			r = dump_reader(&a, rd);
			rep = record_spool_replay(rd, &dg2);
			if (r < 0) {
				assert_null(rep);
			} else {
				assert_non_null(rep);
				assert_int_equal(dump_reader(&b, rep), 0);
				assert_int_equal(a.len, b.len);
				assert_memory_equal(a.buf, b.buf, a.len);
				assert_int_equal(dg2.nr, 0);
				/* taken over: no second replay */
				assert_null(record_spool_replay(rd, &dg2));
				record_close(rep);
			}
			record_close(rd);
			diag_release(&dg);
			diag_release(&dg2);
		}
		unlink(path);
		free(path);
		free(json);
	}
	free(a.buf);
	free(b.buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_skip_fast),
		cmocka_unit_test(test_trailer),
		cmocka_unit_test(test_fast_path),
		cmocka_unit_test(test_one_pass),
		cmocka_unit_test(test_spool),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
