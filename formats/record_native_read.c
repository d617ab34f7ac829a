/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The native record format's reader (docs/record-format.md).  Chunks are
 * read whole with pread(2), checked and inflated into a buffer reused from
 * chunk to chunk, so memory is bounded by the largest chunk.  Records are
 * read one after the other: record k's snapshots are picked out of the
 * chunks from the one that defines it to the end, the others skipped by
 * their length; later records' definitions are noted on the way.
 * (One file of some 650 lines: the reader's state is private to it.)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "core/diag.h"
#include "core/snapshot.h"
#include "core/xalloc.h"
#include "formats/crc32c.h"
#include "formats/record_internal.h"
#include "formats/record_native.h"

/*
 * Fuzzing builds do not enforce the CRCs, so that mutated inputs reach
 * the decoders behind them (the usual libFuzzer convention).
 */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define crc_bad(stored, computed) ((void)(stored), (void)(computed), false)
#else
#define crc_bad(stored, computed) ((stored) != (computed))
#endif

/* A position in the data chunks and the chunk loaded there. */
struct rn_cursor {
	uint64_t next_off;		/* the chunk after the loaded one */
	uint64_t chunk_off;	/* the loaded chunk; UINT64_MAX: none */
	unsigned char *stored;
	size_t cap_stored;
	unsigned char *raw;
	size_t cap_raw;
	size_t raw_len;
	size_t pos;			/* next item in raw */
};

/* A record seen so far: where it is defined and its item's body. */
struct rn_def {
	uint64_t chunk_off;
	unsigned char *body;		/* after the id */
	size_t len;
	uint64_t target_id;
};

struct rn_reader {
	uint64_t data_start;
	/* the index, or the end of the last whole chunk (a cut file) */
	uint64_t data_end;
	bool complete;			/* a valid trailer */
	struct record_info info;
	char *strs[4];			/* info's strings, owned */
	struct rn_def *defs;
	size_t nr_defs;
	size_t cap_defs;
	size_t cur;		/* 1 + the current record; 0: none yet */
	bool pass_done;		/* its snapshots are all read */
	struct rn_cursor c;		/* records and snapshots */
	struct rn_cursor rc;		/* side samples */
	bool rss_started;
	z_stream zs;
	bool z_live;
};

static struct rn_reader *priv(struct record_reader *rd)
{
	return rd->priv;
}

static int err_at(struct record_reader *rd, uint64_t off, const char *what)
{
	return record_error(rd, 0, 0, "", "byte %llu: %s",
			    (unsigned long long)off, what);
}

/* Read exactly @n bytes at @off: 0, or -errno (reported). */
static int pread_all(struct record_reader *rd, void *buf, size_t n,
		     uint64_t off)
{
	unsigned char *b = buf;
	ssize_t r;

	while (n) {
		r = pread(rd->src.fd, b, n, (off_t)off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			return record_error(rd, 0, 0, "", "byte %llu: %s",
					    (unsigned long long)off,
					    r ? strerror(errno) :
					    "the file shrank while being read");
		}
		b += r;
		n -= (size_t)r;
		off += (uint64_t)r;
	}
	return 0;
}

/*
 * 7 or 8 bytes of @b are the magic: a native file, maybe damaged; or a
 * file shorter than the magic that begins it: a native file cut there.
 */
bool record_native_sniff(const unsigned char *b, size_t n)
{
	unsigned int i, same = 0;

	if (n < RN_MAGIC_LEN)
		return n && !memcmp(b, RN_MAGIC, n);
	for (i = 0; i < RN_MAGIC_LEN; i++)
		same += b[i] == (unsigned char)RN_MAGIC[i];
	return same >= RN_MAGIC_LEN - 1;
}

/* The header's body: start time, then host, kernel, ops and config. */
static bool parse_info(struct rn_reader *n, struct rn_in *in)
{
	unsigned int i;

	if (!rn_get_varint(in, &n->info.start_ns))
		return false;
	for (i = 0; i < 4; i++)
		if (!rn_get_str(in, &n->strs[i]))
			return false;
	n->info.host = n->strs[0];
	n->info.kernel = n->strs[1];
	n->info.ops = n->strs[2];
	n->info.config = n->strs[3];
	return true;
}

static int read_header(struct record_reader *rd)
{
	struct rn_reader *n = priv(rd);
	unsigned char h[RN_FILE_HDR_LEN], *body;
	uint64_t size = rd->src.size, len, end;
	struct rn_in in;
	uint32_t crc;
	int err;

	if (size < RN_FILE_HDR_LEN)
		return err_at(rd, size, "the file ends inside the native header (cut before its first chunk)");
	if (pread_all(rd, h, sizeof(h), 0))
		return rd->err;
	if (memcmp(h, RN_MAGIC, RN_MAGIC_LEN))
		return err_at(rd, 0, "damaged magic: not \\x89DMR\\r\\n\\x1a\\n");
	if (rn_le32(h + 8) & 0xffff) {
		if ((rn_le32(h + 8) & 0xffff) != RN_VERSION)
			return record_error(rd, 0, 0, "",
					    "byte 8: native format version %u is not supported (this damo reads version %u)",
					    rn_le32(h + 8) & 0xffff,
					    RN_VERSION);
	} else {
		return err_at(rd, 8, "native format version 0 does not exist");
	}
	if (rn_le32(h + 8) >> 16)
		return err_at(rd, 10, "unknown header flags");
	len = rn_le32(h + 12);
	if (len > RN_MAX_HDR_BODY)
		return err_at(rd, 12, "header length over 16 MiB");
	end = RN_FILE_HDR_LEN + len + 4;
	if (end > size)
		return record_error(rd, 0, 0, "",
				    "byte %llu: the file ends inside the native header (%llu of %llu bytes; cut before its first chunk)",
				    (unsigned long long)size,
				    (unsigned long long)size,
				    (unsigned long long)end);
	body = xmalloc((size_t)end);
	err = pread_all(rd, body, (size_t)end, 0);
	if (err)
		goto out;
	crc = crc32c(0, body, (size_t)end - 4);
	if (crc_bad(rn_le32(body + end - 4), crc)) {
		err = record_error(rd, 0, 0, "",
				   "byte 0: header CRC32C mismatch (stored %08x, computed %08x): the header is damaged",
				   rn_le32(body + end - 4), crc);
		goto out;
	}
	in.p = body + RN_FILE_HDR_LEN;
	in.end = body + end - 4;
	in.bad = false;
	if (!parse_info(n, &in)) {
		err = err_at(rd, RN_FILE_HDR_LEN, "bad header fields");
		goto out;
	}
	n->data_start = end;
out:
	free(body);
	return err;
}

/* A chunk header at @off is whole and its own CRC matches: 0, or an error. */
static int check_chunk_hdr(struct record_reader *rd, const unsigned char *h,
			   uint64_t off)
{
	uint32_t crc = crc32c(0, h, 20);

	if (memcmp(h, RN_CHUNK_MAGIC, 4))
		return err_at(rd, off, "damaged chunk header: no \"DCHK\"");
	if (crc_bad(rn_le32(h + 20), crc))
		return record_error(rd, 0, 0, "",
				    "byte %llu: chunk header CRC32C mismatch (stored %08x, computed %08x): the chunk is damaged",
				    (unsigned long long)off, rn_le32(h + 20),
				    crc);
	if ((h[4] != RN_CHUNK_DATA && h[4] != RN_CHUNK_INDEX) ||
	    h[5] & ~RN_CHUNK_ZLIB || h[6] || h[7])
		return err_at(rd, off, "unknown chunk type or flags");
	return 0;
}

/* A trailer that matches this file. */
static bool trailer_ok(struct record_reader *rd, const unsigned char *t)
{
	struct rn_reader *n = priv(rd);
	uint64_t size = rd->src.size, idx = rn_le64(t + 8);

	return !memcmp(t, RN_TRAILER_MAGIC, 8) &&
	       crc32c(0, t, 28) == rn_le32(t + 28) && !rn_le32(t + 24) &&
	       rn_le64(t + 16) == size && idx >= n->data_start &&
	       idx + RN_CHUNK_HDR_LEN + RN_TRAILER_LEN <= size;
}

/* The index chunk's payload is whole: its CRC matches. */
static int check_index(struct record_reader *rd, const unsigned char *h,
		       uint64_t off)
{
	size_t len = rn_le32(h + 8);
	unsigned char *b = xmalloc(len ? len : 1);
	uint32_t crc;
	int err;

	err = pread_all(rd, b, len, off + RN_CHUNK_HDR_LEN);
	if (!err) {
		crc = crc32c(0, b, len);
		if (crc_bad(rn_le32(h + 16), crc))
			err = record_error(rd, 0, 0, "",
					   "byte %llu: index chunk CRC32C mismatch (stored %08x, computed %08x): the index is damaged",
					   (unsigned long long)off,
					   rn_le32(h + 16), crc);
	}
	free(b);
	return err;
}

/*
 * Where the data chunks end: at the index a valid trailer points to, or,
 * in a cut file, after the last whole chunk (with a warning).
 */
static int find_data_end(struct record_reader *rd)
{
	struct rn_reader *n = priv(rd);
	unsigned char h[RN_CHUNK_HDR_LEN], t[RN_TRAILER_LEN];
	uint64_t size = rd->src.size, off = n->data_start, end;

	if (size >= n->data_start + RN_CHUNK_HDR_LEN + RN_TRAILER_LEN) {
		if (pread_all(rd, t, sizeof(t), size - RN_TRAILER_LEN))
			return rd->err;
		if (trailer_ok(rd, t)) {
			off = rn_le64(t + 8);
			if (pread_all(rd, h, sizeof(h), off) ||
			    check_chunk_hdr(rd, h, off))
				return rd->err;
			if (h[4] != RN_CHUNK_INDEX ||
			    off + RN_CHUNK_HDR_LEN + rn_le32(h + 8) +
			    RN_TRAILER_LEN != size)
				return err_at(rd, off, "the trailer does not point to the index");
			n->data_end = off;
			n->complete = true;
			return check_index(rd, h, off);
		}
	}
	/* No trailer: walk the chunk headers to the last whole chunk. */
	while (size - off >= RN_CHUNK_HDR_LEN) {
		if (pread_all(rd, h, sizeof(h), off) ||
		    check_chunk_hdr(rd, h, off))
			return rd->err;
		end = off + RN_CHUNK_HDR_LEN + rn_le32(h + 8);
		if (end > size)
			break;
		if (h[4] == RN_CHUNK_INDEX) {
			if (size - end == RN_TRAILER_LEN)
				return err_at(rd, end, "damaged trailer (CRC32C mismatch or wrong fields)");
			if (size - end > RN_TRAILER_LEN)
				return err_at(rd, end + RN_TRAILER_LEN,
					      "bytes after the trailer");
			break;
		}
		off = end;
	}
	n->data_end = off;
	if (off == n->data_start)
		diag_warn_at(rd->diag, rd->path, 0, 0, "",
			     "cut at byte %llu (no whole chunk after the header at byte %llu): the recording was not finished (killed, or the disk was full); no snapshots",
			     (unsigned long long)size,
			     (unsigned long long)off);
	else
		diag_warn_at(rd->diag, rd->path, 0, 0, "",
			     "cut at byte %llu (after the last whole chunk at byte %llu): the recording was not finished (killed, or the disk was full); reading up to there",
			     (unsigned long long)size,
			     (unsigned long long)off);
	return 0;
}

/* Inflate the @stored bytes of @c (the chunk at @off) into c->raw. */
static int inflate_chunk(struct record_reader *rd, struct rn_cursor *c,
			 uint64_t stored, uint64_t off)
{
	struct rn_reader *n = priv(rd);
	size_t raw = c->raw_len;
	int zr;

	if (raw > c->cap_raw) {
		free(c->raw);
		c->raw = xmalloc(raw ? raw : 1);
		c->cap_raw = raw;
	}
	if (!n->z_live) {
		memset(&n->zs, 0, sizeof(n->zs));
		if (inflateInit2(&n->zs, -15) != Z_OK)
			return err_at(rd, off, "cannot start zlib");
		n->z_live = true;
	} else {
		inflateReset(&n->zs);
	}
	n->zs.next_in = c->stored;
	n->zs.avail_in = (uInt)stored;
	n->zs.next_out = c->raw;
	n->zs.avail_out = (uInt)raw;
	zr = inflate(&n->zs, Z_FINISH);
	if (zr != Z_STREAM_END || n->zs.avail_out || n->zs.avail_in)
		return err_at(rd, off, "the chunk does not inflate to its length");
	return 0;
}

/* Load the data chunk at @off into @c, checked and inflated. */
static int load_chunk(struct record_reader *rd, struct rn_cursor *c,
		      uint64_t off)
{
	struct rn_reader *n = priv(rd);
	unsigned char h[RN_CHUNK_HDR_LEN];
	uint64_t stored, raw;
	uint32_t crc;

	if (pread_all(rd, h, sizeof(h), off) || check_chunk_hdr(rd, h, off))
		return rd->err;
	if (h[4] != RN_CHUNK_DATA)
		return err_at(rd, off, "an index chunk before the end");
	stored = rn_le32(h + 8);
	raw = rn_le32(h + 12);
	if (off + RN_CHUNK_HDR_LEN + stored > n->data_end)
		return err_at(rd, off, "the chunk runs past the index");
	if (raw > RN_MAX_RAW || (!(h[5] & RN_CHUNK_ZLIB) && raw != stored))
		return err_at(rd, off, "bad chunk length");
	if (stored > c->cap_stored) {
		free(c->stored);
		c->stored = xmalloc((size_t)stored);
		c->cap_stored = (size_t)stored;
	}
	if (pread_all(rd, c->stored, (size_t)stored, off + RN_CHUNK_HDR_LEN))
		return rd->err;
	crc = crc32c(0, c->stored, (size_t)stored);
	if (crc_bad(rn_le32(h + 16), crc))
		return record_error(rd, 0, 0, "",
				    "byte %llu: chunk CRC32C mismatch (stored %08x, computed %08x): the chunk is damaged",
				    (unsigned long long)off,
				    rn_le32(h + 16), crc);
	c->chunk_off = off;
	c->next_off = off + RN_CHUNK_HDR_LEN + stored;
	/* Reads are pread()s: the furthest chunk is the progress. */
	if (c->next_off > rd->src.raw_off)
		rd->src.raw_off = c->next_off;
	c->pos = 0;
	c->raw_len = (size_t)raw;
	if (!(h[5] & RN_CHUNK_ZLIB)) {
		/* Stored as is: hand out the bytes read. */
		unsigned char *t = c->raw;
		size_t tc = c->cap_raw;

		c->raw = c->stored;
		c->cap_raw = c->cap_stored;
		c->stored = t;
		c->cap_stored = tc;
		return 0;
	}
	return inflate_chunk(rd, c, stored, off);
}

static void cursor_seek(struct rn_cursor *c, uint64_t off)
{
	c->next_off = off;
	c->chunk_off = UINT64_MAX;
	c->raw_len = 0;
	c->pos = 0;
}

static void cursor_release(struct rn_cursor *c)
{
	free(c->stored);
	free(c->raw);
}

/* Note a RECORD item, new when its id is the next one. */
static int note_def(struct record_reader *rd, struct rn_cursor *c,
		    struct rn_in *in, uint64_t item_off)
{
	struct rn_reader *n = priv(rd);
	const unsigned char *body;
	struct record_meta m;
	struct rn_def *d;
	uint64_t id;
	bool ok;

	if (!rn_get_varint(in, &id) || id > n->nr_defs)
		return err_at(rd, item_off, "a record item with a bad id");
	if (id < n->nr_defs)
		return 0;
	body = in->p;
	record_meta_init(&m);
	ok = rn_decode_meta(in, &m) && in->p == in->end;
	xgrow((void **)&n->defs, n->nr_defs, &n->cap_defs, sizeof(*n->defs));
	d = &n->defs[n->nr_defs];
	d->target_id = m.target_id;
	record_meta_release(&m);
	if (!ok)
		return err_at(rd, item_off, "a damaged record item");
	d->chunk_off = c->chunk_off;
	d->len = (size_t)(in->end - body);
	d->body = xmalloc(d->len ? d->len : 1);
	memcpy(d->body, body, d->len);
	n->nr_defs++;
	return 0;
}

/*
 * The next item of @c: its type, and @in over its body.  Return: 1, 0
 * at the end of the data chunks, or -errno.  @item_off receives the item's
 * offset for messages: the chunk's file offset plus the raw offset.
 */
static int next_item(struct record_reader *rd, struct rn_cursor *c,
		     unsigned int *type, struct rn_in *in, uint64_t *item_off)
{
	struct rn_reader *n = priv(rd);
	struct rn_in h;
	uint64_t len;
	int err;

	while (c->pos >= c->raw_len) {
		if (c->next_off >= n->data_end)
			return 0;
		err = load_chunk(rd, c, c->next_off);
		if (err)
			return err;
	}
	*item_off = c->chunk_off + RN_CHUNK_HDR_LEN + c->pos;
	h.p = c->raw + c->pos;
	h.end = c->raw + c->raw_len;
	h.bad = false;
	if (!rn_get_u8(&h, type) || !rn_get_varint(&h, &len) ||
	    len > (uint64_t)(h.end - h.p))
		return record_error(rd, 0, 0, "",
				    "byte %llu: a damaged item (at byte %zu of the chunk's content)",
				    (unsigned long long)c->chunk_off, c->pos);
	in->p = h.p;
	in->end = h.p + len;
	in->bad = false;
	c->pos = (size_t)(in->end - c->raw);
	return 1;
}

static int item_error(struct record_reader *rd, struct rn_cursor *c,
		      const char *what)
{
	return record_error(rd, 0, 0, "",
			    "byte %llu: %s (at byte %zu of the chunk's content)",
			    (unsigned long long)c->chunk_off, what, c->pos);
}

/*
 * Walk @c to the next item of @want (RECORD items are noted on the way).
 * Return: 1 with @in over the body, 0 at the end, or -errno.
 */
static int walk(struct record_reader *rd, struct rn_cursor *c,
		unsigned int want, struct rn_in *in, uint64_t *rec)
{
	struct rn_reader *n = priv(rd);
	unsigned int type;
	uint64_t off = 0;
	int r;

	while ((r = next_item(rd, c, &type, in, &off)) > 0) {
		if (type == RN_ITEM_RECORD) {
			r = note_def(rd, c, in, off);
			if (r)
				return r;
			if (want == RN_ITEM_RECORD)
				return 1;
			continue;
		}
		if (type != RN_ITEM_SNAPSHOT && type != RN_ITEM_RSS)
			continue;	/* a later version's item */
		if (!rn_get_varint(in, rec) || *rec >= n->nr_defs)
			return item_error(rd, c, "an item of a record not defined before it");
		if (type == want)
			return 1;
	}
	return r;
}

/* Make record @k (0-based) the current one: rd->meta from its item. */
static int select_record(struct record_reader *rd, size_t k)
{
	struct rn_reader *n = priv(rd);
	struct rn_def *d = &n->defs[k];
	struct rn_in in = { d->body, d->body + d->len, false };

	record_meta_release(&rd->meta);
	record_meta_init(&rd->meta);
	if (!rn_decode_meta(&in, &rd->meta))
		return err_at(rd, d->chunk_off, "a damaged record item");
	if (!rd->meta.data_source)
		rd->meta.data_source = xstrdup("unknown");
	n->cur = k + 1;
	n->pass_done = false;
	return 1;
}

static int native_next(struct record_reader *rd)
{
	struct rn_reader *n = priv(rd);
	struct rn_in in;
	uint64_t rec;
	int r;

	if (!n->cur) {
		/* The first record item: its snapshots follow it. */
		cursor_seek(&n->c, n->data_start);
		r = walk(rd, &n->c, RN_ITEM_RECORD, &in, &rec);
		if (r <= 0)
			return r;
		return select_record(rd, 0);
	}
	/* Skip what is left of this record, noting later records. */
	while (!n->pass_done) {
		r = walk(rd, &n->c, RN_ITEM_NONE, &in, &rec);
		if (r < 0)
			return r;
		n->pass_done = true;
	}
	if (n->cur >= n->nr_defs)
		return 0;
	cursor_seek(&n->c, n->defs[n->cur].chunk_off);
	return select_record(rd, n->cur);
}

static int native_next_snapshot(struct record_reader *rd,
				struct snapshot *snap)
{
	struct rn_reader *n = priv(rd);
	struct rn_in in;
	uint64_t rec;
	int r;

	if (!n->cur || n->pass_done)
		return 0;
	while ((r = walk(rd, &n->c, RN_ITEM_SNAPSHOT, &in, &rec)) > 0) {
		if (rec != n->cur - 1)
			continue;
		snapshot_clear(snap);
		if (!rn_decode_snapshot(&in, snap) || in.p != in.end) {
			snapshot_clear(snap);
			return item_error(rd, &n->c, "a damaged snapshot item");
		}
		return 1;
	}
	if (!r)
		n->pass_done = true;
	return r;
}

int record_native_next_rss(struct record_reader *rd, struct record_rss *rss)
{
	struct rn_reader *n = priv(rd);
	struct rn_in in;
	uint64_t rec;
	int r;

	if (!n->rss_started) {
		cursor_seek(&n->rc, n->data_start);
		n->rss_started = true;
	}
	r = walk(rd, &n->rc, RN_ITEM_RSS, &in, &rec);
	if (r <= 0)
		return r;
	rss->rec = rec;
	rss->target_id = n->defs[rec].target_id;
	if (!rn_get_varint(&in, &rss->time_ns) ||
	    !rn_get_opt(&in, &rss->rss_bytes) ||
	    !rn_get_opt(&in, &rss->vsz_bytes) || in.p != in.end)
		return item_error(rd, &n->rc, "a damaged side sample item");
	return 1;
}

const struct record_info *record_native_info(struct record_reader *rd)
{
	return &priv(rd)->info;
}

static void native_release(struct record_reader *rd)
{
	struct rn_reader *n = priv(rd);
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->nr_defs; i++)
		free(n->defs[i].body);
	free(n->defs);
	for (i = 0; i < 4; i++)
		free(n->strs[i]);
	cursor_release(&n->c);
	cursor_release(&n->rc);
	if (n->z_live)
		inflateEnd(&n->zs);
	free(n);
	rd->priv = NULL;
}

static const struct record_ops native_ops = {
	.next = native_next,
	.next_snapshot = native_next_snapshot,
	.release = native_release,
};

int record_native_init(struct record_reader *rd)
{
	struct rn_reader *n = xcalloc(1, sizeof(*n));
	int err;

	rd->ops = &native_ops;
	rd->priv = n;
	cursor_seek(&n->c, 0);
	cursor_seek(&n->rc, 0);
	err = read_header(rd);
	if (!err)
		err = find_data_end(rd);
	return err;
}
