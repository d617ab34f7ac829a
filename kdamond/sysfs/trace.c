/* SPDX-License-Identifier: GPL-2.0 */
/* DAMON tracepoints from a tracefs instance of damo's own. */
#include "kdamond/sysfs/trace.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/xalloc.h"
#include "kdamond/sysfs/sysfs.h"

#define TRACEFS_MAGIC 0x74726163
#define INST_PREFIX "damo."
#define EVENT "damon_aggregated"
#define EVENT_DIR "events/damon/" EVENT

static void log_op(const struct trace_session *t, const char *op,
		   const char *path, const char *val)
{
	if (t->log)
		fprintf(t->log, "%s %s%s%s\n", op, path, val ? " " : "",
			val ? val : "");
}

static int inst_write(struct trace_session *t, const char *rel,
		      const char *val, struct diag *d)
{
	char *path = xasprintf("%s/%s", t->inst, rel);

	log_op(t, "write", path, val);
	free(path);
	return sysfs_write(t->inst, rel, val, d);
}

static bool parse_dec(const char **s, uint64_t *out)
{
	const char *c = *s;
	uint64_t v = 0;

	if (*c < '0' || *c > '9')
		return false;
	for (; *c >= '0' && *c <= '9'; c++)
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, (uint64_t)(*c - '0'), &v))
			return false;
	*s = c;
	*out = v;
	return true;
}

static bool parse_kv(const char **s, const char *key, uint64_t *out)
{
	size_t n = strlen(key);

	while (**s == ' ')
		(*s)++;
	if (strncmp(*s, key, n) || (*s)[n] != '=')
		return false;
	*s += n + 1;
	return parse_dec(s, out);
}

/* "<secs>.<usecs>" (any number of fraction digits, up to 9 used) */
static bool parse_ts(const char *s, const char *end, uint64_t *ns)
{
	uint64_t sec, frac = 0, scale = 1000000000ULL;
	const char *c = s;

	if (!parse_dec(&c, &sec) || *c != '.' || sec > UINT64_MAX / scale)
		return false;
	for (c++; c < end && *c >= '0' && *c <= '9'; c++) {
		if (scale > 1) {
			scale /= 10;
			frac += (uint64_t)(*c - '0') * scale;
		}
	}
	if (c != end)
		return false;
	*ns = sec * 1000000000ULL + frac;
	return true;
}

int trace_parse_line(const char *line, struct trace_event *ev)
{
	const char *m = strstr(line, ": " EVENT ": "), *ts, *c;

	if (!m)
		return -EINVAL;
	for (ts = m; ts > line && ts[-1] != ' '; ts--)
		;
	if (!parse_ts(ts, m, &ev->ts_ns))
		return -EINVAL;
	c = m + strlen(": " EVENT ": ");
	if (!parse_kv(&c, "target_id", &ev->target) ||
	    !parse_kv(&c, "nr_regions", &ev->nr_regions) || *c++ != ' ' ||
	    !parse_dec(&c, &ev->start) || *c++ != '-' ||
	    !parse_dec(&c, &ev->end) || *c++ != ':' || *c++ != ' ' ||
	    !parse_dec(&c, &ev->nr_accesses))
		return -EINVAL;
	ev->age = TRACE_NO_AGE;
	if (*c == ' ') {
		c++;
		if (!parse_dec(&c, &ev->age))
			return -EINVAL;
	}
	while (*c == ' ' || *c == '\r')
		c++;
	return *c || ev->start >= ev->end || !ev->nr_regions ? -EINVAL : 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* Remove instance directory @path: rmdir on tracefs, the tree in tests. */
static int remove_inst(const char *path, bool tree, FILE *log)
{
	if (log)
		fprintf(log, "rmdir %s\n", path);
	if (tree)
		return nftw(path, rm_entry, 8, FTW_DEPTH | FTW_PHYS) ? -errno : 0;
	return rmdir(path) ? -errno : 0;
}

static bool root_is_tree(const char *root)
{
	struct statfs sf;

	return statfs(root, &sf) || sf.f_type != TRACEFS_MAGIC;
}

/* Whether process @pid runs (as anyone). */
static bool pid_alive(long pid)
{
	return pid > 0 && (!kill((pid_t)pid, 0) || errno == EPERM);
}

int trace_leftovers(const char *root, bool remove, FILE *log,
		    struct diag *notes)
{
	char *dir = xasprintf("%s/instances", root), *path, *end;
	bool tree = root_is_tree(root);
	struct dirent *de;
	int nr = 0;
	DIR *d;
	long pid;

	d = opendir(dir);
	while (d && (de = readdir(d))) {
		if (strncmp(de->d_name, INST_PREFIX, strlen(INST_PREFIX)))
			continue;
		errno = 0;
		pid = strtol(de->d_name + strlen(INST_PREFIX), &end, 10);
		if (errno || *end || pid <= 0 ||
		    (pid_alive(pid) && pid != (long)getpid()))
			continue;
		nr++;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (!remove) {
			diag_add(notes, "", "tracefs instance '%s' was left by damo process %ld, which no longer runs",
				 path, pid);
		} else if (remove_inst(path, tree, log)) {
			diag_add(notes, "", "cannot remove tracefs instance '%s' left by damo process %ld: %s",
				 path, pid, strerror(errno));
		} else {
			diag_add(notes, "", "removed tracefs instance '%s' left by damo process %ld, which no longer runs",
				 path, pid);
			nr--;
		}
		free(path);
	}
	if (d)
		closedir(d);
	free(dir);
	return nr;
}

static int create_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	int err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		err = -EIO;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

/* What the kernel does on mkdir of an instance, for a stand-in tree. */
static int fill_tree_inst(struct trace_session *t)
{
	char *src = xasprintf("%s/events/damon", t->root), *p;
	struct dirent *de;
	int err = 0;
	DIR *d;

	d = opendir(src);
	if (!d) {
		err = -errno;
		goto out;
	}
	p = xasprintf("%s/events", t->inst);
	mkdir(p, 0755);
	free(p);
	p = xasprintf("%s/events/damon", t->inst);
	mkdir(p, 0755);
	free(p);
	while (!err && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		p = xasprintf("%s/events/damon/%s", t->inst, de->d_name);
		if (mkdir(p, 0755))
			err = -errno;
		free(p);
		p = xasprintf("%s/events/damon/%s/enable", t->inst,
			      de->d_name);
		if (!err)
			err = create_file(p, "0\n");
		free(p);
		p = xasprintf("%s/events/damon/%s/filter", t->inst,
			      de->d_name);
		if (!err)
			err = create_file(p, "none\n");
		free(p);
	}
	closedir(d);
	p = xasprintf("%s/trace_pipe", t->inst);
	if (!err && symlink("../../trace_pipe", p))
		err = -errno;
	free(p);
out:
	if (err)
		diag_add(t->diag, "", "cannot fill the stand-in tracefs instance '%s': %s",
			 t->inst, strerror(-err));
	free(src);
	return err;
}

int trace_open(struct trace_session *t, const char *root, long pid,
	       FILE *log, struct diag *diag, struct diag *notes)
{
	char filter[64], *p;
	int err;

	memset(t, 0, sizeof(*t));
	t->fd = -1;
	t->root = xstrdup(root);
	t->event = EVENT;
	t->log = log;
	t->diag = diag;
	t->notes = notes;
	if (!sysfs_exists(root, EVENT_DIR)) {
		diag_add(diag, "", "no DAMON tracepoint at '%s/%s'", root,
			 EVENT_DIR);
		diag_add(diag, "hint", sysfs_exists(root, "events") ?
			 "this kernel has no DAMON tracepoints; try --snapshot" :
			 "is tracefs mounted (mount -t tracefs nodev /sys/kernel/tracing)? DAMO_TRACEFS_ROOT names another place");
		err = -ENOENT;
		goto fail;
	}
	if (!sysfs_exists(root, "instances")) {
		diag_add(diag, "", "no '%s/instances': this tracefs cannot make trace instances",
			 root);
		err = -EOPNOTSUPP;
		goto fail;
	}
	t->tree = root_is_tree(root);
	trace_leftovers(root, true, log, notes);
	t->inst = xasprintf("%s/instances/" INST_PREFIX "%ld", root,
			    (long)getpid());
	log_op(t, "mkdir", t->inst, NULL);
	if (mkdir(t->inst, 0755)) {
		err = -errno;
		diag_add(diag, "", "cannot make the trace instance '%s': %s",
			 t->inst, strerror(errno));
		if (err == -EEXIST)
			diag_add(diag, "hint", "another program made it; damo does not share trace instances");
		goto fail;
	}
	t->created = true;
	if (t->tree) {
		err = fill_tree_inst(t);
		if (err)
			goto fail;
	}
	snprintf(filter, sizeof(filter), "common_pid == %ld", pid);
	err = inst_write(t, EVENT_DIR "/filter", filter, diag);
	if (err)
		goto fail;
	err = inst_write(t, EVENT_DIR "/enable", "1", diag);
	if (err)
		goto fail;
	t->enabled = true;
	p = xasprintf("%s/trace_pipe", t->inst);
	t->fd = open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (t->fd < 0) {
		err = -errno;
		diag_add(diag, "", "cannot open '%s': %s", p, strerror(errno));
	}
	free(p);
	if (!err)
		return 0;
fail:
	trace_close(t);
	return err;
}

int trace_read(struct trace_session *t, int timeout_ms,
	       int (*fn)(void *arg, const struct trace_event *ev), void *arg)
{
	struct pollfd pfd = { .fd = t->fd, .events = POLLIN };
	struct trace_event ev;
	char *nl, *line;
	ssize_t n;
	int nr = 0, r;

	r = poll(&pfd, 1, timeout_ms);
	if (r < 0)
		return -errno;
	if (!r)
		return 0;
	n = read(t->fd, t->buf + t->len, sizeof(t->buf) - 1 - t->len);
	if (n < 0)
		return errno == EAGAIN ? 0 : -errno;
	if (!n) {
		/* a stand-in's end; a partial last line still counts */
		if (!t->len)
			return -ENODATA;
		t->buf[t->len++] = '\n';
	}
	t->len += (size_t)n;
	t->buf[t->len] = '\0';
	line = t->buf;
	while ((nl = memchr(line, '\n', t->len - (size_t)(line - t->buf)))) {
		*nl = '\0';
		if (!trace_parse_line(line, &ev)) {
			nr++;
			r = fn(arg, &ev);
			if (r) {
				line = nl + 1;
				nr = r;
				break;
			}
		} else if (*line) {
			t->nr_skipped++;
		}
		line = nl + 1;
	}
	t->len -= (size_t)(line - t->buf);
	memmove(t->buf, line, t->len);
	/* a line longer than the buffer is no DAMON line: drop it */
	if (t->len == sizeof(t->buf) - 1) {
		t->len = 0;
		t->nr_skipped++;
	}
	return nr;
}

void trace_close(struct trace_session *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	if (t->enabled && inst_write(t, EVENT_DIR "/enable", "0", t->notes))
		diag_add(t->notes, "", "the trace instance will be removed anyway, which disables its events");
	t->enabled = false;
	if (t->created && remove_inst(t->inst, t->tree, t->log))
		diag_add(t->notes, "", "cannot remove the trace instance '%s': %s; remove it with rmdir",
			 t->inst, strerror(errno));
	t->created = false;
	free(t->inst);
	t->inst = NULL;
	free(t->root);
	t->root = NULL;
}
