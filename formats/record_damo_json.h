/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of the damo JSON record reader shared by its two files: the
 * reader state and the value readers (record_damo_json.c walks records,
 * snapshots and regions; record_damo_json_meta.c reads what a record is
 * about).
 */
#ifndef DAMO_FORMATS_RECORD_DAMO_JSON_H
#define DAMO_FORMATS_RECORD_DAMO_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "formats/json_pull.h"
#include "formats/record_internal.h"

enum dj_state {
	DJ_START,	/* nothing read yet */
	DJ_BETWEEN,	/* between records of the top-level list */
	DJ_SNAPS_OPEN,	/* at the record's "snapshots" value */
	DJ_SNAPS,	/* inside the snapshots list */
	DJ_AFTER,	/* snapshots done; the record's other keys remain */
	DJ_CLOSED,	/* the whole record was read (one pass) */
	DJ_DONE,
};

/* How a number (a JSON number or a string in damo's units) is read. */
enum dj_kind {
	DK_NR,		/* a count: "1,234" */
	DK_SIZE,	/* bytes: "31.340 MiB" */
	DK_NS,		/* time in ns: "539809434100" */
	DK_US,		/* time in us: "3 s 400 ms", "5000" */
	DK_BP,		/* basis points: "400.000000" */
	DK_PCT,		/* a percentage, kept in 1e-6 % units */
};

struct dj {
	struct jpull jp;
	enum dj_state state;
	bool single;		/* the file is one record object, no list */
	bool first;		/* no element of the current list read yet */
	size_t rec;		/* indexes for key paths in messages */
	size_t snap;
	size_t reg;
	bool in_snap;
	bool in_reg;
	bool slow;		/* no fast path: every region the general way */
	bool iv_seen;		/* the record's "intervals" were read */
	bool in_place;		/* its snapshots are read where they are */
	uint64_t nr_fast;	/* regions the fast path read */
	const char *key[3];	/* keys below the innermost index */
	uint64_t *hits;		/* one region's probe hits while read */
	size_t nr_hits;
	size_t cap_hits;
};

struct dj_field {
	const char *key;
	enum dj_kind kind;
	size_t off;		/* of a uint64_t in the object */
};

/* The key path of where the reader is, for messages; returns @buf. */
const char *dj_path(const struct dj *d, char *buf, size_t size);

/* Report at the current token's position, under the current path. */
int dj_error(struct dj *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The same at @line:@col. */
int dj_error_at(struct dj *d, unsigned int line, unsigned int col,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The token just taken is not @what: "expected @what, found ...". */
int dj_unexpected(struct dj *d, const char *what);

/*
 * dj_u64() - read a number of @kind; null gives SNAP_NONE when @nullable.
 * Return: 0 or -EINVAL (reported).
 */
int dj_u64(struct dj *d, enum dj_kind kind, bool nullable, uint64_t *out);

/* The field of @key in @fields (ended by a NULL key), or NULL. */
const struct dj_field *dj_find(const struct dj_field *fields, const char *key);

/* Read an object whose keys are all in @fields into @obj; others skipped. */
int dj_flat(struct dj *d, const struct dj_field *fields, void *obj);

/* Set d->key[@level] and clear the deeper ones. */
void dj_key(struct dj *d, int level, const char *key);

/*
 * dj_record_keys() - read the keys of a record whose '{' was taken into
 * rd->meta, skipping the snapshots but marking where the last "snapshots"
 * value starts in @mark (with its line and column).
 * In one pass (record_one_pass()), once the record's intervals were read,
 * it stops at the first "snapshots" key instead: the source is at its
 * value.
 * Return: 1 when a "snapshots" key was found, 2 when it stopped there (one
 * pass), 0 when none, -EINVAL.
 */
int dj_record_keys(struct record_reader *rd, struct dj *d,
		   struct rsrc_mark *mark, unsigned int *line,
		   unsigned int *col);

/*
 * dj_record_tail() - in one pass, the record's keys after its snapshots
 * up to its closing '}': data_source read into rd->meta, unknown keys
 * skipped, other record keys refused.  0 or -EINVAL.
 */
int dj_record_tail(struct record_reader *rd, struct dj *d);

#endif /* DAMO_FORMATS_RECORD_DAMO_JSON_H */
