#!/usr/bin/env python3
"""UDP traffic for the integration scenarios: exact counts, no sleeping.

  udp.py send SRC_IP:PORT DST_IP:PORT COUNT SIZE [--gap MS]
      Send COUNT datagrams of SIZE payload bytes from SRC to DST.  The
      payload starts with a sequence number.

  udp.py send ... --no-check
      The same with UDP checksum 0 ("no checksum", SO_NO_CHECK).

  udp.py send ... --df-clear
      Without the Don't Fragment bit (IP_PMTUDISC_DONT): a datagram larger
      than the path MTU leaves in fragments.

  udp.py send ... --until FILE
      Stop early, once FILE exists; print how many datagrams were sent.

  udp.py send ... --ttl N
      Send with IP TTL N (IP_TTL).

  udp.py send ... --gso
      Send the COUNT datagrams in one sendto(), cut by the kernel
      (UDP_SEGMENT of SIZE): one GSO packet on the way out.

  udp.py spray SRC_IP:PORT DST_IP PORT_LO PORT_HI COUNT SIZE [--gap MS]
      Send COUNT datagrams to DST_IP's ports PORT_LO..PORT_HI in turn.

  udp.py raw KIND SRC_IP:PORT DST_IP:PORT COUNT SIZE
      Send COUNT hand-made IPv4/UDP packets through a raw socket, each one
      broken in the way KIND says: badsum (wrong UDP checksum), longlen (UDP
      length past the end of the packet), shortlen (UDP length shorter than
      the IP payload), tiny (UDP length 4), frag (a first fragment, MF set),
      options (IP header with options), good (nothing wrong: a control).
      The source may be any address (a forged one); --ttl N sets the TTL
      (default 64).  Every kind but frag has Don't Fragment set.

  udp.py recv BIND_IP:PORT OUT [--count N] [--idle S] [--timeout S]
      Receive until N datagrams came (or nothing came for --idle seconds,
      or --timeout passed) and write a JSON summary to OUT: the count, the
      payload bytes, the count per source "ip:port" and per TTL received
      ("ttls"); the same, one "KEY VALUE" a line (count, bytes,
      sources.IP:PORT, ttls.TTL), to OUT.kv just before.  The file OUT.ready
      appears once the socket is bound, so a scenario can poll for it.

  udp.py talk BIND_IP:PORT DST_IP:PORT COUNT SIZE OUT [--gap MS] [--idle S]
          [--timeout S] [--start FILE]
      A symmetric RTP endpoint: one socket bound to BIND sends COUNT
      datagrams of SIZE bytes to DST, one every --gap ms (default 20), and
      receives meanwhile, until it has sent them all and received COUNT
      (or nothing came for --idle seconds after its last send, or
      --timeout passed); OUT and OUT.ready as for recv.  With --start FILE
      it sends nothing before FILE exists (so that both ends are bound).

A datagram reaches a socket only if its UDP checksum verified, so every
datagram counted here was relayed with a correct checksum.
"""
import argparse
import json
import os
import socket
import struct
import sys
import time

SO_NO_CHECK = 11
IP_MTU_DISCOVER, IP_PMTUDISC_DONT = 10, 0
UDP_SEGMENT = 103       # Linux, in SOL_UDP
IP_RECVTTL = 12       # Linux; Python's socket module lacks it


def endpoint(text):
    host, _, port = text.rpartition(":")
    return host, int(port)


def payload(seq, size):
    data = seq.to_bytes(4, "big") + bytes(range(256)) * (size // 256 + 1)
    return data[:size] if size >= 4 else data[:size]


def send(args):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if args.no_check:
        s.setsockopt(socket.SOL_SOCKET, SO_NO_CHECK, 1)
    if args.df_clear:
        s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DONT)
    if args.ttl:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, args.ttl)
    s.bind(endpoint(args.src))
    dst = endpoint(args.dst)
    if args.gso:
        s.setsockopt(socket.IPPROTO_UDP, UDP_SEGMENT, args.size)
        s.sendto(b"".join(payload(seq, args.size) for seq in range(args.count)), dst)
        return 0
    sent = 0
    for seq in range(args.count):
        if args.until and os.path.exists(args.until):
            break
        s.sendto(payload(seq, args.size), dst)
        sent += 1
        if args.gap:
            time.sleep(args.gap / 1000.0)
    if args.until:
        print(sent)
    return 0


def spray(args):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(endpoint(args.src))
    ports = range(args.port_lo, args.port_hi + 1)
    for seq in range(args.count):
        s.sendto(payload(seq, args.size), (args.dst, ports[seq % len(ports)]))
        if args.gap:
            time.sleep(args.gap / 1000.0)
    return 0


def csum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def craft(kind, src, dst, seq, size, ttl=64):
    body = payload(seq, size)
    saddr, daddr = socket.inet_aton(src[0]), socket.inet_aton(dst[0])
    ulen = 8 + len(body)
    if kind == "longlen":
        ulen += 16
    elif kind == "shortlen":
        ulen -= 4
    elif kind == "tiny":
        ulen = 4
    udp = struct.pack("!HHHH", src[1], dst[1], ulen, 0) + body
    pseudo = struct.pack("!4s4sBBH", saddr, daddr, 0, socket.IPPROTO_UDP, len(udp))
    check = csum(pseudo + udp) or 0xFFFF
    if kind == "badsum":
        check = (check + 1) & 0xFFFF or 1
    udp = udp[:6] + struct.pack("!H", check) + udp[8:]
    options = b"\x01\x01\x01\x00" if kind == "options" else b""
    ihl = 5 + len(options) // 4
    frag = 0x2000 if kind == "frag" else 0x4000     # MF, or DF
    ip = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, 4 * ihl + len(udp),
                     seq & 0xFFFF, frag, ttl, socket.IPPROTO_UDP, 0, saddr, daddr)
    ip = ip[:10] + struct.pack("!H", csum(ip + options)) + ip[12:]
    return ip + options + udp


def raw(args):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    src, dst = endpoint(args.src), endpoint(args.dst)
    for seq in range(args.count):
        s.sendto(craft(args.kind, src, dst, seq, args.size, args.ttl), (dst[0], 0))
    return 0


class Summary:
    """What a receiver got: count, bytes, per source, per TTL."""

    def __init__(self):
        self.count = 0
        self.nbytes = 0
        self.sources = {}
        self.ttls = {}

    def add(self, data, anc, src):
        self.count += 1
        self.nbytes += len(data)
        key = "%s:%d" % src
        self.sources[key] = self.sources.get(key, 0) + 1
        for level, kind, value in anc:
            if level == socket.IPPROTO_IP and kind == socket.IP_TTL:
                ttl = str(struct.unpack("i", value[:4])[0])
                self.ttls[ttl] = self.ttls.get(ttl, 0) + 1

    def write(self, out):
        # The same, one "KEY VALUE" a line, for shell readers (a python
        # start per field read costs seconds in a loaded guest); written
        # first, as the JSON file's appearance says both are complete.
        with open(out + ".kv", "w") as f:
            f.write("count %d\nbytes %d\n" % (self.count, self.nbytes))
            for kind, d in (("sources", self.sources), ("ttls", self.ttls)):
                for k, v in sorted(d.items()):
                    f.write("%s.%s %d\n" % (kind, k, v))
        tmp = out + ".tmp"
        with open(tmp, "w") as f:
            json.dump({"count": self.count, "bytes": self.nbytes,
                       "sources": self.sources, "ttls": self.ttls}, f)
        os.rename(tmp, out)


def receiver(bind):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.setsockopt(socket.IPPROTO_IP, IP_RECVTTL, 1)
    s.bind(endpoint(bind))
    return s


def recv(args):
    s = receiver(args.bind)
    open(args.out + ".ready", "w").close()
    got = Summary()
    deadline = time.monotonic() + args.timeout
    while args.count is None or got.count < args.count:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        s.settimeout(min(left, args.idle) if got.count else left)
        try:
            data, anc, _, src = s.recvmsg(65535, socket.CMSG_SPACE(4))
        except socket.timeout:
            if got.count:
                break
            continue
        got.add(data, anc, src)
    got.write(args.out)
    return 0


def talk(args):
    """One socket sends and receives, as a symmetric RTP endpoint does: a
    second socket bound to the same address and port would take some of
    what comes back."""
    s = receiver(args.bind)
    dst = endpoint(args.dst)
    open(args.out + ".ready", "w").close()
    while args.start and not os.path.exists(args.start):
        time.sleep(0.01)            # the other end binds meanwhile
    got = Summary()
    sent = 0
    now = time.monotonic()
    deadline = now + args.timeout
    next_send = now
    last_in = now
    while now < deadline and (sent < args.count or got.count < args.count):
        if sent < args.count and now >= next_send:
            s.sendto(payload(sent, args.size), dst)
            sent += 1
            next_send += args.gap / 1000.0
            last_in = max(last_in, now)     # idle counts from the last send
            continue
        if sent == args.count and now - last_in > args.idle:
            break
        wait = deadline - now
        if sent < args.count:
            wait = min(wait, next_send - now)
        else:
            wait = min(wait, args.idle)
        s.settimeout(max(wait, 0.001))
        try:
            data, anc, _, src = s.recvmsg(65535, socket.CMSG_SPACE(4))
            got.add(data, anc, src)
            last_in = time.monotonic()
        except socket.timeout:
            pass
        now = time.monotonic()
    got.write(args.out)
    return 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    ps = sub.add_parser("send")
    ps.add_argument("src")
    ps.add_argument("dst")
    ps.add_argument("count", type=int)
    ps.add_argument("size", type=int)
    ps.add_argument("--gap", type=float, default=0)
    ps.add_argument("--no-check", action="store_true")
    ps.add_argument("--df-clear", action="store_true")
    ps.add_argument("--until")
    ps.add_argument("--ttl", type=int, default=0)
    ps.add_argument("--gso", action="store_true")
    py = sub.add_parser("spray")
    py.add_argument("src")
    py.add_argument("dst")
    py.add_argument("port_lo", type=int)
    py.add_argument("port_hi", type=int)
    py.add_argument("count", type=int)
    py.add_argument("size", type=int)
    py.add_argument("--gap", type=float, default=0)
    pw = sub.add_parser("raw")
    pw.add_argument("kind", choices=["badsum", "longlen", "shortlen", "tiny",
                                     "frag", "options", "good"])
    pw.add_argument("src")
    pw.add_argument("dst")
    pw.add_argument("count", type=int)
    pw.add_argument("size", type=int)
    pw.add_argument("--ttl", type=int, default=64)
    pr = sub.add_parser("recv")
    pr.add_argument("bind")
    pr.add_argument("out")
    pr.add_argument("--count", type=int)
    pr.add_argument("--idle", type=float, default=3.0)
    pr.add_argument("--timeout", type=float, default=60.0)
    pt = sub.add_parser("talk")
    pt.add_argument("bind")
    pt.add_argument("dst")
    pt.add_argument("count", type=int)
    pt.add_argument("size", type=int)
    pt.add_argument("out")
    pt.add_argument("--gap", type=float, default=20.0)
    pt.add_argument("--idle", type=float, default=3.0)
    pt.add_argument("--timeout", type=float, default=60.0)
    pt.add_argument("--start")
    args = p.parse_args()
    return {"send": send, "spray": spray, "raw": raw, "recv": recv,
            "talk": talk}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
