/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The synthetic access source: a modelled workload (phases of address
 * ranges, each accessed with some probability per sample) driven by the
 * monitor's clock, reproducible for a seed, with exact ground truth.
 */
#ifndef DAMO_CORE_SOURCES_SYNTHETIC_H
#define DAMO_CORE_SOURCES_SYNTHETIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/access_source.h"
#include "core/damon.h"
#include "core/mon_rand.h"

struct mon_clock;

/* [start, end) found accessed in a sample with probability access_bp/1e4 */
struct synth_range {
	uint64_t start;
	uint64_t end;
	uint32_t access_bp;
	bool write;			/* writes (soft-dirty sees them) */
};

struct synth_phase {
	uint64_t duration_us;		/* 0: lasts forever */
	struct synth_range *ranges;	/* sorted, non-overlapping */
	size_t nr_ranges;
	size_t cap;
};

/*
 * A workload: its mappings (the address-space layout the vaddr three
 * regions come from) and its phases, run once (the last phase then lasts)
 * or repeated.
 */
struct synth_model {
	struct damon_addr_range *mappings;	/* sorted */
	size_t nr_mappings;
	size_t cap_mappings;
	struct synth_phase *phases;
	size_t nr_phases;
	size_t cap_phases;
	bool repeat;
};

void synth_model_init(struct synth_model *m);
void synth_model_release(struct synth_model *m);
/* Add a mapping, kept sorted by address. */
void synth_model_add_mapping(struct synth_model *m, uint64_t start,
			     uint64_t end);
/* Append a phase; the pointer is valid until the next add_phase. */
struct synth_phase *synth_model_add_phase(struct synth_model *m,
					  uint64_t duration_us);
/* Add a range to @p, kept sorted; ranges must not overlap. */
void synth_phase_add_range(struct synth_phase *p, uint64_t start,
			   uint64_t end, uint32_t access_bp, bool write);
/* Access probability (bp) of @addr in @p; 0 outside every range. */
uint32_t synth_phase_access_bp(const struct synth_phase *p, uint64_t addr,
			       bool writes_only);

/* Where the model constructors put the workload's memory. */
#define SYNTH_HEAP_START 0x555555554000ULL
#define SYNTH_HEAP_SZ (1ULL << 20)
#define SYNTH_AREA_START 0x7f0000000000ULL
#define SYNTH_STACK_START 0x7ffffffde000ULL
#define SYNTH_STACK_END 0x7ffffffff000ULL

/* Parameters of the model constructors; synth_params_init() defaults. */
struct synth_params {
	uint64_t area_sz;		/* bytes of the workload's area */
	size_t nr_steps;		/* stairs, hot-spot positions */
	uint64_t phase_us;		/* duration of each phase */
	uint32_t hot_bp;		/* access probability of hot memory */
	uint32_t cold_bp;		/* ... of the rest of the area */
	uint64_t hot_sz;		/* hot_cold: size of the hot spot */
	bool repeat;
};

void synth_params_init(struct synth_params *p);
/*
 * Constructors (masim-like); each adds the heap / area / stack mappings
 * and its phases to an initialised @m.
 * stairs: the area in nr_steps equal stairs, one hot per phase in order.
 * zigzag: stairs up, then back down (2 * nr_steps - 2 phases).
 * hot_cold: a hot spot of hot_sz moving evenly over the area.
 * growing: phase i accesses the first (i + 1) / nr_steps of the area.
 */
void synth_model_stairs(struct synth_model *m, const struct synth_params *p);
void synth_model_zigzag(struct synth_model *m, const struct synth_params *p);
void synth_model_hot_cold(struct synth_model *m,
			  const struct synth_params *p);
void synth_model_growing(struct synth_model *m, const struct synth_params *p);

enum synth_kind {
	SYNTH_VADDR,	/* initial and updated regions: three regions */
	SYNTH_FIXED,	/* fvaddr-like: user regions only, never updated */
};

struct synth_source {
	struct access_source base;
	const struct synth_model *models;	/* borrowed, one per target */
	size_t nr_models;
	struct mon_clock *clock;		/* borrowed */
	uint64_t start_ns;
	struct mon_rand rand;
	enum synth_kind kind;
	bool writes_only;		/* see writes only, like soft-dirty */
	bool *valid;			/* per target */
	uint64_t nr_checked;
	uint64_t nr_accessed;
};

/*
 * synth_source_init() - a source over @models (target ti uses
 * models[min(ti, nr - 1)], and shares that model's validity) whose time
 * starts now on @clock.  @models and @clock are borrowed.
 */
void synth_source_init(struct synth_source *s, const struct synth_model *models,
		       size_t nr_models, struct mon_clock *clock,
		       uint64_t seed);
void synth_source_release(struct synth_source *s);
/* Make target @ti (in)valid, as if its process exited. */
void synth_source_set_valid(struct synth_source *s, size_t ti, bool valid);
/* The phase of target @ti's model at @now_ns. */
const struct synth_phase *synth_source_phase(const struct synth_source *s,
					     size_t ti, uint64_t now_ns);

/*
 * Ground truth over a time window: per address the time-weighted mean
 * access probability of the phases active in it.
 */
struct synth_truth {
	struct damon_addr_range *hot;	/* mean probability > threshold */
	size_t nr_hot;
	size_t cap_hot;
	uint64_t hot_bytes;
	uint64_t wss_bytes;		/* mean probability > 0 */
	uint64_t *bounds;		/* scratch */
	size_t nr_bounds;
	size_t cap_bounds;
};

void synth_truth_init(struct synth_truth *tr);
void synth_truth_release(struct synth_truth *tr);
/*
 * synth_source_truth() - fill @tr for target @ti over [from_ns, to_ns)
 * (an aggregation interval: mon->aggr_start_ns to now) with @threshold_bp
 * as the hot threshold.
 */
void synth_source_truth(const struct synth_source *s, size_t ti,
			uint64_t from_ns, uint64_t to_ns,
			uint32_t threshold_bp, struct synth_truth *tr);
/* Mean access probability (bp) of @addr over [from_ns, to_ns). */
uint32_t synth_source_mean_bp(const struct synth_source *s, size_t ti,
			      uint64_t from_ns, uint64_t to_ns, uint64_t addr);

#endif /* DAMO_CORE_SOURCES_SYNTHETIC_H */
