#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# start, stop, status, tune, schemes and module against directory trees made
# from real kernels' sysfs: what a tree can show (write order, values
# written, ownership, refusals, error paths).  Real behaviour: the qemu tier.

load ../helpers

K=kdamonds/0
C=$K/contexts/0
S=$C/schemes/0

# A 7.2 tree with no kdamond configured (the directories stay: a tree cannot
# create them the way the kernel does).
setup_idle() {
	make_sysfs "${1:-7.2}"
	echo 0 > "$DAMO_SYSFS_ROOT/kdamonds/nr_kdamonds"
	echo off > "$DAMO_SYSFS_ROOT/$K/state"
}

val() {
	cat "$DAMO_SYSFS_ROOT/$1"
}

# Every file with its value (a trailing newline or not is the same value).
tree_state() {
	(cd "$DAMO_SYSFS_ROOT" && find . -type f | sort | while read -r f; do
		printf '%s=%s\n' "$f" "$(cat "$f")"
	done)
}

@test "start writes the model in the kernel's order and turns it on" {
	setup_idle
	run -0 --separate-stderr damo start -vv --ops paddr --damos-action pageout \
		--damos-access-rate 0% 5% --damos-age 30s max --damos-quotas 10ms 1GiB 1s
	[ "$output" = "0" ]	# the id of the kdamond started
	writes=$(grep '^write ' <<<"$stderr" | cut -d' ' -f2)
	# nr_kdamonds first, then each count before its children, state last
	[ "$(head -1 <<<"$writes")" = kdamonds/nr_kdamonds ]
	[ "$(tail -1 <<<"$writes")" = $K/state ]
	n_ctx=$(grep -n "^$K/contexts/nr_contexts$" <<<"$writes" | cut -d: -f1)
	n_ops=$(grep -n "^$C/operations$" <<<"$writes" | cut -d: -f1)
	n_sch=$(grep -n "^$C/schemes/nr_schemes$" <<<"$writes" | cut -d: -f1)
	n_act=$(grep -n "^$S/action$" <<<"$writes" | cut -d: -f1)
	[ "$n_ctx" -lt "$n_ops" ] && [ "$n_sch" -lt "$n_act" ]
	# values in the kernel's units: samples and aggregation intervals
	[ "$(val $S/access_pattern/nr_accesses/min)" = 0 ]
	[ "$(val $S/access_pattern/nr_accesses/max)" = 1 ]	# 5 % of 20
	[ "$(val $S/access_pattern/age/min)" = 300 ]		# 30 s / 100 ms
	[ "$(val $S/access_pattern/age/max)" = 4294967295 ]	# clamped, not wrapped
	[ "$(val $S/quotas/ms)" = 10 ]
	[ "$(val $S/quotas/bytes)" = 1073741824 ]
	[ "$(val $S/quotas/reset_interval_ms)" = 1000 ]
	[ "$(val $S/action)" = pageout ]
	[ "$(val $C/operations)" = paddr ]
	# paddr's default region: the largest System RAM range of /proc/iomem
	[ "$(val $C/targets/0/regions/0/start)" = 4294967296 ]
	[ "$(val $C/targets/0/regions/0/end)" = 26843545600 ]
	[ "$(val $K/state)" = on ]
	[ "$(val kdamonds/nr_kdamonds)" = 1 ]
}

@test "start from a damo JSON scheme file and the same in YAML write the same" {
	setup_idle
	cat > "$BATS_TEST_TMPDIR/s.json" <<-EOF
	[{"action": "pageout",
	  "access_pattern": {"sz_bytes": {"min": "4 KiB", "max": "max"},
	    "nr_accesses": {"min": "0 %", "max": "0 %"},
	    "age": {"min": "2 m", "max": "max"}},
	  "quotas": {"time_ms": 10, "sz_bytes": "128 MiB", "reset_interval_ms": "1 s",
	    "weights": {"sz_permil": 0, "nr_accesses_permil": 0, "age_permil": 1000}},
	  "watermarks": {"metric": "free_mem_rate", "interval_us": "5 s",
	    "high_permil": 500, "mid_permil": 400, "low_permil": 50}}]
	EOF
	run -0 damo start --ops paddr --scheme "$BATS_TEST_TMPDIR/s.json"
	json_tree=$(tree_state | grep -v '/state=')
	[ "$(val $S/access_pattern/age/min)" = 1200 ]
	[ "$(val $S/watermarks/metric)" = free_mem_rate ]
	[ "$(val $S/watermarks/low)" = 50 ]
	run -0 damo stop
	setup_idle
	run -0 damo config show "$BATS_TEST_TMPDIR/s.json"
	echo "$output" > "$BATS_TEST_TMPDIR/s.yaml"
	run -0 damo start --ops paddr --scheme "$BATS_TEST_TMPDIR/s.yaml"
	[ "$(tree_state | grep -v '/state=')" = "$json_tree" ]
}

# Apart from counts: with no kdamond at all, feature detection makes a
# temporary one (writing nr_* files) and removes it again, which a tree
# cannot show the way the kernel does.
config_state() {
	tree_state | grep -v '/nr_[a-z_]*='
}

@test "a configuration the kernel cannot take is refused before any write" {
	setup_idle 6.12
	before=$(config_state)
	run -1 --separate-stderr damo start --ops paddr --refresh-stat 1s --damos-action stat
	[[ "$stderr" == *"refresh_ms needs the 'refresh_ms' DAMON feature of Linux 6.17"* ]]
	[ "$before" = "$(config_state)" ]
	[ "$(val kdamonds/nr_kdamonds)" = 0 ]
	run -1 --separate-stderr damo start --ops paddr --damos-action stat \
		--damos-quota-goal-tuner temporal --damos-quotas 0 0 1s
	[[ "$stderr" == *"Linux 7.1"* ]]
	[ "$before" = "$(config_state)" ]
	# and an invalid one, before the kernel is asked anything
	run -1 --separate-stderr damo start --ops paddr --damos-action willneed
	[[ "$stderr" == *"'willneed' is not supported by ops 'paddr'"* ]]
	[ "$before" = "$(config_state)" ]
	[ "$(val kdamonds/nr_kdamonds)" = 0 ]
}

@test "a failure at 'on' leaves nothing on and nothing configured" {
	setup_idle
	# a state file that cannot be written fails the "on" write
	rm "$DAMO_SYSFS_ROOT/$K/state"
	mkdir "$DAMO_SYSFS_ROOT/$K/state"
	run -1 --separate-stderr damo start --ops paddr --damos-action stat
	[[ "$stderr" == *"cannot write 'on' to '$DAMO_SYSFS_ROOT/$K/state'"* ]]
	[ "$(val kdamonds/nr_kdamonds)" = 0 ]
	[ ! -s "$DAMO_RUNTIME_DIR/kdamonds" ]
}

@test "a running kdamond damo did not start is never touched without --force" {
	make_sysfs 6.18-host
	echo on > "$DAMO_SYSFS_ROOT/$K/state"
	before=$(tree_state)
	run -1 --separate-stderr damo start --ops paddr --damos-action stat
	[[ "$stderr" == *"kdamond 0 is running (not started by damo)"* ]]
	# nothing of damo's runs: done already, as systemctl stop would say
	run -0 --separate-stderr damo stop --all
	[[ "$stderr" == *"nothing to stop: no kdamond or embedded monitor started by damo runs"* ]]
	[ "$(val $K/state)" = on ]
	run -1 --separate-stderr damo stop 0
	[[ "$stderr" == *"was not started by damo"* ]]
	run -1 --separate-stderr damo tune 0 --ops paddr --damos-action stat
	[[ "$stderr" == *"was not started by damo"* ]]
	run -1 --separate-stderr damo schemes apply 0 "$SRC/examples/reclaim.yaml"
	[[ "$stderr" == *"was not started by damo"* ]]
	# reading is free and writes nothing
	run -0 damo status --json
	json_check <(echo "$output") '.kdamonds[0].owner == "foreign" and .kdamonds[0].state == "on"'
	run -0 damo schemes stats
	run -0 damo schemes tried
	[ "$before" = "$(tree_state)" ]
	# named with --force, it can be stopped
	run -0 damo stop 0 --force
}

@test "an idle kdamond directory damo did not create needs --force" {
	make_sysfs 7.2
	run -1 --separate-stderr damo start --ops paddr --damos-action stat
	[[ "$stderr" == *"kdamonds/0 exists and was not created by damo"* ]]
	[[ "$stderr" == *"hint: add --force"* ]]
	run -0 damo start --force --ops paddr --damos-action stat
}

@test "stop turns off damo's kdamond and removes what it created" {
	setup_idle
	run -0 damo start --ops paddr --damos-action stat
	run -0 --separate-stderr damo stop --json
	[ -z "$stderr" ]
	json_check <(echo "$output") '. == ["0"]'
	[ "$(val $K/state)" = off ]
	[ "$(val kdamonds/nr_kdamonds)" = 0 ]
	# stopping again succeeds with a notice (an ExecStop= after the fact)
	run -0 --separate-stderr damo stop --json
	[ "$output" = "[]" ]
	[[ "$stderr" == *"nothing to stop"* ]]
	run -0 --separate-stderr damo stop --all
	[[ "$stderr" == *"nothing to stop"* ]]
	# an id that is not there is an error that says so
	run -1 --separate-stderr damo stop 3
	[[ "$stderr" == *"there is no kdamond 3"* ]]
	run -1 --separate-stderr damo stop e4
	[[ "$stderr" == *"there is no embedded monitor 'e4'"* ]]
}

@test "status shows damo's kdamond, refreshes its stats, reads the rest" {
	setup_idle
	run -0 damo start --ops paddr --damos-action stat --damos-age 1s max
	echo 42 > "$DAMO_SYSFS_ROOT/$S/stats/nr_tried"
	echo 4096 > "$DAMO_SYSFS_ROOT/$S/quotas/effective_bytes"
	run -0 --separate-stderr damo status --json
	[ -z "$stderr" ]
	f=$BATS_TEST_TMPDIR/s.json
	echo "$output" > "$f"
	json_check "$f" '.kdamonds[0].owner == "damo"'
	json_check "$f" '.kdamonds[0].contexts[0].ops == "paddr"'
	json_check "$f" '.kdamonds[0].contexts[0].schemes[0].stats.nr_tried == 42'
	json_check "$f" '.kdamonds[0].contexts[0].schemes[0].access_pattern.age_aggr_intervals.min == 10'
	json_check "$f" '.kdamonds[0].contexts[0].schemes[0].quotas.effective_sz_bytes == 4096'
	json_check "$f" '[.modules[].name] == ["damon_reclaim", "damon_lru_sort", "damon_stat"]'
	# an update command was written to damo's own kdamond
	[[ "$(val $K/state)" == update_* ]]
}

@test "tune commits a new configuration to damo's running kdamond" {
	setup_idle
	run -0 damo start --ops paddr --damos-action stat
	run -0 --separate-stderr damo tune 0 -vv --ops paddr \
		--monitoring-intervals 10ms 200ms 2s --damos-action pageout --damos-age 4s max
	[ "$(val $C/monitoring_attrs/intervals/sample_us)" = 10000 ]
	[ "$(val $C/monitoring_attrs/intervals/aggr_us)" = 200000 ]
	[ "$(val $S/action)" = pageout ]
	[ "$(val $S/access_pattern/age/min)" = 20 ]
	[ "$(grep '^write ' <<<"$stderr" | tail -1)" = "write $K/state commit" ]
}

@test "tune refuses an invalid configuration and changes nothing" {
	setup_idle
	run -0 damo start --ops paddr --damos-action stat
	before=$(tree_state)
	run -1 --separate-stderr damo tune 0 --ops paddr --monitoring-intervals 1s 100ms 1s
	[[ "$stderr" == *"longer than the aggregation interval"* ]]
	[ "$before" = "$(tree_state)" ]
	# no id: damo's one running kdamond; nothing given: the defaults
	run -0 damo tune
	[ "$(val $C/schemes/nr_schemes)" = 0 ]
	run -1 --separate-stderr damo tune 3 --ops paddr
	[[ "$stderr" == *"no kdamond 3"* ]]
}

@test "schemes stats and tried print what the kernel holds" {
	setup_idle
	run -0 damo start --ops paddr --damos-action stat
	mkdir -p "$DAMO_SYSFS_ROOT/$S/tried_regions/0" "$DAMO_SYSFS_ROOT/$S/tried_regions/2"
	for d in 0 2; do
		echo $((4096 * (d + 1))) > "$DAMO_SYSFS_ROOT/$S/tried_regions/$d/start"
		echo $((4096 * (d + 2))) > "$DAMO_SYSFS_ROOT/$S/tried_regions/$d/end"
		echo $d > "$DAMO_SYSFS_ROOT/$S/tried_regions/$d/nr_accesses"
		echo 7 > "$DAMO_SYSFS_ROOT/$S/tried_regions/$d/age"
	done
	run -0 --separate-stderr damo schemes tried --json
	f=$BATS_TEST_TMPDIR/t.json
	echo "$output" > "$f"
	json_check "$f" 'length == 2 and .[1].start == 12288 and .[1].nr_accesses == 2'
	[ "$(val $K/state)" = update_schemes_tried_regions ]
	run -0 damo schemes tried
	grep -Eq '^ +0 +0 +4,096 +8,192 +4.000 KiB +0 +7$' <<<"$output"
	run -0 --separate-stderr damo schemes stats --json
	json_check <(echo "$output") '.[0].action == "stat" and .[0].scheme == 0'
	run -64 damo schemes frob
	run -64 damo schemes
}

@test "schemes apply replaces the schemes and keeps the rest" {
	setup_idle
	run -0 damo start --ops paddr --monitoring-intervals 10ms 1s 1s --damos-action stat
	cat > "$BATS_TEST_TMPDIR/s.yaml" <<-EOF
	- action: lru_prio
	  access_pattern:
	    sz_bytes: {min: 0 B, max: max}
	    nr_accesses: {min: 50 %, max: max}
	    age: {min: 0 us, max: max}
	EOF
	run -0 damo schemes apply 0 "$BATS_TEST_TMPDIR/s.yaml"
	[ "$(val $S/action)" = lru_prio ]
	[ "$(val $S/access_pattern/nr_accesses/min)" = 50 ]	# 50 % of 100
	[ "$(val $C/monitoring_attrs/intervals/aggr_us)" = 1000000 ]
	[ "$(val $K/state)" = commit ]
}

@test "module shows and changes DAMON module parameters" {
	make_sysfs 7.2
	run -0 --separate-stderr damo module --json
	json_check <(echo "$output") '[.[].name] == ["damon_reclaim", "damon_lru_sort", "damon_stat"]'
	run -0 damo module stat disable
	[ "$(cat "$DAMO_MODULE_ROOT/damon_stat/parameters/enabled")" = N ]
	run -0 damo module reclaim set min_age=5000000 quota_ms=10
	[ "$(cat "$DAMO_MODULE_ROOT/damon_reclaim/parameters/min_age")" = 5000000 ]
	run -1 --separate-stderr damo module reclaim set frob=1
	[[ "$stderr" == *"damon_reclaim has no parameter 'frob'"* ]]
	run -64 damo module frob
	run -64 damo module reclaim set
}

@test "--numa-node takes a node's memory blocks as paddr regions" {
	sys=$BATS_TEST_TMPDIR/system
	mkdir -p "$sys/memory" "$sys/node/node1/memory8" "$sys/node/node1/memory9" \
		"$sys/node/node1/memory12" "$sys/node/node0/memory0"
	echo 8000000 > "$sys/memory/block_size_bytes"	# 128 MiB, in hex
	export DAMO_SYSTEM_ROOT=$sys
	run -0 --separate-stderr damo config show --ops paddr --numa-node 1 \
		--damos-action stat --raw --json
	f=$BATS_TEST_TMPDIR/c.json
	echo "$output" > "$f"
	json_check "$f" '.kdamonds[0].contexts[0].targets[0].regions ==
		[{"start": 1073741824, "end": 1342177280},
		 {"start": 1610612736, "end": 1744830464}]'
	run -1 --separate-stderr damo config show --ops paddr --numa-node 3
	[[ "$stderr" == *"--numa-node: cannot read the memory of node 3"* ]]
}

@test "start's positional target is deduced as damo does: pid, command, paddr, kdamonds" {
	setup_idle
	sleep 300 >/dev/null 2>&1 3>&- &
	local sp=$! cmdpid i
	# a pid: vaddr (fvaddr with --regions), its pid the target
	run -0 --separate-stderr damo start "$sp" --damos-action stat
	[ "$output" = 0 ] && [ -z "$stderr" ]
	[ "$(val $C/operations)" = vaddr ]
	[ "$(val $C/targets/0/pid_target)" = "$sp" ]
	run -0 damo stop
	run -0 --separate-stderr damo start "$sp" -r 4096-8192 --ops paddr
	[ "$(val $C/operations)" = fvaddr ]
	[[ "$stderr" == *"--ops is overridden by target '$sp'"* ]]
	run -0 damo stop
	# a command line in quotes: run by damo, its pid monitored
	run -0 --separate-stderr damo start --json \
		"touch $BATS_TEST_TMPDIR/ran && sleep 30 >/dev/null 2>&1"
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/started.json"
	cmdpid=$(jq -r '.[0].command_pid' "$BATS_TEST_TMPDIR/started.json")
	[ "$cmdpid" -gt 0 ]
	[ "$(val $C/operations)" = vaddr ]
	[ "$(val $C/targets/0/pid_target)" = "$cmdpid" ]
	for i in $(seq 50); do
		[ -e "$BATS_TEST_TMPDIR/ran" ] && break
		sleep 0.1
	done
	[ -e "$BATS_TEST_TMPDIR/ran" ]	# the line ran under a shell
	run -0 damo stop
	# paddr
	run -0 damo start paddr --target-pid "$sp"
	[ "$(val $C/operations)" = paddr ]
	run -0 damo stop
	# kdamonds JSON text, as damo's 'args damon' prints it
	run -0 damo start "$(cat "$FIXTURES/config/damo-args/vaddr-schemes.json" |
		sed "s/\"pid\": 1234/\"pid\": $sp/")"
	[ "$(val $C/targets/0/pid_target)" = "$sp" ]
	[ "$(val $S/action)" = pageout ]
	run -0 damo stop
	# a kdamonds file, damo's YAML
	run -0 damo start "$FIXTURES/config/damo-args/default.yaml"
	[ "$(val $C/operations)" = paddr ]
	run -0 damo stop
	kill "$sp"
}

@test "a target that is none of those is refused, and nothing is written" {
	setup_idle
	local before
	before=$(tree_state)
	run -64 --separate-stderr damo start banana
	[[ "$stderr" == *"target 'banana' is not a pid, a command, a kdamonds file or kdamonds JSON"* ]]
	run -1 --separate-stderr damo start 99999999
	[[ "$stderr" == *"99999999 is not a process id"* ]]
	run -64 --separate-stderr damo start vaddr
	[[ "$stderr" == *"target 'vaddr' needs a process"* ]]
	# a path that is not there is a file that cannot be opened (exit 1)
	run -1 --separate-stderr damo start ./nosuch.yaml
	[[ "$stderr" == *"./nosuch.yaml: cannot open: No such file or directory"* ]]
	run -64 --separate-stderr damo start nosuch.yaml
	[[ "$stderr" == *"(no such file)"* ]]
	run -64 --separate-stderr damo start --kdamonds "$FIXTURES/config/damo-args/default.yaml" paddr
	# a whole configuration and DAMON options: refused, not one ignored
	run -64 --separate-stderr damo start \
		"$FIXTURES/config/damo-args/default.yaml" --damos-action stat
	[[ "$stderr" == *"is a whole configuration: give it or DAMON options, not both"* ]]
	[ "$(tree_state)" = "$before" ]
}

@test "-c/--schemes and --kdamonds take a file or JSON text" {
	setup_idle
	local sch='[{"action": "pageout", "access_pattern": {"sz_bytes": {"min": 0, "max": "max"}, "nr_accesses": {"min": 0, "max": 0}, "age": {"min": "30 s", "max": "max"}}}]'
	run -0 damo start --ops paddr -c "$sch"
	[ "$(val $S/action)" = pageout ]
	[ "$(val $S/access_pattern/age/min)" = 300 ]
	run -0 damo stop
	printf '%s\n' "$sch" > "$BATS_TEST_TMPDIR/s.json"
	run -0 damo start --ops paddr --schemes "$BATS_TEST_TMPDIR/s.json"
	[ "$(val $S/action)" = pageout ]
	run -0 damo stop
	run -0 damo start --kdamonds "$FIXTURES/config/damo-args/default.json"
	[ "$(val $C/operations)" = paddr ]
	run -0 damo stop
	run -0 damo start --kdamonds "$(cat "$FIXTURES/config/damo-args/default.json")"
	[ "$(val $K/state)" = on ]
	run -0 damo stop
	run -1 --separate-stderr damo start --ops paddr -c '[{"action": "bogus"}]'
	[[ "$stderr" == *"--schemes:1:13: schemes[0].action: 'bogus' is not a DAMOS action"* ]]
}

@test "tune without an id tunes the one kdamond damo started, as damo" {
	setup_idle
	run -1 --separate-stderr damo tune --damos-action stat
	[[ "$stderr" == *"no kdamond started by damo runs"* ]]
	run -0 damo start --ops paddr --damos-action stat
	run -0 --separate-stderr damo tune --damos-action pageout --damos-age 4s max
	[ -z "$stderr" ]
	[ "$(val $S/action)" = pageout ]
	[ "$(val $K/state)" = commit ]
	echo on > "$DAMO_SYSFS_ROOT/$K/state"	# what the kernel does
	# a deducible target: paddr, or a kdamonds file of damo's
	run -0 damo tune paddr --damos-action stat
	[ "$(val $S/action)" = stat ]
	echo on > "$DAMO_SYSFS_ROOT/$K/state"
	run -0 damo tune 0 "$FIXTURES/config/damo-args/vaddr-schemes.yaml"
	[ "$(val $C/targets/0/pid_target)" = 1234 ]
	[ "$(val $S/action)" = pageout ]
	echo on > "$DAMO_SYSFS_ROOT/$K/state"
	run -1 --separate-stderr damo tune "sleep 5"
	[[ "$stderr" == *"tune does not start commands"* ]]
}

@test "module takes damo's option syntax, converts units, checks every value first" {
	make_sysfs 7.2
	local R=$DAMO_MODULE_ROOT/damon_reclaim/parameters before
	echo N > "$R/enabled"
	echo -1 > "$R/kdamond_pid"
	before=$(cd "$DAMO_MODULE_ROOT" && grep -r . | sort)
	# a bad value anywhere: nothing written
	run -1 --separate-stderr damo module reclaim set quota_ms=10 min_age=banana
	[[ "$stderr" == *"min_age: 'banana' is not a time"* ]]
	run -1 --separate-stderr damo module reclaim set min_age=1s kdamond_pid=5
	[[ "$stderr" == *"kdamond_pid is what the module reports"* ]]
	run -64 --separate-stderr damo module reclaim --min_age 30s --quota 10ms 1G enable
	run -64 --separate-stderr damo module lru_sort --min_age 30s
	[[ "$stderr" == *"--min-age is not an option of module lru_sort"* ]]
	run -1 --separate-stderr damo module reclaim --min_age 3m commit
	[[ "$stderr" == *"damon_reclaim is not running"* ]]
	[ "$(cd "$DAMO_MODULE_ROOT" && grep -r . | sort)" = "$before" ]
	# set takes units too, converted to the parameter's
	run -0 damo module reclaim set min_age=30s quota_sz=128M quota_ms=1s
	[ "$(cat "$R/min_age")" = 30000000 ]
	[ "$(cat "$R/quota_sz")" = 134217728 ]
	[ "$(cat "$R/quota_ms")" = 1000 ]
	# damo's syntax: options, then the action
	run -0 damo module reclaim --min_age 2m --quota 10ms 1G 1s \
		--wmarks 5s 800 500 20% --monitor_intervals 5ms 100ms \
		--nr_regions 10 1000 --monitor_region 0x100000 4G --skip_anon enable
	[ "$(cat "$R/min_age")" = 120000000 ]
	[ "$(cat "$R/quota_ms")" = 10 ]
	[ "$(cat "$R/quota_sz")" = 1073741824 ]
	[ "$(cat "$R/quota_reset_interval_ms")" = 1000 ]
	[ "$(cat "$R/wmarks_interval")" = 5000000 ]
	[ "$(cat "$R/wmarks_low")" = 200 ]
	[ "$(cat "$R/aggr_interval")" = 100000 ]
	[ "$(cat "$R/monitor_region_start")" = 1048576 ]
	[ "$(cat "$R/monitor_region_end")" = 4294967296 ]
	[ "$(cat "$R/skip_anon")" = Y ]
	[ "$(cat "$R/enabled")" = Y ]
	# running: commit (and enable) write commit_inputs
	echo 4242 > "$R/kdamond_pid"
	run -0 damo module reclaim --min_age 3m commit
	[ "$(cat "$R/min_age")" = 180000000 ]
	[ "$(cat "$R/commit_inputs")" = Y ]
	[ "$(cat "$R/skip_anon")" = N ]	# as damo: N unless given
	run -0 --separate-stderr damo module reclaim status
	[[ "$output" == *"min_age: 180000000"* ]]
	run -0 damo module reclaim disable
	[ "$(cat "$R/enabled")" = N ]
	# lru_sort's own options, and stat's read/write
	run -0 damo module lru_sort --cold_min_age 3s --hot_thres_access_freq 50% \
		--quota 10ms 1s
	[ "$(cat "$DAMO_MODULE_ROOT/damon_lru_sort/parameters/cold_min_age")" = 3000000 ]
	[ "$(cat "$DAMO_MODULE_ROOT/damon_lru_sort/parameters/hot_thres_access_freq")" = 500 ]
	run -0 damo module stat write enabled N
	[ "$(cat "$DAMO_MODULE_ROOT/damon_stat/parameters/enabled")" = N ]
	run -0 --separate-stderr damo module stat read
	[[ "$output" == *"enabled: N"* ]]
}

@test "damo reclaim and damo lru_sort are damo module reclaim and lru_sort" {
	make_sysfs 7.2
	local R=$DAMO_MODULE_ROOT/damon_reclaim/parameters
	echo N > "$R/enabled"
	run -0 damo reclaim --min_age 30s enable
	[ "$(cat "$R/min_age")" = 30000000 ]
	[ "$(cat "$R/enabled")" = Y ]
	run -0 damo lru_sort --cold_min_age 2s
	[ "$(cat "$DAMO_MODULE_ROOT/damon_lru_sort/parameters/cold_min_age")" = 2000000 ]
	run -0 --separate-stderr damo reclaim status --json
	json_check <(echo "$output") '.[0].name == "damon_reclaim" and
		.[0].parameters.min_age == "30000000"'
	run -1 damo reclaim set min_age=banana
	[ "$(cat "$R/min_age")" = 30000000 ]
}

@test "a module the kernel lacks is refused, naming the CONFIG_ it needs" {
	export DAMO_MODULE_ROOT=$BATS_TEST_TMPDIR/no-modules
	mkdir -p "$DAMO_MODULE_ROOT"
	run -1 --separate-stderr damo module reclaim enable
	[ "$stderr" = "damo: error: this kernel has no damon_reclaim module (no '$DAMO_MODULE_ROOT/damon_reclaim'): it needs CONFIG_DAMON_RECLAIM" ]
	run -1 --separate-stderr damo module lru_sort --cold_min_age 30s
	[[ $stderr == *"it needs CONFIG_DAMON_LRU_SORT" ]]
	[ -z "$(ls -A "$DAMO_MODULE_ROOT")" ]
}
