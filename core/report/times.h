/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The times model (damo's "report times"): the time intervals in which a
 * recording has snapshots with regions left after the record filters.
 * Snapshots are taken in feeding order across all records; one whose
 * start is the end of the last interval extends it, any other starts a
 * new interval.
 */
#ifndef DAMO_CORE_REPORT_TIMES_H
#define DAMO_CORE_REPORT_TIMES_H

#include <stddef.h>
#include <stdint.h>

#include "core/report/filter.h"
#include "core/snap_sink.h"
#include "core/snapshot.h"

struct times_interval {
	uint64_t start_ns;
	uint64_t end_ns;
};

struct times_rec {
	struct record_meta meta;	/* ids and intervals only */
	uint64_t nr_snapshots;		/* fed so far: the next one's index */
};

struct times_model {
	struct snap_sink sink;		/* feeds the two _add functions */
	const struct report_filter *filter;	/* borrowed; NULL: none */
	struct times_rec *recs;
	size_t nr_recs;
	struct snapshot scratch;	/* the filtered copy of a snapshot */
	struct times_interval *iv;
	size_t nr;
	size_t cap;
};

/* @filter (borrowed, may be NULL) picks the regions and snapshots. */
void times_model_init(struct times_model *m,
		      const struct report_filter *filter);
void times_model_release(struct times_model *m);

/* Start a record about @meta: the index for times_model_add(). */
size_t times_model_add_record(struct times_model *m,
			      const struct record_meta *meta);
void times_model_add(struct times_model *m, size_t rec,
		     const struct snapshot *s);

/* The intervals, *@nr of them (owned by @m). */
const struct times_interval *times_model_result(const struct times_model *m,
						size_t *nr);

#endif /* DAMO_CORE_REPORT_TIMES_H */
