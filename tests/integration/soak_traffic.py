#!/usr/bin/env python3
"""The streams of soak.sh, all in one process: one start, however many
streams (a python start costs seconds in a loaded TCG guest).

  soak_traffic.py OUT STOP --stream NS_TX,SRC:PORT,DST:PORT,NS_RX,BIND:PORT,SIZE ...
                  [--stranger NS,SRC:PORT,DST:PORT,EVERY] [--gap MS]

Every --gap ms (default 20) each stream sends one datagram of SIZE bytes
from SRC to DST (a gate), from a socket in namespace NS_TX, and a receiver
bound to BIND in NS_RX takes what the relay delivers; every EVERY rounds
the stranger sends one to DST from a source that is no client.  Once the
file STOP exists the sending ends, the receivers are drained (until all
came, or nothing for 3 s), and OUT gets one "KEY VALUE" a line:
stream.N.sent, .sent_bytes, .received, .received_bytes, .bad (a datagram
that is not one of the stream's, byte for byte, or a second copy), and
stranger.sent.  OUT.ready appears once every socket is bound.
"""
import argparse
import os
import select
import socket
import sys
import time

from packet_fuzz import libc_setns

SO_RCVBUFFORCE = 33


def endpoint(text):
    host, _, port = text.rpartition(":")
    return host, int(port)


def data(stream, seq, size):
    head = b"%d:%d:" % (stream, seq)
    return (head + bytes(range(256)) * (size // 256 + 1))[:max(size, len(head))]


def sock(ns, bind):
    libc_setns("/var/run/netns/" + ns)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 8 << 20)
    s.bind(endpoint(bind))
    s.setblocking(False)
    return s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("stop")
    ap.add_argument("--stream", action="append", default=[])
    ap.add_argument("--stranger")
    ap.add_argument("--gap", type=float, default=20.0)
    args = ap.parse_args()

    streams = []
    for i, spec in enumerate(args.stream):
        ns_tx, src, dst, ns_rx, bind, size = spec.split(",")
        streams.append({"tx": sock(ns_tx, src), "dst": endpoint(dst),
                        "rx": sock(ns_rx, bind), "size": int(size),
                        "sent": 0, "sent_bytes": 0, "received": 0,
                        "received_bytes": 0, "bad": 0, "seen": set()})
    stranger = None
    if args.stranger:
        ns, src, dst, every = args.stranger.split(",")
        stranger = (sock(ns, src), endpoint(dst), int(every))
    by_rx = {st["rx"]: (i, st) for i, st in enumerate(streams)}
    open(args.out + ".ready", "w").close()

    def drain(wait):
        while True:
            # The caller's deadline may have passed since it looked.
            ready, _, _ = select.select(list(by_rx), [], [], max(wait, 0))
            if not ready:
                return
            for r in ready:
                i, st = by_rx[r]
                try:
                    d = r.recv(65535)
                except BlockingIOError:
                    continue
                st["received"] += 1
                st["received_bytes"] += len(d)
                try:
                    seq = int(d.split(b":")[1])
                except (IndexError, ValueError):
                    seq = -1
                if seq in st["seen"] or seq < 0 or d != data(i, seq, st["size"]):
                    st["bad"] += 1
                st["seen"].add(seq)
            wait = 0

    rounds = 0
    strangers = 0
    next_round = time.monotonic()
    while not os.path.exists(args.stop):
        for i, st in enumerate(streams):
            d = data(i, st["sent"], st["size"])
            st["tx"].sendto(d, st["dst"])
            st["sent"] += 1
            st["sent_bytes"] += len(d)
        rounds += 1
        if stranger and rounds % stranger[2] == 0:
            stranger[0].sendto(b"stranger", stranger[1])
            strangers += 1
        next_round += args.gap / 1000.0
        drain(0)
        while time.monotonic() < next_round:
            drain(next_round - time.monotonic())
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and any(st["received"] < st["sent"] for st in streams):
        drain(0.2)
    drain(0.5)

    with open(args.out + ".tmp", "w") as f:
        for i, st in enumerate(streams):
            for k in ("sent", "sent_bytes", "received", "received_bytes", "bad"):
                f.write("stream.%d.%s %d\n" % (i, k, st[k]))
        f.write("stranger.sent %d\n" % strangers)
    os.rename(args.out + ".tmp", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
