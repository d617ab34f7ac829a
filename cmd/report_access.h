/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The views of report access: damo's template engine
 * with its default "detailed" templates and the distribution styles, fed
 * one snapshot at a time.
 */
#ifndef DAMO_CMD_REPORT_ACCESS_H
#define DAMO_CMD_REPORT_ACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cmd/report_common.h"
#include "cmd/report_filter.h"
#include "core/report/access_dist.h"
#include "kdamond/backend.h"

struct argp_state;
struct out;
struct record_meta;
struct snapshot;

enum access_style {
	ACCESS_DETAILED,
	ACCESS_RECENCY_PERCENTILES,
	ACCESS_TEMPERATURE_PERCENTILES,
	ACCESS_RECENCY_SZ_HIST,
	ACCESS_TEMPERATURE_SZ_HIST,
	/* the detailed view with region boxes */
	ACCESS_SIMPLE_BOXES,
	ACCESS_COLD,
	ACCESS_HOT,
};

enum access_area {
	AREA_RECORD_HEAD,
	AREA_SNAPSHOT_HEAD,
	AREA_REGION,
	AREA_SNAPSHOT_TAIL,
	AREA_RECORD_TAIL,
	NR_AREAS,
};

enum access_sort {
	SORT_ADDRESS,
	SORT_ACCESS_RATE,
	SORT_AGE,
	SORT_SIZE,
	SORT_TEMPERATURE,
};

#define ACCESS_MAX_SORT_KEYS 5
#define ACCESS_MAX_PERCENTILES 101
#define ACCESS_MAX_HIST_RANGES 64
#define ACCESS_MAX_FORMATS 16

/* What the pre-pass over the input found: what the templates depend on. */
struct access_rec_info {
	uint64_t start_ns;	/* of its first (kept) snapshot */
	uint64_t end_ns;	/* of its last */
	size_t nr_snapshots;
	char *data_source;	/* owned; whole once its snapshots were read */
};

/* What a region box's length, colour or height shows. */
enum box_value {
	BOX_SIZE,
	BOX_ACCESS_RATE,
	BOX_AGE,
	BOX_NONE,
};

/* damo's region boxes (<box>): the --region-box-* options. */
struct access_box {
	bool on;			/* --region-box: in the default formats */
	enum box_value values[3];	/* of the length, colour and height */
	bool log[3];			/* their scales */
	uint64_t len_min, len_max;	/* columns */
	uint64_t height_min, height_max;	/* rows */
	bool right;			/* aligned right */
	unsigned int colorset;		/* 0 gray, 1 flame, 2 emotion */
	/* from the pre-pass: the range of each box_value over all regions */
	double min[3], max[3];
	bool seen;
};

struct access_view {
	enum access_style style;
	bool raw;
	bool color;
	struct report_weights weights;
	enum access_sort sort[ACCESS_MAX_SORT_KEYS];
	size_t nr_sort;
	unsigned int sort_dsc;	/* bit (1 << key): descending */
	long percentiles[ACCESS_MAX_PERCENTILES];
	size_t nr_percentiles;
	const char *hist_ranges[ACCESS_MAX_HIST_RANGES];
	size_t nr_hist_ranges;
	bool hist_logscale;
	bool hist_cumulate;
	unsigned int heatmap_width;
	bool heatmap_static;
	unsigned int heatmap_colorset;	/* 0 gray, 1 flame, 2 emotion */
	bool total_sz_only;
	/* --format ACTION AREA STRING, in order */
	struct {
		bool append;
		enum access_area area;
		const char *text;
	} formats[ACCESS_MAX_FORMATS];
	size_t nr_formats;
	const char *area_tmpl[NR_AREAS];	/* --format-AREA TEXT */
	/* --min-chars-for KEYWORD N, for keywords without damo's default */
	struct {
		const char *keyword;
		int n;
	} min_chars[ACCESS_MAX_FORMATS];
	size_t nr_min_chars;

	struct access_box box;
	bool tried;		/* tried_regions_of: scheme stats in the tail */

	/* from the pre-pass */
	size_t nr_records;
	bool multi_snapshots;
	bool ops_filters;
	bool probe_hits;
	bool tuned;		/* some record auto-tunes its intervals */
	bool damon_stat;	/* some record comes from DAMON_STAT */

	/* set up by access_view_setup() */
	char *tmpl[NR_AREAS];
	bool started;		/* something was printed (join with '\n') */
	FILE *kwf;		/* a keyword's value is written here ... */
	char *kwbuf;		/* ... into this buffer, owned */
	size_t kwlen;
	size_t kwcap;
};

/* Build the templates of @v from its style, pre-pass and --format. */
void access_view_setup(struct access_view *v);
void access_view_release(struct access_view *v);

/* One record of the view: its head, each snapshot, its tail, into @f. */
void access_view_record_head(struct access_view *v, FILE *f,
			     const struct record_meta *meta,
			     const struct access_rec_info *ri);
void access_view_snapshot(struct access_view *v, FILE *f,
			  const struct record_meta *meta,
			  const struct access_rec_info *ri,
			  struct snapshot *s, bool last);
void access_view_record_tail(struct access_view *v, FILE *f,
			     const struct record_meta *meta,
			     const struct access_rec_info *ri);

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
	const char *desc;	/* damo's help text of it */
};

/* The keywords of each template level (report_access_kw.c), NULL-ended. */
extern const struct keyword access_record_kws[];
extern const struct keyword access_snapshot_kws[];
extern const struct keyword access_region_kws[];

/*
 * The --json form of a record (report_access_json.c): its head, opening
 * its snapshots list, each snapshot, and its tail, closing both.
 */
void access_json_record_head(struct out *o, const struct record_meta *meta);
void access_json_snapshot(struct out *o, const struct record_meta *meta,
			  const struct snapshot *s);
void access_json_record_tail(struct out *o, const struct record_meta *meta);

/*
 * access_live_input() - without --input: one snapshot of each running
 * monitor into a record file *@path of a new private directory *@dir.
 * Return: 1 (then remove both with access_live_cleanup()), 0 when no
 * monitor runs (damon.data is read, as damo does), or -errno (reported).
 */
struct damo_ctx;
int access_live_input(struct damo_ctx *ctx, char **dir, char **path);
void access_live_cleanup(char *dir, char *path);

/* damo's "tried_regions_of K C S": monitor K's context C's scheme S. */
struct access_tried_of {
	struct damo_id id;
	size_t ctx, scheme;
};

/*
 * access_tried_input() - the tried regions of each of @n schemes @t, as
 * their monitors refresh them (adjacent regions of the same pattern
 * merged unless !@merge), a record of one snapshot each, into *@path of
 * a new private directory *@dir.  Return: 0 (remove both with
 * access_live_cleanup()), or -errno (reported; nothing left).
 */
int access_tried_input(struct damo_ctx *ctx, const struct access_tried_of *t,
		       size_t n, bool merge, char **dir, char **path);

/* What report access was asked (report_access_args.c parses it). */
struct access_args {
	struct damo_ctx *ctx;
	struct report_opts ro;
	bool raw_form;
	bool style_set;
	struct report_filter filter;
	struct access_view view;
	const struct keyword *ls_kws;	/* --ls-*-format-keywords */
	/* --tried-regions-of, -i tried_regions_of: K C S each */
	struct access_tried_of tried[ACCESS_MAX_FORMATS];
	size_t nr_tried;
	const char *tried_words[3];	/* of "-i tried_regions_of K C S" */
	size_t nr_tried_words;
	bool dont_merge;
};

/* The options; children[0] is set to report_opts_argp() at run time. */
extern const struct argp access_argp;
extern struct argp_child access_children[];

/* The --json form of a snapshot under the view's style. */
void access_view_json_snapshot(struct access_view *v, struct out *o,
			       const struct record_meta *meta,
			       struct snapshot *s);

/*
 * Distributions (report_access_dist.c): one printer each, text (the view
 * gives an out handle on its template buffer) or JSON list @key.
 */
void access_percentiles(const struct access_view *v, struct out *o,
			const char *key, const struct record_meta *meta,
			const struct snapshot *s, bool temperature,
			bool df_passed);
void access_sz_hist(const struct access_view *v, struct out *o,
		    const char *key, const struct record_meta *meta,
		    const struct snapshot *s, bool temperature, bool df_passed);
/* The start of damo's ANSI colour of level @lv (0 to 9) of @colorset. */
void access_color_start(FILE *f, unsigned int colorset, int lv);

/*
 * Region boxes (report_access_box.c): the defaults, what the pre-pass
 * sees of each region, and the keywords <box>, <region box colors> and
 * <region box description>.
 */
void access_box_init(struct access_box *b);
void access_box_see(struct access_box *b, const struct record_meta *meta,
		    const struct snapshot *s);
void access_box_print(FILE *f, const struct kw_ctx *c);
void access_box_colors(FILE *f, const struct kw_ctx *c);
void access_box_description(FILE *f, const struct kw_ctx *c);
/* --region-box-values and --region-box-scales: three words each. */
void access_parse_box_values(struct argp_state *state, const char *arg,
			     struct access_box *b);
void access_parse_box_scales(struct argp_state *state, const char *arg,
			     struct access_box *b);

/* The one-line heat map of a snapshot (text only), into @f. */
void access_heatmap(const struct access_view *v, FILE *f,
		    const struct record_meta *meta, const struct snapshot *s,
		    bool df_passed);

/*
 * Option words (report_access_opts.c): each takes the option's argument
 * @arg and, where the option takes several words, the next ones of
 * @state's argv; bad values are argp_error()s.  access_parse_style()
 * returns the style, or -1 for an unknown name.
 */
int access_parse_style(const char *s);
/* The name of style @i (enum order), NULL past the last: for completion. */
const char *access_style_name(int i);
void access_parse_sort(struct argp_state *state, const char *arg,
		       struct access_view *v);
/* --sort-regions-dsc [KEY...|all]: @arg (NULL without '=') and the next
 * words; none is every key. */
void access_parse_sort_dsc(struct argp_state *state, const char *arg,
			   struct access_view *v);
void access_parse_weights(struct argp_state *state, const char *arg,
			  struct report_weights *w);
void access_parse_percentiles(struct argp_state *state, const char *arg,
			      struct access_view *v);
void access_parse_hist_ranges(struct argp_state *state, const char *arg,
			      struct access_view *v);
void access_parse_format(struct argp_state *state, const char *arg,
			 struct access_view *v);
void access_parse_min_chars(struct argp_state *state, const char *arg,
			    struct access_view *v);

#endif /* DAMO_CMD_REPORT_ACCESS_H */
