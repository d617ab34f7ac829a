/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests of the heatmap binning, Python float repr and record guide. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <string.h>

#include "core/heatmap.h"
#include "core/record_guide.h"
#include "core/snapshot.h"

/* A snapshot [@t0, @t1) of regions @r (start, end, samples triples). */
static void mk_snap(struct snapshot *s, uint64_t t0, uint64_t t1,
		    const uint64_t (*r)[3], size_t n)
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
		sr->age = SNAP_NONE;
	}
}

/*
 * 10 snapshots of 100 ns over [0, 1000): a cold [0, 600), a hot block
 * [600, 800) during [400, 800) ns and cold [800, 1000).
 */
static void test_hot_block_is_hottest(void **state)
{
	uint64_t cold[][3] = { { 0, 600, 1 }, { 600, 800, 1 }, { 800, 1000, 1 } };
	uint64_t hot[][3] = { { 0, 600, 1 }, { 600, 800, 20 }, { 800, 1000, 1 } };
	struct snapshot s;
	struct heatmap hm;
	size_t i, j, bi = 0, bj = 0;
	double best = -1;

	(void)state;
	snapshot_init(&s);
	assert_int_equal(heatmap_init(&hm, 0, 1000, 0, 1000, 10, 10), 0);
	for (i = 0; i < 10; i++) {
		mk_snap(&s, i * 100, (i + 1) * 100, i >= 4 && i < 8 ? hot : cold, 3);
		heatmap_add(&hm, &s, NULL);
	}
	for (i = 0; i < 10; i++) {
		for (j = 0; j < 10; j++) {
			assert_false(isnan(heatmap_at(&hm, i, j)));
			if (heatmap_at(&hm, i, j) > best) {
				best = heatmap_at(&hm, i, j);
				bi = i;
				bj = j;
			}
		}
	}
	assert_true(bi >= 4 && bi < 8);
	assert_true(bj >= 6 && bj < 8);
	/* inside the block a pixel is the full 20 samples */
	assert_true(heatmap_at(&hm, 5, 6) == 20.0);
	assert_true(heatmap_at(&hm, 1, 1) == 1.0);
	heatmap_release(&hm);
	snapshot_release(&s);
}

static void test_untouched_pixels_have_no_heat(void **state)
{
	uint64_t r[][3] = { { 0, 100, 3 } };
	struct snapshot s;
	struct heatmap hm;

	(void)state;
	snapshot_init(&s);
	assert_int_equal(heatmap_init(&hm, 0, 1000, 0, 1000, 10, 10), 0);
	mk_snap(&s, 0, 100, r, 1);
	heatmap_add(&hm, &s, NULL);
	assert_true(heatmap_at(&hm, 0, 0) == 3.0);
	assert_true(isnan(heatmap_at(&hm, 5, 5)));
	heatmap_release(&hm);
	/* ranges narrower than the resolution are refused */
	assert_int_equal(heatmap_init(&hm, 0, 5, 0, 1000, 10, 10), -EINVAL);
	snapshot_release(&s);
}

static void test_fmt_float_is_python_repr(void **state)
{
	char b[40];

	(void)state;
	assert_string_equal(heatmap_fmt_float(b, NAN), "NaN");
	assert_string_equal(heatmap_fmt_float(b, 0.0), "0.0");
	assert_string_equal(heatmap_fmt_float(b, 4.617940137508048),
			    "4.617940137508048");
	assert_string_equal(heatmap_fmt_float(b, 0.1), "0.1");
	assert_string_equal(heatmap_fmt_float(b, 20.0), "20.0");
	assert_string_equal(heatmap_fmt_float(b, 1e-05), "1e-05");
	assert_string_equal(heatmap_fmt_float(b, 0.0001), "0.0001");
	assert_string_equal(heatmap_fmt_float(b, 1.5e16), "1.5e+16");
	assert_string_equal(heatmap_fmt_float(b, 1e15), "1000000000000000.0");
	assert_string_equal(heatmap_fmt_float(b, 123.456), "123.456");
	assert_string_equal(heatmap_fmt_float(b, -2.5), "-2.5");
	assert_string_equal(heatmap_fmt_float(b, 1.0 / 3), "0.3333333333333333");
}

static void test_guide_gaps_and_regions(void **state)
{
	uint64_t a[][3] = { { 100, 200, 1 }, { 300, 400, 0 }, { 500, 600, 2 } };
	uint64_t b[][3] = { { 100, 250, 1 }, { 300, 400, 0 }, { 450, 600, 2 } };
	struct guide_range cr[3];
	struct record_meta m;
	struct record_guide g;
	struct snapshot s;
	uint64_t heat[3] = { 0 };

	(void)state;
	record_meta_init(&m);
	snapshot_init(&s);
	record_guide_init(&g, &m);
	mk_snap(&s, 10, 20, a, 3);
	record_guide_add(&g, &m, &s);
	record_guide_add_heat(cr, 0, heat, &s);
	mk_snap(&s, 20, 30, b, 3);
	record_guide_add(&g, &m, &s);
	assert_int_equal(g.start_ns, 10);
	assert_int_equal(g.end_ns, 30);
	assert_int_equal(g.nr_gaps, 2);
	record_guide_regions(&g, cr);
	assert_int_equal(cr[0].start, 100);
	assert_int_equal(cr[0].end, 250);
	assert_int_equal(cr[1].start, 300);
	assert_int_equal(cr[1].end, 400);
	assert_int_equal(cr[2].start, 450);
	assert_int_equal(cr[2].end, 600);
	assert_int_equal(record_guide_space(&g), 150 + 100 + 150);
	record_guide_add_heat(cr, 3, heat, &s);
	assert_int_equal(heat[0], 150);
	assert_int_equal(heat[1], 0);
	assert_int_equal(heat[2], 300);
	record_guide_release(&g);
	snapshot_release(&s);
	record_meta_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hot_block_is_hottest),
		cmocka_unit_test(test_untouched_pixels_have_no_heat),
		cmocka_unit_test(test_fmt_float_is_python_repr),
		cmocka_unit_test(test_guide_gaps_and_regions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
