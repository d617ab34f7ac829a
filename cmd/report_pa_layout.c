/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo report pa_layout: the physical address space, resource by resource,
 * with the NUMA node and state of its memory blocks (damo's text), or the
 * System RAM ranges of one node.
 */
#include "report_common.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/out.h"
#include "core/units.h"
#include "kdamond/system.h"

struct pa_args {
	struct damo_ctx *ctx;
	long numa_node;		/* -1: every node */
	long numa_addr;		/* -1: not asked */
	bool raw;
};

enum {
	OPT_NUMA_NODE = 0x740,
	OPT_NUMA_ADDR,
	OPT_RAW,
};

static const struct argp_option pa_options[] = {
	{ "numa-node", OPT_NUMA_NODE, "NID", 0,
	  "Only the resources of NUMA node NID", 0 },
	CMD_ALIAS("numa_node", OPT_NUMA_NODE),
	{ "numa-addr", OPT_NUMA_ADDR, "NID", 0,
	  "Only the System RAM ranges of NUMA node NID, adjacent ones merged",
	  0 },
	CMD_ALIAS("numa_addr", OPT_NUMA_ADDR),
	{ "raw-number", OPT_RAW, NULL, 0, "Plain byte numbers", 0 },
	CMD_ALIAS("raw_number", OPT_RAW),
	{ 0 }
};

static const struct argp_child pa_children[] = {
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static long parse_nid(struct argp_state *state, const char *opt,
		      const char *arg)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (*arg < '0' || *arg > '9' || *end || errno || v > INT_MAX)
		argp_error(state, "--%s: '%s' is not a NUMA node id (0 or more)",
			   opt, arg);
	return v;
}

static error_t pa_parse(int key, char *arg, struct argp_state *state)
{
	struct pa_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, pa_children, a->ctx);
		return 0;
	case OPT_NUMA_NODE:
		a->numa_node = parse_nid(state, "numa_node", arg);
		return 0;
	case OPT_NUMA_ADDR:
		a->numa_addr = parse_nid(state, "numa_addr", arg);
		return 0;
	case OPT_RAW:
		a->raw = true;
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp pa_argp = {
	.options = pa_options,
	.parser = pa_parse,
	.doc = "Show the physical address space layout: each resource of "
	       "/proc/iomem that memory blocks cover, with their NUMA node and "
	       "state, then the region 'damo start --ops paddr' monitors by "
	       "default (the largest System RAM range; damo's spans from the "
	       "first System RAM to the end of the last).\v"
	       "Reads /proc/iomem (addresses show as 0 without root) and "
	       "/sys/devices/system/node; needs CONFIG_MEMORY_HOTPLUG for the "
	       "memory blocks.  Nothing is written.\n\n"
	       "Examples:\n"
	       "  damo report pa_layout\n"
	       "  damo report pa_layout --numa_addr 1 --raw_number",
	.children = pa_children,
};

/* "[start, end) (size sz)", after damo's label for the default region */
static void print_span(struct out *o, const char *key, uint64_t start,
		       uint64_t end, bool raw)
{
	char s[UNITS_BUFSZ], e[UNITS_BUFSZ], z[UNITS_BUFSZ];

	out_json_begin_obj(o, key);
	out_print_u64(o, "start", NULL, start);
	out_print_u64(o, "end", NULL, end);
	out_json_end_obj(o);
	out_text(o, "%s[%s, %s) (size %s)\n",
		 key ? "Default paddr monitoring range: " : "",
		 units_fmt_sz(s, start, raw), units_fmt_sz(e, end, raw),
		 units_fmt_sz(z, end - start, raw));
}

/* --numa_addr: the node's System RAM ranges, adjacent ones merged. */
static void print_node_ram(struct out *o, const struct system_pa_range *r,
			   long nr, long nid, bool raw)
{
	uint64_t start = 0, end = 0;
	bool open = false;
	long i;

	out_json_begin_list(o, "ranges");
	for (i = 0; i <= nr; i++) {
		bool ram = i < nr && r[i].nid == nid &&
			   !strncmp(r[i].name, "System RAM", 10);

		if (ram && open && r[i].start == end) {
			end = r[i].end;
			continue;
		}
		if (open)
			print_span(o, NULL, start, end, raw);
		open = ram;
		if (ram) {
			start = r[i].start;
			end = r[i].end;
		}
	}
	out_json_end_list(o);
}

static void print_layout(struct out *o, const struct system_pa_range *r,
			 long nr, long nid, bool raw)
{
	char s[UNITS_BUFSZ], e[UNITS_BUFSZ], z[UNITS_BUFSZ];
	long i;

	out_text(o, "#%14s %14s\tnode\tstate\tresource\tsize\n", "start", "end");
	out_json_begin_list(o, "ranges");
	for (i = 0; i < nr; i++) {
		if (nid >= 0 && r[i].nid != nid)
			continue;
		out_json_begin_obj(o, NULL);
		out_print_u64(o, "start", NULL, r[i].start);
		out_print_u64(o, "end", NULL, r[i].end);
		out_print_i64(o, "node", NULL, r[i].nid);
		out_print_str(o, "state", NULL, r[i].state);
		out_print_str(o, "resource", NULL, r[i].name);
		out_json_end_obj(o);
		out_text(o, "%15s %15s\t%ld\t%s\t%s\t%s\n",
			 units_fmt_sz(s, r[i].start, raw),
			 units_fmt_sz(e, r[i].end, raw), r[i].nid, r[i].state,
			 r[i].name, units_fmt_sz(z, r[i].end - r[i].start, raw));
	}
	out_json_end_list(o);
}

int report_pa_layout(int argc, char **argv, struct damo_ctx *ctx)
{
	struct pa_args a = { .ctx = ctx, .numa_node = -1, .numa_addr = -1 };
	struct system_pa_range *r;
	uint64_t start, end;
	struct out *o;
	long nr;
	int err;

	err = cmd_parse(&pa_argp, argc, argv, &a);
	if (err)
		return err;
	o = cmd_out(ctx);
	nr = system_pa_layout(&r);
	if (nr < 0) {
		out_error(o, "cannot read the memory blocks of the NUMA nodes (%s)%s",
			  strerror((int)-nr), nr == -ENOENT ?
			  "; the kernel may lack CONFIG_MEMORY_HOTPLUG" : "");
		return -EIO;
	}
	out_json_begin_obj(o, NULL);
	if (a.numa_addr >= 0) {
		print_node_ram(o, r, nr, a.numa_addr, a.raw);
	} else {
		print_layout(o, r, nr, a.numa_node, a.raw);
		/* what damo start --ops paddr monitors without --regions */
		if (system_largest_ram(&start, &end))
			out_print_null(o, "default_paddr_region",
				       "Default paddr monitoring range: none (no System RAM)\n");
		else
			print_span(o, "default_paddr_region", start, end,
				   a.raw);
	}
	out_json_end_obj(o);
	free(r);
	return 0;
}
