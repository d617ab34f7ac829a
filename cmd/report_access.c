/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo report access: the regions of each snapshot of a record file
 * (damo-compat.md §4.1).  Only --raw-form and a plain --json list are
 * implemented; damo's default "detailed" view is not (yet).
 */
#include "report_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/out.h"
#include "core/snapshot.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "formats/record.h"

/* damo's pager: text of more newlines than this is shown as is (§0). */
#define ACCESS_PAGER_LINES 50

struct access_args {
	struct damo_ctx *ctx;
	const char *input;
	bool raw_form;
	bool raw;
};

enum {
	OPT_RAW_FORM = 0x700,
	OPT_RAW,
};

static const struct argp_option access_options[] = {
	{ "input", 'i', "FILE", 0, "Record file (default damon.data)", 0 },
	{ "raw-form", OPT_RAW_FORM, NULL, 0,
	  "Print every region of every snapshot in damo's machine form", 0 },
	{ "raw_form", OPT_RAW_FORM, NULL, OPTION_ALIAS | OPTION_HIDDEN,
	  NULL, 0 },
	{ "raw-number", OPT_RAW, NULL, 0, "Plain times and byte counts", 0 },
	{ "raw_number", OPT_RAW, NULL, OPTION_ALIAS | OPTION_HIDDEN, NULL, 0 },
	{ 0 }
};

static const struct argp_child access_children[] = {
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static error_t access_parse(int key, char *arg, struct argp_state *state)
{
	struct access_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, access_children, a->ctx);
		return 0;
	case 'i':
		a->input = arg;
		return 0;
	case OPT_RAW_FORM:
		a->raw_form = true;
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

static const struct argp access_argp = {
	.options = access_options,
	.parser = access_parse,
	.doc = "Print the regions of the snapshots of a record file.\v"
	       "With --raw-form every snapshot of every record is printed "
	       "with its times relative to the record's first snapshot, then "
	       "one line per region: address range, size, samples with "
	       "access and age in aggregation intervals (-1 when not "
	       "recorded).  With --json the records are a list of regions per "
	       "snapshot in exact integers.  damo's default detailed view is "
	       "not implemented: without --raw-form or --json, records lacking "
	       "intervals are refused as damo refuses them and other records "
	       "are refused too.\n\n"
	       "Examples:\n"
	       "  damo report access --raw-form\n"
	       "  damo report access --input damon.data --raw-form --raw-number\n"
	       "  damo report access --json",
	.children = access_children,
};

static long long opt_ll(uint64_t v)
{
	return v == SNAP_NONE ? -1 : (long long)v;
}

static void raw_snapshot(FILE *f, const struct record_meta *meta,
			 const struct snapshot *s, uint64_t base, bool raw)
{
	char buf[UNITS_BUFSZ];
	uint64_t start = s->start_ns == SNAP_NONE ? base : s->start_ns;
	size_t i;

	fprintf(f, "monitoring_start:    %16s\n",
		units_fmt_time(buf, start - base, UNITS_NS, raw));
	fprintf(f, "monitoring_end:      %16s\n",
		units_fmt_time(buf, s->end_ns - base, UNITS_NS, raw));
	fprintf(f, "monitoring_duration: %16s\n",
		units_fmt_time(buf, s->end_ns - start, UNITS_NS, raw));
	if (meta->target_id == SNAP_NONE)	/* damo's None */
		fprintf(f, "target_id: None\n");
	else
		fprintf(f, "target_id: %llu\n",
			(unsigned long long)meta->target_id);
	fprintf(f, "nr_regions: %zu\n", s->nr_regions);
	fprintf(f, "# start_addr     end_addr        length  nr_accesses   age\n");
	for (i = 0; i < s->nr_regions; i++) {
		const struct snap_region *r = &s->regions[i];

		fprintf(f, "%012llx-%012llx (%12s) %11lld %5lld\n",
			(unsigned long long)r->start,
			(unsigned long long)r->end,
			units_fmt_sz(buf, r->end - r->start, raw),
			opt_ll(r->nr_accesses), opt_ll(r->age));
	}
	fprintf(f, "\n");
}

static void json_snapshot(struct out *o, const struct snapshot *s)
{
	size_t i;

	out_begin_obj(o, NULL);
	if (s->start_ns == SNAP_NONE)
		out_null(o, "start_time");
	else
		out_u64(o, "start_time", s->start_ns);
	out_u64(o, "end_time", s->end_ns);
	out_begin_list(o, "regions");
	for (i = 0; i < s->nr_regions; i++) {
		const struct snap_region *r = &s->regions[i];

		out_begin_obj(o, NULL);
		out_u64(o, "start", r->start);
		out_u64(o, "end", r->end);
		if (r->nr_accesses == SNAP_NONE)
			out_null(o, "nr_accesses");
		else
			out_u64(o, "nr_accesses", r->nr_accesses);
		if (r->age == SNAP_NONE)
			out_null(o, "age");
		else
			out_u64(o, "age", r->age);
		out_end_obj(o);
	}
	out_end_list(o);
	out_end_obj(o);
}

/* Print @text as damo's pager helper does: see ACCESS_PAGER_LINES. */
static void print_paged(struct out *o, const char *text)
{
	size_t nl = 0;
	const char *p;

	for (p = text; *p; p++)
		nl += *p == '\n';
	out_write(o, text);
	if (nl <= ACCESS_PAGER_LINES)
		out_write(o, "\n");
}

static int read_records(struct access_args *a, struct report_input *in,
			struct out *o, FILE *f)
{
	const struct record_meta *meta;
	struct snapshot snap;
	uint64_t base = 0;
	bool refused = false;
	size_t idx;
	int err;

	snapshot_init(&snap);
	while ((err = record_next(in->rd, &meta)) == 1) {
		if (out_is_json(o)) {
			out_begin_obj(o, NULL);
			if (meta->target_id == SNAP_NONE)
				out_null(o, "target_id");
			else
				out_u64(o, "target_id", meta->target_id);
			out_begin_list(o, "snapshots");
		} else if (!a->raw_form && !meta->has_intervals) {
			out_error(o, "some records lack the intervals information");
			refused = true;
			err = -EINVAL;
			break;
		} else if (!a->raw_form) {
			out_error(o, "the default 'report access' view is not "
				  "implemented; use --raw-form or --json");
			refused = true;
			err = -EINVAL;
			break;
		}
		for (idx = 0; (err = record_next_snapshot(in->rd, &snap)) == 1;
		     idx++) {
			if (out_is_json(o)) {
				json_snapshot(o, &snap);
				continue;
			}
			if (!idx) {
				base = snap.start_ns == SNAP_NONE ? 0 :
					snap.start_ns;
				fprintf(f, "base_time_absolute: %s\n",
					units_fmt_time((char[UNITS_BUFSZ]){ 0 },
						       base, UNITS_NS, a->raw));
				fprintf(f, "data source: %s\n\n",
					meta->data_source ? meta->data_source :
					"unknown");
			}
			raw_snapshot(f, meta, &snap, base, a->raw);
		}
		if (out_is_json(o)) {
			out_end_list(o);
			out_end_obj(o);
		}
		if (err < 0)
			break;
	}
	if (err < 0 && !refused)
		err = report_read_failed(a->ctx, in);
	snapshot_release(&snap);
	return err < 0 ? err : 0;
}

int report_access(int argc, char **argv, struct damo_ctx *ctx)
{
	struct access_args a = { .ctx = ctx, .input = REPORT_DEFAULT_INPUT };
	struct report_input in;
	struct out *o;
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int err;

	err = cmd_parse(&access_argp, argc, argv, &a);
	if (err)
		return err;
	err = report_open(ctx, a.input, &in);
	if (err)
		return err;
	o = cmd_out(ctx);
	f = open_memstream(&text, &len);
	if (!f) {
		out_error(o, "out of memory");
		report_close(&in);
		return -ENOMEM;
	}
	if (out_is_json(o))
		out_begin_list(o, NULL);
	err = read_records(&a, &in, o, f);
	if (out_is_json(o))
		out_end_list(o);
	fprintf(f, "\n");
	fclose(f);
	if (!err && !out_is_json(o))
		print_paged(o, text);
	free(text);
	report_close(&in);
	return err;
}
