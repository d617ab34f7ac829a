#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The kernel test tier: real Debian DAMON kernels booted under qemu with a
# static damo inside (docs/test-kernels.md).
#
#   scripts/test-kernels.sh fetch [--refresh]   cache both kernels, say which
#   scripts/test-kernels.sh build               the static damo, workload, probe
#   scripts/test-kernels.sh run [SCENARIO_DIR]  all of the above, then boot
#                                               each kernel with its scenarios
#
# Kernels: "stable" is Debian 12's newest linux-image-6.12.*+deb12 cloud
# kernel, "newest" the newest linux-binary-*-cloud-amd64 in Debian sid, and
# "nodamon" Debian 12's own default kernel (linux-image-6.1.0-N cloud),
# built without DAMON: it runs test/kernel/nodamon/ (the embedded monitor
# on a kernel with no DAMON at all), the others test/kernel/scenarios/.
# All are resolved at fetch time and cached (only the vmlinuz) in
# $DAMO_TEST_KERNELS_CACHE, by default ${XDG_CACHE_HOME:-~/.cache}/
# damo-test-kernels; later runs use the cache without the network until
# --refresh.  DAMO_TEST_KERNELS="stable newest" picks which ones run;
# DAMO_DEBIAN_MIRROR (a .../debian URI) replaces the machine's mirror.
#
# Nothing here writes to the host's DAMON or its apt state: apt runs on
# private sources, lists and caches under the cache directory.
set -eu -o pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
cache=${DAMO_TEST_KERNELS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/damo-test-kernels}
kernels=${DAMO_TEST_KERNELS:-stable newest nodamon}
static_dir=${DAMO_STATIC_BUILD:-$src/build-static}

die() {
	echo "test-kernels: error: $*" >&2
	exit 1
}

# The Debian mirror the machine already uses (the first .../debian URI of its
# apt sources), so that the private sources below go where apt is allowed to.
host_uris() {
	local f

	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] && awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		# deb [options] URI suite components
		[ -r "$f" ] && awk '$1 == "deb" {
			i = 2
			if ($2 ~ /^\[/) while (i <= NF && $i !~ /\]$/) i++
			if ($2 ~ /^\[/) i++
			print $i }' "$f"
	done
	return 0
}

debian_uri() {
	local u=${DAMO_DEBIAN_MIRROR:-}

	[ -n "$u" ] || u=$(host_uris | grep -E '/debian/?$' | head -n 1)
	if [ -z "$u" ]; then
		u=http://deb.debian.org/debian
		echo "test-kernels: no Debian mirror in /etc/apt, using $u" >&2
	fi
	echo "${u%/}"
}

security_uri() {
	local u=

	[ -n "${DAMO_DEBIAN_MIRROR:-}" ] ||
		u=$(host_uris | grep -E '/debian-security/?$' | head -n 1)
	[ -n "$u" ] || u=$(debian_uri)-security
	echo "${u%/}"
}

keyring=/usr/share/keyrings/debian-archive-keyring.gpg

# stanza URI SUITES: one deb822 source
stanza() {
	echo "Types: deb"
	echo "URIs: $1"
	echo "Suites: $2"
	echo "Components: main"
	[ -r $keyring ] && echo "Signed-By: $keyring"
	echo
}

# apt_private DIR: apt options that keep all of apt's state inside DIR,
# whose sources file is DIR/sources.sources.
apt_private() {
	local d=$1

	mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/parts"
	apt_opts=(-o "Dir::Etc::sourcelist=$d/sources.sources"
		-o "Dir::Etc::SourceParts=$d/parts"
		-o "Dir::State::Lists=$d/lists"
		-o "Dir::Cache=$d/cache"
		-o "Dir::Cache::pkgcache=$d/cache/pkg.bin"
		-o "Dir::Cache::srcpkgcache=$d/cache/src.bin"
		-o "Acquire::Languages=none")
	# As root apt downloads as _apt, which cannot enter a private
	# directory under /root: stay root rather than warn on each run.
	[ "$(id -u)" -ne 0 ] || apt_opts+=(-o APT::Sandbox::User=root)
}

# fetch_one SLOT: resolve, download and unpack one kernel unless cached.
# Leaves $cache/SLOT/{vmlinuz,release,package}.
fetch_one() {
	local slot=$1 dir=$cache/$1 tmp=$cache/$1.tmp name rel deb vmlinuz
	local regex prefix suffix

	if [ -z "$refresh" ] && [ -s "$dir/vmlinuz" ] && [ -s "$dir/release" ]; then
		echo "kernel $slot: $(cat "$dir/release") ($(cat "$dir/package"), cached)"
		return 0
	fi
	rm -rf "$tmp"
	mkdir -p "$tmp"
	case $slot in
	stable)
		# Debian 12's 6.12 comes through bookworm-security and point
		# releases; the name carries the ABI: 6.12.N+deb12.
		{
			stanza "$(debian_uri)" "bookworm bookworm-updates"
			stanza "$(security_uri)" bookworm-security
		} > "$tmp/apt.sources"
		regex='^linux-image-6\.12\.[0-9]+\+deb12-cloud-amd64-unsigned$'
		prefix=linux-image- suffix=-unsigned
		;;
	nodamon)
		# Debian 12's default kernel: 6.1.0-N, CONFIG_DAMON not set.
		{
			stanza "$(debian_uri)" "bookworm bookworm-updates"
			stanza "$(security_uri)" bookworm-security
		} > "$tmp/apt.sources"
		regex='^linux-image-6\.1\.0-[0-9]+-cloud-amd64-unsigned$'
		prefix=linux-image- suffix=-unsigned
		;;
	newest)
		# linux-image-<ver>-cloud-amd64 is only a meta package in sid
		# now; the vmlinuz is in linux-binary-<ver>-cloud-amd64.
		stanza "$(debian_uri)" sid > "$tmp/apt.sources"
		regex='^linux-binary-[0-9][^ ]*-cloud-amd64$'
		prefix=linux-binary- suffix=
		;;
	*)
		die "unknown kernel '$slot' (stable, newest, nodamon)"
		;;
	esac
	apt_private "$tmp/apt"
	mv "$tmp/apt.sources" "$tmp/apt/sources.sources"
	# --error-on=any: an unreachable mirror is an error, not a warning.
	apt-get "${apt_opts[@]}" -qq --error-on=any update >&2 ||
		die "apt-get update failed for the $slot kernel ($tmp/apt/sources.sources)"
	name=$(apt-cache "${apt_opts[@]}" search --names-only "$regex" |
	       awk '{ print $1 }' | sort -V | tail -n 1)
	[ -n "$name" ] || die "no package matches '$regex' for the $slot kernel"
	if [ -s "$dir/vmlinuz" ] && [ "$(cut -d' ' -f1 "$dir/package")" = "$name" ]; then
		rm -rf "$tmp"
		echo "kernel $slot: $(cat "$dir/release") ($(cat "$dir/package"), up to date)"
		return 0
	fi
	(cd "$tmp" && apt-get "${apt_opts[@]}" -qq download "$name") >&2 ||
		die "cannot download $name"
	deb=$(ls "$tmp"/*.deb)
	# Only the kernel image: the modules are of no use in an initramfs
	# with nothing to load them from.
	mkdir "$tmp/x"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp/x" --wildcards '*vmlinuz*'
	vmlinuz=$(find "$tmp/x" -type f -name 'vmlinuz*' | head -n 1)
	[ -n "$vmlinuz" ] || die "no vmlinuz in $deb"
	mv "$vmlinuz" "$tmp/vmlinuz"
	rel=${name#"$prefix"}
	rel=${rel%"$suffix"}
	echo "$rel" > "$tmp/release"
	echo "$name $(dpkg-deb -f "$deb" Version)" > "$tmp/package"
	rm -rf "$tmp/x" "$tmp/apt" "$deb"
	rm -rf "$dir"
	mv "$tmp" "$dir"
	echo "kernel $slot: $rel ($(cat "$dir/package"), downloaded)"
}

fetch() {
	local k

	mkdir -p "$cache"
	# Two runs at once (CI retries, a developer's shell) share the cache.
	exec 9> "$cache/.lock"
	flock 9
	for k in $kernels; do
		fetch_one "$k"
	done
	exec 9>&-
}

build() {
	# Only damo and the workload: the unit tests' libraries have no
	# static archives (cmocka).
	cmake -S "$src" -B "$static_dir" -DDAMO_STATIC=ON -DDAMO_WERROR=ON \
	      -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
	cmake --build "$static_dir" -j"$(nproc)" --target damo damo-workload \
	      damo-source-probe > /dev/null
}

# boot_once KERNEL SCENARIO_DIR OUT: one boot of KERNEL with the scenarios,
# its TAP shown and kept in OUT; run.sh's status.
boot_once() {
	DAMO=$static_dir/damo \
	DAMO_WORKLOAD=$static_dir/test/workload/damo-workload \
		"$src/test/kernel/run.sh" "$cache/$1/vmlinuz" "$2" | tee "$3"
}

# scenarios_of KERNEL: the scenarios a kernel runs (see the top).
scenarios_of() {
	case $1 in
	nodamon) echo "$src/test/kernel/nodamon" ;;
	*) echo "$src/test/kernel/scenarios" ;;
	esac
}

# run [SCENARIO_DIR]: every kernel in turn (each with SCENARIO_DIR, else its
# own scenarios), one closing line for all of them.
run() {
	local scen k out last rc
	local passed=0 failed=0 p f start=$SECONDS

	fetch
	build
	for k in $kernels; do
		echo "== kernel $k: $(cat "$cache/$k/release")"
		scen=${1:-$(scenarios_of "$k")}
		out=$(mktemp)
		rc=0
		boot_once "$k" "$scen" "$out" || rc=$?
		# A guest kernel that panics under TCG (int3 text patching racing
		# between the emulated CPUs; seen at boot, before any scenario)
		# gets one more boot, said loudly; a second panic fails.
		if grep -q 'Kernel panic' "$out"; then
			echo "== kernel $k panicked under qemu; booting it once more"
			rc=0
			boot_once "$k" "$scen" "$out" || rc=$?
		fi
		# run.sh ends with "N passed, N failed", or it broke down.
		last=$(tail -n 1 "$out")
		rm -f "$out"
		if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
			p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]}
		else
			p=0 f=0
		fi
		[ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || f=1
		passed=$((passed + p)) failed=$((failed + f))
	done
	echo "== kernel tier took $((SECONDS - start)) s"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

cmd=${1:-run}
[ $# -eq 0 ] || shift
refresh=
case $cmd in
fetch)
	[ "${1:-}" != --refresh ] || refresh=1
	fetch
	;;
build)
	build
	;;
run)
	run "$@"
	;;
*)
	echo "usage: $0 [fetch [--refresh] | build | run [SCENARIO_DIR]]" >&2
	exit 64
	;;
esac
