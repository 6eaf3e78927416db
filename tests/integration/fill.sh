#!/bin/bash
# fill: a switchboard of 30,000 sessions fills up, refuses the next
# allocation as full (counted), lists whole in one streamed dump, and
# empties with one delete.
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
ipt "$R" -t mangle -A PREROUTING -p udp -j RTPPROXY "${SB[@]}" --max-sess $MAX ||
	{ fail "a switchboard of $MAX sessions"; finish; }

out=$(in_ns "$R" "$FILL" 10.1.0.1 2000 10.1.0.2)
check "allocated until full, all listed" test "$out" = "$MAX $MAX ENOSPC"
info "rtpp-fill: $out"

err=$(in_ns "$R" iptrtpproxy alloc "${SB[@]}" --rtp-addr-a 10.1.0.2 2>&1)
rc=$?
check "alloc on a full switchboard exits 1" test $rc -eq 1
check "and says it is full ($err)" grep -qi full <<<"$err"

stats=$(in_ns "$R" iptrtpproxy list "${SB[@]}" --no-session --format json |
	python3 "$LIB_DIR/jget.py" switchboards.0.stats.allocs switchboards.0.stats.alloc_fails \
		switchboards.0.sessions_by_state.active switchboards.0.sessions_by_state.free | xargs)
check "counters: $MAX allocations, 2 refused, $MAX active, none free ($stats)" \
	test "$stats" = "$MAX 2 $MAX 0"

rows=$(in_ns "$R" iptrtpproxy list "${SB[@]}" --format tab | grep -c $'^[0-9]\t')
check "tab listing has $MAX sessions ($rows)" test "$rows" -eq $MAX

out=$(in_ns "$R" iptrtpproxy delete "${SB[@]}" -v 2>&1)
check "delete without a range deletes them all" \
	test "$(in_ns "$R" iptrtpproxy list "${SB[@]}" --no-session --format json |
		python3 "$LIB_DIR/jget.py" switchboards.0.stats.deletes)" = $MAX
finish
