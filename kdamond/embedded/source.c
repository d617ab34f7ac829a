/* SPDX-License-Identifier: GPL-2.0 */
/* The embedded monitor's access source, and damo's agent for uffd. */
#include "kdamond/embedded/daemon.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/sources/auto.h"
#include "core/sources/proc.h"
#include "core/xalloc.h"

#ifndef DAMO_AGENT_PATH
#define DAMO_AGENT_PATH "/usr/local/lib/damo/libdamo-agent.so"
#endif

#define AGENT_WAIT_MS 3000

const char *const emb_src_names[] = { "uffd", "softdirty", "pageidle" };
const char *const emb_src_sees[] = { "writes", "writes", "reads and writes" };

static int parse_source(const char *name, int *kind)
{
	size_t i;

	if (!name || !strcmp(name, "auto")) {
		*kind = -1;
		return 0;
	}
	for (i = 0; i < 3; i++)
		if (!strcmp(name, emb_src_names[i])) {
			*kind = (int)i;
			return 0;
		}
	return -EINVAL;
}

/*
 * Auto: the most capable source that works (core/sources/auto.c), said on
 * standard error with what it cannot see.  @pids are the targets, none for
 * a command damo launches (then uffd means preloading the agent).
 */
static int pick_source(int want, const pid_t *pids, size_t nr,
		       const char *agent, struct diag *d)
{
	static const int kinds[] = {
		[SOURCE_PAGEIDLE] = SRC_PAGEIDLE,
		[SOURCE_SOFTDIRTY] = SRC_SOFTDIRTY,
		[SOURCE_UFFD] = SRC_UFFD,
	};
	struct source_pick p;
	int err;

	if (want >= 0)
		return want;
	err = source_auto_pick(pids, nr, agent, &p, d);
	if (err) {
		diag_add(d, "", "no access source works for the embedded monitor here");
		return err;
	}
	diag_warn_at(d, NULL, 0, 0, "", "%s", p.msg);
	return kinds[p.kind];
}

struct access_source *emb_src_base(struct emb_daemon *dm)
{
	switch (dm->kind) {
	case SRC_UFFD:
		return &dm->src.uffd.ps.base;
	case SRC_SOFTDIRTY:
		return &dm->src.sd.ps.base;
	default:
		return &dm->src.pi.ps.base;
	}
}

int emb_src_init(struct emb_daemon *dm, struct diag *d)
{
	switch (dm->kind) {
	case SRC_UFFD:
		return uffd_source_init(&dm->src.uffd, dm->pids, dm->nr_pids, d);
	case SRC_SOFTDIRTY:
		return softdirty_source_init(&dm->src.sd, dm->pids, dm->nr_pids,
					     d);
	default:
		return pageidle_source_init(&dm->src.pi, dm->pids, dm->nr_pids,
					    NULL, d);
	}
}

void emb_src_release(struct emb_daemon *dm)
{
	access_source_destroy(emb_src_base(dm));
}

int emb_choose_source(struct emb_daemon *dm, const char *name, bool command,
		      struct diag *d)
{
	const struct damon_ctx *c = &dm->cfg.kdamonds[0].ctxs[0];
	pid_t *pids = NULL;
	char *agent = NULL;
	size_t i, nr = 0;
	int want, kind;

	if (parse_source(name, &want)) {
		diag_add(d, "", "--source: '%s' is not a source (auto, uffd, softdirty, pageidle)",
			 name);
		return -EINVAL;
	}
	if (want < 0) {
		if (command) {
			agent = emb_agent_path();
		} else {
			pids = xcalloc(c->nr_targets ? c->nr_targets : 1,
				       sizeof(*pids));
			for (i = 0; i < c->nr_targets; i++)
				pids[nr++] = (pid_t)c->targets[i].pid;
		}
	}
	kind = pick_source(want, pids, nr, agent, d);
	free(pids);
	free(agent);
	if (kind < 0)
		return kind;
	dm->kind = (enum emb_src_kind)kind;
	return 0;
}

char *emb_agent_path(void)
{
	const char *env = getenv("DAMO_AGENT");
	char exe[PATH_MAX], *slash, *p;
	ssize_t n;

	if (env && *env)
		return xstrdup(env);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			p = xasprintf("%s/agent/libdamo-agent.so", exe);
			if (!access(p, R_OK))
				return p;
			free(p);
			p = xasprintf("%s/../lib/damo/libdamo-agent.so", exe);
			if (!access(p, R_OK))
				return p;
			free(p);
		}
	}
	return xstrdup(DAMO_AGENT_PATH);
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Whether @pid (our child) still runs: not gone, not a zombie. */
static bool process_runs(pid_t pid)
{
	struct proc_target t;
	bool runs;

	if (proc_target_open(&t, pid, 0, NULL))
		return false;
	runs = proc_target_is_alive(&t);
	proc_target_close(&t);
	return runs;
}

int emb_wait_agent(pid_t pid, struct diag *d)
{
	unsigned int waited = 0;
	int err;

	for (;;) {
		err = uffd_probe_pid(pid);
		/* ESRCH also while it execs (the old mm is gone) */
		if ((err != -ENODATA && (err != -ESRCH || !process_runs(pid))) ||
		    waited >= AGENT_WAIT_MS)
			break;
		sleep_ms(20);
		waited += 20;
	}
	if (err == -ENODATA) {
		diag_add(d, "", "the command's memory was not registered by damo's agent within %u ms",
			 AGENT_WAIT_MS);
		diag_add(d, "hint", "a statically linked program cannot load the agent; try --source softdirty");
	} else if (err == -ESRCH) {
		diag_add(d, "", "the command exited before it could be monitored");
	} else if (err) {
		diag_add(d, "", "cannot watch the command (pid %ld): %s",
			 (long)pid, strerror(-err));
		if (err == -ENOTTY)
			diag_add(d, "hint", "the uffd source needs Linux 6.7 (PAGEMAP_SCAN)");
	}
	return err;
}

