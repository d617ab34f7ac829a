/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo's template engine for report access (damo-compat.md §4.1): five
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

/* Everything a keyword may look at. */
struct kw_ctx {
	const struct access_view *v;
	const struct record_meta *meta;
	const struct access_rec_info *ri;
	const struct snapshot *s;
	const struct snap_region *r;
	size_t idx;
};

struct keyword {
	const char *name;
	int min_chars;
	void (*fn)(FILE *f, const struct kw_ctx *c);
};

static void put_time(FILE *f, const struct kw_ctx *c, uint64_t v,
		     uint64_t unit)
{
	char buf[UNITS_BUFSZ];

	fputs(units_fmt_time(buf, v, unit, c->v->raw), f);
}

static void put_sz(FILE *f, const struct kw_ctx *c, uint64_t v)
{
	char buf[UNITS_BUFSZ];

	fputs(units_fmt_sz(buf, v, c->v->raw), f);
}

static void put_idx(FILE *f, uint64_t v)
{
	if (v == SNAP_NONE)
		fputs("None", f);
	else
		fprintf(f, "%llu", (unsigned long long)v);
}

/* damo's format_hz of @hz (a float). */
static void put_hz(FILE *f, const struct kw_ctx *c, double hz, bool suffix)
{
	char buf[UNITS_BUFSZ];

	if (c->v->raw)
		fprintf(f, "%f", hz);
	else if (hz < 10 && hz != 0)
		fprintf(f, "%.3f", hz);
	else
		fputs(units_fmt_i64(buf, (int64_t)hz, false), f);
	if (!c->v->raw && suffix)
		fputs(" hz", f);
}

static void kw_kdamond(FILE *f, const struct kw_ctx *c)
{
	if (c->meta->kdamond_is_stat)
		fputs("-1", f);
	else
		put_idx(f, c->meta->kdamond_idx);
}

static void kw_context(FILE *f, const struct kw_ctx *c)
{
	put_idx(f, c->meta->context_idx);
}

static void kw_scheme(FILE *f, const struct kw_ctx *c)
{
	put_idx(f, c->meta->scheme_idx);
}

static void kw_target(FILE *f, const struct kw_ctx *c)
{
	put_idx(f, c->meta->target_id);
}

static void kw_rec_abs_start(FILE *f, const struct kw_ctx *c)
{
	put_time(f, c, c->ri->start_ns, UNITS_NS);
}

static void kw_rec_duration(FILE *f, const struct kw_ctx *c)
{
	put_time(f, c, c->ri->end_ns - c->ri->start_ns, UNITS_NS);
}

static void kw_intervals(FILE *f, const struct kw_ctx *c)
{
	fputs("sample ", f);
	put_time(f, c, c->meta->intervals.sample_us, UNITS_US);
	fputs(", aggr ", f);
	put_time(f, c, c->meta->intervals.aggr_us, UNITS_US);
}

static void kw_intervals_goal(FILE *f, const struct kw_ctx *c)
{
	const struct damon_intervals_goal *g = &c->meta->intervals.goal;
	char buf[UNITS_BUFSZ];

	fprintf(f, "target %s accesses per ",
		units_fmt_ratio(buf, g->access_bp, UNITS_BP, c->v->raw));
	fprintf(f, "%s aggrs, [", units_fmt_nr(buf, g->aggrs, c->v->raw));
	put_time(f, c, g->min_sample_us, UNITS_US);
	fputs(", ", f);
	put_time(f, c, g->max_sample_us, UNITS_US);
	fputs("] sampling interval", f);
}

static void kw_data_source(FILE *f, const struct kw_ctx *c)
{
	fputs(c->meta->data_source ? c->meta->data_source : "unknown", f);
}

static uint64_t snap_start(const struct snapshot *s)
{
	return s->start_ns == SNAP_NONE ? s->end_ns : s->start_ns;
}

static void kw_total_bytes(FILE *f, const struct kw_ctx *c)
{
	put_sz(f, c, snapshot_total_bytes(c->s));
}

static void kw_snap_duration(FILE *f, const struct kw_ctx *c)
{
	put_time(f, c, c->s->end_ns - snap_start(c->s), UNITS_NS);
}

static void kw_start_time(FILE *f, const struct kw_ctx *c)
{
	put_time(f, c, snap_start(c->s) - c->ri->start_ns, UNITS_NS);
}

static void kw_end_time(FILE *f, const struct kw_ctx *c)
{
	put_time(f, c, c->s->end_ns - c->ri->start_ns, UNITS_NS);
}

static void kw_abs_start(FILE *f, const struct kw_ctx *c)
{
	put_time(f, c, snap_start(c->s), UNITS_NS);
}

static void kw_abs_end(FILE *f, const struct kw_ctx *c)
{
	put_time(f, c, c->s->end_ns, UNITS_NS);
}

static void kw_nr_regions(FILE *f, const struct kw_ctx *c)
{
	char buf[UNITS_BUFSZ];

	fputs(units_fmt_nr(buf, c->s->nr_regions, c->v->raw), f);
}

static void kw_heatmap(FILE *f, const struct kw_ctx *c)
{
	access_heatmap(c->v, f, c->meta, c->s, false);
}

static void kw_df_heatmap(FILE *f, const struct kw_ctx *c)
{
	access_heatmap(c->v, f, c->meta, c->s, true);
}

#define KW_DIST(name, fn, temp, df)				\
static void name(FILE *f, const struct kw_ctx *c)		\
{								\
	fn(c->v, f, c->meta, c->s, temp, df);			\
}
KW_DIST(kw_temp_hist, access_sz_hist, true, false)
KW_DIST(kw_df_temp_hist, access_sz_hist, true, true)
KW_DIST(kw_rec_hist, access_sz_hist, false, false)
KW_DIST(kw_df_rec_hist, access_sz_hist, false, true)
KW_DIST(kw_rec_pct, access_percentiles, false, false)
KW_DIST(kw_df_rec_pct, access_percentiles, false, true)
KW_DIST(kw_temp_pct, access_percentiles, true, false)
KW_DIST(kw_df_temp_pct, access_percentiles, true, true)

static void put_filter(FILE *f, const struct kw_ctx *c,
		       const struct damos_filter *df)
{
	char b1[UNITS_BUFSZ], b2[UNITS_BUFSZ];

	fprintf(f, "%s %s%s", df->allow ? "allow" : "reject",
		df->matching ? "" : "none ", damos_filter_type_name(df->type));
	if (df->type == DAMOS_FILTER_HUGEPAGE_SIZE)
		fprintf(f, " [%s, %s]",
			units_fmt_sz(b1, df->min_hugepage_sz, c->v->raw),
			units_fmt_sz(b2, df->max_hugepage_sz, c->v->raw));
	else if (df->type == DAMOS_FILTER_MEMCG && df->memcg_path)
		fprintf(f, " %s", df->memcg_path);
}

static void kw_df_type(FILE *f, const struct kw_ctx *c)
{
	size_t i, n = 0;

	for (i = 0; i < c->meta->nr_scheme_filters; i++) {
		if (damos_filter_is_core(c->meta->scheme_filters[i].type))
			continue;
		fputs(n++ ? ", " : "", f);
		put_filter(f, c, &c->meta->scheme_filters[i]);
	}
	if (!n)
		fputs("n/a", f);
}

static void kw_df_bytes(FILE *f, const struct kw_ctx *c)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < c->s->nr_regions; i++)
		sum += c->s->regions[i].sz_filter_passed;
	put_sz(f, c, sum);
}

static double max_samples(const struct record_meta *meta)
{
	if (!meta->intervals.sample_us)
		return 1;
	return (double)meta->intervals.aggr_us / (double)meta->intervals.sample_us;
}

static uint64_t samples_of(const struct snap_region *r)
{
	return r->nr_accesses == SNAP_NONE ? 0 : r->nr_accesses;
}

static void kw_pos_ratio(FILE *f, const struct kw_ctx *c)
{
	double nr = 0, maxv = max_samples(c->meta) * (double)c->s->nr_regions;
	char buf[UNITS_BUFSZ];
	size_t i;

	for (i = 0; i < c->s->nr_regions; i++)
		nr += (double)samples_of(&c->s->regions[i]);
	/* damo formats a float percent; 1/10000 of a percent is enough */
	fputs(units_fmt_ratio(buf, maxv ? (uint64_t)(nr * 1000000 / maxv) : 0,
			      UNITS_PERCENT * 10000, c->v->raw), f);
}

static void put_bw(FILE *f, const struct kw_ctx *c, bool df)
{
	double bytes = 0, aggr_s;
	size_t i;

	for (i = 0; i < c->s->nr_regions; i++) {
		const struct snap_region *r = &c->s->regions[i];

		bytes += (double)(df ? r->sz_filter_passed : r->end - r->start) *
			 (double)samples_of(r);
	}
	aggr_s = (double)access_snapshot_aggr_us(c->meta, c->s) / 1e6;
	put_sz(f, c, aggr_s ? (uint64_t)(bytes / aggr_s) : 0);
	fputs(" per second", f);
}

static void kw_bw(FILE *f, const struct kw_ctx *c)
{
	put_bw(f, c, false);
}

static void kw_df_bw(FILE *f, const struct kw_ctx *c)
{
	put_bw(f, c, true);
}

static void kw_damos_stats(FILE *f, const struct kw_ctx *c)
{
	const struct damos_stats *st = &c->s->stats;
	char b1[UNITS_BUFSZ], b2[UNITS_BUFSZ];

	if (!c->s->has_stats) {
		fputs("none", f);
		return;
	}
	fprintf(f, "tried %s times (%s), ", units_fmt_nr(b1, st->nr_tried, c->v->raw),
		units_fmt_sz(b2, st->sz_tried, c->v->raw));
	fprintf(f, "applied %s times (%s), ",
		units_fmt_nr(b1, st->nr_applied, c->v->raw),
		units_fmt_sz(b2, st->sz_applied, c->v->raw));
	fprintf(f, "%s passed filters, quota exceeded %s times",
		units_fmt_sz(b1, st->sz_ops_filter_passed, c->v->raw),
		units_fmt_nr(b2, st->qt_exceeds, c->v->raw));
}

static void kw_snap_intervals(FILE *f, const struct kw_ctx *c)
{
	uint64_t aggr = access_snapshot_aggr_us(c->meta, c->s);
	double ratio = max_samples(c->meta);
	char buf[UNITS_BUFSZ];

	fputs("sample ", f);
	put_time(f, c, (uint64_t)((double)aggr / ratio), UNITS_US);
	fputs(" aggr ", f);
	put_time(f, c, aggr, UNITS_US);
	/* damo truncates this one: "6" for 20 samples per 3 s */
	fprintf(f, " (max access hz %s)", units_fmt_i64(buf, aggr ?
		(int64_t)(ratio / ((double)aggr / 1e6)) : 0, c->v->raw));
}

static void kw_max_hz(FILE *f, const struct kw_ctx *c)
{
	double aggr = (double)c->meta->intervals.aggr_us / 1e6;

	put_hz(f, c, aggr ? max_samples(c->meta) / aggr : 0, true);
}

static void kw_index(FILE *f, const struct kw_ctx *c)
{
	char buf[UNITS_BUFSZ];

	fputs(units_fmt_nr(buf, c->idx, c->v->raw), f);
}

static void kw_start_addr(FILE *f, const struct kw_ctx *c)
{
	put_sz(f, c, c->r->start);
}

static void kw_end_addr(FILE *f, const struct kw_ctx *c)
{
	put_sz(f, c, c->r->end);
}

static void kw_size(FILE *f, const struct kw_ctx *c)
{
	put_sz(f, c, c->r->end - c->r->start);
}

static void kw_access_rate(FILE *f, const struct kw_ctx *c)
{
	char buf[UNITS_BUFSZ];

	fputs(units_fmt_ratio(buf, report_region_percent(c->meta, c->r),
			      UNITS_PERCENT, c->v->raw), f);
}

static void kw_access_hz(FILE *f, const struct kw_ctx *c)
{
	double aggr = (double)c->meta->intervals.aggr_us / 1e6;

	put_hz(f, c, aggr ? (double)samples_of(c->r) / aggr : 0, true);
}

static void kw_age(FILE *f, const struct kw_ctx *c)
{
	put_time(f, c, report_region_age_us(c->meta, c->r), UNITS_US);
}

static void kw_temperature(FILE *f, const struct kw_ctx *c)
{
	char buf[UNITS_BUFSZ];

	fputs(units_fmt_i64(buf, (int64_t)report_region_temperature(
		c->meta, c->r, (double)(c->r->end - c->r->start),
		&c->v->weights), c->v->raw), f);
}

static void kw_probe_hits(FILE *f, const struct kw_ctx *c)
{
	size_t i, ri = (size_t)(c->r - c->s->regions);

	fputs("[", f);
	for (i = 0; i < c->s->nr_probes; i++)
		fprintf(f, "%s%llu", i ? ", " : "", (unsigned long long)
			c->s->probe_hits[ri * c->s->nr_probes + i]);
	fputs("]", f);
}

static void kw_region_df_bytes(FILE *f, const struct kw_ctx *c)
{
	put_sz(f, c, c->r->sz_filter_passed);
}

static const struct keyword record_kws[] = {
	{ "<kdamond index>", 0, kw_kdamond },
	{ "<context index>", 0, kw_context },
	{ "<scheme index>", 0, kw_scheme },
	{ "<target id>", 0, kw_target },
	{ "<abs start time>", 0, kw_rec_abs_start },
	{ "<duration>", 0, kw_rec_duration },
	{ "<intervals>", 0, kw_intervals },
	{ "<intervals goal>", 0, kw_intervals_goal },
	{ "<data source>", 0, kw_data_source },
	{ NULL, 0, NULL }
};

static const struct keyword snapshot_kws[] = {
	{ "<total bytes>", 0, kw_total_bytes },
	{ "<duration>", 0, kw_snap_duration },
	{ "<start time>", 0, kw_start_time },
	{ "<end time>", 0, kw_end_time },
	{ "<abs start time>", 0, kw_abs_start },
	{ "<abs end time>", 0, kw_abs_end },
	{ "<number of regions>", 0, kw_nr_regions },
	{ "<heatmap>", 0, kw_heatmap },
	{ "<filters passed heatmap>", 0, kw_df_heatmap },
	{ "<temperature-sz histogram>", 0, kw_temp_hist },
	{ "<temperature-df-passed-sz histogram>", 0, kw_df_temp_hist },
	{ "<recency-sz histogram>", 0, kw_rec_hist },
	{ "<recency-df-passed-sz histogram>", 0, kw_df_rec_hist },
	{ "<recency percentiles>", 0, kw_rec_pct },
	{ "<df-passed recency percentiles>", 0, kw_df_rec_pct },
	{ "<temperature percentiles>", 0, kw_temp_pct },
	{ "<df-passed temperature percentiles>", 0, kw_df_temp_pct },
	{ "<filters passed type>", 10, kw_df_type },
	{ "<filters passed bytes>", 0, kw_df_bytes },
	{ "<positive access samples ratio>", 0, kw_pos_ratio },
	{ "<estimated memory bandwidth>", 0, kw_bw },
	{ "<filters passed estimated memory bandwidth>", 0, kw_df_bw },
	{ "<damos stats>", 0, kw_damos_stats },
	{ "<snapshot intervals>", 0, kw_snap_intervals },
	{ "<max access hz>", 0, kw_max_hz },
	{ NULL, 0, NULL }
};

static const struct keyword region_kws[] = {
	{ "<index>", 3, kw_index },
	{ "<start address>", 12, kw_start_addr },
	{ "<end address>", 11, kw_end_addr },
	{ "<size>", 11, kw_size },
	{ "<access rate>", 5, kw_access_rate },
	{ "<access hz>", 6, kw_access_hz },
	{ "<age>", 13, kw_age },
	{ "<temperature>", 0, kw_temperature },
	{ "<probe hits>", 0, kw_probe_hits },
	{ "<filters passed bytes>", 0, kw_region_df_bytes },
	{ NULL, 0, NULL }
};

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

	expand(v, f, v->tmpl[AREA_RECORD_HEAD], record_kws, &c);
}

void access_view_record_tail(struct access_view *v, FILE *f,
			     const struct record_meta *meta,
			     const struct access_rec_info *ri)
{
	struct kw_ctx c = { .v = v, .meta = meta, .ri = ri };

	expand(v, f, v->tmpl[AREA_RECORD_TAIL], record_kws, &c);
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
			return sc->v->sort_dsc ? -c : c;
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

	expand(v, f, v->tmpl[AREA_SNAPSHOT_HEAD], snapshot_kws, &c);
	if (v->tmpl[AREA_REGION] && *v->tmpl[AREA_REGION]) {
		order = xreallocarray(NULL, s->nr_regions + 1, sizeof(*order));
		for (i = 0; i < s->nr_regions; i++)
			order[i] = &s->regions[i];
		qsort_r(order, s->nr_regions, sizeof(*order), cmp_regions,
			&(struct sort_ctx){ .v = v, .meta = meta });
		for (i = 0; i < s->nr_regions; i++) {
			c.r = order[i];
			c.idx = i;
			expand(v, f, v->tmpl[AREA_REGION], region_kws, &c);
		}
		free(order);
	}
	expand(v, f, v->tmpl[AREA_SNAPSHOT_TAIL], snapshot_kws, &c);
	if (!last && !v->total_sz_only)
		fputc('\n', f);	/* damo's '' between snapshots */
}
