#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Running damo under systemd: the unit CMake configures passes
# systemd-analyze verify, and its ExecStart= (damo start --foreground)
# stays while the kdamond runs, stops it on SIGTERM, and ends when the
# kdamond ends by itself.  Kernel DAMON is a fake sysfs tree.

load ../helpers

UNIT=$(dirname "$DAMO")/damo@.service

teardown() {
	[ -n "${FG_PID:-}" ] && kill -KILL "$FG_PID" 2>/dev/null || true
	"$DAMO" stop --all >/dev/null 2>&1 || true
}

# A 7.2 tree with no kdamond, and a kdamonds file like /etc/damo/NAME.yaml.
setup_tree() {
	make_sysfs 7.2
	echo 0 > "$DAMO_SYSFS_ROOT/kdamonds/nr_kdamonds"
	echo off > "$DAMO_SYSFS_ROOT/kdamonds/0/state"
	echo 4242 > "$DAMO_SYSFS_ROOT/kdamonds/0/pid"
	CONF=$BATS_TEST_TMPDIR/etc/damo/reclaim.yaml
	mkdir -p "${CONF%/*}"
	damo config show --ops paddr --damos-action stat --damos-age 5s max > "$CONF"
}

# start_fg ARGS: damo start --foreground ARGS in the background, as
# systemd runs ExecStart=; waits for the id it prints.
start_fg() {
	local i
	"$DAMO" start --foreground "$@" > "$BATS_TEST_TMPDIR/fg.out" \
		2> "$BATS_TEST_TMPDIR/fg.err" 3>&- &
	FG_PID=$!
	for i in $(seq 100); do
		[ -s "$BATS_TEST_TMPDIR/fg.out" ] && break
		sleep 0.05
	done
	[ "$(cat "$BATS_TEST_TMPDIR/fg.out")" = 0 ]
}

# wait_fg: the foreground damo ended with exit status 0.
wait_fg() {
	local rc=0
	wait "$FG_PID" || rc=$?
	FG_PID=
	[ "$rc" = 0 ] || { cat "$BATS_TEST_TMPDIR/fg.err"; false; }
}

@test "systemd: the unit passes systemd-analyze verify" {
	command -v systemd-analyze >/dev/null ||
		{ echo "systemd-analyze missing: run scripts/deps.sh test"; false; }
	[ -f "$UNIT" ]
	grep -qx 'ExecStart=.*/damo start --foreground --name %i /etc/damo/%i.yaml' "$UNIT"
	grep -qx 'Type=exec' "$UNIT"
	# verify runs the command's binary and the man pages it names: the
	# built ones stand in for the installed ones
	local d=$BATS_TEST_TMPDIR/unit
	mkdir -p "$d/man/man8"
	ln -s "$SRC"/man/*.8 "$d/man/man8/"
	sed "s|^ExecStart=[^ ]*/damo |ExecStart=$DAMO |" "$UNIT" > "$d/damo@.service"
	run -0 env MANPATH="$d/man" systemd-analyze verify "$d/damo@reclaim.service"
	[ -z "$output" ]
}

@test "start --foreground: stays while the kdamond runs and stops it on SIGTERM" {
	setup_tree
	# as the unit runs it for damo@reclaim
	start_fg --name reclaim "$CONF"
	[ "$(cat "$DAMO_SYSFS_ROOT/kdamonds/0/state")" = on ]
	grep -q '	reclaim$' "$DAMO_RUNTIME_DIR/kdamonds"
	sleep 0.5
	# still there, and the kdamond still on
	kill -0 "$FG_PID"
	[ "$(cat "$DAMO_SYSFS_ROOT/kdamonds/0/state")" = on ]
	kill -TERM "$FG_PID"
	wait_fg
	[ "$(cat "$DAMO_SYSFS_ROOT/kdamonds/0/state")" = off ]
	[ "$(cat "$DAMO_SYSFS_ROOT/kdamonds/nr_kdamonds")" = 0 ]
	[ ! -s "$BATS_TEST_TMPDIR/fg.err" ]
	# a later ExecStop= or damo stop finds nothing and succeeds
	run -0 --separate-stderr damo stop --all
	[[ "$stderr" == *"nothing to stop"* ]]
}

@test "start --foreground: a kdamond that ends by itself ends the command" {
	setup_tree
	start_fg --backend kernel -v --ops paddr --damos-action stat
	# the kernel turned it off (all its targets gone, say)
	echo off > "$DAMO_SYSFS_ROOT/kdamonds/0/state"
	wait_fg
	grep -q 'kdamond 0 ended by itself' "$BATS_TEST_TMPDIR/fg.err"
}

@test "start --foreground: a refused configuration fails at once" {
	setup_tree
	run -1 --separate-stderr damo start --foreground "$BATS_TEST_TMPDIR/etc/damo/none.yaml"
	[[ "$stderr" == *"none.yaml"* ]]
	[ "$(cat "$DAMO_SYSFS_ROOT/kdamonds/nr_kdamonds")" = 0 ]
}
