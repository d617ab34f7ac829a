/* SPDX-License-Identifier: GPL-2.0 */
/* damo schemes: per-scheme stats, tried regions, and replacing schemes. */
#include "cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kdamond/embedded/embedded.h"
#include "cmd/kernel.h"
#include "core/damon.h"
#include "core/out.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "formats/config.h"

struct schemes_args {
	struct damo_ctx *ctx;
	const char *sub;
	unsigned long idx;
	bool has_idx;
	bool has_eid;		/* idx names an embedded monitor, eN */
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
		if (!a->has_idx && embedded_parse_id(arg, &a->idx))
			a->has_idx = a->has_eid = true;
		else if (!a->has_idx && !kernel_parse_idx(arg, &a->idx))
			a->has_idx = true;
		else if (!strcmp(a->sub, "apply") && !a->file && a->has_idx)
			a->file = arg;
		else
			argp_error(state, "unexpected argument '%s'", arg);
		return 0;
	case ARGP_KEY_END:
		if (!strcmp(a->sub, "apply") && (!a->has_idx || !a->file))
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

static void print_kdamond_id(struct out *o, unsigned long k, bool emb)
{
	if (emb)
		out_strf(o, "kdamond", "e%lu", k);
	else
		out_u64(o, "kdamond", k);
}

static void print_stats_row(struct out *o, unsigned long k, bool emb,
			    size_t i, const struct damos *s)
{
	out_begin_obj(o, NULL);
	print_kdamond_id(o, k, emb);
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
	out_end_obj(o);
}

static void print_tried_rows(struct out *o, unsigned long k, bool emb,
			     size_t i, const struct damos *s)
{
	size_t j;

	for (j = 0; j < s->nr_tried; j++) {
		const struct damos_tried_region *t = &s->tried[j];

		out_begin_obj(o, NULL);
		print_kdamond_id(o, k, emb);
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

/* Refresh what the kernel shows, on damo's kdamonds (or --force). */
static void refresh(struct schemes_args *a, struct kernel_run *kr,
		    struct owner_reg *reg, unsigned long k, bool tried)
{
	if (!kdamond_is_on(&kr->io, k))
		return;
	/* --force reaches a foreign kdamond only when it is named */
	if (!(a->force && a->has_idx) &&
	    !owner_owns(reg, kr->io.root, k, kdamond_pid(&kr->io, k)))
		return;
	if (!tried) {
		kdamond_cmd(&kr->io, k, "update_schemes_stats");
		if (features_has(&kr->feat, "update_schemes_effective_quotas"))
			kdamond_cmd(&kr->io, k, "update_schemes_effective_quotas");
		return;
	}
	if (a->total && features_has(&kr->feat, "update_schemes_tried_bytes"))
		kdamond_cmd(&kr->io, k, "update_schemes_tried_bytes");
	else
		kdamond_cmd(&kr->io, k, "update_schemes_tried_regions");
}

static int show(struct schemes_args *a, struct kernel_run *kr, bool tried)
{
	struct out *o = cmd_out(kr->ctx);
	struct owner_reg reg;
	long n = kdamond_nr(&kr->io), k;
	size_t i;
	int err = 0;

	if (n < 0)
		return (int)n;
	owner_open(kr->rundir, &reg, &kr->diag);
	for (k = 0; k < n && !err; k++) {
		struct kdamond kd;

		if (a->has_idx && (unsigned long)k != a->idx)
			continue;
		refresh(a, kr, &reg, (unsigned long)k, tried);
		kdamond_init(&kd);
		err = kdamond_read(&kr->io, (unsigned long)k, &kd);
		for (i = 0; !err && kd.nr_ctxs && i < kd.ctxs[0].nr_schemes; i++) {
			const struct damos *s = &kd.ctxs[0].schemes[i];

			if (a->scheme >= 0 && (size_t)a->scheme != i)
				continue;
			if (tried && !a->total)
				print_tried_rows(o, (unsigned long)k, false, i,
						 s);
			else
				print_stats_row(o, (unsigned long)k, false, i,
						s);
		}
		kdamond_release(&kd);
	}
	owner_close(&reg, false, &kr->diag);
	return err;
}

/* The rows of embedded monitors: the one named, or all when none is. */
static int show_embedded(struct schemes_args *a, struct kernel_run *kr,
			 bool tried)
{
	struct out *o = cmd_out(kr->ctx);
	unsigned long *ids = NULL;
	size_t n, k, i;
	int err = 0;

	if (a->has_idx && !a->has_eid)
		return 0;
	if (a->has_eid) {
		ids = xcalloc(1, sizeof(*ids));
		ids[0] = a->idx;
		n = 1;
	} else {
		n = embedded_ids(kr->rundir, &ids);
	}
	for (k = 0; k < n && !err; k++) {
		struct embedded_info info;
		struct kdamond kd;

		kdamond_init(&kd);
		err = embedded_status(kr->rundir, ids[k], &kd, &info,
				      &kr->diag);
		for (i = 0; !err && i < kd.ctxs[0].nr_schemes; i++) {
			const struct damos *s = &kd.ctxs[0].schemes[i];

			if (a->scheme >= 0 && (size_t)a->scheme != i)
				continue;
			if (tried && !a->total)
				print_tried_rows(o, ids[k], true, i, s);
			else
				print_stats_row(o, ids[k], true, i, s);
		}
		kdamond_release(&kd);
		embedded_info_release(&info);
	}
	free(ids);
	return err;
}

static void begin_table(struct schemes_args *a, struct out *o, bool tried)
{
	if (tried && a->total)
		out_begin_table(o, NULL, total_cols, ARRAY_SIZE(total_cols));
	else
		out_begin_table(o, NULL, tried ? tried_cols : stat_cols,
				tried ? ARRAY_SIZE(tried_cols) : ARRAY_SIZE(stat_cols));
}

/* Replace the schemes of an embedded monitor, keeping the rest. */
static int apply_embedded(struct schemes_args *a, struct kernel_run *kr)
{
	struct embedded_info info;
	struct damon_config cfg;
	struct config_file cf;
	struct damon_ctx *c, *src;
	size_t i;
	int err;

	err = config_load(a->file, true, &cf, &kr->diag);
	if (err)
		return err;
	damon_config_init(&cfg);
	err = embedded_status(kr->rundir, a->idx, damon_config_add_kdamond(&cfg),
			      &info, &kr->diag);
	embedded_info_release(&info);
	src = cf.cfg.nr_kdamonds && cf.cfg.kdamonds[0].nr_ctxs ?
	      &cf.cfg.kdamonds[0].ctxs[0] : NULL;
	if (!err && src) {
		c = &cfg.kdamonds[0].ctxs[0];
		for (i = 0; i < c->nr_schemes; i++)
			damos_release(&c->schemes[i]);
		c->nr_schemes = 0;
		for (i = 0; i < src->nr_schemes; i++)
			damos_copy(damon_ctx_add_scheme(c), &src->schemes[i]);
		err = embedded_tune(kr->rundir, a->idx, &cfg, &kr->diag);
	}
	damon_config_release(&cfg);
	config_file_release(&cf);
	return err;
}

/* Replace the schemes of a running kdamond, keeping everything else. */
static int apply(struct schemes_args *a, struct kernel_run *kr)
{
	struct config_file cf;
	struct damon_config cfg;
	struct damon_ctx *c, *src;
	size_t i;
	int err;

	err = tune_check_target(kr, a->idx, a->force);
	if (err)
		return err;
	err = config_load(a->file, true, &cf, &kr->diag);
	if (err)
		return err;
	damon_config_init(&cfg);
	err = kdamond_read(&kr->io, a->idx, damon_config_add_kdamond(&cfg));
	if (!err && !cfg.kdamonds[0].nr_ctxs) {
		diag_add(&kr->diag, "", "kdamond %lu has no context", a->idx);
		err = -ENOENT;
	}
	c = err ? NULL : &cfg.kdamonds[0].ctxs[0];
	src = cf.cfg.nr_kdamonds && cf.cfg.kdamonds[0].nr_ctxs ?
	      &cf.cfg.kdamonds[0].ctxs[0] : NULL;
	if (!err && c && src) {
		for (i = 0; i < c->nr_schemes; i++)
			damos_release(&c->schemes[i]);
		c->nr_schemes = 0;
		for (i = 0; i < src->nr_schemes; i++)
			damos_copy(damon_ctx_add_scheme(c), &src->schemes[i]);
		if (damon_config_validate(&cfg, 0, &kr->diag))
			err = -EINVAL;
		else
			err = tune_commit(kr, a->idx, &cfg);
	}
	damon_config_release(&cfg);
	config_file_release(&cf);
	return err;
}

static const char *const subs[] = { "stats", "tried", "apply" };

int cmd_schemes(int argc, char **argv, struct damo_ctx *ctx)
{
	struct schemes_args a = { .ctx = ctx, .scheme = -1 };
	struct kernel_run kr;
	struct argp sargp;
	bool kernel;
	size_t i;
	int err;

	for (i = 0; argc >= 2 && i < ARRAY_SIZE(subs); i++)
		if (!strcmp(argv[1], subs[i]))
			break;
	if (argc >= 2 && !strcmp(argv[1], "--list-opts")) {
		for (i = 0; i < ARRAY_SIZE(subs); i++)
			printf("%s\n", subs[i]);
		return 0;
	}
	if (argc < 2 || i == ARRAY_SIZE(subs)) {
		if (argc >= 2 && (!strcmp(argv[1], "--help") ||
				  !strcmp(argv[1], "-h"))) {
			printf("Usage: damo schemes stats [ID] [--scheme N]\n"
			       "   or: damo schemes tried [ID] [--scheme N] [--total]\n"
			       "   or: damo schemes apply ID FILE\n\n"
			       "Run 'damo schemes SUBCOMMAND --help' for the options.\n");
			return 0;
		}
		fprintf(stderr, "damo schemes: %s%s%s; expected stats, tried or apply\n",
			argc < 2 ? "no subcommand given" : "unknown subcommand '",
			argc < 2 ? "" : argv[1], argc < 2 ? "" : "'");
		return -CMD_EUSAGE;
	}
	a.sub = subs[i];
	argv[1] = (char *)(i == 0 ? "schemes stats" : i == 1 ? "schemes tried" :
			   "schemes apply");
	/* one argp, with the arguments of the subcommand in its usage */
	sargp = schemes_argp;
	sargp.args_doc = i == 2 ? "ID FILE" : "[ID]";
	err = cmd_parse(&sargp, argc - 1, argv + 1, &a);
	if (err)
		return err;
	err = kernel_open(ctx, &kr, false);
	kernel = !err && !a.has_eid;
	if (a.has_eid || (err == -ENOENT && !a.has_idx)) {
		diag_release(&kr.diag);
		err = 0;
	}
	if (!err && i == 2) {
		err = a.has_eid ? apply_embedded(&a, &kr) : apply(&a, &kr);
	} else if (!err) {
		begin_table(&a, cmd_out(ctx), i == 1);
		if (kernel)
			err = show(&a, &kr, i == 1);
		if (!err)
			err = show_embedded(&a, &kr, i == 1);
		out_end_table(cmd_out(ctx));
	}
	if (!err && i == 2 && out_is_json(cmd_out(ctx))) {
		out_begin_obj(cmd_out(ctx), NULL);
		if (a.has_eid)
			out_strf(cmd_out(ctx), "id", "e%lu", a.idx);
		else
			out_u64(cmd_out(ctx), "id", a.idx);
		out_end_obj(cmd_out(ctx));
	}
	/* for stats and tried, a refused refresh is a warning */
	kernel_report(&kr, !err && i != 2);
	kernel_close(&kr);
	return err;
}
