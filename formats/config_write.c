/* SPDX-License-Identifier: GPL-2.0 */
/* Writing the model as a damo kdamonds document or scheme list. */
#include "formats/config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/damon.h"
#include "core/units.h"
#include "formats/config_internal.h"
#include "formats/doc.h"

struct doc_node *wr_u64(uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	return doc_new_number(buf);
}

struct doc_node *wr_scalar(enum cfg_kind kind, const void *src, bool raw)
{
	char buf[UNITS_BUFSZ];
	uint64_t v = 0;

	if (kind == CK_BOOL)
		return doc_new_bool(*(const bool *)src);
	if (kind == CK_STR) {
		const char *s = *(const char *const *)src;

		return s ? doc_new_string(s) : doc_new_null();
	}
	if (kind == CK_I64) {
		snprintf(buf, sizeof(buf), "%" PRId64, *(const int64_t *)src);
		return doc_new_number(buf);
	}
	v = *(const uint64_t *)src;
	if (raw)
		return wr_u64(v);
	switch (kind) {
	case CK_SIZE:
		return doc_new_string(units_fmt_sz_exact(buf, v, false));
	case CK_US:
		return doc_new_string(units_fmt_time_exact(buf, v, UNITS_US,
							   false));
	case CK_MS:
		return doc_new_string(units_fmt_time_exact(buf, v, UNITS_MS,
							   false));
	case CK_PERMIL:
		return doc_new_string(units_fmt_ratio(buf, v, UNITS_PERMIL,
						      false));
	case CK_BP:
		return doc_new_string(units_fmt_ratio(buf, v, UNITS_BP, false));
	default:
		/* counts below 1,000 read best as plain numbers */
		return v < 1000 ? wr_u64(v) :
				  doc_new_string(units_fmt_nr(buf, v, false));
	}
}

static bool is_default(const struct cfg_field *f, const char *base)
{
	switch (f->kind) {
	case CK_BOOL:
		return !*(const bool *)(base + f->off);
	case CK_STR:
		return !*(char *const *)(base + f->off);
	case CK_I64:
		return f->flags & CF_NULLABLE && !*(const bool *)(base + f->has_off);
	case CK_CUSTOM:
		return false;
	default:
		return !*(const uint64_t *)(base + f->off);
	}
}

struct doc_node *wr_obj(const struct cfg_field *fields, const void *obj,
			bool raw)
{
	struct doc_node *map = doc_new_map();
	const char *base = obj;
	const struct cfg_field *f;

	for (f = fields; f->key; f++) {
		if (f->kind == CK_IGNORE || f->flags & CF_NO_WRITE)
			continue;
		if (f->present && !f->present(obj))
			continue;
		if (f->flags & CF_SKIP_DEFAULT && is_default(f, base))
			continue;
		if (f->kind == CK_CUSTOM)
			doc_map_add(map, f->key, f->write(obj, raw));
		else if (f->flags & CF_NULLABLE &&
			 !*(const bool *)(base + f->has_off))
			doc_map_add(map, f->key, doc_new_null());
		else
			doc_map_add(map, f->key, wr_scalar(f->kind,
							   base + f->off, raw));
	}
	return map;
}

char *config_emit(const struct damon_config *cfg, enum doc_format fmt,
		  bool raw)
{
	struct doc_node *root = doc_new_map();
	struct doc_node *list = doc_new_seq();
	char *text;
	size_t i;

	for (i = 0; i < cfg->nr_kdamonds; i++)
		doc_seq_add(list, wr_obj(cfg_kdamond_fields, &cfg->kdamonds[i],
					 raw));
	doc_map_add(root, "kdamonds", list);
	text = doc_emit(root, fmt);
	doc_free(root);
	return text;
}

char *config_emit_schemes(const struct damos *schemes, size_t nr,
			  enum doc_format fmt, bool raw)
{
	struct doc_node *list = doc_new_seq();
	char *text;
	size_t i;

	for (i = 0; i < nr; i++)
		doc_seq_add(list, wr_obj(cfg_scheme_fields, &schemes[i], raw));
	text = doc_emit(list, fmt);
	doc_free(list);
	return text;
}
