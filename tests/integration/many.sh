#!/bin/bash
# many.sh: thousands of switchboards and sessions on the control protocol.
#
#  - A reset of every switchboard, with $NSB of them defined by one
#    iptables-restore and one session allocated on each: the reply comes in
#    datagrams of at most 64 KiB (the kernel builds it piece by piece, not
#    as one buffer sized by the number of switchboards), every switchboard
#    once, with the allocation it cleared; the command line prints all
#    $NSB cleared values, and a second reset finds zeros.
#  - A dump of $NSESS sessions during which a session is allocated (through
#    a second socket, once the first piece has been read): messages read
#    before the change are not flagged, a message after it carries
#    NLM_F_DUMP_INTR (tests/integration/genl.py shows the flags).
#  - The command line lists those sessions while another process allocates
#    and deletes sessions: never a duplicate session; a listing is either
#    whole (the library restarted it each time the kernel said it was
#    interrupted, iptrtpproxy -v says how often) or the command fails saying
#    the listing kept changing.  Once the churn stops, a listing is exact
#    and needs no restart.
#
# iptables-legacy only: the point is the control protocol, and thousands of
# rules through iptables-nft's compatibility layer take minutes under TCG.
#
# Run as root in the guest: tests/vm/run -- tests/integration/many.sh

# shellcheck disable=SC2086  # $CH: several words on purpose
. "$(dirname "$0")/lib.sh"
need_root
need_module

GENL="$LIB_DIR/genl.py"
# 1,500 switchboards reply in a dozen datagrams; 3,000 (MANY_SB) cost the
# scenario four more minutes of make check under TCG, most of it allocating
# on each (the kernel finds a switchboard by id walking the namespace's list).
NSB=${MANY_SB:-1500}
NSESS=${MANY_SESS:-1000}
TMPD=$(mktemp -d /tmp/rtpp-$$-XXXX)
at_cleanup "rm -rf $TMPD"
IPT=iptables-legacy

# More switchboards than a namespace may have by default: raise the cap
# (a module parameter, kmod/limits.c) for the run, and put it back.
# limits.sh, which tests the caps, runs alone, so nothing else minds.
CAP=/sys/module/xt_RTPPROXY/parameters/netns_max_switchboards
if [ -w "$CAP" ] && [ "$(cat "$CAP")" -lt $((NSB + 16)) ]; then
	at_cleanup "echo $(cat "$CAP") >$CAP"
	echo $((NSB + 16)) >"$CAP"
fi
# The churned switchboard: deleted sessions free their slot at once, and
# none expires however slow the guest.
CH="--addr-a 10.9.1.1 --port-a 20000 --addr-b 10.9.1.2"

rtpp() { in_ns "$R" iptrtpproxy "$@"; }

# cleared_sum FILE: entries, distinct ids and the sum of allocs of the
# cleared switchboards in the JSON output FILE.
cleared_sum() {
	python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))["cleared"]["switchboard"]
print(len(d), len({e["id"] for e in d}), sum(e["stats"]["allocs"] for e in d))
PY
}

resets() {
	local i out t0 form rest
	section "$IPT: a reset of $NSB switchboards"
	{
		echo '*mangle'
		for ((i = 0; i < NSB; i++)); do
			echo "-A PREROUTING -p udp -j RTPPROXY --addr-a 10.9.0.1 --port-a $((10000 + 4 * i)) --addr-b 10.9.0.2 --max-sess 2"
		done
		echo COMMIT
	} >"$TMPD/rules"
	t0=$SECONDS
	check "$NSB switchboards in one iptables-restore" ipt_restore "$R" <"$TMPD/rules"
	info "iptables-restore: $((SECONDS - t0)) s"
	expect "switchboards defined" "$(rtpp info --format json | jget switchboards)" "$NSB"
	expect "one session allocated on each" "$(in_ns "$R" python3 "$GENL" alloc-ids 1 "$NSB")" "$NSB"

	out=$(in_ns "$R" python3 "$GENL" reset-pieces sb 2>&1)
	info "genl.py: $out"
	read -r form _ d _ largest _ m _ ids _ allocs _ <<<"$out"
	[[ $largest =~ ^[0-9]+$ ]] || largest=0
	if [ "$largest" -gt 0 ] && [ "$largest" -le 65536 ]; then
		pass "reset of every switchboard: no datagram above 64 KiB ($form, $d datagrams, largest $largest bytes)"
	else
		fail "reset of every switchboard: $out"
	fi
	expect "every switchboard once, with the allocation it cleared" "$m $ids $allocs" "$NSB $NSB $NSB"

	# Through the library and the command line: allocate again, reset.
	# (Two slots a switchboard: the first round's sessions may or may not
	# have expired by now, depending on how long allocating took.)
	in_ns "$R" python3 "$GENL" alloc-ids 1 "$NSB" >/dev/null
	rtpp info --reset-switchboard-stat --format json >"$TMPD/reset.json" 2>"$TMPD/reset.err"
	rest=$(cat "$TMPD/reset.err")
	expect "iptrtpproxy info --reset-switchboard-stat: entries, ids, allocations${rest:+ ($rest)}" \
		"$(cleared_sum "$TMPD/reset.json" 2>&1 | xargs)" "$NSB $NSB $NSB"
	rtpp info --reset-switchboard-stat --format json >"$TMPD/reset.json" 2>&1
	expect "a second reset: every switchboard, nothing cleared" \
		"$(cleared_sum "$TMPD/reset.json" 2>&1 | xargs)" "$NSB $NSB 0"
	ipt_flush "$R"
	poll eval '[ "$(rtpp info --format json | jget switchboards)" = 0 ]'
}

# tab_ids: session ids of a tab listing on stdin, one a line.
tab_ids() { awk -F'\t' 'NR > 1 && NF > 6 { print $6 }'; }

dumps() {
	local out runs=4 max_runs=40 i rc n dups restarts=0 fails=0 pairs d0
	section "$IPT: dumps interrupted by changes"
	ipt "$R" -t mangle -A PREROUTING -p udp -j RTPPROXY $CH \
		--max-sess $((NSESS + 100)) --resurrection-timeout 0 --expires-timeout 86400
	expect "$NSESS sessions allocated" "$(in_ns "$R" python3 "$GENL" fill 10.9.1.1 20000 "$NSESS")" "$NSESS"

	out=$(in_ns "$R" python3 "$GENL" dump-intr 10.9.1.1 20000 2>&1)
	info "genl.py: $out"
	read -r _ p _ m _ b _ a <<<"$out"
	expect "dump of $NSESS sessions in several pieces, none flagged before the change" \
		"$([ "${p:-0}" -ge 3 ] && echo yes) ${b:-?}" "yes 0"
	if [ "${a:-0}" -ge 1 ]; then
		pass "after the change, NLM_F_DUMP_INTR on $a of the messages"
	else
		fail "after the change, no message flagged NLM_F_DUMP_INTR ($out)"
	fi
	in_ns "$R" iptrtpproxy delete $CH --sess-id-lo $NSESS >/dev/null 2>&1

	rm -f "$TMPD/stop"
	d0=$(rtpp info --format json | jget stats.deletes)
	in_ns "$R" python3 "$GENL" churn 10.9.1.1 20000 "$TMPD/stop" >"$TMPD/pairs" &
	at_cleanup "touch $TMPD/stop"
	poll eval '[ "$(rtpp info --format json | jget stats.deletes)" -gt "$d0" ]' 
	# At least $runs listings, and more until one of them met a change
	# (how many overlap one depends on how the guest schedules the churn).
	for ((i = 0; i < runs || (restarts + fails == 0 && i < max_runs); i++)); do
		rtpp -v list $CH --format tab >"$TMPD/list" 2>"$TMPD/list.err"
		rc=$?
		n=$(tab_ids <"$TMPD/list" | wc -l)
		dups=$(tab_ids <"$TMPD/list" | sort | uniq -d | wc -l)
		grep -q 'restarted' "$TMPD/list.err" && restarts=$((restarts + 1))
		if [ $rc -eq 0 ] && [ "$dups" = 0 ] && [ "$n" -ge "$NSESS" ] && [ "$n" -le $((NSESS + 1)) ]; then
			pass "listing under churn: $n sessions, no duplicate$(grep -o 'restarted [0-9]* time.*' "$TMPD/list.err" | sed 's/^/, /')"
		elif [ $rc -eq 1 ] && [ "$n" = 0 ] && grep -q 'kept changing' "$TMPD/list.err"; then
			fails=$((fails + 1))
			pass "listing under churn refused: $(tail -n1 "$TMPD/list.err")"
		else
			fail "listing under churn: status $rc, $n sessions, $dups duplicated: $(tail -n2 "$TMPD/list.err")"
		fi
	done
	touch "$TMPD/stop"
	wait
	pairs=$(cat "$TMPD/pairs")
	info "churn: $pairs allocate/delete pairs"
	if [ $((restarts + fails)) -gt 0 ]; then
		pass "the library saw the kernel's flag: $restarts listings restarted, $fails refused"
	else
		fail "no listing of $i restarted or refused while $pairs sessions came and went"
	fi
	rtpp -v list $CH --format tab >"$TMPD/list" 2>"$TMPD/list.err"
	expect "after the churn: exact, no restart" \
		"$(tab_ids <"$TMPD/list" | sort -u | wc -l) $(grep -c restarted "$TMPD/list.err")" "$NSESS 0"
	ipt_flush "$R"
}

ns_new relay; R=$NS
ip -n "$R" addr add 10.9.0.1/32 dev lo
ip -n "$R" addr add 10.9.0.2/32 dev lo
ip -n "$R" addr add 10.9.1.1/32 dev lo
ip -n "$R" addr add 10.9.1.2/32 dev lo
resets
dumps
finish
