/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ownership registry: which kdamonds damo started.  The kernel has no
 * owner field, and other software (or the machine itself) may run kdamonds
 * of its own, so every writing command checks here first.
 */
#ifndef DAMO_KDAMOND_OWNER_H
#define DAMO_KDAMOND_OWNER_H

#include <stdbool.h>
#include <stddef.h>

struct diag;

/* The root of the embedded monitors' entries (their idx is N of eN). */
#define OWNER_EMBEDDED_ROOT "embedded"

/* The longest name a monitor can be given (damo start --name). */
#define OWNER_NAME_MAX 32

struct owner_entry {
	char *root;		/* sysfs admin directory it lives under */
	unsigned long idx;	/* kdamonds/<idx> */
	long pid;		/* the kdamond thread's pid when damo started it */
	long long started;	/* unix time */
	char *name;		/* its stable name, or NULL */
};

struct owner_reg {
	int fd;			/* the registry file, locked while open */
	struct owner_entry *v;
	size_t nr;
};

/*
 * The runtime directory: $DAMO_RUNTIME_DIR, else /run/damo for root, else
 * $XDG_RUNTIME_DIR/damo.  Returned string is owned by the caller.
 */
char *owner_dir(void);

/*
 * owner_dir_check() - create the runtime directory @dir (0700) if absent;
 * if present it must be a directory, not a link, owned by the effective
 * user and not writable by group or others (nor have any of @deny_mode's
 * permission bits), else damo refuses it: a clear error naming @dir and
 * what is wrong goes to @diag.  Every user of the runtime directory goes
 * through here (owner_open() does).  Return 0 or -errno.
 */
int owner_dir_check(const char *dir, unsigned int deny_mode,
		    struct diag *diag);

/*
 * owner_open() - check @dir (owner_dir_check()), open and lock (flock) the
 * registry in it, creating it with owner-only permissions, and read its
 * entries.  The registry is opened without following a link and must be
 * a regular file of this user.  Return 0 or -errno.
 */
int owner_open(const char *dir, struct owner_reg *reg, struct diag *diag);
/* Write the entries back (if @save) and unlock. */
int owner_close(struct owner_reg *reg, bool save, struct diag *diag);

/* The entry for kdamond @idx under @root, or NULL. */
struct owner_entry *owner_find(struct owner_reg *reg, const char *root,
			       unsigned long idx);
void owner_add(struct owner_reg *reg, const char *root, unsigned long idx,
	       long pid);
void owner_remove(struct owner_reg *reg, const char *root, unsigned long idx);

/* The entry named @name, or NULL. */
struct owner_entry *owner_find_name(struct owner_reg *reg, const char *name);
/* Name entry @idx under @root @name (NULL: no name); false if none. */
bool owner_set_name(struct owner_reg *reg, const char *root,
		    unsigned long idx, const char *name);

/*
 * Whether damo owns kdamond @idx that now runs as @pid (-1 when off): an
 * entry exists and, if the kdamond runs, it is the thread damo started.
 */
bool owner_owns(struct owner_reg *reg, const char *root, unsigned long idx,
		long pid);

#endif /* DAMO_KDAMOND_OWNER_H */
