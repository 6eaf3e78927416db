#!/bin/bash
# bench/rtpengine.sh: relay throughput against rtpengine's, in the kernel and
# in user space (issue 9, measurement 1 (b) and (c)).
#
#   tests/vm/run --icount -- bench/rtpengine.sh     (or: bench/run rtpengine)
#
# The flows of bench/relay.sh: the kernel's pktgen in namespace A sends COUNT
# UDP datagrams of 172 bytes of payload from 10.1.0.2:4000; R relays them to
# 10.2.0.2:6000 in namespace B, which counts them at its INPUT hook.
#
#   forward           R forwards them (the limit, for reference)
#   relay-raw         our relay, the README's recipe (bench/relay.sh's
#                     relay-raw): one session, gates 10.1.0.1:50000 and
#                     10.2.0.1:50000
#   rtpengine-kernel  Debian's rtpengine (rtpengine-daemon) in R with its
#                     kernel module (rtpengine-kernel-dkms's xt_RTPENGINE,
#                     built by DKMS against the guest kernel's headers),
#                     kernel table 0 and the rule its documentation gives,
#                     "-A INPUT -p udp -j RTPENGINE --id 0"; interfaces
#                     a/10.1.0.1 and b/10.2.0.1, the call set up through
#                     the ng protocol (offer from the caller in a, direction
#                     a -> b, answer from the callee in b: bench/ngcall.py)
#   relay-raw-paced   relay-raw with pktgen paced: PACE ns between packets
#   rtpengine-user    the same daemon with no kernel table (--table=-1): it
#                     relays in user space; pktgen paced as relay-raw-paced
#
# pktgen's payload begins with its magic number, which reads as an RTP
# header (version 2) of payload type 27; with pktgen's flag NO_TIMESTAMP
# (all variants) its SSRC stays 0.  The SDP offers and answers payload type
# 27, since rtpengine's kernel path hands packets of any payload type the
# SDP did not announce to user space.  rtpengine moves a stream into its
# kernel table only after it has relayed the stream's first packets in user
# space: before the measured run, bursts of WARM datagrams of the same flow
# go until the table holds the stream.  A run counts only if B got all COUNT
# from rtpengine's address and port in b and, for rtpengine-kernel, the
# kernel table's packet counter of the stream went up by exactly COUNT
# (none went through user space).
#
# forward, relay-raw, rtpengine-kernel: pktgen floods, and a run's duration
# is pktgen's (every packet reaches B within pktgen's own transmit), as in
# bench/relay.sh.  A flood cannot measure a relay in user space on the
# guest's one CPU: pktgen's thread keeps the CPU, the daemon reads a few
# hundred datagrams, the rest wait in its socket, and rtpengine (whose
# sockets are edge-triggered) reads no more once no new packet comes.  So
# rtpengine-user and relay-raw-paced send one packet every PACE ns (pktgen
# sleeps between them, time the guest skips), and a run's figure is the
# guest time the path's tasks ran (their schedstat): pktgen's thread with
# the receive softirqs it runs, ksoftirqd, the daemon's threads with the
# send path they run.  In the instruction-counting guest, instructions.
# The pacing's own cost (a timer and a wake-up of pktgen a packet) is in
# both paced variants: it lowers their ratio.
#
# env: COUNT (default 50000), ROUNDS (default 2), WARM (default 20), PACE
# (default 200000), VARIANTS (default: all five, in the order above).
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

COUNT=${COUNT:-50000}
ROUNDS=${ROUNDS:-2}
WARM=${WARM:-20}
ALL_VARIANTS=(forward relay-raw rtpengine-kernel relay-raw-paced rtpengine-user)
PACE=${PACE:-200000}
read -r -a VARIANTS <<<"${VARIANTS:-${ALL_VARIANTS[*]}}"
SIZE=214
PT=27
export PG_FLAGS=NO_TIMESTAMP
RTPENGINE=$(command -v rtpengine || echo /usr/bin/rtpengine)
NGCALL=$BENCH_DIR/ngcall.py
NGPORT=2223

for n in COUNT ROUNDS WARM; do
	[[ ${!n} =~ ^[1-9][0-9]*$ ]] || die "bad $n: ${!n}"
done
[ -x "$RTPENGINE" ] || die "no rtpengine: make bench-deps (Debian's rtpengine-daemon)"

# rtpengine's module: from the module index, else where DKMS put it (the
# rig's cached index may predate the DKMS build).
load_rtpengine_module() {
	local ko
	modprobe xt_RTPENGINE 2>/dev/null && return 0
	modprobe x_tables || return 1
	for ko in /lib/modules/"$(uname -r)"/updates/dkms/xt_RTPENGINE.ko*; do
		[ -e "$ko" ] || continue
		case $ko in
		*.ko) insmod "$ko" ;;
		*.xz) xz -dc "$ko" >/tmp/xt_RTPENGINE.ko && insmod /tmp/xt_RTPENGINE.ko ;;
		*.zst) zstd -qdc "$ko" >/tmp/xt_RTPENGINE.ko && insmod /tmp/xt_RTPENGINE.ko ;;
		esac
		return
	done
	return 1
}

TMPD=$(mktemp -d /tmp/bench-rtpengine.XXXXXX)
DPID=
BACKLOG0=$(sysctl -n net.core.netdev_max_backlog)
stop_daemon() {
	[ -n "$DPID" ] || return 0
	kill "$DPID" 2>/dev/null || true
	poll -n 200 sh -c "! kill -0 $DPID" || kill -9 "$DPID" 2>/dev/null || true
	wait "$DPID" 2>/dev/null || true
	DPID=
}
finish() {
	stop_daemon
	sysctl -qw net.core.netdev_max_backlog="$BACKLOG0" || true
	rm -rf "$TMPD"
	bench_cleanup
}
trap finish EXIT

ng_answers() {
	in_ns "$R" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(2)
s.sendto(b"p1 d7:command4:pinge", ("127.0.0.1", int(sys.argv[1])))
sys.exit(0 if b"pong" in s.recv(1000) else 1)' "$NGPORT"
}

# start_daemon TABLE: rtpengine in R, its call set up; sets DPORT (where
# A sends) and FROM_PORT (its port in b).
start_daemon() {
	local extra=()
	[ "$1" = -1 ] || extra=(--no-fallback)
	# Not through in_ns, a function: $! must be the daemon (ip execs it).
	ip netns exec "$R" "$RTPENGINE" --config-file=none --table="$1" "${extra[@]}" \
		--interface=a/10.1.0.1 --interface=b/10.2.0.1 \
		--listen-ng=127.0.0.1:$NGPORT --foreground --log-stderr --log-level=5 \
		--port-min=30000 --port-max=30999 --pidfile="$TMPD/rte.pid" \
		</dev/null >/dev/null 2>"$TMPD/rte.log" &
	DPID=$!
	poll ng_answers || die "rtpengine does not answer: $(tail -n 20 "$TMPD/rte.log")"
	read -r DPORT FROM_PORT <<<"$(in_ns "$R" python3 "$NGCALL" 127.0.0.1:$NGPORT "bench-$BENCH_SEQ" $PT)" ||
		die "ng offer/answer failed: $(tail -n 20 "$TMPD/rte.log")"
	[[ $DPORT =~ ^[0-9]+$ && $FROM_PORT =~ ^[0-9]+$ ]] || die "ng: no ports"
}

# kernel_packets: packets rtpengine's kernel table counted for the stream A
# sends to (0 while it is not there).
kernel_packets() {
	awk -v l="local inet4 10.1.0.1:$DPORT" '
		$0 == l { on = 1; next } /^local / { on = 0 }
		on && $1 == "stats:" { print $4; found = 1 } END { if (!found) print 0 }' \
		/proc/rtpengine/0/list
}
kernelized() { [ "$(kernel_packets)" != 0 ] || grep -q "local inet4 10.1.0.1:$DPORT" /proc/rtpengine/0/list; }

# setup VARIANT: topology, R's rules, the daemon and its call (not in
# the dry run: DRY=1; the daemon loads no module, and its start costs
# minutes of the instruction-counting guest).
setup() {
	topo_up
	DST=10.2.0.2 DPORT=6000 FROM=10.1.0.2 FROM_PORT=4000
	case $1 in
	forward) ;;
	relay-raw | relay-raw-paced)
		local chain g
		for chain in PREROUTING OUTPUT; do
			for g in 10.1.0.1 10.2.0.1; do
				ipt "$R" -t raw -A "$chain" -p udp -d $g -j RTPPROXY --addr-a 10.1.0.1 \
					--port-a 50000 --addr-b 10.2.0.1 --port-b 50000 --max-sess 16 \
					--expires-timeout 3600
			done
		done
		[ "$(in_ns "$R" iptrtpproxy alloc --addr-a 10.1.0.1 --port-a 50000 --addr-b 10.2.0.1 \
			--port-b 50000 --rtp-addr-a 10.1.0.2 --rtp-port-a 4000 --rtp-addr-b 10.2.0.2 \
			--rtp-port-b 6000)" = 0 ] || die "alloc"
		DST=10.1.0.1 DPORT=50000 FROM=10.2.0.1 FROM_PORT=50000
		;;
	rtpengine-kernel)
		ipt "$R" -t filter -A INPUT -p udp -j RTPENGINE --id 0
		[ -n "${DRY:-}" ] || start_daemon 0
		DST=10.1.0.1 FROM=10.2.0.1
		;;
	rtpengine-user)
		[ -n "${DRY:-}" ] || start_daemon -1
		DST=10.1.0.1 FROM=10.2.0.1
		;;
	*) die "unknown variant $1" ;;
	esac
	count_at_b "$FROM" "$FROM_PORT" 6000
}

teardown() {
	stop_daemon
	topo_down
}

# warm_up VARIANT: the rtpengine variants' first packets, until the kernel
# table holds the stream (rtpengine-kernel) or the daemon relayed them;
# then B's counters start from zero.
warm_up() {
	local i
	case $1 in rtpengine-*) ;; *) return 0 ;; esac
	for ((i = 0; i < 20; i++)); do
		pktgen_send "$WARM" "$SIZE" 10.1.0.2 4000 "$DST" "$DPORT" $((DPORT + 1))
		[ -z "${BENCH_DEBUG:-}" ] || { say "warm-up $i: B counted $(counted_at_b)";
			cat /proc/rtpengine/0/list >&2 2>/dev/null; tail -n 5 "$TMPD/rte.log" >&2; }
		if [ "$1" = rtpengine-kernel ]; then
			kernelized && break
			sleep 1
		else
			read -r got _ <<<"$(counted_at_b)"
			[ "$got" -ge "$WARM" ] && break
		fi
	done
	[ $i -lt 20 ] || { cat /proc/rtpengine/0/list >&2 2>/dev/null; tail -n 30 "$TMPD/rte.log" >&2
		die "$1: rtpengine did not take the stream after $((i * WARM)) datagrams"; }
	say "$1: stream taken after $(((i + 1) * WARM)) datagrams"
	in_ns "$B" "$IPT_COUNT" -Z INPUT
}

# measure VARIANT: one run; sets USEC.  In-kernel variants: a run whose
# losses the receive backlogs account for is repeated, as in relay.sh (at
# most twice); any other loss fails.
measure() {
	local try rc=0
	for try in 1 2 3; do
		measure1 "$1" && return 0 || rc=$?
		[ $rc = 2 ] || die "$1: $LOSS"
		say "$1: run $try discarded, repeated: $LOSS"
	done
	die "$1: three runs lost datagrams in the receive backlogs"
}

# cpu_ns: nanoseconds of guest time the packet path's tasks ran: pktgen's
# thread (with the receive softirqs it runs), ksoftirqd, the daemon's
# threads (with the send path and the softirqs they run).  In the
# instruction-counting guest, their instructions; idle time (the paced
# sender's pauses, which the guest skips) is nobody's.
cpu_ns() {
	local f c t n=0
	for f in /proc/[0-9]*/comm; do
		read -r c <"$f" 2>/dev/null || continue
		case $c in
		kpktgend_0 | ksoftirqd/0) ;;
		*) continue ;;
		esac
		read -r t _ <"${f%/comm}/schedstat" && n=$((n + t))
	done
	[ -z "$DPID" ] || for f in /proc/"$DPID"/task/*/schedstat; do
		read -r t _ <"$f" && n=$((n + t))
	done
	echo $n
}

measure1() {
	local rc k0 k1 c0 c1 got other
	setup "$1"
	warm_up "$1"
	[ "$1" != rtpengine-kernel ] || k0=$(kernel_packets)
	case $1 in
	*-paced | rtpengine-user)
		export PG_DELAY=$PACE
		in_ns "$B" "$IPT_COUNT" -Z INPUT
		c0=$(cpu_ns)
		pktgen_send "$COUNT" "$SIZE" 10.1.0.2 4000 "$DST" "$DPORT" $((DPORT + 1))
		unset PG_DELAY
		poll -n 100 eval '[ "$(counted_at_b)" = "$COUNT 0 " ]' || true
		c1=$(cpu_ns)
		read -r got other <<<"$(counted_at_b)"
		[ "$got" = "$COUNT" ] && [ "$other" = 0 ] || {
			in_ns "$R" awk '/^(Ip|Udp):/' /proc/net/snmp >&2
			die "$1: B got $got of $COUNT from $FROM:$FROM_PORT and $other others (pktgen sent $PG_SENT)"; }
		USEC=$(((c1 - c0) / 1000))
		;;
	*)
		rc=0
		checked_send "$COUNT" "$SIZE" 10.1.0.2 4000 "$DST" "$DPORT" $((DPORT + 1)) || rc=$?
		[ $rc = 0 ] || { teardown; return $rc; }
		USEC=$PG_USEC
		;;
	esac
	if [ "$1" = rtpengine-kernel ]; then
		k1=$(kernel_packets)
		[ $((k1 - k0)) = "$COUNT" ] || {
			cat /proc/rtpengine/0/list >&2
			die "$1: the kernel table forwarded $((k1 - k0)) of $COUNT"; }
		say "$1: the kernel table forwarded $((k1 - k0))"
	fi
	teardown
}

need_guest
[ -z "${BENCH_DEBUG:-}" ] || set -x
modprobe -a iptable_raw iptable_filter || die "modprobe"
load_rtpengine_module || die "cannot load rtpengine's module xt_RTPENGINE for $(uname -r)"
# Room in the receive backlogs for a whole run: the daemon's threads wake
# during a flood, the receive softirq then goes over to ksoftirqd, which
# waits its turn while pktgen goes on sending, and the 1,000-packet backlog
# overflows (bench/relay.sh's repeated runs).  A longer queue changes no
# instruction of a packet's path; it only keeps the packets.
sysctl -qw net.core.netdev_max_backlog=$((COUNT + 1000))
bench_header
echo "# $("$RTPENGINE" --version 2>&1 | head -n 1 | sed 's/^Version: /rtpengine /'), its kernel module xt_RTPENGINE (rtpengine-kernel-dkms) loaded"
echo "# $COUNT datagrams of 172 bytes of payload ($SIZE-byte frames) per run, $ROUNDS rounds, R's rules with $IPT"

# A dry run of every variant first: whatever they load is loaded for all.
for v in "${VARIANTS[@]}"; do
	DRY=1 setup "$v"
	teardown
done

measure_rounds "" "${VARIANTS[@]}"

printf '\n%-17s' variant
for ((r = 1; r <= ROUNDS; r++)); do printf ' %9s' "pps#$r"; done
printf ' %9s %8s %9s\n' pps-best spread instr/pkt
for v in "${VARIANTS[@]}"; do
	list=
	for ((r = 1; r <= ROUNDS; r++)); do list+="$(pps "${usec[$v,$r]}" "$COUNT") "; done
	printf '%-17s' "$v"
	for p in $list; do printf ' %9s' "$p"; done
	awk -v l="$list" -v m="$(best "$v")" -v n="$COUNT" 'BEGIN {
		k = split(l, p, " "); lo = p[1]; hi = p[1]
		for (i = 2; i <= k; i++) { if (p[i] < lo) lo = p[i]; if (p[i] > hi) hi = p[i] }
		printf " %9.0f %7.2f%% %9.0f\n", n * 1e6 / m, (hi - lo) * 100 / lo, m * 1000 / n }'
done
ratio() { # NAME VARIANT BASE TARGET: VARIANT's rate over BASE's, best runs
	[ -n "${usec[$2,1]:-}" ] && [ -n "${usec[$3,1]:-}" ] || return 0
	awk -v n="$1" -v m="$(best "$2")" -v b="$(best "$3")" -v t="$4" \
		'BEGIN { printf "ratio %s %.3f target %s\n", n, b / m, t }'
}
echo
echo "# ratio = packets per second of the first against the second, best runs"
ratio relay-raw/rtpengine-kernel relay-raw rtpengine-kernel 1.3
ratio relay-raw/rtpengine-user relay-raw-paced rtpengine-user 5
ratio rtpengine-kernel/forward rtpengine-kernel forward -
ratio relay-raw/forward relay-raw forward -
