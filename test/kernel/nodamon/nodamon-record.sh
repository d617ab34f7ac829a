# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash  # busybox ash: POSIX sh plus local
# Debian 12's stock kernel (no DAMON): 'damo record --target-pid' records
# a running process through the embedded monitor (softdirty), its sampling
# paced by the CPU budget; the reports read the file, and the hot range is
# where the accesses are.  'damo record -- COMMAND' does the same for a
# command it starts, which exec()s after the monitor first looked at it,
# and ends the command with the recording.
. /test/tap.sh
. /test/damo.sh

start_workload --size 64M --hot 8M@16M --write --period 0 --seconds 300
# Under qemu's emulation (TCG) each sample costs the embedded monitor a
# hundred times the CPU time it costs on hardware, so its default budget
# (1 % of a core) would sample every few seconds: the scenarios give it
# --cpu-budget 50% instead, which paces it as 1 % does on hardware; its
# intervals are still the budget's own (no interval options).
run_cmd rec damo record --cpu-budget 50% --json --source softdirty \
	--duration 30s --target-pid $wl -o /tmp/r.data
check "nodamon-record: exits 0" is "$RC" 0
[ -s /tmp/rec.err ] && diag < /tmp/rec.err
grep '^{"output"' /tmp/rec.out > /tmp/rec.json
diag < /tmp/rec.json
check "nodamon-record: the summary: the embedded monitor, softdirty, 20+ snapshots" \
	jq_true /tmp/rec.json '.source == "embedded:softdirty" and .kdamond == "e0"
	 and .end == "duration" and .snapshots >= 20'
share=$(hot_share /tmp/r.data 10)
diag "accesses inside the hot range: $share%"
check "nodamon-record: the accesses recorded are mostly in the hot range ($share%)" \
	[ "${share:-0}" -ge 60 ]
run_cmd wss damo report wss -i /tmp/r.data --json
check "nodamon-record: report wss reads it" quiet_run wss
run_cmd hm damo report heatmap -i /tmp/r.data --resol 10 20
check "nodamon-record: report heatmap draws it" quiet_run hm
run_cmd st damo status --json
check "nodamon-record: the monitor started for it is gone" jq_true /tmp/st.out '.kdamonds == []'
check "nodamon-record: the recorded process runs on" kill -0 "$wl"
stop_workload

# -- COMMAND: the monitor attaches to the forked child before it exec()s
# damo-workload, so the access source must follow the new image.
run_cmd recc damo record --cpu-budget 50% --json --source softdirty \
	--duration 30s -o /tmp/c.data -- \
	damo-workload --size 64M --hot 8M@16M --write --period 0 --seconds 300
check "nodamon-record --: exits 0" is "$RC" 0
[ -s /tmp/recc.err ] && diag < /tmp/recc.err
grep '^{"output"' /tmp/recc.out > /tmp/recc.json
diag < /tmp/recc.json
check "nodamon-record --: the summary: the duration ended it, 20+ snapshots" \
	jq_true /tmp/recc.json '.source == "embedded:softdirty"
	 and .end == "duration" and .snapshots >= 20'
wl_pid=
workload_line /tmp/recc.out
check "nodamon-record --: the command printed its hot range" [ -n "$wl_pid" ]
share=$(hot_share /tmp/c.data 10)
diag "accesses inside the hot range: $share%"
check "nodamon-record --: the accesses recorded are mostly in the hot range ($share%)" \
	[ "${share:-0}" -ge 60 ]
check "nodamon-record --: the command is gone when the recording ends" \
	sh -c "! kill -0 ${wl_pid:-1} 2> /dev/null"
run_cmd st2 damo status --json
check "nodamon-record --: no monitor is left" jq_true /tmp/st2.out '.kdamonds == []'
exit 0
