/* SPDX-License-Identifier: GPL-2.0 */
/* damo record from kernel DAMON: tracepoints or tried-regions snapshots. */
#include "cmd/record_kernel.h"
#include "cmd/record_kernel_internal.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/damon_opts.h"
#include "cmd/backend_args.h"
#include "cmd/kernel.h"
#include "core/damon.h"
#include "core/out.h"
#include "core/snapshot.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "formats/config.h"
#include "formats/record_write.h"
#include "kdamond/sysfs/sysfs.h"
#include "kdamond/sysfs/trace.h"

#define TRACE_POLL_MS 200
#define CHECK_NS 500000000ULL		/* kdamond and command checks */
#define PROGRESS_NS 1000000000ULL
#define SEC_NS 1000000000ULL

static volatile sig_atomic_t rk_signal;

static void on_signal(int sig)
{
	rk_signal = sig;
}

uint64_t rk_now_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * SEC_NS + (uint64_t)ts.tv_nsec;
}

uint64_t rk_elapsed_ns(const struct rk *r)
{
	return rk_now_ns(CLOCK_MONOTONIC) - r->t0;
}

/*
 * Whether kernel DAMON can make this recording, and if not, what is
 * missing.  The one place that decides: the embedded monitor is to take
 * the cases refused here.  @open_err: what kernel_open() returned.
 */
static int kernel_can_record(struct rk *r, int open_err)
{
	const struct record_kernel_opts *o = r->o;
	struct diag *d = &r->kr.diag;
	const char *tfs = cmd_tracefs_root();

	if (open_err)
		return open_err;
	if (!o->has_idx && features_absent(&r->kr.feat, "vaddr")) {
		diag_add(d, "", "this kernel's DAMON (%s) has no vaddr operations set, which recording a process needs",
			 r->kr.feat.kernel);
		diag_add(d, "hint", "it needs CONFIG_DAMON_VADDR");
		return -EOPNOTSUPP;
	}
	if (o->snapshot_ns &&
	    features_absent(&r->kr.feat, "update_schemes_tried_regions")) {
		diag_add(d, "", "--snapshot: this kernel (%s) has no tried regions of schemes: update_schemes_tried_regions needs Linux 6.2",
			 r->kr.feat.kernel);
		return -EOPNOTSUPP;
	}
	if (!o->snapshot_ns &&
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

static void add_record(struct rk *r, uint64_t target, uint64_t scheme)
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
	r->t[r->nr_t].rec = record_writer_add(r->w, &m);
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
	if (!r->werr)
		r->werr = record_writer_snapshot(r->w, t->rec, &t->s);
	r->nr_snapshots++;
	r->nr_regions += t->s.nr_regions;
	snapshot_clear(&t->s);
	return r->werr;
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
		add_record(r, r->nr_t, SNAP_NONE);
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

static void show_progress(struct rk *r, bool force)
{
	uint64_t el = rk_elapsed_ns(r), rate;
	char a[UNITS_BUFSZ], b[UNITS_BUFSZ], c[UNITS_BUFSZ], d[UNITS_BUFSZ];
	char e[UNITS_BUFSZ];

	if (!force && el - r->shown < PROGRESS_NS)
		return;
	r->shown = el;
	rate = el ? (uint64_t)((unsigned __int128)r->nr_regions * SEC_NS /
			       el) : 0;
	if (out_is_json(r->out)) {
		out_begin_obj(r->out, NULL);
		out_begin_obj(r->out, "progress");
		out_time(r->out, "elapsed_us", el / 1000, UNITS_US);
		out_u64(r->out, "snapshots", r->nr_snapshots);
		out_u64(r->out, "regions", r->nr_regions);
		out_u64(r->out, "regions_per_s", rate);
		out_size(r->out, "bytes", record_writer_bytes(r->w));
		out_end_obj(r->out);
		out_end_obj(r->out);
		fflush(stdout);
		return;
	}
	out_progress(r->out, "recording kdamond %lu: %s, %s snapshots, %s regions, %s regions/s, %s written",
		     r->idx, units_fmt_time(a, el, UNITS_NS, false),
		     units_fmt_nr(b, r->nr_snapshots, false),
		     units_fmt_nr(c, r->nr_regions, false),
		     units_fmt_nr(d, rate, false),
		     units_fmt_sz(e, record_writer_bytes(r->w), false));
}

/*
 * Whether the kdamond recorded is gone: its thread is not the one that ran
 * at the start (stopped, or stopped and started again, which a trace
 * filtered to the old thread would not see).
 */
bool rk_kdamond_gone(struct rk *r)
{
	return kdamond_pid(&r->kr.io, r->idx) != (long)r->k.pid;
}

/* Whether the recording should end now; sets r->end. */
bool rk_should_end(struct rk *r, uint64_t *next_check)
{
	uint64_t el = rk_elapsed_ns(r);
	int st;

	if (rk_signal) {
		r->end = rk_signal == SIGINT ? "interrupted" : "terminated";
		return true;
	}
	if (r->o->duration_ns && el >= r->o->duration_ns) {
		r->end = "duration";
		return true;
	}
	show_progress(r, false);
	if (el < *next_check)
		return false;
	*next_check = el + CHECK_NS;
	if (r->cmd_pid > 0 && waitpid(r->cmd_pid, &st, WNOHANG) == r->cmd_pid) {
		r->cmd_pid = -1;
		r->cmd_status = st;
		r->end = "command exited";
		return true;
	}
	if (rk_kdamond_gone(r)) {
		r->end = "kdamond stopped";
		return true;
	}
	return false;
}

static int loop_trace(struct rk *r)
{
	struct trace_session ts;
	struct diag notes;
	uint64_t next_check = 0;
	int n, err = 0, i;
	size_t j;

	diag_init(&notes);
	err = trace_open(&ts, cmd_tracefs_root(), (long)r->k.pid,
			 r->kr.io.trace, &r->kr.diag, &notes);
	for (j = 0; j < notes.nr; j++)
		out_warn(r->out, "%s", notes.v[j].msg);
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
		if (r->werr) {
			err = r->werr;
			break;
		}
		if (n < 0 && n != -EINTR) {
			diag_add(&r->kr.diag, "", "cannot read the trace: %s",
				 strerror(-n));
			err = n;
			break;
		}
	}
	/* what the kernel traced before the end is still wanted */
	for (i = 0; !err && !rk_signal && i < 64; i++)
		if (trace_read(&ts, 0, on_event, r) <= 0)
			break;
	if (!err)
		err = r->werr;
	for (j = 0; j < r->nr_t; j++)
		if (r->t[j].want)
			r->nr_dropped++;
	trace_close(&ts);
	for (j = 0; j < notes.nr; j++)
		out_warn(r->out, "%s", notes.v[j].msg);
out:
	diag_release(&notes);
	return err;
}

/* Start a kdamond for the command or the options (with the scheme). */
static int start_own(struct rk *r)
{
	const struct record_kernel_opts *o = r->o;
	struct config_file cf;
	int err;

	err = cmd_load_config(NULL, o->damon, &cf, &r->kr.diag);
	if (err)
		return err;
	if (cf.cfg.nr_kdamonds != 1 || cf.cfg.kdamonds[0].nr_ctxs != 1) {
		diag_add(&r->kr.diag, "", "damo record monitors with one kdamond of one context");
		err = -EINVAL;
	}
	if (!err && !o->command &&
	    cf.cfg.kdamonds[0].ctxs[0].ops != DAMON_OPS_VADDR &&
	    cf.cfg.kdamonds[0].ctxs[0].ops != DAMON_OPS_FVADDR) {
		diag_add(&r->kr.diag, "", "damo record starts DAMON for a process: give --target-pid or a command after '--' (or a running kdamond's id)");
		err = -EINVAL;
	}
	if (!err && o->snapshot_ns) {
		r->scheme = cf.cfg.kdamonds[0].ctxs[0].nr_schemes;
		rk_add_stat_scheme(r, &cf.cfg.kdamonds[0].ctxs[0]);
	}
	if (!err)
		err = kernel_start(&r->kr, &cf.cfg, o->command, false,
				   &r->cmd_pid);
	if (!err) {
		r->nr_started = cf.cfg.nr_kdamonds;
		r->idx = 0;
	}
	config_file_release(&cf);
	return err;
}

/* The kdamond to record: it exists, runs, and has one context. */
static int read_target(struct rk *r)
{
	long n = kdamond_nr(&r->kr.io);
	int err;

	if (n < 0 || (long)r->idx >= n) {
		diag_add(&r->kr.diag, "", "there is no kdamond %lu", r->idx);
		diag_add(&r->kr.diag, "hint", "'damo status' lists the kdamonds");
		return -ENOENT;
	}
	err = kdamond_read(&r->kr.io, r->idx, &r->k);
	if (err)
		return err;
	if (!r->k.on || !r->k.has_pid || r->k.pid <= 0) {
		diag_add(&r->kr.diag, "", "kdamond %lu is not running", r->idx);
		return -ESRCH;
	}
	if (r->k.nr_ctxs != 1) {
		diag_add(&r->kr.diag, "", "kdamond %lu has %zu contexts; damo records kdamonds of one",
			 r->idx, r->k.nr_ctxs);
		return -EINVAL;
	}
	r->aggr_ns = r->k.ctxs[0].intervals.aggr_us * 1000;
	return 0;
}

static void print_summary(struct rk *r)
{
	const struct record_kernel_opts *o = r->o;
	const char *fmt = record_format_name(o->fmt);
	char a[UNITS_BUFSZ], b[UNITS_BUFSZ], c[UNITS_BUFSZ];
	uint64_t el = rk_elapsed_ns(r);

	if (!out_is_json(r->out)) {
		out_text(r->out, "recorded %s snapshots with %s regions of kdamond %lu in %s (%s) to '%s' (%s)\n",
			 units_fmt_nr(a, r->nr_snapshots, false),
			 units_fmt_nr(b, r->nr_regions, false), r->idx,
			 units_fmt_time(c, el, UNITS_NS, false), r->end,
			 o->output, fmt);
		return;
	}
	out_begin_obj(r->out, NULL);
	out_str(r->out, "output", o->output);
	out_str(r->out, "format", fmt);
	out_str(r->out, "source", o->snapshot_ns ? "snapshot" : "tracepoint");
	out_u64(r->out, "kdamond", r->idx);
	out_u64(r->out, "records", r->nr_t);
	out_u64(r->out, "snapshots", r->nr_snapshots);
	out_u64(r->out, "regions", r->nr_regions);
	out_u64(r->out, "dropped_snapshots", r->nr_dropped);
	out_time(r->out, "wall_us", el / 1000, UNITS_US);
	out_str(r->out, "end", r->end);
	out_end_obj(r->out);
}

static void signals(struct sigaction *old)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	rk_signal = 0;
	sigaction(SIGINT, &sa, &old[0]);
	sigaction(SIGTERM, &sa, &old[1]);
}

/* The command outlived the recording: end it, as damo stops its DAMON. */
static void end_command(struct rk *r)
{
	if (r->cmd_pid <= 0)
		return;
	kill(r->cmd_pid, SIGTERM);
	waitpid(r->cmd_pid, &r->cmd_status, 0);
	r->cmd_pid = -1;
}

static int record(struct rk *r)
{
	const struct record_kernel_opts *o = r->o;
	int err;

	if (o->has_idx) {
		r->idx = o->idx;
	} else {
		err = start_own(r);
		if (err)
			return err;
	}
	err = read_target(r);
	if (err)
		return err;
	r->w = record_writer_open(o->output, o->fmt, &r->kr.diag);
	r->t0 = rk_now_ns(CLOCK_MONOTONIC);
	if (o->snapshot_ns) {
		if (o->has_idx)
			err = rk_install_scheme(r);
		if (!err) {
			add_record(r, SNAP_NONE, r->scheme);
			err = rk_loop_snapshot(r);
		}
		if (rk_uninstall_scheme(r) && !err)
			err = -EIO;
	} else {
		for (size_t i = 0; i < r->k.ctxs[0].nr_targets; i++)
			add_record(r, i, SNAP_NONE);
		err = loop_trace(r);
	}
	out_progress_end(r->out);
	if (!err)
		err = record_writer_finish(r->w);
	return err;
}

int record_kernel(const struct record_kernel_opts *o)
{
	struct rk r = { .o = o, .out = cmd_out(o->ctx), .cmd_pid = -1,
			.end = "" };
	struct sigaction old[2];
	size_t i;
	int err;

	kdamond_init(&r.k);
	damon_config_init(&r.orig);
	/* a started command runs held until the kdamond does: no race */
	signals(old);
	err = kernel_run_open(&r.kr, cmd_backend_env(o->ctx), !o->has_idx);
	err = kernel_can_record(&r, err);
	if (!err)
		err = record(&r);
	end_command(&r);
	if (r.nr_started && kernel_stop_started(&r.kr, r.nr_started)) {
		diag_add(&r.kr.diag, "", "cannot stop the kdamond damo started for the recording; stop it with 'damo stop'");
		err = err ? err : -EIO;
	}
	sigaction(SIGINT, &old[0], NULL);
	sigaction(SIGTERM, &old[1], NULL);
	if (!err && !strcmp(r.end, "command exited") &&
	    WIFEXITED(r.cmd_status) && WEXITSTATUS(r.cmd_status))
		out_warn(r.out, "the command exited with status %d",
			 WEXITSTATUS(r.cmd_status));
	if (!err)
		print_summary(&r);
	cmd_diag_report(r.out, &r.kr.diag, false);
	record_writer_free(r.w);
	for (i = 0; i < r.nr_t; i++)
		snapshot_release(&r.t[i].s);
	free(r.t);
	kdamond_release(&r.k);
	damon_config_release(&r.orig);
	kernel_close(&r.kr);
	return err;
}
