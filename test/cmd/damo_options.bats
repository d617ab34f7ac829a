#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# damo 3.3's runbooks run unchanged: every command path of damo 3.3 exists
# here under the same words, and takes every option of damo's under each of
# its spellings (a flag as a flag, a value as a value), but for the pairs
# listed with a reason in test/fixtures/damo-options/exceptions.tsv.
#
# damo's table, test/fixtures/damo-options/damo-3.3.tsv, was made from
# damo 3.3's own argparse parsers by
#   python3 test/tools/damo_option_table.py /path/to/damo-3.3/src
# and the checker is test/tools/check_damo_options.py.

load ../helpers

TABLE=$FIXTURES/damo-options/damo-3.3.tsv
EXCEPTIONS=$FIXTURES/damo-options/exceptions.tsv
CHECK=$SRC/test/tools/check_damo_options.py

@test "every damo 3.3 command and option is taken, but the listed exceptions" {
	run python3 "$CHECK" "$DAMO" "$TABLE" "$EXCEPTIONS"
	# the share of the pairs taken, shown in the test log
	echo "# ${lines[0]}" >&3
	printf '%s\n' "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *" pairs taken "* ]]
}

@test "an exception that is in fact taken fails the check" {
	cp "$EXCEPTIONS" "$BATS_TEST_TMPDIR/exc.tsv"
	printf 'report wss\t--input,-i\tpretend it is missing\n' \
		>>"$BATS_TEST_TMPDIR/exc.tsv"
	run python3 "$CHECK" "$DAMO" "$TABLE" "$BATS_TEST_TMPDIR/exc.tsv"
	[ "$status" -eq 1 ]
	[[ "$output" == *'"damo report wss --input,-i" is taken now: remove the exception'* ]]
}

@test "an option or command damo has and this lacks fails the check" {
	{
		printf 'report wss\t-\tcommand\n'
		printf 'report wss\t--no_such_option\tflag\n'
		printf 'report wss\t--input,-i\tflag\n'
		printf 'no_such_command\t-\tcommand\n'
	} >"$BATS_TEST_TMPDIR/table.tsv"
	: >"$BATS_TEST_TMPDIR/exc.tsv"
	run python3 "$CHECK" "$DAMO" "$BATS_TEST_TMPDIR/table.tsv" \
		"$BATS_TEST_TMPDIR/exc.tsv"
	[ "$status" -eq 1 ]
	[[ "${lines[0]}" == "0 of 2 damo command/option pairs taken (0.0 %); 1 of 2 command paths exist" ]]
	[[ "$output" == *'damo report wss --no_such_option: --no_such_option not taken'* ]]
	[[ "$output" == *"damo report wss --input,-i: --input is a value here, damo's takes no value"* ]]
	[[ "$output" == *'command "damo no_such_command" missing'* ]]
}

@test "an exception names a pair of damo's table and gives a reason" {
	printf 'report wss\t--no_such_option\tnot in the table\n' >"$BATS_TEST_TMPDIR/exc.tsv"
	printf 'report wss\t-\tcommand\n' >"$BATS_TEST_TMPDIR/table.tsv"
	run python3 "$CHECK" "$DAMO" "$BATS_TEST_TMPDIR/table.tsv" \
		"$BATS_TEST_TMPDIR/exc.tsv"
	[ "$status" -eq 1 ]
	[[ "$output" == *'"report wss --no_such_option" is not in'* ]]
}
