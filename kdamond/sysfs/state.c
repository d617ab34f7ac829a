/* SPDX-License-Identifier: GPL-2.0 */
/* State commands of a kdamond and waiting for their effect. */
#include "kdamond/sysfs/kdamond.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/damon.h"
#include "core/diag.h"
#include "kdamond/sysfs/sysfs.h"

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

bool kdamond_is_on(const struct kdamond_io *io, unsigned long idx)
{
	char rel[64], buf[32];

	snprintf(rel, sizeof(rel), "kdamonds/%lu/state", idx);
	return !sysfs_read(io->root, rel, buf, sizeof(buf)) &&
	       !strcmp(buf, "on");
}

long kdamond_pid(const struct kdamond_io *io, unsigned long idx)
{
	char rel[64], buf[32];
	char *end;
	long pid;

	snprintf(rel, sizeof(rel), "kdamonds/%lu/pid", idx);
	if (sysfs_read(io->root, rel, buf, sizeof(buf)))
		return -1;
	pid = strtol(buf, &end, 10);
	return *end || end == buf ? -1 : pid;
}

int kdamond_cmd(const struct kdamond_io *io, unsigned long idx,
		const char *cmd)
{
	char rel[64];
	int err, tries;

	snprintf(rel, sizeof(rel), "kdamonds/%lu/state", idx);
	/*
	 * The sysfs mutex is try-locked, so EBUSY may pass (docs/kernel-damon.md
	 * §1.1); EBUSY at "on" means another DAMON user and does not pass.
	 */
	for (tries = 0;; tries++) {
		if (io->trace)
			fprintf(io->trace, "write %s %s\n", rel, cmd);
		err = sysfs_write(io->root, rel, cmd, NULL);
		if (err != -EBUSY || tries >= 8 || !strcmp(cmd, "on"))
			break;
		/* 10 ms doubling: about 2.5 s in all, longer than a walk */
		sleep_ms(10u << tries);
	}
	if (err)
		diag_add(io->diag, "", "cannot write '%s' to '%s/%s': %s", cmd,
			 io->root, rel, strerror(-err));
	return err;
}

static bool module_enabled(const struct kdamond_io *io, const char *mod)
{
	char rel[128], buf[16];

	if (!io->modules)
		return false;
	snprintf(rel, sizeof(rel), "%s/parameters/enabled", mod);
	return !sysfs_read(io->modules, rel, buf, sizeof(buf)) &&
	       (buf[0] == 'Y' || buf[0] == '1');
}

/* Why "on" failed, where the kernel's errno alone does not say. */
static void on_failure_hint(const struct kdamond_io *io, int err)
{
	static const char *const mods[] = {
		"damon_stat", "damon_reclaim", "damon_lru_sort",
	};
	size_t i;

	if (err == -EBUSY) {
		for (i = 0; i < sizeof(mods) / sizeof(mods[0]); i++) {
			if (!module_enabled(io, mods[i]))
				continue;
			diag_add(io->diag, "hint",
				 "the %s module runs its own kdamond and DAMON refuses others meanwhile; stop it with 'damo module %s disable' (or: echo N > %s/%s/parameters/enabled)",
				 mods[i], mods[i] + 6, io->modules, mods[i]);
			return;
		}
		diag_add(io->diag, "hint",
			 "another DAMON user (a module or kdamond) holds DAMON");
	} else if (err == -ENOMEM) {
		diag_add(io->diag, "hint",
			 "the kernel reports a scheme it could not build as ENOMEM: check memcg_path of memcg filters (a cgroup2 path that exists, starting with '/'), and filter address ranges");
	} else if (err == -EINVAL) {
		diag_add(io->diag, "hint",
			 "the kernel refused the parameters (a pid that does not exist, an operations set it lacks, or intervals/regions it rejects)");
	}
}

static int wait_state(const struct kdamond_io *io, unsigned long idx,
		      bool on, unsigned int timeout_ms)
{
	unsigned int waited = 0;

	while (kdamond_is_on(io, idx) != on) {
		if (waited >= timeout_ms) {
			diag_add(io->diag, "",
				 "kdamond %lu did not turn %s within %u ms",
				 idx, on ? "on" : "off", timeout_ms);
			return -ETIMEDOUT;
		}
		sleep_ms(20);
		waited += 20;
	}
	return 0;
}

int kdamond_turn_on(const struct kdamond_io *io, unsigned long idx,
		    unsigned int timeout_ms)
{
	int err = kdamond_cmd(io, idx, "on");

	if (err) {
		on_failure_hint(io, err);
		return err;
	}
	return wait_state(io, idx, true, timeout_ms);
}

int kdamond_turn_off(const struct kdamond_io *io, unsigned long idx,
		     unsigned int timeout_ms)
{
	int err;

	if (!kdamond_is_on(io, idx))
		return 0;
	err = kdamond_cmd(io, idx, "off");
	/* EPERM: it stopped by itself meanwhile (all targets exited) */
	if (err && err != -EPERM)
		return err;
	return wait_state(io, idx, false, timeout_ms);
}
