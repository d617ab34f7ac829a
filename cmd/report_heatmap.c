/* SPDX-License-Identifier: GPL-2.0 */
/* damo report heatmap: access heat over time and space (damo-compat.md §4.2). */
#include "report_common.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/heatmap.h"
#include "core/out.h"
#include "core/record_guide.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "formats/record.h"

struct heatmap_args {
	struct damo_ctx *ctx;
	const char *input;
	bool raw_out;
	size_t rows, cols;		/* 0: the output's default */
	uint64_t t0, t1;		/* t1 0: the guide's */
	uint64_t a0, a1;		/* a1 0: hottest or every region */
	bool all;
	bool guide;
	bool abs_time, abs_addr;
	bool skip_example;
	int color;			/* 1 always, 0 never, -1 auto */
	unsigned int colorset;
};

enum {
	OPT_OUTPUT = 0x730, OPT_RESOL, OPT_TIME_RANGE, OPT_ADDR_RANGE,
	OPT_DRAW_RANGE, OPT_GUIDE, OPT_ABS_TIME, OPT_ABS_ADDR, OPT_COLORSET,
	OPT_SKIP_EXAMPLE, OPT_COLOR,
};

#define H OPTION_ALIAS | OPTION_HIDDEN
static const struct argp_option heatmap_options[] = {
	{ "input", 'i', "FILE", 0, "Record file (default damon.data)", 0 },
	{ "output", OPT_OUTPUT, "stdout|raw", 0,
	  "A map of digits (default) or damo's raw time, address, heat lines", 0 },
	{ "resol", OPT_RESOL, "ROWS COLS", 0,
	  "Time rows and address columns (default 40 80; 500 500 for raw)", 0 },
	{ "time-range", OPT_TIME_RANGE, "START END", 0,
	  "Times to draw, in ns since the record's clock start", 0 },
	{ "time_range", OPT_TIME_RANGE, "START END", H, NULL, 0 },
	{ "address-range", OPT_ADDR_RANGE, "START END", 0,
	  "Addresses to draw (default: the hottest contiguous region)", 0 },
	{ "address_range", OPT_ADDR_RANGE, "START END", H, NULL, 0 },
	{ "draw-range", OPT_DRAW_RANGE, "hottest|all", 0,
	  "Draw the hottest contiguous region (default) or each of them", 0 },
	{ "draw_range", OPT_DRAW_RANGE, "hottest|all", H, NULL, 0 },
	{ "guide", OPT_GUIDE, NULL, 0,
	  "Print the records' ranges in raw numbers instead", 0 },
	{ "abs-time", OPT_ABS_TIME, NULL, 0, "Raw output times not from the start", 0 },
	{ "abs_time", OPT_ABS_TIME, NULL, H, NULL, 0 },
	{ "abs-addr", OPT_ABS_ADDR, NULL, 0, "Raw output addresses not from the start", 0 },
	{ "abs_addr", OPT_ABS_ADDR, NULL, H, NULL, 0 },
	{ "stdout-colorset", OPT_COLORSET, "gray|flame|emotion", 0,
	  "Colours of the map (default gray)", 0 },
	{ "stdout_colorset", OPT_COLORSET, "SET", H, NULL, 0 },
	{ "stdout-skip-colorset-example", OPT_SKIP_EXAMPLE, NULL, 0,
	  "Leave out the '# access_frequency:' line", 0 },
	{ "stdout_skip_colorset_example", OPT_SKIP_EXAMPLE, NULL, H, NULL, 0 },
	{ "color", OPT_COLOR, "always|never|auto", 0,
	  "ANSI colours (default auto: on a terminal without NO_COLOR)", 0 },
	{ 0 }
};
#undef H

static const struct argp_child heatmap_children[] = {
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static const char *const colorsets[] = { "gray", "flame", "emotion" };
static const unsigned char set_bg[3][10] = {
	{ 232, 232, 232, 232, 232, 232, 232, 232, 232, 232 },
	{ 232, 1, 1, 2, 3, 3, 20, 21, 26, 27 },
	{ 232, 234, 20, 21, 26, 2, 3, 1, 1, 1 },
};
static const unsigned char set_fg[3][10] = {
	{ 237, 239, 241, 243, 245, 247, 249, 251, 253, 255 },
	{ 239, 235, 237, 239, 243, 245, 247, 249, 251, 255 },
	{ 239, 235, 237, 239, 243, 245, 247, 249, 251, 255 },
};

/* The next two words of a two-value option, @arg the first. */
static char *second_word(struct argp_state *state, const char *opt)
{
	if (state->next >= state->argc)
		argp_error(state, "%s takes two values", opt);
	return state->argv[state->next++];
}

static void parse_pair(struct argp_state *state, const char *opt,
		       const char *arg, uint64_t *lo, uint64_t *hi, bool time)
{
	const char *s2 = second_word(state, opt);
	int e1, e2;

	e1 = time ? units_parse_time(arg, UNITS_NS, lo) :
		    units_parse_size(arg, lo);
	e2 = time ? units_parse_time(s2, UNITS_NS, hi) :
		    units_parse_size(s2, hi);
	if (e1 || e2 || *hi <= *lo)
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
	const char *s2 = second_word(state, "--resol");
	uint64_t r, c;

	if (units_parse_nr(arg, &r) || units_parse_nr(s2, &c) || !r || !c ||
	    r > 10000 || c > 10000)
		argp_error(state, "--resol: 1 to 10000 rows and columns");
	a->rows = (size_t)r;
	a->cols = (size_t)c;
}

static error_t heatmap_parse(int key, char *arg, struct argp_state *state)
{
	static const char *const outputs[] = { "stdout", "raw" };
	static const char *const draws[] = { "hottest", "all" };
	static const char *const colors[] = { "never", "always", "auto" };
	struct heatmap_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, heatmap_children, a->ctx);
		return 0;
	case 'i':
		a->input = arg;
		return 0;
	case OPT_OUTPUT:
		a->raw_out = parse_choice(state, "--output", arg, outputs, 2);
		return 0;
	case OPT_RESOL:
		parse_resol(state, arg, a);
		return 0;
	case OPT_TIME_RANGE:
		parse_pair(state, "--time-range", arg, &a->t0, &a->t1, true);
		return 0;
	case OPT_ADDR_RANGE:
		parse_pair(state, "--address-range", arg, &a->a0, &a->a1, false);
		return 0;
	case OPT_DRAW_RANGE:
		a->all = parse_choice(state, "--draw-range", arg, draws, 2);
		return 0;
	case OPT_GUIDE:
		a->guide = true;
		return 0;
	case OPT_ABS_TIME:
		a->abs_time = true;
		return 0;
	case OPT_ABS_ADDR:
		a->abs_addr = true;
		return 0;
	case OPT_COLORSET:
		a->colorset = (unsigned int)parse_choice(state, "--stdout-colorset",
							 arg, colorsets, 3);
		return 0;
	case OPT_SKIP_EXAMPLE:
		a->skip_example = true;
		return 0;
	case OPT_COLOR:
		a->color = parse_choice(state, "--color", arg, colors, 3);
		if (a->color == 2)
			a->color = -1;
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
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
	       "(the largest).  Its time and, unless --address-range, its "
	       "hottest contiguous region (or each, with --draw-range all) "
	       "are cut into --resol ROWS x COLS pixels, each the access "
	       "samples (or hz) averaged over its area, printed as digits 0-9 "
	       "(coloured on a terminal), or as damo's raw lines with --output "
	       "raw.\n\n"
	       "Examples:\n"
	       "  damo report heatmap\n"
	       "  damo report heatmap --resol 10 40 --no-color\n"
	       "  damo report heatmap --output raw > heats.txt\n"
	       "  damo report heatmap --guide",
	.children = heatmap_children,
};

/* Whether record @m is the one @g is the guide of. */
static bool is_drawn(const struct record_guide *g, const struct record_meta *m)
{
	return record_guide_is_of(g, m);
}

/* Index of the contiguous region of most heat per byte. */
static int hottest_region(struct damo_ctx *ctx, const char *path,
			  const struct record_guide *g,
			  const struct guide_range *cr, size_t *hot)
{
	const struct record_meta *meta;
	struct report_input in;
	uint64_t *heat = xcalloc(g->nr_gaps + 1, sizeof(*heat));
	struct snapshot snap;
	double best = -1, h;
	size_t i;
	int err;

	err = report_open(ctx, path, &in);
	if (err)
		goto out;
	snapshot_init(&snap);
	while ((err = record_next(in.rd, &meta)) == 1) {
		if (!is_drawn(g, meta))
			continue;
		while ((err = record_next_snapshot(in.rd, &snap)) == 1)
			record_guide_add_heat(cr, g->nr_gaps + 1, heat, &snap);
		if (err < 0)
			break;
	}
	snapshot_release(&snap);
	if (err < 0)
		err = report_read_failed(ctx, &in);
	report_close(&in);
	for (i = 0; !err && i <= g->nr_gaps; i++) {
		h = (double)heat[i] / (double)(cr[i].end - cr[i].start);
		if (h > best) {
			best = h;
			*hot = i;
		}
	}
out:
	free(heat);
	return err < 0 ? err : 0;
}

static int bin_record(struct damo_ctx *ctx, const char *path,
		      const struct record_guide *g, struct heatmap *hm)
{
	const struct record_meta *meta;
	struct report_input in;
	struct snapshot snap;
	int err;

	err = report_open(ctx, path, &in);
	if (err)
		return err;
	snapshot_init(&snap);
	while ((err = record_next(in.rd, &meta)) == 1) {
		if (!is_drawn(g, meta))
			continue;
		while ((err = record_next_snapshot(in.rd, &snap)) == 1)
			heatmap_add(hm, &snap, meta->has_intervals ?
				    &meta->intervals : NULL);
		if (err < 0)
			break;
	}
	snapshot_release(&snap);
	if (err < 0)
		err = report_read_failed(ctx, &in);
	report_close(&in);
	return err < 0 ? err : 0;
}

static void print_raw(struct out *o, const struct heatmap *hm,
		      const struct heatmap_args *a)
{
	char buf[40];
	size_t i, j;
	uint64_t t, ad;

	for (i = 0; i < hm->rows; i++) {
		t = i * hm->tu + (a->abs_time ? hm->t0 : 0);
		for (j = 0; j < hm->cols; j++) {
			ad = j * hm->au + (a->abs_addr ? hm->a0 : 0);
			out_text(o, "%llu\t%llu\t%s\n", (unsigned long long)t,
				 (unsigned long long)ad,
				 heatmap_fmt_float(buf, heatmap_at(hm, i, j)));
		}
	}
}

/* One pixel of level @lv (-1: no heat) into @s; returns its length. */
static int fmt_pixel(char *s, int lv, bool color, unsigned int set)
{
	unsigned int c = lv < 0 ? 4 : (unsigned int)lv;
	char ch = lv < 0 ? ' ' : (char)('0' + lv);

	if (!color)
		return sprintf(s, "%c", ch);
	return sprintf(s, "\x1b[48;5;%um\x1b[38;5;%um%c", set_bg[set][c],
		       set_fg[set][c], ch);
}

static void print_map(struct out *o, const struct heatmap *hm,
		      const struct heatmap_args *a, bool color)
{
	char *line = xcalloc(hm->cols * 24 + 8, 1), b1[UNITS_BUFSZ],
	     b2[UNITS_BUFSZ], b3[UNITS_BUFSZ];
	double lo = INFINITY, hi = -INFINITY, h, unit;
	size_t i, j, n;
	int lv;

	for (i = 0; i < hm->rows * hm->cols; i++) {
		if (isnan(hm->heat[i]))
			continue;
		lo = fmin(lo, hm->heat[i]);
		hi = fmax(hi, hm->heat[i]);
	}
	unit = (hi + 1 - lo) / 9;
	for (i = 0; i < hm->rows; i++) {
		for (j = 0, n = 0; j < hm->cols; j++) {
			h = heatmap_at(hm, i, j);
			lv = isnan(h) ? -1 : (int)fmin((h - lo) / unit, 9);
			n += (size_t)fmt_pixel(line + n, lv, color, a->colorset);
		}
		out_text(o, "%s%s\n", line, color ? "\x1b[0m" : "");
	}
	if (!a->skip_example) {
		for (lv = 0, n = 0; lv < 10; lv++)
			n += (size_t)fmt_pixel(line + n, lv, color, a->colorset);
		out_text(o, "# access_frequency: %s%s (%.3f-%.3f samples)\n", line,
			 color ? "\x1b[0m" : "", isinf(lo) ? 0 : lo,
			 isinf(hi) ? 0 : hi);
	}
	out_text(o, "# x-axis: space [%s, %s) (%s)\n",
		 report_fmt_sz_accurate(b1, hm->a0, false),
		 report_fmt_sz_accurate(b2, hm->a0 + hm->au * hm->cols, false),
		 units_fmt_sz(b3, hm->au * hm->cols, false));
	out_text(o, "# y-axis: time [%s, %s) (%s)\n",
		 units_fmt_time(b1, hm->t0, UNITS_NS, false),
		 units_fmt_time(b2, hm->t0 + hm->tu * hm->rows, UNITS_NS, false),
		 units_fmt_time(b3, hm->tu * hm->rows, UNITS_NS, false));
	out_text(o, "# resolution: %zux%zu (%s and %s for each character)\n",
		 hm->cols, hm->rows, units_fmt_sz(b1, hm->au, false),
		 units_fmt_time(b2, hm->tu, UNITS_NS, false));
	free(line);
}

/* Append to the growing string *@s (length *@n) printf-style. */
static void __attribute__((format(printf, 3, 4)))
sappend(char **s, size_t *n, const char *fmt, ...)
{
	va_list ap;
	char *t;
	int len;

	va_start(ap, fmt);
	len = vasprintf(&t, fmt, ap);
	va_end(ap);
	if (len < 0)
		abort();
	*s = xreallocarray(*s, *n + (size_t)len + 1, 1);
	memcpy(*s + *n, t, (size_t)len + 1);
	*n += (size_t)len;
	free(t);
}

/* One map as a JSON object: its axes and its rows of heats (null: none). */
static void json_map(char **s, size_t *n, const struct heatmap *hm)
{
	char buf[40];
	size_t i, j;
	double h;

	sappend(s, n, "{\"time_start_ns\":%llu,\"time_end_ns\":%llu,"
		"\"time_unit_ns\":%llu,\"addr_start\":%llu,\"addr_end\":%llu,"
		"\"addr_unit\":%llu,\"rows\":%zu,\"cols\":%zu,\"heats\":[",
		(unsigned long long)hm->t0,
		(unsigned long long)(hm->t0 + hm->tu * hm->rows),
		(unsigned long long)hm->tu, (unsigned long long)hm->a0,
		(unsigned long long)(hm->a0 + hm->au * hm->cols),
		(unsigned long long)hm->au, hm->rows, hm->cols);
	for (i = 0; i < hm->rows; i++) {
		sappend(s, n, "%s[", i ? "," : "");
		for (j = 0; j < hm->cols; j++) {
			h = heatmap_at(hm, i, j);
			sappend(s, n, "%s%s", j ? "," : "",
				isnan(h) ? "null" : heatmap_fmt_float(buf, h));
		}
		sappend(s, n, "]");
	}
	sappend(s, n, "]}");
}

/* Draw contiguous region @cr (or the --address-range) of guide @g. */
static int draw(struct damo_ctx *ctx, const struct heatmap_args *a,
		const struct record_guide *g, const struct guide_range *cr,
		char **json, size_t *njson)
{
	struct out *o = cmd_out(ctx);
	struct heatmap hm;
	bool color;
	int err;

	err = heatmap_init(&hm, a->t1 ? a->t0 : g->start_ns,
			   a->t1 ? a->t1 : g->end_ns, cr->start, cr->end,
			   a->rows, a->cols);
	if (err) {
		out_error(o, "the ranges to draw are narrower than the resolution");
		return -CMD_EUSAGE;
	}
	err = bin_record(ctx, a->input, g, &hm);
	if (err)
		goto out;
	color = a->color < 0 ? out_has_color(o) : a->color;
	if (out_is_json(o))
		json_map(json, njson, &hm);
	else if (a->raw_out)
		print_raw(o, &hm, a);
	else
		print_map(o, &hm, a, color);
out:
	heatmap_release(&hm);
	return err;
}

static int draw_all(struct damo_ctx *ctx, const struct heatmap_args *a,
		    const struct record_guide *g)
{
	struct guide_range *cr = xcalloc(g->nr_gaps + 1, sizeof(*cr));
	struct guide_range given = { a->a0, a->a1 };
	char *json = xstrdup("[");
	size_t i, hot = 0, njson = 1;
	int err = 0;

	record_guide_regions(g, cr);
	if (a->a1) {
		err = draw(ctx, a, g, &given, &json, &njson);
	} else if (a->all) {
		for (i = 0; !err && i <= g->nr_gaps; i++) {
			if (i && out_is_json(cmd_out(ctx)))
				sappend(&json, &njson, ",");
			err = draw(ctx, a, g, &cr[i], &json, &njson);
		}
	} else {
		err = hottest_region(ctx, a->input, g, cr, &hot);
		if (!err)
			err = draw(ctx, a, g, &cr[hot], &json, &njson);
	}
	if (!err && out_is_json(cmd_out(ctx))) {
		sappend(&json, &njson, "]\n");
		out_write(cmd_out(ctx), json);
	}
	free(json);
	free(cr);
	return err;
}

int report_heatmap(int argc, char **argv, struct damo_ctx *ctx)
{
	struct heatmap_args a = {
		.ctx = ctx, .input = REPORT_DEFAULT_INPUT, .color = -1,
	};
	struct record_guide *gs = NULL;
	struct report_input in;
	size_t nr = 0, i;
	int err;

	err = cmd_parse(&heatmap_argp, argc, argv, &a);
	if (err)
		return err;
	if (!a.rows) {
		a.rows = a.raw_out ? 500 : 40;
		a.cols = a.raw_out ? 500 : 80;
	}
	err = report_open(ctx, a.input, &in);
	if (err)
		return err;
	err = report_read_guides(&in, &gs, &nr);
	if (err < 0)
		err = report_read_failed(ctx, &in);
	report_close(&in);
	if (err < 0)
		goto out;
	if (a.guide) {
		for (i = 0; i < nr; i++)
			report_print_guide(cmd_out(ctx), &gs[i], true);
		err = 0;
	} else if (!nr || !gs[0].nr_snapshots) {
		out_error(cmd_out(ctx), "'%s' has no snapshot to draw", a.input);
		err = -EINVAL;
	} else {
		err = draw_all(ctx, &a, &gs[0]);
	}
out:
	for (i = 0; i < nr; i++)
		record_guide_release(&gs[i]);
	free(gs);
	return err;
}
