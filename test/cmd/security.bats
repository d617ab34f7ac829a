#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# What damo promises on a shared machine (docs/security.md): an unprivileged
# attacker plants links, files and directories where root's damo writes;
# root's damo writes safely or refuses with a clear error, and the victim
# file stays as it was.  The attacker is a system user, damo-attacker,
# created if absent (and left: other runs may use it).

load ../helpers

ATTACKER=damo-attacker
VICTIM_TEXT="root's own file"

setup() {
	MODELS=$SRC/examples/workloads
	if [ "$(id -u)" != 0 ] || ! command -v runuser >/dev/null; then
		skip "needs root and runuser (an attacker and a root victim)"
	fi
	id -u "$ATTACKER" >/dev/null 2>&1 ||
		useradd -M -r -s /usr/sbin/nologin "$ATTACKER" 2>/dev/null ||
		id -u "$ATTACKER" >/dev/null	# another run made it meanwhile
	# a directory everyone may write in, as a shared /tmp subdirectory is
	# (not sticky: nothing but damo itself stands in the way)
	S=$(mktemp -d /tmp/damo-security.XXXXXX)
	chmod 0777 "$S"
	# the victim: root's, where the attacker cannot write
	VICTIM=$BATS_TEST_TMPDIR/victim
	echo "$VICTIM_TEXT" >"$VICTIM"
	chmod 0644 "$VICTIM"
}

teardown() {
	[ -z "${S:-}" ] || rm -rf "$S"
	[ -z "${FALLBACK:-}" ] || rm -rf "$FALLBACK"
}

as_attacker() {
	runuser -u "$ATTACKER" -- "$@"
}

victim_untouched() {
	[ "$(cat "$VICTIM")" = "$VICTIM_TEXT" ]
}

# No temporary file of damo's is left next to $1.
no_leftovers() {
	local dir=${1%/*} base=${1##*/}

	[ -z "$(find "$dir" -maxdepth 1 -name ".$base.*")" ]
}

@test "a JSON record is not written through links planted at its name or PATH.tmp" {
	for fmt in json json_compressed; do
		out=$S/r.$fmt
		as_attacker ln -s "$VICTIM" "$out.tmp"
		as_attacker ln -s "$VICTIM" "$out"
		run -0 damo record --model "$MODELS/stairs.yaml" --duration 1s \
			--format "$fmt" -o "$out"
		victim_untouched
		# the link at the name was moved aside as any old output is
		[ -L "$out.old" ] && [ -f "$out" ] && [ ! -L "$out" ]
		[ "$(stat -c %U "$out")" = root ]
		[ -L "$out.tmp" ]	# the attacker's, left alone
		no_leftovers "$out"
	done
	# what was written is a record
	run -0 damo report access -i "$S/r.json"
}

@test "a native record is not written through a planted link or FIFO" {
	as_attacker ln -s "$VICTIM" "$S/r.data"
	run -0 damo record --model "$MODELS/stairs.yaml" --duration 1s -o "$S/r.data"
	victim_untouched
	[ -f "$S/r.data" ] && [ ! -L "$S/r.data" ] && [ -L "$S/r.data.old" ]
	as_attacker mkfifo "$S/f.data"
	run -0 timeout 20 "$DAMO" record --model "$MODELS/stairs.yaml" --duration 1s -o "$S/f.data"
	[ -f "$S/f.data" ] && [ -p "$S/f.data.old" ]
}

@test "convert's output is not written through planted links" {
	run -0 damo record --model "$MODELS/stairs.yaml" --duration 1s -o "$BATS_TEST_TMPDIR/in.data"
	for fmt in json native; do
		out=$S/c.$fmt
		as_attacker ln -s "$VICTIM" "$out.tmp"
		as_attacker ln -s "$VICTIM" "$out"
		run -0 damo convert "$BATS_TEST_TMPDIR/in.data" --format "$fmt" -o "$out"
		victim_untouched
		[ -f "$out" ] && [ ! -L "$out" ] && [ -L "$out.old" ]
		[ -L "$out.tmp" ]	# the attacker's, left alone
		no_leftovers "$out"
	done
	run -0 damo report access -i "$S/c.native"
}

@test "convert keeps a file of the user's that is named like its temporary file" {
	run -0 damo record --model "$MODELS/stairs.yaml" --duration 1s -o "$BATS_TEST_TMPDIR/in.data"
	echo "notes of mine" > "$BATS_TEST_TMPDIR/out.data.tmp"
	run -0 damo convert "$BATS_TEST_TMPDIR/in.data" --format native -o "$BATS_TEST_TMPDIR/out.data"
	[ "$(cat "$BATS_TEST_TMPDIR/out.data.tmp")" = "notes of mine" ]
	run -0 damo report access -i "$BATS_TEST_TMPDIR/out.data"
}

@test "adjust's output, and its permission, are not applied through planted links" {
	run -0 damo record --model "$MODELS/stairs.yaml" --duration 1s -o "$BATS_TEST_TMPDIR/in.data"
	out=$S/a.data
	as_attacker ln -s "$VICTIM" "$out.tmp"
	as_attacker ln -s "$VICTIM" "$out"
	run -0 damo adjust -i "$BATS_TEST_TMPDIR/in.data" --output-permission 666 -o "$out"
	victim_untouched
	[ "$(stat -c %a "$VICTIM")" = 644 ]
	[ -f "$out" ] && [ ! -L "$out" ] && [ "$(stat -c %a "$out")" = 666 ]
	no_leftovers "$out"
}

@test "a heatmap image is not written through links planted at its name or PATH.tmp" {
	run -0 damo record --model "$MODELS/stairs.yaml" --duration 2s -o "$BATS_TEST_TMPDIR/hb.data"
	for ext in png svg; do
		out=$S/h.$ext
		as_attacker ln -s "$VICTIM" "$out.tmp"
		as_attacker ln -s "$VICTIM" "$out"
		run -0 damo report heatmap -i "$BATS_TEST_TMPDIR/hb.data" \
			--resol 10 16 --output "$out"
		victim_untouched
		[ -f "$out" ] && [ ! -L "$out" ] && [ -L "$out.tmp" ]
		no_leftovers "$out"
	done
}

@test "a runtime directory the attacker made, or linked, is refused" {
	make_sysfs 7.2
	# made by the attacker, mode 0700 and all
	as_attacker mkdir -m 0700 "$S/run"
	export DAMO_RUNTIME_DIR=$S/run
	for cmd in status stop "stop --all" "tune 0 --damos-action stat" \
		   "schemes stats" "schemes tried" "report tried --live" \
		   "start --target-pid $$" "start --backend embedded --target-pid $$" \
		   "record --target-pid $$ -o $BATS_TEST_TMPDIR/x.data" \
		   "record --backend embedded --target-pid $$ -o $BATS_TEST_TMPDIR/x.data"; do
		run -1 --separate-stderr damo $cmd
		[[ $stderr == *"refusing the runtime directory '$S/run': it belongs to another user"* ]]
	done
	[ -z "$(ls -A "$S/run")" ]
	# a link to a directory of root's own is still the attacker's link
	mkdir -m 0700 "$BATS_TEST_TMPDIR/rootrun"
	as_attacker ln -s "$BATS_TEST_TMPDIR/rootrun" "$S/link"
	DAMO_RUNTIME_DIR=$S/link run -1 --separate-stderr damo status
	[[ $stderr == *"refusing the runtime directory '$S/link': it is a symbolic link"* ]]
	# root's own, but others may write in it
	mkdir -m 0777 "$S/open"
	DAMO_RUNTIME_DIR=$S/open run -1 --separate-stderr damo status
	[[ $stderr == *"refusing the runtime directory '$S/open': others may write in it"* ]]
	# absent: made owner-only
	DAMO_RUNTIME_DIR=$BATS_TEST_TMPDIR/fresh/damo run -0 damo status
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/fresh/damo")" = 700 ]
}

@test "the /tmp/damo-UID fallback made by another user is refused" {
	# the victim: a user without XDG_RUNTIME_DIR (cron, su), uid 65534
	FALLBACK=/tmp/damo-65534
	if [ -e "$FALLBACK" ]; then
		FALLBACK=
		skip "/tmp/damo-65534 exists already"
	fi
	# the victim's own file, that its damo could empty or forge
	OWN=$S/nobody-file
	echo "$VICTIM_TEXT" >"$OWN"
	chown 65534:65534 "$OWN"
	chmod 0600 "$OWN"
	as_attacker mkdir -m 0777 "$FALLBACK"
	as_attacker ln -s "$OWN" "$FALLBACK/kdamonds"
	run -1 --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups \
		env -u DAMO_RUNTIME_DIR -u XDG_RUNTIME_DIR "$DAMO" stop --all
	[[ $stderr == *"refusing the runtime directory '$FALLBACK': it belongs to another user"* ]]
	[ "$(cat "$OWN")" = "$VICTIM_TEXT" ]
}

@test "a kdamonds registry that is a link, a FIFO or another user's is refused" {
	make_sysfs 7.2
	mkdir -m 0700 "$DAMO_RUNTIME_DIR"
	ln -s "$VICTIM" "$DAMO_RUNTIME_DIR/kdamonds"
	run -1 --separate-stderr damo stop --all
	[[ $stderr == *"refusing the ownership registry '$DAMO_RUNTIME_DIR/kdamonds': it is a symbolic link"* ]]
	victim_untouched
	rm "$DAMO_RUNTIME_DIR/kdamonds"
	mkfifo "$DAMO_RUNTIME_DIR/kdamonds"
	run -1 --separate-stderr timeout 20 "$DAMO" stop --all
	[[ $stderr == *"refusing the ownership registry '$DAMO_RUNTIME_DIR/kdamonds': it is not a regular file"* ]]
	# reading needs no registry: status neither blocks nor calls anything damo's
	run -0 timeout 20 "$DAMO" status --json
	echo "$output" | jq -e '[.kdamonds[].owner] | all(. == "foreign")'
	rm "$DAMO_RUNTIME_DIR/kdamonds"
	touch "$DAMO_RUNTIME_DIR/kdamonds"
	chown "$ATTACKER" "$DAMO_RUNTIME_DIR/kdamonds"
	run -1 --separate-stderr damo stop --all
	[[ $stderr == *"refusing the ownership registry '$DAMO_RUNTIME_DIR/kdamonds': it belongs to another user"* ]]
}

@test "a JSON record onto a full disk says 'No space left on device'" {
	command -v unshare >/dev/null || skip "no unshare"
	unshare -m true 2>/dev/null || skip "cannot make a mount namespace here"
	mnt=$BATS_TEST_TMPDIR/full
	mkdir "$mnt"
	for fmt in json json_compressed native; do
		run --separate-stderr unshare -m sh -c '
			mount -t tmpfs -o size=64k tmpfs "$1" || exit 99
			"$2" record --model "$3" --duration 200s --format "$4" -o "$1/r"' \
			sh "$mnt" "$DAMO" "$MODELS/stairs.yaml" "$fmt"
		[ "$status" -ne 99 ] || skip "cannot mount a tmpfs here"
		[ "$status" -ne 0 ]
		[[ $stderr == *"No space left on device"* ]]
		[[ $stderr != *"Input/output error"* ]]
	done
}
