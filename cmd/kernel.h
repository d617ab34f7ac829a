/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the commands that drive monitors (start, tune, stop, status,
 * schemes, record) share besides their options (cmd/backend_args.h):
 * loading a configuration from a file or options, and reporting.
 */
#ifndef DAMO_CMD_KERNEL_H
#define DAMO_CMD_KERNEL_H

#include <stdbool.h>

struct config_file;
struct damon_opts_args;
struct diag;
struct out;

/*
 * cmd_load_config() - the configuration of start/tune: @file (a kdamonds
 * document, or a scheme list put on top of the options) and/or the DAMON
 * options with their --scheme files.  Validated.  Problems go to @diag.
 * Return 0 or -errno.
 */
int cmd_load_config(const char *file, const struct damon_opts_args *opts,
		    struct config_file *cf, struct diag *diag);

/*
 * cmd_diag_report() - print @d: its warnings, then the rest as one error
 * with hints, or with @warn_only as warnings and hints.  Empties @d.
 */
void cmd_diag_report(struct out *o, struct diag *d, bool warn_only);

/* Parse a kdamond index argument ("0", "3"). -EINVAL if it is not one. */
int kernel_parse_idx(const char *s, unsigned long *idx);

#endif /* DAMO_CMD_KERNEL_H */
