#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# report holistic, trace and profile take damo's options and refuse to run
# with what is missing, never "unrecognized option".

load ../helpers

@test "report profile says perf is missing, or that the profile record is" {
	run -1 --separate-stderr damo report profile --inputs damon.data damon.data.profile \
		--sz_region 4K max --perf_path "$BATS_TEST_TMPDIR/no-perf"
	[ "$stderr" = "damo: error: report profile: needs perf, which is not installed (or not at --perf_path)" ]
	run -1 --separate-stderr env PATH=/nonexistent "$DAMO" report profile
	[[ "$stderr" == *"needs perf, which is not installed"* ]]
	printf '#!/bin/sh\n' >"$BATS_TEST_TMPDIR/perf"
	chmod +x "$BATS_TEST_TMPDIR/perf"
	run -1 --separate-stderr damo report profile --perf_path "$BATS_TEST_TMPDIR/perf"
	[[ "$stderr" == *"needs the perf profile damo's 'record --profile' writes"* ]]
}

@test "report holistic and trace take damo's options and say what to run instead" {
	run -1 --separate-stderr damo report holistic --access_pattern x --footprints y \
		--profile z --long --perf_path perf --heatmap_time_last_n_sec 5
	[[ "$stderr" == *"'damo report heatmap', 'damo report wss' and 'damo report footprint'"* ]]
	run -1 --separate-stderr damo report trace --event all --no_event damon_aggregated \
		--tracer perf -i perf.data -o out --raw --max_cols 80
	[[ "$stderr" == *"report trace: not built in damo (C)"* ]]
	run -1 --separate-stderr damo report trace -j
	[[ "$output" == '{"error":"report trace: not built'* ]]
	run -64 damo report holistic --frob
	run -64 damo report trace extra
}
