/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A seedable PRNG (xoshiro256** seeded through splitmix64) so that every
 * run of the embedded monitor is reproducible for a seed.
 */
#ifndef DAMO_CORE_MON_RAND_H
#define DAMO_CORE_MON_RAND_H

#include <stdint.h>

struct mon_rand {
	uint64_t s[4];
};

void mon_rand_init(struct mon_rand *rnd, uint64_t seed);
/* Next 64 uniformly distributed bits. */
uint64_t mon_rand_next(struct mon_rand *rnd);
/*
 * mon_rand_range() - l + a uniform integer in [0, r - l), the kernel's
 * damon_rand() at full 64-bit width (docs/kernel-damon.md §4.1).  Returns @l
 * when r <= l.
 */
uint64_t mon_rand_range(struct mon_rand *rnd, uint64_t l, uint64_t r);

#endif /* DAMO_CORE_MON_RAND_H */
