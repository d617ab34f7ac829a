#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# damo monitor: damo's record-and-report loop, here through the embedded
# monitor (no DAMON in the test environment), on a real workload.

load ../helpers

setup() {
	export DAMO_RUNTIME_DIR=$BATS_TEST_TMPDIR/run
	export TMPDIR=$BATS_TEST_TMPDIR
	[ -x "${DAMO_WORKLOAD:-}" ] && [ -r "${DAMO_AGENT:-}" ] ||
		skip "DAMO_WORKLOAD or DAMO_AGENT not set: run through ctest"
	WL="$DAMO_WORKLOAD --size 64M --hot 8M@16M --write --seconds 60"
}

teardown() {
	"$DAMO" stop --all >/dev/null 2>&1 || true
	pkill -f -x "$WL" 2>/dev/null || true
}

# Nothing of the run is left: no monitor, no workload, no recording (the
# workload gets a moment to exit after its SIGTERM).
gone() {
	"$DAMO" status --json >"$TMPDIR/st.json" &&
		jq -e '.kdamonds == []' "$TMPDIR/st.json" >/dev/null &&
		! pgrep -f -x "$DAMO_WORKLOAD --size 64M --hot 8M 16M --write --seconds 60" >/dev/null &&
		[ -z "$(ls "$TMPDIR" | grep damo-monitor)" ]
}

nothing_left() {
	local _
	for _ in $(seq 50); do
		gone && return 0
		sleep 0.1
	done
	gone
}

@test "monitor COMMAND prints --count heatmaps, then stops the monitor and the command" {
	run -0 --separate-stderr damo monitor "$WL" --delay 1 --count 2
	# two heatmaps of 10 rows of 80 columns, each followed by a blank line
	[ "${#lines[@]}" -eq 20 ]
	[ "$(printf '%s\n' "$output" | grep -cE '^[0-9 ]{80}$')" -eq 20 ]
	nothing_left
}

@test "monitor --report_type wss shows working set sizes" {
	run -0 --separate-stderr damo monitor "$WL" --delay 1 --count 1 --report_type wss
	[[ "${lines[0]}" == "# target_id"* ]]
	nothing_left
}

@test "monitor stops on SIGTERM and cleans up" {
	"$DAMO" monitor "$WL" --delay 1 >"$TMPDIR/out" 2>"$TMPDIR/err" &
	local pid=$!
	for _ in $(seq 100); do
		[ "$(grep -cE '^[0-9 ]{80}$' "$TMPDIR/out")" -ge 10 ] && break
		sleep 0.1
	done
	kill -TERM "$pid"
	wait "$pid"
	grep -qx "signal 15 received" "$TMPDIR/out"
	nothing_left
}

@test "monitor refuses bad options before starting anything" {
	run -64 --separate-stderr damo monitor "$WL" --report_type holistic
	[[ "$stderr" == *"'report holistic' is not built in damo (C)"* ]]
	run -64 damo monitor
	run -64 damo monitor "$WL" --delay 0
	run -64 damo monitor "$WL" --count x
	run -1 --separate-stderr damo monitor ongoing --count 1 --delay 0.5
	[[ "$stderr" == *"is a monitor running?"* ]]
	nothing_left
}
