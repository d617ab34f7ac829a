/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unit tests of the heatmap models (core/report/heatmap.c): binning the
 * record of one guide, and each record's hottest contiguous region, fed
 * as snapshot sinks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/report/heatmap.h"

/* Regions [0, 100) with @a0 samples and [200, 300) with @a1. */
static void mk(struct snapshot *s, uint64_t t0, uint64_t a0, uint64_t a1)
{
	struct snap_region *r;

	snapshot_clear(s);
	s->start_ns = t0;
	s->end_ns = t0 + 1000;
	r = snapshot_add_region(s);
	r->start = 0;
	r->end = 100;
	r->nr_accesses = a0;
	r->age = 0;
	r = snapshot_add_region(s);
	r->start = 200;
	r->end = 300;
	r->nr_accesses = a1;
	r->age = 0;
}

/* Two targets: the guide of target 2 is hottest in its second region. */
static void test_hot_and_bin(void **state)
{
	struct record_meta m1 = { .target_id = 1 }, m2 = { .target_id = 2 };
	struct record_guide gs[2];
	struct heatmap_hot_model hot;
	struct heatmap_bin_model bin;
	struct snap_sink *sink;
	struct heatmap hm;
	struct snapshot s;
	size_t r1, r2, i;

	(void)state;
	snapshot_init(&s);
	record_guide_init(&gs[0], &m1);
	record_guide_init(&gs[1], &m2);
	for (i = 0; i < 2; i++) {
		mk(&s, i * 1000, 5, 0);
		record_guide_add(&gs[0], &m1, &s);
		mk(&s, i * 1000, 1, 9);
		record_guide_add(&gs[1], &m2, &s);
	}
	assert_int_equal(gs[1].nr_gaps, 1);

	heatmap_hot_model_init(&hot, gs, 2);
	sink = &hot.sink;
	r1 = sink->add(sink, &m1);
	r2 = sink->add(sink, &m2);
	for (i = 0; i < 2; i++) {
		mk(&s, i * 1000, 5, 0);
		assert_int_equal(sink->snapshot(sink, r1, &s), 0);
		mk(&s, i * 1000, 1, 9);
		assert_int_equal(sink->snapshot(sink, r2, &s), 0);
	}
	assert_int_equal(heatmap_hot_model_result(&hot, 0), 0);
	assert_int_equal(heatmap_hot_model_result(&hot, 1), 1);
	heatmap_hot_model_release(&hot);

	/* 2 rows (one a snapshot) x 3 columns of 100 bytes */
	assert_int_equal(heatmap_init(&hm, 0, 2000, 0, 300, 2, 3), 0);
	heatmap_bin_model_init(&bin, &hm, &gs[1]);
	sink = &bin.sink;
	r1 = sink->add(sink, &m1);
	r2 = sink->add(sink, &m2);
	for (i = 0; i < 2; i++) {
		mk(&s, i * 1000, 5, 0);
		sink->snapshot(sink, r1, &s);	/* not this guide's */
		mk(&s, i * 1000, 1, 9);
		sink->snapshot(sink, r2, &s);
	}
	assert_false(bin.hz);			/* no intervals: samples */
	assert_true(heatmap_at(&hm, 0, 0) == 1);
	/* [0, 100) ends where column 1 starts: touched, with no heat */
	assert_true(heatmap_at(&hm, 0, 1) == 0);
	assert_true(heatmap_at(&hm, 1, 2) == 9);
	heatmap_release(&hm);

	/* the other guide's record only: [200, 300) has no access there */
	assert_int_equal(heatmap_init(&hm, 0, 2000, 200, 300, 2, 1), 0);
	heatmap_bin_model_release(&bin);
	heatmap_bin_model_init(&bin, &hm, &gs[0]);
	sink = &bin.sink;
	r1 = sink->add(sink, &m1);
	mk(&s, 0, 5, 0);
	sink->snapshot(sink, r1, &s);
	assert_true(heatmap_at(&hm, 0, 0) == 0);
	heatmap_bin_model_release(&bin);
	heatmap_release(&hm);
	record_guide_release(&gs[0]);
	record_guide_release(&gs[1]);
	snapshot_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hot_and_bin),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
