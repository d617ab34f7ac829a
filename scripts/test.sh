#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Every test tier on a fresh machine: install what is needed, build with
# -Werror, run the unit and CLI tiers, then again under ASan+UBSan, then
# each fuzz target for a bounded time (scripts/fuzz.sh), then the kernel
# tier: Debian's DAMON kernels under qemu with a static damo inside
# (scripts/test-kernels.sh; fetches them once, fails if it cannot).
set -eu
cd "$(dirname "$0")/.."
jobs=$(nproc)

scripts/deps.sh test

for variant in release asan; do
	dir=build-test-$variant
	opts="-DDAMO_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo"
	[ $variant = asan ] && opts="$opts -DDAMO_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug"
	echo "== $variant build"
	# shellcheck disable=SC2086
	cmake -S . -B "$dir" $opts >/dev/null
	cmake --build "$dir" -j"$jobs" >/dev/null
	echo "== $variant tests"
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --test-dir "$dir" --output-on-failure -j"$jobs"
done

# ---- fuzz step (issue 16) ----
# Every libFuzzer target on its seed corpus for a bounded time (about two
# minutes in all, with the build): scripts/fuzz.sh.
scripts/fuzz.sh
# ---- end of the fuzz step ----

# Run once, not per variant: it has its own static build (build-static).
echo "== kernel tests"
scripts/test-kernels.sh run
