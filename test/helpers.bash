# SPDX-License-Identifier: GPL-2.0
# Loaded by every .bats file: the binary under test, fixtures, sysfs trees.
bats_require_minimum_version 1.5.0

export LC_ALL=C
DAMO=${DAMO:-$BATS_TEST_DIRNAME/../../build/damo}
SRC=${DAMO_SRC:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}
FIXTURES=$SRC/test/fixtures

export NO_COLOR=1
# Never let a test near the host's DAMON or tracing.
export DAMO_SYSFS_ROOT=/nonexistent/damo-test-sysfs
export DAMO_TRACEFS_ROOT=/nonexistent/damo-test-tracefs
export DAMO_MODULE_ROOT=/nonexistent/damo-test-modules
# Nor near the host's ownership registry (/run/damo) or memory layout.
export DAMO_RUNTIME_DIR=${BATS_FILE_TMPDIR:-${TMPDIR:-/tmp}}/damo-run
export DAMO_IOMEM=$SRC/test/fixtures/iomem

# damo with the test's environment; use as: run -0 damo ARGS
damo() {
	"$DAMO" "$@"
}

# make_sysfs NAME: a copy of one of the observed DAMON trees
# (test/fixtures/sysfs/, copied from shared/spec/) under $BATS_TEST_TMPDIR/sysfs,
# pointed at by DAMO_SYSFS_ROOT; tracefs and modules likewise.
make_sysfs() {
	local spec=$FIXTURES/sysfs/sysfs-observed-$1.txt
	local root=$BATS_TEST_TMPDIR/sysfs
	python3 "$SRC/test/tools/sysfs_tree.py" "$spec" "$BATS_TEST_TMPDIR"
	export DAMO_SYSFS_ROOT=$root
	export DAMO_TRACEFS_ROOT=$BATS_TEST_TMPDIR/tracing
	export DAMO_MODULE_ROOT=$BATS_TEST_TMPDIR/module
	export DAMO_RUNTIME_DIR=$BATS_TEST_TMPDIR/run
}

# A JSON file parses and the jq filter $2 is true for it.
json_check() {
	jq -e "$2" "$1" >/dev/null
}
