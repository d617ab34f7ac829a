/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo args accesses_filter: the record filter options of report access
 * and adjust as damo's filter document (JSON as damo indents it, or YAML),
 * to see what a filter line means or to keep it.
 */
#include "cmd.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/report_filter.h"
#include "core/out.h"
#include "core/units.h"

struct af_args {
	struct damo_ctx *ctx;
	struct report_filter filter;
	bool yaml;
	bool raw;
};

enum {
	OPT_FORMAT = 0x7e0,
	OPT_RAW,
};

static const struct argp_option af_options[] = {
	{ "format", OPT_FORMAT, "json|yaml", 0, "Output format (default json)",
	  0 },
	{ "raw", OPT_RAW, NULL, 0, "Plain numbers", 0 },
	{ 0 }
};

static const struct argp_child af_children[] = {
	{ &report_filter_argp, 0, "Filters (as report access takes them):", 1 },
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static error_t af_parse(int key, char *arg, struct argp_state *state)
{
	struct af_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, af_children, a->ctx);
		state->child_inputs[0] = &a->filter;
		return 0;
	case OPT_FORMAT:
		if (!strcmp(arg, "json"))
			a->yaml = false;
		else if (!strcmp(arg, "yaml"))
			a->yaml = true;
		else
			argp_error(state, "--format: '%s' is not json or yaml", arg);
		return 0;
	case OPT_RAW:
		a->raw = true;
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp af_argp = {
	.options = af_options,
	.parser = af_parse,
	.doc = "Print the record filter the options give, as damo's 'args "
	       "accesses_filter' does.\v"
	       "The options are those of 'damo report access' (--sz-region, "
	       "--access-rate, --age, --address, --sz-snapshot, "
	       "--snapshot-time, --snapshot-idx, --temperature); unset ones "
	       "show damo's defaults.\n\n"
	       "Example:\n"
	       "  damo args accesses_filter --sz_region 4K 1G --age 1s max",
	.children = af_children,
};

/*
 * One value of the document: a string (quoted in JSON) or a number.  The
 * document is a fixed shape, so it is written here, in damo's layout:
 * json.dumps(indent=4) or PyYAML's block style.
 */
struct val {
	bool num;
	char s[48];
};

static void v_str(struct val *v, const char *s)
{
	v->num = false;
	snprintf(v->s, sizeof(v->s), "%s", s);
}

static void v_num(struct val *v, const char *s)
{
	v->num = true;
	snprintf(v->s, sizeof(v->s), "%s", s);
}

/* damo's format_time_ns_exact of @us microseconds, or its raw ns */
static void v_us(struct val *v, uint64_t us, bool raw)
{
	char buf[UNITS_BUFSZ];
	unsigned __int128 ns = (unsigned __int128)us * 1000;
	char tmp[48];
	size_t n = 0, i;

	if (!raw) {
		if (us == UINT64_MAX)
			v_str(v, "max");
		else if (!us)
			v_str(v, "0 ns");
		else
			v_str(v, units_fmt_time_exact(buf, us, 1000, false));
		return;
	}
	do {
		tmp[n++] = (char)('0' + (int)(ns % 10));
		ns /= 10;
	} while (ns);
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	v_str(v, buf);
}

static void v_sz(struct val *v, uint64_t b, bool raw)
{
	char buf[UNITS_BUFSZ];

	v_str(v, units_fmt_sz(buf, b, raw));
}

static void v_pct(struct val *v, uint64_t p, bool raw)
{
	char buf[UNITS_BUFSZ], s[UNITS_BUFSZ + 4];

	snprintf(s, sizeof(s), "%s %%", units_fmt_nr(buf, p, raw));
	v_str(v, s);
}

static void v_u64(struct val *v, uint64_t x)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, x);
	v_num(v, buf);
}

static void v_i64(struct val *v, int64_t x)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRId64, x);
	v_num(v, buf);
}

static void put(FILE *f, const struct val *v, bool yaml)
{
	/* YAML quotes a string that would read back as a number */
	if (yaml && !v->num && v->s[0] &&
	    strspn(v->s, "0123456789") == strlen(v->s))
		fprintf(f, "'%s'", v->s);
	else if (v->num || yaml)
		fputs(v->s, f);
	else
		fprintf(f, "\"%s\"", v->s);
}

/* "key": {"min": .., "max": ..} at JSON depth 2 / YAML indent 2 */
static void minmax(FILE *f, bool yaml, const char *key, const struct val *lo,
		   const struct val *hi, bool last)
{
	if (yaml) {
		fprintf(f, "  %s:\n    min: ", key);
		put(f, lo, true);
		fprintf(f, "\n    max: ");
		put(f, hi, true);
		fprintf(f, "\n");
		return;
	}
	fprintf(f, "        \"%s\": {\n            \"min\": ", key);
	put(f, lo, false);
	fprintf(f, ",\n            \"max\": ");
	put(f, hi, false);
	fprintf(f, "\n        }%s\n", last ? "" : ",");
}

/* "key": [[a, b], ...] or null, at the top level */
static void pairs(FILE *f, bool yaml, const char *key, const struct val *v,
		  size_t nr, bool last)
{
	size_t i;

	if (!nr) {
		if (yaml)
			fprintf(f, "%s: null\n", key);
		else
			fprintf(f, "    \"%s\": null%s\n", key, last ? "" : ",");
		return;
	}
	if (yaml) {
		fprintf(f, "%s:\n", key);
		for (i = 0; i < nr; i++) {
			fprintf(f, "- - ");
			put(f, &v[2 * i], true);
			fprintf(f, "\n  - ");
			put(f, &v[2 * i + 1], true);
			fprintf(f, "\n");
		}
		return;
	}
	fprintf(f, "    \"%s\": [\n", key);
	for (i = 0; i < nr; i++) {
		fprintf(f, "        [\n            ");
		put(f, &v[2 * i], false);
		fprintf(f, ",\n            ");
		put(f, &v[2 * i + 1], false);
		fprintf(f, "\n        ]%s\n", i + 1 < nr ? "," : "");
	}
	fprintf(f, "    ]%s\n", last ? "" : ",");
}

static void print_filter(FILE *f, const struct report_filter *fl, bool yaml,
			 bool raw)
{
	const struct report_u64_range *r;
	struct val lo, hi, v[2 * REPORT_MAX_ADDR_RANGES];
	size_t i;

	fputs(yaml ? "access_pattern:\n" : "{\n    \"access_pattern\": {\n", f);
	r = &fl->sz_region;
	v_sz(&lo, r->set ? r->min : 0, raw);
	v_sz(&hi, r->set ? r->max : UINT64_MAX, raw);
	minmax(f, yaml, "sz_bytes", &lo, &hi, false);
	r = &fl->access_rate;
	v_pct(&lo, r->set ? r->min : 0, raw);
	v_pct(&hi, r->set ? r->max : UINT64_MAX, raw);
	minmax(f, yaml, "nr_accesses", &lo, &hi, false);
	r = &fl->age;
	v_us(&lo, r->set ? r->min : 0, raw);
	v_us(&hi, r->set ? r->max : UINT64_MAX, raw);
	minmax(f, yaml, "age", &lo, &hi, true);
	if (!yaml)
		fputs("    },\n", f);
	for (i = 0; i < fl->nr_addr; i++) {
		v_sz(&v[2 * i], fl->addr[i].min, raw);
		v_sz(&v[2 * i + 1], fl->addr[i].max, raw);
	}
	pairs(f, yaml, "address_ranges", v, fl->nr_addr, false);
	v_sz(&v[0], fl->sz_snapshot.min, raw);
	v_sz(&v[1], fl->sz_snapshot.max, raw);
	pairs(f, yaml, "snapshot_sz_ranges", v, fl->sz_snapshot.set, false);
	v_u64(&v[0], fl->snapshot_time.min);
	v_u64(&v[1], fl->snapshot_time.max);
	pairs(f, yaml, "snapshot_time_ranges", v, fl->snapshot_time.set, false);
	v_u64(&v[0], fl->snapshot_idx.min);
	v_u64(&v[1], fl->snapshot_idx.max);
	pairs(f, yaml, "snapshot_index_ranges", v, fl->snapshot_idx.set, false);
	v_i64(&v[0], fl->min_temperature);
	v_i64(&v[1], fl->max_temperature);
	pairs(f, yaml, "temperature_ranges", v, fl->has_temperature, false);
	/* damo's default weights: size 0, access rate 100, age 100 */
	if (yaml)
		/* damo prints PyYAML's text with a newline of its own */
		fputs("temperature_weights:\n- 0\n- 100\n- 100\n\n", f);
	else
		fputs("    \"temperature_weights\": [\n        0,\n        100,\n"
		      "        100\n    ]\n}\n", f);
}

int cmd_args_accesses_filter(int argc, char **argv, struct damo_ctx *ctx)
{
	struct af_args a = { .ctx = ctx };
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int err;

	err = cmd_parse(&af_argp, argc, argv, &a);
	if (err)
		return err;
	/* -j: the JSON document whatever --format says */
	if (out_is_json(cmd_out(ctx)))
		a.yaml = false;
	f = open_memstream(&text, &len);
	if (!f) {
		out_error(cmd_out(ctx), "cannot make the document: %s",
			  strerror(errno));
		return -ENOMEM;
	}
	print_filter(f, &a.filter, a.yaml, a.raw);
	if (fclose(f)) {
		free(text);
		out_error(cmd_out(ctx), "cannot make the document: %s",
			  strerror(errno));
		return -ENOMEM;
	}
	out_write(cmd_out(ctx), text);
	free(text);
	return 0;
}
