/* SPDX-License-Identifier: GPL-2.0 */
/* Creating files without following what others planted (core/safefile.h). */
#include "core/safefile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/xalloc.h"

#define TMP_TRIES 100

static const char letters[] =
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/* Six letters nobody can guess in advance. */
static void random_suffix(char out[7])
{
	unsigned char r[6];
	size_t i;

	if (getrandom(r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r)) {
		struct timespec ts;
		uint64_t x;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		x = (uint64_t)ts.tv_nsec * 2654435761u ^
		    (uint64_t)getpid() << 32 ^ (uint64_t)ts.tv_sec;
		for (i = 0; i < sizeof(r); i++, x >>= 8)
			r[i] = (unsigned char)x;
	}
	for (i = 0; i < sizeof(r); i++)
		out[i] = letters[r[i] % (sizeof(letters) - 1)];
	out[6] = '\0';
}

/* "DIR/.NAME." for PATH; "./.NAME." when PATH has no directory. */
static char *tmp_prefix(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xasprintf(".%s.", path);
	return xasprintf("%.*s/.%s.", (int)(slash - path), path, slash + 1);
}

char *safefile_tmp_name(const char *path)
{
	char *prefix = tmp_prefix(path), *name = NULL, suffix[7];
	struct stat st;
	int i;

	for (i = 0; i < TMP_TRIES; i++) {
		random_suffix(suffix);
		name = xasprintf("%s%s", prefix, suffix);
		if (lstat(name, &st) && errno == ENOENT)
			break;
		free(name);
		name = NULL;
	}
	free(prefix);
	return name;
}

int safefile_open(struct safefile *sf, const char *path, mode_t mode)
{
	char *prefix, suffix[7];
	int i, fd = -1, err = -EEXIST;

	memset(sf, 0, sizeof(*sf));
	sf->fd = -1;
	if (!*path)
		return -ENOENT;
	prefix = tmp_prefix(path);
	for (i = 0; i < TMP_TRIES && err == -EEXIST; i++) {
		free(sf->tmp);
		random_suffix(suffix);
		sf->tmp = xasprintf("%s%s", prefix, suffix);
		fd = open(sf->tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW |
			  O_CLOEXEC, mode);
		err = fd < 0 ? -errno : 0;
	}
	free(prefix);
	if (err) {
		free(sf->tmp);
		sf->tmp = NULL;
		return err;
	}
	sf->fd = fd;
	sf->path = xstrdup(path);
	return 0;
}

void safefile_discard(struct safefile *sf)
{
	if (sf->fd >= 0)
		close(sf->fd);
	if (sf->tmp)
		unlink(sf->tmp);
	free(sf->tmp);
	free(sf->path);
	memset(sf, 0, sizeof(*sf));
	sf->fd = -1;
}

int safefile_commit(struct safefile *sf, unsigned int flags)
{
	struct stat st;
	char *old;
	int err = 0;

	if (sf->fd < 0 || !sf->tmp)
		err = -EBADF;
	if (!err && fsync(sf->fd))
		err = -errno;
	if (sf->fd >= 0 && close(sf->fd) && !err)
		err = -errno;
	sf->fd = -1;
	if (!err && (flags & SAFEFILE_KEEP_OLD) && !lstat(sf->path, &st)) {
		old = xasprintf("%s.old", sf->path);
		if (rename(sf->path, old))
			err = -errno;
		free(old);
	}
	/* rename() replaces the name itself: a link there is not followed */
	if (!err && rename(sf->tmp, sf->path))
		err = -errno;
	if (!err) {
		free(sf->tmp);
		sf->tmp = NULL;
	}
	safefile_discard(sf);
	return err;
}

int safefile_write_stream(const char *path, mode_t mode,
			  int (*fn)(void *data, FILE *f), void *data,
			  const char **what)
{
	struct safefile sf;
	FILE *f = NULL;
	int fd, err;

	err = safefile_open(&sf, path, mode);
	if (err) {
		*what = "create";
		return err;
	}
	fd = dup(sf.fd);
	if (fd >= 0)
		f = fdopen(fd, "w");
	if (!f) {
		err = -errno;
		if (fd >= 0)
			close(fd);
		*what = "create";
		safefile_discard(&sf);
		return err;
	}
	errno = 0;
	err = fn(data, f);
	if (!err && (fflush(f) || ferror(f)))
		err = -(errno ? errno : EIO);
	if (fclose(f) && !err)
		err = -errno;
	if (err) {
		*what = "write";
		safefile_discard(&sf);
		return err;
	}
	err = safefile_commit(&sf, 0);
	if (err)
		*what = "rename";
	return err;
}

int safefile_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return -ENOSPC;	/* write(2) gives 0 only for a full device */
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int safefile_create_new(const char *path, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		      O_CLOEXEC, mode);

	return fd < 0 ? -errno : fd;
}

int safefile_open_private(const char *path, int flags, mode_t mode,
			  const char **why)
{
	int acc = flags & O_ACCMODE, fl, fd, err = 0;
	struct stat st;

	*why = NULL;
	fd = open(path, acc | O_CREAT | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK |
		  O_CLOEXEC, mode);
	if (fd < 0 && errno == ELOOP)
		*why = "it is a symbolic link";
	else if (fd < 0 && errno == ENXIO)	/* a FIFO nobody reads */
		*why = "it is not a regular file";
	if (fd < 0)
		return *why ? -EPERM : -errno;
	if (fstat(fd, &st)) {
		err = -errno;
	} else if (!S_ISREG(st.st_mode)) {
		*why = "it is not a regular file";
		err = -EPERM;
	} else if (st.st_uid != geteuid()) {
		*why = "it belongs to another user";
		err = -EPERM;
	} else if (st.st_nlink != 1) {
		*why = "it has other hard links";
		err = -EPERM;
	}
	if (!err) {
		fl = fcntl(fd, F_GETFL);
		if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK))
			err = -errno;
	}
	if (!err && (flags & O_TRUNC) && ftruncate(fd, 0))
		err = -errno;
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

static int check_dir(const char *dir, mode_t deny_mode, const char **why)
{
	struct stat st;

	if (lstat(dir, &st))
		return -errno;
	if (S_ISLNK(st.st_mode))
		*why = "it is a symbolic link";
	else if (!S_ISDIR(st.st_mode))
		*why = "it is not a directory";
	else if (st.st_uid != geteuid())
		*why = "it belongs to another user";
	else if (st.st_mode & (S_IWGRP | S_IWOTH))
		*why = "others may write in it";
	else if (st.st_mode & deny_mode)
		*why = "others may read or enter it";
	return *why ? -EPERM : 0;
}

int safefile_private_dir(const char *dir, mode_t deny_mode, const char **why)
{
	char *p = xstrdup(dir), *slash;
	size_t len = strlen(p);
	int err = 0;

	*why = NULL;
	/* "DIR/" would make lstat() follow a link named DIR */
	while (len > 1 && p[len - 1] == '/')
		p[--len] = '\0';
	/* missing parents (a fresh system may lack /run); the last mkdir says
	 * what is wrong with them */
	for (slash = strchr(p + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		(void)!mkdir(p, 0755);
		*slash = '/';
	}
	if (mkdir(p, 0700) && errno != EEXIST)
		err = -errno;
	if (!err)
		err = check_dir(p, deny_mode, why);
	free(p);
	return err;
}
