#!/bin/bash
# limits.sh: what a network namespace may cost the host, and who pays.
#
#  - Caps: a namespace holds at most netns_max_switchboards switchboards and
#    netns_max_sess sessions (the sum of their --max-sess), module
#    parameters.  A rule past either is refused with a message, the ruleset
#    unchanged; a rule up to them is accepted; raising the parameter admits
#    the rule.  Both backends (the switchboards' cap with the first only:
#    256 rules through iptables-nft under TCG take minutes).
#  - The memory cgroup: a switchboard defined and sessions allocated by a
#    process of a cgroup are charged to that cgroup (its per-CPU counters,
#    its sessions); at the cgroup's memory.max the next session is refused
#    with ENOMEM, cleanly (no OOM kill: the rig fails the run on the
#    report), and allocations succeed again once memory is there.
#  - A session is an object of a cache of its own, of at most 232 bytes,
#    not rounded up to cache lines.
#  - Namespaces that never used the module die without the module waiting
#    for an RCU grace period for each of them.
#
# Run as root in the guest: tests/vm/run -- tests/integration/limits.sh
# It changes the module's caps (module parameters) for a while, which
# other scenarios' switchboards would meet, so:
# run-all: alone

# shellcheck disable=SC2317  # functions called through poll
. "$(dirname "$0")/lib.sh"
need_root
need_module

FILL="$TOP/tests/tools/rtpp-fill"
PARAMS=/sys/module/xt_RTPPROXY/parameters
[ -x "$FILL" ] || { fail "$FILL not built (make)"; finish; }
TMPD=$(mktemp -d /tmp/rtpp-$$-XXXX)
at_cleanup "rm -rf $TMPD"

# Kernel refusals give their reason in the kernel log: show it.
KLOG_MARK=0
klog_mark() {
	KLOG_MARK=$(dmesg 2>/dev/null | wc -l)
}
klog_reason() { # PATTERN: the reason must be there and match
	local line
	line=$(dmesg 2>/dev/null | tail -n +"$((KLOG_MARK + 1))" | grep 'refused' | tail -n 1)
	if grep -q -- "$1" <<<"$line"; then
		pass "the kernel log says why: ${line#*] }"
	else
		fail "the kernel log says why (want '$1', got '${line#*] }')"
	fi
}

param() {
	cat "$PARAMS/$1" 2>/dev/null
}

# ---- caps -------------------------------------------------------------------

# caps_sess: switchboards of up to 32767 sessions, each on addresses of its
# own, up to netns_max_sess exactly; then one more session is refused.
caps_sess() {
	local max n=0 i=0 rule
	max=$(param netns_max_sess)
	ns_new sess; local ns=$NS
	ipt "$ns" -t mangle -N caps
	while [ $((max - n)) -gt 0 ]; do
		local size=$((max - n > 32767 ? 32767 : max - n))
		i=$((i + 1))
		ip -n "$ns" addr add "10.77.$i.1/32" dev lo
		ip -n "$ns" addr add "10.77.$i.2/32" dev lo
		rule=(-t mangle -A caps -j RTPPROXY --addr-a "10.77.$i.1" --port-a 2
			--addr-b "10.77.$i.2" --port-b 2 --max-sess "$size")
		ipt "$ns" "${rule[@]}" || { fail "switchboard $i of $size sessions"; return; }
		n=$((n + size))
	done
	pass "switchboards of $n sessions in all: accepted (netns_max_sess $max)"
	ip -n "$ns" addr add 10.77.0.1/32 dev lo
	klog_mark
	expect_refused "one session more than netns_max_sess" "$ns" \
		-t mangle -A caps -j RTPPROXY --addr-a 10.77.0.1 --port-a 2 --max-sess 1
	klog_reason "netns_max_sess"
	check "a rule repeating a switchboard (no new sessions) is accepted" \
		ipt "$ns" "${rule[@]}"
	ipt_flush "$ns"
	check "with the rules gone the same switchboard is accepted" \
		ipt "$ns" -t mangle -A PREROUTING -j RTPPROXY --addr-a 10.77.0.1 --port-a 2 --max-sess 1
	ipt_flush "$ns"
	ns_del "$ns"
}

# caps_sb: netns_max_switchboards switchboards of one session, restored in
# one go, then one more is refused, and admitted once the cap is raised.
caps_sb() {
	local max i rules
	max=$(param netns_max_switchboards)
	ns_new sbs; local ns=$NS
	ip -n "$ns" addr add 10.78.0.1/32 dev lo
	rules="*mangle"$'\n'":caps - [0:0]"
	for ((i = 0; i < max; i++)); do
		rules+=$'\n'"-A caps -j RTPPROXY --addr-a 10.78.0.1 --port-a $((4 * i + 2)) --max-sess 1"
	done
	rules+=$'\n'"COMMIT"
	if ipt_restore "$ns" <<<"$rules"; then
		pass "$max switchboards (netns_max_switchboards) accepted"
	else
		fail "$max switchboards (netns_max_switchboards) accepted"
	fi
	klog_mark
	expect_refused "switchboard $((max + 1))" "$ns" \
		-t mangle -A caps -j RTPPROXY --addr-a 10.78.0.1 --port-a 60000 --max-sess 1
	klog_reason "netns_max_switchboards"
	# Raising a cap harms no other scenario running meanwhile.
	echo $((max + 1)) >"$PARAMS/netns_max_switchboards"
	check "accepted once netns_max_switchboards is raised" \
		ipt "$ns" -t mangle -A caps -j RTPPROXY --addr-a 10.78.0.1 --port-a 60000 --max-sess 1
	echo "$max" >"$PARAMS/netns_max_switchboards"
	ipt_flush "$ns"
	ns_del "$ns"
}

section "caps"
if [ -z "$(param netns_max_switchboards)" ] || [ -z "$(param netns_max_sess)" ]; then
	fail "module parameters netns_max_switchboards and netns_max_sess (has: $(cd "$PARAMS" 2>/dev/null && echo *))"
else
	info "netns_max_switchboards $(param netns_max_switchboards), netns_max_sess $(param netns_max_sess)"
	# The switchboards' cap with one back end only: the check is the
	# same, and caps_sess shows what each back end says.
	for IPT in "${IPT_BACKENDS[@]}"; do
		section "caps, $IPT"
		caps_sess
		[ "$IPT" != "${IPT_BACKENDS[0]}" ] || caps_sb
		info "($SECONDS s)"
	done
fi

# ---- the memory cgroup ------------------------------------------------------

CG=/sys/fs/cgroup
memstat() { # GROUP KEY
	awk -v k="$2" '$1 == k { print $2 }' "$1/memory.stat"
}
# in_group GROUP CMD...: CMD in a process of GROUP (the scenario stays out).
in_group() {
	local g=$1
	shift
	(echo "$BASHPID" >"$g/cgroup.procs" && exec "$@")
}

memcg() {
	local g=$CG/rtpp-$$ pcpu0 pcpu1 slab0 slab1 out rc n
	IPT=${IPT_BACKENDS[0]}
	[ -e "$CG/cgroup.controllers" ] || mount -t cgroup2 none "$CG" ||
		{ skip "no cgroup2"; return; }
	grep -qw memory "$CG/cgroup.subtree_control" ||
		echo +memory >"$CG/cgroup.subtree_control" ||
		{ skip "no memory controller"; return; }
	mkdir "$g" || { fail "mkdir $g"; return; }
	at_cleanup "rmdir $g"

	ns_new memcg; local ns=$NS
	ip -n "$ns" addr add 10.79.0.1/32 dev lo
	ip -n "$ns" addr add 10.79.0.2/32 dev lo
	ip -n "$ns" addr add 10.79.1.1/32 dev lo
	ip -n "$ns" addr add 10.79.1.2/32 dev lo
	local sb=(--addr-a 10.79.0.1 --port-a 2000 --addr-b 10.79.0.2 --port-b 2000)

	pcpu0=$(memstat "$g" percpu)
	in_group "$g" ip netns exec "$ns" "$IPT" -t mangle -A PREROUTING -j RTPPROXY \
		"${sb[@]}" --max-sess 4000 --expires-timeout 3600 ||
		{ fail "a switchboard defined from the cgroup"; return; }
	pcpu1=$(memstat "$g" percpu)
	check "its per-CPU counters are charged to the cgroup (percpu $pcpu0 -> $pcpu1 bytes)" \
		test "$pcpu1" -gt "$pcpu0"

	slab0=$(memstat "$g" slab_unreclaimable)
	out=$(in_group "$g" ip netns exec "$ns" "$FILL" 10.79.0.1 2000 10.79.0.3)
	slab1=$(memstat "$g" slab_unreclaimable)
	check "4000 sessions allocated from the cgroup ($out)" test "$out" = "4000 4000 ENOSPC"
	check "and charged to it: slab_unreclaimable $slab0 -> $slab1, at least 4000 * 256 more" \
		test $((slab1 - slab0)) -ge $((4000 * 256))

	# At memory.max: the next session fails with ENOMEM, nobody is killed.
	in_group "$g" ip netns exec "$ns" "$IPT" -t mangle -A PREROUTING -j RTPPROXY \
		--addr-a 10.79.1.1 --port-a 2 --addr-b 10.79.1.2 --port-b 2 \
		--max-sess 30000 --expires-timeout 3600 ||
		{ fail "a second switchboard defined from the cgroup"; return; }
	# The filler starts (and faults in what it needs) before the limit
	# comes down: only the kernel's allocations for sessions meet it, and
	# those fail; a fresh process's page faults would wake the OOM killer.
	mkfifo "$TMPD/gate"
	RTPP_FILL_GATE=$TMPD/gate in_group "$g" ip netns exec "$ns" "$FILL" \
		10.79.1.1 2 10.79.0.3 >/dev/null 2>&1 &
	local pid=$!
	poll test -e "$TMPD/gate.ready" || { fail "rtpp-fill did not start"; return; }
	echo $(($(cat "$g/memory.current") + 2 * 1024 * 1024)) >"$g/memory.max"
	echo go >"$TMPD/gate"
	wait $pid
	rc=$?
	echo max >"$g/memory.max"
	n=$(in_ns "$ns" iptrtpproxy list --addr-a 10.79.1.1 --port-a 2 --no-session --format json |
		jget switchboards.0.sessions_by_state.active)
	check "at memory.max (current + 2 MiB) a session is refused with ENOMEM (rtpp-fill status $rc, 3 is ENOMEM)" \
		test "$rc" -eq 3
	check "after $n of 30000 sessions" test "${n:-0}" -gt 0 -a "${n:-30000}" -lt 30000
	check "nobody in the cgroup was OOM-killed" \
		test "$(awk '$1 == "oom_kill" { print $2 }' "$g/memory.events")" = 0
	check "memory.max lifted: the switchboard allocates again" \
		in_group "$g" ip netns exec "$ns" iptrtpproxy alloc --addr-a 10.79.1.1 --port-a 2 \
		--rtp-addr-a 10.79.0.3
	ipt_flush "$ns"
	ns_del "$ns"
}

section "memory cgroup"
memcg
info "($SECONDS s)"

# ---- the session's size -------------------------------------------------------

section "session size"
slab=/sys/kernel/slab/rtpp_session
if [ -r "$slab/object_size" ]; then
	size=$(cat "$slab/object_size")
	align=$(cat "$slab/align")
	stride=$(((size + align - 1) / align * align))
	# 232 bytes (kmod/rtpp.h), not rounded up to cache lines: a slot in
	# use then costs under 256 bytes (BENCHMARKS.md).
	check "a session is $size bytes, $stride with its alignment ($align), in a cache of its own" \
		test "$size" -le 232 -a "$stride" -eq "$size"
else
	fail "no slab cache rtpp_session ($slab)"
fi

# ---- namespaces that never used the module ------------------------------------

section "namespaces that never used the module"
N=100
# shellcheck disable=SC2016  # $stack is kprobetrace's, poll evals its argument
if kprobe_setup && kprobe_add sync 'synchronize_rcu caller=+0($stack):symbol' &&
	kprobe_add exit 'xt_RTPPROXY:rtpp_net_exit'; then
	# One process, N namespaces: each unshare drops the previous one.
	python3 -c '
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
for i in range(int(sys.argv[1])):
    if libc.unshare(0x40000000):
        sys.exit("unshare: errno %d" % ctypes.get_errno())
' $N || fail "unshare of $N namespaces"
	if poll -t 120 eval '[ "$(kprobe_count exit)" -ge $N ]'; then
		pass "$N namespaces gone through the module's exit"
	else
		fail "$N namespaces gone through the module's exit ($(kprobe_count exit))"
	fi
	# Other scenarios' namespaces may die meanwhile, some with switchboards:
	# at most one grace period for each batch of those.
	syncs=$(kprobe_count sync '\[xt_RTPPROXY\]')
	check "the module waited for $syncs RCU grace periods (fewer than $((N / 4)))" \
		test "$syncs" -lt $((N / 4))
else
	skip "no kprobe events in this kernel"
fi
info "($SECONDS s)"

finish
