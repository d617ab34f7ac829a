/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the parts of 'damo report heatmap' share: its options, the choice
 * of the record drawn, and the binning of a record into a map.
 */
#ifndef DAMO_CMD_REPORT_HEATMAP_H
#define DAMO_CMD_REPORT_HEATMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cmd.h"
#include "report_common.h"

struct heatmap;
struct record_guide;
struct guide_range;

enum heatmap_out {
	HEATMAP_OUT_STDOUT,
	HEATMAP_OUT_RAW,
	HEATMAP_OUT_IMAGE,
};

/* How a --time-range or --address-range is relative to something. */
enum heatmap_base {
	HEATMAP_BASE_NONE,	/* absolute values */
	HEATMAP_BASE_GUIDED,	/* the record's start (lowest address) */
	HEATMAP_BASE_GUIDED_END, /* the record's end (times only) */
	HEATMAP_BASE_VALUE,	/* the given number */
};

struct heatmap_range {
	int64_t start, end;	/* relative to the base unless BASE_NONE */
	enum heatmap_base base;
	uint64_t base_value;
};

/* The record chosen: SNAP_NONE for a selector not given. */
struct heatmap_select {
	uint64_t tid;
	uint64_t kdamond_idx;
	uint64_t context_idx;
	uint64_t scheme_idx;
};

struct heatmap_args {
	struct damo_ctx *ctx;
	struct report_opts ro;		/* the record file: ro.input */
	struct report_input *first;	/* its guide pass, kept, or NULL */
	enum heatmap_out out;
	const char *image_path;
	int image_fmt;			/* enum heatmap_image_format, -1 */
	size_t rows, cols;		/* 0: the output's default */
	bool has_time_range;
	struct heatmap_range time_range;
	struct heatmap_range *addr_ranges;	/* owned */
	size_t nr_addr_ranges;
	struct heatmap_select sel;
	bool all;
	bool guide, guide_human;
	bool abs_time, abs_addr;
	bool skip_example;
	int color;			/* 1 always, 0 never, -1 auto */
	int colorset;			/* enum heatmap_colorset; -1 default */
	bool interactive, follow;
	/* --screen: the viewer's first screen printed, of these cells */
	int screen_cols, screen_rows;
};

/* Whether guide @g is of a record that @sel selects. */
bool heatmap_select_matches(const struct heatmap_select *sel,
			    const struct record_guide *g);

/*
 * heatmap_bin_maps() - stream the record of guide @g from a->ro.input
 * (from what a->first kept of it when it can) once into the @nr maps
 * @hms (those with @ok[i]; each binned as its own), and, when
 * @hot is not NULL, find the index into the contiguous regions of @g
 * (record_guide_regions()) of the one of most heat per byte.  *@hz tells
 * whether the heats are access frequencies (else samples).  Problems are
 * reported through the run's output.  Return: 0 or -errno.
 */
int heatmap_bin_maps(struct damo_ctx *ctx, const struct heatmap_args *a,
		     const struct record_guide *g, struct heatmap *hms,
		     const bool *ok, size_t nr, bool *hz, size_t *hot);

/*
 * heatmap_resolve_range() - @r in absolute numbers into @out, its base
 * "guided" being @base_lo and "guided_end" @base_hi.  Return: 0, or
 * -EINVAL when it would start below 0.
 */
int heatmap_resolve_range(const struct heatmap_range *r, uint64_t base_lo,
			  uint64_t base_hi, struct guide_range *out);

/*
 * heatmap_draw_all() - draw the maps @a asks for of the record of @g, to
 * standard output or image files.  Return: 0 or -errno (reported).
 */
int heatmap_draw_all(struct damo_ctx *ctx, const struct heatmap_args *a,
		     const struct record_guide *g);

/*
 * heatmap_view() - the interactive viewer of every record of @a->input,
 * @first (an index into @gs, @nr guides) shown first.  Return: 0 or -errno
 * (reported).
 */
int heatmap_view(struct damo_ctx *ctx, const struct heatmap_args *a,
		 const struct record_guide *gs, size_t nr, size_t first);

#endif /* DAMO_CMD_REPORT_HEATMAP_H */
