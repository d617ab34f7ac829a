/* SPDX-License-Identifier: GPL-2.0 */
/* damo report: summaries of access record files, one report type a word. */
#include "cmd.h"

#include "cmd/dispatch.h"
#include "cmd/report_common.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <string.h>

/* In the order the usage lists them; --list-opts sorts the names. */
static const struct cmd_sub types[] = {
	{ "access", NULL, report_access,
	  "the regions of each snapshot, or their distributions",
	  "report access", NULL },
	{ "damon", NULL, report_damon,
	  "what runs (or a kdamonds file) in damo's text, or its stats",
	  "report damon", NULL },
	{ "footprint", "footprints", report_footprint,
	  "process and system memory footprint percentiles",
	  "report footprint", NULL },
	{ "holistic", NULL, report_holistic,
	  "damo's holistic report: taken, not built (says what to run)",
	  "report holistic", NULL },
	{ "heatmap", NULL, report_heatmap,
	  "access heat over time and address space", "report heatmap", NULL },
	{ "profile", NULL, report_profile,
	  "damo's perf profile report: taken, not built (needs perf profiles)",
	  "report profile", NULL },
	{ "record-info", "record_info", report_record_info,
	  "what each record covers (time, address ranges)",
	  "report record-info", NULL },
	{ "wss", NULL, report_wss, "working set size percentiles",
	  "report wss", NULL },
	{ "nr_regions", "nr-regions", report_nr_regions,
	  "number of regions percentiles", "report nr_regions", NULL },
	{ "pa_layout", "pa-layout", report_pa_layout,
	  "the physical address space: resources, nodes, memory block states",
	  "report pa_layout", NULL },
	{ "sysinfo", NULL, report_sysinfo,
	  "versions, file systems, tools and DAMON features of this system",
	  "report sysinfo", NULL },
	{ "times", NULL, report_times,
	  "when snapshots have regions passing the filters", "report times",
	  NULL },
	{ "trace", NULL, report_trace,
	  "damo's tracepoint viewer: taken, not built (says what to run)",
	  "report trace", NULL },
	{ "tried", NULL, report_tried,
	  "the regions each DAMOS scheme tried, and totals", "report tried",
	  NULL },
};

static const struct cmd_table report_table = {
	.prog = "damo report",
	.what = "report type",
	.subs = types,
	.nr_subs = ARRAY_SIZE(types),
	.args_doc = "TYPE [OPTION...]",
	.doc = "Summarize a DAMON access record file (default damon.data).",
	.heading = "Types:",
	.footer = "Run 'damo report TYPE --help' for the options of each.\n\n"
		  "Examples:\n"
		  "  damo report record-info\n"
		  "  damo report wss --input damon.data --range 0 101 10\n"
		  "  damo report nr_regions --json\n",
};

/* damo's older top-level words for two reports: warned, then run. */
static int older_word(const char *old, const char *now,
		      int (*fn)(int, char **, struct damo_ctx *), int argc,
		      char **argv, struct damo_ctx *ctx)
{
	bool listing = false;
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--list-opts") ||
		    !strcmp(argv[i], "--list-all-opts"))
			listing = true;
	if (!listing)
		fprintf(stderr, "damo: warning: 'damo %s' is damo's older word for 'damo %s'\n",
			old, now);
	argv[0] = (char *)now;
	return fn(argc, argv, ctx);
}

int cmd_record_info(int argc, char **argv, struct damo_ctx *ctx)
{
	return older_word("record_info", "report record_info",
			  report_record_info, argc, argv, ctx);
}

int cmd_pa_layout(int argc, char **argv, struct damo_ctx *ctx)
{
	return older_word("pa_layout", "report pa_layout", report_pa_layout,
			  argc, argv, ctx);
}

int cmd_report_main(int argc, char **argv, struct damo_ctx *ctx)
{
	return cmd_dispatch(&report_table, argc, argv, ctx);
}
