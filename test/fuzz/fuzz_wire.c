/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libFuzzer target for the embedded daemon's wire protocol, the parsing
 * side only: the first byte picks what the rest is read as.
 *   0: a request line as the daemon reads it (a tune request's
 *      configuration read and validated as the daemon does)
 *   1: a status answer, as the client reads it
 *   2: any answer's ok/errors
 *   3: a snapshot line of a recording
 * Any input either reads or fails with its reason in the diagnostics.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/snapshot.h"
#include "formats/doc.h"
#include "kdamond/embedded/embedded.h"
#include "kdamond/embedded/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A failure must say why (messages from the daemon are passed on as is). */
static void check_diag(int err, const struct diag *d)
{
	size_t i;

	if (err && !diag_nr_errors(d))
		abort();
	for (i = 0; i < d->nr; i++)
		if (!d->v[i].msg)
			abort();
}

static void request(const char *text, size_t len)
{
	const struct doc_node *op, *cfgn;
	struct config_file cf;
	struct doc_node *req;
	struct diag d;
	int err;

	diag_init(&d);
	req = doc_parse_json(text, len, "request", &d);
	if (!req) {
		check_diag(-1, &d);
		diag_release(&d);
		return;
	}
	op = req->kind == DOC_MAP ? doc_map_get(req, "op") : NULL;
	cfgn = req->kind == DOC_MAP ? doc_map_get(req, "config") : NULL;
	if (op && op->kind == DOC_STRING && !strcmp(op->text, "tune") &&
	    cfgn) {
		err = emb_wire_config_read(cfgn, "tune", true, &cf, &d);
		check_diag(err, &d);
		if (!err)
			config_file_release(&cf);
	}
	doc_free(req);
	diag_release(&d);
}

static void status(const char *text)
{
	struct embedded_info info = { 0 };
	struct kdamond k;
	struct diag d;
	int err;

	diag_init(&d);
	kdamond_init(&k);
	err = emb_wire_status_parse(text, "status", &k, &info, &d);
	check_diag(err, &d);
	kdamond_release(&k);
	embedded_info_release(&info);
	diag_release(&d);
}

static void answer(const char *text)
{
	struct diag d;

	diag_init(&d);
	check_diag(emb_wire_answer_check(text, &d), &d);
	diag_release(&d);
}

/*
 * The client takes the daemon's regions as they come (its own monitor's,
 * through an owner-only socket): only the snapshot's shape is checked.
 */
static void snapshot_line(const char *text)
{
	struct snapshot s;
	size_t ti = 0;

	snapshot_init(&s);
	if (!emb_wire_snapshot_parse(text, &ti, &s) &&
	    s.nr_regions > s.cap_regions)
		abort();
	snapshot_release(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;

	if (!size)
		return 0;
	/* the daemon and the client read NUL-terminated lines */
	text = malloc(size);
	if (!text)
		abort();
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	switch (data[0] % 4) {
	case 0:
		request(text, size - 1);
		break;
	case 1:
		status(text);
		break;
	case 2:
		answer(text);
		break;
	default:
		snapshot_line(text);
		break;
	}
	free(text);
	return 0;
}
