/* SPDX-License-Identifier: GPL-2.0 */
/* Workload models for the synthetic source, and their building blocks. */
#include "core/sources/synthetic.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

void synth_model_init(struct synth_model *m)
{
	memset(m, 0, sizeof(*m));
}

void synth_model_release(struct synth_model *m)
{
	size_t i;

	for (i = 0; i < m->nr_phases; i++)
		free(m->phases[i].ranges);
	free(m->phases);
	free(m->mappings);
	synth_model_init(m);
}

void synth_model_add_mapping(struct synth_model *m, uint64_t start,
			     uint64_t end)
{
	size_t i = m->nr_mappings;

	xgrow((void **)&m->mappings, m->nr_mappings, &m->cap_mappings,
	      sizeof(*m->mappings));
	while (i && m->mappings[i - 1].start > start) {
		m->mappings[i] = m->mappings[i - 1];
		i--;
	}
	m->mappings[i].start = start;
	m->mappings[i].end = end;
	m->nr_mappings++;
}

struct synth_phase *synth_model_add_phase(struct synth_model *m,
					  uint64_t duration_us)
{
	struct synth_phase *p;

	xgrow((void **)&m->phases, m->nr_phases, &m->cap_phases,
	      sizeof(*m->phases));
	p = &m->phases[m->nr_phases++];
	memset(p, 0, sizeof(*p));
	p->duration_us = duration_us;
	return p;
}

void synth_phase_add_range(struct synth_phase *p, uint64_t start,
			   uint64_t end, uint32_t access_bp, bool write)
{
	size_t i = p->nr_ranges;

	xgrow((void **)&p->ranges, p->nr_ranges, &p->cap, sizeof(*p->ranges));
	while (i && p->ranges[i - 1].start > start) {
		p->ranges[i] = p->ranges[i - 1];
		i--;
	}
	p->ranges[i].start = start;
	p->ranges[i].end = end;
	p->ranges[i].access_bp = access_bp;
	p->ranges[i].write = write;
	p->nr_ranges++;
}

uint32_t synth_phase_access_bp(const struct synth_phase *p, uint64_t addr,
			       bool writes_only)
{
	size_t lo = 0, hi = p->nr_ranges;

	/* the last range starting at or below addr */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->ranges[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || addr >= p->ranges[lo - 1].end)
		return 0;
	if (writes_only && !p->ranges[lo - 1].write)
		return 0;
	return p->ranges[lo - 1].access_bp;
}

void synth_params_init(struct synth_params *p)
{
	memset(p, 0, sizeof(*p));
	p->area_sz = 64ULL << 20;
	p->nr_steps = 4;
	p->phase_us = 2000000;
	p->hot_bp = 9000;
	p->cold_bp = 0;
	p->hot_sz = 8ULL << 20;
}

static void add_layout(struct synth_model *m, const struct synth_params *p)
{
	synth_model_add_mapping(m, SYNTH_HEAP_START,
				SYNTH_HEAP_START + SYNTH_HEAP_SZ);
	synth_model_add_mapping(m, SYNTH_AREA_START,
				SYNTH_AREA_START + p->area_sz);
	synth_model_add_mapping(m, SYNTH_STACK_START, SYNTH_STACK_END);
	m->repeat = p->repeat;
}

/* A phase with [hot_start, hot_end) hot and the rest of the area cold. */
static void add_hot_phase(struct synth_model *m, const struct synth_params *p,
			  uint64_t hot_start, uint64_t hot_end)
{
	struct synth_phase *ph = synth_model_add_phase(m, p->phase_us);
	uint64_t a = SYNTH_AREA_START, z = SYNTH_AREA_START + p->area_sz;

	if (p->cold_bp && a < hot_start)
		synth_phase_add_range(ph, a, hot_start, p->cold_bp, false);
	if (hot_start < hot_end)
		synth_phase_add_range(ph, hot_start, hot_end, p->hot_bp, true);
	if (p->cold_bp && hot_end < z)
		synth_phase_add_range(ph, hot_end, z, p->cold_bp, false);
}

static uint64_t stair_sz(const struct synth_params *p)
{
	return p->area_sz / (p->nr_steps ? p->nr_steps : 1) /
	       4096 * 4096;
}

static void add_stair(struct synth_model *m, const struct synth_params *p,
		      size_t i)
{
	uint64_t a = SYNTH_AREA_START + i * stair_sz(p);

	add_hot_phase(m, p, a, a + stair_sz(p));
}

void synth_model_stairs(struct synth_model *m, const struct synth_params *p)
{
	size_t i;

	add_layout(m, p);
	for (i = 0; i < p->nr_steps; i++)
		add_stair(m, p, i);
}

void synth_model_zigzag(struct synth_model *m, const struct synth_params *p)
{
	size_t i;

	add_layout(m, p);
	for (i = 0; i < p->nr_steps; i++)
		add_stair(m, p, i);
	for (i = p->nr_steps - 1; i-- > 1;)
		add_stair(m, p, i);
}

void synth_model_hot_cold(struct synth_model *m, const struct synth_params *p)
{
	uint64_t span = p->area_sz > p->hot_sz ? p->area_sz - p->hot_sz : 0;
	uint64_t step = p->nr_steps > 1 ? span / (p->nr_steps - 1) : 0;
	size_t i;

	add_layout(m, p);
	step = step / 4096 * 4096;
	for (i = 0; i < (p->nr_steps ? p->nr_steps : 1); i++) {
		uint64_t a = SYNTH_AREA_START + i * step;

		add_hot_phase(m, p, a, a + p->hot_sz);
	}
}

void synth_model_growing(struct synth_model *m, const struct synth_params *p)
{
	size_t i;

	add_layout(m, p);
	for (i = 0; i < p->nr_steps; i++)
		add_hot_phase(m, p, SYNTH_AREA_START,
			      SYNTH_AREA_START + (i + 1) * stair_sz(p));
}
