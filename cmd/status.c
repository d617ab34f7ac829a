/* SPDX-License-Identifier: GPL-2.0 */
/* damo status: what runs, as the kernel holds it, and what schemes did. */
#include "cmd.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/backend_args.h"
#include "cmd/kernel.h"
#include "core/damon.h"
#include "core/diag.h"
#include "core/out.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "formats/config.h"
#include "formats/doc.h"

struct status_args {
	struct damo_ctx *ctx;
	struct backend_args bargs;
	unsigned long watch_s;
	unsigned long count;	/* --watch iterations, 0 = forever */
	bool brief;		/* one line a monitor */
	bool config;		/* what runs, as a configuration */
	struct damon_config cfg;	/* --config: collected */
};

enum {
	OPT_WATCH = 0x400,
	OPT_COUNT,
	OPT_BRIEF,
	OPT_CONFIG,
	OPT_RAW,
};

static const struct argp_option status_options[] = {
	{ "watch", OPT_WATCH, "SECONDS", 0,
	  "Print again every SECONDS (JSON: one object a line)", 0 },
	{ "count", OPT_COUNT, "N", 0, "With --watch, stop after N prints", 0 },
	{ "brief", OPT_BRIEF, NULL, 0,
	  "One line a kdamond or monitor: id, backend, state, pid, owner, "
	  "ops, targets, schemes, bytes applied", 0 },
	{ "raw", OPT_RAW, NULL, 0,
	  "Plain numbers: sizes in bytes, times in their unit, ages in "
	  "aggregation intervals, no thousands separators", 0 },
	{ "config", OPT_CONFIG, NULL, 0,
	  "Print what runs as a kdamonds configuration (YAML; JSON with "
	  "--json) that 'damo start' and 'damo config check' take", 0 },
	{ 0 }
};

static const struct argp_child status_children[] = {
	{ &backend_args_argp, 0, NULL, 0 },
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static error_t status_parse(int key, char *arg, struct argp_state *state)
{
	struct status_args *a = state->input;
	char *end;

	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, status_children, a->ctx);
		state->child_inputs[0] = &a->bargs;
		return 0;
	case OPT_BRIEF:
		a->brief = true;
		return 0;
	case OPT_CONFIG:
		a->config = true;
		return 0;
	case OPT_RAW:
		a->ctx->opts.raw = true;
		return 0;
	case ARGP_KEY_END:
		if (a->brief && a->config)
			argp_error(state, "--brief and --config do not go together");
		if (a->config && a->watch_s)
			argp_error(state, "--config prints once: not with --watch");
		return 0;
	case OPT_WATCH:
	case OPT_COUNT:
		errno = 0;
		if (key == OPT_WATCH)
			a->watch_s = strtoul(arg, &end, 10);
		else
			a->count = strtoul(arg, &end, 10);
		if (errno || *end || !*arg || *arg == '-' ||
		    (key == OPT_WATCH && !a->watch_s))
			argp_error(state, "'%s' is not a positive number", arg);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp status_argp = {
	.options = status_options,
	.parser = status_parse,
	.args_doc = "[ID]",
	.doc = "Show kdamonds and embedded monitors: state, parameters as "
	       "they run, and what each scheme did.\v"
	       "Stats of kdamonds damo started are refreshed first (with the "
	       "update_* state commands, unless the kdamond refreshes itself "
	       "with refresh_ms); kdamonds damo did not start are only read, "
	       "and show what the kernel last refreshed.  The DAMON modules' "
	       "parameters are shown when a module is loaded.  Embedded "
	       "monitors (eN) answer through their control socket; one whose "
	       "target exited shows its last status, state off, and why.\n\n"
	       "Examples:\n"
	       "  damo status\n"
	       "  damo status 0 --json | jq '.kdamonds[0].contexts[0].schemes'\n"
	       "  damo status --watch 5",
	.children = status_children,
};

/* @v as text: "max" for the kernel's maximum of a field, else @fmt'd. */
static const char *fmt_or_max(char buf[UNITS_BUFSZ], uint64_t v,
			      const char *shown)
{
	if (v == DAMON_MAX || v == UINT32_MAX)
		return "max";
	snprintf(buf, UNITS_BUFSZ, "%s", shown);
	return buf;
}

/*
 * A range: {min, max} under @key in JSON, one line "@label: MIN .. MAX"
 * in text, each end as @min_s and @max_s show it (or "max").
 */
static void print_range(struct out *o, const char *key, const char *label,
			uint64_t min, uint64_t max, const char *min_s,
			const char *max_s, const char *unit)
{
	char a[UNITS_BUFSZ], b[UNITS_BUFSZ], line[3 * UNITS_BUFSZ];

	out_json_begin_obj(o, key);
	out_print_u64(o, "min", NULL, min);
	out_print_u64(o, "max", NULL, max);
	out_json_end_obj(o);
	snprintf(line, sizeof(line), "%s .. %s%s", fmt_or_max(a, min, min_s),
		 fmt_or_max(b, max, max_s), unit);
	out_text_field(o, label, line);
}

static void print_count_range(struct out *o, const char *key,
			      const char *label, uint64_t min, uint64_t max,
			      const char *unit)
{
	char a[UNITS_BUFSZ], b[UNITS_BUFSZ];

	print_range(o, key, label, min, max, units_fmt_nr(a, min, true),
		    units_fmt_nr(b, max, true), unit);
}

/* An address range: {start, end} in JSON, "0xSTART-0xEND (SIZE)" in text. */
static void print_addr_range(struct out *o, const char *key,
			     const char *label, uint64_t start, uint64_t end)
{
	char sz[UNITS_BUFSZ], line[2 * UNITS_BUFSZ + 48];

	out_json_begin_obj(o, key);
	out_print_u64(o, "start", NULL, start);
	out_print_u64(o, "end", NULL, end);
	out_json_end_obj(o);
	snprintf(line, sizeof(line), "0x%" PRIx64 "-0x%" PRIx64 " (%s)", start,
		 end, units_fmt_sz(sz, end >= start ? end - start : 0, false));
	out_text_field(o, label, line);
}

/*
 * The access pattern as the kernel holds it (samples, aggregation
 * intervals); in text ages are times (aggregations under --raw).
 */
static void print_pattern(struct out *o, const struct damos_access_pattern *p,
			  const struct damon_intervals *iv)
{
	char a[UNITS_BUFSZ], b[UNITS_BUFSZ];
	uint64_t aggr = iv->aggr_us;

	out_begin_obj(o, "access_pattern");
	print_range(o, "sz_bytes", "sz", p->min_sz_bytes, p->max_sz_bytes,
		    units_fmt_sz(a, p->min_sz_bytes, out_is_raw(o)),
		    units_fmt_sz(b, p->max_sz_bytes, out_is_raw(o)), "");
	print_count_range(o, "nr_accesses_samples", "nr_accesses",
			  p->min_nr_accesses, p->max_nr_accesses,
			  " samples");
	if (out_is_raw(o) || !aggr ||
	    (p->max_age != UINT32_MAX && p->max_age > UINT64_MAX / aggr))
		print_count_range(o, "age_aggr_intervals", "age", p->min_age,
				  p->max_age, " aggregations");
	else
		print_range(o, "age_aggr_intervals", "age", p->min_age,
			    p->max_age,
			    units_fmt_time(a, p->min_age * aggr, UNITS_US,
					   false),
			    units_fmt_time(b, p->max_age == UINT32_MAX ? 0 :
					   p->max_age * aggr, UNITS_US, false),
			    "");
	out_end_obj(o);
}

/* A filter with the keys of a kdamonds document's filters. */
static void print_filter(struct out *o, const struct damos_filter *f)
{
	char sz[2][UNITS_BUFSZ], line[256];
	int n;

	out_json_begin_obj(o, NULL);
	out_print_str(o, "filter_type", NULL, damos_filter_type_name(f->type));
	out_print_num(o, "matching", NULL, f->matching ? "true" : "false");
	out_print_num(o, "allow", NULL, f->allow ? "true" : "false");
	n = snprintf(line, sizeof(line), "%s%s %s",
		     f->allow ? "allow" : "reject",
		     f->matching ? "" : " not",
		     damos_filter_type_name(f->type));
	switch (f->type) {
	case DAMOS_FILTER_MEMCG:
		out_print_str(o, "memcg_path", NULL, f->memcg_path);
		snprintf(line + n, sizeof(line) - (size_t)n, " %s",
			 f->memcg_path ? f->memcg_path : "-");
		break;
	case DAMOS_FILTER_ADDR:
		out_json_begin_list(o, "address_range");
		out_print_u64(o, NULL, NULL, f->addr_range.start);
		out_print_u64(o, NULL, NULL, f->addr_range.end);
		out_json_end_list(o);
		snprintf(line + n, sizeof(line) - (size_t)n,
			 " 0x%" PRIx64 "-0x%" PRIx64, f->addr_range.start,
			 f->addr_range.end);
		break;
	case DAMOS_FILTER_TARGET:
		out_print_u64(o, "damon_target_idx", NULL, f->target_idx);
		snprintf(line + n, sizeof(line) - (size_t)n, " %" PRIu64,
			 f->target_idx);
		break;
	default:
		if (!f->has_hugepage_size)
			break;
		out_json_begin_list(o, "hugepage_size");
		out_print_u64(o, NULL, NULL, f->min_hugepage_sz);
		out_print_u64(o, NULL, NULL, f->max_hugepage_sz);
		out_json_end_list(o);
		snprintf(line + n, sizeof(line) - (size_t)n, " %s .. %s",
			 units_fmt_sz(sz[0], f->min_hugepage_sz, false),
			 units_fmt_sz(sz[1], f->max_hugepage_sz, false));
	}
	out_json_end_obj(o);
	out_text_field(o, NULL, line);
}

static void print_stats(struct out *o, const struct damos *s)
{
	const struct damos_stats *st = &s->stats;

	out_begin_obj(o, "stats");
	out_u64(o, "nr_tried", st->nr_tried);
	out_size(o, "sz_tried", st->sz_tried);
	out_u64(o, "nr_applied", st->nr_applied);
	out_size(o, "sz_applied", st->sz_applied);
	out_size(o, "sz_ops_filter_passed", st->sz_ops_filter_passed);
	out_u64(o, "qt_exceeds", st->qt_exceeds);
	out_u64(o, "nr_snapshots", st->nr_snapshots);
	out_end_obj(o);
	out_size(o, "tried_bytes", s->tried_bytes);
	out_u64(o, "nr_tried_regions", s->nr_tried);
}

static void print_quotas(struct out *o, const struct damos_quota *q)
{
	size_t i;

	out_begin_obj(o, "quotas");
	out_time(o, "time_ms", q->time_ms, UNITS_MS);
	out_size(o, "sz_bytes", q->sz_bytes);
	if (q->reset_interval_ms == DAMON_MAX)
		out_u64_as(o, "reset_interval_ms", NULL, q->reset_interval_ms,
			   "max");
	else
		out_time(o, "reset_interval_ms", q->reset_interval_ms,
			 UNITS_MS);
	out_size(o, "effective_sz_bytes", q->effective_sz_bytes);
	out_begin_list(o, "goals");
	for (i = 0; i < q->nr_goals; i++) {
		out_begin_obj(o, NULL);
		out_str(o, "metric", damos_qgoal_metric_name(q->goals[i].metric));
		out_u64(o, "target_value", q->goals[i].target_value);
		out_u64(o, "current_value", q->goals[i].current_value);
		out_end_obj(o);
	}
	out_end_list(o);
	out_end_obj(o);
}

static void print_scheme(struct out *o, const struct damos *s,
			 const struct damon_intervals *iv)
{
	size_t i;

	out_begin_obj(o, NULL);
	out_str(o, "action", damos_action_name(s->action));
	if (s->has_target_nid)
		out_id_nr(o, "target_nid", s->target_nid);
	print_pattern(o, &s->pattern, iv);
	out_time(o, "apply_interval_us", s->apply_interval_us, UNITS_US);
	print_quotas(o, &s->quota);
	out_str(o, "watermarks", damos_wmark_metric_name(s->wmarks.metric));
	out_u64(o, "nr_filters", s->nr_filters);
	out_begin_list(o, "filters");
	for (i = 0; i < s->nr_filters; i++)
		print_filter(o, &s->filters[i]);
	out_end_list(o);
	print_stats(o, s);
	out_end_obj(o);
}

static void print_ctx(struct out *o, const struct damon_ctx *c)
{
	size_t i, j;

	out_begin_obj(o, NULL);
	out_str(o, "ops", damon_ops_name(c->ops));
	out_begin_obj(o, "intervals");
	out_time(o, "sample_us", c->intervals.sample_us, UNITS_US);
	out_time(o, "aggr_us", c->intervals.aggr_us, UNITS_US);
	out_time(o, "ops_update_us", c->intervals.ops_update_us, UNITS_US);
	out_end_obj(o);
	print_count_range(o, "nr_regions", "nr_regions", c->min_nr_regions,
			  c->max_nr_regions, "");
	out_begin_list(o, "targets");
	for (i = 0; i < c->nr_targets; i++) {
		out_begin_obj(o, NULL);
		if (c->targets[i].has_pid)
			out_id_nr(o, "pid", c->targets[i].pid);
		out_begin_list(o, "regions");
		for (j = 0; j < c->targets[i].nr_regions; j++)
			print_addr_range(o, NULL, NULL,
					 c->targets[i].regions[j].start,
					 c->targets[i].regions[j].end);
		out_end_list(o);
		out_end_obj(o);
	}
	out_end_list(o);
	out_begin_list(o, "schemes");
	for (i = 0; i < c->nr_schemes; i++)
		print_scheme(o, &c->schemes[i], &c->intervals);
	out_end_list(o);
	out_end_obj(o);
}

/*
 * The intervals a monitor achieved, where its backend measures them, and
 * in text a warning when it is behind the ones it was given.
 */
static void print_achieved(struct out *o, const struct backend_status *st)
{
	const struct kdamond *k = &st->k;
	char id[DAMO_ID_BUFSZ], a[UNITS_BUFSZ], b[UNITS_BUFSZ];
	char c[UNITS_BUFSZ], e[UNITS_BUFSZ];

	if (!st->achieved_aggrs)
		return;
	out_begin_obj(o, "achieved_intervals");
	out_time(o, "sample_us", st->achieved_sample_us, UNITS_US);
	out_time(o, "aggr_us", st->achieved_aggr_us, UNITS_US);
	out_u64(o, "aggregations", st->achieved_aggrs);
	out_bool(o, "behind", st->behind);
	out_end_obj(o);
	/* JSON says it in "behind", for programs: no text beside it */
	if (!st->behind || !k->on || !k->nr_ctxs || out_is_json(o))
		return;
	out_warn(o, "%s cannot keep its intervals: its last %" PRIu64 " aggregations took %s each instead of %s (a sample every %s instead of %s); it has more regions than it can sample in time: give it fewer (a lower max nr_regions) or longer intervals",
		 damo_id_str(st->id, id), st->achieved_aggrs,
		 units_fmt_time(a, st->achieved_aggr_us, UNITS_US, false),
		 units_fmt_time(b, k->ctxs[0].intervals.aggr_us, UNITS_US,
				false),
		 units_fmt_time(c, st->achieved_sample_us, UNITS_US, false),
		 units_fmt_time(e, k->ctxs[0].intervals.sample_us, UNITS_US,
				false));
}

/* "on", "off", or "dead" for a monitor gone without a word. */
static const char *state_name(const struct backend_status *st)
{
	return st->dead ? "dead" : st->k.on ? "on" : "off";
}

static void print_kdamond(struct out *o, const struct backend_status *st)
{
	const struct kdamond *k = &st->k;
	size_t i;

	out_begin_obj(o, NULL);
	damo_id_print(o, "id", st->id);
	out_str(o, "backend", backend_kind_name(st->id.kind));
	out_str(o, "state", state_name(st));
	out_id_nr(o, "pid", k->pid);
	out_str(o, "owner", st->owned ? "damo" : "foreign");
	if (st->source) {
		out_str(o, "source", st->source);
		out_str(o, "sees", st->sees ? st->sees : "");
	}
	if (st->has_nr_regions)
		out_u64(o, "nr_regions", st->nr_regions);
	print_achieved(o, st);
	if (st->has_exit_reason && st->exit_reason)
		out_str(o, "exit_reason", st->exit_reason);
	else if (st->has_exit_reason)
		out_null(o, "exit_reason");
	if (k->refresh_ms)
		out_time(o, "refresh_ms", k->refresh_ms, UNITS_MS);
	else
		out_u64_as(o, "refresh_ms", NULL, 0, "off");
	out_bool(o, "stats_refreshed", st->stats_fresh);
	if (!st->stats_fresh && !st->dead)
		out_str(o, "stats_note", k->on ?
			"not refreshed: not damo's kdamond and no refresh_ms; what the kernel was last asked for, maybe never (damo status never writes to a kdamond it did not start)" :
			"not refreshed: the kdamond is off; what the kernel last showed");
	out_begin_list(o, "contexts");
	for (i = 0; i < k->nr_ctxs; i++)
		print_ctx(o, &k->ctxs[i]);
	out_end_list(o);
	out_end_obj(o);
}

/* A short text of what @c monitors: "pid 42", "0x1000-0x2000", "3 regions". */
static void targets_summary(const struct damon_ctx *c, char *buf, size_t len)
{
	size_t i, n = 0, nr_regions = 0;
	int w;

	buf[0] = '\0';
	for (i = 0; i < c->nr_targets; i++) {
		nr_regions += c->targets[i].nr_regions;
		if (!c->targets[i].has_pid || n >= len)
			continue;
		w = snprintf(buf + n, len - n, "%spid %" PRId64, n ? "," : "",
			     c->targets[i].pid);
		n += w > 0 ? (size_t)w : 0;
	}
	if (n || !nr_regions)
		return;
	if (nr_regions == 1)
		snprintf(buf, len, "0x%" PRIx64 "-0x%" PRIx64,
			 c->targets[0].regions[0].start,
			 c->targets[0].regions[0].end);
	else
		snprintf(buf, len, "%zu regions", nr_regions);
}

static const struct out_col brief_cols[] = {
	{ "id", "id", false },
	{ "backend", "backend", false },
	{ "state", "state", false },
	{ "pid", "pid", true },
	{ "owner", "owner", false },
	{ "ops", "ops", false },
	{ "targets", "targets", false },
	{ "schemes", "schemes", false },
	{ "sz_applied", "applied", true },
};

/* One row a monitor: what ip -br is to ip. */
static void print_brief(struct out *o, const struct backend_status *st)
{
	const struct damon_ctx *c = st->k.nr_ctxs ? &st->k.ctxs[0] : NULL;
	char targets[128] = "-", schemes[128] = "-";
	uint64_t applied = 0;
	size_t i, n = 0;
	int w;

	if (c) {
		targets_summary(c, targets, sizeof(targets));
		for (i = 0; i < c->nr_schemes && n < sizeof(schemes); i++) {
			w = snprintf(schemes + n, sizeof(schemes) - n, "%s%s",
				     i ? "," : "",
				     damos_action_name(c->schemes[i].action));
			n += w > 0 ? (size_t)w : 0;
			applied += c->schemes[i].stats.sz_applied;
		}
	}
	out_begin_obj(o, NULL);
	damo_id_print(o, "id", st->id);
	out_str(o, "backend", backend_kind_name(st->id.kind));
	out_str(o, "state", state_name(st));
	out_id_nr(o, "pid", st->k.pid);
	out_str(o, "owner", st->owned ? "damo" : "foreign");
	out_str(o, "ops", c ? damon_ops_name(c->ops) : "-");
	out_str(o, "targets", targets[0] ? targets : "-");
	out_str(o, "schemes", schemes);
	out_size(o, "sz_applied", applied);
	out_bool(o, "stats_refreshed", st->stats_fresh);
	out_end_obj(o);
}

/* The DAMON modules' parameters, where a backend has them. */
static void print_modules(struct out *o, struct backend *b, size_t nb)
{
	struct backend_module *m;
	size_t i, j, n;

	for (i = 0; i < nb; i++) {
		if (!backend_modules(&b[i], &m, &n))
			continue;
		out_begin_list(o, "modules");
		for (j = 0; j < n; j++) {
			out_begin_obj(o, NULL);
			out_str(o, "name", m[j].name);
			out_bool(o, "enabled", m[j].enabled);
			if (m[j].has_kdamond_pid)
				out_id_nr(o, "kdamond_pid", m[j].kdamond_pid);
			out_end_obj(o);
		}
		out_end_list(o);
		free(m);
	}
}

/*
 * The monitors collected, as a kdamonds document that 'damo start' and
 * 'damo config check' take (YAML, JSON under --json).
 */
static int print_config(struct status_args *a)
{
	struct out *o = cmd_out(a->ctx);
	char *text;

	if (!a->cfg.nr_kdamonds) {
		out_error(o, "nothing runs: no configuration to show");
		damon_config_release(&a->cfg);
		return -ENOENT;
	}
	text = config_emit(&a->cfg, out_is_json(o) ? DOC_FMT_JSON :
				    DOC_FMT_YAML, out_is_raw(o));
	out_write(o, text);
	free(text);
	damon_config_release(&a->cfg);
	return 0;
}

/* What one status print does with each monitor's status. */
static void show_one(struct status_args *a, struct backend_status *st)
{
	struct out *o = cmd_out(a->ctx);
	char id[DAMO_ID_BUFSZ];

	if (a->config) {
		/* what runs, as a configuration: a dead one has none */
		if (st->dead || !st->k.nr_ctxs) {
			out_warn(o, "%s is left out: %s", damo_id_str(st->id, id),
				 st->dead ? "it is dead" : "it has no context");
			return;
		}
		*damon_config_add_kdamond(&a->cfg) = st->k;
		kdamond_init(&st->k);
	} else if (a->brief) {
		print_brief(o, st);
	} else {
		print_kdamond(o, st);
	}
}

/*
 * The monitors of backend @b: the one named, or every one.  One that
 * cannot be read is an error, said at the end; the others are shown.
 */
static int show_backend(struct status_args *a, struct backend *b)
{
	struct damo_id *ids = NULL;
	size_t n = 0, i;
	int err = 0, first = 0;

	if (!a->bargs.has_id)
		err = backend_list(b, false, &ids, &n);
	if (err)
		return err;
	for (i = 0; i < (a->bargs.has_id ? 1 : n); i++) {
		struct backend_status st;

		backend_status_init(&st);
		err = backend_status(b, a->bargs.has_id ? a->bargs.id : ids[i],
				     REFRESH_STATUS, false, &st);
		if (!err)
			show_one(a, &st);
		else if (!first)
			first = err;
		backend_status_release(&st);
	}
	free(ids);
	return first;
}

static int show_once(struct status_args *a, struct backend *b, size_t nb)
{
	struct out *o = cmd_out(a->ctx);
	size_t i;
	int err, first = 0;

	if (a->config) {
		damon_config_init(&a->cfg);
		for (i = 0; i < nb; i++) {
			err = show_backend(a, &b[i]);
			first = first ? first : err;
		}
		return first ? first : print_config(a);
	}
	out_begin_obj(o, NULL);
	if (a->brief)
		out_begin_table(o, "kdamonds", brief_cols,
				ARRAY_SIZE(brief_cols));
	else
		out_begin_list(o, "kdamonds");
	/* one backend that cannot be read does not hide the other */
	for (i = 0; i < nb; i++) {
		err = show_backend(a, &b[i]);
		first = first ? first : err;
	}
	if (a->brief)
		out_end_table(o);
	else
		out_end_list(o);
	if (!a->brief)
		print_modules(o, b, nb);
	out_end_obj(o);
	return first;
}

int cmd_status(int argc, char **argv, struct damo_ctx *ctx)
{
	struct status_args a = { .ctx = ctx };
	unsigned long shown = 0;
	struct backend b[2];
	struct timespec ts;
	struct diag d;
	size_t nb = 0, i;
	int err;

	err = cmd_parse(&status_argp, argc, argv, &a);
	if (err)
		return err;
	diag_init(&d);
	err = backend_open_all(cmd_backend_env(ctx), a.bargs.backend,
			       a.bargs.has_id ? &a.bargs.id : NULL, b, &nb,
			       &d);
	while (!err) {
		err = show_once(&a, b, nb);
		if (a.watch_s && !out_is_json(cmd_out(ctx)))
			out_text(cmd_out(ctx), "\n");
		fflush(stdout);
		if (err || !a.watch_s || (a.count && ++shown >= a.count))
			break;
		ts.tv_sec = (time_t)a.watch_s;
		ts.tv_nsec = 0;
		nanosleep(&ts, NULL);
	}
	for (i = 0; i < nb; i++)
		backend_close(&b[i]);
	/* a refresh the kernel refused is a warning: what it holds is shown */
	cmd_diag_report(cmd_out(ctx), &d, !err);
	diag_release(&d);
	return err;
}
