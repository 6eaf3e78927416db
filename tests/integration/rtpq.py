#!/usr/bin/env python3
"""Crafted RTP and RTCP for tests/integration/quality.sh.

  rtpq.py rtp SRC_IP:PORT DST_IP:PORT
      Send the stream whose figures the scenario knows (see PATTERN below),
      PCMU (payload type 0, 8000 Hz), one packet every 20 ms, timestamps
      alternately 80 ticks early and on time, so that each packet's D is
      about 80 ticks and the jitter settles near 75.

  rtpq.py rtcp SRC_IP:PORT DST_IP:PORT KIND...
      One compound RTCP packet of each KIND, in turn: rr (an RR with two
      report blocks, the second about the pattern's second SSRC: fraction
      25, cumulative 20, jitter 77; then an SDES), sr (an SR with one block
      about it: fraction 10, cumulative -1, jitter 3), bad (an RR whose
      length says more than it has).

  rtpq.py live SRC_IP:PORT DST_IP:PORT MODEFILE
      The pattern's second source going on (sequence numbers from 5050),
      one packet every 20 ms, as MODEFILE says, read before each packet:
      "clean" sends every packet, "lossy" leaves 3 of every 10 out (30%
      lost), "stop" ends it.

  rtpq.py capture DEV DST_IP:PORT COUNT OUT
      In the relay's namespace: capture on DEV (a packet socket, time
      stamped by the kernel as the packet is processed, just before the
      relay's hook sees it, with net.core.netdev_tstamp_prequeue 0) COUNT
      UDP datagrams to DST and work out from their
      arrival times the jitter the relay must report, by RFC 3550 A.8 as
      kmod/quality.c does it; write "jitter N", "packets N" to OUT.  OUT.ready
      appears once the socket is bound.
"""
import os
import socket
import struct
import sys
import time

SSRC1, SSRC2 = 0x1234ABCD, 0x5678EF01
OTHER = 0x0BADF00D


def endpoint(text):
    host, _, port = text.rpartition(":")
    return host, int(port)


def pattern():
    """(ssrc, seq, ts) in sending order, and short (not RTP) datagrams."""
    out = []
    seq0 = 65500        # the sequence number wraps in the first source
    order = []
    for i in range(201):
        if i % 10 == 9:
            continue                    # every 10th left out: 20 lost
        order.append(i)
    for a in (20, 40, 60, 80, 100):     # 5 swapped pairs
        x, y = order.index(a), order.index(a + 1)
        order[x], order[y] = order[y], order[x]
    for i in order:
        out.append((SSRC1, (seq0 + i) & 0xFFFF, i))
        if i in (30, 50, 70):           # 3 duplicates, at once
            out.append((SSRC1, (seq0 + i) & 0xFFFF, i))
    for i in range(50):                 # a new source: 50 in sequence
        out.append((SSRC2, 5000 + i, 300 + i))
    return out


def ts_of(i):
    return (1000 + i * 160 - (80 if i % 2 else 0)) & 0xFFFFFFFF


def rtp(args):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(endpoint(args[0]))
    dst = endpoint(args[1])
    nxt = time.monotonic()
    for ssrc, seq, i in pattern():
        hdr = struct.pack("!BBHII", 0x80, 0, seq, ts_of(i), ssrc)
        s.sendto(hdr + bytes(160), dst)
        nxt += 0.02
        time.sleep(max(0.0, nxt - time.monotonic()))
    for _ in range(2):                  # not RTP: shorter than a header
        s.sendto(b"\x80\x00\x00\x01\x00\x00\x00\x00", dst)
    return 0


def live(args):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(endpoint(args[0]))
    dst, modefile = endpoint(args[1]), args[2]
    nxt = time.monotonic()
    i = 50
    while True:
        with open(modefile) as f:
            mode = f.read().strip()
        if mode == "stop":
            return 0
        if mode != "lossy" or i % 10 not in (0, 3, 6):
            hdr = struct.pack("!BBHII", 0x80, 0, 5000 + i, ts_of(300 + i), SSRC2)
            s.sendto(hdr + bytes(160), dst)
        i += 1
        nxt += 0.02
        time.sleep(max(0.0, nxt - time.monotonic()))


def block(ssrc, frac, cum, jitter):
    return struct.pack("!IIIIII", ssrc, (frac << 24) | (cum & 0xFFFFFF),
                       70000, jitter, 0, 0)


def rtcp_packet(kind, rep):
    if kind == "sr":
        body = struct.pack("!I", 0xA0A0A0A0) + bytes(20) + block(rep, 10, -1, 3)
        pkt = struct.pack("!BBH", 0x81, 200, len(body) // 4) + body
    else:
        body = struct.pack("!I", 0xB0B0B0B0) + block(OTHER, 99, 99, 99) + \
            block(rep, 25, 20, 77)
        words = len(body) // 4 + (5 if kind == "bad" else 0)
        pkt = struct.pack("!BBH", 0x82, 201, words) + body
        pkt += struct.pack("!BBHI", 0x81, 202, 1, 0xB0B0B0B0)   # SDES
    return pkt


def rtcp(args):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(endpoint(args[0]))
    for kind in args[2:]:
        s.sendto(rtcp_packet(kind, SSRC2), endpoint(args[1]))
    return 0


SO_TIMESTAMPNS = 35     # Linux (also SCM_TIMESTAMPNS); Python lacks it
F8000 = (8000 * 2**32 + 500000) // 1000000     # kmod/quality.c's US_FACTOR


def capture(args):
    dev, dst, count, out = args[0], endpoint(args[1]), int(args[2]), args[3]
    s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0800))
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    s.bind((dev, 0))
    s.settimeout(120)
    open(out + ".ready", "w").close()
    daddr = socket.inet_aton(dst[0])
    jitter, n, cur, seen, last = 0, 0, None, set(), None
    while n < count:
        data, anc, _, _ = s.recvmsg(2048, 64)
        if len(data) < 28 or data[9] != 17 or data[16:20] != daddr:
            continue
        if struct.unpack("!H", data[22:24])[0] != dst[1]:
            continue
        n += 1
        ns = next(struct.unpack("qq", d[:16]) for lvl, typ, d in anc
                  if lvl == socket.SOL_SOCKET and typ == SO_TIMESTAMPNS)
        us = (ns[0] * 1000000000 + ns[1]) // 1000
        rtp_ = data[28:]
        if len(rtp_) < 12 or rtp_[0] >> 6 != 2:
            continue
        _, _, seq, ts, ssrc = struct.unpack("!BBHII", rtp_[:12])
        if ssrc != cur:
            cur, seen, last = ssrc, set(), None
        elif seq in seen:
            continue                    # a duplicate: not timed
        seen.add(seq)
        if last is not None:
            arrived = (((us - last[0]) & 0xFFFFFFFF) * F8000 + 2**31) >> 32
            tsd = ((ts - last[1] + 2**31) & 0xFFFFFFFF) - 2**31
            d = abs(arrived - tsd)
            jitter += d - ((jitter + 8) >> 4)
        last = (us, ts)
    with open(out + ".tmp", "w") as f:
        f.write("jitter %d\npackets %d\n" % (jitter >> 4, n))
    os.rename(out + ".tmp", out)
    return 0


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    return {"rtp": rtp, "rtcp": rtcp, "live": live, "capture": capture}[cmd](args)


if __name__ == "__main__":
    sys.exit(main())
