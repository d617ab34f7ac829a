/* SPDX-License-Identifier: GPL-2.0 */
/* damo record from the embedded monitor (cmd/record_embedded.h). */
#include "cmd/record_embedded.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/damon.h"
#include "core/diag.h"
#include "core/out.h"
#include "core/snapshot.h"
#include "core/sources/proc.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "formats/record_write.h"

#define PROGRESS_NS (1000ULL * 1000 * 1000)
#define RSS_EVERY_NS (1000ULL * 1000 * 1000)

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

struct rec_run {
	struct record_writer *w;
	size_t *recs;			/* the writer's record of each target */
	long *pids;			/* each target's process */
	size_t nr_targets;
	uint64_t rss_ns;		/* when RSS was last sampled */
	struct damon_intervals intervals;
	uint64_t start_ns, until_ns, shown_ns;
	struct out *progress;
	struct record_embedded_result *res;
};

/* Every second: each target's RSS and VSZ as side samples. */
static int sample_rss(struct rec_run *r, uint64_t time_ns)
{
	uint64_t vsz = 0, rss = 0, now = mono_ns();
	size_t ti;
	int err = 0;

	if (r->rss_ns && now - r->rss_ns < RSS_EVERY_NS)
		return 0;
	r->rss_ns = now;
	for (ti = 0; ti < r->nr_targets && !err; ti++)
		if (r->pids[ti] > 0 && !proc_statm((pid_t)r->pids[ti], &vsz, &rss))
			err = record_writer_rss(r->w, r->recs[ti], time_ns,
						rss, vsz);
	return err;
}

/* One line rewritten on a terminal; with --json a progress object a line. */
static void show_progress(struct rec_run *r, uint64_t now)
{
	char a[UNITS_BUFSZ], b[UNITS_BUFSZ], c[UNITS_BUFSZ], d[UNITS_BUFSZ];
	char e[UNITS_BUFSZ];
	uint64_t el = now - r->start_ns;
	uint64_t rate = el ? (uint64_t)((unsigned __int128)r->res->nr_regions *
					1000000000ULL / el) : 0;

	r->shown_ns = now;
	if (out_is_json(r->progress)) {
		out_begin_obj(r->progress, NULL);
		out_begin_obj(r->progress, "progress");
		out_time(r->progress, "elapsed_us", el / 1000, UNITS_US);
		out_u64(r->progress, "snapshots", r->res->nr_snapshots);
		out_u64(r->progress, "regions", r->res->nr_regions);
		out_u64(r->progress, "regions_per_s", rate);
		out_size(r->progress, "bytes", record_writer_bytes(r->w));
		out_end_obj(r->progress);
		out_end_obj(r->progress);
		fflush(stdout);
		return;
	}
	out_progress(r->progress, "recording: %s, %s snapshots, %s regions, %s regions/s, %s written",
		     units_fmt_time(a, el, UNITS_NS, false),
		     units_fmt_nr(b, r->res->nr_snapshots, false),
		     units_fmt_nr(c, r->res->nr_regions, false),
		     units_fmt_nr(d, rate, false),
		     units_fmt_sz(e, record_writer_bytes(r->w), false));
}

static int on_snapshot(void *data, size_t ti, const struct snapshot *s)
{
	struct rec_run *r = data;
	uint64_t now = mono_ns();
	int err;

	if (ti >= r->nr_targets)
		return 0;	/* a target the status did not list */
	err = record_writer_snapshot(r->w, r->recs[ti], s);
	if (!err)
		err = sample_rss(r, s->end_ns);
	if (err)
		return err;
	r->res->nr_snapshots++;
	r->res->nr_regions += s->nr_regions;
	if (r->progress && now - r->shown_ns >= PROGRESS_NS)
		show_progress(r, now);
	return 0;
}

/* Polled while no snapshot comes: time to stop?  Keep the file current. */
static bool should_stop(void *data)
{
	struct rec_run *r = data;

	record_writer_flush(r->w);
	return interrupted || (r->until_ns && mono_ns() >= r->until_ns);
}

int record_embedded(const char *rundir, unsigned long id,
		    struct record_writer *w, uint64_t duration_ns,
		    struct out *progress, struct record_embedded_result *res,
		    struct diag *d)
{
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
	struct embedded_info info;
	struct rec_run r = { .w = w, .progress = progress, .res = res };
	struct kdamond k;
	struct record_meta m;
	size_t ti;
	int err;

	memset(res, 0, sizeof(*res));
	kdamond_init(&k);
	err = embedded_status(rundir, id, &k, &info, d);
	if (!err && !info.running) {
		diag_add(d, "", "'e%lu' is not running (%s)", id,
			 info.exit_reason ? info.exit_reason : "stopped");
		err = -ESRCH;
	}
	if (err)
		goto out;
	res->source = info.source ? xstrdup(info.source) : NULL;
	r.nr_targets = k.ctxs[0].nr_targets;
	r.recs = xcalloc(r.nr_targets ? r.nr_targets : 1, sizeof(*r.recs));
	r.pids = xcalloc(r.nr_targets ? r.nr_targets : 1, sizeof(*r.pids));
	for (ti = 0; ti < r.nr_targets; ti++) {
		r.pids[ti] = k.ctxs[0].targets[ti].has_pid ?
			     (long)k.ctxs[0].targets[ti].pid : -1;
		record_meta_init(&m);
		m.kdamond_idx = 0;
		m.context_idx = 0;
		m.target_id = ti;
		m.has_intervals = true;
		m.intervals = k.ctxs[0].intervals;
		r.recs[ti] = record_writer_add(w, &m);
	}
	sigemptyset(&sa.sa_mask);
	interrupted = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	r.start_ns = mono_ns();
	r.until_ns = duration_ns ? r.start_ns + duration_ns : 0;
	err = embedded_record(rundir, id, on_snapshot, should_stop, &r, d);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (progress && !out_is_json(progress))
		out_progress_end(progress);
	res->wall_ns = mono_ns() - r.start_ns;
	free(r.recs);
	free(r.pids);
out:
	kdamond_release(&k);
	embedded_info_release(&info);
	return err;
}

int record_embedded_command(const char *rundir, struct damon_config *cfg,
			    struct embedded_opts *eo,
			    struct record_writer *w, uint64_t duration_ns,
			    struct out *progress,
			    struct record_embedded_result *res, struct diag *d)
{
	struct embedded_opts o = *eo;
	int err, err2;

	o.foreground = false;
	memset(res, 0, sizeof(*res));
	err = embedded_start(rundir, cfg, &o, d);
	if (err)
		return err;
	eo->id = o.id;
	err = record_embedded(rundir, o.id, w, duration_ns, progress, res, d);
	err2 = embedded_stop(rundir, o.id, d);
	return err ? err : err2;
}

void record_embedded_result_release(struct record_embedded_result *res)
{
	free(res->source);
	res->source = NULL;
}
