/* SPDX-License-Identifier: GPL-2.0 */
/* Region metrics and the record filters of damo-compat.md §4.1. */
#include "report_filter.h"

#include <errno.h>
#include <string.h>

#include "core/snapshot.h"
#include "core/units.h"

enum {
	OPT_SZ_REGION = 0x900,
	OPT_ACCESS_RATE,
	OPT_AGE,
	OPT_ADDRESS,
	OPT_SZ_SNAPSHOT,
	OPT_SNAPSHOT_TIME,
	OPT_SNAPSHOT_IDX,
	OPT_TEMPERATURE,
};

#define HIDDEN_ALIAS(name, key, arg) \
	{ name, key, arg, OPTION_ALIAS | OPTION_HIDDEN, NULL, 0 }

static const struct argp_option filter_options[] = {
	{ NULL, 0, NULL, 0, "Record filters:", 20 },
	{ "sz-region", OPT_SZ_REGION, "MIN MAX", 0,
	  "Keep regions of MIN to MAX bytes", 20 },
	HIDDEN_ALIAS("sz_region", OPT_SZ_REGION, "MIN MAX"),
	{ "access-rate", OPT_ACCESS_RATE, "MIN MAX", 0,
	  "Keep regions of MIN to MAX percent access rate", 20 },
	HIDDEN_ALIAS("access_rate", OPT_ACCESS_RATE, "MIN MAX"),
	{ "age", OPT_AGE, "MIN MAX", 0,
	  "Keep regions of age MIN to MAX (microseconds or '3 s')", 20 },
	{ "address", OPT_ADDRESS, "START END", 0,
	  "Keep the part of regions in [START, END) (repeatable)", 20 },
	{ "sz-snapshot", OPT_SZ_SNAPSHOT, "MIN MAX", 0,
	  "Keep snapshots of MIN to MAX total bytes", 20 },
	HIDDEN_ALIAS("sz_snapshot", OPT_SZ_SNAPSHOT, "MIN MAX"),
	{ "snapshot-time", OPT_SNAPSHOT_TIME, "START END", 0,
	  "Keep snapshots inside [START, END] (absolute ns)", 20 },
	HIDDEN_ALIAS("snapshot_time", OPT_SNAPSHOT_TIME, "START END"),
	{ "snapshot-idx", OPT_SNAPSHOT_IDX, "FIRST LAST", 0,
	  "Keep the FIRST-th to LAST-th snapshot of each record", 20 },
	HIDDEN_ALIAS("snapshot_idx", OPT_SNAPSHOT_IDX, "FIRST LAST"),
	{ "temperature", OPT_TEMPERATURE, "MIN MAX", 0,
	  "Keep regions of temperature MIN to MAX", 20 },
	{ 0 }
};

enum val_kind { VAL_SIZE, VAL_PERCENT, VAL_US, VAL_NS, VAL_NR };

static int parse_val(enum val_kind kind, const char *s, uint64_t *v)
{
	switch (kind) {
	case VAL_SIZE:
		return units_parse_size(s, v);
	case VAL_PERCENT:
		return units_parse_ratio(s, UNITS_PERCENT, v);
	case VAL_US:
		return units_parse_time(s, UNITS_US, v);
	case VAL_NS:
		return units_parse_time(s, UNITS_NS, v);
	default:
		return units_parse_nr(s, v);
	}
}

/* The two words of option @opt, the first in @arg, into @r. */
static void parse_pair(struct argp_state *state, const char *opt,
		       const char *arg, enum val_kind kind,
		       struct report_u64_range *r)
{
	const char *arg2;

	if (state->next >= state->argc) {
		argp_error(state, "--%s takes two values", opt);
		return;
	}
	arg2 = state->argv[state->next++];
	if (parse_val(kind, arg, &r->min)) {
		argp_error(state, "--%s: invalid value '%s'", opt, arg);
		return;
	}
	if (parse_val(kind, arg2, &r->max)) {
		argp_error(state, "--%s: invalid value '%s'", opt, arg2);
		return;
	}
	if (r->min > r->max)
		argp_error(state, "--%s: minimum '%s' is above maximum '%s'",
			   opt, arg, arg2);
	r->set = true;
}

static void parse_temperature(struct argp_state *state, const char *arg,
			      struct report_filter *f)
{
	const char *arg2;

	if (state->next >= state->argc) {
		argp_error(state, "--temperature takes two values");
		return;
	}
	arg2 = state->argv[state->next++];
	if (units_parse_i64(arg, &f->min_temperature) ||
	    units_parse_i64(arg2, &f->max_temperature)) {
		argp_error(state, "--temperature: invalid values '%s' '%s'",
			   arg, arg2);
		return;
	}
	if (f->min_temperature > f->max_temperature)
		argp_error(state, "--temperature: minimum '%s' is above maximum '%s'",
			   arg, arg2);
	f->has_temperature = true;
}

static error_t filter_parse(int key, char *arg, struct argp_state *state)
{
	struct report_filter *f = state->input;

	switch (key) {
	case OPT_SZ_REGION:
		parse_pair(state, "sz-region", arg, VAL_SIZE, &f->sz_region);
		return 0;
	case OPT_ACCESS_RATE:
		parse_pair(state, "access-rate", arg, VAL_PERCENT,
			   &f->access_rate);
		return 0;
	case OPT_AGE:
		parse_pair(state, "age", arg, VAL_US, &f->age);
		return 0;
	case OPT_ADDRESS:
		if (f->nr_addr == REPORT_MAX_ADDR_RANGES) {
			argp_error(state, "--address: at most %d ranges",
				   REPORT_MAX_ADDR_RANGES);
			return 0;
		}
		parse_pair(state, "address", arg, VAL_SIZE,
			   &f->addr[f->nr_addr++]);
		return 0;
	case OPT_SZ_SNAPSHOT:
		parse_pair(state, "sz-snapshot", arg, VAL_SIZE, &f->sz_snapshot);
		return 0;
	case OPT_SNAPSHOT_TIME:
		parse_pair(state, "snapshot-time", arg, VAL_NS,
			   &f->snapshot_time);
		return 0;
	case OPT_SNAPSHOT_IDX:
		parse_pair(state, "snapshot-idx", arg, VAL_NR,
			   &f->snapshot_idx);
		return 0;
	case OPT_TEMPERATURE:
		parse_temperature(state, arg, f);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

const struct argp report_filter_argp = {
	.options = filter_options,
	.parser = filter_parse,
};

bool report_filter_is_set(const struct report_filter *f)
{
	return f->sz_region.set || f->access_rate.set || f->age.set ||
	       f->nr_addr || f->sz_snapshot.set || f->snapshot_time.set ||
	       f->snapshot_idx.set || f->has_temperature;
}

uint64_t report_region_percent(const struct record_meta *meta,
			       const struct snap_region *r)
{
	double max_samples;

	if (!meta->has_intervals || !meta->intervals.sample_us ||
	    r->nr_accesses == SNAP_NONE)
		return 0;
	max_samples = (double)meta->intervals.aggr_us /
		      (double)meta->intervals.sample_us;
	return (uint64_t)((double)r->nr_accesses * 100.0 / max_samples);
}

uint64_t report_region_age_us(const struct record_meta *meta,
			      const struct snap_region *r)
{
	if (!meta->has_intervals || r->age == SNAP_NONE)
		return 0;
	return r->age * meta->intervals.aggr_us;
}

double report_region_temperature(const struct record_meta *meta,
				 const struct snap_region *r, double sz,
				 const struct report_weights *w)
{
	uint64_t pct = report_region_percent(meta, r);
	double t;

	t = sz * (double)w->sz + (double)pct * (double)w->rate +
	    (double)report_region_age_us(meta, r) * (double)w->age;
	return pct ? t : -t;
}

uint64_t report_region_idle_us(const struct record_meta *meta,
			       const struct snap_region *r, uint64_t aggr_us)
{
	if (report_region_percent(meta, r))
		return 0;
	return report_region_age_us(meta, r) + aggr_us;
}

static bool in_range(const struct report_u64_range *r, uint64_t v)
{
	return !r->set || (r->min <= v && v <= r->max);
}

static bool keep_region(const struct report_filter *f,
			const struct record_meta *meta,
			const struct snap_region *r)
{
	static const struct report_weights dflt = { 0, 100, 100 };
	const struct report_weights *w = f->weights ? f->weights : &dflt;
	double t;

	if (!in_range(&f->sz_region, r->end - r->start))
		return false;
	if (!meta->has_intervals)
		return true;
	if (!in_range(&f->access_rate, report_region_percent(meta, r)))
		return false;
	if (!in_range(&f->age, report_region_age_us(meta, r)))
		return false;
	if (!f->has_temperature)
		return true;
	t = report_region_temperature(meta, r, (double)(r->end - r->start), w);
	return t >= (double)f->min_temperature &&
	       t <= (double)f->max_temperature;
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

bool report_filter_snapshot(const struct report_filter *f,
			    const struct record_meta *meta, struct snapshot *s,
			    uint64_t idx)
{
	size_t i, n = 0;
	uint64_t start;

	if (!report_filter_is_set(f))
		return true;
	for (i = 0; i < s->nr_regions; i++) {
		if (keep_region(f, meta, &s->regions[i]))
			s->regions[n++] = s->regions[i];
	}
	if (n != s->nr_regions) {
		s->nr_regions = n;
		s->total_bytes = SNAP_NONE;
		s->nr_probes = 0;
	}
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
	return in_range(&f->snapshot_idx, idx);
}
