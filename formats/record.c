/* SPDX-License-Identifier: GPL-2.0 */
/* Record files: sniff the format from the content and dispatch to a reader. */
#include "formats/record.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/snapshot.h"
#include "core/xalloc.h"
#include "formats/record_internal.h"

#define SNIFF_BYTES 512
#define LEGACY_MAGIC "damon_recfmt_ver"

const char *record_format_name(enum record_format fmt)
{
	static const char *const names[] = {
		[RECORD_FMT_JSON] = "json",
		[RECORD_FMT_JSON_COMPRESSED] = "json_compressed",
		[RECORD_FMT_PERF_SCRIPT] = "perf_script",
		[RECORD_FMT_LEGACY] = "record",
		[RECORD_FMT_NATIVE] = "native",
	};

	return (unsigned int)fmt < ARRAY_SIZE(names) ? names[fmt] : "unknown";
}

enum record_format record_format(const struct record_reader *rd)
{
	return rd->fmt;
}

int record_error(struct record_reader *rd, unsigned int line,
		 unsigned int col, const char *path, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (rd->err)
		return rd->err;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_add_at(rd->diag, rd->path, line, col, path ? path : "", "%s", msg);
	rd->err = -EINVAL;
	return -EINVAL;
}

/* A zlib header as zlib.compress() writes it: deflate, no dictionary. */
static bool is_zlib(const unsigned char *b, size_t n)
{
	return n >= 2 && b[0] == 0x78 && !(b[1] & 0x20) &&
	       ((unsigned int)b[0] << 8 | b[1]) % 31 == 0;
}

/* Which reader @path needs, from its first bytes; -errno when none. */
static int sniff(struct record_reader *rd, bool *magic)
{
	unsigned char b[SNIFF_BYTES];
	size_t n = rsrc_read(&rd->src, b, sizeof(b)), i = 0;

	if (rd->src.err)
		return record_error(rd, 0, 0, "", "%s", rd->src.errmsg);
	if (rsrc_rewind(&rd->src))
		return record_error(rd, 0, 0, "", "%s", rd->src.errmsg);
	if (!n)
		return record_error(rd, 0, 0, "", "empty file");
	if (record_native_sniff(b, n))
		return RECORD_FMT_NATIVE;
	if (is_zlib(b, n))
		return RECORD_FMT_JSON_COMPRESSED;
	while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' ||
			 b[i] == '\r'))
		i++;
	if (i < n && (b[i] == '[' || b[i] == '{'))
		return RECORD_FMT_JSON;
	*magic = n >= 16 && !memcmp(b, LEGACY_MAGIC, 16);
	if (*magic)
		return RECORD_FMT_LEGACY;
	if (n >= 8 && !memcmp(b, "PERFILE2", 8))
		return record_error(rd, 0, 0, "",
				    "a perf.data file: read it through 'perf script -i %s > %s.txt' and use that",
				    rd->path, rd->path);
	/* Version 0 legacy files have no magic, but binary numbers. */
	if (memchr(b, '\0', n))
		return RECORD_FMT_LEGACY;
	return RECORD_FMT_PERF_SCRIPT;
}

bool record_is_likely(const char *path)
{
	unsigned char b[SNIFF_BYTES];
	FILE *f = fopen(path, "rbe");
	size_t n, i = 0;

	if (!f)
		return false;
	n = fread(b, 1, sizeof(b), f);
	fclose(f);
	if (record_native_sniff(b, n) || is_zlib(b, n) ||
	    (n >= 16 && !memcmp(b, LEGACY_MAGIC, 16)))
		return true;
	while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' ||
			 b[i] == '\r'))
		i++;
	if (i < n && (b[i] == '[' || b[i] == '{'))
		return true;
	/* perf script or trace-cmd text of DAMON's tracepoint */
	return memmem(b, n, "damon_aggregated", 16) != NULL;
}

int record_open(const char *path, struct record_reader **rdp,
		struct diag *diag)
{
	struct record_reader *rd = xcalloc(1, sizeof(*rd));
	bool magic = false;
	int fmt, err;

	*rdp = NULL;
	rd->path = xstrdup(path);
	rd->diag = diag;
	record_meta_init(&rd->meta);
	err = rsrc_open(&rd->src, path);
	if (err) {
		diag_add_at(diag, path, 0, 0, "", "cannot open: %s",
			    err == -EINVAL ? "not a regular file" :
			    strerror(-err));
		free(rd->path);
		free(rd);
		return err;
	}
	fmt = sniff(rd, &magic);
	if (fmt < 0) {
		record_close(rd);
		return fmt;
	}
	rd->fmt = (enum record_format)fmt;
	if (fmt == RECORD_FMT_JSON_COMPRESSED)
		rsrc_set_inflate(&rd->src, true);
	if (fmt == RECORD_FMT_JSON || fmt == RECORD_FMT_JSON_COMPRESSED)
		err = record_json_init(rd);
	else if (fmt == RECORD_FMT_LEGACY)
		err = record_legacy_init(rd, magic);
	else if (fmt == RECORD_FMT_NATIVE)
		err = record_native_init(rd);
	else
		err = record_perf_init(rd);
	if (err) {
		if (!rd->err)
			record_error(rd, 0, 0, "", "cannot read: %s",
				     strerror(-err));
		record_close(rd);
		return err;
	}
	*rdp = rd;
	return 0;
}

/* Make @r the sticky error, with a message if the reader left none. */
static int fail(struct record_reader *rd, int r, size_t nr_diag)
{
	if (!rd->err && rd->diag->nr == nr_diag)
		record_error(rd, 0, 0, "", "cannot read: %s", strerror(-r));
	rd->err = r;
	return r;
}

int record_next(struct record_reader *rd, const struct record_meta **meta)
{
	size_t nr_diag = rd->diag->nr;
	int r;

	*meta = NULL;
	if (rd->err)
		return rd->err;
	r = rd->ops->next(rd);
	if (r < 0)
		return fail(rd, r, nr_diag);
	if (r > 0) {
		*meta = &rd->meta;
		record_spool_record(rd);
	} else {
		record_spool_end(rd);
	}
	return r;
}

int record_next_snapshot(struct record_reader *rd, struct snapshot *snap)
{
	size_t nr_diag = rd->diag->nr;
	int r;

	if (rd->err)
		return rd->err;
	r = rd->ops->next_snapshot(rd, snap);
	if (r < 0)
		return fail(rd, r, nr_diag);
	if (r > 0)
		record_spool_snapshot(rd, snap);
	else
		record_spool_end_record(rd);
	return r;
}

const struct record_info *record_info(const struct record_reader *rd)
{
	if (rd->fmt != RECORD_FMT_NATIVE)
		return NULL;
	return record_native_info((struct record_reader *)rd);
}

int record_next_rss(struct record_reader *rd, struct record_rss *rss)
{
	size_t nr_diag = rd->diag->nr;
	int r;

	if (rd->err)
		return rd->err;
	if (rd->fmt != RECORD_FMT_NATIVE)
		return 0;
	r = record_native_next_rss(rd, rss);
	if (r < 0)
		return fail(rd, r, nr_diag);
	return r;
}

void record_one_pass(struct record_reader *rd)
{
	rd->one_pass = true;
}

void record_close(struct record_reader *rd)
{
	if (!rd)
		return;
	if (rd->ops && rd->ops->release)
		rd->ops->release(rd);
	record_spool_free(rd->spool);
	record_meta_release(&rd->meta);
	rsrc_close(&rd->src);
	free(rd->path);
	free(rd);
}

struct rec_stat *rec_stats_get(struct rec_stats *st, uint64_t kind,
			       uint64_t ctx_idx, uint64_t scheme_idx,
			       uint64_t target_id)
{
	struct rec_stat *r;
	size_t i, k;

	for (k = 0; k < st->nr; k++) {
		i = (st->last + k) % st->nr;
		r = &st->v[i];
		if (r->kind == kind && r->ctx_idx == ctx_idx &&
		    r->scheme_idx == scheme_idx && r->target_id == target_id) {
			st->last = i;
			return r;
		}
	}
	xgrow((void **)&st->v, st->nr, &st->cap, sizeof(*st->v));
	r = &st->v[st->nr];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->ctx_idx = ctx_idx;
	r->scheme_idx = scheme_idx;
	r->target_id = target_id;
	st->last = st->nr++;
	return r;
}

void rec_stats_release(struct rec_stats *st)
{
	free(st->v);
	memset(st, 0, sizeof(*st));
}

uint64_t rec_stat_first_start(const struct rec_stat *r)
{
	uint64_t d, q, n;

	if (r->nr_snapshots < 2)
		return SNAP_NONE;
	n = r->nr_snapshots - 1;
	d = r->last_end_ns >= r->first_end_ns ?
	    r->last_end_ns - r->first_end_ns : 0;
	q = d / n + (d % n ? 1 : 0);	/* int() of end - d / n */
	return q <= r->first_end_ns ? r->first_end_ns - q : 0;
}
