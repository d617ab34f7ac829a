# SPDX-License-Identifier: GPL-2.0
# What damo refuses leaves the kernel as it was: an invalid configuration
# changes nothing, a failure at "on" leaves nothing on, and a kdamond made
# without damo is not touched by stop, tune or schemes apply without
# --force.
. /test/tap.sh
. /test/damo.sh

stat_off
kd=$admin/kdamonds

run_cmd bad damo start --ops paddr --monitoring-intervals 1s 100ms 1s \
	--damos-action stat
check "refusals: an invalid configuration exits 1" is "$RC" 1
check "refusals: ... naming what is wrong" grep -q 'longer than the aggregation' /tmp/bad.err
check "refusals: ... and changes nothing" is "$(nr_kdamonds)" 0

# A memcg filter on a cgroup that does not exist: the kernel refuses the
# scheme at "on" (ENOMEM on 6.18-era kernels, per docs/kernel-damon.md §1.4).
run_cmd memcg damo start --ops paddr --damos-action pageout \
	--damos-filter reject memcg /no/such/cgroup
diag < /tmp/memcg.err
check "refusals: a failure at on exits 1" is "$RC" 1
check "refusals: ... names the state file and the error" grep -q "cannot write 'on' to" /tmp/memcg.err
check "refusals: ... leaves nothing on" no_kdamond_on
check "refusals: ... and nothing configured" is "$(nr_kdamonds)" 0

# A kdamond started by hand is someone else's.
echo 1 > $kd/nr_kdamonds
echo 1 > $kd/0/contexts/nr_contexts
echo paddr > $kd/0/contexts/0/operations
echo 1 > $kd/0/contexts/0/targets/nr_targets
echo 1 > $kd/0/contexts/0/targets/0/regions/nr_regions
echo 4096 > $kd/0/contexts/0/targets/0/regions/0/start
echo 1073741824 > $kd/0/contexts/0/targets/0/regions/0/end
echo on > $kd/0/state
check "refusals: a hand-made kdamond runs" is "$(cat $kd/0/state)" on
hand_pid=$(cat $kd/0/pid)
run_cmd stop damo stop --all
# nothing of damo's runs: stop --all succeeds, says so, and stops nothing
check "refusals: stop --all leaves it alone" is "$RC:$(cat $kd/0/state)" 0:on
check "refusals: ... saying nothing was damo's" grep -q 'nothing to stop' /tmp/stop.err
run_cmd tune damo tune 0 --ops paddr --damos-action stat
check "refusals: tune refuses it" is "$RC" 1
check "refusals: ... saying why" grep -q 'not started by damo' /tmp/tune.err
printf -- '- action: stat\n' > /tmp/s.yaml
run_cmd apply damo schemes apply 0 /tmp/s.yaml
check "refusals: schemes apply refuses it" is "$RC" 1
check "refusals: ... and it still runs unchanged" \
	is "$(cat $kd/0/state):$(cat $kd/0/pid):$(cat $kd/0/contexts/0/schemes/nr_schemes)" \
	"on:$hand_pid:0"
run_cmd st damo status --json
check "refusals: status shows it as foreign" jq_true /tmp/st.out \
	'.kdamonds[0].owner == "foreign" and .kdamonds[0].state == "on"'
run_cmd force damo stop 0 --force
check "refusals: named with --force it is stopped" is "$RC:$(cat $kd/0/state)" 0:off
echo 0 > $kd/nr_kdamonds
stat_restore
exit 0
