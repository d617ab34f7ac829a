/* SPDX-License-Identifier: GPL-2.0 */
/* Sub-command selection, usage and word errors from one table. */
#include "dispatch.h"

#include <stdlib.h>
#include <string.h>

#include "core/out.h"
#include "core/xalloc.h"

const struct cmd_sub *cmd_find(const struct cmd_table *t, const char *word)
{
	size_t i;

	for (i = 0; i < t->nr_subs; i++)
		if (!strcmp(word, t->subs[i].name) ||
		    (t->subs[i].alias && !strcmp(word, t->subs[i].alias)))
			return &t->subs[i];
	return NULL;
}

void cmd_print_list(const struct cmd_table *t, FILE *f)
{
	size_t i;

	for (i = 0; i < t->nr_subs; i++)
		fprintf(f, "  %-12s %s\n", t->subs[i].name,
			t->subs[i].summary ? t->subs[i].summary : "");
}

static int by_name(const void *a, const void *b)
{
	const struct cmd_sub *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

void cmd_print_names(const struct cmd_table *t)
{
	const struct cmd_sub **v = xreallocarray(NULL, t->nr_subs ? t->nr_subs : 1,
						 sizeof(*v));
	size_t i;

	for (i = 0; i < t->nr_subs; i++)
		v[i] = &t->subs[i];
	qsort(v, t->nr_subs, sizeof(*v), by_name);
	for (i = 0; i < t->nr_subs; i++)
		printf("%s\n", v[i]->name);
	free(v);
}

static bool has_usage(const struct cmd_table *t)
{
	size_t i;

	if (t->args_doc)
		return true;
	for (i = 0; i < t->nr_subs; i++)
		if (t->subs[i].synopsis)
			return true;
	return false;
}

static void print_usage(const struct cmd_table *t)
{
	const char *lead = "Usage:";
	size_t i;

	if (t->args_doc)
		printf("Usage: %s %s\n", t->prog, t->args_doc);
	for (i = 0; !t->args_doc && i < t->nr_subs; i++) {
		if (!t->subs[i].synopsis)
			continue;
		printf("%s %s %s %s\n", lead, t->prog, t->subs[i].name,
		       t->subs[i].synopsis);
		lead = "   or:";
	}
	if (t->doc)
		printf("\n%s\n", t->doc);
	if (t->heading) {
		printf("\n%s\n", t->heading);
		cmd_print_list(t, stdout);
	}
	if (t->footer)
		printf("\n%s", t->footer);
}

static bool is_help(const char *s)
{
	return !strcmp(s, "--help") || !strcmp(s, "-h") || !strcmp(s, "--usage");
}

/* A cluster of the common short flags that take no argument: "-jv". */
static bool is_short_common(const char *s)
{
	if (s[0] != '-' || !s[1] || s[1] == '-')
		return false;
	return strspn(s + 1, "jpv") == strlen(s + 1);
}

/*
 * How many words of @argv from @i make one common option (0: it is not
 * one).  Only the exact spellings: the command's own argp sees them again.
 */
static int common_opt_words(int argc, char **argv, int i)
{
	const char *s = argv[i];

	if (is_short_common(s) || !strcmp(s, "--json") ||
	    !strcmp(s, "--pretty") || !strcmp(s, "--no-color") ||
	    !strcmp(s, "--verbose") || !strncmp(s, "--sysfs-root=", 13))
		return 1;
	if (!strcmp(s, "--sysfs-root"))
		return i + 1 < argc ? 2 : 1;
	return 0;
}

/* -j/--json, -p/--pretty among @argv's words (up to a "--"). */
void cmd_scan_json(int argc, char **argv, struct damo_ctx *ctx)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--sysfs-root")) {
			i++;
			continue;
		}
		if (!strcmp(argv[i], "--json") ||
		    (is_short_common(argv[i]) && strchr(argv[i], 'j')))
			ctx->opts.json = true;
		if (!strcmp(argv[i], "--pretty") ||
		    (is_short_common(argv[i]) && strchr(argv[i], 'p'))) {
			ctx->opts.json = true;
			ctx->opts.pretty = true;
		}
	}
}

int cmd_word_error(const struct cmd_table *t, const char *word, int argc,
		   char **argv, struct damo_ctx *ctx)
{
	cmd_scan_json(argc, argv, ctx);
	if (!word)
		out_error(cmd_out(ctx), "no %s given; see '%s --help'",
			  t->what, t->prog);
	else
		out_error(cmd_out(ctx), "unknown %s '%s'; see '%s --help'",
			  t->what, word, t->prog);
	return -CMD_EUSAGE;
}

static bool is_also(const struct cmd_table *t, const char *word)
{
	const char *const *w;

	for (w = t->also; w && *w; w++)
		if (!strcmp(word, *w))
			return true;
	return false;
}

int cmd_select(const struct cmd_table *t, int *argc, char ***argv,
	       struct damo_ctx *ctx, const struct cmd_sub **row)
{
	char **v = *argv;
	char *word;
	int c = *argc, i = 1, n;

	*row = NULL;
	while (i < c && (n = common_opt_words(c, v, i)))
		i += n;
	if (i < c && has_usage(t) && is_help(v[i])) {
		print_usage(t);
		return 1;
	}
	if (i < c && !strcmp(v[i], "--list-opts")) {
		cmd_print_names(t);
		return 1;
	}
	if (t->optional && (i >= c || (v[i][0] == '-' && v[i][1])))
		return 0;
	if (i >= c)
		return cmd_word_error(t, NULL, c, v, ctx);
	word = v[i];
	*row = cmd_find(t, word);
	if (!*row) {
		if (is_also(t, word))
			return 0;
		return cmd_word_error(t, word, c, v, ctx);
	}
	/* the word first, then the options that came before it */
	memmove(&v[2], &v[1], (size_t)(i - 1) * sizeof(*v));
	v[1] = (char *)((*row)->shown ? (*row)->shown : (*row)->name);
	*argc = c - 1;
	*argv = v + 1;
	return 0;
}

int cmd_dispatch(const struct cmd_table *t, int argc, char **argv,
		 struct damo_ctx *ctx)
{
	const struct cmd_sub *row;
	int err;

	err = cmd_select(t, &argc, &argv, ctx, &row);
	if (err)
		return err > 0 ? 0 : err;
	if (!row || !row->fn)
		return cmd_word_error(t, NULL, argc, argv, ctx);
	return row->fn(argc, argv, ctx);
}
