#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# damo report pa_layout (and damo's older word, pa_layout) against Python
# damo 3.3's output on a fake /proc/iomem and /sys/devices/system tree:
# test/fixtures/pa_layout/, expected-*.txt made by its make-expected.sh.

load ../helpers

PA=$FIXTURES/pa_layout

setup() {
	export DAMO_IOMEM=$PA/iomem
	export DAMO_SYSTEM_ROOT=$PA/system
}

# damo's last line is its default paddr region, from the first System RAM
# to the end of the last; this one prints the region 'damo start --ops
# paddr' monitors here, the largest System RAM range.
@test "report pa_layout prints damo's table, the default region this start uses" {
	run -0 damo report pa_layout
	[ "$(printf '%s\n' "$output" | sed '$d')" = "$(sed '$d' "$PA/expected.txt")" ]
	[ "${lines[-1]}" = "Default paddr monitoring range: [512.000 MiB, 1024.000 MiB) (size 512.000 MiB)" ]
	run -0 damo report pa_layout --raw_number
	[ "$(printf '%s\n' "$output" | sed '$d')" = "$(sed '$d' "$PA/expected-raw.txt")" ]
	[ "${lines[-1]}" = "Default paddr monitoring range: [536870912, 1073741824) (size 536870912)" ]
}

@test "report pa_layout --numa_addr and --numa_node as damo" {
	run -0 damo report pa_layout --numa_addr 0
	[ "$output" = "$(cat "$PA/expected-numa-addr-0.txt")" ]
	run -0 damo report pa_layout --numa_node 1
	[ "$(printf '%s\n' "$output" | sed '$d')" = "$(sed '$d' "$PA/expected-numa-node-1.txt")" ]
	run -64 damo report pa_layout --numa_node -1
}

@test "pa_layout is damo's older word: same output, a warning" {
	run -0 --separate-stderr damo pa_layout --numa-addr 0
	[ "$output" = "$(cat "$PA/expected-numa-addr-0.txt")" ]
	[[ "$stderr" == *"'damo pa_layout' is damo's older word for 'damo report pa_layout'"* ]]
}

@test "report pa_layout -j: the ranges and the default region as numbers" {
	run -0 damo report pa_layout -j
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/p.json"
	json_check "$BATS_TEST_TMPDIR/p.json" '(.ranges | length) == 11 and
		.ranges[8] == {"start": 402653184, "end": 536870912, "node": 0,
			       "state": "offline", "resource": "Reserved"} and
		.default_paddr_region == {"start": 536870912, "end": 1073741824}'
}

@test "report pa_layout without memory blocks says what is missing" {
	export DAMO_SYSTEM_ROOT=$BATS_TEST_TMPDIR/none
	run -1 --separate-stderr damo report pa_layout
	[[ "$stderr" == "damo: error: cannot read the memory blocks of the NUMA nodes"* ]]
}
