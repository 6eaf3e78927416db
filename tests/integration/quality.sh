#!/bin/bash
# quality: call quality measured by the relay (kmod/quality.c), as the CLI
# shows it.  Side A sends crafted PCMU (rtpq.py): a first source of 201
# sequence numbers across the wrap at 65535, every 10th left out (20 lost),
# 5 pairs swapped (5 out of order), 3 packets sent twice (3 duplicates);
# then a new SSRC with 50 packets in sequence (1 SSRC change, 251
# expected); then 2 datagrams shorter than an RTP header (2 not RTP).  The
# timestamps are set so that the jitter is well above 0; the scenario works
# out the value the relay must show from the arrival times a packet socket
# on the relay's interface sees, and the CLI's must be within 1 timestamp
# unit of it.  Side B's endpoint sends 3 RRs about A's stream and 1
# malformed one, A's one SR: the reported figures and counts, exactly.  The
# switchboard's and info's totals add up its RTP streams.  A session
# allocated with the module parameter quality off shows none of it.
# Tab and JSON listings both, and rtppStreamTable over SNMP (snmpd and the
# agent in the relay's namespace), the same figures; rtppStreamLoss at a
# threshold of 10% while A's stream goes on losing 30%: once, and once
# more after a loss-free stretch.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
. "$(dirname "$0")/snmpd.sh"
need_root
need_module

IPT=${IPT_BACKENDS[0]}
PARAM=/sys/module/xt_RTPPROXY/parameters/quality
RTPQ="$LIB_DIR/rtpq.py"
SSRC2=$((0x5678EF01))

section "quality tracking, $IPT"
expect "parameter quality on by default" "$(cat $PARAM)" Y
topo_up --max-sess 4 --expires-timeout 3600 || { fail "topology"; finish; }
id=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4000 \
	--rtp-addr-b 10.2.0.2 --rtp-port-b 6000)
expect "session id" "$id" 0

# Packets are time-stamped where they are processed, right before the
# packet socket's tap and the relay's hook, not when a veth queued them
# (how long they wait there varies a lot in a busy guest).
prequeue=$(sysctl -n net.core.netdev_tstamp_prequeue)
at_cleanup "sysctl -qw net.core.netdev_tstamp_prequeue=$prequeue"
sysctl -qw net.core.netdev_tstamp_prequeue=0
rm -f "$TMPD/cap" "$TMPD/cap.ready"
in_ns "$R" python3 "$RTPQ" capture ra $GATE_A:$(gate_port 0) 236 "$TMPD/cap" &
poll test -e "$TMPD/cap.ready" || fail "capture ready"
in_ns "$A" python3 "$RTPQ" rtp 10.1.0.2:4000 $GATE_A:$(gate_port 0)
poll -t 120 test -e "$TMPD/cap" || fail "capture of 236 datagrams"
want_jitter=$(awk '$1 == "jitter" { print $2 }' "$TMPD/cap")
info "jitter worked out from the arrival times: $want_jitter"
check "a jitter to measure (> 20 ticks)" test "${want_jitter:-0}" -gt 20

in_ns "$B" python3 "$RTPQ" rtcp 10.2.0.2:6001 $GATE_B:$(gate_port 0 1) rr rr bad rr
in_ns "$A" python3 "$RTPQ" rtcp 10.1.0.2:4001 $GATE_A:$(gate_port 0 1) sr
poll -t 60 eval '[ "$(sess 0 b.rtcp.packets a.rtcp.packets | xargs)" = "4 1" ]' ||
	fail "RTCP relayed"

# Tab.
expect "tab: A's RTP expected, lost, out of order, duplicates" \
	"$(sess_cols 0 a_rtp_expected a_rtp_lost a_rtp_lost_pct a_rtp_out_of_order a_rtp_duplicates)" \
	"251 20 7.97 5 3"
expect "tab: SSRC, payload type, SSRC changes, highest seq, not RTP" \
	"$(sess_cols 0 a_rtp_ssrc a_rtp_pt a_rtp_ssrc_changes a_rtp_ext_max_seq a_rtp_not_rtp)" \
	"$SSRC2 0 1 5049 2"
expect "tab: A's RTP packets relayed" "$(sess_cols 0 a_rtp_packets a_rtp_errors)" "236 0"
read -r jts jus <<<"$(sess_cols 0 a_rtp_jitter_ts a_rtp_jitter_us)"
info "jitter shown: $jts ts, $jus us"
check "tab: jitter $jts within 1 of $want_jitter" \
	test $((jts - want_jitter)) -le 1 -a $((want_jitter - jts)) -le 1
expect "tab: jitter in us is its ticks at 8 kHz" "$jus" $((jts * 1000000 / 8000))
expect "tab: B's RTCP reports" \
	"$(sess_cols 0 b_rtcp_reports b_rtcp_malformed b_rtcp_fraction_lost b_rtcp_fraction_lost_pct b_rtcp_cum_lost b_rtcp_reported_jitter_ts)" \
	"3 1 25 9.77 20 77"
expect "tab: A's RTCP reports (first block, negative cumulative)" \
	"$(sess_cols 0 a_rtcp_reports a_rtcp_malformed a_rtcp_fraction_lost a_rtcp_cum_lost a_rtcp_reported_jitter_ts)" \
	"1 0 10 -1 3"
expect "tab: B sent no RTP" \
	"$(sess_cols 0 b_rtp_ssrc b_rtp_expected b_rtp_lost b_rtp_lost_pct b_rtp_jitter_ts)" \
	"- 0 0 - -"

# JSON: one listing, every path at once (python starts slowly in a guest).
q=a.rtp.quality r=b.rtcp.quality
mapfile -t J < <(sess 0 $q.expected $q.lost $q.lost_pct $q.out_of_order \
	$q.duplicates $q.ssrc_changes $q.not_rtp $q.ssrc $q.pt $q.ext_max_seq \
	$q.clock_rate $q.jitter_ts $q.jitter_us $r.reports $r.malformed \
	$r.fraction_lost $r.cum_lost $r.reported_jitter_ts a.rtcp.quality.cum_lost)
expect "json: A's RTP" "${J[*]:0:11}" "251 20 7.97 5 3 1 2 $SSRC2 0 5049 8000"
expect "json: jitter as in tab" "${J[*]:11:2}" "$jts $jus"
expect "json: B's RTCP" "${J[*]:13:5}" "3 1 25 20 77"
expect "json: A's SR" "${J[18]}" "-1"

# Totals: the switchboard's (its only session's RTP streams: A's; B sent no
# RTP, so it is not one) and info's (the namespace's only switchboard).
t=quality
mapfile -t T < <(rtpp list $SB --no-session --format json | jget switchboards.0.$t.streams \
	switchboards.0.$t.expected switchboards.0.$t.lost switchboards.0.$t.lost_pct \
	switchboards.0.$t.out_of_order switchboards.0.$t.duplicates \
	switchboards.0.$t.not_rtp switchboards.0.$t.jitter_us_max)
expect "json: switchboard totals" "${T[*]}" "1 251 20 7.97 5 3 2 $jus"
mapfile -t T < <(rtpp info --format json | jget $t.streams $t.expected $t.lost \
	$t.out_of_order $t.duplicates $t.not_rtp $t.jitter_us_max)
expect "json: info totals" "${T[*]}" "1 251 20 5 3 2 $jus"
totals="1 RTP stream: lost 20/251 (7.97%), 5 out of order, 3 dup, worst jitter $jus us, 2 not RTP"
rtpp info >"$TMPD/text"
check "info: totals" grep -qxF "quality        $totals" "$TMPD/text"
rtpp list $SB >"$TMPD/text"
check "list: switchboard totals" grep -qxF "  quality        $totals" "$TMPD/text"

# Text: list -v says it under the stream.
rtpp list $SB -v >"$TMPD/text" 2>/dev/null
check "list -v: loss and jitter" grep -q "lost 20/251 (7.97%), jitter $jts ts ($jus us), 5 out of order, 3 dup" "$TMPD/text"
check "list -v: reports" grep -q "reports 3: fraction lost 9.77%, cumulative 20, jitter 77 ts, 1 malformed" "$TMPD/text"
rtpp list $SB >"$TMPD/text"
check_not "list without -v: no quality line under the streams" grep -q "lost 20/251 (7.97%), jitter" "$TMPD/text"

# SNMP: rtppStreamTable's quality columns (14 .. 30) of A's RTP and B's
# RTCP, by number (the IETF modules the MIB imports may be missing).
snmpd_setup "$TMPD/snmp"
printf 'disableAuthorization yes\nformat2 TRAP %%v\\n\n' >"$TMPD/snmp/snmptrapd.conf"
snmptrapd -f -C -c "$TMPD/snmp/snmptrapd.conf" -Lf "$TMPD/snmp/trap.log" -n -On \
	-p "$TMPD/snmp/snmptrapd.pid" udp:127.0.0.1:$TRAP_PORT &
TRAPD=$!
at_cleanup "kill $TRAPD 2>/dev/null"
poll -t 30 grep -q 'NET-SNMP version' "$TMPD/snmp/trap.log" || fail "snmptrapd started"
snmpd_start || fail "snmpd started"
AGENT_DEBUG=rtppa:cache,rtppa:loss agent_start "$R" || fail "agent registered"
sb=$(rtpp list $SB --no-session --format json | jget switchboards.0.id)
# stream_cols SIDE TYPE: columns 14 .. 30 of the stream (a/rtp = 1, b/rtcp = 2).
stream_cols() {
	local c oids=()
	for c in $(seq 14 30); do oids+=("$RTPP_MIB_OID.1.4.1.$c.$sb.0.$1.$2"); done
	snmp snmpget -OqveU "$SNMP_HOST" "${oids[@]}" | xargs
}
expect "SNMP: A's RTP" "$(stream_cols 1 1)" \
	"1 2 $SSRC2 0 1 5049 251 20 5 3 $jts $jus 0 0 0 0 0"
expect "SNMP: B's RTCP" "$(stream_cols 2 2)" \
	"1 0 0 -1 0 0 0 0 0 0 0 0 3 1 25 20 77"
expect "SNMP: A's RTCP (negative cumulative)" "$(stream_cols 1 2 | cut -d' ' -f13-)" \
	"1 0 10 -1 3"

# rtppStreamLoss: off by default; at 10%, a stream losing 30% is told
# once, however long it goes on; after a period without loss, again.
THRESHOLD=$RTPP_MIB_OID.1.1.26.0
LOSS_TRAP=$RTPP_MIB_OID.0.5
expect "SNMP: loss threshold 0 by default" "$(snmp snmpget -OqveU "$SNMP_HOST" $THRESHOLD)" 0
check_not "SNMP: threshold 101 refused" \
	snmpset -v2c -c private-rw -t 5 -r 1 "$SNMP_HOST" $THRESHOLD u 101
check "SNMP: threshold set to 10" \
	snmpset -v2c -c private-rw -t 5 -r 1 "$SNMP_HOST" $THRESHOLD u 10
expect "SNMP: threshold reads 10" "$(snmp snmpget -OqveU "$SNMP_HOST" $THRESHOLD)" 10
# loss_traps: rtppStreamLoss notifications snmptrapd logged.
loss_traps() { grep -c "= OID: $LOSS_TRAP\b" "$TMPD/snmp/trap.log"; }
# periods: the agent's loss periods so far (its debug log).
periods() { grep -c 'rtppa:loss: period' "$TMPD/snmp/agent.log"; }
# two_periods: wait until two more periods have passed.
two_periods() {
	local n
	n=$(periods)
	poll -t 60 eval '[ "$(periods)" -ge $((n + 2)) ]'
}
echo lossy >"$TMPD/mode"
in_ns "$A" python3 "$RTPQ" live 10.1.0.2:4000 $GATE_A:$(gate_port 0) "$TMPD/mode" &
LIVE=$!
at_cleanup "echo stop >$TMPD/mode"
poll -t 90 eval '[ "$(loss_traps)" -ge 1 ]' || fail "rtppStreamLoss heard"
two_periods || fail "two more loss periods"
expect "SNMP: rtppStreamLoss once while the loss goes on" "$(loss_traps)" 1
line=$(grep "= OID: $LOSS_TRAP\b" "$TMPD/snmp/trap.log")
check "SNMP: rtppStreamLoss names A's RTP and its SSRC" \
	grep -Eq "$RTPP_MIB_OID.1.4.1.16.$sb.0.1.1 = (Gauge32: )?$SSRC2" <<<"$line"
echo clean >"$TMPD/mode"
two_periods || fail "two loss periods without loss"
expect "SNMP: none while the stream recovers" "$(loss_traps)" 1
echo lossy >"$TMPD/mode"
poll -t 90 eval '[ "$(loss_traps)" -ge 2 ]' || fail "rtppStreamLoss heard again"
expect "SNMP: rtppStreamLoss again after recovering" "$(loss_traps)" 2
echo stop >"$TMPD/mode"
wait $LIVE
agent_stop
snmpd_stop
kill $TRAPD

# Off: sessions allocated afterwards track nothing.
echo N >$PARAM
id=$(alloc --rtp-addr-a 10.1.0.3 --rtp-port-a 4000 \
	--rtp-addr-b 10.2.0.3 --rtp-port-b 6000)
echo Y >$PARAM
expect "second session id" "$id" 1
send "$A" 10.1.0.3:4000 $GATE_A:$(gate_port 1) 5 20
poll -t 60 eval '[ "$(sess 1 a.rtp.packets)" = 5 ]' || fail "second session relayed"
expect "quality off: json null" "$(sess 1 a.rtp.quality b.rtcp.quality | xargs)" "null null"
expect "quality off: tab -" "$(sess_cols 1 a_rtp_expected a_rtp_lost b_rtcp_reports)" "- - -"
expect "first session still tracked" "$(sess 0 a.rtp.quality.ssrc)" $SSRC2

topo_down
finish
