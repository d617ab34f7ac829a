/* SPDX-License-Identifier: GPL-2.0 */
/* DAMON feature detection by file existence and version inference. */
#include "kdamond/features.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "core/diag.h"
#include "core/xalloc.h"
#include "kdamond/sysfs/features_tmp.h"
#include "kdamond/sysfs/sysfs.h"

#define SCHEME "contexts/C/schemes/S/"

static const struct feature_def defs[] = {
	{ "sysfs", FEAT_CAT_INTERFACE, "5.18", "DAMON sysfs interface", "" },
	{ "vaddr", FEAT_CAT_OPS, "5.15", "virtual address spaces of processes", "vaddr" },
	{ "fvaddr", FEAT_CAT_OPS, "5.19", "fixed virtual address ranges", "fvaddr" },
	{ "paddr", FEAT_CAT_OPS, "5.16", "the physical address space", "paddr" },
	{ "avail_operations", FEAT_CAT_FILE, "5.19", "list of operations sets", "contexts/C/avail_operations" },
	{ "refresh_ms", FEAT_CAT_FILE, "6.17", "kernel-refreshed stats", "refresh_ms" },
	{ "addr_unit", FEAT_CAT_FILE, "6.18", "address unit of paddr", "contexts/C/addr_unit" },
	{ "pause", FEAT_CAT_FILE, "7.2", "pausing a context", "contexts/C/pause" },
	{ "intervals_goal", FEAT_CAT_FILE, "6.15", "monitoring intervals auto-tuning", "contexts/C/monitoring_attrs/intervals/intervals_goal" },
	{ "probes", FEAT_CAT_FILE, "7.2", "data-attribute probes", "contexts/C/monitoring_attrs/probes" },
	{ "obsolete_target", FEAT_CAT_FILE, "6.19", "marking targets obsolete", "contexts/C/targets/T/obsolete_target" },
	{ "schemes_apply_interval", FEAT_CAT_FILE, "6.7", "per-scheme apply interval", SCHEME "apply_interval_us" },
	{ "schemes_target_nid", FEAT_CAT_FILE, "6.11", "migration target node", SCHEME "target_nid" },
	{ "schemes_dests", FEAT_CAT_FILE, "6.17", "weighted migration destinations", SCHEME "dests" },
	{ "schemes_tried_regions", FEAT_CAT_FILE, "6.2", "regions a scheme tried", SCHEME "tried_regions" },
	{ "schemes_tried_bytes", FEAT_CAT_FILE, "6.6", "total bytes a scheme tried", SCHEME "tried_regions/total_bytes" },
	{ "schemes_filters", FEAT_CAT_FILE, "6.3", "DAMOS filters", SCHEME "filters" },
	{ "schemes_filters_core_ops", FEAT_CAT_FILE, "6.15", "core_filters and ops_filters", SCHEME "core_filters" },
	{ "schemes_filters_allow", FEAT_CAT_FILE, "6.14", "allow filters", SCHEME "FILTERS/I/allow" },
	{ "schemes_filters_addr_range", FEAT_CAT_FILE, "6.6", "filter address range files", SCHEME "FILTERS/I/addr_start" },
	{ "schemes_filters_hugepage_size", FEAT_CAT_FILE, "6.15", "filter folio size range files", SCHEME "FILTERS/I/min" },
	{ "schemes_quota_goals", FEAT_CAT_FILE, "6.8", "quota auto-tuning goals", SCHEME "quotas/goals" },
	{ "schemes_quota_effective_bytes", FEAT_CAT_FILE, "6.9", "effective size quota", SCHEME "quotas/effective_bytes" },
	{ "schemes_quota_goal_metric", FEAT_CAT_FILE, "6.9", "goal target_metric file", SCHEME "quotas/goals/G/target_metric" },
	{ "schemes_quota_goal_nid", FEAT_CAT_FILE, "6.16", "goal NUMA node", SCHEME "quotas/goals/G/nid" },
	{ "schemes_quota_goal_path", FEAT_CAT_FILE, "6.19", "goal memcg path", SCHEME "quotas/goals/G/path" },
	{ "schemes_quota_goal_tuner", FEAT_CAT_FILE, "7.1", "goal tuner selection", SCHEME "quotas/goal_tuner" },
	{ "schemes_quota_fail_charge", FEAT_CAT_FILE, "7.2", "action-failed charge ratio", SCHEME "quotas/fail_charge_denom" },
	{ "schemes_stat_sz_ops_filter_passed", FEAT_CAT_FILE, "6.14", "bytes passing ops filters", SCHEME "stats/sz_ops_filter_passed" },
	{ "schemes_stat_nr_snapshots", FEAT_CAT_FILE, "7.0", "snapshots count and limit", SCHEME "stats/nr_snapshots" },
	{ "lru_prio", FEAT_CAT_ACTION, "6.0", "action lru_prio, lru_deprio", NULL },
	{ "migrate_hot", FEAT_CAT_ACTION, "6.11", "actions migrate_hot, migrate_cold", NULL },
	{ "collapse", FEAT_CAT_ACTION, "7.2", "action collapse", NULL },
	{ "filter_anon_memcg", FEAT_CAT_FILTER_TYPE, "6.3", "filter types anon, memcg", NULL },
	{ "filter_addr_target", FEAT_CAT_FILTER_TYPE, "6.6", "filter types addr, target", NULL },
	{ "filter_young", FEAT_CAT_FILTER_TYPE, "6.10", "filter type young", NULL },
	{ "filter_hugepage_size", FEAT_CAT_FILTER_TYPE, "6.15", "filter types hugepage_size, unmapped, active", NULL },
	{ "goal_user_input", FEAT_CAT_GOAL_METRIC, "6.8", "metric user_input", NULL },
	{ "goal_some_mem_psi_us", FEAT_CAT_GOAL_METRIC, "6.9", "metric some_mem_psi_us", NULL },
	{ "goal_node_mem", FEAT_CAT_GOAL_METRIC, "6.16", "metrics node_mem_used_bp, node_mem_free_bp", NULL },
	{ "goal_node_memcg", FEAT_CAT_GOAL_METRIC, "6.19", "metrics node_memcg_used_bp, node_memcg_free_bp", NULL },
	{ "goal_active_mem", FEAT_CAT_GOAL_METRIC, "7.0", "metrics active_mem_bp, inactive_mem_bp", NULL },
	{ "goal_node_eligible_mem", FEAT_CAT_GOAL_METRIC, "7.2", "metric node_eligible_mem_bp", NULL },
	{ "commit", FEAT_CAT_COMMAND, "5.19", "online parameter update", NULL },
	{ "update_schemes_tried_regions", FEAT_CAT_COMMAND, "6.2", "also clear_schemes_tried_regions", NULL },
	{ "update_schemes_tried_bytes", FEAT_CAT_COMMAND, "6.6", "tried bytes only", NULL },
	{ "commit_schemes_quota_goals", FEAT_CAT_COMMAND, "6.8", "commit goals only", NULL },
	{ "update_schemes_effective_quotas", FEAT_CAT_COMMAND, "6.9", "refresh effective_bytes", NULL },
	{ "update_tuned_intervals", FEAT_CAT_COMMAND, "6.15", "refresh tuned intervals", NULL },
	{ "damon_aggregated", FEAT_CAT_TRACEPOINT, "5.15", "regions at each aggregation", "damon_aggregated" },
	{ "damos_before_apply", FEAT_CAT_TRACEPOINT, "6.7", "regions a scheme applies to", "damos_before_apply" },
	{ "damon_monitor_intervals_tune", FEAT_CAT_TRACEPOINT, "6.17", "tuned sampling interval", "damon_monitor_intervals_tune" },
	{ "damos_esz", FEAT_CAT_TRACEPOINT, "6.17", "effective quota changes", "damos_esz" },
	{ "damos_stat_after_apply_interval", FEAT_CAT_TRACEPOINT, "7.0", "scheme stats per apply interval", "damos_stat_after_apply_interval" },
	{ "damon_region_aggregated", FEAT_CAT_TRACEPOINT, "7.2", "regions with probe hits", "damon_region_aggregated" },
	{ "damon_reclaim", FEAT_CAT_MODULE, "5.16", "DAMON_RECLAIM module", "damon_reclaim" },
	{ "damon_lru_sort", FEAT_CAT_MODULE, "6.0", "DAMON_LRU_SORT module", "damon_lru_sort" },
	{ "damon_stat", FEAT_CAT_MODULE, "6.17", "DAMON_STAT module", "damon_stat" },
};

static const char *const cat_names[NR_FEAT_CATS] = {
	[FEAT_CAT_INTERFACE] = "interface",
	[FEAT_CAT_OPS] = "ops",
	[FEAT_CAT_FILE] = "file",
	[FEAT_CAT_ACTION] = "action",
	[FEAT_CAT_FILTER_TYPE] = "filter_type",
	[FEAT_CAT_GOAL_METRIC] = "goal_metric",
	[FEAT_CAT_COMMAND] = "command",
	[FEAT_CAT_TRACEPOINT] = "tracepoint",
	[FEAT_CAT_MODULE] = "module",
};

const char *feature_category_name(enum feature_category cat)
{
	return cat_names[cat];
}

const char *feature_state_name(enum feature_state state)
{
	static const char *const names[] = {
		[FEAT_UNKNOWN] = "unknown",
		[FEAT_NO] = "no",
		[FEAT_YES] = "yes",
		[FEAT_INFERRED] = "inferred",
		[FEAT_INFERRED_NO] = "inferred_no",
	};

	return names[state];
}

/* "6.18" -> 6018; "mm" (not released yet) sorts after every release. */
static unsigned int version_num(const char *v)
{
	unsigned int major = 0, minor = 0;

	if (sscanf(v, "%u.%u", &major, &minor) != 2)
		return ~0u;
	return major * 1000 + minor;
}

struct probe_res {
	char *found;	/* a path where the file exists */
	char *parent;	/* a path where its parent directory exists */
};

static void probe_walk(const char *root, const char *prefix, const char *rest,
		       struct probe_res *res);

static void probe_dir_entries(const char *root, const char *prefix,
			      const char *rest, struct probe_res *res)
{
	unsigned long *idx;
	long nr, i;
	char *p;

	nr = sysfs_list_idx(root, prefix, &idx);
	for (i = 0; i < nr && !res->found; i++) {
		p = xasprintf("%s/%lu", prefix, idx[i]);
		probe_walk(root, p, rest, res);
		free(p);
	}
	free(idx);
}

/* Expand the template @rest below @prefix and record what exists. */
static void probe_walk(const char *root, const char *prefix, const char *rest,
		       struct probe_res *res)
{
	static const char *const fdirs[] = {
		"filters", "core_filters", "ops_filters",
	};
	const char *slash = strchr(rest, '/');
	size_t len = slash ? (size_t)(slash - rest) : strlen(rest);
	char *p;
	size_t i;

	if (!slash) {
		p = xasprintf("%s/%s", prefix, rest);
		if (sysfs_exists(root, p)) {
			free(res->found);
			res->found = p;
			return;
		}
		free(p);
		if (!res->parent && sysfs_exists(root, prefix))
			res->parent = xstrdup(prefix);
		return;
	}
	if (len == 1 && rest[0] >= 'A' && rest[0] <= 'Z') {
		probe_dir_entries(root, prefix, slash + 1, res);
		return;
	}
	if (len == 7 && !strncmp(rest, "FILTERS", 7)) {
		for (i = 0; i < 3 && !res->found; i++) {
			p = xasprintf("%s/%s", prefix, fdirs[i]);
			probe_walk(root, p, slash + 1, res);
			free(p);
		}
		return;
	}
	p = xasprintf("%s/%.*s", prefix, (int)len, rest);
	probe_walk(root, p, slash + 1, res);
	free(p);
}

static void detect_file(const char *root, struct feature *f)
{
	struct probe_res res = { 0 };
	char *tmpl = xasprintf("K/%s", f->def->probe);

	probe_walk(root, "kdamonds", tmpl, &res);
	free(tmpl);
	if (res.found) {
		f->state = FEAT_YES;
		f->evidence = res.found;
		res.found = NULL;
	} else if (res.parent) {
		f->state = FEAT_NO;
		f->evidence = xasprintf("no %s in %s",
					strrchr(f->def->probe, '/') ?
					strrchr(f->def->probe, '/') + 1 :
					f->def->probe, res.parent);
	}
	free(res.found);
	free(res.parent);
}

/* Operations sets named in any context's avail_operations. */
static void detect_ops(const char *root, struct feature *f)
{
	struct probe_res res = { 0 };
	char buf[SYSFS_VAL_MAX], *line, *save;

	probe_walk(root, "kdamonds", "K/contexts/C/avail_operations", &res);
	if (res.found && !sysfs_read(root, res.found, buf, sizeof(buf))) {
		f->state = FEAT_NO;
		for (line = strtok_r(buf, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			if (!strcmp(line, f->def->probe))
				f->state = FEAT_YES;
		f->evidence = xasprintf("%s", res.found);
	}
	free(res.found);
	free(res.parent);
}

static void detect_one(const struct features_roots *roots, struct feature *f)
{
	char *p;

	switch (f->def->cat) {
	case FEAT_CAT_INTERFACE:
		if (sysfs_exists(roots->sysfs, "kdamonds/nr_kdamonds")) {
			f->state = FEAT_YES;
			f->evidence = xasprintf("%s/kdamonds", roots->sysfs);
		} else {
			f->state = FEAT_NO;
			f->evidence = xasprintf("no %s/kdamonds", roots->sysfs);
		}
		break;
	case FEAT_CAT_FILE:
		detect_file(roots->sysfs, f);
		break;
	case FEAT_CAT_OPS:
		detect_ops(roots->sysfs, f);
		break;
	case FEAT_CAT_TRACEPOINT:
		if (!sysfs_exists(roots->tracefs, "events"))
			break;
		p = xasprintf("events/damon/%s", f->def->probe);
		f->state = sysfs_exists(roots->tracefs, p) ? FEAT_YES : FEAT_NO;
		f->evidence = xasprintf("%s/%s", roots->tracefs, p);
		free(p);
		break;
	case FEAT_CAT_MODULE:
		f->state = sysfs_exists(roots->modules, f->def->probe) ?
			   FEAT_YES : FEAT_NO;
		f->evidence = xasprintf("%s/%s", roots->modules, f->def->probe);
		break;
	default:
		break;
	}
}

/*
 * Features come with kernel versions: what a seen feature's kernel had is
 * there too.  Only released versions count ("mm" features prove nothing).
 */
static bool inferable(const struct feature *f)
{
	return f->def->cat != FEAT_CAT_MODULE &&
	       f->def->cat != FEAT_CAT_TRACEPOINT &&
	       f->def->cat != FEAT_CAT_OPS;
}

static void infer(struct features *fs)
{
	unsigned int seen = 0, missing = ~0u, v;
	size_t i;

	for (i = 0; i < fs->nr; i++) {
		v = version_num(fs->v[i].def->since);
		if (!inferable(&fs->v[i]) || v == ~0u)
			continue;
		if (fs->v[i].state == FEAT_YES && v > seen)
			seen = v;
		if (fs->v[i].state == FEAT_NO && v < missing)
			missing = v;
	}
	for (i = 0; i < fs->nr; i++) {
		struct feature *f = &fs->v[i];

		if (f->state != FEAT_UNKNOWN || !inferable(f))
			continue;
		v = version_num(f->def->since);
		if (v <= seen) {
			f->state = FEAT_INFERRED;
			f->evidence = xasprintf("files of a %u.%u kernel seen",
						seen / 1000, seen % 1000);
		} else if (v != ~0u && v >= missing) {
			f->state = FEAT_INFERRED_NO;
			f->evidence = xasprintf("files of a %u.%u kernel absent",
						missing / 1000, missing % 1000);
		}
	}
}

int features_detect(const struct features_roots *roots, bool may_create,
		    struct features *fs, struct diag *diag)
{
	struct utsname u;
	uint64_t nr = 0;
	size_t i;
	bool created = false;
	int err;

	memset(fs, 0, sizeof(*fs));
	fs->nr = sizeof(defs) / sizeof(defs[0]);
	fs->v = xcalloc(fs->nr, sizeof(*fs->v));
	for (i = 0; i < fs->nr; i++)
		fs->v[i].def = &defs[i];
	fs->kernel = xstrdup(uname(&u) ? "unknown" : u.release);
	err = sysfs_read_u64(roots->sysfs, "kdamonds/nr_kdamonds", &nr);
	fs->sysfs = !err;
	/* there, but not ours to read: not the same as no DAMON at all */
	if (err && err != -ENOENT && err != -ENOTDIR &&
	    sysfs_exists(roots->sysfs, "kdamonds/nr_kdamonds")) {
		fs->sysfs_err = err;
		diag_add(diag, "", "cannot read '%s/kdamonds/nr_kdamonds': %s",
			 roots->sysfs, strerror(-err));
		if (err == -EACCES || err == -EPERM)
			diag_add(diag, "hint",
				 "DAMON's sysfs files are root's only: this needs root (sudo damo ...)");
		return err;
	}
	if (fs->sysfs && !nr && may_create)
		created = features_tmp_create(roots->sysfs, diag);
	fs->temporary = created;
	fs->nr_kdamonds = created ? 1 : (size_t)nr;
	for (i = 0; i < fs->nr; i++)
		detect_one(roots, &fs->v[i]);
	if (created)
		features_tmp_remove(roots->sysfs, diag);
	infer(fs);
	return fs->sysfs ? 0 : -ENOENT;
}

void features_release(struct features *fs)
{
	size_t i;

	for (i = 0; i < fs->nr; i++)
		free(fs->v[i].evidence);
	free(fs->v);
	free(fs->kernel);
	memset(fs, 0, sizeof(*fs));
}

bool features_has(const struct features *fs, const char *name)
{
	size_t i;

	for (i = 0; i < fs->nr; i++)
		if (!strcmp(fs->v[i].def->name, name))
			return fs->v[i].state == FEAT_YES ||
			       fs->v[i].state == FEAT_INFERRED;
	return false;
}

bool features_absent(const struct features *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->nr; i++)
		if (!strcmp(f->v[i].def->name, name))
			return f->v[i].state == FEAT_NO ||
			       f->v[i].state == FEAT_INFERRED_NO;
	return false;
}
