/* SPDX-License-Identifier: GPL-2.0 */
/* The viewer's state, shared by its loop (heatview.c) and its drawing. */
#ifndef DAMO_TUI_HEATVIEW_PRIV_H
#define DAMO_TUI_HEATVIEW_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/heatmap.h"
#include "tui/frame.h"
#include "tui/heatview.h"

#define NR_CACHED 8
#define PAIR_NONE (HEATMAP_LEVELS + 1)
#define PAIR_BAR (HEATMAP_LEVELS + 2)

/* A grid computed before, kept to make zooming back and forth instant. */
struct cached_grid {
	size_t target;
	uint64_t t0, t1, a0, a1;
	size_t rows, cols;
	double *heat;		/* owned; NULL: an empty slot */
	bool hz;
	unsigned long used;
};

enum view_action {
	ACT_NONE, ACT_LEFT, ACT_RIGHT, ACT_UP, ACT_DOWN, ACT_PAN_LEFT,
	ACT_PAN_RIGHT, ACT_PAN_UP, ACT_PAN_DOWN, ACT_ZOOM_IN, ACT_ZOOM_OUT,
	ACT_TIME_IN, ACT_TIME_OUT, ACT_ADDR_IN, ACT_ADDR_OUT, ACT_NEXT_REGION,
	ACT_PREV_REGION, ACT_NEXT_TARGET, ACT_PREV_TARGET, ACT_RESET,
	ACT_HELP, ACT_QUIT,
};


/* One key table drives both dispatch and the help screen. */
struct view_key {
	int keys[4];		/* 0-terminated when shorter */
	const char *names;
	const char *help;
	enum view_action act;
};

extern const struct view_key view_keys[];
extern const size_t nr_view_keys;

struct view {
	const struct heatview_ops *ops;
	void *arg;
	const struct heatview_conf *conf;
	struct heatview_target *ts;	/* owned */
	size_t nr;
	size_t cur;			/* target shown */
	size_t region;			/* its region shown, or SIZE_MAX */
	uint64_t t0, t1, a0, a1;	/* the view */
	struct heatmap hm;
	bool has_hm, hz, help, color;
	bool curses;			/* on a terminal, else one screen printed */
	int lines, cols;		/* the screen's size */
	struct tui_frame fr;		/* the screen, composed */
	struct tui_colors colors;
	double lo, hi;
	size_t crow, ccol;		/* the cursor */
	char msg[256];			/* a message for the bottom line */
	struct cached_grid cache[NR_CACHED];
	unsigned long tick;
};

/* Colour pairs for the levels (curses only). */
void view_init_colors(struct view *v);
/* Compose the screen into v->fr (and show it, on a terminal). */
void view_draw(struct view *v);

#endif /* DAMO_TUI_HEATVIEW_PRIV_H */
