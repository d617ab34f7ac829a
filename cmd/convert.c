/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo convert: rewrite a record file, of any format the readers read, as
 * damo's json or json_compressed, one snapshot at a time.
 */
#include "cmd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/out.h"
#include "core/snapshot.h"
#include "core/units.h"
#include "formats/record.h"
#include "formats/record_write.h"

struct convert_args {
	struct damo_ctx *ctx;
	const char *input;
	const char *output;
	bool compress;
};

struct convert_counts {
	uint64_t records;
	uint64_t snapshots;
	uint64_t regions;
};

enum {
	OPT_FORMAT = 0x540,
};

static const struct argp_option convert_options[] = {
	{ "output", 'o', "OUT", 0, "The file to write (required)", 0 },
	{ "format", OPT_FORMAT, "FORMAT",
	  0, "json_compressed (default) or json", 0 },
	{ "output_type", OPT_FORMAT, "FORMAT", OPTION_ALIAS | OPTION_HIDDEN,
	  NULL, 0 },
	{ "output-type", OPT_FORMAT, "FORMAT", OPTION_ALIAS | OPTION_HIDDEN,
	  NULL, 0 },
	{ 0 }
};

static const struct argp_child convert_children[] = {
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static error_t convert_parse(int key, char *arg, struct argp_state *state)
{
	struct convert_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, convert_children, a->ctx);
		return 0;
	case 'o':
		a->output = arg;
		return 0;
	case OPT_FORMAT:
		if (strcmp(arg, "json") && strcmp(arg, "json_compressed"))
			argp_error(state, "--format: '%s' is not a format damo can write (json_compressed or json)",
				   arg);
		a->compress = strcmp(arg, "json");
		return 0;
	case ARGP_KEY_ARG:
		if (a->input)
			argp_error(state, "unexpected argument '%s'", arg);
		a->input = arg;
		return 0;
	case ARGP_KEY_END:
		if (!a->input)
			argp_error(state, "no input record file given");
		if (!a->output)
			argp_error(state, "-o/--output is required");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp convert_argp = {
	.options = convert_options,
	.parser = convert_parse,
	.args_doc = "IN",
	.doc = "Convert a record file to damo's json or json_compressed.\v"
	       "IN may be in any format the report commands read (json, "
	       "json_compressed, perf script or trace-cmd report text, the "
	       "legacy binary), sniffed from its first bytes.  Records and "
	       "snapshots are copied one snapshot at a time; nothing is "
	       "written to OUT unless all of IN reads, and an existing "
	       "OUT is renamed OUT.old.\n\n"
	       "Examples:\n"
	       "  damo convert perf.data.script -o damon.data\n"
	       "  damo convert damon.data --format json -o damon.json",
	.children = convert_children,
};

/* Copy every record of @rd into @w.  Return: 0 or -errno (in the diags). */
static int copy_records(struct record_reader *rd, struct record_writer *w,
			struct convert_counts *c)
{
	const struct record_meta *meta;
	struct snapshot snap;
	size_t rec;
	int err;

	snapshot_init(&snap);
	while ((err = record_next(rd, &meta)) > 0) {
		rec = record_writer_add(w, meta);
		c->records++;
		while ((err = record_next_snapshot(rd, &snap)) > 0) {
			err = record_writer_snapshot(w, rec, &snap);
			if (err)
				goto out;
			c->snapshots++;
			c->regions += snap.nr_regions;
		}
		if (err < 0)
			goto out;
	}
out:
	snapshot_release(&snap);
	return err;
}

static void print_summary(struct out *o, const struct convert_args *a,
			  const char *in_fmt, const struct convert_counts *c)
{
	char rn[UNITS_BUFSZ], sn[UNITS_BUFSZ], gn[UNITS_BUFSZ];
	const char *fmt = a->compress ? "json_compressed" : "json";

	if (!out_is_json(o)) {
		out_text(o, "converted %s records with %s snapshots and %s regions from '%s' (%s) to '%s' (%s)\n",
			 units_fmt_nr(rn, c->records, false),
			 units_fmt_nr(sn, c->snapshots, false),
			 units_fmt_nr(gn, c->regions, false),
			 a->input, in_fmt, a->output, fmt);
		return;
	}
	out_begin_obj(o, NULL);
	out_str(o, "input", a->input);
	out_str(o, "input_format", in_fmt);
	out_str(o, "output", a->output);
	out_str(o, "format", fmt);
	out_u64(o, "records", c->records);
	out_u64(o, "snapshots", c->snapshots);
	out_u64(o, "regions", c->regions);
	out_end_obj(o);
}

int cmd_convert(int argc, char **argv, struct damo_ctx *ctx)
{
	struct convert_args a = { .ctx = ctx, .compress = true };
	struct convert_counts c = { 0 };
	struct record_reader *rd = NULL;
	struct record_writer *w;
	const char *in_fmt;
	struct diag d;
	int err;

	err = cmd_parse(&convert_argp, argc, argv, &a);
	if (err)
		return err;
	diag_init(&d);
	err = record_open(a.input, &rd, &d);
	if (err) {
		if (!d.nr)
			diag_add(&d, a.input, "cannot read: %s", strerror(-err));
		goto out;
	}
	in_fmt = record_format_name(record_format(rd));
	w = record_writer_new(a.output, a.compress, &d);
	err = copy_records(rd, w, &c);
	if (!err)
		err = record_writer_finish(w);
	record_writer_free(w);
	if (err && !d.nr)
		diag_add(&d, a.input, "cannot convert: %s", strerror(-err));
	if (!err)
		print_summary(cmd_out(ctx), &a, in_fmt, &c);
out:
	if (err)
		cmd_report(cmd_out(ctx), &d);
	record_close(rd);
	diag_release(&d);
	return err;
}
