#!/bin/bash
# expiry.sh: session expiry, deletion, resurrection time, revival.
#
#  - A session with --expires-timeout 2 relays; after 2 s of silence its
#    state is "expired": its packets are dropped and counted exactly
#    (session errors, the switchboard's and the global "drop_expired") and
#    not delivered; the switchboard and global "expirations" count it once.
#  - After the resurrection time (--resurrection-timeout $RESURRECTION on
#    the switchboard) the slot is free: not listed, and packets to its ports
#    are none of the relay's business: they continue through netfilter
#    untouched (the counting rule after RTPPROXY sees exactly them), B gets
#    none, and no RTPPROXY counter moves.
#  - "iptrtpproxy delete" of a session: state "destroyed", its ports drop
#    packets ("drop_destroyed", exact) for the resurrection time, then the
#    slot is free and packets pass untouched as above.
#  - "update" without a session range changes live sessions only: an expired
#    one keeps its parameters and stays expired; with an explicit range the
#    expired session is revived and relays again.
#
# B must receive nothing from a dead or free session.  Rather than wait for
# a timeout, a live control session relays a marker packet to the same
# receiver right after the packets that must be dropped: the receiver stops
# at the first datagram, which must be the marker (its source and size).
#
# What must happen inside the resurrection time is done by senders started
# beforehand (python takes seconds to start on a loaded TCG guest) and
# state checks that start no python.
#
# Run as root in the guest: tests/vm/run -- tests/integration/expiry.sh

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
need_root
need_module

RESURRECTION=20
SZ=100		# relayed packets
BAD=77		# packets that must not arrive
MARK=33		# the control session's marker

# state ID: the session's state.
state() {
	sess_cols "$1" state
}

FLOWS=0
# flow DESC SRC ID N: N datagrams from side A's SRC to session ID's gate A
# port must reach B's 10.2.0.2:6000 from gate B's port of ID.
flow() {
	local desc=$1 src=$2 id=$3 n=$4 gp tag=flow$((FLOWS += 1))
	gp=$(gate_port "$id")
	recv "$B" 10.2.0.2:6000 $tag --count "$n" --timeout 120
	send "$A" "$src" $GATE_A:"$gp" "$n" $SZ
	expect "$desc: $n datagrams from gate B:$gp" "$(got $tag "$GATE_B:$gp")" "$n $n $((n * SZ))"
}

# doomed NAME SRC: get ready to send, from side A's SRC, packets that must
# not arrive, and the marker after them.  watch NAME: a receiver at B's
# client address that stops at the first datagram (only one receiver may be
# bound there at a time).  strike NAME ID K: send K packets to ID's gate A
# port, then the marker.  unharmed NAME DESC: the first datagram B got is
# the marker.
doomed() {
	arm "$1_bad" "$A" "$2"
	arm "$1_mark" "$A" 10.1.0.2:4090
}
watch() {
	recv "$B" 10.2.0.2:6000 "$1" --count 1 --timeout 120
}
strike() {
	fire "$1_bad" $GATE_A:"$(gate_port "$2")" "$3" $BAD
	fired "$1_bad" >/dev/null
	fire "$1_mark" $GATE_A:"$(gate_port "$CTL")" 1 $MARK
	fired "$1_mark" >/dev/null
}
unharmed() {
	expect "$2: B got none of them (first datagram is the marker)" \
		"$(got "$1" "$GATE_B:$(gate_port "$CTL")")" "1 1 $MARK"
}

# drops: every RTPPROXY drop counter of the switchboard, on one line.
drops() {
	sbstat drop_malformed drop_fragment drop_csum drop_source drop_no_peer \
		drop_expired drop_destroyed drop_route | xargs
}

# free_slot_passes ID SRC NAME: ID is free: packets to its port are left to
# netfilter, exactly.
free_slot_passes() {
	local id=$1 src=$2 name=$3 k=5 p0 d0 r0 sb0 p b
	if poll -t 90 eval '[ -z "$(state "$id")" ]'; then
		pass "$name: slot $id free after the resurrection time (not listed)"
	else
		fail "$name: session $id still listed: $(sess "$id" state idle_ms | xargs)"
	fi
	p0=$(passed_on)
	d0=$(drops)
	r0=$(sbstat packets bytes | xargs)
	sb0=$(sbstat allocs expirations deletes | xargs)
	doomed "${name}_free" "$src"
	watch "${name}_free"
	strike "${name}_free" "$id" $k
	unharmed "${name}_free" "$name: free slot"
	expect "$name: free slot: passed on untouched, exactly" $(($(passed_on) - p0)) $k
	expect "$name: free slot: no drop counter moved" "$(drops)" "$d0"
	read -r p b <<<"$r0"
	expect "$name: free slot: relayed only the marker" \
		"$(sbstat packets bytes | xargs)" "$((p + 1)) $((b + MARK))"
	expect "$name: free slot: session counters unchanged" \
		"$(sbstat allocs expirations deletes | xargs)" "$sb0"
	expect "$name: free slot: not listed again" "$(state "$id")" ""
}

expiry() {
	local id gp ctl k=5 d0 e0 n0
	d0=$(sbstat drop_expired)
	n0=$(gstat drop_expired)
	e0=$(sbstat expirations)
	# Everything that starts python first: the session expires 2 s after its
	# last packet and is free $RESURRECTION s later.  One receiver at B's client address
	# takes the 10 relayed packets, then stops at the next datagram, which
	# must be the marker (a relayed doomed packet would come first).
	recv "$B" 10.2.0.2:6000 expiring --count 11 --idle 60 --timeout 120
	arm expiring "$A" 10.1.0.2:4000
	doomed expired 10.1.0.2:4000
	id=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4000 \
		--rtp-addr-b 10.2.0.2 --rtp-port-b 6000 --expires-timeout 2)
	gp=$(gate_port "$id")
	fire expiring $GATE_A:"$gp" 10 $SZ

	if poll -t 20 eval '[ "$(state "$id")" = expired ]'; then
		pass "after 2 s of silence: state expired"
	else
		fail "after 2 s of silence: state '$(state "$id")'"
	fi
	strike expired "$id" $k
	expect "expired: still expired, own expiry, session counters" \
		"$(sess_cols "$id" state expires a_rtp_packets a_rtp_errors)" "expired 2 10 $k"
	ctl=$(gate_port "$CTL")
	expect "B got the 10 relayed packets from gate B:$gp, then the marker, none of the $k" \
		"$(got expiring "$GATE_B:$gp") $(got expiring "$GATE_B:$ctl")" \
		"11 10 $((10 * SZ + MARK)) 11 1 $((10 * SZ + MARK))"
	expect "expired: switchboard drop_expired += $k" "$(sbstat drop_expired)" $((d0 + k))
	expect "expired: global drop_expired += $k" "$(gstat drop_expired)" $((n0 + k))
	if poll -t 10 eval '[ "$(sbstat expirations)" = $((e0 + 1)) ]'; then
		pass "switchboard expirations += 1"
	else
		fail "switchboard expirations: $(sbstat expirations), was $e0"
	fi
	expect "global expirations = switchboard's" "$(gstat expirations)" "$(sbstat expirations)"

	free_slot_passes "$id" 10.1.0.2:4000 expired
	expect "expirations counted once" "$(sbstat expirations)" $((e0 + 1))
}

delete() {
	local id k=5 d0 del0 out rc
	id=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4010 \
		--rtp-addr-b 10.2.0.2 --rtp-port-b 6000)
	doomed destroyed 10.1.0.2:4010
	flow "session to delete relays" 10.1.0.2:4010 "$id" 8
	watch destroyed
	d0=$(sbstat drop_destroyed)
	del0=$(sbstat deletes)

	out=$(rtpp delete $SB --sess-id-lo "$id" 2>&1)
	rc=$?
	strike destroyed "$id" $k
	expect "delete session $id: exit 0${out:+ ($out)}" $rc 0
	expect "deleted: state destroyed, session counters" \
		"$(sess_cols "$id" state a_rtp_packets a_rtp_errors)" "destroyed 8 $k"
	unharmed destroyed "deleted session"
	expect "deleted: switchboard drop_destroyed += $k" "$(sbstat drop_destroyed)" $((d0 + k))
	expect "deleted: global drop_destroyed = switchboard's" "$(gstat drop_destroyed)" "$(sbstat drop_destroyed)"
	expect "deleted: switchboard deletes += 1" "$(sbstat deletes)" $((del0 + 1))
	out=$(rtpp update $SB --sess-id-lo "$id" --expires-timeout 30 2>&1)
	rc=$?
	expect "update of a destroyed (or freed) session: exit 1 ($out)" $rc 1
	out=$(rtpp delete $SB --sess-id-lo "$id" 2>&1)
	rc=$?
	expect "delete it again: exit 1 ($out)" $rc 1
	expect "deletes counted once" "$(sbstat deletes)" $((del0 + 1))

	free_slot_passes "$id" 10.1.0.2:4010 deleted
}

revive() {
	local id gp out1 out2 rc1 rc2
	# Side b's port (6030) tells whether the range-less update touched it.
	recv "$B" 10.2.0.2:6030 revived --count 6 --timeout 120
	arm revive "$A" 10.1.0.2:4020
	id=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4020 \
		--rtp-addr-b 10.2.0.2 --rtp-port-b 6030 --expires-timeout 2)
	gp=$(gate_port "$id")
	if poll -t 20 eval '[ "$(state "$id")" = expired ]'; then
		pass "session $id expired (no packet at all)"
	else
		fail "session $id: state '$(state "$id")', want expired"
	fi
	# Without a range: live sessions only (the control session: the values
	# are its own but for the expiry).  With the range: revived.
	out1=$(rtpp update $SB --rtp-addr-b 10.2.0.2 --rtp-port-b 6000 --expires-timeout 60 -v 2>&1)
	rc1=$?
	out2=$(rtpp update $SB --sess-id-lo "$id" --expires-timeout 60 -v 2>&1)
	rc2=$?
	fire revive $GATE_A:"$gp" 6 $SZ
	expect "update without range: exit 0, the live session only ($(tail -n 1 <<<"$out1"))" \
		"$rc1 $(grep -c 'updated 1 session$' <<<"$out1")" "0 1"
	expect "update --sess-id-lo $id of the expired session: exit 0, one session ($(tail -n 1 <<<"$out2"))" \
		"$rc2 $(grep -c 'updated 1 session$' <<<"$out2")" "0 1"
	expect "revived session relays again" "$(got revived "$GATE_B:$gp")" "6 6 $((6 * SZ))"
	expect "revived: active, new expiry, side b as allocated (the range-less update left it alone)" \
		"$(sess "$id" state expires b.rtp.port a.rtp.packets a.rtp.errors | xargs)" "active 60 6030 6 0"
	expect "control session: live, expiry from the range-less update" \
		"$(sess "$CTL" state expires | xargs)" "active 60"
}

for IPT in "${IPT_BACKENDS[@]}"; do
	section "$IPT: expiry, deletion, resurrection"
	if ! topo_up --max-sess 16 --resurrection-timeout $RESURRECTION; then
		fail "topology with $IPT"
		continue
	fi
	CTL=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4090 \
		--rtp-addr-b 10.2.0.2 --rtp-port-b 6000 --expires-timeout 600)
	expect "control session allocated" "$(sess "$CTL" state expires | xargs)" "active 600"
	expiry
	delete
	revive
	expect "no drop but the ones sent to dead sessions" \
		"$(sbstat drop_source drop_no_peer drop_route drop_malformed | xargs)" "0 0 0 0"
	topo_down
done
finish
