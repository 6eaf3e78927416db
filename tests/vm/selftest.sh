#!/bin/bash
# Proves the VM rig: run as  tests/vm/run tests/vm/selftest.sh
# Exits non-zero at the first thing that does not work.
set -euo pipefail

step() { echo "selftest: $*"; }
fail() { echo "selftest: FAIL: $*" >&2; exit 1; }

step "kernel $(uname -r)"
[ "$(id -u)" -eq 0 ] || fail "not root"
step "running as root"

grep -q '^proc /proc proc ' /proc/mounts || fail "/proc not mounted"
grep -q '^sysfs /sys sysfs ' /proc/mounts || fail "/sys not mounted"
[ -d /sys/kernel ] || fail "/sys is empty"
step "/proc and /sys mounted"

[ -w "$PWD" ] || fail "project dir $PWD not writable"
step "in $PWD, writable"

modprobe nf_conntrack || fail "modprobe nf_conntrack"
grep -q '^nf_conntrack ' /proc/modules || fail "nf_conntrack not loaded"
step "modprobe works"

# iptables-nft needs the kernel's own module autoload (request_module runs
# /sbin/modprobe of the new root); iptables-legacy runs modprobe itself.
iptables-nft -t mangle -L -n >/dev/null || fail "iptables-nft -t mangle -L"
grep -q '^nf_tables ' /proc/modules || fail "nf_tables not autoloaded"
step "iptables-nft works (module autoload)"
iptables-legacy -t mangle -L -n >/dev/null || fail "iptables-legacy -t mangle -L"
grep -q '^iptable_mangle ' /proc/modules || fail "iptable_mangle not loaded"
step "iptables-legacy works"

ns=x$$
ip netns add "$ns" || fail "ip netns add $ns"
ip -n "$ns" link set lo up || fail "lo up in $ns"
ip netns del "$ns" || fail "ip netns del $ns"
step "network namespaces work"

step "OK"
