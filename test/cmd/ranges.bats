#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Every number in its real range: values that do not fit are refused with
# the value and the allowed range, never narrowed, clamped or rounded.

load ../helpers

@test "a pid above 2^32 is refused, not truncated to the process it wraps to" {
	local big=$(($$ + 4294967296))
	run -1 --separate-stderr damo start --backend embedded --target-pid "$big"
	[[ $stderr == *"--target-pid: '$big' is not a process id (1 to "*", below the kernel's pid_max)"* ]]
	run -0 damo status --json
	echo "$output" | jq -e '.kdamonds == []'
	run -1 --separate-stderr damo config show --target-pid "$big"
	[ -z "$output" ]
	[[ $stderr == *"'$big' is not a process id"* ]]
	run -1 --separate-stderr damo record --backend embedded \
		--target-pid "$big" -o "$BATS_TEST_TMPDIR/r.data"
	[[ $stderr == *"'$big' is not a process id"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/r.data" ]
	# the kernel's absolute limit, 2^22, is no process id anywhere
	run -1 --separate-stderr damo config show --target-pid 4194304
	[[ $stderr == *"'4194304' is not a process id"* ]]
	run -0 damo config show --target-pid $$
}

@test "config check refuses pid 99999999999 at its line and column" {
	printf 'kdamonds:\n- contexts:\n  - ops: vaddr\n    targets:\n    - pid: 99999999999\n      regions: []\n' \
		> "$BATS_TEST_TMPDIR/pid.yaml"
	run -1 --separate-stderr damo config check "$BATS_TEST_TMPDIR/pid.yaml"
	[[ $stderr == "$BATS_TEST_TMPDIR/pid.yaml:5:12: error: kdamonds[0].contexts[0].targets[0].pid: 99999999999 is not a process id (1 to "* ]]
}

@test "sizes above 2^64 - 1 are refused, not capped to max; max stays" {
	run -1 --separate-stderr damo config show --damos-action stat \
		--damos-sz-region 0 18446744073709551617
	[[ $stderr == *"--damos-sz-region: '18446744073709551617' is out of range for a size (it must fit in 64 bits; 'max' is the largest)"* ]]
	run -1 --separate-stderr damo config show --damos-action stat \
		--damos-sz-region 0 '100000 EiB'
	[[ $stderr == *"'100000 EiB' is out of range for a size"* ]]
	run -0 --separate-stderr damo config show --json --damos-action stat \
		--damos-sz-region 0 max
	echo "$output" | jq -e '.kdamonds[0].contexts[0].schemes[0].access_pattern.sz_bytes.max == "max"'
	run -0 --separate-stderr damo config show --json --damos-action stat \
		--damos-sz-region 0 18446744073709551615
	echo "$output" | jq -e '.kdamonds[0].contexts[0].schemes[0].access_pattern.sz_bytes.max == "max"'
}

@test "a count with a fraction is refused, not truncated" {
	run -1 --separate-stderr damo config show --monitoring-nr-regions-range 10 5000.5
	[[ $stderr == *"'5000.5' is not a whole number"* ]]
	run -0 damo config show --json --monitoring-nr-regions-range 10 5000.0
	echo "$output" | jq -e '.kdamonds[0].contexts[0].nr_regions.max == "5,000"'
}

@test "an access rate above 100 % is refused on the command line and in files" {
	run -1 --separate-stderr damo config show --damos-action stat \
		--damos-access-rate 0 200
	[[ $stderr == *"--damos-access-rate: '200' is more than 100 % (access rates are 0 to 100 %)"* ]]
	run -1 --separate-stderr damo config show --damos-action stat \
		--damos_access_rate 0% 100.5%
	[[ $stderr == *"'100.5%' is more than 100 %"* ]]
	run -0 damo config show --damos-action stat --damos-access-rate 0 100
	run -0 damo config show --damos-action stat --damos-access-rate 0 max
	run -64 --separate-stderr damo report access \
		-i "$FIXTURES/records/damon.data" --access-rate 0 200
	[[ $stderr == *"--access-rate: '200' is more than 100 % (access rates are 0 to 100 %)"* ]]
}

@test "report percentiles are 0 to 100: --range 0 1000000000 1 is refused" {
	local data=$FIXTURES/records/damon.data
	run -64 --separate-stderr damo report wss -i "$data" --range 0 1000000000 1
	[ -z "$output" ]
	[[ $stderr == *"--range: 0 1000000000 1 gives percentiles 0 to 999999999; percentiles are 0 to 100"* ]]
	run -64 --separate-stderr damo report nr_regions -i "$data" --range -5 101 25
	[[ $stderr == *"--range: -5 101 25 gives percentiles -5 to 95; percentiles are 0 to 100"* ]]
	run -64 --separate-stderr damo report wss -i "$data" \
		--range 100 -9223372036854775808 -9223372036854775808
	[[ $stderr == *"percentiles are 0 to 100"* ]]
	# a long STOP or STEP is fine while every percentile is 0 to 100
	run -0 damo report wss -i "$data" --range 0 9223372036854775807 9223372036854775807
	[ "$(grep -c '|$' <<<"$output")" -eq 1 ]
	run -0 damo report wss -i "$data" --range 100 -1 -50
	[ "$(grep -cE '^(100| 50|  0) ' <<<"$output")" -eq 3 ]
}

@test "a text file with no DAMON trace event is an error, not an empty record" {
	printf 'hello world\nperf 1234 [000] 1.000: sched:sched_switch: a b c\n' \
		> "$BATS_TEST_TMPDIR/none.txt"
	run -1 --separate-stderr damo report wss -i "$BATS_TEST_TMPDIR/none.txt"
	[ -z "$output" ]
	[[ $stderr == *"$BATS_TEST_TMPDIR/none.txt:2: no DAMON trace event in its 2 lines"* ]]
	run -1 --separate-stderr damo convert "$BATS_TEST_TMPDIR/none.txt" \
		-o "$BATS_TEST_TMPDIR/out.json"
	[[ $stderr == *"no DAMON trace event"* ]]
}
