# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash  # busybox ash: POSIX sh plus local
# Fidelity at defaults: kernel DAMON (vaddr) and the embedded monitor
# (softdirty, its sampling paced by the CPU budget) with no interval or
# region options, on the same write-heavy workload: each finds the
# hot range, and how far their hot ranges overlap is reported.
. /test/tap.sh
. /test/damo.sh

stat_off
start_workload --size 64M --hot 8M@16M --write --period 0 --seconds 300
pattern="--damos-action stat --damos-access-rate 10% max"
# Under qemu's emulation (TCG) each sample costs the embedded monitor a
# hundred times the CPU time it costs on hardware, so its default budget
# (1 % of a core) would sample every few seconds: the scenarios give it
# --cpu-budget 50% instead, which paces it as 1 % does on hardware; its
# intervals are still the budget's own (no interval options).
budget="--cpu-budget 50%"


# shellcheck disable=SC2086
run_cmd kstart damo start --backend kernel --target-pid $wl $pattern
check "fidelity-defaults: kernel vaddr kdamond starts at defaults" quiet_run kstart
hot_ranges ktried 0
check "fidelity-defaults: kernel DAMON finds the hot range" hot_found
run_cmd kstop damo stop 0
check "fidelity-defaults: kernel kdamond stops" quiet_run kstop

# shellcheck disable=SC2086
run_cmd estart damo start --backend embedded --source softdirty \
	--target-pid $wl $budget $pattern
check "fidelity-defaults: the embedded monitor starts at defaults" is "$(cat /tmp/estart.out)" e0
hot_ranges etried e0
run_cmd est damo status e0 --json
diag "embedded intervals in force: $(jq -c '.kdamonds[0].contexts[0].intervals' /tmp/est.out), $(jq '.kdamonds[0].nr_regions' /tmp/est.out) regions"
check "fidelity-defaults: the embedded monitor finds the hot range" hot_found

diag "fidelity at defaults: overlap $(overlap min) % of the smaller hot range, $(overlap max) % of the larger"
run_cmd estop damo stop e0
check "fidelity-defaults: the embedded monitor stops" quiet_run estop

stop_workload
stat_restore
exit 0
