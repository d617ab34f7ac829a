#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# damo metrics: a kernel kdamond on a fake sysfs tree and an embedded
# monitor, their numbers in the OpenMetrics and Prometheus text formats,
# checked by promtool and served by a real node_exporter's textfile
# collector (scripts/deps.sh test installs prometheus and
# prometheus-node-exporter).

load ../helpers

teardown() {
	"$DAMO" stop --all >/dev/null 2>&1 || true
	[ -n "${NE_PID:-}" ] && kill "$NE_PID" 2>/dev/null || true
	[ -n "${SLEEP_PID:-}" ] && kill "$SLEEP_PID" 2>/dev/null || true
}

# need PROGRAM: fail (not skip) without it: scripts/deps.sh test installs it.
need() {
	command -v "$1" >/dev/null || { echo "$1 missing: run scripts/deps.sh test"; false; }
}

# A kernel kdamond started by damo on a 7.2 tree, with stats the "kernel"
# has counted written into the tree.
start_kernel() {
	make_sysfs 7.2
	echo 0 > "$DAMO_SYSFS_ROOT/kdamonds/nr_kdamonds"
	echo off > "$DAMO_SYSFS_ROOT/kdamonds/0/state"
	echo 4242 > "$DAMO_SYSFS_ROOT/kdamonds/0/pid"
	run -0 damo start --backend kernel --ops paddr \
		--monitoring-intervals 5ms 100ms 2s --monitoring-nr-regions-range 20 500 \
		--damos-action pageout --damos-quota-interval 1s \
		--damos-quota-goal some_mem_psi_us 1500
	[ "$output" = 0 ]
	local s=$DAMO_SYSFS_ROOT/kdamonds/0/contexts/0/schemes/0
	echo 17 > "$s/stats/nr_tried"
	echo 69632 > "$s/stats/sz_tried"
	echo 5 > "$s/stats/nr_applied"
	echo 20480 > "$s/stats/sz_applied"
	echo 3 > "$s/stats/qt_exceeds"
	echo 1048576 > "$s/quotas/effective_bytes"
	# a tree keeps the last state command written: running again
	echo on > "$DAMO_SYSFS_ROOT/kdamonds/0/state"
}

# value OUT NAME LABELS: the value of series NAME{LABELS} in OUT.
value() {
	grep -F "$2{$3} " <<< "$1" | sed 's/.* //'
}

@test "metrics: a kernel kdamond's numbers in OpenMetrics" {
	start_kernel
	run -0 --separate-stderr damo metrics
	local l='kdamond="0",backend="kernel"'
	local c="$l,context=\"0\""
	local s="$c,scheme=\"0\",action=\"pageout\""
	# (a fake tree's state file reads back the last command written, the
	# refresh's, where the kernel says "on": only its presence is checked)
	[ -n "$(value "$output" damo_monitor_running "$l")" ]
	[ "$(value "$output" damo_monitor_started_by_damo "$l")" = 1 ]
	[ "$(value "$output" damo_context_sample_interval_seconds "$c")" = 0.005 ]
	[ "$(value "$output" damo_context_aggregation_interval_seconds "$c")" = 0.1 ]
	[ "$(value "$output" damo_context_ops_update_interval_seconds "$c")" = 2 ]
	[ "$(value "$output" damo_context_min_regions "$c")" = 20 ]
	[ "$(value "$output" damo_context_max_regions "$c")" = 500 ]
	[ "$(value "$output" damo_scheme_tried_regions_total "$s")" = 17 ]
	[ "$(value "$output" damo_scheme_tried_bytes_total "$s")" = 69632 ]
	[ "$(value "$output" damo_scheme_applied_regions_total "$s")" = 5 ]
	[ "$(value "$output" damo_scheme_applied_bytes_total "$s")" = 20480 ]
	[ "$(value "$output" damo_scheme_quota_exceeds_total "$s")" = 3 ]
	[ "$(value "$output" damo_scheme_effective_quota_bytes "$s")" = 1048576 ]
	local g="$s,goal=\"0\",metric=\"some_mem_psi_us\""
	[ "$(value "$output" damo_scheme_quota_goal_target_value "$g")" = 1500 ]
	[ "$(value "$output" damo_module_enabled 'module="damon_reclaim"')" = 0 ]
	# OpenMetrics: counters' families without _total, units, one # EOF last
	grep -qx '# TYPE damo_scheme_tried_bytes counter' <<< "$output"
	grep -qx '# UNIT damo_scheme_tried_bytes bytes' <<< "$output"
	grep -qx '# UNIT damo_context_sample_interval_seconds seconds' <<< "$output"
	[ "${lines[-1]}" = '# EOF' ]
	[ "$(grep -c '^# EOF' <<< "$output")" = 1 ]
	# each family's metadata once, before its samples
	[ -z "$(grep '^# TYPE' <<< "$output" | sort | uniq -d)" ]
	# the refresh went through the backend: stats were asked for
	[ "$(cat "$DAMO_SYSFS_ROOT/kdamonds/0/state")" != on ]
}

@test "metrics: promtool accepts the Prometheus format" {
	need promtool
	start_kernel
	run -0 --separate-stderr damo metrics --format prometheus
	grep -qx '# TYPE damo_scheme_tried_bytes_total counter' <<< "$output"
	[ -z "$(grep '^# EOF\|^# UNIT' <<< "$output")" ]
	run -0 promtool check metrics <<< "$output"
	[ -z "$output" ]
	# with nothing running: the families, no samples, still valid
	echo on > "$DAMO_SYSFS_ROOT/kdamonds/0/state"
	run -0 damo stop --all
	run -0 --separate-stderr damo metrics --format prometheus --backend kernel
	[ -z "$(grep '^damo_monitor_running' <<< "$output")" ]
	run -0 promtool check metrics <<< "$output"
}

@test "metrics: an embedded monitor and a kernel kdamond, and one by its id" {
	[ -r "${DAMO_AGENT:-}" ] || skip "DAMO_AGENT not set: run through ctest"
	start_kernel
	run -0 --separate-stderr damo start --json --backend embedded \
		--damos-action stat --monitoring-intervals 10ms 200ms 1s \
		-- sh -c 'exec sleep 300 > /dev/null 2>&1 3>&-'
	SLEEP_PID=$(jq '.[0].command_pid' <<< "$output")
	[ "$(jq -r '.[0].id' <<< "$output")" = e0 ]
	local l='kdamond="e0",backend="embedded"'
	local i
	for i in $(seq 40); do
		damo metrics e0 | grep -q "^damo_monitor_regions{$l} " && break
		sleep 0.25
	done
	echo on > "$DAMO_SYSFS_ROOT/kdamonds/0/state"
	run -0 --separate-stderr damo metrics
	[ "$(value "$output" damo_monitor_running "$l")" = 1 ]
	[ "$(value "$output" damo_context_sample_interval_seconds "$l,context=\"0\"")" = 0.01 ]
	[ "$(value "$output" damo_context_aggregation_interval_seconds "$l,context=\"0\"")" = 0.2 ]
	local n
	n=$(value "$output" damo_monitor_regions "$l")
	[ "$n" -ge 1 ]
	grep -q "^damo_scheme_tried_regions_total{$l,context=\"0\",scheme=\"0\",action=\"stat\"} [0-9]*$" <<< "$output"
	# one id: only its series
	run -0 --separate-stderr damo metrics e0
	[ -z "$(grep 'kdamond="0"' <<< "$output")" ]
	grep -q 'kdamond="e0"' <<< "$output"
}

@test "metrics --textfile: written whole, readable by all, a planted link replaced" {
	start_kernel
	local dir=$BATS_TEST_TMPDIR/textfile
	mkdir "$dir"
	ln -s "$BATS_TEST_TMPDIR/victim" "$dir/damo.prom"
	echo keep > "$BATS_TEST_TMPDIR/victim"
	run -0 --separate-stderr damo metrics --textfile "$dir/damo.prom"
	[ -z "$output" ] && [ -z "$stderr" ]
	[ ! -L "$dir/damo.prom" ]
	[ "$(cat "$BATS_TEST_TMPDIR/victim")" = keep ]
	[ "$(stat -c %a "$dir/damo.prom")" = 644 ]
	# the textfile collector's format by default
	grep -qx '# TYPE damo_scheme_tried_regions_total counter' "$dir/damo.prom"
	[ "$(ls "$dir")" = damo.prom ]
	run -0 damo metrics --textfile "$dir/om.prom" --format openmetrics
	[ "$(tail -n1 "$dir/om.prom")" = '# EOF' ]
	# a name the collector would not read is written, with a warning
	run -0 --separate-stderr damo metrics --textfile "$dir/damo.txt"
	[[ "$stderr" == *"$dir/damo.txt: node_exporter's textfile collector reads only files named *.prom"* ]]
	[ -s "$dir/damo.txt" ]
}

@test "metrics: bad options and paths" {
	run -64 damo metrics --format json
	[[ "$output" == *"--format: 'json' is not openmetrics or prometheus"* ]]
	make_sysfs 7.2
	run -1 damo metrics --textfile "$BATS_TEST_TMPDIR/no/such/dir/damo.prom"
	[[ "$output" == *"$BATS_TEST_TMPDIR/no/such/dir/damo.prom: No such file or directory"* ]]
	run -64 damo metrics 0 1
}

# free_port: a TCP port on 127.0.0.1 nothing listens on now.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

@test "metrics --textfile: a real node_exporter serves the series" {
	need prometheus-node-exporter
	need curl
	start_kernel
	local dir=$BATS_TEST_TMPDIR/textfile port i
	mkdir "$dir"
	run -0 damo metrics --textfile "$dir/damo.prom"
	port=$(free_port)
	prometheus-node-exporter --web.listen-address="127.0.0.1:$port" \
		--collector.disable-defaults --collector.textfile \
		--collector.textfile.directory="$dir" \
		> "$BATS_TEST_TMPDIR/ne.log" 2>&1 3>&- &
	NE_PID=$!
	for i in $(seq 100); do
		curl -sf "http://127.0.0.1:$port/metrics" > "$BATS_TEST_TMPDIR/scrape" && break
		sleep 0.1
	done
	run -0 cat "$BATS_TEST_TMPDIR/scrape"
	# the collector read the file without an error
	grep -qx 'node_textfile_scrape_error 0' <<< "$output"
	local s='action="pageout",backend="kernel",context="0",kdamond="0",scheme="0"'
	grep -qx "damo_scheme_tried_regions_total{$s} 17" <<< "$output"
	grep -qx "damo_scheme_applied_bytes_total{$s} 20480" <<< "$output"
	grep -qx '# TYPE damo_scheme_applied_bytes_total counter' <<< "$output"
	grep -qx 'damo_context_sample_interval_seconds{backend="kernel",context="0",kdamond="0"} 0.005' <<< "$output"
	# a new textfile is what the next scrape serves
	echo 18 > "$DAMO_SYSFS_ROOT/kdamonds/0/contexts/0/schemes/0/stats/nr_tried"
	echo on > "$DAMO_SYSFS_ROOT/kdamonds/0/state"
	run -0 damo metrics --textfile "$dir/damo.prom"
	run -0 curl -sf "http://127.0.0.1:$port/metrics"
	grep -qx "damo_scheme_tried_regions_total{$s} 18" <<< "$output"
}
