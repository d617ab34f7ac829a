/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMON's tracepoints read straight from tracefs, without perf or
 * trace-cmd: a trace instance of damo's own (instances/damo.<pid>), its
 * damon_aggregated event enabled and filtered to one kdamond thread, and
 * its trace_pipe parsed line by line.  The instance keeps the machine's
 * own tracing (the top-level buffer, other instances) untouched, and is
 * removed again on close, which also disables its events.
 *
 * Tests: a root that is not a tracefs (statfs) is a directory tree standing
 * in for one.  There, as the kernel would, trace_open() fills the new
 * instance itself: events/damon/<event>/{enable,filter} for every event
 * directory of the root, and trace_pipe as a symbolic link to the root's
 * trace_pipe (a FIFO or a regular file the test writes); the end of that
 * file ends the trace, which a real trace_pipe never does.  trace_close()
 * then removes the instance tree.
 */
#ifndef DAMO_KDAMOND_SYSFS_TRACE_H
#define DAMO_KDAMOND_SYSFS_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct diag;

#define TRACE_NO_AGE UINT64_MAX	/* kernels before 5.16 print no age */

/* One damon_aggregated line: one region of one target. */
struct trace_event {
	uint64_t ts_ns;		/* the trace clock's time of the line */
	uint64_t target;	/* target_id: the target's index in its context */
	uint64_t nr_regions;	/* regions of that target at this aggregation */
	uint64_t start;
	uint64_t end;
	uint64_t nr_accesses;
	uint64_t age;		/* aggregation intervals, or TRACE_NO_AGE */
};

struct trace_session {
	char *root;		/* tracefs root */
	char *inst;		/* "<root>/instances/damo.<pid>" */
	const char *event;	/* the enabled event */
	bool tree;		/* root is a test's directory tree */
	bool created;		/* inst was made by us */
	bool enabled;
	int fd;			/* trace_pipe, non-blocking; -1 when closed */
	char buf[16384];
	size_t len;
	uint64_t nr_skipped;	/* lines that are not parseable events */
	FILE *log;		/* if set: "mkdir|write|rmdir PATH [VALUE]" */
	struct diag *diag;	/* errors, with path, value and reason */
	struct diag *notes;	/* things the caller should tell (warnings) */
};

/*
 * trace_open() - make the instance under @root, enable damon_aggregated in
 * it for the thread @pid only and open its trace_pipe.  An instance left
 * by a damo process that no longer runs is removed first (with a note);
 * damo never reuses one.  On failure nothing is left behind.
 * @log: where to log each change to tracefs (NULL: nowhere)
 * Return: 0 or -errno (-ENOENT: no DAMON tracepoints under @root).
 */
int trace_open(struct trace_session *t, const char *root, long pid,
	       FILE *log, struct diag *diag, struct diag *notes);

/*
 * trace_read() - wait up to @timeout_ms for trace text and hand each
 * damon_aggregated line of it to @fn (a non-zero return stops and is
 * returned).  Partial lines wait for the next call.
 * Return: the number of events, -ENODATA at the end of the trace (only a
 * stand-in tree has one), -EINTR when a signal came, or -errno.
 */
int trace_read(struct trace_session *t, int timeout_ms,
	       int (*fn)(void *arg, const struct trace_event *ev), void *arg);

/*
 * trace_close() - disable the event and remove the instance; problems go
 * to t->notes (the recording itself is not at stake any more).  Safe to
 * call more than once and on a session trace_open() failed.
 */
void trace_close(struct trace_session *t);

/*
 * trace_parse_line() - parse one trace_pipe line (no newline):
 * "<comm>-<pid> [<cpu>] <flags> <secs>.<usecs>: damon_aggregated:
 * target_id=T nr_regions=N S-E: A [AGE]".
 * Return: 0 with @ev filled, or -EINVAL for any other line.
 */
int trace_parse_line(const char *line, struct trace_event *ev);

/*
 * trace_leftovers() - the number of instances/damo.<pid> under @root whose
 * process is gone (each one named in @notes, or removed with @remove).
 */
int trace_leftovers(const char *root, bool remove, FILE *log,
		    struct diag *notes);

#endif /* DAMO_KDAMOND_SYSFS_TRACE_H */
