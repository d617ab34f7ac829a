/* SPDX-License-Identifier: GPL-2.0 */
/* Diagnostics list. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void diag_init(struct diag *d)
{
	memset(d, 0, sizeof(*d));
}

void diag_release(struct diag *d)
{
	size_t i;

	for (i = 0; i < d->nr; i++) {
		free(d->v[i].file);
		free(d->v[i].path);
		free(d->v[i].msg);
	}
	free(d->v);
	diag_init(d);
}

static struct diag_entry * __attribute__((format(printf, 3, 0)))
diag_vadd(struct diag *d, const char *path,
				    const char *fmt, va_list ap)
{
	struct diag_entry *e;

	xgrow((void **)&d->v, d->nr, &d->cap, sizeof(*d->v));
	e = &d->v[d->nr++];
	memset(e, 0, sizeof(*e));
	e->path = xstrdup(path ? path : "");
	if (vasprintf(&e->msg, fmt, ap) < 0)
		e->msg = xstrdup("(message lost: out of memory)");
	return e;
}

struct diag_entry *diag_add(struct diag *d, const char *path,
			    const char *fmt, ...)
{
	struct diag_entry *e;
	va_list ap;

	va_start(ap, fmt);
	e = diag_vadd(d, path, fmt, ap);
	va_end(ap);
	return e;
}

struct diag_entry *diag_add_at(struct diag *d, const char *file,
			       unsigned int line, unsigned int col,
			       const char *path, const char *fmt, ...)
{
	struct diag_entry *e;
	va_list ap;

	va_start(ap, fmt);
	e = diag_vadd(d, path, fmt, ap);
	va_end(ap);
	e->file = file ? xstrdup(file) : NULL;
	e->line = line;
	e->col = col;
	return e;
}

struct diag_entry *diag_warn_at(struct diag *d, const char *file,
				unsigned int line, unsigned int col,
				const char *path, const char *fmt, ...)
{
	struct diag_entry *e;
	va_list ap;

	va_start(ap, fmt);
	e = diag_vadd(d, path, fmt, ap);
	va_end(ap);
	e->file = file ? xstrdup(file) : NULL;
	e->line = line;
	e->col = col;
	e->warning = true;
	return e;
}

size_t diag_nr_errors(const struct diag *d)
{
	size_t i, n = 0;

	for (i = 0; i < d->nr; i++)
		n += !d->v[i].warning;
	return n;
}

void diag_set_file(struct diag *d, size_t from, const char *file)
{
	size_t i;

	for (i = from; i < d->nr; i++)
		if (!d->v[i].file && file)
			d->v[i].file = xstrdup(file);
}

char *diag_format(const struct diag_entry *e)
{
	char loc[64] = "";

	if (e->line && e->col)
		snprintf(loc, sizeof(loc), ":%u:%u", e->line, e->col);
	else if (e->line)
		snprintf(loc, sizeof(loc), ":%u", e->line);
	return xasprintf("%s%s%s%s: %s%s%s", e->file ? e->file : "", loc,
			 e->file || e->line ? ": " : "",
			 e->warning ? "warning" : "error",
			 e->path[0] ? e->path : "", e->path[0] ? ": " : "",
			 e->msg);
}
