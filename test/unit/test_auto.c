/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unit tests of `--source auto` (core/sources/auto.c) on this machine's
 * kernel: which source it picks for damo-workload with and without the
 * agent, and for a command, follows what the kernel offers here, and the
 * sentence says what the source cannot see and why better ones failed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/access_source.h"
#include "core/sources/auto.h"
#include "core/sources/pageidle.h"
#include "core/sources/softdirty.h"
#include "core/sources/uffd.h"

static void diag_print(const struct diag *d)
{
	size_t i;

	for (i = 0; i < d->nr; i++)
		print_message("  %s: %s\n", d->v[i].path, d->v[i].msg);
}

static bool diag_has(const struct diag *d, const char *s)
{
	size_t i;

	for (i = 0; i < d->nr; i++)
		if (strstr(d->v[i].msg, s))
			return true;
	return false;
}

static const char *env_path(const char *name)
{
	const char *v = getenv(name);

	if (!v || !*v)
		fail_msg("%s is not set: run through ctest", name);
	return v;
}

/* What this machine offers, found independently of auto.c. */
static bool pageidle_here(void)
{
	return geteuid() == 0 && !access(PAGEIDLE_BITMAP, W_OK);
}

static bool softdirty_here(void)
{
	return softdirty_supported() == 0;
}

/* damo-workload, with the agent when @agent; waits until it is up. */
static pid_t start_workload(bool agent)
{
	char *argv[] = { (char *)env_path("DAMO_WORKLOAD"), "--size", "8M",
			 "--hot", "1M@0", "--write", "--period", "1ms", "--seconds", "60",
			 NULL };
	struct timespec ts = { 0, 20000000 };
	pid_t pid;
	int i;

	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		char asan[512];
		const char *old = getenv("ASAN_OPTIONS");

		if (!freopen("/dev/null", "w", stdout))
			_exit(126);
		unsetenv("LD_PRELOAD");
		if (agent) {
			setenv("LD_PRELOAD", env_path("DAMO_AGENT"), 1);
			snprintf(asan, sizeof(asan), "%s%sverify_asan_link_order=0",
				 old ? old : "", old && *old ? ":" : "");
			setenv("ASAN_OPTIONS", asan, 1);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	/* the agent registers at load; a plain workload maps its memory */
	for (i = 0; i < 100; i++) {
		if (!agent || uffd_probe_pid(pid) == 0)
			break;
		nanosleep(&ts, NULL);
	}
	nanosleep(&ts, NULL);
	return pid;
}

static void stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* The registry: auto's order, lookups, the names for help and errors. */
static void test_names(void **state)
{
	static const char *const names[] = { "pageidle", "softdirty", "uffd" };
	const struct access_source_type *t;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		t = access_source_at(i);
		assert_non_null(t);
		assert_string_equal(t->name, names[i]);
		assert_ptr_equal(access_source_find(names[i]), t);
		assert_non_null(t->create);
		assert_non_null(t->sees);
		assert_non_null(t->needs);
	}
	assert_null(access_source_at(3));
	assert_null(access_source_find("auto"));
	assert_null(access_source_find("nosuch"));
	assert_string_equal(access_source_find("pageidle")->sees,
			    "reads and writes");
	assert_true(access_source_find("uffd")->preload_agent);
	assert_string_equal(access_source_names("|"),
			    "auto|pageidle|softdirty|uffd");
	assert_string_equal(access_source_names(", "),
			    "auto, pageidle, softdirty, uffd");
}

static const struct access_source_type *src(const char *name)
{
	return access_source_find(name);
}

/* A workload running the agent: the best source here, said so. */
static void test_pid_with_agent(void **state)
{
	pid_t pid = start_workload(true);
	struct source_pick p;
	struct diag d;

	(void)state;
	diag_init(&d);
	if (source_auto_pick(&pid, 1, NULL, &p, &d)) {
		diag_print(&d);
		fail();
	}
	print_message("%s\n", p.msg);
	assert_false(p.preload_agent);
	if (pageidle_here()) {
		assert_ptr_equal(p.type, src("pageidle"));
		assert_non_null(strstr(p.msg, "reads and writes"));
	} else if (softdirty_here()) {
		assert_ptr_equal(p.type, src("softdirty"));
		assert_non_null(strstr(p.msg, "writes only"));
		assert_non_null(strstr(p.msg, "; not pageidle: "));
	} else {
		assert_ptr_equal(p.type, src("uffd"));
		assert_non_null(strstr(p.msg, "source auto: using uffd"));
		assert_non_null(strstr(p.msg, "writes only"));
		assert_non_null(strstr(p.msg, "; not pageidle: "));
		assert_non_null(strstr(p.msg, "; not softdirty: "));
	}
	assert_int_equal(d.nr, 0);
	diag_release(&d);
	stop(pid);
}

/* Without the agent, uffd cannot see it: the reason says so. */
static void test_pid_without_agent(void **state)
{
	pid_t pid = start_workload(false);
	struct source_pick p;
	struct diag d;
	int err;

	(void)state;
	diag_init(&d);
	err = source_auto_pick(&pid, 1, NULL, &p, &d);
	if (pageidle_here() || softdirty_here()) {
		assert_int_equal(err, 0);
		assert_ptr_not_equal(p.type, src("uffd"));
	} else {
		assert_int_equal(err, -EOPNOTSUPP);
		assert_true(diag_has(&d, "pageidle: "));
		assert_true(diag_has(&d, "softdirty: "));
		assert_true(diag_has(&d, "uffd: "));
		assert_true(diag_has(&d, "agent"));
	}
	diag_release(&d);
	stop(pid);
}

/* A command to launch: uffd means preloading the agent. */
static void test_command(void **state)
{
	struct source_pick p;
	struct diag d;
	int err;

	(void)state;
	diag_init(&d);
	assert_int_equal(source_auto_pick(NULL, 0, env_path("DAMO_AGENT"), &p,
					  &d), 0);
	print_message("%s\n", p.msg);
	if (!pageidle_here() && !softdirty_here()) {
		assert_ptr_equal(p.type, src("uffd"));
		assert_true(p.preload_agent);
		assert_non_null(strstr(p.msg, "agent preloaded"));
	}
	/* no agent installed: uffd says so */
	err = source_auto_pick(NULL, 0, NULL, &p, &d);
	if (!pageidle_here() && !softdirty_here()) {
		assert_int_equal(err, -EOPNOTSUPP);
		assert_true(diag_has(&d, "uffd: damo's agent library is not installed"));
	}
	err = source_auto_pick(NULL, 0, "/nonexistent/libdamo-agent.so", &p,
			       &d);
	if (!pageidle_here() && !softdirty_here()) {
		assert_int_equal(err, -EOPNOTSUPP);
		assert_true(diag_has(&d, "'/nonexistent/libdamo-agent.so' cannot be read"));
	}
	diag_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_pid_with_agent),
		cmocka_unit_test(test_pid_without_agent),
		cmocka_unit_test(test_command),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
