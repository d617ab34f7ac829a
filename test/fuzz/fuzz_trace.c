/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libFuzzer target for the tracefs text parser: each line of the input
 * is a trace_pipe line; a parsed one must describe a region.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kdamond/sysfs/trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *line, *nl;
	struct trace_event ev;

	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	for (line = text; line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		memset(&ev, 0, sizeof(ev));
		if (trace_parse_line(line, &ev))
			continue;
		if (ev.start >= ev.end || !ev.nr_regions)
			abort();
	}
	free(text);
	return 0;
}
