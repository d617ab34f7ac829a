/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The access distributions of one snapshot, as report access shows them:
 * percentiles of idle time or temperature over the snapshot's bytes, size
 * histograms over idle time or temperature ranges, and the one-line heat
 * map of the snapshot's address space.  Numbers follow damo's arithmetic,
 * doubles where damo uses Python floats.
 */
#ifndef DAMO_CORE_REPORT_ACCESS_DIST_H
#define DAMO_CORE_REPORT_ACCESS_DIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/report/region.h"

struct record_meta;
struct snapshot;

struct access_dist_params {
	struct report_weights weights;
	const long *percentiles;	/* ascending */
	size_t nr_percentiles;
	/* MIN MAX pairs of times (or temperatures), as given */
	const char *const *hist_ranges;
	size_t nr_hist_ranges;
	bool hist_logscale;
	bool hist_cumulate;
	unsigned int heatmap_width;	/* columns of the heat map */
	bool heatmap_static;		/* the whole range, holes too */
};

/* damo's aggregation time of @s in microseconds (0 without intervals). */
uint64_t access_snapshot_aggr_us(const struct record_meta *meta,
				 const struct snapshot *s);

/*
 * access_dist_percentiles() - damo's percentile walk over the regions of
 * @s by idle time (or @temperature, size weight 0), counting bytes (or
 * with @df_passed the bytes that passed the DAMOS filters): pairs of
 * percentile and value into @pct and @val (room for nr_percentiles).
 * Return: the number of pairs.
 */
size_t access_dist_percentiles(const struct access_dist_params *p,
			       const struct record_meta *meta,
			       const struct snapshot *s, bool temperature,
			       bool df_passed, long *pct, int64_t *val);

/* A histogram bin: bytes of the regions whose metric is in [lo, hi). */
struct access_hist_bin {
	int64_t lo;
	int64_t hi;
	uint64_t sz;
};

/*
 * access_dist_hist() - the size histogram of @s (bins from --hist-ranges,
 * log scale or ten equal ones).  Return: *@nr bins (caller frees), or
 * NULL for a snapshot without regions.
 */
struct access_hist_bin *access_dist_hist(const struct access_dist_params *p,
					 const struct record_meta *meta,
					 const struct snapshot *s,
					 bool temperature, bool df_passed,
					 size_t *nr);

/* One column of the heat map: a temperature, or a hole (is_void). */
struct access_heat_pixel {
	double start;
	double end;
	double temp;
	bool is_void;
};

struct access_heat {
	struct access_heat_pixel *px;	/* owned */
	size_t nr;
	double min_temp;
	double max_temp;
	double unit;			/* bytes a column */
};

/*
 * access_dist_heat() - the heat map of @s (only regions some of which
 * passed the DAMOS filters with @df_passed) into @h.
 * Return: false when there is no region (nothing in @h).
 */
bool access_dist_heat(const struct access_dist_params *p,
		      const struct record_meta *meta, const struct snapshot *s,
		      bool df_passed, struct access_heat *h);
void access_heat_release(struct access_heat *h);

#endif /* DAMO_CORE_REPORT_ACCESS_DIST_H */
