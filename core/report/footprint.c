/* SPDX-License-Identifier: GPL-2.0 */
/* Memory footprint distributions. */
#include "footprint.h"

#include <string.h>

const char *const fp_metric_names[NR_FP_METRICS] = {
	"vsz", "rss", "sys_used",
};

void fp_model_init(struct fp_model *m, bool by_time)
{
	memset(m, 0, sizeof(*m));
	m->by_time = by_time;
}

void fp_model_release(struct fp_model *m)
{
	int i;

	for (i = 0; i < NR_FP_METRICS; i++)
		report_dist_release(&m->d[i]);
}

/* Close the open sampling time: its values join the distributions. */
static void flush(struct fp_model *m)
{
	int i;

	if (!m->open)
		return;
	for (i = 0; i < NR_FP_METRICS; i++)
		report_dist_push(&m->d[i], m->cur[i]);
	memset(m->cur, 0, sizeof(m->cur));
	m->open = false;
}

void fp_model_add(struct fp_model *m, uint64_t seq, bool system,
		  uint64_t vsz, uint64_t rss, uint64_t sys_used)
{
	if (m->open && seq != m->seq)
		flush(m);
	m->open = true;
	m->seq = seq;
	if (system) {
		m->cur[FP_SYS_USED] = sys_used;
		return;
	}
	m->cur[FP_VSZ] += vsz;
	m->cur[FP_RSS] += rss;
}

const struct report_dist *fp_model_result(struct fp_model *m,
					  enum fp_metric metric)
{
	int i;

	if (!m->done) {
		m->done = true;
		flush(m);
		for (i = 0; i < NR_FP_METRICS && !m->by_time; i++)
			report_dist_sort(&m->d[i]);
	}
	return &m->d[metric];
}
