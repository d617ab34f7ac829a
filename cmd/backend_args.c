/* SPDX-License-Identifier: GPL-2.0 */
/* --backend and the ID of the commands that drive monitors. */
#include "cmd/backend_args.h"

#include <errno.h>
#include <stdio.h>

#include "cmd/cmd.h"
#include "core/diag.h"

enum {
	OPT_BACKEND = 0x600,
};

static const struct argp_option backend_options[] = {
	{ "backend", OPT_BACKEND, "auto|kernel|embedded", 0,
	  "Kernel DAMON, damo's embedded monitor, or (auto, the default) "
	  "the kernel where it can and both where that is asked", 0 },
	{ 0 }
};

static error_t backend_parse(int key, char *arg, struct argp_state *state)
{
	struct backend_args *a = state->input;
	char buf[DAMO_ID_BUFSZ];
	const char *why;
	int err;

	switch (key) {
	case OPT_BACKEND:
		if (backend_parse_kind(arg, &a->backend))
			argp_error(state, "--backend: '%s' is not auto, kernel or embedded",
				   arg);
		a->backend_given = true;
		return 0;
	case ARGP_KEY_ARG:
		if (a->no_id)
			return ARGP_ERR_UNKNOWN;
		if (a->has_id)
			argp_error(state, "one kdamond id at a time");
		a->has_id = true;
		if (!damo_id_parse(arg, &a->id))
			return 0;
		if (!damo_name_valid(arg, &why))
			argp_error(state, "'%s' is not a kdamond id (N, or eN for an embedded monitor) nor a name",
				   arg);
		a->name = arg;
		return 0;
	case ARGP_KEY_END:
		/* a name is what the registry says it names, now */
		if (a->name) {
			struct diag d;

			diag_init(&d);
			err = damo_name_lookup(a->name, &a->id, &d);
			if (err == -ENOENT)
				argp_failure(state, 1, 0, "no monitor damo started is named '%s' (damo status lists them)",
					     a->name);
			else if (err)
				argp_failure(state, 1, 0, "%s",
					     d.nr ? d.v[0].msg : "the registry cannot be read");
			diag_release(&d);
		}
		if (a->has_id && !backend_kind_allows(a->backend, a->id.kind))
			argp_error(state, "'%s' is not a monitor of --backend %s (kernel kdamonds are N, embedded monitors eN)",
				   damo_id_str(a->id, buf),
				   backend_kind_name(a->backend));
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

const struct argp backend_args_argp = {
	.options = backend_options,
	.parser = backend_parse,
};

bool backend_args_names_monitor(const char *word)
{
	struct damo_id id;
	const char *why;
	struct diag d;
	bool named;

	if (!damo_name_valid(word, &why))
		return false;
	diag_init(&d);
	named = !damo_name_lookup(word, &id, &d);
	diag_release(&d);
	return named;
}

const struct backend_env *cmd_backend_env(struct damo_ctx *ctx)
{
	static struct backend_env env;

	env.sysfs_root = cmd_sysfs_root(ctx);
	env.tracefs_root = cmd_tracefs_root();
	env.modules_root = cmd_module_root();
	env.trace = ctx->opts.verbose >= 2 ? stderr : NULL;
	env.out = cmd_out(ctx);
	env.warn = cmd_warn_diag;
	return &env;
}
