# shellcheck shell=bash
# tests/integration/relaylib.sh: the flows and checks of relay.sh and
# relay-conntrack.sh (one scenario would outlast run-all's limit in a
# loaded guest).  Sourced after lib.sh and topo.sh.
FLOWS=0

# flow NAME FROM_NS SRC GATE_DST TO_NS BIND EXPECT_SRC N SIZE [send opts]:
# N datagrams must arrive at BIND, all from EXPECT_SRC.
flow() {
	local name=$1 from=$2 src=$3 dst=$4 to=$5 bind=$6 want=$7 n=$8 size=$9
	local tag=flow$((++FLOWS))
	shift 9
	recv "$to" "$bind" $tag --count "$n"
	send "$from" "$src" "$dst" "$n" "$size" "$@"
	expect "$name: $n datagrams arrive" "$(received $tag count)" "$n"
	expect "$name: all from $want" "$(received $tag "sources.$want")" "$n"
	expect "$name: payload bytes" "$(received $tag bytes)" $((n * size))
}

basic() {
	local id
	id=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4000 \
		--rtp-addr-b 10.2.0.2 --rtp-port-b 6000)
	expect "first session id" "$id" 0
	id=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4010 \
		--rtp-addr-b 10.2.0.2 --rtp-port-b 6010)
	expect "second session id" "$id" 1

	flow "RTP a->b" "$A" 10.1.0.2:4010 $GATE_A:50002 "$B" 10.2.0.2:6010 $GATE_B:50002 50 160
	flow "RTCP a->b" "$A" 10.1.0.2:4011 $GATE_A:50003 "$B" 10.2.0.2:6011 $GATE_B:50003 7 92
	flow "RTP b->a" "$B" 10.2.0.2:6010 $GATE_B:50002 "$A" 10.1.0.2:4010 $GATE_A:50002 30 172
	flow "RTCP b->a" "$B" 10.2.0.2:6011 $GATE_B:50003 "$A" 10.1.0.2:4011 $GATE_A:50003 5 60
	flow "UDP checksum 0 a->b" "$A" 10.1.0.2:4010 $GATE_A:50002 "$B" 10.2.0.2:6010 $GATE_B:50002 4 33 --no-check

	read -r p b e <<<"$(sess 1 a.rtp.packets a.rtp.bytes a.rtp.errors | xargs)"
	expect "session a.rtp packets" "$p" 54
	expect "session a.rtp bytes" "$b" $((50 * 160 + 4 * 33))
	expect "session a.rtp errors" "$e" 0
	expect "session a.rtcp packets/bytes" "$(sess 1 a.rtcp.packets a.rtcp.bytes | xargs)" "7 644"
	expect "session b.rtp packets/bytes" "$(sess 1 b.rtp.packets b.rtp.bytes | xargs)" "30 5160"
	expect "session b.rtcp packets/bytes" "$(sess 1 b.rtcp.packets b.rtcp.bytes | xargs)" "5 300"
	expect "untouched session 0" "$(sess 0 a.rtp.packets b.rtp.packets state | xargs)" "0 0 active"
	expect "switchboard relayed" "$(sbstat packets bytes | xargs)" "96 $((8000 + 132 + 644 + 5160 + 300))"
	expect "global relayed" "$(gstat packets bytes | xargs)" "96 $((8000 + 132 + 644 + 5160 + 300))"
	expect "no checksum errors at B" "$(udp_csum_errors "$B")" 0
	expect "no checksum errors at A" "$(udp_csum_errors "$A")" 0
	expect "nothing passed on untouched" "$(passed_on)" 0
}

# notrack GATE PORTS: the raw table rules of libxt_RTPPROXY.man for one
# gate: what arrives at its ports, what leaves from them (relayed), what
# local clients send to them.
notrack() {
	ipt "$R" -t raw -A PREROUTING -p udp -d "$1" --dport "$2" -j CT --notrack &&
		ipt "$R" -t raw -A OUTPUT -p udp -s "$1" --sport "$2" -j CT --notrack &&
		ipt "$R" -t raw -A OUTPUT -p udp -d "$1" --dport "$2" -j CT --notrack
}

# gate_flows: the relay's conntrack entries with a gate port (the
# switchboard's 32 ports from $PORT) on either end.
gate_flows() {
	in_ns "$R" awk -v lo=$PORT -v hi=$((PORT + 31)) '
		$3 == "udp" {
			for (i = 4; i <= NF; i++)
				if ($i ~ /^[sd]port=/) {
					p = substr($i, 7) + 0
					if (p >= lo && p <= hi) { n++; break }
				}
		}
		END { print n + 0 }' /proc/net/nf_conntrack
}

# ct_other: send one datagram from A to a port of the relay that is no
# gate's (nothing listens: the answer is ICMP), and check that conntrack
# tracked it: the tracker is on, so "no entry for a gate port" means
# something.
ct_other() {
	send "$A" 10.1.0.2:4999 $GATE_A:9999 1 20
	poll -t 10 eval "in_ns \"$R\" grep -q 'dport=9999 ' /proc/net/nf_conntrack"
}

# Clients on the relay host: a local sender on side b, then a local
# receiver.  An address of the relay host cannot be given as a client (it
# could be anyone's SDP: see hardening.sh), only learned from what a local
# client sends.
local_clients() {
	local id
	id=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4020 --rtp-learning-timeout-b 600000)
	expect "local session id" "$id" 2
	flow "RTP local->a" "$R" 10.9.0.1:7020 $GATE_B:50004 "$A" 10.1.0.2:4020 $GATE_A:50004 20 160
	expect "local client learned" "$(sess 2 b.rtp.addr b.rtp.port b.rtp.learned | xargs)" \
		"10.9.0.1 7020 true"
	flow "RTP a->local" "$A" 10.1.0.2:4020 $GATE_A:50004 "$R" 10.9.0.1:7020 $GATE_B:50004 20 160
	expect "local session counts" "$(sess 2 a.rtp.packets b.rtp.packets | xargs)" "20 20"
	expect "no checksum errors on the relay" "$(udp_csum_errors "$R")" 0
}

# sbstat_is NAME VALUE: the switchboard's counter NAME reads VALUE.  A
# function for poll to run, so that each try reads the counter anew.
sbstat_is() {
	[ "$(sbstat "$1")" = "$2" ]
}

# Broken packets from A's client to a live session: dropped and counted by
# reason, B gets nothing.  Rather than wait for a timeout (which a slow
# guest can outrun before the last kind is sent), a control session relays a
# marker to the same client at B after all of them: the receiver stops at
# the first datagram, which must be the marker (its source and size).
malformed() {
	local before kind n=3 want ctl mark=33
	ctl=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4090 \
		--rtp-addr-b 10.2.0.2 --rtp-port-b 6010)
	expect "control session id" "$ctl" 3
	recv "$B" 10.2.0.2:6010 broken --count 1 --timeout 600
	for kind in badsum longlen shortlen tiny options; do
		case $kind in
		badsum) want=drop_csum ;;
		*) want=drop_malformed ;;
		esac
		before=$(sbstat "$want")
		in_ns "$A" python3 "$LIB_DIR/udp.py" raw "$kind" 10.1.0.2:4010 $GATE_A:50002 $n 40
		poll -t 10 sbstat_is "$want" $((before + n)) ||
			info "$kind: $want counter $(sbstat "$want"), was $before"
		expect "$kind: counted as $want" "$(sbstat "$want")" $((before + n))
	done
	# A first fragment whose rest never comes: the defragmentation the rule
	# enables holds it for reassembly; it never reaches the relay.
	before=$(reasm_reqds)
	in_ns "$A" python3 "$LIB_DIR/udp.py" raw frag 10.1.0.2:4010 $GATE_A:50002 $n 40
	poll -t 10 eval '[ "$(reasm_reqds)" -ge $((before + n)) ]'
	expect "frag: held for reassembly, not counted" \
		"$(($(reasm_reqds) - before)) $(sbstat drop_fragment)" "$n 0"
	send "$A" 10.1.0.2:4090 $GATE_A:"$(gate_port "$ctl")" 1 $mark
	expect "B received none of them (first datagram is the marker)" \
		"$(got broken "$GATE_B:$(gate_port "$ctl")")" "1 1 $mark"
	expect "session a.rtp errors" "$(sess 1 a.rtp.errors)" 15
	# And a control: the same hand-made packet, unbroken, is relayed.
	recv "$B" 10.2.0.2:6010 good --count 2
	in_ns "$A" python3 "$LIB_DIR/udp.py" raw good 10.1.0.2:4010 $GATE_A:50002 2 40
	expect "hand-made good packets relayed" "$(received good count)" 2
}

# reasm_reqds: fragments the relay's IP layer took in for reassembly.
reasm_reqds() {
	in_ns "$R" awk '$1 == "Ip:" { if (!h) { for (i = 2; i <= NF; i++) c[$i] = i; h = 1 }
		else { print $c["ReasmReqds"]; exit } }' /proc/net/snmp
}

# Datagrams larger than the links' MTU (1500), sent without DF: they reach
# the relay in fragments, are relayed whole (counted once each, with all
# their bytes) and leave in fragments again where the next link needs it;
# also to and from a client on the relay itself.
fragments() {
	local id loc before gp lp
	id=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4030 \
		--rtp-addr-b 10.2.0.2 --rtp-port-b 6030)
	loc=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4040 --rtp-learning-timeout-b 600000)
	gp=$(gate_port "$id")
	lp=$(gate_port "$loc")
	before=$(reasm_reqds)
	flow "fragmented a->b" "$A" 10.1.0.2:4030 $GATE_A:$gp "$B" 10.2.0.2:6030 $GATE_B:$gp 3 3000 --df-clear
	flow "fragmented b->a" "$B" 10.2.0.2:6030 $GATE_B:$gp "$A" 10.1.0.2:4030 $GATE_A:$gp 2 5000 --df-clear
	# The local client is learned from what it sends (as in local_clients).
	flow "local->a, fragmented on the way out" "$R" 10.9.0.1:7040 $GATE_B:$lp "$A" 10.1.0.2:4040 $GATE_A:$lp 2 4000 --df-clear
	flow "fragmented a->local" "$A" 10.1.0.2:4040 $GATE_A:$lp "$R" 10.9.0.1:7040 $GATE_B:$lp 2 3000 --df-clear
	expect "relayed whole: counted once each, every byte" \
		"$(sess "$id" a.rtp.packets a.rtp.bytes b.rtp.packets b.rtp.bytes | xargs)" "3 9000 2 10000"
	expect "local session: counted once each, every byte" \
		"$(sess "$loc" a.rtp.packets a.rtp.bytes b.rtp.packets b.rtp.bytes b.rtp.addr | xargs)" "2 6000 2 8000 10.9.0.1"
	if [ "$(($(reasm_reqds) - before))" -ge 21 ]; then
		pass "the relay reassembled them ($(($(reasm_reqds) - before)) fragments)"
	else
		fail "the relay took $(($(reasm_reqds) - before)) fragments for reassembly"
	fi
	expect "no fragment dropped" "$(sbstat drop_fragment)" 0
}

