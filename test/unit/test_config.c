/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests for configuration files: reading, writing and round trips. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/damon.h"
#include "core/diag.h"
#include "core/xalloc.h"
#include "formats/config.h"
#include "formats/doc.h"

#define KIB (1024ULL)
#define MIB (1024ULL * KIB)
#define GIB (1024ULL * MIB)

/* docs/damo-compat.md §2.4, as damo validated it. */
static const char example_2_4[] =
	"{\"kdamonds\": [{\n"
	"  \"refresh_ms\": \"1 s\",\n"
	"  \"contexts\": [{\n"
	"    \"ops\": \"vaddr\",\n"
	"    \"targets\": [{\"pid\": 4242, \"regions\": []}],\n"
	"    \"intervals\": {\"sample_us\": \"5 ms\", \"aggr_us\": \"100 ms\", "
	"\"ops_update_us\": \"1 s\",\n"
	"                  \"intervals_goal\": {\"access_bp\": \"4 %\", \"aggrs\": 3,\n"
	"                                     \"min_sample_us\": \"5 ms\", "
	"\"max_sample_us\": \"10 s\"}},\n"
	"    \"nr_regions\": {\"min\": 10, \"max\": \"1,000\"},\n"
	"    \"schemes\": [{\n"
	"      \"action\": \"pageout\",\n"
	"      \"access_pattern\": {\"sz_bytes\": {\"min\": \"4 KiB\", \"max\": \"max\"},\n"
	"                         \"nr_accesses\": {\"min\": \"0 %\", \"max\": \"0 %\"},\n"
	"                         \"age\": {\"min\": \"30 s\", \"max\": \"max\"}},\n"
	"      \"apply_interval_us\": 0,\n"
	"      \"quotas\": {\"time_ms\": \"10 ms\", \"sz_bytes\": \"128 MiB\", "
	"\"reset_interval_ms\": \"1 s\",\n"
	"                 \"weights\": {\"sz_permil\": 0, \"nr_accesses_permil\": 3, "
	"\"age_permil\": 7},\n"
	"                 \"goals\": [{\"metric\": \"some_mem_psi_us\", "
	"\"target_value\": \"1 ms\",\n"
	"                            \"current_value\": 0}]},\n"
	"      \"watermarks\": {\"metric\": \"free_mem_rate\", \"interval_us\": \"5 s\",\n"
	"                     \"high_permil\": \"50 %\", \"mid_permil\": 400, "
	"\"low_permil\": 200},\n"
	"      \"filters\": [\n"
	"        {\"filter_type\": \"memcg\", \"matching\": true, \"allow\": false,\n"
	"         \"memcg_path\": \"/workloads/a\"},\n"
	"        {\"filter_type\": \"addr\", \"matching\": false, \"allow\": false,\n"
	"         \"address_range\": {\"start\": \"4 GiB\", "
	"\"end\": \"8 GiB\"}}]}]}]}]}\n";

/* Parse @text, which must be valid, into @cf. */
static void parse_ok(const char *text, struct config_file *cf)
{
	struct diag d;
	size_t i;
	int err;

	diag_init(&d);
	err = config_parse(text, strlen(text), "t", true, cf, &d);
	for (i = 0; i < d.nr; i++)
		print_error("%u:%u: %s: %s\n", d.v[i].line, d.v[i].col,
			    d.v[i].path, d.v[i].msg);
	if (err)
		print_error("in:\n%s", text);
	assert_int_equal(err, 0);
	assert_int_equal(d.nr, 0);
	diag_release(&d);
}

/* Parse @text, which must fail with one problem at @line:@col and @path. */
static void parse_fails(const char *text, unsigned int line, unsigned int col,
			const char *path, const char *msg)
{
	struct config_file cf;
	struct diag d;

	diag_init(&d);
	assert_int_equal(config_parse(text, strlen(text), "t", true, &cf, &d),
			 -EINVAL);
	if (d.nr != 1 || d.v[0].line != line || d.v[0].col != col ||
	    strcmp(d.v[0].path, path) || !strstr(d.v[0].msg, msg))
		print_error("got %zu problems, first %u:%u: %s: %s\n", d.nr,
			    d.nr ? d.v[0].line : 0, d.nr ? d.v[0].col : 0,
			    d.nr ? d.v[0].path : "", d.nr ? d.v[0].msg : "");
	assert_int_equal(d.nr, 1);
	assert_int_equal(d.v[0].line, line);
	assert_int_equal(d.v[0].col, col);
	assert_string_equal(d.v[0].path, path);
	assert_non_null(strstr(d.v[0].msg, msg));
	assert_string_equal(d.v[0].file, "t");
	diag_release(&d);
}

/* Model comparison: every field a configuration file carries. */

static void assert_str_same(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void assert_target_equal(const struct damon_target *a,
				const struct damon_target *b)
{
	size_t i;

	assert_int_equal(a->has_pid, b->has_pid);
	if (a->has_pid)
		assert_int_equal(a->pid, b->pid);
	assert_int_equal(a->obsolete, b->obsolete);
	assert_int_equal(a->nr_regions, b->nr_regions);
	for (i = 0; i < a->nr_regions; i++) {
		assert_int_equal(a->regions[i].start, b->regions[i].start);
		assert_int_equal(a->regions[i].end, b->regions[i].end);
	}
}

static void assert_filter_equal(const struct damos_filter *a,
				const struct damos_filter *b)
{
	assert_int_equal(a->type, b->type);
	assert_int_equal(a->matching, b->matching);
	assert_int_equal(a->allow, b->allow);
	switch (a->type) {
	case DAMOS_FILTER_MEMCG:
		assert_str_same(a->memcg_path, b->memcg_path);
		break;
	case DAMOS_FILTER_ADDR:
		assert_int_equal(a->addr_range.start, b->addr_range.start);
		assert_int_equal(a->addr_range.end, b->addr_range.end);
		break;
	case DAMOS_FILTER_TARGET:
		assert_int_equal(a->target_idx, b->target_idx);
		break;
	case DAMOS_FILTER_HUGEPAGE_SIZE:
		assert_int_equal(a->has_hugepage_size, b->has_hugepage_size);
		if (!a->has_hugepage_size)
			break;
		assert_int_equal(a->min_hugepage_sz, b->min_hugepage_sz);
		assert_int_equal(a->max_hugepage_sz, b->max_hugepage_sz);
		break;
	default:
		break;
	}
}

static void assert_goal_equal(const struct damos_quota_goal *a,
			      const struct damos_quota_goal *b)
{
	assert_int_equal(a->metric, b->metric);
	assert_int_equal(a->target_value, b->target_value);
	assert_int_equal(a->current_value, b->current_value);
	assert_int_equal(a->has_nid, b->has_nid);
	if (a->has_nid)
		assert_int_equal(a->nid, b->nid);
	assert_str_same(a->path, b->path);
}

static void assert_quota_equal(const struct damos_quota *a,
			       const struct damos_quota *b)
{
	size_t i;

	assert_int_equal(a->time_ms, b->time_ms);
	assert_int_equal(a->sz_bytes, b->sz_bytes);
	assert_int_equal(a->reset_interval_ms, b->reset_interval_ms);
	assert_int_equal(a->weight_sz_permil, b->weight_sz_permil);
	assert_int_equal(a->weight_nr_accesses_permil,
			 b->weight_nr_accesses_permil);
	assert_int_equal(a->weight_age_permil, b->weight_age_permil);
	assert_int_equal(a->goal_tuner, b->goal_tuner);
	assert_int_equal(a->effective_sz_bytes, b->effective_sz_bytes);
	assert_int_equal(a->fail_charge_num, b->fail_charge_num);
	assert_int_equal(a->fail_charge_denom, b->fail_charge_denom);
	assert_int_equal(a->nr_goals, b->nr_goals);
	for (i = 0; i < a->nr_goals; i++)
		assert_goal_equal(&a->goals[i], &b->goals[i]);
}

static void assert_scheme_equal(const struct damos *a, const struct damos *b)
{
	const struct damos_access_pattern *pa = &a->pattern, *pb = &b->pattern;
	size_t i;

	assert_int_equal(a->action, b->action);
	assert_int_equal(a->has_target_nid, b->has_target_nid);
	if (a->has_target_nid)
		assert_int_equal(a->target_nid, b->target_nid);
	assert_int_equal(a->nr_dests, b->nr_dests);
	for (i = 0; i < a->nr_dests; i++) {
		assert_int_equal(a->dests[i].id, b->dests[i].id);
		assert_int_equal(a->dests[i].weight, b->dests[i].weight);
	}
	assert_int_equal(pa->min_sz_bytes, pb->min_sz_bytes);
	assert_int_equal(pa->max_sz_bytes, pb->max_sz_bytes);
	assert_int_equal(pa->nr_accesses_unit, pb->nr_accesses_unit);
	assert_int_equal(pa->min_nr_accesses, pb->min_nr_accesses);
	assert_int_equal(pa->max_nr_accesses, pb->max_nr_accesses);
	assert_int_equal(pa->age_unit, pb->age_unit);
	assert_int_equal(pa->min_age, pb->min_age);
	assert_int_equal(pa->max_age, pb->max_age);
	assert_int_equal(a->apply_interval_us, b->apply_interval_us);
	assert_quota_equal(&a->quota, &b->quota);
	assert_int_equal(a->wmarks.metric, b->wmarks.metric);
	assert_int_equal(a->wmarks.interval_us, b->wmarks.interval_us);
	assert_int_equal(a->wmarks.high_permil, b->wmarks.high_permil);
	assert_int_equal(a->wmarks.mid_permil, b->wmarks.mid_permil);
	assert_int_equal(a->wmarks.low_permil, b->wmarks.low_permil);
	assert_int_equal(a->nr_filters, b->nr_filters);
	for (i = 0; i < a->nr_filters; i++)
		assert_filter_equal(&a->filters[i], &b->filters[i]);
	assert_int_equal(a->max_nr_snapshots, b->max_nr_snapshots);
}

static void assert_ctx_equal(const struct damon_ctx *a,
			     const struct damon_ctx *b)
{
	const struct damon_intervals *ia = &a->intervals, *ib = &b->intervals;
	size_t i, j;

	assert_int_equal(a->ops, b->ops);
	assert_int_equal(a->addr_unit, b->addr_unit);
	assert_int_equal(a->nr_targets, b->nr_targets);
	for (i = 0; i < a->nr_targets; i++)
		assert_target_equal(&a->targets[i], &b->targets[i]);
	assert_int_equal(ia->sample_us, ib->sample_us);
	assert_int_equal(ia->aggr_us, ib->aggr_us);
	assert_int_equal(ia->ops_update_us, ib->ops_update_us);
	assert_int_equal(ia->goal.access_bp, ib->goal.access_bp);
	assert_int_equal(ia->goal.aggrs, ib->goal.aggrs);
	assert_int_equal(ia->goal.min_sample_us, ib->goal.min_sample_us);
	assert_int_equal(ia->goal.max_sample_us, ib->goal.max_sample_us);
	assert_int_equal(a->min_nr_regions, b->min_nr_regions);
	assert_int_equal(a->max_nr_regions, b->max_nr_regions);
	assert_int_equal(a->nr_probes, b->nr_probes);
	for (i = 0; i < a->nr_probes; i++) {
		const struct damon_probe *pa = &a->probes[i];
		const struct damon_probe *pb = &b->probes[i];

		assert_int_equal(pa->nr_filters, pb->nr_filters);
		for (j = 0; j < pa->nr_filters; j++) {
			assert_int_equal(pa->filters[j].type,
					 pb->filters[j].type);
			assert_int_equal(pa->filters[j].matching,
					 pb->filters[j].matching);
			assert_int_equal(pa->filters[j].allow,
					 pb->filters[j].allow);
			assert_str_same(pa->filters[j].path,
					pb->filters[j].path);
		}
	}
	assert_int_equal(a->pause, b->pause);
	assert_int_equal(a->nr_schemes, b->nr_schemes);
	for (i = 0; i < a->nr_schemes; i++)
		assert_scheme_equal(&a->schemes[i], &b->schemes[i]);
}

static void assert_cfg_equal(const struct damon_config *a,
			     const struct damon_config *b)
{
	size_t i, j;

	assert_int_equal(a->nr_kdamonds, b->nr_kdamonds);
	for (i = 0; i < a->nr_kdamonds; i++) {
		const struct kdamond *ka = &a->kdamonds[i];
		const struct kdamond *kb = &b->kdamonds[i];

		assert_int_equal(ka->refresh_ms, kb->refresh_ms);
		assert_int_equal(ka->nr_ctxs, kb->nr_ctxs);
		for (j = 0; j < ka->nr_ctxs; j++)
			assert_ctx_equal(&ka->ctxs[j], &kb->ctxs[j]);
	}
}

/*
 * Write @cfg in @fmt (human or @raw), read it back, compare the models, and
 * write the result again: the two texts must be the same.
 */
static void round_trip(const struct damon_config *cfg, enum doc_format fmt,
		       bool raw)
{
	struct config_file cf;
	char *first, *second;

	first = config_emit(cfg, fmt, raw);
	parse_ok(first, &cf);
	assert_int_equal(cf.kind, CONFIG_KDAMONDS);
	assert_int_equal(cf.format, fmt);
	assert_cfg_equal(cfg, &cf.cfg);
	second = config_emit(&cf.cfg, fmt, raw);
	assert_string_equal(first, second);
	free(first);
	free(second);
	config_file_release(&cf);
}

static void round_trip_all(const struct damon_config *cfg)
{
	round_trip(cfg, DOC_FMT_YAML, false);
	round_trip(cfg, DOC_FMT_YAML, true);
	round_trip(cfg, DOC_FMT_JSON, false);
	round_trip(cfg, DOC_FMT_JSON, true);
}

static void test_example_2_4_reads_field_by_field(void **state)
{
	const struct damon_ctx *c;
	const struct damos_filter *f;
	const struct damos *s;
	struct config_file cf;

	(void)state;
	parse_ok(example_2_4, &cf);
	assert_int_equal(cf.kind, CONFIG_KDAMONDS);
	assert_int_equal(cf.format, DOC_FMT_JSON);
	assert_int_equal(cf.cfg.nr_kdamonds, 1);
	assert_int_equal(cf.cfg.kdamonds[0].refresh_ms, 1000);
	assert_int_equal(cf.cfg.kdamonds[0].nr_ctxs, 1);

	c = &cf.cfg.kdamonds[0].ctxs[0];
	assert_int_equal(c->ops, DAMON_OPS_VADDR);
	assert_int_equal(c->addr_unit, 1);
	assert_int_equal(c->nr_targets, 1);
	assert_true(c->targets[0].has_pid);
	assert_int_equal(c->targets[0].pid, 4242);
	assert_false(c->targets[0].obsolete);
	assert_int_equal(c->targets[0].nr_regions, 0);
	assert_int_equal(c->intervals.sample_us, 5000);
	assert_int_equal(c->intervals.aggr_us, 100000);
	assert_int_equal(c->intervals.ops_update_us, 1000000);
	assert_int_equal(c->intervals.goal.access_bp, 400);
	assert_int_equal(c->intervals.goal.aggrs, 3);
	assert_int_equal(c->intervals.goal.min_sample_us, 5000);
	assert_int_equal(c->intervals.goal.max_sample_us, 10000000);
	assert_int_equal(c->min_nr_regions, 10);
	assert_int_equal(c->max_nr_regions, 1000);
	assert_int_equal(c->nr_probes, 0);
	assert_false(c->pause);
	assert_int_equal(c->nr_schemes, 1);

	s = &c->schemes[0];
	assert_int_equal(s->action, DAMOS_PAGEOUT);
	assert_false(s->has_target_nid);
	assert_int_equal(s->nr_dests, 0);
	assert_int_equal(s->pattern.min_sz_bytes, 4096);
	assert_true(s->pattern.max_sz_bytes == DAMON_MAX);
	assert_int_equal(s->pattern.nr_accesses_unit,
			 DAMOS_NR_ACCESSES_PERCENT);
	assert_int_equal(s->pattern.min_nr_accesses, 0);
	assert_int_equal(s->pattern.max_nr_accesses, 0);
	assert_int_equal(s->pattern.age_unit, DAMOS_AGE_US);
	assert_int_equal(s->pattern.min_age, 30000000);
	assert_true(s->pattern.max_age == DAMON_MAX);
	assert_int_equal(s->apply_interval_us, 0);
	assert_int_equal(s->quota.time_ms, 10);
	assert_int_equal(s->quota.sz_bytes, 128 * MIB);
	assert_int_equal(s->quota.reset_interval_ms, 1000);
	assert_int_equal(s->quota.weight_sz_permil, 0);
	assert_int_equal(s->quota.weight_nr_accesses_permil, 3);
	assert_int_equal(s->quota.weight_age_permil, 7);
	assert_int_equal(s->quota.goal_tuner, DAMOS_GOAL_TUNER_CONSIST);
	assert_int_equal(s->quota.effective_sz_bytes, 0);
	assert_int_equal(s->quota.fail_charge_num, 0);
	assert_int_equal(s->quota.fail_charge_denom, 0);
	assert_int_equal(s->quota.nr_goals, 1);
	assert_int_equal(s->quota.goals[0].metric, DAMOS_QGOAL_SOME_MEM_PSI_US);
	assert_int_equal(s->quota.goals[0].target_value, 1000);
	assert_int_equal(s->quota.goals[0].current_value, 0);
	assert_false(s->quota.goals[0].has_nid);
	assert_null(s->quota.goals[0].path);
	assert_int_equal(s->wmarks.metric, DAMOS_WMARK_FREE_MEM_RATE);
	assert_int_equal(s->wmarks.interval_us, 5000000);
	assert_int_equal(s->wmarks.high_permil, 500);
	assert_int_equal(s->wmarks.mid_permil, 400);
	assert_int_equal(s->wmarks.low_permil, 200);
	assert_int_equal(s->max_nr_snapshots, 0);
	assert_int_equal(s->nr_filters, 2);

	f = &s->filters[0];
	assert_int_equal(f->type, DAMOS_FILTER_MEMCG);
	assert_true(f->matching);
	assert_false(f->allow);
	assert_string_equal(f->memcg_path, "/workloads/a");
	f = &s->filters[1];
	assert_int_equal(f->type, DAMOS_FILTER_ADDR);
	assert_false(f->matching);
	assert_false(f->allow);
	assert_int_equal(f->addr_range.start, 4 * GIB);
	assert_int_equal(f->addr_range.end, 8 * GIB);

	round_trip_all(&cf.cfg);
	config_file_release(&cf);
}

static void test_units_are_converted_exactly(void **state)
{
	static const char text[] =
		"- access_pattern:\n"
		"    sz_bytes: {min: 1.5 KiB, max: \"1,048,576\"}\n"
		"    nr_accesses: {min: 5 %, max: 50.25 %}\n"
		"    age: {min: 1.5 ms, max: 1 m 30 s}\n"
		"  quotas:\n"
		"    time_ms: 1 s 500 ms\n"
		"    sz_bytes: 1.5 GiB\n"
		"    reset_interval_ms: 1 h\n"
		"    weights: {sz_permil: 50 %, nr_accesses_permil: 0.1 %, age_permil: 999}\n"
		"    goals:\n"
		"    - {metric: active_mem_bp, target_value: 12.34 %}\n"
		"    - {metric: node_mem_free_bp, nid: 1, target_value: 400}\n"
		"    - {metric: some_mem_psi_us, target_value: 2 ms 5 us}\n"
		"    - {metric: user_input, target_value: \"10,000\"}\n"
		"  watermarks: {metric: free_mem_rate, interval_us: 1 d,\n"
		"               high_permil: 99.9 %, mid_permil: 1 %, low_permil: 0}\n"
		"- access_pattern:\n"
		"    sz_bytes: {min: min, max: max}\n"
		"    nr_accesses: {min: 10, max: 100}\n"
		"    age: {min: 2 aggr_intervals, max: \"1,000 aggr_intervals\"}\n"
		"- access_pattern:\n"
		"    sz_bytes: {min: 0, max: 4K}\n"
		"    nr_accesses: {min: 3 samples, max: \"1,000 samples\"}\n"
		"    age: {min: 0, max: 7}\n";
	const struct damos *s;
	struct config_file cf;

	(void)state;
	parse_ok(text, &cf);
	assert_int_equal(cf.kind, CONFIG_SCHEMES);
	assert_int_equal(cf.format, DOC_FMT_YAML);
	assert_int_equal(cf.cfg.kdamonds[0].ctxs[0].nr_schemes, 3);
	s = cf.cfg.kdamonds[0].ctxs[0].schemes;

	assert_int_equal(s[0].pattern.min_sz_bytes, 1536);
	assert_int_equal(s[0].pattern.max_sz_bytes, MIB);
	/* percent of nr_accesses is kept in bp */
	assert_int_equal(s[0].pattern.nr_accesses_unit,
			 DAMOS_NR_ACCESSES_PERCENT);
	assert_int_equal(s[0].pattern.min_nr_accesses, 500);
	assert_int_equal(s[0].pattern.max_nr_accesses, 5025);
	assert_int_equal(s[0].pattern.min_age, 1500);
	assert_int_equal(s[0].pattern.max_age, 90000000);
	assert_int_equal(s[0].quota.time_ms, 1500);
	assert_int_equal(s[0].quota.sz_bytes, 1536 * MIB);
	assert_int_equal(s[0].quota.reset_interval_ms, 3600000);
	assert_int_equal(s[0].quota.weight_sz_permil, 500);
	assert_int_equal(s[0].quota.weight_nr_accesses_permil, 1);
	assert_int_equal(s[0].quota.weight_age_permil, 999);
	assert_int_equal(s[0].quota.goals[0].target_value, 1234);
	assert_int_equal(s[0].quota.goals[1].target_value, 400);
	assert_int_equal(s[0].quota.goals[1].nid, 1);
	assert_int_equal(s[0].quota.goals[2].target_value, 2005);
	assert_int_equal(s[0].quota.goals[3].target_value, 10000);
	assert_int_equal(s[0].wmarks.interval_us, 86400000000ULL);
	assert_int_equal(s[0].wmarks.high_permil, 999);
	assert_int_equal(s[0].wmarks.mid_permil, 10);
	assert_int_equal(s[0].wmarks.low_permil, 0);

	assert_int_equal(s[1].pattern.min_sz_bytes, 0);
	assert_true(s[1].pattern.max_sz_bytes == DAMON_MAX);
	/* a bare number is a percentage too */
	assert_int_equal(s[1].pattern.min_nr_accesses, 1000);
	assert_int_equal(s[1].pattern.max_nr_accesses, 10000);
	assert_int_equal(s[1].pattern.age_unit, DAMOS_AGE_AGGR_INTERVALS);
	assert_int_equal(s[1].pattern.min_age, 2);
	assert_int_equal(s[1].pattern.max_age, 1000);

	assert_int_equal(s[2].pattern.max_sz_bytes, 4096);
	assert_int_equal(s[2].pattern.nr_accesses_unit,
			 DAMOS_NR_ACCESSES_SAMPLES);
	assert_int_equal(s[2].pattern.min_nr_accesses, 3);
	assert_int_equal(s[2].pattern.max_nr_accesses, 1000);
	assert_int_equal(s[2].pattern.age_unit, DAMOS_AGE_US);
	assert_int_equal(s[2].pattern.max_age, 7);
	config_file_release(&cf);
}

static void test_legacy_keys_are_read(void **state)
{
	static const char text[] =
		"[{\"filters\": [{\"filter_type\": \"anon\", \"matching\": false,\n"
		"                \"filter_pass\": true}],\n"
		"  \"quotas\": {\"time_ms\": 0, \"sz_bytes\": 0,\n"
		"             \"reset_interval_ms\": \"1 s\",\n"
		"             \"weights\": {\"sz_permil\": 0, \"nr_accesses_permil\": 0,\n"
		"                         \"age_permil\": 0},\n"
		"             \"goals\": [{\"target_value_bp\": 8000,\n"
		"                        \"current_value_bp\": 1234}]}}]\n";
	const struct damos *s;
	struct config_file cf;
	char *out;

	(void)state;
	parse_ok(text, &cf);
	assert_int_equal(cf.format, DOC_FMT_JSON);
	s = &cf.cfg.kdamonds[0].ctxs[0].schemes[0];
	assert_true(s->filters[0].allow);
	assert_false(s->filters[0].matching);
	assert_int_equal(s->quota.goals[0].metric, DAMOS_QGOAL_USER_INPUT);
	assert_int_equal(s->quota.goals[0].target_value, 8000);
	assert_int_equal(s->quota.goals[0].current_value, 1234);
	/* written back in today's spelling */
	out = config_emit_schemes(s, 1, DOC_FMT_JSON, true);
	assert_null(strstr(out, "filter_pass"));
	assert_null(strstr(out, "_bp\""));
	assert_non_null(strstr(out, "\"allow\": true"));
	free(out);
	config_file_release(&cf);
}

/* A model built in C: every field set, every action, filter and metric. */

static void set_pattern(struct damos *s, uint64_t seed)
{
	s->pattern.min_sz_bytes = 4096 * seed;
	s->pattern.max_sz_bytes = 3 * GIB / 2 + seed;
	s->pattern.min_nr_accesses = seed;
	s->pattern.max_nr_accesses = 10000 - seed;
	s->pattern.min_age = 1500 * seed;
	s->pattern.max_age = 90061000000ULL + seed;
	s->apply_interval_us = 250000 + seed;
	s->max_nr_snapshots = seed;
}

static void set_quota(struct damos *s)
{
	struct damos_quota *q = &s->quota;

	q->time_ms = 7;
	q->sz_bytes = 123456789;
	q->reset_interval_ms = 2500;
	q->weight_sz_permil = 1;
	q->weight_nr_accesses_permil = 999;
	q->weight_age_permil = 4294967295ULL;
	q->goal_tuner = DAMOS_GOAL_TUNER_TEMPORAL;
	q->effective_sz_bytes = 64 * MIB + 1;
	q->fail_charge_num = 3;
	q->fail_charge_denom = 7;
}

static void add_goals(struct damos *s)
{
	struct damos_quota_goal *g;
	int m;

	for (m = 0; m < NR_DAMOS_QGOAL_METRICS; m++) {
		g = damos_add_goal(s);
		g->metric = m;
		g->target_value = damos_qgoal_is_bp(m) ? 1 + 1111 * (uint64_t)m :
				  12345678 + (uint64_t)m;
		g->current_value = 1000 + (uint64_t)m;
		if (damos_qgoal_needs_nid(m) ||
		    m == DAMOS_QGOAL_NODE_ELIGIBLE_MEM_BP) {
			g->has_nid = true;
			g->nid = m % 3;
		}
		if (damos_qgoal_needs_path(m))
			g->path = xstrdup(m % 2 ? "/a" : "/b/c d");
	}
}

static void add_filters(struct damos *s)
{
	struct damos_filter *f;
	int t, i;

	for (t = 0; t < NR_DAMOS_FILTER_TYPES; t++) {
		for (i = 0; i < 2; i++) {
			f = damos_add_filter(s);
			f->type = t;
			f->matching = i;
			f->allow = !i;
			switch (t) {
			case DAMOS_FILTER_MEMCG:
				f->memcg_path = xstrdup(i ? "/x" : "/y/z");
				break;
			case DAMOS_FILTER_ADDR:
				f->addr_range.start = 4096 * (uint64_t)(i + 1);
				f->addr_range.end = DAMON_MAX - (uint64_t)i;
				break;
			case DAMOS_FILTER_TARGET:
				f->target_idx = 0;
				break;
			case DAMOS_FILTER_HUGEPAGE_SIZE:
				f->has_hugepage_size = i;
				f->min_hugepage_sz = i ? 2 * MIB : 0;
				f->max_hugepage_sz = i ? GIB : 0;
				break;
			default:
				break;
			}
		}
	}
}

/* Schemes of every action @c's ops supports, with all else varied. */
static void add_schemes(struct damon_ctx *c)
{
	struct damos_dest *dest;
	struct damos *s;
	int a;

	for (a = 0; a < NR_DAMOS_ACTIONS; a++) {
		if (!damos_action_supported(a, c->ops))
			continue;
		s = damon_ctx_add_scheme(c);
		s->action = a;
		set_pattern(s, (uint64_t)a + 1);
		set_quota(s);
		s->wmarks.metric = a % 2 ? DAMOS_WMARK_FREE_MEM_RATE :
				   DAMOS_WMARK_NONE;
		s->wmarks.interval_us = 1 + (uint64_t)a;
		s->wmarks.high_permil = 999;
		s->wmarks.mid_permil = 500;
		s->wmarks.low_permil = 1;
		if (a == DAMOS_MIGRATE_HOT) {
			s->has_target_nid = true;
			s->target_nid = 2;
		} else if (a == DAMOS_MIGRATE_COLD) {
			dest = damos_add_dest(s);
			dest->id = 0;
			dest->weight = 300;
			dest = damos_add_dest(s);
			dest->id = 3;
			dest->weight = 700;
		}
		if (a == DAMOS_STAT) {
			s->pattern.nr_accesses_unit = DAMOS_NR_ACCESSES_SAMPLES;
			s->pattern.age_unit = DAMOS_AGE_AGGR_INTERVALS;
			s->pattern.max_nr_accesses = 20;
			s->pattern.max_age = 123456;
		}
		if (a == DAMOS_PAGEOUT)
			add_goals(s);
		if (a == DAMOS_LRU_PRIO || a == DAMOS_COLD)
			add_filters(s);
	}
}

static void build_config(struct damon_config *cfg)
{
	struct damon_probe_filter *pf;
	struct damon_addr_range *r;
	struct damon_target *t;
	struct damon_probe *p;
	struct damon_ctx *c;
	struct kdamond *k;

	damon_config_init(cfg);

	k = damon_config_add_kdamond(cfg);
	k->refresh_ms = 250;
	c = kdamond_add_ctx(k);
	c->ops = DAMON_OPS_PADDR;
	c->addr_unit = 4096;
	t = damon_ctx_add_target(c);
	t->obsolete = true;
	r = damon_target_add_region(t);
	r->start = 0;
	r->end = GIB;
	r = damon_target_add_region(t);
	r->start = GIB + 4096;
	r->end = 16 * GIB + 1;
	c->intervals.sample_us = 10000;
	c->intervals.aggr_us = 200000;
	c->intervals.ops_update_us = 90061000;
	c->intervals.goal.access_bp = 425;
	c->intervals.goal.aggrs = 4;
	c->intervals.goal.min_sample_us = 1000;
	c->intervals.goal.max_sample_us = 20000000;
	c->min_nr_regions = 5;
	c->max_nr_regions = 12345;
	p = damon_ctx_add_probe(c);
	pf = damon_probe_add_filter(p);
	pf->type = DAMOS_FILTER_MEMCG;
	pf->matching = true;
	pf->allow = true;
	pf->path = xstrdup("/workloads/a");
	pf = damon_probe_add_filter(p);
	pf->type = DAMOS_FILTER_ANON;
	damon_ctx_add_probe(c);
	c->pause = true;
	add_schemes(c);

	k = damon_config_add_kdamond(cfg);
	c = kdamond_add_ctx(k);
	c->ops = DAMON_OPS_VADDR;
	t = damon_ctx_add_target(c);
	t->has_pid = true;
	t->pid = 4242;
	t = damon_ctx_add_target(c);
	t->has_pid = true;
	t->pid = 1;
	r = damon_target_add_region(t);
	r->start = 4096;
	r->end = 8192;
	add_schemes(c);

	k = damon_config_add_kdamond(cfg);
	c = kdamond_add_ctx(k);
	c->ops = DAMON_OPS_FVADDR;
	t = damon_ctx_add_target(c);
	t->has_pid = true;
	t->pid = 77;
	r = damon_target_add_region(t);
	r->start = 1;
	r->end = DAMON_MAX;
}

static void test_built_model_is_valid(void **state)
{
	bool seen[NR_DAMOS_ACTIONS] = { false };
	const struct damon_ctx *c;
	struct damon_config cfg;
	struct diag d;
	size_t i, j;

	(void)state;
	build_config(&cfg);
	diag_init(&d);
	damon_config_validate(&cfg, 0, &d);
	for (i = 0; i < d.nr; i++)
		print_error("%s: %s\n", d.v[i].path, d.v[i].msg);
	assert_int_equal(d.nr, 0);
	diag_release(&d);
	/* every action, filter type and goal metric is in it */
	for (i = 0; i < cfg.nr_kdamonds; i++) {
		c = &cfg.kdamonds[i].ctxs[0];
		for (j = 0; j < c->nr_schemes; j++)
			seen[c->schemes[j].action] = true;
	}
	for (i = 0; i < NR_DAMOS_ACTIONS; i++)
		assert_true(seen[i]);
	c = &cfg.kdamonds[0].ctxs[0];
	assert_int_equal(c->schemes[0].quota.nr_goals, NR_DAMOS_QGOAL_METRICS);
	assert_int_equal(c->schemes[1].nr_filters, 2 * NR_DAMOS_FILTER_TYPES);
	damon_config_release(&cfg);
}

static void test_built_model_round_trips(void **state)
{
	struct damon_config cfg;

	(void)state;
	build_config(&cfg);
	round_trip_all(&cfg);
	damon_config_release(&cfg);
}

static void test_scheme_lists_round_trip(void **state)
{
	static const enum doc_format fmts[] = { DOC_FMT_YAML, DOC_FMT_JSON };
	const struct damon_ctx *c;
	struct damon_config cfg;
	struct config_file cf;
	char *first, *second;
	size_t i, j, k;

	(void)state;
	build_config(&cfg);
	c = &cfg.kdamonds[0].ctxs[0];
	for (i = 0; i < ARRAY_SIZE(fmts); i++) {
		for (j = 0; j < 2; j++) {
			first = config_emit_schemes(c->schemes, c->nr_schemes,
						    fmts[i], j);
			parse_ok(first, &cf);
			assert_int_equal(cf.kind, CONFIG_SCHEMES);
			assert_int_equal(cf.cfg.nr_kdamonds, 1);
			assert_int_equal(cf.cfg.kdamonds[0].nr_ctxs, 1);
			assert_int_equal(cf.cfg.kdamonds[0].ctxs[0].nr_schemes,
					 c->nr_schemes);
			for (k = 0; k < c->nr_schemes; k++)
				assert_scheme_equal(&c->schemes[k],
						    &cf.cfg.kdamonds[0].ctxs[0].schemes[k]);
			second = config_emit_schemes(
				cf.cfg.kdamonds[0].ctxs[0].schemes,
				cf.cfg.kdamonds[0].ctxs[0].nr_schemes, fmts[i],
				j);
			assert_string_equal(first, second);
			free(first);
			free(second);
			config_file_release(&cf);
		}
	}
	damon_config_release(&cfg);
}

static void test_problems_are_located(void **state)
{
	(void)state;
	parse_fails("kdamonds:\n- contexts:\n  - ops: vaddrs\n    targets: []\n",
		    3, 10,
		    "kdamonds[0].contexts[0].ops",
		    "'vaddrs' is not a DAMON operations set");
	/* columns count bytes, and CR LF ends a line once */
	parse_fails("- filters: [{filter_type: memcg, memcg_path: /\xc3\xb6, "
		    "matching: maybe}]\n", 1, 61,
		    "schemes[0].filters[0].matching", "'maybe' is not a boolean");
	parse_fails("kdamonds:\r\n- contexts:\r\n  - ops: vaddrs\r\n"
		    "    targets: []\r\n", 3, 10, "kdamonds[0].contexts[0].ops",
		    "is not a DAMON operations set");
	/* scheme lists show paths relative to the list */
	parse_fails("[{\"action\": \"stat\", \"target_nid\": 1}]", 1, 35,
		    "schemes[0].target_nid",
		    "only migrate_hot and migrate_cold take destinations");
	/* validation problems point at the value that breaks the rule */
	parse_fails("- access_pattern:\n"
		    "    sz_bytes: {min: 0, max: max}\n"
		    "    nr_accesses: {min: 3 samples, max: 2 samples}\n"
		    "    age: {min: 0, max: max}\n", 3, 24,
		    "schemes[0].access_pattern.nr_accesses.min",
		    "min (3 samples) is greater than max (2 samples)");
	parse_fails("- access_pattern:\n"
		    "    sz_bytes: {min: 0, max: max}\n"
		    "    nr_accesses: {min: 0, max: 100}\n"
		    "    age: {min: 0, max: max, typo: 1}\n", 4, 29,
		    "schemes[0].access_pattern.age.typo", "unknown key 'typo'");
	parse_fails("{\"kdamonds\": [], \"extra\": 1}", 1, 18, "extra",
		    "unknown key 'extra'");
	parse_fails("- quotas:\n"
		    "    time_ms: 0\n"
		    "    sz_bytes: 0\n"
		    "    reset_interval_ms: 1 s\n"
		    "    weights: {sz_permil: 0, nr_accesses_permil: 0, age_permil: 0}\n"
		    "    goals: [{metric: psi, target_value: 1 ms}]\n", 6, 22,
		    "schemes[0].quotas.goals[0].metric",
		    "'psi' is not a quota goal metric");
}

/* A kdamonds document of one context of @ops with a target of @pid. */
static char *pid_doc(const char *ops, const char *pid)
{
	return xasprintf("kdamonds:\n- contexts:\n  - ops: %s\n"
			 "    targets:\n    - pid: %s\n      regions: []\n",
			 ops, pid);
}

/* Pids are 1 to pid_max - 1 and no more: nothing is narrowed later. */
static void test_pids_in_their_range(void **state)
{
	char *big = xasprintf("%" PRId64, damon_pid_max());
	char *last = xasprintf("%" PRId64, damon_pid_max() - 1);
	struct config_file cf;
	char *doc;
	size_t i;
	static const char *const bad[] = {
		"4194304", "4294967297", "99999999999", "-1",
	};

	(void)state;
	assert_true(damon_pid_max() > 1 && damon_pid_max() <= DAMON_PID_LIMIT);
	doc = pid_doc("vaddr", last);
	parse_ok(doc, &cf);
	assert_true(cf.cfg.kdamonds[0].ctxs[0].targets[0].pid ==
		    damon_pid_max() - 1);
	config_file_release(&cf);
	free(doc);
	doc = pid_doc("vaddr", big);
	parse_fails(doc, 5, 12, "kdamonds[0].contexts[0].targets[0].pid",
		    " is not a process id (1 to ");
	free(doc);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		doc = pid_doc("vaddr", bad[i]);
		parse_fails(doc, 5, 12,
			    "kdamonds[0].contexts[0].targets[0].pid",
			    "is not a process id");
		free(doc);
		/* paddr needs no pid, but takes no impossible one either */
		doc = pid_doc("paddr", bad[i]);
		parse_fails(doc, 5, 12,
			    "kdamonds[0].contexts[0].targets[0].pid",
			    "is not a process id");
		free(doc);
	}
	/* what damo writes for paddr */
	doc = pid_doc("paddr", "0");
	parse_ok(doc, &cf);
	config_file_release(&cf);
	free(doc);
	doc = pid_doc("paddr", "null");
	parse_ok(doc, &cf);
	config_file_release(&cf);
	free(doc);
	free(big);
	free(last);
}

/* Refused, not clamped or rounded: sizes, counts, access rates. */
static void test_values_are_not_clamped(void **state)
{
	(void)state;
	parse_fails("- quotas:\n"
		    "    time_ms: 0\n"
		    "    sz_bytes: 100000 EiB\n"
		    "    reset_interval_ms: 0\n"
		    "    weights: {sz_permil: 0, nr_accesses_permil: 0, age_permil: 0}\n",
		    3, 15, "schemes[0].quotas.sz_bytes",
		    "'100000 EiB' does not fit in 64 bits");
	parse_fails("kdamonds:\n- contexts:\n  - ops: paddr\n"
		    "    targets: [{pid: null, regions: []}]\n"
		    "    nr_regions: {min: 10, max: 5000.5}\n", 5, 32,
		    "kdamonds[0].contexts[0].nr_regions.max",
		    "'5000.5' is not a whole number");
	parse_fails("- access_pattern:\n"
		    "    sz_bytes: {min: 0, max: max}\n"
		    "    nr_accesses: {min: 0, max: 200 %}\n"
		    "    age: {min: 0, max: max}\n", 3, 32,
		    "schemes[0].access_pattern.nr_accesses.max",
		    "200 % is more than 100 %");
	parse_fails("- action: migrate_hot\n  target_nid: 2147483648\n", 2, 15,
		    "schemes[0].target_nid", "is not a NUMA node id");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_2_4_reads_field_by_field),
		cmocka_unit_test(test_units_are_converted_exactly),
		cmocka_unit_test(test_legacy_keys_are_read),
		cmocka_unit_test(test_built_model_is_valid),
		cmocka_unit_test(test_built_model_round_trips),
		cmocka_unit_test(test_scheme_lists_round_trip),
		cmocka_unit_test(test_problems_are_located),
		cmocka_unit_test(test_pids_in_their_range),
		cmocka_unit_test(test_values_are_not_clamped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
