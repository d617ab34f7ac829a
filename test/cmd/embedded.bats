#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The embedded backend on real processes of this host: the daemon, its
# control socket, and start/status/tune/schemes/stop through it.  DAMON's
# sysfs interface is pointed at a path that does not exist, so --backend
# auto has to choose the embedded monitor, as on a kernel without DAMON.

load ../helpers

setup() {
	export DAMO_RUNTIME_DIR=$BATS_TEST_TMPDIR/run
	WL_OUT=$BATS_TEST_TMPDIR/wl.out
	[ -x "${DAMO_WORKLOAD:-}" ] || skip_reason="DAMO_WORKLOAD not set"
	[ -r "${DAMO_AGENT:-}" ] || skip_reason="DAMO_AGENT not set"
	if [ -n "${skip_reason:-}" ]; then
		echo "$skip_reason: run through ctest" >&2
		return 1
	fi
	export TMPDIR=$BATS_TEST_TMPDIR
}

teardown() {
	"$DAMO" stop --all >/dev/null 2>&1 || true
	[ -n "${WL_PID:-}" ] && kill "$WL_PID" 2>/dev/null || true
	[ -n "${PERM_DIR:-}" ] && rm -rf "$PERM_DIR" || true
}

# start_wl [damo start options...]: the workload under the embedded
# monitor; sets WL_PID, HOT_START, HOT_END (and FILE_* with WL_FILE set).
start_wl() {
	local i
	run --separate-stderr damo start "$@" -- sh -c "exec $DAMO_WORKLOAD --size 64M \
		--hot 8M@16M --write --period 1ms --seconds ${WL_SECONDS:-60} \
		${WL_FILE:+--file $WL_FILE} > $WL_OUT 2> $WL_OUT.err"
	[ "$status" -eq 0 ] || { echo "start failed: $stderr"; cat "$WL_OUT.err"; return 1; }
	START_STDERR=$stderr
	ID=$output
	for i in $(seq 100); do
		grep -q pid= "$WL_OUT" 2>/dev/null && break
		sleep 0.05
	done
	WL_PID=$(sed -n 's/^pid=\([0-9]*\) .*/\1/p' "$WL_OUT")
	HOT_START=$(( $(sed -n 's/.* hot_start=\(0x[0-9a-f]*\).*/\1/p' "$WL_OUT") ))
	HOT_END=$(( $(sed -n 's/.* hot_end=\(0x[0-9a-f]*\).*/\1/p' "$WL_OUT") ))
	[ -n "$WL_PID" ]
}

# wait_for TRIES CMD...: retry a check every half second.
wait_for() {
	local n=$1 i
	shift
	for i in $(seq "$n"); do
		"$@" && return 0
		sleep 0.5
	done
	"$@"
}

# The tried regions of scheme 0 cover mostly the hot range, and most of it.
hot_found() {
	damo schemes tried "$ID" --json > "$BATS_TEST_TMPDIR/tried.json" || return 1
	jq -e --argjson hs "$HOT_START" --argjson he "$HOT_END" '
		def ov: ([.end, $he] | min) - ([.start, $hs] | max) | if . < 0 then 0 else . end;
		(map(.end - .start) | add) as $all
		| (map(ov) | add) as $in
		| $all > 0 and $in >= 0.8 * $all and $in >= 0.5 * ($he - $hs)' \
		"$BATS_TEST_TMPDIR/tried.json" >/dev/null
}

@test "auto picks the embedded monitor without DAMON and the source auto picks finds the hot range" {
	start_wl --monitoring-intervals 5ms 100ms 1s --damos-action stat \
		--damos-access-rate 5% 100%
	[ "$ID" = e0 ]
	wait_for 60 hot_found || {
		echo "hot range $HOT_START-$HOT_END; tried:"
		cat "$BATS_TEST_TMPDIR/tried.json"
		false
	}
}

@test "status shows the embedded monitor like a kdamond, with its source" {
	start_wl --backend embedded --damos-action stat
	stderr=$START_STDERR
	run -0 damo status --json
	# DAMON's defaults, paced by the CPU budget from there: never below
	# 5 ms, the aggregation 20 samples, DAMON's own auto-tuning off
	echo "$output" | jq -e '.kdamonds[0].contexts[0].intervals
		| .sample_us >= 5000 and .aggr_us == 20 * .sample_us
		  and ((.intervals_goal.aggrs // 0) == 0)'
	echo "$output" | jq -e --argjson p "$WL_PID" '.kdamonds[0]
		| .id == "e0" and .backend == "embedded" and .state == "on"
		  and .owner == "damo" and .exit_reason == null
		  and (.source as $s | ["uffd", "softdirty", "pageidle"]
		       | index([$s]) != null)
		  and .sees == (if .source == "pageidle" then "reads and writes"
				else "writes" end)
		  and .contexts[0].ops == "vaddr"
		  and .contexts[0].targets[0].pid == $p
		  and .contexts[0].schemes[0].action == "stat"'
	run -0 damo status e0
	[[ $output == *"id: e0"* ]]
	[[ $output == *"source: "* ]]
	[[ $output == *"sees: "* ]]
	# auto said which source it picked and what it cannot see
	[[ $stderr == *"source auto: using "* ]]
}

@test "tune changes the intervals and schemes of a running embedded monitor" {
	start_wl --damos-action stat
	run -0 damo tune e0 --monitoring-intervals 10ms 200ms 2s \
		--damos-action stat --damos-access-rate 5% 100%
	run -0 damo status e0 --json
	echo "$output" | jq -e '.kdamonds[0].contexts[0]
		| .intervals.sample_us == 10000 and .intervals.aggr_us == 200000
		  and .intervals.ops_update_us == 2000000
		  and .schemes[0].access_pattern.nr_accesses_samples.min == 1'
	# a refused tune leaves it as it was
	run -1 damo tune e0 --damos-action lru_prio
	[[ $output == *"lru_prio"* ]]
	run -0 damo status e0 --json
	echo "$output" | jq -e '.kdamonds[0].contexts[0].intervals.sample_us == 10000
		and .kdamonds[0].state == "on"'
	# targets cannot change underneath
	run -1 damo tune e0 --target-pid $$
	[[ $output == *"targets of an embedded monitor cannot change"* ]]
}

@test "a pageout scheme drops the cold file pages (stats and VmRSS agree)" {
	WL_FILE=64M start_wl --monitoring-intervals 5ms 100ms 1s \
		--damos-action pageout --damos-access-rate 0% 0% --damos-age 1s max
	before=$(awk '/^RssFile:/ { print $2 }' /proc/$WL_PID/status)
	[ "$before" -ge 60000 ]
	rss_dropped() {
		[ "$(awk '/^RssFile:/ { print $2 }' /proc/$WL_PID/status)" -lt 20000 ]
	}
	wait_for 30 rss_dropped
	run -0 damo schemes stats e0 --json
	echo "$output" | jq -e '.[0].action == "pageout" and .[0].nr_applied > 0
		and .[0].sz_applied >= 40000000'
	# the hot anonymous part stays resident
	[ "$(awk '/^RssAnon:/ { print $2 }' /proc/$WL_PID/status)" -ge 8000 ]
}

@test "report access without --input: a snapshot of the running monitor, as damo" {
	start_wl --monitoring-intervals 5ms 100ms 1s --damos-action stat \
		--damos-access-rate 5% 100%
	mkdir "$BATS_TEST_TMPDIR/empty" && cd "$BATS_TEST_TMPDIR/empty"
	run -0 --separate-stderr damo report access
	[ "${lines[0]:0:9}" = 'heatmap: ' ]
	[ "${lines[2]}" = 'intervals: sample 5 ms aggr 100 ms (max access hz 200)' ]
	[ "${lines[-1]}" = 'record DAMON intervals: sample 5 ms, aggr 100 ms' ]
	run -0 --separate-stderr damo report access --json
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/live.json"
	json_check "$BATS_TEST_TMPDIR/live.json" \
		'length == 1 and (.[0].snapshots | length) == 1 and (.[0].snapshots[0].regions | length) > 0'
	# damo's tried_regions_of input: the scheme's regions and stats
	run -0 --separate-stderr damo report access -i tried_regions_of "$ID" 0 0
	[ "${lines[-3]}" = 'scheme stats' ]
	[[ "${lines[-2]}" == 'tried '*' times ('* ]]
	damo report access --tried_regions_of "$ID" 0 0 --dont_merge_regions \
		--json >"$BATS_TEST_TMPDIR/tried.json"
	json_check "$BATS_TEST_TMPDIR/tried.json" \
		'.[0] | .kdamond_idx == 0 and .context_idx == 0 and .scheme_idx == 0 and (.snapshots[0].damos_stats.nr_tried > 0)'
	run -1 --separate-stderr damo report access -i tried_regions_of "$ID" 0 3
	[ "$stderr" = "damo: error: $ID has no scheme 3 of context 0" ]
	run -64 --separate-stderr damo report access -i tried_regions_of "$ID" 0
	[[ "$stderr" == *'-i tried_regions_of takes K C S'* ]]
	# the snapshot's file and directory are gone
	[ -z "$(ls "$TMPDIR" | grep damo-live)" ]
	# nothing runs: damon.data, as damo
	damo stop "$ID" >/dev/null
	run -1 --separate-stderr damo report access
	[ "$stderr" = "damo: error: damon.data: cannot open: No such file or directory" ]
}

@test "stop ends the daemon and unregisters it" {
	start_wl --damos-action stat
	daemon=$(damo status e0 --json | jq -r '.kdamonds[0].pid')
	kill -0 "$daemon"
	run -0 damo stop e0 --json
	[ "$output" = '["e0"]' ]
	! kill -0 "$daemon" 2>/dev/null
	[ ! -e "$DAMO_RUNTIME_DIR/embedded/e0.sock" ]
	run -1 damo status e0
	[[ $output == *"no embedded monitor 'e0'"* ]]
	run -0 damo status --json
	echo "$output" | jq -e '.kdamonds == []'
}

@test "a monitor whose target exits stops itself and leaves its last status" {
	WL_SECONDS=1 start_wl --monitoring-intervals 5ms 100ms 1s --damos-action stat
	ended() {
		damo status e0 --json | jq -e '.kdamonds[0].state == "off"' >/dev/null
	}
	wait_for 20 ended
	run -0 damo status e0 --json
	echo "$output" | jq -e '.kdamonds[0] | .exit_reason == "the target exited"
		and .contexts[0].schemes[0].stats.nr_tried > 0'
	run -0 damo stop e0
	run -1 damo status e0
}

@test "another user cannot control the monitor" {
	command -v setpriv >/dev/null
	# a runtime directory others can reach (the test's own is 0700)
	PERM_DIR=$(mktemp -d /tmp/damo-perm.XXXXXX)
	chmod 0711 "$PERM_DIR"
	export DAMO_RUNTIME_DIR=$PERM_DIR/run
	start_wl --damos-action stat
	as_nobody() {
		setpriv --reuid=65534 --regid=65534 --clear-groups "$DAMO" "$@"
	}
	# the runtime directory is the owner's only
	run -1 as_nobody stop e0
	[[ $output == *"refusing the runtime directory '$DAMO_RUNTIME_DIR': it belongs to another user"* ]]
	# and with the directory opened up, the daemon itself refuses: damo
	# run by the other user refuses a runtime directory not its own, so
	# it reaches the socket from a directory of its own linking to it
	chmod 0755 "$DAMO_RUNTIME_DIR" "$DAMO_RUNTIME_DIR/embedded"
	chmod 0666 "$DAMO_RUNTIME_DIR/kdamonds" "$DAMO_RUNTIME_DIR/embedded/e0.sock"
	chmod 0644 "$DAMO_RUNTIME_DIR/embedded/e0.pid"
	run -1 as_nobody stop e0
	[[ $output == *"refusing the runtime directory"* ]]
	NOBODY_RUN=$PERM_DIR/nobody-run
	mkdir -m 0700 "$NOBODY_RUN"
	cp "$DAMO_RUNTIME_DIR/kdamonds" "$NOBODY_RUN/kdamonds"
	ln -s "$DAMO_RUNTIME_DIR/embedded" "$NOBODY_RUN/embedded"
	chown -hR 65534:65534 "$NOBODY_RUN"
	as_nobody_own() {
		DAMO_RUNTIME_DIR=$NOBODY_RUN as_nobody "$@"
	}
	run -1 as_nobody_own stop e0
	[[ $output == *"permission denied"* ]]
	run -1 as_nobody_own tune e0 --damos-action stat
	[[ $output == *"permission denied"* ]]
	chmod 0700 "$DAMO_RUNTIME_DIR" "$DAMO_RUNTIME_DIR/embedded"
	run -0 damo status e0 --json
	echo "$output" | jq -e '.kdamonds[0].state == "on"'
}

@test "malformed and oversized requests are refused; the daemon carries on" {
	start_wl --damos-action stat
	sock=$DAMO_RUNTIME_DIR/embedded/e0.sock
	run -0 python3 - "$sock" <<'PY'
import json, socket, sys
def ask(data):
    s = socket.socket(socket.AF_UNIX)
    s.connect(sys.argv[1])
    try:
        s.sendall(data)
    except BrokenPipeError:
        pass
    ans = b""
    while not ans.endswith(b"\n"):
        c = s.recv(65536)
        if not c:
            break
        ans += c
    return json.loads(ans)
for req in (b"not json\n", b"[1,2]\n", b'{"op":"frobnicate"}\n',
            b'{"op":"tune","config":"kdamonds: ["}\n', b"x" * (2 << 20)):
    a = ask(req)
    assert a["ok"] is False and a["errors"], a
print(ask(b'{"op":"status"}\n')["state"])
PY
	[ "$output" = on ]
	run -0 damo status e0 --json
	echo "$output" | jq -e '.kdamonds[0].state == "on"'
}

@test "the wire nests the configuration as a JSON object, in tunes and statuses" {
	start_wl --monitoring-intervals 10ms 200ms 2s --damos-action stat
	sock=$DAMO_RUNTIME_DIR/embedded/e0.sock
	run -0 python3 - "$sock" <<'PY'
import json, socket, sys
def ask(req):
    s = socket.socket(socket.AF_UNIX)
    s.connect(sys.argv[1])
    s.sendall(json.dumps(req).encode() + b"\n")
    ans = b""
    while not ans.endswith(b"\n"):
        c = s.recv(65536)
        if not c:
            break
        ans += c
    return json.loads(ans)
st = ask({"op": "status"})
cfg = st["config"]
assert isinstance(cfg, dict) and len(cfg["kdamonds"]) == 1, st
ctx = cfg["kdamonds"][0]["contexts"][0]
# a configuration as a string inside JSON is refused
a = ask({"op": "tune", "config": json.dumps(cfg)})
assert a["ok"] is False and "not a JSON object" in a["errors"][0]["message"], a
ctx["intervals"].pop("intervals_goal", None)
ctx["intervals"]["sample_us"] = 20000
ctx["intervals"]["aggr_us"] = 400000
a = ask({"op": "tune", "config": cfg})
assert a["ok"] is True, a
print(ask({"op": "status"})["runtime"]["sample_us"])
PY
	[ "$output" = 20000 ]
}

@test "refusals: actions that cannot be applied from outside, unknown sources" {
	run -1 damo start --backend embedded --damos-action lru_prio -- true
	[[ $output == *"'lru_prio' cannot be applied by the embedded monitor"* ]]
	run -1 damo start --backend embedded --source nosuch -- true
	[[ $output == *"'nosuch' is not a source"* ]]
	run -64 damo start --backend kernel --source uffd -- true
	run -64 damo start --target-pid 1 -- true
	[[ $output == *"--target-pid: the command after '--' is the target"* ]]
	run -1 damo start --backend embedded --target-pid 999999999
	run -0 damo status --json
	echo "$output" | jq -e '.kdamonds == []'
	run -1 damo tune e7 --damos-action stat
	[[ $output == *"no embedded monitor 'e7'"* ]]
}

@test "schemes apply replaces an embedded monitor's schemes and keeps the rest" {
	start_wl --monitoring-intervals 10ms 200ms 2s --damos-action stat
	cat > "$BATS_TEST_TMPDIR/schemes.yaml" <<'YAML'
- action: cold
  access_pattern:
    sz_bytes: {min: 4 KiB, max: max}
    nr_accesses: {min: 0 %, max: 0 %}
    age: {min: 1 s, max: max}
- action: stat
YAML
	run -0 damo schemes apply e0 "$BATS_TEST_TMPDIR/schemes.yaml" --json
	[ "$output" = '{"id":"e0"}' ]
	run -0 damo status e0 --json
	echo "$output" | jq -e '.kdamonds[0].contexts[0]
		| [.schemes[].action] == ["cold", "stat"]
		  and .intervals.sample_us == 10000'
	run -0 damo schemes stats e0 --json
	echo "$output" | jq -e 'length == 2 and .[0].kdamond == "e0"'
	# a scheme file with an action the monitor cannot apply changes nothing
	printf -- '- action: lru_prio\n' > "$BATS_TEST_TMPDIR/bad.yaml"
	run -1 damo schemes apply e0 "$BATS_TEST_TMPDIR/bad.yaml"
	run -0 damo status e0 --json
	echo "$output" | jq -e '[.kdamonds[0].contexts[0].schemes[].action]
		== ["cold", "stat"]'
}

@test "start --foreground stays attached and stops on SIGTERM" {
	"$DAMO" start --backend embedded --foreground --damos-action stat \
		-- sh -c "exec $DAMO_WORKLOAD --size 16M --hot 4M@4M --write \
		--seconds 60 > $WL_OUT" > "$BATS_TEST_TMPDIR/fg.out" \
		2> "$BATS_TEST_TMPDIR/fg.err" &
	fg=$!
	running() { damo status e0 --json 2>/dev/null | jq -e '.kdamonds[0].state == "on"' >/dev/null; }
	wait_for 20 running
	[ "$(damo status e0 --json | jq '.kdamonds[0].pid')" -eq "$fg" ]
	kill -TERM "$fg"
	rc=0
	wait "$fg" || rc=$?
	[ "$rc" -eq 0 ]
	grep -qx e0 "$BATS_TEST_TMPDIR/fg.out"
	grep -q "terminated by a signal" "$BATS_TEST_TMPDIR/fg.err"
	run -0 damo status e0 --json
	echo "$output" | jq -e '.kdamonds[0].state == "off"'
	WL_PID=$(sed -n 's/^pid=\([0-9]*\) .*/\1/p' "$WL_OUT")
}

# In a recording's last snapshots, the regions accessed in at least a
# quarter of the samples are mostly (by size) in the hot range.
recorded_hot() {
	damo convert "$1" -o "$BATS_TEST_TMPDIR/rec.json" --format json >/dev/null || return 1
	jq -e --argjson hs "$HOT_START" --argjson he "$HOT_END" '
		def ov: ([.end, $he] | min) - ([.start, $hs] | max) | if . < 0 then 0 else . end;
		[.[0].snapshots[-3:][] | .regions[] | select(.nr_accesses.samples >= 5)]
		| (map(.end - .start) | add) as $all | (map(ov) | add) as $in
		| $all > 0 and $in >= 0.8 * $all' "$BATS_TEST_TMPDIR/rec.json" >/dev/null && return 0
	# what was recorded instead, for the log
	echo "hot range [$HOT_START, $HOT_END); the last snapshots' regions (start end samples):"
	jq -r '.[0].snapshots[-3:][] | "snapshot", (.regions[] | "  \(.start) \(.end) \(.nr_accesses.samples)")' \
		"$BATS_TEST_TMPDIR/rec.json" | head -n 60
	return 1
}

@test "record -- COMMAND goes through the embedded monitor here and shows the hot range" {
	run -0 --separate-stderr damo record --monitoring-intervals 10ms 200ms 1s \
		--duration 6s -o "$BATS_TEST_TMPDIR/w.data" --json -- sh -c \
		"exec $DAMO_WORKLOAD --size 64M --hot 8M@16M --write --seconds 30 > $WL_OUT"
	[[ $stderr == *"recording with damo's embedded monitor"* ]]
	# JSON progress lines, then the summary
	echo "$output" | head -n 1 | jq -e '.progress.snapshots >= 0
		and .progress.elapsed_us > 0'
	echo "$output" | tail -n 1 | jq -e '.format == "native" and .kdamond == "e0"
		and (.source | startswith("embedded:")) and .snapshots >= 20'
	WL_PID=$(sed -n 's/^pid=\([0-9]*\) .*/\1/p' "$WL_OUT")
	HOT_START=$(( $(sed -n 's/.* hot_start=\(0x[0-9a-f]*\).*/\1/p' "$WL_OUT") ))
	HOT_END=$(( $(sed -n 's/.* hot_end=\(0x[0-9a-f]*\).*/\1/p' "$WL_OUT") ))
	recorded_hot "$BATS_TEST_TMPDIR/w.data"
	# the monitor started for it is gone, the workload stopped with it
	run -0 damo status --json
	echo "$output" | jq -e '.kdamonds == []'
	# RSS side samples: the workload's 64 MiB
	run -0 damo report footprint rss -i "$BATS_TEST_TMPDIR/w.data" --json
	echo "$output" | jq -e '.. | numbers | select(. > 60000000)' >/dev/null
}

@test "record eN records a running embedded monitor until it is told to stop" {
	start_wl --monitoring-intervals 10ms 200ms 1s --damos-action stat
	run -0 damo record e0 --duration 4s -o "$BATS_TEST_TMPDIR/e.data" \
		--format json_compressed
	[[ $output == *"of e0"* ]]
	recorded_hot "$BATS_TEST_TMPDIR/e.data"
	# recording does not stop the monitor
	run -0 damo status e0 --json
	echo "$output" | jq -e '.kdamonds[0].state == "on"'
	run -1 damo record e5 --duration 1s -o "$BATS_TEST_TMPDIR/x.data"
	[[ $output == *"no embedded monitor 'e5'"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/x.data" ]
}

@test "ids are strings of one form for kernel kdamonds and embedded monitors" {
	# a kernel kdamond on a 7.2 tree with none configured, as in kernel.bats
	make_sysfs 7.2
	echo 0 > "$DAMO_SYSFS_ROOT/kdamonds/nr_kdamonds"
	echo off > "$DAMO_SYSFS_ROOT/kdamonds/0/state"
	echo 4242 > "$DAMO_SYSFS_ROOT/kdamonds/0/pid"
	run -0 --separate-stderr damo start --json --backend kernel --ops paddr \
		--damos-action stat
	echo "$output" | jq -e '.[0] | .id == "0" and .backend == "kernel"'
	start_wl --backend embedded --damos-action stat
	[ "$ID" = e0 ]
	# the text is what the command line takes, and JSON has it as a string
	run -0 damo status --json
	echo "$output" | jq -e '[.kdamonds[] | .id] == ["0", "e0"]
		and ([.kdamonds[].backend] == ["kernel", "embedded"])'
	run -0 damo schemes stats --json
	echo "$output" | jq -e '[.[].kdamond] == ["0", "e0"]'
	# the tried regions of every running monitor, read through each backend
	run -0 --separate-stderr damo report tried --live --json
	echo "$output" | jq -e '[.[].kdamond] == ["0", "e0"]
		and ([.[].action] == ["stat", "stat"])'
	run -0 --separate-stderr damo report tried --live --kdamond-idx e0
	[ "${lines[0]}" = "kdamond e0 / context 0 / scheme 0: stat" ]
	for id in 0 e0; do
		# a tree keeps the last state command written: running again
		echo on > "$DAMO_SYSFS_ROOT/kdamonds/0/state"
		run -0 damo status "$id" --json
		echo "$output" | jq -e --arg id "$id" '[.kdamonds[].id] == [$id]'
		run -0 damo schemes stats "$id" --json
		echo "$output" | jq -e --arg id "$id" '[.[].kdamond] == [$id]'
		echo on > "$DAMO_SYSFS_ROOT/kdamonds/0/state"
		run -0 damo tune "$id" --json --ops paddr --damos-action stat
		echo "$output" | jq -e --arg id "$id" '.id == $id and (.pid | type) == "number"'
	done
	# an id of the other backend than --backend names is a usage error
	run -64 damo status e0 --backend kernel
	echo on > "$DAMO_SYSFS_ROOT/kdamonds/0/state"
	run -0 damo stop --all --json
	echo "$output" | jq -e '. == ["0", "e0"]'
	[ "$(cat "$DAMO_SYSFS_ROOT/kdamonds/0/state")" = off ]
}

# paced_sample_us ID: the sampling interval of monitor ID once its regions
# have grown (20 or more) and the budget had a few aggregations to act.
paced_sample_us() {
	local i

	for i in $(seq 40); do
		"$DAMO" status "$1" --json | jq -e '.kdamonds[0].nr_regions >= 20' >/dev/null && break
		sleep 0.5
	done
	sleep 3
	"$DAMO" status "$1" --json | jq '.kdamonds[0].contexts[0].intervals.sample_us'
}

@test "at defaults, sampling is paced by the CPU budget and a 15 s recording finds the hot range" {
	# the workload of the embedded monitor's issue: 32 MiB written in 512 MiB.
	# A sanitized damo spends about ten times the CPU time on a sample, so
	# its budget is ten times the default, to pace it as 1 % does a release
	# build (the kernel tier does the same for qemu's emulation).
	local budget=
	ldd "$DAMO" | grep -q libasan && budget="--cpu-budget 10%"
	# shellcheck disable=SC2086
	run -0 --separate-stderr damo record --json --duration 15s $budget \
		-o "$BATS_TEST_TMPDIR/d.data" -- sh -c \
		"exec $DAMO_WORKLOAD --size 512M --hot 32M@240M --write --seconds 60 > $WL_OUT"
	# how many snapshots depends on what a sample costs here (43-54 on an
	# idle 2-core machine; README): at least 20, enough for the regions
	# to separate the hot range, and the pace the intervals promise
	echo "$output" | tail -n 1 > "$BATS_TEST_TMPDIR/summary.json"
	jq -e '.end == "duration" and .snapshots >= 20' "$BATS_TEST_TMPDIR/summary.json" ||
		{ cat "$BATS_TEST_TMPDIR/summary.json"; false; }
	HOT_START=$(( $(sed -n 's/.* hot_start=\(0x[0-9a-f]*\).*/\1/p' "$WL_OUT") ))
	HOT_END=$(( $(sed -n 's/.* hot_end=\(0x[0-9a-f]*\).*/\1/p' "$WL_OUT") ))
	damo convert "$BATS_TEST_TMPDIR/d.data" -o "$BATS_TEST_TMPDIR/d.json" --format json >/dev/null
	# at least 60 % of the access weight of the last 10 snapshots is inside
	jq -e --argjson hs "$HOT_START" --argjson he "$HOT_END" '
		[.[0].snapshots[-10:][].regions[] | {w: .nr_accesses.samples, s: .start, e: .end}]
		| (map(.w * (.e - .s)) | add) as $all
		| (map(.w * ([([.e, $he] | min) - ([.s, $hs] | max), 0] | max)) | add) as $in
		| $all > 0 and $in >= 0.6 * $all' "$BATS_TEST_TMPDIR/d.json"
	# the intervals in force are in the record: the kernel's 5 ms at most
	# while regions are few, slower once they grow, never below 5 ms; and
	# the aggregations kept that pace (20 samples each): 15 s of them are
	# at least 70 % as many as their intervals promise
	jq -e '[.[0].snapshots[].sample_interval_us | tonumber] | min >= 5000 and max < 1000000' \
		"$BATS_TEST_TMPDIR/d.json"
	jq -e --slurpfile sum "$BATS_TEST_TMPDIR/summary.json" '
		[.[0].snapshots[].sample_interval_us | tonumber] as $us
		| (($us | add) / ($us | length) * 20) as $aggr
		| $sum[0].snapshots >= 0.7 * 15000000 / $aggr' "$BATS_TEST_TMPDIR/d.json"
	# a budget of 10 % samples faster than one of 0.2 %, on the same workload
	start_wl --cpu-budget 10% --damos-action stat
	fast=$(paced_sample_us "$ID")
	run -0 damo stop "$ID"
	start_wl --cpu-budget 0.2% --damos-action stat
	slow=$(paced_sample_us "$ID")
	run -0 damo stop "$ID"
	[ "$fast" -lt "$slow" ] || { echo "10 %: $fast us, 0.2 %: $slow us"; false; }
}

@test "tune: intervals given end the CPU budget; a tune without them keeps the paced ones" {
	start_wl --cpu-budget 0.2% --damos-action stat
	slow=$(paced_sample_us "$ID")
	[ "$slow" -gt 5000 ] || { echo "0.2 % paced the sample at $slow us"; false; }
	# schemes only: the monitor keeps the intervals it paced itself to
	run -0 damo tune "$ID" --damos-action stat --damos-access-rate 5% 100%
	run -0 damo status "$ID" --json
	echo "$output" | jq -e '.kdamonds[0].contexts[0]
		| .intervals.sample_us > 5000
		  and .schemes[0].access_pattern.nr_accesses_samples.min == 1'
	# intervals given win, and stay: the budget no longer paces them
	run -0 damo tune "$ID" --monitoring-intervals 10ms 200ms 2s --damos-action stat
	sleep 2	# ten aggregations, each a chance to re-pace
	run -0 damo status "$ID" --json
	echo "$output" | jq -e '.kdamonds[0].contexts[0].intervals
		| .sample_us == 10000 and .aggr_us == 200000 and .ops_update_us == 2000000'
}

@test "--cpu-budget is refused where it cannot apply" {
	run -64 --separate-stderr damo start --cpu-budget 0 -- true
	[[ $stderr == *"--cpu-budget: '0' is not a share of a core above 0 and at most 100%"* ]]
	run -64 --separate-stderr damo start --cpu-budget 101% -- true
	run -64 --separate-stderr damo start --backend kernel --cpu-budget 2 -- true
	[[ $stderr == *"are for the embedded monitor, not --backend kernel"* ]]
	run -64 --separate-stderr damo start --cpu-budget 2 --monitoring-intervals 5ms 100ms 1s -- true
	[[ $stderr == *"does not go with --monitoring-intervals"* ]]
	run -64 --separate-stderr damo record --cpu-budget 2 0
	[[ $stderr == *"--cpu-budget paces an embedded monitor damo starts"* ]]
}

# The daemon's limits: no connection, however idle, slow or big, keeps the
# owner from it for long.

@test "40 idle connections do not lock the owner out; idle ones are closed" {
	start_wl --damos-action stat
	sock=$DAMO_RUNTIME_DIR/embedded/e0.sock
	# 40 connections that say nothing, held open in the background
	python3 - "$sock" "$BATS_TEST_TMPDIR/idle.out" <<'PY' &
import socket, sys, time
conns = []
for i in range(40):
    s = socket.socket(socket.AF_UNIX)
    s.connect(sys.argv[1])
    conns.append(s)
open(sys.argv[2], "w").write("connected\n")
time.sleep(30)
PY
	IDLE_PID=$!
	wait_for 20 grep -q connected "$BATS_TEST_TMPDIR/idle.out"
	# the owner gets through at once, as often as needed
	for i in 1 2 3; do
		run -0 timeout 5 "$DAMO" status e0 --json
		echo "$output" | jq -e '.kdamonds[0].state == "on"'
	done
	kill "$IDLE_PID"
	# a connection that sends nothing is closed after 3 s, saying why
	run -0 timeout 20 python3 - "$sock" <<'PY'
import json, socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
t = time.time()
s.settimeout(15)
ans = b""
while True:
    c = s.recv(4096)
    if not c:
        break
    ans += c
took = time.time() - t
a = json.loads(ans)
assert a["ok"] is False and "no request within 3 s" in a["errors"][0]["message"], a
assert 2 <= took <= 10, took
print("closed")
PY
	[ "$output" = closed ]
}

@test "a slow, an oversized and a big tune request do not hold status up" {
	start_wl --damos-action stat
	sock=$DAMO_RUNTIME_DIR/embedded/e0.sock
	# a request a byte a second: status answers meanwhile; it is dropped
	python3 - "$sock" "$BATS_TEST_TMPDIR/slow.out" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
t = time.time()
ans = b""
try:
    for b in b'{"op":"status"' * 10:
        s.send(bytes([b]))
        time.sleep(0.5)
except (BrokenPipeError, ConnectionResetError):
    pass
s.settimeout(10)
try:
    while True:
        c = s.recv(4096)
        if not c:
            break
        ans += c
except (socket.timeout, ConnectionResetError):
    pass
open(sys.argv[2], "w").write("%.1f %s\n" % (time.time() - t, ans.decode()))
PY
	SLOW_PID=$!
	sleep 1
	run -0 timeout 5 "$DAMO" status e0 --json
	echo "$output" | jq -e '.kdamonds[0].state == "on"'
	wait "$SLOW_PID"
	cat "$BATS_TEST_TMPDIR/slow.out"
	grep -q "did not arrive whole within 5 s" "$BATS_TEST_TMPDIR/slow.out"
	[ "$(cut -d. -f1 "$BATS_TEST_TMPDIR/slow.out")" -le 12 ]
	# 2 MiB without a line end, and a 200 KB tune of 1,500 schemes, each
	# answered, with status answering while they are sent
	run -0 timeout 60 python3 - "$sock" "$DAMO" <<'PY'
import json, socket, subprocess, sys, threading, time
def ask(data):
    s = socket.socket(socket.AF_UNIX)
    s.connect(sys.argv[1])
    try:
        s.sendall(data)
    except (BrokenPipeError, ConnectionResetError):
        pass
    ans = b""
    while not ans.endswith(b"\n"):
        c = s.recv(65536)
        if not c:
            break
        ans += c
    return json.loads(ans)
took = []
def status():
    t = time.time()
    r = subprocess.run([sys.argv[2], "status", "e0", "--json"],
                       capture_output=True, timeout=30)
    assert r.returncode == 0, r.stderr
    took.append(time.time() - t)
pat = {"sz_bytes": {"min": 0, "max": 4096}, "nr_accesses": {"min": 0, "max": 1}}
cfg = {"kdamonds": [{"contexts": [{"ops": "vaddr", "targets": [],
       "schemes": [dict(action="stat", access_pattern=dict(pat, age={"min": i, "max": i + 1}))
                   for i in range(1500)]}]}]}
big = json.dumps({"op": "tune", "config": cfg}).encode() + b"\n"
assert len(big) > 150000, len(big)
for req in (b"x" * (2 << 20), big):
    th = threading.Thread(target=status)
    th.start()
    a = ask(req)
    th.join()
    print(a["ok"], a.get("errors", [{}])[0].get("message", ""))
assert max(took) < 5, took
PY
	echo "$output"
	[[ ${lines[0]} == "False request larger than 1048576 bytes refused" ]]
	[ "${lines[1]}" = "True " ]
	run -0 --separate-stderr damo status e0 --json
	echo "$stderr"
	echo "$output" | jq -e '.kdamonds[0].contexts[0].schemes | length == 1500'
}

@test "kill -9 of record -- COMMAND stops the monitor started for it and ends the command" {
	"$DAMO" record -o "$BATS_TEST_TMPDIR/k.data" -- sh -c \
		"exec $DAMO_WORKLOAD --size 64M --hot 8M@16M --write --seconds 120 > $WL_OUT" \
		>"$BATS_TEST_TMPDIR/rec.out" 2>&1 &
	REC_PID=$!
	running() {
		damo status e0 --json 2>/dev/null |
			jq -e '.kdamonds[0].state == "on"' >/dev/null
	}
	wait_for 40 running
	wait_for 40 grep -q pid= "$WL_OUT"
	WL_PID=$(sed -n 's/^pid=\([0-9]*\) .*/\1/p' "$WL_OUT")
	kill -0 "$WL_PID"
	kill -9 "$REC_PID"
	stopped() {
		damo status e0 --json 2>/dev/null | jq -e '.kdamonds[0] |
			.state == "off" and (.exit_reason | test("recording ended"))' \
			>/dev/null
	}
	wait_for 20 stopped
	# the command is gone (or a zombie its new parent has not reaped)
	gone() {
		! kill -0 "$WL_PID" 2>/dev/null ||
			[ "$(ps -o stat= -p "$WL_PID" | cut -c1)" = Z ]
	}
	wait_for 20 gone
	WL_PID=
	run -0 damo stop e0
	run -0 damo status --json
	echo "$output" | jq -e '.kdamonds == []'
}

@test "a monitor that cannot keep its intervals shows the ones it achieves and warns" {
	# thousands of regions to sample every 100 us: no source keeps that
	start_wl --monitoring-intervals 100us 2ms 1s \
		--monitoring-nr-regions-range 2000 4000
	behind() {
		damo status e0 --json 2>/dev/null >"$BATS_TEST_TMPDIR/st.json" &&
			jq -e '.kdamonds[0].achieved_intervals.behind' \
				"$BATS_TEST_TMPDIR/st.json" >/dev/null
	}
	wait_for 40 behind
	jq -e '.kdamonds[0] | .achieved_intervals as $a
		| .contexts[0].intervals as $c
		| $a.aggregations >= 1 and $a.aggr_us > $c.aggr_us
		and $a.sample_us > $c.sample_us' "$BATS_TEST_TMPDIR/st.json"
	run -0 --separate-stderr damo status e0
	[[ $stderr == *"e0 cannot keep its intervals: its last "*" aggregations took "*" each instead of 2 ms"* ]]
	[[ $output == *"achieved_intervals:"* ]]
	[[ $output == *"behind: yes"* ]]
	# JSON says it in "behind" alone: standard error stays clean
	run -0 --separate-stderr damo status e0 --json
	[ -z "$stderr" ]
	echo "$output" | jq -e '.kdamonds[0].achieved_intervals.behind'
	# a monitor that keeps them says so, without a warning
	run -0 damo tune e0 --monitoring-intervals 100ms 1s 1s \
		--monitoring-nr-regions-range 10 20
	kept() {
		damo status e0 --json 2>/dev/null | jq -e '.kdamonds[0].achieved_intervals
			| .behind == false and .aggregations >= 2' >/dev/null
	}
	wait_for 40 kept
	run -0 --separate-stderr damo status e0
	[ -z "$stderr" ]
}

@test "a daemon killed with SIGKILL shows as dead and hides no other monitor" {
	start_wl --damos-action stat
	first_wl=$WL_PID
	start_wl --damos-action stat
	[ "$ID" = e1 ]
	daemon=$(cat "$DAMO_RUNTIME_DIR/embedded/e0.pid")
	kill -9 "$daemon"
	gone() { ! kill -0 "$daemon" 2>/dev/null; }
	wait_for 20 gone
	run -0 --separate-stderr damo status --json
	f=$BATS_TEST_TMPDIR/s.json
	echo "$output" > "$f"
	json_check "$f" '[.kdamonds[].id] == ["e0", "e1"]'
	jq -e --argjson d "$daemon" '.kdamonds[0] | .state == "dead"
		and .pid == $d and (.exit_reason | test("SIGKILL"))
		and (.exit_reason | test("e0.log"))' "$f"
	json_check "$f" '.kdamonds[1].state == "on"'
	run -0 --separate-stderr damo status --brief
	[[ ${lines[1]} =~ ^e0\ +embedded\ +dead\ +$daemon\  ]]
	[[ ${lines[2]} =~ ^e1\ +embedded\ +on\  ]]
	run -0 --separate-stderr damo schemes stats --json
	json_check <(echo "$output") '[.[].kdamond] == ["e1"]'
	# the dead one has no configuration left to print
	run -0 --separate-stderr damo status --config
	[[ $stderr == *"e0 is left out: it is dead"* ]]
	# and 'damo stop' removes it
	run -0 damo stop e0
	run -0 --separate-stderr damo status --json
	json_check <(echo "$output") '[.kdamonds[].id] == ["e1"]'
	kill "$first_wl" 2>/dev/null || true
}

@test "status --config of an embedded monitor starts the same monitor again" {
	start_wl --monitoring-intervals 10ms 200ms 2s --damos-action stat \
		--damos-access-rate 5% 100%
	cfg=$BATS_TEST_TMPDIR/running.yaml
	run -0 --separate-stderr damo status --config
	echo "$output" > "$cfg"
	run -0 --separate-stderr damo config check "$cfg"
	# the same target, intervals and scheme, as a second monitor
	run -0 --separate-stderr damo start "$cfg"
	[ "$output" = e1 ]
	run -0 --separate-stderr damo status e1 --config
	diff <(echo "$output") "$cfg"
	run -0 --separate-stderr damo status e1 --json
	echo "$output" | jq -e --argjson p "$WL_PID" '.kdamonds[0]
		| .state == "on" and .contexts[0].targets[0].pid == $p
		  and .contexts[0].intervals.aggr_us == 200000'
}

@test "damo's positional targets on a real process: a pid, then a quoted command line" {
	local i
	# a process damo did not start (its agent preloaded, as uffd needs)
	LD_PRELOAD=$DAMO_AGENT "$DAMO_WORKLOAD" --size 64M --hot 8M@16M \
		--write --period 1ms --seconds 60 > "$WL_OUT" 2> "$WL_OUT.err" 3>&- &
	WL_PID=$!
	for i in $(seq 100); do
		grep -q pid= "$WL_OUT" 2>/dev/null && break
		sleep 0.05
	done
	HOT_START=$(( $(sed -n 's/.* hot_start=\(0x[0-9a-f]*\).*/\1/p' "$WL_OUT") ))
	HOT_END=$(( $(sed -n 's/.* hot_end=\(0x[0-9a-f]*\).*/\1/p' "$WL_OUT") ))
	run -0 --separate-stderr damo start "$WL_PID" --damos-action stat \
		--damos-access-rate 5% 100% --monitoring-intervals 5ms 100ms 1s
	ID=$output
	[ "$ID" = e0 ]
	run -0 damo status --json
	echo "$output" | jq -e --argjson p "$WL_PID" '.kdamonds[0]
		| .contexts[0].ops == "vaddr" and .contexts[0].targets[0].pid == $p'
	wait_for 60 hot_found
	run -0 damo stop e0
	# record takes the pid as damo does ('damo record PID')
	[ "$WL_PID" -ge 1024 ] || skip "pid $WL_PID below 1024 reads as an id"
	run -0 --separate-stderr damo record "$WL_PID" --duration 2s \
		--monitoring-intervals 5ms 100ms 1s -o "$BATS_TEST_TMPDIR/r.data"
	[[ "$output" == *"recorded "*" snapshots"* ]]
	run -0 damo report record-info --input "$BATS_TEST_TMPDIR/r.data"
	[[ "$output" == *"target_id: 0"* ]]
	kill "$WL_PID"
	WL_PID=
	# a command line in quotes, as one argument: damo runs it (its
	# output and the workload's, which inherits it, go to one file)
	"$DAMO" start --json --damos-action stat --damos-access-rate 5% 100% \
		--monitoring-intervals 5ms 100ms 1s \
		"$DAMO_WORKLOAD --size 64M --hot 8M@16M --write --period 1ms --seconds 60" \
		> "$WL_OUT" 2> "$BATS_TEST_TMPDIR/start.err" ||
		{ cat "$BATS_TEST_TMPDIR/start.err"; false; }
	grep '^\[' "$WL_OUT" > "$BATS_TEST_TMPDIR/started.json"
	json_check "$BATS_TEST_TMPDIR/started.json" '.[0].ops == "vaddr" and
		.[0].target_pids == [.[0].command_pid]'
	ID=$(jq -r '.[0].id' "$BATS_TEST_TMPDIR/started.json")
	for i in $(seq 100); do
		grep -q pid= "$WL_OUT" 2>/dev/null && break
		sleep 0.05
	done
	WL_PID=$(sed -n 's/^pid=\([0-9]*\) .*/\1/p' "$WL_OUT")
	[ "$WL_PID" = "$(jq -r '.[0].command_pid' "$BATS_TEST_TMPDIR/started.json")" ]
	HOT_START=$(( $(sed -n 's/.* hot_start=\(0x[0-9a-f]*\).*/\1/p' "$WL_OUT") ))
	HOT_END=$(( $(sed -n 's/.* hot_end=\(0x[0-9a-f]*\).*/\1/p' "$WL_OUT") ))
	wait_for 60 hot_found
}
