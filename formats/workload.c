/* SPDX-License-Identifier: GPL-2.0 */
/* Reading synthetic workload models (formats/workload.h) into the core. */
#include "formats/workload.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/access_source.h"
#include "core/diag.h"
#include "core/monitor_regions.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "formats/config_internal.h"
#include "formats/doc.h"

#define FLD(type, member) offsetof(type, member)

/* A mapping or a range as written: which keys were given, and the values. */
struct wl_extent {
	const struct doc_node *node;
	char *name;		/* mapping: its name; range: its mapping's */
	bool has_start, has_offset, has_size, has_end;
	uint64_t start, offset, size, end;
	uint64_t access_bp;
	bool write;
};

struct wl_extents {
	struct wl_extent *v;
	size_t nr;
	size_t cap;
};

struct wl_phase {
	const struct doc_node *node;
	uint64_t duration_us;
	const struct doc_node *ranges;
};

struct wl_phases {
	struct wl_phase *v;
	size_t nr;
	size_t cap;
};

/* The top-level object while it is read. */
struct wl_top {
	int ops;
	bool writes_only;
	bool repeat;
	const struct doc_node *mappings;
	const struct doc_node *phases;
};

/* An address: 0x-prefixed hex, or what units_parse_size() takes. */
static int rd_address(struct cfg_reader *r, const struct doc_node *n,
		      uint64_t *dst)
{
	const char *s = rd_text(r, n), *p;
	uint64_t v = 0;

	if (!s)
		return -EINVAL;
	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) {
		if (!units_parse_size(s, dst) && *dst != UINT64_MAX)
			return 0;
		rd_err(r, n, "'%s' is not an address", s);
		return -EINVAL;
	}
	for (p = s + 2; *p; p++) {
		int d = *p >= '0' && *p <= '9' ? *p - '0' :
			*p >= 'a' && *p <= 'f' ? *p - 'a' + 10 :
			*p >= 'A' && *p <= 'F' ? *p - 'A' + 10 : -1;

		if (d < 0 || v >> 60) {
			rd_err(r, n, d < 0 ? "'%s' is not an address" :
			       "'%s' does not fit in 64 bits", s);
			return -EINVAL;
		}
		v = v << 4 | (uint64_t)d;
	}
	if (p == s + 2) {
		rd_err(r, n, "'%s' is not an address", s);
		return -EINVAL;
	}
	*dst = v;
	return 0;
}

static int rd_start(struct cfg_reader *r, const struct doc_node *n, void *obj)
{
	struct wl_extent *e = obj;

	e->has_start = true;
	return rd_address(r, n, &e->start);
}

static int rd_end(struct cfg_reader *r, const struct doc_node *n, void *obj)
{
	struct wl_extent *e = obj;

	e->has_end = true;
	return rd_address(r, n, &e->end);
}

static const struct cfg_field mapping_fields[] = {
	{ "name", CK_STR, FLD(struct wl_extent, name), 0 },
	{ "start", CK_CUSTOM, 0, CF_REQ, 0, rd_start },
	{ "size", CK_SIZE, FLD(struct wl_extent, size), CF_NULLABLE,
	  FLD(struct wl_extent, has_size) },
	{ "end", CK_CUSTOM, 0, 0, 0, rd_end },
	{ NULL }
};

static const struct cfg_field range_fields[] = {
	{ "mapping", CK_STR, FLD(struct wl_extent, name), 0 },
	{ "start", CK_CUSTOM, 0, 0, 0, rd_start },
	{ "offset", CK_SIZE, FLD(struct wl_extent, offset), CF_NULLABLE,
	  FLD(struct wl_extent, has_offset) },
	{ "size", CK_SIZE, FLD(struct wl_extent, size), CF_NULLABLE,
	  FLD(struct wl_extent, has_size) },
	{ "end", CK_CUSTOM, 0, 0, 0, rd_end },
	{ "access_bp", CK_BP, FLD(struct wl_extent, access_bp), CF_REQ },
	{ "write", CK_BOOL, FLD(struct wl_extent, write), 0 },
	{ NULL }
};

static int rd_node(struct cfg_reader *r, const struct doc_node *n,
		   const struct doc_node **dst)
{
	(void)r;
	*dst = n;
	return 0;
}

static int rd_ranges_node(struct cfg_reader *r, const struct doc_node *n,
			  void *obj)
{
	return rd_node(r, n, &((struct wl_phase *)obj)->ranges);
}

static const struct cfg_field phase_fields[] = {
	{ "duration_us", CK_US, FLD(struct wl_phase, duration_us), CF_REQ },
	{ "ranges", CK_CUSTOM, 0, 0, 0, rd_ranges_node },
	{ NULL }
};

static int rd_ops(struct cfg_reader *r, const struct doc_node *n, void *obj)
{
	const char *s = rd_text(r, n);

	if (!s)
		return -EINVAL;
	if (!strcmp(s, "vaddr") || !strcmp(s, "fvaddr")) {
		((struct wl_top *)obj)->ops = s[0] == 'f' ? SYNTH_FIXED :
							    SYNTH_VADDR;
		return 0;
	}
	rd_err(r, n, "'%s' is not an operations set of a synthetic workload (one of: vaddr, fvaddr)",
	       s);
	return -EINVAL;
}

static int rd_mappings_node(struct cfg_reader *r, const struct doc_node *n,
			    void *obj)
{
	return rd_node(r, n, &((struct wl_top *)obj)->mappings);
}

static int rd_phases_node(struct cfg_reader *r, const struct doc_node *n,
			  void *obj)
{
	return rd_node(r, n, &((struct wl_top *)obj)->phases);
}

static const struct cfg_field top_fields[] = {
	{ "ops", CK_CUSTOM, 0, 0, 0, rd_ops },
	{ "writes_only", CK_BOOL, FLD(struct wl_top, writes_only), 0 },
	{ "repeat", CK_BOOL, FLD(struct wl_top, repeat), 0 },
	{ "mappings", CK_CUSTOM, 0, CF_REQ, 0, rd_mappings_node },
	{ "phases", CK_CUSTOM, 0, CF_REQ, 0, rd_phases_node },
	{ NULL }
};

static void *add_extent(void *obj)
{
	struct wl_extents *es = obj;

	xgrow((void **)&es->v, es->nr, &es->cap, sizeof(*es->v));
	memset(&es->v[es->nr], 0, sizeof(*es->v));
	return &es->v[es->nr++];
}

static int rd_mapping(struct cfg_reader *r, const struct doc_node *n,
		      void *item)
{
	((struct wl_extent *)item)->node = n;
	return rd_obj(r, n, mapping_fields, item);
}

static int rd_range(struct cfg_reader *r, const struct doc_node *n,
		    void *item)
{
	((struct wl_extent *)item)->node = n;
	return rd_obj(r, n, range_fields, item);
}

static void *add_phase(void *obj)
{
	struct wl_phases *ps = obj;

	xgrow((void **)&ps->v, ps->nr, &ps->cap, sizeof(*ps->v));
	memset(&ps->v[ps->nr], 0, sizeof(*ps->v));
	return &ps->v[ps->nr++];
}

static int rd_phase(struct cfg_reader *r, const struct doc_node *n,
		    void *item)
{
	((struct wl_phase *)item)->node = n;
	return rd_obj(r, n, phase_fields, item);
}

static void extents_release(struct wl_extents *es)
{
	size_t i;

	for (i = 0; i < es->nr; i++)
		free(es->v[i].name);
	free(es->v);
	memset(es, 0, sizeof(*es));
}

/* An error about key @key of @e: at its value, or at @e without it. */
static void __attribute__((format(printf, 4, 5)))
key_err(struct cfg_reader *r, const struct wl_extent *e, const char *key,
	const char *fmt, ...)
{
	const struct doc_node *n = doc_map_get(e->node, key);
	size_t mark = n ? rd_push_key(r, key) : r->path_len;
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rd_err(r, n ? n : e->node, "%s", msg);
	rd_pop(r, mark);
}

/*
 * [start, end) of @e from start or @base + offset, and size or end.  One of
 * each pair must be given; @base is NULL for a mapping (start required).
 */
static int extent_bounds(struct cfg_reader *r, struct wl_extent *e,
			 const struct damon_addr_range *base)
{
	if (e->has_start == e->has_offset) {
		rd_err(r, e->node, e->has_start ?
		       "give 'start' or 'offset', not both" :
		       "missing 'start' (an address) or 'offset' (from the start of 'mapping')");
		return -EINVAL;
	}
	if (e->has_size == e->has_end) {
		rd_err(r, e->node, e->has_size ?
		       "give 'size' or 'end', not both" :
		       "missing 'size' or 'end'");
		return -EINVAL;
	}
	if (e->has_offset && !base) {
		key_err(r, e, "offset",
			"'offset' counts from the start of a mapping; name it with 'mapping'");
		return -EINVAL;
	}
	if (e->has_offset) {
		e->start = base->start + e->offset;
		if (e->start < base->start) {
			key_err(r, e, "offset", "the offset is too large");
			return -EINVAL;
		}
	}
	if (e->has_size)
		e->end = e->start + e->size;
	if (e->end <= e->start) {
		key_err(r, e, e->has_size ? "size" : "end", "%s",
			e->has_size && e->size ? "the range ends beyond 2^64" :
			"the range is empty: its end must be above its start");
		return -EINVAL;
	}
	return 0;
}

/*
 * Loading a model costs n log n in its mappings and ranges: the mappings
 * are sorted once by name and once by start, names and addresses are then
 * found by binary search, and overlaps by one sweep over a sorted order
 * (instead of comparing every pair).
 */
struct wl_index {
	const struct wl_extent *v;	/* the extents the index points into */
	size_t *by_name;		/* named ones: by name, then position */
	size_t nr_named;
	size_t *by_start;		/* all: by start, then position */
	size_t nr;
};

static const struct wl_extent *sort_base;

static int cmp_name(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int c = strcmp(sort_base[i].name, sort_base[j].name);

	return c ? c : (i > j) - (i < j);
}

static int cmp_start(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	const struct wl_extent *x = &sort_base[i], *y = &sort_base[j];

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (i > j) - (i < j);
}

static void index_build(struct wl_index *x, const struct wl_extent *v,
			size_t nr, bool names)
{
	size_t i;

	memset(x, 0, sizeof(*x));
	x->v = v;
	x->nr = nr;
	x->by_start = xcalloc(nr ? nr : 1, sizeof(size_t));
	x->by_name = xcalloc(nr ? nr : 1, sizeof(size_t));
	for (i = 0; i < nr; i++) {
		x->by_start[i] = i;
		if (names && v[i].name)
			x->by_name[x->nr_named++] = i;
	}
	sort_base = v;
	qsort(x->by_start, nr, sizeof(size_t), cmp_start);
	qsort(x->by_name, x->nr_named, sizeof(size_t), cmp_name);
	sort_base = NULL;
}

static void index_release(struct wl_index *x)
{
	free(x->by_name);
	free(x->by_start);
}

/* Index of the first mapping named @name, or -1. */
static long mapping_index(const struct wl_index *x, const char *name)
{
	size_t lo = 0, hi = x->nr_named;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(x->v[x->by_name[mid]].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < x->nr_named && !strcmp(x->v[x->by_name[lo]].name, name))
		return (long)x->by_name[lo];
	return -1;
}

/* Index of the (non-overlapping) mapping holding [start, end), or -1. */
static long mapping_holding(const struct wl_index *x, uint64_t start,
			    uint64_t end)
{
	size_t lo = 0, hi = x->nr;
	const struct wl_extent *m;

	/* the last mapping that starts at or below @start */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (x->v[x->by_start[mid]].start <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return -1;
	m = &x->v[x->by_start[lo - 1]];
	return end <= m->end ? (long)x->by_start[lo - 1] : -1;
}

/*
 * For each extent, one earlier extent (in file order) it overlaps, or -1:
 * a sweep in start order with the farthest end seen so far.  Each
 * overlapping pair has at least one of its two marked; the mark goes to
 * the later one in the file, naming the earlier.
 */
static long *find_overlaps(const struct wl_index *x, const bool *skip)
{
	long *with = xcalloc(x->nr ? x->nr : 1, sizeof(*with));
	uint64_t far = 0;
	long far_i = -1;
	size_t k;

	for (k = 0; k < x->nr; k++)
		with[k] = -1;
	for (k = 0; k < x->nr; k++) {
		size_t i = x->by_start[k];
		const struct wl_extent *e = &x->v[i];

		if (skip && skip[i])
			continue;
		if (far_i >= 0 && e->start < far) {
			size_t late = i > (size_t)far_i ? i : (size_t)far_i;
			size_t early = i > (size_t)far_i ? (size_t)far_i : i;

			if (with[late] < 0)
				with[late] = (long)early;
		}
		if (far_i < 0 || e->end > far) {
			far = e->end;
			far_i = (long)i;
		}
	}
	return with;
}

static void check_mappings(struct cfg_reader *r, const struct wl_index *x)
{
	const struct wl_extent *v = x->v;
	long *dup = xcalloc(x->nr ? x->nr : 1, sizeof(*dup));
	long *over = find_overlaps(x, NULL);
	size_t i, k, mark;

	for (i = 0; i < x->nr; i++)
		dup[i] = -1;
	/* by name, then position: a run of one name is its duplicates */
	for (k = 1; k < x->nr_named; k++)
		if (!strcmp(v[x->by_name[k]].name, v[x->by_name[k - 1]].name))
			dup[x->by_name[k]] = dup[x->by_name[k - 1]] >= 0 ?
					     dup[x->by_name[k - 1]] :
					     (long)x->by_name[k - 1];
	for (i = 0; i < x->nr; i++) {
		const struct wl_extent *a = &v[i];

		if (dup[i] < 0 && over[i] < 0)
			continue;
		mark = rd_push_idx(r, i);
		if (dup[i] >= 0)
			key_err(r, a, "name",
				"another mapping (line %u) is named '%s'",
				v[dup[i]].node->line, a->name);
		if (over[i] >= 0)
			rd_err(r, a->node, "overlaps the mapping at line %u",
			       v[over[i]].node->line);
		rd_pop(r, mark);
	}
	free(over);
	free(dup);
}

static int read_mappings(struct cfg_reader *r, const struct doc_node *n,
			 struct wl_extents *maps, struct wl_index *x,
			 struct workload *w)
{
	size_t first = r->nr_errors, i, mark = rd_push_key(r, "mappings");
	bool read_ok;

	memset(x, 0, sizeof(*x));
	if (!rd_list(r, n, maps, add_extent, rd_mapping) && !maps->nr)
		rd_err(r, n, "a workload needs at least one mapping");
	read_ok = r->nr_errors == first;
	/* once every key is read, the bounds of every mapping */
	for (i = 0; read_ok && i < maps->nr; i++) {
		size_t m = rd_push_idx(r, i);

		extent_bounds(r, &maps->v[i], NULL);
		rd_pop(r, m);
	}
	if (r->nr_errors == first) {
		index_build(x, maps->v, maps->nr, true);
		check_mappings(r, x);
	}
	/* in start order: each one goes at the end of the model's list */
	for (i = 0; r->nr_errors == first && i < maps->nr; i++)
		synth_model_add_mapping(&w->model,
					maps->v[x->by_start[i]].start,
					maps->v[x->by_start[i]].end);
	rd_pop(r, mark);
	return r->nr_errors == first ? 0 : -EINVAL;
}

/* Check range @e; false if it has a problem (said). */
static bool check_range(struct cfg_reader *r, struct wl_extent *e,
			const struct wl_index *maps)
{
	const struct wl_extent *mv = maps->v;
	struct damon_addr_range base = { 0 };
	long mi = -1;

	if (e->name) {
		mi = mapping_index(maps, e->name);
		if (mi < 0) {
			key_err(r, e, "mapping", "no mapping is named '%s'",
				e->name);
			return false;
		}
		base.start = mv[mi].start;
		base.end = mv[mi].end;
	}
	if (extent_bounds(r, e, mi < 0 ? NULL : &base))
		return false;
	if (e->access_bp > 10000) {
		key_err(r, e, "access_bp", "a chance above 100 %% (10000 bp)");
		return false;
	}
	if (mi < 0)
		mi = mapping_holding(maps, e->start, e->end);
	if (mi < 0 || e->start < mv[mi].start || mv[mi].end < e->end) {
		if (e->name)
			rd_err(r, e->node, "the range does not lie inside mapping '%s'",
			       e->name);
		else
			rd_err(r, e->node, "the range does not lie inside one mapping");
		return false;
	}
	return true;
}

/* A diag entry with its place in the list, for a stable sort. */
struct keyed_diag {
	struct diag_entry e;
	size_t seq;
};

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed_diag *x = a, *y = b;

	if (x->e.line != y->e.line)
		return x->e.line < y->e.line ? -1 : 1;
	if (x->e.col != y->e.col)
		return x->e.col < y->e.col ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Put the problems from diag entry @from on in file order, stably. */
static void diag_file_order(struct diag *d, size_t from)
{
	size_t n = d->nr - from, i;
	struct keyed_diag *k;

	if (n < 2)
		return;
	k = xcalloc(n, sizeof(*k));
	for (i = 0; i < n; i++) {
		k[i].e = d->v[from + i];
		k[i].seq = i;
	}
	qsort(k, n, sizeof(*k), cmp_keyed);
	for (i = 0; i < n; i++)
		d->v[from + i] = k[i].e;
	free(k);
}

static void read_ranges(struct cfg_reader *r, const struct wl_phase *ph,
			const struct wl_index *maps, struct synth_phase *p)
{
	struct wl_extents ranges = { 0 };
	size_t i, k, m, mark, from;
	struct wl_index x;
	long *over;
	bool *bad;

	if (!ph->ranges || ph->ranges->kind == DOC_NULL)
		return;
	mark = rd_push_key(r, "ranges");
	if (rd_list(r, ph->ranges, &ranges, add_extent, rd_range))
		goto out;
	from = r->diag->nr;
	bad = xcalloc(ranges.nr + 1, sizeof(*bad));
	for (i = 0; i < ranges.nr; i++) {
		m = rd_push_idx(r, i);
		bad[i] = !check_range(r, &ranges.v[i], maps);
		rd_pop(r, m);
	}
	index_build(&x, ranges.v, ranges.nr, false);
	over = find_overlaps(&x, bad);
	for (i = 0; i < ranges.nr; i++) {
		if (over[i] < 0)
			continue;
		m = rd_push_idx(r, i);
		rd_err(r, ranges.v[i].node,
		       "overlaps another range of this phase");
		rd_pop(r, m);
		bad[i] = true;
	}
	/* in start order: each one goes at the end of the phase's list */
	for (k = 0; k < x.nr; k++) {
		const struct wl_extent *e = &ranges.v[x.by_start[k]];

		if (!bad[x.by_start[k]])
			synth_phase_add_range(p, e->start, e->end,
					      (uint32_t)e->access_bp, e->write);
	}
	diag_file_order(r->diag, from);
	free(over);
	index_release(&x);
	free(bad);
out:
	rd_pop(r, mark);
	extents_release(&ranges);
}

static void read_phases(struct cfg_reader *r, const struct doc_node *n,
			const struct wl_index *maps, struct workload *w)
{
	struct wl_phases ps = { 0 };
	size_t first = r->nr_errors, i, mark = rd_push_key(r, "phases");
	bool ok;

	if (!rd_list(r, n, &ps, add_phase, rd_phase) && !ps.nr)
		rd_err(r, n, "a workload needs at least one phase");
	ok = r->nr_errors == first;
	for (i = 0; ok && i < ps.nr; i++) {
		size_t m = rd_push_idx(r, i);
		struct synth_phase *p;

		if (!ps.v[i].duration_us && i + 1 < ps.nr) {
			const struct doc_node *d =
				doc_map_get(ps.v[i].node, "duration_us");
			size_t k = rd_push_key(r, "duration_us");

			rd_err(r, d, "only the last phase may last forever (0); phases after it would never run");
			rd_pop(r, k);
		}
		p = synth_model_add_phase(&w->model, ps.v[i].duration_us);
		read_ranges(r, &ps.v[i], maps, p);
		rd_pop(r, m);
	}
	rd_pop(r, mark);
	free(ps.v);
}

/* vaddr needs the three regions of the mappings: two gaps between them. */
static void check_layout(struct cfg_reader *r, const struct wl_top *top,
			 const struct workload *w)
{
	struct damon_addr_range three[3];

	if (w->kind != SYNTH_VADDR)
		return;
	if (damon_three_regions(w->model.mappings, w->model.nr_mappings,
				MON_MIN_REGION, three)) {
		size_t mark = rd_push_key(r, "mappings");

		rd_err(r, top->mappings,
		       "ops vaddr finds its three regions at the two largest gaps between the mappings, and these have fewer than two gaps; use 'ops: fvaddr' to monitor the mappings as they are");
		rd_pop(r, mark);
	}
}

static void read_workload(struct cfg_reader *r, const struct doc_node *root,
			  struct workload *w)
{
	struct wl_top top = { .ops = SYNTH_VADDR };
	struct wl_extents maps = { 0 };
	struct wl_index x;

	if (rd_obj(r, root, top_fields, &top) && (!top.mappings ||
						  !top.phases))
		return;
	w->kind = top.ops;
	w->writes_only = top.writes_only;
	w->model.repeat = top.repeat;
	if (!read_mappings(r, top.mappings, &maps, &x, w)) {
		read_phases(r, top.phases, &x, w);
		check_layout(r, &top, w);
	}
	index_release(&x);
	extents_release(&maps);
}

int workload_parse(const char *buf, size_t len, const char *name,
		   struct workload *w, struct diag *diag)
{
	struct cfg_reader r = { .diag = diag, .file = name };
	struct doc_node *root;
	size_t i;

	memset(w, 0, sizeof(*w));
	synth_model_init(&w->model);
	root = doc_parse(buf, len, name, NULL, diag);
	if (!root)
		return -EINVAL;
	read_workload(&r, root, w);
	doc_free(root);
	for (i = 0; i < r.nr_pos; i++)
		free(r.pos[i].path);
	free(r.pos);
	if (r.nr_errors) {
		workload_release(w);
		return -EINVAL;
	}
	return 0;
}

int workload_load(const char *path, struct workload *w, struct diag *diag)
{
	const char *name;
	size_t len = 0;
	char *buf = NULL;
	int err;

	memset(w, 0, sizeof(*w));
	err = rd_load_file(path, &name, &buf, &len, diag);
	if (err)
		return err;
	err = workload_parse(buf, len, name, w, diag);
	free(buf);
	return err;
}

void workload_release(struct workload *w)
{
	synth_model_release(&w->model);
	memset(w, 0, sizeof(*w));
}
