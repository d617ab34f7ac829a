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
