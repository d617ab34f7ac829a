/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo report sysinfo: versions, file system roots, tools and the DAMON
 * features of this system, in damo's sections.  Features are detected
 * read-only (no temporary kdamond is ever made here).
 */
#include "report_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/out.h"
#include "core/xalloc.h"
#include "kdamond/features.h"

/* damo's --print words, as bits */
enum {
	P_VERSIONS = 1 << 0,
	P_FS_INFO = 1 << 1,
	P_TRACE_CMD = 1 << 2,
	P_PERF = 1 << 3,
	P_SYSFS_FEAT = 1 << 4,
	P_DEBUGFS_FEAT = 1 << 5,
	P_TRACE_FEAT = 1 << 6,
	P_STAT_FEAT = 1 << 7,
	P_LRU_SORT_FEAT = 1 << 8,
	P_RECLAIM_FEAT = 1 << 9,
	P_INTERFACES = 1 << 10,
	P_UNAVAIL = 1 << 11,
	P_ALL = (1 << 12) - 1,
};

static const struct {
	const char *word;
	unsigned int bit;
} print_words[] = {
	{ "versions", P_VERSIONS }, { "fs_info", P_FS_INFO },
	{ "trace_cmd_info", P_TRACE_CMD }, { "perf_info", P_PERF },
	{ "sysfs_features", P_SYSFS_FEAT },
	{ "debugfs_features", P_DEBUGFS_FEAT },
	{ "trace_features", P_TRACE_FEAT }, { "stat_features", P_STAT_FEAT },
	{ "lru_sort_features", P_LRU_SORT_FEAT },
	{ "reclaim_features", P_RECLAIM_FEAT },
	{ "interfaces", P_INTERFACES },
	{ "unavailable_features", P_UNAVAIL }, { "all", P_ALL },
};

struct sysinfo_args {
	struct damo_ctx *ctx;
	unsigned int print;	/* 0: damo's default, versions and interfaces */
};

enum {
	OPT_PRINT = 0x7a0,
	OPT_INVALIDATE,
};

static const struct argp_option sysinfo_options[] = {
	{ "print", OPT_PRINT, "WHAT...", 0,
	  "What to print: versions, fs_info, trace_cmd_info, perf_info, "
	  "sysfs_features, debugfs_features, trace_features, stat_features, "
	  "lru_sort_features, reclaim_features, interfaces, "
	  "unavailable_features or all (default versions interfaces)", 0 },
	{ "invalidate-cache", OPT_INVALIDATE, NULL, 0,
	  "damo's: drop its cached system information (this damo caches "
	  "none; everything is read anew each time)", 0 },
	CMD_ALIAS("invalidate_cache", OPT_INVALIDATE),
	{ 0 }
};

static const struct argp_child sysinfo_children[] = {
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static void add_print(struct argp_state *state, struct sysinfo_args *a,
		      const char *w)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(print_words); i++)
		if (!strcmp(w, print_words[i].word)) {
			a->print |= print_words[i].bit;
			return;
		}
	argp_error(state, "--print: '%s' is not one of versions, fs_info, trace_cmd_info, perf_info, sysfs_features, debugfs_features, trace_features, stat_features, lru_sort_features, reclaim_features, interfaces, unavailable_features, all",
		   w);
}

static error_t sysinfo_parse(int key, char *arg, struct argp_state *state)
{
	struct sysinfo_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, sysinfo_children, a->ctx);
		return 0;
	case OPT_PRINT:
		add_print(state, a, arg);
		while (state->next < state->argc &&
		       state->argv[state->next][0] != '-')
			add_print(state, a, state->argv[state->next++]);
		return 0;
	case OPT_INVALIDATE:
		return 0;	/* nothing is cached */
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp sysinfo_argp = {
	.options = sysinfo_options,
	.parser = sysinfo_parse,
	.doc = "Show the versions, file systems, tools and DAMON features of "
	       "this system (damo's report sysinfo).\v"
	       "Features are read from the DAMON sysfs tree without writing "
	       "anything (see 'damo features' for every detail).  debugfs "
	       "features are never listed: this damo drives the sysfs "
	       "interface only.\n\n"
	       "Examples:\n"
	       "  damo report sysinfo\n"
	       "  damo report sysinfo --print versions perf_info sysfs_features",
	.children = sysinfo_children,
};

/* The full path of @prog in $PATH, or NULL; owned. */
static char *which(const char *prog)
{
	const char *path = getenv("PATH");
	char *dirs, *dir, *save = NULL, *found = NULL;

	if (!path || !*path)
		return NULL;
	dirs = xstrdup(path);
	for (dir = strtok_r(dirs, ":", &save); dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		char *p = xasprintf("%s/%s", *dir ? dir : ".", prog);

		if (!access(p, X_OK))
			found = p;
		else
			free(p);
	}
	free(dirs);
	return found;
}

/* The first line @path prints for "@path @arg", or NULL; owned. */
static char *first_line_of(const char *path, const char *arg)
{
	char *cmd, line[256] = "";
	FILE *p;

	if (strchr(path, '\'') )
		return NULL;
	cmd = xasprintf("'%s' %s 2>/dev/null", path, arg);
	p = popen(cmd, "r");
	free(cmd);
	if (!p)
		return NULL;
	if (!fgets(line, sizeof(line), p))
		line[0] = '\0';
	pclose(p);
	line[strcspn(line, "\n")] = '\0';
	return line[0] ? xstrdup(line) : NULL;
}

/* "PROG path: ..." (@with_path) and "PROG version: ..." lines. */
static void print_tool(struct out *o, const char *prog, const char *key,
		       bool with_path)
{
	char *path = which(prog), *ver = NULL, *label, *k;

	if (path)
		ver = first_line_of(path, "--version");
	if (with_path) {
		label = xasprintf("%s path: %%s\n", prog);
		k = xasprintf("%s_path", key);
		out_print_str(o, k, label, path ? path : "none");
		free(label);
		free(k);
	}
	label = xasprintf("%s version: %%s\n", prog);
	k = xasprintf("%s_version", key);
	out_print_str(o, k, label, ver ? ver : "none");
	free(label);
	free(k);
	free(path);
	free(ver);
}

static int cmp_version(const char *a, const char *b)
{
	long x, y;
	char *e;

	for (;;) {
		x = strtol(a, &e, 10);
		a = *e == '.' ? e + 1 : e;
		y = strtol(b, &e, 10);
		b = *e == '.' ? e + 1 : e;
		if (x != y)
			return x < y ? -1 : 1;
		if (!*a || !*b)
			return *a ? 1 : *b ? -1 : 0;
	}
}

const char *features_infer_version(const struct features *f)
{
	const char *best = NULL;
	size_t i;

	for (i = 0; i < f->nr; i++) {
		const char *since = f->v[i].def->since;

		if (f->v[i].state != FEAT_YES || !since ||
		    since[0] < '0' || since[0] > '9')
			continue;
		if (!best || cmp_version(since, best) > 0)
			best = since;
	}
	return best;
}

/* Which --print word a feature falls under. */
static unsigned int feature_bit(const struct feature_def *d)
{
	switch (d->cat) {
	case FEAT_CAT_INTERFACE:
		return P_INTERFACES;
	case FEAT_CAT_TRACEPOINT:
		return P_TRACE_FEAT;
	case FEAT_CAT_MODULE:
		if (strstr(d->probe ? d->probe : d->name, "reclaim"))
			return P_RECLAIM_FEAT;
		if (strstr(d->probe ? d->probe : d->name, "lru_sort"))
			return P_LRU_SORT_FEAT;
		return P_STAT_FEAT;
	default:
		return P_SYSFS_FEAT;
	}
}

static void print_features(struct out *o, const struct features *f,
			   unsigned int print, bool avail)
{
	bool any = false;
	size_t i;

	out_json_begin_list(o, avail ? "available_features" :
			       "unavailable_features");
	for (i = 0; i < f->nr; i++) {
		const struct feature *x = &f->v[i];
		bool has = x->state == FEAT_YES || x->state == FEAT_INFERRED;

		if (has != avail || (!avail && x->state == FEAT_UNKNOWN) ||
		    !(print & feature_bit(x->def)))
			continue;
		if (!any)
			out_text(o, "%s DAMON features:\n",
				 avail ? "available" : "unavailable");
		any = true;
		out_json_begin_obj(o, NULL);
		out_print_str(o, "name", "- %s", x->def->name);
		out_print_str(o, "since", " (%s)\n", x->def->since);
		out_json_end_obj(o);
	}
	out_json_end_list(o);
}

int report_sysinfo(int argc, char **argv, struct damo_ctx *ctx)
{
	struct sysinfo_args a = { .ctx = ctx };
	struct features_roots roots;
	struct features fs;
	struct utsname u;
	struct stat st;
	struct diag d;
	struct out *o;
	int err;

	err = cmd_parse(&sysinfo_argp, argc, argv, &a);
	if (err)
		return err;
	if (!a.print)
		a.print = P_VERSIONS | P_INTERFACES;
	o = cmd_out(ctx);
	roots.sysfs = cmd_sysfs_root(ctx);
	roots.tracefs = cmd_tracefs_root();
	roots.modules = cmd_module_root();
	diag_init(&d);
	err = features_detect(&roots, false, &fs, &d);
	if (err && err != -ENOENT) {
		out_error(o, "cannot read the DAMON features: %s", strerror(-err));
		diag_release(&d);
		return err;
	}
	out_json_begin_obj(o, NULL);
	if (a.print & P_VERSIONS) {
		const char *v = err ? NULL : features_infer_version(&fs);

		out_print_str(o, "damo_version", "damo version: %s\n",
			      DAMO_VERSION " (C)");
		out_print_str(o, "kernel_version", "kernel version: %s\n",
			      uname(&u) ? "unknown" : u.release);
		if (v)
			out_print_str(o, "damon_version", "DAMON version: %s\n", v);
		else
			out_print_str(o, "damon_version", "DAMON version: %s\n",
				      "unknown (no DAMON sysfs interface)");
	}
	if (a.print & P_FS_INFO) {
		out_print_str(o, "sysfs", "sysfs: %s\n", roots.sysfs);
		out_print_str(o, "tracefs", "tracefs: %s\n", roots.tracefs);
		out_print_str(o, "debugfs", "debugfs: %s\n",
			      stat("/sys/kernel/debug", &st) ? "none" :
			      "/sys/kernel/debug");
	}
	if (a.print & P_TRACE_CMD)
		print_tool(o, "trace-cmd", "trace_cmd", false);
	if (a.print & P_PERF)
		print_tool(o, "perf", "perf", true);
	print_features(o, &fs, a.print, true);
	if (a.print & P_UNAVAIL)
		print_features(o, &fs, a.print, false);
	out_json_end_obj(o);
	features_release(&fs);
	diag_release(&d);
	return 0;
}
