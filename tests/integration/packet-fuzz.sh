#!/bin/bash
# packet-fuzz: malformed traffic to the gates, written whole from AF_PACKET
# sockets on A's and B's links (packet_fuzz.py): truncated IP and UDP
# headers, IP and UDP lengths too long and too short, IP options,
# fragments (first, middle, last, a whole datagram in two, overlapping:
# the relay's rule makes R defragment, so the target never sees one),
# UDP checksum 0 and wrong, an IP checksum wrong, packets too big for the
# way out with and without DF, zero-length payloads, padding, TTL 0 and 1,
# forged sources (the other client's address, the gates', the relay's,
# martians) and strangers, to live sessions, a session with one side
# unknown and free slots; then PACKET_FUZZ_COUNT (5000) packets mutated
# from good ones by a generator seeded with PACKET_FUZZ_SEED (10).
#
# Every packet's fate is predicted (packet_fuzz.py's model of R's input
# and of kmod/packet.c), and the count of each fate must be exactly what R
# shows:
#  - dropped by R's IP layer before any hook: Ip InHdrErrors, IpExt
#    InCsumErrors and InTruncatedPkts (/proc/net/snmp, /proc/net/netstat);
#  - fragments, taken for reassembly: Ip ReasmReqds; the one whole
#    datagram they make goes on (ReasmOKs);
#  - the rest reaches PREROUTING: a rule before the relay's counts them;
#  - passed on untouched by the target: a rule after it counts them;
#  - relayed, and each drop reason: the switchboard's and the namespace's
#    counters, and each stream's packets, bytes and errors;
# so that sent = IP layer drops + fragments + passed on + relayed + every
# drop reason - reassembled, with nothing "at most".  The receivers of every client get exactly the
# packets the model relays, byte for byte, and no other.  The rig fails the
# run on any kernel report (oops, WARN, slub_debug).
#
# One iptables backend (the first of IPT_BACKENDS): the rules only count.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
need_root
need_module

COUNT=${PACKET_FUZZ_COUNT:-5000}
SEED=${PACKET_FUZZ_SEED:-10}
IPT=${IPT_BACKENDS[0]}

# ip_counters: R's Ip InHdrErrors, IpExt InCsumErrors and InTruncatedPkts,
# Ip ReasmReqds and ReasmOKs (/proc/net/snmp and netstat: a line of names,
# then one of values), in one process in the namespace.
ip_counters() {
	in_ns "$R" awk '$1 == "Ip:" || $1 == "IpExt:" {
			if (!($1 in names)) { names[$1] = $0; next }
			n = split(names[$1], k)
			for (i = 2; i <= n; i++) v[$1 k[i]] = $i
		}
		END { print v["Ip:InHdrErrors"], v["IpExt:InCsumErrors"], v["IpExt:InTruncatedPkts"],
			v["Ip:ReasmReqds"], v["Ip:ReasmOKs"] }' /proc/net/snmp /proc/net/netstat
}
# softnet_drops: packets the backlog queues dropped, all CPUs.
softnet_drops() {
	local n=0 x
	while read -r _ x _; do n=$((n + 16#$x)); done </proc/net/softnet_stat
	echo $n
}
mac() { ip -n "$1" -o link show "$2" | sed -n 's|.*link/ether \([0-9a-f:]*\).*|\1|p'; }
# want KEY: what packet_fuzz.py says R must show (0 if it said nothing).
want() { awk -v k="$1" '$1 == k { v = $2 } END { print v + 0 }' "$TMPD/fuzz"; }
# rules: packets counted by PREROUTING's first and last rules.
rules() {
	ipt "$R" -t mangle -L PREROUTING -v -n -x | awk 'NR > 2 { n[++i] = $1 } END { print n[1], n[i] }'
}

section "$IPT: hand-made cases, then $COUNT mutated packets (seed $SEED)"
TOPO_COUNT_RULE=0 topo_up --max-sess 4 --expires-timeout 3600 || { fail "topology"; finish; }
# Jumbo frames on A's link: what comes from A may be too big for rb.
ip -n "$A" link set va mtu 9000
ip -n "$R" link set ra mtu 9000
ipt "$R" -t mangle -I PREROUTING 1 -p udp
ipt "$R" -t mangle -A PREROUTING -p udp
expect "session 0: both clients known" \
	"$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4000 --rtp-addr-b 10.2.0.2 --rtp-port-b 6000)" 0
expect "session 1: side B unknown, no learning" \
	"$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4010)" 1
# Neighbours known: nothing relayed waits for (or is lost to) resolution.
ip -n "$R" neigh replace 10.1.0.2 lladdr "$(mac "$A" va)" dev ra nud permanent
ip -n "$R" neigh replace 10.2.0.2 lladdr "$(mac "$B" vb)" dev rb nud permanent

read -r hdr0 csum0 trunc0 reasm0 ok0 <<<"$(ip_counters)"
csa0=$(udp_csum_errors "$A")
csb0=$(udp_csum_errors "$B")
sd0=$(softnet_drops)
t0=$SECONDS
if ! python3 "$LIB_DIR/packet_fuzz.py" "$A" "$B" "$(mac "$R" ra)" "$(mac "$R" rb)" \
	"$TMPD/fuzz" --count "$COUNT" --seed "$SEED"; then
	fail "packet_fuzz.py failed"
	finish
fi
sent=$(want sent)
info "$sent packets ($(want hand) hand-made) in $((SECONDS - t0)) s; $(want recv.expected) to be relayed"
expect "the hand-made cases' fates are the model's" "$(want bad_cases)" 0
expect "every relayable packet received, byte for byte" "$(want recv.missing)" 0
expect "nothing else received" "$(want recv.extra)" 0
expect "relayed packets all had good UDP checksums (A, B: InCsumErrors)" \
	"$(($(udp_csum_errors "$A") - csa0)) $(($(udp_csum_errors "$B") - csb0))" "0 0"
# Global (another scenario may run beside this one): a loss of ours would
# show in the counts below anyway; this says where it went.
sd=$(($(softnet_drops) - sd0))
[ "$sd" = 0 ] || info "the backlog queues dropped $sd packets meanwhile (any scenario's)"

read -r hdr csum trunc reasm ok <<<"$(ip_counters)"
expect "IP layer: header errors (InHdrErrors)" $((hdr - hdr0)) "$(want ip.hdr)"
expect "IP layer: header checksum errors (InCsumErrors)" $((csum - csum0)) "$(want ip.csum)"
expect "IP layer: truncated (InTruncatedPkts)" $((trunc - trunc0)) "$(want ip.trunc)"
expect "IP layer: fragments taken for reassembly (ReasmReqds)" $((reasm - reasm0)) "$(want ip.reasm)"
expect "IP layer: datagrams reassembled (ReasmOKs)" $((ok - ok0)) "$(want ip.reasm_ok)"
read -r pre post <<<"$(rules)"
expect "PREROUTING: reached the hook" "$pre" "$(want rule.pre)"
expect "PREROUTING: passed on by the target" "$post" "$(want rule.post)"

names=(packets bytes drop_malformed drop_fragment drop_csum drop_source drop_no_peer
	drop_expired drop_destroyed drop_route drop_bad_source drop_ttl)
mapfile -t sbv < <(sbstat "${names[@]}")
mapfile -t gv < <(gstat "${names[@]}")
taken=0
for i in "${!names[@]}"; do
	expect "switchboard ${names[i]}" "${sbv[i]}" "$(want "sb.${names[i]}")"
	[ "${names[i]}" = bytes ] || taken=$((taken + sbv[i]))
done
expect "the global counters are the switchboard's" "${gv[*]}" "${sbv[*]}"
expect "reached the hook = passed on + relayed + every drop reason" "$pre" $((post + taken))
expect "sent = IP layer drops + fragments + reached the hook - reassembled" "$sent" \
	$((hdr - hdr0 + trunc - trunc0 + reasm - reasm0 + pre - (ok - ok0)))

paths=()
for id in 0 1; do
	for side in a b; do
		for st in rtp rtcp; do
			for c in packets bytes errors; do paths+=("$id.$side.$st.$c"); done
		done
	done
done
streams=$(rtpp list $SB --format json |
	python3 "$LIB_DIR/jget.py" $(printf 'switchboards.0.sessions.id=%s ' "${paths[@]}") 2>&1 | xargs)
wanted=$(for p in "${paths[@]}"; do want "stream.$p"; done | xargs)
expect "each stream's packets, bytes and errors" "$streams" "$wanted"
topo_down
finish
