/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests of damo's re-aggregation (core/reaggr.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/reaggr.h"
#include "core/snapshot.h"

/* A snapshot [@t0, @t1) of regions @r (start, end, samples, age). */
static void mk_snap(struct snapshot *s, uint64_t t0, uint64_t t1,
		    const uint64_t (*r)[4], size_t n)
{
	struct snap_region *sr;
	size_t i;

	snapshot_clear(s);
	s->start_ns = t0;
	s->end_ns = t1;
	for (i = 0; i < n; i++) {
		sr = snapshot_add_region(s);
		sr->start = r[i][0];
		sr->end = r[i][1];
		sr->nr_accesses = r[i][2];
		sr->age = r[i][3];
		sr->sz_filter_passed = (r[i][1] - r[i][0]) / 2;
	}
}

static void assert_region(const struct snap_region *r, uint64_t start,
			  uint64_t end, uint64_t samples)
{
	assert_int_equal(r->start, start);
	assert_int_equal(r->end, end);
	assert_int_equal(r->nr_accesses, samples);
}

/* A group closes once it spans the interval; the last open one is kept. */
static void test_groups(void **state)
{
	static const uint64_t a[][4] = { { 0, 100, 3, 1 } };
	struct snapshot s, out;
	struct reaggr ra;

	(void)state;
	snapshot_init(&s);
	snapshot_init(&out);
	reaggr_init(&ra, 2);	/* 2 us = 2000 ns */
	mk_snap(&s, 0, 1000, a, 1);
	assert_false(reaggr_feed(&ra, &s, &out));
	mk_snap(&s, 1000, 2000, a, 1);
	assert_true(reaggr_feed(&ra, &s, &out));
	assert_int_equal(out.start_ns, 0);
	assert_int_equal(out.end_ns, 2000);
	assert_int_equal(out.nr_regions, 1);
	assert_region(&out.regions[0], 0, 100, 6);
	assert_int_equal(snapshot_total_bytes(&out), 100);
	mk_snap(&s, 2000, 3000, a, 1);
	assert_false(reaggr_feed(&ra, &s, &out));
	reaggr_reset(&ra);	/* damo drops the short last group */
	assert_int_equal(ra.nr_snapshots, 0);
	reaggr_release(&ra);
	snapshot_release(&s);
	snapshot_release(&out);
}

/*
 * Overlaps add the highest overlapping samples of each snapshot; the parts
 * not covered are appended, left before right, with their own samples.
 */
static void test_split(void **state)
{
	static const uint64_t a[][4] = { { 100, 200, 5, 2 }, { 300, 400, 1, 2 } };
	static const uint64_t b[][4] = { { 0, 350, 7, 9 }, { 350, 500, 2, 9 } };
	struct snapshot s, out;
	struct reaggr ra;

	(void)state;
	snapshot_init(&s);
	snapshot_init(&out);
	reaggr_init(&ra, 1);
	mk_snap(&s, 0, 500, a, 2);
	assert_false(reaggr_feed(&ra, &s, &out));
	mk_snap(&s, 500, 1000, b, 2);
	assert_true(reaggr_feed(&ra, &s, &out));
	assert_int_equal(out.nr_regions, 5);
	assert_region(&out.regions[0], 100, 200, 5 + 7);
	assert_region(&out.regions[1], 300, 400, 1 + 7);	/* max(7, 2) */
	assert_region(&out.regions[2], 0, 100, 7);
	assert_region(&out.regions[3], 200, 300, 7);
	assert_region(&out.regions[4], 400, 500, 2);
	assert_int_equal(out.regions[2].age, 9);
	/* filter-passed bytes in proportion to the part: half of 100 */
	assert_int_equal(out.regions[2].sz_filter_passed, 50);
	reaggr_release(&ra);
	snapshot_release(&s);
	snapshot_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_split),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
