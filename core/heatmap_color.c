/* SPDX-License-Identifier: GPL-2.0 */
/* Heatmap colour sets, their 256-colour and 24-bit forms. */
#include "core/heatmap_color.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

static const char *const set_names[HEATMAP_NR_COLORSETS] = {
	"gray", "flame", "emotion", "viridis",
};

/* damo's sets */
static const unsigned char damo_bg[3][HEATMAP_LEVELS] = {
	{ 232, 232, 232, 232, 232, 232, 232, 232, 232, 232 },
	{ 232, 1, 1, 2, 3, 3, 20, 21, 26, 27 },
	{ 232, 234, 20, 21, 26, 2, 3, 1, 1, 1 },
};
static const unsigned char damo_fg[3][HEATMAP_LEVELS] = {
	{ 237, 239, 241, 243, 245, 247, 249, 251, 253, 255 },
	{ 239, 235, 237, 239, 243, 245, 247, 249, 251, 255 },
	{ 239, 235, 237, 239, 243, 245, 247, 249, 251, 255 },
};

/* viridis at ten even steps (matplotlib's, as R's viridis(10) lists it) */
static const struct heatmap_rgb viridis[HEATMAP_LEVELS] = {
	{ 0x44, 0x01, 0x54 }, { 0x48, 0x28, 0x78 }, { 0x3e, 0x4a, 0x89 },
	{ 0x31, 0x68, 0x8e }, { 0x26, 0x82, 0x8e }, { 0x1f, 0x9e, 0x89 },
	{ 0x35, 0xb7, 0x79 }, { 0x6d, 0xcd, 0x59 }, { 0xb4, 0xde, 0x2c },
	{ 0xfd, 0xe7, 0x25 },
};

static const struct heatmap_rgb xterm16[16] = {
	{ 0x00, 0x00, 0x00 }, { 0xcd, 0x00, 0x00 }, { 0x00, 0xcd, 0x00 },
	{ 0xcd, 0xcd, 0x00 }, { 0x00, 0x00, 0xee }, { 0xcd, 0x00, 0xcd },
	{ 0x00, 0xcd, 0xcd }, { 0xe5, 0xe5, 0xe5 }, { 0x7f, 0x7f, 0x7f },
	{ 0xff, 0x00, 0x00 }, { 0x00, 0xff, 0x00 }, { 0xff, 0xff, 0x00 },
	{ 0x5c, 0x5c, 0xff }, { 0xff, 0x00, 0xff }, { 0x00, 0xff, 0xff },
	{ 0xff, 0xff, 0xff },
};

const char *heatmap_colorset_name(enum heatmap_colorset set)
{
	return set < HEATMAP_NR_COLORSETS ? set_names[set] : "?";
}

int heatmap_colorset_parse(const char *name)
{
	int i;

	for (i = 0; i < HEATMAP_NR_COLORSETS; i++)
		if (!strcmp(name, set_names[i]))
			return i;
	return -1;
}

int heatmap_level(double h, double lo, double hi)
{
	double unit = (hi + 1 - lo) / 9;

	if (isnan(h))
		return -1;
	return (int)fmin((h - lo) / unit, HEATMAP_LEVELS - 1);
}

static int clamp_level(int lv)
{
	if (lv < 0)
		return 0;
	return lv >= HEATMAP_LEVELS ? HEATMAP_LEVELS - 1 : lv;
}

struct heatmap_rgb heatmap_xterm_rgb(unsigned int idx)
{
	static const uint8_t cube[6] = { 0, 95, 135, 175, 215, 255 };
	struct heatmap_rgb c;
	uint8_t v;

	if (idx < 16)
		return xterm16[idx];
	if (idx >= 232) {
		v = (uint8_t)(8 + 10 * (idx - 232));
		c.r = c.g = c.b = v;
		return c;
	}
	idx -= 16;
	c.r = cube[idx / 36];
	c.g = cube[idx / 6 % 6];
	c.b = cube[idx % 6];
	return c;
}

static unsigned int dist2(struct heatmap_rgb a, struct heatmap_rgb b)
{
	int dr = a.r - b.r, dg = a.g - b.g, db = a.b - b.b;

	return (unsigned int)(dr * dr + dg * dg + db * db);
}

/* The 256-palette colour (of the cube and grays) nearest to @c. */
static unsigned int nearest256(struct heatmap_rgb c)
{
	unsigned int i, best = 16, d, bd = ~0u;

	for (i = 16; i < 256; i++) {
		d = dist2(c, heatmap_xterm_rgb(i));
		if (d < bd) {
			bd = d;
			best = i;
		}
	}
	return best;
}

/* Digits stay readable: white on the dark half of viridis, black above. */
static bool viridis_dark(int lv)
{
	return clamp_level(lv) < 5;
}

unsigned int heatmap_color_bg256(enum heatmap_colorset set, int lv)
{
	lv = clamp_level(lv);
	if (set == HEATMAP_VIRIDIS)
		return nearest256(viridis[lv]);
	return damo_bg[set][lv];
}

unsigned int heatmap_color_fg256(enum heatmap_colorset set, int lv)
{
	lv = clamp_level(lv);
	if (set == HEATMAP_VIRIDIS)
		return viridis_dark(lv) ? 255 : 16;
	return damo_fg[set][lv];
}

struct heatmap_rgb heatmap_color_bg(enum heatmap_colorset set, int lv)
{
	if (set == HEATMAP_VIRIDIS)
		return viridis[clamp_level(lv)];
	return heatmap_xterm_rgb(heatmap_color_bg256(set, lv));
}

struct heatmap_rgb heatmap_color_fg(enum heatmap_colorset set, int lv)
{
	static const struct heatmap_rgb white = { 255, 255, 255 }, black;

	if (set == HEATMAP_VIRIDIS)
		return viridis_dark(lv) ? white : black;
	return heatmap_xterm_rgb(heatmap_color_fg256(set, lv));
}

static uint8_t mix(uint8_t a, uint8_t b, double t)
{
	return (uint8_t)lround(a + (b - a) * t);
}

struct heatmap_rgb heatmap_color_at(enum heatmap_colorset set, double f)
{
	struct heatmap_rgb c, a, b;
	double x;
	int i;

	if (isnan(f) || f < 0)
		f = 0;
	if (f > 1)
		f = 1;
	switch (set) {
	case HEATMAP_VIRIDIS:
		x = f * (HEATMAP_LEVELS - 1);
		i = (int)x;
		if (i >= HEATMAP_LEVELS - 1)
			return viridis[HEATMAP_LEVELS - 1];
		a = viridis[i];
		b = viridis[i + 1];
		x -= i;
		c.r = mix(a.r, b.r, x);
		c.g = mix(a.g, b.g, x);
		c.b = mix(a.b, b.b, x);
		return c;
	case HEATMAP_GRAY:
		c.r = c.g = c.b = (uint8_t)lround(f * 255);
		return c;
	default:
		return heatmap_color_bg(set, (int)fmin(f * HEATMAP_LEVELS,
						       HEATMAP_LEVELS - 1));
	}
}
