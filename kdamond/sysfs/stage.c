/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writing the model into a kdamond directory, in the order damo uses and
 * the kernel expects (docs/damo-compat.md §5.1, docs/kernel-damon.md §9.1): each nr_*
 * file before its children, optional files only where they exist.
 */
#include "kdamond/sysfs/kdamond.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/damon.h"
#include "core/diag.h"
#include "kdamond/sysfs/sysfs.h"

struct st {
	const struct kdamond_io *io;
	struct sysfs_path p;
	int err;
};

static size_t __attribute__((format(printf, 2, 3)))
push(struct st *s, const char *fmt, ...)
{
	va_list ap;
	size_t old;

	va_start(ap, fmt);
	old = sysfs_path_vpush(&s->p, fmt, ap);
	va_end(ap);
	return old;
}

static void pop(struct st *s, size_t len)
{
	sysfs_path_pop(&s->p, len);
}

static bool has(struct st *s, const char *file)
{
	size_t mark = push(s, "/%s", file);
	bool ok = sysfs_exists(s->io->root, s->p.buf);

	pop(s, mark);
	return ok;
}

/* Write @val to <path>/@file; after a failure nothing more is written. */
static void put(struct st *s, const char *file, const char *val)
{
	size_t mark;

	if (s->err)
		return;
	mark = push(s, "/%s", file);
	if (s->io->trace)
		fprintf(s->io->trace, "write %s %s\n", s->p.buf, val);
	s->err = sysfs_write(s->io->root, s->p.buf, val, s->io->diag);
	pop(s, mark);
}

static void put_u64(struct st *s, const char *file, uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	put(s, file, buf);
}

static void put_i64(struct st *s, const char *file, int64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRId64, v);
	put(s, file, buf);
}

static void put_bool(struct st *s, const char *file, bool v)
{
	put(s, file, v ? "Y" : "N");
}

/* nr_* files recreate their children: write only when the count differs. */
static void put_nr(struct st *s, const char *file, size_t n)
{
	size_t mark = push(s, "/%s", file);
	uint64_t cur;
	bool same = !sysfs_read_u64(s->io->root, s->p.buf, &cur) && cur == n;

	pop(s, mark);
	if (!same)
		put_u64(s, file, n);
}

/* The core stores nr_accesses and age bounds in 32 bits: clamp, not wrap. */
static uint64_t u32_clamp(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : v;
}

static void stage_intervals(struct st *s, const struct damon_ctx *c)
{
	const struct damon_intervals *iv = &c->intervals;
	size_t mark = push(s, "/monitoring_attrs/intervals");

	put_u64(s, "sample_us", iv->sample_us);
	put_u64(s, "aggr_us", iv->aggr_us);
	put_u64(s, "update_us", iv->ops_update_us);
	if (has(s, "intervals_goal")) {
		size_t g = push(s, "/intervals_goal");

		put_u64(s, "access_bp", iv->goal.access_bp);
		put_u64(s, "aggrs", iv->goal.aggrs);
		put_u64(s, "min_sample_us", iv->goal.min_sample_us);
		put_u64(s, "max_sample_us", iv->goal.max_sample_us);
		pop(s, g);
	}
	pop(s, mark);
	mark = push(s, "/monitoring_attrs/nr_regions");
	put_u64(s, "min", c->min_nr_regions);
	put_u64(s, "max", c->max_nr_regions);
	pop(s, mark);
}

static void stage_probes(struct st *s, const struct damon_ctx *c)
{
	size_t mark = push(s, "/monitoring_attrs/probes"), i, j, m2;

	if (!sysfs_exists(s->io->root, s->p.buf)) {
		pop(s, mark);
		return;
	}
	put_nr(s, "nr_probes", c->nr_probes);
	for (i = 0; i < c->nr_probes; i++) {
		const struct damon_probe *p = &c->probes[i];

		m2 = push(s, "/%zu/filters", i);
		put_nr(s, "nr_filters", p->nr_filters);
		for (j = 0; j < p->nr_filters; j++) {
			size_t m3 = push(s, "/%zu", j);

			put(s, "type", damos_filter_type_name(p->filters[j].type));
			put_bool(s, "matching", p->filters[j].matching);
			put_bool(s, "allow", p->filters[j].allow);
			if (p->filters[j].path)
				put(s, "path", p->filters[j].path);
			pop(s, m3);
		}
		pop(s, m2);
	}
	pop(s, mark);
}

static void stage_targets(struct st *s, const struct damon_ctx *c)
{
	size_t mark = push(s, "/targets"), i, j;

	put_nr(s, "nr_targets", c->nr_targets);
	for (i = 0; i < c->nr_targets; i++) {
		const struct damon_target *t = &c->targets[i];
		size_t m2 = push(s, "/%zu", i);

		if (t->has_pid)
			put_i64(s, "pid_target", t->pid);
		if (has(s, "obsolete_target"))
			put_bool(s, "obsolete_target", t->obsolete);
		push(s, "/regions");
		put_nr(s, "nr_regions", t->nr_regions);
		for (j = 0; j < t->nr_regions; j++) {
			size_t m3 = push(s, "/%zu", j);

			put_u64(s, "start", t->regions[j].start);
			put_u64(s, "end", t->regions[j].end);
			pop(s, m3);
		}
		pop(s, m2);
	}
	pop(s, mark);
}

static void stage_pattern(struct st *s, const struct damon_ctx *c,
			  const struct damos *d)
{
	const struct damos_access_pattern *p = &d->pattern;
	const struct damon_intervals *iv = &c->intervals;
	size_t mark = push(s, "/access_pattern");

	put_u64(s, "sz/min", p->min_sz_bytes);
	put_u64(s, "sz/max", p->max_sz_bytes);
	put_u64(s, "nr_accesses/min", u32_clamp(damos_nr_accesses_to_samples(
					     p, p->min_nr_accesses, iv)));
	put_u64(s, "nr_accesses/max", u32_clamp(damos_nr_accesses_to_samples(
					     p, p->max_nr_accesses, iv)));
	put_u64(s, "age/min", u32_clamp(damos_age_to_aggr_intervals(
					     p, p->min_age, iv)));
	put_u64(s, "age/max", u32_clamp(damos_age_to_aggr_intervals(
					     p, p->max_age, iv)));
	pop(s, mark);
}

static void stage_goals(struct st *s, const struct damos_quota *q)
{
	size_t mark = push(s, "/goals"), i;

	put_nr(s, "nr_goals", q->nr_goals);
	for (i = 0; i < q->nr_goals; i++) {
		const struct damos_quota_goal *g = &q->goals[i];
		size_t m2 = push(s, "/%zu", i);

		if (has(s, "target_metric"))
			put(s, "target_metric", damos_qgoal_metric_name(g->metric));
		if (g->has_nid && has(s, "nid"))
			put_i64(s, "nid", g->nid);
		if (g->path && has(s, "path"))
			put(s, "path", g->path);
		put_u64(s, "target_value", g->target_value);
		put_u64(s, "current_value", g->current_value);
		pop(s, m2);
	}
	pop(s, mark);
}

static void stage_quota(struct st *s, const struct damos_quota *q)
{
	size_t mark = push(s, "/quotas");

	put_u64(s, "ms", q->time_ms);
	put_u64(s, "bytes", q->sz_bytes);
	put_u64(s, "reset_interval_ms", q->reset_interval_ms);
	put_u64(s, "weights/sz_permil", q->weight_sz_permil);
	put_u64(s, "weights/nr_accesses_permil", q->weight_nr_accesses_permil);
	put_u64(s, "weights/age_permil", q->weight_age_permil);
	if (has(s, "fail_charge_denom")) {
		put_u64(s, "fail_charge_num", q->fail_charge_num);
		put_u64(s, "fail_charge_denom", q->fail_charge_denom);
	}
	if (has(s, "goals"))
		stage_goals(s, q);
	if (has(s, "goal_tuner"))
		put(s, "goal_tuner", damos_goal_tuner_name(q->goal_tuner));
	pop(s, mark);
}

static void stage_filter(struct st *s, const struct damos_filter *f)
{
	put(s, "type", damos_filter_type_name(f->type));
	if (has(s, "allow"))
		put_bool(s, "allow", f->allow);
	switch (f->type) {
	case DAMOS_FILTER_MEMCG:
		put(s, "memcg_path", f->memcg_path ? f->memcg_path : "");
		break;
	case DAMOS_FILTER_HUGEPAGE_SIZE:
		put_u64(s, "min", f->has_hugepage_size ? f->min_hugepage_sz : 0);
		put_u64(s, "max", f->has_hugepage_size ? f->max_hugepage_sz :
							  UINT64_MAX);
		break;
	case DAMOS_FILTER_ADDR:
		put_u64(s, "addr_start", f->addr_range.start);
		put_u64(s, "addr_end", f->addr_range.end);
		break;
	case DAMOS_FILTER_TARGET:
		put_u64(s, "damon_target_idx", f->target_idx);
		break;
	default:
		break;
	}
	put_bool(s, "matching", f->matching);
}

/* Filters of one layer (@core: addr/target) into directory @dir. */
static void stage_filter_dir(struct st *s, const struct damos *d,
			     const char *dir, int core)
{
	size_t mark = push(s, "/%s", dir), i, n = 0;

	for (i = 0; i < d->nr_filters; i++)
		if (core < 0 || damos_filter_is_core(d->filters[i].type) == core)
			n++;
	put_nr(s, "nr_filters", n);
	for (i = 0, n = 0; i < d->nr_filters; i++) {
		size_t m2;

		if (core >= 0 && damos_filter_is_core(d->filters[i].type) != core)
			continue;
		m2 = push(s, "/%zu", n++);
		stage_filter(s, &d->filters[i]);
		pop(s, m2);
	}
	pop(s, mark);
}

static void stage_filters(struct st *s, const struct damos *d)
{
	if (has(s, "core_filters")) {
		stage_filter_dir(s, d, "core_filters", 1);
		stage_filter_dir(s, d, "ops_filters", 0);
		if (has(s, "filters"))
			put_nr(s, "filters/nr_filters", 0);
	} else if (has(s, "filters")) {
		stage_filter_dir(s, d, "filters", -1);
	}
}

static void stage_dests(struct st *s, const struct damos *d)
{
	size_t mark = push(s, "/dests"), i;

	put_nr(s, "nr_dests", d->nr_dests);
	for (i = 0; i < d->nr_dests; i++) {
		size_t m2 = push(s, "/%zu", i);

		put_u64(s, "id", d->dests[i].id);
		put_u64(s, "weight", d->dests[i].weight);
		pop(s, m2);
	}
	pop(s, mark);
}

static void stage_scheme(struct st *s, const struct damon_ctx *c,
			 const struct damos *d)
{
	const struct damos_watermarks *w = &d->wmarks;
	size_t mark;

	stage_pattern(s, c, d);
	put(s, "action", damos_action_name(d->action));
	if (has(s, "dests"))
		stage_dests(s, d);
	stage_quota(s, &d->quota);
	mark = push(s, "/watermarks");
	put(s, "metric", damos_wmark_metric_name(w->metric));
	put_u64(s, "interval_us", w->interval_us);
	put_u64(s, "high", w->high_permil);
	put_u64(s, "mid", w->mid_permil);
	put_u64(s, "low", w->low_permil);
	pop(s, mark);
	if (has(s, "target_nid"))
		put_i64(s, "target_nid", d->has_target_nid ? d->target_nid : -1);
	stage_filters(s, d);
	if (has(s, "apply_interval_us"))
		put_u64(s, "apply_interval_us", d->apply_interval_us);
	if (has(s, "stats/max_nr_snapshots"))
		put_u64(s, "stats/max_nr_snapshots", d->max_nr_snapshots);
}

static void stage_ctx(struct st *s, const struct damon_ctx *c)
{
	size_t i, mark;

	put(s, "operations", damon_ops_name(c->ops));
	stage_intervals(s, c);
	stage_probes(s, c);
	if (has(s, "pause"))
		put_bool(s, "pause", c->pause);
	if (has(s, "addr_unit"))
		put_u64(s, "addr_unit", c->addr_unit);
	stage_targets(s, c);
	mark = push(s, "/schemes");
	put_nr(s, "nr_schemes", c->nr_schemes);
	for (i = 0; i < c->nr_schemes; i++) {
		size_t m2 = push(s, "/%zu", i);

		stage_scheme(s, c, &c->schemes[i]);
		pop(s, m2);
	}
	pop(s, mark);
}

int kdamond_stage(const struct kdamond_io *io, unsigned long idx,
		  const struct kdamond *k)
{
	struct st s = { .io = io };
	size_t i;

	push(&s, "kdamonds/%lu", idx);
	if (has(&s, "refresh_ms"))
		put_u64(&s, "refresh_ms", k->refresh_ms);
	push(&s, "/contexts");
	put_nr(&s, "nr_contexts", k->nr_ctxs);
	for (i = 0; i < k->nr_ctxs; i++) {
		size_t mark = push(&s, "/%zu", i);

		stage_ctx(&s, &k->ctxs[i]);
		pop(&s, mark);
	}
	return s.err;
}

long kdamond_nr(const struct kdamond_io *io)
{
	uint64_t nr;
	int err = sysfs_read_u64(io->root, "kdamonds/nr_kdamonds", &nr);

	return err ? err : (long)nr;
}

int kdamond_set_nr(const struct kdamond_io *io, unsigned long nr)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lu", nr);
	if (io->trace)
		fprintf(io->trace, "write kdamonds/nr_kdamonds %s\n", buf);
	return sysfs_write(io->root, "kdamonds/nr_kdamonds", buf, io->diag);
}
