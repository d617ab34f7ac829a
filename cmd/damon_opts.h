/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMON parameter options shared by every command that takes a
 * configuration (config show now; start, tune and record later): damo's
 * "args damon" options of docs/damo-compat.md §1.1 and §1.3 under GNU spelling
 * (--monitoring-intervals), with damo's spelling (--monitoring_intervals)
 * accepted as a hidden alias, plus --scheme FILE.
 */
#ifndef DAMO_CMD_DAMON_OPTS_H
#define DAMO_CMD_DAMON_OPTS_H

#include <argp.h>
#include <stdbool.h>
#include <stddef.h>

struct damon_config;
struct diag;

/* One occurrence of an option: its values as given on the command line. */
struct damon_opt_occ {
	int key;		/* the option's argp key */
	char **vals;		/* argument words (borrowed from argv) */
	size_t nr_vals;
};

/* Everything the options said, in command-line order. */
struct damon_opts_args {
	struct damon_opt_occ *occ;
	size_t nr_occ;
	size_t cap_occ;
	char **scheme_files;	/* --scheme FILE, -c FILE, borrowed */
	size_t nr_scheme_files;
	char **scheme_texts;	/* -c/--schemes JSON, borrowed */
	size_t nr_scheme_texts;
};

/*
 * The argp child.  Its input is a struct damon_opts_args *.  Options that
 * take several values (--monitoring-intervals 5ms 100ms 1s) consume the
 * following words up to one that starts with "--" or is "-" followed by
 * something other than a digit or '.' (so "-1", "-.5" and a lone "-" are
 * values, "-j" is an option).
 */
extern const struct argp damon_opts_argp;

void damon_opts_args_init(struct damon_opts_args *a);
void damon_opts_args_release(struct damon_opts_args *a);

/* Whether any option setting the monitoring intervals was given. */
bool damon_opts_intervals_given(const struct damon_opts_args *a);

/* Whether any DAMON option (not counting --scheme) was given. */
bool damon_opts_given(const struct damon_opts_args *a);

/*
 * damon_opts_build() - build @cfg (initialised by the caller) from the
 * options the way damo's "args damon" does: one kdamond with one context;
 * ops paddr unless a target pid is given (then vaddr, --regions or not);
 * default paddr region left empty for the backend to fill;
 * each --damos-action opens a scheme and the other --damos-* options apply
 * to the schemes in order; --scheme FILE appends the schemes of a scheme
 * file (or of a kdamonds document's first context).
 * Problems go to @diag with the option name as the path
 * ("--damos-age: '30 sx' is not a time").
 * Return: 0 or -EINVAL.
 */
int damon_opts_build(const struct damon_opts_args *a, struct damon_config *cfg,
		     struct diag *diag);

/*
 * damon_opts_build_unchecked() - damon_opts_build() without the final
 * damon_config_validate(), for a caller that fills in the targets itself
 * (a synthetic workload) and validates afterwards.  Return: 0 or -EINVAL.
 */
int damon_opts_build_unchecked(const struct damon_opts_args *a,
			       struct damon_config *cfg, struct diag *diag);

/*
 * damon_opts_set_target() - what damo's positional pid or command says:
 * the one target is @pid (a string that outlives @a), ops vaddr, or
 * fvaddr with --regions.  Given
 * --target-pid and --ops are replaced.  Return: a bit set of what was
 * replaced: DAMON_OPTS_SET_PID, DAMON_OPTS_SET_OPS.
 */
#define DAMON_OPTS_SET_PID 1u
#define DAMON_OPTS_SET_OPS 2u
unsigned int damon_opts_set_target(struct damon_opts_args *a, char *pid);

/*
 * damon_opts_target_option() - the long name without dashes
 * ("target-pid") of the first option given that chooses the operations
 * set or the targets (--ops, --target-pid, --regions, --numa-node), or
 * NULL.  The name is a constant string.
 */
const char *damon_opts_target_option(const struct damon_opts_args *a);

/*
 * damon_opts_add_schemes() - append the schemes of the --scheme files to
 * the first context of @cfg (a configuration read from a file) and
 * validate the result.  Return: 0 or -EINVAL.
 */
int damon_opts_add_schemes(const struct damon_opts_args *a,
			   struct damon_config *cfg, struct diag *diag);

#endif /* DAMO_CMD_DAMON_OPTS_H */
