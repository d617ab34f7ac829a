/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests for the document tree: JSON and YAML readers and writers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/xalloc.h"
#include "formats/doc.h"

typedef struct doc_node *(*parse_fn)(const char *, size_t, const char *,
				     struct diag *);

/* Parse @text, which must succeed without any diagnostic. */
static struct doc_node *parse_ok(parse_fn fn, const char *text)
{
	struct doc_node *n;
	struct diag d;

	diag_init(&d);
	n = fn(text, strlen(text), "t", &d);
	if (d.nr)
		print_error("unexpected diag: %u:%u: %s\n", d.v[0].line,
			    d.v[0].col, d.v[0].msg);
	assert_int_equal(d.nr, 0);
	assert_non_null(n);
	diag_release(&d);
	return n;
}

/* Parse @len bytes that must fail with exactly one diagnostic. */
static void parse_fails_n(parse_fn fn, const char *text, size_t len,
			  unsigned int line, unsigned int col, const char *msg)
{
	struct doc_node *n;
	struct diag d;

	diag_init(&d);
	n = fn(text, len, "t", &d);
	assert_null(n);
	assert_int_equal(d.nr, 1);
	if (strcmp(d.v[0].msg, msg) || d.v[0].line != line ||
	    d.v[0].col != col)
		print_error("input %s: got %u:%u: %s\n", text, d.v[0].line,
			    d.v[0].col, d.v[0].msg);
	assert_string_equal(d.v[0].msg, msg);
	assert_int_equal(d.v[0].line, line);
	assert_int_equal(d.v[0].col, col);
	assert_string_equal(d.v[0].file, "t");
	diag_release(&d);
}

static void parse_fails(parse_fn fn, const char *text, unsigned int line,
			unsigned int col, const char *msg)
{
	parse_fails_n(fn, text, strlen(text), line, col, msg);
}

static void assert_pos(const struct doc_node *n, unsigned int line,
		       unsigned int col)
{
	assert_non_null(n);
	assert_int_equal(n->line, line);
	assert_int_equal(n->col, col);
}

static void assert_key_pos(const struct doc_node *map, const char *key,
			   unsigned int line, unsigned int col)
{
	long i = doc_map_index(map, key);

	assert_true(i >= 0);
	assert_int_equal(map->key_lines[i], line);
	assert_int_equal(map->key_cols[i], col);
}

static void assert_scalar(const struct doc_node *n, enum doc_kind kind,
			  const char *text)
{
	assert_non_null(n);
	assert_int_equal(n->kind, kind);
	assert_string_equal(n->text, text);
}

static void test_json_nodes_and_keys_have_positions(void **state)
{
	static const char text[] =
		"{\n"
		"  \"a\": 1,\n"
		"  \"bb\": [true, null],\n"
		"  \"c\": {\"d\": \"x\"}\n"
		"}\n";
	struct doc_node *root = parse_ok(doc_parse_json, text);
	struct doc_node *bb = doc_map_get(root, "bb");
	struct doc_node *c = doc_map_get(root, "c");

	(void)state;
	assert_int_equal(root->kind, DOC_MAP);
	assert_pos(root, 1, 1);
	assert_key_pos(root, "a", 2, 3);
	assert_pos(doc_map_get(root, "a"), 2, 8);
	assert_key_pos(root, "bb", 3, 3);
	assert_pos(bb, 3, 9);
	assert_pos(bb->items[0], 3, 10);
	assert_pos(bb->items[1], 3, 16);
	assert_key_pos(root, "c", 4, 3);
	assert_pos(c, 4, 8);
	assert_key_pos(c, "d", 4, 9);
	assert_pos(doc_map_get(c, "d"), 4, 14);
	doc_free(root);
}

static void test_json_after_a_bom_columns_start_at_one(void **state)
{
	struct doc_node *root = parse_ok(doc_parse_json, "\xef\xbb\xbf[7]");

	(void)state;
	assert_pos(root, 1, 1);
	assert_pos(root->items[0], 1, 2);
	doc_free(root);
}

static void test_yaml_nodes_and_keys_have_positions(void **state)
{
	static const char text[] =
		"a: 1\n"
		"bb:\n"
		"  - true\n"
		"  - k: v\n"
		"    l: \"q\"\n"
		"c: {d: x}\n";
	struct doc_node *root = parse_ok(doc_parse_yaml, text);
	struct doc_node *bb = doc_map_get(root, "bb");
	struct doc_node *c = doc_map_get(root, "c");

	(void)state;
	assert_pos(root, 1, 1);
	assert_key_pos(root, "a", 1, 1);
	assert_pos(doc_map_get(root, "a"), 1, 4);
	assert_key_pos(root, "bb", 2, 1);
	assert_int_equal(bb->kind, DOC_SEQ);
	assert_pos(bb, 3, 3);
	assert_pos(bb->items[0], 3, 5);
	assert_pos(bb->items[1], 4, 5);
	assert_key_pos(bb->items[1], "k", 4, 5);
	assert_pos(doc_map_get(bb->items[1], "k"), 4, 8);
	assert_key_pos(bb->items[1], "l", 5, 5);
	assert_pos(doc_map_get(bb->items[1], "l"), 5, 8);
	assert_key_pos(root, "c", 6, 1);
	assert_pos(c, 6, 4);
	assert_key_pos(c, "d", 6, 5);
	assert_pos(doc_map_get(c, "d"), 6, 8);
	doc_free(root);
}

static void test_json_numbers_keep_their_exact_text(void **state)
{
	struct doc_node *root = parse_ok(doc_parse_json,
		"[18446744073709551615, -0, 1.50, 1e400, -2.5E-3, 0]");

	(void)state;
	assert_int_equal(root->nr, 6);
	assert_scalar(root->items[0], DOC_NUMBER, "18446744073709551615");
	assert_scalar(root->items[1], DOC_NUMBER, "-0");
	assert_scalar(root->items[2], DOC_NUMBER, "1.50");
	assert_scalar(root->items[3], DOC_NUMBER, "1e400");
	assert_scalar(root->items[4], DOC_NUMBER, "-2.5E-3");
	assert_scalar(root->items[5], DOC_NUMBER, "0");
	doc_free(root);
}

static void test_json_literals_become_bool_and_null_nodes(void **state)
{
	struct doc_node *root = parse_ok(doc_parse_json,
					 "[true, false, null]");

	(void)state;
	assert_scalar(root->items[0], DOC_BOOL, "true");
	assert_true(root->items[0]->boolean);
	assert_scalar(root->items[1], DOC_BOOL, "false");
	assert_false(root->items[1]->boolean);
	assert_int_equal(root->items[2]->kind, DOC_NULL);
	doc_free(root);
}

static void test_json_string_escapes_are_decoded(void **state)
{
	struct doc_node *root = parse_ok(doc_parse_json,
		"[\"q\\\"b\\\\s\\/n\\nt\\tr\\rb\\bf\\f\", "
		"\"\\u00e9\\u6F22\", \"\\ud83d\\ude00\", \"raw \xc3\xa9\"]");

	(void)state;
	assert_scalar(root->items[0], DOC_STRING,
		      "q\"b\\s/n\nt\tr\rb\bf\f");
	assert_scalar(root->items[1], DOC_STRING, "\xc3\xa9\xe6\xbc\xa2");
	assert_scalar(root->items[2], DOC_STRING, "\xf0\x9f\x98\x80");
	assert_scalar(root->items[3], DOC_STRING, "raw \xc3\xa9");
	doc_free(root);
}

static void test_json_syntax_errors_are_located(void **state)
{
	static const struct {
		const char *text;
		unsigned int line, col;
		const char *msg;
	} cases[] = {
		{ "{\"a\":1,}", 1, 8,
		  "expected string key after ',', found '}'" },
		{ "{\"a\":1 ]", 1, 8,
		  "expected ',' or '}' after object member, found ']'" },
		{ "{\"a\" 1}", 1, 6,
		  "expected ':' after object key, found '1'" },
		{ "{\"a\":}", 1, 6, "expected a value after ':', found '}'" },
		{ "{1:2}", 1, 2, "expected string key or '}', found '1'" },
		{ "{", 1, 2, "expected string key or '}', found end of input" },
		{ "[1,]", 1, 4, "expected a value after ',', found ']'" },
		{ "[1 2]", 1, 4,
		  "expected ',' or ']' after array element, found '2'" },
		{ "[\n  1,\n  @]", 3, 3,
		  "expected a value after ',', found '@'" },
		{ "[tru]", 1, 2, "expected a value or ']', found 'tru'" },
		{ "[\"abc", 1, 2, "unterminated string" },
		{ "[\"abc\\", 1, 2, "unterminated string" },
		{ "[01]", 1, 2, "invalid number '01'" },
		{ "[1.]", 1, 2, "invalid number '1.'" },
		{ "[-]", 1, 2, "invalid number '-'" },
		{ "[1e+]", 1, 2, "invalid number '1e+'" },
		{ "[0x10]", 1, 2, "invalid number '0x10'" },
		{ "[\"\\q\"]", 1, 3, "invalid escape '\\q' in string" },
		{ "[\"\\u12G4\"]", 1, 3, "invalid escape '\\u12G4' in string" },
		{ "[\"\\ud800\"]", 1, 3,
		  "unpaired surrogate '\\ud800' in string" },
		{ "[\"\\ude00x\"]", 1, 3,
		  "unpaired surrogate '\\ude00' in string" },
		{ "[\"\\u0000\"]", 1, 3,
		  "unsupported escape '\\u0000' (NUL character) in string" },
		{ "[\"a\tb\"]", 1, 4, "unescaped tab in string" },
		{ "[\"a\nb\"]", 1, 4, "unescaped newline in string" },
		{ "[\"a\x01\"]", 1, 4,
		  "unescaped control character 0x01 in string" },
		{ "[\"a\xff\"]", 1, 4, "invalid UTF-8 byte 0xff in string" },
		{ "[\"\xed\xa0\x80\"]", 1, 3,
		  "invalid UTF-8 byte 0xed in string" },
		{ "{\"a\": 1}\n x", 2, 2,
		  "expected end of input after the top-level value, "
		  "found 'x'" },
		{ "[] []", 1, 4,
		  "expected end of input after the top-level value, "
		  "found '['" },
		{ "", 1, 1, "expected a value, found end of input" },
		{ "  \n ", 2, 2, "expected a value, found end of input" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		parse_fails(doc_parse_json, cases[i].text, cases[i].line,
			    cases[i].col, cases[i].msg);
}

static void test_json_nul_byte_is_a_syntax_error(void **state)
{
	(void)state;
	parse_fails_n(doc_parse_json, "[1,\0]", 5, 1, 4,
		      "expected a value after ',', found byte 0x00");
}

static void test_json_duplicate_keys_are_errors(void **state)
{
	(void)state;
	parse_fails(doc_parse_json, "{\"x\": 1,\n \"y\": {}, \"x\": 2}", 2, 11,
		    "duplicate key 'x'");
	parse_fails(doc_parse_json, "{\"a\": {\"b\": 1, \"b\": 1}}", 1, 16,
		    "duplicate key 'b'");
}

/* @n nested arrays around a 0, in JSON (or YAML flow) syntax. */
static char *nested(size_t n)
{
	char *s = xmalloc(2 * n + 2);
	size_t i;

	for (i = 0; i < n; i++) {
		s[i] = '[';
		s[n + 1 + i] = ']';
	}
	s[n] = '0';
	s[2 * n + 1] = '\0';
	return s;
}

static void test_json_nesting_is_limited_to_128_levels(void **state)
{
	char *ok = nested(128), *deep = nested(129), *huge = nested(200000);

	(void)state;
	doc_free(parse_ok(doc_parse_json, ok));
	parse_fails(doc_parse_json, deep, 1, 129,
		    "nesting deeper than 128 levels");
	parse_fails(doc_parse_json, huge, 1, 129,
		    "nesting deeper than 128 levels");
	free(ok);
	free(deep);
	free(huge);
}

static void test_yaml_nesting_is_limited_to_128_levels(void **state)
{
	char *ok = nested(127), *deep = nested(128), *huge = nested(200000);
	char *doc;

	(void)state;
	/* The mapping around them is the first level. */
	doc = xasprintf("a: %s\n", ok);
	doc_free(parse_ok(doc_parse_yaml, doc));
	free(doc);
	doc = xasprintf("a: %s\n", deep);
	parse_fails(doc_parse_yaml, doc, 1, 131,
		    "nesting deeper than 128 levels");
	free(doc);
	doc = xasprintf("a: %s\n", huge);
	parse_fails(doc_parse_yaml, doc, 1, 131,
		    "nesting deeper than 128 levels");
	free(doc);
	free(ok);
	free(deep);
	free(huge);
}

static void test_yaml_numbers_keep_their_exact_text(void **state)
{
	struct doc_node *root = parse_ok(doc_parse_yaml,
		"a: 18446744073709551615\nb: -1.5e3\nc: 0x10\nd: 1_000\n"
		"e: 010\nf: +1\ng: '5'\nh: '0x10'\n");

	(void)state;
	assert_scalar(doc_map_get(root, "a"), DOC_NUMBER,
		      "18446744073709551615");
	assert_scalar(doc_map_get(root, "b"), DOC_NUMBER, "-1.5e3");
	/* YAML 1.1 hex, as PyYAML (so damo) reads it; quoted stays text */
	assert_scalar(doc_map_get(root, "c"), DOC_NUMBER, "16");
	assert_scalar(doc_map_get(root, "h"), DOC_STRING, "0x10");
	assert_scalar(doc_map_get(root, "d"), DOC_STRING, "1_000");
	assert_scalar(doc_map_get(root, "e"), DOC_STRING, "010");
	assert_scalar(doc_map_get(root, "f"), DOC_STRING, "+1");
	assert_scalar(doc_map_get(root, "g"), DOC_STRING, "5");
	doc_free(root);
}

static void test_yaml_11_booleans_and_nulls_are_resolved(void **state)
{
	static const char *const yes[] = {
		"yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
	};
	static const char *const no[] = {
		"no", "No", "NO", "false", "False", "FALSE",
		"off", "Off", "OFF",
	};
	static const char *const nulls[] = { "~", "null", "Null", "NULL" };
	struct doc_node *root;
	size_t i;
	char *doc;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		doc = xasprintf("[%s, %s]", yes[i], no[i]);
		root = parse_ok(doc_parse_yaml, doc);
		assert_scalar(root->items[0], DOC_BOOL, yes[i]);
		assert_true(root->items[0]->boolean);
		assert_scalar(root->items[1], DOC_BOOL, no[i]);
		assert_false(root->items[1]->boolean);
		doc_free(root);
		free(doc);
	}
	for (i = 0; i < ARRAY_SIZE(nulls); i++) {
		doc = xasprintf("v: %s\n", nulls[i]);
		root = parse_ok(doc_parse_yaml, doc);
		assert_int_equal(doc_map_get(root, "v")->kind, DOC_NULL);
		doc_free(root);
		free(doc);
	}
	root = parse_ok(doc_parse_yaml, "a:\nb: nULL\nc: tRUE\nd: y\n");
	assert_int_equal(doc_map_get(root, "a")->kind, DOC_NULL);
	assert_scalar(doc_map_get(root, "b"), DOC_STRING, "nULL");
	assert_scalar(doc_map_get(root, "c"), DOC_STRING, "tRUE");
	assert_scalar(doc_map_get(root, "d"), DOC_STRING, "y");
	doc_free(root);
}

static void test_yaml_quoted_scalars_are_strings(void **state)
{
	struct doc_node *root = parse_ok(doc_parse_yaml,
		"- 'yes'\n- \"null\"\n- !!str 10\n- |\n  true\n- >\n  1\n"
		"- \"\\u00e9\\t\"\n- ''\n");

	(void)state;
	assert_scalar(root->items[0], DOC_STRING, "yes");
	assert_scalar(root->items[1], DOC_STRING, "null");
	assert_scalar(root->items[2], DOC_STRING, "10");
	assert_scalar(root->items[3], DOC_STRING, "true\n");
	assert_scalar(root->items[4], DOC_STRING, "1\n");
	assert_scalar(root->items[5], DOC_STRING, "\xc3\xa9\t");
	assert_scalar(root->items[6], DOC_STRING, "");
	doc_free(root);
}

static void test_yaml_duplicate_keys_are_errors(void **state)
{
	(void)state;
	parse_fails(doc_parse_yaml, "a: 1\nb:\n  c: 1\n  c: 2\n", 4, 3,
		    "duplicate key 'c'");
	parse_fails(doc_parse_yaml, "{x: 1, 'x': 2}", 1, 8,
		    "duplicate key 'x'");
}

static void test_yaml_non_scalar_key_is_an_error(void **state)
{
	(void)state;
	parse_fails(doc_parse_yaml, "? [1]\n: 2\n", 1, 3,
		    "expected a scalar mapping key, found a sequence");
	parse_fails(doc_parse_yaml, "{{a: 1}: 2}", 1, 2,
		    "expected a scalar mapping key, found a mapping");
	parse_fails(doc_parse_yaml, "a: &m {b: 1}\n*m : 2\n", 2, 1,
		    "expected a scalar mapping key, "
		    "found an alias to a collection");
}

static void test_yaml_aliases_are_expanded_as_copies(void **state)
{
	struct doc_node *root = parse_ok(doc_parse_yaml,
		"base: &b\n  x: 1\n  y: [a, b]\nuse: *b\n"
		"k: &k key\n*k : aliased key\n");
	struct doc_node *base = doc_map_get(root, "base");
	struct doc_node *use = doc_map_get(root, "use");

	(void)state;
	assert_int_equal(use->kind, DOC_MAP);
	assert_true(use != base);
	assert_pos(use, 4, 6);
	assert_scalar(doc_map_get(use, "x"), DOC_NUMBER, "1");
	assert_scalar(doc_map_get(use, "y")->items[1], DOC_STRING, "b");
	assert_true(doc_map_get(use, "y") != doc_map_get(base, "y"));
	assert_scalar(doc_map_get(root, "key"), DOC_STRING, "aliased key");
	assert_key_pos(root, "key", 6, 1);
	doc_free(root);
}

static void test_yaml_bad_aliases_are_errors(void **state)
{
	(void)state;
	parse_fails(doc_parse_yaml, "a: 1\nb: *nope\n", 2, 4,
		    "undefined alias '*nope'");
	parse_fails(doc_parse_yaml, "a: &x [1, *x]\n", 1, 11,
		    "alias '*x' refers to a node that contains it");
}

static void test_yaml_alias_bombs_are_rejected(void **state)
{
	char *doc = xstrdup("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
	char *next;
	char name;

	(void)state;
	for (name = 'b'; name <= 'i'; name++) {
		next = xasprintf("%s%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, "
				 "*%c, *%c, *%c, *%c]\n", doc, name, name,
				 name - 1, name - 1, name - 1, name - 1,
				 name - 1, name - 1, name - 1, name - 1,
				 name - 1, name - 1);
		free(doc);
		doc = next;
	}
	/* d holds 11111 nodes: the eighth *d in e passes 100000. */
	parse_fails(doc_parse_yaml, doc, 5, 36,
		    "aliases expand to more than 100000 nodes");
	free(doc);
}

static void test_yaml_alias_text_bombs_are_rejected(void **state)
{
	char *big = xmalloc(1 << 20), *doc;

	(void)state;
	memset(big, 'x', (1 << 20) - 1);
	big[(1 << 20) - 1] = '\0';
	doc = xasprintf("a: &a %s\nb: [*a, *a, *a, *a, *a, *a, *a, *a, "
			"*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n", big);
	/* Sixteen copies of 1 MiB - 1 fit, the seventeenth does not. */
	parse_fails(doc_parse_yaml, doc, 2, 69,
		    "aliases expand to more than 16 MiB of text");
	free(doc);
	free(big);
}

static void test_yaml_alias_cannot_exceed_the_depth_limit(void **state)
{
	char *deep = nested(100), *doc;

	(void)state;
	doc = xasprintf("a: &a %s\nb: %.30s*a%.30s\n", deep, deep,
			deep + 101);
	parse_fails(doc_parse_yaml, doc, 2, 34,
		    "alias '*a' makes nesting deeper than 128 levels");
	free(doc);
	free(deep);
}

static void test_yaml_syntax_errors_are_located(void **state)
{
	(void)state;
	parse_fails(doc_parse_yaml, "a: b: c\n", 1, 5,
		    "mapping values are not allowed in this context");
	parse_fails(doc_parse_yaml, "a: [1\nb: 2\n", 2, 2,
		    "did not find expected ',' or ']' "
		    "while parsing a flow sequence");
	parse_fails(doc_parse_yaml, "a: \x01\n", 1, 4,
		    "control characters are not allowed (0x1)");
	parse_fails(doc_parse_yaml, "a: 1\nb: \xff\n", 2, 4,
		    "invalid leading UTF-8 octet (0xff)");
	parse_fails(doc_parse_yaml, "a: \"\\0\"\n", 1, 4,
		    "NUL character in scalar is not supported");
}

static void test_yaml_more_than_one_document_is_an_error(void **state)
{
	(void)state;
	parse_fails(doc_parse_yaml, "a: 1\n---\nb: 2\n", 2, 1,
		    "more than one YAML document");
}

static void test_yaml_empty_document_is_a_null_root(void **state)
{
	static const char *const empty[] = { "", "# just a comment\n",
					     "---\n", "---\n...\n" };
	struct doc_node *root;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(empty); i++) {
		root = parse_ok(doc_parse_yaml, empty[i]);
		assert_int_equal(root->kind, DOC_NULL);
		doc_free(root);
	}
}

static void test_parse_picks_json_or_yaml_by_first_char(void **state)
{
	enum doc_format fmt;
	struct doc_node *n;
	struct diag d;

	(void)state;
	diag_init(&d);
	n = doc_parse("\xef\xbb\xbf \n [1]", 9, "t", &fmt, &d);
	assert_non_null(n);
	assert_int_equal(fmt, DOC_FMT_JSON);
	assert_pos(n, 2, 2);
	doc_free(n);
	n = doc_parse("a: [1]", 6, "t", &fmt, &d);
	assert_non_null(n);
	assert_int_equal(fmt, DOC_FMT_YAML);
	doc_free(n);
	assert_int_equal(d.nr, 0);
	/* A YAML flow mapping is read as JSON, and its errors reported. */
	n = doc_parse("{a: 1}", 6, "t", &fmt, &d);
	assert_null(n);
	assert_int_equal(fmt, DOC_FMT_JSON);
	assert_int_equal(d.nr, 1);
	assert_string_equal(d.v[0].msg,
			    "expected string key or '}', found 'a'");
	diag_release(&d);
}

static void test_map_helpers_add_get_and_index(void **state)
{
	struct doc_node *map = doc_new_map();
	char key[16];
	int i;

	(void)state;
	for (i = 0; i < 20; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		doc_map_add(map, key, doc_new_number("1"));
	}
	assert_int_equal(map->nr, 20);
	assert_int_equal(doc_map_index(map, "k13"), 13);
	assert_int_equal(doc_map_index(map, "nope"), -1);
	assert_null(doc_map_get(map, "nope"));
	assert_null(doc_map_get(map->items[0], "k0"));
	assert_int_equal(doc_map_index(NULL, "k0"), -1);
	assert_scalar(doc_map_get(map, "k19"), DOC_NUMBER, "1");
	doc_free(map);
}

/* {"name": "x", "n": 2^64 - 1, ...}: a small tree with every kind. */
static struct doc_node *small_tree(void)
{
	struct doc_node *root = doc_new_map(), *list = doc_new_seq();

	doc_map_add(root, "name", doc_new_string("x"));
	doc_map_add(root, "n", doc_new_number("18446744073709551615"));
	doc_map_add(root, "ok", doc_new_bool(true));
	doc_map_add(root, "none", doc_new_null());
	doc_seq_add(list, doc_new_number("1"));
	doc_seq_add(list, doc_new_string("a\"b\\c\n\x01\xc3\xa9"));
	doc_map_add(root, "list", list);
	doc_map_add(root, "empty", doc_new_map());
	doc_map_add(root, "e2", doc_new_seq());
	return root;
}

static void test_json_emit_matches_python_json_dumps(void **state)
{
	struct doc_node *root = small_tree();
	char *out = doc_emit(root, DOC_FMT_JSON);

	(void)state;
	assert_string_equal(out,
		"{\n"
		"    \"name\": \"x\",\n"
		"    \"n\": 18446744073709551615,\n"
		"    \"ok\": true,\n"
		"    \"none\": null,\n"
		"    \"list\": [\n"
		"        1,\n"
		"        \"a\\\"b\\\\c\\n\\u0001\xc3\xa9\"\n"
		"    ],\n"
		"    \"empty\": {},\n"
		"    \"e2\": []\n"
		"}\n");
	free(out);
	doc_free(root);
}

static void test_yaml_emit_is_block_style_like_pyyaml(void **state)
{
	struct doc_node *root = doc_new_map(), *kd = doc_new_seq();
	struct doc_node *k = doc_new_map(), *ctxs = doc_new_seq();
	struct doc_node *ctx = doc_new_map(), *pair = doc_new_seq();
	char *out;

	(void)state;
	doc_map_add(ctx, "ops", doc_new_string("paddr"));
	doc_map_add(ctx, "targets", doc_new_seq());
	doc_map_add(ctx, "attrs", doc_new_map());
	doc_seq_add(ctxs, ctx);
	doc_map_add(k, "state", doc_new_null());
	doc_map_add(k, "pid", doc_new_number("42"));
	doc_map_add(k, "contexts", ctxs);
	doc_seq_add(kd, k);
	doc_map_add(root, "kdamonds", kd);
	doc_seq_add(pair, doc_new_string("a"));
	doc_seq_add(pair, doc_new_bool(false));
	doc_seq_add(root->items[0], doc_new_seq());
	doc_seq_add(root->items[0]->items[1], pair);
	doc_map_add(root, "s", doc_new_string("yes"));
	out = doc_emit(root, DOC_FMT_YAML);
	assert_string_equal(out,
		"kdamonds:\n"
		"- state: null\n"
		"  pid: 42\n"
		"  contexts:\n"
		"  - ops: paddr\n"
		"    targets: []\n"
		"    attrs: {}\n"
		"- - - a\n"
		"    - false\n"
		"s: \"yes\"\n");
	free(out);
	doc_free(root);
}

static void test_yaml_emit_quotes_only_what_needs_it(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "max", "max" }, { "4 KiB", "4 KiB" }, { "50 %", "50 %" },
		{ "a#b", "a#b" }, { "a:b", "a:b" }, { "1.2.3", "1.2.3" },
		{ "\xc3\xa9t\xc3\xa9", "\xc3\xa9t\xc3\xa9" },
		{ "yes", "\"yes\"" }, { "y", "\"y\"" }, { "n", "\"n\"" },
		{ "on", "\"on\"" }, { "OFF", "\"OFF\"" },
		{ "null", "\"null\"" },
		{ "~", "\"~\"" }, { "", "\"\"" }, { "10", "\"10\"" },
		{ "1e3", "\"1e3\"" }, { "0x10", "\"0x10\"" },
		{ "1_000", "\"1_000\"" }, { "12:30", "\"12:30\"" },
		{ "0o17", "0o17" }, { "017", "\"017\"" }, { "+1", "\"+1\"" },
		{ "1.", "\"1.\"" }, { ".5", "\".5\"" }, { ".inf", "\".inf\"" },
		{ "-.inf", "\"-.inf\"" }, { ".NaN", "\".NaN\"" },
		{ "2024-01-31", "\"2024-01-31\"" }, { "<<", "\"<<\"" },
		{ "a: b", "\"a: b\"" }, { "#x", "\"#x\"" },
		{ "a #b", "\"a #b\"" },
		{ "x:", "\"x:\"" }, { "  lead", "\"  lead\"" },
		{ "trail ", "\"trail \"" }, { "-x", "\"-x\"" },
		{ "...x", "\"...x\"" }, { "'q'", "\"'q'\"" },
		{ "say \"hi\"", "say \"hi\"" },
		{ "a\\b", "a\\b" }, { "t\tn\nr\r", "\"t\\tn\\nr\\r\"" },
		{ "q\"\\", "q\"\\" }, { "\"q", "\"\\\"q\"" },
		{ "\x01\x7f", "\"\\x01\\x7F\"" },
		{ "\xc2\x85\xe2\x80\xa8\xef\xbb\xbf",
		  "\"\\x85\\u2028\\uFEFF\"" },
	};
	struct doc_node *n;
	char *out, *want;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		n = doc_new_string(cases[i].in);
		out = doc_emit(n, DOC_FMT_YAML);
		want = xasprintf("%s\n", cases[i].out);
		if (strcmp(out, want))
			print_error("for '%s'\n", cases[i].in);
		assert_string_equal(out, want);
		free(want);
		free(out);
		doc_free(n);
	}
}

static const char *const tricky[] = {
	"yes", "10", "a: b", "#x", "", "  lead", "max", "4 KiB", "50 %",
	"\xc3\xa9\xe6\xbc\xa2\xf0\x9f\x98\x80", "No", "~", "null", "1e3",
	"0x10", "1_000", "12:30", "trail ", "- dash", "x:", "...", "---",
	"q\"b\\s", "tab\there", "line\nbreak", "\x01", "\xc2\x85\xe2\x80\xa8",
	"\357\273\277bom", "[x]", "{y}", "a,b", "!tag", "&a", "*a", "%p",
	"@at", "`bt`", "|", ">", "?", "'", "18446744073709551615", "=", "<<",
};

static struct doc_node *tricky_tree(void)
{
	struct doc_node *root = doc_new_map(), *seq = doc_new_seq();
	struct doc_node *m, *inner;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tricky); i++) {
		doc_map_add(root, tricky[i], doc_new_string(tricky[i]));
		m = doc_new_map();
		doc_map_add(m, tricky[i], doc_new_string(tricky[i]));
		doc_map_add(m, "n", doc_new_number("-1.5e+3"));
		inner = doc_new_seq();
		doc_seq_add(inner, doc_new_string(tricky[i]));
		doc_seq_add(inner, doc_new_bool(i % 2));
		doc_seq_add(inner, doc_new_null());
		doc_seq_add(inner, doc_new_map());
		doc_map_add(m, "inner", inner);
		doc_seq_add(seq, m);
	}
	doc_map_add(root, "seq", seq);
	doc_map_add(root, "empty", doc_new_seq());
	return root;
}

/* Emit @root, parse it back, emit again; both texts must agree. */
static void assert_round_trip(const struct doc_node *root,
			      enum doc_format fmt)
{
	char *first = doc_emit(root, fmt), *second, *json1, *json2;
	struct doc_node *back;
	enum doc_format got;
	struct diag d;

	diag_init(&d);
	back = doc_parse(first, strlen(first), "t", &got, &d);
	if (d.nr)
		print_error("%s\n%u:%u: %s\n", first, d.v[0].line, d.v[0].col,
			    d.v[0].msg);
	assert_int_equal(d.nr, 0);
	assert_non_null(back);
	assert_int_equal(got, fmt);
	second = doc_emit(back, fmt);
	assert_string_equal(first, second);
	/* JSON is lossless: the content itself survived, kinds included. */
	json1 = doc_emit(root, DOC_FMT_JSON);
	json2 = doc_emit(back, DOC_FMT_JSON);
	assert_string_equal(json1, json2);
	free(json1);
	free(json2);
	free(first);
	free(second);
	doc_free(back);
	diag_release(&d);
}

static void test_emit_parse_emit_is_identical(void **state)
{
	struct doc_node *root = tricky_tree();

	(void)state;
	assert_round_trip(root, DOC_FMT_JSON);
	assert_round_trip(root, DOC_FMT_YAML);
	doc_free(root);
}

static void test_yaml_emit_writes_long_keys_explicitly(void **state)
{
	struct doc_node *root = doc_new_map(), *item = doc_new_map();
	struct doc_node *seq = doc_new_seq(), *sub = doc_new_seq();
	char *key = xmalloc(1501);

	(void)state;
	memset(key, 'k', 1500);
	key[1500] = '\0';
	doc_seq_add(sub, doc_new_string("v"));
	doc_map_add(item, key, sub);
	doc_map_add(item, "short", doc_new_string("s"));
	doc_seq_add(seq, item);
	doc_map_add(root, key, seq);
	key[0] = '#';
	doc_map_add(root, key, doc_new_map());
	doc_map_add(root->items[1], key, doc_new_string("deep"));
	assert_round_trip(root, DOC_FMT_YAML);
	assert_round_trip(root, DOC_FMT_JSON);
	free(key);
	doc_free(root);
}

static void test_emit_of_scalar_roots_ends_in_newline(void **state)
{
	struct doc_node *n = doc_new_null();
	char *out;

	(void)state;
	out = doc_emit(n, DOC_FMT_YAML);
	assert_string_equal(out, "null\n");
	free(out);
	out = doc_emit(n, DOC_FMT_JSON);
	assert_string_equal(out, "null\n");
	free(out);
	doc_free(n);
	n = doc_new_map();
	out = doc_emit(n, DOC_FMT_YAML);
	assert_string_equal(out, "{}\n");
	free(out);
	out = doc_emit(n, DOC_FMT_JSON);
	assert_string_equal(out, "{}\n");
	free(out);
	doc_free(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_nodes_and_keys_have_positions),
		cmocka_unit_test(test_json_after_a_bom_columns_start_at_one),
		cmocka_unit_test(test_yaml_nodes_and_keys_have_positions),
		cmocka_unit_test(test_json_numbers_keep_their_exact_text),
		cmocka_unit_test(test_json_literals_become_bool_and_null_nodes),
		cmocka_unit_test(test_json_string_escapes_are_decoded),
		cmocka_unit_test(test_json_syntax_errors_are_located),
		cmocka_unit_test(test_json_nul_byte_is_a_syntax_error),
		cmocka_unit_test(test_json_duplicate_keys_are_errors),
		cmocka_unit_test(test_json_nesting_is_limited_to_128_levels),
		cmocka_unit_test(test_yaml_nesting_is_limited_to_128_levels),
		cmocka_unit_test(test_yaml_numbers_keep_their_exact_text),
		cmocka_unit_test(test_yaml_11_booleans_and_nulls_are_resolved),
		cmocka_unit_test(test_yaml_quoted_scalars_are_strings),
		cmocka_unit_test(test_yaml_duplicate_keys_are_errors),
		cmocka_unit_test(test_yaml_non_scalar_key_is_an_error),
		cmocka_unit_test(test_yaml_aliases_are_expanded_as_copies),
		cmocka_unit_test(test_yaml_bad_aliases_are_errors),
		cmocka_unit_test(test_yaml_alias_bombs_are_rejected),
		cmocka_unit_test(test_yaml_alias_text_bombs_are_rejected),
		cmocka_unit_test(test_yaml_alias_cannot_exceed_the_depth_limit),
		cmocka_unit_test(test_yaml_syntax_errors_are_located),
		cmocka_unit_test(test_yaml_more_than_one_document_is_an_error),
		cmocka_unit_test(test_yaml_empty_document_is_a_null_root),
		cmocka_unit_test(test_parse_picks_json_or_yaml_by_first_char),
		cmocka_unit_test(test_map_helpers_add_get_and_index),
		cmocka_unit_test(test_json_emit_matches_python_json_dumps),
		cmocka_unit_test(test_yaml_emit_is_block_style_like_pyyaml),
		cmocka_unit_test(test_yaml_emit_quotes_only_what_needs_it),
		cmocka_unit_test(test_emit_parse_emit_is_identical),
		cmocka_unit_test(test_yaml_emit_writes_long_keys_explicitly),
		cmocka_unit_test(test_emit_of_scalar_roots_ends_in_newline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
