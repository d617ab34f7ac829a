/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A 5x7 pixel bitmap font of damo's own for the labels of heatmap images:
 * digits, letters, and the punctuation of sizes, times and ranges.
 */
#ifndef DAMO_CORE_FONT5X7_H
#define DAMO_CORE_FONT5X7_H

#include <stdint.h>

#define FONT5X7_W 5
#define FONT5X7_H 7
#define FONT5X7_ADVANCE 6	/* glyph width plus one column of space */

/*
 * font5x7_glyph() - the seven rows of character @c, bit 4 the leftmost
 * pixel; a space is all zero, a character without a glyph is '?'.
 * Return: borrowed static storage.
 */
const uint8_t *font5x7_glyph(char c);

#endif /* DAMO_CORE_FONT5X7_H */
