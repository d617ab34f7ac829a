/* SPDX-License-Identifier: GPL-2.0 */
/* The record filter options, parsed into a struct report_filter. */
#include "report_filter.h"

#include <errno.h>
#include <string.h>

#include "cmd/cmd.h"
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

static const struct argp_option filter_options[] = {
	{ NULL, 0, NULL, 0, "Record filters:", 20 },
	{ "sz-region", OPT_SZ_REGION, "MIN MAX", 0,
	  "Keep regions of MIN to MAX bytes", 20 },
	CMD_ALIAS("sz_region", OPT_SZ_REGION),
	{ "access-rate", OPT_ACCESS_RATE, "MIN MAX", 0,
	  "Keep regions of MIN to MAX percent access rate", 20 },
	CMD_ALIAS("access_rate", OPT_ACCESS_RATE),
	{ "age", OPT_AGE, "MIN MAX", 0,
	  "Keep regions of age MIN to MAX (microseconds or '3 s')", 20 },
	{ "address", OPT_ADDRESS, "START END", 0,
	  "Keep the part of regions in [START, END) (repeatable)", 20 },
	{ "sz-snapshot", OPT_SZ_SNAPSHOT, "MIN MAX", 0,
	  "Keep snapshots of MIN to MAX total bytes", 20 },
	CMD_ALIAS("sz_snapshot", OPT_SZ_SNAPSHOT),
	{ "snapshot-time", OPT_SNAPSHOT_TIME, "START END", 0,
	  "Keep snapshots inside [START, END] (absolute ns)", 20 },
	CMD_ALIAS("snapshot_time", OPT_SNAPSHOT_TIME),
	{ "snapshot-idx", OPT_SNAPSHOT_IDX, "FIRST LAST", 0,
	  "Keep the FIRST-th to LAST-th snapshot of each record", 20 },
	CMD_ALIAS("snapshot_idx", OPT_SNAPSHOT_IDX),
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
	if (kind == VAL_PERCENT &&
	    ((r->min != UINT64_MAX && r->min > 100) ||
	     (r->max != UINT64_MAX && r->max > 100))) {
		argp_error(state, "--%s: '%s' is more than 100 %% (access rates are 0 to 100 %%)",
			   opt, r->min > 100 && r->min != UINT64_MAX ? arg :
			   arg2);
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
