#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Sub-command selection: the top-level commands, the report types and the
# subcommands of config and module come from one table each; a missing or
# unknown word is an error like any other ("damo: error: ..." on stderr, the
# error object under --json), with exit status 64.

load ../helpers

# Run "damo ARGS..." expecting a usage error; $output is stdout, $stderr.
usage_error() {
	run -64 --separate-stderr damo "$@"
}

# The last run printed error object $1 (a jq regex test of .error) on
# stdout as one JSON line, and nothing on stderr.
json_error() {
	[ -z "$stderr" ]
	[ "${#lines[@]}" -eq 1 ]
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/e.json"
	json_check "$BATS_TEST_TMPDIR/e.json" "(keys == [\"error\"]) and (.error | test(\"$1\"))"
}

# The last run printed "damo: error: $1" on stderr, one line, nothing else.
text_error() {
	[ -z "$output" ]
	[ "$stderr" = "damo: error: $1" ]
}

@test "unknown and missing command: text, and JSON wherever -j is" {
	usage_error frobnicate
	text_error "unknown command 'frobnicate'; see 'damo --help'"
	usage_error
	text_error "no command given; see 'damo --help'"
	usage_error -j frobnicate
	json_error "^unknown command 'frobnicate'"
	usage_error frobnicate --json
	json_error "^unknown command 'frobnicate'"
	usage_error --json
	json_error "^no command given"
	usage_error help frobnicate
	text_error "unknown command 'frobnicate'; see 'damo --help'"
	usage_error help version status
	text_error "help takes one command, not 'status' too"
}

@test "unknown and missing report type: text, and JSON wherever -j is" {
	usage_error report nosuch
	text_error "unknown report type 'nosuch'; see 'damo report --help'"
	usage_error report
	text_error "no report type given; see 'damo report --help'"
	usage_error -j report nosuch
	json_error "^unknown report type 'nosuch'; see 'damo report --help'$"
	usage_error report nosuch -j
	json_error "^unknown report type 'nosuch'"
	usage_error report -j nosuch
	json_error "^unknown report type 'nosuch'"
	usage_error report -j
	json_error "^no report type given"
	# pretty: the same object, indented
	usage_error report nosuch --pretty
	[ -z "$stderr" ]
	[ "${#lines[@]}" -gt 1 ]
	jq -e '.error | test("nosuch")' <<<"$output"
	# an option that is not a common one is not skipped
	usage_error report --input x.data wss
	text_error "unknown report type '--input'; see 'damo report --help'"
}

@test "unknown and missing config subcommand: text and JSON" {
	usage_error config frobnicate
	text_error "unknown subcommand 'frobnicate'; see 'damo config --help'"
	usage_error config
	text_error "no subcommand given; see 'damo config --help'"
	usage_error config frobnicate --json
	json_error "^unknown subcommand 'frobnicate'"
	usage_error --json config
	json_error "^no subcommand given"
}

@test "unknown module: text and JSON; no word shows every module" {
	usage_error module frob
	text_error "unknown module 'frob'; see 'damo module --help'"
	usage_error module -j frob
	json_error "^unknown module 'frob'"
	usage_error module frob -p
	[ -z "$stderr" ]
	jq -e '.error | test("frob")' <<<"$output"
	# actions without a module are the module command's own words
	run -0 --separate-stderr damo module --json
	[ "$output" = '[]' ]
	run -0 --separate-stderr damo module show --json
	[ "$output" = '[]' ]
	usage_error module enable
	[[ "$stderr" == *"enable which module?"* ]]
}

@test "the word is found after common options, which still apply" {
	local d=$BATS_TEST_TMPDIR
	run -0 --separate-stderr damo report -j record-info \
		--input "$FIXTURES/records/damon.data"
	[ -z "$stderr" ]
	jq -e 'type == "object" or type == "array"' <<<"$output"
	run -0 --separate-stderr damo report --json record-info \
		--input "$FIXTURES/records/damon.data"
	jq -e 'type == "object" or type == "array"' <<<"$output"
	# the same as with the option after the type
	local after
	after=$("$DAMO" report record-info --json --input "$FIXTURES/records/damon.data")
	[ "$output" = "$after" ]
	run -0 --separate-stderr damo config -j show "$SRC/examples/reclaim.yaml"
	printf '%s\n' "$output" >"$d/show.json"
	json_check "$d/show.json" 'has("kdamonds")'
	# argp names the subcommand, not the options moved behind it
	run -64 --separate-stderr damo config -v check
	[[ "$stderr" == *"damo config check: no configuration file given"* ]]
}

@test "damo's aliases of report types select the same type" {
	local a b
	for pair in footprints:footprint record_info:record-info \
		nr-regions:nr_regions; do
		a=$("$DAMO" report "${pair%%:*}" --help)
		b=$("$DAMO" report "${pair##*:}" --help)
		[ "$a" = "$b" ]
	done
	a=$("$DAMO" report record_info --input "$FIXTURES/records/damon.data")
	b=$("$DAMO" report record-info --input "$FIXTURES/records/damon.data")
	[ "$a" = "$b" ]
	# aliases are accepted but not listed
	run -0 damo report --list-opts
	[[ "$output" != *footprints* ]]
	[[ "$output" != *record_info* ]]
	[[ "$output" != *nr-regions* ]]
}

@test "--list-opts of report, config and module lists the table's words" {
	run -0 --separate-stderr damo report --list-opts
	[ -z "$stderr" ]
	[ "$output" = "$(printf '%s\n' access damon footprint heatmap holistic nr_regions pa_layout profile record-info sysinfo times trace tried wss)" ]
	run -0 --separate-stderr damo config --list-opts
	[ "$output" = "$(printf '%s\n' check show)" ]
	run -0 --separate-stderr damo module --list-opts
	[ "$output" = "$(printf '%s\n' lru_sort reclaim stat)" ]
	# also after a common option
	run -0 --separate-stderr damo config -j --list-opts
	[ "$output" = "$(printf '%s\n' check show)" ]
	# the words of a row: the row's own options (damo's module options)
	run -0 --separate-stderr damo module reclaim --list-opts
	[[ "$output" == *--min-age* && "$output" != *reclaim* ]]
	run -0 --separate-stderr damo config show --list-opts
	[[ "$output" == *--raw* ]]
}

@test "help lists every row of each table" {
	local w
	run -0 damo report --help
	for w in $("$DAMO" report --list-opts); do
		grep -qE -- "^  $w +[a-z]" <<<"$output" || { echo "report --help lacks $w"; false; }
	done
	[ "$(grep -c '^  [a-z_-]\+  \+[a-z]' <<<"$output")" -eq 14 ]
	run -0 damo report -h
	[ "$output" = "$("$DAMO" report --help)" ]
	run -0 damo config --help
	for w in $("$DAMO" config --list-opts); do
		grep -qE -- "^(Usage|   or): damo config $w " <<<"$output" ||
			{ echo "config --help lacks $w"; false; }
	done
	run -0 damo module --help
	for w in $("$DAMO" module --list-opts); do
		[[ "${lines[0]} ${lines[1]}" == *"$w"* ]] ||
			{ echo "module --help lacks $w"; false; }
	done
	run -0 damo module lru_sort --help
	[[ "${lines[0]}" == "Usage: damo module lru_sort [OPTION...] [show|enable|disable|set KEY=VALUE...]" ]]
	run -0 damo --help
	for w in $("$DAMO" --list-cmds); do
		grep -qE -- "^  $w +[A-Z]" <<<"$output" || { echo "--help lacks $w"; false; }
	done
}

@test "schemes picks its subcommand from its table, with errors as every error" {
	run -64 --separate-stderr damo schemes nosuch
	[ "$stderr" = "damo: error: unknown subcommand 'nosuch'; see 'damo schemes --help'" ]
	run -64 --separate-stderr damo -j schemes
	json_check <(echo "$output") '.error == "no subcommand given; see '"'"'damo schemes --help'"'"'"'
	run -0 --separate-stderr damo schemes --list-opts
	[ "$output" = "$(printf '%s\n' apply stats tried)" ]
	run -0 damo schemes --help
	for w in stats tried apply; do
		grep -q "damo schemes $w " <<<"$output" || { echo "schemes --help lacks $w"; false; }
	done
}

@test "argp's usage errors are the JSON error object under -j, wherever -j is" {
	usage_error -j start --no-such-option
	json_error "^unrecognized option '--no-such-option'; see 'damo start --help'$"
	usage_error start --no-such-option --json
	json_error "^unrecognized option '--no-such-option'; see 'damo start --help'$"
	usage_error -j --no-such-option
	json_error "^unrecognized option '--no-such-option'; see 'damo --help'$"
	usage_error -j report wss --range 1
	json_error "^--range takes START STOP STEP; see 'damo report wss --help'$"
	# without -j: argp's own text on stderr, nothing on stdout
	usage_error start --no-such-option
	[ -z "$output" ]
	[[ $stderr == "damo start: unrecognized option '--no-such-option'"* ]]
	# a -j of the command after "--" is the command's, not damo's
	usage_error record --no-such-option -- sh -c true -j
	[ -z "$output" ]
	[[ $stderr == "damo record: unrecognized option '--no-such-option'"* ]]
	# --help under -j is still the help text, exit 0
	run -0 --separate-stderr damo -j start --help
	[[ $output == "Usage: damo start "* ]]
	[ -z "$stderr" ]
}

@test "a lone -p of a report that draws is its --plot, not --pretty, for usage errors too" {
	usage_error report wss -p "$BATS_TEST_TMPDIR/w.png" --no-such-option
	[ -z "$output" ]
	[[ $stderr == "damo report wss: unrecognized option '--no-such-option'"* ]]
}
