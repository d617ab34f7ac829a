#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The layering test: build each probe target of BUILD_DIR (cmake/layers.cmake)
# and check that a right-way include compiles and a wrong-way one fails
# because its header is not on the layer's include root.
#   layering.sh BUILD_DIR ok|bad:TARGET:LAYER:HEADER...
set -u
build=$1
shift
pass=0 fail=0
for spec in "$@"; do
	want=${spec%%:*}; rest=${spec#*:}
	target=${rest%%:*}; rest=${rest#*:}
	layer=${rest%%:*}; header=${rest#*:}
	log=$(cmake --build "$build" --target "$target" 2>&1)
	rc=$?
	if [ "$want" = ok ] && [ $rc -eq 0 ]; then
		echo "ok - $layer may include $header"
		pass=$((pass + 1))
	elif [ "$want" = bad ] && [ $rc -ne 0 ] &&
	     printf '%s\n' "$log" | grep -q "$header: No such file or directory"; then
		echo "ok - $layer cannot include $header"
		pass=$((pass + 1))
	else
		echo "not ok - $layer and $header: expected $want, build exit $rc"
		printf '%s\n' "$log" | tail -n 20 | sed 's/^/#   /'
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
