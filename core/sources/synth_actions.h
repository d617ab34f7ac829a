/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMOS actions for the synthetic source: there is no memory to act on, so
 * an action "applies" by counting the bytes it is given, and leaves the
 * modelled workload as it was.
 */
#ifndef DAMO_CORE_SOURCES_SYNTH_ACTIONS_H
#define DAMO_CORE_SOURCES_SYNTH_ACTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "core/damos_engine.h"

struct synth_model;

/*
 * The action set.  Every action succeeds on every byte it is given, in no
 * time, except stat, which applies to nothing (as in the kernel).  Actions
 * honour ops filters as vaddr does (migrate_hot, migrate_cold and stat);
 * of the ops filters, anon matches the model's mappings (a modelled
 * workload's memory is anonymous), unmapped matches the addresses outside
 * them, and the others (active, young, memcg, hugepage_size) never match.
 */
struct synth_actions {
	struct damos_actions base;
	const struct synth_model *models;	/* borrowed, one per target */
	size_t nr_models;
	uint64_t *applied;		/* bytes applied, per scheme */
	size_t nr_schemes;
};

/*
 * synth_actions_init() - actions for @nr_schemes schemes over the targets
 * of @models (target ti uses models[min(ti, nr_models - 1)], as the
 * synthetic source does).  @models is borrowed.
 */
void synth_actions_init(struct synth_actions *a,
			const struct synth_model *models, size_t nr_models,
			size_t nr_schemes);
void synth_actions_release(struct synth_actions *a);

#endif /* DAMO_CORE_SOURCES_SYNTH_ACTIONS_H */
