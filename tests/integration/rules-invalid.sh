#!/bin/bash
# rules-invalid.sh: invalid RTPPROXY rules that get past the iptables
# extension are refused by the kernel with a reason in its log, and leave
# the ruleset as it was.  (What the extension refuses itself, and the rule
# forms both refuse, are xtables/libxt_RTPPROXY.t's, run by xt-t-runner.sh
# with the same checks: a refusal, a message, iptables-save unchanged.)
#
#  - Past the extension (iptables-legacy, ipt_blob.py): the table as
#    iptables-restore would hand it over, with a rule's target data edited
#    into every form rtpp_conf_resolve() refuses (unknown flag bits, no or
#    non-unicast addresses, no or odd ports, sizes, ranges past 65535,
#    overlapping gates, timeouts).  Each is refused with EINVAL, the log says
#    "xt_RTPPROXY: refused: " and the reason, the table read back is the
#    same, byte for byte; afterwards iptables-save is unchanged and the
#    namespace keeps its one switchboard.  A value in the kernel's own
#    pointer field (sb) is not taken from user space: the table is accepted
#    and relays as before.  (iptables-nft hands the kernel the same target
#    data, checked by the same function through nft_compat.)
#  - Both backends: a jump from FORWARD to a chain holding the target is
#    refused when it is added (legacy: the log names the hooks); the target
#    in the filter table is refused, the log says only raw and mangle.
#  - Both backends: an iptables-restore whose first rule is valid (a new
#    switchboard) and whose second overlaps an existing switchboard (which
#    only the kernel can see) changes nothing: not the ruleset, not the
#    switchboards; the log names the switchboard in the way.
#
# The kernel's messages are rate limited (10 in 5 s per message site, shared
# with the scenarios running at the same time): a refusal whose message was
# suppressed is tried again until the message comes through.
#
# Run as root in the guest: tests/vm/run -- tests/integration/rules-invalid.sh

. "$(dirname "$0")/lib.sh"
need_root
need_module

GATE=10.9.0.1
RULE="-p udp -j RTPPROXY --addr-a $GATE --port-a 30000 --max-sess 100"
KMSG_SEQ=0

# mark: a line of our own in the kernel's log; since_mark: the log after it.
mark() {
	KMSG_SEQ=$((KMSG_SEQ + 1))
	MARK="rules-invalid[$$]: case $KMSG_SEQ"
	echo "$MARK" >/dev/kmsg
}
since_mark() {
	dmesg | sed -n "/$(printf '%s' "$MARK" | sed 's/[][]/\\&/g')\$/,\$p" | sed 1d
}

# sbs NS: the namespace's switchboards, one "addr-a:port-a" a line.
sbs() {
	in_ns "$1" iptrtpproxy list --no-session --format tab 2>/dev/null |
		awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			{ print $c["addr_a"] ":" $c["port_a"] }' | sort | xargs
}

# refused_with DESC WANT-OUT WANT-LOG CMD...: CMD must fail saying WANT-OUT
# (empty: anything not blank), the kernel's log must say WANT-LOG after it
# (empty: nothing asked), and the table and switchboards stay as they were.
# A refusal without its log line is tried again for a while (rate limit).
refused_with() {
	local desc=$1 want_out=$2 want_log=$3 out rc log='' end=$((SECONDS + 60))
	shift 3
	while :; do
		mark
		out=$("$@" 2>&1)
		rc=$?
		[ "$rc" -ne 0 ] || break
		[ -n "$want_log" ] || break
		log=$(since_mark)
		[[ $log != *"$want_log"* ]] || break
		[ "$SECONDS" -lt "$end" ] || break
		sleep 1		# the rate limit's interval is 5 s
	done
	local save sb
	save=$(ipt_save "$ns")
	sb=$(sbs "$ns")
	if [ "$rc" -eq 0 ]; then
		fail "$desc: accepted"
	elif [ -n "$want_out" ] && [[ $out != *"$want_out"* ]]; then
		fail "$desc: refused, but saying '${out//$'\n'/ }' (want '$want_out')"
	elif [ -z "${out//[[:space:]]/}" ]; then
		fail "$desc: refused without a message"
	elif [ -n "$want_log" ] && [[ $log != *"$want_log"* ]]; then
		fail "$desc: refused ('${out//$'\n'/ }'), the kernel's log lacks '$want_log': '${log//$'\n'/ | }'"
	elif [ "$save" != "$SAVED" ]; then
		fail "$desc: refused, but the ruleset changed"
		show_diff "$SAVED" "$save"
	elif [ "$sb" != "$SBS" ]; then
		fail "$desc: refused, but the switchboards changed: '$sb', were '$SBS'"
	else
		if [ -n "$want_log" ]; then
			pass "$desc: refused, log: $want_log"
		else
			pass "$desc: refused, saying: ${out//$'\n'/ }"
		fi
	fi
}

# same_rules DESC: iptables-save and the switchboards are as set up.
same_rules() {
	local save
	save=$(ipt_save "$ns")
	if [ "$save" != "$SAVED" ]; then
		fail "$1: the ruleset changed"
		show_diff "$SAVED" "$save"
	else
		pass "$1: the ruleset as before"
	fi
	expect "$1: the same switchboards" "$(sbs "$ns")" "$SBS"
}

# The namespace: the manual's layout, one switchboard in a chain of its own.
setup() {
	ns_new rules
	ns=$NS
	ipt_restore "$ns" <<-EOF || { fail "$IPT: set-up"; return 1; }
	*mangle
	:RTPP - [0:0]
	-A PREROUTING -j RTPP
	-A OUTPUT -j RTPP
	-A RTPP $RULE
	COMMIT
	EOF
	SAVED=$(ipt_save "$ns")
	SBS=$(sbs "$ns")
	expect "$IPT: one switchboard" "$SBS" "$GATE:30000"
}

# ---- past the extension --------------------------------------------------------

IPT=iptables-legacy
section "$IPT: target data the extension would never send"
setup || finish
blob() { in_ns "$ns" python3 "$LIB_DIR/ipt_blob.py" "$@"; }
# One python for all: each case is offered, its log line awaited and the
# table read back byte for byte in the kernel (ipt_blob.py --refused).
R="xt_RTPPROXY: refused:"
n=0
while read -r res line; do
	case $res in
	ok) pass "$line"; n=$((n + 1)) ;;
	FAIL) fail "$line" ;;
	*) fail "ipt_blob.py: $res $line" ;;
	esac
done < <(blob --refused mangle 2>&1 <<-EOF
	a flag bit no option has|flags=0x10|$R unknown option flags
	no --addr-a|addr_a=0.0.0.0|$R --addr-a is required and must be a unicast address
	multicast --addr-a|addr_a=224.0.0.1|$R --addr-a must be a unicast address
	broadcast --addr-b|flags=1 addr_b=255.255.255.255|$R --addr-b must be a unicast address
	no --port-a|port_a=0|$R --port-a is required and must be 1..65534
	odd --port-a|port_a=30001|$R --port-a must be even
	--port-b 0|flags=2 port_b=0|$R --port-b must be 1..65534
	odd --port-b|flags=2 port_b=40001|$R --port-b must be even
	--max-sess 0|max_sess=0|$R --max-sess must be 1..32767
	--max-sess 40000|max_sess=40000|$R --max-sess must be 1..32767
	gate A past 65535|port_a=65500|$R gate A's range (--port-a + 2 * --max-sess) goes past port 65535
	default gate B past 65535|port_a=65334|$R gate B's range (--port-b + 2 * --max-sess) goes past port 65535
	gates on one address overlapping|flags=3 addr_b=10.9.0.1 port_b=30100|$R gate A and gate B share an address and their port ranges overlap
	--expires-timeout 0|flags=4 expires=0|$R --expires-timeout must be 1..86400 seconds
	--expires-timeout 86401|flags=4 expires=86401|$R --expires-timeout must be 1..86400 seconds
	--resurrection-timeout 86401|flags=8 resurrection=86401|$R --resurrection-timeout must be 0..86400 seconds
	EOF
)
expect "forms refused as they should be" "$n" 16
same_rules "after them all"
# The pointer the kernel keeps in the target data is its own: a value from
# user space is overwritten by the check, never used.
out=$(blob mangle sb=0xdead000000000bad 2>&1)
expect "a value in the kernel's pointer field: accepted" "$out" accepted
same_rules "... then"
check "... and it still answers (iptrtpproxy info)" in_ns "$ns" iptrtpproxy info
ns_del "$ns"

# ---- both backends: hooks, tables, atomic restores ------------------------------

for IPT in "${IPT_BACKENDS[@]}"; do
	section "$IPT: where the target may not be, restores that fail half-way"
	setup || continue
	if [ "$IPT" = iptables-legacy ]; then
		# the hooks that reach the chain, with FORWARD
		log="RTPPROXY target: used from hooks PREROUTING/FORWARD/OUTPUT, but only usable from PREROUTING/INPUT/OUTPUT/POSTROUTING"
	else
		log=""	# nft_compat refuses the hook without a message
	fi
	refused_with "a jump from FORWARD to the target's chain" "" "$log" \
		ipt "$ns" -t mangle -A FORWARD -j RTPP
	refused_with "the filter table" "" "xt_RTPPROXY: refused in table filter: only raw and mangle" \
		ipt "$ns" -t filter -A INPUT $RULE
	# shellcheck disable=SC2034  # used in the eval below
	input="*mangle
-A RTPP -p udp -j RTPPROXY --addr-a 10.9.0.2 --port-a 30000 --max-sess 10
-A RTPP -p udp -j RTPPROXY --addr-a $GATE --port-a 30100 --addr-b 10.9.0.3 --max-sess 10
COMMIT"
	refused_with "iptables-restore: a new switchboard, then one overlapping the first" "" \
		"a gate's ports overlap those of another switchboard" \
		eval 'in_ns "$ns" "$IPT-restore" --noflush <<<"$input"'
	ns_del "$ns"
done

finish
