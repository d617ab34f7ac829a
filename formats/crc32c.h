/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CRC32C (Castagnoli, reflected polynomial 0x82f63b78), as iSCSI (RFC 3720
 * appendix B.4) and the native record format (docs/record-format.md) use
 * it: initial value and final xor 0xffffffff.
 */
#ifndef DAMO_FORMATS_CRC32C_H
#define DAMO_FORMATS_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/*
 * crc32c() - continue the CRC32C @crc (0 to start) over @len bytes at @p.
 * crc32c(crc32c(0, a, n), b, m) is the CRC of a followed by b.
 * Return: the CRC of everything so far.
 */
uint32_t crc32c(uint32_t crc, const void *p, size_t len);

/* The same without the CPU's crc32 instruction (slicing-by-8): for tests. */
uint32_t crc32c_portable(uint32_t crc, const void *p, size_t len);

#endif /* DAMO_FORMATS_CRC32C_H */
