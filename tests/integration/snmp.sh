#!/bin/bash
# snmp.sh: the AgentX subagent iptrtpproxy-agent under a real net-snmp
# master, seen from the SNMP side with the project's MIB, against what the
# CLI shows.
#
#  - snmpd runs as AgentX master on a private unix socket and UDP
#    127.0.0.1:<free port> with a config of its own (read-only communities
#    public-ro, a read-write private-rw limited to 127.0.0.1), its state kept
#    out of /var (SNMP_PERSISTENT_DIR, -C -c, -p); snmptrapd on another port
#    logs the notifications snmpd sends (trap2sink).
#  - The agent: bad options exit 2 with a usage message; without
#    CAP_NET_ADMIN (setpriv, capsh) it exits 1 naming CAP_NET_ADMIN; SIGTERM
#    ends it with 0.  Started in the initial namespace it registers and shows
#    no switchboard (those of the relay namespaces are not its); started in
#    the relay namespace it shows that namespace's switchboard and not
#    another namespace's.
#  - After traffic through a session, snmpwalk/snmptable by MIB name show
#    what "iptrtpproxy list/info --format json" show: switchboard gates,
#    sizes, timeouts, creation time, session states, the session and its
#    streams (client addresses and ports, gate ports, packets, bytes,
#    errors), the switchboard's and the global counters, exactly.
#  - SETs: through the read-only community, with a wrong value, with a wrong
#    type: refused with the matching error, nothing changes.  Each reset
#    object (rtppSbResetStatistics, rtppSbResetPacketStatistics,
#    rtppResetStatistics) clears exactly what the matching CLI reset clears,
#    moves its discontinuity time and only that one, and reads false(2).
#  - A full switchboard: rtppSbFull reaches snmptrapd exactly once for two
#    refused allocations; a deletion (resurrection time 0) frees a slot and
#    rtppSbNotFull arrives exactly once.
#  - snmpd restarted on the same socket: the agent comes back by itself
#    within 30 s.
#  - The module unloaded under the running agent: it keeps running, reads
#    rtppUptime 0, rtppProtocolVersion 0, empty tables, does not load the
#    module, and its log stays quiet (< 10 lines in 5 s); the module loaded
#    again and a rule added: the switchboard is back in the table.
#
# One iptables backend is enough (the first of IPT_BACKENDS): the agent reads
# the kernel over netlink and never sees the rules.  The module is unloaded
# half-way, so:
# run-all: alone
#
# The MIB is found by name through mibs/ and ../shared/mibs (the IETF modules
# it imports); without those, the by-name parts say SKIPPED and the rest runs
# with numeric OIDs (try it: SNMP_SHARED_MIBS=/nonexistent, VM_ENV=SNMP_SHARED_MIBS).
#
# Run as root in the guest: tests/vm/run -- tests/integration/snmp.sh

# shellcheck disable=SC2086  # $SB: several words on purpose
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
need_root
need_module

IPT=${IPT_BACKENDS[0]}
part() { section "$* [${SECONDS} s]"; }
AGENT=$TOP/snmp-agent/iptrtpproxy-agent
MIBFILE=$TOP/mibs/IPTRTPPROXY-MIB.txt
SHARED_MIBS=${SNMP_SHARED_MIBS:-$TOP/../shared/mibs}	# env: to try it without them
D=$TMPD			# the scenario's scratch directory (topo.sh)
SOCK=$D/agentx/master
N_AB=20 SZ_AB=100	# A->B packets of the session
N_BA=10 SZ_BA=160	# B->A
OTHER_PORT=40000	# the other namespace's switchboard

for tool in snmpd snmptrapd snmpget snmpset snmpwalk snmptable snmptranslate; do
	command -v $tool >/dev/null ||
		{ fail "$tool not installed (Debian: snmpd snmptrapd snmp)"; finish; }
done
[ -x "$AGENT" ] || { fail "$AGENT not built (make)"; finish; }
[ -r "$MIBFILE" ] || { fail "$MIBFILE missing"; finish; }

# net-snmp's own files stay in the scratch directory: persistent state
# (snmpd.conf, mib indexes), no MIB loading in the daemons and the agent
# (MIBS empty), the clients name their MIB with -m.
mkdir -p "$D/persist" "$D/agentx"
export SNMP_PERSISTENT_DIR=$D/persist
export MIBDIRS="$TOP/mibs:$SHARED_MIBS:/usr/share/snmp/mibs/ietf:/usr/share/snmp/mibs"
export MIBS=
touch "$D/start"

# ---- the MIB: names and numbers as the spec has them -------------------------

BASE=.1.3.6.1.4.1.32473.77
GLOBAL_COLS=(rtppUptime rtppProtocolVersion rtppSwitchboards rtppSessLearning
	rtppSessActive rtppSessExpired rtppSessDestroyed rtppPackets rtppBytes
	rtppDropMalformed rtppDropFragment rtppDropChecksum rtppDropSource
	rtppDropNoPeer rtppDropExpired rtppDropDestroyed rtppDropRoute rtppAllocs
	rtppAllocFailures rtppExpirations rtppDeletions rtppDiscontinuityTime
	rtppResetStatistics)
# Column 12, the spec's rtppSbCreated, is rtppSbCreationTime in the MIB: the
# notification has the other name.
SB_COLS=(rtppSbId rtppSbAddrTypeA rtppSbAddrA rtppSbPortA rtppSbAddrTypeB
	rtppSbAddrB rtppSbPortB rtppSbMaxSessions rtppSbExpiresTimeout
	rtppSbResurrectionTimeout rtppSbRules rtppSbCreationTime rtppSbSessFree
	rtppSbSessLearning rtppSbSessActive rtppSbSessExpired rtppSbSessDestroyed
	rtppSbPackets rtppSbBytes rtppSbDropMalformed rtppSbDropFragment
	rtppSbDropChecksum rtppSbDropSource rtppSbDropNoPeer rtppSbDropExpired
	rtppSbDropDestroyed rtppSbDropRoute rtppSbAllocs rtppSbAllocFailures
	rtppSbExpirations rtppSbDeletions rtppSbDiscontinuityTime
	rtppSbPktDiscontinuityTime rtppSbResetStatistics
	rtppSbResetPacketStatistics)
SESS_COLS=(rtppSessId rtppSessState rtppSessCreated rtppSessExpiresTimeout
	rtppSessIdleTime)
STREAM_COLS=(rtppStreamSide rtppStreamType rtppStreamClientAddrType
	rtppStreamClientAddr rtppStreamClientPort rtppStreamLearned
	rtppStreamLearningLeft rtppStreamAlwaysLearn rtppStreamGatePort
	rtppStreamPackets rtppStreamBytes rtppStreamErrors rtppStreamLastPacket)
NOTIFS=(rtppSbFull rtppSbNotFull rtppSbCreated rtppSbDestroyed)
declare -A NUM
number() { # PREFIX NAME...
	local prefix=$1 i=1
	shift
	for n in "$@"; do NUM[$n]=$prefix.$i; i=$((i + 1)); done
}
number $BASE.1.1 "${GLOBAL_COLS[@]}"
number $BASE.1.2.1 "${SB_COLS[@]}"
number $BASE.1.3.1 "${SESS_COLS[@]}"
number $BASE.1.4.1 "${STREAM_COLS[@]}"
number $BASE.0 "${NOTIFS[@]}"
NUM[rtppSbTable]=$BASE.1.2
NUM[rtppSessTable]=$BASE.1.3
NUM[rtppStreamTable]=$BASE.1.4
NUM[rtppGlobal]=$BASE.1.1
ALL_NAMES=("${GLOBAL_COLS[@]}" "${SB_COLS[@]}" "${SESS_COLS[@]}" "${STREAM_COLS[@]}"
	"${NOTIFS[@]}" rtppSbTable rtppSessTable rtppStreamTable)

# The CLI's counters, in the order of rtppPackets..rtppDeletions and of
# rtppSbPackets..rtppSbDeletions.
STATS=(packets bytes drop_malformed drop_fragment drop_csum drop_source
	drop_no_peer drop_expired drop_destroyed drop_route allocs alloc_fails
	expirations deletes)
G_STATS=("${GLOBAL_COLS[@]:7:14}")
SB_STATS=("${SB_COLS[@]:17:14}")
SB_PKT_STATS=("${SB_STATS[@]:0:10}")	# what --reset-switchboard-packet-stat clears
SB_SESS_STATS=("${SB_STATS[@]:10:4}")	# what --reset-switchboard-stat clears
STATES=(learning active expired destroyed)	# rtppSessState 1..4

# By name when the IETF modules it imports are there, numeric otherwise.
BYNAME=0
MIBOPT=
part "the MIB by name"
if out=$(snmptranslate -m IPTRTPPROXY-MIB -On IPTRTPPROXY-MIB::rtppUptime 2>"$D/translate.err") &&
	[ "$out" = "${NUM[rtppUptime]}" ]; then
	BYNAME=1
	MIBOPT=IPTRTPPROXY-MIB
	pass "snmptranslate resolves IPTRTPPROXY-MIB::rtppUptime ($out)"
	names=()
	for n in "${ALL_NAMES[@]}"; do names+=("IPTRTPPROXY-MIB::$n"); done
	# One line and a blank one per name; it stops at the first unknown.
	mapfile -t got < <(snmptranslate -m IPTRTPPROXY-MIB -On "${names[@]}" 2>"$D/translate.err" | sed '/^$/d')
	bad=0
	for i in "${!ALL_NAMES[@]}"; do
		if [ "${got[i]:-}" != "${NUM[${ALL_NAMES[i]}]}" ]; then
			fail "${ALL_NAMES[i]}: the MIB says '${got[i]:-$(head -n 1 "$D/translate.err")}', the spec ${NUM[${ALL_NAMES[i]}]}"
			bad=$((bad + 1))
			[ $bad -lt 5 ] || break
		fi
	done
	[ $bad != 0 ] || pass "all ${#ALL_NAMES[@]} objects of the spec, at the spec's OIDs"
elif ! [ -r "$SHARED_MIBS/SNMPv2-SMI.txt" ] || ! [ -r "$SHARED_MIBS/INET-ADDRESS-MIB.txt" ]; then
	skip "SKIPPED by name: the IETF MIBs are not in $SHARED_MIBS (see its README); numeric OIDs from here on"
else
	fail "IPTRTPPROXY-MIB does not load:"
	sed 's/^/        | /' "$D/translate.err" | head -n 10
fi

# ---- SNMP helpers -----------------------------------------------------------

# oids NAME[.INDEX]...: OIDS=(the objects as queries name them).
oids() {
	local a n
	OIDS=()
	for a in "$@"; do
		n=${a%%.*}
		if [ $BYNAME = 1 ]; then
			OIDS+=("IPTRTPPROXY-MIB::$a")
		else
			OIDS+=("${NUM[$n]}${a:${#n}}")
		fi
	done
}

# snmp TOOL COMMUNITY ARGS...: TOOL with the common options.
snmp() {
	local tool=$1 comm=$2
	shift 2
	"$tool" -v2c -c "$comm" -t 3 -r 1 -m "$MIBOPT" "$@"
}

# sget NAME[.INDEX]...: values one a line: numbers without units,
# enumerations as numbers, TimeTicks as ticks, octet strings without a
# display hint as hex ("0A 01 00 02 ").
sget() {
	oids "$@"
	snmp snmpget public-ro -OqvteUx "$HOST" "${OIDS[@]}"
}

# sval NAME[.INDEX]...: the same on one line, separated by blanks.
sval() {
	local v
	v=$(sget "$@" 2>&1)
	echo ${v//$'\n'/ }
}

# walk TABLE: WALK[column.index]=value for the table's entries (numeric
# below the entry, values as sget prints them); WALKED: how many.
declare -A WALK
walk() {
	local prefix=${NUM[$1]}.1. line k
	WALK=()
	WALKED=0
	oids "$1"
	while IFS= read -r line; do
		[[ $line == "$prefix"* ]] || continue
		k=${line%% = *}
		WALK[${k#"$prefix"}]=${line#* = }
		WALKED=$((WALKED + 1))
	done < <(snmp snmpwalk public-ro -On -OQeUtx "$HOST" "${OIDS[@]}" 2>&1)
}

# col NAME INDEX: a walked value.
col() {
	local c=${NUM[$1]}
	echo "${WALK[${c##*.}.$2]-MISSING}"
}

# rows NAME: the indexes of the walked rows (those with column NAME), sorted.
rows() {
	local c=${NUM[$1]} k list=()
	c=${c##*.}
	for k in "${!WALK[@]}"; do [[ $k == "$c".* ]] && list+=("${k#"$c".}"); done
	[ ${#list[@]} = 0 ] || printf "%s\n" "${list[@]}" | sort -V | xargs
}

# sb_rows: the switchboard table as "index:rtppSbPortA:rtppSbMaxSessions ...".
sb_rows() {
	local i list=()
	walk rtppSbTable
	for i in $(rows rtppSbPortA); do
		list+=("$i:$(col rtppSbPortA "$i"):$(col rtppSbMaxSessions "$i")")
	done
	echo "${list[*]}"
}

# hexip '"0A 01 00 02 "': 10.1.0.2 (empty for an empty string; anything
# else as it is).
hexip() {
	local h=${1//\"/} b out=
	[[ $1 =~ ^\"([0-9A-F]{2} )*\"$ ]] || { echo "$1"; return; }
	for b in $h; do out+=${out:+.}$((16#$b)); done
	echo "$out"
}

# dat_ms DATEANDTIME: a DateAndTime in ms since the epoch (deciseconds
# precision), as the MIB's display hint shows it ("2024-12-4,21:28:0.3,+0:0")
# or in hex without the MIB ('"07 E8 0C 04 15 1C 00 03 2B 00 00 "').
dat_ms() {
	local v=$1 f=() h s off=0
	if [[ $v =~ ^([0-9]+)-([0-9]+)-([0-9]+),([0-9]+):([0-9]+):([0-9]+)\.([0-9])(,([-+])([0-9]+):([0-9]+))?$ ]]; then
		f=("${BASH_REMATCH[@]:1:7}" "${BASH_REMATCH[9]:-+}" "${BASH_REMATCH[10]:-0}" "${BASH_REMATCH[11]:-0}")
	elif [[ $v =~ ^\"([0-9A-F]{2} ){8}(([0-9A-F]{2} ){3})?\"$ ]]; then
		read -r -a h <<<"${v//\"/}"
		f=($((16#${h[0]} * 256 + 16#${h[1]})))
		for i in 2 3 4 5 6 7; do f+=($((16#${h[i]}))); done
		[ ${#h[@]} = 11 ] && f+=("$(printf "\\x${h[8]}")" $((16#${h[9]})) $((16#${h[10]}))) || f+=(+ 0 0)
	else
		echo "bad-DateAndTime:$v"
		return
	fi
	s=$(date -u -d "$(printf '%04d-%02d-%02d %02d:%02d:%02d' "${f[@]:0:6}")" +%s)
	off=$(((f[8] * 60 + f[9]) * 60))
	[ "${f[7]}" != + ] || off=$((-off))	# '+': local time ahead of UTC
	echo $(((s + off) * 1000 + f[6] * 100))
}

# near DESC MS WANT_MS: a DateAndTime (deciseconds) for WANT_MS.
near() {
	local d
	[[ $2 =~ ^[0-9]+$ && $3 =~ ^[0-9]+$ ]] || { fail "$1: '$2' for '$3'"; return; }
	d=$(($2 - $3))
	if [ ${d#-} -le 100 ]; then
		pass "$1 ($2 ms for $3)"
	else
		fail "$1: $2 ms, expected $3 (off by $d ms)"
	fi
}

# agrees DESC WANT CMD...: CMD's output (lines joined) is WANT, asked again
# for up to AGREE s (the agent caches the kernel's data for up to 1 s).
AGREE=10
agrees() {
	local desc=$1 want=${2//$'\n'/ } got end=$((SECONDS + AGREE))
	shift 2
	while :; do
		got=$("$@" 2>&1)
		got=${got//$'\n'/ }
		[ "$got" = "$want" ] && break
		[ $SECONDS -lt $end ] || break
		sleep 0.3
	done
	expect "$desc" "$got" "$want"
}

# registered: the agent answers for its MIB.
registered() {
	local v
	v=$(sget rtppUptime.0 2>/dev/null)
	[[ $v =~ ^[0-9]+$ ]]
}

# labelled NAME... -- VALUE...: "NAME=VALUE ..."
labelled() {
	local names=() out='' i=0
	while [ "$1" != -- ]; do names+=("$1"); shift; done
	shift
	for v in "$@"; do out+="${out:+ }${names[i]-EXTRA}=$v"; i=$((i + 1)); done
	echo "$out"
}

# snmpd_up: the master answers (its own sysUpTime.0).
snmpd_up() {
	local v
	v=$(snmp snmpget public-ro -Oqvt "$HOST" .1.3.6.1.2.1.1.3.0 2>/dev/null)
	[[ $v =~ ^[0-9]+$ ]]
}

# traps NAME: how many notifications NAME snmptrapd logged (numeric OIDs,
# one line each).
TRAPOID=.1.3.6.1.6.3.1.1.4.1.0
traps() {
	local want=$TRAPOID" = OID: "${NUM[$1]:-$1} line n=0
	while IFS= read -r line; do
		[[ $line == "TRAP "* ]] || continue
		[[ $line == *$'\t'"$want"$'\t'* || $line == *$'\t'"$want" ]] && n=$((n + 1))
	done <"$D/trap.log"
	echo $n
}
trap_line() { # NAME: the last one
	local want=$TRAPOID" = OID: "${NUM[$1]} line last=
	while IFS= read -r line; do
		[[ $line == *$'\t'"$want"$'\t'* || $line == *$'\t'"$want" ]] && last=$line
	done <"$D/trap.log"
	echo "$last"
}
# trap_var LINE OID: a varbind's value (type dropped).
trap_var() {
	local f
	IFS=$'\t' read -r -a fs <<<"$1"
	for f in "${fs[@]}"; do
		f=${f#TRAP }
		if [[ $f == "$2 = "* ]]; then
			f=${f#"$2 = "}
			echo "${f#*: }"
			return
		fi
	done
	echo MISSING
}
# heard_once NAME DESC: exactly one NAME came (polled, then counted).
heard_once() {
	poll -t 30 eval '[ "$(traps '"$1"')" -ge 1 ]'
	expect "$2" "$(traps "$1")" 1
}

# ---- CLI helpers --------------------------------------------------------------

# tab_read CMD...: TAB[column]=value from the first row of CMD's tab output
# (no python: fast).  cli_tab ARGS...: of "iptrtpproxy ARGS --format tab" in
# the relay namespace.
declare -A TAB
tab_read() {
	local hdr=() row=() i
	TAB=()
	{
		IFS=$'\t' read -r -a hdr
		IFS=$'\t' read -r -a row
	} < <("$@")
	for i in "${!hdr[@]}"; do TAB[${hdr[i]}]=${row[i]-}; done
}
cli_tab() { tab_read rtpp "$@" --format tab; }
tabvals() { # COLUMN...: TAB's values on one line
	local c out=()
	for c in "$@"; do out+=("${TAB[$c]-MISSING}"); done
	echo "${out[*]}"
}

# cli_stats JSONPREFIX <JSON: the 14 counters at JSONPREFIX.stats.
stat_paths() {
	local p
	for p in "${STATS[@]}"; do echo "$1$p"; done
}

free_udp_port() { # an unused UDP port of 127.0.0.1 (initial namespace)
	local p hex
	for p in $(seq $((20000 + $$ % 20000)) 2 65000); do
		printf -v hex '%04X:%04X' $p $((p + 1))
		grep -Eq ":(${hex%:*}|${hex#*:}) " /proc/net/udp || { echo $p; return; }
	done
}

# ---- snmpd and snmptrapd ------------------------------------------------------

PORT_SNMP=$(free_udp_port)
PORT_TRAP=$((PORT_SNMP + 1))
HOST=udp:127.0.0.1:$PORT_SNMP
cat >"$D/snmpd.conf" <<EOF
# written by $0
agentaddress udp:127.0.0.1:$PORT_SNMP
master agentx
agentXSocket unix:$SOCK
agentXPerms 0600 0700
agentXTimeout 5
rocommunity public-ro 127.0.0.1
rwcommunity private-rw 127.0.0.1
trap2sink 127.0.0.1:$PORT_TRAP public
dontLogTCPWrappersConnects yes
EOF
cat >"$D/snmptrapd.conf" <<EOF
disableAuthorization yes
format2 TRAP %v\n
EOF

snmpd_start() {
	snmpd -f -C -c "$D/snmpd.conf" -Lf "$D/snmpd.log" -p "$D/snmpd.pid" &
	SNMPD=$!
}

part "snmpd (UDP 127.0.0.1:$PORT_SNMP, AgentX $SOCK), snmptrapd (127.0.0.1:$PORT_TRAP)"
snmptrapd -f -C -c "$D/snmptrapd.conf" -Lf "$D/trap.log" -n -On -p "$D/snmptrapd.pid" \
	udp:127.0.0.1:$PORT_TRAP &
TRAPD=$!
at_cleanup 'kill $AGENT_PID; kill $SNMPD; kill $TRAPD'
AGENT_PID=
poll -t 30 grep -q 'NET-SNMP version' "$D/trap.log" || fail "snmptrapd did not start: $(cat "$D/trap.log")"
snmpd_start
if poll -t 60 snmpd_up; then
	pass "snmpd answers on 127.0.0.1:$PORT_SNMP (sysUpTime.0 $(snmp snmpget public-ro -Oqvt "$HOST" .1.3.6.1.2.1.1.3.0))"
else
	fail "snmpd does not answer:"
	sed 's/^/        | /' "$D/snmpd.log" | head -n 20
	finish
fi
check "AgentX socket $SOCK" test -S "$SOCK"
poll -t 30 eval '[ "$(traps .1.3.6.1.6.3.1.1.5.1)" -ge 1 ]'
expect "snmpd's coldStart reached snmptrapd" "$(traps .1.3.6.1.6.3.1.1.5.1)" 1

# ---- the agent's options and privileges ---------------------------------------

part "agent: options, privileges"
out=$(timeout 30 "$AGENT" -Q 2>&1)
rc=$?
# A usage message: the option named, and the usage or where to find it.
if [ $rc = 2 ] && grep -q Q <<<"$out" && grep -Eqi 'usage|--help' <<<"$out"; then
	pass "-Q: exit 2 with a usage message (${out//$'\n'/ })"
else
	fail "-Q: exit $rc, want 2 with a usage message: '$out'"
fi
nocap() { # DESC CMD...
	local desc=$1 out rc
	shift
	out=$(timeout 30 "$@" 2>&1)
	rc=$?
	if [ $rc = 1 ] && grep -q CAP_NET_ADMIN <<<"$out"; then
		pass "$desc: exit 1 ($(grep CAP_NET_ADMIN <<<"$out" | head -n 1))"
	else
		fail "$desc: exit $rc, want 1 with a message naming CAP_NET_ADMIN: '$out'"
	fi
}
nocap "setpriv without net_admin" setpriv --inh-caps=-net_admin --bounding-set=-net_admin \
	"$AGENT" -f -x "unix:$SOCK" -Le
if command -v capsh >/dev/null; then
	nocap "capsh --drop=cap_net_admin" capsh --drop=cap_net_admin -- \
		-c 'exec "$0" -f -x "unix:$1" -Le' "$AGENT" "$SOCK"
else
	skip "capsh not installed (libcap2-bin)"
fi

# agent_start LOG [NS]: the agent in the foreground (in namespace NS),
# AGENT_PID its pid; waits until it registered.
agent_start() {
	local log=$1 ns=${2:-} t0=$SECONDS
	if [ -n "$ns" ]; then
		ip netns exec "$ns" "$AGENT" -f -x "unix:$SOCK" -Lf "$log" 2>"$log.stderr" &
	else
		"$AGENT" -f -x "unix:$SOCK" -Lf "$log" 2>"$log.stderr" &
	fi
	AGENT_PID=$!
	if poll -t 60 registered; then
		pass "agent${ns:+ in $ns} registered (answers after $((SECONDS - t0)) s)"
	else
		fail "agent${ns:+ in $ns} did not register within 60 s"
		sed 's/^/        | /' "$log" "$log.stderr" | tail -n 20
		return 1
	fi
}

# gone PID: the process ended (a zombie child counts: kill -0 still reaches
# it until it is waited for).
gone() {
	local st
	st=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
	[[ $st == *") Z "* ]]
}

# stop PID WHAT: SIGTERM, then SIGKILL if it is still there after 30 s;
# STOPPED: its exit status.  (Not in a subshell: wait needs the parent.)
stop() {
	kill -TERM "$1"
	poll -t 30 gone "$1" || { fail "$2 still runs 30 s after SIGTERM"; kill -KILL "$1"; }
	wait "$1"
	STOPPED=$?
}

# agent_stop: SIGTERM, exit 0.
agent_stop() {
	stop "$AGENT_PID" agent
	expect "agent ends on SIGTERM with exit 0" "$STOPPED" 0
	AGENT_PID=
}

# ---- topology: the relay namespace and another one ---------------------------

part "$IPT: relay namespace and another one"
topo_up --max-sess 2 --expires-timeout 600 --resurrection-timeout 0 ||
	{ fail "topology with $IPT"; finish; }
ns_new other; O=$NS
ip -n "$O" addr add $GATE_A/32 dev lo
OTHER_SB="--addr-a $GATE_A --port-a $OTHER_PORT --addr-b $GATE_A --port-b $((OTHER_PORT + 100))"
ipt "$O" -t mangle -A PREROUTING -p udp -j RTPPROXY $OTHER_SB --max-sess 5 ||
	fail "the other namespace's switchboard"
cli_tab list $SB --no-session
SBID=${TAB[id]}
tab_read in_ns "$O" iptrtpproxy list --no-session --format tab
OTHER_ID=${TAB[id]}
info "switchboards: relay $SBID ($GATE_A:$PORT), other namespace $OTHER_ID ($GATE_A:$OTHER_PORT)"

# ---- the agent in the initial namespace ----------------------------------------

part "agent in the initial namespace"
if agent_start "$D/agent1.log"; then
	# The agent's uptime between the CLI's before and after (less the
	# agent's cache time, up to 1 s).
	tab_read iptrtpproxy info --format tab
	read -r ver up0 sbs <<<"$(tabvals version uptime_ms switchboards)"
	read -r s_up s_ver s_sbs <<<"$(sval rtppUptime.0 rtppProtocolVersion.0 rtppSwitchboards.0)"
	tab_read iptrtpproxy info --format tab
	up1=${TAB[uptime_ms]}
	expect "rtppProtocolVersion.0 = the CLI's version" "$s_ver" "$ver"
	if [[ $s_up =~ ^[0-9]+$ ]] && [ $((s_up * 10)) -ge $((up0 - 1500)) ] &&
		[ $((s_up * 10)) -le $((up1 + 10)) ]; then
		pass "rtppUptime.0 ($s_up cs) = the module's uptime (the CLI: $up0 ms, then $up1 ms)"
	else
		fail "rtppUptime.0 '$s_up' cs, the module's uptime by the CLI $up0 ms, then $up1 ms"
	fi
	expect "rtppSwitchboards.0 = the CLI's: none in this namespace" "$s_sbs" "$sbs"
	expect "rtppSbTable empty: the relay namespaces' switchboards are not this one's" "$(sb_rows)" ""
	agent_stop
fi

# ---- the agent in the relay namespace ------------------------------------------

part "agent in the relay namespace $R"
LOG=$D/agent2.log
agent_start "$LOG" "$R" || finish
expect "rtppSbTable: the relay's switchboard only (index:rtppSbPortA:rtppSbMaxSessions), not the other namespace's ($OTHER_ID:$OTHER_PORT:5)" \
	"$(sb_rows)" "$SBID:$PORT:2"

# ---- traffic, then the tables against the CLI ----------------------------------

part "a session with traffic: SNMP shows what the CLI shows"
ID=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4000 --rtp-addr-b 10.2.0.2 --rtp-port-b 6000)
GP=$(gate_port "$ID")
recv "$B" 10.2.0.2:6000 ab --count $N_AB --timeout 120
send "$A" 10.1.0.2:4000 $GATE_A:$GP $N_AB $SZ_AB
expect "A->B: $N_AB packets relayed" "$(got ab "$GATE_B:$GP")" "$N_AB $N_AB $((N_AB * SZ_AB))"
recv "$A" 10.1.0.2:4000 ba --count $N_BA --timeout 120
send "$B" 10.2.0.2:6000 $GATE_B:$GP $N_BA $SZ_BA
expect "B->A: $N_BA packets relayed" "$(got ba "$GATE_A:$GP")" "$N_BA $N_BA $((N_BA * SZ_BA))"
send "$A" 10.1.0.4:4000 $GATE_A:$GP 1 $SZ_AB		# wrong source: dropped
poll eval 'cli_tab list $SB --no-session; [ "${TAB[drop_source]}" = 1 ]' ||
	fail "the wrong-source packet was not counted"

L=$(rtpp list $SB --format json)
I=$(rtpp info --format json)

# jload ARRAY JSON PATH...: ARRAY[PATH]=value, one jget for them all.
jload() {
	local -n arr=$1
	local json=$2 v i
	shift 2
	arr=()
	mapfile -t v < <(jget "$@" <<<"$json")
	for ((i = 0; i < $#; i++)); do arr[${*:i+1:1}]=${v[i]-MISSING}; done
}
tv() { case $1 in true) echo 1 ;; false) echo 2 ;; *) echo "$1" ;; esac; }
S=switchboards.0
P=$S.sessions.id=$ID
paths=()
for f in addr_a port_a addr_b port_b max_sess expires resurrection rules created_ms \
	sessions_by_state.{free,learning,active,expired,destroyed} $(stat_paths stats.); do
	paths+=("$S.$f")
done
paths+=("$P.state" "$P.expires" "$P.created_ms" "$P.a.always_learn" "$P.b.always_learn")
for s in a b; do
	for t in rtp rtcp; do
		for f in addr port learned gate_port packets bytes errors; do paths+=("$P.$s.$t.$f"); done
	done
done
declare -A JL JI
jload JL "$L" "${paths[@]}"
jload JI "$I" version switchboards sessions.{learning,active,expired,destroyed} $(stat_paths stats.)
expect "the CLI: A RTP $N_AB packets, $((N_AB * SZ_AB)) bytes; B RTP $N_BA, $((N_BA * SZ_BA))" \
	"${JL[$P.a.rtp.packets]} ${JL[$P.a.rtp.bytes]} ${JL[$P.b.rtp.packets]} ${JL[$P.b.rtp.bytes]}" \
	"$N_AB $((N_AB * SZ_AB)) $N_BA $((N_BA * SZ_BA))"

# The switchboard table, by name with snmptable.
if [ $BYNAME = 1 ]; then
	tbl=$(snmp snmptable public-ro -Ci -Cf '|' -OtUx "$HOST" IPTRTPPROXY-MIB::rtppSbTable 2>&1)
	printf '%s\n' "$tbl" | sed -n '3,$p' | cut -c1-150 | sed 's/^/        | /'
	row=$(awk -F'|' -v id="$SBID" '
		NR == 3 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		NR > 3 && $1 == id {
			print $c["rtppSbPortA"], $c["rtppSbPortB"], $c["rtppSbMaxSessions"],
				$c["rtppSbExpiresTimeout"], $c["rtppSbResurrectionTimeout"],
				$c["rtppSbRules"], $c["rtppSbSessActive"], $c["rtppSbSessFree"],
				$c["rtppSbPackets"], $c["rtppSbBytes"], $c["rtppSbDropSource"],
				$c["rtppSbAllocs"]
		}' <<<"$tbl")
	expect "snmptable rtppSbTable: ports, size, timeouts, rules, active, free, packets, bytes, wrong source, allocations" \
		"$row" "${JL[$S.port_a]} ${JL[$S.port_b]} ${JL[$S.max_sess]} ${JL[$S.expires]} \
${JL[$S.resurrection]} ${JL[$S.rules]} ${JL[$S.sessions_by_state.active]} \
${JL[$S.sessions_by_state.free]} ${JL[$S.stats.packets]} ${JL[$S.stats.bytes]} \
${JL[$S.stats.drop_source]} ${JL[$S.stats.allocs]}"
else
	skip "SKIPPED snmptable by name (no IETF MIBs)"
fi

# Every column of the switchboard's row, walked.
sb_snmp() {
	local i=$SBID v=() n
	walk rtppSbTable
	echo "$(col rtppSbAddrTypeA $i) $(hexip "$(col rtppSbAddrA $i)"):$(col rtppSbPortA $i)" \
		"$(col rtppSbAddrTypeB $i) $(hexip "$(col rtppSbAddrB $i)"):$(col rtppSbPortB $i)" \
		"max=$(col rtppSbMaxSessions $i) expires=$(col rtppSbExpiresTimeout $i)" \
		"resurrection=$(col rtppSbResurrectionTimeout $i) rules=$(col rtppSbRules $i)" \
		"free=$(col rtppSbSessFree $i) learning=$(col rtppSbSessLearning $i)" \
		"active=$(col rtppSbSessActive $i) expired=$(col rtppSbSessExpired $i)" \
		"destroyed=$(col rtppSbSessDestroyed $i)"
	for n in "${SB_STATS[@]}"; do v+=("$(col $n $i)"); done
	labelled "${SB_STATS[@]}" -- "${v[@]}"
}
sb_cli() {
	local v=() st
	echo "1 ${JL[$S.addr_a]}:${JL[$S.port_a]}" "1 ${JL[$S.addr_b]}:${JL[$S.port_b]}" \
		"max=${JL[$S.max_sess]} expires=${JL[$S.expires]}" \
		"resurrection=${JL[$S.resurrection]} rules=${JL[$S.rules]}" \
		"free=${JL[$S.sessions_by_state.free]} learning=${JL[$S.sessions_by_state.learning]}" \
		"active=${JL[$S.sessions_by_state.active]} expired=${JL[$S.sessions_by_state.expired]}" \
		"destroyed=${JL[$S.sessions_by_state.destroyed]}"
	for st in "${STATS[@]}"; do v+=("${JL[$S.stats.$st]}"); done
	labelled "${SB_STATS[@]}" -- "${v[@]}"
}
agrees "rtppSbTable row $SBID = list --format json (gates, size, timeouts, rules, states, counters)" \
	"$(sb_cli)" sb_snmp
walk rtppSbTable
near "rtppSbCreationTime = created_ms" "$(dat_ms "$(col rtppSbCreationTime "$SBID")")" "${JL[$S.created_ms]}"

# The global scalars.
G_NAMES=(rtppProtocolVersion rtppSwitchboards rtppSessLearning rtppSessActive rtppSessExpired
	rtppSessDestroyed "${G_STATS[@]}")
g_snmp() {
	local v
	v=$(sget "${G_NAMES[@]/%/.0}" 2>&1)
	labelled "${G_NAMES[@]}" -- $v
}
g_cli() {
	local v=() p
	for p in version switchboards sessions.{learning,active,expired,destroyed} $(stat_paths stats.); do
		v+=("${JI[$p]}")
	done
	labelled "${G_NAMES[@]}" -- "${v[@]}"
}
agrees "global scalars = info --format json" "$(g_cli)" g_snmp

# The session and its streams.
sess_snmp() {
	local i=$SBID.$ID s t k a
	walk rtppSessTable
	echo "rows=$(rows rtppSessState) state=$(col rtppSessState "$i") expires=$(col rtppSessExpiresTimeout "$i")"
	walk rtppStreamTable
	echo "rows=$(rows rtppStreamPackets)"
	for s in 1 2; do
		for t in 1 2; do
			k=$i.$s.$t
			a=$(hexip "$(col rtppStreamClientAddr "$k")")
			echo "$s.$t type=$(col rtppStreamClientAddrType "$k") addr=${a:-null}" \
				"port=$(col rtppStreamClientPort "$k") learned=$(col rtppStreamLearned "$k")" \
				"always=$(col rtppStreamAlwaysLearn "$k") gate=$(col rtppStreamGatePort "$k")" \
				"packets=$(col rtppStreamPackets "$k") bytes=$(col rtppStreamBytes "$k")" \
				"errors=$(col rtppStreamErrors "$k")"
		done
	done
}
sess_cli() {
	local s t st=${JL[$P.state]} v q si ti
	for v in "${!STATES[@]}"; do [ "${STATES[v]}" = "$st" ] && st=$((v + 1)); done
	# The only session: one row, four streams.
	echo "rows=$SBID.$ID state=$st expires=${JL[$P.expires]}"
	echo "rows=$SBID.$ID.1.1 $SBID.$ID.1.2 $SBID.$ID.2.1 $SBID.$ID.2.2"
	for s in a b; do
		for t in rtp rtcp; do
			q=$P.$s.$t
			si=1; [ $s = a ] || si=2
			ti=1; [ $t = rtp ] || ti=2
			echo "$si.$ti type=$([ "${JL[$q.addr]}" = null ] && echo 0 || echo 1)" \
				"addr=${JL[$q.addr]} port=${JL[$q.port]/null/0}" \
				"learned=$(tv "${JL[$q.learned]}") always=$(tv "${JL[$P.$s.always_learn]}")" \
				"gate=${JL[$q.gate_port]} packets=${JL[$q.packets]} bytes=${JL[$q.bytes]}" \
				"errors=${JL[$q.errors]}"
		done
	done
}
agrees "rtppSessTable and rtppStreamTable = list --format json (state, streams: client, gate, counts)" \
	"$(sess_cli)" sess_snmp
walk rtppSessTable
near "rtppSessCreated = created_ms" "$(dat_ms "$(col rtppSessCreated "$SBID.$ID")")" "${JL[$P.created_ms]}"
walk rtppStreamTable
read -r lp_a lp_ac <<<"$(col rtppStreamLastPacket "$SBID.$ID.1.1") $(col rtppStreamLastPacket "$SBID.$ID.1.2")"
up=$(snmp snmpget public-ro -Oqvt "$HOST" .1.3.6.1.2.1.1.3.0)
if [ "$lp_a" -gt 0 ] 2>/dev/null && [ "$lp_a" -le "$up" ] && [ "$lp_ac" = 0 ]; then
	pass "rtppStreamLastPacket: A RTP $lp_a (sysUpTime $up), A RTCP (no packet) 0"
else
	fail "rtppStreamLastPacket: A RTP '$lp_a', A RTCP '$lp_ac' (want 0), sysUpTime $up"
fi

# ---- refused SETs ---------------------------------------------------------------

part "SETs refused"
# state: what a SET could change (the CLI's switchboard and global
# statistics, the discontinuity times by SNMP).
state() {
	cli_tab list $SB --no-session
	echo "switchboard: $(tabvals discont_ms pkt_discont_ms "${STATS[@]}")"
	cli_tab info
	echo "global: $(tabvals discont_ms "${STATS[@]}")"
	echo "SNMP discontinuity times: $(sval rtppDiscontinuityTime.0 rtppSbDiscontinuityTime.$SBID \
		rtppSbPktDiscontinuityTime.$SBID)"
}
# refused DESC REASONS COMMUNITY OBJECT TYPE VALUE: the SET fails with one of
# REASONS and changes nothing.  -Ir: the value goes to the agent unchecked.
STATE=
refused() {
	local desc=$1 reasons=$2 comm=$3 out rc before
	before=${STATE:-$(state)}
	oids "$4"
	out=$(snmp snmpset "$comm" -Ir "$HOST" "${OIDS[0]}" "$5" "$6" 2>&1)
	rc=$?
	if [ $rc != 0 ] && grep -Eq "Reason: ($reasons)" <<<"$out"; then
		pass "$desc: $(grep -Eo "Reason: ($reasons)[^)]*\)?" <<<"$out" | head -n 1)"
	else
		fail "$desc: exit $rc, want one of $reasons: '${out//$'\n'/ }'"
	fi
	local after
	after=$(state)
	STATE=$after
	if [ "$before" = "$after" ]; then
		pass "$desc: nothing changed"
	else
		fail "$desc: something changed"
		show_diff "$before" "$after"
	fi
}
refused "rtppResetStatistics.0 through the read-only community" \
	'noAccess|authorizationError|notWritable' public-ro rtppResetStatistics.0 i 1
refused "rtppSbResetStatistics.$SBID = 3" wrongValue private-rw rtppSbResetStatistics.$SBID i 3
refused "rtppSbResetPacketStatistics.$SBID as a string" wrongType private-rw \
	rtppSbResetPacketStatistics.$SBID s yes

# ---- resets -------------------------------------------------------------------

part "resets by SNMP clear what the CLI's resets clear"
# set_true OBJECT: snmpset OBJECT i 1 through private-rw succeeds.
set_true() {
	local out rc
	oids "$1"
	out=$(snmp snmpset private-rw -Oqvte "$HOST" "${OIDS[0]}" i 1 2>&1)
	rc=$?
	expect "snmpset $1 = true(1)" "$rc ${out//$'\n'/ }" "0 1"
}
# cleared DESC BEFORE AFTER CLEARED_NAME...: every counter named is 0 after,
# every other one as before ("name=value ..." lists).
cleared() {
	local desc=$1 before=$2 after=$3 want='' kv n v
	shift 3
	for kv in $before; do
		n=${kv%%=*}
		v=${kv#*=}
		for c in "$@"; do [ "$n" = "$c" ] && v=0; done
		want+="${want:+ }$n=$v"
	done
	expect "$desc" "$after" "$want"
}
nonzero() { # DESC "name=value ..." NAME...: the counters named are not all 0 before a reset
	local kv n sum=0
	for kv in $2; do
		n=${kv%%=*}
		for c in "${@:3}"; do [ "$n" = "$c" ] && sum=$((sum + ${kv#*=})); done
	done
	[ $sum -gt 0 ] || fail "$1: nothing to clear, the check would prove nothing"
}
sb_cli_stats() { # the switchboard's counters by the CLI, labelled with the MIB's names
	cli_tab list $SB --no-session
	labelled "${SB_STATS[@]}" -- $(tabvals "${STATS[@]}")
}
g_cli_stats() {
	cli_tab info
	labelled "${G_STATS[@]}" -- $(tabvals "${STATS[@]}")
}
sb_snmp_stats() {
	local v
	v=$(sget "${SB_STATS[@]/%/.$SBID}" 2>&1)
	labelled "${SB_STATS[@]}" -- $v
}
g_snmp_stats() {
	local v
	v=$(sget "${G_STATS[@]/%/.0}" 2>&1)
	labelled "${G_STATS[@]}" -- $v
}
discont() { # CLI discont_ms pkt_discont_ms, SNMP rtppSbDiscontinuityTime rtppSbPktDiscontinuityTime
	cli_tab list $SB --no-session
	echo "$(tabvals discont_ms pkt_discont_ms) $(sval rtppSbDiscontinuityTime.$SBID rtppSbPktDiscontinuityTime.$SBID)"
}

# sb_reset OBJECT WHAT CLEARED_NAMES_VAR CHANGING(0: session times, 1: packet times)
sb_reset() {
	local obj=$1 what=$2 which=$4 sb0 g0 sb1 g1 d0 d1
	local -n names=$3
	sb0=$(sb_cli_stats)
	g0=$(g_cli_stats)
	read -r -a d0 <<<"$(discont)"
	nonzero "$obj" "$sb0" "${names[@]}"
	set_true "$obj.$SBID"
	sb1=$(sb_cli_stats)
	g1=$(g_cli_stats)
	read -r -a d1 <<<"$(discont)"
	cleared "$obj: the CLI shows $what cleared, the other switchboard counters as they were" \
		"$sb0" "$sb1" "${names[@]}"
	expect "$obj: global counters untouched" "$g1" "$g0"
	local other=$((1 - which))
	if [ "${d1[which]}" -gt "${d0[which]}" ] && [ "${d1[other]}" = "${d0[other]}" ]; then
		pass "$obj: the CLI's ${what} discontinuity moved (${d0[which]} -> ${d1[which]} ms), the other not"
	else
		fail "$obj: CLI discont_ms ${d0[0]} -> ${d1[0]}, pkt_discont_ms ${d0[1]} -> ${d1[1]}"
	fi
	if [ "${d1[which + 2]}" -gt "${d0[which + 2]}" ] 2>/dev/null && [ "${d1[other + 2]}" = "${d0[other + 2]}" ]; then
		pass "$obj: its discontinuity time moved (${d0[which + 2]} -> ${d1[which + 2]}), the other not"
	else
		fail "$obj: rtppSbDiscontinuityTime ${d0[2]} -> ${d1[2]}, rtppSbPktDiscontinuityTime ${d0[3]} -> ${d1[3]}"
	fi
	agrees "$obj: SNMP agrees with the CLI after it" "$sb1" sb_snmp_stats
	expect "$obj reads false(2)" "$(sval "$obj.$SBID")" 2
}
sb_reset rtppSbResetStatistics "session statistics" SB_SESS_STATS 0
sb_reset rtppSbResetPacketStatistics "packet statistics" SB_PKT_STATS 1

# The global one.
g0=$(g_cli_stats)
sb0=$(sb_cli_stats)
cli_tab info
s0=$(tabvals switchboards learning active expired destroyed)
cd0=$(tabvals discont_ms)
gd0=$(sval rtppDiscontinuityTime.0)
nonzero rtppResetStatistics "$g0" "${G_STATS[@]}"
set_true rtppResetStatistics.0
g1=$(g_cli_stats)
cleared "rtppResetStatistics: the CLI shows every global counter cleared" "$g0" "$g1" "${G_STATS[@]}"
expect "rtppResetStatistics: switchboard counters untouched" "$(sb_cli_stats)" "$sb0"
cli_tab info
expect "rtppResetStatistics: sessions untouched" \
	"$(tabvals switchboards learning active expired destroyed)" "$s0"
cd1=$(tabvals discont_ms)
if [ "$cd1" -gt "$cd0" ] 2>/dev/null; then
	pass "rtppResetStatistics: the CLI's global discont_ms moved ($cd0 -> $cd1)"
else
	fail "rtppResetStatistics: the CLI's global discont_ms '$cd0' -> '$cd1'"
fi
gd1=$(sval rtppDiscontinuityTime.0)
if [ "$gd1" -gt "$gd0" ] 2>/dev/null; then
	pass "rtppDiscontinuityTime.0 moved ($gd0 -> $gd1)"
else
	fail "rtppDiscontinuityTime.0 '$gd0' -> '$gd1'"
fi
agrees "rtppResetStatistics: SNMP agrees with the CLI after it" "$g1" g_snmp_stats
expect "rtppResetStatistics.0 reads false(2)" "$(sval rtppResetStatistics.0)" 2

# ---- a full switchboard --------------------------------------------------------

part "notifications: rtppSbFull, rtppSbNotFull"
ID2=$(alloc --rtp-addr-a 10.1.0.3 --rtp-port-a 4010)
expect "the second session of $SBID allocated" "$?" 0
for i in 1 2; do
	out=$(alloc --rtp-addr-a 10.1.0.3 --rtp-port-a 4020 2>&1)
	rc=$?
	if [ $rc = 1 ] && grep -qi full <<<"$out"; then
		pass "allocation $((i + 2)) refused: full ($out)"
	else
		fail "allocation $((i + 2)): exit $rc, want 1 saying full: '$out'"
	fi
done
# Both refusals seen by the agent before counting.
agrees "rtppSbAllocFailures.$SBID" 2 sval rtppSbAllocFailures.$SBID
heard_once rtppSbFull "rtppSbFull once for two refused allocations"
line=$(trap_line rtppSbFull)
expect "rtppSbFull's varbinds: gate ports and size of $SBID" \
	"$(trap_var "$line" "${NUM[rtppSbPortA]}.$SBID") $(trap_var "$line" "${NUM[rtppSbPortB]}.$SBID") $(trap_var "$line" "${NUM[rtppSbMaxSessions]}.$SBID")" \
	"$PORT $PORT 2"
expect "no rtppSbNotFull yet" "$(traps rtppSbNotFull)" 0
out=$(rtpp delete $SB --sess-id-lo "$ID2" 2>&1)
expect "session $ID2 deleted (resurrection 0: the slot is free at once)${out:+ ($out)}" $? 0
heard_once rtppSbNotFull "rtppSbNotFull once the slot is free"
expect "still one rtppSbFull" "$(traps rtppSbFull)" 1

# ---- snmpd restarted -------------------------------------------------------------

part "snmpd restarted: the agent reconnects"
stop "$SNMPD" snmpd
snmpd_start
t0=$SECONDS
poll -t 60 snmpd_up || fail "snmpd did not come back"
t1=$SECONDS
if poll -t 30 registered; then
	pass "the agent answers again $((SECONDS - t1)) s after snmpd (restarted $((SECONDS - t0)) s ago)"
else
	fail "the agent did not reconnect within 30 s"
	tail -n 10 "$LOG" | sed 's/^/        | /'
fi
check "the same agent process" kill -0 "$AGENT_PID"
agrees "rtppSbTable row $SBID after the reconnection: ports" "$PORT $PORT" \
	sval rtppSbPortA.$SBID rtppSbPortB.$SBID

# ---- the module unloaded and loaded again ---------------------------------------

part "module unloaded under the agent, then loaded again"
expect "no rtppSbCreated, rtppSbDestroyed so far" "$(traps rtppSbCreated) $(traps rtppSbDestroyed)" "0 0"
ipt_flush "$R"
ipt_flush "$O"
heard_once rtppSbDestroyed "the relay's rules flushed: rtppSbDestroyed once (the other namespace's not heard)"
line=$(trap_line rtppSbDestroyed)
expect "rtppSbDestroyed's varbinds: gate ports and size of $SBID" \
	"$(trap_var "$line" "${NUM[rtppSbPortA]}.$SBID") $(trap_var "$line" "${NUM[rtppSbPortB]}.$SBID") $(trap_var "$line" "${NUM[rtppSbMaxSessions]}.$SBID")" \
	"$PORT $PORT 2"
if poll -t 30 rmmod xt_RTPPROXY; then
	pass "rmmod xt_RTPPROXY with the agent running"
	agrees "rtppUptime.0, rtppProtocolVersion.0, rtppSwitchboards.0 with no module" "0 0 0" \
		sval rtppUptime.0 rtppProtocolVersion.0 rtppSwitchboards.0
	expect "rtppSbTable empty" "$(sb_rows)" ""
	n0=$(wc -l <"$LOG")
	sleep 5		# a window to count log lines in: nothing to poll for
	n1=$(wc -l <"$LOG")
	if [ $((n1 - n0)) -lt 10 ]; then
		pass "the agent's log grew by $((n1 - n0)) lines in 5 s"
	else
		fail "the agent's log grew by $((n1 - n0)) lines in 5 s:"
		tail -n 5 "$LOG" | sed 's/^/        | /'
	fi
	check "the agent still runs" kill -0 "$AGENT_PID"
	expect "the agent did not load the module" "$(module_refs)" ""
	expect "rtppSbTable still empty" "$(sb_rows)" ""

	modprobe xt_RTPPROXY
	t0=$SECONDS
	if poll -t 20 eval '[ "$(sget rtppUptime.0)" -gt 0 ]'; then
		pass "the agent picked the module up: rtppUptime.0 > 0 after $((SECONDS - t0)) s"
	else
		fail "rtppUptime.0 still '$(sget rtppUptime.0)' 20 s after modprobe"
	fi
	ipt "$R" -t mangle -A PREROUTING -p udp -j RTPPROXY $SB --max-sess 3
	t0=$SECONDS
	cli_tab list $SB --no-session
	NEWID=${TAB[id]}
	AGREE=20 agrees "a rule again: rtppSbTable shows the switchboard (index:rtppSbPortA:rtppSbMaxSessions)" \
		"$NEWID:$PORT:3" sb_rows
	info "the table had it after $((SECONDS - t0)) s"
	read -r ver sbs <<<"$(sval rtppProtocolVersion.0 rtppSwitchboards.0)"
	cli_tab info
	expect "rtppProtocolVersion.0, rtppSwitchboards.0 = the CLI's again" "$ver $sbs" \
		"${TAB[version]} ${TAB[switchboards]}"
	heard_once rtppSbCreated "the switchboard created after the agent picked the module up: rtppSbCreated once"
	line=$(trap_line rtppSbCreated)
	expect "rtppSbCreated's varbinds: gate ports and size of $NEWID" \
		"$(trap_var "$line" "${NUM[rtppSbPortA]}.$NEWID") $(trap_var "$line" "${NUM[rtppSbPortB]}.$NEWID") $(trap_var "$line" "${NUM[rtppSbMaxSessions]}.$NEWID")" \
		"$PORT $PORT 3"
else
	fail "rmmod xt_RTPPROXY: refcount $(module_refs)"
	modprobe xt_RTPPROXY
fi

# ---- the end ------------------------------------------------------------------

part "the end"
agent_stop
check "snmpd kept its state in the scratch directory" test -s "$D/persist/snmpd.conf"
newer=$(find /var/lib/snmp /var/net-snmp -newer "$D/start" 2>/dev/null | head -n 3)
expect "nothing written under /var/lib/snmp" "$newer" ""
info "the agent's log: $(wc -l <"$LOG") lines"
finish
