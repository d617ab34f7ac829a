/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The uffd access source: writes to the private anonymous memory of
 * processes that run damo's agent (libdamo-agent.so, which registers that
 * memory with userfaultfd in asynchronous write-protect mode), sampled from
 * outside with the PAGEMAP_SCAN ioctl on /proc/PID/pagemap (Linux 6.7+, no
 * privilege beyond ptrace access).  See core/sources/README.md.
 */
#ifndef DAMO_CORE_SOURCES_UFFD_H
#define DAMO_CORE_SOURCES_UFFD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/sources/proc.h"

struct diag;
struct page_region;

/*
 * Sampled pages at most these many pages apart share one ioctl.  Re-arming
 * write-protects every written page of the span, which costs the workload
 * one (kernel-resolved) fault each, so prepare merges only near-neighbours;
 * a check only reads, and one ioctl (about 1 us) costs about as much as
 * walking 64 to 128 populated page table entries (README.md, "Costs").
 */
#define UFFD_WP_MERGE_PAGES 4
#define UFFD_GET_MERGE_PAGES 64

struct uffd_source {
	struct proc_source ps;		/* first: the access_source */
	struct page_region *vec;	/* PAGEMAP_SCAN output */
	size_t vec_len;
	uint64_t wp_merge_pages;	/* UFFD_WP_MERGE_PAGES; settable */
	uint64_t get_merge_pages;	/* UFFD_GET_MERGE_PAGES; settable */
	uint64_t nr_ioctls;		/* PAGEMAP_SCAN calls so far */
	uint64_t nr_checked;		/* sampled addresses checked */
	uint64_t nr_written;		/* ... found written */
};

/*
 * uffd_probe() - whether @pagemap_fd (of a process) answers PAGEMAP_SCAN
 * and the process has memory registered for asynchronous write-protection
 * somewhere in [@start, @end).  Returns 0 when it has, -ENODATA when it
 * has none (no agent, or the agent failed), -ENOTTY when the kernel has no
 * PAGEMAP_SCAN (before 6.7), or another -errno.
 */
int uffd_probe(int pagemap_fd, uint64_t start, uint64_t end);
/*
 * uffd_probe_pid() - uffd_probe() over every mapping of process @pid, for
 * a launcher waiting for its agent to come up.  Also -ESRCH, -EACCES.
 */
int uffd_probe_pid(pid_t pid);

/*
 * uffd_source_init() - a source watching the @nr processes @pids, each of
 * which must run the agent.  Fails, with why and what would help added to
 * @d (may be NULL), when a process is missing, inaccessible, without
 * registered memory, or the kernel lacks PAGEMAP_SCAN.  Returns 0 or
 * -errno; on failure nothing needs releasing.
 */
int uffd_source_init(struct uffd_source *s, const pid_t *pids, size_t nr,
		     struct diag *d);
/* Closes everything; accepts a released source.  Also its destroy hook. */
void uffd_source_release(struct uffd_source *s);

/* uffd_source_init(), allocated: its registry row. */
int uffd_source_create(const pid_t *pids, size_t nr,
		       struct access_source **src, struct diag *d);
/*
 * uffd_probe_command() - whether a command damo launches with @agent
 * preloaded (NULL: none installed) can be watched: the agent is readable
 * and the kernel answers PAGEMAP_SCAN.  Return 0, or -errno with why in @d.
 */
int uffd_probe_command(const char *agent, struct diag *d);

#endif /* DAMO_CORE_SOURCES_UFFD_H */
