/* SPDX-License-Identifier: GPL-2.0 */
/* The DAMON parameter options: their argp table, parsing and value helpers. */
#include "damon_opts.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/cmd.h"
#include "cmd/damon_opts_internal.h"
#include "core/damon.h"
#include "core/diag.h"
#include "core/units.h"
#include "core/xalloc.h"

/*
 * damo 3.3 options taken so that its command lines are never "unrecognized",
 * and refused (exit 1) with what is not built: its experimental operations
 * attributes and access probes, and its debugfs interface and debug output.
 */
enum {
	DOPT_X_PROBE_FILTER = 0x1f00,
	DOPT_X_NR_PROBE_FILTERS,
	DOPT_X_NR_PROBES,
	DOPT_X_USE_REPORTS,
	DOPT_X_WRITE_ONLY,
	DOPT_X_CPUS,
	DOPT_X_TIDS,
	DOPT_X_SAMPLE_PRIMITIVES,
	DOPT_X_INTERFACE,
	DOPT_X_DEBUG,
	DOPT_X_LAST,
};

static const struct argp_option dopts_options[] = {
	{ NULL, 0, NULL, 0, "Monitoring targets and attributes:", 10 },
	{ "ops", DOPT_OPS, "OPS", 0,
	  "Operations set: vaddr, fvaddr or paddr (default: paddr, or vaddr with a pid)",
	  10 },
	{ "target-pid", DOPT_TARGET_PID, "PID", 0,
	  "Process to monitor (repeat for more targets)", 10 },
	CMD_ALIAS("target_pid", DOPT_TARGET_PID),
	{ "regions", DOPT_REGIONS, "START-END...", 0,
	  "Initial monitoring regions of the i-th target, sorted", 10 },
	{ "numa-node", DOPT_NUMA_NODE, "NID...", 0,
	  "paddr: monitor the memory blocks of these NUMA nodes",
	  10 },
	CMD_ALIAS("numa_node", DOPT_NUMA_NODE),
	{ "monitoring-intervals", DOPT_INTERVALS, "SAMPLE AGGR UPDATE", 0,
	  "Sampling, aggregation and ops update intervals (default: 5ms 100ms 1s; bare numbers are us)",
	  10 },
	CMD_ALIAS("monitoring_intervals", DOPT_INTERVALS),
	{ "sample", DOPT_SAMPLE, "US", OPTION_HIDDEN,
	  "Sampling interval", 10 },
	{ "aggr", DOPT_AGGR, "US", OPTION_HIDDEN,
	  "Aggregation interval", 10 },
	{ "updr", DOPT_UPDR, "US", OPTION_HIDDEN,
	  "Ops update interval", 10 },
	{ "monitoring-intervals-goal", DOPT_INTERVALS_GOAL,
	  "ACCESS_BP AGGRS MIN_SAMPLE MAX_SAMPLE", 0,
	  "Auto-tune the intervals to see ACCESS_BP of accesses per AGGRS aggregations",
	  10 },
	CMD_ALIAS("monitoring_intervals_goal", DOPT_INTERVALS_GOAL),
	{ "monitoring-intervals-autotune", DOPT_AUTOTUNE, NULL, 0,
	  "Auto-tune the intervals with the goal 4% 3 5ms 10s", 10 },
	CMD_ALIAS("monitoring_intervals_autotune", DOPT_AUTOTUNE),
	{ "monitoring-nr-regions-range", DOPT_NR_REGIONS, "MIN MAX", 0,
	  "Minimum and maximum number of regions (default: 10 1000)", 10 },
	CMD_ALIAS("monitoring_nr_regions_range", DOPT_NR_REGIONS),
	{ "minr", DOPT_MINR, "NR", 0, "Minimum number of regions", 10 },
	{ "maxr", DOPT_MAXR, "NR", 0, "Maximum number of regions", 10 },
	{ "refresh-stat", DOPT_REFRESH_STAT, "MS", 0,
	  "Let the kdamond refresh its status every MS (bare numbers are ms)",
	  10 },
	CMD_ALIAS("refresh_stat", DOPT_REFRESH_STAT),
	{ "damon-addr-unit", DOPT_ADDR_UNIT, "BYTES", 0,
	  "Address unit of the context (paddr only; default 1)", 10 },
	CMD_ALIAS("damon_addr_unit", DOPT_ADDR_UNIT),
	{ "obsolete-targets", DOPT_OBSOLETE_TARGETS, "IDX...", 0,
	  "Mark these targets obsolete (online commit)", 10 },
	CMD_ALIAS("obsolete_targets", DOPT_OBSOLETE_TARGETS),
	{ "pause-ctx", DOPT_PAUSE_CTX, "IDX", 0,
	  "Pause the context (only context 0 exists)", 10 },
	CMD_ALIAS("pause_ctx", DOPT_PAUSE_CTX),
	{ "nr-targets", DOPT_NR_TARGETS, "N", 0,
	  "Number of targets of the context (one context only)", 10 },
	CMD_ALIAS("nr_targets", DOPT_NR_TARGETS),
	{ "nr-ctxs", DOPT_NR_CTXS, "N", 0,
	  "Number of contexts of the kdamond (only 1)", 10 },
	CMD_ALIAS("nr_ctxs", DOPT_NR_CTXS),
	{ "nr-schemes", DOPT_NR_SCHEMES, "N", 0,
	  "Number of schemes of the context (one context only)", 10 },
	CMD_ALIAS("nr_schemes", DOPT_NR_SCHEMES),

	{ NULL, 0, NULL, 0,
	  "DAMOS schemes (each --damos-action opens one; the other --damos-* options apply to the schemes in order):",
	  11 },
	{ "damos-action", DOPT_DAMOS_ACTION, "ACTION [NID | ID WEIGHT...]", 0,
	  "Action of a new scheme; migrate_hot/migrate_cold take a node id or destination id and weight pairs",
	  11 },
	CMD_ALIAS("damos_action", DOPT_DAMOS_ACTION),
	{ "damos-sz-region", DOPT_DAMOS_SZ_REGION, "MIN MAX", 0,
	  "Size range of regions to act on", 11 },
	CMD_ALIAS("damos_sz_region", DOPT_DAMOS_SZ_REGION),
	{ "damos-access-rate", DOPT_DAMOS_ACCESS_RATE, "MIN MAX", 0,
	  "Access rate range, in percent of the maximum", 11 },
	CMD_ALIAS("damos_access_rate", DOPT_DAMOS_ACCESS_RATE),
	{ "damos-age", DOPT_DAMOS_AGE, "MIN MAX", 0,
	  "Age range (bare numbers are us)", 11 },
	CMD_ALIAS("damos_age", DOPT_DAMOS_AGE),
	{ "damos-apply-interval", DOPT_DAMOS_APPLY_INTERVAL, "US", 0,
	  "Apply the action every US (default: every aggregation)", 11 },
	CMD_ALIAS("damos_apply_interval", DOPT_DAMOS_APPLY_INTERVAL),
	{ "damos-quotas", DOPT_DAMOS_QUOTAS,
	  "TIME [SIZE [RESET [W_SZ [W_NR_ACCESSES [W_AGE]]]]]", 0,
	  "Quota: time (ms), size, reset interval (ms), weights (permil)", 11 },
	CMD_ALIAS("damos_quotas", DOPT_DAMOS_QUOTAS),
	{ "damos-quota-interval", DOPT_DAMOS_QUOTA_INTERVAL, "MS", 0,
	  "Quota reset interval (instead of --damos-quotas)", 11 },
	CMD_ALIAS("damos_quota_interval", DOPT_DAMOS_QUOTA_INTERVAL),
	{ "damos-quota-time", DOPT_DAMOS_QUOTA_TIME, "MS", 0,
	  "Time quota per reset interval", 11 },
	CMD_ALIAS("damos_quota_time", DOPT_DAMOS_QUOTA_TIME),
	{ "damos-quota-space", DOPT_DAMOS_QUOTA_SPACE, "SIZE", 0,
	  "Size quota per reset interval", 11 },
	CMD_ALIAS("damos_quota_space", DOPT_DAMOS_QUOTA_SPACE),
	{ "damos-quota-weights", DOPT_DAMOS_QUOTA_WEIGHTS,
	  "W_SZ W_NR_ACCESSES W_AGE", 0,
	  "Prioritisation weights in permil (default 1 1 1)", 11 },
	CMD_ALIAS("damos_quota_weights", DOPT_DAMOS_QUOTA_WEIGHTS),
	{ "damos-quota-goal", DOPT_DAMOS_QUOTA_GOAL,
	  "METRIC TARGET [CURRENT | NID [MEMCG_PATH]]", 0,
	  "Quota auto-tuning goal", 11 },
	CMD_ALIAS("damos_quota_goal", DOPT_DAMOS_QUOTA_GOAL),
	{ "damos-nr-quota-goals", DOPT_DAMOS_NR_QUOTA_GOALS, "N...", 0,
	  "Number of --damos-quota-goal of each scheme", 11 },
	CMD_ALIAS("damos_nr_quota_goals", DOPT_DAMOS_NR_QUOTA_GOALS),
	{ "damos-quota-goal-tuner", DOPT_DAMOS_QUOTA_GOAL_TUNER, "TUNER", 0,
	  "Goal tuner: consist or temporal", 11 },
	CMD_ALIAS("damos_quota_goal_tuner", DOPT_DAMOS_QUOTA_GOAL_TUNER),
	{ "damos-quota-fail-charge-ratio", DOPT_DAMOS_FAIL_CHARGE, "NUM DENOM",
	  0, "Charge failed actions to the quota at NUM/DENOM", 11 },
	CMD_ALIAS("damos_quota_fail_charge_ratio", DOPT_DAMOS_FAIL_CHARGE),
	{ "damos-filter", DOPT_DAMOS_FILTER,
	  "allow|reject [none] TYPE [ARGS]...", 0,
	  "Filter: anon, active, young, unmapped, memcg PATH, addr START END, target IDX, hugepage_size MIN MAX",
	  11 },
	CMD_ALIAS("damos_filter", DOPT_DAMOS_FILTER),
	{ "damos-nr-filters", DOPT_DAMOS_NR_FILTERS, "N...", 0,
	  "Number of --damos-filter of each scheme", 11 },
	CMD_ALIAS("damos_nr_filters", DOPT_DAMOS_NR_FILTERS),
	{ "damos-wmarks", DOPT_DAMOS_WMARKS, "METRIC INTERVAL HIGH MID LOW", 0,
	  "Watermarks: none or free_mem_rate, check interval (us), marks (permil)",
	  11 },
	CMD_ALIAS("damos_wmarks", DOPT_DAMOS_WMARKS),
	{ "damos-max-nr-snapshots", DOPT_DAMOS_MAX_NR_SNAPSHOTS, "N", 0,
	  "Deactivate the scheme after N snapshots (0: never)", 11 },
	CMD_ALIAS("damos_max_nr_snapshots", DOPT_DAMOS_MAX_NR_SNAPSHOTS),
	{ "scheme", DOPT_SCHEME, "FILE", 0,
	  "Append the schemes of FILE (a scheme list or a kdamonds document)",
	  11 },
	{ "probe_filter", DOPT_X_PROBE_FILTER, "FILTER", OPTION_HIDDEN, NULL, 0 },
	{ "nr_probe_filters", DOPT_X_NR_PROBE_FILTERS, "N", OPTION_HIDDEN, NULL, 0 },
	{ "nr_probes", DOPT_X_NR_PROBES, "N", OPTION_HIDDEN, NULL, 0 },
	{ "exp_ops_use_reports", DOPT_X_USE_REPORTS, "Y|N", OPTION_HIDDEN, NULL, 0 },
	{ "exp_ops_write_only", DOPT_X_WRITE_ONLY, "Y|N", OPTION_HIDDEN, NULL, 0 },
	{ "exp_ops_cpus", DOPT_X_CPUS, "CPUS", OPTION_HIDDEN, NULL, 0 },
	{ "exp_ops_tids", DOPT_X_TIDS, "TIDS", OPTION_HIDDEN, NULL, 0 },
	{ "sample_primitives", DOPT_X_SAMPLE_PRIMITIVES, "PRIMITIVE",
	  OPTION_HIDDEN, NULL, 0 },
	{ "damon_interface_DEPRECATED", DOPT_X_INTERFACE, "sysfs", OPTION_HIDDEN,
	  NULL, 0 },
	{ "debug_damon", DOPT_X_DEBUG, NULL, OPTION_HIDDEN, NULL, 0 },
	{ "schemes", DOPT_SCHEMES, "FILE|JSON", 0,
	  "As damo's -c: append the schemes of FILE, or of a JSON list of schemes",
	  11 },
	{ NULL, 'c', NULL, OPTION_ALIAS | OPTION_HIDDEN, NULL, 11 },
	{ 0 }
};

static bool is_value(const char *w);

/* Take and refuse damo's options of DOPT_X_*; 0 for sysfs, which is used. */
static error_t refuse_x(int key, const char *arg, struct argp_state *state)
{
	const char *name = NULL, *why;
	const struct argp_option *o;

	for (o = dopts_options; o->name || o->key || o->doc; o++)
		if (o->key == key && o->name)
			name = o->name;
	/* the values, up to the next option */
	while (state->next < state->argc && is_value(state->argv[state->next]))
		state->next++;
	if (key == DOPT_X_INTERFACE) {
		if (arg && !strcmp(arg, "sysfs"))
			return 0;
		why = "this damo drives the DAMON sysfs interface only";
	} else if (key == DOPT_X_DEBUG) {
		why = "not built in damo (C); -v says what is written";
	} else {
		why = "damo 3.3's experimental operations attributes and access probes are not built in damo (C)";
	}
	argp_failure(state, DAMO_EXIT_FAILURE, 0, "--%s%s%s: %s", name,
		     arg ? " " : "", arg ? arg : "", why);
	return EINVAL;
}

/* How many words each option takes (DOPT_MANY: as many as given). */
#define DOPT_MANY 4096

struct dopt_arity {
	int key;
	unsigned short min;
	unsigned short max;
};

static const struct dopt_arity dopt_arities[] = {
	{ DOPT_OPS, 1, 1 },
	{ DOPT_TARGET_PID, 1, 1 },
	{ DOPT_REGIONS, 1, DOPT_MANY },
	{ DOPT_NUMA_NODE, 1, DOPT_MANY },
	{ DOPT_INTERVALS, 3, 3 },
	{ DOPT_SAMPLE, 1, 1 },
	{ DOPT_AGGR, 1, 1 },
	{ DOPT_UPDR, 1, 1 },
	{ DOPT_INTERVALS_GOAL, 4, 4 },
	{ DOPT_AUTOTUNE, 0, 0 },
	{ DOPT_NR_REGIONS, 2, 2 },
	{ DOPT_MINR, 1, 1 },
	{ DOPT_MAXR, 1, 1 },
	{ DOPT_REFRESH_STAT, 1, 1 },
	{ DOPT_ADDR_UNIT, 1, 1 },
	{ DOPT_OBSOLETE_TARGETS, 1, DOPT_MANY },
	{ DOPT_PAUSE_CTX, 1, DOPT_MANY },
	{ DOPT_NR_TARGETS, 1, DOPT_MANY },
	{ DOPT_NR_CTXS, 1, DOPT_MANY },
	{ DOPT_NR_SCHEMES, 1, DOPT_MANY },
	{ DOPT_DAMOS_ACTION, 1, DOPT_MANY },
	{ DOPT_DAMOS_SZ_REGION, 2, 2 },
	{ DOPT_DAMOS_ACCESS_RATE, 2, 2 },
	{ DOPT_DAMOS_AGE, 2, 2 },
	{ DOPT_DAMOS_APPLY_INTERVAL, 1, 1 },
	{ DOPT_DAMOS_QUOTAS, 1, 6 },
	{ DOPT_DAMOS_QUOTA_INTERVAL, 1, 1 },
	{ DOPT_DAMOS_QUOTA_TIME, 1, 1 },
	{ DOPT_DAMOS_QUOTA_SPACE, 1, 1 },
	{ DOPT_DAMOS_QUOTA_WEIGHTS, 3, 3 },
	{ DOPT_DAMOS_QUOTA_GOAL, 2, 4 },
	{ DOPT_DAMOS_NR_QUOTA_GOALS, 1, DOPT_MANY },
	{ DOPT_DAMOS_QUOTA_GOAL_TUNER, 1, 1 },
	{ DOPT_DAMOS_FAIL_CHARGE, 2, 2 },
	{ DOPT_DAMOS_FILTER, 2, DOPT_MANY },
	{ DOPT_DAMOS_NR_FILTERS, 1, DOPT_MANY },
	{ DOPT_DAMOS_WMARKS, 5, 5 },
	{ DOPT_DAMOS_MAX_NR_SNAPSHOTS, 1, 1 },
};

static const struct dopt_arity *arity_of(int key)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(dopt_arities); i++)
		if (dopt_arities[i].key == key)
			return &dopt_arities[i];
	return NULL;
}

const char *dopts_name(int key)
{
	const struct argp_option *o;

	for (o = dopts_options; o->name || o->key || o->doc; o++)
		if (o->key == key && o->name && !(o->flags & OPTION_ALIAS))
			return o->name;
	return "?";
}

/*
 * Whether @w is a further value of a multi-value option rather than the
 * next option: "--x" and "-x" are options, "-", "-1" and "-.5" are values.
 */
static bool is_value(const char *w)
{
	if (w[0] != '-' || !w[1])
		return true;
	if (w[1] == '-')
		return false;
	return isdigit((unsigned char)w[1]) || w[1] == '.';
}

static struct damon_opt_occ *add_occ(struct damon_opts_args *a, int key)
{
	struct damon_opt_occ *o;

	xgrow((void **)&a->occ, a->nr_occ, &a->cap_occ, sizeof(*a->occ));
	o = &a->occ[a->nr_occ++];
	o->key = key;
	o->vals = NULL;
	o->nr_vals = 0;
	return o;
}

static void add_val(struct damon_opt_occ *o, char *w)
{
	o->vals = xreallocarray(o->vals, o->nr_vals + 1, sizeof(*o->vals));
	o->vals[o->nr_vals++] = w;
}

static void add_scheme_file(struct damon_opts_args *a, char *path)
{
	a->scheme_files = xreallocarray(a->scheme_files,
					a->nr_scheme_files + 1,
					sizeof(*a->scheme_files));
	a->scheme_files[a->nr_scheme_files++] = path;
}

static error_t dopts_parse(int key, char *arg, struct argp_state *state)
{
	struct damon_opts_args *a = state->input;
	const struct dopt_arity *ar;
	struct damon_opt_occ *o;
	struct stat st;

	if (key == DOPT_SCHEME) {
		add_scheme_file(a, arg);
		return 0;
	}
	if (key == DOPT_SCHEMES || key == 'c') {
		/* as damo: a file if there is one of that name, else JSON */
		if ((!stat(arg, &st) && S_ISREG(st.st_mode)) ||
		    !strchr("[{", arg[strspn(arg, " \t\n")]) ||
		    !arg[strspn(arg, " \t\n")]) {
			add_scheme_file(a, arg);
			return 0;
		}
		a->scheme_texts = xreallocarray(a->scheme_texts,
						a->nr_scheme_texts + 1,
						sizeof(*a->scheme_texts));
		a->scheme_texts[a->nr_scheme_texts++] = arg;
		return 0;
	}
	if (key >= DOPT_X_PROBE_FILTER && key < DOPT_X_LAST)
		return refuse_x(key, arg, state);
	ar = arity_of(key);
	if (!ar)
		return ARGP_ERR_UNKNOWN;
	o = add_occ(a, key);
	if (arg)
		add_val(o, arg);
	while (o->nr_vals < ar->max && state->next < state->argc &&
	       is_value(state->argv[state->next]))
		add_val(o, state->argv[state->next++]);
	if (o->nr_vals < ar->min) {
		argp_error(state, "--%s needs %s%u values, got %zu",
			   dopts_name(key),
			   ar->min == ar->max ? "" : "at least ", ar->min,
			   o->nr_vals);
		return EINVAL;
	}
	return 0;
}

const struct argp damon_opts_argp = {
	.options = dopts_options,
	.parser = dopts_parse,
};

void damon_opts_args_init(struct damon_opts_args *a)
{
	memset(a, 0, sizeof(*a));
}

void damon_opts_args_release(struct damon_opts_args *a)
{
	size_t i;

	for (i = 0; i < a->nr_occ; i++)
		free(a->occ[i].vals);
	free(a->occ);
	free(a->scheme_files);
	free(a->scheme_texts);
	damon_opts_args_init(a);
}

unsigned int damon_opts_set_target(struct damon_opts_args *a, char *pid)
{
	static char vaddr[] = "vaddr", fvaddr[] = "fvaddr";
	unsigned int replaced = 0;
	bool regions = dopts_count(a, DOPT_REGIONS) > 0;
	struct damon_opt_occ *o;
	size_t i, keep = 0;

	for (i = 0; i < a->nr_occ; i++) {
		o = &a->occ[i];
		if (o->key == DOPT_TARGET_PID)
			replaced |= DAMON_OPTS_SET_PID;
		if (o->key == DOPT_OPS && strcmp(o->vals[0],
						 regions ? "fvaddr" : "vaddr"))
			replaced |= DAMON_OPTS_SET_OPS;
		if (o->key == DOPT_TARGET_PID || o->key == DOPT_OPS) {
			free(o->vals);
			continue;
		}
		a->occ[keep++] = *o;
	}
	a->nr_occ = keep;
	o = add_occ(a, DOPT_OPS);
	add_val(o, regions ? fvaddr : vaddr);
	o = add_occ(a, DOPT_TARGET_PID);
	add_val(o, pid);
	return replaced;
}

bool damon_opts_given(const struct damon_opts_args *a)
{
	return a->nr_occ > 0;
}

size_t dopts_count(const struct damon_opts_args *a, int key)
{
	size_t i, n = 0;

	for (i = 0; i < a->nr_occ; i++)
		n += a->occ[i].key == key;
	return n;
}

const struct damon_opt_occ *dopts_nth(const struct damon_opts_args *a,
				      int key, size_t n)
{
	size_t i;

	for (i = 0; i < a->nr_occ; i++)
		if (a->occ[i].key == key && !n--)
			return &a->occ[i];
	return NULL;
}

void dopts_err(struct diag *d, int key, const char *fmt, ...)
{
	char path[64], msg[512];
	va_list ap;

	snprintf(path, sizeof(path), "--%s", dopts_name(key));
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_add(d, path, "%s", msg);
}

/* Report a value that one of the units_parse_*() refused with @err. */
static int bad_value(struct diag *d, int key, const char *s, int err,
		     const char *what)
{
	if (err == -ERANGE)
		dopts_err(d, key,
			  "'%s' is out of range for %s (it must fit in 64 bits; 'max' is the largest)",
			  s, what);
	else if (err == -EDOM)
		dopts_err(d, key, "'%s' is not a whole number", s);
	else
		dopts_err(d, key, "'%s' is not %s", s, what);
	return err;
}

int dopts_nr(struct diag *d, int key, const char *s, uint64_t *out)
{
	int err = units_parse_nr(s, out);

	return err ? bad_value(d, key, s, err, "a number") : 0;
}

int dopts_i64(struct diag *d, int key, const char *s, const char *what,
	      int64_t *out)
{
	int err = units_parse_i64(s, out);

	return err ? bad_value(d, key, s, err, what) : 0;
}

int dopts_pid(struct diag *d, int key, const char *s, int64_t *out)
{
	int64_t pid;
	int err = units_parse_i64(s, &pid);

	if (err && err != -ERANGE)
		return bad_value(d, key, s, err, "a process id");
	if (err || !damon_pid_valid(pid)) {
		dopts_err(d, key,
			  "'%s' is not a process id (1 to %" PRId64
			  ", below the kernel's pid_max)", s,
			  damon_pid_max() - 1);
		return -ERANGE;
	}
	*out = pid;
	return 0;
}

int dopts_size(struct diag *d, int key, const char *s, uint64_t *out)
{
	int err = units_parse_size(s, out);

	return err ? bad_value(d, key, s, err, "a size") : 0;
}

int dopts_addr(struct diag *d, int key, const char *s, uint64_t *out)
{
	int err = units_parse_addr(s, out);

	return err ? bad_value(d, key, s, err, "an address") : 0;
}

int dopts_time(struct diag *d, int key, const char *s, uint64_t unit_ns,
	       uint64_t *out)
{
	int err = units_parse_time(s, unit_ns, out);

	return err ? bad_value(d, key, s, err, "a time") : 0;
}

int dopts_ratio(struct diag *d, int key, const char *s, uint64_t scale,
		uint64_t *out)
{
	int err = units_parse_ratio(s, scale, out);

	return err ? bad_value(d, key, s, err, "a ratio") : 0;
}

int dopts_percent_bp(struct diag *d, int key, const char *s, uint64_t *out)
{
	char *pct;
	int err;

	if (strchr(s, '%')) {
		err = units_parse_ratio(s, UNITS_BP, out);
	} else {
		/* A bare number is percent: "50" is "50%". */
		pct = xasprintf("%s%%", s);
		err = units_parse_ratio(pct, UNITS_BP, out);
		free(pct);
		/* "min" and "max" do not take a '%'. */
		if (err == -EINVAL)
			err = units_parse_ratio(s, UNITS_BP, out);
	}
	return err ? bad_value(d, key, s, err, "a percentage") : 0;
}

const char *dopts_keywords(char *buf, size_t size, const char *(*name)(int),
			   int nr)
{
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < nr && len < size; i++) {
		int n = snprintf(buf + len, size - len, "%s%s",
				 !i ? "" : i == nr - 1 ? " or " : ", ",
				 name(i));

		if (n < 0)
			break;
		len += (size_t)n;
	}
	return buf;
}
