#!/bin/bash
# bench/relay.sh: relay throughput against plain IPv4 forwarding (issue 9,
# measurement 1, the limit; issue 14's performance figures).
#
#   tests/vm/run --icount -- bench/relay.sh        (or: make bench)
#
# The kernel's pktgen in namespace A sends COUNT UDP datagrams of 172 bytes
# of payload (RTP-sized: 214-byte frames) towards namespace B, through R:
#
#   forward         R forwards them to B (10.2.0.2:6000): the limit
#   forward-mark    the same through one mangle MARK rule in the manual's
#                   layout (a chain jumped to from PREROUTING, OUTPUT and
#                   POSTROUTING for UDP)
#   forward-miss    the same through an RTPPROXY rule (a switchboard on
#                   R's addresses) in that layout, which the datagrams do
#                   not concern: it lets them through
#   forward-ct      forwarding with conntrack in use in R (a filter rule
#                   with -m conntrack, as tests/integration/topo.sh does)
#   relay           A's client sends to gate A (10.1.0.1:50000) of a
#                   session, R relays to B's client from gate B
#                   (10.2.0.1:50000), the manual's recipe
#   relay-ct        the same with conntrack in use in R
#   relay-notrack   the same with libxt_RTPPROXY.man's raw-table rules that
#                   exempt the gate ports from conntrack
#   relay-raw       the README's recommended recipe instead of the manual's:
#                   in the raw table's PREROUTING and OUTPUT, one rule per
#                   gate address for UDP to it
#   relay-raw-ct    the same with conntrack in use in R
#   relay-raw-chain the same rules' other form: one rule in a raw-table
#                   chain jumped to for UDP to both gate addresses
#   relay-raw-noq   relay-raw with a session that does not track call
#                   quality (module parameter quality=0 when allocated):
#                   against relay-raw, what tracking costs
#   relay-noq       the same against relay, the manual's recipe
#
# Every variant runs in fresh namespaces, with the same modules loaded for
# all (loaded up front by a dry run of every variant), ROUNDS times in turn
# (forward, forward-mark, ..., forward, forward-mark, ...).  B counts the
# datagrams that arrive from the expected source at its INPUT hook (an
# iptables rule that drops them, so no socket or ICMP work is measured):
# a run where B did not get all COUNT fails, printing where they went.
#
# pktgen's duration of a run, in the instruction-counting guest, is the
# number of instructions the whole path took (1 ns each): generating the
# frame in A, R's work, B's receive and count.  Instructions per packet =
# duration / COUNT.  Ratios are packets per second against "forward",
# each variant's best run (the fewest instructions: see the table's code).
#
# env: COUNT (default 50000), ROUNDS (default 2), IPT (backend of R's rules,
# default iptables-legacy), VARIANTS (default: all, in the order above).
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

COUNT=${COUNT:-50000}
ROUNDS=${ROUNDS:-2}
ALL_VARIANTS=(forward forward-mark forward-miss forward-ct relay relay-ct relay-notrack
	relay-raw relay-raw-ct relay-raw-chain relay-raw-noq relay-noq)
read -r -a VARIANTS <<<"${VARIANTS:-${ALL_VARIANTS[*]}}"
SIZE=214 # Ethernet 14 + IPv4 20 + UDP 8 + 172 bytes of payload
PORT=50000
SB=(--addr-a 10.1.0.1 --port-a "$PORT" --addr-b 10.2.0.1 --port-b "$PORT")

[[ $COUNT =~ ^[1-9][0-9]*$ && $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "bad COUNT or ROUNDS"

SB_OPTS=(--max-sess 16 --expires-timeout 3600)
switchboard() {
	manual_chain -j RTPPROXY "${SB[@]}" "${SB_OPTS[@]}"
}

# The README's recipe: raw, before conntrack, UDP to a gate only.
switchboard_raw() {
	local chain g
	for chain in PREROUTING OUTPUT; do
		for g in 10.1.0.1 10.2.0.1; do
			ipt "$R" -t raw -A "$chain" -p udp -d $g -j RTPPROXY "${SB[@]}" "${SB_OPTS[@]}"
		done
	done
}

# The same, one definition in a chain.
switchboard_raw_chain() {
	local chain
	ipt "$R" -t raw -N rtpp
	ipt "$R" -t raw -A rtpp -j RTPPROXY "${SB[@]}" "${SB_OPTS[@]}"
	for chain in PREROUTING OUTPUT; do
		ipt "$R" -t raw -A "$chain" -p udp -d 10.1.0.1,10.2.0.1 -j rtpp
	done
}

# Conntrack in use in R: a rule that needs it makes the namespace track.
conntrack_on() {
	ipt "$R" -t filter -A INPUT -m conntrack --ctstate INVALID -j DROP
}

# The raw rules of libxt_RTPPROXY.man, for both gates (16 sessions: 32 ports).
notrack() {
	local g ports=$PORT:$((PORT + 31))
	for g in 10.1.0.1 10.2.0.1; do
		ipt "$R" -t raw -A PREROUTING -p udp -d $g --dport $ports -j CT --notrack
		ipt "$R" -t raw -A OUTPUT -p udp -s $g --sport $ports -j CT --notrack
		ipt "$R" -t raw -A OUTPUT -p udp -d $g --dport $ports -j CT --notrack
	done
}

QPARAM=/sys/module/xt_RTPPROXY/parameters/quality
session() {
	local id q
	q=$(cat $QPARAM)
	[[ $1 != *-noq ]] || echo N >$QPARAM
	id=$(in_ns "$R" iptrtpproxy alloc "${SB[@]}" --rtp-addr-a 10.1.0.2 --rtp-port-a 4000 \
		--rtp-addr-b 10.2.0.2 --rtp-port-b 6000) || die "alloc"
	echo "$q" >$QPARAM
	[ "$id" = 0 ] || die "session id $id, expected 0"
}

# setup VARIANT: build the topology and R's rules; set DST DPORT (where A
# sends) and FROM FROM_PORT (the source B must see).
setup() {
	topo_up
	DST=10.2.0.2 DPORT=6000 FROM=10.1.0.2 FROM_PORT=4000
	case $1 in
	forward) ;;
	forward-mark) manual_chain -j MARK --set-mark 1 ;;
	forward-miss) switchboard ;;
	forward-ct) conntrack_on ;;
	relay*)
		case $1 in
		relay-raw-chain) switchboard_raw_chain ;;
		relay-raw*) switchboard_raw ;;
		*) switchboard ;;
		esac
		session "$1"
		DST=10.1.0.1 DPORT=$PORT FROM=10.2.0.1 FROM_PORT=$PORT
		case $1 in
		relay | relay-raw | relay-raw-chain | relay-raw-noq | relay-noq) ;;
		relay-ct | relay-raw-ct) conntrack_on ;;
		relay-notrack) conntrack_on; notrack ;;
		*) die "unknown variant $1" ;;
		esac
		;;
	*) die "unknown variant $1" ;;
	esac
	count_at_b "$FROM" "$FROM_PORT" 6000
}

# Where datagrams went, when B did not get them all.
losses() {
	echo "--- pktgen: sent $PG_SENT, errors $PG_ERRORS"
	echo "--- softnet_stat (processed dropped squeezed ...):"
	cat /proc/net/softnet_stat
	echo "--- links:"
	ip -n "$A" -s link show va
	ip -n "$R" -s link show ra
	ip -n "$R" -s link show rb
	ip -n "$B" -s link show vb
	echo "--- R's IP counters:"
	in_ns "$R" awk '/^Ip:/' /proc/net/snmp
	if in_ns "$R" iptrtpproxy list "${SB[@]}" --sess-id-lo 0 >/dev/null 2>&1; then
		echo "--- relay statistics:"
		in_ns "$R" iptrtpproxy info || true
		in_ns "$R" iptrtpproxy list "${SB[@]}" --sess-id-lo 0 || true
	fi
}

# measure VARIANT: one run; sets USEC.  A run whose losses the receive
# backlogs account for is repeated (at most twice); any other loss fails.
measure() {
	local rc
	for _ in 1 2 3; do
		setup "$1"
		rc=0
		checked_send "$COUNT" "$SIZE" 10.1.0.2 4000 "$DST" "$DPORT" $((DPORT + 1)) || rc=$?
		[ $rc = 1 ] && { losses >&2; die "$1: $LOSS"; }
		topo_down
		[ $rc = 0 ] && { USEC=$PG_USEC; return 0; }
		say "$1: run discarded, repeated: $LOSS"
	done
	die "$1: three runs lost datagrams in the receive backlogs"
}

need_guest
modprobe -a nf_conntrack xt_conntrack xt_CT xt_mark iptable_mangle \
	iptable_raw iptable_filter || die "modprobe"
bench_header
echo "# $COUNT datagrams of 172 bytes of payload ($SIZE-byte frames) per run, $ROUNDS rounds, R's rules with $IPT"

# A dry run of every variant first, unmeasured: whatever they load (the
# backend's modules too) is loaded for all of them.
for v in "${VARIANTS[@]}"; do
	setup "$v"
	topo_down
done

measure_rounds "" "${VARIANTS[@]}"

# The table: pps of each round, the best (lib.sh's best()), the spread
# between rounds, instructions per packet, and against forward: the extra
# instructions and the ratio of rates.
base=$(best forward)
printf '\n%-14s' variant
for ((r = 1; r <= ROUNDS; r++)); do printf ' %9s' "pps#$r"; done
printf ' %9s %8s %9s %8s %7s\n' pps-best spread instr/pkt +instr ratio
for v in "${VARIANTS[@]}"; do
	list=
	for ((r = 1; r <= ROUNDS; r++)); do list+="$(pps "${usec[$v,$r]}" "$COUNT") "; done
	printf '%-14s' "$v"
	for p in $list; do printf ' %9s' "$p"; done
	awk -v l="$list" -v m="$(best "$v")" -v b="$base" -v n="$COUNT" 'BEGIN {
		k = split(l, p, " "); lo = p[1]; hi = p[1]
		for (i = 2; i <= k; i++) { if (p[i] < lo) lo = p[i]; if (p[i] > hi) hi = p[i] }
		printf " %9.0f %7.2f%% %9.0f %+8.0f %7.3f\n", n * 1e6 / m, (hi - lo) * 100 / lo,
			m * 1000 / n, (m - b) * 1000 / n, b / m }'
done
# ratio NAME VARIANT BASE TARGET: VARIANT's packets per second over BASE's.
# Instruction counts: the best runs'.  Wall-clock (a guest without
# --icount, where timers, caches and the host's load count): the rounds
# ran A B A B ..., so each round is a pair; the median of the pairs'
# ratios, min and max in a comment.
ratio() {
	local r list=
	[ -n "${usec[$2,1]:-}" ] && [ -n "${usec[$3,1]:-}" ] || return 0
	if [ "${VM_ICOUNT:-}" = 1 ]; then
		list=$(awk -v m="$(best "$2")" -v b="$(best "$3")" 'BEGIN { printf "%.6f", b / m }')
	else
		for ((r = 1; r <= ROUNDS; r++)); do
			list+="$(awk -v m="${usec[$2,$r]}" -v b="${usec[$3,$r]}" 'BEGIN { printf "%.6f", b / m }') "
		done
	fi
	# shellcheck disable=SC2086 # one number a word
	printf '%s\n' $list | sort -n | awk -v n="$1" -v t="$4" -v p="${VM_ICOUNT:-0}" '{ v[NR] = $1 }
		END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		      if (p != 1) printf "# %s: %d pairs, min %.3f median %.3f max %.3f\n", n, NR, v[1], m, v[NR]
		      printf "ratio %s %.3f target %s\n", n, m, t }'
}
echo
if [ "${VM_ICOUNT:-}" = 1 ]; then
	echo "# ratio = packets per second against forward's, best runs (forward's instructions per packet over the variant's)"
else
	echo "# ratio = packets per second against forward's, wall-clock, per round (pair); median of the pairs"
fi
ratio relay-raw/forward relay-raw forward 0.95
ratio relay-raw-noq/forward relay-raw-noq forward -
ratio relay/forward relay forward 0.90
ratio relay-noq/forward relay-noq forward -
ratio relay-ct/forward relay-ct forward 0.90
ratio relay-raw-ct/forward relay-raw-ct forward 0.90
ratio relay-notrack/forward relay-notrack forward 0.90
ratio relay-ct/forward-ct relay-ct forward-ct -
ratio forward-mark/forward forward-mark forward -
ratio forward-miss/forward forward-miss forward -
