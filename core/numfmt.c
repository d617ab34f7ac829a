/* SPDX-License-Identifier: GPL-2.0 */
/* Fast decimal formatting of integers and of doubles as Python's repr(). */
#include "core/numfmt.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t numfmt_u64(char *buf, uint64_t v)
{
	char tmp[20];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return n;
}

/*
 * Lay out the significant @digits (@nd of them, no trailing zeros) of a
 * value whose first digit has decimal exponent @exp, as repr() does.
 */
static const char *layout(char *buf, bool neg, const char *digits, int nd,
			  int exp)
{
	int n = 0, i;

	if (neg)
		buf[n++] = '-';
	if (exp < -4 || exp >= 16) {
		buf[n++] = digits[0];
		if (nd > 1) {
			buf[n++] = '.';
			memcpy(buf + n, digits + 1, (size_t)nd - 1);
			n += nd - 1;
		}
		sprintf(buf + n, "e%c%02d", exp < 0 ? '-' : '+', abs(exp));
		return buf;
	}
	if (exp < 0) {
		buf[n++] = '0';
		buf[n++] = '.';
		for (i = -1; i > exp; i--)
			buf[n++] = '0';
		memcpy(buf + n, digits, (size_t)nd);
		n += nd;
	} else if (nd <= exp + 1) {
		memcpy(buf + n, digits, (size_t)nd);
		n += nd;
		for (i = nd; i <= exp; i++)
			buf[n++] = '0';
		buf[n++] = '.';
		buf[n++] = '0';
	} else {
		memcpy(buf + n, digits, (size_t)exp + 1);
		n += exp + 1;
		buf[n++] = '.';
		memcpy(buf + n, digits + exp + 1, (size_t)(nd - exp - 1));
		n += nd - exp - 1;
	}
	buf[n] = '\0';
	return buf;
}

/*
 * The shortest k <= 17 for which round(|v| * 10^k) = n, below 2^53, reads
 * back as |v| (n / 10^k, one correctly rounded division of exact
 * operands), with n's digits; false when there is none.  A shorter
 * string would have fewer fraction digits and be found at a smaller k;
 * for a given k the nearest n is the only candidate because |v| * 10^k is
 * off by far less than 0.5.
 */
static bool short_fixed(double a, char *digits, int *nd, int *exp)
{
	static const double p10[] = {
		1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
		1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
	};
	char tmp[20];
	uint64_t n;
	int k, len, i;

	for (k = 0; k <= 17; k++) {
		double x = a * p10[k];

		if (x >= 9007199254740992.0)
			return false;
		n = (uint64_t)llround(x);
		if ((double)n / p10[k] == a)
			break;
	}
	if (k > 17 || !n)
		return false;
	len = (int)numfmt_u64(tmp, n);
	*exp = len - 1 - k;
	while (len > 1 && tmp[len - 1] == '0')
		len--;
	for (i = 0; i < len; i++)
		digits[i] = tmp[i];
	*nd = len;
	return true;
}

/*
 * The shortest "%.*e" precision that reads back as @v (if p digits read
 * back, so do p + 1: the correctly rounded (p+1)-digit value is at least
 * as close to @v as the p-digit one, which is one of its candidates).
 * Values that come here mostly need 16 or 17 digits: 17 always reads
 * back, 16 and 15 are tried in turn, and only below that is the shortest
 * found by bisection.
 */
static void short_sci(double v, char *digits, int *nd, int *exp)
{
	char e[40], best[40], *p;
	int lo = 1, hi = 15, mid;

	snprintf(best, sizeof(best), "%.*e", 16, v);
	snprintf(e, sizeof(e), "%.*e", 15, v);
	if (strtod(e, NULL) == v) {
		memcpy(best, e, sizeof(best));
		snprintf(e, sizeof(e), "%.*e", 14, v);
		if (strtod(e, NULL) != v)
			lo = hi;
		else
			memcpy(best, e, sizeof(best));
		while (lo < hi) {
			mid = (lo + hi) / 2;
			snprintf(e, sizeof(e), "%.*e", mid - 1, v);
			if (strtod(e, NULL) == v) {
				hi = mid;
				memcpy(best, e, sizeof(best));
			} else {
				lo = mid + 1;
			}
		}
	}
	p = best;
	if (*p == '-')
		p++;
	for (*nd = 0; *p && *p != 'e'; p++)
		if (*p != '.')
			digits[(*nd)++] = *p;
	while (*nd > 1 && digits[*nd - 1] == '0')
		(*nd)--;
	*exp = atoi(p + 1);
}

const char *numfmt_repr(char *buf, double v)
{
	char digits[24];
	int nd, exp;

	if (isnan(v))
		return strcpy(buf, "NaN");
	if (isinf(v))
		return strcpy(buf, v < 0 ? "-inf" : "inf");
	if (v == 0)
		return strcpy(buf, signbit(v) ? "-0.0" : "0.0");
	if (!short_fixed(fabs(v), digits, &nd, &exp))
		short_sci(v, digits, &nd, &exp);
	return layout(buf, v < 0, digits, nd, exp);
}
