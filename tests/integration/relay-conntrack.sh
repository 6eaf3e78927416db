#!/bin/bash
# relay-conntrack: relay.sh's flows with conntrack on the relay.  Relayed
# packets are untracked (issue 14 item 10): the relay's table has no entry
# for a relayed flow, whether the rule sits in mangle as the manual shows
# (what arrives gets an entry that dies unconfirmed with the packet) or in
# mangle with the gate ports exempted in raw as libxt_RTPPROXY.man advises;
# a flow the relay does not take is tracked as usual (the control).
# Datagrams that arrive in fragments are relayed whole (conntrack's
# defragmentation).  The rule in the raw table: relay-raw.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
. "$(dirname "$0")/relaylib.sh"
need_root
need_module

for IPT in "${IPT_BACKENDS[@]}"; do
	section "$IPT: with conntrack on the relay"
	topo_up --max-sess 16 --expires-timeout 3600 || { fail "topology with $IPT"; continue; }
	topo_conntrack
	basic
	local_clients
	# Defragmentation is conntrack's here, the same for either back end.
	[ "$IPT" != "${IPT_BACKENDS[0]}" ] || fragments
	expect "the manual's recipe: no conntrack entry for a gate port" "$(gate_flows)" 0
	check "conntrack tracks a flow that is not relayed" ct_other
	topo_down

	section "$IPT: with conntrack, the gate ports exempted in the raw table"
	topo_up --max-sess 16 --expires-timeout 3600 || { fail "topology with $IPT"; continue; }
	topo_conntrack
	for g in $GATE_A $GATE_B; do
		check "raw NOTRACK rules for gate $g" notrack "$g" "$PORT:$((PORT + 31))"
	done
	basic
	local_clients
	expect "no conntrack entry for a gate port" "$(gate_flows)" 0
	topo_down
done
finish
