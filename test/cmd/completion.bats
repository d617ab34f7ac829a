#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Completion of option values: the words an option's --help names
# ("--backend=auto|kernel|embedded", --source from the registry of access
# sources), a file for a FILE, and an option's value not taken for an
# argument of the command.  bash and zsh answer alike.

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
