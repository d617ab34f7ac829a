/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The embedded daemon's wire format (cmd/embedded.h): compact JSON lines.
 * A status carries the running model as a raw kdamonds document in the
 * string "config" (formats/config.h reads it back exactly) and the runtime
 * state beside it; a snapshot is {"snapshot": {"target", "start_ns",
 * "end_ns", "sample_us", "regions": [[start, end, nr_accesses, age]...]}}.
 */
#ifndef DAMO_CMD_EMBEDDED_WIRE_H
#define DAMO_CMD_EMBEDDED_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/damon.h"
#include "core/monitor_regions.h"

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
	const struct kdamond *kdamond;	/* with runtime state */
};

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

#endif /* DAMO_CMD_EMBEDDED_WIRE_H */
