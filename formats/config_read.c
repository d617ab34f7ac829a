/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading damo configuration documents into the model, table-driven, with
 * the file position of every value so that validation errors can point at
 * the line and column they concern.
 */
#include "formats/config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/damon.h"
#include "core/diag.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "formats/config_internal.h"
#include "formats/doc.h"

/* Largest configuration accepted: far above any real one. */
#define CONFIG_MAX_BYTES (64u << 20)

void rd_note_pos(struct cfg_reader *r, const struct doc_node *n)
{
	struct cfg_pos *p;

	xgrow((void **)&r->pos, r->nr_pos, &r->cap_pos, sizeof(*r->pos));
	p = &r->pos[r->nr_pos++];
	p->path = xstrdup(r->path);
	p->line = n->line;
	p->col = n->col;
}

size_t rd_push_key(struct cfg_reader *r, const char *key)
{
	size_t old = r->path_len;
	int n = snprintf(r->path + old, sizeof(r->path) - old, "%s%s",
			 old ? "." : "", key);

	r->path_len = n < 0 ? old : old + (size_t)n;
	if (r->path_len >= sizeof(r->path))
		r->path_len = sizeof(r->path) - 1;
	return old;
}

size_t rd_push_idx(struct cfg_reader *r, size_t idx)
{
	size_t old = r->path_len;
	int n = snprintf(r->path + old, sizeof(r->path) - old, "[%zu]", idx);

	r->path_len = n < 0 ? old : old + (size_t)n;
	if (r->path_len >= sizeof(r->path))
		r->path_len = sizeof(r->path) - 1;
	return old;
}

void rd_pop(struct cfg_reader *r, size_t len)
{
	r->path_len = len;
	r->path[len] = '\0';
}

void rd_err(struct cfg_reader *r, const struct doc_node *n, const char *fmt,
	    ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_add_at(r->diag, r->file, n ? n->line : 0, n ? n->col : 0,
		    r->path, "%s", msg);
	r->nr_errors++;
}

static const char *kind_word(enum doc_kind k)
{
	switch (k) {
	case DOC_MAP: return "a mapping";
	case DOC_SEQ: return "a list";
	case DOC_NULL: return "null";
	case DOC_BOOL: return "a boolean";
	default: return "a value";
	}
}

void rd_unknown_key(struct cfg_reader *r, const struct doc_node *map,
		    size_t i)
{
	struct doc_node at = { .line = map->key_lines[i],
			       .col = map->key_cols[i] };
	size_t mark = rd_push_key(r, map->keys[i]);

	rd_err(r, &at, "unknown key '%s'", map->keys[i]);
	rd_pop(r, mark);
}

const char *rd_text(struct cfg_reader *r, const struct doc_node *n)
{
	if (n->kind == DOC_MAP || n->kind == DOC_SEQ || n->kind == DOC_NULL) {
		rd_err(r, n, "expected a value, found %s", kind_word(n->kind));
		return NULL;
	}
	return n->text ? n->text : "";
}

static const char *const kind_names[] = {
	[CK_NR] = "a number",
	[CK_I64] = "a number",
	[CK_SIZE] = "a size",
	[CK_US] = "a time",
	[CK_MS] = "a time",
	[CK_PERMIL] = "a ratio",
	[CK_BP] = "a ratio",
	[CK_BOOL] = "a boolean",
	[CK_STR] = "a string",
	[CK_ADDR] = "an address",
	[CK_CUSTOM] = "a value",
	[CK_IGNORE] = "a value",
};

static int parse_kind(enum cfg_kind kind, const char *s, void *dst)
{
	switch (kind) {
	case CK_NR: return units_parse_nr(s, dst);
	case CK_I64: return units_parse_i64(s, dst);
	case CK_SIZE:
	case CK_ADDR: return units_parse_size(s, dst);
	case CK_US: return units_parse_time(s, UNITS_US, dst);
	case CK_MS: return units_parse_time(s, UNITS_MS, dst);
	case CK_PERMIL: return units_parse_ratio(s, UNITS_PERMIL, dst);
	case CK_BP: return units_parse_ratio(s, UNITS_BP, dst);
	case CK_BOOL: return units_parse_bool(s, dst);
	default: return -EINVAL;
	}
}

int rd_scalar(struct cfg_reader *r, const struct doc_node *n,
	      enum cfg_kind kind, void *dst)
{
	const char *s;
	int err;

	rd_note_pos(r, n);
	if (kind == CK_BOOL && n->kind == DOC_BOOL) {
		*(bool *)dst = n->boolean;
		return 0;
	}
	s = rd_text(r, n);
	if (!s)
		return -EINVAL;
	if (kind == CK_STR) {
		free(*(char **)dst);
		*(char **)dst = xstrdup(s);
		return 0;
	}
	err = parse_kind(kind, s, dst);
	if (err == -ERANGE)
		rd_err(r, n, "'%s' does not fit in %s64 bits%s", s,
		       kind == CK_I64 ? "signed " : "",
		       kind == CK_I64 ? "" : " ('max' is the largest)");
	else if (err == -EDOM)
		rd_err(r, n, "'%s' is not a whole number", s);
	else if (err)
		rd_err(r, n, "'%s' is not %s", s, kind_names[kind]);
	return err;
}

static const struct cfg_field *find_field(const struct cfg_field *fields,
					  const char *key)
{
	for (; fields->key; fields++)
		if (!strcmp(fields->key, key))
			return fields;
	return NULL;
}

static int rd_field(struct cfg_reader *r, const struct cfg_field *f,
		    const struct doc_node *v, void *obj)
{
	char *base = obj;

	if (f->kind == CK_IGNORE)
		return 0;
	/*
	 * damo writes null for what a value does not use (a filter's
	 * memcg_path when it matches anon pages, a goal's nid): an optional
	 * key holding null is an absent key.
	 */
	if (v->kind == DOC_NULL && !(f->flags & (CF_NULLABLE | CF_REQ))) {
		rd_note_pos(r, v);
		return 0;
	}
	if (f->flags & CF_NULLABLE) {
		bool *has = (bool *)(base + f->has_off);

		*has = v->kind != DOC_NULL;
		if (!*has) {
			rd_note_pos(r, v);
			return 0;
		}
	}
	if (f->kind == CK_CUSTOM) {
		rd_note_pos(r, v);
		return f->read(r, v, obj);
	}
	return rd_scalar(r, v, f->kind, base + f->off);
}

int rd_obj(struct cfg_reader *r, const struct doc_node *n,
	   const struct cfg_field *fields, void *obj)
{
	const struct cfg_field *f;
	size_t i, mark;
	int err = 0;

	rd_note_pos(r, n);
	if (n->kind != DOC_MAP) {
		rd_err(r, n, "expected a mapping, found %s",
		       kind_word(n->kind));
		return -EINVAL;
	}
	for (i = 0; i < n->nr; i++) {
		f = find_field(fields, n->keys[i]);
		if (!f) {
			rd_unknown_key(r, n, i);
			err = -EINVAL;
			continue;
		}
		mark = rd_push_key(r, n->keys[i]);
		if (rd_field(r, f, n->items[i], obj))
			err = -EINVAL;
		rd_pop(r, mark);
	}
	for (f = fields; f->key; f++) {
		if (!(f->flags & CF_REQ) || doc_map_get(n, f->key))
			continue;
		rd_err(r, n, "missing required key '%s'", f->key);
		err = -EINVAL;
	}
	return err;
}

int rd_list(struct cfg_reader *r, const struct doc_node *n, void *obj,
	    void *(*add)(void *obj),
	    int (*read_item)(struct cfg_reader *r, const struct doc_node *n,
			     void *item))
{
	size_t i, mark;
	int err = 0;

	if (n->kind != DOC_SEQ) {
		rd_err(r, n, "expected a list, found %s", kind_word(n->kind));
		return -EINVAL;
	}
	for (i = 0; i < n->nr; i++) {
		mark = rd_push_idx(r, i);
		rd_note_pos(r, n->items[i]);
		if (read_item(r, n->items[i], add(obj)))
			err = -EINVAL;
		rd_pop(r, mark);
	}
	return err;
}

static int read_kdamond(struct cfg_reader *r, const struct doc_node *n,
			void *k)
{
	return rd_obj(r, n, cfg_kdamond_fields, k);
}

static int read_scheme(struct cfg_reader *r, const struct doc_node *n, void *s)
{
	return rd_obj(r, n, cfg_scheme_fields, s);
}

/* Whether a list holds kdamonds (maps with "contexts") rather than schemes. */
static bool is_kdamond_list(const struct doc_node *seq)
{
	return seq->nr && seq->items[0]->kind == DOC_MAP &&
	       doc_map_get(seq->items[0], "contexts");
}

/*
 * The list under "kdamonds:" or "schemes:" of a top-level map, with its
 * kind in @kind; NULL after an error.  Other keys are errors, as anywhere
 * else in the document.
 */
static const struct doc_node *root_list(struct cfg_reader *r,
					const struct doc_node *root,
					enum config_kind *kind)
{
	const struct doc_node *kd = doc_map_get(root, "kdamonds");
	const struct doc_node *sc = doc_map_get(root, "schemes");
	size_t i;

	if (kd && sc) {
		rd_err(r, root, "give either 'kdamonds:' or 'schemes:', not both");
		return NULL;
	}
	for (i = 0; i < root->nr; i++)
		if (strcmp(root->keys[i], kd ? "kdamonds" : "schemes"))
			rd_unknown_key(r, root, i);
	*kind = kd ? CONFIG_KDAMONDS : CONFIG_SCHEMES;
	return kd ? kd : sc;
}

static int read_root(struct cfg_reader *r, const struct doc_node *root,
		     struct config_file *cf)
{
	const struct doc_node *list = root;
	struct damon_ctx *ctx;

	if (root->kind == DOC_MAP && (doc_map_get(root, "kdamonds") ||
				      doc_map_get(root, "schemes"))) {
		list = root_list(r, root, &cf->kind);
		if (!list)
			return -EINVAL;
	} else if (root->kind == DOC_SEQ) {
		cf->kind = is_kdamond_list(root) ? CONFIG_KDAMONDS :
						    CONFIG_SCHEMES;
	} else {
		rd_err(r, root,
		       "expected a document with 'kdamonds:' or 'schemes:', or a list of schemes");
		return -EINVAL;
	}
	if (cf->kind == CONFIG_KDAMONDS) {
		rd_push_key(r, "kdamonds");
		rd_note_pos(r, list);
		return rd_list(r, list, &cf->cfg, cfg_add_kdamond,
			       read_kdamond);
	}
	/* A scheme list lives in kdamonds[0].contexts[0] of the model. */
	ctx = kdamond_add_ctx(damon_config_add_kdamond(&cf->cfg));
	rd_push_key(r, "kdamonds[0].contexts[0].schemes");
	rd_note_pos(r, list);
	return rd_list(r, list, ctx, cfg_add_scheme, read_scheme);
}

/*
 * A set of key paths, hashed, so that looking up every validation problem
 * costs the same however many values and errors the document has: the
 * validation of a document with N objects stays linear in N.
 * Each slot holds an index into the caller's array plus one; 0 is empty.
 */
struct path_index {
	size_t *slot;
	size_t mask;
};

static size_t path_hash(const char *s, size_t n)
{
	size_t h = 1469598103934665603ULL & SIZE_MAX;

	while (n--)
		h = (h ^ (unsigned char)*s++) * (1099511628211ULL & SIZE_MAX);
	return h;
}

static void path_index_init(struct path_index *x, size_t nr)
{
	size_t cap = 16;

	while (cap < nr * 2)
		cap <<= 1;
	x->slot = xcalloc(cap, sizeof(*x->slot));
	x->mask = cap - 1;
}

/*
 * The slot of @key (@n bytes) among the paths @path_of(@arr, index) gives:
 * the one holding it, or the empty one where it would go.
 */
static size_t *path_index_slot(const struct path_index *x, const char *key,
			       size_t n, const void *arr,
			       const char *(*path_of)(const void *, size_t))
{
	size_t h = path_hash(key, n) & x->mask;

	for (;; h = (h + 1) & x->mask) {
		const char *p;

		if (!x->slot[h])
			return &x->slot[h];
		p = path_of(arr, x->slot[h] - 1);
		if (!strncmp(p, key, n) && !p[n])
			return &x->slot[h];
	}
}

static const char *pos_path(const void *arr, size_t i)
{
	return ((const struct cfg_pos *)arr)[i].path;
}

/* The last position noted for each path: later notes win, as they did. */
static void pos_index_build(struct path_index *x, const struct cfg_reader *r)
{
	size_t i;

	path_index_init(x, r->nr_pos);
	for (i = 0; i < r->nr_pos; i++)
		*path_index_slot(x, r->pos[i].path, strlen(r->pos[i].path),
				 r->pos, pos_path) = i + 1;
}

/* Position of @path, or of its nearest ancestor that has one. */
static const struct cfg_pos *find_pos(const struct cfg_reader *r,
				      const struct path_index *x,
				      const char *path)
{
	char buf[CFG_PATH_LEN];
	size_t len, *slot;
	char *cut;

	snprintf(buf, sizeof(buf), "%s", path);
	for (;;) {
		len = strlen(buf);
		slot = path_index_slot(x, buf, len, r->pos, pos_path);
		if (*slot)
			return &r->pos[*slot - 1];
		if (!len)
			return NULL;
		cut = buf + len - 1;
		if (*cut == ']')
			cut = strrchr(buf, '[');
		else
			cut = strrchr(buf, '.');
		if (!cut)
			cut = buf;
		*cut = '\0';
	}
}

/* Scheme-list paths are shown relative to the list: "schemes[1].action". */
static const char *display_path(const struct config_file *cf, const char *p)
{
	static const char prefix[] = "kdamonds[0].contexts[0].";

	if (cf->kind == CONFIG_SCHEMES &&
	    !strncmp(p, prefix, sizeof(prefix) - 1))
		return p + sizeof(prefix) - 1;
	return p;
}

/*
 * The objects that had an error: the path of each error up to its last
 * '.', the key cut off.  Their values are partly defaults, and the kernel
 * rules would only repeat the error.  Validation errors count as they
 * are added, as reading errors do.
 */
struct broken_objs {
	char **obj;
	size_t nr, cap;
	struct path_index x;
};

static const char *obj_path(const void *arr, size_t i)
{
	return ((char *const *)arr)[i];
}

static void broken_objs_add(struct broken_objs *b, const char *path)
{
	char *obj = xstrdup(path), *cut = strrchr(obj, '.');
	size_t *slot, i;

	if (cut)
		*cut = '\0';
	if (b->nr * 2 + 2 > b->x.mask + 1) {
		free(b->x.slot);
		path_index_init(&b->x, b->nr * 2 + 2);
		for (i = 0; i < b->nr; i++)
			*path_index_slot(&b->x, b->obj[i], strlen(b->obj[i]),
					 b->obj, obj_path) = i + 1;
	}
	slot = path_index_slot(&b->x, obj, strlen(obj), b->obj, obj_path);
	if (*slot) {
		free(obj);
		return;
	}
	xgrow((void **)&b->obj, b->nr, &b->cap, sizeof(*b->obj));
	b->obj[b->nr] = obj;
	*slot = ++b->nr;
}

static void broken_objs_build(struct broken_objs *b, const struct diag *d,
			      size_t first)
{
	size_t i;

	memset(b, 0, sizeof(*b));
	path_index_init(&b->x, d->nr - first);
	for (i = first; i < d->nr; i++)
		broken_objs_add(b, d->v[i].path);
}

static void broken_objs_release(struct broken_objs *b)
{
	size_t i;

	for (i = 0; i < b->nr; i++)
		free(b->obj[i]);
	free(b->obj);
	free(b->x.slot);
}

/*
 * Whether a validation problem at @path lies inside a broken object: "a.b"
 * is inside "a" and "a.b", not inside "a.bc".  Each prefix of @path that
 * ends where a key or an index ends is looked up.
 */
static bool in_broken_object(const struct broken_objs *b, const char *path)
{
	size_t n;

	if (!b->nr)
		return false;
	for (n = 0;; n++) {
		if (!path[n] || path[n] == '.' || path[n] == '[') {
			if (*path_index_slot(&b->x, path, n, b->obj, obj_path))
				return true;
		}
		if (!path[n])
			return false;
	}
}

static void validate(struct cfg_reader *r, struct config_file *cf,
		     size_t first)
{
	struct broken_objs broken;
	struct path_index pos;
	struct diag tmp;
	size_t i;

	diag_init(&tmp);
	damon_config_validate(&cf->cfg, cf->kind == CONFIG_SCHEMES ?
			      DAMON_VALIDATE_SCHEMES_ONLY : 0, &tmp);
	pos_index_build(&pos, r);
	broken_objs_build(&broken, r->diag, first);
	for (i = 0; i < tmp.nr; i++) {
		const struct cfg_pos *p = find_pos(r, &pos, tmp.v[i].path);

		if (in_broken_object(&broken, tmp.v[i].path))
			continue;
		diag_add_at(r->diag, r->file, p ? p->line : 0, p ? p->col : 0,
			    tmp.v[i].path, "%s", tmp.v[i].msg);
		broken_objs_add(&broken, tmp.v[i].path);
		r->nr_errors++;
	}
	broken_objs_release(&broken);
	free(pos.slot);
	diag_release(&tmp);
}

static void fix_display_paths(struct diag *d, size_t from,
			      const struct config_file *cf)
{
	size_t i;

	for (i = from; i < d->nr; i++) {
		const char *p = display_path(cf, d->v[i].path);

		if (p != d->v[i].path)
			memmove(d->v[i].path, p, strlen(p) + 1);
	}
}

int config_parse(const char *buf, size_t len, const char *name, bool check,
		 struct config_file *cf, struct diag *diag)
{
	struct cfg_reader r = { .diag = diag, .file = name };
	size_t first = diag->nr, i;
	struct doc_node *root;

	memset(cf, 0, sizeof(*cf));
	damon_config_init(&cf->cfg);
	root = doc_parse(buf, len, name, &cf->format, diag);
	if (!root)
		return -EINVAL;
	read_root(&r, root, cf);
	/* Kernel rules are checked even after reading errors elsewhere. */
	if (check)
		validate(&r, cf, first);
	fix_display_paths(diag, first, cf);
	doc_free(root);
	for (i = 0; i < r.nr_pos; i++)
		free(r.pos[i].path);
	free(r.pos);
	if (r.nr_errors) {
		config_file_release(cf);
		return -EINVAL;
	}
	return 0;
}

static int read_all(int fd, char **bufp, size_t *lenp)
{
	size_t len = 0, cap = 0;
	char *buf = NULL;
	ssize_t n;

	for (;;) {
		xgrow((void **)&buf, len + 4096, &cap, 1);
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return -errno;
		}
		if (!n)
			break;
		len += (size_t)n;
		if (len > CONFIG_MAX_BYTES) {
			free(buf);
			return -EFBIG;
		}
	}
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
}

int rd_load_file(const char *path, const char **name, char **buf,
		 size_t *len, struct diag *diag)
{
	bool is_stdin = !strcmp(path, "-");
	int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	int err;

	*name = is_stdin ? "<stdin>" : path;
	if (fd < 0) {
		err = -errno;
		diag_add_at(diag, *name, 0, 0, "", "cannot open: %s",
			    strerror(-err));
		return err;
	}
	err = read_all(fd, buf, len);
	if (!is_stdin)
		close(fd);
	if (err)
		diag_add_at(diag, *name, 0, 0, "", "cannot read: %s",
			    err == -EFBIG ? "larger than 64 MiB" :
			    strerror(-err));
	return err;
}

int config_load(const char *path, bool check, struct config_file *cf,
		struct diag *diag)
{
	const char *name;
	size_t len = 0;
	char *buf = NULL;
	int err;

	memset(cf, 0, sizeof(*cf));
	err = rd_load_file(path, &name, &buf, &len, diag);
	if (err)
		return err;
	err = config_parse(buf, len, name, check, cf, diag);
	free(buf);
	return err;
}

void config_file_release(struct config_file *cf)
{
	damon_config_release(&cf->cfg);
}
