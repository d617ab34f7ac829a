/* SPDX-License-Identifier: GPL-2.0 */
/* What the embedded monitor costs per region, per sample and aggregation. */
#include <getopt.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/access_source.h"
#include "core/damon.h"
#include "core/mon_clock.h"
#include "core/monitor.h"
#include "core/sources/synthetic.h"
#include "core/xalloc.h"

#define GIB (1ULL << 30)

/*
 * Allocation counters, bumped by the --wrap'ed allocator entry points the
 * CMake target links in.  A wrapper has no other place to count into than
 * a file-scope variable.
 */
static uint64_t nr_allocs;

void *__real_malloc(size_t size);
void *__real_calloc(size_t nmemb, size_t size);
void *__real_realloc(void *ptr, size_t size);
void __real_free(void *ptr);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t nmemb, size_t size);
void *__wrap_realloc(void *ptr, size_t size);
void __wrap_free(void *ptr);

void *__wrap_malloc(size_t size)
{
	nr_allocs++;
	return __real_malloc(size);
}

void *__wrap_calloc(size_t nmemb, size_t size)
{
	nr_allocs++;
	return __real_calloc(nmemb, size);
}

void *__wrap_realloc(void *ptr, size_t size)
{
	nr_allocs++;
	return __real_realloc(ptr, size);
}

void __wrap_free(void *ptr)
{
	if (ptr)
		nr_allocs++;
	__real_free(ptr);
}

/*
 * A source that costs (almost) nothing: the synthetic model's three
 * regions, nothing ever accessed.  It isolates the monitor's own work.
 */
struct noop_source {
	struct access_source base;
	const struct synth_model *model;
};

static int noop_regions(struct access_source *src, size_t ti,
			struct mon_ranges *out)
{
	const struct synth_model *m = ((struct noop_source *)src)->model;
	struct damon_addr_range three[3];
	int i, err;

	(void)ti;
	err = damon_three_regions(m->mappings, m->nr_mappings, MON_MIN_REGION,
				  three);
	if (err)
		return err;
	for (i = 0; i < 3; i++)
		mon_ranges_push(out, three[i].start, three[i].end);
	return 0;
}

static int noop_update(struct access_source *src, size_t ti,
		       struct mon_ranges *out)
{
	int err = noop_regions(src, ti, out);

	return err ? err : 1;
}

static int noop_check(struct access_source *src, size_t ti,
		      const uint64_t *addrs, size_t n, bool *accessed)
{
	(void)src;
	(void)ti;
	(void)addrs;
	memset(accessed, 0, n * sizeof(*accessed));
	return 0;
}

static const struct access_source_ops noop_ops = {
	.init_regions = noop_regions,
	.update_regions = noop_update,
	.check = noop_check,
};

enum cost_source { COST_SYNTH, COST_NOOP };

struct cost_case {
	uint64_t min_nr_regions;
	uint64_t max_nr_regions;
	uint64_t area_sz;
	enum cost_source source;
};

/* What one case measured after its warm-up. */
struct cost_result {
	uint64_t sample_ns;		/* in steps that did not aggregate */
	uint64_t nr_sample_steps;
	uint64_t aggr_ns;		/* in steps that aggregated */
	uint64_t nr_aggr_steps;
	uint64_t region_steps;		/* sum of region counts over steps */
	uint64_t nr_allocs;
	int64_t heap_bytes;		/* mallinfo2() in-use delta */
};

/* Everything a case needs, set up and torn down together. */
struct cost_bench {
	struct synth_params params;
	struct synth_model model;
	struct synth_source synth;
	struct noop_source noop;
	struct mon_clock clock;
	struct damon_ctx ctx;
	struct monitor mon;
};

static int cost_bench_init(struct cost_bench *b, const struct cost_case *c,
			   uint64_t seed)
{
	struct monitor_setup st = { .clock = &b->clock, .seed = seed };
	struct damon_target *t;

	memset(b, 0, sizeof(*b));
	synth_params_init(&b->params);
	b->params.area_sz = c->area_sz;
	b->params.hot_sz = c->area_sz / 8;
	b->params.repeat = true;
	synth_model_init(&b->model);
	synth_model_hot_cold(&b->model, &b->params);
	mon_clock_init_virtual(&b->clock, 0);
	synth_source_init(&b->synth, &b->model, 1, &b->clock, seed + 1);
	b->noop.base.ops = &noop_ops;
	b->noop.model = &b->model;

	damon_ctx_init(&b->ctx);
	b->ctx.ops = DAMON_OPS_VADDR;
	b->ctx.min_nr_regions = c->min_nr_regions;
	b->ctx.max_nr_regions = c->max_nr_regions;
	t = damon_ctx_add_target(&b->ctx);
	t->has_pid = true;
	t->pid = 1;
	st.ctx = &b->ctx;
	st.source = c->source == COST_SYNTH ? &b->synth.base : &b->noop.base;
	return monitor_init(&b->mon, &st);
}

static void cost_bench_release(struct cost_bench *b)
{
	monitor_release(&b->mon);
	damon_ctx_release(&b->ctx);
	synth_source_release(&b->synth);
	synth_model_release(&b->model);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static bool next_step_aggregates(const struct monitor *mon)
{
	return mon->psi + 1 >= mon->next_aggregation_sis;
}

/*
 * Time @nr_aggrs aggregations: the run of sampling-only steps up to each
 * boundary as one batch, the boundary step on its own, so the clock is
 * read four times per aggregation, not per step.
 */
static void measure(struct monitor *mon, uint64_t nr_aggrs,
		    struct cost_result *res)
{
	uint64_t goal = mon->nr_aggregations + nr_aggrs;

	while (mon->nr_aggregations < goal) {
		uint64_t n = 0, regions = 0, t0 = now_ns(), t1;

		while (!next_step_aggregates(mon)) {
			regions += monitor_nr_regions(mon);
			monitor_step(mon);
			n++;
		}
		t1 = now_ns();
		res->sample_ns += t1 - t0;
		res->nr_sample_steps += n;
		regions += monitor_nr_regions(mon);
		t0 = now_ns();
		monitor_step(mon);
		t1 = now_ns();
		res->aggr_ns += t1 - t0;
		res->nr_aggr_steps++;
		res->region_steps += regions;
	}
}

static int64_t heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return (int64_t)mi.uordblks + (int64_t)mi.hblkhd;
}

static int run_case(const struct cost_case *c, uint64_t nr_aggrs,
		    struct cost_result *res)
{
	struct cost_bench b;
	uint64_t allocs;
	int64_t heap;
	int err;

	memset(res, 0, sizeof(*res));
	err = cost_bench_init(&b, c, 1);
	if (err)
		goto out;
	/* growing the buffers and settling the regions is not the loop */
	monitor_run(&b.mon, 20, 0);
	allocs = nr_allocs;
	heap = heap_in_use();
	measure(&b.mon, nr_aggrs, res);
	res->nr_allocs = nr_allocs - allocs;
	res->heap_bytes = heap_in_use() - heap;
out:
	cost_bench_release(&b);
	return err;
}

/*
 * Pin the region count at @n.  The initial split makes regions of about
 * sz_limit = size / min_nr_regions, so no two can merge, and with
 * max_nr_regions = 1.1 n split waits for fewer than max / 2.  max = n
 * would not do: the even split's rounding can leave n + 1 regions, and
 * then every merge repeats with a doubling threshold (6 passes at 20
 * samples), as the kernel's does, which is not the cost of n regions.
 */
static void cost_case_pinned(struct cost_case *c, uint64_t n)
{
	c->min_nr_regions = n;
	c->max_nr_regions = n + n / 10;
}

/*
 * Enough aggregations for about 40 million region-samples a case (a
 * fraction of a second), and never fewer than 50.
 */
static uint64_t aggrs_for(const struct cost_case *c, uint64_t scale_pct)
{
	uint64_t n = 40000000ULL / 20 / c->min_nr_regions * scale_pct / 100;

	return n < 50 ? 50 : n;
}

/* Runs per case; the fastest counts, the others being other work's noise. */
#define COST_REPEAT 3

static int run_best(const struct cost_case *c, uint64_t nr_aggrs,
		    struct cost_result *best)
{
	struct cost_result r;
	uint64_t allocs = 0;
	int i, err;

	for (i = 0; i < COST_REPEAT; i++) {
		err = run_case(c, nr_aggrs, &r);
		if (err)
			return err;
		allocs += r.nr_allocs;
		if (!i || r.sample_ns + r.aggr_ns <
			  best->sample_ns + best->aggr_ns)
			*best = r;
	}
	best->nr_allocs = allocs;
	return 0;
}

#define COST_ROW "%-6s %12s %5s %8s %8s %8s %8s %9s %6s %7s %6s\n"

static void print_header(void)
{
	printf("Monitor cost in virtual time: CLOCK_MONOTONIC around batches of steps,\n"
	       "the fastest of %d runs; intervals 5 ms / 100 ms / 1 s; a hot spot of 1/8\n"
	       "of the area moving every 2 s (synth) or a source that finds nothing (no-op)\n"
	       "sample:   ns per region in a sampling step (prepare, source check, counters)\n"
	       "boundary: ns per region the aggregation step adds (merge, reset, split,\n"
	       "          the 1 s ops update)\n"
	       "aggr:     one whole aggregation (20 samples and the boundary), per region\n"
	       "          and in total; CPU: that time over the aggregation's 100 ms\n"
	       "allocs:   malloc/calloc/realloc/free calls in the measured loops of all\n"
	       "          runs; heap: mallinfo2() in-use bytes after minus before\n\n",
	       COST_REPEAT);
	printf(COST_ROW, "source", "nr_regions", "area", "regions", "sample",
	       "boundary", "aggr", "aggr", "CPU", "allocs", "heap");
	printf(COST_ROW, "", "min..max", "GiB", "(mean)", "ns/reg", "ns/reg",
	       "ns/reg", "us", "%", "", "bytes");
}

static void print_row(const struct cost_case *c, const struct cost_result *r)
{
	double steps = (double)(r->nr_sample_steps + r->nr_aggr_steps);
	double regions = (double)r->region_steps / steps;
	double sample = (double)r->sample_ns / (double)r->nr_sample_steps;
	double aggr = (double)r->aggr_ns / (double)r->nr_aggr_steps;
	double per_aggr = ((double)r->sample_ns + (double)r->aggr_ns) /
			  (double)r->nr_aggr_steps;
	char range[32];

	snprintf(range, sizeof(range), "%llu..%llu",
		 (unsigned long long)c->min_nr_regions,
		 (unsigned long long)c->max_nr_regions);
	printf("%-6s %12s %5llu %8.0f %8.2f %8.2f %8.1f %9.1f %6.2f %7llu %6lld\n",
	       c->source == COST_SYNTH ? "synth" : "no-op", range,
	       (unsigned long long)(c->area_sz / GIB), regions,
	       sample / regions, (aggr - sample) / regions,
	       per_aggr / regions, per_aggr / 1000.0,
	       per_aggr / 100000000.0 * 100.0,
	       (unsigned long long)r->nr_allocs, (long long)r->heap_bytes);
}

static int run_row(const struct cost_case *c, uint64_t nr_aggrs)
{
	struct cost_result r;
	int err = run_best(c, nr_aggrs, &r);

	if (err) {
		fprintf(stderr, "cost: error: cannot start the monitor: %d\n",
			err);
		return err;
	}
	print_row(c, &r);
	return 0;
}

static const uint64_t cost_nr_regions[] = { 100, 1000, 10000 };
static const uint64_t cost_area_gib[] = { 1, 64 };

/*
 * Adaptive rows: the region count moves (split and merge every
 * aggregation), so they cover the split path that pinned counts skip.
 */
static const struct cost_case cost_adaptive[] = {
	{ 10, 1000, 1 * GIB, COST_SYNTH },	/* damo's default */
	{ 10, 1000, 64 * GIB, COST_SYNTH },
	{ 1000, 10000, 1 * GIB, COST_SYNTH },
	{ 1000, 10000, 64 * GIB, COST_SYNTH },
};

static int run_table(uint64_t scale_pct)
{
	uint64_t before = nr_allocs;
	size_t si, ni, ai;

	print_header();
	for (si = 0; si < 2; si++) {
		for (ni = 0; ni < ARRAY_SIZE(cost_nr_regions); ni++) {
			for (ai = 0; ai < ARRAY_SIZE(cost_area_gib); ai++) {
				struct cost_case c = {
					.area_sz = cost_area_gib[ai] * GIB,
					.source = si ? COST_NOOP : COST_SYNTH,
				};

				cost_case_pinned(&c, cost_nr_regions[ni]);
				if (run_row(&c, aggrs_for(&c, scale_pct)))
					return 1;
			}
		}
	}
	printf("\n");
	for (ai = 0; ai < ARRAY_SIZE(cost_adaptive); ai++) {
		if (run_row(&cost_adaptive[ai],
			    aggrs_for(&cost_adaptive[ai], scale_pct / 10)))
			return 1;
	}
	/* evidence that the counter counts: setting up allocates */
	printf("\nallocation calls in total, setup and teardown included: %llu\n",
	       (unsigned long long)(nr_allocs - before));
	return 0;
}

/*
 * The steps callgrind counts (--toggle-collect=cg_steps): nothing but
 * monitor_step() and the region count, after the warm-up.
 */
__attribute__((noinline)) static uint64_t cg_steps(struct monitor *mon,
						   uint64_t nr_steps)
{
	uint64_t i, regions = 0;

	for (i = 0; i < nr_steps; i++) {
		regions += monitor_nr_regions(mon);
		monitor_step(mon);
	}
	return regions;
}

static int run_callgrind(const struct cost_case *c)
{
	uint64_t steps = 20 * aggrs_for(c, 10), regions;
	struct cost_bench b;
	int err = cost_bench_init(&b, c, 1);

	if (err)
		goto out;
	monitor_run(&b.mon, 20, 0);
	regions = cg_steps(&b.mon, steps);
	/* read by scripts/bench.sh */
	printf("steps %llu region_steps %llu\n", (unsigned long long)steps,
	       (unsigned long long)regions);
out:
	cost_bench_release(&b);
	return err ? 1 : 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: cost [-p PERCENT]\n"
		"       cost -c N [-g GIB] [-0]\n"
		"  -p  scale the run lengths (default 100)\n"
		"  -c  one case, N regions, for callgrind: prints steps and region_steps\n"
		"  -g  area in GiB for -c (default 1)\n"
		"  -0  the no-op source for -c\n");
}

int main(int argc, char **argv)
{
	struct cost_case c = { .area_sz = GIB, .source = COST_SYNTH };
	uint64_t n = 0;
	uint64_t scale = 100;
	int opt;

	while ((opt = getopt(argc, argv, "p:c:g:0h")) != -1) {
		switch (opt) {
		case 'p':
			scale = strtoull(optarg, NULL, 0);
			break;
		case 'c':
			n = strtoull(optarg, NULL, 0);
			break;
		case 'g':
			c.area_sz = strtoull(optarg, NULL, 0) * GIB;
			break;
		case '0':
			c.source = COST_NOOP;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 64;
		}
	}
	if (n) {
		cost_case_pinned(&c, n);
		return run_callgrind(&c);
	}
	return run_table(scale ? scale : 100);
}
