/* SPDX-License-Identifier: GPL-2.0 */
/* damo's JSON access records, written one snapshot at a time. */
#include "formats/record_write.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "core/damon.h"
#include "core/diag.h"
#include "core/safefile.h"
#include "core/snapshot.h"
#include "core/xalloc.h"
#include "formats/record_native.h"

#define JW_MAX_DEPTH 16
#define COPY_BUFSZ (64u << 10)

/*
 * A JSON writer laid out as Python's json.dumps(indent=4): each member on
 * its own line, "key": value, empty containers as {} and [].  @depth
 * starts where the text will be pasted in the whole document.
 */
struct jw {
	FILE *f;
	int depth;
	bool empty[JW_MAX_DEPTH];	/* no member yet at that depth */
};

static void jw_init(struct jw *j, FILE *f, int depth, bool empty)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->depth = depth;
	j->empty[depth] = empty;
}

static void jw_indent(struct jw *j, int depth)
{
	fprintf(j->f, "\n%*s", depth * 4, "");
}

/* Start a member: separator, new line, key. */
static void jw_member(struct jw *j, const char *key)
{
	if (!j->empty[j->depth])
		fputc(',', j->f);
	j->empty[j->depth] = false;
	jw_indent(j, j->depth);
	if (key)
		fprintf(j->f, "\"%s\": ", key);
}

static void jw_open(struct jw *j, const char *key, char c)
{
	jw_member(j, key);
	fputc(c, j->f);
	j->empty[++j->depth] = true;
}

static void jw_close(struct jw *j, char c)
{
	if (!j->empty[j->depth--])
		jw_indent(j, j->depth);
	fputc(c, j->f);
}

/* A value written as is (numbers, null, true, false). */
static void jw_raw(struct jw *j, const char *key, const char *text)
{
	jw_member(j, key);
	fputs(text, j->f);
}

static void jw_u64(struct jw *j, const char *key, uint64_t v)
{
	jw_member(j, key);
	fprintf(j->f, "%" PRIu64, v);
}

/* A number as a decimal string, damo's raw form; SNAP_NONE is null. */
static void jw_u64s(struct jw *j, const char *key, uint64_t v)
{
	jw_member(j, key);
	if (v == SNAP_NONE)
		fputs("null", j->f);
	else
		fprintf(j->f, "\"%" PRIu64 "\"", v);
}

/* @v as a decimal string even when it is U64_MAX (a filter's "max"). */
static void jw_u64s_exact(struct jw *j, const char *key, uint64_t v)
{
	jw_member(j, key);
	fprintf(j->f, "\"%" PRIu64 "\"", v);
}

/* Python's short escape of @c, or 0. */
static char short_escape(unsigned char c)
{
	switch (c) {
	case '"': return '"';
	case '\\': return '\\';
	case '\b': return 'b';
	case '\f': return 'f';
	case '\n': return 'n';
	case '\r': return 'r';
	case '\t': return 't';
	default: return 0;
	}
}

static void jw_str(struct jw *j, const char *key, const char *s)
{
	jw_member(j, key);
	fputc('"', j->f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (short_escape(c))
			fprintf(j->f, "\\%c", short_escape(c));
		else if (c < 0x20)
			fprintf(j->f, "\\u%04x", c);
		else
			fputc(c, j->f);
	}
	fputc('"', j->f);
}

/* One record's text: its head (up to "snapshots": [) and snapshots. */
struct rw_rec {
	char *head;
	size_t head_len;
	FILE *snaps;		/* unlinked temporary file; NULL: none yet */
	uint64_t nr_snapshots;
	char *tail;		/* members after "snapshots"; may be NULL */
	size_t tail_len;
};

struct record_writer {
	char *path;
	bool compress;
	struct diag *diag;
	struct rw_rec *recs;
	size_t nr_recs;
	size_t cap_recs;
	int err;		/* sticky: the first failure */
	bool mode_set;		/* else 0600 less the umask */
	unsigned int mode;	/* its permission bits, when mode_set */
	struct rn_writer *native;	/* set: the native format instead */
};

static void fail(struct record_writer *w, int err, const char *what,
		 const char *path)
{
	if (!w->err)
		w->err = err;
	diag_add_at(w->diag, path, 0, 0, "", "cannot %s: %s", what,
		    strerror(-err));
}

static int tmp_open(const char *path, FILE **fp);

struct record_writer *record_writer_new(const char *path, bool compress,
					struct diag *diag)
{
	struct record_writer *w = xcalloc(1, sizeof(*w));
	FILE *probe;
	int err;

	w->path = xstrdup(path);
	w->compress = compress;
	w->diag = diag;
	/* a place that cannot be written fails now, not at the first snapshot */
	err = tmp_open(path, &probe);
	if (err)
		fail(w, err, "create a temporary file next to it", path);
	else
		fclose(probe);
	return w;
}

static void write_intervals(struct jw *j, const struct damon_intervals *iv)
{
	const struct damon_intervals_goal *g = &iv->goal;

	jw_open(j, "intervals", '{');
	jw_u64s(j, "sample_us", iv->sample_us);
	jw_u64s(j, "aggr_us", iv->aggr_us);
	jw_u64s(j, "ops_update_us", iv->ops_update_us);
	jw_open(j, "intervals_goal", '{');
	/* damo keeps access_bp as a float and writes it with "%f" */
	jw_member(j, "access_bp");
	fprintf(j->f, "\"%" PRIu64 ".000000\"", g->access_bp);
	jw_u64s(j, "aggrs", g->aggrs);
	jw_u64s(j, "min_sample_us", g->min_sample_us);
	jw_u64s(j, "max_sample_us", g->max_sample_us);
	jw_close(j, '}');
	jw_close(j, '}');
}

/* A filter as damo's record writer has it: every key, raw strings. */
static void write_filter(struct jw *j, const struct damos_filter *f)
{
	jw_open(j, NULL, '{');
	jw_str(j, "filter_type", damos_filter_type_name(f->type));
	jw_raw(j, "matching", f->matching ? "true" : "false");
	jw_raw(j, "allow", f->allow ? "true" : "false");
	jw_str(j, "memcg_path", f->memcg_path ? f->memcg_path : "");
	jw_open(j, "address_range", '{');
	jw_u64s_exact(j, "start", f->addr_range.start);
	jw_u64s_exact(j, "end", f->addr_range.end);
	jw_close(j, '}');
	jw_u64s_exact(j, "damon_target_idx", f->target_idx);
	jw_open(j, "hugepage_size", '[');
	jw_u64s_exact(j, NULL, f->min_hugepage_sz);
	jw_u64s_exact(j, NULL, f->max_hugepage_sz);
	jw_close(j, ']');
	jw_close(j, '}');
}

static void write_index(struct jw *j, const char *key, uint64_t v)
{
	if (v == SNAP_NONE)
		jw_raw(j, key, "null");
	else
		jw_u64(j, key, v);
}

static void write_head(FILE *f, const struct record_meta *m)
{
	struct jw j;
	size_t i;

	/* inside the top-level list; separators are the assembler's */
	jw_init(&j, f, 1, true);
	fputc('{', f);
	j.empty[++j.depth] = true;
	if (m->kdamond_is_stat)
		jw_raw(&j, "kdamond_idx", "-1");
	else
		write_index(&j, "kdamond_idx", m->kdamond_idx);
	write_index(&j, "context_idx", m->context_idx);
	if (m->has_intervals)
		write_intervals(&j, &m->intervals);
	else
		jw_raw(&j, "intervals", "null");
	write_index(&j, "scheme_idx", m->scheme_idx);
	write_index(&j, "target_id", m->target_id);
	jw_open(&j, "scheme_filters", '[');
	for (i = 0; i < m->nr_scheme_filters; i++)
		write_filter(&j, &m->scheme_filters[i]);
	jw_close(&j, ']');
	jw_member(&j, "snapshots");
	fputc('[', f);
}

struct record_writer *record_writer_open(const char *path,
					 enum record_format fmt,
					 struct diag *diag)
{
	struct record_writer *w;

	switch (fmt) {
	case RECORD_FMT_JSON:
	case RECORD_FMT_JSON_COMPRESSED:
		return record_writer_new(path, fmt == RECORD_FMT_JSON_COMPRESSED,
					 diag);
	case RECORD_FMT_NATIVE:
		w = record_writer_new(path, false, diag);
		w->native = rn_writer_open(path, diag);
		return w;
	default:
		return NULL;
	}
}

int record_writer_set_info(struct record_writer *w,
			   const struct record_info *info)
{
	return w->native ? rn_writer_set_info(w->native, info) : 0;
}

int record_writer_rss(struct record_writer *w, size_t rec, uint64_t time_ns,
		      uint64_t rss_bytes, uint64_t vsz_bytes)
{
	if (!w->native)
		return w->err;
	return rn_writer_rss(w->native, rec, time_ns, rss_bytes, vsz_bytes);
}

int record_writer_flush(struct record_writer *w)
{
	return w->native ? rn_writer_flush(w->native) : w->err;
}

size_t record_writer_add(struct record_writer *w,
			 const struct record_meta *meta)
{
	struct rw_rec *r;
	FILE *f;

	if (w->native)
		return rn_writer_add(w->native, meta);

	xgrow((void **)&w->recs, w->nr_recs, &w->cap_recs, sizeof(*w->recs));
	r = &w->recs[w->nr_recs];
	memset(r, 0, sizeof(*r));
	f = open_memstream(&r->head, &r->head_len);
	if (!f)
		abort();
	write_head(f, meta);
	if (fclose(f))
		abort();
	if (meta->data_source) {
		struct jw j;

		f = open_memstream(&r->tail, &r->tail_len);
		if (!f)
			abort();
		jw_init(&j, f, 2, false);
		jw_str(&j, "data_source", meta->data_source);
		if (fclose(f))
			abort();
	}
	return w->nr_recs++;
}

/*
 * An unlinked temporary file in the directory of the output, so that the
 * snapshots are on the file system the output goes to (not /tmp, which may
 * be memory), and vanish whatever happens to the process.
 */
static int tmp_open(const char *path, FILE **fp)
{
	char *copy = xstrdup(path), *tmpl;
	const char *dir = dirname(copy);
	int fd, err = 0;

	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0 && errno != ENOENT && errno != EACCES) {
		/* a file system without O_TMPFILE */
		tmpl = xasprintf("%s/.damo-record-XXXXXX", dir);
		fd = mkostemp(tmpl, O_CLOEXEC);
		if (fd >= 0)
			unlink(tmpl);
		free(tmpl);
	}
	if (fd < 0)
		err = -errno;
	if (!err) {
		*fp = fdopen(fd, "w+");
		if (!*fp) {
			err = -errno;
			close(fd);
		}
	}
	free(copy);
	return err;
}

static void write_region(struct jw *j, const struct snapshot *s, size_t i)
{
	const struct snap_region *r = &s->regions[i];
	size_t k;

	jw_open(j, NULL, '{');
	jw_u64(j, "start", r->start);
	jw_u64(j, "end", r->end);
	jw_open(j, "nr_accesses", '{');
	write_index(j, "samples", r->nr_accesses);
	jw_raw(j, "percent", "null");
	jw_close(j, '}');
	jw_open(j, "age", '{');
	jw_raw(j, "usec", "null");
	jw_u64s(j, "aggr_intervals", r->age);
	jw_close(j, '}');
	if (s->nr_probes) {
		jw_open(j, "probe_hits", '[');
		for (k = 0; k < s->nr_probes; k++)
			jw_u64(j, NULL, s->probe_hits[i * s->nr_probes + k]);
		jw_close(j, ']');
	}
	jw_u64(j, "sz_filter_passed", r->sz_filter_passed);
	jw_close(j, '}');
}

static void write_stats(struct jw *j, const struct damos_stats *st)
{
	jw_open(j, "damos_stats", '{');
	jw_u64s(j, "nr_tried", st->nr_tried);
	jw_u64s(j, "sz_tried", st->sz_tried);
	jw_u64s(j, "nr_applied", st->nr_applied);
	jw_u64s(j, "sz_applied", st->sz_applied);
	jw_u64s(j, "sz_ops_filter_passed", st->sz_ops_filter_passed);
	jw_u64s(j, "qt_exceeds", st->qt_exceeds);
	jw_u64s(j, "nr_snapshots", st->nr_snapshots);
	jw_close(j, '}');
}

int record_writer_snapshot(struct record_writer *w, size_t rec,
			   const struct snapshot *s)
{
	struct rw_rec *r;
	struct jw j;
	size_t i;

	if (w->native)
		return rn_writer_snapshot(w->native, rec, s);
	r = &w->recs[rec];
	if (w->err)
		return w->err;
	if (!r->snaps) {
		int err = tmp_open(w->path, &r->snaps);

		if (err) {
			fail(w, err, "create a temporary file next to it",
			     w->path);
			return err;
		}
	}
	errno = 0;
	/* top-level list, record, "snapshots" list */
	jw_init(&j, r->snaps, 3, !r->nr_snapshots);
	jw_open(&j, NULL, '{');
	jw_u64s(&j, "start_time", s->start_ns);
	jw_u64s(&j, "end_time", s->end_ns);
	jw_open(&j, "regions", '[');
	for (i = 0; i < s->nr_regions; i++)
		write_region(&j, s, i);
	jw_close(&j, ']');
	jw_u64s(&j, "total_bytes", snapshot_total_bytes(s));
	if (s->has_stats)
		write_stats(&j, &s->stats);
	else
		jw_raw(&j, "damos_stats", "null");
	jw_u64s(&j, "sample_interval_us", s->sample_interval_us);
	jw_close(&j, '}');
	r->nr_snapshots++;
	/* the failing write's errno (ENOSPC on a full disk), not ferror()'s EIO */
	if (fflush(r->snaps) || ferror(r->snaps)) {
		fail(w, errno ? -errno : -EIO,
		     "write a temporary file next to it", w->path);
		return w->err;
	}
	return 0;
}

/* Where the file's bytes go: straight to it, or through deflate. */
struct rw_sink {
	int fd;
	bool compress;
	z_stream zs;
	unsigned char *buf;
};

static int sink_deflate(struct rw_sink *k, const void *p, size_t n,
			int flush)
{
	int ret, err;

	k->zs.next_in = (Bytef *)p;
	k->zs.avail_in = (uInt)n;
	do {
		k->zs.next_out = k->buf;
		k->zs.avail_out = COPY_BUFSZ;
		ret = deflate(&k->zs, flush);
		if (ret == Z_STREAM_ERROR || ret == Z_BUF_ERROR)
			return -EIO;
		err = safefile_write_all(k->fd, k->buf,
					 COPY_BUFSZ - k->zs.avail_out);
		if (err)
			return err;
	} while (k->zs.avail_out == 0 ||
		 (flush == Z_FINISH && ret != Z_STREAM_END));
	return 0;
}

/* @n is at most COPY_BUFSZ or a record head: far below 4 GiB. */
static int sink_write(struct rw_sink *k, const void *p, size_t n)
{
	if (k->compress)
		return sink_deflate(k, p, n, Z_NO_FLUSH);
	return safefile_write_all(k->fd, p, n);
}

static int sink_puts(struct rw_sink *k, const char *s)
{
	return sink_write(k, s, strlen(s));
}

/* The snapshots of @r from its temporary file. */
static int copy_snapshots(struct rw_sink *k, struct rw_rec *r)
{
	size_t n;
	int err = 0;

	if (!r->snaps)
		return 0;
	if (fflush(r->snaps) || fseek(r->snaps, 0, SEEK_SET))
		return -errno;
	errno = 0;
	while (!err && (n = fread(k->buf + COPY_BUFSZ, 1, COPY_BUFSZ,
				  r->snaps)))
		err = sink_write(k, k->buf + COPY_BUFSZ, n);
	if (!err && ferror(r->snaps))
		err = errno ? -errno : -EIO;
	return err;
}

static int write_all(struct record_writer *w, struct rw_sink *k)
{
	size_t i;
	int err;

	err = sink_puts(k, "[");
	for (i = 0; !err && i < w->nr_recs; i++) {
		struct rw_rec *r = &w->recs[i];

		err = sink_puts(k, i ? ",\n    " : "\n    ");
		if (!err)
			err = sink_write(k, r->head, r->head_len);
		if (!err)
			err = copy_snapshots(k, r);
		if (!err)
			err = sink_puts(k, r->nr_snapshots ? "\n        ]" :
							     "]");
		if (!err && r->tail)
			err = sink_write(k, r->tail, r->tail_len);
		if (!err)
			err = sink_puts(k, "\n    }");
	}
	if (!err)
		err = sink_puts(k, w->nr_recs ? "\n]" : "]");
	if (!err && k->compress)
		err = sink_deflate(k, NULL, 0, Z_FINISH);
	return err;
}

/*
 * The whole file into a new temporary file next to PATH (made by
 * core/safefile.c: never a name someone planted), then put in place, an
 * existing PATH renamed PATH.old.
 */
static int write_file(struct record_writer *w)
{
	struct rw_sink k = { .compress = w->compress };
	struct safefile sf;
	int err;

	err = safefile_open(&sf, w->path, 0600);
	/* the bits asked for, umask or not, on the file and not its name */
	if (!err && w->mode_set && fchmod(sf.fd, (mode_t)w->mode)) {
		err = -errno;
		safefile_discard(&sf);
	}
	if (err) {
		fail(w, err, "create a temporary file next to it", w->path);
		return err;
	}
	k.fd = sf.fd;
	k.buf = xmalloc(2 * COPY_BUFSZ);
	/* Python's zlib.compress(): level 6, a zlib header 78 9c */
	if (k.compress && deflateInit(&k.zs, Z_DEFAULT_COMPRESSION) != Z_OK)
		abort();
	err = write_all(w, &k);
	if (k.compress)
		deflateEnd(&k.zs);
	free(k.buf);
	if (err) {
		safefile_discard(&sf);
		fail(w, err, "write", w->path);
		return err;
	}
	err = safefile_commit(&sf, SAFEFILE_KEEP_OLD);
	if (err)
		fail(w, err, "put it in place", w->path);
	return err;
}

int record_writer_set_permission(struct record_writer *w, unsigned int mode)
{
	if (w->native)
		return rn_writer_set_permission(w->native, mode);
	w->mode_set = true;
	w->mode = mode & 07777;
	return w->err;
}

int record_writer_finish(struct record_writer *w)
{
	struct stat st;

	if (w->native)
		return rn_writer_finish(w->native);
	if (w->err)
		return w->err;
	if (!stat(w->path, &st) && S_ISDIR(st.st_mode)) {
		fail(w, -EISDIR, "write a record there", w->path);
		return w->err;
	}
	return write_file(w);
}

void record_writer_free(struct record_writer *w)
{
	size_t i;

	if (!w)
		return;
	rn_writer_free(w->native);
	for (i = 0; i < w->nr_recs; i++) {
		if (w->recs[i].snaps)
			fclose(w->recs[i].snaps);
		free(w->recs[i].head);
		free(w->recs[i].tail);
	}
	free(w->recs);
	free(w->path);
	free(w);
}

uint64_t record_writer_bytes(const struct record_writer *w)
{
	return w && w->native ? rn_writer_bytes(w->native) : 0;
}
