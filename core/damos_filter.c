/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMOS filters (docs/kernel-damon.md §5.6): the core list (addr, target) on
 * whole regions, the ops list through the action interface's per-address
 * query, with the first-match-decides and default rules.
 */
#include "core/damos_engine.h"

#include "core/damos_private.h"
#include "core/monitor.h"

static uint64_t align_down(uint64_t v, uint64_t a)
{
	return a ? v / a * a : v;
}

/* damos_filter_match() for core filters; addr splits at its bounds. */
static bool core_filter_match(struct monitor *mon, size_t ti, size_t ri,
			      const struct damos_filter *f)
{
	struct mon_target *t = &mon->targets[ti];
	struct mon_region *r = &t->regions[ri];
	uint64_t start, end;
	bool matched;

	switch (f->type) {
	case DAMOS_FILTER_TARGET:
		matched = ti == f->target_idx;
		break;
	case DAMOS_FILTER_ADDR:
		start = align_down(f->addr_range.start, mon->min_sz_region);
		end = align_down(f->addr_range.end, mon->min_sz_region);
		if (start <= r->start && r->end <= end) {
			matched = true;
		} else if (r->end <= start || end <= r->start) {
			matched = false;
		} else if (r->start < start) {
			/* decide on the part before the range; rest later */
			mon_target_split_at(t, ri, start - r->start);
			matched = false;
		} else {
			mon_target_split_at(t, ri, end - r->start);
			matched = true;
		}
		break;
	default:
		return false;
	}
	return matched == f->matching;
}

bool damos_core_filter_out(struct monitor *mon, size_t ti, size_t ri,
			   struct damos_scheme_state *st)
{
	size_t i;

	st->core_allowed = false;
	for (i = 0; i < st->nr_core_filters; i++) {
		const struct damos_filter *f =
			&st->s.filters[st->core_filters[i]];

		if (core_filter_match(mon, ti, ri, f)) {
			if (f->allow)
				st->core_allowed = true;
			return !f->allow;
		}
	}
	return st->core_default_reject;
}

/*
 * Decide the ops filters at @addr: whether the memory is allowed, and in
 * *run how many bytes from @addr the decision covers.
 */
static bool ops_filters_allow(struct damos_actions *a, size_t ti,
			      const struct damos_scheme_state *st,
			      uint64_t addr, uint64_t end, uint64_t *run)
{
	size_t i;

	*run = end - addr;
	for (i = 0; i < st->nr_ops_filters; i++) {
		const struct damos_filter *f =
			&st->s.filters[st->ops_filters[i]];
		uint64_t len = 0;
		bool match = false;

		if (a->ops->filter_match)
			match = a->ops->filter_match(a, ti, addr, end, f, &len);
		if (len && len < *run)
			*run = len;
		if (match == f->matching)
			return f->allow;
	}
	return !st->ops_default_reject;
}

static uint64_t apply_range(struct damos_actions *a, size_t ti,
			    uint64_t start, uint64_t end,
			    const struct damos_scheme_state *st, size_t si)
{
	if (!a || !a->ops->apply || start >= end)
		return 0;
	return a->ops->apply(a, ti, start, end, &st->s, si);
}

/* Walk the region in runs of equal decision; apply allowed stretches. */
static uint64_t apply_filtered(struct damos_actions *a, size_t ti,
			       const struct mon_region *r,
			       const struct damos_scheme_state *st, size_t si,
			       uint64_t *passed)
{
	uint64_t pos = r->start, from = r->start, applied = 0, run;
	bool in_allowed = false;

	while (pos < r->end) {
		bool allow = ops_filters_allow(a, ti, st, pos, r->end, &run);

		if (allow && !in_allowed)
			from = pos;
		if (!allow && in_allowed)
			applied += apply_range(a, ti, from, pos, st, si);
		in_allowed = allow;
		if (allow)
			*passed += run;
		pos += run;
	}
	if (in_allowed)
		applied += apply_range(a, ti, from, r->end, st, si);
	return applied;
}

uint64_t damos_ops_apply(struct damos_engine *e, struct monitor *mon,
			 size_t ti, size_t ri, size_t si, uint64_t *passed)
{
	struct damos_scheme_state *st = &e->schemes[si];
	const struct mon_region *r = &mon->targets[ti].regions[ri];
	struct damos_actions *a = e->actions;
	enum damos_action act = st->s.action;
	bool honours = a && (a->ops_filter_actions & (1u << act));

	*passed = 0;
	if (!honours)
		return apply_range(a, ti, r->start, r->end, st, si);
	if (st->core_allowed || !st->nr_ops_filters) {
		/* stat only measures when there are ops filters (§5.5) */
		if (act != DAMOS_STAT || st->nr_ops_filters)
			*passed = mon_region_sz(r);
		return apply_range(a, ti, r->start, r->end, st, si);
	}
	return apply_filtered(a, ti, r, st, si, passed);
}
