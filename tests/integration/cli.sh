#!/bin/bash
# cli.sh: the iptrtpproxy command line (and librtpproxy under it) against the
# module, in a namespace of its own.
#
#  - exit codes: 2 with a message naming the parameter for bad parameters,
#    1 with the reason for: no such switchboard, switchboard full, session
#    not found, missing capability CAP_NET_ADMIN; -h, -h COMMAND, --version;
#  - alloc prints the id, and with --format json or -v the gate ports,
#    which follow from the id; RTCP values derive from RTP's;
#  - list: every session of a switchboard in each format (json and tab
#    records count them; the dump spans several socket buffers), a range,
#    the tab headers' first columns; switchboards are per namespace;
#  - update and delete of a range or of all, with the counts -v prints;
#  - resets print what they cleared, and only once; audit on demand;
#  - bash completion (cli/iptrtpproxy.bash-completion): commands, each
#    command's options as its help lists them, values of --format and
#    --always-learn-a/-b, the gates of the switchboards defined.
#
# Run as root in the guest: tests/vm/run -- tests/integration/cli.sh

# shellcheck disable=SC2317  # functions called through check and poll
# shellcheck disable=SC2086  # $SB, $SMALL, $LONG: several words on purpose
. "$(dirname "$0")/lib.sh"

need_root
need_module
if ! command -v iptrtpproxy >/dev/null 2>&1; then
	fail "iptrtpproxy is not on PATH (build it: make -C cli)"
	finish
fi

GATE=10.98.0.1
MAX=100			# sessions of the big switchboard: a multi-buffer dump
PORT=40000
SMALL_PORT=30000	# a switchboard of two sessions, to fill
SB="--addr-a $GATE --port-a $PORT"
SMALL="--addr-a $GATE --port-a $SMALL_PORT"
LONG="--expires-timeout 3600"	# nothing expires while the test runs (TCG is slow:
				# an update to a shorter expiry would expire them)

ns_new cli
R=$NS
ip -n "$R" addr add "$GATE/32" dev lo
# Deleted sessions stay "destroyed" for 60 s: the check that reads one
# must not depend on how fast a loaded guest gets to it.
if ! ipt "$R" -t mangle -A PREROUTING -p udp -j RTPPROXY --addr-a "$GATE" \
	--port-a $PORT --max-sess $MAX --resurrection-timeout 60 ||
	! ipt "$R" -t mangle -A PREROUTING -p udp -j RTPPROXY --addr-a "$GATE" \
		--port-a $SMALL_PORT --max-sess 2; then
	fail "define the switchboards"
	finish
fi

rtpp() { in_ns "$R" iptrtpproxy "$@"; }

# run CMD...: OUT gets its stdout and stderr, RC its status.
run() {
	OUT=$("$@" 2>&1)
	RC=$?
}

want() { # DESC GOT WANT
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got '$2', want '$3'"; fi
}

# refused RC TEXT DESC ARGS...: iptrtpproxy ARGS exits RC saying TEXT.
refused() {
	local rc=$1 text=$2 desc=$3
	shift 3
	run rtpp "$@"
	if [ "$RC" -eq "$rc" ] && grep -qF -- "$text" <<<"$OUT"; then
		pass "$desc: exit $rc"
		info "> $OUT"
	else
		fail "$desc: exit $RC, want $rc with '$text' (iptrtpproxy $*)"
		printf '%s\n' "$OUT" | sed 's/^/        | /' | head -n 5
	fi
}

section "exit codes and messages"
refused 2 --bogus "unknown option" list --bogus
refused 2 --port-a "incomplete switchboard" list --addr-a "$GATE"
refused 2 --addr-a "bad address" list --addr-a 10.98.0 --port-a $PORT
refused 2 --port-a "odd gate port" list --addr-a "$GATE" --port-a 40001
refused 2 --sess-id-hi "range upside down" list --sess-id-lo 5 --sess-id-hi 4
refused 2 --rtp-addr-a "alloc without a client" alloc $SB
refused 2 --addr-a "option not valid for the command" info $SB
refused 2 --addr-a "alloc: which of two switchboards" alloc --rtp-addr-a 10.1.1.1
refused 1 "no such switchboard" "list: unknown gates" list --addr-a 10.98.0.9 --port-a $PORT
refused 1 "no such switchboard" "alloc: unknown gates" alloc --addr-a 10.98.0.9 --port-a $PORT --rtp-addr-a 10.1.1.1
refused 1 "no such switchboard" "delete: unknown gates" delete --addr-a 10.98.0.9 --port-a $PORT
run in_ns "$R" capsh --drop=cap_net_admin -- -c 'iptrtpproxy info'
want "without CAP_NET_ADMIN: exit 1, missing capability CAP_NET_ADMIN" \
	"$RC $(grep -c 'missing capability CAP_NET_ADMIN' <<<"$OUT")" "1 1"
run rtpp -h list
want "-h list: exit 0, the list options" "$RC $(grep -q -- '--no-session' <<<"$OUT" && echo shown)" "0 shown"
run rtpp list --addr-a 10.98.0 -h
want "-h wins over a bad parameter" "$RC $(grep -q -- '--no-switchboard' <<<"$OUT" && echo shown)" "0 shown"
run rtpp --version
want "--version: exit 0, program and module protocol" \
	"$RC $(grep -c 'control protocol version' <<<"$OUT")" "0 2"

section "alloc"
run rtpp alloc $SMALL $LONG --rtp-addr-a 10.1.1.1
run rtpp alloc $SMALL $LONG --rtp-addr-a 10.1.1.2
refused 1 "switchboard full" "alloc on a full switchboard" alloc $SMALL --rtp-addr-a 10.1.1.3
check "delete a session of the full switchboard" rtpp delete $SMALL --sess-id-lo 1
refused 1 "session not found" "delete it again" delete $SMALL --sess-id-lo 1
refused 1 "session not found" "update a free slot" update $SMALL --sess-id-lo 1 --expires-timeout 9

id=$(rtpp alloc $SB $LONG --rtp-addr-a 10.1.1.1 --rtp-port-a 4000 --rtp-learning-timeout-b 5000)
want "alloc prints the session id alone" "$(grep -cx '[0-9][0-9]*' <<<"$id")" 1
out=$(rtpp alloc $SB $LONG --rtp-addr-a 10.1.1.2 --rtp-port-a 4002 --format json)
id2=$(jget session.id <<<"$out")
want "alloc --format json: gate ports of session $id2" \
	"$(jget switchboard.port_b session.a.rtp.gate_port session.a.rtcp.gate_port \
		session.b.rtp.gate_port session.b.rtcp.gate_port <<<"$out" | xargs)" \
	"$((PORT + 2 * MAX)) $((PORT + 2 * id2)) $((PORT + 2 * id2 + 1)) $((PORT + 2 * MAX + 2 * id2)) $((PORT + 2 * MAX + 2 * id2 + 1))"
want "alloc: RTCP derives from RTP (address, port + 1)" \
	"$(jget session.a.rtcp.addr session.a.rtcp.port <<<"$out" | xargs)" "10.1.1.2 4003"
out=$(rtpp alloc $SB $LONG --rtp-learning-timeout-a 1000 -v 2>/dev/null)
id3=$(head -n 1 <<<"$out")
want "alloc -v: the id, then the ports on gates A and B" \
	"$(tail -n 2 <<<"$out" | xargs)" \
	"gate A $GATE RTP $((PORT + 2 * id3)) RTCP $((PORT + 2 * id3 + 1)) gate B $GATE RTP $((PORT + 2 * MAX + 2 * id3)) RTCP $((PORT + 2 * MAX + 2 * id3 + 1))"

section "list"
for ((i = 3; i < MAX; i++)); do
	rtpp alloc $SB $LONG --rtp-addr-a 10.2.0.$((i + 1)) >/dev/null || break
done
want "the switchboard is full ($MAX sessions)" "$i" "$MAX"
out=$(rtpp list $SB --format json)
want "list --format json: one document, every session" \
	"$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["switchboards"][0]["sessions"]))' <<<"$out")" "$MAX"
out=$(rtpp list $SB --format tab)
want "list --format tab: a header, then one line a session" "$(wc -l <<<"$out")" $((MAX + 1))
want "list --format tab: the session header" "$(head -n 1 <<<"$out" | cut -f 1-6)" \
	"$(printf 'sb_id\tsb_addr_a\tsb_port_a\tsb_addr_b\tsb_port_b\tid')"
out=$(rtpp list --no-session --format tab)
want "list --no-session --format tab: the switchboard header" "$(head -n 1 <<<"$out" | cut -f 1-6)" \
	"$(printf 'id\taddr_a\tport_a\taddr_b\tport_b\tmax_sess')"
want "list --no-session --format tab: both switchboards" "$(wc -l <<<"$out")" 3
out=$(rtpp list $SB --sess-id-lo 10 --sess-id-hi 19 --format json)
want "list of the range 10..19" \
	"$(jget switchboards.0.sessions.0.id switchboards.0.sessions.9.id <<<"$out" | xargs) $(grep -c '"state"' <<<"$out")" "10 19 10"
out=$(rtpp list $SB --sess-id-lo 0)
want "list (text): the switchboard and session 0's four streams" \
	"$(grep -c "^switchboard" <<<"$out") $(grep -cE 'A RTP|A RTCP|B RTP|B RTCP' <<<"$out")" "1 4"
want "info: sessions in use" \
	"$(rtpp info --format json | python3 -c 'import json,sys; s=json.load(sys.stdin)["sessions"]; print(s["learning"]+s["active"])')" \
	$((MAX + 1))
ns_new other
want "another namespace has no switchboard" \
	"$(in_ns "$NS" iptrtpproxy info --format json | jget switchboards)" 0

section "update and delete"
run rtpp update $SB --sess-id-lo 5 --sess-id-hi 9 --expires-timeout 7200 -v
want "update of a range: the count" "$RC $(grep -c 'updated 5 sessions' <<<"$OUT")" "0 1"
want "update: the new expiry" \
	"$(rtpp list $SB --sess-id-lo 5 --sess-id-hi 6 --format json | jget switchboards.0.sessions.0.expires switchboards.0.sessions.1.expires | xargs)" \
	"7200 7200"
run rtpp update $SB --expires-timeout 7000 -v
want "update without a range: every live session" "$RC $(grep -c "updated $MAX sessions" <<<"$OUT")" "0 1"
run rtpp delete $SB --sess-id-lo 0 --sess-id-hi 49 -v
want "delete of a range: the count" "$RC $(grep -c 'deleted 50 sessions' <<<"$OUT")" "0 1"
want "deleted: destroyed" "$(rtpp list $SB --sess-id-lo 0 --format json | jget switchboards.0.sessions.0.state)" destroyed

section "resets and audit"
out=$(rtpp info --reset-stat --format json)
allocs=$(jget cleared.global.allocs <<<"$out")
if [ "$allocs" -ge $((MAX + 2)) ] 2>/dev/null; then
	pass "info --reset-stat: the cleared allocations ($allocs)"
else
	fail "info --reset-stat: cleared allocations '$allocs', want >= $((MAX + 2))"
fi
want "reset again: nothing to clear" "$(rtpp info --reset-stat --format json | jget cleared.global.allocs stats.allocs | xargs)" "0 0"
out=$(rtpp list $SB --no-session --reset-switchboard-stat --format json)
want "list --reset-switchboard-stat: cleared values, then the zeroed switchboard" \
	"$(jget cleared.switchboard.0.stats.allocs cleared.switchboard.0.stats.deletes switchboards.0.stats.allocs <<<"$out" | xargs)" \
	"$MAX 50 0"
out=$(rtpp info --reset-switchboard-packet-stat --format tab)
want "info --reset-switchboard-packet-stat --format tab: cleared table first" \
	"$(head -n 1 <<<"$out" | cut -f 1-2) $(grep -c '^switchboard_packets' <<<"$out")" "$(printf 'cleared\tid') 2"
check "--force-switchboard-audit" rtpp list --no-switchboard --force-switchboard-audit
run rtpp delete -v
want "delete without switchboard or range: every session" "$RC $(grep -c "deleted $((MAX - 50 + 1)) sessions" <<<"$OUT")" "0 1"

section "bash completion"
# comp WORD...: what cli/iptrtpproxy.bash-completion offers for the last
# WORD (as bash splits the line: "--format=j" is "--format" "=" "j"), run
# in the relay's namespace, sorted.
# shellcheck disable=SC2016  # the script is bash -c's
comp() {
	in_ns "$R" bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_iptrtpproxy iptrtpproxy; printf "%s\n" "${COMPREPLY[@]}"' \
		_ "$TOP/cli/iptrtpproxy.bash-completion" iptrtpproxy "$@" | sort | xargs
}
want "completion: the commands" "$(comp '')" "alloc delete info list update"
want "completion: the commands after -h" "$(comp -h '')" "alloc delete info list update"
want "completion: a command begun" "$(comp up)" "update"
want "completion: list's verbosity" "$(comp list --no-)" "--no-session --no-switchboard"
want "completion: alloc's RTCP learning timeouts" "$(comp alloc --rtcp-l)" \
	"--rtcp-learning-timeout-a --rtcp-learning-timeout-b"
want "completion: no RTP params for delete" "$(comp delete --rtp)" ""
want "completion: an option given is not offered again" "$(comp list --sess-id-lo 3 --sess)" "--sess-id-hi"
want "completion: options before the command count" "$(comp --format json info --form)" ""
want "completion: --format's values" "$(comp info --format '')" "json tab text"
want "completion: --format=j" "$(comp info --format = j)" "json"
want "completion: --always-learn-a=" "$(comp alloc --always-learn-a = '')" "no yes"
want "completion: --addr-a, the gates defined" "$(comp list --addr-a '')" "$GATE"
want "completion: --port-a, of the switchboards at --addr-a" \
	"$(comp update --addr-a "$GATE" --port-a '')" "$SMALL_PORT $PORT"
want "completion: --port-b" "$(comp list --addr-a "$GATE" --port-a $PORT --port-b '')" \
	"$((SMALL_PORT + 4)) $((PORT + 2 * MAX))"
for c in info list alloc update delete; do
	# the options of the command's help, and --version
	want "completion: every option of $c, as its help lists them" \
		"$(comp "$c" --)" \
		"$( (rtpp -h "$c" | grep -oE -- '--[a-z-]*[a-z]'; echo --version) | sort -u | xargs)"
done

finish
