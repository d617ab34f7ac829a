/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One screen of the viewer as cells (a character and its role: text, a
 * heat level, the cursor), composed once and then shown either through
 * curses or, for a screen printed without a terminal, as text with ANSI
 * colours.  The colours of the levels are the heatmap colour sets'
 * (core/heatmap_color.h), the same as the text and image heatmaps'.
 */
#ifndef DAMO_TUI_FRAME_H
#define DAMO_TUI_FRAME_H

#include <stdbool.h>
#include <stdio.h>

#include "core/heatmap_color.h"

enum tui_role {
	TUI_TEXT,
	TUI_BOLD,
	TUI_BAR,		/* the title bar */
	TUI_NONE,		/* a cell without data */
	TUI_LEVEL0,		/* TUI_LEVEL0 + lv: heat level lv */
	TUI_CURSOR = 0x80,	/* or'ed: the cell under the cursor */
};

struct tui_cell {
	char ch;
	unsigned char role;
};

struct tui_frame {
	int lines, cols;
	struct tui_cell *cells;		/* owned, lines * cols */
};

/* How levels are coloured: not at all, 256 or 8 terminal colours. */
struct tui_colors {
	bool on;
	int depth;			/* 256 or 8 */
	enum heatmap_colorset set;
};

void tui_frame_init(struct tui_frame *f, int lines, int cols);
void tui_frame_release(struct tui_frame *f);
/* Every cell a blank of TUI_TEXT. */
void tui_frame_clear(struct tui_frame *f);
/* Cell (@y, @x), or NULL outside the frame. */
struct tui_cell *tui_frame_at(struct tui_frame *f, int y, int x);
/*
 * tui_frame_printf() - text at (@y, @x) in @role, cut at the frame's
 * width.  Return: the column after it.
 */
int tui_frame_printf(struct tui_frame *f, int y, int x, unsigned char role,
		     const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/*
 * tui_level_colors() - the terminal colours (foreground, background) of
 * heat level @lv (-1: a cell without data) in @c's set and depth: the
 * set's xterm-256 colours, or for 8 colours the nearest of the 8 to the
 * set's colour, with a digit that reads on it.
 */
void tui_level_colors(const struct tui_colors *c, int lv, int *fg, int *bg);

/*
 * tui_frame_dump() - @f as text lines on @out: with @c->on, ANSI colour
 * sequences as a terminal of @c->depth colours would show the cells
 * (the cursor reversed, the title bar reversed), else plain text;
 * trailing blanks cut.
 */
void tui_frame_dump(const struct tui_frame *f, const struct tui_colors *c,
		    FILE *out);

#endif /* DAMO_TUI_FRAME_H */
