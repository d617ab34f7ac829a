/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libdamo-agent.so: preloaded into a workload damo launches, it registers
 * the workload's private anonymous writable memory with userfaultfd in
 * asynchronous write-protect mode, so that damo's uffd source can see, from
 * outside and without privilege, which sampled pages were written.
 *
 * Asynchronous write-protection (Linux 6.7) never blocks the workload and
 * needs no handler thread: a write to a protected page faults, the kernel
 * lifts the protection itself and the page reads as written in
 * PAGEMAP_SCAN until damo protects it again.  The agent only has to keep
 * the registrations up to date:
 *
 *  - at load, every qualifying mapping of /proc/self/maps;
 *  - on each mmap() call the program makes through its PLT, at once (an
 *    interposed mmap/mmap64);
 *  - every DAMO_AGENT_RESCAN_MS milliseconds (default 1000, DAMON's ops
 *    update interval; 0 turns the thread off), /proc/self/maps again from
 *    a thread of its own, for what the hook cannot see: glibc's malloc
 *    maps and grows its arenas and the heap through internal calls, and
 *    mremap() or brk() growth yields new VMAs without the registration.
 *
 * Failures are reported once on stderr ("damo-agent: error: ...") and
 * leave the workload running unmonitored; damo's uffd source then finds
 * no registered memory and says so.  DAMO_AGENT_VERBOSE=1 reports each
 * registration.
 *
 * The agent is process state by nature: its few statics are the one
 * exception to the house rule against mutable globals.  After fork() the
 * child keeps the descriptor of its parent's context, which would register
 * ranges of the parent; the child therefore stops the agent (a child that
 * execs loads it afresh through LD_PRELOAD).  Closing the userfaultfd (a
 * program that closes every descriptor) ends the tracking.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "core/sources/compat_uffd.h"

#define EXPORT __attribute__((visibility("default")))

typedef void *(*mmap_fn)(void *, size_t, int, int, int, off_t);

struct range {
	uint64_t start;
	uint64_t end;
};

/* Ranges registered by the last scan, to skip them in the next one. */
struct range_set {
	struct range *v;
	size_t nr;
	size_t cap;
};

static struct agent {
	atomic_int uffd;		/* -1: off */
	pid_t pid;			/* whose context uffd is */
	bool verbose;
	unsigned int rescan_ms;
	_Atomic(mmap_fn) real_mmap;
	_Atomic(mmap_fn) real_mmap64;
	struct range_set prev, cur;	/* the scan thread's only */
	char *buf;
	size_t buf_cap;
	uint64_t nr_registered;
} agent = { .uffd = -1 };

__attribute__((format(printf, 2, 3)))
static void say(const char *kind, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	n = snprintf(line, sizeof(line), "damo-agent: %s: ", kind);
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	/* one write: stdio may not be safe where mmap is called from */
	if (write(STDERR_FILENO, line, strlen(line)) < 0 ||
	    write(STDERR_FILENO, "\n", 1) < 0)
		return;
}

static bool register_range(uint64_t start, uint64_t end)
{
	struct uffdio_register reg = {
		.range = { .start = start, .len = end - start },
		.mode = UFFDIO_REGISTER_MODE_WP,
	};
	int fd = atomic_load(&agent.uffd);

	if (fd < 0 || end <= start)
		return false;
	if (ioctl(fd, UFFDIO_REGISTER, &reg)) {
		if (agent.verbose)
			say("warning", "cannot register %#llx-%#llx: %s",
			    (unsigned long long)start,
			    (unsigned long long)end, strerror(errno));
		return false;
	}
	if (agent.verbose)
		say("info", "registered %#llx-%#llx",
		    (unsigned long long)start, (unsigned long long)end);
	__atomic_add_fetch(&agent.nr_registered, 1, __ATOMIC_RELAXED);
	return true;
}

/* /proc/self/maps into agent.buf, NUL-terminated; false on failure. */
static bool read_maps(void)
{
	size_t len = 0;
	ssize_t n;
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	for (;;) {
		if (agent.buf_cap - len < 4096) {
			size_t cap = agent.buf_cap ? agent.buf_cap * 2 : 65536;
			char *b = realloc(agent.buf, cap);

			if (!b)
				break;
			agent.buf = b;
			agent.buf_cap = cap;
		}
		n = read(fd, agent.buf + len, agent.buf_cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (agent.buf)
		agent.buf[len] = '\0';
	return agent.buf != NULL;
}

/*
 * Private anonymous writable: "rw?p", inode 0, and no path or one of the
 * kernel's names for anonymous memory.  Userfaultfd write-protection
 * refuses private file mappings, and shared memory needs other features.
 */
static bool qualifies(const char *line, struct range *r)
{
	unsigned long long start, end, inode;
	char perms[5];
	int pos = 0;
	const char *path;

	if (sscanf(line, "%llx-%llx %4s %*x %*x:%*x %llu%n", &start, &end,
		   perms, &inode, &pos) != 4)
		return false;
	if (perms[1] != 'w' || perms[3] != 'p' || inode)
		return false;
	path = line + pos;
	while (*path == ' ')
		path++;
	if (*path && *path != '\n' && strncmp(path, "[heap]", 6) &&
	    strncmp(path, "[stack]", 7) && strncmp(path, "[anon:", 6))
		return false;
	r->start = start;
	r->end = end;
	return true;
}

static bool in_prev(const struct range *r)
{
	size_t lo = 0, hi = agent.prev.nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct range *p = &agent.prev.v[mid];

		if (p->start == r->start)
			return p->end == r->end;
		if (p->start < r->start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static void remember(const struct range *r)
{
	if (agent.cur.nr == agent.cur.cap) {
		size_t cap = agent.cur.cap ? agent.cur.cap * 2 : 256;
		struct range *v = realloc(agent.cur.v, cap * sizeof(*v));

		if (!v)
			return;
		agent.cur.v = v;
		agent.cur.cap = cap;
	}
	agent.cur.v[agent.cur.nr++] = *r;
}

/* Register every qualifying mapping the previous scan did not. */
static void scan(void)
{
	struct range_set tmp;
	const char *line;
	struct range r;

	if (!read_maps())
		return;
	agent.cur.nr = 0;
	for (line = agent.buf; line && *line;) {
		const char *nl = strchr(line, '\n');

		if (qualifies(line, &r) && (in_prev(&r) ||
					    register_range(r.start, r.end)))
			remember(&r);
		line = nl ? nl + 1 : NULL;
	}
	tmp = agent.prev;
	agent.prev = agent.cur;
	agent.cur = tmp;
}

static void *rescan_thread(void *arg)
{
	struct timespec ts = {
		.tv_sec = agent.rescan_ms / 1000,
		.tv_nsec = (long)(agent.rescan_ms % 1000) * 1000000L,
	};

	(void)arg;
	while (atomic_load(&agent.uffd) >= 0 && getpid() == agent.pid) {
		nanosleep(&ts, NULL);
		scan();
	}
	return NULL;
}

/* userfaultfd with async write-protection, or -1 after saying why. */
static int open_uffd(void)
{
	struct uffdio_api api = {
		.api = UFFD_API,
		.features = UFFD_FEATURE_WP_ASYNC | UFFD_FEATURE_WP_UNPOPULATED,
	};
	const __u64 want = UFFD_FEATURE_WP_ASYNC | UFFD_FEATURE_WP_UNPOPULATED;
	int fd, err;

	fd = (int)syscall(SYS_userfaultfd,
			  O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
	if (fd < 0) {
		err = errno;
		say("error", "cannot open a userfaultfd: %s", strerror(err));
		if (err == ENOSYS)
			say("hint", "the kernel lacks CONFIG_USERFAULTFD");
		else
			say("hint", "UFFD_USER_MODE_ONLY needs Linux 5.11; before it, vm.unprivileged_userfaultfd=1 or CAP_SYS_PTRACE");
		return -1;
	}
	/* the kernel refuses unknown features, and reports all it has */
	if (ioctl(fd, UFFDIO_API, &api) || (api.features & want) != want ||
	    !(api.ioctls & (1ULL << _UFFDIO_REGISTER))) {
		err = errno;
		say("error", "the kernel does not grant asynchronous userfaultfd write-protection (UFFDIO_API: %s, features %#llx)",
		    strerror(err), (unsigned long long)api.features);
		say("hint", "the uffd source needs Linux 6.7 or later");
		close(fd);
		return -1;
	}
	return fd;
}

static void stop_in_child(void)
{
	int fd = atomic_exchange(&agent.uffd, -1);

	if (fd >= 0)
		close(fd);
}

static unsigned int env_uint(const char *name, unsigned int dflt)
{
	const char *v = getenv(name);
	char *end;
	unsigned long n;

	if (!v || !*v)
		return dflt;
	n = strtoul(v, &end, 10);
	return *end || n > 3600000 ? dflt : (unsigned int)n;
}

__attribute__((constructor))
static void agent_init(void)
{
	pthread_attr_t attr;
	pthread_t th;
	sigset_t all, old;
	int fd;

	agent.verbose = env_uint("DAMO_AGENT_VERBOSE", 0) != 0;
	agent.rescan_ms = env_uint("DAMO_AGENT_RESCAN_MS", 1000);
	agent.pid = getpid();
	fd = open_uffd();
	if (fd < 0)
		return;
	atomic_store(&agent.uffd, fd);
	pthread_atfork(NULL, NULL, stop_in_child);
	scan();
	if (!agent.rescan_ms)
		return;
	/* the workload's signals are not the thread's business */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&th, &attr, rescan_thread, NULL))
		say("warning", "no rescan thread: later mappings stay unmonitored unless mapped through mmap()");
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static mmap_fn resolve(_Atomic(mmap_fn) *slot, const char *name)
{
	mmap_fn f = atomic_load(slot);
	void *sym;

	if (f)
		return f;
	sym = dlsym(RTLD_NEXT, name);
	memcpy(&f, &sym, sizeof(f));
	atomic_store(slot, f);
	return f;
}

static bool is_private_anon_writable(int prot, int flags)
{
	return (flags & MAP_ANONYMOUS) && (prot & PROT_WRITE) &&
	       (flags & (MAP_SHARED | MAP_PRIVATE)) == MAP_PRIVATE &&
	       !(flags & MAP_HUGETLB);
}

static void *hooked(mmap_fn real, void *addr, size_t len, int prot,
		    int flags, int fd, off_t off)
{
	void *p;

	if (!real) {
		errno = ENOSYS;
		return MAP_FAILED;
	}
	p = real(addr, len, prot, flags, fd, off);
	if (p != MAP_FAILED && is_private_anon_writable(prot, flags) &&
	    atomic_load(&agent.uffd) >= 0 && getpid() == agent.pid) {
		uint64_t pg = (uint64_t)sysconf(_SC_PAGESIZE);

		register_range((uintptr_t)p,
			       ((uintptr_t)p + len + pg - 1) / pg * pg);
	}
	return p;
}

EXPORT void *mmap(void *addr, size_t len, int prot, int flags, int fd,
		  off_t off)
{
	return hooked(resolve(&agent.real_mmap, "mmap"), addr, len, prot,
		      flags, fd, off);
}

EXPORT void *mmap64(void *addr, size_t len, int prot, int flags, int fd,
		    off_t off)
{
	return hooked(resolve(&agent.real_mmap64, "mmap64"), addr, len, prot,
		      flags, fd, off);
}
