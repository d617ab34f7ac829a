/* SPDX-License-Identifier: GPL-2.0 */
/* Range arrays and the vaddr three-regions layout for access sources. */
#include "core/access_source.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

void mon_ranges_init(struct mon_ranges *r)
{
	memset(r, 0, sizeof(*r));
}

void mon_ranges_release(struct mon_ranges *r)
{
	free(r->v);
	mon_ranges_init(r);
}

void mon_ranges_push(struct mon_ranges *r, uint64_t start, uint64_t end)
{
	xgrow((void **)&r->v, r->nr, &r->cap, sizeof(*r->v));
	r->v[r->nr].start = start;
	r->v[r->nr].end = end;
	r->nr++;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return a ? (v + a - 1) / a * a : v;
}

static uint64_t range_sz(const struct damon_addr_range *r)
{
	return r->end - r->start;
}

int damon_three_regions(const struct damon_addr_range *maps, size_t nr,
			uint64_t align, struct damon_addr_range out[3])
{
	struct damon_addr_range first = { 0, 0 }, second = { 0, 0 }, tmp;
	size_t i;

	for (i = 1; i < nr; i++) {
		uint64_t gap = maps[i].start - maps[i - 1].end;

		if (maps[i].start < maps[i - 1].end)
			gap = 0;
		if (gap > range_sz(&first)) {
			second = first;
			first.start = maps[i - 1].end;
			first.end = maps[i].start;
		} else if (gap > range_sz(&second)) {
			second.start = maps[i - 1].end;
			second.end = maps[i].start;
		}
	}
	if (!range_sz(&first) || !range_sz(&second))
		return -EINVAL;
	if (first.start > second.start) {
		tmp = first;
		first = second;
		second = tmp;
	}
	out[0].start = align_up(maps[0].start, align);
	out[0].end = align_up(first.start, align);
	out[1].start = align_up(first.end, align);
	out[1].end = align_up(second.start, align);
	out[2].start = align_up(second.end, align);
	out[2].end = align_up(maps[nr - 1].end, align);
	return 0;
}
