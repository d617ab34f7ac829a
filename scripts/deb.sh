#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The .deb of damo: built by CPack from the CMake install rules, then
# checked: its files, installed into a dpkg root of its own
# (dpkg --root, nothing of this machine's packages touched), run, and
# removed without a trace.  On a throwaway CI machine (CI set, root, no
# damo installed) it is also installed for real with dpkg -i, run, and
# purged.
#
#   scripts/deb.sh [BUILD_DIR]     (default: build-deb)
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$src/build-deb}

fail() {
	echo "deb.sh: $*" >&2
	exit 1
}

cmake -S "$src" -B "$out" -DCMAKE_INSTALL_PREFIX=/usr -DDAMO_TESTS=OFF \
	-DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$out" -j2 >/dev/null
rm -f "$out"/damo_*.deb
(cd "$out" && cpack -G DEB >/dev/null 2>&1) || fail "cpack failed"
set -- "$out"/damo_*.deb
[ -f "$1" ] || fail "cpack made no .deb in $out"
deb=$1
echo "built $deb"

# what it holds: the binary, the agent, man pages, completions where
# Debian's bash-completion loads them, the unit
bashdir=$(pkg-config --variable=completionsdir bash-completion)
files=$(dpkg-deb -c "$deb" | awk '{ print $NF }' | sed 's|^\./|/|')
# systemd's directory (/lib/systemd/system on Debian 12, /usr/lib/... after)
unitdir=$(echo "$files" | sed -n 's|^\(/.*/systemd/system\)/damo@\.service$|\1|p')
[ -n "$unitdir" ] || fail "$deb lacks the systemd unit damo@.service"
for f in /usr/bin/damo "$bashdir/damo" /usr/share/zsh/site-functions/_damo \
	/usr/share/man/man8/damo.8 /usr/share/man/man8/damo-metrics.8; do
	echo "$files" | grep -qx "$f" || fail "$deb lacks $f"
done
echo "$files" | grep -q '/damo/libdamo-agent\.so$' || fail "$deb lacks the agent"
dpkg-deb -f "$deb" Depends | grep -q libyaml || fail "no shared library dependencies"
dpkg-deb --fsys-tarfile "$deb" | tar -xO ".$unitdir/damo@.service" |
	grep -qx 'ExecStart=/usr/bin/damo start --foreground --name %i /etc/damo/%i.yaml' ||
	fail "the unit does not run /usr/bin/damo"

# installed into a root of its own, run, removed
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
: > "$root/var/lib/dpkg/status"
: > "$root/var/lib/dpkg/available"
# the libraries it depends on are this machine's, not the root's
dpkg --root="$root" --force-depends --force-not-root -i "$deb" >/dev/null 2>&1 ||
	fail "dpkg --root -i $deb failed"
v=$("$root/usr/bin/damo" version)
[ "$v" = "damo $(dpkg-deb -f "$deb" Version)" ] || fail "damo version said '$v'"
[ -f "$root$bashdir/damo" ] || fail "no completion at $bashdir"
dpkg --root="$root" --force-not-root -r damo >/dev/null 2>&1 ||
	fail "dpkg --root -r damo failed"
left=$(cd "$root" && find . -mindepth 1 ! -path './var' ! -path './var/lib' \
	! -path './var/lib/dpkg' ! -path './var/lib/dpkg/*')
[ -z "$left" ] || fail "dpkg -r left: $left"
echo "installed into a dpkg root, ran '$v', removed cleanly"

# for real, only where the machine is thrown away afterwards
if [ -n "${CI:-}" ] && [ "$(id -u)" = 0 ] && ! command -v damo >/dev/null &&
	! dpkg-query -W damo >/dev/null 2>&1; then
	dpkg -i "$deb" >/dev/null
	# a failed check must not leave it installed
	trap 'rm -rf "$root"; dpkg -r damo >/dev/null 2>&1 || :' EXIT
	v=$(damo version)
	[ "$v" = "damo $(dpkg-deb -f "$deb" Version)" ] || fail "installed damo version said '$v'"
	# the loader returns 124 ("try again") once it has loaded one
	bash -c '. /usr/share/bash-completion/bash_completion
		_completion_loader damo; complete -p damo' >/dev/null ||
		fail "bash-completion does not load damo's completion"
	dpkg -r damo >/dev/null
	for f in /usr/bin/damo "$bashdir/damo" "$unitdir/damo@.service"; do
		[ ! -e "$f" ] || fail "dpkg -r left $f"
	done
	echo "installed with dpkg -i, ran '$v', removed cleanly"
fi
