/* SPDX-License-Identifier: GPL-2.0 */
/* damo record: monitor a workload and write what was seen as damo records. */
#include "cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/damon_opts.h"
#include "cmd/backend_args.h"
#include "kdamond/embedded/embedded.h"
#include "cmd/kernel.h"
#include "cmd/record_embedded.h"
#include "cmd/record_kernel.h"
#include "cmd/record_synth.h"
#include "core/damon.h"
#include "core/diag.h"
#include "core/out.h"
#include "core/snapshot.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "formats/config.h"
#include "formats/doc.h"
#include "formats/record_write.h"
#include "formats/workload.h"
#include "kdamond/owner.h"

#define SYNTH_PREFIX "synthetic:"

struct record_args {
	struct damo_ctx *ctx;
	struct damon_opts_args damon;
	const char *source;
	uint64_t seed;
	uint64_t duration_ns;		/* 0: not given */
	uint64_t snapshot_ns;		/* --snapshot; 0: tracepoints */
	bool has_idx;			/* a kdamond id was given */
	unsigned long idx;
	bool has_eid;			/* ... an embedded monitor's, eN */
	enum backend_kind backend;
	const char *emb_source;		/* --source of the embedded monitor */
	char **command;			/* after "--", NULL-terminated */
	const char *output;
	enum record_format fmt;
	bool realtime;
};

enum {
	OPT_SOURCE = 0x500,
	OPT_SEED,
	OPT_DURATION,
	OPT_FORMAT,
	OPT_REALTIME,
	OPT_SNAPSHOT,
	OPT_BACKEND,
};

static const struct argp_option record_options[] = {
	{ "source", OPT_SOURCE, "SOURCE", 0,
	  "Where accesses come from: synthetic:MODEL (a workload model file), "
	  "or the embedded monitor's auto, uffd, softdirty or pageidle; "
	  "without it, kernel DAMON where it can", 0 },
	{ "backend", OPT_BACKEND, "auto|kernel|embedded", 0,
	  "Record a process or command with kernel DAMON, damo's embedded "
	  "monitor, or the kernel where it has vaddr (auto, default)", 0 },
	{ "snapshot", OPT_SNAPSHOT, "INTERVAL", 0,
	  "Record kernel DAMON through a stat scheme's tried regions every "
	  "INTERVAL (1s, 500ms) instead of its tracepoints", 0 },
	{ "seed", OPT_SEED, "N", 0,
	  "Seed of the monitor's and the model's randomness (default 0)", 0 },
	{ "duration", OPT_DURATION, "TIME", 0,
	  "How long to monitor (60s, 1m; bare numbers are seconds); kernel "
	  "DAMON: until the kdamond stops, the command exits or Ctrl-C "
	  "without it", 0 },
	{ "timeout", OPT_DURATION, "TIME", OPTION_ALIAS | OPTION_HIDDEN,
	  NULL, 0 },
	{ "output", 'o', "FILE", 0, "Record file (default damon.data)", 0 },
	{ "out", 'o', "FILE", OPTION_ALIAS | OPTION_HIDDEN, NULL, 0 },
	{ "format", OPT_FORMAT, "FORMAT",
	  0, "native (default: crash-safe), json_compressed or json", 0 },
	{ "output_type", OPT_FORMAT, "FORMAT", OPTION_ALIAS | OPTION_HIDDEN,
	  NULL, 0 },
	{ "output-type", OPT_FORMAT, "FORMAT", OPTION_ALIAS | OPTION_HIDDEN,
	  NULL, 0 },
	{ "realtime", OPT_REALTIME, NULL, 0,
	  "With --source: monitor in real time instead of virtual time", 0 },
	{ 0 }
};

static const struct argp_child record_children[] = {
	{ &damon_opts_argp, 0, "DAMON parameters:", 1 },
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

/* Which options go together, once all are parsed. */
static error_t record_check(struct record_args *a, struct argp_state *state)
{
	const char *topt = damon_opts_target_option(&a->damon);

	if (a->source) {
		if (a->has_idx || a->command || a->snapshot_ns)
			argp_error(state, "--source records a workload model; a kdamond id, a command and --snapshot are for kernel DAMON");
		if (!a->duration_ns)
			argp_error(state, "--duration is required with --source (for example --duration 60s)");
		if (topt)
			argp_error(state, "--%s: the workload model gives the target and its operations set",
				   topt);
		return 0;
	}
	if (a->realtime)
		argp_error(state, "--realtime is for --source; kernel DAMON always runs in real time");
	if (a->emb_source && a->backend == BACKEND_KERNEL)
		argp_error(state, "--source %s is the embedded monitor's, not --backend kernel",
			   a->emb_source);
	if (a->has_eid && (a->snapshot_ns || a->emb_source))
		argp_error(state, "an embedded monitor is recorded as it runs: --snapshot and --source are not for it");
	if ((a->emb_source || a->backend == BACKEND_EMBEDDED) && a->snapshot_ns)
		argp_error(state, "--snapshot is for kernel DAMON");
	if (a->has_idx && (a->command || damon_opts_given(&a->damon)))
		argp_error(state, "a running kdamond is recorded as it is: give its id, or DAMON options and a command, not both");
	if (a->command && topt && strcmp(topt, "ops") &&
	    strcmp(topt, "regions"))
		argp_error(state, "--%s: the command after '--' is the target",
			   topt);
	if (!a->has_idx && !a->command && !(topt && !strcmp(topt, "target-pid")))
		argp_error(state, "what to record: a running kdamond's id, --target-pid PID, a command after '--', or --source synthetic:MODEL");
	return 0;
}

static error_t record_parse(int key, char *arg, struct argp_state *state)
{
	struct record_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, record_children, a->ctx);
		state->child_inputs[0] = &a->damon;
		return 0;
	case OPT_SOURCE:
		/* anything else is refused with the run's errors */
		if (!strcmp(arg, "auto") || !strcmp(arg, "uffd") ||
		    !strcmp(arg, "softdirty") || !strcmp(arg, "pageidle"))
			a->emb_source = arg;
		else
			a->source = arg;
		return 0;
	case OPT_BACKEND:
		if (backend_parse_kind(arg, &a->backend))
			argp_error(state, "--backend: '%s' is not auto, kernel or embedded",
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
	case OPT_SNAPSHOT:
		if (parse_duration(arg, &a->snapshot_ns))
			argp_error(state, "--snapshot: '%s' is not a time above 0",
				   arg);
		return 0;
	case ARGP_KEY_ARG:
		if (a->has_idx)
			argp_error(state, "more than one kdamond id ('%lu', '%s'); a command goes after '--'",
				   a->idx, arg);
		if (embedded_parse_id(arg, &a->idx))
			a->has_eid = true;
		else if (kernel_parse_idx(arg, &a->idx))
			argp_error(state, "'%s' is not a kdamond id (0, 1, ..., or eN for an embedded monitor); a command goes after '--'",
				   arg);
		a->has_idx = true;
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
	.args_doc = "[ID] [-- COMMAND [ARGS...]]",
	.doc = "Record access patterns, as Python damo's record does.\v"
	       "With ID, the running kdamond ID is recorded; with --target-pid "
	       "PID or '-- COMMAND', a vaddr kdamond is started for that "
	       "process and stopped again at the end.  Kernel DAMON is read "
	       "through its damon_aggregated tracepoint, from a trace instance "
	       "of damo's own (no perf or trace-cmd needed), or with "
	       "--snapshot through the tried regions of a stat scheme, which "
	       "damo adds to its own kdamond and removes again.  Recording "
	       "ends after --duration, when the kdamond stops or the command "
	       "exits, or on Ctrl-C; the file is finished in every case and "
	       "tracefs left as it was.\n\n"
	       "With --source synthetic:MODEL the accesses come from a workload model "
	       "(--source synthetic:MODEL, a YAML file of mappings and "
	       "phases; see examples/workloads/) that DAMON's algorithms "
	       "run on inside damo, in virtual time unless --realtime: a "
	       "minute of monitoring takes a fraction of a second, and the "
	       "same seed gives the same file, byte for byte.  DAMON "
	       "options and --scheme FILE set the intervals, regions and "
	       "schemes, so that a scheme can be tried on a model before "
	       "it goes near a machine; actions are only counted.  The "
	       "file is in damo's native format by default "
	       "(docs/record-format.md): written as the recording goes, in "
	       "checksummed chunks at least every second, so that a killed "
	       "recording keeps all but its last second and reads back with "
	       "a warning.  --format json_compressed or json writes damo's "
	       "JSON record format instead (at the end), which Python damo's "
	       "report commands read; 'damo convert' converts between them.  "
	       "An existing FILE is renamed FILE.old.\n\n"
	       "Where the kernel has no DAMON or no vaddr (or with --backend "
	       "embedded, or an embedded --source), a process or command is "
	       "recorded through damo's embedded monitor, started for it and "
	       "stopped at the end; 'damo record eN' records a running one.  "
	       "Its recordings carry each target's RSS once a second "
	       "('damo report footprint').\n\n"
	       "Examples:\n"
	       "  damo record 0 --duration 30s -o kdamond0.data\n"
	       "  damo record e0 --duration 1m\n"
	       "  damo record -- ./workload --size 1G\n"
	       "  damo record --target-pid 4242 --snapshot 1s --duration 1m\n"
	       "  damo record --source synthetic:examples/workloads/stairs.yaml \\\n"
	       "      --duration 60s -o stairs.data\n"
	       "  damo record --source synthetic:hot-cold.yaml --duration 30s \\\n"
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

static void print_summary(struct out *o, const struct record_args *a,
			  const struct record_synth_result *r)
{
	char sn[UNITS_BUFSZ], rn[UNITS_BUFSZ], vt[UNITS_BUFSZ], wt[UNITS_BUFSZ];
	const char *fmt = record_format_name(a->fmt);

	if (!out_is_json(o)) {
		out_text(o, "recorded %s snapshots with %s regions in %s of %s time (%s of wall time) to '%s' (%s)\n",
			 units_fmt_nr(sn, r->nr_snapshots, false),
			 units_fmt_nr(rn, r->nr_regions, false),
			 units_fmt_time(vt, r->virtual_ns, UNITS_NS, false),
			 a->realtime ? "real" : "virtual",
			 units_fmt_time(wt, r->wall_ns, UNITS_NS, false),
			 a->output, fmt);
		return;
	}
	out_begin_obj(o, NULL);
	out_str(o, "output", a->output);
	out_str(o, "format", fmt);
	out_u64(o, "seed", a->seed);
	out_u64(o, "records", r->nr_records);
	out_u64(o, "snapshots", r->nr_snapshots);
	out_u64(o, "regions", r->nr_regions);
	out_u64(o, "scheme_snapshots", r->nr_scheme_snapshots);
	out_time(o, "virtual_us", r->virtual_ns / 1000, UNITS_US);
	out_time(o, "wall_us", r->wall_ns / 1000, UNITS_US);
	out_end_obj(o);
}

static int record_synthetic(const struct record_args *a, const char *model,
			    struct diag *d)
{
	struct record_synth_result res;
	struct record_writer *w;
	struct damon_config cfg;
	struct workload wl;
	int err;

	err = workload_load(model, &wl, d);
	if (err)
		return err;
	damon_config_init(&cfg);
	err = build_config(a, &wl, &cfg, d);
	if (!err) {
		struct record_synth_opts o = {
			.ctx = &cfg.kdamonds[0].ctxs[0], .wl = &wl,
			.seed = a->seed, .duration_ns = a->duration_ns,
			.realtime = a->realtime, .out = cmd_out(a->ctx),
		};

		const struct damon_ctx *c = o.ctx;
		struct record_info info = {
			/* virtual time: the same bytes every run */
			.start_ns = a->realtime ? 0 : SNAP_NONE,
			.ops = damon_ops_name(c->ops),
		};
		char *cfg_text = config_emit(&cfg, DOC_FMT_YAML, false);

		info.config = cfg_text;
		w = record_writer_open(a->output, a->fmt, d);
		record_writer_set_info(w, &info);
		free(cfg_text);
		o.writer = w;
		err = record_synth_run(&o, &res);
		if (!err)
			err = record_writer_finish(w);
		record_writer_free(w);
		if (err == -EINVAL && !d->nr)
			diag_add(d, "", "the monitor refused the intervals or the numbers of regions");
	}
	if (!err)
		print_summary(cmd_out(a->ctx), a, &res);
	damon_config_release(&cfg);
	workload_release(&wl);
	return err;
}

/*
 * Whether kernel DAMON can monitor a process here, as far as reading
 * tells: it has a sysfs interface and vaddr is not known to be missing.
 */
static bool kernel_has_vaddr(struct damo_ctx *ctx)
{
	struct backend b;
	const char *why;
	struct diag d;
	bool yes;

	diag_init(&d);
	yes = !backend_select(cmd_backend_env(ctx), BACKEND_AUTO, NULL, false,
			      &b, &why, &d) && !why;
	backend_close(&b);
	diag_release(&d);
	return yes;
}

static void print_embedded_summary(struct out *o, const struct record_args *a,
				   unsigned long id,
				   const struct record_embedded_result *r)
{
	const char *fmt = record_format_name(a->fmt);
	char sn[UNITS_BUFSZ], rn[UNITS_BUFSZ], wt[UNITS_BUFSZ];

	if (!out_is_json(o)) {
		out_text(o, "recorded %s snapshots with %s regions of e%lu (%s) in %s to '%s' (%s)\n",
			 units_fmt_nr(sn, r->nr_snapshots, false),
			 units_fmt_nr(rn, r->nr_regions, false), id,
			 r->source ? r->source : "embedded",
			 units_fmt_time(wt, r->wall_ns, UNITS_NS, false),
			 a->output, fmt);
		return;
	}
	out_begin_obj(o, NULL);
	out_str(o, "output", a->output);
	out_str(o, "format", fmt);
	out_strf(o, "source", "embedded:%s", r->source ? r->source : "");
	out_strf(o, "kdamond", "e%lu", id);
	out_u64(o, "snapshots", r->nr_snapshots);
	out_u64(o, "regions", r->nr_regions);
	out_time(o, "wall_us", r->wall_ns / 1000, UNITS_US);
	out_end_obj(o);
}

/* A running embedded monitor, or one started for the process or command. */
static int record_with_embedded(struct record_args *a, const char *why)
{
	struct out *o = cmd_out(a->ctx);
	struct record_embedded_result res = { 0 };
	struct embedded_opts eo = {
		.source = a->emb_source, .command = a->command, .out = o,
		.warn = cmd_warn_diag,
	};
	char *rundir = owner_dir();
	struct record_writer *w = NULL;
	struct config_file cf;
	struct diag d;
	int err;

	diag_init(&d);
	if (a->has_eid) {
		eo.id = a->idx;
		w = record_writer_open(a->output, a->fmt, &d);
		err = record_embedded(rundir, a->idx, w, a->duration_ns, o,
				      &res, &d);
	} else {
		err = cmd_load_config(NULL, &a->damon, &cf, &d);
		if (!err) {
			struct damon_ctx *c = &cf.cfg.kdamonds[0].ctxs[0];

			if (why)
				out_warn(o, "%s; recording with damo's embedded monitor",
					 why);
			if (!damon_opts_intervals_given(&a->damon))
				embedded_default_intervals(c);
			w = record_writer_open(a->output, a->fmt, &d);
			err = record_embedded_command(rundir, &cf.cfg, &eo, w,
						      a->duration_ns, o, &res, &d);
			config_file_release(&cf);
		}
	}
	if (!err)
		err = record_writer_finish(w);
	cmd_warn_diag(o, &d);
	if (!err)
		print_embedded_summary(o, a, eo.id, &res);
	else
		cmd_report(o, &d);
	record_writer_free(w);
	record_embedded_result_release(&res);
	diag_release(&d);
	free(rundir);
	return err;
}

int cmd_record(int argc, char **argv, struct damo_ctx *ctx)
{
	struct record_args a = { .ctx = ctx, .output = "damon.data",
				 .fmt = RECORD_FMT_NATIVE };
	struct diag d;
	int err, nargs;

	nargs = cmd_split_command(argc, argv, &a.command);
	if (nargs < 0)
		return nargs;
	damon_opts_args_init(&a.damon);
	err = cmd_parse(&record_argp, nargs, argv, &a);
	if (err)
		goto out_args;
	if (!a.source && (a.has_eid || a.emb_source ||
			  a.backend == BACKEND_EMBEDDED)) {
		err = record_with_embedded(&a, NULL);
		goto out_args;
	}
	if (!a.source && !a.has_idx && a.backend == BACKEND_AUTO &&
	    !kernel_has_vaddr(ctx)) {
		err = record_with_embedded(&a, "kernel DAMON cannot monitor a process here (no DAMON, or no vaddr)");
		goto out_args;
	}
	if (!a.source) {
		struct record_kernel_opts ko = {
			.ctx = ctx, .has_idx = a.has_idx, .idx = a.idx,
			.command = a.command, .damon = &a.damon,
			.duration_ns = a.duration_ns,
			.snapshot_ns = a.snapshot_ns, .output = a.output,
			.fmt = a.fmt,
		};

		err = record_kernel(&ko);
		goto out_args;
	}
	diag_init(&d);
	if (strncmp(a.source, SYNTH_PREFIX, strlen(SYNTH_PREFIX)) ||
	    !a.source[strlen(SYNTH_PREFIX)]) {
		diag_add(&d, "--source",
			 "'%s' is not a source: synthetic:MODEL, or the embedded monitor's auto, uffd, softdirty or pageidle (kernel DAMON is recorded without --source)",
			 a.source);
		err = -EOPNOTSUPP;
	} else {
		err = record_synthetic(&a, a.source + strlen(SYNTH_PREFIX), &d);
	}
	if (err)
		cmd_report(cmd_out(ctx), &d);
	diag_release(&d);
out_args:
	damon_opts_args_release(&a.damon);
	return err;
}
