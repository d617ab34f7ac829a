/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Creating files safely where other users may write too (/tmp, a shared
 * directory): damo often runs as root, and a name another user planted
 * there (a symbolic link to /etc/something, a FIFO, a file of theirs) must
 * never be opened for writing.
 *
 * Every file damo writes goes through here:
 *
 * - a file written whole and then put in place (records in damo's JSON
 *   formats, heatmap images, the embedded monitor's status file):
 *   safefile_open() creates a temporary file with an unpredictable name in
 *   the target's directory with O_CREAT|O_EXCL|O_NOFOLLOW, and
 *   safefile_commit() renames it over the target, which replaces whatever
 *   the name was (a planted link is replaced, never followed);
 * - a file written as it grows (native records): safefile_create_new(),
 *   O_CREAT|O_EXCL|O_NOFOLLOW on the name itself, after the caller moved
 *   an existing file away;
 * - a file of damo's own, kept and rewritten in place (the kdamonds
 *   registry, the embedded monitor's pid and log files):
 *   safefile_open_private(), O_NOFOLLOW and then checked to be a regular
 *   file of this user with one link;
 * - the runtime directory: safefile_private_dir().
 *
 * Functions return 0 (or a file descriptor) or -errno.
 */
#ifndef DAMO_CORE_SAFEFILE_H
#define DAMO_CORE_SAFEFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

struct safefile {
	int fd;			/* the temporary file, open for writing */
	char *path;		/* where it goes */
	char *tmp;		/* its current name, in the same directory */
};

/* safefile_commit() flags */
#define SAFEFILE_KEEP_OLD 1u	/* an existing PATH becomes PATH.old */

/*
 * safefile_open() - create a temporary file for @path in its directory.
 * @sf:   filled in; sf->fd is open for writing (and reading)
 * @path: the file it will become
 * @mode: its permissions (before the umask)
 *
 * The name is PATH's directory, '.', PATH's name and six random letters;
 * it is made with O_CREAT|O_EXCL|O_NOFOLLOW, a new name tried if one
 * exists.  Return 0 or -errno.  (A directory at @path makes the commit
 * fail with -EISDIR.)
 */
int safefile_open(struct safefile *sf, const char *path, mode_t mode);

/*
 * safefile_commit() - put the file in place: fsync it, close it, (with
 * SAFEFILE_KEEP_OLD) rename an existing @path to PATH.old, and rename the
 * temporary file to @path.  On failure the temporary file is removed.
 * Either way @sf is released.  Return 0 or -errno.
 */
int safefile_commit(struct safefile *sf, unsigned int flags);

/*
 * safefile_write_stream() - write @path whole through a stdio stream:
 * safefile_open() with @mode, @fn(@data, stream), flushed and checked,
 * then safefile_commit() (no PATH.old).  On failure nothing is left and
 * *@what says which step failed ("create", "write" or "rename").
 * Return 0, the -errno of that step, or @fn's negative return.
 */
int safefile_write_stream(const char *path, mode_t mode,
			  int (*fn)(void *data, FILE *f), void *data,
			  const char **what);

/* Remove the temporary file and release @sf (any state, also zeroed). */
void safefile_discard(struct safefile *sf);

/*
 * safefile_write_all() - write all of @buf to @fd, retrying short writes
 * and EINTR.  Return 0 or -errno of the failing write (ENOSPC on a full
 * disk, never a made-up EIO).
 */
int safefile_write_all(int fd, const void *buf, size_t len);

/*
 * safefile_tmp_name() - a name for a temporary file next to @path, as
 * safefile_open() makes them (DIR/.NAME.XXXXXX), that nothing had when
 * this looked, for a writer that creates its file itself with
 * safefile_create_new() (which refuses the name if it reappeared).
 * Returns a malloc'd name, or NULL when every try was taken.
 */
char *safefile_tmp_name(const char *path);

/*
 * safefile_create_new() - create @path, which must not exist, for writing:
 * O_WRONLY|O_CREAT|O_EXCL|O_NOFOLLOW.  Return the descriptor or -errno
 * (-EEXIST when anything, a link included, has that name).
 */
int safefile_create_new(const char *path, mode_t mode);

/*
 * safefile_open_private() - open (creating if absent, with @mode) a file
 * of this user's own to read and rewrite in place: @flags (O_RDWR or
 * O_WRONLY, maybe O_TRUNC) plus O_CREAT|O_NOFOLLOW|O_NOCTTY|O_NONBLOCK
 * (O_NONBLOCK cleared again after the open), so that neither a link nor a
 * FIFO makes it block or go elsewhere.  The file must be a regular file
 * owned by the effective user with a single link, else -EPERM and
 * *@why says which.  O_TRUNC is applied only after those checks.
 * Return the descriptor or -errno.
 */
int safefile_open_private(const char *path, int flags, mode_t mode,
			  const char **why);

/*
 * safefile_private_dir() - make sure @dir is a directory only this user
 * can write: created with mode 0700 (and missing parents 0755) if absent;
 * if present, it must be a directory itself (lstat: not a symbolic link),
 * owned by the effective user, with no write permission for group and
 * others, and none of @deny_mode's bits.  Return 0, -errno of a failed
 * mkdir or lstat, or -EPERM with *@why saying what is wrong.
 */
int safefile_private_dir(const char *dir, mode_t deny_mode, const char **why);

#endif /* DAMO_CORE_SAFEFILE_H */
