# shellcheck shell=bash
# tests/integration/topo.sh: the relay topology of the session scenarios.
# Sourced after lib.sh.
#
#   A (client side a)          R (relay)                B (client side b)
#   va 10.1.0.2,.3,.4/24 ---- ra 10.1.0.1/24   rb 10.2.0.1/24 ---- vb 10.2.0.2,.3,.4/24
#                              lo 10.9.0.1/32 (a client on the relay itself)
#
# Gate A is 10.1.0.1:50000.., gate B 10.2.0.1:50000..; rp_filter is strict
# in R.  The switchboard's rule sits in the mangle chain "rtpp", jumped to
# from PREROUTING, OUTPUT and POSTROUTING for UDP, as the manual shows; a
# second rule counts what RTPPROXY lets through untouched (see passed_on).

GATE_A=10.1.0.1
GATE_B=10.2.0.1
PORT=50000
SB="--addr-a $GATE_A --port-a $PORT --addr-b $GATE_B --port-b $PORT"
TMPD=$(mktemp -d /tmp/rtpp-$$-XXXX)
at_cleanup "rm -rf $TMPD"

# topo_up [RTPPROXY OPTIONS...]: build it with the backend $IPT; extra
# options go to the switchboard's rule (default --max-sess 16).
topo_up() {
	local opts=("$@")
	[ ${#opts[@]} -gt 0 ] || opts=(--max-sess 16)
	ns_new a; A=$NS
	ns_new relay; R=$NS
	ns_new b; B=$NS
	ip link add va netns "$A" type veth peer name ra netns "$R"
	ip link add vb netns "$B" type veth peer name rb netns "$R"
	ip -n "$A" addr add 10.1.0.2/24 dev va
	ip -n "$A" addr add 10.1.0.3/24 dev va
	ip -n "$A" addr add 10.1.0.4/24 dev va
	ip -n "$B" addr add 10.2.0.2/24 dev vb
	ip -n "$B" addr add 10.2.0.3/24 dev vb
	ip -n "$B" addr add 10.2.0.4/24 dev vb
	ip -n "$R" addr add 10.1.0.1/24 dev ra
	ip -n "$R" addr add 10.2.0.1/24 dev rb
	ip -n "$R" addr add 10.9.0.1/32 dev lo
	ip -n "$A" link set va up
	ip -n "$B" link set vb up
	ip -n "$R" link set ra up
	ip -n "$R" link set rb up
	ip -n "$A" route add default via 10.1.0.1
	ip -n "$B" route add default via 10.2.0.1
	in_ns "$R" sysctl -qw net.ipv4.conf.all.rp_filter=1 \
		net.ipv4.conf.default.rp_filter=1 net.ipv4.conf.ra.rp_filter=1 \
		net.ipv4.conf.rb.rp_filter=1
	ipt "$R" -t mangle -N rtpp
	ipt "$R" -t mangle -A rtpp -j RTPPROXY $SB "${opts[@]}" || return 1
	[ "${TOPO_COUNT_RULE:-1}" = 0 ] ||
		ipt "$R" -t mangle -A rtpp -p udp -m multiport --dports $PORT:$((PORT + 99))
	local chain
	for chain in PREROUTING OUTPUT POSTROUTING; do
		ipt "$R" -t mangle -A "$chain" -p udp -j rtpp
	done
}

# topo_down: remove the topology (rules first, so that the switchboard
# goes at once), keeping the scenario's other state.
topo_down() {
	local n
	for n in "$A" "$R" "$B"; do
		ip netns exec "$n" "$IPT" -t mangle -F >/dev/null 2>&1
		ip netns exec "$n" "$IPT" -t mangle -X >/dev/null 2>&1
		ns_del "$n"
	done
}

# Conntrack in R: a rule that needs it makes the namespace track.
topo_conntrack() {
	ipt "$R" -t filter -A INPUT -m conntrack --ctstate INVALID -j DROP
}

# rtpp ARGS...: the CLI in the relay namespace.
rtpp() {
	in_ns "$R" iptrtpproxy "$@"
}

# alloc ARGS...: allocate on the switchboard, print the session id.
alloc() {
	rtpp alloc $SB "$@"
}

# sess ID PATH...: fields of session ID (paths below the session object).
sess() {
	local id=$1
	shift
	local paths=() p
	for p in "$@"; do paths+=("switchboards.0.sessions.id=$id.$p"); done
	rtpp list $SB --sess-id-lo "$id" --format json | python3 "$LIB_DIR/jget.py" "${paths[@]}"
}

# sbstat NAME...: the switchboard's counters.
sbstat() {
	local paths=() p
	for p in "$@"; do paths+=("switchboards.0.stats.$p"); done
	rtpp list $SB --no-session --format json | python3 "$LIB_DIR/jget.py" "${paths[@]}"
}

# gstat NAME...: the namespace's global counters.
gstat() {
	local paths=() p
	for p in "$@"; do paths+=("stats.$p"); done
	rtpp info --format json | python3 "$LIB_DIR/jget.py" "${paths[@]}"
}

# passed_on: packets to gate A's ports that RTPPROXY let through untouched
# (counted by the rule after it).
passed_on() {
	ipt "$R" -t mangle -L rtpp -v -n -x | awk '($3 == "udp" || $3 == "17") && /multiport/ { print $1; exit }'
}

# recv NS BIND NAME [udp.py recv options]: start a receiver in the
# background; its summary goes to $TMPD/NAME.json.  Waits until it is bound.
recv() {
	local ns=$1 bind=$2 name=$3
	shift 3
	rm -f "$TMPD/$name.json" "$TMPD/$name.json.ready"
	in_ns "$ns" python3 "$LIB_DIR/udp.py" recv "$bind" "$TMPD/$name.json" "$@" &
	poll test -e "$TMPD/$name.json.ready"
}

# received NAME PATH: once the receiver has written its summary, a field of
# it (count, bytes, sources.IP:PORT).  Polls for the file rather than
# waiting for the process: this runs in command substitutions too.
received() {
	local file="$TMPD/$1.json"
	poll -t 180 test -e "$file" || { echo "no summary from receiver $1"; return 1; }
	python3 - "$file" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
path = sys.argv[2]
if path.startswith("sources."):
    print(d["sources"].get(path[len("sources."):], 0))
else:
    print(d[path])
PY
}

# send NS SRC DST COUNT SIZE [--gap MS]
send() {
	local ns=$1
	shift
	in_ns "$ns" python3 "$LIB_DIR/udp.py" send "$@"
}

# expect DESC ACTUAL EXPECTED
expect() {
	if [ "$2" = "$3" ]; then
		pass "$1 ($2)"
	else
		fail "$1: got '$2', expected '$3'"
	fi
}

# udp_csum_errors NS: InCsumErrors of the namespace's UDP.
udp_csum_errors() {
	in_ns "$1" awk '/^Udp:/ { n++; if (n == 2) print $8 }' /proc/net/snmp
}
