/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sub-command selection from a table: the top-level commands, the report
 * types and the subcommands of config, module and schemes.  The table is
 * the one list of the words: usage, --list-opts (for completion) and the
 * errors for a missing or unknown word are all made from it.
 */
#ifndef DAMO_CMD_DISPATCH_H
#define DAMO_CMD_DISPATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cmd.h"

/*
 * struct cmd_sub - one word of a table.
 * @name:	the word, as listed and completed
 * @alias:	another spelling, damo's ("footprints"), accepted but not
 *		listed; or NULL
 * @fn:		the handler, called with argv[0] = @shown; NULL when the
 *		command picks the row with cmd_select() and runs it itself
 * @summary:	one line in the usage's list (@heading); or NULL
 * @shown:	argv[0] for @fn, so that argp says "damo report wss"; NULL:
 *		@name
 * @synopsis:	its arguments for a "Usage:"/"or:" line of the usage (a
 *		table without @args_doc has one such line a row)
 */
struct cmd_sub {
	const char *name;
	const char *alias;
	int (*fn)(int argc, char **argv, struct damo_ctx *ctx);
	const char *summary;
	const char *shown;
	const char *synopsis;
};

/*
 * struct cmd_table - the words a command selects from, and its usage.
 * @prog:	the command as the user types it: "damo report"
 * @what:	what a word is, for errors: "report type", "subcommand"
 * @subs:	the rows, in the order the usage lists them
 * @nr_subs:	how many
 * @optional:	no word is fine: cmd_select() gives a NULL row (otherwise
 *		it is a usage error)
 * @also:	other first words, NULL-terminated, that the command takes
 *		itself (cmd_select() gives a NULL row for them); or NULL
 * @args_doc:	the usage's one "Usage: @prog @args_doc" line; NULL: a line a
 *		row from its @synopsis
 * @doc:	the paragraph after the usage lines; or NULL
 * @heading:	the title of the list of rows with their @summary
 *		("Types:"); NULL: no list
 * @footer:	the text after the list (ending with a newline), such as
 *		examples; or NULL
 *
 * A table with neither @args_doc nor a row's @synopsis has no usage of its
 * own: --help, -h and --usage are left to the command (module's argp).
 */
struct cmd_table {
	const char *prog;
	const char *what;
	const struct cmd_sub *subs;
	size_t nr_subs;
	bool optional;
	const char *const *also;
	const char *args_doc;
	const char *doc;
	const char *heading;
	const char *footer;
};

/* cmd_find() - the row of @t named or aliased @word, or NULL. */
const struct cmd_sub *cmd_find(const struct cmd_table *t, const char *word);

/*
 * cmd_print_list() - the rows of @t with their summaries to @f, one
 * "  NAME         SUMMARY" line each, in table order.
 */
void cmd_print_list(const struct cmd_table *t, FILE *f);

/* cmd_print_names() - the names of @t's rows, sorted, one a line. */
void cmd_print_names(const struct cmd_table *t);

/* cmd_scan_json() - -j/--json, -p/--pretty among @argv's words (up to "--") set in @ctx. */
void cmd_scan_json(int argc, char **argv, struct damo_ctx *ctx);

/*
 * cmd_word_error() - say that the word of @t is missing (@word NULL) or
 * unknown, as "damo: error: ..." through out_error(), which under --json
 * prints the error object instead.  -j/--json or -p/--pretty anywhere in
 * @argv (before a "--") count, even after the bad word, as the command
 * would have parsed them.
 * Return: -CMD_EUSAGE (exit status 64).
 */
int cmd_word_error(const struct cmd_table *t, const char *word, int argc,
		   char **argv, struct damo_ctx *ctx);

/*
 * cmd_select() - pick the row of @t named by the first word of *@argv
 * after argv[0] (the command); common options (-j, -p, -v, --no-color,
 * --sysfs-root) may come before it.
 *
 * --help, -h and --usage print the usage of @t; --list-opts prints the
 * names of its rows (completion takes them as subcommands).  A missing or
 * unknown word is said through cmd_word_error().
 *
 * On a row, *@argc and *@argv are its arguments: argv[0] is the row's
 * shown name, followed by whatever options came before the word and then
 * the words after it.
 *
 * Return: 0 with *@row set (NULL: no word or an @also word, with *@argc
 * and *@argv untouched); 1 when the usage or the list was printed (the
 * command is done, exit status 0); -CMD_EUSAGE after an error was said.
 */
int cmd_select(const struct cmd_table *t, int *argc, char ***argv,
	       struct damo_ctx *ctx, const struct cmd_sub **row);

/*
 * cmd_dispatch() - cmd_select() and run the row's handler.  A table used
 * this way is not @optional and every row has a handler.
 * Return: what the handler returns, or as cmd_select() (0 for 1).
 */
int cmd_dispatch(const struct cmd_table *t, int argc, char **argv,
		 struct damo_ctx *ctx);

#endif /* DAMO_CMD_DISPATCH_H */
