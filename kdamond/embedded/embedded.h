/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The embedded backend: DAMON's algorithms (core/monitor.c) run by a damo
 * daemon on a real process, with an access source of core/sources/ and
 * the DAMOS actions of core/actions_madvise.c, for kernels without DAMON
 * or without vaddr.  The daemon serves a control socket through which
 * status, tune, stop, schemes and record work as on kernel kdamonds.
 *
 * Embedded monitors are named "eN" (e0, e1, ...); each is registered in
 * the ownership registry (kdamond/owner.h) under the root "embedded", and
 * its files live in RUNDIR/embedded/: eN.sock (the control socket, 0600 in
 * a 0700 directory), eN.pid (locked by the daemon while it lives) and
 * eN.status (its last status, written when it stops).
 *
 * The protocol: one JSON object a line in each direction, one request a
 * connection: {"op": "status"|"stop"|"record"} or {"op": "tune",
 * "config": {a kdamonds document}}, the configuration nested as a JSON
 * object (kdamond/embedded/wire.h); the answer is {"ok": true, ...} or {"ok": false, "errors": [...]}; "record"
 * answers with one "snapshot" object a line until the monitor stops.
 * Requests are at most EMB_REQ_MAX bytes, read in time linear in their
 * size; only the daemon's user and root may connect.  A connection has
 * time bounds (kdamond/embedded/daemon.h: EMB_IDLE_NS and the others) and
 * the oldest idle one makes room when every slot is taken, so that no
 * client keeps the owner out.  A monitor started for a recording
 * (ephemeral) stops, ending its command, when the record stream closes.
 */
#ifndef DAMO_KDAMOND_EMBEDDED_EMBEDDED_H
#define DAMO_KDAMOND_EMBEDDED_EMBEDDED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/damon.h"
#include "kdamond/owner.h"

struct backend_started;
struct diag;
struct doc_node;
struct out;
struct snapshot;

#define EMB_REG_ROOT OWNER_EMBEDDED_ROOT
#define EMB_REQ_MAX (1024 * 1024)

/*
 * The embedded monitor's intervals when none are given: DAMON's defaults
 * (5 ms sample, 100 ms aggregation, 1 s ops update), paced from there by a
 * CPU budget (core/mon_budget.h): sampling a page from outside costs
 * microseconds, so the sampling interval grows with the regions to keep
 * the monitor within its budget; the aggregation stays 20 samples.
 * DAMON's own intervals auto-tuning is off then: the budget sets them.
 */
#define EMB_UPDATE_US 1000000ULL

/* Set @c's intervals to the embedded monitor's defaults above. */
void embedded_default_intervals(struct damon_ctx *c);

struct embedded_opts {
	const char *source;	/* auto, uffd, softdirty, pageidle */
	bool foreground;
	char **command;		/* NULL-terminated, or NULL */
	/*
	 * started for one recording: the daemon stops when the record
	 * stream closes (or none comes within 10 s), and ends the command
	 */
	bool ephemeral;
	struct out *out;	/* where warnings go */
	/* if set: says the warnings of a diag (what auto picked) at once */
	void (*warn)(struct out *o, struct diag *d);
	/* if set: told what started, before a foreground monitor runs */
	void (*started)(void *data, const struct backend_started *s,
			size_t nr);
	void *data;
	/* sampling paced by this CPU budget (1/10000 of a core); 0: fixed */
	unsigned int cpu_budget_bp;
	unsigned long id;	/* out: the monitor's number */
};

/*
 * embedded_start() - start an embedded monitor of @cfg (one kdamond, one
 * context, pid targets or a command) as a daemon, or in the foreground.
 * Everything that can fail is checked before the daemon forks: the
 * source, the actions, the socket.  o->started is told of it.
 * Return: 0 or -errno with what went wrong in @d.
 */
int embedded_start(const char *rundir, struct damon_config *cfg,
		   struct embedded_opts *o, struct diag *d);

/* Whether @s names an embedded monitor ("e0"), its number in *@id. */
bool embedded_parse_id(const char *s, unsigned long *id);

/* What a status answer says beyond the model. */
struct embedded_info {
	unsigned long id;
	bool running;		/* the daemon answered */
	bool dead;		/* gone without a last status (SIGKILL, crash) */
	long pid;		/* the daemon's */
	char *source;		/* "uffd", ... */
	char *sees;		/* "writes", "reads and writes" */
	char *exit_reason;	/* why it stopped, when it did */
	uint64_t nr_regions;
	uint64_t started;	/* unix time */
	/* the intervals it kept over its last achieved_aggrs aggregations */
	uint64_t achieved_aggrs;	/* 0: none measured yet */
	uint64_t achieved_sample_us, achieved_aggr_us;
	bool behind;		/* they are longer than asked */
};

void embedded_info_release(struct embedded_info *info);

/*
 * embedded_ids() - the embedded monitors registered under @rundir, in
 * order.  Return: how many; *@ids is owned by the caller.
 */
size_t embedded_ids(const char *rundir, unsigned long **ids);

/*
 * embedded_status() - the state of monitor @id: asked from the daemon, or
 * read from its last status file when it has stopped.  @k receives the
 * model (initialised by the caller) with its runtime state, incl. tried
 * regions.  A daemon gone without a last status is info->dead, with an
 * exit reason, and no configuration.  Return: 0, or -ENOENT (no such
 * monitor) / -errno, in @d.
 */
int embedded_status(const char *rundir, unsigned long id, struct kdamond *k,
		    struct embedded_info *info, struct diag *d);

/*
 * embedded_stop() - stop monitor @id and wait until it has; a stopped one
 * is removed from the registry with its files.  Return: 0 or -errno.
 */
int embedded_stop(const char *rundir, unsigned long id, struct diag *d);

/*
 * embedded_tune() - send @cfg to running monitor @id: intervals, region
 * bounds and schemes change online; its targets cannot.  A refused
 * configuration leaves the monitor as it was.  Without @intervals_given a
 * monitor that paces its sampling to a CPU budget keeps its intervals and
 * its budget; with them, the intervals given win and the budget ends.
 * Return: 0 or -errno.
 */
int embedded_tune(const char *rundir, unsigned long id,
		  const struct damon_config *cfg, bool intervals_given,
		  struct diag *d);

/*
 * embedded_record() - receive monitor @id's aggregations until it stops,
 * @stop returns true (polled at least every 100 ms), or an error.  Each
 * target's snapshot is passed to @fn with the target's index.
 * Return: 0 or -errno.
 */
int embedded_record(const char *rundir, unsigned long id,
		    int (*fn)(void *data, size_t ti, const struct snapshot *s),
		    bool (*stop)(void *data), void *data, struct diag *d);

/* The files of monitor @id in RUNDIR/embedded/, and that directory. */
char *emb_path(const char *rundir, unsigned long id, const char *ext);
char *emb_dir(const char *rundir);

#endif /* DAMO_KDAMOND_EMBEDDED_EMBEDDED_H */
