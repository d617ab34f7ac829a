/* SPDX-License-Identifier: GPL-2.0 */
/* The interactive heatmap viewer: screen, keys, view and grid cache. */
#include "tui/heatview.h"

#include <curses.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/heatmap.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "tui/frame.h"
#include "tui/heatview_priv.h"

#define TICK_MS 100

static volatile sig_atomic_t view_stop;

const struct view_key view_keys[] = {
	{ { KEY_LEFT, 'h' }, "Left h", "cursor to lower addresses", ACT_LEFT },
	{ { KEY_RIGHT, 'l' }, "Right l", "cursor to higher addresses", ACT_RIGHT },
	{ { KEY_UP, 'k' }, "Up k", "cursor to earlier times", ACT_UP },
	{ { KEY_DOWN, 'j' }, "Down j", "cursor to later times", ACT_DOWN },
	{ { 'H' }, "H", "pan to lower addresses", ACT_PAN_LEFT },
	{ { 'L' }, "L", "pan to higher addresses", ACT_PAN_RIGHT },
	{ { 'K', KEY_PPAGE }, "K PgUp", "pan to earlier times", ACT_PAN_UP },
	{ { 'J', KEY_NPAGE }, "J PgDn", "pan to later times", ACT_PAN_DOWN },
	{ { '+', '=', 'i' }, "+ i", "zoom in, time and address", ACT_ZOOM_IN },
	{ { '-', 'o' }, "- o", "zoom out, time and address", ACT_ZOOM_OUT },
	{ { 't' }, "t", "zoom in time", ACT_TIME_IN },
	{ { 'T' }, "T", "zoom out time", ACT_TIME_OUT },
	{ { 'a' }, "a", "zoom in address", ACT_ADDR_IN },
	{ { 'A' }, "A", "zoom out address", ACT_ADDR_OUT },
	{ { 'n' }, "n", "next contiguous region", ACT_NEXT_REGION },
	{ { 'p' }, "p", "previous contiguous region", ACT_PREV_REGION },
	{ { '\t' }, "Tab", "next target", ACT_NEXT_TARGET },
	{ { KEY_BTAB }, "S-Tab", "previous target", ACT_PREV_TARGET },
	{ { 'r', '0' }, "r 0", "reset: whole time, hottest region", ACT_RESET },
	{ { '?' }, "?", "this help (any key closes it)", ACT_HELP },
	{ { 'q', 'Q' }, "q", "quit", ACT_QUIT },
};

const size_t nr_view_keys = ARRAY_SIZE(view_keys);

static void on_signal(int sig)
{
	(void)sig;
	view_stop = 1;
}

static void free_targets(struct heatview_target *ts, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		free(ts[i].regions);
	free(ts);
}

static void cache_clear(struct view *v)
{
	size_t i;

	for (i = 0; i < NR_CACHED; i++) {
		free(v->cache[i].heat);
		v->cache[i].heat = NULL;
	}
}

static int grid_rows(const struct view *v)
{
	return v->lines - 3 > 0 ? v->lines - 3 : 0;
}

static int grid_cols(const struct view *v)
{
	return v->cols;
}

static uint64_t span_lo(const struct heatview_target *t)
{
	return t->regions[0].start;
}

static uint64_t span_hi(const struct heatview_target *t)
{
	return t->regions[t->nr_regions - 1].end;
}

/* Keep [*lo, *hi) at least @min wide and inside [@lim_lo, @lim_hi). */
static void clamp_range(uint64_t *lo, uint64_t *hi, uint64_t lim_lo,
			uint64_t lim_hi, uint64_t min)
{
	uint64_t len = *hi - *lo;

	if (lim_hi - lim_lo < min)
		lim_hi = lim_lo + min;
	if (len < min)
		len = min;
	if (len > lim_hi - lim_lo)
		len = lim_hi - lim_lo;
	if (*lo < lim_lo)
		*lo = lim_lo;
	if (*lo > lim_hi - len)
		*lo = lim_hi - len;
	*hi = *lo + len;
}

static void clamp_view(struct view *v)
{
	const struct heatview_target *t = &v->ts[v->cur];

	clamp_range(&v->t0, &v->t1, t->t0, t->t1, (uint64_t)grid_rows(v) + 1);
	clamp_range(&v->a0, &v->a1, span_lo(t), span_hi(t),
		    (uint64_t)grid_cols(v) + 1);
}

static void reset_view(struct view *v)
{
	const struct heatview_target *t = &v->ts[v->cur];

	v->t0 = t->t0;
	v->t1 = t->t1;
	v->region = t->hottest;
	v->a0 = t->regions[v->region].start;
	v->a1 = t->regions[v->region].end;
	v->crow = 0;
	v->ccol = 0;
}

static struct cached_grid *cache_find(struct view *v)
{
	struct cached_grid *c;
	size_t i;

	for (i = 0; i < NR_CACHED; i++) {
		c = &v->cache[i];
		if (c->heat && c->target == v->cur && c->t0 == v->t0 &&
		    c->t1 == v->t1 && c->a0 == v->a0 && c->a1 == v->a1 &&
		    c->rows == v->hm.rows && c->cols == v->hm.cols)
			return c;
	}
	return NULL;
}

static void cache_put(struct view *v)
{
	struct cached_grid *c = &v->cache[0];
	size_t i, n = v->hm.rows * v->hm.cols;

	for (i = 1; i < NR_CACHED; i++)
		if (!v->cache[i].heat ||
		    (c->heat && v->cache[i].used < c->used))
			c = &v->cache[i];
	free(c->heat);
	*c = (struct cached_grid){ v->cur, v->t0, v->t1, v->a0, v->a1,
				   v->hm.rows, v->hm.cols, NULL, v->hz,
				   ++v->tick };
	c->heat = xreallocarray(NULL, n, sizeof(double));
	memcpy(c->heat, v->hm.heat, n * sizeof(double));
}

/* Recompute the grid of the view for the window's size. */
static void compute(struct view *v)
{
	size_t rows = (size_t)grid_rows(v), cols = (size_t)grid_cols(v);
	struct cached_grid *c;

	if (v->has_hm)
		heatmap_release(&v->hm);
	v->has_hm = false;
	if (!rows || !cols)
		return;
	clamp_view(v);
	if (heatmap_init(&v->hm, v->t0, v->t1, v->a0, v->a1, rows, cols))
		return;
	v->has_hm = true;
	v->hm.clip = true;
	c = cache_find(v);
	if (c) {
		memcpy(v->hm.heat, c->heat, rows * cols * sizeof(double));
		v->hz = c->hz;
		c->used = ++v->tick;
	} else if (v->ops->bin(v->arg, v->cur, &v->hm, &v->hz, v->msg,
			       sizeof(v->msg))) {
		return;
	} else {
		cache_put(v);
	}
	heatmap_span(&v->hm, &v->lo, &v->hi);
	if (v->crow >= rows)
		v->crow = rows - 1;
	if (v->ccol >= cols)
		v->ccol = cols - 1;
}

/* Zoom [*lo, *hi) by @num/@den around cell @at of @n (@num < @den: in). */
static void zoom_range(uint64_t *lo, uint64_t *hi, size_t at, size_t n,
		       uint64_t num, uint64_t den)
{
	uint64_t len = *hi - *lo, nlen = len / den * num, c, off;

	if (!n || !nlen)
		return;
	c = *lo + (uint64_t)((double)len * ((double)at + 0.5) / (double)n);
	off = (uint64_t)((double)nlen * ((double)at + 0.5) / (double)n);
	*lo = c > off ? c - off : 0;
	*hi = *lo + nlen;
}

/* Move [*lo, *hi) by @num quarters (negative: down), not below 0. */
static void pan_range(uint64_t *lo, uint64_t *hi, int num)
{
	uint64_t d = (*hi - *lo) / 4 * (uint64_t)(num < 0 ? -num : num);

	if (num < 0 && d > *lo)
		d = *lo;
	*lo = num < 0 ? *lo - d : *lo + d;
	*hi = num < 0 ? *hi - d : *hi + d;
}

static void move_cursor(struct view *v, int drow, int dcol)
{
	size_t rows = v->hm.rows, cols = v->hm.cols;

	if (drow < 0 && v->crow == 0)
		pan_range(&v->t0, &v->t1, -1);
	else if (drow > 0 && v->crow + 1 >= rows)
		pan_range(&v->t0, &v->t1, 1);
	else
		v->crow = (size_t)((long)v->crow + drow);
	if (dcol < 0 && v->ccol == 0)
		pan_range(&v->a0, &v->a1, -1);
	else if (dcol > 0 && v->ccol + 1 >= cols)
		pan_range(&v->a0, &v->a1, 1);
	else
		v->ccol = (size_t)((long)v->ccol + dcol);
	if (dcol)
		v->region = SIZE_MAX;
}

static void goto_region(struct view *v, int d)
{
	const struct heatview_target *t = &v->ts[v->cur];
	size_t n = t->nr_regions, r = v->region;

	if (r == SIZE_MAX) {
		/* the region under the cursor's address, else the first */
		for (r = 0; r < n && t->regions[r].end <= v->hm.a0 +
						v->ccol * v->hm.au; r++)
			;
		if (r == n)
			r = 0;
		if (d < 0)
			r = (r + 1) % n;
	}
	v->region = (r + n + (size_t)(d < 0 ? n - 1 : 1)) % n;
	v->a0 = t->regions[v->region].start;
	v->a1 = t->regions[v->region].end;
}

static void goto_target(struct view *v, int d)
{
	v->cur = (v->cur + v->nr + (size_t)(d < 0 ? v->nr - 1 : 1)) % v->nr;
	reset_view(v);
}

static enum view_action action_of(int ch)
{
	size_t i, k;

	for (i = 0; i < ARRAY_SIZE(view_keys); i++)
		for (k = 0; k < ARRAY_SIZE(view_keys[i].keys) &&
			    view_keys[i].keys[k]; k++)
			if (view_keys[i].keys[k] == ch)
				return view_keys[i].act;
	return ACT_NONE;
}

/* Apply @act; false to quit. */
static bool apply(struct view *v, enum view_action act)
{
	size_t rows = v->hm.rows, cols = v->hm.cols;

	switch (act) {
	case ACT_LEFT: move_cursor(v, 0, -1); break;
	case ACT_RIGHT: move_cursor(v, 0, 1); break;
	case ACT_UP: move_cursor(v, -1, 0); break;
	case ACT_DOWN: move_cursor(v, 1, 0); break;
	case ACT_PAN_LEFT: pan_range(&v->a0, &v->a1, -2); break;
	case ACT_PAN_RIGHT: pan_range(&v->a0, &v->a1, 2); break;
	case ACT_PAN_UP: pan_range(&v->t0, &v->t1, -2); break;
	case ACT_PAN_DOWN: pan_range(&v->t0, &v->t1, 2); break;
	case ACT_ZOOM_IN:
		zoom_range(&v->t0, &v->t1, v->crow, rows, 1, 2);
		zoom_range(&v->a0, &v->a1, v->ccol, cols, 1, 2);
		break;
	case ACT_ZOOM_OUT:
		zoom_range(&v->t0, &v->t1, v->crow, rows, 2, 1);
		zoom_range(&v->a0, &v->a1, v->ccol, cols, 2, 1);
		break;
	case ACT_TIME_IN: zoom_range(&v->t0, &v->t1, v->crow, rows, 1, 2); break;
	case ACT_TIME_OUT: zoom_range(&v->t0, &v->t1, v->crow, rows, 2, 1); break;
	case ACT_ADDR_IN: zoom_range(&v->a0, &v->a1, v->ccol, cols, 1, 2); break;
	case ACT_ADDR_OUT: zoom_range(&v->a0, &v->a1, v->ccol, cols, 2, 1); break;
	case ACT_NEXT_REGION: goto_region(v, 1); break;
	case ACT_PREV_REGION: goto_region(v, -1); break;
	case ACT_NEXT_TARGET: goto_target(v, 1); break;
	case ACT_PREV_TARGET: goto_target(v, -1); break;
	case ACT_RESET: reset_view(v); break;
	case ACT_HELP: v->help = true; break;
	case ACT_QUIT: return false;
	default: break;
	}
	if (act == ACT_ZOOM_IN || act == ACT_ZOOM_OUT || act == ACT_ADDR_IN ||
	    act == ACT_ADDR_OUT || act == ACT_PAN_LEFT || act == ACT_PAN_RIGHT)
		v->region = SIZE_MAX;
	return true;
}

/* Re-read a changed file, keeping the target and following its end. */
static void reload(struct view *v)
{
	const struct heatview_target *old = &v->ts[v->cur];
	struct heatview_target *ts;
	bool at_end = v->t1 >= old->t1, whole = v->t0 <= old->t0;
	char label[96];
	size_t nr, i;

	if (v->ops->load(v->arg, &ts, &nr, v->msg, sizeof(v->msg)) || !nr) {
		if (!nr && !v->msg[0])
			snprintf(v->msg, sizeof(v->msg), "no record to show");
		return;
	}
	memcpy(label, old->label, sizeof(label));
	free_targets(v->ts, v->nr);
	v->ts = ts;
	v->nr = nr;
	for (i = 0; i < nr && strcmp(ts[i].label, label); i++)
		;
	v->cur = i < nr ? i : 0;
	if (whole)
		v->t0 = ts[v->cur].t0;
	if (at_end)
		v->t1 = ts[v->cur].t1;
	v->msg[0] = '\0';
	cache_clear(v);
}

static void loop(struct view *v)
{
	unsigned int waited = 0;
	bool dirty = true;
	int ch;

	while (!view_stop) {
		if (dirty) {
			v->lines = LINES;
			v->cols = COLS;
			compute(v);
			view_draw(v);
			dirty = false;
		}
		ch = getch();
		if (ch == ERR) {
			waited += TICK_MS;
			if (v->conf->follow && waited >= v->conf->follow_ms) {
				waited = 0;
				if (v->ops->changed(v->arg)) {
					reload(v);
					dirty = true;
				}
			}
			continue;
		}
		if (ch == KEY_RESIZE) {
			dirty = true;
			continue;
		}
		if (v->help) {
			v->help = false;
			dirty = true;
			continue;
		}
		v->msg[0] = '\0';
		if (!apply(v, action_of(ch)))
			break;
		dirty = true;
	}
}

/* The record read and the first view set; -errno with @msg on failure. */
static int view_open(struct view *v, const struct heatview_ops *ops,
		     void *arg, const struct heatview_conf *conf, char *msg,
		     size_t msgsz)
{
	int err;

	*v = (struct view){ .ops = ops, .arg = arg, .conf = conf };
	err = ops->load(arg, &v->ts, &v->nr, msg, msgsz);
	if (err)
		return err;
	if (!v->nr) {
		free_targets(v->ts, v->nr);
		snprintf(msg, msgsz, "'%s' has no record to show", conf->name);
		return -EINVAL;
	}
	v->cur = conf->first < v->nr ? conf->first : 0;
	reset_view(v);
	if (conf->t1) {
		v->t0 = conf->t0;
		v->t1 = conf->t1;
	}
	if (conf->a1) {
		v->a0 = conf->a0;
		v->a1 = conf->a1;
		v->region = SIZE_MAX;
	}
	return 0;
}

static void view_close(struct view *v)
{
	if (v->has_hm)
		heatmap_release(&v->hm);
	cache_clear(v);
	free_targets(v->ts, v->nr);
	tui_frame_release(&v->fr);
}

int heatview_run(const struct heatview_ops *ops, void *arg,
		 const struct heatview_conf *conf, char *msg, size_t msgsz)
{
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
	struct view v;
	SCREEN *scr;
	int err;

	err = view_open(&v, ops, arg, conf, msg, msgsz);
	if (err)
		return err;
	/* newterm(), unlike initscr(), returns rather than exits on failure */
	scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		view_close(&v);
		snprintf(msg, msgsz, "cannot use the terminal '%s'",
			 getenv("TERM") ? getenv("TERM") : "");
		return -ENOTTY;
	}
	v.curses = true;
	view_stop = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	timeout(TICK_MS);
	view_init_colors(&v);
	loop(&v);
	endwin();
	delscreen(scr);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	view_close(&v);
	return 0;
}

int heatview_render(const struct heatview_ops *ops, void *arg,
		    const struct heatview_conf *conf, int lines, int cols,
		    int depth, FILE *out, char *msg, size_t msgsz)
{
	struct view v;
	int err;

	err = view_open(&v, ops, arg, conf, msg, msgsz);
	if (err)
		return err;
	v.lines = lines;
	v.cols = cols;
	v.color = conf->color;
	v.colors = (struct tui_colors){ conf->color, depth, conf->set };
	tui_frame_init(&v.fr, lines, cols);
	compute(&v);
	view_draw(&v);
	tui_frame_dump(&v.fr, &v.colors, out);
	view_close(&v);
	return 0;
}
