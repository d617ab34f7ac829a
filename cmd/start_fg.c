/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo start --foreground where the backend's monitor runs by itself (a
 * kernel kdamond): stay until it ends or a signal asks to stop it, so that
 * a service manager supervises the command as it would the monitor.
 */
#include "cmd/start_fg.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>

#include "core/out.h"

/* The one stop flag of the command, set by SIGTERM, SIGINT or SIGHUP. */
static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
	caught = sig;
}

void start_fg_signals(struct start_fg *fg)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	caught = 0;
	sigaction(SIGTERM, &sa, &fg->old_term);
	sigaction(SIGINT, &sa, &fg->old_int);
	sigaction(SIGHUP, &sa, &fg->old_hup);
}

void start_fg_restore(struct start_fg *fg)
{
	sigaction(SIGTERM, &fg->old_term, NULL);
	sigaction(SIGINT, &fg->old_int, NULL);
	sigaction(SIGHUP, &fg->old_hup, NULL);
}

/* Whether any of @fg's monitors runs; ones gone count as ended. */
static bool any_running(struct backend *b, const struct start_fg *fg)
{
	struct diag *keep = b->diag, gone;
	bool running = false;
	size_t i;

	/* a monitor that is gone says why: not an error here */
	diag_init(&gone);
	b->diag = &gone;
	for (i = 0; i < fg->nr; i++) {
		struct backend_status st;

		backend_status_init(&st);
		if (!backend_status(b, fg->ids[i], REFRESH_NONE, false, &st))
			running |= st.running;
		backend_status_release(&st);
	}
	b->diag = keep;
	diag_release(&gone);
	return running;
}

int start_fg_stay(struct backend *b, struct start_fg *fg, struct out *o,
		  bool verbose)
{
	const struct timespec tick = { 0, 200 * 1000 * 1000 };
	char label[DAMO_ID_BUFSZ + 8];
	size_t i;
	int err;

	/* a backend that ran it in the foreground has returned when it ended */
	if (!caught && !any_running(b, fg))
		return 0;
	while (!caught) {
		nanosleep(&tick, NULL);
		if (caught)
			break;
		if (!any_running(b, fg)) {
			out_warn(o, "%s ended by itself",
				 damo_id_label(fg->ids[0], label));
			return 0;
		}
	}
	if (fg->say_signal && !out_is_json(o))
		out_text(o, "\nsignal %d received\n", (int)caught);
	err = backend_stop(b, fg->ids, fg->nr, false);
	for (i = 0; !err && verbose && i < fg->nr; i++)
		out_text(o, "%s stopped\n", damo_id_label(fg->ids[i], label));
	return err;
}
