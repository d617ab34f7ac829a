/* SPDX-License-Identifier: GPL-2.0 */
/* damo report: summaries of access record files, one report type a word. */
#include "cmd.h"

#include <stdio.h>
#include <string.h>

#include "cmd/report_common.h"
#include "core/xalloc.h"

static const struct {
	const char *name;
	const char *alias;	/* damo's spelling */
	int (*fn)(int argc, char **argv, struct damo_ctx *ctx);
	const char *shown;	/* argv[0] as argp shows it */
} types[] = {
	{ "access", NULL, report_access, "report access" },
	{ "footprint", "footprints", report_footprint, "report footprint" },
	{ "heatmap", NULL, report_heatmap, "report heatmap" },
	{ "nr_regions", "nr-regions", report_nr_regions, "report nr_regions" },
	{ "record-info", "record_info", report_record_info,
	  "report record-info" },
	{ "times", NULL, report_times, "report times" },
	{ "tried", NULL, report_tried, "report tried" },
	{ "wss", NULL, report_wss, "report wss" },
};

static int report_usage(void)
{
	printf("Usage: damo report TYPE [OPTION...]\n\n"
	       "Summarize a DAMON access record file (default damon.data).\n\n"
	       "Types:\n"
	       "  access       the regions of each snapshot, or their distributions\n"
	       "  footprint    process and system memory footprint percentiles\n"
	       "  heatmap      access heat over time and address space\n"
	       "  record-info  what each record covers (time, address ranges)\n"
	       "  wss          working set size percentiles\n"
	       "  nr_regions   number of regions percentiles\n"
	       "  times        when snapshots have regions passing the filters\n"
	       "  tried        the regions each DAMOS scheme tried, and totals\n\n"
	       "Run 'damo report TYPE --help' for the options of each.\n\n"
	       "Examples:\n"
	       "  damo report record-info\n"
	       "  damo report wss --input damon.data --range 0 101 10\n"
	       "  damo report nr_regions --json\n");
	return 0;
}

int cmd_report_main(int argc, char **argv, struct damo_ctx *ctx)
{
	size_t i;

	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
			  !strcmp(argv[1], "--usage")))
		return report_usage();
	if (argc >= 2 && !strcmp(argv[1], "--list-opts")) {
		for (i = 0; i < ARRAY_SIZE(types); i++)
			printf("%s\n", types[i].name);
		return 0;
	}
	for (i = 0; argc >= 2 && i < ARRAY_SIZE(types); i++) {
		if (strcmp(argv[1], types[i].name) &&
		    (!types[i].alias || strcmp(argv[1], types[i].alias)))
			continue;
		argv[1] = (char *)types[i].shown;
		return types[i].fn(argc - 1, argv + 1, ctx);
	}
	if (argc < 2)
		fprintf(stderr, "damo report: no report type given; see 'damo report --help'\n");
	else
		fprintf(stderr, "damo report: unknown report type '%s'; see 'damo report --help'\n",
			argv[1]);
	return -CMD_EUSAGE;
}
