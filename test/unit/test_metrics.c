/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unit tests of the system metrics provider (core/sources/metrics.c): each
 * quota goal metric and the free_mem_rate watermark metric on fake /proc,
 * node and memory cgroup trees with hand-computed values, the errors when
 * something cannot be read, and one read-only pass over this host's real
 * files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/damon.h"
#include "core/diag.h"
#include "core/sources/metrics.h"
#include "core/xalloc.h"

struct tree {
	char dir[64];
};

static void put(const struct tree *t, const char *rel, const char *text)
{
	char *path = xasprintf("%s/%s", t->dir, rel), *p;
	FILE *f;

	/* make the parent directories */
	for (p = path + strlen(t->dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

static char *at(const struct tree *t, const char *rel)
{
	return xasprintf("%s/%s", t->dir, rel);
}

static int setup(void **state)
{
	struct tree *t = xcalloc(1, sizeof(*t));

	snprintf(t->dir, sizeof(t->dir), "/tmp/damo-metrics-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	put(t, "proc/meminfo",
	    "MemTotal:        8000000 kB\n"
	    "MemFree:         1234567 kB\n"
	    "MemAvailable:    5000000 kB\n"
	    "Active:           300001 kB\n"
	    "Inactive:          99999 kB\n"
	    "Active(anon):     200000 kB\n"
	    "Inactive(anon):    50000 kB\n");
	put(t, "proc/pressure/memory",
	    "some avg10=0.12 avg60=0.00 avg300=0.00 total=123456\n"
	    "full avg10=0.00 avg60=0.00 avg300=0.00 total=99\n");
	put(t, "sys/node/node1/meminfo",
	    "Node 1 MemTotal:        4000000 kB\n"
	    "Node 1 MemFree:         1000001 kB\n"
	    "Node 1 MemUsed:         2999999 kB\n");
	put(t, "sys/node/node0/meminfo",
	    "Node 0 MemTotal:        0 kB\n"
	    "Node 0 MemFree:         0 kB\n");
	/* cgroup v2: bytes per list and node */
	put(t, "cg2/cgroup.controllers", "cpuset cpu io memory pids\n");
	put(t, "cg2/work/memory.numa_stat",
	    "anon N0=8192 N1=413696000\n"
	    "file N0=0 N1=999999999\n"
	    "active_anon N0=4096 N1=409600000\n"
	    "inactive_anon N0=0 N1=4096000\n"
	    "active_file N0=0 N1=204800000\n"
	    "inactive_file N0=0 N1=0\n"
	    "unevictable N0=0 N1=4096\n");
	/* cgroup v1: pages, hierarchical_* are the LRU totals */
	put(t, "cg1/grp/memory.numa_stat",
	    "total=300 N0=100 N1=200\n"
	    "file=10 N0=0 N1=10\n"
	    "anon=20 N0=0 N1=20\n"
	    "unevictable=0 N0=0 N1=0\n"
	    "hierarchical_total=75001 N0=1 N1=75000\n"
	    "hierarchical_file=50000 N0=0 N1=50000\n"
	    "hierarchical_anon=25001 N0=1 N1=25000\n"
	    "hierarchical_unevictable=0 N0=0 N1=0\n");
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct tree *t = *state;
	char *cmd = xasprintf("rm -rf '%s'", t->dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(t);
	return 0;
}

static void init_fake(struct sys_metrics *m, const struct tree *t,
		      const char *cg)
{
	char *proc = at(t, "proc"), *sys = at(t, "sys"), *c = at(t, cg);

	sys_metrics_init(m, proc, sys, c);
	free(proc);
	free(sys);
	free(c);
}

static struct damos_quota_goal goal(enum damos_quota_goal_metric metric,
				    int64_t nid, const char *path)
{
	struct damos_quota_goal g = { .metric = metric, .has_nid = nid >= 0,
				      .nid = nid, .path = (char *)path };

	return g;
}

static uint64_t value_of(struct sys_metrics *m,
			 enum damos_quota_goal_metric metric, int64_t nid,
			 const char *path)
{
	struct damos_quota_goal g = goal(metric, nid, path);
	uint64_t v = UINT64_MAX;

	assert_int_equal(m->base.ops->goal_value(&m->base, &g, &v), 0);
	return v;
}

static void test_meminfo_metrics(void **state)
{
	struct sys_metrics m;
	uint64_t v = 0;

	init_fake(&m, *state, "cg2");
	/* 1234567 * 1000 / 8000000 = 154.3 */
	assert_int_equal(m.base.ops->free_mem_rate(&m.base, &v), 0);
	assert_int_equal(v, 154);
	/* 300001 * 10000 / 400000 = 7500.03; 99999 * 10000 / 400000 = 2499.98 */
	assert_int_equal(value_of(&m, DAMOS_QGOAL_ACTIVE_MEM_BP, -1, NULL),
			 7500);
	assert_int_equal(value_of(&m, DAMOS_QGOAL_INACTIVE_MEM_BP, -1, NULL),
			 2499);
	/* the PSI total; the engine takes differences */
	assert_int_equal(m.base.ops->psi_some_mem_total_us(&m.base, &v), 0);
	assert_int_equal(v, 123456);
	sys_metrics_release(&m);
}

static void test_node_metrics(void **state)
{
	struct sys_metrics m;

	init_fake(&m, *state, "cg2");
	/* (4000000 - 1000001) * 10000 / 4000000 = 7499.997 */
	assert_int_equal(value_of(&m, DAMOS_QGOAL_NODE_MEM_USED_BP, 1, NULL),
			 7499);
	/* 1000001 * 10000 / 4000000 = 2500.0025 */
	assert_int_equal(value_of(&m, DAMOS_QGOAL_NODE_MEM_FREE_BP, 1, NULL),
			 2500);
	sys_metrics_release(&m);
}

static void test_memcg_v2(void **state)
{
	struct sys_metrics m;

	if (sysconf(_SC_PAGESIZE) != 4096)
		skip();
	init_fake(&m, *state, "cg2");
	assert_false(m.memcg_v1);
	/*
	 * node 1: 4000000 kB = 1000000 pages; LRU pages of "work" there:
	 * (409600000 + 4096000 + 204800000 + 0) / 4096 = 151000, so used is
	 * 151000 * 10000 / 1000000 = 1510 and free 8490 ("anon", "file" and
	 * "unevictable" do not count).
	 */
	assert_int_equal(value_of(&m, DAMOS_QGOAL_NODE_MEMCG_USED_BP, 1,
				  "/work"), 1510);
	assert_int_equal(value_of(&m, DAMOS_QGOAL_NODE_MEMCG_FREE_BP, 1,
				  "work"), 8490);
	/* a memcg removed while running reads as the kernel reads it */
	assert_int_equal(value_of(&m, DAMOS_QGOAL_NODE_MEMCG_USED_BP, 1,
				  "/gone"), 0);
	assert_int_equal(value_of(&m, DAMOS_QGOAL_NODE_MEMCG_FREE_BP, 1,
				  "/gone"), 10000);
	sys_metrics_release(&m);
}

static void test_memcg_v1(void **state)
{
	struct sys_metrics m;

	init_fake(&m, *state, "cg1");
	assert_true(m.memcg_v1);
	/* (50000 + 25000) pages * 10000 / 1000000 pages = 750 */
	assert_int_equal(value_of(&m, DAMOS_QGOAL_NODE_MEMCG_USED_BP, 1,
				  "/grp"), 750);
	assert_int_equal(value_of(&m, DAMOS_QGOAL_NODE_MEMCG_FREE_BP, 1,
				  "/grp"), 9250);
	sys_metrics_release(&m);
}

/* Each failure names the file and says why; check_scheme puts it at the key. */
static void test_errors(void **state)
{
	struct tree *t = *state;
	struct damos_quota_goal goals[] = {
		goal(DAMOS_QGOAL_USER_INPUT, -1, NULL),
		goal(DAMOS_QGOAL_NODE_MEM_USED_BP, 7, NULL),
		goal(DAMOS_QGOAL_NODE_MEMCG_FREE_BP, 1, "/gone"),
		goal(DAMOS_QGOAL_NODE_ELIGIBLE_MEM_BP, 1, NULL),
		goal(DAMOS_QGOAL_NODE_MEM_FREE_BP, 0, NULL),
		goal(DAMOS_QGOAL_NODE_MEM_FREE_BP, 1, NULL),
	};
	struct damos s = { .quota = { .goals = goals, .nr_goals = 6 } };
	struct sys_metrics m;
	struct diag d;
	uint64_t v;
	char *p;

	init_fake(&m, t, "cg2");
	diag_init(&d);
	assert_int_equal(sys_metrics_check_scheme(&m, &s, "schemes[2]", &d),
			 -ENOENT);
	assert_int_equal(d.nr, 4);
	assert_string_equal(d.v[0].path, "schemes[2].quotas.goals[1]");
	assert_non_null(strstr(d.v[0].msg, "sys/node/node7/meminfo"));
	assert_non_null(strstr(d.v[0].msg, "no such NUMA node"));
	assert_string_equal(d.v[1].path, "schemes[2].quotas.goals[2]");
	assert_non_null(strstr(d.v[1].msg, "cg2/gone/memory.numa_stat"));
	assert_non_null(strstr(d.v[1].msg, "no such memory cgroup"));
	assert_string_equal(d.v[2].path, "schemes[2].quotas.goals[3]");
	assert_non_null(strstr(d.v[2].msg, "physical address monitoring"));
	assert_string_equal(d.v[3].path, "schemes[2].quotas.goals[4]");
	assert_non_null(strstr(d.v[3].msg, "has no memory"));
	diag_release(&d);

	/* no PSI, a meminfo without MemFree: the message says which file */
	p = at(t, "proc/pressure/memory");
	assert_int_equal(unlink(p), 0);
	free(p);
	assert_int_equal(m.base.ops->psi_some_mem_total_us(&m.base, &v),
			 -ENOENT);
	assert_non_null(strstr(m.err, "proc/pressure/memory"));
	assert_non_null(strstr(m.err, "CONFIG_PSI"));
	put(t, "proc/meminfo", "MemTotal:  100 kB\n");
	s.quota.nr_goals = 0;
	s.wmarks.metric = DAMOS_WMARK_FREE_MEM_RATE;
	diag_init(&d);
	assert_int_equal(sys_metrics_check_scheme(&m, &s, "s", &d), -ENOENT);
	assert_int_equal(d.nr, 1);
	assert_string_equal(d.v[0].path, "s.watermarks");
	assert_non_null(strstr(d.v[0].msg, "has no 'MemFree:' line"));
	diag_release(&d);
	sys_metrics_release(&m);

	/* no memory cgroup hierarchy at all */
	put(t, "proc/self/mountinfo",
	    "22 1 0:21 / /proc rw - proc proc rw\n");
	p = at(t, "proc");
	sys_metrics_init(&m, p, NULL, NULL);
	free(p);
	assert_null(m.memcg_root);
	goals[0] = goal(DAMOS_QGOAL_NODE_MEMCG_USED_BP, 0, "/a");
	assert_int_equal(m.base.ops->goal_value(&m.base, &goals[0], &v),
			 -ENOENT);
	assert_non_null(strstr(m.err, "no memory cgroup hierarchy"));
	sys_metrics_release(&m);
}

/* The hierarchy is found in mountinfo: v2 with memory first, else v1. */
static void test_find_hierarchy(void **state)
{
	struct tree *t = *state;
	char *text, *proc = at(t, "proc"), *cg1 = at(t, "cg1"),
		*cg2 = at(t, "cg2"), *cgx = at(t, "cgx");
	struct sys_metrics m;

	put(t, "cgx/cgroup.controllers", "cpu io\n");
	text = xasprintf(
		"25 1 0:23 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n"
		"26 25 0:24 / %s rw - cgroup2 cgroup2 rw\n"
		"27 25 0:25 / %s rw,relatime - cgroup cgroup rw,cpu,cpuacct\n"
		"28 25 0:26 / %s rw,relatime - cgroup cgroup rw,memory\n",
		cgx, cgx, cg1);
	put(t, "proc/self/mountinfo", text);
	free(text);
	sys_metrics_init(&m, proc, NULL, NULL);
	assert_string_equal(m.memcg_root, cg1);
	assert_true(m.memcg_v1);
	sys_metrics_release(&m);

	text = xasprintf(
		"26 25 0:24 / %s rw - cgroup2 cgroup2 rw\n"
		"28 25 0:26 / %s rw,relatime - cgroup cgroup rw,memory\n",
		cg2, cg1);
	put(t, "proc/self/mountinfo", text);
	free(text);
	sys_metrics_init(&m, proc, NULL, NULL);
	assert_string_equal(m.memcg_root, cg2);
	assert_false(m.memcg_v1);
	sys_metrics_release(&m);
	free(proc);
	free(cg1);
	free(cg2);
	free(cgx);
}

/* This host's real files, read only: the values must be sane. */
static void test_host(void **state)
{
	struct sys_metrics m;
	uint64_t v, a, b;
	int err;

	(void)state;
	sys_metrics_init(&m, NULL, "/sys/devices/system", NULL);
	assert_int_equal(m.base.ops->free_mem_rate(&m.base, &v), 0);
	assert_true(v > 0 && v <= 1000);
	/*
	 * Two reads of a live system: the active and inactive sizes may move
	 * between them, so their shares add up to 100 % within 1 %.
	 */
	a = value_of(&m, DAMOS_QGOAL_ACTIVE_MEM_BP, -1, NULL);
	b = value_of(&m, DAMOS_QGOAL_INACTIVE_MEM_BP, -1, NULL);
	assert_true(a <= 10000 && a + b >= 9900 && a + b <= 10100);
	a = value_of(&m, DAMOS_QGOAL_NODE_MEM_USED_BP, 0, NULL);
	b = value_of(&m, DAMOS_QGOAL_NODE_MEM_FREE_BP, 0, NULL);
	assert_true(a > 0 && a + b >= 9900 && a + b <= 10100);
	err = m.base.ops->psi_some_mem_total_us(&m.base, &v);
	if (access("/proc/pressure/memory", R_OK))
		assert_int_equal(err, -ENOENT);
	else
		assert_int_equal(err, 0);
	if (m.memcg_root) {
		struct damos_quota_goal g = goal(DAMOS_QGOAL_NODE_MEMCG_USED_BP,
						 0, "/");
		struct damos s = { .quota = { .goals = &g, .nr_goals = 1 } };

		/* cgroup v2's root has no numa_stat; v1's has */
		err = sys_metrics_check_scheme(&m, &s, "s", NULL);
		if (m.memcg_v1) {
			assert_int_equal(err, 0);
			a = value_of(&m, g.metric, 0, "/");
			assert_true(a > 0 && a <= 10000);
		} else {
			assert_int_equal(err, -ENOENT);
		}
	}
	sys_metrics_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_meminfo_metrics, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_node_metrics, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_memcg_v2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memcg_v1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find_hierarchy, setup,
						teardown),
		cmocka_unit_test(test_host),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
