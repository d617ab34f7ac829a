/* SPDX-License-Identifier: GPL-2.0 */
/* A buffered byte source over a record file, inflating zlib as it reads. */
#include "formats/record_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libdeflate.h>

#include "core/xalloc.h"

static int src_fail(struct rsrc *s, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int src_fail(struct rsrc *s, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->errmsg, sizeof(s->errmsg), fmt, ap);
	va_end(ap);
	s->err = err;
	return err;
}

int rsrc_open(struct rsrc *s, const char *path)
{
	struct stat st;
	int err = 0;

	memset(s, 0, sizeof(*s));
	s->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (s->fd < 0)
		return -errno;
	if (fstat(s->fd, &st) < 0)
		err = -errno;
	else if (!S_ISREG(st.st_mode))
		err = -EINVAL;	/* passes over it need a known size */
	if (err) {
		close(s->fd);
		s->fd = -1;
		return err;
	}
	s->size = (uint64_t)st.st_size;
	s->buf = xmalloc(RSRC_BUFSZ);
	return 0;
}

void rsrc_set_inflate(struct rsrc *s, bool inflate)
{
	s->inflate = inflate;
	if (inflate && !s->in)
		s->in = xmalloc(RSRC_BUFSZ);
}

void rsrc_close(struct rsrc *s)
{
	if (s->z_live)
		inflateEnd(&s->zs);
	if (s->fd >= 0)
		close(s->fd);
	free(s->in);
	free(s->buf);
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}

/* Read up to @n file bytes at raw_off; 0 at the end (or if it shrank). */
static ssize_t raw_read(struct rsrc *s, unsigned char *dst, size_t n)
{
	ssize_t got;

	if (s->raw_off >= s->size)
		return 0;
	if (n > s->size - s->raw_off)
		n = (size_t)(s->size - s->raw_off);
	do {
		got = pread(s->fd, dst, n, (off_t)s->raw_off);
	} while (got < 0 && errno == EINTR);
	if (got < 0)
		return src_fail(s, -errno, "cannot read: %s", strerror(errno));
	if (!got)
		s->size = s->raw_off;
	s->raw_off += (uint64_t)got;
	return got;
}

static int fill_plain(struct rsrc *s)
{
	ssize_t got = raw_read(s, s->buf, RSRC_BUFSZ);

	if (got < 0)
		return (int)got;
	s->len = (size_t)got;
	return got > 0;
}

/*
 * The stream's 4-byte Adler-32 after its deflate data, checked against
 * what was inflated.  zlib would check it itself, but its adler32 costs
 * more than the inflating: the stream is inflated raw (its 2-byte header
 * was checked when the file was sniffed) and libdeflate sums it.
 * Return: 0, -errno (reported), or 1 when the file ends inside it, which
 * is reported after the last inflated bytes are handed out, as zlib does.
 */
static int check_trailer(struct rsrc *s)
{
	uint32_t want = 0;
	int i;

	for (i = 0; i < 4; i++) {
		if (s->in_pos == s->in_len) {
			ssize_t got = raw_read(s, s->in, RSRC_BUFSZ);

			if (got < 0)
				return (int)got;
			if (!got)
				return 1;
			s->in_pos = 0;
			s->in_len = (size_t)got;
		}
		want = want << 8 | s->in[s->in_pos++];
	}
	if (want != s->adler)
		return src_fail(s, -EINVAL,
				"corrupt compressed data at byte %llu (incorrect data check)",
				(unsigned long long)(s->raw_off -
						     (s->in_len - s->in_pos)));
	return 0;
}

static int fill_inflate(struct rsrc *s)
{
	int ret;

	if (!s->z_live) {
		memset(&s->zs, 0, sizeof(s->zs));
		if (inflateInit2(&s->zs, -15) != Z_OK)
			return src_fail(s, -ENOMEM, "cannot start zlib");
		s->z_live = true;
		s->adler = 1;
		s->z_head = 2;
	}
	while (!s->z_end) {
		if (s->in_pos == s->in_len) {
			ssize_t got = raw_read(s, s->in, RSRC_BUFSZ);

			if (got < 0)
				return (int)got;
			s->in_pos = 0;
			s->in_len = (size_t)got;
		}
		while (s->z_head && s->in_pos < s->in_len) {
			s->in_pos++;	/* the zlib header, checked at sniffing */
			s->z_head--;
		}
		s->zs.next_in = s->in + s->in_pos;
		s->zs.avail_in = (uInt)(s->in_len - s->in_pos);
		s->zs.next_out = s->buf;
		s->zs.avail_out = RSRC_BUFSZ;
		ret = inflate(&s->zs, Z_NO_FLUSH);
		s->in_pos = s->in_len - s->zs.avail_in;
		s->len = RSRC_BUFSZ - s->zs.avail_out;
		s->adler = (uint32_t)libdeflate_adler32(s->adler, s->buf, s->len);
		if (ret == Z_STREAM_END) {
			s->z_end = true;	/* trailing bytes are ignored */
			ret = check_trailer(s);
			if (ret < 0)
				return ret;
			s->z_cut = ret;
		} else if (ret != Z_OK && ret != Z_BUF_ERROR) {
			return src_fail(s, -EINVAL,
					"corrupt compressed data at byte %llu (%s)",
					(unsigned long long)(s->raw_off -
							     s->zs.avail_in),
					s->zs.msg ? s->zs.msg : "zlib error");
		}
		if (s->len)
			return 1;
		if (!s->z_end && s->in_pos == s->in_len &&
		    s->raw_off >= s->size)
			return src_fail(s, -EINVAL,
					"compressed data ends early (truncated file?)");
	}
	if (s->z_cut)
		return src_fail(s, -EINVAL,
				"compressed data ends early (truncated file?)");
	return 0;
}

int rsrc_fill(struct rsrc *s)
{
	if (s->err)
		return s->err;
	if (s->pos < s->len)
		return 1;
	s->base += s->len;
	s->pos = 0;
	s->len = 0;
	return s->inflate ? fill_inflate(s) : fill_plain(s);
}

int rsrc_rewind(struct rsrc *s)
{
	if (s->z_live && inflateReset(&s->zs) != Z_OK)
		return src_fail(s, -EINVAL, "cannot restart zlib");
	s->z_end = false;
	s->z_cut = false;
	s->adler = 1;
	s->z_head = 2;
	s->raw_off = 0;
	s->in_pos = 0;
	s->in_len = 0;
	s->pos = 0;
	s->len = 0;
	s->base = 0;
	s->err = 0;
	return 0;
}

size_t rsrc_read(struct rsrc *s, void *dst, size_t n)
{
	unsigned char *d = dst;
	size_t done = 0, k;

	while (done < n && rsrc_fill(s) > 0) {
		k = s->len - s->pos;
		if (k > n - done)
			k = n - done;
		memcpy(d + done, s->buf + s->pos, k);
		s->pos += k;
		done += k;
	}
	return done;
}

uint64_t rsrc_skip(struct rsrc *s, uint64_t n)
{
	uint64_t done = 0, k;

	if (!s->inflate && n > s->len - s->pos && !s->err) {
		/* Seek: nothing between here and there needs reading. */
		uint64_t at = rsrc_tell(s), to = at + n;

		if (to > s->size || to < at)
			to = s->size;
		s->base = to;
		s->pos = 0;
		s->len = 0;
		s->raw_off = to;
		return to - at;
	}
	while (done < n && rsrc_fill(s) > 0) {
		k = s->len - s->pos;
		if (k > n - done)
			k = n - done;
		s->pos += (size_t)k;
		done += k;
	}
	return done;
}

void rsrc_mark(const struct rsrc *s, struct rsrc_mark *m)
{
	memset(m, 0, sizeof(*m));
	m->saved = *s;
	if (!s->inflate)
		return;
	m->in = xmalloc(RSRC_BUFSZ);
	m->buf = xmalloc(RSRC_BUFSZ);
	memcpy(m->in, s->in, s->in_len);
	memcpy(m->buf, s->buf, s->len);
	if (s->z_live) {
		/* inflateCopy() takes a non-const source but only reads it. */
		if (inflateCopy(&m->zs, (z_streamp)&s->zs) != Z_OK)
			abort();
		m->z_live = true;
	}
}

void rsrc_reset(struct rsrc *s, struct rsrc_mark *m)
{
	const struct rsrc *v = &m->saved;

	if (!s->inflate) {
		s->base = v->base + v->pos;
		s->pos = 0;
		s->len = 0;
		s->raw_off = s->base;
		s->err = v->err;
		rsrc_mark_release(m);
		return;
	}
	if (s->z_live)
		inflateEnd(&s->zs);
	s->z_live = false;
	if (m->z_live) {
		if (inflateCopy(&s->zs, &m->zs) != Z_OK)
			abort();
		s->z_live = true;
	}
	memcpy(s->in, m->in, v->in_len);
	memcpy(s->buf, m->buf, v->len);
	s->z_end = v->z_end;
	s->z_cut = v->z_cut;
	s->adler = v->adler;
	s->z_head = v->z_head;
	s->raw_off = v->raw_off;
	s->size = v->size;
	s->in_pos = v->in_pos;
	s->in_len = v->in_len;
	s->pos = v->pos;
	s->len = v->len;
	s->base = v->base;
	s->err = v->err;
	rsrc_mark_release(m);
}

void rsrc_mark_release(struct rsrc_mark *m)
{
	if (m->z_live)
		inflateEnd(&m->zs);
	free(m->in);
	free(m->buf);
	memset(m, 0, sizeof(*m));
}

void record_progress(const struct record_reader *rd, uint64_t *done,
		     uint64_t *total)
{
	*total = rd->src.size;
	*done = rd->src.raw_off < rd->src.size ? rd->src.raw_off :
						 rd->src.size;
}
