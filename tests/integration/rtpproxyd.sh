#!/bin/bash
# rtpproxyd: iptrtpproxyd driven with the rtpproxy control protocol as
# Kamailio's rtpproxy module drives it (cookies on udp:, none on unix:):
# V/VF answer only what is implemented; unimplemented and malformed
# commands get their error codes; an offer (U) and an answer (L) between
# the networks of gate A and gate B (I/E) name the gates the parties must
# send to, and RTP goes through both ways with exact counts; Q reports
# them; the daemon killed with SIGKILL and started again keeps the call
# (same session, same counts, media still relayed); D frees one call, X
# all; a call whose media never came expires in the kernel and the next
# query says it is gone.  Deleted sessions keep their slots for 60 s, so
# that each new call takes the next slot.  One iptables backend: the daemon does not see it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
need_root
need_module
IPT=iptables-legacy
SZ=160
DAEMON="$TOP/rtpproxyd/iptrtpproxyd"
CTL="udp:127.0.0.1:22222"

# ctl COMMAND...: the replies to the commands, sent from the relay's
# namespace over udp: with a cookie each (checked and cut; a reply's lines
# joined by "|").  In bash, not python: it runs often, in a slow guest.
# uctl COMMAND...: the same over the unix: socket, without cookies.
CTL_SH='
exec 3<>/dev/udp/127.0.0.1/22222 || exit 1
n=0
for cmd; do
	n=$((n + 1)); ck="$$_$n"
	printf "%s %s" "$ck" "$cmd" >&3
	r=$(timeout 5 dd bs=65536 count=1 status=none <&3) || { echo "no reply"; exit 1; }
	case $r in "$ck "*) ;; *) echo "reply without the cookie $ck: $r"; exit 1;; esac
	r=${r#"$ck "}
	printf "%s\n" "$r" | paste -sd "|"
done'
ctl() { in_ns "$R" bash -c "$CTL_SH" ctl "$@"; }
uctl() { in_ns "$R" python3 "$LIB_DIR/rtpp_ctl.py" "unix:$TMPD/ctl" "$@"; }

# start [OPTIONS]: the daemon in R, in the foreground of a background job,
# ready once it answers V.  (Its output goes to files: a command
# substitution around start would otherwise wait for the daemon's end.)
start() {
	rm -f "$TMPD/pid"
	in_ns "$R" "$DAEMON" -f -s "$CTL" -s "unix:$TMPD/ctl" -S "$TMPD/calls" \
		-p "$TMPD/pid" -d info "$@" </dev/null >/dev/null 2>>"$TMPD/daemon.log" &
	poll test -s "$TMPD/pid" && poll ctl V
}
stop() {	# stop [SIGNAL]
	local pid
	pid=$(cat "$TMPD/pid" 2>/dev/null) || return 0
	kill -"${1:-TERM}" "$pid"
	poll sh -c "! kill -0 $pid"
}
at_cleanup stop

FLOWS=0
# flow DESC FROM SRC DST TO BIND EXPECT_SRC N: N datagrams from SRC to DST
# arrive at BIND, every one from EXPECT_SRC.
flow() {
	local desc=$1 from=$2 src=$3 dst=$4 to=$5 bind=$6 want=$7 n=$8 tag=flow$((FLOWS += 1)) r
	recv "$to" "$bind" $tag --count "$n" --timeout 60
	send "$from" "$src" "$dst" "$n" $SZ
	r=$(got $tag "$want")
	expect "$desc: $n datagrams from $want" "$r" "$n $n $((n * SZ))"
	[ "$r" = "$n $n $((n * SZ))" ] || rtpp list $SB --format tab | sed 's/^/        | /'
}

# the query's counters (without the time left, which moves)
counts() { ctl "$@" | cut -d' ' -f2-; }

topo_up --max-sess 16 --expires-timeout 600 --resurrection-timeout 60 || { fail "topology"; finish; }
section "protocol"
check "daemon starts and answers" start
expect "V" "$(ctl V)" 20040107
expect "VF: several media streams" "$(ctl 'VF 20050322')" 1
expect "VF: Q statistics" "$(ctl 'VF 20080403')" 1
expect "VF: no repacketization" "$(ctl 'VF 20071116')" 0
expect "VF: no timeout notifications" "$(ctl 'VF 20081224')" 0
expect "VF: no automatic bridging" "$(ctl 'VF 20090810')" 0
expect "unimplemented P, S, R, C" "$(ctl 'P c1 /m s ft tt' 'S c1 ft tt' 'R c1 ft tt' 'C c1 x ft tt' | xargs)" "E0 E0 E0 E0"
expect "malformed: arguments, address, port, tag, modifier, date, IPv6" \
	"$(ctl 'U c1 10.1.0.2' 'U c1 10.1.0 4000 ft' 'U c1 10.1.0.2 70000 ft' \
		'U c1 10.1.0.2 4000 ft;x' 'UQ c1 10.1.0.2 4000 ft' 'VF 1' \
		'U6 c1 ::1 4000 ft' | xargs)" "E1 E5 E6 E7 E2 E8 E31"
expect "L, Q, D of no call" "$(ctl 'L c1 10.2.0.2 6000 ft tt' 'Q c1 ft tt' 'D c1 ft' | xargs)" "0 E50 E50"
expect "over unix:, without cookies" "$(uctl V 'VF 20050322' Z | xargs)" "20040107 1 E0"

section "a call between gate A's network (I) and gate B's (E)"
# the INVITE from A's network: the SDP for the callee names gate B
expect "U (offer) names gate B" "$(ctl 'UIE call1@a 10.1.0.2 4000 ft1;1')" "50000 $GATE_B"
# the 200 OK from B's network: the SDP for the caller names gate A
expect "L (answer) names gate A" "$(ctl 'LEI call1@a 10.2.0.2 6000 ft1;1 tt1;1')" "50000 $GATE_A"
expect "the kernel's session: both clients" \
	"$(sess_cols 0 a_rtp_addr a_rtp_port b_rtp_addr b_rtp_port)" "10.1.0.2 4000 10.2.0.2 6000"
flow "RTP caller->callee" "$A" 10.1.0.2:4000 $GATE_A:50000 "$B" 10.2.0.2:6000 $GATE_B:50000 50
flow "RTP callee->caller" "$B" 10.2.0.2:6000 $GATE_B:50000 "$A" 10.1.0.2:4000 $GATE_A:50000 30
expect "Q: in from caller, in from callee, relayed, dropped" \
	"$(counts 'Q call1@a ft1;1 tt1;1')" "50 30 80 0"
expect "Q from the callee's side" "$(counts 'Q call1@a tt1;1 ft1;1')" "30 50 80 0"
expect "Qv, named" "$(ctl 'Qv call1@a ft1 tt1 nrelayed ndropped')" "nrelayed=80 ndropped=0"
ttl=$(ctl 'Q call1@a ft1;1 tt1;1' | cut -d' ' -f1)
check "Q: time left 1..600 s ($ttl)" test "$ttl" -ge 1 -a "$ttl" -le 600
expect "I" "$(ctl Ib)" "sessions created: 1|active sessions: 1|active streams: 2"
expect "re-offer: same session" "$(ctl 'UIE call1@a 10.1.0.2 4000 ft1;1 tt1;1')" "50000 $GATE_B"

section "restart"
check "daemon killed (SIGKILL)" stop KILL
expect "state file: the call" "$(cut -d' ' -f2,4- "$TMPD/calls")" "0 a 1 call1@a ft1 tt1"
check "daemon starts again" start
expect "Q after the restart: the same counts" "$(counts 'Q call1@a ft1;1 tt1;1')" "50 30 80 0"
expect "re-offer after the restart: same session" \
	"$(ctl 'UIE call1@a 10.1.0.2 4000 ft1;1 tt1;1')" "50000 $GATE_B"
flow "RTP caller->callee after the restart" "$A" 10.1.0.2:4000 $GATE_A:50000 "$B" 10.2.0.2:6000 $GATE_B:50000 20
expect "Q: counted on" "$(counts 'Q call1@a ft1;1 tt1;1')" "70 30 100 0"

section "delete"
expect "second call over unix:, and D of its one stream" \
	"$(uctl 'UIE call2@a 10.1.0.3 4100 ft2;1' 'D call2@a ft2;1' | xargs)" "50002 $GATE_B 0"
expect "second call's session destroyed" "$(sess_cols 1 state)" destroyed
expect "Q of the second call" "$(ctl 'Q call2@a ft2;1 tt2;1')" E50
expect "first call untouched" "$(counts 'Q call1@a ft1;1 tt1;1')" "70 30 100 0"
expect "D of the first call (the BYE)" "$(ctl 'D call1@a ft1 tt1')" 0
expect "first call's session destroyed" "$(sess_cols 0 state)" destroyed
expect "Q of the first call" "$(ctl 'Q call1@a ft1;1 tt1;1')" E50
expect "two calls of two streams" \
	"$(ctl 'U call3 10.1.0.4 4200 ft3;1' 'U call3 10.1.0.4 4202 ft3;2' 'U call4 10.1.0.4 4300 ft4;1' | xargs)" \
	"50004 $GATE_B 50006 $GATE_B 50008 $GATE_B"
expect "X" "$(ctl X)" 0
expect "X: sessions destroyed" "$(for i in 2 3 4; do sess_cols $i state; done | xargs)" \
	"destroyed destroyed destroyed"
expect "I after X" "$(ctl Ib)" "sessions created: 4|active sessions: 0|active streams: 0"

section "expiry"
check "daemon stopped" stop
check "daemon starts with -T 3" start -T 3
# both in one go: the session has 3 s, and this guest can be slow
expect "a call whose media never comes; Q at once: nothing relayed or dropped" \
	"$(ctl 'UIE call5 10.1.0.2 4500 ft5;1' 'Q call5 ft5;1 tt5;1 nrelayed ndropped' | xargs)" \
	"50010 $GATE_B 0 0"
gone5() { [ "$(ctl 'Q call5 ft5;1 tt5;1')" = E50 ]; }
check "Q says it is gone once the kernel expired it" poll -t 30 gone5
expect "the kernel's session" "$(sess_cols 5 state)" expired
check "daemon stops on SIGTERM" stop
# (and bash's word of the SIGKILL above)
check "daemon said nothing unexpected" sh -c "! grep -v -e 'started$' -e 'stopping$' -e 'session' \
	-e 'command refused' -e 'stream(s)' -e 'no such stream' -e 'is gone' -e Killed '$TMPD/daemon.log'"
info "daemon log:"
sed 's/^/        | /' "$TMPD/daemon.log" | tail -n 40
finish
