/* SPDX-License-Identifier: GPL-2.0 */
/* The record filters, applied to one snapshot at a time. */
#include "filter.h"

#include "core/snapshot.h"

bool report_filter_is_set(const struct report_filter *f)
{
	return f->sz_region.set || f->access_rate.set || f->age.set ||
	       f->nr_addr || f->sz_snapshot.set || f->snapshot_time.set ||
	       f->snapshot_idx.set || f->has_temperature;
}

static bool in_range(const struct report_u64_range *r, uint64_t v)
{
	return !r->set || (r->min <= v && v <= r->max);
}

/* The access pattern filters: --sz_region, --access_rate, --age. */
static bool keep_region(const struct report_filter *f,
			const struct record_meta *meta,
			const struct snap_region *r)
{
	if (!in_range(&f->sz_region, r->end - r->start))
		return false;
	if (!meta->has_intervals)
		return true;
	if (!in_range(&f->access_rate, report_region_percent(meta, r)))
		return false;
	return in_range(&f->age, report_region_age_us(meta, r));
}

static bool keep_temperature(const struct report_filter *f,
			     const struct record_meta *meta,
			     const struct snap_region *r)
{
	static const struct report_weights dflt = { 0, 100, 100 };
	const struct report_weights *w = f->weights ? f->weights : &dflt;
	double t;

	if (!meta->has_intervals)
		return true;
	t = report_region_temperature(meta, r, (double)(r->end - r->start), w);
	return t >= (double)f->min_temperature &&
	       t <= (double)f->max_temperature;
}

/* Keep the regions of @s that @keep takes. */
static void drop_regions(const struct report_filter *f,
			 const struct record_meta *meta, struct snapshot *s,
			 bool (*keep)(const struct report_filter *,
				      const struct record_meta *,
				      const struct snap_region *))
{
	size_t i, n = 0;

	for (i = 0; i < s->nr_regions; i++) {
		if (keep(f, meta, &s->regions[i]))
			s->regions[n++] = s->regions[i];
	}
	if (n == s->nr_regions)
		return;
	s->nr_regions = n;
	s->nr_probes = 0;
}

/* Replace the regions of @s by their parts inside the --address ranges. */
static void clip_addresses(const struct report_filter *f, struct snapshot *s)
{
	struct snapshot in;
	struct snap_region *n;
	size_t i, j;
	uint64_t lo, hi;

	in = *s;
	s->regions = NULL;
	s->nr_regions = 0;
	s->cap_regions = 0;
	for (i = 0; i < in.nr_regions; i++) {
		for (j = 0; j < f->nr_addr; j++) {
			lo = in.regions[i].start > f->addr[j].min ?
				in.regions[i].start : f->addr[j].min;
			hi = in.regions[i].end < f->addr[j].max ?
				in.regions[i].end : f->addr[j].max;
			if (lo >= hi)
				continue;
			n = snapshot_add_region(s);
			*n = in.regions[i];
			n->start = lo;
			n->end = hi;
			if (in.regions[i].end > in.regions[i].start)
				n->sz_filter_passed = (uint64_t)(
					(double)in.regions[i].sz_filter_passed *
					(double)(hi - lo) /
					(double)(in.regions[i].end -
						 in.regions[i].start));
		}
	}
	in.probe_hits = NULL;
	in.nr_probes = 0;
	in.cap_probe_hits = 0;
	snapshot_release(&in);
}

/*
 * damo's order and its meaning of the snapshot's total size: the access
 * pattern filters keep the total of the whole snapshot, the address and
 * temperature filters make it the size of the regions left, and the
 * snapshot size filter sees the total before the temperature filter.
 */
bool report_filter_snapshot(const struct report_filter *f,
			    const struct record_meta *meta, struct snapshot *s,
			    uint64_t idx)
{
	uint64_t start;

	if (!report_filter_is_set(f))
		return true;
	s->total_bytes = snapshot_total_bytes(s);
	drop_regions(f, meta, s, keep_region);
	if (f->nr_addr) {
		clip_addresses(f, s);
		s->total_bytes = SNAP_NONE;
		s->nr_probes = 0;
	}
	if (!in_range(&f->sz_snapshot, snapshot_total_bytes(s)))
		return false;
	start = s->start_ns == SNAP_NONE ? s->end_ns : s->start_ns;
	if (f->snapshot_time.set && (start < f->snapshot_time.min ||
				     s->end_ns > f->snapshot_time.max))
		return false;
	if (!in_range(&f->snapshot_idx, idx))
		return false;
	if (f->has_temperature) {
		drop_regions(f, meta, s, keep_temperature);
		s->total_bytes = SNAP_NONE;
	}
	return true;
}
