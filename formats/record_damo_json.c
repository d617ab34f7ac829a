/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo's JSON records (docs/damo-compat.md §3.2), plain or zlib-compressed, read
 * as a stream: one snapshot in memory at a time.  A record's keys after its
 * snapshots (data_source, in damo's order) are read ahead from a saved
 * position, so a record's meta is whole before its first snapshot.
 */
#include "formats/record_damo_json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/damon.h"
#include "core/snapshot.h"
#include "core/xalloc.h"

/* A region's fields as written, before conversion to the model. */
struct dj_region {
	bool has_start;
	bool has_end;
	bool has_acc;		/* "nr_accesses" present: not a bare range */
	uint64_t samples;
	uint64_t pct;		/* 1e-6 % units */
	uint64_t usec;
	uint64_t aggrs;
};

static const struct dj_field acc_fields[] = {
	{ "samples", DK_NR, offsetof(struct dj_region, samples) },
	{ "percent", DK_PCT, offsetof(struct dj_region, pct) },
	{ NULL },
}, age_fields[] = {
	{ "usec", DK_US, offsetof(struct dj_region, usec) },
	{ "aggr_intervals", DK_NR, offsetof(struct dj_region, aggrs) },
	{ NULL },
};

/* nr_accesses or age: an object of nullable @fields, or null. */
static int dj_acc(struct dj *d, const struct dj_field *fields,
		  struct dj_region *v)
{
	const struct dj_field *f;
	bool first = true;
	int r;

	if (jpull_peek(&d->jp) == JT_NULL)
		return jpull_skip(&d->jp);
	if (jpull_next(&d->jp) != JT_LBRACE)
		return dj_unexpected(d, "an object or null");
	while ((r = jpull_obj_key(&d->jp, first)) > 0) {
		first = false;
		f = dj_find(fields, d->jp.key);
		if (!f) {
			r = jpull_skip(&d->jp);
		} else {
			dj_key(d, 1, f->key);
			r = dj_u64(d, f->kind, true,
				   (uint64_t *)((char *)v + f->off));
		}
		if (r)
			return -EINVAL;
	}
	dj_key(d, 1, NULL);
	return r;
}

/* A region's probe hits: a list of counts, or null. */
static int dj_hits(struct dj *d, struct snapshot *snap)
{
	bool first = true;
	uint64_t *row;
	int r;

	d->nr_hits = 0;
	if (jpull_peek(&d->jp) == JT_NULL)
		return jpull_skip(&d->jp);
	if (jpull_expect(&d->jp, JT_LBRACK, "a list or null"))
		return -EINVAL;
	while ((r = jpull_arr_more(&d->jp, first)) > 0) {
		first = false;
		xgrow((void **)&d->hits, d->nr_hits, &d->cap_hits,
		      sizeof(*d->hits));
		if (dj_u64(d, DK_NR, false, &d->hits[d->nr_hits]))
			return -EINVAL;
		d->nr_hits++;
	}
	if (r < 0 || !d->nr_hits)
		return r;
	row = snapshot_region_probes(snap, snap->nr_regions - 1, d->nr_hits);
	memcpy(row, d->hits, d->nr_hits * sizeof(*row));
	return 0;
}

/* One key of a region. */
static int dj_region_key(struct dj *d, struct dj_region *v,
			 struct snapshot *snap)
{
	struct snap_region *r = &snap->regions[snap->nr_regions - 1];
	const char *k = d->jp.key;

	if (!strcmp(k, "start") || !strcmp(k, "end")) {
		bool start = k[0] == 's';

		dj_key(d, 0, start ? "start" : "end");
		*(start ? &v->has_start : &v->has_end) = true;
		return dj_u64(d, DK_SIZE, false, start ? &r->start : &r->end);
	}
	if (!strcmp(k, "nr_accesses")) {
		dj_key(d, 0, "nr_accesses");
		v->has_acc = true;
		return dj_acc(d, acc_fields, v);
	}
	if (!strcmp(k, "age")) {
		dj_key(d, 0, "age");
		return dj_acc(d, age_fields, v);
	}
	if (!strcmp(k, "sz_filter_passed")) {
		dj_key(d, 0, "sz_filter_passed");
		if (dj_u64(d, DK_SIZE, true, &r->sz_filter_passed))
			return -EINVAL;
		if (r->sz_filter_passed == SNAP_NONE)
			r->sz_filter_passed = 0;
		return 0;
	}
	if (!strcmp(k, "probe_hits")) {
		dj_key(d, 0, "probe_hits");
		return dj_hits(d, snap);
	}
	return jpull_skip(&d->jp);
}

/* The model's accesses and age from what the region gave. */
static int dj_region_convert(struct dj *d, const struct record_meta *m,
			     const struct dj_region *v, struct snap_region *r,
			     unsigned int line, unsigned int col)
{
	const struct damon_intervals *iv = &m->intervals;
	unsigned __int128 q;

	r->nr_accesses = v->samples;
	if (v->samples == SNAP_NONE && v->pct != SNAP_NONE) {
		if (!m->has_intervals || !iv->sample_us)
			return dj_error_at(d, line, col,
					   "nr_accesses is only a percentage and the record has no intervals to turn it into samples");
		/* damo: int(percent * (aggr / sample) / 100) */
		q = (unsigned __int128)v->pct * iv->aggr_us /
		    ((unsigned __int128)iv->sample_us * 100000000u);
		r->nr_accesses = q > UINT64_MAX - 1 ? UINT64_MAX - 1 :
						      (uint64_t)q;
	}
	r->age = v->aggrs;
	if (v->aggrs == SNAP_NONE && v->usec != SNAP_NONE &&
	    m->has_intervals && iv->aggr_us)
		r->age = v->usec / iv->aggr_us;
	return 0;
}

static int dj_region(struct record_reader *rd, struct dj *d,
		     struct snapshot *snap)
{
	struct dj_region v = {
		.samples = SNAP_NONE, .pct = SNAP_NONE,
		.usec = SNAP_NONE, .aggrs = SNAP_NONE,
	};
	unsigned int line, col;
	struct snap_region *r;
	bool first = true;
	int err;

	if (jpull_next(&d->jp) != JT_LBRACE)
		return dj_unexpected(d, "a region object");
	line = d->jp.tline;
	col = d->jp.tcol;
	snapshot_add_region(snap);
	while ((err = jpull_obj_key(&d->jp, first)) > 0) {
		first = false;
		if (dj_region_key(d, &v, snap))
			return -EINVAL;
		dj_key(d, 0, NULL);
	}
	if (err)
		return err;
	if (!v.has_start || !v.has_end)
		return dj_error_at(d, line, col, "missing key '%s'",
				   v.has_start ? "end" : "start");
	r = &snap->regions[snap->nr_regions - 1];
	if (!v.has_acc) {
		r->nr_accesses = SNAP_NONE;	/* a bare range */
		return 0;
	}
	return dj_region_convert(d, &rd->meta, &v, r, line, col);
}

/*
 * The fast path of damo's region objects: the keys in the order damo 3.3
 * writes them (start, end, nr_accesses {samples, percent: null}, age
 * {usec, aggr_intervals}, then probe_hits [] or null and sz_filter_passed
 * when present), numbers as plain digits or digit strings (with thousands
 * commas for counts and sizes), any blanks between tokens, all within the
 * bytes already buffered.  Anything else (another key, order or spelling,
 * a unit, an escape, the buffer's end) gives up before anything is taken
 * or changed, and the general parser reads that region; the unit test
 * checks both read every shape damo writes to the same models.
 */
struct fp {
	const unsigned char *p;
	const unsigned char *e;
	const unsigned char *nl;	/* just after the last newline */
	unsigned int lines;		/* newlines passed */
};

/* Skip blanks; false at the buffer's end. */
static inline __attribute__((always_inline)) bool
fp_blank(struct fp *f)
{
	const unsigned char *p = f->p, *e = f->e;
	unsigned char c;

	for (;;) {
		if (p >= e) {
			f->p = p;
			return false;
		}
		c = *p;
		if (c > ' ')
			break;
		if (c == ' ') {
			/* one space after ':', indentation after '\n' */
			if (++p < e && *p == ' ')
				p += jpull_space_run(p, e);
		} else if (c == '\n') {
			f->lines++;
			f->nl = ++p;
		} else if (c == '\t' || c == '\r') {
			p++;
		} else {
			break;
		}
	}
	f->p = p;
	return true;
}

/* Blanks, then byte @c. */
static inline __attribute__((always_inline)) bool
fp_byte(struct fp *f, unsigned char c)
{
	if (!fp_blank(f) || *f->p != c)
		return false;
	f->p++;
	return true;
}

/* Blanks, "@key" (@n bytes), blanks and ':'. */
/* @n bytes at @p are @s: 8 at a time, @s a constant once inlined. */
static inline __attribute__((always_inline)) bool
fp_eq(const unsigned char *p, const char *s, size_t n)
{
	uint64_t a, b;

	uint32_t c, d;
	uint16_t g, h;

	for (; n >= 8; p += 8, s += 8, n -= 8) {
		memcpy(&a, p, 8);
		memcpy(&b, s, 8);
		if (a != b)
			return false;
	}
	if (n >= 4) {
		memcpy(&c, p, 4);
		memcpy(&d, s, 4);
		if (c != d)
			return false;
		p += 4;
		s += 4;
		n -= 4;
	}
	if (n >= 2) {
		memcpy(&g, p, 2);
		memcpy(&h, s, 2);
		if (g != h)
			return false;
		p += 2;
		s += 2;
		n -= 2;
	}
	return !n || *p == (unsigned char)*s;
}

/* Blanks, @qkey (the key in its quotes, @n bytes), blanks and ':'. */
static inline __attribute__((always_inline)) bool
fp_key(struct fp *f, const char *qkey, size_t n)
{
	if (!fp_blank(f) || (size_t)(f->e - f->p) < n ||
	    !fp_eq(f->p, qkey, n))
		return false;
	f->p += n;
	return fp_byte(f, ':');
}

#define FP_KEY(f, k) fp_key(f, "\"" k "\"", sizeof(k) + 1)

static inline bool fp_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Take 8 digits at once while they fit below 20 digits in all: the value
 * of the digits at *@pp into *@v (@n digits so far), SWAR.
 */
static inline __attribute__((always_inline)) void
fp_digits8(const unsigned char **pp, const unsigned char *e, uint64_t *v,
	   unsigned int *n)
{
	const unsigned char *p = *pp;
	uint64_t x;

	while (*n + 8 <= 19 && e - p >= 8) {
		memcpy(&x, p, 8);
		/* all eight bytes '0' to '9' */
		if (((x & 0xf0f0f0f0f0f0f0f0ULL) |
		     (((x + 0x0606060606060606ULL) & 0xf0f0f0f0f0f0f0f0ULL) >>
		      4)) != 0x3333333333333333ULL)
			break;
		x = (x & 0x0f0f0f0f0f0f0f0fULL) * 2561 >> 8;
		x = (x & 0x00ff00ff00ff00ffULL) * 6553601 >> 16;
		x = (x & 0x0000ffff0000ffffULL) * 42949672960001ULL >> 32;
		*v = *v * 100000000 + (uint32_t)x;
		*n += 8;
		p += 8;
	}
	*pp = p;
}

/* "null" as a whole word; the byte after it must be buffered. */
static inline __attribute__((always_inline)) bool
fp_null(struct fp *f)
{
	if (f->e - f->p < 5 || memcmp(f->p, "null", 4) ||
	    (unsigned int)((f->p[4] | 0x20) - 'a') < 26u)
		return false;
	f->p += 4;
	return true;
}

/*
 * A value as dj_u64() reads it for a count, size or time: a JSON integer
 * of at most 19 digits (no leading zero), a string of 1 to 19 digits, or,
 * when @commas, a string of digits grouped by thousands ("4,294,967,296"),
 * which damo's units read with the commas dropped; null (SNAP_NONE) when
 * @nullable.  Blanks first.
 */
static inline __attribute__((always_inline)) bool
fp_u64(struct fp *f, bool commas, bool nullable,
			  uint64_t *out)
{
	const unsigned char *p, *e = f->e;
	unsigned int n = 0, grp = 0;
	uint64_t v = 0;
	bool grouped = false;

	if (!fp_blank(f))
		return false;
	p = f->p;
	if (*p == 'n') {
		if (!nullable || !fp_null(f))
			return false;
		*out = SNAP_NONE;
		return true;
	}
	if (*p != '"') {
		if (*p == '0') {
			p++;
			n = 1;
		} else {
			fp_digits8(&p, e, &v, &n);
			for (; p < e && fp_digit(*p) && n < 20; p++, n++)
				v = v * 10 + (unsigned int)(*p - '0');
		}
		/* The tokenizer takes a run of number bytes as one number. */
		if (!n || n > 19 || p >= e || fp_digit(*p) || *p == '.' ||
		    (*p | 0x20) == 'e' || *p == '+' || *p == '-')
			return false;
		f->p = p;
		*out = v;
		return true;
	}
	p++;
	fp_digits8(&p, e, &v, &n);
	grp = n;
	for (; p < e; p++) {
		if (fp_digit(*p)) {
			if (++n > 19)
				return false;
			v = v * 10 + (unsigned int)(*p - '0');
			grp++;
		} else if (*p == ',' && commas && grp &&
			   (grouped ? grp == 3 : grp <= 3)) {
			grouped = true;
			grp = 0;
		} else {
			break;
		}
	}
	if (p >= e || *p != '"' || !n || (grouped && grp != 3))
		return false;
	f->p = p + 1;
	*out = v;
	return true;
}

/* A region's values read by the fast path. */
struct fp_region {
	uint64_t start;
	uint64_t end;
	uint64_t samples;
	uint64_t usec;
	uint64_t aggrs;
	uint64_t sz_passed;
};

/* The region object's members and its '}'; f->p is after its '{'. */
static bool fp_region(struct fp *f, struct fp_region *v)
{
	if (!FP_KEY(f, "start") || !fp_u64(f, true, false, &v->start) ||
	    !fp_byte(f, ',') || !FP_KEY(f, "end") ||
	    !fp_u64(f, true, false, &v->end) || !fp_byte(f, ',') ||
	    !FP_KEY(f, "nr_accesses") || !fp_byte(f, '{') ||
	    !FP_KEY(f, "samples") || !fp_u64(f, true, true, &v->samples) ||
	    !fp_byte(f, ',') || !FP_KEY(f, "percent") || !fp_blank(f) ||
	    !fp_null(f) || !fp_byte(f, '}') || !fp_byte(f, ',') ||
	    !FP_KEY(f, "age") || !fp_byte(f, '{') || !FP_KEY(f, "usec") ||
	    !fp_u64(f, false, true, &v->usec) || !fp_byte(f, ',') ||
	    !FP_KEY(f, "aggr_intervals") ||
	    !fp_u64(f, true, true, &v->aggrs) || !fp_byte(f, '}'))
		return false;
	v->sz_passed = SNAP_NONE;
	if (fp_byte(f, '}'))
		return true;
	if (!fp_byte(f, ','))
		return false;
	if (FP_KEY(f, "probe_hits")) {
		if (!fp_blank(f))
			return false;
		if (*f->p == '[') {
			f->p++;
			if (!fp_byte(f, ']'))
				return false;
		} else if (!fp_null(f)) {
			return false;
		}
		if (fp_byte(f, '}'))
			return true;
		if (!fp_byte(f, ','))
			return false;
	}
	return FP_KEY(f, "sz_filter_passed") &&
	       fp_u64(f, true, true, &v->sz_passed) && fp_byte(f, '}');
}

/*
 * dj_region() for a region in damo's usual shape, from the bytes already
 * buffered: true when it was read, false when nothing was taken.
 */
static bool dj_region_fast(struct record_reader *rd, struct dj *d,
			   struct snapshot *snap)
{
	struct rsrc *s = &rd->src;
	struct fp f = { .p = s->buf + s->pos, .e = s->buf + s->len };
	const unsigned char *p0 = f.p;
	struct dj_region dv = { .has_start = true, .has_end = true,
				.has_acc = true, .pct = SNAP_NONE };
	struct fp_region v;
	struct snap_region *r;

	if (d->jp.peeked) {
		if (d->jp.tok != JT_LBRACE)
			return false;
	} else if (!fp_byte(&f, '{')) {
		return false;
	}
	if (!fp_region(&f, &v))
		return false;
	/* What dj_region() and dj_region_convert() make of the same. */
	r = snapshot_add_region(snap);
	r->start = v.start;
	r->end = v.end;
	r->sz_filter_passed = v.sz_passed == SNAP_NONE ? 0 : v.sz_passed;
	dv.samples = v.samples;
	dv.usec = v.usec;
	dv.aggrs = v.aggrs;
	dj_region_convert(d, &rd->meta, &dv, r, 0, 0);
	d->jp.peeked = false;
	d->jp.tok = JT_RBRACE;
	d->jp.tline = d->jp.line + f.lines;
	d->jp.tcol = f.lines ? (unsigned int)(f.p - f.nl) :
			       d->jp.col + (unsigned int)(f.p - p0) - 1;
	d->jp.line = d->jp.tline;
	d->jp.col = d->jp.tcol + 1;
	s->pos = (size_t)(f.p - s->buf);
	d->nr_fast++;
	return true;
}

static int dj_regions(struct record_reader *rd, struct dj *d,
		      struct snapshot *snap)
{
	bool first = true;
	int r;

	/* Python's json keeps the last of duplicated keys. */
	snap->nr_regions = 0;
	snap->nr_probes = 0;
	if (jpull_expect(&d->jp, JT_LBRACK, "a list of regions"))
		return -EINVAL;
	d->in_reg = true;
	for (d->reg = 0; (r = jpull_arr_more(&d->jp, first)) > 0; d->reg++) {
		first = false;
		if (!d->slow && dj_region_fast(rd, d, snap))
			continue;
		if (dj_region(rd, d, snap))
			return -EINVAL;
	}
	d->in_reg = false;
	return r;
}

static int dj_stats(struct dj *d, struct snapshot *snap)
{
	static const struct dj_field fields[] = {
		{ "nr_tried", DK_NR, offsetof(struct damos_stats, nr_tried) },
		{ "sz_tried", DK_SIZE, offsetof(struct damos_stats, sz_tried) },
		{ "nr_applied", DK_NR,
		  offsetof(struct damos_stats, nr_applied) },
		{ "sz_applied", DK_SIZE,
		  offsetof(struct damos_stats, sz_applied) },
		{ "sz_ops_filter_passed", DK_SIZE,
		  offsetof(struct damos_stats, sz_ops_filter_passed) },
		{ "qt_exceeds", DK_NR,
		  offsetof(struct damos_stats, qt_exceeds) },
		{ "nr_snapshots", DK_NR,
		  offsetof(struct damos_stats, nr_snapshots) },
		{ NULL },
	};

	memset(&snap->stats, 0, sizeof(snap->stats));
	snap->has_stats = false;
	if (jpull_peek(&d->jp) == JT_NULL)
		return jpull_skip(&d->jp);
	if (dj_flat(d, fields, &snap->stats))
		return -EINVAL;
	snap->has_stats = true;
	return 0;
}

/* One key of a snapshot; @seen gets a bit per required key. */
static int dj_snapshot_key(struct record_reader *rd, struct dj *d,
			   struct snapshot *snap, unsigned int *seen)
{
	const char *k = d->jp.key;

	if (!strcmp(k, "start_time") || !strcmp(k, "end_time")) {
		bool start = k[0] == 's';

		*seen |= start ? 1 : 2;
		dj_key(d, 0, start ? "start_time" : "end_time");
		return dj_u64(d, DK_NS, false,
			      start ? &snap->start_ns : &snap->end_ns);
	}
	if (!strcmp(k, "regions")) {
		*seen |= 4;
		return dj_regions(rd, d, snap);
	}
	if (!strcmp(k, "total_bytes")) {
		dj_key(d, 0, "total_bytes");
		return dj_u64(d, DK_SIZE, true, &snap->total_bytes);
	}
	if (!strcmp(k, "sample_interval_us")) {
		dj_key(d, 0, "sample_interval_us");
		return dj_u64(d, DK_US, true, &snap->sample_interval_us);
	}
	if (!strcmp(k, "damos_stats")) {
		dj_key(d, 0, "damos_stats");
		return dj_stats(d, snap);
	}
	return jpull_skip(&d->jp);
}

static int dj_snapshot(struct record_reader *rd, struct dj *d,
		       struct snapshot *snap)
{
	static const char *const need[] = { "start_time", "end_time",
					     "regions" };
	unsigned int line, col, seen = 0, i;
	bool first = true;
	int r;

	if (jpull_next(&d->jp) != JT_LBRACE)
		return dj_unexpected(d, "a snapshot object");
	line = d->jp.tline;
	col = d->jp.tcol;
	while ((r = jpull_obj_key(&d->jp, first)) > 0) {
		first = false;
		if (dj_snapshot_key(rd, d, snap, &seen))
			return -EINVAL;
		dj_key(d, 0, NULL);
	}
	if (r)
		return r;
	for (i = 0; i < 3; i++)
		if (!(seen & 1u << i))
			return dj_error_at(d, line, col, "missing key '%s'",
					   need[i]);
	return 0;
}

/* Skip what is left of the current record, up to its closing '}'. */
static int dj_finish_record(struct dj *d)
{
	int r;

	if (d->state == DJ_CLOSED)
		return 0;
	if (d->state == DJ_SNAPS_OPEN && jpull_skip(&d->jp))
		return -EINVAL;
	while (d->state == DJ_SNAPS &&
	       (r = jpull_arr_more(&d->jp, d->first)) != 0) {
		d->first = false;
		if (r < 0 || jpull_skip(&d->jp))
			return -EINVAL;
	}
	while ((r = jpull_obj_key(&d->jp, false)) > 0)
		if (jpull_skip(&d->jp))
			return -EINVAL;
	return r;
}

/* Read a record whose '{' was taken, up to the start of its snapshots. */
static int dj_open_record(struct record_reader *rd, struct dj *d)
{
	unsigned int line = d->jp.tline, col = d->jp.tcol, sline, scol;
	struct rsrc_mark mark;
	int r;

	record_meta_release(&rd->meta);
	rd->meta.data_source = xstrdup("unknown");
	d->in_snap = false;
	d->in_reg = false;
	d->iv_seen = false;
	d->in_place = false;
	dj_key(d, 0, NULL);
	r = dj_record_keys(rd, d, &mark, &sline, &scol);
	if (r < 0)
		return r;
	if (r == 2) {
		d->in_place = true;
		d->state = DJ_SNAPS_OPEN;
		return 1;
	}
	if (!r)
		return dj_error_at(d, line, col, "missing key 'snapshots'");
	rsrc_reset(&rd->src, &mark);
	d->jp.line = sline;
	d->jp.col = scol;
	d->jp.peeked = false;
	d->state = DJ_SNAPS_OPEN;
	return 1;
}

/* The top level ended: only blanks may follow. */
static int dj_end(struct dj *d)
{
	d->state = DJ_DONE;
	return jpull_expect(&d->jp, JT_EOF, "end of input");
}

static int dj_next(struct record_reader *rd)
{
	struct dj *d = rd->priv;
	enum jtok t;
	int r;

	if (d->state == DJ_START) {
		t = jpull_next(&d->jp);
		if (t == JT_LBRACE) {
			d->single = true;
			return dj_open_record(rd, d);
		}
		if (t != JT_LBRACK)
			return dj_unexpected(d, "a list of records");
		d->state = DJ_BETWEEN;
		d->first = true;
	} else if (d->state == DJ_DONE) {
		return 0;
	} else if (d->state != DJ_BETWEEN) {
		if (dj_finish_record(d))
			return -EINVAL;
		if (d->single)
			return dj_end(d) ? -EINVAL : 0;
		d->state = DJ_BETWEEN;
		d->rec++;
	}
	r = jpull_arr_more(&d->jp, d->first);
	d->first = false;
	if (r <= 0)
		return r < 0 ? r : (dj_end(d) ? -EINVAL : 0);
	if (jpull_expect(&d->jp, JT_LBRACE, "a record object"))
		return -EINVAL;
	return dj_open_record(rd, d);
}

static int dj_next_snapshot(struct record_reader *rd, struct snapshot *snap)
{
	struct dj *d = rd->priv;
	int r;

	if (d->state == DJ_SNAPS_OPEN) {
		if (jpull_expect(&d->jp, JT_LBRACK, "a list of snapshots"))
			return -EINVAL;
		d->state = DJ_SNAPS;
		d->first = true;
		d->snap = 0;
	}
	if (d->state != DJ_SNAPS)
		return 0;
	r = jpull_arr_more(&d->jp, d->first);
	if (r <= 0) {
		d->state = DJ_AFTER;
		if (r || !d->in_place)
			return r;
		d->state = DJ_CLOSED;
		return dj_record_tail(rd, d);
	}
	if (!d->first)
		d->snap++;
	d->first = false;
	snapshot_clear(snap);
	d->in_snap = true;
	r = dj_snapshot(rd, d, snap);
	d->in_snap = false;
	return r ? r : 1;
}

static void dj_release(struct record_reader *rd)
{
	struct dj *d = rd->priv;

	if (d)
		free(d->hits);
	free(d);
	rd->priv = NULL;
}

static const struct record_ops dj_ops = {
	.next = dj_next,
	.next_snapshot = dj_next_snapshot,
	.release = dj_release,
};

void record_json_fast(struct record_reader *rd, bool on)
{
	if (rd->ops == &dj_ops)
		((struct dj *)rd->priv)->slow = !on;
}

uint64_t record_json_nr_fast(const struct record_reader *rd)
{
	return rd->ops == &dj_ops ? ((const struct dj *)rd->priv)->nr_fast :
				    0;
}

int record_json_init(struct record_reader *rd)
{
	struct dj *d = xcalloc(1, sizeof(*d));

	jpull_init(&d->jp, &rd->src, rd->path, rd->diag);
	rd->priv = d;
	rd->ops = &dj_ops;
	return 0;
}
