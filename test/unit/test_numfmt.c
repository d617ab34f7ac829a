/* SPDX-License-Identifier: GPL-2.0 */
/*
 * core/numfmt against the formatters it stands in for: numfmt_u64() as
 * printf("%llu") and numfmt_repr() as heatmap_fmt_float() (Python's
 * repr() through the shortest snprintf("%.*e") precision that reads
 * back), over edge cases and hundreds of thousands of values of every kind
 * a heatmap prints and others.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/heatmap.h"
#include "core/numfmt.h"

static uint64_t rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static void test_u64(void **state)
{
	static const uint64_t edge[] = {
		0, 1, 9, 10, 99, 100, 4294967295ULL, 4294967296ULL,
		999999999999999999ULL, 1000000000000000000ULL,
		9999999999999999999ULL, 10000000000000000000ULL, UINT64_MAX,
		UINT64_MAX - 1,
	};
	char a[32], b[32];
	uint64_t x = 88172645463325252ULL, v;
	size_t i;

	(void)state;
	for (i = 0; i < 500000; i++) {
		v = i < sizeof(edge) / sizeof(edge[0]) ? edge[i] :
		    rnd(&x) >> (rnd(&x) % 64);
		snprintf(a, sizeof(a), "%llu", (unsigned long long)v);
		assert_int_equal(numfmt_u64(b, v), strlen(a));
		assert_string_equal(a, b);
	}
}

static void check(double v)
{
	char a[NUMFMT_MAX], b[NUMFMT_MAX];

	heatmap_fmt_float(a, v);
	numfmt_repr(b, v);
	if (strcmp(a, b))
		fail_msg("%.17g: numfmt_repr \"%s\", reference \"%s\"", v, b,
			 a);
}

static void test_repr(void **state)
{
	static const double edge[] = {
		0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 20.0,
		1e-05, 0.0001, 0.00011, 9.999e-05, 1e15, 1e16, 1.5e16,
		999999999999999.9, 9999999999999998.0, 9007199254740992.0,
		9007199254740991.0, 9007199254740993.0, 4503599627370497.0,
		123.456, 4.617940137508048, 5e-324, DBL_MIN, DBL_MAX,
		DBL_EPSILON, 1e22, 1e23, 0.5, 2.5, 1e-7, 123456789.123,
		0.30000000000000004, 1e300, -1e-300, 100.0, 1e-4 * 3,
	};
	uint64_t x = 0x2545f4914f6cdd1dULL, r;
	double v;
	size_t i;

	(void)state;
	check(NAN);
	check(INFINITY);
	check(-INFINITY);
	for (i = 0; i < sizeof(edge) / sizeof(edge[0]); i++) {
		check(edge[i]);
		check(-edge[i]);
		check(nextafter(edge[i], 0));
		check(nextafter(edge[i], INFINITY));
	}
	for (i = 0; i < 300000; i++) {
		r = rnd(&x);
		switch (i % 6) {
		case 0:	/* averages of small counts, as heats are */
			v = (double)(r % 100000) / (double)(1 + (r >> 20) % 997);
			break;
		case 1:	/* short decimals */
			v = (double)(r % 10000000) /
			    pow(10, (double)((r >> 32) % 12));
			break;
		case 2:	/* integers */
			v = (double)(r >> (r % 64));
			break;
		case 3:	/* any bits */
			memcpy(&v, &r, sizeof(v));
			if (isnan(v))
				continue;
			break;
		case 4:	/* near powers of ten */
			v = pow(10, (double)((int)(r % 40) - 20)) *
			    (1 + ((double)((r >> 8) % 2001) - 1000) * 1e-16);
			break;
		default:	/* uniform in [0, 1) */
			v = (double)(r >> 11) / 9007199254740992.0;
			break;
		}
		check(v);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_u64),
		cmocka_unit_test(test_repr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
