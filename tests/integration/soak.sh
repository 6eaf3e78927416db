#!/bin/bash
# soak: for SOAK_SECONDS (60; make soak: 600), all at once:
#  - six streams through three long-lived sessions, both ways, RTP and
#    RTCP, one datagram each every 20 ms (soak_traffic.py), and a stranger
#    sending to session 0's gate every 10th round (drop_source);
#  - allocation, update and deletion of two more sessions at a time
#    through the CLI, over and over;
#  - SNMP walks of the session table through snmpd and the agent;
#  - statistics resets by snmpset through the agent, in turn: the global
#    counters, the switchboard's packet counters, its session counters.
# Then everything reconciles exactly: each receiver got every datagram its
# stream sent, byte for byte, and that is what the relay counted relayed
# for the stream; for each counter, the values every reset cleared (the
# agent logs what the kernel returned) plus the final value are the
# totals: relayed = sent less the strangers' packets, drop_source = the
# strangers', every other drop 0, allocations and deletions those of the
# churn.  Every walk and every reset succeeded.  Afterwards the module
# unloads (under the rig's slub_debug) and the kernel logged no report.
# run-all: alone (it unloads the module)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
. "$(dirname "$0")/snmpd.sh"
need_root
need_module

SECS=${SOAK_SECONDS:-60}
IPT=${IPT_BACKENDS[0]}
need_snmp_cmds snmpd snmpbulkwalk snmpset
need_built "$AGENT_BIN"
klog0=$(klog_lines)

section "$IPT: streams, CLI churn, SNMP walks and resets for $SECS s"
topo_up --max-sess 16 --expires-timeout 3600 --resurrection-timeout 0 || { fail "topology"; finish; }
for i in 0 1 2; do
	id=$(alloc --rtp-addr-a 10.1.0.$((i + 2)) --rtp-port-a $((4000 + 100 * i)) \
		--rtp-addr-b 10.2.0.$((i + 2)) --rtp-port-b $((6000 + 100 * i)))
	[ "$id" = $i ] || fail "long-lived session $i: got '$id'"
done
SBID=$(rtpp list $SB --no-session --format json | jget switchboards.0.id)
G_RESET=$RTPP_MIB_OID.1.1.23.0
SB_RESET=$RTPP_MIB_OID.1.2.1.34.$SBID
SB_PKT_RESET=$RTPP_MIB_OID.1.2.1.35.$SBID
SESS_TABLE=$RTPP_MIB_OID.1.3

# Streams: (from, to) with the gate port of the session's RTP or RTCP.
g=$GATE_A
h=$GATE_B
python3 "$LIB_DIR/soak_traffic.py" "$TMPD/traffic" "$TMPD/stop" \
	--stream "$A,10.1.0.2:4000,$g:50000,$B,10.2.0.2:6000,160" \
	--stream "$B,10.2.0.2:6001,$h:50001,$A,10.1.0.2:4001,80" \
	--stream "$B,10.2.0.3:6100,$h:50002,$A,10.1.0.3:4100,172" \
	--stream "$A,10.1.0.3:4101,$g:50003,$B,10.2.0.3:6101,60" \
	--stream "$A,10.1.0.4:4200,$g:50004,$B,10.2.0.4:6200,1200" \
	--stream "$B,10.2.0.4:6201,$h:50005,$A,10.1.0.4:4201,100" \
	--stranger "$A,10.1.0.3:4999,$g:50000,10" &
traffic=$!
at_cleanup "touch $TMPD/stop; kill $traffic"
# (They start now, and are counted whole: the soak begins once the rest is
# up too.)
snmpd_setup "$TMPD/snmp"
snmpd_start || { fail "snmpd does not answer: $(head -5 "$TMPD/snmp/snmpd.log")"; finish; }
agent_start "$R" || { fail "the agent did not register: $(cat "$TMPD/snmp/agent.log")"; finish; }
pass "snmpd and the agent (in the relay's namespace) are up"

poll -t 120 test -e "$TMPD/traffic.ready" || { fail "the streams did not start"; finish; }
end=$(($(date +%s) + SECS))
t_soak=$SECONDS
info "set-up: $t_soak s"

# churn: two sessions allocated, both updated, both deleted, until the end.
# One shell in the relay's namespace: an "ip netns exec" a command would
# cost as much as the command under TCG.
churn() {
	in_ns "$R" bash -s "$end" $SB >"$TMPD/churn" 2>>"$TMPD/errors" <<-'SH'
	end=$1
	shift
	SB=("$@")
	n=0
	while [ "$(date +%s)" -lt "$end" ]; do
		a=$(iptrtpproxy alloc "${SB[@]}" --rtp-addr-a 10.1.0.2 \
			--rtp-port-a $((8000 + 2 * (n % 500))) --rtp-addr-b 10.2.0.2 --rtp-port-b 9000) &&
			b=$(iptrtpproxy alloc "${SB[@]}" --rtp-addr-a 10.1.0.3 --rtp-port-a 8000 \
				--rtp-learning-timeout-b 5000) &&
			iptrtpproxy update "${SB[@]}" --sess-id-lo "$a" --rtp-addr-b 10.2.0.3 --rtp-port-b 9002 &&
			iptrtpproxy update "${SB[@]}" --sess-id-lo "$b" --rtp-addr-b 10.2.0.4 --rtp-port-b 9004 &&
			iptrtpproxy delete "${SB[@]}" --sess-id-lo "$a" &&
			iptrtpproxy delete "${SB[@]}" --sess-id-lo "$b" ||
			{ echo "churn cycle $n failed" >&2; break; }
		n=$((n + 1))
	done
	echo $n
	SH
}

# walks: the whole session table, again and again; each must end cleanly
# and show the three long-lived sessions (their state column).
walks() {
	local n=0 rows
	while [ "$(date +%s)" -lt $end ]; do
		if ! snmpbulkwalk -v2c -c public-ro -t 30 -r 0 -Cr50 -On -Oq "$SNMP_HOST" \
			$SESS_TABLE >"$TMPD/walk" 2>"$TMPD/walk.err"; then
			echo "walk $n: $(head -c 200 "$TMPD/walk.err")" >>"$TMPD/errors"
			return
		fi
		rows=$(grep -cE "^$SESS_TABLE\.1\.2\.$SBID\.[012] " "$TMPD/walk")
		[ "$rows" = 3 ] || echo "walk $n: $rows of the long-lived sessions" >>"$TMPD/errors"
		n=$((n + 1))
	done
	echo $n >"$TMPD/walks"
}

# resets: global, switchboard packets, switchboard sessions, in turn, one
# every two seconds or so.
resets() {
	local n=0 oids=("$G_RESET" "$SB_PKT_RESET" "$SB_RESET") ran=(0 0 0) i
	while [ "$(date +%s)" -lt $end ]; do
		i=$((n % 3))
		snmpset -v2c -c private-rw -t 30 -r 0 "$SNMP_HOST" "${oids[i]}" i 1 >/dev/null \
			2>>"$TMPD/errors" || { echo "reset $n failed" >>"$TMPD/errors"; return; }
		ran[i]=$((ran[i] + 1))
		n=$((n + 1))
		sleep 2
	done
	echo "${ran[*]}" >"$TMPD/resets"
}

: >"$TMPD/errors"
churn &
c=$!
walks &
w=$!
resets &
r=$!
wait $c $w $r
touch "$TMPD/stop"
poll -t 120 test -e "$TMPD/traffic" || { fail "the streams did not end"; finish; }
wait $traffic
info "the soak: $((SECONDS - t_soak)) s"
t_check=$SECONDS

expect "churn, walks and resets without an error" "$(cat "$TMPD/errors")" ""
cycles=$(cat "$TMPD/churn" 2>/dev/null || echo 0)
read -r g_resets p_resets s_resets <"$TMPD/resets"
info "$cycles churn cycles (2 allocations, updates, deletions each), $(cat "$TMPD/walks") walks," \
	"$g_resets + $p_resets + $s_resets resets"
check "the churn ran" test "$cycles" -gt 0
check "the walks ran" test "$(cat "$TMPD/walks")" -gt 0
check "each kind of reset ran" test "$g_resets" -gt 0 -a "$p_resets" -gt 0 -a "$s_resets" -gt 0

# What each reset cleared, summed by kind (g: global, p: the switchboard's
# packets, s: its sessions), from the agent's log.
awk '/reset by SNMP, cleared:/ {
		k = /global statistics reset/ ? "g" : /packet statistics reset/ ? "p" : "s"
		n[k]++
		for (i = 1; i <= NF; i++) if (split($i, kv, "=") == 2) s[k "." kv[1]] += kv[2]
	}
	END { for (k in n) print k ".resets", n[k]; for (x in s) print x, s[x] }' \
	"$TMPD/snmp/agent.log" >"$TMPD/cleared"
# Both files read once: no process a value (each costs under TCG).
declare -A C T
while read -r k v; do C[$k]=$v; done <"$TMPD/cleared"
while read -r k v; do T[$k]=$v; done <"$TMPD/traffic"
cleared() { echo "${C[$1]:-0}"; }
expect "every reset logged what it cleared" \
	"$(cleared g.resets) $(cleared p.resets) $(cleared s.resets)" "$g_resets $p_resets $s_resets"

sent=0
sent_bytes=0
streams=(0.a.rtp 0.b.rtcp 1.b.rtp 1.a.rtcp 2.a.rtp 2.b.rtcp)
paths=()
for st in "${streams[@]}"; do
	p=switchboards.0.sessions.id=${st%%.*}.${st#*.}
	paths+=("$p.packets" "$p.bytes")
done
mapfile -t relayed < <(rtpp list $SB --format json |
	jget "${paths[@]}" switchboards.0.sessions.id=0.a.rtp.errors)
for i in "${!streams[@]}"; do
	s=${T[stream.$i.sent]}
	sb=${T[stream.$i.sent_bytes]}
	sent=$((sent + s))
	sent_bytes=$((sent_bytes + sb))
	expect "stream $i (session ${streams[i]}): received all $s, byte for byte, and nothing else" \
		"${T[stream.$i.received]} ${T[stream.$i.received_bytes]} ${T[stream.$i.bad]}" "$s $sb 0"
	expect "stream $i: the relay counted what the receiver got" \
		"${relayed[2 * i]} ${relayed[2 * i + 1]}" "${T[stream.$i.received]} ${T[stream.$i.received_bytes]}"
done
strangers=${T[stranger.sent]}
expect "the stranger's packets: session 0 a.rtp's errors" "${relayed[12]}" "$strangers"
info "$sent datagrams ($sent_bytes bytes) in the streams, $strangers from the stranger"

names=(packets bytes drop_malformed drop_fragment drop_csum drop_source drop_no_peer
	drop_expired drop_destroyed drop_route drop_bad_source drop_ttl allocs alloc_fails
	expirations deletes)
# A churn cycle allocates two sessions and deletes them.
want=("$sent" "$sent_bytes" 0 0 0 "$strangers" 0 0 0 0 0 0 $((3 + 2 * cycles)) 0 0 $((2 * cycles)))
mapfile -t sbv < <(sbstat "${names[@]}")
mapfile -t gv < <(gstat "${names[@]}")
drops=0
for i in "${!names[@]}"; do
	k=p
	[ $i -lt 12 ] || k=s
	expect "switchboard ${names[i]}: cleared by resets + now = total" \
		$(($(cleared "$k.${names[i]}") + sbv[i])) "${want[i]}"
	expect "global ${names[i]}: cleared by resets + now = total" \
		$(($(cleared "g.${names[i]}") + gv[i])) "${want[i]}"
	case ${names[i]} in drop_*) drops=$((drops + $(cleared "g.${names[i]}") + gv[i])) ;; esac
done
expect "sent = relayed + drops counted (global)" $((sent + strangers)) \
	$(($(cleared g.packets) + gv[0] + drops))

info "reconciled in $((SECONDS - t_check)) s"
section "the module unloads clean"
agent_stop
snmpd_stop
touch "$TMPD/stop"
topo_down
if poll -t 60 rmmod xt_RTPPROXY; then
	pass "rmmod after the soak"
else
	fail "rmmod after the soak: $(grep RTPPROXY /proc/modules)"
fi
reports=$(klog_since "$klog0")
expect "no kernel report since the start" "$reports" ""
modprobe xt_RTPPROXY || fail "modprobe xt_RTPPROXY after the soak"
finish
