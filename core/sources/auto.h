/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `--source auto`: the most capable access source of the registry
 * (core/access_source.h) that works for the targets, and a sentence for
 * the user saying what was picked and what it cannot see.  See
 * core/sources/README.md, "Choosing a source".
 */
#ifndef DAMO_CORE_SOURCES_AUTO_H
#define DAMO_CORE_SOURCES_AUTO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct access_source_type;
struct diag;

struct source_pick {
	const struct access_source_type *type;
	bool preload_agent;		/* launch the command with the agent */
	char msg[1024];			/* the sentence for the user */
};

/*
 * source_auto_pick() - pick the source for the @nr processes @pids, or,
 * with @nr 0, for a command damo is about to launch (then @agent is the
 * path of libdamo-agent.so, NULL when there is none, and uffd means
 * launching the command with it preloaded).  Tries each source of the
 * registry in its order, by opening it for real (for a command: on damo
 * itself, which the command will be like, or through the source's
 * probe_command).  On success fills @p; p->msg says which source, what it
 * cannot see and, for each more capable source, why it was not used.
 * When none works, returns -EOPNOTSUPP with each source's reason and hint
 * added to @d (may be NULL), prefixed by its name.
 */
int source_auto_pick(const pid_t *pids, size_t nr, const char *agent,
		     struct source_pick *p, struct diag *d);

/*
 * access_source_try() - whether source @t can watch the @nr processes
 * @pids or, with @nr 0, a command damo is about to launch (with @agent, as
 * for source_auto_pick()): opened for real, then let go.  Return: 0, or
 * -errno with why (and a hint where one helps) in @d.
 */
int access_source_try(const struct access_source_type *t, const pid_t *pids,
		      size_t nr, const char *agent, struct diag *d);

#endif /* DAMO_CORE_SOURCES_AUTO_H */
