#!/bin/bash
# reload.sh: a switchboard outlives rule reloads, with traffic flowing.
#
# A stream of packets ($GAP ms apart) flows A->B through one session while
# the relay namespace's mangle table, as iptables-save printed it, is
# loaded again $RELOADS times (100; env RELOADS) in the middle of it: one
# iptables-restore (same backend) reads the saved table $RELOADS times over,
# and commits each copy as it comes, as it commits each table of its input:
# for the kernel, $RELOADS reloads one after the other (legacy: the table
# replaced whole; nft: a transaction that flushes the table and adds its
# rules again), without the cost of starting a process each time, about a
# second under TCG.  The sender runs until told to stop, after packets were
# relayed past the last reload, and says how many it sent, so the reloads
# are mid-stream however slow the guest.  Then:
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

GAP=5
SZ=160
RELOADS=${RELOADS:-100}

# flowing WHAT: more packets are relayed than when last asked (50 more).
flowing() {
	local p
	if poll -t 60 eval '[ "$(sb_packets)" -ge $((LAST + 50)) ]'; then
		p=$(sb_packets)
		pass "$WHAT: the stream flows ($p relayed)"
		LAST=$p
	else
		fail "$WHAT: the stream does not flow ($(sb_packets) relayed, $LAST before)"
	fi
}

# reload_mid_stream: $IPT-save once, then $IPT-restore of what it printed,
# $RELOADS times over, in R while the sender runs.
reload_mid_stream() {
	local saved i start rc
	saved=$(in_ns "$R" "$IPT-save" -t mangle)
	start=$(date +%s%N)
	for ((i = 0; i < RELOADS; i++)); do
		printf '%s\n' "$saved"
	done | in_ns "$R" "$IPT-restore"
	rc=$?
	info "$RELOADS reloads in $((($(date +%s%N) - start) / 1000000)) ms"
	expect "$RELOADS reloads with $IPT-restore" "$rc" 0
	if [ "$(ipt_save "$R")" = "$(sed -e '/^#/d' -e 's/ \[[0-9]*:[0-9]*\]$//' <<<"$saved")" ]; then
		pass "the ruleset as before"
	else
		fail "the ruleset changed"
		show_diff "$saved" "$(ipt_save "$R")"
	fi
	# Each reload dropped the old rule's hold on the switchboard, once
	# (nf_tables from a work queue): the switchboard of most drops among
	# the probe's events (other scenarios' are others) had $RELOADS.
	if [ "$PROBED" = 1 ]; then
		# shellcheck disable=SC2016  # eval'ed by poll
		poll eval '[ "$(puts)" -ge $RELOADS ]'
		expect "the kernel saw $RELOADS reloads (rule references dropped from the switchboard)" \
			"$(puts)" "$RELOADS"
	fi
	if kill -0 "$SENDER" 2>/dev/null; then
		pass "the reloads ran while the sender ran"
	else
		fail "the sender is gone after the reloads"
	fi
}

# puts: the most rule references dropped (rtpp_sb_put) from one
# switchboard since the probe was cleared.
puts() {
	kprobe_trace | grep -o " rtpp_$$_put: .*sb=0x[0-9a-f]*" | sed 's/.*sb=//' |
		sort | uniq -c | sort -rn | awk 'NR == 1 { print $1 } END { if (!NR) print 0 }'
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

	# The receiver ends 10 s after the last datagram.
	recv "$B" 10.2.0.2:6000 stream --idle 10 --timeout 900
	rm -f "$TMPD/stop" "$TMPD/sent"
	# Not through in_ns or send: $! must be the sender itself (ip execs it
	# in the namespace), so that the cleanup stops it should the scenario
	# end early.  It prints how many it sent once $TMPD/stop exists (the
	# count is only a bound: about 14 hours at $GAP ms).
	ip netns exec "$A" python3 "$LIB_DIR/udp.py" send 10.1.0.2:4000 $GATE_A:$gp \
		10000000 $SZ --gap $GAP --until "$TMPD/stop" >"$TMPD/sent" &
	SENDER=$!
	at_cleanup "kill $SENDER"
	LAST=0
	[ "$PROBED" = 1 ] && : >"$KPROBE_INST/trace"
	WHAT="before the reloads" flowing
	reload_mid_stream
	WHAT="after the reloads" flowing
	touch "$TMPD/stop"
	wait "$SENDER"
	N=$(cat "$TMPD/sent")
	info "the stream: $N packets"

	expect "B received every packet from gate B:$gp, exact bytes" \
		"$(got stream "$GATE_B:$gp")" \
		"$N $N $((N * SZ))"
	expect_relayed_exactly "$id" "$created" "$N" $((N * SZ))
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

PROBED=0
if kprobe_setup && kprobe_add put 'xt_RTPPROXY:rtpp_sb_put sb=%di:x64'; then
	PROBED=1
else
	skip "counting reloads in the kernel: no kprobe events"
fi

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
