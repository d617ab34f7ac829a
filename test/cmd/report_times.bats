#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# damo report times: the intervals in which snapshots have regions passing
# the record filters, byte for byte as Python damo prints them (expected
# outputs and the commands that wrote them: test/fixtures/report_times/).

load ../helpers

setup() {
	R=$FIXTURES/records
	E=$FIXTURES/report_times
}

@test "times of a recording, as damo prints them" {
	run -0 --separate-stderr damo report times --input "$R/damon.data"
	[ -z "$stderr" ]
	[ "$output" = "$(cat "$E/damon.data.txt")" ]
	# damo's --inputs FILE PROFILE, the profile unread
	run -0 damo report times --inputs "$R/damon.data" damon.data.profile
	[ "$output" = "$(cat "$E/damon.data.txt")" ]
}

@test "filtered regions split the times into intervals" {
	run -0 damo report times -i "$R/damon.data" --sz_region 0 8192
	[ "$output" = "$(cat "$E/damon.data.sz_region.txt")" ]
	[ "${#lines[@]}" -eq 4 ]
	run -0 damo report times -i "$R/perf.data.script" --snapshot-idx 10 20
	[ "$output" = "$(cat "$E/perf.data.script.snapshot_idx.txt")" ]
	# nothing passes: nothing printed
	run -0 --separate-stderr damo report times -i "$R/damon.data" \
		--sz-region 1G max
	[ -z "$output" ]
	[ -z "$stderr" ]
}

@test "times --json: start and end of each interval in ns" {
	run -0 --separate-stderr damo report times -i "$R/damon.data" \
		--sz_region 0 8192 --json
	[ -z "$stderr" ]
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/t.json"
	json_check "$BATS_TEST_TMPDIR/t.json" 'length == 2 and
		.[0].start_ns == 540226005129 and .[1].end_ns == 596606618651'
	run -0 damo report times -i "$R/damon.data" --sz_region 1G max --json
	[ "$output" = "[]" ]
}

@test "times: bad input is an error naming it" {
	run -1 --separate-stderr damo report times -i "$BATS_TEST_TMPDIR/none"
	[[ "$stderr" == *"$BATS_TEST_TMPDIR/none"* ]]
	run -64 --separate-stderr damo report times --inputs "$R/damon.data"
	[[ "$stderr" == *"--inputs takes FILE PROFILE"* ]]
	run -64 --separate-stderr damo report times extra
	[[ "$stderr" == *"unexpected argument 'extra'"* ]]
}
