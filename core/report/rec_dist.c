/* SPDX-License-Identifier: GPL-2.0 */
/* Per-record distributions of one number per (re-aggregated) snapshot. */
#include "rec_dist.h"

#include <stdlib.h>
#include <string.h>

#include "core/snapshot.h"
#include "core/xalloc.h"

static size_t sink_add(struct snap_sink *sink, const struct record_meta *meta)
{
	return rec_dist_add_record((struct rec_dist *)sink, meta);
}

static int sink_snapshot(struct snap_sink *sink, size_t rec,
			 const struct snapshot *s)
{
	rec_dist_add((struct rec_dist *)sink, rec, s);
	return 0;
}

void rec_dist_init(struct rec_dist *m, const struct rec_dist_params *p,
		   rec_dist_value_fn value, const void *priv)
{
	memset(m, 0, sizeof(*m));
	m->sink.add = sink_add;
	m->sink.snapshot = sink_snapshot;
	m->params = *p;
	if (!m->params.work_time_us)
		m->params.work_time_us = 1;
	m->value = value;
	m->priv = priv;
	snapshot_init(&m->merged);
}

void rec_dist_release(struct rec_dist *m)
{
	size_t i;

	for (i = 0; i < m->nr_recs; i++) {
		report_dist_release(&m->recs[i].dist);
		reaggr_release(&m->recs[i].ra);
	}
	free(m->recs);
	snapshot_release(&m->merged);
	memset(m, 0, sizeof(*m));
}

size_t rec_dist_add_record(struct rec_dist *m, const struct record_meta *meta)
{
	struct rec_dist_record *r;

	m->recs = xreallocarray(m->recs, m->nr_recs + 1, sizeof(*m->recs));
	r = &m->recs[m->nr_recs];
	memset(r, 0, sizeof(*r));
	r->target_id = meta->target_id;
	reaggr_init(&r->ra, m->params.work_time_us);
	return m->nr_recs++;
}

void rec_dist_add(struct rec_dist *m, size_t rec, const struct snapshot *s)
{
	struct rec_dist_record *r = &m->recs[rec];
	uint64_t start = s->start_ns == SNAP_NONE ? s->end_ns : s->start_ns;

	if (r->nr_seen++ < m->params.exclude)
		return;
	/* a snapshot spanning the work time alone is taken as it is */
	if (!r->ra.nr_snapshots && s->end_ns - start >= r->ra.interval_ns)
		report_dist_push(&r->dist, m->value(s, m->priv));
	else if (reaggr_feed(&r->ra, s, &m->merged))
		report_dist_push(&r->dist, m->value(&m->merged, m->priv));
}

/* damo's collapse: the i-th values of all records added, as target 0. */
static void collapse(struct rec_dist *m)
{
	struct report_dist *d0 = &m->recs[0].dist, *d;
	size_t i, j;

	for (i = 1; i < m->nr_recs; i++) {
		d = &m->recs[i].dist;
		while (d0->n < d->n)
			report_dist_push(d0, 0);
		for (j = 0; j < d->n; j++)
			d0->v[j] += d->v[j];
		report_dist_release(d);
		reaggr_release(&m->recs[i].ra);
	}
	m->nr_recs = 1;
	m->recs[0].target_id = 0;
}

const struct rec_dist_record *rec_dist_result(struct rec_dist *m, size_t *nr)
{
	size_t i;

	if (!m->done) {
		m->done = true;
		for (i = 0; i < m->nr_recs && !m->params.by_time; i++)
			report_dist_sort(&m->recs[i].dist);
		if (m->params.collapse && m->nr_recs)
			collapse(m);
	}
	*nr = m->nr_recs;
	return m->recs;
}
