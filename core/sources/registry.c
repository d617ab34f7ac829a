/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The access sources of the embedded monitor (core/access_source.h), in
 * the order --source auto tries them: most capable first.  A new source
 * is its own file (with a create function) and one row here.
 */
#include "core/access_source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sources/pageidle.h"
#include "core/sources/softdirty.h"
#include "core/sources/uffd.h"
#include "core/xalloc.h"

static const struct access_source_type sources[] = {
	{
		.name = "pageidle",
		.sees = "reads and writes",
		.needs = "CONFIG_IDLE_PAGE_TRACKING and root",
		.auto_says = "which sees reads and writes",
		.create = pageidle_source_create,
	},
	{
		.name = "softdirty",
		.sees = "writes",
		.needs = "CONFIG_MEM_SOFT_DIRTY and ptrace access",
		.auto_says = "which sees writes only (reads are invisible to it)",
		.create = softdirty_source_create,
	},
	{
		.name = "uffd",
		.sees = "writes",
		.needs = "damo's agent preloaded in the process, Linux 6.7",
		.auto_says = "which sees writes only, to the private anonymous memory the agent registered",
		.auto_says_command = "with damo's agent preloaded in the command: it sees writes only, to private anonymous memory",
		.preload_agent = true,
		.create = uffd_source_create,
		.probe_command = uffd_probe_command,
	},
};

const struct access_source_type *access_source_at(size_t i)
{
	return i < ARRAY_SIZE(sources) ? &sources[i] : NULL;
}

const struct access_source_type *access_source_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sources); i++)
		if (!strcmp(name, sources[i].name))
			return &sources[i];
	return NULL;
}

const char *access_source_names(const char *sep)
{
	static char buf[256];
	size_t i, len;

	len = (size_t)snprintf(buf, sizeof(buf), "auto");
	for (i = 0; i < ARRAY_SIZE(sources) && len < sizeof(buf); i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
					sep, sources[i].name);
	return buf;
}

void access_source_free(struct access_source *src)
{
	access_source_destroy(src);
	free(src);
}
