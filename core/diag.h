/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Diagnostics: a list of problems found in one input, each with the key path
 * of the offending value and, once known, where it stands in its file.
 */
#ifndef DAMO_CORE_DIAG_H
#define DAMO_CORE_DIAG_H

#include <stdbool.h>
#include <stddef.h>

struct diag_entry {
	char *file;		/* NULL when the input is not a file */
	unsigned int line;	/* 1-based; 0 when unknown */
	unsigned int col;	/* 1-based; 0 when unknown */
	char *path;		/* key path, e.g. "kdamonds[0].refresh_ms"; may be "" */
	char *msg;		/* what is wrong, no trailing full stop */
	bool warning;		/* worth saying, but the input was used */
};

struct diag {
	struct diag_entry *v;
	size_t nr;
	size_t cap;
};

void diag_init(struct diag *d);
void diag_release(struct diag *d);

/*
 * diag_add() - record one problem.  @path and the formatted message are
 * copied.  Returns the new entry so a caller may set its location.
 */
struct diag_entry *diag_add(struct diag *d, const char *path,
			    const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* diag_add() with an explicit location. */
struct diag_entry *diag_add_at(struct diag *d, const char *file,
			       unsigned int line, unsigned int col,
			       const char *path, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* diag_add_at() of a warning: the input is used despite it. */
struct diag_entry *diag_warn_at(struct diag *d, const char *file,
				unsigned int line, unsigned int col,
				const char *path, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* The number of entries that are errors, not warnings. */
size_t diag_nr_errors(const struct diag *d);

/* Set @file on every entry that has none yet (copied). */
void diag_set_file(struct diag *d, size_t from, const char *file);

/*
 * diag_format() - one entry as "FILE:LINE:COL: error: PATH: MSG" (parts that
 * are unknown are left out; "warning: " for a warning).  The result is owned by the caller.
 */
char *diag_format(const struct diag_entry *e);

#endif /* DAMO_CORE_DIAG_H */
