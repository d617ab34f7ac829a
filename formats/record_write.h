/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writing access records from the record model of core/snapshot.h, one
 * snapshot at a time: damo's JSON (docs/damo-compat.md §3.2), as json or as
 * json_compressed (the same text as one zlib stream), or the native
 * format (docs/record-format.md, see record_writer_open()).
 *
 * The text is laid out as damo's json.dumps(indent=4) with its key order,
 * and every number is written exactly (no double): record and snapshot
 * numbers as decimal strings as damo writes them, region start, end and
 * sz_filter_passed as JSON integers (damo writes human strings such as
 * "94,827,419,009,024" there and reads either).
 *
 * Memory stays bounded by one snapshot: each record's snapshots wait in an
 * unlinked temporary file next to the output until record_writer_finish()
 * puts the records together.  Nothing appears at the output path before
 * that, and then all at once (a temporary file renamed over it).
 */
#ifndef DAMO_FORMATS_RECORD_WRITE_H
#define DAMO_FORMATS_RECORD_WRITE_H

#include <stdbool.h>
#include <stddef.h>

#include <stdint.h>

#include "formats/record.h"

struct diag;
struct record_meta;
struct record_writer;
struct snapshot;

/*
 * record_writer_new() - a writer of the record file @path (copied).
 * @compress: json_compressed instead of json
 * @diag: where I/O problems go, naming the file (borrowed; it must
 *	outlive the writer); a directory where no temporary file can be
 *	made is reported here at once, and the writer then fails
 * Return: the writer, owned by the caller (record_writer_free()).
 */
struct record_writer *record_writer_new(const char *path, bool compress,
					struct diag *diag);

/*
 * record_writer_open() - a writer of the record file @path in @fmt.
 * RECORD_FMT_JSON and RECORD_FMT_JSON_COMPRESSED are record_writer_new().
 * RECORD_FMT_NATIVE writes directly at @path, append-only: an existing
 * @path is renamed to PATH.old and @path created (mode 0600, with
 * O_EXCL|O_NOFOLLOW: a name that reappeared is refused) here; a chunk
 * of snapshots is written out at least every 64 snapshots, 1 MiB or second
 * (checked as snapshots come), so a killed recorder loses at most the
 * last chunk and leaves a file the readers read up to there.
 * record_writer_finish() writes the index and the trailer and syncs;
 * record_writer_free() without it leaves the file as written so far (a
 * cut file), or, when no chunk was written yet, removes it and puts back
 * what PATH.old was renamed from.
 * @diag: as for record_writer_new(); open failures are reported there and
 *	make the writer fail at its first use.
 * Return: the writer, owned by the caller, or NULL when @fmt is not a
 * format damo writes (perf script text, the legacy binary).
 */
struct record_writer *record_writer_open(const char *path,
					 enum record_format fmt,
					 struct diag *diag);

/*
 * record_writer_set_info() - what the native file's header says about the
 * recording (@info's strings are copied; NULL ones keep what the writer
 * found itself: host and kernel from uname(2); a start_ns of 0 keeps the
 * wall clock at open, SNAP_NONE writes "unknown" (0), for runs that are
 * not on the wall clock and must give the same bytes every time).  Call
 * before the first snapshot.  Ignored by the damo formats.
 * Return: 0, or -EBUSY when the header is already written.
 */
int record_writer_set_info(struct record_writer *w,
			   const struct record_info *info);

/*
 * record_writer_rss() - a side sample of record @rec's target: its RSS
 * and VSZ (SNAP_NONE when not known) at @time_ns (the snapshots' clock).
 * The damo formats have no place for them: they are dropped (returns 0).
 * Return: 0, or -errno as for record_writer_snapshot().
 */
int record_writer_rss(struct record_writer *w, size_t rec, uint64_t time_ns,
		      uint64_t rss_bytes, uint64_t vsz_bytes);

/*
 * record_writer_flush() - write out what the native writer holds now (a
 * recorder with seconds between snapshots may call it when idle); 0 for
 * the damo formats, which write everything at finish.
 * Return: 0 or -errno.
 */
int record_writer_flush(struct record_writer *w);

/*
 * record_writer_bytes() - how much of the file is written so far: the
 * native format's bytes on disk; 0 for the damo formats, which write the
 * file at finish.
 */
uint64_t record_writer_bytes(const struct record_writer *w);

/*
 * record_writer_add() - start a record about @meta (its indexes, intervals,
 * scheme filters and data source are copied; null ones are written null).
 * Records come out in the order they are added.
 * Return: the record's index, for record_writer_snapshot().
 */
size_t record_writer_add(struct record_writer *w,
			 const struct record_meta *meta);

/*
 * record_writer_snapshot() - append @s to record @rec.  SNAP_NONE values
 * are written null, total_bytes then as the sum of the regions; stats only
 * when @s has them.
 * Return: 0, or -errno (in the diag) when the temporary file cannot be
 * written; the writer then fails at finish too.
 */
int record_writer_snapshot(struct record_writer *w, size_t rec,
			   const struct snapshot *s);

/*
 * record_writer_set_permission() - the file's permission bits, @mode
 * (default 0600, as damo's default --output_permission), set on the file
 * itself before it is in place (fchmod): never through a name someone
 * could have swapped for a link since.  Return: 0 or -errno.
 */
int record_writer_set_permission(struct record_writer *w, unsigned int mode);

/*
 * record_writer_finish() - write the file: all of it to a new temporary
 * file next to PATH (core/safefile.h: a random name, O_EXCL|O_NOFOLLOW;
 * mode 0600 or record_writer_set_permission()'s), synced, then an
 * existing PATH renamed to PATH.old (as damo does) and the temporary file
 * to PATH: a link planted at PATH is moved aside, never written through.
 * For the native format: the last chunk, the index and the trailer,
 * synced.
 * Return: 0, or -errno with PATH as it was and no temporary file left.
 */
int record_writer_finish(struct record_writer *w);

/* Free @w; NULL is accepted.  An unfinished writer leaves no file. */
void record_writer_free(struct record_writer *w);

#endif /* DAMO_FORMATS_RECORD_WRITE_H */
