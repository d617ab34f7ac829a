/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading and writing DAMON's sysfs files (and other sysfs-like trees such
 * as tracefs and /sys/module) relative to a root directory, so that tests
 * can point the root at a directory tree.
 */
#ifndef DAMO_KDAMOND_SYSFS_SYSFS_H
#define DAMO_KDAMOND_SYSFS_SYSFS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct diag;

#define SYSFS_VAL_MAX 4096

/*
 * sysfs_read() - read "<root>/<rel>" into @buf (@len bytes), without the
 * trailing newline.  Return: 0 or -errno.
 */
int sysfs_read(const char *root, const char *rel, char *buf, size_t len);
/* sysfs_read() of a decimal unsigned value. -EINVAL if it is not one. */
int sysfs_read_u64(const char *root, const char *rel, uint64_t *v);

bool sysfs_exists(const char *root, const char *rel);

/*
 * sysfs_write() - write @val to "<root>/<rel>" in one write(2), as the
 * kernel wants it.  On failure adds "cannot write 'VAL' to 'PATH': ERROR"
 * to @diag (when not NULL).  Return: 0 or -errno.
 */
int sysfs_write(const char *root, const char *rel, const char *val,
		struct diag *diag);

/*
 * sysfs_list_idx() - the numeric entries of directory "<root>/<rel>" ("0",
 * "1", ...) in ascending order; the kernel does not promise dense numbering.
 * @idx: receives an array owned by the caller (free()), NULL when empty
 * Return: the number of entries, or -errno.
 */
long sysfs_list_idx(const char *root, const char *rel, unsigned long **idx);

/* A path relative to a sysfs root, grown and shrunk as a tree is walked. */
struct sysfs_path {
	char buf[512];
	size_t len;
};

/*
 * sysfs_path_push() - append the formatted text ("/%s", "kdamonds/%lu")
 * to @p, truncated if it must be.  Return the length to pop back to.
 */
size_t sysfs_path_push(struct sysfs_path *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
size_t sysfs_path_vpush(struct sysfs_path *p, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
void sysfs_path_pop(struct sysfs_path *p, size_t len);

#endif /* DAMO_KDAMOND_SYSFS_SYSFS_H */
