/* SPDX-License-Identifier: GPL-2.0 */
/* The one record loop of damo record (cmd/record_loop.h). */
#include "cmd/record_loop.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "core/diag.h"
#include "core/out.h"
#include "core/report/filter.h"
#include "core/snapshot.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "formats/record_write.h"

#define SEC_NS 1000000000ULL
#define PROGRESS_NS SEC_NS
/* How long a command has to end on SIGTERM before it gets SIGKILL. */
#define END_GRACE_NS (3 * SEC_NS)

static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
	caught = sig;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * SEC_NS + (uint64_t)ts.tv_nsec;
}

static struct record_loop *loop_of(struct snap_sink *sink)
{
	return (struct record_loop *)sink;
}

static size_t sink_add(struct snap_sink *sink, const struct record_meta *m)
{
	struct record_loop *l = loop_of(sink);
	size_t rec = record_writer_add(l->w, m);

	if (rec >= l->nr_records) {
		l->is_scheme = xreallocarray(l->is_scheme, rec + 1,
					     sizeof(*l->is_scheme));
		memset(l->is_scheme + l->nr_records, 0,
		       (rec + 1 - l->nr_records) * sizeof(*l->is_scheme));
		l->metas = xreallocarray(l->metas, rec + 1, sizeof(*l->metas));
		l->nr_in = xreallocarray(l->nr_in, rec + 1, sizeof(*l->nr_in));
		for (size_t i = l->nr_records; i <= rec; i++) {
			record_meta_init(&l->metas[i]);
			l->nr_in[i] = 0;
		}
		l->nr_records = rec + 1;
	}
	l->is_scheme[rec] = m->scheme_idx != SNAP_NONE;
	/* what the filters look at: the record's intervals */
	l->metas[rec].has_intervals = m->has_intervals;
	l->metas[rec].intervals = m->intervals;
	return rec;
}

/* @dst becomes a copy of @src (its storage reused). */
static void snap_copy(struct snapshot *dst, const struct snapshot *src)
{
	size_t i;

	snapshot_clear(dst);
	dst->start_ns = src->start_ns;
	dst->end_ns = src->end_ns;
	dst->total_bytes = src->total_bytes;
	dst->sample_interval_us = src->sample_interval_us;
	dst->has_stats = src->has_stats;
	dst->stats = src->stats;
	for (i = 0; i < src->nr_regions; i++)
		*snapshot_add_region(dst) = src->regions[i];
	for (i = 0; src->nr_probes && i < src->nr_regions; i++)
		memcpy(snapshot_region_probes(dst, i, src->nr_probes),
		       src->probe_hits + i * src->nr_probes,
		       src->nr_probes * sizeof(*src->probe_hits));
}

static int sink_snapshot(struct snap_sink *sink, size_t rec,
			 const struct snapshot *s)
{
	struct record_loop *l = loop_of(sink);

	if (l->werr)
		return l->werr;
	if (l->skip_access)
		return 0;
	if (l->filter && report_filter_is_set(l->filter) &&
	    rec < l->nr_records) {
		snap_copy(&l->scratch, s);
		if (!report_filter_snapshot(l->filter, &l->metas[rec],
					    &l->scratch, l->nr_in[rec]++))
			return 0;	/* filtered out, as damo's record does */
		s = &l->scratch;
	}
	l->werr = record_writer_snapshot(l->w, rec, s);
	if (l->werr)
		return l->werr;
	/*
	 * A recording through tried regions (--snapshot) has only a scheme's
	 * record: its snapshots are the recording's until a target's come.
	 */
	if (s->start_ns != SNAP_NONE && s->end_ns != SNAP_NONE &&
	    s->end_ns > s->start_ns)
		l->aggr_ns = s->end_ns - s->start_ns;
	if (rec < l->nr_records && l->is_scheme[rec]) {
		l->nr_scheme_snapshots++;
		l->nr_scheme_regions += s->nr_regions;
	} else {
		l->nr_snapshots++;
		l->nr_regions += s->nr_regions;
	}
	return 0;
}

static int sink_rss(struct snap_sink *sink, size_t rec, uint64_t time_ns,
		    uint64_t rss_bytes, uint64_t vsz_bytes)
{
	struct record_loop *l = loop_of(sink);

	if (!l->werr && !l->skip_footprint)
		l->werr = record_writer_rss(l->w, rec, time_ns, rss_bytes,
					    vsz_bytes);
	return l->werr;
}

/* One line rewritten on a terminal; with --json a progress object a line. */
/* The recording's snapshots and regions (see sink_snapshot()). */
static uint64_t nr_snapshots(const struct record_loop *l)
{
	return l->nr_snapshots ? l->nr_snapshots : l->nr_scheme_snapshots;
}

static uint64_t nr_regions(const struct record_loop *l)
{
	return l->nr_snapshots ? l->nr_regions : l->nr_scheme_regions;
}

static void show_progress(struct record_loop *l, uint64_t el)
{
	char a[UNITS_BUFSZ], b[UNITS_BUFSZ], c[UNITS_BUFSZ], d[UNITS_BUFSZ];
	char e[UNITS_BUFSZ];
	uint64_t rate = el ? (uint64_t)((unsigned __int128)nr_regions(l) *
					SEC_NS / el) : 0;

	l->shown_ns = el;
	if (out_is_json(l->out)) {
		out_begin_obj(l->out, NULL);
		out_begin_obj(l->out, "progress");
		out_time(l->out, "elapsed_us", el / 1000, UNITS_US);
		out_u64(l->out, "snapshots", nr_snapshots(l));
		out_u64(l->out, "regions", nr_regions(l));
		out_u64(l->out, "regions_per_s", rate);
		out_size(l->out, "bytes", record_writer_bytes(l->w));
		out_end_obj(l->out);
		out_end_obj(l->out);
		fflush(stdout);
		return;
	}
	out_progress(l->out, "recording %s: %s, %s snapshots, %s regions, %s regions/s, %s written",
		     l->what ? l->what : "",
		     units_fmt_time(a, el, UNITS_NS, false),
		     units_fmt_nr(b, nr_snapshots(l), false),
		     units_fmt_nr(c, nr_regions(l), false),
		     units_fmt_nr(d, rate, false),
		     units_fmt_sz(e, record_writer_bytes(l->w), false));
}

bool record_loop_stopping(struct record_loop *l)
{
	uint64_t el = mono_ns() - l->t0_ns;
	int st;

	if (l->end)
		return true;
	if (caught) {
		l->end = caught == SIGINT ? "interrupted" : "terminated";
		return true;
	}
	if (l->duration_ns && el >= l->duration_ns) {
		l->end = "duration";
		return true;
	}
	if (l->max_snapshots && nr_snapshots(l) >= l->max_snapshots) {
		l->end = "snapshot count";
		return true;
	}
	if (l->command > 0 && waitpid(l->command, &st, WNOHANG) == l->command) {
		l->command = -1;
		l->command_status = st;
		l->end = "command exited";
		return true;
	}
	return false;
}

/* Polled at least every 100 ms: stop?  Keep the file and progress current. */
static bool sink_should_stop(struct snap_sink *sink)
{
	struct record_loop *l = loop_of(sink);
	uint64_t el = mono_ns() - l->t0_ns;

	if (record_loop_stopping(l))
		return true;
	if (el - l->shown_ns >= PROGRESS_NS) {
		record_writer_flush(l->w);
		show_progress(l, el);
	}
	return false;
}

int record_loop_begin(struct record_loop *l, struct out *out,
		      const char *output, enum record_format fmt,
		      uint64_t duration_ns, struct diag *d)
{
	struct sigaction sa = { .sa_handler = on_signal };
	size_t nr = d->nr;

	memset(l, 0, sizeof(*l));
	snapshot_init(&l->scratch);
	l->sink = (struct snap_sink){
		.add = sink_add, .snapshot = sink_snapshot, .rss = sink_rss,
		.should_stop = sink_should_stop,
	};
	l->out = out;
	l->output = output;
	l->fmt = fmt;
	l->duration_ns = duration_ns;
	l->seed = SNAP_NONE;
	l->virtual_ns = SNAP_NONE;
	l->command = -1;
	l->diag = d;
	sigemptyset(&sa.sa_mask);
	caught = 0;
	sigaction(SIGINT, &sa, &l->old_int);
	sigaction(SIGTERM, &sa, &l->old_term);
	l->w = record_writer_open(output, fmt, d);
	l->t0_ns = mono_ns();
	if (!l->w) {
		diag_add(d, output, "damo does not write records in this format");
		return -EINVAL;
	}
	/* an output that cannot be written fails now, not after the start */
	return d->nr > nr ? -EIO : 0;
}

void record_loop_set_info(struct record_loop *l,
			  const struct record_info *info)
{
	record_writer_set_info(l->w, info);
}

void record_loop_end_command(struct record_loop *l)
{
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	uint64_t until;

	if (l->command <= 0)
		return;
	kill(l->command, SIGTERM);
	until = mono_ns() + END_GRACE_NS;
	while (waitpid(l->command, &l->command_status, WNOHANG) == 0) {
		if (mono_ns() >= until) {
			kill(l->command, SIGKILL);
			waitpid(l->command, &l->command_status, 0);
			break;
		}
		nanosleep(&tick, NULL);
	}
	l->command = -1;
}

/* The same keys whatever produced the snapshots; null where not known. */
static void print_summary(struct record_loop *l)
{
	struct out *o = l->out;
	const char *fmt = record_format_name(l->fmt);
	char a[UNITS_BUFSZ], b[UNITS_BUFSZ], c[UNITS_BUFSZ], e[UNITS_BUFSZ];

	if (!out_is_json(o)) {
		if (l->virtual_ns == SNAP_NONE)
			snprintf(e, sizeof(e), "%s", l->end);
		else
			snprintf(e, sizeof(e), "%s, %s of wall time", l->end,
				 units_fmt_time(c, l->wall_ns, UNITS_NS,
						false));
		out_text(o, "recorded %s snapshots with %s regions of %s in %s%s (%s) to '%s' (%s)\n",
			 units_fmt_nr(a, nr_snapshots(l), false),
			 units_fmt_nr(b, nr_regions(l), false), l->what,
			 units_fmt_time(c, l->virtual_ns == SNAP_NONE ?
					l->wall_ns : l->virtual_ns,
					UNITS_NS, false),
			 l->virtual_ns == SNAP_NONE ? "" : " of virtual time",
			 e, l->output, fmt);
		return;
	}
	out_begin_obj(o, NULL);
	out_str(o, "output", l->output);
	out_str(o, "format", fmt);
	out_str(o, "source", l->source);
	if (l->id)
		out_str(o, "kdamond", l->id);
	else
		out_null(o, "kdamond");
	if (l->seed != SNAP_NONE)
		out_u64(o, "seed", l->seed);
	else
		out_null(o, "seed");
	out_u64(o, "records", l->nr_records);
	out_u64(o, "snapshots", nr_snapshots(l));
	out_u64(o, "regions", nr_regions(l));
	out_u64(o, "scheme_snapshots", l->nr_scheme_snapshots);
	out_u64(o, "dropped_snapshots", l->nr_dropped);
	if (l->virtual_ns != SNAP_NONE)
		out_time(o, "virtual_us", l->virtual_ns / 1000, UNITS_US);
	else
		out_null(o, "virtual_us");
	out_time(o, "wall_us", l->wall_ns / 1000, UNITS_US);
	out_str(o, "end", l->end);
	out_end_obj(o);
}

int record_loop_end(struct record_loop *l, int err)
{
	l->wall_ns = mono_ns() - l->t0_ns;
	if (!out_is_json(l->out))
		out_progress_end(l->out);
	if (!err)
		err = l->werr;
	if (!err && l->w)
		err = record_writer_finish(l->w);
	sigaction(SIGINT, &l->old_int, NULL);
	sigaction(SIGTERM, &l->old_term, NULL);
	if (!l->end)
		l->end = "end of the monitor";
	/* a report needs two snapshots to say anything over time */
	if (!err && nr_snapshots(l) < 2 && !l->skip_access) {
		char a[UNITS_BUFSZ], b[UNITS_BUFSZ];

		if (l->aggr_ns)
			out_warn(l->out, "only %llu snapshot in %s: each is one aggregation interval (%s here); record longer or with a shorter aggregation interval",
				 (unsigned long long)nr_snapshots(l),
				 units_fmt_time(a, l->wall_ns, UNITS_NS, false),
				 units_fmt_time(b, l->aggr_ns, UNITS_NS, false));
		else
			out_warn(l->out, "%s snapshots in %s: the monitor ended or aggregated nothing before the recording did",
				 nr_snapshots(l) ? "only 1" : "no",
				 units_fmt_time(a, l->wall_ns, UNITS_NS, false));
	}
	if (!err && !strcmp(l->end, "command exited") &&
	    WIFEXITED(l->command_status) && WEXITSTATUS(l->command_status))
		out_warn(l->out, "the command exited with status %d",
			 WEXITSTATUS(l->command_status));
	if (!err)
		print_summary(l);
	record_writer_free(l->w);
	l->w = NULL;
	free(l->is_scheme);
	l->is_scheme = NULL;
	for (size_t i = 0; i < l->nr_records; i++)
		record_meta_release(&l->metas[i]);
	free(l->metas);
	l->metas = NULL;
	free(l->nr_in);
	l->nr_in = NULL;
	snapshot_release(&l->scratch);
	return err;
}
