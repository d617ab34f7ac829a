/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The damo JSON record reader's values and record keys: numbers in damo's
 * units read exactly, and what a record is about (indexes, intervals,
 * scheme filters, data source).
 */
#include "formats/record_damo_json.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/damon.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "formats/config.h"
#include "formats/doc.h"

/* Most nodes and depth of a record's scheme_filters: far above real ones. */
#define DJ_TREE_NODES 65536
#define DJ_TREE_DEPTH 16

const char *dj_path(const struct dj *d, char *buf, size_t size)
{
	size_t n = 0;
	int i;

#define APPEND(...)							\
	do {								\
		int k = snprintf(buf + n, size - n, __VA_ARGS__);	\
		if (k > 0)						\
			n += (size_t)k < size - n ? (size_t)k :		\
						    size - n - 1;	\
	} while (0)
	buf[0] = '\0';
	if (!d->single)
		APPEND("[%zu]", d->rec);
	if (d->in_snap)
		APPEND("%ssnapshots[%zu]", n ? "." : "", d->snap);
	if (d->in_reg)
		APPEND(".regions[%zu]", d->reg);
	for (i = 0; i < 3 && d->key[i]; i++)
		APPEND("%s%s", n ? "." : "", d->key[i]);
#undef APPEND
	return buf;
}

void dj_key(struct dj *d, int level, const char *key)
{
	int i;

	d->key[level] = key;
	for (i = level + 1; i < 3; i++)
		d->key[i] = NULL;
}

static int dj_verror(struct dj *d, unsigned int line, unsigned int col,
		     const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

static int dj_verror(struct dj *d, unsigned int line, unsigned int col,
		     const char *fmt, va_list ap)
{
	char path[160], msg[400];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	return jpull_error(&d->jp, line, col, dj_path(d, path, sizeof(path)),
			   "%s", msg);
}

int dj_error(struct dj *d, const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = dj_verror(d, d->jp.tline, d->jp.tcol, fmt, ap);
	va_end(ap);
	return err;
}

int dj_error_at(struct dj *d, unsigned int line, unsigned int col,
		const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = dj_verror(d, line, col, fmt, ap);
	va_end(ap);
	return err;
}

int dj_unexpected(struct dj *d, const char *what)
{
	char found[64];

	if (d->jp.failed)
		return -EINVAL;
	jpull_describe(&d->jp, found, sizeof(found));
	return dj_error(d, "expected %s, found %s", what, found);
}

static int parse_kind(enum dj_kind kind, const char *s, uint64_t *out)
{
	char pct[JPULL_TEXT_MAX + 2];

	switch (kind) {
	case DK_NR:
		return units_parse_nr(s, out);
	case DK_SIZE:
		return units_parse_size(s, out);
	case DK_NS:
		return units_parse_time(s, UNITS_NS, out);
	case DK_US:
		return units_parse_time(s, UNITS_US, out);
	case DK_BP:
		return units_parse_ratio(s, UNITS_BP, out);
	case DK_PCT:
		/* "x%" of a 1e8 scale is x in 1e-6 % units, exactly. */
		snprintf(pct, sizeof(pct), "%s%%", s);
		return units_parse_ratio(pct, 100000000ULL, out);
	}
	return -EINVAL;
}

/*
 * What damo writes nearly everywhere, read without the general parsers:
 * 1 to 19 plain digits (below 10^19, so no overflow), which every kind
 * reads as that integer; for a percentage also 1 to 12 digits, '.' and
 * digits, of which floor(x * 10^6) is exactly what the general parser
 * gives.  False: leave it to parse_kind().
 */
static bool fast_u64(enum dj_kind kind, const char *s, size_t n,
		     uint64_t *out)
{
	uint64_t v = 0;
	size_t i, dot = n, nf;

	if (!n || n > 19)
		return false;
	for (i = 0; i < n; i++) {
		unsigned int c = (unsigned char)s[i] - '0';

		if (c > 9) {
			if (s[i] != '.' || kind != DK_PCT || dot != n)
				return false;
			dot = i;
			continue;
		}
		v = v * 10 + c;
	}
	if (kind != DK_PCT) {
		*out = v;
		return true;
	}
	if (!dot || dot > 12 || dot == n - 1)
		return false;
	/* v holds all the digits; scale to 6 fraction digits, truncating. */
	nf = dot == n ? 0 : n - dot - 1;
	for (; nf < 6; nf++)
		v *= 10;
	for (; nf > 6; nf--)
		v /= 10;
	*out = v;
	return true;
}

int dj_u64(struct dj *d, enum dj_kind kind, bool nullable, uint64_t *out)
{
	static const char *const words[] = {
		[DK_NR] = "count", [DK_SIZE] = "size", [DK_NS] = "time",
		[DK_US] = "time", [DK_BP] = "ratio", [DK_PCT] = "percentage",
	};
	enum jtok t = jpull_next(&d->jp);
	int err;

	if (t == JT_NULL && nullable) {
		*out = SNAP_NONE;
		return 0;
	}
	if (t != JT_NUMBER && t != JT_STRING)
		return dj_unexpected(d, nullable ? "a number, string or null" :
					 "a number or string");
	if (d->jp.long_text)
		return dj_error(d, "%s value too long", words[kind]);
	if (fast_u64(kind, d->jp.text, d->jp.len, out))
		return 0;
	err = parse_kind(kind, d->jp.text, out);
	if (err == -ERANGE)
		return dj_error(d, "%s '%s' out of range", words[kind],
				d->jp.text);
	if (err)
		return dj_error(d, "invalid %s '%s'", words[kind], d->jp.text);
	return 0;
}

const struct dj_field *dj_find(const struct dj_field *fields, const char *key)
{
	for (; fields->key; fields++)
		if (!strcmp(fields->key, key))
			return fields;
	return NULL;
}

int dj_flat(struct dj *d, const struct dj_field *fields, void *obj)
{
	const struct dj_field *f;
	int level = d->key[0] ? (d->key[1] ? 2 : 1) : 0;
	bool first = true;
	int r;

	if (jpull_next(&d->jp) != JT_LBRACE)
		return dj_unexpected(d, "an object");
	while ((r = jpull_obj_key(&d->jp, first)) > 0) {
		first = false;
		f = dj_find(fields, d->jp.key);
		if (!f) {
			r = jpull_skip(&d->jp);
		} else {
			if (level < 3)
				dj_key(d, level, f->key);
			r = dj_u64(d, f->kind, false,
				   (uint64_t *)((char *)obj + f->off));
		}
		if (r)
			return -EINVAL;
	}
	if (level < 3)
		d->key[level] = NULL;
	return r;
}

/* A kdamond, context or scheme index: null, or >= 0 (-1 when @stat). */
static int dj_index(struct dj *d, bool stat, uint64_t *out, bool *is_stat)
{
	enum jtok t = jpull_next(&d->jp);
	int64_t v;

	*out = SNAP_NONE;
	if (t == JT_NULL)
		return 0;
	if (t != JT_NUMBER && t != JT_STRING)
		return dj_unexpected(d, "an index or null");
	if (d->jp.long_text || units_parse_i64(d->jp.text, &v) ||
	    (v < 0 && !(stat && v == -1)))
		return dj_error(d, "invalid index '%s'", d->jp.text);
	*out = (uint64_t)v;
	if (is_stat)
		*is_stat = v == -1;
	return 0;
}

static const struct dj_field iv_fields[] = {
	{ "sample_us", DK_US, offsetof(struct damon_intervals, sample_us) },
	{ "aggr_us", DK_US, offsetof(struct damon_intervals, aggr_us) },
	{ "ops_update_us", DK_US,
	  offsetof(struct damon_intervals, ops_update_us) },
	{ NULL },
}, goal_fields[] = {
	{ "access_bp", DK_BP, offsetof(struct damon_intervals_goal, access_bp) },
	{ "aggrs", DK_NR, offsetof(struct damon_intervals_goal, aggrs) },
	{ "min_sample_us", DK_US,
	  offsetof(struct damon_intervals_goal, min_sample_us) },
	{ "max_sample_us", DK_US,
	  offsetof(struct damon_intervals_goal, max_sample_us) },
	{ NULL },
};

static int dj_interval_key(struct dj *d, struct damon_intervals *iv)
{
	const struct dj_field *f = dj_find(iv_fields, d->jp.key);

	if (f) {
		dj_key(d, 1, f->key);
		return dj_u64(d, f->kind, false,
			      (uint64_t *)((char *)iv + f->off));
	}
	if (strcmp(d->jp.key, "intervals_goal"))
		return jpull_skip(&d->jp);
	dj_key(d, 1, "intervals_goal");
	if (jpull_peek(&d->jp) == JT_NULL)
		return jpull_skip(&d->jp);
	return dj_flat(d, goal_fields, &iv->goal);
}

static int dj_intervals(struct dj *d, struct record_meta *m)
{
	struct damon_intervals *iv = &m->intervals;
	unsigned int line, col;
	bool first = true;
	int r;

	memset(iv, 0, sizeof(*iv));
	iv->sample_us = SNAP_NONE;
	iv->aggr_us = SNAP_NONE;
	iv->ops_update_us = 1000000;	/* damo's default */
	m->has_intervals = false;
	if (jpull_next(&d->jp) == JT_NULL)
		return 0;
	if (d->jp.tok != JT_LBRACE)
		return dj_unexpected(d, "an object or null");
	line = d->jp.tline;
	col = d->jp.tcol;
	while ((r = jpull_obj_key(&d->jp, first)) > 0) {
		first = false;
		if (dj_interval_key(d, iv))
			return -EINVAL;
	}
	dj_key(d, 1, NULL);
	if (r)
		return r;
	if (iv->sample_us == SNAP_NONE || iv->aggr_us == SNAP_NONE)
		return dj_error_at(d, line, col, "missing key '%s'",
				   iv->sample_us == SNAP_NONE ? "sample_us" :
				   "aggr_us");
	m->has_intervals = true;
	return 0;
}

static struct doc_node *dj_tree(struct dj *d, size_t *budget, int depth);

/* The members of a map whose '{' was taken. */
static struct doc_node *dj_tree_map(struct dj *d, size_t *budget, int depth)
{
	struct doc_node *n = doc_new_map(), *c;
	bool first = true;
	char *key;
	long i;
	int r;

	while ((r = jpull_obj_key(&d->jp, first)) > 0) {
		unsigned int kl = d->jp.kline, kc = d->jp.kcol;

		first = false;
		key = xstrdup(d->jp.key);
		c = dj_tree(d, budget, depth + 1);
		i = c ? doc_map_index(n, key) : -1;
		if (!c) {
			r = -EINVAL;
		} else if (i >= 0) {
			/* Python's json keeps the last one. */
			doc_free(n->items[i]);
			n->items[i] = c;
		} else {
			doc_map_add(n, key, c);
			n->key_lines[n->nr - 1] = kl;
			n->key_cols[n->nr - 1] = kc;
		}
		free(key);
		if (r < 0)
			break;
	}
	if (r < 0) {
		doc_free(n);
		return NULL;
	}
	return n;
}

/* The items of a sequence whose '[' was taken. */
static struct doc_node *dj_tree_seq(struct dj *d, size_t *budget, int depth)
{
	struct doc_node *n = doc_new_seq(), *c;
	bool first = true;
	int r;

	while ((r = jpull_arr_more(&d->jp, first)) > 0) {
		first = false;
		c = dj_tree(d, budget, depth + 1);
		if (!c) {
			r = -EINVAL;
			break;
		}
		doc_seq_add(n, c);
	}
	if (r < 0) {
		doc_free(n);
		return NULL;
	}
	return n;
}

/* A doc tree of the next value, for the configuration reader. */
static struct doc_node *dj_tree(struct dj *d, size_t *budget, int depth)
{
	enum jtok t = jpull_next(&d->jp);
	unsigned int line = d->jp.tline, col = d->jp.tcol;
	struct doc_node *n;

	if (t == JT_ERR)
		return NULL;
	if (!(*budget)-- || depth > DJ_TREE_DEPTH) {
		dj_error(d, "scheme_filters too large or too deep");
		return NULL;
	}
	if ((t == JT_STRING || t == JT_NUMBER) && d->jp.long_text) {
		dj_error(d, "value too long");
		return NULL;
	}
	switch (t) {
	case JT_LBRACE:
		n = dj_tree_map(d, budget, depth);
		break;
	case JT_LBRACK:
		n = dj_tree_seq(d, budget, depth);
		break;
	case JT_STRING:
		n = doc_new_string(d->jp.text);
		break;
	case JT_NUMBER:
		n = doc_new_number(d->jp.text);
		break;
	case JT_TRUE:
	case JT_FALSE:
		n = doc_new_bool(t == JT_TRUE);
		break;
	case JT_NULL:
		n = doc_new_null();
		break;
	default:
		dj_unexpected(d, "a value");
		return NULL;
	}
	if (n) {
		n->line = line;
		n->col = col;
	}
	return n;
}

/*
 * Drop the keys of filter @n that damo's reader does not read, so that
 * keys a later damo adds do not make the record unreadable.
 */
static void prune_filter(struct doc_node *n)
{
	static const char *const known[] = {
		"filter_type", "matching", "allow", "filter_pass", "memcg_path",
		"address_range", "damon_target_idx", "hugepage_size",
	};
	size_t i, j, k;

	if (n->kind != DOC_MAP)
		return;
	for (i = j = 0; i < n->nr; i++) {
		for (k = 0; k < ARRAY_SIZE(known); k++)
			if (!strcmp(n->keys[i], known[k]))
				break;
		if (k == ARRAY_SIZE(known)) {
			free(n->keys[i]);
			doc_free(n->items[i]);
			continue;
		}
		n->keys[j] = n->keys[i];
		n->items[j] = n->items[i];
		n->key_lines[j] = n->key_lines[i];
		n->key_cols[j++] = n->key_cols[i];
	}
	n->nr = j;
}

static int dj_filters(struct record_reader *rd, struct dj *d)
{
	struct record_meta *m = &rd->meta;
	size_t budget = DJ_TREE_NODES, i;
	struct doc_node *root;
	char path[160];
	struct damos s;
	int err;

	root = dj_tree(d, &budget, 0);
	if (!root)
		return -EINVAL;
	for (i = 0; root->kind == DOC_SEQ && i < root->nr; i++)
		prune_filter(root->items[i]);
	damos_init(&s);
	err = config_read_filters(root, rd->path, dj_path(d, path, sizeof(path)),
				  &s, rd->diag);
	doc_free(root);
	if (err) {
		damos_release(&s);
		d->jp.failed = true;	/* reported by the config reader */
		return -EINVAL;
	}
	for (i = 0; i < m->nr_scheme_filters; i++)
		free(m->scheme_filters[i].memcg_path);
	free(m->scheme_filters);
	m->scheme_filters = s.filters;
	m->nr_scheme_filters = s.nr_filters;
	s.filters = NULL;
	s.nr_filters = 0;
	damos_release(&s);
	return 0;
}

static int dj_data_source(struct dj *d, struct record_meta *m)
{
	enum jtok t = jpull_next(&d->jp);

	if (t != JT_STRING && t != JT_NULL)
		return dj_unexpected(d, "a string or null");
	if (d->jp.long_text)
		return dj_error(d, "value too long");
	free(m->data_source);
	m->data_source = xstrdup(t == JT_NULL ? "unknown" : d->jp.text);
	return 0;
}

/* One key of a record other than "snapshots". */
static int dj_record_key(struct record_reader *rd, struct dj *d,
			 const char *k)
{
	struct record_meta *m = &rd->meta;

	if (!strcmp(k, "kdamond_idx")) {
		dj_key(d, 0, "kdamond_idx");
		return dj_index(d, true, &m->kdamond_idx, &m->kdamond_is_stat);
	}
	if (!strcmp(k, "context_idx")) {
		dj_key(d, 0, "context_idx");
		return dj_index(d, false, &m->context_idx, NULL);
	}
	if (!strcmp(k, "scheme_idx")) {
		dj_key(d, 0, "scheme_idx");
		return dj_index(d, false, &m->scheme_idx, NULL);
	}
	if (!strcmp(k, "target_id")) {
		dj_key(d, 0, "target_id");
		return dj_u64(d, DK_NR, true, &m->target_id);
	}
	if (!strcmp(k, "intervals")) {
		dj_key(d, 0, "intervals");
		d->iv_seen = true;
		return dj_intervals(d, m);
	}
	if (!strcmp(k, "scheme_filters")) {
		dj_key(d, 0, "scheme_filters");
		return dj_filters(rd, d);
	}
	if (!strcmp(k, "data_source")) {
		dj_key(d, 0, "data_source");
		return dj_data_source(d, m);
	}
	return jpull_skip(&d->jp);
}

/*
 * Skip a record's snapshots at memory speed; when the fast skipper gives
 * up, from where they start again with the one that says what is wrong.
 */
static int skip_snapshots(struct record_reader *rd, struct dj *d)
{
	unsigned int line = d->jp.line, col = d->jp.col;
	struct rsrc_mark again;

	rsrc_mark(&rd->src, &again);
	if (!jpull_skip_fast(&d->jp)) {
		rsrc_mark_release(&again);
		return 0;
	}
	rsrc_reset(&rd->src, &again);
	d->jp.line = line;
	d->jp.col = col;
	return jpull_skip(&d->jp);
}

int dj_record_keys(struct record_reader *rd, struct dj *d,
		   struct rsrc_mark *mark, unsigned int *line,
		   unsigned int *col)
{
	bool first = true, found = false;
	int r;

	while ((r = jpull_obj_key(&d->jp, first)) > 0) {
		first = false;
		if (strcmp(d->jp.key, "snapshots")) {
			r = dj_record_key(rd, d, d->jp.key);
			dj_key(d, 0, NULL);
		} else if (rd->one_pass && d->iv_seen && !found) {
			return 2;
		} else {
			/* Python's json keeps the last of duplicated keys. */
			if (found)
				rsrc_mark_release(mark);
			rsrc_mark(&rd->src, mark);
			*line = d->jp.line;
			*col = d->jp.col;
			found = true;
			r = skip_snapshots(rd, d);
		}
		if (r) {
			r = -EINVAL;
			break;
		}
	}
	if (r < 0 && found)
		rsrc_mark_release(mark);
	return r < 0 ? r : found;
}

int dj_record_tail(struct record_reader *rd, struct dj *d)
{
	static const char *const before[] = {
		"snapshots", "kdamond_idx", "context_idx", "scheme_idx",
		"target_id", "intervals", "scheme_filters",
	};
	size_t i;
	int r;

	while ((r = jpull_obj_key(&d->jp, false)) > 0) {
		for (i = 0; i < ARRAY_SIZE(before); i++)
			if (!strcmp(d->jp.key, before[i])) {
				dj_key(d, 0, before[i]);
				return dj_error_at(d, d->jp.kline, d->jp.kcol,
						   "key '%s' after the snapshots, which were read with the record's keys before them",
						   before[i]);
			}
		r = dj_record_key(rd, d, d->jp.key);
		dj_key(d, 0, NULL);
		if (r)
			return -EINVAL;
	}
	return r;
}
