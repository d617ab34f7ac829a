/* SPDX-License-Identifier: GPL-2.0 */
/* Region arrays of a monitoring target: merge/age, split, set-ranges. */
#include "core/monitor_regions.h"

#include <stdlib.h>
#include <string.h>

#include "core/damon.h"
#include "core/mon_rand.h"
#include "core/xalloc.h"

static uint64_t align_down(uint64_t v, uint64_t a)
{
	return a ? v / a * a : v;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return a ? (v + a - 1) / a * a : v;
}

void mon_target_init(struct mon_target *t)
{
	memset(t, 0, sizeof(*t));
	t->valid = true;
}

void mon_target_release(struct mon_target *t)
{
	free(t->regions);
	free(t->spare);
	mon_target_init(t);
}

static void grow_to(struct mon_region **v, size_t *cap, size_t n)
{
	size_t c = *cap ? *cap : 16;

	if (n <= *cap)
		return;
	while (c < n)
		c *= 2;
	*v = xreallocarray(*v, c, sizeof(**v));
	*cap = c;
}

void mon_target_reserve(struct mon_target *t, size_t n)
{
	grow_to(&t->regions, &t->cap, n);
	grow_to(&t->spare, &t->spare_cap, n);
}

uint64_t mon_target_sz(const struct mon_target *t)
{
	uint64_t sz = 0;
	size_t i;

	for (i = 0; i < t->nr_regions; i++)
		sz += mon_region_sz(&t->regions[i]);
	return sz;
}

/* Open a hole at @i and return it, uninitialised. */
static struct mon_region *open_at(struct mon_target *t, size_t i)
{
	mon_target_reserve(t, t->nr_regions + 1);
	memmove(&t->regions[i + 1], &t->regions[i],
		(t->nr_regions - i) * sizeof(*t->regions));
	t->nr_regions++;
	return &t->regions[i];
}

void mon_target_insert(struct mon_target *t, size_t i, uint64_t start,
		       uint64_t end)
{
	struct mon_region *r = open_at(t, i);

	memset(r, 0, sizeof(*r));
	r->start = start;
	r->end = end;
}

void mon_target_split_at(struct mon_target *t, size_t i, uint64_t sz_left)
{
	struct mon_region *r;

	open_at(t, i + 1);
	r = &t->regions[i];
	r[1] = r[0];
	r[0].end = r[0].start + sz_left;
	r[1].start = r[0].end;
}

static uint32_t absdiff(uint32_t a, uint32_t b)
{
	return a > b ? a - b : b - a;
}

/* The age rule of damon_merge_regions_of() (6.18 with zero crossing). */
static void update_age(struct mon_region *r, uint32_t thres)
{
	if (absdiff(r->nr_accesses, r->last_nr_accesses) > thres)
		r->age = 0;
	else if ((r->nr_accesses == 0) != (r->last_nr_accesses == 0))
		r->age = 0;
	else
		r->age++;
}

/* damon_merge_two_regions(): fold @r into @l, size-weighted. */
static void merge_two(struct mon_region *l, const struct mon_region *r)
{
	unsigned __int128 sz_l = mon_region_sz(l), sz_r = mon_region_sz(r);

	l->nr_accesses = (uint32_t)((l->nr_accesses * sz_l +
				     r->nr_accesses * sz_r) / (sz_l + sz_r));
	l->nr_accesses_bp = l->nr_accesses * 10000;
	l->age = (uint32_t)((l->age * sz_l + r->age * sz_r) / (sz_l + sz_r));
	l->end = r->end;
}

void mon_target_merge(struct mon_target *t, uint32_t thres,
		      uint64_t sz_limit)
{
	struct mon_region *v = t->regions;
	size_t i, w = 0;

	for (i = 0; i < t->nr_regions; i++) {
		struct mon_region *prev = w ? &v[w - 1] : NULL;

		update_age(&v[i], thres);
		if (prev && prev->end == v[i].start &&
		    absdiff(prev->nr_accesses, v[i].nr_accesses) <= thres &&
		    mon_region_sz(prev) + mon_region_sz(&v[i]) <= sz_limit) {
			merge_two(prev, &v[i]);
			continue;
		}
		if (w != i)
			v[w] = v[i];
		w++;
	}
	t->nr_regions = w;
}

/* Emit region @r cut at the @nr ascending offsets in @cuts into @out. */
static size_t emit_pieces(struct mon_region *out, const struct mon_region *r,
			  const uint64_t *cuts, size_t nr)
{
	size_t k;

	for (k = 0; k <= nr; k++) {
		out[k] = *r;
		out[k].start = k ? r->start + cuts[k - 1] : r->start;
		out[k].end = k < nr ? r->start + cuts[k] : r->end;
	}
	return nr + 1;
}

void mon_target_split(struct mon_target *t, int nr_subs, uint64_t min_sz,
		      struct mon_rand *rnd)
{
	struct mon_region *tmp;
	size_t i, w = 0, cap;
	uint64_t cuts[8];

	if (nr_subs > (int)ARRAY_SIZE(cuts))
		nr_subs = ARRAY_SIZE(cuts);
	mon_target_reserve(t, t->nr_regions * (size_t)nr_subs);
	for (i = 0; i < t->nr_regions; i++) {
		uint64_t sz = mon_region_sz(&t->regions[i]);
		size_t nr_cuts = 0;
		int k;

		for (k = 0; k < nr_subs - 1 && sz > 2 * min_sz; k++) {
			/* left piece: 10..90 % of what is left of the region */
			uint64_t left = (uint64_t)((unsigned __int128)
				mon_rand_range(rnd, 1, 10) * sz / 10);

			left = align_down(left, min_sz);
			if (left == 0 || left >= sz)
				continue;
			/* a later cut re-splits the left piece: keep sorted */
			memmove(&cuts[1], &cuts[0], nr_cuts * sizeof(*cuts));
			cuts[0] = left;
			nr_cuts++;
			sz = left;
		}
		w += emit_pieces(&t->spare[w], &t->regions[i], cuts, nr_cuts);
	}
	tmp = t->regions;
	t->regions = t->spare;
	t->spare = tmp;
	cap = t->cap;
	t->cap = t->spare_cap;
	t->spare_cap = cap;
	t->nr_regions = w;
}

static bool intersects(const struct mon_region *r,
		       const struct damon_addr_range *re)
{
	return !(r->end <= re->start || re->end <= r->start);
}

static bool touches_any(const struct mon_region *r,
			const struct damon_addr_range *ranges, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		if (intersects(r, &ranges[i]))
			return true;
	}
	return false;
}

/* Fill gaps between regions @first..@last; return how many were added. */
static size_t fill_holes(struct mon_target *t, size_t first, size_t last)
{
	size_t i, added = 0;

	for (i = first; i < last + added; i++) {
		uint64_t end = t->regions[i].end;
		uint64_t next = t->regions[i + 1].start;

		/* the kernel tests !=; < keeps stretched overlaps sane */
		if (end < next) {
			mon_target_insert(t, i + 1, end, next);
			added++;
		}
	}
	return added;
}

void mon_target_set_ranges(struct mon_target *t,
			   const struct damon_addr_range *ranges, size_t nr,
			   uint64_t min_sz)
{
	size_t i, w = 0, ri = 0;

	for (i = 0; i < t->nr_regions; i++) {
		if (touches_any(&t->regions[i], ranges, nr))
			t->regions[w++] = t->regions[i];
	}
	t->nr_regions = w;

	for (i = 0; i < nr; i++) {
		const struct damon_addr_range *range = &ranges[i];
		size_t first = SIZE_MAX, last = 0;

		/* like the kernel, resume where the previous range stopped */
		for (; ri < t->nr_regions; ri++) {
			if (intersects(&t->regions[ri], range)) {
				if (first == SIZE_MAX)
					first = ri;
				last = ri;
			}
			if (t->regions[ri].start >= range->end)
				break;
		}
		if (first == SIZE_MAX) {
			mon_target_insert(t, ri,
					  align_down(range->start, min_sz),
					  align_up(range->end, min_sz));
			ri++;
			continue;
		}
		t->regions[first].start = align_down(range->start, min_sz);
		t->regions[last].end = align_up(range->end, min_sz);
		ri += fill_holes(t, first, last);
	}
}

void mon_target_add_evenly(struct mon_target *t, uint64_t start,
			   uint64_t end, uint64_t nr_pieces, uint64_t min_sz)
{
	uint64_t sz_piece, s, k;
	size_t last = t->nr_regions;

	mon_target_insert(t, last, start, end);
	if (nr_pieces <= 1)
		return;
	sz_piece = align_down((end - start) / nr_pieces, min_sz);
	if (!sz_piece)
		return;
	mon_target_reserve(t, t->nr_regions + nr_pieces);
	t->regions[last].end = start + sz_piece;
	for (s = start + sz_piece, k = 1; k < nr_pieces; s += sz_piece, k++) {
		mon_target_insert(t, t->nr_regions, s, s + sz_piece);
		last = t->nr_regions - 1;
	}
	/* the last piece absorbs the rounding remainder */
	t->regions[last].end = end;
}
