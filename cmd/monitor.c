/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo monitor: damo's repeated record-and-report loop.  The target is
 * started once (damo start), then every --delay seconds the running
 * monitor is recorded for that long (damo record ID) and reported (a
 * heatmap by default), the report drawn over the last one on a terminal;
 * at the end, or on Ctrl-C, what was started is stopped.  Each step is
 * this damo run again, so every backend works as in the other commands.
 */
#include "cmd.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/out.h"
#include "core/xalloc.h"

extern char **environ;

struct monitor_args {
	struct damo_ctx *ctx;
	const char *target;
	const char *report;	/* heats, wss */
	double delay_s;
	unsigned long count;	/* 0: until stopped */
};

enum {
	OPT_REPORT = 0x860,
	OPT_DELAY,
	OPT_COUNT,
};

static const struct argp_option monitor_options[] = {
	{ "report-type", OPT_REPORT, "heats|wss|holistic", 0,
	  "What to show after each recording (default heats, a heatmap)", 0 },
	CMD_ALIAS("report_type", OPT_REPORT),
	{ "delay", OPT_DELAY, "SECONDS", 0,
	  "How long each recording lasts (default 3)", 0 },
	{ "count", OPT_COUNT, "N", 0, "Stop after N reports (default: never)",
	  0 },
	{ 0 }
};

static const struct argp_child monitor_children[] = {
	{ &cmd_common_argp, 0, NULL, 0 },
	{ 0 }
};

static error_t monitor_parse(int key, char *arg, struct argp_state *state)
{
	struct monitor_args *a = state->input;
	char *end;

	switch (key) {
	case ARGP_KEY_INIT:
		cmd_child_inputs(state, monitor_children, a->ctx);
		return 0;
	case OPT_REPORT:
		if (!strcmp(arg, "holistic"))
			argp_error(state, "--report_type holistic: 'report holistic' is not built in damo (C); use heats or wss");
		if (strcmp(arg, "heats") && strcmp(arg, "wss"))
			argp_error(state, "--report_type: '%s' is not heats, wss or holistic",
				   arg);
		a->report = arg;
		return 0;
	case OPT_DELAY:
		errno = 0;
		a->delay_s = strtod(arg, &end);
		if (end == arg || *end || errno || !(a->delay_s >= 0.1) ||
		    a->delay_s > 86400)
			argp_error(state, "--delay: '%s' is not a number of seconds from 0.1 to 86400",
				   arg);
		return 0;
	case OPT_COUNT:
		errno = 0;
		a->count = strtoul(arg, &end, 10);
		if (*arg < '0' || *arg > '9' || *end || errno || a->count > INT_MAX)
			argp_error(state, "--count: '%s' is not a number of reports", arg);
		return 0;
	case ARGP_KEY_ARG:
		if (a->target)
			argp_error(state, "one target only; quote a command with its arguments");
		a->target = arg;
		return 0;
	case ARGP_KEY_END:
		if (!a->target)
			argp_error(state, "no target: a command (quoted), a pid, paddr or ongoing");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp monitor_argp = {
	.options = monitor_options,
	.parser = monitor_parse,
	.args_doc = "TARGET",
	.doc = "Record and report access patterns again and again (damo's "
	       "monitor).\v"
	       "TARGET is a command line (run with sh -c), a pid, 'paddr' "
	       "(the physical address space) or 'ongoing' (the monitor "
	       "already running, which is left running).  The monitor "
	       "started for it is recorded for --delay seconds at a time "
	       "and shown as a heatmap (heats) or working set sizes (wss), "
	       "drawn over the last report on a terminal; Ctrl-C, the end "
	       "of the command or --count reports stop it, and what was "
	       "started is stopped.\n\n"
	       "Examples:\n"
	       "  damo monitor \"./workload --size 1G\" --delay 2\n"
	       "  damo monitor 1234 --report_type wss --count 10",
	.children = monitor_children,
};

static volatile sig_atomic_t monitor_signal;

static void on_signal(int sig)
{
	monitor_signal = sig;
}

/*
 * Run this damo with @args; its standard output into @out (owned by the
 * caller, free()) when @out is set, else to the terminal.  Common options
 * the user gave are passed on.  Return its exit status, or -1.
 */
static int run_damo(struct damo_ctx *ctx, char **args, char **out,
		    bool quiet)
{
	char *argv[32], *buf = NULL;
	size_t n = 0, len = 0, cap = 0;
	int pipefd[2] = { -1, -1 }, status;
	posix_spawn_file_actions_t fa;
	ssize_t r;
	pid_t pid;

	argv[n++] = "damo";
	if (ctx->opts.sysfs_root) {
		argv[n++] = "--sysfs-root";
		argv[n++] = (char *)ctx->opts.sysfs_root;
	}
	argv[n++] = "--quiet";
	while (*args && n < ARRAY_SIZE(argv) - 1)
		argv[n++] = *args++;
	argv[n] = NULL;
	posix_spawn_file_actions_init(&fa);
	if (quiet)
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (out) {
		if (pipe2(pipefd, O_CLOEXEC)) {
			posix_spawn_file_actions_destroy(&fa);
			return -1;
		}
		posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	}
	if (posix_spawn(&pid, "/proc/self/exe", &fa, NULL, argv, environ)) {
		posix_spawn_file_actions_destroy(&fa);
		if (out) {
			close(pipefd[0]);
			close(pipefd[1]);
		}
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	if (out) {
		close(pipefd[1]);
		for (;;) {
			if (len + 4096 > cap) {
				cap = cap ? 2 * cap : 8192;
				buf = xreallocarray(buf, cap, 1);
			}
			r = read(pipefd[0], buf + len, cap - len - 1);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			len += (size_t)r;
		}
		close(pipefd[0]);
		buf[len] = '\0';
		*out = buf;
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * The id of the monitor started for @target, or NULL; *@cmd_pid the pid
 * of the command started with it (0: none).
 */
static char *start_target(struct damo_ctx *ctx, const char *target,
			  long *cmd_pid)
{
	char *out = NULL, *args[8], *line = NULL;
	int st;

	char *id, *p, *e;

	*cmd_pid = 0;
	args[0] = "start", args[1] = "--json";
	if (!strcmp(target, "paddr")) {
		args[2] = "--ops", args[3] = "paddr", args[4] = NULL;
	} else if (strspn(target, "0123456789") == strlen(target)) {
		args[2] = "--target-pid", args[3] = (char *)target;
		args[4] = NULL;
	} else {
		/*
		 * as damo, the command's output is dropped; a simple command
		 * replaces the shell, so that its pid is the target's
		 */
		line = xasprintf("exec >/dev/null 2>&1; %s%s",
				 strpbrk(target, ";&|<>`$()\n") ? "" : "exec ",
				 target);
		args[2] = "--", args[3] = "sh", args[4] = "-c", args[5] = line;
		args[6] = NULL;
	}
	st = run_damo(ctx, args, &out, false);
	free(line);
	/* [{"id":"e0",...,"command_pid":1234,...}] */
	p = out && !st ? strstr(out, "\"id\":\"") : NULL;
	e = p ? strchr(p + 6, '"') : NULL;
	if (!e) {
		free(out);
		return NULL;
	}
	id = xstrndup(p + 6, (size_t)(e - p - 6));
	p = strstr(out, "\"command_pid\":");
	if (p)
		*cmd_pid = strtol(p + 14, NULL, 10);
	free(out);
	return id;
}

/* SIGTERM to the processes whose parent is @ppid. */
static void kill_children(long ppid)
{
	char path[64], line[512], *p;
	struct dirent *de;
	long pid, parent;
	DIR *d = opendir("/proc");
	FILE *f;

	if (!d)
		return;
	while ((de = readdir(d))) {
		pid = strtol(de->d_name, &p, 10);
		if (*p || pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
		f = fopen(path, "re");
		if (!f)
			continue;
		p = fgets(line, sizeof(line), f) ? strrchr(line, ')') : NULL;
		fclose(f);
		if (p && sscanf(p + 2, "%*c %ld", &parent) == 1 && parent == ppid)
			kill((pid_t)pid, SIGTERM);
	}
	closedir(d);
}

/* End the command started for the target if it still runs (damo kills it). */
static void end_command(long pid, const char *target)
{
	size_t w = strcspn(target, " \t");
	char path[64], cmd[256] = "";
	FILE *f;
	size_t n;

	if (pid <= 0)
		return;
	snprintf(path, sizeof(path), "/proc/%ld/cmdline", pid);
	f = fopen(path, "re");
	if (!f)
		return;
	n = fread(cmd, 1, sizeof(cmd) - 1, f);
	fclose(f);
	cmd[n] = '\0';
	/*
	 * still the shell started for it ("sh\0-c\0exec >/dev/null ..."),
	 * or the command it became (its first word)
	 */
	if ((n > 6 && memmem(cmd, n, "exec >/dev/null 2>&1; ", 22)) ||
	    (w && strlen(cmd) == w && !strncmp(cmd, target, w))) {
		kill_children(pid);
		kill((pid_t)pid, SIGTERM);
	}
}

/* A private directory for the recordings, under $TMPDIR or /tmp. */
static char *record_path(void)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/damo-monitor-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	char *path;

	if (!mkdtemp(dir)) {
		free(dir);
		return NULL;
	}
	path = xasprintf("%s/damon.data", dir);
	free(dir);
	return path;
}

static void remove_record(char *path)
{
	char *slash;

	if (!path)
		return;
	unlink(path);
	slash = strrchr(path, '/');
	if (slash) {
		*slash = '\0';
		rmdir(path);
	}
	free(path);
}

/* One report of the recording at @path, drawn over the last on a tty. */
static int show_report(struct damo_ctx *ctx, const struct monitor_args *a,
		       char *path, bool tty)
{
	char *rep_heats[] = { "report", "heatmap", "-i", path, "--resol", "10",
			      "80", "--no-color", NULL };
	char *rep_wss[] = { "report", "wss", "-i", path, NULL };
	bool heats = !strcmp(a->report, "heats");
	struct out *o = cmd_out(ctx);
	char *out = NULL, *line, *save = NULL;
	int st;

	st = run_damo(ctx, heats ? rep_heats : rep_wss, &out, false);
	if (st) {
		free(out);
		out_error(o, "the report failed (exit status %d)", st);
		return -EIO;
	}
	if (tty)
		out_text(o, "\033[H\033[2J");
	if (heats) {
		/* the map only, without its comment lines */
		for (line = strtok_r(out, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			if (line[0] != '#')
				out_text(o, "%s\n", line);
	} else {
		out_write(o, out);
	}
	if (!tty)
		out_text(o, "\n");
	free(out);
	return 0;
}

/*
 * Record and report until a signal, --count, the end of the monitor (its
 * command gone) or of the reader.  Return 0, or -errno when nothing could
 * be recorded or a report failed.
 */
static int loop(struct damo_ctx *ctx, const struct monitor_args *a,
		char *id, char *path)
{
	bool tty = isatty(STDOUT_FILENO);
	unsigned long shown = 0;
	char dur[32], *out;
	int st;

	snprintf(dur, sizeof(dur), "%.3fs", a->delay_s);
	while (!monitor_signal && (!a->count || shown < a->count)) {
		char *rec_id[] = { "record", id, "--duration", dur, "-o", path,
				   NULL };
		char *rec_any[] = { "record", "--duration", dur, "-o", path,
				    NULL };

		unlink(path);
		out = NULL;
		/* ongoing: whatever runs; a failure once started is the end */
		st = run_damo(ctx, id ? rec_id : rec_any, &out, shown > 0);
		free(out);
		if (monitor_signal)
			break;
		if (st && shown)
			return 0;
		if (st) {
			out_error(cmd_out(ctx), "recording failed (exit status %d)%s",
				  st, id ? "" : "; is a monitor running?");
			return -EIO;
		}
		if (show_report(ctx, a, path, tty))
			return -EIO;
		if (fflush(stdout) || ferror(stdout))
			break;
		shown++;
	}
	if (monitor_signal)
		out_text(cmd_out(ctx), "\nsignal %d received\n",
			 (int)monitor_signal);
	return 0;
}

int cmd_monitor(int argc, char **argv, struct damo_ctx *ctx)
{
	struct monitor_args a = { .ctx = ctx, .report = "heats", .delay_s = 3 };
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
	char *id = NULL, *path;
	long cmd_pid = 0;
	struct out *o;
	int err;

	err = cmd_parse(&monitor_argp, argc, argv, &a);
	if (err)
		return err;
	o = cmd_out(ctx);
	path = record_path();
	if (!path) {
		out_error(o, "cannot make a directory for the recordings: %s",
			  strerror(errno));
		return -EIO;
	}
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	/* a reader gone (| head) ends the loop, and what started is stopped */
	signal(SIGPIPE, SIG_IGN);
	if (strcmp(a.target, "ongoing")) {
		id = start_target(ctx, a.target, &cmd_pid);
		if (!id) {
			out_error(o, "cannot start monitoring '%s' (see the error above)",
				  a.target);
			err = -EINVAL;
		}
	}
	if (!err)
		err = loop(ctx, &a, id, path);
	if (id) {
		char *stop[] = { "stop", id, NULL };

		run_damo(ctx, stop, NULL, true);
	}
	end_command(cmd_pid, a.target);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	free(id);
	remove_record(path);
	return err;
}
