/* SPDX-License-Identifier: GPL-2.0 */
/* What the commands that drive monitors share (cmd/kernel.h). */
#include "cmd/kernel.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/damon_opts.h"
#include "core/damon.h"
#include "core/diag.h"
#include "core/out.h"
#include "formats/config.h"

int cmd_load_config(const char *file, const struct damon_opts_args *opts,
		    struct config_file *cf, struct diag *d)
{
	int err;

	memset(cf, 0, sizeof(*cf));
	damon_config_init(&cf->cfg);
	if (file) {
		err = config_load(file, true, cf, d);
		if (!err && cf->kind == CONFIG_SCHEMES)
			diag_add(d, "", "'%s' is a scheme list, not a kdamonds document; give it with --scheme",
				 file);
		if (!err && cf->kind == CONFIG_SCHEMES)
			err = -EINVAL;
		if (!err && (opts->nr_scheme_files || opts->nr_scheme_texts))
			err = damon_opts_add_schemes(opts, &cf->cfg, d);
	} else {
		err = damon_opts_build(opts, &cf->cfg, d);
	}
	if (err) {
		config_file_release(cf);
		return err < 0 ? err : -EINVAL;
	}
	return 0;
}

void cmd_diag_report(struct out *o, struct diag *d, bool warn_only)
{
	size_t i;

	cmd_warn_diag(o, d);
	if (!warn_only) {
		cmd_report(o, d);
	} else {
		for (i = 0; i < d->nr; i++)
			if (strcmp(d->v[i].path, "hint"))
				out_warn(o, "%s", d->v[i].msg);
		for (i = 0; i < d->nr; i++)
			if (!strcmp(d->v[i].path, "hint"))
				out_hint(o, "%s", d->v[i].msg);
	}
	diag_release(d);
	diag_init(d);
}

int kernel_parse_idx(const char *s, unsigned long *idx)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	*idx = strtoul(s, &end, 10);
	return errno || *end || *idx > 65535 ? -EINVAL : 0;
}
