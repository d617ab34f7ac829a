/* SPDX-License-Identifier: GPL-2.0 */
/*
 * perf script / trace-cmd report text with DAMON tracepoints
 * (docs/damo-compat.md §3.4), read line by line.  A first pass finds the records
 * and what damo's start times need; each record is then read by its own
 * pass over the file, so memory stays one snapshot whatever the targets.
 */
#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "core/snapshot.h"
#include "core/xalloc.h"
#include "formats/record_internal.h"

#define PERF_LINE_MAX 4096	/* longer lines are not DAMON's: skipped */
#define PERF_MAX_FIELDS (PERF_LINE_MAX / 2 + 1)	/* all a line can hold */

enum perf_ev {
	EV_AGGR,		/* damon_aggregated */
	EV_REGION_AGGR,		/* damon_region_aggregated (probe hits) */
	EV_DAMOS,		/* damos_before_apply */
	EV_TUNE,		/* damon_monitor_intervals_tune */
};

/* Record kinds: monitoring results, or regions a scheme is applied to. */
#define KIND_MONITOR 0
#define KIND_DAMOS 1

struct perf_line {
	enum perf_ev ev;
	uint64_t end_ns;
	uint64_t kind;
	uint64_t ctx_idx;
	uint64_t scheme_idx;
	uint64_t target;
	uint64_t nr_regions;
	uint64_t start;
	uint64_t end;
	uint64_t nr_accesses;	/* SNAP_NONE for damo's fake "-1" */
	uint64_t age;		/* SNAP_NONE: absent, "-1" or "None" */
	bool fake;		/* "0-0: -1 -1", damo writers' end marker */
	uint64_t sample_us;	/* EV_TUNE */
};

/* Where one record stands in a pass over the lines. */
struct perf_pass {
	bool open;		/* its last snapshot takes more regions */
	uint64_t nr_in;		/* regions in that snapshot */
	uint64_t prev_addr;	/* end of its last region */
};

struct perf {
	struct rec_stats stats;
	struct perf_pass *pass;		/* per record, first pass */
	size_t cap_pass;
	bool region_mode;		/* only damon_region_aggregated */
	bool saw_region_aggr;
	char line[PERF_LINE_MAX + 1];
	size_t len;
	bool too_long;
	unsigned int lineno;
	char *f[PERF_MAX_FIELDS];
	size_t nf;
	uint64_t *hits;			/* probe hits of the line */
	size_t nr_hits;
	size_t cap_hits;
	/* reading one record */
	size_t cur;
	struct perf_pass st;
	uint64_t emitted;
	uint64_t prev_end_ns;
	uint64_t sample_us;		/* the last tuned one, or SNAP_NONE */
	bool pending;			/* pl is a line of the next snapshot */
	bool fake;			/* the snapshot is only "0-0: -1 -1" */
	locale_t c_locale;		/* timestamps are read as Python does */
	struct perf_line pl;
};

/* The next line into p->line; 1, 0 at the end, -errno. */
static int perf_read_line(struct record_reader *rd, struct perf *p)
{
	struct rsrc *s = &rd->src;
	unsigned char *nl;
	size_t k;
	int r;

	p->len = 0;
	p->too_long = false;
	for (;;) {
		r = rsrc_fill(s);
		if (r < 0)
			return record_error(rd, p->lineno + 1, 0, "", "%s",
					    s->errmsg);
		if (!r) {
			if (!p->len && !p->too_long)
				return 0;
			break;
		}
		nl = memchr(s->buf + s->pos, '\n', s->len - s->pos);
		k = (nl ? (size_t)(nl - s->buf) : s->len) - s->pos;
		if (k > PERF_LINE_MAX - p->len) {
			p->too_long = true;
		} else {
			memcpy(p->line + p->len, s->buf + s->pos, k);
			p->len += k;
		}
		s->pos += k + (nl ? 1 : 0);
		if (nl)
			break;
	}
	p->line[p->len] = '\0';
	p->lineno++;
	return 1;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Split the line at blanks, as Python's str.split(). */
static void perf_split(struct perf *p)
{
	char *c = p->line;

	p->nf = 0;
	for (;;) {
		while (is_blank(*c))
			c++;
		if (!*c || p->nf == PERF_MAX_FIELDS)
			return;
		p->f[p->nf++] = c;
		while (*c && !is_blank(*c))
			c++;
		if (*c)
			*c++ = '\0';
	}
}

/* A "%lu" (or "%u") number: plain decimal digits that fit in 64 bits. */
static bool parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' ||
		    __builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, (uint64_t)(*s - '0'), &v))
			return false;
	}
	*out = v;
	return true;
}

static int bad_field(struct record_reader *rd, struct perf *p,
		     const char *what, const char *s)
{
	return record_error(rd, p->lineno, 0, "", "invalid %s '%.60s'", what, s);
}

/* "name=<u64>" */
static int parse_kv(struct record_reader *rd, struct perf *p, const char *s,
		    const char *name, uint64_t *out)
{
	size_t n = strlen(name);

	if (strncmp(s, name, n) || s[n] != '=' || !parse_u64(s + n + 1, out))
		return bad_field(rd, p, name, s);
	return 0;
}

/*
 * The timestamp as damo takes it: int(float(ts) * 1e9), a double multiply
 * and truncation, so that times match damo's to the nanosecond.
 */
static int parse_ts(struct record_reader *rd, struct perf *p, char *s,
		    uint64_t *out)
{
	size_t n = strlen(s), i, dots = 0;
	double v;

	s[--n] = '\0';		/* the ':' */
	for (i = 0; i < n; i++) {
		if (s[i] == '.' && i && i + 1 < n && !dots++)
			continue;
		if (s[i] < '0' || s[i] > '9')
			n = 0;
	}
	if (!n || (v = strtod_l(s, NULL, p->c_locale) * 1e9) >=
		  9223372036854775807.0)
		return bad_field(rd, p, "timestamp", s);
	*out = (uint64_t)v;
	return 0;
}

/* "<start>-<end>:" then nr_accesses and an optional age. */
static int parse_region(struct record_reader *rd, struct perf *p, char **f,
			size_t nf, struct perf_line *l)
{
	char *range = f[0], *dash = strchr(range, '-');
	size_t n = strlen(range);
	bool neg_acc, neg_age;

	if (!dash || n < 4 || range[n - 1] != ':')
		return bad_field(rd, p, "address range", range);
	range[n - 1] = '\0';
	*dash = '\0';
	if (!parse_u64(range, &l->start) || !parse_u64(dash + 1, &l->end)) {
		*dash = '-';
		return bad_field(rd, p, "address range", range);
	}
	neg_acc = !strcmp(f[1], "-1");
	l->nr_accesses = SNAP_NONE;
	if (!neg_acc && !parse_u64(f[1], &l->nr_accesses))
		return bad_field(rd, p, "nr_accesses", f[1]);
	neg_age = nf > 2 && !strcmp(f[2], "-1");
	l->age = SNAP_NONE;
	if (nf > 2 && !neg_age && strcmp(f[2], "None") &&
	    !parse_u64(f[2], &l->age))
		return bad_field(rd, p, "age", f[2]);
	l->fake = !l->start && !l->end && neg_acc && neg_age;
	return 0;
}

static int parse_hits(struct record_reader *rd, struct perf *p, char **f,
		      size_t nf)
{
	size_t i;
	char *end;

	if (strncmp(f[0], "probe_hits=", 11))
		return bad_field(rd, p, "probe_hits", f[0]);
	p->nr_hits = 0;
	for (i = 0; i < nf; i++) {
		const char *h = i ? f[i] : f[0] + 11;
		unsigned long v = strtoul(h, &end, 16);

		if (!*h || *end || end - h > 2)
			return bad_field(rd, p, "probe_hits", h);
		xgrow((void **)&p->hits, p->nr_hits, &p->cap_hits,
		      sizeof(*p->hits));
		p->hits[p->nr_hits++] = v;
	}
	return 0;
}

/* The event's own fields, after its name; 1 when used, 0 to skip. */
static int parse_event(struct record_reader *rd, struct perf *p, char **f,
		       size_t nf, struct perf_line *l)
{
	l->kind = KIND_MONITOR;
	l->ctx_idx = SNAP_NONE;
	l->scheme_idx = SNAP_NONE;
	switch (l->ev) {
	case EV_TUNE:
		if (nf != 1)
			return 0;
		return parse_kv(rd, p, f[0], "sample_us", &l->sample_us) ? -EINVAL : 1;
	case EV_DAMOS:
		if (nf != 7)
			return 0;
		l->kind = KIND_DAMOS;
		if (parse_kv(rd, p, f[0], "ctx_idx", &l->ctx_idx) ||
		    parse_kv(rd, p, f[1], "scheme_idx", &l->scheme_idx))
			return -EINVAL;
		f += 2;
		nf -= 2;
		break;
	case EV_AGGR:
		if (nf != 4 && nf != 5)
			return 0;
		break;
	case EV_REGION_AGGR:
		if (nf < 6 || parse_hits(rd, p, f + 5, nf - 5))
			return nf < 6 ? 0 : -EINVAL;
		nf = 5;
		break;
	}
	if (parse_kv(rd, p, f[0], l->kind == KIND_DAMOS ? "target_idx" :
		     "target_id", &l->target) ||
	    parse_kv(rd, p, f[1], "nr_regions", &l->nr_regions) ||
	    parse_region(rd, p, f + 2, nf - 2, l))
		return -EINVAL;
	return 1;
}

/* Parse the line read: 1 for a DAMON event, 0 for others, -EINVAL. */
static int perf_parse(struct record_reader *rd, struct perf *p,
		      struct perf_line *l)
{
	static const struct {
		const char *name;
		enum perf_ev ev;
	} evs[] = {
		{ "damon_aggregated:", EV_AGGR },
		{ "damon_region_aggregated:", EV_REGION_AGGR },
		{ "damos_before_apply:", EV_DAMOS },
		{ "damon_monitor_intervals_tune:", EV_TUNE },
	};
	size_t ti, i, n;
	char *name;
	int r;

	if (p->too_long)
		return 0;
	perf_split(p);
	if (p->nf < 4)
		return 0;
	/* No cpu column ("[000]") when field 2 is already the time. */
	ti = p->f[2][strlen(p->f[2]) - 1] == ':' ? 2 : 3;
	if (p->nf < ti + 2)
		return 0;
	name = p->f[ti + 1];
	if (!strncmp(name, "damon:", 6))
		name += 6;
	for (i = 0; i < ARRAY_SIZE(evs) && strcmp(name, evs[i].name); i++)
		;
	n = strlen(p->f[ti]);
	if (i == ARRAY_SIZE(evs) || p->f[ti][n - 1] != ':')
		return 0;
	l->ev = evs[i].ev;
	if (l->ev == EV_REGION_AGGR)
		p->saw_region_aggr = true;
	r = parse_event(rd, p, p->f + ti + 2, p->nf - ti - 2, l);
	if (r <= 0)
		return r;
	if (l->ev == EV_AGGR && p->region_mode)
		return 0;
	return parse_ts(rd, p, p->f[ti], &l->end_ns) ? -EINVAL : 1;
}

/*
 * Whether line @l begins a new snapshot of a record in state @st: damo
 * opens one when none is open and closes it when it holds nr_regions
 * regions.  A scheme's regions rarely add up to nr_regions, so for those
 * an address that does not follow the last one starts the next pass too.
 */
static bool starts_snapshot(const struct perf_pass *st,
			    const struct perf_line *l)
{
	return !st->open || (l->kind == KIND_DAMOS && l->start < st->prev_addr);
}

/* Account region @l into @st; true when it completes the snapshot. */
static bool add_to(struct perf_pass *st, const struct perf_line *l)
{
	st->prev_addr = l->end;
	st->open = ++st->nr_in != l->nr_regions;
	return !st->open;
}

static int first_pass(struct record_reader *rd, struct perf *p)
{
	struct perf_line l;
	struct rec_stat *r;
	struct perf_pass *st;
	int ret;

	while ((ret = perf_read_line(rd, p)) > 0) {
		ret = perf_parse(rd, p, &l);
		if (ret < 0)
			return ret;
		if (p->saw_region_aggr && !p->region_mode)
			return 1;	/* start over with those only */
		if (!ret || l.ev == EV_TUNE)
			continue;
		r = rec_stats_get(&p->stats, l.kind, l.ctx_idx, l.scheme_idx,
				  l.target);
		if (p->stats.nr > p->cap_pass) {
			p->pass = xreallocarray(p->pass, p->stats.cap,
						sizeof(*p->pass));
			memset(p->pass + p->cap_pass, 0, (p->stats.cap -
			       p->cap_pass) * sizeof(*p->pass));
			p->cap_pass = p->stats.cap;
		}
		st = &p->pass[r - p->stats.v];
		if (r->nr_snapshots && l.end_ns < r->last_end_ns)
			return record_error(rd, p->lineno, 0, "",
					    "trace is not time-sorted");
		if (starts_snapshot(st, &l)) {
			if (!r->nr_snapshots++)
				r->first_end_ns = l.end_ns;
			r->last_end_ns = l.end_ns;
			st->open = true;
			st->nr_in = 0;
		}
		add_to(st, &l);
	}
	return ret;
}

static const struct record_ops perf_ops;

int record_perf_init(struct record_reader *rd)
{
	struct perf *p = xcalloc(1, sizeof(*p));
	int r;

	rd->priv = p;
	rd->ops = &perf_ops;
	p->cur = SIZE_MAX;
	p->c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	if (!p->c_locale)
		return -errno;
	for (;;) {
		r = first_pass(rd, p);
		/* text that holds no record is not one: say so */
		if (!r && !p->stats.nr)
			return record_error(rd, p->lineno, 0, "",
					    "no DAMON trace event in its %u line%s: not a record, nor a perf script or trace-cmd report of one",
					    p->lineno, p->lineno == 1 ? "" : "s");
		if (r <= 0)
			return r;
		/* damon_region_aggregated lines carry all the others do. */
		p->region_mode = true;
		rec_stats_release(&p->stats);
		if (p->cap_pass)	/* memset(NULL, 0, 0) is undefined */
			memset(p->pass, 0, p->cap_pass * sizeof(*p->pass));
		p->lineno = 0;
		if (rsrc_rewind(&rd->src))
			return record_error(rd, 0, 0, "", "%s", rd->src.errmsg);
	}
}

static int perf_next(struct record_reader *rd)
{
	struct perf *p = rd->priv;
	const struct rec_stat *r;

	p->cur = p->cur == SIZE_MAX ? 0 : p->cur + 1;
	if (p->cur >= p->stats.nr) {
		p->cur = p->stats.nr;
		return 0;
	}
	r = &p->stats.v[p->cur];
	record_meta_release(&rd->meta);
	rd->meta.data_source = xstrdup("unknown");
	rd->meta.context_idx = r->ctx_idx;
	rd->meta.scheme_idx = r->scheme_idx;
	rd->meta.target_id = r->target_id;
	memset(&p->st, 0, sizeof(p->st));
	p->emitted = 0;
	p->prev_end_ns = rec_stat_first_start(r);
	p->sample_us = SNAP_NONE;
	p->pending = false;
	p->lineno = 0;
	if (rsrc_rewind(&rd->src))
		return record_error(rd, 0, 0, "", "%s", rd->src.errmsg);
	return 1;
}

static void open_snapshot(struct perf *p, struct snapshot *snap,
			  const struct perf_line *l)
{
	snapshot_clear(snap);
	snap->start_ns = p->prev_end_ns;
	snap->end_ns = l->end_ns;
	snap->sample_interval_us = p->sample_us;
	p->prev_end_ns = l->end_ns;
	p->st.open = true;
	p->st.nr_in = 0;
}

static void add_region(struct perf *p, struct snapshot *snap,
		       const struct perf_line *l)
{
	struct snap_region *reg = snapshot_add_region(snap);

	reg->start = l->start;
	reg->end = l->end;
	reg->nr_accesses = l->nr_accesses;
	reg->age = l->age;
	p->fake = snap->nr_regions == 1 && l->fake;
	if (l->ev == EV_REGION_AGGR && p->nr_hits)
		memcpy(snapshot_region_probes(snap, snap->nr_regions - 1,
					      p->nr_hits),
		       p->hits, p->nr_hits * sizeof(*p->hits));
}

/* A snapshot is done: 1 to hand it out, 0 for damo's fake last one. */
static int finish(struct perf *p, const struct rec_stat *r)
{
	uint64_t idx = p->emitted++;

	return !(r->nr_snapshots >= 2 && idx == r->nr_snapshots - 1 &&
		 p->fake);
}

static int perf_next_snapshot(struct record_reader *rd, struct snapshot *snap)
{
	struct perf *p = rd->priv;
	const struct rec_stat *r;
	struct perf_line *l = &p->pl;
	int ret;

	if (p->cur >= p->stats.nr)
		return 0;
	r = &p->stats.v[p->cur];
	for (;;) {
		if (!p->pending) {
			ret = perf_read_line(rd, p);
			if (ret <= 0) {
				if (ret < 0)
					return ret;
				break;
			}
			ret = perf_parse(rd, p, l);
			if (ret <= 0) {
				if (ret < 0)
					return ret;
				continue;
			}
			if (l->ev == EV_TUNE) {
				p->sample_us = l->sample_us;
				continue;
			}
			if (l->kind != r->kind || l->ctx_idx != r->ctx_idx ||
			    l->scheme_idx != r->scheme_idx ||
			    l->target != r->target_id)
				continue;
			if (p->st.open && starts_snapshot(&p->st, l)) {
				/* The line begins the next snapshot. */
				p->pending = true;
				p->st.open = false;
				if (finish(p, r))
					return 1;
			}
		}
		p->pending = false;
		if (!p->st.open)
			open_snapshot(p, snap, l);
		add_region(p, snap, l);
		if (add_to(&p->st, l) && finish(p, r))
			return 1;
	}
	if (p->st.open) {
		p->st.open = false;
		if (finish(p, r))
			return 1;
	}
	return 0;
}

static void perf_release(struct record_reader *rd)
{
	struct perf *p = rd->priv;

	if (!p)
		return;
	if (p->c_locale)
		freelocale(p->c_locale);
	rec_stats_release(&p->stats);
	free(p->pass);
	free(p->hits);
	free(p);
	rd->priv = NULL;
}

static const struct record_ops perf_ops = {
	.next = perf_next,
	.next_snapshot = perf_next_snapshot,
	.release = perf_release,
};
