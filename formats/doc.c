/* SPDX-License-Identifier: GPL-2.0 */
/* Document tree nodes, map and sequence helpers, and format detection. */
#include "doc.h"

#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/xalloc.h"

static struct doc_node *doc_new(enum doc_kind kind)
{
	struct doc_node *n = xcalloc(1, sizeof(*n));

	n->kind = kind;
	return n;
}

struct doc_node *doc_new_map(void)
{
	return doc_new(DOC_MAP);
}

struct doc_node *doc_new_seq(void)
{
	return doc_new(DOC_SEQ);
}

struct doc_node *doc_new_null(void)
{
	struct doc_node *n = doc_new(DOC_NULL);

	n->text = xstrdup("null");
	return n;
}

struct doc_node *doc_new_bool(bool v)
{
	struct doc_node *n = doc_new(DOC_BOOL);

	n->boolean = v;
	n->text = xstrdup(v ? "true" : "false");
	return n;
}

struct doc_node *doc_new_number(const char *text)
{
	struct doc_node *n = doc_new(DOC_NUMBER);

	n->text = xstrdup(text);
	return n;
}

struct doc_node *doc_new_string(const char *text)
{
	struct doc_node *n = doc_new(DOC_STRING);

	n->text = xstrdup(text);
	return n;
}

void doc_free(struct doc_node *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->nr; i++) {
		if (n->keys)
			free(n->keys[i]);
		doc_free(n->items[i]);
	}
	free(n->keys);
	free(n->key_lines);
	free(n->key_cols);
	free(n->items);
	free(n->text);
	free(n);
}

/* Make room for one more child; maps grow their key arrays alongside. */
static void doc_grow(struct doc_node *n)
{
	size_t cap;

	if (n->nr < n->cap)
		return;
	cap = n->cap ? n->cap * 2 : 4;
	n->items = xreallocarray(n->items, cap, sizeof(*n->items));
	if (n->kind == DOC_MAP) {
		n->keys = xreallocarray(n->keys, cap, sizeof(*n->keys));
		n->key_lines = xreallocarray(n->key_lines, cap,
					     sizeof(*n->key_lines));
		n->key_cols = xreallocarray(n->key_cols, cap,
					    sizeof(*n->key_cols));
	}
	n->cap = cap;
}

void doc_map_add(struct doc_node *map, const char *key, struct doc_node *child)
{
	doc_grow(map);
	map->keys[map->nr] = xstrdup(key);
	map->key_lines[map->nr] = 0;
	map->key_cols[map->nr] = 0;
	map->items[map->nr++] = child;
}

void doc_seq_add(struct doc_node *seq, struct doc_node *child)
{
	doc_grow(seq);
	seq->items[seq->nr++] = child;
}

long doc_map_index(const struct doc_node *map, const char *key)
{
	size_t i;

	if (!map || map->kind != DOC_MAP)
		return -1;
	for (i = 0; i < map->nr; i++)
		if (!strcmp(map->keys[i], key))
			return (long)i;
	return -1;
}

struct doc_node *doc_map_get(const struct doc_node *map, const char *key)
{
	long i = doc_map_index(map, key);

	return i < 0 ? NULL : map->items[i];
}

/* True when the first significant byte of @buf opens a JSON container. */
static bool doc_looks_like_json(const char *buf, size_t len)
{
	size_t i = 0;

	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' ||
			   buf[i] == '\n' || buf[i] == '\r'))
		i++;
	return i < len && (buf[i] == '{' || buf[i] == '[');
}

struct doc_node *doc_parse(const char *buf, size_t len, const char *name,
			   enum doc_format *fmt, struct diag *diag)
{
	if (doc_looks_like_json(buf, len)) {
		if (fmt)
			*fmt = DOC_FMT_JSON;
		return doc_parse_json(buf, len, name, diag);
	}
	if (fmt)
		*fmt = DOC_FMT_YAML;
	return doc_parse_yaml(buf, len, name, diag);
}
