/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Heatmap models, fed as snapshot sinks: the binning of one record into a
 * map (core/heatmap.c's heatmap_add(), the one binning routine of the
 * text, image and interactive views) and the hottest contiguous region of
 * each record, which "--draw-range hottest" and the viewer start from.
 */
#ifndef DAMO_CORE_REPORT_HEATMAP_H
#define DAMO_CORE_REPORT_HEATMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/heatmap.h"
#include "core/record_guide.h"
#include "core/snap_sink.h"

struct heatmap_bin_rec {
	bool selected;		/* the record of the guide */
	bool has_intervals;
	struct damon_intervals intervals;
};

struct heatmap_bin_model {
	struct snap_sink sink;
	struct heatmap *hm;		/* borrowed */
	const struct record_guide *g;	/* borrowed */
	struct heatmap_bin_rec *recs;
	size_t nr_recs;
	bool hz;	/* heats are access frequencies (else samples) */
};

/* Bin the snapshots of the record of guide @g into @hm (both borrowed). */
void heatmap_bin_model_init(struct heatmap_bin_model *m, struct heatmap *hm,
			    const struct record_guide *g);
void heatmap_bin_model_release(struct heatmap_bin_model *m);

struct heatmap_hot_model {
	struct snap_sink sink;
	const struct record_guide *gs;	/* borrowed */
	size_t nr;
	struct guide_range **cr;	/* per guide: its contiguous regions */
	uint64_t **heat;		/* per guide and region */
	size_t *rec_guide;		/* per record: its guide, or nr */
	size_t nr_recs;
};

/* Find the hottest contiguous region of each of the @nr guides @gs. */
void heatmap_hot_model_init(struct heatmap_hot_model *m,
			    const struct record_guide *gs, size_t nr);
void heatmap_hot_model_release(struct heatmap_hot_model *m);

/*
 * heatmap_hot_model_result() - of guide @gi, the index of its contiguous
 * region (record_guide_regions() order) of most heat per byte.
 */
size_t heatmap_hot_model_result(const struct heatmap_hot_model *m, size_t gi);

#endif /* DAMO_CORE_REPORT_HEATMAP_H */
