/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unit tests of the distribution plots of --plot: where points go, the
 * axes' spans and labels, and that the raster draws the line and points
 * in their colour on white paper.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/dist_plot.h"

static const struct dist_point pts[] = {
	{ 0, 100 }, { 25, 200 }, { 50, 200 }, { 75, 300 }, { 100, 1000 },
};

static bool has_text(const struct dist_plot *p, const char *s)
{
	size_t i;

	for (i = 0; i < p->nr_texts; i++) {
		if (!strcmp(p->texts[i].s, s))
			return true;
	}
	return false;
}

static void test_points_span_the_plot_area_from_zero(void **state)
{
	struct dist_plot p;
	int x, y;

	(void)state;
	dist_plot_init(&p, pts, 5, "percentile", "number of regions", 0);
	assert_int_equal(p.width, 640);
	assert_int_equal(p.height, 480);
	/* y from 0 (counts start at zero), x over the points' span */
	assert_true(p.y_lo == 0 && p.y_hi == 1000);
	assert_true(p.x_lo == 0 && p.x_hi == 100);
	dist_plot_at(&p, 0, &x, &y);
	assert_int_equal(x, p.px);
	assert_int_equal(y, p.py + p.ph - p.ph / 10);
	dist_plot_at(&p, 4, &x, &y);
	assert_int_equal(x, p.px + p.pw);
	assert_int_equal(y, p.py);
	assert_true(has_text(&p, "percentile"));
	assert_true(has_text(&p, "number of regions"));
	assert_true(has_text(&p, "1000"));
	/* five tick intervals on each axis */
	assert_true(has_text(&p, "40"));
	assert_true(has_text(&p, "400"));
}

static void test_byte_ticks_are_sizes(void **state)
{
	static const struct dist_point b[] = { { 0, 0 }, { 100, 5 << 20 } };
	struct dist_plot p;

	(void)state;
	dist_plot_init(&p, b, 2, "percentile", "working set size", 1);
	assert_true(has_text(&p, "5.000 MiB"));
	assert_true(has_text(&p, "0 B"));
}

static void test_one_point_and_flat_values_do_not_divide_by_zero(void **state)
{
	static const struct dist_point one[] = { { 50, 0 } };
	struct dist_plot p;
	int x, y;

	(void)state;
	dist_plot_init(&p, one, 1, "percentile", "wss", 1);
	assert_true(p.x_hi > p.x_lo && p.y_hi > p.y_lo);
	dist_plot_at(&p, 0, &x, &y);
	assert_int_equal(x, p.px);
	assert_int_equal(y, p.py + p.ph);
}

static void test_raster_draws_points_on_paper(void **state)
{
	struct dist_plot p;
	uint8_t *px, *c;
	int x, y;
	size_t i, n = 0;

	(void)state;
	dist_plot_init(&p, pts, 5, "percentile", "number of regions", 0);
	px = dist_plot_raster(&p);
	c = px;			/* the top left corner: paper */
	assert_true(c[0] == 0xff && c[1] == 0xff && c[2] == 0xff);
	for (i = 0; i < 5; i++) {
		dist_plot_at(&p, i, &x, &y);
		c = px + ((size_t)y * (size_t)p.width + (size_t)x) * 3;
		assert_int_equal(c[0], dist_plot_line.r);
		assert_int_equal(c[1], dist_plot_line.g);
		assert_int_equal(c[2], dist_plot_line.b);
	}
	/* the line between points too: many pixels of its colour */
	for (i = 0; i < (size_t)p.width * (size_t)p.height; i++)
		n += px[i * 3] == dist_plot_line.r &&
		     px[i * 3 + 1] == dist_plot_line.g &&
		     px[i * 3 + 2] == dist_plot_line.b;
	assert_true(n > 1000);
	free(px);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_points_span_the_plot_area_from_zero),
		cmocka_unit_test(test_byte_ticks_are_sizes),
		cmocka_unit_test(test_one_point_and_flat_values_do_not_divide_by_zero),
		cmocka_unit_test(test_raster_draws_points_on_paper),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
