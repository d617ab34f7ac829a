/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The legacy "damon_recfmt_ver" binary of DAMON's early recorder and damo
 * <= 2.0 (docs/damo-compat.md §3.3), byte-exact: little-endian, packed.  Like
 * the trace reader, one pass finds the records and their times, then each
 * record is read by a pass that seeks over the other targets' regions.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/snapshot.h"
#include "core/xalloc.h"
#include "formats/record_internal.h"

#define REGION_BYTES 20		/* u64 start, u64 end, u32 nr_accesses */

struct legacy {
	struct rec_stats stats;
	unsigned int id_bytes;		/* 4 for version 1, else 8 */
	uint64_t data_off;		/* where the first snapshot starts */
	/* reading one record */
	size_t cur;
	uint64_t emitted;
	uint64_t prev_end_ns;
	uint32_t left;			/* targets left in the snapshot */
	uint64_t agg_end_ns;		/* end time of that snapshot */
};

static uint64_t le(const unsigned char *b, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | b[n];
	return v;
}

/* Read @n bytes of @what, or fail saying where the file ends. */
static int need(struct record_reader *rd, void *dst, size_t n,
		const char *what)
{
	uint64_t at = rsrc_tell(&rd->src);
	size_t got = rsrc_read(&rd->src, dst, n);

	if (got == n)
		return 0;
	if (rd->src.err)
		return record_error(rd, 0, 0, "", "byte %llu: %s",
				    (unsigned long long)at, rd->src.errmsg);
	return record_error(rd, 0, 0, "",
			    "byte %llu: the file ends inside %s (%zu of %zu bytes)",
			    (unsigned long long)at, what, got, n);
}

/* A snapshot's end time; 0 and *eof at a clean end of the file. */
static int read_time(struct record_reader *rd, uint64_t *end_ns, bool *eof)
{
	uint64_t at = rsrc_tell(&rd->src);
	unsigned char b[16];
	int64_t sec, nsec;
	uint64_t ns;

	*eof = at >= rd->src.size;
	if (*eof)
		return 0;
	if (need(rd, b, sizeof(b), "a snapshot's time"))
		return -EINVAL;
	sec = (int64_t)le(b, 8);
	nsec = (int64_t)le(b + 8, 8);
	if (sec < 0 || nsec < 0 ||
	    __builtin_mul_overflow((uint64_t)sec, 1000000000ULL, &ns) ||
	    __builtin_add_overflow(ns, (uint64_t)nsec, &ns) || ns == SNAP_NONE)
		return record_error(rd, 0, 0, "",
				    "byte %llu: invalid snapshot time %lld s %lld ns",
				    (unsigned long long)at, (long long)sec,
				    (long long)nsec);
	*end_ns = ns;
	return 0;
}

static int read_u32(struct record_reader *rd, uint32_t *v, const char *what)
{
	unsigned char b[4];

	if (need(rd, b, sizeof(b), what))
		return -EINVAL;
	*v = (uint32_t)le(b, 4);
	return 0;
}

/* A target's id and region count; the regions must all be in the file. */
static int read_target(struct record_reader *rd, struct legacy *lg,
		       uint64_t *id, uint32_t *nr)
{
	unsigned char b[8];
	uint64_t at, left;

	if (need(rd, b, lg->id_bytes, "a target id") ||
	    read_u32(rd, nr, "a region count"))
		return -EINVAL;
	/* Version 1 ids are C ints: keep their sign as damo did. */
	*id = lg->id_bytes == 4 ? (uint64_t)(int64_t)(int32_t)le(b, 4) :
				  le(b, 8);
	at = rsrc_tell(&rd->src);
	left = rd->src.size - at;
	if ((uint64_t)*nr * REGION_BYTES > left)
		return record_error(rd, 0, 0, "",
				    "byte %llu: the file ends inside the regions (%llu bytes for %u, %llu left)",
				    (unsigned long long)at,
				    (unsigned long long)*nr * REGION_BYTES, *nr,
				    (unsigned long long)left);
	return 0;
}

static int first_pass(struct record_reader *rd, struct legacy *lg)
{
	uint64_t end_ns, id, at;
	uint32_t nr_targets, nr;
	struct rec_stat *r;
	bool eof;

	for (;;) {
		at = rsrc_tell(&rd->src);
		if (read_time(rd, &end_ns, &eof))
			return -EINVAL;
		if (eof)
			return 0;
		if (read_u32(rd, &nr_targets, "a target count"))
			return -EINVAL;
		while (nr_targets--) {
			if (read_target(rd, lg, &id, &nr))
				return -EINVAL;
			r = rec_stats_get(&lg->stats, 0, SNAP_NONE, SNAP_NONE,
					  id);
			if (r->nr_snapshots && end_ns < r->last_end_ns)
				return record_error(rd, 0, 0, "",
						    "byte %llu: snapshot is not sorted by time",
						    (unsigned long long)at);
			if (!r->nr_snapshots++)
				r->first_end_ns = end_ns;
			r->last_end_ns = end_ns;
			rsrc_skip(&rd->src, (uint64_t)nr * REGION_BYTES);
		}
	}
}

static const struct record_ops legacy_ops;

int record_legacy_init(struct record_reader *rd, bool has_magic)
{
	struct legacy *lg = xcalloc(1, sizeof(*lg));
	unsigned char b[20];
	int64_t version = 0;

	rd->priv = lg;
	rd->ops = &legacy_ops;
	lg->cur = SIZE_MAX;
	lg->id_bytes = 8;
	if (has_magic) {
		if (need(rd, b, sizeof(b), "the header"))
			return -EINVAL;
		version = (int32_t)le(b + 16, 4);
		if (version < 0 || version > 2)
			return record_error(rd, 0, 0, "",
					    "byte 16: unsupported version %lld",
					    (long long)version);
		lg->data_off = sizeof(b);
	}
	if (version == 1)
		lg->id_bytes = 4;
	return first_pass(rd, lg);
}

static int legacy_next(struct record_reader *rd)
{
	struct legacy *lg = rd->priv;
	const struct rec_stat *r;

	lg->cur = lg->cur == SIZE_MAX ? 0 : lg->cur + 1;
	if (lg->cur >= lg->stats.nr) {
		lg->cur = lg->stats.nr;
		return 0;
	}
	r = &lg->stats.v[lg->cur];
	record_meta_release(&rd->meta);
	rd->meta.data_source = xstrdup("unknown");
	rd->meta.target_id = r->target_id;
	lg->emitted = 0;
	lg->left = 0;
	lg->prev_end_ns = rec_stat_first_start(r);
	if (rsrc_rewind(&rd->src))
		return record_error(rd, 0, 0, "", "%s", rd->src.errmsg);
	rsrc_skip(&rd->src, lg->data_off);
	return 1;
}

static int read_regions(struct record_reader *rd, struct snapshot *snap,
			uint32_t nr)
{
	unsigned char b[REGION_BYTES];
	struct snap_region *r;

	while (nr--) {
		if (need(rd, b, sizeof(b), "a region"))
			return -EINVAL;
		r = snapshot_add_region(snap);
		r->start = le(b, 8);
		r->end = le(b + 8, 8);
		r->nr_accesses = le(b + 16, 4);
	}
	return 0;
}

/* damo's writers ended single-snapshot records with "0-0: -1". */
static bool is_fake(const struct snapshot *snap)
{
	const struct snap_region *r = snap->regions;

	return snap->nr_regions == 1 && !r->start && !r->end &&
	       r->nr_accesses == UINT32_MAX;
}

static int legacy_next_snapshot(struct record_reader *rd,
				struct snapshot *snap)
{
	struct legacy *lg = rd->priv;
	const struct rec_stat *r;
	uint64_t id, idx;
	uint32_t nr;
	bool eof;

	if (lg->cur >= lg->stats.nr)
		return 0;
	r = &lg->stats.v[lg->cur];
	while (lg->emitted < r->nr_snapshots) {
		if (!lg->left) {
			if (read_time(rd, &lg->agg_end_ns, &eof))
				return -EINVAL;
			if (eof)
				break;
			if (read_u32(rd, &lg->left, "a target count"))
				return -EINVAL;
			continue;
		}
		lg->left--;
		if (read_target(rd, lg, &id, &nr))
			return -EINVAL;
		if (id != r->target_id) {
			rsrc_skip(&rd->src, (uint64_t)nr * REGION_BYTES);
			continue;
		}
		snapshot_clear(snap);
		snap->start_ns = lg->prev_end_ns;
		snap->end_ns = lg->agg_end_ns;
		lg->prev_end_ns = lg->agg_end_ns;
		if (read_regions(rd, snap, nr))
			return -EINVAL;
		idx = lg->emitted++;
		if (!(r->nr_snapshots >= 2 && idx == r->nr_snapshots - 1 &&
		      is_fake(snap)))
			return 1;
	}
	return 0;
}

static void legacy_release(struct record_reader *rd)
{
	struct legacy *lg = rd->priv;

	if (!lg)
		return;
	rec_stats_release(&lg->stats);
	free(lg);
	rd->priv = NULL;
}

static const struct record_ops legacy_ops = {
	.next = legacy_next,
	.next_snapshot = legacy_next_snapshot,
	.release = legacy_release,
};
