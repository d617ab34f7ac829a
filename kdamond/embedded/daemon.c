/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The embedded daemon's monitor: its targets (a command it launches, or
 * pids), DAMON's loop with the hooks that stream aggregations and apply
 * tunes, and the end of its life.
 */
#include "kdamond/embedded/daemon.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/mon_budget.h"
#include "core/xalloc.h"
#include "kdamond/embedded/wire.h"
#include "kdamond/spawn.h"

volatile sig_atomic_t emb_stop_signal;

static void on_signal(int sig)
{
	emb_stop_signal = sig;
}

/* ---- the CPU budget ---- */

/* The daemon's CPU time so far (one thread: the process's). */
static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/*
 * At each aggregation: what one region-sample cost over it (all the
 * daemon did, serving clients included), and so the sampling interval the
 * budget allows with the regions there are now; taken in the next call
 * hook when it differs enough from the current one.
 */
static void budget_measure(struct emb_daemon *dm, const struct monitor *mon)
{
	uint64_t now = cpu_ns(), regions = 0, samples, cost, want;
	size_t ti;

	if (!dm->cpu_budget_bp)
		return;
	for (ti = 0; ti < mon->nr_targets; ti++)
		regions += mon->targets[ti].nr_regions;
	samples = mon->attrs.sample_us ?
		  mon->attrs.aggr_us / mon->attrs.sample_us : 0;
	if (dm->budget_cpu_ns && samples && regions) {
		cost = mon_budget_cost_ns(now - dm->budget_cpu_ns, samples,
					  regions);
		want = mon_budget_sample_us(cost, regions, dm->cpu_budget_bp);
		if (mon_budget_should_change(mon->attrs.sample_us, want))
			dm->budget_want_us = want;
	}
	dm->budget_cpu_ns = now;
}

/* Take the interval budget_measure() chose; the model says it too. */
static void budget_apply(struct emb_daemon *dm, struct monitor *mon)
{
	struct damon_ctx *c = &dm->cfg.kdamonds[0].ctxs[0];
	struct mon_attrs a = mon->attrs;

	if (!dm->budget_want_us)
		return;
	a.sample_us = dm->budget_want_us;
	a.aggr_us = MON_BUDGET_AGGR_SAMPLES * dm->budget_want_us;
	a.aggr_samples = 0;
	dm->budget_want_us = 0;
	if (monitor_set_attrs(mon, &a))
		return;	/* keeps what it has: nothing to undo */
	c->intervals.sample_us = a.sample_us;
	c->intervals.aggr_us = a.aggr_us;
	/* the change itself is not charged to the next measurement */
	dm->budget_cpu_ns = cpu_ns();
}

/* ---- hooks ---- */

static void on_aggregated(void *data, const struct monitor *mon)
{
	struct emb_daemon *dm = data;
	/* CLOCK_MONOTONIC, like the kernel's trace timestamps */
	uint64_t base = 0;
	size_t ci, ti;
	bool any = false;

	budget_measure(dm, mon);
	emb_pace_note(dm, mon);
	for (ci = 0; ci < dm->nr_clients; ci++)
		any |= dm->clients[ci].subscribed;
	if (!any)
		return;
	for (ti = 0; ti < mon->nr_targets; ti++) {
		emb_wire_snapshot_emit(&dm->snap_buf, &dm->snap_cap, ti,
				       base + mon->aggr_start_ns,
				       base + mon_clock_now_ns(&dm->real),
				       mon->attrs.sample_us,
				       mon->targets[ti].regions,
				       mon->targets[ti].nr_regions);
		for (ci = 0; ci < dm->nr_clients; ci++)
			if (dm->clients[ci].subscribed)
				emb_client_queue(&dm->clients[ci], dm->snap_buf,
					     false);
	}
}

/* Apply a tune: the kernel's commit, as far as the embedded monitor has it. */
static int apply_tune(struct emb_daemon *dm, struct damon_config *ncfg,
		      struct diag *d)
{
	struct damon_ctx *nc = &ncfg->kdamonds[0].ctxs[0];
	struct damon_ctx *oc = &dm->cfg.kdamonds[0].ctxs[0];
	struct monitor *mon = &dm->mon;
	struct mon_attrs a = mon->attrs;
	struct damos_stats *keep;
	size_t i, n_old = mon->damos.nr_schemes;
	bool paced = dm->cpu_budget_bp && !dm->tune_intervals;

	/*
	 * Intervals given win over the CPU budget, which then ends; without
	 * them a budgeted monitor keeps the intervals it paced itself to.
	 */
	if (!paced) {
		a.sample_us = nc->intervals.sample_us;
		a.aggr_us = nc->intervals.aggr_us;
		a.ops_update_us = nc->intervals.ops_update_us;
		a.goal = nc->intervals.goal;
	} else {
		/* what runs is what the configuration says */
		nc->intervals.sample_us = a.sample_us;
		nc->intervals.aggr_us = a.aggr_us;
		nc->intervals.ops_update_us = a.ops_update_us;
		nc->intervals.goal = a.goal;
	}
	a.min_nr_regions = nc->min_nr_regions;
	a.max_nr_regions = nc->max_nr_regions;
	a.aggr_samples = 0;
	if (monitor_set_attrs(mon, &a)) {
		diag_add(d, "", "the monitor refuses these intervals or region bounds (sample %llu us, aggr %llu us, regions %llu..%llu)",
			 (unsigned long long)a.sample_us,
			 (unsigned long long)a.aggr_us,
			 (unsigned long long)a.min_nr_regions,
			 (unsigned long long)a.max_nr_regions);
		return -EINVAL;
	}
	if (!paced) {
		dm->cpu_budget_bp = 0;
		dm->budget_want_us = 0;
	}
	/* schemes: new parameters, stats kept by position (damos_commit) */
	keep = xcalloc(n_old ? n_old : 1, sizeof(*keep));
	for (i = 0; i < n_old; i++)
		keep[i] = mon->damos.schemes[i].stats;
	damos_engine_walk_cancel(&mon->damos);
	damos_engine_release(&mon->damos);
	emb_tried_free(dm, n_old);
	damos_engine_init(&mon->damos, nc, &dm->acts.base, &dm->metrics.base);
	damos_engine_start(&mon->damos, mon);
	for (i = 0; i < n_old && i < mon->damos.nr_schemes; i++)
		mon->damos.schemes[i].stats = keep[i];
	free(keep);
	emb_tried_alloc(dm, mon->damos.nr_schemes);
	emb_pace_reset(dm);
	/* the model keeps the running targets */
	if (!nc->nr_targets) {
		nc->targets = oc->targets;
		nc->nr_targets = oc->nr_targets;
		oc->targets = NULL;
		oc->nr_targets = 0;
	}
	damon_config_release(&dm->cfg);
	dm->cfg = *ncfg;
	damon_config_init(ncfg);
	return 0;
}

static void on_call(void *data, struct monitor *mon)
{
	struct emb_daemon *dm = data;

	budget_apply(dm, mon);

	if (dm->tune) {
		struct emb_client *c = &dm->clients[dm->tune_client];
		struct diag d;

		diag_init(&d);
		if (apply_tune(dm, dm->tune, &d))
			emb_answer_error(c, &d);
		else
			emb_answer_ok(c);
		damon_config_release(dm->tune);
		free(dm->tune);
		dm->tune = NULL;
		diag_release(&d);
	}
	if (mon->damos.nr_schemes && !mon->damos.walk_pending)
		damos_engine_walk(&mon->damos, &dm->walk);
}

int emb_setup_targets(struct emb_daemon *dm, const struct embedded_opts *o,
			 struct diag *d)
{
	struct damon_ctx *c = &dm->cfg.kdamonds[0].ctxs[0];
	char *agent = NULL;
	int gate = -1, err = 0;
	size_t i;

	if (o->command) {
		if (dm->type->preload_agent) {
			agent = emb_agent_path();
			if (access(agent, R_OK)) {
				diag_add(d, "", "damo's agent '%s' is missing: %s",
					 agent, strerror(errno));
				diag_add(d, "hint", "install damo (it installs libdamo-agent.so) or set DAMO_AGENT");
				free(agent);
				return -ENOENT;
			}
		}
		dm->command_pid = kdamond_spawn_held(o->command, agent, &gate);
		err = -errno;
		free(agent);
		if (dm->command_pid < 0) {
			diag_add(d, "", "cannot start '%s': %s", o->command[0],
				 strerror(-err));
			return err;
		}
		err = 0;
		for (i = 0; i < c->nr_targets; i++)
			damon_target_release(&c->targets[i]);
		c->nr_targets = 0;
		if (c->ops == DAMON_OPS_PADDR)
			c->ops = DAMON_OPS_VADDR;
		damon_ctx_add_target(c)->has_pid = true;
		c->targets[0].pid = dm->command_pid;
		if (write(gate, "g", 1) != 1)
			err = -errno;
		close(gate);
		if (!err && dm->type->preload_agent)
			err = emb_wait_agent(dm->command_pid, d);
	}
	dm->nr_pids = c->nr_targets;
	dm->pids = xcalloc(dm->nr_pids, sizeof(*dm->pids));
	for (i = 0; i < c->nr_targets; i++)
		dm->pids[i] = (pid_t)c->targets[i].pid;
	return err;
}

void emb_kill_command(struct emb_daemon *dm)
{
	if (dm->command_pid > 0) {
		kill(dm->command_pid, SIGKILL);
		waitpid(dm->command_pid, NULL, 0);
		dm->command_pid = -1;
	}
}

void emb_stream_ended(struct emb_daemon *dm)
{
	size_t i;

	if (!dm->ephemeral || dm->mon.stop_requested)
		return;
	for (i = 0; i < dm->nr_clients; i++)
		if (dm->clients[i].subscribed)
			return;
	dm->exit_reason = "its recording ended (the record stream closed)";
	dm->end_command = true;
	monitor_request_stop(&dm->mon);
}

void emb_ephemeral_check(struct emb_daemon *dm, uint64_t now_ns)
{
	if (!dm->ephemeral || dm->streamed || dm->mon.stop_requested ||
	    !dm->started_ns || now_ns - dm->started_ns < EMB_EPHEMERAL_WAIT_NS)
		return;
	dm->exit_reason = "started for a recording that never came";
	dm->end_command = true;
	monitor_request_stop(&dm->mon);
}

/*
 * A reference to the command that stays valid if its pid is reused: the
 * command is the starting damo's child, not the daemon's, so the daemon
 * cannot wait for it.  -1 where pidfds are missing (Linux < 5.3).
 */
static int command_pidfd(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	return -1;
#endif
}

static int command_signal(struct emb_daemon *dm, int sig)
{
#ifdef SYS_pidfd_send_signal
	if (dm->command_pidfd >= 0)
		return (int)syscall(SYS_pidfd_send_signal, dm->command_pidfd,
				    sig, NULL, 0);
#endif
	return kill(dm->command_pid, sig);
}

/* Whether the command ended within @ms (a zombie has ended). */
static bool command_ended(struct emb_daemon *dm, int ms)
{
	if (dm->command_pidfd >= 0) {
		struct pollfd p = { .fd = dm->command_pidfd, .events = POLLIN };

		return poll(&p, 1, ms) > 0;
	}
	for (; ms > 0; ms -= 50) {
		char path[64], st[256], *rp;
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/stat",
			 (int)dm->command_pid);
		f = fopen(path, "re");
		if (!f)
			return true;
		rp = fgets(st, sizeof(st), f) ? strrchr(st, ')') : NULL;
		fclose(f);
		if (rp && rp[1] == ' ' && (rp[2] == 'Z' || rp[2] == 'X'))
			return true;
		usleep(50000);
	}
	return false;
}

/* End the command: SIGTERM, then SIGKILL after EMB_COMMAND_GRACE_MS. */
static void end_command(struct emb_daemon *dm)
{
	if (dm->command_pid <= 0 || command_signal(dm, SIGTERM))
		return;
	if (command_ended(dm, EMB_COMMAND_GRACE_MS))
		return;
	fprintf(stderr, "the command (pid %d) did not end within %d ms of SIGTERM: SIGKILL\n",
		(int)dm->command_pid, EMB_COMMAND_GRACE_MS);
	if (!command_signal(dm, SIGKILL))
		command_ended(dm, 1000);
}

int emb_setup_monitor(struct emb_daemon *dm, struct diag *d)
{
	const struct damon_ctx *c = &dm->cfg.kdamonds[0].ctxs[0];
	struct monitor_setup setup = {
		.ctx = c, .clock = &dm->clk, .source = dm->src,
		.actions = &dm->acts.base, .seed = (uint64_t)getpid(),
	};
	int err;

	err = madvise_actions_init(&dm->acts, dm->pids, dm->nr_pids, d);
	if (err)
		return err;
	sys_metrics_init(&dm->metrics, NULL, NULL, NULL);
	setup.metrics = &dm->metrics.base;
	err = emb_check_scheme_needs(dm, c, d);
	if (err) {
		sys_metrics_release(&dm->metrics);
		madvise_actions_release(&dm->acts);
		return err;
	}
	emb_tried_alloc(dm, c->nr_schemes);
	emb_walk_setup(dm);
	setup.hooks = (struct monitor_hooks){
		.data = dm, .aggregated = on_aggregated, .call = on_call,
	};
	err = monitor_init(&dm->mon, &setup);
	if (err) {
		diag_add(d, "", "the monitor refuses these parameters (intervals or region bounds)");
		emb_tried_free(dm, c->nr_schemes);
		sys_metrics_release(&dm->metrics);
		madvise_actions_release(&dm->acts);
		return err;
	}
	dm->mon_ready = true;
	return 0;
}

void emb_daemon_release(struct emb_daemon *dm)
{
	size_t i;

	for (i = dm->nr_clients; i-- > 0;)
		emb_client_close(dm, i);
	if (dm->mon_ready) {
		size_t n = dm->mon.damos.nr_schemes;

		monitor_release(&dm->mon);
		emb_tried_free(dm, n);
		sys_metrics_release(&dm->metrics);
		madvise_actions_release(&dm->acts);
		emb_src_release(dm);
	}
	if (dm->lfd >= 0)
		close(dm->lfd);
	if (dm->pid_fd >= 0)
		close(dm->pid_fd);
	if (dm->command_pidfd >= 0)
		close(dm->command_pidfd);
	damon_config_release(&dm->cfg);
	free(dm->pids);
	free(dm->snap_buf);
	free(dm->sock_path);
	free(dm->pid_path);
	free(dm->status_path);
	free(dm->rundir);
}

void emb_run_loop(struct emb_daemon *dm)
{
	unsigned int flags = 0;
	size_t i;

	dm->started_ns = mon_clock_now_ns(&dm->real);
	if (dm->ephemeral && dm->command_pid > 0)
		dm->command_pidfd = command_pidfd(dm->command_pid);
	while (!(flags & MONITOR_STOPPED))
		flags = monitor_step(&dm->mon);
	if (!dm->exit_reason)
		dm->exit_reason = "the target exited";
	/* record readers get what is queued, then the end of the stream */
	for (i = 0; i < dm->nr_clients; i++) {
		dm->clients[i].close_after = true;
		if (emb_tune_waits(dm, i)) {
			struct diag d;

			diag_init(&d);
			diag_add(&d, "", "the monitor stopped");
			emb_answer_error(&dm->clients[i], &d);
			diag_release(&d);
		}
	}
	dm->mon.stopped = true;
	if (dm->end_command)
		end_command(dm);
	emb_write_status_file(dm);
	for (i = 0; i < 50 && dm->nr_clients; i++)
		emb_serve(dm, mon_clock_now_ns(&dm->real) + 10000000ULL);
	unlink(dm->sock_path);
	if (dm->command_pid > 0)
		waitpid(dm->command_pid, NULL, WNOHANG);
}

void emb_daemon_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}
