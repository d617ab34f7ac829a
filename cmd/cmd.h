/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every command shares: the per-run context, the common options (an
 * argp child), the handler signature and the exit-status convention.
 */
#ifndef DAMO_CMD_CMD_H
#define DAMO_CMD_CMD_H

#include <argp.h>
#include <stdbool.h>
#include <sys/types.h>

struct diag;
struct out;

/* Returned (negated) by a handler for a usage error: exit status 64. */
#define CMD_EUSAGE 4096
#define DAMO_EXIT_FAILURE 1
#define DAMO_EXIT_USAGE 64

#define DAMO_DEFAULT_SYSFS_ROOT "/sys/kernel/mm/damon/admin"

/*
 * CMD_ALIAS() - another spelling of the option just above it in an argp
 * option table, typically damo's underscore one ("exclude_samples" after
 * "exclude-samples"): accepted, hidden from --help and --list-opts.  argp
 * gives an alias the argument and flags of the option it follows.
 */
#define CMD_ALIAS(name, key) \
	{ name, key, NULL, OPTION_ALIAS | OPTION_HIDDEN, NULL, 0 }

struct damo_opts {
	bool json;
	bool pretty;
	bool no_color;
	bool quiet;		/* no progress lines */
	bool raw;		/* plain numbers in text (a command's --raw) */
	int verbose;
	const char *sysfs_root;	/* NULL: $DAMO_SYSFS_ROOT or the default */
};

struct damo_ctx {
	struct damo_opts opts;
	struct out *out;	/* created by cmd_out() */
};

/*
 * The commands: each gets argv with argv[0] the command name ("config")
 * and returns 0 or a negative errno (-CMD_EUSAGE for usage errors).  The
 * table of them is in damo.c (struct cmd_table, cmd/dispatch.h).
 */
int cmd_adjust(int argc, char **argv, struct damo_ctx *ctx);
int cmd_args(int argc, char **argv, struct damo_ctx *ctx);
int cmd_args_accesses_filter(int argc, char **argv, struct damo_ctx *ctx);
int cmd_config(int argc, char **argv, struct damo_ctx *ctx);
int cmd_convert(int argc, char **argv, struct damo_ctx *ctx);
int cmd_diagnose(int argc, char **argv, struct damo_ctx *ctx);
int cmd_features(int argc, char **argv, struct damo_ctx *ctx);
int cmd_start(int argc, char **argv, struct damo_ctx *ctx);
/*
 * cmd_start_held() - damo's "damo schemes" foreground mode: start as
 * cmd_start() does, with start's options, say "Press Ctrl+C to stop", keep
 * it until SIGINT or SIGTERM or until it stops by itself, and stop it.
 */
int cmd_start_held(int argc, char **argv, struct damo_ctx *ctx);
int cmd_status(int argc, char **argv, struct damo_ctx *ctx);
int cmd_stop(int argc, char **argv, struct damo_ctx *ctx);
int cmd_tune(int argc, char **argv, struct damo_ctx *ctx);
int cmd_validate(int argc, char **argv, struct damo_ctx *ctx);
int cmd_schemes(int argc, char **argv, struct damo_ctx *ctx);
int cmd_metrics(int argc, char **argv, struct damo_ctx *ctx);
int cmd_module(int argc, char **argv, struct damo_ctx *ctx);
int cmd_monitor(int argc, char **argv, struct damo_ctx *ctx);
/* damo's top-level "reclaim" and "lru_sort": "module reclaim" and so on */
int cmd_reclaim(int argc, char **argv, struct damo_ctx *ctx);
int cmd_lru_sort(int argc, char **argv, struct damo_ctx *ctx);
int cmd_record(int argc, char **argv, struct damo_ctx *ctx);
int cmd_replay(int argc, char **argv, struct damo_ctx *ctx);
/* "report" (cmd_report() is the diag printer below) */
int cmd_report_main(int argc, char **argv, struct damo_ctx *ctx);
/* damo's older words for report record_info and report pa_layout */
int cmd_record_info(int argc, char **argv, struct damo_ctx *ctx);
int cmd_pa_layout(int argc, char **argv, struct damo_ctx *ctx);
int cmd_version(int argc, char **argv, struct damo_ctx *ctx);

/*
 * The common options (-j, -p, --no-color, -v and the hidden --sysfs-root and
 * --list-opts), listed as a child of every command's argp.  Its input is the
 * run's struct damo_ctx: cmd_child_inputs() sets that up.
 */
extern const struct argp cmd_common_argp;

/*
 * damo's hidden --damon_interface_DEPRECATED (sysfs taken, anything else
 * refused) and --debug_damon (refused), exit status 1: a child for the
 * commands damo gives them that have no DAMON options (stop, features).
 */
extern const struct argp cmd_damo_compat_argp;

/*
 * cmd_child_inputs() - call in a command's ARGP_KEY_INIT with the command
 * argp's @children: each that is cmd_common_argp gets @ctx as its input.
 * Other children's inputs are left for the caller to set.
 */
void cmd_child_inputs(struct argp_state *state,
		      const struct argp_child *children, struct damo_ctx *ctx);

/*
 * cmd_parse() - argp_parse() for a command: argv[0] is shown as
 * "damo <command>" in usage and help.  Usage errors exit with 64 (argp);
 * under -j/--json/--pretty (among @argv, or cmd_json_usage) they are said
 * as the JSON error object on standard output, like every other error.
 */
int cmd_parse(const struct argp *argp, int argc, char **argv, void *input);

/* -j/-p came before the command word: its usage errors are JSON too. */
extern bool cmd_json_usage;

/*
 * cmd_usage_json_begin() - keep what is written to stderr from here on
 * (argp's and getopt's usage errors); cmd_usage_json_end() - say it as a
 * JSON error on stdout when @failed, else pass it on to stderr.  An
 * argp exit() in between ends it as failed.
 */
void cmd_usage_json_begin(void);
void cmd_usage_json_end(bool failed);

/*
 * cmd_split_command() - split "damo CMD [OPTION...] -- COMMAND [ARG...]":
 * *@command receives COMMAND's argv (NULL-terminated, inside @argv) or
 * NULL without "--".  Return: how many words of @argv are damo's, or
 * -CMD_EUSAGE (said on stderr) for a "--" with nothing after it.
 */
int cmd_split_command(int argc, char **argv, char ***command);

/*
 * cmd_parse_cpu_budget() - --cpu-budget PERCENT ("1%", "0.5", bare numbers
 * are percent) of one core, above 0 and at most 100 %, into 1/10000 of a
 * core.  Return: 0 or -EINVAL.
 */
int cmd_parse_cpu_budget(const char *arg, unsigned int *bp);

/* The output handle for this run, created on first use from ctx->opts. */
struct out *cmd_out(struct damo_ctx *ctx);

/*
 * cmd_report() - every problem of @d as one error through out_error():
 * "damo: error: FILE:LINE:COL: PATH: WHAT", one problem a line; entries
 * whose path is "hint" follow through out_hint() (under JSON, inside the
 * error object).
 */
void cmd_report(struct out *o, const struct diag *d);

/*
 * cmd_warn_diag() - print the warnings of @d through out_warn()
 * ("damo: warning: FILE: WHAT") and drop them from @d, so that only errors
 * remain for cmd_report().
 */
void cmd_warn_diag(struct out *o, struct diag *d);

/* The DAMON sysfs root: --sysfs-root, else $DAMO_SYSFS_ROOT, else default. */
const char *cmd_sysfs_root(const struct damo_ctx *ctx);

/* Tracing root: $DAMO_TRACEFS_ROOT, else /sys/kernel/tracing (or debugfs). */
const char *cmd_tracefs_root(void);

/* Kernel module parameters root: $DAMO_MODULE_ROOT, else /sys/module. */
const char *cmd_module_root(void);

/*
 * Print every visible long option of @argp and its children, one a line,
 * leaving out the common options (those belong to "damo --list-opts").
 */
void cmd_list_opts(const struct argp *argp);
/*
 * cmd_complete() - print the values option OPT of @argp takes, one a line,
 * for the completions; @spec is "OPT" or "OPT=CUR" (the word being
 * completed), "ID" for the ids of what runs.  "@files" asks the shell for
 * file names.  Nothing for an option it knows no values of.
 */
void cmd_complete(const struct argp *argp, struct damo_ctx *ctx,
		  const char *spec);

/*
 * Print every spelling @argp and its children accept, hidden, aliases,
 * short and common ones included, one "--name<TAB>flag|value" or
 * "-k<TAB>flag|value" a line: what test/cmd/damo_options.bats compares
 * with damo's option table (hidden option --list-all-opts).
 */
void cmd_list_all_opts(const struct argp *argp);

#endif /* DAMO_CMD_CMD_H */
