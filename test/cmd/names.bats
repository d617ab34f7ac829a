#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Stable names: damo start --name NAME, kept in the ownership registry,
# and every command that takes an id taking the name.  A kernel kdamond on
# a fake sysfs tree and, through ctest (DAMO_AGENT), an embedded monitor.

load ../helpers

teardown() {
	"$DAMO" stop --all >/dev/null 2>&1 || true
	[ -n "${SLEEP_PID:-}" ] && kill "$SLEEP_PID" 2>/dev/null || true
}

setup_tree() {
	make_sysfs 7.2
	echo 0 > "$DAMO_SYSFS_ROOT/kdamonds/nr_kdamonds"
	echo off > "$DAMO_SYSFS_ROOT/kdamonds/0/state"
	echo 4242 > "$DAMO_SYSFS_ROOT/kdamonds/0/pid"
}

# a tree keeps the last state command written: running again
running() {
	echo on > "$DAMO_SYSFS_ROOT/kdamonds/0/state"
}

@test "names: a kernel kdamond started with --name is addressed by it" {
	setup_tree
	run -0 damo start --name web --backend kernel --ops paddr --damos-action stat
	[ "$output" = 0 ]
	running
	run -0 damo status web --json
	jq -e '[.kdamonds[] | {id, name}] == [{"id": "0", "name": "web"}]' <<< "$output"
	running
	run -0 damo schemes stats web --json
	jq -e '[.[].kdamond] == ["0"]' <<< "$output"
	running
	run -0 damo tune web --json --ops paddr --damos-action stat --damos-age 2s max
	jq -e '.id == "0"' <<< "$output"
	# completion offers the name where it offers the id
	run -0 damo stop --complete=ID
	[ "$output" = $'0\nweb' ]
	running
	run -0 --separate-stderr damo metrics web
	grep -q '^damo_monitor_running{kdamond="0",name="web",backend="kernel"} ' <<< "$output"
	# the name is unique while it names something
	run -1 --separate-stderr damo start --name web --backend kernel --ops paddr --damos-action stat
	[[ "$stderr" == *"--name: 'web' is taken by 0; stop it or give another name"* ]]
	running
	run -0 damo stop web --json
	[ "$output" = '["0"]' ]
	[ "$(cat "$DAMO_SYSFS_ROOT/kdamonds/0/state")" = off ]
	# gone with what it named, and free again
	run -1 --separate-stderr damo stop web
	[[ "$stderr" == *"no monitor damo started is named 'web' (damo status lists them)"* ]]
	run -0 damo start --name web --backend kernel --ops paddr --damos-action stat
}

@test "names: refused names say why, and nothing starts" {
	setup_tree
	run -64 --separate-stderr damo start --name 9lives --ops paddr --damos-action stat
	[[ "$stderr" == *"--name: '9lives' is not a name: it does not begin with a letter"* ]]
	run -64 --separate-stderr damo start --name e3 --ops paddr --damos-action stat
	[[ "$stderr" == *"--name: 'e3' is not a name: it is an id (eN)"* ]]
	run -64 --separate-stderr damo start --name 'web/1' --ops paddr --damos-action stat
	[[ "$stderr" == *"it has a character other than letters, digits"* ]]
	run -64 --separate-stderr damo start --name "a$(printf '%032d' 0)" --ops paddr --damos-action stat
	[[ "$stderr" == *"it is longer than 32 characters"* ]]
	[ "$(cat "$DAMO_SYSFS_ROOT/kdamonds/nr_kdamonds")" = 0 ]
	# an argument that is neither an id nor a name is a usage error
	run -64 --separate-stderr damo status 'a b'
	[[ "$stderr" == *"'a b' is not a kdamond id (N, or eN for an embedded monitor) nor a name"* ]]
	run -1 --separate-stderr damo status nothing
	[[ "$stderr" == *"no monitor damo started is named 'nothing'"* ]]
}

@test "names: an embedded monitor by name, beside a named kdamond" {
	[ -r "${DAMO_AGENT:-}" ] || { echo "DAMO_AGENT not set: run through ctest"; false; }
	setup_tree
	run -0 damo start --name web --backend kernel --ops paddr --damos-action stat
	run -0 --separate-stderr damo start --json --name db --backend embedded \
		--damos-action stat -- sh -c 'exec sleep 300 > /dev/null 2>&1 3>&-'
	SLEEP_PID=$(jq '.[0].command_pid' <<< "$output")
	[ "$(jq -r '.[0].id' <<< "$output")" = e0 ]
	running
	run -0 damo status --json
	jq -e '[.kdamonds[] | [.id, .name]] == [["0", "web"], ["e0", "db"]]' <<< "$output"
	run -0 damo status db --json
	jq -e '[.kdamonds[].id] == ["e0"]' <<< "$output"
	run -0 --separate-stderr damo record db --duration 1s -o "$BATS_TEST_TMPDIR/r.data"
	[[ "$output$stderr" == *" of e0 in "* ]]
	run -0 damo stop db --json
	[ "$output" = '["e0"]' ]
	running
	run -0 damo status --json
	jq -e '[.kdamonds[] | [.id, .name]] == [["0", "web"]]' <<< "$output"
}
