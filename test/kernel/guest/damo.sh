# SPDX-License-Identifier: GPL-2.0
# Helpers of the scenarios that drive DAMON through damo (sourced after
# tap.sh): the workload, DAMON_STAT out of the way, hot-range coverage.

mib=1048576
stat_param=/sys/module/damon_stat/parameters/enabled
admin=/sys/kernel/mm/damon/admin

# start_workload ARGS...: damo-workload in the background; sets $wl (pid),
# $base, $size, $hot_start, $hot_end from the line it prints.
start_workload() {
	local i=0

	damo-workload "$@" > /tmp/wl.out &
	wl=$!
	while ! grep -q '^pid=' /tmp/wl.out && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	workload_line /tmp/wl.out
}

# workload_line FILE: $wl_pid, $base, $size, $hot_start, $hot_end from the
# "pid=... base=..." line damo-workload printed into FILE.
workload_line() {
	local kv

	for kv in $(grep '^pid=' "$1"); do
		case $kv in
		pid=*) wl_pid=$((${kv#*=})) ;;
		base=*) base=$((${kv#*=})) ;;
		size=*) size=$((${kv#*=})) ;;
		hot_start=*) hot_start=$((${kv#*=})) ;;
		hot_end=*) hot_end=$((${kv#*=})) ;;
		esac
	done
}

stop_workload() {
	kill "$wl" 2> /dev/null
	wait "$wl" 2> /dev/null
}

# DAMON_STAT (newest kernels) holds DAMON: off for the scenario, then back.
stat_off() {
	stat_was=
	if [ -w $stat_param ]; then
		stat_was=$(cat $stat_param)
		echo N > $stat_param
	fi
}

stat_restore() {
	[ -z "$stat_was" ] || echo "$stat_was" > $stat_param
}

percent() {
	[ "$2" -gt 0 ] && echo $(($1 * 100 / $2)) || echo 0
}

# coverage FILE: from 'damo schemes tried --json' output, $found (bytes
# tried) and $inside (of those, bytes inside the workload's hot range).
coverage() {
	local s e

	found=0 inside=0
	jq -r '.[] | "\(.start) \(.end)"' "$1" > /tmp/ranges
	while read -r s e; do
		found=$((found + e - s))
		[ "$s" -gt $hot_start ] || s=$hot_start
		[ "$e" -lt $hot_end ] || e=$hot_end
		[ "$e" -le "$s" ] || inside=$((inside + e - s))
	done < /tmp/ranges
}

hot_found() {
	[ "$(percent $inside $((hot_end - hot_start)))" -ge 75 ] &&
	[ "$(percent $inside $found)" -ge 75 ]
}

nr_kdamonds() {
	cat $admin/kdamonds/nr_kdamonds
}

# no_kdamond_on: no sysfs kdamond is running.
no_kdamond_on() {
	local s

	for s in $admin/kdamonds/[0-9]*/state; do
		[ -e "$s" ] || continue
		[ "$(cat "$s")" = off ] || { echo "$s: $(cat "$s")"; return 1; }
	done
	return 0
}

# hot_share FILE N: of the accesses (bytes x nr_accesses) in the last N
# snapshots of record file FILE's first record, the percentage inside
# [$hot_start, $hot_end).
hot_share() {
	damo convert --format json -o /tmp/share.json "$1" > /dev/null || return 1
	jq -r --argjson n "$2" --argjson hs "$hot_start" --argjson he "$hot_end" '
		[.[0].snapshots[-$n:][].regions[] |
		 {w: .nr_accesses.samples, s: .start, e: .end}] |
		(map(.w * (.e - .s)) | add) as $all |
		(map(.w * ([([.e, $he] | min) - ([.s, $hs] | max), 0] | max)) | add)
			as $in |
		if $all > 0 then ($in * 100 / $all | floor) else 0 end' /tmp/share.json
}

# hottest_in N: the region with the most accesses (bytes x nr_accesses:
# a few pages of stack or code can have more nr_accesses) in the last N
# snapshots of the file hot_share read last overlaps the hot range.
hottest_in() {
	jq -e --argjson n "$1" --argjson hs "$hot_start" --argjson he "$hot_end" '
		[.[0].snapshots[-$n:][].regions[]] |
		max_by(.nr_accesses.samples * (.end - .start)) |
		.start < $he and .end > $hs' /tmp/share.json > /dev/null
}

# overlap min|max: of the hot ranges in /tmp/ktried.out (kernel DAMON) and
# /tmp/etried.out (the embedded monitor), the bytes both call hot, in
# percent of the smaller (min) or the larger (max) of the two.
overlap() {
	jq -n --slurpfile k /tmp/ktried.out --slurpfile e /tmp/etried.out "
		def total(r): r | map(.end - .start) | add // 0;
		[ \$k[0][] as \$a | \$e[0][] as \$b
		  | ([\$a.end, \$b.end] | min) - ([\$a.start, \$b.start] | max)
		  | select(. > 0) ] | add // 0
		| . * 100 / ([[total(\$k[0]), total(\$e[0])] | $1, 1] | max)
		| floor"
}

# hot_ranges NAME ID: poll 'damo schemes tried ID' for up to 40 s until
# the tried regions sit on the hot range; the last answer in /tmp/NAME.out.
hot_ranges() {
	local i=0

	while :; do
		run_cmd "$1" damo schemes tried "$2" --json
		coverage "/tmp/$1.out"
		hot_found || [ $i -ge 40 ] || { sleep 1; i=$((i + 1)); continue; }
		break
	done
	diag "$1: hot range $(printf '%#x-%#x' $hot_start $hot_end); tried:"
	jq -r '.[] | "\(.start)-\(.end) nr_accesses=\(.nr_accesses)"' \
		"/tmp/$1.out" | diag
}
