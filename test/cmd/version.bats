#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# damo version, global options, exit statuses.

load ../helpers

@test "version prints the version, as text and JSON" {
	run -0 --separate-stderr damo version
	[[ "$output" =~ ^damo\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
	[ -z "$stderr" ]
	run -0 --separate-stderr damo version --json
	echo "$output" | jq -e '.version | test("^[0-9]+\\.[0-9]+\\.[0-9]+$")'
	run -0 damo -j version
	echo "$output" | jq -e '.version'
	run -0 damo --version
	[[ "$output" == "damo "* ]]
}

@test "pretty JSON is indented and still JSON" {
	run -0 damo version -p
	[ "${#lines[@]}" -gt 1 ]
	echo "$output" | jq -e '.version'
}

@test "unknown command and no command are usage errors (64)" {
	run -64 --separate-stderr damo frobnicate
	[[ "$stderr" == *"unknown command 'frobnicate'"* ]]
	run -64 --separate-stderr damo
	[[ "$stderr" == *"no command given"* ]]
	# no abbreviations
	run -64 damo vers
}

@test "unknown option is a usage error (64)" {
	run -64 --separate-stderr damo version --frob
	[[ "$stderr" == *"frob"* ]]
}

@test "help lists every command" {
	run -0 damo --help
	for c in $("$DAMO" --list-cmds); do
		[[ "$output" == *"  $c "* ]] || { echo "missing $c"; false; }
	done
}

@test "a closed or full stdout is a failure" {
	run -1 --separate-stderr sh -c '"$DAMO" version > /dev/full'
	[[ "$stderr" == *"cannot write output"* ]]
}
