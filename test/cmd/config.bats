#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# damo config: check and show configuration files (docs/damo-compat.md §2).

load ../helpers

INVALID=$FIXTURES/config/invalid
VALID=$FIXTURES/config/valid

# The cases of the invalid fixtures' manifest, one "FILE LINE COLUMN PATH
# MESSAGE" (tab-separated) line each, in the array "cases".
load_cases() {
	mapfile -t cases < "$INVALID/EXPECTED"
	[ "${#cases[@]}" -ge 45 ]
}

# Every valid fixture, in the array "valid".
load_valid() {
	valid=("$VALID"/*.json "$VALID"/*.yaml)
	[ "${#valid[@]}" -ge 10 ]
}

# save NAME: write the last run's stdout (which ends in one newline) to a
# file in the test's directory and print its path.
save() {
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/$1"
	echo "$BATS_TEST_TMPDIR/$1"
}

@test "check refuses each invalid fixture at its line, column and key path" {
	local c file line col path msg want
	load_cases
	for c in "${cases[@]}"; do
		IFS=$'\t' read -r file line col path msg <<<"$c"
		want="$INVALID/$file:$line:$col: error: "
		[ "$path" = - ] || want+="$path: "
		run -1 --separate-stderr damo config check "$INVALID/$file"
		[ -z "$output" ] || { echo "$file: stdout: $output"; false; }
		[ "${#stderr_lines[@]}" -eq 1 ] ||
			{ echo "$file: expected one problem, got: $stderr"; false; }
		[[ "$stderr" == "$want"* ]] ||
			{ echo "$file: expected '$want...', got: $stderr"; false; }
		[[ "$stderr" == *"$msg"* ]] ||
			{ echo "$file: expected '$msg' in: $stderr"; false; }
	done
}

@test "check --json lists the same problems on stdout, nothing on stderr" {
	local c file line col path msg p
	load_cases
	p=$BATS_TEST_TMPDIR/problems.json
	for c in "${cases[@]}"; do
		IFS=$'\t' read -r file line col path msg <<<"$c"
		[ "$path" != - ] || path=
		run -1 --separate-stderr damo config check --json "$INVALID/$file"
		[ -z "$stderr" ] || { echo "$file: stderr: $stderr"; false; }
		printf '%s\n' "$output" > "$p"
		jq -e --arg f "$INVALID/$file" --argjson l "$line" \
			--argjson c "$col" --arg p "$path" --arg m "$msg" \
			'length == 1 and .[0].file == $f and .[0].line == $l and
			 .[0].column == $c and .[0].path == $p and
			 (.[0].message | contains($m))' "$p" >/dev/null ||
			{ echo "$file: $output"; false; }
	done
}

@test "every invalid fixture is in EXPECTED once, and every entry exists" {
	local f name names
	load_cases
	names=$(cut -f1 "$INVALID/EXPECTED")
	for f in "$INVALID"/*; do
		name=${f##*/}
		[ "$name" != EXPECTED ] || continue
		[ "$(grep -cxF "$name" <<<"$names")" -eq 1 ] ||
			{ echo "$name: not listed exactly once in EXPECTED"; false; }
		# JSON cannot hold comments; YAML fixtures say what they test
		case $name in
		*.yaml) [[ "$(head -n1 "$f")" == "# "* ]] ||
			{ echo "$name: first line is not a comment"; false; } ;;
		*.json) ;;
		*) echo "$name: neither .yaml nor .json"; false ;;
		esac
	done
	for name in $names; do
		[ -f "$INVALID/$name" ] || { echo "$name: listed, missing"; false; }
	done
	# five tab-separated fields on every line
	run -0 awk -F '\t' 'NF != 5 { print NR": "$0 }' "$INVALID/EXPECTED"
	[ -z "$output" ]
}

@test "check reports every problem of several files, and exits 1" {
	run -1 --separate-stderr damo config check "$VALID/goals.yaml" \
		"$INVALID/rule-pid-zero.json" "$INVALID/keyword-ops.yaml"
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 2 ]
	[[ "${stderr_lines[0]}" == "$INVALID/rule-pid-zero.json:8:21: error: "* ]]
	[[ "${stderr_lines[1]}" == "$INVALID/keyword-ops.yaml:4:10: error: "* ]]
}

@test "check accepts every valid fixture silently" {
	local f
	load_valid
	for f in "${valid[@]}"; do
		run -0 --separate-stderr damo config check "$f"
		[ -z "$output" ] || { echo "$f: stdout: $output"; false; }
		[ -z "$stderr" ] || { echo "$f: stderr: $stderr"; false; }
		run -0 --separate-stderr damo config check --json "$f"
		[ "$output" = "[]" ] || { echo "$f: $output"; false; }
		[ -z "$stderr" ]
	done
	run -0 --separate-stderr damo config check "${valid[@]}"
	[ -z "$output" ]
	[ -z "$stderr" ]
}

@test "show, read back, show again: identical in YAML and JSON, human and raw" {
	local f o first canon
	load_valid
	for f in "${valid[@]}"; do
		run -0 --separate-stderr damo config show --json --raw "$f"
		canon=$(save canon)
		for o in "" "--raw" "--json" "--json --raw"; do
			# shellcheck disable=SC2086
			run -0 --separate-stderr damo config show $o "$f"
			[ -z "$stderr" ] || { echo "$f $o: $stderr"; false; }
			first=$(save first)
			# shellcheck disable=SC2086
			run -0 --separate-stderr damo config show $o "$first"
			[ -z "$stderr" ]
			cmp "$first" "$(save second)" ||
				{ echo "$f $o: second show differs"; false; }
			# and the model survived this representation
			run -0 --separate-stderr damo config show --json --raw "$first"
			cmp "$canon" "$(save again)" ||
				{ echo "$f $o: model changed"; false; }
		done
	done
}

@test "show --raw --json of the §2.4 example has the exact numbers" {
	local j=$BATS_TEST_TMPDIR/raw.json
	run -0 --separate-stderr damo config show --raw --json \
		"$VALID/damo-compat-2.4.json"
	[ -z "$stderr" ]
	printf '%s\n' "$output" > "$j"
	json_check "$j" '.kdamonds[0].refresh_ms == 1000'
	json_check "$j" '.kdamonds[0].contexts[0] |
		.ops == "vaddr" and .addr_unit == 1 and
		.targets == [{"pid": 4242, "regions": []}] and
		.intervals.sample_us == 5000 and .intervals.aggr_us == 100000 and
		.intervals.ops_update_us == 1000000 and
		.intervals.intervals_goal == {"access_bp": 400, "aggrs": 3,
			"min_sample_us": 5000, "max_sample_us": 10000000} and
		.nr_regions == {"min": 10, "max": 1000}'
	json_check "$j" '.kdamonds[0].contexts[0].schemes[0] |
		.action == "pageout" and
		.access_pattern.sz_bytes.min == 4096 and
		.access_pattern.nr_accesses == {"min": "0 %", "max": "0 %"} and
		.access_pattern.age.min == 30000000 and
		.apply_interval_us == 0 and
		.quotas.time_ms == 10 and .quotas.sz_bytes == 134217728 and
		.quotas.reset_interval_ms == 1000 and
		.quotas.weights == {"sz_permil": 0, "nr_accesses_permil": 3,
			"age_permil": 7} and
		.quotas.goals == [{"metric": "some_mem_psi_us",
			"target_value": 1000, "current_value": 0}] and
		.watermarks == {"metric": "free_mem_rate", "interval_us": 5000000,
			"high_permil": 500, "mid_permil": 400, "low_permil": 200}'
	json_check "$j" '.kdamonds[0].contexts[0].schemes[0].filters ==
		[{"filter_type": "memcg", "matching": true, "allow": false,
		  "memcg_path": "/workloads/a"},
		 {"filter_type": "addr", "matching": false, "allow": false,
		  "address_range": {"start": 4294967296, "end": 8589934592}}]'
	# jq 1.6 reads numbers as doubles: check 2^64 - 1 in the text itself
	grep -A2 '"sz_bytes": {$' "$j" | grep -qx ' *"max": 18446744073709551615'
	grep -A2 '"age": {$' "$j" | grep -qx ' *"max": 18446744073709551615'
}

@test "show --raw --json converts each unit of the other fixtures exactly" {
	local j=$BATS_TEST_TMPDIR/raw.json
	run -0 --separate-stderr damo config show --raw --json "$VALID/goals.yaml"
	printf '%s\n' "$output" > "$j"
	json_check "$j" '[.kdamonds[0].contexts[0].schemes[0].quotas.goals[] |
		[.metric, .target_value, .nid, .memcg_path]] == [
		["user_input", 10000, null, null],
		["some_mem_psi_us", 1000, null, null],
		["node_mem_used_bp", 6000, 0, null],
		["node_mem_free_bp", 2000, 1, null],
		["node_memcg_used_bp", 3000, 0, "/workloads/a"],
		["node_memcg_free_bp", 5000, 1, "/workloads/b"],
		["active_mem_bp", 4000, null, null],
		["inactive_mem_bp", 50, null, null],
		["node_eligible_mem_bp", 123, 0, null]]'
	json_check "$j" '.kdamonds[0].contexts[0].schemes[0].quotas |
		.goal_tuner == "temporal" and .fail_charge_num == 1 and
		.fail_charge_denom == 4'

	run -0 --separate-stderr damo config show --raw --json \
		"$VALID/filters-paddr.yaml"
	printf '%s\n' "$output" > "$j"
	json_check "$j" '[.kdamonds[0].contexts[0].schemes[0].filters[] |
		[.filter_type, .matching, .allow]] == [
		["anon", true, false], ["anon", false, true],
		["active", true, false], ["active", false, true],
		["memcg", true, true], ["memcg", false, false],
		["young", true, false], ["young", false, true],
		["hugepage_size", true, true], ["hugepage_size", false, false],
		["unmapped", true, false], ["unmapped", false, true],
		["addr", true, true], ["addr", false, false],
		["target", true, true], ["target", false, false]]'
	json_check "$j" '.kdamonds[0].contexts[0].schemes[0].filters |
		.[8].hugepage_size == [2097152, 2097152] and
		(.[9] | has("hugepage_size") | not) and
		.[12].address_range == {"start": 4294967296, "end": 8589934592} and
		.[14].damon_target_idx == 0'

	run -0 --separate-stderr damo config show --raw --json \
		"$VALID/actions-vaddr.yaml"
	printf '%s\n' "$output" > "$j"
	json_check "$j" '[.kdamonds[0].contexts[0].schemes[].action] ==
		["willneed", "cold", "pageout", "hugepage", "nohugepage",
		 "collapse", "stat", "migrate_hot", "migrate_cold"]'
	json_check "$j" '.kdamonds[0].contexts[0].schemes[7].target_nid == 1 and
		.kdamonds[0].contexts[0].schemes[8].dests ==
		[{"id": 0, "weight": 300}, {"id": 1, "weight": 700}] and
		(.kdamonds[0].contexts[0].schemes[0] | has("target_nid") | not)'

	run -0 --separate-stderr damo config show --raw --json \
		"$VALID/watermarks.yaml"
	printf '%s\n' "$output" > "$j"
	json_check "$j" '[.kdamonds[0].contexts[0].schemes[].watermarks] == [
		{"metric": "none", "interval_us": 0, "high_permil": 0,
		 "mid_permil": 0, "low_permil": 0},
		{"metric": "free_mem_rate", "interval_us": 5000000,
		 "high_permil": 500, "mid_permil": 400, "low_permil": 200}]'

	run -0 --separate-stderr damo config show --raw --json \
		"$VALID/intervals-goal-probes.yaml"
	printf '%s\n' "$output" > "$j"
	json_check "$j" '.kdamonds[0] | .refresh_ms == 500 and
		.contexts[0].addr_unit == 4096 and .contexts[0].pause == true and
		.contexts[0].targets[0].obsolete == true and
		.contexts[0].targets[0].regions == [
			{"start": 0, "end": 1073741824},
			{"start": 1073741824, "end": 4294967296}] and
		.contexts[0].probes[0].filters[0].path == "/workloads/a" and
		.contexts[0].schemes[0].apply_interval_us == 2000000 and
		.contexts[0].schemes[0].max_nr_snapshots == 8'
}

@test "show keeps scheme lists as lists and reads legacy keys" {
	local j=$BATS_TEST_TMPDIR/raw.json
	run -0 --separate-stderr damo config show --raw --json \
		"$VALID/schemes-list.json"
	printf '%s\n' "$output" > "$j"
	json_check "$j" 'type == "array" and length == 2'
	json_check "$j" '.[1].access_pattern | .nr_accesses ==
		{"min": "5 samples", "max": "20 samples"} and .age ==
		{"min": "2 aggr_intervals", "max": "10 aggr_intervals"}'

	run -0 --separate-stderr damo config show --raw --json \
		"$VALID/schemes-doc.yaml"
	printf '%s\n' "$output" > "$j"
	json_check "$j" 'type == "array" and .[0].action == "lru_deprio" and
		.[0].access_pattern.age.min == 90000000 and
		.[0].quotas.effective_sz_bytes == 67108864 and
		.[1].filters[0].damon_target_idx == 3'

	run -0 --separate-stderr damo config show --raw --json \
		"$VALID/filters-legacy.json"
	printf '%s\n' "$output" > "$j"
	json_check "$j" '[.[0].filters[] | .allow] == [true, true, false, false]'
	json_check "$j" '.[0].filters | all(has("filter_pass") | not)'

	run -0 --separate-stderr damo config show --raw --json \
		"$VALID/goals-legacy.json"
	printf '%s\n' "$output" > "$j"
	json_check "$j" '.[0].quotas.goals == [{"metric": "user_input",
		"target_value": 10000, "current_value": 2500}]'

	run -0 --separate-stderr damo config show --raw --json \
		"$VALID/kdamonds-list.yaml"
	printf '%s\n' "$output" > "$j"
	json_check "$j" '.kdamonds | length == 2 and
		.[0].contexts[0].targets[1].regions[1] ==
		{"start": 4194304, "end": 8388608}'
}

@test "show - reads standard input" {
	run -0 --separate-stderr damo config show --json \
		"$VALID/damo-compat-2.4.json"
	local want=$output
	run -0 --separate-stderr damo config show --json - \
		< "$VALID/damo-compat-2.4.json"
	[ -z "$stderr" ]
	[ "$output" = "$want" ]
	run -1 --separate-stderr damo config check - \
		< "$INVALID/rule-pid-zero.json"
	[[ "$stderr" == "<stdin>:8:21: error: kdamonds[0].contexts[0].targets[0].pid: "* ]]
}

@test "a missing file cannot be opened: exit 1" {
	run -1 --separate-stderr damo config show "$BATS_TEST_TMPDIR/none.yaml"
	[ -z "$output" ]
	[[ "$stderr" == *"$BATS_TEST_TMPDIR/none.yaml"*"cannot open"* ]]
	run -1 --separate-stderr damo config check "$BATS_TEST_TMPDIR/none.yaml"
	[[ "$stderr" == *"cannot open"* ]]
}

@test "show of an invalid file fails with the problem, as JSON under --json" {
	run -1 --separate-stderr damo config show "$INVALID/rule-pid-zero.json"
	[ -z "$output" ]
	[[ "$stderr" == *"rule-pid-zero.json:8:21: "*"0 is not a process id"* ]]
	run -1 --separate-stderr damo config show --json \
		"$INVALID/rule-pid-zero.json"
	[ -z "$stderr" ]
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/e.json"
	json_check "$BATS_TEST_TMPDIR/e.json" '.error | test("not a process id")'
}

@test "usage errors exit 64" {
	run -64 --separate-stderr damo config check
	[[ "$stderr" == *"no configuration file given"* ]]
	run -64 --separate-stderr damo config
	[[ "$stderr" == *"no subcommand"* ]]
	run -64 --separate-stderr damo config frobnicate
	[[ "$stderr" == *"unknown subcommand 'frobnicate'"* ]]
	run -64 --separate-stderr damo config show a.yaml b.yaml
	[[ "$stderr" == *"more than one configuration file"* ]]
}

@test "what damo's own 'args damon' writes is read, with its values" {
	local f j=$BATS_TEST_TMPDIR/raw.json
	for f in "$FIXTURES"/config/damo-args/*.yaml \
		 "$FIXTURES"/config/damo-args/*.json; do
		run -0 --separate-stderr damo config check "$f"
		[ -z "$stderr" ] || { echo "$f: $stderr"; false; }
	done
	run -0 --separate-stderr damo config show --raw --json \
		"$FIXTURES/config/damo-args/default.yaml"
	printf '%s\n' "$output" > "$j"
	json_check "$j" '.kdamonds[0].contexts[0] | .ops == "paddr" and
		.addr_unit == 1 and .intervals.sample_us == 5000 and
		.nr_regions == {"min": 10, "max": 1000}'
	run -0 --separate-stderr damo config show --raw --json \
		"$FIXTURES/config/damo-args/vaddr-schemes.yaml"
	printf '%s\n' "$output" > "$j"
	json_check "$j" '.kdamonds[0].contexts[0] | .ops == "vaddr" and
		.targets == [{"pid": 1234, "regions":
			[{"start": 4096, "end": 8192}]}] and
		.schemes[0].access_pattern.age.min == 30000000 and
		.schemes[0].quotas.sz_bytes == 1073741824 and
		.schemes[0].filters == [{"filter_type": "anon",
			"matching": true, "allow": false}]'
	run -0 --separate-stderr damo config show --raw --json \
		"$FIXTURES/config/damo-args/paddr-filters.yaml"
	printf '%s\n' "$output" > "$j"
	json_check "$j" '.kdamonds[0].contexts[0] | .addr_unit == 4096 and
		.schemes[0].access_pattern.nr_accesses.max == "max" and
		.schemes[0].filters[0].memcg_path == "/a/b" and
		.schemes[0].filters[1].address_range == {"start": 4096,
			"end": 8192}'
}

@test "hex addresses are read in YAML and on the command line" {
	local j=$BATS_TEST_TMPDIR/raw.json
	run -0 --separate-stderr damo config show --raw --json \
		"$FIXTURES/config/valid/address-hex.yaml"
	printf '%s\n' "$output" > "$j"
	json_check "$j" '.kdamonds[0].contexts[0].targets[0].regions ==
		[{"start": 1048576, "end": 2097152}]'
	run -0 --separate-stderr damo config show --raw --json \
		--ops paddr --regions 0x1000-0x2000
	printf '%s\n' "$output" > "$j"
	json_check "$j" '.kdamonds[0].contexts[0].targets[0].regions ==
		[{"start": 4096, "end": 8192}]'
}
