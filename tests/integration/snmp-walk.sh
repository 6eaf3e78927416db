#!/bin/bash
# snmp-walk: a walk of the session table of a 10,000-session switchboard
# through snmpd and iptrtpproxy-agent, while sessions of a second
# switchboard come and go (so kernel events keep expiring the agent's
# cache and it reloads during the walk).  Every session of the big
# switchboard comes back exactly once, every row of the walk in strictly
# increasing index order, the churn really ran during the walk, and the
# table agrees with the CLI's count.  One iptables backend: the agent reads
# the kernel over netlink and never sees the rules.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/snmpd.sh"
need_root
need_module

FILL=$TOP/tests/tools/rtpp-fill
CHURN=$TOP/tests/tools/rtpp-churn
MAX=${WALK_SESSIONS:-10000}
IPT=${IPT_BACKENDS[0]}
need_built "$FILL" "$CHURN" "$AGENT_BIN"
need_snmp_cmds snmpd snmpbulkwalk snmpget
D=$(mktemp -d /tmp/rtpp-$$-XXXX)
at_cleanup "rm -rf $D"

section "$MAX sessions on one switchboard, churn on another"
ns_new relay; R=$NS
ip -n "$R" addr add 10.1.0.1/32 dev lo
ip -n "$R" addr add 10.2.0.1/32 dev lo
BIG=(--addr-a 10.1.0.1 --port-a 2000 --addr-b 10.2.0.1 --port-b 2000)
# An hour's expiry: the sessions see no packet, and must outlive a slow walk.
ipt "$R" -t mangle -A PREROUTING -p udp -j RTPPROXY "${BIG[@]}" --max-sess $MAX \
	--expires-timeout 3600 ||
	{ fail "a switchboard of $MAX sessions"; finish; }
ipt "$R" -t mangle -A PREROUTING -p udp -j RTPPROXY --addr-a 10.1.0.1 --port-a 40000 \
	--addr-b 10.2.0.1 --port-b 40000 --max-sess 64 --resurrection-timeout 0 ||
	{ fail "the churn switchboard"; finish; }
expect "filled" "$(in_ns "$R" "$FILL" 10.1.0.1 2000 10.1.0.2)" "$MAX $MAX ENOSPC"
BIG_ID=$(in_ns "$R" iptrtpproxy list "${BIG[@]}" --no-session --format json | jget switchboards.0.id)
churn_allocs() {
	in_ns "$R" iptrtpproxy list --addr-a 10.1.0.1 --port-a 40000 --no-session \
		--format json | jget switchboards.0.stats.allocs
}

section "snmpd, and the agent in the relay namespace"
snmpd_setup "$D"
snmpd_start || { fail "snmpd does not answer: $(head -5 "$D/snmpd.log")"; finish; }
agent_start "$R" || { fail "the agent did not register: $(cat "$D/agent.log")"; finish; }
pass "agent registered"

in_ns "$R" "$CHURN" 10.1.0.1 40000 10.2.0.1 40000 1000000 8 10.1.0.3 10.2.0.3 \
	>/dev/null 2>&1 &
churn=$!
at_cleanup "kill $churn"
poll eval '[ "$(churn_allocs)" -gt 0 ]' || fail "the churn did not start"
before=$(churn_allocs)

start=$SECONDS
snmpbulkwalk -v2c -c public-ro -t 60 -r 0 -Cr50 -On -Oq "$SNMP_HOST" \
	$RTPP_MIB_OID.1.3.1.2 >"$D/walk" 2>"$D/walk.err"
rc=$?
took=$((SECONDS - start))
after=$(churn_allocs)
kill $churn 2>/dev/null
wait $churn 2>/dev/null
expect "the walk ended cleanly ($(head -c 200 "$D/walk.err"))" $rc 0
info "walk of $(wc -l <"$D/walk") rows in $took s; the churn allocated $((after - before)) sessions meanwhile"
check "sessions came and went during the walk ($before -> $after allocations)" \
	test "$after" -gt "$before"

# Every row's index is (switchboard, session); the big switchboard's must be
# 0..MAX-1, each once; all rows in strictly increasing order.
verdict=$(python3 - "$D/walk" "$RTPP_MIB_OID.1.3.1.2." "$BIG_ID" "$MAX" <<'PY'
import sys
path, prefix, big, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rows, prev, order = [], None, "in order"
for line in open(path):
    oid = line.split()[0]
    if not oid.startswith(prefix):
        continue
    idx = tuple(int(x) for x in oid[len(prefix):].split("."))
    if prev is not None and idx <= prev:
        order = "out of order at %s after %s" % (idx, prev)
        break
    prev = idx
    rows.append(idx)
sess = [s for sb, s in rows if sb == big]
print(order, len(sess), len(set(sess)), int(sorted(sess) == list(range(n))))
PY
)
expect "rows in order; $MAX sessions of switchboard $BIG_ID, each once" "$verdict" "in order $MAX $MAX 1"
loads=$(grep -c 'loaded in' "$D/agent.log")
info "the agent loaded its tables $loads times: $(grep -o 'loaded in [0-9]* ms' "$D/agent.log" | tail -n 5 | xargs)"
check "the agent logged no error" test -z "$(grep -v '^rtppa' "$D/agent.log" | grep -Ei 'error|fail')"
finish
