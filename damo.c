/* SPDX-License-Identifier: GPL-2.0 */
/* damo: global options, the command table, dispatch and exit status. */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/out.h"
#include "core/xalloc.h"

const char *argp_program_version = "damo " DAMO_VERSION;
const char *argp_program_bug_address = "the damo (C) issue tracker";

static int cmd_help(int argc, char **argv, struct damo_ctx *ctx);

/* Sorted; a command is listed here once it works. */
static const struct damo_cmd commands[] = {
	{ "adjust", cmd_adjust, "Re-aggregate a record file to a longer interval" },
	{ "config", cmd_config, "Check, convert and print DAMON configurations" },
	{ "convert", cmd_convert, "Convert record files to damo's JSON formats" },
	{ "features", cmd_features, "Show which DAMON features this kernel has" },
	{ "help", cmd_help, "Show the manual of a command" },
	{ "module", cmd_module, "Show and change DAMON's kernel modules" },
	{ "record", cmd_record, "Record access patterns of DAMON, a process or a workload model" },
	{ "report", cmd_report_main, "Summarize access record files" },
	{ "schemes", cmd_schemes, "Show what DAMOS schemes did; replace them" },
	{ "start", cmd_start, "Start DAMON (kernel or embedded) with a configuration" },
	{ "status", cmd_status, "Show kdamonds, their parameters and scheme stats" },
	{ "stop", cmd_stop, "Stop kdamonds damo started" },
	{ "tune", cmd_tune, "Change a running kdamond online" },
	{ "version", cmd_version, "Print the version of damo" },
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
	size_t i;

	(void)arg;
	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = ga->ctx;
		break;
	case OPT_LIST_CMDS:
		for (i = 0; i < ARRAY_SIZE(commands); i++)
			printf("%s\n", commands[i].name);
		exit(0);
	case OPT_LIST_OPTS:
		cmd_list_opts(&cmd_common_argp);
		exit(0);
	case ARGP_KEY_ARG:
		/* The command word: the rest belongs to the command. */
		ga->cmd_idx = state->next - 1;
		state->next = state->argc;
		break;
	case ARGP_KEY_NO_ARGS:
		argp_error(state, "no command given");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static char *global_help_filter(int key, const char *text, void *input)
{
	size_t i, len = 0;
	char *s, *p;

	(void)input;
	if (key != ARGP_KEY_HELP_POST_DOC)
		return (char *)text;
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		len += strlen(commands[i].name) + strlen(commands[i].summary) + 32;
	s = p = xmalloc(len + strlen(text) + 256);
	p += sprintf(p, "Commands:\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		p += sprintf(p, "  %-12s %s\n", commands[i].name,
			     commands[i].summary);
	sprintf(p, "\n%s", text);
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

static const struct damo_cmd *find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static int cmd_help(int argc, char **argv, struct damo_ctx *ctx)
{
	char page[64];

	(void)ctx;
	/* Completion asks every command; help has no options of its own. */
	if (argc == 2 && !strcmp(argv[1], "--list-opts"))
		return 0;
	if (argc < 2) {
		argp_help(&global_argp, stdout, ARGP_HELP_STD_HELP, "damo");
		return 0;
	}
	if (argc > 2 || !find_cmd(argv[1])) {
		fprintf(stderr, "damo: unknown command '%s'; see 'damo --help'\n",
			argv[1]);
		return -CMD_EUSAGE;
	}
	snprintf(page, sizeof(page), "damo-%s", argv[1]);
	fflush(stdout);
	execlp("man", "man", page, (char *)NULL);
	fprintf(stderr, "damo: warning: cannot run man (%s); showing --help\n",
		strerror(errno));
	return find_cmd(argv[1])->fn(2, (char *[]){ argv[1], "--help", NULL },
				     ctx);
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
	const struct damo_cmd *cmd;
	int ret, status;

	argp_err_exit_status = DAMO_EXIT_USAGE;
	argp_parse(&global_argp, argc, argv, ARGP_IN_ORDER, NULL, &ga);
	cmd = find_cmd(argv[ga.cmd_idx]);
	if (!cmd) {
		fprintf(stderr, "damo: unknown command '%s'; see 'damo --help'\n",
			argv[ga.cmd_idx]);
		return DAMO_EXIT_USAGE;
	}
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
