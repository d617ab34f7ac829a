/* SPDX-License-Identifier: GPL-2.0 */
/* xoshiro256** (Blackman and Vigna) with splitmix64 seeding. */
#include "core/mon_rand.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void mon_rand_init(struct mon_rand *rnd, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		rnd->s[i] = splitmix64(&seed);
}

uint64_t mon_rand_next(struct mon_rand *rnd)
{
	uint64_t *s = rnd->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint64_t mon_rand_range(struct mon_rand *rnd, uint64_t l, uint64_t r)
{
	uint64_t span, limit, x;

	if (r <= l)
		return l;
	span = r - l;
	/* reject the top partial bucket so every value is equally likely */
	limit = UINT64_MAX - UINT64_MAX % span;
	do {
		x = mon_rand_next(rnd);
	} while (x >= limit);
	return l + x % span;
}
