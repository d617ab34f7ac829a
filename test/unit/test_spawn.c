/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unit tests for kdamond/spawn.c: a command damo starts with its agent
 * keeps the user's own LD_PRELOAD, the agent added to it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/xalloc.h"
#include "kdamond/spawn.h"

#define AGENT "/nonexistent/damo-agent.so"

static void check(const char *old, const char *want)
{
	char *got = kdamond_preload_list(old, AGENT);

	assert_string_equal(got, want);
	free(got);
}

static void test_list(void **state)
{
	(void)state;
	check(NULL, AGENT);
	check("", AGENT);
	check(" : ", AGENT);
	check("libmine.so", AGENT ":libmine.so");
	check("liba.so:libb.so", AGENT ":liba.so:libb.so");
	check("liba.so libb.so", AGENT ":liba.so libb.so");
	/* already there: left as the user has it */
	check("liba.so:" AGENT, "liba.so:" AGENT);
	check(AGENT " liba.so", AGENT " liba.so");
	/* a name that only starts like it is another library */
	check(AGENT "x", AGENT ":" AGENT "x");
}

/* What the command sees, through a real spawn. */
static void test_spawned_env(void **state)
{
	char tmpl[] = "/tmp/test_spawn.XXXXXX", buf[256];
	char *script, *argv[4];
	int fd = mkstemp(tmpl), gate, status;
	pid_t pid;
	ssize_t n;

	(void)state;
	assert_true(fd >= 0);
	script = xasprintf("printf %%s \"$LD_PRELOAD\" > %s", tmpl);
	argv[0] = "sh";
	argv[1] = "-c";
	argv[2] = script;
	argv[3] = NULL;
	/* libraries ld.so cannot find are skipped with a warning: harmless */
	assert_int_equal(setenv("LD_PRELOAD", "/nonexistent/libmine.so", 1), 0);
	pid = kdamond_spawn_held(argv, AGENT, &gate);
	unsetenv("LD_PRELOAD");
	assert_true(pid > 0);
	assert_int_equal(write(gate, "x", 1), 1);
	close(gate);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && !WEXITSTATUS(status));
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	assert_true(n >= 0);
	buf[n] = '\0';
	assert_string_equal(buf, AGENT ":/nonexistent/libmine.so");
	close(fd);
	unlink(tmpl);
	free(script);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_spawned_env),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
