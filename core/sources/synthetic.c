/* SPDX-License-Identifier: GPL-2.0 */
/* The synthetic access source: sampling a workload model, ground truth. */
#include "core/sources/synthetic.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/mon_clock.h"
#include "core/monitor_regions.h"
#include "core/xalloc.h"

static const struct synth_model *model_of(const struct synth_source *s,
					  size_t ti)
{
	if (!s->nr_models)
		return NULL;
	return &s->models[ti < s->nr_models ? ti : s->nr_models - 1];
}

/*
 * The phase index at absolute time @t, and in *end_ns when that phase
 * occurrence ends (UINT64_MAX: never).  -1 for a model without phases.
 */
static long phase_at(const struct synth_model *m, uint64_t start_ns,
		     uint64_t t, uint64_t *end_ns)
{
	uint64_t el = t > start_ns ? t - start_ns : 0, cycle = 0, base;
	size_t i;

	*end_ns = UINT64_MAX;
	if (!m || !m->nr_phases)
		return -1;
	for (i = 0; i < m->nr_phases; i++) {
		if (!m->phases[i].duration_us) {
			cycle = 0;
			break;
		}
		cycle += m->phases[i].duration_us * 1000;
	}
	base = t - el;
	if (m->repeat && cycle) {
		base += el / cycle * cycle;
		el %= cycle;
	}
	for (i = 0; i < m->nr_phases; i++) {
		uint64_t d = m->phases[i].duration_us * 1000;

		if (!d)
			return (long)i;
		if (el < d) {
			*end_ns = base + d;
			return (long)i;
		}
		el -= d;
		base += d;
	}
	return (long)m->nr_phases - 1;	/* run once: the last one lasts */
}

const struct synth_phase *synth_source_phase(const struct synth_source *s,
					     size_t ti, uint64_t now_ns)
{
	const struct synth_model *m = model_of(s, ti);
	uint64_t end;
	long pi = phase_at(m, s->start_ns, now_ns, &end);

	return pi < 0 ? NULL : &m->phases[pi];
}

static int synth_regions(struct access_source *src, size_t ti,
			 struct mon_ranges *out)
{
	struct synth_source *s = (struct synth_source *)src;
	const struct synth_model *m = model_of(s, ti);
	struct damon_addr_range three[3];
	int i, err;

	if (s->kind != SYNTH_VADDR || !m)
		return 0;
	err = damon_three_regions(m->mappings, m->nr_mappings, MON_MIN_REGION,
				  three);
	if (err)
		return err;
	for (i = 0; i < 3; i++)
		mon_ranges_push(out, three[i].start, three[i].end);
	return 0;
}

static int synth_update(struct access_source *src, size_t ti,
			struct mon_ranges *out)
{
	struct synth_source *s = (struct synth_source *)src;
	int err;

	if (s->kind != SYNTH_VADDR || !s->valid[ti])
		return 0;
	err = synth_regions(src, ti, out);
	return err ? err : 1;
}

static int synth_prepare(struct access_source *src, size_t ti,
			 const uint64_t *addrs, size_t n)
{
	/* probabilities per sample need no per-page state */
	(void)src;
	(void)ti;
	(void)addrs;
	(void)n;
	return 0;
}

static int synth_check(struct access_source *src, size_t ti,
		       const uint64_t *addrs, size_t n, bool *accessed)
{
	struct synth_source *s = (struct synth_source *)src;
	const struct synth_phase *p;
	uint64_t now;
	size_t i;

	/*
	 * The check answers for the sampling interval that just ended: its
	 * last nanosecond, not the instant after it, which may already be in
	 * the next phase.
	 */
	now = mon_clock_now_ns(s->clock);
	p = synth_source_phase(s, ti, now ? now - 1 : 0);
	for (i = 0; i < n; i++) {
		uint32_t bp = p ? synth_phase_access_bp(p, addrs[i],
							 s->writes_only) : 0;

		accessed[i] = bp >= 10000 ||
			      (bp && mon_rand_range(&s->rand, 0, 10000) < bp);
		s->nr_accessed += accessed[i];
	}
	s->nr_checked += n;
	return 0;
}

static bool synth_target_valid(struct access_source *src, size_t ti)
{
	struct synth_source *s = (struct synth_source *)src;

	if (!s->nr_models)
		return s->valid[0];
	return s->valid[ti < s->nr_models ? ti : s->nr_models - 1];
}

static void synth_destroy(struct access_source *src)
{
	synth_source_release((struct synth_source *)src);
}

static const struct access_source_ops synth_ops = {
	.init_regions = synth_regions,
	.update_regions = synth_update,
	.prepare = synth_prepare,
	.check = synth_check,
	.target_valid = synth_target_valid,
	.destroy = synth_destroy,
};

void synth_source_init(struct synth_source *s, const struct synth_model *models,
		       size_t nr_models, struct mon_clock *clock,
		       uint64_t seed)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	s->base.ops = &synth_ops;
	s->models = models;
	s->nr_models = nr_models;
	s->clock = clock;
	s->start_ns = mon_clock_now_ns(clock);
	mon_rand_init(&s->rand, seed);
	s->kind = SYNTH_VADDR;
	s->valid = xcalloc(nr_models ? nr_models : 1, sizeof(*s->valid));
	for (i = 0; i < (nr_models ? nr_models : 1); i++)
		s->valid[i] = true;
}

void synth_source_release(struct synth_source *s)
{
	free(s->valid);
	memset(s, 0, sizeof(*s));
}

void synth_source_set_valid(struct synth_source *s, size_t ti, bool valid)
{
	if (ti < s->nr_models)
		s->valid[ti] = valid;
}

uint32_t synth_source_mean_bp(const struct synth_source *s, size_t ti,
			      uint64_t from_ns, uint64_t to_ns, uint64_t addr)
{
	const struct synth_model *m = model_of(s, ti);
	unsigned __int128 sum = 0;
	uint64_t t = from_ns, end;

	if (to_ns <= from_ns)
		return 0;
	while (t < to_ns) {
		long pi = phase_at(m, s->start_ns, t, &end);
		uint64_t seg_end = end < to_ns ? end : to_ns;

		if (pi >= 0)
			sum += (unsigned __int128)(seg_end - t) *
			       synth_phase_access_bp(&m->phases[pi], addr,
						     false);
		t = seg_end;
	}
	return (uint32_t)(sum / (to_ns - from_ns));
}

void synth_truth_init(struct synth_truth *tr)
{
	memset(tr, 0, sizeof(*tr));
}

void synth_truth_release(struct synth_truth *tr)
{
	free(tr->hot);
	free(tr->bounds);
	synth_truth_init(tr);
}

static void push_bound(struct synth_truth *tr, uint64_t b)
{
	xgrow((void **)&tr->bounds, tr->nr_bounds, &tr->cap_bounds,
	      sizeof(*tr->bounds));
	tr->bounds[tr->nr_bounds++] = b;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Every range bound of every phase active in [from, to), sorted, unique. */
static void collect_bounds(const struct synth_source *s, size_t ti,
			   uint64_t from, uint64_t to, struct synth_truth *tr)
{
	const struct synth_model *m = model_of(s, ti);
	uint64_t t = from, end;
	size_t i, w = 0;

	tr->nr_bounds = 0;
	while (t < to) {
		long pi = phase_at(m, s->start_ns, t, &end);

		if (pi >= 0) {
			for (i = 0; i < m->phases[pi].nr_ranges; i++) {
				push_bound(tr, m->phases[pi].ranges[i].start);
				push_bound(tr, m->phases[pi].ranges[i].end);
			}
		}
		t = end < to ? end : to;
	}
	if (!tr->nr_bounds)
		return;
	qsort(tr->bounds, tr->nr_bounds, sizeof(*tr->bounds), cmp_u64);
	for (i = 0; i < tr->nr_bounds; i++) {
		if (!w || tr->bounds[w - 1] != tr->bounds[i])
			tr->bounds[w++] = tr->bounds[i];
	}
	tr->nr_bounds = w;
}

static void push_hot(struct synth_truth *tr, uint64_t start, uint64_t end)
{
	if (tr->nr_hot && tr->hot[tr->nr_hot - 1].end == start) {
		tr->hot[tr->nr_hot - 1].end = end;
		return;
	}
	xgrow((void **)&tr->hot, tr->nr_hot, &tr->cap_hot, sizeof(*tr->hot));
	tr->hot[tr->nr_hot].start = start;
	tr->hot[tr->nr_hot].end = end;
	tr->nr_hot++;
}

void synth_source_truth(const struct synth_source *s, size_t ti,
			uint64_t from_ns, uint64_t to_ns,
			uint32_t threshold_bp, struct synth_truth *tr)
{
	size_t i;

	tr->nr_hot = 0;
	tr->hot_bytes = 0;
	tr->wss_bytes = 0;
	collect_bounds(s, ti, from_ns, to_ns, tr);
	for (i = 0; i + 1 < tr->nr_bounds; i++) {
		uint64_t a = tr->bounds[i], b = tr->bounds[i + 1];
		uint32_t bp = synth_source_mean_bp(s, ti, from_ns, to_ns, a);

		if (bp)
			tr->wss_bytes += b - a;
		if (bp > threshold_bp) {
			push_hot(tr, a, b);
			tr->hot_bytes += b - a;
		}
	}
}
