/* SPDX-License-Identifier: GPL-2.0 */
/* Reading the physical memory layout from /proc/iomem. */
#include "kdamond/system.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
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
