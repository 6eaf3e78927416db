#!/bin/bash
# bench/control.sh: sessions set up and torn down a second through the
# library against conntrack entries (issue 9, measurement 4; its third
# comparison, against rtpengine's ng protocol, is bench/setup.sh's).
#
#   tests/vm/run --icount -- bench/control.sh        (or: bench/run control)
#
# In a namespace R with one switchboard (gates 10.1.0.1:2000 and
# 10.2.0.1:2000), sessions with side A's client at 10.1.0.2, a port of its
# own each, and side B's at 10.2.0.2:6000; the conntrack entries, in R's
# own table, relay the same flows the way mediaproxy does (the flow from A
# to a gate port, its destination rewritten to B's client and its source
# to the gate on B's side: bench/rtpp-bench-ctl.c).  Variants:
#
#   library          one process (bench/rtpp-bench-ctl lib): SESSIONS
#                    allocations, then SESSIONS deletions, one session
#                    each, BATCH requests a batch (rtpp_alloc_batch(),
#                    each reply only the session's name and gate ports:
#                    RTPP_ALLOC_BRIEF)
#   library-full     the same, each reply the whole session
#   library-1        the same, one request a round trip (rtpp_alloc())
#   conntrack        one process (bench/rtpp-bench-ctl ct): SESSIONS
#                    entries created, then deleted, through
#                    libnetfilter_conntrack, BATCH requests a datagram
#   iptrtpproxy      one `iptrtpproxy alloc` process a session, then one
#                    `iptrtpproxy delete` process a session (PROCS of them)
#   conntrack-tool   one `conntrack -I` process an entry, then one
#                    `conntrack -D` (conntrack-tools, PROCS of them)
#
# Every request's result is checked (each allocation's id, each deletion
# found one); after each run nothing is left in the switchboard or the
# table.  In the instruction-counting guest a run's seconds are
# instructions (the process's, the kernel's; for the last two also the
# shell's fork and exec, alike in both): set-ups per second is the inverse
# of what one costs.  The variants run in turn, ROUNDS times, after an
# untimed warm-up of each; the figure is a variant's median.
#
# env: SESSIONS (default 5000; bench/run --quick: 1000), BATCH (32),
# PROCS (300; --quick: 100), ROUNDS (3).
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

SESSIONS=${SESSIONS:-5000}
PROCS=${PROCS:-300}
if [ -n "${COUNT:-}" ] && [ "$COUNT" -lt 50000 ]; then
	SESSIONS=1000 PROCS=100
fi
BATCH=${BATCH:-32}
ROUNDS=${ROUNDS:-3}
CLI=$TOP/cli/iptrtpproxy
CTL=$BENCH_DIR/rtpp-bench-ctl
VARIANTS=(library library-full library-1 conntrack iptrtpproxy conntrack-tool)

for n in SESSIONS PROCS BATCH ROUNDS; do
	[[ ${!n} =~ ^[1-9][0-9]*$ ]] || die "bad $n: ${!n}"
done
[ "$SESSIONS" -le 10000 ] || die "SESSIONS: at most 10000 (a port of its own each)"
[ -x "$CLI" ] || die "no $CLI (make all)"
[ -x "$CTL" ] || die "no $CTL (make -C bench)"
command -v conntrack >/dev/null || die "no conntrack: make bench-deps (Debian's conntrack)"

need_guest
modprobe -a nf_conntrack nf_conntrack_netlink nf_nat || die "modprobe nf_conntrack_netlink nf_nat"
bench_header
echo "# $(conntrack --version 2>&1 | head -n 1), SESSIONS=$SESSIONS BATCH=$BATCH PROCS=$PROCS ROUNDS=$ROUNDS"
TMPD=$(mktemp -d /tmp/bench-control.XXXXXX)
trap 'rm -rf "$TMPD"; bench_cleanup' EXIT

ns_new relay; R=$NS
ip -n "$R" addr add 10.1.0.1/32 dev lo
ip -n "$R" addr add 10.2.0.1/32 dev lo
ipt "$R" -t raw -A PREROUTING -p udp -j RTPPROXY --addr-a 10.1.0.1 --port-a 2000 \
	--addr-b 10.2.0.1 --port-b 2000 --max-sess "$SESSIONS" --resurrection-timeout 0 ||
	die "the switchboard's rule"

# The processes of the last two variants start from a tmpfs: the rig's
# guest reads the host's files over 9p, a process start would wait on it
# for each file it opens, and guest time leaps to the next timer during a
# wait, which would make the count mostly waits.  So the two programs, the
# loader and their libraries are copied to $TMPD/run and started through
# that loader, which looks nowhere else (no cache, no default paths).
RUN=$TMPD/run
mkdir -p "$RUN"
for f in "$CLI" "$(command -v conntrack)" \
	$( { ldd "$CLI"; ldd "$(command -v conntrack)"; } | grep -o '/[^ ]*'); do
	cp -L "$f" "$RUN/"
done
LOADER=$(ldd "$CLI" | grep -o '/[^ ]*ld-linux[^ ]*')
LOADER=$RUN/${LOADER##*/}
[ -x "$LOADER" ] || die "no loader in $RUN"
# conntrack-tools opens its protocol helpers with dlopen() from its own
# directory; the UDP one is built in.
run_cmd() { "$LOADER" --inhibit-cache --library-path "$RUN" "$RUN/$1" "${@:2}"; }
run_cmd iptrtpproxy --version >/dev/null || die "iptrtpproxy does not start from $RUN"
run_cmd conntrack --version >/dev/null || die "conntrack does not start from $RUN"
# An entry as the variants make them relays: its reply is B's client to
# the gate on B's side, which NAT turns back into the flow A sent.
in_ns "$R" conntrack -I -p udp -s 10.1.0.2 -d 10.1.0.1 --sport 10000 --dport 2000 \
	--dst-nat 10.2.0.2:6000 --src-nat 10.2.0.1:2000 -t 3600 2>/dev/null ||
	die "conntrack -I with NAT (nf_nat loaded?)"
entry=$(in_ns "$R" conntrack -L -p udp 2>/dev/null)
grep -q 'src=10.2.0.2 dst=10.2.0.1 sport=6000 dport=2000' <<<"$entry" ||
	die "the NAT entry's reply is not B's client to gate B: $entry"
in_ns "$R" conntrack -D -p udp -s 10.1.0.2 --sport 10000 >/dev/null 2>&1 ||
	die "conntrack -D of the NAT entry"

loop_iptrtpproxy() {
	local i id made
	for ((i = 0; i < PROCS; i++)); do
		run_cmd iptrtpproxy alloc --rtp-addr-a 10.1.0.2 --rtp-port-a $((10000 + 2 * i)) \
			--rtp-addr-b 10.2.0.2 --rtp-port-b 6000 --expires-timeout 3600 || return 1
	done >"$TMPD/ids"
	mapfile -t made <"$TMPD/ids"
	[ ${#made[@]} = "$PROCS" ] || return 1
	while read -r id; do
		run_cmd iptrtpproxy delete --sess-id-lo "$id" || return 1
	done <"$TMPD/ids"
}
loop_conntrack_tool() {
	local i p
	for ((i = 0; i < PROCS; i++)); do
		p=$((10000 + 2 * i))
		run_cmd conntrack -I -p udp -s 10.1.0.2 -d 10.1.0.1 --sport "$p" --dport $((2000 + 2 * i)) \
			--dst-nat 10.2.0.2:6000 --src-nat 10.2.0.1:$((2000 + 2 * i)) \
			-t 3600 2>/dev/null || return 1
	done
	for ((i = 0; i < PROCS; i++)); do
		run_cmd conntrack -D -p udp -s 10.1.0.2 -d 10.1.0.1 --sport $((10000 + 2 * i)) \
			--dport $((2000 + 2 * i)) >/dev/null 2>&1 || return 1
	done
}
# sessions: how many are not free in R (info counts the slots by state)
sessions() {
	in_ns "$R" "$CLI" info --format json | python3 -c 'import json, sys
print(sum(n for st, n in json.load(sys.stdin)["sessions"].items() if st != "free"))'
}
export -f run_cmd loop_iptrtpproxy loop_conntrack_tool
export PROCS TMPD RUN LOADER

# measure VARIANT: one run; its set-ups per second in MEASURED.
measure() {
	local out t0 t1 n=$PROCS
	case $1 in
	library) out=$(in_ns "$R" "$CTL" lib "$SESSIONS" "$BATCH") || die "$1: $out" ;;
	library-full) out=$(in_ns "$R" "$CTL" lib-full "$SESSIONS" "$BATCH") || die "$1: $out" ;;
	library-1) out=$(in_ns "$R" "$CTL" lib "$SESSIONS" 1) || die "$1: $out" ;;
	conntrack) out=$(in_ns "$R" "$CTL" ct "$SESSIONS" "$BATCH") || die "$1: $out" ;;
	*)
		t0=$EPOCHREALTIME
		in_ns "$R" bash -c "loop_${1//-/_}" || die "$1: a command failed (or made fewer than $PROCS)"
		t1=$EPOCHREALTIME
		out="per-s $(awk -v n="$n" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", n / (b - a) }')"
		;;
	esac
	case $1 in
	library* | iptrtpproxy) [ "$(sessions)" = 0 ] ||
		die "$1: sessions left in the switchboard" ;;
	*) [ "$(in_ns "$R" conntrack -C)" = 0 ] || die "$1: conntrack entries left" ;;
	esac
	MEASURED=$(awk '{ for (i = 1; i < NF; i++) if ($i == "per-s") print $(i + 1) }' <<<"$out")
	[ -n "$MEASURED" ] || die "$1: no figure in: $out"
}

for v in "${VARIANTS[@]}"; do
	measure "$v"
	say "warm-up $v: $MEASURED/s"
done
for ((r = 1; r <= ROUNDS; r++)); do
	for v in "${VARIANTS[@]}"; do
		measure "$v"
		RATE[$v,$r]=$MEASURED
		say "round $r: $v $MEASURED set up and torn down/s"
	done
done

rate_table "sessions per second" "${VARIANTS[@]}"
echo
echo "# ratio = set-ups per second of the first against the second, per round; min/median/max over the rounds"
rate_ratio library/conntrack library conntrack 3
rate_ratio iptrtpproxy/conntrack-tool iptrtpproxy conntrack-tool 1
rate_ratio library/library-full library library-full -
rate_ratio library/library-1 library library-1 -
