/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A pull tokenizer for JSON read from a byte source: one token at a time,
 * positions for messages, number text kept as written, and a skipper that
 * checks the grammar of what it skips.  Memory is one token's text.
 */
#ifndef DAMO_FORMATS_JSON_PULL_H
#define DAMO_FORMATS_JSON_PULL_H

#include <stdbool.h>
#include <stddef.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

struct diag;
struct rsrc;

/* Longest string or number kept; longer ones are marked long_text. */
#define JPULL_TEXT_MAX 8192
#define JPULL_MAX_DEPTH 1024

enum jtok {
	JT_ERR = -1,	/* reported to the diag already */
	JT_EOF,
	JT_LBRACE,
	JT_RBRACE,
	JT_LBRACK,
	JT_RBRACK,
	JT_COLON,
	JT_COMMA,
	JT_STRING,
	JT_NUMBER,
	JT_TRUE,
	JT_FALSE,
	JT_NULL,
};

struct jpull {
	struct rsrc *src;		/* borrowed */
	const char *name;		/* file name for messages, borrowed */
	struct diag *diag;		/* borrowed */
	unsigned int line;		/* of the next byte, 1-based */
	unsigned int col;
	enum jtok tok;			/* the last token read or peeked */
	unsigned int tline;		/* where it starts */
	unsigned int tcol;
	unsigned int kline;		/* where the last object key starts */
	unsigned int kcol;
	char key[64];			/* the last key; "" if longer */
	bool peeked;			/* tok is read ahead, not yet taken */
	bool discard;			/* skipping: keep no text */
	bool failed;
	bool long_text;			/* text holds only a prefix */
	size_t len;
	char text[JPULL_TEXT_MAX + 1];	/* strings unescaped; NUL-terminated */
};

/* How many spaces start at @p, before @e: indentation, 16 at a time. */
static inline size_t jpull_space_run(const unsigned char *p,
				      const unsigned char *e)
{
	const unsigned char *q = p;
#ifdef __SSE2__
	const __m128i sp = _mm_set1_epi8(' ');
	unsigned int m;

	while (e - q >= 16) {
		m = (unsigned int)_mm_movemask_epi8(_mm_cmpeq_epi8(
			_mm_loadu_si128((const __m128i *)(const void *)q), sp));
		if (m != 0xffff)
			return (size_t)(q - p) + (size_t)__builtin_ctz(~m);
		q += 16;
	}
#endif
	while (q < e && *q == ' ')
		q++;
	return (size_t)(q - p);
}

void jpull_init(struct jpull *jp, struct rsrc *src, const char *name,
		struct diag *diag);

/* Take the next token (a peeked one first). */
enum jtok jpull_next(struct jpull *jp);
/* Look at the next token without taking it. */
enum jtok jpull_peek(struct jpull *jp);

/* Take a token of kind @t or report "expected @what, found ...". */
int jpull_expect(struct jpull *jp, enum jtok t, const char *what);

/*
 * jpull_obj_key() - inside an object whose '{' was taken, take the next key
 * and its ':' (the key is in jp->key, its position in kline/kcol).
 * @first: no member was read yet (no ',' expected)
 * Return: 1 for a key, 0 when '}' ended the object, -EINVAL.
 */
int jpull_obj_key(struct jpull *jp, bool first);

/*
 * jpull_arr_more() - inside an array whose '[' was taken: 1 when a value
 * follows (not taken yet), 0 when ']' ended it, -EINVAL.
 */
int jpull_arr_more(struct jpull *jp, bool first);

/* Skip one whole value, checking its grammar. 0 or -EINVAL. */
int jpull_skip(struct jpull *jp);

/*
 * jpull_skip_fast() - skip one whole array or object at memory speed,
 * checking its grammar, when it is plain: no string escapes, no control
 * bytes, nesting within JPULL_MAX_DEPTH.
 * Return: 0 when skipped (positions as jpull_skip() leaves them); 1 when
 * it gave up on something it does not take (or an invalid value, or a
 * read error), reporting nothing, with the source somewhere inside the
 * value: the caller goes back to a mark and calls jpull_skip(), which
 * says what is wrong.
 */
int jpull_skip_fast(struct jpull *jp);

/* "'}'", "end of input", "string \"ab\"", ... for messages. */
void jpull_describe(const struct jpull *jp, char *buf, size_t size);

/* Report a problem at @line:@col under @path; returns -EINVAL. */
int jpull_error(struct jpull *jp, unsigned int line, unsigned int col,
		const char *path, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#endif /* DAMO_FORMATS_JSON_PULL_H */
