/* SPDX-License-Identifier: GPL-2.0 */
/* The ownership registry: a small line-based file, locked with flock. */
#include "kdamond/owner.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/safefile.h"
#include "core/xalloc.h"

#define REG_FILE "kdamonds"
#define REG_MAX (1u << 20)

char *owner_dir(void)
{
	const char *env = getenv("DAMO_RUNTIME_DIR");
	const char *xdg = getenv("XDG_RUNTIME_DIR");

	if (env && *env)
		return xstrdup(env);
	if (!geteuid())
		return xstrdup("/run/damo");
	if (xdg && *xdg)
		return xasprintf("%s/damo", xdg);
	return xasprintf("/tmp/damo-%u", (unsigned int)geteuid());
}

int owner_dir_check(const char *dir, unsigned int deny_mode,
		    struct diag *diag)
{
	const char *why;
	int err = safefile_private_dir(dir, (mode_t)deny_mode, &why);

	if (err == -EPERM && why)
		diag_add(diag, "",
			 "refusing the runtime directory '%s': %s (it must be a directory of this user that no one else can write; remove it or set DAMO_RUNTIME_DIR)",
			 dir, why);
	else if (err)
		diag_add(diag, "", "cannot create the runtime directory '%s': %s",
			 dir, strerror(-err));
	return err;
}

static void parse(struct owner_reg *reg, char *buf)
{
	char *line, *save, root[4096], name[OWNER_NAME_MAX + 1];
	unsigned long idx;
	long pid;
	long long started;
	int n;

	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		/* the name, a fifth field, came later: four fields are fine */
		n = sscanf(line, "%4095[^\t]\t%lu\t%ld\t%lld\t%32[^\t]", root,
			   &idx, &pid, &started, name);
		if (n != 4 && n != 5)
			continue;	/* a damaged line is dropped */
		reg->v = xreallocarray(reg->v, reg->nr + 1, sizeof(*reg->v));
		reg->v[reg->nr++] = (struct owner_entry){
			xstrdup(root), idx, pid, started,
			n == 5 ? xstrdup(name) : NULL };
	}
}

int owner_open(const char *dir, struct owner_reg *reg, struct diag *diag)
{
	char *path = xasprintf("%s/%s", dir, REG_FILE);
	char *buf = xmalloc(REG_MAX + 1);
	const char *why;
	ssize_t n;
	int err = 0;

	memset(reg, 0, sizeof(*reg));
	reg->fd = -1;
	err = owner_dir_check(dir, 0, diag);
	if (err)
		goto out;
	reg->fd = safefile_open_private(path, O_RDWR, 0600, &why);
	if (reg->fd < 0) {
		err = reg->fd;
		reg->fd = -1;
		if (why) {
			diag_add(diag, "", "refusing the ownership registry '%s': %s",
				 path, why);
			goto out;
		}
	}
	if (!err && flock(reg->fd, LOCK_EX))
		err = -errno;
	if (!err) {
		n = pread(reg->fd, buf, REG_MAX, 0);
		if (n < 0)
			err = -errno;
		else
			buf[n] = '\0';
	}
	if (err) {
		diag_add(diag, "", "cannot open the ownership registry '%s': %s",
			 path, strerror(-err));
		if (reg->fd >= 0)
			close(reg->fd);
		reg->fd = -1;
	} else {
		parse(reg, buf);
	}
out:
	free(buf);
	free(path);
	return err;
}

static int save_entries(struct owner_reg *reg)
{
	FILE *f;
	size_t i;
	int fd = dup(reg->fd);

	if (fd < 0 || ftruncate(reg->fd, 0) || lseek(fd, 0, SEEK_SET)) {
		if (fd >= 0)
			close(fd);
		return -errno;
	}
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return -errno;
	}
	for (i = 0; i < reg->nr; i++) {
		fprintf(f, "%s\t%lu\t%ld\t%lld", reg->v[i].root, reg->v[i].idx,
			reg->v[i].pid, reg->v[i].started);
		if (reg->v[i].name)
			fprintf(f, "\t%s", reg->v[i].name);
		fputc('\n', f);
	}
	if (fflush(f) || fsync(fd)) {
		fclose(f);
		return -errno;
	}
	return fclose(f) ? -errno : 0;
}

int owner_close(struct owner_reg *reg, bool save, struct diag *diag)
{
	size_t i;
	int err = 0;

	if (reg->fd >= 0 && save) {
		err = save_entries(reg);
		if (err)
			diag_add(diag, "", "cannot write the ownership registry: %s",
				 strerror(-err));
	}
	if (reg->fd >= 0)
		close(reg->fd);	/* releases the lock */
	for (i = 0; i < reg->nr; i++) {
		free(reg->v[i].root);
		free(reg->v[i].name);
	}
	free(reg->v);
	memset(reg, 0, sizeof(*reg));
	reg->fd = -1;
	return err;
}

struct owner_entry *owner_find(struct owner_reg *reg, const char *root,
			       unsigned long idx)
{
	size_t i;

	for (i = 0; i < reg->nr; i++)
		if (reg->v[i].idx == idx && !strcmp(reg->v[i].root, root))
			return &reg->v[i];
	return NULL;
}

void owner_remove(struct owner_reg *reg, const char *root, unsigned long idx)
{
	struct owner_entry *e = owner_find(reg, root, idx);

	if (!e)
		return;
	free(e->root);
	free(e->name);
	*e = reg->v[--reg->nr];
}

void owner_add(struct owner_reg *reg, const char *root, unsigned long idx,
	       long pid)
{
	owner_remove(reg, root, idx);
	reg->v = xreallocarray(reg->v, reg->nr + 1, sizeof(*reg->v));
	reg->v[reg->nr++] = (struct owner_entry){
		xstrdup(root), idx, pid, (long long)time(NULL), NULL };
}

struct owner_entry *owner_find_name(struct owner_reg *reg, const char *name)
{
	size_t i;

	for (i = 0; i < reg->nr; i++)
		if (reg->v[i].name && !strcmp(reg->v[i].name, name))
			return &reg->v[i];
	return NULL;
}

bool owner_set_name(struct owner_reg *reg, const char *root,
		    unsigned long idx, const char *name)
{
	struct owner_entry *e = owner_find(reg, root, idx);

	if (!e)
		return false;
	free(e->name);
	e->name = name ? xstrdup(name) : NULL;
	return true;
}

bool owner_owns(struct owner_reg *reg, const char *root, unsigned long idx,
		long pid)
{
	struct owner_entry *e = owner_find(reg, root, idx);

	return e && (pid < 0 || e->pid == pid);
}
