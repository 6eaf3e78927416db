#!/bin/bash
# bench/setup.sh: call set-ups per second through iptrtpproxyd against
# rtpengine's ng protocol (issue 9, measurement 4, as issue 13 asks).
#
#   tests/vm/run --icount -- bench/setup.sh        (or: make bench)
#
# In namespace R of the benchmarks' topology (gates 10.1.0.1 and
# 10.2.0.1), on R's loopback:
#
#   iptrtpproxyd       iptrtpproxyd -s udp:127.0.0.1:22222 over a
#                      switchboard of the manual's recipe, its call map in
#                      a state file (the default: a restarted daemon keeps
#                      its calls)
#   iptrtpproxyd-nostate  a second iptrtpproxyd, -S none, on 22223
#   rtpengine          Debian's rtpengine 10.5 (rtpengine-daemon) on
#                      udp:127.0.0.1:2223 (ng), one interface 10.1.0.1,
#                      user space only (--table=-1: its kernel module
#                      would need DKMS for the guest's kernel, and it
#                      only takes over a stream once media flows, which
#                      set-ups alone never send), --delete-delay=0 (the
#                      ports of a deleted call are free at once, as the
#                      kernel's slots are), log level 4 (no line per call)
#
#   library            no daemon: bench/rtpp-bench-ctl allocates CALLS
#                      sessions on the same switchboard through
#                      librtpproxy, 32 requests a batch, then deletes
#                      them (issue 9's wording of measurement 4: the
#                      library's batches against rtpengine's calls;
#                      bench/control.sh has the rest of it)
#
# bench/ctlbench.py sets up and tears down CALLS calls with CONC in flight,
# as a SIP proxy does: offer, answer, delete (U, L, D for the rtpproxy
# protocol; bencoded offer, answer, delete for ng), every reply checked.
# The variants run in turn, ROUNDS times (A B C A B C ...), after an
# untimed warm-up of WARMUP calls each.  In the instruction-counting guest
# a run's seconds are instructions (the driver's, the kernel's, the
# daemon's): set-ups per second is the inverse of the instructions one
# set-up costs all of them together.  The driver's part is the same for
# both protocols (every datagram is built before the clock starts).
#
# env: CALLS (default 2000), CONC (default 16), ROUNDS (default 3),
# WARMUP (default 200).  COUNT (bench/run --quick) makes CALLS 500.
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

CALLS=${CALLS:-2000}
[ -z "${COUNT:-}" ] || [ "$COUNT" -ge 50000 ] || CALLS=500
CONC=${CONC:-16}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-200}
VARIANTS=(iptrtpproxyd iptrtpproxyd-nostate rtpengine library)
DAEMON=$TOP/rtpproxyd/iptrtpproxyd
CTL=$BENCH_DIR/rtpp-bench-ctl
DRIVER=$BENCH_DIR/ctlbench.py
RTPENGINE=$(command -v rtpengine || echo /usr/bin/rtpengine)

for n in CALLS CONC ROUNDS WARMUP; do
	[[ ${!n} =~ ^[1-9][0-9]*$ ]] || die "bad $n: ${!n}"
done
[ -x "$DAEMON" ] || die "no $DAEMON (make all)"
[ -x "$CTL" ] || die "no $CTL (make -C bench)"
[ -x "$RTPENGINE" ] || die "no rtpengine: make bench-deps (Debian's rtpengine-daemon)"

need_guest
bench_header
echo "# $("$RTPENGINE" --version 2>&1 | head -n 1 | sed 's/^Version: /rtpengine /'), user space only (--table=-1)"
echo "# CALLS=$CALLS CONC=$CONC ROUNDS=$ROUNDS WARMUP=$WARMUP: offer, answer, delete per call"

TMPD=$(mktemp -d /tmp/bench-setup.XXXXXX)
PIDS=()
stop_all() {
	local p f
	# $! is the subshell of in_ns, a function, not the daemon under it:
	# the daemons' own pid files name them.
	for f in "$TMPD"/*.pid; do
		[ -s "$f" ] && PIDS+=("$(cat "$f")")
	done
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${PIDS[@]}"; do
		poll -n 100 sh -c "! kill -0 $p" || true
	done
	PIDS=()
	rm -rf "$TMPD"
	bench_cleanup
}
trap stop_all EXIT

topo_up
# A deleted session's slot is free again after the resurrection time: 0,
# as rtpengine's --delete-delay=0.  Room for every call of both daemons'
# runs all the same, so that no run depends on when the slots come free.
SLOTS=$((2 * (ROUNDS * CALLS + WARMUP) + 2 * CONC))
# Gate ports from 2000, as bench/scale.sh: two ports a slot up to 65535.
[ "$SLOTS" -le 31767 ] || die "CALLS, ROUNDS and WARMUP need $SLOTS slots: more than gate ports from 2000 give (31767)"
manual_chain -j RTPPROXY --addr-a 10.1.0.1 --port-a 2000 --addr-b 10.2.0.1 --port-b 2000 \
	--max-sess "$SLOTS" --expires-timeout 3600 --resurrection-timeout 0

in_ns "$R" "$DAEMON" -f -s udp:127.0.0.1:22222 -S "$TMPD/calls" -p "$TMPD/d1.pid" \
	</dev/null >/dev/null 2>"$TMPD/d1.log" &
PIDS+=($!)
in_ns "$R" "$DAEMON" -f -s udp:127.0.0.1:22223 -S none -p "$TMPD/d2.pid" \
	</dev/null >/dev/null 2>"$TMPD/d2.log" &
PIDS+=($!)
in_ns "$R" "$RTPENGINE" --config-file=none --table=-1 --interface=10.1.0.1 \
	--listen-ng=127.0.0.1:2223 --foreground --log-stderr --log-level=4 \
	--delete-delay=0 --port-min=30000 --port-max=40000 --pidfile="$TMPD/rte.pid" \
	</dev/null >/dev/null 2>"$TMPD/rte.log" &
PIDS+=($!)

# answers PROTO PORT: the control socket answers a V / a ping
answers() {
	if [ "$1" = ng ]; then
		in_ns "$R" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(2)
s.sendto(b"p1 d7:command4:pinge", ("127.0.0.1", int(sys.argv[1])))
sys.exit(0 if b"pong" in s.recv(1000) else 1)' "$2"
	else
		in_ns "$R" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(2)
s.sendto(b"v1 V", ("127.0.0.1", int(sys.argv[1])))
sys.exit(0 if s.recv(1000).split() == [b"v1", b"20040107"] else 1)' "$2"
	fi
}
poll answers rtpproxy 22222 || die "iptrtpproxyd does not answer: $(cat "$TMPD/d1.log")"
poll answers rtpproxy 22223 || die "iptrtpproxyd -S none does not answer: $(cat "$TMPD/d2.log")"
poll answers ng 2223 || die "rtpengine does not answer: $(tail -n 5 "$TMPD/rte.log")"

FIRST=0
# measure VARIANT CALLS: one run; its set-ups per second in MEASURED.
# Call-ids are never used twice: the calls of a run are FIRST, FIRST + 1..
measure() {
	local proto=rtpproxy port out
	case $1 in
	iptrtpproxyd) port=22222 ;;
	iptrtpproxyd-nostate) port=22223 ;;
	rtpengine) proto=ng port=2223 ;;
	library)
		# the library's batches in one process (bench/control.sh):
		# per session an allocation and a deletion
		out=$(in_ns "$R" "$CTL" lib "$2" 32) || die "$1: $out"
		MEASURED=$(awk '{ for (i = 1; i < NF; i++) if ($i == "per-s") print $(i + 1) }' <<<"$out")
		[ -n "$MEASURED" ] || die "$1: no figure in: $out"
		return
		;;
	esac
	out=$(in_ns "$R" python3 "$DRIVER" --first "$FIRST" "$proto" 127.0.0.1:$port "$2" "$CONC") ||
		die "$1: $out"
	FIRST=$((FIRST + $2))
	MEASURED=$(awk '{ for (i = 1; i < NF; i++) if ($i == "setups-per-s") print $(i + 1) }' <<<"$out")
	[ -n "$MEASURED" ] || die "$1: no figure in: $out"
}

for v in "${VARIANTS[@]}"; do
	measure "$v" "$WARMUP"
done
for ((r = 1; r <= ROUNDS; r++)); do
	for v in "${VARIANTS[@]}"; do
		measure "$v" "$CALLS"
		RATE[$v,$r]=$MEASURED
		say "round $r: $v ${RATE[$v,$r]} set-ups/s"
	done
done
# every call was deleted: nothing left in the kernel or the daemons
left=$(in_ns "$R" iptrtpproxy list --format tab | awk -F'\t' '
	$1 == "sb_id" { for (i = 1; i <= NF; i++) c[$i] = i; next }
	($c["state"] == "learning" || $c["state"] == "active") { n++ } END { print n + 0 }')
[ "$left" = 0 ] || die "$left sessions left in the kernel after the runs"

rate_table "set-ups per second" "${VARIANTS[@]}"
echo
echo "# ratio = set-ups per second against rtpengine's in the same round; min/median/max over the rounds"
rate_ratio setup/rtpengine iptrtpproxyd rtpengine 1
rate_ratio setup-nostate/rtpengine iptrtpproxyd-nostate rtpengine -
rate_ratio library/rtpengine library rtpengine 3
