# shellcheck shell=bash
# tests/integration/sip.sh: a stock Kamailio and SIPp for the scenarios that
# drive iptrtpproxyd as a SIP proxy does (kamailio.sh, scaleout.sh).
# Sourced after lib.sh; uses $TMPD.
#
# Kamailio (Debian's kamailio, its rtpproxy module) runs in the namespace
# that has 10.1.0.1 (A's network) and 10.2.0.1 (B's): rtpproxy_offer("ie")
# on an INVITE from A, rtpproxy_answer("ei") on its 183/2xx,
# rtpproxy_destroy() on the BYE.  SIPp (Debian's sip-tester) is the caller
# in A (10.1.0.2, media 10.1.0.2:4000) and the callee in B (10.2.0.2,
# media 10.2.0.2:6000).  The caller holds each call until the scenario
# sends it an INFO of that call (sip_hangup), then sends the BYE.

KMODS=/usr/lib/x86_64-linux-gnu/kamailio/modules

# sip_need: Kamailio, its rtpproxy module and SIPp are installed.
sip_need() {
	local prog
	for prog in /usr/sbin/kamailio sipp; do
		command -v "$prog" >/dev/null || { fail "$prog is not installed (tests/install-deps)"; finish; }
	done
	[ -e "$KMODS/rtpproxy.so" ] || { fail "no $KMODS/rtpproxy.so"; finish; }
}

# stop_pidfile FILE: end the process whose id FILE holds, and wait for it.
stop_pidfile() {
	local pid
	pid=$(cat "$1" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null
	poll sh -c "! kill -0 $pid"
}

# sip_kamailio_cfg MODPARAM_LINES: $TMPD/kamailio.cfg, with the rtpproxy
# module's parameters given (its relay set: rtpproxy_sock).
sip_kamailio_cfg() {
	mkdir -p "$TMPD/kamrun"
	cat >"$TMPD/kamailio.cfg" <<CFG
#!KAMAILIO
debug=2
log_stderror=yes
children=1
disable_tcp=yes
auto_aliases=no
listen=udp:10.1.0.1:5060
listen=udp:10.2.0.1:5060
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
$1

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
	# an INVITE retransmitted while the worker waited for a relay: the
	# transaction answers it, no second offer
	if (t_check_trans())
		exit;
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
}

# sip_kamailio_start NS: check the configuration, start Kamailio in NS
# (its log in $TMPD/kamailio.log, its pid in $TMPD/kam.pid), and wait
# until it listens on both sides.
sip_kamailio_start() {
	check "kamailio.cfg parses (kamailio -c)" in_ns "$1" /usr/sbin/kamailio -c -f "$TMPD/kamailio.cfg" -Y "$TMPD/kamrun"
	in_ns "$1" /usr/sbin/kamailio -f "$TMPD/kamailio.cfg" -DD -E -m 32 -M 4 -Y "$TMPD/kamrun" \
		-P "$TMPD/kam.pid" </dev/null >/dev/null 2>"$TMPD/kamailio.log" &
	check "kamailio listens on both sides" poll -t 60 sh -c \
		"ip netns exec $1 ss -Hlun 'src 10.1.0.1:5060' | grep -q . && ip netns exec $1 ss -Hlun 'src 10.2.0.1:5060' | grep -q ."
}

# sip_scenarios: SIPp's caller ($TMPD/uac.xml) and callee ($TMPD/uas.xml).
sip_scenarios() {
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
  <!-- the callee's To, for the BYE: the last message before it is the INFO -->
  <recv response="200" rtd="true" rrs="true">
    <action>
      <ereg regexp=".*" search_in="hdr" header="To:" check_it="true" assign_to="to"/>
    </action>
  </recv>
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
  <!-- hold the call until the scenario says "hang up" (sip_hangup) -->
  <recv request="INFO"/>
  <send retrans="500">
    <![CDATA[

      BYE [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:caller@[local_ip]:[local_port]>;tag=caller[call_number]
      To: [$to]
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
}

sip_listening() {	# sip_listening NS ADDR:PORT: a UDP socket is bound there
	in_ns "$1" ss -Hlun "src $2" | grep -q .
}

# sip_uas NS CALLS: SIPp's callee in NS, for CALLS calls, logging the
# messages to $TMPD/uas.msg, its exit status to $TMPD/uas.rc; waits until
# it listens.
sip_uas() {
	(cd "$TMPD" && ip netns exec "$1" sipp -sf uas.xml -i 10.2.0.2 -p 5060 -mi 10.2.0.2 -mp 30000 \
		-m "$2" -nostdin -timeout 600s -timeout_error -trace_msg -message_file "$TMPD/uas.msg" \
		-trace_err -error_file "$TMPD/uas.err" </dev/null >"$TMPD/uas.out" 2>&1
	 echo $? >"$TMPD/uas.rc") &
	check "SIPp callee listens in B" poll -t 60 sip_listening "$1" 10.2.0.2:5060
}

# sip_uac NS PREFIX CALLS: SIPp's caller in NS places CALLS calls through
# Kamailio, at most CALLS at once, Call-IDs PREFIX-1@10.1.0.2 ..., logging
# the messages to $TMPD/PREFIX.msg, its exit status to $TMPD/PREFIX.rc.
sip_uac() {
	(cd "$TMPD" && ip netns exec "$1" sipp -sf uac.xml -i 10.1.0.2 -p 5060 -mi 10.1.0.2 -mp 30000 \
		-m "$3" -l "$3" -r 10 -cid_str "$2-%u@%s" -nostdin -timeout 400s -timeout_error \
		-trace_msg -message_file "$TMPD/$2.msg" -trace_err -error_file "$TMPD/$2.err" \
		10.1.0.1:5060 </dev/null >"$TMPD/$2.out" 2>&1
	 echo $? >"$TMPD/$2.rc") &
}

# sip_hangup NS PREFIX CALLS: tell SIPp's caller in NS to end calls
# PREFIX-1 .. PREFIX-CALLS (SIPp's call numbers 1..CALLS): an INFO of each,
# sent to it directly (not through Kamailio), one datagram each.
sip_hangup() {
	in_ns "$1" bash -c '
		exec 3<>/dev/udp/10.1.0.2/5060 || exit 1
		for ((i = 1; i <= $2; i++)); do
			printf -v m "%s\r\n" "INFO sip:caller@10.1.0.2:5060 SIP/2.0" \
				"Via: SIP/2.0/UDP 10.1.0.2:5999;branch=z9hG4bKhangup$1$i" \
				"From: <sip:callee@10.2.0.2:5060>;tag=callee$i" \
				"To: <sip:caller@10.1.0.2:5060>;tag=caller$i" \
				"Call-ID: $1-$i@10.1.0.2" "CSeq: 3 INFO" "Content-Length: 0" ""
			# one write, one datagram (bash flushes its printf at each newline)
			printf "%s" "$m" | dd bs=65536 iflag=fullblock status=none >&3 || exit 1
		done' hangup "$2" "$3"
}

# sip_show_logs NAME...: the tails of $TMPD/NAME, for a failed scenario.
sip_show_logs() {
	local f
	for f; do
		info "$f:"
		# SIPp's error file runs its events together; without the
		# watchdog's overload warnings (a slow guest trips it)
		sed 's/\(20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]\t\)/\n\1/g' "$TMPD/$f" 2>/dev/null |
			grep -v 'Overload warning' | tail -n 30 | sed 's/^/        | /'
	done
}

# At the end: Kamailio, and SIPp's caller and callee if still there (the
# only processes in the namespaces $A and $B).
at_cleanup 'stop_pidfile $TMPD/kam.pid'
at_cleanup 'for n in "${A:-}" "${B:-}"; do [ -n "$n" ] || continue; p=$(ip netns pids "$n" 2>/dev/null); [ -z "$p" ] || kill $p; done'
