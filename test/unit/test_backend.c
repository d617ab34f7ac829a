/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unit tests of kdamond/backend.c without a backend: the one id type (its
 * parser and printer agree, in text and JSON) and --backend's choices.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/out.h"
#include "kdamond/backend.h"

static void test_id_parse(void **state)
{
	static const char *const bad[] = {
		"", "e", "x", "-1", "+1", " 1", "1 ", "0x1", "e-1", "ee1",
		"E1", "65536", "e1000000", "1e", "99999999999999999999999",
	};
	struct damo_id id;
	size_t i;

	(void)state;
	assert_int_equal(damo_id_parse("0", &id), 0);
	assert_int_equal(id.kind, BACKEND_KERNEL);
	assert_int_equal(id.nr, 0);
	assert_int_equal(damo_id_parse("65535", &id), 0);
	assert_int_equal(id.kind, BACKEND_KERNEL);
	assert_int_equal(id.nr, 65535);
	assert_int_equal(damo_id_parse("e0", &id), 0);
	assert_int_equal(id.kind, BACKEND_EMBEDDED);
	assert_int_equal(id.nr, 0);
	assert_int_equal(damo_id_parse("e12", &id), 0);
	assert_int_equal(id.kind, BACKEND_EMBEDDED);
	assert_int_equal(id.nr, 12);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("'%s'\n", bad[i]);
		assert_int_equal(damo_id_parse(bad[i], &id), -EINVAL);
	}
}

/* What the printer writes, the parser reads back as the same id. */
static void test_id_round_trip(void **state)
{
	static const struct damo_id ids[] = {
		{ BACKEND_KERNEL, 0 }, { BACKEND_KERNEL, 3 },
		{ BACKEND_EMBEDDED, 0 }, { BACKEND_EMBEDDED, 42 },
	};
	char buf[DAMO_ID_BUFSZ], label[DAMO_ID_BUFSZ + 8];
	struct damo_id back;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		assert_int_equal(damo_id_parse(damo_id_str(ids[i], buf), &back),
				 0);
		assert_true(damo_id_eq(ids[i], back));
	}
	assert_string_equal(damo_id_str(ids[1], buf), "3");
	assert_string_equal(damo_id_str(ids[3], buf), "e42");
	assert_string_equal(damo_id_label(ids[1], label), "kdamond 3");
	assert_string_equal(damo_id_label(ids[3], label), "e42");
	assert_false(damo_id_eq(ids[0], ids[2]));
}

/* One printer: a JSON string of the command line's text, for both. */
static void test_id_print(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct out *o = out_new(f, OUT_JSON);

	(void)state;
	out_begin_list(o, NULL);
	damo_id_print(o, NULL, (struct damo_id){ BACKEND_KERNEL, 0 });
	damo_id_print(o, NULL, (struct damo_id){ BACKEND_EMBEDDED, 0 });
	out_end_list(o);
	out_free(&o);
	fclose(f);
	assert_string_equal(buf, "[\"0\",\"e0\"]\n");
	free(buf);
}

static void test_kinds(void **state)
{
	enum backend_kind k;

	(void)state;
	assert_int_equal(backend_parse_kind("auto", &k), 0);
	assert_int_equal(k, BACKEND_AUTO);
	assert_int_equal(backend_parse_kind("kernel", &k), 0);
	assert_int_equal(k, BACKEND_KERNEL);
	assert_int_equal(backend_parse_kind("embedded", &k), 0);
	assert_int_equal(k, BACKEND_EMBEDDED);
	assert_int_equal(backend_parse_kind("Kernel", &k), -EINVAL);
	assert_int_equal(backend_parse_kind("", &k), -EINVAL);
	assert_string_equal(backend_kind_name(BACKEND_EMBEDDED), "embedded");
	assert_true(backend_kind_allows(BACKEND_AUTO, BACKEND_KERNEL));
	assert_true(backend_kind_allows(BACKEND_KERNEL, BACKEND_KERNEL));
	assert_false(backend_kind_allows(BACKEND_KERNEL, BACKEND_EMBEDDED));
	assert_true(backend_kind_may_embed(BACKEND_AUTO));
	assert_true(backend_kind_may_embed(BACKEND_EMBEDDED));
	assert_false(backend_kind_may_embed(BACKEND_KERNEL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_id_parse),
		cmocka_unit_test(test_id_round_trip),
		cmocka_unit_test(test_id_print),
		cmocka_unit_test(test_kinds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
