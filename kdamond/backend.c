/* SPDX-License-Identifier: GPL-2.0 */
/* The backends behind one table (kdamond/backend.h): ids, opening, calls. */
#include "kdamond/backend.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/out.h"
#include "core/xalloc.h"
#include "kdamond/owner.h"

static const char *const kind_names[] = {
	[BACKEND_AUTO] = "auto",
	[BACKEND_KERNEL] = "kernel",
	[BACKEND_EMBEDDED] = "embedded",
};

const char *backend_kind_name(enum backend_kind kind)
{
	return kind < NR_BACKEND_KINDS ? kind_names[kind] : "?";
}

int backend_parse_kind(const char *s, enum backend_kind *kind)
{
	size_t i;

	for (i = 0; i < NR_BACKEND_KINDS; i++)
		if (!strcmp(s, kind_names[i])) {
			*kind = (enum backend_kind)i;
			return 0;
		}
	return -EINVAL;
}

bool backend_kind_allows(enum backend_kind want, enum backend_kind kind)
{
	return want == BACKEND_AUTO || want == kind;
}

bool backend_kind_may_embed(enum backend_kind want)
{
	return backend_kind_allows(want, BACKEND_EMBEDDED);
}

/* ---- ids ---- */

int damo_id_parse(const char *s, struct damo_id *id)
{
	unsigned long max = 65535;
	char *end;

	id->kind = BACKEND_KERNEL;
	if (*s == 'e') {
		id->kind = BACKEND_EMBEDDED;
		max = 999999;
		s++;
	}
	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	id->nr = strtoul(s, &end, 10);
	return errno || *end || id->nr > max ? -EINVAL : 0;
}

const char *damo_id_str(struct damo_id id, char buf[DAMO_ID_BUFSZ])
{
	snprintf(buf, DAMO_ID_BUFSZ, "%s%lu",
		 id.kind == BACKEND_EMBEDDED ? "e" : "", id.nr);
	return buf;
}

void damo_id_print(struct out *o, const char *key, struct damo_id id)
{
	char buf[DAMO_ID_BUFSZ];

	out_str(o, key, damo_id_str(id, buf));
}

const char *damo_id_label(struct damo_id id, char buf[DAMO_ID_BUFSZ + 8])
{
	snprintf(buf, DAMO_ID_BUFSZ + 8, "%s%lu",
		 id.kind == BACKEND_EMBEDDED ? "e" : "kdamond ", id.nr);
	return buf;
}

bool damo_id_eq(struct damo_id a, struct damo_id b)
{
	return a.kind == b.kind && a.nr == b.nr;
}

/* ---- opening ---- */

static const struct backend_ops *driver(enum backend_kind kind)
{
	return kind == BACKEND_EMBEDDED ? &backend_embedded_ops :
	       &backend_sysfs_ops;
}

int backend_open(const struct backend_env *env, enum backend_kind kind,
		 bool may_create_tmp, struct backend *b, struct diag *d)
{
	int err;

	memset(b, 0, sizeof(*b));
	b->kind = kind == BACKEND_EMBEDDED ? BACKEND_EMBEDDED : BACKEND_KERNEL;
	b->ops = driver(b->kind);
	b->env = env;
	b->diag = d;
	b->rundir = owner_dir();
	/* refused here, for every command: not as an empty registry later */
	err = owner_dir_check(b->rundir, 0, d);
	if (err)
		return err;
	return b->ops->open ? b->ops->open(b, may_create_tmp) : 0;
}

void backend_close(struct backend *b)
{
	if (!b->ops)
		return;
	if (b->ops->close)
		b->ops->close(b);
	free(b->rundir);
	memset(b, 0, sizeof(*b));
}

/* Move the entries of @from to the end of @to. */
static void diag_take(struct diag *to, struct diag *from)
{
	size_t i;

	for (i = 0; i < from->nr; i++)
		diag_add_at(to, from->v[i].file, from->v[i].line,
			    from->v[i].col, from->v[i].path, "%s",
			    from->v[i].msg)->warning = from->v[i].warning;
	diag_release(from);
	diag_init(from);
}

int backend_select(const struct backend_env *env, enum backend_kind want,
		   const struct damon_config *cfg, bool may_create_tmp,
		   struct backend *b, const char **why, struct diag *d)
{
	struct diag quiet;
	int err;

	*why = NULL;
	if (want != BACKEND_AUTO)
		return backend_open(env, want, may_create_tmp, b, d);
	/* no DAMON sysfs interface is not an error here: it says why */
	diag_init(&quiet);
	err = backend_open(env, BACKEND_KERNEL, may_create_tmp, b, &quiet);
	b->diag = d;
	if (err == -ENOENT)
		*why = "no DAMON sysfs interface";
	else if (err == -EACCES || err == -EPERM)
		*why = "kernel DAMON needs root (its sysfs files cannot be read)";
	else
		diag_take(d, &quiet);
	diag_release(&quiet);
	if (*why)
		err = -ENOENT;	/* the embedded monitor, below */
	if (!err || err == -ENOENT) {
		if (!err)
			*why = backend_lacks(b, cfg);
		if (*why) {
			backend_close(b);
			err = backend_open(env, BACKEND_EMBEDDED,
					   may_create_tmp, b, d);
		}
	}
	return err;
}

int backend_open_all(const struct backend_env *env, enum backend_kind want,
		     const struct damo_id *id, struct backend b[2],
		     size_t *nr, struct diag *d)
{
	struct diag quiet;
	int err;

	*nr = 0;
	if (id)
		want = id->kind;
	if (want != BACKEND_AUTO) {
		err = backend_open(env, want, false, &b[0], d);
		if (err) {
			backend_close(&b[0]);
			return err;
		}
		*nr = 1;
		return 0;
	}
	/* no DAMON sysfs interface: only the embedded monitors then */
	diag_init(&quiet);
	err = backend_open(env, BACKEND_KERNEL, false, &b[0], &quiet);
	b[0].diag = d;
	if (err != -ENOENT)
		diag_take(d, &quiet);
	diag_release(&quiet);
	if (err) {
		backend_close(&b[0]);
		if (err != -ENOENT)
			return err;
	} else {
		(*nr)++;
	}
	err = backend_open(env, BACKEND_EMBEDDED, false, &b[*nr], d);
	if (err) {
		backend_close(&b[*nr]);
		while (*nr)
			backend_close(&b[--*nr]);
		return err;
	}
	(*nr)++;
	return 0;
}

/* ---- calls ---- */

static int lacks_op(struct backend *b, const char *what)
{
	diag_add(b->diag, "", "the %s backend cannot %s",
		 backend_kind_name(b->kind), what);
	return -EOPNOTSUPP;
}

static int check_id(struct backend *b, struct damo_id id)
{
	char buf[DAMO_ID_BUFSZ];

	if (id.kind == b->kind)
		return 0;
	diag_add(b->diag, "", "'%s' is not a monitor of the %s backend",
		 damo_id_str(id, buf), backend_kind_name(b->kind));
	return -EINVAL;
}

const char *backend_lacks(struct backend *b, const struct damon_config *cfg)
{
	return b->ops->lacks ? b->ops->lacks(b, cfg) : NULL;
}

int backend_list(struct backend *b, bool mine, struct damo_id **ids,
		 size_t *nr)
{
	*ids = NULL;
	*nr = 0;
	if (!b->ops->list)
		return 0;
	return b->ops->list(b, mine, ids, nr);
}

/* ---- names ---- */

bool damo_name_valid(const char *s, const char **why)
{
	struct damo_id id;
	size_t i;

	if (!*s) {
		*why = "it is empty";
		return false;
	}
	if (strlen(s) > DAMO_NAME_MAX) {
		*why = "it is longer than 32 characters";
		return false;
	}
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) {
		*why = "it does not begin with a letter";
		return false;
	}
	for (i = 0; s[i]; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.", s[i])) {
			*why = "it has a character other than letters, digits, '_', '-' and '.'";
			return false;
		}
	if (!damo_id_parse(s, &id)) {
		*why = "it is an id (eN)";
		return false;
	}
	return true;
}

int damo_name_lookup(const char *name, struct damo_id *id, struct diag *d)
{
	char *dir = owner_dir();
	struct owner_reg reg;
	struct owner_entry *e;
	int err;

	err = owner_open(dir, &reg, d);
	free(dir);
	if (err)
		return err;
	e = owner_find_name(&reg, name);
	if (e) {
		id->kind = strcmp(e->root, OWNER_EMBEDDED_ROOT) ?
			   BACKEND_KERNEL : BACKEND_EMBEDDED;
		id->nr = e->idx;
	} else {
		diag_add(d, "", "no monitor damo started is named '%s'", name);
		err = -ENOENT;
	}
	owner_close(&reg, false, d);
	return err;
}

/* Where the registry keeps @id of @b. */
static const char *reg_root(const struct backend *b, struct damo_id id)
{
	return id.kind == BACKEND_EMBEDDED ? OWNER_EMBEDDED_ROOT :
	       b->env->sysfs_root;
}

/* Give @name to @id (NULL: take its name away); a problem is a warning. */
static void set_name(struct backend *b, struct damo_id id, const char *name)
{
	char buf[DAMO_ID_BUFSZ + 8];
	struct owner_reg reg;
	struct owner_entry *e;

	if (owner_open(b->rundir, &reg, b->diag))
		return;
	e = name ? owner_find_name(&reg, name) : NULL;
	if (e)
		diag_warn_at(b->diag, NULL, 0, 0, "",
			     "the name '%s' was taken meanwhile; %s has none",
			     name, damo_id_label(id, buf));
	else if (!owner_set_name(&reg, reg_root(b, id), id.nr, name) && name)
		diag_warn_at(b->diag, NULL, 0, 0, "",
			     "%s is not in the registry; it has no name",
			     damo_id_label(id, buf));
	owner_close(&reg, true, b->diag);
}

/* backend_start()'s started callback when a name is given. */
struct naming {
	struct backend *b;
	const struct backend_start *o;
};

static void name_started(void *data, const struct backend_started *s,
			 size_t nr)
{
	struct naming *n = data;

	if (nr == 1)
		set_name(n->b, s[0].id, n->o->name);
	if (n->o->started)
		n->o->started(n->o->data, s, nr);
}

int backend_start(struct backend *b, struct damon_config *cfg,
		  const struct backend_start *o)
{
	struct backend_start named;
	struct naming n = { b, o };
	struct damo_id taken;
	struct diag probe;
	const char *why;
	int err;

	if (!b->ops->start)
		return lacks_op(b, "start a monitor");
	if (!o->name)
		return b->ops->start(b, cfg, o);
	if (!damo_name_valid(o->name, &why)) {
		diag_add(b->diag, "", "--name: '%s' is not a name: %s", o->name,
			 why);
		return -EINVAL;
	}
	if (cfg->nr_kdamonds != 1) {
		diag_add(b->diag, "", "--name names one monitor; the configuration has %zu kdamonds",
			 cfg->nr_kdamonds);
		return -EINVAL;
	}
	diag_init(&probe);
	err = damo_name_lookup(o->name, &taken, &probe);
	diag_release(&probe);
	if (!err) {
		char buf[DAMO_ID_BUFSZ];

		diag_add(b->diag, "", "--name: '%s' is taken by %s; stop it or give another name",
			 o->name, damo_id_str(taken, buf));
		return -EEXIST;
	}
	named = *o;
	named.started = name_started;
	named.data = &n;
	return b->ops->start(b, cfg, &named);
}

int backend_tune(struct backend *b, struct damo_id id,
		 const struct damon_config *cfg, unsigned int flags)
{
	if (!b->ops->tune)
		return lacks_op(b, "tune");
	return check_id(b, id) ? -EINVAL : b->ops->tune(b, id, cfg, flags);
}

int backend_stop(struct backend *b, const struct damo_id *ids, size_t nr,
		 bool force)
{
	size_t i;
	int err = 0;

	if (!b->ops->stop)
		return lacks_op(b, "stop");
	for (i = 0; i < nr && !err; i++)
		err = check_id(b, ids[i]);
	if (!err)
		err = b->ops->stop(b, ids, nr, force);
	/* a stopped kdamond damo keeps for reuse gives its name up */
	for (i = 0; i < nr && !err; i++)
		set_name(b, ids[i], NULL);
	return err;
}

int backend_status(struct backend *b, struct damo_id id,
		   enum backend_refresh refresh, bool force,
		   struct backend_status *st)
{
	if (!b->ops->status)
		return lacks_op(b, "show a status");
	int err;

	st->id = id;
	err = check_id(b, id) ? -EINVAL :
	      b->ops->status(b, id, refresh, force, st);
	if (!err)
		st->name = backend_name_of(b, id);
	return err;
}

char *backend_name_of(struct backend *b, struct damo_id id)
{
	struct owner_reg reg;
	struct owner_entry *e;
	struct diag quiet;
	char *name = NULL;

	/* reading needs no registry: without one, nothing has a name */
	diag_init(&quiet);
	if (!owner_open(b->rundir, &reg, &quiet)) {
		e = owner_find(&reg, reg_root(b, id), id.nr);
		if (e && e->name)
			name = xstrdup(e->name);
		owner_close(&reg, false, &quiet);
	}
	diag_release(&quiet);
	return name;
}

int backend_apply_schemes(struct backend *b, struct damo_id id,
			  const struct damos *schemes, size_t nr, bool force)
{
	if (!b->ops->apply_schemes)
		return lacks_op(b, "apply schemes");
	return check_id(b, id) ? -EINVAL :
	       b->ops->apply_schemes(b, id, schemes, nr, force);
}

int backend_record(struct backend *b, struct damo_id id,
		   struct backend_record *req, struct snap_sink *sink)
{
	req->source[0] = '\0';
	req->end = NULL;
	req->nr_dropped = 0;
	if (!b->ops->record)
		return lacks_op(b, "record");
	return check_id(b, id) ? -EINVAL : b->ops->record(b, id, req, sink);
}

int backend_sources(struct backend *b, struct backend_source **v,
		    size_t *nr)
{
	*v = NULL;
	*nr = 0;
	return b->ops->sources ? b->ops->sources(b, v, nr) : 0;
}

bool backend_modules(struct backend *b, struct backend_module **mods,
		     size_t *nr)
{
	*mods = NULL;
	*nr = 0;
	if (!b->ops->modules)
		return false;
	b->ops->modules(b, mods, nr);
	return true;
}

void backend_status_init(struct backend_status *st)
{
	memset(st, 0, sizeof(*st));
	kdamond_init(&st->k);
}

void backend_status_release(struct backend_status *st)
{
	kdamond_release(&st->k);
	free(st->source);
	free(st->sees);
	free(st->exit_reason);
	free(st->name);
	memset(st, 0, sizeof(*st));
}
