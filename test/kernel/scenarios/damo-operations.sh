# SPDX-License-Identifier: GPL-2.0
# Operating damo on a real kernel: a named kdamond, its numbers from
# damo metrics, start --foreground stopping it on SIGTERM as systemd
# would, and stop with nothing left to stop.
. /test/tap.sh
. /test/damo.sh

stat_off
run_cmd start damo start --name web --ops paddr --damos-action stat \
	--monitoring-intervals 5ms 100ms 1s
check "operations: start --name exits 0" quiet_run start
sleep 1
run_cmd st damo status web --json
check "operations: status takes the name" jq_true /tmp/st.out \
	'[.kdamonds[] | [.name, .state]] == [["web", "on"]]'
run_cmd met damo metrics web
check "operations: metrics exits 0" quiet_run met
check "operations: ... the kdamond runs, by its name" \
	grep -q '^damo_monitor_running{kdamond="[0-9]*",name="web",backend="kernel"} 1$' /tmp/met.out
check "operations: ... its sampling interval in seconds" \
	grep -q '^damo_context_sample_interval_seconds{.*name="web".*} 0.005$' /tmp/met.out
check "operations: ... the scheme tried regions" \
	grep -q '^damo_scheme_tried_regions_total{.*name="web".*action="stat"} [1-9][0-9]*$' /tmp/met.out
check "operations: ... and ends with # EOF" is "$(tail -n 1 /tmp/met.out)" "# EOF"
run_cmd stop damo stop web
check "operations: stop by name exits 0" quiet_run stop
run_cmd again damo stop --all
check "operations: stop --all with nothing of damo's exits 0" is "$RC" 0
check "operations: ... saying so" grep -q 'nothing to stop' /tmp/again.err

# as damo@.service runs it: in the foreground until SIGTERM
damo start --foreground --ops paddr --damos-action stat > /tmp/fg.out 2> /tmp/fg.err &
fg=$!
i=0
while [ ! -s /tmp/fg.out ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
kid=$(cat /tmp/fg.out)
sleep 1
check "operations: start --foreground stays while its kdamond runs" \
	is "$(kill -0 $fg 2> /dev/null && cat $admin/kdamonds/$kid/state)" on
kill -TERM $fg
RC=0
wait $fg || RC=$?
check "operations: ... and on SIGTERM stops it and exits 0" \
	is "$RC:$(cat $admin/kdamonds/nr_kdamonds)" 0:0
stat_restore
exit 0
