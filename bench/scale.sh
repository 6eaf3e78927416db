#!/bin/bash
# bench/scale.sh: relay throughput with SESSIONS live sessions receiving
# traffic against one (issue 9, measurement 2).
#
#   tests/vm/run --icount -- bench/scale.sh        (or: make bench)
#
# One switchboard of SESSIONS slots (--max-sess SESSIONS, gate ports from
# 2000 on both gates), in the manual's layout, in fresh namespaces for each
# run (the topology of bench/lib.sh).  pktgen in A sends COUNT datagrams
# (172 bytes of payload) to gate A, the destination port going up by one
# per packet:
#
#   one        1 session; the datagrams alternate between its RTP and
#              RTCP ports (2000, 2001)
#   many       SESSIONS sessions; the datagrams go round all their
#              2 * SESSIONS gate ports (2000 ..), so with COUNT =
#              2 * SESSIONS (the default) every stream gets one
#
# Every session has the same clients (side A's RTP and RTCP at
# 10.1.0.2:4000, side B's at 10.2.0.2:6000), so B counts exactly COUNT
# datagrams from gate B in every pass.  Runs go one, many, one, many...
#
# A run sends three passes of COUNT datagrams over the same ports, and the
# third is the figure: sessions that are receiving traffic, as the
# measurement asks.  A stream's first two packets cost more than the rest
# (the first learns nothing new here but finds no route kept yet, the
# second keeps the source check's verdict with the route: source.c), so
# with one datagram per stream and pass the first two passes are all
# such packets.  The first pass's figures are shown beside (first-pass),
# and in a ratio line without a target: what a burst of new calls costs,
# not what live ones do.  The second pass is not timed.
#
# In the instruction-counting guest this shows what the number of sessions
# costs in instructions (lookup, state): not cache misses, which TCG does
# not model.
#
# LEVELS: the numbers of live sessions to measure, in this order each round
# (default "1 SESSIONS"; bench/run gives more, for its plot of throughput
# against live sessions); each at most SESSIONS, the switchboard's size
# in every run.  The ratio line compares the last level with the first.
#
# env: SESSIONS (default 30000), COUNT (default 2 * SESSIONS), ROUNDS
# (default 2), LEVELS, IPT.
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

SESSIONS=${SESSIONS:-30000}
COUNT=${COUNT:-$((2 * SESSIONS))}
ROUNDS=${ROUNDS:-2}
SIZE=214
PORT=2000
SB=(--addr-a 10.1.0.1 --port-a "$PORT" --addr-b 10.2.0.1 --port-b "$PORT")
FILL=$BENCH_DIR/rtpp-bench-fill

[[ $SESSIONS =~ ^[1-9][0-9]*$ && $COUNT =~ ^[1-9][0-9]*$ && $ROUNDS =~ ^[1-9][0-9]*$ ]] ||
	die "bad SESSIONS, COUNT or ROUNDS"
read -r -a LEVELS <<<"${LEVELS:-1 $SESSIONS}"
for n in "${LEVELS[@]}"; do
	[[ $n =~ ^[1-9][0-9]*$ ]] && [ "$n" -le "$SESSIONS" ] || die "bad LEVELS: $n"
done
[ $((PORT + 2 * SESSIONS)) -le 65536 ] || die "SESSIONS=$SESSIONS: more gate ports than a gate has"
[ -x "$FILL" ] || die "$FILL not built (make -C bench)"

# setup N: the topology, a switchboard of SESSIONS slots, N sessions.
setup() {
	local n
	topo_up
	manual_chain -j RTPPROXY "${SB[@]}" --max-sess "$SESSIONS" --expires-timeout 3600
	n=$(in_ns "$R" "$FILL" 10.1.0.1 $PORT "$1" 10.1.0.2 4000 10.2.0.2 6000) ||
		die "allocated ${n:-no} sessions of $1"
	FROM=10.2.0.1 FROM_PORT=$PORT:$((PORT + 2 * SESSIONS - 1))
	count_at_b $FROM "$FROM_PORT" 6000
}

losses() {
	echo "--- pktgen: sent $PG_SENT, errors $PG_ERRORS"
	ip -n "$R" -s link show rb || true
	in_ns "$R" iptrtpproxy info || true
}

# pass N: COUNT datagrams round N sessions' gate ports, B's counts zeroed
# first.  0, or 2 for a run to repeat (LOSS says why); dies on a loss
# nothing accounts for.  Losses as in relay.sh.
pass() {
	local rc=0
	in_ns "$B" "$IPT_COUNT" -Z INPUT
	checked_send "$COUNT" "$SIZE" 10.1.0.2 4000 10.1.0.1 $PORT $((PORT + 2 * $1)) || rc=$?
	[ $rc = 1 ] && { losses >&2; die "$1 sessions: $LOSS"; }
	return $rc
}

# measure N: one run with N sessions; sets USEC (the third pass) and
# keeps the first pass's best in first[N].
declare -A first=()
measure() {
	for _ in 1 2 3; do
		setup "$1"
		if pass "$1"; then
			[ -n "${first[$1]:-}" ] && [ "${first[$1]}" -le "$PG_USEC" ] ||
				first[$1]=$PG_USEC
			if pass "$1" && pass "$1"; then
				topo_down
				USEC=$PG_USEC
				return 0
			fi
		fi
		topo_down
		say "$1 sessions: run discarded, repeated: $LOSS"
	done
	die "$1 sessions: three runs lost datagrams in the receive backlogs"
}

need_guest
modprobe -a iptable_mangle iptable_filter || die "modprobe"
bench_header
echo "# $COUNT datagrams of 172 bytes of payload per run, $ROUNDS rounds, a switchboard of $SESSIONS slots, rules with $IPT"

measure_rounds sessions "${LEVELS[@]}"

printf '\n%-10s' sessions
for ((r = 1; r <= ROUNDS; r++)); do printf ' %9s' "pps#$r"; done
printf ' %9s %9s %8s %10s %9s\n' instr/pkt +instr ratio first-pass +first
b1='' f1=''
for n in "${LEVELS[@]}"; do
	printf '%-10s' "$n"
	for ((r = 1; r <= ROUNDS; r++)); do
		printf ' %9s' "$(pps "${usec[$n,$r]}" "$COUNT")"
	done
	m=$(best "$n") f=${first[$n]}
	[ -n "$b1" ] || b1=$m f1=$f
	awk -v m="$m" -v b="$b1" -v f="$f" -v f1="$f1" -v c="$COUNT" \
		'BEGIN { printf " %9.0f %+9.0f %8.3f %10.0f %+9.0f\n", m * 1000 / c,
			(m - b) * 1000 / c, b / m, f * 1000 / c, (f - f1) * 1000 / c }'
done
echo
echo "# instr/pkt: the third pass, best run; first-pass: the first pass's best, each stream's first packet in it"
awk -v m="$m" -v b="$b1" -v f="$f" -v f1="$f1" -v n="${LEVELS[-1]}" -v l="${LEVELS[0]}" \
	'BEGIN { printf "ratio sessions-%d/%d %.3f target 0.90\n", n, l, b / m
		printf "ratio sessions-%d/%d-first-pass %.3f target -\n", n, l, f1 / f }'
