/* SPDX-License-Identifier: GPL-2.0 */
/* Parse and format damo's sizes, times, counts and ratios exactly. */
#include "units.h"

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "xalloc.h"

/*
 * Compatibility notes.
 *
 * Parsing is exact: "x unit" is floor(x * unit) computed from the digits
 * as written (u128, digit by digit), where damo goes through a double and
 * is sometimes one off ("0.7%" is 70 bp here, 69 in damo).  Every input
 * damo accepts gives the same value; a few it rejects are accepted too:
 * several blanks between number and unit, and time pairs written without
 * a blank between them ("1m30s").  A time mixing a bare number with pairs
 * ("1 m 30") is rejected, where damo would read the 30 as nanoseconds.
 *
 * The lossy formats print "%.3f" of a quotient as damo does, bit for bit
 * for values below 2^53, without floating point: the quotient is rounded
 * to the nearest double (ties to even, as Python's division), then that
 * binary value to three decimals with ties to even (as glibc's printf).
 * The unit thresholds and "max" are tested on the exact integer, where
 * damo compares doubles: it prints 2^60 + 1 bytes as "1024.000 PiB" and
 * 2^64 - 2 bytes as "max", this file "1.000 EiB" and "16.000 EiB".
 */

typedef unsigned __int128 u128;

#define U128_MAX (~(u128)0)

/* Room for the digits of a u128 with commas, and the NUL. */
#define NUMSZ 56

#define MINUTE_NS (60 * UNITS_S)
#define HOUR_NS (60 * MINUTE_NS)
#define DAY_NS (24 * HOUR_NS)

/*
 * Sub-nanosecond resolution for summing the pairs of a time: each pair is
 * kept exactly to 1e-18 ns, so "0.5 ns 0.5 ns" is 1 ns as in damo.
 */
#define SUBNS 1000000000000000000ULL

struct unit {
	const char *name;
	uint64_t mul;
};

static const struct unit size_units[] = {
	{ "B", 1 },
	{ "K", 1ULL << 10 }, { "KB", 1ULL << 10 }, { "KiB", 1ULL << 10 },
	{ "M", 1ULL << 20 }, { "MB", 1ULL << 20 }, { "MiB", 1ULL << 20 },
	{ "G", 1ULL << 30 }, { "GB", 1ULL << 30 }, { "GiB", 1ULL << 30 },
	{ "T", 1ULL << 40 }, { "TB", 1ULL << 40 }, { "TiB", 1ULL << 40 },
	{ "P", 1ULL << 50 }, { "PB", 1ULL << 50 }, { "PiB", 1ULL << 50 },
	{ "E", 1ULL << 60 }, { "EB", 1ULL << 60 }, { "EiB", 1ULL << 60 },
};

/* Largest first: the order units_fmt_time_exact() prints them in. */
static const struct unit time_units[] = {
	{ "d", DAY_NS }, { "h", HOUR_NS }, { "m", MINUTE_NS },
	{ "s", UNITS_S }, { "ms", UNITS_MS }, { "us", UNITS_US },
	{ "ns", UNITS_NS },
};

/* Index i is 2^(10 * i) bytes. */
static const char *const sz_names[] = {
	"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB",
};

/*
 * A decimal number as written: integer part @ip (@ovf if it does not fit
 * in 128 bits) and the @nfrac digits after the point at @frac.
 */
struct dec {
	u128 ip;
	bool ovf;
	const char *frac;
	size_t nfrac;
};

/* ---- Parsing ---- */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\v' || c == '\f';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static const char *skip_blanks(const char *p, const char *e)
{
	while (p < e && is_blank(*p))
		p++;
	return p;
}

/* Set [*b, *e) to @s without leading and trailing blanks. */
static void trim(const char *s, const char **b, const char **e)
{
	const char *end = s + strlen(s);

	s = skip_blanks(s, end);
	while (end > s && is_blank(end[-1]))
		end--;
	*b = s;
	*e = end;
}

/* Is [b, e) the word @w, ignoring ASCII case if @nocase? */
static bool word_eq(const char *b, const char *e, const char *w, bool nocase)
{
	size_t n = strlen(w);
	size_t i;

	if ((size_t)(e - b) != n)
		return false;
	for (i = 0; i < n; i++) {
		char c = b[i];

		if (nocase && c >= 'A' && c <= 'Z')
			c = c - 'A' + 'a';
		if (c != w[i])
			return false;
	}
	return true;
}

/* "min" and "max", common to all numeric parsers: set *@out if [b, e) is. */
static bool parse_min_max(const char *b, const char *e, uint64_t *out)
{
	if (word_eq(b, e, "min", false)) {
		*out = 0;
		return true;
	}
	if (word_eq(b, e, "max", false)) {
		*out = UINT64_MAX;
		return true;
	}
	return false;
}

/*
 * Read a number at @p: a digit then digits and commas (the commas are
 * dropped, as damo does), then optionally '.' and digits; or '.' and at
 * least one digit.  No sign, no exponent.  Return the end, or NULL if there
 * is no number at @p.
 */
static const char *parse_dec(const char *p, const char *e, struct dec *d)
{
	bool digits = false;

	memset(d, 0, sizeof(*d));
	if (p < e && is_digit(*p)) {
		for (; p < e && (is_digit(*p) || *p == ','); p++) {
			unsigned int dig;

			if (*p == ',')
				continue;
			dig = (unsigned int)(*p - '0');
			if (d->ip > (U128_MAX - dig) / 10)
				d->ovf = true;
			else
				d->ip = d->ip * 10 + dig;
		}
		digits = true;
	}
	if (p < e && *p == '.') {
		d->frac = ++p;
		while (p < e && is_digit(*p))
			p++;
		d->nfrac = (size_t)(p - d->frac);
		digits = digits || d->nfrac;
	}
	return digits ? p : NULL;
}

/*
 * floor(@mul * 0.<fraction digits of @d>), exactly, for @mul < 2^124.
 * From the last digit back: floor((mul * dig + floor(mul * rest)) / 10)
 * equals floor(mul * (dig + rest) / 10) because mul * dig is an integer.
 */
static u128 frac_floor(const struct dec *d, u128 mul)
{
	u128 g = 0;
	size_t i;

	for (i = d->nfrac; i > 0; i--)
		g = (mul * (unsigned int)(d->frac[i - 1] - '0') + g) / 10;
	return g;
}

/*
 * floor(@d * @mul) into *@out.  Return false if it does not fit in a u128.
 */
static bool dec_mul(const struct dec *d, u128 mul, u128 *out)
{
	u128 f = frac_floor(d, mul);

	if (d->ovf || (mul && d->ip > (U128_MAX - f) / mul))
		return false;
	*out = d->ip * mul + f;
	return true;
}

/*
 * Read the unit word (a run of letters) at @p and look it up in @tbl.
 * Return the end of the word, or NULL if there is none or it is unknown.
 */
static const char *parse_unit(const char *p, const char *e,
			      const struct unit *tbl, size_t n, uint64_t *mul)
{
	const char *w = p;
	size_t i;

	while (p < e && is_alpha(*p))
		p++;
	for (i = 0; i < n; i++) {
		if (word_eq(w, p, tbl[i].name, false)) {
			*mul = tbl[i].mul;
			return p;
		}
	}
	return NULL;
}

/* Whether the digits after the point of @d are all zeros (or none). */
static bool dec_is_whole(const struct dec *d)
{
	size_t i;

	for (i = 0; i < d->nfrac; i++)
		if (d->frac[i] != '0')
			return false;
	return true;
}

int units_parse_nr(const char *s, uint64_t *out)
{
	const char *b, *e, *p;
	struct dec d;

	trim(s, &b, &e);
	if (parse_min_max(b, e, out))
		return 0;
	p = parse_dec(b, e, &d);
	if (!p || p != e)
		return -EINVAL;
	if (!dec_is_whole(&d))
		return -EDOM;
	if (d.ovf || d.ip > UINT64_MAX)
		return -ERANGE;
	*out = (uint64_t)d.ip;
	return 0;
}

int units_parse_i64(const char *s, int64_t *out)
{
	const char *b, *e, *p;
	struct dec d;
	bool neg;

	trim(s, &b, &e);
	if (word_eq(b, e, "min", false)) {
		*out = 0;
		return 0;
	}
	if (word_eq(b, e, "max", false))
		return -ERANGE;
	neg = b < e && *b == '-';
	p = parse_dec(b + neg, e, &d);
	if (!p || p != e || d.frac)
		return -EINVAL;
	if (d.ovf || d.ip > (u128)INT64_MAX + neg)
		return -ERANGE;
	if (neg)
		*out = d.ip ? -(int64_t)(d.ip - 1) - 1 : 0;
	else
		*out = (int64_t)d.ip;
	return 0;
}

int units_parse_size(const char *s, uint64_t *out)
{
	const char *b, *e, *p;
	uint64_t mul = 1;
	struct dec d;
	u128 v;

	trim(s, &b, &e);
	if (parse_min_max(b, e, out))
		return 0;
	p = parse_dec(b, e, &d);
	if (!p)
		return -EINVAL;
	p = skip_blanks(p, e);
	if (p < e)
		p = parse_unit(p, e, size_units, ARRAY_SIZE(size_units),
			       &mul);
	if (p != e)
		return -EINVAL;
	if (!dec_mul(&d, mul, &v) || v > UINT64_MAX)
		return -ERANGE;
	*out = (uint64_t)v;
	return 0;
}

int units_parse_addr(const char *s, uint64_t *out)
{
	const char *b, *e, *p;
	uint64_t v = 0;
	int dig;

	trim(s, &b, &e);
	if (e - b < 3 || b[0] != '0' || (b[1] != 'x' && b[1] != 'X'))
		return units_parse_size(s, out);
	for (p = b + 2; p < e; p++) {
		if (*p >= '0' && *p <= '9')
			dig = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			dig = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			dig = *p - 'A' + 10;
		else
			return -EINVAL;
		if (v > UINT64_MAX >> 4)
			return -ERANGE;
		v = v << 4 | (uint64_t)dig;
	}
	*out = v;
	return 0;
}

/*
 * Sum of the "number unit" pairs of a time: whole nanoseconds in @ns and
 * the rest in 1/SUBNS ns in @sub; @range once the sum is known to exceed
 * UINT64_MAX in the caller's unit.
 */
struct time_sum {
	u128 ns;
	u128 sub;
	bool range;
};

static void time_sum_add(struct time_sum *t, const struct dec *d,
			 uint64_t unit, uint64_t unit_ns)
{
	u128 g = frac_floor(d, (u128)unit * SUBNS);
	u128 add;

	if (t->range)
		return;
	if (d->ovf || d->ip > (U128_MAX - g / SUBNS - 1) / unit) {
		t->range = true;
		return;
	}
	add = d->ip * unit + g / SUBNS;
	t->sub += g % SUBNS;
	if (t->sub >= SUBNS) {
		t->sub -= SUBNS;
		add++;
	}
	if (add > U128_MAX - t->ns || (t->ns + add) / unit_ns > UINT64_MAX)
		t->range = true;
	else
		t->ns += add;
}

/* Parse "number unit" pairs from @p to @e into @t. */
static int parse_time_pairs(const char *p, const char *e, uint64_t unit_ns,
			    struct time_sum *t)
{
	while (p < e) {
		uint64_t unit;
		struct dec d;

		p = parse_dec(p, e, &d);
		if (!p)
			return -EINVAL;
		p = parse_unit(skip_blanks(p, e), e, time_units,
			       ARRAY_SIZE(time_units), &unit);
		if (!p)
			return -EINVAL;
		time_sum_add(t, &d, unit, unit_ns);
		p = skip_blanks(p, e);
	}
	return 0;
}

int units_parse_time(const char *s, uint64_t unit_ns, uint64_t *out)
{
	struct time_sum t = { 0 };
	const char *b, *e, *p;
	struct dec d;
	int err;

	if (!unit_ns)
		return -EINVAL;
	trim(s, &b, &e);
	if (parse_min_max(b, e, out))
		return 0;
	p = parse_dec(b, e, &d);
	if (p == e) {
		/* A bare number is in the caller's unit. */
		if (d.ovf || d.ip > UINT64_MAX)
			return -ERANGE;
		*out = (uint64_t)d.ip;
		return 0;
	}
	if (!p)
		return -EINVAL;
	err = parse_time_pairs(b, e, unit_ns, &t);
	if (err)
		return err;
	if (t.range)
		return -ERANGE;
	*out = (uint64_t)(t.ns / unit_ns);
	return 0;
}

int units_parse_ratio(const char *s, uint64_t scale, uint64_t *out)
{
	const char *b, *e, *p;
	bool percent = false;
	struct dec d;
	u128 v;

	if (!scale)
		return -EINVAL;
	trim(s, &b, &e);
	if (parse_min_max(b, e, out))
		return 0;
	p = parse_dec(b, e, &d);
	if (!p)
		return -EINVAL;
	p = skip_blanks(p, e);
	if (p < e && *p == '%') {
		percent = true;
		p++;
	}
	if (p != e)
		return -EINVAL;
	if (!percent)
		v = d.ip;
	else if (dec_mul(&d, scale, &v))
		v /= 100;
	else
		return -ERANGE;
	if (d.ovf || v > UINT64_MAX)
		return -ERANGE;
	*out = (uint64_t)v;
	return 0;
}

int units_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "y", "yes", "true", "1" };
	static const char *const no[] = { "n", "no", "false", "0" };
	const char *b, *e;
	size_t i;

	trim(s, &b, &e);
	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		if (word_eq(b, e, yes[i], true)) {
			*out = true;
			return 0;
		}
		if (word_eq(b, e, no[i], true)) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

/* ---- Formatting ---- */

/* Write @v in decimal into @dst (NUMSZ bytes), commas every 3 if @group. */
static char *u128_str(char *dst, u128 v, bool group)
{
	char tmp[NUMSZ];
	size_t n = 0, i = 0;
	uint64_t w;

	while (v > UINT64_MAX) {
		if (group && n % 4 == 3)
			tmp[n++] = ',';
		tmp[n++] = '0' + (char)(v % 10);
		v /= 10;
	}
	/* the rest in 64-bit arithmetic, which is much cheaper */
	w = (uint64_t)v;
	do {
		if (group && n % 4 == 3)
			tmp[n++] = ',';
		tmp[n++] = '0' + (char)(w % 10);
		w /= 10;
	} while (w);
	while (n)
		dst[i++] = tmp[--n];
	dst[i] = '\0';
	return dst;
}

static const char *fmt_raw(char *buf, uint64_t v)
{
	snprintf(buf, UNITS_BUFSZ, "%" PRIu64, v);
	return buf;
}

static int bitlen(u128 v)
{
	uint64_t hi = (uint64_t)(v >> 64), lo = (uint64_t)v;

	if (hi)
		return 128 - __builtin_clzll(hi);
	return lo ? 64 - __builtin_clzll(lo) : 0;
}

/*
 * The double nearest to @num / @den (ties to even), as Python's true
 * division of two floats gives it: *@m * 2^*@exp with *@m <= 2^53.
 * Both operands must be non-zero.
 */
static void dbl_div(uint64_t num, uint64_t den, uint64_t *m, int *exp)
{
	int s = 55 - (bitlen(num) - bitlen(den));
	u128 q, rest, half;
	bool sticky;
	int drop;

	/* Scale so that the quotient has 55 or 56 bits. */
	if (s >= 0) {
		q = ((u128)num << s) / den;
		sticky = ((u128)num << s) % den != 0;
	} else {
		q = num / ((u128)den << -s);
		sticky = num % ((u128)den << -s) != 0;
	}
	drop = bitlen(q) - 53;
	rest = q & (((u128)1 << drop) - 1);
	half = (u128)1 << (drop - 1);
	q >>= drop;
	if (rest > half || (rest == half && (sticky || (q & 1))))
		q++;
	*m = (uint64_t)q;
	*exp = drop - s;
}

/*
 * C's "%.3f" of @num / @den computed in double precision, as damo prints
 * it: round the quotient to the nearest double, then round that binary
 * value to three decimals with ties to even, as glibc's printf does.
 */
static char *fmt_quot3(char *dst, uint64_t num, uint64_t den)
{
	unsigned int f;
	uint64_t m = 0;
	size_t n;
	int exp = 0;
	u128 x, w;

	if (num)
		dbl_div(num, den, &m, &exp);
	x = (u128)m * 1000;
	if (exp >= 0) {
		w = x << exp;
	} else if (exp < -64) {
		w = 0;		/* x < 2^63 is below half of 2^-exp */
	} else {
		u128 rest = x & (((u128)1 << -exp) - 1);
		u128 half = (u128)1 << (-exp - 1);

		w = x >> -exp;
		if (rest > half || (rest == half && (w & 1)))
			w++;
	}
	/* "%s.%03u" without printf: this is on report access's hot path */
	n = strlen(u128_str(dst, w / 1000, false));
	f = (unsigned int)(w % 1000);
	dst[n++] = '.';
	dst[n++] = (char)('0' + f / 100);
	dst[n++] = (char)('0' + f / 10 % 10);
	dst[n++] = (char)('0' + f % 10);
	dst[n] = '\0';
	return dst;
}

const char *units_fmt_nr(char *buf, uint64_t v, bool raw)
{
	if (raw)
		return fmt_raw(buf, v);
	return u128_str(buf, v, true);
}

const char *units_fmt_i64(char *buf, int64_t v, bool raw)
{
	if (raw) {
		snprintf(buf, UNITS_BUFSZ, "%" PRId64, v);
		return buf;
	}
	if (v >= 0)
		return u128_str(buf, (uint64_t)v, true);
	buf[0] = '-';
	u128_str(buf + 1, (uint64_t)-(v + 1) + 1, true);
	return buf;
}

const char *units_fmt_sz(char *buf, uint64_t bytes, bool raw)
{
	char q[NUMSZ];
	int i;

	if (raw)
		return fmt_raw(buf, bytes);
	if (bytes == UINT64_MAX) {
		snprintf(buf, UNITS_BUFSZ, "max");
		return buf;
	}
	for (i = 6; i >= 1; i--) {
		uint64_t unit = 1ULL << (10 * i);

		if (bytes > unit) {
			snprintf(buf, UNITS_BUFSZ, "%s %s",
				 fmt_quot3(q, bytes, unit), sz_names[i]);
			return buf;
		}
	}
	snprintf(buf, UNITS_BUFSZ, "%" PRIu64 " B", bytes);
	return buf;
}

const char *units_fmt_sz_exact(char *buf, uint64_t bytes, bool raw)
{
	char n[NUMSZ];
	int i;

	if (raw)
		return fmt_raw(buf, bytes);
	if (bytes == UINT64_MAX) {
		snprintf(buf, UNITS_BUFSZ, "max");
		return buf;
	}
	for (i = 6; i >= 1; i--) {
		uint64_t unit = 1ULL << (10 * i);

		if (bytes < unit)
			continue;
		u128_str(n, bytes / unit, true);
		if (bytes % unit == 0) {
			snprintf(buf, UNITS_BUFSZ, "%s %s", n, sz_names[i]);
			return buf;
		}
		if ((u128)bytes * 1000 % unit == 0) {
			snprintf(buf, UNITS_BUFSZ, "%s.%03u %s", n,
				 (unsigned int)(bytes % unit * 1000 / unit),
				 sz_names[i]);
			return buf;
		}
	}
	snprintf(buf, UNITS_BUFSZ, "%s B", u128_str(n, bytes, true));
	return buf;
}

/* damo's format_time_ns below one hour, into @dst of @size bytes. */
static void fmt_time_sub_hour(char *dst, size_t size, uint64_t t)
{
	char q[NUMSZ];
	int i;

	if (t >= MINUTE_NS) {
		uint64_t min = t / MINUTE_NS, rest = t % MINUTE_NS;

		if (!rest)
			snprintf(dst, size, "%" PRIu64 " m", min);
		else if (rest % UNITS_S == 0)
			snprintf(dst, size, "%" PRIu64 " m %" PRIu64 " s", min,
				 (uint64_t)(rest / UNITS_S));
		else
			snprintf(dst, size, "%" PRIu64 " m %s s", min,
				 fmt_quot3(q, rest, UNITS_S));
		return;
	}
	/* time_units[3..5] are s, ms and us. */
	for (i = 3; i <= 5; i++) {
		const struct unit *u = &time_units[i];

		if (t < u->mul)
			continue;
		if (t % u->mul == 0)
			snprintf(dst, size, "%" PRIu64 " %s", t / u->mul,
				 u->name);
		else
			snprintf(dst, size, "%s %s", fmt_quot3(q, t, u->mul),
				 u->name);
		return;
	}
	snprintf(dst, size, "%" PRIu64 " ns", t);
}

const char *units_fmt_time(char *buf, uint64_t value, uint64_t unit_ns,
			   bool raw)
{
	u128 t = (u128)value * unit_ns;
	size_t n = 0;

	if (raw)
		return fmt_raw(buf, value);
	if (value == UINT64_MAX || t >= UINT64_MAX) {
		snprintf(buf, UNITS_BUFSZ, "max");
		return buf;
	}
	if (t >= HOUR_NS) {
		n = (size_t)snprintf(buf, UNITS_BUFSZ, "%" PRIu64 " h",
				     (uint64_t)(t / HOUR_NS));
		t %= HOUR_NS;
		if (!t)
			return buf;
		buf[n++] = ' ';
	}
	fmt_time_sub_hour(buf + n, UNITS_BUFSZ - n, (uint64_t)t);
	return buf;
}

const char *units_fmt_time_exact(char *buf, uint64_t value, uint64_t unit_ns,
				 bool raw)
{
	u128 t = (u128)value * unit_ns;
	const char *zero = "ns";
	char num[NUMSZ];
	size_t i, n = 0;

	if (raw)
		return fmt_raw(buf, value);
	if (value == UINT64_MAX) {
		snprintf(buf, UNITS_BUFSZ, "max");
		return buf;
	}
	/* At most 69 characters, for t just below 2^128 ns. */
	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(time_units); i++) {
		const struct unit *u = &time_units[i];

		if (u->mul == unit_ns)
			zero = u->name;
		if (t < u->mul)
			continue;
		n += (size_t)snprintf(buf + n, UNITS_BUFSZ - n, "%s%s %s",
				      n ? " " : "",
				      u128_str(num, t / u->mul, true),
				      u->name);
		t %= u->mul;
	}
	if (!n)
		snprintf(buf, UNITS_BUFSZ, "0 %s", zero);
	return buf;
}

const char *units_fmt_ratio(char *buf, uint64_t value, uint64_t scale,
			    bool raw)
{
	u128 x = (u128)value * 100, ip, f, pow10 = 1;
	char digits[24];
	size_t n;
	int k = 0;

	if (raw || !scale)
		return fmt_raw(buf, value);
	if (value == UINT64_MAX) {
		snprintf(buf, UNITS_BUFSZ, "max");
		return buf;
	}
	ip = x / scale;
	/*
	 * Enough decimals that 10^k >= scale (exact for power-of-ten
	 * scales), rounded up so that parsing it back truncates to @value.
	 */
	while (pow10 < scale && k < 19) {
		pow10 *= 10;
		k++;
	}
	f = (x % scale * pow10 + scale - 1) / scale;
	if (f == pow10) {
		ip++;
		f = 0;
	}
	/* At most 29 characters: ip < 2^64 * 100. */
	n = strlen(u128_str(buf, ip, true));
	if (f) {
		snprintf(digits, sizeof(digits), "%0*" PRIu64, k, (uint64_t)f);
		while (digits[k - 1] == '0')
			digits[--k] = '\0';
		n += (size_t)snprintf(buf + n, UNITS_BUFSZ - n, ".%s",
				      digits);
	}
	snprintf(buf + n, UNITS_BUFSZ - n, " %%");
	return buf;
}
