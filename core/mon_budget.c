/* SPDX-License-Identifier: GPL-2.0 */
/* Sampling paced by a CPU budget (core/mon_budget.h). */
#include "core/mon_budget.h"

uint64_t mon_budget_sample_us(uint64_t cost_ns, uint64_t nr_regions,
			      unsigned int budget_bp)
{
	/* ns per sample * 10000 / budget_bp = ns of interval; / 1000 = us */
	unsigned __int128 ns = (unsigned __int128)cost_ns * nr_regions * 10000;
	unsigned __int128 us = (ns / budget_bp + 999) / 1000;

	if (us < MON_BUDGET_MIN_SAMPLE_US)
		return MON_BUDGET_MIN_SAMPLE_US;
	if (us > MON_BUDGET_MAX_SAMPLE_US)
		return MON_BUDGET_MAX_SAMPLE_US;
	return (uint64_t)us;
}

uint64_t mon_budget_cost_ns(uint64_t cpu_ns, uint64_t nr_samples,
			    uint64_t nr_regions)
{
	unsigned __int128 n = (unsigned __int128)nr_samples * nr_regions;

	return n ? (uint64_t)(cpu_ns / n) : 0;
}

bool mon_budget_should_change(uint64_t cur_us, uint64_t want_us)
{
	uint64_t d = cur_us > want_us ? cur_us - want_us : want_us - cur_us;

	return (unsigned __int128)d * 100 >
	       (unsigned __int128)cur_us * MON_BUDGET_HYSTERESIS_PCT;
}
