/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo-source-probe: drive one embedded-monitor access source (or a
 * process_madvise action) on a running process and print what it saw, so
 * that the kernel test tier can check the sources on kernels the host does
 * not run (soft-dirty, idle page tracking).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/actions_madvise.h"
#include "core/damon.h"
#include "core/diag.h"
#include "core/mon_clock.h"
#include "core/monitor.h"
#include "core/sources/pageidle.h"
#include "core/sources/softdirty.h"
#include "core/sources/uffd.h"
#include "core/xalloc.h"

#define USAGE \
	"usage: damo-source-probe check SOURCE PID START END [NPAGES [MS]]\n" \
	"       damo-source-probe monitor SOURCE PID SECONDS [SAMPLE_MS AGGR_MS]\n" \
	"       damo-source-probe madvise ACTION PID START END\n" \
	"SOURCE is uffd, softdirty or pageidle; ACTION a DAMOS action name.\n" \
	"check prepares NPAGES (default 64) pages spread over [START, END),\n" \
	"waits MS (default 200) ms and prints \"checked=N accessed=K\".\n" \
	"monitor runs the embedded monitor for SECONDS and prints the regions\n" \
	"of its last aggregation as \"START END NR_ACCESSES AGE\" lines.\n" \
	"madvise prints \"advised=BYTES\".  Exit status: 0, 1 failure, 64 usage.\n"

union any_source {
	struct access_source base;
	struct uffd_source uffd;
	struct softdirty_source softdirty;
	struct pageidle_source pageidle;
};

static void report(const struct diag *d)
{
	size_t i;

	for (i = 0; i < d->nr; i++)
		fprintf(stderr, "damo-source-probe: %s: %s\n",
			strcmp(d->v[i].path, "hint") ? "error" : "hint",
			d->v[i].msg);
}

static uint64_t num(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || end == s) {
		fprintf(stderr, "damo-source-probe: error: '%s' is not a number\n%s",
			s, USAGE);
		exit(64);
	}
	return v;
}

static int open_source(const char *name, pid_t pid, union any_source *u,
		       struct diag *d)
{
	if (!strcmp(name, "uffd"))
		return uffd_source_init(&u->uffd, &pid, 1, d);
	if (!strcmp(name, "softdirty"))
		return softdirty_source_init(&u->softdirty, &pid, 1, d);
	if (!strcmp(name, "pageidle"))
		return pageidle_source_init(&u->pageidle, &pid, 1, NULL, d);
	fprintf(stderr, "damo-source-probe: error: unknown source '%s'\n%s",
		name, USAGE);
	exit(64);
}

static void sleep_ms(uint64_t ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int do_check(struct access_source *src, uint64_t start, uint64_t end,
		    size_t n, uint64_t ms)
{
	uint64_t *addrs = xcalloc(n, sizeof(*addrs));
	bool *acc = xcalloc(n, sizeof(*acc));
	uint64_t step = (end - start) / n / 4096 * 4096;
	size_t i, k = 0;
	int err;

	for (i = 0; i < n; i++)
		addrs[i] = start + i * step;
	err = src->ops->prepare(src, 0, addrs, n);
	if (!err) {
		sleep_ms(ms);
		err = src->ops->check(src, 0, addrs, n, acc);
	}
	for (i = 0; !err && i < n; i++)
		k += acc[i];
	if (err)
		fprintf(stderr, "damo-source-probe: error: sampling failed: %s\n",
			strerror(-err));
	else
		printf("checked=%zu accessed=%zu\n", n, k);
	free(addrs);
	free(acc);
	return err ? 1 : 0;
}

struct snap {
	struct mon_region *v;
	size_t nr;
	size_t cap;
	uint64_t nr_aggr;
};

static void on_aggregated(void *data, const struct monitor *mon)
{
	struct snap *s = data;
	const struct mon_target *t = &mon->targets[0];

	if (s->cap < t->nr_regions) {
		s->v = xreallocarray(s->v, t->nr_regions, sizeof(*s->v));
		s->cap = t->nr_regions;
	}
	memcpy(s->v, t->regions, t->nr_regions * sizeof(*s->v));
	s->nr = t->nr_regions;
	s->nr_aggr++;
}

static int do_monitor(struct access_source *src, pid_t pid, uint64_t secs,
		      uint64_t sample_ms, uint64_t aggr_ms)
{
	struct snap sn = { 0 };
	struct monitor_setup st = { 0 };
	struct damon_target *t;
	struct damon_ctx c;
	struct mon_clock clk;
	struct monitor mon;
	size_t i;
	int err;

	damon_ctx_init(&c);
	c.ops = DAMON_OPS_VADDR;
	c.intervals.sample_us = sample_ms * 1000;
	c.intervals.aggr_us = aggr_ms * 1000;
	t = damon_ctx_add_target(&c);
	t->has_pid = true;
	t->pid = pid;
	mon_clock_init_real(&clk);
	st.ctx = &c;
	st.clock = &clk;
	st.source = src;
	st.hooks.data = &sn;
	st.hooks.aggregated = on_aggregated;
	err = monitor_init(&mon, &st);
	if (err) {
		fprintf(stderr, "damo-source-probe: error: monitor: %s\n",
			strerror(-err));
		damon_ctx_release(&c);
		return 1;
	}
	monitor_run(&mon, 0, mon_clock_now_ns(&clk) + secs * 1000000000ULL);
	printf("regions=%zu aggregations=%" PRIu64 "\n", sn.nr, sn.nr_aggr);
	for (i = 0; i < sn.nr; i++)
		printf("%" PRIu64 " %" PRIu64 " %u %u\n", sn.v[i].start,
		       sn.v[i].end, sn.v[i].nr_accesses, sn.v[i].age);
	monitor_release(&mon);
	damon_ctx_release(&c);
	free(sn.v);
	return 0;
}

static int do_madvise(const char *action, pid_t pid, uint64_t start,
		      uint64_t end)
{
	struct madvise_actions a;
	struct damos s = { 0 };
	struct diag d;
	int err, i;

	for (i = 0; i < NR_DAMOS_ACTIONS; i++)
		if (!strcmp(damos_action_name(i), action))
			break;
	if (i == NR_DAMOS_ACTIONS) {
		fprintf(stderr, "damo-source-probe: error: unknown action '%s'\n",
			action);
		return 64;
	}
	s.action = i;
	diag_init(&d);
	err = madvise_actions_init(&a, &pid, 1, &d);
	if (!err) {
		err = madvise_actions_probe(&a, 0, s.action, &d);
		if (!err)
			printf("advised=%" PRIu64 "\n",
			       a.base.ops->apply(&a.base, 0, start, end, &s, 0));
		madvise_actions_release(&a);
	}
	report(&d);
	diag_release(&d);
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	union any_source u;
	struct diag d;
	pid_t pid;
	int err, rc;

	if (argc < 5) {
		fputs(USAGE, stderr);
		return 64;
	}
	pid = (pid_t)num(argv[3]);
	if (!strcmp(argv[1], "madvise") && argc == 6)
		return do_madvise(argv[2], pid, num(argv[4]), num(argv[5]));
	if (strcmp(argv[1], "check") && strcmp(argv[1], "monitor")) {
		fputs(USAGE, stderr);
		return 64;
	}
	diag_init(&d);
	err = open_source(argv[2], pid, &u, &d);
	report(&d);
	diag_release(&d);
	if (err)
		return 1;
	if (!strcmp(argv[1], "check") && argc >= 6)
		rc = do_check(&u.base, num(argv[4]), num(argv[5]),
			      argc > 6 ? num(argv[6]) : 64,
			      argc > 7 ? num(argv[7]) : 200);
	else if (!strcmp(argv[1], "monitor"))
		rc = do_monitor(&u.base, pid, num(argv[4]),
				argc > 5 ? num(argv[5]) : 5,
				argc > 6 ? num(argv[6]) : 100);
	else
		rc = 64;
	access_source_destroy(&u.base);
	if (rc == 64)
		fputs(USAGE, stderr);
	return rc;
}
