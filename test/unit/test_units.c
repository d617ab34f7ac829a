/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests for core/units.c: damo-compatible value parsing and printing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "core/units.h"
#include "core/xalloc.h"

#define KIB (1ULL << 10)
#define MIB (1ULL << 20)
#define GIB (1ULL << 30)
#define TIB (1ULL << 40)
#define PIB (1ULL << 50)
#define EIB (1ULL << 60)

/* Untouched-output sentinel: a failed parse must not write *out. */
#define SENTINEL 0x5a5a5a5a5a5a5a5aULL

struct u64_case {
	const char *in;
	uint64_t want;
};

/* One input of a u64 parser and the value or error it must give. */
struct u64_err_case {
	const char *in;
	int err;
};

/* Formatting case: value in some unit, expected text. */
struct fmt_case {
	uint64_t v;
	const char *want;
};

enum parser { P_NR, P_SIZE, P_TIME, P_RATIO };

static int parse(enum parser p, const char *s, uint64_t unit, uint64_t *out)
{
	switch (p) {
	case P_NR:
		return units_parse_nr(s, out);
	case P_SIZE:
		return units_parse_size(s, out);
	case P_TIME:
		return units_parse_time(s, unit, out);
	case P_RATIO:
		return units_parse_ratio(s, unit, out);
	}
	return -EINVAL;
}

static void check_ok(enum parser p, uint64_t unit, const struct u64_case *c,
		     size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t out = SENTINEL;
		int err = parse(p, c[i].in, unit, &out);

		if (err || out != c[i].want)
			fail_msg("\"%s\": got %d/%" PRIu64 ", want 0/%" PRIu64,
				 c[i].in, err, out, c[i].want);
	}
}

static void check_err(enum parser p, uint64_t unit, const char *const *in,
		      size_t n, int want)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t out = SENTINEL;
		int err = parse(p, in[i], unit, &out);

		if (err != want || out != SENTINEL)
			fail_msg("\"%s\": got %d/%" PRIu64
				 ", want %d, output untouched",
				 in[i], err, out, want);
	}
}

typedef const char *(*fmt_fn)(char *buf, uint64_t v, uint64_t unit,
			       bool raw);

static void check_fmt(fmt_fn fn, uint64_t unit, const struct fmt_case *c,
		      size_t n)
{
	char buf[UNITS_BUFSZ];
	size_t i;

	for (i = 0; i < n; i++) {
		const char *got = fn(buf, c[i].v, unit, false);

		if (got != buf || strcmp(got, c[i].want))
			fail_msg("%" PRIu64 " (unit %" PRIu64
				 "): got \"%s\", want \"%s\"",
				 c[i].v, unit, got, c[i].want);
	}
}

/* Adapters so that every formatter has the fmt_fn shape. */
static const char *fmt_nr(char *buf, uint64_t v, uint64_t unit, bool raw)
{
	(void)unit;
	return units_fmt_nr(buf, v, raw);
}

static const char *fmt_sz(char *buf, uint64_t v, uint64_t unit, bool raw)
{
	(void)unit;
	return units_fmt_sz(buf, v, raw);
}

static const char *fmt_sz_exact(char *buf, uint64_t v, uint64_t unit,
				bool raw)
{
	(void)unit;
	return units_fmt_sz_exact(buf, v, raw);
}

/* ---- Parsing ---- */

static void test_nr_accepts_commas_blanks_and_min_max(void **state)
{
	static const struct u64_case c[] = {
		{ "0", 0 }, { "42", 42 }, { "1,000", 1000 },
		{ "1,000,000", 1000000 }, { " 42 ", 42 }, { "\t7\n", 7 },
		{ "min", 0 }, { "max", UINT64_MAX }, { " max ", UINT64_MAX },
		{ "18446744073709551615", UINT64_MAX },
		{ "18,446,744,073,709,551,615", UINT64_MAX },
		{ "007", 7 },
	};

	(void)state;
	check_ok(P_NR, 0, c, ARRAY_SIZE(c));
}

/* A count is whole: a fraction is refused, never truncated. */
static void test_nr_refuses_fractions(void **state)
{
	static const struct u64_case c[] = {
		{ "5.", 5 }, { "5.000", 5 }, { "1,000.0", 1000 },
		{ "0.0", 0 },
	};
	static const char *const in[] = {
		"5000.5", "1.9", "0.999", ".5", "1,000.5", "0.0001",
		"18446744073709551615.5",
	};

	(void)state;
	check_ok(P_NR, 0, c, ARRAY_SIZE(c));
	check_err(P_NR, 0, in, ARRAY_SIZE(in), -EDOM);
}

static void test_nr_rejects_garbage_and_negatives(void **state)
{
	static const char *const in[] = {
		"", " ", "-1", "-0", "+1", "abc", "1a", "1 2", "1..5", ".",
		",5", "0x10", "MAX", "Max", "1e3", "1 KiB", "5 %",
	};

	(void)state;
	check_err(P_NR, 0, in, ARRAY_SIZE(in), -EINVAL);
}

/* Addresses: hex as damo's YAML 1.1 reader takes it, or a size. */
static void test_addr_takes_hex(void **state)
{
	static const struct {
		const char *in;
		int err;
		uint64_t want;
	} c[] = {
		{ "0x7f0000000000", 0, 0x7f0000000000ULL },
		{ " 0X1f ", 0, 31 }, { "4 KiB", 0, 4096 }, { "4,096", 0, 4096 },
		{ "0xffffffffffffffff", 0, UINT64_MAX },
		{ "0x10000000000000000", -ERANGE, 0 }, { "0x", -EINVAL, 0 },
		{ "0xg", -EINVAL, 0 }, { "0x1.5", -EINVAL, 0 },
		{ "-0x1", -EINVAL, 0 },
	};
	uint64_t v;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		v = 0;
		if (units_parse_addr(c[i].in, &v) != c[i].err ||
		    (!c[i].err && v != c[i].want))
			fail_msg("'%s': got %" PRIu64, c[i].in, v);
	}
}

static void test_nr_reports_erange_beyond_u64(void **state)
{
	static const char *const in[] = {
		"18446744073709551616", "18,446,744,073,709,551,616",
		"99999999999999999999999999999999999999999999999999",
	};

	(void)state;
	check_err(P_NR, 0, in, ARRAY_SIZE(in), -ERANGE);
}

static void test_i64_accepts_sign_and_commas(void **state)
{
	static const struct {
		const char *in;
		int64_t want;
	} c[] = {
		{ "-1", -1 }, { "4242", 4242 }, { "-4,242", -4242 },
		{ "0", 0 }, { "-0", 0 }, { " -5 ", -5 }, { "min", 0 },
		{ "9223372036854775807", INT64_MAX },
		{ "-9,223,372,036,854,775,808", INT64_MIN },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		int64_t out = 7;

		assert_int_equal(units_parse_i64(c[i].in, &out), 0);
		if (out != c[i].want)
			fail_msg("\"%s\": got %" PRId64, c[i].in, out);
	}
}

static void test_i64_reports_erange_outside_int64(void **state)
{
	static const char *const in[] = {
		"9223372036854775808", "-9223372036854775809",
		"-99999999999999999999999999999999999999999999", "max",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(in); i++) {
		int64_t out = 7;

		assert_int_equal(units_parse_i64(in[i], &out), -ERANGE);
		assert_int_equal(out, 7);
	}
}

static void test_i64_rejects_garbage(void **state)
{
	static const char *const in[] = {
		"", "-", "--1", "- 1", "1-", "1.5", "-1.0", "+1", "1 2",
		"pid", "1 KiB", "-.5",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(in); i++) {
		int64_t out = 7;

		if (units_parse_i64(in[i], &out) != -EINVAL || out != 7)
			fail_msg("\"%s\" was accepted", in[i]);
	}
}

static void test_size_accepts_binary_suffixes(void **state)
{
	static const struct u64_case c[] = {
		{ "3B", 3 }, { "3 B", 3 },
		{ "3K", 3 * KIB }, { "3KB", 3 * KIB }, { "3 KiB", 3 * KIB },
		{ "3M", 3 * MIB }, { "3MB", 3 * MIB }, { "3 MiB", 3 * MIB },
		{ "3G", 3 * GIB }, { "3GB", 3 * GIB }, { "3 GiB", 3 * GIB },
		{ "3T", 3 * TIB }, { "3TB", 3 * TIB }, { "3 TiB", 3 * TIB },
		{ "3P", 3 * PIB }, { "3PB", 3 * PIB }, { "3 PiB", 3 * PIB },
		{ "3E", 3 * EIB }, { "3EB", 3 * EIB }, { "3 EiB", 3 * EIB },
	};

	(void)state;
	check_ok(P_SIZE, 0, c, ARRAY_SIZE(c));
}

static void test_size_accepts_damo_examples(void **state)
{
	static const struct u64_case c[] = {
		{ "4096", 4096 }, { "4 KiB", 4096 }, { "4K", 4096 },
		{ "4KB", 4096 }, { "1.5GiB", 1610612736 },
		{ "128.000 MiB", 134217728 }, { "4,096 B", 4096 },
		{ "4,096", 4096 }, { " 4 KiB ", 4096 }, { "4\tKiB", 4096 },
		{ "4  KiB", 4096 }, { "min", 0 }, { "max", UINT64_MAX },
		{ "0", 0 }, { "0 B", 0 }, { "1,024 KiB", MIB },
	};

	(void)state;
	check_ok(P_SIZE, 0, c, ARRAY_SIZE(c));
}

static void test_size_truncates_fractions_toward_zero(void **state)
{
	static const struct u64_case c[] = {
		{ "0.5 B", 0 }, { "1.9", 1 }, { "1.0001 KiB", 1024 },
		{ "1.9999999999999999999999 KiB", 2047 },
		{ "0.5 KiB", 512 }, { ".25K", 256 },
		{ "15.9999 EiB", 18446628781559090931ULL },
		{ "0.000000000000000000001 EiB", 0 },
		{ "0.0000000000000000009 EiB", 1 },
	};

	(void)state;
	check_ok(P_SIZE, 0, c, ARRAY_SIZE(c));
}

/* Only "max" is UINT64_MAX: a larger size is refused, never capped. */
static void test_size_refuses_beyond_u64_max(void **state)
{
	static const struct u64_case c[] = {
		{ "18446744073709551615", UINT64_MAX },
		{ "18014398509481983.999 KiB", 18446744073709551614ULL },
		{ "15.999 EiB", 18445591152204944769ULL },
	};
	static const char *const in[] = {
		"16 EiB", "16E", "18446744073709551616",
		"18446744073709551617", "100000 EiB",
		"99999999999999999999999", "18014398509481984 KiB",
		"999999999999999999999999999999999999999999999 EiB",
	};

	(void)state;
	check_ok(P_SIZE, 0, c, ARRAY_SIZE(c));
	check_err(P_SIZE, 0, in, ARRAY_SIZE(in), -ERANGE);
}

static void test_size_rejects_garbage(void **state)
{
	static const char *const in[] = {
		"", " ", "B", "KiB", "4 KiBB", "4 kb", "4 kib", "4 KiB B",
		"-4 KiB", "4 K iB", "4 Ki", "4 iB", "1..5 K", "4 ZiB", "4 b",
		"4%", "4 KiB,", "max KiB", "4 KiB 4 KiB", "4.5.6 K",
	};

	(void)state;
	check_err(P_SIZE, 0, in, ARRAY_SIZE(in), -EINVAL);
}

static void test_time_accepts_each_unit(void **state)
{
	static const struct u64_case ns[] = {
		{ "7 ns", 7 }, { "7 us", 7000 }, { "7 ms", 7000000 },
		{ "7 s", 7000000000ULL }, { "7 m", 420000000000ULL },
		{ "7 h", 25200000000000ULL }, { "7 d", 604800000000000ULL },
	};
	static const struct u64_case us[] = {
		{ "5 ms", 5000 }, { "100ms", 100000 }, { "5 s", 5000000 },
		{ "1 m", 60000000 }, { "2 h", 7200000000ULL },
		{ "1 d", 86400000000ULL }, { "1 us", 1 }, { "999 ns", 0 },
		{ " 5 ms ", 5000 }, { "5\tms", 5000 }, { "1,000 ms", 1000000 },
	};

	(void)state;
	check_ok(P_TIME, UNITS_NS, ns, ARRAY_SIZE(ns));
	check_ok(P_TIME, UNITS_US, us, ARRAY_SIZE(us));
}

static void test_time_sums_several_pairs(void **state)
{
	static const struct u64_case us[] = {
		{ "1 m 30 s", 90000000 }, { "3 s 400 ms", 3400000 },
		{ "90 ms 61 us", 90061 }, { "1 h 30 m", 5400000000ULL },
		{ "1h 2m 3s", 3723000000ULL }, { "1m30s", 90000000 },
		{ "400 ms 3 s", 3400000 }, { "1 s 1 s 1 s", 3000000 },
	};
	static const struct u64_case ns[] = {
		{ "1 d 2 h 3 m 4 s 5 ms 6 us 7 ns", 93784005006007ULL },
	};

	(void)state;
	check_ok(P_TIME, UNITS_US, us, ARRAY_SIZE(us));
	check_ok(P_TIME, UNITS_NS, ns, ARRAY_SIZE(ns));
}

static void test_time_reads_bare_numbers_in_field_unit(void **state)
{
	static const struct u64_case us[] = {
		{ "5", 5 }, { "1,000", 1000 }, { "1.5", 1 }, { "0", 0 },
		{ "min", 0 }, { "max", UINT64_MAX },
		{ "18446744073709551615", UINT64_MAX },
	};
	static const struct u64_case ms[] = {
		{ "5", 5 }, { "max", UINT64_MAX },
	};

	(void)state;
	check_ok(P_TIME, UNITS_US, us, ARRAY_SIZE(us));
	check_ok(P_TIME, UNITS_MS, ms, ARRAY_SIZE(ms));
}

static void test_time_truncates_fractions_in_field_unit(void **state)
{
	static const struct u64_case us[] = {
		{ "1.5 s", 1500000 }, { "1.0005 ms", 1000 },
		{ "1.9999 us", 1 }, { "0.5 m", 30000000 },
		{ "1.5 s 0.5 ms", 1500500 },
		{ "0.9999999999999999999999999 s", 999999 },
	};
	static const struct u64_case ns[] = {
		{ "0.5 ns 0.5 ns", 1 }, { "0.0000000001 s", 0 },
		{ "0.33333333333333333333334 m", 20000000000ULL },
		{ "0.33333333333333333333333 m", 19999999999ULL },
		{ "1.5 ns", 1 },
	};
	static const struct u64_case s[] = {
		{ "1.5 m", 90 }, { "59.999 s", 59 }, { "1 m 59999 ms", 119 },
	};

	(void)state;
	check_ok(P_TIME, UNITS_US, us, ARRAY_SIZE(us));
	check_ok(P_TIME, UNITS_NS, ns, ARRAY_SIZE(ns));
	check_ok(P_TIME, UNITS_S, s, ARRAY_SIZE(s));
}

static void test_time_handles_values_near_u64_max(void **state)
{
	static const struct u64_case ns[] = {
		{ "213503 d", 18446659200000000000ULL },
		{ "18446744073709551615 ns", UINT64_MAX },
	};
	static const struct u64_case ms[] = {
		{ "20000000000000000000 ns", 20000000000000ULL },
		{ "18446744073709551615 ms", UINT64_MAX },
	};
	static const struct u64_case s[] = {
		{ "18446744073709551615 ms", 18446744073709551ULL },
	};

	(void)state;
	check_ok(P_TIME, UNITS_NS, ns, ARRAY_SIZE(ns));
	check_ok(P_TIME, UNITS_MS, ms, ARRAY_SIZE(ms));
	check_ok(P_TIME, UNITS_S, s, ARRAY_SIZE(s));
}

static void test_time_reports_erange_beyond_u64(void **state)
{
	static const char *const ns[] = {
		"213504 d", "18446744073709551616 ns", "18446744073709551616",
		"18446744073709551615 ns 1 ns", "1 d 99999999999999999999 d",
		"99999999999999999999999999999999999999999999999999 d",
	};
	static const char *const ms[] = {
		"18446744073709551615 s", "18446744073709551616",
	};

	(void)state;
	check_err(P_TIME, UNITS_NS, ns, ARRAY_SIZE(ns), -ERANGE);
	check_err(P_TIME, UNITS_MS, ms, ARRAY_SIZE(ms), -ERANGE);
}

static void test_time_rejects_garbage(void **state)
{
	static const char *const in[] = {
		"", " ", "30 sx", "ms", "1..5 s", "5 ms ms", "1 m 30",
		"30 1 m", "5 MS", "5 Ms", "-5 ms", "5 ms,", "max s", "5 sec",
		"5 min", "1 m, 30 s", "5 %", "s 5", "5.5.5 s", "1e3 ms",
		"5 ms -1 us",
	};

	(void)state;
	check_err(P_TIME, UNITS_US, in, ARRAY_SIZE(in), -EINVAL);
	check_err(P_TIME, 0, (const char *const[]){ "5 ms" }, 1, -EINVAL);
}

static void test_time_reports_einval_before_erange(void **state)
{
	static const char *const in[] = {
		"99999999999999999999999 d 5 x", "213504 d ms",
	};

	(void)state;
	check_err(P_TIME, UNITS_NS, in, ARRAY_SIZE(in), -EINVAL);
}

static void test_ratio_takes_bare_numbers_in_scale_units(void **state)
{
	static const struct u64_case permil[] = {
		{ "400", 400 }, { "1,000", 1000 }, { "2.5", 2 }, { "min", 0 },
		{ "max", UINT64_MAX }, { " 7 ", 7 },
	};
	static const struct u64_case bp[] = {
		{ "9970", 9970 }, { "10,000", 10000 },
	};

	(void)state;
	check_ok(P_RATIO, UNITS_PERMIL, permil, ARRAY_SIZE(permil));
	check_ok(P_RATIO, UNITS_BP, bp, ARRAY_SIZE(bp));
}

static void test_ratio_converts_percent_to_scale(void **state)
{
	static const struct u64_case percent[] = {
		{ "50%", 50 }, { "50 %", 50 }, { "99.9%", 99 },
		{ "1,000%", 1000 },
	};
	static const struct u64_case permil[] = {
		{ "0.3 %", 3 }, { "100%", 1000 }, { "0.05%", 0 },
		{ "12.34%", 123 },
	};
	static const struct u64_case bp[] = {
		{ "99.7%", 9970 }, { "50%", 5000 }, { "4 %", 400 },
		{ "0.05%", 5 }, { "0.005%", 0 }, { "0.3 %", 30 },
		{ "12.3456%", 1234 }, { ".5%", 50 },
	};

	(void)state;
	check_ok(P_RATIO, UNITS_PERCENT, percent, ARRAY_SIZE(percent));
	check_ok(P_RATIO, UNITS_PERMIL, permil, ARRAY_SIZE(permil));
	check_ok(P_RATIO, UNITS_BP, bp, ARRAY_SIZE(bp));
}

static void test_ratio_reports_erange_beyond_u64(void **state)
{
	static const char *const in[] = {
		"18446744073709551616", "1844674407370955162%",
		"99999999999999999999999999999999999999999999%",
	};

	(void)state;
	check_err(P_RATIO, UNITS_BP, in, ARRAY_SIZE(in), -ERANGE);
}

static void test_ratio_rejects_garbage(void **state)
{
	static const char *const in[] = {
		"", "%", "50%%", "-5%", "5 % %", "x%", "5 p", "% 5", "5 ms",
		"1..5%", "-5",
	};

	(void)state;
	check_err(P_RATIO, UNITS_BP, in, ARRAY_SIZE(in), -EINVAL);
	check_err(P_RATIO, 0, (const char *const[]){ "5" }, 1, -EINVAL);
}

static void test_bool_accepts_words_in_any_case(void **state)
{
	static const char *const yes[] = {
		"y", "Y", "yes", "YES", "Yes", "true", "TRUE", "tRuE", "1",
		" y ", "Y\n",
	};
	static const char *const no[] = {
		"n", "N", "no", "NO", "false", "False", "0", " N\n",
	};
	size_t i;
	bool b;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		b = false;
		assert_int_equal(units_parse_bool(yes[i], &b), 0);
		assert_true(b);
	}
	for (i = 0; i < ARRAY_SIZE(no); i++) {
		b = true;
		assert_int_equal(units_parse_bool(no[i], &b), 0);
		assert_false(b);
	}
}

static void test_bool_rejects_other_words(void **state)
{
	static const char *const in[] = {
		"", " ", "2", "yess", "ye", "t", "f", "on", "off", "max",
		"min", "01", "-1", "y y", "nope",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(in); i++) {
		bool b = true;

		if (units_parse_bool(in[i], &b) != -EINVAL || !b)
			fail_msg("\"%s\" was accepted", in[i]);
	}
}

/* ---- Formatting ---- */

static void test_fmt_nr_groups_digits_by_three(void **state)
{
	static const struct fmt_case c[] = {
		{ 0, "0" }, { 7, "7" }, { 999, "999" }, { 1000, "1,000" },
		{ 12345, "12,345" }, { 123456, "123,456" },
		{ 1234567, "1,234,567" },
		{ UINT64_MAX, "18,446,744,073,709,551,615" },
	};

	(void)state;
	check_fmt(fmt_nr, 0, c, ARRAY_SIZE(c));
}

static void test_fmt_i64_groups_digits_and_keeps_sign(void **state)
{
	char buf[UNITS_BUFSZ];

	(void)state;
	assert_string_equal(units_fmt_i64(buf, -664810000000LL, false),
			    "-664,810,000,000");
	assert_string_equal(units_fmt_i64(buf, 130001000, false),
			    "130,001,000");
	assert_string_equal(units_fmt_i64(buf, -1, false), "-1");
	assert_string_equal(units_fmt_i64(buf, 0, false), "0");
	assert_string_equal(units_fmt_i64(buf, INT64_MIN, false),
			    "-9,223,372,036,854,775,808");
	assert_string_equal(units_fmt_i64(buf, INT64_MAX, false),
			    "9,223,372,036,854,775,807");
}

static void test_fmt_sz_matches_damo_format_sz(void **state)
{
	static const struct fmt_case c[] = {
		{ 0, "0 B" }, { 1, "1 B" }, { 1023, "1023 B" },
		{ 1024, "1024 B" }, { 1025, "1.001 KiB" },
		{ 1536, "1.500 KiB" }, { 4096, "4.000 KiB" },
		{ MIB, "1024.000 KiB" }, { GIB, "1024.000 MiB" },
		{ 3 * TIB, "3.000 TiB" }, { PIB + PIB / 2, "1.500 PiB" },
		{ 1ULL << 63, "8.000 EiB" }, { UINT64_MAX - 1, "16.000 EiB" },
		{ UINT64_MAX, "max" },
	};

	(void)state;
	check_fmt(fmt_sz, 0, c, ARRAY_SIZE(c));
}

static void test_fmt_sz_rounds_ties_to_even_like_printf(void **state)
{
	/* 1088 / 1024 = 1.0625 exactly: printf("%.3f") gives 1.062. */
	static const struct fmt_case c[] = {
		{ 1088, "1.062 KiB" }, { 1096, "1.070 KiB" },
		{ 1089, "1.063 KiB" }, { 1088 * MIB, "1.062 GiB" },
	};

	(void)state;
	check_fmt(fmt_sz, 0, c, ARRAY_SIZE(c));
}

static void test_fmt_sz_exact_uses_largest_exact_unit(void **state)
{
	static const struct fmt_case c[] = {
		{ 0, "0 B" }, { 1, "1 B" }, { 512, "512 B" },
		{ 1023, "1,023 B" }, { 1024, "1 KiB" }, { 4096, "4 KiB" },
		{ 1536, "1.500 KiB" }, { 1000000, "1,000,000 B" },
		{ GIB, "1 GiB" }, { GIB + GIB / 2, "1.500 GiB" },
		{ GIB + MIB, "1,025 MiB" }, { 1ULL << 63, "8 EiB" },
		{ 5 * EIB, "5 EiB" }, { 1025 * KIB, "1,025 KiB" },
		{ UINT64_MAX - 1, "18,446,744,073,709,551,614 B" },
		{ UINT64_MAX, "max" },
	};

	(void)state;
	check_fmt(fmt_sz_exact, 0, c, ARRAY_SIZE(c));
}

static void test_fmt_time_matches_damo_format_time_ns(void **state)
{
	static const struct fmt_case us[] = {
		{ 104599, "104.599 ms" }, { 539809000, "8 m 59.809 s" },
		{ 82820852000ULL, "23 h 20.852 s" },
		{ 6648200000ULL, "1 h 50 m 48.200 s" },
		{ 596607000, "9 m 56.607 s" }, { 56797000, "56.797 s" },
		{ 5680000, "5.680 s" }, { 5000, "5 ms" }, { 60000000, "1 m" },
		{ 90000000, "1 m 30 s" }, { 3600000000ULL, "1 h" },
		{ 1500, "1.500 ms" }, { 999, "999 us" }, { 90061, "90.061 ms" },
		{ 0, "0 ns" }, { 7200000001ULL, "2 h 1 us" },
		{ 360000000000ULL, "100 h" },
	};
	static const struct fmt_case ns[] = {
		{ 999, "999 ns" }, { 1, "1 ns" }, { 1500, "1.500 us" },
	};

	(void)state;
	check_fmt(units_fmt_time, UNITS_US, us, ARRAY_SIZE(us));
	check_fmt(units_fmt_time, UNITS_NS, ns, ARRAY_SIZE(ns));
}

static void test_fmt_time_rounds_like_damo_doubles(void **state)
{
	/*
	 * damo prints "%.3f" of a double quotient: 1.0055 s is stored just
	 * above 1.0055 (so 1.006) and 1.0625 s exactly (a tie, so 1.062).
	 */
	static const struct fmt_case us[] = {
		{ 1005500, "1.006 s" }, { 1062500, "1.062 s" },
		{ 1001500, "1.002 s" }, { 1000999, "1.001 s" },
		{ 60000499, "1 m 0.000 s" }, { 60000500, "1 m 0.001 s" },
	};

	(void)state;
	check_fmt(units_fmt_time, UNITS_US, us, ARRAY_SIZE(us));
}

static void test_fmt_time_prints_max_for_overflow(void **state)
{
	static const struct fmt_case us[] = {
		{ UINT64_MAX, "max" }, { UINT64_MAX / 1000 + 1, "max" },
	};
	static const struct fmt_case ns[] = {
		{ UINT64_MAX, "max" },
		{ UINT64_MAX - 1, "5124095 h 34 m 33.710 s" },
	};

	(void)state;
	check_fmt(units_fmt_time, UNITS_US, us, ARRAY_SIZE(us));
	check_fmt(units_fmt_time, UNITS_NS, ns, ARRAY_SIZE(ns));
}

static void test_fmt_time_exact_chains_integral_units(void **state)
{
	static const struct fmt_case us[] = {
		{ 5000, "5 ms" }, { 60000000, "1 m" }, { 90000000, "1 m 30 s" },
		{ 3400000, "3 s 400 ms" }, { 5400000000ULL, "1 h 30 m" },
		{ 90061, "90 ms 61 us" }, { 0, "0 us" }, { 1, "1 us" },
		{ 86400000000ULL + 1, "1 d 1 us" },
		{ 86400000000000ULL, "1,000 d" }, { UINT64_MAX, "max" },
	};
	static const struct fmt_case ms[] = {
		{ 0, "0 ms" }, { 3400, "3 s 400 ms" },
	};
	static const struct fmt_case ns[] = {
		{ 0, "0 ns" }, { 93784005006007ULL,
				 "1 d 2 h 3 m 4 s 5 ms 6 us 7 ns" },
		{ UINT64_MAX - 1,
		  "213,503 d 23 h 34 m 33 s 709 ms 551 us 614 ns" },
	};

	(void)state;
	check_fmt(units_fmt_time_exact, UNITS_US, us, ARRAY_SIZE(us));
	check_fmt(units_fmt_time_exact, UNITS_MS, ms, ARRAY_SIZE(ms));
	check_fmt(units_fmt_time_exact, UNITS_NS, ns, ARRAY_SIZE(ns));
	check_fmt(units_fmt_time_exact, UNITS_S,
		  (const struct fmt_case[]){ { 0, "0 s" } }, 1);
}

static void test_fmt_ratio_matches_damo_format_ratio(void **state)
{
	static const struct fmt_case bp[] = {
		{ 400, "4 %" }, { 9970, "99.7 %" }, { 5, "0.05 %" },
		{ 0, "0 %" }, { 10000, "100 %" }, { 12345, "123.45 %" },
		{ 100000000, "1,000,000 %" }, { UINT64_MAX, "max" },
	};
	static const struct fmt_case permil[] = {
		{ 3, "0.3 %" }, { 1000, "100 %" }, { 1, "0.1 %" },
	};
	/* damo prints 28 % for 29 percent (0.29 * 100 in doubles). */
	static const struct fmt_case percent[] = {
		{ 29, "29 %" }, { 50, "50 %" }, { 100000, "100,000 %" },
	};

	(void)state;
	check_fmt(units_fmt_ratio, UNITS_BP, bp, ARRAY_SIZE(bp));
	check_fmt(units_fmt_ratio, UNITS_PERMIL, permil, ARRAY_SIZE(permil));
	check_fmt(units_fmt_ratio, UNITS_PERCENT, percent,
		  ARRAY_SIZE(percent));
}

static void test_raw_mode_prints_plain_value_in_own_unit(void **state)
{
	char buf[UNITS_BUFSZ];

	(void)state;
	assert_string_equal(units_fmt_nr(buf, 1234567, true), "1234567");
	assert_string_equal(units_fmt_i64(buf, -1234567, true), "-1234567");
	assert_string_equal(units_fmt_sz(buf, 4096, true), "4096");
	assert_string_equal(units_fmt_sz(buf, UINT64_MAX, true),
			    "18446744073709551615");
	assert_string_equal(units_fmt_sz_exact(buf, GIB, true), "1073741824");
	assert_string_equal(units_fmt_time(buf, 5000, UNITS_US, true),
			    "5000");
	assert_string_equal(units_fmt_time_exact(buf, 100, UNITS_MS, true),
			    "100");
	assert_string_equal(units_fmt_time_exact(buf, UINT64_MAX, UNITS_US,
						 true),
			    "18446744073709551615");
	assert_string_equal(units_fmt_ratio(buf, 9970, UNITS_BP, true),
			    "9970");
}

/* ---- Round trips ---- */

/* A fixed spread of interesting values, then pseudo-random ones. */
static uint64_t sample(size_t i)
{
	static const uint64_t fixed[] = {
		0, 1, 2, 3, 999, 1000, 1001, 1023, 1024, 1025, 1536, 4096,
		65535, 1000000, GIB, GIB + GIB / 2, GIB + MIB,
		86400000000ULL, (1ULL << 62) + 1, 1ULL << 63,
		(1ULL << 63) + 512, UINT64_MAX / 1000, UINT64_MAX / 1000 + 1,
		UINT64_MAX - 1024, UINT64_MAX - 2, UINT64_MAX - 1,
		UINT64_MAX,
	};
	uint64_t x = 0x9e3779b97f4a7c15ULL * (i + 1);

	if (i < ARRAY_SIZE(fixed))
		return fixed[i];
	/* splitmix64, then keep a varying number of low bits */
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x >> (i % 64);
}

#define NR_SAMPLES 20000

static void test_sz_exact_round_trips_through_parse_size(void **state)
{
	char buf[UNITS_BUFSZ];
	size_t i;

	(void)state;
	for (i = 0; i < NR_SAMPLES; i++) {
		uint64_t v = sample(i), out = SENTINEL;

		units_fmt_sz_exact(buf, v, false);
		assert_true(strlen(buf) < UNITS_BUFSZ);
		if (units_parse_size(buf, &out) || out != v)
			fail_msg("%" PRIu64 " -> \"%s\" -> %" PRIu64, v, buf,
				 out);
		units_fmt_sz_exact(buf, v, true);
		assert_int_equal(units_parse_size(buf, &out), 0);
		assert_true(out == v);
	}
}

static void test_time_exact_round_trips_via_parse_time(void **state)
{
	static const uint64_t unit[] = {
		UNITS_NS, UNITS_US, UNITS_MS, UNITS_S, 7, 60 * UNITS_S,
	};
	char buf[UNITS_BUFSZ];
	size_t i, u;

	(void)state;
	for (u = 0; u < ARRAY_SIZE(unit); u++) {
		for (i = 0; i < NR_SAMPLES; i++) {
			uint64_t v = sample(i), out = SENTINEL;

			units_fmt_time_exact(buf, v, unit[u], false);
			assert_true(strlen(buf) < UNITS_BUFSZ);
			if (units_parse_time(buf, unit[u], &out) || out != v)
				fail_msg("%" PRIu64 " x %" PRIu64
					 " -> \"%s\" -> %" PRIu64,
					 v, unit[u], buf, out);
			units_fmt_time_exact(buf, v, unit[u], true);
			assert_int_equal(units_parse_time(buf, unit[u], &out),
					 0);
			assert_true(out == v);
		}
	}
}

static void test_ratio_round_trips_through_parse_ratio(void **state)
{
	static const uint64_t scale[] = {
		UNITS_PERCENT, UNITS_PERMIL, UNITS_BP, 1, 3, 7, 1024,
		1000000000000ULL, UINT64_MAX - 1,
	};
	char buf[UNITS_BUFSZ];
	size_t i, s;

	(void)state;
	for (s = 0; s < ARRAY_SIZE(scale); s++) {
		for (i = 0; i < NR_SAMPLES; i++) {
			uint64_t v = sample(i), out = SENTINEL;

			units_fmt_ratio(buf, v, scale[s], false);
			assert_true(strlen(buf) < UNITS_BUFSZ);
			if (units_parse_ratio(buf, scale[s], &out) || out != v)
				fail_msg("%" PRIu64 " / %" PRIu64
					 " -> \"%s\" -> %" PRIu64,
					 v, scale[s], buf, out);
		}
	}
}

static void test_nr_and_i64_round_trip(void **state)
{
	char buf[UNITS_BUFSZ];
	size_t i;

	(void)state;
	for (i = 0; i < NR_SAMPLES; i++) {
		uint64_t v = sample(i), out = SENTINEL;
		int64_t sv = (int64_t)v, sout = 0;

		units_fmt_nr(buf, v, false);
		assert_int_equal(units_parse_nr(buf, &out), 0);
		assert_true(out == v);
		units_fmt_i64(buf, sv, false);
		assert_int_equal(units_parse_i64(buf, &sout), 0);
		assert_true(sout == sv);
	}
}

static void test_lossy_formats_fit_the_buffer(void **state)
{
	char buf[UNITS_BUFSZ];
	size_t i;

	(void)state;
	for (i = 0; i < NR_SAMPLES; i++) {
		uint64_t v = sample(i);

		assert_true(strlen(units_fmt_sz(buf, v, false)) < UNITS_BUFSZ);
		assert_true(strlen(units_fmt_time(buf, v, UNITS_NS, false)) <
			    UNITS_BUFSZ);
		assert_true(strlen(units_fmt_time(buf, v, UNITS_US, false)) <
			    UNITS_BUFSZ);
		assert_true(strlen(units_fmt_i64(buf, -(int64_t)(v >> 1) - 1,
						 false)) < UNITS_BUFSZ);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nr_accepts_commas_blanks_and_min_max),
		cmocka_unit_test(test_nr_refuses_fractions),
		cmocka_unit_test(test_nr_rejects_garbage_and_negatives),
		cmocka_unit_test(test_addr_takes_hex),
		cmocka_unit_test(test_nr_reports_erange_beyond_u64),
		cmocka_unit_test(test_i64_accepts_sign_and_commas),
		cmocka_unit_test(test_i64_reports_erange_outside_int64),
		cmocka_unit_test(test_i64_rejects_garbage),
		cmocka_unit_test(test_size_accepts_binary_suffixes),
		cmocka_unit_test(test_size_accepts_damo_examples),
		cmocka_unit_test(test_size_truncates_fractions_toward_zero),
		cmocka_unit_test(test_size_refuses_beyond_u64_max),
		cmocka_unit_test(test_size_rejects_garbage),
		cmocka_unit_test(test_time_accepts_each_unit),
		cmocka_unit_test(test_time_sums_several_pairs),
		cmocka_unit_test(test_time_reads_bare_numbers_in_field_unit),
		cmocka_unit_test(test_time_truncates_fractions_in_field_unit),
		cmocka_unit_test(test_time_handles_values_near_u64_max),
		cmocka_unit_test(test_time_reports_erange_beyond_u64),
		cmocka_unit_test(test_time_rejects_garbage),
		cmocka_unit_test(test_time_reports_einval_before_erange),
		cmocka_unit_test(test_ratio_takes_bare_numbers_in_scale_units),
		cmocka_unit_test(test_ratio_converts_percent_to_scale),
		cmocka_unit_test(test_ratio_reports_erange_beyond_u64),
		cmocka_unit_test(test_ratio_rejects_garbage),
		cmocka_unit_test(test_bool_accepts_words_in_any_case),
		cmocka_unit_test(test_bool_rejects_other_words),
		cmocka_unit_test(test_fmt_nr_groups_digits_by_three),
		cmocka_unit_test(test_fmt_i64_groups_digits_and_keeps_sign),
		cmocka_unit_test(test_fmt_sz_matches_damo_format_sz),
		cmocka_unit_test(test_fmt_sz_rounds_ties_to_even_like_printf),
		cmocka_unit_test(test_fmt_sz_exact_uses_largest_exact_unit),
		cmocka_unit_test(test_fmt_time_matches_damo_format_time_ns),
		cmocka_unit_test(test_fmt_time_rounds_like_damo_doubles),
		cmocka_unit_test(test_fmt_time_prints_max_for_overflow),
		cmocka_unit_test(test_fmt_time_exact_chains_integral_units),
		cmocka_unit_test(test_fmt_ratio_matches_damo_format_ratio),
		cmocka_unit_test(test_raw_mode_prints_plain_value_in_own_unit),
		cmocka_unit_test(test_sz_exact_round_trips_through_parse_size),
		cmocka_unit_test(test_time_exact_round_trips_via_parse_time),
		cmocka_unit_test(test_ratio_round_trips_through_parse_ratio),
		cmocka_unit_test(test_nr_and_i64_round_trip),
		cmocka_unit_test(test_lossy_formats_fit_the_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
