/* SPDX-License-Identifier: GPL-2.0 */
/* Functions shared by the DAMOS engine's files; not for other callers. */
#ifndef DAMO_CORE_DAMOS_PRIVATE_H
#define DAMO_CORE_DAMOS_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct damos_engine;
struct damos_scheme_state;
struct mon_region;
struct monitor;

/* __damos_valid_target(): the access pattern alone. */
bool damos_pattern_ok(const struct damos_scheme_state *st,
		      const struct mon_region *r);
/* The ops score of @r for scheme @st under @mon's attrs. */
unsigned int damos_region_score(const struct monitor *mon,
				const struct damos_scheme_state *st,
				const struct mon_region *r);
/* damos_adjust_quota(): windows, effective quota, min_score. */
void damos_quota_adjust(struct damos_engine *e, struct monitor *mon,
			size_t si);
/*
 * damos_core_filter_out() - damos_filter_out(): whether the core filters
 * reject region @ri of target @ti (addr filters may split it first).
 */
bool damos_core_filter_out(struct monitor *mon, size_t ti, size_t ri,
			   struct damos_scheme_state *st);
/*
 * damos_ops_apply() - hand region @ri to the action interface through the
 * ops filters; returns bytes applied and sets *passed to the bytes that
 * passed the ops filters.
 */
uint64_t damos_ops_apply(struct damos_engine *e, struct monitor *mon,
			 size_t ti, size_t ri, size_t si, uint64_t *passed);

#endif /* DAMO_CORE_DAMOS_PRIVATE_H */
