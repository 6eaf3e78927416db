#!/usr/bin/env python3
"""bench/ctlbench.py PROTO HOST:PORT CALLS CONCURRENCY: call set-ups per second.

Sets up and tears down CALLS calls through a media relay's control protocol,
the way a SIP proxy does for each call, keeping CONCURRENCY calls in flight
(a call's next command goes as soon as its previous one is answered; a new
call starts when one ends).  PROTO is

  rtpproxy  the rtpproxy protocol over UDP (iptrtpproxyd): per call U (the
            offer), L (the answer), D (the BYE), each with a cookie, as
            Kamailio's rtpproxy module sends them with the flags "ie"/"ei"
  ng        rtpengine's ng protocol over UDP: per call a bencoded offer,
            answer and delete, each with a cookie, as Kamailio's rtpengine
            module sends them

Every datagram is built before the clock starts, so the driver's own work
per command is one sendto and one recv for both protocols.  Each reply is
checked (a port for U and L, 0 for D; "result" "ok" for ng): a wrong reply
or none within TIMEOUT seconds fails the run (exit status 1), nothing is
retransmitted.  Prints one line:

  PROTO calls N concurrency C seconds S setups-per-s R commands-per-s M

--first K: number the calls from K (default 0), so that several runs
against one daemon use fresh call-ids.
"""
import argparse
import select
import socket
import sys
import time

TIMEOUT = 30.0
CALLER = ("10.1.0.2", 4000)
CALLEE = ("10.2.0.2", 6000)


def bencode(v):
    """The bencoding of a dict/list/str/int (ng's message format)."""
    if isinstance(v, dict):
        return b"d" + b"".join(bencode(k) + bencode(v[k]) for k in sorted(v)) + b"e"
    if isinstance(v, list):
        return b"l" + b"".join(bencode(x) for x in v) + b"e"
    if isinstance(v, int):
        return b"i%de" % v
    if isinstance(v, str):
        v = v.encode()
    return b"%d:%s" % (len(v), v)


def sdp(addr, port):
    return ("v=0\r\no=- 1 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
            "m=audio %d RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n" % (addr, addr, port))


def rtpproxy_call(n):
    cid, ft, tt = "bench-%d@10.1.0.2" % n, "ft%d" % n, "tt%d" % n
    return [
        "UIE %s %s %d %s;1" % (cid, CALLER[0], CALLER[1], ft),
        "LEI %s %s %d %s;1 %s;1" % (cid, CALLEE[0], CALLEE[1], ft, tt),
        "D %s %s %s" % (cid, ft, tt),
    ]


def rtpproxy_ok(step, reply):
    words = reply.split()
    if step == 2:
        return words == [b"0"]
    return len(words) >= 1 and words[0].isdigit() and int(words[0]) > 0


def ng_call(n):
    cid, ft, tt = "bench-%d@10.1.0.2" % n, "ft%d" % n, "tt%d" % n
    return [
        {"command": "offer", "call-id": cid, "from-tag": ft, "sdp": sdp(*CALLER)},
        {"command": "answer", "call-id": cid, "from-tag": ft, "to-tag": tt,
         "sdp": sdp(*CALLEE)},
        {"command": "delete", "call-id": cid, "from-tag": ft},
    ]


def ng_ok(step, reply):
    return b"6:result2:ok" in reply


def build(proto, first, calls):
    """[[datagram of step 0, 1, 2] for each call], cookies 'N_STEP'."""
    out = []
    for i in range(calls):
        n = first + i
        if proto == "rtpproxy":
            cmds = [c.encode() for c in rtpproxy_call(n)]
        else:
            cmds = [bencode(c) for c in ng_call(n)]
        out.append([b"%d_%d %s" % (n, s, c) for s, c in enumerate(cmds)])
    return out


def run(proto, target, first, calls, conc):
    host, _, port = target.rpartition(":")
    dst = (host, int(port))
    grams = build(proto, first, calls)
    ok = rtpproxy_ok if proto == "rtpproxy" else ng_ok
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    s.connect(dst)
    s.setblocking(False)
    p = select.poll()
    p.register(s, select.POLLIN)

    nxt = 0         # the next call to start
    done = 0        # calls whose D/delete was answered
    inflight = {}   # cookie -> (call index, step)
    t0 = time.monotonic()

    def send(i, step):
        g = grams[i][step]
        inflight[g[:g.index(b" ")]] = (i, step)
        s.send(g)

    while nxt < min(conc, calls):
        send(nxt, 0)
        nxt += 1
    last = time.monotonic()
    while done < calls:
        if not p.poll(1000):
            if time.monotonic() - last > TIMEOUT:
                sys.exit("ctlbench: %s: no reply for %d s, %d calls in flight"
                         % (proto, TIMEOUT, len(inflight)))
            continue
        while True:
            try:
                r = s.recv(65536)
            except BlockingIOError:
                break
            last = time.monotonic()
            cookie, _, body = r.partition(b" ")
            if cookie not in inflight:
                sys.exit("ctlbench: %s: reply with an unknown cookie: %r" % (proto, r[:80]))
            i, step = inflight.pop(cookie)
            if not ok(step, body):
                sys.exit("ctlbench: %s: call %d step %d: %r" % (proto, first + i, step, body[:200]))
            if step < 2:
                send(i, step + 1)
                continue
            done += 1
            if nxt < calls:
                send(nxt, 0)
                nxt += 1
    t = time.monotonic() - t0
    print("%s calls %d concurrency %d seconds %.6f setups-per-s %.1f commands-per-s %.1f"
          % (proto, calls, conc, t, calls / t, 3 * calls / t))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("proto", choices=("rtpproxy", "ng"))
    ap.add_argument("target")
    ap.add_argument("calls", type=int)
    ap.add_argument("concurrency", type=int)
    ap.add_argument("--first", type=int, default=0)
    a = ap.parse_args()
    if a.calls < 1 or a.concurrency < 1:
        ap.error("CALLS and CONCURRENCY must be at least 1")
    run(a.proto, a.target, a.first, a.calls, a.concurrency)


if __name__ == "__main__":
    main()
