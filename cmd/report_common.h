/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the report types share: the options several take (one argp child),
 * opening the input record file with its errors reported, the one loop
 * feeding a record file into a report model (a snapshot sink of
 * core/report/), and the printers of a distribution and a record guide.
 */
#ifndef DAMO_CMD_REPORT_COMMON_H
#define DAMO_CMD_REPORT_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cmd.h"

#include "core/diag.h"
#include "core/report/dist.h"

struct out;
struct record_guide;
struct record_reader;
struct snap_sink;

#define REPORT_DEFAULT_INPUT "damon.data"

int report_access(int argc, char **argv, struct damo_ctx *ctx);
int report_wss(int argc, char **argv, struct damo_ctx *ctx);
int report_nr_regions(int argc, char **argv, struct damo_ctx *ctx);
int report_record_info(int argc, char **argv, struct damo_ctx *ctx);
int report_heatmap(int argc, char **argv, struct damo_ctx *ctx);
int report_footprint(int argc, char **argv, struct damo_ctx *ctx);
int report_tried(int argc, char **argv, struct damo_ctx *ctx);
int report_times(int argc, char **argv, struct damo_ctx *ctx);
int report_pa_layout(int argc, char **argv, struct damo_ctx *ctx);
int report_sysinfo(int argc, char **argv, struct damo_ctx *ctx);
struct features;
/* The newest kernel release whose DAMON features are all seen, or NULL. */
const char *features_infer_version(const struct features *f);
int report_damon(int argc, char **argv, struct damo_ctx *ctx);
/* taken and refused with what to run instead (cmd/report_refused.c) */
int report_holistic(int argc, char **argv, struct damo_ctx *ctx);
int report_trace(int argc, char **argv, struct damo_ctx *ctx);
int report_profile(int argc, char **argv, struct damo_ctx *ctx);

/* An open input record file and where its reader puts problems. */
/* The progress line of a long read of a record file. */
struct read_progress {
	struct out *out;		/* NULL: none; borrowed */
	const char *path;		/* borrowed */
	const struct record_reader *rd;	/* borrowed */
	double t0;			/* when reading started (monotonic s) */
	double shown;			/* when the line was last shown */
};

struct report_input {
	struct record_reader *rd;
	struct diag diag;
	struct read_progress progress;
};

/*
 * read_progress() - after @nr_snaps snapshots of @p->rd: on a terminal,
 * once reading took a second, a progress line on standard error at most
 * four times a second (bytes of the file read, snapshots, rate, time
 * left); never under --json or --quiet, nor when standard error is not a
 * terminal.  The first call starts the clock; @p zeroed but for out,
 * path and rd.  report_feed() calls it; loops of their own may.
 */
void read_progress(struct read_progress *p, uint64_t nr_snaps);

/* Erase the progress line, if one is shown. */
void read_progress_end(struct read_progress *p);

/*
 * report_keep() - keep what @in reads from now on for report_reopen()
 * (record_spool_start()): for a command that reads a file twice.
 */
void report_keep(struct report_input *in);

/*
 * report_reopen() - @path into @in again for a second reading: from what
 * @first (read whole, closed after) kept when it could, else as
 * report_open().
 */
int report_reopen(struct damo_ctx *ctx, const char *path,
		  struct report_input *first, struct report_input *in);

/*
 * report_open() - record_open() @path into @in, problems reported through
 * the run's output.  Return: 0 (report_close() @in later), or -errno.
 */
int report_open(struct damo_ctx *ctx, const char *path,
		struct report_input *in);

/*
 * report_feed() - every record of @in, then each of its snapshots, into
 * @sink (a report model), until the end, a read error or the sink saying
 * stop.  Return: 0, -EINVAL on a read error (not yet reported:
 * report_read_failed()), or the sink's error.
 */
int report_feed(struct report_input *in, struct snap_sink *sink);

/* Report a read error of @in (record_next*() failed) and return -EINVAL. */
int report_read_failed(struct damo_ctx *ctx, struct report_input *in);

void report_close(struct report_input *in);

/* The options several report types (and adjust) take, parsed into one. */
enum report_opt_set {
	REPORT_OPT_INPUT = 1 << 0,	/* --input/-i FILE */
	REPORT_OPT_INPUT_FP = 1 << 1,	/* the same, for a footprint file */
	REPORT_OPT_RANGE = 1 << 2,	/* --range/-r START STOP STEP */
	REPORT_OPT_SORTBY = 1 << 3,	/* --sortby/-s size|time */
	REPORT_OPT_NR_COLS = 1 << 4,	/* --nr-cols-bar N */
	REPORT_OPT_RAW = 1 << 5,	/* --raw-number */
	REPORT_OPT_WORK_TIME = 1 << 6,	/* --work-time US */
	REPORT_OPT_PLOT = 1 << 7,	/* --plot/-p FILE (.png or .svg) */
};

struct report_opts {
	const char *input;
	struct report_range range;
	bool by_time;
	uint64_t nr_cols_bar;
	bool raw;
	uint64_t work_time_us;
	const char *plot;	/* NULL: print, no image */
};

/* The defaults of struct report_opts (input damon.data, range 0 101 25). */
#define REPORT_OPTS_DEFAULT { .input = REPORT_DEFAULT_INPUT, \
	.range = { 0, 101, 25 }, .nr_cols_bar = 59, .work_time_us = 1 }

/*
 * report_opts_argp() - the options of @set (enum report_opt_set) as an
 * argp child; its input is a struct report_opts holding the defaults.
 */
const struct argp *report_opts_argp(unsigned int set);

/*
 * report_child_inputs() - in a command's ARGP_KEY_INIT: the common options
 * child gets @ctx, every report_opts_argp() child gets @ro.
 */
void report_child_inputs(struct argp_state *state,
			 const struct argp_child *children,
			 struct damo_ctx *ctx, struct report_opts *ro);

/*
 * report_print_dist() - a distribution as wss and footprint print it: the
 * average, then every value (@all: JSON list @all_key) or the percentiles
 * of @ro's range with a bar chart (JSON list "percentiles" of objects
 * {"percentile", @val_key}).  In text, sizes are human unless @ro->raw.
 */
void report_print_dist(struct out *o, const struct report_dist *d,
		       const struct report_opts *ro, bool all,
		       const char *all_key, const char *val_key);

/*
 * --plot (report_plot.c): the points of the distributions a report
 * prints, one line through all of them as damo's gnuplot draws its
 * data file, written to @ro->plot.
 */
struct dist_point;
struct report_plot {
	struct dist_point *pts;
	size_t nr, cap;
};

/* Add @d's points: (percentile, value) of @ro's range, or (index, value). */
void report_plot_add(struct report_plot *pl, const struct report_dist *d,
		     const struct report_opts *ro, bool all);
/*
 * report_plot_write() - draw @pl's points into @ro->plot (PNG or SVG by its
 * extension), the x axis named after @ro's order, the y axis @ylabel
 * (@bytes: sizes); release @pl.  Return: 0, or -errno (reported).
 */
int report_plot_write(struct damo_ctx *ctx, struct report_plot *pl,
		      const struct report_opts *ro, const char *ylabel,
		      bool bytes);

/*
 * report_read_guides() - report_feed() @in to the record-info model
 * (core/report/record_info.h): the guides, merged by ids and sorted as damo
 * sorts them, *@nr of them in *@gs, which the caller releases (also on an
 * error).  Return: 0, or -EINVAL on a read error (not yet reported).
 */
int report_read_guides(struct report_input *in, struct record_guide **gs,
		       size_t *nr);

/* Print guide @g as record-info does (in raw numbers with @raw). */
void report_print_guide(struct out *o, const struct record_guide *g, bool raw);

/* damo's format_sz_accurate into @buf (UNITS_BUFSZ): "127.576196 TiB". */
const char *report_fmt_sz_accurate(char *buf, uint64_t b, bool raw);

#endif /* DAMO_CMD_REPORT_COMMON_H */
