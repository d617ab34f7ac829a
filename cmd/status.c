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
#include "cmd/status.h"
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
		status_print_ctx(o, &k->ctxs[i]);
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
