/* SPDX-License-Identifier: GPL-2.0 */
/* --source auto: the most capable access source that works. */
#include "core/sources/auto.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/sources/pageidle.h"
#include "core/sources/softdirty.h"
#include "core/sources/uffd.h"

static const char *const kind_names[] = {
	[SOURCE_PAGEIDLE] = "pageidle",
	[SOURCE_SOFTDIRTY] = "softdirty",
	[SOURCE_UFFD] = "uffd",
};

const char *source_kind_name(enum source_kind kind)
{
	return kind < NR_SOURCE_KINDS ? kind_names[kind] : "?";
}

/* Whether the kernel answers PAGEMAP_SCAN (6.7), tried on our own page. */
static int pagemap_scan_works(struct diag *d)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd, err;

	if (p == MAP_FAILED)
		return -errno;
	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	err = fd < 0 ? -errno :
		uffd_probe(fd, (uintptr_t)p, (uintptr_t)p + 4096);
	if (fd >= 0)
		close(fd);
	munmap(p, 4096);
	/* nothing of ours is registered: the ioctl itself works */
	if (err == -ENODATA)
		return 0;
	if (d && err == -ENOTTY) {
		diag_add(d, "", "this kernel has no PAGEMAP_SCAN ioctl on pagemap");
		diag_add(d, "hint", "the uffd source needs Linux 6.7 or later");
	} else if (d) {
		diag_add(d, "", "PAGEMAP_SCAN failed: %s", strerror(-err));
	}
	return err ? err : -EIO;
}

static int try_uffd_command(const char *agent, struct diag *d)
{
	if (!agent || access(agent, R_OK)) {
		if (d) {
			diag_add(d, "", "damo's agent library %s%s%s",
				 agent ? "'" : "", agent ? agent : "",
				 agent ? "' cannot be read" : "is not installed");
			diag_add(d, "hint",
				 "install damo with its agent (libdamo-agent.so)");
		}
		return -ENOENT;
	}
	return pagemap_scan_works(d);
}

static int try_kind(enum source_kind kind, const pid_t *pids, size_t nr,
		    const char *agent, struct diag *d)
{
	pid_t self = getpid();
	union {
		struct pageidle_source pi;
		struct softdirty_source sd;
		struct uffd_source uf;
	} s;
	int err;

	if (!nr) {
		if (kind == SOURCE_UFFD)
			return try_uffd_command(agent, d);
		pids = &self;
		nr = 1;
	}
	switch (kind) {
	case SOURCE_PAGEIDLE:
		err = pageidle_source_init(&s.pi, pids, nr, NULL, d);
		if (!err)
			pageidle_source_release(&s.pi);
		return err;
	case SOURCE_SOFTDIRTY:
		err = softdirty_source_init(&s.sd, pids, nr, d);
		if (!err)
			softdirty_source_release(&s.sd);
		return err;
	case SOURCE_UFFD:
		err = uffd_source_init(&s.uf, pids, nr, d);
		if (!err)
			uffd_source_release(&s.uf);
		return err;
	default:
		return -EINVAL;
	}
}

/* The first reason (not a hint) in entries [@from, @to) of @d, or "". */
static const char *reason(const struct diag *d, size_t from, size_t to)
{
	size_t i;

	for (i = from; i < to && i < d->nr; i++)
		if (strcmp(d->v[i].path, "hint"))
			return d->v[i].msg;
	return "";
}

int source_auto_pick(const pid_t *pids, size_t nr, const char *agent,
		     struct source_pick *p, struct diag *d)
{
	size_t from[NR_SOURCE_KINDS], i, len;
	struct diag tried;
	int k, err = -EOPNOTSUPP;

	memset(p, 0, sizeof(*p));
	diag_init(&tried);
	for (k = 0; k < NR_SOURCE_KINDS; k++) {
		from[k] = tried.nr;
		if (!try_kind((enum source_kind)k, pids, nr, agent, &tried)) {
			err = 0;
			break;
		}
	}
	if (err) {
		for (i = 0, k = 0; d && i < tried.nr; i++) {
			while (k + 1 < NR_SOURCE_KINDS && from[k + 1] <= i)
				k++;
			diag_add(d, tried.v[i].path, "%s: %s", kind_names[k],
				 tried.v[i].msg);
		}
		diag_release(&tried);
		return err;
	}
	p->kind = (enum source_kind)k;
	p->sees_reads = k == SOURCE_PAGEIDLE;
	p->preload_agent = k == SOURCE_UFFD && !nr;
	len = (size_t)snprintf(p->msg, sizeof(p->msg), "source auto: using %s, %s",
		 kind_names[k],
		 k == SOURCE_PAGEIDLE ?
		 "which sees reads and writes" :
		 k == SOURCE_SOFTDIRTY ?
		 "which sees writes only (reads are invisible to it)" :
		 nr ? "which sees writes only, to the private anonymous memory the agent registered" :
		 "with damo's agent preloaded in the command: it sees writes only, to private anonymous memory");
	for (i = 0; i < (size_t)k && len < sizeof(p->msg); i++)
		len += (size_t)snprintf(p->msg + len, sizeof(p->msg) - len,
					"; not %s: %s", kind_names[i],
					reason(&tried, from[i], from[i + 1]));
	diag_release(&tried);
	return 0;
}
