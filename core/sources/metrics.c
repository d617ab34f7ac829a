/* SPDX-License-Identifier: GPL-2.0 */
/* Quota goal and watermark metrics from /proc, sysfs and the memcg tree. */
#include "core/sources/metrics.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/xalloc.h"

#define METRICS_MAX_FILE (1 << 20)

static void set_err(struct sys_metrics *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_err(struct sys_metrics *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->err, sizeof(m->err), fmt, ap);
	va_end(ap);
}

/* The whole of @path, NUL-terminated, into *@out (caller frees). */
static int read_file(const char *path, char **out)
{
	size_t len = 0, cap = 4096;
	char *buf = xmalloc(cap);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	*out = NULL;
	if (fd < 0) {
		free(buf);
		return -errno;
	}
	for (;;) {
		if (cap - len < 2) {
			if (cap >= METRICS_MAX_FILE) {
				close(fd);
				free(buf);
				return -EFBIG;
			}
			cap *= 2;
			buf = xreallocarray(buf, cap, 1);
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = -errno;

			close(fd);
			free(buf);
			return err;
		}
		if (!n)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	*out = buf;
	return 0;
}

static int read_or_explain(struct sys_metrics *m, const char *path,
			   const char *what, char **out)
{
	int err = read_file(path, out);

	if (err)
		set_err(m, "cannot read '%s' (%s): %s", path, what,
			strerror(-err));
	return err;
}

/*
 * The number after @key (a whole word at a line start, @key including its
 * colon if any, followed by a blank or '=') in @text; with @after, the number after that token on the
 * same line ("total=").  Returns 0 or -ENOENT.
 */
static int find_u64(const char *text, const char *key, const char *after,
		    uint64_t *v)
{
	size_t klen = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, klen) && (p[klen] == ' ' ||
		    p[klen] == '\t' || p[klen] == '=')) {
			const char *q = p + klen, *eol = strchr(q, '\n');
			char *end;

			if (after) {
				q = strstr(q, after);
				if (!q || (eol && q > eol))
					return -ENOENT;
				q += strlen(after);
			}
			while (*q == ' ' || *q == '\t' || *q == '=')
				q++;
			errno = 0;
			*v = strtoull(q, &end, 10);
			if (end == q || errno)
				return -ENOENT;
			return 0;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -ENOENT;
}

static bool has_file(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	bool ok = !access(p, F_OK);

	free(p);
	return ok;
}

char *sys_memcg_root(const char *proc_root)
{
	char *path = xasprintf("%s/self/mountinfo", proc_root);
	char *text, *line, *save = NULL, *v1 = NULL, *v2 = NULL;

	if (read_file(path, &text)) {
		free(path);
		return NULL;
	}
	free(path);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char mnt[4096], fstype[64], opts[1024];
		const char *dash = strstr(line, " - ");

		if (!dash || sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1 ||
		    sscanf(dash + 3, "%63s %*s %1023s", fstype, opts) != 2)
			continue;
		if (!strcmp(fstype, "cgroup2") && !v2) {
			char *c = xasprintf("%s/cgroup.controllers", mnt), *t;

			if (!read_file(c, &t)) {
				char *tok, *s2 = NULL;

				for (tok = strtok_r(t, " \n", &s2); tok;
				     tok = strtok_r(NULL, " \n", &s2))
					if (!strcmp(tok, "memory"))
						v2 = xstrdup(mnt);
				free(t);
			}
			free(c);
		} else if (!strcmp(fstype, "cgroup") && !v1) {
			char *tok, *s2 = NULL;

			for (tok = strtok_r(opts, ",", &s2); tok;
			     tok = strtok_r(NULL, ",", &s2))
				if (!strcmp(tok, "memory"))
					v1 = xstrdup(mnt);
		}
	}
	free(text);
	if (v2) {
		free(v1);
		return v2;
	}
	return v1;
}

static int m_psi(struct damos_metrics *base, uint64_t *us);
static int m_goal(struct damos_metrics *base, const struct damos_quota_goal *g,
		  uint64_t *value);
static int m_free_rate(struct damos_metrics *base, uint64_t *permil);

static const struct damos_metrics_ops sys_metrics_ops = {
	.psi_some_mem_total_us = m_psi,
	.goal_value = m_goal,
	.free_mem_rate = m_free_rate,
};

void sys_metrics_init(struct sys_metrics *m, const char *proc_root,
		      const char *sys_root, const char *memcg_root)
{
	const char *env = getenv("DAMO_SYSTEM_ROOT");
	long psz = sysconf(_SC_PAGESIZE);

	memset(m, 0, sizeof(*m));
	m->base.ops = &sys_metrics_ops;
	m->proc_root = xstrdup(proc_root ? proc_root : "/proc");
	if (!sys_root)
		sys_root = env && *env ? env : "/sys/devices/system";
	m->node_root = xasprintf("%s/node", sys_root);
	m->memcg_root = memcg_root ? xstrdup(memcg_root) :
		sys_memcg_root(m->proc_root);
	if (m->memcg_root)
		m->memcg_v1 = !has_file(m->memcg_root, "cgroup.controllers");
	m->page_sz = psz > 0 ? (size_t)psz : 4096;
}

void sys_metrics_release(struct sys_metrics *m)
{
	free(m->proc_root);
	free(m->node_root);
	free(m->memcg_root);
	memset(m, 0, sizeof(*m));
}

/* "some avg10=... total=N" of /proc/pressure/memory, in µs. */
static int read_psi(struct sys_metrics *m, uint64_t *us)
{
	char *path = xasprintf("%s/pressure/memory", m->proc_root), *text;
	int err = read_file(path, &text);

	if (err) {
		set_err(m, "cannot read '%s': %s%s", path, strerror(-err),
			err == -ENOENT ?
			" (this kernel has no pressure stall information: it needs CONFIG_PSI and no psi=0 on its command line)" :
			"");
		free(path);
		return err;
	}
	err = find_u64(text, "some", "total=", us);
	if (err)
		set_err(m, "'%s' has no 'some ... total=' line", path);
	free(text);
	free(path);
	return err;
}

/* MemTotal and MemFree of node @nid (si_meminfo_node()), in kB. */
static int read_node(struct sys_metrics *m, int64_t nid, uint64_t *total_kb,
		     uint64_t *free_kb)
{
	char *path, *text, key[64];
	int err;

	if (nid < 0) {
		set_err(m, "NUMA node %" PRId64 " does not exist", nid);
		return -EINVAL;
	}
	path = xasprintf("%s/node%" PRId64 "/meminfo", m->node_root, nid);
	err = read_file(path, &text);
	if (err) {
		set_err(m, "cannot read '%s': %s%s", path, strerror(-err),
			err == -ENOENT ? " (no such NUMA node)" : "");
		free(path);
		return err;
	}
	snprintf(key, sizeof(key), "Node %" PRId64 " MemTotal:", nid);
	err = find_u64(text, key, NULL, total_kb);
	snprintf(key, sizeof(key), "Node %" PRId64 " MemFree:", nid);
	if (!err)
		err = find_u64(text, key, NULL, free_kb);
	if (err)
		set_err(m, "'%s' has no 'Node %" PRId64 " MemTotal:' or 'MemFree:' line",
			path, nid);
	else if (!*total_kb) {
		set_err(m, "'%s': NUMA node %" PRId64 " has no memory", path, nid);
		err = -ENODATA;
	}
	free(text);
	free(path);
	return err;
}

static int read_meminfo(struct sys_metrics *m, const char *const *keys,
			uint64_t *vals, size_t n)
{
	char *path = xasprintf("%s/meminfo", m->proc_root), *text;
	int err = read_or_explain(m, path, "system memory", &text);
	size_t i;

	for (i = 0; !err && i < n; i++) {
		err = find_u64(text, keys[i], NULL, &vals[i]);
		if (err)
			set_err(m, "'%s' has no '%s' line", path, keys[i]);
	}
	free(text);
	free(path);
	return err;
}

static uint64_t ratio(uint64_t num, uint64_t den, uint64_t scale)
{
	return den ? (uint64_t)((unsigned __int128)num * scale / den) : 0;
}

/*
 * The pages of memcg @cg on node @nid on the LRU lists (the kernel's
 * lruvec NR_{IN,}ACTIVE_{ANON,FILE}, hierarchical).  v2 memory.numa_stat
 * has them per list in bytes; v1 has hierarchical_anon and
 * hierarchical_file in pages.
 */
static int read_memcg_pages(struct sys_metrics *m, const char *cg,
			    int64_t nid, uint64_t *pages)
{
	static const char *const v2_keys[] = {
		"active_anon", "inactive_anon", "active_file", "inactive_file",
	};
	static const char *const v1_keys[] = {
		"hierarchical_anon", "hierarchical_file",
	};
	const char *const *keys = m->memcg_v1 ? v1_keys : v2_keys;
	size_t nr = m->memcg_v1 ? 2 : 4, i;
	char *path, *text, tok[32];
	uint64_t sum = 0, v;
	int err;

	if (!m->memcg_root) {
		set_err(m, "no memory cgroup hierarchy is mounted (no cgroup2 with the memory controller nor a cgroup v1 memory mount in '%s/self/mountinfo')",
			m->proc_root);
		return -ENOENT;
	}
	while (*cg == '/')
		cg++;
	path = xasprintf("%s/%s%smemory.numa_stat", m->memcg_root, cg,
			 *cg ? "/" : "");
	err = read_file(path, &text);
	if (err) {
		set_err(m, "cannot read '%s': %s%s", path, strerror(-err),
			err == -ENOENT ? " (no such memory cgroup, or the root cgroup of cgroup v2, which has no numa_stat)" : "");
		free(path);
		return err;
	}
	snprintf(tok, sizeof(tok), "N%" PRId64 "=", nid);
	for (i = 0; i < nr; i++) {
		char key[48];

		snprintf(key, sizeof(key), " %s", tok);
		if (find_u64(text, keys[i], key, &v)) {
			set_err(m, "'%s' has no '%s ... N%" PRId64 "=' value (no such NUMA node?)",
				path, keys[i], nid);
			err = -ENOENT;
			break;
		}
		sum += v;
	}
	free(text);
	free(path);
	if (!err)
		*pages = m->memcg_v1 ? sum : sum / m->page_sz;
	return err;
}

static int memcg_bp(struct sys_metrics *m, const struct damos_quota_goal *g,
		    bool check, uint64_t *value)
{
	bool used = g->metric == DAMOS_QGOAL_NODE_MEMCG_USED_BP;
	uint64_t total_kb, free_kb, pages, total;
	int err;

	if (!g->path || !*g->path) {
		set_err(m, "%s needs a memory cgroup path",
			damos_qgoal_metric_name(g->metric));
		return -EINVAL;
	}
	err = read_node(m, g->has_nid ? g->nid : 0, &total_kb, &free_kb);
	if (err)
		return err;
	err = read_memcg_pages(m, g->path, g->has_nid ? g->nid : 0, &pages);
	if (err == -ENOENT && !check && m->memcg_root) {
		/* the kernel's answer for a memcg that is gone */
		*value = used ? 0 : 10000;
		return 0;
	}
	if (err)
		return err;
	total = (uint64_t)((unsigned __int128)total_kb * 1024 / m->page_sz);
	if (pages > total)
		pages = total;
	*value = ratio(used ? pages : total - pages, total, 10000);
	return 0;
}

static int goal_value(struct sys_metrics *m, const struct damos_quota_goal *g,
		      bool check, uint64_t *value)
{
	static const char *const lru_keys[] = { "Active:", "Inactive:" };
	uint64_t a, b, lru[2];
	int err;

	switch (g->metric) {
	case DAMOS_QGOAL_SOME_MEM_PSI_US:
		return read_psi(m, value);
	case DAMOS_QGOAL_NODE_MEM_USED_BP:
	case DAMOS_QGOAL_NODE_MEM_FREE_BP:
		err = read_node(m, g->has_nid ? g->nid : 0, &a, &b);
		if (err)
			return err;
		if (b > a)
			b = a;
		*value = ratio(g->metric == DAMOS_QGOAL_NODE_MEM_USED_BP ?
			       a - b : b, a, 10000);
		return 0;
	case DAMOS_QGOAL_NODE_MEMCG_USED_BP:
	case DAMOS_QGOAL_NODE_MEMCG_FREE_BP:
		return memcg_bp(m, g, check, value);
	case DAMOS_QGOAL_ACTIVE_MEM_BP:
	case DAMOS_QGOAL_INACTIVE_MEM_BP:
		err = read_meminfo(m, lru_keys, lru, 2);
		if (err)
			return err;
		if (!lru[0] && !lru[1]) {
			set_err(m, "'%s/meminfo' shows no memory on the LRU lists (Active and Inactive are 0)",
				m->proc_root);
			return -ENODATA;
		}
		*value = ratio(g->metric == DAMOS_QGOAL_ACTIVE_MEM_BP ?
			       lru[0] : lru[1], lru[0] + lru[1], 10000);
		return 0;
	case DAMOS_QGOAL_NODE_ELIGIBLE_MEM_BP:
		set_err(m, "node_eligible_mem_bp is defined for physical address monitoring only (the kernel refuses it for other operations sets): the embedded monitor watches processes");
		return -EOPNOTSUPP;
	default:
		set_err(m, "%s is not a system metric",
			damos_qgoal_metric_name(g->metric));
		return -EINVAL;
	}
}

int sys_metrics_goal(struct sys_metrics *m, const struct damos_quota_goal *g,
		     uint64_t *value)
{
	return goal_value(m, g, false, value);
}

int sys_metrics_free_mem_rate(struct sys_metrics *m, uint64_t *permil)
{
	static const char *const keys[] = { "MemTotal:", "MemFree:" };
	uint64_t v[2];
	int err = read_meminfo(m, keys, v, 2);

	if (err)
		return err;
	if (!v[0]) {
		set_err(m, "'%s/meminfo' says MemTotal is 0", m->proc_root);
		return -ENODATA;
	}
	*permil = ratio(v[1], v[0], 1000);
	return 0;
}

static int m_psi(struct damos_metrics *base, uint64_t *us)
{
	return read_psi((struct sys_metrics *)base, us);
}

static int m_goal(struct damos_metrics *base, const struct damos_quota_goal *g,
		  uint64_t *value)
{
	return sys_metrics_goal((struct sys_metrics *)base, g, value);
}

static int m_free_rate(struct damos_metrics *base, uint64_t *permil)
{
	return sys_metrics_free_mem_rate((struct sys_metrics *)base, permil);
}

int sys_metrics_check_scheme(struct sys_metrics *m, const struct damos *s,
			     const char *path, struct diag *d)
{
	int first = 0, err;
	uint64_t v;
	size_t i;

	for (i = 0; i < s->quota.nr_goals; i++) {
		const struct damos_quota_goal *g = &s->quota.goals[i];

		if (g->metric == DAMOS_QGOAL_USER_INPUT)
			continue;
		err = goal_value(m, g, true, &v);
		if (!err)
			continue;
		if (d) {
			char *p = xasprintf("%s.quotas.goals[%zu]", path, i);

			diag_add(d, p, "metric %s cannot be measured: %s",
				 damos_qgoal_metric_name(g->metric), m->err);
			free(p);
		}
		if (!first)
			first = err;
	}
	if (s->wmarks.metric == DAMOS_WMARK_FREE_MEM_RATE) {
		err = sys_metrics_free_mem_rate(m, &v);
		if (err && d) {
			char *p = xasprintf("%s.watermarks", path);

			diag_add(d, p, "metric free_mem_rate cannot be measured: %s",
				 m->err);
			free(p);
		}
		if (err && !first)
			first = err;
	}
	return first;
}
