#!/bin/bash
# kamailio: a stock Kamailio (Debian's kamailio, its rtpproxy module) in the
# relay's namespace drives iptrtpproxyd over udp:127.0.0.1:22222, with a
# minimal kamailio.cfg made here: rtpproxy_offer("ie") on the INVITE from
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
need_root
need_module
IPT=iptables-legacy
SZ=160
DAEMON="$TOP/rtpproxyd/iptrtpproxyd"
CTL="udp:127.0.0.1:22222"
KMODS=/usr/lib/x86_64-linux-gnu/kamailio/modules

for prog in /usr/sbin/kamailio sipp; do
	command -v "$prog" >/dev/null || { fail "$prog is not installed (tests/install-deps)"; finish; }
done
[ -e "$KMODS/rtpproxy.so" ] || { fail "no $KMODS/rtpproxy.so"; finish; }

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

pidof_file() { cat "$1" 2>/dev/null; }
stop_pidfile() {
	local pid
	pid=$(pidof_file "$1") || return 0
	kill "$pid" 2>/dev/null
	poll sh -c "! kill -0 $pid"
}
at_cleanup 'stop_pidfile $TMPD/kam.pid; stop_pidfile $TMPD/pid'
# SIPp's caller and callee, if still there: the only processes in A and B
at_cleanup 'for n in "${A:-}" "${B:-}"; do [ -n "$n" ] || continue; p=$(ip netns pids "$n" 2>/dev/null); [ -z "$p" ] || kill $p; done'

# ---- the configuration ------------------------------------------------------

mkdir -p "$TMPD/kamrun"
cat >"$TMPD/kamailio.cfg" <<CFG
#!KAMAILIO
debug=2
log_stderror=yes
children=1
disable_tcp=yes
auto_aliases=no
listen=udp:$GATE_A:5060
listen=udp:$GATE_B:5060
mhomed=1

mpath="$KMODS/"
loadmodule "pv.so"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "rtpproxy.so"
modparam("rtpproxy", "rtpproxy_sock", "$CTL")

request_route {
	if (!mf_process_maxfwd_header("10")) {
		sl_send_reply("483", "Too Many Hops");
		exit;
	}
	if (has_totag()) {
		if (loose_route()) {
			if (is_method("BYE|CANCEL"))
				rtpproxy_destroy();
			t_relay();
			exit;
		}
		if (is_method("ACK") && t_check_trans())
			t_relay();
		exit;
	}
	if (is_method("CANCEL")) {
		if (t_check_trans()) {
			rtpproxy_destroy();
			t_relay();
		}
		exit;
	}
	if (is_method("INVITE")) {
		record_route();
		if (has_body("application/sdp"))
			rtpproxy_offer("ie");
		t_on_reply("MEDIA");
	}
	if (!t_relay())
		sl_reply_error();
	exit;
}

onreply_route[MEDIA] {
	if (status =~ "(183)|(2[0-9][0-9])" && has_body("application/sdp"))
		rtpproxy_answer("ei");
}
CFG

# ---- SIPp's caller and callee -----------------------------------------------

cat >"$TMPD/uac.xml" <<'XML'
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="caller">
  <send retrans="500">
    <![CDATA[

      INVITE sip:callee@10.2.0.2:5060 SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:caller@[local_ip]:[local_port]>;tag=caller[call_number]
      To: <sip:callee@10.2.0.2:5060>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:caller@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=caller 1 1 IN IP4 10.1.0.2
      s=-
      c=IN IP4 10.1.0.2
      t=0 0
      m=audio 4000 RTP/AVP 0
      a=rtpmap:0 PCMU/8000

    ]]>
  </send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="200" rtd="true" rrs="true"/>
  <send>
    <![CDATA[

      ACK [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:caller@[local_ip]:[local_port]>;tag=caller[call_number]
      [last_To:]
      Call-ID: [call_id]
      CSeq: 1 ACK
      [routes]
      Contact: <sip:caller@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Length: 0

    ]]>
  </send>
  <!-- hold the call until the scenario says "hang up" (hangup below) -->
  <recv request="INFO"/>
  <send retrans="500">
    <![CDATA[

      BYE [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:caller@[local_ip]:[local_port]>;tag=caller[call_number]
      To: <sip:callee@10.2.0.2:5060>;tag=callee[call_number]
      Call-ID: [call_id]
      CSeq: 2 BYE
      [routes]
      Contact: <sip:caller@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Length: 0

    ]]>
  </send>
  <recv response="200" crlf="true"/>
</scenario>
XML

cat >"$TMPD/uas.xml" <<'XML'
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="callee">
  <recv request="INVITE" crlf="true"/>
  <send>
    <![CDATA[

      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=callee[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      [last_Record-Route:]
      Contact: <sip:callee@[local_ip]:[local_port]>
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=callee 1 1 IN IP4 10.2.0.2
      s=-
      c=IN IP4 10.2.0.2
      t=0 0
      m=audio 6000 RTP/AVP 0
      a=rtpmap:0 PCMU/8000

    ]]>
  </send>
  <recv request="ACK" crlf="true"/>
  <recv request="BYE"/>
  <send>
    <![CDATA[

      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

    ]]>
  </send>
</scenario>
XML

# sdp FILE FIRST_LINE: "c-address m-port" of the first message in SIPp's
# message log FILE whose first line starts with FIRST_LINE.
sdp() {
	awk -v first="$2" '
		/^----------------------------------------------- / { inmsg = 0; next }
		!done && index($0, first) == 1 { inmsg = 1; c = ""; next }
		inmsg && /^c=IN IP4 / { sub(/\r$/, ""); c = $3 }
		inmsg && /^m=audio / { print c, $2; done = 1; inmsg = 0 }' "$1"
}

# hangup: tell SIPp's caller to send its BYE: an INFO of the call, sent to
# it directly (not through Kamailio), which its scenario waits for.
hangup() {
	in_ns "$A" bash -c '
		exec 3<>/dev/udp/10.1.0.2/5060 || exit 1
		printf -v m "%s\r\n" "INFO sip:caller@10.1.0.2:5060 SIP/2.0" \
			"Via: SIP/2.0/UDP 10.1.0.2:5999;branch=z9hG4bKhangup" \
			"From: <sip:callee@10.2.0.2:5060>;tag=callee1" \
			"To: <sip:caller@10.1.0.2:5060>;tag=caller1" \
			"Call-ID: kamcall-1@10.1.0.2" "CSeq: 3 INFO" "Content-Length: 0" ""
		# one write, one datagram (bash flushes its printf at each newline)
		printf "%s" "$m" | dd bs=65536 iflag=fullblock status=none >&3'
}

listening() {	# listening NS ADDR:PORT: a UDP socket is bound there
	in_ns "$1" ss -Hlun "src $2" | grep -q .
}

# ---- the call -----------------------------------------------------------------

topo_up --max-sess 16 --expires-timeout 600 --resurrection-timeout 60 || { fail "topology"; finish; }
section "set up"
in_ns "$R" "$DAEMON" -f -s "$CTL" -S "$TMPD/calls" -p "$TMPD/pid" -d info \
	</dev/null >/dev/null 2>>"$TMPD/daemon.log" &
daemon_up() { test -s "$TMPD/pid" && [ "$(ctl V)" = 20040107 ]; }
check "iptrtpproxyd starts and answers V" poll daemon_up
check "kamailio.cfg parses (kamailio -c)" in_ns "$R" /usr/sbin/kamailio -c -f "$TMPD/kamailio.cfg" -Y "$TMPD/kamrun"
in_ns "$R" /usr/sbin/kamailio -f "$TMPD/kamailio.cfg" -DD -E -m 32 -M 4 -Y "$TMPD/kamrun" \
	-P "$TMPD/kam.pid" </dev/null >/dev/null 2>"$TMPD/kamailio.log" &
check "kamailio listens on both sides" poll -t 60 sh -c \
	"ip netns exec $R ss -Hlun 'src $GATE_A:5060' | grep -q . && ip netns exec $R ss -Hlun 'src $GATE_B:5060' | grep -q ."

(cd "$TMPD" && ip netns exec "$B" sipp -sf uas.xml -i 10.2.0.2 -p 5060 -mi 10.2.0.2 -mp 30000 \
	-m 1 -nostdin -timeout 300s -timeout_error -trace_msg -message_file "$TMPD/uas.msg" \
	-trace_err -error_file "$TMPD/uas.err" </dev/null >"$TMPD/uas.out" 2>&1; echo $? >"$TMPD/uas.rc") &
check "SIPp callee listens in B" poll -t 60 listening "$B" 10.2.0.2:5060
(cd "$TMPD" && ip netns exec "$A" sipp -sf uac.xml -i 10.1.0.2 -p 5060 -mi 10.1.0.2 -mp 30000 \
	-m 1 -cid_str 'kamcall-%u@%s' -nostdin -timeout 300s -timeout_error -trace_msg -message_file "$TMPD/uac.msg" \
	-trace_err -error_file "$TMPD/uac.err" $GATE_A:5060 </dev/null >"$TMPD/uac.out" 2>&1; echo $? >"$TMPD/uac.rc") &
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
check "the caller is told to hang up" hangup
check "SIPp caller ends" poll -t 60 test -s "$TMPD/uac.rc"
expect "the kernel's session is destroyed" "$(sess_cols 0 state)" destroyed
expect "SIPp caller: call successful (exit status)" "$(cat "$TMPD/uac.rc")" 0
check "SIPp callee ends" poll -t 30 test -s "$TMPD/uas.rc"
expect "SIPp callee: call successful (exit status)" "$(cat "$TMPD/uas.rc")" 0
expect "the daemon: no call left" "$(ctl Ib)" "sessions created: 1|active sessions: 0|active streams: 0"

section "the SDP"
expect "INVITE at the callee names gate B and the gate port" "$(sdp "$TMPD/uas.msg" "INVITE ")" "$GATE_B $P"
expect "200 OK at the caller names gate A and the gate port" "$(sdp "$TMPD/uac.msg" "SIP/2.0 200 OK")" "$GATE_A $P"
check "kamailio logged no error" sh -c "! grep -E 'ERROR|CRITICAL|BUG' '$TMPD/kamailio.log'"
if [ "$FAILED" -gt 0 ]; then
	for f in kamailio.log daemon.log uac.out uac.err uas.err uac.msg; do
		info "$f:"
		# SIPp's error file runs its events together; without the
		# watchdog's overload warnings (a slow guest trips it)
		sed 's/\(20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]\t\)/\n\1/g' "$TMPD/$f" 2>/dev/null |
			grep -v 'Overload warning' | tail -n 40 | sed 's/^/        | /'
	done
fi
finish
