/* SPDX-License-Identifier: GPL-2.0 */
/* damo config: check, convert and print DAMON configurations. */
#include "cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/damon_opts.h"
#include "cmd/dispatch.h"
#include "core/damon.h"
#include "core/diag.h"
#include "core/out.h"
#include "core/xalloc.h"
#include "formats/config.h"

/* config check */

struct check_args {
	struct damo_ctx *ctx;
	char **files;
	size_t nr_files;
};

static const struct argp_child check_children[] = {
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static error_t check_parse(int key, char *arg, struct argp_state *state)
{
	struct check_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, check_children, a->ctx);
		return 0;
	case ARGP_KEY_ARG:
		a->files = &state->argv[state->next - 1];
		a->nr_files = (size_t)(state->argc - state->next + 1);
		state->next = state->argc;
		(void)arg;
		return 0;
	case ARGP_KEY_NO_ARGS:
		argp_error(state, "no configuration file given");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp check_argp = {
	.parser = check_parse,
	.args_doc = "FILE...",
	.doc = "Check DAMON configuration files.\v"
	       "Each FILE is a damo kdamonds document or a scheme list, in YAML "
	       "or JSON (\"-\" reads standard input).  Every problem is printed "
	       "as FILE:LINE:COLUMN: error: KEY PATH: WHAT IS WRONG; the exit "
	       "status is 1 if there was any.\n\n"
	       "Examples:\n"
	       "  damo config check reclaim.yaml\n"
	       "  damo config check --json *.yaml *.json",
	.children = check_children,
};

static void print_problem(struct out *o, const struct diag_entry *e)
{
	char *line;

	if (!out_is_json(o)) {
		line = diag_format(e);
		fprintf(stderr, "%s\n", line);
		free(line);
		return;
	}
	out_begin_obj(o, NULL);
	out_str(o, "file", e->file);
	out_u64(o, "line", e->line);
	out_u64(o, "column", e->col);
	out_str(o, "path", e->path);
	out_str(o, "message", e->msg);
	out_end_obj(o);
}

static int config_check(int argc, char **argv, struct damo_ctx *ctx)
{
	struct check_args a = { .ctx = ctx };
	struct config_file cf;
	struct diag d;
	struct out *o;
	size_t i;
	int err;

	err = cmd_parse(&check_argp, argc, argv, &a);
	if (err)
		return err;
	o = cmd_out(ctx);
	diag_init(&d);
	for (i = 0; i < a.nr_files; i++)
		if (!config_load(a.files[i], true, &cf, &d))
			config_file_release(&cf);
	if (out_is_json(o))
		out_begin_list(o, NULL);
	for (i = 0; i < d.nr; i++)
		print_problem(o, &d.v[i]);
	if (out_is_json(o))
		out_end_list(o);
	err = d.nr ? -EINVAL : 0;
	diag_release(&d);
	return err;
}

/* config show */

struct show_args {
	struct damo_ctx *ctx;
	struct damon_opts_args damon;
	const char *file;
	bool raw;
	bool yaml;
};

enum {
	OPT_RAW = 0x300,
	OPT_YAML,
};

static const struct argp_option show_options[] = {
	{ "raw", OPT_RAW, NULL, 0,
	  "Plain numbers in each key's unit instead of \"5 ms\", \"4 KiB\"", 0 },
	{ "yaml", OPT_YAML, NULL, 0, "Print YAML (the default without --json)", 0 },
	{ 0 }
};

static const struct argp_child show_children[] = {
	{ &damon_opts_argp, 0, "DAMON parameters (like damo's 'args damon'):", 1 },
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static error_t show_parse(int key, char *arg, struct argp_state *state)
{
	struct show_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, show_children, a->ctx);
		state->child_inputs[0] = &a->damon;
		return 0;
	case OPT_RAW:
		a->raw = true;
		return 0;
	case OPT_YAML:
		a->yaml = true;
		return 0;
	case ARGP_KEY_ARG:
		if (a->file)
			argp_error(state, "more than one configuration file ('%s', '%s')",
				   a->file, arg);
		a->file = arg;
		return 0;
	case ARGP_KEY_END:
		if (a->file && damon_opts_given(&a->damon))
			argp_error(state, "give a configuration file or DAMON options, not both");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp show_argp = {
	.options = show_options,
	.parser = show_parse,
	.args_doc = "[FILE]",
	.doc = "Print a DAMON configuration, resolved and validated.\v"
	       "With FILE, the configuration is read from it (YAML or JSON, "
	       "a kdamonds document or a scheme list); without, it is built "
	       "from the DAMON options the way damo's 'args damon' does.  The "
	       "output is a kdamonds document in YAML, or JSON with --json, "
	       "that damo and 'damo start' read back.\n\n"
	       "Examples:\n"
	       "  damo config show reclaim.yaml --json\n"
	       "  damo config show --ops vaddr --target-pid 1234 \\\n"
	       "      --damos-action pageout --damos-access-rate 0% 0% \\\n"
	       "      --damos-age 30s max --damos-quotas 10ms 1GiB 1s\n"
	       "  damo config show --raw old.json > new.json",
	.children = show_children,
};

static int config_show(int argc, char **argv, struct damo_ctx *ctx)
{
	struct show_args a = { .ctx = ctx };
	struct config_file cf = { 0 };
	struct diag d;
	struct out *o;
	char *text;
	int err;

	damon_opts_args_init(&a.damon);
	err = cmd_parse(&show_argp, argc, argv, &a);
	if (err)
		goto out_args;
	o = cmd_out(ctx);
	diag_init(&d);
	if (a.file) {
		err = config_load(a.file, true, &cf, &d);
		if (!err && (a.damon.nr_scheme_files || a.damon.nr_scheme_texts)) {
			if (cf.kind == CONFIG_SCHEMES) {
				diag_add(&d, "--scheme", "'%s' is a scheme list; add schemes to a kdamonds document",
					 a.file);
				err = -EINVAL;
			} else {
				err = damon_opts_add_schemes(&a.damon, &cf.cfg, &d);
			}
		}
	} else {
		damon_config_init(&cf.cfg);
		err = damon_opts_build(&a.damon, &cf.cfg, &d);
	}
	if (err) {
		cmd_report(o, &d);
		goto out_diag;
	}
	if (cf.kind == CONFIG_SCHEMES)
		text = config_emit_schemes(cf.cfg.kdamonds[0].ctxs[0].schemes,
					   cf.cfg.kdamonds[0].ctxs[0].nr_schemes,
					   out_is_json(o) ? DOC_FMT_JSON :
							    DOC_FMT_YAML, a.raw);
	else
		text = config_emit(&cf.cfg, out_is_json(o) ? DOC_FMT_JSON :
							     DOC_FMT_YAML, a.raw);
	out_write(o, text);
	free(text);
out_diag:
	config_file_release(&cf);
	diag_release(&d);
out_args:
	damon_opts_args_release(&a.damon);
	return err;
}

static const struct cmd_sub subcmds[] = {
	{ "check", NULL, config_check, NULL, "config check", "FILE..." },
	{ "show", NULL, config_show, NULL, "config show",
	  "[FILE] [DAMON OPTIONS]" },
};

static const struct cmd_table config_table = {
	.prog = "damo config",
	.what = "subcommand",
	.subs = subcmds,
	.nr_subs = ARRAY_SIZE(subcmds),
	.doc = "Check, convert and print DAMON configurations.",
	.footer = "Run 'damo config check --help' or 'damo config show --help' "
		  "for the options of each.\n",
};

int cmd_config(int argc, char **argv, struct damo_ctx *ctx)
{
	return cmd_dispatch(&config_table, argc, argv, ctx);
}
