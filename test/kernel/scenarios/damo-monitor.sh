# SPDX-License-Identifier: GPL-2.0
# damo start / status / schemes tried / tune / stop on a vaddr workload:
# the kdamond runs with what was configured, its stats grow, the tried
# regions sit on the workload's hot range, tune changes intervals, quota,
# access pattern and a quota goal online with the same kdamond, stop ends it.
. /test/tap.sh
. /test/damo.sh

stat_off
start_workload --size 128M --hot 16M@64M --period 0 --seconds 200

run_cmd start damo start --target-pid $wl --damos-action stat \
	--damos-access-rate 25% max --damos-age 0 max
check "monitor: start exits 0, prints the kdamond id" is "$(cat /tmp/start.out)" 0
check "monitor: start writes nothing on stderr" quiet_run start

run_cmd st damo status --json
check "monitor: status says on, damo's, with a kdamond pid" jq_true /tmp/st.out \
	'.kdamonds[0] | .state == "on" and .owner == "damo" and .pid > 0'
pid=$(jq '.kdamonds[0].pid' /tmp/st.out)
check "monitor: status shows the configured parameters" jq_true /tmp/st.out \
	".kdamonds[0].contexts[0] | .ops == \"vaddr\" and .targets[0].pid == $wl
	 and .intervals.sample_us == 5000 and .intervals.aggr_us == 100000
	 and .schemes[0].action == \"stat\"
	 and .schemes[0].access_pattern.nr_accesses_samples.min == 5"

# Stats grow: look again for up to 10 s (TCG guests can be slow).
sleep 2
run_cmd st1 damo status --json
t1=$(jq '.kdamonds[0].contexts[0].schemes[0].stats.nr_tried' /tmp/st1.out)
i=0
t2=$t1
while [ "$t2" -le "$t1" ] && [ $i -lt 10 ]; do
	sleep 1
	run_cmd st2 damo status --json
	t2=$(jq '.kdamonds[0].contexts[0].schemes[0].stats.nr_tried' /tmp/st2.out)
	i=$((i + 1))
done
[ -s /tmp/st2.err ] && diag < /tmp/st2.err
# (t1 may still be 0: the regions may not have converged on the hot range)
check "monitor: scheme stats grow ($t1 then $t2 tried)" [ "$t2" -gt "$t1" ]

i=0
while :; do
	run_cmd tried damo schemes tried --json
	coverage /tmp/tried.out
	hot_found || [ $i -ge 30 ] || { sleep 1; i=$((i + 1)); continue; }
	break
done
diag "hot range $(printf '%#x-%#x' $hot_start $hot_end); tried:"
jq -r '.[] | "\(.start)-\(.end) nr_accesses=\(.nr_accesses) age=\(.age)"' \
	/tmp/tried.out | diag
check "monitor: tried regions cover the hot range" \
	[ "$(percent $inside $((hot_end - hot_start)))" -ge 75 ]
check "monitor: tried regions are mostly inside it" \
	[ "$(percent $inside $found)" -ge 75 ]

run_cmd tune damo tune 0 --target-pid $wl \
	--monitoring-intervals 10ms 200ms 2s --damos-action stat \
	--damos-access-rate 50% max --damos-quotas 0 64M 1s
check "monitor: tune exits 0" quiet_run tune
run_cmd st3 damo status --json
check "monitor: status shows the tuned values, same kdamond" jq_true /tmp/st3.out \
	".kdamonds[0] | .pid == $pid and .state == \"on\" and
	 .contexts[0].intervals.sample_us == 10000 and
	 .contexts[0].intervals.aggr_us == 200000 and
	 .contexts[0].schemes[0].quotas.sz_bytes == 67108864 and
	 .contexts[0].schemes[0].access_pattern.nr_accesses_samples.min == 10"

# A user_input goal half met: the effective quota the kernel computes is
# what status reports (6.9+: effective_bytes).
run_cmd goal damo tune 0 --target-pid $wl --damos-action stat \
	--damos-quotas 0 1G 100ms --damos-quota-goal user_input 10000 5000
check "monitor: tune with a user_input quota goal exits 0" quiet_run goal
sleep 2
run_cmd st4 damo status --json
jq '.kdamonds[0].contexts[0].schemes[0].quotas' /tmp/st4.out | diag
check "monitor: status reports the goal and an effective quota" jq_true /tmp/st4.out \
	'.kdamonds[0].contexts[0].schemes[0].quotas |
	 .goals[0].metric == "user_input" and .goals[0].target_value == 10000
	 and .effective_sz_bytes > 0 and .effective_sz_bytes <= 1073741824'

run_cmd stop damo stop
check "monitor: stop exits 0" quiet_run stop
check "monitor: stop leaves no kdamond" is "$(nr_kdamonds)" 0
stop_workload
stat_restore
exit 0
