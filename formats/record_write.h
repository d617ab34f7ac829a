/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writing damo's JSON access records (damo-compat.md §3.2), as json or as
 * json_compressed (the same text as one zlib stream), from the record model
 * of core/snapshot.h, one snapshot at a time.
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
 * that, and then all at once (PATH.tmp renamed over it).
 */
#ifndef DAMO_FORMATS_RECORD_WRITE_H
#define DAMO_FORMATS_RECORD_WRITE_H

#include <stdbool.h>
#include <stddef.h>

struct diag;
struct record_meta;
struct record_writer;
struct snapshot;

/*
 * record_writer_new() - a writer of the record file @path (copied).
 * @compress: json_compressed instead of json
 * @diag: where I/O problems go, naming the file (borrowed; it must
 *	outlive the writer)
 * Return: the writer, owned by the caller (record_writer_free()).
 */
struct record_writer *record_writer_new(const char *path, bool compress,
					struct diag *diag);

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
 * record_writer_finish() - write the file: all of it to PATH.tmp (mode
 * 0600, as damo's default --output_permission), synced, then an existing
 * PATH renamed to PATH.old (as damo does) and PATH.tmp to PATH.
 * Return: 0, or -errno with PATH as it was and no PATH.tmp left.
 */
int record_writer_finish(struct record_writer *w);

/* Free @w; NULL is accepted.  An unfinished writer leaves no file. */
void record_writer_free(struct record_writer *w);

#endif /* DAMO_FORMATS_RECORD_WRITE_H */
