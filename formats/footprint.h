/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory footprint samples recorded next to access records: an iterator
 * of one sample per process (or the system) per sampling time, so that
 * reports read any source the same way.  The source here is damo's
 * <record>.mem_footprint side file, streamed; a
 * record format carrying its own RSS samples can add another source
 * behind the same trio.
 */
#ifndef DAMO_FORMATS_FOOTPRINT_H
#define DAMO_FORMATS_FOOTPRINT_H

#include <stdbool.h>
#include <stdint.h>

struct diag;
struct footprint_reader;

#define FOOTPRINT_SYSTEM (-1)	/* pid of the system-wide sample */

struct footprint_sample {
	uint64_t time_ns;	/* CLOCK_REALTIME, as damo stores it */
	uint64_t seq;		/* which sampling time, from 0 in file order */
	int64_t pid;		/* FOOTPRINT_SYSTEM for /proc/meminfo's */
	uint64_t vsz;		/* bytes; 0 for the system sample */
	uint64_t rss;		/* bytes; 0 for the system sample */
	uint64_t sys_used;	/* bytes (MemTotal - MemFree); system only */
};

/*
 * footprint_open() - open the footprint file @path.
 * @rdp: receives the reader, owned by the caller (footprint_close())
 * @diag: where problems go with file:line:col (borrowed, outlives @rdp)
 * Return: 0, or -errno when the file cannot be opened.
 */
int footprint_open(const char *path, struct footprint_reader **rdp,
		   struct diag *diag);

/*
 * footprint_next() - the next sample into @s.
 * Return: 1 for a sample, 0 at the end, -EINVAL on a malformed file
 * (reported in the diag; later calls return it again).
 */
int footprint_next(struct footprint_reader *rd, struct footprint_sample *s);

/* Close @rd; NULL is accepted. */
void footprint_close(struct footprint_reader *rd);

#endif /* DAMO_FORMATS_FOOTPRINT_H */
