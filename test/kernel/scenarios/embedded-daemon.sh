# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash  # busybox ash: POSIX sh plus local
# The embedded backend's daemon on a real kernel, with the softdirty source
# (these kernels have CONFIG_MEM_SOFT_DIRTY; the development machines do
# not): start, status, tune, schemes tried and stop through its socket;
# and fidelity: on the same write-heavy workload, kernel DAMON (vaddr) and
# the embedded monitor find hot ranges that overlap by at least 80 %.
. /test/tap.sh
. /test/damo.sh

stat_off
start_workload --size 64M --hot 8M@16M --write --period 0 --seconds 300
# TCG is slow: sample every 50 ms (a pass over the hot range takes tens
# of ms), aggregate over a second; at least 100 regions, so that region
# edges (DAMON's estimates on both sides) fall within about a MiB of the
# hot range's; the same for both backends.
iv="--monitoring-intervals 50ms 1s 1s --monitoring-nr-regions-range 100 1000"
pattern="--damos-action stat --damos-access-rate 10% max"


# kernel DAMON first
# shellcheck disable=SC2086
run_cmd kstart damo start --backend kernel --target-pid $wl $iv $pattern
check "embedded-daemon: kernel vaddr kdamond starts" quiet_run kstart
hot_ranges ktried 0
check "embedded-daemon: kernel DAMON finds the hot range" hot_found
run_cmd kstop damo stop 0
check "embedded-daemon: kernel kdamond stops" quiet_run kstop

# then the embedded monitor on the same process
# shellcheck disable=SC2086
run_cmd estart damo start --backend embedded --source softdirty \
	--target-pid $wl $iv $pattern
check "embedded-daemon: start prints e0" is "$(cat /tmp/estart.out)" e0
run_cmd est damo status e0 --json
check "embedded-daemon: status: on, softdirty, writes, the workload" \
	jq_true /tmp/est.out ".kdamonds[0] | .id == \"e0\" and
	 .backend == \"embedded\" and .state == \"on\" and
	 .source == \"softdirty\" and .sees == \"writes\" and
	 .contexts[0].targets[0].pid == $wl"
hot_ranges etried e0
check "embedded-daemon: the embedded monitor finds the hot range" hot_found

# fidelity: the bytes both call hot, in percent of the smaller hot range
# (region edges are DAMON's estimates on both sides: which one reaches a
# few hundred KiB further is noise) and of the larger one, for the record
both=$(overlap min)
diag "overlap: $both % of the smaller hot range, $(overlap max) % of the larger"
check "embedded-daemon: kernel and embedded hot ranges overlap by $both % (>= 80)" \
	[ "$both" -ge 80 ]

run_cmd etune damo tune e0 --monitoring-intervals 100ms 2s 2s $pattern
check "embedded-daemon: tune e0 exits 0" quiet_run etune
run_cmd est2 damo status e0 --json
check "embedded-daemon: tune changed the intervals online" jq_true /tmp/est2.out \
	'.kdamonds[0] | .state == "on" and
	 .contexts[0].intervals.sample_us == 100000 and
	 .contexts[0].intervals.aggr_us == 2000000'
daemon=$(jq '.kdamonds[0].pid' /tmp/est2.out)
run_cmd estop damo stop e0
check "embedded-daemon: stop e0 ends the daemon" \
	sh -c "[ $RC -eq 0 ] && ! kill -0 $daemon 2>/dev/null"
run_cmd est3 damo status --json
check "embedded-daemon: nothing left registered" jq_true /tmp/est3.out \
	'[.kdamonds[] | select(.backend == "embedded")] == []'

stop_workload
stat_restore
exit 0
