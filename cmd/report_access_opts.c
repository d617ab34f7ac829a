/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The view options of report access that take words of their own: styles,
 * sort keys, temperature weights, percentiles, histogram ranges and
 * --format.  Errors go through argp_error().
 */
#include "report_access.h"

#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/units.h"
#include "core/xalloc.h"

static const char *const style_names[] = {
	[ACCESS_DETAILED] = "detailed",
	[ACCESS_RECENCY_PERCENTILES] = "recency-percentiles",
	[ACCESS_TEMPERATURE_PERCENTILES] = "temperature-percentiles",
	[ACCESS_RECENCY_SZ_HIST] = "recency-sz-hist",
	[ACCESS_TEMPERATURE_SZ_HIST] = "temperature-sz-hist",
	[ACCESS_SIMPLE_BOXES] = "simple-boxes",
	[ACCESS_COLD] = "cold",
	[ACCESS_HOT] = "hot",
};

static const char *const sort_names[] = {
	[SORT_ADDRESS] = "address",
	[SORT_ACCESS_RATE] = "access_rate",
	[SORT_AGE] = "age",
	[SORT_SIZE] = "size",
	[SORT_TEMPERATURE] = "temperature",
};

static const char *const area_names[] = {
	[AREA_RECORD_HEAD] = "record_head",
	[AREA_SNAPSHOT_HEAD] = "snapshot_head",
	[AREA_REGION] = "region",
	[AREA_SNAPSHOT_TAIL] = "snapshot_tail",
	[AREA_RECORD_TAIL] = "record_tail",
};

static int name_idx(const char *const *names, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!strcmp(names[i], s))
			return (int)i;
	}
	return -1;
}

const char *access_style_name(int i)
{
	return i >= 0 && (size_t)i < ARRAY_SIZE(style_names) ?
	       style_names[i] : NULL;
}

int access_parse_style(const char *s)
{
	if (!strcmp(s, "idle-time-percentiles"))	/* damo's aliases */
		return ACCESS_RECENCY_PERCENTILES;
	if (!strcmp(s, "cold-memory-tail"))
		return ACCESS_RECENCY_SZ_HIST;
	return name_idx(style_names, ARRAY_SIZE(style_names), s);
}

/* The words after an option taking one or more: up to the next option. */
static size_t more_words(struct argp_state *state)
{
	size_t n = 0;

	while (state->next + (int)n < state->argc &&
	       (state->argv[state->next + n][0] != '-' ||
		state->argv[state->next + n][1] == '\0' ||
		(state->argv[state->next + n][1] >= '0' &&
		 state->argv[state->next + n][1] <= '9')))
		n++;
	return n;
}

void access_parse_sort(struct argp_state *state, const char *arg,
		       struct access_view *v)
{
	size_t i, n = more_words(state);
	const char *w;
	int k;

	v->nr_sort = 0;
	for (i = 0; i <= n; i++) {
		w = i ? state->argv[state->next++] : arg;
		k = name_idx(sort_names, ARRAY_SIZE(sort_names), w);
		if (k < 0) {
			argp_error(state, "--sort-regions-by: unknown key '%s'; "
				   "expected address, access_rate, age, size or "
				   "temperature", w);
			return;
		}
		if (v->nr_sort == ACCESS_MAX_SORT_KEYS) {
			argp_error(state, "--sort-regions-by: at most %d keys",
				   ACCESS_MAX_SORT_KEYS);
			return;
		}
		v->sort[v->nr_sort++] = (enum access_sort)k;
	}
}

void access_parse_sort_dsc(struct argp_state *state, const char *arg,
			   struct access_view *v)
{
	size_t i, n = more_words(state) + (arg ? 1 : 0);
	const char *w;
	int k;

	if (!n) {		/* damo (C)'s bare flag: every key */
		v->sort_dsc = ~0u;
		return;
	}
	v->sort_dsc = 0;
	for (i = 0; i < n; i++) {
		w = i == 0 && arg ? arg : state->argv[state->next++];
		if (!strcmp(w, "all")) {
			v->sort_dsc = ~0u;
			continue;
		}
		k = name_idx(sort_names, ARRAY_SIZE(sort_names), w);
		if (k < 0) {
			argp_error(state, "--sort-regions-dsc: unknown key '%s'; "
				   "expected address, access_rate, age, size, "
				   "temperature or all", w);
			return;
		}
		v->sort_dsc |= 1u << k;
	}
}

void access_parse_weights(struct argp_state *state, const char *arg,
			  struct report_weights *w)
{
	int64_t *dst[3] = { &w->sz, &w->rate, &w->age };
	const char *word;
	int i;

	for (i = 0; i < 3; i++) {
		if (i && state->next >= state->argc) {
			argp_error(state, "--temperature-weights takes three numbers");
			return;
		}
		word = i ? state->argv[state->next++] : arg;
		if (units_parse_i64(word, dst[i])) {
			argp_error(state, "--temperature-weights: '%s' is not an integer",
				   word);
			return;
		}
	}
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

void access_parse_percentiles(struct argp_state *state, const char *arg,
			      struct access_view *v)
{
	size_t i, n = more_words(state) + 1;
	long args[ACCESS_MAX_PERCENTILES], p;
	const char *w;
	int64_t x;

	if (n > ACCESS_MAX_PERCENTILES) {
		argp_error(state, "--percentiles-range: at most %d values",
			   ACCESS_MAX_PERCENTILES);
		return;
	}
	for (i = 0; i < n; i++) {
		w = i ? state->argv[state->next++] : arg;
		/* a range's stop may be 101, to include 100 */
		if (units_parse_i64(w, &x) || x < 0 || x > (n > 3 ? 100 : 101)) {
			argp_error(state, "--percentiles-range: '%s' is not a "
				   "percentile (0 to 100)", w);
			return;
		}
		args[i] = (long)x;
	}
	v->nr_percentiles = 0;
	if (n > 3) {
		memcpy(v->percentiles, args, n * sizeof(*args));
		qsort(v->percentiles, n, sizeof(*args), cmp_long);
		v->nr_percentiles = n;
		return;
	}
	/* Python's range(*args) */
	{
		long start = n > 1 ? args[0] : 0, stop = n > 1 ? args[1] : args[0];
		long step = n > 2 ? args[2] : 1;

		if (!step) {
			argp_error(state, "--percentiles-range: step must not be 0");
			return;
		}
		for (p = start; step > 0 ? p < stop : p > stop; p += step)
			v->percentiles[v->nr_percentiles++] = p;
	}
}

void access_parse_hist_ranges(struct argp_state *state, const char *arg,
			      struct access_view *v)
{
	size_t i, n = more_words(state) + 1;

	if (n % 2 || n > ACCESS_MAX_HIST_RANGES) {
		argp_error(state, "--hist-ranges takes pairs of values (at most %d)",
			   ACCESS_MAX_HIST_RANGES / 2);
		return;
	}
	for (i = 0; i < n; i++) {
		const char *w = i ? state->argv[state->next++] : arg;
		uint64_t u;
		int64_t x;

		if (units_parse_i64(w, &x) && units_parse_time(w, UNITS_US, &u)) {
			argp_error(state, "--hist-ranges: invalid value '%s'", w);
			return;
		}
		v->hist_ranges[i] = w;
	}
	v->nr_hist_ranges = n;
}

void access_parse_format(struct argp_state *state, const char *arg,
			 struct access_view *v)
{
	int area;

	if (state->next + 2 > state->argc) {
		argp_error(state, "--format takes ACTION AREA TEXT");
		return;
	}
	if (strcmp(arg, "set") && strcmp(arg, "append")) {
		argp_error(state, "--format: action must be 'set' or 'append', not '%s'",
			   arg);
		return;
	}
	area = name_idx(area_names, ARRAY_SIZE(area_names),
			state->argv[state->next]);
	if (area < 0) {
		argp_error(state, "--format: unknown area '%s'",
			   state->argv[state->next]);
		return;
	}
	if (v->nr_formats == ACCESS_MAX_FORMATS) {
		argp_error(state, "--format: at most %d", ACCESS_MAX_FORMATS);
		return;
	}
	v->formats[v->nr_formats].append = !strcmp(arg, "append");
	v->formats[v->nr_formats].area = (enum access_area)area;
	v->formats[v->nr_formats++].text = state->argv[state->next + 1];
	state->next += 2;
}

void access_parse_min_chars(struct argp_state *state, const char *arg,
			    struct access_view *v)
{
	const char *w;
	uint64_t n;

	if (state->next >= state->argc) {
		argp_error(state, "--min-chars-for takes KEYWORD NUMBER");
		return;
	}
	w = state->argv[state->next++];
	if (arg[0] != '<' || arg[strlen(arg) - 1] != '>') {
		argp_error(state, "--min-chars-for: '%s' is not a <keyword>", arg);
		return;
	}
	if (units_parse_nr(w, &n) || n > 1000) {
		argp_error(state, "--min-chars-for: '%s' is not a number of "
			   "characters (0 to 1000)", w);
		return;
	}
	if (v->nr_min_chars == ACCESS_MAX_FORMATS) {
		argp_error(state, "--min-chars-for: at most %d", ACCESS_MAX_FORMATS);
		return;
	}
	v->min_chars[v->nr_min_chars].keyword = arg;
	v->min_chars[v->nr_min_chars++].n = (int)n;
}
