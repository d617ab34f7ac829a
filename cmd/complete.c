/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The values of an option, for the shell completions: the hidden common
 * option --complete=OPT[=CUR] of every command (completions/damo.bash).
 * The words come from the same tables the parsers use, so a completion
 * cannot offer what the command refuses.
 */
#include "cmd.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/backend_args.h"
#include "cmd/report_access.h"
#include "core/damon.h"
#include "core/diag.h"
#include "formats/record.h"
#include "kdamond/backend.h"

/* Files whose first bytes --input's completion reads, at most. */
#define MAX_SNIFFED 1024

/* The option named @name (without "--") in @argp or its children. */
static const struct argp_option *find_opt(const struct argp *argp,
					  const char *name)
{
	const struct argp_option *o, *real = NULL, *found;
	const struct argp_child *c;

	for (o = argp->options; o && (o->name || o->key || o->doc); o++) {
		/* an alias takes the argument of the option it follows */
		if (!(o->flags & OPTION_ALIAS))
			real = o;
		if (o->name && !strcmp(o->name, name))
			return real ? real : o;
	}
	for (c = argp->children; c && c->argp; c++) {
		found = find_opt(c->argp, name);
		if (found)
			return found;
	}
	return NULL;
}

/* Each word of a "a|b|c" first word of @arg. */
static void print_alternatives(const char *arg)
{
	size_t n = strcspn(arg, " [");
	const char *p = arg, *bar;

	while (p < arg + n) {
		bar = memchr(p, '|', (size_t)(arg + n - p));
		if (!bar)
			bar = arg + n;
		printf("%.*s\n", (int)(bar - p), p);
		p = bar + 1;
	}
}

/* The ids of what runs, kernel kdamonds then embedded monitors. */
static void print_ids(struct damo_ctx *ctx)
{
	char buf[DAMO_ID_BUFSZ];
	struct damo_id *ids;
	struct backend b[2];
	struct diag d;
	size_t nb = 0, i, j, n;

	diag_init(&d);
	/* read-only: no temporary kdamond, no refresh */
	if (!backend_open_all(cmd_backend_env(ctx), BACKEND_AUTO, NULL, b,
			      &nb, &d)) {
		for (i = 0; i < nb; i++) {
			n = 0;
			ids = NULL;
			if (!backend_list(&b[i], false, &ids, &n))
				for (j = 0; j < n; j++)
					printf("%s\n", damo_id_str(ids[j], buf));
			free(ids);
			backend_close(&b[i]);
		}
	}
	diag_release(&d);
}

/*
 * Record files in the directory @cur names (its part up to the last '/'),
 * whose names start as @cur's last part does; directories too, with a
 * trailing '/', to go on into.  Past MAX_SNIFFED files, "@files": the
 * shell's own file names.
 */
static void print_record_files(const char *cur)
{
	const char *slash = strrchr(cur, '/');
	char *dir = slash ? strndup(cur, (size_t)(slash - cur + 1)) :
		    strdup("");
	const char *base = slash ? slash + 1 : cur;
	struct dirent *de;
	struct stat st;
	size_t sniffed = 0;
	DIR *d;

	if (!dir)
		return;
	d = opendir(*dir ? dir : ".");
	while (d && (de = readdir(d))) {
		char *path;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (strncmp(de->d_name, base, strlen(base)) ||
		    (de->d_name[0] == '.' && base[0] != '.'))
			continue;
		if (asprintf(&path, "%s%s", dir, de->d_name) < 0)
			continue;
		if (stat(path, &st))
			;	/* gone meanwhile, or a dangling link */
		else if (S_ISDIR(st.st_mode))
			printf("%s/\n", path);
		else if (S_ISREG(st.st_mode) && ++sniffed > MAX_SNIFFED) {
			/* a huge directory: any file, rather than a long wait */
			printf("@files\n");
			free(path);
			break;
		} else if (S_ISREG(st.st_mode) && record_is_likely(path)) {
			printf("%s\n", path);
		}
		free(path);
	}
	if (d)
		closedir(d);
	free(dir);
}

void cmd_complete(const struct argp *argp, struct damo_ctx *ctx,
		  const char *spec)
{
	const char *eq = strchr(spec, '='), *cur = eq ? eq + 1 : "";
	char *name = eq ? strndup(spec, (size_t)(eq - spec)) : strdup(spec);
	const struct argp_option *o;
	const char *arg;
	int i;

	if (!name)
		return;
	if (!strcmp(name, "ID")) {
		print_ids(ctx);
		goto out;
	}
	o = find_opt(argp, name[0] == '-' && name[1] == '-' ? name + 2 : name);
	arg = o ? o->arg : NULL;
	if (!arg)
		goto out;
	if (!strcmp(o->name, "damos-action")) {
		for (i = 0; i < NR_DAMOS_ACTIONS; i++)
			printf("%s\n", damos_action_name(i));
	} else if (!strcmp(o->name, "ops")) {
		for (i = 0; i < NR_DAMON_OPS; i++)
			printf("%s\n", damon_ops_name(i));
	} else if (!strcmp(o->name, "style")) {
		for (i = 0; access_style_name(i); i++)
			printf("%s\n", access_style_name(i));
	} else if (!strcmp(o->name, "damos-quota-goal")) {
		for (i = 0; i < NR_DAMOS_QGOAL_METRICS; i++)
			printf("%s\n", damos_qgoal_metric_name(i));
	} else if (!strcmp(o->name, "damos-quota-goal-tuner")) {
		for (i = 0; i < NR_DAMOS_GOAL_TUNERS; i++)
			printf("%s\n", damos_goal_tuner_name(i));
	} else if (!strcmp(o->name, "damos-wmarks")) {
		for (i = 0; i < NR_DAMOS_WMARK_METRICS; i++)
			printf("%s\n", damos_wmark_metric_name(i));
	} else if (!strcmp(o->name, "format") && !strcmp(arg, "FORMAT")) {
		/* the formats damo writes (record, convert) */
		printf("%s\n%s\n%s\n", record_format_name(RECORD_FMT_NATIVE),
		       record_format_name(RECORD_FMT_JSON_COMPRESSED),
		       record_format_name(RECORD_FMT_JSON));
	} else if (!strcmp(o->name, "input")) {
		print_record_files(cur);
	} else if (strcspn(arg, "|") < strcspn(arg, " [")) {
		print_alternatives(arg);
	} else if (strstr(arg, "FILE") || !strcmp(arg, "CONFIG") ||
		   !strcmp(arg, "DIR")) {
		printf("@files\n");
	}
out:
	free(name);
}
