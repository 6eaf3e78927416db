#!/bin/bash
# reload.sh: a switchboard outlives rule reloads, with traffic flowing.
#
# A stream of $N packets ($GAP ms apart) flows A->B through one session
# while "iptables-save -t mangle | iptables-restore" (same backend, in the
# relay namespace) runs twice in the middle of it.  Then:
#  - B received every packet, from gate B's port, payload bytes exact;
#  - the session's, the switchboard's and the global counters equal exactly
#    what was sent, and nothing was dropped;
#  - the switchboard keeps its id, its creation time, one rule again;
#  - the session still exists with the same created_ms, active.
#
# Run as root in the guest: tests/vm/run -- tests/integration/reload.sh

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
need_root
need_module

N=1200
GAP=5
SZ=160

# got NAME SRC: "count from_SRC bytes" of receiver NAME once it ended.  It
# polls for the summary file (written by rename when the receiver ends):
# unlike "wait", that also works in a command substitution's subshell.
got() {
	poll -t 60 test -e "$TMPD/$1.json" || { echo "receiver $1 did not end"; return 1; }
	python3 - "$TMPD/$1.json" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(d["count"], d["sources"].get(sys.argv[2], 0), d["bytes"])
PY
}

topo_down() {
	local n
	for n in "$A" "$R" "$B"; do
		in_ns "$n" "$IPT" -t mangle -F >/dev/null 2>&1
		in_ns "$n" "$IPT" -t mangle -X >/dev/null 2>&1
		ns_del "$n"
	done
}

# sb_packets: the switchboard's relayed packets, without starting python
# (it runs while the stream flows).
sb_packets() {
	rtpp list $SB --no-session --format json |
		awk '/"packets":/ { gsub(/[^0-9]/, ""); print; exit }'
}

# reload_mid_stream WHICH: iptables-save | iptables-restore in R while the
# sender still runs.
reload_mid_stream() {
	local which=$1 rc p
	in_ns "$R" "$IPT-save" -t mangle | in_ns "$R" "$IPT-restore"
	rc=("${PIPESTATUS[@]}")
	expect "$which reload: $IPT-save | $IPT-restore" "${rc[*]}" "0 0"
	p=$(sb_packets)
	if kill -0 "$SENDER" 2>/dev/null && [ "$p" -gt 0 ] && [ "$p" -lt $N ]; then
		pass "$which reload in the middle of the stream ($p of $N relayed)"
	else
		fail "$which reload not in the middle of the stream ($p of $N relayed, sender $(kill -0 "$SENDER" 2>/dev/null && echo running || echo done))"
	fi
	LAST=$p
}

reload() {
	local id gp sbid sbcreated created list
	id=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4000 --rtp-addr-b 10.2.0.2 --rtp-port-b 6000)
	gp=$((PORT + 2 * id))
	list=$(rtpp list $SB --format json)
	read -r sbid sbcreated created <<<"$(python3 "$LIB_DIR/jget.py" switchboards.0.id \
		switchboards.0.created_ms "switchboards.0.sessions.id=$id.created_ms" <<<"$list" | xargs)"
	expect "switchboard id (list --no-session)" \
		"$(rtpp list $SB --no-session --format json | python3 "$LIB_DIR/jget.py" switchboards.0.id)" "$sbid"

	recv "$B" 10.2.0.2:6000 stream --count $N --idle 5 --timeout 120
	send "$A" 10.1.0.2:4000 $GATE_A:$gp $N $SZ --gap $GAP &
	SENDER=$!
	LAST=0
	poll -t 30 eval '[ "$(sb_packets)" -ge 50 ]' || fail "stream started: $(sb_packets) relayed"
	reload_mid_stream first
	poll -t 30 eval '[ "$(sb_packets)" -ge $((LAST + 50)) ] || ! kill -0 $SENDER 2>/dev/null'
	reload_mid_stream second
	wait "$SENDER"

	expect "B received every packet from gate B:$gp, exact bytes" \
		"$(got stream "$GATE_B:$gp")" \
		"$N $N $((N * SZ))"
	expect "session counters" "$(sess "$id" state created_ms a.rtp.packets a.rtp.bytes a.rtp.errors | xargs)" \
		"active $created $N $((N * SZ)) 0"
	expect "switchboard counters" "$(sbstat packets bytes | xargs)" "$N $((N * SZ))"
	expect "switchboard: nothing dropped" \
		"$(sbstat drop_malformed drop_fragment drop_csum drop_source drop_no_peer drop_expired drop_destroyed drop_route | xargs)" \
		"0 0 0 0 0 0 0 0"
	expect "global counters" "$(gstat packets bytes drop_route drop_source | xargs)" "$N $((N * SZ)) 0 0"
	expect "switchboard id and creation time unchanged" \
		"$(rtpp list $SB --no-session --format json | python3 "$LIB_DIR/jget.py" switchboards.0.id switchboards.0.created_ms | xargs)" \
		"$sbid $sbcreated"
	expect "switchboard statistics: one allocation, one session" \
		"$(sbstat allocs deletes expirations | xargs)" "1 0 0"
	# nf_tables releases the old rules from a work queue: the count settles.
	# shellcheck disable=SC2016
	if poll eval '[ "$(rtpp list $SB --no-session --format json | python3 "$LIB_DIR/jget.py" switchboards.0.rules)" = 1 ]'; then
		pass "one rule refers to the switchboard again"
	else
		fail "rules: $(rtpp list $SB --no-session --format json | python3 "$LIB_DIR/jget.py" switchboards.0.rules)"
	fi
	expect "one switchboard in the namespace" "$(rtpp info --format json | python3 "$LIB_DIR/jget.py" switchboards)" 1
}

for IPT in "${IPT_BACKENDS[@]}"; do
	section "$IPT: iptables-restore under traffic"
	if ! topo_up --max-sess 16 --expires-timeout 600; then
		fail "topology with $IPT"
		continue
	fi
	reload
	topo_down
done
finish
