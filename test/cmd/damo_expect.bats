#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# damo (C) prints what Python damo 3.3 prints, byte for byte (ANSI colour
# removed from damo's side): every case of test/fixtures/damo_expect/cases.txt,
# whose expected outputs test/tools/damo_expect.sh wrote with damo 3.3.
# The cases include damo's own tests/report ones (tests_report.*).

load ../helpers

# run_cases PREFIX [COMPARE]: each case whose name starts with PREFIX, from
# the records directory, as the expected outputs were written; COMPARE
# EXPECTED ACTUAL judges the output (default: the same bytes).
run_cases() {
	local E=$FIXTURES/damo_expect R=$FIXTURES/records name rest n=0 bad=0
	local cmp=${2:-cmp -s}
	local -a args

	cd "$R"
	while read -r name rest; do
		[[ -z $name || $name == '#'* || $name != "$1"* ]] && continue
		[[ $rest == *' ::: '* ]] && rest=${rest#* ::: }
		eval "args=($rest)"
		n=$((n + 1))
		if ! "$DAMO" "${args[@]}" >"$BATS_TEST_TMPDIR/$name" 2>"$BATS_TEST_TMPDIR/err"; then
			echo "$name: exit $?: $(cat "$BATS_TEST_TMPDIR/err")"
			bad=$((bad + 1))
		elif ! $cmp "$E/$name.txt" "$BATS_TEST_TMPDIR/$name"; then
			echo "$name: differs from damo 3.3's output:"
			diff "$E/$name.txt" "$BATS_TEST_TMPDIR/$name" | head -n 10
			bad=$((bad + 1))
		fi
	done <"$E/cases.txt"
	echo "$n cases, $bad failed"
	[ "$n" -gt 0 ] && [ "$bad" -eq 0 ]
}

@test "damo's tests/report cases: every style on every filter's snapshot, wss, nr_regions, heatmap guide" {
	run_cases tests_report.
}

@test "report access: totals under filters, --raw_number, --raw_form as damo 3.3" {
	run_cases access.
}

@test "report access --json: all that damo 3.3's --json holds, in exact integers" {
	run_cases json. "python3 $SRC/test/tools/access_json_same.py"
}

@test "report access --ls-*-format-keywords: damo's help of the keywords" {
	run_cases ls_keywords.
}
