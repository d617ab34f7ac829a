/* SPDX-License-Identifier: GPL-2.0 */
/* damo stop: stop kdamonds and embedded monitors damo started. */
#include "cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/backend_args.h"
#include "cmd/kernel.h"
#include "core/diag.h"
#include "core/out.h"
#include "core/xalloc.h"

struct stop_args {
	struct damo_ctx *ctx;
	struct backend_args bargs;
	bool all;
	bool force;
};

enum {
	OPT_ALL = 0x400,
	OPT_FORCE,
};

static const struct argp_option stop_options[] = {
	{ "all", OPT_ALL, NULL, 0, "Stop every kdamond damo started", 0 },
	{ "force", OPT_FORCE, NULL, 0,
	  "Also stop the named kdamond if damo did not start it", 0 },
	{ 0 }
};

static const struct argp_child stop_children[] = {
	{ &backend_args_argp, 0, NULL, 0 },
	{ &cmd_common_argp, 0, NULL, 0 },
	{ &cmd_damo_compat_argp, 0, NULL, 0 },
	{ 0 }
};

static error_t stop_parse(int key, char *arg, struct argp_state *state)
{
	struct stop_args *a = state->input;

	(void)arg;
	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, stop_children, a->ctx);
		state->child_inputs[0] = &a->bargs;
		return 0;
	case OPT_ALL:
		a->all = true;
		return 0;
	case OPT_FORCE:
		a->force = true;
		return 0;
	case ARGP_KEY_END:
		if (a->all && a->bargs.has_id)
			argp_error(state, "give a kdamond id or --all, not both");
		if (a->force && !a->bargs.has_id)
			argp_error(state, "--force needs the id of the kdamond to stop");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp stop_argp = {
	.options = stop_options,
	.parser = stop_parse,
	.args_doc = "[ID | --all]",
	.doc = "Stop kdamonds and embedded monitors that damo started.\v"
	       "Without an id, stops damo's only kdamond or embedded monitor "
	       "(or every one with --all).  Stopping an embedded monitor (eN) "
	       "ends its daemon; one that already ended (its target exited) "
	       "is removed with its last status.  With nothing of damo's "
	       "running, stop and stop --all say so and succeed, as systemctl "
	       "stop does; an ID that is not there is an error.  A kdamond "
	       "damo did not start is left alone unless it "
	       "is named with its id and --force.  When no kdamond is left "
	       "running, the kdamond directories damo created are removed.\n\n"
	       "Examples:\n"
	       "  damo stop\n"
	       "  damo stop 1\n"
	       "  damo stop e0\n"
	       "  damo stop --all --json",
	.children = stop_children,
};

/* What to stop of backend @b: the one named, or damo's own. */
static int pick(struct stop_args *a, struct backend *b, struct damo_id **ids,
		size_t *nr)
{
	if (a->bargs.has_id) {
		*ids = xcalloc(1, sizeof(**ids));
		(*ids)[0] = a->bargs.id;
		*nr = 1;
		return 0;
	}
	return backend_list(b, true, ids, nr);
}

int cmd_stop(int argc, char **argv, struct damo_ctx *ctx)
{
	struct stop_args a = { .ctx = ctx };
	struct damo_id *ids[2] = { NULL, NULL };
	struct backend b[2];
	struct out *o;
	size_t nb = 0, nr[2] = { 0, 0 }, i, j;
	char label[DAMO_ID_BUFSZ + 8];
	struct diag d;
	int err;

	err = cmd_parse(&stop_argp, argc, argv, &a);
	if (err)
		return err;
	o = cmd_out(ctx);
	diag_init(&d);
	err = backend_open_all(cmd_backend_env(ctx), a.bargs.backend,
			       a.bargs.has_id ? &a.bargs.id : NULL, b, &nb,
			       &d);
	for (i = 0; !err && i < nb; i++)
		err = pick(&a, &b[i], &ids[i], &nr[i]);
	/* like systemctl stop: nothing running is already what was asked */
	if (!err && nr[0] + nr[1] == 0)
		out_warn(o, "nothing to stop: no kdamond or embedded monitor started by damo runs");
	else if (!err && nr[0] + nr[1] > 1 && !a.all) {
		diag_add(&d, "", "damo started %zu kdamonds and embedded monitors; name one or give --all",
			 nr[0] + nr[1]);
		err = -CMD_EUSAGE;
	}
	for (i = 0; !err && i < nb; i++)
		if (nr[i])
			err = backend_stop(&b[i], ids[i], nr[i], a.force);
	if (!err) {
		out_begin_list(o, NULL);
		for (i = 0; i < nb; i++)
			for (j = 0; j < nr[i]; j++)
				if (out_is_json(o))
					damo_id_print(o, NULL, ids[i][j]);
				else if (ctx->opts.verbose)
					out_text(o, "%s stopped\n",
						 damo_id_label(ids[i][j], label));
		out_end_list(o);
	}
	for (i = 0; i < nb; i++) {
		free(ids[i]);
		backend_close(&b[i]);
	}
	cmd_diag_report(o, &d, false);
	diag_release(&d);
	return err;
}
