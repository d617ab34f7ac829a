/* SPDX-License-Identifier: GPL-2.0 */
/* Options shared by every command, and small helpers for command files. */
#include "cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/out.h"
#include "core/units.h"
#include "core/xalloc.h"

enum {
	OPT_NO_COLOR = 0x100,
	OPT_SYSFS_ROOT,
	OPT_LIST_OPTS,
	OPT_COMPLETE,
};

static const struct argp_option common_options[] = {
	{ "json", 'j', NULL, 0, "Print JSON", -1 },
	{ "pretty", 'p', NULL, 0, "Print indented JSON (implies --json)", -1 },
	{ "no-color", OPT_NO_COLOR, NULL, 0, "Never use colour", -1 },
	{ "verbose", 'v', NULL, 0, "Say more about what is done", -1 },
	{ "quiet", 'q', NULL, 0,
	  "Show no progress line on a terminal during long work", -1 },
	{ "sysfs-root", OPT_SYSFS_ROOT, "DIR", OPTION_HIDDEN,
	  "DAMON sysfs admin directory (tests)", -1 },
	{ "list-opts", OPT_LIST_OPTS, NULL, OPTION_HIDDEN,
	  "List long options (for completion)", -1 },
	{ "complete", OPT_COMPLETE, "OPT[=CUR]", OPTION_HIDDEN,
	  "List the values of option OPT (or ID), for completion", -1 },
	{ 0 }
};

static error_t common_parse(int key, char *arg, struct argp_state *state)
{
	struct damo_ctx *ctx = state->input;

	switch (key) {
	case 'j':
		ctx->opts.json = true;
		break;
	case 'p':
		ctx->opts.json = true;
		ctx->opts.pretty = true;
		break;
	case OPT_NO_COLOR:
		ctx->opts.no_color = true;
		break;
	case 'v':
		ctx->opts.verbose++;
		break;
	case 'q':
		ctx->opts.quiet = true;
		break;
	case OPT_SYSFS_ROOT:
		ctx->opts.sysfs_root = arg;
		break;
	case OPT_LIST_OPTS:
		cmd_list_opts(state->root_argp);
		exit(0);
	case OPT_COMPLETE:
		cmd_complete(state->root_argp, ctx, arg);
		exit(0);
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp cmd_common_argp = {
	.options = common_options,
	.parser = common_parse,
};

void cmd_child_inputs(struct argp_state *state,
		      const struct argp_child *children, struct damo_ctx *ctx)
{
	size_t i;

	for (i = 0; children[i].argp; i++)
		if (children[i].argp == &cmd_common_argp)
			state->child_inputs[i] = ctx;
}

bool cmd_json_usage;

/*
 * Under --json a usage error is a JSON error object on standard output as
 * every other error is; argp and getopt print theirs on stderr and argp
 * then exits.  So while argp parses, stderr is a stream that keeps what is
 * written to it, and what was kept is said as JSON when the parse fails or
 * argp exits (an atexit() handler runs before stdio is flushed).
 */
static FILE *usage_stderr;		/* the real stderr while capturing */
static char *usage_text;
static size_t usage_len;

static ssize_t usage_keep(void *cookie, const char *buf, size_t n)
{
	(void)cookie;
	usage_text = xreallocarray(usage_text, usage_len + n + 1, 1);
	memcpy(usage_text + usage_len, buf, n);
	usage_len += n;
	usage_text[usage_len] = '\0';
	return (ssize_t)n;
}

/*
 * "damo start: unrecognized option '--x'\nTry `damo start --help' or ...":
 * the first line without the program name, and where to look.
 */
static void usage_say_json(void)
{
	char *nl, *msg = usage_text, *colon, *try;
	struct out *o;

	nl = strchr(msg, '\n');
	if (nl)
		*nl = '\0';
	colon = strstr(msg, ": ");
	if (colon && (!strncmp(msg, "damo ", 5) ||
		      !memchr(msg, ' ', (size_t)(colon - msg))))
		msg = colon + 2;
	try = nl ? strstr(nl + 1, "Try `") : NULL;
	o = out_new(stdout, OUT_JSON);
	if (try && strchr(try + 5, '\''))
		out_error(o, "%s; see '%.*s'", msg,
			  (int)(strchr(try + 5, '\'') - (try + 5)), try + 5);
	else
		out_error(o, "%s", msg);
	out_free(&o);
	fflush(stdout);
}

void cmd_usage_json_end(bool failed)
{
	FILE *cap = stderr;

	if (!usage_stderr)
		return;
	fflush(cap);
	stderr = usage_stderr;
	usage_stderr = NULL;
	fclose(cap);
	if (usage_len && failed)
		usage_say_json();
	else if (usage_len)
		fputs(usage_text, stderr);
	free(usage_text);
	usage_text = NULL;
	usage_len = 0;
}

static void usage_at_exit(void)
{
	cmd_usage_json_end(true);
}

void cmd_usage_json_begin(void)
{
	static bool registered;
	FILE *cap;

	if (!registered && !atexit(usage_at_exit))
		registered = true;
	if (!registered)
		return;
	fflush(stderr);
	cap = fopencookie(NULL, "w", (cookie_io_functions_t){
		.write = usage_keep,
	});
	if (!cap)
		return;
	usage_stderr = stderr;
	stderr = cap;
}

/*
 * --json, --pretty or -j (alone or in a cluster such as -jv) among a
 * command's words, up to "--".  A lone -p is not taken for --pretty here:
 * the reports that draw (wss, nr_regions, footprints) take -p for --plot,
 * as damo does.
 */
static bool json_among(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		const char *w = argv[i];

		if (!strcmp(w, "--json") || !strcmp(w, "--pretty"))
			return true;
		if (w[0] == '-' && w[1] && w[1] != '-' &&
		    strspn(w + 1, "jpvq") == strlen(w + 1) && strchr(w, 'j'))
			return true;
	}
	return false;
}

int cmd_parse(const struct argp *argp, int argc, char **argv, void *input)
{
	char name[64];
	char *saved = argv[0];
	int err;

	if (cmd_json_usage || json_among(argc, argv))
		cmd_usage_json_begin();
	snprintf(name, sizeof(name), "damo %s", argv[0]);
	argv[0] = name;
	err = argp_parse(argp, argc, argv, 0, NULL, input);
	argv[0] = saved;
	cmd_usage_json_end(err != 0);
	return err ? -err : 0;
}

struct out *cmd_out(struct damo_ctx *ctx)
{
	unsigned int flags = 0;
	const char *nc = getenv("NO_COLOR");

	if (ctx->out)
		return ctx->out;
	if (ctx->opts.json)
		flags |= OUT_JSON;
	if (ctx->opts.pretty)
		flags |= OUT_PRETTY;
	if (ctx->opts.quiet)
		flags |= OUT_QUIET;
	if (ctx->opts.raw)
		flags |= OUT_RAW;
	if (!ctx->opts.no_color && !(nc && *nc) && isatty(STDOUT_FILENO))
		flags |= OUT_COLOR;
	ctx->out = out_new(stdout, flags);
	return ctx->out;
}

void cmd_report(struct out *o, const struct diag *d)
{
	size_t i, len = 0;
	char *all = NULL, *s, *p;

	for (i = 0; i < d->nr; i++) {
		if (!strcmp(d->v[i].path, "hint"))
			continue;
		s = diag_format(&d->v[i]);
		/* diag_format() writes "error: " itself; out_error() too */
		p = strstr(s, "error: ");
		if (p)
			memmove(p, p + 7, strlen(p + 7) + 1);
		all = xreallocarray(all, len + strlen(s) + 2, 1);
		len += (size_t)sprintf(all + len, "%s%s", len ? "\n" : "", s);
		free(s);
	}
	/* under --json the hints travel inside the one error object */
	for (i = 0; all && out_is_json(o) && i < d->nr; i++) {
		const char *h = d->v[i].msg;

		if (strcmp(d->v[i].path, "hint"))
			continue;
		all = xreallocarray(all, len + strlen(h) + 8, 1);
		len += (size_t)sprintf(all + len, "\nhint: %s", h);
	}
	if (all)
		out_error(o, "%s", all);
	for (i = 0; i < d->nr; i++)
		if (!strcmp(d->v[i].path, "hint"))
			out_hint(o, "%s", d->v[i].msg);
	free(all);
}

void cmd_warn_diag(struct out *o, struct diag *d)
{
	size_t i, keep = 0;
	char *s, *p;

	for (i = 0; i < d->nr; i++) {
		if (!d->v[i].warning) {
			d->v[keep++] = d->v[i];
			continue;
		}
		s = diag_format(&d->v[i]);
		/* out_warn() says "warning: " itself */
		p = strstr(s, "warning: ");
		if (p)
			memmove(p, p + 9, strlen(p + 9) + 1);
		out_warn(o, "%s", s);
		free(s);
		free(d->v[i].file);
		free(d->v[i].path);
		free(d->v[i].msg);
	}
	d->nr = keep;
}

const char *cmd_sysfs_root(const struct damo_ctx *ctx)
{
	const char *env = getenv("DAMO_SYSFS_ROOT");

	if (ctx->opts.sysfs_root)
		return ctx->opts.sysfs_root;
	if (env && *env)
		return env;
	return DAMO_DEFAULT_SYSFS_ROOT;
}

const char *cmd_tracefs_root(void)
{
	const char *env = getenv("DAMO_TRACEFS_ROOT");

	if (env && *env)
		return env;
	if (!access("/sys/kernel/tracing/events", F_OK))
		return "/sys/kernel/tracing";
	return "/sys/kernel/debug/tracing";
}

const char *cmd_module_root(void)
{
	const char *env = getenv("DAMO_MODULE_ROOT");

	return env && *env ? env : "/sys/module";
}

void cmd_list_opts(const struct argp *argp)
{
	const struct argp_option *o;
	const struct argp_child *c;

	for (o = argp->options; o && (o->name || o->key || o->doc); o++) {
		if (!o->name || o->flags & (OPTION_HIDDEN | OPTION_ALIAS))
			continue;
		/* argp's own --help, --usage and --version are everywhere */
		if (!strcmp(o->name, "help") || !strcmp(o->name, "usage") ||
		    !strcmp(o->name, "version"))
			continue;
		printf("--%s\n", o->name);
	}
	/* The common options are listed once, by "damo --list-opts". */
	for (c = argp->children; c && c->argp; c++)
		if (c->argp != &cmd_common_argp)
			cmd_list_opts(c->argp);
}

int cmd_split_command(int argc, char **argv, char ***command)
{
	int i;

	*command = NULL;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--"))
			continue;
		if (i + 1 == argc) {
			fprintf(stderr, "damo %s: no command after '--'\n", argv[0]);
			return -CMD_EUSAGE;
		}
		*command = &argv[i + 1];
		return i;
	}
	return argc;
}

int cmd_parse_cpu_budget(const char *arg, unsigned int *bp)
{
	char *t = strchr(arg, '%') ? NULL : xasprintf("%s%%", arg);
	uint64_t v;
	int err;

	err = units_parse_ratio(t ? t : arg, 10000, &v);
	free(t);
	if (err || !v || v > 10000)
		return -EINVAL;
	*bp = (unsigned int)v;
	return 0;
}
