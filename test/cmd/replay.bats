#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# damo replay re-creates a recorded access pattern as a running workload:
# a recording of the replay shows the pattern again.

load ../helpers

MODELS=$SRC/examples/workloads

# The centre of the hottest region (most accesses times size) of the
# snapshots in each 2 s phase of a stairs recording (the middle 1.2 s of
# each; their median), from record file $1, in MiB, one a line: five
# phases.
phase_centres() {
	damo convert "$1" -o "$BATS_TEST_TMPDIR/c.json" --format json >/dev/null
	jq -r '.[0].snapshots as $s | ($s[0].start_time | tonumber) as $t0
		| range(0; 5) as $p
		| [$s[] | (((.start_time | tonumber) + (.end_time | tonumber)) / 2 - $t0) as $m
			| select($m >= ($p * 2 + 0.4) * 1e9 and $m <= ($p * 2 + 1.6) * 1e9)
			| .regions | max_by(.nr_accesses.samples * (.end - .start))
			| (.start + .end) / 2]
		| sort | .[length / 2 | floor] / 1048576' "$BATS_TEST_TMPDIR/c.json"
}

# Stairs on stdin: four phases climbing by 16 MiB each, then the fifth back
# at the first (the model repeats).  The hottest region is some part of a
# 16 MiB stair, so each step is above 0 and below 32 MiB, the three
# together 32 to 64 MiB (48), the last phase within 16 MiB of the first.
stairs() {
	awk '{ c[NR] = $1 } END {
		if (NR != 5) exit 1
		for (i = 2; i <= 4; i++) { d = c[i] - c[i - 1]; if (d <= 0 || d >= 32) exit 1 }
		d = c[4] - c[1]; if (d < 32 || d > 64) exit 1
		d = c[5] - c[1]; if (d < -16 || d > 16) exit 1
		exit !(c[4] - c[5] >= 24) }'
}

@test "replay of a stairs recording shows the same stairs in a new recording" {
	[ -r "${DAMO_AGENT:-}" ] || skip "DAMO_AGENT not set: run through ctest"
	# The replayer is the damo under test.  Sanitized, its mmap() goes
	# through ASan's interceptor, not the uffd agent's interposed mmap, so
	# its memory is never registered: the embedded monitor sees no write
	# at all (0 accesses in every snapshot).  The release build's run of
	# this file checks the stairs; the workload of the other embedded
	# tests is not instrumented.
	if ldd "$DAMO" | grep -q libasan; then
		skip "an ASan-instrumented replayer's mappings are not the uffd agent's to see"
	fi
	export DAMO_RUNTIME_DIR=$BATS_TEST_TMPDIR/run
	export TMPDIR=$BATS_TEST_TMPDIR
	# the model: four 16 MiB stairs of 2 s each, then the first again
	run -0 damo record --model "$MODELS/stairs.yaml" --duration 10s \
		-o "$BATS_TEST_TMPDIR/stairs.data"
	phase_centres "$BATS_TEST_TMPDIR/stairs.data" | stairs
	# the replay, recorded by the embedded monitor as a real process; the
	# replayer's stack is written in every sample too, so the hottest
	# region is weighed by its size
	run -0 --separate-stderr damo record --monitoring-intervals 10ms 200ms 1s \
		--monitoring-nr-regions-range 100 1000 --duration 11s \
		-o "$BATS_TEST_TMPDIR/again.data" -- \
		"$DAMO" replay "$BATS_TEST_TMPDIR/stairs.data"
	phase_centres "$BATS_TEST_TMPDIR/again.data"
	phase_centres "$BATS_TEST_TMPDIR/again.data" | stairs
}

@test "replay plays every snapshot of any record format, and says how far it is" {
	run -0 damo record --model "$MODELS/hot-cold.yaml" --duration 1s \
		--format json_compressed -o "$BATS_TEST_TMPDIR/hc.data"
	run -0 damo replay "$BATS_TEST_TMPDIR/hc.data" --progress_notice_interval 0.5s
	[ "${lines[-1]}" = "all snapshots are replayed" ]
	[[ "${lines[0]}" =~ ^[0-9]+/10\ snapshots\ replayed\ in\ [0-9.]+\ seconds$ ]]
}

@test "replay --test_perf says how fast it writes memory" {
	run -0 damo replay --test_perf --test_perf_sz_mem 16M --test_perf_runtime 2
	[[ "${lines[0]}" == "replayer can access "*" memory per second" ]]
}

@test "replay refuses a missing file, bad values and too much memory" {
	run -1 damo replay "$BATS_TEST_TMPDIR/none"
	run -64 damo replay --progress_notice_interval 0
	run -64 damo replay --test_perf --test_perf_sz_mem 0
	run -64 damo replay --test_perf --test_perf_sz_mem 1E
	run -64 damo replay a b
}
