/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unit tests of the distribution report models (core/report/): dist,
 * wss, nr_regions and footprint, fed snapshot by snapshot.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/report/dist.h"
#include "core/report/footprint.h"
#include "core/report/nr_regions.h"
#include "core/report/wss.h"
#include "core/snapshot.h"

/* Snapshot [@t0, @t1) of @n regions of @sz bytes, region i with @acc[i]. */
static void mk_snap(struct snapshot *s, uint64_t t0, uint64_t t1, size_t n,
		    uint64_t sz, const uint64_t *acc)
{
	struct snap_region *r;
	size_t i;

	snapshot_clear(s);
	s->start_ns = t0;
	s->end_ns = t1;
	for (i = 0; i < n; i++) {
		r = snapshot_add_region(s);
		r->start = i * sz;
		r->end = (i + 1) * sz;
		r->nr_accesses = acc ? acc[i] : 0;
	}
}

/* Python range() lengths and damo's percentile index, negative too. */
static void test_range(void **state)
{
	struct report_range r = { 0, 101, 25 }, down = { 100, -1, -50 };

	(void)state;
	assert_int_equal(report_range_len(&r), 5);
	assert_int_equal(report_range_at(&r, 4), 100);
	assert_int_equal(report_range_len(&down), 3);
	assert_int_equal(report_range_at(&down, 2), 0);
	assert_int_equal(report_percentile_idx(0, 10), 0);
	assert_int_equal(report_percentile_idx(50, 10), 5);
	assert_int_equal(report_percentile_idx(100, 10), 9);
	assert_int_equal(report_percentile_idx(-10, 10), 9);
}

/* Sorted values, truncated average, the largest percentile. */
static void test_dist(void **state)
{
	struct report_range r = { 0, 101, 50 };
	struct report_dist d = { 0 };

	(void)state;
	assert_int_equal(report_dist_avr(&d), 0);
	report_dist_push(&d, 30);
	report_dist_push(&d, 10);
	report_dist_push(&d, 21);
	report_dist_sort(&d);
	assert_int_equal(d.v[0], 10);
	assert_int_equal(d.v[2], 30);
	assert_int_equal(report_dist_avr(&d), 20);	/* 61 / 3 */
	assert_int_equal(report_dist_pct(&d, 50), 21);
	assert_int_equal(report_dist_pct_max(&d, &r), 30);
	report_dist_release(&d);
}

/* Thresholds pick the regions; excluded snapshots count for nothing. */
static void test_wss(void **state)
{
	static const uint64_t acc[] = { 0, 1, 5 };
	struct wss_params p = {
		.dist = { .exclude = 1, .collapse = false },
		.acc_thres = 1, .sz_thres = 1,
	};
	const struct rec_dist_record *res;
	struct record_meta meta = { .target_id = 7 };
	struct wss_model m;
	struct snapshot s;
	size_t nr, rec;

	(void)state;
	snapshot_init(&s);
	mk_snap(&s, 0, 1000, 3, 4096, acc);
	assert_int_equal(wss_of(&s, &p), 2 * 4096);
	p.acc_thres = 5;
	assert_int_equal(wss_of(&s, &p), 4096);
	p.acc_thres = 1;
	p.sz_thres = 8192;
	assert_int_equal(wss_of(&s, &p), 0);
	p.sz_thres = 1;

	wss_model_init(&m, &p);
	rec = wss_model_add_record(&m, &meta);
	mk_snap(&s, 0, 1000, 3, 4096, NULL);	/* excluded */
	wss_model_add(&m, rec, &s);
	mk_snap(&s, 1000, 2000, 3, 4096, acc);
	wss_model_add(&m, rec, &s);
	mk_snap(&s, 2000, 3000, 1, 4096, acc + 2);
	wss_model_add(&m, rec, &s);
	res = wss_model_result(&m, &nr);
	assert_int_equal(nr, 1);
	assert_int_equal(res[0].target_id, 7);
	assert_int_equal(res[0].dist.n, 2);
	assert_int_equal(res[0].dist.v[0], 4096);	/* sorted */
	assert_int_equal(res[0].dist.v[1], 8192);
	wss_model_release(&m);
	snapshot_release(&s);
}

/* Collapsing adds the targets' i-th values into target 0. */
static void test_wss_collapse(void **state)
{
	static const uint64_t acc[] = { 1, 1 };
	struct wss_params p = {
		.dist = { .collapse = true, .by_time = true },
		.acc_thres = 1, .sz_thres = 1,
	};
	const struct rec_dist_record *res;
	struct record_meta m1 = { .target_id = 1 }, m2 = { .target_id = 2 };
	struct wss_model m;
	struct snapshot s;
	size_t nr, r1, r2;

	(void)state;
	snapshot_init(&s);
	wss_model_init(&m, &p);
	r1 = wss_model_add_record(&m, &m1);
	r2 = wss_model_add_record(&m, &m2);
	/* interleaved, as a live monitor gives them */
	mk_snap(&s, 0, 1000, 1, 100, acc);
	wss_model_add(&m, r1, &s);
	mk_snap(&s, 0, 1000, 2, 100, acc);
	wss_model_add(&m, r2, &s);
	wss_model_add(&m, r2, &s);
	res = wss_model_result(&m, &nr);
	assert_int_equal(nr, 1);
	assert_int_equal(res[0].target_id, 0);
	assert_int_equal(res[0].dist.n, 2);
	assert_int_equal(res[0].dist.v[0], 300);
	assert_int_equal(res[0].dist.v[1], 200);
	wss_model_release(&m);
	snapshot_release(&s);
}

/* nr_regions skips 20 snapshots and re-aggregates with a work time. */
static void test_nr_regions(void **state)
{
	const struct rec_dist_record *res;
	struct record_meta meta = { .target_id = 3 };
	struct nr_regions_model m;
	struct snapshot s;
	size_t nr, rec, i;

	(void)state;
	snapshot_init(&s);
	nr_regions_model_init(&m, 2, false);	/* 2 us: pairs */
	rec = nr_regions_model_add_record(&m, &meta);
	for (i = 0; i < NR_REGIONS_SKIP + 4; i++) {
		mk_snap(&s, i * 1000, (i + 1) * 1000, i < NR_REGIONS_SKIP ?
			9 : 2, 4096, NULL);
		nr_regions_model_add(&m, rec, &s);
	}
	res = nr_regions_model_result(&m, &nr);
	assert_int_equal(nr, 1);
	assert_int_equal(res[0].target_id, 3);
	assert_int_equal(res[0].dist.n, 2);
	assert_int_equal(res[0].dist.v[0], 2);
	nr_regions_model_release(&m);
	snapshot_release(&s);
}

/* Processes are summed per sampling time; the system gives sys_used. */
static void test_footprint(void **state)
{
	const struct report_dist *d;
	struct fp_model m;

	(void)state;
	fp_model_init(&m, false);
	fp_model_add(&m, 0, false, 100, 10, 0);
	fp_model_add(&m, 0, false, 200, 20, 0);
	fp_model_add(&m, 0, true, 0, 0, 5000);
	fp_model_add(&m, 1, false, 50, 5, 0);
	fp_model_add(&m, 1, true, 0, 0, 4000);
	d = fp_model_result(&m, FP_VSZ);
	assert_int_equal(d->n, 2);
	assert_int_equal(d->v[0], 50);
	assert_int_equal(d->v[1], 300);
	d = fp_model_result(&m, FP_RSS);
	assert_int_equal(d->v[1], 30);
	d = fp_model_result(&m, FP_SYS_USED);
	assert_int_equal(d->v[0], 4000);
	assert_int_equal(d->v[1], 5000);
	fp_model_release(&m);

	fp_model_init(&m, true);
	fp_model_add(&m, 0, false, 9, 9, 0);
	fp_model_add(&m, 1, false, 1, 1, 0);
	d = fp_model_result(&m, FP_VSZ);
	assert_int_equal(d->v[0], 9);	/* time order kept */
	fp_model_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_dist),
		cmocka_unit_test(test_wss),
		cmocka_unit_test(test_wss_collapse),
		cmocka_unit_test(test_nr_regions),
		cmocka_unit_test(test_footprint),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
