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
#include "core/damon.h"
#include "core/diag.h"
#include "core/out.h"
#include "formats/config.h"

struct tune_args {
	struct damo_ctx *ctx;
	struct damon_opts_args damon;
	struct backend_args bargs;
	const char *file;
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
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static error_t tune_parse(int key, char *arg, struct argp_state *state)
{
	struct tune_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, tune_children, a->ctx);
		state->child_inputs[0] = &a->damon;
		state->child_inputs[1] = &a->bargs;
		return 0;
	case OPT_FORCE:
		a->force = true;
		return 0;
	case ARGP_KEY_ARG:
		if (!a->bargs.has_id)
			return ARGP_ERR_UNKNOWN;	/* the ID */
		if (a->file)
			argp_error(state, "unexpected argument '%s'", arg);
		a->file = arg;
		return 0;
	case ARGP_KEY_END:
		if (!a->bargs.has_id)
			argp_error(state, "which kdamond? give its id (see 'damo status')");
		if (a->file && damon_opts_given(&a->damon))
			argp_error(state, "give a configuration file or DAMON options, not both");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp tune_argp = {
	.options = tune_options,
	.parser = tune_parse,
	.args_doc = "ID [CONFIG]",
	.doc = "Change a running kdamond or embedded monitor online.\v"
	       "The new configuration (a file, or DAMON options, like 'damo "
	       "start') replaces the whole one: what is not given returns to "
	       "its default, as with damo.  It is checked first, then "
	       "committed; when the kernel refuses it, the kdamond keeps "
	       "running with its previous parameters and the sysfs files are "
	       "put back.  ID is N for kdamond N, eN for embedded monitor N.\n\n"
	       "Examples:\n"
	       "  damo tune 0 reclaim-v2.yaml\n"
	       "  damo tune 0 --monitoring-intervals 10ms 200ms 2s \\\n"
	       "      --damos-action pageout --damos-age 60s max\n"
	       "  damo tune e0 --damos-action stat",
	.children = tune_children,
};

int cmd_tune(int argc, char **argv, struct damo_ctx *ctx)
{
	struct tune_args a = { .ctx = ctx };
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
	err = backend_open(cmd_backend_env(ctx), a.bargs.id.kind, false, &b,
			   &d);
	if (!err)
		err = cmd_load_config(a.file, &a.damon, &cf, &d);
	if (!err) {
		err = backend_tune(&b, a.bargs.id, &cf.cfg, a.force);
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
