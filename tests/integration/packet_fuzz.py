#!/usr/bin/env python3
"""Malformed traffic to the gates of packet-fuzz.sh's relay, and what must
become of every packet.

  packet_fuzz.py NS_A NS_B MAC_RA MAC_RB OUT [--count N] [--seed S]

Frames are written whole (Ethernet, IPv4, UDP) through AF_PACKET sockets on
A's va and B's vb, so that nothing of A's or B's stack fixes what is broken
on purpose: hand-made cases first, then N packets mutated from good ones by
a random generator seeded with S.  The same process holds the receivers of
every client a session could relay to (bound in A and B), and drains them
between sends.

Each packet's fate is predicted by a model of the receive path (model()):
dropped by R's IP layer before any hook (ip_rcv_core: a header error, an
IP checksum error, truncated), taken for reassembly (the relay's rule
enables defragmentation: a datagram in fragments goes on whole or not at
all), passed on by the target untouched (not a gate port of a live
session, no whole UDP header), one of the module's drop reasons, or
relayed to one client with its payload.
The hand-made cases also state their fate, which must be the model's.

OUT gets one "KEY VALUE" a line: what R's counters must show (ip.hdr,
ip.csum, ip.trunc, ip.reasm, ip.reasm_ok, rule.pre, rule.post,
sb.<counter>, stream.<slot>.<side>.<rtp|rtcp>.<packets|bytes|errors>), sent, and recv.missing / recv.extra:
the relayed packets a receiver did not get, or got but should not have, by
their bytes (both must be 0).  Exits 0 if it could run at all.
"""
import argparse
import ctypes
import os
import random
import select
import socket
import struct
import sys
import time

from udp import csum

GATE = {"a": "10.1.0.1", "b": "10.2.0.1"}
PORT = 50000
MAX_SESS = 4
SO_RCVBUFFORCE = 33
MTU_B = 1500            # rb's MTU: what goes A -> B with DF may be bigger
IP_DF, IP_MF = 0x4000, 0x2000

# The sessions packet-fuzz.sh allocates: slot -> side -> client (RTP; RTCP is
# the port after), None for a side with no client (and no learning).
SESSIONS = {
    0: {"a": ("10.1.0.2", 4000), "b": ("10.2.0.2", 6000)},
    1: {"a": ("10.1.0.2", 4010), "b": None},
}
# Sources whose fate the stack decides: from side X, an address of X's
# subnet that is not R's passes the input route; the rest do not.
GOOD_SRC = {"a": ["10.1.0.2", "10.1.0.3", "10.1.0.4"],
            "b": ["10.2.0.2", "10.2.0.3", "10.2.0.4"]}
MARTIAN = ["10.1.0.1", "10.2.0.1", "10.9.0.1", "127.0.0.1", "0.0.0.0",
           "0.1.2.3", "224.0.0.5", "255.255.255.255", "240.0.0.1"]
OTHER = {"a": GOOD_SRC["b"], "b": GOOD_SRC["a"]}    # fail rp_filter

DROPS = ["drop_malformed", "drop_fragment", "drop_csum", "drop_source",
         "drop_no_peer", "drop_expired", "drop_destroyed", "drop_route",
         "drop_bad_source", "drop_ttl"]


def aton(a):
    return socket.inet_aton(a)


class Pkt:
    """A packet's fields; build() makes its bytes, broken as told."""

    def __init__(self, side, src, sport, dport, payload, frag=IP_DF):
        self.side = side                # where it is sent from: a or b
        self.src, self.sport = src, sport
        self.dst, self.dport = GATE[side], dport
        self.payload = payload
        self.frag = frag
        self.ttl, self.tos, self.ident = 64, 0, 1
        self.version, self.ihl = 4, None
        self.options = b""
        self.tot = None                 # IP total length, if not the real one
        self.ulen = None                # UDP length, if not the real one
        self.ucheck = "ok"              # ok, zero, bad, or a number
        self.ipcheck = "ok"             # ok or bad
        self.trail = b""                # bytes after the IP packet
        self.cut = None                 # IP bytes to keep
        self.flip = None                # payload byte to change afterwards
        self.virtual = False            # not sent: a datagram R reassembles

    def build(self):
        ulen = 8 + len(self.payload) if self.ulen is None else self.ulen
        udp = struct.pack("!HHHH", self.sport, self.dport, ulen & 0xFFFF, 0) + self.payload
        if self.ucheck == "ok":
            pseudo = struct.pack("!4s4sBBH", aton(self.src), aton(self.dst), 0, 17, len(udp))
            check = csum(pseudo + udp) or 0xFFFF
        elif self.ucheck == "zero":
            check = 0
        elif self.ucheck == "bad":
            pseudo = struct.pack("!4s4sBBH", aton(self.src), aton(self.dst), 0, 17, len(udp))
            check = ((csum(pseudo + udp) or 0xFFFF) % 0xFFFF) + 1
        else:
            check = self.ucheck
        udp = udp[:6] + struct.pack("!H", check) + udp[8:]
        if self.flip is not None and len(self.payload):
            i = 8 + self.flip % len(self.payload)
            udp = udp[:i] + bytes([udp[i] ^ 0x5A]) + udp[i + 1:]
        opts = self.options
        ihl = 5 + len(opts) // 4 if self.ihl is None else self.ihl
        tot = 20 + len(opts) + len(udp) if self.tot is None else self.tot
        ip = struct.pack("!BBHHHBBH4s4s", (self.version << 4) | ihl, self.tos,
                         tot & 0xFFFF, self.ident, self.frag, self.ttl, 17, 0,
                         aton(self.src), aton(self.dst)) + opts
        c = csum(ip)
        if self.ipcheck == "bad":
            c = (c % 0xFFFF) + 1
        ip = ip[:10] + struct.pack("!H", c) + ip[12:]
        data = ip + udp
        if self.cut is not None:
            data = data[:self.cut]
        return data + self.trail


def addr_ok(side, src):
    """Would R's input route take @src on @side's link?"""
    return src in GOOD_SRC[side]


def model(side, ip):
    """The fate of IPv4 packet @ip arriving at R from @side: ("hdr",),
    ("csum",), ("trunc",): ip_rcv_core's drops, counted in /proc/net/snmp;
    ("reasm",): a fragment, taken for reassembly (ReasmReqds); ("cont",):
    the target passed it on; ("drop", reason, stream); or
    ("relay", (ip, port) it goes to, payload, stream).  stream: (slot,
    side, rtcp) whose counters count it."""
    if len(ip) < 20:
        return ("hdr",)
    ver, ihl = ip[0] >> 4, (ip[0] & 15) * 4
    if ihl < 20 or ver != 4 or len(ip) < ihl:
        return ("hdr",)
    if csum(ip[:ihl]) != 0:
        return ("csum",)
    tot = struct.unpack("!H", ip[2:4])[0]
    if len(ip) < tot:
        return ("trunc",)
    if tot < ihl:
        return ("hdr",)
    ip = ip[:tot]
    frag = struct.unpack("!H", ip[6:8])[0]
    # The relay's rule enables defragmentation in R's namespace (before
    # any table's hook): a fragment goes to reassembly, and only a whole
    # datagram made of them goes on (the caller accounts for that).
    if frag & (IP_MF | 0x1FFF):
        return ("reasm",)
    ttl = ip[8]
    src, dst = socket.inet_ntoa(ip[12:16]), socket.inet_ntoa(ip[16:20])
    # The target (kmod/packet.c rtpp_packet): no whole UDP header, not a
    # gate port, a free slot: not ours.
    if len(ip) < ihl + 8:
        return ("cont",)
    sport, dport, ulen, ucheck = struct.unpack("!HHHH", ip[ihl:ihl + 8])
    gate = [g for g in GATE if GATE[g] == dst]
    if not gate or not PORT <= dport < PORT + 2 * MAX_SESS:
        return ("cont",)
    g = gate[0]
    slot, rtcp = (dport - PORT) // 2, (dport - PORT) & 1
    if slot not in SESSIONS:
        return ("cont",)
    stream = (slot, g, rtcp)
    # check_packet(), then the input route, then the TTL.
    udp = ip[ihl:]
    if ihl != 20 or ulen < 8 or ulen != len(udp):
        return ("drop", "drop_malformed", stream)
    if ucheck:
        pseudo = struct.pack("!4s4sBBH", ip[12:16], ip[16:20], 0, 17, len(udp))
        if csum(pseudo + udp) != 0:
            return ("drop", "drop_csum", stream)
    if not addr_ok(side, src):
        return ("drop", "drop_bad_source", stream)
    if ttl <= 1:
        return ("drop", "drop_ttl", stream)
    client = SESSIONS[slot][g]
    if client is None or (src, sport) != (client[0], client[1] + rtcp):
        return ("drop", "drop_source", stream)
    peer = SESSIONS[slot]["b" if g == "a" else "a"]
    if peer is None:
        return ("drop", "drop_no_peer", stream)
    if g == "a" and frag & IP_DF and len(ip) > MTU_B:
        return ("drop", "drop_route", stream)
    return ("relay", (peer[0], peer[1] + rtcp), udp[8:], stream)


def payload(tag, n):
    """@n bytes that say which packet they are (tag) as far as they go."""
    head = tag.encode()
    return (head + bytes(range(256)) * (n // 256 + 1))[:n]


def good(side, slot=0, rtcp=0, size=160, tag="g"):
    c = SESSIONS[slot][side]
    return Pkt(side, c[0], c[1] + rtcp, PORT + 2 * slot + rtcp, payload(tag, size))


def hand_cases():
    """(description, fate kind, [Pkt...]): each packet's fate must be the
    kind given (relay, cont, hdr, csum, trunc, or a drop reason)."""
    cases = []

    def case(desc, kind, *pkts):
        cases.append((desc, kind, list(pkts)))

    def mod(p, **kw):
        for k, v in kw.items():
            setattr(p, k, v)
        return p

    case("good RTP A->B", "relay", good("a", tag="h1"))
    case("good RTCP A->B", "relay", good("a", rtcp=1, tag="h2"))
    case("good RTP B->A", "relay", good("b", tag="h3"))
    case("good RTCP B->A", "relay", good("b", rtcp=1, tag="h4"))
    case("zero-length payload", "relay", good("a", size=0), good("b", rtcp=1, size=0))
    case("UDP checksum 0 (none)", "relay", mod(good("a", tag="h5"), ucheck="zero"))
    case("padding after the IP packet", "relay", mod(good("b", tag="h6"), trail=b"\xee" * 18))
    case("oversized for rb (3000 bytes), DF clear: fragmented on the way out", "relay",
         mod(good("a", size=3000, tag="h7"), frag=0))
    case("oversized for rb (3000 bytes), DF set", "drop_route", good("a", size=3000, tag="h8"))
    case("IP header truncated (10 bytes)", "hdr", mod(good("a"), cut=10))
    case("IP header length 4 words", "hdr", mod(good("a"), ihl=4))
    case("IP header length past the packet", "hdr", mod(good("a", size=0), ihl=15, cut=24))
    case("IP version 6", "hdr", mod(good("a"), version=6))
    case("IP header checksum wrong", "csum", mod(good("a"), ipcheck="bad"))
    case("IP total length past the packet", "trunc", mod(good("a"), tot=20 + 8 + 160 + 10))
    case("IP total length shorter than its header", "hdr", mod(good("a"), tot=16))
    case("IP total length short: UDP length past it", "drop_malformed",
         mod(good("a"), tot=20 + 8 + 150))
    case("IP total length short: half a UDP header", "cont", mod(good("a"), tot=24))
    case("UDP header truncated (4 bytes)", "cont", mod(good("b", size=0), cut=24, tot=24))
    case("UDP length too long", "drop_malformed", mod(good("a"), ulen=8 + 160 + 16))
    case("UDP length too short", "drop_malformed", mod(good("b"), ulen=8 + 160 - 4))
    case("UDP length 4", "drop_malformed", mod(good("a"), ulen=4))
    case("UDP length 0", "drop_malformed", mod(good("a"), ulen=0))
    case("IP options (NOPs)", "drop_malformed", mod(good("a"), options=b"\x01\x01\x01\x00"))
    case("IP options (record route)", "drop_malformed",
         mod(good("b", rtcp=1), options=b"\x07\x07\x04" + bytes(4) + b"\x00"))
    case("first fragment", "reasm", mod(good("a"), frag=IP_MF, ident=11))
    case("middle fragment", "reasm", mod(good("a"), frag=IP_MF | 4, ident=12))
    case("last fragment", "reasm", mod(good("b"), frag=20, ident=13))
    # A whole datagram in two fragments: reassembled before the hooks, it
    # is relayed whole.  And a pair that overlaps: reassembly drops both.
    whole = good("a", size=40, tag="h9").build()
    first, rest = whole[:20 + 24], whole[20 + 24:]
    p1 = good("a")
    p1.build = lambda: fix_ip(first, IP_MF, 77)
    p2 = good("a")
    p2.build = lambda: fix_ip(whole[:20] + rest, 3, 77)
    case("a datagram in two fragments", "reasm", p1, p2)
    p3 = good("a")
    p3.build = lambda: whole
    p3.virtual = True
    case("... reassembled: relayed whole", "relay", p3)
    case("overlapping fragments", "reasm", mod(good("b", size=64), frag=IP_MF, ident=78),
         mod(good("b", size=64), frag=IP_MF | 2, ident=78))
    case("UDP checksum wrong", "drop_csum", mod(good("a"), ucheck="bad"))
    case("a payload byte changed after the checksum", "drop_csum", mod(good("b"), flip=7))
    for src in MARTIAN:
        case("forged source %s" % src, "drop_bad_source", mod(good("a"), src=src))
    case("forged source: the other client's address and port", "drop_bad_source",
         mod(good("a"), src="10.2.0.2", sport=6000))
    case("forged source: A's client, from B's side", "drop_bad_source",
         mod(good("b"), src="10.1.0.2", sport=4000))
    case("another host of A's side", "drop_source", mod(good("a"), src="10.1.0.3"))
    case("the client's address, another port", "drop_source", mod(good("a"), sport=4002))
    case("A's client to gate B's port", "drop_source", mod(good("a"), dst=GATE["b"]))
    case("TTL 1", "drop_ttl", mod(good("a"), ttl=1))
    case("TTL 0", "drop_ttl", mod(good("b"), ttl=0))
    case("no client on the other side", "drop_no_peer", good("a", slot=1))
    case("to a side with no client", "drop_source",
         Pkt("b", "10.2.0.2", 6010, PORT + 2, payload("h10", 20)))
    case("to a free slot", "cont", Pkt("a", "10.1.0.2", 4000, PORT + 4, payload("h11", 20)))
    case("past the last slot", "cont",
         Pkt("b", "10.2.0.2", 6000, PORT + 2 * MAX_SESS, payload("h12", 20)))
    return cases


def fix_ip(ip, frag, ident):
    """@ip with its total length, fragment field and id set, checksum fixed."""
    h = bytearray(ip[:20])
    struct.pack_into("!HHH", h, 2, len(ip), ident, frag)
    struct.pack_into("!H", h, 10, 0)
    struct.pack_into("!H", h, 10, csum(bytes(h)))
    return bytes(h) + ip[20:]


def mutate(rng, n):
    """Packet @n of the random part: a good one, then one to three changes."""
    side = rng.choice("ab")
    slot = rng.choice([0, 0, 0, 1])
    if SESSIONS[slot][side] is None:
        side = "a"
    rtcp = rng.randrange(2)
    size = rng.choice([0, 1, 12, 160, rng.randrange(0, 400), rng.randrange(1400, 1600)])
    if side == "b":         # vb's MTU is 1500: room for options and padding
        size = min(size, 1400)
    p = good(side, slot, rtcp, size, tag="m%d." % n)
    # Ids of their own: no fragment of these completes another's datagram.
    p.ident = 0x8000 | (n & 0x7FFF)
    for _ in range(rng.randrange(1, 4)):
        # What breaks the IP header (0, 2, 3, 4, 15) half as often as the
        # rest: most packets should get as far as the relay.
        k = rng.choice([0, 2, 3, 4, 15] + [k for k in range(16) if k not in (0, 2, 3, 4, 15)] * 2)
        if k == 0:
            p.cut = rng.randrange(0, 28 + size + 1)
        elif k == 1:
            p.trail = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 33)))
        elif k == 2:
            p.tot = rng.choice([rng.randrange(0, 29 + size + 40), rng.randrange(65536)])
            p.ipcheck = rng.choice(["ok", "ok", "ok", "bad"])
        elif k == 3:
            p.ihl = rng.randrange(16)
        elif k == 4:
            p.version = rng.randrange(16)
        elif k == 5:
            p.frag = rng.choice([IP_MF, IP_MF | rng.randrange(1, 200),
                                 rng.randrange(1, 200), 0, rng.randrange(65536)])
        elif k == 6:
            p.ulen = rng.choice([rng.randrange(0, 8 + size + 20), rng.randrange(65536)])
        elif k == 7:
            p.ucheck = rng.choice(["zero", "bad", rng.randrange(65536)])
        elif k == 8:
            p.flip = rng.randrange(1 << 16)
        elif k == 9:
            p.ttl = rng.choice([0, 1, 2, 255])
        elif k == 10:
            p.src = rng.choice(GOOD_SRC[side] + MARTIAN + OTHER[side])
        elif k == 11:
            p.sport = rng.choice([p.sport, p.sport ^ 1, rng.randrange(65536)])
        elif k == 12:
            p.dport = PORT + rng.randrange(2 * MAX_SESS + 2)
        elif k == 13:
            p.tos = rng.randrange(256)
        elif k == 14:
            p.options = rng.choice([b"\x01\x01\x01\x00", b"\x07\x07\x04" + bytes(4) + b"\x00",
                                    bytes(rng.randrange(256) for _ in range(4 * rng.randrange(1, 10)))])
        else:
            p.ipcheck = "bad"
    return p


def libc_setns(path):
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(path, os.O_RDONLY)
    if libc.setns(fd, 0x40000000) != 0:    # CLONE_NEWNET
        raise OSError(ctypes.get_errno(), "setns " + path)
    os.close(fd)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ns_a")
    ap.add_argument("ns_b")
    ap.add_argument("mac_ra")
    ap.add_argument("mac_rb")
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=10)
    args = ap.parse_args()

    # Sockets belong to the namespace they were made in.
    tx, rx = {}, {}
    for side, ns, dev, mac in (("a", args.ns_a, "va", args.mac_ra),
                               ("b", args.ns_b, "vb", args.mac_rb)):
        libc_setns("/var/run/netns/" + ns)
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        s.bind((dev, 0))
        tx[side] = (s, bytes.fromhex(mac.replace(":", "")) + s.getsockname()[4][:6] + b"\x08\x00")
        for slot in SESSIONS.values():
            c = slot[side]
            if c is None:
                continue
            for port in (c[1], c[1] + 1):
                r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                r.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 8 << 20)
                r.bind((c[0], port))
                r.setblocking(False)
                rx[r] = (c[0], port)

    got = {}

    def drain(wait):
        while True:
            ready, _, _ = select.select(list(rx), [], [], wait)
            if not ready:
                return
            for r in ready:
                try:
                    data = r.recv(65535)
                except BlockingIOError:
                    continue
                got.setdefault(rx[r], []).append(data)
            wait = 0

    want = {}
    count = {"hdr": 0, "csum": 0, "trunc": 0, "reasm": 0, "reasm_ok": 0,
             "cont": 0, "sent": 0}
    sb = dict.fromkeys(["packets", "bytes"] + DROPS, 0)
    streams = {}
    bad_cases = 0

    def send(p):
        ip = p.build()
        fate = model(p.side, ip)
        if p.virtual:
            count["reasm_ok"] += 1
        else:
            s, eth = tx[p.side]
            s.send(eth + ip)
            count["sent"] += 1
        if fate[0] in ("hdr", "csum", "trunc", "reasm", "cont"):
            count[fate[0]] += 1
            kind = fate[0]
        else:
            st = streams.setdefault(fate[-1], [0, 0, 0])
            if fate[0] == "drop":
                sb[fate[1]] += 1
                st[2] += 1
                kind = fate[1]
            else:
                sb["packets"] += 1
                sb["bytes"] += len(fate[2])
                st[0] += 1
                st[1] += len(fate[2])
                want.setdefault(fate[1], []).append(fate[2])
                kind = "relay"
        drain(0)
        return kind

    for desc, kind, pkts in hand_cases():
        for p in pkts:
            k = send(p)
            if k != kind:
                print("hand case %r: the model says %s, the case %s" % (desc, k, kind))
                bad_cases += 1
    hand = count["sent"]

    rng = random.Random(args.seed)
    n = 0
    while n < args.count:
        p = mutate(rng, n)
        fate = model(p.side, p.build())
        # What R's input does with a packet passed on is none of the
        # relay's business, but its option errors would count in the same
        # InHdrErrors as the drops before the hook: none of those.
        if fate[0] == "cont" and p.build()[0] & 15 != 5:
            continue
        send(p)
        n += 1

    # Every packet the relay should have sent, then a moment for any it
    # should not have.
    total = sum(len(v) for v in want.values())
    deadline = time.monotonic() + 120
    while sum(len(v) for v in got.values()) < total and time.monotonic() < deadline:
        drain(0.5)
    drain(1.0)
    missing = extra = 0
    for dst in set(want) | set(got):
        w, g = sorted(want.get(dst, [])), sorted(got.get(dst, []))
        for data in w:
            if data in g:
                g.remove(data)
            else:
                missing += 1
                print("not received at %s:%d: %r" % (dst + (data[:24],)))
        for data in g:
            extra += 1
            print("received at %s:%d, not relayable: %r" % (dst + (data[:24],)))

    with open(args.out + ".tmp", "w") as f:
        f.write("sent %d\nhand %d\nbad_cases %d\n" % (count["sent"], hand, bad_cases))
        f.write("ip.hdr %d\nip.csum %d\nip.trunc %d\n" % (
            count["hdr"] + count["csum"], count["csum"], count["trunc"]))
        f.write("ip.reasm %d\nip.reasm_ok %d\n" % (count["reasm"], count["reasm_ok"]))
        f.write("rule.pre %d\nrule.post %d\n" % (
            count["sent"] - count["hdr"] - count["csum"] - count["trunc"] - count["reasm"] +
            count["reasm_ok"], count["cont"]))
        for k, v in sb.items():
            f.write("sb.%s %d\n" % (k, v))
        for (slot, g, rtcp), (pk, by, er) in sorted(streams.items()):
            name = "stream.%d.%s.%s" % (slot, g, "rtcp" if rtcp else "rtp")
            f.write("%s.packets %d\n%s.bytes %d\n%s.errors %d\n" % (name, pk, name, by, name, er))
        f.write("recv.expected %d\nrecv.missing %d\nrecv.extra %d\n" % (total, missing, extra))
    os.rename(args.out + ".tmp", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
