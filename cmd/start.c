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

#include "cmd/backend_args.h"
#include "cmd/damon_opts.h"
#include "cmd/kernel.h"
#include "cmd/start_fg.h"
#include "cmd/target.h"
#include "core/access_source.h"
#include "core/damon.h"
#include "core/diag.h"
#include "core/out.h"
#include "core/xalloc.h"
#include "formats/config.h"

struct start_args {
	struct damo_ctx *ctx;
	struct damon_opts_args damon;
	const char *file;	/* the positional target */
	const char *kdamonds;	/* --kdamonds */
	bool force;
	char **command;		/* after "--", NULL-terminated */
	struct backend_args bargs;
	const char *source;
	bool foreground;
	unsigned int cpu_budget_bp;	/* 0: not given */
	const char *name;
};

enum {
	OPT_FORCE = 0x400,
	OPT_SOURCE,
	OPT_FOREGROUND,
	OPT_CPU_BUDGET,
	OPT_NAME,
};

/* not const: --source's values come from the registry of sources */
#define START_OPT_SOURCE 1
static struct argp_option start_options[] = {
	{ "force", OPT_FORCE, NULL, 0,
	  "Replace kdamond directories damo did not create (when none runs)", 0 },
	{ "source", OPT_SOURCE, "SOURCE", 0,
	  "Embedded monitor: where accesses are seen (default auto)", 0 },
	{ "foreground", OPT_FOREGROUND, NULL, 0,
	  "Stay until the monitor ends, stopping it on SIGTERM, SIGINT or "
	  "SIGHUP (for systemd); the embedded monitor runs in damo itself", 0 },
	{ "name", OPT_NAME, "NAME", 0,
	  "A stable name for the monitor, which every command taking an id "
	  "accepts (letters, digits, '_', '-', '.'; up to 32, a letter first)",
	  0 },
	{ "cpu-budget", OPT_CPU_BUDGET, "PERCENT", 0,
	  "Embedded monitor without --monitoring-intervals: the share of one "
	  "core its sampling may use (default 1%)", 0 },
	{ 0 }
};

static const struct argp_child start_children[] = {
	{ &damon_opts_argp, 0, "DAMON parameters:", 1 },
	{ &backend_args_argp, 0, NULL, 0 },
	{ &cmd_target_argp, 0, NULL, 1 },
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static error_t start_parse(int key, char *arg, struct argp_state *state)
{
	struct start_args *a = state->input;
	const char *why;

	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, start_children, a->ctx);
		state->child_inputs[0] = &a->damon;
		state->child_inputs[1] = &a->bargs;
		state->child_inputs[2] = &a->kdamonds;
		a->bargs.no_id = true;
		return 0;
	case OPT_FORCE:
		a->force = true;
		return 0;
	case OPT_SOURCE:
		a->source = arg;
		return 0;
	case OPT_FOREGROUND:
		a->foreground = true;
		return 0;
	case OPT_NAME:
		if (!damo_name_valid(arg, &why))
			argp_error(state, "--name: '%s' is not a name: %s", arg,
				   why);
		a->name = arg;
		return 0;
	case OPT_CPU_BUDGET:
		if (cmd_parse_cpu_budget(arg, &a->cpu_budget_bp))
			argp_error(state, "--cpu-budget: '%s' is not a share of a core above 0 and at most 100%%",
				   arg);
		return 0;
	case ARGP_KEY_ARG:
		if (a->file)
			argp_error(state, "more than one target ('%s', '%s'); quote a command line, or put it after '--'",
				   a->file, arg);
		a->file = arg;
		return 0;
	case ARGP_KEY_END:
		if (a->kdamonds && (a->file || damon_opts_given(&a->damon)))
			argp_error(state, "--kdamonds is the whole configuration: give no target or DAMON options with it");
		if (a->command && (a->file || a->kdamonds))
			argp_error(state, "a command after '--' is the target; give no other target or --kdamonds");
		if (a->command && damon_opts_target_option(&a->damon) &&
		    !strcmp(damon_opts_target_option(&a->damon), "target-pid"))
			argp_error(state, "--target-pid: the command after '--' is the target");
		if ((a->source || a->cpu_budget_bp) &&
		    !backend_kind_may_embed(a->bargs.backend))
			argp_error(state, "--source and --cpu-budget are for the embedded monitor, not --backend kernel");
		if (a->cpu_budget_bp && (a->kdamonds ||
					 damon_opts_intervals_given(&a->damon)))
			argp_error(state, "--cpu-budget paces the embedded monitor's own intervals; it does not go with --monitoring-intervals or a configuration file");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp start_argp = {
	.options = start_options,
	.parser = start_parse,
	.args_doc = "[TARGET] [-- COMMAND [ARGS...]]",
	.doc = "Start DAMON with a configuration: kernel DAMON, or damo's "
	       "embedded monitor where the kernel lacks DAMON or vaddr.\v"
	       "TARGET is what damo calls a deducible target: a kdamonds "
	       "document (a YAML or JSON file, or JSON text), 'paddr', a "
	       "command line in quotes (run by damo, its pid monitored), or "
	       "the pid of a running process; the DAMON options build the rest "
	       "(docs/damo-compat.md §1.2).  --scheme FILE and -c/--schemes "
	       "FILE|JSON add schemes.    The whole configuration is "
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
	       "  damo start 4242 --damos-action stat\n"
	       "  damo start \"./workload --size 1G\"\n"
	       "  damo start --ops paddr --scheme reclaim-schemes.json\n"
	       "  damo start --name reclaim reclaim.yaml; damo status reclaim\n"
	       "  damo start --damos-action stat -- ./workload --size 1G\n"
	       "  damo start --target-pid 4242 --damos-action pageout \\\n"
	       "      --damos-access-rate 0% 0% --damos-age 30s max\n"
	       "  damo start --backend embedded --damos-action cold \\\n"
	       "      --damos-age 5s max -- ./workload",
	.children = start_children,
};

/*
 * What print_started() is told of: where, what to wait on, and whether
 * this is damo schemes' foreground mode (start_fg_stay() for any start).
 */
struct start_run {
	struct out *o;
	struct start_fg fg;
	bool hold;
};

/* The one printer of what started: ids in text, a table in JSON. */
static void print_started(void *data, const struct backend_started *s,
			  size_t nr)
{
	static const struct out_col cols[] = {
		{ "id", "id", true },
		{ "pid", "pid", true },
		{ "ops", "ops", false },
		{ "target_pids", "targets", false },
	};
	struct start_run *r = data;
	struct out *o = r->o;
	char buf[DAMO_ID_BUFSZ];
	size_t i, j;

	r->fg.ids = xreallocarray(r->fg.ids, r->fg.nr + nr,
				  sizeof(*r->fg.ids));
	for (i = 0; i < nr; i++)
		r->fg.ids[r->fg.nr++] = s[i].id;
	if (!out_is_json(o)) {
		for (i = 0; i < nr; i++)
			out_text(o, "%s\n", damo_id_str(s[i].id, buf));
		if (r->hold)
			out_text(o, "Press Ctrl+C to stop\n");
		fflush(stdout);
		return;
	}
	out_begin_table(o, NULL, cols, ARRAY_SIZE(cols));
	for (i = 0; i < nr; i++) {
		out_begin_obj(o, NULL);
		damo_id_print(o, "id", s[i].id);
		out_str(o, "backend", backend_kind_name(s[i].id.kind));
		out_id_nr(o, "pid", s[i].pid);
		out_str(o, "ops", damon_ops_name(s[i].ops));
		if (s[i].source) {
			out_str(o, "source", s[i].source);
			out_str(o, "sees", s[i].sees);
		}
		if (s[i].command_pid > 0)
			out_id_nr(o, "command_pid", s[i].command_pid);
		out_begin_list(o, "target_pids");
		for (j = 0; j < s[i].nr_target_pids; j++)
			out_id_nr(o, NULL, s[i].target_pids[j]);
		out_end_list(o);
		out_end_obj(o);
	}
	out_end_table(o);
	fflush(stdout);
}

static int start_run(int argc, char **argv, struct damo_ctx *ctx, bool hold)
{
	struct start_args a = { .ctx = ctx };
	struct backend_start bs = { .started = print_started };
	struct cmd_target t = { .kind = CMD_TARGET_NONE };
	struct config_file cf;
	struct backend b = { 0 };
	struct start_run r = { 0 };
	bool fg = false;
	const char *why;
	struct diag d;
	int err, nargs;

	start_options[START_OPT_SOURCE].arg = access_source_names("|");
	nargs = cmd_split_command(argc, argv, &a.command);
	if (nargs < 0)
		return nargs;
	damon_opts_args_init(&a.damon);
	err = cmd_parse(&start_argp, nargs, argv, &a);
	if (err)
		goto out_args;
	r.o = cmd_out(ctx);
	r.hold = hold;
	r.fg.say_signal = hold;
	bs.data = &r;
	diag_init(&d);
	err = a.file ? cmd_target_deduce(a.file, &t, &d) : 0;
	if (!err && t.kind == CMD_TARGET_COMMAND)
		a.command = t.argv;
	if (!err && t.kind == CMD_TARGET_CONFIG && a.cpu_budget_bp) {
		diag_add(&d, "", "--cpu-budget paces the embedded monitor's own intervals; it does not go with a configuration file");
		err = -CMD_EUSAGE;
	}
	if (!err)
		err = cmd_target_load(&t, a.kdamonds, &a.damon, cmd_out(ctx),
				      &cf, &d);
	/* a command is monitored in its address space */
	if (!err && a.command && cf.cfg.nr_kdamonds &&
	    cf.cfg.kdamonds[0].nr_ctxs &&
	    cf.cfg.kdamonds[0].ctxs[0].ops == DAMON_OPS_PADDR)
		cf.cfg.kdamonds[0].ctxs[0].ops = DAMON_OPS_VADDR;
	if (!err) {
		err = backend_select(cmd_backend_env(ctx), a.bargs.backend,
				     &cf.cfg, true, &b, &why, &d);
		if (!err && why)
			out_warn(cmd_out(ctx), "%s; using damo's embedded monitor",
				 why);
		bs.command = a.command;
		bs.force = a.force;
		bs.source = a.source;
		bs.foreground = a.foreground || hold;
		bs.name = a.name;
		bs.cpu_budget_bp = a.cpu_budget_bp;
		bs.intervals_given = t.kind == CMD_TARGET_CONFIG ||
				     a.kdamonds ||
				     damon_opts_intervals_given(&a.damon);
		fg = !err && (a.foreground || hold);
		if (fg)
			start_fg_signals(&r.fg);
		if (!err)
			err = backend_start(&b, &cf.cfg, &bs);
		if (!err && fg && r.fg.nr)
			err = start_fg_stay(&b, &r.fg, cmd_out(ctx),
					    ctx->opts.verbose);
		if (fg)
			start_fg_restore(&r.fg);
		free(r.fg.ids);
		backend_close(&b);
		config_file_release(&cf);
	}
	cmd_diag_report(cmd_out(ctx), &d, false);
	diag_release(&d);
out_args:
	damon_opts_args_release(&a.damon);
	return err;
}

int cmd_start(int argc, char **argv, struct damo_ctx *ctx)
{
	return start_run(argc, argv, ctx, false);
}

/* damo schemes with damo's options: start, stay until stopped, stop. */
int cmd_start_held(int argc, char **argv, struct damo_ctx *ctx)
{
	return start_run(argc, argv, ctx, true);
}
