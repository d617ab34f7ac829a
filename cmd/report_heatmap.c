/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo report heatmap: access heat over time and space.  Its options, the
 * choice of the record drawn, and dispatch to the map, raw, JSON, image
 * or interactive output.
 */
#include "report_heatmap.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report_common.h"

#include "core/heatmap_color.h"
#include "core/out.h"
#include "core/record_guide.h"
#include "core/snapshot.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "formats/heatmap_image.h"

enum {
	OPT_OUTPUT = 0x730, OPT_RESOL, OPT_TIME_RANGE, OPT_ADDR_RANGE,
	OPT_DRAW_RANGE, OPT_GUIDE, OPT_ABS_TIME, OPT_ABS_ADDR, OPT_COLORSET,
	OPT_SKIP_EXAMPLE, OPT_COLOR, OPT_OUTPUT_FORMAT, OPT_TID,
	OPT_KDAMOND_IDX, OPT_CONTEXT_IDX, OPT_SCHEME_IDX, OPT_GUIDE_HUMAN,
	OPT_INTERACTIVE, OPT_FOLLOW, OPT_SCREEN,
};

static const struct argp_option heatmap_options[] = {
	{ "tid", OPT_TID, "ID", 0,
	  "Draw the record of this target (default: the largest record)", 0 },
	{ "kdamond-idx", OPT_KDAMOND_IDX, "N", 0,
	  "Draw a record of this kdamond", 0 },
	CMD_ALIAS("kdamond_idx", OPT_KDAMOND_IDX),
	{ "context-idx", OPT_CONTEXT_IDX, "N", 0,
	  "Draw a record of this context", 0 },
	CMD_ALIAS("context_idx", OPT_CONTEXT_IDX),
	{ "scheme-idx", OPT_SCHEME_IDX, "N", 0,
	  "Draw a record of this scheme", 0 },
	CMD_ALIAS("scheme_idx", OPT_SCHEME_IDX),
	{ "time-range", OPT_TIME_RANGE, "START END [BASE]", 0,
	  "Times to draw, in ns since the record's clock start, or from BASE "
	  "(guided: the record's start, guided_end: its end, or a number)", 0 },
	CMD_ALIAS("time_range", OPT_TIME_RANGE),
	{ "address-range", OPT_ADDR_RANGE, "START END [BASE]", 0,
	  "Addresses to draw, one map each time given (default: the hottest "
	  "contiguous region), from BASE: guided (the lowest address) or a "
	  "number", 0 },
	CMD_ALIAS("address_range", OPT_ADDR_RANGE),
	{ "draw-range", OPT_DRAW_RANGE, "hottest|all", 0,
	  "Draw the hottest contiguous region (default) or each of them", 0 },
	CMD_ALIAS("draw_range", OPT_DRAW_RANGE),
	{ "resol", OPT_RESOL, "ROWS COLS", 0,
	  "Time rows and address columns (default 40 80; 500 500 for raw "
	  "and images)", 0 },
	{ "output", OPT_OUTPUT, "stdout|raw|FILE.png|FILE.svg", 0,
	  "A map of digits (default), damo's raw time, address, heat lines, "
	  "or an image file", 0 },
	{ "output-format", OPT_OUTPUT_FORMAT, "png|svg", 0,
	  "The image format of --output FILE, whatever its extension", 0 },
	{ "interactive", OPT_INTERACTIVE, NULL, 0,
	  "Browse the heatmap in the terminal (press ? for its keys)", 0 },
	{ "follow", OPT_FOLLOW, NULL, 0,
	  "With --interactive: re-read the file when it changes", 0 },
	{ "screen", OPT_SCREEN, "COLSxROWS", 0,
	  "With --interactive: print the viewer's first screen of COLS x "
	  "ROWS cells and exit, no terminal needed (colours as --color "
	  "says)", 0 },
	{ "guide", OPT_GUIDE, NULL, 0,
	  "Print the records' ranges in raw numbers instead", 0 },
	{ "guide-human", OPT_GUIDE_HUMAN, NULL, 0,
	  "Print the records' ranges in human units instead", 0 },
	CMD_ALIAS("guide_human", OPT_GUIDE_HUMAN),
	{ "abs-time", OPT_ABS_TIME, NULL, 0, "Raw output times not from the start", 0 },
	CMD_ALIAS("abs_time", OPT_ABS_TIME),
	{ "abs-addr", OPT_ABS_ADDR, NULL, 0, "Raw output addresses not from the start", 0 },
	CMD_ALIAS("abs_addr", OPT_ABS_ADDR),
	{ "stdout-colorset", OPT_COLORSET, "gray|flame|emotion|viridis", 0,
	  "Colours (default gray, images and --interactive viridis)", 0 },
	CMD_ALIAS("stdout_colorset", OPT_COLORSET),
	{ "stdout-skip-colorset-example", OPT_SKIP_EXAMPLE, NULL, 0,
	  "Leave out the '# access_frequency:' line", 0 },
	CMD_ALIAS("stdout_skip_colorset_example", OPT_SKIP_EXAMPLE),
	{ "color", OPT_COLOR, "always|never|auto", 0,
	  "ANSI colours (default auto: on a terminal without NO_COLOR)", 0 },
	{ 0 }
};

static struct argp_child heatmap_children[] = {
	{ NULL, 0, NULL, 0 },	/* report_opts_argp(), set at run time */
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

/* The next word of a multi-value option @opt. */
static char *next_word(struct argp_state *state, const char *opt,
		       const char *what)
{
	if (state->next >= state->argc)
		argp_error(state, "%s takes %s", opt, what);
	return state->argv[state->next++];
}

/* A time or size, negative ones only when @sign. */
static int parse_signed(const char *s, bool time, bool sign, int64_t *v)
{
	bool neg = sign && *s == '-';
	uint64_t u;
	int err;

	err = time ? units_parse_time(s + neg, UNITS_NS, &u) :
		     units_parse_size(s + neg, &u);
	if (err || u > INT64_MAX)
		return -EINVAL;
	*v = neg ? -(int64_t)u : (int64_t)u;
	return 0;
}

/* START END [BASE] of --time-range (@time) or --address-range. */
static void parse_range(struct argp_state *state, const char *arg, bool time,
			struct heatmap_range *r)
{
	const char *opt = time ? "--time-range" : "--address-range";
	const char *s2 = next_word(state, opt, "START END [BASE]"), *b = NULL;

	memset(r, 0, sizeof(*r));
	if (state->next < state->argc && state->argv[state->next][0] != '-')
		b = state->argv[state->next++];
	if (!b) {
		r->base = HEATMAP_BASE_NONE;
	} else if (!strcmp(b, "guided")) {
		r->base = HEATMAP_BASE_GUIDED;
	} else if (time && !strcmp(b, "guided_end")) {
		r->base = HEATMAP_BASE_GUIDED_END;
	} else {
		r->base = HEATMAP_BASE_VALUE;
		if (time ? units_parse_time(b, UNITS_NS, &r->base_value) :
			   units_parse_size(b, &r->base_value))
			argp_error(state, "%s: invalid base '%s': guided%s or "
				   "a number", opt, b, time ? ", guided_end" : "");
	}
	if (parse_signed(arg, time, b, &r->start) ||
	    parse_signed(s2, time, b, &r->end) || r->end <= r->start)
		argp_error(state, "%s: invalid range '%s' '%s'", opt, arg, s2);
}

static int parse_choice(struct argp_state *state, const char *opt,
			const char *arg, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(arg, v[i]))
			return (int)i;
	argp_error(state, "%s: unknown value '%s'", opt, arg);
	return 0;
}

static void parse_resol(struct argp_state *state, const char *arg,
			struct heatmap_args *a)
{
	const char *s2 = next_word(state, "--resol", "ROWS COLS");
	uint64_t r, c;

	if (units_parse_nr(arg, &r) || units_parse_nr(s2, &c) || !r || !c ||
	    r > 10000 || c > 10000)
		argp_error(state, "--resol: 1 to 10000 rows and columns");
	a->rows = (size_t)r;
	a->cols = (size_t)c;
}

static uint64_t parse_id(struct argp_state *state, const char *opt,
			 const char *arg)
{
	uint64_t v;

	if (units_parse_nr(arg, &v) || v == SNAP_NONE)
		argp_error(state, "%s: invalid number '%s'", opt, arg);
	return v;
}

static void parse_output(struct argp_state *state, const char *arg,
			 struct heatmap_args *a)
{
	if (!strcmp(arg, "stdout")) {
		a->out = HEATMAP_OUT_STDOUT;
	} else if (!strcmp(arg, "raw")) {
		a->out = HEATMAP_OUT_RAW;
	} else if (!*arg) {
		argp_error(state, "--output: empty file name");
	} else {
		a->out = HEATMAP_OUT_IMAGE;
		a->image_path = arg;
	}
}

static void add_addr_range(struct argp_state *state, const char *arg,
			   struct heatmap_args *a)
{
	a->addr_ranges = xreallocarray(a->addr_ranges, a->nr_addr_ranges + 1,
				       sizeof(*a->addr_ranges));
	parse_range(state, arg, false, &a->addr_ranges[a->nr_addr_ranges++]);
}

/* Cross-checks once every option is known. */
static void check_args(struct argp_state *state, struct heatmap_args *a)
{
	if (a->out == HEATMAP_OUT_IMAGE && a->image_fmt < 0) {
		a->image_fmt = heatmap_image_format_of(a->image_path);
		if (a->image_fmt < 0)
			argp_error(state, "--output: '%s' is not stdout, raw, "
				   "nor a file name ending in .png or .svg",
				   a->image_path);
	}
	if (a->image_fmt >= 0 && a->out != HEATMAP_OUT_IMAGE)
		argp_error(state, "--output-format needs --output FILE");
	if (a->follow && !a->interactive)
		argp_error(state, "--follow needs --interactive");
	if (a->screen_cols && !a->interactive)
		argp_error(state, "--screen needs --interactive");
	if (a->screen_cols && a->follow)
		argp_error(state, "--screen prints one screen: not with --follow");
	if (a->interactive && (a->out != HEATMAP_OUT_STDOUT || a->guide ||
			       a->guide_human || a->all ||
			       a->nr_addr_ranges > 1))
		argp_error(state, "--interactive draws one map on the "
			   "terminal: not with --output, --guide, "
			   "--draw-range all or several --address-range");
	if (a->interactive && a->ctx->opts.json)
		argp_error(state, "--interactive has no --json form");
}

/* "COLSxROWS": a screen of 10 to 1000 columns and 4 to 1000 rows. */
static void parse_screen(struct argp_state *state, struct heatmap_args *a,
			 const char *arg)
{
	unsigned long c, r;
	char *end;

	errno = 0;
	c = strtoul(arg, &end, 10);
	if (errno || end == arg || *end != 'x' || !isdigit(end[1]) ||
	    *arg == '-')
		argp_error(state, "--screen: '%s' is not COLSxROWS (80x24)",
			   arg);
	r = strtoul(end + 1, &end, 10);
	if (errno || *end)
		argp_error(state, "--screen: '%s' is not COLSxROWS (80x24)",
			   arg);
	if (c < 10 || c > 1000 || r < 4 || r > 1000)
		argp_error(state, "--screen: '%s' is out of range: 10 to 1000 columns, 4 to 1000 rows",
			   arg);
	a->screen_cols = (int)c;
	a->screen_rows = (int)r;
}

static error_t heatmap_parse(int key, char *arg, struct argp_state *state)
{
	static const char *const draws[] = { "hottest", "all" };
	static const char *const colors[] = { "never", "always", "auto" };
	struct heatmap_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		report_child_inputs(state, heatmap_children, a->ctx, &a->ro);
		return 0;
	case OPT_OUTPUT:
		parse_output(state, arg, a);
		return 0;
	case OPT_OUTPUT_FORMAT:
		a->image_fmt = heatmap_image_format_parse(arg);
		if (a->image_fmt < 0)
			argp_error(state, "--output-format: unknown format "
				   "'%s' (png or svg)", arg);
		return 0;
	case OPT_RESOL:
		parse_resol(state, arg, a);
		return 0;
	case OPT_TIME_RANGE:
		parse_range(state, arg, true, &a->time_range);
		a->has_time_range = true;
		return 0;
	case OPT_ADDR_RANGE:
		add_addr_range(state, arg, a);
		return 0;
	case OPT_DRAW_RANGE:
		a->all = parse_choice(state, "--draw-range", arg, draws, 2);
		return 0;
	case OPT_TID:
		a->sel.tid = parse_id(state, "--tid", arg);
		return 0;
	case OPT_KDAMOND_IDX:
		a->sel.kdamond_idx = parse_id(state, "--kdamond-idx", arg);
		return 0;
	case OPT_CONTEXT_IDX:
		a->sel.context_idx = parse_id(state, "--context-idx", arg);
		return 0;
	case OPT_SCHEME_IDX:
		a->sel.scheme_idx = parse_id(state, "--scheme-idx", arg);
		return 0;
	case OPT_GUIDE:
		a->guide = true;
		return 0;
	case OPT_GUIDE_HUMAN:
		a->guide_human = true;
		return 0;
	case OPT_ABS_TIME:
		a->abs_time = true;
		return 0;
	case OPT_ABS_ADDR:
		a->abs_addr = true;
		return 0;
	case OPT_COLORSET:
		a->colorset = heatmap_colorset_parse(arg);
		if (a->colorset < 0)
			argp_error(state, "--stdout-colorset: unknown value "
				   "'%s'", arg);
		return 0;
	case OPT_SKIP_EXAMPLE:
		a->skip_example = true;
		return 0;
	case OPT_COLOR:
		a->color = parse_choice(state, "--color", arg, colors, 3);
		if (a->color == 2)
			a->color = -1;
		return 0;
	case OPT_INTERACTIVE:
		a->interactive = true;
		return 0;
	case OPT_FOLLOW:
		a->follow = true;
		return 0;
	case OPT_SCREEN:
		parse_screen(state, a, arg);
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		return 0;
	case ARGP_KEY_END:
		check_args(state, a);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp heatmap_argp = {
	.options = heatmap_options,
	.parser = heatmap_parse,
	.doc = "Draw how hot each time and address range of a record was.\v"
	       "The record drawn is the first of 'damo report record-info' "
	       "(the largest) that --tid, --kdamond-idx, --context-idx and "
	       "--scheme-idx select.  Its time and, unless --address-range, "
	       "its hottest contiguous region (or each, with --draw-range "
	       "all) are cut into --resol ROWS x COLS pixels, each the access "
	       "samples (or hz) averaged over its area, printed as digits 0-9 "
	       "(coloured on a terminal), as damo's raw lines with --output "
	       "raw, drawn into a PNG or SVG image, or browsed with "
	       "--interactive.\n\n"
	       "Examples:\n"
	       "  damo report heatmap\n"
	       "  damo report heatmap --resol 10 40 --no-color\n"
	       "  damo report heatmap --stdout-colorset viridis\n"
	       "  damo report heatmap --output heatmap.png\n"
	       "  damo report heatmap --interactive --follow\n"
	       "  damo report heatmap --tid 1234 --output raw > heats.txt\n"
	       "  damo report heatmap --guide",
	.children = heatmap_children,
};

bool heatmap_select_matches(const struct heatmap_select *sel,
			    const struct record_guide *g)
{
	return (sel->tid == SNAP_NONE || sel->tid == g->target_id) &&
	       (sel->kdamond_idx == SNAP_NONE ||
		sel->kdamond_idx == g->kdamond_idx) &&
	       (sel->context_idx == SNAP_NONE ||
		sel->context_idx == g->context_idx) &&
	       (sel->scheme_idx == SNAP_NONE ||
		sel->scheme_idx == g->scheme_idx);
}

static bool has_selection(const struct heatmap_select *sel)
{
	return sel->tid != SNAP_NONE || sel->kdamond_idx != SNAP_NONE ||
	       sel->context_idx != SNAP_NONE || sel->scheme_idx != SNAP_NONE;
}

/* "target 42, kdamond 0" of what @sel asks for, into @buf (160 bytes). */
static const char *fmt_selection(char *buf, const struct heatmap_select *sel)
{
	static const char *const names[] = { "target", "kdamond", "context",
					     "scheme" };
	const uint64_t v[] = { sel->tid, sel->kdamond_idx, sel->context_idx,
			       sel->scheme_idx };
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(v); i++)
		if (v[i] != SNAP_NONE)
			n += (size_t)snprintf(buf + n, 160 - n, "%s%s %llu",
					      n ? ", " : "", names[i],
					      (unsigned long long)v[i]);
	return buf;
}

static int print_guides(struct damo_ctx *ctx, const struct heatmap_args *a,
			const struct record_guide *gs, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if (heatmap_select_matches(&a->sel, &gs[i]))
			report_print_guide(cmd_out(ctx), &gs[i], !a->guide_human);
	return 0;
}

static int report(struct damo_ctx *ctx, struct heatmap_args *a,
		  const struct record_guide *gs, size_t nr)
{
	char buf[160];
	size_t i;

	if (a->guide || a->guide_human)
		return print_guides(ctx, a, gs, nr);
	for (i = 0; i < nr; i++)
		if (heatmap_select_matches(&a->sel, &gs[i]))
			break;
	if (i == nr && has_selection(&a->sel)) {
		out_error(cmd_out(ctx), "'%s' has no record of %s", a->ro.input,
			  fmt_selection(buf, &a->sel));
		out_hint(cmd_out(ctx), "'damo report record-info' lists them");
		return -EINVAL;
	}
	if (i == nr || !gs[i].nr_snapshots) {
		out_error(cmd_out(ctx), "'%s' has no snapshot to draw", a->ro.input);
		return -EINVAL;
	}
	if (a->interactive)
		return heatmap_view(ctx, a, gs, nr, i);
	return heatmap_draw_all(ctx, a, &gs[i]);
}

int report_heatmap(int argc, char **argv, struct damo_ctx *ctx)
{
	struct heatmap_args a = {
		.ctx = ctx, .ro = REPORT_OPTS_DEFAULT, .color = -1,
		.colorset = -1, .image_fmt = -1,
		.sel = { SNAP_NONE, SNAP_NONE, SNAP_NONE, SNAP_NONE },
	};
	struct record_guide *gs = NULL;
	struct report_input in;
	size_t nr = 0, i;
	int err;

	heatmap_children[0].argp = report_opts_argp(REPORT_OPT_INPUT);
	err = cmd_parse(&heatmap_argp, argc, argv, &a);
	if (err)
		goto out_free_args;
	if (a.interactive && !a.screen_cols && (!isatty(STDIN_FILENO) ||
						!isatty(STDOUT_FILENO))) {
		out_error(cmd_out(ctx), "--interactive needs a terminal on "
			  "standard input and output");
		err = -ENOTTY;
		goto out_free_args;
	}
	if (!a.rows && a.out != HEATMAP_OUT_STDOUT) {
		a.rows = 500;
		a.cols = 500;
	} else if (!a.rows) {
		a.rows = 40;
		a.cols = 80;
	}
	err = report_open(ctx, a.ro.input, &in);
	if (err)
		goto out_free_args;
	/* the maps' pass reads what the guides' pass kept */
	if (!a.interactive)
		report_keep(&in);
	err = report_read_guides(&in, &gs, &nr);
	if (err < 0)
		err = report_read_failed(ctx, &in);
	a.first = &in;
	if (!err)
		err = report(ctx, &a, gs, nr);
	report_close(&in);
	for (i = 0; i < nr; i++)
		record_guide_release(&gs[i]);
	free(gs);
out_free_args:
	free(a.addr_ranges);
	return err;
}
