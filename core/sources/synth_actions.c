/* SPDX-License-Identifier: GPL-2.0 */
/* DAMOS actions for the synthetic source: counted, never carried out. */
#include "core/sources/synth_actions.h"

#include <stdlib.h>
#include <string.h>

#include "core/sources/synthetic.h"
#include "core/xalloc.h"

static const struct synth_model *model_of(const struct synth_actions *a,
					  size_t ti)
{
	if (!a->nr_models)
		return NULL;
	return &a->models[ti < a->nr_models ? ti : a->nr_models - 1];
}

static uint64_t synth_apply(struct damos_actions *da, size_t ti,
			    uint64_t start, uint64_t end, const struct damos *s,
			    size_t si)
{
	struct synth_actions *a = (struct synth_actions *)da;
	uint64_t sz = end > start ? end - start : 0;

	(void)ti;
	if (s->action == DAMOS_STAT)
		return 0;
	if (si < a->nr_schemes)
		a->applied[si] += sz;
	return sz;
}

/*
 * Whether @addr lies in a mapping of @m, and in *run how many bytes from
 * @addr (up to @end) share that answer.
 */
static bool in_mapping(const struct synth_model *m, uint64_t addr,
		       uint64_t end, uint64_t *run)
{
	uint64_t to = end;
	size_t i;

	for (i = 0; m && i < m->nr_mappings; i++) {
		const struct damon_addr_range *r = &m->mappings[i];

		if (addr < r->start) {
			to = r->start < end ? r->start : end;
			break;
		}
		if (addr < r->end) {
			*run = (r->end < end ? r->end : end) - addr;
			return true;
		}
	}
	*run = to - addr;
	return false;
}

static bool synth_filter_match(struct damos_actions *da, size_t ti,
			       uint64_t addr, uint64_t end,
			       const struct damos_filter *f, uint64_t *run)
{
	struct synth_actions *a = (struct synth_actions *)da;
	bool mapped = in_mapping(model_of(a, ti), addr, end, run);

	switch (f->type) {
	case DAMOS_FILTER_ANON:
		return mapped;
	case DAMOS_FILTER_UNMAPPED:
		return !mapped;
	default:
		*run = 0;
		return false;
	}
}

static const struct damos_actions_ops synth_actions_ops = {
	.apply = synth_apply,
	.filter_match = synth_filter_match,
};

void synth_actions_init(struct synth_actions *a,
			const struct synth_model *models, size_t nr_models,
			size_t nr_schemes)
{
	memset(a, 0, sizeof(*a));
	a->base.ops = &synth_actions_ops;
	a->base.ops_filter_actions = DAMOS_ACTIONS_VADDR_OPS_FILTERED;
	a->models = models;
	a->nr_models = nr_models;
	a->nr_schemes = nr_schemes;
	a->applied = xcalloc(nr_schemes ? nr_schemes : 1, sizeof(*a->applied));
}

void synth_actions_release(struct synth_actions *a)
{
	free(a->applied);
	memset(a, 0, sizeof(*a));
}
