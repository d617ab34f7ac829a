/* SPDX-License-Identifier: GPL-2.0 */
/* damo status's printers, shared by its files. */
#ifndef DAMO_CMD_STATUS_H
#define DAMO_CMD_STATUS_H

struct out;
struct damon_ctx;

/*
 * status_print_ctx() - context @c as a list item: ops, intervals, region
 * bounds, targets and schemes with their stats.
 */
void status_print_ctx(struct out *o, const struct damon_ctx *c);

#endif /* DAMO_CMD_STATUS_H */
