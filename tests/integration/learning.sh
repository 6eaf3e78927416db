#!/bin/bash
# learning.sh: a client behind NAT is learned, the learning window closes,
# always-learn follows the client wherever it goes.
#
#  - A session allocated for side A's client 10.1.0.2:4000 with a learning
#    window of W ms takes the source of the first packet inside the window
#    (10.1.0.3:4100, as a NAT would rewrite it): B receives every packet from
#    gate B's port, the session shows the learned address, port and the
#    learned flag, and B->A traffic goes to the learned client from gate A.
#  - RTCP's window and client derive from RTP's (same window, port + 1) and
#    RTCP is learned the same way.
#  - Once the window has closed (state active, learning_ms 0), packets from a
#    third source are dropped and counted exactly (session errors, the
#    switchboard's and the global "drop_source"), B receives none of them,
#    and the learned client's packets keep going; B->A traffic still goes
#    to the learned client and none to the forger.
#  - With --always-learn-a the source is re-learned from every packet after
#    the window: a new source is taken at once and B->A follows it.
#
# Run as root in the guest: tests/vm/run -- tests/integration/learning.sh

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
need_root
need_module

W=3000		# learning window, ms
SZ=100		# payload of the packets that must be relayed
BAD=77		# payload of the packets that must be dropped

# flow NAME FROM_NS SRC DST TO_NS BIND WANT_SRC N: N datagrams of $SZ bytes
# from SRC to DST must all arrive at BIND, sent by WANT_SRC.
FLOWS=0
flow() {
	local name=$1 from=$2 src=$3 dst=$4 to=$5 bind=$6 want=$7 n=$8
	local tag=flow$((FLOWS += 1))
	recv "$to" "$bind" $tag --count "$n" --timeout 120
	send "$from" "$src" "$dst" "$n" "$SZ"
	expect "$name: $n datagrams from $want" "$(got $tag "$want")" "$n $n $((n * SZ))"
}

# alloc_id JSON: the session id of "alloc --format json" output, without
# starting python (the learning window is running).
alloc_id() {
	[[ $1 =~ \"session\":[[:space:]]*\{[[:space:]]*\"id\":[[:space:]]*([0-9]+) ]] &&
		echo "${BASH_REMATCH[1]}"
}

# learning TRY: the scenario on a fresh topology.  Returns 2, having
# asserted nothing, when the learning packets could not have reached the
# relay inside the window (a stalled guest): the caller tries again.
learning() {
	local try=$1 out1 out2 id1 id2 ga1 gb1 ga2 gb2 k=4 k2=3 n=5 l=6 m=4
	local before after drop0 err0 created t1 t2 late

	# Receivers and senders first: nothing slow between alloc and the
	# learning packets.
	recv "$B" 10.2.0.2:6000 learn_rtp$try --count $n --timeout 120
	recv "$B" 10.2.0.2:6001 learn_rtcp$try --count 2 --timeout 120
	arm nat_rtp$try "$A" 10.1.0.3:4100
	arm nat_rtcp$try "$A" 10.1.0.3:4101

	# Session 1 learns side A.  The NATed client sends from a source other
	# than the one given, inside the window.
	out1=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4000 --rtp-learning-timeout-a $W \
		--rtp-addr-b 10.2.0.2 --rtp-port-b 6000 --format json)
	id1=$(alloc_id "$out1")
	if [ -z "$id1" ]; then
		fail "alloc --format json gives the session id: '$out1'"
		return 1
	fi
	ga1=$(gate_port "$id1")
	gb1=$ga1	# both gates start at $PORT
	fire nat_rtp$try $GATE_A:"$ga1" $n $SZ
	fire nat_rtcp$try $GATE_A:$((ga1 + 1)) 2 $SZ
	# Session 2 learns too, and always learns.
	out2=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4010 --rtp-learning-timeout-a $W \
		--always-learn-a --rtp-addr-b 10.2.0.2 --rtp-port-b 6010 --format json)
	id2=$(alloc_id "$out2")
	if [ -z "$id2" ]; then
		fail "alloc --format json gives the session id: '$out2'"
		return 1
	fi
	ga2=$(gate_port "$id2")
	gb2=$ga2

	# Both clocks are the guest's wall clock: the session's creation (the
	# kernel's) and the moment the sender's last packet had left.
	[[ $out1 =~ \"created_ms\":[[:space:]]*([0-9]+) ]] && created=${BASH_REMATCH[1]}
	t1=$(fired nat_rtp$try)
	t2=$(fired nat_rtcp$try)
	late=$(((t1 > t2 ? t1 : t2) - ${created:-0}))
	if [ "$late" -ge $((W - 500)) ]; then
		info "try $try: learning packets left $late ms after the session was created: too late for a $W ms window on this (stalled) guest"
		return 2
	fi
	info "learning packets left within $late ms of the session's creation (window $W ms)"

	local st lr lc br bc
	read -r st lr lc br bc <<<"$(python3 "$LIB_DIR/jget.py" session.state \
		session.a.rtp.learning_ms session.a.rtcp.learning_ms \
		session.b.rtp.learning_ms session.b.rtcp.learning_ms <<<"$out1" | xargs)"
	if [ "$st" = learning ] && [ "$lr" -gt $((W - 500)) ] && [ "$lr" -le $W ] &&
		[ "$lc" = "$lr" ] && [ "$br $bc" = "0 0" ]; then
		pass "alloc: a.rtp window ~${W} ms ($lr left), a.rtcp's the same (derived), b has none"
	else
		fail "alloc: state $st, learning_ms a.rtp $lr a.rtcp $lc b.rtp $br b.rtcp $bc (want learning, ${W}, same, 0 0)"
	fi
	expect "alloc: a.rtcp client derived from a.rtp (same address, port + 1)" \
		"$(python3 "$LIB_DIR/jget.py" session.a.rtcp.addr session.a.rtcp.port \
			session.a.rtp.learned <<<"$out1" | xargs)" "10.1.0.2 4001 false"
	expect "alloc: always-learn on side a only" \
		"$(python3 "$LIB_DIR/jget.py" session.a.always_learn session.b.always_learn \
			<<<"$out2" | xargs)" "true false"

	expect "B got every learning-time RTP packet from gate B" \
		"$(got learn_rtp$try "$GATE_B:$gb1")" \
		"$n $n $((n * SZ))"
	expect "B got the RTCP packets from gate B's RTCP port" \
		"$(got learn_rtcp$try "$GATE_B:$((gb1 + 1))")" "2 2 $((2 * SZ))"
	expect "a.rtp learned the NATed source" \
		"$(sess "$id1" a.rtp.addr a.rtp.port a.rtp.learned a.rtp.packets a.rtp.bytes a.rtp.errors | xargs)" \
		"10.1.0.3 4100 true $n $((n * SZ)) 0"
	expect "a.rtcp learned the NATed source" \
		"$(sess "$id1" a.rtcp.addr a.rtcp.port a.rtcp.learned a.rtcp.packets a.rtcp.errors | xargs)" \
		"10.1.0.3 4101 true 2 0"
	expect "b side untouched (given, not learned)" \
		"$(sess "$id1" b.rtp.addr b.rtp.port b.rtp.learned | xargs)" "10.2.0.2 6000 false"

	# B->A goes to the learned client, from gate A.
	flow "B->A RTP to the learned client" "$B" 10.2.0.2:6000 $GATE_B:"$gb1" \
		"$A" 10.1.0.3:4100 $GATE_A:"$ga1" $m
	flow "B->A RTCP to the learned client" "$B" 10.2.0.2:6001 $GATE_B:$((gb1 + 1)) \
		"$A" 10.1.0.3:4101 $GATE_A:$((ga1 + 1)) 2

	# The window closes (both sessions have the same one).
	if poll -t 15 eval '[ "$(sess "$id1" state)" = active ] && [ "$(sess "$id2" state)" = active ]'; then
		pass "learning window closed: sessions $id1 and $id2 active"
	else
		fail "learning window closed: states $(sess "$id1" state) $(sess "$id2" state)"
	fi
	expect "no learning time left on side a" \
		"$(sess "$id1" a.rtp.learning_ms a.rtcp.learning_ms | xargs)" "0 0"

	# A third source is refused; the learned client still passes.  The
	# refused packets go first and have another size: had one been relayed,
	# it would be among the $l the receiver counts, and the bytes would say so.
	drop0=$(sbstat drop_source)
	err0=$(sess "$id1" a.rtp.errors a.rtcp.errors | xargs)
	before=$(sbstat packets)
	recv "$B" 10.2.0.2:6000 after_rtp --count $l --timeout 120
	recv "$B" 10.2.0.2:6001 after_rtcp --count 1 --timeout 120
	send "$A" 10.1.0.4:4200 $GATE_A:"$ga1" $k $BAD
	send "$A" 10.1.0.4:4201 $GATE_A:$((ga1 + 1)) $k2 $BAD
	send "$A" 10.1.0.3:4100 $GATE_A:"$ga1" $l $SZ
	send "$A" 10.1.0.3:4101 $GATE_A:$((ga1 + 1)) 1 $SZ
	expect "after the window B gets only the learned client's RTP" \
		"$(got after_rtp "$GATE_B:$gb1")" \
		"$l $l $((l * SZ))"
	expect "after the window B gets only the learned client's RTCP" \
		"$(got after_rtcp "$GATE_B:$((gb1 + 1))")" "1 1 $SZ"
	expect "errors counted on the session (a.rtp, a.rtcp)" \
		"$(sess "$id1" a.rtp.errors a.rtcp.errors | xargs)" \
		"$(($(cut -d' ' -f1 <<<"$err0") + k)) $(($(cut -d' ' -f2 <<<"$err0") + k2))"
	expect "switchboard drop_source += $((k + k2))" "$(sbstat drop_source)" $((drop0 + k + k2))
	expect "global drop_source = switchboard's" "$(gstat drop_source)" "$(sbstat drop_source)"
	after=$(sbstat packets)
	expect "switchboard relayed only the learned client's $((l + 1))" $((after - before)) $((l + 1))
	expect "the learned client is kept" \
		"$(sess "$id1" a.rtp.addr a.rtp.port a.rtp.packets a.rtcp.addr a.rtcp.port a.rtcp.packets | xargs)" \
		"10.1.0.3 4100 $((n + l)) 10.1.0.3 4101 3"
	expect "no other drop" "$(sbstat drop_no_peer drop_route drop_expired drop_destroyed drop_malformed | xargs)" "0 0 0 0 0"

	# Nor did they redirect the stream: B->A still goes to the learned
	# client, none of it to the forger.  The forger's receiver ends at its
	# first datagram: a sentinel sent to it within A once the flow has
	# arrived, unless a relayed datagram came first.
	recv "$A" 10.1.0.4:4200 forger --count 1 --timeout 120
	flow "after the forged packets B->A still goes to the learned client" "$B" 10.2.0.2:6000 \
		$GATE_B:"$gb1" "$A" 10.1.0.3:4100 $GATE_A:"$ga1" $m
	send "$A" 10.1.0.3:4999 10.1.0.4:4200 1 $BAD
	expect "the forger got nothing from the relay (only the sentinel)" \
		"$(got forger 10.1.0.3:4999)" "1 1 $BAD"

	# Always-learn, after the window: every packet's source is taken.
	drop0=$(sbstat drop_source)
	expect "always-learn session: before any packet" \
		"$(sess "$id2" a.always_learn a.rtp.addr a.rtp.port a.rtp.learned a.rtp.learning_ms | xargs)" \
		"true 10.1.0.2 4010 false 0"
	flow "always-learn: new source 10.1.0.4:4200 relayed" "$A" 10.1.0.4:4200 $GATE_A:"$ga2" \
		"$B" 10.2.0.2:6010 $GATE_B:"$gb2" 3
	expect "always-learn: source taken" \
		"$(sess "$id2" a.rtp.addr a.rtp.port a.rtp.learned | xargs)" "10.1.0.4 4200 true"
	flow "always-learn: B->A follows to 10.1.0.4:4200" "$B" 10.2.0.2:6010 $GATE_B:"$gb2" \
		"$A" 10.1.0.4:4200 $GATE_A:"$ga2" 3
	flow "always-learn: another source 10.1.0.3:4300 relayed" "$A" 10.1.0.3:4300 $GATE_A:"$ga2" \
		"$B" 10.2.0.2:6010 $GATE_B:"$gb2" 3
	expect "always-learn: source taken again" \
		"$(sess "$id2" a.rtp.addr a.rtp.port a.rtp.learned | xargs)" "10.1.0.3 4300 true"
	flow "always-learn: B->A follows to 10.1.0.3:4300" "$B" 10.2.0.2:6010 $GATE_B:"$gb2" \
		"$A" 10.1.0.3:4300 $GATE_A:"$ga2" 3
	expect "always-learn: counters" \
		"$(sess "$id2" a.rtp.packets a.rtp.errors b.rtp.packets b.rtp.errors | xargs)" "6 0 6 0"
	expect "always-learn: nothing dropped for the source" "$(sbstat drop_source)" "$drop0"

	# Totals: every relayed packet, switchboard and global alike.
	local total=$((n + 2 + m + 2 + l + 1 + m + 12))
	local bytes=$((total * SZ))
	expect "switchboard relayed, exactly" "$(sbstat packets bytes | xargs)" "$total $bytes"
	expect "global relayed, exactly" "$(gstat packets bytes | xargs)" "$total $bytes"
	expect "nothing passed on untouched" "$(passed_on)" 0
}

for IPT in "${IPT_BACKENDS[@]}"; do
	section "$IPT: learning a NATed client"
	if ! topo_up --max-sess 16 --expires-timeout 600; then
		fail "topology with $IPT"
		continue
	fi
	for try in 1 2 3; do
		learning $try
		rc=$?
		topo_down
		[ $rc = 2 ] || break
		if [ $try = 3 ]; then
			fail "the learning packets never left inside the window in $try tries: the guest is too slow"
			break
		fi
		topo_up --max-sess 16 --expires-timeout 600 || { fail "topology with $IPT"; break; }
	done
done
finish
