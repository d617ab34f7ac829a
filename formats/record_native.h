/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of the native record format (docs/record-format.md), shared
 * by its writer and its reader: the layout's constants, the byte buffer
 * the writer encodes into and the varint and fixed-width codecs.
 */
#ifndef DAMO_FORMATS_RECORD_NATIVE_H
#define DAMO_FORMATS_RECORD_NATIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct diag;
struct record_info;
struct record_meta;
struct snapshot;

#define RN_MAGIC "\x89" "DMR\r\n\x1a\n"	/* 8 bytes */
#define RN_MAGIC_LEN 8
#define RN_VERSION 1
#define RN_FILE_HDR_LEN 16	/* magic, version, flags, body length */
#define RN_MAX_HDR_BODY (16u << 20)

#define RN_CHUNK_MAGIC "DCHK"
#define RN_CHUNK_HDR_LEN 24
#define RN_CHUNK_DATA 1
#define RN_CHUNK_INDEX 2
#define RN_CHUNK_ZLIB 0x01	/* chunk flag: payload is raw deflate */
#define RN_MAX_RAW (256u << 20)	/* largest raw payload accepted */

#define RN_TRAILER_MAGIC "DMRINDEX"
#define RN_TRAILER_LEN 32

/* Item types of a data chunk. */
#define RN_ITEM_NONE 0			/* (no item has it) */
#define RN_ITEM_RECORD 1
#define RN_ITEM_SNAPSHOT 2
#define RN_ITEM_RSS 3

/* RECORD item flags */
#define RN_REC_STAT 0x01		/* kdamond_is_stat */
#define RN_REC_INTERVALS 0x02
#define RN_REC_SOURCE 0x04		/* data_source present */

/* SNAPSHOT item flags */
#define RN_SNAP_STATS 0x01
#define RN_SNAP_FILTER_PASSED 0x02
#define RN_SNAP_TOTAL 0x04
#define RN_SNAP_SAMPLE_IV 0x08

/* damos filter flags */
#define RN_FLT_MATCHING 0x01
#define RN_FLT_ALLOW 0x02
#define RN_FLT_HUGEPAGE 0x04
#define RN_FLT_MEMCG 0x08

/* A growable byte buffer the writer encodes into. */
struct rn_buf {
	unsigned char *p;
	size_t len;
	size_t cap;
};

void rn_buf_reserve(struct rn_buf *b, size_t more);
void rn_buf_release(struct rn_buf *b);

static inline void rn_put_u8(struct rn_buf *b, unsigned int v)
{
	rn_buf_reserve(b, 1);
	b->p[b->len++] = (unsigned char)v;
}

/* LEB128: 7 bits a byte, lowest first, high bit set on all but the last. */
static inline void rn_put_varint(struct rn_buf *b, uint64_t v)
{
	unsigned char *p;

	rn_buf_reserve(b, 10);
	p = b->p + b->len;
	while (v >= 0x80) {
		*p++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	b->len = (size_t)(p - b->p);
}

/* An optional number: v + 1 modulo 2^64, so SNAP_NONE is the byte 0. */
static inline void rn_put_opt(struct rn_buf *b, uint64_t v)
{
	rn_put_varint(b, v + 1);
}

/* A signed difference, zigzag-mapped so small magnitudes stay short. */
static inline void rn_put_zigzag(struct rn_buf *b, uint64_t diff)
{
	int64_t s = (int64_t)diff;

	rn_put_varint(b, ((uint64_t)s << 1) ^ (uint64_t)(s >> 63));
}

static inline uint64_t rn_unzigzag(uint64_t z)
{
	return (z >> 1) ^ (uint64_t)-(int64_t)(z & 1);
}

void rn_put_bytes(struct rn_buf *b, const void *p, size_t n);
/* A string: its length as a varint, then its bytes (no NUL). */
void rn_put_str(struct rn_buf *b, const char *s);
void rn_put_le32(unsigned char *p, uint32_t v);
void rn_put_le64(unsigned char *p, uint64_t v);
uint32_t rn_le32(const unsigned char *p);
uint64_t rn_le64(const unsigned char *p);

/*
 * A bounded reader over a decoded payload.  Every getter returns false
 * (and sets @bad) when the bytes run out or a varint is longer than 10
 * bytes; what it produced is then not to be used.
 */
struct rn_in {
	const unsigned char *p;
	const unsigned char *end;
	bool bad;
};

bool rn_get_varint_slow(struct rn_in *in, uint64_t *v);

static inline bool rn_get_varint(struct rn_in *in, uint64_t *v)
{
	const unsigned char *p = in->p;
	uint64_t r;
	unsigned int shift;

	if (in->end - p >= 10) {
		r = *p & 0x7f;
		if (!(*p++ & 0x80)) {
			in->p = p;
			*v = r;
			return true;
		}
		for (shift = 7; shift < 70; shift += 7) {
			r |= (uint64_t)(*p & 0x7f) << shift;
			if (!(*p++ & 0x80)) {
				in->p = p;
				*v = r;
				return true;
			}
		}
		in->bad = true;
		return false;
	}
	return rn_get_varint_slow(in, v);
}

static inline bool rn_get_opt(struct rn_in *in, uint64_t *v)
{
	if (!rn_get_varint(in, v))
		return false;
	*v -= 1;
	return true;
}

bool rn_get_u8(struct rn_in *in, unsigned int *v);
/* A string, copied and NUL-terminated into *@s (owned by the caller). */
bool rn_get_str(struct rn_in *in, char **s);

/* Items shared by both sides. */
void rn_encode_meta(struct rn_buf *b, const struct record_meta *m);
/* Decode a RECORD item's body after its id into @m (record_meta_init()ed). */
bool rn_decode_meta(struct rn_in *in, struct record_meta *m);
void rn_encode_snapshot(struct rn_buf *b, const struct snapshot *s);
/* Decode a SNAPSHOT item's body after its record id into @s (cleared). */
bool rn_decode_snapshot(struct rn_in *in, struct snapshot *s);

/* The native writer behind record_writer_open(path, RECORD_FMT_NATIVE). */
struct rn_writer;

struct rn_writer *rn_writer_open(const char *path, struct diag *diag);
int rn_writer_set_info(struct rn_writer *w, const struct record_info *info);
size_t rn_writer_add(struct rn_writer *w, const struct record_meta *meta);
int rn_writer_snapshot(struct rn_writer *w, size_t rec,
		       const struct snapshot *s);
int rn_writer_rss(struct rn_writer *w, size_t rec, uint64_t time_ns,
		  uint64_t rss_bytes, uint64_t vsz_bytes);
int rn_writer_flush(struct rn_writer *w);
/* Bytes written to the file so far. */
uint64_t rn_writer_bytes(const struct rn_writer *w);
int rn_writer_finish(struct rn_writer *w);
/* Set the file's permission bits (fchmod: never a name's). 0 or -errno. */
int rn_writer_set_permission(struct rn_writer *w, unsigned int mode);
void rn_writer_free(struct rn_writer *w);

#endif /* DAMO_FORMATS_RECORD_NATIVE_H */
