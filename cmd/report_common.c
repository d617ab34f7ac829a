/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the report types: input, --range and percentiles. */
#include "report_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/out.h"
#include "core/record_guide.h"
#include "core/snapshot.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "formats/record.h"

int report_open(struct damo_ctx *ctx, const char *path,
		struct report_input *in)
{
	int err;

	diag_init(&in->diag);
	err = record_open(path, &in->rd, &in->diag);
	if (err) {
		if (in->diag.nr)
			cmd_report(cmd_out(ctx), &in->diag);
		else
			out_error(cmd_out(ctx), "cannot read '%s': %s", path,
				  strerror(-err));
		diag_release(&in->diag);
		return err;
	}
	/* A cut native file: say so, and read what is there. */
	cmd_warn_diag(cmd_out(ctx), &in->diag);
	return 0;
}

int report_read_failed(struct damo_ctx *ctx, struct report_input *in)
{
	if (in->diag.nr)
		cmd_report(cmd_out(ctx), &in->diag);
	else
		out_error(cmd_out(ctx), "cannot read the record file");
	return -EINVAL;
}

void report_close(struct report_input *in)
{
	record_close(in->rd);
	diag_release(&in->diag);
}

static long parse_long(struct argp_state *state, const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end)
		argp_error(state, "--range: '%s' is not an integer", s);
	return v;
}

void report_parse_range(struct argp_state *state, const char *arg,
			struct report_range *r)
{
	if (state->next + 2 > state->argc) {
		argp_error(state, "--range takes START STOP STEP");
		return;
	}
	r->start = parse_long(state, arg);
	r->stop = parse_long(state, state->argv[state->next]);
	r->step = parse_long(state, state->argv[state->next + 1]);
	state->next += 2;
	if (!r->step)
		argp_error(state, "--range: STEP must not be zero");
}

size_t report_range_len(const struct report_range *r)
{
	if (r->step > 0 && r->start < r->stop)
		return (size_t)((r->stop - r->start - 1) / r->step + 1);
	if (r->step < 0 && r->start > r->stop)
		return (size_t)((r->start - r->stop - 1) / -r->step + 1);
	return 0;
}

long report_range_at(const struct report_range *r, size_t i)
{
	return r->start + (long)i * r->step;
}

size_t report_percentile_idx(long p, size_t len)
{
	/* float math as damo's int(p / 100 * len), then clamped */
	double x = (double)p / 100.0 * (double)len;
	long long i = (long long)x;

	if (i < 0)
		i += (long long)len;	/* Python's negative index */
	if (i < 0)
		i = 0;
	if ((size_t)i > len - 1)
		i = (long long)len - 1;
	return (size_t)i;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void report_sort_u64(uint64_t *v, size_t n)
{
	if (n)
		qsort(v, n, sizeof(*v), cmp_u64);
}

/* damo's stable sort by total contiguous space, largest first. */
static void sort_guides(struct record_guide *gs, size_t nr)
{
	struct record_guide t;
	size_t i, j;

	for (i = 1; i < nr; i++) {
		t = gs[i];
		for (j = i; j && record_guide_space(&gs[j - 1]) <
				 record_guide_space(&t); j--)
			gs[j] = gs[j - 1];
		gs[j] = t;
	}
}

/* Guides of every record of @in, merged by ids; *@nr of them. */
int report_read_guides(struct report_input *in, struct record_guide **gs,
		       size_t *nr)
{
	const struct record_meta *meta;
	struct record_guide *g;
	struct snapshot snap;
	size_t i;
	int err;

	snapshot_init(&snap);
	while ((err = record_next(in->rd, &meta)) == 1) {
		for (i = 0; i < *nr; i++)
			if (record_guide_is_of(&(*gs)[i], meta))
				break;
		if (i == *nr) {
			*gs = xreallocarray(*gs, *nr + 1, sizeof(**gs));
			record_guide_init(&(*gs)[(*nr)++], meta);
		}
		g = &(*gs)[i];
		while ((err = record_next_snapshot(in->rd, &snap)) == 1)
			record_guide_add(g, meta, &snap);
		if (err < 0)
			break;
	}
	snapshot_release(&snap);
	if (err >= 0)
		sort_guides(*gs, *nr);
	return err;
}

/* damo's format_sz_accurate: "127.576196 TiB". */
const char *report_fmt_sz_accurate(char *buf, uint64_t b, bool raw)
{
	static const char *const units[] = { "EiB", "PiB", "TiB", "GiB",
					     "MiB", "KiB" };
	unsigned int i, shift;

	if (raw || b < 1024) {
		snprintf(buf, UNITS_BUFSZ, raw ? "%llu" : "%llu B",
			 (unsigned long long)b);
		return buf;
	}
	for (i = 0; i < ARRAY_SIZE(units); i++) {
		shift = 60 - 10 * i;
		if (b > (1ULL << shift))
			break;
	}
	if (i == ARRAY_SIZE(units)) {
		snprintf(buf, UNITS_BUFSZ, "%llu B", (unsigned long long)b);
		return buf;
	}
	snprintf(buf, UNITS_BUFSZ, "%f %s", (double)b / (double)(1ULL << shift),
		 units[i]);
	return buf;
}
