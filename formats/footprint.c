/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo's .mem_footprint side file, pulled one entry at a time:
 *   [{"time": <epoch s>, "footprints": [
 *	{"pid": N, "footprint": {"size": pages, "resident": pages, ...}},
 *	{"pid": null, "footprint": {"total": KiB, "free": KiB, ...}}]}, ...]
 */
#include "formats/footprint.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/snapshot.h"
#include "core/xalloc.h"
#include "formats/json_pull.h"
#include "formats/record.h"
#include "formats/record_native.h"
#include "formats/record_internal.h"

#define FP_PAGE_SIZE 4096	/* damo's assumption (its "todo") */

enum fp_state { FP_START, FP_SAMPLES, FP_ENTRIES, FP_DONE };

struct footprint_reader {
	struct record_reader *native;	/* a native record's RSS samples */
	bool native_started;
	uint64_t native_time;
	struct rsrc src;
	struct jpull jp;
	char *path;
	enum fp_state state;
	bool first;		/* no element read yet in the current array */
	bool have_time;
	uint64_t time_ns;
	uint64_t seq;
	int err;
};

/* Whether @path starts with the native record format's magic. */
static bool is_native(const char *path)
{
	char buf[RN_MAGIC_LEN];
	FILE *f = fopen(path, "re");
	bool yes;

	if (!f)
		return false;
	yes = fread(buf, 1, sizeof(buf), f) == sizeof(buf) &&
	      !memcmp(buf, RN_MAGIC, RN_MAGIC_LEN);
	fclose(f);
	return yes;
}

int footprint_open(const char *path, struct footprint_reader **rdp,
		   struct diag *diag)
{
	struct footprint_reader *rd = xcalloc(1, sizeof(*rd));
	int err;

	if (is_native(path)) {
		/* the per-target RSS (and VSZ) samples of a native record */
		err = record_open(path, &rd->native, diag);
		if (err) {
			free(rd);
			return err;
		}
		rd->path = xstrdup(path);
		*rdp = rd;
		return 0;
	}

	err = rsrc_open(&rd->src, path);
	if (err) {
		free(rd);
		return err;
	}
	rd->path = xstrdup(path);
	jpull_init(&rd->jp, &rd->src, rd->path, diag);
	*rdp = rd;
	return 0;
}

void footprint_close(struct footprint_reader *rd)
{
	if (!rd)
		return;
	if (rd->native) {
		record_close(rd->native);
		free(rd->path);
		free(rd);
		return;
	}
	rsrc_close(&rd->src);
	free(rd->path);
	free(rd);
}

static int fail(struct footprint_reader *rd, const char *what)
{
	char buf[96];

	if (rd->jp.failed)
		return rd->err = -EINVAL;
	jpull_describe(&rd->jp, buf, sizeof(buf));
	rd->err = jpull_error(&rd->jp, rd->jp.tline, rd->jp.tcol, NULL,
			      "expected %s, found %s", what, buf);
	return rd->err;
}

/* A non-negative decimal integer (a "1.0" float is cut as damo's int()). */
static int take_u64(struct footprint_reader *rd, uint64_t *v)
{
	char *end;

	if (jpull_next(&rd->jp) != JT_NUMBER || rd->jp.text[0] == '-')
		return fail(rd, "a non-negative number");
	errno = 0;
	*v = strtoull(rd->jp.text, &end, 10);
	if (errno || (*end && *end != '.' && *end != 'e' && *end != 'E'))
		return fail(rd, "an integer");
	return 0;
}

/* Epoch seconds with a fraction, exactly into nanoseconds. */
static int take_time(struct footprint_reader *rd)
{
	const char *p;
	uint64_t sec, ns = 0, scale = 100000000;
	char *end;

	if (jpull_next(&rd->jp) != JT_NUMBER || rd->jp.text[0] == '-')
		return fail(rd, "a time in seconds");
	errno = 0;
	sec = strtoull(rd->jp.text, &end, 10);
	if (errno || sec > UINT64_MAX / 1000000000 || (*end && *end != '.'))
		return fail(rd, "a time in seconds (no exponent)");
	for (p = *end ? end + 1 : end; *p >= '0' && *p <= '9'; p++) {
		ns += (uint64_t)(*p - '0') * scale;
		scale /= 10;
	}
	if (*p)
		return fail(rd, "a time in seconds");
	rd->time_ns = sec * 1000000000 + ns;
	rd->have_time = true;
	return 0;
}

static int take_footprint(struct footprint_reader *rd,
			  struct footprint_sample *s)
{
	uint64_t total = 0, free_kb = 0, v;
	bool first = true;
	int r;

	if (jpull_expect(&rd->jp, JT_LBRACE, "a footprint object"))
		return rd->err = -EINVAL;
	while ((r = jpull_obj_key(&rd->jp, first)) == 1) {
		first = false;
		if (!strcmp(rd->jp.key, "size") ||
		    !strcmp(rd->jp.key, "resident") ||
		    !strcmp(rd->jp.key, "total") || !strcmp(rd->jp.key, "free")) {
			if (take_u64(rd, &v))
				return rd->err;
			if (!strcmp(rd->jp.key, "size"))
				s->vsz = v * FP_PAGE_SIZE;
			else if (!strcmp(rd->jp.key, "resident"))
				s->rss = v * FP_PAGE_SIZE;
			else if (!strcmp(rd->jp.key, "total"))
				total = v;
			else
				free_kb = v;
		} else if (jpull_skip(&rd->jp)) {
			return rd->err = -EINVAL;
		}
	}
	if (r < 0)
		return rd->err = -EINVAL;
	s->sys_used = total > free_kb ? (total - free_kb) * 1024 : 0;
	return 0;
}

/* One {"pid": ..., "footprint": {...}} entry. */
static int take_entry(struct footprint_reader *rd, struct footprint_sample *s)
{
	bool first = true;
	uint64_t pid;
	int r;

	memset(s, 0, sizeof(*s));
	s->pid = FOOTPRINT_SYSTEM;
	s->time_ns = rd->time_ns;
	s->seq = rd->seq;
	if (jpull_expect(&rd->jp, JT_LBRACE, "a footprint entry"))
		return rd->err = -EINVAL;
	while ((r = jpull_obj_key(&rd->jp, first)) == 1) {
		first = false;
		if (!strcmp(rd->jp.key, "pid")) {
			if (jpull_peek(&rd->jp) == JT_NULL) {
				jpull_next(&rd->jp);
				continue;
			}
			if (take_u64(rd, &pid))
				return rd->err;
			s->pid = (int64_t)pid;
		} else if (!strcmp(rd->jp.key, "footprint")) {
			if (take_footprint(rd, s))
				return rd->err;
		} else if (jpull_skip(&rd->jp)) {
			return rd->err = -EINVAL;
		}
	}
	if (r < 0)
		return rd->err = -EINVAL;
	if (s->pid == FOOTPRINT_SYSTEM)
		s->vsz = s->rss = 0;
	else
		s->sys_used = 0;
	return 0;
}

/* Enter the next sample, up to its "footprints" list: 1, 0 at the end. */
static int next_sample(struct footprint_reader *rd)
{
	bool first = true;
	int r;

	r = jpull_arr_more(&rd->jp, rd->first);
	rd->first = false;
	if (r <= 0)
		return r < 0 ? (rd->err = -EINVAL) : 0;
	if (jpull_expect(&rd->jp, JT_LBRACE, "a footprint sample"))
		return rd->err = -EINVAL;
	rd->have_time = false;
	while ((r = jpull_obj_key(&rd->jp, first)) == 1) {
		first = false;
		if (!strcmp(rd->jp.key, "time")) {
			if (take_time(rd))
				return rd->err;
		} else if (!strcmp(rd->jp.key, "footprints")) {
			if (!rd->have_time)
				return rd->err = jpull_error(&rd->jp, rd->jp.kline,
						   rd->jp.kcol, NULL,
						   "\"footprints\" before \"time\"");
			if (jpull_expect(&rd->jp, JT_LBRACK, "a list"))
				return rd->err = -EINVAL;
			rd->state = FP_ENTRIES;
			rd->first = true;
			return 1;
		} else if (jpull_skip(&rd->jp)) {
			return rd->err = -EINVAL;
		}
	}
	if (r < 0)
		return rd->err = -EINVAL;
	return rd->err = jpull_error(&rd->jp, rd->jp.tline, rd->jp.tcol, NULL,
			   "footprint sample without \"footprints\"");
}

/* After a sample's list: the rest of its object. */
static int end_sample(struct footprint_reader *rd)
{
	int r;

	while ((r = jpull_obj_key(&rd->jp, false)) == 1) {
		if (jpull_skip(&rd->jp))
			return rd->err = -EINVAL;
	}
	if (r < 0)
		return rd->err = -EINVAL;
	rd->seq++;
	rd->state = FP_SAMPLES;
	return 0;
}

/* A native record's samples: one sampling time per distinct time. */
static int native_next(struct footprint_reader *rd, struct footprint_sample *s)
{
	struct record_rss rss;
	int r = record_next_rss(rd->native, &rss);

	if (r <= 0)
		return r;
	if (rd->native_started && rss.time_ns != rd->native_time)
		rd->seq++;
	rd->native_started = true;
	rd->native_time = rss.time_ns;
	memset(s, 0, sizeof(*s));
	s->time_ns = rss.time_ns;
	s->seq = rd->seq;
	s->pid = rss.target_id == SNAP_NONE ? 0 : (int64_t)rss.target_id;
	s->rss = rss.rss_bytes == SNAP_NONE ? 0 : rss.rss_bytes;
	s->vsz = rss.vsz_bytes == SNAP_NONE ? 0 : rss.vsz_bytes;
	return 1;
}

int footprint_next(struct footprint_reader *rd, struct footprint_sample *s)
{
	int r;

	if (rd->native)
		return native_next(rd, s);
	if (rd->err)
		return rd->err;
	for (;;) {
		switch (rd->state) {
		case FP_START:
			if (jpull_expect(&rd->jp, JT_LBRACK, "a list of samples"))
				return rd->err = -EINVAL;
			rd->state = FP_SAMPLES;
			rd->first = true;
			break;
		case FP_SAMPLES:
			r = next_sample(rd);
			if (r < 0)
				return r;
			if (!r) {
				if (jpull_next(&rd->jp) != JT_EOF)
					return fail(rd, "end of input");
				rd->state = FP_DONE;
				return 0;
			}
			break;
		case FP_ENTRIES:
			r = jpull_arr_more(&rd->jp, rd->first);
			rd->first = false;
			if (r < 0)
				return rd->err = -EINVAL;
			if (r)
				return take_entry(rd, s) ? rd->err : 1;
			if (end_sample(rd))
				return rd->err;
			break;
		default:
			return 0;
		}
	}
}
