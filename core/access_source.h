/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The access-source interface of the embedded monitor (the kernel's
 * "operations set" minus the actions): where regions come from and whether
 * a sampled address was accessed.  Also the vaddr "three regions" layout as
 * a pure function, for every source that sees a process's mappings.
 */
#ifndef DAMO_CORE_ACCESS_SOURCE_H
#define DAMO_CORE_ACCESS_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/damon.h"

struct diag;

/* A reusable {ptr, nr, cap} array of address ranges. */
struct mon_ranges {
	struct damon_addr_range *v;
	size_t nr;
	size_t cap;
};

void mon_ranges_init(struct mon_ranges *r);
void mon_ranges_release(struct mon_ranges *r);
/* Append [start, end); grows the array only when it is full. */
void mon_ranges_push(struct mon_ranges *r, uint64_t start, uint64_t end);

struct access_source;

/*
 * Every hook takes the target's index @ti in the context (0-based).  Hooks
 * may be NULL; the comment says what NULL means.
 */
struct access_source_ops {
	/*
	 * init_regions() - append the initial ranges of target @ti to @out
	 * (empty on entry).  Called only for targets without user regions;
	 * the monitor splits them evenly as vaddr does (§4.6).  Return 0 or
	 * -errno (the target then starts with no regions).  NULL: no ranges.
	 */
	int (*init_regions)(struct access_source *src, size_t ti,
			    struct mon_ranges *out);
	/*
	 * update_regions() - the periodic ops update (every ops_update_us):
	 * return 1 after appending the ranges the target should now cover to
	 * @out (applied like damon_set_regions()), 0 to keep the regions, or
	 * -errno to skip this target this time.  NULL: never updated (fvaddr,
	 * paddr).
	 */
	int (*update_regions)(struct access_source *src, size_t ti,
			      struct mon_ranges *out);
	/*
	 * prepare() - start a sample: make the @n addresses in @addrs (one per
	 * region, in region order) "not accessed".  Return 0 or -errno.
	 */
	int (*prepare)(struct access_source *src, size_t ti,
		       const uint64_t *addrs, size_t n);
	/*
	 * check() - after the sampling interval, set accessed[i] for each of
	 * the same @n addresses.  A source may reuse the previous answer when
	 * an address falls in the page or folio it just checked, as the
	 * kernel does.  On -errno every address counts as not accessed.
	 */
	int (*check)(struct access_source *src, size_t ti,
		     const uint64_t *addrs, size_t n, bool *accessed);
	/*
	 * target_valid() - whether target @ti still exists (its process
	 * lives).  NULL: always valid and the monitor never stops by itself
	 * (paddr).  With it, the monitor stops once no target is valid.
	 */
	bool (*target_valid)(struct access_source *src, size_t ti);
	/* destroy() - free the source; called by its owner, not the monitor */
	void (*destroy)(struct access_source *src);
};

/* Embed as the first member of a source. */
struct access_source {
	const struct access_source_ops *ops;
};

static inline void access_source_destroy(struct access_source *src)
{
	if (src && src->ops->destroy)
		src->ops->destroy(src);
}

/* access_source_destroy(), then free the source a type's create() made. */
void access_source_free(struct access_source *src);

/*
 * The registry of access sources the embedded monitor can run on, in the
 * order --source auto tries them, most capable first: one row each in
 * core/sources/registry.c.  The daemon, --source auto, --help texts,
 * error messages and completions all iterate it.
 */
struct access_source_type {
	const char *name;		/* what --source takes */
	const char *sees;		/* "reads and writes", "writes" */
	const char *needs;		/* what it needs, a phrase */
	/* what --source auto says after "using NAME, " */
	const char *auto_says;
	/* the same for a command damo launches; NULL: auto_says */
	const char *auto_says_command;
	/* a command damo launches runs with damo's agent preloaded */
	bool preload_agent;
	/*
	 * create() - a source watching the @nr processes @pids, in *@src
	 * (freed with access_source_free()).  Return: 0, or -errno with
	 * why (and a hint where one helps) in @d.
	 */
	int (*create)(const pid_t *pids, size_t nr, struct access_source **src,
		      struct diag *d);
	/*
	 * probe_command() - whether it can watch a command damo is about
	 * to launch with @agent (NULL: none installed), without the command.
	 * NULL: create() on damo itself tells.
	 */
	int (*probe_command)(const char *agent, struct diag *d);
};

/* The @i-th source (0-based), or NULL past the last. */
const struct access_source_type *access_source_at(size_t i);
/* The source named @name, or NULL. */
const struct access_source_type *access_source_find(const char *name);
/*
 * access_source_names() - "auto" and every source's name, @sep between
 * them ("auto|pageidle|softdirty|uffd"); static, for help and errors.
 */
const char *access_source_names(const char *sep);

/*
 * damon_three_regions() - the vaddr initial layout (docs/kernel-damon.md §4.6):
 * from @maps, the [start, end) mappings of a process sorted by address,
 * find the two largest gaps between consecutive mappings and return the
 * three ranges around them in @out, each bound aligned up to @align.
 * Return 0, or -EINVAL when fewer than two non-empty gaps exist.
 */
int damon_three_regions(const struct damon_addr_range *maps, size_t nr,
			uint64_t align, struct damon_addr_range out[3]);

#endif /* DAMO_CORE_ACCESS_SOURCE_H */
