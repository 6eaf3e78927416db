#!/bin/bash
# relay-raw: relay.sh's flows with the rule in the raw table, as the README
# recommends (one rule per gate address in PREROUTING and OUTPUT for UDP to
# it), conntrack in use: media flows the same, relayed packets
# leave untracked and no entry is made for a gate port; a flow the relay
# does not take is tracked as usual (the control).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
. "$(dirname "$0")/relaylib.sh"
need_root
need_module

for IPT in "${IPT_BACKENDS[@]}"; do
	section "$IPT: with conntrack, the rule in the raw table (the README's recipe)"
	TOPO_TABLE=raw
	topo_up --max-sess 16 --expires-timeout 3600 || { fail "topology with $IPT"; TOPO_TABLE=; continue; }
	topo_conntrack
	basic
	local_clients
	# Defragmentation comes before the raw table, the same for either back end.
	[ "$IPT" != "${IPT_BACKENDS[0]}" ] || fragments
	expect "the raw recipe: no conntrack entry for a gate port" "$(gate_flows)" 0
	check "conntrack tracks a flow that is not relayed" ct_other
	topo_down
	TOPO_TABLE=
done
finish
