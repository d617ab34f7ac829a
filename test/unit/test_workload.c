/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests for synthetic workload files: the shipped models, the errors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/sources/synthetic.h"
#include "core/xalloc.h"
#include "formats/workload.h"

#define MIB (1024ULL * 1024)

/* Load examples/workloads/@name of the source tree. */
static void load_example(const char *name, struct workload *w)
{
	const char *src = getenv("DAMO_SRC");
	struct diag d;
	char *path;
	size_t i;
	int err;

	path = xasprintf("%s/examples/workloads/%s", src ? src : ".", name);
	diag_init(&d);
	err = workload_load(path, w, &d);
	for (i = 0; i < d.nr; i++) {
		char *s = diag_format(&d.v[i]);

		print_error("%s\n", s);
		free(s);
	}
	assert_int_equal(err, 0);
	assert_int_equal(d.nr, 0);
	diag_release(&d);
	free(path);
}

/* Field by field: mappings, phases, their ranges, repeat. */
static void assert_models_equal(const struct synth_model *a,
				const struct synth_model *b)
{
	size_t i, j;

	assert_int_equal(a->repeat, b->repeat);
	assert_int_equal(a->nr_mappings, b->nr_mappings);
	for (i = 0; i < a->nr_mappings; i++) {
		assert_int_equal(a->mappings[i].start, b->mappings[i].start);
		assert_int_equal(a->mappings[i].end, b->mappings[i].end);
	}
	assert_int_equal(a->nr_phases, b->nr_phases);
	for (i = 0; i < a->nr_phases; i++) {
		const struct synth_phase *p = &a->phases[i], *q = &b->phases[i];

		assert_int_equal(p->duration_us, q->duration_us);
		assert_int_equal(p->nr_ranges, q->nr_ranges);
		for (j = 0; j < p->nr_ranges; j++) {
			assert_int_equal(p->ranges[j].start, q->ranges[j].start);
			assert_int_equal(p->ranges[j].end, q->ranges[j].end);
			assert_int_equal(p->ranges[j].access_bp,
					 q->ranges[j].access_bp);
			assert_int_equal(p->ranges[j].write, q->ranges[j].write);
		}
	}
}

static void check_example(const char *name,
			  void (*ctor)(struct synth_model *,
				       const struct synth_params *),
			  const struct synth_params *p)
{
	struct synth_model m;
	struct workload w;

	load_example(name, &w);
	synth_model_init(&m);
	ctor(&m, p);
	assert_models_equal(&w.model, &m);
	assert_int_equal(w.kind, SYNTH_VADDR);
	assert_false(w.writes_only);
	synth_model_release(&m);
	workload_release(&w);
}

static void test_stairs_is_the_constructors(void **state)
{
	struct synth_params p;

	(void)state;
	synth_params_init(&p);
	p.repeat = true;
	check_example("stairs.yaml", synth_model_stairs, &p);
}

static void test_zigzag_is_the_constructors(void **state)
{
	struct synth_params p;

	(void)state;
	synth_params_init(&p);
	p.repeat = true;
	check_example("zigzag.yaml", synth_model_zigzag, &p);
}

static void test_hot_cold_is_the_constructors(void **state)
{
	struct synth_params p;

	(void)state;
	synth_params_init(&p);
	p.nr_steps = 8;
	p.hot_sz = 8 * MIB;
	p.cold_bp = 100;
	p.repeat = true;
	check_example("hot-cold.yaml", synth_model_hot_cold, &p);
}

static void test_growing_is_the_constructors(void **state)
{
	struct synth_params p;

	(void)state;
	synth_params_init(&p);
	p.nr_steps = 8;
	p.phase_us = 5000000;
	check_example("growing.yaml", synth_model_growing, &p);
}

/* Every way of writing a range gives the same one; JSON works too. */
static void test_range_spellings_agree(void **state)
{
	static const char json[] =
		"{\"ops\": \"fvaddr\", \"writes_only\": true,\n"
		" \"mappings\": [{\"name\": \"a\", \"start\": 1048576, "
		"\"end\": \"0x200000\"},\n"
		"              {\"start\": \"0x400000\", \"size\": \"1 MiB\"}],\n"
		" \"phases\": [{\"duration_us\": 0, \"ranges\": [\n"
		"   {\"mapping\": \"a\", \"offset\": \"4 KiB\", \"size\": 4096, "
		"\"access_bp\": 50},\n"
		"   {\"start\": \"0x102000\", \"end\": \"1,060,864\", "
		"\"access_bp\": \"0.5 %\"},\n"
		"   {\"mapping\": \"a\", \"start\": \"0x1ff000\", \"size\": \"4K\", "
		"\"access_bp\": \"100%\", \"write\": true},\n"
		"   {\"start\": \"0x4ff000\", \"size\": \"4 KiB\", "
		"\"access_bp\": 10000}]}]}\n";
	const struct synth_range *r;
	struct workload w;
	struct diag d;

	(void)state;
	diag_init(&d);
	assert_int_equal(workload_parse(json, strlen(json), "t.json", &w, &d),
			 0);
	assert_int_equal(d.nr, 0);
	assert_int_equal(w.kind, SYNTH_FIXED);
	assert_true(w.writes_only);
	assert_false(w.model.repeat);
	assert_int_equal(w.model.nr_mappings, 2);
	assert_int_equal(w.model.mappings[0].start, 1 * MIB);
	assert_int_equal(w.model.mappings[0].end, 2 * MIB);
	assert_int_equal(w.model.mappings[1].end, 5 * MIB);
	assert_int_equal(w.model.nr_phases, 1);
	assert_int_equal(w.model.phases[0].duration_us, 0);
	assert_int_equal(w.model.phases[0].nr_ranges, 4);
	r = w.model.phases[0].ranges;
	assert_int_equal(r[0].start, MIB + 4096);
	assert_int_equal(r[0].end, MIB + 8192);
	assert_int_equal(r[0].access_bp, 50);
	assert_false(r[0].write);
	assert_int_equal(r[1].start, MIB + 8192);
	assert_int_equal(r[1].end, MIB + 12288);
	assert_int_equal(r[1].access_bp, 50);
	assert_int_equal(r[2].start, 2 * MIB - 4096);
	assert_int_equal(r[2].access_bp, 10000);
	assert_true(r[2].write);
	assert_int_equal(r[3].end, 5 * MIB);
	workload_release(&w);
	diag_release(&d);
}

struct bad_case {
	const char *text;
	unsigned int line;
	unsigned int col;
	const char *path;
	const char *msg;	/* a part of the message */
};

#define MAP "ops: fvaddr\nmappings:\n  - {name: a, start: 0x100000, size: 1 MiB}\n"
#define PH "phases:\n  - duration_us: 1 s\n    ranges:\n"

static const struct bad_case bad_cases[] = {
	{ MAP PH "      - {mapping: a, offset: 0, size: 4 KiB, access_bp: 120 %}\n",
	  7, 57, "phases[0].ranges[0].access_bp", "above 100 %" },
	{ MAP PH "      - {mapping: b, offset: 0, size: 4 KiB, access_bp: 1}\n",
	  7, 19, "phases[0].ranges[0].mapping", "no mapping is named 'b'" },
	{ MAP PH "      - {mapping: a, offset: 1 MiB, size: 4 KiB, access_bp: 1}\n",
	  7, 9, "phases[0].ranges[0]", "does not lie inside mapping 'a'" },
	{ MAP PH "      - {start: 0x1000, size: 4 KiB, access_bp: 1}\n",
	  7, 9, "phases[0].ranges[0]", "does not lie inside one mapping" },
	{ MAP PH "      - {offset: 0, size: 4 KiB, access_bp: 1}\n",
	  7, 18, "phases[0].ranges[0].offset", "name it with 'mapping'" },
	{ MAP PH "      - {mapping: a, offset: 0, access_bp: 1}\n",
	  7, 9, "phases[0].ranges[0]", "missing 'size' or 'end'" },
	{ MAP PH "      - {mapping: a, offset: 0, size: 8 KiB, access_bp: 1}\n"
		 "      - {mapping: a, offset: 4 KiB, size: 4 KiB, access_bp: 1}\n",
	  8, 9, "phases[0].ranges[1]", "overlaps another range" },
	{ MAP PH "      - {mapping: a, start: 0xfg, size: 4 KiB, access_bp: 1}\n",
	  7, 29, "phases[0].ranges[0].start", "'0xfg' is not an address" },
	{ MAP PH "      - {mapping: a, offset: 0, size: 4 KiB, access_bp: 1, wrote: true}\n",
	  7, 60, "phases[0].ranges[0].wrote", "unknown key 'wrote'" },
	{ MAP "phases:\n  - ranges: []\n",
	  5, 5, "phases[0]", "missing required key 'duration_us'" },
	{ MAP "phases:\n  - duration_us: 0\n  - duration_us: 1 s\n",
	  5, 18, "phases[0].duration_us", "only the last phase" },
	{ MAP "phases:\n  - duration_us: 2 parsecs\n",
	  5, 18, "phases[0].duration_us", "is not a time" },
	{ MAP "phases: []\n", 4, 9, "phases", "at least one phase" },
	{ MAP "  - {start: 0x1ff000, size: 1 MiB}\nphases: []\n",
	  4, 5, "mappings[1]", "overlaps the mapping at line 3" },
	{ "mappings:\n  - {start: 0x100000, size: 1 MiB}\nphases:\n  - duration_us: 1 s\n",
	  2, 3, "mappings", "fewer than two gaps" },
	{ "ops: paddr\nmappings:\n  - {start: 0x100000, size: 1 MiB}\nphases: []\n",
	  1, 6, "ops", "'paddr' is not an operations set" },
	{ MAP PH "      - {mapping: a, offset: 0, size: 4 KiB, access_bp: 1}\nrepeats: true\n",
	  8, 1, "repeats", "unknown key 'repeats'" },
	{ MAP PH "      - {mapping: a, offset: 0, size: 4 KiB, access_bp: 1\n",
	  8, 1, "", "" },
};

static void test_errors_are_located(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct workload w;
		struct diag d;
		char *s;

		diag_init(&d);
		assert_int_equal(workload_parse(c->text, strlen(c->text),
						"w.yaml", &w, &d), -22);
		assert_true(d.nr >= 1);
		s = diag_format(&d.v[0]);
		print_message("case %zu: %s\n", i, s);
		free(s);
		assert_string_equal(d.v[0].file, "w.yaml");
		assert_int_equal(d.v[0].line, c->line);
		assert_int_equal(d.v[0].col, c->col);
		assert_string_equal(d.v[0].path, c->path);
		assert_non_null(strstr(d.v[0].msg, c->msg));
		assert_null(w.model.phases);
		diag_release(&d);
	}
}

/* Problems of different phases and ranges all come out, in file order. */
static void test_every_problem_is_reported(void **state)
{
	static const char text[] = MAP
		"phases:\n"
		"  - duration_us: 0\n"
		"    ranges:\n"
		"      - {mapping: b, offset: 0, size: 4 KiB, access_bp: 1}\n"
		"      - {mapping: a, offset: 0, size: 4 KiB, access_bp: 101 %}\n"
		"  - duration_us: 1 s\n"
		"    ranges:\n"
		"      - {start: 0x100000, end: 0x100000, access_bp: 1}\n";
	static const unsigned int lines[] = { 5, 7, 8, 11 };
	struct workload w;
	struct diag d;
	size_t i;

	(void)state;
	diag_init(&d);
	assert_int_equal(workload_parse(text, strlen(text), "w.yaml", &w, &d),
			 -22);
	assert_int_equal(d.nr, 4);
	for (i = 0; i < d.nr; i++)
		assert_int_equal(d.v[i].line, lines[i]);
	assert_string_equal(d.v[3].path, "phases[1].ranges[0].end");
	assert_non_null(strstr(d.v[3].msg, "empty"));
	diag_release(&d);
}

static void test_a_missing_file_is_reported(void **state)
{
	struct workload w;
	struct diag d;

	(void)state;
	diag_init(&d);
	assert_int_equal(workload_load("/nonexistent/w.yaml", &w, &d), -2);
	assert_int_equal(d.nr, 1);
	assert_string_equal(d.v[0].file, "/nonexistent/w.yaml");
	assert_non_null(strstr(d.v[0].msg, "cannot open"));
	diag_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stairs_is_the_constructors),
		cmocka_unit_test(test_zigzag_is_the_constructors),
		cmocka_unit_test(test_hot_cold_is_the_constructors),
		cmocka_unit_test(test_growing_is_the_constructors),
		cmocka_unit_test(test_range_spellings_agree),
		cmocka_unit_test(test_errors_are_located),
		cmocka_unit_test(test_every_problem_is_reported),
		cmocka_unit_test(test_a_missing_file_is_reported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
