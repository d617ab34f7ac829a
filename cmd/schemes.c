/* SPDX-License-Identifier: GPL-2.0 */
/* damo schemes: per-scheme stats, tried regions, and replacing schemes. */
#include "cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/backend_args.h"
#include "cmd/dispatch.h"
#include "cmd/kernel.h"
#include "core/damon.h"
#include "core/diag.h"
#include "core/out.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "formats/config.h"

struct schemes_args {
	struct damo_ctx *ctx;
	const char *sub;
	struct backend_args bargs;
	long scheme;		/* -1: all */
	bool total;
	bool force;
	const char *file;
};

enum {
	OPT_SCHEME = 0x400,
	OPT_TOTAL,
	OPT_FORCE,
};

static const struct argp_option schemes_options[] = {
	{ "scheme", OPT_SCHEME, "N", 0, "Only scheme N of the context", 0 },
	{ "total", OPT_TOTAL, NULL, 0,
	  "tried: only the total bytes (update_schemes_tried_bytes, cheap)", 0 },
	{ "force", OPT_FORCE, NULL, 0,
	  "Refresh or change a kdamond damo did not start", 0 },
	{ 0 }
};

static const struct argp_child schemes_children[] = {
	{ &backend_args_argp, 0, NULL, 0 },
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static error_t schemes_parse(int key, char *arg, struct argp_state *state)
{
	struct schemes_args *a = state->input;
	unsigned long v;

	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, schemes_children, a->ctx);
		state->child_inputs[0] = &a->bargs;
		return 0;
	case OPT_SCHEME:
		if (kernel_parse_idx(arg, &v))
			argp_error(state, "'%s' is not a scheme index", arg);
		a->scheme = (long)v;
		return 0;
	case OPT_TOTAL:
		a->total = true;
		return 0;
	case OPT_FORCE:
		a->force = true;
		return 0;
	case ARGP_KEY_ARG:
		if (!a->bargs.has_id)
			return ARGP_ERR_UNKNOWN;	/* the ID */
		if (!strcmp(a->sub, "apply") && !a->file)
			a->file = arg;
		else
			argp_error(state, "unexpected argument '%s'", arg);
		return 0;
	case ARGP_KEY_END:
		if (!strcmp(a->sub, "apply") && (!a->bargs.has_id || !a->file))
			argp_error(state, "apply needs a kdamond id and a scheme file");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp schemes_argp = {
	.options = schemes_options,
	.parser = schemes_parse,
	.args_doc = "[ID]",
	.doc = "Show what DAMOS schemes did, and replace them.\v"
	       "stats: per-scheme statistics.  tried: the regions each scheme "
	       "tried during its last apply interval (the kernel is asked to "
	       "refresh them on kdamonds damo started; that waits one apply "
	       "interval).  apply: replace the schemes of a running kdamond "
	       "with those of a scheme file (YAML or JSON, a scheme list or a "
	       "kdamonds document).\n\n"
	       "Examples:\n"
	       "  damo schemes stats\n"
	       "  damo schemes tried 0 --scheme 1 --json\n"
	       "  damo schemes apply 0 reclaim-schemes.yaml",
	.children = schemes_children,
};

static const struct out_col stat_cols[] = {
	{ "kdamond", "kdamond", true },
	{ "scheme", "scheme", true },
	{ "action", "action", false },
	{ "nr_tried", "tried", true },
	{ "sz_tried", "tried bytes", true },
	{ "nr_applied", "applied", true },
	{ "sz_applied", "applied bytes", true },
	{ "qt_exceeds", "quota exceeded", true },
	{ "stats_refreshed", "refreshed", false },
};

static const struct out_col total_cols[] = {
	{ "kdamond", "kdamond", true },
	{ "scheme", "scheme", true },
	{ "action", "action", false },
	{ "tried_bytes", "tried bytes", true },
};

static const struct out_col tried_cols[] = {
	{ "kdamond", "kdamond", true },
	{ "scheme", "scheme", true },
	{ "start", "start", true },
	{ "end", "end", true },
	{ "size", "size", true },
	{ "nr_accesses", "nr_accesses", true },
	{ "age", "age", true },
};

static void print_stats_row(struct out *o, struct damo_id id, size_t i,
			    const struct damos *s, bool fresh)
{
	out_begin_obj(o, NULL);
	damo_id_print(o, "kdamond", id);
	out_u64(o, "scheme", i);
	out_str(o, "action", damos_action_name(s->action));
	out_u64(o, "nr_tried", s->stats.nr_tried);
	out_size(o, "sz_tried", s->stats.sz_tried);
	out_u64(o, "nr_applied", s->stats.nr_applied);
	out_size(o, "sz_applied", s->stats.sz_applied);
	out_size(o, "sz_ops_filter_passed", s->stats.sz_ops_filter_passed);
	out_u64(o, "qt_exceeds", s->stats.qt_exceeds);
	out_size(o, "effective_sz_bytes", s->quota.effective_sz_bytes);
	out_size(o, "tried_bytes", s->tried_bytes);
	/* no: what the kernel was last asked for (damo may only read it) */
	out_bool(o, "stats_refreshed", fresh);
	out_end_obj(o);
}

static void print_tried_rows(struct out *o, struct damo_id id, size_t i,
			     const struct damos *s)
{
	size_t j;

	for (j = 0; j < s->nr_tried; j++) {
		const struct damos_tried_region *t = &s->tried[j];

		out_begin_obj(o, NULL);
		damo_id_print(o, "kdamond", id);
		out_u64(o, "scheme", i);
		out_u64(o, "start", t->start);
		out_u64(o, "end", t->end);
		out_size(o, "size", t->end - t->start);
		out_u64(o, "nr_accesses", t->nr_accesses);
		out_u64(o, "age", t->age);
		out_size(o, "sz_filter_passed", t->sz_filter_passed);
		out_end_obj(o);
	}
}

/* The rows of backend @b's monitors: the one named, or all. */
static int show(struct schemes_args *a, struct backend *b, bool tried)
{
	enum backend_refresh how = !tried ? REFRESH_STATS :
				   a->total ? REFRESH_TRIED_BYTES :
				   REFRESH_TRIED;
	struct out *o = cmd_out(a->ctx);
	struct damo_id *ids = NULL;
	size_t n = 0, k, i;
	int err = 0, first = 0;

	if (!a->bargs.has_id)
		err = backend_list(b, false, &ids, &n);
	if (err)
		return err;
	/* one monitor that cannot be read does not hide the others */
	for (k = 0; k < (a->bargs.has_id ? 1 : n); k++) {
		struct damo_id id = a->bargs.has_id ? a->bargs.id : ids[k];
		const struct kdamond *kd;
		struct backend_status st;

		backend_status_init(&st);
		/* --force reaches a foreign kdamond only when it is named */
		err = backend_status(b, id, how,
				     a->force && a->bargs.has_id, &st);
		kd = &st.k;
		for (i = 0; !err && kd->nr_ctxs && i < kd->ctxs[0].nr_schemes;
		     i++) {
			const struct damos *s = &kd->ctxs[0].schemes[i];

			if (a->scheme >= 0 && (size_t)a->scheme != i)
				continue;
			if (tried && !a->total)
				print_tried_rows(o, id, i, s);
			else
				print_stats_row(o, id, i, s, st.stats_fresh);
		}
		if (err && !first)
			first = err;
		backend_status_release(&st);
	}
	free(ids);
	return first;
}

static void begin_table(struct schemes_args *a, struct out *o, bool tried)
{
	if (tried && a->total)
		out_begin_table(o, NULL, total_cols, ARRAY_SIZE(total_cols));
	else
		out_begin_table(o, NULL, tried ? tried_cols : stat_cols,
				tried ? ARRAY_SIZE(tried_cols) : ARRAY_SIZE(stat_cols));
}

/* Replace the schemes of a running monitor, keeping everything else. */
static int apply(struct schemes_args *a, struct backend *b, struct diag *d)
{
	const struct damon_ctx *src;
	struct config_file cf;
	int err;

	err = config_load(a->file, true, &cf, d);
	if (err)
		return err;
	src = cf.cfg.nr_kdamonds && cf.cfg.kdamonds[0].nr_ctxs ?
	      &cf.cfg.kdamonds[0].ctxs[0] : NULL;
	if (src)
		err = backend_apply_schemes(b, a->bargs.id, src->schemes,
					    src->nr_schemes, a->force);
	config_file_release(&cf);
	return err;
}

static const struct cmd_sub subs[] = {
	{ .name = "stats", .shown = "schemes stats",
	  .synopsis = "[ID] [--scheme N]" },
	{ .name = "tried", .shown = "schemes tried",
	  .synopsis = "[ID] [--scheme N] [--total]" },
	{ .name = "apply", .shown = "schemes apply", .synopsis = "ID FILE" },
};

static const struct cmd_table schemes_table = {
	.prog = "damo schemes",
	.what = "subcommand",
	.subs = subs,
	.nr_subs = ARRAY_SIZE(subs),
	.footer = "Run 'damo schemes SUBCOMMAND --help' for the options.\n",
};

int cmd_schemes(int argc, char **argv, struct damo_ctx *ctx)
{
	struct schemes_args a = { .ctx = ctx, .scheme = -1 };
	const struct cmd_sub *row;
	struct backend b[2];
	struct argp sargp;
	struct diag d;
	size_t i, k, nb = 0;
	int err;

	err = cmd_select(&schemes_table, &argc, &argv, ctx, &row);
	if (err)
		return err > 0 ? 0 : err;
	i = (size_t)(row - subs);
	a.sub = row->name;
	/* one argp, with the arguments of the subcommand in its usage */
	sargp = schemes_argp;
	sargp.args_doc = i == 2 ? "ID FILE" : "[ID]";
	err = cmd_parse(&sargp, argc, argv, &a);
	if (err)
		return err;
	diag_init(&d);
	err = backend_open_all(cmd_backend_env(ctx), a.bargs.backend,
			       a.bargs.has_id ? &a.bargs.id : NULL, b, &nb,
			       &d);
	if (!err && i == 2) {
		err = apply(&a, &b[0], &d);
	} else if (!err) {
		begin_table(&a, cmd_out(ctx), i == 1);
		for (k = 0; k < nb; k++) {
			int e = show(&a, &b[k], i == 1);

			err = err ? err : e;
		}
		out_end_table(cmd_out(ctx));
	}
	if (!err && i == 2 && out_is_json(cmd_out(ctx))) {
		out_begin_obj(cmd_out(ctx), NULL);
		damo_id_print(cmd_out(ctx), "id", a.bargs.id);
		out_end_obj(cmd_out(ctx));
	}
	for (k = 0; k < nb; k++)
		backend_close(&b[k]);
	/* for stats and tried, a refused refresh is a warning */
	cmd_diag_report(cmd_out(ctx), &d, !err && i != 2);
	diag_release(&d);
	return err;
}
