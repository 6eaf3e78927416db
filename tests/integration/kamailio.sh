#!/bin/bash
# kamailio: a stock Kamailio (Debian's kamailio, its rtpproxy module) in the
# relay's namespace drives iptrtpproxyd over udp:127.0.0.1:22222, with the
# minimal kamailio.cfg of sip.sh: rtpproxy_offer("ie") on the INVITE from
# A's network, rtpproxy_answer("ei") on its 200 OK, rtpproxy_destroy() on
# the BYE.  SIPp (Debian's sip-tester) places one call from A (uac,
# 10.1.0.2, media 10.1.0.2:4000) to B (uas, 10.2.0.2, media 10.2.0.2:6000)
# through Kamailio.  While the call is up, the kernel holds the session with
# both clients and RTP sent each way to the gates arrives from the gates
# with exact counts and the daemon's Q counts it.  The caller holds the call
# until the scenario sends it an INFO of the call (directly, not through
# Kamailio); then its BYE, through Kamailio, destroys the session and the
# daemon has no call left.  Afterwards the SDP the
# callee received names gate B, the SDP in the 200 OK the caller received
# names gate A, both with the session's gate port.  One iptables backend:
# neither Kamailio nor the daemon sees it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
. "$(dirname "$0")/sip.sh"
need_root
need_module
IPT=iptables-legacy
SZ=160
DAEMON="$TOP/rtpproxyd/iptrtpproxyd"
CTL="udp:127.0.0.1:22222"

sip_need

ctl() {	# ctl COMMAND: the daemon's reply over udp:, cookie checked and cut
	in_ns "$R" bash -c '
		exec 3<>/dev/udp/127.0.0.1/22222 || exit 1
		printf "k1 %s" "$1" >&3
		r=$(timeout 5 dd bs=65536 count=1 status=none <&3) || exit 1
		case $r in "k1 "*) ;; *) exit 1;; esac
		printf "%s\n" "${r#k1 }" | paste -sd "|"' ctl "$1"
}

FLOWS=0
flow() {	# as in rtpproxyd.sh
	local desc=$1 from=$2 src=$3 dst=$4 to=$5 bind=$6 want=$7 n=$8 tag=flow$((FLOWS += 1)) r
	recv "$to" "$bind" $tag --count "$n" --timeout 60
	send "$from" "$src" "$dst" "$n" $SZ
	r=$(got $tag "$want")
	expect "$desc: $n datagrams from $want" "$r" "$n $n $((n * SZ))"
}

at_cleanup 'stop_pidfile $TMPD/pid'

# ---- the configuration and SIPp's scenarios ---------------------------------

sip_kamailio_cfg "modparam(\"rtpproxy\", \"rtpproxy_sock\", \"$CTL\")"
sip_scenarios

# sdp FILE FIRST_LINE: "c-address m-port" of the first message in SIPp's
# message log FILE whose first line starts with FIRST_LINE.
sdp() {
	awk -v first="$2" '
		/^----------------------------------------------- / { inmsg = 0; next }
		!done && index($0, first) == 1 { inmsg = 1; c = ""; next }
		inmsg && /^c=IN IP4 / { sub(/\r$/, ""); c = $3 }
		inmsg && /^m=audio / { print c, $2; done = 1; inmsg = 0 }' "$1"
}

# ---- the call -----------------------------------------------------------------

topo_up --max-sess 16 --expires-timeout 600 --resurrection-timeout 60 || { fail "topology"; finish; }
section "set up"
in_ns "$R" "$DAEMON" -f -s "$CTL" -S "$TMPD/calls" -p "$TMPD/pid" -d info \
	</dev/null >/dev/null 2>>"$TMPD/daemon.log" &
daemon_up() { test -s "$TMPD/pid" && [ "$(ctl V)" = 20040107 ]; }
check "iptrtpproxyd starts and answers V" poll daemon_up
sip_kamailio_start "$R"
sip_uas "$B" 1
sip_uac "$A" kamcall 1
t0=$(date +%s)

section "the call is up"
both() { [ "$(sess_cols 0 a_rtp_addr a_rtp_port b_rtp_addr b_rtp_port)" = "10.1.0.2 4000 10.2.0.2 6000" ]; }
check "the kernel's session 0 has both clients (offer and answer came)" poll -t 60 both
expect "the kernel's session: both clients" \
	"$(sess_cols 0 a_rtp_addr a_rtp_port b_rtp_addr b_rtp_port)" "10.1.0.2 4000 10.2.0.2 6000"
P=$(gate_port 0)
flow "RTP caller->callee" "$A" 10.1.0.2:4000 $GATE_A:$P "$B" 10.2.0.2:6000 $GATE_B:$P 40
flow "RTP callee->caller" "$B" 10.2.0.2:6000 $GATE_B:$P "$A" 10.1.0.2:4000 $GATE_A:$P 30
expect "the daemon's Q of the call: from caller, from callee, relayed, dropped" \
	"$(ctl "Q kamcall-1@10.1.0.2 caller1 callee1" | cut -d' ' -f2-)" "40 30 70 0"
# (learning until its learning window ends, then active: it depends on
# how long this slow guest took)
st=$(sess_cols 0 state)
check "session up before the BYE ($st)" test "$st" = learning -o "$st" = active
info "the call was up for $(($(date +%s) - t0)) s of checks"

section "the BYE"
check "the caller is told to hang up" sip_hangup "$A" kamcall 1
check "SIPp caller ends" poll -t 60 test -s "$TMPD/kamcall.rc"
expect "the kernel's session is destroyed" "$(sess_cols 0 state)" destroyed
expect "SIPp caller: call successful (exit status)" "$(cat "$TMPD/kamcall.rc")" 0
check "SIPp callee ends" poll -t 30 test -s "$TMPD/uas.rc"
expect "SIPp callee: call successful (exit status)" "$(cat "$TMPD/uas.rc")" 0
expect "the daemon: no call left" "$(ctl Ib)" "sessions created: 1|active sessions: 0|active streams: 0"

section "the SDP"
expect "INVITE at the callee names gate B and the gate port" "$(sdp "$TMPD/uas.msg" "INVITE ")" "$GATE_B $P"
expect "200 OK at the caller names gate A and the gate port" "$(sdp "$TMPD/kamcall.msg" "SIP/2.0 200 OK")" "$GATE_A $P"
check "kamailio logged no error" sh -c "! grep -E 'ERROR|CRITICAL|BUG' '$TMPD/kamailio.log'"
[ "$FAILED" -eq 0 ] || sip_show_logs kamailio.log daemon.log kamcall.out kamcall.err uas.err kamcall.msg
finish
