/* SPDX-License-Identifier: GPL-2.0 */
/* damo version: the version of this binary. */
#include "cmd.h"

#include "core/out.h"

static const struct argp_child version_children[] = {
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static error_t version_parse(int key, char *arg, struct argp_state *state)
{
	(void)arg;
	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, version_children, state->input);
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp version_argp = {
	.parser = version_parse,
	.doc = "Print the version of damo.\v"
	       "Examples:\n"
	       "  damo version\n"
	       "  damo version --json",
	.children = version_children,
};

int cmd_version(int argc, char **argv, struct damo_ctx *ctx)
{
	struct out *o;
	int err;

	err = cmd_parse(&version_argp, argc, argv, ctx);
	if (err)
		return err;
	o = cmd_out(ctx);
	if (out_is_json(o)) {
		out_begin_obj(o, NULL);
		out_str(o, "version", DAMO_VERSION);
		out_end_obj(o);
	} else {
		out_text(o, "damo %s\n", DAMO_VERSION);
	}
	return 0;
}
