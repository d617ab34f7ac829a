/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo's template engine for report access: five
 * templates (record head, snapshot head, region, snapshot tail, record
 * tail) whose <keyword>s are replaced by formatted values, padded to
 * damo's minimum widths, and whose two-character "\n" become newlines.
 * The outputs are joined with newlines as damo joins them.
 */
#include "report_access.h"

#include <stdlib.h>
#include <string.h>

#include "core/damon.h"
#include "core/out.h"
#include "core/snapshot.h"
#include "core/units.h"
#include "core/xalloc.h"

/*
 * Expand @tmpl with @kws into @f, after a joining newline if something
 * came before; an empty template prints nothing (damo's None).
 */
static void expand(struct access_view *v, FILE *f, const char *tmpl,
		   const struct keyword *kws, const struct kw_ctx *c)
{
	const struct keyword *k;
	char *val;
	size_t len, klen;
	FILE *vf;
	const char *p;

	if (!tmpl || !*tmpl)
		return;
	if (v->started)
		fputc('\n', f);
	v->started = true;
	for (p = tmpl; *p;) {
		if (p[0] == '\\' && p[1] == 'n') {
			fputc('\n', f);
			p += 2;
			continue;
		}
		for (k = kws; *p == '<' && k->name; k++) {
			klen = strlen(k->name);
			if (!strncmp(p, k->name, klen))
				break;
		}
		if (*p != '<' || !k->name) {
			fputc(*p++, f);
			continue;
		}
		vf = open_memstream(&val, &len);
		if (!vf)
			abort();	/* as xmalloc() */
		k->fn(vf, c);
		fclose(vf);
		fprintf(f, "%-*s", k->min_chars, val);
		free(val);
		p += strlen(k->name);
	}
}

static char *join_lines(const char *const *lines, size_t n)
{
	size_t i, len = 0;
	char *s;

	for (i = 0; i < n; i++)
		len += strlen(lines[i]) + 1;
	s = xcalloc(len + 1, 1);
	for (i = 0; i < n; i++) {
		if (i)
			strcat(s, "\n");
		strcat(s, lines[i]);
	}
	return s;
}

static void setup_detailed(struct access_view *v)
{
	const char *head[6], *tail;
	size_t n = 0;

	if (v->nr_records > 1)
		v->tmpl[AREA_RECORD_HEAD] = xstrdup(
			"kdamond <kdamond index> / context <context index> / "
			"scheme <scheme index> / target id <target id> / "
			"recorded for <duration> from <abs start time>");
	if (v->multi_snapshots)
		head[n++] = "snapshot time: [<start time>, <end time>] (<duration>)";
	head[n++] = "heatmap: <heatmap>";
	head[n++] = "intervals: <snapshot intervals>";
	if (v->ops_filters) {
		head[n++] = "# damos filters (df): <filters passed type>";
		head[n++] = "df-pass: <filters passed heatmap>";
	}
	v->tmpl[AREA_SNAPSHOT_HEAD] = join_lines(head, n);
	if (v->probe_hits)
		tail = "<index> <start address> <size>  <access hz> <age> <probe hits> ";
	else if (v->ops_filters)
		tail = "<index> addr <start address> size <size> access <access hz> age <age> df-passed <filters passed bytes>";
	else
		tail = "<index> addr <start address> size <size> access <access hz> age <age>";
	v->tmpl[AREA_REGION] = xstrdup(tail);
}

static void setup_dist(struct access_view *v)
{
	bool temp = v->style == ACCESS_TEMPERATURE_PERCENTILES ||
		    v->style == ACCESS_TEMPERATURE_SZ_HIST;
	const char *word = temp ? "temperature" : "recency";
	const char *head[8];
	char *l1 = NULL, *l2 = NULL, *l3 = NULL;
	size_t n = 0;

	if (v->style == ACCESS_RECENCY_SZ_HIST ||
	    v->style == ACCESS_TEMPERATURE_SZ_HIST) {
		const char *legend = temp ? "<temperature>" : "<idle time (us)>";

		l1 = xasprintf("%s <df-passed size>", legend);
		l2 = xasprintf("<%s-df-passed-sz histogram>", word);
		l3 = xasprintf("%s <total size>", legend);
		if (v->ops_filters) {
			head[n++] = "# damos filters (df): <filters passed type>";
			head[n++] = l1;
			head[n++] = l2;
			head[n++] = "";
		}
		head[n++] = l3;
		head[n++] = temp ? "<temperature-sz histogram>" :
			"<recency-sz histogram>";
	} else {
		l1 = xasprintf("# df-passed %s percentiles", word);
		l2 = xasprintf("<df-passed %s percentiles>", word);
		l3 = xasprintf("# total %s percentiles", word);
		if (v->multi_snapshots)
			head[n++] = "snapshot time: [<start time>, <end time>] (<duration>)";
		if (v->ops_filters) {
			head[n++] = "# damos filters (df): <filters passed type>";
			head[n++] = l1;
			head[n++] = l2;
			head[n++] = "";
		}
		head[n++] = l3;
		head[n++] = temp ? "<temperature percentiles>" :
			"<recency percentiles>";
	}
	v->tmpl[AREA_SNAPSHOT_HEAD] = join_lines(head, n);
	free(l1);
	free(l2);
	free(l3);
}

static void append_tmpl(char **t, const char *text)
{
	char *n;

	if (!*t || !**t) {
		free(*t);
		*t = xstrdup(text);
		return;
	}
	n = xasprintf("%s\n%s", *t, text);
	free(*t);
	*t = n;
}

void access_view_setup(struct access_view *v)
{
	const char *rtail[3];
	size_t i, n = 0;

	if (v->ops_filters)
		v->tmpl[AREA_SNAPSHOT_TAIL] = xstrdup(
			"memory bw estimate: <estimated memory bandwidth>  "
			"df-passed: <filters passed estimated memory bandwidth>\n"
			"total size: <total bytes>  df-passed <filters passed bytes>");
	else
		v->tmpl[AREA_SNAPSHOT_TAIL] = xstrdup(
			"memory bw estimate: <estimated memory bandwidth>\n"
			"total size: <total bytes>");
	rtail[n++] = "record DAMON intervals: <intervals>";
	if (v->tuned)
		rtail[n++] = "# <intervals goal>";
	if (v->damon_stat)
		rtail[n++] = "# data source: <data source>";
	v->tmpl[AREA_RECORD_TAIL] = join_lines(rtail, n);
	setup_detailed(v);
	if (v->style != ACCESS_DETAILED) {
		free(v->tmpl[AREA_SNAPSHOT_HEAD]);
		free(v->tmpl[AREA_REGION]);
		v->tmpl[AREA_REGION] = NULL;
		setup_dist(v);
	}
	for (i = 0; i < v->nr_formats; i++) {
		if (v->formats[i].append)
			continue;
		free(v->tmpl[v->formats[i].area]);
		v->tmpl[v->formats[i].area] = xstrdup(v->formats[i].text);
	}
	if (v->total_sz_only) {
		free(v->tmpl[AREA_SNAPSHOT_HEAD]);
		free(v->tmpl[AREA_REGION]);
		free(v->tmpl[AREA_SNAPSHOT_TAIL]);
		v->tmpl[AREA_SNAPSHOT_HEAD] = NULL;
		v->tmpl[AREA_REGION] = NULL;
		v->tmpl[AREA_SNAPSHOT_TAIL] = xstrdup("<total bytes>");
	}
	for (i = 0; i < v->nr_formats; i++) {
		if (v->formats[i].append)
			append_tmpl(&v->tmpl[v->formats[i].area],
				    v->formats[i].text);
	}
}

void access_view_release(struct access_view *v)
{
	size_t i;

	for (i = 0; i < NR_AREAS; i++) {
		free(v->tmpl[i]);
		v->tmpl[i] = NULL;
	}
}

void access_view_record_head(struct access_view *v, FILE *f,
			     const struct record_meta *meta,
			     const struct access_rec_info *ri)
{
	struct kw_ctx c = { .v = v, .meta = meta, .ri = ri };

	expand(v, f, v->tmpl[AREA_RECORD_HEAD], access_record_kws, &c);
}

void access_view_record_tail(struct access_view *v, FILE *f,
			     const struct record_meta *meta,
			     const struct access_rec_info *ri)
{
	struct kw_ctx c = { .v = v, .meta = meta, .ri = ri };

	expand(v, f, v->tmpl[AREA_RECORD_TAIL], access_record_kws, &c);
}

struct sort_ctx {
	const struct access_view *v;
	const struct record_meta *meta;
};

static int cmp_key(const struct snap_region *a, const struct snap_region *b,
		   enum access_sort k, const struct sort_ctx *sc)
{
	const struct record_meta *sort_meta = sc->meta;
	double x, y;

	switch (k) {
	case SORT_ACCESS_RATE:
		x = (double)report_region_percent(sort_meta, a);
		y = (double)report_region_percent(sort_meta, b);
		break;
	case SORT_AGE:
		x = (double)report_region_age_us(sort_meta, a);
		y = (double)report_region_age_us(sort_meta, b);
		break;
	case SORT_SIZE:
		x = (double)(a->end - a->start);
		y = (double)(b->end - b->start);
		break;
	case SORT_TEMPERATURE:
		x = report_region_temperature(sort_meta, a,
					      (double)(a->end - a->start),
					      &sc->v->weights);
		y = report_region_temperature(sort_meta, b,
					      (double)(b->end - b->start),
					      &sc->v->weights);
		break;
	default:
		x = (double)a->start;
		y = (double)b->start;
	}
	return x < y ? -1 : x > y;
}

/*
 * damo sorts by each key in turn with Python's stable sort, so the last
 * key is the primary one and earlier keys break its ties.
 */
static int cmp_regions(const void *pa, const void *pb, void *arg)
{
	const struct sort_ctx *sc = arg;
	const struct snap_region *a = *(const struct snap_region *const *)pa;
	const struct snap_region *b = *(const struct snap_region *const *)pb;
	size_t i;
	int c;

	for (i = sc->v->nr_sort; i-- > 0;) {
		c = cmp_key(a, b, sc->v->sort[i], sc);
		if (c)
			return sc->v->sort_dsc & (1u << sc->v->sort[i]) ?
				-c : c;
	}
	return a < b ? -1 : a > b;
}

void access_view_snapshot(struct access_view *v, FILE *f,
			  const struct record_meta *meta,
			  const struct access_rec_info *ri,
			  struct snapshot *s, bool last)
{
	struct kw_ctx c = { .v = v, .meta = meta, .ri = ri, .s = s };
	const struct snap_region **order;
	size_t i;

	expand(v, f, v->tmpl[AREA_SNAPSHOT_HEAD], access_snapshot_kws, &c);
	if (v->tmpl[AREA_REGION] && *v->tmpl[AREA_REGION]) {
		order = xreallocarray(NULL, s->nr_regions + 1, sizeof(*order));
		for (i = 0; i < s->nr_regions; i++)
			order[i] = &s->regions[i];
		qsort_r(order, s->nr_regions, sizeof(*order), cmp_regions,
			&(struct sort_ctx){ .v = v, .meta = meta });
		for (i = 0; i < s->nr_regions; i++) {
			c.r = order[i];
			c.idx = i;
			expand(v, f, v->tmpl[AREA_REGION], access_region_kws, &c);
		}
		free(order);
	}
	expand(v, f, v->tmpl[AREA_SNAPSHOT_TAIL], access_snapshot_kws, &c);
	if (!last && !v->total_sz_only)
		fputc('\n', f);	/* damo's '' between snapshots */
}
