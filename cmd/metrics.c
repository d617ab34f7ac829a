/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo metrics: the numbers of what runs (kdamonds and embedded monitors,
 * DAMON's modules) in the OpenMetrics text format, or Prometheus' text
 * format for node_exporter's textfile collector.  Everything is read
 * through the backend interface, as status reads it.
 */
#include "cmd.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/backend_args.h"
#include "cmd/kernel.h"
#include "core/damon.h"
#include "core/diag.h"
#include "core/out.h"
#include "core/safefile.h"
#include "core/xalloc.h"

enum metrics_format {
	FMT_OPENMETRICS,
	FMT_PROMETHEUS,
};

struct metrics_args {
	struct damo_ctx *ctx;
	struct backend_args bargs;
	const char *textfile;
	bool format_given;
	enum metrics_format format;
};

enum {
	OPT_TEXTFILE = 0x400,
	OPT_FORMAT,
};

static const struct argp_option metrics_options[] = {
	{ "textfile", OPT_TEXTFILE, "PATH", 0,
	  "Write to PATH (replaced atomically) instead of standard output, "
	  "in the Prometheus format unless --format says otherwise", 0 },
	{ "format", OPT_FORMAT, "openmetrics|prometheus", 0,
	  "The exposition format (default: openmetrics; with --textfile, "
	  "prometheus, which node_exporter's textfile collector reads)", 0 },
	{ 0 }
};

static const struct argp_child metrics_children[] = {
	{ &backend_args_argp, 0, NULL, 0 },
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static error_t metrics_parse(int key, char *arg, struct argp_state *state)
{
	struct metrics_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, metrics_children, a->ctx);
		state->child_inputs[0] = &a->bargs;
		return 0;
	case OPT_TEXTFILE:
		if (!*arg)
			argp_error(state, "--textfile: the path is empty");
		a->textfile = arg;
		return 0;
	case OPT_FORMAT:
		if (!strcmp(arg, "openmetrics"))
			a->format = FMT_OPENMETRICS;
		else if (!strcmp(arg, "prometheus"))
			a->format = FMT_PROMETHEUS;
		else
			argp_error(state, "--format: '%s' is not openmetrics or prometheus",
				   arg);
		a->format_given = true;
		return 0;
	case ARGP_KEY_END:
		if (a->textfile && !a->format_given)
			a->format = FMT_PROMETHEUS;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp metrics_argp = {
	.options = metrics_options,
	.parser = metrics_parse,
	.args_doc = "[ID]",
	.doc = "Print the numbers of running kdamonds and embedded monitors "
	       "for monitoring systems, in the OpenMetrics text format.\v"
	       "Every series has the labels kdamond (the id, \"0\" or \"e0\"), "
	       "name (for one started with --name) and backend; context and scheme series add context and scheme "
	       "(indexes) and action.  Scheme stats are counters and are "
	       "refreshed first for what damo started, as status does.  With "
	       "--textfile the text goes to PATH through a temporary file in "
	       "its directory renamed over it, readable by everyone (0644), "
	       "for node_exporter's textfile collector, which reads only "
	       "files named *.prom in the Prometheus format (the default "
	       "there).  Without a running monitor the output has the "
	       "metric families and no samples.\n\n"
	       "Examples:\n"
	       "  damo metrics\n"
	       "  damo metrics e0\n"
	       "  damo metrics --textfile /var/lib/prometheus/node-exporter/damo.prom",
	.children = metrics_children,
};

enum metric_type {
	M_GAUGE,
	M_COUNTER,
};

/* One metric family: its samples come from every monitor in turn. */
struct family {
	const char *name;	/* without _total */
	enum metric_type type;
	const char *unit;	/* OpenMetrics' UNIT, or NULL */
	const char *help;
};

/* What one run saw: each monitor's status, and the modules. */
struct seen {
	struct backend_status *st;
	size_t nr;
	struct backend_module *mods;
	size_t nr_mods;
	bool has_mods;
};

/* A label value as the text formats want it: \\, \" and \n escaped. */
static void put_label(FILE *f, const char *name, const char *v, bool first)
{
	fprintf(f, "%s%s=\"", first ? "" : ",", name);
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			fprintf(f, "\\%c", *v);
		else if (*v == '\n')
			fputs("\\n", f);
		else
			fputc(*v, f);
	}
	fputc('"', f);
}

static void put_family(FILE *f, enum metrics_format fmt,
		       const struct family *fam)
{
	const char *sfx = fam->type == M_COUNTER &&
			  fmt == FMT_PROMETHEUS ? "_total" : "";

	fprintf(f, "# HELP %s%s %s\n", fam->name, sfx, fam->help);
	fprintf(f, "# TYPE %s%s %s\n", fam->name, sfx,
		fam->type == M_COUNTER ? "counter" : "gauge");
	if (fam->unit && fmt == FMT_OPENMETRICS)
		fprintf(f, "# UNIT %s %s\n", fam->name, fam->unit);
}

/* The sample's name and the monitor's labels, up to the value. */
static void put_monitor(FILE *f, const struct family *fam,
			const struct backend_status *st)
{
	char id[DAMO_ID_BUFSZ];

	fprintf(f, "%s%s{", fam->name, fam->type == M_COUNTER ? "_total" : "");
	put_label(f, "kdamond", damo_id_str(st->id, id), true);
	if (st->name)
		put_label(f, "name", st->name, false);
	put_label(f, "backend", backend_kind_name(st->id.kind), false);
}

static void put_ctx(FILE *f, const struct family *fam,
		    const struct backend_status *st, size_t c)
{
	put_monitor(f, fam, st);
	fprintf(f, ",context=\"%zu\"", c);
}

static void put_scheme(FILE *f, const struct family *fam,
		       const struct backend_status *st, size_t c, size_t s)
{
	put_ctx(f, fam, st, c);
	fprintf(f, ",scheme=\"%zu\"", s);
	put_label(f, "action",
		  damos_action_name(st->k.ctxs[c].schemes[s].action), false);
}

/* Microseconds as seconds, exactly: "0.005", "2". */
static void put_seconds(FILE *f, uint64_t us)
{
	char frac[8];
	int n;

	if (!(us % 1000000)) {
		fprintf(f, "} %" PRIu64 "\n", us / 1000000);
		return;
	}
	n = snprintf(frac, sizeof(frac), "%06" PRIu64, us % 1000000);
	while (n > 1 && frac[n - 1] == '0')
		frac[--n] = '\0';
	fprintf(f, "} %" PRIu64 ".%s\n", us / 1000000, frac);
}

/* ---- the families ---- */

static const struct family f_running = {
	"damo_monitor_running", M_GAUGE, NULL,
	"Whether the monitor runs (1) or has stopped (0)."
};
static const struct family f_owned = {
	"damo_monitor_started_by_damo", M_GAUGE, NULL,
	"Whether damo started the monitor (1) or something else did (0)."
};
static const struct family f_nr_regions = {
	"damo_monitor_regions", M_GAUGE, NULL,
	"Regions the monitor tracks now, where its backend says."
};
static const struct family f_sample = {
	"damo_context_sample_interval_seconds", M_GAUGE, "seconds",
	"Sampling interval in force."
};
static const struct family f_aggr = {
	"damo_context_aggregation_interval_seconds", M_GAUGE, "seconds",
	"Aggregation interval in force."
};
static const struct family f_update = {
	"damo_context_ops_update_interval_seconds", M_GAUGE, "seconds",
	"Operations update interval in force."
};
static const struct family f_min_regions = {
	"damo_context_min_regions", M_GAUGE, NULL,
	"Minimum number of regions the context keeps."
};
static const struct family f_max_regions = {
	"damo_context_max_regions", M_GAUGE, NULL,
	"Maximum number of regions the context keeps."
};
static const struct family f_achieved_sample = {
	"damo_context_achieved_sample_interval_seconds", M_GAUGE, "seconds",
	"Sampling interval achieved over the last aggregations (embedded monitor)."
};
static const struct family f_achieved_aggr = {
	"damo_context_achieved_aggregation_interval_seconds", M_GAUGE,
	"seconds",
	"Aggregation interval achieved over the last aggregations (embedded monitor)."
};
static const struct family f_nr_tried = {
	"damo_scheme_tried_regions", M_COUNTER, NULL,
	"Regions the scheme tried to apply its action to."
};
static const struct family f_sz_tried = {
	"damo_scheme_tried_bytes", M_COUNTER, "bytes",
	"Bytes of the regions the scheme tried."
};
static const struct family f_nr_applied = {
	"damo_scheme_applied_regions", M_COUNTER, NULL,
	"Regions the scheme applied its action to."
};
static const struct family f_sz_applied = {
	"damo_scheme_applied_bytes", M_COUNTER, "bytes",
	"Bytes the scheme applied its action to."
};
static const struct family f_sz_passed = {
	"damo_scheme_ops_filter_passed_bytes", M_COUNTER, "bytes",
	"Bytes that passed the scheme's operations-layer filters."
};
static const struct family f_qt_exceeds = {
	"damo_scheme_quota_exceeds", M_COUNTER, NULL,
	"Times the scheme's quota was exceeded."
};
static const struct family f_eff_quota = {
	"damo_scheme_effective_quota_bytes", M_GAUGE, "bytes",
	"The size quota in force after goals and the time quota (0: none)."
};
static const struct family f_goal_current = {
	"damo_scheme_quota_goal_current_value", M_GAUGE, NULL,
	"Current value of a quota goal's metric, in the metric's unit."
};
static const struct family f_goal_target = {
	"damo_scheme_quota_goal_target_value", M_GAUGE, NULL,
	"Target value of a quota goal's metric, in the metric's unit."
};
static const struct family f_module = {
	"damo_module_enabled", M_GAUGE, NULL,
	"Whether a DAMON kernel module is enabled (1) or not (0)."
};

static void put_monitors(FILE *f, enum metrics_format fmt,
			 const struct seen *s)
{
	size_t i;

	put_family(f, fmt, &f_running);
	for (i = 0; i < s->nr; i++) {
		put_monitor(f, &f_running, &s->st[i]);
		fprintf(f, "} %d\n", s->st[i].k.on ? 1 : 0);
	}
	put_family(f, fmt, &f_owned);
	for (i = 0; i < s->nr; i++) {
		put_monitor(f, &f_owned, &s->st[i]);
		fprintf(f, "} %d\n", s->st[i].owned ? 1 : 0);
	}
	put_family(f, fmt, &f_nr_regions);
	for (i = 0; i < s->nr; i++) {
		if (!s->st[i].has_nr_regions)
			continue;
		put_monitor(f, &f_nr_regions, &s->st[i]);
		fprintf(f, "} %" PRIu64 "\n", s->st[i].nr_regions);
	}
}

/* What a context's family shows of context @c of @st. */
enum ctx_value {
	CV_SAMPLE, CV_AGGR, CV_UPDATE, CV_MIN, CV_MAX, CV_ASAMPLE, CV_AAGGR,
};

static void put_ctx_family(FILE *f, enum metrics_format fmt,
			   const struct seen *s, const struct family *fam,
			   enum ctx_value v)
{
	size_t i, c;

	put_family(f, fmt, fam);
	for (i = 0; i < s->nr; i++) {
		const struct backend_status *st = &s->st[i];

		/* the achieved pace is the monitor's, kept in its only context */
		if ((v == CV_ASAMPLE || v == CV_AAGGR) && !st->achieved_aggrs)
			continue;
		for (c = 0; c < st->k.nr_ctxs; c++) {
			const struct damon_ctx *x = &st->k.ctxs[c];

			if ((v == CV_ASAMPLE || v == CV_AAGGR) && c)
				break;
			put_ctx(f, fam, st, c);
			switch (v) {
			case CV_SAMPLE:
				put_seconds(f, x->intervals.sample_us);
				break;
			case CV_AGGR:
				put_seconds(f, x->intervals.aggr_us);
				break;
			case CV_UPDATE:
				put_seconds(f, x->intervals.ops_update_us);
				break;
			case CV_MIN:
				fprintf(f, "} %" PRIu64 "\n", x->min_nr_regions);
				break;
			case CV_MAX:
				fprintf(f, "} %" PRIu64 "\n", x->max_nr_regions);
				break;
			case CV_ASAMPLE:
				put_seconds(f, st->achieved_sample_us);
				break;
			case CV_AAGGR:
				put_seconds(f, st->achieved_aggr_us);
				break;
			}
		}
	}
}

/* A scheme's number that a family shows. */
typedef uint64_t (*scheme_value)(const struct damos *d);

static uint64_t v_nr_tried(const struct damos *d) { return d->stats.nr_tried; }
static uint64_t v_sz_tried(const struct damos *d) { return d->stats.sz_tried; }
static uint64_t v_nr_applied(const struct damos *d)
{
	return d->stats.nr_applied;
}
static uint64_t v_sz_applied(const struct damos *d)
{
	return d->stats.sz_applied;
}
static uint64_t v_sz_passed(const struct damos *d)
{
	return d->stats.sz_ops_filter_passed;
}
static uint64_t v_qt_exceeds(const struct damos *d)
{
	return d->stats.qt_exceeds;
}
static uint64_t v_eff_quota(const struct damos *d)
{
	return d->quota.effective_sz_bytes;
}

static void put_scheme_family(FILE *f, enum metrics_format fmt,
			      const struct seen *s, const struct family *fam,
			      scheme_value v)
{
	size_t i, c, k;

	put_family(f, fmt, fam);
	for (i = 0; i < s->nr; i++)
		for (c = 0; c < s->st[i].k.nr_ctxs; c++)
			for (k = 0; k < s->st[i].k.ctxs[c].nr_schemes; k++) {
				put_scheme(f, fam, &s->st[i], c, k);
				fprintf(f, "} %" PRIu64 "\n",
					v(&s->st[i].k.ctxs[c].schemes[k]));
			}
}

static void put_goal_family(FILE *f, enum metrics_format fmt,
			    const struct seen *s, const struct family *fam,
			    bool current)
{
	size_t i, c, k, g;

	put_family(f, fmt, fam);
	for (i = 0; i < s->nr; i++)
		for (c = 0; c < s->st[i].k.nr_ctxs; c++)
			for (k = 0; k < s->st[i].k.ctxs[c].nr_schemes; k++) {
				const struct damos_quota *q =
					&s->st[i].k.ctxs[c].schemes[k].quota;

				for (g = 0; g < q->nr_goals; g++) {
					put_scheme(f, fam, &s->st[i], c, k);
					fprintf(f, ",goal=\"%zu\"", g);
					put_label(f, "metric",
						  damos_qgoal_metric_name(q->goals[g].metric),
						  false);
					fprintf(f, "} %" PRIu64 "\n",
						current ? q->goals[g].current_value :
							  q->goals[g].target_value);
				}
			}
}

static void put_all(FILE *f, enum metrics_format fmt, const struct seen *s)
{
	size_t i;

	put_monitors(f, fmt, s);
	put_ctx_family(f, fmt, s, &f_sample, CV_SAMPLE);
	put_ctx_family(f, fmt, s, &f_aggr, CV_AGGR);
	put_ctx_family(f, fmt, s, &f_update, CV_UPDATE);
	put_ctx_family(f, fmt, s, &f_min_regions, CV_MIN);
	put_ctx_family(f, fmt, s, &f_max_regions, CV_MAX);
	put_ctx_family(f, fmt, s, &f_achieved_sample, CV_ASAMPLE);
	put_ctx_family(f, fmt, s, &f_achieved_aggr, CV_AAGGR);
	put_scheme_family(f, fmt, s, &f_nr_tried, v_nr_tried);
	put_scheme_family(f, fmt, s, &f_sz_tried, v_sz_tried);
	put_scheme_family(f, fmt, s, &f_nr_applied, v_nr_applied);
	put_scheme_family(f, fmt, s, &f_sz_applied, v_sz_applied);
	put_scheme_family(f, fmt, s, &f_sz_passed, v_sz_passed);
	put_scheme_family(f, fmt, s, &f_qt_exceeds, v_qt_exceeds);
	put_scheme_family(f, fmt, s, &f_eff_quota, v_eff_quota);
	put_goal_family(f, fmt, s, &f_goal_current, true);
	put_goal_family(f, fmt, s, &f_goal_target, false);
	put_family(f, fmt, &f_module);
	for (i = 0; i < s->nr_mods; i++) {
		fprintf(f, "%s{", f_module.name);
		put_label(f, "module", s->mods[i].name, true);
		fprintf(f, "} %d\n", s->mods[i].enabled ? 1 : 0);
	}
	if (fmt == FMT_OPENMETRICS)
		fputs("# EOF\n", f);
}

/* Read the status of @b's monitors (the one named, or every one). */
static int gather(struct metrics_args *a, struct backend *b, struct seen *s)
{
	struct damo_id *ids = NULL;
	struct backend_module *m;
	size_t n = 0, i, nm;
	int err = 0;

	if (!a->bargs.has_id)
		err = backend_list(b, false, &ids, &n);
	else
		n = 1;
	for (i = 0; !err && i < n; i++) {
		struct backend_status *st;

		s->st = xreallocarray(s->st, s->nr + 1, sizeof(*s->st));
		st = &s->st[s->nr];
		backend_status_init(st);
		s->nr++;
		err = backend_status(b, a->bargs.has_id ? a->bargs.id : ids[i],
				     REFRESH_STATS, false, st);
	}
	free(ids);
	if (!err && backend_modules(b, &m, &nm)) {
		free(s->mods);
		s->mods = m;
		s->nr_mods = nm;
	}
	return err;
}

static bool has_suffix(const char *s, const char *sfx)
{
	size_t n = strlen(s), m = strlen(sfx);

	return n >= m && !strcmp(s + n - m, sfx);
}

/* @text to the text file, whole or not at all. */
static int write_textfile(const char *path, const char *text, size_t len,
			  struct diag *d)
{
	struct safefile sf;
	int err;

	err = safefile_open(&sf, path, 0644);
	if (err) {
		diag_add(d, "", "%s: %s", path, strerror(-err));
		return err;
	}
	/* the textfile collector runs as another user: readable by all */
	if (fchmod(sf.fd, 0644))
		err = -errno;
	if (!err)
		err = safefile_write_all(sf.fd, text, len);
	if (err) {
		safefile_discard(&sf);
		diag_add(d, "", "%s: %s", path, strerror(-err));
		return err;
	}
	err = safefile_commit(&sf, 0);
	if (err)
		diag_add(d, "", "%s: %s", path, strerror(-err));
	return err;
}

int cmd_metrics(int argc, char **argv, struct damo_ctx *ctx)
{
	struct metrics_args a = { .ctx = ctx };
	struct seen s = { 0 };
	struct backend b[2];
	char *text = NULL;
	size_t nb = 0, len = 0, i;
	struct diag d;
	FILE *f;
	int err;

	err = cmd_parse(&metrics_argp, argc, argv, &a);
	if (err)
		return err;
	diag_init(&d);
	err = backend_open_all(cmd_backend_env(ctx), a.bargs.backend,
			       a.bargs.has_id ? &a.bargs.id : NULL, b, &nb,
			       &d);
	for (i = 0; !err && i < nb; i++)
		err = gather(&a, &b[i], &s);
	for (i = 0; i < nb; i++)
		backend_close(&b[i]);
	if (!err) {
		f = open_memstream(&text, &len);
		if (!f)
			err = -errno;
	}
	if (!err) {
		put_all(f, a.format, &s);
		if (fclose(f))
			err = -errno;
	}
	if (!err && a.textfile)
		err = write_textfile(a.textfile, text, len, &d);
	if (!err && a.textfile && !has_suffix(a.textfile, ".prom"))
		out_warn(cmd_out(ctx), "%s: node_exporter's textfile collector reads only files named *.prom",
			 a.textfile);
	else if (!err)
		out_write(cmd_out(ctx), text);
	free(text);
	for (i = 0; i < s.nr; i++)
		backend_status_release(&s.st[i]);
	free(s.st);
	free(s.mods);
	cmd_diag_report(cmd_out(ctx), &d, false);
	diag_release(&d);
	return err;
}
