/* SPDX-License-Identifier: GPL-2.0 */
/* Time intervals of a recording with regions passing the filters. */
#include "times.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

static size_t sink_add(struct snap_sink *sink, const struct record_meta *meta)
{
	return times_model_add_record((struct times_model *)sink, meta);
}

static int sink_snapshot(struct snap_sink *sink, size_t rec,
			 const struct snapshot *s)
{
	times_model_add((struct times_model *)sink, rec, s);
	return 0;
}

void times_model_init(struct times_model *m,
		      const struct report_filter *filter)
{
	memset(m, 0, sizeof(*m));
	m->sink.add = sink_add;
	m->sink.snapshot = sink_snapshot;
	m->filter = filter;
	snapshot_init(&m->scratch);
}

void times_model_release(struct times_model *m)
{
	free(m->recs);
	free(m->iv);
	snapshot_release(&m->scratch);
	memset(m, 0, sizeof(*m));
}

size_t times_model_add_record(struct times_model *m,
			      const struct record_meta *meta)
{
	struct times_rec *r;

	m->recs = xreallocarray(m->recs, m->nr_recs + 1, sizeof(*m->recs));
	r = &m->recs[m->nr_recs];
	r->meta = *meta;
	r->meta.data_source = NULL;
	r->meta.scheme_filters = NULL;
	r->meta.nr_scheme_filters = 0;
	r->nr_snapshots = 0;
	return m->nr_recs++;
}

/* Whether @s, the @idx-th of record @r, has regions after the filters. */
static bool passes(struct times_model *m, const struct times_rec *r,
		   const struct snapshot *s, uint64_t idx)
{
	struct snapshot *c = &m->scratch;
	size_t i;

	if (!m->filter || !report_filter_is_set(m->filter))
		return s->nr_regions > 0;
	/* the filter edits what it is given: a copy, without probes */
	snapshot_clear(c);
	c->start_ns = s->start_ns;
	c->end_ns = s->end_ns;
	c->total_bytes = s->total_bytes;
	c->sample_interval_us = s->sample_interval_us;
	c->nr_probes = 0;
	for (i = 0; i < s->nr_regions; i++)
		*snapshot_add_region(c) = s->regions[i];
	return report_filter_snapshot(m->filter, &r->meta, c, idx) &&
	       c->nr_regions > 0;
}

void times_model_add(struct times_model *m, size_t rec,
		     const struct snapshot *s)
{
	struct times_rec *r = &m->recs[rec];
	uint64_t idx = r->nr_snapshots++;
	uint64_t start = s->start_ns == SNAP_NONE ? s->end_ns : s->start_ns;

	if (!passes(m, r, s, idx))
		return;
	if (m->nr && m->iv[m->nr - 1].end_ns == start) {
		m->iv[m->nr - 1].end_ns = s->end_ns;
		return;
	}
	xgrow((void **)&m->iv, m->nr, &m->cap, sizeof(*m->iv));
	m->iv[m->nr].start_ns = start;
	m->iv[m->nr++].end_ns = s->end_ns;
}

const struct times_interval *times_model_result(const struct times_model *m,
						size_t *nr)
{
	*nr = m->nr;
	return m->iv;
}
