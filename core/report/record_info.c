/* SPDX-License-Identifier: GPL-2.0 */
/* Record guides of a recording, merged by ids and sorted as damo does. */
#include "record_info.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

static size_t sink_add(struct snap_sink *sink, const struct record_meta *meta)
{
	return record_info_model_add_record((struct record_info_model *)sink,
					    meta);
}

static int sink_snapshot(struct snap_sink *sink, size_t rec,
			 const struct snapshot *s)
{
	record_info_model_add((struct record_info_model *)sink, rec, s);
	return 0;
}

void record_info_model_init(struct record_info_model *m)
{
	memset(m, 0, sizeof(*m));
	m->sink.add = sink_add;
	m->sink.snapshot = sink_snapshot;
}

void record_info_model_release(struct record_info_model *m)
{
	size_t i;

	for (i = 0; i < m->nr; i++)
		record_guide_release(&m->gs[i]);
	free(m->gs);
	free(m->metas);
	record_info_model_init(m);
}

size_t record_info_model_add_record(struct record_info_model *m,
				    const struct record_meta *meta)
{
	struct record_meta *copy;
	size_t i;

	for (i = 0; i < m->nr; i++)
		if (record_guide_is_of(&m->gs[i], meta))
			return i;
	m->gs = xreallocarray(m->gs, m->nr + 1, sizeof(*m->gs));
	m->metas = xreallocarray(m->metas, m->nr + 1, sizeof(*m->metas));
	record_guide_init(&m->gs[m->nr], meta);
	/* what the guide needs of @meta, without its owned parts */
	copy = &m->metas[m->nr];
	*copy = *meta;
	copy->data_source = NULL;
	copy->scheme_filters = NULL;
	copy->nr_scheme_filters = 0;
	return m->nr++;
}

void record_info_model_add(struct record_info_model *m, size_t rec,
			   const struct snapshot *s)
{
	record_guide_add(&m->gs[rec], &m->metas[rec], s);
}

/* damo's stable sort by total contiguous space, largest first. */
static void sort_guides(struct record_guide *gs, size_t nr)
{
	struct record_guide t;
	size_t i, j;

	for (i = 1; i < nr; i++) {
		t = gs[i];
		for (j = i; j && record_guide_space(&gs[j - 1]) <
				 record_guide_space(&t); j--)
			gs[j] = gs[j - 1];
		gs[j] = t;
	}
}

struct record_guide *record_info_model_result(struct record_info_model *m,
					      size_t *nr, bool take)
{
	struct record_guide *gs = m->gs;

	if (!m->done) {
		m->done = true;
		sort_guides(m->gs, m->nr);
	}
	*nr = m->nr;
	if (take) {
		free(m->metas);
		record_info_model_init(m);
	}
	return gs;
}
