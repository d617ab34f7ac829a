/* SPDX-License-Identifier: GPL-2.0 */
/* damo's text of kdamonds, for report damon and args damon --format report. */
#ifndef DAMO_CMD_REPORT_DAMON_H
#define DAMO_CMD_REPORT_DAMON_H

#include <stdbool.h>
#include <stddef.h>

struct kdamond;
struct out;

struct report_damon_show {
	bool raw;		/* plain numbers */
	bool params_only;	/* no state, pid, stats, tried regions */
	bool omit_tried_regions;
	bool no_stats;		/* neither stats nor tried regions (args damon) */
};

/*
 * report_damon_print() - "kdamond IDX" and @k as damo's text, through
 * out_text().  @cpu_usage: the kdamond's CPU usage as shown, or NULL.
 */
void report_damon_print(struct out *o, size_t idx, const struct kdamond *k,
			const struct report_damon_show *how,
			const char *cpu_usage);

/* damo's one-line summary of @k ("state: on, pid: 1234") into @buf. */
void report_damon_summary(char *buf, size_t len, const struct kdamond *k,
			  const struct report_damon_show *how,
			  const char *cpu_usage);

#endif /* DAMO_CMD_REPORT_DAMON_H */
