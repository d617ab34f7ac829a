/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo args: damo's "make the long arguments of other commands" helpers.
 * "args damon" prints the kdamonds document the DAMON options build (what
 * start, tune and record read back), optionally merged into one read from
 * a file.
 */
#include "cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/damon_opts.h"
#include "cmd/dispatch.h"
#include "cmd/report_damon.h"
#include "core/diag.h"
#include "core/out.h"
#include "core/safefile.h"
#include "core/xalloc.h"
#include "formats/config.h"

enum args_edit { EDIT_NONE, EDIT_ADD, EDIT_REMOVE, EDIT_REPLACE };

struct args_damon {
	struct damo_ctx *ctx;
	struct damon_opts_args damon;
	enum doc_format format;
	bool report;
	bool raw;
	bool omit_defaults;
	enum args_edit edit;
	const char *edit_file;
	size_t edit_idx;
	const char *out;
};

enum {
	OPT_FORMAT = 0x500,
	OPT_RAW,
	OPT_ADD,
	OPT_REMOVE,
	OPT_REPLACE,
	OPT_OUT,
	OPT_OMIT_DEFAULTS,
};

static const struct argp_option damon_options[] = {
	{ "format", OPT_FORMAT, "json|yaml|report", 0,
	  "Output format (default json; report: damo's text, as 'report "
	  "damon' prints it)", 0 },
	{ "raw", OPT_RAW, NULL, 0,
	  "Plain numbers in each key's unit instead of \"5 ms\", \"4 KiB\"", 0 },
	{ "add", OPT_ADD, "FILE", 0,
	  "Print the kdamonds of FILE followed by the one the options make", 0 },
	{ "remove", OPT_REMOVE, "FILE IDX", 0,
	  "Print the kdamonds of FILE without its IDX-th (from 0)", 0 },
	{ "replace", OPT_REPLACE, "FILE IDX", 0,
	  "Print the kdamonds of FILE with its IDX-th replaced by the one "
	  "the options make", 0 },
	{ "out", OPT_OUT, "FILE", 0, "Write to FILE instead of stdout", 0 },
	{ "omit-defaults", OPT_OMIT_DEFAULTS, NULL, 0,
	  "Leave out keys at their default value (not built: refused)", 0 },
	CMD_ALIAS("omit_defaults", OPT_OMIT_DEFAULTS),
	{ 0 }
};

static const struct argp_child damon_children[] = {
	{ &damon_opts_argp, 0, "DAMON parameters:", 1 },
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

/* damo's --remove and --replace take two words: FILE and IDX. */
static void take_file_idx(struct argp_state *state, struct args_damon *a,
			  const char *opt, char *file)
{
	unsigned long long idx;
	char *idx_s, *end;

	if (a->edit != EDIT_NONE)
		argp_error(state, "--add, --remove and --replace go alone");
	if (state->next >= state->argc)
		argp_error(state, "--%s takes FILE and IDX", opt);
	idx_s = state->argv[state->next++];
	errno = 0;
	idx = strtoull(idx_s, &end, 10);
	if (*idx_s < '0' || *idx_s > '9' || *end || errno || idx > INT_MAX)
		argp_error(state, "--%s: '%s' is not a kdamond index (0 or more)",
			   opt, idx_s);
	a->edit_file = file;
	a->edit_idx = idx;
}

static error_t damon_parse(int key, char *arg, struct argp_state *state)
{
	struct args_damon *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, damon_children, a->ctx);
		state->child_inputs[0] = &a->damon;
		return 0;
	case OPT_FORMAT:
		a->report = false;
		if (!strcmp(arg, "json"))
			a->format = DOC_FMT_JSON;
		else if (!strcmp(arg, "yaml"))
			a->format = DOC_FMT_YAML;
		else if (!strcmp(arg, "report"))
			a->report = true;
		else
			argp_error(state, "--format: '%s' is not json, yaml or report",
				   arg);
		return 0;
	case OPT_RAW:
		a->raw = true;
		return 0;
	case OPT_ADD:
		if (a->edit != EDIT_NONE)
			argp_error(state, "--add, --remove and --replace go alone");
		a->edit = EDIT_ADD;
		a->edit_file = arg;
		return 0;
	case OPT_REMOVE:
		take_file_idx(state, a, "remove", arg);
		a->edit = EDIT_REMOVE;
		return 0;
	case OPT_REPLACE:
		take_file_idx(state, a, "replace", arg);
		a->edit = EDIT_REPLACE;
		return 0;
	case OPT_OUT:
		a->out = arg;
		return 0;
	case OPT_OMIT_DEFAULTS:
		a->omit_defaults = true;
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "'%s': args damon takes options only", arg);
		return 0;
	case ARGP_KEY_END:
		if (a->report && a->out)
			argp_error(state, "--out and --format report do not go together");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp damon_argp = {
	.options = damon_options,
	.parser = damon_parse,
	.doc = "Print the DAMON parameters the options give as a kdamonds "
	       "document (damo's 'args damon').\v"
	       "The document is what 'damo start', 'tune' and 'record' read "
	       "back as a configuration file.  --add, --remove and --replace "
	       "edit the kdamonds of a file instead.  Under -j the format is "
	       "JSON whatever --format says.\n\n"
	       "Examples:\n"
	       "  damo args damon --ops paddr --damos-action pageout \\\n"
	       "      --damos-age 30s max --format yaml > reclaim.yaml\n"
	       "  damo args damon --add reclaim.json --ops vaddr \\\n"
	       "      --target-pid 1234 --out both.json",
	.children = damon_children,
};

/* @cfg's kdamond @idx, released and taken out of the array. */
static void drop_kdamond(struct damon_config *cfg, size_t idx)
{
	kdamond_release(&cfg->kdamonds[idx]);
	memmove(&cfg->kdamonds[idx], &cfg->kdamonds[idx + 1],
		(cfg->nr_kdamonds - idx - 1) * sizeof(*cfg->kdamonds));
	cfg->nr_kdamonds--;
}

/*
 * The edit of @a applied: @cfg (built from the options) becomes the
 * kdamonds of the file with it added or put in place, or without one.
 */
static int apply_edit(const struct args_damon *a, struct damon_config *cfg,
		      struct diag *d)
{
	struct config_file old;
	size_t i;
	int err;

	err = config_load(a->edit_file, true, &old, d);
	if (err)
		return err;
	if (old.kind != CONFIG_KDAMONDS) {
		diag_add(d, a->edit_file, "a scheme list, not a kdamonds document");
		config_file_release(&old);
		return -EINVAL;
	}
	if (a->edit != EDIT_ADD && a->edit_idx >= old.cfg.nr_kdamonds) {
		diag_add(d, a->edit_file, "has %zu kdamonds; there is no kdamond %zu",
			 old.cfg.nr_kdamonds, a->edit_idx);
		config_file_release(&old);
		return -EINVAL;
	}
	switch (a->edit) {
	case EDIT_ADD:
		old.cfg.kdamonds = xreallocarray(old.cfg.kdamonds,
						 old.cfg.nr_kdamonds +
						 cfg->nr_kdamonds,
						 sizeof(*cfg->kdamonds));
		for (i = 0; i < cfg->nr_kdamonds; i++)
			old.cfg.kdamonds[old.cfg.nr_kdamonds++] = cfg->kdamonds[i];
		cfg->nr_kdamonds = 0;
		break;
	case EDIT_REMOVE:
		drop_kdamond(&old.cfg, a->edit_idx);
		break;
	case EDIT_REPLACE:
		kdamond_release(&old.cfg.kdamonds[a->edit_idx]);
		old.cfg.kdamonds[a->edit_idx] = cfg->kdamonds[0];
		kdamond_init(&cfg->kdamonds[0]);	/* moved */
		break;
	case EDIT_NONE:
		break;
	}
	damon_config_release(cfg);
	*cfg = old.cfg;
	return 0;
}

static int write_out(struct out *o, const char *path, const char *text)
{
	struct safefile sf;
	int err;

	err = safefile_open(&sf, path, 0644);
	if (!err) {
		err = safefile_write_all(sf.fd, text, strlen(text));
		if (err)
			safefile_discard(&sf);
		else
			err = safefile_commit(&sf, 0);
	}
	if (err) {
		out_error(o, "%s: cannot write: %s", path, strerror(-err));
		return -EIO;
	}
	return 0;
}

static int args_damon(int argc, char **argv, struct damo_ctx *ctx)
{
	struct args_damon a = { .ctx = ctx, .format = DOC_FMT_JSON };
	struct damon_config cfg;
	struct diag d;
	struct out *o;
	char *text;
	int err;

	damon_opts_args_init(&a.damon);
	err = cmd_parse(&damon_argp, argc, argv, &a);
	if (err)
		goto out_args;
	o = cmd_out(ctx);
	if (a.omit_defaults) {
		out_error(o, "--omit_defaults: not built in damo (C): every key is printed; use the document as it is");
		err = -EINVAL;
		goto out_args;
	}
	diag_init(&d);
	damon_config_init(&cfg);
	if (a.edit == EDIT_REMOVE)
		err = 0;	/* the options are not used */
	else
		err = damon_opts_build(&a.damon, &cfg, &d);
	if (!err && a.edit != EDIT_NONE)
		err = apply_edit(&a, &cfg, &d);
	if (err) {
		cmd_report(o, &d);
	} else if (a.report && !out_is_json(o)) {
		struct report_damon_show how = { .raw = a.raw, .no_stats = true };
		size_t i;

		for (i = 0; i < cfg.nr_kdamonds; i++)
			report_damon_print(o, i, &cfg.kdamonds[i], &how, NULL);
	} else {
		text = config_emit(&cfg, out_is_json(o) ? DOC_FMT_JSON :
				   a.format, a.raw);
		if (a.out)
			err = write_out(o, a.out, text);
		else
			out_write(o, text);
		free(text);
	}
	damon_config_release(&cfg);
	diag_release(&d);
out_args:
	damon_opts_args_release(&a.damon);
	return err;
}

static const struct cmd_sub subcmds[] = {
	{ "damon", NULL, args_damon,
	  "DAMON parameters as a kdamonds document", "args damon",
	  "damon [DAMON OPTIONS] [--format json|yaml]" },
	{ "accesses_filter", NULL, cmd_args_accesses_filter,
	  "The record filter options as damo's filter document",
	  "args accesses_filter", "accesses_filter [FILTER OPTIONS]" },
};

static const struct cmd_table args_table = {
	.prog = "damo args",
	.what = "subcommand",
	.subs = subcmds,
	.nr_subs = ARRAY_SIZE(subcmds),
	.doc = "Make the long arguments of other commands (damo's 'args').",
	.heading = "Subcommands:",
	.footer = "Run 'damo args SUBCOMMAND --help' for the options of each.\n",
};

int cmd_args(int argc, char **argv, struct damo_ctx *ctx)
{
	return cmd_dispatch(&args_table, argc, argv, ctx);
}
