/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The working set size model: a snapshot's working set size is the total
 * size of its regions accessed in at least @acc_thres samples and at least
 * @sz_thres bytes large; the model keeps their distribution per record
 * (see rec_dist.h for skipping, re-aggregation, sorting and collapsing).
 */
#ifndef DAMO_CORE_REPORT_WSS_H
#define DAMO_CORE_REPORT_WSS_H

#include "core/report/rec_dist.h"

struct wss_params {
	struct rec_dist_params dist;
	uint64_t acc_thres;
	uint64_t sz_thres;
};

struct wss_model {
	struct wss_params params;
	struct rec_dist rd;
};

/* The working set size of @s under @p. */
uint64_t wss_of(const struct snapshot *s, const struct wss_params *p);

void wss_model_init(struct wss_model *m, const struct wss_params *p);
void wss_model_release(struct wss_model *m);
/* Start a record about @meta: the index for wss_model_add(). */
size_t wss_model_add_record(struct wss_model *m,
			    const struct record_meta *meta);
void wss_model_add(struct wss_model *m, size_t rec, const struct snapshot *s);
/* The distributions, *@nr of them (owned by @m); feeding ends. */
const struct rec_dist_record *wss_model_result(struct wss_model *m,
					       size_t *nr);

/* @m as a snapshot sink (add: a record, snapshot: one of its snapshots). */
static inline struct snap_sink *wss_model_sink(struct wss_model *m)
{
	return &m->rd.sink;
}

#endif /* DAMO_CORE_REPORT_WSS_H */
