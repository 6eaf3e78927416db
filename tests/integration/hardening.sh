#!/bin/bash
# hardening: the relay takes from other hosts only what the stack would
# take, sends only what it can, and says so (issue 14, items 1, 2, 4, 7).
#
#  - Client addresses: ALLOC and UPDATE refuse a loopback, 0/8, multicast,
#    broadcast, reserved address or one of the relay host, naming the
#    attribute.  Forged sources (the same, sent from A with a raw socket)
#    are neither learned nor relayed, even inside a learning window, and
#    count as drop_bad_source; so is a source that fails strict rp_filter
#    (arriving from the wrong side), which is taken once rp_filter is off.
#  - TTL: a relayed packet leaves with its TTL less one; one that arrives
#    with TTL 1 is dropped (drop_ttl) and its sender gets an ICMP time
#    exceeded; a client on the relay host keeps the TTL it sent with.
#  - IPsec: an inbound policy that requires ESP from A drops A's plain
#    packets to a gate (drop_bad_source), as it would for a local socket.
#  - Output errors: packets a queue drops or that are too big for the
#    outgoing link with DF set are not counted as relayed but as drop_route
#    and as the stream's errors; the too-big one's sender gets an ICMP
#    fragmentation needed.
#  - GSO: a burst sent with UDP_SEGMENT crosses the veth as one GSO packet
#    (from A, and from a client on the relay host): every datagram of it
#    is relayed and counted (issue 14 item 5).
#  - A stream's source verdict, kept with its route, does not outlive a
#    route change or a change of rp_filter, and a packet it lets in with
#    TTL 1 is still answered with ICMP time exceeded.
#  - Scrubbing: a packet that came in over a bridge with bridge netfilter
#    leaves without the bridge's information (a physdev match on the way
#    out does not see it as bridged).
#
# The packets that must not be relayed go first, a marker that must be
# relayed last: a receiver that stops at its first datagram tells whether
# anything else got through, without waiting for a timeout.
#
# Nothing here depends on the iptables backend but the rules that take the
# packets and match them on the way out: the first backend of IPT_BACKENDS
# runs every part, the others the forged sources and the bridge only.
#
# env: HARDENING_PARTS, some of "clients forged ttl kept output_errors ipsec gso
# bridged" to run only those (default: all).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
need_root
need_module

SZ=100		# payload of packets that must be relayed
BAD=77		# payload of packets that must not

# raw KIND SRC DST COUNT SIZE [--ttl N]: hand-made packets from A.
raw() { in_ns "$A" python3 "$LIB_DIR/udp.py" raw "$@"; }

sbstat_is() { [ "$(sbstat "$1")" = "$2" ]; }

# stat_now NAME WANT DESC: the switchboard counter NAME reaches WANT.
stat_now() {
	poll -t 10 sbstat_is "$1" "$2"
	expect "$3" "$(sbstat "$1")" "$2"
}

# icmp_in NS FIELD: a counter of the Icmp: lines of NS's /proc/net/snmp.
icmp_in() {
	in_ns "$1" awk -v f="$2" '/^Icmp:/ { if (!n++) { for (i = 2; i <= NF; i++) if ($i == f) c = i } else print $c }' /proc/net/snmp
}

# refused DESC CMD...: the CLI refuses with status 2, naming the attribute.
refused() {
	local desc=$1 out rc want=$2
	shift 2
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc = 2 ] && [[ $out == *"client address is"*"($want)"* ]]; then
		pass "$desc: refused"
		info "$out"
	else
		fail "$desc: status $rc: $out"
	fi
}

clients() {
	local a id
	for a in 127.0.0.1 10.1.0.1 10.9.0.1 0.1.2.3 224.0.0.5 255.255.255.255 240.0.0.1; do
		refused "alloc with client $a" SESS/SIDE_A/RTP/ADDR \
			alloc --rtp-addr-a $a --rtp-port-a 4000 --rtp-addr-b 10.2.0.2 --rtp-port-b 6000
	done
	id=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4000 --rtp-addr-b 10.2.0.2 --rtp-port-b 6000)
	expect "a good client is taken" "$id" 0
	refused "update to a client that is a gate" SESS/SIDE_B/RTCP/ADDR \
		rtpp update $SB --sess-id-lo "$id" --rtcp-addr-b 10.2.0.1
	expect "the refused update changed nothing" \
		"$(sess "$id" b.rtcp.addr b.rtcp.port | xargs)" "10.2.0.2 6001"
	check "delete it" rtpp delete $SB --sess-id-lo "$id"
}

forged() {
	local id g before b src n=2 k=0
	# Side A learns for ten minutes, from a first guess of its address.
	id=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4000 --rtp-learning-timeout-a 600000 \
		--rtp-addr-b 10.2.0.2 --rtp-port-b 6000)
	g=$(gate_port "$id")
	before=$(sbstat drop_bad_source)
	recv "$B" 10.2.0.2:6000 forged --count 1 --timeout 300
	# 10.2.0.3 is B's: from A's side strict rp_filter refuses it.  (A
	# loopback source from another host does not even reach the hook.)
	for src in 10.1.0.1 10.9.0.1 0.1.2.3 224.0.0.5 255.255.255.255 \
		240.0.0.1 10.2.0.3; do
		b=$(sbstat drop_bad_source)
		raw good $src:4000 $GATE_A:"$g" $n $BAD
		k=$((k + n))
		poll -t 10 sbstat_is drop_bad_source $((b + n)) ||
			info "source $src: drop_bad_source $(sbstat drop_bad_source), want $((b + n))"
	done
	# Loopback from this host: it is sent with a loopback source, but
	# loopback is never a client.  The refusal is the sender's EPERM.
	in_ns "$R" python3 "$LIB_DIR/udp.py" send 127.0.0.1:4000 $GATE_A:"$g" 1 $BAD 2>/dev/null
	k=$((k + 1))
	expect "forged sources: drop_bad_source += $k" "$(sbstat drop_bad_source)" $((before + k))
	expect "nothing learned from them" \
		"$(sess "$id" a.rtp.addr a.rtp.port a.rtp.learned a.rtp.errors | xargs)" "10.1.0.2 4000 false $k"
	raw good 10.1.0.3:4100 $GATE_A:"$g" 1 $SZ
	expect "B got none of them: the first datagram is the good one's" \
		"$(got forged "$GATE_B:$g")" "1 1 $SZ"
	expect "a good source is learned" \
		"$(sess "$id" a.rtp.addr a.rtp.port a.rtp.learned | xargs)" "10.1.0.3 4100 true"

	# With rp_filter off, the stack takes 10.2.0.3 from A's side: so do we.
	in_ns "$R" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.ra.rp_filter=0
	recv "$B" 10.2.0.2:6000 loose --count 1 --timeout 120
	raw good 10.2.0.3:4200 $GATE_A:"$g" 1 $SZ
	expect "rp_filter off: 10.2.0.3 from A relayed" "$(got loose "$GATE_B:$g")" "1 1 $SZ"
	expect "rp_filter off: and learned" \
		"$(sess "$id" a.rtp.addr a.rtp.port | xargs)" "10.2.0.3 4200"
	in_ns "$R" sysctl -qw net.ipv4.conf.all.rp_filter=1 net.ipv4.conf.ra.rp_filter=1
	expect "drop_bad_source is global too" "$(gstat drop_bad_source)" "$(sbstat drop_bad_source)"
}

ttl() {
	local id g te0 lid lg
	id=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4010 --rtp-addr-b 10.2.0.2 --rtp-port-b 6010)
	g=$(gate_port "$id")
	te0=$(icmp_in "$A" InTimeExcds)
	recv "$B" 10.2.0.2:6010 ttl --count 1 --timeout 120
	raw good 10.1.0.2:4010 $GATE_A:"$g" 2 $BAD --ttl 1
	stat_now drop_ttl 2 "TTL 1: drop_ttl = 2"
	raw good 10.1.0.2:4010 $GATE_A:"$g" 1 $SZ --ttl 9
	expect "B got none with TTL 1: the first is the TTL 9 one's" \
		"$(got ttl "$GATE_B:$g")" "1 1 $SZ"
	expect "and it came with TTL 8" "$(received ttl ttls.8)" 1
	expect "session a.rtp: 1 relayed, 2 errors" \
		"$(sess "$id" a.rtp.packets a.rtp.errors | xargs)" "1 2"
	if poll -t 10 eval '[ "$(icmp_in "$A" InTimeExcds)" -gt "$te0" ]'; then
		pass "the sender got ICMP time exceeded ($(icmp_in "$A" InTimeExcds) since $te0)"
	else
		fail "no ICMP time exceeded at A (InTimeExcds $(icmp_in "$A" InTimeExcds), was $te0)"
	fi

	# A client on the relay host, learned from its packets (OUTPUT): its
	# TTL is its own; one from A arrives with one less.
	lid=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4020 --rtp-learning-timeout-b 600000)
	lg=$(gate_port "$lid")
	recv "$A" 10.1.0.2:4020 local_out --count 3 --timeout 120
	send "$R" 10.9.0.1:7020 $GATE_B:"$lg" 3 $SZ --ttl 7
	expect "local client -> A: relayed" "$(got local_out "$GATE_A:$lg")" "3 3 $((3 * SZ))"
	expect "local client -> A: with the TTL it sent (7)" "$(received local_out ttls.7)" 3
	expect "the local client was learned" \
		"$(sess "$lid" b.rtp.addr b.rtp.port b.rtp.learned | xargs)" "10.9.0.1 7020 true"
	recv "$R" 10.9.0.1:7020 local_in --count 2 --timeout 120
	send "$A" 10.1.0.2:4020 $GATE_A:"$lg" 2 $SZ --ttl 30
	expect "A -> local client: relayed" "$(got local_in "$GATE_B:$lg")" "2 2 $((2 * SZ))"
	expect "A -> local client: TTL 30 less one" "$(received local_in ttls.29)" 2
	expect "no other TTL drop" "$(sbstat drop_ttl)" 2

	# Relayed packets are forwarded: they leave through POSTROUTING, not
	# through OUTPUT, which is for what the host's processes send.
	local b0 m
	ipt "$R" -t mangle -I OUTPUT -p udp -s $GATE_B --sport "$g" -d 10.2.0.2
	ipt "$R" -t mangle -I POSTROUTING -p udp -s $GATE_B --sport "$g" -d 10.2.0.2
	recv "$B" 10.2.0.2:6010 fwd --count 3 --timeout 120
	send "$A" 10.1.0.2:4010 $GATE_A:"$g" 3 $SZ
	expect "A -> B: relayed" "$(got fwd "$GATE_B:$g")" "3 3 $((3 * SZ))"
	for m in OUTPUT POSTROUTING; do
		expect "relayed packets counted in $m" \
			"$(ipt "$R" -t mangle -L $m -v -n -x | awk -v p="spt:$g" '$0 ~ p { print $1; exit }')" \
			"$([ $m = OUTPUT ] && echo 0 || echo 3)"
	done

	# A socket of the relay host bound to a gate port is never a client:
	# relayed to it, a packet would come back through lo to be relayed
	# again (only the TTL would end that loop).  The drop in OUTPUT is
	# the sender's EPERM: one datagram.
	b0=$(sbstat drop_bad_source)
	in_ns "$R" python3 "$LIB_DIR/udp.py" send $GATE_A:"$lg" $GATE_B:"$lg" 1 $SZ 2>/dev/null
	stat_now drop_bad_source $((b0 + 1)) "from gate A's own port to gate B: drop_bad_source += 1"
	expect "the local client stays" \
		"$(sess "$lid" b.rtp.addr b.rtp.port b.rtp.learned | xargs)" "10.9.0.1 7020 true"
}

# A stream's verdict on its source, kept once its route is (kmod/source.c),
# is not trusted past what it depends on: a route change (which bumps the
# routing generation), rp_filter (which no route change versions), and a
# packet kept out on TTL is still answered with ICMP.  Each stream is
# relayed three times first: its route is kept on the first packet, the
# verdict on the second.
kept() {
	local id g b0 te0 k n=2
	id=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4050 --rtp-addr-b 10.2.0.2 --rtp-port-b 6050)
	g=$(gate_port "$id")
	recv "$B" 10.2.0.2:6050 kept --count 3 --timeout 120
	send "$A" 10.1.0.2:4050 $GATE_A:"$g" 3 $SZ
	expect "kept: A -> B relayed" "$(got kept "$GATE_B:$g")" "3 3 $((3 * SZ))"
	# The route back to A's client through rb: strict rp_filter now
	# refuses it from ra, as the stack would.
	check "a route to 10.1.0.2 through rb" \
		ip -n "$R" route add 10.1.0.2/32 via 10.2.0.2 dev rb
	b0=$(sbstat drop_bad_source)
	recv "$B" 10.2.0.2:6050 rerouted --count 1 --timeout 120
	send "$A" 10.1.0.2:4050 $GATE_A:"$g" $n $BAD
	stat_now drop_bad_source $((b0 + n)) "kept, then the route moved: drop_bad_source += $n"
	check "the route goes" ip -n "$R" route del 10.1.0.2/32
	send "$A" 10.1.0.2:4050 $GATE_A:"$g" 3 $SZ
	expect "B got none of them: the first is one sent after the route went" \
		"$(got rerouted "$GATE_B:$g")" "1 1 $SZ"

	te0=$(icmp_in "$A" InTimeExcds)
	b0=$(sbstat drop_ttl)
	raw good 10.1.0.2:4050 $GATE_A:"$g" 1 $BAD --ttl 1
	stat_now drop_ttl $((b0 + 1)) "kept, TTL 1: drop_ttl += 1"
	if poll -t 10 eval '[ "$(icmp_in "$A" InTimeExcds)" -gt "$te0" ]'; then
		pass "kept, TTL 1: the sender got ICMP time exceeded"
	else
		fail "kept, TTL 1: no ICMP time exceeded at A (InTimeExcds $(icmp_in "$A" InTimeExcds), was $te0)"
	fi

	# 10.2.0.3 (B's) from A's side, taken with rp_filter off and kept,
	# is refused once rp_filter is on again.
	in_ns "$R" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.ra.rp_filter=0
	id=$(alloc --rtp-addr-a 10.2.0.3 --rtp-port-a 4060 --rtp-addr-b 10.2.0.2 --rtp-port-b 6060)
	g=$(gate_port "$id")
	recv "$B" 10.2.0.2:6060 loose --count 3 --timeout 120
	raw good 10.2.0.3:4060 $GATE_A:"$g" 3 $SZ
	expect "rp_filter off: 10.2.0.3 from A relayed" "$(got loose "$GATE_B:$g")" "3 3 $((3 * SZ))"
	in_ns "$R" sysctl -qw net.ipv4.conf.all.rp_filter=1 net.ipv4.conf.ra.rp_filter=1
	b0=$(sbstat drop_bad_source)
	recv "$B" 10.2.0.2:6060 strict --count 1 --timeout 120
	raw good 10.2.0.3:4060 $GATE_A:"$g" $n $BAD
	stat_now drop_bad_source $((b0 + n)) "rp_filter on again: drop_bad_source += $n"
	in_ns "$R" sysctl -qw net.ipv4.conf.ra.rp_filter=2
	raw good 10.2.0.3:4060 $GATE_A:"$g" 1 $SZ
	expect "B got none of them: the first is the one sent with rp_filter loose" \
		"$(got strict "$GATE_B:$g")" "1 1 $SZ"
	in_ns "$R" sysctl -qw net.ipv4.conf.ra.rp_filter=1
	k=$(sess "$id" a.rtp.packets a.rtp.errors | xargs)
	expect "the stream: 4 relayed, $n errors" "$k" "4 $n"
}

output_errors() {
	local id g p0 r0 u0 n=3
	id=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4030 --rtp-addr-b 10.2.0.2 --rtp-port-b 6030)
	g=$(gate_port "$id")
	# A packet first, so that B's neighbour entry is known: the drops
	# below are the queue's, not a resolution's.
	recv "$B" 10.2.0.2:6030 warm --count 1 --timeout 120
	send "$A" 10.1.0.2:4030 $GATE_A:"$g" 1 $SZ
	expect "before: relayed" "$(got warm "$GATE_B:$g")" "1 1 $SZ"

	p0=$(sbstat packets)
	r0=$(sbstat drop_route)
	check "a queue on rb that drops everything" \
		in_ns "$R" tc qdisc add dev rb root pfifo limit 0
	send "$A" 10.1.0.2:4030 $GATE_A:"$g" $n $BAD
	stat_now drop_route $((r0 + n)) "queue drops: drop_route += $n"
	expect "queue drops: not counted as relayed" "$(sbstat packets)" "$p0"
	expect "queue drops: the stream's errors, not its packets" \
		"$(sess "$id" a.rtp.packets a.rtp.bytes a.rtp.errors | xargs)" "1 $SZ $n"
	check "the queue goes" in_ns "$R" tc qdisc del dev rb root

	# Too big for rb with DF set (udp.py raw sets it): dropped, and the
	# sender is told the MTU.
	check "rb's MTU 1000" ip -n "$R" link set rb mtu 1000
	u0=$(icmp_in "$A" InDestUnreachs)
	recv "$B" 10.2.0.2:6030 big --count 1 --timeout 120
	raw good 10.1.0.2:4030 $GATE_A:"$g" 1 1200
	stat_now drop_route $((r0 + n + 1)) "too big: drop_route += 1"
	send "$A" 10.1.0.2:4030 $GATE_A:"$g" 1 $SZ
	expect "too big: B got only the next, small one" "$(got big "$GATE_B:$g")" "1 1 $SZ"
	if poll -t 10 eval '[ "$(icmp_in "$A" InDestUnreachs)" -gt "$u0" ]'; then
		pass "the sender got ICMP fragmentation needed"
	else
		fail "no ICMP destination unreachable at A (InDestUnreachs $(icmp_in "$A" InDestUnreachs), was $u0)"
	fi
	expect "too big: the stream's errors" "$(sess "$id" a.rtp.packets a.rtp.errors | xargs)" \
		"2 $((n + 1))"
	expect "relayed: exactly the 2 sent" "$(sbstat packets)" $((p0 + 1))
	ip -n "$R" link set rb mtu 1500
}

ipsec() {
	local id g b0
	id=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4040 --rtp-addr-b 10.2.0.2 --rtp-port-b 6040)
	g=$(gate_port "$id")
	check "an inbound policy: ESP required from 10.1.0.2 to gate A" \
		ip -n "$R" xfrm policy add src 10.1.0.2/32 dst $GATE_A/32 proto udp dir in \
		tmpl proto esp mode transport
	b0=$(sbstat drop_bad_source)
	recv "$B" 10.2.0.2:6040 ipsec --count 1 --timeout 120
	send "$A" 10.1.0.2:4040 $GATE_A:"$g" 2 $BAD
	stat_now drop_bad_source $((b0 + 2)) "plain packets against the policy: drop_bad_source += 2"
	check "the policy goes" ip -n "$R" xfrm policy flush
	send "$A" 10.1.0.2:4040 $GATE_A:"$g" 1 $SZ
	expect "B got none of them: the first is the one sent without a policy" \
		"$(got ipsec "$GATE_B:$g")" "1 1 $SZ"
}

gso() {
	local id g p0
	id=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4060 --rtp-learning-timeout-b 600000)
	g=$(gate_port "$id")
	p0=$(sbstat packets)
	recv "$A" 10.1.0.2:4060 gso_out --count 3 --timeout 120
	send "$R" 10.9.0.1:7060 $GATE_B:"$g" 3 $SZ --gso
	expect "a local client's burst (UDP_SEGMENT): every datagram relayed" \
		"$(got gso_out "$GATE_A:$g")" "3 3 $((3 * SZ))"
	recv "$R" 10.9.0.1:7060 gso_in --count 5 --timeout 120
	send "$A" 10.1.0.2:4060 $GATE_A:"$g" 5 $SZ --gso
	expect "a burst from A, one GSO packet over the veth: every datagram relayed" \
		"$(got gso_in "$GATE_B:$g")" "5 5 $((5 * SZ))"
	expect "counted one by one" \
		"$(sess "$id" a.rtp.packets a.rtp.bytes b.rtp.packets b.rtp.bytes | xargs)" \
		"5 $((5 * SZ)) 3 $((3 * SZ))"
	expect "switchboard relayed 8" "$(sbstat packets)" $((p0 + 8))
	expect "none malformed" "$(sbstat drop_malformed)" 0
}

# Gate A on a bridge (rbr, port ra) with bridge netfilter: what came in
# over the bridge must leave rb unbridged.
bridged() {
	local id g n=4
	if ! modprobe br_netfilter 2>/dev/null; then
		skip "no br_netfilter"
		return
	fi
	ip -n "$R" addr del $GATE_A/24 dev ra
	ip -n "$R" link add rbr type bridge
	ip -n "$R" link set ra master rbr
	ip -n "$R" addr add $GATE_A/24 dev rbr
	ip -n "$R" link set rbr up
	in_ns "$R" sysctl -qw net.bridge.bridge-nf-call-iptables=1
	ipt "$R" -t mangle -I POSTROUTING -m physdev --physdev-in ra
	id=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4050 --rtp-addr-b 10.2.0.2 --rtp-port-b 6050)
	g=$(gate_port "$id")
	recv "$B" 10.2.0.2:6050 bridged --count $n --timeout 120
	send "$A" 10.1.0.2:4050 $GATE_A:"$g" $n $SZ
	expect "over the bridge: relayed" "$(got bridged "$GATE_B:$g")" "$n $n $((n * SZ))"
	expect "none left as bridged (physdev --physdev-in ra in POSTROUTING)" \
		"$(ipt "$R" -t mangle -L POSTROUTING -v -n -x | awk '/PHYSDEV/ { print $1; exit }')" 0
}

PARTS=" ${HARDENING_PARTS:-clients forged ttl kept output_errors ipsec gso bridged} "
part() { [[ $PARTS == *" $1 "* ]]; }

for IPT in "${IPT_BACKENDS[@]}"; do
	if [ "$IPT" != "${IPT_BACKENDS[0]}" ]; then
		PARTS=" ${HARDENING_PARTS:-forged bridged} "
	fi
	section "$IPT:$(printf ' %s' $PARTS)"
	topo_up --max-sess 16 --expires-timeout 3600 || { fail "topology with $IPT"; continue; }
	for p in clients forged ttl kept output_errors ipsec gso; do
		part $p && $p
	done
	topo_down

	part bridged || continue
	section "$IPT: over a bridge with bridge netfilter"
	topo_up --max-sess 16 --expires-timeout 3600 || { fail "topology with $IPT"; continue; }
	bridged
	topo_down
done
finish
