#!/bin/bash
# teardown.sh: a relay namespace deleted the way a container runtime does
# it, with its rules in place, live sessions and media flowing, and the
# module unloaded afterwards.
#
#  - While a rule uses it, rmmod is refused and the switchboard goes on.
#  - "ip netns del" of the relay with its switchboard, three sessions and a
#    stream running: as long as a process (an event listener) keeps the
#    namespace alive, the switchboard still relays; once the listener is
#    gone the namespace dies and takes switchboard, sessions and rules with
#    it; the module's reference count drops to zero and rmmod succeeds.
#  - The module loads again and a new namespace gets a new switchboard of
#    the same definition, starting afresh (id 1, no sessions, zero counters).
#  - The deletion once more, the module now loaded after the tables'
#    modules: its namespace exit runs first and the last switchboard goes
#    afterwards, with the table (the path that frees the namespace's
#    counters from the switchboard's RCU callback).
#  The rig fails the run on any kernel report (slub_debug, WARN, oops).
#
# run-all: alone (it unloads the module)
# Run as root in the guest: tests/vm/run -- tests/integration/teardown.sh

# shellcheck disable=SC2086  # $SB: several words on purpose
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
need_root
need_module

EVENTS="$TOP/tests/tools/rtpp-events"

# in_pid PID CMD...: CMD in the network namespace of process PID (the relay
# once its name is gone).
in_pid() {
	local pid=$1
	shift
	nsenter --net="/proc/$pid/ns/net" "$@"
}
# packets_of PID: the switchboard's relayed packets, seen from PID's netns.
packets_of() {
	in_pid "$1" iptrtpproxy list $SB --no-session --format json | first_packets
}
more_packets() {
	[ "$(packets_of "$1")" -gt "$2" ]
}

# deleted_under_traffic: the relay namespace deleted with its rule,
# sessions and a stream in place; then rmmod.
deleted_under_traffic() {
	local p listener sender n
	topo_up --max-sess 16 || { fail "topology"; return 1; }
	for p in 4000 4002 4004; do
		alloc --rtp-addr-a 10.1.0.2 --rtp-port-a $p --rtp-addr-b 10.2.0.2 \
			--rtp-port-b $((p + 2000)) >/dev/null || fail "alloc $p"
	done
	# Not through in_ns: $! must be the listener itself (ip execs it in
	# the namespace), not a subshell of the initial namespace.
	ip netns exec "$R" "$EVENTS" >"$TMPD/ev" 2>&1 &
	listener=$!
	at_cleanup "kill $listener"
	poll grep -qx subscribed "$TMPD/ev" || fail "listener: $(cat "$TMPD/ev")"
	rm -f "$TMPD/stop"
	# Not through send either: the cleanup must be able to stop it should
	# the scenario end early.
	ip netns exec "$A" python3 "$LIB_DIR/udp.py" send 10.1.0.2:4000 $GATE_A:$PORT \
		1000000 160 --gap 5 --until "$TMPD/stop" >/dev/null 2>&1 &
	sender=$!
	at_cleanup "kill $sender"
	poll eval '[ "$(sb_packets)" -gt 0 ]' || fail "the stream does not flow"

	check_not "rmmod while a rule uses the module: refused" rmmod xt_RTPPROXY
	n=$(sb_packets)
	if poll more_packets "$listener" "$n"; then
		pass "and the switchboard goes on relaying"
	else
		fail "relayed packets stuck at $n after the refused rmmod"
	fi

	ip netns del "$R"
	n=$(packets_of "$listener")
	if poll more_packets "$listener" "$n"; then
		pass "ip netns del: while the listener holds the namespace, it still relays"
	else
		fail "relayed packets stuck at $n after ip netns del"
	fi
	expect "its three sessions are still there" \
		"$(in_pid "$listener" iptrtpproxy list $SB --format json |
			jget switchboards.0.sessions_by_state.active)" 3

	kill "$listener"
	wait "$listener" 2>/dev/null
	# The namespace dies in the background; with it the rules, whose
	# references keep the module.
	if poll -t 60 eval '[ "$(module_refs)" = 0 ]'; then
		pass "the namespace gone: no reference left on the module"
	else
		fail "module references left: $(module_refs)"
	fi
	touch "$TMPD/stop"
	wait "$sender" 2>/dev/null
	ns_del "$R"
	ns_del "$A"
	ns_del "$B"
	if rmmod xt_RTPPROXY; then
		pass "rmmod"
	else
		fail "rmmod: refcount $(module_refs)"
	fi
}

for IPT in "${IPT_BACKENDS[@]}"; do
	section "$IPT: the relay namespace deleted under traffic"
	deleted_under_traffic

	section "$IPT: again, afresh"
	check "modprobe xt_RTPPROXY" modprobe xt_RTPPROXY
	topo_up --max-sess 16 || { fail "topology"; continue; }
	expect "a new switchboard of the same definition: id, sessions, packets, allocs" \
		"$(rtpp list $SB --format json |
			jget switchboards.0.id switchboards.0.sessions_by_state.free \
				switchboards.0.stats.packets switchboards.0.stats.allocs | xargs)" "1 16 0 0"
	topo_down

	# Loaded again now, after the tables' modules, the module's namespace
	# exit runs before theirs: the switchboard outlives it and goes with
	# its rule in the table's exit (switchboard.c, rtpp_sb_put).
	section "$IPT: deleted again, the module loaded after its tables"
	deleted_under_traffic
	modprobe xt_RTPPROXY
done
finish
