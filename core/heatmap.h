/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo's access heatmap: snapshots binned
 * into a time x address grid of pixels, each the access heat averaged over
 * its area, with damo's arithmetic so raw output matches it bit for bit.
 */
#ifndef DAMO_CORE_HEATMAP_H
#define DAMO_CORE_HEATMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/snapshot.h"

struct heatmap {
	uint64_t t0;		/* time of row 0, ns */
	uint64_t tu;		/* ns a row */
	uint64_t a0;		/* address of column 0 */
	uint64_t au;		/* bytes a column */
	size_t rows;
	size_t cols;
	double *heat;		/* rows x cols, row-major; NaN: no heat */
	uint64_t last_end;	/* end of the last snapshot added */
	bool has_last;
	/*
	 * Clip to the ranges: damo truncates bin indexes toward zero, so a
	 * snapshot or region ending less than a cell before the range adds
	 * negative heat to its first row or column.  Raw and map outputs
	 * keep damo's numbers; views that start anywhere set this.
	 */
	bool clip;
};

/*
 * heatmap_init() - an empty map of @rows x @cols over times [@t0, @t1) and
 * addresses [@a0, @a1).  Return: 0, or -EINVAL when a range is narrower
 * than its resolution.
 */
int heatmap_init(struct heatmap *hm, uint64_t t0, uint64_t t1, uint64_t a0,
		 uint64_t a1, size_t rows, size_t cols);
void heatmap_release(struct heatmap *hm);

/*
 * heatmap_add() - add snapshot @s of a record whose intervals are @iv (NULL
 * when unknown: heat is in samples, else in access hz).  Snapshots go in
 * record order.
 */
void heatmap_add(struct heatmap *hm, const struct snapshot *s,
		 const struct damon_intervals *iv);

/*
 * heatmap_span() - the lowest and highest heat of @hm's pixels into *@lo
 * and *@hi (fmin()/fmax() of them: +inf and -inf when no pixel has heat).
 * Return: whether some pixel has heat.
 */
bool heatmap_span(const struct heatmap *hm, double *lo, double *hi);

/* Pixel (@row, @col)'s heat; NaN when nothing touched it. */
double heatmap_at(const struct heatmap *hm, size_t row, size_t col);

/*
 * Python's repr() of a float into @buf (at least 32 bytes): the shortest
 * string that reads back to @v, "4.617940137508048", "0.0", "1e-05",
 * "1.5e+16"; "NaN" for NaN as damo prints it.
 */
const char *heatmap_fmt_float(char *buf, double v);

#endif /* DAMO_CORE_HEATMAP_H */
