/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --damos-filter words to DAMOS filters, in damo's syntax
 * ("allow|reject [none] TYPE [ARGS]", several filters in a row) or, as damo
 * falls back to it, the old one ("TYPE matching|nomatching [ARGS] [allow]").
 */
#include "damon_opts.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/damon_opts_internal.h"
#include "core/damon.h"
#include "core/units.h"
#include "core/xalloc.h"

#define MSG_LEN 384

struct fmsg {
	char s[MSG_LEN];
};

static int __attribute__((format(printf, 2, 3)))
fail(struct fmsg *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->s, sizeof(m->s), fmt, ap);
	va_end(ap);
	return -1;
}

static const char *ftype_kw(int i)
{
	return damos_filter_type_name(i);
}

static int filter_type(const char *w, struct fmsg *m)
{
	char kw[160];
	int type = damos_filter_type_from_name(w);

	if (type < 0)
		return fail(m, "'%s' is not a filter type (%s)", w,
			    dopts_keywords(kw, sizeof(kw), ftype_kw,
					   NR_DAMOS_FILTER_TYPES));
	return type;
}

static int two_sizes(char **w, size_t n, uint64_t *a, uint64_t *b,
		     const char *what, struct fmsg *m)
{
	if (n < 2)
		return fail(m, "%s filter needs two sizes", what);
	if (units_parse_size(w[0], a))
		return fail(m, "'%s' is not a size", w[0]);
	if (units_parse_size(w[1], b))
		return fail(m, "'%s' is not a size", w[1]);
	return 2;
}

/* The arguments of @f's type at @w; return how many were used, or -1. */
static int filter_args(struct damos_filter *f, char **w, size_t n,
		       struct fmsg *m)
{
	int used = 0;

	switch (f->type) {
	case DAMOS_FILTER_MEMCG:
		if (!n)
			return fail(m, "memcg filter needs a cgroup path");
		f->memcg_path = xstrdup(w[0]);
		return 1;
	case DAMOS_FILTER_ADDR:
		return two_sizes(w, n, &f->addr_range.start,
				 &f->addr_range.end, "addr", m);
	case DAMOS_FILTER_TARGET:
		if (!n)
			return fail(m, "target filter needs a target index");
		if (units_parse_nr(w[0], &f->target_idx))
			return fail(m, "'%s' is not a target index", w[0]);
		return 1;
	case DAMOS_FILTER_HUGEPAGE_SIZE:
		used = two_sizes(w, n, &f->min_hugepage_sz,
				 &f->max_hugepage_sz, "hugepage_size", m);
		f->has_hugepage_size = used > 0;
		return used;
	default:
		return 0;
	}
}

static bool is_word(const char *w, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(w, *set))
			return true;
	return false;
}

static const char *const allow_words[] = { "allow", "pass", NULL };
static const char *const reject_words[] = { "reject", "deny", "block", NULL };

/* One filter at @w; return the words it used, or -1. */
static int filter_v2(char **w, size_t n, struct damos *s, struct fmsg *m)
{
	struct damos_filter *f;
	bool matching = true;
	size_t i = 1;
	int type, used;

	if (strcmp(w[0], "allow") && !is_word(w[0], reject_words))
		return fail(m, "'%s' is not allow, reject, deny or block",
			    w[0]);
	if (i < n && !strcmp(w[i], "none")) {
		matching = false;
		i++;
	}
	if (i >= n)
		return fail(m, "no filter type after '%s'", w[i - 1]);
	type = filter_type(w[i], m);
	if (type < 0)
		return -1;
	f = damos_add_filter(s);
	f->type = type;
	f->matching = matching;
	f->allow = !strcmp(w[0], "allow");
	used = filter_args(f, w + i + 1, n - i - 1, m);
	return used < 0 ? -1 : (int)i + 1 + used;
}

static int filters_v2(char **w, size_t n, struct damos *s, struct fmsg *m)
{
	size_t i = 0;
	int used;

	while (i < n) {
		used = filter_v2(w + i, n - i, s, m);
		if (used < 0)
			return -1;
		i += (size_t)used;
	}
	return 0;
}

static bool is_v1(const struct damon_opt_occ *o)
{
	return o->nr_vals >= 2 && (!strcmp(o->vals[1], "matching") ||
				   !strcmp(o->vals[1], "nomatching"));
}

/* TYPE matching|nomatching [ARGS] [allow|pass|reject|deny|block] */
static int filter_v1(const struct damon_opt_occ *o, struct damos *s,
		     struct fmsg *m)
{
	const char *last = o->vals[o->nr_vals - 1];
	size_t n = o->nr_vals;
	struct damos_filter *f;
	bool allow = false;
	int type, used;

	if (n > 2 && (is_word(last, allow_words) ||
		      is_word(last, reject_words))) {
		allow = is_word(last, allow_words);
		n--;
	}
	type = filter_type(o->vals[0], m);
	if (type < 0)
		return -1;
	f = damos_add_filter(s);
	f->type = type;
	f->matching = !strcmp(o->vals[1], "matching");
	f->allow = allow;
	used = filter_args(f, o->vals + 2, n - 2, m);
	if (used < 0)
		return -1;
	if ((size_t)used != n - 2)
		return fail(m, "unexpected '%s' after the %s filter",
			    o->vals[2 + used], o->vals[0]);
	return 0;
}

static int filters_v1(const struct damon_opt_occ *const *occ, size_t nr,
		      struct damos *s, struct fmsg *m)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if (filter_v1(occ[i], s, m))
			return -1;
	return 0;
}

void dopts_build_filters(const struct damon_opt_occ *const *occ, size_t nr,
			 struct damos *s, struct diag *d)
{
	struct damos tmp;
	struct fmsg m;
	char **words = NULL;
	bool v1 = nr > 0;
	size_t n = 0, i, j;
	int err;

	for (i = 0; i < nr; i++) {
		words = xreallocarray(words, n + occ[i]->nr_vals,
				      sizeof(*words));
		for (j = 0; j < occ[i]->nr_vals; j++)
			words[n++] = occ[i]->vals[j];
		v1 = v1 && is_v1(occ[i]);
	}
	damos_init(&tmp);
	err = filters_v2(words, n, &tmp, &m);
	if (err && v1) {
		damos_release(&tmp);
		err = filters_v1(occ, nr, &tmp, &m);
	}
	if (err) {
		dopts_err(d, DOPT_DAMOS_FILTER, "%s", m.s);
	} else {
		for (i = 0; i < tmp.nr_filters; i++)
			*damos_add_filter(s) = tmp.filters[i];
		free(tmp.filters);
		tmp.filters = NULL;
		tmp.nr_filters = 0;
	}
	damos_release(&tmp);
	free(words);
}
