#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# docs/use-cases.md: the damo lines of its kernel-tier recipes are the
# commands the scenarios run (test/kernel/scenarios/use-cases*.sh,
# test/kernel/nodamon/use-cases.sh), so the guide says what was tested.

load ../helpers

@test "every damo line of the guide's kernel-tier recipes is run by its scenario" {
	run -0 python3 "$SRC/test/tools/recipe_lines.py" "$SRC"
	echo "$output"
	[[ "$output" == *"psi-reclaim: 4 of 4"* ]]
	[[ "$output" == *"wss: 2 of 2"* ]]
	[[ "$output" == *"nodamon: 5 of 5"* ]]
	[[ "$output" != *"not run"* ]]
}

@test "a guide line the scenario does not run is reported" {
	sed 's/--damos-age 5s max/--damos-age 6s max/' \
		"$SRC/docs/use-cases.md" > "$BATS_TEST_TMPDIR/uc.md"
	run -1 python3 "$SRC/test/tools/recipe_lines.py" "$SRC" \
		"$BATS_TEST_TMPDIR/uc.md"
	[[ "$output" == *"psi-reclaim: 3 of 4"* ]]
	[[ "$output" == *"not run: damo start --ops paddr --damos-action pageout --damos-access-rate 0% 0% --damos-age 6s max"* ]]
}

@test "a guide without kernel-tier recipes fails" {
	printf '# nothing\n' > "$BATS_TEST_TMPDIR/empty.md"
	run -1 python3 "$SRC/test/tools/recipe_lines.py" "$SRC" \
		"$BATS_TEST_TMPDIR/empty.md"
	[[ "$output" == *"no kernel-tier recipe"* ]]
}
