/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The native record format's item codecs (docs/record-format.md): records
 * and snapshots to bytes and back, shared by the writer and the reader.
 */
#include <stdlib.h>
#include <string.h>

#include "core/damon.h"
#include "core/snapshot.h"
#include "core/xalloc.h"
#include "formats/record_native.h"

void rn_buf_reserve(struct rn_buf *b, size_t more)
{
	size_t cap;

	if (b->cap - b->len >= more)
		return;
	cap = b->cap ? b->cap : 4096;
	while (cap - b->len < more)
		cap *= 2;
	b->p = xreallocarray(b->p, cap, 1);
	b->cap = cap;
}

void rn_buf_release(struct rn_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

void rn_put_bytes(struct rn_buf *b, const void *p, size_t n)
{
	rn_buf_reserve(b, n);
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
}

void rn_put_str(struct rn_buf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	rn_put_varint(b, n);
	rn_put_bytes(b, s, n);
}

void rn_put_le32(unsigned char *p, uint32_t v)
{
	unsigned int i;

	for (i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

void rn_put_le64(unsigned char *p, uint64_t v)
{
	unsigned int i;

	for (i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

uint32_t rn_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

uint64_t rn_le64(const unsigned char *p)
{
	return (uint64_t)rn_le32(p) | (uint64_t)rn_le32(p + 4) << 32;
}

bool rn_get_varint_slow(struct rn_in *in, uint64_t *v)
{
	uint64_t r = 0;
	unsigned int shift;

	for (shift = 0; shift < 70; shift += 7) {
		if (in->p >= in->end)
			break;
		r |= (uint64_t)(*in->p & 0x7f) << shift;
		if (!(*in->p++ & 0x80)) {
			*v = r;
			return true;
		}
	}
	in->bad = true;
	return false;
}

bool rn_get_u8(struct rn_in *in, unsigned int *v)
{
	if (in->p >= in->end) {
		in->bad = true;
		return false;
	}
	*v = *in->p++;
	return true;
}

bool rn_get_str(struct rn_in *in, char **s)
{
	uint64_t n;

	if (!rn_get_varint(in, &n))
		return false;
	if (n > (uint64_t)(in->end - in->p)) {
		in->bad = true;
		return false;
	}
	*s = xmalloc((size_t)n + 1);
	memcpy(*s, in->p, (size_t)n);
	(*s)[n] = '\0';
	in->p += n;
	return true;
}

static void encode_filter(struct rn_buf *b, const struct damos_filter *f)
{
	unsigned int fl = 0;

	fl |= f->matching ? RN_FLT_MATCHING : 0;
	fl |= f->allow ? RN_FLT_ALLOW : 0;
	fl |= f->has_hugepage_size ? RN_FLT_HUGEPAGE : 0;
	fl |= f->memcg_path ? RN_FLT_MEMCG : 0;
	rn_put_varint(b, (uint64_t)f->type);
	rn_put_u8(b, fl);
	if (f->memcg_path)
		rn_put_str(b, f->memcg_path);
	rn_put_varint(b, f->addr_range.start);
	rn_put_varint(b, f->addr_range.end);
	rn_put_varint(b, f->target_idx);
	rn_put_varint(b, f->min_hugepage_sz);
	rn_put_varint(b, f->max_hugepage_sz);
}

void rn_encode_meta(struct rn_buf *b, const struct record_meta *m)
{
	const struct damon_intervals *iv = &m->intervals;
	unsigned int fl = 0;
	size_t i;

	fl |= m->kdamond_is_stat ? RN_REC_STAT : 0;
	fl |= m->has_intervals ? RN_REC_INTERVALS : 0;
	fl |= m->data_source ? RN_REC_SOURCE : 0;
	rn_put_u8(b, fl);
	rn_put_opt(b, m->kdamond_idx);
	rn_put_opt(b, m->context_idx);
	rn_put_opt(b, m->scheme_idx);
	rn_put_opt(b, m->target_id);
	if (m->has_intervals) {
		rn_put_varint(b, iv->sample_us);
		rn_put_varint(b, iv->aggr_us);
		rn_put_varint(b, iv->ops_update_us);
		rn_put_varint(b, iv->goal.access_bp);
		rn_put_varint(b, iv->goal.aggrs);
		rn_put_varint(b, iv->goal.min_sample_us);
		rn_put_varint(b, iv->goal.max_sample_us);
	}
	if (m->data_source)
		rn_put_str(b, m->data_source);
	rn_put_varint(b, m->nr_scheme_filters);
	for (i = 0; i < m->nr_scheme_filters; i++)
		encode_filter(b, &m->scheme_filters[i]);
}

static bool decode_filter(struct rn_in *in, struct damos_filter *f)
{
	unsigned int fl;
	uint64_t type;

	if (!rn_get_varint(in, &type) || !rn_get_u8(in, &fl))
		return false;
	if (type >= NR_DAMOS_FILTER_TYPES || fl & ~0x0fu) {
		in->bad = true;
		return false;
	}
	f->type = (enum damos_filter_type)type;
	f->matching = fl & RN_FLT_MATCHING;
	f->allow = fl & RN_FLT_ALLOW;
	f->has_hugepage_size = fl & RN_FLT_HUGEPAGE;
	if ((fl & RN_FLT_MEMCG) && !rn_get_str(in, &f->memcg_path))
		return false;
	return rn_get_varint(in, &f->addr_range.start) &&
	       rn_get_varint(in, &f->addr_range.end) &&
	       rn_get_varint(in, &f->target_idx) &&
	       rn_get_varint(in, &f->min_hugepage_sz) &&
	       rn_get_varint(in, &f->max_hugepage_sz);
}

bool rn_decode_meta(struct rn_in *in, struct record_meta *m)
{
	struct damon_intervals *iv = &m->intervals;
	unsigned int fl;
	uint64_t nr, i;

	if (!rn_get_u8(in, &fl))
		return false;
	if (fl & ~0x07u) {
		in->bad = true;
		return false;
	}
	m->kdamond_is_stat = fl & RN_REC_STAT;
	m->has_intervals = fl & RN_REC_INTERVALS;
	if (!rn_get_opt(in, &m->kdamond_idx) ||
	    !rn_get_opt(in, &m->context_idx) ||
	    !rn_get_opt(in, &m->scheme_idx) ||
	    !rn_get_opt(in, &m->target_id))
		return false;
	if (m->has_intervals &&
	    !(rn_get_varint(in, &iv->sample_us) &&
	      rn_get_varint(in, &iv->aggr_us) &&
	      rn_get_varint(in, &iv->ops_update_us) &&
	      rn_get_varint(in, &iv->goal.access_bp) &&
	      rn_get_varint(in, &iv->goal.aggrs) &&
	      rn_get_varint(in, &iv->goal.min_sample_us) &&
	      rn_get_varint(in, &iv->goal.max_sample_us)))
		return false;
	if ((fl & RN_REC_SOURCE) && !rn_get_str(in, &m->data_source))
		return false;
	if (!rn_get_varint(in, &nr))
		return false;
	/* A filter takes at least 7 bytes: no more than the bytes left. */
	if (nr > (uint64_t)(in->end - in->p) / 7) {
		in->bad = true;
		return false;
	}
	if (nr)
		m->scheme_filters = xcalloc((size_t)nr,
					    sizeof(*m->scheme_filters));
	for (i = 0; i < nr; i++) {
		m->nr_scheme_filters++;
		if (!decode_filter(in, &m->scheme_filters[i]))
			return false;
	}
	return true;
}

/* The number of low bits that are zero in every region boundary. */
static unsigned int region_shift(const struct snapshot *s)
{
	uint64_t all = 0;
	size_t i;

	for (i = 0; i < s->nr_regions; i++)
		all |= s->regions[i].start | s->regions[i].end;
	return all ? (unsigned int)__builtin_ctzll(all) : 0;
}

void rn_encode_snapshot(struct rn_buf *b, const struct snapshot *s)
{
	const struct damos_stats *st = &s->stats;
	unsigned int fl = 0, shift = region_shift(s);
	uint64_t prev = 0, start, end;
	size_t i, j;

	for (i = 0; i < s->nr_regions; i++)
		if (s->regions[i].sz_filter_passed)
			fl |= RN_SNAP_FILTER_PASSED;
	fl |= s->has_stats ? RN_SNAP_STATS : 0;
	fl |= s->total_bytes != SNAP_NONE ? RN_SNAP_TOTAL : 0;
	fl |= s->sample_interval_us != SNAP_NONE ? RN_SNAP_SAMPLE_IV : 0;
	rn_put_u8(b, fl);
	rn_put_opt(b, s->start_ns);
	rn_put_opt(b, s->end_ns);
	if (fl & RN_SNAP_TOTAL)
		rn_put_varint(b, s->total_bytes);
	if (fl & RN_SNAP_SAMPLE_IV)
		rn_put_varint(b, s->sample_interval_us);
	if (s->has_stats) {
		rn_put_varint(b, st->nr_tried);
		rn_put_varint(b, st->sz_tried);
		rn_put_varint(b, st->nr_applied);
		rn_put_varint(b, st->sz_applied);
		rn_put_varint(b, st->sz_ops_filter_passed);
		rn_put_varint(b, st->qt_exceeds);
		rn_put_varint(b, st->nr_snapshots);
	}
	rn_put_varint(b, s->nr_regions);
	rn_put_varint(b, s->nr_regions ? s->nr_probes : 0);
	rn_put_u8(b, shift);
	for (i = 0; i < s->nr_regions; i++) {
		const struct snap_region *r = &s->regions[i];

		start = r->start >> shift;
		end = r->end >> shift;
		rn_put_zigzag(b, start - prev);
		rn_put_zigzag(b, end - start);
		rn_put_opt(b, r->nr_accesses);
		rn_put_opt(b, r->age);
		if (fl & RN_SNAP_FILTER_PASSED)
			rn_put_varint(b, r->sz_filter_passed);
		for (j = 0; j < s->nr_probes; j++)
			rn_put_varint(b, s->probe_hits[i * s->nr_probes + j]);
		prev = end;
	}
}

/* Grow @s to hold @nr regions of @nr_probes hits, in place. */
static void reserve(struct snapshot *s, size_t nr, size_t nr_probes)
{
	size_t need;

	if (nr > s->cap_regions) {
		free(s->regions);
		s->regions = xreallocarray(NULL, nr, sizeof(*s->regions));
		s->cap_regions = nr;
	}
	if (__builtin_mul_overflow(nr, nr_probes, &need))
		abort();
	if (need > s->cap_probe_hits) {
		free(s->probe_hits);
		s->probe_hits = xreallocarray(NULL, need,
					      sizeof(*s->probe_hits));
		s->cap_probe_hits = need;
	}
}

bool rn_decode_snapshot(struct rn_in *in, struct snapshot *s)
{
	struct damos_stats *st = &s->stats;
	uint64_t nr, nr_probes, prev = 0, d, size, hits;
	unsigned int fl, shift;
	struct snap_region *r;
	size_t i, j, min;

	if (!rn_get_u8(in, &fl) || !rn_get_opt(in, &s->start_ns) ||
	    !rn_get_opt(in, &s->end_ns))
		return false;
	if (fl & ~0x0fu)
		goto bad;
	if ((fl & RN_SNAP_TOTAL) && !rn_get_varint(in, &s->total_bytes))
		return false;
	if ((fl & RN_SNAP_SAMPLE_IV) &&
	    !rn_get_varint(in, &s->sample_interval_us))
		return false;
	s->has_stats = fl & RN_SNAP_STATS;
	if (s->has_stats &&
	    !(rn_get_varint(in, &st->nr_tried) &&
	      rn_get_varint(in, &st->sz_tried) &&
	      rn_get_varint(in, &st->nr_applied) &&
	      rn_get_varint(in, &st->sz_applied) &&
	      rn_get_varint(in, &st->sz_ops_filter_passed) &&
	      rn_get_varint(in, &st->qt_exceeds) &&
	      rn_get_varint(in, &st->nr_snapshots)))
		return false;
	if (!rn_get_varint(in, &nr) || !rn_get_varint(in, &nr_probes) ||
	    !rn_get_u8(in, &shift))
		return false;
	/* A region takes at least 4 bytes, a probe hit 1. */
	min = 4 + (fl & RN_SNAP_FILTER_PASSED ? 1 : 0);
	if (shift > 63 || (nr && nr_probes > (uint64_t)(in->end - in->p)) ||
	    nr > (uint64_t)(in->end - in->p) / (min + nr_probes))
		goto bad;
	reserve(s, (size_t)nr, (size_t)nr_probes);
	s->nr_regions = (size_t)nr;
	s->nr_probes = (size_t)nr_probes;
	for (i = 0; i < nr; i++) {
		r = &s->regions[i];
		if (!rn_get_varint(in, &d) || !rn_get_varint(in, &size))
			return false;
		prev += rn_unzigzag(d);
		r->start = prev << shift;
		prev += rn_unzigzag(size);
		r->end = prev << shift;
		if (!rn_get_opt(in, &r->nr_accesses) ||
		    !rn_get_opt(in, &r->age))
			return false;
		r->sz_filter_passed = 0;
		if ((fl & RN_SNAP_FILTER_PASSED) &&
		    !rn_get_varint(in, &r->sz_filter_passed))
			return false;
		for (j = 0; j < nr_probes; j++) {
			if (!rn_get_varint(in, &hits))
				return false;
			s->probe_hits[i * nr_probes + j] = hits;
		}
	}
	return true;
bad:
	in->bad = true;
	return false;
}
