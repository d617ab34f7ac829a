/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Monitoring regions of one target in flat arrays, and the adaptive-regions
 * algorithms on them: merge with aging, random split, set-ranges and the
 * vaddr even split (docs/kernel-damon.md §4.5, §4.6).
 */
#ifndef DAMO_CORE_MONITOR_REGIONS_H
#define DAMO_CORE_MONITOR_REGIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct damon_addr_range;
struct mon_rand;

/* DAMON_MIN_REGION: PAGE_SIZE on the machines damo serves. */
#define MON_MIN_REGION 4096ULL

struct mon_region {
	uint64_t start;
	uint64_t end;
	uint64_t sampling_addr;
	uint32_t nr_accesses;		/* accessed samples, this aggr */
	uint32_t nr_accesses_bp;	/* pseudo moving sum, x10000 */
	uint32_t age;			/* aggregation intervals */
	uint32_t last_nr_accesses;	/* nr_accesses of the previous aggr */
};

/*
 * Regions sorted by address and non-overlapping.  @spare is the second
 * buffer splits write into; the two swap, so steady-state loops allocate
 * nothing once the capacities have grown to the working size.
 */
struct mon_target {
	struct mon_region *regions;
	size_t nr_regions;
	size_t cap;
	struct mon_region *spare;
	size_t spare_cap;
	bool valid;			/* last target_valid() answer */
};

static inline uint64_t mon_region_sz(const struct mon_region *r)
{
	return r->end - r->start;
}

void mon_target_init(struct mon_target *t);
void mon_target_release(struct mon_target *t);
/* Make room for @n regions in both buffers. */
void mon_target_reserve(struct mon_target *t, size_t n);
uint64_t mon_target_sz(const struct mon_target *t);

/* Insert a new region [start, end) with zero counters at index @i. */
void mon_target_insert(struct mon_target *t, size_t i, uint64_t start,
		       uint64_t end);
/*
 * mon_target_split_at() - damon_split_region_at(): region @i keeps its
 * first @sz_left bytes; the rest becomes region @i + 1 with the same
 * nr_accesses, nr_accesses_bp, last_nr_accesses and age.
 */
void mon_target_split_at(struct mon_target *t, size_t i, uint64_t sz_left);

/*
 * mon_target_merge() - one pass of damon_merge_regions_of(): update each
 * region's age (threshold rule, then the 6.18 zero-crossing rule) and merge
 * it into its left neighbour when adjacent, |nr_accesses difference| <=
 * @thres and the sum stays <= @sz_limit (size-weighted averages).
 */
void mon_target_merge(struct mon_target *t, uint32_t thres,
		      uint64_t sz_limit);
/*
 * mon_target_split() - damon_split_regions_of(): cut each region larger
 * than 2 * @min_sz into up to @nr_subs pieces at random 10..90 % points
 * aligned down to @min_sz (a 3-way split re-splits the left piece).
 */
void mon_target_split(struct mon_target *t, int nr_subs, uint64_t min_sz,
		      struct mon_rand *rnd);
/*
 * mon_target_set_ranges() - damon_set_regions(): drop regions touching no
 * range, stretch the first and last region touching each range to the
 * range's bounds (aligned to @min_sz) and fill holes with new regions; a
 * range no region touches becomes one new region.
 */
void mon_target_set_ranges(struct mon_target *t,
			   const struct damon_addr_range *ranges, size_t nr,
			   uint64_t min_sz);
/*
 * mon_target_add_evenly() - append [start, end) split into about
 * @nr_pieces pieces of align_down(size / nr_pieces, @min_sz) bytes, the
 * last one absorbing the remainder (damon_va_evenly_split_region()).
 */
void mon_target_add_evenly(struct mon_target *t, uint64_t start,
			   uint64_t end, uint64_t nr_pieces, uint64_t min_sz);

#endif /* DAMO_CORE_MONITOR_REGIONS_H */
