/* SPDX-License-Identifier: GPL-2.0 */
/* damo start: write a configuration into kernel DAMON and turn it on. */
#include "cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd/damon_opts.h"
#include "kdamond/embedded/embedded.h"
#include "cmd/kernel.h"
#include "core/damon.h"
#include "core/out.h"
#include "formats/config.h"

#define ON_TIMEOUT_MS 5000

struct start_args {
	struct damo_ctx *ctx;
	struct damon_opts_args damon;
	const char *file;
	bool force;
	char **command;		/* after "--", NULL-terminated */
	enum damo_backend backend;
	const char *source;
	bool foreground;
};

enum {
	OPT_FORCE = 0x400,
	OPT_BACKEND,
	OPT_SOURCE,
	OPT_FOREGROUND,
};

static const struct argp_option start_options[] = {
	{ "force", OPT_FORCE, NULL, 0,
	  "Replace kdamond directories damo did not create (when none runs)", 0 },
	{ "backend", OPT_BACKEND, "auto|kernel|embedded", 0,
	  "Kernel DAMON, damo's embedded monitor, or the kernel where it has "
	  "what the configuration needs (default auto)", 0 },
	{ "source", OPT_SOURCE, "auto|uffd|softdirty|pageidle", 0,
	  "Embedded monitor: where accesses are seen (default auto)", 0 },
	{ "foreground", OPT_FOREGROUND, NULL, 0,
	  "Embedded monitor: stay attached instead of running as a daemon", 0 },
	{ 0 }
};

static const struct argp_child start_children[] = {
	{ &damon_opts_argp, 0, "DAMON parameters:", 1 },
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static error_t start_parse(int key, char *arg, struct argp_state *state)
{
	struct start_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, start_children, a->ctx);
		state->child_inputs[0] = &a->damon;
		return 0;
	case OPT_FORCE:
		a->force = true;
		return 0;
	case OPT_BACKEND:
		if (embedded_parse_backend(arg, &a->backend))
			argp_error(state, "--backend: '%s' is not auto, kernel or embedded",
				   arg);
		return 0;
	case OPT_SOURCE:
		a->source = arg;
		return 0;
	case OPT_FOREGROUND:
		a->foreground = true;
		return 0;
	case ARGP_KEY_ARG:
		if (a->file)
			argp_error(state, "more than one configuration ('%s', '%s'); a command goes after '--'",
				   a->file, arg);
		a->file = arg;
		return 0;
	case ARGP_KEY_END:
		if (a->file && damon_opts_given(&a->damon))
			argp_error(state, "give a configuration file or DAMON options, not both (--scheme may go with either)");
		if (a->command && a->file)
			argp_error(state, "a command to monitor goes with DAMON options, not a configuration file");
		if (a->command && damon_opts_target_option(&a->damon) &&
		    !strcmp(damon_opts_target_option(&a->damon), "target-pid"))
			argp_error(state, "--target-pid: the command after '--' is the target");
		if ((a->source || a->foreground) && a->backend == BACKEND_KERNEL)
			argp_error(state, "--source and --foreground are for the embedded monitor, not --backend kernel");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp start_argp = {
	.options = start_options,
	.parser = start_parse,
	.args_doc = "[CONFIG] [-- COMMAND [ARGS...]]",
	.doc = "Start DAMON with a configuration: kernel DAMON, or damo's "
	       "embedded monitor where the kernel lacks DAMON or vaddr.\v"
	       "CONFIG is a kdamonds document (YAML or JSON, like damo's); "
	       "without it the DAMON options build one.  --scheme FILE adds "
	       "the schemes of a scheme file.  The whole configuration is "
	       "checked against this kernel's features before anything is "
	       "written; on any failure nothing of it is left on.  With "
	       "'-- COMMAND', the command is started and its address space "
	       "monitored (vaddr); the kdamond stops by itself when it exits.  "
	       "Prints the id of each kdamond started.  With --backend "
	       "embedded (or auto on a kernel without DAMON or vaddr) damo "
	       "runs DAMON's algorithms itself in a daemon named eN, which "
	       "tune, stop, status, schemes and record address like a "
	       "kdamond; --source picks how it sees accesses (uffd needs "
	       "the command started by damo, which loads its agent).\n\n"
	       "Examples:\n"
	       "  damo start reclaim.yaml\n"
	       "  damo start --ops paddr --scheme reclaim-schemes.json\n"
	       "  damo start --damos-action stat -- ./workload --size 1G\n"
	       "  damo start --target-pid 4242 --damos-action pageout \\\n"
	       "      --damos-access-rate 0% 0% --damos-age 30s max\n"
	       "  damo start --backend embedded --damos-action cold \\\n"
	       "      --damos-age 5s max -- ./workload",
	.children = start_children,
};

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

static void print_started(struct out *o, struct kernel_run *kr,
			  const struct damon_config *cfg, pid_t cmd_pid)
{
	static const struct out_col cols[] = {
		{ "id", "id", true },
		{ "pid", "pid", true },
		{ "ops", "ops", false },
		{ "target_pids", "targets", false },
	};
	size_t i, j;

	if (!out_is_json(o)) {
		for (i = 0; i < cfg->nr_kdamonds; i++)
			out_text(o, "%zu\n", i);
		return;
	}
	out_begin_table(o, NULL, cols, 4);
	for (i = 0; i < cfg->nr_kdamonds; i++) {
		const struct damon_ctx *c = &cfg->kdamonds[i].ctxs[0];

		out_begin_obj(o, NULL);
		out_u64(o, "id", i);
		out_i64(o, "pid", kdamond_pid(&kr->io, i));
		out_str(o, "ops", damon_ops_name(c->ops));
		if (cmd_pid > 0)
			out_i64(o, "command_pid", cmd_pid);
		out_begin_list(o, "target_pids");
		for (j = 0; j < c->nr_targets; j++)
			if (c->targets[j].has_pid)
				out_i64(o, NULL, c->targets[j].pid);
		out_end_list(o);
		out_end_obj(o);
	}
	out_end_table(o);
}

int kernel_start(struct kernel_run *kr, struct damon_config *cfg,
		 char **command, bool force, pid_t *cmd_pid)
{
	struct owner_reg reg;
	pid_t pid = -1;
	int gate = -1, err;

	*cmd_pid = -1;
	if (command) {
		pid = cmd_spawn_held(command, NULL, &gate);
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

static int do_start(struct start_args *a, struct kernel_run *kr,
		    struct config_file *cf)
{
	pid_t pid;
	int err;

	err = kernel_start(kr, &cf->cfg, a->command, a->force, &pid);
	if (!err)
		print_started(cmd_out(kr->ctx), kr, &cf->cfg, pid);
	return err;
}

/* Report @d's problems: warnings as such, then errors and hints. */
static void report_diag(struct damo_ctx *ctx, struct diag *d)
{
	cmd_warn_diag(cmd_out(ctx), d);
	if (d->nr)
		cmd_report(cmd_out(ctx), d);
	diag_release(d);
}

static int start_embedded(struct start_args *a, struct damon_config *cfg,
			  const char *why)
{
	struct embedded_opts eo = {
		.source = a->source, .foreground = a->foreground,
		.command = a->command, .out = cmd_out(a->ctx),
		.warn = cmd_warn_diag,
	};
	char *rundir = owner_dir();
	struct diag d;
	int err;

	diag_init(&d);
	if (why)
		out_warn(cmd_out(a->ctx), "%s; using damo's embedded monitor",
			 why);
	/* its own defaults, unless intervals were asked for */
	if (!a->file && !damon_opts_intervals_given(&a->damon) &&
	    cfg->nr_kdamonds && cfg->kdamonds[0].nr_ctxs)
		embedded_default_intervals(&cfg->kdamonds[0].ctxs[0]);
	err = embedded_start(rundir, cfg, &eo, &d);
	report_diag(a->ctx, &d);
	free(rundir);
	return err;
}

/* --backend embedded, or auto without a DAMON sysfs interface. */
static int start_embedded_only(struct start_args *a, const char *why)
{
	struct config_file cf;
	struct diag d;
	int err;

	diag_init(&d);
	err = kernel_load_config(a->file, &a->damon, false, &cf, &d);
	if (err) {
		report_diag(a->ctx, &d);
		return err;
	}
	err = start_embedded(a, &cf.cfg, why);
	config_file_release(&cf);
	return err;
}

int cmd_start(int argc, char **argv, struct damo_ctx *ctx)
{
	struct start_args a = { .ctx = ctx };
	struct config_file cf;
	struct kernel_run kr;
	const char *why;
	int err, nargs;

	nargs = cmd_split_command(argc, argv, &a.command);
	if (nargs < 0)
		return nargs;
	damon_opts_args_init(&a.damon);
	err = cmd_parse(&start_argp, nargs, argv, &a);
	if (err)
		goto out_args;
	if (a.backend == BACKEND_EMBEDDED) {
		err = start_embedded_only(&a, NULL);
		goto out_args;
	}
	err = kernel_open(ctx, &kr, true);
	if (err == -ENOENT && a.backend == BACKEND_AUTO) {
		kernel_close(&kr);
		err = start_embedded_only(&a, "no DAMON sysfs interface");
		goto out_args;
	}
	if (!err) {
		err = kernel_load_config(a.file, &a.damon, !a.command, &cf,
					 &kr.diag);
		if (!err) {
			/* a command is monitored in its address space */
			if (a.command && cf.cfg.nr_kdamonds &&
			    cf.cfg.kdamonds[0].nr_ctxs &&
			    cf.cfg.kdamonds[0].ctxs[0].ops == DAMON_OPS_PADDR)
				cf.cfg.kdamonds[0].ctxs[0].ops = DAMON_OPS_VADDR;
			why = a.backend == BACKEND_AUTO ?
			      embedded_kernel_lacks(&kr.feat, &cf.cfg) : NULL;
			if (why)
				err = start_embedded(&a, &cf.cfg, why);
			else
				err = do_start(&a, &kr, &cf);
			config_file_release(&cf);
		}
	}
	kernel_report(&kr, false);
	kernel_close(&kr);
out_args:
	damon_opts_args_release(&a.damon);
	return err;
}
