/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The embedded daemon's wire format (kdamond/embedded/embedded.h): compact JSON lines.
 * The configuration travels as a raw kdamonds document, a JSON object
 * (formats/config.h reads it back exactly): a tune request carries the
 * new one in "config", a status the running one, with the runtime state
 * beside it in "runtime"; a snapshot is {"snapshot": {"target", "start_ns",
 * "end_ns", "sample_us", "regions": [[start, end, nr_accesses, age]...]}}.
 */
#ifndef DAMO_KDAMOND_EMBEDDED_WIRE_H
#define DAMO_KDAMOND_EMBEDDED_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/damon.h"
#include "core/monitor_regions.h"
#include "formats/config.h"

struct diag;
struct embedded_info;
struct snapshot;

struct emb_wire_status {
	unsigned long id;
	long pid;
	const char *source;
	const char *sees;
	const char *exit_reason;	/* NULL while it runs */
	uint64_t started;
	long command_pid;		/* -1: none */
	uint64_t nr_regions;
	/* the intervals kept over the last achieved_aggrs aggregations */
	uint64_t achieved_aggrs;	/* 0: none measured yet */
	uint64_t achieved_sample_us, achieved_aggr_us;
	bool behind;			/* they are longer than asked */
	const struct kdamond *kdamond;	/* with runtime state */
};

/* @cfg as a raw kdamonds document (a JSON object), owned by the caller. */
struct doc_node *emb_wire_config_node(const struct damon_config *cfg);
/*
 * emb_wire_config_read() - a configuration object @n (as made above) into
 * @cf; @name names it in errors.  Return: 0 or -EINVAL, with why in @d.
 */
int emb_wire_config_read(const struct doc_node *n, const char *name,
			 bool validate, struct config_file *cf, struct diag *d);

/* A status answer line (no newline); owned by the caller. */
char *emb_wire_status_emit(const struct emb_wire_status *ws);
/*
 * emb_wire_status_parse() - read a status answer into @k (initialised by
 * the caller) and @info.  @name names the source in errors.
 * Return: 0 or -EINVAL with the problem in @d.
 */
int emb_wire_status_parse(const char *text, const char *name,
			  struct kdamond *k, struct embedded_info *info,
			  struct diag *d);

/* {"ok": false, "errors": [{"message", "hint"?}...]} of @d's entries. */
char *emb_wire_error_emit(const struct diag *d);
/*
 * emb_wire_answer_check() - whether answer @text says ok; if not, its
 * errors are added to @d (entries with path "hint" stay hints).
 * Return: 0, or -EINVAL.
 */
int emb_wire_answer_check(const char *text, struct diag *d);

/* Write a snapshot line into *@buf (grown as needed). */
void emb_wire_snapshot_emit(char **buf, size_t *cap, size_t ti,
			    uint64_t start_ns, uint64_t end_ns,
			    uint64_t sample_us, const struct mon_region *r,
			    size_t nr);
/*
 * emb_wire_snapshot_parse() - read a snapshot line into @s (cleared
 * first) and its target index into *@ti.  Return 0, or -EINVAL.
 */
int emb_wire_snapshot_parse(const char *line, size_t *ti,
			    struct snapshot *s);

/* Remove the layout of doc_emit()'s JSON: one line, no indentation. */
void emb_wire_compact(char *json);

#endif /* DAMO_KDAMOND_EMBEDDED_WIRE_H */
