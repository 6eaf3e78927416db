#!/bin/bash
# make demo: one relayed call, end to end, in the QEMU guest.
#
# Three network namespaces stand for the caller (A), the relay host and the
# callee (B).  The relay defines a switchboard exactly as the manual does,
# a "SIP proxy" (this script) allocates a session with iptrtpproxy, and RTP
# and RTCP flow both ways through the kernel.  Then the session is listed,
# the statistics shown, the NMS's view over SNMP (snmpd and
# iptrtpproxy-agent) walked and a counter reset, and the call torn down.
set -u
cd "$(dirname "$0")/.."
. tests/integration/lib.sh
. tests/integration/topo.sh
. tests/integration/snmpd.sh
SCENARIO=demo

say() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
cli() { printf '$ iptrtpproxy %s\n' "$*"; rtpp "$@"; }

need_root
say "load the module"
run modprobe xt_RTPPROXY || exit 1

say "relay host: a switchboard, as the manual defines one (iptables-nft)"
IPT=iptables-nft
TOPO_COUNT_RULE=0
topo_up --max-sess 100 --expires-timeout 120 --resurrection-timeout 2 || exit 1
in_ns "$R" iptables-nft-save -t mangle | sed '/^#/d'

say "the SIP proxy allocates a session: caller 10.1.0.2:4000, callee 10.2.0.2:6000"
printf '$ iptrtpproxy alloc %s --rtp-addr-a 10.1.0.2 --rtp-port-a 4000 --rtp-addr-b 10.2.0.2 --rtp-port-b 6000 -v\n' "$SB"
rtpp alloc $SB --rtp-addr-a 10.1.0.2 --rtp-port-a 4000 \
	--rtp-addr-b 10.2.0.2 --rtp-port-b 6000 -v || exit 1

say "media: 250 RTP packets (20 ms of G.711 each) and 5 RTCP reports each way"
recv "$B" 10.2.0.2:6000 b_rtp --count 250
recv "$A" 10.1.0.2:4000 a_rtp --count 250
recv "$B" 10.2.0.2:6001 b_rtcp --count 5
recv "$A" 10.1.0.2:4001 a_rtcp --count 5
send "$A" 10.1.0.2:4000 $GATE_A:50000 250 160
send "$B" 10.2.0.2:6000 $GATE_B:50000 250 160
send "$A" 10.1.0.2:4001 $GATE_A:50001 5 52
send "$B" 10.2.0.2:6001 $GATE_B:50001 5 52
for r in b_rtp a_rtp b_rtcp a_rtcp; do
	printf '%-7s received %s datagrams from %s\n' "$r" "$(received $r count)" \
		"$(python3 -c 'import json,sys; print(", ".join(json.load(open(sys.argv[1]))["sources"]))' "$TMPD/$r.json")"
done

say "the relay's view"
cli list $SB
cli info

say "the NMS's view: snmpd as AgentX master, iptrtpproxy-agent in the relay's namespace"
snmp_ok=
if snmpd_setup "$TMPD/snmp" && snmpd_start && agent_start "$R"; then
	snmp_ok=1
	if [ "$SNMP_BYNAME" = 1 ]; then
		M=IPTRTPPROXY-MIB::
		printf '$ snmpwalk -v2c -c public-ro -m IPTRTPPROXY-MIB %s rtppGlobal\n' "$SNMP_HOST"
		snmp snmpwalk "$SNMP_HOST" ${M}rtppGlobal
		printf '$ snmptable -v2c -c public-ro -m IPTRTPPROXY-MIB -Cb -Ci %s rtppStreamTable\n' "$SNMP_HOST"
		snmp snmptable -Cb -Ci "$SNMP_HOST" ${M}rtppStreamTable
		printf '$ snmpset -v2c -c private-rw -m IPTRTPPROXY-MIB %s rtppSbResetPacketStatistics.1 i true\n' "$SNMP_HOST"
		snmpset -v2c -c private-rw -m IPTRTPPROXY-MIB "$SNMP_HOST" ${M}rtppSbResetPacketStatistics.1 i true
		printf '$ snmpget ... rtppSbPackets.1 rtppSbPktDiscontinuityTime.1\n'
		snmp snmpget "$SNMP_HOST" ${M}rtppSbPackets.1 ${M}rtppSbPktDiscontinuityTime.1
	else
		echo "(the IETF MIB modules IPTRTPPROXY-MIB imports are not installed: numeric OIDs)"
		snmp snmpwalk -On "$SNMP_HOST" $RTPP_MIB_OID
	fi
	agent_stop
	snmpd_stop
else
	echo "snmpd or the agent did not start:"
	cat "$TMPD/snmp/"*.log 2>/dev/null | tail -n 5
fi

say "the call ends: delete the session"
cli delete $SB --sess-id-lo 0
cli list $SB --no-session

ok=1
for r in b_rtp a_rtp; do [ "$(received $r count)" = 250 ] || ok=; done
for r in b_rtcp a_rtcp; do [ "$(received $r count)" = 5 ] || ok=; done
[ -n "$snmp_ok" ] || ok=
topo_down
if [ -n "$ok" ]; then
	say "demo: every packet relayed"
	exit 0
fi
say "demo: packets were lost, or the SNMP view failed"
exit 1
