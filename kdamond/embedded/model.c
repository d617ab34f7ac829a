/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the embedded daemon reports: the model as it runs, with the
 * regions each scheme tried in its last complete apply interval.
 */
#include "kdamond/embedded/daemon.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/safefile.h"
#include "core/xalloc.h"
#include "kdamond/embedded/wire.h"

/* ---- the tried-regions walk, always running like the synthetic record ---- */

static void on_tried(void *data, size_t si, size_t ti,
		     const struct mon_region *r, uint64_t sz_filter_passed)
{
	struct emb_daemon *dm = data;
	struct damos_tried_region *t;

	(void)ti;
	if (dm->nr_tried_next[si] == dm->cap_tried_next[si]) {
		dm->cap_tried_next[si] = dm->cap_tried_next[si] ?
					 dm->cap_tried_next[si] * 2 : 64;
		dm->tried_next[si] = xreallocarray(dm->tried_next[si],
						   dm->cap_tried_next[si],
						   sizeof(*t));
	}
	t = &dm->tried_next[si][dm->nr_tried_next[si]++];
	t->start = r->start;
	t->end = r->end;
	t->nr_accesses = r->nr_accesses_bp / 10000;
	t->age = r->age;
	t->sz_filter_passed = sz_filter_passed;
}

static void on_walk_done(void *data, bool canceled)
{
	struct emb_daemon *dm = data;
	size_t si, i;

	for (si = 0; si < dm->mon.damos.nr_schemes; si++) {
		if (!canceled) {
			struct damos_tried_region *tmp = dm->tried[si];
			size_t cap = dm->cap_tried[si];

			/* swap the buffers: the next walk reuses the old */
			dm->tried[si] = dm->tried_next[si];
			dm->cap_tried[si] = dm->cap_tried_next[si];
			dm->nr_tried[si] = dm->nr_tried_next[si];
			dm->tried_next[si] = tmp;
			dm->cap_tried_next[si] = cap;
			dm->tried_bytes[si] = 0;
			for (i = 0; i < dm->nr_tried[si]; i++)
				dm->tried_bytes[si] += dm->tried[si][i].end -
						       dm->tried[si][i].start;
		}
		dm->nr_tried_next[si] = 0;
	}
}

void emb_tried_alloc(struct emb_daemon *dm, size_t n)
{
	n = n ? n : 1;
	dm->tried = xcalloc(n, sizeof(*dm->tried));
	dm->tried_next = xcalloc(n, sizeof(*dm->tried_next));
	dm->nr_tried = xcalloc(n, sizeof(*dm->nr_tried));
	dm->nr_tried_next = xcalloc(n, sizeof(*dm->nr_tried_next));
	dm->cap_tried = xcalloc(n, sizeof(*dm->cap_tried));
	dm->cap_tried_next = xcalloc(n, sizeof(*dm->cap_tried_next));
	dm->tried_bytes = xcalloc(n, sizeof(*dm->tried_bytes));
}

void emb_tried_free(struct emb_daemon *dm, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(dm->tried[i]);
		free(dm->tried_next[i]);
	}
	free(dm->tried);
	free(dm->tried_next);
	free(dm->nr_tried);
	free(dm->nr_tried_next);
	free(dm->cap_tried);
	free(dm->cap_tried_next);
	free(dm->tried_bytes);
}

/* ---- status ---- */

/* The model as it runs now: config, tuned intervals and runtime state. */
static void current_model(struct emb_daemon *dm, struct damon_config *out)
{
	struct damon_ctx *c;
	size_t i, j;

	damon_config_init(out);
	damon_config_copy(out, &dm->cfg);
	out->kdamonds[0].on = dm->mon_ready && !dm->mon.stopped &&
			      !dm->exit_reason;
	out->kdamonds[0].has_pid = true;
	out->kdamonds[0].pid = getpid();
	c = &out->kdamonds[0].ctxs[0];
	if (!dm->mon_ready)
		return;
	c->intervals.sample_us = dm->mon.attrs.sample_us;
	c->intervals.aggr_us = dm->mon.attrs.aggr_us;
	for (i = 0; i < c->nr_schemes && i < dm->mon.damos.nr_schemes; i++) {
		struct damos *s = &c->schemes[i];
		const struct damos_scheme_state *st = &dm->mon.damos.schemes[i];

		s->stats = st->stats;
		/* the pattern as the kernel holds it: samples, aggregations */
		s->pattern.nr_accesses_unit = DAMOS_NR_ACCESSES_SAMPLES;
		s->pattern.min_nr_accesses = st->min_nr;
		s->pattern.max_nr_accesses = st->max_nr;
		s->pattern.age_unit = DAMOS_AGE_AGGR_INTERVALS;
		s->pattern.min_age = st->min_age;
		s->pattern.max_age = st->max_age;
		s->quota.effective_sz_bytes = st->quota.esz;
		for (j = 0; j < s->quota.nr_goals; j++)
			s->quota.goals[j].current_value =
				st->goals[j].current_value;
		s->tried_bytes = dm->tried_bytes[i];
		s->nr_tried = dm->nr_tried[i];
		s->tried = NULL;
		if (s->nr_tried) {
			s->tried = xcalloc(s->nr_tried, sizeof(*s->tried));
			memcpy(s->tried, dm->tried[i],
			       s->nr_tried * sizeof(*s->tried));
		}
	}
}

void emb_pace_note(struct emb_daemon *dm, const struct monitor *mon)
{
	struct emb_pace *p = &dm->pace;
	uint64_t now = mon_clock_now_ns(&dm->real);

	p->dur_ns[p->next] = now > mon->aggr_start_ns ?
			     now - mon->aggr_start_ns : 0;
	p->samples[p->next] = mon->psi - p->last_psi;
	p->want_ns[p->next] = p->samples[p->next] * mon->attrs.sample_us *
			      1000;
	p->last_psi = mon->psi;
	p->next = (p->next + 1) % EMB_PACE_N;
	if (p->nr < EMB_PACE_N)
		p->nr++;
}

void emb_pace_reset(struct emb_daemon *dm)
{
	uint64_t psi = dm->mon.psi;

	memset(&dm->pace, 0, sizeof(dm->pace));
	dm->pace.last_psi = psi;
}

/* The intervals achieved over the noted aggregations, if any. */
static void pace_achieved(const struct emb_daemon *dm,
			  struct emb_wire_status *ws)
{
	const struct emb_pace *p = &dm->pace;
	uint64_t dur = 0, want = 0, samples = 0;
	size_t i;

	for (i = 0; i < p->nr; i++) {
		dur += p->dur_ns[i];
		want += p->want_ns[i];
		samples += p->samples[i];
	}
	if (!p->nr || !samples)
		return;
	ws->achieved_aggrs = p->nr;
	ws->behind = dur * 100 >= want * EMB_PACE_BEHIND_PCT;
	ws->achieved_aggr_us = dur / p->nr / 1000;
	ws->achieved_sample_us = dur / samples / 1000;
}

char *emb_status_answer(struct emb_daemon *dm)
{
	struct damon_config m;
	struct emb_wire_status ws = {
		.id = dm->id,
		.pid = getpid(),
		.source = dm->type->name,
		.sees = dm->type->sees,
		.exit_reason = dm->exit_reason,
		.started = dm->started,
		.command_pid = dm->command_pid,
		.nr_regions = dm->mon_ready ? monitor_nr_regions(&dm->mon) : 0,
	};
	char *text;

	if (dm->mon_ready)
		pace_achieved(dm, &ws);
	current_model(dm, &m);
	ws.kdamond = &m.kdamonds[0];
	text = emb_wire_status_emit(&ws);
	damon_config_release(&m);
	return text;
}

void emb_write_status_file(struct emb_daemon *dm)
{
	char *text = emb_status_answer(dm);
	struct safefile sf;

	/* a new file next to eN.status, renamed over it: never half written */
	if (!safefile_open(&sf, dm->status_path, 0600)) {
		if (safefile_write_all(sf.fd, text, strlen(text)))
			safefile_discard(&sf);
		else
			safefile_commit(&sf, 0);
	}
	free(text);
}

void emb_walk_setup(struct emb_daemon *dm)
{
	dm->walk.data = dm;
	dm->walk.region = on_tried;
	dm->walk.done = on_walk_done;
}
