/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo's report types this damo takes but does not run: holistic, trace and
 * profile.  Each takes damo's options (so a runbook line is never an
 * "unrecognized option") and then says what is missing and what does the
 * part this damo has, exit status 1.
 */
#include "report_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/out.h"

enum {
	OPT_V1 = 0x800,
	OPT_V2, OPT_V3, OPT_V4, OPT_V5, OPT_V6, OPT_V7, OPT_V8, OPT_V9,
	OPT_V10,
	OPT_F1, OPT_F2,
	OPT_PERF,
};

/* An option of damo's: a flag without @arg, else one or more words. */
#define TAKEN(name, key, arg) { name, key, arg, 0, "damo's; see the message", 0 }

static const struct argp_option holistic_options[] = {
	TAKEN("access-pattern", OPT_V1, "FILE"),
	CMD_ALIAS("access_pattern", OPT_V1),
	TAKEN("footprints", OPT_V2, "FILE"),
	TAKEN("profile", OPT_V3, "FILE"),
	TAKEN("long", OPT_F1, NULL),
	TAKEN("perf-path", OPT_PERF, "PATH"),
	CMD_ALIAS("perf_path", OPT_PERF),
	TAKEN("heatmap-time-last-n-sec", OPT_V5, "SECONDS"),
	CMD_ALIAS("heatmap_time_last_n_sec", OPT_V5),
	{ 0 }
};

static const struct argp_option trace_options[] = {
	TAKEN("event", OPT_V1, "EVENT..."),
	TAKEN("no-event", OPT_V2, "EVENT..."),
	CMD_ALIAS("no_event", OPT_V2),
	TAKEN("tracer", OPT_V3, "perf|trace-cmd"),
	TAKEN("input", 'i', "FILE"),
	TAKEN("output", 'o', "FILE"),
	TAKEN("raw", OPT_F1, NULL),
	TAKEN("max-cols", OPT_V4, "N"),
	CMD_ALIAS("max_cols", OPT_V4),
	{ 0 }
};

static const struct argp_option profile_options[] = {
	TAKEN("inputs", OPT_V1, "RECORD PROFILE"),
	TAKEN("perf-path", OPT_PERF, "PATH"),
	CMD_ALIAS("perf_path", OPT_PERF),
	TAKEN("sz-region", OPT_V3, "MIN MAX"),
	CMD_ALIAS("sz_region", OPT_V3),
	TAKEN("access-rate", OPT_V4, "MIN MAX"),
	CMD_ALIAS("access_rate", OPT_V4),
	TAKEN("age", OPT_V5, "MIN MAX"),
	TAKEN("address", OPT_V6, "START END"),
	TAKEN("sz-snapshot", OPT_V7, "MIN MAX"),
	CMD_ALIAS("sz_snapshot", OPT_V7),
	TAKEN("snapshot-time", OPT_V8, "START END"),
	CMD_ALIAS("snapshot_time", OPT_V8),
	TAKEN("snapshot-idx", OPT_V9, "START END"),
	CMD_ALIAS("snapshot_idx", OPT_V9),
	TAKEN("temperature", OPT_V10, "MIN MAX"),
	{ 0 }
};

struct refused {
	struct damo_ctx *ctx;
	const char *perf;	/* --perf_path */
};

static const struct argp_child refused_children[] = {
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static error_t refused_parse(int key, char *arg, struct argp_state *state)
{
	struct refused *r = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, refused_children, r->ctx);
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		return 0;
	default:
		if (key < OPT_V1 && key != 'i' && key != 'o')
			return ARGP_ERR_UNKNOWN;
		/* damo's multi-word values: the words up to the next option */
		if (key < OPT_F1 && key != 'i' && key != 'o')
			while (state->next < state->argc &&
			       state->argv[state->next][0] != '-')
				state->next++;
		if (key == OPT_PERF)
			r->perf = arg;
		return 0;
	}
}

/* Whether perf can be run: --perf_path, or "perf" in $PATH. */
static bool have_perf(const char *path)
{
	const char *env = getenv("PATH");
	char *dirs, *dir, *save = NULL, *p;
	bool found = false;

	if (path && strchr(path, '/'))
		return !access(path, X_OK);
	if (!env)
		return false;
	dirs = strdup(env);
	for (dir = dirs ? strtok_r(dirs, ":", &save) : NULL; dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		if (asprintf(&p, "%s/%s", dir, path ? path : "perf") < 0)
			break;
		found = !access(p, X_OK);
		free(p);
	}
	free(dirs);
	return found;
}

static int refuse(int argc, char **argv, struct damo_ctx *ctx,
		  const struct argp_option *options, const char *doc,
		  const char *(*why)(const struct refused *r))
{
	struct refused r = { .ctx = ctx };
	struct argp argp = {
		.options = options,
		.parser = refused_parse,
		.doc = doc,
		.children = refused_children,
	};
	int err;

	err = cmd_parse(&argp, argc, argv, &r);
	if (err)
		return err;
	out_error(cmd_out(ctx), "%s", why(&r));
	return -ENOTSUP;
}

static const char *why_holistic(const struct refused *r)
{
	(void)r;
	return "report holistic: not built in damo (C): its sections come from "
	       "'damo report heatmap', 'damo report wss' and 'damo report "
	       "footprint'; its profile section needs the perf profile damo's "
	       "'record --profile' writes, which this damo's record does not make";
}

static const char *why_trace(const struct refused *r)
{
	(void)r;
	return "report trace: not built in damo (C): tracing DAMON is done by "
	       "'damo record' (its tracefs instance), and a perf or trace-cmd "
	       "record is read by 'damo convert' and the access reports";
}

static const char *why_profile(const struct refused *r)
{
	if (!have_perf(r->perf))
		return "report profile: needs perf, which is not installed "
		       "(or not at --perf_path)";
	return "report profile: not built in damo (C): it needs the perf "
	       "profile damo's 'record --profile' writes next to the record, "
	       "which this damo's record does not make";
}

int report_holistic(int argc, char **argv, struct damo_ctx *ctx)
{
	return refuse(argc, argv, ctx, holistic_options,
		      "damo's holistic report (heatmap, working set, footprints "
		      "and profile): taken, not built; the message says what "
		      "to run instead.", why_holistic);
}

int report_trace(int argc, char **argv, struct damo_ctx *ctx)
{
	return refuse(argc, argv, ctx, trace_options,
		      "damo's DAMON tracepoint viewer: taken, not built; the "
		      "message says what to run instead.", why_trace);
}

int report_profile(int argc, char **argv, struct damo_ctx *ctx)
{
	return refuse(argc, argv, ctx, profile_options,
		      "damo's profile of the times an access pattern was seen: "
		      "taken, not built (it needs perf and a perf profile "
		      "record); the message says what is missing.", why_profile);
}
