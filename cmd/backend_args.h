/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the commands that drive monitors share (start, tune, stop, status,
 * schemes, record): the argp child of --backend and the positional ID
 * ("N" for a kernel kdamond, "eN" for an embedded monitor), and the
 * backends' environment from the run's options.
 */
#ifndef DAMO_CMD_BACKEND_ARGS_H
#define DAMO_CMD_BACKEND_ARGS_H

#include <argp.h>
#include <stdbool.h>

#include "kdamond/backend.h"

struct damo_ctx;

/* The child's input; zero it, then set what the command takes. */
struct backend_args {
	bool no_id;		/* set: the command takes no ID */
	bool backend_given;
	enum backend_kind backend;	/* --backend; auto by default */
	bool has_id;
	struct damo_id id;
	const char *name;	/* the ID given as a name, or NULL */
};

/*
 * --backend auto|kernel|embedded and, unless no_id, the first positional
 * argument as an ID; a second ID is a usage error unless the command's
 * own parser takes the argument once has_id is set (it sees arguments
 * first: it returns ARGP_ERR_UNKNOWN for those the child should take).
 * An ID may be a name given with damo start --name, looked up in the
 * ownership registry at the end of parsing (a name that names nothing
 * exits 1, saying so).  An ID of another backend than --backend names is
 * a usage error.
 */
extern const struct argp backend_args_argp;

/*
 * backend_args_names_monitor() - whether @word is a name damo start
 * --name gave a monitor damo started: commands whose first positional may
 * also be damo's deducible target (tune, record) give such a word to the
 * child as the ID.
 */
bool backend_args_names_monitor(const char *word);

/* The backends' environment for this run (roots, tracing, output). */
const struct backend_env *cmd_backend_env(struct damo_ctx *ctx);

#endif /* DAMO_CMD_BACKEND_ARGS_H */
