/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Complexity benchmark: the readers of what a user (or a client of the
 * embedded daemon) hands damo, on inputs of 1x, 10x and 100x a size, with
 * the time of each and the ratio to the size 10x smaller.  A ratio near 10
 * is linear, 11 to 14 n log n, near 100 quadratic.
 *
 *   complexity [-s SCALE]
 *
 * SCALE (default 1) multiplies every size.  The inputs:
 *   kdamonds-empty  config check of N kdamonds without contexts (one
 *                   located error each)
 *   kdamonds-valid  config check of N kdamonds of one paddr context with a
 *                   stat scheme
 *   map-keys        a JSON map of N keys (the duplicate-key check)
 *   tune-schemes    a daemon tune request of N schemes, as the daemon reads
 *                   it: the JSON line, then the configuration in it checked
 *   model-mappings  a workload model of N mappings and N ranges, written in
 *                   descending address order
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/sources/synthetic.h"
#include "core/xalloc.h"
#include "formats/config.h"
#include "formats/doc.h"
#include "formats/workload.h"

struct text {
	char *s;
	size_t len, cap;
};

static void __attribute__((format(printf, 2, 3)))
put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < t->cap - t->len)
			break;
		t->cap = t->cap * 2 + (size_t)n + 64;
		t->s = xreallocarray(t->s, t->cap, 1);
	}
	t->len += (size_t)n;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void gen_kdamonds_empty(struct text *t, size_t n)
{
	size_t i;

	put(t, "{\"kdamonds\": [");
	for (i = 0; i < n; i++)
		put(t, "%s{}", i ? ",\n" : "");
	put(t, "]}\n");
}

static void gen_kdamonds_valid(struct text *t, size_t n)
{
	size_t i;

	put(t, "kdamonds:\n");
	for (i = 0; i < n; i++)
		put(t, "- contexts:\n  - ops: paddr\n"
		       "    targets: [{pid: null, regions: []}]\n"
		       "    schemes: [{action: stat}]\n");
}

static void gen_map_keys(struct text *t, size_t n)
{
	size_t i;

	put(t, "{");
	for (i = 0; i < n; i++)
		put(t, "%s\"key%zu\": %zu", i ? ", " : "", i, i);
	put(t, "}\n");
}

static void gen_tune(struct text *t, size_t n)
{
	size_t i;

	put(t, "{\"op\":\"tune\",\"config\":{\"kdamonds\":[{\"contexts\":[{"
	       "\"ops\":\"vaddr\",\"targets\":[{\"pid\":1,\"regions\":[]}],"
	       "\"schemes\":[");
	for (i = 0; i < n; i++)
		put(t, "%s{\"action\":\"stat\",\"access_pattern\":{"
		       "\"sz_bytes\":{\"min\":0,\"max\":%zu},"
		       "\"nr_accesses\":{\"min\":0,\"max\":1},"
		       "\"age\":{\"min\":%zu,\"max\":%zu}}}",
		    i ? "," : "", 4096 * (i + 1), i, i + 1);
	put(t, "]}]}]}}");
}

static void gen_model(struct text *t, size_t n)
{
	size_t i;

	put(t, "ops: fvaddr\nmappings:\n");
	for (i = n; i-- > 0;)
		put(t, "  - {name: m%zu, start: 0x%zx, size: 1 MiB}\n", i,
		    (size_t)0x100000 + i * 0x200000);
	put(t, "phases:\n  - duration_us: 1 s\n    ranges:\n");
	for (i = n; i-- > 0;)
		put(t, "      - {mapping: m%zu, offset: 4 KiB, size: 4 KiB, access_bp: 1}\n",
		    i);
}

/* Read @t as its kind does; return whether it went as expected. */
static bool run_config(const struct text *t, size_t n, bool want_errors)
{
	struct config_file cf;
	struct diag d;
	bool ok;
	int err;

	diag_init(&d);
	err = config_parse(t->s, t->len, "bench", true, &cf, &d);
	ok = want_errors ? err && d.nr == n : !err && !d.nr;
	if (!err)
		config_file_release(&cf);
	diag_release(&d);
	return ok;
}

static bool run_keys(const struct text *t, size_t n)
{
	struct doc_node *root;
	struct diag d;
	bool ok;

	diag_init(&d);
	root = doc_parse(t->s, t->len, "bench", NULL, &d);
	ok = root && root->nr == n;
	doc_free(root);
	diag_release(&d);
	return ok;
}

static bool run_tune(const struct text *t, size_t n)
{
	struct doc_node *req;
	const struct doc_node *cfgn;
	struct config_file cf;
	struct diag d;
	char *text;
	bool ok = false;

	diag_init(&d);
	req = doc_parse_json(t->s, t->len, "request", &d);
	cfgn = req ? doc_map_get(req, "config") : NULL;
	if (cfgn) {
		text = doc_emit(cfgn, DOC_FMT_JSON);
		if (!config_parse(text, strlen(text), "tune", true, &cf, &d)) {
			ok = cf.cfg.kdamonds[0].ctxs[0].nr_schemes == n;
			config_file_release(&cf);
		}
		free(text);
	}
	doc_free(req);
	diag_release(&d);
	return ok;
}

static bool run_model(const struct text *t, size_t n)
{
	struct workload w;
	struct diag d;
	bool ok;

	diag_init(&d);
	ok = !workload_parse(t->s, t->len, "bench", &w, &d) &&
	     w.model.nr_mappings == n;
	if (ok)
		workload_release(&w);
	diag_release(&d);
	return ok;
}

enum kind { K_EMPTY, K_VALID, K_KEYS, K_TUNE, K_MODEL };

static const struct bench {
	const char *name;
	enum kind kind;
	size_t base;		/* the 1x size */
	const char *unit;
} benches[] = {
	{ "kdamonds-empty", K_EMPTY, 2000, "kdamonds" },
	{ "kdamonds-valid", K_VALID, 500, "kdamonds" },
	{ "map-keys", K_KEYS, 2000, "keys" },
	{ "tune-schemes", K_TUNE, 500, "schemes" },
	{ "model-mappings", K_MODEL, 1000, "mappings" },
};

/* Seconds to read an input of size @n of @b, the best of a few runs. */
static double measure(const struct bench *b, size_t n, size_t *bytes,
		      bool *ok)
{
	struct text t = { .s = xmalloc(64), .cap = 64 };
	double best = 1e30, t0, dt;
	int run, runs = n <= b->base ? 5 : n <= 10 * b->base ? 3 : 1;

	switch (b->kind) {
	case K_EMPTY: gen_kdamonds_empty(&t, n); break;
	case K_VALID: gen_kdamonds_valid(&t, n); break;
	case K_KEYS: gen_map_keys(&t, n); break;
	case K_TUNE: gen_tune(&t, n); break;
	case K_MODEL: gen_model(&t, n); break;
	}
	*bytes = t.len;
	*ok = true;
	for (run = 0; run < runs; run++) {
		t0 = now_s();
		switch (b->kind) {
		case K_EMPTY: *ok &= run_config(&t, n, true); break;
		case K_VALID: *ok &= run_config(&t, n, false); break;
		case K_KEYS: *ok &= run_keys(&t, n); break;
		case K_TUNE: *ok &= run_tune(&t, n); break;
		case K_MODEL: *ok &= run_model(&t, n); break;
		}
		dt = now_s() - t0;
		if (dt < best)
			best = dt;
	}
	free(t.s);
	return best;
}

int main(int argc, char **argv)
{
	unsigned long scale = 1;
	double worst = 0;
	bool all_ok = true;
	size_t i;
	int opt;

	while ((opt = getopt(argc, argv, "s:")) != -1) {
		if (opt != 's' || !(scale = strtoul(optarg, NULL, 10))) {
			fprintf(stderr, "usage: complexity [-s SCALE]\n");
			return 64;
		}
	}
	printf("Reading inputs of 1x, 10x and 100x a size (best of 5, 3, 1 runs);\n"
	       "ratio: time over the time of the size 10x smaller (10: linear,\n"
	       "11-14: n log n, 100: quadratic).\n\n");
	printf("%-15s %9s %-9s %10s %10s %8s %10s\n", "input", "N", "", "bytes",
	       "seconds", "ratio", "us/item");
	for (i = 0; i < sizeof(benches) / sizeof(benches[0]); i++) {
		const struct bench *b = &benches[i];
		double prev = 0;
		size_t n = b->base * scale;
		int k;

		for (k = 0; k < 3; k++, n *= 10) {
			size_t bytes;
			bool ok;
			double s = measure(b, n, &bytes, &ok);
			char ratio[16] = "-";

			all_ok &= ok;
			if (prev > 0) {
				snprintf(ratio, sizeof(ratio), "%.1f", s / prev);
				if (k == 2 && s / prev > worst)
					worst = s / prev;
			}
			printf("%-15s %9zu %-9s %10zu %10.4f %8s %10.3f%s\n",
			       b->name, n, b->unit, bytes, s, ratio,
			       s * 1e6 / (double)n, ok ? "" : "  WRONG RESULT");
			fflush(stdout);
			prev = s;
		}
	}
	printf("\nWorst ratio from 10x to 100x: %.1f: %s\n", worst,
	       worst < 20 ? "linear or n log n in every input (O(n log n) at most)" :
	       worst < 50 ? "superlinear: look at the worst input" :
	       "quadratic somewhere");
	return all_ok ? 0 : 1;
}
