#!/bin/bash
# genl-fuzz.sh: mutated generic netlink requests to the RTPPROXY family
# (tests/integration/genl_fuzz.py: every command, attribute types in and
# past each space, wrong lengths, nests with and without NLA_F_NESTED and
# past the policies' depth, values at and past every bound of the policies
# of kmod/netlink.c, broken framing, batches), GENL_FUZZ_COUNT datagrams
# (default 4000; make fuzz sends 50000) from seed GENL_FUZZ_SEED (default:
# random, printed, so that a failure can be replayed), against two
# switchboards of a namespace.  Then:
#
#  - every request that asked for an answer got one, with an errno the
#    protocol uses, and a GET_INFO after each datagram still succeeded;
#  - the kernel logged nothing alarming meanwhile (BUG, WARNING, Oops,
#    general protection, a SLUB report under the rig's slub_debug, list
#    corruption, a call trace) and set no taint flag of those (B, D, L, W);
#  - the switchboards are still there, and a known-good round works with
#    exact counters on a third one made then: after a reset of the global
#    counters and a delete of every session, three allocations on it make
#    three sessions listed and
#    counted as learning, allocs 3; deleting them reports 3, deletes 3,
#    none left learning or active, the three listed as destroyed.
#
# Run as root in the guest: tests/vm/run -- tests/integration/run-all genl-fuzz

# shellcheck disable=SC2086  # $SB: several words on purpose
. "$(dirname "$0")/lib.sh"
need_root
need_module

COUNT=${GENL_FUZZ_COUNT:-4000}
SEED=${GENL_FUZZ_SEED:-$((RANDOM * 32768 + RANDOM))}
GATE=10.9.0.1
PORT=40000
PORT2=40100
PORT3=40200
SB="--addr-a $GATE --port-a $PORT"
# the known-good round's, made after the fuzzing: a deleted session stays
# listed as destroyed for an hour, however slow the guest
SB3="--addr-a $GATE --port-a $PORT3"
IPT=${IPT_BACKENDS[0]}

# info_col NAME...: columns of iptrtpproxy info --format tab, by name
info_col() {
	in_ns "$R" iptrtpproxy info --format tab |
		awk -F'\t' -v want="$*" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			NR == 2 { n = split(want, w, " "); for (i = 1; i <= n; i++)
				printf "%s%s", (i > 1 ? " " : ""), $c[w[i]]; print ""; exit }'
}

# states ID...: the state of each session ID of the third switchboard, as
# iptrtpproxy list shows it ("none" when not listed)
states() {
	in_ns "$R" iptrtpproxy list $SB3 --format tab |
		awk -F'\t' -v want="$*" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			/^$/ { exit } { st[$c["id"]] = $c["state"] }
			END { n = split(want, w, " "); for (i = 1; i <= n; i++)
				printf "%s%s", (i > 1 ? " " : ""), (w[i] in st ? st[w[i]] : "none"); print "" }'
}

section "$IPT: $COUNT mutated requests, seed $SEED"
ns_new fuzz; R=$NS
ip -n "$R" addr add $GATE/32 dev lo
ipt "$R" -t mangle -A PREROUTING -p udp -j RTPPROXY $SB --max-sess 4
ipt "$R" -t mangle -A PREROUTING -p udp -j RTPPROXY --addr-a $GATE --port-a $PORT2 \
	--max-sess 2 --resurrection-timeout 0
ids=$(in_ns "$R" iptrtpproxy list --no-session --format tab |
	awk -F'\t' 'NR > 1 && NF { printf "%s%s", sep, $1; sep = "," }')
expect "two switchboards to aim at" "$(tr ',' '\n' <<<"$ids" | wc -l)" 2
log_before=$(klog_lines)
taint_before=$(klog_taint)
start=$SECONDS
out=$(in_ns "$R" python3 "$LIB_DIR/genl_fuzz.py" "$COUNT" "$SEED" $GATE $PORT "$ids" 2>&1)
rc=$?
info "genl_fuzz.py: $out ($((SECONDS - start)) s)"
expect "every request answered as the protocol says, GET_INFO after each (seed $SEED)" \
	"$rc $(grep -c '^sent ' <<<"$out")" "0 1"

section "$IPT: the kernel after it"
alarms=$(klog_since "$log_before")
expect "nothing alarming in the kernel log" "$(grep -c . <<<"$alarms")" 0
[ -z "$alarms" ] || printf '%s\n' "$alarms" | sed 's/^/        | /' | head -n 40
expect "no new taint (B, D, L, W)" \
	"$(klog_taint)" "$taint_before"
expect "both switchboards still there" "$(info_col switchboards)" 2

section "$IPT: a known-good round"
ipt "$R" -t mangle -A PREROUTING -p udp -j RTPPROXY $SB3 --max-sess 4 --resurrection-timeout 3600
check "delete every session" in_ns "$R" iptrtpproxy delete
check "reset the global counters" in_ns "$R" iptrtpproxy info --reset-stat
ids=()
for p in 4000 4002 4004; do
	ids+=("$(in_ns "$R" iptrtpproxy alloc $SB3 --rtp-addr-a 10.1.0.2 --rtp-port-a $p \
		--rtp-learning-timeout-b 60000)")
done
expect "three allocations, three ids" "$(printf '%s\n' "${ids[@]}" | grep -c '^[0-9][0-9]*$')" 3
expect "listed as learning" "$(states "${ids[@]}")" "learning learning learning"
expect "learning, active, allocs, alloc_fails" \
	"$(info_col learning active allocs alloc_fails)" "3 0 3 0"
out=$(in_ns "$R" iptrtpproxy delete $SB3 --format tab | tail -n 1)
expect "delete reports three" "$out" 3
expect "learning, active, deletes after" "$(info_col learning active deletes)" "0 0 3"
expect "listed as destroyed" "$(states "${ids[@]}")" "destroyed destroyed destroyed"
ipt "$R" -t mangle -F
ns_del "$R"
finish
