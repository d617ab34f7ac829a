/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Streaming readers of damo's access record files (docs/damo-compat.md §3): an
 * iterator of records, each an iterator of snapshots, in memory bounded by
 * one snapshot plus the parser's state whatever the file size.
 */
#ifndef DAMO_FORMATS_RECORD_H
#define DAMO_FORMATS_RECORD_H

#include <stdbool.h>
#include <stdint.h>

struct diag;
struct record_meta;
struct record_reader;
struct snapshot;

enum record_format {
	RECORD_FMT_JSON,		/* damo's JSON list of records */
	RECORD_FMT_JSON_COMPRESSED,	/* the same as one zlib stream */
	RECORD_FMT_PERF_SCRIPT,		/* perf script / trace-cmd report text */
	RECORD_FMT_LEGACY,		/* the "damon_recfmt_ver" binary */
	RECORD_FMT_NATIVE,		/* docs/record-format.md */
};

/*
 * What a native record file says about the recording as a whole (the
 * damo formats have no place for it).  Strings are "" when not known.
 */
struct record_info {
	uint64_t start_ns;	/* wall clock (CLOCK_REALTIME) at the start; 0: unknown */
	const char *host;	/* host name */
	const char *kernel;	/* "Linux 6.8.0 x86_64" (uname) */
	const char *ops;	/* operations set, e.g. "vaddr" */
	const char *config;	/* the configuration used, as text */
};

/* A side sample of a native file: a target's memory footprint. */
struct record_rss {
	uint64_t rec;		/* the record's index, in record_next() order */
	uint64_t target_id;	/* that record's target_id (SNAP_NONE) */
	uint64_t time_ns;	/* on the snapshots' clock */
	uint64_t rss_bytes;	/* SNAP_NONE when not known */
	uint64_t vsz_bytes;	/* SNAP_NONE when not known */
};

/*
 * damo's --output_type name of @fmt: "json", "perf_script", "record"...,
 * and "native" for ours.
 */
const char *record_format_name(enum record_format fmt);

/*
 * record_open() - open the record file @path, its format sniffed from the
 * first bytes, never from the name: a zlib header (0x78 ..) is
 * json_compressed, '[' or '{' after blanks is JSON, the 16-byte magic
 * "damon_recfmt_ver" (or, without it, a NUL in the first block: a version
 * 0 file) is the legacy binary, anything else is perf/trace-cmd text.
 * The native format's 8-byte magic comes first; 7 of its 8 bytes suffice,
 * so a native file with a damaged magic is refused as native, not read as
 * text.  A native file cut short (no trailer, or a partial chunk) opens
 * with a warning in @diag (diag_entry.warning) saying where it was cut,
 * and reads up to its last whole chunk.
 * @rdp: receives the reader, owned by the caller (record_close())
 * @diag: where problems go, each with @path and where it stands (line and
 *	column for JSON, line for text, a byte offset for the binary).  It is
 *	borrowed and must outlive the reader.
 * Text and legacy files are scanned once here (damo's start times need the
 * last snapshot), so their errors show at open.
 * Return: 0; -errno when the file cannot be read; -EINVAL when it is not a
 * readable record file.  Nothing to close on failure.
 */
int record_open(const char *path, struct record_reader **rdp,
		struct diag *diag);

enum record_format record_format(const struct record_reader *rd);

/*
 * record_is_likely() - whether @path looks like a record file from its
 * first bytes (a native, JSON, compressed or legacy file, or text of
 * DAMON's tracepoint), for completion; record_open() decides for real.
 */
bool record_is_likely(const char *path);

/*
 * record_next() - go to the next record, skipping what is left of the
 * current one.
 * @meta: receives what the record is about, borrowed: valid until the next
 *	record_next() or record_close()
 * Return: 1 for a record, 0 after the last one, -EINVAL (or -errno) on an
 * error, reported once in the reader's diag; every later call returns the
 * same error.
 */
int record_next(struct record_reader *rd, const struct record_meta **meta);

/*
 * record_next_snapshot() - read the next snapshot of the current record
 * into @snap (snapshot_init()ed by the caller and owned by it), which is
 * snapshot_clear()ed first so its storage is reused.
 * Region fields damo keeps in other units are converted with the record's
 * intervals: percent-only access rates to samples (an error without
 * intervals), ages in microseconds to aggregation intervals (SNAP_NONE
 * without intervals).
 * Return: 1 for a snapshot, 0 at the end of the record, or an error as for
 * record_next().
 */
int record_next_snapshot(struct record_reader *rd, struct snapshot *snap);

/*
 * record_one_pass() - read @rd's damo JSON records in one pass (call it
 * before the first record_next()).  damo writes a record's data_source
 * after its snapshots, so by default its keys after the snapshots are
 * read ahead: the record's snapshots are tokenized (and inflated) twice.
 * Here a record whose "intervals" come before its snapshots (as damo 3.3
 * writes them) has its snapshots read where they are, and the keys after
 * them when they end: meta->data_source is whole only once
 * record_next_snapshot() returned 0, and a problem in the snapshots shows
 * after the snapshots before it were returned.  A record key other than
 * data_source after the snapshots (which would change the meta the
 * snapshots were read with) is an error in this mode.  Other formats and
 * other records read as without it.
 */
void record_one_pass(struct record_reader *rd);

/*
 * record_spool_start() - keep what @rd gives from now on (call it before
 * the first record_next()) for record_spool_replay(): each record and
 * snapshot is also written, encoded as in the native format, to an
 * unlinked temporary file (next to the file, else in $TMPDIR, /var/tmp or
 * /tmp).  For damo's JSON formats only, whose second reading costs a
 * parse (and an inflate); memory stays one snapshot.
 * Return: 0, or -errno when nothing will be kept (another format, no
 * temporary file): then read the file again.
 */
int record_spool_start(struct record_reader *rd);

/*
 * record_spool_replay() - a reader of what @rd kept, giving the same
 * records (meta whole at record_next()) and snapshots again from the
 * first, once @rd read its whole file without an error and every record's
 * snapshots to their end.
 * @diag: where its problems go (borrowed, as for record_open())
 * Return: the reader, owned by the caller (record_close()), which takes
 * the copy over from @rd; NULL when there is none to give: read the file
 * again.
 */
struct record_reader *record_spool_replay(struct record_reader *rd,
					  struct diag *diag);

/*
 * record_info() - what the file says about the recording as a whole.
 * Return: borrowed (valid until record_close()), or NULL for the damo
 * formats, which do not say it.
 */
const struct record_info *record_info(const struct record_reader *rd);

/*
 * record_next_rss() - the next side sample (a target's RSS and VSZ) of
 * the file, in the order written, which is the order in which the
 * recorder took them (time order).  Independent of record_next(): it has
 * its own position and may be called at any time.
 * Return: 1 for a sample, 0 after the last one (at once for the damo
 * formats, which hold none), or an error as for record_next().
 */
int record_next_rss(struct record_reader *rd, struct record_rss *rss);

/*
 * record_progress() - how far the reader is in the file: @done of @total
 * bytes of the file as it is on disk (compressed bytes for
 * json_compressed), for progress lines.  A JSON reader that reads a
 * record's keys ahead of its snapshots may be ahead for a moment.
 */
void record_progress(const struct record_reader *rd, uint64_t *done,
		     uint64_t *total);

/* Close @rd and free it; NULL is accepted. */
void record_close(struct record_reader *rd);

#endif /* DAMO_FORMATS_RECORD_H */
