#!/bin/bash
# reset.sh: statistics resets return what they cleared, and lose nothing.
#
# While a stream of $N packets flows A->B (a background sender):
#  - "list --reset-switchboard-packet-stat --format json" in the middle of
#    it prints the cleared values under cleared.switchboard_packets; once the
#    stream is over, cleared + current == sent, exactly, for packets and
#    bytes;
#  - the same for the global statistics with "info --reset-stat"
#    (cleared.global);
#  - the session's own counters are not touched by either;
#  - the packet reset moves pkt_discont_ms, not discont_ms;
#  - info's (global) discont_ms is set when the namespace starts, moved by
#    "info --reset-stat" and by no switchboard reset.
# With no traffic, a reset returns exactly what is there and an immediate
# second one returns zero.  "--reset-switchboard-stat" clears and returns the
# allocation counters (allocations, failures, deletions) and leaves the
# packet counters alone.
#
# Run as root in the guest: tests/vm/run -- tests/integration/reset.sh

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
need_root
need_module

N=1200
GAP=5
SZ=120
MAX=4

mid_stream() { # WHAT CLEARED_PACKETS
	if kill -0 "$SENDER" 2>/dev/null && [ "$2" -gt 0 ]; then
		pass "$1 in the middle of the stream ($2 cleared)"
	else
		fail "$1 not in the middle of the stream ($2 cleared, sender $(kill -0 "$SENDER" 2>/dev/null && echo running || echo 'done'))"
	fi
}

g_discont() {
	rtpp info --format json | jget discont_ms
}

under_traffic() {
	local id gp out sbid disc pdisc gdisc gd t0 t1 cs_p cs_b cg_p cg_b p b
	gdisc=$(g_discont)
	t0=$(date +%s%3N)
	if [ "$gdisc" -gt 0 ] && [ "$gdisc" -le "$t0" ]; then
		pass "global discont_ms set at the namespace's start ($gdisc)"
	else
		fail "global discont_ms '$gdisc', want > 0 and <= now ($t0)"
	fi
	id=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4000 --rtp-addr-b 10.2.0.2 --rtp-port-b 6000)
	gp=$((PORT + 2 * id))
	read -r sbid disc pdisc <<<"$(rtpp list $SB --no-session --format json |
		jget switchboards.0.id switchboards.0.discont_ms switchboards.0.pkt_discont_ms | xargs)"

	# The sender runs until both resets are done (it stops when told and
	# says how many it sent): the resets are in the middle of the stream by
	# construction, however slow the machine.
	recv "$B" 10.2.0.2:6000 stream --idle 10 --timeout 900
	rm -f "$TMPD/stop"
	# Not through send: $! must be the sender itself (ip execs it in the
	# namespace), so that the cleanup stops it should the scenario end early.
	ip netns exec "$A" python3 "$LIB_DIR/udp.py" send 10.1.0.2:4000 $GATE_A:$gp 100000 $SZ \
		--gap $GAP --until "$TMPD/stop" >"$TMPD/sent" &
	SENDER=$!
	at_cleanup "kill $SENDER"

	poll -t 30 eval '[ "$(sb_packets)" -ge 80 ]' || fail "stream started: $(sb_packets) relayed"
	t0=$(date +%s%3N)
	out=$(rtpp list $SB --no-session --reset-switchboard-packet-stat --format json)
	t1=$(date +%s%3N)
	read -r cs_p cs_b <<<"$(jget cleared.switchboard_packets.0.stats.packets \
		cleared.switchboard_packets.0.stats.bytes <<<"$out" | xargs)"
	mid_stream "switchboard packet reset" "$cs_p"
	expect "cleared: the switchboard named, only packet counters" \
		"$(jget cleared.switchboard_packets.0.id cleared.switchboard_packets.0.stats.allocs \
			'cleared.switchboard_packets.1' <<<"$out" | xargs)" "$sbid MISSING MISSING"
	expect "cleared bytes = cleared packets * $SZ" "$cs_b" $((cs_p * SZ))
	read -r d pd <<<"$(jget switchboards.0.discont_ms switchboards.0.pkt_discont_ms <<<"$out" | xargs)"
	if [ "$d" = "$disc" ] && [ "$pd" -ge "$t0" ] && [ "$pd" -le "$t1" ] && [ "$pd" != "$pdisc" ]; then
		pass "packet reset moved pkt_discont_ms only"
	else
		fail "discont_ms $disc -> $d, pkt_discont_ms $pdisc -> $pd (reset between $t0 and $t1)"
	fi
	expect "switchboard packet reset: global discont_ms unmoved" "$(g_discont)" "$gdisc"

	poll -t 30 eval '[ "$(g_packets)" -ge $((cs_p + 80)) ]'
	t0=$(date +%s%3N)
	out=$(rtpp info --reset-stat --format json)
	t1=$(date +%s%3N)
	gd=$(jget discont_ms <<<"$out")
	if [ "$gd" -ge "$t0" ] && [ "$gd" -le "$t1" ] && [ "$gd" != "$gdisc" ]; then
		pass "global reset moved the global discont_ms"
	else
		fail "global discont_ms $gdisc -> $gd (reset between $t0 and $t1)"
	fi
	expect "global discont_ms as info shows it afterwards" "$(g_discont)" "$gd"
	read -r cg_p cg_b <<<"$(jget cleared.global.packets cleared.global.bytes <<<"$out" | xargs)"
	mid_stream "global reset" "$cg_p"
	expect "global reset: the allocation was cleared too" \
		"$(jget cleared.global.allocs cleared.global.drop_source <<<"$out" | xargs)" "1 0"
	expect "global cleared bytes = cleared packets * $SZ" "$cg_b" $((cg_p * SZ))
	expect "global: after the reset, allocations read 0" "$(jget stats.allocs <<<"$out")" 0

	touch "$TMPD/stop"
	wait "$SENDER"
	N=$(cat "$TMPD/sent")
	info "the stream: $N packets"
	expect "B received every packet, from gate B:$gp" \
		"$(got stream "$GATE_B:$gp")" "$N $N $((N * SZ))"
	read -r p b <<<"$(sbstat packets bytes | xargs)"
	expect "switchboard: cleared + current packets == sent ($cs_p + $p)" $((cs_p + p)) $N
	expect "switchboard: cleared + current bytes == sent ($cs_b + $b)" $((cs_b + b)) $((N * SZ))
	read -r p b <<<"$(gstat packets bytes | xargs)"
	expect "global: cleared + current packets == sent ($cg_p + $p)" $((cg_p + p)) $N
	expect "global: cleared + current bytes == sent ($cg_b + $b)" $((cg_b + b)) $((N * SZ))
	expect "the session's counters are not reset" \
		"$(sess "$id" a.rtp.packets a.rtp.bytes | xargs)" "$N $((N * SZ))"
	expect "switchboard allocations not touched by the packet reset" "$(sbstat allocs)" 1
}

# No traffic: a reset returns exactly what is there, a second one zero.
quiet() {
	local p b out
	read -r p b <<<"$(sbstat packets bytes | xargs)"
	out=$(rtpp list $SB --no-session --reset-switchboard-packet-stat --format json)
	expect "quiet switchboard packet reset returns the current values" \
		"$(jget cleared.switchboard_packets.0.stats.packets cleared.switchboard_packets.0.stats.bytes \
			switchboards.0.stats.packets switchboards.0.stats.bytes <<<"$out" | xargs)" "$p $b 0 0"
	out=$(rtpp list $SB --no-session --reset-switchboard-packet-stat --format json)
	expect "second switchboard packet reset returns zero" \
		"$(jget cleared.switchboard_packets.0.stats.packets cleared.switchboard_packets.0.stats.bytes <<<"$out" | xargs)" "0 0"
	out=$(rtpp list $SB --no-session --reset-switchboard-packet-stat)
	if grep -q '^Cleared switchboard packet statistics:' <<<"$out" &&
		grep -Eq '^ +relayed +0 packets, 0 bytes$' <<<"$out"; then
		pass "text output prints the cleared values"
	else
		fail "text output of the reset:"
		printf '%s\n' "$out" | sed 's/^/        | /' | head -n 12
	fi

	read -r p b <<<"$(gstat packets bytes | xargs)"
	out=$(rtpp info --reset-stat --format json)
	expect "quiet global reset returns the current values" \
		"$(jget cleared.global.packets cleared.global.bytes stats.packets stats.bytes <<<"$out" | xargs)" "$p $b 0 0"
	out=$(rtpp info --reset-stat --format json)
	expect "second global reset returns zero" \
		"$(jget cleared.global.packets cleared.global.bytes cleared.global.allocs <<<"$out" | xargs)" "0 0 0"
}

# Session statistics of the switchboard.
allocations() {
	local ids=() id i out rc disc t0 t1 d pd pdisc gdisc
	for ((i = 1; i < MAX; i++)); do
		id=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a $((4000 + 10 * i)) \
			--rtp-addr-b 10.2.0.2 --rtp-port-b $((6000 + 10 * i)))
		ids+=("$id")
	done
	expect "$((MAX - 1)) more sessions allocated" "${#ids[@]}" $((MAX - 1))
	out=$(alloc --rtp-addr-a 10.1.0.2 2>&1)
	rc=$?
	expect "switchboard full: alloc refused with exit 1 ($out)" $rc 1
	out=$(rtpp delete $SB --sess-id-lo "${ids[0]}" 2>&1)
	rc=$?
	expect "one session deleted${out:+ ($out)}" $rc 0
	expect "switchboard session statistics before the reset" \
		"$(sbstat allocs alloc_fails expirations deletes | xargs)" "$MAX 1 0 1"

	# Some packets, which this reset must leave alone.
	recv "$B" 10.2.0.2:6020 few --count 3 --timeout 120
	send "$A" 10.1.0.4:4020 $GATE_A:$((PORT + 2 * ids[1])) 1 $SZ	# wrong source: dropped
	send "$A" 10.1.0.2:4020 $GATE_A:$((PORT + 2 * ids[1])) 3 $SZ
	expect "packets of a live session arrive" \
		"$(got few "$GATE_B:$((PORT + 2 * ids[1]))")" "3 3 $((3 * SZ))"
	read -r disc pdisc <<<"$(rtpp list $SB --no-session --format json |
		jget switchboards.0.discont_ms switchboards.0.pkt_discont_ms | xargs)"
	gdisc=$(g_discont)

	t0=$(date +%s%3N)
	out=$(rtpp list $SB --no-session --reset-switchboard-stat --format json)
	t1=$(date +%s%3N)
	expect "--reset-switchboard-stat returns the allocation counters" \
		"$(jget cleared.switchboard.0.stats.allocs cleared.switchboard.0.stats.alloc_fails \
			cleared.switchboard.0.stats.expirations cleared.switchboard.0.stats.deletes \
			cleared.switchboard.0.stats.packets <<<"$out" | xargs)" "$MAX 1 0 1 MISSING"
	expect "after it, allocation counters read 0, packet counters untouched" \
		"$(jget switchboards.0.stats.allocs switchboards.0.stats.alloc_fails \
			switchboards.0.stats.deletes switchboards.0.stats.packets \
			switchboards.0.stats.drop_source <<<"$out" | xargs)" "0 0 0 3 1"
	read -r d pd <<<"$(jget switchboards.0.discont_ms switchboards.0.pkt_discont_ms <<<"$out" | xargs)"
	if [ "$pd" = "$pdisc" ] && [ "$d" -ge "$t0" ] && [ "$d" -le "$t1" ]; then
		pass "session statistics reset moved discont_ms only"
	else
		fail "discont_ms $disc -> $d (reset between $t0 and $t1), pkt_discont_ms $pdisc -> $pd"
	fi
	expect "switchboard statistics reset: global discont_ms unmoved" "$(g_discont)" "$gdisc"
	out=$(rtpp list $SB --no-session --reset-switchboard-stat --format json)
	expect "second --reset-switchboard-stat returns zero" \
		"$(jget cleared.switchboard.0.stats.allocs cleared.switchboard.0.stats.alloc_fails \
			cleared.switchboard.0.stats.deletes <<<"$out" | xargs)" "0 0 0"
	expect "global statistics not touched by switchboard resets" \
		"$(gstat allocs alloc_fails deletes packets | xargs)" "$((MAX - 1)) 1 1 3"
	expect "live sessions still there" "$(rtpp info --format json | jget sessions.active)" $((MAX - 1))
}

for IPT in "${IPT_BACKENDS[@]}"; do
	section "$IPT: statistics resets"
	if ! topo_up --max-sess $MAX --expires-timeout 600; then
		fail "topology with $IPT"
		continue
	fi
	under_traffic
	quiet
	allocations
	topo_down
done
finish
