# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash  # busybox ash: POSIX sh plus local
# Debian 12's stock kernel (no DAMON): 'damo record -- COMMAND' records
# through the embedded monitor (softdirty) at default settings, the reports
# read the file, and the hot range is where the accesses are.
. /test/tap.sh
. /test/damo.sh

run_cmd rec damo record --json --source softdirty --duration 30s \
	-o /tmp/r.data -- damo-workload --size 64M --hot 8M@16M --write \
	--period 0 --seconds 300
check "nodamon-record: exits 0" is "$RC" 0
[ -s /tmp/rec.err ] && diag < /tmp/rec.err
for kv in $(grep '^pid=' /tmp/rec.out); do
	case $kv in
	pid=*) cmd_pid=${kv#*=} ;;
	hot_start=*) hot_start=$((${kv#*=})) ;;
	hot_end=*) hot_end=$((${kv#*=})) ;;
	esac
done
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
check "nodamon-record: the command was ended with it" [ ! -d "/proc/${cmd_pid:-1}" ]
