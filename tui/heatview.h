/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interactive heatmap viewer (ncurses): a record's heatmap filling the
 * terminal, with zoom, pan, a cursor, jumps between contiguous regions and
 * between targets, and a help screen.  It only draws: the caller's
 * callbacks read the record and bin it (core/heatmap.h) on every change of
 * view, so memory stays one snapshot plus the grids it caches.
 */
#ifndef DAMO_TUI_HEATVIEW_H
#define DAMO_TUI_HEATVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/heatmap_color.h"
#include "core/record_guide.h"

struct heatmap;

/* One record of the file: what Tab goes through. */
struct heatview_target {
	char label[96];			/* "target 0 (kdamond 0, context 0)" */
	uint64_t t0, t1;		/* the record's time */
	struct guide_range *regions;	/* owned; its contiguous regions */
	size_t nr_regions;
	size_t hottest;			/* the region shown first */
};

struct heatview_ops {
	/*
	 * Read the targets into *@ts (*@nr of them, owned by the viewer,
	 * which frees each's regions and the array).  On failure return
	 * -errno with a one-line reason in @msg (@msgsz bytes).
	 */
	int (*load)(void *arg, struct heatview_target **ts, size_t *nr,
		    char *msg, size_t msgsz);
	/*
	 * Bin target @idx into @hm (heatmap_init()ed); *@hz tells whether
	 * the heats are access frequencies (else samples).  Errors as load.
	 */
	int (*bin)(void *arg, size_t idx, struct heatmap *hm, bool *hz,
		   char *msg, size_t msgsz);
	/* Whether the input changed since the last load (for --follow). */
	bool (*changed)(void *arg);
};

struct heatview_conf {
	const char *name;		/* shown in the title: the file */
	enum heatmap_colorset set;
	bool color;			/* false: digits only */
	bool follow;			/* reload when ops->changed() */
	unsigned int follow_ms;		/* how often to ask */
	size_t first;			/* the target shown first */
	/* the view shown first; t1 or a1 0: the target's time, hottest region */
	uint64_t t0, t1, a0, a1;
};

/*
 * heatview_run() - show the viewer on the terminal until the user quits.
 * @ops, @arg: the record (@arg is passed to every callback)
 * Standard input and output must be terminals (the caller checks).
 * Return: 0 when the user quit, -errno when the record could not be read
 * at start (@msg holds why) or the terminal could not be set up.
 */
int heatview_run(const struct heatview_ops *ops, void *arg,
		 const struct heatview_conf *conf, char *msg, size_t msgsz);

/*
 * heatview_render() - the viewer's first screen, of @lines x @cols cells,
 * printed on @out without a terminal: as text with ANSI colours of a
 * terminal of @depth (256 or 8) colours when @conf->color, else plain.
 * The same composition the viewer shows, for scripts and tests.
 * Return: 0, or -errno with @msg as heatview_run().
 */
int heatview_render(const struct heatview_ops *ops, void *arg,
		    const struct heatview_conf *conf, int lines, int cols,
		    int depth, FILE *out, char *msg, size_t msgsz);

#endif /* DAMO_TUI_HEATVIEW_H */
