#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# damo report damon: damo 3.3's text of kdamonds files, byte for byte
# (test/fixtures/report_damon/*.txt, made by its make-expected.py with
# damo's own printers), and what runs on a fake kernel tree.

load ../helpers

RD=$FIXTURES/report_damon

@test "report damon --input_file prints damo's text, raw, params and stats" {
	local f n opt arg
	for f in "$RD"/*.json; do
		n=${f%.json}
		for opt in default raw damon_params damos_stats; do
			case $opt in
			default) arg=() ;;
			*) arg=("--$opt") ;;
			esac
			run -0 damo report damon --input_file "$f" "${arg[@]}"
			[ "$output" = "$(cat "$n.$opt.txt")" ] ||
				{ diff <(echo "$output") "$n.$opt.txt"; false; }
		done
	done
	[ "$(ls "$RD"/*.json | wc -l)" -eq 6 ]
}

@test "report damon --damos_stat_fields and --kdamonds_summary" {
	run -0 damo report damon --input_file "$RD/vaddr.json" --damos_stats \
		--damos_stat_fields sz_applied
	[ "$output" = "0 B" ]
	run -0 damo report damon --input_file "$RD/vaddr.json" --damos_stats \
		--damos_stat_fields nr_tried qt_exceeds
	[ "$output" = "$(printf 'nr_tried: 0\nqt_exceeds: 0')" ]
	run -0 damo report damon --input_file "$RD/vaddr.json" --kdamonds_summary
	[ "$output" = "$(printf '0\tstate: off')" ]
	run -64 damo report damon --damos_stats --damos_stat_fields frob
}

@test "report damon --format json is a kdamonds document; yaml too" {
	run -0 damo report damon --input_file "$RD/vaddr.json" --format json
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/k.json"
	json_check "$BATS_TEST_TMPDIR/k.json" '.kdamonds[0].contexts[0].targets[0].pid == 42'
	run -0 damo report damon --input_file "$RD/vaddr.json" --format yaml
	[[ "$output" == kdamonds:* ]]
}

@test "report damon shows the running kdamond: state, pid, stats, tried regions" {
	make_sysfs 7.2
	echo 0 > "$DAMO_SYSFS_ROOT/kdamonds/nr_kdamonds"
	echo off > "$DAMO_SYSFS_ROOT/kdamonds/0/state"
	run -0 damo start --ops paddr --damos_action stat
	S=$DAMO_SYSFS_ROOT/kdamonds/0/contexts/0/schemes/0
	echo 7 > "$S/stats/nr_tried"
	echo 8192 > "$S/stats/sz_tried"
	run -0 damo report damon --damos_stats --damos_stat_fields nr_tried sz_tried
	[ "$output" = "$(printf 'nr_tried: 7\nsz_tried: 8.000 KiB')" ]
	# a fake tree keeps the refresh commands written to state; a kdamond
	# refreshing itself (refresh_ms) is only read
	echo 1000 > "$DAMO_SYSFS_ROOT/kdamonds/0/refresh_ms"
	echo on > "$DAMO_SYSFS_ROOT/kdamonds/0/state"
	run -0 damo report damon --omit_damos_tried_regions
	[ "${lines[0]}" = "kdamond 0" ]
	[[ "${lines[1]}" == "    state: on"*", stats refresh per: 1 s" ]]
	[[ "$output" == *"        ops: paddr"* ]]
	[[ "$output" == *"                tried 7 times (8.000 KiB)"* ]]
	[[ "$output" != *"tried regions"* ]]
	run -0 damo report damon --show_cpu_usage --kdamonds_summary
	[[ "$output" == "0	state: on"*", cpu usage: "* ]]
	run -0 damo report damon
	[[ "$output" == *"            tried regions ("* ]]
}

@test "report damon refuses what it does not build, by name" {
	run -1 --separate-stderr damo report damon --damon_params_omit_defaults
	[[ "$stderr" == *"--damon_params_omit_defaults: not built in damo (C)"* ]]
	run -1 --separate-stderr damo report damon --damon_interface_DEPRECATED debugfs
	[[ "$stderr" == *"sysfs interface only"* ]]
	run -0 damo report damon --damon_interface_DEPRECATED sysfs --input_file "$RD/vaddr.json"
}
