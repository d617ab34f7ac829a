/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests for core/monitor*.c and the synthetic source, in virtual time. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "core/access_source.h"
#include "core/damon.h"
#include "core/mon_clock.h"
#include "core/mon_rand.h"
#include "core/monitor.h"
#include "core/sources/synthetic.h"
#include "core/xalloc.h"

#define KIB 1024ULL
#define MIB (1024ULL * 1024)
#define PG 4096ULL

/* A source whose answer is a pure function of the address (and time). */
struct fn_source {
	struct access_source base;
	/* accessed every sample: even pages of @stride, or all, or none */
	enum { FN_ALL, FN_NONE, FN_ALTERNATE, FN_RATE } mode;
	uint64_t stride;
	const struct monitor *mon;	/* FN_RATE reads sample_us */
	uint64_t us_per_bp;		/* FN_RATE: p = sample_us / us_per_bp */
	struct mon_rand rand;
};

static int fn_check(struct access_source *src, size_t ti,
		    const uint64_t *addrs, size_t n, bool *accessed)
{
	struct fn_source *s = (struct fn_source *)src;
	size_t i;

	(void)ti;
	for (i = 0; i < n; i++) {
		uint64_t bp;

		switch (s->mode) {
		case FN_ALL:
			accessed[i] = true;
			break;
		case FN_NONE:
			accessed[i] = false;
			break;
		case FN_ALTERNATE:
			accessed[i] = (addrs[i] / s->stride) % 2 == 0;
			break;
		case FN_RATE:
			bp = s->mon->attrs.sample_us / s->us_per_bp;
			accessed[i] = mon_rand_range(&s->rand, 0, 10000) < bp;
			break;
		}
	}
	return 0;
}

static const struct access_source_ops fn_ops = {
	.check = fn_check,
};

static void fn_source_init(struct fn_source *s, int mode, uint64_t stride)
{
	memset(s, 0, sizeof(*s));
	s->base.ops = &fn_ops;
	s->mode = mode;
	s->stride = stride;
	mon_rand_init(&s->rand, 7);
}

/* A context with one target of @nr user regions of @sz bytes each. */
static void ctx_with_regions(struct damon_ctx *c, size_t nr, uint64_t sz)
{
	struct damon_target *t;
	size_t i;

	damon_ctx_init(c);
	c->ops = DAMON_OPS_FVADDR;
	t = damon_ctx_add_target(c);
	t->has_pid = true;
	t->pid = 1;
	for (i = 0; i < nr; i++) {
		struct damon_addr_range *r = damon_target_add_region(t);

		r->start = 1 * MIB + i * sz;
		r->end = r->start + sz;
	}
}

static void setup_monitor(struct monitor *mon, const struct damon_ctx *c,
			  struct mon_clock *clk, struct access_source *src,
			  uint64_t seed, const struct monitor_hooks *hooks)
{
	struct monitor_setup st = {
		.ctx = c, .clock = clk, .source = src, .seed = seed,
	};

	if (hooks)
		st.hooks = *hooks;
	assert_int_equal(monitor_init(mon, &st), 0);
}

/* A vaddr context for the synthetic source: @nr targets, no regions. */
static void synth_ctx(struct damon_ctx *c, size_t nr)
{
	size_t i;

	damon_ctx_init(c);
	c->ops = DAMON_OPS_VADDR;
	for (i = 0; i < nr; i++) {
		struct damon_target *t = damon_ctx_add_target(c);

		t->has_pid = true;
		t->pid = 100 + (int64_t)i;
	}
}

static void test_three_regions_split_at_the_two_largest_gaps(void **state)
{
	const struct damon_addr_range maps[] = {
		{ 10 * PG, 20 * PG },		/* heap */
		{ 20 * PG, 25 * PG },		/* adjacent: no gap */
		{ 100 * PG, 110 * PG },		/* gap 75 pages */
		{ 120 * PG, 130 * PG },		/* gap 10 */
		{ 1000 * PG, 1001 * PG + 5 },	/* gap 870, end unaligned */
	};
	struct damon_addr_range out[3];

	(void)state;
	assert_int_equal(damon_three_regions(maps, 5, PG, out), 0);
	assert_int_equal(out[0].start, 10 * PG);
	assert_int_equal(out[0].end, 25 * PG);
	assert_int_equal(out[1].start, 100 * PG);
	assert_int_equal(out[1].end, 130 * PG);
	assert_int_equal(out[2].start, 1000 * PG);
	assert_int_equal(out[2].end, 1002 * PG);
	/* one gap only: refused, like the kernel */
	assert_int_equal(damon_three_regions(maps, 3, PG, out), -22);
}

static void test_initial_vaddr_regions_are_split_evenly(void **state)
{
	struct synth_model m;
	struct synth_params p;
	struct synth_source src;
	struct mon_clock clk;
	struct damon_ctx c;
	struct monitor mon;
	struct mon_target *t;
	uint64_t total, piece;

	(void)state;
	synth_params_init(&p);
	synth_model_init(&m);
	synth_model_stairs(&m, &p);
	mon_clock_init_virtual(&clk, 0);
	synth_source_init(&src, &m, 1, &clk, 1);
	synth_ctx(&c, 1);
	setup_monitor(&mon, &c, &clk, &src.base, 1, NULL);
	t = &mon.targets[0];
	/* heap and stack are under one piece: kept whole */
	total = SYNTH_HEAP_SZ + p.area_sz + (SYNTH_STACK_END - SYNTH_STACK_START);
	piece = total / c.min_nr_regions;
	assert_int_equal(t->nr_regions, 2 + p.area_sz / piece);
	assert_int_equal(t->regions[0].start, SYNTH_HEAP_START);
	assert_int_equal(t->regions[0].end, SYNTH_HEAP_START + SYNTH_HEAP_SZ);
	assert_int_equal(t->regions[1].start, SYNTH_AREA_START);
	/* nr_pieces = size / piece, each align_down(size / nr_pieces) */
	assert_int_equal(mon_region_sz(&t->regions[1]),
			 p.area_sz / (p.area_sz / piece) / PG * PG);
	assert_int_equal(t->regions[t->nr_regions - 2].end,
			 SYNTH_AREA_START + p.area_sz);
	assert_int_equal(mon.sz_limit, mon_target_sz(t) / c.min_nr_regions);
	monitor_release(&mon);
	synth_source_release(&src);
	synth_model_release(&m);
	damon_ctx_release(&c);
}

/* Merge one pass with hand-worked numbers (docs/kernel-damon.md §4.5). */
static void test_merge_averages_by_size_and_ages_by_the_rules(void **state)
{
	struct mon_target t;
	struct mon_region *r;

	(void)state;
	mon_target_init(&t);
	mon_target_insert(&t, 0, 0, 10 * PG);
	mon_target_insert(&t, 1, 10 * PG, 20 * PG);
	mon_target_insert(&t, 2, 20 * PG, 30 * PG);
	mon_target_insert(&t, 3, 30 * PG, 40 * PG);
	r = t.regions;
	r[0].nr_accesses = 10, r[0].last_nr_accesses = 10, r[0].age = 5;
	r[1].nr_accesses = 12, r[1].last_nr_accesses = 0, r[1].age = 3;
	r[2].nr_accesses = 0, r[2].last_nr_accesses = 0, r[2].age = 7;
	/* within the threshold, but crossing zero: age resets (6.18) */
	r[3].nr_accesses = 1, r[3].last_nr_accesses = 0, r[3].age = 9;
	mon_target_merge(&t, 2, 1000 * PG);
	/*
	 * r0: |10-10| <= 2, age 6.  r1: |12-0| > 2, age 0; merges into r0:
	 * nr (10*40K + 12*40K) / 80K = 11, age (6 + 0) / 2 = 3.  r2: age 8;
	 * |11 - 0| > 2, kept.  r3: age 0; |0 - 1| <= 2: merged into r2:
	 * nr (0 + 1) / 2 = 0, age (8 + 0) / 2 = 4.
	 */
	assert_int_equal(t.nr_regions, 2);
	r = t.regions;
	assert_int_equal(r[0].end, 20 * PG);
	assert_int_equal(r[0].nr_accesses, 11);
	assert_int_equal(r[0].nr_accesses_bp, 110000);
	assert_int_equal(r[0].age, 3);
	assert_int_equal(r[0].last_nr_accesses, 10);
	assert_int_equal(r[1].start, 20 * PG);
	assert_int_equal(r[1].end, 40 * PG);
	assert_int_equal(r[1].nr_accesses, 0);
	assert_int_equal(r[1].age, 4);
	/* the size limit stops a merge */
	mon_target_merge(&t, 100, 25 * PG);
	assert_int_equal(t.nr_regions, 2);
	mon_target_release(&t);
}

struct agg_probe {
	size_t calls;
	size_t nr[8];
	uint32_t nr_acc[8][4];
	uint32_t age[8][4];
	size_t bad_bp;
	uint64_t min_nr, max_nr;
	size_t out_of_bounds;
};

static void probe_aggregated(void *data, const struct monitor *mon)
{
	struct agg_probe *p = data;
	const struct mon_target *t = &mon->targets[0];
	size_t i, k = p->calls < 8 ? p->calls : 7;
	size_t nr = monitor_nr_regions(mon);

	p->nr[k] = t->nr_regions;
	for (i = 0; i < t->nr_regions && i < 4; i++) {
		p->nr_acc[k][i] = t->regions[i].nr_accesses;
		p->age[k][i] = t->regions[i].age;
	}
	for (i = 0; i < t->nr_regions; i++) {
		if (t->regions[i].nr_accesses_bp !=
		    t->regions[i].nr_accesses * 10000)
			p->bad_bp++;
	}
	if (nr < p->min_nr || nr > p->max_nr)
		p->out_of_bounds++;
	p->calls++;
}

/*
 * Twelve regions alternating always/never accessed, max_nr_regions 4:
 * the merge repeats with threshold 2, 4, 8, 16, 32 and ages every pass.
 */
static void test_merge_doubles_threshold_until_under_max(void **state)
{
	struct agg_probe probe = { .min_nr = 0, .max_nr = SIZE_MAX };
	struct monitor_hooks hooks = {
		.data = &probe, .aggregated = probe_aggregated,
	};
	struct fn_source src;
	struct mon_clock clk;
	struct damon_ctx c;
	struct monitor mon;
	size_t i;

	(void)state;
	ctx_with_regions(&c, 12, 4 * PG);
	c.min_nr_regions = 3;
	c.max_nr_regions = 4;
	fn_source_init(&src, FN_ALTERNATE, 4 * PG);
	mon_clock_init_virtual(&clk, 0);
	setup_monitor(&mon, &c, &clk, &src.base, 1, &hooks);
	/* user regions start at 1 MiB = 64 strides: even strides accessed */
	monitor_run(&mon, 1, 0);
	assert_int_equal(probe.calls, 1);
	/*
	 * Passes with thresholds 2..16 merge nothing (|20 - 0| > 16); the
	 * fifth (32) merges groups of four (sz_limit = 48 pages / 3).  Idle
	 * regions aged 5 times, busy ones reset every time.  Group A N A N:
	 * nr 20,0 -> 10 (age 2); +20 -> 13 (age 1); +0 -> 9 (age 2).
	 */
	assert_int_equal(probe.nr[0], 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(probe.nr_acc[0][i], 9);
		assert_int_equal(probe.age[0][i], 2);
	}
	monitor_release(&mon);
	damon_ctx_release(&c);
}

static void test_split_cuts_at_aligned_random_points(void **state)
{
	struct mon_rand rnd, replay;
	struct mon_target t;
	uint64_t sz = 100 * PG, k1, k2, left, left2;

	(void)state;
	mon_target_init(&t);
	mon_target_insert(&t, 0, 0, sz);
	mon_target_insert(&t, 1, sz, sz + 2 * PG);	/* too small to split */
	t.regions[0].nr_accesses = 7;
	t.regions[0].nr_accesses_bp = 70000;
	t.regions[0].last_nr_accesses = 3;
	t.regions[0].age = 11;
	mon_rand_init(&rnd, 42);
	replay = rnd;
	mon_target_split(&t, 3, PG, &rnd);
	k1 = mon_rand_range(&replay, 1, 10);
	k2 = mon_rand_range(&replay, 1, 10);
	left = k1 * sz / 10 / PG * PG;
	left2 = k2 * left / 10 / PG * PG;
	assert_true(left2 > 0);
	assert_int_equal(t.nr_regions, 4);
	assert_int_equal(t.regions[0].end, left2);
	assert_int_equal(t.regions[1].start, left2);
	assert_int_equal(t.regions[1].end, left);
	assert_int_equal(t.regions[2].start, left);
	assert_int_equal(t.regions[2].end, sz);
	assert_int_equal(t.regions[3].start, sz);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(t.regions[i].nr_accesses, 7);
		assert_int_equal(t.regions[i].nr_accesses_bp, 70000);
		assert_int_equal(t.regions[i].last_nr_accesses, 3);
		assert_int_equal(t.regions[i].age, 11);
	}
	mon_target_release(&t);
}

/*
 * Three busy regions of 100 pages with min_nr_regions 3: sz_limit stops
 * merges across them, so every aggregation starts again from three and
 * the split rule alone decides the count.
 */
static size_t regions_after(uint64_t max_nr, size_t nr_aggrs)
{
	struct fn_source src;
	struct mon_clock clk;
	struct damon_ctx c;
	struct monitor mon;
	size_t nr;

	ctx_with_regions(&c, 3, 100 * PG);
	c.min_nr_regions = 3;
	c.max_nr_regions = max_nr;
	fn_source_init(&src, FN_ALL, 0);
	mon_clock_init_virtual(&clk, 0);
	setup_monitor(&mon, &c, &clk, &src.base, 5, NULL);
	monitor_run(&mon, nr_aggrs, 0);
	nr = monitor_nr_regions(&mon);
	monitor_release(&mon);
	damon_ctx_release(&c);
	return nr;
}

static void test_split_makes_two_then_three_pieces_under_half_max(void **state)
{
	(void)state;
	/* first split: last_nr (0) != 3: two pieces each */
	assert_int_equal(regions_after(1000, 1), 6);
	/* merged back to 3 == last_nr and 3 < 1000 / 3: three pieces */
	assert_int_equal(regions_after(1000, 2), 9);
	/* 3 >= 8 / 3: two pieces */
	assert_int_equal(regions_after(8, 2), 6);
	/* 3 > 5 / 2: no split at all */
	assert_int_equal(regions_after(5, 2), 3);
}

static void test_split_state_is_per_monitor(void **state)
{
	struct fn_source src;
	struct mon_clock clk;
	struct damon_ctx c;
	struct monitor a, b;

	(void)state;
	ctx_with_regions(&c, 3, 100 * PG);
	c.min_nr_regions = 3;
	fn_source_init(&src, FN_ALL, 0);
	mon_clock_init_virtual(&clk, 0);
	setup_monitor(&a, &c, &clk, &src.base, 5, NULL);
	setup_monitor(&b, &c, &clk, &src.base, 5, NULL);
	monitor_run(&a, 2, 0);
	/* b's first split must not see a's last_nr (3) */
	monitor_run(&b, 1, 0);
	assert_int_equal(monitor_nr_regions(&b), 6);
	monitor_release(&a);
	monitor_release(&b);
	damon_ctx_release(&c);
}

static void test_region_count_stays_within_min_and_max(void **state)
{
	static const uint64_t maxes[] = { 20, 100, 1000 };
	struct synth_model m;
	struct synth_params p;
	size_t k;

	(void)state;
	synth_params_init(&p);
	p.nr_steps = 8;
	p.phase_us = 500000;
	p.cold_bp = 300;
	p.repeat = true;
	synth_model_init(&m);
	synth_model_zigzag(&m, &p);
	for (k = 0; k < ARRAY_SIZE(maxes); k++) {
		struct agg_probe probe = { .min_nr = 10, .max_nr = maxes[k] };
		struct monitor_hooks hooks = {
			.data = &probe, .aggregated = probe_aggregated,
		};
		struct synth_source src;
		struct mon_clock clk;
		struct damon_ctx c;
		struct monitor mon;
		size_t i;

		mon_clock_init_virtual(&clk, 0);
		synth_source_init(&src, &m, 1, &clk, 3);
		synth_ctx(&c, 1);
		c.max_nr_regions = maxes[k];
		setup_monitor(&mon, &c, &clk, &src.base, 3, &hooks);
		for (i = 0; i < 300; i++) {
			size_t nr;

			monitor_run(&mon, 1, 0);
			nr = monitor_nr_regions(&mon);
			assert_true(nr >= 10 && nr <= maxes[k]);
		}
		assert_int_equal(probe.out_of_bounds, 0);
		assert_int_equal(probe.calls, 300);
		monitor_release(&mon);
		synth_source_release(&src);
		damon_ctx_release(&c);
	}
	synth_model_release(&m);
}

/* One phase, forever: [area + 24 MiB, area + 32 MiB) hot at 90 %. */
static void hot_spot_model(struct synth_model *m)
{
	struct synth_phase *ph;

	synth_model_init(m);
	synth_model_add_mapping(m, SYNTH_HEAP_START,
				SYNTH_HEAP_START + SYNTH_HEAP_SZ);
	synth_model_add_mapping(m, SYNTH_AREA_START,
				SYNTH_AREA_START + 64 * MIB);
	synth_model_add_mapping(m, SYNTH_STACK_START, SYNTH_STACK_END);
	ph = synth_model_add_phase(m, 0);
	synth_phase_add_range(ph, SYNTH_AREA_START + 24 * MIB,
			      SYNTH_AREA_START + 32 * MIB, 9000, true);
}

struct accuracy {
	const struct synth_source *src;
	struct synth_truth truth;
	uint64_t err_bytes;		/* misclassified in the last aggr */
	uint64_t hot_bytes;
	uint32_t min_hot_nr;		/* over regions inside the hot range */
	uint32_t max_cold_nr;		/* over regions outside it */
};

static void accuracy_aggregated(void *data, const struct monitor *mon)
{
	struct accuracy *a = data;
	const struct mon_target *t = &mon->targets[0];
	uint32_t half = mon_attrs_max_nr_accesses(&mon->attrs) / 2;
	size_t i;

	synth_source_truth(a->src, 0, mon->aggr_start_ns,
			   mon_clock_now_ns(mon->clock), 5000, &a->truth);
	a->hot_bytes = a->truth.hot_bytes;
	a->err_bytes = 0;
	a->min_hot_nr = UINT32_MAX;
	a->max_cold_nr = 0;
	for (i = 0; i < t->nr_regions; i++) {
		const struct mon_region *r = &t->regions[i];
		const struct damon_addr_range *h = &a->truth.hot[0];
		uint64_t lo = r->start > h->start ? r->start : h->start;
		uint64_t hi = r->end < h->end ? r->end : h->end;
		uint64_t in = hi > lo ? hi - lo : 0;
		bool said_hot = r->nr_accesses >= half;

		a->err_bytes += said_hot ? mon_region_sz(r) - in : in;
		if (in == mon_region_sz(r) && r->nr_accesses < a->min_hot_nr)
			a->min_hot_nr = r->nr_accesses;
		if (!in && r->nr_accesses > a->max_cold_nr)
			a->max_cold_nr = r->nr_accesses;
	}
}

static void test_regions_converge_on_the_hot_range(void **state)
{
	struct accuracy acc = { 0 };
	struct monitor_hooks hooks = {
		.data = &acc, .aggregated = accuracy_aggregated,
	};
	struct synth_source src;
	struct synth_model m;
	struct mon_clock clk;
	struct damon_ctx c;
	struct monitor mon;

	(void)state;
	hot_spot_model(&m);
	mon_clock_init_virtual(&clk, 0);
	synth_source_init(&src, &m, 1, &clk, 11);
	acc.src = &src;
	synth_truth_init(&acc.truth);
	synth_ctx(&c, 1);
	setup_monitor(&mon, &c, &clk, &src.base, 11, &hooks);
	monitor_run(&mon, 200, 0);
	assert_int_equal(acc.truth.nr_hot, 1);
	assert_int_equal(acc.hot_bytes, 8 * MIB);
	assert_int_equal(acc.truth.wss_bytes, 8 * MIB);
	/* 90 % of 20 samples inside, never outside */
	assert_true(acc.min_hot_nr >= 12);
	assert_int_equal(acc.max_cold_nr, 0);
	/* misclassified bytes within 3 % of the hot range */
	assert_true(acc.err_bytes * 100 <= acc.hot_bytes * 3);
	monitor_release(&mon);
	synth_truth_release(&acc.truth);
	synth_source_release(&src);
	synth_model_release(&m);
	damon_ctx_release(&c);
}

/* FNV-1a over every region of every aggregation. */
struct digest {
	uint64_t h;
};

static void digest_aggregated(void *data, const struct monitor *mon)
{
	struct digest *d = data;
	const struct mon_target *t = &mon->targets[0];
	size_t i, j;

	for (i = 0; i < t->nr_regions; i++) {
		const unsigned char *b = (const unsigned char *)&t->regions[i];

		for (j = 0; j < sizeof(t->regions[i]); j++) {
			d->h ^= b[j];
			d->h *= 0x100000001b3ULL;
		}
	}
}

static uint64_t run_digest(uint64_t mon_seed, uint64_t src_seed)
{
	struct digest d = { 0xcbf29ce484222325ULL };
	struct monitor_hooks hooks = {
		.data = &d, .aggregated = digest_aggregated,
	};
	struct synth_source src;
	struct synth_params p;
	struct synth_model m;
	struct mon_clock clk;
	struct damon_ctx c;
	struct monitor mon;

	synth_params_init(&p);
	p.cold_bp = 500;
	synth_model_init(&m);
	synth_model_hot_cold(&m, &p);
	mon_clock_init_virtual(&clk, 0);
	synth_source_init(&src, &m, 1, &clk, src_seed);
	synth_ctx(&c, 1);
	setup_monitor(&mon, &c, &clk, &src.base, mon_seed, &hooks);
	monitor_run(&mon, 100, 0);
	monitor_release(&mon);
	synth_source_release(&src);
	synth_model_release(&m);
	damon_ctx_release(&c);
	return d.h;
}

static void test_same_seed_gives_identical_results(void **state)
{
	(void)state;
	assert_int_equal(run_digest(1, 2), run_digest(1, 2));
	assert_int_not_equal(run_digest(1, 2), run_digest(3, 2));
	assert_int_not_equal(run_digest(1, 2), run_digest(1, 4));
}

static void test_nr_accesses_bp_equals_nr_accesses_at_each_boundary(
	void **state)
{
	struct agg_probe probe = { .min_nr = 0, .max_nr = SIZE_MAX };
	struct monitor_hooks hooks = {
		.data = &probe, .aggregated = probe_aggregated,
	};
	struct synth_source src;
	struct synth_params p;
	struct synth_model m;
	struct mon_clock clk;
	struct damon_ctx c;
	struct monitor mon;

	(void)state;
	synth_params_init(&p);
	p.cold_bp = 2000;
	p.phase_us = 300000;
	p.repeat = true;
	synth_model_init(&m);
	synth_model_stairs(&m, &p);
	mon_clock_init_virtual(&clk, 0);
	synth_source_init(&src, &m, 1, &clk, 9);
	synth_ctx(&c, 1);
	setup_monitor(&mon, &c, &clk, &src.base, 9, &hooks);
	monitor_run(&mon, 200, 0);
	/* the moving sum arrived there by itself: no fix-up was needed */
	assert_int_equal(mon.nr_bp_fixups, 0);
	assert_int_equal(probe.bad_bp, 0);
	monitor_release(&mon);
	synth_source_release(&src);
	damon_ctx_release(&c);

	/* a window of 3 samples does not divide 10000: the kernel's WARN */
	synth_ctx(&c, 1);
	c.intervals.sample_us = 30000;
	c.intervals.aggr_us = 90000;
	synth_source_init(&src, &m, 1, &clk, 9);
	setup_monitor(&mon, &c, &clk, &src.base, 9, &hooks);
	monitor_run(&mon, 50, 0);
	assert_true(mon.nr_bp_fixups > 0);
	assert_int_equal(probe.bad_bp, 0);
	monitor_release(&mon);
	synth_source_release(&src);
	synth_model_release(&m);
	damon_ctx_release(&c);
}

static void test_moving_sum_drops_one_average_sample_per_sample(void **state)
{
	struct fn_source src;
	struct mon_clock clk;
	struct damon_ctx c;
	struct monitor mon;
	struct mon_region *r;

	(void)state;
	ctx_with_regions(&c, 3, 100 * PG);
	c.min_nr_regions = 3;
	c.max_nr_regions = 5;		/* no split, to keep one region */
	fn_source_init(&src, FN_NONE, 0);
	mon_clock_init_virtual(&clk, 0);
	setup_monitor(&mon, &c, &clk, &src.base, 1, NULL);
	r = &mon.targets[0].regions[0];
	r->last_nr_accesses = 10;
	r->nr_accesses_bp = 100000;
	monitor_step(&mon);
	/* 100000 - 10 * 10000 / 20 + 0 */
	assert_int_equal(mon.targets[0].regions[0].nr_accesses_bp, 95000);
	src.mode = FN_ALL;
	monitor_step(&mon);
	assert_int_equal(mon.targets[0].regions[0].nr_accesses_bp, 100000);
	assert_int_equal(mon.targets[0].regions[0].nr_accesses, 1);
	monitor_release(&mon);
	damon_ctx_release(&c);
}

struct apply_count {
	struct damos_actions base;
	uint64_t calls[2];
};

static uint64_t count_apply(struct damos_actions *a, size_t ti,
			    uint64_t start, uint64_t end,
			    const struct damos *s, size_t si)
{
	struct apply_count *c = (struct apply_count *)a;

	(void)s;
	(void)si;
	c->calls[ti]++;
	return end - start;
}

static const struct damos_actions_ops count_ops = { .apply = count_apply };

static void test_invalid_target_is_skipped_and_all_invalid_stops(void **state)
{
	struct apply_count act = { { &count_ops, 0 }, { 0, 0 } };
	struct synth_model models[2];
	struct synth_params p;
	struct synth_source src;
	struct mon_clock clk;
	struct damon_ctx c;
	struct monitor mon;
	struct monitor_setup st = { 0 };
	uint64_t calls1;
	size_t i;

	(void)state;
	synth_params_init(&p);
	p.cold_bp = 5000;
	for (i = 0; i < 2; i++) {
		synth_model_init(&models[i]);
		synth_model_hot_cold(&models[i], &p);
	}
	mon_clock_init_virtual(&clk, 0);
	synth_source_init(&src, models, 2, &clk, 4);
	synth_ctx(&c, 2);
	damon_ctx_add_scheme(&c)->action = DAMOS_STAT;
	st.ctx = &c;
	st.clock = &clk;
	st.source = &src.base;
	st.actions = &act.base;
	st.seed = 4;
	assert_int_equal(monitor_init(&mon, &st), 0);
	monitor_run(&mon, 10, 0);
	assert_true(act.calls[0] > 0 && act.calls[1] > 0);

	synth_source_set_valid(&src, 1, false);
	monitor_run(&mon, 1, 0);	/* finish the aggregation in flight */
	calls1 = act.calls[1];
	monitor_run(&mon, 10, 0);
	assert_false(mon.stopped);
	assert_int_equal(act.calls[1], calls1);
	/* never sampled: seen as not accessed */
	for (i = 0; i < mon.targets[1].nr_regions; i++)
		assert_int_equal(mon.targets[1].regions[i].last_nr_accesses, 0);

	synth_source_set_valid(&src, 0, false);
	assert_int_equal(monitor_step(&mon), MONITOR_STOPPED);
	assert_true(mon.stopped);
	assert_int_equal(monitor_run(&mon, 5, 0), MONITOR_STOPPED);
	monitor_release(&mon);
	synth_source_release(&src);
	for (i = 0; i < 2; i++)
		synth_model_release(&models[i]);
	damon_ctx_release(&c);
}

/* §4.8 with hand-worked numbers: 5 ms / 100 ms -> 10 ms / 400 ms. */
static void test_attrs_change_rescales_regions(void **state)
{
	struct fn_source src;
	struct mon_clock clk;
	struct damon_ctx c;
	struct monitor mon;
	struct mon_attrs a;
	struct mon_region *r;

	(void)state;
	ctx_with_regions(&c, 3, 100 * PG);
	fn_source_init(&src, FN_NONE, 0);
	mon_clock_init_virtual(&clk, 0);
	setup_monitor(&mon, &c, &clk, &src.base, 1, NULL);
	r = &mon.targets[0].regions[0];
	r->nr_accesses = 10;
	r->last_nr_accesses = 6;
	r->age = 9;
	a = mon.attrs;
	a.sample_us = 10000;
	a.aggr_us = 400000;
	a.aggr_samples = 0;

	/* at a boundary: nr 10/20 = 5000 bp -> 5000 * 40 / 10000 = 20 */
	mon.psi = mon.next_aggregation_sis;
	assert_int_equal(monitor_set_attrs(&mon, &a), 0);
	r = &mon.targets[0].regions[0];
	assert_int_equal(r->nr_accesses, 20);
	assert_int_equal(r->nr_accesses_bp, 200000);
	assert_int_equal(r->age, 9 * 100000 / 400000);
	assert_int_equal(mon.attrs.aggr_samples, 40);
	assert_int_equal(mon.next_aggregation_sis, mon.psi + 40);

	/* mid-aggregation: last 6/40 = 1500 bp -> 1500 * 20 / 10000 = 3 */
	r->last_nr_accesses = 6;
	r->age = 8;
	a.sample_us = 5000;
	a.aggr_us = 100000;
	a.aggr_samples = 0;
	assert_int_equal(monitor_set_attrs(&mon, &a), 0);
	r = &mon.targets[0].regions[0];
	assert_int_equal(r->last_nr_accesses, 3);
	assert_int_equal(r->nr_accesses_bp, 30000);
	assert_int_equal(r->nr_accesses, 0);
	assert_int_equal(r->age, 8 * 400000 / 100000);

	/* refused like the kernel, nothing changed */
	a.min_nr_regions = 2;
	assert_int_equal(monitor_set_attrs(&mon, &a), -22);
	a.min_nr_regions = 10;
	a.sample_us = 200000;
	assert_int_equal(monitor_set_attrs(&mon, &a), -22);
	assert_int_equal(mon.attrs.sample_us, 5000);
	monitor_release(&mon);
	damon_ctx_release(&c);
}

static void test_init_refuses_attrs_the_kernel_refuses(void **state)
{
	struct mon_clock clk;
	struct damon_ctx c;
	struct monitor mon;
	struct monitor_setup st = { .ctx = &c, .clock = &clk };

	(void)state;
	mon_clock_init_virtual(&clk, 0);
	ctx_with_regions(&c, 3, PG);
	c.intervals.goal.aggrs = 3;
	c.intervals.goal.min_sample_us = 10000;	/* above sample_us */
	c.intervals.goal.max_sample_us = 20000;
	assert_int_equal(monitor_init(&mon, &st), -22);
	c.intervals.goal.aggrs = 0;
	c.max_nr_regions = 5;
	assert_int_equal(monitor_init(&mon, &st), -22);
	damon_ctx_release(&c);
}

/* §6 hand-worked: one region, aggr_samples 20, goal 4 %. */
static void test_intervals_adaptation_matches_hand_worked_numbers(
	void **state)
{
	static const struct {
		uint32_t nr;
		uint64_t adapt;
	} cases[] = {
		{ 0, 20000 },	/* score 0: x2 */
		{ 1, 8750 },	/* score 12500: 7500 -> 5000 + 3750 */
		{ 20, 5000 },	/* score 250000: min input 1 -> 5000 */
	};
	struct fn_source src;
	struct mon_clock clk;
	struct damon_ctx c;
	struct monitor mon;
	size_t i;

	(void)state;
	ctx_with_regions(&c, 1, 10 * PG);
	c.min_nr_regions = 3;
	c.intervals.goal.access_bp = 400;
	c.intervals.goal.aggrs = 1;
	c.intervals.goal.min_sample_us = 1000;
	c.intervals.goal.max_sample_us = 100000;
	fn_source_init(&src, FN_NONE, 0);
	mon_clock_init_virtual(&clk, 0);
	setup_monitor(&mon, &c, &clk, &src.base, 1, NULL);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		mon.targets[0].regions[0].nr_accesses = cases[i].nr;
		assert_int_equal(monitor_intervals_adaptation_bp(&mon),
				 cases[i].adapt);
	}
	/* exactly on goal: 2 regions of 10 pages, 4 % of 2 * 20 = 1.6 */
	monitor_release(&mon);
	damon_ctx_release(&c);
}

struct tune_log {
	size_t nr;
	uint64_t sample[64];
};

static void log_tuned(void *data, const struct monitor *mon, uint64_t us)
{
	struct tune_log *l = data;

	(void)mon;
	if (l->nr < ARRAY_SIZE(l->sample))
		l->sample[l->nr++] = us;
}

static uint64_t tune_run(int mode, uint64_t start_us, size_t nr_aggrs,
			 struct tune_log *log)
{
	struct monitor_hooks hooks = {
		.data = log, .intervals_tuned = log_tuned,
	};
	struct fn_source src;
	struct mon_clock clk;
	struct damon_ctx c;
	struct monitor mon;
	uint64_t us;

	ctx_with_regions(&c, 20, 64 * PG);
	c.intervals.sample_us = start_us;
	c.intervals.aggr_us = start_us * 20;
	c.intervals.goal.access_bp = 400;
	c.intervals.goal.aggrs = 1;
	c.intervals.goal.min_sample_us = 1000;
	c.intervals.goal.max_sample_us = 100000;
	fn_source_init(&src, mode, 0);
	src.us_per_bp = 25;		/* 10 ms -> 400 bp: the goal */
	mon_clock_init_virtual(&clk, 0);
	setup_monitor(&mon, &c, &clk, &src.base, 1, &hooks);
	src.mon = &mon;
	monitor_run(&mon, nr_aggrs, 0);
	us = mon.attrs.sample_us;
	assert_int_equal(mon.attrs.aggr_us, us * 20);
	assert_int_equal(mon.attrs.aggr_samples, 20);
	monitor_release(&mon);
	damon_ctx_release(&c);
	return us;
}

static void test_intervals_tuning_moves_toward_the_goal_within_bounds(
	void **state)
{
	static const uint64_t grow[] = { 10000, 20000, 40000, 80000, 100000,
					 100000 };
	static const uint64_t shrink[] = { 2500, 1250, 1000, 1000 };
	struct tune_log log = { 0 };
	uint64_t us;
	size_t i;

	(void)state;
	/* nothing accessed: x2 per tuning up to max_sample_us */
	tune_run(FN_NONE, 5000, 6, &log);
	assert_int_equal(log.nr, 6);
	for (i = 0; i < ARRAY_SIZE(grow); i++)
		assert_int_equal(log.sample[i], grow[i]);
	/* everything accessed: x0.5 per tuning down to min_sample_us */
	memset(&log, 0, sizeof(log));
	tune_run(FN_ALL, 5000, 4, &log);
	for (i = 0; i < ARRAY_SIZE(shrink); i++)
		assert_int_equal(log.sample[i], shrink[i]);
	/* access ratio grows with the interval: settles near 10 ms */
	memset(&log, 0, sizeof(log));
	us = tune_run(FN_RATE, 2000, 40, &log);
	assert_true(us >= 8000 && us <= 12500);
	memset(&log, 0, sizeof(log));
	us = tune_run(FN_RATE, 60000, 40, &log);
	assert_true(us >= 8000 && us <= 12500);
	for (i = 0; i < log.nr; i++)
		assert_true(log.sample[i] >= 1000 && log.sample[i] <= 100000);
}

struct buffers {
	const void *p[8];
	size_t cap[8];
};

static void snap_buffers(const struct monitor *mon, struct buffers *b)
{
	memset(b, 0, sizeof(*b));
	b->p[0] = mon->targets[0].regions;
	b->p[1] = mon->targets[0].spare;
	b->p[2] = mon->addrs;
	b->p[3] = mon->accessed;
	b->p[4] = mon->ranges.v;
	b->cap[0] = mon->targets[0].cap;
	b->cap[1] = mon->targets[0].spare_cap;
	b->cap[2] = mon->sample_cap;
	b->cap[4] = mon->ranges.cap;
}

static void test_steady_state_loop_allocates_nothing(void **state)
{
	struct apply_count act = { { &count_ops, 0 }, { 0, 0 } };
	struct buffers before, after;
	struct synth_source src;
	struct synth_params p;
	struct synth_model m;
	struct mon_clock clk;
	struct damon_ctx c;
	struct monitor mon;
	struct monitor_setup st = { 0 };
	struct damos *s;
#ifdef __GLIBC__
	struct mallinfo2 mi0, mi1;
#endif

	(void)state;
	synth_params_init(&p);
	p.cold_bp = 200;
	p.phase_us = 1000000;
	p.repeat = true;
	synth_model_init(&m);
	synth_model_zigzag(&m, &p);
	mon_clock_init_virtual(&clk, 0);
	synth_source_init(&src, &m, 1, &clk, 8);
	synth_ctx(&c, 1);
	c.intervals.ops_update_us = 500000;
	damon_ctx_add_scheme(&c)->action = DAMOS_STAT;
	s = damon_ctx_add_scheme(&c);
	s->action = DAMOS_PAGEOUT;
	s->quota.sz_bytes = 4 * MIB;
	s->quota.reset_interval_ms = 300;
	s->quota.weight_age_permil = 1000;
	st.ctx = &c;
	st.clock = &clk;
	st.source = &src.base;
	st.actions = &act.base;
	st.seed = 8;
	assert_int_equal(monitor_init(&mon, &st), 0);
	monitor_run(&mon, 100, 0);
	snap_buffers(&mon, &before);
#ifdef __GLIBC__
	mi0 = mallinfo2();
#endif
	monitor_run(&mon, 1000, 0);
#ifdef __GLIBC__
	mi1 = mallinfo2();
	assert_int_equal(mi0.uordblks, mi1.uordblks);
	assert_int_equal(mi0.hblkhd, mi1.hblkhd);
#endif
	snap_buffers(&mon, &after);
	assert_memory_equal(&before, &after, sizeof(before));
	assert_true(act.calls[0] > 1000);
	monitor_release(&mon);
	synth_source_release(&src);
	synth_model_release(&m);
	damon_ctx_release(&c);
}

static void test_synthetic_truth_follows_the_phases(void **state)
{
	struct synth_source src;
	struct synth_params p;
	struct synth_model m;
	struct synth_truth tr;
	struct mon_clock clk;
	uint64_t stair = 16 * MIB;

	(void)state;
	synth_params_init(&p);	/* 4 stairs of 16 MiB, 2 s each */
	p.cold_bp = 100;
	synth_model_init(&m);
	synth_model_stairs(&m, &p);
	mon_clock_init_virtual(&clk, 1000);
	synth_source_init(&src, &m, 1, &clk, 1);
	synth_truth_init(&tr);
	/* inside phase 1 */
	synth_source_truth(&src, 0, 1000 + 2100000000ULL,
			   1000 + 2200000000ULL, 5000, &tr);
	assert_int_equal(tr.nr_hot, 1);
	assert_int_equal(tr.hot[0].start, SYNTH_AREA_START + stair);
	assert_int_equal(tr.hot_bytes, stair);
	assert_int_equal(tr.wss_bytes, 64 * MIB);
	/* straddling phases 1 and 2 half and half: 4550 bp, not hot */
	synth_source_truth(&src, 0, 1000 + 3900000000ULL,
			   1000 + 4100000000ULL, 5000, &tr);
	assert_int_equal(tr.nr_hot, 0);
	assert_int_equal(synth_source_mean_bp(&src, 0, 1000 + 3900000000ULL,
					      1000 + 4100000000ULL,
					      SYNTH_AREA_START + stair), 4550);
	/* not repeating: the last phase lasts */
	assert_ptr_equal(synth_source_phase(&src, 0, 1000 + 100000000000ULL),
			 &m.phases[3]);
	m.repeat = true;
	assert_ptr_equal(synth_source_phase(&src, 0, 1000 + 9000000000ULL),
			 &m.phases[0]);
	synth_truth_release(&tr);
	synth_source_release(&src);
	synth_model_release(&m);
}

static void test_synthetic_sampling_follows_probability(void **state)
{
	struct synth_source src;
	struct synth_model m;
	struct synth_phase *ph;
	struct mon_clock clk;
	uint64_t addrs[1000];
	bool acc[1000];
	size_t i, n = 0;

	(void)state;
	synth_model_init(&m);
	ph = synth_model_add_phase(&m, 0);
	synth_phase_add_range(ph, 0, 100 * PG, 2500, false);
	synth_phase_add_range(ph, 100 * PG, 200 * PG, 10000, true);
	mon_clock_init_virtual(&clk, 0);
	synth_source_init(&src, &m, 1, &clk, 5);
	for (i = 0; i < 1000; i++)
		addrs[i] = i * 41 % (100 * PG);
	src.base.ops->check(&src.base, 0, addrs, 1000, acc);
	for (i = 0; i < 1000; i++)
		n += acc[i];
	assert_true(n > 200 && n < 300);
	/* a writes-only source (soft-dirty) misses the read range */
	src.writes_only = true;
	src.base.ops->check(&src.base, 0, addrs, 1000, acc);
	for (i = 0; i < 1000; i++)
		assert_false(acc[i]);
	addrs[0] = 150 * PG;
	addrs[1] = 200 * PG;
	src.base.ops->check(&src.base, 0, addrs, 2, acc);
	assert_true(acc[0]);
	assert_false(acc[1]);
	synth_source_release(&src);
	synth_model_release(&m);
}

static void test_virtual_clock_moves_only_when_sleeping(void **state)
{
	struct mon_clock clk;
	struct mon_rand r;
	uint64_t x;
	int i;

	(void)state;
	mon_clock_init_virtual(&clk, 5);
	assert_true(mon_clock_is_virtual(&clk));
	assert_int_equal(mon_clock_now_ns(&clk), 5);
	mon_clock_sleep_ns(&clk, 10);
	assert_int_equal(mon_clock_now_ns(&clk), 15);
	mon_clock_sleep_until(&clk, 3);
	assert_int_equal(mon_clock_now_ns(&clk), 15);
	mon_clock_init_real(&clk);
	assert_false(mon_clock_is_virtual(&clk));
	x = mon_clock_now_ns(&clk);
	mon_clock_sleep_ns(&clk, 1000);
	assert_true(mon_clock_now_ns(&clk) >= x + 1000);
	mon_rand_init(&r, 1);
	for (i = 0; i < 10000; i++) {
		x = mon_rand_range(&r, 10, 13);
		assert_true(x >= 10 && x < 13);
	}
	assert_int_equal(mon_rand_range(&r, 7, 7), 7);
	/* full 64-bit spans work */
	x = mon_rand_range(&r, 1ULL << 40, 1ULL << 62);
	assert_true(x >= 1ULL << 40 && x < 1ULL << 62);
}

static void test_ops_update_reapplies_three_regions(void **state)
{
	struct mon_target t;
	const struct damon_addr_range ranges[] = {
		{ 2 * PG + 5, 10 * PG },
		{ 40 * PG, 50 * PG },
	};

	(void)state;
	mon_target_init(&t);
	mon_target_insert(&t, 0, 0, PG);		/* outside: dropped */
	mon_target_insert(&t, 1, 4 * PG, 6 * PG);	/* stretched */
	mon_target_insert(&t, 2, 7 * PG, 9 * PG);	/* hole filled */
	t.regions[1].nr_accesses = 4;
	t.regions[1].age = 3;
	mon_target_set_ranges(&t, ranges, 2, PG);
	assert_int_equal(t.nr_regions, 4);
	assert_int_equal(t.regions[0].start, 2 * PG);
	assert_int_equal(t.regions[0].end, 6 * PG);
	assert_int_equal(t.regions[0].nr_accesses, 4);	/* kept */
	assert_int_equal(t.regions[0].age, 3);
	assert_int_equal(t.regions[1].start, 6 * PG);	/* new, hole */
	assert_int_equal(t.regions[1].end, 7 * PG);
	assert_int_equal(t.regions[1].age, 0);
	assert_int_equal(t.regions[2].start, 7 * PG);
	assert_int_equal(t.regions[2].end, 10 * PG);
	assert_int_equal(t.regions[3].start, 40 * PG);	/* new range */
	assert_int_equal(t.regions[3].end, 50 * PG);
	mon_target_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_virtual_clock_moves_only_when_sleeping),
		cmocka_unit_test(test_three_regions_split_at_the_two_largest_gaps),
		cmocka_unit_test(test_initial_vaddr_regions_are_split_evenly),
		cmocka_unit_test(test_ops_update_reapplies_three_regions),
		cmocka_unit_test(test_merge_averages_by_size_and_ages_by_the_rules),
		cmocka_unit_test(test_merge_doubles_threshold_until_under_max),
		cmocka_unit_test(test_split_cuts_at_aligned_random_points),
		cmocka_unit_test(test_split_makes_two_then_three_pieces_under_half_max),
		cmocka_unit_test(test_split_state_is_per_monitor),
		cmocka_unit_test(test_region_count_stays_within_min_and_max),
		cmocka_unit_test(test_regions_converge_on_the_hot_range),
		cmocka_unit_test(test_same_seed_gives_identical_results),
		cmocka_unit_test(test_nr_accesses_bp_equals_nr_accesses_at_each_boundary),
		cmocka_unit_test(test_moving_sum_drops_one_average_sample_per_sample),
		cmocka_unit_test(test_invalid_target_is_skipped_and_all_invalid_stops),
		cmocka_unit_test(test_attrs_change_rescales_regions),
		cmocka_unit_test(test_init_refuses_attrs_the_kernel_refuses),
		cmocka_unit_test(test_intervals_adaptation_matches_hand_worked_numbers),
		cmocka_unit_test(test_intervals_tuning_moves_toward_the_goal_within_bounds),
		cmocka_unit_test(test_steady_state_loop_allocates_nothing),
		cmocka_unit_test(test_synthetic_truth_follows_the_phases),
		cmocka_unit_test(test_synthetic_sampling_follows_probability),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
