/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The <keyword>s of report access's templates and
 * how each is formatted, with damo's minimum widths.
 */
#include "report_access.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/damon.h"
#include "core/out.h"
#include "core/snapshot.h"
#include "core/units.h"

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

	/* damo's format_bp: a float under --raw_number */
	if (c->v->raw)
		fprintf(f, "target %llu.000000 accesses per ",
			(unsigned long long)g->access_bp);
	else
		fprintf(f, "target %s accesses per ",
			units_fmt_ratio(buf, g->access_bp, UNITS_BP, false));
	fprintf(f, "%s aggrs, [", units_fmt_nr(buf, g->aggrs, c->v->raw));
	put_time(f, c, g->min_sample_us, UNITS_US);
	fputs(", ", f);
	put_time(f, c, g->max_sample_us, UNITS_US);
	fputs("] sampling interval", f);
}

static void kw_data_source(FILE *f, const struct kw_ctx *c)
{
	fputs(c->ri->data_source, f);
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

/* A distribution printer's text form, written into the template's @f. */
#define KW_DIST(name, fn, temp, df)				\
static void name(FILE *f, const struct kw_ctx *c)		\
{								\
	struct out *o = out_new(f, 0);				\
								\
	fn(c->v, o, NULL, c->meta, c->s, temp, df);		\
	out_free(&o);						\
}
KW_DIST(kw_temp_hist, access_sz_hist, true, false)
KW_DIST(kw_df_temp_hist, access_sz_hist, true, true)
KW_DIST(kw_rec_hist, access_sz_hist, false, false)
KW_DIST(kw_df_rec_hist, access_sz_hist, false, true)
KW_DIST(kw_rec_pct, access_percentiles, false, false)
KW_DIST(kw_df_rec_pct, access_percentiles, false, true)
KW_DIST(kw_temp_pct, access_percentiles, true, false)
KW_DIST(kw_df_temp_pct, access_percentiles, true, true)

/* damo prints a filter as its str(), never raw. */
static void put_filter(FILE *f, const struct damos_filter *df)
{
	char b1[UNITS_BUFSZ], b2[UNITS_BUFSZ];

	fprintf(f, "%s %s%s", df->allow ? "allow" : "reject",
		df->matching ? "" : "none ", damos_filter_type_name(df->type));
	if (df->type == DAMOS_FILTER_HUGEPAGE_SIZE)
		fprintf(f, " [%s, %s]",
			units_fmt_sz(b1, df->min_hugepage_sz, false),
			units_fmt_sz(b2, df->max_hugepage_sz, false));
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
		put_filter(f, &c->meta->scheme_filters[i]);
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

/* damo's format_percent of @pct, a float. */
static void put_percent(FILE *f, const struct kw_ctx *c, double pct)
{
	char buf[UNITS_BUFSZ], frac[32];

	if (c->v->raw) {
		fprintf(f, "%f", pct);
		return;
	}
	snprintf(frac, sizeof(frac), "%.7f", fmod(pct, 1));
	for (size_t n = strlen(frac); n > 0 && frac[n - 1] == '0'; n--)
		frac[n - 1] = '\0';
	fputs(units_fmt_i64(buf, (int64_t)pct, false), f);
	if (frac[2])
		fprintf(f, ".%s", frac + 2);
	fputs(" %", f);
}

static void kw_tuning_status(FILE *f, const struct kw_ctx *c)
{
	double max_samples = (double)c->meta->intervals.aggr_us /
			     (double)c->meta->intervals.sample_us;
	double obs = 0, max_obs = 0, sz;
	size_t i;

	for (i = 0; i < c->s->nr_regions; i++) {
		sz = (double)(c->s->regions[i].end - c->s->regions[i].start);
		max_obs += max_samples * sz;
		obs += sz * (double)samples_of(&c->s->regions[i]);
	}
	put_percent(f, c, obs * 100 / (max_obs > 1 ? max_obs : 1));
	fputs(" (", f);
	put_sz(f, c, (uint64_t)obs);
	fputs(" / ", f);
	put_sz(f, c, (uint64_t)max_obs);
	fputs(") ", f);
	put_time(f, c, c->meta->intervals.sample_us, UNITS_US);
	fputc(' ', f);
	put_time(f, c, c->meta->intervals.aggr_us, UNITS_US);
}

/* A template as damo shows it: its "\\n"s already newlines. */
static void put_template(FILE *f, const char *name, const char *t)
{
	fprintf(f, "%s: \"", name);
	for (; t && *t; t++) {
		if (t[0] == '\\' && t[1] == 'n') {
			fputc('\n', f);
			t++;
		} else {
			fputc(*t, f);
		}
	}
	fputc('"', f);
}

static void kw_format_strings(FILE *f, const struct kw_ctx *c)
{
	static const char *const names[NR_AREAS] = {
		"record head", "snapshot head", "region", "snapshot tail",
		"record tail",
	};
	size_t i;

	for (i = 0; i < NR_AREAS; i++) {
		if (i)
			fputc('\n', f);
		put_template(f, names[i], c->v->tmpl[i]);
	}
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

	fputs("sample ", f);
	put_time(f, c, (uint64_t)((double)aggr / ratio), UNITS_US);
	fputs(" aggr ", f);
	put_time(f, c, aggr, UNITS_US);
	/* damo's format_hz without suffix: "6.667" for 20 samples per 3 s */
	fputs(" (max access hz ", f);
	put_hz(f, c, aggr ? ratio / ((double)aggr / 1e6) : 0, false);
	fputc(')', f);
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

const struct keyword access_record_kws[] = {
	{ "<kdamond index>", 0, kw_kdamond,
	  "index of the record's kdamond" },
	{ "<context index>", 0, kw_context,
	  "index of the record's DAMON context" },
	{ "<scheme index>", 0, kw_scheme,
	  "index of the record's DAMOS scheme" },
	{ "<target id>", 0, kw_target,
	  "index of the record's DAMON target" },
	{ "<abs start time>", 0, kw_rec_abs_start,
	  "absolute time of the start of the record" },
	{ "<duration>", 0, kw_rec_duration,
	  "duration of the record" },
	{ "<intervals>", 0, kw_intervals,
	  "monitoring intervals" },
	{ "<intervals goal>", 0, kw_intervals_goal,
	  "monitoring intervals" },
	{ "<data source>", 0, kw_data_source,
	  "data source of the record" },
	{ "<format strings>", 0, kw_format_strings,
	  "current format strings" },
	{ NULL, 0, NULL, NULL }
};

const struct keyword access_snapshot_kws[] = {
	{ "<total bytes>", 0, kw_total_bytes,
	  "total bytes of regions in the snapshot" },
	{ "<duration>", 0, kw_snap_duration,
	  "access monitoring duration for the snapshot" },
	{ "<start time>", 0, kw_start_time,
	  "access monitoring start time for the snapshot, relative to the record start time" },
	{ "<end time>", 0, kw_end_time,
	  "access monitoring end time for the snapshot, relative to the record end time" },
	{ "<abs start time>", 0, kw_abs_start,
	  "absolute access monitoring start time for the snapshot" },
	{ "<abs end time>", 0, kw_abs_end,
	  "absolute access monitoring end time for the snapshot" },
	{ "<number of regions>", 0, kw_nr_regions,
	  "the number of regions in the snapshot" },
	{ "<region box colors>", 0, access_box_colors,
	  "available colors for the region box" },
	{ "<region box description>", 0, access_box_description,
	  "description about region box (what and how it represents)" },
	{ "<temperature-sz histogram>", 0, kw_temp_hist,
	  "temperature to total size of the regions histogram" },
	{ "<temperature-df-passed-sz histogram>", 0, kw_df_temp_hist,
	  "temperature to total size of DAMOS filters (df) passed regions histogram" },
	{ "<recency-sz histogram>", 0, kw_rec_hist,
	  "idle time to total size of the regions histogram" },
	{ "<recency-df-passed-sz histogram>", 0, kw_df_rec_hist,
	  "idle time to total size of DAMOS filters (df) passed regions histogram" },
	{ "<recency percentiles>", 0, kw_rec_pct,
	  "per-byte idle time distribution in percentiles" },
	{ "<df-passed recency percentiles>", 0, kw_df_rec_pct,
	  "per-df-passed byte idle time distribution in percentiles" },
	{ "<temperature percentiles>", 0, kw_temp_pct,
	  "per-byte access temperature distribution in percentiles" },
	{ "<df-passed temperature percentiles>", 0, kw_df_temp_pct,
	  "per-df-passed byte access temperature distribution in percentiles" },
	{ "<heatmap>", 0, kw_heatmap,
	  "heatmap of the snapshot" },
	{ "<filters passed heatmap>", 0, kw_df_heatmap,
	  "heatmap of the snapshot for filter-passed regions" },
	{ "<filters passed type>", 10, kw_df_type,
	  "type of <filters passed bytes> memory" },
	{ "<filters passed bytes>", 0, kw_df_bytes,
	  "bytes of regions that passed DAMOS filters" },
	{ "<positive access samples ratio>", 0, kw_pos_ratio,
	  "positive access samples ratio" },
	{ "<estimated memory bandwidth>", 0, kw_bw,
	  "estimated memory bandwidth" },
	{ "<filters passed estimated memory bandwidth>", 0, kw_df_bw,
	  "estimated memory bandwidth" },
	{ "<intervals tuning status>", 0, kw_tuning_status,
	  "intervals tuning status" },
	{ "<damos stats>", 0, kw_damos_stats,
	  "DAMOS stats for the snapshot-retrieval scheme" },
	{ "<snapshot intervals>", 0, kw_snap_intervals,
	  "Snapshot intervals status" },
	{ NULL, 0, NULL, NULL }
};

const struct keyword access_region_kws[] = {
	{ "<index>", 3, kw_index,
	  "index of the region in the regions of the snapshot" },
	{ "<start address>", 12, kw_start_addr,
	  "start address of the region" },
	{ "<end address>", 11, kw_end_addr,
	  "end address of the region" },
	{ "<size>", 11, kw_size,
	  "size of the region" },
	{ "<access rate>", 5, kw_access_rate,
	  "monitored access rate of the region" },
	{ "<access hz>", 6, kw_access_hz,
	  "monitored access frequency of the region in hz" },
	{ "<age>", 13, kw_age,
	  "how long the access pattern of the region has maintained" },
	{ "<temperature>", 0, kw_temperature,
	  "access temperature of the region" },
	{ "<probe hits>", 0, kw_probe_hits,
	  "data attributese probe hit counts" },
	{ "<filters passed bytes>", 0, kw_region_df_bytes,
	  "bytes of the region that passed DAMOS filters" },
	{ "<box>", 0, access_box_print,
	  "user-customizable (via --region_box_*) box (age/access_rate/size by default)" },
	{ NULL, 0, NULL, NULL }
};
