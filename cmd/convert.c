/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo convert: rewrite a record file, of any format the readers read, as
 * damo's json or json_compressed or as the native format, one snapshot at
 * a time.
 */
#include "cmd.h"
#include "report_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/out.h"
#include "core/safefile.h"
#include "core/snapshot.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "formats/record.h"
#include "formats/record_write.h"

struct convert_args {
	struct damo_ctx *ctx;
	const char *input;
	const char *output;
	enum record_format fmt;
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
	  0, "json_compressed (default), json or native", 0 },
	CMD_ALIAS("output_type", OPT_FORMAT),
	CMD_ALIAS("output-type", OPT_FORMAT),
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
		if (!strcmp(arg, "json"))
			a->fmt = RECORD_FMT_JSON;
		else if (!strcmp(arg, "json_compressed"))
			a->fmt = RECORD_FMT_JSON_COMPRESSED;
		else if (!strcmp(arg, "native"))
			a->fmt = RECORD_FMT_NATIVE;
		else
			argp_error(state, "--format: '%s' is not a format damo can write (json_compressed, json or native)",
				   arg);
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
	.doc = "Convert a record file to damo's json or json_compressed, or "
	       "to the native format.\v"
	       "IN may be in any format the report commands read (json, "
	       "json_compressed, native, perf script or trace-cmd report "
	       "text, the legacy binary), sniffed from its first bytes; a "
	       "cut native file is read up to its last whole chunk, with a "
	       "warning.  Side samples (RSS) of a native file have no place "
	       "in damo's formats and are not copied.  Records and "
	       "snapshots are copied one snapshot at a time; nothing is "
	       "written to OUT unless all of IN reads, and an existing "
	       "OUT is renamed OUT.old.\n\n"
	       "Examples:\n"
	       "  damo convert perf.data.script -o damon.data\n"
	       "  damo convert damon.data --format json -o damon.json\n"
	       "  damo convert damon.json --format native -o damon.native",
	.children = convert_children,
};

/* Copy every record of @rd into @w.  Return: 0 or -errno (in the diags). */
static int copy_records(struct record_reader *rd, struct record_writer *w,
			struct convert_counts *c, struct read_progress *p)
{
	const struct record_meta *meta;
	struct snapshot snap;
	size_t rec;
	int err;

	struct record_rss rss;

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
			if (!(c->snapshots & 15))
				read_progress(p, c->snapshots);
		}
		if (err < 0)
			goto out;
	}
	/* Records are added in the reader's order: the indexes carry over. */
	while (!err && (err = record_next_rss(rd, &rss)) > 0)
		err = record_writer_rss(w, rss.rec, rss.time_ns, rss.rss_bytes,
					rss.vsz_bytes);
out:
	read_progress_end(p);
	snapshot_release(&snap);
	return err;
}

static void print_summary(struct out *o, const struct convert_args *a,
			  const char *in_fmt, const struct convert_counts *c)
{
	char rn[UNITS_BUFSZ], sn[UNITS_BUFSZ], gn[UNITS_BUFSZ];
	const char *fmt = record_format_name(a->fmt);

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

/*
 * The native writer writes where it is told as it goes: give it a new
 * temporary name next to OUT (never a file that was there: a user's own
 * OUT.tmp is theirs), and put that in place (an existing OUT renamed OUT.old) only once the
 * whole input is in it, as the damo formats' writer does.
 */
static int native_into_place(const char *tmp, const char *out,
			     struct diag *d)
{
	struct stat st;
	char *old;
	int err = 0;

	if (!lstat(out, &st)) {
		old = xasprintf("%s.old", out);
		if (rename(out, old))
			err = -errno;
		free(old);
		if (err) {
			diag_add_at(d, out, 0, 0, "", "cannot rename it to '.old': %s",
				    strerror(-err));
			return err;
		}
	}
	if (rename(tmp, out)) {
		err = -errno;
		diag_add_at(d, tmp, 0, 0, "", "cannot rename it into place: %s",
			    strerror(-err));
	}
	return err;
}

int cmd_convert(int argc, char **argv, struct damo_ctx *ctx)
{
	struct convert_args a = { .ctx = ctx, .fmt = RECORD_FMT_JSON_COMPRESSED };
	struct convert_counts c = { 0 };
	struct read_progress progress;
	struct record_reader *rd = NULL;
	struct record_writer *w;
	const char *in_fmt;
	char *tmp = NULL;
	struct stat st;
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
	cmd_warn_diag(cmd_out(ctx), &d);
	in_fmt = record_format_name(record_format(rd));
	if (a.fmt == RECORD_FMT_NATIVE) {
		if (!stat(a.output, &st) && S_ISDIR(st.st_mode)) {
			diag_add_at(&d, a.output, 0, 0, "",
				    "cannot write a record there: %s",
				    strerror(EISDIR));
			err = -EISDIR;
			goto out;
		}
		tmp = safefile_tmp_name(a.output);
		if (!tmp) {
			diag_add_at(&d, a.output, 0, 0, "",
				    "no free temporary name next to it");
			err = -EEXIST;
			goto out;
		}
		w = record_writer_open(tmp, a.fmt, &d);
	} else {
		w = record_writer_open(a.output, a.fmt, &d);
	}
	progress = (struct read_progress){
		.out = cmd_out(ctx), .path = a.input, .rd = rd,
	};
	read_progress(&progress, 0);
	err = copy_records(rd, w, &c, &progress);
	if (!err)
		err = record_writer_finish(w);
	record_writer_free(w);
	if (tmp && !err)
		err = native_into_place(tmp, a.output, &d);
	if (tmp && err)
		unlink(tmp);
	if (err && !d.nr)
		diag_add(&d, a.input, "cannot convert: %s", strerror(-err));
	if (!err)
		print_summary(cmd_out(ctx), &a, in_fmt, &c);
out:
	if (err)
		cmd_report(cmd_out(ctx), &d);
	record_close(rd);
	diag_release(&d);
	free(tmp);
	return err;
}
