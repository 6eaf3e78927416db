#!/bin/bash
# reload.sh: a switchboard outlives rule reloads, with traffic flowing.
#
# A stream of packets ($GAP ms apart) flows A->B through one session while
# "iptables-save -t mangle | iptables-restore" (same backend, in the relay
# namespace) runs twice in the middle of it: the sender runs until told to
# stop, after packets were relayed past the second reload, and says how
# many it sent, so the reloads are mid-stream however slow the guest.
# Then:
#  - B received every packet, from gate B's port, payload bytes exact;
#  - the session's, the switchboard's and the global counters equal exactly
#    what was sent, and nothing was dropped;
#  - the switchboard keeps its id, its creation time, one rule again;
#  - the session still exists with the same created_ms, active.
#
# Run as root in the guest: tests/vm/run -- tests/integration/reload.sh

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
need_root
need_module

GAP=5
SZ=160

# flowing WHAT: more packets are relayed than when last asked (50 more).
flowing() {
	local p
	if poll -t 60 eval '[ "$(sb_packets)" -ge $((LAST + 50)) ]'; then
		p=$(sb_packets)
		pass "$WHAT: the stream flows ($p relayed)"
		LAST=$p
	else
		fail "$WHAT: the stream does not flow ($(sb_packets) relayed, $LAST before)"
	fi
}

# reload_mid_stream WHICH: iptables-save | iptables-restore in R while the
# sender runs.
reload_mid_stream() {
	local which=$1 rc
	in_ns "$R" "$IPT-save" -t mangle | in_ns "$R" "$IPT-restore"
	rc=("${PIPESTATUS[@]}")
	expect "$which reload: $IPT-save | $IPT-restore" "${rc[*]}" "0 0"
	if kill -0 "$SENDER" 2>/dev/null; then
		pass "$which reload while the sender runs"
	else
		fail "$which reload: the sender is gone"
	fi
}

reload() {
	local id gp sbid sbcreated created list
	id=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4000 --rtp-addr-b 10.2.0.2 --rtp-port-b 6000)
	gp=$((PORT + 2 * id))
	list=$(rtpp list $SB --format json)
	read -r sbid sbcreated created <<<"$(python3 "$LIB_DIR/jget.py" switchboards.0.id \
		switchboards.0.created_ms "switchboards.0.sessions.id=$id.created_ms" <<<"$list" | xargs)"
	expect "switchboard id (list --no-session)" \
		"$(rtpp list $SB --no-session --format json | python3 "$LIB_DIR/jget.py" switchboards.0.id)" "$sbid"

	# The receiver ends 10 s after the last datagram.
	recv "$B" 10.2.0.2:6000 stream --idle 10 --timeout 900
	rm -f "$TMPD/stop" "$TMPD/sent"
	# Not through in_ns or send: $! must be the sender itself (ip execs it
	# in the namespace), so that the cleanup stops it should the scenario
	# end early.  It prints how many it sent once $TMPD/stop exists (the
	# count is only a bound: about 14 hours at $GAP ms).
	ip netns exec "$A" python3 "$LIB_DIR/udp.py" send 10.1.0.2:4000 $GATE_A:$gp \
		10000000 $SZ --gap $GAP --until "$TMPD/stop" >"$TMPD/sent" &
	SENDER=$!
	at_cleanup "kill $SENDER"
	LAST=0
	WHAT="before the reloads" flowing
	reload_mid_stream first
	WHAT="after the first reload" flowing
	reload_mid_stream second
	WHAT="after the second reload" flowing
	touch "$TMPD/stop"
	wait "$SENDER"
	N=$(cat "$TMPD/sent")
	info "the stream: $N packets"

	expect "B received every packet from gate B:$gp, exact bytes" \
		"$(got stream "$GATE_B:$gp")" \
		"$N $N $((N * SZ))"
	expect "session counters" "$(sess "$id" state created_ms a.rtp.packets a.rtp.bytes a.rtp.errors | xargs)" \
		"active $created $N $((N * SZ)) 0"
	expect "switchboard counters" "$(sbstat packets bytes | xargs)" "$N $((N * SZ))"
	expect "switchboard: nothing dropped" \
		"$(sbstat drop_malformed drop_fragment drop_csum drop_source drop_no_peer drop_expired drop_destroyed drop_route | xargs)" \
		"0 0 0 0 0 0 0 0"
	expect "global counters" "$(gstat packets bytes drop_route drop_source | xargs)" "$N $((N * SZ)) 0 0"
	expect "switchboard id and creation time unchanged" \
		"$(rtpp list $SB --no-session --format json | python3 "$LIB_DIR/jget.py" switchboards.0.id switchboards.0.created_ms | xargs)" \
		"$sbid $sbcreated"
	expect "switchboard statistics: one allocation, one session" \
		"$(sbstat allocs deletes expirations | xargs)" "1 0 0"
	# nf_tables releases the old rules from a work queue: the count settles.
	# shellcheck disable=SC2016
	if poll eval '[ "$(rtpp list $SB --no-session --format json | python3 "$LIB_DIR/jget.py" switchboards.0.rules)" = 1 ]'; then
		pass "one rule refers to the switchboard again"
	else
		fail "rules: $(rtpp list $SB --no-session --format json | python3 "$LIB_DIR/jget.py" switchboards.0.rules)"
	fi
	expect "one switchboard in the namespace" "$(rtpp info --format json | python3 "$LIB_DIR/jget.py" switchboards)" 1
}

for IPT in "${IPT_BACKENDS[@]}"; do
	section "$IPT: iptables-restore under traffic"
	if ! topo_up --max-sess 16 --expires-timeout 600; then
		fail "topology with $IPT"
		continue
	fi
	reload
	topo_down
done
finish
