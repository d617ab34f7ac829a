/* SPDX-License-Identifier: GPL-2.0 */
/* --source auto: the most capable access source that works. */
#include "core/sources/auto.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/access_source.h"
#include "core/diag.h"
#include "core/xalloc.h"

int access_source_try(const struct access_source_type *t, const pid_t *pids,
		      size_t nr, const char *agent, struct diag *d)
{
	struct access_source *src;
	pid_t self = getpid();
	int err;

	if (!nr) {
		if (t->probe_command)
			return t->probe_command(agent, d);
		pids = &self;
		nr = 1;
	}
	err = t->create(pids, nr, &src, d);
	if (!err)
		access_source_free(src);
	return err;
}

/* The first reason (not a hint) in entries [@from, @to) of @d, or "". */
static const char *reason(const struct diag *d, size_t from, size_t to)
{
	size_t i;

	for (i = from; i < to && i < d->nr; i++)
		if (strcmp(d->v[i].path, "hint"))
			return d->v[i].msg;
	return "";
}

int source_auto_pick(const pid_t *pids, size_t nr, const char *agent,
		     struct source_pick *p, struct diag *d)
{
	const struct access_source_type *t;
	size_t from[16], i, k, n, len;
	struct diag tried;
	int err = -EOPNOTSUPP;

	memset(p, 0, sizeof(*p));
	diag_init(&tried);
	for (k = 0; (t = access_source_at(k)) && k + 1 < ARRAY_SIZE(from);
	     k++) {
		from[k] = tried.nr;
		if (!access_source_try(t, pids, nr, agent, &tried)) {
			err = 0;
			break;
		}
	}
	n = k;
	from[n] = tried.nr;
	if (err) {
		for (i = 0, k = 0; d && i < tried.nr; i++) {
			while (k + 1 < n && from[k + 1] <= i)
				k++;
			diag_add(d, tried.v[i].path, "%s: %s",
				 access_source_at(k)->name, tried.v[i].msg);
		}
		diag_release(&tried);
		return err;
	}
	p->type = t;
	p->preload_agent = t->preload_agent && !nr;
	len = (size_t)snprintf(p->msg, sizeof(p->msg), "source auto: using %s, %s",
			       t->name, !nr && t->auto_says_command ?
			       t->auto_says_command : t->auto_says);
	for (i = 0; i < k && len < sizeof(p->msg); i++)
		len += (size_t)snprintf(p->msg + len, sizeof(p->msg) - len,
					"; not %s: %s", access_source_at(i)->name,
					reason(&tried, from[i], from[i + 1]));
	diag_release(&tried);
	return 0;
}
