#!/bin/bash
# bench/snmp.sh: varbinds per second of a walk of the session table through
# the subagent, against snmpd's own in-process ifTable (issue 9,
# measurement 5).
#
#   tests/vm/run --icount -- bench/snmp.sh          (or: bench/run snmp)
#
# One net-snmp master (Debian's snmpd) in a namespace S of its own, on
# 127.0.0.1:1161 with its AgentX socket in a directory of /tmp, all its
# default MIB modules loaded; iptrtpproxy-agent in namespace R, where one
# switchboard holds SESSIONS sessions (bench/rtpp-bench-fill).  S holds
# dummy interfaces, as many as make ifTable (22 columns) about as many
# varbinds as the session table.  From S, snmpbulkwalk (SNMPv2c, 50
# repetitions a request, no retries) walks, in turn, ROUNDS times:
#
#   sessions   rtppSessTable (.1.3.6.1.4.1.32473.77.1.3), every column:
#              the master asks the agent over AgentX, the agent answers
#              from its cache of the kernel's table (loaded over netlink
#              when stale, as in operation)
#   iftable   IF-MIB::ifTable (.1.3.6.1.2.1.2.2): the master answers alone,
#              from its own cache of the interfaces (loaded over netlink
#              when stale)
#
# after an untimed walk of each.  A walk's time is the guest's clock around
# snmpbulkwalk: in the instruction-counting guest, the instructions of the
# client, the master, the agent and the kernel.  ratio = the session walk's
# varbinds per second over ifTable's, per pair of walks; the line gives the
# median, the comment min and max.
#
# env: SESSIONS (default 10000; bench/run --quick: 3000), ROUNDS (default 3),
# AGENT_DEBUG (the agent's -D, none by default).
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

SESSIONS=${SESSIONS:-10000}
ROUNDS=${ROUNDS:-3}
AGENT=$TOP/snmp-agent/iptrtpproxy-agent
FILL=$BENCH_DIR/rtpp-bench-fill
SESS_OID=.1.3.6.1.4.1.32473.77.1.3
IF_OID=.1.3.6.1.2.1.2.2
IF_COLS=22
SESS_COLS=4	# rtppSessTable's readable columns

for n in SESSIONS ROUNDS; do
	[[ ${!n} =~ ^[1-9][0-9]*$ ]] || die "bad $n: ${!n}"
done
[ "$SESSIONS" -le 30000 ] || die "SESSIONS: at most 30000 (two gate ports each from 2000)"
for t in "$AGENT" "$FILL"; do
	[ -x "$t" ] || die "$t not built (make all && make -C bench)"
done
for t in snmpd snmpbulkwalk snmpget; do
	command -v $t >/dev/null || die "$t not installed (Debian: snmpd snmp)"
done

need_guest
bench_header
echo "# $(snmpd -v 2>/dev/null | awk '/version/ { print "net-snmp", $NF; exit }'), $SESSIONS sessions, ROUNDS=$ROUNDS"

D=$(mktemp -d /tmp/bench-snmp.XXXXXX)
SNMPD_PID=
AGENT_PID=
stop_all() {
	local p
	for p in $AGENT_PID $SNMPD_PID; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$D"
	bench_cleanup
}
trap stop_all EXIT
export SNMP_PERSISTENT_DIR=$D/persist MIBS=''
mkdir -p "$SNMP_PERSISTENT_DIR"
# The agent's own configuration file (net-snmp reads NAME.conf from
# SNMPCONFPATH): its AgentX requests (registration, pings) wait up to 60 s,
# and it pings its master once a minute, not every 5 s.  Left as they are,
# a ping failed in the middle of a walk in the instruction-counting guest
# (whose clock leaps over idle stretches), the agent re-registered and the
# master answered genError to the request in flight.
export SNMPCONFPATH=$D
printf 'agentxTimeout 60\nagentxPingInterval 60\n' >"$D/iptrtpproxy-agent.conf"
HOST=udp:127.0.0.1:1161

ns_new snmp; S=$NS
ns_new relay; R=$NS
ip -n "$R" addr add 10.1.0.1/32 dev lo
ip -n "$R" addr add 10.2.0.1/32 dev lo
ipt "$R" -t mangle -A PREROUTING -p udp -j RTPPROXY --addr-a 10.1.0.1 --port-a 2000 \
	--addr-b 10.2.0.1 --port-b 2000 --max-sess "$SESSIONS" --expires-timeout 3600
got=$(in_ns "$R" "$FILL" 10.1.0.1 2000 "$SESSIONS" 10.1.0.2 4000 10.2.0.2 6000) ||
	die "rtpp-bench-fill: $got"

# Dummy interfaces to match: ifTable has a row for lo too.  Made before
# snmpd starts: its interface cache, loaded at start, would otherwise show
# them only once it expires, which in the instruction-counting guest (its
# clock moves with the instructions run) comes late.
NIF=$(((SESSIONS * SESS_COLS + IF_COLS - 1) / IF_COLS - 1))
for ((i = 0; i < NIF; i++)); do echo "link add d$i type dummy"; done >"$D/links"
ip -n "$S" -batch "$D/links" || die "ip link add: $NIF dummy interfaces"

cat >"$D/snmpd.conf" <<CONF
agentaddress $HOST
master agentx
agentXSocket unix:$D/agentx.sock
agentXPerms 0600 0700
agentXTimeout 30
rocommunity public-ro 127.0.0.1
dontLogTCPWrappersConnects yes
CONF
# Started by ip netns exec itself, not in_ns: $! must be the daemon, for
# stop_all to stop it (bench/lib.sh, in_ns).  One left running would keep
# bench/run's tee of this script's output open, and bench/run waiting.
ip netns exec "$S" snmpd -f -C -c "$D/snmpd.conf" -Lf "$D/snmpd.log" -p "$D/snmpd.pid" \
	</dev/null >/dev/null &
SNMPD_PID=$!
answers() { in_ns "$S" snmpget -v2c -c public-ro -t 2 -r 0 -Oqv "$HOST" "$1" | grep -qv 'No Such'; }
poll answers .1.3.6.1.2.1.1.3.0 || die "snmpd does not answer: $(head -5 "$D/snmpd.log")"
# As it runs in operation: no -D.  Any debug token turns on net-snmp's
# debug checks in every request's path (about a quarter of the agent's
# time in a profile); AGENT_DEBUG=rtppa:cache logs the agent's cache loads, and the
# run then says how many there were.
dbg=()
[ -z "${AGENT_DEBUG:-}" ] || dbg=(-D "$AGENT_DEBUG")
ip netns exec "$R" "$AGENT" -f -x "unix:$D/agentx.sock" -Lf "$D/agent.log" "${dbg[@]}" \
	</dev/null >/dev/null &
AGENT_PID=$!
poll answers .1.3.6.1.4.1.32473.77.1.1.1.0 || die "the agent did not register: $(cat "$D/agent.log")"

# walk OID: sets VARBINDS and SECS (guest time)
walk() {
	local t0 t1
	t0=$EPOCHREALTIME
	in_ns "$S" snmpbulkwalk -v2c -c public-ro -t 600 -r 0 -Cr50 -On -Oq "$HOST" "$1" >"$D/walk" 2>"$D/walk.err" ||
		{ tail -n 20 "$D/snmpd.log" "$D/agent.log" >&2
		  die "walk of $1 after $(wc -l <"$D/walk") varbinds: $(head -c 300 "$D/walk.err")"; }
	t1=$EPOCHREALTIME
	VARBINDS=$(grep -c "^$1\." "$D/walk" || true)
	SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')
}

walk $SESS_OID
NSESS=$VARBINDS
say "session table: $NSESS varbinds ($SESSIONS sessions) in $SECS s (untimed walk)"
[ "$NSESS" = $((SESSIONS * SESS_COLS)) ] ||
	die "the session table walk gave $NSESS varbinds for $SESSIONS sessions of $SESS_COLS columns"

walk $IF_OID
# snmpd leaves some columns out for some interfaces: rows are what counts.
ROWS=$(grep -c "^$IF_OID\.1\.1\." "$D/walk" || true)
say "ifTable: $VARBINDS varbinds, $ROWS rows ($((NIF + 1)) interfaces) in $SECS s (untimed walk)"
[ "$ROWS" = $((NIF + 1)) ] || die "the ifTable walk gave $ROWS rows for $((NIF + 1)) interfaces"

for ((r = 1; r <= ROUNDS; r++)); do
	walk $SESS_OID
	[ "$VARBINDS" = "$NSESS" ] || die "round $r: the session walk gave $VARBINDS varbinds, not $NSESS"
	RATE[sessions,$r]=$(awk -v n="$VARBINDS" -v s="$SECS" 'BEGIN { printf "%.1f", n / s }')
	say "round $r sessions: $VARBINDS varbinds in $SECS s: ${RATE[sessions,$r]}/s"
	walk $IF_OID
	RATE[iftable,$r]=$(awk -v n="$VARBINDS" -v s="$SECS" 'BEGIN { printf "%.1f", n / s }')
	say "round $r iftable: $VARBINDS varbinds in $SECS s: ${RATE[iftable,$r]}/s"
done
grep -v '^rtppa' "$D/agent.log" | grep -Ei 'error|fail' >&2 && die "the agent logged errors"
[ -z "${AGENT_DEBUG:-}" ] ||
	say "the agent's cache loads: $(grep -c 'loaded in' "$D/agent.log"), the last: $(grep 'loaded in' "$D/agent.log" | tail -n 1)"

rate_table "varbinds per second" sessions iftable
echo
echo "# ratio = the session walk's varbinds per second over ifTable's, per round"
rate_ratio snmp-walk sessions iftable 0.5
