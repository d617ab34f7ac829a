/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The record-info model: the guide (core/record_guide.h) of every record,
 * records with the same kdamond, context, scheme and target ids merged, in
 * damo's order (largest total contiguous space first).  Heatmaps take
 * their default ranges from the same guides.
 */
#ifndef DAMO_CORE_REPORT_RECORD_INFO_H
#define DAMO_CORE_REPORT_RECORD_INFO_H

#include <stdbool.h>
#include <stddef.h>

#include "core/record_guide.h"
#include "core/snap_sink.h"
#include "core/snapshot.h"

struct record_info_model {
	struct snap_sink sink;	/* feeds the two _add functions */
	struct record_guide *gs;
	struct record_meta *metas;	/* per guide: ids and intervals only */
	size_t nr;
	bool done;
};

void record_info_model_init(struct record_info_model *m);
void record_info_model_release(struct record_info_model *m);

/*
 * record_info_model_add_record() - the guide of the record @meta is about
 * (an earlier one with the same ids, or a new one): the index for
 * record_info_model_add().
 */
size_t record_info_model_add_record(struct record_info_model *m,
				    const struct record_meta *meta);
void record_info_model_add(struct record_info_model *m, size_t rec,
			   const struct snapshot *s);

/*
 * record_info_model_result() - the guides, *@nr of them, sorted; feeding
 * ends.  With @take the caller owns the array (and its guides' storage,
 * record_guide_release() each) and @m is left empty.
 */
struct record_guide *record_info_model_result(struct record_info_model *m,
					      size_t *nr, bool take);

#endif /* DAMO_CORE_REPORT_RECORD_INFO_H */
