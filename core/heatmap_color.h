/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Colours of heatmaps: damo's terminal colour sets (gray, flame and
 * emotion) and viridis, a perceptually uniform scale that
 * readers with the common colour vision deficiencies tell apart, as ten
 * levels for terminals and as a continuous scale for images.
 */
#ifndef DAMO_CORE_HEATMAP_COLOR_H
#define DAMO_CORE_HEATMAP_COLOR_H

#include <stdbool.h>
#include <stdint.h>

enum heatmap_colorset {
	HEATMAP_GRAY,
	HEATMAP_FLAME,
	HEATMAP_EMOTION,
	HEATMAP_VIRIDIS,
	HEATMAP_NR_COLORSETS,
};

#define HEATMAP_LEVELS 10

struct heatmap_rgb {
	uint8_t r, g, b;
};

/* The name of @set ("gray" ...); borrowed static storage. */
const char *heatmap_colorset_name(enum heatmap_colorset set);

/* The set named @name, or -1. */
int heatmap_colorset_parse(const char *name);

/*
 * heatmap_level() - damo's level of heat @h on a map whose heats span
 * [@lo, @hi]: min(int((h - lo) / ((hi + 1 - lo) / 9)), 9).
 */
int heatmap_level(double h, double lo, double hi);

/* xterm 256-colour indexes of the background and digit of level @lv. */
unsigned int heatmap_color_bg256(enum heatmap_colorset set, int lv);
unsigned int heatmap_color_fg256(enum heatmap_colorset set, int lv);

/* 24-bit colours of the same (viridis: its own, not the 256 palette's). */
struct heatmap_rgb heatmap_color_bg(enum heatmap_colorset set, int lv);
struct heatmap_rgb heatmap_color_fg(enum heatmap_colorset set, int lv);

/*
 * heatmap_color_at() - the colour of fraction @f (0 coldest, 1 hottest) of
 * the scale of @set for images: viridis and gray are continuous, flame and
 * emotion have damo's ten levels.
 */
struct heatmap_rgb heatmap_color_at(enum heatmap_colorset set, double f);

/* The xterm default palette's colour of index @idx. */
struct heatmap_rgb heatmap_xterm_rgb(unsigned int idx);

#endif /* DAMO_CORE_HEATMAP_COLOR_H */
