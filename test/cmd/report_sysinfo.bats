#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# damo report sysinfo: damo's sections, features read from a fake kernel
# tree without writing to it.

load ../helpers

@test "report sysinfo: versions and interfaces by default, the DAMON version from the features" {
	make_sysfs 7.2
	before=$(cd "$DAMO_SYSFS_ROOT" && find . | sort)
	run -0 damo report sysinfo
	[[ "${lines[0]}" == "damo version: "* ]]
	[ "${lines[1]}" = "kernel version: $(uname -r)" ]
	[ "${lines[2]}" = "DAMON version: 7.2" ]
	[ "${lines[3]}" = "available DAMON features:" ]
	[ "${lines[4]}" = "- sysfs (5.18)" ]
	[ "$(cd "$DAMO_SYSFS_ROOT" && find . | sort)" = "$before" ]
}

@test "report sysinfo --print picks sections; unknown words are refused" {
	make_sysfs 7.2
	run -0 damo report sysinfo --print fs_info sysfs_features
	[ "${lines[0]}" = "sysfs: $DAMO_SYSFS_ROOT" ]
	[[ "$output" == *"- schemes_quota_goals (6.8)"* ]]
	[[ "$output" != *"damo version"* ]]
	run -0 damo report sysinfo --print versions -j
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/s.json"
	json_check "$BATS_TEST_TMPDIR/s.json" '.damon_version == "7.2" and (.available_features | length) == 0'
	run -0 damo report sysinfo --invalidate_cache
	run -64 damo report sysinfo --print frob
}

@test "report sysinfo without DAMON says so" {
	run -0 damo report sysinfo
	[ "${lines[2]}" = "DAMON version: unknown (no DAMON sysfs interface)" ]
}

@test "features --infer_version says the DAMON version; damo's cache and debug options" {
	make_sysfs 7.2
	run -0 damo features --read-only --infer_version
	[ "${lines[-1]}" = "Seems the version of DAMON is 7.2" ]
	run -0 damo features --read-only --invalidate_cache
	[[ "$output" != *"Seems the version"* ]]
	run -0 damo features --read-only --damon_interface_DEPRECATED sysfs
	run -1 --separate-stderr damo features --debug_damon
	[[ "$stderr" == *"--debug_damon: not built"* ]]
	run -1 --separate-stderr damo stop --all --damon_interface_DEPRECATED debugfs
	[[ "$stderr" == *"sysfs interface only"* ]]
}
