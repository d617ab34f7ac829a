/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo record: monitor a workload and write what was seen as damo records.
 * The snapshots come from a backend's record operation (a running monitor,
 * or one started for the recording) or from a workload model; either way
 * they go through the one record loop (cmd/record_loop.h).
 */
#include "cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd/backend_args.h"
#include "cmd/damon_opts.h"
#include "cmd/kernel.h"
#include "cmd/record_loop.h"
#include "cmd/target.h"
#include "cmd/record_synth.h"
#include "core/access_source.h"
#include "core/damon.h"
#include "core/diag.h"
#include "core/out.h"
#include "core/snapshot.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "formats/config.h"
#include "formats/doc.h"
#include "cmd/report_filter.h"
#include "formats/record_write.h"
#include "formats/workload.h"
#include "kdamond/backend.h"

/* The older spelling of --model: --source synthetic:FILE. */
#define SYNTH_PREFIX "synthetic:"

struct record_args {
	struct damo_ctx *ctx;
	struct damon_opts_args damon;
	struct backend_args bargs;	/* --backend, the ID */
	const char *model;		/* --model: a workload model file */
	const char *source;		/* --source: an access source */
	unsigned int cpu_budget_bp;	/* --cpu-budget; 0: not given */
	uint64_t seed;
	uint64_t duration_ns;		/* 0: not given */
	uint64_t snapshot_ns;		/* --snapshot; 0: as it runs */
	uint64_t snapshot_count;	/* --snapshot's COUNT; 0: none */
	char **command;			/* after "--", NULL-terminated */
	const char *target;		/* damo's deducible target */
	char id_word[DAMO_ID_BUFSZ];	/* an ID taken for a pid */
	struct cmd_target t;		/* what @target is */
	const char *output;
	enum record_format fmt;
	bool realtime;
	struct report_filter filter;	/* damo's record filters */
	unsigned int do_record;		/* bits of do_record_names[] */
	unsigned int permission;	/* --output-permission */
};

/* damo's --do_record words; damo (C) records access and mem_footprint. */
static const char *const do_record_names[] = {
	"access", "cpu_profile", "mem_footprint", "vmas", "proc_stats",
	"damon_trace_events",
};
#define DO_ACCESS (1u << 0)
#define DO_FOOTPRINT (1u << 2)
#define DO_RECORDED (DO_ACCESS | DO_FOOTPRINT)
/* damo's default: all but damon_trace_events */
#define DO_DEFAULT 0x1fu

enum {
	OPT_SOURCE = 0x500,
	OPT_MODEL,
	OPT_SEED,
	OPT_DURATION,
	OPT_FORMAT,
	OPT_REALTIME,
	OPT_SNAPSHOT,
	OPT_CPU_BUDGET,
	OPT_DO_RECORD,
	OPT_PERMISSION,
};

/* not const: --source's values come from the registry of sources */
#define RECORD_OPT_SOURCE 0
static struct argp_option record_options[] = {
	{ "source", OPT_SOURCE, "SOURCE", 0,
	  "Embedded monitor: where accesses are seen (default auto)", 0 },
	{ "model", OPT_MODEL, "FILE", 0,
	  "Record a workload model (a YAML file of mappings and phases) "
	  "that DAMON's algorithms run on inside damo", 0 },
	{ "cpu-budget", OPT_CPU_BUDGET, "PERCENT", 0,
	  "Embedded monitor without --monitoring-intervals: the share of one "
	  "core its sampling may use (default 1%)", 0 },
	{ "snapshot", OPT_SNAPSHOT, "DELAY [COUNT]", 0,
	  "Record kernel DAMON through a stat scheme's tried regions every "
	  "DELAY (1s, 500ms; bare numbers are seconds) instead of its "
	  "tracepoints, and stop after COUNT snapshots if given (damo's "
	  "--snapshot DELAY COUNT)", 0 },
	{ "do-record", OPT_DO_RECORD, "WHAT...", 0,
	  "What to record, of damo's access, cpu_profile, mem_footprint, "
	  "vmas, proc_stats and damon_trace_events; damo (C) records access "
	  "and mem_footprint (the targets' RSS) and says so of the others "
	  "(default: all but damon_trace_events)", 0 },
	CMD_ALIAS("do_record", OPT_DO_RECORD),
	{ "seed", OPT_SEED, "N", 0,
	  "Seed of the monitor's and the model's randomness (default 0)", 0 },
	{ "duration", OPT_DURATION, "TIME", 0,
	  "How long to monitor (60s, 1m; bare numbers are seconds); "
	  "without it, until the monitor stops, the command exits or Ctrl-C",
	  0 },
	CMD_ALIAS("timeout", OPT_DURATION),
	{ "output", 'o', "FILE", 0, "Record file (default damon.data)", 0 },
	CMD_ALIAS("out", 'o'),
	{ "format", OPT_FORMAT, "FORMAT",
	  0, "native (default: crash-safe), json_compressed or json", 0 },
	CMD_ALIAS("output_type", OPT_FORMAT),
	CMD_ALIAS("output-type", OPT_FORMAT),
	{ "output-permission", OPT_PERMISSION, "OCTAL", 0,
	  "The mode of the record file (default 600, as damo)", 0 },
	CMD_ALIAS("output_permission", OPT_PERMISSION),
	{ "realtime", OPT_REALTIME, NULL, 0,
	  "With --model: monitor in real time instead of virtual time", 0 },
	{ 0 }
};

static const struct argp_child record_children[] = {
	{ &damon_opts_argp, 0, "DAMON parameters:", 1 },
	{ &backend_args_argp, 0, NULL, 0 },
	{ &report_filter_argp, 0,
	  "Record filters (damo's; what is written keeps only what passes):",
	  2 },
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

/* A time; bare numbers are seconds, as damo's --timeout. */
static int parse_duration(const char *s, uint64_t *ns)
{
	size_t n = strspn(s, "0123456789.,");
	char *t = NULL;
	int err;

	if (n && n == strlen(s))
		s = t = xasprintf("%s s", s);
	err = units_parse_time(s, UNITS_NS, ns);
	free(t);
	return !err && *ns && *ns != UINT64_MAX ? 0 : -EINVAL;
}

/* --do-record WHAT...: the words up to the next option. */
static void parse_do_record(struct argp_state *state, const char *arg,
			    struct record_args *a)
{
	const char *w = arg;
	size_t i;

	a->do_record = 0;
	for (;;) {
		for (i = 0; i < ARRAY_SIZE(do_record_names); i++) {
			if (!strcmp(w, do_record_names[i]))
				break;
		}
		if (i == ARRAY_SIZE(do_record_names)) {
			argp_error(state, "--do-record: '%s' is not access, "
				   "cpu_profile, mem_footprint, vmas, proc_stats "
				   "or damon_trace_events", w);
			return;
		}
		a->do_record |= 1u << i;
		if (state->next >= state->argc ||
		    state->argv[state->next][0] == '-')
			return;
		w = state->argv[state->next++];
	}
}

/* Which options go together, once all are parsed. */
static error_t record_check(struct record_args *a, struct argp_state *state)
{
	const char *topt = damon_opts_target_option(&a->damon);
	bool has_id = a->bargs.has_id;

	if (a->model) {
		if (has_id || a->command || a->snapshot_ns || a->source ||
		    a->cpu_budget_bp || a->bargs.backend_given)
			argp_error(state, "--model records a workload model; an ID, a command, --backend, --source and --snapshot are for monitoring a process");
		if (!a->duration_ns)
			argp_error(state, "--duration is required with --model (for example --duration 60s)");
		if (topt)
			argp_error(state, "--%s: the workload model gives the target and its operations set",
				   topt);
		return 0;
	}
	if (a->realtime)
		argp_error(state, "--realtime is for --model; monitors always run in real time");
	if (a->source && !backend_kind_may_embed(a->bargs.backend))
		argp_error(state, "--source %s is the embedded monitor's, not --backend %s",
			   a->source, backend_kind_name(a->bargs.backend));
	if (a->cpu_budget_bp && (has_id || a->snapshot_ns ||
				 !backend_kind_may_embed(a->bargs.backend) ||
				 damon_opts_intervals_given(&a->damon)))
		argp_error(state, "--cpu-budget paces an embedded monitor damo starts without --monitoring-intervals");
	if (a->source && a->snapshot_ns)
		argp_error(state, "--snapshot records kernel DAMON's tried regions; --source is the embedded monitor's");
	if (a->target && (has_id || a->command))
		argp_error(state, "one target: '%s', an ID or a command after '--'",
			   a->target);
	/* with DAMON options, an ID may turn out a pid (id_or_pid()) */
	if (has_id && a->command)
		argp_error(state, "a running monitor is recorded as it is: give its ID, or DAMON options and a command, not both");
	if (a->command && topt && strcmp(topt, "ops") &&
	    strcmp(topt, "regions"))
		argp_error(state, "--%s: the command after '--' is the target",
			   topt);
	if (!has_id && !a->command && !a->target &&
	    !(topt && !strcmp(topt, "target-pid")))
		argp_error(state, "what to record: a running monitor's ID, --target-pid PID, a command after '--', or --model FILE");
	return 0;
}

static error_t record_parse(int key, char *arg, struct argp_state *state)
{
	struct record_args *a = state->input;
	struct damo_id id;

	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, record_children, a->ctx);
		state->child_inputs[0] = &a->damon;
		state->child_inputs[1] = &a->bargs;
		state->child_inputs[2] = &a->filter;
		return 0;
	case OPT_SOURCE:
		if (!strncmp(arg, SYNTH_PREFIX, strlen(SYNTH_PREFIX)))
			a->model = arg + strlen(SYNTH_PREFIX);
		else if (!strcmp(arg, "auto") || access_source_find(arg))
			a->source = arg;
		else
			argp_error(state, "--source: '%s' is not a source (%s; a workload model is --model FILE)",
				   arg, access_source_names(", "));
		if (a->model && !*a->model)
			argp_error(state, "--source: '%s' names no model file",
				   arg);
		return 0;
	case OPT_MODEL:
		a->model = arg;
		return 0;
	case OPT_CPU_BUDGET:
		if (cmd_parse_cpu_budget(arg, &a->cpu_budget_bp))
			argp_error(state, "--cpu-budget: '%s' is not a share of a core above 0 and at most 100%%",
				   arg);
		return 0;
	case OPT_SEED:
		if (units_parse_nr(arg, &a->seed))
			argp_error(state, "--seed: '%s' is not a number", arg);
		return 0;
	case OPT_DURATION:
		if (parse_duration(arg, &a->duration_ns))
			argp_error(state, "--duration: '%s' is not a time above 0",
				   arg);
		return 0;
	case 'o':
		a->output = arg;
		return 0;
	case OPT_FORMAT:
		if (!strcmp(arg, "native"))
			a->fmt = RECORD_FMT_NATIVE;
		else if (!strcmp(arg, "json_compressed"))
			a->fmt = RECORD_FMT_JSON_COMPRESSED;
		else if (!strcmp(arg, "json"))
			a->fmt = RECORD_FMT_JSON;
		else
			argp_error(state, "--format: '%s' is not a record format (native, json_compressed or json)",
				   arg);
		return 0;
	case OPT_REALTIME:
		a->realtime = true;
		return 0;
	case OPT_PERMISSION: {
		char *end;
		long mode;

		errno = 0;
		mode = strtol(arg, &end, 8);
		if (errno || end == arg || *end || mode < 0 || mode > 0777)
			argp_error(state, "--output-permission: '%s' is not an "
				   "octal mode (000 to 777)", arg);
		a->permission = (unsigned int)(mode < 0 ? 0 : mode) & 0777;
		return 0;
	}
	case OPT_DO_RECORD:
		parse_do_record(state, arg, a);
		return 0;
	case OPT_SNAPSHOT:
		if (parse_duration(arg, &a->snapshot_ns))
			argp_error(state, "--snapshot: '%s' is not a time above 0",
				   arg);
		/* damo's COUNT: a bare number after DELAY */
		if (state->next < state->argc && state->argv[state->next][0] &&
		    strspn(state->argv[state->next], "0123456789") ==
		    strlen(state->argv[state->next])) {
			arg = state->argv[state->next++];
			if (units_parse_nr(arg, &a->snapshot_count) ||
			    !a->snapshot_count)
				argp_error(state, "--snapshot: COUNT '%s' is not "
					   "a number of snapshots above 0", arg);
		}
		return 0;
	case ARGP_KEY_ARG:
		/* an ID ("0", "e0", a name), else damo's deducible target */
		if (!a->bargs.has_id && !a->target &&
		    (!damo_id_parse(arg, &id) || backend_args_names_monitor(arg)))
			return ARGP_ERR_UNKNOWN;
		if (!a->bargs.has_id && !a->target) {
			a->target = arg;
			return 0;
		}
		argp_error(state, "more than one target ('%s'); quote a command line, or put it after '--'",
			   arg);
		return 0;
	case ARGP_KEY_END:
		return record_check(a, state);
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp record_argp = {
	.options = record_options,
	.parser = record_parse,
	.args_doc = "[ID|TARGET] [-- COMMAND [ARGS...]]",
	.doc = "Record access patterns, as Python damo's record does.\v"
	       "With ID (0 for kdamond 0, e0 for embedded monitor e0), the "
	       "running monitor is recorded; with --target-pid PID or "
	       "'-- COMMAND', a monitor is started for that process and "
	       "stopped again at the end: kernel DAMON where it has vaddr, "
	       "else damo's embedded monitor (--backend chooses).  Kernel "
	       "DAMON is read through its damon_aggregated tracepoint, from a "
	       "trace instance of damo's own (no perf or trace-cmd needed), "
	       "or with --snapshot through the tried regions of a stat "
	       "scheme, which damo adds to its own kdamond and removes again. "
	       " Recordings of the embedded monitor carry each target's RSS "
	       "once a second ('damo report footprint').  Recording ends "
	       "after --duration, when the monitor stops or the command "
	       "exits, or on Ctrl-C; the file is finished in every case and "
	       "tracefs left as it was.\n\n"
	       "With --model FILE the accesses come from a workload model (a "
	       "YAML file of mappings and phases; see examples/workloads/; "
	       "also spelled --source synthetic:FILE) that DAMON's algorithms "
	       "run on inside damo, in virtual time unless --realtime: a "
	       "minute of monitoring takes a fraction of a second, and the "
	       "same seed gives the same file, byte for byte.  DAMON "
	       "options and --scheme FILE set the intervals, regions and "
	       "schemes, so that a scheme can be tried on a model before "
	       "it goes near a machine; actions are only counted.\n\n"
	       "The file is in damo's native format by default "
	       "(docs/record-format.md): written as the recording goes, in "
	       "checksummed chunks at least every second, so that a killed "
	       "recording keeps all but its last second and reads back with "
	       "a warning.  --format json_compressed or json writes damo's "
	       "JSON record format instead (at the end), which Python damo's "
	       "report commands read; 'damo convert' converts between them.  "
	       "An existing FILE is renamed FILE.old.\n\n"
	       "Examples:\n"
	       "  damo record 0 --duration 30s -o kdamond0.data\n"
	       "  damo record e0 --duration 1m\n"
	       "  damo record -- ./workload --size 1G\n"
	       "  damo record --target-pid 4242 --snapshot 1s --duration 1m\n"
	       "  damo record 0 --snapshot 1 10\n"
	       "  damo record --model examples/workloads/stairs.yaml \\\n"
	       "      --duration 60s -o stairs.data\n"
	       "  damo record --model hot-cold.yaml --duration 30s \\\n"
	       "      --seed 7 --monitoring-intervals 5ms 100ms 1s \\\n"
	       "      --damos-action pageout --damos-access-rate 0% 0% \\\n"
	       "      --damos-age 2s max --format json -o hot-cold.json",
	.children = record_children,
};

/*
 * The context of the run: the DAMON options' one, with one target that
 * has no pid (the workload is not a process) and, for fvaddr, the model's
 * mappings as its regions.
 */
static int build_config(const struct record_args *a, const struct workload *wl,
			struct damon_config *cfg, struct diag *d)
{
	struct damon_target *t;
	struct damon_ctx *c;
	size_t i;

	if (damon_opts_build_unchecked(&a->damon, cfg, d))
		return -EINVAL;
	c = &cfg->kdamonds[0].ctxs[0];
	for (i = 0; i < c->nr_targets; i++)
		damon_target_release(&c->targets[i]);
	c->nr_targets = 0;
	c->ops = wl->kind == SYNTH_FIXED ? DAMON_OPS_FVADDR : DAMON_OPS_VADDR;
	t = damon_ctx_add_target(c);
	for (i = 0; wl->kind == SYNTH_FIXED && i < wl->model.nr_mappings; i++)
		*damon_target_add_region(t) = wl->model.mappings[i];
	if (damon_config_validate(cfg, DAMON_VALIDATE_NO_PIDS, d))
		return -EINVAL;
	return 0;
}

static int record_model(const struct record_args *a, struct record_loop *l,
			struct diag *d)
{
	struct damon_config cfg;
	struct workload wl;
	int err;

	err = workload_load(a->model, &wl, d);
	if (err)
		return err;
	damon_config_init(&cfg);
	err = build_config(a, &wl, &cfg, d);
	if (!err) {
		struct record_synth_opts o = {
			.ctx = &cfg.kdamonds[0].ctxs[0], .wl = &wl,
			.seed = a->seed, .duration_ns = a->duration_ns,
			.realtime = a->realtime, .sink = &l->sink,
		};
		struct record_info info = {
			/* virtual time: the same bytes every run */
			.start_ns = a->realtime ? 0 : SNAP_NONE,
			.ops = damon_ops_name(o.ctx->ops),
		};
		char *cfg_text = config_emit(&cfg, DOC_FMT_YAML, false);
		uint64_t monitored;

		info.config = cfg_text;
		record_loop_set_info(l, &info);
		free(cfg_text);
		l->what = "the model";
		l->source = "synthetic";
		l->seed = a->seed;
		err = record_synth_run(&o, &monitored);
		if (!a->realtime)
			l->virtual_ns = monitored;
		if (!l->end)
			l->end = "duration";
		if (err == -EINVAL && !d->nr)
			diag_add(d, "", "the monitor refused the intervals or the numbers of regions");
	}
	damon_config_release(&cfg);
	workload_release(&wl);
	return err;
}

/* What a backend started for the recording. */
struct started {
	bool has;
	struct damo_id id;
	long command_pid;
};

static void on_started(void *data, const struct backend_started *s,
		       size_t nr)
{
	struct started *st = data;

	if (!nr)
		return;
	st->has = true;
	st->id = s[0].id;
	st->command_pid = s[0].command_pid;
}

/*
 * The configuration of a monitor started for the recording: one kdamond
 * of one context, monitoring a process (the command's, or --target-pid's).
 */
static int record_config(const struct record_args *a, struct config_file *cf,
			 struct diag *d)
{
	struct damon_opts_args opts = a->damon;	/* borrowed, not changed */
	struct damon_ctx *c;
	int err;


	if (a->t.kind == CMD_TARGET_CONFIG)
		err = cmd_target_load(&a->t, NULL, &opts, NULL, cf, d);
	else
		err = cmd_load_config(NULL, &a->damon, cf, d);
	if (err)
		return err;
	if (cf->cfg.nr_kdamonds != 1 || cf->cfg.kdamonds[0].nr_ctxs != 1) {
		diag_add(d, "", "damo record monitors with one kdamond of one context");
		return -EINVAL;
	}
	c = &cf->cfg.kdamonds[0].ctxs[0];
	if (a->command && c->ops == DAMON_OPS_PADDR)
		c->ops = DAMON_OPS_VADDR;
	if (c->ops != DAMON_OPS_VADDR && c->ops != DAMON_OPS_FVADDR) {
		diag_add(d, "", "damo record starts DAMON for a process: give --target-pid or a command after '--' (or a running monitor's ID)");
		return -EINVAL;
	}
	return 0;
}

/*
 * A started command is watched (and ended) by the loop if it is our child;
 * asked without reaping it, so that an early exit is still seen.
 */
static pid_t our_child(long pid)
{
	siginfo_t info;

	if (pid <= 0)
		return -1;
	return waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) ?
	       -1 : (pid_t)pid;
}

/*
 * A monitor: the one named, or one started for the recording (through the
 * backend --backend selects) and stopped at its end.
 */
static int record_monitor(const struct record_args *a, struct record_loop *l,
			  struct diag *d)
{
	const struct backend_env *env = cmd_backend_env(a->ctx);
	struct started st = { 0 };
	struct backend_start bs = {
		.command = a->command, .source = a->source,
		.cpu_budget_bp = a->cpu_budget_bp,
		.intervals_given = damon_opts_intervals_given(&a->damon),
		.ephemeral = true,
		.started = on_started, .data = &st,
	};
	struct backend_record req = { .snapshot_ns = a->snapshot_ns };
	char what[DAMO_ID_BUFSZ + 8], id[DAMO_ID_BUFSZ];
	struct backend b = { 0 };
	struct config_file cf;
	const char *why = NULL;
	int err, err2;

	if (a->bargs.has_id) {
		st.id = a->bargs.id;
		err = backend_open(env, st.id.kind, false, &b, d);
	} else {
		err = record_config(a, &cf, d);
		if (!err) {
			err = backend_select(env, a->bargs.backend, &cf.cfg,
					     true, &b, &why, d);
			if (!err && why)
				out_warn(l->out, "%s; recording with damo's embedded monitor",
					 why);
			if (!err)
				err = backend_start(&b, &cf.cfg, &bs);
			l->command = err ? -1 : our_child(st.command_pid);
		}
		config_file_release(&cf);
	}
	if (!err) {
		l->what = damo_id_label(st.id, what);
		l->id = damo_id_str(st.id, id);
		err = backend_record(&b, st.id, &req, &l->sink);
		l->source = req.source;
		l->nr_dropped = req.nr_dropped;
		if (!l->end)
			l->end = req.end;
	}
	record_loop_end_command(l);
	err2 = st.has ? backend_stop(&b, &st.id, 1, false) : 0;
	if (err2)
		diag_add(d, "", "cannot stop %s, which damo started for the recording; stop it with 'damo stop %s'",
			 what, id);
	/*
	 * What was recorded is kept whether or not the monitor could be
	 * stopped (l's strings point here: the summary is printed now).
	 */
	err = record_loop_end(l, err);
	if (!err)
		err = err2;
	backend_close(&b);
	return err;
}

/*
 * damo's positional target: a command line is run like '-- COMMAND', a
 * pid is --target-pid, a kdamonds document the monitor's configuration.
 */
static int record_target(struct record_args *a, struct out *o,
			 struct diag *d)
{
	int err = cmd_target_deduce(a->target, &a->t, d);

	if (err)
		return err;
	switch (a->t.kind) {
	case CMD_TARGET_COMMAND:
		a->command = a->t.argv;
		return 0;
	case CMD_TARGET_PID:
		if (damon_opts_set_target(&a->damon, a->t.pid))
			out_warn(o, "--target-pid and --ops are overridden by target '%s'",
				 a->target);
		return 0;
	case CMD_TARGET_CONFIG:
		if (damon_opts_given(&a->damon)) {
			diag_add(d, "", "target '%s' is a whole configuration: give it or DAMON options, not both",
				 a->t.is_text ? "(kdamonds text)" : a->target);
			return -CMD_EUSAGE;
		}
		return 0;
	default:
		diag_add(d, "", "damo record starts DAMON for a process: target '%s' is not one (give a pid, a command, or a running monitor's ID)",
			 a->target);
		return -CMD_EUSAGE;
	}
}

/* Whether @id names a monitor that is there (running or not). */
static bool monitor_exists(struct damo_ctx *ctx, struct damo_id id)
{
	struct backend b[2];
	struct damo_id *ids;
	struct diag scratch;
	size_t nb = 0, nr, i, j;
	bool found = false;

	diag_init(&scratch);
	if (!backend_open_all(cmd_backend_env(ctx), BACKEND_AUTO, &id, b, &nb,
			      &scratch)) {
		for (i = 0; i < nb; i++) {
			if (!found && !backend_list(&b[i], false, &ids, &nr)) {
				for (j = 0; j < nr; j++)
					found |= damo_id_eq(ids[j], id);
				free(ids);
			}
			backend_close(&b[i]);
		}
	}
	diag_release(&scratch);
	return found;
}

/*
 * damo's 'damo record 1234' names a process; here a number is a kdamond
 * id first.  One that names no kdamond but a running process is the pid.
 */
static void id_or_pid(struct record_args *a, struct damo_ctx *ctx)
{
	char proc[48];

	/* below 1024: kdamonds are few, and such pids are system tasks */
	if (!a->bargs.has_id || a->bargs.id.kind != BACKEND_KERNEL ||
	    a->bargs.id.nr < 1024 || monitor_exists(ctx, a->bargs.id))
		return;
	snprintf(proc, sizeof(proc), "/proc/%lu", a->bargs.id.nr);
	if (access(proc, F_OK))
		return;
	snprintf(a->id_word, sizeof(a->id_word), "%lu", a->bargs.id.nr);
	a->target = a->id_word;
	a->bargs.has_id = false;
}

int cmd_record(int argc, char **argv, struct damo_ctx *ctx)
{
	struct record_args a = { .ctx = ctx, .output = "damon.data",
				 .fmt = RECORD_FMT_NATIVE, .do_record = DO_DEFAULT,
				 .permission = 0600 };
	struct out *o;
	struct record_loop l;
	struct diag d;
	int err, nargs;

	record_options[RECORD_OPT_SOURCE].arg = access_source_names("|");
	nargs = cmd_split_command(argc, argv, &a.command);
	if (nargs < 0)
		return nargs;
	damon_opts_args_init(&a.damon);
	err = cmd_parse(&record_argp, nargs, argv, &a);
	if (err)
		goto out_args;
	o = cmd_out(ctx);
	diag_init(&d);
	id_or_pid(&a, ctx);
	if (a.bargs.has_id && (a.source || damon_opts_given(&a.damon))) {
		diag_add(&d, "", "a running monitor is recorded as it is: give its ID, or DAMON options and a command, not both");
		err = -CMD_EUSAGE;
	} else {
		err = a.target ? record_target(&a, o, &d) : 0;
	}
	if (err) {
		cmd_diag_report(o, &d, false);
		diag_release(&d);
		goto out_args;
	}
	/* a model's duration is monitored time, not wall time */
	err = record_loop_begin(&l, o, a.output, a.fmt,
				a.model ? 0 : a.duration_ns, &d);
	if (!err && a.permission != 0600) {
		err = record_writer_set_permission(l.w, a.permission);
		if (err)
			diag_add(&d, "", "cannot set the mode of '%s': %s",
				 a.output, strerror(-err));
	}
	l.max_snapshots = a.snapshot_count;
	l.filter = &a.filter;
	l.skip_access = !(a.do_record & DO_ACCESS);
	l.skip_footprint = !(a.do_record & DO_FOOTPRINT);
	for (size_t i = 0; i < ARRAY_SIZE(do_record_names); i++) {
		/* damo's default asks for them all: only named ones are said */
		if (a.do_record != DO_DEFAULT && (a.do_record & (1u << i)) &&
		    !(DO_RECORDED & (1u << i)))
			out_warn(o, "--do-record %s: not recorded by damo (C)",
				 do_record_names[i]);
	}
	if (err)
		err = record_loop_end(&l, err);
	else if (a.model)
		err = record_loop_end(&l, record_model(&a, &l, &d));
	else
		err = record_monitor(&a, &l, &d);
	cmd_diag_report(o, &d, false);
	diag_release(&d);
out_args:
	damon_opts_args_release(&a.damon);
	return err;
}
