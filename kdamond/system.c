/* SPDX-License-Identifier: GPL-2.0 */
/* Reading the physical memory layout from /proc/iomem. */
#include "kdamond/system.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

#include "core/damon.h"
#include "core/xalloc.h"
#include "kdamond/sysfs/sysfs.h"

int system_largest_ram(uint64_t *start, uint64_t *end)
{
	const char *path = getenv("DAMO_IOMEM");
	uint64_t s, e, best = 0;
	char line[256];
	FILE *f;

	f = fopen(path && *path ? path : "/proc/iomem", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		/* top-level lines only: nested resources are indented */
		if (line[0] == ' ' || !strstr(line, " : System RAM"))
			continue;
		if (sscanf(line, "%" SCNx64 "-%" SCNx64, &s, &e) != 2 || e < s)
			continue;
		if (e - s + 1 > best) {
			best = e - s + 1;
			*start = s;
			*end = e + 1;
		}
	}
	fclose(f);
	if (!best)
		return -ENOENT;
	/* unprivileged readers see zeroes */
	return *start == 0 && *end == 1 ? -EPERM : 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The memory block numbers of node @nid ("memoryN" entries), sorted. */
static long node_blocks(const char *root, long nid, uint64_t **blocks)
{
	char *dir = xasprintf("%s/node/node%ld", root, nid);
	size_t nr = 0, cap = 0;
	struct dirent *de;
	DIR *d = opendir(dir);
	char *end;

	free(dir);
	*blocks = NULL;
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		uint64_t n;

		if (strncmp(de->d_name, "memory", 6) || !de->d_name[6])
			continue;
		n = strtoull(de->d_name + 6, &end, 10);
		if (*end)
			continue;
		xgrow((void **)blocks, nr, &cap, sizeof(**blocks));
		(*blocks)[nr++] = n;
	}
	closedir(d);
	if (nr)
		qsort(*blocks, nr, sizeof(**blocks), cmp_u64);
	return (long)nr;
}

int system_node_regions(long nid, struct damon_target *t)
{
	const char *env = getenv("DAMO_SYSTEM_ROOT");
	const char *root = env && *env ? env : "/sys/devices/system";
	char buf[64], *end;
	uint64_t *blocks, bs;
	long nr, i;
	int err;

	err = sysfs_read(root, "memory/block_size_bytes", buf, sizeof(buf));
	if (err)
		return err;
	bs = strtoull(buf, &end, 16);
	if (*end || !bs)
		return -EINVAL;
	nr = node_blocks(root, nid, &blocks);
	if (nr <= 0) {
		free(blocks);
		return nr ? (int)nr : -ENOENT;
	}
	for (i = 0; i < nr; i++) {
		struct damon_addr_range *last = t->nr_regions ?
			&t->regions[t->nr_regions - 1] : NULL;
		uint64_t start = blocks[i] * bs;

		if (last && last->end == start)
			last->end = start + bs;
		else
			*damon_target_add_region(t) = (struct damon_addr_range){
				start, start + bs };
	}
	free(blocks);
	return 0;
}

static FILE *open_iomem(void)
{
	const char *path = getenv("DAMO_IOMEM");

	return fopen(path && *path ? path : "/proc/iomem", "re");
}

/* "  100000-1fffff : Kernel code" into [start, end) and the name. */
static bool parse_iomem_line(char *line, uint64_t *start, uint64_t *end,
			     const char **name)
{
	char *colon = strstr(line, " : "), *nl;

	if (!colon ||
	    sscanf(line, " %" SCNx64 "-%" SCNx64, start, end) != 2 ||
	    *end < *start || *end == UINT64_MAX)
		return false;
	(*end)++;
	*name = colon + 3;
	nl = strchr(colon + 3, '\n');
	if (nl)
		*nl = '\0';
	return true;
}

struct memblock {
	uint64_t start, end;
	long nid;
	char state[16];
};

static int cmp_memblock(const void *a, const void *b)
{
	const struct memblock *x = a, *y = b;

	if (x->nid != y->nid)
		return x->nid < y->nid ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Every memory block of every node, merged into runs of one node and state. */
static long memblock_runs(struct memblock **out)
{
	const char *env = getenv("DAMO_SYSTEM_ROOT");
	const char *root = env && *env ? env : "/sys/devices/system";
	struct memblock *mb = NULL;
	size_t nr = 0, cap = 0, i, j;
	struct dirent *de;
	char buf[64], *end;
	uint64_t bs;
	DIR *d;
	int err;

	err = sysfs_read(root, "memory/block_size_bytes", buf, sizeof(buf));
	if (err)
		return err;
	bs = strtoull(buf, &end, 16);
	if ((*end && *end != '\n') || !bs)
		return -EINVAL;
	end = xasprintf("%s/node", root);
	d = opendir(end);
	free(end);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		uint64_t *blocks;
		long nid, n, k;

		if (strncmp(de->d_name, "node", 4) || !de->d_name[4])
			continue;
		nid = strtol(de->d_name + 4, &end, 10);
		if (*end || nid < 0)
			continue;
		n = node_blocks(root, nid, &blocks);
		for (k = 0; k < n; k++) {
			char *rel = xasprintf("node/node%ld/memory%" PRIu64 "/state",
					      nid, blocks[k]);
			struct memblock *m;

			if (blocks[k] > UINT64_MAX / bs - 1) {
				free(rel);
				continue;
			}
			xgrow((void **)&mb, nr, &cap, sizeof(*mb));
			m = &mb[nr++];
			m->start = blocks[k] * bs;
			m->end = m->start + bs;
			m->nid = nid;
			if (sysfs_read(root, rel, m->state, sizeof(m->state)))
				snprintf(m->state, sizeof(m->state), "unknown");
			m->state[strcspn(m->state, "\n")] = '\0';
			free(rel);
		}
		free(blocks);
	}
	closedir(d);
	if (!nr) {
		free(mb);
		return -ENOENT;
	}
	qsort(mb, nr, sizeof(*mb), cmp_memblock);
	for (i = 1, j = 0; i < nr; i++) {
		if (mb[j].end == mb[i].start && mb[j].nid == mb[i].nid &&
		    !strcmp(mb[j].state, mb[i].state))
			mb[j].end = mb[i].end;
		else
			mb[++j] = mb[i];
	}
	*out = mb;
	return (long)(j + 1);
}

struct pa_item {
	struct system_pa_range r;
	size_t seq;		/* keeps equal starts in iomem order */
};

static int cmp_pa_item(const void *a, const void *b)
{
	const struct pa_item *x = a, *y = b;

	if (x->r.start != y->r.start)
		return x->r.start < y->r.start ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

long system_pa_layout(struct system_pa_range **ranges)
{
	struct pa_item *io = NULL, *out = NULL;
	size_t nr_io = 0, cap_io = 0, nr_out = 0, cap_out = 0, i;
	struct memblock *mb = NULL;
	const char *name;
	char line[256];
	long nr_mb, b;
	uint64_t s, e;
	FILE *f;

	nr_mb = memblock_runs(&mb);
	if (nr_mb < 0)
		return nr_mb;
	f = open_iomem();
	if (!f) {
		free(mb);
		return -errno;
	}
	while (fgets(line, sizeof(line), f)) {
		if (!parse_iomem_line(line, &s, &e, &name))
			continue;
		xgrow((void **)&io, nr_io, &cap_io, sizeof(*io));
		io[nr_io] = (struct pa_item){ .r = { s, e, -1, "", "" } };
		snprintf(io[nr_io].r.name, sizeof(io[nr_io].r.name), "%s", name);
		nr_io++;
	}
	fclose(f);
	/* the list grows with the parts split off, which are seen in turn */
	for (i = 0; i < nr_io; i++) {
		for (b = 0; b < nr_mb; b++) {
			struct system_pa_range *r = &io[i].r;

			if (mb[b].start > r->start || r->start >= mb[b].end)
				continue;
			if (r->end > mb[b].end) {
				xgrow((void **)&io, nr_io, &cap_io, sizeof(*io));
				r = &io[i].r;
				io[nr_io] = (struct pa_item){ .r = *r };
				io[nr_io].r.start = mb[b].end;
				nr_io++;
				r->end = mb[b].end;
			}
			r->nid = mb[b].nid;
			snprintf(r->state, sizeof(r->state), "%s", mb[b].state);
			xgrow((void **)&out, nr_out, &cap_out, sizeof(*out));
			out[nr_out] = (struct pa_item){ .r = *r, .seq = nr_out };
			nr_out++;
		}
	}
	free(io);
	free(mb);
	if (nr_out)
		qsort(out, nr_out, sizeof(*out), cmp_pa_item);
	*ranges = xcalloc(nr_out ? nr_out : 1, sizeof(**ranges));
	for (i = 0; i < nr_out; i++)
		(*ranges)[i] = out[i].r;
	free(out);
	return (long)nr_out;
}
