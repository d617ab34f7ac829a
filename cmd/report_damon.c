/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo report damon: what runs (or what a kdamonds file holds), in damo's
 * text, as a kdamonds document, as one summary line a kdamond, or just the
 * schemes' stats.
 */
#include "report_common.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/backend_args.h"
#include "cmd/kernel.h"
#include "cmd/report_damon.h"
#include "core/diag.h"
#include "core/out.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "formats/config.h"

/* damo's --damos_stat_fields words, in its order of the stats */
static const char *const stat_fields[] = {
	"nr_tried", "sz_tried", "nr_applied", "sz_applied",
	"sz_ops_filter_passed", "qt_exceeds", "nr_snapshots",
	"max_nr_snapshots",
};
#define NR_STAT_FIELDS ARRAY_SIZE(stat_fields)

struct rd_args {
	struct damo_ctx *ctx;
	struct backend_args bargs;
	int format;		/* -1: damo's default (report, json under -j) */
	bool raw, cpu, summary, stats, omit_tried, params, params_omit;
	const char *input;
	unsigned int fields;	/* bits of stat_fields; 0: all */
	const char *refused;	/* an option taken but not built */
};

enum {
	OPT_FORMAT = 0x7c0,
	OPT_RAW,
	OPT_CPU,
	OPT_SUMMARY,
	OPT_STATS,
	OPT_FIELDS,
	OPT_OMIT_TRIED,
	OPT_PARAMS,
	OPT_PARAMS_OMIT,
	OPT_INPUT,
	OPT_INTERFACE,
	OPT_DEBUG,
};

enum { FMT_REPORT, FMT_JSON, FMT_YAML };

static const struct argp_option rd_options[] = {
	{ "format", OPT_FORMAT, "report|json|yaml", 0,
	  "Output format (default report, json under -j)", 0 },
	{ "raw", OPT_RAW, NULL, 0, "Plain numbers", 0 },
	{ "show-cpu-usage", OPT_CPU, NULL, 0,
	  "Show each kdamond's CPU usage (as ps %cpu)", 0 },
	CMD_ALIAS("show_cpu_usage", OPT_CPU),
	{ "kdamonds-summary", OPT_SUMMARY, NULL, 0,
	  "One summary line a kdamond", 0 },
	CMD_ALIAS("kdamonds_summary", OPT_SUMMARY),
	{ "damos-stats", OPT_STATS, NULL, 0, "Only the schemes' stats", 0 },
	CMD_ALIAS("damos_stats", OPT_STATS),
	{ "damos-stat-fields", OPT_FIELDS, "FIELD...", 0,
	  "With --damos-stats, only these: nr_tried, sz_tried, nr_applied, "
	  "sz_applied, qt_exceeds", 0 },
	CMD_ALIAS("damos_stat_fields", OPT_FIELDS),
	{ "omit-damos-tried-regions", OPT_OMIT_TRIED, NULL, 0,
	  "Leave out the regions each scheme tried", 0 },
	CMD_ALIAS("omit_damos_tried_regions", OPT_OMIT_TRIED),
	{ "damon-params", OPT_PARAMS, NULL, 0,
	  "Only the parameters (no state, stats or tried regions)", 0 },
	CMD_ALIAS("damon_params", OPT_PARAMS),
	{ "damon-params-omit-defaults", OPT_PARAMS_OMIT, NULL, 0,
	  "damo's: parameters without defaults (not built: refused)", 0 },
	CMD_ALIAS("damon_params_omit_defaults", OPT_PARAMS_OMIT),
	{ "input-file", OPT_INPUT, "FILE", 0,
	  "Show the kdamonds of FILE (a kdamonds document) instead of what runs",
	  0 },
	CMD_ALIAS("input_file", OPT_INPUT),
	{ "damon_interface_DEPRECATED", OPT_INTERFACE, "IFACE", OPTION_HIDDEN,
	  "damo's choice of DAMON interface (sysfs only here)", 0 },
	{ "debug_damon", OPT_DEBUG, NULL, OPTION_HIDDEN,
	  "damo's debug output of its DAMON accesses (not built: refused)", 0 },
	{ 0 }
};

static const struct argp_child rd_children[] = {
	{ &backend_args_argp, 0, NULL, 0 },
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static void add_field(struct argp_state *state, struct rd_args *a,
		      const char *w)
{
	size_t i;

	/* damo takes these five */
	for (i = 0; i < 6; i++)
		if (i != 4 && !strcmp(w, stat_fields[i])) {
			a->fields |= 1u << i;
			return;
		}
	argp_error(state, "--damos_stat_fields: '%s' is not nr_tried, sz_tried, nr_applied, sz_applied or qt_exceeds",
		   w);
}

static error_t rd_parse(int key, char *arg, struct argp_state *state)
{
	struct rd_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, rd_children, a->ctx);
		state->child_inputs[0] = &a->bargs;
		a->bargs.no_id = true;
		return 0;
	case OPT_FORMAT:
		if (!strcmp(arg, "report"))
			a->format = FMT_REPORT;
		else if (!strcmp(arg, "json"))
			a->format = FMT_JSON;
		else if (!strcmp(arg, "yaml"))
			a->format = FMT_YAML;
		else
			argp_error(state, "--format: '%s' is not report, json or yaml",
				   arg);
		return 0;
	case OPT_RAW: a->raw = true; return 0;
	case OPT_CPU: a->cpu = true; return 0;
	case OPT_SUMMARY: a->summary = true; return 0;
	case OPT_STATS: a->stats = true; return 0;
	case OPT_FIELDS:
		add_field(state, a, arg);
		while (state->next < state->argc &&
		       state->argv[state->next][0] != '-')
			add_field(state, a, state->argv[state->next++]);
		return 0;
	case OPT_OMIT_TRIED: a->omit_tried = true; return 0;
	case OPT_PARAMS: a->params = true; return 0;
	case OPT_PARAMS_OMIT:
		a->refused = "--damon_params_omit_defaults: not built in damo (C): every key is printed; use --damon_params";
		return 0;
	case OPT_INPUT: a->input = arg; return 0;
	case OPT_INTERFACE:
		if (strcmp(arg, "sysfs"))
			a->refused = "--damon_interface_DEPRECATED: this damo drives the DAMON sysfs interface only";
		return 0;
	case OPT_DEBUG:
		a->refused = "--debug_damon: not built in damo (C); 'damo -v' says what is written";
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp rd_argp = {
	.options = rd_options,
	.parser = rd_parse,
	.doc = "Show the running kdamonds and embedded monitors, or the "
	       "kdamonds of a file, as damo's 'report damon' shows them.\v"
	       "The default is damo's text: each kdamond's state, contexts, "
	       "targets, intervals, schemes with their stats and tried "
	       "regions, then the DAMON modules.  --format json or yaml prints "
	       "a kdamonds document instead (this damo's, which damo reads).\n\n"
	       "Examples:\n"
	       "  damo report damon\n"
	       "  damo report damon --damos_stats --damos_stat_fields sz_applied\n"
	       "  damo report damon --input_file kdamonds.json --damon_params",
	.children = rd_children,
};

/* What is shown: the kdamonds, and whom each is (for the CPU usage). */
struct shown {
	struct kdamond *k;		/* borrowed */
	struct backend_status *st;	/* NULL for a file's */
};

/* ps's %cpu of @pid: CPU time over the time since it started. */
static void cpu_usage(char *buf, size_t len, const struct kdamond *k)
{
	unsigned long long ut, st, start;
	double up, hz = (double)sysconf(_SC_CLK_TCK), el;
	char path[64], line[1024], *p;
	FILE *f;

	snprintf(buf, len, "%s", k->on ? "error" : "0.0");
	if (!k->on || !k->has_pid || k->pid <= 0 || hz <= 0)
		return;
	snprintf(path, sizeof(path), "/proc/%" PRId64 "/stat", k->pid);
	f = fopen(path, "re");
	if (!f)
		return;
	p = fgets(line, sizeof(line), f) ? strrchr(line, ')') : NULL;
	fclose(f);
	/* after the name: state and fields 4..13, then utime, stime, ... */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
			 "%llu %llu %*d %*d %*d %*d %*d %*d %llu",
			 &ut, &st, &start) != 3)
		return;
	f = fopen("/proc/uptime", "re");
	if (!f)
		return;
	if (fscanf(f, "%lf", &up) != 1)
		up = 0;
	fclose(f);
	el = up - (double)start / hz;
	if (el > 0)
		snprintf(buf, len, "%.1f", 100.0 * (double)(ut + st) / hz / el);
}

static void print_stats_of(struct out *o, const struct rd_args *a,
			   const struct shown *v, size_t nr)
{
	size_t nr_schemes = 0, i, c, s, f, nr_fields = 0;
	char buf[UNITS_BUFSZ];
	unsigned int fields = a->fields ? a->fields : (1u << NR_STAT_FIELDS) - 1;

	for (f = 0; f < NR_STAT_FIELDS; f++)
		nr_fields += !!(fields & (1u << f));
	for (i = 0; i < nr; i++)
		for (c = 0; c < v[i].k->nr_ctxs; c++)
			nr_schemes += v[i].k->ctxs[c].nr_schemes;
	out_json_begin_list(o, NULL);
	for (i = 0; i < nr; i++)
		for (c = 0; c < v[i].k->nr_ctxs; c++)
			for (s = 0; s < v[i].k->ctxs[c].nr_schemes; s++) {
				const struct damos *d = &v[i].k->ctxs[c].schemes[s];
				uint64_t val[NR_STAT_FIELDS] = {
					d->stats.nr_tried, d->stats.sz_tried,
					d->stats.nr_applied, d->stats.sz_applied,
					d->stats.sz_ops_filter_passed,
					d->stats.qt_exceeds, d->stats.nr_snapshots,
					d->max_nr_snapshots,
				};

				if (nr_schemes > 1)
					out_text(o, "kdamond %zu / context %zu / scheme %zu\n",
						 i, c, s);
				out_json_begin_obj(o, NULL);
				out_print_u64(o, "kdamond", NULL, i);
				out_print_u64(o, "context", NULL, c);
				out_print_u64(o, "scheme", NULL, s);
				for (f = 0; f < NR_STAT_FIELDS; f++) {
					if (!(fields & (1u << f)))
						continue;
					if (!strncmp(stat_fields[f], "sz_", 3))
						units_fmt_sz(buf, val[f], a->raw);
					else
						units_fmt_nr(buf, val[f], a->raw);
					if (nr_fields > 1)
						out_text(o, "%s: ", stat_fields[f]);
					out_print_u64_as(o, stat_fields[f], "%s\n",
							 val[f], buf);
				}
				out_json_end_obj(o);
				if (nr_schemes > 1)
					out_text(o, "\n");
			}
	out_json_end_list(o);
}

static void print_document(struct out *o, const struct rd_args *a,
			   const struct shown *v, size_t nr)
{
	struct damon_config cfg = { 0 };
	size_t i;
	char *text;

	cfg.kdamonds = xcalloc(nr ? nr : 1, sizeof(*cfg.kdamonds));
	for (i = 0; i < nr; i++)
		cfg.kdamonds[i] = *v[i].k;	/* borrowed, not released */
	cfg.nr_kdamonds = nr;
	text = config_emit(&cfg, a->format == FMT_YAML ? DOC_FMT_YAML :
			   DOC_FMT_JSON, a->raw);
	out_write(o, text);
	free(text);
	free(cfg.kdamonds);
}

static void print_modules(struct out *o, struct backend *b, size_t nb)
{
	struct backend_module *mods;
	size_t i, k, n;

	for (i = 0; i < nb; i++) {
		if (!backend_modules(&b[i], &mods, &n))
			continue;
		for (k = 0; k < n; k++)
			out_text(o, "%s: %s\n", mods[k].name,
				 mods[k].enabled ? "on" : "off");
		free(mods);
	}
}

static void show(struct out *o, const struct rd_args *a, struct shown *v,
		 size_t nr, struct backend *b, size_t nb)
{
	struct report_damon_show how = {
		.raw = a->raw, .params_only = a->params,
		.omit_tried_regions = a->omit_tried,
	};
	char cpu[32], line[320];
	size_t i;

	if (a->params && a->format != FMT_REPORT) {
		print_document(o, a, v, nr);
		return;
	}
	if (a->summary) {
		out_json_begin_list(o, NULL);
		for (i = 0; i < nr; i++) {
			if (a->cpu)
				cpu_usage(cpu, sizeof(cpu), v[i].k);
			report_damon_summary(line, sizeof(line), v[i].k, &how,
					     a->cpu ? cpu : NULL);
			out_text(o, "%zu\t", i);
			out_print_str(o, NULL, "%s\n", line);
		}
		out_json_end_list(o);
		return;
	}
	if (a->stats) {
		print_stats_of(o, a, v, nr);
		return;
	}
	if (a->format != FMT_REPORT) {
		print_document(o, a, v, nr);
		return;
	}
	for (i = 0; i < nr; i++) {
		if (a->cpu)
			cpu_usage(cpu, sizeof(cpu), v[i].k);
		report_damon_print(o, i, v[i].k, &how, a->cpu ? cpu : NULL);
	}
	if (!a->params)
		print_modules(o, b, nb);
}

/*
 * The status of every monitor of backends @b (@nb), refreshed for what
 * @a shows: *@sts (*@nr of them; release each and free) even on an error.
 */
static int read_running(const struct rd_args *a, struct backend *b,
			size_t nb, struct backend_status **sts, size_t *nr)
{
	enum backend_refresh refresh;
	size_t i, k, n, cap = 0;
	struct damo_id *ids;
	int err = 0;

	refresh = a->stats ? REFRESH_STATS :
		  a->params || a->summary ? REFRESH_NONE :
		  a->omit_tried || a->format != FMT_REPORT ? REFRESH_STATUS :
		  REFRESH_TRIED;
	*sts = NULL;
	*nr = 0;
	for (i = 0; !err && i < nb; i++) {
		n = 0;
		err = backend_list(&b[i], false, &ids, &n);
		if (err)
			break;
		for (k = 0; !err && k < n; k++) {
			if (*nr == cap) {
				cap = cap ? 2 * cap : 4;
				*sts = xreallocarray(*sts, cap, sizeof(**sts));
			}
			backend_status_init(&(*sts)[*nr]);
			err = backend_status(&b[i], ids[k], refresh, false,
					     &(*sts)[(*nr)++]);
		}
		free(ids);
	}
	return err;
}

int report_damon(int argc, char **argv, struct damo_ctx *ctx)
{
	struct rd_args a = { .ctx = ctx, .format = -1 };
	struct backend_status *sts = NULL;
	struct config_file cf = { 0 };
	struct shown *v = NULL;
	struct backend b[2];
	size_t nb = 0, nr = 0, i;
	struct diag d;
	struct out *o;
	int err;

	err = cmd_parse(&rd_argp, argc, argv, &a);
	if (err)
		return err;
	o = cmd_out(ctx);
	if (a.refused) {
		out_error(o, "%s", a.refused);
		return -EINVAL;
	}
	/* damo's default is its text; -j asks for the document */
	if (a.format < 0 || (out_is_json(o) && a.format == FMT_REPORT))
		a.format = out_is_json(o) ? FMT_JSON : FMT_REPORT;
	diag_init(&d);
	if (a.input) {
		err = config_load(a.input, false, &cf, &d);
		if (!err && cf.kind != CONFIG_KDAMONDS) {
			diag_add(&d, a.input, "a scheme list, not a kdamonds document");
			err = -EINVAL;
		}
		if (err) {
			cmd_report(o, &d);
			goto out;
		}
		v = xcalloc(cf.cfg.nr_kdamonds + 1, sizeof(*v));
		for (nr = 0; nr < cf.cfg.nr_kdamonds; nr++)
			v[nr].k = &cf.cfg.kdamonds[nr];
		show(o, &a, v, nr, b, 0);
		goto out;
	}
	err = backend_open_all(cmd_backend_env(ctx), a.bargs.backend, NULL, b,
			       &nb, &d);
	if (!err)
		err = read_running(&a, b, nb, &sts, &nr);
	if (!err) {
		v = xcalloc(nr + 1, sizeof(*v));
		for (i = 0; i < nr; i++) {
			v[i].k = &sts[i].k;
			v[i].st = &sts[i];
		}
		show(o, &a, v, nr, b, nb);
	}
	for (i = 0; i < nr; i++)
		backend_status_release(&sts[i]);
	free(sts);
	for (i = 0; i < nb; i++)
		backend_close(&b[i]);
	cmd_diag_report(o, &d, !err);
out:
	free(v);
	config_file_release(&cf);
	diag_release(&d);
	return err;
}
