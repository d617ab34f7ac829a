# SPDX-License-Identifier: GPL-2.0
# On kernels where DAMON_STAT runs from boot, damo start recognises that it
# holds DAMON, names the module and says how to stop it; 'damo module stat
# disable' then lets damo start.
. /test/tap.sh
. /test/damo.sh

if [ ! -w $stat_param ]; then
	diag "no damon_stat on $(uname -r)"
	run_cmd mod damo module --json
	check "stat-module: module lists what is loaded" jq_true /tmp/mod.out \
		'[.[].name] | index("damon_stat") == null'
	exit 0
fi
stat_was=$(cat $stat_param)
echo Y > $stat_param
run_cmd busy damo start --ops paddr --damos-action stat
diag < /tmp/busy.err
check "stat-module: start refuses while damon_stat runs" is "$RC" 1
check "stat-module: ... naming the module and how to stop it" \
	grep -q "damon_stat module.*damo module stat disable" /tmp/busy.err
check "stat-module: ... leaving nothing behind" is "$(nr_kdamonds)" 0
run_cmd mod damo module stat --json
check "stat-module: module stat shows it enabled" jq_true /tmp/mod.out \
	'.[0].name == "damon_stat" and .[0].parameters.enabled == "Y"'
run_cmd off damo module stat disable
check "stat-module: module stat disable exits 0" quiet_run off
run_cmd start damo start --ops paddr --damos-action stat
check "stat-module: then start works" quiet_run start
damo stop > /dev/null
echo "$stat_was" > $stat_param
exit 0
