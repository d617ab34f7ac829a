# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash  # busybox ash: POSIX sh plus local
# The workload is fit for the other scenarios: it says where its memory is,
# and DAMON itself, driven through raw sysfs writes (no damo), finds its hot
# range where it says.  damo's own monitoring scenarios compare against
# this baseline.
. /test/tap.sh

kd=/sys/kernel/mm/damon/admin/kdamonds
stat=/sys/module/damon_stat/parameters/enabled
mib=1048576

# No pause between passes: under TCG one pass over 16 MiB takes about as
# long as a DAMON sample, and a pause would hide accesses from sampling.
damo-workload --size 128M --hot 16M@64M --period 0 --seconds 120 \
	> /tmp/wl.out &
wl=$!
i=0
while ! grep -q '^pid=' /tmp/wl.out && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
check "workload: prints its pid and where its memory is" grep -Eq \
	"^pid=$wl base=0x[0-9a-f]+ size=134217728 hot_start=0x[0-9a-f]+ hot_end=0x[0-9a-f]+ pattern=hot$" \
	/tmp/wl.out
for kv in $(grep '^pid=' /tmp/wl.out); do
	case $kv in
	base=*) base=$((${kv#*=})) ;;
	hot_start=*) hot_start=$((${kv#*=})) ;;
	hot_end=*) hot_end=$((${kv#*=})) ;;
	esac
done
check "workload: the hot range is 16 MiB at 64 MiB" \
	[ $((hot_start - base)) -eq $((64 * mib)) -a \
	  $((hot_end - hot_start)) -eq $((16 * mib)) ]

# DAMON_STAT's kdamond keeps sysfs kdamonds from starting (EBUSY).
stat_was=
if [ -w $stat ]; then
	stat_was=$(cat $stat)
	echo N > $stat
fi

# One vaddr context on the workload, one stat scheme for regions accessed
# in at least a quarter of the samples of an aggregation (5 of 20).
setup_damon() {
	local c s

	echo 1 > $kd/nr_kdamonds &&
	echo 1 > $kd/0/contexts/nr_contexts &&
	c=$kd/0/contexts/0 &&
	echo vaddr > $c/operations &&
	echo 1 > $c/targets/nr_targets &&
	echo $wl > $c/targets/0/pid_target &&
	echo 1 > $c/schemes/nr_schemes &&
	s=$c/schemes/0 &&
	echo stat > $s/action &&
	echo 4611686018427387904 > $s/access_pattern/sz/max &&
	echo 5 > $s/access_pattern/nr_accesses/min &&
	echo 4294967295 > $s/access_pattern/nr_accesses/max &&
	echo 4294967295 > $s/access_pattern/age/max &&
	echo on > $kd/0/state
}
check "workload: a raw sysfs vaddr kdamond starts on it" setup_damon

# hot_regions: the regions the stat scheme tries now, one line each in
# /tmp/regions; $found is their size, $inside how much of it is in the
# workload's hot range, in bytes.
hot_regions() {
	local r s e

	echo update_schemes_tried_regions > $kd/0/state
	found=0 inside=0
	: > /tmp/regions
	for r in $kd/0/contexts/0/schemes/0/tried_regions/[0-9]*; do
		[ -d "$r" ] || continue
		s=$(cat $r/start) e=$(cat $r/end)
		printf '%#x-%#x %d KiB nr_accesses=%s age=%s\n' $s $e \
		       $(((e - s) / 1024)) "$(cat $r/nr_accesses)" \
		       "$(cat $r/age)" >> /tmp/regions
		found=$((found + e - s))
		[ $s -gt $hot_start ] || s=$hot_start
		[ $e -lt $hot_end ] || e=$hot_end
		[ $e -le $s ] || inside=$((inside + e - s))
	done
}

percent() {
	[ "$2" -gt 0 ] && echo $(($1 * 100 / $2)) || echo 0
}

# Region boundaries are found by sampling: allow a margin, and give the
# adaptive regions up to 30 s to settle, looking once a second.
good() {
	[ "$(percent $inside $((hot_end - hot_start)))" -ge 75 ] &&
	[ "$(percent $inside $found)" -ge 75 ]
}
i=0
sleep 2
while hot_regions && ! good && [ $i -lt 30 ]; do
	sleep 1
	i=$((i + 1))
done
diag "after $((i + 2)) s, workload hot range" \
     "$(printf '%#x-%#x' $hot_start $hot_end), DAMON's hot regions:"
diag < /tmp/regions

check "workload: DAMON covers most of the hot range" \
	[ "$(percent $inside $((hot_end - hot_start)))" -ge 75 ]
check "workload: what DAMON calls hot is mostly inside it" \
	[ "$(percent $inside $found)" -ge 75 ]

echo off > $kd/0/state
echo 0 > $kd/nr_kdamonds
[ -z "$stat_was" ] || echo "$stat_was" > $stat
kill $wl
wait $wl 2> /dev/null
exit 0
