#!/usr/bin/env python3
"""seeds.py DIR: the seed corpora of the fuzz targets, into DIR/cli and
DIR/decode (make fuzz-check and make fuzz write them under build/fuzz/).

cli: command lines of the manual (first byte even: the parser), and one
input per output format and command (first byte odd: the output), with
values at the ends of their ranges.  decode: replies and events shaped as
the kernel sends them, built with tests/integration/genl.py's helpers and
the numbers of include/xt_RTPPROXY.h, and a controller reply.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "integration"))
from genl import H, attr, nest, u8, u16, u32, be32  # noqa: E402

LINES = [
    "info", "info --format json", "info --reset-stat --format tab",
    "list", "list --no-session", "list --no-switchboard -v",
    "list --addr-a 10.0.0.1 --port-a 20000 --sess-id-lo 0 --sess-id-hi 9",
    "list --format=json --reset-switchboard-stat --reset-switchboard-packet-stat",
    "alloc --addr-a 10.0.0.1 --port-a 20000 --rtp-addr-a 10.1.0.2 "
    "--rtp-port-a 4000 --rtcp-addr-a 10.1.0.2 --rtcp-port-a 4001 "
    "--rtp-learning-timeout-b 2000 --always-learn-b=yes --expires-timeout 60",
    "alloc --rtp-learning-timeout-a 0 --rtcp-learning-timeout-b 4294967295",
    "update --addr-a 10.0.0.1 --port-a 20000 --addr-b 10.0.0.2 --port-b 30000 "
    "--sess-id-lo 3 --expires-timeout 1 --always-learn-a",
    "delete --addr-a 10.0.0.1 --port-a 20000 --sess-id-hi 65535",
    "delete --force-switchboard-audit", "-vvh list", "--version", "-h alloc",
    "list --port-a 65534 --port-a 1", "alloc --rtp-port-b 0",
]


def u64(t, v):
    return attr(t, struct.pack("=Q", v))


def stats(t, v):
    return nest(t, *(u64(H["RTPP_A_STAT_PACKETS"] + i, v + i)
                     for i in range(H["RTPP_A_STAT_MAX"] -
                                    H["RTPP_A_STAT_PACKETS"] + 1)))


def states(t, v):
    return nest(t, *(u32(H["RTPP_A_STATE_FREE"] + i, v + i)
                     for i in range(H["RTPP_A_STATE_MAX"])))


def sb(i):
    return nest(H["RTPP_A_SB"], u32(H["RTPP_A_SB_ID"], i),
                be32(H["RTPP_A_SB_ADDR_A"], "10.0.0.1"),
                u16(H["RTPP_A_SB_PORT_A"], 20000),
                be32(H["RTPP_A_SB_ADDR_B"], "10.0.0.2"),
                u16(H["RTPP_A_SB_PORT_B"], 30000),
                u32(H["RTPP_A_SB_MAX_SESS"], 500),
                u64(H["RTPP_A_SB_CREATED_MS"], 1 << 40),
                stats(H["RTPP_A_SB_STATS"], 7),
                states(H["RTPP_A_SB_STATES"], 1),
                u64(H["RTPP_A_SB_DISCONT_MS"], 5))


def stream(port):
    return (be32(H["RTPP_A_STREAM_ADDR"], "10.1.0.2"),
            u16(H["RTPP_A_STREAM_PORT"], port),
            u32(H["RTPP_A_STREAM_LEARNING_MS"], 2000),
            u16(H["RTPP_A_STREAM_GATE_PORT"], 20002),
            u8(H["RTPP_A_STREAM_LEARNED"], 1),
            u64(H["RTPP_A_STREAM_PACKETS"], 10),
            u64(H["RTPP_A_STREAM_IDLE_MS"], 20))


def sess(i):
    side = lambda t: nest(t, u8(H["RTPP_A_SIDE_ALWAYS_LEARN"], 1),  # noqa: E731
                          nest(H["RTPP_A_SIDE_RTP"], *stream(4000)),
                          nest(H["RTPP_A_SIDE_RTCP"], *stream(4001)))
    return nest(H["RTPP_A_SESS"], u32(H["RTPP_A_SESS_ID"], i),
                u64(H["RTPP_A_SESS_CREATED_MS"], 1 << 40),
                u32(H["RTPP_A_SESS_STATE"], 2), u32(H["RTPP_A_SESS_EXPIRES"], 60),
                side(H["RTPP_A_SESS_SIDE_A"]), side(H["RTPP_A_SESS_SIDE_B"]))


def msg(cmd, attrs, typ=0x1d, flags=2):
    body = struct.pack("=BBH", cmd, H["XT_RTPPROXY_GENL_VERSION"], 0) + attrs
    return struct.pack("=IHHII", 16 + len(body), typ, flags, 1, 0) + body


def decode_seeds():
    C = H
    yield "info", msg(C["RTPP_CMD_GET_INFO"], u32(C["RTPP_A_VERSION"], 2) +
                      u64(C["RTPP_A_UPTIME_MS"], 99) + u32(C["RTPP_A_SB_COUNT"], 3) +
                      states(C["RTPP_A_SESS_STATES"], 0) + stats(C["RTPP_A_STATS"], 1) +
                      u64(C["RTPP_A_DISCONT_MS"], 1))
    yield "sb", msg(C["RTPP_CMD_GET_SB"], sb(1))
    yield "sbs", msg(C["RTPP_CMD_GET_SB"], sb(1)) + msg(C["RTPP_CMD_GET_SB"], sb(2))
    yield "sess", msg(C["RTPP_CMD_GET_SESS"], sb(1) + sess(5))
    yield "count", msg(C["RTPP_CMD_DELETE"], u32(C["RTPP_A_COUNT"], 4))
    yield "reset", msg(C["RTPP_CMD_RESET"], stats(C["RTPP_A_STATS"], 0) +
                       sb(1) + sb(3) + sb(4) + sb(5))
    yield "event", msg(C["RTPP_CMD_EVENT"], u32(C["RTPP_A_EVENT"], 1) + sb(1) +
                       nest(C["RTPP_A_SESS"], u32(C["RTPP_A_SESS_ID"], 7),
                            u64(C["RTPP_A_SESS_CREATED_MS"], 8)))
    # a request with a nest, as an extended ack points into one
    yield "request", msg(C["RTPP_CMD_ALLOC"], nest(
        C["RTPP_A_SB"], be32(C["RTPP_A_SB_ADDR_A"], "10.0.0.1"),
        u16(C["RTPP_A_SB_PORT_A"], 20000)) + sess(0), flags=5)
    # the end of a reply: an acknowledgement carrying the request's header
    # and an extended ack (message, offset), and a dump's NLMSG_DONE
    req = msg(C["RTPP_CMD_ALLOC"], nest(
        C["RTPP_A_SB"], be32(C["RTPP_A_SB_ADDR_A"], "10.0.0.1"),
        u16(C["RTPP_A_SB_PORT_A"], 0)), flags=5)
    tlvs = attr(1, b"xt_RTPPROXY: bad port\0") + u32(2, 16 + 4 + 4 + 8)
    body = struct.pack("=i", -22) + req[:16] + tlvs
    yield "ack", req + struct.pack("=IHHII", 16 + len(body), 2, 0x300, 1, 0) + body
    body = struct.pack("=i", -71) + attr(1, b"version mismatch\0") + \
        u32(5, C["RTPP_A_SB"])
    yield "done", struct.pack("=IHHII", 16 + len(body), 3, 0x202, 1, 0) + body
    # the controller's answer to CTRL_CMD_GETFAMILY (family 0x10)
    grp = nest(1, attr(1, b"events\0"), u32(2, 9))
    ctrl = struct.pack("=BBH", 1, 2, 0) + u16(1, 0x1d) + \
        attr(2, C["XT_RTPPROXY_GENL_NAME"].encode() + b"\0") + \
        u32(3, C["XT_RTPPROXY_GENL_VERSION"]) + nest(7, grp)
    yield "family", struct.pack("=IHHII", 16 + len(ctrl), 0x10, 0, 1, 0) + ctrl


def cli_seeds():
    for n, line in enumerate(LINES):
        yield "args%02d" % n, b"\0" + line.replace(" ", "\0").encode()
    for fmt in range(3):
        for what in range(5):
            for fill in (b"\0", b"\xff"):
                yield "out%d%d%02x" % (fmt, what, fill[0]), \
                    bytes([1, fmt, what]) + b"\x03\x03\x01" + fill * 600


def main():
    out = sys.argv[1]
    for sub, seeds in (("cli", cli_seeds()), ("decode", decode_seeds())):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
        for name, data in seeds:
            with open(os.path.join(out, sub, name), "wb") as f:
                f.write(data)


main()
