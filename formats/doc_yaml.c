/* SPDX-License-Identifier: GPL-2.0 */
/* Build a document tree from libyaml's events, with positions. */
#include "doc.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "core/diag.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "formats/doc_keys.h"

#define YAML_MAX_DEPTH 128
#define YAML_MAX_ALIAS_NODES 100000
#define YAML_MAX_ALIAS_BYTES (16 << 20)

/* How much a subtree weighs when an alias copies it. */
struct yp_size {
	size_t nodes;
	size_t bytes;		/* of scalar text and keys */
	unsigned int height;	/* collections on its deepest path */
};

struct yp_anchor {
	char *name;
	struct doc_node *node;
	bool done;		/* the node is complete */
	bool owned;		/* a mapping key: not part of the tree */
	struct yp_size size;
};

struct yp {
	yaml_parser_t parser;
	const char *buf;
	size_t len;
	const char *name;
	struct diag *diag;
	struct yp_anchor *anchors;
	size_t nr_anchors;
	size_t cap_anchors;
	struct yp_size expanded;	/* created by expanding aliases */
	size_t *line_starts;		/* byte offset of each line */
	size_t nr_lines;
	size_t cur_index;		/* yp_offset(): character index ... */
	size_t cur_off;			/* ... and its byte offset */
};

/*
 * Where each line starts, with libyaml's line breaks (CR, LF, CR LF, NEL,
 * LS, PS), so that its marks can be turned into byte offsets.
 */
static void yp_index_lines(struct yp *p)
{
	const unsigned char *s = (const unsigned char *)p->buf;
	size_t i = 0, cap = 0, brk;

	if (p->len >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
		i = 3;
	xgrow((void **)&p->line_starts, 0, &cap, sizeof(*p->line_starts));
	p->line_starts[p->nr_lines++] = i;
	p->cur_off = i;
	while (i < p->len) {
		if (s[i] == '\r')
			brk = i + 1 < p->len && s[i + 1] == '\n' ? 2 : 1;
		else if (s[i] == '\n')
			brk = 1;
		else if (p->len - i >= 2 && s[i] == 0xc2 && s[i + 1] == 0x85)
			brk = 2;
		else if (p->len - i >= 3 && s[i] == 0xe2 && s[i + 1] == 0x80 &&
			 (s[i + 2] == 0xa8 || s[i + 2] == 0xa9))
			brk = 3;
		else
			brk = 0;
		i += brk ? brk : 1;
		if (!brk)
			continue;
		xgrow((void **)&p->line_starts, p->nr_lines, &cap,
		      sizeof(*p->line_starts));
		p->line_starts[p->nr_lines++] = i;
	}
}

/*
 * Byte offset of a libyaml mark, whose index and column count characters.
 * Marks arrive mostly in order, so a cursor moves forward from the last one.
 */
static size_t yp_offset(struct yp *p, const yaml_mark_t *m)
{
	if (m->index < p->cur_index) {
		p->cur_index = 0;
		p->cur_off = p->line_starts[0];
	}
	while (p->cur_index < m->index && p->cur_off < p->len) {
		p->cur_off++;
		while (p->cur_off < p->len &&
		       ((unsigned char)p->buf[p->cur_off] & 0xc0) == 0x80)
			p->cur_off++;
		p->cur_index++;
	}
	return p->cur_off;
}

/* 1-based byte column of a mark, as the JSON reader counts them. */
static unsigned int yp_col(struct yp *p, const yaml_mark_t *m)
{
	size_t off = yp_offset(p, m);

	if (m->line >= p->nr_lines || off < p->line_starts[m->line])
		return (unsigned int)m->column + 1;
	return (unsigned int)(off - p->line_starts[m->line] + 1);
}

/* Report an error at a libyaml mark (0-based). */
#define yp_error(p, mark, ...) \
	diag_add_at((p)->diag, (p)->name, (unsigned int)(mark).line + 1, \
		    yp_col(p, &(mark)), "", __VA_ARGS__)

/* A reader error carries a byte offset only: find its line and column. */
static void yp_reader_error(struct yp *p)
{
	size_t off = p->parser.problem_offset, i, start = 0;
	unsigned int line = 1, col;
	const char *what = p->parser.problem ? p->parser.problem :
			   "invalid input";

	if (off > p->len)
		off = p->len;
	if (p->len >= 3 && !memcmp(p->buf, "\xef\xbb\xbf", 3))
		start = 3;
	for (i = start; i < off; i++) {
		if (p->buf[i] == '\n') {
			line++;
			start = i + 1;
		}
	}
	col = (unsigned int)(off - start + 1);
	if (p->parser.problem_value >= 0)
		diag_add_at(p->diag, p->name, line, col, "", "%s (0x%x)", what,
			    p->parser.problem_value);
	else
		diag_add_at(p->diag, p->name, line, col, "", "%s", what);
}

/*
 * libyaml reports where it gave up.  When that is the end of the input or
 * the line after a key without ':', the start of what it was scanning (the
 * context mark) is where the mistake is.
 */
static bool yp_use_context_mark(const yaml_parser_t *y, const char *what)
{
	return y->error == YAML_SCANNER_ERROR && y->context &&
	       (strstr(what, "end of stream") || strstr(what, "expected ':'"));
}

static void yp_parser_error(struct yp *p)
{
	const yaml_parser_t *y = &p->parser;
	const char *what = y->problem ? y->problem : "invalid YAML";
	size_t at = yp_offset(p, &y->problem_mark);

	if (y->error == YAML_MEMORY_ERROR)
		diag_add(p->diag, "", "out of memory while reading YAML");
	else if (y->error == YAML_READER_ERROR)
		yp_reader_error(p);
	else if (y->error == YAML_SCANNER_ERROR && at < p->len &&
		 p->buf[at] == '\t')
		yp_error(p, y->problem_mark,
			 "tab character where YAML allows only spaces (indent with spaces)");
	else if (yp_use_context_mark(y, what) &&
		 !strcmp(y->context, "while scanning a quoted scalar"))
		yp_error(p, y->context_mark, "unterminated quoted string");
	else if (yp_use_context_mark(y, what))
		yp_error(p, y->context_mark, "%s %s", what, y->context);
	else if (y->context)
		yp_error(p, y->problem_mark, "%s %s", what, y->context);
	else
		yp_error(p, y->problem_mark, "%s", what);
}

static bool yp_next(struct yp *p, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&p->parser, ev)) {
		yp_parser_error(p);
		return false;
	}
	return true;
}

static size_t yp_add_anchor(struct yp *p, const yaml_char_t *name,
			    struct doc_node *node, bool done)
{
	struct yp_anchor *a;

	xgrow((void **)&p->anchors, p->nr_anchors, &p->cap_anchors,
	      sizeof(*p->anchors));
	a = &p->anchors[p->nr_anchors];
	memset(a, 0, sizeof(*a));
	a->name = xstrdup((const char *)name);
	a->node = node;
	a->done = done;
	a->size.nodes = 1;
	a->size.bytes = node->text ? strlen(node->text) : 0;
	return p->nr_anchors++;
}

/* The latest anchor called @name: YAML lets a name be reused. */
static struct yp_anchor *yp_find_anchor(struct yp *p, const yaml_char_t *name)
{
	size_t i = p->nr_anchors;

	while (i--)
		if (!strcmp(p->anchors[i].name, (const char *)name))
			return &p->anchors[i];
	return NULL;
}

/* Add @n's nodes and bytes to @sz; return its height. */
static unsigned int yp_measure(const struct doc_node *n, struct yp_size *sz)
{
	unsigned int h, max = 0;
	size_t i;

	sz->nodes++;
	sz->bytes += n->text ? strlen(n->text) : 0;
	for (i = 0; i < n->nr; i++) {
		if (n->kind == DOC_MAP)
			sz->bytes += strlen(n->keys[i]);
		h = yp_measure(n->items[i], sz);
		if (h > max)
			max = h;
	}
	return n->kind == DOC_MAP || n->kind == DOC_SEQ ? max + 1 : 0;
}

static struct doc_node *yp_copy(const struct doc_node *n)
{
	struct doc_node *c = n->kind == DOC_MAP ? doc_new_map() :
			     doc_new_seq();
	size_t i;

	c->kind = n->kind;
	c->line = n->line;
	c->col = n->col;
	c->boolean = n->boolean;
	c->text = n->text ? xstrdup(n->text) : NULL;
	for (i = 0; i < n->nr; i++) {
		if (n->kind != DOC_MAP) {
			doc_seq_add(c, yp_copy(n->items[i]));
			continue;
		}
		doc_map_add(c, n->keys[i], yp_copy(n->items[i]));
		c->key_lines[i] = n->key_lines[i];
		c->key_cols[i] = n->key_cols[i];
	}
	return c;
}

static bool yp_null_word(const char *s)
{
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") ||
	       !strcmp(s, "Null") || !strcmp(s, "NULL");
}

/* PyYAML's YAML 1.1 booleans. */
static bool yp_bool_word(const char *s, bool *v)
{
	static const char *const yes[] = {
		"yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
	};
	static const char *const no[] = {
		"no", "No", "NO", "false", "False", "FALSE",
		"off", "Off", "OFF",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcmp(s, yes[i]) || !strcmp(s, no[i])) {
			*v = !strcmp(s, yes[i]);
			return true;
		}
	}
	return false;
}

static size_t yp_digits(const char *s)
{
	size_t i = 0;

	while (s[i] >= '0' && s[i] <= '9')
		i++;
	return i;
}

/* A number by JSON's grammar, so that it can be written bare in JSON. */
static bool yp_number_word(const char *s)
{
	size_t n;

	if (*s == '-')
		s++;
	n = yp_digits(s);
	if (!n || (n > 1 && *s == '0'))
		return false;
	s += n;
	if (*s == '.') {
		n = yp_digits(++s);
		if (!n)
			return false;
		s += n;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		n = yp_digits(s);
		if (!n)
			return false;
		s += n;
	}
	return !*s;
}

/* "0x" and hex digits: an integer in YAML 1.1, which PyYAML (damo) reads. */
static bool yp_hex_word(const char *s)
{
	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || !s[2])
		return false;
	for (s += 2; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') ||
		      (*s >= 'A' && *s <= 'F')))
			return false;
	return true;
}

/*
 * A plain hex scalar becomes the decimal number it is, so that every
 * reader takes it as damo does.  Return false (said) if it is above
 * 64 bits.
 */
static bool yp_hex_to_dec(struct yp *p, const yaml_event_t *ev,
			  struct doc_node *n)
{
	char buf[32];
	uint64_t v;

	if (units_parse_addr(n->text, &v)) {
		yp_error(p, ev->start_mark,
			 "hex integer '%s' does not fit in 64 bits", n->text);
		return false;
	}
	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	free(n->text);
	n->text = xstrdup(buf);
	n->kind = DOC_NUMBER;
	return true;
}

/* Resolve a scalar event to a node. */
static struct doc_node *yp_scalar(struct yp *p, const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	const char *tag = (const char *)ev->data.scalar.tag;
	struct doc_node *n;
	bool b;

	if (memchr(v, '\0', ev->data.scalar.length)) {
		yp_error(p, ev->start_mark,
			 "NUL character in scalar is not supported");
		return NULL;
	}
	n = doc_new_string(v);
	n->line = (unsigned int)ev->start_mark.line + 1;
	n->col = yp_col(p, &ev->start_mark);
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
	    (tag && (!strcmp(tag, "!") || !strcmp(tag, YAML_STR_TAG))))
		return n;
	if (yp_null_word(v)) {
		n->kind = DOC_NULL;
	} else if (yp_bool_word(v, &b)) {
		n->kind = DOC_BOOL;
		n->boolean = b;
	} else if (yp_number_word(v)) {
		n->kind = DOC_NUMBER;
	} else if (yp_hex_word(v) && !yp_hex_to_dec(p, ev, n)) {
		doc_free(n);
		return NULL;
	}
	return n;
}

/*
 * The anchor an alias event names, once it is known to be complete and
 * within the limits; its weight is then charged.  NULL after an error.
 */
static const struct yp_anchor *yp_alias_target(struct yp *p,
					       const yaml_event_t *ev,
					       unsigned int depth)
{
	const yaml_char_t *name = ev->data.alias.anchor;
	struct yp_anchor *a = yp_find_anchor(p, name);

	if (!a) {
		yp_error(p, ev->start_mark, "undefined alias '*%s'", name);
	} else if (!a->done) {
		yp_error(p, ev->start_mark,
			 "alias '*%s' refers to a node that contains it", name);
	} else if (depth + a->size.height > YAML_MAX_DEPTH) {
		yp_error(p, ev->start_mark,
			 "alias '*%s' makes nesting deeper than %d levels",
			 name, YAML_MAX_DEPTH);
	} else if (a->size.nodes > YAML_MAX_ALIAS_NODES - p->expanded.nodes) {
		yp_error(p, ev->start_mark,
			 "aliases expand to more than %d nodes",
			 YAML_MAX_ALIAS_NODES);
	} else if (a->size.bytes > YAML_MAX_ALIAS_BYTES - p->expanded.bytes) {
		yp_error(p, ev->start_mark,
			 "aliases expand to more than %d MiB of text",
			 YAML_MAX_ALIAS_BYTES >> 20);
	} else {
		p->expanded.nodes += a->size.nodes;
		p->expanded.bytes += a->size.bytes;
		return a;
	}
	return NULL;
}

/* Expand an alias into a copy of its anchored node. */
static struct doc_node *yp_alias(struct yp *p, const yaml_event_t *ev,
				 unsigned int depth)
{
	const struct yp_anchor *a = yp_alias_target(p, ev, depth);
	struct doc_node *n;

	if (!a)
		return NULL;
	n = yp_copy(a->node);
	n->line = (unsigned int)ev->start_mark.line + 1;
	n->col = yp_col(p, &ev->start_mark);
	return n;
}

static struct doc_node *yp_node(struct yp *p, const yaml_event_t *ev,
				unsigned int depth);

static char *yp_excerpt(const char *s)
{
	if (strlen(s) > 40)
		return xasprintf("%.40s...", s);
	return xstrdup(s);
}

/*
 * The mapping key that @ev starts, as a new string, or NULL after an error;
 * its position goes to @line and @col.
 */
static char *yp_key(struct yp *p, const yaml_event_t *ev, unsigned int *line,
		    unsigned int *col)
{
	const struct yp_anchor *a;
	struct doc_node *n;
	size_t i;
	char *key;

	*line = (unsigned int)ev->start_mark.line + 1;
	*col = yp_col(p, &ev->start_mark);
	if (ev->type == YAML_SCALAR_EVENT) {
		n = yp_scalar(p, ev);
		if (!n)
			return NULL;
		key = xstrdup(n->text);
		if (!ev->data.scalar.anchor) {
			doc_free(n);
			return key;
		}
		i = yp_add_anchor(p, ev->data.scalar.anchor, n, true);
		p->anchors[i].owned = true;
		return key;
	}
	if (ev->type == YAML_ALIAS_EVENT) {
		a = yp_alias_target(p, ev, 0);
		if (!a)
			return NULL;
		if (a->node->kind != DOC_MAP && a->node->kind != DOC_SEQ)
			return xstrdup(a->node->text);
	}
	yp_error(p, ev->start_mark, "expected a scalar mapping key, found %s",
		 ev->type == YAML_ALIAS_EVENT ? "an alias to a collection" :
		 ev->type == YAML_MAPPING_START_EVENT ? "a mapping" :
		 "a sequence");
	return NULL;
}

/* Key/value pairs up to the end of the mapping. */
static bool yp_entries_in(struct yp *p, struct doc_node *map,
			  unsigned int depth, struct doc_keys *keys)
{
	unsigned int line, col;
	struct doc_node *child;
	yaml_event_t e;
	char *key, *ex;

	for (;;) {
		if (!yp_next(p, &e))
			return false;
		if (e.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&e);
			return true;
		}
		key = yp_key(p, &e, &line, &col);
		yaml_event_delete(&e);
		if (!key)
			return false;
		if (doc_keys_has(keys, map, key)) {
			ex = yp_excerpt(key);
			diag_add_at(p->diag, p->name, line, col, "",
				    "duplicate key '%s'", ex);
			free(ex);
			free(key);
			return false;
		}
		child = NULL;
		if (yp_next(p, &e)) {
			child = yp_node(p, &e, depth);
			yaml_event_delete(&e);
		}
		if (child) {
			doc_map_add(map, key, child);
			doc_keys_added(keys, map);
			map->key_lines[map->nr - 1] = line;
			map->key_cols[map->nr - 1] = col;
		}
		free(key);
		if (!child)
			return false;
	}
}

static bool yp_entries(struct yp *p, struct doc_node *map, unsigned int depth)
{
	struct doc_keys keys = DOC_KEYS_INIT;
	bool ok = yp_entries_in(p, map, depth, &keys);

	doc_keys_release(&keys);
	return ok;
}

/* Items up to the end of the sequence. */
static bool yp_items(struct yp *p, struct doc_node *seq, unsigned int depth)
{
	struct doc_node *child;
	yaml_event_t e;

	for (;;) {
		if (!yp_next(p, &e))
			return false;
		if (e.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&e);
			return true;
		}
		child = yp_node(p, &e, depth);
		yaml_event_delete(&e);
		if (!child)
			return false;
		doc_seq_add(seq, child);
	}
}

/* A mapping or sequence; @depth counts the collections around it. */
static struct doc_node *yp_collection(struct yp *p, const yaml_event_t *ev,
				      unsigned int depth)
{
	bool is_map = ev->type == YAML_MAPPING_START_EVENT;
	const yaml_char_t *anchor = is_map ? ev->data.mapping_start.anchor :
				    ev->data.sequence_start.anchor;
	struct yp_anchor *a;
	struct doc_node *n;
	size_t i = 0;
	bool ok;

	if (depth >= YAML_MAX_DEPTH) {
		yp_error(p, ev->start_mark, "nesting deeper than %d levels",
			 YAML_MAX_DEPTH);
		return NULL;
	}
	n = is_map ? doc_new_map() : doc_new_seq();
	n->line = (unsigned int)ev->start_mark.line + 1;
	n->col = yp_col(p, &ev->start_mark);
	if (anchor)
		i = yp_add_anchor(p, anchor, n, false);
	if (is_map)
		ok = yp_entries(p, n, depth + 1);
	else
		ok = yp_items(p, n, depth + 1);
	if (!ok) {
		doc_free(n);
		return NULL;
	}
	if (anchor) {
		a = &p->anchors[i];
		memset(&a->size, 0, sizeof(a->size));
		a->size.height = yp_measure(n, &a->size);
		a->done = true;
	}
	return n;
}

static struct doc_node *yp_node(struct yp *p, const yaml_event_t *ev,
				unsigned int depth)
{
	struct doc_node *n;

	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		n = yp_scalar(p, ev);
		if (n && ev->data.scalar.anchor)
			yp_add_anchor(p, ev->data.scalar.anchor, n, true);
		return n;
	case YAML_ALIAS_EVENT:
		return yp_alias(p, ev, depth);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		return yp_collection(p, ev, depth);
	default:
		yp_error(p, ev->start_mark, "unexpected YAML event %d",
			 (int)ev->type);
		return NULL;
	}
}

/* After the root node: the document must end, and so must the stream. */
static bool yp_finish(struct yp *p)
{
	yaml_event_t e;
	bool ok;

	if (!yp_next(p, &e))
		return false;
	yaml_event_delete(&e);
	if (!yp_next(p, &e))
		return false;
	ok = e.type != YAML_DOCUMENT_START_EVENT;
	if (!ok)
		yp_error(p, e.start_mark, "more than one YAML document");
	yaml_event_delete(&e);
	return ok;
}

static struct doc_node *yp_document(struct yp *p)
{
	struct doc_node *root;
	yaml_event_t e;

	if (!yp_next(p, &e))
		return NULL;
	yaml_event_delete(&e);
	if (!yp_next(p, &e))
		return NULL;
	if (e.type == YAML_STREAM_END_EVENT) {
		yaml_event_delete(&e);
		root = doc_new_null();
		root->line = 1;
		root->col = 1;
		return root;
	}
	yaml_event_delete(&e);
	if (!yp_next(p, &e))
		return NULL;
	root = yp_node(p, &e, 0);
	yaml_event_delete(&e);
	if (root && !yp_finish(p)) {
		doc_free(root);
		root = NULL;
	}
	return root;
}

struct doc_node *doc_parse_yaml(const char *buf, size_t len, const char *name,
				struct diag *diag)
{
	struct yp p = { .buf = buf, .len = len, .name = name, .diag = diag };
	struct doc_node *root;
	size_t i;

	if (!yaml_parser_initialize(&p.parser)) {
		diag_add(diag, "", "out of memory while reading YAML");
		return NULL;
	}
	yaml_parser_set_input_string(&p.parser, (const unsigned char *)buf,
				     len);
	yp_index_lines(&p);
	root = yp_document(&p);
	yaml_parser_delete(&p.parser);
	for (i = 0; i < p.nr_anchors; i++) {
		free(p.anchors[i].name);
		if (p.anchors[i].owned)
			doc_free(p.anchors[i].node);
	}
	free(p.anchors);
	free(p.line_starts);
	return root;
}
