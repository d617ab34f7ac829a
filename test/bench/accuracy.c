/* SPDX-License-Identifier: GPL-2.0 */
/* How well the embedded monitor finds the synthetic models' ground truth. */
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/damon.h"
#include "core/mon_clock.h"
#include "core/monitor.h"
#include "core/sources/synthetic.h"
#include "core/xalloc.h"

/*
 * "Hot" means accessed in at least half of the samples.  The truth side is
 * synth_source_truth()'s "mean probability > HOT_BP" over the aggregation
 * interval; the monitor side is nr_accesses >= HOT_BP of max_nr_accesses
 * (10 of 20 at the default intervals).  The shipped models are hot at 90 %
 * and idle elsewhere, so the 50 % line sits far from both.
 */
#define HOT_BP 5000

struct bench_model {
	const char *name;
	void (*build)(struct synth_model *m, const struct synth_params *p);
	uint32_t cold_bp;	/* 0: synth_params_init()'s (idle) */
};

/* The shipped models with their default parameters: the goal's subject. */
static const struct bench_model bench_models[] = {
	{ "stairs", synth_model_stairs },
	{ "zigzag", synth_model_zigzag },
	{ "hot-cold", synth_model_hot_cold },
	{ "growing", synth_model_growing },
};

/*
 * Not a shipped default: the memory outside the hot spot touched in 5 %
 * of the samples instead of never, to show what the working-set
 * definition does with rarely touched memory.
 */
static const struct bench_model bench_variants[] = {
	{ "hot-cold/5%", synth_model_hot_cold, 500 },
};

struct bench_nr_regions {
	uint64_t min;
	uint64_t max;
};

static const struct bench_nr_regions bench_nr_regions[] = {
	{ 10, 1000 },		/* damo's default */
	{ 10, 100 },
	{ 100, 1000 },
};

struct bench_opts {
	uint64_t nr_aggrs;	/* measured, after the warm-up */
	uint64_t warmup;	/* aggregations left out at the start */
	uint64_t seed;
	bool shifted_truth;	/* -T, see acc_aggregated() */
	bool trace;		/* one line per aggregation */
};

/* What one run adds up, over the measured aggregations. */
struct acc_run {
	const struct bench_opts *opts;
	const struct synth_source *src;
	struct synth_truth truth;
	uint64_t nr;
	double wss_err_sum;	/* sum of |estimate - truth| / truth */
	double wss_bias_sum;	/* sum of (estimate - truth) / truth */
	uint64_t hot_both;	/* bytes hot in both */
	uint64_t hot_est;	/* bytes the monitor calls hot */
	uint64_t hot_true;	/* bytes hot in truth */
	uint64_t nr_regions;	/* sum of the region counts */
};

static uint32_t hot_nr_accesses(const struct mon_attrs *a)
{
	uint64_t max = mon_attrs_max_nr_accesses(a);

	return (uint32_t)((max * HOT_BP + 9999) / 10000);
}

/* Bytes of [start, end) inside the sorted ranges from *j on; moves *j. */
static uint64_t overlap(const struct synth_truth *tr, size_t *j,
			uint64_t start, uint64_t end)
{
	uint64_t sum = 0;
	size_t k;

	while (*j < tr->nr_hot && tr->hot[*j].end <= start)
		(*j)++;
	for (k = *j; k < tr->nr_hot && tr->hot[k].start < end; k++) {
		uint64_t lo = tr->hot[k].start > start ? tr->hot[k].start :
							 start;
		uint64_t hi = tr->hot[k].end < end ? tr->hot[k].end : end;

		sum += hi - lo;
	}
	return sum;
}

/*
 * The working set, on both sides, is the bytes touched at all during the
 * aggregation interval: the truth's wss_bytes (mean access probability > 0)
 * against the bytes of regions with nr_accesses > 0, which is what DAMON
 * users read as the working set (damo report wss, whose default access
 * threshold is 1).  The monitor's counts are those of the kernel's
 * damon_aggregated trace and of a damo record: after the merge.  The two
 * definitions meet only where touched memory is touched often enough to
 * show in one of the interval's samples: true of the shipped models (90 %
 * per sample, missed with probability 0.1^20), not of rarely touched
 * memory (the 5 % variant), which a region's one sampled page misses in
 * many intervals and a merge's rounding down (1 and 0 average to 0) hides
 * in others.
 */
static void acc_aggregated(void *data, const struct monitor *mon)
{
	struct acc_run *a = data;
	const struct mon_target *t = &mon->targets[0];
	uint32_t hot_nr = hot_nr_accesses(&mon->attrs);
	uint64_t from = mon->aggr_start_ns, to = mon_clock_now_ns(mon->clock);
	uint64_t wss = 0, hot = 0, both = 0;
	size_t i, j = 0;

	if (mon->nr_aggregations < a->opts->warmup)
		return;
	/*
	 * The source answers the check at the end of a sampling interval
	 * with the phase active at that instant, so the last sample of an
	 * interval ending on a phase change sees the next phase: the samples
	 * saw [from + sample, to + sample).  -T measures against that.
	 */
	if (a->opts->shifted_truth) {
		from += mon->attrs.sample_us * 1000;
		to += mon->attrs.sample_us * 1000;
	}
	synth_source_truth(a->src, 0, from, to, HOT_BP, &a->truth);
	for (i = 0; i < t->nr_regions; i++) {
		const struct mon_region *r = &t->regions[i];

		if (r->nr_accesses)
			wss += mon_region_sz(r);
		if (r->nr_accesses >= hot_nr) {
			hot += mon_region_sz(r);
			both += overlap(&a->truth, &j, r->start, r->end);
		}
	}
	if (a->truth.wss_bytes) {
		double d = (double)wss - (double)a->truth.wss_bytes;

		a->wss_bias_sum += d / (double)a->truth.wss_bytes;
		a->wss_err_sum += (d < 0 ? -d : d) /
				  (double)a->truth.wss_bytes;
	}
	a->hot_both += both;
	a->hot_est += hot;
	a->hot_true += a->truth.hot_bytes;
	a->nr_regions += t->nr_regions;
	a->nr++;
	if (a->opts->trace)
		printf("  aggr %4llu  wss %9llu / %9llu  hot %9llu / %9llu"
		       "  both %9llu  regions %zu\n",
		       (unsigned long long)mon->nr_aggregations,
		       (unsigned long long)wss,
		       (unsigned long long)a->truth.wss_bytes,
		       (unsigned long long)hot,
		       (unsigned long long)a->truth.hot_bytes,
		       (unsigned long long)both, t->nr_regions);
}

/* A vaddr context with one target and damo's default intervals. */
static void bench_ctx(struct damon_ctx *c, const struct bench_nr_regions *nr)
{
	struct damon_target *t;

	damon_ctx_init(c);
	c->ops = DAMON_OPS_VADDR;
	c->min_nr_regions = nr->min;
	c->max_nr_regions = nr->max;
	t = damon_ctx_add_target(c);
	t->has_pid = true;
	t->pid = 1;
}

static double percent(uint64_t num, uint64_t den)
{
	return den ? 100.0 * (double)num / (double)den : 0.0;
}

static int run_one(const struct bench_opts *o, const struct bench_model *bm,
		   const struct bench_nr_regions *nr)
{
	struct acc_run a = { .opts = o };
	struct monitor_hooks hooks = {
		.data = &a, .aggregated = acc_aggregated,
	};
	struct synth_source src;
	struct synth_params p;
	struct synth_model m;
	struct mon_clock clk;
	struct damon_ctx c;
	struct monitor mon;
	char range[32];
	struct monitor_setup st = {
		.ctx = &c, .clock = &clk, .source = &src.base,
		.seed = o->seed, .hooks = hooks,
	};
	int err;

	synth_params_init(&p);
	/*
	 * Repeat the phases, so that the whole run keeps moving the hot
	 * memory every 2 s instead of settling in the last phase.
	 */
	p.repeat = true;
	if (bm->cold_bp)
		p.cold_bp = bm->cold_bp;
	synth_model_init(&m);
	bm->build(&m, &p);
	mon_clock_init_virtual(&clk, 0);
	synth_source_init(&src, &m, 1, &clk, o->seed + 1);
	a.src = &src;
	synth_truth_init(&a.truth);
	bench_ctx(&c, nr);
	err = monitor_init(&mon, &st);
	if (err) {
		fprintf(stderr, "accuracy: error: cannot start the monitor: %d\n",
			err);
		goto out;
	}
	snprintf(range, sizeof(range), "%llu..%llu",
		 (unsigned long long)nr->min, (unsigned long long)nr->max);
	if (o->trace)
		printf("%s %s\n", bm->name, range);
	monitor_run(&mon, o->warmup + o->nr_aggrs, 0);
	printf("%-11s %10s %6llu %8.0f %8.2f %+8.2f %9.2f %9.2f\n",
	       bm->name, range, (unsigned long long)a.nr,
	       a.nr ? (double)a.nr_regions / (double)a.nr : 0.0,
	       a.nr ? 100.0 * a.wss_err_sum / (double)a.nr : 0.0,
	       a.nr ? 100.0 * a.wss_bias_sum / (double)a.nr : 0.0,
	       percent(a.hot_both, a.hot_est), percent(a.hot_both, a.hot_true));
	monitor_release(&mon);
out:
	damon_ctx_release(&c);
	synth_truth_release(&a.truth);
	synth_source_release(&src);
	synth_model_release(&m);
	return err;
}

#define ACC_ROW "%-11s %10s %6s %8s %8s %8s %9s %9s\n"

static int run_models(const struct bench_opts *o,
		      const struct bench_model *models, size_t nr,
		      const char *only)
{
	size_t mi, ri;

	for (mi = 0; mi < nr; mi++) {
		if (only && strcmp(only, models[mi].name))
			continue;
		for (ri = 0; ri < ARRAY_SIZE(bench_nr_regions); ri++) {
			if (run_one(o, &models[mi], &bench_nr_regions[ri]))
				return -1;
		}
	}
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: accuracy [-n AGGRS] [-w WARMUP] [-s SEED] [-m MODEL] [-T] [-v]\n"
		"  -n  aggregations measured per run (default 800)\n"
		"  -w  aggregations left out first (default 10)\n"
		"  -s  seed (default 1)\n"
		"  -m  only this model\n"
		"  -T  truth one sample later: what the source's samples saw\n"
		"  -v  one line per aggregation\n");
}

int main(int argc, char **argv)
{
	/*
	 * 800 aggregations run each model through 7 to 10 cycles of phases; the
	 * 10 left out are the first second, from the even initial split to
	 * regions that follow the first phase (a change of phase later costs
	 * the same, and is measured).
	 */
	struct bench_opts o = { .nr_aggrs = 800, .warmup = 10, .seed = 1 };
	const char *only = NULL;
	int opt;

	while ((opt = getopt(argc, argv, "n:w:s:m:Tvh")) != -1) {
		switch (opt) {
		case 'n':
			o.nr_aggrs = strtoull(optarg, NULL, 0);
			break;
		case 'w':
			o.warmup = strtoull(optarg, NULL, 0);
			break;
		case 's':
			o.seed = strtoull(optarg, NULL, 0);
			break;
		case 'm':
			only = optarg;
			break;
		case 'T':
			o.shifted_truth = true;
			break;
		case 'v':
			o.trace = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 64;
		}
	}
	printf("Monitor accuracy against the synthetic ground truth\n"
	       "intervals 5 ms / 100 ms / 1 s, phases of 2 s repeated, seed %llu,\n"
	       "the first %llu aggregations left out\n"
	       "WSS err:  mean over aggregations of |estimate - truth| / truth\n"
	       "WSS bias: mean of (estimate - truth) / truth\n"
	       "hot prec, recall: bytes hot in both over bytes the monitor, or\n"
	       "          the truth, calls hot, summed over the aggregations\n\n",
	       (unsigned long long)o.seed, (unsigned long long)o.warmup);
	printf(ACC_ROW, "model", "nr_regions", "aggrs", "regions", "WSS err",
	       "WSS bias", "hot prec", "hot recall");
	printf(ACC_ROW, "", "min..max", "", "(mean)", "%", "%", "%", "%");
	if (run_models(&o, bench_models, ARRAY_SIZE(bench_models), only))
		return 1;
	if (!only || !strcmp(only, bench_variants[0].name)) {
		printf("\nvariant, not a shipped default:\n");
		if (run_models(&o, bench_variants, ARRAY_SIZE(bench_variants),
			       only))
			return 1;
	}
	return 0;
}
