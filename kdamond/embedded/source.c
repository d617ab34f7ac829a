/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The embedded monitor's access source, one of the registry
 * (core/access_source.h), and damo's agent for uffd.
 */
#include "kdamond/embedded/daemon.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/access_source.h"
#include "core/diag.h"
#include "core/sources/auto.h"
#include "core/sources/proc.h"
#include "core/sources/uffd.h"
#include "core/xalloc.h"

/* The installed agent's path, from the build (CMakeLists.txt). */
#ifndef DAMO_AGENT_PATH
#error "DAMO_AGENT_PATH is not defined"
#endif

#define AGENT_WAIT_MS 3000

/*
 * Auto: the most capable source that works (core/sources/auto.c), said as
 * a warning with what it cannot see.  @pids are the targets, none for a
 * command damo launches (then uffd means preloading the agent).
 */
static const struct access_source_type *pick_source(const pid_t *pids,
						    size_t nr,
						    const char *agent,
						    struct diag *d)
{
	struct source_pick p;

	if (source_auto_pick(pids, nr, agent, &p, d)) {
		diag_add(d, "", "no access source works for the embedded monitor here");
		return NULL;
	}
	diag_warn_at(d, NULL, 0, 0, "", "%s", p.msg);
	return p.type;
}

int emb_src_init(struct emb_daemon *dm, struct diag *d)
{
	return dm->type->create(dm->pids, dm->nr_pids, &dm->src, d);
}

void emb_src_release(struct emb_daemon *dm)
{
	access_source_free(dm->src);
	dm->src = NULL;
}

int emb_choose_source(struct emb_daemon *dm, const char *name, bool command,
		      struct diag *d)
{
	const struct damon_ctx *c = &dm->cfg.kdamonds[0].ctxs[0];
	pid_t *pids;
	char *agent;
	size_t i, nr = 0;

	if (name && strcmp(name, "auto")) {
		dm->type = access_source_find(name);
		if (!dm->type) {
			diag_add(d, "", "--source: '%s' is not a source (%s)",
				 name, access_source_names(", "));
			return -EINVAL;
		}
		return 0;
	}
	agent = command ? emb_agent_path() : NULL;
	pids = xcalloc(c->nr_targets ? c->nr_targets : 1, sizeof(*pids));
	for (i = 0; !command && i < c->nr_targets; i++)
		pids[nr++] = (pid_t)c->targets[i].pid;
	dm->type = pick_source(pids, nr, agent, d);
	free(pids);
	free(agent);
	return dm->type ? 0 : -EOPNOTSUPP;
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

