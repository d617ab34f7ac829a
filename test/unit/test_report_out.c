/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unit tests of core/out.c's one-call fields (out_print_*()): the same
 * calls give damo's text layout or JSON.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/out.h"

/* A report printed with one printer, in @flags' mode. */
static char *print(unsigned int flags)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct out *o;

	assert_non_null(f);
	o = out_new(f, flags);
	out_json_begin_list(o, NULL);
	out_json_begin_obj(o, NULL);
	out_print_u64(o, "target_id", "# target_id\t%llu\n", 42);
	out_text(o, "# <percentile> <wss>\n");
	out_print_u64_as(o, "avr", "# avr:\t%s\n", 4096, "4.000 KiB");
	out_print_null(o, "none", "# nothing\n");
	out_print_str(o, "name", "name %s\n", "a\"b");
	out_print_u64(o, "json_only", NULL, 7);
	out_json_begin_list(o, "percentiles");
	out_json_begin_obj(o, NULL);
	out_print_i64(o, "percentile", "%3lld ", -5);
	out_print_f64(o, "ratio", "%.2f\n", 0.5, 3);
	out_json_end_obj(o);
	out_json_end_list(o);
	out_json_end_obj(o);
	out_json_end_list(o);
	out_free(&o);
	fclose(f);
	return buf;
}

static void test_text(void **state)
{
	char *s = print(0);

	(void)state;
	assert_string_equal(s, "# target_id\t42\n# <percentile> <wss>\n"
			    "# avr:\t4.000 KiB\n# nothing\nname a\"b\n"
			    " -5 0.50\n");
	free(s);
}

static void test_json(void **state)
{
	char *s = print(OUT_JSON);

	(void)state;
	assert_string_equal(s, "[{\"target_id\":42,\"avr\":4096,\"none\":null,"
			    "\"name\":\"a\\\"b\",\"json_only\":7,"
			    "\"percentiles\":[{\"percentile\":-5,"
			    "\"ratio\":0.500}]}]\n");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
