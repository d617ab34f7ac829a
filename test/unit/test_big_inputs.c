/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inputs far bigger than real ones are read and checked at all, with every
 * problem located: a kdamonds document of 200,000 kdamonds, workload
 * models of 100,000 mappings and ranges written in descending order.
 * Their speed is measured by test/bench/complexity.c, not here.  Under
 * AddressSanitizer, whose realloc() always copies, the model's arrays
 * that grow by one element cost n^2 bytes copied: the sizes are a tenth.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/sources/synthetic.h"
#include "core/xalloc.h"
#include "formats/config.h"
#include "formats/doc.h"
#include "formats/workload.h"

#if defined(__SANITIZE_ADDRESS__)
#define BIG(n) ((n) / 10)
#else
#define BIG(n) (n)
#endif

/* A growing text buffer. */
struct text {
	char *s;
	size_t len, cap;
};

static void __attribute__((format(printf, 2, 3)))
put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < t->cap - t->len)
			break;
		t->cap = t->cap * 2 + (size_t)n + 64;
		t->s = xreallocarray(t->s, t->cap, 1);
	}
	t->len += (size_t)n;
}

/* 200,000 kdamonds without contexts: one located error each, no more. */
static void test_200000_empty_kdamonds(void **state)
{
	const size_t n = BIG(200000);
	struct text t = { .s = xmalloc(64), .cap = 64 };
	struct config_file cf;
	struct diag d;
	char want[96];
	size_t i;

	(void)state;
	put(&t, "{\"kdamonds\": [");
	for (i = 0; i < n; i++)
		put(&t, "%s{}", i ? ",\n" : "");
	put(&t, "]}\n");
	diag_init(&d);
	assert_int_equal(config_parse(t.s, t.len, "big.json", true, &cf, &d),
			 -22);
	assert_int_equal(d.nr, n);
	snprintf(want, sizeof(want), "kdamonds[%zu]", n - 1);
	assert_string_equal(d.v[n - 1].path, want);
	assert_int_equal(d.v[n - 1].line, n);
	assert_non_null(strstr(d.v[n - 1].msg, "'contexts'"));
	diag_release(&d);
	free(t.s);
}

/* 50,000 kdamonds that read well and break a kernel rule each. */
static void test_50000_invalid_kdamonds(void **state)
{
	const size_t n = BIG(50000);
	struct text t = { .s = xmalloc(64), .cap = 64 };
	struct config_file cf;
	struct diag d;
	char want[96];
	size_t i;

	(void)state;
	put(&t, "kdamonds:\n");
	for (i = 0; i < n; i++)
		put(&t, "- contexts:\n  - ops: paddr\n"
			"    targets: [{pid: null, regions: []}]\n"
			"    nr_regions: {min: 20, max: 10}\n");
	diag_init(&d);
	assert_int_equal(config_parse(t.s, t.len, "big.yaml", true, &cf, &d),
			 -22);
	assert_int_equal(d.nr, n);
	snprintf(want, sizeof(want), "kdamonds[%zu].contexts[0].nr_regions.min",
		 n - 1);
	assert_string_equal(d.v[n - 1].path, want);
	assert_int_equal(d.v[n - 1].line, 4 * n + 1);
	diag_release(&d);
	free(t.s);
}

/* A map of 100,000 keys parses; a duplicate of its first key is found. */
static void test_100000_keys(void **state)
{
	const size_t n = BIG(100000);
	struct text t = { .s = xmalloc(64), .cap = 64 };
	struct doc_node *root;
	struct diag d;
	char want[32];
	size_t i;
	int pass;

	(void)state;
	for (pass = 0; pass < 4; pass++) {
		bool json = pass & 1, dup = pass & 2;

		t.len = 0;
		put(&t, "%s", json ? "{" : "");
		for (i = 0; i < n; i++)
			put(&t, json ? "%s\"k%zu\": 0\n" : "%sk%zu: 0\n",
			    i && json ? "," : "", i);
		if (dup)
			put(&t, json ? ",\"k0\": 1\n" : "k0: 1\n");
		put(&t, "%s", json ? "}" : "");
		diag_init(&d);
		root = doc_parse(t.s, t.len, "keys", NULL, &d);
		if (dup) {
			assert_null(root);
			assert_int_equal(d.nr, 1);
			assert_int_equal(d.v[0].line, n + 1);
			assert_non_null(strstr(d.v[0].msg, "duplicate key 'k0'"));
		} else {
			assert_non_null(root);
			assert_int_equal(root->nr, n);
			snprintf(want, sizeof(want), "k%zu", n - 1);
			assert_non_null(doc_map_get(root, want));
			doc_free(root);
		}
		diag_release(&d);
	}
	free(t.s);
}

/* Mappings and ranges in descending address order load, sorted. */
static void test_100000_mappings_descending(void **state)
{
	const size_t n = BIG(100000);
	struct text t = { .s = xmalloc(64), .cap = 64 };
	struct workload w;
	struct diag d;
	size_t i;

	(void)state;
	put(&t, "ops: fvaddr\nmappings:\n");
	for (i = n; i-- > 0;)
		put(&t, "  - {name: m%zu, start: 0x%zx, size: 1 MiB}\n", i,
		    (size_t)0x100000 + i * 0x200000);
	put(&t, "phases:\n  - duration_us: 1 s\n    ranges:\n");
	for (i = n; i-- > 0;)
		put(&t, "      - {mapping: m%zu, offset: 4 KiB, size: 4 KiB, access_bp: 1}\n",
		    i);
	diag_init(&d);
	assert_int_equal(workload_parse(t.s, t.len, "big.yaml", &w, &d), 0);
	assert_int_equal(d.nr, 0);
	assert_int_equal(w.model.nr_mappings, n);
	assert_int_equal(w.model.phases[0].nr_ranges, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(w.model.mappings[i].start, 0x100000 + i * 0x200000);
		assert_int_equal(w.model.phases[0].ranges[i].start,
				 0x101000 + i * 0x200000);
	}
	workload_release(&w);
	diag_release(&d);
	free(t.s);
}

/* The problems of a big model are found wherever they are, in file order. */
static void test_big_model_problems(void **state)
{
	const size_t n = BIG(50000);
	struct text t = { .s = xmalloc(64), .cap = 64 };
	struct workload w;
	struct diag d;
	char want[96];
	size_t i;

	(void)state;
	put(&t, "ops: fvaddr\nmappings:\n");	/* lines 1, 2 */
	for (i = 0; i < n; i++)
		put(&t, "  - {name: m%zu, start: 0x%zx, size: 1 MiB}\n", i,
		    (size_t)0x100000 + i * 0x200000);
	/* line n + 3: the name of the first, overlapping the last */
	put(&t, "  - {name: m0, start: 0x%zx, size: 1 MiB}\n",
	    (size_t)0x100000 + (n - 1) * 0x200000 + 0x1000);
	put(&t, "phases:\n  - duration_us: 1 s\n    ranges:\n");
	diag_init(&d);
	assert_int_equal(workload_parse(t.s, t.len, "big.yaml", &w, &d), -22);
	assert_int_equal(d.nr, 2);
	assert_int_equal(d.v[0].line, n + 3);
	snprintf(want, sizeof(want), "mappings[%zu].name", n);
	assert_string_equal(d.v[0].path, want);
	assert_non_null(strstr(d.v[0].msg, "(line 3) is named 'm0'"));
	assert_int_equal(d.v[1].line, n + 3);
	snprintf(want, sizeof(want), "overlaps the mapping at line %zu", n + 2);
	assert_non_null(strstr(d.v[1].msg, want));
	diag_release(&d);
	free(t.s);
}

/* Overlapping ranges of a phase are found in any order of the file. */
static void test_big_phase_overlaps(void **state)
{
	const size_t n = BIG(50000);
	struct text t = { .s = xmalloc(64), .cap = 64 };
	struct workload w;
	struct diag d;
	size_t i;

	(void)state;
	put(&t, "ops: fvaddr\nmappings:\n  - {name: a, start: 0x100000, size: 1 GiB}\n"
		"phases:\n  - duration_us: 1 s\n    ranges:\n");	/* 6 lines */
	for (i = n; i-- > 0;)
		put(&t, "      - {mapping: a, offset: %zu KiB, size: 4 KiB, access_bp: 1}\n",
		    i * 8);
	/* line n + 7: over the range written first (the highest) */
	put(&t, "      - {mapping: a, offset: %zu KiB, size: 4 KiB, access_bp: 1}\n",
	    (n - 1) * 8 + 2);
	put(&t, "      - {mapping: b, offset: 0, size: 4 KiB, access_bp: 1}\n");
	diag_init(&d);
	assert_int_equal(workload_parse(t.s, t.len, "big.yaml", &w, &d), -22);
	assert_int_equal(d.nr, 2);
	assert_int_equal(d.v[0].line, n + 7);
	assert_non_null(strstr(d.v[0].msg, "overlaps another range"));
	assert_int_equal(d.v[1].line, n + 8);
	assert_non_null(strstr(d.v[1].msg, "no mapping is named 'b'"));
	diag_release(&d);
	free(t.s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_200000_empty_kdamonds),
		cmocka_unit_test(test_50000_invalid_kdamonds),
		cmocka_unit_test(test_100000_keys),
		cmocka_unit_test(test_100000_mappings_descending),
		cmocka_unit_test(test_big_model_problems),
		cmocka_unit_test(test_big_phase_overlaps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
