#!/bin/bash
# snmp-secure.sh: the shipped snmpd configuration lets only those meant to
# act.  Debian's own /etc/snmp/snmpd.conf with snmpd.conf.d-iptrtpproxy.conf
# copied into /etc/snmp/snmpd.conf.d/ as the README says, the SNMPv3 user
# created as the snippet says (a createUser line in snmpd's persistent
# file), snmpd started with the command line of Debian's snmpd.service (as
# the user Debian-snmp), the agent as its unit runs it (user and group
# iptrtpproxy, CAP_NET_ADMIN alone); all in a network namespace of its own
# (127.0.0.1:161 is its own).  Shows that:
#  - the AgentX socket is mode 0660, owner root, group iptrtpproxy, in a
#    directory nobody else may write; a user outside the group cannot
#    connect to it (EACCES), the agent (in the group) registers through it;
#  - reads work as the README says: SNMPv2c with Debian's community public,
#    and SNMPv3 rtppadmin with authPriv;
#  - every SET is refused over SNMPv1 and SNMPv2c whatever the community
#    (public: noSuchName / noAccess; private, no such community: no answer), over
#    SNMPv3 with noAuthNoPriv and authNoPriv (authorizationError) and with a
#    wrong pass phrase; the reset they asked for did not happen
#    (rtppDiscontinuityTime did not move);
#  - a SET over SNMPv3 authPriv is accepted and resets (the discontinuity
#    time moves).
#
# Run as root in the guest: tests/vm/run -- tests/integration/snmp-secure.sh

. "$(dirname "$0")/lib.sh"
need_root
need_module

SNIPPET=$TOP/snmp-agent/snmpd.conf.d-iptrtpproxy.conf
DROPIN=/etc/snmp/snmpd.conf.d/iptrtpproxy.conf
SOCK=/run/iptrtpproxy/agentx.sock
UNIT=/lib/systemd/system/snmpd.service
AGENT=$TOP/snmp-agent/iptrtpproxy-agent
G=.1.3.6.1.4.1.32473.77.1.1			# rtppGlobal
SBS=$G.3.0 DISCONT=$G.22.0 RESET=$G.23.0	# rtppSwitchboards, ...
AUTH="auth phrase $$"				# the v3 user's pass phrases
PRIV="priv phrase $$"

for tool in snmpd snmpget snmpset snmpwalk setpriv useradd; do
	command -v $tool >/dev/null || { skip "SKIPPED: $tool not installed"; finish; }
done
[ -x "$AGENT" ] || { fail "$AGENT not built (make)"; finish; }
if ! [ -r "$UNIT" ] || ! grep -q '^includeDir /etc/snmp/snmpd.conf.d' /etc/snmp/snmpd.conf 2>/dev/null; then
	skip "SKIPPED: not Debian's snmpd (no $UNIT or no includeDir in /etc/snmp/snmpd.conf)"
	finish
fi
if [ -e "$DROPIN" ] || [ -e "${SOCK%/*}" ]; then
	fail "$DROPIN or ${SOCK%/*} is there already: not a fresh guest"
	finish
fi

D=$(mktemp -d /tmp/rtpp-snmpsec.XXXXXX)
mkdir -p "$D/persist" "$D/home" "$D/agent"
chmod 711 "$D"	# snmpd (Debian-snmp) and the agent reach their directories
snmpd_pid='' agent_pid='' made_user=''
teardown() {
	local p
	for p in $agent_pid $snmpd_pid; do kill "$p" && wait "$p"; done
	rm -rf "$DROPIN" "${SOCK%/*}" "$D"
	[ -z "$made_user" ] || userdel iptrtpproxy
}
at_cleanup teardown

# ---- installed as the README and the snippet say ------------------------------

section "installed: Debian's snmpd.conf, the snippet, the SNMPv3 user"
if ! getent group iptrtpproxy >/dev/null; then
	# what the package's postinst (or the unit's comment) makes
	useradd --system --user-group --no-create-home --home-dir /nonexistent \
		--shell /usr/sbin/nologin iptrtpproxy && made_user=1
fi
cp "$SNIPPET" "$DROPIN"
# The createUser line of the snippet's comment, pass phrases filled in.
user=$(sed -n 's/^#[[:space:]]*\(createUser rtppadmin .*\)$/\1/p' "$SNIPPET" |
	sed "s/\"CHANGE-ME auth pass phrase\"/\"$AUTH\"/; s/\"CHANGE-ME priv pass phrase\"/\"$PRIV\"/")
expect "the snippet says how to create rtppadmin (SHA-256, AES)" \
	"$user" "createUser rtppadmin SHA-256 \"$AUTH\" AES \"$PRIV\""
echo "$user" >"$D/persist/snmpd.conf"
chown -R Debian-snmp: "$D/persist"

ns_new snmp
ns=$NS
# A switchboard for the MIB to show.
ip netns exec "$ns" "$IPT" -t mangle -A PREROUTING -p udp -j RTPPROXY \
	--addr-a 10.9.0.1 --port-a 30000 --max-sess 4 ||
	{ fail "a switchboard in $ns"; finish; }

# Debian's unit's command line, in the foreground (-f is in it), logging to
# a file too; snmpd's persistent files (/var/lib/snmp) in $D.
read -r -a execstart <<<"$(sed -n 's/^ExecStart=//p' "$UNIT")"
ip netns exec "$ns" env -i PATH="$PATH" HOME="$D/home" MIBS= \
	SNMP_PERSISTENT_DIR="$D/persist" \
	"${execstart[@]}" -Lf "$D/snmpd.log" >"$D/snmpd.out" 2>&1 &
snmpd_pid=$!
info "snmpd: ${execstart[*]}"

# ---- the AgentX socket -----------------------------------------------------------

section "the AgentX socket"
if ! poll -t 60 test -S "$SOCK"; then
	fail "snmpd made no socket $SOCK"
	sed 's/^/        | /' "$D/snmpd.log" "$D/snmpd.out" | tail -n 10
	finish
fi
expect "socket: mode, owner, group" "$(stat -c '%a %U %G' "$SOCK")" "660 root iptrtpproxy"
expect "its directory: mode, owner, group" "$(stat -c '%a %U %G' "${SOCK%/*}")" "755 root root"
# connect as UID GID GROUPS: the errno's name, or "connected"
connect_as() {
	setpriv --reuid="$1" --regid="$2" --groups="$3" python3 -c '
import errno, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
try:
    s.connect(sys.argv[1])
    print("connected")
except OSError as e:
    print(errno.errorcode[e.errno])' "$SOCK"
}
expect "nobody (not in the group) cannot connect" "$(connect_as nobody nogroup nogroup)" EACCES
expect "nobody with the group iptrtpproxy can" \
	"$(connect_as nobody nogroup iptrtpproxy)" connected

# The agent as iptrtpproxy-agent.service runs it: its user and group, the
# one capability, the socket of the snippet.
chown iptrtpproxy: "$D/agent"
ip netns exec "$ns" env -i PATH="$PATH" MIBS= SNMP_PERSISTENT_DIR="$D/agent" \
	setpriv --reuid=iptrtpproxy --regid=iptrtpproxy --init-groups \
	--inh-caps=+net_admin --ambient-caps=+net_admin \
	"$AGENT" -f -Le -x "unix:$SOCK" 2>"$D/agent.log" &
agent_pid=$!

# ---- reads --------------------------------------------------------------------------

v3() { # LEVEL AUTH-PHRASE TOOL ARGS...
	local level=$1 auth=$2 tool=$3
	shift 3
	ip netns exec "$ns" "$tool" -v3 -u rtppadmin -l "$level" -a SHA-256 -A "$auth" \
		-x AES -X "$PRIV" -t 3 -r 0 -Oqv 127.0.0.1 "$@" 2>&1
}
v12() { # VERSION COMMUNITY TOOL ARGS...
	local ver=$1 comm=$2 tool=$3
	shift 3
	ip netns exec "$ns" "$tool" "$ver" -c "$comm" -t 2 -r 0 -Oqv 127.0.0.1 "$@" 2>&1
}

section "reads"
if poll -t 60 eval '[ "$(v12 -v2c public snmpget $SBS)" = 1 ]'; then
	pass "the agent registered (as iptrtpproxy); public reads rtppSwitchboards: 1"
else
	fail "public reads rtppSwitchboards: $(v12 -v2c public snmpget $SBS)"
	sed 's/^/        | /' "$D/snmpd.log" "$D/agent.log" | tail -n 10
	finish
fi
n=$(ip netns exec "$ns" snmpwalk -v2c -c public -t 5 -r 1 -On 127.0.0.1 .1.3.6.1.4.1.32473.77 2>&1 |
	grep -c '^\.1\.3\.6\.1\.4\.1\.32473\.77\.')
if [ "$n" -gt 30 ]; then
	pass "the README's snmpwalk with public: $n objects"
else
	fail "the README's snmpwalk with public: $n objects"
fi
expect "rtppadmin reads with authPriv" "$(v3 authPriv "$AUTH" snmpget $SBS)" 1
before=$(v12 -v2c public snmpget $DISCONT)

# ---- writes ------------------------------------------------------------------------

section "SETs refused"
# refused DESC WANT OUTPUT: OUTPUT (status in $rc) is a refusal saying WANT.
refused() {
	if [ "$rc" -ne 0 ] && [[ $3 == *"$2"* ]]; then
		pass "$1: refused, $2"
	else
		fail "$1: status $rc, '${3//$'\n'/ }' (want a refusal, $2)"
	fi
}
for ver in -v1 -v2c; do
	for comm in public private; do
		case $ver/$comm in
		-v1/public) want=noSuchName ;;
		-v2c/public) want=noAccess ;;
		*) want="No Response" ;;	# no such community: no answer
		esac
		out=$(v12 $ver $comm snmpset $RESET i 1)
		rc=$?
		refused "SNMP${ver#-} community $comm" "$want" "$out"
	done
done
for level in noAuthNoPriv authNoPriv; do
	out=$(v3 $level "$AUTH" snmpset $RESET i 1)
	rc=$?
	refused "SNMPv3 rtppadmin $level" authorizationError "$out"
done
out=$(v3 authNoPriv "$AUTH" snmpget $SBS)
rc=$?
refused "SNMPv3 rtppadmin authNoPriv, even to read" authorizationError "$out"
out=$(v3 authPriv "wrong $AUTH" snmpset $RESET i 1)
rc=$?
refused "SNMPv3 rtppadmin authPriv with a wrong pass phrase" "Authentication failure" "$out"
expect "nothing was reset (rtppDiscontinuityTime)" "$(v12 -v2c public snmpget $DISCONT)" "$before"

section "SET accepted"
out=$(v3 authPriv "$AUTH" snmpset $RESET i 1)
rc=$?
if [ "$rc" -eq 0 ]; then
	pass "SNMPv3 rtppadmin authPriv: rtppResetStatistics set ($out)"
else
	fail "SNMPv3 rtppadmin authPriv: status $rc, ${out//$'\n'/ }"
fi
if poll -t 30 eval '[ "$(v12 -v2c public snmpget $DISCONT)" != "$before" ]'; then
	pass "the reset happened: rtppDiscontinuityTime $before -> $(v12 -v2c public snmpget $DISCONT)"
else
	fail "rtppDiscontinuityTime did not move from $before"
fi

finish
