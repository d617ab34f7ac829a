/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A record file kept for a second reading: what a reader gives is also
 * written, in the native format's encoding of records and snapshots, to
 * an unlinked temporary file, and a replay reader gives it back at a
 * fraction of the cost of parsing (and inflating) the file again.
 * Memory stays one snapshot and one index entry a record.
 *
 * Layout: for each record, its snapshots (each a 64-bit length and the
 * encoded snapshot), then its meta (likewise): damo's JSON gives a
 * record's data_source only once its snapshots were read.
 */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/safefile.h"
#include "core/snapshot.h"
#include "core/xalloc.h"
#include "formats/record_internal.h"
#include "formats/record_native.h"

struct spool_rec {
	uint64_t snaps_off;	/* of its first snapshot */
	uint64_t nr_snaps;
	uint64_t meta_off;
};

struct record_spool {
	int fd;
	bool bad;		/* a write failed, or a record was cut short */
	bool in_rec;		/* a record is open */
	bool done;		/* the reader reached the end of its file */
	uint64_t off;		/* where the next item goes */
	struct spool_rec *recs;
	size_t nr_recs;
	size_t cap_recs;
	struct rn_buf buf;
};

/* An unlinked file next to @path, else in $TMPDIR, /var/tmp or /tmp. */
static int spool_fd(const char *path)
{
	char *copy = xstrdup(path);
	const char *dirs[4];
	size_t i, n = 0;
	int fd = -1;

	dirs[n++] = dirname(copy);
	if (getenv("TMPDIR") && *getenv("TMPDIR"))
		dirs[n++] = getenv("TMPDIR");
	dirs[n++] = "/var/tmp";
	dirs[n++] = "/tmp";
	for (i = 0; i < n && fd < 0; i++)
		fd = open(dirs[i], O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	free(copy);
	return fd;
}

int record_spool_start(struct record_reader *rd)
{
	struct record_spool *sp;
	int fd;

	if (rd->spool)
		return 0;
	/* the native format is read about as fast as the copy would be */
	if (rd->fmt != RECORD_FMT_JSON && rd->fmt != RECORD_FMT_JSON_COMPRESSED)
		return -EOPNOTSUPP;
	fd = spool_fd(rd->path);
	if (fd < 0)
		return -errno;
	sp = xcalloc(1, sizeof(*sp));
	sp->fd = fd;
	rd->spool = sp;
	return 0;
}

/* Write the encoded item in sp->buf, its length first. */
static void spool_item(struct record_spool *sp)
{
	unsigned char len[8];

	rn_put_le64(len, sp->buf.len);
	if (safefile_write_all(sp->fd, len, sizeof(len)) ||
	    safefile_write_all(sp->fd, sp->buf.p, sp->buf.len))
		sp->bad = true;
	sp->off += sizeof(len) + sp->buf.len;
	sp->buf.len = 0;
}

void record_spool_end_record(struct record_reader *rd)
{
	struct record_spool *sp = rd->spool;

	if (!sp || !sp->in_rec)
		return;
	sp->in_rec = false;
	sp->recs[sp->nr_recs - 1].meta_off = sp->off;
	rn_encode_meta(&sp->buf, &rd->meta);
	spool_item(sp);
}

void record_spool_record(struct record_reader *rd)
{
	struct record_spool *sp = rd->spool;
	struct spool_rec *r;

	if (!sp)
		return;
	if (sp->in_rec)
		sp->bad = true;		/* its snapshots were not all read */
	xgrow((void **)&sp->recs, sp->nr_recs, &sp->cap_recs,
	      sizeof(*sp->recs));
	r = &sp->recs[sp->nr_recs++];
	r->snaps_off = sp->off;
	r->nr_snaps = 0;
	sp->in_rec = true;
}

void record_spool_snapshot(struct record_reader *rd, const struct snapshot *s)
{
	struct record_spool *sp = rd->spool;

	if (!sp || !sp->in_rec)
		return;
	rn_encode_snapshot(&sp->buf, s);
	spool_item(sp);
	sp->recs[sp->nr_recs - 1].nr_snaps++;
}

void record_spool_end(struct record_reader *rd)
{
	if (rd->spool && !rd->spool->in_rec)
		rd->spool->done = true;
}

void record_spool_free(struct record_spool *sp)
{
	if (!sp)
		return;
	close(sp->fd);
	free(sp->recs);
	rn_buf_release(&sp->buf);
	free(sp);
}

/* The replay reader's state. */
struct replay {
	struct record_spool *sp;	/* owned */
	size_t rec;			/* the next record */
	uint64_t snap;			/* the next snapshot of the current */
	uint64_t off;			/* of the next snapshot */
	unsigned char *item;
	size_t cap;
};

/* The item at @off into r->item: its length, or -EIO. */
static ssize_t replay_item(struct record_reader *rd, struct replay *r,
			   uint64_t off)
{
	unsigned char len[8];
	uint64_t n;

	if (pread(r->sp->fd, len, sizeof(len), (off_t)off) != sizeof(len))
		goto bad;
	n = rn_le64(len);
	if (n > SSIZE_MAX)
		goto bad;
	if (n > r->cap) {
		r->cap = n;
		r->item = xreallocarray(r->item, r->cap, 1);
	}
	if (pread(r->sp->fd, r->item, n, (off_t)(off + sizeof(len))) !=
	    (ssize_t)n)
		goto bad;
	r->off = off + sizeof(len) + n;
	rd->src.raw_off = r->off;	/* for record_progress() */
	return (ssize_t)n;
bad:
	record_error(rd, 0, 0, "", "cannot read back its copy: %s",
		     strerror(errno ? errno : EIO));
	return -EIO;
}

static int replay_next(struct record_reader *rd)
{
	struct replay *r = rd->priv;
	const struct spool_rec *sr;
	struct rn_in in;
	ssize_t n;

	if (r->rec >= r->sp->nr_recs)
		return 0;
	sr = &r->sp->recs[r->rec++];
	n = replay_item(rd, r, sr->meta_off);
	if (n < 0)
		return (int)n;
	record_meta_release(&rd->meta);
	record_meta_init(&rd->meta);
	in = (struct rn_in){ .p = r->item, .end = r->item + n };
	if (!rn_decode_meta(&in, &rd->meta))
		return record_error(rd, 0, 0, "", "its copy is corrupt");
	r->snap = 0;
	r->off = sr->snaps_off;
	return 1;
}

static int replay_next_snapshot(struct record_reader *rd,
				struct snapshot *snap)
{
	struct replay *r = rd->priv;
	struct rn_in in;
	ssize_t n;

	if (!r->rec || r->snap >= r->sp->recs[r->rec - 1].nr_snaps)
		return 0;
	n = replay_item(rd, r, r->off);
	if (n < 0)
		return (int)n;
	r->snap++;
	snapshot_clear(snap);
	in = (struct rn_in){ .p = r->item, .end = r->item + n };
	if (!rn_decode_snapshot(&in, snap))
		return record_error(rd, 0, 0, "", "its copy is corrupt");
	return 1;
}

static void replay_release(struct record_reader *rd)
{
	struct replay *r = rd->priv;

	if (r) {
		record_spool_free(r->sp);
		free(r->item);
	}
	free(r);
	rd->priv = NULL;
}

static const struct record_ops replay_ops = {
	.next = replay_next,
	.next_snapshot = replay_next_snapshot,
	.release = replay_release,
};

struct record_reader *record_spool_replay(struct record_reader *rd,
					  struct diag *diag)
{
	struct record_spool *sp = rd->spool;
	struct record_reader *out;
	struct replay *r;

	if (!sp || sp->bad || !sp->done || sp->in_rec || rd->err)
		return NULL;
	rd->spool = NULL;
	out = xcalloc(1, sizeof(*out));
	out->path = xstrdup(rd->path);
	out->diag = diag;
	out->fmt = rd->fmt;
	out->src.fd = -1;
	out->src.size = sp->off;
	record_meta_init(&out->meta);
	r = xcalloc(1, sizeof(*r));
	r->sp = sp;
	out->priv = r;
	out->ops = &replay_ops;
	return out;
}
