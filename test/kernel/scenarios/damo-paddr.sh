# SPDX-License-Identifier: GPL-2.0
# damo start with paddr and no regions monitors the largest System RAM
# range of /proc/iomem.
. /test/tap.sh
. /test/damo.sh

stat_off
best=0
for r in $(grep '^[0-9a-f].* : System RAM$' /proc/iomem | cut -d' ' -f1); do
	s=$((0x${r%-*})) e=$((0x${r#*-} + 1))
	[ $((e - s)) -le $best ] || { best=$((e - s)); ram="$s $e"; }
done
run_cmd start damo start --ops paddr --damos-action stat
check "paddr: start exits 0" quiet_run start
run_cmd st damo status --json
check "paddr: the region is the largest System RAM range ($ram)" jq_true \
	/tmp/st.out ".kdamonds[0].contexts[0] | .ops == \"paddr\" and
	 ([.targets[0].regions[0] | .start, .end] | join(\" \")) == \"$ram\""
sleep 1
check "paddr: it keeps running" jq_true /tmp/st.out '.kdamonds[0].state == "on"'
run_cmd stop damo stop
check "paddr: stop exits 0" quiet_run stop
stat_restore
exit 0
