/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libFuzzer target for the workload-model YAML: any input either reads
 * into a model or fails with located diagnostics.
 */
#include <stdint.h>
#include <stdlib.h>

#include "core/diag.h"
#include "formats/workload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct workload w;
	struct diag d;
	size_t i;

	diag_init(&d);
	if (!workload_parse((const char *)data, size, "fuzz", &w, &d)) {
		if (d.nr && diag_nr_errors(&d))
			abort();
		workload_release(&w);
	} else {
		if (!diag_nr_errors(&d))
			abort();
		for (i = 0; i < d.nr; i++)
			if (!d.v[i].msg || !d.v[i].msg[0] || !d.v[i].file)
				abort();
	}
	diag_release(&d);
	return 0;
}
