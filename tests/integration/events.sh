#!/bin/bash
# events.sh: the kernel's events group, as a listener (tests/tools/rtpp-events,
# over the client library) sees it, with both iptables backends.
#
#  - The first rule defining a switchboard: "switchboard-created"; its last
#    rule deleted: "switchboard-destroyed"; a rule repeating it: nothing.
#  - A session that expires: exactly one "session-expired" and one more
#    "expirations", also when an update revives it (or a delete reaches
#    it) before the periodic audit has noticed: each of $ROUNDS sessions
#    with --expires-timeout 1 is revived or deleted the moment a listing
#    shows it expired.
#  - A deleted session: "session-destroyed" once its resurrection time is
#    over (the audit frees the slot), with its id.
#  - An allocation refused on a full switchboard: "switchboard-full", once
#    per refusal.
#  - A listener in another namespace hears none of it.
#
# Run as root in the guest: tests/vm/run -- tests/integration/events.sh

# shellcheck disable=SC2086  # $SB: several words on purpose
. "$(dirname "$0")/lib.sh"
need_root
need_module

EVENTS="$TOP/tests/tools/rtpp-events"
GATE=10.9.0.1
PORT=40000
SB="--addr-a $GATE --port-a $PORT"
NAME="$GATE:$PORT $GATE:$((PORT + 8))"	# gate B follows gate A: 4 sessions
ROUNDS=4
RESURRECTION=20	# seconds: long enough to revive or delete an expired session on a guest
		# loaded 4x (10 was not)
TMPD=$(mktemp -d /tmp/rtpp-$$-XXXX)
at_cleanup "rm -rf $TMPD"

# listen NS FILE: a listener in NS writing to FILE, subscribed on return.
listen() {
	# Not through in_ns: $! must be the listener itself (ip execs it in
	# the namespace); a listener left running would keep the namespace,
	# and its rules the module, alive.
	ip netns exec "$1" "$EVENTS" >"$2" 2>"$2.err" &
	LISTENERS+=($!)
	LISTENING+=("$1")
	at_cleanup "kill $!"
	# A listener that never subscribed hears nothing: "nothing heard" in
	# the other namespace would pass for the wrong reason.
	poll grep -qx subscribed "$2" ||
		fail "listener in $1 did not subscribe: $(cat "$2.err")"
}

# count FILE EVENT [ARGS]: lines of EVENT (and ARGS after the switchboard).
count() {
	local file=$1 ev=$2
	shift 2
	awk -v ev="$ev" -v args="$*" '
		$1 == ev {
			rest = ""
			for (i = 5; i <= NF; i++) rest = rest (i > 5 ? " " : "") $i
			if (args == "" || rest == args) n++
		}
		END { print n + 0 }' "$file"
}

# heard DESC FILE N EVENT [ARGS]: exactly N such events come (polled for
# the last of them, then checked not to be more).
heard() {
	local desc=$1 file=$2 n=$3
	shift 3
	poll -t $((RESURRECTION + 20)) at_least "$n" "$file" "$@"
	expect "$desc" "$(count "$file" "$@")" "$n"
}
at_least() {
	local n=$1
	shift
	[ "$(count "$@")" -ge "$n" ]
}

rtpp() {
	in_ns "$R" iptrtpproxy "$@"
}

# state ID, sbstat NAME: from the tab listing (no python on the way).
state() {
	rtpp list $SB --sess-id-lo "$1" --format tab |
		awk -F'\t' -v id="$1" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			$c["id"] == id { print $c["state"] }'
}
sbstat() {
	rtpp list $SB --no-session --format tab |
		awk -F'\t' -v k="$1" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			{ print $c[k]; exit }'
}

# expire_then CMD...: a session with --expires-timeout 1 and, as soon as a
# listing shows it expired, CMD with its id appended.
expire_then() {
	local id
	id=$(rtpp alloc $SB --rtp-addr-a 10.9.0.5 --rtp-port-a 4000 --expires-timeout 1) ||
		{ fail "alloc: $id"; return 1; }
	poll eval '[ "$(state "$id")" = expired ]' || { fail "session $id did not expire"; return 1; }
	"$@" "$id" >/dev/null || fail "$* $id"
	EXPIRED+=("$id")
}

revive() {
	rtpp update $SB --expires-timeout 600 --sess-id-lo "$1"
}
delete() {
	rtpp delete $SB --sess-id-lo "$1"
}

for IPT in "${IPT_BACKENDS[@]}"; do
	section "$IPT: switchboard events"
	LISTENERS=()
	LISTENING=()
	EXPIRED=()
	ns_new relay; R=$NS
	ns_new other; O=$NS
	ip -n "$R" addr add $GATE/32 dev lo
	listen "$R" "$TMPD/ev"
	listen "$O" "$TMPD/other"
	ipt "$R" -t mangle -A PREROUTING -p udp -j RTPPROXY $SB --max-sess 4 \
		--resurrection-timeout $RESURRECTION
	ipt "$R" -t mangle -A OUTPUT -p udp -j RTPPROXY $SB --max-sess 4 \
		--resurrection-timeout $RESURRECTION
	ID=$(rtpp list --no-session --format tab | awk -F'\t' 'NR == 2 { print $1 }')
	heard "one switchboard-created for two rules" "$TMPD/ev" 1 switchboard-created
	expect "its id and gates" "$(awk '$1 == "switchboard-created" { print $2, $3, $4 }' "$TMPD/ev")" "$ID $NAME"

	section "$IPT: session events"
	for i in $(seq "$ROUNDS"); do
		expire_then revive
	done
	heard "session-expired, once per revived session" "$TMPD/ev" "$ROUNDS" session-expired
	expect "their ids" "$(awk '$1 == "session-expired" { print $5 }' "$TMPD/ev" | sort -n | xargs)" \
		"$(printf '%s\n' "${EXPIRED[@]}" | sort -n | xargs)"
	expect "expirations, once per revived session" "$(sbstat expirations)" "$ROUNDS"
	for id in "${EXPIRED[@]}"; do
		expect "session $id revived" "$(state "$id")" active
	done
	rtpp delete $SB >/dev/null
	heard "session-destroyed for each deleted session after the resurrection time" \
		"$TMPD/ev" "$ROUNDS" session-destroyed
	expect "their ids" "$(awk '$1 == "session-destroyed" { print $5 }' "$TMPD/ev" | sort -n | xargs)" \
		"$(printf '%s\n' "${EXPIRED[@]}" | sort -n | xargs)"
	EXPIRED=()
	expire_then delete
	heard "an expired session deleted at once: session-expired" "$TMPD/ev" $((ROUNDS + 1)) session-expired
	expect "expirations" "$(sbstat expirations)" $((ROUNDS + 1))
	expect "deletes" "$(sbstat deletes)" $((ROUNDS + 1))
	heard "and session-destroyed after the resurrection time" "$TMPD/ev" $((ROUNDS + 1)) session-destroyed

	section "$IPT: switchboard-full, and the switchboard kept by its other rule"
	ipt "$R" -t mangle -D OUTPUT -p udp -j RTPPROXY $SB --max-sess 4 \
		--resurrection-timeout $RESURRECTION
	# nf_tables releases a deleted rule's target from a work queue.
	poll eval '[ "$(sbstat rules)" = 1 ]' || fail "rules: $(sbstat rules), want 1"
	for i in 1 2 3 4; do
		rtpp alloc $SB --rtp-addr-a 10.9.0.5 --rtp-port-a 4000 >/dev/null || fail "alloc $i"
	done
	for i in 1 2; do
		check_not "alloc on a full switchboard ($i)" \
			rtpp alloc $SB --rtp-addr-a 10.9.0.5 --rtp-port-a 4000
	done
	heard "switchboard-full, once per refusal" "$TMPD/ev" 2 switchboard-full
	expect "alloc_fails" "$(sbstat alloc_fails)" 2
	# Events come in order: had the deleted rule destroyed the switchboard,
	# its event would be before these.
	expect "one rule left: no switchboard-destroyed" "$(count "$TMPD/ev" switchboard-destroyed)" 0
	expect "the same switchboard" "$(sbstat id)" "$ID"

	section "$IPT: destroyed"
	ipt "$R" -t mangle -F
	heard "last rule gone: switchboard-destroyed" "$TMPD/ev" 1 switchboard-destroyed
	expect "its id and gates" "$(awk '$1 == "switchboard-destroyed" { print $2, $3, $4 }' "$TMPD/ev")" "$ID $NAME"
	expect "the other namespace heard nothing" "$(grep -vxc subscribed "$TMPD/other")" 0
	expect "no overrun" "$(count "$TMPD/ev" overrun)" 0
	# A listener that died on the way heard nothing after it: "heard
	# nothing" means something only from one still listening.
	alive=0
	for i in "${!LISTENERS[@]}"; do
		if kill -0 "${LISTENERS[i]}" 2>/dev/null; then
			alive=$((alive + 1))
		else
			fail "listener in ${LISTENING[i]} died before the end"
		fi
	done
	[ "$alive" -ne ${#LISTENERS[@]} ] || pass "both listeners still listening at the end"
	kill "${LISTENERS[@]}" 2>/dev/null
	wait "${LISTENERS[@]}" 2>/dev/null
	for p in "${LISTENERS[@]}"; do
		! kill -0 "$p" 2>/dev/null || fail "listener $p still runs"
	done
	ns_del "$R"
	ns_del "$O"
done
finish
