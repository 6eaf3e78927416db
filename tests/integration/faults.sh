#!/bin/bash
# faults.sh: the relay under faults around it (issue 10, "Faults").  One
# relay namespace (topo.sh's, "the survivor") carries a stream from A to B
# through one session for the whole scenario, beside a switchboard filled
# with $NBIG sessions; meanwhile:
#
#  - a second relay namespace, with live sessions and a stream through one
#    of them, is deleted: the delete completes, the kernel logs nothing
#    (no "waiting for ... to become free", nothing alarming), and what it
#    held is freed: the session slab objects and the module's reference
#    count come back to what they were before it was made;
#  - iptrtpproxy-agent (snmpd.sh) is killed with SIGKILL during a walk of
#    the session table: no netlink socket of it is left in the namespace,
#    the module's reference count is back; started again it registers;
#    snmpd is killed with SIGKILL and started again: the running agent
#    registers with it by itself, and a walk returns a row for every
#    session, each once;
#  - "iptrtpproxy list" of every session is killed with SIGKILL after its
#    first output, and a client that asked for a listing and reads no more
#    of it (genl.py dump-hold) is killed while the kernel holds the listing
#    open (and with it a reference to the module): nothing of either is
#    left, and the next listing shows every session;
#  - rmmod xt_RTPPROXY while rules use the target: refused, the module
#    still loaded, its sessions untouched.
# Then the stream: B received every packet sent, and the session's, the
# switchboard's and the namespace's counters equal it exactly, nothing
# dropped.  Last, with the rules gone, rmmod succeeds and leaves nothing:
# no module, no generic netlink family (a client that must not load the
# module finds none), no slab cache of its sessions.
#
# (The third fault of the issue, 100 iptables-restore reloads during a
# stream, is reload.sh's.)  One iptables backend, the first of
# IPT_BACKENDS: what is tested here is the module's, not the rules'.
#
# run-all: alone (it unloads the module)
#
# Run as root in the guest: tests/vm/run -- tests/integration/run-all faults

# shellcheck disable=SC2086  # $SB: several words on purpose
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
. "$(dirname "$0")/snmpd.sh"
need_root
need_module

IPT=${IPT_BACKENDS[0]}
FILL=$TOP/tests/tools/rtpp-fill
PROBE=$TOP/tests/tools/rtpp-probe
NBIG=${FAULTS_SESSIONS:-300}	# sessions of the big switchboard
BIG="--addr-a $GATE_A --port-a 20000 --addr-b $GATE_B --port-b 20000"
SZ=160
SLAB=/sys/kernel/slab
part() { section "$* [${SECONDS} s]"; }

need_built "$FILL" "$PROBE" "$AGENT_BIN"
need_snmp_cmds snmpd snmpbulkwalk snmpget

# objs CACHE: objects in use in a slab cache, exactly: the per-CPU slabs
# flushed first (their free objects would count as used); empty when the
# cache is not there or shares another's slabs (a link: merged).
objs() {
	[ -d "$SLAB/$1" ] && [ ! -L "$SLAB/$1" ] || return 0
	echo 1 >"$SLAB/$1/shrink"
	cut -d' ' -f1 "$SLAB/$1/objects"
}
# sess_objs: the module's session objects (with and without call quality).
sess_objs() {
	local a b
	a=$(objs rtpp_session)
	b=$(objs rtpp_session_q)
	echo $((${a:-0} + ${b:-0}))
}
sess_objs_are() { [ "$(sess_objs)" = "$1" ]; }
refs_are() { [ "$(module_refs)" = "$1" ]; }

# genl_socks NS: generic netlink sockets open in NS (their dumps running,
# after a slash).
genl_socks() {
	in_ns "$1" awk 'NR > 1 && $2 == 16 { n++; d += ($7 != 0) } END { print n + 0 "/" d + 0 }' \
		/proc/net/netlink
}
genl_socks_are() { [ "$(genl_socks "$1")" = "$2" ]; }

# listed: sessions of every switchboard of the survivor, as the CLI lists
# them (the rows of its table).
listed() {
	rtpp list --format tab | awk 'NR > 1 && NF { n++ } END { print n + 0 }'
}

# untouched: the survivor's switchboard and the stream's session, as listed.
untouched() {
	rtpp list $SB --sess-id-lo 0 --sess-id-hi 0 --format json |
		jget switchboards.0.id switchboards.0.created_ms \
		switchboards.0.sessions.id=0.created_ms switchboards.0.sessions.id=0.state | xargs
}

# flowing NS: the switchboard of NS relays (50 packets more than when
# last asked there).
declare -A LAST
flowing() {
	local ns=$1 what=$2 p r=$R
	R=$ns
	# shellcheck disable=SC2016  # eval'ed by poll
	if poll -t 60 eval '[ "$(sb_packets)" -ge $((${LAST[$ns]:-0} + 50)) ]'; then
		p=$(sb_packets)
		pass "$what: the stream flows ($p relayed)"
		LAST[$ns]=$p
	else
		fail "$what: the stream does not flow ($(sb_packets) relayed, ${LAST[$ns]:-0} before)"
	fi
	R=$r
}

# stream NAME: a sender from A's client to session 0's gate port until
# $TMPD/NAME.stop exists, then it writes how many it sent to $TMPD/NAME.sent.
# Not through send or in_ns: $! must be the sender itself (ip execs it), so
# that the cleanup stops it should the scenario end early.
stream() {
	ip netns exec "$A" python3 "$LIB_DIR/udp.py" send 10.1.0.2:4000 $GATE_A:$PORT \
		10000000 $SZ --gap 5 --until "$TMPD/$1.stop" >"$TMPD/$1.sent" 2>/dev/null &
	STREAM=$!
	at_cleanup "kill $STREAM"
}

klog0=$(klog_lines)
taint0=$(klog_taint)

# ---- the survivor ----------------------------------------------------------
part "$IPT: the survivor: a stream through one session, $NBIG sessions beside"
refs0=$(module_refs)
topo_up --max-sess 16 --expires-timeout 600 || { fail "topology"; finish; }
ipt "$R" -t mangle -A rtpp -j RTPPROXY $BIG --max-sess $NBIG --expires-timeout 3600 ||
	{ fail "a switchboard of $NBIG sessions"; finish; }
AS=$A RS=$R BS=$B
expect "the stream's session" "$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4000 \
	--rtp-addr-b 10.2.0.2 --rtp-port-b 6000)" 0
expect "the big switchboard filled" "$(in_ns "$R" "$FILL" $GATE_A 20000 10.1.0.5)" \
	"$NBIG $NBIG ENOSPC"
created=$(sess 0 created_ms)
recv "$B" 10.2.0.2:6000 survivor --idle 10 --timeout 900
stream survivor
SURVIVOR=$STREAM
flowing "$RS" "survivor"

# ---- a relay namespace deleted under traffic -------------------------------
part "a relay namespace deleted with live sessions and traffic"
refs1=$(module_refs)
sess1=$(sess_objs)
topo_up --max-sess 64 || { fail "the second topology"; finish; }
expect "its stream's session" "$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4000 \
	--rtp-addr-b 10.2.0.2 --rtp-port-b 6000)" 0
expect "and 63 more" "$(in_ns "$R" "$FILL" $GATE_A $PORT 10.1.0.5)" "63 64 ENOSPC"
expect "64 session objects more" "$(($(sess_objs) - sess1))" 64
stream victim
flowing "$R" "the doomed namespace"
mark=$(klog_lines)
start=$(date +%s%N)
check "ip netns del of the relay namespace, sending meanwhile" ip netns del "$R"
info "in $((($(date +%s%N) - start) / 1000000)) ms"
ns_del "$R"
kill "$STREAM" 2>/dev/null
wait "$STREAM" 2>/dev/null
ns_del "$A"
ns_del "$B"
if poll -t 60 sess_objs_are "$sess1"; then
	pass "its sessions freed: $sess1 session objects again"
else
	fail "session objects: $(sess_objs), $sess1 before"
fi
if poll -t 60 refs_are "$refs1"; then
	pass "its rules' module references dropped: $refs1 again"
else
	fail "module references: $(module_refs), $refs1 before"
fi
expect "the kernel logged nothing meanwhile" \
	"$(klog_since "$mark" "$KLOG_ALARM|to become free|rtpp|RTPPROXY" | head -n 5)" ""
A=$AS R=$RS B=$BS
flowing "$R" "the survivor after it"

# ---- the SNMP agent and snmpd killed ---------------------------------------
part "the agent killed with SIGKILL during a walk, snmpd killed and restarted"
snmpd_setup "$TMPD/snmp"
snmpd_start || { fail "snmpd does not answer: $(head -n 5 "$SNMP_DIR/snmpd.log")"; finish; }
socks0=$(genl_socks "$R")
refs2=$(module_refs)
agent_start "$R" || { fail "the agent did not register: $(cat "$SNMP_DIR/agent.log")"; finish; }
stdbuf -oL snmpbulkwalk -v2c -c public-ro -t 10 -r 0 -Cr25 -On -Oq "$SNMP_HOST" \
	$RTPP_MIB_OID.1.3.1.2 >"$TMPD/walk1" 2>&1 &
walk=$!
poll -t 60 test -s "$TMPD/walk1"
if kill -0 $walk 2>/dev/null; then
	pass "the walk runs ($(wc -l <"$TMPD/walk1") rows so far)"
else
	fail "the walk ended before the agent could be killed ($(wc -l <"$TMPD/walk1") rows)"
fi
kill -KILL "$AGENT_PID"
wait "$AGENT_PID" 2>/dev/null
AGENT_PID=
wait $walk 2>/dev/null
info "the walk ended with $(grep -c "^$RTPP_MIB_OID" "$TMPD/walk1") of $((NBIG + 1)) rows"
if poll genl_socks_are "$R" "$socks0"; then
	pass "no netlink socket of the agent left ($socks0 open/dumping)"
else
	fail "netlink sockets: $(genl_socks "$R"), $socks0 before"
fi
check "the module's references back ($refs2)" poll refs_are "$refs2"
flowing "$R" "the agent killed"
if agent_start "$R"; then
	pass "the agent started again registers"
else
	fail "the agent, started again, did not register: $(tail -n 5 "$SNMP_DIR/agent.log")"
fi
kill -KILL "$SNMPD_PID"
wait "$SNMPD_PID" 2>/dev/null
SNMPD_PID=
snmpd_start || fail "snmpd, started again, does not answer: $(tail -n 5 "$SNMP_DIR/snmpd.log")"
if poll -t 60 agent_registered; then
	pass "snmpd killed and started again: the running agent registers with it"
else
	fail "the agent did not register with the new snmpd: $(tail -n 5 "$SNMP_DIR/agent.log")"
fi
snmpbulkwalk -v2c -c public-ro -t 30 -r 0 -Cr50 -On -Oq "$SNMP_HOST" \
	$RTPP_MIB_OID.1.3.1.2 >"$TMPD/walk2" 2>&1
rc=$?
expect "a walk then: every session once" \
	"$rc $(grep "^$RTPP_MIB_OID" "$TMPD/walk2" | cut -d' ' -f1 | sort -u | wc -l)" "0 $((NBIG + 1))"
agent_stop
snmpd_stop
flowing "$R" "snmpd killed"

# ---- the CLI, and a bare client, killed during a listing -------------------
part "the CLI killed during a listing of $((NBIG + 1)) sessions"
socks0=$(genl_socks "$R")
refs2=$(module_refs)
mkfifo "$TMPD/list"
ip netns exec "$R" iptrtpproxy list --format tab >"$TMPD/list" &
cli=$!
exec 3<"$TMPD/list"
read -r line <&3
kill -KILL $cli
wait $cli 2>/dev/null
rc=$?
exec 3<&-
expect "iptrtpproxy list killed after its first output (${line:0:24}...)" "$rc" 137
if poll genl_socks_are "$R" "$socks0"; then
	pass "no netlink socket of it left ($socks0 open/dumping)"
else
	fail "netlink sockets: $(genl_socks "$R"), $socks0 before"
fi
check "the module's references back ($refs2)" poll refs_are "$refs2"

ip netns exec "$R" python3 "$LIB_DIR/genl.py" dump-hold $GATE_A 20000 >"$TMPD/hold" &
hold=$!
at_cleanup "kill $hold"
poll test -s "$TMPD/hold"
info "genl.py dump-hold: $(cat "$TMPD/hold")"
expect "a client holds a listing open: one socket more, dumping, one module reference more" \
	"$(genl_socks "$R") $(module_refs)" \
	"$((${socks0%/*} + 1))/$((${socks0#*/} + 1)) $((refs2 + 1))"
kill -KILL $hold
wait $hold 2>/dev/null
if poll genl_socks_are "$R" "$socks0"; then
	pass "killed: no netlink socket of it left ($socks0 open/dumping)"
else
	fail "netlink sockets: $(genl_socks "$R"), $socks0 before"
fi
check "the module's references back ($refs2)" poll refs_are "$refs2"
expect "the next listing shows every session" "$(listed)" $((NBIG + 1))
flowing "$R" "the listings killed"

# ---- rmmod while rules use the target ---------------------------------------
part "rmmod while rules use the target"
before=$(untouched)
out=$(rmmod xt_RTPPROXY 2>&1)
rc=$?
check "refused (status $rc: $out)" test "$rc" -ne 0
expect "the module still loaded, its references unchanged" "$(module_refs)" "$refs2"
expect "the switchboard and its session untouched" \
	"$(untouched)" "$before"
expect "every session still listed" "$(listed)" $((NBIG + 1))
flowing "$R" "rmmod refused"

# ---- the stream, counted -------------------------------------------------------
part "the survivor's stream through all of it"
touch "$TMPD/survivor.stop"
wait $SURVIVOR
N=$(cat "$TMPD/survivor.sent")
info "the stream: $N packets"
expect "B received every packet from gate B, exact bytes" \
	"$(got survivor "$GATE_B:$PORT")" "$N $N $((N * SZ))"
expect_relayed_exactly 0 "$created" "$N" $((N * SZ))

# ---- the rules gone: rmmod, nothing left ---------------------------------------
part "the rules gone: rmmod"
topo_down
if poll -t 60 rmmod xt_RTPPROXY; then
	pass "rmmod xt_RTPPROXY"
else
	fail "rmmod xt_RTPPROXY once the rules are gone (references $(module_refs), $refs0 at the start)"
fi
expect "no xt_RTPPROXY in /proc/modules" "$(grep -c '^xt_RTPPROXY ' /proc/modules)" 0
expect "no generic netlink family (an open that must not load the module)" \
	"$("$PROBE" --no-load)" not-loaded
expect "no slab cache of sessions" \
	"$(grep -cE '^rtpp_session(_q)? ' /proc/slabinfo) $(ls -d $SLAB/rtpp_session* 2>/dev/null | wc -l)" "0 0"
expect "the kernel logged nothing alarming in all this, no taint" \
	"$(klog_since "$klog0" | head -n 5) $(klog_taint)" " $taint0"
finish
