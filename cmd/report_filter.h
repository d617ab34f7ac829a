/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The record filter options that report access and adjust share, as an
 * argp child parsing into a struct report_filter (core/report/filter.h).
 */
#ifndef DAMO_CMD_REPORT_FILTER_H
#define DAMO_CMD_REPORT_FILTER_H

#include <argp.h>

#include "core/report/filter.h"
#include "core/report/region.h"

/*
 * The filter options.  Its input is a struct report_filter: a parent sets
 * it in its ARGP_KEY_INIT (state->child_inputs[i]).
 */
extern const struct argp report_filter_argp;

#endif /* DAMO_CMD_REPORT_FILTER_H */
