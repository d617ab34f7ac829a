#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# damo record on the synthetic source: workload models in virtual time,
# written in damo's JSON record format (plain and zlib-compressed).

load ../helpers

setup() {
	MODELS=$SRC/examples/workloads
	# bats keeps its own files in BATS_TEST_TMPDIR
	mkdir "$BATS_TEST_TMPDIR/w"
	cd "$BATS_TEST_TMPDIR/w"
}

# The JSON text of record file $1 (json_compressed), on stdout.
inflate() {
	python3 -c 'import sys, zlib; sys.stdout.write(zlib.decompress(open(sys.argv[1], "rb").read()).decode())' "$1"
}

# The first two bytes of file $1 in hex ("789c").
magic() {
	od -An -tx1 -N2 "$1" | tr -d ' \n'
}

@test "every shipped model records, compressed, with sane snapshots" {
	local m
	for m in stairs zigzag hot-cold growing; do
		run -0 --separate-stderr damo record --format json_compressed \
			--source "synthetic:$MODELS/$m.yaml" --duration 3s -o "$m.data"
		[ -z "$stderr" ]
		[[ $output == "recorded 30 snapshots with "*" regions of the model in 3 s of virtual time (duration, "*" of wall time) to '$m.data' (json_compressed)" ]]
		[ "$(magic "$m.data")" = 789c ]
		inflate "$m.data" >"$m.json"
		json_check "$m.json" 'length == 1'
		json_check "$m.json" '.[0] | .kdamond_idx == 0 and .context_idx == 0 and .scheme_idx == null and .target_id == 0'
		json_check "$m.json" '.[0].intervals | .sample_us == "5000" and .aggr_us == "100000"'
		json_check "$m.json" '.[0].snapshots | length == 30'
		# default --monitoring-nr-regions-range: 10 1000
		json_check "$m.json" '[.[0].snapshots[].regions | length] | min >= 10 and max <= 1000'
		json_check "$m.json" '[.[0].snapshots[] | (.regions | map(.end - .start) | add) == (.total_bytes | tonumber)] | all'
		json_check "$m.json" '.[0].snapshots[-1].end_time == "3000000000"'
	done
}

@test "the number of regions stays in the range given" {
	run -0 damo record --source "synthetic:$MODELS/zigzag.yaml" --duration 5s \
		--monitoring-nr-regions-range 20 40 --format json -o z.json
	json_check z.json '[.[0].snapshots[].regions | length] | min >= 20 and max <= 40'
}

@test "json is the same text, uncompressed, as Python's json.dumps(indent=4)" {
	run -0 damo record --source "synthetic:$MODELS/stairs.yaml" --duration 1s \
		--format json -o s.json
	[ "$(head -c 1 s.json)" = "[" ]
	run -0 damo record --source "synthetic:$MODELS/stairs.yaml" --duration 1s \
		--format json_compressed -o s.data
	inflate s.data | cmp - s.json
	run -0 python3 -c 'import json, sys, zlib
t = open("s.json").read()
assert json.dumps(json.loads(t), indent=4) == t
assert zlib.compress(t.encode()) == open("s.data", "rb").read()'
}

@test "the hot-cold model's hottest regions lie in its hot spot" {
	# the first phase (2 s) has the hot spot at the area's first 8 MiB
	run -0 damo record --source "synthetic:$MODELS/hot-cold.yaml" \
		--duration 1900ms --format json -o hc.json
	local lo=$((0x7f0000000000)) hi=$((0x7f0000000000 + 8 * 1024 * 1024))
	json_check hc.json "[.[0].snapshots[-5:][] | .regions | max_by(.nr_accesses.samples) |
		.start < $hi and .end > $lo and .nr_accesses.samples >= 10] | all"
	# and the cold rest is seen as cold: nothing outside is that hot
	json_check hc.json "[.[0].snapshots[-1].regions[] | select(.start >= $hi) |
		.nr_accesses.samples] | max < 10"
}

@test "the same seed gives the same bytes, another seed other bytes" {
	run -0 damo record --source "synthetic:$MODELS/zigzag.yaml" --duration 4s --seed 42 -o a.data
	run -0 damo record --source "synthetic:$MODELS/zigzag.yaml" --duration 4s --seed 42 -o b.data
	run -0 damo record --source "synthetic:$MODELS/zigzag.yaml" --duration 4s --seed 43 -o c.data
	cmp a.data b.data
	! cmp -s a.data c.data
	# the default seed is 0
	run -0 damo record --source "synthetic:$MODELS/zigzag.yaml" --duration 4s -o d.data
	run -0 damo record --source "synthetic:$MODELS/zigzag.yaml" --duration 4s --seed 0 -o e.data
	cmp d.data e.data
}

@test "an existing output is renamed .old, as damo does" {
	run -0 damo record --source "synthetic:$MODELS/stairs.yaml" --duration 1s -o out.data
	cp out.data first
	run -0 damo record --source "synthetic:$MODELS/stairs.yaml" --duration 1s --seed 1 -o out.data
	cmp first out.data.old
	! cmp -s out.data out.data.old
	[ ! -e out.data.tmp ]
}

@test "schemes add a record each, with tried regions and stats" {
	cat >stat.yaml <<-'EOF'
	- action: stat
	  access_pattern:
	    sz_bytes: {min: 0, max: max}
	    nr_accesses: {min: 50 %, max: max}
	    age: {min: 0, max: max}
	  filters:
	    - {filter_type: anon, matching: true, allow: true}
	EOF
	run -0 --separate-stderr damo record --source "synthetic:$MODELS/stairs.yaml" \
		--duration 3s --damos-action pageout --damos-access-rate 0% 0% \
		--damos-age 1s max --scheme stat.yaml --format json -o s.json --json
	[ -z "$stderr" ]
	printf '%s\n' "$output" >summary.json
	json_check summary.json '.records == 3 and .snapshots == 30 and .scheme_snapshots == 60'
	json_check s.json 'length == 3'
	json_check s.json '[.[] | .scheme_idx] == [null, 0, 1]'
	json_check s.json '[.[] | .target_id] == [0, null, null]'
	json_check s.json '.[2].scheme_filters[0] | .filter_type == "anon" and .allow == true'
	json_check s.json '[.[1:][] | .snapshots | length] == [30, 30]'
	json_check s.json '[.[1:][].snapshots[] | .damos_stats | has("nr_tried") and has("sz_applied")] | all'
	# pageout: cold regions, tried and applied (counted, never done)
	json_check s.json '.[1].snapshots[-1].damos_stats | (.nr_tried | tonumber) > 0 and .sz_applied == .sz_tried'
	json_check s.json '[.[1].snapshots[].regions[] | .nr_accesses.samples] | max == 0'
	# stat of hot memory: the hot stair, every byte anonymous
	json_check s.json '[.[2].snapshots[-1].regions[] | .nr_accesses.samples >= 10 and .sz_filter_passed == .end - .start] | all'
	json_check s.json '.[2].snapshots[-1].damos_stats | .sz_applied == "0" and (.sz_ops_filter_passed | tonumber) > 0'
	json_check s.json '.[0].snapshots[-1].damos_stats == null'
}

@test "--json prints one summary object" {
	run -0 --separate-stderr damo record --json --source "synthetic:$MODELS/growing.yaml" \
		--duration 2s -o g.data
	[ -z "$stderr" ]
	printf '%s\n' "$output" >out.json
	json_check out.json '.output == "g.data" and .format == "native" and .seed == 0'
	json_check out.json '.records == 1 and .snapshots == 20 and .regions >= 200'
	json_check out.json '.virtual_us == 2000000 and (.wall_us | type) == "number"'
}

@test "--realtime monitors on the wall clock, in real time" {
	run -0 damo record --json --realtime --source "synthetic:$MODELS/stairs.yaml" \
		--duration 1s --format json -o r.json
	printf '%s\n' "$output" >out.json
	# 10 aggregations of 100 ms; a loaded machine's late samples fewer
	json_check out.json '.wall_us >= 1000000 and .snapshots >= 2'
	# CLOCK_REALTIME nanoseconds: after 2020
	json_check r.json '.[0].snapshots[0].start_time | tonumber > 1577836800000000000'
}

@test "fvaddr models monitor their mappings as they are" {
	cat >fixed.yaml <<-'EOF'
	ops: fvaddr
	mappings:
	  - {name: a, start: 1 GiB, size: 16 MiB}
	phases:
	  - duration_us: 0
	    ranges:
	      - {mapping: a, offset: 4 MiB, size: 4 MiB, access_bp: 100 %}
	EOF
	run -0 damo record --source synthetic:fixed.yaml --duration 2s --format json -o f.json
	json_check f.json '[.[0].snapshots[] | .regions[0].start == 1073741824 and .regions[-1].end == 1090519040] | all'
	json_check f.json '.[0].snapshots[-1].regions | max_by(.nr_accesses.samples) |
		.start >= 1077936128 and .end <= 1082130432 and .nr_accesses.samples == 20'
}

@test "a bad model is reported with its file, line and column" {
	cat >bad.yaml <<-'EOF'
	ops: fvaddr
	mappings:
	  - {name: a, start: 0x100000, size: 1 MiB}
	phases:
	  - duration_us: 1 s
	    ranges:
	      - {mapping: a, offset: 0, size: 4 KiB, access_bp: 120 %}
	EOF
	echo keep >out.data
	run -1 --separate-stderr damo record --source synthetic:bad.yaml --duration 1s -o out.data
	[ -z "$output" ]
	[ "$stderr" = "damo: error: bad.yaml:7:57: phases[0].ranges[0].access_bp: a chance above 100 % (10000 bp)" ]
	[ "$(cat out.data)" = keep ]
	[ ! -e out.data.old ] && [ ! -e out.data.tmp ]
	run -1 --separate-stderr damo record --json --source synthetic:bad.yaml --duration 1s -o out.data
	[ -z "$stderr" ]
	printf '%s\n' "$output" >err.json
	json_check err.json '.error | startswith("bad.yaml:7:57: ")'
	run -1 --separate-stderr damo record --source synthetic:missing.yaml --duration 1s
	[ "$stderr" = "damo: error: missing.yaml: cannot open: No such file or directory" ]
	[ ! -e damon.data ]
}

@test "--model FILE is --source synthetic:FILE, byte for byte" {
	run -0 damo record --model "$MODELS/stairs.yaml" --duration 2s --seed 3 -o a.data
	[[ $output == "recorded 20 snapshots with "*" regions of the model in 2 s of virtual time (duration, "* ]]
	run -0 damo record --source "synthetic:$MODELS/stairs.yaml" --duration 2s --seed 3 -o b.data
	cmp a.data b.data
	run -64 --separate-stderr damo record --model "$MODELS/stairs.yaml" --duration 2s --source uffd
	[[ $stderr == *"--model records a workload model; an ID, a command, --backend, --source and --snapshot are for monitoring a process"* ]]
}

@test "usage errors exit with 64 and write nothing" {
	run -64 --separate-stderr damo record --source "synthetic:$MODELS/stairs.yaml"
	[[ $stderr == *"--duration is required"* ]]
	run -64 --separate-stderr damo record --duration 1s
	[[ $stderr == *"what to record: a running monitor's ID, --target-pid PID, a command after '--', or --model FILE"* ]]
	run -64 --separate-stderr damo record --source "synthetic:$MODELS/stairs.yaml" --duration 0
	[[ $stderr == *"'0' is not a time above 0"* ]]
	run -64 --separate-stderr damo record --source "synthetic:$MODELS/stairs.yaml" \
		--duration 1s --format perf_data
	run -64 --separate-stderr damo record --source "synthetic:$MODELS/stairs.yaml" \
		--duration 1s --target-pid 1
	[[ $stderr == *"--target-pid: the workload model gives the target"* ]]
	# neither a kdamond id nor any of damo's targets
	run -64 --separate-stderr damo record --duration 1s 12x
	[[ $stderr == *"target '12x' is not a pid, a command, a kdamonds file"* ]]
	run -64 --separate-stderr damo record --source "synthetic:$MODELS/stairs.yaml" \
		--duration 1s 0
	[[ $stderr == *"--model records a workload model; an ID, a command"* ]]
	run -64 --separate-stderr damo record 0 --realtime
	[[ $stderr == *"--realtime is for --model"* ]]
	run -64 --separate-stderr damo record 0 --target-pid 1
	[[ $stderr == *"give its ID, or DAMON options and a command, not both"* ]]
	run -64 --separate-stderr damo record --target-pid 1 -- true
	[[ $stderr == *"--target-pid: the command after '--' is the target"* ]]
	run -64 --separate-stderr damo record --
	[[ $stderr == *"no command after '--'"* ]]
	# damo's --snapshot DELAY COUNT: the number after DELAY is COUNT
	run -64 --separate-stderr damo record 0 --snapshot 1 0
	[[ $stderr == *"--snapshot: COUNT '0' is not a number of snapshots above 0"* ]]
	run -64 --separate-stderr damo record --snapshot 1 3 \
		--source "synthetic:$MODELS/stairs.yaml" --duration 1s
	[[ $stderr == *"--model records a workload model; an ID, a command, --backend, --source and --snapshot"* ]]
	[ -z "$(ls)" ]
}

@test "a source that is not one, and a model the monitor refuses, leave the output untouched" {
	echo keep >out.data
	run -64 --separate-stderr damo record --source kernel --duration 1s -o out.data
	[[ $stderr == *"--source: 'kernel' is not a source (auto, "*"; a workload model is --model FILE)"* ]]
	run -64 --separate-stderr damo record --source synthetic: --duration 1s -o out.data
	[[ $stderr == *"--source: 'synthetic:' names no model file"* ]]
	run -1 --separate-stderr damo record --source "synthetic:$MODELS/stairs.yaml" \
		--duration 1s --damos-action lru_prio -o out.data
	[[ $stderr == *"action 'lru_prio' is not supported by ops 'vaddr'"* ]]
	[ "$(cat out.data)" = keep ]
	[ "$(ls)" = out.data ]
}

@test "native is the default: its magic, and the same numbers as json" {
	run -0 --separate-stderr damo record --source "synthetic:$MODELS/hot-cold.yaml" \
		--duration 3s --damos-action stat -o n.data
	[ -z "$stderr" ]
	[[ $output == *"to 'n.data' (native)" ]]
	[ "$(od -An -tx1 -N8 n.data | tr -d ' \n')" = 89444d520d0a1a0a ]
	run -0 damo record --source "synthetic:$MODELS/hot-cold.yaml" \
		--duration 3s --damos-action stat --format json -o j.json
	# (read back: every reader gives a record without one data_source "unknown")
	run -0 damo convert j.json --format json -o j2.json
	run -0 damo convert n.data --format json -o n.json
	cmp n.json j2.json
	# the same seed gives the same native bytes too (no wall clock inside)
	run -0 damo record --source "synthetic:$MODELS/hot-cold.yaml" \
		--duration 3s --damos-action stat -o n2.data
	cmp n.data n2.data
	# json_compressed is much bigger than native on the same snapshots
	run -0 damo record --source "synthetic:$MODELS/hot-cold.yaml" \
		--duration 3s --damos-action stat --format json_compressed -o c.data
	[ "$(stat -c %s n.data)" -lt "$(stat -c %s c.data)" ]
}

@test "a recording killed with -9 reads back to its last chunk, with a warning" {
	damo record --realtime --source "synthetic:$MODELS/stairs.yaml" \
		--duration 60s -o k.data >/dev/null 2>&1 3>&- &
	local pid=$!
	sleep 3
	kill -9 "$pid"
	wait "$pid" || true
	[ -s k.data ]
	run -0 --separate-stderr damo report record-info --json -i k.data
	[[ $stderr == "damo: warning: k.data: cut at byte $(stat -c %s k.data) (after the last whole chunk at byte "*"): the recording was not finished"* ]]
	printf '%s\n' "$output" >info.json
	# snapshots come every 100 ms and chunks at least every second:
	# at most the last second of the 3 is lost (less a loaded machine's
	# start-up time)
	json_check info.json '.[0].nr_snapshots >= 5 and .[0].nr_snapshots <= 30'
	# and it converts, with the same warning, to a file that is whole
	run -0 --separate-stderr damo convert k.data --format native -o whole.data
	[[ $stderr == *"k.data: cut at byte"* ]]
	run -0 --separate-stderr damo report record-info -i whole.data
	[ -z "$stderr" ]
}

@test "a recording of fewer than two snapshots says so, and why" {
	run -0 --separate-stderr damo record --model "$MODELS/stairs.yaml" --duration 150ms -o one.data
	[[ $output == "recorded 1 snapshots with "* ]]
	[ "$stderr" = "damo: warning: only 1 snapshot in ${stderr#*snapshot in }" ]
	[[ $stderr == *": each is one aggregation interval (100 ms here); record longer or with a shorter aggregation interval" ]]
	run -0 --separate-stderr damo record --model "$MODELS/stairs.yaml" --duration 2s -o two.data
	[ -z "$stderr" ]
}

@test "record filters (damo's --sz_region, --access_rate, --snapshot_idx...): the file keeps what passes" {
	local m=$MODELS/stairs.yaml
	damo record --model "$m" --duration 3s --seed 1 -o all.data >/dev/null
	run -0 damo record --model "$m" --duration 3s --seed 1 -o rate.data \
		--access_rate 1 100
	damo record --model "$m" --duration 3s --seed 1 -o idx.data \
		--sz_region 1M max --snapshot_idx 2 5 >/dev/null
	# what report shows of the filtered file is what it shows of the whole
	# one through the same filters
	damo report access -i rate.data >a
	damo report access -i all.data --access_rate 1 100 >b
	cmp a b
	damo report access -i idx.data >a
	damo report access -i all.data --sz_region 1M max --snapshot_idx 2 5 >b
	cmp a b
	damo convert --format json -o idx.json idx.data >/dev/null
	json_check idx.json '.[0].snapshots | length == 4'
	json_check idx.json '[.[0].snapshots[].regions[] | (.end | tonumber) - (.start | tonumber) >= 1048576] | all'
	run -64 --separate-stderr damo record --model "$m" --duration 1s --access_rate 5
	[ ! -e damon.data ]
}

@test "--do_record: access and mem_footprint are recorded, the others said not to be" {
	local m=$MODELS/stairs.yaml
	run -0 --separate-stderr damo record --model "$m" --duration 1s -o a.data \
		--do_record access vmas
	[ "$stderr" = "damo: warning: --do-record vmas: not recorded by damo (C)" ]
	damo convert --format json -o a.json a.data >/dev/null
	json_check a.json '.[0].snapshots | length == 10'
	# without access: no snapshot, and no complaint about it
	run -0 --separate-stderr damo record --model "$m" --duration 1s -o f.data \
		--do-record mem_footprint
	[ -z "$stderr" ]
	damo convert --format json -o f.json f.data >/dev/null
	json_check f.json '[.[].snapshots | length] | add == 0'
	run -64 --separate-stderr damo record --model "$m" --duration 1s \
		--do_record access bogus
	[[ "$stderr" == *"--do-record: 'bogus' is not access, cpu_profile,"* ]]
	[ ! -e damon.data ]
}

@test "--output_permission: the file's mode, 600 by default, as damo" {
	local m=$MODELS/stairs.yaml
	damo record --model "$m" --duration 1s -o a.data >/dev/null
	damo record --model "$m" --duration 1s -o b.data --output_permission 644 >/dev/null
	damo record --model "$m" --duration 1s -o c.data --format json \
		--output-permission 640 >/dev/null
	[ "$(stat -c %a a.data b.data c.data | tr '\n' ' ')" = '600 644 640 ' ]
	run -64 --separate-stderr damo record --model "$m" --duration 1s \
		--output_permission 999
	[[ "$stderr" == *"--output-permission: '999' is not an octal mode (000 to 777)"* ]]
	[ ! -e damon.data ]
}
