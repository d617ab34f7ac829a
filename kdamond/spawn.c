/* SPDX-License-Identifier: GPL-2.0 */
/* A command damo launches, held until it is monitored (kdamond/spawn.h). */
#include "kdamond/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/xalloc.h"

char *kdamond_preload_list(const char *old, const char *lib)
{
	size_t n = strlen(lib);
	const char *p;

	if (!old || !old[strspn(old, ": ")])
		return xstrdup(lib);
	for (p = old; *p; ) {
		size_t len = strcspn(p, ": ");

		if (len == n && !strncmp(p, lib, n))
			return xstrdup(old);
		p += len;
		p += strspn(p, ": ");
	}
	return xasprintf("%s:%s", lib, old);
}

pid_t kdamond_spawn_held(char **argv, const char *preload, int *gate)
{
	int fds[2];
	pid_t pid;
	char c;

	if (pipe2(fds, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (!pid) {
		close(fds[1]);
		if (read(fds[0], &c, 1) != 1)
			_exit(127);
		if (preload) {
			const char *old = getenv("ASAN_OPTIONS");
			char *asan = xasprintf("%s%sverify_asan_link_order=0",
					       old ? old : "",
					       old && *old ? ":" : "");
			char *libs = kdamond_preload_list(getenv("LD_PRELOAD"),
							  preload);

			setenv("LD_PRELOAD", libs, 1);
			/* a sanitized workload: the agent comes first */
			setenv("ASAN_OPTIONS", asan, 1);
		}
		execvp(argv[0], argv);
		fprintf(stderr, "damo: error: cannot run '%s': %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	close(fds[0]);
	*gate = fds[1];
	return pid;
}
