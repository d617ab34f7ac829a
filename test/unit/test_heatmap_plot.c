/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unit tests of heatmap colours (damo's sets, viridis), the image layout
 * and rasteriser, the 5x7 font, and clipped binning.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/font5x7.h"
#include "core/heatmap.h"
#include "core/heatmap_color.h"
#include "core/heatmap_plot.h"
#include "core/snapshot.h"

static void assert_rgb(struct heatmap_rgb c, unsigned int r, unsigned int g,
		       unsigned int b)
{
	assert_int_equal(c.r, r);
	assert_int_equal(c.g, g);
	assert_int_equal(c.b, b);
}

static void test_damo_sets_are_damos_palette_indexes(void **state)
{
	(void)state;
	assert_int_equal(heatmap_colorset_parse("flame"), HEATMAP_FLAME);
	assert_int_equal(heatmap_colorset_parse("viridis"), HEATMAP_VIRIDIS);
	assert_int_equal(heatmap_colorset_parse("rainbow"), -1);
	assert_int_equal(heatmap_color_bg256(HEATMAP_FLAME, 9), 27);
	assert_int_equal(heatmap_color_bg256(HEATMAP_EMOTION, 5), 2);
	assert_int_equal(heatmap_color_fg256(HEATMAP_GRAY, 0), 237);
	/* xterm's cube and gray ramp */
	assert_rgb(heatmap_xterm_rgb(27), 0, 95, 255);
	assert_rgb(heatmap_xterm_rgb(232), 8, 8, 8);
	assert_rgb(heatmap_xterm_rgb(1), 0xcd, 0, 0);
}

static void test_viridis_ends_and_nearest_palette(void **state)
{
	(void)state;
	assert_rgb(heatmap_color_bg(HEATMAP_VIRIDIS, 0), 0x44, 0x01, 0x54);
	assert_rgb(heatmap_color_bg(HEATMAP_VIRIDIS, 9), 0xfd, 0xe7, 0x25);
	assert_rgb(heatmap_color_at(HEATMAP_VIRIDIS, 0), 0x44, 0x01, 0x54);
	assert_rgb(heatmap_color_at(HEATMAP_VIRIDIS, 1), 0xfd, 0xe7, 0x25);
	assert_rgb(heatmap_color_at(HEATMAP_VIRIDIS, 2), 0xfd, 0xe7, 0x25);
	assert_rgb(heatmap_color_at(HEATMAP_GRAY, 1), 255, 255, 255);
	/* half-way between levels 4 and 5 */
	assert_rgb(heatmap_color_at(HEATMAP_VIRIDIS, 4.5 / 9), 0x23, 0x90, 0x8c);
	assert_int_equal(heatmap_color_bg256(HEATMAP_VIRIDIS, 0), 53);
	assert_int_equal(heatmap_color_bg256(HEATMAP_VIRIDIS, 9), 220);
	/* light digits on the dark half, dark on the light one */
	assert_int_equal(heatmap_color_fg256(HEATMAP_VIRIDIS, 4), 255);
	assert_int_equal(heatmap_color_fg256(HEATMAP_VIRIDIS, 5), 16);
}

static void test_levels_are_damos(void **state)
{
	(void)state;
	/* unit (hi + 1 - lo) / 9 = 2.222...: 19.153 is level 8 of 0-19.153 */
	assert_int_equal(heatmap_level(0, 0, 19.153), 0);
	assert_int_equal(heatmap_level(19.153, 0, 19.153), 8);
	assert_int_equal(heatmap_level(100, 0, 1), 9);
	assert_int_equal(heatmap_level(NAN, 0, 1), -1);
}

static void test_font_has_labels_glyphs(void **state)
{
	static const uint8_t zero[FONT5X7_H];
	const char *s = "0123456789 KMGTPEiB nsmuh [,).:-+%";

	(void)state;
	for (; *s; s++) {
		if (*s == ' ')
			assert_memory_equal(font5x7_glyph(*s), zero, FONT5X7_H);
		else
			assert_memory_not_equal(font5x7_glyph(*s), zero,
						FONT5X7_H);
	}
	/* no glyph: a question mark */
	assert_ptr_equal(font5x7_glyph('\x01'), font5x7_glyph('?'));
	assert_ptr_equal(font5x7_glyph((char)0xe9), font5x7_glyph('?'));
}

/* A 2 x 4 map: one hot cell (1, 2), one untouched (0, 0). */
static void mk_map(struct heatmap *hm)
{
	size_t i;

	assert_int_equal(heatmap_init(hm, 0, 2000, 0, 4096, 2, 4), 0);
	for (i = 0; i < 8; i++)
		hm->heat[i] = 1;
	hm->heat[0] = NAN;
	hm->heat[1 * 4 + 2] = 5;
}

static void test_plot_layout_and_raster(void **state)
{
	struct heatmap_plot p;
	struct heatmap_rgb c;
	struct heatmap hm;
	uint8_t *px, *at;
	int x, y;

	(void)state;
	mk_map(&hm);
	heatmap_plot_init(&p, &hm, HEATMAP_VIRIDIS, "t", "samples");
	/* 500 / 2 x 500 / 4 pixel cells */
	assert_int_equal(p.cw, 250);
	assert_int_equal(p.ch, 125);
	assert_int_equal(p.pw, 500);
	assert_int_equal(p.ph, 500);
	assert_true(p.width > p.lx + p.lw && p.height > p.py + p.ph);
	assert_true(p.lo == 1 && p.hi == 5);
	/* row 1 is the later half of time (x), column 2 the third quarter up */
	assert_true(heatmap_plot_cell(&p, 1, 2, &x, &y, &c));
	assert_int_equal(x, p.px + 250);
	assert_int_equal(y, p.py + 500 - 3 * 125);
	assert_rgb(c, 0xfd, 0xe7, 0x25);
	assert_false(heatmap_plot_cell(&p, 0, 0, &x, &y, &c));
	assert_rgb(c, heatmap_plot_none.r, heatmap_plot_none.g,
		   heatmap_plot_none.b);
	px = heatmap_plot_raster(&p);
	heatmap_plot_cell(&p, 1, 2, &x, &y, &c);
	at = px + ((size_t)(y + p.ch / 2) * (size_t)p.width +
		   (size_t)(x + p.cw / 2)) * 3;
	assert_int_equal(at[0], 0xfd);
	assert_int_equal(at[2], 0x25);
	/* the legend: hot on top, cold at the bottom */
	at = px + ((size_t)p.ly * (size_t)p.width + (size_t)p.lx) * 3;
	assert_int_equal(at[0], 0xfd);
	at = px + ((size_t)(p.ly + p.lh - 1) * (size_t)p.width +
		   (size_t)p.lx) * 3;
	assert_int_equal(at[0], 0x44);
	/* and the top left corner is paper */
	assert_int_equal(px[0], 0xff);
	free(px);
	heatmap_release(&hm);
}

static void test_plot_labels_use_damo_units(void **state)
{
	struct heatmap_plot p;
	struct heatmap hm;
	size_t i;
	bool half_time = false, half_addr = false, unit = false;

	(void)state;
	mk_map(&hm);
	heatmap_plot_init(&p, &hm, HEATMAP_GRAY, "title", "hz");
	assert_string_equal(p.texts[0].s, "title");
	for (i = 0; i < p.nr_texts; i++) {
		half_time |= !strcmp(p.texts[i].s, "1 us");
		half_addr |= !strcmp(p.texts[i].s, "2.000 KiB");
		unit |= !strcmp(p.texts[i].s, "hz");
	}
	assert_true(half_time && half_addr && unit);
	heatmap_release(&hm);
}

/* A snapshot ending half a row before the map's time range. */
static void add_early_snapshot(struct heatmap *hm)
{
	struct snap_region *r;
	struct snapshot s;

	snapshot_init(&s);
	s.start_ns = 0;
	s.end_ns = 1500;
	r = snapshot_add_region(&s);
	r->start = 0;
	r->end = 4096;
	r->nr_accesses = 10;
	r->age = SNAP_NONE;
	heatmap_add(hm, &s, NULL);
	snapshot_release(&s);
}

static void test_clip_keeps_earlier_snapshots_out(void **state)
{
	struct heatmap hm;

	(void)state;
	/* damo truncates -0.5 rows to row 0: negative heat there */
	assert_int_equal(heatmap_init(&hm, 2000, 4000, 0, 4096, 2, 1), 0);
	add_early_snapshot(&hm);
	assert_true(heatmap_at(&hm, 0, 0) < 0);
	heatmap_release(&hm);
	assert_int_equal(heatmap_init(&hm, 2000, 4000, 0, 4096, 2, 1), 0);
	hm.clip = true;
	add_early_snapshot(&hm);
	assert_true(isnan(heatmap_at(&hm, 0, 0)));
	heatmap_release(&hm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_damo_sets_are_damos_palette_indexes),
		cmocka_unit_test(test_viridis_ends_and_nearest_palette),
		cmocka_unit_test(test_levels_are_damos),
		cmocka_unit_test(test_font_has_labels_glyphs),
		cmocka_unit_test(test_plot_layout_and_raster),
		cmocka_unit_test(test_plot_labels_use_damo_units),
		cmocka_unit_test(test_clip_keeps_earlier_snapshots_out),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
