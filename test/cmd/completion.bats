#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Completion of option values, from the binary (--complete=OPT=CUR): the
# words an option's --help names ("--backend=auto|kernel|embedded",
# --source from the registry of access sources), actions, operations sets,
# styles and formats from the parsers' own tables, record files after
# --input, the ids of what runs, a file for a FILE, and an option's value
# not taken for an argument of the command.  bash and zsh answer alike.

load ../helpers

setup() {
	export DAMO
}

# cands SHELL WORDS...: the candidates for the last word, one a line.
cands() {
	local sh=$1
	shift
	if [ "$sh" = bash ]; then
		bash --norc --noprofile -c 'source "$1"; shift; _damo_candidates "$@"' \
			_ "$SRC/completions/damo.bash" "$@"
	else
		zsh -f -c 'source "$1" 2>/dev/null; shift; _damo_candidates "$@"' \
			_ "$SRC/completions/_damo" "$@"
	fi
}

@test "--backend and --source complete to their values, in bash and zsh" {
	local sh shells=bash
	command -v zsh >/dev/null && shells="bash zsh"
	for sh in $shells; do
		run -0 cands $sh damo start --backend ''
		[ "$output" = "$(printf 'auto\nkernel\nembedded')" ]
		run -0 cands $sh damo status --backend e
		[ "$output" = embedded ]
		# the sources are the registry's, as --source auto tries them
		run -0 cands $sh damo start --source ''
		[ "$output" = "$(printf 'auto\npageidle\nsoftdirty\nuffd')" ]
		run -0 cands $sh damo start --scheme ''
		[ "$output" = @files ]
		# the value of --backend is not tune's ID: CONFIG comes after one
		run -0 cands $sh damo tune --backend kernel ''
		[ -z "$output" ]
		run -0 cands $sh damo tune --backend kernel 0 ''
		[ "$output" = @files ]
	done
}

@test "option values come from the binary's own tables, in bash and zsh" {
	local sh shells=bash
	command -v zsh >/dev/null && shells="bash zsh"
	for sh in $shells; do
		run -0 cands $sh damo start --damos-action ''
		[ "$output" = "$(printf '%s\n' willneed cold pageout hugepage \
			nohugepage lru_prio lru_deprio migrate_hot migrate_cold stat \
			collapse)" ]
		run -0 cands $sh damo tune 0 --damos-action migrate_
		[ "$output" = "$(printf 'migrate_hot\nmigrate_cold')" ]
		run -0 cands $sh damo start --ops ''
		[ "$output" = "$(printf 'vaddr\nfvaddr\npaddr')" ]
		run -0 cands $sh damo report access --style ''
		[ "$output" = "$(printf '%s\n' detailed recency-percentiles \
			temperature-percentiles recency-sz-hist temperature-sz-hist \
			simple-boxes cold hot)" ]
		run -0 cands $sh damo record --format ''
		[ "$output" = "$(printf 'native\njson_compressed\njson')" ]
		run -0 cands $sh damo start --damos-quota-goal some_mem_psi
		[ "$output" = some_mem_psi_us ]
		# a value already given is not the word being completed: CONFIG is
		run -0 cands $sh damo start --ops paddr ''
		[ "$output" = @files ]
	done
}

@test "every action and style offered is one the command takes" {
	local a s ops ok
	run -0 cands bash damo start --damos-action ''
	for a in $output; do
		# each action is taken by one operations set or another
		ok=
		for ops in paddr vaddr; do
			if [ $ops = vaddr ]; then set -- --target-pid $$; else set --; fi
			case $a in migrate_*) set -- "$@" --damos-action "$a" 0 ;;
			*) set -- "$@" --damos-action "$a" ;;
			esac
			damo config show --ops $ops "$@" >/dev/null 2>&1 && ok=1
		done
		[ -n "$ok" ] || { echo "no ops takes '$a'"; false; }
	done
	run -0 damo record --model "$SRC/examples/workloads/stairs.yaml" \
		--duration 1s -o "$BATS_TEST_TMPDIR/r.data"
	run -0 cands bash damo report access --style ''
	[ -n "$output" ]
	for s in $output; do
		damo report access --style "$s" --input "$BATS_TEST_TMPDIR/r.data" \
			>/dev/null
	done
}

@test "--input completes to record files and directories, not other files" {
	local sh shells=bash d=$BATS_TEST_TMPDIR/recs
	command -v zsh >/dev/null && shells="bash zsh"
	mkdir -p "$d/sub"
	cp "$FIXTURES/records/damon.data" "$d/run1.data"
	run -0 damo record --model "$SRC/examples/workloads/stairs.yaml" \
		--duration 1s -o "$d/run2.data"
	echo "not a record" > "$d/notes.txt"
	for sh in $shells; do
		run -0 cands $sh damo report heatmap --input "$d/"
		[ "$(sort <<<"$output")" = "$(printf '%s\n' "$d/run1.data" \
			"$d/run2.data" "$d/sub/")" ]
		run -0 cands $sh damo report wss --input "$d/run"
		[ "$(sort <<<"$output")" = "$(printf '%s\n' "$d/run1.data" \
			"$d/run2.data")" ]
	done
	# a directory of more files than it reads the start of: any file
	mkdir "$d/big"
	(cd "$d/big" && touch $(seq -f 'f%g' 1100))
	run -0 cands bash damo report heatmap --input "$d/big/"
	[[ $output == *@files* ]]
}

@test "ids complete to what runs, for stop, tune, status and schemes" {
	local sh shells=bash
	command -v zsh >/dev/null && shells="bash zsh"
	make_sysfs 7.2
	echo 0 > "$DAMO_SYSFS_ROOT/kdamonds/nr_kdamonds"
	echo off > "$DAMO_SYSFS_ROOT/kdamonds/0/state"
	for sh in $shells; do
		run -0 cands $sh damo stop ''
		[ -z "$output" ]
	done
	run -0 damo start --ops paddr --damos-action stat
	for sh in $shells; do
		run -0 cands $sh damo stop ''
		[ "$output" = 0 ]
		run -0 cands $sh damo status ''
		[ "$output" = 0 ]
		run -0 cands $sh damo tune ''
		[ "$output" = 0 ]
		run -0 cands $sh damo schemes stats ''
		[ "$output" = 0 ]
		run -0 cands $sh damo status --backend kernel ''
		[ "$output" = 0 ]
	done
}
