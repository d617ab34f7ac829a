/* SPDX-License-Identifier: GPL-2.0 */
/* damo features: which DAMON features this kernel has. */
#include "cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/backend_args.h"
#include "cmd/kernel.h"
#include "core/access_source.h"
#include "core/diag.h"
#include "core/out.h"
#include "kdamond/backend.h"
#include "kdamond/features.h"

enum features_filter {
	SHOW_ALL,
	SHOW_SUPPORTED,
	SHOW_UNSUPPORTED,
};

struct features_args {
	struct damo_ctx *ctx;
	enum features_filter show;
	bool read_only;
};

enum {
	OPT_READ_ONLY = 0x300,
};

static const struct argp_option features_options[] = {
	{ "read-only", OPT_READ_ONLY, NULL, 0,
	  "Never create a temporary kdamond, even when DAMON is idle", 0 },
	{ 0 }
};

static const struct argp_child features_children[] = {
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static error_t features_parse(int key, char *arg, struct argp_state *state)
{
	struct features_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, features_children, a->ctx);
		return 0;
	case OPT_READ_ONLY:
		a->read_only = true;
		return 0;
	case ARGP_KEY_ARG:
		if (state->arg_num > 0)
			argp_error(state, "unexpected argument '%s'", arg);
		if (!strcmp(arg, "all"))
			a->show = SHOW_ALL;
		else if (!strcmp(arg, "supported"))
			a->show = SHOW_SUPPORTED;
		else if (!strcmp(arg, "unsupported"))
			a->show = SHOW_UNSUPPORTED;
		else
			argp_error(state, "'%s' is not one of all, supported, unsupported",
				   arg);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp features_argp = {
	.options = features_options,
	.parser = features_parse,
	.args_doc = "[all|supported|unsupported]",
	.doc = "Show which DAMON features this kernel has, and what damo's "
	       "embedded monitor can use here.\v"
	       "Features are found by the files the kernel's DAMON sysfs "
	       "interface has, read from the existing kdamonds; a feature "
	       "of an older kernel than one seen is reported as inferred.  "
	       "Only when no kdamond exists at all is a temporary one created "
	       "to look at, and removed again (not with --read-only).  A "
	       "kernel without DAMON (no sysfs interface) is reported as "
	       "such, with exit status 0.  Then the embedded monitor's access "
	       "sources are listed, each tried for real: whether a monitor "
	       "damo starts for a command could see accesses through it, what "
	       "it sees, and why not.\n\n"
	       "Examples:\n"
	       "  damo features\n"
	       "  damo features unsupported\n"
	       "  damo features --json | jq '.features[] | select(.supported)'",
	.children = features_children,
};

static const struct out_col cols[] = {
	{ "name", "feature", false },
	{ "category", "category", false },
	{ "state", "supported", false },
	{ "since", "since", false },
	{ "evidence", "evidence", false },
};

static bool shown(const struct feature *f, enum features_filter show)
{
	bool yes = f->state == FEAT_YES || f->state == FEAT_INFERRED;
	bool no = f->state == FEAT_NO || f->state == FEAT_INFERRED_NO;

	return show == SHOW_ALL || (show == SHOW_SUPPORTED && yes) ||
	       (show == SHOW_UNSUPPORTED && no);
}

/* JSON: how it is known; text: the answer, marked when inferred. */
static const char *state_text(const struct out *o, enum feature_state s)
{
	static const char *const text[] = {
		[FEAT_UNKNOWN] = "unknown",
		[FEAT_NO] = "no",
		[FEAT_YES] = "yes",
		[FEAT_INFERRED] = "yes (inferred)",
		[FEAT_INFERRED_NO] = "no (inferred)",
	};

	return out_is_json(o) ? feature_state_name(s) : text[s];
}

static void print_feature(struct out *o, const struct feature *f)
{
	out_begin_obj(o, NULL);
	out_str(o, "name", f->def->name);
	out_str(o, "category", feature_category_name(f->def->cat));
	out_str(o, "state", state_text(o, f->state));
	if (f->state == FEAT_UNKNOWN)
		out_null(o, "supported");
	else
		out_bool(o, "supported", f->state == FEAT_YES ||
					 f->state == FEAT_INFERRED);
	out_str(o, "since", f->def->since);
	out_str(o, "description", f->def->desc);
	out_str(o, "evidence", f->evidence);
	out_end_obj(o);
}

static const struct out_col source_cols[] = {
	{ "name", "source", false },
	{ "usable", "usable", false },
	{ "sees", "sees", false },
	{ "why_not", "why not", false },
};

/* The embedded monitor's sources, each tried for a command damo launches. */
static void print_sources(struct out *o, struct damo_ctx *ctx)
{
	struct backend b[2];
	struct backend_source *v;
	size_t nb = 0, i, j, nr;
	struct diag d;

	diag_init(&d);
	out_text(o, "\n");
	out_begin_table(o, "embedded_sources", source_cols, 4);
	if (!backend_open_all(cmd_backend_env(ctx), BACKEND_AUTO, NULL, b, &nb,
			      &d)) {
		for (i = 0; i < nb; i++) {
			if (backend_sources(&b[i], &v, &nr))
				nr = 0;
			for (j = 0; j < nr; j++) {
				out_begin_obj(o, NULL);
				out_str(o, "name", v[j].type->name);
				out_bool(o, "usable", v[j].usable);
				out_str(o, "sees", v[j].type->sees);
				if (v[j].usable)
					out_null(o, "why_not");
				else
					out_str(o, "why_not", v[j].why);
				out_end_obj(o);
			}
			free(v);
			backend_close(&b[i]);
		}
	}
	out_end_table(o);
	diag_release(&d);
}

static void print_features(struct out *o, const struct features *fs,
			   const struct features_args *a, const char *root)
{
	size_t i;

	out_begin_obj(o, NULL);
	out_str(o, "kernel", fs->kernel);
	out_str(o, "sysfs_root", root);
	out_bool(o, "sysfs", fs->sysfs);
	out_str(o, "kernel_damon", fs->sysfs ? "present" :
		"absent: no DAMON sysfs interface (CONFIG_DAMON_SYSFS not set, or sysfs not mounted)");
	out_u64(o, "kdamonds_read", fs->nr_kdamonds);
	out_bool(o, "temporary_kdamond", fs->temporary);
	out_text(o, "\n");
	out_begin_table(o, "features", cols,
			a->ctx->opts.verbose ? 5 : 4);
	for (i = 0; fs->sysfs && i < fs->nr; i++)
		if (shown(&fs->v[i], a->show))
			print_feature(o, &fs->v[i]);
	out_end_table(o);
	print_sources(o, a->ctx);
	out_end_obj(o);
}

int cmd_features(int argc, char **argv, struct damo_ctx *ctx)
{
	struct features_args a = { .ctx = ctx };
	struct features_roots roots;
	struct features fs;
	struct diag d;
	struct out *o;
	size_t i;
	int err;

	err = cmd_parse(&features_argp, argc, argv, &a);
	if (err)
		return err;
	o = cmd_out(ctx);
	roots.sysfs = cmd_sysfs_root(ctx);
	roots.tracefs = cmd_tracefs_root();
	roots.modules = cmd_module_root();
	diag_init(&d);
	err = features_detect(&roots, !a.read_only, &fs, &d);
	if (fs.sysfs_err) {
		/* there but unreadable: an error, never "absent" */
		cmd_diag_report(o, &d, false);
		features_release(&fs);
		diag_release(&d);
		return err;
	}
	for (i = 0; i < d.nr; i++)
		out_warn(o, "%s", d.v[i].msg);
	/* a kernel without DAMON is an answer, not an error */
	if (!err || err == -ENOENT) {
		fs.sysfs = !err;
		print_features(o, &fs, &a, roots.sysfs);
		err = 0;
	}
	features_release(&fs);
	diag_release(&d);
	return err;
}
