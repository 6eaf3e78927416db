#!/bin/bash
# switchboard.sh: defining switchboards with iptables, for both backends.
#
#  - the manual's recipe (a mangle user chain holding the RTPPROXY rule,
#    jumped to from PREROUTING, OUTPUT and POSTROUTING for -p udp) is
#    accepted;
#  - iptables-save prints the rule as typed, and iptables-restore of that
#    output gives back the same text;
#  - every invalid definition is refused with a message and leaves the
#    ruleset unchanged: checked by the extension (overlapping gates, range
#    past 65535, --max-sess 0 or 40000, odd port, bad address) or by the
#    kernel (ports of another switchboard of the namespace, same gates with
#    another size, a hook or table the target does not serve);
#  - a rule repeating an existing switchboard is accepted;
#  - the same definition is accepted in two network namespaces;
#  - with every rule gone, rmmod xt_RTPPROXY succeeds.
#
# Run as root in the guest: tests/vm/run -- tests/integration/switchboard.sh

# shellcheck disable=SC2317  # functions called through check and poll
# run-all: alone (it unloads the module)
. "$(dirname "$0")/lib.sh"

GATE=10.99.0.1		# the relay's addresses, on lo of its namespace
GATE2=10.99.0.2
SB_ARGS=(-j RTPPROXY --addr-a "$GATE" --port-a 50000 --max-sess 100)
SB="${SB_ARGS[*]}"	# as iptables-save prints it

# recipe NS: the manual's example, with a local address for --addr-a.
recipe() {
	local ns=$1
	ipt "$ns" -t mangle -N my_rtpproxy &&
		ipt "$ns" -t mangle -A my_rtpproxy "${SB_ARGS[@]}" &&
		ipt "$ns" -t mangle -A PREROUTING -p udp -j my_rtpproxy &&
		ipt "$ns" -t mangle -A OUTPUT -p udp -j my_rtpproxy &&
		ipt "$ns" -t mangle -A POSTROUTING -p udp -j my_rtpproxy
}

relay_ns() { # TAG: a namespace with the gate addresses; sets NS
	ns_new "$1"
	ip -n "$NS" addr add "$GATE/32" dev lo &&
		ip -n "$NS" addr add "$GATE2/32" dev lo
}

# Kernel refusals give their reason in the kernel log only: show it.
KLOG_MARK=0
klog_mark() {
	KLOG_MARK=$(dmesg 2>/dev/null | wc -l)
}
klog_reason() {
	local line
	line=$(dmesg 2>/dev/null | tail -n +"$((KLOG_MARK + 1))" | grep -i 'refused' | tail -n 1)
	if [ -n "$line" ]; then info "kernel: ${line#*] }"; else info "(no reason in the kernel log)"; fi
}

# rule_count NS TEXT: how many lines of the mangle table are exactly TEXT.
rule_count() {
	ipt_save "$1" | grep -cxF -- "$2"
}

same_text() { # DESC WANT GOT
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1"
		show_diff "$2" "$3"
	fi
}

# TODO(cli): the switchboard id must survive a reload.  This needs the
# control CLI, which is not ready yet: skipped while iptrtpproxy is not on
# PATH.  It reads "iptrtpproxy list --no-session --format tab" (a header
# line, then one switchboard a line: id, addr-a, port-a, addr-b, port-b,
# ...), reloads the ruleset with iptables-restore, and compares the ids;
# then it checks that an id is not reused once its switchboard is gone.
sb_id() { # NS ADDR-A PORT-A: the id of that switchboard, empty if none
	in_ns "$1" iptrtpproxy list --no-session --format tab 2>/dev/null |
		awk -F'\t' -v a="$2" -v p="$3" '
		NR == 1 {
			ci = 1; ca = 2; cp = 3
			for (i = 1; i <= NF; i++) {
				if ($i == "id") ci = i
				if ($i == "addr-a" || $i == "addr_a") ca = i
				if ($i == "port-a" || $i == "port_a") cp = i
			}
			next
		}
		$ca == a && $cp == p { print $ci }'
}

check_reload_keeps_id() {
	local ns=$1 before after saved again
	if ! command -v iptrtpproxy >/dev/null 2>&1; then
		skip "switchboard id survives iptables-restore: iptrtpproxy is not on PATH (TODO: runs once the CLI exists)"
		return
	fi
	before=$(sb_id "$ns" "$GATE" 50000)
	if ! [[ $before =~ ^[0-9]+$ ]]; then
		fail "iptrtpproxy list shows the switchboard $GATE:50000 with an id (got '$before')"
		in_ns "$ns" iptrtpproxy list --no-session --format tab 2>&1 | sed 's/^/        | /' | head -n 10
		return
	fi
	saved=$(in_ns "$ns" "$IPT-save" -t mangle)
	if ! ipt_restore "$ns" <<<"$saved"; then
		fail "iptables-restore of the saved ruleset (for the id check)"
		return
	fi
	after=$(sb_id "$ns" "$GATE" 50000)
	same_text "switchboard id survives iptables-restore ($before)" "$before" "$after"

	# Remove every rule defining it, then define it again: a new id.
	if ! ipt "$ns" -t mangle -N rtpp_idcheck ||
		! ipt "$ns" -t mangle -A rtpp_idcheck -j RTPPROXY --addr-a "$GATE2" --port-a 30000 --max-sess 1; then
		fail "defining a switchboard for the id check"
		return
	fi
	before=$(sb_id "$ns" "$GATE2" 30000)
	ipt "$ns" -t mangle -F rtpp_idcheck
	# shellcheck disable=SC2016  # eval'ed by poll
	if ! poll eval '[ -z "$(sb_id "$ns" "$GATE2" 30000)" ]'; then
		fail "switchboard gone from iptrtpproxy list once its rule is deleted"
		return
	fi
	ipt "$ns" -t mangle -A rtpp_idcheck -j RTPPROXY --addr-a "$GATE2" --port-a 30000 --max-sess 1
	again=$(sb_id "$ns" "$GATE2" 30000)
	if [[ $before =~ ^[0-9]+$ ]] && [[ $again =~ ^[0-9]+$ ]] && [ "$again" != "$before" ]; then
		pass "a redefined switchboard gets a new id ($before, then $again)"
	else
		fail "a redefined switchboard gets a new id (got '$before', then '$again')"
	fi
	ipt "$ns" -t mangle -F rtpp_idcheck
	ipt "$ns" -t mangle -X rtpp_idcheck
}

# Rules that define one switchboard with different timeouts: the longest
# applies, whatever order the backend checks rules in, and when a rule goes
# the remaining ones decide.
check_timeouts() {
	local ns=$1 spec=(--addr-a "$GATE2" --port-a 31000 --max-sess 2)
	sb_timeouts() {
		in_ns "$ns" iptrtpproxy list --addr-a "$GATE2" --port-a 31000 --no-session --format json |
			python3 "$LIB_DIR/jget.py" switchboards.0.expires switchboards.0.resurrection | xargs
	}
	ipt "$ns" -t mangle -N rtpp_timeouts
	ipt "$ns" -t mangle -A rtpp_timeouts -j RTPPROXY "${spec[@]}" --expires-timeout 10
	same_text "one rule: its timeouts" "10 5" "$(sb_timeouts)"
	ipt "$ns" -t mangle -A rtpp_timeouts -j RTPPROXY "${spec[@]}" --expires-timeout 20 --resurrection-timeout 1
	same_text "a second rule with longer expiry: the longest of each" "20 5" "$(sb_timeouts)"
	ipt "$ns" -t mangle -I rtpp_timeouts -j RTPPROXY "${spec[@]}" --expires-timeout 15
	same_text "a third rule inserted before them: unchanged" "20 5" "$(sb_timeouts)"
	ipt "$ns" -t mangle -D rtpp_timeouts -j RTPPROXY "${spec[@]}" --expires-timeout 20 --resurrection-timeout 1
	# shellcheck disable=SC2016  # eval'ed by poll
	poll eval '[ "$(sb_timeouts)" = "15 5" ]'
	same_text "the longest rule deleted: the remaining ones decide" "15 5" "$(sb_timeouts)"
	ipt "$ns" -t mangle -F rtpp_timeouts
	ipt "$ns" -t mangle -X rtpp_timeouts
}

need_root
need_module

for IPT in "${IPT_BACKENDS[@]}"; do
	section "$IPT"
	relay_ns "${IPT#iptables-}"
	ns=$NS

	# ---- the manual's recipe, save and restore --------------------------
	check "the manual's recipe is accepted" recipe "$ns"
	saved=$(ipt_save "$ns")
	if [ "$(rule_count "$ns" "-A my_rtpproxy $SB")" -eq 1 ]; then
		pass "$IPT-save prints the rule as typed"
	else
		fail "$IPT-save prints the rule as typed: want '-A my_rtpproxy $SB'"
		printf '%s\n' "$saved" | sed 's/^/        | /'
	fi
	listed=$(ipt "$ns" -t mangle -L my_rtpproxy -n 2>&1)
	if grep -Eq "^RTPPROXY .* addr-a $GATE port-a 50000 max-sess 100[[:space:]]*\$" <<<"$listed"; then
		pass "$IPT -L shows the options given"
	else
		fail "$IPT -L shows the options given"
		printf '%s\n' "$listed" | sed 's/^/        | /'
	fi
	for c in PREROUTING OUTPUT POSTROUTING; do
		[ "$(rule_count "$ns" "-A $c -p udp -j my_rtpproxy")" -eq 1 ] ||
			fail "$IPT-save shows the jump from $c"
	done
	raw=$(in_ns "$ns" "$IPT-save" -t mangle)
	if printf '%s\n' "$raw" | ipt_restore "$ns"; then
		same_text "$IPT-restore of that output gives back the same text" \
			"$saved" "$(ipt_save "$ns")"
	else
		fail "$IPT-restore of $IPT-save's output"
	fi

	# ---- invalid definitions, refused by the extension -------------------
	A=(-t mangle -A my_rtpproxy -j RTPPROXY)
	expect_refused "gates on one address overlapping" "$ns" \
		"${A[@]}" --addr-a "$GATE" --port-a 52000 --port-b 52010 --max-sess 10
	expect_refused "gate A's range past 65535" "$ns" \
		"${A[@]}" --addr-a "$GATE" --port-a 65500 --addr-b "$GATE2" --max-sess 100
	expect_refused "default gate B's first port wrapping past 65535" "$ns" \
		"${A[@]}" --addr-a "$GATE" --port-a 32768 --max-sess 16384
	expect_refused "--max-sess 0" "$ns" \
		"${A[@]}" --addr-a "$GATE" --port-a 52000 --max-sess 0
	expect_refused "--max-sess 40000" "$ns" \
		"${A[@]}" --addr-a "$GATE" --port-a 52000 --max-sess 40000
	expect_refused "odd --port-a" "$ns" \
		"${A[@]}" --addr-a "$GATE" --port-a 52001 --max-sess 10
	expect_refused "odd --port-b" "$ns" \
		"${A[@]}" --addr-a "$GATE" --port-a 52000 --port-b 53001 --max-sess 10
	expect_refused "--port-a past 65535" "$ns" \
		"${A[@]}" --addr-a "$GATE" --port-a 70000 --max-sess 10
	expect_refused "bad address 300.1.1.1" "$ns" \
		"${A[@]}" --addr-a 300.1.1.1 --port-a 52000 --max-sess 10
	expect_refused "multicast --addr-b" "$ns" \
		"${A[@]}" --addr-a "$GATE" --addr-b 224.0.0.1 --port-a 52000 --max-sess 10
	expect_refused "no --max-sess" "$ns" \
		"${A[@]}" --addr-a "$GATE" --port-a 52000

	# ---- invalid definitions, refused by the kernel ------------------------
	klog_mark
	expect_refused "gate A inside another switchboard's gate A" "$ns" \
		"${A[@]}" --addr-a "$GATE" --port-a 50100 --addr-b "$GATE2" --max-sess 10
	klog_reason
	klog_mark
	expect_refused "gate B sharing the last port of another switchboard" "$ns" \
		"${A[@]}" --addr-a "$GATE2" --port-a 40000 --addr-b "$GATE" --port-b 50398 --max-sess 10
	klog_reason
	klog_mark
	expect_refused "same gates as a switchboard, another --max-sess" "$ns" \
		"${A[@]}" --addr-a "$GATE" --port-a 50000 --port-b 50200 --max-sess 50
	klog_reason
	expect_refused "jump from FORWARD (a hook the target does not serve)" "$ns" \
		-t mangle -A FORWARD -p udp -j my_rtpproxy
	expect_refused "the filter table" "$ns" \
		-t filter -A OUTPUT -p udp -j RTPPROXY --addr-a "$GATE" --port-a 60000 --max-sess 1

	# ---- definitions that are fine ---------------------------------------
	check "a rule repeating the switchboard is accepted" \
		ipt "$ns" -t mangle -A my_rtpproxy "${SB_ARGS[@]}"
	[ "$(rule_count "$ns" "-A my_rtpproxy $SB")" -eq 2 ] ||
		fail "both rules defining the switchboard are listed"
	check "the same gates written out in full are accepted" \
		ipt "$ns" -t mangle -A my_rtpproxy -j RTPPROXY --addr-a "$GATE" \
		--port-a 50000 --addr-b "$GATE" --port-b 50200 --max-sess 100
	check "$IPT -C finds the rule by its specification" \
		ipt "$ns" -t mangle -C my_rtpproxy "${SB_ARGS[@]}"
	check "$IPT -D deletes a rule by its specification" \
		ipt "$ns" -t mangle -D my_rtpproxy -j RTPPROXY --addr-a "$GATE" \
		--port-a 50000 --addr-b "$GATE" --port-b 50200 --max-sess 100
	[ "$(rule_count "$ns" "-A my_rtpproxy -j RTPPROXY --addr-a $GATE --port-a 50000 --addr-b $GATE --port-b 50200 --max-sess 100")" -eq 0 ] ||
		fail "the rule deleted by its specification is gone"
	[ "$(rule_count "$ns" "-A my_rtpproxy $SB")" -eq 2 ] ||
		fail "the rules written the other way are still there"
	check "a switchboard right after it is accepted" \
		ipt "$ns" -t mangle -A my_rtpproxy -j RTPPROXY --addr-a "$GATE" --port-a 50400 --max-sess 100
	check "the same ports on another address are accepted" \
		ipt "$ns" -t mangle -A my_rtpproxy -j RTPPROXY --addr-a "$GATE2" --port-a 50000 --max-sess 100
	check "a switchboard ending at port 65535 is accepted" \
		ipt "$ns" -t mangle -A my_rtpproxy -j RTPPROXY --addr-a "$GATE" --port-a 65136 --max-sess 100 \
		--expires-timeout 86400 --resurrection-timeout 0
	saved=$(ipt_save "$ns")
	raw=$(in_ns "$ns" "$IPT-save" -t mangle)
	if printf '%s\n' "$raw" | ipt_restore "$ns"; then
		same_text "$IPT-restore of five switchboard rules gives back the same text" \
			"$saved" "$(ipt_save "$ns")"
	else
		fail "$IPT-restore of five switchboard rules"
	fi

	check_reload_keeps_id "$ns"
	check_timeouts "$ns"

	# ---- another namespace ---------------------------------------------------
	relay_ns "${IPT#iptables-}-peer"
	ns2=$NS
	check "the same definition is accepted in a second namespace" recipe "$ns2"
	same_text "the first namespace's rules are untouched" "$saved" "$(ipt_save "$ns")"
	check "a definition clashing with the first namespace's is accepted in the second" \
		ipt "$ns2" -t mangle -A my_rtpproxy -j RTPPROXY --addr-a "$GATE" --port-a 50500 \
		--addr-b "$GATE2" --port-b 60000 --max-sess 10

	# ---- removal ---------------------------------------------------------------
	check "deleting every rule (first namespace)" ipt_flush "$ns"
	check "deleting every rule (second namespace)" ipt_flush "$ns2"
	ns_del "$ns"
	ns_del "$ns2"
done

section "module"
if poll rmmod xt_RTPPROXY; then
	pass "rmmod xt_RTPPROXY once every rule is gone"
else
	fail "rmmod xt_RTPPROXY once every rule is gone (refcount $(module_refs))"
	rmmod xt_RTPPROXY 2>&1 | sed 's/^/        | /'
fi

finish
