# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash  # busybox ash: POSIX sh plus local
# damo features matches the kernel: what Debian's 6.12 and newest kernels
# have (docs/test-kernels.md, test/fixtures/sysfs/) is reported as
# seen, what they lack as absent; the temporary kdamond damo makes to look
# at an idle DAMON is gone again, --read-only makes none, DAMON_STAT does
# not change the answer, and the keywords damo infers are the kernel's.
. /test/tap.sh

admin=/sys/kernel/mm/damon/admin
stat=/sys/module/damon_stat/parameters

nr_kdamonds() {
	cat $admin/kdamonds/nr_kdamonds
}

if [ -d $stat ]; then
	diag "damon_stat enabled=$(cat $stat/enabled)" \
	     "kdamond_pid=$(cat $stat/kdamond_pid 2> /dev/null)"
else
	diag "no damon_stat module"
fi

# Every kernel this tier boots (6.12 and later) has these.
base_yes="sysfs vaddr fvaddr paddr avail_operations schemes_apply_interval
schemes_target_nid schemes_tried_regions schemes_tried_bytes schemes_filters
schemes_filters_addr_range schemes_quota_goals schemes_quota_effective_bytes
schemes_quota_goal_metric damon_aggregated damos_before_apply damon_reclaim
damon_lru_sort"
# What 6.12 lacks and the newest Debian kernel (7.2) has.
after_6_12="refresh_ms addr_unit intervals_goal schemes_filters_core_ops
schemes_dests schemes_filters_allow schemes_filters_hugepage_size
schemes_quota_goal_nid schemes_quota_goal_path schemes_quota_goal_tuner
schemes_quota_fail_charge schemes_stat_sz_ops_filter_passed
schemes_stat_nr_snapshots obsolete_target pause probes
damon_monitor_intervals_tune damos_esz damos_stat_after_apply_interval
damon_region_aggregated damon_stat"

kv=$(kver)
if [ "$kv" -eq 6012 ]; then
	want_yes=$base_yes
	want_no=$after_6_12
elif [ "$kv" -ge 7002 ]; then
	want_yes="$base_yes $after_6_12"
	want_no=
else
	diag "no expectations for $(uname -r) beyond what 6.12 has"
	want_yes=$base_yes
	want_no=
fi

# states FILE: "name state" per feature of a damo features --json output.
states() {
	jq -r '.features[] | "\(.name) \(.state)"' "$1"
}

# expect_state FILE STATE NAME...: each NAME has STATE; prints the others.
expect_state() {
	local f=$1 want=$2 n got bad=0

	shift 2
	states "$f" > /tmp/states || return 1
	for n in "$@"; do
		got=$(awk -v n="$n" '$1 == n { print $2 }' /tmp/states)
		if [ "$got" != "$want" ]; then
			echo "$n: ${got:-missing}, expected $want"
			bad=1
		fi
	done
	return $bad
}

check "features: no kdamond in sysfs at boot" is "$(nr_kdamonds)" 0

run_cmd f damo features --json
check "features: --json exits 0 with nothing on stderr" quiet_run f
check "features: a temporary kdamond was read" \
	jq_true /tmp/f.out '.sysfs and .temporary_kdamond and .kdamonds_read == 1'
check "features: what $(uname -r) has is seen" \
	expect_state /tmp/f.out yes $want_yes
if [ -n "$want_no" ]; then
	check "features: what $(uname -r) lacks is absent" \
		expect_state /tmp/f.out no $want_no
fi
check "features: the temporary kdamond is removed again" \
	is "$(nr_kdamonds)" 0

run_cmd t damo features
check "features: the text table agrees" \
	grep -Eq '^vaddr +ops +yes +5\.15$' /tmp/t.out

run_cmd ro damo features --read-only --json
check "features --read-only: exits 0 with nothing on stderr" quiet_run ro
check "features --read-only: no kdamond made or read" \
	jq_true /tmp/ro.out '.temporary_kdamond == false and .kdamonds_read == 0'
check "features --read-only: file and ops features are unknown" \
	jq_true /tmp/ro.out '[.features[] | select(.category == "file" or
		.category == "ops") | select(.state != "unknown")] == []'
check "features --read-only: tracepoints and modules are still seen" \
	expect_state /tmp/ro.out yes damon_aggregated damon_reclaim
check "features --read-only: nr_kdamonds stays 0" is "$(nr_kdamonds)" 0

# DAMON_STAT runs its own kdamond, outside sysfs: the answer must be the
# same with it off.
if [ -w $stat/enabled ]; then
	was=$(cat $stat/enabled)
	echo N > $stat/enabled
	run_cmd nostat damo features --json
	echo "$was" > $stat/enabled
	check "features: the same with damon_stat off" \
		cmp /tmp/f.out /tmp/nostat.out
	check "features: damon_stat is back to $was" \
		is "$(cat $stat/enabled)" "$was"
fi

# Keywords (actions, filter types, goal metrics) have no files: damo infers
# them from the files' kernel version.  The kernel itself says which it
# takes, by accepting or refusing them in a kdamond of our own.
keywords="lru_prio action lru_prio
migrate_hot action migrate_hot
collapse action collapse
filter_anon_memcg filter anon
filter_addr_target filter addr
filter_young filter young
filter_hugepage_size filter hugepage_size
goal_user_input metric user_input
goal_some_mem_psi_us metric some_mem_psi_us
goal_node_mem metric node_mem_used_bp
goal_node_memcg metric node_memcg_used_bp
goal_active_mem metric active_mem_bp
goal_node_eligible_mem metric node_eligible_mem_bp"

# takes KIND WORD: the kernel accepts WORD in the scheme file for KIND.
takes() {
	case $1 in
	action) echo "$2" > $scheme/action ;;
	filter) echo "$2" > $scheme/filters/0/type ;;
	metric) echo "$2" > $scheme/quotas/goals/0/target_metric ;;
	esac 2> /dev/null
}

keywords_agree() {
	local name kind word got bad=0

	echo 1 > $admin/kdamonds/nr_kdamonds &&
	echo 1 > $admin/kdamonds/0/contexts/nr_contexts &&
	echo 1 > $admin/kdamonds/0/contexts/0/schemes/nr_schemes &&
	scheme=$admin/kdamonds/0/contexts/0/schemes/0 &&
	echo 1 > $scheme/filters/nr_filters &&
	echo 1 > $scheme/quotas/goals/nr_goals || return 1
	states /tmp/f.out > /tmp/states
	echo "$keywords" | while read -r name kind word; do
		got=$(awk -v n="$name" '$1 == n { print $2 }' /tmp/states)
		if takes "$kind" "$word"; then
			case $got in
			yes | inferred) ;;
			unknown) echo "$kind $word: taken, damo says unknown" >&2 ;;
			*) echo "$kind $word: taken, damo says $got" ;;
			esac
		else
			case $got in
			no | inferred_no | unknown) ;;
			*) echo "$kind $word: refused, damo says $got" ;;
			esac
		fi
	done > /tmp/kw.bad 2> /tmp/kw.note
	echo 0 > $admin/kdamonds/nr_kdamonds
	cat /tmp/kw.bad
	[ ! -s /tmp/kw.bad ]
}
check "features: inferred keywords are what the kernel takes" keywords_agree
# Not wrong, but worth knowing: what damo could not tell.
diag < /tmp/kw.note
