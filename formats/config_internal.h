/* SPDX-License-Identifier: GPL-2.0 */
/* Internals shared by config_read.c, config_write.c and config_tables.c. */
#ifndef DAMO_FORMATS_CONFIG_INTERNAL_H
#define DAMO_FORMATS_CONFIG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "formats/config_field.h"

struct diag;
struct doc_node;

#define CFG_PATH_LEN 256

struct cfg_pos {
	char *path;
	unsigned int line;
	unsigned int col;
};

/* State of one configuration read. */
struct cfg_reader {
	struct diag *diag;
	const char *file;
	char path[CFG_PATH_LEN];	/* key path of the node being read */
	size_t path_len;
	struct cfg_pos *pos;		/* where each path stands in the file */
	size_t nr_pos;
	size_t cap_pos;
	size_t nr_errors;
};

/* Extend the current path by ".key" / "[idx]"; return the length to pop to. */
size_t rd_push_key(struct cfg_reader *r, const char *key);
size_t rd_push_idx(struct cfg_reader *r, size_t idx);
void rd_pop(struct cfg_reader *r, size_t len);

/* Remember where the current path stands in the file: at @n. */
void rd_note_pos(struct cfg_reader *r, const struct doc_node *n);

/* Report key @i of @map as unknown, at the key, under its own path. */
void rd_unknown_key(struct cfg_reader *r, const struct doc_node *map,
		    size_t i);

/* Report a problem at @n (its line and column) under the current path. */
void rd_err(struct cfg_reader *r, const struct doc_node *n, const char *fmt,
	    ...) __attribute__((format(printf, 3, 4)));

/*
 * rd_obj() - read map @n into @obj with @fields (terminated by a NULL key).
 * Unknown keys and missing required keys are errors.  Return 0 or -EINVAL.
 */
int rd_obj(struct cfg_reader *r, const struct doc_node *n,
	   const struct cfg_field *fields, void *obj);

/*
 * rd_list() - read sequence @n: for each item call @add to get a new element
 * of the container @obj, then @read_item on it.
 */
int rd_list(struct cfg_reader *r, const struct doc_node *n, void *obj,
	    void *(*add)(void *obj),
	    int (*read_item)(struct cfg_reader *r, const struct doc_node *n,
			     void *item));

/* Scalar of @kind from @n into @dst (see enum cfg_kind). */
int rd_scalar(struct cfg_reader *r, const struct doc_node *n,
	      enum cfg_kind kind, void *dst);

/* Text of a scalar node, or NULL (with an error) for maps and lists. */
const char *rd_text(struct cfg_reader *r, const struct doc_node *n);

/*
 * rd_load_file() - read all of @path ("-": standard input), at most 64 MiB,
 * into *@buf (NUL-terminated, owned by the caller) and *@len.  *@name gets
 * the name to show for it ("<stdin>" or @path, borrowed).  Problems go to
 * @diag.  Return: 0 or -errno.
 */
int rd_load_file(const char *path, const char **name, char **buf,
		 size_t *len, struct diag *diag);

/* Write @obj with @fields into a new map node. */
struct doc_node *wr_obj(const struct cfg_field *fields, const void *obj,
			bool raw);
/* A scalar of @kind from @src. */
struct doc_node *wr_scalar(enum cfg_kind kind, const void *src, bool raw);
struct doc_node *wr_u64(uint64_t v);

extern const struct cfg_field cfg_kdamond_fields[];
extern const struct cfg_field cfg_scheme_fields[];

/* Allocators matching rd_list()'s @add for the top-level lists. */
void *cfg_add_kdamond(void *cfg);
void *cfg_add_scheme(void *ctx);

#endif /* DAMO_FORMATS_CONFIG_INTERNAL_H */
