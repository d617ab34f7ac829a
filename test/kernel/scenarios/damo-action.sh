# SPDX-License-Identifier: GPL-2.0
# A scheme's effect is visible from /proc: a hugepage scheme on the
# workload's hot range marks its mapping MADV_HUGEPAGE ("hg" in VmFlags).
. /test/tap.sh
. /test/damo.sh

stat_off
start_workload --size 64M --hot 8M@32M --period 0 --seconds 120
check "action: the workload's mapping starts without hg" sh -c "! grep -q ' hg' /proc/$wl/smaps"
run_cmd start damo start --target-pid $wl --damos-action hugepage \
	--damos-access-rate 25% max
check "action: start exits 0" quiet_run start
i=0
while ! grep -q ' hg' /proc/$wl/smaps && [ $i -lt 30 ]; do
	sleep 1
	i=$((i + 1))
done
grep -B20 ' hg' /proc/$wl/smaps | grep -E '^[0-9a-f]+-' | diag
check "action: part of the workload is marked hugepage after ${i}s" grep -q ' hg' /proc/$wl/smaps
run_cmd stats damo schemes stats --json
check "action: the scheme reports bytes applied" jq_true /tmp/stats.out '.[0].sz_applied > 0'
damo stop > /dev/null
stop_workload
stat_restore
exit 0
