/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests of the record-info model (core/report/record_info.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/report/record_info.h"

static void feed(struct record_info_model *m, size_t rec, uint64_t t,
		 uint64_t start, uint64_t end)
{
	struct snap_region *r;
	struct snapshot s;

	snapshot_init(&s);
	s.start_ns = t;
	s.end_ns = t + 1000;
	r = snapshot_add_region(&s);
	r->start = start;
	r->end = end;
	record_info_model_add(m, rec, &s);
	snapshot_release(&s);
}

/*
 * Records with the same ids share a guide; guides come largest space
 * first; a record without snapshots keeps an empty guide.
 */
static void test_merge_sort(void **state)
{
	struct record_meta small = { .target_id = 1, .kdamond_idx = 0 };
	struct record_meta big = { .target_id = 2, .kdamond_idx = 0 };
	struct record_meta none = { .target_id = 3, .kdamond_idx = 0 };
	struct record_info_model m;
	struct record_guide *gs;
	size_t r1, r2, r3, nr, i;

	(void)state;
	record_info_model_init(&m);
	r1 = record_info_model_add_record(&m, &small);
	feed(&m, r1, 0, 4096, 8192);
	r2 = record_info_model_add_record(&m, &big);
	feed(&m, r2, 0, 0, 1 << 20);
	r3 = record_info_model_add_record(&m, &none);
	assert_int_equal(record_info_model_add_record(&m, &small), r1);
	feed(&m, r1, 1000, 4096, 8192);
	gs = record_info_model_result(&m, &nr, true);
	assert_int_equal(nr, 3);
	(void)r3;
	assert_int_equal(gs[0].target_id, 2);
	assert_int_equal(gs[1].target_id, 1);
	assert_int_equal(gs[1].nr_snapshots, 2);
	assert_int_equal(gs[1].start_ns, 0);
	assert_int_equal(gs[1].end_ns, 2000);
	assert_int_equal(gs[1].lowest_addr, 4096);
	assert_int_equal(gs[1].highest_addr, 8192);
	assert_int_equal(gs[2].nr_snapshots, 0);
	for (i = 0; i < nr; i++)
		record_guide_release(&gs[i]);
	free(gs);
	record_info_model_release(&m);	/* empty after take */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge_sort),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
