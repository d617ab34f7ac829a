/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parse and format sizes, times, counts and ratios the way damo does
 * (docs/damo-compat.md §2.1 and §4.0), with integer arithmetic only: no value
 * passes through a double.
 */
#ifndef DAMO_CORE_UNITS_H
#define DAMO_CORE_UNITS_H

#include <stdbool.h>
#include <stdint.h>

/* Big enough for any formatted value below. */
#define UNITS_BUFSZ 80

/* Time units, in nanoseconds, for the @unit_ns arguments below. */
#define UNITS_NS 1ULL
#define UNITS_US 1000ULL
#define UNITS_MS 1000000ULL
#define UNITS_S 1000000000ULL

/* Ratio scales, for the @scale arguments below. */
#define UNITS_PERCENT 100ULL
#define UNITS_PERMIL 1000ULL
#define UNITS_BP 10000ULL

/*
 * All parsers take a NUL-terminated string, accept leading and trailing
 * blanks, "min" (0) and "max" (UINT64_MAX), and commas as thousands
 * separators ("4,096").  A decimal fraction is allowed in sizes, times and
 * ratios, where the result is truncated toward zero to the unit like
 * damo's int() ("1.5 B" is 1 byte).
 *
 * Nothing is clamped: a value above UINT64_MAX is an error, never "max"
 * (only the word "max" is).
 *
 * Return: 0 and *@out set; -EINVAL when @s is not of that kind (nothing
 * written to *@out); -ERANGE when it is but does not fit in 64 bits;
 * -EDOM (counts only) when it has a fraction.
 */

/*
 * A count: "1,000", "42", "max".  "5." and "5.000" are 5; "5000.5" is not
 * a count (-EDOM), never 5000.
 */
int units_parse_nr(const char *s, uint64_t *out);

/* A signed integer such as a pid or a NUMA node id: "-1", "4242". */
int units_parse_i64(const char *s, int64_t *out);

/*
 * A size in bytes: "4096", "4 KiB", "4K", "4KB", "1.5GiB", "128.000 MiB",
 * "4,096 B".  Units B K M G T P E (with optional B or iB) are all binary.
 * A result above UINT64_MAX ("16 EiB", "100000 EiB") is -ERANGE, where
 * damo caps it to "max": a size that large is a mistake, not a request
 * for no limit.
 */
int units_parse_size(const char *s, uint64_t *out);

/*
 * An address: "0x" and hex digits ("0x7f0000000000"), or a size as above.
 * damo's YAML reader (YAML 1.1) takes hex integers; the command line's
 * --regions takes them here too.
 */
int units_parse_addr(const char *s, uint64_t *out);

/*
 * A time, returned in @unit_ns units (UNITS_US for *_us fields): "5 ms",
 * "100ms", "1 m 30 s", "3 s 400 ms", "1.5 s", "max".  A bare number is
 * taken in @unit_ns.  Units: ns us ms s m (minute) h d.
 */
int units_parse_time(const char *s, uint64_t unit_ns, uint64_t *out);

/*
 * A ratio in 1/@scale units: bare numbers are in @scale units ("400" permil),
 * "x%" is x percent ("50%", "0.3 %", "99.7%").
 */
int units_parse_ratio(const char *s, uint64_t scale, uint64_t *out);

/*
 * y yes true n no false (case-insensitive, so also Y/N as sysfs prints),
 * and 1/0 as sysfs boolean files hold.  "min"/"max" are not booleans.
 */
int units_parse_bool(const char *s, bool *out);

/*
 * Formatting.  Each writes into @buf (UNITS_BUFSZ bytes) and returns it.
 * With @raw set every one prints the plain decimal value in its own unit.
 */

/* damo's format_nr: "1,000", "-664,810,000,000". */
const char *units_fmt_nr(char *buf, uint64_t v, bool raw);
const char *units_fmt_i64(char *buf, int64_t v, bool raw);

/*
 * damo's format_sz (lossy, for reports): "max", "4.000 KiB", "1024 B",
 * "1024.000 MiB" for 1 GiB (the unit test is strictly greater).
 */
const char *units_fmt_sz(char *buf, uint64_t bytes, bool raw);

/*
 * A size that reads back to the same number (for configuration files):
 * "max", "4 KiB", "1.500 GiB", "1,000,000 B".
 */
const char *units_fmt_sz_exact(char *buf, uint64_t bytes, bool raw);

/*
 * damo's format_time_ns (lossy, for reports) of @value @unit_ns units:
 * "104.599 ms", "8 m 59.809 s", "1 h 50 m 48.200 s", "max".
 */
const char *units_fmt_time(char *buf, uint64_t value, uint64_t unit_ns,
			   bool raw);

/*
 * A time that reads back to the same number, largest units first with zero
 * parts left out: "5 ms", "1 m 30 s", "90 ms 61 us", "max" (for UINT64_MAX
 * only).  Raw mode prints @value in its own unit (not in ns as damo's --raw
 * does; docs/damo-compat.md §2.3 calls that a bug).
 */
const char *units_fmt_time_exact(char *buf, uint64_t value, uint64_t unit_ns,
				 bool raw);

/*
 * A ratio of @value / @scale as damo's format_ratio: "4 %", "0.3 %",
 * "99.7 %"; "max" for UINT64_MAX.
 */
const char *units_fmt_ratio(char *buf, uint64_t value, uint64_t scale,
			    bool raw);

#endif /* DAMO_CORE_UNITS_H */
