#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The main job on a fresh machine: install what is needed, build damo, and
# show what it sees of a real program.  Nothing here writes to kernel
# DAMON: 'damo features' only reads when a kdamond already runs, and the
# program is monitored by kernel DAMON only where the kernel has vaddr
# (then damo starts its own kdamond and stops it); elsewhere, as on the
# development machines, by damo's embedded monitor.
set -eu
cd "$(dirname "$0")/.."

scripts/deps.sh build
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDAMO_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
export DAMO_RUNTIME_DIR=${DAMO_RUNTIME_DIR:-$(mktemp -d)}
out=$(mktemp)
trap 'build/damo stop --all >/dev/null 2>&1 || true; rm -f "$out"' EXIT

set -x
build/damo version
build/damo features supported
build/damo config check examples/reclaim.yaml
# A program writing 32 MiB of its 256 MiB over and over: where is it hot?
build/damo start --monitoring-intervals 5ms 100ms 1s \
	--damos-action stat --damos-access-rate 5% max -- \
	build/test/workload/damo-workload --size 256M --hot 32M@64M --write \
	--seconds 30 > "$out"
sleep 10
cat "$out"
build/damo schemes stats
build/damo schemes tried
build/damo stop --all
