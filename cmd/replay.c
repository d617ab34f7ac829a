/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo replay: re-create the access pattern of a record as a running
 * workload (damo's replay).  The first record of the file (any format the
 * reports read) is loaded; every address range some snapshot saw accessed
 * gets memory of its own, in address order, so that the replay's address
 * space has the record's layout inside each range; then each snapshot is
 * played for its own duration: its aggregation is cut into as many slices
 * as it has samples, and in slice i every region accessed more than i
 * times is written, one byte a page.
 */
#include "cmd.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "cmd/report_common.h"
#include "core/out.h"
#include "core/snap_sink.h"
#include "core/snapshot.h"
#include "core/units.h"
#include "core/xalloc.h"

#define REPLAY_MAX_REGIONS (16u << 20)	/* regions kept over all snapshots */

struct replay_args {
	struct damo_ctx *ctx;
	const char *input;
	uint64_t notice_us;		/* progress every; 0: damo's 3 s */
	bool test_perf;
	uint64_t perf_sz;
	uint64_t perf_runtime_us;
};

struct rp_region {
	uint64_t start, end;
	uint64_t nr_accesses;
};

struct rp_snap {
	uint64_t start_ns, end_ns;
	size_t first, nr;		/* into the regions */
};

/* A range of recorded addresses and the memory it is replayed in. */
struct rp_map {
	uint64_t start, end;
	unsigned char *mem;
};

struct replayer {
	struct snap_sink sink;
	size_t nr_recs;
	bool has_intervals;
	uint64_t sample_us, aggr_us;
	struct rp_region *regions;
	size_t nr_regions, cap_regions;
	struct rp_snap *snaps;
	size_t nr_snaps, cap_snaps;
	bool too_big;
	struct rp_map *maps;
	size_t nr_maps;
	long page;
};

enum {
	OPT_NOTICE = 0x840,
	OPT_TEST_PERF,
	OPT_PERF_SZ,
	OPT_PERF_RUNTIME,
};

static const struct argp_option replay_options[] = {
	{ "progress-notice-interval", OPT_NOTICE, "TIME", 0,
	  "How often to say how far the replay is (default 3 s)", 0 },
	CMD_ALIAS("progress_notice_interval", OPT_NOTICE),
	{ "test-perf", OPT_TEST_PERF, NULL, 0,
	  "Measure how fast the replayer writes memory instead", 0 },
	CMD_ALIAS("test_perf", OPT_TEST_PERF),
	{ "test-perf-sz-mem", OPT_PERF_SZ, "SIZE", 0,
	  "Memory --test-perf writes (default 1 GiB)", 0 },
	CMD_ALIAS("test_perf_sz_mem", OPT_PERF_SZ),
	{ "test-perf-runtime", OPT_PERF_RUNTIME, "TIME", 0,
	  "How long --test-perf runs (default 1 m)", 0 },
	CMD_ALIAS("test_perf_runtime", OPT_PERF_RUNTIME),
	{ 0 }
};

static const struct argp_child replay_children[] = {
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

/* damo's times here: a bare number is seconds. */
static int parse_secs(const char *s, uint64_t *us)
{
	uint64_t v;

	if (s[0] && strspn(s, "0123456789") == strlen(s)) {
		if (units_parse_nr(s, &v) || v > UINT64_MAX / 1000000)
			return -EINVAL;
		*us = v * 1000000;
		return 0;
	}
	return units_parse_time(s, 1000, us);
}

/* Physical memory / 2: the most a replay or --test-perf may write. */
static uint64_t mem_limit(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);

	if (pages <= 0 || psz <= 0)
		return 1ull << 30;
	return (uint64_t)pages * (uint64_t)psz / 2;
}

static error_t replay_parse(int key, char *arg, struct argp_state *state)
{
	struct replay_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, replay_children, a->ctx);
		return 0;
	case OPT_NOTICE:
		if (parse_secs(arg, &a->notice_us) ||
		    !a->notice_us)
			argp_error(state, "--progress_notice_interval: '%s' is not a time above 0",
				   arg);
		return 0;
	case OPT_TEST_PERF:
		a->test_perf = true;
		return 0;
	case OPT_PERF_SZ:
		if (units_parse_size(arg, &a->perf_sz) ||
		    !a->perf_sz || a->perf_sz > mem_limit())
			argp_error(state, "--test_perf_sz_mem: '%s' is not a size above 0 and at most half of the memory (%" PRIu64 " bytes)",
				   arg, mem_limit());
		return 0;
	case OPT_PERF_RUNTIME:
		if (parse_secs(arg, &a->perf_runtime_us) || !a->perf_runtime_us)
			argp_error(state, "--test_perf_runtime: '%s' is not a time above 0",
				   arg);
		return 0;
	case ARGP_KEY_ARG:
		if (state->arg_num)
			argp_error(state, "unexpected argument '%s'", arg);
		a->input = arg;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp replay_argp = {
	.options = replay_options,
	.parser = replay_parse,
	.args_doc = "[FILE]",
	.doc = "Re-create the access pattern of a record as a running workload "
	       "(damo's replay).\v"
	       "FILE (default damon.data) may be in any format the reports "
	       "read; its first record is played.  Each address range some "
	       "snapshot saw accessed gets memory of its own (so the replay's "
	       "layout within a range is the record's), then each snapshot is "
	       "played for as long as it lasted: in each sampling interval, "
	       "the regions DAMON saw accessed in that many samples are "
	       "written, a byte a page.  What is written is bounded by half "
	       "the memory.  Record the replay to see the pattern again:\n\n"
	       "  damo record -o again.data -- damo replay damon.data\n\n"
	       "--test-perf instead writes --test-perf-sz-mem bytes over and "
	       "over and prints how fast, every second.",
	.children = replay_children,
};

static size_t rp_add(struct snap_sink *sink, const struct record_meta *meta)
{
	struct replayer *r = (struct replayer *)sink;

	if (!r->nr_recs && meta->has_intervals) {
		r->has_intervals = true;
		r->sample_us = meta->intervals.sample_us;
		r->aggr_us = meta->intervals.aggr_us;
	}
	return r->nr_recs++;
}

static int rp_snapshot(struct snap_sink *sink, size_t rec,
		       const struct snapshot *s)
{
	struct replayer *r = (struct replayer *)sink;
	struct rp_snap *sn;
	size_t i;

	if (rec || r->too_big)
		return 0;	/* damo replays the first record */
	if (r->nr_regions + s->nr_regions > REPLAY_MAX_REGIONS) {
		r->too_big = true;
		return -E2BIG;
	}
	if (!r->has_intervals && s->sample_interval_us != SNAP_NONE &&
	    s->sample_interval_us)
		r->sample_us = s->sample_interval_us;
	xgrow((void **)&r->snaps, r->nr_snaps, &r->cap_snaps, sizeof(*r->snaps));
	sn = &r->snaps[r->nr_snaps++];
	sn->start_ns = s->start_ns;
	sn->end_ns = s->end_ns;
	sn->first = r->nr_regions;
	sn->nr = s->nr_regions;
	for (i = 0; i < s->nr_regions; i++) {
		xgrow((void **)&r->regions, r->nr_regions, &r->cap_regions,
		      sizeof(*r->regions));
		r->regions[r->nr_regions++] = (struct rp_region){
			s->regions[i].start, s->regions[i].end,
			s->regions[i].nr_accesses == SNAP_NONE ? 0 :
			s->regions[i].nr_accesses };
	}
	return 0;
}

static bool rp_should_stop(struct snap_sink *sink)
{
	(void)sink;
	return false;
}

static int cmp_range(const void *a, const void *b)
{
	const struct rp_region *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/*
 * Memory for every address range some snapshot saw accessed: the accessed
 * regions, page-aligned and merged, one mapping each.
 */
static int map_ranges(struct replayer *r, struct out *o)
{
	struct rp_region *acc = NULL;
	size_t nr = 0, cap = 0, i, m = 0;
	uint64_t total = 0, pg = (uint64_t)r->page, limit = mem_limit();

	for (i = 0; i < r->nr_regions; i++) {
		struct rp_region x = r->regions[i];

		if (!x.nr_accesses || x.end <= x.start)
			continue;
		x.start -= x.start % pg;
		x.end = x.end % pg ? x.end - x.end % pg + pg : x.end;
		xgrow((void **)&acc, nr, &cap, sizeof(*acc));
		acc[nr++] = x;
	}
	if (nr)
		qsort(acc, nr, sizeof(*acc), cmp_range);
	for (i = 1; i < nr; i++) {
		if (acc[i].start <= acc[m].end) {
			if (acc[i].end > acc[m].end)
				acc[m].end = acc[i].end;
		} else {
			acc[++m] = acc[i];
		}
	}
	r->nr_maps = nr ? m + 1 : 0;
	for (i = 0; i < r->nr_maps; i++)
		total += acc[i].end - acc[i].start;
	if (total > limit) {
		char a[UNITS_BUFSZ], b[UNITS_BUFSZ];

		out_error(o, "the record accessed %s in all; replaying it would write more than half the memory (%s)",
			  units_fmt_sz(a, total, false),
			  units_fmt_sz(b, limit, false));
		free(acc);
		r->nr_maps = 0;
		return -E2BIG;
	}
	r->maps = xcalloc(r->nr_maps ? r->nr_maps : 1, sizeof(*r->maps));
	for (i = 0; i < r->nr_maps; i++) {
		void *p = mmap(NULL, acc[i].end - acc[i].start,
			       PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
			       0);

		if (p == MAP_FAILED) {
			out_error(o, "cannot map %" PRIu64 " bytes to replay in: %s",
				  acc[i].end - acc[i].start, strerror(errno));
			r->nr_maps = i;
			free(acc);
			return -errno;
		}
		r->maps[i] = (struct rp_map){ acc[i].start, acc[i].end, p };
	}
	free(acc);
	return 0;
}

/* Write a byte in each page of recorded range [start, end). */
static void touch(struct replayer *r, uint64_t start, uint64_t end)
{
	size_t lo = 0, hi = r->nr_maps, mid;
	const struct rp_map *m;
	uint64_t a;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (r->maps[mid].end <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= r->nr_maps)
		return;
	m = &r->maps[lo];
	if (start < m->start)
		start = m->start;
	if (end > m->end)
		end = m->end;
	for (a = start - start % (uint64_t)r->page; a < end;
	     a += (uint64_t)r->page)
		((volatile unsigned char *)m->mem)[a - m->start + (uint64_t)r->page / 2]++;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void sleep_until(uint64_t t_ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(t_ns / 1000000000ull),
		.tv_nsec = (long)(t_ns % 1000000000ull),
	};

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

static void play(struct replayer *r, const struct replay_args *a,
		 struct out *o)
{
	uint64_t sample_us = r->sample_us ? r->sample_us : 5000;
	uint64_t aggr_us = r->aggr_us ? r->aggr_us : 100000;
	uint64_t nr_slices = aggr_us / sample_us ? aggr_us / sample_us : 1;
	uint64_t t0 = now_ns(), notice = a->notice_us ? a->notice_us : 3000000;
	uint64_t next_notice = t0 + notice * 1000, t, slice_ns, k;
	size_t i, j;

	for (i = 0; i < r->nr_snaps; i++) {
		const struct rp_snap *s = &r->snaps[i];
		uint64_t len = s->start_ns == SNAP_NONE || s->end_ns < s->start_ns ?
			       aggr_us * 1000 : s->end_ns - s->start_ns;

		slice_ns = len / nr_slices;
		t = now_ns();
		for (k = 0; k < nr_slices; k++) {
			for (j = s->first; j < s->first + s->nr; j++)
				if (r->regions[j].nr_accesses > k)
					touch(r, r->regions[j].start,
					      r->regions[j].end);
			sleep_until(t + (k + 1) * slice_ns);
		}
		if (now_ns() >= next_notice) {
			out_text(o, "%zu/%zu snapshots replayed in %.3f seconds\n",
				 i, r->nr_snaps, (double)(now_ns() - t0) / 1e9);
			fflush(stdout);
			next_notice += notice * 1000;
		}
	}
	out_text(o, "all snapshots are replayed\n");
}

/* --test-perf: write @sz bytes over and over, say how fast each second. */
static int test_perf(const struct replay_args *a, struct out *o)
{
	uint64_t sz = a->perf_sz ? a->perf_sz : 1ull << 30;
	uint64_t runtime = a->perf_runtime_us ? a->perf_runtime_us : 60000000;
	long pg = sysconf(_SC_PAGESIZE);
	uint64_t t0 = now_ns(), start = t0, next = t0 + 1000000000ull, n = 0, x;
	char buf[UNITS_BUFSZ];
	unsigned char *mem;

	if (sz > mem_limit()) {
		out_error(o, "--test_perf_sz_mem: %" PRIu64 " bytes is more than half the memory",
			  sz);
		return -E2BIG;
	}
	mem = mmap(NULL, sz, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED) {
		out_error(o, "cannot map %" PRIu64 " bytes: %s", sz, strerror(errno));
		return -errno;
	}
	for (;;) {
		for (x = 0; x < sz; x += (uint64_t)pg)
			((volatile unsigned char *)mem)[x]++;
		n++;
		if (now_ns() >= next) {
			out_text(o, "replayer can access %s memory per second\n",
				 units_fmt_sz(buf, (uint64_t)((double)(sz * n) /
					((double)(now_ns() - start) / 1e9)),
					      false));
			fflush(stdout);
			next = now_ns() + 1000000000ull;
			n = 0;
			start = now_ns();
		}
		if (now_ns() - t0 >= runtime * 1000)
			break;
	}
	munmap(mem, sz);
	return 0;
}

int cmd_replay(int argc, char **argv, struct damo_ctx *ctx)
{
	struct replay_args a = { .ctx = ctx, .input = REPORT_DEFAULT_INPUT };
	struct replayer r = {
		.sink = { .add = rp_add, .snapshot = rp_snapshot,
			  .should_stop = rp_should_stop },
		.page = sysconf(_SC_PAGESIZE),
	};
	struct report_input in;
	struct out *o;
	size_t i;
	int err;

	err = cmd_parse(&replay_argp, argc, argv, &a);
	if (err)
		return err;
	o = cmd_out(ctx);
	if (a.test_perf)
		return test_perf(&a, o);
	if (r.page <= 0)
		r.page = 4096;
	err = report_open(ctx, a.input, &in);
	if (err)
		return err;
	err = report_feed(&in, &r.sink);
	if (err == -EINVAL)
		err = report_read_failed(ctx, &in);
	else if (err == -E2BIG)
		out_error(o, "%s: more than %u regions in all; replay a part of it (damo adjust)",
			  a.input, REPLAY_MAX_REGIONS);
	report_close(&in);
	if (!err && !r.nr_recs) {
		out_error(o, "%s: no monitoring records in the file", a.input);
		err = -EINVAL;
	}
	if (!err && r.nr_recs > 1)
		out_warn(o, "%s has %zu records; replaying the first", a.input,
			 r.nr_recs);
	if (!err)
		err = map_ranges(&r, o);
	if (!err)
		play(&r, &a, o);
	for (i = 0; i < r.nr_maps; i++)
		munmap(r.maps[i].mem, r.maps[i].end - r.maps[i].start);
	free(r.maps);
	free(r.regions);
	free(r.snaps);
	return err;
}
