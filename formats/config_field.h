/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Field tables shared by the configuration reader and writer: each object
 * of damo's kdamonds document is described once, in damo's key order, with
 * the unit of each key and where it lives in the model.
 */
#ifndef DAMO_FORMATS_CONFIG_FIELD_H
#define DAMO_FORMATS_CONFIG_FIELD_H

#include <stdbool.h>
#include <stddef.h>

struct doc_node;
struct cfg_reader;

enum cfg_kind {
	CK_NR,		/* uint64_t count: "1,000" */
	CK_I64,		/* int64_t: pid, nid */
	CK_SIZE,	/* uint64_t bytes: "4 KiB" */
	CK_US,		/* uint64_t microseconds: "5 ms" */
	CK_MS,		/* uint64_t milliseconds: "1 s" */
	CK_PERMIL,	/* uint64_t permil: "50 %", 400 */
	CK_BP,		/* uint64_t basis points: "4 %", 400 */
	CK_BOOL,	/* bool */
	CK_STR,		/* char *, owned */
	CK_ADDR,	/* uint64_t address: read as a size, written as "4,096" */
	CK_CUSTOM,	/* read/write callbacks */
	CK_IGNORE,	/* accepted on input (damo writes it), never written */
};

enum cfg_field_flags {
	CF_REQ = 1 << 0,	/* required on input */
	CF_NULLABLE = 1 << 1,	/* may be null: bool at @has_off says */
	CF_SKIP_DEFAULT = 1 << 2, /* written only when not zero / unset */
	CF_NO_WRITE = 1 << 3,	/* legacy spelling: read, never written */
};

struct cfg_field {
	const char *key;
	enum cfg_kind kind;
	size_t off;
	unsigned int flags;
	size_t has_off;		/* CF_NULLABLE: offset of the has_* bool */
	/* CK_CUSTOM: fill/describe the field of object @obj */
	int (*read)(struct cfg_reader *r, const struct doc_node *n, void *obj);
	struct doc_node *(*write)(const void *obj, bool raw);
	/* CK_CUSTOM writers: whether to write the key at all (NULL: always) */
	bool (*present)(const void *obj);
};

#endif /* DAMO_FORMATS_CONFIG_FIELD_H */
