/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests of the times model (core/report/times.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/report/times.h"

/* A snapshot [@t0, @t1) with one region of @sz bytes (none if 0). */
static void mk(struct snapshot *s, uint64_t t0, uint64_t t1, uint64_t sz)
{
	struct snap_region *r;

	snapshot_clear(s);
	s->start_ns = t0;
	s->end_ns = t1;
	if (!sz)
		return;
	r = snapshot_add_region(s);
	r->start = 4096;
	r->end = 4096 + sz;
	r->nr_accesses = SNAP_NONE;
	r->age = SNAP_NONE;
}

/*
 * Adjacent snapshots extend an interval; an empty or filtered-out one
 * leaves a gap; intervals continue across records.
 */
static void test_intervals(void **state)
{
	struct report_filter f = {
		.sz_region = { .set = true, .min = 0, .max = 8192 },
	};
	struct record_meta m1 = { .target_id = 1 }, m2 = { .target_id = 2 };
	const struct times_interval *iv;
	struct times_model m;
	struct snapshot s;
	size_t r1, r2, nr;

	(void)state;
	snapshot_init(&s);
	times_model_init(&m, &f);
	r1 = times_model_add_record(&m, &m1);
	mk(&s, 0, 10, 4096);
	times_model_add(&m, r1, &s);
	mk(&s, 10, 20, 4096);
	times_model_add(&m, r1, &s);
	mk(&s, 20, 30, 1 << 20);	/* filtered out */
	times_model_add(&m, r1, &s);
	mk(&s, 30, 40, 0);		/* no region */
	times_model_add(&m, r1, &s);
	mk(&s, 40, 50, 8192);
	times_model_add(&m, r1, &s);
	r2 = times_model_add_record(&m, &m2);
	mk(&s, 50, 60, 100);		/* the other record, right after */
	times_model_add(&m, r2, &s);
	iv = times_model_result(&m, &nr);
	assert_int_equal(nr, 2);
	assert_int_equal(iv[0].start_ns, 0);
	assert_int_equal(iv[0].end_ns, 20);
	assert_int_equal(iv[1].start_ns, 40);
	assert_int_equal(iv[1].end_ns, 60);
	times_model_release(&m);

	/* snapshot indexes count per record */
	f = (struct report_filter){
		.snapshot_idx = { .set = true, .min = 1, .max = 1 },
	};
	times_model_init(&m, &f);
	r1 = times_model_add_record(&m, &m1);
	r2 = times_model_add_record(&m, &m2);
	mk(&s, 0, 10, 4096);
	times_model_add(&m, r1, &s);
	times_model_add(&m, r2, &s);
	mk(&s, 10, 20, 4096);
	times_model_add(&m, r1, &s);
	mk(&s, 30, 40, 4096);
	times_model_add(&m, r2, &s);
	iv = times_model_result(&m, &nr);
	assert_int_equal(nr, 2);
	assert_int_equal(iv[0].start_ns, 10);
	assert_int_equal(iv[1].start_ns, 30);
	times_model_release(&m);
	snapshot_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intervals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
