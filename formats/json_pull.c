/* SPDX-License-Identifier: GPL-2.0 */
/* A streaming RFC 8259 JSON tokenizer over a record byte source. */
#include "formats/json_pull.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/diag.h"
#include "formats/record_internal.h"

void jpull_init(struct jpull *jp, struct rsrc *src, const char *name,
		struct diag *diag)
{
	memset(jp, 0, sizeof(*jp));
	jp->src = src;
	jp->name = name;
	jp->diag = diag;
	jp->line = 1;
	jp->col = 1;
}

int jpull_error(struct jpull *jp, unsigned int line, unsigned int col,
		const char *path, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (jp->failed)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_add_at(jp->diag, jp->name, line, col, path, "%s", msg);
	jp->failed = true;
	jp->tok = JT_ERR;
	return -EINVAL;
}

/* A byte, with the position moved past it; -1 at the end or an error. */
static int getc_pos(struct jpull *jp)
{
	int c = rsrc_getc(jp->src);

	if (c == '\n') {
		jp->line++;
		jp->col = 1;
	} else if (c >= 0) {
		jp->col++;
	}
	return c;
}

/* A read error of the source, reported where it happened. */
static enum jtok src_error(struct jpull *jp)
{
	jpull_error(jp, jp->line, jp->col, "", "%s", jp->src->errmsg);
	return JT_ERR;
}

static void put(struct jpull *jp, char c)
{
	if (jp->discard)
		return;
	if (jp->len < JPULL_TEXT_MAX)
		jp->text[jp->len++] = c;
	else
		jp->long_text = true;
}

static void put_utf8(struct jpull *jp, uint32_t cp)
{
	if (cp < 0x80) {
		put(jp, (char)cp);
	} else if (cp < 0x800) {
		put(jp, (char)(0xc0 | cp >> 6));
		put(jp, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		put(jp, (char)(0xe0 | cp >> 12));
		put(jp, (char)(0x80 | (cp >> 6 & 0x3f)));
		put(jp, (char)(0x80 | (cp & 0x3f)));
	} else {
		put(jp, (char)(0xf0 | cp >> 18));
		put(jp, (char)(0x80 | (cp >> 12 & 0x3f)));
		put(jp, (char)(0x80 | (cp >> 6 & 0x3f)));
		put(jp, (char)(0x80 | (cp & 0x3f)));
	}
}

/* Four hex digits after "\u"; -1 (reported) when they are not. */
static long hex4(struct jpull *jp, unsigned int line, unsigned int col)
{
	long v = 0;
	int i, c;

	for (i = 0; i < 4; i++) {
		c = getc_pos(jp);
		if (c >= '0' && c <= '9')
			v = v * 16 + c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v = v * 16 + (c | 0x20) - 'a' + 10;
		else
			return jpull_error(jp, line, col, "",
					   "invalid \\u escape in string");
	}
	return v;
}

/* The code point of a \u escape whose "\u" was read, surrogates paired. */
static long unicode_escape(struct jpull *jp, unsigned int line,
			   unsigned int col)
{
	long hi = hex4(jp, line, col), lo;

	if (hi < 0)
		return -1;
	if (hi == 0)
		return jpull_error(jp, line, col, "", "NUL (\\u0000) in string");
	if (hi >= 0xdc00 && hi <= 0xdfff)
		goto unpaired;
	if (hi < 0xd800 || hi > 0xdbff)
		return hi;
	if (getc_pos(jp) != '\\' || getc_pos(jp) != 'u')
		goto unpaired;
	lo = hex4(jp, line, col);
	if (lo < 0)
		return -1;
	if (lo < 0xdc00 || lo > 0xdfff)
		goto unpaired;
	return 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
unpaired:
	return jpull_error(jp, line, col, "", "unpaired surrogate in string");
}

static int escape(struct jpull *jp)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	unsigned int line = jp->line, col = jp->col - 1;
	int c = getc_pos(jp);
	const char *p;
	long cp;

	if (c == 'u') {
		cp = unicode_escape(jp, line, col);
		if (cp < 0)
			return -EINVAL;
		put_utf8(jp, (uint32_t)cp);
		return 0;
	}
	p = c > 0 ? strchr(from, c) : NULL;
	if (!p)
		return jpull_error(jp, line, col, "", "invalid escape in string");
	put(jp, to[p - from]);
	return 0;
}

static enum jtok read_string(struct jpull *jp)
{
	int c;

	for (;;) {
		c = getc_pos(jp);
		if (c == '"')
			break;
		if (c < 0) {
			if (jp->src->err)
				return src_error(jp);
			jpull_error(jp, jp->tline, jp->tcol, "",
				    "unterminated string");
			return JT_ERR;
		}
		if (c < 0x20) {
			jpull_error(jp, jp->line, jp->col - 1, "",
				    "unescaped control character in string");
			return JT_ERR;
		}
		if (c == '\\') {
			if (escape(jp))
				return JT_ERR;
			continue;
		}
		put(jp, (char)c);
	}
	return JT_STRING;
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Take digits; returns how many. */
static size_t digits(struct jpull *jp)
{
	size_t n = 0;

	while (is_digit(rsrc_peekc(jp->src))) {
		put(jp, (char)getc_pos(jp));
		n++;
	}
	return n;
}

static enum jtok read_number(struct jpull *jp, int c)
{
	put(jp, (char)c);
	if (c == '-') {
		if (!is_digit(rsrc_peekc(jp->src)))
			goto bad;
		c = getc_pos(jp);
		put(jp, (char)c);
	}
	if (c != '0')
		digits(jp);
	if (rsrc_peekc(jp->src) == '.') {
		put(jp, (char)getc_pos(jp));
		if (!digits(jp))
			goto bad;
	}
	c = rsrc_peekc(jp->src);
	if (c == 'e' || c == 'E') {
		put(jp, (char)getc_pos(jp));
		c = rsrc_peekc(jp->src);
		if (c == '+' || c == '-')
			put(jp, (char)getc_pos(jp));
		if (!digits(jp))
			goto bad;
	}
	c = rsrc_peekc(jp->src);
	if (!is_digit(c) && c != '.' && c != 'e' && c != 'E' && c != '+' &&
	    c != '-')
		return JT_NUMBER;
bad:
	if (jp->src->err)
		return src_error(jp);
	jpull_error(jp, jp->tline, jp->tcol, "", "invalid number");
	return JT_ERR;
}

static bool is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static enum jtok read_literal(struct jpull *jp, int c)
{
	static const struct {
		const char *word;
		enum jtok tok;
	} lits[] = {
		{ "true", JT_TRUE }, { "false", JT_FALSE }, { "null", JT_NULL },
	};
	char word[8];
	size_t n = 0, i;

	for (;;) {
		if (n < sizeof(word) - 1)
			word[n] = (char)c;
		n++;
		if (!is_alpha(rsrc_peekc(jp->src)))
			break;
		c = getc_pos(jp);
	}
	word[n < sizeof(word) - 1 ? n : sizeof(word) - 1] = '\0';
	for (i = 0; i < sizeof(lits) / sizeof(lits[0]); i++)
		if (n < sizeof(word) - 1 && !strcmp(word, lits[i].word))
			return lits[i].tok;
	if (jp->src->err)
		return src_error(jp);
	jpull_error(jp, jp->tline, jp->tcol, "", "invalid literal '%s%s'",
		    word, n >= sizeof(word) - 1 ? "..." : "");
	return JT_ERR;
}

static enum jtok scan(struct jpull *jp)
{
	int c;

	do {
		c = getc_pos(jp);
	} while (c == ' ' || c == '\t' || c == '\n' || c == '\r');
	jp->tline = jp->line;
	jp->tcol = jp->col - 1;
	jp->len = 0;
	jp->long_text = false;
	jp->text[0] = '\0';
	switch (c) {
	case -1:
		if (jp->src->err)
			return src_error(jp);
		jp->tcol = jp->col;
		return JT_EOF;
	case '{': return JT_LBRACE;
	case '}': return JT_RBRACE;
	case '[': return JT_LBRACK;
	case ']': return JT_RBRACK;
	case ':': return JT_COLON;
	case ',': return JT_COMMA;
	case '"': return read_string(jp);
	case '-': return read_number(jp, c);
	default:
		break;
	}
	if (is_digit(c))
		return read_number(jp, c);
	if (is_alpha(c))
		return read_literal(jp, c);
	if (c >= 0x20 && c < 0x7f)
		jpull_error(jp, jp->tline, jp->tcol, "",
			    "unexpected character '%c'", c);
	else
		jpull_error(jp, jp->tline, jp->tcol, "",
			    "unexpected byte 0x%02x", (unsigned int)c);
	return JT_ERR;
}

enum jtok jpull_next(struct jpull *jp)
{
	if (jp->failed)
		return JT_ERR;
	if (jp->peeked) {
		jp->peeked = false;
		return jp->tok;
	}
	jp->tok = scan(jp);
	if (jp->len <= JPULL_TEXT_MAX)
		jp->text[jp->len] = '\0';
	return jp->tok;
}

enum jtok jpull_peek(struct jpull *jp)
{
	if (jp->failed)
		return JT_ERR;
	if (!jp->peeked) {
		jpull_next(jp);
		jp->peeked = !jp->failed;
	}
	return jp->tok;
}

void jpull_describe(const struct jpull *jp, char *buf, size_t size)
{
	static const char *const punct[] = {
		[JT_LBRACE] = "'{'", [JT_RBRACE] = "'}'", [JT_LBRACK] = "'['",
		[JT_RBRACK] = "']'", [JT_COLON] = "':'", [JT_COMMA] = "','",
		[JT_TRUE] = "true", [JT_FALSE] = "false", [JT_NULL] = "null",
	};

	switch (jp->tok) {
	case JT_EOF:
		snprintf(buf, size, "end of input");
		break;
	case JT_STRING:
		snprintf(buf, size, "string \"%.40s%s\"", jp->text,
			 jp->len > 40 ? "..." : "");
		break;
	case JT_NUMBER:
		snprintf(buf, size, "number %.40s%s", jp->text,
			 jp->len > 40 ? "..." : "");
		break;
	case JT_ERR:
		snprintf(buf, size, "an error");
		break;
	default:
		snprintf(buf, size, "%s", punct[jp->tok]);
		break;
	}
}

/* Report the token just taken as not being @what. */
static int unexpected(struct jpull *jp, const char *what)
{
	char found[64];

	if (jp->failed)
		return -EINVAL;
	jpull_describe(jp, found, sizeof(found));
	return jpull_error(jp, jp->tline, jp->tcol, "", "expected %s, found %s",
			   what, found);
}

int jpull_expect(struct jpull *jp, enum jtok t, const char *what)
{
	if (jpull_next(jp) == t)
		return 0;
	return unexpected(jp, what);
}

int jpull_obj_key(struct jpull *jp, bool first)
{
	enum jtok t = jpull_next(jp);

	if (t == JT_RBRACE)
		return 0;
	if (!first) {
		if (t != JT_COMMA)
			return unexpected(jp, "',' or '}'");
		t = jpull_next(jp);
	}
	if (t != JT_STRING)
		return unexpected(jp, first ? "a key or '}'" : "a key");
	jp->kline = jp->tline;
	jp->kcol = jp->tcol;
	/* Keys longer than any known one match none. */
	if (jp->discard || jp->len >= sizeof(jp->key))
		jp->key[0] = '\0';
	else
		memcpy(jp->key, jp->text, jp->len + 1);
	return jpull_expect(jp, JT_COLON, "':'") ? -EINVAL : 1;
}

int jpull_arr_more(struct jpull *jp, bool first)
{
	enum jtok t = jpull_peek(jp);

	if (t == JT_RBRACK) {
		jpull_next(jp);
		return 0;
	}
	if (first)
		return jp->failed ? -EINVAL : 1;
	if (jpull_expect(jp, JT_COMMA, "',' or ']'"))
		return -EINVAL;
	return 1;
}

static bool is_scalar(enum jtok t)
{
	return t >= JT_STRING;
}

int jpull_skip(struct jpull *jp)
{
	unsigned char st[JPULL_MAX_DEPTH];	/* 1: object; 2: no member yet */
	bool discard = jp->discard;
	size_t depth = 0;
	enum jtok t;
	int r = 0;

	jp->discard = true;
	for (;;) {
		t = jpull_next(jp);
		if (t == JT_LBRACE || t == JT_LBRACK) {
			if (depth == JPULL_MAX_DEPTH) {
				r = jpull_error(jp, jp->tline, jp->tcol, "",
						"nested deeper than %d levels",
						JPULL_MAX_DEPTH);
				break;
			}
			st[depth++] = (t == JT_LBRACE) | 2;
		} else if (!is_scalar(t)) {
			r = unexpected(jp, "a value");
			break;
		}
		while (depth) {
			unsigned char *top = &st[depth - 1];

			r = *top & 1 ? jpull_obj_key(jp, *top & 2) :
				       jpull_arr_more(jp, *top & 2);
			*top &= 1;
			if (r < 0)
				goto out;
			if (r)
				break;
			depth--;
		}
		if (!depth)
			break;
	}
out:
	jp->discard = discard;
	return r < 0 ? -EINVAL : 0;
}
