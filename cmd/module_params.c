/* SPDX-License-Identifier: GPL-2.0 */
/* DAMON module parameters: values checked and converted, damo's options. */
#include "module_params.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/diag.h"
#include "core/units.h"
#include "core/xalloc.h"

enum param_kind {
	PK_US,		/* a time, in microseconds */
	PK_MS,		/* a time, in milliseconds */
	PK_SIZE,	/* bytes */
	PK_ADDR,	/* a physical address: hex or a size */
	PK_PERMIL,	/* a ratio, in per-mille */
	PK_NR,		/* a count */
	PK_BOOL,	/* Y or N */
	PK_STAT,	/* read-only: what the module reports */
};

static const struct {
	const char *name;
	enum param_kind kind;
} params[] = {
	{ "min_age", PK_US }, { "cold_min_age", PK_US },
	{ "sample_interval", PK_US }, { "aggr_interval", PK_US },
	{ "wmarks_interval", PK_US }, { "quota_mem_pressure_us", PK_US },
	{ "quota_ms", PK_MS }, { "quota_reset_interval_ms", PK_MS },
	{ "quota_sz", PK_SIZE }, { "addr_unit", PK_SIZE },
	{ "monitor_region_start", PK_ADDR }, { "monitor_region_end", PK_ADDR },
	{ "wmarks_high", PK_PERMIL }, { "wmarks_mid", PK_PERMIL },
	{ "wmarks_low", PK_PERMIL }, { "hot_thres_access_freq", PK_PERMIL },
	{ "min_nr_regions", PK_NR }, { "max_nr_regions", PK_NR },
	{ "quota_autotune_feedback", PK_NR },
	{ "enabled", PK_BOOL }, { "skip_anon", PK_BOOL },
	{ "commit_inputs", PK_BOOL }, { "filter_young_pages", PK_BOOL },
	{ "autotune_monitoring_intervals", PK_BOOL },
	{ "kdamond_pid", PK_STAT },
};

static const char *const kind_what[] = {
	[PK_US] = "a time (bare numbers are microseconds)",
	[PK_MS] = "a time (bare numbers are milliseconds)",
	[PK_SIZE] = "a size",
	[PK_ADDR] = "an address",
	[PK_PERMIL] = "a ratio (bare numbers are per-mille, or N%)",
	[PK_NR] = "a number",
	[PK_BOOL] = "a boolean (Y or N)",
	[PK_STAT] = "a value",
};

static int kind_of(const char *param)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(params); i++)
		if (!strcmp(params[i].name, param))
			return (int)params[i].kind;
	/* what the module reports of itself: nr_*, bytes_*, *_exceeds... */
	if (!strncmp(param, "nr_", 3) || !strncmp(param, "bytes_", 6) ||
	    strstr(param, "percentiles") || strstr(param, "estimated"))
		return PK_STAT;
	return -1;
}

static int parse_kind(enum param_kind k, const char *s, uint64_t *v)
{
	switch (k) {
	case PK_US: return units_parse_time(s, UNITS_US, v);
	case PK_MS: return units_parse_time(s, UNITS_MS, v);
	case PK_SIZE: return units_parse_size(s, v);
	case PK_ADDR: return units_parse_addr(s, v);
	case PK_PERMIL: return units_parse_ratio(s, UNITS_PERMIL, v);
	case PK_NR: return units_parse_nr(s, v);
	default: return -EINVAL;
	}
}

char *module_param_value(const char *param, const char *value,
			 struct diag *d)
{
	int kind = kind_of(param);
	uint64_t v;
	bool b;
	int err;

	if (kind == PK_STAT) {
		diag_add(d, "", "%s is what the module reports; it cannot be set",
			 param);
		return NULL;
	}
	if (kind == PK_BOOL || kind < 0) {
		if (!units_parse_bool(value, &b))
			return xstrdup(b ? "Y" : "N");
		if (kind == PK_BOOL) {
			diag_add(d, "", "%s: '%s' is %s", param, value,
				 kind_what[PK_BOOL]);
			return NULL;
		}
		/* a parameter this damo does not know: a whole number */
		kind = PK_NR;
	}
	err = parse_kind((enum param_kind)kind, value, &v);
	if (err == -ERANGE)
		diag_add(d, "", "%s: '%s' does not fit in 64 bits", param,
			 value);
	else if (err)
		diag_add(d, "", "%s: '%s' is not %s", param, value,
			 kind_what[kind]);
	return err ? NULL : xasprintf("%" PRIu64, v);
}

void module_writes_add(struct module_writes *w, const char *param,
		       char *value)
{
	xgrow((void **)&w->v, w->nr, &w->cap, sizeof(*w->v));
	w->v[w->nr].param = param;
	w->v[w->nr++].value = value;
}

void module_writes_release(struct module_writes *w)
{
	size_t i;

	for (i = 0; i < w->nr; i++)
		free(w->v[i].value);
	free(w->v);
	w->v = NULL;
	w->nr = w->cap = 0;
}

/* damo's options: which parameters each writes, for which module. */
enum {
	MO_MIN_AGE = 0x500,
	MO_QUOTA,
	MO_WMARKS,
	MO_INTERVALS,
	MO_NR_REGIONS,
	MO_REGION,
	MO_SKIP_ANON,
	MO_HOT_THRES,
	MO_COLD_MIN_AGE,
};

struct module_opt {
	int key;
	const char *module;		/* NULL: reclaim and lru_sort */
	const char *params[4];
};

static const struct module_opt module_opts[] = {
	{ MO_MIN_AGE, "reclaim", { "min_age" } },
	{ MO_QUOTA, "reclaim",
	  { "quota_ms", "quota_sz", "quota_reset_interval_ms" } },
	{ MO_QUOTA, "lru_sort", { "quota_ms", "quota_reset_interval_ms" } },
	{ MO_WMARKS, NULL,
	  { "wmarks_interval", "wmarks_high", "wmarks_mid", "wmarks_low" } },
	{ MO_INTERVALS, NULL, { "sample_interval", "aggr_interval" } },
	{ MO_NR_REGIONS, NULL, { "min_nr_regions", "max_nr_regions" } },
	{ MO_REGION, NULL, { "monitor_region_start", "monitor_region_end" } },
	{ MO_HOT_THRES, "lru_sort", { "hot_thres_access_freq" } },
	{ MO_COLD_MIN_AGE, "lru_sort", { "cold_min_age" } },
};

#define MO(name, key, arg, doc) { name, key, arg, 0, doc, 0 }
static const struct argp_option mopts_options[] = {
	MO("min-age", MO_MIN_AGE, "TIME",
	   "reclaim: regions not accessed this long are cold (bare: us)"),
	CMD_ALIAS("min_age", MO_MIN_AGE),
	MO("quota", MO_QUOTA, "MS [BYTES] MS",
	   "Time quota, (reclaim:) size quota, and reset interval"),
	MO("wmarks", MO_WMARKS, "US HIGH MID LOW",
	   "Watermarks check interval and free memory marks (per-mille)"),
	MO("monitor-intervals", MO_INTERVALS, "SAMPLE AGGR",
	   "Sampling and aggregation intervals (bare: us)"),
	CMD_ALIAS("monitor_intervals", MO_INTERVALS),
	MO("nr-regions", MO_NR_REGIONS, "MIN MAX",
	   "Minimum and maximum number of regions"),
	CMD_ALIAS("nr_regions", MO_NR_REGIONS),
	MO("monitor-region", MO_REGION, "START END",
	   "Physical address range to monitor"),
	CMD_ALIAS("monitor_region", MO_REGION),
	{ "skip-anon", MO_SKIP_ANON, NULL, 0,
	  "reclaim: leave anonymous pages alone", 0 },
	CMD_ALIAS("skip_anon", MO_SKIP_ANON),
	MO("hot-thres-access-freq", MO_HOT_THRES, "PERMIL",
	   "lru_sort: access frequency from which a region is hot"),
	CMD_ALIAS("hot_thres_access_freq", MO_HOT_THRES),
	MO("cold-min-age", MO_COLD_MIN_AGE, "TIME",
	   "lru_sort: age from which a region is cold (bare: us)"),
	CMD_ALIAS("cold_min_age", MO_COLD_MIN_AGE),
	{ 0 }
};

static const struct module_opt *opt_for(int key, const char *module)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(module_opts); i++)
		if (module_opts[i].key == key &&
		    (!module_opts[i].module ||
		     !strcmp(module_opts[i].module, module)))
			return &module_opts[i];
	return NULL;
}

static const char *opt_name(int key)
{
	const struct argp_option *o;

	for (o = mopts_options; o->name; o++)
		if (o->key == key && !(o->flags & OPTION_ALIAS))
			return o->name;
	return "?";
}

static error_t mopts_parse(int key, char *arg, struct argp_state *state)
{
	struct module_writes *w = state->input;
	const struct module_opt *mo;
	struct diag d;
	size_t n, i;
	char *v;

	if (key == MO_SKIP_ANON) {
		if (!w->module || strcmp(w->module, "reclaim"))
			argp_error(state, "--skip-anon is for module reclaim");
		w->skip_anon = true;
		w->any_option = true;
		return 0;
	}
	if (key < MO_MIN_AGE || key > MO_COLD_MIN_AGE)
		return ARGP_ERR_UNKNOWN;
	mo = w->module ? opt_for(key, w->module) : NULL;
	if (!mo)
		argp_error(state, "--%s is not an option of module %s", opt_name(key),
			   w->module ? w->module : "(none given)");
	for (n = 0; n < 4 && mo->params[n]; n++)
		;
	diag_init(&d);
	for (i = 0; i < n; i++) {
		const char *s = i ? (state->next < state->argc ?
				     state->argv[state->next++] : NULL) : arg;

		if (!s) {
			argp_error(state, "--%s needs %zu values", opt_name(key),
				   n);
			break;
		}
		v = module_param_value(mo->params[i], s, &d);
		if (!v) {
			argp_error(state, "--%s: %s", opt_name(key), d.v[0].msg);
			break;
		}
		module_writes_add(w, mo->params[i], v);
	}
	diag_release(&d);
	w->any_option = true;
	return 0;
}

const struct argp module_opts_argp = {
	.options = mopts_options,
	.parser = mopts_parse,
};
