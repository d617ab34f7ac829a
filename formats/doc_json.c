/* SPDX-License-Identifier: GPL-2.0 */
/* A strict RFC 8259 JSON reader that keeps number text and positions. */
#include "doc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/xalloc.h"
#include "formats/doc_keys.h"

#define JSON_MAX_DEPTH 128

struct jp {
	const char *s;
	size_t len;
	size_t pos;
	size_t line_start;	/* offset of the first byte of the line */
	unsigned int line;
	const char *name;
	struct diag *diag;
};

/* A growing byte buffer for unescaped strings. */
struct jbuf {
	char *s;
	size_t len;
	size_t cap;
};

static void jbuf_put(struct jbuf *b, char c)
{
	if (b->len + 1 >= b->cap) {
		b->cap = b->cap ? b->cap * 2 : 32;
		b->s = xreallocarray(b->s, b->cap, 1);
	}
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}

static unsigned int jp_col_at(const struct jp *p, size_t pos)
{
	return (unsigned int)(pos - p->line_start + 1);
}

/* Report an error at byte @pos of the current line. */
#define jp_error_at(p, pos, ...) \
	diag_add_at((p)->diag, (p)->name, (p)->line, jp_col_at(p, pos), "", \
		    __VA_ARGS__)

/* Describe the byte at the current position for "found ..." messages. */
static void jp_found(const struct jp *p, char *out, size_t size)
{
	unsigned char c;

	if (p->pos >= p->len) {
		snprintf(out, size, "end of input");
		return;
	}
	c = (unsigned char)p->s[p->pos];
	if (c > 0x20 && c < 0x7f)
		snprintf(out, size, "'%c'", c);
	else
		snprintf(out, size, "byte 0x%02x", c);
}

/* "expected X, found Y" at the current position. */
static void jp_expected(struct jp *p, const char *what)
{
	char found[32];

	jp_found(p, found, sizeof(found));
	jp_error_at(p, p->pos, "expected %s, found %s", what, found);
}

static void jp_skip_ws(struct jp *p)
{
	while (p->pos < p->len) {
		char c = p->s[p->pos];

		if (c == '\n') {
			p->line++;
			p->line_start = p->pos + 1;
		} else if (c != ' ' && c != '\t' && c != '\r') {
			return;
		}
		p->pos++;
	}
}

/* Give @n the position of byte @pos on the current line. */
static struct doc_node *jp_place(const struct jp *p, struct doc_node *n,
				 size_t pos)
{
	n->line = p->line;
	n->col = jp_col_at(p, pos);
	return n;
}

/* Quote at most 40 bytes of @len bytes at @s for a message. */
static char *jp_excerpt(const char *s, size_t len)
{
	if (len > 40)
		return xasprintf("%.40s...", s);
	return xstrndup(s, len);
}

static int jp_hex4(const char *s)
{
	int v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static void jbuf_put_utf8(struct jbuf *b, uint32_t cp)
{
	if (cp < 0x80) {
		jbuf_put(b, (char)cp);
	} else if (cp < 0x800) {
		jbuf_put(b, (char)(0xc0 | (cp >> 6)));
		jbuf_put(b, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		jbuf_put(b, (char)(0xe0 | (cp >> 12)));
		jbuf_put(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		jbuf_put(b, (char)(0x80 | (cp & 0x3f)));
	} else {
		jbuf_put(b, (char)(0xf0 | (cp >> 18)));
		jbuf_put(b, (char)(0x80 | ((cp >> 12) & 0x3f)));
		jbuf_put(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		jbuf_put(b, (char)(0x80 | (cp & 0x3f)));
	}
}

/*
 * Decode a \uXXXX escape (and its low surrogate) at p->pos, which points at
 * the backslash.  Returns false after reporting an error.
 */
static bool jp_unicode_escape(struct jp *p, struct jbuf *b)
{
	size_t at = p->pos;
	char *ex;
	int hi, lo = -1;

	hi = p->len - at >= 6 ? jp_hex4(p->s + at + 2) : -1;
	if (hi < 0) {
		ex = jp_excerpt(p->s + at, p->len - at < 6 ? p->len - at : 6);
		jp_error_at(p, at, "invalid escape '%s' in string", ex);
		free(ex);
		return false;
	}
	p->pos += 6;
	if (hi >= 0xd800 && hi < 0xdc00 && p->len - p->pos >= 6 &&
	    p->s[p->pos] == '\\' && p->s[p->pos + 1] == 'u')
		lo = jp_hex4(p->s + p->pos + 2);
	if (hi >= 0xd800 && hi < 0xdc00 && lo >= 0xdc00 && lo < 0xe000) {
		p->pos += 6;
		jbuf_put_utf8(b, 0x10000 + (((uint32_t)hi - 0xd800) << 10) +
				 ((uint32_t)lo - 0xdc00));
		return true;
	}
	ex = xstrndup(p->s + at, 6);
	if (hi >= 0xd800 && hi < 0xe000) {
		jp_error_at(p, at, "unpaired surrogate '%s' in string", ex);
	} else if (hi == 0) {
		jp_error_at(p, at,
			    "unsupported escape '%s' (NUL character) in string",
			    ex);
	} else {
		free(ex);
		jbuf_put_utf8(b, (uint32_t)hi);
		return true;
	}
	free(ex);
	return false;
}

/* Handle the escape sequence at p->pos (the backslash). */
static bool jp_escape(struct jp *p, struct jbuf *b)
{
	static const char from[] = "\"\\/bfnrt";
	static const char to[] = "\"\\/\b\f\n\r\t";
	const char *hit;
	char ex[8];

	if (p->s[p->pos + 1] == 'u')
		return jp_unicode_escape(p, b);
	hit = p->s[p->pos + 1] ? strchr(from, p->s[p->pos + 1]) : NULL;
	if (!hit) {
		unsigned char c = (unsigned char)p->s[p->pos + 1];

		if (c > 0x20 && c < 0x7f)
			snprintf(ex, sizeof(ex), "\\%c", c);
		else
			snprintf(ex, sizeof(ex), "\\x%02x", c);
		jp_error_at(p, p->pos, "invalid escape '%s' in string", ex);
		return false;
	}
	jbuf_put(b, to[hit - from]);
	p->pos += 2;
	return true;
}

/* Length of the valid UTF-8 sequence at @s (at most @len bytes), or 0. */
static size_t jp_utf8_len(const unsigned char *s, size_t len)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	n = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	if (len < n)
		return 0;
	cp = s[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
		return 0;
	return n;
}

/* Copy one raw (unescaped) character; false after reporting an error. */
static bool jp_raw_char(struct jp *p, struct jbuf *b)
{
	unsigned char c = (unsigned char)p->s[p->pos];
	char what[40];
	size_t n;

	if (c < 0x20) {
		if (c == '\n' || c == '\t')
			snprintf(what, sizeof(what), "%s",
				 c == '\n' ? "newline" : "tab");
		else
			snprintf(what, sizeof(what), "control character 0x%02x",
				 c);
		jp_error_at(p, p->pos, "unescaped %s in string", what);
		return false;
	}
	if (c < 0x80) {
		jbuf_put(b, (char)c);
		p->pos++;
		return true;
	}
	n = jp_utf8_len((const unsigned char *)p->s + p->pos,
			p->len - p->pos);
	if (!n) {
		snprintf(what, sizeof(what), "0x%02x", c);
		jp_error_at(p, p->pos, "invalid UTF-8 byte %s in string", what);
		return false;
	}
	while (n--)
		jbuf_put(b, p->s[p->pos++]);
	return true;
}

/* Parse the string at p->pos (the opening quote) into a new C string. */
static char *jp_string(struct jp *p)
{
	size_t start = p->pos;
	struct jbuf b = { NULL, 0, 0 };
	bool ok = true;

	jbuf_put(&b, '\0');	/* "" must be a string too, not NULL */
	b.len = 0;
	p->pos++;
	while (ok) {
		if (p->pos >= p->len ||
		    (p->s[p->pos] == '\\' && p->pos + 1 >= p->len)) {
			jp_error_at(p, start, "unterminated string");
			ok = false;
		} else if (p->s[p->pos] == '"') {
			p->pos++;
			return b.s;
		} else if (p->s[p->pos] == '\\') {
			ok = jp_escape(p, &b);
		} else {
			ok = jp_raw_char(p, &b);
		}
	}
	free(b.s);
	return NULL;
}

/* True if @s (@len bytes) is a number by RFC 8259's grammar. */
static bool jp_number_ok(const char *s, size_t len)
{
	size_t i = 0, d;

	if (i < len && s[i] == '-')
		i++;
	if (i < len && s[i] == '0')
		i++;
	else if (i < len && s[i] >= '1' && s[i] <= '9')
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	else
		return false;
	if (i < len && s[i] == '.') {
		for (d = ++i; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == d)
			return false;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		for (d = i; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == d)
			return false;
	}
	return i == len;
}

static bool jp_word_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '_' || c == '.' || c == '+' ||
	       c == '-';
}

/* A number, or a literal (true, false, null), at p->pos. */
static struct doc_node *jp_word(struct jp *p, const char *what)
{
	size_t start = p->pos, len;
	const char *w = p->s + start;
	struct doc_node *n;
	char *ex;

	while (p->pos < p->len && jp_word_char(p->s[p->pos]))
		p->pos++;
	len = p->pos - start;
	if ((w[0] == '-' || (w[0] >= '0' && w[0] <= '9'))) {
		if (jp_number_ok(w, len)) {
			ex = xstrndup(w, len);
			n = jp_place(p, doc_new_number(ex), start);
			free(ex);
			return n;
		}
		ex = jp_excerpt(w, len);
		jp_error_at(p, start, "invalid number '%s'", ex);
		free(ex);
		return NULL;
	}
	if ((len == 4 && !memcmp(w, "true", 4)) ||
	    (len == 5 && !memcmp(w, "false", 5)))
		return jp_place(p, doc_new_bool(len == 4), start);
	if (len == 4 && !memcmp(w, "null", 4))
		return jp_place(p, doc_new_null(), start);
	ex = jp_excerpt(w, len);
	jp_error_at(p, start, "expected %s, found '%s'", what, ex);
	free(ex);
	return NULL;
}

static struct doc_node *jp_value(struct jp *p, unsigned int depth,
				 const char *what);

/* After '{': members up to and including the closing '}'. */
static bool jp_members_in(struct jp *p, struct doc_node *map,
			  unsigned int depth, struct doc_keys *keys)
{
	const char *what = "string key or '}'";
	unsigned int kline, kcol;
	struct doc_node *v;
	char *key, *ex;

	for (;;) {
		jp_skip_ws(p);
		if (p->pos < p->len && p->s[p->pos] == '}' && !map->nr) {
			p->pos++;
			return true;
		}
		if (p->pos >= p->len || p->s[p->pos] != '"') {
			jp_expected(p, what);
			return false;
		}
		kline = p->line;
		kcol = jp_col_at(p, p->pos);
		key = jp_string(p);
		if (!key)
			return false;
		if (doc_keys_has(keys, map, key)) {
			ex = jp_excerpt(key, strlen(key));
			diag_add_at(p->diag, p->name, kline, kcol, "",
				    "duplicate key '%s'", ex);
			free(ex);
			free(key);
			return false;
		}
		jp_skip_ws(p);
		if (p->pos >= p->len || p->s[p->pos] != ':') {
			jp_expected(p, "':' after object key");
			free(key);
			return false;
		}
		p->pos++;
		v = jp_value(p, depth, "a value after ':'");
		if (!v) {
			free(key);
			return false;
		}
		doc_map_add(map, key, v);
		doc_keys_added(keys, map);
		free(key);
		map->key_lines[map->nr - 1] = kline;
		map->key_cols[map->nr - 1] = kcol;
		jp_skip_ws(p);
		if (p->pos < p->len && p->s[p->pos] == '}') {
			p->pos++;
			return true;
		}
		if (p->pos >= p->len || p->s[p->pos] != ',') {
			jp_expected(p, "',' or '}' after object member");
			return false;
		}
		p->pos++;
		what = "string key after ','";
	}
}

static bool jp_members(struct jp *p, struct doc_node *map, unsigned int depth)
{
	struct doc_keys keys = DOC_KEYS_INIT;
	bool ok = jp_members_in(p, map, depth, &keys);

	doc_keys_release(&keys);
	return ok;
}

/* After '[': elements up to and including the closing ']'. */
static bool jp_elements(struct jp *p, struct doc_node *seq,
			unsigned int depth)
{
	struct doc_node *v;

	jp_skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == ']') {
		p->pos++;
		return true;
	}
	for (;;) {
		v = jp_value(p, depth, seq->nr ? "a value after ','" :
				       "a value or ']'");
		if (!v)
			return false;
		doc_seq_add(seq, v);
		jp_skip_ws(p);
		if (p->pos < p->len && p->s[p->pos] == ']') {
			p->pos++;
			return true;
		}
		if (p->pos >= p->len || p->s[p->pos] != ',') {
			jp_expected(p, "',' or ']' after array element");
			return false;
		}
		p->pos++;
	}
}

/* An object or array; @depth counts the containers around it. */
static struct doc_node *jp_container(struct jp *p, unsigned int depth)
{
	bool is_map = p->s[p->pos] == '{';
	struct doc_node *n;
	bool ok;

	if (depth >= JSON_MAX_DEPTH) {
		diag_add_at(p->diag, p->name, p->line, jp_col_at(p, p->pos),
			    "", "nesting deeper than %d levels",
			    JSON_MAX_DEPTH);
		return NULL;
	}
	n = jp_place(p, is_map ? doc_new_map() : doc_new_seq(), p->pos);
	p->pos++;
	if (is_map)
		ok = jp_members(p, n, depth + 1);
	else
		ok = jp_elements(p, n, depth + 1);
	if (!ok) {
		doc_free(n);
		return NULL;
	}
	return n;
}

/* Any value; @what names it for "expected ..." messages. */
static struct doc_node *jp_value(struct jp *p, unsigned int depth,
				 const char *what)
{
	struct doc_node *n;
	size_t start;
	char *text;
	char c;

	jp_skip_ws(p);
	if (p->pos >= p->len) {
		jp_expected(p, what);
		return NULL;
	}
	c = p->s[p->pos];
	if (c == '{' || c == '[')
		return jp_container(p, depth);
	if (c == '"') {
		start = p->pos;
		text = jp_string(p);
		if (!text)
			return NULL;
		n = jp_place(p, doc_new_string(text), start);
		free(text);
		return n;
	}
	if (jp_word_char(c))
		return jp_word(p, what);
	jp_expected(p, what);
	return NULL;
}

struct doc_node *doc_parse_json(const char *buf, size_t len, const char *name,
				struct diag *diag)
{
	struct jp p = {
		.s = buf, .len = len, .line = 1, .name = name, .diag = diag,
	};
	struct doc_node *root;

	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3)) {
		p.pos = 3;
		p.line_start = 3;
	}
	root = jp_value(&p, 0, "a value");
	if (!root)
		return NULL;
	jp_skip_ws(&p);
	if (p.pos < p.len) {
		jp_expected(&p, "end of input after the top-level value");
		doc_free(root);
		return NULL;
	}
	return root;
}
