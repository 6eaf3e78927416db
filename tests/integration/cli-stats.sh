#!/bin/bash
# cli-stats.sh: what iptrtpproxy prints about counters, against known
# traffic in the A/relay/B topology (topo.sh), with both iptables backends.
#
#  - JSON of "info" and "list" (each document checked to parse)
#    gives exactly the counters the traffic made: relayed packets and bytes
#    per stream, session, switchboard and globally, drops by reason,
#    allocations; tab and text print the same numbers;
#  - list filters: a switchboard by its gates (gate A, both gates, or gate
#    B alone as "the switchboard either of whose gates is"), a session range
#    with and without a switchboard, --no-session, --no-switchboard;
#  - each reset prints exactly the values a list taken just before shows
#    (no traffic in between), in text (--reset-stat), JSON
#    (--reset-switchboard-packet-stat, of one switchboard then of all) and
#    tab (--reset-switchboard-stat); it clears only what it names; a second
#    reset returns zeros;
#  - --force-switchboard-audit: a session with --expires-timeout 1, once
#    listed as expired, is counted in the expirations the audit reports;
#  - update without a range changes only the sessions neither expired nor
#    destroyed;
#  - other options with alloc and delete, and update's count; every JSON
#    document parses.
#
# Run as root in the guest: tests/vm/run -- tests/integration/cli-stats.sh

# shellcheck disable=SC2086  # $SB, $SB2: several words on purpose
# shellcheck disable=SC2001  # sed on multi-line values
# shellcheck disable=SC2317  # functions called through poll
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
need_root
need_module

GATE2=10.9.0.1		# a second switchboard on the relay's own address
PORT2=60000
SB2="--addr-a $GATE2 --port-a $PORT2"

# out NAME CMD...: CMD's stdout to $TMPD/NAME; fails the check if CMD does.
out() {
	local name=$1
	shift
	"$@" >"$TMPD/$name" 2>"$TMPD/$name.err" && return
	fail "$*: exit $?: $(head -n 2 "$TMPD/$name.err")"
	return 1
}

# json NAME ARGS...: iptrtpproxy ARGS in the relay to $TMPD/NAME, which
# "checked" then parses as one JSON document (json.load, as python3 -m
# json.tool reads it).
json() {
	local name=$1
	shift
	out "$name" rtpp "$@" || return 1
	printf 'parse\t%s\tiptrtpproxy %s\n' "$name" "$*" >>"$TMPD/checks"
}

# q DESC WANT EXPR DOC...: queue a check: python's str(EXPR), with d[0],
# d[1]... the JSON documents DOC (names json gave), must be WANT.
q() {
	local desc=$1 want=$2 expr=$3
	shift 3
	printf 'eval\t%s\t%s\t%s\t%s\n' "$desc" "$want" "$expr" "$*" >>"$TMPD/checks"
}

# checked: run the queued checks, in one python (under TCG each start of
# python costs up to a second).
checked() {
	[ -s "$TMPD/checks" ] || return
	(cd "$TMPD" && python3 - checks <<'PY') >"$TMPD/checked"
import json, sys
STATS = ["packets", "bytes", "drop_malformed", "drop_fragment", "drop_csum",
         "drop_source", "drop_no_peer", "drop_expired", "drop_destroyed",
         "drop_route", "allocs", "alloc_fails", "expirations", "deletes",
         "drop_bad_source", "drop_ttl"]
PKT, SESS = STATS[:10] + STATS[14:], STATS[10:14]
def sb(doc, port):	# the switchboard of gate A port PORT
    return next(s for s in doc["switchboards"] if s["port_a"] == port)
def only(stats, keys):
    return {k: stats[k] for k in keys}
def stats(**nonzero):	# every counter, zero unless given
    return {k: nonzero.get(k, 0) for k in STATS}
def load(name):
    with open(name) as f:
        return json.load(f)
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("\t")
    if f[0] == "parse":
        try:
            load(f[1])
            print("  ok    parses as JSON: " + f[2])
        except ValueError as e:
            print("  FAIL  not JSON: %s: %s" % (f[2], e))
        continue
    desc, want, expr, docs = f[1:]
    try:
        d = [load(n) for n in docs.split()]
        got = str(eval(expr))
    except Exception as e:
        got = "%s: %s" % (type(e).__name__, e)
    if got == want:
        print("  ok    %s (%s)" % (desc, got))
    else:
        print("  FAIL  %s: got '%s', expected '%s'" % (desc, got, want))
PY
	cat "$TMPD/checked"
	PASSED=$((PASSED + $(grep -c '^  ok' "$TMPD/checked")))
	FAILED=$((FAILED + $(grep -c '^  FAIL' "$TMPD/checked")))
	rm -f "$TMPD/checks"
}

# flows: the flows of traffic(), one after another; each is FROM_NS SRC
# DST TO_NS BIND N SIZE, and N datagrams must arrive.  Not at once: a
# reverse flow's sender is bound to the forward flow's receiving port, and
# while both sockets live the kernel may hand datagrams to either.
flows() {
	local f from src dst to bind n size
	for f in "$@"; do
		read -r from src dst to bind n size <<<"$f"
		recv "$to" "$bind" flow --count "$n"
		send "$from" "$src" "$dst" "$n" "$size"
		expect "$src -> $dst -> $bind: $n datagrams arrive" "$(received flow count)" "$n"
	done
}

# drops_are SB1_SOURCE SB1_NO_PEER SB2_SOURCE: the switchboards' drops
drops_are() {
	[ "$(rtpp list --no-session --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)["switchboards"]
print(d[0]["stats"]["drop_source"], d[0]["stats"]["drop_no_peer"], d[1]["stats"]["drop_source"])')" = "$*" ]
}

traffic() {
	section "$IPT: known traffic"
	ID0=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4000 --rtp-addr-b 10.2.0.2 --rtp-port-b 6000)
	ID1=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4010)
	ID2=$(rtpp alloc $SB2 --rtp-addr-a 10.9.0.5 --rtp-port-a 4020)
	expect "session ids" "$ID0 $ID1 $ID2" "0 1 0"
	# RTP both ways and RTCP a->b through session 0
	flows "$A 10.1.0.2:4000 $GATE_A:$PORT $B 10.2.0.2:6000 40 160" \
		"$B 10.2.0.2:6000 $GATE_B:$PORT $A 10.1.0.2:4000 25 100" \
		"$A 10.1.0.2:4001 $GATE_A:$((PORT + 1)) $B 10.2.0.2:6001 6 80"
	# dropped: from a stranger to session 0, to session 1 that has no side
	# b, from a stranger to session 0 of switchboard 2
	send "$A" 10.1.0.3:4000 $GATE_A:$PORT 5 50
	send "$A" 10.1.0.2:4010 $GATE_A:$((PORT + 2)) 3 50
	send "$A" 10.1.0.2:4020 $GATE2:$PORT2 4 50
	if poll drops_are 5 3 4; then
		pass "dropped and counted: 5 from a stranger, 3 without a peer; 4 on switchboard 2"
	else
		fail "drops: $(rtpp list --no-session --format json | grep -E '"drop_(source|no_peer)"' | xargs)"
	fi
}

counters() {
	section "$IPT: JSON, tab and text give the counters"
	json info info --format json
	json list list --format json
	q "info: every global counter" True \
		'd[0]["stats"] == stats(packets=71, bytes=9380, drop_source=9, drop_no_peer=3, allocs=3)' info
	q "info: switchboards, sessions by state" \
		"(2, {'free': 17, 'learning': 0, 'active': 3, 'expired': 0, 'destroyed': 0})" \
		'd[0]["switchboards"], d[0]["sessions"]' info
	q "list: switchboard 1's counters" True \
		"sb(d[0], $PORT)['stats'] == stats(packets=71, bytes=9380, drop_source=5, drop_no_peer=3, allocs=2)" list
	q "list: switchboard 2's counters" True \
		"sb(d[0], $PORT2)['stats'] == stats(drop_source=4, allocs=1)" list
	q "list: session $ID0, packets and bytes of a.rtp b.rtp a.rtcp b.rtcp" \
		"[(40, 6400), (25, 2500), (6, 480), (0, 0)]" \
		"[(st['packets'], st['bytes']) for s in sb(d[0], $PORT)['sessions'] if s['id'] == $ID0 for st in (s['a']['rtp'], s['b']['rtp'], s['a']['rtcp'], s['b']['rtcp'])]" list
	q "list: dropped packets are the streams' errors" "[5, 3, 4]" \
		"[s['a']['rtp']['errors'] for s in sb(d[0], $PORT)['sessions'] + sb(d[0], $PORT2)['sessions']]" list
	q "list: the clients, known and unknown" \
		"[('10.1.0.2', '10.2.0.2', 6000), ('10.1.0.2', None, None)]" \
		"[(s['a']['rtp']['addr'], s['b']['rtp']['addr'], s['b']['rtp']['port']) for s in sb(d[0], $PORT)['sessions']]" list
	q "list: the streams' packets add up to the switchboard's" True \
		"sum(st['packets'] for s in sb(d[0], $PORT)['sessions'] for side in 'ab' for st in (s[side]['rtp'], s[side]['rtcp'])) == sb(d[0], $PORT)['stats']['packets']" list
	checked

	out tab rtpp list --no-session --format tab &&
		expect "tab: switchboard 1's packets, bytes, drop_source" \
			"$(awk -F '\t' -v p=$PORT 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
				$c["port_a"] == p { print $c["packets"], $c["bytes"], $c["drop_source"] }' "$TMPD/tab")" "71 9380 5"
	if out text rtpp info; then
		expect "text: info's relayed line" "$(grep '^relayed' "$TMPD/text" | xargs)" "relayed 71 packets, 9380 bytes"
		expect "text: info's dropped line names the reasons" \
			"$(grep -o '9 wrong source, 3 no peer' "$TMPD/text")" "9 wrong source, 3 no peer"
	fi
}

filters() {
	section "$IPT: list filters"
	local l='[(s["port_a"], [x["id"] for x in s.get("sessions", [])]) for s in d[0]["switchboards"]]'
	json f1 list --format json
	q "no filter: both switchboards, every session" "[($PORT, [0, 1]), ($PORT2, [0])]" "$l" f1
	json f2 list --addr-a $GATE_A --port-a $PORT --format json
	q "gate A: switchboard 1" "[($PORT, [0, 1])]" "$l" f2
	json f3 list $SB2 --format json
	q "gate A: switchboard 2" "[($PORT2, [0])]" "$l" f3
	json f4 list --addr-a $GATE_A --port-a $PORT --addr-b $GATE_B --port-b $PORT --format json
	q "both gates: switchboard 1" "[($PORT, [0, 1])]" "$l" f4
	json f5 list --addr-a $GATE_B --port-a $PORT --format json
	q "gate B's address and port alone: switchboard 1" "[($PORT, [0, 1])]" "$l" f5
	json f6 list $SB --sess-id-lo 1 --format json
	q "range 1: session 1" "[($PORT, [1])]" "$l" f6
	json f7 list --sess-id-lo 1 --sess-id-hi 5 --format json
	q "range 1..5 of every switchboard" "[($PORT, [1]), ($PORT2, [])]" "$l" f7
	json f8 list --sess-id-hi 0 --format json
	q "range ..0 of every switchboard" "[($PORT, [0]), ($PORT2, [0])]" "$l" f8
	json f9 list --no-session --format json
	q "--no-session: switchboards without sessions" "[(False, 2), (False, 1)]" \
		'[("sessions" in s, s["sessions_by_state"]["active"]) for s in d[0]["switchboards"]]' f9
	json f10 list --no-switchboard --format json
	q "--no-switchboard: nothing listed" "{}" 'd[0]' f10
	checked
	out t1 rtpp list $SB --no-session && expect "--no-session, text: the switchboard, no session table" \
		"$(grep -c '^switchboard' "$TMPD/t1") $(grep -c 'STATE' "$TMPD/t1")" "1 0"
	out t2 rtpp list $SB --sess-id-lo 1 && expect "range, text: one session's four streams" \
		"$(grep -cE '^ +(1 +active +.*)?[AB] RTC?P ' "$TMPD/t2")" 4
	out t3 rtpp list --no-switchboard && expect "--no-switchboard, text: nothing printed" "$(wc -c <"$TMPD/t3")" 0
	out t4 rtpp list --no-switchboard --format tab && expect "--no-switchboard, tab: nothing printed" "$(wc -c <"$TMPD/t4")" 0
}

resets() {
	local before cleared
	section "$IPT: each reset prints what it cleared"

	# --reset-switchboard-stat, tab: the allocation counters of the list
	# just before; packet and global counters stay
	out b0 rtpp list --no-session --format tab || return
	out b1 rtpp list --no-session --reset-switchboard-stat --format tab || return
	before=$(awk -F '\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ print $c["id"], $c["allocs"], $c["alloc_fails"], $c["expirations"], $c["deletes"] }' "$TMPD/b0")
	cleared=$(awk -F '\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } /^$/ { exit }
		{ print $c["id"], $c["allocs"], $c["alloc_fails"], $c["expirations"], $c["deletes"], $c["packets"] }' "$TMPD/b1")
	if [ "$(sed 's/$/ -/' <<<"$before")" = "$cleared" ] && grep -q ' 2 0 0 0$' <<<"$before"; then
		pass "list --reset-switchboard-stat --format tab: the allocation counters just before"
	else
		fail "list --reset-switchboard-stat --format tab: cleared values differ"
		show_diff "$before" "$cleared"
	fi
	expect "tab: the cleared table, an empty line, then the list" \
		"$(sed -n '1p' "$TMPD/b1" | cut -f 1-2) $(grep -c '^$' "$TMPD/b1")" "$(printf 'cleared\tid') 1"
	json b2 list --no-session --reset-switchboard-stat --format json
	json b3 info --format json
	q "switchboard reset again: zeros" True \
		"all(c['stats'] == only(stats(), SESS) for c in d[0]['cleared']['switchboard'])" b2
	q "it left the packet counters and the global ones" "(71, 0, 3)" \
		"sb(d[0], $PORT)['stats']['packets'], sb(d[0], $PORT)['stats']['allocs'], d[1]['stats']['allocs']" b2 b3

	# --reset-switchboard-packet-stat, JSON: of switchboard 2, then of all
	json s0 list --no-session --format json
	json p1 list $SB2 --no-session --reset-switchboard-packet-stat --format json
	json p1b list $SB --no-session --format json
	q "packet reset of switchboard 2: its packet counters just before, alone" "[($PORT2, True)]" \
		"[(c['port_a'], c['stats'] == only(sb(d[1], $PORT2)['stats'], PKT)) for c in d[0]['cleared']['switchboard_packets']]" p1 s0
	q "switchboard 2 after it: packet counters zero; switchboard 1 untouched" "(True, 71)" \
		"only(sb(d[0], $PORT2)['stats'], PKT) == only(stats(), PKT), sb(d[1], $PORT)['stats']['packets']" p1 p1b
	json p2 list --no-session --reset-switchboard-packet-stat --format json
	q "packet reset of all: switchboard 1's just before, switchboard 2's zeros" "[($PORT, True), ($PORT2, True)]" \
		"[(c['port_a'], c['stats'] == only(sb(d[1], c['port_a'])['stats'], PKT) if c['port_a'] == $PORT else c['stats'] == only(stats(), PKT)) for c in d[0]['cleared']['switchboard_packets']]" p2 s0
	q "... and that was something: 71 packets" 71 \
		"sum(c['stats']['packets'] for c in d[0]['cleared']['switchboard_packets'])" p2
	json p3 list --no-session --reset-switchboard-packet-stat --format json
	q "packet reset again: zeros" True \
		"all(c['stats'] == only(stats(), PKT) for c in d[0]['cleared']['switchboard_packets'])" p3
	json p4 info --format json
	json p5 list $SB --sess-id-lo "$ID0" --format json
	q "it left the global and the session counters" "(71, 40)" \
		"d[0]['stats']['packets'], d[1]['switchboards'][0]['sessions'][0]['a']['rtp']['packets']" p4 p5

	# --reset-stat, text: the cleared block is info's statistics just before
	out g0 rtpp info || return
	out g1 rtpp info --reset-stat || return
	before=$(grep -E '^(relayed|dropped|sessions made) ' "$TMPD/g0")
	cleared=$(sed -n '/^Cleared global statistics:/,/^$/p' "$TMPD/g1" | sed -n 's/^  //p')
	if grep -q '^relayed  *71 packets' <<<"$before" && [ "$before" = "$cleared" ]; then
		pass "info --reset-stat: the cleared values are info's just before"
	else
		fail "info --reset-stat: cleared values differ from info's just before"
		show_diff "$before" "$cleared"
	fi
	json g2 info --reset-stat --format json
	q "info --reset-stat again: zeros cleared, zeros left" True \
		'd[0]["cleared"]["global"] == stats() == d[0]["stats"]' g2
	json g3 list $SB --sess-id-lo "$ID0" --format json
	q "it left the session counters" "(40, 25)" \
		"d[0]['switchboards'][0]['sessions'][0]['a']['rtp']['packets'], d[0]['switchboards'][0]['sessions'][0]['b']['rtp']['packets']" g3
	checked
}

sess2_is() { # ID STATE: session ID of switchboard 2 is in STATE
	[ "$(rtpp list $SB2 --sess-id-lo "$1" --format json |
		python3 "$LIB_DIR/jget.py" switchboards.0.sessions.0.state)" = "$2" ]
}

audit() {
	local id
	section "$IPT: --force-switchboard-audit"
	id=$(rtpp alloc $SB2 --rtp-addr-a 10.9.0.6 --expires-timeout 1)
	# a dump computes the state; counting it is the audit's job (the
	# periodic one may have done it already)
	if poll sess2_is "$id" expired; then
		pass "the session with --expires-timeout 1 is listed as expired"
	else
		fail "session $id of switchboard 2 not expired"
	fi
	json a1 info --force-switchboard-audit --format json
	q "info --force-switchboard-audit: the expiration counted" "(1, 1)" \
		'd[0]["stats"]["expirations"], d[0]["sessions"]["expired"]' a1
	json a2 list $SB2 --no-session --force-switchboard-audit --format json
	q "list --force-switchboard-audit: switchboard 2's expirations" 1 \
		"sb(d[0], $PORT2)['stats']['expirations']" a2
	# other options with the other commands
	json a3 alloc $SB2 --rtp-addr-a 10.9.0.7 --force-switchboard-audit --reset-switchboard-stat --format json
	q "alloc with an audit and a reset: cleared values, then the session" "([1], '10.9.0.7')" \
		"[c['stats']['expirations'] for c in d[0]['cleared']['switchboard'] if c['port_a'] == $PORT2], d[0]['session']['a']['rtp']['addr']" a3
	# update without a range: the sessions neither expired nor destroyed
	id=$(python3 "$LIB_DIR/jget.py" session.id <"$TMPD/a3")
	check "delete session $id of switchboard 2" rtpp delete $SB2 --sess-id-lo "$id"
	json a6 update $SB2 --rtp-port-a 4030 --format json
	json a7 list $SB2 --format json
	q "update without a range: one of active, expired, destroyed" 1 'd[0]["updated"]' a6
	q "... the active one changed, the others not" \
		"[('active', 4030), ('expired', None), ('destroyed', None)]" \
		"[(s['state'], s['a']['rtp']['port']) for s in d[0]['switchboards'][0]['sessions']]" a7
	json a4 update $SB --rtp-port-b 6002 --format json
	q "update --format json: the count" 2 'd[0]["updated"]' a4
	# (switchboard 1: its sessions do not expire, nor are they freed meanwhile)
	json a5 delete $SB --reset-stat --format json
	q "delete with a reset: the cleared allocations and expirations, then the count" "(2, 1, 2)" \
		'd[0]["cleared"]["global"]["allocs"], d[0]["cleared"]["global"]["expirations"], d[0]["deleted"]' a5
	checked
}

for IPT in "${IPT_BACKENDS[@]}"; do
	section "$IPT: topology"
	topo_up --max-sess 16 --expires-timeout 3600 || { fail "topology with $IPT"; continue; }
	if ! ipt "$R" -t mangle -A rtpp -j RTPPROXY $SB2 --max-sess 4 --expires-timeout 3600 \
		--resurrection-timeout 3600; then	# an expired session stays listed
		fail "second switchboard with $IPT"
		topo_down
		continue
	fi
	traffic
	counters
	filters
	resets
	audit
	topo_down
done
finish
