/* SPDX-License-Identifier: GPL-2.0 */
/* damo: global options, the command table, dispatch and exit status. */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/dispatch.h"
#include "core/out.h"
#include "core/xalloc.h"

const char *argp_program_version = "damo " DAMO_VERSION;
const char *argp_program_bug_address = "the damo (C) issue tracker";

static int cmd_help(int argc, char **argv, struct damo_ctx *ctx);

/* Sorted; a command is listed here once it works. */
static const struct cmd_sub commands[] = {
	{ .name = "adjust", .fn = cmd_adjust,
	  .summary = "Re-aggregate a record file to a longer interval" },
	{ .name = "config", .fn = cmd_config,
	  .summary = "Check, convert and print DAMON configurations" },
	{ .name = "convert", .fn = cmd_convert,
	  .summary = "Convert record files to damo's JSON formats" },
	{ .name = "features", .fn = cmd_features,
	  .summary = "Show which DAMON features this kernel has" },
	{ .name = "help", .fn = cmd_help,
	  .summary = "Show the manual of a command" },
	{ .name = "lru_sort", .fn = cmd_lru_sort,
	  .summary = "DAMON_LRU_SORT: damo's alias of 'damo module lru_sort'" },
	{ .name = "module", .fn = cmd_module,
	  .summary = "Show and change DAMON's kernel modules" },
	{ .name = "reclaim", .fn = cmd_reclaim,
	  .summary = "DAMON_RECLAIM: damo's alias of 'damo module reclaim'" },
	{ .name = "record", .fn = cmd_record,
	  .summary = "Record access patterns of DAMON, a process or a workload model" },
	{ .name = "report", .fn = cmd_report_main,
	  .summary = "Summarize access record files" },
	{ .name = "schemes", .fn = cmd_schemes,
	  .summary = "Show what DAMOS schemes did; replace them" },
	{ .name = "start", .fn = cmd_start,
	  .summary = "Start DAMON (kernel or embedded) with a configuration" },
	{ .name = "status", .fn = cmd_status,
	  .summary = "Show kdamonds, their parameters and scheme stats" },
	{ .name = "stop", .fn = cmd_stop,
	  .summary = "Stop kdamonds damo started" },
	{ .name = "tune", .fn = cmd_tune,
	  .summary = "Change a running kdamond online" },
	{ .name = "version", .fn = cmd_version,
	  .summary = "Print the version of damo" },
};

/* Its usage is argp's (global_argp), with the list of commands in it. */
static const struct cmd_table command_table = {
	.prog = "damo",
	.what = "command",
	.subs = commands,
	.nr_subs = ARRAY_SIZE(commands),
};

enum {
	OPT_LIST_CMDS = 0x200,
	OPT_LIST_OPTS,
};

/*
 * The hidden --list-opts here shadows the common child's one (argp takes the
 * parent's option first): before a command it lists the common options.
 */
static const struct argp_option global_options[] = {
	{ "list-cmds", OPT_LIST_CMDS, NULL, OPTION_HIDDEN,
	  "List commands (for completion)", 0 },
	{ "list-opts", OPT_LIST_OPTS, NULL, OPTION_HIDDEN,
	  "List the common options (for completion)", 0 },
	{ 0 }
};

struct global_args {
	struct damo_ctx *ctx;
	int cmd_idx;		/* index of the command word in argv */
};

static error_t global_parse(int key, char *arg, struct argp_state *state)
{
	struct global_args *ga = state->input;

	(void)arg;
	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = ga->ctx;
		break;
	case OPT_LIST_CMDS:
		cmd_print_names(&command_table);
		exit(0);
	case OPT_LIST_OPTS:
		cmd_list_opts(&cmd_common_argp);
		exit(0);
	case ARGP_KEY_ARG:
		/* The command word: the rest belongs to the command. */
		ga->cmd_idx = state->next - 1;
		state->next = state->argc;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static char *global_help_filter(int key, const char *text, void *input)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f;

	(void)input;
	if (key != ARGP_KEY_HELP_POST_DOC)
		return (char *)text;
	f = open_memstream(&s, &len);
	if (!f)
		return (char *)text;
	fprintf(f, "Commands:\n");
	cmd_print_list(&command_table, f);
	fprintf(f, "\n%s", text);
	if (fclose(f)) {
		free(s);
		return (char *)text;
	}
	return s;
}

static const struct argp_child global_children[] = {
	{ &cmd_common_argp, 0, "Common options (also accepted after the command):", 0 },
	{ 0 }
};

static const struct argp global_argp = {
	.options = global_options,
	.parser = global_parse,
	.args_doc = "COMMAND [ARGS...]",
	.doc = "Watch and steer how memory is accessed, with DAMON.\v"
	       "Run 'damo COMMAND --help' for the options of a command and "
	       "'damo help COMMAND' for its manual.\n\n"
	       "Exit status: 0 success, 1 failure, 64 usage error.",
	.children = global_children,
	.help_filter = global_help_filter,
};

static int cmd_help(int argc, char **argv, struct damo_ctx *ctx)
{
	const struct cmd_sub *cmd;
	char page[64];

	/* Completion asks every command; help has no options of its own. */
	if (argc == 2 && !strcmp(argv[1], "--list-opts"))
		return 0;
	if (argc < 2) {
		argp_help(&global_argp, stdout, ARGP_HELP_STD_HELP, "damo");
		return 0;
	}
	cmd = cmd_find(&command_table, argv[1]);
	if (!cmd)
		return cmd_word_error(&command_table, argv[1], argc, argv, ctx);
	if (argc > 2) {
		out_error(cmd_out(ctx), "help takes one command, not '%s' too",
			  argv[2]);
		return -CMD_EUSAGE;
	}
	snprintf(page, sizeof(page), "damo-%s", argv[1]);
	fflush(stdout);
	execlp("man", "man", page, (char *)NULL);
	fprintf(stderr, "damo: warning: cannot run man (%s); showing --help\n",
		strerror(errno));
	return cmd->fn(2, (char *[]){ argv[1], "--help", NULL }, ctx);
}

/* git/perf: a full disk or closed stdout is a failure, EPIPE is not. */
static int check_stdout(void)
{
	int err = 0;

	if (fflush(stdout) || ferror(stdout))
		err = errno ? errno : EIO;
	if (fclose(stdout) && !err)
		err = errno;
	if (err && err != EPIPE) {
		fprintf(stderr, "damo: error: cannot write output: %s\n",
			strerror(err));
		return DAMO_EXIT_FAILURE;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct damo_ctx ctx = { 0 };
	struct global_args ga = { .ctx = &ctx, .cmd_idx = -1 };
	const struct cmd_sub *cmd;
	int ret, status;

	argp_err_exit_status = DAMO_EXIT_USAGE;
	argp_parse(&global_argp, argc, argv, ARGP_IN_ORDER, NULL, &ga);
	if (ga.cmd_idx < 0)
		ret = cmd_word_error(&command_table, NULL, argc, argv, &ctx);
	else if (!(cmd = cmd_find(&command_table, argv[ga.cmd_idx])))
		/* the words after the command may hold -j: they count */
		ret = cmd_word_error(&command_table, argv[ga.cmd_idx],
				     argc - ga.cmd_idx, argv + ga.cmd_idx, &ctx);
	else
		ret = cmd->fn(argc - ga.cmd_idx, argv + ga.cmd_idx, &ctx);
	if (ret == -CMD_EUSAGE)
		status = DAMO_EXIT_USAGE;
	else
		status = ret ? DAMO_EXIT_FAILURE : 0;
	out_free(&ctx.out);
	if (check_stdout() && !status)
		status = DAMO_EXIT_FAILURE;
	return status;
}
