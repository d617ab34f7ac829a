/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Workload models for the synthetic access source in a small YAML or JSON
 * file, read into struct synth_model with file:line:col diagnostics.
 *
 * The keys mirror struct synth_model (core/sources/synthetic.h):
 *
 *   ops: vaddr              # vaddr (default): regions come from the
 *                           #   mappings as vaddr's three regions, updated
 *                           #   every ops_update_us; fvaddr: each mapping
 *                           #   is a fixed monitoring region
 *   writes_only: false      # the source sees writes only (soft-dirty-like)
 *   repeat: true            # loop over the phases (default false: run them
 *                           #   once, then the last one lasts)
 *   mappings:               # the address space: disjoint ranges
 *     - name: area          # optional, unique; ranges refer to it
 *       start: 0x7f0000000000   # an address: hex, or decimal ("4 GiB" too)
 *       size: 64 MiB        # or end: ADDRESS (exclusive)
 *   phases:                 # in order; at least one
 *     - duration_us: 2 s    # a time (bare numbers are µs); 0: lasts
 *                           #   forever, for the last phase only
 *       ranges:             # what is accessed meanwhile (default: nothing)
 *         - mapping: area   # the mapping the range lies in
 *           offset: 16 MiB  # from the mapping's start; or start: ADDRESS
 *           size: 16 MiB    # or end: ADDRESS
 *           access_bp: 90 % # chance to be found accessed in one sample:
 *                           #   a percentage, or basis points (9000)
 *           write: true     # the accesses are writes (default false)
 *
 * A range lies inside one mapping (the named one, or any when only start
 * is given) and does not overlap the other ranges of its phase.
 */
#ifndef DAMO_FORMATS_WORKLOAD_H
#define DAMO_FORMATS_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/sources/synthetic.h"

struct diag;

struct workload {
	struct synth_model model;
	enum synth_kind kind;		/* ops: vaddr or fvaddr */
	bool writes_only;
};

/*
 * workload_parse() - read a model from @len bytes of @buf.
 * @name: file name for diagnostics (borrowed)
 * Every problem goes to @diag with its file, line, column and key path
 * ("phases[1].ranges[0].access_bp").
 * Return: 0, or -EINVAL with @w released.
 */
int workload_parse(const char *buf, size_t len, const char *name,
		   struct workload *w, struct diag *diag);

/* workload_parse() of a file; "-" reads standard input.  -errno on I/O. */
int workload_load(const char *path, struct workload *w, struct diag *diag);

void workload_release(struct workload *w);

#endif /* DAMO_FORMATS_WORKLOAD_H */
