/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests of the tried-regions model (core/report/tried.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/report/tried.h"

static void add(struct snapshot *s, uint64_t start, uint64_t end,
		uint64_t samples, uint64_t age, uint64_t passed)
{
	struct snap_region *r = snapshot_add_region(s);

	r->start = start;
	r->end = end;
	r->nr_accesses = samples;
	r->age = age;
	r->sz_filter_passed = passed;
}

/* Rate, age and matching against a pattern in samples and intervals. */
static void test_matching(void **state)
{
	struct damos sc = { 0 };
	struct tried_params p = {
		.scheme = &sc, .has_intervals = true,
		.intervals = { .sample_us = 5000, .aggr_us = 100000 },
	};
	struct tried_result res;
	struct snapshot s;

	(void)state;
	sc.pattern = (struct damos_access_pattern){
		.min_sz_bytes = 4096, .max_sz_bytes = UINT64_MAX,
		.nr_accesses_unit = DAMOS_NR_ACCESSES_SAMPLES,
		.min_nr_accesses = 0, .max_nr_accesses = 0,
		.age_unit = DAMOS_AGE_AGGR_INTERVALS,
		.min_age = 5, .max_age = UINT64_MAX,
	};
	snapshot_init(&s);
	add(&s, 0, 1 << 20, 0, 7, 4096);		/* matches */
	add(&s, 1 << 20, 3 << 20, 3, 8, 4096);	/* accessed */
	add(&s, 3 << 20, (3 << 20) + 100, 0, 9, 0);	/* too small */
	add(&s, 4 << 20, 5 << 20, SNAP_NONE, SNAP_NONE, 0); /* age unknown */
	assert_true(tried_matches(&p, &s.regions[0]));
	assert_false(tried_matches(&p, &s.regions[1]));
	assert_false(tried_matches(&p, &s.regions[2]));
	assert_false(tried_matches(&p, &s.regions[3]));
	assert_int_equal(tried_rate(&p, &s.regions[1]), 15);	/* 3 of 20 */
	assert_int_equal(tried_age_us(&p, &s.regions[1]), 800000);
	assert_int_equal(tried_samples(&s.regions[3]), 0);
	assert_int_equal(tried_age_us(&p, &s.regions[3]), 0);

	tried_result_of(&p, &s, &res);
	assert_int_equal(res.nr_regions, 4);
	assert_int_equal(res.total_bytes, (4 << 20) + 100);
	assert_int_equal(res.sz_filter_passed, 8192);
	assert_int_equal(res.nr_matching, 1);
	assert_int_equal(res.matching_bytes, 1 << 20);
	assert_int_equal(res.hist_first, 6);		/* 100 B: [64, 128) */
	assert_int_equal(res.hist_last, 21);		/* 2 MiB */
	assert_int_equal(res.hist_nr[20], 2);
	assert_int_equal(res.hist_sz[20], 2 << 20);
	assert_int_equal(res.hist_max_sz, 2 << 20);

	/* without the scheme nothing matches */
	p.scheme = NULL;
	tried_result_of(&p, &s, &res);
	assert_int_equal(res.nr_matching, 0);
	snapshot_release(&s);
}

/* No regions: an empty histogram (first past last). */
static void test_empty(void **state)
{
	struct tried_params p = { 0 };
	struct tried_result res;
	struct snapshot s;

	(void)state;
	snapshot_init(&s);
	tried_result_of(&p, &s, &res);
	assert_int_equal(res.nr_regions, 0);
	assert_true(res.hist_first > res.hist_last);
	snapshot_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matching),
		cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
