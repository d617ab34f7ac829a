/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The monitor's clock: a virtual one that moves only when the loop sleeps
 * (tests, simulations) and a real one (CLOCK_MONOTONIC).
 */
#ifndef DAMO_CORE_MON_CLOCK_H
#define DAMO_CORE_MON_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct mon_clock;

struct mon_clock_ops {
	/* Current time in nanoseconds (monotonic, arbitrary origin). */
	uint64_t (*now_ns)(struct mon_clock *clk);
	/* Block until now_ns() >= @ns; a virtual clock jumps there. */
	void (*sleep_until)(struct mon_clock *clk, uint64_t ns);
};

/*
 * Embed as the first member to implement another clock (one that also
 * wakes up for socket events, say).  @virt_ns is the virtual clock's time.
 */
struct mon_clock {
	const struct mon_clock_ops *ops;
	uint64_t virt_ns;
};

/* mon_clock_init_virtual() - a clock that starts at @start_ns. */
void mon_clock_init_virtual(struct mon_clock *clk, uint64_t start_ns);
/* mon_clock_init_real() - CLOCK_MONOTONIC with clock_nanosleep(). */
void mon_clock_init_real(struct mon_clock *clk);
bool mon_clock_is_virtual(const struct mon_clock *clk);

static inline uint64_t mon_clock_now_ns(struct mon_clock *clk)
{
	return clk->ops->now_ns(clk);
}

static inline void mon_clock_sleep_until(struct mon_clock *clk, uint64_t ns)
{
	clk->ops->sleep_until(clk, ns);
}

/*
 * mon_clock_sleep_ns() - sleep @ns from now (the kernel's usleep).  On a
 * virtual clock this is also how a fake action "takes time".
 */
void mon_clock_sleep_ns(struct mon_clock *clk, uint64_t ns);

#endif /* DAMO_CORE_MON_CLOCK_H */
