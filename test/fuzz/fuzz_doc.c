/* SPDX-License-Identifier: GPL-2.0 */
/* libFuzzer target: parse, emit in both formats, and check the round trip. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "formats/doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Emitting @root as @fmt must read back and emit the same text again. */
static void round_trip(const struct doc_node *root, enum doc_format fmt)
{
	char *first = doc_emit(root, fmt), *second;
	char *json1, *json2;
	struct doc_node *back;
	struct diag d;

	diag_init(&d);
	if (fmt == DOC_FMT_JSON)
		back = doc_parse_json(first, strlen(first), "emitted", &d);
	else
		back = doc_parse_yaml(first, strlen(first), "emitted", &d);
	if (!back) {
		fprintf(stderr, "emitted text does not parse: %u:%u: %s\n%s",
			d.v[0].line, d.v[0].col, d.v[0].msg, first);
		abort();
	}
	second = doc_emit(back, fmt);
	json1 = doc_emit(root, DOC_FMT_JSON);
	json2 = doc_emit(back, DOC_FMT_JSON);
	if (strcmp(first, second) || strcmp(json1, json2)) {
		fprintf(stderr, "round trip changed the text:\n%s---\n%s",
			first, second);
		abort();
	}
	free(json1);
	free(json2);
	free(second);
	free(first);
	doc_free(back);
	diag_release(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc_node *root;
	enum doc_format fmt;
	struct diag d;

	diag_init(&d);
	root = doc_parse((const char *)data, size, "fuzz", &fmt, &d);
	if (root) {
		if (d.nr)
			abort();
		round_trip(root, DOC_FMT_JSON);
		round_trip(root, DOC_FMT_YAML);
		doc_free(root);
	} else if (d.nr != 1) {
		/* Every failure is reported, and reported once. */
		abort();
	}
	diag_release(&d);
	return 0;
}
