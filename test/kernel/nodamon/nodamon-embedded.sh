# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash  # busybox ash: POSIX sh plus local
# Debian 12's stock kernel (no DAMON): 'damo start' with --backend auto runs
# the embedded monitor with the softdirty source on a process and, at
# default settings (sampling paced by the CPU budget), finds its written hot
# range; status, schemes and stop work on it.
. /test/tap.sh
. /test/damo.sh

# Under qemu's emulation (TCG) each sample costs the embedded monitor a
# hundred times the CPU time it costs on hardware, so its default budget
# (1 % of a core) would sample every few seconds: the scenarios give it
# --cpu-budget 50% instead, which paces it as 1 % does on hardware; its
# intervals are still the budget's own (no interval options).
start_workload --size 64M --hot 8M@16M --write --period 0 --seconds 300
run_cmd st damo start --source softdirty --target-pid $wl --cpu-budget 50% \
	--damos-action stat --damos-access-rate 10% max
check "nodamon-embedded: start prints e0" is "$(cat /tmp/st.out)" e0
diag < /tmp/st.err
check "nodamon-embedded: start says why it is not kernel DAMON" \
	grep -q "no DAMON sysfs interface; using damo's embedded monitor" /tmp/st.err
run_cmd status damo status e0 --json
check "nodamon-embedded: status: on, softdirty, the workload" jq_true /tmp/status.out \
	".kdamonds[0] | .id == \"e0\" and .state == \"on\" and .source == \"softdirty\"
	 and .contexts[0].targets[0].pid == $wl"
hot_ranges tried e0
run_cmd st2 damo status e0 --json
diag "intervals in force: $(jq -c '.kdamonds[0].contexts[0].intervals' /tmp/st2.out), $(jq '.kdamonds[0].nr_regions' /tmp/st2.out) regions"
check "nodamon-embedded: the embedded monitor finds the hot range" hot_found
run_cmd stop damo stop e0
check "nodamon-embedded: stop" quiet_run stop
run_cmd after damo status --json
check "nodamon-embedded: nothing runs after stop" jq_true /tmp/after.out '.kdamonds == []'
stop_workload

exit 0
