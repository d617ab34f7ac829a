/* SPDX-License-Identifier: GPL-2.0 */
/* damo status: what runs, as the kernel holds it, and what schemes did. */
#include "cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kdamond/embedded/embedded.h"
#include "cmd/kernel.h"
#include "core/damon.h"
#include "core/out.h"
#include "core/units.h"
#include "kdamond/sysfs.h"

struct status_args {
	struct damo_ctx *ctx;
	bool has_idx;
	unsigned long idx;
	bool has_eid;
	unsigned long eid;
	enum damo_backend backend;
	unsigned long watch_s;
	unsigned long count;	/* --watch iterations, 0 = forever */
};

enum {
	OPT_WATCH = 0x400,
	OPT_COUNT,
	OPT_BACKEND,
};

static const struct argp_option status_options[] = {
	{ "watch", OPT_WATCH, "SECONDS", 0,
	  "Print again every SECONDS (JSON: one object a line)", 0 },
	{ "count", OPT_COUNT, "N", 0, "With --watch, stop after N prints", 0 },
	{ "backend", OPT_BACKEND, "auto|kernel|embedded", 0,
	  "Show kernel kdamonds, embedded monitors, or both (auto, default)",
	  0 },
	{ 0 }
};

static const struct argp_child status_children[] = {
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
	case OPT_BACKEND:
		if (embedded_parse_backend(arg, &a->backend))
			argp_error(state, "--backend: '%s' is not auto, kernel or embedded",
				   arg);
		return 0;
	case ARGP_KEY_ARG:
		embedded_id_arg(state, arg, &a->has_idx, &a->idx, &a->has_eid,
				&a->eid);
		return 0;
	case ARGP_KEY_END:
		if (a->has_idx && a->backend == BACKEND_EMBEDDED)
			argp_error(state, "kdamond %lu is a kernel one; embedded monitors are eN",
				   a->idx);
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

/* Ask the kernel to refresh what it shows, on kdamonds damo owns. */
static void refresh(struct kernel_run *kr, unsigned long idx)
{
	uint64_t refresh_ms = 0;
	char rel[64];

	snprintf(rel, sizeof(rel), "kdamonds/%lu/refresh_ms", idx);
	sysfs_read_u64(kr->io.root, rel, &refresh_ms);
	if (!kdamond_is_on(&kr->io, idx) || refresh_ms)
		return;
	kdamond_cmd(&kr->io, idx, "update_schemes_stats");
	if (features_has(&kr->feat, "update_schemes_effective_quotas"))
		kdamond_cmd(&kr->io, idx, "update_schemes_effective_quotas");
	if (features_has(&kr->feat, "update_tuned_intervals"))
		kdamond_cmd(&kr->io, idx, "update_tuned_intervals");
	if (features_has(&kr->feat, "update_schemes_tried_bytes"))
		kdamond_cmd(&kr->io, idx, "update_schemes_tried_bytes");
}

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

static void print_kdamond(struct out *o, unsigned long idx,
			  const struct kdamond *k, bool owned,
			  const struct embedded_info *emb)
{
	size_t i;

	out_begin_obj(o, NULL);
	if (emb)
		out_strf(o, "id", "e%lu", emb->id);
	else
		out_u64(o, "id", idx);
	out_str(o, "backend", emb ? "embedded" : "kernel");
	out_str(o, "state", k->on ? "on" : "off");
	out_i64(o, "pid", k->pid);
	out_str(o, "owner", owned ? "damo" : "foreign");
	if (emb) {
		out_str(o, "source", emb->source ? emb->source : "");
		out_str(o, "sees", emb->sees ? emb->sees : "");
		out_u64(o, "nr_regions", emb->nr_regions);
		if (emb->exit_reason)
			out_str(o, "exit_reason", emb->exit_reason);
		else
			out_null(o, "exit_reason");
	}
	out_time(o, "refresh_ms", k->refresh_ms, UNITS_MS);
	out_begin_list(o, "contexts");
	for (i = 0; i < k->nr_ctxs; i++)
		print_ctx(o, &k->ctxs[i]);
	out_end_list(o);
	out_end_obj(o);
}

/* DAMON_RECLAIM / LRU_SORT / STAT parameters, when loaded. */
static void print_modules(struct out *o, struct kernel_run *kr)
{
	static const char *const mods[] = {
		"damon_reclaim", "damon_lru_sort", "damon_stat",
	};
	char rel[128], val[SYSFS_VAL_MAX];
	size_t i;

	out_begin_list(o, "modules");
	for (i = 0; i < sizeof(mods) / sizeof(mods[0]); i++) {
		snprintf(rel, sizeof(rel), "%s/parameters/enabled", mods[i]);
		if (sysfs_read(kr->io.modules, rel, val, sizeof(val)))
			continue;
		out_begin_obj(o, NULL);
		out_str(o, "name", mods[i]);
		out_bool(o, "enabled", val[0] == 'Y' || val[0] == '1');
		snprintf(rel, sizeof(rel), "%s/parameters/kdamond_pid", mods[i]);
		if (!sysfs_read(kr->io.modules, rel, val, sizeof(val)))
			out_i64(o, "kdamond_pid", strtoll(val, NULL, 10));
		out_end_obj(o);
	}
	out_end_list(o);
}

static int show_embedded(struct status_args *a, struct kernel_run *kr)
{
	struct out *o = cmd_out(kr->ctx);
	unsigned long *ids = NULL;
	size_t n, i;
	int err = 0;

	if (a->has_eid) {
		ids = malloc(sizeof(*ids));
		if (!ids)
			abort();
		ids[0] = a->eid;
		n = 1;
	} else {
		n = embedded_ids(kr->rundir, &ids);
	}
	for (i = 0; i < n && !err; i++) {
		struct embedded_info info;
		struct kdamond k;

		kdamond_init(&k);
		err = embedded_status(kr->rundir, ids[i], &k, &info,
				      &kr->diag);
		if (!err)
			print_kdamond(o, 0, &k, true, &info);
		kdamond_release(&k);
		embedded_info_release(&info);
	}
	free(ids);
	return err;
}

static int show_once(struct status_args *a, struct kernel_run *kr,
		     bool kernel)
{
	struct out *o = cmd_out(kr->ctx);
	struct owner_reg reg;
	long n = 0, i;
	int err = 0;

	if (!kernel || a->has_eid) {
		out_begin_obj(o, NULL);
		out_begin_list(o, "kdamonds");
		err = show_embedded(a, kr);
		out_end_list(o);
		out_end_obj(o);
		return err;
	}
	n = kdamond_nr(&kr->io);
	if (n < 0)
		return (int)n;
	if (a->has_idx && (long)a->idx >= n) {
		diag_add(&kr->diag, "", "there is no kdamond %lu (%ld exist)",
			 a->idx, n);
		return -ENOENT;
	}
	if (owner_open(kr->rundir, &reg, &kr->diag))
		diag_release(&kr->diag);	/* reading needs no registry */
	out_begin_obj(o, NULL);
	out_begin_list(o, "kdamonds");
	for (i = 0; i < n && !err; i++) {
		struct kdamond k;
		bool owned;

		if (a->has_idx && (unsigned long)i != a->idx)
			continue;
		owned = owner_owns(&reg, kr->io.root, (unsigned long)i,
				   kdamond_pid(&kr->io, (unsigned long)i));
		if (owned)
			refresh(kr, (unsigned long)i);
		kdamond_init(&k);
		err = kdamond_read(&kr->io, (unsigned long)i, &k);
		if (!err)
			print_kdamond(o, (unsigned long)i, &k, owned, NULL);
		kdamond_release(&k);
	}
	owner_close(&reg, false, &kr->diag);
	if (!err && !a->has_idx && a->backend != BACKEND_KERNEL)
		err = show_embedded(a, kr);
	out_end_list(o);
	print_modules(o, kr);
	out_end_obj(o);
	return err;
}

int cmd_status(int argc, char **argv, struct damo_ctx *ctx)
{
	struct status_args a = { .ctx = ctx };
	struct kernel_run kr;
	unsigned long shown = 0;
	struct timespec ts;
	bool kernel;
	int err;

	err = cmd_parse(&status_argp, argc, argv, &a);
	if (err)
		return err;
	err = kernel_open(ctx, &kr, false);
	kernel = !err && a.backend != BACKEND_EMBEDDED;
	if ((err == -ENOENT && a.backend != BACKEND_KERNEL && !a.has_idx) ||
	    a.backend == BACKEND_EMBEDDED || a.has_eid) {
		diag_release(&kr.diag);
		err = 0;
	}
	while (!err) {
		err = show_once(&a, &kr, kernel);
		if (a.watch_s && !out_is_json(cmd_out(ctx)))
			out_text(cmd_out(ctx), "\n");
		fflush(stdout);
		if (err || !a.watch_s || (a.count && ++shown >= a.count))
			break;
		ts.tv_sec = (time_t)a.watch_s;
		ts.tv_nsec = 0;
		nanosleep(&ts, NULL);
	}
	/* a refresh the kernel refused is a warning: what it holds is shown */
	kernel_report(&kr, !err);
	kernel_close(&kr);
	return err;
}
