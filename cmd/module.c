/* SPDX-License-Identifier: GPL-2.0 */
/* damo module: show and change DAMON_RECLAIM, DAMON_LRU_SORT, DAMON_STAT. */
#include "cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/dispatch.h"
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
static const char *const actions[] = { "show", "enable", "disable", "set",
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
	char **sets;		/* KEY=VALUE words of set */
	size_t nr_sets;
};

static const struct argp_child module_children[] = {
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
		return 0;
	case ARGP_KEY_ARG:
		if (!a->name && !a->action && cmd_find(&module_table, arg)) {
			a->name = arg;
		} else if (!a->action && is_action(arg)) {
			a->action = arg;
		} else if (a->action && !strcmp(a->action, "set") &&
			   strchr(arg, '=')) {
			if (!a->nr_sets)
				a->sets = &state->argv[state->next - 1];
			a->nr_sets++;
		} else {
			argp_error(state, "unexpected '%s' (modules: reclaim, lru_sort, stat; actions: show, enable, disable, set KEY=VALUE...)",
				   arg);
		}
		return 0;
	case ARGP_KEY_END:
		if (!a->action)
			a->action = "show";
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
	.args_doc = "[reclaim|lru_sort|stat] [show|enable|disable|set KEY=VALUE...]",
	.doc = "Show and change DAMON's kernel modules.\v"
	       "Reads /sys/module/damon_<name>/parameters; changing is always "
	       "explicit.  On kernels that build DAMON_STAT in and enable it "
	       "at boot it holds DAMON, and other kdamonds cannot start "
	       "until it is disabled.  For reclaim and lru_sort, parameters "
	       "set while enabled take effect with commit_inputs=Y.\n\n"
	       "Examples:\n"
	       "  damo module\n"
	       "  damo module stat disable\n"
	       "  damo module reclaim set min_age=30000000 quota_sz=134217728\n"
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

static int show(struct module_args *a, const char *root)
{
	struct out *o = cmd_out(a->ctx);
	struct module_param *p;
	size_t i;
	long nr;

	if (a->name) {
		nr = module_read(root, a->name, &p);
		if (nr < 0) {
			out_error(o, "module damon_%s is not available here ('%s/damon_%s': %s)",
				  a->name, root, a->name, strerror((int)-nr));
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

static int change(struct module_args *a, const char *root)
{
	struct out *o = cmd_out(a->ctx);
	struct diag d;
	size_t i;
	int err = 0;

	diag_init(&d);
	if (!strcmp(a->action, "enable") || !strcmp(a->action, "disable"))
		err = module_set(root, a->name, "enabled",
				 a->action[0] == 'e' ? "Y" : "N", &d);
	for (i = 0; !err && i < a->nr_sets; i++) {
		char *kv = xstrdup(a->sets[i]);
		char *eq = strchr(kv, '=');

		*eq = '\0';
		err = module_set(root, a->name, kv, eq + 1, &d);
		free(kv);
	}
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
		margp.args_doc = "[show|enable|disable|set KEY=VALUE...]";
	}
	err = cmd_parse(&margp, argc, argv, &a);
	if (err)
		return err;
	if (!strcmp(a.action, "show"))
		return show(&a, cmd_module_root());
	return change(&a, cmd_module_root());
}
