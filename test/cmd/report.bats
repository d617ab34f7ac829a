#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# damo report: record-info, wss and nr_regions on the record Python damo
# wrote and reported on (docs/damo-compat.md §4.2 guide, §4.3, §4.4, §4.5).

load ../helpers

setup() {
	DATA=$FIXTURES/records/damon.data
}

# Every line of $1 is a line of the last run's output.
has_lines() {
	local l
	while IFS= read -r l; do
		grep -qxF -- "$l" <<<"$output" || { echo "missing '$l'"; return 1; }
	done <<<"$1"
}

@test "record-info --raw-numbers is damo's heatmap --guide, byte for byte" {
	run -0 --separate-stderr damo report record-info --input "$DATA" --raw-numbers
	[ -z "$stderr" ]
	[ "$output" = "$(printf '%s\n' \
		'target_id: 18446623438842320000' \
		'time: [539809434100, 596606618651) (56797184551)' \
		$'region\t 0: [94827419009024, 94827452162048) (33153024)' \
		$'region\t 1: [140271510761472, 140271717171200) (206409728)' \
		$'region\t 2: [140734916239360, 140734916927488) (688128)')" ]
}

@test "record-info in human units; damo's record_info and --raw_numbers spellings" {
	run -0 damo report record_info -i "$DATA"
	has_lines 'time: [8 m 59.809 s, 9 m 56.607 s) (56.797 s)'
	has_lines $'region\t 1: [127.576196 TiB, 127.576384 TiB) (196.848 MiB)'
	run -0 damo report record-info -i "$DATA" --raw_numbers
	has_lines 'time: [539809434100, 596606618651) (56797184551)'
}

@test "record-info --json has the guide and the counts" {
	run -0 --separate-stderr damo report record-info -i "$DATA" --json
	[ -z "$stderr" ]
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/o.json"
	json_check "$BATS_TEST_TMPDIR/o.json" 'length == 1 and
		.[0].nr_snapshots == 543 and .[0].nr_regions == 9773 and
		.[0].start_ns == 539809434100 and .[0].end_ns == 596606618651 and
		.[0].kdamond_idx == null and (.[0].regions | length) == 3 and
		.[0].regions[1].size == 206409728'
}

@test "wss: damo's default output" {
	cd "$BATS_TEST_TMPDIR"
	cp "$DATA" damon.data
	run -0 --separate-stderr damo report wss
	[ -z "$stderr" ]
	[ "${lines[0]}" = $'# target_id\t0' ]
	[ "${lines[1]}" = '# <percentile> <wss>' ]
	[ "${lines[2]}" = $'# avr:\t108.201 MiB' ]
	[ "${#lines[@]}" -eq 8 ]
	has_lines '  0      95.160 MiB |****************************                               |
 25      95.391 MiB |****************************                               |
100     196.871 MiB |***********************************************************|'
}

@test "wss -r 1 101 1 --raw_number: damo's test form" {
	run -0 damo report wss -i "$DATA" -r 1 101 1 --raw_number
	[ "${lines[2]}" = $'# avr:\t113456913' ]
	[[ "${lines[3]}" == '  1        99979264 |****'* ]]
	[ "${#lines[@]}" -eq 103 ]
	[[ "${lines[102]}" == '100       206434304 |'*'*|' ]]
}

@test "wss options: --per-target, --all-wss, --sortby time, thresholds" {
	run -0 damo report wss -i "$DATA" --per-target --range 0 101 50
	[ "${lines[0]}" = $'# target_id\t18446623438842320000' ]
	run -0 damo report wss -i "$DATA" --all_wss --raw-number
	[ "${#lines[@]}" -eq $((3 + 543 - 20)) ]
	run -0 damo report wss -i "$DATA" --sortby time --exclude_samples 0 --all-wss
	[ "${#lines[@]}" -eq $((3 + 543)) ]
	run -0 damo report wss -i "$DATA" --acc_thres 1000
	[ "${lines[2]}" = $'# avr:\t0 B' ]
	run -0 damo report wss -i "$DATA" --sz_thres 1G --raw-number
	[ "${lines[2]}" = $'# avr:\t0' ]
	# damo 3.3 keeps the header over no snapshot
	run -0 damo report wss -i "$DATA" --exclude-samples 1000
	[ "${lines[1]}" = '# <percentile> <wss>' ]
	[ "${lines[2]}" = '# no snapshot' ]
}

@test "wss --json: percentiles and average in bytes" {
	run -0 --separate-stderr damo report wss -i "$DATA" --json -r 1 101 1
	[ -z "$stderr" ]
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/o.json"
	json_check "$BATS_TEST_TMPDIR/o.json" 'length == 1 and
		.[0].target_id == 0 and .[0].avr == 113456913 and
		(.[0].percentiles | length) == 100 and
		.[0].percentiles[0] == {"percentile": 1, "wss": 99979264}'
}

@test "nr_regions: damo's output" {
	run -0 --separate-stderr damo report nr_regions -i "$DATA"
	[ -z "$stderr" ]
	[ "$output" = "$(printf '%s\n' '# <percentile> <# regions>' \
		$'# target_id\t18446623438842320000' $'# avr:\t18' \
		$'0\t16' $'25\t17' $'50\t18' $'75\t19' $'100\t21')" ]
	run -0 damo report nr-regions -i "$DATA" --range 100 101 1
	[ "${lines[3]}" = $'100\t21' ]
}

@test "nr_regions --json" {
	run -0 damo report nr_regions -i "$DATA" --json
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/o.json"
	json_check "$BATS_TEST_TMPDIR/o.json" '.[0].avr == 18 and
		[.[0].percentiles[].nr_regions] == [16, 17, 18, 19, 21]'
}

@test "a snapshot file has no target id: record-info omits it, nr_regions says None" {
	local f=$FIXTURES/records/damon.data.snapshot.hugepage
	run -0 damo report record-info -i "$f"
	[[ "$output" != *target_id* ]]
	damo report record-info -i "$f" --json >"$BATS_TEST_TMPDIR/o"
	json_check "$BATS_TEST_TMPDIR/o" '.[0] | has("target_id") and .target_id == null'
	# damo 3.3 prints this line, then fails dividing by no snapshot
	run -0 damo report nr_regions -i "$f"
	[ "$output" = "$(printf '%s\n' '# <percentile> <# regions>' \
		'# target_id	None' '# no snapshot')" ]
	damo report nr_regions -i "$f" --json >"$BATS_TEST_TMPDIR/o"
	json_check "$BATS_TEST_TMPDIR/o" '.[0].target_id == null'
}

@test "a missing input file fails with 1 and names the file" {
	cd "$BATS_TEST_TMPDIR"
	for t in record-info wss nr_regions access "access --raw-form"; do
		# shellcheck disable=SC2086 # the words of $t are arguments
		run -1 --separate-stderr damo report $t
		[[ "$stderr" == *damon.data* ]]
		# shellcheck disable=SC2086 # the words of $t are arguments
		run -1 --separate-stderr damo report $t --input nosuch.data
		[[ "$stderr" == *nosuch.data* ]]
	done
	run -1 --separate-stderr damo report wss --json -i nosuch.data
	printf '%s\n' "$output" >o.json
	json_check o.json 'has("error")'
}

@test "usage errors exit with 64" {
	run -64 --separate-stderr damo report nosuch
	[[ "$stderr" == *"unknown report type 'nosuch'"* ]]
	run -64 damo report
	run -64 damo report wss --sortby age
	run -64 damo report wss --range 0 101
	run -64 damo report wss --range 0 101 0
	run -64 damo report nr_regions extra
}

@test "help, list of types and options" {
	run -0 damo report --help
	[[ "$output" == *record-info* ]]
	run -0 damo report --list-opts
	[ "$output" = "$(printf '%s\n' access damon footprint heatmap holistic nr_regions pa_layout profile record-info sysinfo times trace tried wss)" ]
	run -0 damo report wss --help
	[[ "$output" == *Examples:* ]]
	run -0 damo report wss --list-opts
	[[ "$output" == *--acc-thres* ]]
	[[ "$output" != *--acc_thres* ]]
}

@test "heatmap --output raw is damo's 500x500 matrix, byte for byte" {
	damo report heatmap -i "$DATA" --output raw >"$BATS_TEST_TMPDIR/raw"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/raw")" -eq 250000 ]
	[ "$(wc -c <"$BATS_TEST_TMPDIR/raw")" -eq 7970731 ]
	[ "$(md5sum <"$BATS_TEST_TMPDIR/raw" | cut -d' ' -f1)" = fb2a344ae3e56085f2eb9292567882d6 ]
	run -0 sed -n '1p;485p;4501p;250000p' "$BATS_TEST_TMPDIR/raw"
	[ "$output" = "$(printf '%s\n' $'0\t0\tNaN' $'0\t199804396\t0.0' \
		$'1022349321\t0\t4.617940137508048' $'56683590131\t205996681\t0.0')" ]
}

@test "heatmap --resol 10 40 without colour is damo's map" {
	run -0 --separate-stderr damo report heatmap -i "$DATA" --resol 10 40 --no-color
	[ -z "$stderr" ]
	[ "${#lines[@]}" -eq 14 ]
	[ "${lines[0]}" = 6666666665555556665555555555555555555540 ]
	[ "${lines[1]}" = 3333333333333333333688888888888888888860 ]
	[ "${lines[11]}" = '# x-axis: space [127.576196 TiB, 127.576384 TiB) (196.848 MiB)' ]
	[ "${lines[12]}" = '# y-axis: time [8 m 59.809 s, 9 m 56.607 s) (56.797 s)' ]
	[ "${lines[13]}" = '# resolution: 40x10 (4.921 MiB and 5.680 s for each character)' ]
	# NO_COLOR and a pipe give the same; --color=always the escapes
	NO_COLOR=1 run -0 damo report heatmap -i "$DATA" --resol 10 40 --color auto
	[ "${lines[0]}" = 6666666665555556665555555555555555555540 ]
	run -0 damo report heatmap -i "$DATA" --resol 10 40 --color always \
		--stdout-colorset flame
	[[ "${lines[0]}" == $'\e[48;5;'* ]]
	stripped=$(sed 's/\x1b\[[0-9;]*m//g' <<<"$output")
	[ "$(head -1 <<<"$stripped")" = 6666666665555556665555555555555555555540 ]
	[ "$(sed -n 11p <<<"$stripped")" = '# access_frequency: 0123456789 (0.000-19.153 samples)' ]
}

@test "heatmap --guide, --draw-range all, --stdout_skip_colorset_example" {
	run -0 damo report heatmap -i "$DATA" --guide
	[ "${lines[1]}" = 'time: [539809434100, 596606618651) (56797184551)' ]
	run -0 damo report heatmap -i "$DATA" --draw_range all --resol 3 10 \
		--no-color --stdout_skip_colorset_example
	[ "${#lines[@]}" -eq 18 ]
	[ "${lines[3]}" = '# x-axis: space [86.245035 TiB, 86.245065 TiB) (31.617 MiB)' ]
	run -0 damo report heatmap -i "$DATA" --resol 4 8 --no-color \
		--address-range 140271510761472 140271717171200 \
		--time-range 539809434100 596606618651
	[ "${lines[0]}" != "" ]
	[ "${lines[5]}" = '# x-axis: space [127.576196 TiB, 127.576384 TiB) (196.848 MiB)' ]
}

@test "heatmap --json: rows of heats and the axes" {
	run -0 --separate-stderr damo report heatmap -i "$DATA" --resol 4 5 --json
	[ -z "$stderr" ]
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/o.json"
	json_check "$BATS_TEST_TMPDIR/o.json" 'length == 1 and .[0].rows == 4 and
		.[0].cols == 5 and (.[0].heats | length) == 4 and
		(.[0].heats[0] | length) == 5 and .[0].addr_start == 140271510761472 and
		.[0].time_start_ns == 539809434100 and
		([.[0].heats[][] | select(. != null)] | length) > 0'
	run -64 damo report heatmap -i "$DATA" --resol 4
	run -64 damo report heatmap -i "$DATA" --output png
}

@test "access --raw-form: damo's text for damon.data, byte for byte" {
	damo report access --raw-form --input "$DATA" >"$BATS_TEST_TMPDIR/o"
	# docs/damo-compat.md §4.1's real output: the head of the first snapshots
	head -n 19 "$BATS_TEST_TMPDIR/o" >"$BATS_TEST_TMPDIR/head"
	printf '%s\n' \
		'base_time_absolute: 8 m 59.809 s' \
		'data source: unknown' \
		'' \
		'monitoring_start:                0 ns' \
		'monitoring_end:            104.599 ms' \
		'monitoring_duration:       104.599 ms' \
		'target_id: 18446623438842320000' \
		'nr_regions: 10' \
		'# start_addr     end_addr        length  nr_accesses   age' \
		'563ebaa00000-563ebadf3000 (   3.949 MiB)           0    -1' \
		'563ebadf3000-563ebb1e6000 (   3.949 MiB)           0    -1' \
		'563ebb1e6000-563ebb5d9000 (   3.949 MiB)           0    -1' \
		'563ebb5d9000-563ebb9cc000 (   3.949 MiB)           0    -1' \
		'563ebb9cc000-563ebbdbf000 (   3.949 MiB)           0    -1' \
		'563ebbdbf000-563ebc1b2000 (   3.949 MiB)           0    -1' \
		'563ebc1b2000-563ebc5a5000 (   3.949 MiB)           0    -1' \
		'563ebc5a5000-563ebc99e000 (   3.973 MiB)           0    -1' \
		'7f938d7e1000-7f938ddfc000 (   6.105 MiB)           0    -1' \
		'7fff66b0a000-7fff66bb2000 ( 672.000 KiB)           0    -1' \
		>"$BATS_TEST_TMPDIR/want"
	cmp "$BATS_TEST_TMPDIR/head" "$BATS_TEST_TMPDIR/want"
	run -0 sed -n '20,22p' "$BATS_TEST_TMPDIR/o"
	[ "$output" = "$(printf '%s\n' '' \
		'monitoring_start:          104.599 ms' \
		'monitoring_end:            208.590 ms')" ]
	# 543 snapshots of 9,773 regions: over 50 lines, so damo's pager
	# shows the text as is: the empty line after the last snapshot, with
	# no newline added (damo 3.3: 13577 lines, ending "-1\n\n")
	[ "$(wc -l <"$BATS_TEST_TMPDIR/o")" -eq $((3 + 543 * 7 + 9773)) ]
	[ "$(tail -c 4 "$BATS_TEST_TMPDIR/o" | od -An -c | tr -d ' ')" = '-1\n\n' ]
	run -0 --separate-stderr damo report access --raw_form -i "$DATA" \
		--raw_number
	[ -z "$stderr" ]
	has_lines 'base_time_absolute: 539809434100'
	has_lines "$(printf 'monitoring_end:      %16s' 104598867)"
	has_lines '7fff66b0a000-7fff66bb2000 (      688128)           0    -1'
}

@test "access --raw-form on a snapshot file: ages, and damo's print adds a newline" {
	local f=$FIXTURES/records/damon.data.snapshot.active
	damo report access --raw-form -i "$f" >"$BATS_TEST_TMPDIR/o"
	# 34 regions: 44 lines, at most 50, so damo print()s them with a
	# newline of its own (damo 3.3: 45 lines, ending "67\n\n\n")
	[ "$(wc -l <"$BATS_TEST_TMPDIR/o")" -eq 45 ]
	[ "$(tail -c 4 "$BATS_TEST_TMPDIR/o" | od -An -c | tr -d ' ')" = '7\n\n\n' ]
	run -0 sed -n '4,9p' "$BATS_TEST_TMPDIR/o"
	[ "$output" = "$(printf '%s\n' \
		'monitoring_start:                0 ns' \
		'monitoring_end:                   3 s' \
		'monitoring_duration:              3 s' \
		'target_id: None' \
		'nr_regions: 34' \
		'# start_addr     end_addr        length  nr_accesses   age')" ]
}

@test "access without --raw-form or --json: damon.data lacks intervals" {
	run -1 --separate-stderr damo report access -i "$DATA"
	[ -z "$output" ]
	[[ "$stderr" == *"some records lack the intervals information"* ]]
}

@test "access --json: the regions of each snapshot in exact integers" {
	run -0 --separate-stderr damo report access --json -i "$DATA"
	[ -z "$stderr" ]
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/o.json"
	json_check "$BATS_TEST_TMPDIR/o.json" 'length == 1'
	json_check "$BATS_TEST_TMPDIR/o.json" \
		'.[0].target_id == 18446623438842320000'
	json_check "$BATS_TEST_TMPDIR/o.json" '.[0].snapshots | length == 543'
	json_check "$BATS_TEST_TMPDIR/o.json" \
		'[.[0].snapshots[].regions | length] | add == 9773'
	json_check "$BATS_TEST_TMPDIR/o.json" \
		'.[0].snapshots[0] | .start_time == 539809434100 and .end_time == 539914032967'
	json_check "$BATS_TEST_TMPDIR/o.json" \
		'.[0].snapshots[0].regions[0] == {"start": 94827419009024, "end": 94827423150080, "nr_accesses": 0, "age": null, "access_rate_percent": null, "age_us": null, "probe_hits": [], "sz_filter_passed": 0}'
	# damo's record keys, null where damon.data does not say
	json_check "$BATS_TEST_TMPDIR/o.json" \
		'.[0] | del(.snapshots) == {"kdamond_idx": null, "context_idx": null, "intervals": null, "scheme_idx": null, "target_id": 18446623438842320000, "scheme_filters": [], "data_source": "unknown"}'
	json_check "$BATS_TEST_TMPDIR/o.json" \
		'.[0].snapshots[0] | .total_bytes == 40243200 and .damos_stats == null and .sample_interval_us == null'
	run -0 --separate-stderr damo report access --json \
		-i "$FIXTURES/records/damon.data.snapshot.active"
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/a.json"
	json_check "$BATS_TEST_TMPDIR/a.json" '.[0].target_id == null'
	json_check "$BATS_TEST_TMPDIR/a.json" \
		'.[0].snapshots[0].regions[0] == {"start": 4294967296, "end": 4456865792, "nr_accesses": 0, "age": 5, "access_rate_percent": 0, "age_us": 15000000, "probe_hits": [], "sz_filter_passed": 32862371}'
	json_check "$BATS_TEST_TMPDIR/a.json" \
		'.[0].intervals.aggr_us == 3000000 and .[0].scheme_filters[0].filter_type == "active" and .[0].snapshots[0].damos_stats.nr_tried == 0'
}

# Run "damo $@" with standard error on a terminal (script(1)'s pty),
# standard output to a file; the terminal's text into $output.
on_tty() {
	local cmd="DAMO_PROGRESS_NOW=1 '$DAMO'" a
	for a in "$@"; do
		cmd+=" '$a'"
	done
	run script -qec "$cmd >'$BATS_TEST_TMPDIR/out'" /dev/null
}

@test "a report shows its progress on a terminal, erased at the end; --quiet, --json and pipes show none" {
	command -v script >/dev/null || skip "no script(1)"
	on_tty report wss -i "$DATA"
	[ "$status" -eq 0 ]
	[[ "$output" == *"reading $DATA: "*" of 69.154 KiB ("*"%), "*" snapshots, "*"/s"* ]]
	# the last thing on the terminal erases the line
	[[ "$output" == *$'\r\033[K' ]]
	damo report wss -i "$DATA" >"$BATS_TEST_TMPDIR/expected"
	cmp "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/expected"
	on_tty report wss -i "$DATA" --quiet
	[ "$status" -eq 0 ] && [ -z "$output" ]
	on_tty -q report nr_regions -i "$DATA"
	[ "$status" -eq 0 ] && [ -z "$output" ]
	on_tty report wss -i "$DATA" --json
	[ "$status" -eq 0 ] && [ -z "$output" ]
	DAMO_PROGRESS_NOW=1 run -0 --separate-stderr damo report wss -i "$DATA"
	[ -z "$stderr" ]
}

@test "convert shows its progress on a terminal too; --quiet silences it" {
	command -v script >/dev/null || skip "no script(1)"
	on_tty convert "$DATA" --format native -o "$BATS_TEST_TMPDIR/n.data"
	[ "$status" -eq 0 ]
	[[ "$output" == *"reading $DATA: "*" snapshots, "* ]]
	on_tty convert "$DATA" --format native -o "$BATS_TEST_TMPDIR/n.data" -q
	[ "$status" -eq 0 ]
	[[ "$output" != *"reading "* ]]
	grep -q "converted 1 records with 543 snapshots" "$BATS_TEST_TMPDIR/out"
}
