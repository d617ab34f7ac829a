/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a stream of snapshots goes: the one interface between what produces
 * snapshots (kernel DAMON's tracepoints or tried regions, the embedded
 * monitor, a synthetic workload model) and what consumes them (damo
 * record's loop, a live report).  A producer pushes into a sink until the
 * monitor ends, the sink asks it to stop, or an error.
 *
 * A producer first announces each record (one per monitoring target, or
 * per scheme for scheme records) with add(), then passes each aggregation's
 * snapshot with the index add() returned, in time order per record.
 */
#ifndef DAMO_CORE_SNAP_SINK_H
#define DAMO_CORE_SNAP_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct record_meta;
struct snapshot;

struct snap_sink {
	/* A new record about @meta (copied); returns its index. */
	size_t (*add)(struct snap_sink *sink, const struct record_meta *meta);
	/* Record @rec's next snapshot (borrowed).  Non-zero -errno stops. */
	int (*snapshot)(struct snap_sink *sink, size_t rec,
			const struct snapshot *s);
	/*
	 * A side sample of record @rec's target: RSS and VSZ in bytes
	 * (SNAP_NONE when not known) at @time_ns, on the snapshots' clock.
	 * May be NULL (samples dropped).
	 */
	int (*rss)(struct snap_sink *sink, size_t rec, uint64_t time_ns,
		   uint64_t rss_bytes, uint64_t vsz_bytes);
	/*
	 * Polled by the producer at least every 100 ms, between snapshots
	 * too: true ends the stream (duration reached, a signal, the reader
	 * gone).  The sink may also flush or show progress here.
	 */
	bool (*should_stop)(struct snap_sink *sink);
};

#endif /* DAMO_CORE_SNAP_SINK_H */
