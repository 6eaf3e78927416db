#!/bin/bash
# privilege.sh: who may talk to the relay, and which relay they talk to.
#
#  - Without CAP_NET_ADMIN (dropped with capsh, and with setpriv) every
#    command exits 1 and says that CAP_NET_ADMIN is missing: the CLI's own
#    check, before anything is sent.
#  - The kernel refuses by itself: the CLI run in a new user namespace (full
#    capabilities there, so the CLI's check passes) that does not own the
#    relay's network namespace gets EPERM for every request (info, list,
#    alloc, update, delete, resets, audit): exit 1 with a permission message
#    naming CAP_NET_ADMIN, and nothing changed (sessions, their creation
#    times, counters).  The same user namespace with a network namespace of
#    its own is allowed there: the check is against the network namespace's
#    user namespace.
#  - Namespace isolation: a second relay namespace with the same switchboard
#    definition does not see the first one's sessions (nor counters); deleting
#    every session in one leaves the other's intact, both ways.
#
# Run as root in the guest: tests/vm/run -- tests/integration/privilege.sh

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
need_root
need_module

SZ=100

# state_of NS: what must not change: sessions (id, created_ms, state) and the
# switchboard's and global counters.
state_of() {
	in_ns "$1" iptrtpproxy list $SB --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
sb = d["switchboards"][0]
print(sb["id"], sb["stats"], [(s["id"], s["created_ms"], s["state"], s["a"]["rtp"]["packets"]) for s in sb["sessions"]])'
	in_ns "$1" iptrtpproxy info --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["switchboards"], d["sessions"], d["stats"])'
}

# unchanged DESC BEFORE AFTER: two state_of outputs are the same.
unchanged() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1"
		show_diff "$2" "$3"
	fi
}

# refused DESC RUNNER... -- CLI ARGS: the CLI run through RUNNER must exit 1
# with a message naming CAP_NET_ADMIN (and matching $WANT_MSG).
refused() {
	local desc=$1 out rc
	shift
	out=$("$@" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" = 1 ] && grep -q 'CAP_NET_ADMIN' <<<"$out" && grep -Eqi "$WANT_MSG" <<<"$out"; then
		pass "$desc: exit 1 ($out)"
	else
		fail "$desc: exit $rc, want 1 with /CAP_NET_ADMIN/ and /$WANT_MSG/: '$out'"
	fi
}

FLOWS=0
flow() { # DESC N: session $ID relays N packets A->B
	local tag=flow$((FLOWS += 1))
	recv "$B" 10.2.0.2:6000 $tag --count "$2" --timeout 120
	send "$A" 10.1.0.2:4000 $GATE_A:$((PORT + 2 * ID)) "$2" $SZ
	expect "$1: $2 packets relayed" "$(got $tag "$GATE_B:$((PORT + 2 * ID))")" "$2 $2 $(($2 * SZ))"
}

no_capability() {
	local before cmd
	before=$(state_of "$R")
	WANT_MSG='missing capability'
	local cmds=(
		"info"
		"list"
		"alloc $SB --rtp-addr-a 10.1.0.2 --rtp-port-a 4100"
		"update $SB --sess-id-lo $ID --rtp-port-a 4200"
		"delete"
		"list --reset-switchboard-packet-stat"
		"info --reset-stat"
	)
	if command -v capsh >/dev/null; then
		for cmd in "${cmds[@]}"; do
			refused "capsh --drop=cap_net_admin: iptrtpproxy $cmd" \
				in_ns "$R" capsh --drop=cap_net_admin -- -c "iptrtpproxy $cmd"
		done
	else
		skip "capsh not installed (libcap2-bin)"
	fi
	if command -v setpriv >/dev/null; then
		for cmd in "${cmds[@]}"; do
			# shellcheck disable=SC2086  # cmd is words
			refused "setpriv without net_admin: iptrtpproxy $cmd" \
				in_ns "$R" setpriv --inh-caps=-net_admin --bounding-set=-net_admin \
				iptrtpproxy $cmd
		done
	else
		skip "setpriv not installed (util-linux)"
	fi
	unchanged "nothing changed without CAP_NET_ADMIN" "$before" "$(state_of "$R")"
}

# The kernel's own check: CAP_NET_ADMIN in R's user namespace (the initial
# one), which a process in a child user namespace does not have.
kernel_refuses() {
	local before cmd out rc uid eff
	before=$(state_of "$R")
	WANT_MSG='not permitted'
	local cmds=(
		"info"
		"list"
		"list $SB --no-session"
		"alloc $SB --rtp-addr-a 10.1.0.2 --rtp-port-a 4100"
		"update $SB --sess-id-lo $ID --rtp-port-a 4200"
		"update $SB --rtp-port-a 4200"
		"delete"
		"delete $SB --sess-id-lo $ID"
		"list --reset-switchboard-packet-stat"
		"list --reset-switchboard-stat"
		"info --reset-stat"
		"info --force-switchboard-audit"
	)
	for cmd in "${cmds[@]}"; do
		# shellcheck disable=SC2086  # cmd is words
		refused "user namespace not owning the relay's: iptrtpproxy $cmd" \
			in_ns "$R" unshare -U -r iptrtpproxy $cmd
	done
	read -r uid eff <<<"$(in_ns "$R" unshare -U -r sh -c \
		'id -u; sed -n "s/^CapEff:[[:space:]]*//p" /proc/self/status' | xargs)"
	expect "in that user namespace: uid 0 with CAP_NET_ADMIN (the CLI's own check passes)" \
		"$uid $(((16#${eff:-0} >> 12) & 1))" "0 1"
	unchanged "nothing changed after the kernel's refusals" "$before" "$(state_of "$R")"
	flow "session still relays" 3

	# The same, with a network namespace the user namespace owns: allowed.
	out=$(unshare -U -r -n iptrtpproxy info --format json 2>&1)
	rc=$?
	expect "own user+network namespace: info allowed, no switchboard there" \
		"$rc $(jget switchboards <<<"$out" 2>&1)" "0 0"
}

isolation() {
	local id2a id2b id2c out rc mine
	ns_new relay2
	R2=$NS
	ip -n "$R2" addr add $GATE_A/32 dev lo
	ip -n "$R2" addr add $GATE_B/32 dev lo
	ipt "$R2" -t mangle -N rtpp &&
		ipt "$R2" -t mangle -A rtpp -j RTPPROXY $SB --max-sess 8 &&
		ipt "$R2" -t mangle -A PREROUTING -p udp -j rtpp &&
		ipt "$R2" -t mangle -A OUTPUT -p udp -j rtpp
	expect "same switchboard defined in a second namespace" $? 0
	rtpp2() { in_ns "$R2" iptrtpproxy "$@"; }

	mine=$(state_of "$R")
	expect "second namespace: the switchboard, no session, no counts" \
		"$(rtpp2 list $SB --format json | jget switchboards.0.sessions switchboards.0.stats.packets \
			switchboards.0.stats.allocs switchboards.0.sessions_by_state.free | xargs)" "[] 0 0 8"
	expect "second namespace: global view has no session" \
		"$(rtpp2 info --format json | jget sessions.active stats.packets stats.allocs | xargs)" "0 0 0"

	id2a=$(rtpp2 alloc $SB --rtp-addr-a 10.1.0.2 --rtp-port-a 4400)
	id2b=$(rtpp2 alloc $SB --rtp-addr-a 10.1.0.2 --rtp-port-a 4410)
	expect "second namespace: two sessions allocated" \
		"$(rtpp2 list $SB --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["switchboards"][0]["sessions"]))')" 2
	unchanged "first namespace unchanged by the second's allocations" "$mine" "$(state_of "$R")"

	out=$(rtpp2 delete -v 2>&1)
	rc=$?
	expect "delete every session in the second namespace ($(tail -n 1 <<<"$out"))" \
		"$rc $(grep -c 'deleted 2 sessions$' <<<"$out")" "0 1"
	expect "second namespace: both destroyed" \
		"$(rtpp2 list $SB --format json | jget "switchboards.0.sessions.id=$id2a.state" \
			"switchboards.0.sessions.id=$id2b.state" | xargs)" "destroyed destroyed"
	unchanged "first namespace's session intact" "$mine" "$(state_of "$R")"
	flow "first namespace's session still relays" 2

	# And the other way round.
	id2c=$(rtpp2 alloc $SB --rtp-addr-a 10.1.0.2 --rtp-port-a 4420)
	out=$(rtpp delete -v 2>&1)
	rc=$?
	expect "delete every session in the first namespace ($(tail -n 1 <<<"$out"))" \
		"$rc $(grep -c 'deleted 1 session$' <<<"$out")" "0 1"
	expect "first namespace: session destroyed" "$(sess "$ID" state)" destroyed
	expect "second namespace's new session intact" \
		"$(rtpp2 list $SB --format json | jget "switchboards.0.sessions.id=$id2c.state" \
			switchboards.0.stats.deletes | xargs)" "active 2"
}

for IPT in "${IPT_BACKENDS[@]}"; do
	section "$IPT: privileges and namespaces"
	R2=
	if ! topo_up --max-sess 8 --expires-timeout 600; then
		fail "topology with $IPT"
		continue
	fi
	ID=$(alloc --rtp-addr-a 10.1.0.2 --rtp-port-a 4000 --rtp-addr-b 10.2.0.2 --rtp-port-b 6000)
	flow "session relays" 4
	no_capability
	kernel_refuses
	isolation
	topo_down ${R2:+"$R2"}
done
finish
