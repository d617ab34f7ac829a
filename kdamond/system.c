/* SPDX-License-Identifier: GPL-2.0 */
/* Reading the physical memory layout from /proc/iomem. */
#include "kdamond/system.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
