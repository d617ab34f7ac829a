#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# report wss, nr_regions and footprints --plot FILE (-p, as in damo): the
# distribution drawn natively as a PNG or SVG line plot instead of printed.

load ../helpers

setup() {
	DATA=$FIXTURES/records/damon.data
	FP=$FIXTURES/footprint/damon.data.mem_footprint
	PNGINFO=${DAMO_PNGINFO:-$SRC/build/test/pnginfo}
	T=$BATS_TEST_TMPDIR
}

# The polyline's points of SVG $1, "x,y" a line.
svg_points() {
	python3 - "$1" <<-'PY'
	import sys, xml.etree.ElementTree as ET
	ns = {'s': 'http://www.w3.org/2000/svg'}
	root = ET.parse(sys.argv[1]).getroot()
	for p in root.find('s:polyline', ns).get('points').split():
	    print(p)
	PY
}

# The texts of SVG $1, one a line.
svg_texts() {
	python3 - "$1" <<-'PY'
	import sys, xml.etree.ElementTree as ET
	ns = {'s': 'http://www.w3.org/2000/svg'}
	for t in ET.parse(sys.argv[1]).getroot().iter('{http://www.w3.org/2000/svg}text'):
	    print(t.text)
	PY
}

@test "wss -p FILE.png: no text, a 640x480 PNG with the line through its points" {
	run -0 --separate-stderr damo report wss -i "$DATA" -p "$T/w.png"
	[ -z "$output" ] && [ -z "$stderr" ]
	damo report wss -i "$DATA" --plot "$T/w.svg"
	# five percentiles (0 25 50 75 100), sorted: each point at or above
	# the one before, the largest at the top of the plot area
	run -0 svg_points "$T/w.svg"
	[ "${#lines[@]}" -eq 5 ]
	local prev=100000 x y
	for p in "${lines[@]}"; do
		y=${p#*,}
		[ "$y" -le "$prev" ]
		prev=$y
	done
	[ "$y" -eq 40 ]
	# the PNG has the SVG's points in the line's colour on white paper
	x=${lines[2]%,*} y=${lines[2]#*,}
	run -0 "$PNGINFO" "$T/w.png" "$x" "$y" 0 0
	[ "${lines[0]}" = '640 480' ]
	[ "${lines[1]}" = '#9400d3' ]
	[ "${lines[2]}" = '#ffffff' ]
	run -0 svg_texts "$T/w.svg"
	[[ "$output" == *percentile* ]] && [[ "$output" == *'working set size'* ]]
}

@test "nr_regions -s time --plot FILE.svg: damo's runtime axis; -r sets the points" {
	run -0 --separate-stderr damo report nr_regions -i "$DATA" -s time \
		-r 0 101 10 --plot "$T/n.svg"
	[ -z "$output" ]
	run -0 svg_points "$T/n.svg"
	[ "${#lines[@]}" -eq 11 ]
	run -0 svg_texts "$T/n.svg"
	[[ "$output" == *'runtime (percent)'* ]]
	[[ "$output" == *'number of monitoring target regions'* ]]
}

@test "footprints METRIC -p: one metric's image; --json prints and draws" {
	run -0 damo report footprints rss -i "$FP" -p "$T/f.png"
	[ -z "$output" ]
	run -0 "$PNGINFO" "$T/f.png"
	[ "$output" = '640 480' ]
	run -0 --separate-stderr damo report footprints rss -i "$FP" \
		-p "$T/f2.png" --json
	json_check <(printf '%s\n' "$output") '.[0].metric == "rss"'
	cmp "$T/f.png" "$T/f2.png"
	# damo overwrites the image with each metric of 'all'
	run -64 --separate-stderr damo report footprints -i "$FP" -p "$T/a.png"
	[[ "$stderr" == *'--plot draws one metric: name vsz, rss or sys_used'* ]]
	[ ! -e "$T/a.png" ]
}

@test "--plot refusals: an unknown image type (64), a file that cannot be made (1)" {
	run -64 --separate-stderr damo report wss -i "$DATA" -p "$T/w.jpg"
	[[ "$stderr" == *"--plot: '$T/w.jpg' is not a file name ending in .png or .svg"* ]]
	run -1 --separate-stderr damo report wss -i "$DATA" -p "$T/no/w.png"
	[ "$stderr" = "damo: error: cannot create '$T/no/w.png': No such file or directory" ]
	# -p is --plot here; --pretty is still there by its name
	run -0 damo report wss -i "$DATA" --pretty
	json_check <(printf '%s\n' "$output") '.[0].target_id == 0'
}
