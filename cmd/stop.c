/* SPDX-License-Identifier: GPL-2.0 */
/* damo stop: turn off kdamonds damo started, and remove what it created. */
#include "cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kdamond/embedded/embedded.h"
#include "cmd/kernel.h"
#include "core/out.h"

#define OFF_TIMEOUT_MS 10000

struct stop_args {
	struct damo_ctx *ctx;
	bool all;
	bool force;
	bool has_idx;
	unsigned long idx;
	bool has_eid;		/* an embedded monitor, eN */
	unsigned long eid;
};

enum {
	OPT_ALL = 0x400,
	OPT_FORCE,
};

static const struct argp_option stop_options[] = {
	{ "all", OPT_ALL, NULL, 0, "Stop every kdamond damo started", 0 },
	{ "force", OPT_FORCE, NULL, 0,
	  "Also stop the named kdamond if damo did not start it", 0 },
	{ 0 }
};

static const struct argp_child stop_children[] = {
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static error_t stop_parse(int key, char *arg, struct argp_state *state)
{
	struct stop_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, stop_children, a->ctx);
		return 0;
	case OPT_ALL:
		a->all = true;
		return 0;
	case OPT_FORCE:
		a->force = true;
		return 0;
	case ARGP_KEY_ARG:
		embedded_id_arg(state, arg, &a->has_idx, &a->idx, &a->has_eid,
				&a->eid);
		return 0;
	case ARGP_KEY_END:
		if (a->all && (a->has_idx || a->has_eid))
			argp_error(state, "give a kdamond id or --all, not both");
		if (a->force && !a->has_idx)
			argp_error(state, "--force needs the id of the kdamond to stop");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp stop_argp = {
	.options = stop_options,
	.parser = stop_parse,
	.args_doc = "[ID | --all]",
	.doc = "Stop kdamonds and embedded monitors that damo started.\v"
	       "Without an id, stops damo's only kdamond or embedded monitor "
	       "(or every one with --all).  Stopping an embedded monitor (eN) "
	       "ends its daemon; one that already ended (its target exited) "
	       "is removed with its last status.  A kdamond damo did not start is left alone unless it "
	       "is named with its id and --force.  When no kdamond is left "
	       "running, the kdamond directories damo created are removed.\n\n"
	       "Examples:\n"
	       "  damo stop\n"
	       "  damo stop 1\n"
	       "  damo stop e0\n"
	       "  damo stop --all --json",
	.children = stop_children,
};

/* Which kdamonds to stop: damo's own, or the one named. */
static int pick(struct stop_args *a, struct kernel_run *kr,
		struct owner_reg *reg, unsigned long *ids, size_t *nr, long n,
		size_t nr_emb)
{
	long i;

	*nr = 0;
	if (a->has_idx) {
		if ((long)a->idx >= n) {
			diag_add(&kr->diag, "", "there is no kdamond %lu (%ld exist)",
				 a->idx, n);
			return -ENOENT;
		}
		if (!a->force && !owner_owns(reg, kr->io.root, a->idx,
					     kdamond_pid(&kr->io, a->idx))) {
			diag_add(&kr->diag, "", "kdamond %lu was not started by damo",
				 a->idx);
			diag_add(&kr->diag, "hint", "add --force to stop it anyway");
			return -EPERM;
		}
		ids[(*nr)++] = a->idx;
		return 0;
	}
	for (i = 0; i < n; i++)
		if (owner_owns(reg, kr->io.root, (unsigned long)i,
			       kdamond_pid(&kr->io, (unsigned long)i)))
			ids[(*nr)++] = (unsigned long)i;
	if (!*nr && !nr_emb) {
		diag_add(&kr->diag, "", "no kdamond started by damo is there to stop");
		return -ENOENT;
	}
	if (*nr + nr_emb > 1 && !a->all) {
		diag_add(&kr->diag, "", "damo started %zu kdamonds and embedded monitors; name one or give --all",
			 *nr + nr_emb);
		return -CMD_EUSAGE;
	}
	return 0;
}

/* With nothing running and everything damo's, remove the directories. */
static void cleanup(struct kernel_run *kr, struct owner_reg *reg, long n)
{
	long i;

	for (i = 0; i < n; i++)
		if (kdamond_is_on(&kr->io, (unsigned long)i) ||
		    !owner_find(reg, kr->io.root, (unsigned long)i))
			return;
	if (n && !kdamond_set_nr(&kr->io, 0))
		for (i = 0; i < n; i++)
			owner_remove(reg, kr->io.root, (unsigned long)i);
}

static int do_stop(struct stop_args *a, struct kernel_run *kr, bool kernel,
		   const unsigned long *eids, size_t nr_emb)
{
	struct out *o = cmd_out(kr->ctx);
	unsigned long ids[256];
	struct owner_reg reg;
	size_t nr = 0, i;
	long n = kernel ? kdamond_nr(&kr->io) : 0;
	int err;

	if (n < 0)
		return (int)n;
	if (!kernel && !nr_emb) {
		diag_add(&kr->diag, "", "nothing damo started is there to stop");
		return -ENOENT;
	}
	if (!kernel && nr_emb > 1 && !a->all) {
		diag_add(&kr->diag, "", "damo started %zu embedded monitors; name one or give --all",
			 nr_emb);
		return -CMD_EUSAGE;
	}
	if (n > 256)
		n = 256;
	err = owner_open(kr->rundir, &reg, &kr->diag);
	if (err)
		return err;
	if (kernel)
		err = pick(a, kr, &reg, ids, &nr, n, nr_emb);
	for (i = 0; !err && i < nr; i++)
		err = kdamond_turn_off(&kr->io, ids[i], OFF_TIMEOUT_MS);
	if (!err && kernel)
		cleanup(kr, &reg, n);
	if (owner_close(&reg, true, &kr->diag) && !err)
		err = -EIO;
	if (err)
		return err;
	/* the embedded ones, outside the registry lock they take */
	for (i = 0; !err && i < nr_emb; i++)
		err = embedded_stop(kr->rundir, eids[i], &kr->diag);
	out_begin_list(o, NULL);
	for (i = 0; i < nr; i++)
		if (out_is_json(o))
			out_u64(o, NULL, ids[i]);
		else if (kr->ctx->opts.verbose)
			out_text(o, "kdamond %lu stopped\n", ids[i]);
	for (i = 0; i < nr_emb; i++)
		if (out_is_json(o))
			out_strf(o, NULL, "e%lu", eids[i]);
		else if (kr->ctx->opts.verbose)
			out_text(o, "e%lu stopped\n", eids[i]);
	out_end_list(o);
	return err;
}

int cmd_stop(int argc, char **argv, struct damo_ctx *ctx)
{
	struct stop_args a = { .ctx = ctx };
	struct kernel_run kr;
	int err;

	err = cmd_parse(&stop_argp, argc, argv, &a);
	if (err)
		return err;
	err = kernel_open(ctx, &kr, false);
	if (a.has_eid || (err == -ENOENT && !a.has_idx)) {
		unsigned long *eids = NULL;
		size_t nr_emb;

		diag_release(&kr.diag);
		if (a.has_eid) {
			eids = malloc(sizeof(*eids));
			if (!eids)
				abort();
			eids[0] = a.eid;
			nr_emb = 1;
		} else {
			nr_emb = embedded_ids(kr.rundir, &eids);
		}
		err = do_stop(&a, &kr, false, eids, nr_emb);
		free(eids);
	} else if (!err) {
		unsigned long *eids = NULL;
		size_t nr_emb = a.has_idx ? 0 : embedded_ids(kr.rundir, &eids);

		err = do_stop(&a, &kr, true, eids, nr_emb);
		free(eids);
	}
	kernel_report(&kr, false);
	kernel_close(&kr);
	return err;
}
