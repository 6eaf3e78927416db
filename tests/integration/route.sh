#!/bin/bash
# route: each session keeps the route to its RTP clients, and drops it when
# it goes stale (issue 14 item 9).
#
#  - A stream of 20 RTP packets from A to B takes one route lookup towards
#    B's client, not one per packet (a kprobe on ip_route_output_flow()
#    counts the lookups whose destination is the scenario's clients).
#    The source check (the input route lookup, kmod/source.c) is made in
#    full for its first two packets only: then the verdict is kept with the
#    route (a kprobe on ip_route_input_noref() counts the checks of
#    packets from A's client).
#  - A route change in the middle of a stream (10.2.0.57/32 moves to a
#    second link, rb2, then back) is followed by the next packet: counted
#    leaving by rb2, then not; one lookup after each change, and two full
#    source checks.
#  - A client learned anew (always-learn, B's client moves from .57 to .58)
#    and a client moved by netlink (UPDATE back to .57) are followed: the
#    packets leave by the link of the new client's route, one lookup each.
#  - A marked packet (policy routing by fwmark) is routed by its mark, not
#    by the route kept for unmarked ones.
#  - Nothing leaks: once the namespaces are gone the module unloads, and
#    the IPv4 routes allocated (objects of the slab cache ip_dst_cache, as
#    slub_debug's allocation traces count them) come back to what they were:
#    the kept routes are released with their sessions.
#
# The routes do not depend on the iptables back end: the first of
# IPT_BACKENDS runs it.  The rig fails the run on any kernel report
# (slub_debug, WARN, oops).
#
# run-all: alone (it unloads the module)
# Run as root in the guest: tests/vm/run -- tests/integration/route.sh

# shellcheck disable=SC2086  # $SB: several words on purpose
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
need_root
need_module

IPT=${IPT_BACKENDS[0]}
SZ=100
C1=10.2.0.57		# B's clients of this scenario
C2=10.2.0.58

# le32 IP: the address as the kprobe reads it (network order, little-endian).
le32() {
	local a b c d
	IFS=. read -r a b c d <<<"$1"
	printf '0x%x' $(((d << 24) | (c << 16) | (b << 8) | a))
}

# lookups IP: output route lookups towards IP so far.
lookups() { kprobe_count lookup "daddr=$(le32 "$1")\$"; }

# checks IP: input route lookups of packets from IP so far (R steals them
# in PREROUTING: only the relay's source check looks them up).
checks() { kprobe_count check "saddr=$(le32 "$1")\$"; }

# out_by DEV: relayed packets counted leaving R by DEV.
out_by() {
	ipt "$R" -t mangle -L POSTROUTING -v -n -x |
		awk -v d="$1" '$6 == d && ($3 == "udp" || $3 == "17") { print $1; exit }'
}

# stream DESC SRC GATE_PORT BIND N: N datagrams from A's SRC to gate A's
# port must arrive at BIND in B, from gate B's matching port.
STREAMS=0
stream() {
	local tag=s$((STREAMS += 1))
	recv "$B" "$4" $tag --count "$5" --timeout 120
	send "$A" "$2" $GATE_A:"$3" "$5" $SZ
	expect "$1: B got $5" "$(got $tag $GATE_B:"$3")" "$5 $5 $(($5 * SZ))"
}

# dst_objects: IPv4 routes allocated in the whole guest (nothing else runs:
# alone), by slub_debug's allocation traces; empty if there are none.
dst_objects() {
	local f=/sys/kernel/debug/slab/ip_dst_cache/alloc_traces
	[ -r $f ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
	[ -r $f ] && awk '$1 ~ /^[0-9]+$/ { n += $1 } END { print n + 0 }' $f
}

if ! kprobe_setup ||
	! kprobe_add lookup 'ip_route_output_flow daddr=+44(%si):x32' ||
	! kprobe_add check 'ip_route_input_noref saddr=%dx:x32'; then
	fail "kprobe events on ip_route_output_flow and ip_route_input_noref"
	finish
fi
# Only the scenario's clients: the buffer stays small.
echo "daddr == $(le32 $C1) || daddr == $(le32 $C2)" \
	>"$KPROBE_INST/events/kprobes/rtpp_$$_lookup/filter"
echo "saddr == $(le32 10.1.0.2)" >"$KPROBE_INST/events/kprobes/rtpp_$$_check/filter"

E0=$(dst_objects)
section "$IPT: routes kept per stream"
topo_up --max-sess 16 --expires-timeout 3600 || { fail "topology with $IPT"; finish; }
ip -n "$B" addr add $C1/24 dev vb
ip -n "$B" addr add $C2/24 dev vb
# A second link to B.  B answers ARP for its addresses there too, and
# takes packets from 10.2.0.1 on it (loose reverse path).
ip link add vb2 netns "$B" type veth peer name rb2 netns "$R"
ip -n "$B" link set vb2 up
ip -n "$R" link set rb2 up
in_ns "$B" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.vb2.rp_filter=0
for dev in rb rb2; do
	ipt "$R" -t mangle -I POSTROUTING -o $dev -p udp
done

id=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4000 --rtp-addr-b $C1 --rtp-port-b 6000)
g=$(gate_port "$id")
# A knows R's MAC for good: an ARP request from A would be looked up by
# ip_route_input_noref() too (arp_process()), and counted with the checks.
ip -n "$A" neigh replace $GATE_A dev va nud permanent \
	lladdr "$(in_ns "$R" cat /sys/class/net/ra/address)"
c0=$(checks 10.1.0.2)
stream "20 packets" 10.1.0.2:4000 "$g" $C1:6000 20
expect "one lookup for 20 packets" "$(lookups $C1)" 1
[ "$(lookups $C1)" != 0 ] || info "trace: $(kprobe_trace | tail -n 3)"
expect "their source checked in full twice, then kept" "$(($(checks 10.1.0.2) - c0))" 2
expect "they left by rb" "$(out_by rb) $(out_by rb2)" "20 0"

check "route to $C1 moved to rb2" ip -n "$R" route add $C1/32 dev rb2
stream "after the move" 10.1.0.2:4000 "$g" $C1:6000 10
expect "they left by rb2" "$(out_by rb) $(out_by rb2)" "20 10"
expect "one lookup more" "$(lookups $C1)" 2
expect "two full source checks more" "$(($(checks 10.1.0.2) - c0))" 4
check "and back" ip -n "$R" route del $C1/32 dev rb2
stream "after the move back" 10.1.0.2:4000 "$g" $C1:6000 10
expect "they left by rb again" "$(out_by rb) $(out_by rb2)" "30 10"
expect "one lookup more" "$(lookups $C1)" 3
expect "two full source checks more" "$(($(checks 10.1.0.2) - c0))" 6

section "$IPT: a new client, learned or given"
ip -n "$R" route add $C1/32 dev rb2
lid=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4010 --rtp-addr-b $C1 --rtp-port-b 6010 \
	--always-learn-b)
lg=$(gate_port "$lid")
l0=$(lookups $C1)
stream "to $C1" 10.1.0.2:4010 "$lg" $C1:6010 5
expect "by rb2, $C1's route" "$(out_by rb) $(out_by rb2)" "30 15"
# B's client moves (a NAT rebinding): always-learn takes it.
recv "$A" 10.1.0.2:4010 back --count 1 --timeout 120
send "$B" $C2:6110 $GATE_B:"$lg" 1 $SZ
expect "B's new source relayed to A" "$(got back $GATE_A:"$lg")" "1 1 $SZ"
expect "and learned" "$(sess "$lid" b.rtp.addr b.rtp.port b.rtp.learned | xargs)" "$C2 6110 true"
stream "to the learned $C2" 10.1.0.2:4010 "$lg" $C2:6110 5
expect "by rb, $C2's route, not the route kept for $C1" "$(out_by rb) $(out_by rb2)" "35 15"
expect "one lookup towards $C2" "$(lookups $C2)" 1
check "UPDATE gives $C1 back" rtpp update $SB --sess-id-lo "$lid" \
	--rtp-addr-b $C1 --rtp-port-b 6010
stream "to $C1 again" 10.1.0.2:4010 "$lg" $C1:6010 5
expect "by rb2 again" "$(out_by rb) $(out_by rb2)" "35 20"
expect "one lookup towards $C1" "$(($(lookups $C1) - l0))" 2

section "$IPT: marked packets follow their mark"
mid=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4020 --rtp-addr-b $C2 --rtp-port-b 6020)
mg=$(gate_port "$mid")
check "fwmark 1 routes $C2 by rb2" eval "ip -n $R rule add fwmark 1 lookup 100 &&
	ip -n $R route add $C2/32 dev rb2 table 100"
stream "unmarked" 10.1.0.2:4020 "$mg" $C2:6020 3
expect "unmarked: by rb" "$(out_by rb) $(out_by rb2)" "38 20"
check "A's packets to it marked 1" \
	ipt "$R" -t mangle -I PREROUTING -p udp --sport 4020 -j MARK --set-mark 1
stream "marked" 10.1.0.2:4020 "$mg" $C2:6020 3
expect "marked: by rb2" "$(out_by rb) $(out_by rb2)" "38 23"

section "$IPT: nothing left behind"
expect "no route error" "$(sbstat drop_route)" 0
# The measure sees routes: the sessions keep some now.
E1=$(dst_objects)
if [ -n "$E0" ] && [ "$E1" -gt "$E0" ]; then
	pass "IPv4 routes allocated while the sessions live: $E1 (before: $E0)"
elif [ -n "$E0" ]; then
	fail "IPv4 routes allocated while the sessions live: $E1, no more than before ($E0)"
fi
topo_down
if poll -t 60 eval '[ "$(module_refs)" = 0 ]'; then
	pass "the namespaces gone: no reference left on the module"
else
	fail "module references left: $(module_refs)"
fi
check "rmmod" rmmod xt_RTPPROXY
if [ -z "$E0" ]; then
	skip "no slab allocation traces for ip_dst_cache (slub_debug=U, debugfs)"
elif poll -t 60 eval '[ "$(dst_objects)" -le "$E0" ]'; then
	pass "IPv4 routes allocated back to at most $E0 ($(dst_objects))"
else
	fail "IPv4 routes allocated: $(dst_objects), were $E0 before"
fi
check "modprobe xt_RTPPROXY" modprobe xt_RTPPROXY
finish
