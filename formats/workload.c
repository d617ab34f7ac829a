/* SPDX-License-Identifier: GPL-2.0 */
/* Reading synthetic workload models (formats/workload.h) into the core. */
#include "formats/workload.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/access_source.h"
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

/* Index of the mapping named @name, or -1. */
static long mapping_index(const struct wl_extents *maps, const char *name)
{
	size_t i;

	for (i = 0; i < maps->nr; i++)
		if (maps->v[i].name && !strcmp(maps->v[i].name, name))
			return (long)i;
	return -1;
}

static void check_mappings(struct cfg_reader *r, const struct wl_extents *maps)
{
	size_t i, j, mark;

	for (i = 0; i < maps->nr; i++) {
		const struct wl_extent *a = &maps->v[i];

		mark = rd_push_idx(r, i);
		for (j = 0; j < i; j++) {
			const struct wl_extent *b = &maps->v[j];

			if (a->name && b->name && !strcmp(a->name, b->name))
				key_err(r, a, "name",
					"another mapping (line %u) is named '%s'",
					b->node->line, a->name);
			if (a->start < b->end && b->start < a->end)
				rd_err(r, a->node,
				       "overlaps the mapping at line %u",
				       b->node->line);
		}
		rd_pop(r, mark);
	}
}

static int read_mappings(struct cfg_reader *r, const struct doc_node *n,
			 struct wl_extents *maps, struct workload *w)
{
	size_t first = r->nr_errors, i, mark = rd_push_key(r, "mappings");
	bool read_ok;

	if (!rd_list(r, n, maps, add_extent, rd_mapping) && !maps->nr)
		rd_err(r, n, "a workload needs at least one mapping");
	read_ok = r->nr_errors == first;
	/* once every key is read, the bounds of every mapping */
	for (i = 0; read_ok && i < maps->nr; i++) {
		size_t m = rd_push_idx(r, i);

		extent_bounds(r, &maps->v[i], NULL);
		rd_pop(r, m);
	}
	if (r->nr_errors == first)
		check_mappings(r, maps);
	for (i = 0; r->nr_errors == first && i < maps->nr; i++)
		synth_model_add_mapping(&w->model, maps->v[i].start,
					maps->v[i].end);
	rd_pop(r, mark);
	return r->nr_errors == first ? 0 : -EINVAL;
}

/* Check range @e of a phase and add it to @p. */
static void add_range(struct cfg_reader *r, struct wl_extent *e,
		      const struct wl_extents *maps, struct synth_phase *p)
{
	struct damon_addr_range base = { 0 };
	long mi = -1;
	size_t i;

	if (e->name) {
		mi = mapping_index(maps, e->name);
		if (mi < 0) {
			key_err(r, e, "mapping", "no mapping is named '%s'",
				e->name);
			return;
		}
		base.start = maps->v[mi].start;
		base.end = maps->v[mi].end;
	}
	if (extent_bounds(r, e, mi < 0 ? NULL : &base))
		return;
	if (e->access_bp > 10000) {
		key_err(r, e, "access_bp", "a chance above 100 %% (10000 bp)");
		return;
	}
	for (i = 0; mi < 0 && i < maps->nr; i++)
		if (maps->v[i].start <= e->start && e->end <= maps->v[i].end)
			mi = (long)i;
	if (mi < 0 || e->start < maps->v[mi].start ||
	    maps->v[mi].end < e->end) {
		if (e->name)
			rd_err(r, e->node, "the range does not lie inside mapping '%s'",
			       e->name);
		else
			rd_err(r, e->node, "the range does not lie inside one mapping");
		return;
	}
	for (i = 0; i < p->nr_ranges; i++) {
		if (e->start < p->ranges[i].end && p->ranges[i].start < e->end) {
			rd_err(r, e->node,
			       "overlaps another range of this phase");
			return;
		}
	}
	synth_phase_add_range(p, e->start, e->end, (uint32_t)e->access_bp,
			      e->write);
}

static void read_ranges(struct cfg_reader *r, const struct wl_phase *ph,
			const struct wl_extents *maps, struct synth_phase *p)
{
	struct wl_extents ranges = { 0 };
	size_t i, mark;
	bool ok;

	if (!ph->ranges || ph->ranges->kind == DOC_NULL)
		return;
	mark = rd_push_key(r, "ranges");
	ok = !rd_list(r, ph->ranges, &ranges, add_extent, rd_range);
	for (i = 0; ok && i < ranges.nr; i++) {
		size_t m = rd_push_idx(r, i);

		add_range(r, &ranges.v[i], maps, p);
		rd_pop(r, m);
	}
	rd_pop(r, mark);
	extents_release(&ranges);
}

static void read_phases(struct cfg_reader *r, const struct doc_node *n,
			const struct wl_extents *maps, struct workload *w)
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

	if (rd_obj(r, root, top_fields, &top) && (!top.mappings ||
						  !top.phases))
		return;
	w->kind = top.ops;
	w->writes_only = top.writes_only;
	w->model.repeat = top.repeat;
	if (!read_mappings(r, top.mappings, &maps, w)) {
		read_phases(r, top.phases, &maps, w);
		check_layout(r, &top, w);
	}
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
