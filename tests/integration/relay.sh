#!/bin/bash
# relay: RTP and RTCP from A reach B from gate B's address and the matching
# port, and back; exact packet and byte counts in the session, switchboard
# and global statistics; checksums that verify at the receiver (also UDP
# checksum 0); strict rp_filter on the relay; clients on the relay host
# itself; malformed packets dropped and counted, never relayed; datagrams
# that arrive in fragments relayed whole (defragmentation enabled by the
# rule itself).  The same with conntrack: relay-conntrack.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
. "$(dirname "$0")/relaylib.sh"
need_root
need_module

for IPT in "${IPT_BACKENDS[@]}"; do
	section "$IPT: forwarding clients, strict rp_filter"
	topo_up --max-sess 16 --expires-timeout 3600 || { fail "topology with $IPT"; continue; }
	basic
	local_clients
	malformed
	fragments
	topo_down
done
finish
