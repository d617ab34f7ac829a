/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo start --foreground for a monitor that runs by itself (a kernel
 * kdamond): the command stays until the monitor ends, or until SIGTERM,
 * SIGINT or SIGHUP, and then stops it.
 */
#ifndef DAMO_CMD_START_FG_H
#define DAMO_CMD_START_FG_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/diag.h"
#include "kdamond/backend.h"

struct out;

struct start_fg {
	struct damo_id *ids;		/* what started, owned */
	size_t nr;
	bool say_signal;		/* damo schemes: "signal N received" */
	struct sigaction old_term, old_int, old_hup;
};

/* Catch the stop signals before anything starts (start_fg_restore()). */
void start_fg_signals(struct start_fg *fg);
void start_fg_restore(struct start_fg *fg);

/*
 * start_fg_stay() - wait while any of @fg's monitors runs; on a stop
 * signal stop them through @b.  A monitor that ends by itself ends the
 * wait with a notice.  Return: 0, or -errno of the stop.
 */
int start_fg_stay(struct backend *b, struct start_fg *fg, struct out *o,
		  bool verbose);

#endif /* DAMO_CMD_START_FG_H */
