/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small document tree shared by the YAML and JSON readers and writers.
 * Scalars keep their source text, so 64-bit numbers never pass through a
 * double, and every node keeps its line and column for error messages.
 */
#ifndef DAMO_FORMATS_DOC_H
#define DAMO_FORMATS_DOC_H

#include <stdbool.h>
#include <stddef.h>

struct diag;

enum doc_kind {
	DOC_NULL,	/* JSON null, YAML ~ / null / empty value */
	DOC_BOOL,	/* JSON true/false; YAML plain true/false */
	DOC_NUMBER,	/* JSON number; YAML plain scalar that looks numeric */
	DOC_STRING,	/* everything else that is a scalar */
	DOC_MAP,
	DOC_SEQ,
};

struct doc_node {
	enum doc_kind kind;
	unsigned int line;	/* 1-based position of the node's first char */
	unsigned int col;
	char *text;		/* scalars: the value as written (unescaped) */
	bool boolean;		/* DOC_BOOL */
	/* DOC_MAP: keys[i] -> items[i]; DOC_SEQ: items[i], keys NULL */
	char **keys;
	unsigned int *key_lines;	/* position of each key (DOC_MAP) */
	unsigned int *key_cols;
	struct doc_node **items;
	size_t nr;
	size_t cap;
};

enum doc_format {
	DOC_FMT_YAML,
	DOC_FMT_JSON,
};

/*
 * doc_parse() - parse @len bytes of @buf as JSON (when the first non-blank
 * character is '{' or '[', and it parses as JSON) or YAML (libyaml).
 * @name: file name used in diagnostics (borrowed)
 * @fmt: if not NULL, receives the format that was detected
 * Syntax errors are added to @diag with their line and column.  Duplicate
 * keys in one mapping are errors too.
 * Return: the root node, owned by the caller (doc_free()), or NULL.
 */
struct doc_node *doc_parse(const char *buf, size_t len, const char *name,
			   enum doc_format *fmt, struct diag *diag);
struct doc_node *doc_parse_json(const char *buf, size_t len, const char *name,
				struct diag *diag);
struct doc_node *doc_parse_yaml(const char *buf, size_t len, const char *name,
				struct diag *diag);

void doc_free(struct doc_node *n);

/* Constructors for writers; strings are copied. */
struct doc_node *doc_new_map(void);
struct doc_node *doc_new_seq(void);
struct doc_node *doc_new_null(void);
struct doc_node *doc_new_bool(bool v);
/* A number written bare in JSON and YAML; @text must be a JSON number. */
struct doc_node *doc_new_number(const char *text);
struct doc_node *doc_new_string(const char *text);
/* Add @child (ownership moves) under @key to a map, or to a sequence. */
void doc_map_add(struct doc_node *map, const char *key, struct doc_node *child);
void doc_seq_add(struct doc_node *seq, struct doc_node *child);

/* Look a key up in a map; NULL when absent or @map is not a map. */
struct doc_node *doc_map_get(const struct doc_node *map, const char *key);
/* Index of @key in @map, or -1. */
long doc_map_index(const struct doc_node *map, const char *key);

/*
 * doc_emit() - write @root as YAML (block style, two-space indent, strings
 * quoted only where YAML needs it) or JSON (four-space indent like damo's
 * json.dumps(indent=4)).  Ends with a newline.
 * Return: a NUL-terminated string owned by the caller.
 */
char *doc_emit(const struct doc_node *root, enum doc_format fmt);

#endif /* DAMO_FORMATS_DOC_H */
