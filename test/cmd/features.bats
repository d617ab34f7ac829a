#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# damo features: detection by file existence, read-only while kdamonds exist.

load ../helpers

setup() {
	:
}

# Every file under the tree with its content and mtime, to prove nothing
# was written.
tree_state() {
	(cd "$1" && find . -type f -exec sh -c 'printf "%s %s " "$1" "$(stat -c %Y "$1")"; cat "$1"' _ {} \; | sort)
}

@test "6.12 tree: features match what that kernel has" {
	make_sysfs 6.12
	run -0 --separate-stderr damo features --json
	[ -z "$stderr" ]
	echo "$output" > "$BATS_TEST_TMPDIR/f.json"
	f=$BATS_TEST_TMPDIR/f.json
	json_check "$f" '.sysfs == true and .kdamonds_read == 1 and .temporary_kdamond == false'
	# present in 6.12
	for n in vaddr fvaddr paddr avail_operations schemes_apply_interval \
		schemes_target_nid schemes_tried_regions schemes_tried_bytes \
		schemes_filters schemes_quota_goals schemes_quota_effective_bytes \
		schemes_quota_goal_metric damon_aggregated damos_before_apply \
		damon_reclaim damon_lru_sort; do
		json_check "$f" ".features[] | select(.name == \"$n\") | .supported == true" ||
			{ echo "expected $n supported"; false; }
	done
	# absent in 6.12 (docs/kernel-damon.md §7, test-kernels.md)
	for n in refresh_ms addr_unit intervals_goal schemes_filters_core_ops \
		schemes_dests schemes_filters_allow schemes_quota_goal_nid \
		schemes_stat_sz_ops_filter_passed obsolete_target pause probes \
		damon_monitor_intervals_tune damos_esz damon_stat; do
		json_check "$f" ".features[] | select(.name == \"$n\") | .supported == false" ||
			{ echo "expected $n unsupported"; false; }
	done
}

@test "7.2 tree: newest files and tracepoints are found" {
	make_sysfs 7.2
	run -0 --separate-stderr damo features --json
	echo "$output" > "$BATS_TEST_TMPDIR/f.json"
	f=$BATS_TEST_TMPDIR/f.json
	for n in refresh_ms addr_unit pause intervals_goal probes obsolete_target \
		schemes_dests schemes_filters_core_ops schemes_filters_allow \
		schemes_filters_hugepage_size schemes_quota_goal_nid \
		schemes_quota_goal_path schemes_quota_goal_tuner \
		schemes_quota_fail_charge schemes_stat_nr_snapshots \
		damon_region_aggregated damos_esz damon_stat; do
		json_check "$f" ".features[] | select(.name == \"$n\") | .state == \"yes\"" ||
			{ echo "expected $n seen"; false; }
	done
	# keywords follow from the newest file seen
	json_check "$f" '.features[] | select(.name == "goal_active_mem") | .state == "inferred"'
}

@test "host-like 6.18 tree: paddr only, goal files inferred, nothing written" {
	make_sysfs 6.18-host
	before=$(tree_state "$DAMO_SYSFS_ROOT")
	chmod -R a-w "$DAMO_SYSFS_ROOT"
	run -0 --separate-stderr damo features --json
	chmod -R u+w "$DAMO_SYSFS_ROOT"
	[ -z "$stderr" ]
	echo "$output" > "$BATS_TEST_TMPDIR/f.json"
	f=$BATS_TEST_TMPDIR/f.json
	json_check "$f" '.features[] | select(.name == "paddr") | .supported == true'
	json_check "$f" '.features[] | select(.name == "vaddr") | .supported == false'
	json_check "$f" '.features[] | select(.name == "fvaddr") | .supported == false'
	# no goal directory exists on the host: nid is known from addr_unit (6.18)
	json_check "$f" '.features[] | select(.name == "schemes_quota_goal_nid") | .state == "inferred"'
	json_check "$f" '.features[] | select(.name == "schemes_quota_goal_path") | .state == "inferred_no"'
	[ "$before" = "$(tree_state "$DAMO_SYSFS_ROOT")" ]
}

@test "text output is a table with a heading" {
	make_sysfs 6.12
	run -0 --separate-stderr damo features
	[ -z "$stderr" ]
	[[ "$output" == *"kernel: "* ]]
	grep -Eq '^feature +category +supported +since$' <<<"$output"
	grep -Eq '^addr_unit +file +no +6\.18$' <<<"$output"
	run -0 damo features unsupported
	! grep -Eq '^paddr ' <<<"$output"
	grep -Eq '^addr_unit ' <<<"$output"
}

@test "no kdamond: a temporary one is created and removed again" {
	make_sysfs 7.2
	echo 0 > "$DAMO_SYSFS_ROOT/kdamonds/nr_kdamonds"
	rm -r "$DAMO_SYSFS_ROOT/kdamonds/0"
	# a directory tree cannot create kdamonds/0 like the kernel does:
	# damo must say so and leave nr_kdamonds as it was
	run -0 --separate-stderr damo features --json
	[[ "$stderr" == *"did not create"* ]]
	[ "$(cat "$DAMO_SYSFS_ROOT/kdamonds/nr_kdamonds")" = 0 ]
	run -0 --separate-stderr damo features --read-only --json
	[ -z "$stderr" ]
}

@test "no DAMON: said as information, exit 0, with what the embedded monitor can use" {
	export DAMO_SYSFS_ROOT=$BATS_TEST_TMPDIR/none
	run -0 --separate-stderr damo features
	[ -z "$stderr" ]
	[[ "$output" == *"sysfs: no"* ]]
	[[ "$output" == *"kernel_damon: absent: no DAMON sysfs interface"* ]]
	# one row per source of the registry, each yes or no
	for s in pageidle softdirty uffd; do
		grep -qE "^$s +(yes|no) +(reads and writes|writes)" <<<"$output" ||
			{ echo "no row for $s"; false; }
	done
	run -0 --separate-stderr damo features --json
	[ -z "$stderr" ]
	echo "$output" | jq -e '.sysfs == false and .features == []
		and (.kernel_damon | startswith("absent:"))
		and ([.embedded_sources[].name] == ["pageidle", "softdirty", "uffd"])
		and all(.embedded_sources[]; (.usable | type) == "boolean"
			and (if .usable then .why_not == null else (.why_not | length) > 0 end))'
}
