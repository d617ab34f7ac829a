/* SPDX-License-Identifier: GPL-2.0 */
/* damo module: show and change DAMON_RECLAIM, DAMON_LRU_SORT, DAMON_STAT. */
#include "cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/dispatch.h"
#include "cmd/module_params.h"
#include "core/diag.h"
#include "core/out.h"
#include "core/xalloc.h"
#include "kdamond/module.h"

/* The first word: a module (or an action, on every module, or none). */
static const struct cmd_sub modules[] = {
	{ "reclaim", NULL, NULL, "DAMON_RECLAIM", "module reclaim", NULL },
	{ "lru_sort", NULL, NULL, "DAMON_LRU_SORT", "module lru_sort", NULL },
	{ "stat", NULL, NULL, "DAMON_STAT", "module stat", NULL },
};

/* What to do with the module: the word after it, or the first word. */
static const char *const actions[] = { "show", "status", "enable", "disable",
				       "commit", "set", "read", "write",
				       NULL };

/* No usage of its own: module_argp's --help lists the words. */
static const struct cmd_table module_table = {
	.prog = "damo module",
	.what = "module",
	.subs = modules,
	.nr_subs = ARRAY_SIZE(modules),
	.optional = true,
	.also = actions,
};

struct module_args {
	struct damo_ctx *ctx;
	const char *name;	/* NULL: every module */
	const char *action;	/* show, enable, disable, set */
	char **sets;		/* KEY=VALUE words of set, KEY VALUE of write */
	size_t nr_sets;
	struct module_writes writes;	/* damo's options, converted */
};

static const struct argp_child module_children[] = {
	{ &module_opts_argp, 0,
	  "damo's options of reclaim and lru_sort (bare numbers in the parameter's unit):",
	  1 },
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static bool is_action(const char *s)
{
	const char *const *a;

	for (a = actions; *a; a++)
		if (!strcmp(s, *a))
			return true;
	return false;
}

static error_t module_parse(int key, char *arg, struct argp_state *state)
{
	struct module_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, module_children, a->ctx);
		state->child_inputs[0] = &a->writes;
		return 0;
	case ARGP_KEY_ARG:
		if (!a->name && !a->action && cmd_find(&module_table, arg)) {
			a->name = arg;
		} else if (!a->action && is_action(arg)) {
			a->action = arg;
		} else if (a->action && ((!strcmp(a->action, "set") &&
					     strchr(arg, '=')) ||
					    !strcmp(a->action, "write") ||
					    !strcmp(a->action, "read"))) {
			if (!a->nr_sets)
				a->sets = &state->argv[state->next - 1];
			a->nr_sets++;
		} else {
			argp_error(state, "unexpected '%s' (modules: reclaim, lru_sort, stat; actions: show|status, enable, disable, commit, set KEY=VALUE..., read [KEY...], write KEY VALUE...)",
				   arg);
		}
		return 0;
	case ARGP_KEY_END:
		if (!a->action)
			a->action = "show";
		if (!strcmp(a->action, "status") || !strcmp(a->action, "read"))
			a->action = "show";
		if (!strcmp(a->action, "write") && (!a->nr_sets ||
						    a->nr_sets % 2))
			argp_error(state, "write needs KEY VALUE pairs");
		if (a->writes.any_option && !strcmp(a->action, "show"))
			a->action = "apply";
		if (strcmp(a->action, "show") && !a->name)
			argp_error(state, "%s which module? (reclaim, lru_sort, stat)",
				   a->action);
		if (!strcmp(a->action, "set") && !a->nr_sets)
			argp_error(state, "set needs KEY=VALUE words");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp module_argp = {
	.parser = module_parse,
	.args_doc = "[reclaim|lru_sort|stat] [show|status|enable|disable|commit|set KEY=VALUE...|write KEY VALUE...]",
	.doc = "Show and change DAMON's kernel modules.\v"
	       "Reads /sys/module/damon_<name>/parameters; changing is always "
	       "explicit.  On kernels that build DAMON_STAT in and enable it "
	       "at boot it holds DAMON, and other kdamonds cannot start "
	       "until it is disabled.  For reclaim and lru_sort, parameters "
	       "set while enabled take effect with commit_inputs=Y, which "
	       "commit writes (and enable, when the module runs already).  "
	       "Values take units and are converted to the parameter's "
	       "(min_age=30s is 30000000 us); every value is checked before "
	       "anything is written.  damo's syntax works too: "
	       "'damo module reclaim --min_age 30s --quota 10ms 1G 1s enable', "
	       "status, commit; and for stat: read, write KEY VALUE.\n\n"
	       "Examples:\n"
	       "  damo module\n"
	       "  damo module stat disable\n"
	       "  damo module reclaim set min_age=30s quota_sz=128M\n"
	       "  damo module reclaim --min_age 30s --quota 10ms 128M 1s commit\n"
	       "  damo module reclaim enable",
	.children = module_children,
};

static void show_one(struct out *o, const char *root, const char *name)
{
	struct module_param *p;
	long nr = module_read(root, name, &p), i;

	if (nr < 0)
		return;
	out_begin_obj(o, NULL);
	out_strf(o, "name", "damon_%s", name);
	out_begin_obj(o, "parameters");
	for (i = 0; i < nr; i++)
		out_str(o, p[i].name, p[i].value);
	out_end_obj(o);
	out_end_obj(o);
	module_params_free(p, nr);
}


/* A module that cannot be read: absent (which CONFIG_ it needs), or why. */
static void module_unreadable(struct out *o, const char *root,
			      const char *name, int err)
{
	if (err == -ENOENT)
		out_error(o, "this kernel has no damon_%s module (no '%s/damon_%s'): it needs CONFIG_DAMON_%s",
			  name, root, name,
			  !strcmp(name, "lru_sort") ? "LRU_SORT" :
			  !strcmp(name, "reclaim") ? "RECLAIM" : "STAT");
	else
		out_error(o, "module damon_%s cannot be read ('%s/damon_%s': %s)",
			  name, root, name, strerror(-err));
}
static int show(struct module_args *a, const char *root)
{
	struct out *o = cmd_out(a->ctx);
	struct module_param *p;
	size_t i;
	long nr;

	if (a->name) {
		nr = module_read(root, a->name, &p);
		if (nr < 0) {
			module_unreadable(o, root, a->name, (int)nr);
			return (int)nr;
		}
		module_params_free(p, nr);
	}
	out_begin_list(o, "modules");
	for (i = 0; i < ARRAY_SIZE(modules); i++)
		if (!a->name || !strcmp(a->name, modules[i].name))
			show_one(o, root, modules[i].name);
	out_end_list(o);
	return 0;
}

/* Whether damon_<@name> has parameter @param (from @p, @nr). */
static bool has_param(const struct module_param *p, long nr, const char *param)
{
	long i;

	for (i = 0; i < nr; i++)
		if (!strcmp(p[i].name, param))
			return true;
	return false;
}

static const char *param_value(const struct module_param *p, long nr,
			       const char *param)
{
	long i;

	for (i = 0; i < nr; i++)
		if (!strcmp(p[i].name, param))
			return p[i].value;
	return NULL;
}

/*
 * Every write the command line asks for, values converted, in order:
 * set/write words, damo's options, then the action's own.  Problems go to
 * @d; nothing is written here.
 */
static void plan(struct module_args *a, const struct module_param *p,
		 long nr, struct diag *d)
{
	struct module_writes *w = &a->writes;
	const char *running;
	size_t i, step = !strcmp(a->action, "write") ? 2 : 1;
	char *v;

	for (i = 0; i + step <= a->nr_sets; i += step) {
		char *kv = a->sets[i];
		const char *key = kv, *val;
		char *eq = step == 1 ? strchr(kv, '=') : NULL;

		if (eq) {
			*eq = '\0';
			val = eq + 1;
		} else {
			val = a->sets[i + 1];
		}
		v = module_param_value(key, val, d);
		if (v)
			module_writes_add(w, key, v);
	}
	/* damo writes skip_anon with every reclaim change: N unless given */
	if (!strcmp(a->name, "reclaim") && has_param(p, nr, "skip_anon") &&
	    (a->writes.skip_anon || strcmp(a->action, "set")))
		module_writes_add(w, "skip_anon",
				  xstrdup(a->writes.skip_anon ? "Y" : "N"));
	/* running: enabled, and (where it says so) with a kdamond */
	running = param_value(p, nr, "enabled");
	running = running && !strcmp(running, "Y") ? running : NULL;
	if (running && param_value(p, nr, "kdamond_pid") &&
	    !strcmp(param_value(p, nr, "kdamond_pid"), "-1"))
		running = NULL;
	if (!strcmp(a->action, "commit") ||
	    (!strcmp(a->action, "enable") && running)) {
		if (!running)
			diag_add(d, "", "damon_%s is not running: nothing to commit (enable it)",
				 a->name);
		module_writes_add(w, "commit_inputs", xstrdup("Y"));
	} else if (!strcmp(a->action, "enable") ||
		   !strcmp(a->action, "disable")) {
		module_writes_add(w, "enabled",
				  xstrdup(a->action[0] == 'e' ? "Y" : "N"));
	}
	for (i = 0; i < w->nr; i++)
		if (!has_param(p, nr, w->v[i].param))
			diag_add(d, "", "damon_%s has no parameter '%s'",
				 a->name, w->v[i].param);
}

static int change(struct module_args *a, const char *root)
{
	struct out *o = cmd_out(a->ctx);
	struct module_param *p;
	struct diag d;
	long nr;
	size_t i;
	int err = 0;

	diag_init(&d);
	nr = module_read(root, a->name, &p);
	if (nr < 0) {
		module_unreadable(o, root, a->name, (int)nr);
		return (int)nr;
	}
	plan(a, p, nr, &d);
	module_params_free(p, nr);
	if (d.nr)
		err = -EINVAL;
	for (i = 0; !err && i < a->writes.nr; i++)
		err = module_set(root, a->name, a->writes.v[i].param,
				 a->writes.v[i].value, &d);
	for (i = 0; i < d.nr; i++)
		out_error(o, "%s", d.v[i].msg);
	diag_release(&d);
	/* under --json, the module as it is now */
	if (!err && out_is_json(o)) {
		out_begin_list(o, NULL);
		show_one(o, root, a->name);
		out_end_list(o);
	}
	return err;
}

int cmd_module(int argc, char **argv, struct damo_ctx *ctx)
{
	struct module_args a = { .ctx = ctx };
	const struct cmd_sub *row;
	struct argp margp = module_argp;
	int err;

	err = cmd_select(&module_table, &argc, &argv, ctx, &row);
	if (err)
		return err > 0 ? 0 : err;
	if (row) {
		/* "damo module reclaim [show|enable|...]" */
		a.name = row->name;
		a.writes.module = row->name;
		margp.args_doc = "[show|enable|disable|set KEY=VALUE...]";
	}
	err = cmd_parse(&margp, argc, argv, &a);
	if (!err && !strcmp(a.action, "show"))
		err = show(&a, cmd_module_root());
	else if (!err)
		err = change(&a, cmd_module_root());
	module_writes_release(&a.writes);
	return err;
}

/* "damo reclaim ARGS" is "damo module reclaim ARGS", as in damo. */
static int module_alias(const char *name, int argc, char **argv,
			struct damo_ctx *ctx)
{
	char **v = xcalloc((size_t)argc + 2, sizeof(*v));
	int err;

	v[0] = (char *)"module";
	v[1] = (char *)name;
	memcpy(v + 2, argv + 1, (size_t)(argc - 1) * sizeof(*v));
	err = cmd_module(argc + 1, v, ctx);
	free(v);
	return err;
}

int cmd_reclaim(int argc, char **argv, struct damo_ctx *ctx)
{
	return module_alias("reclaim", argc, argv, ctx);
}

int cmd_lru_sort(int argc, char **argv, struct damo_ctx *ctx)
{
	return module_alias("lru_sort", argc, argv, ctx);
}
