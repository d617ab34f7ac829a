/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libFuzzer target for the configuration reader: any input either fails
 * with located diagnostics or reads into a model that writes back, reads
 * again and writes the same text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "formats/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void round_trip(const struct damon_config *cfg, enum doc_format fmt,
		       bool raw)
{
	char *first = config_emit(cfg, fmt, raw), *second;
	struct config_file back;
	struct diag d;

	diag_init(&d);
	/* What we wrote must read back, without validation (as written). */
	if (config_parse(first, strlen(first), "emitted", false, &back, &d)) {
		fprintf(stderr, "emitted text does not read back: %s\n%s",
			d.nr ? d.v[0].msg : "?", first);
		abort();
	}
	second = config_emit(&back.cfg, fmt, raw);
	if (strcmp(first, second)) {
		fprintf(stderr, "round trip changed:\n%s---\n%s", first, second);
		abort();
	}
	free(first);
	free(second);
	config_file_release(&back);
	diag_release(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config_file cf;
	struct diag d;
	size_t i;

	diag_init(&d);
	if (!config_parse((const char *)data, size, "fuzz", true, &cf, &d)) {
		if (cf.kind == CONFIG_KDAMONDS) {
			round_trip(&cf.cfg, DOC_FMT_YAML, false);
			round_trip(&cf.cfg, DOC_FMT_JSON, true);
		}
		config_file_release(&cf);
	} else {
		for (i = 0; i < d.nr; i++)
			if (!d.v[i].msg || !d.v[i].msg[0])
				abort();
	}
	diag_release(&d);
	return 0;
}
