/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals shared by the record readers: the reader object, the buffered
 * (optionally inflating) byte source they read from, and what the text and
 * legacy readers learn about each record in their first pass.
 */
#ifndef DAMO_FORMATS_RECORD_INTERNAL_H
#define DAMO_FORMATS_RECORD_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

#include "core/snapshot.h"
#include "formats/record.h"

#define RSRC_BUFSZ (64u << 10)

/*
 * A byte source over a file: plain, or one zlib stream inflated as it is
 * read.  Reads stop at the size the file had when it was opened.
 */
struct rsrc {
	int fd;
	bool inflate;
	bool z_live;		/* zs is initialised */
	bool z_end;		/* the zlib stream ended */
	bool z_cut;		/* ... and the file inside its trailer */
	z_stream zs;		/* raw deflate: header and trailer are ours */
	unsigned int z_head;	/* header bytes still to pass over */
	uint32_t adler;		/* Adler-32 of what was inflated so far */
	uint64_t size;		/* file size at open */
	uint64_t raw_off;	/* file offset of the next read */
	unsigned char *in;	/* compressed bytes read ahead (inflate) */
	size_t in_pos;
	size_t in_len;
	unsigned char *buf;	/* bytes ready to hand out */
	size_t pos;
	size_t len;
	uint64_t base;		/* stream offset of buf[0] */
	int err;		/* sticky; errmsg says what */
	char errmsg[96];
};

/* A saved position of a byte source, to come back to once. */
struct rsrc_mark {
	struct rsrc saved;	/* scalars; buffers copied below */
	unsigned char *in;
	unsigned char *buf;
	z_stream zs;
	bool z_live;
};

int rsrc_open(struct rsrc *s, const char *path);
void rsrc_set_inflate(struct rsrc *s, bool inflate);
void rsrc_close(struct rsrc *s);
/* Refill: 1 when bytes are ready, 0 at the end, -errno (s->err) on error. */
int rsrc_fill(struct rsrc *s);
/* Back to the first byte. */
int rsrc_rewind(struct rsrc *s);
/* Copy up to @n bytes into @dst; returns how many (short at the end). */
size_t rsrc_read(struct rsrc *s, void *dst, size_t n);
/* Skip @n bytes; returns how many were skipped (short at the end). */
uint64_t rsrc_skip(struct rsrc *s, uint64_t n);
void rsrc_mark(const struct rsrc *s, struct rsrc_mark *m);
/* Go back to @m and release it. */
void rsrc_reset(struct rsrc *s, struct rsrc_mark *m);
void rsrc_mark_release(struct rsrc_mark *m);

/* Offset of the next byte in the (inflated) stream. */
static inline uint64_t rsrc_tell(const struct rsrc *s)
{
	return s->base + s->pos;
}

/* The next byte, or -1 at the end or on an error (see s->err). */
static inline int rsrc_getc(struct rsrc *s)
{
	if (s->pos < s->len || rsrc_fill(s) > 0)
		return s->buf[s->pos++];
	return -1;
}

static inline int rsrc_peekc(struct rsrc *s)
{
	if (s->pos < s->len || rsrc_fill(s) > 0)
		return s->buf[s->pos];
	return -1;
}

struct record_reader;

struct record_ops {
	/* Fill rd->meta for the next record; 1, 0 at the end, or -errno. */
	int (*next)(struct record_reader *rd);
	int (*next_snapshot)(struct record_reader *rd, struct snapshot *snap);
	void (*release)(struct record_reader *rd);
};

struct record_reader {
	const struct record_ops *ops;
	enum record_format fmt;
	char *path;			/* owned, for diagnostics */
	struct diag *diag;		/* borrowed */
	struct rsrc src;
	struct record_meta meta;
	int err;			/* sticky error */
	bool one_pass;			/* record_one_pass() */
	struct record_spool *spool;	/* record_spool_start(), owned */
	void *priv;			/* the format's own state, owned */
};

/*
 * What a first pass over a trace or legacy file learns about one record:
 * enough to give the first snapshot damo's start time and to drop the
 * fake snapshot damo's writers appended to single-snapshot records.
 */
struct rec_stat {
	uint64_t kind;			/* format-defined record key ... */
	uint64_t ctx_idx;
	uint64_t scheme_idx;
	uint64_t target_id;
	uint64_t nr_snapshots;
	uint64_t first_end_ns;
	uint64_t last_end_ns;
};

struct rec_stats {
	struct rec_stat *v;
	size_t nr;
	size_t cap;
	size_t last;			/* index of the last lookup's hit */
};

/* The record with that key, added (in order of first appearance) if new. */
struct rec_stat *rec_stats_get(struct rec_stats *st, uint64_t kind,
			       uint64_t ctx_idx, uint64_t scheme_idx,
			       uint64_t target_id);
void rec_stats_release(struct rec_stats *st);

/*
 * damo's start of a record's first snapshot: its end minus the mean
 * snapshot length, (last end - first end) / (n - 1), truncated like
 * Python's int(); SNAP_NONE for fewer than two snapshots.
 */
uint64_t rec_stat_first_start(const struct rec_stat *r);

/*
 * Report an error at @line:@col (0 when unknown) of the reader's file and
 * make it the reader's sticky error.  Returns -EINVAL.
 */
int record_error(struct record_reader *rd, unsigned int line,
		 unsigned int col, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Per-format constructors: set rd->ops and rd->priv; 0 or -errno. */
int record_json_init(struct record_reader *rd);
/*
 * record_json_fast() - whether a damo JSON reader takes damo's region
 * objects through their fast path (the default) or only through the
 * general parser, which the fast path must agree with (for tests).
 */
void record_json_fast(struct record_reader *rd, bool on);
/* How many regions a damo JSON reader took through its fast path. */
uint64_t record_json_nr_fast(const struct record_reader *rd);
int record_perf_init(struct record_reader *rd);
int record_legacy_init(struct record_reader *rd, bool has_magic);
int record_native_init(struct record_reader *rd);

/*
 * What record.c tells the spool (record_spool.c) of a reader as it reads:
 * a record begins (its meta may still change), a snapshot was read, the
 * record's snapshots ended (its meta is whole), the file ended.
 */
void record_spool_record(struct record_reader *rd);
void record_spool_snapshot(struct record_reader *rd, const struct snapshot *s);
void record_spool_end_record(struct record_reader *rd);
void record_spool_end(struct record_reader *rd);
void record_spool_free(struct record_spool *sp);

/* The native format (record_native_read.c). */
bool record_native_sniff(const unsigned char *b, size_t n);
const struct record_info *record_native_info(struct record_reader *rd);
int record_native_next_rss(struct record_reader *rd, struct record_rss *rss);

#endif /* DAMO_FORMATS_RECORD_INTERNAL_H */
