/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Starting the embedded monitor (kdamond/embedded/embedded.h): everything
 * that can fail is checked and set up before the daemon forks.
 */
#include "kdamond/embedded/daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/mon_budget.h"
#include "core/out.h"
#include "core/safefile.h"
#include "core/xalloc.h"
#include "kdamond/backend.h"
#include "kdamond/owner.h"

char *emb_dir(const char *rundir)
{
	return xasprintf("%s/embedded", rundir);
}

char *emb_path(const char *rundir, unsigned long id, const char *ext)
{
	return xasprintf("%s/embedded/e%lu.%s", rundir, id, ext);
}

bool embedded_parse_id(const char *s, unsigned long *id)
{
	char *end;

	if (s[0] != 'e' || s[1] < '0' || s[1] > '9')
		return false;
	errno = 0;
	*id = strtoul(s + 1, &end, 10);
	return !errno && !*end && *id < 1000000;
}

void embedded_default_intervals(struct damon_ctx *c)
{
	c->intervals.sample_us = MON_BUDGET_MIN_SAMPLE_US;
	c->intervals.aggr_us = MON_BUDGET_AGGR_SAMPLES *
			       MON_BUDGET_MIN_SAMPLE_US;
	c->intervals.ops_update_us = EMB_UPDATE_US;
	memset(&c->intervals.goal, 0, sizeof(c->intervals.goal));
}

/* Actions must be applicable from outside; filters decidable. */
static int check_schemes(const struct damon_ctx *c, struct diag *d)
{
	size_t i;
	int err = 0;

	for (i = 0; i < c->nr_schemes; i++) {
		const char *why = NULL;

		if (!madvise_action_supported(c->schemes[i].action, &why)) {
			diag_add(d, "", "schemes[%zu].action: '%s' cannot be applied by the embedded monitor: %s",
				 i, damos_action_name(c->schemes[i].action),
				 why ? why : "not supported");
			err = -EOPNOTSUPP;
		}
	}
	if (err)
		diag_add(d, "hint", "the embedded monitor applies cold, pageout, willneed and collapse (process_madvise) and stat; use the kernel backend for the others");
	return err;
}

int emb_check_config(const struct damon_config *cfg, bool command,
			struct diag *d)
{
	const struct damon_ctx *c;
	size_t i;

	if (cfg->nr_kdamonds != 1 || cfg->kdamonds[0].nr_ctxs != 1) {
		diag_add(d, "", "the embedded monitor runs one kdamond with one context (%zu kdamonds given)",
			 cfg->nr_kdamonds);
		return -EINVAL;
	}
	c = &cfg->kdamonds[0].ctxs[0];
	if (c->ops == DAMON_OPS_PADDR && !command) {
		diag_add(d, "", "ops 'paddr': the embedded monitor watches processes (vaddr, fvaddr)");
		diag_add(d, "hint", "give --target-pid PID or '-- COMMAND'");
		return -EINVAL;
	}
	if (!command && !c->nr_targets) {
		diag_add(d, "", "no target: give --target-pid PID or '-- COMMAND'");
		return -EINVAL;
	}
	for (i = 0; i < c->nr_targets && !command; i++)
		if (!c->targets[i].has_pid) {
			diag_add(d, "", "targets[%zu]: the embedded monitor needs a pid", i);
			return -EINVAL;
		}
	return check_schemes(c, d);
}

/*
 * What the schemes of @c need from outside, asked before anything runs:
 * the kernel takes each action's advice, each ops filter can be decided,
 * each goal and watermark metric can be read.
 */
int emb_check_scheme_needs(struct emb_daemon *dm, const struct damon_ctx *c,
			      struct diag *d)
{
	size_t i, j;
	int err = 0;

	for (i = 0; i < c->nr_schemes && !err; i++) {
		const struct damos *s = &c->schemes[i];
		char path[64];

		if (s->action != DAMOS_STAT)
			err = madvise_actions_probe(&dm->acts, 0, s->action, d);
		for (j = 0; j < s->nr_filters && !err; j++)
			err = madvise_filter_probe(&dm->acts, &s->filters[j], d);
		snprintf(path, sizeof(path), "schemes[%zu]", i);
		if (!err)
			err = sys_metrics_check_scheme(&dm->metrics, s, path, d);
	}
	return err;
}

static int listen_socket(struct emb_daemon *dm, struct diag *d)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, err;

	if (strlen(dm->sock_path) >= sizeof(sa.sun_path)) {
		diag_add(d, "", "socket path '%s' is longer than %zu bytes",
			 dm->sock_path, sizeof(sa.sun_path) - 1);
		diag_add(d, "hint", "set DAMO_RUNTIME_DIR to a shorter directory");
		return -ENAMETOOLONG;
	}
	strcpy(sa.sun_path, dm->sock_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		err = -errno;
		goto fail;
	}
	unlink(dm->sock_path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		err = -errno;
		close(fd);
		goto fail;
	}
	if (chmod(dm->sock_path, 0600) || listen(fd, 16)) {
		err = -errno;
		close(fd);
		unlink(dm->sock_path);	/* bound: nothing half made stays */
		goto fail;
	}
	dm->lfd = fd;
	return 0;
fail:
	diag_add(d, "", "cannot serve '%s': %s", dm->sock_path,
		 strerror(-err));
	return err;
}

/* Lock eN.pid for the daemon's life: the sign that it runs. */
static int lock_pid_file(struct emb_daemon *dm, struct diag *d)
{
	const char *why;
	int fd = safefile_open_private(dm->pid_path, O_RDWR, 0600, &why);

	if (fd < 0) {
		diag_add(d, "", "cannot open '%s': %s", dm->pid_path,
			 why ? why : strerror(-fd));
		return fd;
	}
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		diag_add(d, "", "cannot lock '%s': %s", dm->pid_path,
			 strerror(errno));
		close(fd);
		return -EBUSY;
	}
	dm->pid_fd = fd;
	return 0;
}

static void write_pid(struct emb_daemon *dm)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());

	if (ftruncate(dm->pid_fd, 0) || pwrite(dm->pid_fd, buf, (size_t)n, 0) != n)
		return;
}

/* The runtime directory and its embedded/: this user's, owner-only. */
static int make_dir(const char *path, struct diag *d)
{
	return owner_dir_check(path, 077, d);
}

/* The lowest eN free in the registry. */
static unsigned long alloc_id(struct owner_reg *reg)
{
	unsigned long id = 0;

	while (owner_find(reg, EMB_REG_ROOT, id))
		id++;
	return id;
}

/* Detach: the caller returns in the parent with the daemon's pid. */
static pid_t daemonize(struct emb_daemon *dm, int *status_pipe)
{
	int fds[2];
	pid_t pid;
	long dpid = -1;

	if (pipe2(fds, O_CLOEXEC))
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid) {
		close(fds[1]);
		if (read(fds[0], &dpid, sizeof(dpid)) != sizeof(dpid))
			dpid = -1;
		close(fds[0]);
		waitpid(pid, NULL, 0);
		return (pid_t)dpid;
	}
	close(fds[0]);
	setsid();
	pid = fork();
	if (pid) {
		dpid = pid;
		if (write(fds[1], &dpid, sizeof(dpid)) != sizeof(dpid))
			_exit(1);
		_exit(0);
	}
	*status_pipe = fds[1];
	(void)dm;
	return 0;
}

static void redirect_stdio(const char *log)
{
	const char *why;
	int fd = open("/dev/null", O_RDWR);

	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		close(fd);
	}
	fd = safefile_open_private(log, O_WRONLY | O_TRUNC, 0600, &why);
	if (fd >= 0) {
		dup2(fd, STDERR_FILENO);
		close(fd);
	}
}

static void tell_started(const struct embedded_opts *eo,
			 struct emb_daemon *dm, pid_t pid)
{
	const struct damon_ctx *c = &dm->cfg.kdamonds[0].ctxs[0];
	int64_t *pids = xcalloc(c->nr_targets ? c->nr_targets : 1,
				sizeof(*pids));
	struct backend_started s = {
		.id = { BACKEND_EMBEDDED, dm->id }, .pid = pid, .ops = c->ops,
		.source = dm->type->name,
		.sees = dm->type->sees,
		.command_pid = dm->command_pid > 0 ? dm->command_pid : -1,
		.target_pids = pids,
	};
	size_t j;

	for (j = 0; j < c->nr_targets; j++)
		pids[s.nr_target_pids++] = c->targets[j].pid;
	if (eo->started)
		eo->started(eo->data, &s, 1);
	free(pids);
}

int embedded_start(const char *rundir, struct damon_config *cfg,
		   struct embedded_opts *o, struct diag *d)
{
	struct emb_daemon *dm = xcalloc(1, sizeof(*dm));
	struct owner_reg reg;
	char *dir = emb_dir(rundir), *log;
	int err, status_pipe = -1;
	bool reg_open = false;
	pid_t pid;

	dm->lfd = dm->pid_fd = dm->command_pidfd = -1;
	dm->command_pid = -1;
	dm->ephemeral = o->ephemeral && !o->foreground;
	dm->clk.ops = &emb_serving_clock;
	mon_clock_init_real(&dm->real);
	dm->rundir = xstrdup(rundir);
	dm->cpu_budget_bp = o->cpu_budget_bp;
	damon_config_init(&dm->cfg);
	damon_config_copy(&dm->cfg, cfg);
	err = emb_check_config(&dm->cfg, o->command != NULL, d);
	if (err)
		goto out;
	err = emb_choose_source(dm, o->source, o->command != NULL, d);
	/* what auto picked is said now, not when the monitor ends */
	if (o->warn)
		o->warn(o->out, d);
	if (!err)
		err = make_dir(rundir, d);
	if (!err)
		err = make_dir(dir, d);
	if (!err)
		err = owner_open(rundir, &reg, d);
	if (err)
		goto out;
	reg_open = true;
	dm->id = alloc_id(&reg);
	o->id = dm->id;
	dm->sock_path = emb_path(rundir, dm->id, "sock");
	dm->pid_path = emb_path(rundir, dm->id, "pid");
	dm->status_path = emb_path(rundir, dm->id, "status");
	unlink(dm->status_path);
	err = lock_pid_file(dm, d);
	if (!err)
		err = emb_setup_targets(dm, o, d);
	if (!err) {
		err = emb_src_init(dm, d);
		if (!err) {
			err = emb_setup_monitor(dm, d);
			if (err)
				emb_src_release(dm);
		}
	}
	if (!err)
		err = listen_socket(dm, d);
	if (err) {
		emb_kill_command(dm);
		if (dm->pid_fd >= 0)
			unlink(dm->pid_path);
		goto out;
	}
	dm->started = (uint64_t)time(NULL);

	if (o->foreground) {
		write_pid(dm);
		owner_add(&reg, EMB_REG_ROOT, dm->id, getpid());
		reg_open = false;
		err = owner_close(&reg, true, d);
		tell_started(o, dm, getpid());
		fflush(stdout);
		emb_daemon_signals();
		emb_run_loop(dm);
		if (dm->exit_reason)
			out_warn(o->out, "e%lu stopped: %s", dm->id,
				 dm->exit_reason);
		goto out;
	}
	pid = daemonize(dm, &status_pipe);
	if (pid < 0) {
		err = -errno;
		diag_add(d, "", "cannot start the daemon: %s", strerror(-err));
		emb_kill_command(dm);
		unlink(dm->sock_path);
		unlink(dm->pid_path);
		goto out;
	}
	if (pid > 0) {		/* the caller */
		owner_add(&reg, EMB_REG_ROOT, dm->id, pid);
		reg_open = false;
		err = owner_close(&reg, true, d);
		tell_started(o, dm, pid);
		/* the daemon holds the pid lock from here */
		goto out_parent;
	}
	/*
	 * The daemon: the registry stays locked by the caller until it has
	 * added us; closing (not unlocking) our copy leaves its lock alone.
	 */
	close(reg.fd);
	reg.fd = -1;
	owner_close(&reg, false, d);
	reg_open = false;
	close(status_pipe);
	log = emb_path(rundir, dm->id, "log");
	redirect_stdio(log);
	free(log);
	write_pid(dm);
	emb_daemon_signals();
	emb_run_loop(dm);
	emb_daemon_release(dm);
	free(dm);
	free(dir);
	_exit(0);
out_parent:
	/* emb_daemon_release() frees the parent's copies, stopping nothing */
	dm->command_pid = -1;
out:
	if (reg_open)
		owner_close(&reg, false, d);
	emb_daemon_release(dm);
	free(dm);
	free(dir);
	return err;
}
