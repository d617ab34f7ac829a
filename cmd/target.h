/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damo's positional "deducible target" of start, tune, record and schemes,
 * and its --kdamonds: a kdamonds file or JSON/YAML text, 'paddr', a
 * command line, or a pid, decided as damo 3.3 decides
 * (docs/damo-compat.md §1.2).
 */
#ifndef DAMO_CMD_TARGET_H
#define DAMO_CMD_TARGET_H

#include <argp.h>
#include <stdbool.h>
#include <stdint.h>

struct config_file;
struct damon_opts_args;
struct diag;
struct out;

enum cmd_target_kind {
	CMD_TARGET_NONE,
	CMD_TARGET_CONFIG,	/* a kdamonds file, or JSON/YAML text */
	CMD_TARGET_PADDR,	/* 'paddr': the physical address space */
	CMD_TARGET_COMMAND,	/* a command line, run by damo */
	CMD_TARGET_PID,		/* a running process */
};

struct cmd_target {
	enum cmd_target_kind kind;
	const char *word;	/* as given, borrowed */
	bool is_text;		/* CONFIG: @word is the document itself */
	char pid[24];		/* PID: the pid, as text */
	char *argv[4];		/* COMMAND: shell -c word, NULL-terminated */
};

/*
 * The argp child of --kdamonds FILE|TEXT (damo's whole configuration,
 * JSON or YAML, a file or the text).  Its input is a const char ** that
 * receives the argument.
 */
extern const struct argp cmd_target_argp;

/*
 * cmd_target_deduce() - what @word is, in damo's order: a kdamonds
 * document (a file holding one, or JSON/YAML text), 'paddr', a command
 * whose first word is an executable (in PATH, or a path), a pid of a
 * running process.  Anything else is a problem in @d that says what was
 * tried.  Return: 0, -CMD_EUSAGE (none of those), -EINVAL or -ESRCH (a
 * pid out of range, or of no process), -ENOENT and such (a path, a word
 * with a '/', that cannot be opened).
 */
int cmd_target_deduce(const char *word, struct cmd_target *t,
		      struct diag *d);

/*
 * cmd_target_load() - the configuration of start/tune/record/schemes from
 * @kdamonds (--kdamonds: a file or text; NULL if not given), else @t,
 * else the DAMON options in @opts: a pid target replaces --target-pid and
 * --ops (said through @o as damo says it); a command or 'paddr' sets the
 * operations set once the options are built.  Validated.  Problems go to
 * @d.  Return: 0 or -errno.
 */
int cmd_target_load(const struct cmd_target *t, const char *kdamonds,
		    struct damon_opts_args *opts, struct out *o,
		    struct config_file *cf, struct diag *d);

#endif /* DAMO_CMD_TARGET_H */
