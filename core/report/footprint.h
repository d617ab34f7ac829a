/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The memory footprint model: fed the per-process and system samples of
 * each sampling time in order, it keeps one value per sampling time and
 * metric: vsz and rss summed over the processes, the system's used memory
 * (MemTotal - MemFree), then their distributions.
 */
#ifndef DAMO_CORE_REPORT_FOOTPRINT_H
#define DAMO_CORE_REPORT_FOOTPRINT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/report/dist.h"

enum fp_metric { FP_VSZ, FP_RSS, FP_SYS_USED, NR_FP_METRICS };

/* "vsz", "rss", "sys_used". */
extern const char *const fp_metric_names[NR_FP_METRICS];

struct fp_model {
	struct report_dist d[NR_FP_METRICS];
	uint64_t cur[NR_FP_METRICS];	/* of the open sampling time */
	uint64_t seq;			/* the open sampling time */
	bool open;
	bool done;
	bool by_time;
};

/* @by_time keeps time order instead of sorting the values. */
void fp_model_init(struct fp_model *m, bool by_time);
void fp_model_release(struct fp_model *m);

/*
 * fp_model_add() - one sample of sampling time @seq (they come in
 * order): a process's @vsz and @rss, or with @system the system's
 * @sys_used (its @vsz and @rss are ignored).
 */
void fp_model_add(struct fp_model *m, uint64_t seq, bool system,
		  uint64_t vsz, uint64_t rss, uint64_t sys_used);

/* The distribution of metric @metric; feeding ends. */
const struct report_dist *fp_model_result(struct fp_model *m,
					  enum fp_metric metric);

#endif /* DAMO_CORE_REPORT_FOOTPRINT_H */
