#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# damo adjust (docs/damo-compat.md §4.6) and what shares its re-aggregation:
# report wss --work-time (§4.3).

load ../helpers

setup() {
	DATA=$FIXTURES/records/damon.data
	cd "$BATS_TEST_TMPDIR"
	cp "$DATA" damon.data
}

@test "adjust --aggregate_interval 1000000: damo's aggr_1s_raw test" {
	run -0 --separate-stderr damo adjust --aggregate_interval 1000000
	[ -z "$output" ]
	[ -z "$stderr" ]
	[ "$(stat -c %a damon.adjusted.data)" = 600 ]
	run -0 damo report access --raw_form --input damon.adjusted.data
	[ "$(head -13 <<<"$output")" = "$(printf '%s\n' \
		'base_time_absolute: 9 m 1.902 s' \
		'data source: unknown' \
		'' \
		'monitoring_start:                0 ns' \
		'monitoring_end:               1.052 s' \
		'monitoring_duration:          1.052 s' \
		'target_id: 18446623438842320000' \
		'nr_regions: 19' \
		'# start_addr     end_addr        length  nr_accesses   age' \
		'563ebaa00000-563ebaa01000 (   4.000 KiB)           0    -1' \
		'563ebaa01000-563ebaa02000 (   4.000 KiB)         207    -1' \
		'563ebaa02000-563ebaa04000 (   8.000 KiB)         106    -1' \
		'563ebaa04000-563ebc025000 (  22.129 MiB)           0    -1')" ]
	[ "$(grep -c '^monitoring_start' <<<"$output")" -eq 52 ]
}

@test "adjust --skip 30 leaves 51 snapshots; --json says what it did" {
	run -0 --separate-stderr damo adjust --skip 30 --aggregate-interval '1 s' --json
	[ -z "$stderr" ]
	printf '%s\n' "$output" > o.json
	json_check o.json '.records == 1 and .snapshots_read == 543 and
		.snapshots_written == 51 and .aggr_us == 1000000 and
		.format == "json_compressed" and .output == "damon.adjusted.data"'
	run -0 damo report access --raw-form -i damon.adjusted.data
	[ "$(grep -c '^monitoring_start' <<<"$output")" -eq 51 ]
}

@test "adjust sets the new interval in records that have intervals" {
	run -0 damo adjust -i "$FIXTURES/records/damon.data.snapshot.nofilter" \
		--aggregate-interval 100ms --skip 0 -o a.json --output-type json
	# one 100 ms snapshot: a group of exactly the interval
	run -0 damo report access -i a.json --total-sz-only
	[ "$output" = "$(printf '%s\n' '59.868 GiB' \
		'record DAMON intervals: sample 5 ms, aggr 100 ms')" ]
	run -0 damo adjust -i "$FIXTURES/records/damon.data.snapshot.nofilter" \
		--aggregate-interval 200ms --skip 0 -o b.json --output-type json
	# a group shorter than the interval is dropped, as damo drops it
	run -0 damo report access -i b.json --total-sz-only
	[ "$output" = 'record DAMON intervals: sample 5 ms, aggr 200 ms' ]
	head -c 1 b.json | grep -q '\['
}

@test "adjust without an interval only filters, and skips nothing" {
	run -0 damo adjust --sz-region 1MiB max --output-permission 640 -o f.data
	[ "$(stat -c %a f.data)" = 640 ]
	run -0 damo report access --raw-form -i f.data
	[ "$(grep -c '^monitoring_start' <<<"$output")" -eq 543 ]
	[ -z "$(grep -e ' KiB)' -e ' B)' <<<"$output")" ]
	grep -qxF '563ebaa00000-563ebadf3000 (   3.949 MiB)           0    -1' <<<"$output"
}

@test "adjust refusals: usage errors are 64, unreadable input 1 with nothing written" {
	run -64 --separate-stderr damo adjust --output-type perf_script
	[[ "$stderr" == *"perf_script is not written"* ]]
	run -64 --separate-stderr damo adjust --aggregate-interval 0
	[[ "$stderr" == *"'0' is not a positive time"* ]]
	run -64 --separate-stderr damo adjust --output-permission 999
	[[ "$stderr" == *"'999' is not an octal mode"* ]]
	run -64 --separate-stderr damo adjust --skip many
	[[ "$stderr" == *"'many' is not a count"* ]]
	run -1 --separate-stderr damo adjust -i missing.data -o out.data
	[[ "$stderr" == *"missing.data"* ]]
	[ ! -e out.data ]
	printf '[{"snapshots": [' > bad.json
	run -1 --separate-stderr damo adjust -i bad.json -o out.data
	[[ "$stderr" == *"bad.json:1:"* ]]
	[ ! -e out.data ] && [ ! -e out.data.tmp ]
}

@test "wss --work_time 1000000: damo's wss_worktime_1s numbers" {
	run -0 --separate-stderr damo report wss -r 1 101 1 --work_time 1000000 --raw_number
	[ -z "$stderr" ]
	[ "${lines[2]}" = $'# avr:\t133678867' ]
	[ "${lines[3]}" = '  1        99987456 |****************************                               |' ]
	[ "${lines[13]}" = ' 11       100020224 |****************************                               |' ]
	[ "${lines[67]}" = ' 65       106426368 |******************************                             |' ]
	[ "${lines[102]}" = '100       206434304 |***********************************************************|' ]
	# the default work time leaves every snapshot alone (damo's wss test)
	run -0 damo report wss -r 1 101 1 --raw_number --work-time 1
	[ "${lines[2]}" = $'# avr:\t113456913' ]
	run -64 --separate-stderr damo report wss --work-time 0
	[[ "$stderr" == *"--work-time: '0'"* ]]
}

@test "nr_regions --work-time counts the regions adjust would write" {
	run -0 damo adjust --aggregate-interval 1s -o adj.data
	run -0 damo report access --raw-form -i adj.data
	want=$(grep '^nr_regions' <<<"$output" | awk '{print $2}' | sort -n |
		awk '{a[NR] = $1} END {printf "%s %s %s %s %s", a[1],
			a[int(NR / 4) + 1], a[int(NR / 2) + 1], a[int(NR * 3 / 4) + 1], a[NR]}')
	run -0 --separate-stderr damo report nr_regions --work-time 1s
	[ -z "$stderr" ]
	[ "$(tail -5 <<<"$output" | cut -f2 | tr '\n' ' ')" = "$want " ]
	[ "$want" = '16 18 18 19 21' ]
	run -64 damo report nr_regions --work-time soon
}
