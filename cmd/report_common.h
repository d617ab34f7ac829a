/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the report types share: opening the input record file with its
 * errors reported, damo's --range percentiles and the percentile lookup.
 */
#ifndef DAMO_CMD_REPORT_COMMON_H
#define DAMO_CMD_REPORT_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cmd.h"

#include "core/diag.h"

struct out;
struct record_guide;
struct record_reader;

#define REPORT_DEFAULT_INPUT "damon.data"

/* damo's --range START STOP STEP, a Python range() of percentiles. */
struct report_range {
	long start;
	long stop;
	long step;
};

int report_access(int argc, char **argv, struct damo_ctx *ctx);
int report_wss(int argc, char **argv, struct damo_ctx *ctx);
int report_nr_regions(int argc, char **argv, struct damo_ctx *ctx);
int report_record_info(int argc, char **argv, struct damo_ctx *ctx);
int report_heatmap(int argc, char **argv, struct damo_ctx *ctx);
int report_footprint(int argc, char **argv, struct damo_ctx *ctx);
int report_tried(int argc, char **argv, struct damo_ctx *ctx);

/* An open input record file and where its reader puts problems. */
struct report_input {
	struct record_reader *rd;
	struct diag diag;
};

/*
 * report_open() - record_open() @path into @in, problems reported through
 * the run's output.  Return: 0 (report_close() @in later), or -errno.
 */
int report_open(struct damo_ctx *ctx, const char *path,
		struct report_input *in);

/* Report a read error of @in (record_next*() failed) and return -EINVAL. */
int report_read_failed(struct damo_ctx *ctx, struct report_input *in);

void report_close(struct report_input *in);

/*
 * report_parse_range() - take the three --range words, the first @arg and
 * the next two of @state's argv.  Return: 0, or argp_error()s.
 */
void report_parse_range(struct argp_state *state, const char *arg,
			struct report_range *r);

/* Number of percentiles of @r (Python's len(range(...))). */
size_t report_range_len(const struct report_range *r);

/* The i-th percentile of @r. */
long report_range_at(const struct report_range *r, size_t i);

/* damo's list[min(int(p / 100 * len), len - 1)] for @len values. */
size_t report_percentile_idx(long p, size_t len);

/*
 * report_read_guides() - the guides of every record of @in, merged by ids
 * and sorted as damo sorts them (largest total space first): *@nr of them
 * in *@gs, which the caller releases.  Return: 0, or -EINVAL on a read
 * error (not yet reported).
 */
int report_read_guides(struct report_input *in, struct record_guide **gs,
		       size_t *nr);

/* Print guide @g as record-info does (in raw numbers with @raw). */
void report_print_guide(struct out *o, const struct record_guide *g, bool raw);

/* damo's format_sz_accurate into @buf (UNITS_BUFSZ): "127.576196 TiB". */
const char *report_fmt_sz_accurate(char *buf, uint64_t b, bool raw);

/* Sort @v ascending. */
void report_sort_u64(uint64_t *v, size_t n);

#endif /* DAMO_CMD_REPORT_COMMON_H */
