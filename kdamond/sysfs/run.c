/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel backend's run: start, tune and stop on DAMON's sysfs tree. */
#include "kdamond/sysfs/run.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/damon.h"
#include "kdamond/backend.h"
#include "kdamond/spawn.h"
#include "kdamond/system.h"

#define ON_TIMEOUT_MS 5000
#define OFF_TIMEOUT_MS 10000

int kernel_run_open(struct kernel_run *kr, const struct backend_env *env,
		    bool may_create_tmp)
{
	struct features_roots roots = {
		.sysfs = env->sysfs_root,
		.tracefs = env->tracefs_root,
		.modules = env->modules_root,
	};
	int err;

	memset(kr, 0, sizeof(*kr));
	diag_init(&kr->diag);
	kr->rundir = owner_dir();
	kr->io.root = roots.sysfs;
	kr->io.modules = roots.modules;
	kr->io.feat = &kr->feat;
	kr->io.diag = &kr->diag;
	kr->io.trace = env->trace;
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
	kr->rundir = NULL;
}


int kernel_fill_paddr(struct damon_config *cfg, struct diag *d)
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

static void target_command(struct damon_config *cfg, pid_t pid)
{
	struct damon_ctx *c = &cfg->kdamonds[0].ctxs[0];
	struct damon_target *t;
	size_t i;

	for (i = 0; i < c->nr_targets; i++)
		damon_target_release(&c->targets[i]);
	c->nr_targets = 0;
	if (c->ops == DAMON_OPS_PADDR)
		c->ops = DAMON_OPS_VADDR;
	t = damon_ctx_add_target(c);
	t->has_pid = true;
	t->pid = pid;
}

/* No kdamond may run, and directories damo did not make need --force. */
static int check_slots(struct kernel_run *kr, struct owner_reg *reg,
		       bool force)
{
	long nr = kdamond_nr(&kr->io), i;

	if (nr < 0) {
		diag_add(&kr->diag, "", "cannot read '%s/kdamonds/nr_kdamonds': %s",
			 kr->io.root, strerror((int)-nr));
		return (int)nr;
	}
	for (i = 0; i < nr; i++) {
		bool mine = owner_find(reg, kr->io.root, (unsigned long)i);

		if (kdamond_is_on(&kr->io, (unsigned long)i)) {
			diag_add(&kr->diag, "",
				 "kdamond %ld is running (%s); the kernel does not let kdamonds be added while one runs",
				 i, mine ? "started by damo" : "not started by damo");
			diag_add(&kr->diag, "hint", mine ?
				 "change it with 'damo tune', or stop it first with 'damo stop'" :
				 "it belongs to someone else; damo leaves it alone");
			return -EBUSY;
		}
		if (!mine && !force) {
			diag_add(&kr->diag, "",
				 "kdamonds/%ld exists and was not created by damo; starting would replace it",
				 i);
			diag_add(&kr->diag, "hint", "add --force to replace it");
			return -EEXIST;
		}
	}
	return 0;
}

/* Undo a failed start: nothing of it stays on or configured. */
static void rollback(struct kernel_run *kr, size_t nr_on)
{
	size_t i;

	for (i = 0; i < nr_on; i++)
		kdamond_turn_off(&kr->io, i, ON_TIMEOUT_MS);
	kdamond_set_nr(&kr->io, 0);
}

static int start_kdamonds(struct kernel_run *kr, const struct damon_config *cfg,
			  struct owner_reg *reg)
{
	size_t i;
	int err;

	err = kdamond_set_nr(&kr->io, cfg->nr_kdamonds);
	if (err == -EBUSY)
		diag_add(&kr->diag, "hint",
			 "the kernel refuses nr_kdamonds while any kdamond of the sysfs interface runs; see 'damo status'");
	for (i = 0; !err && i < cfg->nr_kdamonds; i++)
		err = kdamond_stage(&kr->io, i, &cfg->kdamonds[i]);
	if (err) {
		rollback(kr, 0);
		return err;
	}
	for (i = 0; i < cfg->nr_kdamonds; i++) {
		err = kdamond_turn_on(&kr->io, i, ON_TIMEOUT_MS);
		if (err) {
			rollback(kr, i + 1);
			return err;
		}
	}
	for (i = 0; i < cfg->nr_kdamonds; i++)
		owner_add(reg, kr->io.root, i, kdamond_pid(&kr->io, i));
	return 0;
}

int kernel_start(struct kernel_run *kr, struct damon_config *cfg,
		 char **command, bool force, pid_t *cmd_pid)
{
	struct owner_reg reg;
	pid_t pid = -1;
	int gate = -1, err;

	*cmd_pid = -1;
	if (command) {
		pid = kdamond_spawn_held(command, NULL, &gate);
		if (pid < 0) {
			diag_add(&kr->diag, "", "cannot start '%s': %s",
				 command[0], strerror(errno));
			return -errno;
		}
		target_command(cfg, pid);
	}
	err = damon_config_validate(cfg, 0, &kr->diag) ? -EINVAL : 0;
	if (!err && kdamond_check_features(&kr->io, cfg))
		err = -EOPNOTSUPP;
	if (!err)
		err = owner_open(kr->rundir, &reg, &kr->diag);
	if (!err) {
		err = check_slots(kr, &reg, force);
		if (!err)
			err = start_kdamonds(kr, cfg, &reg);
		if (owner_close(&reg, !err, &kr->diag) && !err)
			err = -EIO;
	}
	if (pid > 0) {
		if (err) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
		} else if (write(gate, "g", 1) != 1) {
			err = -errno;
		}
		close(gate);
	}
	if (!err)
		*cmd_pid = pid;
	return err;
}

int kernel_stop_started(struct kernel_run *kr, size_t nr)
{
	struct owner_reg reg;
	size_t i;
	int err = 0;

	for (i = 0; i < nr; i++)
		if (kdamond_is_on(&kr->io, i) &&
		    kdamond_turn_off(&kr->io, i, ON_TIMEOUT_MS) && !err)
			err = -EIO;
	if (!err)
		err = kdamond_set_nr(&kr->io, 0);
	if (err || owner_open(kr->rundir, &reg, &kr->diag))
		return err ? err : -EIO;
	for (i = 0; i < nr; i++)
		owner_remove(&reg, kr->io.root, i);
	return owner_close(&reg, true, &kr->diag) ? -EIO : 0;
}

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


/* With nothing running and everything damo's, remove the directories. */
static void cleanup(struct kernel_run *kr, struct owner_reg *reg, long n)
{
	long i;

	for (i = 0; i < n; i++)
		if (kdamond_is_on(&kr->io, (unsigned long)i) ||
		    !owner_find(reg, kr->io.root, (unsigned long)i))
			return;
	if (n && !kdamond_set_nr(&kr->io, 0))
		for (i = 0; i < n; i++)
			owner_remove(reg, kr->io.root, (unsigned long)i);
}

int kernel_stop(struct kernel_run *kr, const unsigned long *idx, size_t nr,
		bool force)
{
	long n = kdamond_nr(&kr->io);
	struct owner_reg reg;
	size_t i;
	int err;

	if (n < 0)
		return (int)n;
	err = owner_open(kr->rundir, &reg, &kr->diag);
	if (err)
		return err;
	for (i = 0; i < nr && !err; i++) {
		if ((long)idx[i] >= n) {
			diag_add(&kr->diag, "", "there is no kdamond %lu (%ld exist)",
				 idx[i], n);
			err = -ENOENT;
		} else if (!force &&
			   !owner_owns(&reg, kr->io.root, idx[i],
				       kdamond_pid(&kr->io, idx[i]))) {
			diag_add(&kr->diag, "", "kdamond %lu was not started by damo",
				 idx[i]);
			diag_add(&kr->diag, "hint", "add --force to stop it anyway");
			err = -EPERM;
		}
	}
	for (i = 0; i < nr && !err; i++)
		err = kdamond_turn_off(&kr->io, idx[i], OFF_TIMEOUT_MS);
	if (!err)
		cleanup(kr, &reg, n > 256 ? 256 : n);
	if (owner_close(&reg, true, &kr->diag) && !err)
		err = -EIO;
	return err;
}
