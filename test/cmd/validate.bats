#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# damo validate against Python damo 3.3's verdicts and messages on the same
# record (test/fixtures/validate/expected.txt, made by its make-expected.sh).

load ../helpers

REC=$FIXTURES/records/damon.data.json_compressed

@test "validate gives damo's verdict and message, case by case" {
	local opts want msg n=0
	while IFS=$'\t' read -r opts want msg; do
		# shellcheck disable=SC2086
		run --separate-stderr damo validate -i "$REC" $opts
		echo "case: $opts -> $status, $stderr"
		[ "$status" -eq "$want" ]
		[ -z "$output" ]
		if [ "$want" -eq 0 ]; then
			[ -z "$stderr" ]
		else
			[ "$stderr" = "damo: error: $REC: $msg" ]
		fi
		n=$((n + 1))
	done <"$FIXTURES/validate/expected.txt"
	[ "$n" -eq 8 ]
}

@test "validate reads every record format, and says so under -j" {
	run -0 damo validate -i "$FIXTURES/records/damon.data" -j
	[ "$output" = '{"valid":true}' ]
	run -1 --separate-stderr damo validate -i "$FIXTURES/records/damon.data" --nr_regions 3 10
	[[ "$stderr" == *"invalid: expect 3<=nr_regions<=10 but "* ]]
}

@test "validate --allow_error lets that share of snapshots be out of range" {
	run -1 damo validate -i "$REC" --nr_regions 3 17
	run -0 damo validate -i "$REC" --nr_regions 3 17 --allow_error 100
}

@test "validate refuses bad bounds and a missing file" {
	run -64 damo validate -i "$REC" --aggr 10
	run -64 damo validate -i "$REC" --aggr 10 5
	run -64 damo validate -i "$REC" --allow_error 101
	run -64 damo validate -i "$REC" --regions_boundary 100-100
	run -1 damo validate -i "$BATS_TEST_TMPDIR/none"
}
