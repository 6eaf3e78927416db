#!/bin/bash
# bench/memory.sh: kernel memory per session slot and per switchboard, from
# the kernel's own accounting (issue 9, measurement 3).
#
#   tests/vm/run --icount -- bench/memory.sh       (or: make bench)
#
# Kernel memory here is /proc/meminfo's SUnreclaim (slab objects, and the
# kmalloc'ed blocks too big for a slab, which the kernel counts with them),
# VmallocUsed and Percpu, in kB.  In a fresh namespace R, each step is read
# before and after, once the commands of the step have exited and a pause
# has let RCU free what they freed:
#
#   mark          SWITCHBOARDS rules of -j MARK, in a chain nothing jumps
#                 to: what a rule of a small target costs, for comparison
#   switchboard   SWITCHBOARDS switchboards of one slot each, defined by as
#                 many rules of one iptables-restore (each switchboard is
#                 counted with its rule)
#   slots         one more switchboard, of SESSIONS slots, minus one
#                 switchboard: what a slot costs before it is used
#   fill0         rtpp-bench-fill allocating nothing: what the process and
#                 its netlink socket leave behind (noise)
#   session       rtpp-bench-fill allocating SESSIONS sessions on it
#
# A used slot costs "slots" + "session".  /proc/slabinfo's line of the
# sessions' cache (rtpp_session, unless SLUB merged it with another cache)
# is shown before and after too.  Rounds repeat it all in a new namespace.
#
# env: SESSIONS (default 30000), SWITCHBOARDS (default 100), ROUNDS
# (default 2), IPT.
. "$(dirname "$0")/lib.sh"

SESSIONS=${SESSIONS:-30000}
SWITCHBOARDS=${SWITCHBOARDS:-100}
ROUNDS=${ROUNDS:-2}
FILL=$BENCH_DIR/rtpp-bench-fill
[[ $SESSIONS =~ ^[1-9][0-9]*$ && $SWITCHBOARDS =~ ^[1-9][0-9]*$ && $ROUNDS =~ ^[1-9][0-9]*$ ]] ||
	die "bad SESSIONS, SWITCHBOARDS or ROUNDS"
[ "$SWITCHBOARDS" -le 250 ] || die "SWITCHBOARDS: at most 250 (the namespace's cap is 256 by default)"
[ -x "$FILL" ] || die "$FILL not built (make -C bench)"

# kmem: kernel memory in bytes (SUnreclaim + VmallocUsed + Percpu), once
# deferred frees have run.
kmem() {
	sleep 1
	awk '$1 == "SUnreclaim:" || $1 == "VmallocUsed:" || $1 == "Percpu:" { kb += $2 }
		END { print kb * 1024 }' /proc/meminfo
}

slabline() {
	awk '$1 == "rtpp_session" { print "# slabinfo rtpp_session: active", $2, "total", $3, "objsize", $4; f = 1 }
		END { if (!f) print "# slabinfo: no rtpp_session line (merged with another cache)" }' /proc/slabinfo
}

per() { awk -v d="$1" -v n="$2" 'BEGIN { printf "%.1f", d / n }'; }

need_guest
bench_header
echo "# kernel memory = SUnreclaim + VmallocUsed + Percpu of /proc/meminfo; $SWITCHBOARDS switchboards, $SESSIONS sessions, $ROUNDS rounds, rules with $IPT"

declare -A res=()
for ((r = 1; r <= ROUNDS; r++)); do
	ns_new relay; R=$NS
	ip -n "$R" addr add 10.1.0.1/32 dev lo
	ip -n "$R" addr add 10.2.0.1/32 dev lo
	# The table and the chain exist before the first reading.
	ipt "$R" -t mangle -N rtpp
	ipt "$R" -t mangle -A PREROUTING -p udp -j rtpp
	# For comparison: as many rules of a small target (MARK), in a chain
	# of their own that nothing jumps to.
	mr=$(kmem)
	{
		echo '*mangle'
		echo ':cmp - [0:0]'
		for ((i = 0; i < SWITCHBOARDS; i++)); do
			echo "-A cmp -j MARK --set-mark $i"
		done
		echo COMMIT
	} | in_ns "$R" "$IPT-restore" --noflush || die "$SWITCHBOARDS MARK rules"
	m0=$(kmem)
	{
		echo '*mangle'
		for ((i = 0; i < SWITCHBOARDS; i++)); do
			echo "-A rtpp -j RTPPROXY --addr-a 10.1.0.1 --port-a $((10000 + 2 * i)) --addr-b 10.2.0.1 --port-b $((10000 + 2 * i)) --max-sess 1"
		done
		echo COMMIT
	} | in_ns "$R" "$IPT-restore" --noflush || die "$SWITCHBOARDS switchboards"
	m1=$(kmem)
	ipt "$R" -t mangle -A rtpp -j RTPPROXY --addr-a 10.1.0.1 --port-a 20000 \
		--addr-b 10.2.0.1 --port-b 20000 --max-sess "$SESSIONS" --expires-timeout 3600 ||
		die "a switchboard of $SESSIONS"
	m2=$(kmem)
	in_ns "$R" "$FILL" 10.1.0.1 20000 0 10.1.0.2 4000 10.2.0.2 6000 >/dev/null || die "fill 0"
	m3=$(kmem)
	[ "$r" -gt 1 ] || slabline
	n=$(in_ns "$R" "$FILL" 10.1.0.1 20000 "$SESSIONS" 10.1.0.2 4000 10.2.0.2 6000) ||
		die "allocated ${n:-no} of $SESSIONS sessions"
	m4=$(kmem)
	[ "$r" -gt 1 ] || slabline
	res[mark,$r]=$(per $((m0 - mr)) "$SWITCHBOARDS")
	res[sb,$r]=$(per $((m1 - m0)) "$SWITCHBOARDS")
	sb_bytes=$(((m1 - m0) / SWITCHBOARDS))
	res[slot,$r]=$(per $((m2 - m1 - sb_bytes)) "$SESSIONS")
	res[noise,$r]=$((m3 - m2))
	res[sess,$r]=$(per $((m4 - m3)) "$SESSIONS")
	res[used,$r]=$(awk -v a="${res[slot,$r]}" -v b="${res[sess,$r]}" 'BEGIN { printf "%.1f", a + b }')
	say "round $r: bytes before and after: $mr $m0 $m1 $m2 $m3 $m4"
	ipt "$R" -t mangle -F
	ipt "$R" -t mangle -X
done

printf '\n%-44s' "bytes of kernel memory"
for ((r = 1; r <= ROUNDS; r++)); do printf ' %9s' "round $r"; done
echo
row() { # LABEL KEY
	printf '%-44s' "$1"
	for ((r = 1; r <= ROUNDS; r++)); do printf ' %9s' "${res[$2,$r]}"; done
	echo
}
row "per switchboard of 1 slot, with its rule" sb
row "(per MARK rule, for comparison)" mark
row "per slot of a switchboard, unused" slot
row "per session allocated" sess
row "per slot in use (the two above)" used
row "left by a process allocating nothing" noise
echo
echo "bytes-per-slot used-slot ${res[used,$ROUNDS]} target 256"
