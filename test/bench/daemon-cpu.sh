#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The embedded monitor's CPU cost on a real workload: the daemon's CPU time
# as a fraction of one core while it monitors damo-workload writing a hot
# eighth of SIZE, at default settings (sampling paced by the CPU budget,
# 1 % of a core) or with the DAMON options given after the sizes' "--".
# Prints the cost of one region-sample and whether the goal is met: at
# defaults the budget (at most 1 % of a core), with options of fixed
# intervals at most 1 % of a core per 1,000 regions.
# Usage: daemon-cpu.sh BUILD_DIR [SIZE...] [-- OPTS]
set -eu
build=$1
shift
sizes=
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	sizes="$sizes $1"
	shift
done
[ $# -gt 0 ] && shift
sizes=${sizes:-1G 8G}
warm=${DAMO_BENCH_WARMUP:-10}
span=${DAMO_BENCH_SECONDS:-30}

damo=$build/damo
export DAMO_AGENT=$build/agent/libdamo-agent.so
export DAMO_RUNTIME_DIR
DAMO_RUNTIME_DIR=$(mktemp -d)
export DAMO_SYSFS_ROOT=/nonexistent
wl=
trap '"$damo" stop --all >/dev/null 2>&1; [ -n "$wl" ] && kill "$wl" 2>/dev/null; rm -rf "$DAMO_RUNTIME_DIR"' EXIT

# An eighth of SIZE (a number with a K, M or G suffix), in MiB.
hot_of() {
	n=${1%?}
	case $1 in
	*G) echo "$((n * 1024 / 8))M" ;;
	*M) echo "$((n / 8))M" ;;
	*) echo "$1" ;;
	esac
}

# CPU time of the (single-threaded) daemon in ns: schedstat, not the
# 10 ms ticks of /proc/PID/stat.
cpu_ns() {
	awk '{ print $1 }' "/proc/$1/schedstat"
}

if [ $# -gt 0 ]; then goal="per 1000 <= 1"; else goal="cpu <= 1 %"; fi
printf '%-5s %-7s %8s %10s %9s %9s %10s %14s\n' size source regions sample_us "cpu %" \
	"per 1000" "us/sample" "$goal"
for size in $sizes; do
	out=$DAMO_RUNTIME_DIR/wl.out
	"$damo" start --backend embedded --damos-action stat "$@" -- sh -c \
		"exec $build/test/workload/damo-workload --size $size \
		--hot $(hot_of "$size")@0 --write --period 5ms \
		--seconds 0 > $out" >/dev/null 2>&1
	sleep "$warm"
	st=$("$damo" status e0 --json)
	pid=$(echo "$st" | jq '.kdamonds[0].pid')
	wl=$(echo "$st" | jq '.kdamonds[0].contexts[0].targets[0].pid')
	t0=$(cpu_ns "$pid")
	sleep "$span"
	t1=$(cpu_ns "$pid")
	st=$("$damo" status e0 --json)
	echo "$st" | jq -r --argjson d $((t1 - t0)) --argjson fixed $# \
		--argjson s "$span" --arg size "$size" '.kdamonds[0]
		| (($d / 1e9) / $s * 100) as $cpu
		| (.nr_regions / 1000) as $k
		| .contexts[0].intervals.sample_us as $us
		| ($cpu / 100 * $us / .nr_regions) as $cost
		| (if $fixed > 0 then $cpu / $k <= 1 else $cpu <= 1 end) as $met
		| "\($size)\t\(.source)\t\(.nr_regions)\t\($us)\t\($cpu * 1000 | round / 1000)\t\($cpu / $k * 1000 | round / 1000)\t\($cost * 100 | round / 100)\t\(if $met then "met" else "missed" end)"' |
		awk -F'\t' '{ printf "%-5s %-7s %8s %10s %9s %9s %10s %14s\n", $1, $2, $3, $4, $5, $6, $7, $8 }'
	"$damo" stop e0 >/dev/null
	kill "$wl" 2>/dev/null || true
	wl=
	sleep 1
done
