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
dir=$(mktemp -d)
trap 'build/damo stop --all >/dev/null 2>&1 || true; rm -rf "$out" "$dir"' EXIT

set -x
build/damo version
build/damo features supported
build/damo config check examples/reclaim.yaml
# A real program: it writes a 32 MiB window of its 256 MiB, moving to the
# next window every 3 s.  Record it (kernel DAMON where the kernel has
# vaddr, else damo's embedded monitor), then look at what was recorded.
build/damo record --monitoring-intervals 10ms 200ms 1s --duration 15s \
	-o "$dir/demo.data" -- build/test/workload/damo-workload --size 256M \
	--hot 32M@0 --pattern stairs --step 3s --write --seconds 30 > "$out"
build/damo report heatmap -i "$dir/demo.data" --resol 15 60
build/damo report wss -i "$dir/demo.data" --range 0 101 25
build/damo report footprint rss -i "$dir/demo.data" --range 0 101 50
