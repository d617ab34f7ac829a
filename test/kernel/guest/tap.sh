# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash  # busybox ash: POSIX sh plus local
# TAP for the kernel tier's scenarios (busybox sh), sourced by each one.
# Scenarios run one after another in separate shells, so the test number
# lives in a file.  A scenario reports failures as "not ok" and exits 0;
# exiting non-zero counts as one more failure (guest/init).

TAP_COUNT_FILE=/tmp/tap.count

tap_count() {
	cat "$TAP_COUNT_FILE" 2> /dev/null || echo 0
}

tap_next() {
	TAP_N=$(($(tap_count) + 1))
	echo "$TAP_N" > "$TAP_COUNT_FILE"
}

tap_ok() {
	tap_next
	echo "ok $TAP_N - $*"
}

tap_not_ok() {
	tap_next
	echo "not ok $TAP_N - $*"
}

# Diagnostics: stdin, or the arguments, as "# " lines.
diag() {
	if [ $# -gt 0 ]; then
		echo "$*" | sed 's/^/# /'
	else
		sed 's/^/# /'
	fi
}

# check NAME CMD [ARG...]: one test, passed when CMD succeeds; what CMD
# printed becomes diagnostics when it fails.
check() {
	local name=$1 out

	shift
	if out=$("$@" 2>&1); then
		tap_ok "$name"
	else
		tap_not_ok "$name"
		[ -z "$out" ] || echo "$out" | diag
	fi
}

# The running kernel as major * 1000 + minor: 6.12 is 6012.
kver() {
	uname -r | awk -F. '{ print $1 * 1000 + $2 }'
}

# run_cmd NAME CMD [ARG...]: run CMD with stdout in /tmp/NAME.out, stderr
# in /tmp/NAME.err; its status in $RC.  For checks on what it printed.
run_cmd() {
	local name=$1

	shift
	RC=0
	"$@" > "/tmp/$name.out" 2> "/tmp/$name.err" || RC=$?
}

# quiet_run NAME: the command of run_cmd NAME exited 0, stderr empty.
quiet_run() {
	[ "$RC" -eq 0 ] && [ ! -s "/tmp/$1.err" ] && return 0
	echo "status $RC"
	cat "/tmp/$1.err"
	return 1
}

is() {
	[ "$1" = "$2" ] && return 0
	echo "'$1', expected '$2'"
	return 1
}

jq_true() {
	jq -e "$2" "$1" > /dev/null && return 0
	echo "not true: $2"
	return 1
}
