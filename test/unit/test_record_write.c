/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests for the damo record writer, read back through formats/doc.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/record_synth.h"
#include "core/damon.h"
#include "core/diag.h"
#include "core/snap_sink.h"
#include "core/snapshot.h"
#include "core/xalloc.h"
#include "formats/doc.h"
#include "formats/record_write.h"
#include "formats/workload.h"

struct tdir {
	char path[64];
};

static void tdir_make(struct tdir *t)
{
	snprintf(t->path, sizeof(t->path), "/tmp/damo-test-rw-XXXXXX");
	assert_non_null(mkdtemp(t->path));
}

/* Names in the directory, sorted, joined by blanks. */
static char *tdir_list(const struct tdir *t)
{
	struct dirent **names;
	char *all = xstrdup("");
	int i, n = scandir(t->path, &names, NULL, alphasort);

	assert_true(n >= 0);
	for (i = 0; i < n; i++) {
		char *s;

		if (names[i]->d_name[0] != '.' || strlen(names[i]->d_name) > 2) {
			s = xasprintf("%s%s%s", all, *all ? " " : "",
				      names[i]->d_name);
			free(all);
			all = s;
		}
		free(names[i]);
	}
	free(names);
	return all;
}

static void tdir_remove(const struct tdir *t)
{
	struct dirent **names;
	int i, n = scandir(t->path, &names, NULL, alphasort);
	char *p;

	for (i = 0; i < n; i++) {
		p = xasprintf("%s/%s", t->path, names[i]->d_name);
		unlink(p);
		free(p);
		free(names[i]);
	}
	free(names);
	rmdir(t->path);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = xmalloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static struct doc_node *parse_file(const char *path)
{
	struct doc_node *root;
	struct diag d;
	size_t len;
	char *buf = slurp(path, &len);

	diag_init(&d);
	root = doc_parse_json(buf, len, path, &d);
	assert_non_null(root);
	assert_int_equal(d.nr, 0);
	diag_release(&d);
	free(buf);
	return root;
}

/* The text of key @key of map @n; fails when absent. */
static const char *text_of(const struct doc_node *n, const char *key)
{
	const struct doc_node *v = doc_map_get(n, key);

	assert_non_null(v);
	return v->kind == DOC_NULL ? "null" : v->text;
}

static void assert_keys(const struct doc_node *n, const char *const *keys)
{
	size_t i;

	assert_int_equal(n->kind, DOC_MAP);
	for (i = 0; keys[i]; i++) {
		assert_true(i < n->nr);
		assert_string_equal(n->keys[i], keys[i]);
	}
	assert_int_equal(n->nr, i);
}

static const char *const record_keys[] = {
	"kdamond_idx", "context_idx", "intervals", "scheme_idx", "target_id",
	"scheme_filters", "snapshots", NULL,
};
static const char *const snapshot_keys[] = {
	"start_time", "end_time", "regions", "total_bytes", "damos_stats",
	"sample_interval_us", NULL,
};
static const char *const region_keys[] = {
	"start", "end", "nr_accesses", "age", "sz_filter_passed", NULL,
};

/* A scheme record with extreme numbers: everything comes back exactly. */
static void test_numbers_come_back_exactly(void **state)
{
	char odd_path[] = "/a\"b\\c\n\td\x01";
	struct damos_filter f = { .type = DAMOS_FILTER_ADDR, .matching = true,
				  .memcg_path = odd_path,
				  .addr_range = { 4096, UINT64_MAX - 4095 },
				  .min_hugepage_sz = 2097152,
				  .max_hugepage_sz = UINT64_MAX };
	struct record_meta m;
	struct snapshot s;
	struct snap_region *r;
	struct record_writer *w;
	struct doc_node *root, *rec, *snap, *reg;
	struct tdir t;
	struct diag d;
	char *out;

	(void)state;
	tdir_make(&t);
	out = xasprintf("%s/x.json", t.path);
	diag_init(&d);
	w = record_writer_new(out, false, &d);
	record_meta_init(&m);
	m.kdamond_idx = 0;
	m.context_idx = 0;
	m.scheme_idx = 3;
	m.has_intervals = true;
	m.intervals.sample_us = 5000;
	m.intervals.aggr_us = 100000;
	m.intervals.ops_update_us = UINT64_MAX - 1;
	m.intervals.goal.access_bp = 400;
	m.scheme_filters = &f;
	m.nr_scheme_filters = 1;
	assert_int_equal(record_writer_add(w, &m), 0);
	snapshot_init(&s);
	s.start_ns = 18446744073709551614ULL;
	s.end_ns = 18446744073709551614ULL;
	s.sample_interval_us = 5000;
	s.has_stats = true;
	s.stats.sz_tried = UINT64_MAX - 2;
	r = snapshot_add_region(&s);
	r->start = UINT64_MAX - 8191;
	r->end = UINT64_MAX - 4095;
	r->nr_accesses = 20;
	r->age = 4294967295ULL;
	r->sz_filter_passed = 4096;
	assert_int_equal(record_writer_snapshot(w, 0, &s), 0);
	assert_int_equal(record_writer_finish(w), 0);
	record_writer_free(w);

	root = parse_file(out);
	assert_int_equal(root->kind, DOC_SEQ);
	assert_int_equal(root->nr, 1);
	rec = root->items[0];
	assert_keys(rec, record_keys);
	assert_string_equal(text_of(rec, "scheme_idx"), "3");
	assert_string_equal(text_of(rec, "target_id"), "null");
	assert_string_equal(text_of(doc_map_get(rec, "intervals"),
				    "ops_update_us"), "18446744073709551614");
	assert_string_equal(text_of(doc_map_get(doc_map_get(rec, "intervals"),
						"intervals_goal"),
				    "access_bp"), "400.000000");
	assert_string_equal(text_of(doc_map_get(
		doc_map_get(rec, "scheme_filters")->items[0], "address_range"),
		"end"), "18446744073709547520");
	/* a filter's "max" is a number, not null */
	assert_string_equal(doc_map_get(doc_map_get(rec, "scheme_filters")->items[0],
					"hugepage_size")->items[1]->text,
			    "18446744073709551615");
	/* strings are escaped, and read back as they were */
	assert_string_equal(text_of(doc_map_get(rec, "scheme_filters")->items[0],
				    "memcg_path"), odd_path);
	snap = doc_map_get(rec, "snapshots")->items[0];
	assert_keys(snap, snapshot_keys);
	assert_string_equal(text_of(snap, "start_time"), "18446744073709551614");
	assert_string_equal(text_of(snap, "total_bytes"), "4096");
	assert_string_equal(text_of(doc_map_get(snap, "damos_stats"),
				    "sz_tried"), "18446744073709551613");
	reg = doc_map_get(snap, "regions")->items[0];
	assert_keys(reg, region_keys);
	/* addresses are JSON integers, not strings */
	assert_int_equal(doc_map_get(reg, "start")->kind, DOC_NUMBER);
	assert_string_equal(text_of(reg, "start"), "18446744073709543424");
	assert_string_equal(text_of(reg, "end"), "18446744073709547520");
	assert_string_equal(text_of(doc_map_get(reg, "nr_accesses"),
				    "samples"), "20");
	assert_string_equal(text_of(doc_map_get(reg, "age"), "aggr_intervals"),
			    "4294967295");
	assert_string_equal(text_of(doc_map_get(reg, "age"), "usec"), "null");
	doc_free(root);
	snapshot_release(&s);
	diag_release(&d);
	free(out);
	tdir_remove(&t);
}

static const char tiny_model[] =
	"ops: fvaddr\n"
	"mappings:\n"
	"  - {name: a, start: 0x100000, size: 1 MiB}\n"
	"phases:\n"
	"  - duration_us: 0\n"
	"    ranges:\n"
	"      - {mapping: a, offset: 0, size: 256 KiB, access_bp: 100 %}\n";

/* What a run put into its sink, which writes a record file. */
struct tiny_result {
	struct snap_sink sink;
	struct record_writer *w;
	size_t nr_records;
	uint64_t nr_snapshots;
	uint64_t virtual_ns;
};

static size_t tiny_add(struct snap_sink *sink, const struct record_meta *m)
{
	struct tiny_result *r = (struct tiny_result *)sink;

	r->nr_records++;
	return record_writer_add(r->w, m);
}

static int tiny_snapshot(struct snap_sink *sink, size_t rec,
			 const struct snapshot *s)
{
	struct tiny_result *r = (struct tiny_result *)sink;

	r->nr_snapshots++;
	return record_writer_snapshot(r->w, rec, s);
}

static bool tiny_should_stop(struct snap_sink *sink)
{
	(void)sink;
	return false;
}

/* Run the monitor on a tiny model for @dur_ns into @path. */
static void tiny_run(const char *path, bool compress, uint64_t seed,
		     uint64_t dur_ns, struct tiny_result *res)
{
	struct record_synth_opts o = { .seed = seed, .duration_ns = dur_ns };
	struct damon_target *t;
	struct damon_ctx c;
	struct workload wl;
	struct diag d;

	diag_init(&d);
	assert_int_equal(workload_parse(tiny_model, strlen(tiny_model), "m",
					&wl, &d), 0);
	damon_ctx_init(&c);
	c.ops = DAMON_OPS_FVADDR;
	t = damon_ctx_add_target(&c);
	*damon_target_add_region(t) = wl.model.mappings[0];
	o.ctx = &c;
	o.wl = &wl;
	*res = (struct tiny_result){
		.sink = { .add = tiny_add, .snapshot = tiny_snapshot,
			  .should_stop = tiny_should_stop },
		.w = record_writer_new(path, compress, &d),
	};
	o.sink = &res->sink;
	assert_int_equal(record_synth_run(&o, &res->virtual_ns), 0);
	assert_int_equal(record_writer_finish(res->w), 0);
	record_writer_free(res->w);
	assert_int_equal(d.nr, 0);
	damon_ctx_release(&c);
	workload_release(&wl);
	diag_release(&d);
}

static uint64_t num(const struct doc_node *n, const char *key)
{
	return strtoull(text_of(n, key), NULL, 10);
}

static void test_a_monitor_run_reads_back(void **state)
{
	struct tiny_result res;
	struct doc_node *root, *snaps;
	uint64_t prev_end = 0, i, j, sum;
	struct tdir t;
	char *out;

	(void)state;
	tdir_make(&t);
	out = xasprintf("%s/run.json", t.path);
	/* 1 s at the default 100 ms aggregation interval */
	tiny_run(out, false, 1, 1000000000ULL, &res);
	assert_int_equal(res.nr_records, (size_t)1);
	assert_int_equal(res.nr_snapshots, 10);
	assert_int_equal(res.virtual_ns, 1000000000ULL);
	root = parse_file(out);
	assert_int_equal(root->nr, 1);
	assert_string_equal(text_of(root->items[0], "target_id"), "0");
	snaps = doc_map_get(root->items[0], "snapshots");
	assert_int_equal(snaps->nr, 10);
	for (i = 0; i < snaps->nr; i++) {
		const struct doc_node *s = snaps->items[i];
		const struct doc_node *regs = doc_map_get(s, "regions");

		assert_int_equal(num(s, "start_time"), prev_end);
		prev_end = num(s, "end_time");
		assert_int_equal(prev_end, (i + 1) * 100000000ULL);
		assert_string_equal(text_of(s, "damos_stats"), "null");
		assert_int_equal(num(s, "sample_interval_us"), 5000);
		assert_true(regs->nr >= 1 && regs->nr <= 1000);
		for (j = sum = 0; j < regs->nr; j++) {
			const struct doc_node *r = regs->items[j];

			sum += num(r, "end") - num(r, "start");
			assert_true(num(doc_map_get(r, "nr_accesses"),
					"samples") <= 20);
		}
		/* fvaddr: the one mapping, always */
		assert_int_equal(sum, 1ULL << 20);
		assert_int_equal(num(s, "total_bytes"), sum);
		assert_int_equal(num(regs->items[0], "start"), 1ULL << 20);
	}
	doc_free(root);
	free(out);
	tdir_remove(&t);
}

/* Same seed, same bytes; an old file moves aside; zlib's header. */
static void test_files_are_reproducible_and_replace_atomically(void **state)
{
	struct tiny_result res;
	char *a, *b, *old, *ta, *tb, *names;
	size_t la, lb;
	struct tdir t;

	(void)state;
	tdir_make(&t);
	a = xasprintf("%s/a.data", t.path);
	b = xasprintf("%s/b.data", t.path);
	old = xasprintf("%s/a.data.old", t.path);
	tiny_run(a, true, 7, 500000000ULL, &res);
	tiny_run(b, true, 7, 500000000ULL, &res);
	ta = slurp(a, &la);
	tb = slurp(b, &lb);
	assert_true(la > 2);
	assert_int_equal((unsigned char)ta[0], 0x78);
	assert_int_equal((unsigned char)ta[1], 0x9c);
	assert_int_equal(la, lb);
	assert_memory_equal(ta, tb, la);
	free(tb);
	/* again over a.data: the first one becomes a.data.old */
	tiny_run(a, true, 8, 500000000ULL, &res);
	tb = slurp(old, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(ta, tb, la);
	names = tdir_list(&t);
	assert_string_equal(names, "a.data a.data.old b.data");
	free(names);
	free(ta);
	free(tb);
	free(a);
	free(b);
	free(old);
	tdir_remove(&t);
}

/* A writer freed before finishing leaves nothing behind. */
static void test_an_unfinished_writer_leaves_no_file(void **state)
{
	struct record_writer *w;
	struct record_meta m;
	struct snapshot s;
	struct tdir t;
	struct diag d;
	char *out, *names;

	(void)state;
	tdir_make(&t);
	out = xasprintf("%s/x.data", t.path);
	diag_init(&d);
	w = record_writer_new(out, true, &d);
	record_meta_init(&m);
	record_writer_add(w, &m);
	snapshot_init(&s);
	snapshot_add_region(&s)->end = 4096;
	assert_int_equal(record_writer_snapshot(w, 0, &s), 0);
	record_writer_free(w);
	names = tdir_list(&t);
	assert_string_equal(names, "");
	free(names);
	/* and finishing over a directory fails, touching nothing */
	free(out);
	out = xstrdup(t.path);
	w = record_writer_new(out, false, &d);
	assert_int_equal(record_writer_finish(w), -21);
	record_writer_free(w);
	assert_int_equal(d.nr, 1);
	snapshot_release(&s);
	diag_release(&d);
	free(out);
	tdir_remove(&t);
}

/* No records: damo's "[]". */
static void test_no_records_is_an_empty_list(void **state)
{
	struct record_writer *w;
	struct tdir t;
	struct diag d;
	size_t len;
	char *out, *text;

	(void)state;
	tdir_make(&t);
	out = xasprintf("%s/e.json", t.path);
	diag_init(&d);
	w = record_writer_new(out, false, &d);
	assert_int_equal(record_writer_finish(w), 0);
	record_writer_free(w);
	text = slurp(out, &len);
	assert_string_equal(text, "[]");
	free(text);
	free(out);
	diag_release(&d);
	tdir_remove(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers_come_back_exactly),
		cmocka_unit_test(test_a_monitor_run_reads_back),
		cmocka_unit_test(test_files_are_reproducible_and_replace_atomically),
		cmocka_unit_test(test_an_unfinished_writer_leaves_no_file),
		cmocka_unit_test(test_no_records_is_an_empty_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
