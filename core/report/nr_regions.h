/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The number-of-regions model: the distribution of the snapshots' region
 * counts per record (see rec_dist.h; damo skips NR_REGIONS_SKIP snapshots
 * of each record and never collapses targets).
 */
#ifndef DAMO_CORE_REPORT_NR_REGIONS_H
#define DAMO_CORE_REPORT_NR_REGIONS_H

#include "core/report/rec_dist.h"

/* damo skips this many snapshots of each record, without an option. */
#define NR_REGIONS_SKIP 20

struct nr_regions_model {
	struct rec_dist rd;
};

/* @work_time_us as in rec_dist_params; @by_time keeps time order. */
void nr_regions_model_init(struct nr_regions_model *m, uint64_t work_time_us,
			   bool by_time);
void nr_regions_model_release(struct nr_regions_model *m);
size_t nr_regions_model_add_record(struct nr_regions_model *m,
				   const struct record_meta *meta);
void nr_regions_model_add(struct nr_regions_model *m, size_t rec,
			  const struct snapshot *s);
const struct rec_dist_record *
nr_regions_model_result(struct nr_regions_model *m, size_t *nr);

/* @m as a snapshot sink (add: a record, snapshot: one of its snapshots). */
static inline struct snap_sink *nr_regions_model_sink(struct nr_regions_model *m)
{
	return &m->rd.sink;
}

#endif /* DAMO_CORE_REPORT_NR_REGIONS_H */
