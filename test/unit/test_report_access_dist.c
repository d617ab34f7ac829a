/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unit tests of the access distribution model (core/report/access_dist.c)
 * and the region metrics it uses (core/report/region.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/report/access_dist.h"
#include "core/snapshot.h"

/* 5 ms sampling, 100 ms aggregation: 20 samples an aggregation. */
static const struct record_meta meta = {
	.has_intervals = true,
	.intervals = { .sample_us = 5000, .aggr_us = 100000 },
};

/*
 * [0, 100) accessed in 10 of 20 samples (50%, idle 0) and [100, 400)
 * not accessed for 5 aggregations (idle 500 ms + the current 100 ms).
 */
static void mk(struct snapshot *s)
{
	struct snap_region *r;

	snapshot_init(s);
	s->start_ns = 0;
	s->end_ns = 100000000;
	r = snapshot_add_region(s);
	r->start = 0;
	r->end = 100;
	r->nr_accesses = 10;
	r->age = 2;
	r = snapshot_add_region(s);
	r->start = 100;
	r->end = 400;
	r->nr_accesses = 0;
	r->age = 5;
}

static void test_region_metrics(void **state)
{
	struct report_weights w = { 0, 100, 100 };
	struct snapshot s;

	(void)state;
	mk(&s);
	assert_int_equal(report_region_percent(&meta, &s.regions[0]), 50);
	assert_int_equal(report_region_age_us(&meta, &s.regions[1]), 500000);
	assert_int_equal(report_region_idle_us(&meta, &s.regions[0], 100000), 0);
	assert_int_equal(report_region_idle_us(&meta, &s.regions[1], 100000),
			 600000);
	/* 50% * 100 + 200000 us * 100; negated when never accessed */
	assert_true(report_region_temperature(&meta, &s.regions[0], 100, &w) ==
		    5000 + 20000000);
	assert_true(report_region_temperature(&meta, &s.regions[1], 300, &w) ==
		    -50000000);
	assert_int_equal(access_snapshot_aggr_us(&meta, &s), 100000);
	snapshot_release(&s);
}

/* Percentiles of idle time over the bytes: a quarter is not idle. */
static void test_percentiles(void **state)
{
	static const long pcts[] = { 0, 25, 50, 100 };
	struct access_dist_params p = {
		.weights = { 0, 100, 100 }, .percentiles = pcts,
		.nr_percentiles = 4,
	};
	long pct[4];
	int64_t val[4];
	struct snapshot s;
	size_t n;

	(void)state;
	mk(&s);
	n = access_dist_percentiles(&p, &meta, &s, false, false, pct, val);
	assert_int_equal(n, 4);
	assert_int_equal(pct[1], 25);
	assert_int_equal(val[1], 0);
	assert_int_equal(pct[2], 50);
	assert_int_equal(val[2], 600000);
	assert_int_equal(val[3], 600000);
	snapshot_clear(&s);
	assert_int_equal(access_dist_percentiles(&p, &meta, &s, false, false,
						 pct, val), 0);
	snapshot_release(&s);
}

/* Ten equal bins from the smallest to the largest idle time. */
static void test_hist(void **state)
{
	static const char *const ranges[] = { "0", "1s", "1s", "2s" };
	struct access_dist_params p = { .weights = { 0, 100, 100 } };
	struct access_hist_bin *b;
	struct snapshot s;
	size_t n;

	(void)state;
	mk(&s);
	b = access_dist_hist(&p, &meta, &s, false, false, &n);
	assert_int_equal(n, 10);
	assert_int_equal(b[0].lo, 0);
	assert_int_equal(b[0].hi, 60001);
	assert_int_equal(b[0].sz, 100);
	assert_int_equal(b[9].sz, 300);
	free(b);
	p.hist_ranges = ranges;
	p.nr_hist_ranges = 4;
	b = access_dist_hist(&p, &meta, &s, false, false, &n);
	assert_int_equal(n, 2);
	assert_int_equal(b[0].hi, 1000000);
	assert_int_equal(b[0].sz, 400);
	assert_int_equal(b[1].sz, 0);
	free(b);
	snapshot_clear(&s);
	assert_null(access_dist_hist(&p, &meta, &s, false, false, &n));
	snapshot_release(&s);
}

/* Four columns of 100 bytes: the accessed one is the hottest. */
static void test_heat(void **state)
{
	struct access_dist_params p = {
		.weights = { 0, 100, 100 }, .heatmap_width = 4,
	};
	struct access_heat h;
	struct snapshot s;

	(void)state;
	mk(&s);
	assert_true(access_dist_heat(&p, &meta, &s, false, &h));
	assert_int_equal(h.nr, 4);
	assert_true(h.unit == 100);
	assert_true(h.px[0].temp == h.max_temp);
	assert_true(h.px[3].temp == h.min_temp);
	assert_true(h.min_temp == -50000000);
	access_heat_release(&h);
	/* nothing passed DAMOS filters: no map */
	assert_false(access_dist_heat(&p, &meta, &s, true, &h));
	snapshot_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_region_metrics),
		cmocka_unit_test(test_percentiles),
		cmocka_unit_test(test_hist),
		cmocka_unit_test(test_heat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
