#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot one kernel under qemu with the static damo and every scenario of a
# directory in a busybox initramfs; print the guest's TAP, then
# "N passed, N failed", and exit non-zero unless all passed.
#
#   test/kernel/run.sh VMLINUZ SCENARIO_DIR
#
# Environment: DAMO, DAMO_WORKLOAD and DAMO_SOURCE_PROBE (static binaries,
# default build-static/), DAMO_KERNEL_TIMEOUT (whole boot, default 300 s),
# DAMO_SCENARIO_TIMEOUT (each scenario, default 120 s), DAMO_KERNEL_KEEP=1
# keeps the work directory (initramfs, console log, results) for a look.
#
# Everything that writes to DAMON happens inside the guest; the host only
# reads its own files.  KVM does not work on the development machines, so
# qemu runs TCG: a boot to /init takes a few seconds.
set -eu -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
damo=${DAMO:-$src/build-static/damo}
workload=${DAMO_WORKLOAD:-$src/build-static/test/workload/damo-workload}
probe=${DAMO_SOURCE_PROBE:-$(dirname "$workload")/damo-source-probe}
busybox=${BUSYBOX:-/bin/busybox}
boot_timeout=${DAMO_KERNEL_TIMEOUT:-300}
scenario_timeout=${DAMO_SCENARIO_TIMEOUT:-120}

die() {
	echo "run.sh: error: $*" >&2
	exit 1
}

[ $# -eq 2 ] || { echo "usage: $0 VMLINUZ SCENARIO_DIR" >&2; exit 64; }
vmlinuz=$1
scenarios=$2
[ -r "$vmlinuz" ] || die "no kernel at '$vmlinuz'"
ls "$scenarios"/*.sh > /dev/null 2>&1 || die "no *.sh scenario in '$scenarios'"
command -v qemu-system-x86_64 > /dev/null ||
	die "no qemu-system-x86_64 (scripts/deps.sh test installs it)"

# The initramfs has no libraries for these: they must be static.
is_static() {
	[ -x "$1" ] && ! readelf -l "$1" 2> /dev/null | grep -q 'program interpreter'
}
is_static "$damo" || die "'$damo' is not a static executable (scripts/test-kernels.sh build)"
is_static "$workload" || die "'$workload' is not a static executable"
is_static "$probe" || die "'$probe' is not a static executable (scripts/test-kernels.sh build)"
is_static "$busybox" || die "'$busybox' is not a static busybox (busybox-static)"

work=$(mktemp -d "${TMPDIR:-/tmp}/damo-kernel.XXXXXX")
cleanup() {
	if [ "${DAMO_KERNEL_KEEP:-}" = 1 ]; then
		echo "run.sh: kept $work" >&2
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
root=$work/root
mkdir -p "$root"/{bin,dev,proc,sys,tmp,test/scenarios}

cp "$busybox" "$root/bin/busybox"
cp "$damo" "$root/bin/damo"
cp "$workload" "$root/bin/damo-workload"
cp "$probe" "$root/bin/damo-source-probe"

# jq makes the scenarios' JSON checks exact rather than grepped; it is
# dynamic, so it comes with its libraries and loader at the same paths.
copy_dynamic() {
	local bin lib

	bin=$(command -v "$1") || die "no $1 on the host (scripts/deps.sh test)"
	cp -L "$bin" "$root/bin/"
	for lib in $(ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }
				       $1 ~ /^\// { print $1 }'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}
copy_dynamic jq

cp "$here/guest/init" "$root/init"
cp "$here"/guest/*.sh "$root/test/"
cp "$scenarios"/*.sh "$root/test/scenarios/"
chmod 755 "$root/init"
echo "scenario_timeout=$scenario_timeout" > "$root/test/env"

# newc is the cpio format the kernel unpacks; -R keeps the owner root
# when a user builds it.
(cd "$root" && find . | cpio -o -H newc -R 0:0 --quiet) |
	gzip -1 > "$work/initramfs.cpio.gz"

# ttyS0 carries the kernel's console, ttyS1 the results (guest/init).
boot() {
	start=$SECONDS
	rc=0
	rm -f "$work/console.log" "$work/results.tap"
	timeout -k 10 "$boot_timeout" qemu-system-x86_64 \
		-accel tcg -m 512 -smp 2 -nodefaults -display none -no-reboot \
		-kernel "$vmlinuz" -initrd "$work/initramfs.cpio.gz" \
		-append "console=ttyS0 quiet panic=-1" \
		-serial "file:$work/console.log" -serial "file:$work/results.tap" \
		< /dev/null || rc=$?
	elapsed=$((SECONDS - start))
	# The serial line turns "\n" into "\r\n".
	touch "$work/results.tap"
	tr -d '\r' < "$work/results.tap" > "$work/results.txt"
}

# A kernel that panics before /init wrote a line ran none of damo's code:
# under TCG, newer kernels now and then die while patching their own text
# at boot (an int3 Oops in early scheduling code).  Boot such a kernel
# once more, and say so; a panic after /init started is a failure.
boot
if [ ! -s "$work/results.txt" ] && grep -q 'Kernel panic' "$work/console.log" 2> /dev/null; then
	echo "# the kernel panicked before /init ran (qemu status $rc, $elapsed s); booting it again" >&2
	grep -m 1 -E 'Oops|BUG|panic' "$work/console.log" | sed 's/^/#   /' >&2 || true
	boot
fi
cat "$work/results.txt"
echo "# qemu ran $elapsed s (status $rc)"

passed=$(grep -c '^ok ' "$work/results.txt" || true)
failed=$(grep -c '^not ok ' "$work/results.txt" || true)
plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$work/results.txt" | tail -n 1)

# A guest that panicked, hung or lost its results must not pass: require
# the closing marker and a plan that matches what was counted.
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	why="timed out after $boot_timeout s"
elif ! grep -q '^# damo-test: done$' "$work/results.txt"; then
	why="the guest did not finish (qemu status $rc)"
elif [ -z "$plan" ] || [ "$plan" -ne $((passed + failed)) ] || [ "$plan" -eq 0 ]; then
	why="the plan '${plan:-none}' does not match $((passed + failed)) results"
else
	why=
fi
if [ -n "$why" ]; then
	echo "run.sh: error: $why; the console's end:" >&2
	tail -n 40 "$work/console.log" >&2 || true
	failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
