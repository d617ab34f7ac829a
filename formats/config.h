/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMON configuration files: damo's kdamonds document and scheme lists, in
 * YAML or JSON (docs/damo-compat.md §2), to and from the core model.
 */
#ifndef DAMO_FORMATS_CONFIG_H
#define DAMO_FORMATS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/damon.h"
#include "formats/doc.h"

struct diag;

enum config_kind {
	CONFIG_KDAMONDS,	/* {"kdamonds": [...]} or a bare kdamond list */
	CONFIG_SCHEMES,		/* [scheme, ...] or {"schemes": [...]} */
};

struct config_file {
	enum config_kind kind;
	enum doc_format format;
	/*
	 * For CONFIG_SCHEMES the schemes are put in one context of one
	 * kdamond (kdamonds[0].contexts[0]) so the model stays one type.
	 */
	struct damon_config cfg;
};

/*
 * config_parse() - read a configuration from @len bytes of @buf.
 * @name: file name for diagnostics (borrowed)
 * @validate: also check the model with damon_config_validate()
 * Every problem is added to @diag with its file, line and column and the key
 * path of the value ("kdamonds[0].contexts[0].schemes[1].action").
 * Return: 0, or -EINVAL with @cf released.
 */
int config_parse(const char *buf, size_t len, const char *name, bool validate,
		 struct config_file *cf, struct diag *diag);

/* config_parse() of a file; "-" reads standard input. -errno on I/O errors. */
int config_load(const char *path, bool validate, struct config_file *cf,
		struct diag *diag);

void config_file_release(struct config_file *cf);

/*
 * config_read_filters() - read @n, a list of damo's DAMOS filter objects (a
 * scheme's "filters", a record's "scheme_filters"), into @s->filters.
 * @file: file name for diagnostics (borrowed)
 * @path: key path of @n for diagnostics, e.g. "[0].scheme_filters"
 * Return: 0, or -EINVAL with every problem in @diag.
 */
int config_read_filters(const struct doc_node *n, const char *file,
			const char *path, struct damos *s, struct diag *diag);

/*
 * config_emit() - @cfg as a damo kdamonds document, in human units (strings
 * like "5 ms", "4 KiB", "50 %") or, with @raw, plain numbers in each key's
 * unit.  Key order follows damo (docs/damo-compat.md §2.3).
 * Return: the text, owned by the caller.
 */
char *config_emit(const struct damon_config *cfg, enum doc_format fmt,
		  bool raw);

/* The same for a scheme list (a bare YAML/JSON list). */
char *config_emit_schemes(const struct damos *schemes, size_t nr,
			  enum doc_format fmt, bool raw);

#endif /* DAMO_FORMATS_CONFIG_H */
