/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The native record format's writer (docs/record-format.md): items are
 * gathered into a chunk in memory and the chunk is appended to the file
 * (one write(2)) every RN_FLUSH_SNAPSHOTS snapshots, RN_FLUSH_BYTES bytes
 * or second, so that a killed recorder loses at most the chunk it was
 * filling.  The index and the trailer are written at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "core/diag.h"
#include "core/safefile.h"
#include "core/snapshot.h"
#include "core/xalloc.h"
#include "formats/crc32c.h"
#include "formats/record.h"
#include "formats/record_native.h"

#define RN_FLUSH_SNAPSHOTS 64
#define RN_FLUSH_BYTES (1u << 20)
#define RN_FLUSH_NS 1000000000ull

struct rn_index_entry {
	uint64_t off;
	uint64_t first_ns;		/* SNAP_NONE: no time in the chunk */
	uint64_t last_ns;
	uint64_t nr_snapshots;
};

struct rn_writer {
	char *path;
	char *old;		/* PATH.old when PATH was renamed there */
	int fd;
	struct diag *diag;
	int err;			/* sticky: the first failure */
	bool hdr_done;			/* the file header is written */
	bool finished;
	uint64_t start_ns;
	char *host;
	char *kernel;
	char *ops;
	char *config;
	uint64_t off;			/* bytes written so far */
	struct rn_buf chunk;	/* raw items of the chunk being filled */
	struct rn_buf item;		/* one item's body */
	struct rn_buf out;		/* header + stored payload */
	uint64_t chunk_snaps;
	uint64_t chunk_first_ns;
	uint64_t chunk_last_ns;
	uint64_t last_flush_ns;		/* CLOCK_MONOTONIC */
	struct rn_index_entry *idx;
	size_t nr_idx;
	size_t cap_idx;
	uint64_t nr_recs;
	uint64_t nr_snapshots;
	uint64_t nr_regions;
	z_stream zs;			/* raw deflate, level 1 */
	bool z_live;
};

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int fail(struct rn_writer *w, int err, const char *what)
{
	if (!w->err) {
		w->err = err;
		diag_add_at(w->diag, w->path, 0, 0, "", "cannot %s: %s", what,
			    strerror(-err));
	}
	return w->err;
}

static int write_all(struct rn_writer *w, const void *p, size_t n)
{
	const unsigned char *b = p;
	ssize_t r;

	while (n) {
		r = write(w->fd, b, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return fail(w, r < 0 ? -errno : -EIO, "write");
		b += r;
		n -= (size_t)r;
		w->off += (uint64_t)r;
	}
	return 0;
}

struct rn_writer *rn_writer_open(const char *path, struct diag *diag)
{
	struct rn_writer *w = xcalloc(1, sizeof(*w));
	struct utsname u;
	struct stat st;
	char *old, host[256];

	w->path = xstrdup(path);
	w->diag = diag;
	w->fd = -1;
	w->start_ns = clock_ns(CLOCK_REALTIME);
	w->last_flush_ns = clock_ns(CLOCK_MONOTONIC);
	w->chunk_first_ns = SNAP_NONE;
	w->chunk_last_ns = SNAP_NONE;
	if (!gethostname(host, sizeof(host))) {
		host[sizeof(host) - 1] = '\0';
		w->host = xstrdup(host);
	}
	if (!uname(&u))
		w->kernel = xasprintf("%s %s %s", u.sysname, u.release,
				      u.machine);
	if (!stat(path, &st) && S_ISDIR(st.st_mode)) {
		fail(w, -EISDIR, "write a record there");
		return w;
	}
	if (!lstat(path, &st)) {
		old = xasprintf("%s.old", path);
		if (rename(path, old)) {
			fail(w, -errno, "rename it to '.old'");
			free(old);
			return w;
		}
		w->old = old;
	}
	/*
	 * The record grows in place: a new file, O_EXCL|O_NOFOLLOW, so that
	 * a link or file someone put there after the rename is refused, not
	 * written through.
	 */
	w->fd = safefile_create_new(path, 0600);
	if (w->fd < 0) {
		fail(w, w->fd, "create");
		w->fd = -1;
	}
	return w;
}

static void set_str(char **dst, const char *s)
{
	if (!s)
		return;
	free(*dst);
	*dst = xstrdup(s);
}

int rn_writer_set_info(struct rn_writer *w, const struct record_info *info)
{
	if (w->hdr_done)
		return -EBUSY;	/* the caller's mistake, not the file's */
	if (info->start_ns == SNAP_NONE)
		w->start_ns = 0;
	else if (info->start_ns)
		w->start_ns = info->start_ns;
	set_str(&w->host, info->host);
	set_str(&w->kernel, info->kernel);
	set_str(&w->ops, info->ops);
	set_str(&w->config, info->config);
	return 0;
}

static int write_header(struct rn_writer *w)
{
	struct rn_buf *b = &w->out;
	size_t body;

	b->len = 0;
	rn_buf_reserve(b, RN_FILE_HDR_LEN);
	memcpy(b->p, RN_MAGIC, RN_MAGIC_LEN);
	b->p[8] = RN_VERSION;
	b->p[9] = 0;
	b->p[10] = 0;
	b->p[11] = 0;
	b->len = RN_FILE_HDR_LEN;
	rn_put_varint(b, w->start_ns);
	rn_put_str(b, w->host);
	rn_put_str(b, w->kernel);
	rn_put_str(b, w->ops);
	rn_put_str(b, w->config);
	body = b->len - RN_FILE_HDR_LEN;
	rn_put_le32(b->p + 12, (uint32_t)body);
	rn_buf_reserve(b, 4);
	rn_put_le32(b->p + b->len, crc32c(0, b->p, b->len));
	b->len += 4;
	w->hdr_done = true;
	return write_all(w, b->p, b->len);
}

/*
 * Append a chunk of @type holding @raw: deflated when that is smaller,
 * framed and checksummed, in one write(2).
 */
static int write_chunk(struct rn_writer *w, unsigned int type,
		       const struct rn_buf *raw)
{
	struct rn_buf *b = &w->out;
	unsigned char *h;
	uLongf zlen;
	size_t stored = raw->len;
	unsigned int flags = 0;

	if (raw->len > RN_MAX_RAW)
		return fail(w, -EFBIG, "write a chunk over 256 MiB");
	if (!w->hdr_done && write_header(w))
		return w->err;
	if (!w->z_live) {
		if (deflateInit2(&w->zs, Z_BEST_SPEED, Z_DEFLATED, -15, 8,
				 Z_DEFAULT_STRATEGY) != Z_OK)
			return fail(w, -ENOMEM, "start zlib");
		w->z_live = true;
	}
	deflateReset(&w->zs);
	zlen = deflateBound(&w->zs, (uLong)raw->len);
	b->len = 0;
	rn_buf_reserve(b, RN_CHUNK_HDR_LEN + zlen);
	w->zs.next_in = raw->p;
	w->zs.avail_in = (uInt)raw->len;
	w->zs.next_out = b->p + RN_CHUNK_HDR_LEN;
	w->zs.avail_out = (uInt)zlen;
	if (raw->len >= 64 && deflate(&w->zs, Z_FINISH) == Z_STREAM_END &&
	    w->zs.total_out < raw->len) {
		flags |= RN_CHUNK_ZLIB;
		stored = w->zs.total_out;
	} else if (raw->len) {
		memcpy(b->p + RN_CHUNK_HDR_LEN, raw->p, raw->len);
	}
	h = b->p;
	memcpy(h, RN_CHUNK_MAGIC, 4);
	h[4] = (unsigned char)type;
	h[5] = (unsigned char)flags;
	h[6] = 0;
	h[7] = 0;
	rn_put_le32(h + 8, (uint32_t)stored);
	rn_put_le32(h + 12, (uint32_t)raw->len);
	rn_put_le32(h + 16, crc32c(0, h + RN_CHUNK_HDR_LEN, stored));
	rn_put_le32(h + 20, crc32c(0, h, 20));
	b->len = RN_CHUNK_HDR_LEN + stored;
	return write_all(w, b->p, b->len);
}

int rn_writer_flush(struct rn_writer *w)
{
	struct rn_index_entry *e;
	uint64_t off = w->off;

	if (w->err)
		return w->err;
	if (!w->chunk.len)
		return 0;
	if (!w->hdr_done && write_header(w))
		return w->err;
	off = w->off;
	if (write_chunk(w, RN_CHUNK_DATA, &w->chunk))
		return w->err;
	xgrow((void **)&w->idx, w->nr_idx, &w->cap_idx, sizeof(*w->idx));
	e = &w->idx[w->nr_idx++];
	e->off = off;
	e->first_ns = w->chunk_first_ns;
	e->last_ns = w->chunk_last_ns;
	e->nr_snapshots = w->chunk_snaps;
	w->chunk.len = 0;
	w->chunk_snaps = 0;
	w->chunk_first_ns = SNAP_NONE;
	w->chunk_last_ns = SNAP_NONE;
	w->last_flush_ns = clock_ns(CLOCK_MONOTONIC);
	return 0;
}

/* Append the item in w->item to the chunk, as type, length, body. */
static void put_item(struct rn_writer *w, unsigned int type)
{
	rn_put_u8(&w->chunk, type);
	rn_put_varint(&w->chunk, w->item.len);
	rn_put_bytes(&w->chunk, w->item.p, w->item.len);
}

static void note_time(struct rn_writer *w, uint64_t first, uint64_t last)
{
	if (first == SNAP_NONE)
		first = last;
	if (first != SNAP_NONE &&
	    (w->chunk_first_ns == SNAP_NONE || first < w->chunk_first_ns))
		w->chunk_first_ns = first;
	if (last != SNAP_NONE &&
	    (w->chunk_last_ns == SNAP_NONE || last > w->chunk_last_ns))
		w->chunk_last_ns = last;
}

/* Flush when the chunk is full or the last flush is a second old. */
static int maybe_flush(struct rn_writer *w)
{
	if (w->chunk_snaps >= RN_FLUSH_SNAPSHOTS ||
	    w->chunk.len >= RN_FLUSH_BYTES ||
	    clock_ns(CLOCK_MONOTONIC) - w->last_flush_ns >= RN_FLUSH_NS)
		return rn_writer_flush(w);
	return 0;
}

size_t rn_writer_add(struct rn_writer *w, const struct record_meta *meta)
{
	w->item.len = 0;
	rn_put_varint(&w->item, w->nr_recs);
	rn_encode_meta(&w->item, meta);
	put_item(w, RN_ITEM_RECORD);
	return (size_t)w->nr_recs++;
}

int rn_writer_snapshot(struct rn_writer *w, size_t rec,
		       const struct snapshot *s)
{
	if (w->err)
		return w->err;
	if (rec >= w->nr_recs)
		return fail(w, -EINVAL, "write a snapshot of an unknown record");
	w->item.len = 0;
	rn_put_varint(&w->item, rec);
	rn_encode_snapshot(&w->item, s);
	put_item(w, RN_ITEM_SNAPSHOT);
	note_time(w, s->start_ns, s->end_ns);
	w->chunk_snaps++;
	w->nr_snapshots++;
	w->nr_regions += s->nr_regions;
	return maybe_flush(w);
}

int rn_writer_rss(struct rn_writer *w, size_t rec, uint64_t time_ns,
		  uint64_t rss_bytes, uint64_t vsz_bytes)
{
	if (w->err)
		return w->err;
	if (rec >= w->nr_recs)
		return fail(w, -EINVAL, "write a sample of an unknown record");
	w->item.len = 0;
	rn_put_varint(&w->item, rec);
	rn_put_varint(&w->item, time_ns);
	rn_put_opt(&w->item, rss_bytes);
	rn_put_opt(&w->item, vsz_bytes);
	put_item(w, RN_ITEM_RSS);
	note_time(w, time_ns, time_ns);
	return maybe_flush(w);
}

static int write_index(struct rn_writer *w)
{
	unsigned char t[RN_TRAILER_LEN];
	struct rn_buf raw = { 0 };
	uint64_t prev = 0, idx_off;
	size_t i;
	int err;

	rn_put_varint(&raw, w->nr_recs);
	rn_put_varint(&raw, w->nr_snapshots);
	rn_put_varint(&raw, w->nr_regions);
	rn_put_varint(&raw, w->nr_idx);
	for (i = 0; i < w->nr_idx; i++) {
		rn_put_varint(&raw, w->idx[i].off - prev);
		rn_put_opt(&raw, w->idx[i].first_ns);
		rn_put_opt(&raw, w->idx[i].last_ns);
		rn_put_varint(&raw, w->idx[i].nr_snapshots);
		prev = w->idx[i].off;
	}
	idx_off = w->off;
	err = write_chunk(w, RN_CHUNK_INDEX, &raw);
	rn_buf_release(&raw);
	if (err)
		return err;
	memcpy(t, RN_TRAILER_MAGIC, 8);
	rn_put_le64(t + 8, idx_off);
	rn_put_le64(t + 16, w->off + RN_TRAILER_LEN);
	rn_put_le32(t + 24, 0);
	rn_put_le32(t + 28, crc32c(0, t, 28));
	return write_all(w, t, sizeof(t));
}

int rn_writer_finish(struct rn_writer *w)
{
	if (w->err)
		return w->err;
	if (rn_writer_flush(w))
		return w->err;
	if (!w->hdr_done && write_header(w))
		return w->err;
	if (write_index(w))
		return w->err;
	if (fsync(w->fd))
		return fail(w, -errno, "sync");
	if (close(w->fd)) {
		w->fd = -1;
		return fail(w, -errno, "close");
	}
	w->fd = -1;
	w->finished = true;
	return 0;
}

void rn_writer_free(struct rn_writer *w)
{
	if (!w)
		return;
	if (w->fd >= 0)
		close(w->fd);
	/* Nothing written: leave things as they were. */
	if (!w->finished && !w->off && w->fd >= 0) {
		unlink(w->path);
		if (w->old)
			rename(w->old, w->path);
	}
	free(w->old);
	rn_buf_release(&w->chunk);
	rn_buf_release(&w->item);
	rn_buf_release(&w->out);
	free(w->idx);
	free(w->path);
	free(w->host);
	free(w->kernel);
	free(w->ops);
	free(w->config);
	if (w->z_live)
		deflateEnd(&w->zs);
	free(w);
}

int rn_writer_set_permission(struct rn_writer *w, unsigned int mode)
{
	if (w->err)
		return w->err;
	if (fchmod(w->fd, (mode_t)mode))
		return fail(w, -errno, "change its permission");
	return 0;
}

uint64_t rn_writer_bytes(const struct rn_writer *w)
{
	return w->off;
}
