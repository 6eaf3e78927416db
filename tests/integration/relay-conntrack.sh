#!/bin/bash
# relay-conntrack: relay.sh's flows with conntrack on the relay: the
# relayed flows are tracked and datagrams that arrive in fragments are
# relayed whole (conntrack's defragmentation); with the gate ports exempted
# in the raw table as libxt_RTPPROXY.man advises, none is tracked and
# media flows the same.
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
	n=$(gate_flows)
	if [ "$n" -gt 0 ]; then
		pass "the relayed flows are tracked ($n conntrack entries)"
	else
		fail "no conntrack entry for the relayed flows"
	fi
	# Defragmentation is conntrack's here, the same for either back end.
	[ "$IPT" != "${IPT_BACKENDS[0]}" ] || fragments
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
