/* SPDX-License-Identifier: GPL-2.0 */
/* Heatmap models: a record's binning and each record's hottest region. */
#include "heatmap.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

static size_t bin_add(struct snap_sink *sink, const struct record_meta *meta)
{
	struct heatmap_bin_model *m = (struct heatmap_bin_model *)sink;
	struct heatmap_bin_rec *r;

	m->recs = xreallocarray(m->recs, m->nr_recs + 1, sizeof(*m->recs));
	r = &m->recs[m->nr_recs];
	r->selected = record_guide_is_of(m->g, meta);
	r->has_intervals = meta->has_intervals;
	r->intervals = meta->intervals;
	if (r->selected)
		m->hz = meta->has_intervals && meta->intervals.aggr_us;
	return m->nr_recs++;
}

static int bin_snapshot(struct snap_sink *sink, size_t rec,
			const struct snapshot *s)
{
	struct heatmap_bin_model *m = (struct heatmap_bin_model *)sink;
	const struct heatmap_bin_rec *r = &m->recs[rec];

	if (r->selected)
		heatmap_add(m->hm, s, r->has_intervals ? &r->intervals : NULL);
	return 0;
}

void heatmap_bin_model_init(struct heatmap_bin_model *m, struct heatmap *hm,
			    const struct record_guide *g)
{
	memset(m, 0, sizeof(*m));
	m->sink.add = bin_add;
	m->sink.snapshot = bin_snapshot;
	m->hm = hm;
	m->g = g;
}

void heatmap_bin_model_release(struct heatmap_bin_model *m)
{
	free(m->recs);
	m->recs = NULL;
	m->nr_recs = 0;
}

static size_t hot_add(struct snap_sink *sink, const struct record_meta *meta)
{
	struct heatmap_hot_model *m = (struct heatmap_hot_model *)sink;
	size_t i;

	for (i = 0; i < m->nr; i++)
		if (record_guide_is_of(&m->gs[i], meta))
			break;
	m->rec_guide = xreallocarray(m->rec_guide, m->nr_recs + 1,
				     sizeof(*m->rec_guide));
	m->rec_guide[m->nr_recs] = i;
	return m->nr_recs++;
}

static int hot_snapshot(struct snap_sink *sink, size_t rec,
			const struct snapshot *s)
{
	struct heatmap_hot_model *m = (struct heatmap_hot_model *)sink;
	size_t gi = m->rec_guide[rec];

	if (gi < m->nr)
		record_guide_add_heat(m->cr[gi], m->gs[gi].nr_gaps + 1,
				      m->heat[gi], s);
	return 0;
}

void heatmap_hot_model_init(struct heatmap_hot_model *m,
			    const struct record_guide *gs, size_t nr)
{
	size_t i;

	memset(m, 0, sizeof(*m));
	m->sink.add = hot_add;
	m->sink.snapshot = hot_snapshot;
	m->gs = gs;
	m->nr = nr;
	m->cr = xcalloc(nr ? nr : 1, sizeof(*m->cr));
	m->heat = xcalloc(nr ? nr : 1, sizeof(*m->heat));
	for (i = 0; i < nr; i++) {
		m->cr[i] = xcalloc(gs[i].nr_gaps + 1, sizeof(**m->cr));
		m->heat[i] = xcalloc(gs[i].nr_gaps + 1, sizeof(**m->heat));
		record_guide_regions(&gs[i], m->cr[i]);
	}
}

void heatmap_hot_model_release(struct heatmap_hot_model *m)
{
	size_t i;

	for (i = 0; i < m->nr; i++) {
		free(m->cr[i]);
		free(m->heat[i]);
	}
	free(m->cr);
	free(m->heat);
	free(m->rec_guide);
	memset(m, 0, sizeof(*m));
}

size_t heatmap_hot_model_result(const struct heatmap_hot_model *m, size_t gi)
{
	const struct guide_range *cr = m->cr[gi];
	double best = -1, h;
	size_t i, hot = 0;

	for (i = 0; i <= m->gs[gi].nr_gaps; i++) {
		h = (double)m->heat[gi][i] / (double)(cr[i].end - cr[i].start);
		if (h > best) {
			best = h;
			hot = i;
		}
	}
	return hot;
}
