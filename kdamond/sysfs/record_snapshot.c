/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo record --snapshot: a stat scheme's tried regions every interval,
 * as Python damo's snapshots (docs/damo-compat.md §5.5).
 */
#include "kdamond/sysfs/record.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "core/snap_sink.h"
#include "core/diag.h"
#include "kdamond/sysfs/kdamond.h"
#include "kdamond/owner.h"

#define SLEEP_NS 100000000L	/* the sink is polled at least this often */

/* Tried regions to one snapshot, adjacent equal ones merged as damo. */
static void tried_to_snapshot(const struct damos *s, struct snapshot *snap)
{
	struct snap_region *p = NULL, *sr;
	size_t i;

	for (i = 0; i < s->nr_tried; i++) {
		const struct damos_tried_region *tr = &s->tried[i];

		if (p && p->end == tr->start && !p->sz_filter_passed &&
		    !tr->sz_filter_passed && p->nr_accesses == tr->nr_accesses &&
		    p->age == tr->age) {
			p->end = tr->end;
			continue;
		}
		sr = snapshot_add_region(snap);
		sr->start = tr->start;
		sr->end = tr->end;
		sr->nr_accesses = tr->nr_accesses;
		sr->age = tr->age;
		sr->sz_filter_passed = tr->sz_filter_passed;
		p = sr;
	}
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static uint64_t realtime_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}

static int take_snapshot(struct rk *r)
{
	struct rk_target *t = &r->t[0];
	struct kdamond k;
	int err;

	err = kdamond_cmd(&r->kr->io, r->idx, "update_schemes_tried_regions");
	if (err)
		return rk_kdamond_gone(r) ? 0 : err;
	kdamond_init(&k);
	err = kdamond_read(&r->kr->io, r->idx, &k);
	if (!err && (!k.nr_ctxs || k.ctxs[0].nr_schemes <= r->scheme)) {
		diag_add(&r->kr->diag, "", "kdamond %lu lost the stat scheme damo added (scheme %zu)",
			 r->idx, r->scheme);
		err = -ESRCH;
	}
	if (!err) {
		const struct damos *sc = &k.ctxs[0].schemes[r->scheme];

		tried_to_snapshot(sc, &t->s);
		/* total_bytes (6.6) is the kernel's sum of the tried regions */
		t->s.total_bytes = sc->tried_bytes ? sc->tried_bytes : SNAP_NONE;
		err = rk_write_snapshot(r, t, realtime_ns());
	}
	kdamond_release(&k);
	return err;
}

int rk_loop_snapshot(struct rk *r)
{
	uint64_t next_check = 0, t0 = clock_ns(CLOCK_MONOTONIC), next = 0;
	int err = 0;

	while (!err && !rk_should_end(r, &next_check)) {
		uint64_t el = clock_ns(CLOCK_MONOTONIC) - t0;

		if (el < next) {
			struct timespec ts = { 0, next - el < SLEEP_NS ?
					       (long)(next - el) : SLEEP_NS };

			nanosleep(&ts, NULL);
			continue;
		}
		next += r->snapshot_ns;
		err = take_snapshot(r);
	}
	return err;
}

/* A stat scheme over everything, as damo's snapshots use. */
static void add_stat_scheme(struct rk *r, struct damon_ctx *c)
{
	struct damos *s = damon_ctx_add_scheme(c);

	if (features_has(&r->kr->feat, "schemes_apply_interval"))
		s->apply_interval_us = c->intervals.sample_us;
}

static int borrowed_commit(struct rk *r, struct kdamond *k)
{
	struct damon_config cfg = { .kdamonds = k, .nr_kdamonds = 1 };

	return tune_commit(r->kr, r->idx, &cfg);
}

/* --snapshot on a running kdamond: it must be damo's; add the scheme. */
int rk_install_scheme(struct rk *r)
{
	struct damon_config wrap = { .kdamonds = &r->k, .nr_kdamonds = 1 };
	struct damon_config cfg;
	struct owner_reg reg;
	bool owned;
	int err;

	if (owner_open(r->kr->rundir, &reg, &r->kr->diag))
		return -EIO;
	owned = owner_owns(&reg, r->kr->io.root, r->idx, (long)r->k.pid);
	owner_close(&reg, false, &r->kr->diag);
	if (!owned) {
		diag_add(&r->kr->diag, "", "--snapshot: kdamond %lu was not started by damo; snapshots need a stat scheme added to it, which damo does only to its own kdamonds",
			 r->idx);
		diag_add(&r->kr->diag, "hint", "record it through its tracepoints: leave out --snapshot");
		return -EPERM;
	}
	if (features_absent(&r->kr->feat, "commit")) {
		diag_add(&r->kr->diag, "", "--snapshot: this kernel (%s) cannot add a scheme to a running kdamond: 'commit' needs Linux 5.19",
			 r->kr->feat.kernel);
		return -EOPNOTSUPP;
	}
	damon_config_copy(&r->orig, &wrap);
	damon_config_init(&cfg);
	damon_config_copy(&cfg, &wrap);
	r->scheme = cfg.kdamonds[0].ctxs[0].nr_schemes;
	add_stat_scheme(r, &cfg.kdamonds[0].ctxs[0]);
	err = tune_commit(r->kr, r->idx, &cfg);
	damon_config_release(&cfg);
	r->scheme_added = !err;
	return err;
}

/* Put a running kdamond back as it was, with its tuned intervals. */
int rk_uninstall_scheme(struct rk *r)
{
	struct kdamond *o = &r->orig.kdamonds[0];
	struct kdamond now;
	int err;

	if (!r->scheme_added || rk_kdamond_gone(r))
		return 0;
	if (o->ctxs[0].intervals.goal.aggrs &&
	    features_has(&r->kr->feat, "update_tuned_intervals") &&
	    !kdamond_cmd(&r->kr->io, r->idx, "update_tuned_intervals")) {
		kdamond_init(&now);
		if (!kdamond_read(&r->kr->io, r->idx, &now) && now.nr_ctxs) {
			o->ctxs[0].intervals.sample_us =
				now.ctxs[0].intervals.sample_us;
			o->ctxs[0].intervals.aggr_us =
				now.ctxs[0].intervals.aggr_us;
		}
		kdamond_release(&now);
	}
	err = borrowed_commit(r, o);
	if (err)
		diag_add(&r->kr->diag, "", "the stat scheme damo added to kdamond %lu (scheme %zu) could not be removed",
			 r->idx, r->scheme);
	r->scheme_added = false;
	return err;
}
