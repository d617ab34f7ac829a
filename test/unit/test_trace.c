/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests for the tracefs reader: trace_pipe lines of DAMON events. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/diag.h"
#include "kdamond/sysfs/trace.h"

/* docs/kernel-damon.md §3.5's example line, as trace_pipe prints it. */
static void test_parses_the_kernel_format(void **state)
{
	struct trace_event ev;

	(void)state;
	assert_int_equal(trace_parse_line("       kdamond.0-71      [003] ..... 1234.567890: damon_aggregated: target_id=0 nr_regions=1024 4294967296-4297064448: 0 12",
					  &ev), 0);
	assert_int_equal(ev.ts_ns, 1234567890000ULL);
	assert_int_equal(ev.target, 0);
	assert_int_equal(ev.nr_regions, 1024);
	assert_int_equal(ev.start, 4294967296ULL);
	assert_int_equal(ev.end, 4297064448ULL);
	assert_int_equal(ev.nr_accesses, 0);
	assert_int_equal(ev.age, 12);
}

/* Comms with blanks and dashes, no flags column, nanosecond clocks. */
static void test_takes_the_timestamp_before_the_event(void **state)
{
	struct trace_event ev;

	(void)state;
	assert_int_equal(trace_parse_line("kdamond 0-with-dash-9 [000] 5.000000001: damon_aggregated: target_id=2 nr_regions=1 140000000000000-140000000004096: 20 7",
					  &ev), 0);
	assert_int_equal(ev.ts_ns, 5000000001ULL);
	assert_int_equal(ev.target, 2);
	assert_int_equal(ev.nr_accesses, 20);
	assert_int_equal(ev.age, 7);
	/* a kernel before 5.16 prints no age */
	assert_int_equal(trace_parse_line("kdamond.0-9 [000] .... 7.5: damon_aggregated: target_id=0 nr_regions=3 4096-8192: 1",
					  &ev), 0);
	assert_int_equal(ev.ts_ns, 7500000000ULL);
	assert_true(ev.age == TRACE_NO_AGE);
}

static void test_refuses_other_lines(void **state)
{
	static const char *const bad[] = {
		"",
		"# tracer: nop",
		"kdamond.0-9 [000] .... 7.5: damos_before_apply: ctx_idx=0 scheme_idx=0 target_idx=0 nr_regions=1 4096-8192: 1 2",
		"kdamond.0-9 [000] .... 7.5: damon_aggregated: target_id=0 nr_regions=3 4096-8192:",
		"kdamond.0-9 [000] .... 7.5: damon_aggregated: target_id=0 nr_regions=3 8192-4096: 1 2",
		"kdamond.0-9 [000] .... 7.5: damon_aggregated: target_id=0 nr_regions=0 4096-8192: 1 2",
		"kdamond.0-9 [000] .... 7.5: damon_aggregated: target_id=x nr_regions=3 4096-8192: 1 2",
		"kdamond.0-9 [000] .... 7.5: damon_aggregated: target_id=0 nr_regions=3 4096-8192: 1 2 junk",
		"kdamond.0-9 [000] .... 7.5: damon_aggregated: target_id=0 nr_regions=3 4096-99999999999999999999: 1 2",
		"kdamond.0-9 [000] .... 75: damon_aggregated: target_id=0 nr_regions=3 4096-8192: 1 2",
		"kdamond.0-9 [000] .... 7.5x: damon_aggregated: target_id=0 nr_regions=3 4096-8192: 1 2",
	};
	struct trace_event ev;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(trace_parse_line(bad[i], &ev), -EINVAL);
}

static int count_event(void *arg, const struct trace_event *ev)
{
	size_t *n = arg;

	(void)ev;
	(*n)++;
	return 0;
}

/*
 * A stand-in tree (kdamond/sysfs/trace.h): the instance is made and filled,
 * lines cut at any point of a read come out whole, the end of the file
 * ends the trace, and close leaves no instance.
 */
static void test_session_on_a_tree(void **state)
{
	char root[] = "/tmp/damo-test-trace.XXXXXX", cmd[256], p[512];
	struct trace_session t;
	struct diag d, notes;
	size_t n = 0;
	FILE *f;
	int r, i;

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/events/damon/damon_aggregated %s/instances",
		 root, root);
	assert_int_equal(system(cmd), 0);
	snprintf(p, sizeof(p), "%s/trace_pipe", root);
	f = fopen(p, "w");
	assert_non_null(f);
	for (i = 0; i < 2000; i++)
		fprintf(f, "kdamond.0-9 [000] .... %d.000001: damon_aggregated: target_id=0 nr_regions=1 4096-8192: 1 %d\n",
			i, i);
	fprintf(f, "kdamond.0-9 [000] .... 9999.5: damon_aggregated: target_id=0 nr_regions=1 4096-8192: 1 2");
	fclose(f);
	diag_init(&d);
	diag_init(&notes);
	assert_int_equal(trace_open(&t, root, 9, NULL, &d, &notes), 0);
	snprintf(p, sizeof(p), "%s/instances/damo.%ld/events/damon/damon_aggregated/filter",
		 root, (long)getpid());
	f = fopen(p, "r");
	assert_non_null(f);
	assert_non_null(fgets(cmd, sizeof(cmd), f));
	fclose(f);
	assert_string_equal(cmd, "common_pid == 9");
	while ((r = trace_read(&t, 100, count_event, &n)) >= 0)
		;
	assert_int_equal(r, -ENODATA);
	assert_int_equal(n, 2001);
	assert_int_equal(t.nr_skipped, 0);
	trace_close(&t);
	assert_int_equal(notes.nr, 0);
	snprintf(p, sizeof(p), "%s/instances/damo.%ld", root, (long)getpid());
	assert_int_equal(access(p, F_OK), -1);
	snprintf(cmd, sizeof(cmd), "rm -r %s", root);
	assert_int_equal(system(cmd), 0);
	diag_release(&d);
	diag_release(&notes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parses_the_kernel_format),
		cmocka_unit_test(test_takes_the_timestamp_before_the_event),
		cmocka_unit_test(test_refuses_other_lines),
		cmocka_unit_test(test_session_on_a_tree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
