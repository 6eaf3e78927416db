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
# Each backend works in a network namespace of its own.  Each rule is tried
# once per chain of the current chain line, in a fresh user chain that this
# built-in chain jumps to (so the kernel checks the rule against that hook):
# an OK rule must be accepted and "iptables -S" of the fresh chain must show
# exactly EXPECTED; a FAIL rule must be refused, with a message, and leave
# "iptables-save" of the table unchanged.  The fresh chain is then removed.
#
# Run as root in the guest: tests/vm/run -- tests/integration/xt-t-runner.sh

. "$(dirname "$0")/lib.sh"

backends=()
while getopts b: opt; do
	case $opt in
	b) backends+=("$OPTARG") ;;
	*) echo "usage: $0 [-b iptables-legacy|iptables-nft]... [FILE.t...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ ${#backends[@]} -gt 0 ] || backends=("${IPT_BACKENDS[@]}")
files=("$@")
[ ${#files[@]} -gt 0 ] || files=("$TOP/xtables/libxt_RTPPROXY.t")

XTT_SEQ=0

# try_ok NS TABLE UCHAIN RULE: add RULE to UCHAIN; a refusal for ports in use
# is retried for a while (iptables-nft returns before the kernel has
# destroyed the rules of the previous test, and with them its switchboard).
XTT_ERR=
try_ok() {
	local ns=$1 table=$2 uc=$3 rule=$4 start now
	start=$(date +%s)
	while :; do
		# shellcheck disable=SC2086  # RULE is a list of words
		XTT_ERR=$(ipt "$ns" -t "$table" -A "$uc" $rule 2>&1 >/dev/null) && return 0
		case $XTT_ERR in *"in use"*) ;; *) return 1 ;; esac
		now=$(date +%s)
		[ $((now - start)) -lt "$POLL_TIMEOUT" ] || return 1
		sleep 0.1
	done
}

# run_rule NS TABLE CHAIN UCHAIN RULE EXPECTED RESULT: one rule from one
# chain, in the fresh user chain UCHAIN.  Prints nothing and returns 0 when
# it behaves; else says why, returns 1.
run_rule() {
	local ns=$1 table=$2 chain=$3 uc=$4 rule=$5 want=$6 res=$7 before after got rc=0
	if ! ipt "$ns" -t "$table" -N "$uc" || ! ipt "$ns" -t "$table" -A "$chain" -j "$uc"; then
		echo "cannot set up chain $uc jumped to from $chain"
		return 1
	fi
	before=$(ipt_save "$ns" "$table")
	case $res in
	OK)
		[ "$want" != "=" ] || want=$rule
		if ! try_ok "$ns" "$table" "$uc" "$rule"; then
			echo "$chain: refused: ${XTT_ERR//$'\n'/ }"
			rc=1
		else
			got=$(ipt "$ns" -t "$table" -S "$uc" | sed -n "s/^-A $uc //p")
			if [ "$got" != "$want" ]; then
				echo "$chain: listed as '$got', want '$want'"
				rc=1
			fi
		fi
		;;
	FAIL)
		# shellcheck disable=SC2086
		if XTT_ERR=$(ipt "$ns" -t "$table" -A "$uc" $rule 2>&1 >/dev/null); then
			echo "$chain: accepted, listed as '$(ipt "$ns" -t "$table" -S "$uc" | sed -n "s/^-A $uc //p")'"
			rc=1
		elif [ -z "$(printf '%s' "$XTT_ERR" | tr -d '[:space:]')" ]; then
			echo "$chain: refused without a message"
			rc=1
		elif [[ $XTT_ERR == *"missing kernel module"* ]]; then
			echo "$chain: refused, but only because the kernel lacks the target: ${XTT_ERR//$'\n'/ }"
			rc=1
		else
			after=$(ipt_save "$ns" "$table")
			if [ "$before" != "$after" ]; then
				echo "$chain: refused, but the table changed:"
				diff <(printf '%s\n' "$before") <(printf '%s\n' "$after")
				rc=1
			fi
		fi
		;;
	*)
		echo "bad result '$res' (OK or FAIL)"
		rc=1
		;;
	esac
	if ! ipt "$ns" -t "$table" -F "$uc" ||
		! ipt "$ns" -t "$table" -D "$chain" -j "$uc" ||
		! ipt "$ns" -t "$table" -X "$uc"; then
		echo "$chain: cannot remove chain $uc"
		rc=1
	fi
	return $rc
}

# run_file FILE NS: every line of FILE, with $IPT.
run_file() {
	local file=$1 ns=$2 line lineno=0 chains=() table=filter rule want res extra chain out why cmd
	while IFS= read -r line || [ -n "$line" ]; do
		lineno=$((lineno + 1))
		case $line in
		'' | '#'*) continue ;;
		:*)
			IFS=, read -r -a chains <<<"${line#:}"
			continue
			;;
		'*'*)
			table=${line#\*}
			continue
			;;
		@*)
			cmd=${line#@}
			cmd=$(sed -E "s/(^|[^[:alnum:]_-])iptables([^[:alnum:]_]|$)/\\1$IPT\\2/g" <<<"$cmd")
			if ! out=$(in_ns "$ns" bash -c "$cmd" 2>&1); then
				fail "[${IPT#iptables-}] ${file##*/}:$lineno: @$cmd: $out"
			fi
			continue
			;;
		esac
		IFS=';' read -r rule want res extra <<<"$line"
		if [ -z "${res:-}" ] || [ -n "${extra:-}" ]; then
			fail "${file##*/}:$lineno: malformed line: $line"
			continue
		fi
		if [ ${#chains[@]} -eq 0 ]; then
			fail "${file##*/}:$lineno: no :CHAIN line before the first rule"
			continue
		fi
		why=
		for chain in "${chains[@]}"; do
			XTT_SEQ=$((XTT_SEQ + 1))
			out=$(run_rule "$ns" "$table" "$chain" "XTT$XTT_SEQ" \
				"$rule" "$want" "$res") || why+="$out"$'\n'
		done
		if [ -z "$why" ]; then
			pass "[${IPT#iptables-}] $table: $rule ($res)"
		else
			fail "[${IPT#iptables-}] ${file##*/}:$lineno: $table: $rule ($res)"
			printf '%s' "$why" | sed 's/^/        | /'
		fi
	done <"$file"
}

need_root
need_module

for f in "${files[@]}"; do
	if [ ! -r "$f" ]; then
		fail "cannot read $f"
		continue
	fi
	for IPT in "${backends[@]}"; do
		section "${f##*/} with $IPT"
		ns_new "xtt-${IPT#iptables-}"
		run_file "$f" "$NS"
		ns_del "$NS"
	done
done

finish
