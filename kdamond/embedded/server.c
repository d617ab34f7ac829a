/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The embedded daemon's control socket: clients, their requests, and the
 * monitor's clock, which serves them while it sleeps between samples.
 */
#include "kdamond/embedded/daemon.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/xalloc.h"
#include "formats/config.h"
#include "formats/doc.h"
#include "kdamond/embedded/wire.h"

void emb_client_queue(struct emb_client *c, const char *text, bool close)
{
	size_t n = strlen(text);

	if (c->out_len + n + 1 > EMB_CLIENT_OUT_MAX) {
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

bool emb_tune_waits(const struct emb_daemon *dm, size_t i)
{
	return dm->tune && dm->tune_client == (int)i;
}

void emb_client_close(struct emb_daemon *dm, size_t i)
{
	struct emb_client *c = &dm->clients[i];

	close(c->fd);
	free(c->in);
	free(c->out);
	if (emb_tune_waits(dm, i)) {
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

void emb_answer_error(struct emb_client *c, struct diag *d)
{
	char *text = emb_wire_error_emit(d);

	emb_client_queue(c, text, true);
	free(text);
}

void emb_answer_ok(struct emb_client *c)
{
	emb_client_queue(c, "{\"ok\":true}", true);
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
	const struct doc_node *given;
	struct diag d;
	size_t i;

	diag_init(&d);
	if (!cfgn) {
		diag_add(&d, "", "a tune request needs a \"config\" object");
		goto refuse;
	}
	if (emb_wire_config_read(cfgn, "tune", true, &cf, &d))
		goto refuse;
	if (emb_check_config(&cf.cfg, true, &d))
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
	if (emb_check_scheme_needs(dm, nc, &d))
		goto refuse_cf;
	dm->tune = xmalloc(sizeof(*dm->tune));
	*dm->tune = cf.cfg;	/* moved */
	/* a client that does not say gave them (before the CPU budget) */
	given = doc_map_get(req, "intervals_given");
	dm->tune_intervals = !given || given->kind != DOC_BOOL ||
			     given->boolean;
	damon_config_init(&cf.cfg);
	config_file_release(&cf);
	dm->tune_client = (int)ci;
	diag_release(&d);
	return;
refuse_cf:
	config_file_release(&cf);
refuse:
	emb_answer_error(c, &d);
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
		emb_answer_error(c, &d);
	} else if (!strcmp(op->text, "status")) {
		char *text = emb_status_answer(dm);

		emb_client_queue(c, text, true);
		free(text);
	} else if (!strcmp(op->text, "stop")) {
		dm->exit_reason = "stopped by request";
		monitor_request_stop(&dm->mon);
		emb_answer_ok(c);
	} else if (!strcmp(op->text, "tune")) {
		request_tune(dm, ci, req);
	} else if (!strcmp(op->text, "record")) {
		c->subscribed = true;
		dm->streamed = true;
		emb_client_queue(c, "{\"ok\":true}", false);
	} else {
		diag_add(&d, "", "unknown request '%s'", op->text);
		emb_answer_error(c, &d);
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

/*
 * Whether client @i only holds a slot: no record stream, no tune waiting,
 * no answer on its way.
 */
static bool client_idle(const struct emb_daemon *dm, size_t i)
{
	const struct emb_client *c = &dm->clients[i];

	return !c->requested && !c->subscribed && !c->close_after &&
	       !emb_tune_waits(dm, i);
}

/* Close client @i with an error saying @why. */
static void client_drop(struct emb_daemon *dm, size_t i, const char *why)
{
	struct emb_client *c = &dm->clients[i];
	char *text;
	struct diag d;

	diag_init(&d);
	diag_add(&d, "", "%s", why);
	text = emb_wire_error_emit(&d);
	diag_release(&d);
	/* best effort: the connection is closed either way */
	if (send(c->fd, text, strlen(text), MSG_NOSIGNAL | MSG_DONTWAIT) > 0)
		(void)send(c->fd, "\n", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
	free(text);
	emb_client_close(dm, i);
}

/*
 * The oldest connection that only holds a slot, or -1: when every slot is
 * taken, it makes room for a new one, so that idle connections (the
 * owner's own, or root's: the socket's directory admits nobody else)
 * never lock the owner out.
 */
static long oldest_idle(const struct emb_daemon *dm)
{
	long best = -1;
	size_t i;

	for (i = 0; i < dm->nr_clients; i++)
		if (client_idle(dm, i) &&
		    (best < 0 ||
		     dm->clients[i].since_ns < dm->clients[best].since_ns))
			best = (long)i;
	return best;
}

static void accept_client(struct emb_daemon *dm)
{
	int fd = accept4(dm->lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	struct emb_client *c;
	long victim;

	if (fd < 0)
		return;
	if (dm->nr_clients == EMB_MAX_CLIENTS) {
		victim = oldest_idle(dm);
		if (victim < 0) {
			send(fd, "{\"ok\":false,\"errors\":[{\"message\":\"too many connections\"}]}\n",
			     59, MSG_NOSIGNAL | MSG_DONTWAIT);
			close(fd);
			return;
		}
		client_drop(dm, (size_t)victim,
			    "closed: every connection was taken, and this was the oldest idle one");
	}
	c = &dm->clients[dm->nr_clients++];
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->since_ns = mon_clock_now_ns(&dm->real);
	if (!peer_allowed(fd)) {
		struct diag d;

		diag_init(&d);
		diag_add(&d, "", "permission denied: only the monitor's owner or root may control it");
		emb_answer_error(c, &d);
		diag_release(&d);
	}
}

/*
 * Close the connections past their time (EMB_IDLE_NS and the others);
 * return the earliest time one of the others will be.
 */
static uint64_t expire_clients(struct emb_daemon *dm, uint64_t now)
{
	uint64_t next = UINT64_MAX, limit;
	size_t i;

	for (i = dm->nr_clients; i-- > 0;) {
		struct emb_client *c = &dm->clients[i];
		const char *why;

		if (c->subscribed || emb_tune_waits(dm, i))
			continue;
		if (c->close_after) {
			limit = c->since_ns + EMB_ANSWER_NS;
			why = NULL;	/* it does not read its answer */
		} else if (!c->in_len) {
			limit = c->since_ns + EMB_IDLE_NS;
			why = "closed: no request within 3 s of connecting";
		} else {
			limit = c->since_ns + EMB_REQUEST_NS;
			why = "closed: the request did not arrive whole within 5 s";
		}
		if (now < limit) {
			next = limit < next ? limit : next;
			continue;
		}
		if (why)
			client_drop(dm, i, why);
		else
			emb_client_close(dm, i);
	}
	return next;
}

/*
 * A record stream's reader says nothing more: what it sends is dropped,
 * and its end is the end of the recording.
 */
static void stream_read(struct emb_daemon *dm, size_t ci)
{
	struct emb_client *c = &dm->clients[ci];
	char buf[4096];
	ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);

	if (n > 0 || (n < 0 && (errno == EAGAIN || errno == EINTR)))
		return;
	c->close_after = true;
	c->subscribed = false;
	c->out_len = c->out_off = 0;
	emb_stream_ended(dm);
}

/*
 * Read what a client sent; a whole line is a request.  Parsing is linear
 * in the request's size, which is at most EMB_REQ_MAX bytes; the buffer
 * grows by doubling, so a request sent a byte at a time costs no more.
 */
static void client_read(struct emb_daemon *dm, size_t ci)
{
	struct emb_client *c = &dm->clients[ci];
	char buf[65536], *nl;
	size_t need;
	ssize_t n;

	if (c->subscribed) {
		stream_read(dm, ci);
		return;
	}
	if (c->close_after || c->requested || emb_tune_waits(dm, ci))
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
		emb_answer_error(c, &d);
		diag_release(&d);
		return;
	}
	need = c->in_len + (size_t)n + 1;
	if (need > c->in_cap) {
		c->in_cap = c->in_cap ? c->in_cap : 256;
		while (c->in_cap < need)
			c->in_cap *= 2;
		c->in = xreallocarray(c->in, c->in_cap, 1);
	}
	memcpy(c->in + c->in_len, buf, (size_t)n);
	c->in_len += (size_t)n;
	c->in[c->in_len] = '\0';
	/* only the new bytes can hold the end of the line */
	nl = memchr(c->in + c->in_len - (size_t)n, '\n', (size_t)n);
	if (nl) {
		*nl = '\0';
		c->requested = true;
		request(dm, ci, c->in);
	}
}

/* Whether the daemon waits for something from client @i. */
static bool client_listened(const struct emb_daemon *dm, size_t i)
{
	const struct emb_client *c = &dm->clients[i];

	if (c->subscribed)
		return true;	/* for its end */
	return !c->close_after && !c->requested && !emb_tune_waits(dm, i);
}

void emb_serve(struct emb_daemon *dm, uint64_t deadline)
{
	struct pollfd pfd[EMB_MAX_CLIENTS + 1];
	bool polled = false;
	size_t i;

	for (;;) {
		uint64_t now = mon_clock_now_ns(&dm->real), until = deadline;
		struct timespec ts;
		int n;

		for (i = dm->nr_clients; i-- > 0;) {
			client_flush(&dm->clients[i]);
			if (dm->clients[i].close_after &&
			    dm->clients[i].out_off >= dm->clients[i].out_len)
				emb_client_close(dm, i);
		}
		if (emb_stop_signal && !dm->mon.stop_requested) {
			dm->exit_reason = emb_stop_signal == SIGINT ?
					  "interrupted" : "terminated by a signal";
			monitor_request_stop(&dm->mon);
		}
		emb_ephemeral_check(dm, now);
		/*
		 * A monitor behind its intervals calls this past its deadline:
		 * the socket is still looked at once, without waiting, so that
		 * status and stop are answered however loaded it is.
		 */
		if (now >= deadline && polled)
			return;
		polled = true;
		now = mon_clock_now_ns(&dm->real);
		until = expire_clients(dm, now);
		if (until > deadline)
			until = deadline;
		pfd[0].fd = dm->lfd;
		pfd[0].events = POLLIN;
		for (i = 0; i < dm->nr_clients; i++) {
			bool out = dm->clients[i].out_off <
				   dm->clients[i].out_len;
			bool in = client_listened(dm, i);

			/* nothing to wait for: not even its hang-up */
			pfd[i + 1].fd = in || out ? dm->clients[i].fd : -1;
			pfd[i + 1].events = (in ? POLLIN : 0) |
					    (out ? POLLOUT : 0);
		}
		until = until > now ? until - now : 0;
		ts.tv_sec = (time_t)(until / 1000000000ULL);
		ts.tv_nsec = (long)(until % 1000000000ULL);
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
	emb_serve((struct emb_daemon *)clk, ns);
}

const struct mon_clock_ops emb_serving_clock = {
	.now_ns = clk_now,
	.sleep_until = clk_sleep_until,
};
