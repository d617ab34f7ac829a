/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The viewer's screen: title with the legend, the grid in the levels'
 * colours, the status lines and the help, composed into cells
 * (tui/frame.h) and shown through curses or printed.
 */
#include "tui/heatview_priv.h"

#include <curses.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/heatmap_color.h"
#include "core/units.h"
#include "core/xalloc.h"

/* Colour pairs for the levels, a cell without data and the title bar. */
void view_init_colors(struct view *v)
{
	int lv, fg, bg;

	v->colors.set = v->conf->set;
	v->colors.on = v->color = v->conf->color && has_colors();
	if (!v->color)
		return;
	start_color();
	use_default_colors();
	/* COLORS is known once start_color() has run */
	v->colors.depth = COLORS >= 256 ? 256 : 8;
	for (lv = -1; lv < HEATMAP_LEVELS; lv++) {
		tui_level_colors(&v->colors, lv, &fg, &bg);
		init_pair((short)(lv < 0 ? PAIR_NONE : 1 + lv), (short)fg,
			  (short)bg);
	}
	init_pair(PAIR_BAR, COLOR_BLACK, COLOR_WHITE);
}

/* A line of the screen (cut to its width), in @role. */
static int __attribute__((format(printf, 4, 5)))
line_at(struct view *v, int y, unsigned char role, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return tui_frame_printf(&v->fr, y, 0, role, "%s", buf);
}

static void draw_grid(struct view *v)
{
	struct tui_cell *c;
	size_t i, j;
	int lv;

	for (i = 0; i < v->hm.rows; i++) {
		for (j = 0; j < v->hm.cols; j++) {
			c = tui_frame_at(&v->fr, (int)i + 1, (int)j);
			if (!c)
				continue;
			lv = heatmap_level(heatmap_at(&v->hm, i, j), v->lo,
					   v->hi);
			c->ch = lv < 0 ? ' ' : (char)('0' + lv);
			c->role = (unsigned char)(lv < 0 ? TUI_NONE :
						  TUI_LEVEL0 + lv);
			if (i == v->crow && j == v->ccol)
				c->role |= TUI_CURSOR;
		}
	}
}

static void draw_status(struct view *v)
{
	const struct heatmap *hm = &v->hm;
	const char *unit = v->hz ? "hz" : "samples";
	char b1[UNITS_BUFSZ], b2[UNITS_BUFSZ], b3[UNITS_BUFSZ], b4[UNITS_BUFSZ];
	uint64_t t = hm->t0 + v->crow * hm->tu, a = hm->a0 + v->ccol * hm->au;
	double h = heatmap_at(hm, v->crow, v->ccol);
	char heat[48];

	if (isnan(h))
		snprintf(heat, sizeof(heat), "none");
	else
		snprintf(heat, sizeof(heat), "%.3f %s", h, unit);
	line_at(v, v->lines - 2, TUI_BOLD, "cursor: time [%s, %s) addr [0x%llx, "
		"0x%llx) heat %s", units_fmt_time(b1, t, UNITS_NS, false),
		units_fmt_time(b2, t + hm->tu, UNITS_NS, false),
		(unsigned long long)a, (unsigned long long)(a + hm->au), heat);
	if (v->msg[0]) {
		line_at(v, v->lines - 1, TUI_TEXT, "%s", v->msg);
		return;
	}
	line_at(v, v->lines - 1, TUI_TEXT, "view: time [%s, %s) (%s) addr [0x%llx, 0x%llx) "
		"(%s)", units_fmt_time(b1, hm->t0, UNITS_NS, false),
		units_fmt_time(b2, hm->t0 + hm->tu * hm->rows, UNITS_NS, false),
		units_fmt_time(b3, hm->tu * hm->rows, UNITS_NS, false),
		(unsigned long long)hm->a0,
		(unsigned long long)(hm->a0 + hm->au * hm->cols),
		units_fmt_sz(b4, hm->au * hm->cols, false));
}

static void draw_help(struct view *v)
{
	size_t i;
	int y = 2;

	line_at(v, 0, TUI_BOLD, "damo report heatmap --interactive: keys");
	for (i = 0; i < nr_view_keys && y < v->lines; i++, y++)
		tui_frame_printf(&v->fr, y, 2, TUI_TEXT, "%-10s %s",
				 view_keys[i].names, view_keys[i].help);
	if (y + 1 < v->lines)
		tui_frame_printf(&v->fr, y + 1, 2, TUI_TEXT,
				 "Rows are time (earliest on top), columns "
				 "addresses; digits 0-9 the heat of each "
				 "cell, as the legend of the title shows it;");
	if (y + 2 < v->lines)
		tui_frame_printf(&v->fr, y + 2, 2, TUI_TEXT,
				 "a blank cell has no region.");
}

/*
 * The title: file, target, region, and the legend: the ten levels in
 * their colours between the heats of the coldest and the hottest cell.
 */
static void draw_title(struct view *v)
{
	const struct heatview_target *t = &v->ts[v->cur];
	const char *name = v->conf->name, *slash = strrchr(name, '/');
	char region[32] = "", tail[96];
	int x, lv, len;

	if (v->region != SIZE_MAX)
		snprintf(region, sizeof(region), " region %zu/%zu",
			 v->region + 1, t->nr_regions);
	len = snprintf(tail, sizeof(tail), " %.3f %s  ? help  q quit",
		       isinf(v->hi) ? 0 : v->hi, v->hz ? "hz" : "samples");
	/* the legend stays in sight: the file's directory goes first */
	if (slash && (int)(strlen(v->conf->follow ? "[following] " : "") +
			   strlen(name) + strlen(t->label) + strlen(region)) +
		     40 + HEATMAP_LEVELS + len > v->cols)
		name = slash + 1;
	x = line_at(v, 0, TUI_BAR, "%s%s: %s (%zu/%zu)%s heat %.3f ",
		    v->conf->follow ? "[following] " : "", name, t->label,
		    v->cur + 1, v->nr, region, isinf(v->lo) ? 0 : v->lo);
	for (lv = 0; lv < HEATMAP_LEVELS; lv++)
		x = tui_frame_printf(&v->fr, 0, x,
				     (unsigned char)(TUI_LEVEL0 + lv), "%d",
				     lv);
	tui_frame_printf(&v->fr, 0, x, TUI_BAR, "%s", tail);
}

/* The composed screen onto the terminal. */
static void blit(struct view *v)
{
	const struct tui_cell *c;
	chtype ch, attr;
	int y, x;
	unsigned char base;

	for (y = 0; y < v->fr.lines; y++) {
		move(y, 0);
		for (x = 0; x < v->fr.cols; x++) {
			c = tui_frame_at(&v->fr, y, x);
			base = c->role & (unsigned char)~TUI_CURSOR;
			attr = 0;
			if (base == TUI_BOLD)
				attr = A_BOLD;
			else if (base == TUI_BAR)
				attr = v->color ? COLOR_PAIR(PAIR_BAR) :
						  A_REVERSE;
			else if (base == TUI_NONE && v->color)
				attr = COLOR_PAIR(PAIR_NONE);
			else if (base >= TUI_LEVEL0 && v->color)
				attr = COLOR_PAIR(1 + base - TUI_LEVEL0);
			if (c->role & TUI_CURSOR)
				attr |= A_REVERSE | A_BOLD;
			ch = (chtype)(unsigned char)c->ch | attr;
			addch(ch);
		}
	}
	refresh();
}

/* Compose the screen (and show it, on a terminal). */
void view_draw(struct view *v)
{
	if (v->curses && (v->fr.lines != LINES || v->fr.cols != COLS)) {
		tui_frame_release(&v->fr);
		tui_frame_init(&v->fr, LINES, COLS);
	}
	tui_frame_clear(&v->fr);
	if (v->help) {
		draw_help(v);
	} else if (!v->has_hm) {
		line_at(v, 0, TUI_BOLD, "damo heatmap: %s", v->conf->name);
		line_at(v, 1, TUI_TEXT, "%s",
			v->msg[0] ? v->msg : "window too small");
	} else {
		draw_title(v);
		draw_grid(v);
		draw_status(v);
	}
	if (v->curses)
		blit(v);
}
