#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# damo 3.3's older and other words for commands this has under another
# name: convert_record_format, record_info (pa_layout: report_pa_layout.bats).

load ../helpers

@test "convert_record_format --record_file converts in place, keeping the old file" {
	cp "$FIXTURES/records/damon.data.json_compressed" "$BATS_TEST_TMPDIR/r.data"
	run -0 damo convert_record_format --record_file "$BATS_TEST_TMPDIR/r.data" \
		--format json
	[ -f "$BATS_TEST_TMPDIR/r.data.old" ]
	cmp "$BATS_TEST_TMPDIR/r.data.old" "$FIXTURES/records/damon.data.json_compressed"
	jq -e 'length == 1 and (.[0].snapshots | length) == 543' "$BATS_TEST_TMPDIR/r.data" >/dev/null
	run -0 damo convert_record_format --record_file "$BATS_TEST_TMPDIR/r.data" \
		--output_file "$BATS_TEST_TMPDIR/n.data" --format native
	run -0 damo report record_info -i "$BATS_TEST_TMPDIR/n.data"
	[ "$output" = "$(damo report record_info -i "$FIXTURES/records/damon.data.json_compressed")" ]
	run -64 damo convert_record_format "$BATS_TEST_TMPDIR/r.data" \
		--record_file "$BATS_TEST_TMPDIR/r.data"
}

@test "record_info is damo's older word for report record_info" {
	run -0 --separate-stderr damo record_info -i "$FIXTURES/records/damon.data.json_compressed"
	[ "$output" = "$(damo report record_info -i "$FIXTURES/records/damon.data.json_compressed")" ]
	[[ "$stderr" == *"'damo record_info' is damo's older word for 'damo report record_info'"* ]]
}

@test "help topics show the options of their kind" {
	run -0 damo help damon_param_options
	[ "${lines[0]}" = "command line options for DAMON parameters" ]
	[[ "$output" == *--damos-action* ]]
	run -0 damo help damon_param_options damos
	run -0 damo help access_filter_options
	[[ "$output" == *"Usage: damo report access"* ]]
	run -0 damo help access_format_options
	run -64 damo help damon_param_options frob
	run -64 damo help access_filter_options all
	run -0 damo help --help
	[[ "$output" == *"access_format_options"* ]]
}

@test "setup_cli_completion says where the script is, or that it is not installed" {
	DAMO_BASH_COMPLETION=$SRC/completions/damo.bash run -0 damo setup_cli_completion
	[[ "$output" == *"source $SRC/completions/damo.bash"* ]]
	DAMO_BASH_COMPLETION=$BATS_TEST_TMPDIR/none run -1 --separate-stderr damo setup_cli_completion
	[[ "$stderr" == *"the bash completion script is not installed at $BATS_TEST_TMPDIR/none"* ]]
	run -64 damo setup_cli_completion extra
}

@test "diagnose prints the system, every feature and what runs" {
	make_sysfs 7.2
	echo 0 > "$DAMO_SYSFS_ROOT/kdamonds/nr_kdamonds"
	echo off > "$DAMO_SYSFS_ROOT/kdamonds/0/state"
	run -0 damo start --ops paddr --damos_action stat
	echo 1000 > "$DAMO_SYSFS_ROOT/kdamonds/0/refresh_ms"
	run -0 damo diagnose
	[ "${lines[0]}" = "# system" ]
	[ "${lines[3]}" = "DAMON version: 7.2" ]
	[[ "$output" == *"available DAMON features:"* ]]
	[[ "$output" == *$'\n# DAMON\nkdamond 0\n'* ]]
	[[ "$output" == *"action: stat per aggr interval"* ]]
	run -0 damo diagnose --verbose
	run -64 --separate-stderr damo diagnose -j
	[[ "$stderr$output" == *"'damo report sysinfo -j' and 'damo report damon -j' give JSON"* ]]
}
