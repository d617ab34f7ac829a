/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo's record guide: what one record of a
 * recording covers in time and address space, and the contiguous address
 * ranges its snapshots left no hole in.  record_info prints it; heatmaps
 * take their default ranges from it.
 */
#ifndef DAMO_CORE_RECORD_GUIDE_H
#define DAMO_CORE_RECORD_GUIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/snapshot.h"

/* An address range [start, end). */
struct guide_range {
	uint64_t start;
	uint64_t end;
};

struct record_guide {
	uint64_t kdamond_idx;		/* SNAP_NONE when null */
	bool kdamond_is_stat;		/* printed as -1 */
	uint64_t context_idx;		/* SNAP_NONE when null */
	uint64_t scheme_idx;		/* SNAP_NONE when null */
	uint64_t target_id;
	uint64_t start_ns;		/* SNAP_NONE before the first snapshot */
	uint64_t end_ns;
	uint64_t lowest_addr;
	uint64_t highest_addr;
	struct guide_range *gaps;	/* owned; holes no snapshot covered */
	size_t nr_gaps;
	uint64_t nr_snapshots;
	uint64_t nr_regions;
};

/* Start a guide of the record @meta is about. */
void record_guide_init(struct record_guide *g, const struct record_meta *m);
void record_guide_release(struct record_guide *g);

/* Whether @g is the guide of the record @m is about (same four ids). */
bool record_guide_is_of(const struct record_guide *g,
			const struct record_meta *m);

/* Account snapshot @s of the record @m (in record order). */
void record_guide_add(struct record_guide *g, const struct record_meta *m,
		      const struct snapshot *s);

/*
 * The contiguous regions: [lowest, gap0.start], [gap0.end, gap1.start] ...
 * [gapN.end, highest], nr_gaps + 1 of them into @out (caller-sized).
 */
void record_guide_regions(const struct record_guide *g,
			  struct guide_range *out);

/* Total size of the contiguous regions (damo sorts guides by it). */
uint64_t record_guide_space(const struct record_guide *g);

/*
 * record_guide_add_heat() - add to @heat[i] the heat snapshot @s gives the
 * contiguous region @cr[i] (of @nr): size x samples of each accessed
 * region touching it (closed intervals, as damo tests).
 */
void record_guide_add_heat(const struct guide_range *cr, size_t nr,
			   uint64_t *heat, const struct snapshot *s);

#endif /* DAMO_CORE_RECORD_GUIDE_H */
