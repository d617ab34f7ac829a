#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# damo status on trees made from real kernels' sysfs: readable text, the
# one-line view, the running state as a configuration that start takes
# again, stats marked when damo did not refresh them, and files damo may
# not read reported as errors.  The embedded monitor's side (a daemon
# killed with SIGKILL) is in embedded.bats.

load ../helpers

K=kdamonds/0
C=$K/contexts/0
S=$C/schemes/0

teardown() {
	[ -z "${D:-}" ] || rm -rf "$D"
}

setup_idle() {
	make_sysfs "${1:-7.2}"
	echo 0 > "$DAMO_SYSFS_ROOT/kdamonds/nr_kdamonds"
	echo off > "$DAMO_SYSFS_ROOT/$K/state"
	echo 11110 > "$DAMO_SYSFS_ROOT/$K/pid"
}

val() {
	cat "$DAMO_SYSFS_ROOT/$1"
}

@test "status text: plain pids, hex addresses, max as max, ages as times, filters" {
	setup_idle
	run -0 damo start --ops paddr --damos-action pageout \
		--damos-age 30s max --damos-filter reject none memcg /workloads/a
	run -0 --separate-stderr damo status
	[ -z "$stderr" ]
	[[ $output == *$'\n    pid: 11110\n'* ]]
	# paddr's default region, the largest System RAM range of the fixture
	[[ $output == *$'\n              0x100000000-0x640000000 (21.000 GiB)\n'* ]]
	[[ $output == *$'\n              sz: 0 B .. max\n'* ]]
	[[ $output == *$'\n              nr_accesses: 0 .. max samples\n'* ]]
	[[ $output == *$'\n              age: 30 s .. max\n'* ]]
	[[ $output == *$'\n              reject not memcg /workloads/a\n'* ]]
	[[ $output != *18,446,744,073,709,551,615* ]]
	[[ $output != *4,294,967,295* ]]
	# tune -v says the pid the same way
	echo on > "$DAMO_SYSFS_ROOT/$K/state"
	run -0 --separate-stderr damo tune 0 -v --ops paddr --damos-action pageout \
		--damos-age 30s max --damos-filter reject none memcg /workloads/a
	[[ $output == *"pid: 11110"* ]]
	# --raw: ages in aggregation intervals, as the kernel holds them
	run -0 damo status --raw
	[[ $output == *$'\n              age: 300 .. max aggregations\n'* ]]
	# JSON keeps the exact numbers
	run -0 --separate-stderr damo status --json
	f=$BATS_TEST_TMPDIR/s.json
	echo "$output" > "$f"
	json_check "$f" '.kdamonds[0].pid == 11110'
	json_check "$f" '.kdamonds[0].contexts[0].targets[0].regions[0]
		== {"start": 4294967296, "end": 26843545600}'
	json_check "$f" '.kdamonds[0].contexts[0].schemes[0].access_pattern
		| .sz_bytes.max == 18446744073709551615
		  and .age_aggr_intervals == {"min": 300, "max": 4294967295}'
	json_check "$f" '.kdamonds[0].contexts[0].schemes[0].filters == [
		{"filter_type": "memcg", "matching": false, "allow": false,
		 "memcg_path": "/workloads/a"}]'
}

@test "status --brief: one line a kdamond, its JSON a list of the same fields" {
	setup_idle
	run -0 damo start --ops paddr --damos-action pageout
	run -0 --separate-stderr damo status --brief
	[ -z "$stderr" ]
	[ "${#lines[@]}" -eq 2 ]
	[[ ${lines[0]} =~ ^id\ +backend\ +state\ +pid\ +owner\ +ops\ +targets\ +schemes\ +applied$ ]]
	[[ ${lines[1]} =~ ^0\ +kernel\ +(on|update_[a-z_]+|off)\ +11110\ +damo\ +paddr\ +0x100000000-0x640000000\ +pageout\ +0\ B$ ]]
	echo 9999 > "$DAMO_SYSFS_ROOT/$S/stats/sz_applied"
	run -0 --separate-stderr damo status --brief --json
	json_check <(echo "$output") '.kdamonds | length == 1 and .[0].id == "0"
		and .[0].pid == 11110 and .[0].schemes == "pageout"
		and .[0].sz_applied == 9999
		and .[0].targets == "0x100000000-0x640000000"'
	run -64 damo status --brief --config
}

@test "status --config prints what runs as a configuration start takes again" {
	setup_idle
	run -0 damo start --ops paddr --monitoring-intervals 10ms 200ms 2s \
		--monitoring-nr-regions-range 20 500 --damos-action pageout \
		--damos-access-rate 0% 5% --damos-age 30s max \
		--damos-quotas 10ms 1GiB 1s --damos-filter allow anon
	cfg=$BATS_TEST_TMPDIR/running.yaml
	run -0 --separate-stderr damo status --config
	[ -z "$stderr" ]
	echo "$output" > "$cfg"
	run -0 --separate-stderr damo config check "$cfg"
	[ -z "$stderr" ]
	run -0 --separate-stderr damo status --config --json
	echo "$output" > "$cfg.json"
	run -0 --separate-stderr damo config check "$cfg.json"
	before=$(find "$DAMO_SYSFS_ROOT/$C" -type f ! -path '*/stats/*' \
		! -path '*/tried_regions/*' ! -name effective_bytes | sort |
		while read -r f; do printf '%s=%s\n' "$f" "$(cat "$f")"; done)
	# stop it, start the printed configuration: the kernel is told the same
	echo on > "$DAMO_SYSFS_ROOT/$K/state"
	run -0 damo stop 0
	run -0 --separate-stderr damo start "$cfg"
	[ "$output" = 0 ]
	after=$(find "$DAMO_SYSFS_ROOT/$C" -type f ! -path '*/stats/*' \
		! -path '*/tried_regions/*' ! -name effective_bytes | sort |
		while read -r f; do printf '%s=%s\n' "$f" "$(cat "$f")"; done)
	[ "$before" = "$after" ]
	[ "$(val $S/action)" = pageout ]
	[ "$(val $C/monitoring_attrs/intervals/aggr_us)" = 200000 ]
	# and prints the same configuration again
	run -0 damo status --config
	diff <(echo "$output") "$cfg"
}

@test "status --config with nothing running is an error" {
	setup_idle
	run -1 --separate-stderr damo status --config
	[[ $stderr == *"nothing runs"* ]]
	[ -z "$output" ]
}

@test "stats damo did not refresh are marked so, and nothing is written" {
	setup_idle
	# a kdamond damo did not start: started under another registry
	DAMO_RUNTIME_DIR=$BATS_TEST_TMPDIR/other run -0 damo start --ops paddr \
		--damos-action stat
	echo on > "$DAMO_SYSFS_ROOT/$K/state"
	echo 0 > "$DAMO_SYSFS_ROOT/$K/refresh_ms"
	run -0 --separate-stderr damo status --json
	f=$BATS_TEST_TMPDIR/s.json
	echo "$output" > "$f"
	json_check "$f" '.kdamonds[0] | .owner == "foreign"
		and .stats_refreshed == false
		and (.stats_note | test("not refreshed"))'
	[ "$(val $K/state)" = on ]	# damo status wrote nothing
	run -0 --separate-stderr damo status
	[[ $output == *$'\n    stats_refreshed: no\n'* ]]
	run -0 --separate-stderr damo schemes stats --json
	json_check <(echo "$output") '.[0].stats_refreshed == false'
	run -0 --separate-stderr damo schemes stats
	[[ ${lines[0]} == *refreshed ]]
	[[ ${lines[1]} == *" no" ]]
	[ "$(val $K/state)" = on ]
	# one that refreshes itself is current without a write
	echo 1000 > "$DAMO_SYSFS_ROOT/$K/refresh_ms"
	run -0 --separate-stderr damo status --json
	json_check <(echo "$output") '.kdamonds[0].stats_refreshed == true
		and (has("stats_note") | not)'
	[ "$(val $K/state)" = on ]
	# asked for by name with --force: refreshed
	echo 0 > "$DAMO_SYSFS_ROOT/$K/refresh_ms"
	run -0 --separate-stderr damo schemes stats 0 --force --json
	json_check <(echo "$output") '.[0].stats_refreshed == true'
	[ "$(val $K/state)" = update_schemes_effective_quotas ]
}

@test "damo's own kdamond: stats refreshed before they are shown" {
	setup_idle
	run -0 damo start --ops paddr --damos-action stat
	run -0 --separate-stderr damo status --json
	json_check <(echo "$output") '.kdamonds[0] | .owner == "damo"
		and .stats_refreshed == true'
	[[ "$(val $K/state)" == update_* ]]
}

@test "DAMON files a user may not read are an error with the path and a hint" {
	if [ "$(id -u)" != 0 ] || ! command -v runuser >/dev/null; then
		skip "needs root and runuser (a user who is not root)"
	fi
	local user=damo-attacker
	id -u "$user" >/dev/null 2>&1 ||
		useradd -M -r -s /usr/sbin/nologin "$user" 2>/dev/null ||
		id -u "$user" >/dev/null
	# a tree another user can walk, with the modes of the kernel's files
	D=$(mktemp -d /tmp/damo-status.XXXXXX)
	chmod 0755 "$D"
	python3 "$SRC/test/tools/sysfs_tree.py" \
		"$FIXTURES/sysfs/sysfs-observed-6.18-host.txt" "$D" >/dev/null
	chmod -R a+rX "$D"
	find "$D/sysfs" -type f -exec chmod 0600 {} +
	install -d -m 0700 -o "$user" "$D/run-user"
	as_user() {
		runuser -u "$user" -- env DAMO_SYSFS_ROOT="$D/sysfs" \
			DAMO_TRACEFS_ROOT="$D/tracing" DAMO_MODULE_ROOT="$D/module" \
			DAMO_RUNTIME_DIR="$D/run-user" NO_COLOR=1 "$DAMO" "$@"
	}
	run -1 --separate-stderr as_user status
	[ -z "$output" ]
	[[ $stderr == *"cannot read '$D/sysfs/kdamonds/nr_kdamonds': Permission denied"* ]]
	[[ $stderr == *"hint: "*"needs root"* ]]
	run -1 --separate-stderr as_user status --json
	json_check <(echo "$output") '.error | test("Permission denied")'
	run -1 --separate-stderr as_user features --read-only
	[[ $stderr == *"cannot read '$D/sysfs/kdamonds/nr_kdamonds': Permission denied"* ]]
	[[ $stderr != *CONFIG_DAMON_SYSFS* ]]
	[[ $output != *absent* ]]
	run -1 --separate-stderr as_user schemes stats
	[[ $stderr == *"Permission denied"* ]]
}
