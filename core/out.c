/* SPDX-License-Identifier: GPL-2.0 */
/* Text and JSON output from one description of each field. */
#include "out.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "units.h"
#include "xalloc.h"

#define OUT_MAX_DEPTH 32

enum frame_kind {
	FRAME_OBJ,
	FRAME_LIST,
	FRAME_TABLE,
	FRAME_ROW,
};

struct frame {
	enum frame_kind kind;
	size_t count;		/* members/items written so far */
	const char *key;	/* list key, for text item headings */
	bool hidden;		/* text: nested inside a table row */
};

struct table {
	const struct out_col *cols;
	size_t nr_cols;
	char **cells;		/* nr_rows * nr_cols, row-major */
	size_t nr_rows;
	size_t cap_cells;
};

struct out {
	FILE *f;
	unsigned int flags;
	struct frame stack[OUT_MAX_DEPTH];
	int depth;		/* number of open frames */
	int text_indent;
	bool top_written;	/* a top-level JSON value was completed */
	bool failed;
	bool progress_shown;	/* a progress line is on stderr */
	struct table table;
};

struct out *out_new(FILE *f, unsigned int flags)
{
	struct out *o = xcalloc(1, sizeof(*o));

	o->f = f;
	o->flags = flags;
	if (flags & OUT_PRETTY)
		o->flags |= OUT_JSON;
	return o;
}

static void out_close_all(struct out *o)
{
	while (o->depth > 0) {
		switch (o->stack[o->depth - 1].kind) {
		case FRAME_OBJ:
		case FRAME_ROW:
			out_end_obj(o);
			break;
		case FRAME_LIST:
			out_end_list(o);
			break;
		case FRAME_TABLE:
			out_end_table(o);
			break;
		}
	}
}

void out_free(struct out **op)
{
	struct out *o = *op;

	if (!o)
		return;
	out_close_all(o);
	free(o);
	*op = NULL;
}

bool out_is_json(const struct out *o) { return o->flags & OUT_JSON; }
bool out_is_raw(const struct out *o) { return o->flags & OUT_RAW; }
bool out_has_color(const struct out *o) { return o->flags & OUT_COLOR; }
bool out_failed(const struct out *o) { return o->failed; }

static struct frame *top(struct out *o)
{
	return o->depth ? &o->stack[o->depth - 1] : NULL;
}

static void json_str(FILE *f, const char *s)
{
	const unsigned char *p;

	fputc('"', f);
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\t': fputs("\\t", f); break;
		case '\r': fputs("\\r", f); break;
		case '\b': fputs("\\b", f); break;
		case '\f': fputs("\\f", f); break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void json_indent(struct out *o)
{
	int i;

	if (!(o->flags & OUT_PRETTY))
		return;
	fputc('\n', o->f);
	for (i = 0; i < o->depth; i++)
		fputs("  ", o->f);
}

/* Separator, indentation and member name before a JSON value. */
static void json_prefix(struct out *o, const char *key)
{
	struct frame *fr = top(o);

	/* top-level values are JSON lines: json_after_value() ends each */
	if (!fr)
		return;
	if (fr->count++)
		fputc(',', o->f);
	json_indent(o);
	if (fr->kind == FRAME_OBJ || fr->kind == FRAME_ROW) {
		json_str(o->f, key ? key : "");
		fputs(o->flags & OUT_PRETTY ? ": " : ":", o->f);
	}
}

static void json_after_value(struct out *o)
{
	if (!o->depth) {
		fputc('\n', o->f);
		o->top_written = false;
	}
}

static bool text_hidden(struct out *o)
{
	struct frame *fr = top(o);

	return fr && fr->hidden;
}

static void text_indent(struct out *o)
{
	fprintf(o->f, "%*s", o->text_indent * 2, "");
}

/* Text heading of an object or list: "key:" or "item N" in a list. */
static void text_heading(struct out *o, const char *key)
{
	struct frame *fr = top(o);
	size_t len;

	if (!fr)
		return;
	text_indent(o);
	if (fr->kind == FRAME_LIST && fr->key) {
		len = strlen(fr->key);
		if (len > 1 && fr->key[len - 1] == 's')
			len--;
		fprintf(o->f, "%.*s %zu\n", (int)len, fr->key, fr->count++);
	} else {
		fprintf(o->f, "%s:\n", key ? key : "-");
	}
	o->text_indent++;
}

static void push(struct out *o, enum frame_kind kind, const char *key,
		 bool hidden)
{
	struct frame *fr;

	if (o->depth == OUT_MAX_DEPTH)
		abort();
	fr = &o->stack[o->depth++];
	fr->kind = kind;
	fr->count = 0;
	fr->key = key;
	fr->hidden = hidden;
}

static void begin(struct out *o, const char *key, enum frame_kind kind,
		  char open)
{
	struct frame *fr = top(o);
	bool hidden = text_hidden(o) || (fr && fr->kind == FRAME_ROW);
	bool row = fr && fr->kind == FRAME_TABLE;

	if (o->flags & OUT_JSON) {
		json_prefix(o, key);
		fputc(open, o->f);
	} else if (row) {
		struct table *t = &o->table;
		size_t need = (t->nr_rows + 1) * t->nr_cols;

		if (need > t->cap_cells) {
			t->cap_cells = need * 2;
			t->cells = xreallocarray(t->cells, t->cap_cells,
						 sizeof(*t->cells));
		}
		memset(&t->cells[t->nr_rows * t->nr_cols], 0,
		       t->nr_cols * sizeof(*t->cells));
		t->nr_rows++;
	} else if (!hidden) {
		text_heading(o, key);
	}
	push(o, row ? FRAME_ROW : kind, key, hidden);
}

static void end(struct out *o, char close)
{
	struct frame *fr = top(o);

	if (!fr)
		abort();
	o->depth--;
	if (o->flags & OUT_JSON) {
		if (fr->count)
			json_indent(o);
		fputc(close, o->f);
		json_after_value(o);
		if (!o->depth)
			o->top_written = true;
		return;
	}
	if (!fr->hidden && fr->kind != FRAME_ROW && o->depth)
		o->text_indent--;
}

void out_begin_obj(struct out *o, const char *key)
{
	begin(o, key, FRAME_OBJ, '{');
}

void out_end_obj(struct out *o)
{
	end(o, '}');
}

void out_begin_list(struct out *o, const char *key)
{
	begin(o, key, FRAME_LIST, '[');
}

void out_end_list(struct out *o)
{
	end(o, ']');
}

void out_begin_table(struct out *o, const char *key,
		     const struct out_col *cols, size_t nr_cols)
{
	if (o->flags & OUT_JSON) {
		out_begin_list(o, key);
		return;
	}
	o->table.cols = cols;
	o->table.nr_cols = nr_cols;
	o->table.nr_rows = 0;
	push(o, FRAME_TABLE, key, false);
}

static void table_print(struct out *o)
{
	struct table *t = &o->table;
	size_t *w = xcalloc(t->nr_cols, sizeof(*w));
	size_t r, c, len;

	for (c = 0; c < t->nr_cols; c++) {
		w[c] = strlen(t->cols[c].heading);
		for (r = 0; r < t->nr_rows; r++) {
			const char *s = t->cells[r * t->nr_cols + c];

			len = s ? strlen(s) : 1;
			if (len > w[c])
				w[c] = len;
		}
	}
	for (r = 0; r <= t->nr_rows; r++) {
		text_indent(o);
		for (c = 0; c < t->nr_cols; c++) {
			const char *s = r ? t->cells[(r - 1) * t->nr_cols + c] :
					    t->cols[c].heading;
			bool last = c + 1 == t->nr_cols;

			if (!s)
				s = "-";
			if (t->cols[c].right)
				fprintf(o->f, "%*s", (int)w[c], s);
			else
				fprintf(o->f, "%-*s", last ? 0 : (int)w[c], s);
			fputs(last ? "\n" : "  ", o->f);
		}
	}
	for (r = 0; r < t->nr_rows * t->nr_cols; r++)
		free(t->cells[r]);
	free(w);
}

void out_end_table(struct out *o)
{
	if (o->flags & OUT_JSON) {
		out_end_list(o);
		return;
	}
	o->depth--;
	table_print(o);
	free(o->table.cells);
	memset(&o->table, 0, sizeof(o->table));
}

/* A JSON value (JSON mode only). */
static void json_field(struct out *o, const char *key, const char *json,
		       bool quote)
{
	json_prefix(o, key);
	if (quote)
		json_str(o->f, json);
	else
		fputs(json, o->f);
	json_after_value(o);
	if (!o->depth)
		o->top_written = true;
}

static void field_as(struct out *o, const char *key, const char *label,
		     const char *json, bool json_quote, const char *text);

/* Emit one scalar: @json is the JSON text, @text the text-mode value. */
static void field(struct out *o, const char *key, const char *json,
		  bool json_quote, const char *text)
{
	field_as(o, key, key, json, json_quote, text);
}

/* The same, labelled @label in text. */
static void field_as(struct out *o, const char *key, const char *label,
		     const char *json, bool json_quote, const char *text)
{
	struct frame *fr = top(o);
	size_t c;

	if (o->flags & OUT_JSON) {
		json_field(o, key, json, json_quote);
		return;
	}
	if (fr && fr->kind == FRAME_ROW) {
		struct table *t = &o->table;

		for (c = 0; c < t->nr_cols; c++)
			if (key && !strcmp(t->cols[c].key, key)) {
				free(t->cells[(t->nr_rows - 1) * t->nr_cols + c]);
				t->cells[(t->nr_rows - 1) * t->nr_cols + c] =
					xstrdup(text);
			}
		return;
	}
	if (text_hidden(o))
		return;
	text_indent(o);
	if (key && fr && fr->kind != FRAME_LIST)
		fprintf(o->f, "%s: %s\n", label ? label : key, text);
	else
		fprintf(o->f, "%s\n", text);
}

void out_str(struct out *o, const char *key, const char *val)
{
	if (!val)
		field(o, key, "null", false, "-");
	else
		field(o, key, val, true, val);
}

void out_strf(struct out *o, const char *key, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	out_str(o, key, s ? s : "");
	free(s);
}

void out_u64(struct out *o, const char *key, uint64_t v)
{
	char j[32], t[UNITS_BUFSZ];

	snprintf(j, sizeof(j), "%" PRIu64, v);
	field(o, key, j, false, units_fmt_nr(t, v, out_is_raw(o)));
}

void out_i64(struct out *o, const char *key, int64_t v)
{
	char j[32], t[UNITS_BUFSZ];

	snprintf(j, sizeof(j), "%" PRId64, v);
	field(o, key, j, false, units_fmt_i64(t, v, out_is_raw(o)));
}

void out_u64_as(struct out *o, const char *key, const char *label,
		uint64_t v, const char *text)
{
	char j[32];

	snprintf(j, sizeof(j), "%" PRIu64, v);
	field_as(o, key, label, j, false, text);
}

void out_i64_as(struct out *o, const char *key, const char *label,
		int64_t v, const char *text)
{
	char j[32];

	snprintf(j, sizeof(j), "%" PRId64, v);
	field_as(o, key, label, j, false, text);
}

void out_text_field(struct out *o, const char *label, const char *text)
{
	if ((o->flags & OUT_JSON) || text_hidden(o))
		return;
	text_indent(o);
	if (label)
		fprintf(o->f, "%s: %s\n", label, text);
	else
		fprintf(o->f, "%s\n", text);
}

void out_id_nr(struct out *o, const char *key, int64_t v)
{
	char j[32];

	snprintf(j, sizeof(j), "%" PRId64, v);
	field(o, key, j, false, j);
}

void out_bool(struct out *o, const char *key, bool v)
{
	field(o, key, v ? "true" : "false", false, v ? "yes" : "no");
}

void out_null(struct out *o, const char *key)
{
	field(o, key, "null", false, "-");
}

void out_size(struct out *o, const char *key, uint64_t bytes)
{
	char j[32], t[UNITS_BUFSZ];

	snprintf(j, sizeof(j), "%" PRIu64, bytes);
	field(o, key, j, false, units_fmt_sz(t, bytes, out_is_raw(o)));
}

void out_time(struct out *o, const char *key, uint64_t v, uint64_t unit_ns)
{
	char j[32], t[UNITS_BUFSZ];

	snprintf(j, sizeof(j), "%" PRIu64, v);
	field(o, key, j, false, units_fmt_time(t, v, unit_ns, out_is_raw(o)));
}

/*
 * Text of an out_print_*() field; printf's format check is done on the
 * typed callers' prototypes, not here.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
void out_print_u64(struct out *o, const char *key, const char *fmt,
		   uint64_t v)
{
	char j[32];

	if (o->flags & OUT_JSON) {
		snprintf(j, sizeof(j), "%" PRIu64, v);
		json_field(o, key, j, false);
	} else if (fmt) {
		fprintf(o->f, fmt, v);
	}
}

void out_print_i64(struct out *o, const char *key, const char *fmt,
		   int64_t v)
{
	char j[32];

	if (o->flags & OUT_JSON) {
		snprintf(j, sizeof(j), "%" PRId64, v);
		json_field(o, key, j, false);
	} else if (fmt) {
		fprintf(o->f, fmt, v);
	}
}

void out_print_str(struct out *o, const char *key, const char *fmt,
		   const char *v)
{
	if (o->flags & OUT_JSON)
		json_field(o, key, v ? v : "null", v != NULL);
	else if (fmt)
		fprintf(o->f, fmt, v ? v : "-");
}

void out_print_null(struct out *o, const char *key, const char *fmt)
{
	if (o->flags & OUT_JSON)
		json_field(o, key, "null", false);
	else if (fmt)
		fputs(fmt, o->f);
}

void out_print_u64_as(struct out *o, const char *key, const char *fmt,
		      uint64_t v, const char *shown)
{
	char j[32];

	if (o->flags & OUT_JSON) {
		snprintf(j, sizeof(j), "%" PRIu64, v);
		json_field(o, key, j, false);
	} else if (fmt) {
		fprintf(o->f, fmt, shown);
	}
}

void out_print_i64_as(struct out *o, const char *key, const char *fmt,
		      int64_t v, const char *shown)
{
	char j[32];

	if (o->flags & OUT_JSON) {
		snprintf(j, sizeof(j), "%" PRId64, v);
		json_field(o, key, j, false);
	} else if (fmt) {
		fprintf(o->f, fmt, shown);
	}
}

void out_print_num(struct out *o, const char *key, const char *fmt,
		   const char *num)
{
	if (o->flags & OUT_JSON)
		json_field(o, key, num, false);
	else if (fmt)
		fprintf(o->f, fmt, num);
}

void out_print_f64(struct out *o, const char *key, const char *fmt,
		   double v, int prec)
{
	char j[64];

	if (o->flags & OUT_JSON) {
		snprintf(j, sizeof(j), "%.*f", prec, v);
		json_field(o, key, j, false);
	} else if (fmt) {
		fprintf(o->f, fmt, v);
	}
}
#pragma GCC diagnostic pop

void out_json_begin_obj(struct out *o, const char *key)
{
	if (o->flags & OUT_JSON)
		out_begin_obj(o, key);
}

void out_json_end_obj(struct out *o)
{
	if (o->flags & OUT_JSON)
		out_end_obj(o);
}

void out_json_begin_list(struct out *o, const char *key)
{
	if (o->flags & OUT_JSON)
		out_begin_list(o, key);
}

void out_json_end_list(struct out *o)
{
	if (o->flags & OUT_JSON)
		out_end_list(o);
}

void out_text(struct out *o, const char *fmt, ...)
{
	va_list ap;

	if (o->flags & OUT_JSON)
		return;
	va_start(ap, fmt);
	vfprintf(o->f, fmt, ap);
	va_end(ap);
}

void out_write(struct out *o, const char *text)
{
	fputs(text, o->f);
}

void out_write_len(struct out *o, const char *buf, size_t len)
{
	fwrite(buf, 1, len, o->f);
}

static void __attribute__((format(printf, 3, 0)))
vmsg(struct out *o, const char *prefix, const char *fmt,
		 va_list ap)
{
	/* a message starts on a line of its own */
	out_progress_end(o);
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void out_error(struct out *o, const char *fmt, ...)
{
	va_list ap;
	char *s;

	o->failed = true;
	va_start(ap, fmt);
	if (!(o->flags & OUT_JSON)) {
		vmsg(o, "damo: error: ", fmt, ap);
		va_end(ap);
		return;
	}
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	/* The error replaces whatever was being printed. */
	out_close_all(o);
	out_begin_obj(o, NULL);
	out_str(o, "error", s ? s : "out of memory");
	out_end_obj(o);
	free(s);
}

void out_warn(struct out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(o, "damo: warning: ", fmt, ap);
	va_end(ap);
}

void out_hint(struct out *o, const char *fmt, ...)
{
	va_list ap;

	/* stdout carries the error object; stderr stays empty under JSON */
	if (o->flags & OUT_JSON)
		return;
	va_start(ap, fmt);
	vmsg(o, "hint: ", fmt, ap);
	va_end(ap);
}

void out_progress(struct out *o, const char *fmt, ...)
{
	va_list ap;

	if ((o->flags & OUT_QUIET) || !isatty(STDERR_FILENO))
		return;
	/* back to the start of the line, clear it, write the new one */
	fputs("\r\033[K", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
	o->progress_shown = true;
}

void out_progress_end(struct out *o)
{
	if (!o->progress_shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	o->progress_shown = false;
}
