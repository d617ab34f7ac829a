/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unit tests of the sub-command selector (cmd/dispatch.c): which row a
 * command line picks, where the options before the word go, aliases,
 * optional words, the return for usage and lists, and that an error after
 * the word still sees a later -j.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/dispatch.h"
#include "core/out.h"
#include "core/xalloc.h"

static int last_argc;
static char *last_argv[8];

static int record_args(int argc, char **argv, struct damo_ctx *ctx)
{
	int i;

	(void)ctx;
	last_argc = argc;
	for (i = 0; i < argc && i < 8; i++)
		last_argv[i] = argv[i];
	return 7;
}

static const struct cmd_sub rows[] = {
	{ "wss", NULL, record_args, "working set size", "report wss", NULL },
	{ "record-info", "record_info", record_args, "what each covers",
	  "report record-info", NULL },
};

static const struct cmd_table table = {
	.prog = "damo report",
	.what = "report type",
	.subs = rows,
	.nr_subs = ARRAY_SIZE(rows),
	.args_doc = "TYPE [OPTION...]",
	.heading = "Types:",
};

static const char *const also[] = { "show", NULL };

static const struct cmd_table optional = {
	.prog = "damo module",
	.what = "module",
	.subs = rows,
	.nr_subs = ARRAY_SIZE(rows),
	.optional = true,
	.also = also,
};

/* Run cmd_select() on @words with stdout and stderr out of the way. */
static int select_quiet(const struct cmd_table *t, int *argc, char ***argv,
			struct damo_ctx *ctx, const struct cmd_sub **row)
{
	int out = dup(STDOUT_FILENO), err = dup(STDERR_FILENO);
	int null = open("/dev/null", O_WRONLY);
	int ret;

	fflush(stdout);
	fflush(stderr);
	dup2(null, STDOUT_FILENO);
	dup2(null, STDERR_FILENO);
	ret = cmd_select(t, argc, argv, ctx, row);
	fflush(stdout);
	fflush(stderr);
	dup2(out, STDOUT_FILENO);
	dup2(err, STDERR_FILENO);
	close(null);
	close(out);
	close(err);
	return ret;
}

static void test_word_after_options(void **state)
{
	char *words[] = { "report", "-j", "--sysfs-root", "/x", "-v", "wss",
			  "--range", "0", NULL };
	struct damo_ctx ctx = { 0 };
	const struct cmd_sub *row;
	char **argv = words;
	int argc = 8;

	(void)state;
	assert_int_equal(cmd_select(&table, &argc, &argv, &ctx, &row), 0);
	assert_ptr_equal(row, &rows[0]);
	assert_int_equal(argc, 7);
	assert_string_equal(argv[0], "report wss");
	assert_string_equal(argv[1], "-j");
	assert_string_equal(argv[2], "--sysfs-root");
	assert_string_equal(argv[3], "/x");
	assert_string_equal(argv[4], "-v");
	assert_string_equal(argv[5], "--range");
	assert_string_equal(argv[6], "0");
	assert_null(argv[7]);
	/* the options are the command's to parse: nothing is set yet */
	assert_false(ctx.opts.json);
}

static void test_alias_and_dispatch(void **state)
{
	char *words[] = { "report", "record_info", "-i", "f", NULL };
	struct damo_ctx ctx = { 0 };

	(void)state;
	assert_int_equal(cmd_dispatch(&table, 4, words, &ctx), 7);
	assert_int_equal(last_argc, 3);
	assert_string_equal(last_argv[0], "report record-info");
	assert_string_equal(last_argv[1], "-i");
	assert_string_equal(last_argv[2], "f");
}

static void test_find(void **state)
{
	(void)state;
	assert_ptr_equal(cmd_find(&table, "record-info"), &rows[1]);
	assert_ptr_equal(cmd_find(&table, "record_info"), &rows[1]);
	assert_null(cmd_find(&table, "record"));
	assert_null(cmd_find(&table, "WSS"));
}

static void test_errors(void **state)
{
	char *none[] = { "report", "-j", NULL };
	char *unknown[] = { "report", "nosuch", "--pretty", NULL };
	char *option[] = { "report", "--input", "x", "wss", NULL };
	struct damo_ctx ctx = { 0 };
	const struct cmd_sub *row;
	char **argv;
	int argc;

	(void)state;
	argv = none;
	argc = 2;
	assert_int_equal(select_quiet(&table, &argc, &argv, &ctx, &row),
			 -CMD_EUSAGE);
	assert_null(row);
	assert_true(ctx.opts.json);
	assert_true(out_failed(ctx.out));
	out_free(&ctx.out);

	/* a -j after the bad word counts: the error is JSON */
	memset(&ctx, 0, sizeof(ctx));
	argv = unknown;
	argc = 3;
	assert_int_equal(select_quiet(&table, &argc, &argv, &ctx, &row),
			 -CMD_EUSAGE);
	assert_true(ctx.opts.json);
	assert_true(ctx.opts.pretty);
	out_free(&ctx.out);

	/* only the common options are skipped */
	memset(&ctx, 0, sizeof(ctx));
	argv = option;
	argc = 4;
	assert_int_equal(select_quiet(&table, &argc, &argv, &ctx, &row),
			 -CMD_EUSAGE);
	assert_false(ctx.opts.json);
	out_free(&ctx.out);
}

static void test_usage_and_list(void **state)
{
	char *help[] = { "report", "-j", "--help", NULL };
	char *list[] = { "report", "--list-opts", NULL };
	char *ohelp[] = { "module", "--help", NULL };
	struct damo_ctx ctx = { 0 };
	const struct cmd_sub *row;
	char **argv;
	int argc;

	(void)state;
	argv = help;
	argc = 3;
	assert_int_equal(select_quiet(&table, &argc, &argv, &ctx, &row), 1);
	argv = list;
	argc = 2;
	assert_int_equal(select_quiet(&table, &argc, &argv, &ctx, &row), 1);
	/* no usage of its own: --help is the command's */
	argv = ohelp;
	argc = 2;
	assert_int_equal(select_quiet(&optional, &argc, &argv, &ctx, &row), 0);
	assert_null(row);
	assert_ptr_equal(argv, ohelp);
	assert_null(ctx.out);
}

static void test_optional(void **state)
{
	char *bare[] = { "module", NULL };
	char *opts[] = { "module", "-j", NULL };
	char *act[] = { "module", "-j", "show", NULL };
	char *row1[] = { "module", "-p", "wss", "enable", NULL };
	char *bad[] = { "module", "frob", NULL };
	struct damo_ctx ctx = { 0 };
	const struct cmd_sub *row;
	char **argv;
	int argc;

	(void)state;
	argv = bare;
	argc = 1;
	assert_int_equal(cmd_select(&optional, &argc, &argv, &ctx, &row), 0);
	assert_null(row);
	argv = opts;
	argc = 2;
	assert_int_equal(cmd_select(&optional, &argc, &argv, &ctx, &row), 0);
	assert_null(row);
	assert_int_equal(argc, 2);
	argv = act;
	argc = 3;
	assert_int_equal(cmd_select(&optional, &argc, &argv, &ctx, &row), 0);
	assert_null(row);
	assert_ptr_equal(argv, act);
	argv = row1;
	argc = 4;
	assert_int_equal(cmd_select(&optional, &argc, &argv, &ctx, &row), 0);
	assert_ptr_equal(row, &rows[0]);
	assert_int_equal(argc, 3);
	assert_string_equal(argv[0], "report wss");
	assert_string_equal(argv[1], "-p");
	assert_string_equal(argv[2], "enable");
	assert_null(ctx.out);
	argv = bad;
	argc = 2;
	assert_int_equal(select_quiet(&optional, &argc, &argv, &ctx, &row),
			 -CMD_EUSAGE);
	out_free(&ctx.out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_word_after_options),
		cmocka_unit_test(test_alias_and_dispatch),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_usage_and_list),
		cmocka_unit_test(test_optional),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
