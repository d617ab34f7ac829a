/* SPDX-License-Identifier: GPL-2.0 */
/* Working set size distributions. */
#include "wss.h"

#include "core/snapshot.h"

uint64_t wss_of(const struct snapshot *s, const struct wss_params *p)
{
	uint64_t sum = 0, sz, nr;
	size_t i;

	for (i = 0; i < s->nr_regions; i++) {
		sz = s->regions[i].end - s->regions[i].start;
		nr = s->regions[i].nr_accesses;
		if (nr == SNAP_NONE)
			nr = 0;
		if (nr < p->acc_thres || sz < p->sz_thres)
			continue;
		sum += sz;
	}
	return sum;
}

static uint64_t value(const struct snapshot *s, const void *priv)
{
	return wss_of(s, priv);
}

void wss_model_init(struct wss_model *m, const struct wss_params *p)
{
	m->params = *p;
	rec_dist_init(&m->rd, &p->dist, value, &m->params);
}

void wss_model_release(struct wss_model *m)
{
	rec_dist_release(&m->rd);
}

size_t wss_model_add_record(struct wss_model *m,
			    const struct record_meta *meta)
{
	return rec_dist_add_record(&m->rd, meta);
}

void wss_model_add(struct wss_model *m, size_t rec, const struct snapshot *s)
{
	rec_dist_add(&m->rd, rec, s);
}

const struct rec_dist_record *wss_model_result(struct wss_model *m,
					       size_t *nr)
{
	return rec_dist_result(&m->rd, nr);
}
