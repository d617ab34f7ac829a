/* SPDX-License-Identifier: GPL-2.0 */
/* damo tune: change a running kdamond or embedded monitor online. */
#include "cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/backend_args.h"
#include "cmd/damon_opts.h"
#include "cmd/kernel.h"
#include "cmd/target.h"
#include "core/damon.h"
#include "core/diag.h"
#include "core/out.h"
#include "core/xalloc.h"
#include "formats/config.h"

struct tune_args {
	struct damo_ctx *ctx;
	struct damon_opts_args damon;
	struct backend_args bargs;
	const char *file;	/* the positional target */
	const char *kdamonds;	/* --kdamonds */
	bool force;
};

enum {
	OPT_FORCE = 0x400,
};

static const struct argp_option tune_options[] = {
	{ "force", OPT_FORCE, NULL, 0,
	  "Tune the named kdamond even if damo did not start it", 0 },
	{ 0 }
};

static const struct argp_child tune_children[] = {
	{ &damon_opts_argp, 0, "DAMON parameters:", 1 },
	{ &backend_args_argp, 0, NULL, 0 },
	{ &cmd_target_argp, 0, NULL, 1 },
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static error_t tune_parse(int key, char *arg, struct argp_state *state)
{
	struct tune_args *a = state->input;
	struct damo_id id;

	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, tune_children, a->ctx);
		state->child_inputs[0] = &a->damon;
		state->child_inputs[1] = &a->bargs;
		state->child_inputs[2] = &a->kdamonds;
		return 0;
	case OPT_FORCE:
		a->force = true;
		return 0;
	case ARGP_KEY_ARG:
		/* an ID first ("0", "e0", a name), else damo's deducible target */
		if (!a->bargs.has_id && !a->file &&
		    (!damo_id_parse(arg, &id) || backend_args_names_monitor(arg)))
			return ARGP_ERR_UNKNOWN;
		if (a->file)
			argp_error(state, "unexpected argument '%s'", arg);
		a->file = arg;
		return 0;
	case ARGP_KEY_END:
		if (a->kdamonds && (a->file || damon_opts_given(&a->damon)))
			argp_error(state, "--kdamonds is the whole configuration: give no target or DAMON options with it");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp tune_argp = {
	.options = tune_options,
	.parser = tune_parse,
	.args_doc = "[ID] [TARGET]",
	.doc = "Change a running kdamond or embedded monitor online.\v"
	       "The new configuration (a file, or DAMON options, like 'damo "
	       "start') replaces the whole one: what is not given returns to "
	       "its default, as with damo.  It is checked first, then "
	       "committed; when the kernel refuses it, the kdamond keeps "
	       "running with its previous parameters and the sysfs files are "
	       "put back.  ID is N for kdamond N, eN for embedded monitor N; "
	       "without it, the one monitor damo started and that runs is "
	       "tuned, as damo does.  TARGET is damo's deducible target, as "
	       "for 'damo start' (a kdamonds file or text, paddr, or a pid; "
	       "a number alone is an ID).\n\n"
	       "Examples:\n"
	       "  damo tune 0 reclaim-v2.yaml\n"
	       "  damo tune 0 --monitoring-intervals 10ms 200ms 2s \\\n"
	       "      --damos-action pageout --damos-age 60s max\n"
	       "  damo tune e0 --damos-action stat\n"
	       "  damo tune --damos-action pageout --damos-age 30s max",
	.children = tune_children,
};

/*
 * Without an ID, as damo: the one monitor damo started that runs, in
 * @b (opened).  Problems go to @d.  Return: 0 or -errno.
 */
static int only_running(struct damo_ctx *ctx, enum backend_kind want,
			struct backend *b, struct damo_id *id, struct diag *d)
{
	struct backend all[2];
	struct damo_id *ids;
	struct backend_status st;
	size_t nb = 0, nr, i, j, found = 0;
	int err;

	err = backend_open_all(cmd_backend_env(ctx), want, NULL, all, &nb, d);
	for (i = 0; !err && i < nb; i++) {
		if (backend_list(&all[i], true, &ids, &nr))
			continue;
		for (j = 0; j < nr; j++) {
			backend_status_init(&st);
			if (!backend_status(&all[i], ids[j], REFRESH_NONE,
					    false, &st) && st.running) {
				if (!found++)
					*id = ids[j];
			}
			backend_status_release(&st);
		}
		free(ids);
	}
	for (i = 0; i < nb; i++)
		backend_close(&all[i]);
	if (err)
		return err;
	if (!found) {
		diag_add(d, "", "no kdamond started by damo runs; give the id of one (see 'damo status')");
		return -ENOENT;
	}
	if (found > 1) {
		diag_add(d, "", "damo started %zu monitors that run; name the one to tune (see 'damo status')",
			 found);
		return -CMD_EUSAGE;
	}
	return backend_open(cmd_backend_env(ctx), id->kind, false, b, d);
}

int cmd_tune(int argc, char **argv, struct damo_ctx *ctx)
{
	struct tune_args a = { .ctx = ctx };
	struct cmd_target t = { .kind = CMD_TARGET_NONE };
	struct backend_status st;
	struct config_file cf;
	struct backend b = { 0 };
	struct out *o;
	struct diag d;
	int err;

	damon_opts_args_init(&a.damon);
	err = cmd_parse(&tune_argp, argc, argv, &a);
	if (err)
		goto out_args;
	o = cmd_out(ctx);
	diag_init(&d);
	backend_status_init(&st);
	err = a.file ? cmd_target_deduce(a.file, &t, &d) : 0;
	if (!err && t.kind == CMD_TARGET_COMMAND) {
		diag_add(&d, "", "target '%s': tune does not start commands; start it with 'damo start' or give its pid",
			 a.file);
		err = -EINVAL;
	}
	if (!err && a.bargs.has_id)
		err = backend_open(cmd_backend_env(ctx), a.bargs.id.kind,
				   false, &b, &d);
	else if (!err)
		err = only_running(ctx, a.bargs.backend, &b, &a.bargs.id, &d);
	if (!err)
		err = cmd_target_load(&t, a.kdamonds, &a.damon, o, &cf, &d);
	if (!err) {
		err = backend_tune(&b, a.bargs.id, &cf.cfg,
				   (a.force ? BACKEND_TUNE_FORCE : 0) |
				   (t.kind == CMD_TARGET_CONFIG || a.kdamonds ||
				    damon_opts_intervals_given(&a.damon) ?
				    BACKEND_TUNE_INTERVALS : 0));
		config_file_release(&cf);
	}
	if (!err && (out_is_json(o) || ctx->opts.verbose)) {
		out_begin_obj(o, NULL);
		damo_id_print(o, "id", a.bargs.id);
		if (!backend_status(&b, a.bargs.id, REFRESH_NONE,
				    false, &st))
			out_id_nr(o, "pid", st.k.pid);
		out_end_obj(o);
	}
	backend_status_release(&st);
	backend_close(&b);
	cmd_diag_report(o, &d, false);
	diag_release(&d);
out_args:
	damon_opts_args_release(&a.damon);
	return err;
}
