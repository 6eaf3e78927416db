#!/bin/bash
# bench/memory.sh: kernel memory per session slot and per switchboard, from
# the kernel's own accounting (issue 9, measurement 3).
#
#   tests/vm/run --icount -- bench/memory.sh       (or: make bench)
#
# Two accountings, read before and after each step:
#
#   memcg    what the kernel charged to the memory cgroup this script runs
#            in (it makes one): slab_unreclaimable + percpu + vmalloc of
#            its memory.stat, in bytes.  The module allocates with
#            GFP_KERNEL_ACCOUNT / SLAB_ACCOUNT, so this counts its objects
#            at their slab object size, byte for byte, and nothing of the
#            rest of the system.
#   meminfo  what the whole system lost: SUnreclaim + VmallocUsed + Percpu
#            of /proc/meminfo, in kB.  Slab memory there is counted in
#            whole pages: objects that fit in pages already in use cost
#            nothing there, so it is exact only for many objects.
#
# Steps, in a fresh namespace R, each read once its commands have exited
# and a pause (3 s of guest time) has let deferred frees (RCU) and the
# memory cgroup's statistics catch up:
#
#   mark          SWITCHBOARDS rules of -j MARK in a chain nothing jumps to
#                 (one iptables-restore): what a rule of a small target
#                 costs, for comparison
#   switchboard   SWITCHBOARDS switchboards of one slot each, defined by as
#                 many rules of one iptables-restore (each switchboard is
#                 counted with its rule)
#   slots         one more switchboard, of SESSIONS slots, less one
#                 switchboard: what a slot costs while unused
#   fill0         rtpp-bench-fill allocating nothing: what the process and
#                 its netlink socket leave behind (should be 0)
#   session       rtpp-bench-fill allocating SESSIONS sessions on it
#
# A used slot costs "slots" + "session".  Rounds repeat it all in a new
# namespace.  The namespace's cap on switchboards is raised for the run if
# SWITCHBOARDS needs it, and put back.
#
# Sessions are allocated with the module parameter quality set to QUALITY
# (N: plain sessions, the 232-byte object; Y: sessions that track call
# quality, the module's default, the larger one), put back afterwards.
# The last line names the figure used-slot, or used-slot-quality for Y.
#
# env: SESSIONS (default 30000, at most 30000), SWITCHBOARDS (default 1000,
# at most 1000), ROUNDS (default 2), QUALITY (N or Y, default N), IPT.
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

SESSIONS=${SESSIONS:-30000}
SWITCHBOARDS=${SWITCHBOARDS:-1000}
ROUNDS=${ROUNDS:-2}
FILL=$BENCH_DIR/rtpp-bench-fill
[[ $SESSIONS =~ ^[1-9][0-9]*$ && $SWITCHBOARDS =~ ^[1-9][0-9]*$ && $ROUNDS =~ ^[1-9][0-9]*$ ]] ||
	die "bad SESSIONS, SWITCHBOARDS or ROUNDS"
# Gate ports: the big switchboard from 2000, the small ones from 62000.
[ "$SESSIONS" -le 30000 ] || die "SESSIONS: at most 30000"
[ "$SWITCHBOARDS" -le 1000 ] || die "SWITCHBOARDS: at most 1000"
[ -x "$FILL" ] || die "$FILL not built (make -C bench)"

QUALITY=${QUALITY:-N}
[[ $QUALITY =~ ^[NY]$ ]] || die "bad QUALITY (N or Y)"

CG=/sys/fs/cgroup
CAP=/sys/module/xt_RTPPROXY/parameters/netns_max_switchboards
QPARAM=/sys/module/xt_RTPPROXY/parameters/quality
MYCG=

# A memory cgroup of our own, with this shell (and so every command it
# starts) in it.
cgroup_enter() {
	[ -e $CG/cgroup.controllers ] || mount -t cgroup2 none $CG || die "mount cgroup2"
	grep -qw memory $CG/cgroup.subtree_control ||
		echo +memory >$CG/cgroup.subtree_control || die "enable the memory controller"
	MYCG=$CG/bench-$$
	mkdir "$MYCG" || die "mkdir $MYCG"
	echo $$ >"$MYCG/cgroup.procs" || die "enter $MYCG"
}
cgroup_leave() {
	[ -n "$MYCG" ] || return 0
	echo $$ >$CG/cgroup.procs
	rmdir "$MYCG" 2>/dev/null || true
}

# reading: "MEMCG MEMINFO" in bytes, after a pause.
reading() {
	sleep 3
	echo "$(awk '$1 == "slab_unreclaimable" || $1 == "percpu" || $1 == "vmalloc" { b += $2 }
		END { print b }' "$MYCG/memory.stat") $(awk '$1 == "SUnreclaim:" ||
		$1 == "VmallocUsed:" || $1 == "Percpu:" { kb += $2 } END { print kb * 1024 }' /proc/meminfo)"
}

# restore_rules CHAIN TARGET_OF_I: SWITCHBOARDS rules in one iptables-restore.
restore_rules() {
	local chain=$1 i
	{
		echo '*mangle'
		[ "$chain" = rtpp ] || echo ":$chain - [0:0]"
		for ((i = 0; i < SWITCHBOARDS; i++)); do
			case $2 in
			mark) echo "-A $chain -j MARK --set-mark $i" ;;
			sb) echo "-A $chain -j RTPPROXY --addr-a 10.1.0.1 --port-a $((62000 + 2 * i))" \
				"--addr-b 10.2.0.1 --port-b $((62000 + 2 * i)) --max-sess 1" ;;
			esac
		done
		echo COMMIT
	} | in_ns "$R" "$IPT-restore" --noflush
}

need_guest
bench_header
echo "# $SWITCHBOARDS switchboards, $SESSIONS sessions, $ROUNDS rounds, rules with $IPT"
echo "# memcg: slab_unreclaimable + percpu + vmalloc charged to our memory cgroup (bytes)"
echo "# meminfo: SUnreclaim + VmallocUsed + Percpu of /proc/meminfo (whole system, kB)"
cap_was=$(cat $CAP)
[ "$cap_was" -ge $((SWITCHBOARDS + 1)) ] || echo $((SWITCHBOARDS + 1)) >$CAP
q_was=$(cat $QPARAM)
echo "$QUALITY" >$QPARAM
echo "# sessions allocated with quality=$QUALITY (call quality tracking $([ "$QUALITY" = Y ] && echo on || echo off))"
trap 'echo "$cap_was" >$CAP; echo "$q_was" >$QPARAM; cgroup_leave; bench_cleanup' EXIT
cgroup_enter

declare -A res=()
# step NAME DIVISOR BEFORE AFTER [LESS_MEMCG LESS_MEMINFO]: per-object
# figures of a step, for both accountings.
step() {
	local name=$1 n=$2 b0 b1 a0 a1
	read -r b0 b1 <<<"$3"
	read -r a0 a1 <<<"$4"
	res[$name,memcg,$r]=$(awk -v d=$((a0 - b0 - ${5:-0})) -v n="$n" 'BEGIN { printf "%.1f", d / n }')
	res[$name,meminfo,$r]=$(awk -v d=$((a1 - b1 - ${6:-0})) -v n="$n" 'BEGIN { printf "%.1f", d / n }')
}
for ((r = 1; r <= ROUNDS; r++)); do
	ns_new relay; R=$NS
	ip -n "$R" addr add 10.1.0.1/32 dev lo
	ip -n "$R" addr add 10.2.0.1/32 dev lo
	# The table and the chain exist before the first reading.
	ipt "$R" -t mangle -N rtpp
	ipt "$R" -t mangle -A PREROUTING -p udp -j rtpp
	m0=$(reading)
	restore_rules cmp mark || die "$SWITCHBOARDS MARK rules"
	m1=$(reading)
	restore_rules rtpp sb || die "$SWITCHBOARDS switchboards"
	m2=$(reading)
	ipt "$R" -t mangle -A rtpp -j RTPPROXY --addr-a 10.1.0.1 --port-a 2000 \
		--addr-b 10.2.0.1 --port-b 2000 --max-sess "$SESSIONS" --expires-timeout 3600 ||
		die "a switchboard of $SESSIONS"
	m3=$(reading)
	in_ns "$R" "$FILL" 10.1.0.1 2000 0 10.1.0.2 4000 10.2.0.2 6000 >/dev/null || die "fill 0"
	m4=$(reading)
	n=$(in_ns "$R" "$FILL" 10.1.0.1 2000 "$SESSIONS" 10.1.0.2 4000 10.2.0.2 6000) ||
		die "allocated ${n:-no} of $SESSIONS sessions"
	m5=$(reading)
	say "round $r: memcg and meminfo bytes at each step: $m0 / $m1 / $m2 / $m3 / $m4 / $m5"
	step mark "$SWITCHBOARDS" "$m0" "$m1"
	step sb "$SWITCHBOARDS" "$m1" "$m2"
	# One switchboard of SESSIONS slots, less what one switchboard costs.
	step slot "$SESSIONS" "$m2" "$m3" "${res[sb,memcg,$r]%.*}" "${res[sb,meminfo,$r]%.*}"
	step fill0 1 "$m3" "$m4"
	step sess "$SESSIONS" "$m4" "$m5"
	for a in memcg meminfo; do
		res[used,$a,$r]=$(awk -v x="${res[slot,$a,$r]}" -v y="${res[sess,$a,$r]}" \
			'BEGIN { printf "%.1f", x + y }')
	done
	ipt "$R" -t mangle -F
	ipt "$R" -t mangle -X
done

printf '\n%-42s' "bytes of kernel memory"
for ((r = 1; r <= ROUNDS; r++)); do printf ' %9s %9s' "memcg#$r" "meminfo#$r"; done
echo
row() { # LABEL KEY
	printf '%-42s' "$1"
	for ((r = 1; r <= ROUNDS; r++)); do printf ' %9s %9s' "${res[$2,memcg,$r]}" "${res[$2,meminfo,$r]}"; done
	echo
}
row "per MARK rule (for comparison)" mark
row "per switchboard of 1 slot, with its rule" sb
row "per slot of a switchboard, unused" slot
row "per session allocated" sess
row "per slot in use (the two above)" used
row "left by a process allocating nothing" fill0
echo
# Named apart: bench/run measures both, plain sessions first.
name=used-slot
[ "$QUALITY" = N ] || name=used-slot-quality
echo "bytes-per-slot $name ${res[used,memcg,$ROUNDS]} target 256"
