# shellcheck shell=bash
# tests/integration/lib.sh: helpers for the integration scenarios.
#
# Sourced (never run) by tests/integration/*.sh, which run as root inside the
# QEMU guest (tests/vm/run), cwd = the project root.  A scenario:
#
#   . "$(dirname "$0")/lib.sh"
#   need_root; need_module
#   for IPT in "${IPT_BACKENDS[@]}"; do
#       ns_new relay; ns=$NS                    # rtpp-<pid>-relay-<n>
#       ...; check "what it shows" cmd args     # or pass/fail yourself
#   done
#   finish                                      # summary line, exit status
#
# Every namespace made with ns_new is deleted by the EXIT trap, so a scenario
# that dies half-way leaves nothing behind.  Namespaces isolate everything a
# scenario does (rules, switchboards, addresses): nothing touches the guest's
# initial namespace.  poll CMD retries CMD until it succeeds or a deadline
# passes; use it for anything the kernel does asynchronously (nf_tables
# destroys deleted rules from a work queue, namespaces die in the background)
# instead of sleeping.

set -u

# Process substitution needs /dev/fd, which a bare devtmpfs (the VM rig's
# /dev) lacks.
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd 2>/dev/null

LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
TOP=$(cd "$LIB_DIR/../.." && pwd -P)
export TOP
SCENARIO=${SCENARIO:-$(basename "$0" .sh)}

# Both iptables backends, unless the caller narrows them down, e.g.
# IPT_BACKENDS=iptables-nft tests/integration/switchboard.sh
read -r -a IPT_BACKENDS <<<"${IPT_BACKENDS:-iptables-legacy iptables-nft}"
IPT=${IPT:-iptables-legacy}

# poll's deadline in seconds (TCG guests are slow: be generous).
POLL_TIMEOUT=${POLL_TIMEOUT:-20}

PASSED=0
FAILED=0
SKIPPED=0
LIB_NS=()
LIB_NS_SEQ=0
LIB_CLEANUP=()

# ---- reporting --------------------------------------------------------------

pass() {
	PASSED=$((PASSED + 1))
	printf '  ok    %s\n' "$*"
}

fail() {
	FAILED=$((FAILED + 1))
	printf '  FAIL  %s\n' "$*"
}

skip() {
	SKIPPED=$((SKIPPED + 1))
	printf '  SKIP  %s\n' "$*"
}

info() {
	printf '        %s\n' "$*"
}

section() {
	printf '%s: %s\n' "$SCENARIO" "$*"
}

# check DESCRIPTION CMD [ARGS...]: pass if CMD succeeds, fail (with its
# output) if not.
check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		pass "$desc"
	else
		fail "$desc"
		[ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/        | /' | head -n 20
	fi
}

# expect DESC ACTUAL EXPECTED: pass if ACTUAL is EXPECTED.
expect() {
	if [ "$2" = "$3" ]; then
		pass "$1 ($2)"
	else
		fail "$1: got '$2', expected '$3'"
	fi
}

# jget PATH... <JSON: fields of a JSON document (see jget.py).
jget() { python3 "$LIB_DIR/jget.py" "$@"; }

# check_not DESCRIPTION CMD [ARGS...]: pass if CMD fails.
check_not() {
	local desc=$1
	shift
	if "$@" >/dev/null 2>&1; then fail "$desc"; else pass "$desc"; fi
}

# finish: the scenario's summary line; exit status 1 if anything failed.
finish() {
	printf '%s: %d passed, %d failed, %d skipped\n' \
		"$SCENARIO" "$PASSED" "$FAILED" "$SKIPPED"
	[ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]
	exit
}

# ---- preconditions ----------------------------------------------------------

need_root() {
	if [ "$(id -u)" -ne 0 ]; then
		fail "must run as root (inside the guest: tests/vm/run -- $0)"
		finish
	fi
}

need_module() {
	if ! modprobe xt_RTPPROXY 2>/dev/null && ! grep -q '^xt_RTPPROXY ' /proc/modules; then
		fail "modprobe xt_RTPPROXY (was the module built with 'make kmod'?)"
		finish
	fi
}

# ---- polling ----------------------------------------------------------------

# poll [-t SECONDS] CMD [ARGS...]: run CMD until it succeeds; fail (status 1)
# once the deadline passes.  Short waits at first, longer ones later.
poll() {
	local limit=$POLL_TIMEOUT wait=0.01 start now
	if [ "${1:-}" = -t ]; then
		limit=$2
		shift 2
	fi
	start=$(date +%s%N)
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		now=$(date +%s%N)
		[ $(((now - start) / 1000000000)) -lt "$limit" ] || return 1
		sleep "$wait"
		case $wait in
		0.01) wait=0.02 ;; 0.02) wait=0.05 ;; 0.05) wait=0.1 ;;
		0.1) wait=0.2 ;; *) wait=0.25 ;;
		esac
	done
}

# ---- network namespaces -----------------------------------------------------

# ns_new TAG: create a namespace named rtpp-<pid>-<TAG>-<n> with lo up, and
# set NS to its name.  (Not ns=$(ns_new TAG): in a subshell the namespace
# would not be recorded for the cleanup trap.)
ns_new() {
	LIB_NS_SEQ=$((LIB_NS_SEQ + 1))
	NS="rtpp-$$-$1-$LIB_NS_SEQ"
	if ! ip netns add "$NS"; then
		fail "ip netns add $NS"
		finish
	fi
	LIB_NS+=("$NS")
	ip -n "$NS" link set lo up
}

# ns_del NS: delete a namespace now (it dies in the background).
ns_del() {
	local n keep=()
	ip netns del "$1" 2>/dev/null
	for n in "${LIB_NS[@]}"; do
		[ "$n" = "$1" ] || keep+=("$n")
	done
	LIB_NS=("${keep[@]}")
}

# in_ns NS CMD [ARGS...]
# A function: "in_ns NS CMD &" puts a subshell in the background, and $!
# is that subshell, whose death leaves CMD running.  To stop CMD later by
# its pid, start it with "ip netns exec NS CMD &" (snmpd.sh, packages.sh).
in_ns() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# at_cleanup CMD...: run CMD (a string, eval'ed) from the EXIT trap, before
# the namespaces go.
at_cleanup() {
	LIB_CLEANUP+=("$*")
}

cleanup() {
	local c n
	for c in "${LIB_CLEANUP[@]}"; do
		eval "$c" >/dev/null 2>&1
	done
	for n in "${LIB_NS[@]}"; do
		# Flush first: a namespace's tables (and so the switchboards
		# and module references they hold) go at once, not whenever
		# the namespace finally dies.
		for ipt in iptables-legacy iptables-nft; do
			ip netns exec "$n" "$ipt" -t mangle -F >/dev/null 2>&1
			ip netns exec "$n" "$ipt" -t mangle -X >/dev/null 2>&1
		done
		ip netns del "$n" >/dev/null 2>&1
	done
	LIB_NS=()
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# show_diff OLD NEW: diff two texts, indented.  (No process substitution:
# the guest has no /dev/fd.)
show_diff() {
	local d
	d=$(mktemp -d "${TMPDIR:-/tmp}/rtpp-diff.XXXXXX") || return
	printf '%s\n' "$1" >"$d/old"
	printf '%s\n' "$2" >"$d/new"
	diff "$d/old" "$d/new" | sed 's/^/        | /'
	rm -rf "$d"
}

# ---- iptables ---------------------------------------------------------------

# ipt NS ARGS...: the current backend ($IPT) in namespace NS.
ipt() {
	local ns=$1
	shift
	ip netns exec "$ns" "$IPT" "$@"
}

# ipt_save NS [TABLE]: the table as iptables-save prints it, without the
# comment lines and counters that differ from one dump to the next.
ipt_save() {
	ip netns exec "$1" "$IPT-save" -t "${2:-mangle}" |
		sed -e '/^#/d' -e 's/ \[[0-9]*:[0-9]*\]$//'
}

# ipt_restore NS: iptables-restore of standard input in NS.
ipt_restore() {
	ip netns exec "$1" "$IPT-restore"
}

# ipt_flush NS [TABLE]: remove every rule and user chain of TABLE.
ipt_flush() {
	ip netns exec "$1" "$IPT" -t "${2:-mangle}" -F &&
		ip netns exec "$1" "$IPT" -t "${2:-mangle}" -X
}

# expect_refused DESC NS ARGS...: "$IPT ARGS" in NS must fail, say why on
# stderr, and leave the table unchanged.  The message goes to the log.
expect_refused() {
	local desc=$1 ns=$2 before after err rc table=mangle i j
	shift 2
	for ((i = 1; i < $#; i++)); do
		[ "${!i}" = -t ] && { j=$((i + 1)); table=${!j}; }
	done
	before=$(ipt_save "$ns" "$table")
	err=$(ipt "$ns" "$@" 2>&1 >/dev/null)
	rc=$?
	after=$(ipt_save "$ns" "$table")
	if [ "$rc" -eq 0 ]; then
		fail "$desc: accepted ($IPT $*)"
	elif [ -z "$(printf '%s' "$err" | tr -d '[:space:]')" ]; then
		fail "$desc: refused (status $rc) without a message"
	elif [ "$before" != "$after" ]; then
		fail "$desc: refused, but the ruleset changed"
		show_diff "$before" "$after"
	else
		pass "$desc: refused"
		printf '%s\n' "$err" | grep -v '^Try `' | sed '/^$/d; s/^/        > /' | head -n 3
	fi
}

# module_refs: xt_RTPPROXY's reference count (empty when not loaded).
module_refs() {
	awk '$1 == "xt_RTPPROXY" { print $3 }' /proc/modules
}

# ---- the kernel log ----------------------------------------------------------

# What the kernel must not log (tests/vm/stage2 fails the run on the same at
# the end; a scenario that checks itself says which of its steps did it),
# and the taint flags B (bad page), D (died), L (soft lockup), W (warning).
KLOG_ALARM='(^|[^A-Za-z_])BUG([^A-Za-z_]|$)|WARNING:|Oops|general protection|=============|list_add corruption|list_del corruption|Call Trace|UBSAN|KASAN'
KLOG_TAINT_MASK=$(((1 << 5) | (1 << 7) | (1 << 14) | (1 << 9)))

# need_built FILE...: end the scenario (failed) unless each is built.
need_built() {
	local f
	for f in "$@"; do
		[ -x "$f" ] || { fail "$f not built (make)"; finish; }
	done
}

# need_snmp_cmds CMD...: end the scenario (failed) unless net-snmp's
# commands are installed.
need_snmp_cmds() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null || { fail "$c not installed (Debian: snmpd snmp)"; finish; }
	done
}

# klog_lines: how many lines the kernel log has now (a mark for klog_since).
klog_lines() { dmesg | wc -l; }

# klog_since MARK [PATTERN]: the kernel log's lines after line MARK that
# match PATTERN (an extended regular expression; default $KLOG_ALARM).
klog_since() {
	dmesg | tail -n +$(($1 + 1)) | grep -E -- "${2:-$KLOG_ALARM}"
}

# klog_taint: the alarming taint flags set now.
klog_taint() { echo $(($(cat /proc/sys/kernel/tainted) & KLOG_TAINT_MASK)); }

# ---- kernel probes ----------------------------------------------------------
#
# A few scenarios count calls inside the kernel with kprobe events: the
# events are defined globally (named rtpp_<pid>_NAME, so that scenarios
# running at once do not collide) and enabled only in a tracefs instance of
# the scenario's own, whose buffer nobody else writes.

TRACEFS=/sys/kernel/tracing
KPROBE_INST=
KPROBES=()

# kprobe_setup: tracefs mounted, an instance made; status 1 if the kernel
# has no kprobe events.
kprobe_setup() {
	[ -n "$KPROBE_INST" ] && return 0
	[ -e "$TRACEFS/kprobe_events" ] ||
		mount -t tracefs nodev "$TRACEFS" 2>/dev/null || return 1
	[ -e "$TRACEFS/kprobe_events" ] || return 1
	mkdir "$TRACEFS/instances/rtpp-$$" || return 1
	KPROBE_INST=$TRACEFS/instances/rtpp-$$
	at_cleanup kprobe_teardown
}

# kprobe_add NAME 'WHERE [FETCHARGS]': a probe (kprobetrace syntax, e.g.
# 'xt_RTPPROXY:rtpp_sess_sweep sb=%di:x64'), enabled in the instance.
kprobe_add() {
	local ev="rtpp_$$_$1"
	echo "p:$ev $2" >>"$TRACEFS/kprobe_events" || return 1
	KPROBES+=("$ev")
	echo 1 >"$KPROBE_INST/events/kprobes/$ev/enable"
}

# kprobe_trace: the instance's events so far, one a line.
kprobe_trace() {
	grep -v '^#' "$KPROBE_INST/trace"
}

# kprobe_count NAME [PATTERN]: events of probe NAME (whose line matches
# PATTERN, an extended regular expression).
kprobe_count() {
	kprobe_trace | grep -E " rtpp_$$_$1: " | grep -cE -- "${2:-.}"
}

kprobe_teardown() {
	local ev
	for ev in "${KPROBES[@]}"; do
		echo 0 >"$KPROBE_INST/events/kprobes/$ev/enable"
	done
	rmdir "$KPROBE_INST"
	for ev in "${KPROBES[@]}"; do
		echo "-:$ev" >>"$TRACEFS/kprobe_events"
	done
	KPROBES=()
	KPROBE_INST=
}
