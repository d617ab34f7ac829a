# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash  # busybox ash: POSIX sh plus local
# Debian 12's stock kernel has no DAMON at all: damo says so as information
# and lists what the embedded monitor can use here; what needs kernel DAMON
# is refused with the reason.
. /test/tap.sh
. /test/damo.sh

check "nodamon: this kernel has no DAMON sysfs interface" [ ! -e $admin ]
run_cmd f damo features --json
check "nodamon: features exits 0 with nothing on stderr" quiet_run f
check "nodamon: features says kernel DAMON is absent" jq_true /tmp/f.out \
	'.sysfs == false and (.kernel_damon | startswith("absent:")) and .features == []'
jq -c '.embedded_sources[]' /tmp/f.out | diag
check "nodamon: softdirty is usable here and sees writes" jq_true /tmp/f.out \
	'.embedded_sources[] | select(.name == "softdirty") | .usable and .sees == "writes"'
check "nodamon: uffd is not (PAGEMAP_SCAN is Linux 6.7), and says why" jq_true /tmp/f.out \
	'.embedded_sources[] | select(.name == "uffd") | (.usable | not) and (.why_not | length) > 0'
run_cmd ft damo features
check "nodamon: the text says it too" grep -q "^kernel_damon: absent: no DAMON sysfs interface" /tmp/ft.out

# what needs kernel DAMON: refused, saying why, nothing left running
run_cmd kb damo start --backend kernel --target-pid 1 --damos-action stat
check "nodamon: --backend kernel is refused" is "$RC" 1
check "nodamon: ... because there is no DAMON sysfs interface" \
	grep -q "no DAMON sysfs interface" /tmp/kb.err
run_cmd pa damo start --ops paddr --damos-action stat
check "nodamon: paddr is refused" is "$RC" 1
check "nodamon: ... because the embedded monitor watches processes" \
	grep -q "the embedded monitor watches processes" /tmp/pa.err
run_cmd mo damo module reclaim enable
check "nodamon: DAMON_RECLAIM is refused" is "$RC" 1
check "nodamon: ... because the kernel has no damon_reclaim module" \
	grep -q "this kernel has no damon_reclaim module" /tmp/mo.err
run_cmd st damo status --json
check "nodamon: nothing runs" jq_true /tmp/st.out '.kdamonds == []'
