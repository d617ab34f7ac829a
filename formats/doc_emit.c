/* SPDX-License-Identifier: GPL-2.0 */
/* Write a document tree as block-style YAML or as indented JSON. */
#include "doc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

/* Keys longer than this are written as "? key", beyond libyaml's limit. */
#define YAML_SIMPLE_KEY_MAX 1000

struct ebuf {
	char *s;
	size_t len;
	size_t cap;
};

static void eb_putn(struct ebuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		while (b->len + n + 1 > b->cap)
			b->cap = b->cap ? b->cap * 2 : 256;
		b->s = xreallocarray(b->s, b->cap, 1);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void eb_puts(struct ebuf *b, const char *s)
{
	eb_putn(b, s, strlen(s));
}

static void eb_putc(struct ebuf *b, char c)
{
	eb_putn(b, &c, 1);
}

static void eb_indent(struct ebuf *b, unsigned int n)
{
	while (n--)
		eb_putc(b, ' ');
}

/*
 * Decode the UTF-8 character at @s into @cp.  Return its length, or 0 when
 * the bytes are not valid UTF-8.
 */
static size_t utf8_decode(const char *s, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n, i;

	if (u[0] < 0xc2 || u[0] > 0xf4)
		return 0;
	n = u[0] < 0xe0 ? 2 : u[0] < 0xf0 ? 3 : 4;
	*cp = u[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (u[i] & 0x3f);
	}
	if ((n == 3 && *cp < 0x800) || (n == 4 && *cp < 0x10000) ||
	    *cp > 0x10ffff || (*cp >= 0xd800 && *cp < 0xe000))
		return 0;
	return n;
}

/* Characters YAML cannot carry raw, or would read as line breaks or BOM. */
static bool yaml_needs_escape(uint32_t cp)
{
	return (cp >= 0x80 && cp < 0xa0) || cp == 0x2028 || cp == 0x2029 ||
	       cp == 0xfeff || cp == 0xfffe || cp == 0xffff;
}

static void ej_string(struct ebuf *b, const char *s)
{
	char esc[8];

	eb_putc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '"':
			eb_puts(b, "\\\"");
			break;
		case '\\':
			eb_puts(b, "\\\\");
			break;
		case '\n':
			eb_puts(b, "\\n");
			break;
		case '\r':
			eb_puts(b, "\\r");
			break;
		case '\t':
			eb_puts(b, "\\t");
			break;
		case '\b':
			eb_puts(b, "\\b");
			break;
		case '\f':
			eb_puts(b, "\\f");
			break;
		default:
			if (c >= 0x20) {
				eb_putc(b, (char)c);
				break;
			}
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			eb_puts(b, esc);
		}
	}
	eb_putc(b, '"');
}

static void ej_node(struct ebuf *b, const struct doc_node *n,
		    unsigned int indent)
{
	bool is_map = n->kind == DOC_MAP;
	size_t i;

	switch (n->kind) {
	case DOC_NULL:
		eb_puts(b, "null");
		return;
	case DOC_BOOL:
		eb_puts(b, n->boolean ? "true" : "false");
		return;
	case DOC_NUMBER:
		eb_puts(b, n->text);
		return;
	case DOC_STRING:
		ej_string(b, n->text);
		return;
	default:
		break;
	}
	if (!n->nr) {
		eb_puts(b, is_map ? "{}" : "[]");
		return;
	}
	eb_puts(b, is_map ? "{\n" : "[\n");
	for (i = 0; i < n->nr; i++) {
		eb_indent(b, indent + 4);
		if (is_map) {
			ej_string(b, n->keys[i]);
			eb_puts(b, ": ");
		}
		ej_node(b, n->items[i], indent + 4);
		eb_puts(b, i + 1 < n->nr ? ",\n" : "\n");
	}
	eb_indent(b, indent);
	eb_putc(b, is_map ? '}' : ']');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static const char *skip_sign(const char *s)
{
	return *s == '-' || *s == '+' ? s + 1 : s;
}

static const char *skip_digits(const char *s, bool underscore)
{
	while (is_digit(*s) || (underscore && *s == '_'))
		s++;
	return s;
}

/* Non-empty @s made only of bytes in @set. */
static bool all_of(const char *s, const char *set)
{
	return *s && strspn(s, set) == strlen(s);
}

/* A number by JSON's grammar: what our YAML reader calls a number. */
static bool json_number(const char *s)
{
	const char *t;

	if (*s == '-')
		s++;
	t = skip_digits(s, false);
	if (t == s || (t - s > 1 && *s == '0'))
		return false;
	if (*t == '.') {
		s = t + 1;
		t = skip_digits(s, false);
		if (t == s)
			return false;
	}
	if (*t == 'e' || *t == 'E') {
		s = skip_sign(t + 1);
		t = skip_digits(s, false);
		if (t == s)
			return false;
	}
	return !*t;
}

/* "(:[0-5]?[0-9])+" at @s; returns what follows, or NULL. */
static const char *skip_sexagesimal(const char *s)
{
	if (*s != ':')
		return NULL;
	while (*s == ':') {
		s++;
		if (!is_digit(s[0]))
			return NULL;
		s += s[0] <= '5' && is_digit(s[1]) ? 2 : 1;
	}
	return s;
}

/* YAML 1.1 ints, as PyYAML resolves them (0b, 0x, octal, 1_000, 1:30). */
static bool yaml11_int(const char *s)
{
	s = skip_sign(s);
	if (s[0] == '0' && s[1] == 'b')
		return all_of(s + 2, "01_");
	if (s[0] == '0' && s[1] == 'x')
		return all_of(s + 2, "0123456789abcdefABCDEF_");
	if (s[0] == '0')
		return !s[1] || all_of(s + 1, "01234567_");
	if (s[0] < '1' || s[0] > '9')
		return false;
	s = skip_digits(s, true);
	return !*s || ((s = skip_sexagesimal(s)) && !*s);
}

/* An optional exponent, sign optional (a superset of PyYAML's), then end. */
static bool exponent_tail(const char *s)
{
	const char *t;

	if (!*s)
		return true;
	if (*s != 'e' && *s != 'E')
		return false;
	s = skip_sign(s + 1);
	t = skip_digits(s, false);
	return t != s && !*t;
}

/* YAML 1.1 floats, as PyYAML resolves them (1., .5, 1:30.0, .inf). */
static bool yaml11_float(const char *s)
{
	static const char *const special[] = {
		".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN",
	};
	const char *t = skip_sign(s), *u;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(special); i++)
		if (!strcmp(t, special[i]))
			return true;
	if (*t == '.') {
		/* "\.[0-9_]+" takes no sign */
		u = skip_digits(t + 1, true);
		return t == s && u != t + 1 && exponent_tail(u);
	}
	if (!is_digit(*t))
		return false;
	t = skip_digits(t, true);
	if (*t == ':')
		t = skip_sexagesimal(t);
	if (!t || *t != '.')
		return false;
	return exponent_tail(skip_digits(t + 1, true));
}

/* "2002-12-14" and the longer forms all start like this. */
static bool yaml11_timestamp(const char *s)
{
	return is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) &&
	       is_digit(s[3]) && s[4] == '-' && is_digit(s[5]);
}

/* Would a YAML 1.1 reader, or ours, take plain @s for a non-string? */
static bool yaml_implicit(const char *s)
{
	static const char *const words[] = {
		"~", "null", "Null", "NULL", "<<", "=",
		"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
		"true", "True", "TRUE", "false", "False", "FALSE",
		"on", "On", "ON", "off", "Off", "OFF",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (!strcmp(s, words[i]))
			return true;
	return json_number(s) || yaml11_int(s) || yaml11_float(s) ||
	       yaml11_timestamp(s);
}

/* Can @s be written as a plain scalar that reads back as the same string? */
static bool yaml_plain_ok(const char *s)
{
	size_t len = strlen(s), n;
	const char *p;
	uint32_t cp;

	if (!len || strchr("-?:,[]{}#&*!|>'\"%@` ", s[0]) ||
	    s[len - 1] == ' ' || s[len - 1] == ':' ||
	    strstr(s, ": ") || strstr(s, " #") || !strncmp(s, "...", 3))
		return false;
	for (p = s; *p; p += n) {
		n = 1;
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return false;
		if ((unsigned char)*p < 0x80)
			continue;
		n = utf8_decode(p, &cp);
		if (!n || yaml_needs_escape(cp))
			return false;
	}
	return !yaml_implicit(s);
}

/* One character of a double-quoted scalar; returns the bytes consumed. */
static size_t yq_char(struct ebuf *b, const char *s)
{
	unsigned char c = (unsigned char)*s;
	char esc[12];
	uint32_t cp;
	size_t n;

	if (c == '"' || c == '\\') {
		eb_putc(b, '\\');
		eb_putc(b, (char)c);
		return 1;
	}
	if (c == '\n' || c == '\t' || c == '\r') {
		eb_puts(b, c == '\n' ? "\\n" : c == '\t' ? "\\t" : "\\r");
		return 1;
	}
	if (c >= 0x20 && c < 0x7f) {
		eb_putc(b, (char)c);
		return 1;
	}
	n = c < 0x80 ? 0 : utf8_decode(s, &cp);
	if (!n) {
		/* Control or non-UTF-8 byte; YAML cannot carry the latter. */
		snprintf(esc, sizeof(esc), "\\x%02X", c);
		eb_puts(b, esc);
		return 1;
	}
	if (!yaml_needs_escape(cp)) {
		eb_putn(b, s, n);
		return n;
	}
	if (cp < 0x100)
		snprintf(esc, sizeof(esc), "\\x%02X", (unsigned int)cp);
	else
		snprintf(esc, sizeof(esc), "\\u%04X", (unsigned int)cp);
	eb_puts(b, esc);
	return n;
}

static void ey_string(struct ebuf *b, const char *s)
{
	if (yaml_plain_ok(s)) {
		eb_puts(b, s);
		return;
	}
	eb_putc(b, '"');
	while (*s)
		s += yq_char(b, s);
	eb_putc(b, '"');
}

static bool is_collection(const struct doc_node *n)
{
	return (n->kind == DOC_MAP || n->kind == DOC_SEQ) && n->nr;
}

/* A scalar, or an empty collection in flow form. */
static void ey_scalar(struct ebuf *b, const struct doc_node *n)
{
	switch (n->kind) {
	case DOC_NULL:
		eb_puts(b, "null");
		break;
	case DOC_BOOL:
		eb_puts(b, n->boolean ? "true" : "false");
		break;
	case DOC_NUMBER:
		eb_puts(b, n->text);
		break;
	case DOC_STRING:
		ey_string(b, n->text);
		break;
	case DOC_MAP:
		eb_puts(b, "{}");
		break;
	case DOC_SEQ:
		eb_puts(b, "[]");
		break;
	}
}

static void ey_map(struct ebuf *b, const struct doc_node *n,
		   unsigned int indent, bool inline_first);
static void ey_seq(struct ebuf *b, const struct doc_node *n,
		   unsigned int indent, bool inline_first);

/* What follows "key:"; sequences stay at the key's indent, like PyYAML. */
static void ey_value(struct ebuf *b, const struct doc_node *n,
		     unsigned int indent)
{
	if (!is_collection(n)) {
		eb_putc(b, ' ');
		ey_scalar(b, n);
		eb_putc(b, '\n');
	} else if (n->kind == DOC_MAP) {
		eb_putc(b, '\n');
		ey_map(b, n, indent + 2, false);
	} else {
		eb_putc(b, '\n');
		ey_seq(b, n, indent, false);
	}
}

/*
 * A block mapping at @indent; with @inline_first the first key goes where
 * the output stands (after "- ").
 */
static void ey_map(struct ebuf *b, const struct doc_node *n,
		   unsigned int indent, bool inline_first)
{
	struct ebuf key = { NULL, 0, 0 };
	size_t i;

	for (i = 0; i < n->nr; i++) {
		if (i || !inline_first)
			eb_indent(b, indent);
		key.len = 0;
		ey_string(&key, n->keys[i]);
		if (key.len <= YAML_SIMPLE_KEY_MAX) {
			eb_putn(b, key.s, key.len);
		} else {
			eb_puts(b, "? ");
			eb_putn(b, key.s, key.len);
			eb_putc(b, '\n');
			eb_indent(b, indent);
		}
		eb_putc(b, ':');
		ey_value(b, n->items[i], indent);
	}
	free(key.s);
}

static void ey_seq(struct ebuf *b, const struct doc_node *n,
		   unsigned int indent, bool inline_first)
{
	const struct doc_node *item;
	size_t i;

	for (i = 0; i < n->nr; i++) {
		if (i || !inline_first)
			eb_indent(b, indent);
		eb_puts(b, "- ");
		item = n->items[i];
		if (!is_collection(item)) {
			ey_scalar(b, item);
			eb_putc(b, '\n');
		} else if (item->kind == DOC_MAP) {
			ey_map(b, item, indent + 2, true);
		} else {
			ey_seq(b, item, indent + 2, true);
		}
	}
}

char *doc_emit(const struct doc_node *root, enum doc_format fmt)
{
	struct ebuf b = { NULL, 0, 0 };

	eb_puts(&b, "");
	if (fmt == DOC_FMT_JSON) {
		ej_node(&b, root, 0);
		eb_putc(&b, '\n');
	} else if (!is_collection(root)) {
		ey_scalar(&b, root);
		eb_putc(&b, '\n');
	} else if (root->kind == DOC_MAP) {
		ey_map(&b, root, 0, false);
	} else {
		ey_seq(&b, root, 0, false);
	}
	return b.s;
}
