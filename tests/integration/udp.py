#!/usr/bin/env python3
"""UDP traffic for the integration scenarios: exact counts, no sleeping.

  udp.py send SRC_IP:PORT DST_IP:PORT COUNT SIZE [--gap MS]
      Send COUNT datagrams of SIZE payload bytes from SRC to DST.  The
      payload starts with a sequence number.

  udp.py recv BIND_IP:PORT OUT [--count N] [--idle S] [--timeout S]
      Receive until N datagrams came (or nothing came for --idle seconds,
      or --timeout passed) and write a JSON summary to OUT: the count, the
      payload bytes, and the count per source "ip:port".  The file OUT.ready
      appears once the socket is bound, so a scenario can poll for it.

A datagram reaches a socket only if its UDP checksum verified, so every
datagram counted here was relayed with a correct checksum.
"""
import argparse
import json
import os
import socket
import sys
import time


def endpoint(text):
    host, _, port = text.rpartition(":")
    return host, int(port)


def send(args):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(endpoint(args.src))
    dst = endpoint(args.dst)
    for seq in range(args.count):
        head = seq.to_bytes(4, "big")
        payload = (head + bytes(range(256)) * (args.size // 256 + 1))[: args.size]
        if len(payload) < args.size:
            payload += b"\0" * (args.size - len(payload))
        s.sendto(payload, dst)
        if args.gap:
            time.sleep(args.gap / 1000.0)
    return 0


def recv(args):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind(endpoint(args.bind))
    open(args.out + ".ready", "w").close()
    count = 0
    nbytes = 0
    sources = {}
    deadline = time.monotonic() + args.timeout
    while args.count is None or count < args.count:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        s.settimeout(min(left, args.idle) if count else left)
        try:
            data, src = s.recvfrom(65535)
        except socket.timeout:
            if count:
                break
            continue
        count += 1
        nbytes += len(data)
        key = "%s:%d" % src
        sources[key] = sources.get(key, 0) + 1
    tmp = args.out + ".tmp"
    with open(tmp, "w") as f:
        json.dump({"count": count, "bytes": nbytes, "sources": sources}, f)
    os.rename(tmp, args.out)
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
    pr = sub.add_parser("recv")
    pr.add_argument("bind")
    pr.add_argument("out")
    pr.add_argument("--count", type=int)
    pr.add_argument("--idle", type=float, default=3.0)
    pr.add_argument("--timeout", type=float, default=60.0)
    args = p.parse_args()
    return send(args) if args.cmd == "send" else recv(args)


if __name__ == "__main__":
    sys.exit(main())
