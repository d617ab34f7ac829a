# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash  # busybox ash: POSIX sh plus local
# The embedded monitor's access sources on Debian's kernels, through
# damo-source-probe: softdirty (CONFIG_MEM_SOFT_DIRTY, which the
# development machines lack) sees the workload's writes where they are and
# nowhere else, and the monitor driven by it finds the hot range; pageidle
# works or says why; uffd refuses a workload without its agent and says why
# (the VM's programs are static: nothing to preload); process_madvise
# takes cold and refuses hugepage from outside.  No DAMON is involved.
. /test/tap.sh
. /test/damo.sh

start_workload --size 64M --hot 8M@16M --write --period 0 --seconds 200
cold_start=$base
cold_end=$((base + 16 * mib))
diag "workload $wl: hot $(printf '%#x-%#x' $hot_start $hot_end)"

# check NAME SOURCE START END: "checked=N accessed=K" into $checked and
# $accessed, the probe's status in $RC, stderr in /tmp/NAME.err.  Under
# TCG one pass over 8 MiB takes a while after each clear: wait 500 ms.
probe_check() {
	local kv

	run_cmd "$1" damo-source-probe check "$2" $wl "$3" "$4" 64 500
	checked=0 accessed=-1
	for kv in $(cat "/tmp/$1.out"); do
		case $kv in
		checked=*) checked=${kv#*=} ;;
		accessed=*) accessed=${kv#*=} ;;
		esac
	done
}

# refused NAME TEXT: probe run NAME failed (status 1) saying TEXT.
refused() {
	[ "$RC" -eq 1 ] && grep -q "$2" "/tmp/$1.err" && return 0
	echo "status $RC"
	cat "/tmp/$1.err"
	return 1
}

probe_check sd_hot softdirty $hot_start $hot_end
[ ! -s /tmp/sd_hot.err ] || diag < /tmp/sd_hot.err
check "embedded-sources: softdirty sees the hot range written ($accessed of $checked)" \
	[ "$RC" -eq 0 -a "$accessed" -ge 58 ]
probe_check sd_cold softdirty $cold_start $cold_end
check "embedded-sources: softdirty sees nothing written where nothing is ($accessed of $checked)" \
	[ "$RC" -eq 0 -a "$accessed" -eq 0 ]

# monitor_cov FILE: of the regions accessed in at least a quarter of the
# samples (5 of 20: a region that only reaches into the hot range shows
# fewer), $found bytes and $inside bytes within the hot range.
monitor_cov() {
	local s e n a

	found=0 inside=0
	while read -r s e n a; do
		case $s in regions=*) continue ;; esac
		[ "$n" -ge 5 ] || continue
		found=$((found + e - s))
		[ "$s" -gt $hot_start ] || s=$hot_start
		[ "$e" -lt $hot_end ] || e=$hot_end
		[ "$e" -le "$s" ] || inside=$((inside + e - s))
	done < "$1"
}

# Sampling every 50 ms: a TCG pass over the hot range takes tens of ms.
run_cmd sd_mon damo-source-probe monitor softdirty $wl 15 50 1000
monitor_cov /tmp/sd_mon.out
diag "softdirty monitor: $(head -n 1 /tmp/sd_mon.out), $((found / 1024)) KiB" \
     "with accesses, $((inside / 1024)) KiB of them in the hot range"
check "embedded-sources: the monitor on softdirty covers most of the hot range" \
	[ "$RC" -eq 0 -a "$(percent $inside $((hot_end - hot_start)))" -ge 75 ]
check "embedded-sources: what it calls written is mostly the hot range" \
	[ "$(percent $inside $found)" -ge 75 ]

if [ -e /sys/kernel/mm/page_idle/bitmap ]; then
	probe_check pi_hot pageidle $hot_start $hot_end
	check "embedded-sources: pageidle sees the hot range accessed ($accessed of $checked)" \
		[ "$RC" -eq 0 -a "$accessed" -ge 58 ]
	probe_check pi_cold pageidle $cold_start $cold_end
	check "embedded-sources: pageidle sees the cold range idle ($accessed of $checked)" \
		[ "$RC" -eq 0 -a "$accessed" -le 6 ]
else
	probe_check pi pageidle $hot_start $hot_end
	check "embedded-sources: pageidle says the kernel lacks idle page tracking" \
		refused pi CONFIG_IDLE_PAGE_TRACKING
fi

probe_check uffd uffd $hot_start $hot_end
check "embedded-sources: uffd refuses a workload without the agent, saying so" \
	refused uffd "no memory registered for userfaultfd"

run_cmd cold damo-source-probe madvise cold $wl $hot_start $hot_end
check "embedded-sources: process_madvise takes cold from outside" \
	is "$(cat /tmp/cold.out)" "advised=$((hot_end - hot_start))"
run_cmd huge damo-source-probe madvise hugepage $wl $hot_start $hot_end
check "embedded-sources: hugepage is refused, saying why" \
	refused huge "process_madvise() refuses"

stop_workload
exit 0
