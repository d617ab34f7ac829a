/* SPDX-License-Identifier: GPL-2.0 */
/* The embedded daemon's wire format (kdamond/embedded/wire.h). */
#include "kdamond/embedded/wire.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kdamond/embedded/embedded.h"
#include "core/diag.h"
#include "core/snapshot.h"
#include "core/xalloc.h"
#include "formats/config.h"
#include "formats/doc.h"

void emb_wire_compact(char *json)
{
	char *r = json, *w = json;
	bool in_str = false;

	for (; *r; r++) {
		if (in_str) {
			*w++ = *r;
			if (*r == '\\' && r[1])
				*w++ = *++r;
			else if (*r == '"')
				in_str = false;
			continue;
		}
		if (*r == '\n' || *r == ' ')
			continue;
		if (*r == '"')
			in_str = true;
		*w++ = *r;
	}
	*w = '\0';
}

static struct doc_node *num(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	return doc_new_number(buf);
}

static struct doc_node *inum(int64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRId64, v);
	return doc_new_number(buf);
}

static char *emit(struct doc_node *root)
{
	char *text = doc_emit(root, DOC_FMT_JSON);

	doc_free(root);
	emb_wire_compact(text);
	return text;
}

struct doc_node *emb_wire_config_node(const struct damon_config *cfg)
{
	char *text = config_emit(cfg, DOC_FMT_JSON, true);
	struct doc_node *n;
	struct diag d;

	diag_init(&d);
	n = doc_parse_json(text, strlen(text), "config", &d);
	diag_release(&d);
	free(text);
	return n ? n : doc_new_null();
}

int emb_wire_config_read(const struct doc_node *n, const char *name,
			 bool validate, struct config_file *cf, struct diag *d)
{
	char *text;
	int err;

	if (!n || n->kind != DOC_MAP) {
		diag_add(d, "", "%s: the configuration is not a JSON object",
			 name);
		return -EINVAL;
	}
	text = doc_emit(n, DOC_FMT_JSON);
	err = config_parse(text, strlen(text), name, validate, cf, d);
	free(text);
	return err;
}

static struct doc_node *scheme_runtime(const struct damos *s)
{
	struct doc_node *m = doc_new_map(), *st = doc_new_seq();
	struct doc_node *goals = doc_new_seq(), *tried = doc_new_seq();
	size_t i;

	doc_seq_add(st, num(s->stats.nr_tried));
	doc_seq_add(st, num(s->stats.sz_tried));
	doc_seq_add(st, num(s->stats.nr_applied));
	doc_seq_add(st, num(s->stats.sz_applied));
	doc_seq_add(st, num(s->stats.sz_ops_filter_passed));
	doc_seq_add(st, num(s->stats.qt_exceeds));
	doc_seq_add(st, num(s->stats.nr_snapshots));
	doc_map_add(m, "stats", st);
	doc_map_add(m, "effective_sz_bytes", num(s->quota.effective_sz_bytes));
	for (i = 0; i < s->quota.nr_goals; i++)
		doc_seq_add(goals, num(s->quota.goals[i].current_value));
	doc_map_add(m, "goals", goals);
	doc_map_add(m, "tried_bytes", num(s->tried_bytes));
	for (i = 0; i < s->nr_tried; i++) {
		struct doc_node *r = doc_new_seq();

		doc_seq_add(r, num(s->tried[i].start));
		doc_seq_add(r, num(s->tried[i].end));
		doc_seq_add(r, num(s->tried[i].nr_accesses));
		doc_seq_add(r, num(s->tried[i].age));
		doc_seq_add(r, num(s->tried[i].sz_filter_passed));
		doc_seq_add(tried, r);
	}
	doc_map_add(m, "tried", tried);
	return m;
}

char *emb_wire_status_emit(const struct emb_wire_status *ws)
{
	struct damon_config one = {
		.kdamonds = (struct kdamond *)ws->kdamond, .nr_kdamonds = 1,
	};
	const struct damon_ctx *c = &ws->kdamond->ctxs[0];
	struct doc_node *root = doc_new_map(), *rt = doc_new_map();
	struct doc_node *schemes = doc_new_seq();
	size_t i;

	doc_map_add(root, "ok", doc_new_bool(true));
	doc_map_add(root, "id", num(ws->id));
	doc_map_add(root, "pid", inum(ws->pid));
	doc_map_add(root, "state", doc_new_string(ws->kdamond->on ? "on" : "off"));
	doc_map_add(root, "source", doc_new_string(ws->source));
	doc_map_add(root, "sees", doc_new_string(ws->sees));
	doc_map_add(root, "exit_reason", ws->exit_reason ?
		    doc_new_string(ws->exit_reason) : doc_new_null());
	doc_map_add(root, "started", num(ws->started));
	doc_map_add(root, "command_pid", inum(ws->command_pid));
	doc_map_add(root, "nr_regions", num(ws->nr_regions));
	doc_map_add(root, "config", emb_wire_config_node(&one));
	doc_map_add(rt, "sample_us", num(c->intervals.sample_us));
	doc_map_add(rt, "aggr_us", num(c->intervals.aggr_us));
	if (ws->achieved_aggrs) {
		struct doc_node *a = doc_new_map();

		doc_map_add(a, "sample_us", num(ws->achieved_sample_us));
		doc_map_add(a, "aggr_us", num(ws->achieved_aggr_us));
		doc_map_add(a, "aggregations", num(ws->achieved_aggrs));
		doc_map_add(a, "behind", doc_new_bool(ws->behind));
		doc_map_add(rt, "achieved", a);
	}
	for (i = 0; i < c->nr_schemes; i++)
		doc_seq_add(schemes, scheme_runtime(&c->schemes[i]));
	doc_map_add(rt, "schemes", schemes);
	doc_map_add(root, "runtime", rt);
	return emit(root);
}

static int get_u64(const struct doc_node *m, const char *key, uint64_t *v)
{
	const struct doc_node *n = doc_map_get(m, key);
	char *end;

	if (!n || n->kind != DOC_NUMBER)
		return -EINVAL;
	errno = 0;
	*v = strtoull(n->text, &end, 10);
	return errno || *end ? -EINVAL : 0;
}

static int get_i64(const struct doc_node *m, const char *key, int64_t *v)
{
	const struct doc_node *n = doc_map_get(m, key);
	char *end;

	if (!n || n->kind != DOC_NUMBER)
		return -EINVAL;
	errno = 0;
	*v = strtoll(n->text, &end, 10);
	return errno || *end ? -EINVAL : 0;
}

static char *get_str(const struct doc_node *m, const char *key)
{
	const struct doc_node *n = doc_map_get(m, key);

	return n && n->kind == DOC_STRING ? xstrdup(n->text) : NULL;
}

static int seq_u64(const struct doc_node *s, size_t i, uint64_t *v)
{
	char *end;

	if (!s || s->kind != DOC_SEQ || i >= s->nr ||
	    s->items[i]->kind != DOC_NUMBER)
		return -EINVAL;
	errno = 0;
	*v = strtoull(s->items[i]->text, &end, 10);
	return errno || *end ? -EINVAL : 0;
}

static int read_scheme_runtime(const struct doc_node *n, struct damos *s)
{
	const struct doc_node *st = doc_map_get(n, "stats");
	const struct doc_node *goals = doc_map_get(n, "goals");
	const struct doc_node *tried = doc_map_get(n, "tried");
	uint64_t v[7];
	size_t i;
	int err = 0;

	for (i = 0; i < 7 && !err; i++)
		err = seq_u64(st, i, &v[i]);
	if (err || !tried || tried->kind != DOC_SEQ)
		return -EINVAL;
	s->stats = (struct damos_stats){ v[0], v[1], v[2], v[3], v[4], v[5],
					 v[6] };
	if (get_u64(n, "effective_sz_bytes", &s->quota.effective_sz_bytes) ||
	    get_u64(n, "tried_bytes", &s->tried_bytes))
		return -EINVAL;
	for (i = 0; i < s->quota.nr_goals; i++)
		if (seq_u64(goals, i, &s->quota.goals[i].current_value))
			return -EINVAL;
	s->tried = xcalloc(tried->nr ? tried->nr : 1, sizeof(*s->tried));
	s->nr_tried = tried->nr;
	for (i = 0; i < tried->nr && !err; i++) {
		struct damos_tried_region *r = &s->tried[i];

		err = seq_u64(tried->items[i], 0, &r->start) ||
		      seq_u64(tried->items[i], 1, &r->end) ||
		      seq_u64(tried->items[i], 2, &r->nr_accesses) ||
		      seq_u64(tried->items[i], 3, &r->age) ||
		      seq_u64(tried->items[i], 4, &r->sz_filter_passed) ?
		      -EINVAL : 0;
	}
	return err;
}

int emb_wire_status_parse(const char *text, const char *name,
			  struct kdamond *k, struct embedded_info *info,
			  struct diag *d)
{
	struct doc_node *root = doc_parse_json(text, strlen(text), name, d);
	const struct doc_node *rt, *schemes, *cfgn;
	struct config_file cf;
	int64_t pid = -1;
	uint64_t id = 0;
	size_t i;
	int err = -EINVAL;

	if (!root)
		return -EINVAL;
	cfgn = doc_map_get(root, "config");
	rt = doc_map_get(root, "runtime");
	schemes = rt ? doc_map_get(rt, "schemes") : NULL;
	if (!cfgn || cfgn->kind != DOC_MAP || !schemes ||
	    schemes->kind != DOC_SEQ || get_u64(root, "id", &id) ||
	    get_i64(root, "pid", &pid))
		goto bad;
	if (emb_wire_config_read(cfgn, name, false, &cf, d))
		goto out;
	if (cf.cfg.nr_kdamonds != 1 || cf.cfg.kdamonds[0].nr_ctxs != 1 ||
	    cf.cfg.kdamonds[0].ctxs[0].nr_schemes != schemes->nr) {
		config_file_release(&cf);
		goto bad;
	}
	kdamond_release(k);
	*k = cf.cfg.kdamonds[0];	/* moved */
	cf.cfg.nr_kdamonds = 0;
	config_file_release(&cf);
	for (i = 0; i < schemes->nr; i++)
		if (read_scheme_runtime(schemes->items[i],
					&k->ctxs[0].schemes[i]))
			goto bad;
	get_u64(rt, "sample_us", &k->ctxs[0].intervals.sample_us);
	get_u64(rt, "aggr_us", &k->ctxs[0].intervals.aggr_us);
	{
		const struct doc_node *a = doc_map_get(rt, "achieved");

		const struct doc_node *b = a ? doc_map_get(a, "behind") : NULL;

		if (a && !get_u64(a, "aggregations", &info->achieved_aggrs) &&
		    (get_u64(a, "sample_us", &info->achieved_sample_us) ||
		     get_u64(a, "aggr_us", &info->achieved_aggr_us) ||
		     !b || b->kind != DOC_BOOL))
			goto bad;
		info->behind = b && b->boolean;
	}
	info->id = (unsigned long)id;
	info->pid = (long)pid;
	info->source = get_str(root, "source");
	info->sees = get_str(root, "sees");
	info->exit_reason = get_str(root, "exit_reason");
	get_u64(root, "nr_regions", &info->nr_regions);
	get_u64(root, "started", &info->started);
	{
		const struct doc_node *st = doc_map_get(root, "state");

		k->on = st && st->kind == DOC_STRING && !strcmp(st->text, "on");
	}
	k->has_pid = true;
	k->pid = pid;
	err = 0;
	goto out;
bad:
	diag_add(d, "", "%s: not a status of damo's embedded monitor", name);
out:
	doc_free(root);
	return err;
}

char *emb_wire_error_emit(const struct diag *d)
{
	struct doc_node *root = doc_new_map(), *errs = doc_new_seq();
	size_t i;

	doc_map_add(root, "ok", doc_new_bool(false));
	for (i = 0; i < d->nr; i++) {
		struct doc_node *e = doc_new_map();
		bool hint = d->v[i].path && !strcmp(d->v[i].path, "hint");

		doc_map_add(e, hint ? "hint" : "message",
			    doc_new_string(d->v[i].msg));
		if (!hint && d->v[i].path && *d->v[i].path)
			doc_map_add(e, "path", doc_new_string(d->v[i].path));
		if (d->v[i].file)
			doc_map_add(e, "file", doc_new_string(d->v[i].file));
		if (d->v[i].line) {
			doc_map_add(e, "line", num(d->v[i].line));
			doc_map_add(e, "column", num(d->v[i].col));
		}
		doc_seq_add(errs, e);
	}
	doc_map_add(root, "errors", errs);
	return emit(root);
}

int emb_wire_answer_check(const char *text, struct diag *d)
{
	struct doc_node *root = doc_parse_json(text, strlen(text), "answer", d);
	const struct doc_node *ok, *errs;
	size_t i, nr_errors = diag_nr_errors(d);
	int err = 0;

	if (!root)
		return -EINVAL;
	ok = doc_map_get(root, "ok");
	if (ok && ok->kind == DOC_BOOL && ok->boolean)
		goto out;
	err = -EINVAL;
	errs = doc_map_get(root, "errors");
	for (i = 0; errs && errs->kind == DOC_SEQ && i < errs->nr; i++) {
		const struct doc_node *e = errs->items[i];
		const struct doc_node *m = doc_map_get(e, "message");
		const struct doc_node *h = doc_map_get(e, "hint");
		const struct doc_node *p = doc_map_get(e, "path");
		uint64_t line = 0, col = 0;
		char *file = get_str(e, "file");

		get_u64(e, "line", &line);
		get_u64(e, "column", &col);
		if (h && h->kind == DOC_STRING)
			diag_add(d, "hint", "%s", h->text);
		else if (m && m->kind == DOC_STRING)
			diag_add_at(d, file,
				    line > UINT_MAX ? 0 : (unsigned int)line,
				    col > UINT_MAX ? 0 : (unsigned int)col,
				    p && p->kind == DOC_STRING ? p->text : "",
				    "%s", m->text);
		free(file);
	}
	/* a refusal always says so, whatever its errors hold */
	if (diag_nr_errors(d) == nr_errors)
		diag_add(d, "", "the monitor refused the request");
out:
	doc_free(root);
	return err;
}

static void buf_reserve(char **buf, size_t *cap, size_t need)
{
	if (need <= *cap)
		return;
	*cap = need * 2;
	*buf = xreallocarray(*buf, *cap, 1);
}

void emb_wire_snapshot_emit(char **buf, size_t *cap, size_t ti,
			    uint64_t start_ns, uint64_t end_ns,
			    uint64_t sample_us, const struct mon_region *r,
			    size_t nr)
{
	size_t len, i;

	buf_reserve(buf, cap, 160 + nr * 88);
	len = (size_t)sprintf(*buf, "{\"snapshot\":{\"target\":%zu,\"start_ns\":%" PRIu64
			      ",\"end_ns\":%" PRIu64 ",\"sample_us\":%" PRIu64
			      ",\"regions\":[", ti, start_ns, end_ns, sample_us);
	for (i = 0; i < nr; i++)
		len += (size_t)sprintf(*buf + len, "%s[%" PRIu64 ",%" PRIu64
				       ",%" PRIu32 ",%" PRIu32 "]",
				       i ? "," : "", r[i].start, r[i].end,
				       r[i].nr_accesses, r[i].age);
	strcpy(*buf + len, "]}}");
}

/* Expect @lit at *@p and a number after it. */
static int scan_u64(const char **p, const char *lit, uint64_t *v)
{
	size_t n = strlen(lit);
	char *end;

	if (strncmp(*p, lit, n))
		return -EINVAL;
	*p += n;
	if (**p < '0' || **p > '9')
		return -EINVAL;
	errno = 0;
	*v = strtoull(*p, &end, 10);
	if (errno)
		return -EINVAL;
	*p = end;
	return 0;
}

int emb_wire_snapshot_parse(const char *line, size_t *ti, struct snapshot *s)
{
	const char *p = line;
	uint64_t t, v[4];

	snapshot_clear(s);
	if (scan_u64(&p, "{\"snapshot\":{\"target\":", &t) ||
	    scan_u64(&p, ",\"start_ns\":", &s->start_ns) ||
	    scan_u64(&p, ",\"end_ns\":", &s->end_ns) ||
	    scan_u64(&p, ",\"sample_us\":", &s->sample_interval_us) ||
	    strncmp(p, ",\"regions\":[", 12))
		return -EINVAL;
	p += 12;
	*ti = (size_t)t;
	while (*p == '[' || *p == ',') {
		struct snap_region *r;

		if (*p == ',')
			p++;
		if (scan_u64(&p, "[", &v[0]) || scan_u64(&p, ",", &v[1]) ||
		    scan_u64(&p, ",", &v[2]) || scan_u64(&p, ",", &v[3]) ||
		    *p++ != ']')
			return -EINVAL;
		r = snapshot_add_region(s);
		r->start = v[0];
		r->end = v[1];
		r->nr_accesses = v[2];
		r->age = v[3];
	}
	return strcmp(p, "]}}") ? -EINVAL : 0;
}
