#!/usr/bin/env python3
"""bench/ngcall.py HOST:PORT CALL-ID PT: set up one call through rtpengine's ng
protocol, as a SIP proxy bridging two networks does, and print where its
media goes.

The caller 10.1.0.2:4000 (network "a") offers one audio stream of payload
type PT, the callee 10.2.0.2:6000 (network "b") answers; the offer asks for
"direction" a -> b, so rtpengine faces the caller on its interface "a" and
the callee on "b".  Prints "PORT_A PORT_B": the caller sends to PORT_A of
rtpengine's address in a (from the answer's SDP), the callee gets its media
from PORT_B of rtpengine's address in b (the offer's SDP).  Exit status 1
on a reply that is not "ok" or has no port.
"""
import re
import socket
import sys

from ctlbench import bencode

CALLER = ("10.1.0.2", 4000)
CALLEE = ("10.2.0.2", 6000)


def sdp(addr, port, pt):
    # PT is the sender's (pktgen's) payload type: rtpengine's kernel path
    # forwards only payload types the SDP announced.
    return ("v=0\r\no=- 1 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
            "m=audio %d RTP/AVP %d\r\na=rtpmap:%d PCMU/8000\r\n"
            % (addr, addr, port, pt, pt))


def command(s, cookie, msg):
    s.send(b"%s %s" % (cookie, bencode(msg)))
    reply = s.recv(65536)
    c, _, body = reply.partition(b" ")
    if c != cookie or b"6:result2:ok" not in body:
        sys.exit("ngcall: %s: %r" % (msg["command"], reply[:300]))
    m = re.search(rb"m=audio (\d+) ", body)
    if not m:
        sys.exit("ngcall: %s: no port in %r" % (msg["command"], body[:300]))
    return int(m.group(1))


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: ngcall.py HOST:PORT CALL-ID PT")
    host, _, port = sys.argv[1].rpartition(":")
    cid, pt = sys.argv[2], int(sys.argv[3])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(10)
    s.connect((host, int(port)))
    port_b = command(s, b"o1", {"command": "offer", "call-id": cid, "from-tag": "ft",
                                "direction": ["a", "b"], "sdp": sdp(*CALLER, pt)})
    port_a = command(s, b"a1", {"command": "answer", "call-id": cid, "from-tag": "ft",
                                "to-tag": "tt", "sdp": sdp(*CALLEE, pt)})
    print(port_a, port_b)


if __name__ == "__main__":
    main()
