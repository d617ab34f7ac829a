/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Number formatting of the project's own for output paths that print
 * many numbers, where printf() would dominate: the same text as printf's
 * "%llu" and as Python's repr() of a float, without the formatter's
 * multi-precision work for the common values.
 */
#ifndef DAMO_CORE_NUMFMT_H
#define DAMO_CORE_NUMFMT_H

#include <stddef.h>
#include <stdint.h>

/* Room for any numfmt result, NUL included. */
#define NUMFMT_MAX 40

/*
 * numfmt_u64() - @v in decimal, as printf("%llu"), into @buf (at least 21
 * bytes).  Return: the length, without the NUL that follows it.
 */
size_t numfmt_u64(char *buf, uint64_t v);

/*
 * numfmt_repr() - @v as Python's repr() prints a float: the shortest
 * digits that read back as @v, "0.0001" to "999999999999999.9" in fixed
 * notation with at least one fraction digit ("20.0"), others as "1e-05"
 * or "1.5e+16"; "NaN", "inf", "-inf", "-0.0".  Integers and values with up
 * to 17 fraction digits that fit in 53 bits of mantissa are written
 * directly; others search the shortest precision with snprintf("%.*e").
 * @buf: at least NUMFMT_MAX bytes
 * Return: @buf.
 */
const char *numfmt_repr(char *buf, double v);

#endif /* DAMO_CORE_NUMFMT_H */
