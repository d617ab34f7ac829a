#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# damo record from kernel DAMON against directory trees: a sysfs tree made
# from a real kernel's, and a tracefs stand-in whose trace_pipe the test
# writes.  A tree is not a tracefs (statfs tells), so damo fills the trace
# instance it makes the way the kernel would (events/damon/*/{enable,filter}
# and trace_pipe, a link to the root's trace_pipe) and removes it again;
# the end of a regular trace_pipe file ends the trace (kdamond/sysfs/trace.h).
# What the real kernel does is the qemu tier's (test/kernel/scenarios/).

load ../helpers

K=kdamonds/0
KPID=4452

setup() {
	make_sysfs 6.12
	echo on >"$DAMO_SYSFS_ROOT/$K/state"
	echo $KPID >"$DAMO_SYSFS_ROOT/$K/pid"
	mkdir "$DAMO_TRACEFS_ROOT/instances"
	TP=$DAMO_TRACEFS_ROOT/trace_pipe
	mkdir "$BATS_TEST_TMPDIR/w"
	cd "$BATS_TEST_TMPDIR/w"
}

# line TS TARGET NR START END NR_ACCESSES AGE: a damon_aggregated line
line() {
	printf '       kdamond.0-%s    [001] ..... %s: damon_aggregated: target_id=%s nr_regions=%s %s-%s: %s %s\n' \
		"$KPID" "$@"
}

# Two aggregations of target 0 (2 then 3 regions) and one of target 1, with
# lines damo must skip: another event, a garbled line, a lost line.
feed() {
	line 100.000100 0 2 4096 8192 3 1
	echo '          <idle>-0       [000] d.... 100.000150: sched_switch: prev_comm=x'
	line 100.000200 0 2 8192 16384 0 5
	line 100.000300 1 1 65536 131072 7 2
	echo 'kdamond.0-4452 [001] ..... 100.1: damon_aggregated: target_id=0 nr_regions=garbled'
	# a snapshot of 3 that lost its third line: dropped
	line 100.100100 0 3 4096 8192 4 2
	line 100.100200 0 3 8192 12288 0 6
	line 100.200100 0 3 4096 8192 5 3
	line 100.200200 0 3 8192 12288 0 7
	line 100.200300 0 3 12288 16384 1 7
}

# The tracefs stand-in as files (not the instance, which damo removes).
tracefs_files() {
	(cd "$DAMO_TRACEFS_ROOT" && find . | sort)
}

json_of() {
	damo convert --format json -o "$1.json" "$1" >/dev/null
	echo "$1.json"
}

@test "a running kdamond is recorded from its tracepoint, in an instance of damo's own" {
	feed >"$TP"
	before=$(tracefs_files)
	run -0 --separate-stderr damo -vv record 0 -o out.data
	[ "$output" = "recorded 3 snapshots with 6 regions of kdamond 0 in ${output#* of kdamond 0 in }" ]
	[[ $output == *" (end of trace) to 'out.data' (native)" ]]
	# the instance: made, event filtered to the kdamond, enabled, disabled,
	# removed, in that order; nothing else of tracefs written
	inst=$DAMO_TRACEFS_ROOT/instances/damo.
	ev=events/damon/damon_aggregated
	ops=$(grep -E '^(mkdir|write|rmdir) ' <<<"$stderr" | grep -v ' kdamonds/')
	[[ $(sed -n 1p <<<"$ops") == "mkdir $inst"[0-9]* ]]
	pid=${ops#mkdir "$inst"}
	pid=${pid%%$'\n'*}
	inst=$inst$pid
	[ "$ops" = "mkdir $inst
write $inst/$ev/filter common_pid == $KPID
write $inst/$ev/enable 1
write $inst/$ev/enable 0
rmdir $inst" ]
	[ "$(tracefs_files)" = "$before" ]
	f=$(json_of out.data)
	json_check "$f" 'length == 2 and all(.kdamond_idx == 0 and .context_idx == 0 and .scheme_idx == null)'
	json_check "$f" '[.[].target_id] == [0, 1]'
	json_check "$f" '.[0].intervals | .sample_us == "5000" and .aggr_us == "100000"'
	json_check "$f" '[.[0].snapshots[] | [.start_time, .end_time]] == [["99900200000", "100000200000"], ["100000200000", "100200300000"]]'
	json_check "$f" '[.[0].snapshots[].regions[] | [.start, .end, .nr_accesses.samples, .age.aggr_intervals]] ==
		[[4096, 8192, 3, "1"], [8192, 16384, 0, "5"], [4096, 8192, 5, "3"], [8192, 12288, 0, "7"], [12288, 16384, 1, "7"]]'
	json_check "$f" '.[1].snapshots | length == 1 and .[0].start_time == "99900300000" and .[0].end_time == "100000300000"
		and .[0].total_bytes == "65536" and ([.[0].regions[] | [.start, .end, .nr_accesses.samples, .age.aggr_intervals]] == [[65536, 131072, 7, "2"]])'
	run -0 --separate-stderr damo report record-info --json -i out.data
	json_check <(echo "$output") 'length == 2 and ([.[] | [.target_id, .nr_snapshots, .nr_regions]] | sort) == [[0, 2, 5], [1, 1, 1]]'
}

@test "--json prints the summary, with the snapshots it had to drop" {
	feed >"$TP"
	run -0 --separate-stderr damo record 0 --json --format json -o out.json
	[ -z "$stderr" ]
	json_check <(echo "$output") '.output == "out.json" and .format == "json" and .source == "tracepoint"
		and .kdamond == "0" and .records == 2 and .snapshots == 3 and .regions == 6
		and .dropped_snapshots == 1 and .end == "end of trace" and .wall_us >= 0'
	json_check out.json 'length == 2'
}

# Start damo record on a FIFO trace_pipe kept open by a writer; sets REC
# (damo's pid) and W (the writer's); the feed goes in first.
record_fifo() {
	mkfifo "$TP"
	(feed; exec sleep 30) >"$TP" 3>&- &
	W=$!
	# not the damo() function: $! must be damo itself
	"$DAMO" record 0 "$@" >out.txt 2>err.txt &
	REC=$!
	# wait until damo runs its instance
	for _ in $(seq 100); do
		ls "$DAMO_TRACEFS_ROOT/instances" | grep -q damo. && break
		sleep 0.05
	done
}

stop_writer() {
	kill "$W" 2>/dev/null || true
	wait "$W" 2>/dev/null || true
}

@test "Ctrl-C and SIGTERM finish the file and leave tracefs clean" {
	local sig end
	for sig in INT TERM; do
		rm -f out.data "$TP"
		record_fifo --json -o out.data
		sleep 0.5
		kill -$sig $REC
		rc=0
		wait $REC || rc=$?
		stop_writer
		[ $rc = 0 ]
		[ -z "$(ls "$DAMO_TRACEFS_ROOT/instances")" ]
		end=interrupted
		[ $sig = INT ] || end=terminated
		json_check <(tail -1 out.txt) ".end == \"$end\" and .snapshots == 3"
		json_check "$(json_of out.data)" '[.[].snapshots | length] == [2, 1]'
	done
}

@test "--duration ends the recording, and --json prints progress lines" {
	record_fifo --json --duration 2200ms -o out.data
	rc=0
	wait $REC || rc=$?
	stop_writer
	[ $rc = 0 ]
	[ ! -s err.txt ]
	# JSON lines: progress objects, then the summary
	json_check <(jq -s . out.txt) 'length >= 3 and (.[:-1] | all(.progress | .elapsed_us > 0 and .snapshots == 3 and .regions == 6 and .regions_per_s >= 0))'
	json_check <(tail -1 out.txt) '.end == "duration" and .wall_us >= 2200000 and .wall_us < 4000000'
	[ -z "$(ls "$DAMO_TRACEFS_ROOT/instances")" ]
}

@test "the kdamond stopping ends the recording" {
	record_fifo --json -o out.data
	sleep 0.3
	echo off >"$DAMO_SYSFS_ROOT/$K/state"
	echo -1 >"$DAMO_SYSFS_ROOT/$K/pid"
	rc=0
	wait $REC || rc=$?
	stop_writer
	[ $rc = 0 ]
	json_check <(tail -1 out.txt) '.end == "kdamond stopped" and .snapshots == 3'
	[ -z "$(ls "$DAMO_TRACEFS_ROOT/instances")" ]
}

@test "an instance left by a dead damo is removed with a warning, a live one is left alone" {
	feed >"$TP"
	dead=$(sh -c 'echo $$')
	mkdir -p "$DAMO_TRACEFS_ROOT/instances/damo.$dead/events" \
		"$DAMO_TRACEFS_ROOT/instances/damo.$$" "$DAMO_TRACEFS_ROOT/instances/other"
	run -0 --separate-stderr damo record 0 -o out.data
	[ "$stderr" = "damo: warning: removed tracefs instance '$DAMO_TRACEFS_ROOT/instances/damo.$dead' left by damo process $dead, which no longer runs" ]
	[ "$(ls "$DAMO_TRACEFS_ROOT/instances" | sort)" = "damo.$$
other" ]
}

@test "refusals: no such kdamond, not running, no tracefs, no DAMON tracepoints" {
	feed >"$TP"
	run -1 --separate-stderr damo record 3 -o out.data
	[ "$stderr" = "damo: error: there is no kdamond 3
hint: 'damo status' lists the kdamonds" ]
	echo off >"$DAMO_SYSFS_ROOT/$K/state"
	run -1 --separate-stderr damo record 0 -o out.data
	[ "$stderr" = "damo: error: kdamond 0 is not running" ]
	echo on >"$DAMO_SYSFS_ROOT/$K/state"
	DAMO_TRACEFS_ROOT=$BATS_TEST_TMPDIR/none run -1 --separate-stderr damo record 0
	[ "$stderr" = "damo: error: no DAMON tracepoint at '$BATS_TEST_TMPDIR/none/events/damon/damon_aggregated'
hint: is tracefs mounted (mount -t tracefs nodev /sys/kernel/tracing)? DAMO_TRACEFS_ROOT names another place" ]
	rm -r "$DAMO_TRACEFS_ROOT/events/damon"
	run -1 --separate-stderr damo record 0 --json
	json_check <(echo "$output") '.error | endswith("hint: this kernel has no DAMON tracepoints; --snapshot records through tried regions instead")'
	DAMO_SYSFS_ROOT=$BATS_TEST_TMPDIR/none run -1 --separate-stderr damo record 0
	[[ $stderr == "damo: error: no DAMON sysfs interface at '$BATS_TEST_TMPDIR/none'"* ]]
	[ -z "$(ls)" ]
	[ -z "$(ls "$DAMO_TRACEFS_ROOT/instances")" ]
}

@test "a tracefs without instances is refused" {
	feed >"$TP"
	rmdir "$DAMO_TRACEFS_ROOT/instances"
	run -1 --separate-stderr damo record 0
	[ "$stderr" = "damo: error: no '$DAMO_TRACEFS_ROOT/instances': this tracefs cannot make trace instances" ]
	[ -z "$(ls)" ]
}

@test "--snapshot refuses a kdamond damo did not start, and changes nothing" {
	before=$(cd "$DAMO_SYSFS_ROOT" && find . -type f -exec cat {} + | md5sum)
	run -1 --separate-stderr damo record 0 --snapshot 1s
	[ "$stderr" = "damo: error: --snapshot: kdamond 0 was not started by damo; snapshots need a stat scheme added to it, which damo does only to its own kdamonds
hint: record it through its tracepoints: leave out --snapshot" ]
	[ "$(cd "$DAMO_SYSFS_ROOT" && find . -type f -exec cat {} + | md5sum)" = "$before" ]
	[ -z "$(ls)" ]
}

@test "-- COMMAND starts a vaddr kdamond for the command and stops it after" {
	feed >"$TP"
	# a tree cannot make kdamond directories: the existing one is reused
	echo 0 >"$DAMO_SYSFS_ROOT/kdamonds/nr_kdamonds"
	echo off >"$DAMO_SYSFS_ROOT/$K/state"
	run -0 --separate-stderr damo record --json -o out.data -- sleep 30
	[ -z "$stderr" ]
	json_check <(echo "$output") '.kdamond == "0" and .snapshots == 3 and .end == "end of trace"'
	C=$DAMO_SYSFS_ROOT/$K/contexts/0
	[ "$(cat "$C/operations")" = vaddr ]
	pid=$(cat "$C/targets/0/pid_target")
	[ "$pid" -gt 1 ]
	# the command was ended with the recording, the kdamond stopped and
	# its directories and ownership given back
	! kill -0 "$pid" 2>/dev/null
	[ "$(cat "$DAMO_SYSFS_ROOT/$K/state")" = off ]
	[ "$(cat "$DAMO_SYSFS_ROOT/kdamonds/nr_kdamonds")" = 0 ]
	run -0 --separate-stderr damo status --json
	json_check <(echo "$output") '[.kdamonds[]? | select(.owner == "damo")] == []'
	json_check "$(json_of out.data)" 'length == 2 and .[0].target_id == 0'
}

@test "an output that cannot be written is refused before a kdamond or the command starts" {
	echo 0 >"$DAMO_SYSFS_ROOT/kdamonds/nr_kdamonds"
	echo off >"$DAMO_SYSFS_ROOT/$K/state"
	for fmt in native json; do
		run -1 --separate-stderr damo record --format $fmt \
			-o "$BATS_TEST_TMPDIR/no/such/dir/out.data" -- touch ran
		[[ $stderr == "damo: error: $BATS_TEST_TMPDIR/no/such/dir/out.data: cannot create"* ]]
		[ ! -e ran ]
		[ "$(cat "$DAMO_SYSFS_ROOT/$K/state")" = off ]
		[ "$(cat "$DAMO_SYSFS_ROOT/kdamonds/nr_kdamonds")" = 0 ]
	done
}

@test "a command that cannot run fails the recording and stops the kdamond" {
	echo 0 >"$DAMO_SYSFS_ROOT/kdamonds/nr_kdamonds"
	echo off >"$DAMO_SYSFS_ROOT/$K/state"
	mkfifo "$TP"
	sleep 30 >"$TP" 3>&- &
	W=$!
	run --separate-stderr damo record --json -o out.data -- /nonexistent/cmd
	stop_writer
	[ "$status" = 0 ]
	[[ $stderr == *"cannot run '/nonexistent/cmd'"* ]]
	[[ $stderr == *"damo: warning: the command exited with status 127" ]]
	json_check <(echo "$output") '.end == "command exited" and .snapshots == 0'
	[ "$(cat "$DAMO_SYSFS_ROOT/$K/state")" = off ]
}

@test "--snapshot adds a stat scheme to damo's kdamond, records its tried regions, and takes it out again" {
	echo 0 >"$DAMO_SYSFS_ROOT/kdamonds/nr_kdamonds"
	echo off >"$DAMO_SYSFS_ROOT/$K/state"
	run -0 --separate-stderr damo start --target-pid $$
	S=$DAMO_SYSFS_ROOT/$K/contexts/0/schemes
	[ "$(cat "$S/nr_schemes")" = 0 ]
	# what the kernel would hold after update_schemes_tried_regions: two
	# adjacent regions alike (merged, as damo does) and a third
	T=$S/0/tried_regions
	rm -rf "$T/0"
	for r in "0 4096 8192 3 2" "1 8192 12288 3 2" "2 12288 20480 0 9"; do
		set -- $r
		mkdir "$T/$1"
		echo "$2" >"$T/$1/start"
		echo "$3" >"$T/$1/end"
		echo "$4" >"$T/$1/nr_accesses"
		echo "$5" >"$T/$1/age"
	done
	echo 16384 >"$T/total_bytes"
	run --separate-stderr damo -vv record 0 --json --snapshot 200ms --duration 1s -o snap.data
	[ "$status" = 0 ]
	json_check <(echo "$output") '.source == "snapshot" and .records == 1 and .snapshots >= 3 and .snapshots <= 6 and .end == "duration"'
	cmds=$(grep "^write $K/state " <<<"$stderr" | cut -d' ' -f3 | uniq)
	# the scheme in, snapshots, the kdamond as it was
	[ "$cmds" = "commit
update_schemes_tried_regions
commit" ]
	[ "$(cat "$S/nr_schemes")" = 0 ]
	grep -q "^write $K/contexts/0/schemes/0/action stat" <<<"$stderr"
	f=$(json_of snap.data)
	json_check "$f" 'length == 1 and .[0].kdamond_idx == 0 and .[0].scheme_idx == 0 and .[0].target_id == null'
	json_check "$f" '.[0].snapshots | all(.total_bytes == "16384" and
		([.regions[] | [.start, .end, .nr_accesses.samples, .age.aggr_intervals]] == [[4096, 12288, 3, "2"], [12288, 20480, 0, "9"]]))'
	run -0 damo stop
}

@test "a command that ignores SIGTERM gets SIGKILL when the recording ends" {
	feed >"$TP"
	echo 0 >"$DAMO_SYSFS_ROOT/kdamonds/nr_kdamonds"
	echo off >"$DAMO_SYSFS_ROOT/$K/state"
	run -0 --separate-stderr damo record --json -o out.data -- \
		sh -c 'trap "" TERM; while :; do sleep 1; done'
	json_check <(echo "$output") '.end == "end of trace" and .snapshots == 3'
	pid=$(cat "$DAMO_SYSFS_ROOT/$K/contexts/0/targets/0/pid_target")
	! kill -0 "$pid" 2>/dev/null
	[ "$(cat "$DAMO_SYSFS_ROOT/$K/state")" = off ]
}
