# shellcheck shell=bash
# bench/lib.sh: helpers for the benchmarks, sourced by bench/*.sh, which run
# as root in the instruction-counting guest (tests/vm/run --icount).
#
# The topology is the integration scenarios' (tests/integration/topo.sh),
# built afresh for every measurement:
#
#   A (pktgen)             R (relay or router)            B (receiver)
#   va 10.1.0.2/24 ---- ra 10.1.0.1/24   rb 10.2.0.1/24 ---- vb 10.2.0.2/24
#
# Namespaces are named bench-<pid>-<tag>-<n> and deleted by the EXIT trap.
# Namespaces of finished measurements are emptied and kept until the end
# (see topo_down).
#
# Guest time in that guest advances by instructions (1 ns each), also while
# the shell waits: polls count tries, not seconds.

set -e -u -o pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
TOP=$(cd "$BENCH_DIR/.." && pwd -P)
PATH=$TOP/cli:$PATH
prog=${0##*/}

# The backend of the relay's rules, and the one that counts at B (fixed, so
# that every variant pays the same for the count).
IPT=${IPT:-iptables-legacy}
IPT_COUNT=iptables-legacy

die() {
	echo "$prog: FAILED: $*" >&2
	exit 1
}
say() { echo "$prog: $*" >&2; }

BENCH_NS=()
BENCH_SEQ=0
bench_cleanup() {
	local n
	for n in "${BENCH_NS[@]}"; do
		ip netns exec "$n" "$IPT" -t mangle -F >/dev/null 2>&1 || true
		ip netns del "$n" >/dev/null 2>&1 || true
	done
	BENCH_NS=()
}
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# poll [-n TRIES] CMD [ARGS...]: run CMD until it succeeds, at most TRIES
# times (default 400, about a minute), waiting longer and longer between.
poll() {
	local tries=400 i wait=0.01
	if [ "${1:-}" = -n ]; then
		tries=$2
		shift 2
	fi
	for ((i = 0; i < tries; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep "$wait"
		case $wait in 0.01) wait=0.02 ;; 0.02) wait=0.05 ;; 0.05) wait=0.1 ;; *) wait=0.2 ;; esac
	done
	return 1
}

# in_ns NS CMD [ARGS...].  A function: "in_ns NS CMD &" puts a subshell in
# the background, and $! is that subshell, whose death leaves CMD running;
# a daemon to be stopped by its pid starts as "ip netns exec NS CMD &".
in_ns() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# ns_new TAG: a namespace with lo up; its name in NS.
ns_new() {
	BENCH_SEQ=$((BENCH_SEQ + 1))
	NS=bench-$$-$1-$BENCH_SEQ
	ip netns add "$NS" || die "ip netns add $NS"
	BENCH_NS+=("$NS")
	# No IPv6: its router solicitations and MLD reports would be packets
	# of their own on the links.
	in_ns "$NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	ip -n "$NS" link set lo up
}

# topo_down: retire this measurement's namespaces.  They are deleted only
# at exit: a namespace's teardown runs later, in a kernel worker, and would
# land in the middle of a following measurement, on the guest's only CPU
# (and the kernel offers no exact way to wait for it).  So their rules go
# now (the switchboards with them, so no audit of theirs runs later) and
# their links (whose teardown runs here, in this process), and a short
# sleep lets the deferred frees (RCU) run; the empty namespaces stay.
topo_down() {
	local t
	for t in mangle raw filter; do
		ipt "$R" -t $t -F 2>/dev/null || true
		ipt "$R" -t $t -X 2>/dev/null || true
	done
	ip -n "$R" link del ra
	ip -n "$R" link del rb
	sleep 0.5
}

# topo_up: namespaces A, R, B, forwarding in R with strict rp_filter,
# permanent neighbour entries (no ARP during a run).
topo_up() {
	ns_new a; A=$NS
	ns_new relay; R=$NS
	ns_new b; B=$NS
	ip link add va netns "$A" type veth peer name ra netns "$R"
	ip link add vb netns "$B" type veth peer name rb netns "$R"
	ip -n "$A" addr add 10.1.0.2/24 dev va
	ip -n "$B" addr add 10.2.0.2/24 dev vb
	ip -n "$R" addr add 10.1.0.1/24 dev ra
	ip -n "$R" addr add 10.2.0.1/24 dev rb
	ip -n "$A" link set va up
	ip -n "$B" link set vb up
	ip -n "$R" link set ra up
	ip -n "$R" link set rb up
	ip -n "$A" route add default via 10.1.0.1
	ip -n "$B" route add default via 10.2.0.1
	in_ns "$R" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=1 \
		net.ipv4.conf.default.rp_filter=1 net.ipv4.conf.ra.rp_filter=1 \
		net.ipv4.conf.rb.rp_filter=1
	RA_MAC=$(mac "$R" ra)
	ip -n "$R" neigh replace 10.2.0.2 lladdr "$(mac "$B" vb)" dev rb nud permanent
	ip -n "$R" neigh replace 10.1.0.2 lladdr "$(mac "$A" va)" dev ra nud permanent
	ip -n "$B" neigh replace 10.2.0.1 lladdr "$(mac "$R" rb)" dev vb nud permanent
}

mac() { ip -n "$1" -o link show "$2" | sed -n 's|.*link/ether \([0-9a-f:]*\).*|\1|p'; }

ipt() {
	local ns=$1
	shift
	ip netns exec "$ns" "$IPT" "$@"
}

# The manual's layout: a mangle chain "rtpp" holding RULE..., jumped to from
# PREROUTING, OUTPUT and POSTROUTING for UDP.
manual_chain() {
	local chain
	ipt "$R" -t mangle -N rtpp
	ipt "$R" -t mangle -A rtpp "$@"
	for chain in PREROUTING OUTPUT POSTROUTING; do
		ipt "$R" -t mangle -A "$chain" -p udp -j rtpp
	done
}

# count_at_b SRC SPORTS DPORTS: B drops at its INPUT, counting, what comes
# from SRC:SPORTS to 10.2.0.2:DPORTS (the datagrams that must arrive), and
# counts anything else apart.
count_at_b() {
	in_ns "$B" "$IPT_COUNT" -A INPUT -p udp -s "$1" --sport "$2" -d 10.2.0.2 --dport "$3" -j DROP
	in_ns "$B" "$IPT_COUNT" -A INPUT -j DROP
}

# counted_at_b: "GOOD OTHER" packets counted by those two rules.
counted_at_b() {
	in_ns "$B" "$IPT_COUNT" -L INPUT -v -n -x | awk 'NR > 2 { printf "%s ", $1 } END { print "" }'
}

# pktgen_send COUNT SIZE SRC SPORT DST DPORT_MIN DPORT_END: the kernel's
# pktgen in A sends COUNT frames of SIZE bytes (Ethernet header included)
# from SRC:SPORT to DST, the destination port going up by one per packet
# from DPORT_MIN to DPORT_END - 1 and round again (pktgen's "max" is
# exclusive), with UDP checksums.  Sets PG_USEC (the run's duration, guest
# time), PG_SENT, PG_ERRORS.  PG_FLAGS: more pktgen flags ("NO_TIMESTAMP
# ..."); PG_DELAY (exported): ns between packets (default 0: a flood).
# shellcheck disable=SC2034 # PG_ERRORS is for the callers' reports
pktgen_send() {
	local out
	out=$(in_ns "$A" bash -s -- "$RA_MAC" "$@" "${PG_FLAGS:-}" <<'EOF'
set -e
mac=$1 count=$2 size=$3 src=$4 sport=$5 dst=$6 dmin=$7 dend=$8 flags=$9
pg() { echo "$2" >"/proc/net/pktgen/$1"; }
pg kpktgend_0 rem_device_all
pg kpktgend_0 "add_device va"
for c in "count $count" "clone_skb 0" "pkt_size $size" "delay ${PG_DELAY:-0}" "burst 1" \
	"dst $dst" "src_min $src" "src_max $src" "dst_mac $mac" \
	"udp_src_min $sport" "udp_src_max $sport" \
	"udp_dst_min $dmin" "udp_dst_max $dend" "flag UDPCSUM"; do
	pg va "$c"
done
for f in $flags; do pg va "flag $f"; done
# Let deferred work of the set-up (RCU callbacks, workers) run first: guest
# time spent idle is skipped, not counted.
sleep 1
pg pgctrl start
cat /proc/net/pktgen/va
pg kpktgend_0 rem_device_all
EOF
	) || die "pktgen failed"
	# Result: OK: 520830(c520754+d76) usec, 50000 (214byte,0frags)
	#   96000pps 164Mb/sec (164352000bps) errors: 0
	read -r PG_USEC PG_SENT PG_ERRORS <<<"$(awk '
		/^Result: OK:/ { u = $3; sub(/\(.*/, "", u); n = $5 }
		/pps/ && /errors:/ { e = $NF }
		END { print u, n, e }' <<<"$out")"
	[[ $PG_USEC =~ ^[0-9]+$ && $PG_SENT =~ ^[0-9]+$ ]] ||
		die "pktgen gave no result: $out"
}

# softnet_dropped: packets the receive backlogs dropped (all CPUs).
softnet_dropped() {
	local n=0 d
	while read -r _ d _; do n=$((n + 16#$d)); done </proc/net/softnet_stat
	echo $n
}

# tx_dropped NS DEV
tx_dropped() { in_ns "$1" cat "/sys/class/net/$2/statistics/tx_dropped"; }

# checked_send COUNT SIZE SRC SPORT DST DPORT_MIN DPORT_END: pktgen_send,
# then B's count.  Returns 0 when every datagram arrived and nothing was
# dropped on the way; 2 when datagrams were dropped and every one is
# accounted for by the receive backlogs (the receive softirq fell behind,
# handed over to ksoftirqd, while pktgen went on sending: a run that
# measured the drops, to be repeated), with the reason in LOSS; 1 when any
# is unaccounted for (LOSS says what is known).
# shellcheck disable=SC2034 # LOSS is for the callers' reports
checked_send() {
	local d0 d va rb got other
	d0=$(softnet_dropped)
	pktgen_send "$@"
	d=$(($(softnet_dropped) - d0))
	va=$(tx_dropped "$A" va)
	rb=$(tx_dropped "$R" rb)
	read -r got other <<<"$(counted_at_b)"
	LOSS="pktgen sent $PG_SENT of $1 ($PG_ERRORS refused by the device), B got $got from $FROM:$FROM_PORT and $other others; dropped: $va at A's veth, $rb at R's towards B, $d by receive backlogs"
	[ "$PG_SENT" = "$1" ] && [ "$other" = 0 ] || return 1
	[ "$got" != "$1" ] || [ "$d" != 0 ] || [ "$PG_ERRORS" != 0 ] || return 0
	# The backlogs may have dropped a packet of the links' own as well.
	[ $((got + rb)) = "$1" ] && [ "$d" -ge $((va + rb)) ] && return 2
	return 1
}

# ipp USEC COUNT: instructions per packet (1 instruction = 1 ns of guest time).
ipp() { awk -v u="$1" -v n="$2" 'BEGIN { printf "%.0f", u * 1000 / n }'; }
# pps USEC COUNT
pps() { awk -v u="$1" -v n="$2" 'BEGIN { printf "%.0f", n * 1e6 / u }'; }

# measure_rounds LABEL KEY...: ROUNDS rounds, each measuring every KEY in
# turn (A B A B ..., so that what drifts during a run hits all alike) with
# the script's measure(), whose USEC goes to usec[KEY,ROUND].  LABEL names
# the keys in the log ("" for none: variants name themselves).
declare -A usec=()
measure_rounds() {
	local label=$1 r k
	shift
	for ((r = 1; r <= ROUNDS; r++)); do
		for k in "$@"; do
			measure "$k"
			usec[$k,$r]=$USEC
			say "round $r ${k}${label:+ $label}: $(pps "$USEC" "$COUNT") pps, $(ipp "$USEC" "$COUNT") instructions/packet"
		done
	done
}

# best KEY: KEY's shortest run.  The best run is the figure: work in the
# background (a kernel worker, a timer) only ever adds instructions to a
# run, so the run with the fewest is the path's own cost; the spread
# between runs shows how much the others took.
best() {
	local r b=
	for ((r = 1; r <= ROUNDS; r++)); do
		[ -n "$b" ] && [ "${usec[$1,$r]}" -ge "$b" ] || b=${usec[$1,$r]}
	done
	echo "$b"
}

# Rates measured round by round (set-ups or varbinds a second):
# RATE[VARIANT,ROUND], ROUND from 1 to ROUNDS.  The figure of a variant is
# its median, of a comparison the median of its per-round ratios: the
# rounds alternate the variants, so a ratio compares runs next to each
# other.
declare -A RATE=()
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# rate_table TITLE VARIANT...: each variant's rates, round by round, and
# their median.
rate_table() {
	local v r
	printf '\n%-22s' "$1"
	shift
	for ((r = 1; r <= ROUNDS; r++)); do printf ' %9s' "#$r"; done
	printf ' %9s\n' median
	for v in "$@"; do
		printf '%-22s' "$v"
		for ((r = 1; r <= ROUNDS; r++)); do printf ' %9.1f' "${RATE[$v,$r]}"; done
		printf ' %9.1f\n' "$(for ((r = 1; r <= ROUNDS; r++)); do echo "${RATE[$v,$r]}"; done | median)"
	done
}

# rate_ratio NAME A B TARGET: A's rate over B's in each round; prints
# "ratio NAME MEDIAN target TARGET" after a comment with the min and max.
rate_ratio() {
	local r
	for ((r = 1; r <= ROUNDS; r++)); do
		awk -v a="${RATE[$2,$r]}" -v b="${RATE[$3,$r]}" 'BEGIN { printf "%.3f\n", a / b }'
	done | sort -n | awk -v n="$1" -v t="$4" '{ v[NR] = $1 }
		END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		      printf "# %s: min %.3f max %.3f\n", n, v[1], v[NR]
		      printf "ratio %s %.3f target %s\n", n, m, t }'
}

# The machine, for the record.
bench_header() {
	local cpu
	cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	echo "# $prog: kernel $(uname -r), guest CPU: $cpu ($(nproc) CPU)"
	if [ "${VM_ICOUNT:-}" = 1 ]; then
		echo "# instruction counting: 1 instruction = 1 ns of guest time"
	else
		echo "# NOT in the instruction-counting guest (tests/vm/run --icount): times are wall-clock noise"
	fi
}

# need_guest: root, the module, pktgen.
need_guest() {
	[ "$(id -u)" -eq 0 ] || die "must run as root in the guest: tests/vm/run --icount -- $0"
	modprobe xt_RTPPROXY || die "modprobe xt_RTPPROXY (built with 'make'?)"
	modprobe pktgen || die "modprobe pktgen"
}
