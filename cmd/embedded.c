/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The embedded monitor's daemon (cmd/embedded.h): set up the source, the
 * actions and the control socket, fork, and run DAMON's loop while serving
 * requests between samples.
 */
#include "cmd/embedded.h"

#include "cmd/cmd.h"
#include "cmd/kernel.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
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

#include "core/actions_madvise.h"
#include "core/damos_engine.h"
#include "core/diag.h"
#include "core/mon_clock.h"
#include "core/monitor.h"
#include "core/out.h"
#include "core/snapshot.h"
#include "core/sources/auto.h"
#include "core/sources/metrics.h"
#include "core/sources/pageidle.h"
#include "core/sources/proc.h"
#include "core/sources/softdirty.h"
#include "core/sources/uffd.h"
#include "core/xalloc.h"
#include "formats/config.h"
#include "formats/doc.h"
#include "kdamond/features.h"
#include "kdamond/owner.h"
#include "cmd/embedded_wire.h"

#ifndef DAMO_AGENT_PATH
#define DAMO_AGENT_PATH "/usr/local/lib/damo/libdamo-agent.so"
#endif

#define AGENT_WAIT_MS 3000
#define MAX_CLIENTS 32
#define CLIENT_OUT_MAX (16u << 20)	/* a record reader this far behind is dropped */

enum emb_src_kind { SRC_UFFD, SRC_SOFTDIRTY, SRC_PAGEIDLE };

static const char *const src_names[] = { "uffd", "softdirty", "pageidle" };
static const char *const src_sees[] = { "writes", "writes",
					"reads and writes" };

struct emb_client {
	int fd;
	char *in;
	size_t in_len;
	char *out;			/* pending answer bytes */
	size_t out_len, out_off;
	bool subscribed;		/* record stream */
	bool close_after;		/* close once out is sent */
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
	enum emb_src_kind kind;
	union {
		struct uffd_source uffd;
		struct softdirty_source sd;
		struct pageidle_source pi;
	} src;
	struct madvise_actions acts;
	struct sys_metrics metrics;
	struct monitor mon;
	bool mon_ready;
	pid_t *pids;
	size_t nr_pids;
	pid_t command_pid;
	uint64_t started;
	struct emb_client clients[MAX_CLIENTS];
	size_t nr_clients;
	/* tried regions: per scheme, the last complete apply interval */
	struct damos_walk walk;
	struct damos_tried_region **tried, **tried_next;
	size_t *nr_tried, *nr_tried_next, *cap_tried, *cap_tried_next;
	uint64_t *tried_bytes;
	struct damon_config *tune;	/* parsed, waiting for the call hook */
	int tune_client;
	const char *exit_reason;
	char *snap_buf;			/* one record line, reused */
	size_t snap_cap;
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

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

int embedded_parse_backend(const char *s, enum damo_backend *b)
{
	static const char *const names[] = { "auto", "kernel", "embedded" };
	size_t i;

	for (i = 0; i < 3; i++)
		if (!strcmp(s, names[i])) {
			*b = (enum damo_backend)i;
			return 0;
		}
	return -EINVAL;
}

const char *embedded_kernel_lacks(const struct features *feat,
				  const struct damon_config *cfg)
{
	size_t i, j;

	for (i = 0; i < cfg->nr_kdamonds; i++)
		for (j = 0; j < cfg->kdamonds[i].nr_ctxs; j++) {
			enum damon_ops ops = cfg->kdamonds[i].ctxs[j].ops;

			if (ops == DAMON_OPS_VADDR && features_absent(feat, "vaddr"))
				return "kernel DAMON has no vaddr operations";
			if (ops == DAMON_OPS_FVADDR &&
			    features_absent(feat, "fvaddr"))
				return "kernel DAMON has no fvaddr operations";
		}
	return NULL;
}

void embedded_default_intervals(struct damon_ctx *c)
{
	c->intervals.sample_us = EMB_SAMPLE_US;
	c->intervals.aggr_us = EMB_AGGR_US;
	c->intervals.ops_update_us = EMB_UPDATE_US;
	c->intervals.goal.access_bp = EMB_GOAL_BP;
	c->intervals.goal.aggrs = EMB_GOAL_AGGRS;
	c->intervals.goal.min_sample_us = EMB_SAMPLE_US;
	c->intervals.goal.max_sample_us = EMB_GOAL_MAX_US;
}

void embedded_id_arg(struct argp_state *state, const char *arg, bool *has_idx,
		     unsigned long *idx, bool *has_eid, unsigned long *eid)
{
	if (*has_idx || *has_eid)
		argp_error(state, "one kdamond id at a time");
	if (embedded_parse_id(arg, eid))
		*has_eid = true;
	else if (kernel_parse_idx(arg, idx))
		argp_error(state, "'%s' is not a kdamond id (N, or eN for an embedded monitor)",
			   arg);
	else
		*has_idx = true;
}

/* ---- the source and the actions ---- */

static int parse_source(const char *name, int *kind)
{
	size_t i;

	if (!name || !strcmp(name, "auto")) {
		*kind = -1;
		return 0;
	}
	for (i = 0; i < 3; i++)
		if (!strcmp(name, src_names[i])) {
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

static struct access_source *src_base(struct emb_daemon *dm)
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

static int src_init(struct emb_daemon *dm, struct diag *d)
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

static void src_release(struct emb_daemon *dm)
{
	access_source_destroy(src_base(dm));
}

/* The agent: $DAMO_AGENT, next to the binary (a build tree), installed. */
static char *agent_path(void);
static int check_scheme_needs(struct emb_daemon *dm, const struct damon_ctx *c,
			      struct diag *d);

static int choose_source(struct emb_daemon *dm, int want, bool command,
			 struct diag *d)
{
	const struct damon_ctx *c = &dm->cfg.kdamonds[0].ctxs[0];
	pid_t *pids = NULL;
	char *agent = NULL;
	size_t i, nr = 0;
	int kind;

	if (want < 0) {
		if (command) {
			agent = agent_path();
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

static char *agent_path(void)
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

/* Wait for the agent in @pid to register memory (uffd_probe_pid()). */
static int wait_agent(pid_t pid, struct diag *d)
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

static int check_config(const struct damon_config *cfg, bool command,
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

/* ---- the tried-regions walk, always running like the synthetic record ---- */

static void on_tried(void *data, size_t si, size_t ti,
		     const struct mon_region *r, uint64_t sz_filter_passed)
{
	struct emb_daemon *dm = data;
	struct damos_tried_region *t;

	(void)ti;
	if (dm->nr_tried_next[si] == dm->cap_tried_next[si]) {
		dm->cap_tried_next[si] = dm->cap_tried_next[si] ?
					 dm->cap_tried_next[si] * 2 : 64;
		dm->tried_next[si] = xreallocarray(dm->tried_next[si],
						   dm->cap_tried_next[si],
						   sizeof(*t));
	}
	t = &dm->tried_next[si][dm->nr_tried_next[si]++];
	t->start = r->start;
	t->end = r->end;
	t->nr_accesses = r->nr_accesses_bp / 10000;
	t->age = r->age;
	t->sz_filter_passed = sz_filter_passed;
}

static void on_walk_done(void *data, bool canceled)
{
	struct emb_daemon *dm = data;
	size_t si, i;

	for (si = 0; si < dm->mon.damos.nr_schemes; si++) {
		if (!canceled) {
			struct damos_tried_region *tmp = dm->tried[si];
			size_t cap = dm->cap_tried[si];

			/* swap the buffers: the next walk reuses the old */
			dm->tried[si] = dm->tried_next[si];
			dm->cap_tried[si] = dm->cap_tried_next[si];
			dm->nr_tried[si] = dm->nr_tried_next[si];
			dm->tried_next[si] = tmp;
			dm->cap_tried_next[si] = cap;
			dm->tried_bytes[si] = 0;
			for (i = 0; i < dm->nr_tried[si]; i++)
				dm->tried_bytes[si] += dm->tried[si][i].end -
						       dm->tried[si][i].start;
		}
		dm->nr_tried_next[si] = 0;
	}
}

static void tried_alloc(struct emb_daemon *dm, size_t n)
{
	n = n ? n : 1;
	dm->tried = xcalloc(n, sizeof(*dm->tried));
	dm->tried_next = xcalloc(n, sizeof(*dm->tried_next));
	dm->nr_tried = xcalloc(n, sizeof(*dm->nr_tried));
	dm->nr_tried_next = xcalloc(n, sizeof(*dm->nr_tried_next));
	dm->cap_tried = xcalloc(n, sizeof(*dm->cap_tried));
	dm->cap_tried_next = xcalloc(n, sizeof(*dm->cap_tried_next));
	dm->tried_bytes = xcalloc(n, sizeof(*dm->tried_bytes));
}

static void tried_free(struct emb_daemon *dm, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(dm->tried[i]);
		free(dm->tried_next[i]);
	}
	free(dm->tried);
	free(dm->tried_next);
	free(dm->nr_tried);
	free(dm->nr_tried_next);
	free(dm->cap_tried);
	free(dm->cap_tried_next);
	free(dm->tried_bytes);
}

/* ---- status ---- */

/* The model as it runs now: config, tuned intervals and runtime state. */
static void current_model(struct emb_daemon *dm, struct damon_config *out)
{
	struct damon_ctx *c;
	size_t i, j;

	damon_config_init(out);
	damon_config_copy(out, &dm->cfg);
	out->kdamonds[0].on = dm->mon_ready && !dm->mon.stopped &&
			      !dm->exit_reason;
	out->kdamonds[0].has_pid = true;
	out->kdamonds[0].pid = getpid();
	c = &out->kdamonds[0].ctxs[0];
	if (!dm->mon_ready)
		return;
	c->intervals.sample_us = dm->mon.attrs.sample_us;
	c->intervals.aggr_us = dm->mon.attrs.aggr_us;
	for (i = 0; i < c->nr_schemes && i < dm->mon.damos.nr_schemes; i++) {
		struct damos *s = &c->schemes[i];
		const struct damos_scheme_state *st = &dm->mon.damos.schemes[i];

		s->stats = st->stats;
		/* the pattern as the kernel holds it: samples, aggregations */
		s->pattern.nr_accesses_unit = DAMOS_NR_ACCESSES_SAMPLES;
		s->pattern.min_nr_accesses = st->min_nr;
		s->pattern.max_nr_accesses = st->max_nr;
		s->pattern.age_unit = DAMOS_AGE_AGGR_INTERVALS;
		s->pattern.min_age = st->min_age;
		s->pattern.max_age = st->max_age;
		s->quota.effective_sz_bytes = st->quota.esz;
		for (j = 0; j < s->quota.nr_goals; j++)
			s->quota.goals[j].current_value =
				st->goals[j].current_value;
		s->tried_bytes = dm->tried_bytes[i];
		s->nr_tried = dm->nr_tried[i];
		s->tried = NULL;
		if (s->nr_tried) {
			s->tried = xcalloc(s->nr_tried, sizeof(*s->tried));
			memcpy(s->tried, dm->tried[i],
			       s->nr_tried * sizeof(*s->tried));
		}
	}
}

static char *status_answer(struct emb_daemon *dm)
{
	struct damon_config m;
	struct emb_wire_status ws = {
		.id = dm->id,
		.pid = getpid(),
		.source = src_names[dm->kind],
		.sees = src_sees[dm->kind],
		.exit_reason = dm->exit_reason,
		.started = dm->started,
		.command_pid = dm->command_pid,
		.nr_regions = dm->mon_ready ? monitor_nr_regions(&dm->mon) : 0,
	};
	char *text;

	current_model(dm, &m);
	ws.kdamond = &m.kdamonds[0];
	text = emb_wire_status_emit(&ws);
	damon_config_release(&m);
	return text;
}

/* The last status, for 'damo status' after the daemon is gone. */
static void write_status_file(struct emb_daemon *dm)
{
	char *text = status_answer(dm);
	char *tmp = xasprintf("%s.tmp", dm->status_path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	size_t len = strlen(text);

	if (fd >= 0) {
		if (write(fd, text, len) == (ssize_t)len && !fsync(fd))
			rename(tmp, dm->status_path);
		close(fd);
	}
	unlink(tmp);
	free(tmp);
	free(text);
}

/* ---- clients ---- */

static void client_queue(struct emb_client *c, const char *text, bool close)
{
	size_t n = strlen(text);

	if (c->out_len + n + 1 > CLIENT_OUT_MAX) {
		c->out_len = c->out_off = 0;	/* too far behind: drop */
		c->close_after = true;
		c->subscribed = false;
		return;
	}
	c->out = xreallocarray(c->out, c->out_len + n + 1, 1);
	memcpy(c->out + c->out_len, text, n);
	c->out[c->out_len + n] = '\n';
	c->out_len += n + 1;
	if (close)
		c->close_after = true;
}

/* Whether client @i waits for its tune to be applied. */
static bool tune_waits(const struct emb_daemon *dm, size_t i)
{
	return dm->tune && dm->tune_client == (int)i;
}

static void client_close(struct emb_daemon *dm, size_t i)
{
	struct emb_client *c = &dm->clients[i];

	close(c->fd);
	free(c->in);
	free(c->out);
	if (tune_waits(dm, i)) {
		damon_config_release(dm->tune);
		free(dm->tune);
		dm->tune = NULL;
	}
	dm->clients[i] = dm->clients[--dm->nr_clients];
	if (dm->tune && dm->tune_client == (int)dm->nr_clients)
		dm->tune_client = (int)i;
}

static void client_flush(struct emb_client *c)
{
	while (c->out_off < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_off,
				 c->out_len - c->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n <= 0) {
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				return;
			c->out_off = c->out_len;
			c->close_after = true;
			c->subscribed = false;
			return;
		}
		c->out_off += (size_t)n;
	}
	c->out_len = c->out_off = 0;
}

static void answer_error(struct emb_client *c, struct diag *d)
{
	char *text = emb_wire_error_emit(d);

	client_queue(c, text, true);
	free(text);
}

static void answer_ok(struct emb_client *c)
{
	client_queue(c, "{\"ok\":true}", true);
}

/* A tune request: checked now, applied at the next call hook. */
static void request_tune(struct emb_daemon *dm, size_t ci,
			 const struct doc_node *req)
{
	struct emb_client *c = &dm->clients[ci];
	const struct doc_node *cfgn = doc_map_get(req, "config");
	struct config_file cf;
	struct damon_ctx *nc;
	const struct damon_ctx *oc = &dm->cfg.kdamonds[0].ctxs[0];
	struct diag d;
	size_t i;

	diag_init(&d);
	if (!cfgn || cfgn->kind != DOC_STRING) {
		diag_add(&d, "", "a tune request needs a \"config\" string");
		goto refuse;
	}
	if (config_parse(cfgn->text, strlen(cfgn->text), "tune", true, &cf, &d))
		goto refuse;
	if (check_config(&cf.cfg, true, &d))
		goto refuse_cf;
	nc = &cf.cfg.kdamonds[0].ctxs[0];
	/* options without a pid build a paddr target: keep what runs */
	if (nc->nr_targets && !nc->targets[0].has_pid) {
		for (i = 0; i < nc->nr_targets; i++)
			damon_target_release(&nc->targets[i]);
		nc->nr_targets = 0;
	}
	if (!nc->nr_targets)
		cf.cfg.kdamonds[0].ctxs[0].ops = oc->ops;
	if (nc->nr_targets) {
		bool same = nc->nr_targets == oc->nr_targets;

		for (i = 0; same && i < nc->nr_targets; i++)
			same = nc->targets[i].has_pid &&
			       nc->targets[i].pid == oc->targets[i].pid;
		if (!same) {
			diag_add(&d, "", "the targets of an embedded monitor cannot change while it runs");
			diag_add(&d, "hint", "stop it and start another");
			goto refuse_cf;
		}
	}
	if (dm->tune) {
		diag_add(&d, "", "another tune is being applied; try again");
		goto refuse_cf;
	}
	if (check_scheme_needs(dm, nc, &d))
		goto refuse_cf;
	dm->tune = xmalloc(sizeof(*dm->tune));
	*dm->tune = cf.cfg;	/* moved */
	damon_config_init(&cf.cfg);
	config_file_release(&cf);
	dm->tune_client = (int)ci;
	diag_release(&d);
	return;
refuse_cf:
	config_file_release(&cf);
refuse:
	answer_error(c, &d);
	diag_release(&d);
}

static void request(struct emb_daemon *dm, size_t ci, const char *line)
{
	struct emb_client *c = &dm->clients[ci];
	struct doc_node *req;
	const struct doc_node *op;
	struct diag d;

	diag_init(&d);
	req = doc_parse_json(line, strlen(line), "request", &d);
	op = req && req->kind == DOC_MAP ? doc_map_get(req, "op") : NULL;
	if (!op || op->kind != DOC_STRING) {
		if (req)
			diag_add(&d, "", "a request is a JSON object with an \"op\"");
		answer_error(c, &d);
	} else if (!strcmp(op->text, "status")) {
		char *text = status_answer(dm);

		client_queue(c, text, true);
		free(text);
	} else if (!strcmp(op->text, "stop")) {
		dm->exit_reason = "stopped by request";
		monitor_request_stop(&dm->mon);
		answer_ok(c);
	} else if (!strcmp(op->text, "tune")) {
		request_tune(dm, ci, req);
	} else if (!strcmp(op->text, "record")) {
		c->subscribed = true;
		client_queue(c, "{\"ok\":true}", false);
	} else {
		diag_add(&d, "", "unknown request '%s'", op->text);
		answer_error(c, &d);
	}
	doc_free(req);
	diag_release(&d);
}

static bool peer_allowed(int fd)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len))
		return false;
	return cr.uid == 0 || cr.uid == geteuid();
}

static void accept_client(struct emb_daemon *dm)
{
	int fd = accept4(dm->lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	struct emb_client *c;

	if (fd < 0)
		return;
	if (dm->nr_clients == MAX_CLIENTS) {
		send(fd, "{\"ok\":false,\"errors\":[{\"message\":\"too many connections\"}]}\n",
		     59, MSG_NOSIGNAL | MSG_DONTWAIT);
		close(fd);
		return;
	}
	c = &dm->clients[dm->nr_clients++];
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	if (!peer_allowed(fd)) {
		struct diag d;

		diag_init(&d);
		diag_add(&d, "", "permission denied: only the monitor's owner or root may control it");
		answer_error(c, &d);
		diag_release(&d);
	}
}

/* Read what a client sent; a whole line is a request. */
static void client_read(struct emb_daemon *dm, size_t ci)
{
	struct emb_client *c = &dm->clients[ci];
	char buf[65536], *nl;
	ssize_t n;

	if (c->close_after || c->subscribed || tune_waits(dm, ci))
		return;
	n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		c->close_after = true;
		c->out_len = c->out_off = 0;
		return;
	}
	if (c->in_len + (size_t)n > EMB_REQ_MAX) {
		struct diag d;

		diag_init(&d);
		diag_add(&d, "", "request larger than %d bytes refused",
			 EMB_REQ_MAX);
		answer_error(c, &d);
		diag_release(&d);
		return;
	}
	c->in = xreallocarray(c->in, c->in_len + (size_t)n + 1, 1);
	memcpy(c->in + c->in_len, buf, (size_t)n);
	c->in_len += (size_t)n;
	c->in[c->in_len] = '\0';
	nl = memchr(c->in, '\n', c->in_len);
	if (nl) {
		*nl = '\0';
		request(dm, ci, c->in);
	}
}

/* Serve the socket until @deadline (monotonic ns) or a stop. */
static void serve(struct emb_daemon *dm, uint64_t deadline)
{
	struct pollfd pfd[MAX_CLIENTS + 1];
	size_t i;

	for (;;) {
		uint64_t now = mon_clock_now_ns(&dm->real);
		struct timespec ts;
		int n;

		for (i = dm->nr_clients; i-- > 0;) {
			client_flush(&dm->clients[i]);
			if (dm->clients[i].close_after &&
			    dm->clients[i].out_off >= dm->clients[i].out_len)
				client_close(dm, i);
		}
		if (stop_signal && !dm->mon.stop_requested) {
			dm->exit_reason = stop_signal == SIGINT ?
					  "interrupted" : "terminated by a signal";
			monitor_request_stop(&dm->mon);
		}
		if (now >= deadline)
			return;
		pfd[0].fd = dm->lfd;
		pfd[0].events = POLLIN;
		for (i = 0; i < dm->nr_clients; i++) {
			pfd[i + 1].fd = dm->clients[i].fd;
			pfd[i + 1].events = POLLIN;
			if (dm->clients[i].out_off < dm->clients[i].out_len)
				pfd[i + 1].events |= POLLOUT;
		}
		ts.tv_sec = (time_t)((deadline - now) / 1000000000ULL);
		ts.tv_nsec = (long)((deadline - now) % 1000000000ULL);
		n = ppoll(pfd, dm->nr_clients + 1, &ts, NULL);
		if (n <= 0)
			continue;
		for (i = dm->nr_clients; i-- > 0;)
			if (pfd[i + 1].revents & (POLLIN | POLLHUP | POLLERR))
				client_read(dm, i);
		if (pfd[0].revents & POLLIN)
			accept_client(dm);
	}
}

static uint64_t clk_now(struct mon_clock *clk)
{
	struct emb_daemon *dm = (struct emb_daemon *)clk;

	return mon_clock_now_ns(&dm->real);
}

static void clk_sleep_until(struct mon_clock *clk, uint64_t ns)
{
	serve((struct emb_daemon *)clk, ns);
}

static const struct mon_clock_ops serving_clock = {
	.now_ns = clk_now,
	.sleep_until = clk_sleep_until,
};

/* ---- hooks ---- */

static void on_aggregated(void *data, const struct monitor *mon)
{
	struct emb_daemon *dm = data;
	/* CLOCK_MONOTONIC, like the kernel's trace timestamps */
	uint64_t base = 0;
	size_t ci, ti;
	bool any = false;

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
				client_queue(&dm->clients[ci], dm->snap_buf,
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

	a.sample_us = nc->intervals.sample_us;
	a.aggr_us = nc->intervals.aggr_us;
	a.ops_update_us = nc->intervals.ops_update_us;
	a.goal = nc->intervals.goal;
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
	/* schemes: new parameters, stats kept by position (damos_commit) */
	keep = xcalloc(n_old ? n_old : 1, sizeof(*keep));
	for (i = 0; i < n_old; i++)
		keep[i] = mon->damos.schemes[i].stats;
	damos_engine_walk_cancel(&mon->damos);
	damos_engine_release(&mon->damos);
	tried_free(dm, n_old);
	damos_engine_init(&mon->damos, nc, &dm->acts.base, &dm->metrics.base);
	damos_engine_start(&mon->damos, mon);
	for (i = 0; i < n_old && i < mon->damos.nr_schemes; i++)
		mon->damos.schemes[i].stats = keep[i];
	free(keep);
	tried_alloc(dm, mon->damos.nr_schemes);
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

	if (dm->tune) {
		struct emb_client *c = &dm->clients[dm->tune_client];
		struct diag d;

		diag_init(&d);
		if (apply_tune(dm, dm->tune, &d))
			answer_error(c, &d);
		else
			answer_ok(c);
		damon_config_release(dm->tune);
		free(dm->tune);
		dm->tune = NULL;
		diag_release(&d);
	}
	if (mon->damos.nr_schemes && !mon->damos.walk_pending)
		damos_engine_walk(&mon->damos, &dm->walk);
}

/* ---- setup ---- */

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
	int fd = open(dm->pid_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB)) {
		diag_add(d, "", "cannot lock '%s': %s", dm->pid_path,
			 strerror(errno));
		if (fd >= 0)
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

static int make_dir(const char *path, struct diag *d)
{
	struct stat st;

	if (mkdir(path, 0700) && errno != EEXIST) {
		int err = -errno;

		diag_add(d, "", "cannot create '%s': %s", path, strerror(-err));
		return err;
	}
	if (stat(path, &st) || st.st_uid != geteuid() || (st.st_mode & 077)) {
		diag_add(d, "", "'%s' must be a directory of this user with owner-only permissions",
			 path);
		return -EPERM;
	}
	return 0;
}

/* The lowest eN free in the registry. */
static unsigned long alloc_id(struct owner_reg *reg)
{
	unsigned long id = 0;

	while (owner_find(reg, EMB_REG_ROOT, id))
		id++;
	return id;
}

static int setup_targets(struct emb_daemon *dm, const struct embedded_opts *o,
			 struct diag *d)
{
	struct damon_ctx *c = &dm->cfg.kdamonds[0].ctxs[0];
	char *agent = NULL;
	int gate = -1, err = 0;
	size_t i;

	if (o->command) {
		if (dm->kind == SRC_UFFD) {
			agent = agent_path();
			if (access(agent, R_OK)) {
				diag_add(d, "", "damo's agent '%s' is missing: %s",
					 agent, strerror(errno));
				diag_add(d, "hint", "install damo (it installs libdamo-agent.so) or set DAMO_AGENT");
				free(agent);
				return -ENOENT;
			}
		}
		dm->command_pid = cmd_spawn_held(o->command, agent, &gate);
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
		if (!err && dm->kind == SRC_UFFD)
			err = wait_agent(dm->command_pid, d);
	}
	dm->nr_pids = c->nr_targets;
	dm->pids = xcalloc(dm->nr_pids, sizeof(*dm->pids));
	for (i = 0; i < c->nr_targets; i++)
		dm->pids[i] = (pid_t)c->targets[i].pid;
	return err;
}

static void kill_command(struct emb_daemon *dm)
{
	if (dm->command_pid > 0) {
		kill(dm->command_pid, SIGKILL);
		waitpid(dm->command_pid, NULL, 0);
		dm->command_pid = -1;
	}
}

/*
 * What the schemes of @c need from outside, asked before anything runs:
 * the kernel takes each action's advice, each ops filter can be decided,
 * each goal and watermark metric can be read.
 */
static int check_scheme_needs(struct emb_daemon *dm, const struct damon_ctx *c,
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

static int setup_monitor(struct emb_daemon *dm, struct diag *d)
{
	const struct damon_ctx *c = &dm->cfg.kdamonds[0].ctxs[0];
	struct monitor_setup setup = {
		.ctx = c, .clock = &dm->clk, .source = src_base(dm),
		.actions = &dm->acts.base, .seed = (uint64_t)getpid(),
	};
	int err;

	err = madvise_actions_init(&dm->acts, dm->pids, dm->nr_pids, d);
	if (err)
		return err;
	sys_metrics_init(&dm->metrics, NULL, NULL, NULL);
	setup.metrics = &dm->metrics.base;
	err = check_scheme_needs(dm, c, d);
	if (err) {
		sys_metrics_release(&dm->metrics);
		madvise_actions_release(&dm->acts);
		return err;
	}
	tried_alloc(dm, c->nr_schemes);
	dm->walk.data = dm;
	dm->walk.region = on_tried;
	dm->walk.done = on_walk_done;
	setup.hooks = (struct monitor_hooks){
		.data = dm, .aggregated = on_aggregated, .call = on_call,
	};
	err = monitor_init(&dm->mon, &setup);
	if (err) {
		diag_add(d, "", "the monitor refuses these parameters (intervals or region bounds)");
		tried_free(dm, c->nr_schemes);
		sys_metrics_release(&dm->metrics);
		madvise_actions_release(&dm->acts);
		return err;
	}
	dm->mon_ready = true;
	return 0;
}

static void daemon_release(struct emb_daemon *dm)
{
	size_t i;

	for (i = dm->nr_clients; i-- > 0;)
		client_close(dm, i);
	if (dm->mon_ready) {
		size_t n = dm->mon.damos.nr_schemes;

		monitor_release(&dm->mon);
		tried_free(dm, n);
		sys_metrics_release(&dm->metrics);
		madvise_actions_release(&dm->acts);
		src_release(dm);
	}
	if (dm->lfd >= 0)
		close(dm->lfd);
	if (dm->pid_fd >= 0)
		close(dm->pid_fd);
	damon_config_release(&dm->cfg);
	free(dm->pids);
	free(dm->snap_buf);
	free(dm->sock_path);
	free(dm->pid_path);
	free(dm->status_path);
	free(dm->rundir);
}

/* The daemon's life after setup: monitor until stopped, leave a status. */
static void run_loop(struct emb_daemon *dm)
{
	unsigned int flags = 0;
	size_t i;

	while (!(flags & MONITOR_STOPPED))
		flags = monitor_step(&dm->mon);
	if (!dm->exit_reason)
		dm->exit_reason = "the target exited";
	/* record readers get what is queued, then the end of the stream */
	for (i = 0; i < dm->nr_clients; i++) {
		dm->clients[i].close_after = true;
		if (tune_waits(dm, i)) {
			struct diag d;

			diag_init(&d);
			diag_add(&d, "", "the monitor stopped");
			answer_error(&dm->clients[i], &d);
			diag_release(&d);
		}
	}
	dm->mon.stopped = true;
	write_status_file(dm);
	for (i = 0; i < 50 && dm->nr_clients; i++)
		serve(dm, mon_clock_now_ns(&dm->real) + 10000000ULL);
	unlink(dm->sock_path);
	if (dm->command_pid > 0)
		waitpid(dm->command_pid, NULL, WNOHANG);
}

static void daemon_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
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
	int fd = open("/dev/null", O_RDWR);

	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		close(fd);
	}
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0) {
		dup2(fd, STDERR_FILENO);
		close(fd);
	}
}

static void print_id(const struct embedded_opts *eo, struct emb_daemon *dm,
		     pid_t pid)
{
	struct out *o = eo->out;
	const struct damon_ctx *c = &dm->cfg.kdamonds[0].ctxs[0];
	size_t j;

	if (eo->no_id)
		return;
	if (!out_is_json(o)) {
		out_text(o, "e%lu\n", dm->id);
		return;
	}
	out_begin_list(o, NULL);
	out_begin_obj(o, NULL);
	out_strf(o, "id", "e%lu", dm->id);
	out_str(o, "backend", "embedded");
	out_i64(o, "pid", pid);
	out_str(o, "ops", damon_ops_name(c->ops));
	out_str(o, "source", src_names[dm->kind]);
	out_str(o, "sees", src_sees[dm->kind]);
	if (dm->command_pid > 0)
		out_i64(o, "command_pid", dm->command_pid);
	out_begin_list(o, "target_pids");
	for (j = 0; j < c->nr_targets; j++)
		out_i64(o, NULL, c->targets[j].pid);
	out_end_list(o);
	out_end_obj(o);
	out_end_list(o);
}

int embedded_start(const char *rundir, struct damon_config *cfg,
		   struct embedded_opts *o, struct diag *d)
{
	struct emb_daemon *dm = xcalloc(1, sizeof(*dm));
	struct owner_reg reg;
	char *dir = emb_dir(rundir), *log;
	int want, err, status_pipe = -1;
	bool reg_open = false;
	pid_t pid;

	dm->lfd = dm->pid_fd = -1;
	dm->command_pid = -1;
	dm->clk.ops = &serving_clock;
	mon_clock_init_real(&dm->real);
	dm->rundir = xstrdup(rundir);
	damon_config_init(&dm->cfg);
	damon_config_copy(&dm->cfg, cfg);
	err = check_config(&dm->cfg, o->command != NULL, d);
	if (!err && parse_source(o->source, &want)) {
		diag_add(d, "", "--source: '%s' is not a source (auto, uffd, softdirty, pageidle)",
			 o->source);
		err = -EINVAL;
	}
	if (err)
		goto out;
	err = choose_source(dm, want, o->command != NULL, d);
	/* what auto picked is said now, not when the monitor ends */
	cmd_warn_diag(o->out, d);
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
		err = setup_targets(dm, o, d);
	if (!err) {
		err = src_init(dm, d);
		if (!err) {
			err = setup_monitor(dm, d);
			if (err)
				src_release(dm);
		}
	}
	if (!err)
		err = listen_socket(dm, d);
	if (err) {
		kill_command(dm);
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
		print_id(o, dm, getpid());
		fflush(stdout);
		daemon_signals();
		run_loop(dm);
		if (dm->exit_reason)
			out_warn(o->out, "e%lu stopped: %s", dm->id,
				 dm->exit_reason);
		goto out;
	}
	pid = daemonize(dm, &status_pipe);
	if (pid < 0) {
		err = -errno;
		diag_add(d, "", "cannot start the daemon: %s", strerror(-err));
		kill_command(dm);
		unlink(dm->sock_path);
		unlink(dm->pid_path);
		goto out;
	}
	if (pid > 0) {		/* the caller */
		owner_add(&reg, EMB_REG_ROOT, dm->id, pid);
		reg_open = false;
		err = owner_close(&reg, true, d);
		print_id(o, dm, pid);
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
	daemon_signals();
	run_loop(dm);
	daemon_release(dm);
	free(dm);
	free(dir);
	_exit(0);
out_parent:
	/* daemon_release() frees the parent's copies, stopping nothing */
	dm->command_pid = -1;
out:
	if (reg_open)
		owner_close(&reg, false, d);
	daemon_release(dm);
	free(dm);
	free(dir);
	return err;
}
