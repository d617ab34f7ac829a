/* SPDX-License-Identifier: GPL-2.0 */
/* A streaming RFC 8259 JSON tokenizer over a record byte source. */
#include "formats/json_pull.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

/*
 * How many plain string bytes start at @p, before @e: not a quote, a
 * backslash or a control byte; 16 at a time.
 */
static inline size_t string_run(const unsigned char *p, const unsigned char *e)
{
	const unsigned char *q = p;
#ifdef __SSE2__
	const __m128i quote = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\');
	const __m128i ctl = _mm_set1_epi8(0x1f);
	unsigned int m;
	__m128i x;

	while (e - q >= 16) {
		x = _mm_loadu_si128((const __m128i *)(const void *)q);
		m = (unsigned int)_mm_movemask_epi8(_mm_or_si128(
			_mm_or_si128(_mm_cmpeq_epi8(x, quote),
				     _mm_cmpeq_epi8(x, bs)),
			_mm_cmpeq_epi8(_mm_min_epu8(x, ctl), x)));
		if (m)
			return (size_t)(q - p) + (size_t)__builtin_ctz(m);
		q += 16;
	}
#endif
	while (q < e && *q != '"' && *q != '\\' && *q >= 0x20)
		q++;
	return (size_t)(q - p);
}

/* Append @n bytes to the token's text, keeping what fits. */
static void put_run(struct jpull *jp, const unsigned char *p, size_t n)
{
	if (jp->discard)
		return;
	if (n > JPULL_TEXT_MAX - jp->len) {
		n = JPULL_TEXT_MAX - jp->len;
		jp->long_text = true;
	}
	memcpy(jp->text + jp->len, p, n);
	jp->len += n;
}

/*
 * Whole runs of plain string bytes are taken from the buffer at once; a
 * quote, a backslash, a control byte or the buffer's end stops a run.
 */
static enum jtok read_string(struct jpull *jp)
{
	struct rsrc *s = jp->src;
	const unsigned char *p, *q, *e;
	int c;

	for (;;) {
		if (s->pos >= s->len && rsrc_fill(s) <= 0) {
			if (s->err)
				return src_error(jp);
			jpull_error(jp, jp->tline, jp->tcol, "",
				    "unterminated string");
			return JT_ERR;
		}
		p = s->buf + s->pos;
		e = s->buf + s->len;
		q = p + string_run(p, e);
		put_run(jp, p, (size_t)(q - p));
		jp->col += (unsigned int)(q - p);
		s->pos += (size_t)(q - p);
		if (q == e)
			continue;
		c = getc_pos(jp);
		if (c == '"')
			break;
		if (c < 0x20) {
			jpull_error(jp, jp->line, jp->col - 1, "",
				    "unescaped control character in string");
			return JT_ERR;
		}
		if (escape(jp))
			return JT_ERR;
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

/*
 * The end of a JSON number at @p before @e, or NULL when @p does not start
 * one (the grammar of read_number_slow()).
 */
static const unsigned char *number_end(const unsigned char *p,
				       const unsigned char *e)
{
	if (p < e && *p == '-')
		p++;
	if (p == e || !is_digit(*p))
		return NULL;
	if (*p++ != '0')
		while (p < e && is_digit(*p))
			p++;
	if (p < e && *p == '.') {
		if (++p == e || !is_digit(*p))
			return NULL;
		while (p < e && is_digit(*p))
			p++;
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < e && (*p == '+' || *p == '-'))
			p++;
		if (p == e || !is_digit(*p))
			return NULL;
		while (p < e && is_digit(*p))
			p++;
	}
	return p;
}

static bool is_number_byte(int c)
{
	return is_digit(c) || c == '.' || c == 'e' || c == 'E' || c == '+' ||
	       c == '-';
}

static enum jtok read_number_slow(struct jpull *jp, int c);

/*
 * A number whose first byte @c was just taken from the buffer: when the
 * run of bytes that may belong to a number ends inside the buffer and is
 * one whole valid number, it is taken at once; anything else (a number
 * across a refill, an invalid one) goes the byte-at-a-time way, which
 * says what is wrong where.
 */
static enum jtok read_number(struct jpull *jp, int c)
{
	struct rsrc *s = jp->src;
	const unsigned char *p = s->buf + s->pos - 1, *e = s->buf + s->len;
	const unsigned char *q = p + 1, *end;

	while (q < e && is_number_byte(*q))
		q++;
	if (q == e)
		return read_number_slow(jp, c);
	end = number_end(p, q);
	if (end != q)
		return read_number_slow(jp, c);
	put_run(jp, p, (size_t)(q - p));
	jp->col += (unsigned int)(q - p - 1);
	s->pos += (size_t)(q - p - 1);
	return JT_NUMBER;
}

static enum jtok read_number_slow(struct jpull *jp, int c)
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

/*
 * A literal whose first byte @c was just taken from the buffer, when the
 * whole word and the byte after it are there: NULL_TOK... or JT_ERR to
 * leave it to read_literal().
 */
static enum jtok literal_fast(struct jpull *jp, int c)
{
	struct rsrc *s = jp->src;
	const unsigned char *p = s->buf + s->pos;
	size_t left = s->len - s->pos, n;
	enum jtok t;

	if (c == 'n' && left > 3 && !memcmp(p, "ull", 3)) {
		n = 3;
		t = JT_NULL;
	} else if (c == 't' && left > 3 && !memcmp(p, "rue", 3)) {
		n = 3;
		t = JT_TRUE;
	} else if (c == 'f' && left > 4 && !memcmp(p, "alse", 4)) {
		n = 4;
		t = JT_FALSE;
	} else {
		return JT_ERR;
	}
	if (is_alpha(p[n]))
		return JT_ERR;
	s->pos += n;
	jp->col += (unsigned int)n;
	return t;
}

/*
 * Skip blanks and take the next byte: -1 at the end or on an error.
 */
static int next_nonblank(struct jpull *jp)
{
	struct rsrc *s = jp->src;
	const unsigned char *p, *e;
	unsigned int line, col;

	for (;;) {
		if (s->pos >= s->len && rsrc_fill(s) <= 0)
			return -1;
		p = s->buf + s->pos;
		e = s->buf + s->len;
		line = jp->line;
		col = jp->col;
		while (p < e) {
			if (*p == ' ') {
				size_t n = jpull_space_run(p, e);

				p += n;
				col += (unsigned int)n;
				continue;
			}
			if (*p == '\t' || *p == '\r') {
				col++;
			} else if (*p == '\n') {
				line++;
				col = 1;
			} else {
				break;
			}
			p++;
		}
		jp->line = line;
		jp->col = col;
		s->pos = (size_t)(p - s->buf);
		if (p < e) {
			s->pos++;
			jp->col++;
			return *p;
		}
	}
}

static enum jtok scan(struct jpull *jp)
{
	enum jtok t;
	int c;

	c = next_nonblank(jp);
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
	if (is_alpha(c)) {
		t = literal_fast(jp, c);
		return t != JT_ERR ? t : read_literal(jp, c);
	}
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
	/* The ':' right after the key, as damo writes it: take it here. */
	if (jp->src->pos < jp->src->len &&
	    jp->src->buf[jp->src->pos] == ':') {
		jp->src->pos++;
		jp->tok = JT_COLON;
		jp->tline = jp->line;
		jp->tcol = jp->col++;
		jp->len = 0;
		jp->long_text = false;
		jp->text[0] = '\0';
		return 1;
	}
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

/* What jpull_skip_fast() expects next. */
enum skip_state {
	SK_VALUE,		/* a value */
	SK_VALUE_OR_CLOSE,	/* after '[' */
	SK_KEY,			/* after ',' in an object */
	SK_KEY_OR_CLOSE,	/* after '{' */
	SK_COLON,
	SK_AFTER,		/* ',' or the closing bracket */
};

/* Is [@p, @e) one whole literal or number? */
static bool is_scalar_text(const unsigned char *p, const unsigned char *e)
{
	size_t n = (size_t)(e - p);

	if (*p == '-' || is_digit(*p))
		return number_end(p, e) == e;
	return (n == 4 && (!memcmp(p, "null", 4) || !memcmp(p, "true", 4))) ||
	       (n == 5 && !memcmp(p, "false", 5));
}

/* Does @c continue a scalar that starts with @first? */
static bool scalar_byte(unsigned char first, unsigned char c)
{
	return first == '-' || is_digit(first) ? is_number_byte(c) :
						 is_alpha(c);
}

int jpull_skip_fast(struct jpull *jp)
{
	unsigned char st[JPULL_MAX_DEPTH];	/* 1: object */
	enum skip_state state = SK_VALUE;
	struct rsrc *s = jp->src;
	const unsigned char *p, *e, *q;
	unsigned int line, col, cline = 0, ccol = 0;
	enum jtok close = JT_EOF;
	size_t depth = 0;
	bool in_str = false, done = false;
	unsigned char sc[32];	/* a scalar across a refill */
	size_t scn = 0;

	if (jp->failed || jp->peeked)
		return 1;
	line = jp->line;
	col = jp->col;
	while (!done) {
		if (s->pos >= s->len && rsrc_fill(s) <= 0)
			return 1;
		p = s->buf + s->pos;
		e = s->buf + s->len;
		while (p < e && !done) {
			unsigned char c = *p;

			if (scn) {
				q = p;
				while (q < e && scalar_byte(sc[0], *q))
					q++;
				if ((size_t)(q - p) > sizeof(sc) - scn)
					return 1;
				memcpy(sc + scn, p, (size_t)(q - p));
				scn += (size_t)(q - p);
				col += (unsigned int)(q - p);
				p = q;
				if (p == e)
					break;
				if (!is_scalar_text(sc, sc + scn))
					return 1;
				scn = 0;
				state = SK_AFTER;
				continue;
			}
			if (in_str) {
				/* Escapes are rare: the slow way says them. */
				q = p + string_run(p, e);
				col += (unsigned int)(q - p);
				p = q;
				if (p == e)
					break;
				if (*p != '"')
					return 1;
				p++;
				col++;
				in_str = false;
				state = state == SK_KEY ? SK_COLON : SK_AFTER;
				continue;
			}
			if (c == ' ') {
				size_t n = jpull_space_run(p, e);

				p += n;
				col += (unsigned int)n;
				continue;
			}
			if (c == '\n') {
				p++;
				line++;
				col = 1;
				continue;
			}
			if (c == '\t' || c == '\r') {
				p++;
				col++;
				continue;
			}
			switch (state) {
			case SK_KEY_OR_CLOSE:
			case SK_VALUE_OR_CLOSE:
				if (c == (state == SK_KEY_OR_CLOSE ? '}' : ']'))
					goto close;
				state = state == SK_KEY_OR_CLOSE ? SK_KEY :
								   SK_VALUE;
				/* fall through */
			case SK_KEY:
				if (state == SK_KEY) {
					if (c != '"')
						return 1;
					in_str = true;
					p++;
					col++;
					continue;
				}
				/* fall through */
			case SK_VALUE:
				if (c == '{' || c == '[') {
					if (depth == JPULL_MAX_DEPTH)
						return 1;
					st[depth++] = c == '{';
					state = c == '{' ? SK_KEY_OR_CLOSE :
							   SK_VALUE_OR_CLOSE;
					p++;
					col++;
					continue;
				}
				if (!depth)
					return 1;	/* only containers */
				if (c == '"') {
					in_str = true;
					p++;
					col++;
					continue;
				}
				if (c != '-' && !is_digit(c) && !is_alpha(c))
					return 1;
				q = p + 1;
				while (q < e && scalar_byte(c, *q))
					q++;
				if (q == e) {
					if ((size_t)(q - p) > sizeof(sc))
						return 1;
					memcpy(sc, p, (size_t)(q - p));
					scn = (size_t)(q - p);
					col += (unsigned int)(q - p);
					p = q;
					continue;	/* p == e: refill */
				}
				if (!is_scalar_text(p, q))
					return 1;
				col += (unsigned int)(q - p);
				p = q;
				state = SK_AFTER;
				continue;
			case SK_COLON:
				if (c != ':')
					return 1;
				state = SK_VALUE;
				p++;
				col++;
				continue;
			case SK_AFTER:
				if (c == ',') {
					state = st[depth - 1] ? SK_KEY :
								SK_VALUE;
					p++;
					col++;
					continue;
				}
				if (c != (st[depth - 1] ? '}' : ']'))
					return 1;
				goto close;
			}
			return 1;
close:
			cline = line;
			ccol = col;
			close = c == '}' ? JT_RBRACE : JT_RBRACK;
			p++;
			col++;
			state = SK_AFTER;
			if (--depth)
				continue;
			done = true;
		}
		s->pos = (size_t)(p - s->buf);
	}
	jp->line = line;
	jp->col = col;
	jp->tok = close;
	jp->tline = cline;
	jp->tcol = ccol;
	jp->len = 0;
	jp->long_text = false;
	jp->text[0] = '\0';
	return 0;
}
