#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# damo report heatmap beyond damo's text: record selection, colour sets,
# PNG and SVG images, and the interactive viewer (in tmux).  A synthetic
# record with a known hot block (test/fixtures/workloads/hot-block.yaml:
# offsets 40-48 MiB of a 64 MiB area at 0x7f0000000000) tells where the
# heat must be.

load ../helpers

setup() {
	T=$BATS_TEST_TMPDIR
	PNGINFO=${DAMO_PNGINFO:-$SRC/build/test/pnginfo}
	HB=$T/hb.data
	damo record --source "synthetic:$FIXTURES/workloads/hot-block.yaml" \
		--duration 10s -o "$HB" 2>/dev/null
}

teardown() {
	[ -z "${TMUX_SOCK:-}" ] || tmux -S "$TMUX_SOCK" kill-server 2>/dev/null || true
}

# A record of two targets: the hot block (target 0, kdamond 0) and the
# stairs workload (target 42, kdamond 1, the larger one).
two_targets() {
	damo record --source "synthetic:$FIXTURES/workloads/hot-block.yaml" \
		--duration 2s --format json -o "$T/a.json" 2>/dev/null
	damo record --source "synthetic:$SRC/examples/workloads/stairs.yaml" \
		--duration 2s --format json -o "$T/b.json" 2>/dev/null
	jq -s '[.[0][0], (.[1][0] | .target_id = 42 | .kdamond_idx = 1)]' \
		"$T/a.json" "$T/b.json" >"$T/two.json"
}

# The row and column of the hottest cell of JSON map file $1.
hottest_cell() {
	jq -r '.[0].heats | [to_entries[] | .key as $r | .value | to_entries[] |
		select(.value != null) | [.value, $r, .key]] | max_by(.[0]) |
		"\(.[1]) \(.[2])"' "$1"
}

@test "the hottest cells of a synthetic record sit on its hot block" {
	run -0 --separate-stderr damo report heatmap -i "$HB" --resol 10 32 --json
	[ -z "$stderr" ]
	printf '%s\n' "$output" >"$T/m.json"
	# 2 MiB columns: the block is columns 20 to 23; after the first
	# second (DAMON still splitting regions) every row peaks there
	json_check "$T/m.json" '.[0].addr_start == 139637976727552 and
		.[0].addr_unit == 2097152 and .[0].heat_unit == "hz" and
		.[0].target_id == 0 and
		([.[0].heats[1:][] | to_entries | max_by(.value) | .key] |
		 all(. >= 20 and . <= 23))'
	run -0 damo report heatmap -i "$HB" --resol 10 32 --no-color
	[ "${lines[9]:20:4}" != 0000 ]
	[ "${lines[9]:0:20}" = 00000000000000000000 ]
	[ "${lines[10]}" = '# access_frequency: 0123456789 (0.000-1046.000 hz)' ]
}

@test "PNG: decodes at the laid out size, the hottest cell in the hot colour" {
	run -0 --separate-stderr damo report heatmap -i "$HB" --resol 10 16 \
		--output "$T/h.png"
	[ -z "$output" ] && [ -z "$stderr" ]
	[ ! -e "$T/h.png.tmp" ]
	# with --json the image is written too, its numbers printed
	damo report heatmap -i "$HB" --resol 10 16 --json \
		--output "$T/h2.png" >"$T/m.json"
	cmp "$T/h.png" "$T/h2.png"
	read -r row col < <(hottest_cell "$T/m.json")
	# 16 address columns of 40 MiB..48 MiB's 4 MiB cells: 10 or 11
	[ "$col" -ge 10 ] && [ "$col" -le 11 ]
	# cells of 500/10 x 500/16 pixels from (100, 60), time along x,
	# addresses upwards; legend and margins around: 730 x 608
	x=$((100 + row * 50 + 25))
	y=$((60 + 16 * 31 - (col + 1) * 31 + 15))
	run -0 "$PNGINFO" "$T/h.png" "$x" "$y" 0 0
	[ "${lines[0]}" = '730 608' ]
	# viridis' hot end, on white paper
	[ "${lines[1]}" = '#fde725' ]
	[ "${lines[2]}" = '#ffffff' ]
	# the colour scale legend runs from viridis' cold to its hot end
	run -0 "$PNGINFO" "$T/h.png" 630 60 630 555
	[ "${lines[1]}" = '#fde725' ]
	[ "${lines[2]}" = '#440154' ]
}

@test "SVG: well-formed XML whose cells cover the grid, with labelled axes" {
	run -0 --separate-stderr damo report heatmap -i "$HB" --resol 10 16 \
		--output "$T/h.svg"
	[ -z "$stderr" ]
	damo report heatmap -i "$HB" --resol 10 16 --json >"$T/m.json"
	read -r row col < <(hottest_cell "$T/m.json")
	run -0 python3 - "$T/h.svg" "$row" "$col" <<-'PY'
	import sys, xml.etree.ElementTree as ET
	ns = {'s': 'http://www.w3.org/2000/svg'}
	root = ET.parse(sys.argv[1]).getroot()
	row, col = int(sys.argv[2]), int(sys.argv[3])
	print(root.get('width'), root.get('height'))
	rects = root.findall('.//s:g/s:rect', ns)
	print(sum(int(r.get('data-cells')) for r in rects))
	x, y = 100 + row * 50 + 25, 60 + 16 * 31 - (col + 1) * 31 + 15
	for r in rects:
	    rx, ry = int(r.get('x')), int(r.get('y'))
	    if rx <= x < rx + int(r.get('width')) and ry <= y < ry + int(r.get('height')):
	        print(r.get('class'), r.get('fill'))
	for t in root.findall('.//s:text', ns):
	    print('text:', t.text)
	PY
	[ "${lines[0]}" = '730 608' ]
	[ "${lines[1]}" = 160 ]
	[ "${lines[2]}" = 'cell #fde725' ]
	[[ "$output" == *'text: damo heatmap of target 0'* ]]
	[[ "$output" == *'text: address, from 0x7f0000000000 (127.000 TiB)'* ]]
	[[ "$output" == *'text: time, from 0 ns'* ]]
	[[ "$output" == *'text: 5 s'* ]]
	[[ "$output" == *'text: 32.000 MiB'* ]]
	[[ "$output" == *'text: hz'* ]]
	# --output-format decides whatever the name says
	run -0 damo report heatmap -i "$HB" --output "$T/plot" --output-format svg
	run -0 head -c 5 "$T/plot"
	[ "$output" = '<?xml' ]
}

@test "images: unknown extensions refused, failures leave no file behind" {
	run -64 --separate-stderr damo report heatmap -i "$HB" --output "$T/h.jpg"
	[[ "$stderr" == *"'$T/h.jpg' is not stdout, raw, nor a file name ending in .png or .svg"* ]]
	run -64 --separate-stderr damo report heatmap -i "$HB" --output-format gif \
		--output "$T/h.png"
	[[ "$stderr" == *"unknown format 'gif'"* ]]
	run -1 --separate-stderr damo report heatmap -i "$HB" --output "$T/no/h.png"
	[ "$stderr" = "damo: error: cannot create '$T/no/h.png': No such file or directory" ]
	mkdir "$T/dir.png"
	run -1 --separate-stderr damo report heatmap -i "$HB" --output "$T/dir.png"
	[[ "$stderr" == "damo: error: cannot rename '$T/dir.png':"* ]]
	[ ! -e "$T/dir.png.tmp" ]
	[ -z "$(ls "$T/dir.png")" ]
}

@test "images: --draw-range all writes one numbered file per region" {
	two_targets
	run -0 damo report heatmap -i "$T/two.json" --draw-range all \
		--resol 20 20 --output "$T/r.png"
	[ -f "$T/r.1.png" ] && [ -f "$T/r.2.png" ] && [ -f "$T/r.3.png" ]
	[ ! -e "$T/r.png" ] && [ ! -e "$T/r.4.png" ]
}

@test "record selection: --tid, --kdamond-idx and damo's spellings" {
	two_targets
	run -0 damo report heatmap -i "$T/two.json" --resol 2 4 --json
	printf '%s\n' "$output" >"$T/o.json"
	json_check "$T/o.json" '.[0].target_id == 42 and .[0].kdamond_idx == 1'
	run -0 damo report heatmap -i "$T/two.json" --resol 2 4 --json --tid 0
	printf '%s\n' "$output" >"$T/o.json"
	json_check "$T/o.json" '.[0].target_id == 0 and .[0].kdamond_idx == 0 and
		.[0].addr_start == 139637976727552'
	run -0 damo report heatmap -i "$T/two.json" --resol 2 4 --json \
		--kdamond_idx 0 --context_idx 0
	printf '%s\n' "$output" >"$T/o.json"
	json_check "$T/o.json" '.[0].target_id == 0'
	run -0 damo report heatmap -i "$T/two.json" --guide --kdamond-idx 1
	[ "${lines[2]}" = 'target_id: 42' ]
	[ "${#lines[@]}" -eq 7 ]
	run -0 damo report heatmap -i "$T/two.json" --guide-human --tid 0
	[ "${lines[3]}" = 'time: [0 ns, 2 s) (2 s)' ]
	run -1 --separate-stderr damo report heatmap -i "$T/two.json" --tid 7 \
		--scheme-idx 1
	[ "${stderr%%$'\n'*}" = "damo: error: '$T/two.json' has no record of target 7, scheme 1" ]
	run -64 damo report heatmap -i "$T/two.json" --tid x
}

@test "--time-range and --address-range take damo's BASE" {
	run -0 damo report heatmap -i "$HB" --resol 4 8 --no-color \
		--time-range -4s 0 guided_end --address-range 32MiB 64MiB guided
	[ "${lines[5]}" = '# x-axis: space [127.000031 TiB, 127.000061 TiB) (32.000 MiB)' ]
	[ "${lines[6]}" = '# y-axis: time [6 s, 10 s) (4 s)' ]
	run -0 damo report heatmap -i "$HB" --resol 4 8 --no-color \
		--time_range 1s 3s guided
	[ "${lines[6]}" = '# y-axis: time [1 s, 3 s) (2 s)' ]
	run -64 --separate-stderr damo report heatmap -i "$HB" --time-range 1s 2s nowhere
	[[ "$stderr" == *"invalid base 'nowhere'"* ]]
	run -64 damo report heatmap -i "$HB" --time-range -1s 2s
	run -1 damo report heatmap -i "$HB" --time-range -20s 0 guided_end
}

@test "colour sets: viridis in 256 colours, truecolor where the terminal says" {
	run -0 damo report heatmap -i "$HB" --resol 2 4 --color always \
		--stdout-colorset viridis
	# viridis' ten levels in the 256 palette: cold is 53, hot 220
	[[ "${lines[2]}" == *$'\e[48;5;53m\e[38;5;255m0'*$'\e[48;5;220m\e[38;5;16m9'* ]]
	COLORTERM=truecolor run -0 damo report heatmap -i "$HB" --resol 2 4 \
		--color always --stdout-colorset viridis
	[[ "${lines[2]}" == *$'\e[48;2;68;1;84m\e[38;2;255;255;255m0'*$'\e[48;2;253;231;37m\e[38;2;0;0;0m9'* ]]
	# damo's own sets are palette indexes, whatever the terminal
	COLORTERM=24bit run -0 damo report heatmap -i "$HB" --resol 2 4 \
		--color always --stdout-colorset flame
	[[ "${lines[0]}" == $'\e[48;5;'* ]]
	run -0 damo report heatmap -i "$HB" --resol 2 4 --stdout-colorset viridis
	[ "${lines[2]:0:30}" = '# access_frequency: 0123456789' ]
	run -64 damo report heatmap -i "$HB" --stdout-colorset rainbow
}

@test "--interactive refuses what is not a terminal, and --follow alone" {
	run -1 --separate-stderr damo report heatmap -i "$HB" --interactive </dev/null
	[ "$stderr" = 'damo: error: --interactive needs a terminal on standard input and output' ]
	run -64 damo report heatmap -i "$HB" --follow
	run -64 damo report heatmap -i "$HB" --interactive --output raw
	run -64 damo report heatmap -i "$HB" --interactive --json
}

# The viewer in a detached tmux session of $1 x $2 cells: the rest is the
# command line; "EXIT=<status>" shows once it ends.
tmux_start() {
	local w=$1 h=$2
	shift 2
	TMUX_SOCK=$T/tmux.sock
	printf '%q ' "$@" >"$T/cmd"
	tmux -S "$TMUX_SOCK" -f /dev/null new-session -d -s v -x "$w" -y "$h" \
		"TERM=xterm-256color $(cat "$T/cmd"); echo EXIT=\$?; sleep 600"
}

screen() {
	tmux -S "$TMUX_SOCK" capture-pane -p -t v
}

keys() {
	tmux -S "$TMUX_SOCK" send-keys -t v "$@"
}

# Wait (up to 30 s) for fixed text $1 on the screen.
wait_for() {
	local i
	for ((i = 0; i < 600; i++)); do
		screen | grep -qF -- "$1" && return 0
		sleep 0.05
	done
	echo "timed out waiting for '$1'; the screen:"
	screen
	return 1
}

@test "viewer: the cursor's status line, zoom in and out, q quits with 0" {
	tmux_start 100 30 "$DAMO" report heatmap -i "$HB" --interactive
	# 27 rows of 10 s, 100 columns of 64 MiB
	wait_for 'cursor: time [0 ns, 370.370 ms) addr [0x7f0000000000, 0x7f00000a3d70) heat '
	wait_for 'view: time [0 ns, 10.000 s) (10.000 s) addr [0x7f0000000000, 0x7f0003ffffc0) (64.000 MiB)'
	wait_for 'hb.data: target 0, kdamond 0, context 0 (1/1) region 1/1 heat'
	keys l l j
	wait_for 'cursor: time [370.370 ms, 740.741 ms) addr [0x7f0000147ae0, 0x7f00001eb850) heat'
	# column 65, inside the hot block at 40-48 MiB (columns 63 to 71)
	keys -N 63 l
	wait_for 'addr [0x7f0002999970, 0x7f0002a3d6e0) heat '
	screen | grep -q 'addr \[0x7f0002999970, 0x7f0002a3d6e0) heat [1-9][0-9]*\.[0-9]* hz'
	keys +
	wait_for '(5.000 s) addr'
	wait_for '(32.000 MiB)'
	keys t
	wait_for '(2.500 s) addr'
	wait_for '(32.000 MiB)'
	keys A
	wait_for '(2.500 s) addr'
	wait_for '(64.000 MiB)'
	keys r
	wait_for '(10.000 s) addr [0x7f0000000000'
	keys q
	wait_for 'EXIT=0'
}

@test "viewer: help screen, and a resize redraws to the new size" {
	tmux_start 100 30 "$DAMO" report heatmap -i "$HB" --interactive
	wait_for 'cursor: time [0 ns, 370.370 ms)'
	keys '?'
	wait_for 'damo report heatmap --interactive: keys'
	wait_for 'zoom in time'
	wait_for 'next contiguous region'
	keys x
	wait_for 'cursor: time [0 ns, 370.370 ms)'
	tmux -S "$TMUX_SOCK" resize-window -t v -x 60 -y 15
	# 12 rows of 833 ms, 60 columns of 1.067 MiB
	wait_for 'cursor: time [0 ns, 833.333 ms) addr [0x7f0000000000, 0x7f'
	run -0 screen
	[ "${#lines[@]}" -eq 15 ]
	[[ "${lines[1]}" =~ ^[0-9]{60}$ ]]
	keys q
	wait_for 'EXIT=0'
}

@test "viewer: Ctrl-C leaves the screen as cleanly as q" {
	tmux_start 100 30 "$DAMO" report heatmap -i "$HB" --interactive
	wait_for 'cursor: time [0 ns'
	keys C-c
	wait_for 'EXIT=0'
	run -0 screen
	[[ "$output" != *'cursor: time'* ]]
}

@test "viewer: a terminal curses cannot use is an error, not a crash" {
	tmux_start 100 30 env TERM=no-such-terminal "$DAMO" report heatmap \
		-i "$HB" --interactive
	wait_for "damo: error: cannot use the terminal 'no-such-terminal'"
	wait_for 'EXIT=1'
}

@test "viewer: Tab goes through targets, n and p through regions" {
	two_targets
	tmux_start 120 20 "$DAMO" report heatmap -i "$T/two.json" --interactive
	wait_for 'target 42, kdamond 1, context 0 (1/2) region 2/3'
	keys n
	wait_for '(1/2) region 3/3'
	wait_for 'view: time [0 ns, 2.000 s) (2.000 s) addr [0x7ffffffde000'
	keys n
	wait_for '(1/2) region 1/3'
	keys p
	wait_for '(1/2) region 3/3'
	keys Tab
	wait_for 'target 0, kdamond 0, context 0 (2/2) region 1/1'
	keys BTab
	wait_for 'target 42, kdamond 1, context 0 (1/2)'
	keys q
	wait_for 'EXIT=0'
}

@test "viewer: --follow redraws when the record file grows" {
	damo record --source "synthetic:$FIXTURES/workloads/hot-block.yaml" \
		--duration 2s -o "$T/f.data" 2>/dev/null
	tmux_start 100 30 "$DAMO" report heatmap -i "$T/f.data" --interactive --follow
	wait_for 'view: time [0 ns, 2.000 s) (2.000 s)'
	wait_for '[following] '
	damo record --source "synthetic:$FIXTURES/workloads/hot-block.yaml" \
		--duration 4s -o "$T/f.data" 2>/dev/null
	wait_for 'view: time [0 ns, 4.000 s) (4.000 s)'
	keys q
	wait_for 'EXIT=0'
}

# sgr_of_levels FILE PREFIX: "digit fg bg" of each level 0-9 of the line of
# FILE starting with PREFIX, as damo's text heatmap ("\e[48;5;BGm\e[38;5;FGm")
# or the viewer's screen ("\e[0;38;5;FG;48;5;BGm") colours them.
sgr_of_levels() {
	python3 - "$1" "$2" <<'PY'
import re, sys
line = next(l for l in open(sys.argv[1], encoding="utf-8", errors="replace")
            if l.startswith(sys.argv[2]))
seen = {}
for m in re.finditer(r"\x1b\[48;5;(\d+)m\x1b\[38;5;(\d+)m(\d+)", line):
    for d in m.group(3):
        seen.setdefault(d, (m.group(2), m.group(1)))
for m in re.finditer(r"\x1b\[0;38;5;(\d+);48;5;(\d+)m(\d+)", line):
    for d in m.group(3):
        seen.setdefault(d, (m.group(1), m.group(2)))
for d in "0123456789":
    print(d, *seen.get(d, ("-", "-")))
PY
}

@test "--screen prints the viewer's first screen, the same as the terminal shows" {
	run -0 --separate-stderr damo report heatmap -i "$HB" --interactive \
		--screen 100x30
	[ -z "$stderr" ]
	[ "${#lines[@]}" -eq 30 ]
	printf '%s\n' "${lines[@]}" > "$T/printed"
	[[ ${lines[0]} == *"hb.data: target 0, kdamond 0, context 0 (1/1) region 1/1 heat 0.000 0123456789 "* ]]
	[[ ${lines[1]} =~ ^[0-9]{100}$ ]]
	[[ ${lines[28]} == 'cursor: time [0 ns, 370.370 ms) addr [0x7f0000000000, '* ]]
	# the viewer on a terminal of the same size shows the same
	tmux_start 100 30 "$DAMO" report heatmap -i "$HB" --interactive
	wait_for 'view: time [0 ns, 10.000 s)'
	screen > "$T/shown"
	diff "$T/printed" <(head -n 30 "$T/shown")
	keys q
	wait_for 'EXIT=0'
	run -64 damo report heatmap -i "$HB" --screen 100x30
	run -64 damo report heatmap -i "$HB" --interactive --screen 100
	run -64 damo report heatmap -i "$HB" --interactive --screen 5x30
	run -64 damo report heatmap -i "$HB" --interactive --screen 100x30 --follow
}

@test "the viewer colours levels as the text heatmap does, with a legend in the title" {
	local set
	for set in flame viridis emotion; do
		damo report heatmap -i "$HB" --resol 4 8 --stdout-colorset "$set" \
			--color always > "$T/text.$set"
		damo report heatmap -i "$HB" --interactive --screen 100x12 \
			--stdout-colorset "$set" --color always > "$T/view.$set"
		sgr_of_levels "$T/text.$set" '# access_frequency:' > "$T/want"
		sgr_of_levels "$T/view.$set" $'\e[0;7m' > "$T/got.$set"
		! grep -q -- ' -' "$T/want"
		diff "$T/want" "$T/got.$set"
	done
	# the grid's cells have their level's colours too
	python3 - "$T/view.flame" "$T/got.flame" <<'PY'
import re, sys
want = {l.split()[0]: tuple(l.split()[1:]) for l in open(sys.argv[2])}
rows = open(sys.argv[1], encoding="utf-8").read().split("\n")[1:9]
n = 0
for row in rows:
    for m in re.finditer(r"\x1b\[0;38;5;(\d+);48;5;(\d+)(;7;1)?m(\d+)", row):
        if not m.group(3):
            for d in m.group(4):
                assert want[d] == (m.group(1), m.group(2)), m.group(0)
            n += len(m.group(4))
assert n > 700, n
PY
	# viridis by default, none under --color never
	damo report heatmap -i "$HB" --interactive --screen 100x12 \
		--color always > "$T/view.default"
	sgr_of_levels "$T/view.default" $'\e[0;7m' > "$T/got"
	diff <(sgr_of_levels "$T/text.viridis" '# access_frequency:') "$T/got"
	run -0 damo report heatmap -i "$HB" --interactive --screen 100x12 \
		--color never
	[[ $output != *$'\e'* ]]
}

@test "viewer: in colour on a terminal that has it" {
	damo report heatmap -i "$HB" --resol 4 8 --stdout-colorset viridis \
		--color always > "$T/text"
	tmux_start 100 30 env -u NO_COLOR "$DAMO" report heatmap -i "$HB" \
		--interactive
	wait_for 'view: time [0 ns, 10.000 s)'
	tmux -S "$TMUX_SOCK" capture-pane -p -e -t v > "$T/shown"
	# every level's background of the viridis set is on the screen
	for bg in $(sgr_of_levels "$T/text" '# access_frequency:' | cut -d' ' -f3); do
		grep -q "48;5;$bg[m;]" "$T/shown" || { echo "no bg $bg"; false; }
	done
	keys q
	wait_for 'EXIT=0'
}
