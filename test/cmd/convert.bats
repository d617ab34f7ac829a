#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# damo convert: every record fixture, whatever its format, to damo's json
# and json_compressed, reading back the same; broken inputs write nothing.

load ../helpers

setup() {
	RECORDS=$FIXTURES/records
	mkdir "$BATS_TEST_TMPDIR/w"
	cd "$BATS_TEST_TMPDIR/w"
}

# The record fixtures (not the README).
fixtures() {
	local f
	for f in "$RECORDS"/*; do
		[ "${f##*/}" = README.md ] || echo "$f"
	done
}

# The first two bytes of file $1 in hex ("789c").
magic() {
	od -An -tx1 -N2 "$1" | tr -d ' \n'
}

# What the report commands read from record file $1.
contents() {
	"$DAMO" report record-info --json --input "$1"
	"$DAMO" report nr_regions --json --input "$1"
	"$DAMO" report wss --json --input "$1"
}

@test "every fixture converts to json and json_compressed with the same content" {
	local f n=0 fmt want
	for f in $(fixtures); do
		n=$((n + 1))
		want=$(contents "$f")
		[ -n "$want" ]
		for fmt in json json_compressed; do
			run -0 --separate-stderr damo convert "$f" --format "$fmt" -o "$n.$fmt"
			[ -z "$stderr" ]
			[[ $output == "converted "*" from '$f' ("*") to '$n.$fmt' ($fmt)" ]]
			[ "$(contents "$n.$fmt")" = "$want" ] ||
				{ echo "$f: $fmt reads back differently"; false; }
		done
		[ "$(magic "$n.json_compressed")" = 789c ]
		jq -e 'type == "array"' "$n.json" >/dev/null
	done
	[ "$n" -ge 10 ]
}

@test "json_compressed is the default and decompresses to the json" {
	run -0 damo convert "$RECORDS/perf.data.script" -o a.data
	[ "$(magic a.data)" = 789c ]
	run -0 damo convert "$RECORDS/perf.data.script" --format json -o a.json
	python3 -c 'import sys, zlib; sys.stdout.write(zlib.decompress(open(sys.argv[1], "rb").read()).decode())' a.data >b.json
	cmp a.json b.json
	# damo's --output_type and --output-type are other names of --format
	run -0 damo convert a.data --output_type json -o c.json
	cmp a.json c.json
	run -0 damo convert a.data --output-type json -o d.json
	cmp a.json d.json
}

@test "converting a converted file again is byte-identical" {
	local f
	for f in $(fixtures); do
		run -0 damo convert "$f" --format json -o a.json
		run -0 damo convert a.json --format json -o b.json
		cmp a.json b.json
		run -0 damo convert a.json -o a.z
		run -0 damo convert a.z -o b.z
		cmp a.z b.z
		rm -f a.json b.json a.z b.z ./*.old
	done
}

@test "--json prints the summary object" {
	run -0 --separate-stderr damo convert --json "$RECORDS/damon.data.legacy_binary" -o l.data
	[ -z "$stderr" ]
	printf '%s\n' "$output" >s.json
	json_check s.json '.input | endswith("damon.data.legacy_binary")'
	json_check s.json '.input_format == "record" and .output == "l.data" and .format == "json_compressed"'
	json_check s.json '.records == 1 and .snapshots == 543 and .regions == 9773'
	run -0 damo convert --json "$RECORDS/perf.data.script" --format json -o p.json
	printf '%s\n' "$output" >s.json
	json_check s.json '.input_format == "perf_script" and .format == "json"'
	json_check s.json '.snapshots == 562 and .regions == 10260'
}

@test "an existing output is renamed .old" {
	echo old >out.data
	run -0 damo convert "$RECORDS/damon.data" -o out.data
	[ "$(cat out.data.old)" = old ]
	[ "$(magic out.data)" = 789c ]
}

@test "a truncated or corrupt input fails with its position and writes nothing" {
	head -c 30000 "$RECORDS/damon.data" >t.z
	head -c 100000 "$RECORDS/damon.data.legacy_binary" >t.bin
	"$DAMO" convert "$RECORDS/damon.data" --format json -o full.json
	head -c 2000000 full.json >t.json
	printf '[{"kdamond_idx": "x"' >c.json
	local f
	for f in t.z t.bin t.json c.json; do
		run -1 --separate-stderr damo convert "$f" -o out.data
		[[ $stderr == "damo: error: $f"* ]] || { echo "$f: $stderr"; false; }
		[ ! -e out.data ] && [ ! -e out.data.tmp ]
	done
	[[ $stderr == *"c.json:1:"* ]]
	# an existing output is left as it was
	echo keep >out.data
	run -1 --separate-stderr damo convert t.json -o out.data
	[[ $stderr == "damo: error: t.json:"*":"*": "* ]]
	[ "$(cat out.data)" = keep ]
	[ ! -e out.data.old ] && [ ! -e out.data.tmp ]
	run -1 --separate-stderr damo convert --json t.bin -o out.data
	printf '%s\n' "$output" >e.json
	json_check e.json '.error | test("t.bin: byte [0-9]+")'
	run -1 damo convert nonexistent -o out.data
	[ "$(cat out.data)" = keep ]
}

@test "usage errors exit 64" {
	run -64 damo convert "$RECORDS/damon.data"
	[[ $output == *"-o/--output is required"* ]]
	[ ! -e damon.data ]
	run -64 damo convert -o x.data
	run -64 damo convert "$RECORDS/damon.data" "$RECORDS/damon.data" -o x.data
	run -64 damo convert "$RECORDS/damon.data" --format perf_script -o x.data
	[ ! -e x.data ]
}

@test "every fixture through native gives the json that converting it directly gives" {
	local f n
	for f in $(fixtures); do
		n=${f##*/}
		run -0 --separate-stderr damo convert "$f" --format native -o "$n.native"
		[ -z "$stderr" ]
		[[ $output == *" to '$n.native' (native)" ]]
		[ "$(od -An -tx1 -N8 "$n.native" | tr -d ' \n')" = 89444d520d0a1a0a ]
		run -0 damo convert "$n.native" --format json -o "$n.via.json"
		run -0 damo convert "$f" --format json -o "$n.direct.json"
		cmp "$n.via.json" "$n.direct.json"
		# and the report commands read the same numbers from it
		[ "$(contents "$n.native")" = "$(contents "$f")" ]
		# native is smaller than damo's compressed json
		run -0 damo convert "$f" -o "$n.z"
		[ "$(stat -c %s "$n.native")" -lt "$(stat -c %s "$n.z")" ]
	done
}

@test "native to json_compressed to native keeps every number" {
	run -0 damo convert "$RECORDS/damon.data.snapshot.anon" --format native -o a.native
	run -0 damo convert a.native --format json_compressed -o a.z
	run -0 damo convert a.z --format native -o b.native
	run -0 damo convert a.native --format json -o a.json
	run -0 damo convert b.native --format json -o b.json
	cmp a.json b.json
	# probe hits, stats, filters, sz_filter_passed are in there
	json_check a.json '.[0].scheme_filters | length > 0'
	json_check a.json '[.[0].snapshots[].damos_stats | has("nr_tried")] | all'
	json_check a.json '[.[0].snapshots[].regions[] | .sz_filter_passed > 0] | any'
}

@test "a cut native input converts up to its last chunk, with a warning" {
	# a chunk every 64 snapshots: several chunks in 300
	run -0 damo record --source "synthetic:$SRC/examples/workloads/stairs.yaml" \
		--duration 30s -o full.native
	local size
	size=$(stat -c %s full.native)
	head -c $((size / 2)) full.native >cut.native
	run -0 --separate-stderr damo convert cut.native --format json -o cut.json
	[[ $stderr == "damo: warning: cut.native: cut at byte $((size / 2)) (after the last whole chunk at byte "*")"* ]]
	[[ $output == "converted 1 records with "*" snapshots"* ]]
	json_check cut.json '.[0].snapshots | length > 0 and length < 300'
	# a damaged chunk is an error at its offset, and nothing is written
	cp full.native bad.native
	printf '\x00\x00\x00\x00' | dd of=bad.native bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
	run -1 --separate-stderr damo convert bad.native --format native -o out.native
	[[ $stderr == "damo: error: bad.native: byte "*"CRC32C mismatch"* ]]
	[ ! -e out.native ] && [ ! -e out.native.tmp ]
}
