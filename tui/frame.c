/* SPDX-License-Identifier: GPL-2.0 */
/* The viewer's screen as cells, and how levels are coloured. */
#include "tui/frame.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

void tui_frame_init(struct tui_frame *f, int lines, int cols)
{
	f->lines = lines > 0 ? lines : 0;
	f->cols = cols > 0 ? cols : 0;
	f->cells = xcalloc(f->lines && f->cols ?
			   (size_t)f->lines * (size_t)f->cols : 1,
			   sizeof(*f->cells));
	tui_frame_clear(f);
}

void tui_frame_release(struct tui_frame *f)
{
	free(f->cells);
	memset(f, 0, sizeof(*f));
}

void tui_frame_clear(struct tui_frame *f)
{
	size_t i, n = (size_t)f->lines * (size_t)f->cols;

	for (i = 0; i < n; i++)
		f->cells[i] = (struct tui_cell){ ' ', TUI_TEXT };
}

struct tui_cell *tui_frame_at(struct tui_frame *f, int y, int x)
{
	if (y < 0 || x < 0 || y >= f->lines || x >= f->cols)
		return NULL;
	return &f->cells[(size_t)y * (size_t)f->cols + (size_t)x];
}

int tui_frame_printf(struct tui_frame *f, int y, int x, unsigned char role,
		     const char *fmt, ...)
{
	char buf[512];
	struct tui_cell *c;
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (i = 0; buf[i]; i++, x++) {
		c = tui_frame_at(f, y, x);
		if (!c)
			break;
		*c = (struct tui_cell){ buf[i], role };
	}
	return x;
}

/* The basic colour (0-7) nearest to @rgb in the xterm palette. */
static int nearest_basic(struct heatmap_rgb rgb)
{
	long best = -1, d;
	int i, at = 0;

	for (i = 0; i < 8; i++) {
		struct heatmap_rgb p = heatmap_xterm_rgb((unsigned int)i);
		long dr = (long)p.r - rgb.r, dg = (long)p.g - rgb.g;
		long db = (long)p.b - rgb.b;

		d = dr * dr + dg * dg + db * db;
		if (best < 0 || d < best) {
			best = d;
			at = i;
		}
	}
	return at;
}

void tui_level_colors(const struct tui_colors *c, int lv, int *fg, int *bg)
{
	struct heatmap_rgb rgb;
	int b;

	/* a cell without data: the set's middle, as the text heatmap has it */
	if (lv < 0)
		lv = 4;
	if (c->depth >= 256) {
		*fg = (int)heatmap_color_fg256(c->set, lv);
		*bg = (int)heatmap_color_bg256(c->set, lv);
		return;
	}
	rgb = heatmap_color_bg(c->set, lv);
	b = nearest_basic(rgb);
	*bg = b;
	/* black digits on the light ones (yellow, cyan, white, green) */
	*fg = b == 2 || b == 3 || b == 6 || b == 7 ? 0 : 7;
}

/* The SGR parameters of @role under @c, into @buf. */
static void sgr(const struct tui_colors *c, unsigned char role, char *buf,
		size_t len)
{
	unsigned char base = role & (unsigned char)~TUI_CURSOR;
	const char *cur = role & TUI_CURSOR ? ";7;1" : "";
	int fg, bg;

	if (base == TUI_BOLD) {
		snprintf(buf, len, "1%s", cur);
	} else if (base == TUI_BAR) {
		snprintf(buf, len, "7%s", cur);
	} else if (base >= TUI_NONE && c->on) {
		tui_level_colors(c, base == TUI_NONE ? -1 : base - TUI_LEVEL0,
				 &fg, &bg);
		if (c->depth >= 256)
			snprintf(buf, len, "38;5;%d;48;5;%d%s", fg, bg, cur);
		else
			snprintf(buf, len, "%d;%d%s", 30 + fg, 40 + bg, cur);
	} else {
		snprintf(buf, len, "%s", *cur ? cur + 1 : "");
	}
}

void tui_frame_dump(const struct tui_frame *f, const struct tui_colors *c,
		    FILE *out)
{
	char now[64], want[64];
	int y, x, end;

	for (y = 0; y < f->lines; y++) {
		const struct tui_cell *row = &f->cells[(size_t)y *
						       (size_t)f->cols];

		for (end = f->cols; end > 0 && row[end - 1].ch == ' ' &&
				    row[end - 1].role == TUI_TEXT; end--)
			;
		now[0] = '\0';
		for (x = 0; x < end; x++) {
			if (c->on) {
				sgr(c, row[x].role, want, sizeof(want));
				if (strcmp(want, now)) {
					fprintf(out, "\033[0%s%sm",
						*want ? ";" : "", want);
					memcpy(now, want, sizeof(now));
				}
			}
			fputc(row[x].ch, out);
		}
		fputs(now[0] ? "\033[0m\n" : "\n", out);
	}
}
