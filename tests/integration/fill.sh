#!/bin/bash
# fill: a switchboard of 30,000 sessions fills up, refuses the next
# allocation as full (counted), lists whole in one streamed dump, and
# empties with one delete.  Refusals on the full switchboard cost O(1):
# 1,000 of them in a row do not each walk its 30,000 sessions in an audit
# (which frees slots whose time has come) while no slot can have come free.
. "$(dirname "$0")/lib.sh"
need_root
need_module

FILL="$TOP/tests/tools/rtpp-fill"
MAX=30000
[ -x "$FILL" ] || { fail "$FILL not built (make)"; finish; }
IPT=${IPT_BACKENDS[0]}

section "$IPT: $MAX sessions"
ns_new relay; R=$NS
ip -n "$R" addr add 10.1.0.1/32 dev lo
ip -n "$R" addr add 10.2.0.1/32 dev lo
SB=(--addr-a 10.1.0.1 --port-a 2000 --addr-b 10.2.0.1 --port-b 2000)
# An hour's expiry: no session may come free while the scenario runs.
ipt "$R" -t mangle -A PREROUTING -p udp -j RTPPROXY "${SB[@]}" --max-sess $MAX \
	--expires-timeout 3600 ||
	{ fail "a switchboard of $MAX sessions"; finish; }

out=$(in_ns "$R" "$FILL" 10.1.0.1 2000 10.1.0.2)
check "allocated until full, all listed" test "$out" = "$MAX $MAX ENOSPC"
info "rtpp-fill: $out"

err=$(in_ns "$R" iptrtpproxy alloc "${SB[@]}" --rtp-addr-a 10.1.0.2 2>&1)
rc=$?
check "alloc on a full switchboard exits 1" test $rc -eq 1
check "and says it is full ($err)" grep -qi full <<<"$err"

# Audits of this switchboard while 1,000 allocations are refused: the
# periodic one (a kworker's) goes on; those the refusals themselves run,
# in the requester's context, must not.  Before a refused allocation could
# be O(1), each walked every session.
REFUSALS=1000
FAILS=2
if kprobe_setup && kprobe_add alloc 'xt_RTPPROXY:rtpp_sess_alloc sb=%di:x64' &&
	kprobe_add audit 'xt_RTPPROXY:rtpp_sess_sweep sb=%di:x64'; then
	out=$(in_ns "$R" "$FILL" 10.1.0.1 2000 10.1.0.2 $REFUSALS)
	FAILS=$((FAILS + 1 + REFUSALS))
	check "$REFUSALS more allocations refused as full ($out)" test "$out" = "0 $MAX ENOSPC $REFUSALS"
	# The switchboard is the one the refused allocations were for.
	sb=$(kprobe_trace | grep " rtpp_$$_alloc: " | grep -o 'sb=0x[0-9a-f]*' |
		sort | uniq -c | sort -rn | awk 'NR == 1 && $1 >= '$REFUSALS' { print $2 }')
	if [ -z "$sb" ]; then
		fail "the probe on rtpp_sess_alloc saw the refused allocations"
	else
		audits=$(kprobe_count audit "^ *rtpp-fill-[0-9]+ .*$sb\$")
		periodic=$(kprobe_count audit "^ *kworker.*$sb\$")
		check "$((REFUSALS + 1)) refusals on a full switchboard ran $audits audits of its $MAX sessions (the periodic audit: $periodic meanwhile)" \
			test "$audits" -le 1
	fi
else
	skip "refusals do not audit: no kprobe events in this kernel"
fi

stats=$(in_ns "$R" iptrtpproxy list "${SB[@]}" --no-session --format json |
	python3 "$LIB_DIR/jget.py" switchboards.0.stats.allocs switchboards.0.stats.alloc_fails \
		switchboards.0.sessions_by_state.active switchboards.0.sessions_by_state.free | xargs)
check "counters: $MAX allocations, $FAILS refused, $MAX active, none free ($stats)" \
	test "$stats" = "$MAX $FAILS $MAX 0"

rows=$(in_ns "$R" iptrtpproxy list "${SB[@]}" --format tab | grep -c $'^[0-9]\t')
check "tab listing has $MAX sessions ($rows)" test "$rows" -eq $MAX

out=$(in_ns "$R" iptrtpproxy delete "${SB[@]}" -v 2>&1)
check "delete without a range deletes them all" \
	test "$(in_ns "$R" iptrtpproxy list "${SB[@]}" --no-session --format json |
		python3 "$LIB_DIR/jget.py" switchboards.0.stats.deletes)" = $MAX
finish
