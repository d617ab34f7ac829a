/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel DAMON's snapshots through its tracepoint (kdamond/sysfs/record.h). */
#include "kdamond/sysfs/record.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/damon.h"
#include "core/out.h"
#include "core/snap_sink.h"
#include "core/snapshot.h"
#include "core/xalloc.h"
#include "kdamond/sysfs/sysfs.h"
#include "kdamond/sysfs/trace.h"

#define TRACE_POLL_MS 100
#define CHECK_NS 500000000ULL		/* kdamond checks */
#define SEC_NS 1000000000ULL

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * SEC_NS + (uint64_t)ts.tv_nsec;
}

/* Whether this kernel can make this recording; if not, what is missing. */
static int can_record(struct kernel_run *kr, const char *tfs,
		      uint64_t snapshot_ns)
{
	struct diag *d = &kr->diag;

	if (snapshot_ns &&
	    features_absent(&kr->feat, "update_schemes_tried_regions")) {
		diag_add(d, "", "--snapshot: this kernel (%s) has no tried regions of schemes: update_schemes_tried_regions needs Linux 6.2",
			 kr->feat.kernel);
		return -EOPNOTSUPP;
	}
	if (!snapshot_ns &&
	    !sysfs_exists(tfs, "events/damon/damon_aggregated")) {
		diag_add(d, "", "no DAMON tracepoint at '%s/events/damon/damon_aggregated'",
			 tfs);
		diag_add(d, "hint", sysfs_exists(tfs, "events") ?
			 "this kernel has no DAMON tracepoints; --snapshot records through tried regions instead" :
			 "is tracefs mounted (mount -t tracefs nodev /sys/kernel/tracing)? DAMO_TRACEFS_ROOT names another place");
		return -ENOENT;
	}
	return 0;
}

void rk_add_record(struct rk *r, uint64_t target, uint64_t scheme)
{
	const struct damon_ctx *c = &r->k.ctxs[0];
	struct record_meta m;

	record_meta_init(&m);
	m.kdamond_idx = r->idx;
	m.context_idx = 0;
	m.target_id = target;
	m.scheme_idx = scheme;
	m.has_intervals = true;
	m.intervals = c->intervals;
	r->t = xreallocarray(r->t, r->nr_t + 1, sizeof(*r->t));
	snapshot_init(&r->t[r->nr_t].s);
	r->t[r->nr_t].want = 0;
	r->t[r->nr_t].prev_end_ns = SNAP_NONE;
	r->t[r->nr_t].rec = r->sink->add(r->sink, &m);
	r->nr_t++;
}

int rk_write_snapshot(struct rk *r, struct rk_target *t, uint64_t end_ns)
{
	t->s.end_ns = end_ns;
	if (t->prev_end_ns != SNAP_NONE && t->prev_end_ns <= end_ns)
		t->s.start_ns = t->prev_end_ns;
	else
		t->s.start_ns = end_ns > r->aggr_ns ? end_ns - r->aggr_ns : 0;
	t->prev_end_ns = end_ns;
	if (!r->err)
		r->err = r->sink->snapshot(r->sink, t->rec, &t->s);
	snapshot_clear(&t->s);
	return r->err;
}

/* A damon_aggregated line: a region of the target's current snapshot. */
static int on_event(void *arg, const struct trace_event *ev)
{
	struct rk *r = arg;
	struct snap_region *sr;
	struct rk_target *t;

	/* targets are few; a bogus huge index is no target of ours */
	if (ev->target >= 65536)
		return 0;
	while (ev->target >= r->nr_t)
		rk_add_record(r, r->nr_t, SNAP_NONE);
	t = &r->t[ev->target];
	/* lost lines (a full trace buffer) leave a snapshot unfinished */
	if (t->want && (ev->nr_regions != t->want ||
			ev->start < t->s.regions[t->s.nr_regions - 1].end)) {
		r->nr_dropped++;
		snapshot_clear(&t->s);
		t->want = 0;
	}
	if (!t->want)
		t->want = ev->nr_regions;
	sr = snapshot_add_region(&t->s);
	sr->start = ev->start;
	sr->end = ev->end;
	sr->nr_accesses = ev->nr_accesses;
	sr->age = ev->age == TRACE_NO_AGE ? SNAP_NONE : ev->age;
	if (t->s.nr_regions < t->want)
		return 0;
	t->want = 0;
	return rk_write_snapshot(r, t, ev->ts_ns);
}

/*
 * Whether the kdamond recorded is gone: its thread is not the one that ran
 * at the start (stopped, or stopped and started again, which a trace
 * filtered to the old thread would not see).
 */
bool rk_kdamond_gone(struct rk *r)
{
	return kdamond_pid(&r->kr->io, r->idx) != (long)r->k.pid;
}

bool rk_should_end(struct rk *r, uint64_t *next_check)
{
	uint64_t now = mono_ns();

	if (r->sink->should_stop(r->sink))
		return true;
	if (now < *next_check)
		return false;
	*next_check = now + CHECK_NS;
	if (rk_kdamond_gone(r)) {
		r->end = "kdamond stopped";
		return true;
	}
	return false;
}

static int loop_trace(struct rk *r, const char *tfs, struct out *o)
{
	struct trace_session ts;
	struct diag notes;
	uint64_t next_check = 0;
	int n, err = 0, i;
	size_t j;

	diag_init(&notes);
	err = trace_open(&ts, tfs, (long)r->k.pid,
			 r->kr->io.trace, &r->kr->diag, &notes);
	for (j = 0; j < notes.nr; j++)
		out_warn(o, "%s", notes.v[j].msg);
	diag_release(&notes);
	diag_init(&notes);
	if (err)
		goto out;
	while (!rk_should_end(r, &next_check)) {
		n = trace_read(&ts, TRACE_POLL_MS, on_event, r);
		if (n == -ENODATA) {
			r->end = "end of trace";
			break;
		}
		if (r->err) {
			err = r->err;
			break;
		}
		if (n < 0 && n != -EINTR) {
			diag_add(&r->kr->diag, "", "cannot read the trace: %s",
				 strerror(-n));
			err = n;
			break;
		}
	}
	/* what the kernel traced before the end is still wanted */
	for (i = 0; !err && i < 64; i++)
		if (trace_read(&ts, 0, on_event, r) <= 0)
			break;
	if (!err)
		err = r->err;
	for (j = 0; j < r->nr_t; j++)
		if (r->t[j].want)
			r->nr_dropped++;
	trace_close(&ts);
	for (j = 0; j < notes.nr; j++)
		out_warn(o, "%s", notes.v[j].msg);
out:
	diag_release(&notes);
	return err;
}

/* The kdamond to record: it exists, runs, and has one context. */
static int read_target(struct rk *r)
{
	long n = kdamond_nr(&r->kr->io);
	int err;

	if (n < 0 || (long)r->idx >= n) {
		diag_add(&r->kr->diag, "", "there is no kdamond %lu", r->idx);
		diag_add(&r->kr->diag, "hint", "'damo status' lists the kdamonds");
		return -ENOENT;
	}
	err = kdamond_read(&r->kr->io, r->idx, &r->k);
	if (err)
		return err;
	if (!r->k.on || !r->k.has_pid || r->k.pid <= 0) {
		diag_add(&r->kr->diag, "", "kdamond %lu is not running", r->idx);
		return -ESRCH;
	}
	if (r->k.nr_ctxs != 1) {
		diag_add(&r->kr->diag, "", "kdamond %lu has %zu contexts; damo records kdamonds of one",
			 r->idx, r->k.nr_ctxs);
		return -EINVAL;
	}
	r->aggr_ns = r->k.ctxs[0].intervals.aggr_us * 1000;
	return 0;
}

int sysfs_record(struct kernel_run *kr, const char *tracefs,
		 struct out *o, unsigned long idx, uint64_t snapshot_ns,
		 struct snap_sink *sink, const char **end,
		 uint64_t *nr_dropped)
{
	struct rk r = { .kr = kr, .sink = sink, .idx = idx,
			.snapshot_ns = snapshot_ns };
	size_t i;
	int err, err2;

	kdamond_init(&r.k);
	damon_config_init(&r.orig);
	err = can_record(kr, tracefs, snapshot_ns);
	if (!err)
		err = read_target(&r);
	if (!err && snapshot_ns) {
		err = rk_install_scheme(&r);
		if (!err) {
			rk_add_record(&r, SNAP_NONE, r.scheme);
			err = rk_loop_snapshot(&r);
		}
		err2 = rk_uninstall_scheme(&r);
		if (err2 && !err)
			err = err2;
	} else if (!err) {
		for (i = 0; i < r.k.ctxs[0].nr_targets; i++)
			rk_add_record(&r, i, SNAP_NONE);
		err = loop_trace(&r, tracefs, o);
	}
	*end = r.end;
	*nr_dropped = r.nr_dropped;
	for (i = 0; i < r.nr_t; i++)
		snapshot_release(&r.t[i].s);
	free(r.t);
	kdamond_release(&r.k);
	damon_config_release(&r.orig);
	return err;
}
