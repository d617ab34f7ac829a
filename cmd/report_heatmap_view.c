/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 'damo report heatmap --interactive': the record file behind the viewer of
 * tui/heatview.h.  Every view change streams the file again (memory: one
 * snapshot plus the grid), with errors turned into a line for the viewer's
 * status bar rather than printed over the screen.
 */
#include "report_heatmap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report_common.h"

#include "core/diag.h"
#include "core/heatmap.h"
#include "core/report/heatmap.h"
#include "core/out.h"
#include "core/record_guide.h"
#include "core/snapshot.h"
#include "core/xalloc.h"
#include "formats/record.h"
#include "tui/heatview.h"

struct view_src {
	const char *path;
	struct record_guide *gs;	/* owned: the last load's */
	size_t nr;
	struct stat st;			/* the file as last loaded */
	bool has_st;
};

static void release_guides(struct view_src *src)
{
	size_t i;

	for (i = 0; i < src->nr; i++)
		record_guide_release(&src->gs[i]);
	free(src->gs);
	src->gs = NULL;
	src->nr = 0;
}

/* Open the file; on failure the reason into @msg. */
static int src_open(struct view_src *src, struct report_input *in, char *msg,
		    size_t msgsz)
{
	char *s;
	int err;

	diag_init(&in->diag);
	/* no progress line over the viewer's screen */
	in->progress = (struct read_progress){ .out = NULL };
	err = record_open(src->path, &in->rd, &in->diag);
	if (err) {
		if (in->diag.nr) {
			s = diag_format(&in->diag.v[0]);
			snprintf(msg, msgsz, "%s", s);
			free(s);
		} else {
			snprintf(msg, msgsz, "cannot read '%s': %s", src->path,
				 strerror(-err));
		}
		diag_release(&in->diag);
	}
	return err;
}

/* A read error of @in into @msg; returns -EINVAL. */
static int src_failed(struct report_input *in, char *msg, size_t msgsz)
{
	char *s;

	if (in->diag.nr) {
		s = diag_format(&in->diag.v[0]);
		snprintf(msg, msgsz, "%s", s);
		free(s);
	} else {
		snprintf(msg, msgsz, "cannot read the record file");
	}
	return -EINVAL;
}

static void label_target(struct heatview_target *t,
			 const struct record_guide *g)
{
	size_t n = 0;

	n += (size_t)snprintf(t->label, sizeof(t->label), "target %llu",
			      (unsigned long long)g->target_id);
	if (g->kdamond_idx != SNAP_NONE && n < sizeof(t->label))
		n += (size_t)snprintf(t->label + n, sizeof(t->label) - n,
				      ", kdamond %lld", g->kdamond_is_stat ?
				      -1LL : (long long)g->kdamond_idx);
	if (g->context_idx != SNAP_NONE && n < sizeof(t->label))
		n += (size_t)snprintf(t->label + n, sizeof(t->label) - n,
				      ", context %llu",
				      (unsigned long long)g->context_idx);
	if (g->scheme_idx != SNAP_NONE && n < sizeof(t->label))
		snprintf(t->label + n, sizeof(t->label) - n, ", scheme %llu",
			 (unsigned long long)g->scheme_idx);
}

/* The hottest contiguous region of every target, one pass. */
static int find_hottest(struct view_src *src, struct heatview_target *ts,
			char *msg, size_t msgsz)
{
	struct heatmap_hot_model m;
	struct report_input in;
	size_t i;
	int err;

	err = src_open(src, &in, msg, msgsz);
	if (err)
		return err;
	heatmap_hot_model_init(&m, src->gs, src->nr);
	err = report_feed(&in, &m.sink);
	if (err < 0)
		err = src_failed(&in, msg, msgsz);
	for (i = 0; !err && i < src->nr; i++)
		ts[i].hottest = heatmap_hot_model_result(&m, i);
	heatmap_hot_model_release(&m);
	report_close(&in);
	return err;
}

/* Records without snapshots have nothing to show: leave them out. */
static void drop_empty(struct view_src *src)
{
	size_t i, n = 0;

	for (i = 0; i < src->nr; i++) {
		if (src->gs[i].nr_snapshots)
			src->gs[n++] = src->gs[i];
		else
			record_guide_release(&src->gs[i]);
	}
	src->nr = n;
}

static int src_load(void *arg, struct heatview_target **tsp, size_t *nr,
		    char *msg, size_t msgsz)
{
	struct view_src *src = arg;
	struct heatview_target *ts;
	struct report_input in;
	struct stat st;
	size_t i;
	int err;

	src->has_st = !stat(src->path, &st);
	if (src->has_st)
		src->st = st;
	release_guides(src);
	err = src_open(src, &in, msg, msgsz);
	if (err)
		return err;
	err = report_read_guides(&in, &src->gs, &src->nr);
	if (err < 0)
		err = src_failed(&in, msg, msgsz);
	report_close(&in);
	if (err)
		return err;
	drop_empty(src);
	ts = xcalloc(src->nr ? src->nr : 1, sizeof(*ts));
	for (i = 0; i < src->nr; i++) {
		label_target(&ts[i], &src->gs[i]);
		ts[i].t0 = src->gs[i].start_ns;
		ts[i].t1 = src->gs[i].end_ns;
		ts[i].nr_regions = src->gs[i].nr_gaps + 1;
		ts[i].regions = xcalloc(ts[i].nr_regions,
					sizeof(*ts[i].regions));
		record_guide_regions(&src->gs[i], ts[i].regions);
	}
	err = find_hottest(src, ts, msg, msgsz);
	if (err) {
		for (i = 0; i < src->nr; i++)
			free(ts[i].regions);
		free(ts);
		return err;
	}
	*tsp = ts;
	*nr = src->nr;
	return 0;
}

static int src_bin(void *arg, size_t idx, struct heatmap *hm, bool *hz,
		   char *msg, size_t msgsz)
{
	struct view_src *src = arg;
	struct heatmap_bin_model m;
	struct report_input in;
	int err;

	*hz = false;
	if (idx >= src->nr)
		return -EINVAL;
	err = src_open(src, &in, msg, msgsz);
	if (err)
		return err;
	heatmap_bin_model_init(&m, hm, &src->gs[idx]);
	err = report_feed(&in, &m.sink);
	if (err < 0)
		err = src_failed(&in, msg, msgsz);
	*hz = m.hz;
	heatmap_bin_model_release(&m);
	report_close(&in);
	return err;
}

static bool src_changed(void *arg)
{
	struct view_src *src = arg;
	struct stat st;

	if (stat(src->path, &st))
		return false;
	return !src->has_st || st.st_ino != src->st.st_ino ||
	       st.st_size != src->st.st_size ||
	       st.st_mtim.tv_sec != src->st.st_mtim.tv_sec ||
	       st.st_mtim.tv_nsec != src->st.st_mtim.tv_nsec;
}

static const struct heatview_ops view_ops = {
	.load = src_load,
	.bin = src_bin,
	.changed = src_changed,
};

int heatmap_view(struct damo_ctx *ctx, const struct heatmap_args *a,
		 const struct record_guide *gs, size_t nr, size_t first)
{
	struct view_src src = { .path = a->ro.input };
	struct heatview_conf conf = {
		.name = a->ro.input,
		/* in colour, as images are, unless told otherwise */
		.set = a->colorset < 0 ? HEATMAP_VIRIDIS :
		       (enum heatmap_colorset)a->colorset,
		.color = a->color < 0 ? !ctx->opts.no_color &&
					!getenv("NO_COLOR") &&
					(!a->screen_cols ||
					 isatty(STDOUT_FILENO)) : a->color,
		.follow = a->follow,
		.follow_ms = 1000,
		.first = first,
	};
	struct guide_range r;
	char msg[256] = "";
	size_t i;
	int err;

	/* the viewer's targets are the records that have snapshots */
	for (i = 0; i < first && i < nr; i++)
		if (!gs[i].nr_snapshots)
			conf.first--;
	if (a->has_time_range &&
	    !heatmap_resolve_range(&a->time_range, gs[first].start_ns,
				   gs[first].end_ns, &r)) {
		conf.t0 = r.start;
		conf.t1 = r.end;
	}
	if (a->nr_addr_ranges &&
	    !heatmap_resolve_range(&a->addr_ranges[0], gs[first].lowest_addr,
				   0, &r)) {
		conf.a0 = r.start;
		conf.a1 = r.end;
	}
	if (a->screen_cols)
		err = heatview_render(&view_ops, &src, &conf, a->screen_rows,
				      a->screen_cols, 256, stdout, msg,
				      sizeof(msg));
	else
		err = heatview_run(&view_ops, &src, &conf, msg, sizeof(msg));
	release_guides(&src);
	if (err)
		out_error(cmd_out(ctx), "%s", msg[0] ? msg :
			  "cannot show the interactive viewer");
	return err;
}
