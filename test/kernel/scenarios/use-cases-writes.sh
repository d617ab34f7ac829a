# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash  # busybox ash: POSIX sh plus local
# docs/use-cases.md, "Spotting write-heavy ranges", run as the guide
# writes it: one process reads its hot range, another writes its own;
# kernel DAMON calls both hot, the embedded monitor on the softdirty
# source only the written one.  (A file of its own: with use-cases.sh in
# one scenario it would pass the scenario timeout under TCG.)
. /test/tap.sh
. /test/damo.sh

# show NAME CMD...: run CMD (run_cmd), print it and what it wrote.
show() {
	local name=$1

	shift
	run_cmd "$name" "$@"
	diag "uc\$ $*"
	sed 's/^/  /' "/tmp/$name.out" | diag
	[ ! -s "/tmp/$name.err" ] || sed 's/^/  stderr: /' "/tmp/$name.err" | diag
}

# bytes_in FILE START END: bytes of the ranges in 'damo schemes tried
# --json' output FILE that lie inside [START, END).
bytes_in() {
	jq --argjson s "$2" --argjson e "$3" '
		[.[] | ([.end, $e] | min) - ([.start, $s] | max) | select(. > 0)]
		| add // 0' "$1"
}

# poll_both ID: 'damo schemes tried ID' every second for up to 40 s until
# it shows half of both hot ranges; $in_rd and $in_wr, bytes in each.
poll_both() {
	local i=0

	while :; do
		sleep 1
		run_cmd poll damo schemes tried "$1" --json
		in_rd=$(bytes_in /tmp/poll.out $rd_s $rd_e)
		in_wr=$(bytes_in /tmp/poll.out $wr_s $wr_e)
		[ "$(percent $in_rd $((rd_e - rd_s)))" -ge 50 ] &&
			[ "$(percent $in_wr $((wr_e - wr_s)))" -ge 50 ] && break
		[ $i -lt 40 ] || break
		i=$((i + 1))
	done
	diag "after $i s: $in_rd bytes of the read range, $in_wr of the written one"
}

stat_off
start_workload --size 64M --hot 8M@16M --period 0 --seconds 300
reader=$wl rd_s=$hot_start rd_e=$hot_end
start_workload --size 64M --hot 8M@16M --write --period 0 --seconds 300
writer=$wl wr_s=$hot_start wr_e=$hot_end
diag "reader $reader: hot $(printf '%#x-%#x' $rd_s $rd_e); writer $writer: hot $(printf '%#x-%#x' $wr_s $wr_e)"

show k_start damo start --target-pid $reader --target-pid $writer \
	--damos-action stat --damos-access-rate 10% max
check "use-cases-writes: kernel DAMON starts" quiet_run k_start
poll_both 0
show k_tried damo schemes tried 0
check "use-cases-writes: kernel DAMON calls the read range hot" \
	[ "$(percent $in_rd $((rd_e - rd_s)))" -ge 50 ]
check "use-cases-writes: kernel DAMON calls the written range hot" \
	[ "$(percent $in_wr $((wr_e - wr_s)))" -ge 50 ]
run_cmd k_stop damo stop 0
check "use-cases-writes: stop 0" quiet_run k_stop

# Under TCG a sample costs the embedded monitor a hundred times what it
# costs on hardware: --cpu-budget 50% paces it as the default 1 % does
# there (nodamon/nodamon-embedded.sh).
show e_start damo start --backend embedded --source softdirty --cpu-budget 50% \
	--target-pid $reader --target-pid $writer --damos-action stat --damos-access-rate 10% max
check "use-cases-writes: the embedded monitor starts as e0" is "$(cat /tmp/e_start.out)" e0
i=0
while :; do
	sleep 1
	run_cmd e_json damo schemes tried e0 --json
	e_wr=$(bytes_in /tmp/e_json.out $wr_s $wr_e)
	[ "$(percent $e_wr $((wr_e - wr_s)))" -lt 75 ] && [ $i -lt 40 ] || break
	i=$((i + 1))
done
show e_tried damo schemes tried e0
e_rd=$(bytes_in /tmp/e_json.out $rd_s $rd_e)
check "use-cases-writes: softdirty calls the written range hot ($e_wr bytes after $i s)" \
	[ "$(percent $e_wr $((wr_e - wr_s)))" -ge 75 ]
check "use-cases-writes: and not the range only read ($e_rd bytes)" \
	[ "$(percent $e_rd $((rd_e - rd_s)))" -le 5 ]
run_cmd e_stop damo stop e0
check "use-cases-writes: stop e0" quiet_run e_stop
kill $reader 2> /dev/null
stop_workload
wait 2> /dev/null
stat_restore
exit 0
