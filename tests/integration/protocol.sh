#!/bin/bash
# protocol.sh: the generic netlink protocol as a client other than
# librtpproxy may speak it (hand-made requests, tests/integration/genl.py).
#
#  - The version handshake: a request of another protocol version is
#    refused with EPROTO and a message saying which version the module
#    speaks, for a command (GET_INFO, ALLOC) and for a dump (switchboards,
#    sessions: the message arrives with the dump's end); the command line
#    built against the next version of the header (tests/tools/
#    iptrtpproxy-next) exits 1 saying the versions differ, before sending
#    anything.
#  - Strict policies: an unknown attribute (top level and nested), a wrong
#    attribute length, values out of range (port 0, expiry 0 and past the
#    limit, learning window past the limit, always-learn 2, session id past
#    the largest, an unknown reset) and an unknown command are refused with
#    EINVAL, ERANGE or EOPNOTSUPP and, but for the unknown command, an
#    extended-ack message; so are requests that are well formed but
#    incomplete: no switchboard (the missing attribute named in the
#    extended ack), gate A without its port, no client address nor learning
#    window; a reset of every switchboard asked for as a single request
#    rather than a dump (EOPNOTSUPP, saying so).
#  - None of the refused requests changes anything: no session, no counter
#    moved (allocs, alloc_fails); a well-formed request then works.
#  - ALLOC with RTPP_A_BRIEF: the reply names the session and its four gate
#    ports and nothing else; without it, the whole session; the flag with a
#    payload is refused and allocates nothing.
#
# Run as root in the guest: tests/vm/run -- tests/integration/protocol.sh

# shellcheck disable=SC2086  # $SB: several words on purpose
. "$(dirname "$0")/lib.sh"
need_root
need_module

GENL="$LIB_DIR/genl.py"
NEXT="$TOP/tests/tools/iptrtpproxy-next"
GATE=10.9.0.1
PORT=40000
SB="--addr-a $GATE --port-a $PORT"

# refused REQUEST ERRNO MESSAGE_PATTERN: genl.py REQUEST is answered with
# ERRNO and an extended-ack message matching MESSAGE_PATTERN (grep -E; an
# empty pattern: no message).
refused() {
	local out err msg
	out=$(in_ns "$R" python3 "$GENL" "$1" $GATE $PORT 2>&1)
	err=${out%%$'\t'*}
	msg=${out#*$'\t'}
	if [ "$err" != "$2" ]; then
		fail "$1: answered '$out', want $2"
	elif [ -z "$3" ] && [ -n "$msg" ]; then
		fail "$1: $2 with message '$msg', want none"
	elif [ -n "$3" ] && ! grep -qE -- "$3" <<<"$msg"; then
		fail "$1: $2 with message '$msg', want /$3/"
	else
		pass "$1: $2${msg:+ \"$msg\"}"
	fi
}

# counters: sessions listed, allocs, alloc_fails of the switchboard.
counters() {
	in_ns "$R" iptrtpproxy list $SB --format tab |
		awk -F'\t' 'NR == 1 { next } /^$/ { exit } { n++ } END { print n + 0 }'
	in_ns "$R" iptrtpproxy list $SB --no-session --format tab |
		awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			{ print $c["allocs"], $c["alloc_fails"]; exit }'
}

for IPT in "${IPT_BACKENDS[@]}"; do
	section "$IPT: version handshake"
	ns_new relay; R=$NS
	ip -n "$R" addr add $GATE/32 dev lo
	ipt "$R" -t mangle -A PREROUTING -p udp -j RTPPROXY $SB --max-sess 4
	before=$(counters | xargs)
	refused info OK ""
	refused info-next-version EPROTO "version mismatch: this module speaks version 1"
	refused alloc-next-version EPROTO "version mismatch"
	refused dump-next-version EPROTO "version mismatch"
	refused sess-dump-next-version EPROTO "version mismatch"
	out=$(in_ns "$R" "$NEXT" list 2>&1)
	expect "iptrtpproxy built for version 2: exit 1, names both versions ($out)" \
		"$? $(grep -c 'speaks control protocol version 1, this program version 2' <<<"$out")" "1 1"

	section "$IPT: strict policies, incomplete requests"
	refused alloc-unknown-attribute EINVAL "."
	refused alloc-stream-unknown-attribute EINVAL "."
	refused alloc-short-port EINVAL "length"
	refused alloc-port-zero ERANGE "."
	refused alloc-expires-zero ERANGE "."
	refused alloc-expires-too-long ERANGE "."
	refused alloc-learning-too-long ERANGE "."
	refused alloc-always-learn-2 ERANGE "."
	refused update-id-too-big ERANGE "."
	refused reset-unknown ERANGE "."
	refused alloc-no-switchboard EINVAL "missing attribute RTPP_A_SB"
	refused alloc-gate-without-port EINVAL "gate A's address and port"
	refused alloc-no-client EINVAL "address|learning"
	refused unknown-command ENOTSUP ""	# = EOPNOTSUPP on Linux
	# Every switchboard's reset is a dump: a version-1 client asking for it
	# as a single request is told so (and nothing is cleared).
	refused reset-every-sb-single ENOTSUP "dump"
	expect "nothing changed: sessions, allocs, alloc_fails" "$(counters | xargs)" "$before"
	refused alloc OK ""
	expect "a well-formed alloc then works" "$(counters | xargs)" "1 1 0"

	section "$IPT: brief replies"
	out=$(in_ns "$R" python3 "$GENL" alloc-shape $GATE $PORT brief)
	id=$(sed -n 's/.*SESS(ID=\([0-9]*\) .*/\1/p' <<<"$out")
	a=$((PORT + 2 * id)) b=$((PORT + 2 * 4 + 2 * id))	# gate B after A's 4
	expect "brief: the switchboard's name, the session's id, created, gate ports" "$out" \
		"SB(ID ADDR_A PORT_A ADDR_B PORT_B) SESS(ID=$id CREATED_MS SIDE_A(RTP(GATE_PORT=$a) RTCP(GATE_PORT=$((a + 1)))) SIDE_B(RTP(GATE_PORT=$b) RTCP(GATE_PORT=$((b + 1)))))"
	out=$(in_ns "$R" python3 "$GENL" alloc-shape $GATE $PORT full)
	expect "without the flag: the whole session (state, clients, counters, quality)" \
		"$(grep -cE 'STATE EXPIRES IDLE_MS SIDE_A\(ALWAYS_LEARN RTP\(ADDR PORT LEARNING_MS GATE_PORT=[0-9]+ LEARNED PACKETS BYTES ERRORS QUALITY' <<<"$out")" 1
	refused alloc-brief-with-payload ERANGE "policy"
	expect "both allocated, the refused one not" "$(counters | xargs)" "3 3 0"
	ipt "$R" -t mangle -F
	ns_del "$R"
done
finish
