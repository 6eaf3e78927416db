#!/usr/bin/env python3
"""Hand a hand-made RTPPROXY rule to ip_tables, past the iptables extension.

  ipt_blob.py TABLE FIELD=VALUE...
  ipt_blob.py --refused TABLE <CASES

Reads TABLE of the current network namespace as iptables-legacy does
(IPT_SO_GET_INFO, IPT_SO_GET_ENTRIES), changes the first RTPPROXY target's
struct xt_rtpproxy_tginfo (include/xt_RTPPROXY.h) as told, and offers the
whole table back (IPT_SO_SET_REPLACE), as iptables-restore would with a rule
the extension never saw.  The kernel checks every rule of the new table
again; a refusal leaves the old table in place.

With --refused, one case a line of standard input, "DESC|FIELD=VALUE ...|LOG":
each must be refused with EINVAL, the kernel's log must say LOG after it
(the kernel's messages are rate limited: a refusal whose message does not
show is tried again, for up to 60 s), and the table read back must be byte
for byte the one before.  Prints "ok DESC: ..." or "FAIL DESC: ..." a case;
exits 1 if any failed.

FIELDs: addr_a, addr_b (dotted quads), port_a, port_b, max_sess, expires,
resurrection, flags (numbers; 0x... allowed), sb (the kernel's pointer
field, which user space must not be able to set).

Prints "accepted", or "refused: STRERROR" and exits 1; exits 2 on a bad
command line or a table without an RTPPROXY rule.
"""
import ctypes
import errno
import os
import socket
import struct
import sys
import time

IPT_SO_SET_REPLACE = 64
IPT_SO_GET_INFO = 64
IPT_SO_GET_ENTRIES = 65
SOL_IP = 0

GETINFO = struct.Struct("32sI5I5III")          # struct ipt_getinfo
GET_ENTRIES_HDR = 40                           # name[32], size; entries 8-aligned
REPLACE = struct.Struct("32sIII5I5IIQ")    # struct ipt_replace, up to entries
assert REPLACE.size == 96
# struct ipt_entry: struct ipt_ip (84 bytes), nfcache, target_offset,
# next_offset, comefrom, counters; struct xt_entry_target: size, name[29],
# revision; then the target's data.
TARGET_OFFSET_AT = 88
NEXT_OFFSET_AT = 90
TARGET_HDR = 32
# struct xt_rtpproxy_tginfo
FIELDS = {
    "addr_a": (0, "4s"), "addr_b": (4, "4s"), "port_a": (8, "H"),
    "port_b": (10, "H"), "max_sess": (12, "I"), "expires": (16, "I"),
    "resurrection": (20, "I"), "flags": (24, "I"), "sb": (32, "Q"),
}

libc = ctypes.CDLL(None, use_errno=True)


def getsockopt(fd, opt, buf):
    n = ctypes.c_uint(len(buf))
    if libc.getsockopt(fd, SOL_IP, opt, buf, ctypes.byref(n)) != 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))
    return buf.raw[:n.value]


def parse_changes(words):
    changes = []
    for a in words:
        k, _, v = a.partition("=")
        if k not in FIELDS or not v:
            raise ValueError(f"bad change {a!r}")
        off, fmt = FIELDS[k]
        val = socket.inet_aton(v) if fmt == "4s" else int(v, 0)
        changes.append((off, fmt, val))
    return changes


def read_table(fd, table):
    """(valid_hooks, hook_entry, underflow, num_entries, entries)"""
    buf = ctypes.create_string_buffer(GETINFO.size)
    buf.raw = GETINFO.pack(table, 0, *[0] * 10, 0, 0)
    info = GETINFO.unpack(getsockopt(fd, IPT_SO_GET_INFO, buf))
    size = info[13]
    buf = ctypes.create_string_buffer(GET_ENTRIES_HDR + size)
    buf.raw = struct.pack("32sI", table, size).ljust(GET_ENTRIES_HDR + size, b"\0")
    entries = getsockopt(fd, IPT_SO_GET_ENTRIES, buf)[GET_ENTRIES_HDR:]
    return info[1], info[2:7], info[7:12], info[12], bytes(entries)


def replace(fd, table, changes):
    """Offer TABLE back with CHANGES to its first RTPPROXY target: the
    errno's name, or None if accepted."""
    valid_hooks, hook_entry, underflow, num_entries, raw = read_table(fd, table)
    entries = bytearray(raw)
    off = 0
    data = None
    while off < len(entries):
        t_off, n_off = struct.unpack_from("HH", entries, off + TARGET_OFFSET_AT)
        name = entries[off + t_off + 2:off + t_off + 31].split(b"\0")[0]
        if name == b"RTPPROXY":
            data = off + t_off + TARGET_HDR
            break
        off += n_off
    if data is None:
        raise LookupError("no RTPPROXY rule in the table")
    for o, fmt, val in changes:
        struct.pack_into(fmt, entries, data + o, val)

    counters = ctypes.create_string_buffer(16 * num_entries)
    req = REPLACE.pack(table, valid_hooks, num_entries, len(entries), *hook_entry,
                       *underflow, num_entries, ctypes.addressof(counters))
    blob = ctypes.create_string_buffer(req + bytes(entries))
    if libc.setsockopt(fd, SOL_IP, IPT_SO_SET_REPLACE, blob,
                       ctypes.c_uint(len(blob.raw) - 1)) != 0:
        return errno.errorcode.get(ctypes.get_errno(), "?")
    return None


def kmsg_lines(kfd):
    """The kernel log's records since the last call (the fd is non-blocking)."""
    out = []
    while True:
        try:
            rec = os.read(kfd, 8192)
        except BlockingIOError:
            return out
        except OSError as e:
            if e.errno == errno.EPIPE:      # records overwritten: go on
                continue
            raise
        out.append(rec.decode(errors="replace").split(";", 1)[-1].split("\n")[0])


def refused_cases(fd, table, lines):
    kfd = os.open("/dev/kmsg", os.O_RDONLY | os.O_NONBLOCK)
    failed = 0
    for line in lines:
        if not line.strip():
            continue
        desc, words, want = line.rstrip("\n").split("|")
        changes = parse_changes(words.split())
        before = read_table(fd, table)
        end = time.monotonic() + 60
        while True:
            os.lseek(kfd, 0, os.SEEK_END)
            err = replace(fd, table, changes)
            log = [m for m in kmsg_lines(kfd) if want in m]
            if err is None or log or time.monotonic() > end:
                break
            time.sleep(1)           # rate limited: 10 messages in 5 s
        after = read_table(fd, table)
        if err != "EINVAL":
            why = f"{err or 'accepted'}, not EINVAL"
        elif not log:
            why = f"no '{want}' in the kernel's log"
        elif after != before:
            why = "refused, but the table changed"
        else:
            print(f"ok {desc}: refused (EINVAL), log: {log[0]}")
            continue
        print(f"FAIL {desc}: {why}")
        failed += 1
    return 1 if failed else 0


def main(argv):
    refused = argv[:1] == ["--refused"]
    if refused:
        argv = argv[1:]
    if len(argv) < (1 if refused else 2):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    table = argv[0].encode()
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    try:
        if refused:
            return refused_cases(s.fileno(), table, sys.stdin)
        err = replace(s.fileno(), table, parse_changes(argv[1:]))
    except (ValueError, LookupError) as e:
        print(f"ipt_blob.py: {e}", file=sys.stderr)
        return 2
    if err:
        print(f"refused: {err}")
        return 1
    print("accepted")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
