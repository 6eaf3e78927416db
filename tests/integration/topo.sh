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
# With TOPO_TABLE=raw the switchboard's rules are in the raw table instead,
# one per gate address in PREROUTING and OUTPUT for UDP to it, as the README
# recommends; the counting rule is in a chain "rtpp" jumped to after them.

GATE_A=10.1.0.1
GATE_B=10.2.0.1
PORT=50000
SB="--addr-a $GATE_A --port-a $PORT --addr-b $GATE_B --port-b $PORT"
TMPD=$(mktemp -d /tmp/rtpp-$$-XXXX)
at_cleanup "rm -rf $TMPD"

# topo_links: the namespaces A, R and B, their links, addresses and routes,
# without the switchboard.
topo_links() {
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
}

# topo_up [RTPPROXY OPTIONS...]: build it with the backend $IPT; extra
# options go to the switchboard's rule (default --max-sess 16).
topo_up() {
	local opts=("$@") t=${TOPO_TABLE:-mangle} chain g
	[ ${#opts[@]} -gt 0 ] || opts=(--max-sess 16)
	topo_links
	if [ "$t" = raw ]; then
		for chain in PREROUTING OUTPUT; do
			for g in $GATE_A $GATE_B; do
				ipt "$R" -t raw -A "$chain" -p udp -d $g \
					-j RTPPROXY $SB "${opts[@]}" || return 1
			done
		done
		ipt "$R" -t raw -N rtpp
		[ "${TOPO_COUNT_RULE:-1}" = 0 ] ||
			ipt "$R" -t raw -A rtpp -p udp -m multiport --dports $PORT:$((PORT + 99))
		for chain in PREROUTING OUTPUT; do
			ipt "$R" -t raw -A "$chain" -p udp -d $GATE_A,$GATE_B -j rtpp
		done
		return
	fi
	ipt "$R" -t "$t" -N rtpp
	ipt "$R" -t "$t" -A rtpp -j RTPPROXY $SB "${opts[@]}" || return 1
	[ "${TOPO_COUNT_RULE:-1}" = 0 ] ||
		ipt "$R" -t "$t" -A rtpp -p udp -m multiport --dports $PORT:$((PORT + 99))
	for chain in PREROUTING OUTPUT POSTROUTING; do
		ipt "$R" -t mangle -A "$chain" -p udp -j rtpp
	done
}

# topo_down [NS...]: remove the topology and the namespaces NS (rules
# first, so that the switchboards go at once), keeping the scenario's other
# state (its scratch directory).
topo_down() {
	local n t
	for n in "$A" "$R" "$B" "$@"; do
		for t in mangle ${TOPO_TABLE:-}; do
			in_ns "$n" "$IPT" -t $t -F >/dev/null 2>&1
			in_ns "$n" "$IPT" -t $t -X >/dev/null 2>&1
		done
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

# sess_cols ID COLUMN...: columns of session ID's line in the CLI's tab
# listing, space-separated; nothing when the session is not listed.  No
# python: cheap enough for what must happen inside a timeout on a slow guest.
sess_cols() {
	local id=$1
	shift
	rtpp list $SB --sess-id-lo "$id" --format tab |
		awk -F'\t' -v id="$id" -v want="$*" '
		NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["id"] == id {
			n = split(want, w, " ")
			for (i = 1; i <= n; i++) printf "%s%s", (i > 1 ? " " : ""), (w[i] in c ? $c[w[i]] : "NOCOLUMN")
			print ""
		}'
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

# expect_relayed_exactly ID CREATED PACKETS BYTES: session ID (created at
# CREATED, still active) relayed exactly PACKETS of BYTES from A, and so did
# its switchboard and the namespace, with nothing dropped.
expect_relayed_exactly() {
	expect "session counters" "$(sess "$1" state created_ms a.rtp.packets a.rtp.bytes a.rtp.errors | xargs)" \
		"active $2 $3 $4 0"
	expect "switchboard counters" "$(sbstat packets bytes | xargs)" "$3 $4"
	expect "switchboard: nothing dropped" \
		"$(sbstat drop_malformed drop_fragment drop_csum drop_source drop_no_peer drop_expired drop_destroyed drop_route | xargs)" \
		"0 0 0 0 0 0 0 0"
	expect "global counters" "$(gstat packets bytes drop_route drop_source | xargs)" "$3 $4 0 0"
}

# gate_port ID [1]: the gate port of session ID's RTP (RTCP with 1).
gate_port() { echo $((PORT + 2 * $1 + ${2:-0})); }

# The first "packets" of a JSON document, without starting python (for use
# while a stream runs): the switchboard's with "list --no-session", the
# global one with "info".
first_packets() {
	awk '/"packets":/ { gsub(/[^0-9]/, ""); print; exit }'
}
sb_packets() { rtpp list $SB --no-session --format json | first_packets; }
g_packets() { rtpp info --format json | first_packets; }

# passed_on: packets to gate A's ports that RTPPROXY let through untouched
# (counted by the rule after it).
passed_on() {
	ipt "$R" -t "${TOPO_TABLE:-mangle}" -L rtpp -v -n -x | awk '($3 == "udp" || $3 == "17") && /multiport/ { print $1; exit }'
}

# recv NS BIND NAME [udp.py recv options]: start a receiver in the
# background; its summary goes to $TMPD/NAME.json.  Waits until it is bound.
recv() {
	local ns=$1 bind=$2 name=$3
	shift 3
	rm -f "$TMPD/$name.json" "$TMPD/$name.json.kv" "$TMPD/$name.json.ready"
	in_ns "$ns" python3 "$LIB_DIR/udp.py" recv "$bind" "$TMPD/$name.json" "$@" &
	poll test -e "$TMPD/$name.json.ready"
}

# received NAME PATH: once the receiver has written its summary, a field of
# it (count, bytes, sources.IP:PORT, ttls.TTL; 0 for a source or TTL that
# never came).  Polls for the file rather than
# waiting for the process: this runs in command substitutions too.
received() {
	local file="$TMPD/$1.json"
	poll -t 180 test -e "$file" || { echo "no summary from receiver $1"; return 1; }
	awk -v k="$2" '$1 == k { v = $2 } END { print v + 0 }' "$TMPD/$1.json.kv"
}

# got NAME SRC: "count from_SRC bytes" of receiver NAME once it ended.  It
# polls for the summary file (written by rename when the receiver ends):
# unlike "wait", that also works in a command substitution's subshell.
got() {
	poll -t 150 test -e "$TMPD/$1.json" || { echo "receiver $1 did not end"; return 1; }
	awk -v src="sources.$2" '$1 == "count" { c = $2 } $1 == "bytes" { b = $2 }
		$1 == src { n = $2 } END { print c + 0, n + 0, b + 0 }' "$TMPD/$1.json.kv"
}

# send NS SRC DST COUNT SIZE [--gap MS]
send() {
	local ns=$1
	shift
	in_ns "$ns" python3 "$LIB_DIR/udp.py" send "$@"
}

# arm NAME NS SRC: a sender bound to SRC in NS, started now and waiting for
# "fire": starting python takes seconds on a loaded TCG guest, too long for
# what must happen inside a learning window or a resurrection time.
# fire NAME DST COUNT SIZE: send now.  fired NAME: wait until the last
# packet has left; print the wall-clock ms it did.
arm() {
	local name=$1 ns=$2 src=$3
	rm -f "$TMPD/$name".*
	mkfifo "$TMPD/$name.go" || return 1
	in_ns "$ns" python3 - "$src" "$TMPD/$name" <<'PY' &
import os, socket, sys, time
host, _, port = sys.argv[1].rpartition(":")
base = sys.argv[2]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((host, int(port)))
open(base + ".ready", "w").close()
with open(base + ".go") as f:          # blocks until fire: no polling
    dst, count, size = f.read().split()
h, _, p = dst.rpartition(":")
for seq in range(int(count)):
    s.sendto(seq.to_bytes(4, "big") + bytes(int(size) - 4), (h, int(p)))
with open(base + ".tmp", "w") as f:
    f.write("%d\n" % (time.time() * 1000))
os.rename(base + ".tmp", base + ".sent")
PY
	eval "ARMED_$name=$!"
	poll test -e "$TMPD/$name.ready"
}
fire() {
	local pid_var="ARMED_$1"
	# Opening the FIFO blocks until the sender opens it: make sure it lives.
	if kill -0 "${!pid_var}" 2>/dev/null; then
		echo "$2 $3 $4" >"$TMPD/$1.go"
	else
		echo "sender $1 is gone" >&2
	fi
}
fired() {
	poll -t 150 test -e "$TMPD/$1.sent" && cat "$TMPD/$1.sent"
}

# udp_csum_errors NS: InCsumErrors of the namespace's UDP.
udp_csum_errors() {
	in_ns "$1" awk '/^Udp:/ { n++; if (n == 2) print $8 }' /proc/net/snmp
}
