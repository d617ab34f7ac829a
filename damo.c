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
static int cmd_setup_cli_completion(int argc, char **argv,
				    struct damo_ctx *ctx);

/* Sorted; a command is listed here once it works. */
static const struct cmd_sub commands[] = {
	{ .name = "adjust", .fn = cmd_adjust,
	  .summary = "Re-aggregate a record file to a longer interval" },
	{ .name = "args", .fn = cmd_args,
	  .summary = "Make the long arguments of other commands (DAMON parameters)" },
	{ .name = "config", .fn = cmd_config,
	  .summary = "Check, convert and print DAMON configurations" },
	{ .name = "convert", .alias = "convert_record_format", .fn = cmd_convert,
	  .summary = "Convert record files to damo's JSON formats" },
	{ .name = "diagnose", .fn = cmd_diagnose,
	  .summary = "Print what to attach to a report of DAMON misbehaving" },
	{ .name = "features", .fn = cmd_features,
	  .summary = "Show which DAMON features this kernel has" },
	{ .name = "help", .fn = cmd_help,
	  .summary = "Show the manual of a command" },
	{ .name = "lru_sort", .fn = cmd_lru_sort,
	  .summary = "DAMON_LRU_SORT: damo's alias of 'damo module lru_sort'" },
	{ .name = "metrics", .fn = cmd_metrics,
	  .summary = "Print monitors' numbers for Prometheus/OpenMetrics" },
	{ .name = "module", .fn = cmd_module,
	  .summary = "Show and change DAMON's kernel modules" },
	{ .name = "monitor", .fn = cmd_monitor,
	  .summary = "Record and report access patterns again and again" },
	{ .name = "pa_layout", .fn = cmd_pa_layout,
	  .summary = "Same as 'report pa_layout' (damo's older word)" },
	{ .name = "reclaim", .fn = cmd_reclaim,
	  .summary = "DAMON_RECLAIM: damo's alias of 'damo module reclaim'" },
	{ .name = "record", .fn = cmd_record,
	  .summary = "Record access patterns of DAMON, a process or a workload model" },
	{ .name = "record_info", .fn = cmd_record_info,
	  .summary = "Same as 'report record_info' (damo's older word)" },
	{ .name = "replay", .fn = cmd_replay,
	  .summary = "Re-create the access pattern of a record as a workload" },
	{ .name = "report", .fn = cmd_report_main,
	  .summary = "Summarize access record files" },
	{ .name = "schemes", .fn = cmd_schemes,
	  .summary = "Show what DAMOS schemes did; replace them" },
	{ .name = "setup_cli_completion", .fn = cmd_setup_cli_completion,
	  .summary = "Say how to turn on command line completion in bash" },
	{ .name = "start", .fn = cmd_start,
	  .summary = "Start DAMON (kernel or embedded) with a configuration" },
	{ .name = "status", .fn = cmd_status,
	  .summary = "Show kdamonds, their parameters and scheme stats" },
	{ .name = "stop", .fn = cmd_stop,
	  .summary = "Stop kdamonds damo started" },
	{ .name = "tune", .fn = cmd_tune,
	  .summary = "Change a running kdamond online" },
	{ .name = "validate", .fn = cmd_validate,
	  .summary = "Check that a record file looks like a sane DAMON's" },
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

/*
 * damo's help topics: the options of a kind, shown by the --help of the
 * command whose options they are.
 */
static const struct help_topic {
	const char *name;
	const char *title;
} help_topics[] = {
	{ "damon_param_options", "command line options for DAMON parameters" },
	{ "access_filter_options",
	  "command line options for filtering DAMON monitoring results" },
	{ "access_format_options",
	  "command line options for visualizing DAMON monitoring results" },
};

static int help_topic(const struct help_topic *t, int argc, char **argv,
		      struct damo_ctx *ctx)
{
	/* damon_param_options takes damo's category; every one shows all */
	if (argc == 3 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h")))
		argc = 2;
	if (argc > 3 || (argc == 3 && strcmp(argv[2], "all") &&
			 strcmp(argv[2], "monitoring") &&
			 strcmp(argv[2], "damos"))) {
		out_error(cmd_out(ctx), "help %s: '%s' is not all, monitoring or damos",
			  t->name, argv[2]);
		return -CMD_EUSAGE;
	}
	if (argc == 3 && strcmp(t->name, "damon_param_options")) {
		out_error(cmd_out(ctx), "help %s takes no category", t->name);
		return -CMD_EUSAGE;
	}
	printf("%s\n\n", t->title);
	fflush(stdout);
	if (!strcmp(t->name, "damon_param_options"))
		return cmd_args(3, (char *[]){ "args", "damon", "--help", NULL },
				ctx);
	return cmd_report_main(3, (char *[]){ "report", "access", "--help",
					      NULL }, ctx);
}

static int cmd_help(int argc, char **argv, struct damo_ctx *ctx)
{
	const struct cmd_sub *cmd;
	char page[64];
	size_t i;

	/* Completion asks every command; help has no options of its own. */
	if (argc == 2 && !strcmp(argv[1], "--list-opts"))
		return 0;
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		argp_help(&global_argp, stdout, ARGP_HELP_STD_HELP, "damo");
		printf("\nHelp topics (damo help TOPIC):\n");
		for (i = 0; i < ARRAY_SIZE(help_topics); i++)
			printf("  %-22s %s\n", help_topics[i].name,
			       help_topics[i].title);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(help_topics); i++)
		if (!strcmp(argv[1], help_topics[i].name))
			return help_topic(&help_topics[i], argc, argv, ctx);
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

/*
 * damo's setup_cli_completion writes its script to a temporary file and
 * asks the user to source it.  This damo's script is installed with it
 * (bash-completion loads it in new shells): say where, and how to load it
 * in this shell.  Nothing is written.
 */
static int cmd_setup_cli_completion(int argc, char **argv,
				    struct damo_ctx *ctx)
{
	const char *env = getenv("DAMO_BASH_COMPLETION");
	const char *path = env && *env ? env : DAMO_BASH_COMPLETION;

	if (argc == 2 && !strcmp(argv[1], "--list-opts"))
		return 0;
	if (argc == 2 && (!strcmp(argv[1], "--list-all-opts") ||
			  !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		if (argv[1][2] == 'l')
			cmd_list_all_opts(&cmd_common_argp);
		else
			printf("Usage: damo setup_cli_completion\n"
			       "Say where damo's bash completion script is and "
			       "how to load it in this shell.\n");
		return 0;
	}
	if (argc > 1) {
		out_error(cmd_out(ctx), "setup_cli_completion takes no arguments, not '%s'",
			  argv[1]);
		return -CMD_EUSAGE;
	}
	if (access(path, R_OK)) {
		out_error(cmd_out(ctx), "the bash completion script is not installed at %s (%s); it is completions/damo.bash in damo's source tree",
			  path, strerror(errno));
		return -ENOENT;
	}
	if (out_is_json(cmd_out(ctx))) {
		out_begin_obj(cmd_out(ctx), NULL);
		out_str(cmd_out(ctx), "bash_completion", path);
		out_end_obj(cmd_out(ctx));
		return 0;
	}
	out_text(cmd_out(ctx), "damo's bash completion is installed at %s;\n"
	       "bash-completion loads it in new shells.\n"
	       "For this shell, run:\n"
	       "    source %s\n", path, path);
	return 0;
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
	struct damo_ctx ctx = { 0 }, scan = { 0 };
	struct global_args ga = { .ctx = &ctx, .cmd_idx = -1 };
	const struct cmd_sub *cmd;
	int ret, status;

	argp_err_exit_status = DAMO_EXIT_USAGE;
	cmd_scan_json(argc, argv, &scan);
	if (scan.opts.json)
		cmd_usage_json_begin();
	ret = argp_parse(&global_argp, argc, argv, ARGP_IN_ORDER, NULL, &ga);
	cmd_usage_json_end(ret != 0);
	cmd_json_usage = ctx.opts.json;
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
