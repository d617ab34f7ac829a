/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The output facade: every printed field is described once (its JSON key,
 * which is also its text label, and its value) and comes out as text or as
 * JSON depending on the mode.  Errors go through out_error() so that under
 * --json they are {"error": ...} on stdout and nothing on stderr.
 */
#ifndef DAMO_CORE_OUT_H
#define DAMO_CORE_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum out_flags {
	OUT_JSON = 1 << 0,	/* JSON instead of text */
	OUT_PRETTY = 1 << 1,	/* indented JSON */
	OUT_COLOR = 1 << 2,	/* text may use ANSI colour */
	OUT_RAW = 1 << 3,	/* text prints plain numbers, no human units */
	OUT_QUIET = 1 << 4,	/* no progress lines (--quiet) */
};

struct out;

/* A table column: the JSON key of the field and its text heading. */
struct out_col {
	const char *key;
	const char *heading;
	bool right;		/* right-align (numbers) */
};

/*
 * out_new() - start output on @f (borrowed) with @flags (enum out_flags).
 * Return: owned handle; free with out_free().
 */
struct out *out_new(FILE *f, unsigned int flags);
/* Finish (closes any open JSON value), free and NULL *@o. */
void out_free(struct out **o);

bool out_is_json(const struct out *o);
bool out_is_raw(const struct out *o);
bool out_has_color(const struct out *o);

/*
 * Structure.  @key is the member name inside an object and NULL inside a
 * list or at the top level.  In text, objects become indented "key:" blocks
 * and list items are separated by their position ("key[0]:").
 */
void out_begin_obj(struct out *o, const char *key);
void out_end_obj(struct out *o);
void out_begin_list(struct out *o, const char *key);
void out_end_list(struct out *o);

/*
 * A table: a list of objects in JSON, aligned columns with a heading row in
 * text.  Rows are out_begin_obj(o, NULL) ... out_end_obj(o); fields whose key
 * is not a column are JSON-only.  @cols is borrowed until out_end_table().
 */
void out_begin_table(struct out *o, const char *key,
		     const struct out_col *cols, size_t nr_cols);
void out_end_table(struct out *o);

/* Fields.  out_str() with a NULL @val prints JSON null / text "-". */
void out_str(struct out *o, const char *key, const char *val);
void out_strf(struct out *o, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void out_u64(struct out *o, const char *key, uint64_t v);
void out_i64(struct out *o, const char *key, int64_t v);
void out_bool(struct out *o, const char *key, bool v);
void out_null(struct out *o, const char *key);
/*
 * out_u64_as() / out_i64_as() - JSON: the number @v under @key; text:
 * "@label: @text" (@label NULL: @key), for a value text shows otherwise
 * (an address in hex, "max", an age as a time, a pid without
 * separators).
 */
void out_u64_as(struct out *o, const char *key, const char *label,
		uint64_t v, const char *text);
void out_i64_as(struct out *o, const char *key, const char *label,
		int64_t v, const char *text);
/*
 * out_text_field() - text only: "@label: @text" at the current indentation
 * (just @text when @label is NULL); nothing in JSON.  With the JSON-only
 * fields of out_print_*() and out_json_begin_*(), one text line for a
 * value JSON holds as an object ("age: 1 s .. max").
 */
void out_text_field(struct out *o, const char *label, const char *text);
/* An id or a pid: the plain number in both modes (no separators). */
void out_id_nr(struct out *o, const char *key, int64_t v);
/* JSON: the exact number; text: damo's human size unless raw. */
void out_size(struct out *o, const char *key, uint64_t bytes);
/* JSON: the exact number of @unit_ns units; text: human time unless raw. */
void out_time(struct out *o, const char *key, uint64_t v, uint64_t unit_ns);

/*
 * One field printed both ways, for reports whose text is a fixed layout
 * (damo's) rather than "key: value" lines.  In JSON: the member @key (NULL
 * inside a list) with the value.  In text: @fmt, a printf format taking
 * the value as its only argument, printed as is (no indentation, no
 * heading); nothing when @fmt is NULL, which makes the field JSON-only.
 * Text-only lines are out_text().
 */
void out_print_u64(struct out *o, const char *key, const char *fmt,
		   uint64_t v);
void out_print_i64(struct out *o, const char *key, const char *fmt,
		   int64_t v);
/* A string value; NULL @v is JSON null (and "-" in text). */
void out_print_str(struct out *o, const char *key, const char *fmt,
		   const char *v);
/* JSON null; @fmt (no argument) in text. */
void out_print_null(struct out *o, const char *key, const char *fmt);
/* JSON: the number @v; text: @fmt with @shown, @v as text shows it. */
void out_print_u64_as(struct out *o, const char *key, const char *fmt,
		      uint64_t v, const char *shown);
void out_print_i64_as(struct out *o, const char *key, const char *fmt,
		      int64_t v, const char *shown);
/*
 * A number already formatted as @num (a JSON number, for example a float
 * as Python prints it): as is in JSON, @fmt with it in text.
 */
void out_print_num(struct out *o, const char *key, const char *fmt,
		   const char *num);
/* JSON: the number @v (printed "%.*f" with @prec); text: @fmt with @v. */
void out_print_f64(struct out *o, const char *key, const char *fmt,
		   double v, int prec);

/*
 * JSON-only structure for the out_print_*() fields: an object or list in
 * JSON, nothing at all in text (no heading, no indentation).
 */
void out_json_begin_obj(struct out *o, const char *key);
void out_json_end_obj(struct out *o);
void out_json_begin_list(struct out *o, const char *key);
void out_json_end_list(struct out *o);

/* Free text, printed in text mode only (headings, hints in reports). */
void out_text(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A ready-made document (for example a YAML configuration), as is. */
void out_write(struct out *o, const char *text);
/* @len bytes of text as they are, for a document written in parts. */
void out_write_len(struct out *o, const char *buf, size_t len);

/*
 * Messages.  out_error(): "damo: error: ..." on stderr, or {"error": "..."}
 * on stdout under JSON.  out_warn(): "damo: warning: ..." on stderr in
 * both modes; out_hint(): "hint: ..." on stderr, nothing under JSON.  No
 * trailing newline in @fmt.
 */
void out_error(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void out_warn(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void out_hint(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * out_progress() - a one-line status of a long run on standard error,
 * rewritten in place, only when standard error is a terminal (in both
 * modes: out_progress_end() erases it again, so nothing of it stays) and
 * not OUT_QUIET (--quiet).
 * No newline in @fmt.
 */
void out_progress(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Erase the progress line, if one is shown. */
void out_progress_end(struct out *o);

/* Whether out_error() has been called. */
bool out_failed(const struct out *o);

#endif /* DAMO_CORE_OUT_H */
