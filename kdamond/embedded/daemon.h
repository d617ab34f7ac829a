/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The embedded monitor's daemon, inside (kdamond/embedded/embedded.h is
 * its interface): its state and what its files share.
 *   setup.c   - checks, daemon setup, forking, embedded_start()
 *   daemon.c  - the targets, the monitor, its hooks and the run loop
 *   server.c  - the control socket: clients and requests
 *   model.c   - what a status says: the running model, tried regions
 *   source.c  - the access source, with --source auto and the agent
 *   client.c  - the other side of the socket (status, stop, tune, record)
 *   wire.c    - the JSON lines on the socket
 */
#ifndef DAMO_KDAMOND_EMBEDDED_DAEMON_H
#define DAMO_KDAMOND_EMBEDDED_DAEMON_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/actions_madvise.h"
#include "core/damos_engine.h"
#include "core/mon_clock.h"
#include "core/monitor.h"
#include "core/access_source.h"
#include "core/sources/metrics.h"
#include "kdamond/embedded/embedded.h"

struct diag;
struct doc_node;

#define EMB_MAX_CLIENTS 32
/* a record reader this far behind is dropped */
#define EMB_CLIENT_OUT_MAX (16u << 20)
/*
 * Each connection's time bounds (ns), so that no client holds the daemon
 * or a connection slot: its first byte within EMB_IDLE_NS, its whole
 * request line within EMB_REQUEST_NS of connecting, its answer taken
 * within EMB_ANSWER_NS of connecting.  Record streams and tunes waiting
 * to be applied are exempt once their request is in.
 */
#define EMB_IDLE_NS (3ULL * 1000000000ULL)
#define EMB_REQUEST_NS (5ULL * 1000000000ULL)
#define EMB_ANSWER_NS (10ULL * 1000000000ULL)

struct emb_client {
	int fd;
	char *in;
	size_t in_len, in_cap;
	char *out;			/* pending answer bytes */
	size_t out_len, out_off;
	uint64_t since_ns;		/* connected (monotonic) */
	bool requested;			/* its request line is in */
	bool subscribed;		/* record stream */
	bool close_after;		/* close once out is sent */
};

/*
 * The pace the monitor keeps: the wall time and the samples of its last
 * EMB_PACE_N aggregations, from which status says the intervals it
 * achieves (a monitor whose sampling takes longer than its sampling
 * interval falls behind, and its aggregations last longer than asked).
 */
#define EMB_PACE_N 8
/* Behind: the aggregations took this many percent of their time or more */
#define EMB_PACE_BEHIND_PCT 125

struct emb_pace {
	uint64_t dur_ns[EMB_PACE_N];
	uint64_t want_ns[EMB_PACE_N];	/* samples x the sampling interval */
	uint64_t samples[EMB_PACE_N];
	size_t nr, next;
	uint64_t last_psi;		/* samples passed at the last one */
};

struct emb_daemon {
	struct mon_clock clk;		/* first: the monitor's clock */
	struct mon_clock real;
	unsigned long id;
	char *rundir;
	char *sock_path, *pid_path, *status_path;
	int lfd;
	int pid_fd;
	struct damon_config cfg;	/* what runs: one kdamond, one ctx */
	const struct access_source_type *type;
	struct access_source *src;	/* of type, once set up */
	struct madvise_actions acts;
	struct sys_metrics metrics;
	struct monitor mon;
	bool mon_ready;
	pid_t *pids;
	size_t nr_pids;
	pid_t command_pid;
	int command_pidfd;		/* of command_pid, to end it; or -1 */
	uint64_t started;
	/*
	 * Started for a recording (embedded_opts.ephemeral): it stops when
	 * its last record stream closes, or when none came within
	 * EMB_EPHEMERAL_WAIT_NS of its start, and then ends its command.
	 */
	bool ephemeral;
	bool streamed;			/* a record stream came */
	bool end_command;		/* end the command when stopped */
	uint64_t started_ns;		/* monotonic */
	struct emb_client clients[EMB_MAX_CLIENTS];
	size_t nr_clients;
	/* tried regions: per scheme, the last complete apply interval */
	struct damos_walk walk;
	struct damos_tried_region **tried, **tried_next;
	size_t *nr_tried, *nr_tried_next, *cap_tried, *cap_tried_next;
	uint64_t *tried_bytes;
	struct damon_config *tune;	/* parsed, waiting for the call hook */
	int tune_client;
	const char *exit_reason;
	struct emb_pace pace;
	char *snap_buf;			/* one record line, reused */
	size_t snap_cap;
	/*
	 * Sampling paced by a CPU budget (core/mon_budget.h), in 1/10000 of
	 * a core; 0: the intervals stay as configured.
	 */
	unsigned int cpu_budget_bp;
	uint64_t budget_cpu_ns;		/* CPU time at the last aggregation */
	uint64_t budget_want_us;	/* a sampling interval to take; 0 */
	bool tune_intervals;		/* dm->tune's intervals were given */
};

#define EMB_EPHEMERAL_WAIT_NS (10ULL * 1000000000ULL)
/* How long a command ended by the daemon has after SIGTERM: then SIGKILL */
#define EMB_COMMAND_GRACE_MS 3000

/* The signal that asked the daemon to stop, 0 while none did. */
extern volatile sig_atomic_t emb_stop_signal;

/* source.c */
/*
 * emb_choose_source() - the source named @name (NULL or "auto": the most
 * capable that works, said as a warning in @d) into dm->type.
 * Return 0 or -errno.
 */
int emb_choose_source(struct emb_daemon *dm, const char *name, bool command,
		      struct diag *d);
int emb_src_init(struct emb_daemon *dm, struct diag *d);
void emb_src_release(struct emb_daemon *dm);
/* The agent: $DAMO_AGENT, next to the binary (a build tree), installed. */
char *emb_agent_path(void);
/* Wait for the agent in @pid to register memory (uffd_probe_pid()). */
int emb_wait_agent(pid_t pid, struct diag *d);

/* setup.c: what can run, checked before anything does */
int emb_check_config(const struct damon_config *cfg, bool command,
		     struct diag *d);
int emb_check_scheme_needs(struct emb_daemon *dm, const struct damon_ctx *c,
			   struct diag *d);

/* model.c */
void emb_tried_alloc(struct emb_daemon *dm, size_t n);
void emb_tried_free(struct emb_daemon *dm, size_t n);
/* Point dm->walk at the tried-regions bookkeeping. */
void emb_walk_setup(struct emb_daemon *dm);
/* An aggregation of @mon ended now: note how long it took. */
void emb_pace_note(struct emb_daemon *dm, const struct monitor *mon);
/* Forget the pace (the intervals changed). */
void emb_pace_reset(struct emb_daemon *dm);
/* A status answer line of what runs now; owned by the caller. */
char *emb_status_answer(struct emb_daemon *dm);
/* The last status, for 'damo status' after the daemon is gone. */
void emb_write_status_file(struct emb_daemon *dm);

/* server.c */
extern const struct mon_clock_ops emb_serving_clock;
/* Serve the socket until @deadline (monotonic ns) or a stop. */
void emb_serve(struct emb_daemon *dm, uint64_t deadline);
void emb_client_queue(struct emb_client *c, const char *text, bool close);
void emb_client_close(struct emb_daemon *dm, size_t i);
void emb_answer_error(struct emb_client *c, struct diag *d);
void emb_answer_ok(struct emb_client *c);
/* Whether client @i waits for its tune to be applied. */
bool emb_tune_waits(const struct emb_daemon *dm, size_t i);

/* daemon.c */
int emb_setup_targets(struct emb_daemon *dm, const struct embedded_opts *o,
		      struct diag *d);
int emb_setup_monitor(struct emb_daemon *dm, struct diag *d);
void emb_kill_command(struct emb_daemon *dm);
/* A record stream closed: an ephemeral monitor without another stops. */
void emb_stream_ended(struct emb_daemon *dm);
/* An ephemeral monitor no recording came for (in time) stops. */
void emb_ephemeral_check(struct emb_daemon *dm, uint64_t now_ns);
void emb_daemon_release(struct emb_daemon *dm);
void emb_daemon_signals(void);
/* The daemon's life after setup: monitor until stopped, leave a status. */
void emb_run_loop(struct emb_daemon *dm);

#endif /* DAMO_KDAMOND_EMBEDDED_DAEMON_H */
