/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `--source auto`: the most capable access source that works for the
 * targets, and a sentence for the user saying what was picked and what it
 * cannot see.  See core/sources/README.md, "Choosing a source".
 */
#ifndef DAMO_CORE_SOURCES_AUTO_H
#define DAMO_CORE_SOURCES_AUTO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct diag;

/* In the order auto tries them: most capable first. */
enum source_kind {
	SOURCE_PAGEIDLE,	/* reads and writes */
	SOURCE_SOFTDIRTY,	/* writes */
	SOURCE_UFFD,		/* writes to private anonymous memory */
	NR_SOURCE_KINDS,
};

struct source_pick {
	enum source_kind kind;
	bool sees_reads;		/* false: writes only */
	bool preload_agent;		/* launch the command with the agent */
	char msg[1024];			/* the sentence for the user */
};

/* "pageidle", "softdirty", "uffd". */
const char *source_kind_name(enum source_kind kind);

/*
 * source_auto_pick() - pick the source for the @nr processes @pids, or,
 * with @nr 0, for a command damo is about to launch (then @agent is the
 * path of libdamo-agent.so, NULL when there is none, and uffd means
 * launching the command with it preloaded).  Tries pageidle (reads and
 * writes), then softdirty, then uffd (writes only), each by opening it for
 * real (for a command: on damo itself, which the command will be like).
 * On success fills @p; p->msg says which source, what it cannot see and,
 * for each more capable source, why it was not used.  When none works,
 * returns -EOPNOTSUPP with each source's reason and hint added to @d (may
 * be NULL), prefixed by its name.
 */
int source_auto_pick(const pid_t *pids, size_t nr, const char *agent,
		     struct source_pick *p, struct diag *d);

#endif /* DAMO_CORE_SOURCES_AUTO_H */
