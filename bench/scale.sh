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
# datagrams from gate B in both runs.  Runs go one, many, one, many...
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

# measure N: one run with N sessions; sets USEC.  Losses as in relay.sh.
measure() {
	local rc
	for _ in 1 2 3; do
		setup "$1"
		rc=0
		checked_send "$COUNT" "$SIZE" 10.1.0.2 4000 10.1.0.1 $PORT $((PORT + 2 * $1)) || rc=$?
		[ $rc = 1 ] && { losses >&2; die "$1 sessions: $LOSS"; }
		topo_down
		[ $rc = 0 ] && { USEC=$PG_USEC; return 0; }
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
printf ' %9s %9s %8s\n' instr/pkt +instr ratio
b1=
for n in "${LEVELS[@]}"; do
	printf '%-10s' "$n"
	for ((r = 1; r <= ROUNDS; r++)); do
		printf ' %9s' "$(pps "${usec[$n,$r]}" "$COUNT")"
	done
	m=$(best "$n")
	[ -n "$b1" ] || b1=$m
	awk -v m="$m" -v b="$b1" -v c="$COUNT" \
		'BEGIN { printf " %9.0f %+9.0f %8.3f\n", m * 1000 / c, (m - b) * 1000 / c, b / m }'
done
echo
awk -v m="$m" -v b="$b1" -v n="${LEVELS[-1]}" -v f="${LEVELS[0]}" \
	'BEGIN { printf "ratio sessions-%d/%d %.3f target 0.90\n", n, f, b / m }'
