/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Re-aggregation of a record's snapshots to a longer aggregation interval
 * (damo adjust, and wss/nr_regions --work-time), fed
 * one snapshot at a time: memory is one group's merged regions.
 */
#ifndef DAMO_CORE_REAGGR_H
#define DAMO_CORE_REAGGR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/snapshot.h"

struct reaggr {
	uint64_t interval_ns;
	struct snapshot acc;	/* the group's regions, in damo's order */
	size_t nr_snapshots;	/* in the group so far */
	uint64_t *add;		/* per acc region: samples to add */
	bool *touched;
	size_t cap_add;
};

/* Start re-aggregating to @interval_us microseconds. */
void reaggr_init(struct reaggr *ra, uint64_t interval_us);
void reaggr_release(struct reaggr *ra);

/*
 * reaggr_feed() - add snapshot @s to the current group.  When the group
 * then spans at least the interval (last end - first start), its merged
 * snapshot is moved into @out (snapshot_init()ed by the caller, cleared
 * first) and a new group starts.  A group still open at the end of the
 * record is dropped, as damo drops it: call reaggr_reset() between
 * records.
 * Return: true when @out was filled.
 */
bool reaggr_feed(struct reaggr *ra, const struct snapshot *s,
		 struct snapshot *out);

/* Drop the open group. */
void reaggr_reset(struct reaggr *ra);

#endif /* DAMO_CORE_REAGGR_H */
