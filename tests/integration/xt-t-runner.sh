#!/bin/bash
# xt-t-runner.sh [-b BACKEND]... [FILE.t...]: run iptables extension test
# files against the live kernel, with iptables-legacy and iptables-nft (or
# the -b BACKENDs given).  Without FILE, runs xtables/libxt_RTPPROXY.t.
#
# The files are in the format of iptables' own extensions/*.t:
#
#   :CHAIN[,CHAIN...]       built-in chains the rules below are tried from
#   *TABLE                  their table (filter until one is given)
#   RULE;EXPECTED;OK        RULE is accepted and listed as EXPECTED ("=":
#                           as RULE itself)
#   RULE;;FAIL              RULE is refused
#   @COMMAND                run COMMAND (a shell command; "iptables" in it
#                           means the backend under test)
#   # comment
#
# Each backend works in a network namespace of its own.  For each chain of
# a chain line the runner makes a fresh user chain, XTT_<CHAIN>, that the
# built-in chain jumps to, so the kernel checks every rule against that hook.
# Each rule is tried once per chain, with "iptables -A XTT_<CHAIN> RULE",
# always on an empty chain:
#  - OK: accepted, and "iptables -S XTT_<CHAIN>" shows exactly EXPECTED; the
#    chain is then flushed (which destroys the rule and, when it was the
#    last to define it, its switchboard);
#  - FAIL: refused, with a message, and iptables-save of the table is the
#    same as before the rule.
#
# Commands are expensive in a TCG guest (a few hundred ms each), so the
# runner uses as few as it can: it re-starts itself inside each namespace (no
# "ip netns exec" per command), runs the backends in parallel, and prints
# their reports one after the other with one summary line for all.
#
# Run as root in the guest: tests/vm/run -- tests/integration/xt-t-runner.sh

. "$(dirname "$0")/lib.sh"

usage() {
	echo "usage: $0 [-b iptables-legacy|iptables-nft]... [FILE.t...]" >&2
	exit 2
}

backends=()
while getopts b: opt; do
	case $opt in
	b) backends+=("$OPTARG") ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ ${#backends[@]} -gt 0 ] || backends=("${IPT_BACKENDS[@]}")
files=("$@")
[ ${#files[@]} -gt 0 ] || files=("$TOP/xtables/libxt_RTPPROXY.t")

# ---- inside a namespace: one backend ($IPT), one file -----------------------

# x ARGS...: the backend under test, its stderr in XTT_ERR (not a subshell).
XTT_ERR=
x() {
	local f=$XTT_TMP/err rc
	"$IPT" "$@" 2>"$f"
	rc=$?
	XTT_ERR=
	IFS= read -r -d '' XTT_ERR <"$f"
	return $rc
}

# xsave TABLE: iptables-save of TABLE into XTT_SAVED, without comments and
# counters.  (Temporary files, not process substitution: the guest has no
# /dev/fd.)
XTT_SAVED=
xsave() {
	local line out=
	"$IPT-save" -t "$1" >"$XTT_TMP/save"
	while IFS= read -r line; do
		case $line in '#'*) continue ;; esac
		[[ $line =~ ^(:.*)\ \[[0-9]+:[0-9]+\]$ ]] && line=${BASH_REMATCH[1]}
		out+=$line$'\n'
	done <"$XTT_TMP/save"
	XTT_SAVED=$out
}

# xlist UCHAIN TABLE: the rules of UCHAIN as "iptables -S" shows them, less
# the "-A UCHAIN " prefix, one a line, into XTT_LISTED.
XTT_LISTED=
xlist() {
	local line out=
	"$IPT" -t "$2" -S "$1" >"$XTT_TMP/list" 2>/dev/null
	while IFS= read -r line; do
		[[ $line == "-A $1 "* ]] && out+=${line#"-A $1 "}$'\n'
	done <"$XTT_TMP/list"
	XTT_LISTED=${out%$'\n'}
}

# The fresh chains of the current chain line.
CUR_TABLE=
CUR_CHAINS=()
SNAPSHOT=		# the table as it should be around a FAIL rule
SNAPSHOT_OK=

# setup TABLE CHAIN...: replace the current fresh chains by XTT_<CHAIN> for
# these, in one iptables-restore.
setup() {
	local table=$1 c input='' old_table=$CUR_TABLE old_chains=("${CUR_CHAINS[@]}")
	shift
	if [ -n "$CUR_TABLE" ]; then
		input+="*$CUR_TABLE"$'\n'
		for c in "${CUR_CHAINS[@]}"; do
			input+="-F XTT_$c"$'\n'"-D $c -j XTT_$c"$'\n'"-X XTT_$c"$'\n'
		done
		input+=COMMIT$'\n'
	fi
	CUR_TABLE=
	CUR_CHAINS=()
	SNAPSHOT_OK=
	if [ -n "$table" ]; then
		input+="*$table"$'\n'
		for c in "$@"; do
			input+="-N XTT_$c"$'\n'"-A $c -j XTT_$c"$'\n'
		done
		input+=COMMIT$'\n'
	fi
	[ -n "$input" ] || return 0
	if ! XTT_ERR=$("$IPT-restore" --noflush <<<"$input" 2>&1); then
		fail "[$TAG] cannot set up the chains of table ${table:-none} (${*:-none}): ${XTT_ERR//$'\n'/ }"
		CUR_TABLE=$old_table	# iptables-restore changed nothing
		CUR_CHAINS=("${old_chains[@]}")
		return 1
	fi
	CUR_TABLE=$table
	CUR_CHAINS=("$@")
}

# try_ok UCHAIN RULE: add RULE; a refusal for ports in use is retried for a
# while (iptables-nft returns before the kernel has destroyed the rules of
# the previous test, and with them their switchboard).
try_ok() {
	local uc=$1 rule=$2 end=$((SECONDS + POLL_TIMEOUT))
	while :; do
		# shellcheck disable=SC2086  # RULE is a list of words
		x -t "$CUR_TABLE" -A "$uc" $rule && return 0
		[[ $XTT_ERR == *"in use"* ]] && [ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.1
	done
}

# rule_ok RULE EXPECTED: WHY gets a line per chain where it misbehaves.
rule_ok() {
	local rule=$1 want=$2 c uc
	[ "$want" != "=" ] || want=$rule
	for c in "${CUR_CHAINS[@]}"; do
		uc=XTT_$c
		if ! try_ok "$uc" "$rule"; then
			WHY+="$c: refused: ${XTT_ERR//$'\n'/ }"$'\n'
			continue
		fi
		xlist "$uc" "$CUR_TABLE"
		[ "$XTT_LISTED" = "$want" ] ||
			WHY+="$c: listed as '$XTT_LISTED', want '$want'"$'\n'
		x -t "$CUR_TABLE" -F "$uc" ||
			WHY+="$c: cannot flush $uc: $XTT_ERR"$'\n'
	done
}

# rule_fail RULE: WHY gets a line per chain where it misbehaves.
rule_fail() {
	local rule=$1 c uc
	if [ -z "$SNAPSHOT_OK" ]; then
		xsave "$CUR_TABLE"
		SNAPSHOT=$XTT_SAVED
		SNAPSHOT_OK=1
	fi
	for c in "${CUR_CHAINS[@]}"; do
		uc=XTT_$c
		# shellcheck disable=SC2086  # RULE is a list of words
		if x -t "$CUR_TABLE" -A "$uc" $rule; then
			xlist "$uc" "$CUR_TABLE"
			WHY+="$c: accepted, listed as '$XTT_LISTED'"$'\n'
			x -t "$CUR_TABLE" -F "$uc"
		elif ! [[ $XTT_ERR =~ [^[:space:]] ]]; then
			WHY+="$c: refused without a message"$'\n'
		elif [[ $XTT_ERR == *"missing kernel module"* ]]; then
			WHY+="$c: refused, but only because the kernel lacks the target: ${XTT_ERR//$'\n'/ }"$'\n'
		fi
	done
	xsave "$CUR_TABLE"
	if [ "$XTT_SAVED" != "$SNAPSHOT" ]; then
		WHY+="refused, but the table changed:"$'\n'
		WHY+=$(show_diff "$SNAPSHOT" "$XTT_SAVED")$'\n'
		SNAPSHOT=$XTT_SAVED
	fi
}

# run_file FILE: every line of FILE.
run_file() {
	local file=$1 name=${1##*/} line lineno=0 chains=() table=filter dirty=1
	local rule want res extra cmd out
	while IFS= read -r line || [ -n "$line" ]; do
		lineno=$((lineno + 1))
		case $line in
		'' | '#'*) continue ;;
		:*)
			IFS=, read -r -a chains <<<"${line#:}"
			dirty=1
			continue
			;;
		'*'*)
			table=${line#\*}
			dirty=1
			continue
			;;
		@*)
			cmd=$(sed -E "s/(^|[^[:alnum:]_-])iptables([^[:alnum:]_]|$)/\\1$IPT\\2/g" <<<"${line#@}")
			if ! out=$(bash -c "$cmd" 2>&1); then
				fail "[$TAG] $name:$lineno: @$cmd"
				printf '%s\n' "$out" | sed 's/^/        | /'
			fi
			SNAPSHOT_OK=
			continue
			;;
		esac
		IFS=';' read -r rule want res extra <<<"$line"
		if [ -z "${res:-}" ] || [ -n "${extra:-}" ]; then
			fail "[$TAG] $name:$lineno: malformed line: $line"
			continue
		fi
		if [ ${#chains[@]} -eq 0 ]; then
			fail "[$TAG] $name:$lineno: no :CHAIN line before the first rule"
			continue
		fi
		if [ -n "$dirty" ]; then
			setup "$table" "${chains[@]}" || continue
			dirty=
		fi
		WHY=
		case $res in
		OK) rule_ok "$rule" "$want" ;;
		FAIL) rule_fail "$rule" ;;
		*) WHY="bad result '$res' (OK or FAIL)"$'\n' ;;
		esac
		if [ -z "$WHY" ]; then
			pass "[$TAG] $table: $rule ($res)"
		else
			fail "[$TAG] $name:$lineno: $table: $rule ($res)"
			printf '%s' "$WHY" | sed 's/^/        | /'
		fi
	done <"$file"
	setup ""
}

if [ -n "${XTT_INSIDE:-}" ]; then
	IPT=${backends[0]}
	TAG=${IPT#iptables-}
	XTT_TMP=$(mktemp -d "${TMPDIR:-/tmp}/xtt-in.XXXXXX")
	at_cleanup rm -rf "$XTT_TMP"
	run_file "${files[0]}"
	finish
fi

# ---- outside: a namespace per backend, in parallel ---------------------------

need_root
need_module

tmp=$(mktemp -d "${TMPDIR:-/tmp}/xtt.XXXXXX")
at_cleanup rm -rf "$tmp"
self=$(cd "$(dirname "$0")" && pwd -P)/${0##*/}

for f in "${files[@]}"; do
	if [ ! -r "$f" ]; then
		fail "cannot read $f"
		continue
	fi
	f=$(cd "$(dirname "$f")" && pwd -P)/${f##*/}
	pids=()
	for i in "${!backends[@]}"; do
		IPT=${backends[$i]}
		ns_new "xtt-${IPT#iptables-}"
		ip netns exec "$NS" env XTT_INSIDE=1 SCENARIO="xt-t-runner[${IPT#iptables-}]" \
			bash "$self" -b "$IPT" "$f" >"$tmp/$i.out" 2>&1 &
		pids[i]=$!
	done
	for i in "${!backends[@]}"; do
		wait "${pids[$i]}"
		rc=$?
		section "${f##*/} with ${backends[$i]}"
		sed '$d' "$tmp/$i.out"
		summary=$(tail -n 1 "$tmp/$i.out")
		if [[ $summary =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]]; then
			PASSED=$((PASSED + BASH_REMATCH[1]))
			FAILED=$((FAILED + BASH_REMATCH[2]))
			SKIPPED=$((SKIPPED + BASH_REMATCH[3]))
			info "$summary"
			[ "$rc" -eq 0 ] || [ "${BASH_REMATCH[2]}" -gt 0 ] ||
				fail "${backends[$i]}: runner exited $rc"
		else
			printf '%s\n' "$summary"
			fail "${backends[$i]}: the runner died (status $rc)"
		fi
	done
	while [ ${#LIB_NS[@]} -gt 0 ]; do
		ns_del "${LIB_NS[0]}"
	done
done

finish
