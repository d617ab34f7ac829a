/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The softdirty access source: writes seen through the soft-dirty bits of
 * processes damo may ptrace (clear_refs "4", then pagemap bit 55); needs a
 * kernel with CONFIG_MEM_SOFT_DIRTY.  See core/sources/README.md.
 */
#ifndef DAMO_CORE_SOURCES_SOFTDIRTY_H
#define DAMO_CORE_SOURCES_SOFTDIRTY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/sources/proc.h"

struct diag;

/*
 * Sampled pages at most this many pages apart share one pagemap pread: a
 * pread costs about as much as reading 32 entries (README.md, "Costs").
 */
#define SOFTDIRTY_MERGE_PAGES 32

struct softdirty_source {
	struct proc_source ps;		/* first: the access_source */
	int *clear_fds;			/* /proc/PID/clear_refs, per target */
	uint64_t *ents;			/* pagemap entries of a sample */
	size_t ents_cap;
	struct proc_pagemap_batch batch;
	uint64_t nr_clears;		/* clear_refs writes so far */
	uint64_t nr_checked;
	uint64_t nr_written;
};

/*
 * softdirty_supported() - whether this kernel tracks soft-dirty bits: a
 * page damo writes in its own fresh mapping must show pagemap bit 55.
 * Returns 0, -EOPNOTSUPP when the bit stays clear (no
 * CONFIG_MEM_SOFT_DIRTY), or -errno when the probe itself failed.
 */
int softdirty_supported(void);

/*
 * softdirty_source_init() - a source watching the @nr processes @pids.
 * Fails, with why and what would help added to @d (may be NULL), when
 * the kernel lacks soft-dirty tracking or a process is missing or not
 * accessible.  Returns 0 or -errno; on failure nothing needs releasing.
 */
int softdirty_source_init(struct softdirty_source *s, const pid_t *pids,
			  size_t nr, struct diag *d);
/* Closes everything; accepts a released source.  Also its destroy hook. */
void softdirty_source_release(struct softdirty_source *s);

/* softdirty_source_init(), allocated: its registry row. */
int softdirty_source_create(const pid_t *pids, size_t nr,
			    struct access_source **src, struct diag *d);

#endif /* DAMO_CORE_SOURCES_SOFTDIRTY_H */
