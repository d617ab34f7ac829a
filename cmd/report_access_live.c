/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report access without --input, as damo does: when monitors run, one
 * snapshot of each (kernel DAMON through the tried regions of a stat
 * scheme added for it, the embedded monitor as it aggregates) into a
 * record file of a private temporary directory, which the report then
 * reads as any other.
 */
#include "report_access.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/backend_args.h"
#include "cmd/cmd.h"
#include "cmd/kernel.h"
#include "core/diag.h"
#include "core/out.h"
#include "core/snap_sink.h"
#include "core/snapshot.h"
#include "core/xalloc.h"
#include "formats/record_write.h"
#include "kdamond/backend.h"

/* How long a monitor may take to give its first snapshot. */
#define LIVE_TIMEOUT_NS (20 * 1000000000ull)
/* Kernel DAMON: how often the stat scheme's tried regions are read. */
#define LIVE_SNAPSHOT_NS (100 * 1000000ull)

struct live_sink {
	struct snap_sink sink;
	struct record_writer *w;
	bool *got;		/* per record of the writer: has its snapshot */
	size_t nr_recs, cap;
	size_t first;		/* the current monitor's first record */
	uint64_t t0_ns;
	bool timed_out;
	int err;
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static size_t live_add(struct snap_sink *sink, const struct record_meta *m)
{
	struct live_sink *l = (struct live_sink *)sink;
	size_t rec = record_writer_add(l->w, m);

	if (rec >= l->nr_recs) {
		xgrow((void **)&l->got, rec, &l->cap, sizeof(*l->got));
		l->got[rec] = false;
		l->nr_recs = rec + 1;
	}
	return rec;
}

static int live_snapshot(struct snap_sink *sink, size_t rec,
			 const struct snapshot *s)
{
	struct live_sink *l = (struct live_sink *)sink;

	if (rec >= l->nr_recs || l->got[rec])
		return 0;	/* one snapshot of each record */
	l->got[rec] = true;
	l->err = record_writer_snapshot(l->w, rec, s);
	return l->err;
}

/* Stop once every record of this monitor has its snapshot. */
static bool live_should_stop(struct snap_sink *sink)
{
	struct live_sink *l = (struct live_sink *)sink;
	size_t i;

	if (mono_ns() - l->t0_ns > LIVE_TIMEOUT_NS) {
		l->timed_out = true;
		return true;
	}
	if (l->nr_recs == l->first)
		return false;
	for (i = l->first; i < l->nr_recs; i++) {
		if (!l->got[i])
			return false;
	}
	return true;
}

/* One snapshot of monitor @id of @b into @l; 1 if it was running. */
static int snap_one(struct live_sink *l, struct backend *b,
		    struct damo_id id, struct diag *d)
{
	struct backend_record req = {
		.snapshot_ns = b->kind == BACKEND_KERNEL ? LIVE_SNAPSHOT_NS : 0,
	};
	struct backend_status st;
	char buf[DAMO_ID_BUFSZ + 8];
	bool running;
	int err;

	backend_status_init(&st);
	err = backend_status(b, id, REFRESH_NONE, false, &st);
	running = !err && st.running;
	backend_status_release(&st);
	if (err || !running)
		return err;
	l->first = l->nr_recs;
	l->t0_ns = mono_ns();
	err = backend_record(b, id, &req, &l->sink);
	if (!err && l->err)
		err = l->err;
	if (!err && l->timed_out) {
		diag_add(d, "", "no snapshot of %s in 20 s",
			 damo_id_label(id, buf));
		err = -ETIMEDOUT;
	}
	return err ? err : 1;
}

int access_live_input(struct damo_ctx *ctx, char **dir, char **path)
{
	struct out *o = cmd_out(ctx);
	struct live_sink l = {
		.sink = {
			.add = live_add, .snapshot = live_snapshot,
			.should_stop = live_should_stop,
		},
	};
	const char *tmp = getenv("TMPDIR");
	struct backend b[2];
	struct damo_id *ids;
	size_t nr_b = 0, nr, i, j;
	int err, taken = 0;
	struct diag d;

	*dir = *path = NULL;
	diag_init(&d);
	err = backend_open_all(cmd_backend_env(ctx), BACKEND_AUTO, NULL, b,
			       &nr_b, &d);
	if (err) {		/* nothing to snapshot: damon.data, as damo */
		diag_release(&d);
		return 0;
	}
	*dir = xasprintf("%s/damo-live-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(*dir)) {
		err = -errno;
		diag_add(&d, "", "cannot create '%s': %s", *dir, strerror(errno));
		goto out;
	}
	*path = xasprintf("%s/snapshot.data", *dir);
	l.w = record_writer_open(*path, RECORD_FMT_NATIVE, &d);
	if (!l.w) {
		err = -EIO;
		goto out;
	}
	for (i = 0; i < nr_b && err >= 0; i++) {
		if (backend_list(&b[i], false, &ids, &nr))
			continue;
		for (j = 0; j < nr && err >= 0; j++) {
			err = snap_one(&l, &b[i], ids[j], &d);
			taken |= err == 1;
		}
		free(ids);
	}
	if (err >= 0 && taken)
		err = record_writer_finish(l.w);
out:
	record_writer_free(l.w);
	free(l.got);
	for (i = 0; i < nr_b; i++)
		backend_close(&b[i]);
	if (err < 0)
		cmd_diag_report(o, &d, false);
	diag_release(&d);
	if (err < 0 || !taken) {
		access_live_cleanup(*dir, *path);
		*dir = *path = NULL;
		return err < 0 ? err : 0;
	}
	return 1;
}

void access_live_cleanup(char *dir, char *path)
{
	if (path) {
		unlink(path);
		free(path);
	}
	if (dir) {
		rmdir(dir);
		free(dir);
	}
}

/* damo's merge of adjacent tried regions of the same access pattern. */
static void add_tried(struct snapshot *s, const struct damos *sc, bool merge)
{
	struct snap_region *last;
	size_t i;

	for (i = 0; i < sc->nr_tried; i++) {
		const struct damos_tried_region *t = &sc->tried[i];

		last = s->nr_regions ? &s->regions[s->nr_regions - 1] : NULL;
		if (merge && last && !last->sz_filter_passed &&
		    !t->sz_filter_passed && last->end == t->start &&
		    last->nr_accesses == t->nr_accesses && last->age == t->age) {
			last->end = t->end;
			continue;
		}
		last = snapshot_add_region(s);
		last->start = t->start;
		last->end = t->end;
		last->nr_accesses = t->nr_accesses;
		last->age = t->age;
		last->sz_filter_passed = t->sz_filter_passed;
	}
}

/* The tried regions of scheme @t, refreshed, as a record of one snapshot. */
static int tried_one(struct damo_ctx *ctx, struct record_writer *w,
		     const struct access_tried_of *t, bool merge,
		     struct diag *d)
{
	struct backend_status st;
	struct record_meta m;
	struct snapshot s;
	struct backend b;
	char buf[DAMO_ID_BUFSZ + 8];
	const struct damon_ctx *c;
	const struct damos *sc;
	struct timespec now;
	int err;

	err = backend_open(cmd_backend_env(ctx), t->id.kind, false, &b, d);
	if (err)
		return err;
	backend_status_init(&st);
	err = backend_status(&b, t->id, REFRESH_TRIED, false, &st);
	if (!err && !st.running) {
		diag_add(d, "", "%s is not running", damo_id_label(t->id, buf));
		err = -ESRCH;
	}
	if (!err && (t->ctx >= st.k.nr_ctxs ||
		     t->scheme >= st.k.ctxs[t->ctx].nr_schemes)) {
		diag_add(d, "", "%s has no scheme %zu of context %zu",
			 damo_id_label(t->id, buf), t->scheme, t->ctx);
		err = -ENOENT;
	}
	if (!err) {
		c = &st.k.ctxs[t->ctx];
		sc = &c->schemes[t->scheme];
		record_meta_init(&m);
		m.kdamond_idx = t->id.nr;
		m.context_idx = t->ctx;
		m.scheme_idx = t->scheme;
		m.has_intervals = true;
		m.intervals = c->intervals;
		m.scheme_filters = sc->filters;	/* borrowed: the writer copies */
		m.nr_scheme_filters = sc->nr_filters;
		snapshot_init(&s);
		/* damo's times: now, and one aggregation interval before */
		clock_gettime(CLOCK_REALTIME, &now);
		s.end_ns = (uint64_t)now.tv_sec * 1000000000ull +
			   (uint64_t)now.tv_nsec;
		s.start_ns = s.end_ns - c->intervals.aggr_us * 1000;
		add_tried(&s, sc, merge);
		s.total_bytes = sc->tried_bytes;
		s.has_stats = true;
		s.stats = sc->stats;
		err = record_writer_snapshot(w, record_writer_add(w, &m), &s);
		snapshot_release(&s);
	}
	backend_status_release(&st);
	backend_close(&b);
	return err;
}

int access_tried_input(struct damo_ctx *ctx, const struct access_tried_of *t,
		       size_t n, bool merge, char **dir, char **path)
{
	const char *tmp = getenv("TMPDIR");
	struct record_writer *w = NULL;
	struct diag d;
	size_t i;
	int err = 0;

	*path = NULL;
	diag_init(&d);
	*dir = xasprintf("%s/damo-live-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(*dir)) {
		err = -errno;
		diag_add(&d, "", "cannot create '%s': %s", *dir, strerror(errno));
		goto out;
	}
	*path = xasprintf("%s/tried.data", *dir);
	w = record_writer_open(*path, RECORD_FMT_NATIVE, &d);
	for (i = 0; i < n && !err; i++)
		err = tried_one(ctx, w, &t[i], merge, &d);
	if (!err)
		err = record_writer_finish(w);
out:
	record_writer_free(w);
	if (err) {
		cmd_diag_report(cmd_out(ctx), &d, false);
		access_live_cleanup(*dir, *path);
		*dir = *path = NULL;
	}
	diag_release(&d);
	return err;
}
