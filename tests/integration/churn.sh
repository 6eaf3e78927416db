#!/bin/bash
# churn: thousands of session allocations and deletions while traffic flows
# through one long-lived session and is sprayed over every gate port (live,
# dying and free slots alike).  The long-lived session loses nothing, the
# counters reconcile, and the module unloads cleanly afterwards; the rig
# fails the run on any kernel report (slub_debug, WARN, oops).  Unloaded,
# a monitor's open (RTPP_OPEN_NO_LOAD, tests/tools/rtpp-probe) does not
# bring the module back; an ordinary open does.
# run-all: alone (it unloads the module)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
need_root
need_module

CHURN="$TOP/tests/tools/rtpp-churn"
PROBE="$TOP/tests/tools/rtpp-probe"
CYCLES=${CHURN_CYCLES:-1000}
BATCH=4
N=1500

need_built "$CHURN" "$PROBE"

for IPT in "${IPT_BACKENDS[@]}"; do
	section "$IPT: $CYCLES cycles of $BATCH allocations and deletions under traffic"
	topo_up --max-sess 16 --resurrection-timeout 0 || { fail "topology"; continue; }
	expect "long-lived session" "$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4000 \
		--rtp-addr-b 10.2.0.2 --rtp-port-b 6000)" 0

	recv "$B" 10.2.0.2:6000 steady --count $N --idle 10 --timeout 600
	# Not through send or in_ns: $! must be the sender itself (ip execs it
	# in the namespace), so that the cleanup stops it should the scenario
	# end early.
	ip netns exec "$A" python3 "$LIB_DIR/udp.py" send 10.1.0.2:4000 $GATE_A:$PORT \
		$N 160 --gap 2 &
	steady=$!
	at_cleanup "kill $steady"
	ip netns exec "$A" python3 "$LIB_DIR/udp.py" spray 10.1.0.3:4100 $GATE_A \
		$((PORT + 2)) $((PORT + 31)) $((N * 2)) 100 --gap 1 &
	spray=$!
	at_cleanup "kill $spray"
	out=$(in_ns "$R" "$CHURN" $GATE_A $PORT $GATE_B $PORT $CYCLES $BATCH 10.1.0.3 10.2.0.3)
	expect "churn completed" "$out" "$((CYCLES * BATCH)) $((CYCLES * BATCH))"
	wait $steady $spray

	expect "long-lived session: every packet arrived" "$(received steady count)" $N
	expect "long-lived session counters" "$(sess 0 a.rtp.packets a.rtp.bytes a.rtp.errors | xargs)" \
		"$N $((N * 160)) 0"
	expect "allocations and deletions counted" "$(sbstat allocs deletes | xargs)" \
		"$((CYCLES * BATCH + 1)) $((CYCLES * BATCH))"
	expect "only the long-lived session is left" \
		"$(rtpp list $SB --format json | python3 "$LIB_DIR/jget.py" switchboards.0.sessions_by_state.active switchboards.0.sessions_by_state.free | xargs)" "1 15"
	# Every sprayed packet was either relayed by a churned session, dropped
	# by one (no peer: its source is not the client), or passed on untouched.
	read -r relayed nopeer src <<<"$(sbstat packets drop_no_peer drop_source | xargs)"
	expect "sprayed packets all accounted for" \
		$((relayed - N + nopeer + src + $(passed_on))) $((N * 2))
	topo_down
done

# The switchboards are gone with their rules: the module unloads.
if poll -t 30 rmmod xt_RTPPROXY; then
	pass "rmmod after the churn"
	# A monitor's open (RTPP_OPEN_NO_LOAD) finds no module and loads none;
	# an ordinary open, by the family's name, makes the kernel load it.
	expect "open with RTPP_OPEN_NO_LOAD, module unloaded" "$("$PROBE" --no-load)" not-loaded
	expect "... and the module is still not loaded" "$(grep -c '^xt_RTPPROXY ' /proc/modules)" 0
	expect "an ordinary open loads the module" "$("$PROBE" | cut -d' ' -f1) $(grep -c '^xt_RTPPROXY ' /proc/modules)" "loaded 1"
	grep -q '^xt_RTPPROXY ' /proc/modules || modprobe xt_RTPPROXY
	expect "open with RTPP_OPEN_NO_LOAD, module loaded: info and events work" \
		"$("$PROBE" --no-load)" "loaded version=1 switchboards=0 events=yes"
else
	fail "rmmod after the churn: $(lsmod | grep RTPPROXY)"
fi
finish
