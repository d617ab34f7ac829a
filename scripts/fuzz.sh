#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build the libFuzzer targets (clang, ASan and UBSan, stopping at the first
# report of either) and run each on its committed seed corpus for a bounded
# time: FUZZ_SECONDS each (default 15).  New inputs go to a scratch corpus,
# never into test/fuzz/corpus; a crash, leak, timeout or sanitizer report
# fails the run and leaves the input in build-fuzz/artifacts/.
set -eu
cd "$(dirname "$0")/.."
secs=${FUZZ_SECONDS:-15}
dir=build-fuzz
corpus=test/fuzz/corpus

echo "== fuzz build"
cmake -S . -B "$dir" -DDAMO_FUZZ=ON -DDAMO_TESTS=OFF \
	-DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$dir" -j"$(nproc)" --target fuzz_config fuzz_doc \
	fuzz_records fuzz_wire fuzz_trace fuzz_workload fuzz_record_write \
	>/dev/null

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$dir/artifacts"

# run TARGET SEED_DIR...
run() {
	t=$1
	shift
	mkdir -p "$scratch/$t"
	echo "== fuzz $t (${secs} s)"
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		"$dir/test/fuzz/$t" -max_total_time="$secs" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$dir/artifacts/$t-" \
		"$scratch/$t" "$@" >"$scratch/$t.log" 2>&1 || {
		tail -n 60 "$scratch/$t.log"
		echo "fuzz: $t failed; the input is in $dir/artifacts/" >&2
		exit 1
	}
	grep -E '^stat::number_of_executed_units' "$scratch/$t.log" || true
}

run fuzz_config "$corpus/config"
run fuzz_doc "$corpus/doc"
run fuzz_records "$corpus"/records-*
run fuzz_wire "$corpus/wire"
run fuzz_trace "$corpus/trace"
run fuzz_workload "$corpus/workload"
run fuzz_record_write "$corpus/record_write"
