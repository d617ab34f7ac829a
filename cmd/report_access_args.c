/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The options of report access: damo's, with its underscore spellings,
 * parsed into struct access_args (report_access.h); the words of options
 * taking several are in report_access_opts.c.
 */
#include "report_access.h"

#include <argp.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/units.h"
#include "core/xalloc.h"

#define TRIED_WORD "tried_regions_of"

enum {
	OPT_RAW_FORM = 0x700,
	OPT_STYLE,
	OPT_SORT_BY,
	OPT_SORT_DSC,
	OPT_WEIGHTS,
	OPT_PERCENTILES,
	OPT_HIST_RANGES,
	OPT_HIST_LOG,
	OPT_HIST_CUMULATE,
	OPT_HM_WIDTH,
	OPT_HM_COLORSET,
	OPT_HM_STATIC,
	OPT_TOTAL_SZ_ONLY,
	OPT_FORMAT,
	OPT_MIN_CHARS,
	OPT_DONT_MERGE,
	OPT_LS_RECORD_KWS,
	OPT_LS_SNAPSHOT_KWS,
	OPT_LS_REGION_KWS,
	OPT_BOX,
	OPT_BOX_VALUES,
	OPT_BOX_LENGTH,
	OPT_BOX_HEIGHT,
	OPT_BOX_COLORSET,
	OPT_BOX_SCALES,
	OPT_BOX_ALIGN,
	OPT_TRIED_OF,
	/* one per enum access_area, in its order */
	OPT_FORMAT_AREA,
	OPT_FORMAT_AREA_LAST = OPT_FORMAT_AREA + NR_AREAS - 1,
};

static const struct argp_option access_options[] = {
	{ "style", OPT_STYLE, "STYLE", 0,
	  "detailed (default), recency-percentiles, temperature-percentiles, "
	  "recency-sz-hist, temperature-sz-hist, simple-boxes, cold or hot", 0 },
	{ "raw-form", OPT_RAW_FORM, NULL, 0,
	  "Print every region of every snapshot in damo's machine form", 0 },
	CMD_ALIAS("raw_form", OPT_RAW_FORM),
	{ "sort-regions-by", OPT_SORT_BY, "KEY...", 0,
	  "Order regions by address, access_rate, age, size or temperature "
	  "(the last key first)", 0 },
	CMD_ALIAS("sort_regions_by", OPT_SORT_BY),
	{ "sort-regions-dsc", OPT_SORT_DSC, "KEY...", OPTION_ARG_OPTIONAL,
	  "Sort by these keys (KEY... or all, the default) in descending "
	  "order", 0 },
	CMD_ALIAS("sort_regions_dsc", OPT_SORT_DSC),
	{ "temperature-weights", OPT_WEIGHTS, "SZ RATE AGE", 0,
	  "Weights of size, access rate and age in temperatures "
	  "(default 0 100 100)", 0 },
	CMD_ALIAS("temperature_weights", OPT_WEIGHTS),
	{ "percentiles-range", OPT_PERCENTILES, "N...", 0,
	  "Percentiles to show: up to 3 numbers are a Python range, more "
	  "a list (default 0 1 25 50 75 99 100)", 0 },
	CMD_ALIAS("percentiles_range", OPT_PERCENTILES),
	{ "hist-ranges", OPT_HIST_RANGES, "MIN MAX...", 0,
	  "Histogram ranges as pairs of values", 0 },
	CMD_ALIAS("hist_ranges", OPT_HIST_RANGES),
	{ "hist-logscale", OPT_HIST_LOG, NULL, 0,
	  "Histogram ranges doubling in width", 0 },
	CMD_ALIAS("hist_logscale", OPT_HIST_LOG),
	{ "hist-cumulate", OPT_HIST_CUMULATE, NULL, 0,
	  "Histogram ranges all starting at the minimum", 0 },
	CMD_ALIAS("hist_cumulate", OPT_HIST_CUMULATE),
	{ "snapshot-heatmap-width", OPT_HM_WIDTH, "N", 0,
	  "Columns of the snapshot heatmap line (default 80)", 0 },
	CMD_ALIAS("snapshot_heatmap_width", OPT_HM_WIDTH),
	{ "snapshot-heatmap-colorset", OPT_HM_COLORSET, "gray|flame|emotion", 0,
	  "Colours of the snapshot heatmap line (default gray)", 0 },
	CMD_ALIAS("snapshot_heatmap_colorset", OPT_HM_COLORSET),
	{ "snapshot-heatmap-static", OPT_HM_STATIC, NULL, 0,
	  "Scale the heatmap line to the address span, gaps included", 0 },
	CMD_ALIAS("snapshot_heatmap_static", OPT_HM_STATIC),
	{ "total-sz-only", OPT_TOTAL_SZ_ONLY, NULL, 0,
	  "Print only the total size of each snapshot", 0 },
	CMD_ALIAS("total_sz_only", OPT_TOTAL_SZ_ONLY),
	{ "format", OPT_FORMAT, "ACTION AREA TEXT", 0,
	  "set or append TEXT (with <keyword>s) to the template of AREA: "
	  "record_head, snapshot_head, region, snapshot_tail or record_tail", 0 },
	{ "format-record-head", OPT_FORMAT_AREA + AREA_RECORD_HEAD, "TEXT", 0,
	  "The record head template (before --format and the style)", 0 },
	CMD_ALIAS("format_record_head", OPT_FORMAT_AREA + AREA_RECORD_HEAD),
	{ "format-snapshot-head", OPT_FORMAT_AREA + AREA_SNAPSHOT_HEAD, "TEXT", 0,
	  "The snapshot head template", 0 },
	CMD_ALIAS("format_snapshot_head", OPT_FORMAT_AREA + AREA_SNAPSHOT_HEAD),
	{ "format-region", OPT_FORMAT_AREA + AREA_REGION, "TEXT", 0,
	  "The template of each region", 0 },
	CMD_ALIAS("format_region", OPT_FORMAT_AREA + AREA_REGION),
	{ "format-snapshot-tail", OPT_FORMAT_AREA + AREA_SNAPSHOT_TAIL, "TEXT", 0,
	  "The snapshot tail template", 0 },
	CMD_ALIAS("format_snapshot_tail", OPT_FORMAT_AREA + AREA_SNAPSHOT_TAIL),
	{ "format-record-tail", OPT_FORMAT_AREA + AREA_RECORD_TAIL, "TEXT", 0,
	  "The record tail template", 0 },
	CMD_ALIAS("format_record_tail", OPT_FORMAT_AREA + AREA_RECORD_TAIL),
	{ "region-box", OPT_BOX, NULL, 0,
	  "Draw each region as a box (<box>) in the default formats", 0 },
	CMD_ALIAS("region_box", OPT_BOX),
	{ "region-box-values", OPT_BOX_VALUES, "LEN COLOR HEIGHT", 0,
	  "What the box's length, colour and height show: size, access_rate, "
	  "age or none (default age access_rate size)", 0 },
	CMD_ALIAS("region_box_values", OPT_BOX_VALUES),
	{ "region-box-min-max-length", OPT_BOX_LENGTH, "MIN MAX", 0,
	  "Columns of the box (default 1 30)", 0 },
	CMD_ALIAS("region_box_min_max_length", OPT_BOX_LENGTH),
	{ "region-box-min-max-height", OPT_BOX_HEIGHT, "MIN MAX", 0,
	  "Rows of the box (default 1 5)", 0 },
	CMD_ALIAS("region_box_min_max_height", OPT_BOX_HEIGHT),
	{ "region-box-colorset", OPT_BOX_COLORSET, "gray|flame|emotion", 0,
	  "Colours of the box (default gray)", 0 },
	CMD_ALIAS("region_box_colorset", OPT_BOX_COLORSET),
	{ "region-box-scales", OPT_BOX_SCALES, "LEN COLOR HEIGHT", 0,
	  "linear or log, for each (default log linear log)", 0 },
	CMD_ALIAS("region_box_scales", OPT_BOX_SCALES),
	{ "region-box-align", OPT_BOX_ALIGN, "left|right", 0,
	  "Where the box is aligned (default left)", 0 },
	CMD_ALIAS("region_box_align", OPT_BOX_ALIGN),
	{ "tried-regions-of", OPT_TRIED_OF, "K C S", 0,
	  "Show the tried regions of monitor K's context C's scheme S, "
	  "refreshed, instead of a file (repeatable; also '-i "
	  "tried_regions_of K C S')", 0 },
	CMD_ALIAS("tried_regions_of", OPT_TRIED_OF),
	{ "min-chars-for", OPT_MIN_CHARS, "KEYWORD N", 0,
	  "Pad KEYWORD's value to N characters, if damo gives it no width "
	  "of its own (repeatable)", 0 },
	CMD_ALIAS("min_chars_for", OPT_MIN_CHARS),
	{ "dont-merge-regions", OPT_DONT_MERGE, NULL, 0,
	  "Show tried_regions_of's regions unmerged (a record file's are "
	  "always shown as recorded)", 0 },
	CMD_ALIAS("dont_merge_regions", OPT_DONT_MERGE),
	{ "ls-record-format-keywords", OPT_LS_RECORD_KWS, NULL, 0,
	  "List the record head and tail <keyword>s and exit", 0 },
	CMD_ALIAS("ls_record_format_keywords", OPT_LS_RECORD_KWS),
	{ "ls-snapshot-format-keywords", OPT_LS_SNAPSHOT_KWS, NULL, 0,
	  "List the snapshot head and tail <keyword>s and exit", 0 },
	CMD_ALIAS("ls_snapshot_format_keywords", OPT_LS_SNAPSHOT_KWS),
	{ "ls-region-format-keywords", OPT_LS_REGION_KWS, NULL, 0,
	  "List the region <keyword>s and exit", 0 },
	CMD_ALIAS("ls_region_format_keywords", OPT_LS_REGION_KWS),
	{ 0 }
};

struct argp_child access_children[] = {
	{ NULL, 0, NULL, 0 },	/* report_opts_argp(), set at run time */
	{ &report_filter_argp, 0, NULL, 0 },
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

/* K C S of a tried_regions_of: a monitor id, a context, a scheme. */
static void add_tried_of(struct argp_state *state, struct access_args *a,
			 const char *k, const char *c, const char *sc)
{
	struct access_tried_of *t;
	uint64_t ci, si;

	if (a->nr_tried == ARRAY_SIZE(a->tried)) {
		argp_error(state, "tried_regions_of: at most %zu",
			   ARRAY_SIZE(a->tried));
		return;
	}
	t = &a->tried[a->nr_tried];
	if (damo_id_parse(k, &t->id) || units_parse_nr(c, &ci) ||
	    ci > 65535 || units_parse_nr(sc, &si) || si > 65535) {
		argp_error(state, "tried_regions_of: '%s %s %s' is not a monitor "
			   "id (N or eN), a context and a scheme index", k, c,
			   sc);
		return;
	}
	t->ctx = (size_t)ci;
	t->scheme = (size_t)si;
	a->nr_tried++;
}

/* MIN MAX of a box dimension: 0 to 1000 columns or rows, MIN <= MAX. */
static void parse_min_max(struct argp_state *state, const char *arg,
			  uint64_t *min, uint64_t *max)
{
	const char *w;

	if (state->next >= state->argc) {
		argp_error(state, "--region-box-min-max-*: takes MIN MAX");
		return;
	}
	w = state->argv[state->next++];
	if (units_parse_nr(arg, min) || *min > 1000 ||
	    units_parse_nr(w, max) || *max > 1000 || *min > *max)
		argp_error(state, "--region-box-min-max-*: '%s %s' is not MIN "
			   "MAX of 0 to 1000, MIN <= MAX", arg, w);
}

static error_t access_parse(int key, char *arg, struct argp_state *state)
{
	struct access_args *a = state->input;
	struct access_view *v = &a->view;
	uint64_t n;
	int i;

	if (key >= OPT_FORMAT_AREA && key <= OPT_FORMAT_AREA_LAST) {
		v->area_tmpl[key - OPT_FORMAT_AREA] = arg;
		return 0;
	}
	switch (key) {
	case ARGP_KEY_INIT:
		report_child_inputs(state, access_children, a->ctx, &a->ro);
		state->child_inputs[1] = &a->filter;
		return 0;
	case OPT_STYLE:
		i = access_parse_style(arg);
		if (i < 0)
			argp_error(state, "--style: unknown style '%s'", arg);
		else
			v->style = (enum access_style)i;
		a->style_set = true;
		return 0;
	case OPT_RAW_FORM:
		a->raw_form = true;
		return 0;
	case OPT_SORT_BY:
		access_parse_sort(state, arg, v);
		return 0;
	case OPT_SORT_DSC:
		access_parse_sort_dsc(state, arg, v);
		return 0;
	case OPT_WEIGHTS:
		access_parse_weights(state, arg, &v->weights);
		return 0;
	case OPT_PERCENTILES:
		access_parse_percentiles(state, arg, v);
		return 0;
	case OPT_HIST_RANGES:
		access_parse_hist_ranges(state, arg, v);
		return 0;
	case OPT_HIST_LOG:
		v->hist_logscale = true;
		return 0;
	case OPT_HIST_CUMULATE:
		v->hist_cumulate = true;
		return 0;
	case OPT_HM_WIDTH:
		if (units_parse_nr(arg, &n) || !n || n > 10000)
			argp_error(state, "--snapshot-heatmap-width: '%s' is not "
				   "1 to 10000", arg);
		v->heatmap_width = (unsigned int)n;
		return 0;
	case OPT_HM_COLORSET:
		i = !strcmp(arg, "gray") ? 0 : !strcmp(arg, "flame") ? 1 :
			!strcmp(arg, "emotion") ? 2 : -1;
		if (i < 0)
			argp_error(state, "--snapshot-heatmap-colorset: 'gray', "
				   "'flame' or 'emotion', not '%s'", arg);
		v->heatmap_colorset = (unsigned int)(i < 0 ? 0 : i);
		return 0;
	case OPT_HM_STATIC:
		v->heatmap_static = true;
		return 0;
	case OPT_TOTAL_SZ_ONLY:
		v->total_sz_only = true;
		return 0;
	case OPT_FORMAT:
		access_parse_format(state, arg, v);
		return 0;
	case OPT_BOX:
		v->box.on = true;
		return 0;
	case OPT_BOX_VALUES:
		access_parse_box_values(state, arg, &v->box);
		return 0;
	case OPT_BOX_LENGTH:
	case OPT_BOX_HEIGHT:
		parse_min_max(state, arg, key == OPT_BOX_LENGTH ?
			      &v->box.len_min : &v->box.height_min,
			      key == OPT_BOX_LENGTH ?
			      &v->box.len_max : &v->box.height_max);
		return 0;
	case OPT_BOX_COLORSET:
		i = !strcmp(arg, "gray") ? 0 : !strcmp(arg, "flame") ? 1 :
			!strcmp(arg, "emotion") ? 2 : -1;
		if (i < 0)
			argp_error(state, "--region-box-colorset: 'gray', "
				   "'flame' or 'emotion', not '%s'", arg);
		v->box.colorset = (unsigned int)(i < 0 ? 0 : i);
		return 0;
	case OPT_BOX_SCALES:
		access_parse_box_scales(state, arg, &v->box);
		return 0;
	case OPT_BOX_ALIGN:
		if (strcmp(arg, "left") && strcmp(arg, "right"))
			argp_error(state, "--region-box-align: 'left' or "
				   "'right', not '%s'", arg);
		v->box.right = !strcmp(arg, "right");
		return 0;
	case OPT_MIN_CHARS:
		access_parse_min_chars(state, arg, v);
		return 0;
	case OPT_DONT_MERGE:
		a->dont_merge = true;
		return 0;
	case OPT_TRIED_OF:
		if (state->next + 2 > state->argc) {
			argp_error(state, "--tried-regions-of takes K C S");
			return 0;
		}
		add_tried_of(state, a, arg, state->argv[state->next],
			     state->argv[state->next + 1]);
		state->next += 2;
		return 0;
	case OPT_LS_RECORD_KWS:
		a->ls_kws = access_record_kws;
		return 0;
	case OPT_LS_SNAPSHOT_KWS:
		a->ls_kws = access_snapshot_kws;
		return 0;
	case OPT_LS_REGION_KWS:
		a->ls_kws = access_region_kws;
		return 0;
	case ARGP_KEY_ARG:
		/* damo's "-i tried_regions_of K C S": its words come here */
		if (a->ro.input && !strcmp(a->ro.input, TRIED_WORD)) {
			a->tried_words[a->nr_tried_words++] = arg;
			if (a->nr_tried_words == 3) {
				add_tried_of(state, a, a->tried_words[0],
					     a->tried_words[1],
					     a->tried_words[2]);
				a->nr_tried_words = 0;
			}
			return 0;
		}
		argp_error(state, "unexpected argument '%s'", arg);
		return 0;
	case ARGP_KEY_END:
		if (a->ro.input && !strcmp(a->ro.input, TRIED_WORD)) {
			if (a->nr_tried_words || !a->nr_tried)
				argp_error(state, "-i tried_regions_of takes K C S");
			a->ro.input = NULL;
		}
		if (a->nr_tried && a->ro.input)
			argp_error(state, "tried_regions_of and a file exclude "
				   "each other");
		if (a->raw_form && a->style_set)
			argp_error(state, "--raw-form and --style exclude each other");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

const struct argp access_argp = {
	.options = access_options,
	.parser = access_parse,
	.doc = "Print the regions of the snapshots of a record file, of the "
	       "running monitors (without --input) or of a scheme's tried "
	       "regions (-i tried_regions_of K C S).\v"
	       "By default each snapshot is shown as damo shows it: a heatmap "
	       "line of its address space, one line per region (address, "
	       "size, access frequency, age) and the estimated memory "
	       "bandwidth and total size.  --style prints distributions "
	       "instead: per-byte idle time or temperature percentiles, or "
	       "size histograms.  Records without monitoring intervals can "
	       "only be shown with --raw-form or --json.  With --raw-form "
	       "every region is printed in damo's machine form.  With --json "
	       "the records (or, with --style, the style's numbers) come out "
	       "in exact integers.  Record filters narrow what is shown.\n\n"
	       "Examples:\n"
	       "  damo report access -i damon.data.snapshot\n"
	       "  damo report access --style recency-percentiles\n"
	       "  damo report access --style temperature-sz-hist --hist-logscale\n"
	       "  damo report access --sort-regions-by temperature --sort-regions-dsc\n"
	       "  damo report access --raw-form --raw-number\n"
	       "  damo report access --json",
	.children = access_children,
};

