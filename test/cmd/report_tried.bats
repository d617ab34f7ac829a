#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# damo report tried (ours: each scheme's tried regions, from a recording or,
# read only, from a kdamond) and report footprint (damo's footprints over
# the .mem_footprint side file, docs/damo-compat.md §3.5, §4.5).

load ../helpers

setup() {
	FP=$FIXTURES/footprint/damon.data.mem_footprint
	cd "$BATS_TEST_TMPDIR"
	cat > cold.yaml <<-'EOF2'
	- action: pageout
	  access_pattern:
	    sz_bytes: {min: 4 KiB, max: max}
	    nr_accesses: {min: 0 %, max: 0 %}
	    age: {min: 1 s, max: max}
	EOF2
}

record_cold() {
	damo record --source "synthetic:$SRC/examples/workloads/hot-cold.yaml" \
		--duration 3s --scheme cold.yaml -o t.data >/dev/null
}

@test "footprint: vsz, rss and sys_used of the side file, as damo sums them" {
	run -0 --separate-stderr damo report footprint -i "$FP" --raw-number
	[ -z "$stderr" ]
	# pages of 4 KiB summed over the pids; (MemTotal - MemFree) KiB
	[ "${lines[0]}" = '# <percentile> <vsz>' ]
	[ "${lines[1]}" = $'# avr:\t13107200' ]
	[ "${lines[2]}" = '  0        12288000 |****************************************************       |' ]
	[ "${lines[6]}" = '100        13926400 |***********************************************************|' ]
	[ "${lines[7]}" = '# <percentile> <rss>' ]
	[ "${lines[8]}" = $'# avr:\t5406720' ]
	[ "${lines[14]}" = '# <percentile> <sys_used>' ]
	[ "${lines[17]}" = ' 25      8294400000 |********************************************************   |' ]
	[ "${#lines[@]}" -eq 21 ]
}

@test "footprints (damo's name), one metric, --sortby time --all-footprint" {
	run -0 damo report footprints rss -i "$FP" --sortby time --all-footprint --raw_number
	[ "$output" = "$(printf '%s\n' '# <percentile> <rss>' $'# avr:\t5406720' \
		'0 6144000' '1 5775360' '2 5406720' '3 5038080' '4 4669440')" ]
	run -0 damo report footprint sys_used -i "$FP" --range 0 101 50
	[ "$output" = "$(printf '%s\n' '# <percentile> <sys_used>' $'# avr:\t7.820 GiB' \
		'  0       7.629 GiB |********************************************************   |' \
		' 50       7.820 GiB |*********************************************************  |' \
		'100       8.011 GiB |********************************************************** |')" ]
}

@test "footprint --json, and its refusals" {
	run -0 --separate-stderr damo report footprint vsz -i "$FP" --json
	[ -z "$stderr" ]
	printf '%s\n' "$output" > f.json
	json_check f.json 'length == 1 and .[0].metric == "vsz" and .[0].nr_samples == 5 and
		.[0].avr == 13107200 and .[0].percentiles[4] == {"percentile": 100, "bytes": 13926400}'
	run -64 --separate-stderr damo report footprint pss -i "$FP"
	[[ "$stderr" == *"unknown metric 'pss'"* ]]
	run -1 --separate-stderr damo report footprint -i nothere
	[[ "$stderr" == *"nothere"* ]]
	printf '[{"time": 1.5, "footprints": [{"pid": 1, "footprint": {"size": -3}}]}]' > bad
	run -1 --separate-stderr damo report footprint -i bad
	[[ "$stderr" == *"bad:1:"*"non-negative number"* ]]
	printf '[{"footprints": []}]' > bad2
	run -1 --separate-stderr damo report footprint -i bad2
	[[ "$stderr" == *"bad2:1:"*'"footprints" before "time"'* ]]
}

@test "tried from a recording: the last snapshot of each scheme, matching its pattern" {
	record_cold
	run -0 --separate-stderr damo report tried -i t.data --kdamonds cold.yaml
	[ -z "$stderr" ]
	[ "${lines[0]}" = 'kdamond 0 / context 0 / scheme 0: pageout, snapshot 30 of 30' ]
	[ "${lines[1]}" = 'access pattern: size [4.000 KiB, max], nr_accesses [0 %, 0 %], age [1 s, max]' ]
	[[ "${lines[2]}" == *start*end*size*samples*rate%*age*filter-passed*matches ]]
	[[ "${lines[3]}" == *' 1024.000 KiB '*' 1 s '*' yes' ]]
	[ "${lines[5]}" = 'tried 2 regions, 1.129 MiB (0 B passed filters); 2 match the access pattern, 1.129 MiB: pageout would apply to them' ]
	[ "${lines[6]}" = '# region size histogram: <range> <regions> <total size>' ]
	[ "${lines[7]}" = '[ 128.000 KiB,  256.000 KiB)      1  132.000 KiB |**                  |' ]
}

@test "tried without the configuration, --all-snapshots, --no-regions, --json" {
	record_cold
	run -0 --separate-stderr damo report tried -i t.data --no-regions
	[ -z "$stderr" ]
	[ "${lines[0]}" = 'kdamond 0 / context 0 / scheme 0: action unknown (no --kdamonds), snapshot 30 of 30' ]
	[ "${lines[1]}" = 'tried 2 regions, 1.129 MiB (0 B passed filters)' ]
	# FILE.kdamonds is found by itself
	cp cold.yaml t.data.kdamonds
	run -0 damo report tried -i t.data --all-snapshots --json
	printf '%s\n' "$output" > t.json
	json_check t.json 'length == 30 and .[0].snapshot_idx == 0 and .[29].action == "pageout"'
	json_check t.json '.[29] | .nr_regions == 2 and .total_bytes == 1183744 and
		.nr_matching == 2 and .matching_bytes == 1183744 and
		(.regions[0] | .size == 1048576 and .age_us == 1000000 and .matches == true) and
		(.histogram | length == 4) and .histogram[3].nr_regions == 1'
	# a recording without scheme records says so
	run -0 damo report tried -i "$FIXTURES/records/damon.data"
	[ "$output" = "# no scheme records in '$FIXTURES/records/damon.data' (record with --scheme)" ]
}

@test "tried --live reads the kernel's tried regions and writes nothing" {
	make_sysfs 7.2
	S=$DAMO_SYSFS_ROOT/kdamonds/0/contexts/0/schemes/0
	echo 0 > "$S/access_pattern/sz/min"
	echo 18446744073709551615 > "$S/access_pattern/sz/max"
	echo 0 > "$S/access_pattern/nr_accesses/min"
	echo 0 > "$S/access_pattern/nr_accesses/max"
	echo 5 > "$S/access_pattern/age/min"
	echo 4294967295 > "$S/access_pattern/age/max"
	for d in 0 1; do
		mkdir -p "$S/tried_regions/$d"
		echo $((1048576 * (d + 1))) > "$S/tried_regions/$d/start"
		echo $((1048576 * (d + 2))) > "$S/tried_regions/$d/end"
		echo $((d * 3)) > "$S/tried_regions/$d/nr_accesses"
		echo $((d + 7)) > "$S/tried_regions/$d/age"
		echo 4096 > "$S/tried_regions/$d/sz_filter_passed"
	done
	before=$(cd "$DAMO_SYSFS_ROOT" && find . -type f -exec md5sum {} + | sort)
	run -0 --separate-stderr damo report tried --live --json
	[ -z "$stderr" ]
	printf '%s\n' "$output" > l.json
	json_check l.json 'length == 1 and .[0].action == "stat" and .[0].start_time == null'
	json_check l.json '.[0].regions | length == 2 and .[0].matches == true and
		.[1].matches == false and .[1].nr_accesses == 3 and .[1].age_us == 800000'
	json_check l.json '.[0].nr_matching == 1 and .[0].sz_filter_passed == 8192'
	run -0 damo report tried --live --kdamond-idx 0
	[ "${lines[0]}" = 'kdamond 0 / context 0 / scheme 0: stat' ]
	[ "$before" = "$(cd "$DAMO_SYSFS_ROOT" && find . -type f -exec md5sum {} + | sort)" ]
	run -1 --separate-stderr damo report tried --live --kdamond-idx 3
	[[ "$stderr" == *"no kdamond 3"* ]]
	run -64 --separate-stderr damo report tried --live -i t.data
	[[ "$stderr" == *"--live reads the kernel"* ]]
	run -64 --separate-stderr damo report tried --kdamond-idx 0
	[[ "$stderr" == *"--kdamond-idx needs --live"* ]]
}

@test "tried reads damo's own scheme records (its tried-regions snapshots)" {
	run -0 --separate-stderr damo report tried --no-regions \
		-i "$FIXTURES/records/damon.data.snapshot.active"
	[ -z "$stderr" ]
	[ "${lines[0]}" = 'kdamond 0 / context 0 / scheme 0: action unknown (no --kdamonds), snapshot 1 of 1' ]
	[ "${lines[1]}" = 'tried 34 regions, 59.868 GiB (1.213 GiB passed filters)' ]
	[ "${lines[25]}" = '[  16.000 GiB,   32.000 GiB)      1   29.327 GiB |********************|' ]
}
