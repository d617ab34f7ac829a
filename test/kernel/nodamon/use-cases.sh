# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash  # busybox ash: POSIX sh plus local
# docs/use-cases.md, "On a kernel without DAMON", run as the guide writes
# it on Debian 12's stock kernel: features says what is there, a plain
# 'damo start' runs the embedded monitor, which finds the written hot
# range; status --brief and stop work on it.
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

show f damo features
check "use-cases: features exits 0" quiet_run f
check "use-cases: features says kernel DAMON is absent" \
	grep -q "^kernel_damon: absent" /tmp/f.out

start_workload --size 64M --hot 8M@16M --write --period 0 --seconds 300
diag "workload $wl: hot $(printf '%#x-%#x' $hot_start $hot_end)"
# --cpu-budget 50%: under TCG a sample costs a hundred times what it
# costs on hardware (nodamon-embedded.sh); the guide leaves the default.
pid=$wl
show st damo start --target-pid $pid --cpu-budget 50% \
	--damos-action stat --damos-access-rate 10% max
check "use-cases: start runs the embedded monitor e0" is "$(cat /tmp/st.out)" e0
check "use-cases: ... and says why" \
	grep -q "no DAMON sysfs interface; using damo's embedded monitor" /tmp/st.err
hot_ranges tried e0
show tr damo schemes tried e0
check "use-cases: the embedded monitor finds the written hot range" hot_found
show br damo status --brief
check "use-cases: status --brief shows e0 on" grep -q "^e0 .* on " /tmp/br.out
show sp damo stop e0
check "use-cases: stop e0" quiet_run sp
stop_workload
exit 0
