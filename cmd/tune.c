/* SPDX-License-Identifier: GPL-2.0 */
/* damo tune: change a running kdamond online. */
#include "cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/damon_opts.h"
#include "kdamond/embedded/embedded.h"
#include "cmd/kernel.h"
#include "core/damon.h"
#include "core/out.h"
#include "formats/config.h"

struct tune_args {
	struct damo_ctx *ctx;
	struct damon_opts_args damon;
	unsigned long idx;
	bool has_idx;
	bool has_eid;		/* an embedded monitor, eN */
	const char *file;
	bool force;
};

enum {
	OPT_FORCE = 0x400,
};

static const struct argp_option tune_options[] = {
	{ "force", OPT_FORCE, NULL, 0,
	  "Tune the named kdamond even if damo did not start it", 0 },
	{ 0 }
};

static const struct argp_child tune_children[] = {
	{ &damon_opts_argp, 0, "DAMON parameters:", 1 },
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static error_t tune_parse(int key, char *arg, struct argp_state *state)
{
	struct tune_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, tune_children, a->ctx);
		state->child_inputs[0] = &a->damon;
		return 0;
	case OPT_FORCE:
		a->force = true;
		return 0;
	case ARGP_KEY_ARG:
		if (!a->has_idx) {
			if (embedded_parse_id(arg, &a->idx))
				a->has_eid = true;
			else if (kernel_parse_idx(arg, &a->idx))
				argp_error(state, "'%s' is not a kdamond id (N, or eN for an embedded monitor)",
					   arg);
			a->has_idx = true;
		} else if (!a->file) {
			a->file = arg;
		} else {
			argp_error(state, "unexpected argument '%s'", arg);
		}
		return 0;
	case ARGP_KEY_END:
		if (!a->has_idx)
			argp_error(state, "which kdamond? give its id (see 'damo status')");
		if (a->file && damon_opts_given(&a->damon))
			argp_error(state, "give a configuration file or DAMON options, not both");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp tune_argp = {
	.options = tune_options,
	.parser = tune_parse,
	.args_doc = "ID [CONFIG]",
	.doc = "Change a running kdamond or embedded monitor online.\v"
	       "The new configuration (a file, or DAMON options, like 'damo "
	       "start') replaces the whole one: what is not given returns to "
	       "its default, as with damo.  It is checked first, then "
	       "committed; when the kernel refuses it, the kdamond keeps "
	       "running with its previous parameters and the sysfs files are "
	       "put back.\n\n"
	       "Examples:\n"
	       "  damo tune 0 reclaim-v2.yaml\n"
	       "  damo tune 0 --monitoring-intervals 10ms 200ms 2s \\\n"
	       "      --damos-action pageout --damos-age 60s max",
	.children = tune_children,
};

static bool has_goals(const struct kdamond *k)
{
	size_t i, j;

	for (i = 0; i < k->nr_ctxs; i++)
		for (j = 0; j < k->ctxs[i].nr_schemes; j++)
			if (k->ctxs[i].schemes[j].quota.nr_goals)
				return true;
	return false;
}

/* Stage @k, commit, and put the previous files back if refused. */
static int commit(struct kernel_run *kr, unsigned long idx,
		  const struct kdamond *k)
{
	struct kdamond old;
	int err;

	kdamond_init(&old);
	err = kdamond_read(&kr->io, idx, &old);
	if (!err)
		err = kdamond_stage(&kr->io, idx, k);
	if (!err)
		err = kdamond_cmd(&kr->io, idx, "commit");
	if (!err && has_goals(k) &&
	    features_has(&kr->feat, "commit_schemes_quota_goals"))
		err = kdamond_cmd(&kr->io, idx, "commit_schemes_quota_goals");
	if (err && old.nr_ctxs) {
		diag_add(&kr->diag, "hint",
			 "kdamond %lu keeps running with its previous parameters",
			 idx);
		kdamond_stage(&kr->io, idx, &old);
	}
	kdamond_release(&old);
	return err;
}

/* The kdamond must run and be damo's (or named with --force). */
int tune_check_target(struct kernel_run *kr, unsigned long idx, bool force)
{
	struct owner_reg reg;
	long n = kdamond_nr(&kr->io);
	bool owned;

	if (n < 0 || (long)idx >= n) {
		diag_add(&kr->diag, "", "there is no kdamond %lu", idx);
		return -ENOENT;
	}
	if (!kdamond_is_on(&kr->io, idx)) {
		diag_add(&kr->diag, "", "kdamond %lu is not running", idx);
		diag_add(&kr->diag, "hint", "start one with 'damo start'");
		return -ESRCH;
	}
	if (owner_open(kr->rundir, &reg, &kr->diag))
		return -EIO;
	owned = owner_owns(&reg, kr->io.root, idx, kdamond_pid(&kr->io, idx));
	owner_close(&reg, false, &kr->diag);
	if (!owned && !force) {
		diag_add(&kr->diag, "", "kdamond %lu was not started by damo",
			 idx);
		diag_add(&kr->diag, "hint", "add --force to change it anyway");
		return -EPERM;
	}
	if (!features_has(&kr->feat, "commit")) {
		diag_add(&kr->diag, "",
			 "this kernel (%s) cannot change a running kdamond: 'commit' needs Linux 5.19",
			 kr->feat.kernel);
		return -EOPNOTSUPP;
	}
	return 0;
}

int tune_commit(struct kernel_run *kr, unsigned long idx,
		const struct damon_config *cfg)
{
	if (cfg->nr_kdamonds != 1) {
		diag_add(&kr->diag, "kdamonds",
			 "a kdamond is tuned with one kdamond's configuration; %zu given",
			 cfg->nr_kdamonds);
		return -EINVAL;
	}
	if (kdamond_check_features(&kr->io, cfg))
		return -EOPNOTSUPP;
	return commit(kr, idx, &cfg->kdamonds[0]);
}

/* An embedded monitor: checked here, applied by its daemon. */
static int tune_embedded(struct tune_args *a)
{
	struct kernel_run kr = { .ctx = a->ctx };
	struct config_file cf;
	char *rundir = owner_dir();
	int err;

	diag_init(&kr.diag);
	err = kernel_load_config(a->file, &a->damon, false, &cf, &kr.diag);
	if (!err) {
		err = embedded_tune(rundir, a->idx, &cf.cfg, &kr.diag);
		config_file_release(&cf);
	}
	if (!err && (out_is_json(cmd_out(a->ctx)) || a->ctx->opts.verbose)) {
		out_begin_obj(cmd_out(a->ctx), NULL);
		out_strf(cmd_out(a->ctx), "id", "e%lu", a->idx);
		out_end_obj(cmd_out(a->ctx));
	}
	kernel_report(&kr, false);
	free(rundir);
	return err;
}

int cmd_tune(int argc, char **argv, struct damo_ctx *ctx)
{
	struct tune_args a = { .ctx = ctx };
	struct config_file cf;
	struct kernel_run kr;
	int err;

	damon_opts_args_init(&a.damon);
	err = cmd_parse(&tune_argp, argc, argv, &a);
	if (err)
		goto out_args;
	if (a.has_eid) {
		err = tune_embedded(&a);
		goto out_args;
	}
	err = kernel_open(ctx, &kr, false);
	if (!err)
		err = tune_check_target(&kr, a.idx, a.force);
	if (!err)
		err = kernel_load_config(a.file, &a.damon, true, &cf, &kr.diag);
	if (!err) {
		err = tune_commit(&kr, a.idx, &cf.cfg);
		config_file_release(&cf);
	}
	if (!err && (out_is_json(cmd_out(ctx)) || ctx->opts.verbose)) {
		out_begin_obj(cmd_out(ctx), NULL);
		out_u64(cmd_out(ctx), "id", a.idx);
		out_i64(cmd_out(ctx), "pid", kdamond_pid(&kr.io, a.idx));
		out_end_obj(cmd_out(ctx));
	}
	kernel_report(&kr, false);
	kernel_close(&kr);
out_args:
	damon_opts_args_release(&a.damon);
	return err;
}
