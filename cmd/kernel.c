/* SPDX-License-Identifier: GPL-2.0 */
/* Shared plumbing of the kernel DAMON commands. */
#include "cmd/kernel.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/damon_opts.h"
#include "core/damon.h"
#include "core/out.h"
#include "core/xalloc.h"
#include "formats/config.h"
#include "kdamond/embedded/embedded.h"
#include "kdamond/system.h"

int kernel_open(struct damo_ctx *ctx, struct kernel_run *kr,
		bool may_create_tmp)
{
	struct features_roots roots = {
		.sysfs = cmd_sysfs_root(ctx),
		.tracefs = cmd_tracefs_root(),
		.modules = cmd_module_root(),
	};
	int err;

	memset(kr, 0, sizeof(*kr));
	kr->ctx = ctx;
	diag_init(&kr->diag);
	kr->rundir = owner_dir();
	kr->io.root = roots.sysfs;
	kr->io.modules = roots.modules;
	kr->io.feat = &kr->feat;
	kr->io.diag = &kr->diag;
	kr->io.trace = ctx->opts.verbose >= 2 ? stderr : NULL;
	err = features_detect(&roots, may_create_tmp, &kr->feat, &kr->diag);
	if (err == -ENOENT) {
		diag_add(&kr->diag, "", "no DAMON sysfs interface at '%s'",
			 roots.sysfs);
		diag_add(&kr->diag, "hint",
			 "is CONFIG_DAMON_SYSFS enabled and sysfs mounted? 'damo start' runs damo's embedded monitor where the kernel has no DAMON");
	}
	return err;
}

void kernel_close(struct kernel_run *kr)
{
	features_release(&kr->feat);
	diag_release(&kr->diag);
	free(kr->rundir);
}

void kernel_report(struct kernel_run *kr, bool warn_only)
{
	struct out *o = cmd_out(kr->ctx);
	size_t i;

	if (!warn_only) {
		cmd_report(o, &kr->diag);
	} else {
		for (i = 0; i < kr->diag.nr; i++)
			if (strcmp(kr->diag.v[i].path, "hint"))
				out_warn(o, "%s", kr->diag.v[i].msg);
		for (i = 0; i < kr->diag.nr; i++)
			if (!strcmp(kr->diag.v[i].path, "hint"))
				out_hint(o, "%s", kr->diag.v[i].msg);
	}
	diag_release(&kr->diag);
}

/* paddr targets without regions monitor the largest System RAM range. */
static int fill_paddr_regions(struct damon_config *cfg, struct diag *d)
{
	uint64_t start = 0, end = 0;
	size_t i, j, k;
	int err = 1;

	for (i = 0; i < cfg->nr_kdamonds; i++)
		for (j = 0; j < cfg->kdamonds[i].nr_ctxs; j++) {
			struct damon_ctx *c = &cfg->kdamonds[i].ctxs[j];

			if (c->ops != DAMON_OPS_PADDR)
				continue;
			if (!c->nr_targets)
				damon_ctx_add_target(c);
			for (k = 0; k < c->nr_targets; k++) {
				struct damon_addr_range *r;

				if (c->targets[k].nr_regions)
					continue;
				if (err > 0)
					err = system_largest_ram(&start, &end);
				if (err) {
					diag_add(d, "", "cannot find the System RAM range for paddr in /proc/iomem: %s; give --regions",
						 strerror(-err));
					return err;
				}
				r = damon_target_add_region(&c->targets[k]);
				r->start = start;
				r->end = end;
			}
		}
	return 0;
}

int kernel_load_config(const char *file, const struct damon_opts_args *opts,
		       bool fill_paddr, struct config_file *cf, struct diag *d)
{
	int err;

	memset(cf, 0, sizeof(*cf));
	damon_config_init(&cf->cfg);
	if (file) {
		err = config_load(file, true, cf, d);
		if (!err && cf->kind == CONFIG_SCHEMES)
			diag_add(d, "", "'%s' is a scheme list, not a kdamonds document; give it with --scheme",
				 file);
		if (!err && cf->kind == CONFIG_SCHEMES)
			err = -EINVAL;
		if (!err && opts->nr_scheme_files)
			err = damon_opts_add_schemes(opts, &cf->cfg, d);
	} else {
		err = damon_opts_build(opts, &cf->cfg, d);
	}
	if (!err && fill_paddr)
		err = fill_paddr_regions(&cf->cfg, d);
	if (err) {
		config_file_release(cf);
		return err < 0 ? err : -EINVAL;
	}
	return 0;
}

int kernel_parse_idx(const char *s, unsigned long *idx)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	*idx = strtoul(s, &end, 10);
	return errno || *end || *idx > 65535 ? -EINVAL : 0;
}

void embedded_id_arg(struct argp_state *state, const char *arg, bool *has_idx,
		     unsigned long *idx, bool *has_eid, unsigned long *eid)
{
	if (*has_idx || *has_eid)
		argp_error(state, "one kdamond id at a time");
	if (embedded_parse_id(arg, eid))
		*has_eid = true;
	else if (kernel_parse_idx(arg, idx))
		argp_error(state, "'%s' is not a kdamond id (N, or eN for an embedded monitor)",
			   arg);
	else
		*has_idx = true;
}
