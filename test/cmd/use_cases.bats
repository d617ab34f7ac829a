#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The recipes of docs/use-cases.md, run line by line as written, so the
# guide cannot rot.  DAMON is a fake sysfs tree; paths under /etc and /var
# go to a temporary directory; systemctl does what systemd does with the
# unit CMake configured (its ExecStart= for the instance, SIGTERM at stop).

load ../helpers

UNIT=$(dirname "$DAMO")/damo@.service

teardown() {
	[ -n "${UNIT_PID:-}" ] && kill -KILL "$UNIT_PID" 2>/dev/null || true
	[ -n "${NE_PID:-}" ] && kill "$NE_PID" 2>/dev/null || true
	"$DAMO" stop --all >/dev/null 2>&1 || true
}

# recipe NAME: the command lines of recipe NAME in docs/use-cases.md.
recipe() {
	awk -v name="$1" '
		$0 ~ "^<!-- recipe: " name " " { f = 1; next }
		f && /^<!-- end recipe -->/ { exit }
		f && !/^```/' "$SRC/docs/use-cases.md"
}

# A free TCP port on 127.0.0.1.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

@test "use case: a scheme under systemd, watched in node_exporter's metrics" {
	for p in prometheus-node-exporter curl jq systemd-analyze; do
		command -v "$p" >/dev/null || { echo "$p missing: run scripts/deps.sh test"; false; }
	done
	make_sysfs 7.2
	echo 0 > "$DAMO_SYSFS_ROOT/kdamonds/nr_kdamonds"
	echo off > "$DAMO_SYSFS_ROOT/kdamonds/0/state"
	echo 4242 > "$DAMO_SYSFS_ROOT/kdamonds/0/pid"
	local root=$BATS_TEST_TMPDIR/root port lines
	mkdir -p "$root/var/lib/prometheus/node-exporter"
	port=$(free_port)
	prometheus-node-exporter --web.listen-address="127.0.0.1:$port" \
		--collector.disable-defaults --collector.textfile \
		--collector.textfile.directory="$root/var/lib/prometheus/node-exporter" \
		> "$BATS_TEST_TMPDIR/ne.log" 2>&1 3>&- &
	NE_PID=$!
	lines=$(recipe systemd-metrics)
	[ "$(wc -l <<< "$lines")" -ge 5 ]
	# what the recipe runs, where the test keeps it
	cat > "$BATS_TEST_TMPDIR/env.sh" <<-EOF
		set -eu -o pipefail
		damo() { "$DAMO" "\$@"; }
		systemctl() {
			local unit=\${@: -1} inst cmd i
			inst=\${unit#damo@}
			inst=\${inst%.service}
			case "\$1" in
			enable)
				[ "\$2" = --now ] || return 1
				cmd=\$(sed -n 's/^ExecStart=[^ ]*\/damo //p' "$UNIT")
				cmd=\${cmd//%i/\$inst}
				cmd=\${cmd//\/etc\//$root/etc/}
				# shellcheck disable=SC2086
				"$DAMO" \$cmd > "$BATS_TEST_TMPDIR/unit.out" 2> "$BATS_TEST_TMPDIR/unit.err" 3>&- &
				echo \$! > "$BATS_TEST_TMPDIR/unit.pid"
				for i in \$(seq 100); do
					[ -s "$BATS_TEST_TMPDIR/unit.out" ] && return 0
					kill -0 \$! 2>/dev/null || return 1
					sleep 0.05
				done
				return 1 ;;
			stop)
				i=\$(cat "$BATS_TEST_TMPDIR/unit.pid")
				kill -TERM "\$i"
				while kill -0 "\$i" 2>/dev/null; do sleep 0.05; done ;;
			*) return 1 ;;
			esac
		}
	EOF
	local line n=0
	while IFS= read -r line; do
		n=$((n + 1))
		line=${line//\/etc\//$root/etc/}
		line=${line//\/var\//$root/var/}
		line=${line//localhost:9100/127.0.0.1:$port}
		# node_exporter may still be starting for the first scrape
		if [[ "$line" == curl* ]]; then
			for i in $(seq 100); do
				curl -sf "http://127.0.0.1:$port/metrics" >/dev/null && break
				sleep 0.1
			done
		fi
		run bash -c ". '$BATS_TEST_TMPDIR/env.sh'; $line"
		[ "$status" = 0 ] || {
			echo "recipe line $n failed ($status): $line"
			echo "$output"
			cat "$BATS_TEST_TMPDIR/unit.err" 2>/dev/null
			false
		}
		# the unit's pid, for teardown
		[ -s "$BATS_TEST_TMPDIR/unit.pid" ] && UNIT_PID=$(cat "$BATS_TEST_TMPDIR/unit.pid")
	done <<< "$lines"
	# what the recipe promises: the kdamond is off and nothing of it is
	# left, and the unit's damo said nothing
	[ "$(cat "$DAMO_SYSFS_ROOT/kdamonds/nr_kdamonds")" = 0 ]
	[ ! -s "$BATS_TEST_TMPDIR/unit.err" ]
}
