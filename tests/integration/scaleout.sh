#!/bin/bash
# scaleout: two iptrtpproxy hosts in one Kamailio relay set.  Two relay
# namespaces X1 and X2, each with its own switchboard rule and its own
# iptrtpproxyd (udp:10.8.N.2:22222); a stock Kamailio (Debian's, its
# rtpproxy module) in R lists both in one set, with equal weights.  SIPp
# (Debian's sip-tester) places 20 calls from A (10.1.0.2) to B (10.2.0.2)
# through Kamailio and holds them: the kernel sessions with both parties,
# counted in each relay, add up to exactly 20, each relay has some, each
# daemon's I counts as many as its kernel, and every callee's SDP names the
# gate B of the relay that holds its call.  The 20 BYEs free them all.
# Then X2's daemon stops: Kamailio finds it does not answer, marks it down
# (small rtpproxy_tout/rtpproxy_retr) and the 5 calls that follow all go
# through X1, exactly 5 more there and none in X2.
#
#   A va 10.1.0.2 ---- ra 10.1.0.1  R (Kamailio)  rb 10.2.0.1 ---- vb 10.2.0.2 B
#                      r1 10.8.1.1   r2 10.8.2.1
#                       |             |
#     X1 x1 10.8.1.2, gates A 10.11.0.1  B 10.12.0.1 (lo), daemon on x1
#     X2 x2 10.8.2.2, gates A 10.21.0.1  B 10.22.0.1 (lo), daemon on x2
#
# No media is sent: kamailio.sh relays a call's RTP; this shows the set.
# One iptables backend: neither Kamailio nor the daemons see it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
. "$(dirname "$0")/sip.sh"
need_root
need_module
IPT=iptables-legacy
DAEMON="$TOP/rtpproxyd/iptrtpproxyd"
CALLS=20
AFTER=5

sip_need
at_cleanup 'stop_pidfile $TMPD/pid1; stop_pidfile $TMPD/pid2'

# ---- the topology -----------------------------------------------------------

topo_links

X=()	# X[N]: relay N's namespace
# the relays' raw-table rules go first, and their switchboards with them
# (lib.sh's cleanup flushes mangle only)
at_cleanup 'for x in "${X[@]}"; do ip netns exec "$x" iptables-legacy -t raw -F; ip netns exec "$x" iptables-legacy -t raw -X; done'
# relay_up N: namespace XN on a link to R (10.8.N.0/24), its gates on its
# lo, the README's raw-table rules, its daemon on its link's address.
relay_up() {
	local n=$1 x ga=10.${1}1.0.1 gb=10.${1}2.0.1 chain
	ns_new relay$n; x=$NS
	X[n]=$x
	ip link add r$n netns "$R" type veth peer name x$n netns "$x"
	ip -n "$R" addr add 10.8.$n.1/24 dev r$n
	ip -n "$x" addr add 10.8.$n.2/24 dev x$n
	ip -n "$x" addr add $ga/32 dev lo
	ip -n "$x" addr add $gb/32 dev lo
	ip -n "$R" link set r$n up
	ip -n "$x" link set x$n up
	ipt "$x" -t raw -N rtpp || return 1
	ipt "$x" -t raw -A rtpp -j RTPPROXY --addr-a $ga --port-a $PORT \
		--addr-b $gb --port-b $PORT --max-sess 32 --expires-timeout 600 || return 1
	for chain in PREROUTING OUTPUT; do
		ipt "$x" -t raw -A $chain -p udp -d $ga,$gb -j rtpp || return 1
	done
	in_ns "$x" "$DAEMON" -f -s udp:10.8.$n.2:22222 -S "$TMPD/calls$n" -p "$TMPD/pid$n" -d info \
		</dev/null >/dev/null 2>>"$TMPD/daemon$n.log" &
}

# ctl N COMMAND: daemon N's reply, from its namespace, cookie checked and
# cut, lines joined with "|".
ctl() {
	in_ns "${X[$1]}" bash -c '
		exec 3<>/dev/udp/10.8.$1.2/22222 || exit 1
		printf "k1 %s" "$2" >&3
		r=$(timeout 5 dd bs=65536 count=1 status=none <&3) || exit 1
		case $r in "k1 "*) ;; *) exit 1;; esac
		printf "%s\n" "${r#k1 }" | paste -sd "|"' ctl "$1" "$2"
}
daemon_up() { test -s "$TMPD/pid$1" && [ "$(ctl "$1" V)" = 20040107 ]; }

# calls N: the kernel's sessions in relay N that hold both parties (the
# offer's caller on side A, the answer's callee on side B), not destroyed.
calls() {
	in_ns "${X[$1]}" iptrtpproxy list --format tab | awk -F'\t' '
		$1 == "sb_id" { for (i = 1; i <= NF; i++) c[$i] = i; next }
		("state" in c) && ($c["state"] == "learning" || $c["state"] == "active") &&
			$c["a_rtp_addr"] == "10.1.0.2" && $c["b_rtp_addr"] == "10.2.0.2" { n++ }
		END { print n + 0 }'
}
total_is() { [ $(($(calls 1) + $(calls 2))) = "$1" ]; }
# daemon_i N: "created active" of daemon N's I
daemon_i() {
	ctl "$1" Ib | awk -F'|' '{ split($1, c, ": "); split($2, a, ": "); print c[2], a[2] }'
}

# ---- the configuration: one set, two relays of equal weight; a relay that
# has not answered for 2 x 1 s is down, and stays down ---------------------

sip_kamailio_cfg 'modparam("rtpproxy", "rtpproxy_sock", "udp:10.8.1.2:22222=1 udp:10.8.2.2:22222=1")
modparam("rtpproxy", "rtpproxy_tout", 1)
modparam("rtpproxy", "rtpproxy_retr", 2)
modparam("rtpproxy", "rtpproxy_disable_tout", 3600)'
sip_scenarios

# gate_b_calls ADDR: the Call-IDs of the INVITEs the callee received whose
# SDP names ADDR (retransmissions counted once).
gate_b_calls() {
	awk -v want="$1" '
		/^----------------------------------------------- / { inv = 0; next }
		index($0, "INVITE ") == 1 { inv = 1; id = ""; next }
		inv && /^Call-ID:/ { sub(/\r$/, ""); id = $2 }
		inv && /^c=IN IP4 / { sub(/\r$/, ""); if ($3 == want) seen[id] = 1; inv = 0 }
		END { n = 0; for (k in seen) n++; print n }' "$TMPD/uas.msg"
}

# ---- the relays and the proxy -----------------------------------------------

section "set up"
for n in 1 2; do
	# not through check: its subshell would lose X and the namespaces
	if relay_up $n; then pass "relay $n: namespace, switchboard, daemon started"; else fail "relay $n"; finish; fi
done
check "daemon 1 answers V" poll -t 60 daemon_up 1
check "daemon 2 answers V" poll -t 60 daemon_up 2
sip_kamailio_start "$R"
sip_uas "$B" $((CALLS + AFTER))

section "$CALLS calls over both relays"
sip_uac "$A" spread $CALLS
check "$CALLS calls up: kernel sessions with both parties in the two relays" poll -t 300 total_is $CALLS
n1=$(calls 1) n2=$(calls 2)
info "relay 1 holds $n1 calls, relay 2 $n2"
expect "calls in relay 1 + relay 2" $((n1 + n2)) $CALLS
check "relay 1 got some ($n1)" test "$n1" -gt 0
check "relay 2 got some ($n2)" test "$n2" -gt 0
expect "daemon 1's I: created, active" "$(daemon_i 1)" "$n1 $n1"
expect "daemon 2's I: created, active" "$(daemon_i 2)" "$n2 $n2"
expect "callee SDPs naming relay 1's gate B" "$(gate_b_calls 10.12.0.1)" "$n1"
expect "callee SDPs naming relay 2's gate B" "$(gate_b_calls 10.22.0.1)" "$n2"

section "the $CALLS BYEs"
check "the caller is told to hang up" sip_hangup "$A" spread $CALLS
check "SIPp caller ends" poll -t 180 test -s "$TMPD/spread.rc"
expect "SIPp caller: all calls successful (exit status)" "$(cat "$TMPD/spread.rc")" 0
check "no call left in either relay's kernel" poll -t 60 total_is 0
expect "daemon 1's I: created, active" "$(daemon_i 1)" "$n1 0"
expect "daemon 2's I: created, active" "$(daemon_i 2)" "$n2 0"
check "kamailio logged no error so far" sh -c "! grep -E 'ERROR|CRITICAL|BUG' '$TMPD/kamailio.log'"
before=$(wc -l <"$TMPD/kamailio.log")

section "relay 2's daemon stops; $AFTER more calls"
check "daemon 2 stops" stop_pidfile "$TMPD/pid2"
sip_uac "$A" after $AFTER
check "$AFTER calls up" poll -t 300 total_is $AFTER
expect "calls in relay 1" "$(calls 1)" $AFTER
expect "calls in relay 2" "$(calls 2)" 0
expect "daemon 1's I: created, active" "$(daemon_i 1)" "$((n1 + AFTER)) $AFTER"
expect "callee SDPs naming relay 1's gate B, in all" "$(gate_b_calls 10.12.0.1)" $((n1 + AFTER))
expect "callee SDPs naming relay 2's gate B, in all" "$(gate_b_calls 10.22.0.1)" "$n2"
check "kamailio marked relay 2 down" grep -q 'proxy <udp:10.8.2.2:22222> does not respond, disable it' "$TMPD/kamailio.log"
check_not "kamailio never marked relay 1 down" grep -q 'udp:10.8.1.2:22222> does not respond' "$TMPD/kamailio.log"
check "hang up" sip_hangup "$A" after $AFTER
check "SIPp caller ends" poll -t 180 test -s "$TMPD/after.rc"
expect "SIPp caller: all calls successful (exit status)" "$(cat "$TMPD/after.rc")" 0
check "no call left in relay 1's kernel" poll -t 60 total_is 0
expect "daemon 1's I: created, active" "$(daemon_i 1)" "$((n1 + AFTER)) 0"
check "SIPp callee ends" poll -t 60 test -s "$TMPD/uas.rc"
expect "SIPp callee: all $((CALLS + AFTER)) calls successful (exit status)" "$(cat "$TMPD/uas.rc")" 0
# after relay 2 went down: its time-outs, and nothing else
check "kamailio logged no other error" sh -c "tail -n +$((before + 1)) '$TMPD/kamailio.log' |
	grep -E 'ERROR|CRITICAL|BUG' | grep -v -e 'RTP proxy' -e 'does not respond, disable it' | { ! grep .; }"
[ "$FAILED" -eq 0 ] ||
	sip_show_logs kamailio.log daemon1.log daemon2.log spread.out spread.err after.out after.err uas.err
finish
