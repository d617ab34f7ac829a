#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build the benchmarks (test/bench/, -DDAMO_BENCH=ON) in build-bench and
# run one of them: "accuracy" or "cost" (the embedded monitor), "records"
# (the record formats: write and read 10 million regions), "reports"
# (every report on generated records, json_compressed and native, and
# Python damo 3.3 side by side when $DAMO_PY or /work/damo-py/src/damo.py
# is there: times, regions/s, MB/s, peak memory, ratios; options
# [-s SNAPSHOTS] [-r REGIONS] [-n RUNS] [-P], files in $BENCH_DIR or
# build-bench), "inflate FILE" (zlib against libdeflate on one
# json_compressed file); or "daemon": the embedded daemon's CPU time on a
# real workload (test/bench/daemon-cpu.sh, sizes and "-- DAMON options"
# as arguments); or "complexity": the readers of configurations,
# documents, daemon tune requests and workload models on inputs of 1x, 10x
# and 100x a size, with the time ratios that say their complexity ("-s
# SCALE" multiplies the sizes).  cost then counts instructions under callgrind when
# valgrind is installed.  Arguments after the name go to the benchmark.
# On demand only; CI does not run them.
set -eu
cd "$(dirname "$0")/.."

what=${1:-}
case $what in
accuracy | cost | records | reports | inflate | complexity) shift ;;
daemon)
	shift
	dir=build-bench-daemon
	cmake -S . -B $dir -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $dir -j"$(nproc)" --target damo damo-workload damo-agent \
		>/dev/null
	echo "machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' \
		/proc/cpuinfo | head -n 1)"
	exec test/bench/daemon-cpu.sh "$dir" "$@"
	;;
*)
	echo "usage: scripts/bench.sh accuracy|cost|records|reports|inflate|complexity|daemon [ARGS...]" >&2
	exit 64
	;;
esac

dir=build-bench
bin=$dir/test/bench/$what
cmake -S . -B $dir -DDAMO_BENCH=ON -DDAMO_TESTS=OFF -DDAMO_WERROR=ON \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build $dir -j"$(nproc)" --target "$what" >/dev/null
echo "machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' \
	/proc/cpuinfo | head -n 1)"
echo
if [ "$what" = reports ]; then
	set -- "$@" "${BENCH_DIR:-$dir}"
fi
"$bin" "$@"

[ "$what" = cost ] || exit 0
echo
if ! command -v valgrind >/dev/null 2>&1; then
	echo "valgrind is not installed: no instruction counts"
	exit 0
fi

# Instructions of monitor_step() and what it calls, after the warm-up,
# per region per sampling step (aggregation work shared out over them).
out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "Instructions (callgrind Ir) of the steps after the warm-up, region count pinned"
printf '%-6s %6s %5s %12s %12s %10s\n' source N area steps Ir Ir
printf '%-6s %6s %5s %12s %12s %10s\n' "" "" GiB "" total "/reg/sample"
for src in synth no-op; do
	flag=
	[ $src = no-op ] && flag=-0
	for n in 100 1000 10000; do
		for gib in 1 64; do
			# shellcheck disable=SC2086
			res=$(valgrind --tool=callgrind --toggle-collect=cg_steps \
				--callgrind-out-file="$out" \
				"$bin" -c $n -g $gib $flag 2>/dev/null)
			ir=$(sed -n 's/^totals: //p' "$out")
			echo "$res" | awk -v src=$src -v n=$n -v gib=$gib -v ir="$ir" '
				{ printf "%-6s %6d %5d %12d %12d %10.1f\n",
				  src, n, gib, $2, ir, ir / $4 }'
		done
	done
done
