#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# damo report access: damo's detailed view, its distribution styles, the
# record filters and the format options, on the snapshots Python damo wrote
# (docs/damo-compat.md §4.1 shows their output).

load ../helpers

setup() {
	R=$FIXTURES/records
	SNAP=$R/damon.data.snapshot.nofilter
}

# Every line of $1 is a line of the last run's output.
has_lines() {
	local l
	while IFS= read -r l; do
		grep -qxF -- "$l" <<<"$output" || { echo "missing '$l'"; return 1; }
	done <<<"$1"
}

@test "detailed view: damo's heatmap line, intervals, regions and totals" {
	run -0 --separate-stderr damo report access -i "$SNAP"
	[ -z "$stderr" ]
	[ "${#lines[@]}" -eq 138 ]	# 3 head lines, 132 regions, 3 tail lines
	[ "${lines[0]}" = 'heatmap: 88999988887777777555555533333332222222111111110000000000000000000000000000000000' ]
	[ "${lines[1]}" = '# min/max temperatures: -664,810,000,000, 130,001,000, column size: 766.312 MiB' ]
	[ "${lines[2]}" = 'intervals: sample 5 ms aggr 100 ms (max access hz 200)' ]
	# each region line keeps damo's right padding
	[ "${lines[3]}" = '0   addr 4.000 GiB    size 1.366 GiB   access 0 hz   age 3.400 s      ' ]
	[ "${lines[4]}" = '1   addr 5.366 GiB    size 8.000 KiB   access 200 hz age 700 ms       ' ]
	[ "${lines[133]}" = '130 addr 55.494 GiB   size 5.792 GiB   access 0 hz   age 1 h 49 m 49.500 s' ]
	[ "${lines[134]}" = '131 addr 61.285 GiB   size 2.583 GiB   access 0 hz   age 1 h 50 m 48.100 s' ]
	[ "${lines[135]}" = 'memory bw estimate: 75.464 GiB per second' ]
	[ "${lines[136]}" = 'total size: 59.868 GiB' ]
	[ "${lines[137]}" = 'record DAMON intervals: sample 5 ms, aggr 100 ms' ]
}

@test "detailed view ends without a newline past 50 lines, as damo's pager" {
	damo report access -i "$SNAP" > "$BATS_TEST_TMPDIR/long"
	[ "$(tail -c 5 "$BATS_TEST_TMPDIR/long")" = '00 ms' ]
	damo report access -i "$R/damon.data.snapshot.hugepage" > "$BATS_TEST_TMPDIR/short"
	[ "$(tail -c 1 "$BATS_TEST_TMPDIR/short" | od -An -c | tr -d ' ')" = '\n' ]
}

@test "detailed view of a scheme with a DAMOS filter: df-passed parts" {
	run -0 --separate-stderr damo report access -i "$R/damon.data.snapshot.hugepage"
	[ -z "$stderr" ]
	[ "${lines[2]}" = 'intervals: sample 150 ms aggr 3 s (max access hz 6.667)' ]
	[ "${lines[3]}" = '# damos filters (df): allow hugepage_size [2.000 MiB, max]' ]
	[[ "${lines[4]}" == 'df-pass: '* ]]
	has_lines 'memory bw estimate: 11.678 GiB per second  df-passed: 3.870 GiB per second
total size: 59.868 GiB  df-passed 1.467 GiB
record DAMON intervals: sample 150 ms, aggr 3 s
# target 4 % accesses per 1 aggrs, [5 ms, 150 ms] sampling interval'
	run -0 damo report access -i "$R/damon.data.snapshot.active"
	has_lines '4   addr 5.885 GiB    size 8.000 KiB   access 0.333 hz age 0 ns          df-passed 8.000 KiB
df-pass: 888888888988888888888888888888888888888888[...]511111111111111111116[...]1000000000000000000'
}

@test "recency-percentiles: damo's block, byte for byte" {
	run -0 --separate-stderr damo report access -i "$SNAP" --style recency-percentiles
	[ -z "$stderr" ]
	[ "$output" = "$(printf '%s\n' \
		'# total recency percentiles' \
		'<percentile> <idle time>' \
		'  0               0 ns  |                    |' \
		'  1               0 ns  |                    |' \
		' 25      44 m 33.600 s  |********            |' \
		' 50  1 h 35 m 15.800 s  |*****************   |' \
		' 75  1 h 43 m 13.600 s  |******************  |' \
		' 99  1 h 50 m 48.200 s  |********************|' \
		'100  1 h 50 m 48.200 s  |********************|' \
		'memory bw estimate: 75.464 GiB per second' \
		'total size: 59.868 GiB' \
		'record DAMON intervals: sample 5 ms, aggr 100 ms')" ]
	# damo's alias of the style, and the newline its print adds
	damo report access -i "$SNAP" --style idle-time-percentiles > "$BATS_TEST_TMPDIR/o"
	[ "$(cat "$BATS_TEST_TMPDIR/o")" = "$output" ]
	[ "$(wc -l < "$BATS_TEST_TMPDIR/o")" -eq 12 ]
}

@test "temperature-sz-hist: damo's ranges and bars" {
	run -0 damo report access -i "$SNAP" --style temperature-sz-hist
	[ "${lines[0]}" = '<temperature> <total size>' ]
	[ "${lines[1]}" = '[-664,810,000,000, -598,299,998,999) 25.262 GiB |********************|' ]
	[ "${lines[2]}" = '[-598,299,998,999, -531,789,997,998) 5.458 GiB  |*****               |' ]
	[ "${lines[10]}" = '[-66,219,990,991, 290,010,010)       7.329 GiB  |******              |' ]
	[ "${#lines[@]}" -eq 14 ]
}

@test "temperature-percentiles and recency-sz-hist with their legends" {
	run -0 damo report access -i "$SNAP" --style temperature-percentiles
	[ "${lines[0]}" = '# total temperature percentiles' ]
	[ "${lines[1]}" = '<percentile> <temperature (weights: [0, 100, 100])>' ]
	[ "${lines[2]}" = '  0  -664,810,000,000  |                    |' ]
	[ "${lines[8]}" = '100       290,010,000  |********************|' ]
	run -0 damo report access -i "$SNAP" --style recency-sz-hist --raw-number
	[ "${lines[0]}" = '<idle time (us)> <total size>' ]
	[ "${lines[1]}" = '[0, 664820001)           7869087744  |******              |' ]
	run -0 damo report access -i "$R/damon.data.snapshot.active" --style recency-sz-hist
	has_lines '# damos filters (df): allow active
<idle time (us)> <df-passed size>
[0 ns, 20.400 s)             1.207 GiB   |********************|
<idle time (us)> <total size>
[3 m 3.600 s, 3 m 24.000 s)  39.980 GiB |********************|'
}

@test "--percentiles-range, --hist-ranges, --hist-logscale, --temperature-weights" {
	run -0 damo report access -i "$SNAP" --style recency-percentiles \
		--percentiles-range 0 101 50
	[ "${lines[2]}" = '  0               0 ns  |                    |' ]
	[ "${lines[4]}" = '100  1 h 50 m 48.200 s  |********************|' ]
	[ "${lines[5]}" = 'memory bw estimate: 75.464 GiB per second' ]
	run -0 damo report access -i "$SNAP" --style recency-sz-hist \
		--hist-ranges 0 1s 1s max
	[ "${lines[1]}" = '[0 ns, 1 s) 3.767 GiB  |                    |' ]
	[ "${lines[2]}" = '[1 s, max)  56.101 GiB |********************|' ]
	run -0 damo report access -i "$SNAP" --style recency-sz-hist --hist-logscale
	[ "${lines[1]}" = '[0 ns, 6.492 s)                        5.133 GiB  |***                 |' ]
	run -0 damo report access -i "$SNAP" --style temperature-percentiles \
		--temperature_weights 0 1 0
	[ "${lines[1]}" = '<percentile> <temperature (weights: [0, 1, 0])>' ]
	[ "${lines[8]}" = '100  100  |********************|' ]
}

@test "--sort-regions-by, --sort-regions-dsc and the region filters" {
	run -0 damo report access -i "$SNAP" --sort-regions-by size --sort-regions-dsc \
		--sz-region 1GiB max
	[ "${lines[3]}" = '0   addr 38.606 GiB   size 5.891 GiB   access 0 hz   age 1 h 39 m 47.300 s' ]
	[ "${lines[15]}" = '12  addr 4.000 GiB    size 1.366 GiB   access 0 hz   age 3.400 s      ' ]
	# damo's total size is the snapshot's, whatever the region filters
	[ "${lines[17]}" = 'total size: 59.868 GiB' ]
	run -0 damo report access -i "$SNAP" --access-rate 100 100 --total-sz-only
	[ "$output" = "$(printf '%s\n' '59.868 GiB' \
		'record DAMON intervals: sample 5 ms, aggr 100 ms')" ]
	run -0 damo report access -i "$SNAP" --age '1 h' max --address 0 40GiB \
		--format set region '<index> <size> <age>'
	[ "${lines[3]}" = '0   5.535 GiB   1 h 10 m 33.200 s' ]
	[ "${lines[6]}" = '3   1.394 GiB   1 h 39 m 47.300 s' ]
	[ "${lines[7]}" = 'memory bw estimate: 0 B per second' ]
	[ "${lines[8]}" = 'total size: 17.982 GiB' ]
	run -0 damo report access -i "$SNAP" --snapshot-idx 1 1 --total_sz_only
	[ "$output" = 'record DAMON intervals: sample 5 ms, aggr 100 ms' ]
}

@test "--format set and append, keywords and \\n" {
	run -0 damo report access -i "$SNAP" --format set snapshot_head '' \
		--format set region '' --format set snapshot_tail 'n=<number of regions>\ntotal=<total bytes>' \
		--format append record_tail '\nsource: <data source>'
	[ "$output" = "$(printf '%s\n' 'n=132' 'total=59.868 GiB' \
		'record DAMON intervals: sample 5 ms, aggr 100 ms' 'source: unknown')" ]
	# damo appends the text as it is, on the same line
	run -0 damo report access -i "$SNAP" --total-sz-only \
		--format append snapshot_tail ' total' --format append record_tail '.'
	[ "$output" = "$(printf '%s\n' '59.868 GiB total' \
		'record DAMON intervals: sample 5 ms, aggr 100 ms.')" ]
}

@test "--json with a style: the style's numbers in exact integers" {
	run -0 --separate-stderr damo report access -i "$SNAP" \
		--style recency-percentiles --json
	[ -z "$stderr" ]
	f=$BATS_TEST_TMPDIR/p.json
	printf '%s\n' "$output" > "$f"
	json_check "$f" 'length == 1 and .[0].kdamond_idx == 0 and .[0].target_id == null'
	json_check "$f" '.[0].snapshots[0].percentiles[4] == {"percentile": 75, "idle_time_us": 6193600000}'
	json_check "$f" '.[0].snapshots[0].total_bytes == 64282951680 and .[0].snapshots[0].aggr_us == 100000'
	run -0 damo report access -i "$R/damon.data.snapshot.active" \
		--style temperature-sz-hist --json
	printf '%s\n' "$output" > "$f"
	json_check "$f" '.[0].snapshots[0].histogram | length == 10'
	json_check "$f" '.[0].snapshots[0].df_passed_histogram[0] | has("min_temperature") and has("size")'
	run -0 damo report access -i "$SNAP" --style detailed --json
	printf '%s\n' "$output" > "$f"
	json_check "$f" '.[0].snapshots[0].regions[1] == {"start": 5761245184, "end": 5761253376, "nr_accesses": 20, "access_rate_percent": 100, "age_us": 700000, "temperature": 70010000, "sz_filter_passed": 0}'
}

@test "refusals: bad values are usage errors (64), naming the value" {
	run -64 --separate-stderr damo report access -i "$SNAP" --style boxes
	[[ "$stderr" == *"unknown style 'boxes'"* ]]
	run -64 --separate-stderr damo report access -i "$SNAP" --sort-regions-by heat
	[[ "$stderr" == *"unknown key 'heat'"* ]]
	run -64 --separate-stderr damo report access -i "$SNAP" --percentiles-range 0 101 200 7
	[[ "$stderr" == *"'101' is not a percentile"* ]]
	run -64 --separate-stderr damo report access -i "$SNAP" --sz-region 2GiB 1GiB
	[[ "$stderr" == *"minimum '2GiB' is above maximum '1GiB'"* ]]
	run -64 --separate-stderr damo report access -i "$SNAP" --age 1s
	[[ "$stderr" == *"--age takes two values"* ]]
	run -64 --separate-stderr damo report access -i "$SNAP" --format put region x
	[[ "$stderr" == *"'set' or 'append'"* ]]
	run -64 --separate-stderr damo report access -i "$SNAP" --format set body x
	[[ "$stderr" == *"unknown area 'body'"* ]]
	run -64 --separate-stderr damo report access -i "$SNAP" --raw-form --style detailed
	[[ "$stderr" == *"exclude each other"* ]]
	run -64 --separate-stderr damo report access -i "$SNAP" --hist-ranges 1 2 3
	[[ "$stderr" == *"pairs"* ]]
	run -64 --separate-stderr damo report access -i "$SNAP" --temperature-weights 1 x 0
	[[ "$stderr" == *"'x' is not an integer"* ]]
	# a style needs the intervals, in JSON too
	run -1 --separate-stderr damo report access -i "$R/damon.data" \
		--style recency-percentiles --json
	[[ "$output" == *"some records lack the intervals information"* ]]
}
