/* SPDX-License-Identifier: GPL-2.0 */
/* damo's deducible target and --kdamonds, for start, tune, record, schemes. */
#include "target.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/damon_opts.h"
#include "cmd/kernel.h"
#include "core/damon.h"
#include "core/diag.h"
#include "core/out.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "formats/config.h"

enum {
	OPT_KDAMONDS = 0x300,
};

static const struct argp_option target_options[] = {
	{ "kdamonds", OPT_KDAMONDS, "FILE|TEXT", 0,
	  "The whole configuration, as damo's --kdamonds: a kdamonds file or its JSON/YAML text",
	  1 },
	{ 0 }
};

static error_t target_parse(int key, char *arg, struct argp_state *state)
{
	const char **kdamonds = state->input;

	if (key != OPT_KDAMONDS)
		return ARGP_ERR_UNKNOWN;
	if (*kdamonds)
		argp_error(state, "--kdamonds given twice");
	*kdamonds = arg;
	return 0;
}

const struct argp cmd_target_argp = {
	.options = target_options,
	.parser = target_parse,
};

static bool is_regular(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

static bool is_executable(const char *path)
{
	return is_regular(path) && !access(path, X_OK);
}

/* JSON text (damo's) or YAML text naming its kdamonds (this project's). */
static bool is_config_text(const char *w)
{
	w += strspn(w, " \t\n");
	return *w == '{' || !strncmp(w, "kdamonds:", 9);
}

/* Whether @path holds a kdamonds document; problems are not reported. */
static bool holds_kdamonds(const char *path)
{
	struct config_file cf;
	struct diag scratch;
	bool yes;

	diag_init(&scratch);
	yes = !config_load(path, false, &cf, &scratch) &&
	      cf.kind == CONFIG_KDAMONDS;
	if (yes)
		config_file_release(&cf);
	diag_release(&scratch);
	return yes;
}

/*
 * Whether the first word of @w is a program, as 'which' finds one: a
 * path with a '/' that is executable, or an executable in $PATH.
 */
static bool is_command(const char *w)
{
	size_t len = strcspn(w + strspn(w, " \t"), " \t\n");
	const char *path = getenv("PATH");
	char word[PATH_MAX], cand[PATH_MAX * 2];
	const char *dir, *end;

	w += strspn(w, " \t");
	if (!len || len >= sizeof(word))
		return false;
	memcpy(word, w, len);
	word[len] = '\0';
	if (strchr(word, '/'))
		return is_executable(word);
	for (dir = path ? path : ""; *dir; dir = *end ? end + 1 : end) {
		end = strchrnul(dir, ':');
		snprintf(cand, sizeof(cand), "%.*s/%s", (int)(end - dir),
			 end > dir ? dir : ".", word);
		if (is_executable(cand))
			return true;
	}
	return false;
}

static int deduce_pid(const char *word, int64_t pid, struct cmd_target *t,
		      struct diag *d)
{
	char proc[48];

	if (!damon_pid_valid(pid)) {
		diag_add(d, "", "target '%s': %" PRId64
			 " is not a process id (1 to %" PRId64 ")", word, pid,
			 damon_pid_max() - 1);
		return -EINVAL;
	}
	snprintf(proc, sizeof(proc), "/proc/%" PRId64, pid);
	if (access(proc, F_OK)) {
		diag_add(d, "", "target '%s': no process has pid %" PRId64,
			 word, pid);
		return -ESRCH;
	}
	t->kind = CMD_TARGET_PID;
	snprintf(t->pid, sizeof(t->pid), "%" PRId64, pid);
	return 0;
}

int cmd_target_deduce(const char *word, struct cmd_target *t,
		      struct diag *d)
{
	int64_t pid;

	memset(t, 0, sizeof(*t));
	t->word = word;
	if (is_config_text(word)) {
		t->kind = CMD_TARGET_CONFIG;
		t->is_text = true;
		return 0;
	}
	/* a file: a kdamonds document, or a program that is not one */
	if (is_regular(word) && !(is_executable(word) && !holds_kdamonds(word))) {
		t->kind = CMD_TARGET_CONFIG;
		return 0;
	}
	if (!strcmp(word, "paddr")) {
		t->kind = CMD_TARGET_PADDR;
		return 0;
	}
	if (!strcmp(word, "vaddr") || !strcmp(word, "fvaddr")) {
		diag_add(d, "", "target '%s' needs a process: give a pid or a command, or --ops %s --target-pid PID",
			 word, word);
		return -CMD_EUSAGE;
	}
	if (is_command(word)) {
		t->kind = CMD_TARGET_COMMAND;
		t->argv[0] = is_executable("/bin/bash") ? "/bin/bash" :
							  "/bin/sh";
		t->argv[1] = "-c";
		t->argv[2] = (char *)word;
		return 0;
	}
	if (!units_parse_i64(word, &pid) && strspn(word, " 0123456789") ==
					     strlen(word))
		return deduce_pid(word, pid, t, d);
	/*
	 * A path of a file that is not there (a unit's /etc/damo/NAME.yaml):
	 * a failure to open it, as for any configuration file, not a usage
	 * error.
	 */
	if (!word[strcspn(word, " \t\n")] && strchr(word, '/') &&
	    access(word, F_OK)) {
		int err = -errno;

		diag_add(d, word, "cannot open: %s", strerror(-err));
		return err;
	}
	diag_add(d, "", "target '%s' is not a pid, a command, a kdamonds file or kdamonds JSON%s",
		 word, strchr(word, '.') ? " (no such file)" : "");
	return -CMD_EUSAGE;
}

/* --kdamonds or a configuration target: a file, or the text itself. */
static int load_doc(const char *what, const char *arg, bool text,
		    struct config_file *cf, struct diag *d)
{
	int err;

	memset(cf, 0, sizeof(*cf));
	damon_config_init(&cf->cfg);
	if (text)
		err = config_parse(arg, strlen(arg), what, true, cf, d);
	else
		err = config_load(arg, true, cf, d);
	if (!err && cf->kind != CONFIG_KDAMONDS) {
		diag_add(d, "", "%s '%s' is a scheme list, not a kdamonds document; give it with -c/--schemes",
			 what, text ? "(text)" : arg);
		config_file_release(cf);
		err = -EINVAL;
	}
	return err;
}

/* A command or 'paddr' decides the operations set of what was built. */
static int retarget(const struct cmd_target *t, struct out *o,
		    struct config_file *cf, struct diag *d)
{
	struct damon_ctx *c = &cf->cfg.kdamonds[0].ctxs[0];
	bool regions = c->nr_targets && c->targets[0].nr_regions;
	enum damon_ops ops;
	size_t i;

	if (t->kind == CMD_TARGET_PADDR)
		ops = DAMON_OPS_PADDR;
	else
		ops = regions ? DAMON_OPS_FVADDR : DAMON_OPS_VADDR;
	for (i = 0; i < c->nr_targets; i++) {
		if (c->targets[i].has_pid)
			out_warn(o, "--target-pid is overridden by target '%s'",
				 t->word);
		c->targets[i].has_pid = false;
	}
	if (c->ops != ops && c->ops != DAMON_OPS_PADDR)
		out_warn(o, "--ops is overridden by target '%s'", t->word);
	c->ops = ops;
	if (t->kind == CMD_TARGET_PADDR &&
	    damon_config_validate(&cf->cfg, 0, d))
		return -EINVAL;
	return 0;
}

int cmd_target_load(const struct cmd_target *t, const char *kdamonds,
		    struct damon_opts_args *opts, struct out *o,
		    struct config_file *cf, struct diag *d)
{
	unsigned int replaced;
	int err;

	if (kdamonds)
		return load_doc("--kdamonds", kdamonds,
				!is_regular(kdamonds), cf, d);
	if (t->kind == CMD_TARGET_CONFIG && damon_opts_given(opts)) {
		diag_add(d, "", "target '%s' is a whole configuration: give it or DAMON options, not both (-c/--scheme may go with it)",
			 t->is_text ? "(kdamonds text)" : t->word);
		return -CMD_EUSAGE;
	}
	if (t->kind == CMD_TARGET_CONFIG && !t->is_text)
		return cmd_load_config(t->word, opts, cf, d);
	if (t->kind == CMD_TARGET_CONFIG) {
		err = load_doc("target", t->word, true, cf, d);
		if (!err && (opts->nr_scheme_files || opts->nr_scheme_texts))
			err = damon_opts_add_schemes(opts, &cf->cfg, d);
		if (err)
			config_file_release(cf);
		return err;
	}
	if (t->kind == CMD_TARGET_PID) {
		replaced = damon_opts_set_target(opts, (char *)t->pid);
		if (replaced & DAMON_OPTS_SET_PID)
			out_warn(o, "--target-pid is overridden by target '%s'",
				 t->word);
		if (replaced & DAMON_OPTS_SET_OPS)
			out_warn(o, "--ops is overridden by target '%s'",
				 t->word);
	}
	err = cmd_load_config(NULL, opts, cf, d);
	if (err || (t->kind != CMD_TARGET_COMMAND &&
		    t->kind != CMD_TARGET_PADDR))
		return err;
	err = retarget(t, o, cf, d);
	if (err)
		config_file_release(cf);
	return err;
}
