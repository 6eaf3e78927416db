#!/bin/bash
# packages.sh: the Debian packages as an operator installs them.
#
# The three packages of build/deb (make deb; DEB_DIR to use others) are
# installed with `apt-get install ./*.deb`, offline: everything they depend
# on must already be on the machine.  Shows that:
#  - iptrtpproxy-dkms's installation makes DKMS build and install the
#    module for the running kernel, and modprobe loads that one (the test
#    rig's own copy of the module is moved away for the while);
#  - the installed iptables extension, CLI and agent (not the build tree's:
#    PATH and XTABLES_LIBDIR are reset) define a switchboard, relay a call
#    both ways with exact counts, and report it over SNMP through the
#    installed MIB;
#  - Debian's own snmpd.conf with the packaged snippet, and the agent run
#    as the packaged unit runs it (its user, group, capability, command
#    line), serve the MIB to Debian's default community;
#  - `apt-get purge` leaves nothing behind: none of the files the packages
#    had, no DKMS tree or built module, no module in the index, no system
#    user or group, no agent state.
# DKMS's build and dpkg's database over 9p are slow under TCG: on this
# 2-core machine otherwise idle, install took 5 minutes (3.7 of them
# compiling) and purge 74 s; with four other guests beside it, 29 and 6.
# Without the packages it says SKIPPED and why (make check builds them
# first when the packaging tools are installed).
#
# It unloads the module and installs packages: run-all runs it only when
# named, alone, and make check names it (RUN_ALSO) to run after all the
# others, over the packages pkg-check has just built; make check-packages
# runs it on its own.  (In a second guest beside the others' it cost make
# check more than after them: the two guests' TCG threads fought over two
# cores and everything else ran at half speed.)
# run-all: alone (it unloads the module and installs packages)
# run-all: timeout 3600
# run-all: by name only
set -u
. "$(dirname "$0")/lib.sh"
. "$LIB_DIR/topo.sh"
. "$LIB_DIR/snmpd.sh"

need_root
DEB_DIR=${DEB_DIR:-$TOP/build/deb}
PKGS=(iptrtpproxy iptrtpproxy-dkms iptrtpproxy-snmp-agent)
debs=()
for p in "${PKGS[@]}"; do
	f=$(ls "$DEB_DIR/${p}"_*.deb 2>/dev/null | grep -v dbgsym | head -n 1)
	if [ -z "$f" ]; then
		echo "packages: SKIPPED: no ${p}_*.deb in $DEB_DIR (run make deb first)"
		exit 0
	fi
	debs+=("$f")
done
version=$(dpkg-deb -f "${debs[1]}" Version)
kver=$(uname -r)
moddir=/lib/modules/$kver

section "packages: ${debs[*]##*/}"
for p in "${PKGS[@]}"; do
	if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		fail "$p is already installed in the guest: this scenario needs a machine without it"
		finish
	fi
done

# The rig's copy of the module (and the index depmod made with it) go
# aside, and come back at the end, for the scenarios that follow.
SAVE=$TMPD/rig
mkdir -p "$SAVE/index"
grep -q '^xt_RTPPROXY ' /proc/modules && rmmod xt_RTPPROXY
if [ -e /sys/module/xt_RTPPROXY ]; then
	fail "xt_RTPPROXY could not be unloaded (in use?)"
	finish
fi
cp -a "$moddir"/modules.* "$SAVE/index/"
[ ! -e "$moddir/extra/xt_RTPPROXY.ko" ] || mv "$moddir/extra/xt_RTPPROXY.ko" "$SAVE/"
restore_rig() {
	rmmod xt_RTPPROXY 2>/dev/null
	[ ! -e "$SAVE/xt_RTPPROXY.ko" ] || mv "$SAVE/xt_RTPPROXY.ko" "$moddir/extra/"
	cp -a "$SAVE/index/"modules.* "$moddir/"
}
at_cleanup restore_rig
# man-db's trigger would rebuild its index over 9p for minutes under TCG.
if [ -e /var/lib/man-db/auto-update ]; then
	rm -f /var/lib/man-db/auto-update
	at_cleanup 'touch /var/lib/man-db/auto-update'
fi

# ---- install ------------------------------------------------------------------

section "apt-get install (DKMS builds the module for $kver: minutes under TCG)"
start=$SECONDS
# (Not --no-download: apt then refuses the local files.  The guest has no
# network, so a dependency missing from the machine fails the install.)
if DEBIAN_FRONTEND=noninteractive apt-get install -y -o Dpkg::Use-Pty=0 \
	"${debs[@]}" 2>&1 | tee "$TMPD/install.log" | sed -n 's/^/        | /; /DKMS\|dkms\|Building\|Setting up\|depmod/p'; [ "${PIPESTATUS[0]}" -eq 0 ]; then
	pass "apt-get install of the three packages ($((SECONDS - start)) s)"
else
	fail "apt-get install failed:"
	tail -n 30 "$TMPD/install.log" | sed 's/^/        | /'
	cat /var/lib/dkms/iptrtpproxy/"$version"/build/make.log 2>/dev/null | tail -n 20 | sed 's/^/        | /'
	finish
fi
for p in "${PKGS[@]}"; do
	expect "$p installed" "$(dpkg-query -W -f='${Status} ${Version}' "$p")" "install ok installed $version"
done
expect "dkms status" "$(dkms status -m iptrtpproxy -v "$version" -k "$kver" 2>&1)" \
	"iptrtpproxy/$version, $kver, x86_64: installed"
expect "modprobe finds DKMS's module" "$(modinfo -n xt_RTPPROXY 2>&1)" \
	"$moddir/updates/dkms/xt_RTPPROXY.ko"
expect "the agent's system user" "$(getent passwd iptrtpproxy | cut -d: -f1,6,7)" \
	"iptrtpproxy:/nonexistent:/usr/sbin/nologin"
expect "the daemon's system user" "$(getent passwd iptrtpproxyd | cut -d: -f1,6,7)" \
	"iptrtpproxyd:/nonexistent:/usr/sbin/nologin"

# Every file the packages hold, for the purge's check.
for p in "${PKGS[@]}"; do dpkg -L "$p"; done | while read -r f; do
	[ -d "$f" ] || echo "$f"
done | sort >"$TMPD/files"
info "the packages hold $(wc -l <"$TMPD/files") files"

# ---- use what is installed ------------------------------------------------------

export PATH=/usr/sbin:/usr/bin:/sbin:/bin
unset XTABLES_LIBDIR
expect "the CLI used" "$(command -v iptrtpproxy)" /usr/sbin/iptrtpproxy
check "modprobe xt_RTPPROXY" modprobe xt_RTPPROXY
# (the module has no srcversion to compare: the rig's copy is away, so
# DKMS's is the only one there is)
expect "the only xt_RTPPROXY.ko of $kver" \
	"$(find "$moddir" -name 'xt_RTPPROXY.ko*' 2>&1)" "$moddir/updates/dkms/xt_RTPPROXY.ko"

first=1
for IPT in "${IPT_BACKENDS[@]}"; do
	section "$IPT: a call through the installed module, extension and CLI"
	TOPO_COUNT_RULE=0
	if ! topo_up --max-sess 4; then
		fail "$IPT: the switchboard's rule was refused"
		continue
	fi
	expect "$IPT: the installed extension prints the rule back" \
		"$(in_ns "$R" "$IPT-save" -t mangle | grep -c -- "-j RTPPROXY --addr-a $GATE_A --port-a $PORT --addr-b $GATE_B --port-b $PORT --max-sess 4")" 1
	check "$IPT: iptrtpproxy alloc" rtpp alloc $SB --rtp-addr-a 10.1.0.2 --rtp-port-a 4000 \
		--rtp-addr-b 10.2.0.2 --rtp-port-b 6000
	recv "$B" 10.2.0.2:6000 b_rtp --count 50
	recv "$A" 10.1.0.2:4000 a_rtp --count 50
	send "$A" 10.1.0.2:4000 "$GATE_A:$PORT" 50 160
	send "$B" 10.2.0.2:6000 "$GATE_B:$PORT" 50 160
	expect "$IPT: B received A's RTP" "$(received b_rtp count)" 50
	expect "$IPT: A received B's RTP" "$(received a_rtp count)" 50
	expect "$IPT: the session's packets, a to b and b to a" \
		"$(sess 0 a.rtp.packets b.rtp.packets | xargs)" "50 50"

	if [ -n "$first" ]; then
		first=
		section "the installed agent and MIB report it"
		snmpd_setup "$TMPD/snmp"
		AGENT_BIN=/usr/sbin/iptrtpproxy-agent
		# the MIB where the package put it; the IETF modules it imports
		# from ../shared/mibs when present
		export MIBDIRS="/usr/share/snmp/mibs:$TOP/../shared/mibs"
		SNMP_BYNAME=0
		SNMP_MIB=
		if snmptranslate -m IPTRTPPROXY-MIB -On IPTRTPPROXY-MIB::rtppUptime >/dev/null 2>&1; then
			SNMP_BYNAME=1
			SNMP_MIB="-m IPTRTPPROXY-MIB"
		fi
		if snmpd_start && agent_start "$R"; then
			pass "snmpd and /usr/sbin/iptrtpproxy-agent are up"
			cli_pkts=$(g_packets)
			if [ "$SNMP_BYNAME" = 1 ]; then
				oids=(IPTRTPPROXY-MIB::rtppSwitchboards.0 IPTRTPPROXY-MIB::rtppPackets.0)
				pass "the installed MIB gives names: $(snmptranslate $SNMP_MIB -On "${oids[1]}")"
			else
				oids=("$RTPP_MIB_OID.1.1.3.0" "$RTPP_MIB_OID.1.1.8.0")
				skip "names: the IETF modules IPTRTPPROXY-MIB imports are missing: numeric OIDs"
			fi
			expect "SNMP: switchboards, relayed packets (the CLI says $cli_pkts)" \
				"$(snmp snmpget -Oqv "$SNMP_HOST" "${oids[@]}" | tr '\n' ' ')" "1 $cli_pkts "
			expect "the CLI's count of relayed packets" "$cli_pkts" 100
		else
			fail "snmpd or the installed agent did not start"
			tail -n 5 "$TMPD/snmp/"*.log 2>/dev/null | sed 's/^/        | /'
		fi
		agent_stop
		snmpd_stop

		section "Debian's snmpd.conf with the example snippet; the agent run as its unit runs it"
		snippet=/usr/share/doc/iptrtpproxy-snmp-agent/examples/snmpd.conf.d-iptrtpproxy.conf
		unit=/lib/systemd/system/iptrtpproxy-agent.service
		cp "$snippet" /etc/snmp/snmpd.conf.d/iptrtpproxy.conf
		at_cleanup 'rm -f /etc/snmp/snmpd.conf.d/iptrtpproxy.conf'
		# R's own 127.0.0.1:161; snmpd as Debian's unit starts it, but
		# as root and in the foreground
		# (ip netns exec, not in_ns: $! must be the daemon itself, not a
		# subshell whose death would leave it running as its user.)
		ip netns exec "$R" snmpd -f -C -c /etc/snmp/snmpd.conf -Lf "$TMPD/debian-snmpd.log" \
			-p "$TMPD/debian-snmpd.pid" &
		dsnmpd=$!
		at_cleanup "kill $dsnmpd"
		# The unit's command line, user, group and capability
		read -r -a execstart <<<"$(sed -n 's/^ExecStart=//p' "$unit")"
		expect "the unit's agent" "${execstart[0]}" /usr/sbin/iptrtpproxy-agent
		if poll -t 60 test -S /run/iptrtpproxy/agentx.sock; then
			expect "the AgentX socket: mode, owner, group" \
				"$(stat -c '%a %U %G' /run/iptrtpproxy/agentx.sock)" "660 root iptrtpproxy"
			ip netns exec "$R" setpriv --reuid=iptrtpproxy --regid=iptrtpproxy --init-groups \
				--inh-caps=+net_admin --ambient-caps=+net_admin "${execstart[@]}" &
			dagent=$!
			at_cleanup "kill $dagent"
			dget() { in_ns "$R" snmpget -v2c -c public -t 2 -r 0 -Oqv 127.0.0.1 "$@"; }
			if poll -t 60 dget "$RTPP_MIB_OID.1.1.3.0"; then
				expect "Debian's community public reads the switchboards" \
					"$(dget "$RTPP_MIB_OID.1.1.3.0")" 1
			else
				fail "Debian's snmpd with the snippet does not serve the MIB: $(dget "$RTPP_MIB_OID.1.1.3.0" 2>&1)"
				tail -n 5 "$TMPD/debian-snmpd.log" | sed 's/^/        | /'
			fi
			kill "$dagent"; wait "$dagent" 2>/dev/null
		else
			fail "Debian's snmpd made no socket /run/iptrtpproxy/agentx.sock"
			tail -n 5 "$TMPD/debian-snmpd.log" | sed 's/^/        | /'
		fi
		kill "$dsnmpd"; wait "$dsnmpd" 2>/dev/null
		rm -f /etc/snmp/snmpd.conf.d/iptrtpproxy.conf
	fi
	topo_down
done

# ---- purge --------------------------------------------------------------------

section "apt-get purge"
poll -t 30 rmmod xt_RTPPROXY
# userdel refuses a user that still runs a process: none of ours may be left.
expect "processes of the packages' users" "$(pgrep -a -u iptrtpproxy,iptrtpproxyd)" ""
start=$SECONDS
if DEBIAN_FRONTEND=noninteractive apt-get purge -y -o Dpkg::Use-Pty=0 "${PKGS[@]}" \
	>"$TMPD/purge.log" 2>&1; then
	pass "apt-get purge ($((SECONDS - start)) s)"
else
	fail "apt-get purge failed:"
	tail -n 30 "$TMPD/purge.log" | sed 's/^/        | /'
fi
for p in "${PKGS[@]}"; do
	expect "$p is gone from dpkg's database" \
		"$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | tr -d ' ')" ""
done
left=$(while read -r f; do [ ! -e "$f" ] && [ ! -L "$f" ] || echo "$f"; done <"$TMPD/files")
expect "files of the packages left" "$left" ""
left=$(ls -d /usr/src/iptrtpproxy-* /var/lib/dkms/iptrtpproxy /var/lib/iptrtpproxy-agent \
	/etc/systemd/system/*/iptrtpproxy-agent.service \
	/var/lib/systemd/deb-systemd-helper-enabled/iptrtpproxy-agent.service* \
	"$moddir"/updates/dkms/xt_RTPPROXY.ko* 2>/dev/null)
expect "DKMS tree, source, built module, agent state, unit links left" "$left" ""
expect "xt_RTPPROXY in the module index" "$(modinfo -n xt_RTPPROXY 2>/dev/null)" ""
expect "the system users and groups" \
	"$(getent passwd iptrtpproxy iptrtpproxyd; getent group iptrtpproxy iptrtpproxyd)" ""

finish
