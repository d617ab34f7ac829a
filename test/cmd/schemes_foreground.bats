#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# damo schemes with damo's options is damo's foreground mode: start DAMON
# with the schemes, keep it until interrupted, stop it; on a fake kernel
# tree.  schemes stats|tried|apply stay (kernel.bats, embedded.bats).

load ../helpers

S=kdamonds/0/contexts/0/schemes/0

setup() {
	make_sysfs 7.2
	echo 0 > "$DAMO_SYSFS_ROOT/kdamonds/nr_kdamonds"
	echo off > "$DAMO_SYSFS_ROOT/kdamonds/0/state"
}

# Start "damo schemes ARGS..." in the background; wait for its prompt.
schemes_bg() {
	"$DAMO" schemes "$@" >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" &
	pid=$!
	for _ in $(seq 100); do
		grep -q "Press Ctrl+C to stop" "$BATS_TEST_TMPDIR/out" && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	cat "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/err"
	return 1
}

@test "schemes with damo's options runs the schemes until Ctrl+C, then stops" {
	schemes_bg --ops paddr --damos_action pageout --damos_access_rate 0% 0% \
		--damos_age 30s max
	[ "$(cat "$DAMO_SYSFS_ROOT/kdamonds/0/state")" = on ]
	[ "$(cat "$DAMO_SYSFS_ROOT/$S/action")" = pageout ]
	[ "$(cat "$DAMO_SYSFS_ROOT/$S/access_pattern/age/min")" = 300 ]
	kill -INT "$pid"
	wait "$pid"
	[ "$(cat "$DAMO_SYSFS_ROOT/kdamonds/0/state")" = off ]
	[ "$(head -1 "$BATS_TEST_TMPDIR/out")" = 0 ]	# the id started
	grep -qx "signal 2 received" "$BATS_TEST_TMPDIR/out"
	[ ! -s "$BATS_TEST_TMPDIR/err" ]
}

@test "schemes foreground stops on SIGTERM too" {
	schemes_bg --damos_action stat
	[ "$(cat "$DAMO_SYSFS_ROOT/kdamonds/0/state")" = on ]
	kill -TERM "$pid"
	wait "$pid"
	[ "$(cat "$DAMO_SYSFS_ROOT/kdamonds/0/state")" = off ]
}

@test "schemes foreground refuses bad options before starting anything" {
	run -1 --separate-stderr damo schemes --damos_action frob
	[[ "$stderr" == *frob* ]]
	[ "$(cat "$DAMO_SYSFS_ROOT/kdamonds/0/state")" = off ]
	[ "$(cat "$DAMO_SYSFS_ROOT/kdamonds/nr_kdamonds")" = 0 ]
	run -64 --separate-stderr damo schemes --no-such-option
}

@test "schemes --help lists the subcommands and the foreground mode; --options its options" {
	run -0 damo schemes --help
	[[ "$output" == *"damo schemes stats"* ]]
	[[ "$output" == *"Without a subcommand, damo's 'schemes'"* ]]
	run -0 damo schemes --options
	[[ "$output" == *--damos-action* ]]
	run -0 damo schemes --list-opts
	[ "$output" = "$(printf '%s\n' apply stats tried)" ]
}
