#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The main job on a fresh machine: install what is needed, build damo, and
# show what it sees.  Nothing here writes to DAMON: 'damo features' only reads
# when a kdamond already runs, and the configuration commands touch no kernel.
set -eu
cd "$(dirname "$0")/.."

scripts/deps.sh build
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDAMO_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)" >/dev/null

set -x
build/damo version
build/damo features
build/damo config check examples/reclaim.yaml
build/damo config show examples/reclaim.yaml --json
