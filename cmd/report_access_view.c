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

static ssize_t kw_write(void *cookie, const char *buf, size_t len)
{
	struct access_view *v = cookie;

	if (len > v->kwcap - v->kwlen) {
		v->kwcap = v->kwcap * 2 > v->kwlen + len ? v->kwcap * 2 :
							   v->kwlen + len + 256;
		v->kwbuf = xreallocarray(v->kwbuf, v->kwcap, 1);
	}
	memcpy(v->kwbuf + v->kwlen, buf, len);
	v->kwlen += len;
	return (ssize_t)len;
}

/* @s and spaces up to @width bytes, as "%-*s". */
static void put_padded(FILE *f, const char *s, size_t len, int width)
{
	static const char spaces[] = "                                ";
	size_t pad = width > 0 && (size_t)width > len ? (size_t)width - len :
							 0;

	fwrite(s, 1, len, f);
	for (; pad > sizeof(spaces) - 1; pad -= sizeof(spaces) - 1)
		fwrite(spaces, 1, sizeof(spaces) - 1, f);
	fwrite(spaces, 1, pad, f);
}

/*
 * damo's minimum width of @k: its default, else the first --min-chars-for
 * of it (damo appends the option to its defaults and takes the first).
 */
static int min_chars(const struct access_view *v, const struct keyword *k)
{
	size_t i;

	if (k->min_chars)
		return k->min_chars;
	for (i = 0; i < v->nr_min_chars; i++) {
		if (!strcmp(v->min_chars[i].keyword, k->name))
			return v->min_chars[i].n;
	}
	return 0;
}

/*
 * Expand @tmpl with @kws into @f, after a joining newline if something
 * came before; an empty template prints nothing (damo's None).  Each
 * keyword's value is written through one stream kept for the view, then
 * padded to the keyword's width.
 */
static void expand(struct access_view *v, FILE *f, const char *tmpl,
		   const struct keyword *kws, const struct kw_ctx *c)
{
	const struct keyword *k;
	size_t klen;
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
		if (*p != '<') {
			/* a run of plain text, or one lone backslash */
			klen = strcspn(p, "<\\");
			klen += !klen;
			fwrite(p, 1, klen, f);
			p += klen;
			continue;
		}
		for (k = kws; k->name; k++)
			if (k->name[1] == p[1] &&
			    !strncmp(p, k->name, strlen(k->name)))
				break;
		if (!k->name) {
			fputc(*p++, f);
			continue;
		}
		if (!v->kwf) {
			v->kwf = fopencookie(v, "w", (cookie_io_functions_t){
				.write = kw_write });
			if (!v->kwf)
				abort();	/* as xmalloc() */
		}
		v->kwlen = 0;
		k->fn(v->kwf, c);
		fflush(v->kwf);
		put_padded(f, v->kwbuf ? v->kwbuf : "", v->kwlen,
			   min_chars(v, k));
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

/* Set template @a to @text unless something (an option) already did. */
static void set_default(struct access_view *v, enum access_area a, char *text)
{
	if (v->tmpl[a]) {
		free(text);
		return;
	}
	v->tmpl[a] = text;
}

static void setup_detailed(struct access_view *v)
{
	const char *head[6], *tail;
	size_t n = 0;

	if (v->multi_snapshots)
		head[n++] = "snapshot time: [<start time>, <end time>] (<duration>)";
	head[n++] = "heatmap: <heatmap>";
	head[n++] = "intervals: <snapshot intervals>";
	if (v->ops_filters) {
		head[n++] = "# damos filters (df): <filters passed type>";
		head[n++] = "df-pass: <filters passed heatmap>";
	}
	set_default(v, AREA_SNAPSHOT_HEAD, join_lines(head, n));
	if (v->probe_hits)
		tail = "<index> <start address> <size>  <access hz> <age> <probe hits> ";
	else
		tail = "<index> addr <start address> size <size> access <access hz> age <age>";
	if (v->box.on) {	/* over any other, as damo */
		free(v->tmpl[AREA_REGION]);
		v->tmpl[AREA_REGION] = xasprintf("<box>%s%s",
			v->box.height_max > 1 ? "" : "\n", tail);
	} else if (v->ops_filters) {
		set_default(v, AREA_REGION, xasprintf(
			"%s df-passed <filters passed bytes>", tail));
	} else {
		set_default(v, AREA_REGION, xstrdup(tail));
	}
}

/* The region box styles: their templates, boxes and order, over options. */
static void setup_boxes(struct access_view *v)
{
	struct access_box *b = &v->box;

	free(v->tmpl[AREA_REGION]);
	if (v->style == ACCESS_SIMPLE_BOXES) {
		free(v->tmpl[AREA_SNAPSHOT_HEAD]);
		v->tmpl[AREA_SNAPSHOT_HEAD] = xstrdup(
			"snapshot time: [<start time>, <end time>] (<duration>)");
		v->tmpl[AREA_REGION] = xstrdup(
			"<box> size <size> access <access hz> age <age>");
	} else {
		v->tmpl[AREA_REGION] = xstrdup(
			"<box> <size> access <access hz> <age>");
		v->sort[0] = SORT_TEMPERATURE;
		v->nr_sort = 1;
		if (v->style == ACCESS_HOT)
			v->sort_dsc = 1u << SORT_TEMPERATURE;
	}
	b->height_min = b->height_max = 1;
	b->len_min = 1;
	b->len_max = 40;
	b->right = true;
	b->colorset = 2;	/* emotion */
}

/* A distribution style: its snapshot head, over any option's, no regions. */
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
	free(v->tmpl[AREA_SNAPSHOT_HEAD]);
	free(v->tmpl[AREA_REGION]);
	v->tmpl[AREA_SNAPSHOT_HEAD] = join_lines(head, n);
	v->tmpl[AREA_REGION] = xstrdup("");
	free(l1);
	free(l2);
	free(l3);
}

/* --format append: damo adds the text as is, on the same line. */
static void append_tmpl(char **t, const char *text)
{
	char *n = xasprintf("%s%s", *t ? *t : "", text);

	free(*t);
	*t = n;
}

/* Whether --format set gave template @a. */
static bool has_set(const struct access_view *v, enum access_area a)
{
	size_t i;

	for (i = 0; i < v->nr_formats; i++) {
		if (!v->formats[i].append && v->formats[i].area == a)
			return true;
	}
	return false;
}

/*
 * damo's order: the --format-AREA templates, then --format set, then the
 * style (a distribution style replaces the snapshot head and drops the
 * regions), --total-sz-only, the defaults of what is still unset, and
 * --format append last.
 */
void access_view_setup(struct access_view *v)
{
	const char *rtail[3];
	size_t i, n = 0;

	for (i = 0; i < NR_AREAS; i++) {
		if (v->area_tmpl[i])
			v->tmpl[i] = xstrdup(v->area_tmpl[i]);
	}
	for (i = 0; i < v->nr_formats; i++) {
		if (v->formats[i].append)
			continue;
		free(v->tmpl[v->formats[i].area]);
		v->tmpl[v->formats[i].area] = xstrdup(v->formats[i].text);
	}
	if (v->style >= ACCESS_SIMPLE_BOXES)
		setup_boxes(v);
	else if (v->style != ACCESS_DETAILED)
		setup_dist(v);
	if (v->total_sz_only) {
		free(v->tmpl[AREA_SNAPSHOT_HEAD]);
		free(v->tmpl[AREA_REGION]);
		free(v->tmpl[AREA_SNAPSHOT_TAIL]);
		v->tmpl[AREA_SNAPSHOT_HEAD] = xstrdup("");
		v->tmpl[AREA_REGION] = xstrdup("");
		v->tmpl[AREA_SNAPSHOT_TAIL] = xstrdup("<total bytes>");
	}
	set_default(v, AREA_RECORD_HEAD, xstrdup(v->nr_records > 1 ?
		"kdamond <kdamond index> / context <context index> / "
		"scheme <scheme index> / target id <target id> / "
		"recorded for <duration> from <abs start time>" : ""));
	rtail[n++] = "record DAMON intervals: <intervals>";
	if (v->tuned)
		rtail[n++] = "# <intervals goal>";
	if (v->damon_stat)
		rtail[n++] = "# data source: <data source>";
	set_default(v, AREA_RECORD_TAIL, join_lines(rtail, n));
	set_default(v, AREA_SNAPSHOT_TAIL, xstrdup(v->ops_filters ?
		"memory bw estimate: <estimated memory bandwidth>  "
		"df-passed: <filters passed estimated memory bandwidth>\n"
		"total size: <total bytes>  df-passed <filters passed bytes>" :
		"memory bw estimate: <estimated memory bandwidth>\n"
		"total size: <total bytes>"));
	if (v->tried && !v->area_tmpl[AREA_SNAPSHOT_TAIL] &&
	    !has_set(v, AREA_SNAPSHOT_TAIL) && !v->total_sz_only) {
		char *t = xasprintf("%s\nscheme stats\n<damos stats>",
				    v->tmpl[AREA_SNAPSHOT_TAIL]);

		free(v->tmpl[AREA_SNAPSHOT_TAIL]);
		v->tmpl[AREA_SNAPSHOT_TAIL] = t;
	}
	if (v->box.on && !strstr(v->tmpl[AREA_SNAPSHOT_TAIL],
				 "<region box description>")) {
		/* damo builds it on the record tail, not the snapshot's */
		free(v->tmpl[AREA_SNAPSHOT_TAIL]);
		v->tmpl[AREA_SNAPSHOT_TAIL] = xasprintf(
			"%s\n<region box description>", v->tmpl[AREA_RECORD_TAIL]);
	}
	setup_detailed(v);
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
	if (v->kwf)
		fclose(v->kwf);
	free(v->kwbuf);
	v->kwf = NULL;
	v->kwbuf = NULL;
	v->kwlen = 0;
	v->kwcap = 0;
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
