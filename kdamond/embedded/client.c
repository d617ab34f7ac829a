/* SPDX-License-Identifier: GPL-2.0 */
/* The client side of the embedded daemon's control socket (kdamond/embedded/embedded.h). */
#include "kdamond/embedded/embedded.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "kdamond/embedded/wire.h"
#include "core/diag.h"
#include "core/snapshot.h"
#include "core/xalloc.h"
#include "formats/config.h"
#include "formats/doc.h"
#include "kdamond/owner.h"

#define ANSWER_TIMEOUT_MS 10000
#define STOP_TIMEOUT_MS 10000

void embedded_info_release(struct embedded_info *info)
{
	free(info->source);
	free(info->sees);
	free(info->exit_reason);
	memset(info, 0, sizeof(*info));
}

size_t embedded_ids(const char *rundir, unsigned long **ids)
{
	struct owner_reg reg;
	struct diag d;
	size_t i, n = 0;

	*ids = NULL;
	diag_init(&d);
	if (owner_open(rundir, &reg, &d)) {
		diag_release(&d);
		return 0;
	}
	*ids = xcalloc(reg.nr ? reg.nr : 1, sizeof(**ids));
	for (i = 0; i < reg.nr; i++)
		if (!strcmp(reg.v[i].root, EMB_REG_ROOT))
			(*ids)[n++] = reg.v[i].idx;
	owner_close(&reg, false, &d);
	diag_release(&d);
	/* the registry keeps them in insertion order: sort */
	for (i = 1; i < n; i++) {
		unsigned long v = (*ids)[i];
		size_t j = i;

		for (; j && (*ids)[j - 1] > v; j--)
			(*ids)[j] = (*ids)[j - 1];
		(*ids)[j] = v;
	}
	return n;
}

static bool registered(const char *rundir, unsigned long id)
{
	unsigned long *ids;
	size_t i, n = embedded_ids(rundir, &ids);
	bool found = false;

	for (i = 0; i < n; i++)
		found |= ids[i] == id;
	free(ids);
	return found;
}

/* Whether the daemon of @id still holds its pid file's lock. */
static bool daemon_alive(const char *rundir, unsigned long id)
{
	char *path = emb_path(rundir, id, "pid");
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool alive = false;

	free(path);
	if (fd < 0)
		return false;
	if (flock(fd, LOCK_SH | LOCK_NB))
		alive = errno == EWOULDBLOCK;
	close(fd);
	return alive;
}

static int connect_daemon(const char *rundir, unsigned long id, struct diag *d)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char *path = emb_path(rundir, id, "sock");
	int fd, err;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		diag_add(d, "", "socket path '%s' is too long", path);
		free(path);
		return -ENAMETOOLONG;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		err = -errno;
		if (err == -EACCES)
			diag_add(d, "", "cannot connect to 'e%lu' (%s): permission denied; only its owner or root may control it",
				 id, path);
		else
			diag_add(d, "", "cannot connect to 'e%lu' (%s): %s",
				 id, path, strerror(-err));
		if (fd >= 0)
			close(fd);
		free(path);
		return err;
	}
	free(path);
	return fd;
}

static int send_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -errno;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Read one line (without its newline) into *@line; 0 at a clean EOF. */
static int read_line(int fd, char **buf, size_t *len, size_t *cap,
		     char **line, int timeout_ms)
{
	for (;;) {
		char *nl = *len ? memchr(*buf, '\n', *len) : NULL;
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (nl) {
			size_t l = (size_t)(nl - *buf);

			*line = xstrndup(*buf, l);
			memmove(*buf, nl + 1, *len - l - 1);
			*len -= l + 1;
			return 1;
		}
		if (timeout_ms >= 0) {
			int r = poll(&p, 1, timeout_ms);

			if (r == 0)
				return -ETIMEDOUT;
			if (r < 0)
				return errno == EINTR ? -EINTR : -errno;
		}
		if (*len + 65536 > *cap) {
			*cap = (*len + 65536) * 2;
			*buf = xreallocarray(*buf, *cap, 1);
		}
		n = recv(fd, *buf + *len, *cap - *len, 0);
		if (n < 0 && errno == EINTR)
			return -EINTR;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		*len += (size_t)n;
	}
}

/* One request, one answer line. */
static int call(const char *rundir, unsigned long id, const char *req,
		char **answer, struct diag *d)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int fd = connect_daemon(rundir, id, d), err;

	*answer = NULL;
	if (fd < 0)
		return fd;
	err = send_all(fd, req, strlen(req));
	if (!err)
		err = send_all(fd, "\n", 1);
	/* a refusal may come before the request is taken: read it anyway */
	if (!err || err == -EPIPE || err == -ECONNRESET) {
		int rerr = read_line(fd, &buf, &len, &cap, answer,
				     ANSWER_TIMEOUT_MS);

		err = rerr == 1 ? 0 : rerr ? rerr : err ? err : -EPIPE;
	}
	if (err)
		diag_add(d, "", "no answer from 'e%lu': %s", id,
			 err == -ETIMEDOUT ? "timed out" : strerror(-err));
	free(buf);
	close(fd);
	return err;
}

static int unknown(const char *rundir, unsigned long id, struct diag *d)
{
	unsigned long *ids;
	size_t n = embedded_ids(rundir, &ids);

	free(ids);
	diag_add(d, "", "there is no embedded monitor 'e%lu' (%zu registered)",
		 id, n);
	diag_add(d, "hint", "'damo status' lists them");
	return -ENOENT;
}

static int read_text_file(const char *path, char **text)
{
	FILE *f = fopen(path, "re");
	size_t cap = 0, len = 0, n;

	*text = NULL;
	if (!f)
		return -errno;
	do {
		*text = xreallocarray(*text, cap += 65536, 1);
		n = fread(*text + len, 1, cap - len - 1, f);
		len += n;
	} while (n);
	(*text)[len] = '\0';
	fclose(f);
	return 0;
}

/*
 * Whether a call's @err is what a daemon ending by itself gives: its
 * socket gone, or closed with the connection unaccepted.
 */
static bool ending(int err)
{
	return err == -ENOENT || err == -ECONNREFUSED || err == -ECONNRESET ||
	       err == -EPIPE;
}

/* Whether the daemon of @id is gone, or goes within @ms. */
static bool daemon_ended(const char *rundir, unsigned long id, unsigned int ms)
{
	struct timespec ts = { 0, 20 * 1000000L };
	unsigned int waited = 0;

	while (daemon_alive(rundir, id)) {
		if (waited >= ms)
			return false;
		nanosleep(&ts, NULL);
		waited += 20;
	}
	return true;
}

/* The entries of @from go to @to if @err; @from is released. */
static void diag_move(struct diag *to, struct diag *from, int err)
{
	size_t i;

	for (i = 0; err && i < from->nr; i++)
		diag_add(to, from->v[i].path, "%s", from->v[i].msg);
	diag_release(from);
}

/* The daemon's pid as its pid file says, or -1. */
static long pid_of(const char *rundir, unsigned long id)
{
	char *path = emb_path(rundir, id, "pid"), *text = NULL, *end;
	long pid = -1;

	if (!read_text_file(path, &text)) {
		errno = 0;
		pid = strtol(text, &end, 10);
		if (errno || end == text || (*end && *end != '\n') || pid <= 0)
			pid = -1;
	}
	free(text);
	free(path);
	return pid;
}

/*
 * A daemon that is gone without its last status: it could not write one,
 * so it was killed by a signal it cannot catch (SIGKILL) or crashed.  Shown
 * as dead, with why, rather than as an error that hides the others.
 */
static int dead(const char *rundir, unsigned long id, struct kdamond *k,
		struct embedded_info *info)
{
	char *log = emb_path(rundir, id, "log");

	info->dead = true;
	info->pid = pid_of(rundir, id);
	k->on = false;
	k->pid = info->pid;
	k->has_pid = info->pid > 0;
	info->exit_reason = xasprintf("the daemon ended without its last status: killed by SIGKILL or crashed (its log: %s)",
				      log);
	free(log);
	return 0;
}

int embedded_status(const char *rundir, unsigned long id, struct kdamond *k,
		    struct embedded_info *info, struct diag *d)
{
	char *answer = NULL, *name;
	int err;

	memset(info, 0, sizeof(*info));
	info->id = id;
	if (!registered(rundir, id))
		return unknown(rundir, id, d);
	if (daemon_alive(rundir, id)) {
		struct diag why;

		diag_init(&why);
		err = call(rundir, id, "{\"op\":\"status\"}", &answer, &why);
		if (!err) {
			diag_release(&why);
			err = emb_wire_answer_check(answer, d);
			if (!err)
				err = emb_wire_status_parse(answer, "status",
							    k, info, d);
			info->running = !err;
			goto out;
		}
		/* one that was ending as it was asked: its last status */
		if (!ending(err) || !daemon_ended(rundir, id, 1000)) {
			diag_move(d, &why, err);
			goto out;
		}
		diag_release(&why);
		free(answer);
		answer = NULL;
	}
	/* stopped: its last status */
	name = emb_path(rundir, id, "status");
	err = read_text_file(name, &answer);
	if (err == -ENOENT) {
		err = dead(rundir, id, k, info);
	} else if (err) {
		diag_add(d, "", "'e%lu' is not running and left no status (%s: %s)",
			 id, name, strerror(-err));
		diag_add(d, "hint", "'damo stop e%lu' removes it", id);
	} else {
		err = emb_wire_status_parse(answer, name, k, info, d);
		k->on = false;
		if (!err && !info->exit_reason)
			info->exit_reason = xstrdup("the daemon ended");
	}
	free(name);
out:
	free(answer);
	return err;
}

static void remove_files(const char *rundir, unsigned long id)
{
	static const char *const exts[] = { "sock", "pid", "status", "log" };
	size_t i;

	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		char *p = emb_path(rundir, id, exts[i]);

		unlink(p);
		free(p);
	}
}

static int unregister(const char *rundir, unsigned long id, struct diag *d)
{
	struct owner_reg reg;
	int err = owner_open(rundir, &reg, d);

	if (err)
		return err;
	owner_remove(&reg, EMB_REG_ROOT, id);
	remove_files(rundir, id);
	return owner_close(&reg, true, d);
}

int embedded_stop(const char *rundir, unsigned long id, struct diag *d)
{
	char *answer = NULL;
	int err;

	if (!registered(rundir, id))
		return unknown(rundir, id, d);
	if (daemon_alive(rundir, id)) {
		struct diag why;

		diag_init(&why);
		err = call(rundir, id, "{\"op\":\"stop\"}", &answer, &why);
		if (!err)
			err = emb_wire_answer_check(answer, &why);
		free(answer);
		/*
		 * A daemon that is ending by itself (its target exited, its
		 * recording ended) has closed its socket, maybe with this
		 * connection still unaccepted: wait for it below, which
		 * says so if it does not end.
		 */
		if (ending(err))
			err = 0;
		diag_move(d, &why, err);
		if (err)
			return err;
		if (!daemon_ended(rundir, id, STOP_TIMEOUT_MS)) {
			diag_add(d, "", "'e%lu' did not stop within %u ms", id,
				 STOP_TIMEOUT_MS);
			return -ETIMEDOUT;
		}
	}
	return unregister(rundir, id, d);
}

int embedded_tune(const char *rundir, unsigned long id,
		  const struct damon_config *cfg, bool intervals_given,
		  struct diag *d)
{
	struct doc_node *req;
	char *text, *answer = NULL;
	int err;

	if (!registered(rundir, id))
		return unknown(rundir, id, d);
	if (!daemon_alive(rundir, id)) {
		diag_add(d, "", "'e%lu' is not running", id);
		return -ESRCH;
	}
	req = doc_new_map();
	doc_map_add(req, "op", doc_new_string("tune"));
	doc_map_add(req, "config", emb_wire_config_node(cfg));
	doc_map_add(req, "intervals_given", doc_new_bool(intervals_given));
	text = doc_emit(req, DOC_FMT_JSON);
	doc_free(req);
	emb_wire_compact(text);
	err = call(rundir, id, text, &answer, d);
	free(text);
	if (!err)
		err = emb_wire_answer_check(answer, d);
	free(answer);
	return err;
}

int embedded_record(const char *rundir, unsigned long id,
		    int (*fn)(void *data, size_t ti, const struct snapshot *s),
		    bool (*stop)(void *data), void *data, struct diag *d)
{
	char *buf = NULL, *line = NULL;
	size_t len = 0, cap = 0, ti;
	struct snapshot s;
	int fd, err;

	if (!registered(rundir, id))
		return unknown(rundir, id, d);
	if (!daemon_alive(rundir, id)) {
		diag_add(d, "", "'e%lu' is not running", id);
		return -ESRCH;
	}
	fd = connect_daemon(rundir, id, d);
	if (fd < 0)
		return fd;
	snapshot_init(&s);
	err = send_all(fd, "{\"op\":\"record\"}\n", 16);
	if (!err) {
		err = read_line(fd, &buf, &len, &cap, &line, ANSWER_TIMEOUT_MS);
		err = err == 1 ? emb_wire_answer_check(line, d) :
		      err ? err : -EPIPE;
		free(line);
	}
	while (!err) {
		line = NULL;
		err = read_line(fd, &buf, &len, &cap, &line, 100);
		if (err == -ETIMEDOUT || err == -EINTR) {
			err = stop && stop(data) ? 1 : 0;
			continue;
		}
		if (err <= 0)
			break;
		err = emb_wire_snapshot_parse(line, &ti, &s);
		if (err)
			diag_add(d, "", "a malformed snapshot from 'e%lu'", id);
		else
			err = fn(data, ti, &s);
		free(line);
	}
	if (err == 1)
		err = 0;
	snapshot_release(&s);
	free(buf);
	close(fd);
	return err;
}
