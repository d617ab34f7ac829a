/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The backends that run DAMON for damo, behind one table of operations:
 * kernel DAMON through its sysfs interface (kdamond/sysfs/) and damo's
 * embedded monitor, a daemon reached through its control socket
 * (kdamond/embedded/).  Commands parse, select a backend, call it and
 * print; they never name one.
 *
 * What runs is named by a damo_id: kernel kdamond N is "N", embedded
 * monitor N is "eN".  The same text is what the command line takes, what
 * text output shows, and (a JSON string) what JSON output holds.
 */
#ifndef DAMO_KDAMOND_BACKEND_H
#define DAMO_KDAMOND_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "core/damon.h"

struct diag;
struct out;
struct snap_sink;
struct access_source_type;

enum backend_kind {
	BACKEND_AUTO,		/* a choice only: the kernel where it can */
	BACKEND_KERNEL,
	BACKEND_EMBEDDED,
	NR_BACKEND_KINDS,
};

/* "auto", "kernel", "embedded". */
const char *backend_kind_name(enum backend_kind kind);
/* The kind named @s; -EINVAL for anything else. */
int backend_parse_kind(const char *s, enum backend_kind *kind);
/* Whether choosing @want (BACKEND_AUTO too) may give a monitor of @kind. */
bool backend_kind_allows(enum backend_kind want, enum backend_kind kind);
/*
 * Whether choosing @want may start damo's own monitor, which takes the
 * options of an access source and of staying attached.
 */
bool backend_kind_may_embed(enum backend_kind want);

/* ---- ids ---- */

struct damo_id {
	enum backend_kind kind;	/* BACKEND_KERNEL or BACKEND_EMBEDDED */
	unsigned long nr;
};

#define DAMO_ID_BUFSZ 24

/*
 * damo_id_parse() - "N" (a kernel kdamond, N <= 65535) or "eN" (an
 * embedded monitor) into @id.  Return: 0, or -EINVAL for anything else.
 */
int damo_id_parse(const char *s, struct damo_id *id);
/* @id as text ("0", "e0") in @buf, which is returned. */
const char *damo_id_str(struct damo_id id, char buf[DAMO_ID_BUFSZ]);
/*
 * damo_id_print() - @id under @key (NULL in a list): the same text in
 * text output and, as a JSON string, in JSON output.
 */
void damo_id_print(struct out *o, const char *key, struct damo_id id);
/* What a sentence calls @id: "kdamond 0", "e0". */
const char *damo_id_label(struct damo_id id, char buf[DAMO_ID_BUFSZ + 8]);
bool damo_id_eq(struct damo_id a, struct damo_id b);

/*
 * Stable names (damo start --name NAME): kept with the ownership registry,
 * accepted wherever an id is.  A name is 1 to 32 letters, digits, '_', '-'
 * or '.', begins with a letter, and is not an id ("e0").
 */
#define DAMO_NAME_MAX 32
/* Whether @s can be a name; else *@why (static) says why not. */
bool damo_name_valid(const char *s, const char **why);
/*
 * damo_name_lookup() - the id of the monitor damo started under @name,
 * from the registry in the runtime directory.  Return: 0, -ENOENT (no
 * such name) or -errno; a message in @d either way it fails.
 */
int damo_name_lookup(const char *name, struct damo_id *id, struct diag *d);
/* The name of @b's monitor @id (owned), or NULL for none. */
struct backend;
char *backend_name_of(struct backend *b, struct damo_id id);

/* ---- opening one ---- */

/* Where the backends find what they drive; filled by the caller. */
struct backend_env {
	const char *sysfs_root;		/* DAMON's admin directory */
	const char *tracefs_root;
	const char *modules_root;	/* /sys/module */
	FILE *trace;			/* if set: each sysfs write said here */
	struct out *out;		/* where a notice said at once goes */
	/* says the warnings of a diag at once (what auto picked) */
	void (*warn)(struct out *o, struct diag *d);
};

struct backend_ops;

struct backend {
	const struct backend_ops *ops;
	enum backend_kind kind;
	const struct backend_env *env;
	struct diag *diag;		/* problems, the caller's */
	char *rundir;			/* damo's registry and sockets */
	void *priv;			/* the driver's */
};

/*
 * backend_open() - open backend @kind (not BACKEND_AUTO) into @b, its
 * problems going to @d.  The kernel's: features detected (a temporary
 * kdamond only with @may_create_tmp); -ENOENT with a message when there
 * is no DAMON sysfs interface.  Return: 0 or -errno; @b is closed either
 * way with backend_close().
 */
int backend_open(const struct backend_env *env, enum backend_kind kind,
		 bool may_create_tmp, struct backend *b, struct diag *d);
void backend_close(struct backend *b);

/*
 * backend_select() - open the backend to run a new monitor on: @want, or
 * for BACKEND_AUTO the kernel unless it has no DAMON sysfs interface or
 * (with @cfg) lacks the operations @cfg needs; then the embedded monitor,
 * and *@why says why not the kernel (a phrase, static).  Without @cfg
 * the kernel is only refused where vaddr is known absent (monitoring a
 * process).  Return: 0 or -errno.
 */
int backend_select(const struct backend_env *env, enum backend_kind want,
		   const struct damon_config *cfg, bool may_create_tmp,
		   struct backend *b, const char **why, struct diag *d);

/*
 * backend_open_all() - open the backends a command addresses: @id's (when
 * not NULL), else @want's, else (BACKEND_AUTO) the kernel's where there is
 * a DAMON sysfs interface, then the embedded monitor's.  Read-only.
 * Return: 0 with *@nr (1 or 2) backends in @b, each to be closed, or
 * -errno (nothing to close).
 */
int backend_open_all(const struct backend_env *env, enum backend_kind want,
		     const struct damo_id *id, struct backend b[2],
		     size_t *nr, struct diag *d);

/* ---- what a backend does ---- */

/* A monitor just started, for the one printer of 'damo start'. */
struct backend_started {
	struct damo_id id;
	long pid;			/* the kdamond's or the daemon's */
	enum damon_ops ops;
	const char *source;		/* how accesses are seen, or NULL */
	const char *sees;
	long command_pid;		/* -1: no command */
	const int64_t *target_pids;
	size_t nr_target_pids;
};

struct backend_start {
	char **command;			/* NULL-terminated argv, or NULL */
	bool force;			/* replace directories damo did not make */
	const char *source;		/* an access source name, or NULL */
	bool foreground;		/* stay attached (where one can) */
	bool intervals_given;		/* else the backend's own defaults */
	/*
	 * The embedded monitor without intervals given: its sampling paced
	 * to this CPU budget, in 1/10000 of a core (0: the default, 1 %).
	 */
	unsigned int cpu_budget_bp;
	/*
	 * Started for one recording that follows: where the monitor outlives its
	 * starter (the embedded daemon), it stops, ending the command, when
	 * the recording's stream closes, cleanly or not (the recording damo
	 * was killed)
	 */
	bool ephemeral;
	/* told of what started, before a foreground monitor runs */
	void (*started)(void *data, const struct backend_started *s,
			size_t nr);
	void *data;
	/*
	 * A stable name for the one monitor started (damo_name_valid(),
	 * unused), or NULL
	 */
	const char *name;
};

/* What status asks the backend to refresh before reading. */
enum backend_refresh {
	REFRESH_NONE,
	REFRESH_STATUS,		/* everything, unless it refreshes itself */
	REFRESH_STATS,		/* scheme stats and effective quotas */
	REFRESH_TRIED,		/* tried regions */
	REFRESH_TRIED_BYTES,	/* their total (cheaper) */
};

struct backend_status {
	struct damo_id id;
	char *name;			/* its stable name, or NULL */
	struct kdamond k;		/* the model, with runtime state */
	bool owned;			/* started by damo */
	bool running;
	/* gone without a word (an embedded daemon killed by SIGKILL) */
	bool dead;
	/*
	 * scheme stats and effective quotas as they are now: refreshed for
	 * this read, or refreshed by the kernel itself (refresh_ms); false
	 * for a kdamond damo may only read (not its own, no refresh_ms),
	 * which shows what someone last asked the kernel for, maybe never
	 */
	bool stats_fresh;
	/* the embedded monitor's; NULL where a backend has none */
	char *source, *sees;
	bool has_exit_reason;		/* says exit_reason (maybe NULL) */
	char *exit_reason;
	bool has_nr_regions;
	uint64_t nr_regions;
	/*
	 * the intervals kept over its last achieved_aggrs aggregations,
	 * where the backend measures them (the embedded monitor); 0: not
	 */
	uint64_t achieved_aggrs;
	uint64_t achieved_sample_us, achieved_aggr_us;
	bool behind;			/* longer than asked (by 25 % or more) */
};

void backend_status_init(struct backend_status *st);
void backend_status_release(struct backend_status *st);

/* A DAMON module's state, for status. */
struct backend_module {
	const char *name;
	bool enabled;
	bool has_kdamond_pid;
	long kdamond_pid;
};

/* How a monitor is recorded, and what the stream said at its end. */
struct backend_record {
	/*
	 * Kernel DAMON only: record through the tried regions of a stat
	 * scheme added for the recording, every this many nanoseconds;
	 * 0: as the monitor aggregates (its tracepoint).
	 */
	uint64_t snapshot_ns;
	/* out: where the snapshots came from ("tracepoint", "embedded:uffd") */
	char source[32];
	const char *end;		/* out: why the stream ended by itself */
	uint64_t nr_dropped;		/* out: snapshots lost on the way */
};

/* An access source of the embedded monitor, and whether it works here. */
struct backend_source {
	const struct access_source_type *type;	/* name, what it sees */
	bool usable;
	char why[256];			/* why not, when not */
};

struct backend_ops {
	/* the rest may be NULL where a backend has no such thing */
	int (*open)(struct backend *b, bool may_create_tmp);
	void (*close)(struct backend *b);
	/*
	 * Why @cfg cannot run here (a phrase), or NULL; without @cfg, why a
	 * process cannot be monitored.
	 */
	const char *(*lacks)(struct backend *b, const struct damon_config *cfg);
	/* What runs or ran, in order, or damo's only: *@ids owned. */
	int (*list)(struct backend *b, bool mine, struct damo_id **ids,
		    size_t *nr);
	int (*start)(struct backend *b, struct damon_config *cfg,
		     const struct backend_start *o);
	/*
	 * Replace what @id runs with @cfg (one kdamond), online.  @flags:
	 * BACKEND_TUNE_FORCE (not damo's too), BACKEND_TUNE_INTERVALS (@cfg's
	 * intervals were given; without it a monitor that paces its own
	 * sampling to a CPU budget keeps doing so).
	 */
	int (*tune)(struct backend *b, struct damo_id id,
		    const struct damon_config *cfg, unsigned int flags);
	/* Stop @ids (damo's unless @force) and clean up after them. */
	int (*stop)(struct backend *b, const struct damo_id *ids, size_t nr,
		    bool force);
	int (*status)(struct backend *b, struct damo_id id,
		      enum backend_refresh refresh, bool force,
		      struct backend_status *st);
	/* Replace the schemes of @id with @schemes, keeping the rest. */
	int (*apply_schemes)(struct backend *b, struct damo_id id,
			     const struct damos *schemes, size_t nr,
			     bool force);
	/*
	 * Stream the snapshots of running @id into @sink (records added
	 * first, one per target or scheme) until it stops, the sink says
	 * stop, or an error.
	 */
	int (*record)(struct backend *b, struct damo_id id,
		      struct backend_record *req, struct snap_sink *sink);
	/* The DAMON modules loaded: *@mods owned. */
	int (*modules)(struct backend *b, struct backend_module **mods,
		       size_t *nr);
	/*
	 * The access sources a monitor damo starts for a command could see
	 * through here, each tried for real: *@v owned.
	 */
	int (*sources)(struct backend *b, struct backend_source **v,
		       size_t *nr);
};

/*
 * The calls: each checks that the backend has the operation (a message
 * naming the backend and -EOPNOTSUPP when it has not) and that ids are
 * the backend's.
 */
const char *backend_lacks(struct backend *b, const struct damon_config *cfg);
int backend_list(struct backend *b, bool mine, struct damo_id **ids,
		 size_t *nr);
int backend_start(struct backend *b, struct damon_config *cfg,
		  const struct backend_start *o);
#define BACKEND_TUNE_FORCE	1u
#define BACKEND_TUNE_INTERVALS	2u
int backend_tune(struct backend *b, struct damo_id id,
		 const struct damon_config *cfg, unsigned int flags);
int backend_stop(struct backend *b, const struct damo_id *ids, size_t nr,
		 bool force);
int backend_status(struct backend *b, struct damo_id id,
		   enum backend_refresh refresh, bool force,
		   struct backend_status *st);
int backend_apply_schemes(struct backend *b, struct damo_id id,
			  const struct damos *schemes, size_t nr, bool force);
int backend_record(struct backend *b, struct damo_id id,
		   struct backend_record *req, struct snap_sink *sink);
/*
 * backend_sources() - the access sources @b's monitors could use for a
 * command damo launches (none for a backend without sources): *@v owned.
 */
int backend_sources(struct backend *b, struct backend_source **v,
		    size_t *nr);
/* Whether @b has DAMON modules to show (and then they are in *@mods). */
bool backend_modules(struct backend *b, struct backend_module **mods,
		     size_t *nr);

/* The drivers, for backend.c. */
extern const struct backend_ops backend_sysfs_ops;
extern const struct backend_ops backend_embedded_ops;

#endif /* DAMO_KDAMOND_BACKEND_H */
