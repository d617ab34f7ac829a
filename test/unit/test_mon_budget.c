/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests of the CPU-budget pacing (core/mon_budget.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/mon_budget.h"

/* 4 us per region-sample, 1 % of a core: 400 us of interval per region. */
static void test_the_interval_grows_with_the_regions(void **state)
{
	(void)state;
	/* 10 regions: 4 ms, below DAMON's 5 ms: the kernel's default */
	assert_int_equal(mon_budget_sample_us(4000, 10, 100), 5000);
	/* 20 regions: 8 ms */
	assert_int_equal(mon_budget_sample_us(4000, 20, 100), 8000);
	/* 1,000 regions: 400 ms */
	assert_int_equal(mon_budget_sample_us(4000, 1000, 100), 400000);
	/* a 2 % budget halves it */
	assert_int_equal(mon_budget_sample_us(4000, 1000, 200), 200000);
	/* and never past 10 s */
	assert_int_equal(mon_budget_sample_us(4000, 1000000, 100), 10000000);
	/* rounded up to a whole microsecond */
	assert_int_equal(mon_budget_sample_us(1, 60001, 100), 6001);
}

static void test_huge_figures_do_not_wrap(void **state)
{
	(void)state;
	assert_int_equal(mon_budget_sample_us(UINT64_MAX, UINT64_MAX, 1),
			 MON_BUDGET_MAX_SAMPLE_US);
	assert_int_equal(mon_budget_cost_ns(UINT64_MAX, UINT64_MAX, 2), 0);
}

static void test_the_cost_per_region_sample(void **state)
{
	(void)state;
	/* 20 samples of 50 regions in 4 ms of CPU: 4 us each */
	assert_int_equal(mon_budget_cost_ns(4000000, 20, 50), 4000);
	assert_int_equal(mon_budget_cost_ns(4000000, 0, 50), 0);
	assert_int_equal(mon_budget_cost_ns(4000000, 20, 0), 0);
}

static void test_small_changes_are_left_alone(void **state)
{
	(void)state;
	assert_false(mon_budget_should_change(8000, 8000));
	assert_false(mon_budget_should_change(8000, 10000));	/* +25 % */
	assert_true(mon_budget_should_change(8000, 10001));
	assert_false(mon_budget_should_change(8000, 6000));	/* -25 % */
	assert_true(mon_budget_should_change(8000, 5999));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_interval_grows_with_the_regions),
		cmocka_unit_test(test_huge_figures_do_not_wrap),
		cmocka_unit_test(test_the_cost_per_region_sample),
		cmocka_unit_test(test_small_changes_are_left_alone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
