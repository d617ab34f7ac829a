/* SPDX-License-Identifier: GPL-2.0 */
/* Root-relative sysfs file I/O. */
#include "kdamond/sysfs/sysfs.h"

#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/units.h"
#include "core/xalloc.h"

static char *join(const char *root, const char *rel)
{
	if (!rel || !*rel)
		return xstrdup(root);
	return xasprintf("%s/%s", root, rel);
}

int sysfs_read(const char *root, const char *rel, char *buf, size_t len)
{
	char *path = join(root, rel);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	int err = 0;

	free(path);
	if (fd < 0)
		return -errno;
	do {
		n = read(fd, buf, len - 1);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		err = -errno;
	close(fd);
	if (err)
		return err;
	buf[n] = '\0';
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

int sysfs_read_u64(const char *root, const char *rel, uint64_t *v)
{
	char buf[64];
	char *end;
	int err = sysfs_read(root, rel, buf, sizeof(buf));

	if (err)
		return err;
	errno = 0;
	*v = strtoull(buf, &end, 10);
	if (errno || end == buf || *end || buf[0] == '-')
		return -EINVAL;
	return 0;
}

bool sysfs_exists(const char *root, const char *rel)
{
	char *path = join(root, rel);
	bool ok = !access(path, F_OK);

	free(path);
	return ok;
}

int sysfs_write(const char *root, const char *rel, const char *val,
		struct diag *diag)
{
	char *path = join(root, rel);
	size_t len = strlen(val);
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	ssize_t n = -1;
	int err = 0;

	if (fd >= 0) {
		do {
			n = write(fd, val, len);
		} while (n < 0 && errno == EINTR);
		if (n < 0)
			err = -errno;
		else if ((size_t)n != len)
			err = -EIO;
		if (close(fd) && !err)
			err = -errno;
	} else {
		err = -errno;
	}
	if (err && diag)
		diag_add(diag, "", "cannot write '%s' to '%s': %s", val, path,
			 strerror(-err));
	free(path);
	return err;
}

static int cmp_ul(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

long sysfs_list_idx(const char *root, const char *rel, unsigned long **idx)
{
	char *path = join(root, rel);
	DIR *d = opendir(path);
	size_t nr = 0, cap = 0;
	struct dirent *de;
	char *end;

	free(path);
	*idx = NULL;
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		unsigned long v;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		v = strtoul(de->d_name, &end, 10);
		if (*end)
			continue;
		xgrow((void **)idx, nr, &cap, sizeof(**idx));
		(*idx)[nr++] = v;
	}
	closedir(d);
	if (nr)
		qsort(*idx, nr, sizeof(**idx), cmp_ul);
	return (long)nr;
}

size_t sysfs_path_vpush(struct sysfs_path *p, const char *fmt, va_list ap)
{
	size_t old = p->len;
	int n = vsnprintf(p->buf + old, sizeof(p->buf) - old, fmt, ap);

	if (n > 0)
		p->len = old + (size_t)n < sizeof(p->buf) ? old + (size_t)n :
			 sizeof(p->buf) - 1;
	return old;
}

size_t sysfs_path_push(struct sysfs_path *p, const char *fmt, ...)
{
	va_list ap;
	size_t old;

	va_start(ap, fmt);
	old = sysfs_path_vpush(p, fmt, ap);
	va_end(ap);
	return old;
}

void sysfs_path_pop(struct sysfs_path *p, size_t len)
{
	p->len = len;
	p->buf[len] = '\0';
}
