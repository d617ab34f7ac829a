/* SPDX-License-Identifier: GPL-2.0 */
/* Virtual and real clocks for the embedded monitor. */
#include "core/mon_clock.h"

#include <errno.h>
#include <time.h>

static uint64_t virt_now(struct mon_clock *clk)
{
	return clk->virt_ns;
}

static void virt_sleep_until(struct mon_clock *clk, uint64_t ns)
{
	if (ns > clk->virt_ns)
		clk->virt_ns = ns;
}

static const struct mon_clock_ops virt_ops = {
	.now_ns = virt_now,
	.sleep_until = virt_sleep_until,
};

static uint64_t real_now(struct mon_clock *clk)
{
	struct timespec ts;

	(void)clk;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void real_sleep_until(struct mon_clock *clk, uint64_t ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(ns / 1000000000ULL),
		.tv_nsec = (long)(ns % 1000000000ULL),
	};

	(void)clk;
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

static const struct mon_clock_ops real_ops = {
	.now_ns = real_now,
	.sleep_until = real_sleep_until,
};

void mon_clock_init_virtual(struct mon_clock *clk, uint64_t start_ns)
{
	clk->ops = &virt_ops;
	clk->virt_ns = start_ns;
}

void mon_clock_init_real(struct mon_clock *clk)
{
	clk->ops = &real_ops;
	clk->virt_ns = 0;
}

bool mon_clock_is_virtual(const struct mon_clock *clk)
{
	return clk->ops == &virt_ops;
}

void mon_clock_sleep_ns(struct mon_clock *clk, uint64_t ns)
{
	uint64_t now = mon_clock_now_ns(clk);
	uint64_t until = now + ns < now ? UINT64_MAX : now + ns;

	mon_clock_sleep_until(clk, until);
}
