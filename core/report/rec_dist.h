/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One number per snapshot, collected per record into a distribution: what
 * wss and nr_regions reports share.  Fed one snapshot at a time (from a
 * record file, a live kernel or the embedded monitor alike): the first
 * @exclude snapshots of each record are skipped, the others re-aggregated
 * to @work_time_us first (1 us: each snapshot alone) as damo adjust does.
 */
#ifndef DAMO_CORE_REPORT_REC_DIST_H
#define DAMO_CORE_REPORT_REC_DIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/reaggr.h"
#include "core/snap_sink.h"
#include "core/report/dist.h"

struct record_meta;
struct snapshot;

struct rec_dist_params {
	uint64_t exclude;	/* snapshots skipped at each record's start */
	uint64_t work_time_us;	/* re-aggregation interval; 0 means 1 */
	bool by_time;		/* keep time order instead of sorting */
	bool collapse;		/* sum the targets' i-th values (target 0) */
};

/* The number a snapshot gives; @priv is the model's. */
typedef uint64_t (*rec_dist_value_fn)(const struct snapshot *s,
				      const void *priv);

struct rec_dist_record {
	uint64_t target_id;
	struct report_dist dist;
	struct reaggr ra;
	uint64_t nr_seen;	/* snapshots fed, excluded ones too */
};

struct rec_dist {
	struct snap_sink sink;	/* feeds rec_dist_add_record()/rec_dist_add() */
	struct rec_dist_params params;
	rec_dist_value_fn value;
	const void *priv;
	struct rec_dist_record *recs;
	size_t nr_recs;
	struct snapshot merged;
	bool done;
};

void rec_dist_init(struct rec_dist *m, const struct rec_dist_params *p,
		   rec_dist_value_fn value, const void *priv);
void rec_dist_release(struct rec_dist *m);

/* Start a record about @meta; return its index for rec_dist_add(). */
size_t rec_dist_add_record(struct rec_dist *m, const struct record_meta *meta);

/* Feed record @rec's next snapshot @s (borrowed). */
void rec_dist_add(struct rec_dist *m, size_t rec, const struct snapshot *s);

/*
 * rec_dist_result() - finish (sort, collapse) and return the records'
 * distributions, *@nr of them, owned by @m.  Feeding ends here.
 */
const struct rec_dist_record *rec_dist_result(struct rec_dist *m, size_t *nr);

#endif /* DAMO_CORE_REPORT_REC_DIST_H */
