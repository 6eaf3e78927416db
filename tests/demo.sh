#!/bin/bash
# make demo: one relayed call, end to end, in the QEMU guest (or as root on a
# host with the module: bash tests/demo.sh).
#
# Three network namespaces stand for the caller (A), the relay host and the
# callee (B).  The relay defines a switchboard exactly as the manual does,
# a "SIP proxy" (this script) allocates a session with iptrtpproxy, and a
# G.711 call flows both ways through the kernel: RTP at 50 packets a second
# for 8 seconds and a few RTCP reports.  Meanwhile an "NMS" (snmpd as AgentX
# master, iptrtpproxy-agent in the relay's namespace) polls the streams'
# packet counters, as a grapher would; the rates it saw become a PNG plot.
# Then the relay's and the NMS's views, a reset by snmpset, and the call
# torn down.  The receivers count what they got; the last line is the
# verdict, and the exit status says it too.
#
# The plot goes to $VM_OUT (tests/vm/run --out, which copies it to the host)
# or else to $DEMO_OUT (default ./demo-out); DEMO_OUT also names where the
# host will find it, to say so.
set -u
cd "$(dirname "$0")/.." || exit 2
. tests/integration/lib.sh
. tests/integration/topo.sh
. tests/integration/snmpd.sh
SCENARIO=demo

RATE=50		# packets a second: G.711 in 20 ms packets
SECS=10
NPKT=$((RATE * SECS))
OUT=${VM_OUT:-${DEMO_OUT:-$PWD/demo-out}}
SHOWN=${DEMO_OUT:-$OUT}
# rtppStreamPackets (IPTRTPPROXY-MIB rtppStreamEntry 10) of session 0 of
# switchboard 1: side a(1)/b(2), type rtp(1), numeric so that it works
# with or without the IETF modules the MIB imports.
OID_A=$RTPP_MIB_OID.1.4.1.10.1.0.1.1
OID_B=$RTPP_MIB_OID.1.4.1.10.1.0.2.1

say() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
cli() { printf '$ iptrtpproxy %s\n' "$*"; rtpp "$@"; }
problems=()
problem() { problems+=("$*"); printf '!! %s\n' "$*"; }

if [ "$(id -u)" -ne 0 ]; then
	cat >&2 <<-EOF
	demo: needs root: it loads a kernel module and builds network namespaces.
	  In the test guest, as any user:  make demo
	  On a host with the module built: sudo bash tests/demo.sh
	EOF
	exit 2
fi

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

say "the NMS: snmpd as AgentX master, iptrtpproxy-agent in the relay's namespace"
snmp_ok=
if snmpd_setup "$TMPD/snmp" && snmpd_start && agent_start "$R"; then
	snmp_ok=1
	echo "snmpd on $SNMP_HOST, the agent registered"
	[ "$SNMP_BYNAME" = 1 ] || cat <<-EOF
	The IETF MIB modules that IPTRTPPROXY-MIB imports (SNMPv2-SMI, INET-ADDRESS-MIB,
	...) are not installed: OIDs are shown numerically.  On Debian they come with
	the non-free package snmp-mibs-downloader (then: download-mibs).
	EOF
else
	problem "snmpd or the agent did not start"
	cat "$TMPD/snmp/"*.log 2>/dev/null | tail -n 5
fi

# sample: a poll, then a second's pause (together longer than the agent's
# 1 s cache: each poll reads the kernel afresh), the two RTP streams' counters, as "secs a b".
sample() {
	local t0 now v
	t0=$(date +%s%N)
	while [ ! -e "$TMPD/sampling.stop" ]; do
		now=$(date +%s%N)
		v=$(snmpget -v2c -c public-ro -t 5 -r 1 -Oqv "$SNMP_HOST" "$OID_A" "$OID_B" 2>/dev/null |
			tr '\n' ' ')
		[[ $v =~ ^[0-9]+\ [0-9]+\ $ ]] &&
			echo "$(((now - t0) / 1000000)) $v" >>"$TMPD/samples"
		sleep 1
	done
}

say "the call: $NPKT RTP packets (20 ms of G.711 each, $RATE a second) and 5 RTCP reports each way"
# Each client is one socket per port that sends and receives, as RTP
# endpoints are (a second socket on the same port would take some of what
# comes back); they start together once all four are bound.  An end stops
# once it has sent all and received as many, or nothing came for --idle
# seconds (generous: a loaded guest can pause for seconds).
talk() { # NS BIND DST COUNT SIZE GAP_MS NAME
	rm -f "$TMPD/$7.json" "$TMPD/$7.json.kv" "$TMPD/$7.json.ready"
	in_ns "$1" python3 "$LIB_DIR/udp.py" talk "$2" "$3" "$4" "$5" "$TMPD/$7.json" \
		--gap "$6" --idle 30 --timeout 300 --start "$TMPD/go" &
}
rm -f "$TMPD/go"
talk "$A" 10.1.0.2:4000 $GATE_A:50000 $NPKT 160 $((1000 / RATE)) a_rtp
talk "$B" 10.2.0.2:6000 $GATE_B:50000 $NPKT 160 $((1000 / RATE)) b_rtp
talk "$A" 10.1.0.2:4001 $GATE_A:50001 5 52 $((SECS * 1000 / 5)) a_rtcp
talk "$B" 10.2.0.2:6001 $GATE_B:50001 5 52 $((SECS * 1000 / 5)) b_rtcp
for r in a_rtp b_rtp a_rtcp b_rtcp; do
	poll -t 60 test -e "$TMPD/$r.json.ready" || problem "client $r did not start"
done
: >"$TMPD/samples"
if [ -n "$snmp_ok" ]; then
	sample &
	sampler=$!
	sleep 2		# the plot starts before the call does
fi
touch "$TMPD/go"
for r in b_rtp a_rtp b_rtcp a_rtcp; do
	printf '%-7s received %s datagrams from %s\n' "$r" "$(received $r count)" \
		"$(awk '$1 ~ /^sources\./ { sub(/^sources\./, "", $1); printf "%s%s", s, $1; s = ", " }' \
			"$TMPD/$r.json.kv")"
done
for r in b_rtp a_rtp; do
	[ "$(received $r count)" = $NPKT ] || problem "$r: $(received $r count) of $NPKT RTP packets"
done
for r in b_rtcp a_rtcp; do
	[ "$(received $r count)" = 5 ] || problem "$r: $(received $r count) of 5 RTCP packets"
done
if [ -n "$snmp_ok" ]; then
	sleep 3		# the plot ends after the call did
	touch "$TMPD/sampling.stop"
	wait "$sampler"
fi

say "the relay's view"
cli list $SB
cli info

if [ -n "$snmp_ok" ]; then
	say "the NMS's view"
	if [ "$SNMP_BYNAME" = 1 ]; then
		M=IPTRTPPROXY-MIB::
		printf '$ snmptable -v2c -c public-ro -m IPTRTPPROXY-MIB -Cb -Ci %s rtppSbTable\n' "$SNMP_HOST"
		snmp snmptable -Cb -Ci -Cw 100 "$SNMP_HOST" ${M}rtppSbTable
		printf '$ snmptable -v2c -c public-ro -m IPTRTPPROXY-MIB -Cb -Ci %s rtppSessTable\n' "$SNMP_HOST"
		snmp snmptable -Cb -Ci "$SNMP_HOST" ${M}rtppSessTable
		printf '$ snmptable -v2c -c public-ro -m IPTRTPPROXY-MIB -Cb -Ci %s rtppStreamTable\n' "$SNMP_HOST"
		snmp snmptable -Cb -Ci -Cw 100 "$SNMP_HOST" ${M}rtppStreamTable
		pkts=${M}rtppSbPackets.1
		reset=${M}rtppSbResetPacketStatistics.1
		disc=${M}rtppSbPktDiscontinuityTime.1
	else
		printf '$ snmpwalk -v2c -c public-ro -On %s %s\n' "$SNMP_HOST" "$RTPP_MIB_OID.1.2"
		snmp snmpwalk -On "$SNMP_HOST" $RTPP_MIB_OID.1.2
		pkts=$RTPP_MIB_OID.1.2.1.18.1		# rtppSbPackets.1
		reset=$RTPP_MIB_OID.1.2.1.35.1		# rtppSbResetPacketStatistics.1
		disc=$RTPP_MIB_OID.1.2.1.33.1		# rtppSbPktDiscontinuityTime.1
	fi
	before=$(snmp snmpget -Oqv "$SNMP_HOST" "$pkts")
	[ "$before" = $((2 * NPKT + 10)) ] ||
		problem "the switchboard counted $before packets over SNMP, not $((2 * NPKT + 10))"
	read -r a b < <(snmpget -v2c -c public-ro -Oqv "$SNMP_HOST" "$OID_A" "$OID_B" | xargs)
	[ "$a $b" = "$NPKT $NPKT" ] ||
		problem "the RTP streams counted $a and $b packets over SNMP, not $NPKT each"

	say "the NMS resets the switchboard's packet counters"
	printf '$ snmpset -v2c -c private-rw %s %s i 1\n' "$SNMP_HOST" "$reset"
	# shellcheck disable=SC2086  # $SNMP_MIB: two words or none
	snmpset -v2c -c private-rw -t 5 -r 1 $SNMP_MIB "$SNMP_HOST" "$reset" i 1 ||
		problem "the reset was refused"
	printf '$ snmpget -v2c -c public-ro %s %s %s\n' "$SNMP_HOST" "$pkts" "$disc"
	snmp snmpget "$SNMP_HOST" "$pkts" "$disc"
	after=$(snmp snmpget -Oqv "$SNMP_HOST" "$pkts")
	[ "$after" = 0 ] || problem "after the reset the switchboard counts $after packets, not 0"
	agent_stop
	snmpd_stop
fi

say "the call ends: delete the session"
cli delete $SB --sess-id-lo 0
cli list $SB --no-session
topo_down

# The plot: packets a second per direction, from the counters' differences
# between polls, as an NMS's grapher computes a rate from a Counter64.
plot=
if [ -s "$TMPD/samples" ] && command -v gnuplot >/dev/null; then
	say "the picture: relayed packet rate per direction, as the NMS saw it"
	# Each poll's rate holds from the poll before it: drawn as steps.
	awk 'NR > 1 { dt = ($1 - t) / 1000; ra = ($2 - a) / dt; rb = ($3 - b) / dt
		printf "%.1f %.1f %.1f\n", t / 1000, ra, rb }
		{ t = $1; a = $2; b = $3 }
		END { printf "%.1f %.1f %.1f\n", t / 1000, ra, rb }' "$TMPD/samples" >"$TMPD/rates"
	printf '%8s %10s %10s\n' "from (s)" "A->B pps" "B->A pps"
	awk '{ printf "%8.1f %10.1f %10.1f\n", $1, $2, $3 }' "$TMPD/rates" | sed '$d'
	mkdir -p "$OUT"
	if gnuplot <<-EOF; then
		set terminal pngcairo size 900,450 font ",10"
		set output "$OUT/relay-rate.png"
		set title "iptrtpproxy: one G.711 call, relayed packets per second (sampled over SNMP)"
		set xlabel "seconds"
		set ylabel "packets per second"
		set yrange [0:*]
		set grid
		set key top right
		plot "$TMPD/rates" using 1:2 with steps lw 2 title "caller -> callee (rtppStreamPackets side a)", \
		     "$TMPD/rates" using 1:3 with steps lw 2 dt 2 title "callee -> caller (rtppStreamPackets side b)"
	EOF
		plot=$SHOWN/relay-rate.png
	else
		problem "gnuplot could not draw the plot"
	fi
elif [ -n "$snmp_ok" ]; then
	command -v gnuplot >/dev/null || problem "no gnuplot (apt-get install gnuplot-nox): no plot"
	[ -s "$TMPD/samples" ] || problem "no SNMP sample came back: no plot"
fi

echo
if [ ${#problems[@]} -eq 0 ]; then
	echo "demo: PASS: $NPKT RTP and 5 RTCP packets relayed each way, all counted over SNMP, reset to 0; plot: $plot"
	exit 0
fi
echo "demo: FAIL: ${problems[0]}$([ ${#problems[@]} -gt 1 ] && echo " (and $((${#problems[@]} - 1)) more above)")"
exit 1
