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

struct status_args {
	struct damo_ctx *ctx;
	struct backend_args bargs;
	unsigned long watch_s;
	unsigned long count;	/* --watch iterations, 0 = forever */
};

enum {
	OPT_WATCH = 0x400,
	OPT_COUNT,
};

static const struct argp_option status_options[] = {
	{ "watch", OPT_WATCH, "SECONDS", 0,
	  "Print again every SECONDS (JSON: one object a line)", 0 },
	{ "count", OPT_COUNT, "N", 0, "With --watch, stop after N prints", 0 },
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

static void print_minmax(struct out *o, const char *key, uint64_t min,
			 uint64_t max)
{
	out_begin_obj(o, key);
	out_u64(o, "min", min);
	out_u64(o, "max", max);
	out_end_obj(o);
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

static void print_scheme(struct out *o, const struct damos *s)
{
	const struct damos_access_pattern *p = &s->pattern;
	const struct damos_quota *q = &s->quota;
	size_t i;

	out_begin_obj(o, NULL);
	out_str(o, "action", damos_action_name(s->action));
	if (s->has_target_nid)
		out_i64(o, "target_nid", s->target_nid);
	out_begin_obj(o, "access_pattern");
	print_minmax(o, "sz_bytes", p->min_sz_bytes, p->max_sz_bytes);
	print_minmax(o, "nr_accesses_samples", p->min_nr_accesses,
		     p->max_nr_accesses);
	print_minmax(o, "age_aggr_intervals", p->min_age, p->max_age);
	out_end_obj(o);
	out_time(o, "apply_interval_us", s->apply_interval_us, UNITS_US);
	out_begin_obj(o, "quotas");
	out_time(o, "time_ms", q->time_ms, UNITS_MS);
	out_size(o, "sz_bytes", q->sz_bytes);
	out_time(o, "reset_interval_ms", q->reset_interval_ms, UNITS_MS);
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
	out_str(o, "watermarks", damos_wmark_metric_name(s->wmarks.metric));
	out_u64(o, "nr_filters", s->nr_filters);
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
	print_minmax(o, "nr_regions", c->min_nr_regions, c->max_nr_regions);
	out_begin_list(o, "targets");
	for (i = 0; i < c->nr_targets; i++) {
		out_begin_obj(o, NULL);
		if (c->targets[i].has_pid)
			out_i64(o, "pid", c->targets[i].pid);
		out_begin_list(o, "regions");
		for (j = 0; j < c->targets[i].nr_regions; j++) {
			out_begin_obj(o, NULL);
			out_u64(o, "start", c->targets[i].regions[j].start);
			out_u64(o, "end", c->targets[i].regions[j].end);
			out_end_obj(o);
		}
		out_end_list(o);
		out_end_obj(o);
	}
	out_end_list(o);
	out_begin_list(o, "schemes");
	for (i = 0; i < c->nr_schemes; i++)
		print_scheme(o, &c->schemes[i]);
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

static void print_kdamond(struct out *o, const struct backend_status *st)
{
	const struct kdamond *k = &st->k;
	size_t i;

	out_begin_obj(o, NULL);
	damo_id_print(o, "id", st->id);
	if (st->name)
		out_str(o, "name", st->name);
	out_str(o, "backend", backend_kind_name(st->id.kind));
	out_str(o, "state", k->on ? "on" : "off");
	out_i64(o, "pid", k->pid);
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
	out_time(o, "refresh_ms", k->refresh_ms, UNITS_MS);
	out_begin_list(o, "contexts");
	for (i = 0; i < k->nr_ctxs; i++)
		print_ctx(o, &k->ctxs[i]);
	out_end_list(o);
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
				out_i64(o, "kdamond_pid", m[j].kdamond_pid);
			out_end_obj(o);
		}
		out_end_list(o);
		free(m);
	}
}

/* The monitors of backend @b: the one named, or every one. */
static int show_backend(struct status_args *a, struct backend *b)
{
	struct damo_id *ids = NULL;
	size_t n = 0, i;
	int err = 0;

	if (!a->bargs.has_id)
		err = backend_list(b, false, &ids, &n);
	for (i = 0; !err && i < (a->bargs.has_id ? 1 : n); i++) {
		struct backend_status st;

		backend_status_init(&st);
		err = backend_status(b, a->bargs.has_id ? a->bargs.id : ids[i],
				     REFRESH_STATUS, false, &st);
		if (!err)
			print_kdamond(cmd_out(a->ctx), &st);
		backend_status_release(&st);
	}
	free(ids);
	return err;
}

static int show_once(struct status_args *a, struct backend *b, size_t nb)
{
	struct out *o = cmd_out(a->ctx);
	size_t i;
	int err = 0;

	out_begin_obj(o, NULL);
	out_begin_list(o, "kdamonds");
	for (i = 0; i < nb && !err; i++)
		err = show_backend(a, &b[i]);
	out_end_list(o);
	print_modules(o, b, nb);
	out_end_obj(o);
	return err;
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
