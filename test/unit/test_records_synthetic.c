/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unit tests for the record readers on small hand-written inputs: what
 * damo's JSON reader tolerates, trace text variants and grouping, legacy
 * binary versions, and where errors point.
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

#include "core/diag.h"
#include "core/snapshot.h"
#include "core/xalloc.h"
#include "formats/record.h"

#define NONE SNAP_NONE

struct rd_test {
	char *path;
	struct record_reader *rd;
	const struct record_meta *m;
	struct snapshot s;
	struct diag d;
};

static void open_buf(struct rd_test *t, const void *buf, size_t len)
{
	int fd;

	t->path = xstrdup("/tmp/damo-test-readers-XXXXXX");
	fd = mkstemp(t->path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	close(fd);
	diag_init(&t->d);
	snapshot_init(&t->s);
	t->rd = NULL;
	if (record_open(t->path, &t->rd, &t->d) && t->d.nr)
		print_message("open: %s\n", t->d.v[0].msg);
}

static void open_text(struct rd_test *t, const char *text)
{
	open_buf(t, text, strlen(text));
	assert_non_null(t->rd);
}

static void done(struct rd_test *t)
{
	record_close(t->rd);
	snapshot_release(&t->s);
	diag_release(&t->d);
	unlink(t->path);
	free(t->path);
}

static int next(struct rd_test *t)
{
	return record_next(t->rd, &t->m);
}

static int snap(struct rd_test *t)
{
	return record_next_snapshot(t->rd, &t->s);
}

/* The one error must be @msg at @line:@col. */
static void assert_error(struct rd_test *t, unsigned int line,
			 unsigned int col, const char *path, const char *msg)
{
	assert_int_equal(t->d.nr, 1);
	if (strcmp(t->d.v[0].msg, msg) || t->d.v[0].line != line ||
	    t->d.v[0].col != col)
		print_error("got %u:%u: %s: %s\n", t->d.v[0].line,
			    t->d.v[0].col, t->d.v[0].path, t->d.v[0].msg);
	assert_string_equal(t->d.v[0].msg, msg);
	assert_int_equal(t->d.v[0].line, line);
	assert_int_equal(t->d.v[0].col, col);
	assert_string_equal(t->d.v[0].path, path);
	assert_string_equal(t->d.v[0].file, t->path);
}

#define IV "\"intervals\": {\"sample_us\": \"5 ms\", \"aggr_us\": \"100000\", " \
	   "\"ops_update_us\": \"1 s\"}"
#define SNAP(regions) "{\"start_time\": \"1000\", \"end_time\": \"2 us\", " \
		      "\"regions\": [" regions "]}"

static void test_json_tolerance(void **state)
{
	struct rd_test t;
	const char *text =
		"[{\"kdamond_idx\": -1, " IV ", \"target_id\": 18446744073709551615,\n"
		" \"snapshots\": [" SNAP(
		"{\"start\": \"4 KiB\", \"end\": 8192, \"nr_accesses\": "
		"{\"samples\": null, \"percent\": 25.5}, \"age\": {\"usec\": "
		"\"3 s 400 ms\", \"aggr_intervals\": null}, \"unknown\": [1, {}]},"
		"{\"start\": \"8,192\", \"end\": \"12,288\"},"
		"{\"start\": 12288, \"end\": 16384, \"nr_accesses\": {\"samples\": 3},"
		" \"age\": {\"aggr_intervals\": \"1,234\"}, \"probe_hits\": [1, 2, 3]}")
		"], \"data_source\": \"damon_stat\"},\n"
		" {\"target_id\": 1, \"snapshots\": [], \"snapshots\": [" SNAP("") "]}]";

	(void)state;
	open_text(&t, text);
	assert_int_equal(record_format(t.rd), RECORD_FMT_JSON);
	assert_int_equal(next(&t), 1);
	assert_true(t.m->kdamond_is_stat && t.m->kdamond_idx == UINT64_MAX);
	assert_true(t.m->target_id == UINT64_MAX);
	/* read ahead: data_source follows the snapshots */
	assert_string_equal(t.m->data_source, "damon_stat");
	assert_true(t.m->has_intervals && t.m->intervals.sample_us == 5000 &&
		    t.m->intervals.aggr_us == 100000);
	assert_int_equal(snap(&t), 1);
	assert_true(t.s.start_ns == 1000 && t.s.end_ns == 2000);
	assert_int_equal(t.s.nr_regions, 3);
	/* 25.5 % of 100 ms / 5 ms = 5.1 samples: damo's int() gives 5 */
	assert_true(t.s.regions[0].start == 4096 && t.s.regions[0].end == 8192);
	assert_true(t.s.regions[0].nr_accesses == 5);
	assert_true(t.s.regions[0].age == 34);
	/* no nr_accesses: a bare range */
	assert_true(t.s.regions[1].nr_accesses == NONE);
	assert_true(t.s.regions[1].age == NONE);
	assert_true(t.s.regions[2].nr_accesses == 3);
	assert_true(t.s.regions[2].age == 1234);
	assert_int_equal(t.s.nr_probes, 3);
	assert_true(t.s.probe_hits[2 * 3 + 2] == 3 && t.s.probe_hits[0] == 0);
	assert_true(snapshot_total_bytes(&t.s) == 12288);
	assert_int_equal(snap(&t), 0);
	/* the last of duplicated keys counts, as in Python */
	assert_int_equal(next(&t), 1);
	assert_false(t.m->has_intervals);
	assert_string_equal(t.m->data_source, "unknown");
	assert_int_equal(snap(&t), 1);
	assert_int_equal(t.s.nr_regions, 0);
	assert_int_equal(snap(&t), 0);
	assert_int_equal(next(&t), 0);
	assert_int_equal(t.d.nr, 0);
	done(&t);
}

/* Records can be skipped whole or after some snapshots. */
static void test_json_skip(void **state)
{
	struct rd_test t;
	const char *text =
		"[{\"target_id\": 1, \"snapshots\": [" SNAP("") "," SNAP("")
		"], \"x\": 1},\n{\"target_id\": 2, \"snapshots\": [" SNAP("")
		"]}, {\"target_id\": 3, \"snapshots\": []}]\n";

	(void)state;
	open_text(&t, text);
	assert_int_equal(next(&t), 1);
	assert_int_equal(snap(&t), 1);
	assert_int_equal(next(&t), 1);
	assert_true(t.m->target_id == 2);
	assert_int_equal(next(&t), 1);
	assert_true(t.m->target_id == 3);
	assert_int_equal(snap(&t), 0);
	assert_int_equal(next(&t), 0);
	assert_int_equal(next(&t), 0);
	assert_int_equal(t.d.nr, 0);
	done(&t);

	/* one record object instead of a list */
	open_text(&t, "  {\"snapshots\": [" SNAP("") "]}  ");
	assert_int_equal(next(&t), 1);
	assert_true(t.m->target_id == NONE);
	assert_int_equal(next(&t), 0);
	assert_int_equal(t.d.nr, 0);
	done(&t);
}

static void test_json_errors(void **state)
{
	struct rd_test t;

	(void)state;
	open_text(&t, "[{\"snapshots\": [" SNAP("{\"start\": 1, \"end\": 2,"
		  " \"nr_accesses\": {\"samples\": null, \"percent\": 50}}") "]}]");
	assert_int_equal(next(&t), 1);
	assert_int_equal(snap(&t), -EINVAL);
	assert_error(&t, 1, 72, "[0].snapshots[0].regions[0]",
		     "nr_accesses is only a percentage and the record has no intervals to turn it into samples");
	assert_int_equal(snap(&t), -EINVAL);
	assert_int_equal(next(&t), -EINVAL);
	assert_int_equal(t.d.nr, 1);
	done(&t);

	open_text(&t, "[\n {\"target_id\": 1}\n]");
	assert_int_equal(next(&t), -EINVAL);
	assert_error(&t, 2, 2, "[0]", "missing key 'snapshots'");
	done(&t);

	open_text(&t, "[{\"snapshots\": [{\"start_time\": \"1 parsec\"}]}]");
	assert_int_equal(next(&t), 1);
	assert_int_equal(snap(&t), -EINVAL);
	assert_error(&t, 1, 32, "[0].snapshots[0].start_time",
		     "invalid time '1 parsec'");
	done(&t);

	open_text(&t, "[{\"target_id\": -3, \"snapshots\": []}]");
	assert_int_equal(next(&t), -EINVAL);
	assert_error(&t, 1, 16, "[0].target_id", "invalid count '-3'");
	done(&t);

	open_text(&t, "[]]");
	assert_int_equal(next(&t), -EINVAL);
	assert_error(&t, 1, 3, "", "expected end of input, found ']'");
	done(&t);

	/* keys a later damo may add to filters are ignored */
	open_text(&t, "[{\"scheme_filters\": [{\"filter_type\": \"anon\", "
		  "\"matching\": true, \"new_key\": {}}], \"snapshots\": []}]");
	assert_int_equal(next(&t), 1);
	assert_int_equal(t.m->nr_scheme_filters, 1);
	assert_int_equal(t.d.nr, 0);
	done(&t);

	open_text(&t, "[{\"scheme_filters\": [{\"filter_type\": \"anon\"}],"
		  " \"snapshots\": []}]");
	assert_int_equal(next(&t), -EINVAL);
	assert_int_equal(t.d.nr, 1);
	assert_string_equal(t.d.v[0].path, "[0].scheme_filters[0]");
	assert_string_equal(t.d.v[0].msg, "missing required key 'matching'");
	done(&t);
}

static const char trace[] =
	"# a comment line\n"
	"kdamond.0  10 [001] 1.000000: damon:damon_aggregated: target_id=7 nr_regions=2 0-4096: 1 2\n"
	"kdamond.0  10 [001] 1.000001: damon:damon_aggregated: target_id=7 nr_regions=2 4096-8192: 0 3\n"
	"kdamond.0  10 [001] 1.000002: damon:damon_aggregated: target_id=9 nr_regions=1 0-4096: 5 6\n"
	"kdamond.0  10 [001] 1.000003: sched:sched_switch: prev_comm=x\n"
	"kdamond.0  10 [001] 1.000004: damon:damon_monitor_intervals_tune: sample_us=4000\n"
	"kdamond.0-10 [001] 1.100000: damon_aggregated: target_id=7 nr_regions=2 0-4096: 2 0\n"
	"kdamond.0-10 [001] ..... 1.100001: damon_aggregated: target_id=7 nr_regions=2 4096-8192: 0 4\n"
	"kdamond.0-10 [001] 1.100002: damon_aggregated: target_id=9 nr_regions=1 0-4096: 5\n"
	"kdamond.0  10 1.300000: damon:damon_aggregated: target_id=7 nr_regions=2 0-4096: 3 0\n"
	"kdamond.0  10 [001] 1.300001: damon:damon_aggregated: target_id=7 nr_regions=2 4096-8192: 0 5\n"
	"kdamond.0  10 [001] 1.300003: damon:damon_aggregated: target_id=9 nr_regions=1 0-0: -1 -1\n";

static void test_perf_variants(void **state)
{
	struct rd_test t;

	(void)state;
	open_text(&t, trace);
	assert_int_equal(record_format(t.rd), RECORD_FMT_PERF_SCRIPT);
	assert_int_equal(next(&t), 1);
	assert_true(t.m->target_id == 7 && t.m->context_idx == NONE);
	assert_int_equal(snap(&t), 1);
	/* 1.0 - (1.3 - 1.0) / 2 */
	assert_true(t.s.start_ns == 850000000 && t.s.end_ns == 1000000000);
	assert_int_equal(t.s.nr_regions, 2);
	assert_true(t.s.regions[1].nr_accesses == 0 && t.s.regions[1].age == 3);
	assert_true(t.s.sample_interval_us == NONE);
	assert_int_equal(snap(&t), 1);
	assert_true(t.s.start_ns == 1000000000 && t.s.end_ns == 1100000000);
	assert_true(t.s.sample_interval_us == 4000);
	assert_true(t.s.regions[1].age == 4);
	assert_int_equal(snap(&t), 1);
	assert_true(t.s.end_ns == 1300000000);
	assert_int_equal(snap(&t), 0);
	assert_int_equal(next(&t), 1);
	assert_true(t.m->target_id == 9);
	assert_int_equal(snap(&t), 1);
	assert_true(t.s.start_ns == 1000002000 - 150000500);
	assert_int_equal(snap(&t), 1);
	assert_true(t.s.regions[0].age == NONE);
	/* the writers' fake "0-0: -1 -1" end marker is dropped */
	assert_int_equal(snap(&t), 0);
	assert_int_equal(next(&t), 0);
	assert_int_equal(t.d.nr, 0);
	done(&t);
}

static void test_perf_schemes_and_probes(void **state)
{
	struct rd_test t;
	const char *text =
		"k 1 [0] 5.0: damon:damos_before_apply: ctx_idx=0 scheme_idx=1 target_idx=0 nr_regions=9 0-10: 1 2\n"
		"k 1 [0] 5.0: damon:damos_before_apply: ctx_idx=0 scheme_idx=1 target_idx=0 nr_regions=9 20-30: 1 2\n"
		"k 1 [0] 5.2: damon:damos_before_apply: ctx_idx=0 scheme_idx=1 target_idx=0 nr_regions=9 0-10: 1 2\n"
		"k 1 [0] 5.2: damon:damon_aggregated: target_id=0 nr_regions=1 0-10: 0 0\n"
		"k 1 [0] 5.2: damon:damon_region_aggregated: target_id=0 nr_regions=1 0-10: 1 2 probe_hits=13 00 ff\n"
		"k 1 [0] 5.4: damon:damon_region_aggregated: target_id=0 nr_regions=1 0-10: 1 2 probe_hits=01\n";

	(void)state;
	open_text(&t, text);
	assert_int_equal(next(&t), 1);
	assert_true(t.m->context_idx == 0 && t.m->scheme_idx == 1 &&
		    t.m->target_id == 0);
	/* a scheme's pass ends where addresses start over */
	assert_int_equal(snap(&t), 1);
	assert_int_equal(t.s.nr_regions, 2);
	assert_int_equal(snap(&t), 1);
	assert_int_equal(t.s.nr_regions, 1);
	assert_int_equal(snap(&t), 0);
	/* damon_region_aggregated replaces damon_aggregated */
	assert_int_equal(next(&t), 1);
	assert_true(t.m->scheme_idx == NONE && t.m->target_id == 0);
	assert_int_equal(snap(&t), 1);
	assert_int_equal(t.s.nr_probes, 3);
	assert_true(t.s.probe_hits[0] == 19 && t.s.probe_hits[2] == 255);
	assert_int_equal(snap(&t), 1);
	assert_int_equal(t.s.nr_probes, 1);
	assert_int_equal(snap(&t), 0);
	assert_int_equal(next(&t), 0);
	done(&t);
}

/* Probe lines first: the restart of the first pass had no state to clear. */
static void test_perf_probes_only(void **state)
{
	struct rd_test t;

	(void)state;
	open_text(&t, "k 1 [0] 5.2: damon:damon_region_aggregated: target_id=0 nr_regions=1 0-10: 1 2 probe_hits=07\n");
	assert_int_equal(next(&t), 1);
	assert_int_equal(snap(&t), 1);
	assert_int_equal(t.s.nr_probes, 1);
	assert_true(t.s.probe_hits[0] == 7);
	assert_int_equal(snap(&t), 0);
	assert_int_equal(next(&t), 0);
	done(&t);
}

static void open_fails(struct rd_test *t, const char *text)
{
	open_buf(t, text, strlen(text));
	assert_null(t->rd);
}

static void test_perf_errors(void **state)
{
	struct rd_test t;

	(void)state;
	open_fails(&t,
		   "k 1 [0] 2.0: damon:damon_aggregated: target_id=1 nr_regions=1 0-1: 0\n"
		   "\n"
		   "k 1 [0] 1.0: damon:damon_aggregated: target_id=1 nr_regions=1 0-1: 0\n");
	assert_error(&t, 3, 0, "", "trace is not time-sorted");
	done(&t);
	open_fails(&t, "k 1 [0] 1.x: damon:damon_aggregated: target_id=1 "
		   "nr_regions=1 0-1: 0\n");
	assert_error(&t, 1, 0, "", "invalid timestamp '1.x'");
	done(&t);
	open_fails(&t, "k 1 [0] 1.0: damon:damon_aggregated: target=1 "
		   "nr_regions=1 0-1: 0\n");
	assert_error(&t, 1, 0, "", "invalid target_id 'target=1'");
	done(&t);
	/* lines of other shapes are not DAMON's: skipped as damo does */
	open_text(&t, "k 1 [0] 1.0: damon:damon_aggregated: target_id=1\n"
		  "short line\n"
		  "k 1 [0] 2.0: damon:damon_aggregated: target_id=1 nr_regions=1 0-1: 0\n");
	assert_int_equal(next(&t), 1);
	assert_int_equal(snap(&t), 1);
	assert_int_equal(snap(&t), 0);
	assert_int_equal(next(&t), 0);
	done(&t);
	/* but text with no DAMON event at all is not an empty record */
	open_fails(&t, "k 1 [0] 1.0: damon:damon_aggregated: target_id=1\n"
		   "short line\n");
	assert_error(&t, 2, 0, "",
		     "no DAMON trace event in its 2 lines: not a record, nor a perf script or trace-cmd report of one");
	done(&t);
}

static size_t put_le(unsigned char *b, uint64_t v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	return n;
}

/* A legacy file of @version (-1: version 0 without magic). */
static size_t legacy_file(unsigned char *b, int version)
{
	unsigned int idb = version == 1 ? 4 : 8, s, k;
	unsigned int nr_targets = version == 1 ? 1 : 2;
	size_t n = 0;

	if (version >= 0) {
		memcpy(b, "damon_recfmt_ver", 16);
		n = 16 + put_le(b + 16, (uint64_t)version, 4);
	}
	for (s = 0; s < 3; s++) {
		n += put_le(b + n, 10 + s, 8);
		n += put_le(b + n, 500000000, 8);
		n += put_le(b + n, nr_targets, 4);
		for (k = 0; k < nr_targets; k++) {
			n += put_le(b + n, version == 1 ? 0xfffffffe : 42 + k,
				    idb);
			n += put_le(b + n, 1, 4);
			n += put_le(b + n, 4096 * (k + 1), 8);
			n += put_le(b + n, 4096 * (k + 2), 8);
			n += put_le(b + n, s, 4);
		}
	}
	return n;
}

static void test_legacy_versions(void **state)
{
	unsigned char b[512];
	struct rd_test t;
	size_t n;

	(void)state;
	n = legacy_file(b, 2);
	open_buf(&t, b, n);
	assert_int_equal(record_format(t.rd), RECORD_FMT_LEGACY);
	assert_int_equal(next(&t), 1);
	assert_true(t.m->target_id == 42);
	assert_int_equal(snap(&t), 1);
	assert_true(t.s.start_ns == 9500000000ULL);
	assert_true(t.s.end_ns == 10500000000ULL);
	assert_int_equal(snap(&t), 1);
	assert_true(t.s.start_ns == 10500000000ULL);
	assert_true(t.s.regions[0].nr_accesses == 1);
	assert_int_equal(snap(&t), 1);
	assert_int_equal(snap(&t), 0);
	assert_int_equal(next(&t), 1);
	assert_true(t.m->target_id == 43);
	assert_int_equal(snap(&t), 1);
	assert_true(t.s.regions[0].start == 8192);
	assert_int_equal(next(&t), 0);
	done(&t);

	n = legacy_file(b, -1);
	open_buf(&t, b, n);
	assert_int_equal(record_format(t.rd), RECORD_FMT_LEGACY);
	assert_int_equal(next(&t), 1);
	assert_int_equal(next(&t), 1);
	assert_int_equal(next(&t), 0);
	done(&t);

	n = legacy_file(b, 1);
	open_buf(&t, b, n);
	assert_int_equal(next(&t), 1);
	assert_true(t.m->target_id == (uint64_t)-2);
	assert_int_equal(next(&t), 0);
	done(&t);

	n = legacy_file(b, 2);
	open_buf(&t, b, n - 3);
	assert_null(t.rd);
	assert_error(&t, 0, 0, "",
		     "byte 252: the file ends inside the regions (20 bytes for 1, 17 left)");
	done(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_tolerance),
		cmocka_unit_test(test_json_skip),
		cmocka_unit_test(test_json_errors),
		cmocka_unit_test(test_perf_variants),
		cmocka_unit_test(test_perf_schemes_and_probes),
		cmocka_unit_test(test_perf_probes_only),
		cmocka_unit_test(test_perf_errors),
		cmocka_unit_test(test_legacy_versions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
