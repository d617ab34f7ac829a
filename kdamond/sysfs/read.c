/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading a kdamond directory back into the model, with its runtime state.
 * Only the files that exist on this kernel are read; numbered directories
 * are taken up to their nr_* count.
 */
#include "kdamond/sysfs/kdamond.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/damon.h"
#include "core/diag.h"
#include "core/xalloc.h"
#include "kdamond/sysfs/sysfs.h"

struct rd {
	const struct kdamond_io *io;
	struct sysfs_path p;
	int err;		/* first failure of a required file */
};

static size_t __attribute__((format(printf, 2, 3)))
push(struct rd *r, const char *fmt, ...)
{
	va_list ap;
	size_t old;

	va_start(ap, fmt);
	old = sysfs_path_vpush(&r->p, fmt, ap);
	va_end(ap);
	return old;
}

static void pop(struct rd *r, size_t len)
{
	sysfs_path_pop(&r->p, len);
}

/*
 * Read <path>/@file into @buf.  Missing optional files return -ENOENT
 * quietly; a missing required file is remembered as the read's error.
 */
static int get(struct rd *r, const char *file, bool required, char *buf,
	       size_t len)
{
	size_t mark = push(r, "/%s", file);
	int err = sysfs_read(r->io->root, r->p.buf, buf, len);

	if (err && required && !r->err) {
		r->err = err;
		diag_add(r->io->diag, "", "cannot read '%s/%s': %s",
			 r->io->root, r->p.buf, strerror(-err));
	}
	pop(r, mark);
	return err;
}

static uint64_t get_u64(struct rd *r, const char *file, bool required,
			uint64_t dflt)
{
	char buf[64];
	char *end;
	uint64_t v;

	if (get(r, file, required, buf, sizeof(buf)))
		return dflt;
	v = strtoull(buf, &end, 10);
	return *end ? dflt : v;
}

static int64_t get_i64(struct rd *r, const char *file, int64_t dflt)
{
	char buf[64];
	char *end;
	long long v;

	if (get(r, file, false, buf, sizeof(buf)))
		return dflt;
	v = strtoll(buf, &end, 10);
	return *end ? dflt : v;
}

static bool get_bool(struct rd *r, const char *file, bool dflt)
{
	char buf[16];

	if (get(r, file, false, buf, sizeof(buf)))
		return dflt;
	return buf[0] == 'Y' || buf[0] == 'y' || buf[0] == '1';
}

/* A keyword file; unknown keywords keep @dflt and are reported. */
static int get_kw(struct rd *r, const char *file, int (*lookup)(const char *),
		  int dflt)
{
	char buf[64];
	int v;

	if (get(r, file, false, buf, sizeof(buf)))
		return dflt;
	v = lookup(buf);
	if (v < 0) {
		diag_add(r->io->diag, "", "unknown keyword '%s' in '%s/%s/%s'",
			 buf, r->io->root, r->p.buf, file);
		return dflt;
	}
	return v;
}

static char *get_str(struct rd *r, const char *file)
{
	char buf[SYSFS_VAL_MAX];

	if (get(r, file, false, buf, sizeof(buf)) || !buf[0])
		return NULL;
	return xstrdup(buf);
}

static void read_intervals(struct rd *r, struct damon_ctx *c)
{
	struct damon_intervals *iv = &c->intervals;
	size_t mark = push(r, "/monitoring_attrs/intervals");

	iv->sample_us = get_u64(r, "sample_us", true, 0);
	iv->aggr_us = get_u64(r, "aggr_us", true, 0);
	iv->ops_update_us = get_u64(r, "update_us", true, 0);
	iv->goal.access_bp = get_u64(r, "intervals_goal/access_bp", false, 0);
	iv->goal.aggrs = get_u64(r, "intervals_goal/aggrs", false, 0);
	iv->goal.min_sample_us = get_u64(r, "intervals_goal/min_sample_us",
					 false, 0);
	iv->goal.max_sample_us = get_u64(r, "intervals_goal/max_sample_us",
					 false, 0);
	pop(r, mark);
	mark = push(r, "/monitoring_attrs/nr_regions");
	c->min_nr_regions = get_u64(r, "min", true, 0);
	c->max_nr_regions = get_u64(r, "max", true, 0);
	pop(r, mark);
}

static void read_targets(struct rd *r, struct damon_ctx *c)
{
	size_t mark = push(r, "/targets"), i, j, nr, nreg;

	nr = get_u64(r, "nr_targets", true, 0);
	for (i = 0; i < nr && !r->err; i++) {
		struct damon_target *t = damon_ctx_add_target(c);
		size_t m2 = push(r, "/%zu", i);

		t->has_pid = c->ops != DAMON_OPS_PADDR;
		t->pid = get_i64(r, "pid_target", 0);
		t->obsolete = get_bool(r, "obsolete_target", false);
		push(r, "/regions");
		nreg = get_u64(r, "nr_regions", true, 0);
		for (j = 0; j < nreg && !r->err; j++) {
			struct damon_addr_range *a = damon_target_add_region(t);
			size_t m3 = push(r, "/%zu", j);

			a->start = get_u64(r, "start", true, 0);
			a->end = get_u64(r, "end", true, 0);
			pop(r, m3);
		}
		pop(r, m2);
	}
	pop(r, mark);
}

static void read_goals(struct rd *r, struct damos *s)
{
	size_t mark = push(r, "/quotas/goals"), i, nr;

	nr = get_u64(r, "nr_goals", false, 0);
	for (i = 0; i < nr && !r->err; i++) {
		struct damos_quota_goal *g = damos_add_goal(s);
		size_t m2 = push(r, "/%zu", i);

		g->metric = get_kw(r, "target_metric",
				   damos_qgoal_metric_from_name,
				   DAMOS_QGOAL_USER_INPUT);
		g->target_value = get_u64(r, "target_value", true, 0);
		g->current_value = get_u64(r, "current_value", true, 0);
		g->has_nid = damos_qgoal_needs_nid(g->metric);
		g->nid = get_i64(r, "nid", 0);
		if (damos_qgoal_needs_path(g->metric))
			g->path = get_str(r, "path");
		pop(r, m2);
	}
	pop(r, mark);
}

static void read_quota(struct rd *r, struct damos *s)
{
	struct damos_quota *q = &s->quota;
	size_t mark = push(r, "/quotas");

	q->time_ms = get_u64(r, "ms", true, 0);
	q->sz_bytes = get_u64(r, "bytes", true, 0);
	q->reset_interval_ms = get_u64(r, "reset_interval_ms", true, 0);
	q->effective_sz_bytes = get_u64(r, "effective_bytes", false, 0);
	q->weight_sz_permil = get_u64(r, "weights/sz_permil", true, 0);
	q->weight_nr_accesses_permil = get_u64(r, "weights/nr_accesses_permil",
					       true, 0);
	q->weight_age_permil = get_u64(r, "weights/age_permil", true, 0);
	q->fail_charge_num = get_u64(r, "fail_charge_num", false, 0);
	q->fail_charge_denom = get_u64(r, "fail_charge_denom", false, 0);
	q->goal_tuner = get_kw(r, "goal_tuner", damos_goal_tuner_from_name,
			       DAMOS_GOAL_TUNER_CONSIST);
	pop(r, mark);
	read_goals(r, s);
}

static void read_filter_dir(struct rd *r, struct damos *s, const char *dir)
{
	size_t mark = push(r, "/%s", dir), i, nr;

	nr = get_u64(r, "nr_filters", false, 0);
	for (i = 0; i < nr && !r->err; i++) {
		struct damos_filter *f = damos_add_filter(s);
		size_t m2 = push(r, "/%zu", i);

		f->type = get_kw(r, "type", damos_filter_type_from_name,
				 DAMOS_FILTER_ANON);
		f->matching = get_bool(r, "matching", false);
		f->allow = get_bool(r, "allow", false);
		if (f->type == DAMOS_FILTER_MEMCG)
			f->memcg_path = get_str(r, "memcg_path");
		f->addr_range.start = get_u64(r, "addr_start", false, 0);
		f->addr_range.end = get_u64(r, "addr_end", false, 0);
		f->target_idx = get_u64(r, "damon_target_idx", false, 0);
		if (f->type == DAMOS_FILTER_HUGEPAGE_SIZE) {
			f->has_hugepage_size = true;
			f->min_hugepage_sz = get_u64(r, "min", false, 0);
			f->max_hugepage_sz = get_u64(r, "max", false, 0);
		}
		pop(r, m2);
	}
	pop(r, mark);
}

static void read_stats(struct rd *r, struct damos *s)
{
	struct damos_stats *st = &s->stats;
	size_t mark = push(r, "/stats");

	st->nr_tried = get_u64(r, "nr_tried", false, 0);
	st->sz_tried = get_u64(r, "sz_tried", false, 0);
	st->nr_applied = get_u64(r, "nr_applied", false, 0);
	st->sz_applied = get_u64(r, "sz_applied", false, 0);
	st->sz_ops_filter_passed = get_u64(r, "sz_ops_filter_passed", false, 0);
	st->qt_exceeds = get_u64(r, "qt_exceeds", false, 0);
	st->nr_snapshots = get_u64(r, "nr_snapshots", false, 0);
	s->max_nr_snapshots = get_u64(r, "max_nr_snapshots", false, 0);
	pop(r, mark);
}

static void read_tried(struct rd *r, struct damos *s)
{
	size_t mark = push(r, "/tried_regions");
	unsigned long *idx;
	long nr, i;

	s->tried_bytes = get_u64(r, "total_bytes", false, 0);
	nr = sysfs_list_idx(r->io->root, r->p.buf, &idx);
	for (i = 0; i < nr; i++) {
		struct damos_tried_region *t;
		size_t m2 = push(r, "/%lu", idx[i]);

		s->tried = xreallocarray(s->tried, s->nr_tried + 1,
					 sizeof(*s->tried));
		t = &s->tried[s->nr_tried++];
		t->start = get_u64(r, "start", false, 0);
		t->end = get_u64(r, "end", false, 0);
		t->nr_accesses = get_u64(r, "nr_accesses", false, 0);
		t->age = get_u64(r, "age", false, 0);
		t->sz_filter_passed = get_u64(r, "sz_filter_passed", false, 0);
		pop(r, m2);
	}
	free(idx);
	pop(r, mark);
}

static void read_scheme(struct rd *r, struct damos *s)
{
	struct damos_access_pattern *p = &s->pattern;
	size_t i, nr, mark = push(r, "/access_pattern");

	/* the kernel holds these in samples and aggregation intervals */
	p->nr_accesses_unit = DAMOS_NR_ACCESSES_SAMPLES;
	p->age_unit = DAMOS_AGE_AGGR_INTERVALS;
	p->min_sz_bytes = get_u64(r, "sz/min", true, 0);
	p->max_sz_bytes = get_u64(r, "sz/max", true, 0);
	p->min_nr_accesses = get_u64(r, "nr_accesses/min", true, 0);
	p->max_nr_accesses = get_u64(r, "nr_accesses/max", true, 0);
	p->min_age = get_u64(r, "age/min", true, 0);
	p->max_age = get_u64(r, "age/max", true, 0);
	pop(r, mark);
	s->action = get_kw(r, "action", damos_action_from_name, DAMOS_STAT);
	s->apply_interval_us = get_u64(r, "apply_interval_us", false, 0);
	s->target_nid = get_i64(r, "target_nid", -1);
	s->has_target_nid = s->target_nid >= 0 &&
			    (s->action == DAMOS_MIGRATE_HOT ||
			     s->action == DAMOS_MIGRATE_COLD);
	nr = get_u64(r, "dests/nr_dests", false, 0);
	for (i = 0; i < nr; i++) {
		struct damos_dest *d = damos_add_dest(s);
		size_t m2 = push(r, "/dests/%zu", i);

		d->id = get_u64(r, "id", false, 0);
		d->weight = get_u64(r, "weight", false, 0);
		pop(r, m2);
	}
	read_quota(r, s);
	mark = push(r, "/watermarks");
	s->wmarks.metric = get_kw(r, "metric", damos_wmark_metric_from_name,
				  DAMOS_WMARK_NONE);
	s->wmarks.interval_us = get_u64(r, "interval_us", true, 0);
	s->wmarks.high_permil = get_u64(r, "high", true, 0);
	s->wmarks.mid_permil = get_u64(r, "mid", true, 0);
	s->wmarks.low_permil = get_u64(r, "low", true, 0);
	pop(r, mark);
	read_filter_dir(r, s, "core_filters");
	read_filter_dir(r, s, "ops_filters");
	read_filter_dir(r, s, "filters");
	read_stats(r, s);
	read_tried(r, s);
}

static void read_ctx(struct rd *r, struct damon_ctx *c)
{
	size_t i, nr, mark;

	c->ops = get_kw(r, "operations", damon_ops_from_name, DAMON_OPS_VADDR);
	c->addr_unit = get_u64(r, "addr_unit", false, 1);
	c->pause = get_bool(r, "pause", false);
	read_intervals(r, c);
	read_targets(r, c);
	mark = push(r, "/schemes");
	nr = get_u64(r, "nr_schemes", true, 0);
	for (i = 0; i < nr && !r->err; i++) {
		size_t m2 = push(r, "/%zu", i);

		read_scheme(r, damon_ctx_add_scheme(c));
		pop(r, m2);
	}
	pop(r, mark);
}

int kdamond_read(const struct kdamond_io *io, unsigned long idx,
		 struct kdamond *k)
{
	struct rd r = { .io = io };
	char buf[32];
	size_t i, nr;

	push(&r, "kdamonds/%lu", idx);
	if (!get(&r, "state", true, buf, sizeof(buf)))
		k->on = !strcmp(buf, "on");
	k->pid = get_i64(&r, "pid", -1);
	k->has_pid = k->pid >= 0;
	k->refresh_ms = get_u64(&r, "refresh_ms", false, 0);
	push(&r, "/contexts");
	nr = get_u64(&r, "nr_contexts", true, 0);
	for (i = 0; i < nr && !r.err; i++) {
		size_t mark = push(&r, "/%zu", i);

		read_ctx(&r, kdamond_add_ctx(k));
		pop(&r, mark);
	}
	return r.err;
}
