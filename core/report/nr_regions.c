/* SPDX-License-Identifier: GPL-2.0 */
/* Distributions of the number of regions of each snapshot. */
#include "nr_regions.h"

#include "core/snapshot.h"

static uint64_t value(const struct snapshot *s, const void *priv)
{
	(void)priv;
	return s->nr_regions;
}

void nr_regions_model_init(struct nr_regions_model *m, uint64_t work_time_us,
			   bool by_time)
{
	const struct rec_dist_params p = {
		.exclude = NR_REGIONS_SKIP, .work_time_us = work_time_us,
		.by_time = by_time,
	};

	rec_dist_init(&m->rd, &p, value, NULL);
}

void nr_regions_model_release(struct nr_regions_model *m)
{
	rec_dist_release(&m->rd);
}

size_t nr_regions_model_add_record(struct nr_regions_model *m,
				   const struct record_meta *meta)
{
	return rec_dist_add_record(&m->rd, meta);
}

void nr_regions_model_add(struct nr_regions_model *m, size_t rec,
			  const struct snapshot *s)
{
	rec_dist_add(&m->rd, rec, s);
}

const struct rec_dist_record *
nr_regions_model_result(struct nr_regions_model *m, size_t *nr)
{
	return rec_dist_result(&m->rd, nr);
}
