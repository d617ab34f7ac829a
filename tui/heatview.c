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

#define NR_CACHED 8
#define PAIR_NONE (HEATMAP_LEVELS + 1)
#define PAIR_BAR (HEATMAP_LEVELS + 2)
#define TICK_MS 100

static volatile sig_atomic_t view_stop;

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
static const struct view_key {
	int keys[4];		/* 0-terminated when shorter */
	const char *names;
	const char *help;
	enum view_action act;
} view_keys[] = {
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
	double lo, hi;
	size_t crow, ccol;		/* the cursor */
	char msg[256];			/* a message for the bottom line */
	struct cached_grid cache[NR_CACHED];
	unsigned long tick;
};

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

static int grid_rows(void)
{
	return LINES - 3 > 0 ? LINES - 3 : 0;
}

static int grid_cols(void)
{
	return COLS;
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

	clamp_range(&v->t0, &v->t1, t->t0, t->t1, (uint64_t)grid_rows() + 1);
	clamp_range(&v->a0, &v->a1, span_lo(t), span_hi(t),
		    (uint64_t)grid_cols() + 1);
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
	size_t rows = (size_t)grid_rows(), cols = (size_t)grid_cols();
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

static void init_colors(struct view *v)
{
	static const short basic[HEATMAP_LEVELS] = {
		COLOR_BLACK, COLOR_BLACK, COLOR_BLUE, COLOR_BLUE, COLOR_CYAN,
		COLOR_GREEN, COLOR_GREEN, COLOR_YELLOW, COLOR_YELLOW, COLOR_RED,
	};
	enum heatmap_colorset set = v->conf->set;
	int lv;

	v->color = v->conf->color && has_colors();
	if (!v->color)
		return;
	start_color();
	use_default_colors();
	for (lv = 0; lv < HEATMAP_LEVELS; lv++) {
		if (COLORS >= 256)
			init_pair((short)(1 + lv),
				  (short)heatmap_color_fg256(set, lv),
				  (short)heatmap_color_bg256(set, lv));
		else
			init_pair((short)(1 + lv), COLOR_WHITE, basic[lv]);
	}
	if (COLORS >= 256)
		init_pair(PAIR_NONE, (short)heatmap_color_fg256(set, 4),
			  (short)heatmap_color_bg256(set, 4));
	else
		init_pair(PAIR_NONE, COLOR_WHITE, COLOR_BLACK);
	init_pair(PAIR_BAR, COLOR_BLACK, COLOR_WHITE);
}

/* A line of the screen, cut to its width, the rest cleared. */
static void __attribute__((format(printf, 3, 4)))
line_at(int y, attr_t attr, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	move(y, 0);
	clrtoeol();
	attron(attr);
	addnstr(buf, COLS);
	attroff(attr);
}

static void draw_grid(struct view *v)
{
	size_t i, j;
	double h;
	chtype ch;
	int lv;

	for (i = 0; i < v->hm.rows; i++) {
		move((int)i + 1, 0);
		for (j = 0; j < v->hm.cols; j++) {
			h = heatmap_at(&v->hm, i, j);
			lv = heatmap_level(h, v->lo, v->hi);
			ch = lv < 0 ? ' ' : (chtype)('0' + lv);
			if (v->color)
				ch |= COLOR_PAIR(lv < 0 ? PAIR_NONE : 1 + lv);
			if (i == v->crow && j == v->ccol)
				ch |= A_REVERSE | A_BOLD;
			addch(ch);
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
	line_at(LINES - 2, A_BOLD, "cursor: time [%s, %s) addr [0x%llx, "
		"0x%llx) heat %s", units_fmt_time(b1, t, UNITS_NS, false),
		units_fmt_time(b2, t + hm->tu, UNITS_NS, false),
		(unsigned long long)a, (unsigned long long)(a + hm->au), heat);
	if (v->msg[0]) {
		line_at(LINES - 1, 0, "%s", v->msg);
		return;
	}
	line_at(LINES - 1, 0, "view: time [%s, %s) (%s) addr [0x%llx, 0x%llx) "
		"(%s)", units_fmt_time(b1, hm->t0, UNITS_NS, false),
		units_fmt_time(b2, hm->t0 + hm->tu * hm->rows, UNITS_NS, false),
		units_fmt_time(b3, hm->tu * hm->rows, UNITS_NS, false),
		(unsigned long long)hm->a0,
		(unsigned long long)(hm->a0 + hm->au * hm->cols),
		units_fmt_sz(b4, hm->au * hm->cols, false));
}

static void draw_help(void)
{
	size_t i;
	int y = 2;

	erase();
	line_at(0, A_BOLD, "damo report heatmap --interactive: keys");
	for (i = 0; i < ARRAY_SIZE(view_keys) && y < LINES; i++, y++)
		mvprintw(y, 2, "%-10s %s", view_keys[i].names,
			 view_keys[i].help);
	if (y + 1 < LINES)
		mvprintw(y + 1, 2, "Rows are time (earliest on top), columns "
			 "addresses; digits 0-9 the heat of each cell.");
	refresh();
}

static void draw(struct view *v)
{
	const struct heatview_target *t = &v->ts[v->cur];
	char region[32] = "";

	if (v->help) {
		draw_help();
		return;
	}
	erase();
	if (v->region != SIZE_MAX)
		snprintf(region, sizeof(region), " region %zu/%zu",
			 v->region + 1, t->nr_regions);
	if (!v->has_hm) {
		line_at(0, A_BOLD, "damo heatmap: %s", v->conf->name);
		line_at(1, 0, "%s", v->msg[0] ? v->msg : "window too small");
		refresh();
		return;
	}
	line_at(0, v->color ? COLOR_PAIR(PAIR_BAR) : A_REVERSE,
		"%s%s: %s (%zu/%zu)%s heat %.3f-%.3f %s  ? help  q quit",
		v->conf->follow ? "[following] " : "", v->conf->name, t->label, v->cur + 1, v->nr, region,
		isinf(v->lo) ? 0 : v->lo, isinf(v->hi) ? 0 : v->hi,
		v->hz ? "hz" : "samples");
	draw_grid(v);
	draw_status(v);
	refresh();
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
			compute(v);
			draw(v);
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

int heatview_run(const struct heatview_ops *ops, void *arg,
		 const struct heatview_conf *conf, char *msg, size_t msgsz)
{
	struct view v = { .ops = ops, .arg = arg, .conf = conf };
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
	SCREEN *scr;
	int err;

	err = ops->load(arg, &v.ts, &v.nr, msg, msgsz);
	if (err)
		return err;
	if (!v.nr) {
		free_targets(v.ts, v.nr);
		snprintf(msg, msgsz, "'%s' has no record to show", conf->name);
		return -EINVAL;
	}
	v.cur = conf->first < v.nr ? conf->first : 0;
	reset_view(&v);
	if (conf->t1) {
		v.t0 = conf->t0;
		v.t1 = conf->t1;
	}
	if (conf->a1) {
		v.a0 = conf->a0;
		v.a1 = conf->a1;
		v.region = SIZE_MAX;
	}
	/* newterm(), unlike initscr(), returns rather than exits on failure */
	scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		free_targets(v.ts, v.nr);
		snprintf(msg, msgsz, "cannot use the terminal '%s'",
			 getenv("TERM") ? getenv("TERM") : "");
		return -ENOTTY;
	}
	view_stop = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	timeout(TICK_MS);
	init_colors(&v);
	loop(&v);
	endwin();
	delscreen(scr);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (v.has_hm)
		heatmap_release(&v.hm);
	cache_clear(&v);
	free_targets(v.ts, v.nr);
	return 0;
}
