#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages damo needs: "build" for building and running,
# "test" for every test tier as well.  Installs only what is missing.
set -eu

build_pkgs="gcc make cmake pkg-config libyaml-dev libcjson-dev libncurses-dev
zlib1g-dev libdeflate-dev libpng-dev"
# The kernel tier (test/kernel/) boots Debian's DAMON kernels under qemu
# with busybox and a static damo in a cpio initramfs.
# libFuzzer (scripts/fuzz.sh) is in clang's runtime package.
# damo metrics is checked by promtool (prometheus) and served by a real
# node_exporter (test/cmd/metrics.bats); the systemd unit by
# systemd-analyze verify, which looks its man pages up with man
# (test/cmd/systemd.bats).  The .deb's dependencies come from
# dpkg-shlibdeps (dpkg-dev; scripts/deb.sh).
test_pkgs="libcmocka-dev bats jq mandoc bash-completion zsh clang libclang-rt-dev
python3 tmux qemu-system-x86 busybox-static cpio
prometheus prometheus-node-exporter curl systemd man-db
dpkg-dev"

want=$build_pkgs
[ "${1:-build}" = test ] && want="$build_pkgs $test_pkgs"

missing=
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "installing:$missing" >&2
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
