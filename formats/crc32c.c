/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CRC32C: the SSE4.2 crc32 instruction where the CPU has it, else
 * slicing-by-8 over tables built once from the polynomial.
 */
#include "formats/crc32c.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define CRC32C_POLY 0x82f63b78u

static uint32_t tab[8][256];
static pthread_once_t tab_once = PTHREAD_ONCE_INIT;
static uint32_t (*crc_fn)(uint32_t crc, const unsigned char *b, size_t len);

static void tab_init(void)
{
	uint32_t c;
	unsigned int i, k;

	for (i = 0; i < 256; i++) {
		c = i;
		for (k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ CRC32C_POLY : c >> 1;
		tab[0][i] = c;
	}
	for (i = 0; i < 256; i++)
		for (k = 1; k < 8; k++)
			tab[k][i] = (tab[k - 1][i] >> 8) ^
				    tab[0][tab[k - 1][i] & 0xff];
}

static uint32_t crc_sw(uint32_t crc, const unsigned char *b, size_t len)
{
	uint32_t lo, hi;

	while (len && ((uintptr_t)b & 7)) {
		crc = (crc >> 8) ^ tab[0][(crc ^ *b++) & 0xff];
		len--;
	}
	while (len >= 8) {
		/* Little-endian words, whatever the host's byte order. */
		lo = (uint32_t)b[0] | (uint32_t)b[1] << 8 |
		     (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
		hi = (uint32_t)b[4] | (uint32_t)b[5] << 8 |
		     (uint32_t)b[6] << 16 | (uint32_t)b[7] << 24;
		lo ^= crc;
		crc = tab[7][lo & 0xff] ^ tab[6][(lo >> 8) & 0xff] ^
		      tab[5][(lo >> 16) & 0xff] ^ tab[4][lo >> 24] ^
		      tab[3][hi & 0xff] ^ tab[2][(hi >> 8) & 0xff] ^
		      tab[1][(hi >> 16) & 0xff] ^ tab[0][hi >> 24];
		b += 8;
		len -= 8;
	}
	while (len--)
		crc = (crc >> 8) ^ tab[0][(crc ^ *b++) & 0xff];
	return crc;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <nmmintrin.h>

__attribute__((target("sse4.2")))
static uint32_t crc_hw(uint32_t crc, const unsigned char *b, size_t len)
{
	uint64_t c = crc, w;

	while (len && ((uintptr_t)b & 7)) {
		crc = _mm_crc32_u8((uint32_t)c, *b++);
		c = crc;
		len--;
	}
	while (len >= 8) {
		memcpy(&w, b, 8);
		c = _mm_crc32_u64(c, w);
		b += 8;
		len -= 8;
	}
	crc = (uint32_t)c;
	while (len--)
		crc = _mm_crc32_u8(crc, *b++);
	return crc;
}

static bool has_hw(void)
{
	__builtin_cpu_init();
	return __builtin_cpu_supports("sse4.2");
}
#else
#define crc_hw crc_sw
static bool has_hw(void)
{
	return false;
}
#endif

static void crc_init(void)
{
	tab_init();
	crc_fn = has_hw() ? crc_hw : crc_sw;
}

uint32_t crc32c(uint32_t crc, const void *p, size_t len)
{
	pthread_once(&tab_once, crc_init);
	return ~crc_fn(~crc, p, len);
}

uint32_t crc32c_portable(uint32_t crc, const void *p, size_t len)
{
	pthread_once(&tab_once, crc_init);
	return ~crc_sw(~crc, p, len);
}
