/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo diagnose: what to attach to a report that DAMON misbehaves (damo's
 * diagnose): the system summary with every DAMON feature, then what runs
 * in damo's text.  Everything is read; nothing is written but the refresh
 * of kdamonds damo started.
 */
#include "cmd.h"

#include <stdio.h>
#include <string.h>

#include "cmd/report_common.h"
#include "core/out.h"

int cmd_diagnose(int argc, char **argv, struct damo_ctx *ctx)
{
	char *sysinfo[] = { "report sysinfo", "--print", "all", NULL, NULL };
	char *damon[] = { "report damon", "--omit_damos_tried_regions", NULL,
			  NULL };
	int i, err, err2;

	/* the common options only (damo's --verbose is the common -v) */
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h") ||
		    !strcmp(argv[i], "--usage")) {
			printf("Usage: damo diagnose [-v]\n"
			       "Print what to attach to a report of DAMON "
			       "misbehaving: the system, its DAMON features and "
			       "what runs.\n");
			return 0;
		}
		if (!strcmp(argv[i], "--list-opts"))
			return 0;
		if (!strcmp(argv[i], "--list-all-opts")) {
			cmd_list_all_opts(&cmd_common_argp);
			return 0;
		}
		if (strcmp(argv[i], "-v") && strcmp(argv[i], "--verbose") &&
		    strcmp(argv[i], "-q") && strcmp(argv[i], "--quiet") &&
		    strcmp(argv[i], "--no-color")) {
			out_error(cmd_out(ctx), "diagnose: unexpected argument '%s'%s",
				  argv[i], !strcmp(argv[i], "-j") ||
				  !strcmp(argv[i], "--json") ?
				  " (its report is text: 'damo report sysinfo -j' and 'damo report damon -j' give JSON)" :
				  "");
			return -CMD_EUSAGE;
		}
	}
	if (out_is_json(cmd_out(ctx))) {
		out_error(cmd_out(ctx), "diagnose prints text; 'damo report sysinfo -j' and 'damo report damon -j' give JSON");
		return -CMD_EUSAGE;
	}
	out_text(cmd_out(ctx), "# system\n");
	fflush(stdout);
	err = report_sysinfo(3, sysinfo, ctx);
	out_text(cmd_out(ctx), "\n# DAMON\n");
	fflush(stdout);
	err2 = report_damon(2, damon, ctx);
	return err ? err : err2;
}
