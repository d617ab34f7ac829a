/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel backend (kdamond/backend.h) on DAMON's sysfs interface. */
#include "kdamond/backend.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/damon.h"
#include "core/diag.h"
#include "core/xalloc.h"
#include "kdamond/sysfs/sysfs.h"
#include "kdamond/sysfs/record.h"
#include "kdamond/sysfs/run.h"

static struct kernel_run *run(struct backend *b)
{
	return b->priv;
}

/* The run's problems go to the backend's caller; @err passes through. */
static int done(struct backend *b, int err)
{
	struct diag *from = &run(b)->diag;
	size_t i;

	for (i = 0; i < from->nr; i++)
		diag_add_at(b->diag, from->v[i].file, from->v[i].line,
			    from->v[i].col, from->v[i].path, "%s",
			    from->v[i].msg)->warning = from->v[i].warning;
	diag_release(from);
	diag_init(from);
	return err;
}

static int sysfs_open(struct backend *b, bool may_create_tmp)
{
	b->priv = xcalloc(1, sizeof(struct kernel_run));
	return done(b, kernel_run_open(run(b), b->env, may_create_tmp));
}

static void sysfs_close(struct backend *b)
{
	if (!b->priv)
		return;
	done(b, 0);
	kernel_close(run(b));
	free(b->priv);
	b->priv = NULL;
}

static const char *sysfs_lacks(struct backend *b,
			       const struct damon_config *cfg)
{
	const struct features *feat = &run(b)->feat;
	size_t i, j;

	if (!cfg)
		return features_absent(feat, "vaddr") ?
		       "kernel DAMON has no vaddr operations" : NULL;
	for (i = 0; i < cfg->nr_kdamonds; i++)
		for (j = 0; j < cfg->kdamonds[i].nr_ctxs; j++) {
			enum damon_ops ops = cfg->kdamonds[i].ctxs[j].ops;

			if (ops == DAMON_OPS_VADDR && features_absent(feat, "vaddr"))
				return "kernel DAMON has no vaddr operations";
			if (ops == DAMON_OPS_FVADDR &&
			    features_absent(feat, "fvaddr"))
				return "kernel DAMON has no fvaddr operations";
		}
	return NULL;
}

static int sysfs_list(struct backend *b, bool mine, struct damo_id **ids,
		      size_t *nr)
{
	struct kernel_run *kr = run(b);
	struct owner_reg reg;
	long n = kdamond_nr(&kr->io), i;
	int err;

	if (n < 0)
		return (int)n;
	if (mine) {
		err = owner_open(kr->rundir, &reg, &kr->diag);
		if (err)
			return done(b, err);
	}
	*ids = xcalloc(n ? (size_t)n : 1, sizeof(**ids));
	for (i = 0; i < n; i++)
		if (!mine || owner_owns(&reg, kr->io.root, (unsigned long)i,
					kdamond_pid(&kr->io, (unsigned long)i)))
			(*ids)[(*nr)++] = (struct damo_id){ BACKEND_KERNEL,
							    (unsigned long)i };
	if (mine)
		owner_close(&reg, false, &kr->diag);
	return done(b, 0);
}

static void tell_started(struct backend *b, const struct damon_config *cfg,
			 pid_t cmd_pid, const struct backend_start *o)
{
	struct backend_started *s;
	size_t i, j, n = cfg->nr_kdamonds;

	if (!o->started)
		return;
	s = xcalloc(n ? n : 1, sizeof(*s));
	for (i = 0; i < n; i++) {
		const struct damon_ctx *c = &cfg->kdamonds[i].ctxs[0];
		int64_t *pids = xcalloc(c->nr_targets ? c->nr_targets : 1,
					sizeof(*pids));

		s[i].id = (struct damo_id){ BACKEND_KERNEL, i };
		s[i].pid = kdamond_pid(&run(b)->io, i);
		s[i].ops = c->ops;
		s[i].command_pid = cmd_pid > 0 ? cmd_pid : -1;
		for (j = 0; j < c->nr_targets; j++)
			if (c->targets[j].has_pid)
				pids[s[i].nr_target_pids++] = c->targets[j].pid;
		s[i].target_pids = pids;
	}
	o->started(o->data, s, n);
	for (i = 0; i < n; i++)
		free((void *)s[i].target_pids);
	free(s);
}

static int sysfs_start(struct backend *b, struct damon_config *cfg,
		       const struct backend_start *o)
{
	struct kernel_run *kr = run(b);
	pid_t pid;
	int err = 0;

	if (!o->command)
		err = kernel_fill_paddr(cfg, &kr->diag);
	if (!err)
		err = kernel_start(kr, cfg, o->command, o->force, &pid);
	if (!err)
		tell_started(b, cfg, pid, o);
	return done(b, err);
}

static int sysfs_tune(struct backend *b, struct damo_id id,
		      const struct damon_config *cfg, unsigned int flags)
{
	bool force = flags & BACKEND_TUNE_FORCE;

	struct kernel_run *kr = run(b);
	struct damon_config c;
	int err;

	err = tune_check_target(kr, id.nr, force);
	if (err)
		return done(b, err);
	damon_config_init(&c);
	damon_config_copy(&c, cfg);
	err = kernel_fill_paddr(&c, &kr->diag);
	if (!err)
		err = tune_commit(kr, id.nr, &c);
	damon_config_release(&c);
	return done(b, err);
}

static int sysfs_stop(struct backend *b, const struct damo_id *ids, size_t nr,
		      bool force)
{
	unsigned long *idx = xcalloc(nr ? nr : 1, sizeof(*idx));
	size_t i;
	int err;

	for (i = 0; i < nr; i++)
		idx[i] = ids[i].nr;
	err = kernel_stop(run(b), idx, nr, force);
	free(idx);
	return done(b, err);
}

/* Whether kdamond @idx refreshes its stats itself (refresh_ms, 6.17+). */
static bool refreshes_itself(struct kernel_run *kr, unsigned long idx)
{
	uint64_t refresh_ms = 0;
	char rel[64];

	snprintf(rel, sizeof(rel), "kdamonds/%lu/refresh_ms", idx);
	return !sysfs_read_u64(kr->io.root, rel, &refresh_ms) && refresh_ms;
}

/*
 * Ask the kernel to refresh what it shows, as @how says.  Return: whether
 * the scheme stats are now fresh (refreshed, or by the kernel itself).
 */
static bool refresh(struct kernel_run *kr, unsigned long idx,
		    enum backend_refresh how)
{
	bool fresh;

	if (!kdamond_is_on(&kr->io, idx))
		return false;
	switch (how) {
	case REFRESH_STATUS:
		/* a kdamond that refreshes itself is only read */
		if (refreshes_itself(kr, idx))
			return true;
		fresh = !kdamond_cmd(&kr->io, idx, "update_schemes_stats");
		if (features_has(&kr->feat, "update_schemes_effective_quotas"))
			kdamond_cmd(&kr->io, idx, "update_schemes_effective_quotas");
		if (features_has(&kr->feat, "update_tuned_intervals"))
			kdamond_cmd(&kr->io, idx, "update_tuned_intervals");
		if (features_has(&kr->feat, "update_schemes_tried_bytes"))
			kdamond_cmd(&kr->io, idx, "update_schemes_tried_bytes");
		return fresh;
	case REFRESH_STATS:
		/* stats and effective quotas too */
		if (refreshes_itself(kr, idx))
			return true;
		fresh = !kdamond_cmd(&kr->io, idx, "update_schemes_stats");
		if (features_has(&kr->feat, "update_schemes_effective_quotas"))
			kdamond_cmd(&kr->io, idx, "update_schemes_effective_quotas");
		return fresh;
	case REFRESH_TRIED_BYTES:
		if (features_has(&kr->feat, "update_schemes_tried_bytes")) {
			kdamond_cmd(&kr->io, idx, "update_schemes_tried_bytes");
			return refreshes_itself(kr, idx);
		}
		/* fall through */
	case REFRESH_TRIED:
		kdamond_cmd(&kr->io, idx, "update_schemes_tried_regions");
		return refreshes_itself(kr, idx);
	default:
		return refreshes_itself(kr, idx);
	}
}

static int sysfs_status(struct backend *b, struct damo_id id,
			enum backend_refresh how, bool force,
			struct backend_status *st)
{
	struct kernel_run *kr = run(b);
	long n = kdamond_nr(&kr->io);
	struct owner_reg reg;
	int err;

	if (n < 0)
		return (int)n;
	if ((long)id.nr >= n) {
		diag_add(&kr->diag, "", "there is no kdamond %lu (%ld exist)",
			 id.nr, n);
		return done(b, -ENOENT);
	}
	/* reading needs no registry: without one, nothing is damo's */
	if (owner_open(kr->rundir, &reg, &kr->diag)) {
		diag_release(&kr->diag);
		diag_init(&kr->diag);
	}
	st->owned = owner_owns(&reg, kr->io.root, id.nr,
			       kdamond_pid(&kr->io, id.nr));
	owner_close(&reg, false, &kr->diag);
	if (how != REFRESH_NONE && (st->owned || force))
		st->stats_fresh = refresh(kr, id.nr, how);
	else
		st->stats_fresh = kdamond_is_on(&kr->io, id.nr) &&
				  refreshes_itself(kr, id.nr);
	err = kdamond_read(&kr->io, id.nr, &st->k);
	st->running = st->k.on;
	return done(b, err);
}

static int sysfs_apply_schemes(struct backend *b, struct damo_id id,
			       const struct damos *schemes, size_t nr,
			       bool force)
{
	struct kernel_run *kr = run(b);
	struct damon_config cfg;
	int err;

	err = tune_check_target(kr, id.nr, force);
	if (err)
		return done(b, err);
	damon_config_init(&cfg);
	err = kdamond_read(&kr->io, id.nr, damon_config_add_kdamond(&cfg));
	if (!err && !cfg.kdamonds[0].nr_ctxs) {
		diag_add(&kr->diag, "", "kdamond %lu has no context", id.nr);
		err = -ENOENT;
	}
	if (!err) {
		damon_ctx_set_schemes(&cfg.kdamonds[0].ctxs[0], schemes, nr);
		if (damon_config_validate(&cfg, 0, &kr->diag))
			err = -EINVAL;
		else
			err = tune_commit(kr, id.nr, &cfg);
	}
	damon_config_release(&cfg);
	return done(b, err);
}

/* DAMON_RECLAIM / LRU_SORT / STAT, when loaded. */
static int sysfs_modules(struct backend *b, struct backend_module **mods,
			 size_t *nr)
{
	static const char *const names[] = {
		"damon_reclaim", "damon_lru_sort", "damon_stat",
	};
	struct kernel_run *kr = run(b);
	char rel[128], val[SYSFS_VAL_MAX];
	size_t i;

	*mods = xcalloc(ARRAY_SIZE(names), sizeof(**mods));
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		struct backend_module *m = &(*mods)[*nr];

		snprintf(rel, sizeof(rel), "%s/parameters/enabled", names[i]);
		if (sysfs_read(kr->io.modules, rel, val, sizeof(val)))
			continue;
		m->name = names[i];
		m->enabled = val[0] == 'Y' || val[0] == '1';
		snprintf(rel, sizeof(rel), "%s/parameters/kdamond_pid",
			 names[i]);
		if (!sysfs_read(kr->io.modules, rel, val, sizeof(val))) {
			m->has_kdamond_pid = true;
			m->kdamond_pid = strtol(val, NULL, 10);
		}
		(*nr)++;
	}
	return 0;
}

static int sysfs_record_op(struct backend *b, struct damo_id id,
			   struct backend_record *req, struct snap_sink *sink)
{
	int err;

	snprintf(req->source, sizeof(req->source), "%s",
		 req->snapshot_ns ? "snapshot" : "tracepoint");
	err = sysfs_record(run(b), b->env->tracefs_root, b->env->out, id.nr,
			   req->snapshot_ns, sink, &req->end,
			   &req->nr_dropped);
	return done(b, err);
}

const struct backend_ops backend_sysfs_ops = {
	.open = sysfs_open,
	.close = sysfs_close,
	.lacks = sysfs_lacks,
	.list = sysfs_list,
	.start = sysfs_start,
	.tune = sysfs_tune,
	.stop = sysfs_stop,
	.status = sysfs_status,
	.apply_schemes = sysfs_apply_schemes,
	.record = sysfs_record_op,
	.modules = sysfs_modules,
};
