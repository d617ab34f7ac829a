#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Writes the expected outputs of test/fixtures/damo_expect/cases.txt with
# Python damo 3.3: each case's standard output, ANSI colour removed (colour
# is terminal-only in damo (C)), into test/fixtures/damo_expect/NAME.txt.
#
#   DAMO_PY=/path/to/damo/src/damo.py test/tools/damo_expect.sh [NAME...]
#
# A case is one line "NAME ARGS... [::: C-ARGS...]", ARGS in shell words
# where $R is test/fixtures/records; C-ARGS are damo (C)'s when they differ.  Run it after adding a case and commit what it
# wrote; the tests (test/cmd/damo_expect.bats) never run Python damo.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
dir=$src/test/fixtures/damo_expect
: "${DAMO_PY:?set DAMO_PY to Python damo 3.3\'s src/damo.py}"
R=$src/test/fixtures/records
cd "$R"
while read -r name rest; do
	[[ -z $name || $name == '#'* ]] && continue
	if (($#)); then
		[[ " $* " == *" $name "* ]] || continue
	fi
	eval "args=(${rest%% ::: *})"
	python3 "$DAMO_PY" "${args[@]}" </dev/null |
		sed 's/\x1b\[[0-9;]*m//g' >"$dir/$name.txt"
	echo "$name: $(wc -l <"$dir/$name.txt") lines"
done <"$dir/cases.txt"
