/* SPDX-License-Identifier: GPL-2.0 */
/* --plot of report wss, nr_regions and footprints: the image of a dist. */
#include "report_common.h"

#include <string.h>

#include "core/dist_plot.h"
#include "core/out.h"
#include "core/xalloc.h"
#include "formats/dist_image.h"

static void add_point(struct report_plot *pl, double x, double y)
{
	xgrow((void **)&pl->pts, pl->nr + 1, &pl->cap, sizeof(*pl->pts));
	pl->pts[pl->nr].x = x;
	pl->pts[pl->nr++].y = y;
}

void report_plot_add(struct report_plot *pl, const struct report_dist *d,
		     const struct report_opts *ro, bool all)
{
	size_t i, n = report_range_len(&ro->range);

	for (i = 0; d->n && all && i < d->n; i++)
		add_point(pl, (double)i, (double)d->v[i]);
	for (i = 0; d->n && !all && i < n; i++) {
		long p = report_range_at(&ro->range, i);

		add_point(pl, (double)p, (double)report_dist_pct(d, p));
	}
}

int report_plot_write(struct damo_ctx *ctx, struct report_plot *pl,
		      const struct report_opts *ro, const char *ylabel,
		      bool bytes)
{
	struct dist_plot plot;
	const char *what = "write";
	int err;

	/* damo's axis: runtime order, or the sorted values' percentiles */
	dist_plot_init(&plot, pl->pts, pl->nr,
		       ro->by_time ? "runtime (percent)" : "percentile",
		       ylabel, bytes);
	err = dist_image_write(&plot, (enum dist_image_format)
			       dist_image_format_of(ro->plot), ro->plot, &what);
	if (err)
		out_error(cmd_out(ctx), "cannot %s '%s': %s", what, ro->plot,
			  strerror(-err));
	free(pl->pts);
	memset(pl, 0, sizeof(*pl));
	return err;
}
