# shellcheck shell=bash
# tests/integration/snmpd.sh: a private net-snmp master and the subagent,
# for the scenarios and the demo that watch the relay over SNMP.  Sourced
# after lib.sh.
#
#   snmpd_setup DIR          config in DIR: UDP 127.0.0.1:$SNMP_PORT (communities
#                            public-ro, and private-rw from 127.0.0.1), AgentX
#                            socket $AGENTX, traps to 127.0.0.1:$TRAP_PORT
#   snmpd_start / snmpd_stop the master (its pid: $SNMPD_PID)
#   agent_start [NS]         iptrtpproxy-agent, in namespace NS if given,
#                            logging to DIR/agent.log, its cache loads too
#                            (-D rtppa:cache, or -D $AGENT_DEBUG when set;
#                            its pid: $AGENT_PID);
#                            waits until it has registered
#   agent_stop
#   snmp TOOL ARGS...        an SNMPv2c tool against the master, community
#                            public-ro, MIB IPTRTPPROXY-MIB by name when the
#                            IETF modules it imports are there ($SNMP_BYNAME)
#
# The master waits up to 30 s for the agent's answer (snmpd's default is 1 s):
# under TCG a reload of 10,000 sessions takes seconds, natively a fraction.
# Nothing goes to /var: net-snmp's persistent state lives in DIR, the
# daemons load no MIB files (MIBS empty) and the clients name theirs.

AGENT_BIN=$TOP/snmp-agent/iptrtpproxy-agent
RTPP_MIB_OID=.1.3.6.1.4.1.32473.77

# free_udp_pair: a port P of 127.0.0.1 with P and P+1 both unused.
free_udp_pair() {
	local p hex
	for p in $(seq $((20000 + $$ % 20000)) 2 65000); do
		printf -v hex '%04X:%04X' $p $((p + 1))
		grep -Eq ":(${hex%:*}|${hex#*:}) " /proc/net/udp || { echo $p; return; }
	done
}

snmpd_setup() {
	SNMP_DIR=$1
	mkdir -p "$SNMP_DIR/persist"
	export SNMP_PERSISTENT_DIR=$SNMP_DIR/persist
	# The IETF modules the MIB imports: the system's (Debian's non-free
	# snmp-mibs-downloader), or the copies beside the tree.
	export MIBDIRS="$TOP/mibs:/usr/share/snmp/mibs/ietf:/usr/share/snmp/mibs/iana:/usr/share/snmp/mibs:$TOP/../shared/mibs"
	export MIBS=
	SNMP_PORT=$(free_udp_pair)
	TRAP_PORT=$((SNMP_PORT + 1))
	SNMP_HOST=udp:127.0.0.1:$SNMP_PORT
	AGENTX=$SNMP_DIR/agentx.sock
	cat >"$SNMP_DIR/snmpd.conf" <<-CONF
	agentaddress $SNMP_HOST
	master agentx
	agentXSocket unix:$AGENTX
	agentXPerms 0600 0700
	agentXTimeout 30
	rocommunity public-ro 127.0.0.1
	rwcommunity private-rw 127.0.0.1
	trap2sink 127.0.0.1:$TRAP_PORT public
	CONF
	SNMP_BYNAME=0
	SNMP_MIB=
	if snmptranslate -m IPTRTPPROXY-MIB -On IPTRTPPROXY-MIB::rtppUptime >/dev/null 2>&1; then
		SNMP_BYNAME=1
		SNMP_MIB="-m IPTRTPPROXY-MIB"
	fi
	SNMPD_PID=
	AGENT_PID=
	at_cleanup 'agent_stop; snmpd_stop'
}

snmpd_start() {
	snmpd -f -C -c "$SNMP_DIR/snmpd.conf" -Lf "$SNMP_DIR/snmpd.log" \
		-p "$SNMP_DIR/snmpd.pid" &
	SNMPD_PID=$!
	poll -t 60 snmpget -v2c -c public-ro -t 1 -r 0 "$SNMP_HOST" .1.3.6.1.2.1.1.3.0
}

snmpd_stop() {
	[ -z "$SNMPD_PID" ] || { kill "$SNMPD_PID"; wait "$SNMPD_PID"; } 2>/dev/null
	SNMPD_PID=
}

# agent_registered: the master passes requests for the MIB to the agent.
agent_registered() {
	snmpget -v2c -c public-ro -t 2 -r 0 -Oqv "$SNMP_HOST" "$RTPP_MIB_OID.1.1.1.0" |
		grep -qv 'No Such'
}

agent_start() {
	local ns=${1:-}
	if [ -n "$ns" ]; then
		ip netns exec "$ns" "$AGENT_BIN" -f -x "unix:$AGENTX" -Lf "$SNMP_DIR/agent.log" \
			-D "${AGENT_DEBUG:-rtppa:cache}" &
	else
		"$AGENT_BIN" -f -x "unix:$AGENTX" -Lf "$SNMP_DIR/agent.log" \
			-D "${AGENT_DEBUG:-rtppa:cache}" &
	fi
	AGENT_PID=$!
	poll -t 60 agent_registered
}

agent_stop() {
	[ -z "$AGENT_PID" ] || { kill "$AGENT_PID"; wait "$AGENT_PID"; } 2>/dev/null
	AGENT_PID=
}

snmp() {
	local tool=$1
	shift
	# shellcheck disable=SC2086  # $SNMP_MIB: two words or none
	"$tool" -v2c -c public-ro -t 5 -r 1 $SNMP_MIB "$@"
}
