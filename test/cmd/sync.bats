#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Commands, options, man pages, completions and JSON keys agree, so that
# what a user reads and tab-completes is what the binary takes: the
# binary's --list-cmds/--list-opts are the truth, everything else is
# checked against them.  No allowlist.

load ../helpers

setup() {
	MAN=$SRC/man
	export DAMO
}

# Long options of "damo WORDS..." ("--" lines of --list-opts).
long_opts() {
	"$DAMO" "$@" --list-opts | grep -e '^--' || true
}

# Subcommands of command $1 (--list-opts lines that are not options).
subcmds() {
	"$DAMO" "$1" --list-opts | grep -v -e '^-' || true
}

# Whether troff file $1 mentions option $2 ("--read-only" as \-\-read\-only,
# not merely as the start of a longer option).
man_has_opt() {
	local esc=${2//-/\\-}

	grep -qP -- "\\Q$esc\\E(?![a-z0-9_]|\\\\-[a-z0-9])" "$1"
}

# Options tagged in section $2 of troff file $1: the first \-\-name of each
# line after .TP, unescaped.
man_tagged_opts() {
	awk -v sec="$2" '
		/^\.SH / { insec = ($0 == ".SH " sec); next }
		insec && /^\.TP/ { tag = 1; next }
		insec && tag {
			tag = 0
			if (match($0, /\\-\\-[a-z0-9]+(\\-[a-z0-9]+)*/)) {
				s = substr($0, RSTART, RLENGTH)
				gsub(/\\-/, "-", s)
				print s
			}
		}' "$1"
}

# The rendered text of section $2 of man page $1, unwrapped.
man_section() {
	mandoc -Tascii -Owidth=1000 "$1" | col -b |
		awk -v sec="$2" '$0 == sec { f = 1; next } /^[A-Z][A-Z ]*$/ { f = 0 } f'
}

@test "every command has a man page, is in damo.8 and in damo --help" {
	run -0 damo --help
	local help=$output
	for c in $("$DAMO" --list-cmds); do
		[ -f "$MAN/damo-$c.8" ] || { echo "no man/damo-$c.8"; false; }
		grep -qF -- ".BR damo\\-${c//-/\\-} (8)" "$MAN/damo.8" ||
			{ echo "damo.8 does not list $c"; false; }
		[[ "$help" == *$'\n'"  $c "* ]] || { echo "--help does not list $c"; false; }
	done
}

@test "every man page is a command's and has the sections of STYLE 10.12" {
	local cmds page c sec
	cmds=$("$DAMO" --list-cmds)
	for page in "$MAN"/damo-*.8; do
		c=${page##*/damo-}
		c=${c%.8}
		grep -qxF -- "$c" <<<"$cmds" || { echo "$page: no command '$c'"; false; }
		for sec in NAME SYNOPSIS DESCRIPTION OPTIONS OUTPUT 'EXIT STATUS' \
			EXAMPLES 'SEE ALSO'; do
			grep -qxE -- "\\.SH \"?$sec\"?" "$page" ||
				{ echo "$page: no $sec section"; false; }
		done
	done
}

@test "every option of every command is in its man page, and no other" {
	local c s o page all
	for c in $("$DAMO" --list-cmds); do
		page=$MAN/damo-$c.8
		# completion asks every command
		run -0 --separate-stderr damo "$c" --list-opts
		[ -z "$stderr" ]
		all=$(long_opts "$c")
		for o in $all; do
			man_has_opt "$page" "$o" || { echo "$page lacks $o"; false; }
		done
		for s in $(subcmds "$c"); do
			grep -qF -- "$c $s" "$page" || { echo "$page lacks '$c $s'"; false; }
			for o in $(long_opts "$c" "$s"); do
				man_has_opt "$page" "$o" || { echo "$page lacks $o ($c $s)"; false; }
			done
			all+=$'\n'$(long_opts "$c" "$s")
		done
		for o in $(man_tagged_opts "$page" OPTIONS); do
			grep -qxF -- "$o" <<<"$all" ||
				{ echo "$page documents $o, which 'damo $c' does not have"; false; }
		done
	done
}

@test "every common option is in damo.8, and no other" {
	local o common
	common=$("$DAMO" --list-opts)
	[ -n "$common" ]
	for o in $common; do
		man_has_opt "$MAN/damo.8" "$o" || { echo "damo.8 lacks $o"; false; }
	done
	# argp adds --help, --usage and --version to every command
	for o in $(man_tagged_opts "$MAN/damo.8" "COMMON OPTIONS"); do
		case $o in --help | --usage | --version) continue ;; esac
		grep -qxF -- "$o" <<<"$common" || { echo "damo.8 documents $o"; false; }
	done
}

@test "man pages lint clean" {
	run -0 --separate-stderr mandoc -Tlint -Wwarning "$MAN"/*.8
	[ -z "$output" ]
	[ -z "$stderr" ]
}

# The completion queries: "WORDS|CUR", one a line, for every command,
# subcommand and option list the binary has.
write_queries() {
	local c s
	{
		echo 'damo|'
		echo 'damo|--'
		echo 'damo|c'
		echo 'damo --json|'
		for c in $("$DAMO" --list-cmds); do
			echo "damo $c|"
			echo "damo $c|--"
			echo "damo --json $c|--"
			for s in $(subcmds "$c"); do
				echo "damo $c $s|"
				echo "damo $c $s|--"
				echo "damo $c $s --json|--d"
			done
		done
		echo 'damo help|co'
		echo 'damo help config|'
		echo 'damo features|s'
		echo 'damo features all|'
	} >"$1"
}

# Run every query of file $1 through _damo_candidates of shell $2.
run_bash_queries() {
	bash --norc --noprofile -c '
		source "$1"
		while IFS= read -r q; do
			read -ra w <<<"${q%|*}"
			echo "== $q"
			_damo_candidates "${w[@]}" "${q##*|}"
		done <"$2"' _ "$SRC/completions/damo.bash" "$1"
}

run_zsh_queries() {
	zsh -f -c '
		compdef() { : }
		compadd() { : }
		_files() { : }
		source "$1"
		while IFS= read -r q; do
			print -r -- "== $q"
			_damo_candidates ${=q%|*} "${q##*|}"
		done <"$2"' _ "$SRC/completions/_damo" "$1"
}

# Candidates for query $2 in the results file $1.
answer() {
	awk -v q="== $2" '$0 == q { f = 1; next } /^== / { f = 0 } f' "$1"
}

# Every line of $2 is a line of $1.
has_all() {
	local l
	while IFS= read -r l; do
		[ -z "$l" ] || grep -qxF -- "$l" <<<"$1" || { echo "missing '$l'"; return 1; }
	done <<<"$2"
}

@test "bash completion offers what the binary lists" {
	local d=$BATS_TEST_TMPDIR r c s common cmds w
	write_queries "$d/queries"
	run -0 --separate-stderr run_bash_queries "$d/queries"
	[ -z "$stderr" ]
	printf '%s\n' "$output" >"$d/bash.out"
	r=$d/bash.out
	cmds=$("$DAMO" --list-cmds)
	common=$("$DAMO" --list-opts)
	[ "$(answer "$r" 'damo|')" = "$cmds" ]
	[ "$(answer "$r" 'damo --json|')" = "$cmds" ]
	[ "$(answer "$r" 'damo|--')" = "$common" ]
	[ "$(answer "$r" 'damo help|')" = "$cmds" ]
	[ "$(answer "$r" 'damo help|co')" = "$(grep -e '^co' <<<"$cmds")" ]
	[ -z "$(answer "$r" 'damo help config|')" ]
	for c in $cmds; do
		if [ -n "$(subcmds "$c")" ]; then
			[ "$(answer "$r" "damo $c|")" = "$(subcmds "$c")" ]
			# common options may come before the subcommand
			[ "$(answer "$r" "damo $c|--")" = "$common" ]
			for s in $(subcmds "$c"); do
				has_all "$(answer "$r" "damo $c $s|--")" "$(long_opts "$c" "$s")"
				has_all "$(answer "$r" "damo $c $s|--")" "$common"
			done
		else
			has_all "$(answer "$r" "damo $c|--")" "$(long_opts "$c")"
			has_all "$(answer "$r" "damo $c|--")" "$common"
			has_all "$(answer "$r" "damo --json $c|--")" "$(long_opts "$c")"
		fi
	done
	# config check and show take files
	[ "$(answer "$r" 'damo config check|')" = "@files" ]
	[ "$(answer "$r" 'damo config show|')" = "@files" ]
	# features words are the ones its man page lists
	[ -n "$(answer "$r" 'damo features|')" ]
	for w in $(answer "$r" 'damo features|'); do
		grep -qxF -- ".B $w" "$MAN/damo-features.8" ||
			{ echo "damo-features.8 lacks '$w'"; false; }
	done
	[ "$(answer "$r" 'damo features|s')" = supported ]
	[ -z "$(answer "$r" 'damo features all|')" ]
}

@test "bash completion registers _damo and completes a file name" {
	local d=$BATS_TEST_TMPDIR
	mkdir "$d/work"
	: >"$d/work/reclaim.yaml"
	run -0 --separate-stderr bash --norc --noprofile -c '
		source "$1"
		complete -p damo
		cd "$2"
		COMP_WORDS=(damo config check rec); COMP_CWORD=3
		_damo
		printf "%s\n" "${COMPREPLY[@]}"
		COMP_WORDS=(damo fea); COMP_CWORD=1
		_damo
		printf "%s\n" "${COMPREPLY[@]}"' _ "$SRC/completions/damo.bash" "$d/work"
	[ -z "$stderr" ]
	[ "${lines[0]}" = "complete -F _damo damo" ]
	[ "${lines[1]}" = reclaim.yaml ]
	[ "${lines[2]}" = features ]
}

@test "zsh completion gives the same candidates as bash" {
	local d=$BATS_TEST_TMPDIR
	write_queries "$d/queries"
	run -0 --separate-stderr run_bash_queries "$d/queries"
	printf '%s\n' "$output" >"$d/bash.out"
	run -0 --separate-stderr run_zsh_queries "$d/queries"
	[ -z "$stderr" ]
	printf '%s\n' "$output" >"$d/zsh.out"
	diff -u "$d/bash.out" "$d/zsh.out"
}

@test "zsh _damo hands the candidates to compadd and _files" {
	run -0 --separate-stderr zsh -f -c '
		compdef() { print -r -- "compdef $*" }
		compadd() { print -r -- "compadd $*" }
		_files() { print -r -- "_files" }
		source "$1"
		words=(damo conf); CURRENT=2; _damo
		words=(damo config check ""); CURRENT=4; _damo' _ "$SRC/completions/_damo"
	[ -z "$stderr" ]
	[ "${lines[0]}" = "compdef _damo damo" ]
	[ "${lines[1]}" = "compadd -- config" ]
	[ "${lines[2]}" = "_files" ]
}

# Every key of the JSON file $2 is in the OUTPUT section of man page $1.
keys_in_output() {
	local key text
	text=$(man_section "$1" OUTPUT)
	[ -n "$text" ] || { echo "$1 has no OUTPUT section"; return 1; }
	for key in $(jq -r '[paths | last | strings] | unique | .[]' "$2"); do
		grep -qw -- "$key" <<<"$text" ||
			{ echo "${1##*/}: OUTPUT lacks '$key' (from ${2##*/})"; return 1; }
	done
}

# A valid configuration that makes config show write every key it has.
write_rich_config() {
	cat >"$1" <<-'EOF'
	kdamonds:
	  - refresh_ms: 1 s
	    contexts:
	      - ops: paddr
	        addr_unit: 4096
	        targets:
	          - pid: null
	            obsolete: true
	            regions: [{start: 4 GiB, end: 8 GiB}]
	        intervals: {sample_us: 5 ms, aggr_us: 100 ms, ops_update_us: 1 s}
	        nr_regions: {min: 10, max: 1000}
	        probes:
	          - filters:
	              - {filter_type: memcg, matching: true, allow: true, path: /a}
	        pause: true
	        schemes:
	          - action: migrate_hot
	            dests: [{id: 1, weight: 3}]
	            target_nid: 1
	            access_pattern:
	              sz_bytes: {min: 4 KiB, max: max}
	              nr_accesses: {min: 50 %, max: max}
	              age: {min: 0, max: max}
	            quotas:
	              time_ms: 10 ms
	              sz_bytes: 1 GiB
	              reset_interval_ms: 1 s
	              weights:
	                sz_permil: 1
	                nr_accesses_permil: 1
	                age_permil: 1
	              goals:
	                - {metric: node_mem_used_bp, target_value: 50 %, nid: 0}
	                - metric: node_memcg_used_bp
	                  target_value: 30 %
	                  nid: 0
	                  memcg_path: /a
	              goal_tuner: temporal
	              effective_sz_bytes: 1 MiB
	              fail_charge_num: 1
	              fail_charge_denom: 2
	            watermarks:
	              metric: free_mem_rate
	              interval_us: 5 s
	              high_permil: 500
	              mid_permil: 400
	              low_permil: 50
	            filters:
	              - {filter_type: memcg, matching: true, memcg_path: /b}
	              - filter_type: addr
	                matching: true
	                address_range: {start: 4 GiB, end: 5 GiB}
	              - {filter_type: target, matching: true, damon_target_idx: 0}
	              - filter_type: hugepage_size
	                matching: true
	                allow: true
	                hugepage_size: [2 MiB, 2 MiB]
	            max_nr_snapshots: 5
	EOF
}

@test "every JSON key a command emits is in its man page's OUTPUT section" {
	local d=$BATS_TEST_TMPDIR f n=0
	mkdir "$d/json"

	make_sysfs 7.2
	run -0 --separate-stderr damo features --json
	[ -z "$stderr" ]
	printf '%s\n' "$output" >"$d/json/features.json"
	DAMO_SYSFS_ROOT=$d/nonexistent run -0 --separate-stderr damo features --json
	printf '%s\n' "$output" >"$d/json/features-nodamon.json"
	for f in "$d"/json/features*.json; do
		keys_in_output "$MAN/damo-features.8" "$f"
	done

	run -0 --separate-stderr damo version --json
	[ -z "$stderr" ]
	printf '%s\n' "$output" >"$d/json/version.json"
	keys_in_output "$MAN/damo-version.8" "$d/json/version.json"

	# config check: problems of a broken file and of the invalid fixtures
	printf 'kdamonds:\n  - contexts:\n      - ops: vadr\n' >"$d/broken.yaml"
	run -1 --separate-stderr damo config check --json "$d/broken.yaml" \
		"$FIXTURES"/config/invalid/*.*
	printf '%s\n' "$output" >"$d/json/check.json"
	json_check "$d/json/check.json" 'length > 0'
	keys_in_output "$MAN/damo-config.8" "$d/json/check.json"

	# config show: the example, the valid fixtures, every key, an error
	write_rich_config "$d/rich.yaml"
	for f in "$SRC/examples/reclaim.yaml" "$FIXTURES"/config/valid/*.* \
		"$d/rich.yaml"; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		run -0 --separate-stderr damo config show --json "$f"
		[ -z "$stderr" ]
		printf '%s\n' "$output" >"$d/json/show-$n.json"
		keys_in_output "$MAN/damo-config.8" "$d/json/show-$n.json"
	done
	run -1 --separate-stderr damo config show --json "$d/broken.yaml"
	printf '%s\n' "$output" >"$d/json/show-error.json"
	json_check "$d/json/show-error.json" 'has("error")'
	keys_in_output "$MAN/damo-config.8" "$d/json/show-error.json"

	# report: every type, and --all-wss, on the recorded fixture
	n=0
	for f in "record-info" "wss" "wss --all-wss --per-target" "nr_regions" \
		"heatmap --resol 3 4" "access"; do
		n=$((n + 1))
		# shellcheck disable=SC2086 # the words of $f are arguments
		run -0 --separate-stderr damo report $f --json \
			--input "$FIXTURES/records/damon.data"
		[ -z "$stderr" ]
		printf '%s\n' "$output" >"$d/json/report-$n.json"
		keys_in_output "$MAN/damo-report.8" "$d/json/report-$n.json"
	done
}

# Write JSON output $2 to file $1 and check its keys against man page $3.
json_keys() {
	printf '%s\n' "$2" >"$1"
	keys_in_output "$3" "$1"
}

@test "every JSON key the kernel commands emit is in their man pages' OUTPUT sections" {
	local j=$BATS_TEST_TMPDIR/json K S p
	mkdir "$j"

	# a 7.2 tree with no kdamond configured, as in kernel.bats
	make_sysfs 7.2
	K=$DAMO_SYSFS_ROOT/kdamonds/0
	S=$K/contexts/0/schemes/0
	echo 0 >"$DAMO_SYSFS_ROOT/kdamonds/nr_kdamonds"
	echo off >"$K/state"

	# start: a command to monitor, a migration node and a quota goal, so
	# that start and status write every key they have
	run -0 --separate-stderr damo start --json --damos-action migrate_hot 0 \
		--damos-quotas 10ms 1GiB 1s --damos-quota-goal some_mem_psi_us 1ms \
		-- true
	[ -z "$stderr" ]
	json_keys "$j/start.json" "$output" "$MAN/damo-start.8"
	json_check "$j/start.json" '.[0] | has("command_pid") and has("target_pids")'
	run -1 --separate-stderr damo start --json --ops paddr
	json_keys "$j/start-error.json" "$output" "$MAN/damo-start.8"
	json_check "$j/start-error.json" 'has("error")'

	# a tried region, as the kernel would show it
	mkdir "$S/tried_regions/0"
	echo 4096 >"$S/tried_regions/0/start"
	echo 8192 >"$S/tried_regions/0/end"
	echo 1 >"$S/tried_regions/0/nr_accesses"
	echo 2 >"$S/tried_regions/0/age"
	echo 4096 >"$S/tried_regions/0/sz_filter_passed"

	run -0 --separate-stderr damo status --json --watch 1 --count 2
	[ -z "$stderr" ]
	json_keys "$j/status.json" "$output" "$MAN/damo-status.8"
	json_check "$j/status.json" '.kdamonds[0].contexts[0].schemes[0].quotas.goals[0] | has("metric")'
	json_check "$j/status.json" '.modules | length == 3'
	run -1 --separate-stderr damo status --json 3
	json_keys "$j/status-error.json" "$output" "$MAN/damo-status.8"

	run -0 --separate-stderr damo schemes stats --json
	[ -z "$stderr" ]
	json_keys "$j/schemes-stats.json" "$output" "$MAN/damo-schemes.8"
	run -0 --separate-stderr damo schemes tried --json
	[ -z "$stderr" ]
	json_keys "$j/schemes-tried.json" "$output" "$MAN/damo-schemes.8"
	json_check "$j/schemes-tried.json" 'length == 1'
	run -0 --separate-stderr damo schemes tried --total --json
	json_keys "$j/schemes-total.json" "$output" "$MAN/damo-schemes.8"
	run -1 --separate-stderr damo schemes apply --json 0 "$BATS_TEST_TMPDIR/none.yaml"
	json_keys "$j/schemes-error.json" "$output" "$MAN/damo-schemes.8"
	json_check "$j/schemes-error.json" 'has("error")'

	echo on >"$K/state"
	run -0 --separate-stderr damo tune --json 0 --ops paddr --damos-action stat
	[ -z "$stderr" ]
	json_keys "$j/tune.json" "$output" "$MAN/damo-tune.8"
	json_check "$j/tune.json" 'has("id") and has("pid")'
	run -1 --separate-stderr damo tune --json 5 --ops paddr
	json_keys "$j/tune-error.json" "$output" "$MAN/damo-tune.8"

	echo on >"$K/state"
	run -0 --separate-stderr damo stop --json
	[ -z "$stderr" ]
	json_keys "$j/stop.json" "$output" "$MAN/damo-stop.8"
	json_check "$j/stop.json" '. == ["0"]'
	run -1 --separate-stderr damo stop --json 3
	json_keys "$j/stop-error.json" "$output" "$MAN/damo-stop.8"

	# module: the keys of "parameters" are the kernel's parameter files,
	# not damo's words; each must be one
	run -0 --separate-stderr damo module --json
	[ -z "$stderr" ]
	printf '%s\n' "$output" >"$j/module-raw.json"
	for p in $(jq -r '.[] | .name as $n | .parameters | keys[] | "\($n)/parameters/\(.)"' \
		"$j/module-raw.json"); do
		[ -f "$DAMO_MODULE_ROOT/$p" ] || { echo "module: no file for '$p'"; false; }
	done
	json_keys "$j/module.json" "$(jq -c '[.[] | .parameters |= {}]' "$j/module-raw.json")" \
		"$MAN/damo-module.8"
	json_check "$j/module.json" 'length == 3'
	run -1 --separate-stderr damo module --json reclaim set frob=1
	json_keys "$j/module-error.json" "$output" "$MAN/damo-module.8"
	json_check "$j/module-error.json" 'has("error")'
}

@test "every JSON key damo record writes is in its man page's OUTPUT section" {
	local j=$BATS_TEST_TMPDIR/json
	mkdir "$j"
	cd "$BATS_TEST_TMPDIR"
	cat >filtered.yaml <<-'EOF2'
	- action: stat
	  access_pattern:
	    sz_bytes: {min: 0, max: max}
	    nr_accesses: {min: 0 %, max: max}
	    age: {min: 0, max: max}
	  filters:
	    - {filter_type: anon, matching: true, allow: true}
	    - filter_type: addr
	      matching: true
	      address_range: {start: 0, end: 4 GiB}
	EOF2

	# the summary, and the record file itself (with a scheme record)
	run -0 --separate-stderr damo record --json \
		--source "synthetic:$SRC/examples/workloads/stairs.yaml" --duration 1s \
		--monitoring-intervals-goal 4% 3 5ms 10s --scheme filtered.yaml \
		--format json -o "$j/record.json"
	[ -z "$stderr" ]
	json_keys "$j/summary.json" "$output" "$MAN/damo-record.8"
	json_check "$j/record.json" '.[1].scheme_filters | length == 2'
	keys_in_output "$MAN/damo-record.8" "$j/record.json"
	run -1 --separate-stderr damo record --json --model missing.yaml --duration 1s
	json_keys "$j/record-error.json" "$output" "$MAN/damo-record.8"
	json_check "$j/record-error.json" 'has("error")'
}

@test "every JSON key damo convert emits is in its man page's OUTPUT section" {
	local j=$BATS_TEST_TMPDIR/json f n=0
	mkdir "$j"
	cd "$BATS_TEST_TMPDIR"

	# the summary, from each input format, and the file it writes
	for f in damon.data damon.data.legacy_binary perf.data.script \
		damon.data.snapshot.hugepage; do
		n=$((n + 1))
		run -0 --separate-stderr damo convert --json \
			"$FIXTURES/records/$f" --format json -o "$j/out-$n.json"
		[ -z "$stderr" ]
		json_keys "$j/summary-$n.json" "$output" "$MAN/damo-convert.8"
		keys_in_output "$MAN/damo-record.8" "$j/out-$n.json"
	done
	head -c 1000 "$FIXTURES/records/damon.data" >cut.data
	run -1 --separate-stderr damo convert --json cut.data -o out.data
	json_keys "$j/convert-error.json" "$output" "$MAN/damo-convert.8"
	json_check "$j/convert-error.json" 'has("error")'
}
