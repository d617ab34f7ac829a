#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# damo args damon: the kdamonds document the DAMON options make, and the
# --add, --remove and --replace edits of a document (damo's 'args damon').

load ../helpers

@test "args damon prints the options as a kdamonds document start reads" {
	run -0 damo args damon --ops vaddr --target_pid 42 \
		--damos_action stat --damos_age 5s max
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/k.json"
	json_check "$BATS_TEST_TMPDIR/k.json" \
		'.kdamonds[0].contexts[0] | .ops == "vaddr" and .targets[0].pid == 42 and .schemes[0].action == "stat"'
	run -0 damo config check "$BATS_TEST_TMPDIR/k.json"
	run -0 damo args damon --ops paddr --format yaml
	[[ "$output" == kdamonds:* ]]
	[[ "$output" == *"ops: paddr"* ]]
}

@test "args damon --add, --replace and --remove edit a document's kdamonds" {
	run -0 damo args damon --ops paddr --out "$BATS_TEST_TMPDIR/one.json"
	run -0 damo args damon --add "$BATS_TEST_TMPDIR/one.json" \
		--ops vaddr --target_pid 7 --out "$BATS_TEST_TMPDIR/two.json"
	json_check "$BATS_TEST_TMPDIR/two.json" \
		'[.kdamonds[].contexts[0].ops] == ["paddr", "vaddr"]'
	run -0 damo args damon --replace "$BATS_TEST_TMPDIR/two.json" 0 \
		--ops vaddr --target_pid 9
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/r.json"
	json_check "$BATS_TEST_TMPDIR/r.json" \
		'[.kdamonds[].contexts[0].targets[0].pid] == [9, 7]'
	run -0 damo args damon --remove "$BATS_TEST_TMPDIR/two.json" 0
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/d.json"
	json_check "$BATS_TEST_TMPDIR/d.json" \
		'[.kdamonds[].contexts[0].ops] == ["vaddr"]'
}

@test "args damon refuses a kdamond that is not there, and a bad index" {
	run -0 damo args damon --ops paddr --out "$BATS_TEST_TMPDIR/one.json"
	run -1 --separate-stderr damo args damon --remove "$BATS_TEST_TMPDIR/one.json" 1
	[[ "$stderr" == *"has 1 kdamonds; there is no kdamond 1"* ]]
	run -64 --separate-stderr damo args damon --remove "$BATS_TEST_TMPDIR/one.json" x
	[[ "$stderr" == *"--remove: 'x' is not a kdamond index"* ]]
	run -64 --separate-stderr damo args damon --remove "$BATS_TEST_TMPDIR/one.json"
	[[ "$stderr" == *"--remove takes FILE and IDX"* ]]
}

@test "args damon says what it does not build instead of an unknown option" {
	run -1 --separate-stderr damo args damon --omit_defaults
	[[ "$stderr" == *"--omit_defaults: not built in damo (C)"* ]]
}

@test "args damon --format report prints damo's text of the kdamond, without stats" {
	run -0 damo args damon --ops vaddr --target_pid 42 --damos_action pageout \
		--damos_age 5s max --damos_quotas 10ms 1G 1s --format report
	# damo's report damon text of the same document, less what runs
	[ "$output" = "$(grep -v -e statistics -e tried -e applied -e passed \
		-e 'quota exceeded' -e '^                0 B$' \
		"$FIXTURES/report_damon/vaddr.default.txt")" ]
	run -64 damo args damon --format report --out "$BATS_TEST_TMPDIR/x"
}

@test "args accesses_filter prints damo's filter document, byte for byte" {
	local d=$FIXTURES/args_accesses_filter opts n=0
	while IFS= read -r opts; do
		# shellcheck disable=SC2086
		run -0 damo args accesses_filter $opts
		[ "$output" = "$(cat "$d/expected-$n.txt")" ] ||
			{ echo "case $n: $opts"; diff <(echo "$output") "$d/expected-$n.txt"; false; }
		n=$((n + 1))
	done <"$d/cases.txt"
	[ "$n" -eq 7 ]
	run -64 damo args accesses_filter --format xml
	run -64 damo args accesses_filter --age 1s
}

@test "damo's experimental ops, probe and debugfs options are taken and refused by name" {
	local o
	for o in "--probe_filter allow anon" "--nr_probe_filters 1" "--nr_probes 2" \
		"--exp_ops_use_reports Y" "--exp_ops_write_only N" \
		"--exp_ops_cpus 0-3" "--exp_ops_tids 1 2" "--sample_primitives page_fault"; do
		# shellcheck disable=SC2086
		run -1 --separate-stderr damo args damon --ops paddr $o
		[[ "$stderr" == *"${o%% *}"*"experimental operations attributes and access probes are not built"* ]]
	done
	run -1 --separate-stderr damo args damon --damon_interface_DEPRECATED debugfs
	[[ "$stderr" == *"sysfs interface only"* ]]
	run -0 damo args damon --damon_interface_DEPRECATED sysfs --ops paddr
	run -1 --separate-stderr damo start --debug_damon --ops paddr
	[[ "$stderr" == *"--debug_damon: not built"* ]]
}
