#!/usr/bin/env python3
"""genl_fuzz.py COUNT SEED ADDR_A PORT_A SB_IDS: mutated generic netlink
requests to the RTPPROXY family, for the fuzz scenario (genl-fuzz.sh).

Sends COUNT requests built at random (random.Random(SEED): a run can be
replayed) against the switchboards of the current network namespace: gate
A at ADDR_A:PORT_A (the first), SB_IDS their ids, comma-separated.  Each
request is made along the policies of kmod/netlink.c and then bent:

  - the command: every one of the family, 0, the multicast-only EVENT and
    numbers past the last; the version right or wrong; the flags with and
    without NLM_F_ACK and NLM_F_DUMP, and others;
  - each attribute: every type of its space and a few past the space's
    last; the payload right, one byte short or long, empty, oversized; the
    values at and past every bound the policies set (ports 0, 1, 65535,
    session ids 0 .. XT_RTPPROXY_MAX_SESS, expiries 0, 1, the largest and
    one more, learning windows likewise, always-learn 0, 1, 2, 255, each
    reset, addresses of the gate, a client, 0, loopback, multicast,
    broadcast), repeated, nests without NLA_F_NESTED, nests of nests past
    the policies' depth;
  - then, for some, the bytes: flipped, cut short, a length field that
    overruns, garbage appended, or several requests in one datagram.

Every datagram is followed by a GET_INFO that asks for an acknowledgement:
it, and every request of the datagram that asks for one (or is a dump),
must be answered within the socket's timeout (30 s), with an errno among
those the protocol uses (GET_INFO with none).  Prints one line "sent N
answered A ok O dumps D errors ERRNO:COUNT,... ok_by_command CMD:COUNT,...";
exits 1, printing the datagram in hex, on a request left unanswered or
answered with an unexpected errno.
"""
import errno
import os
import random
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from genl import (Genl, H, NLA_F_NESTED, NLM_F_ACK, NLM_F_DUMP,  # noqa: E402
                  NLM_F_REQUEST, NLMSG_DONE, NLMSG_ERROR)

# What the family may answer: success, the policies' and commands' refusals.
# EBUSY: a dump asked for while one of the socket's is still running (two
# dumps in one datagram).
EXPECTED = {0, errno.EINVAL, errno.ERANGE, errno.EOPNOTSUPP, errno.EPROTO,
            errno.ENOENT, errno.ENOSPC, errno.EMSGSIZE, errno.EBUSY}
U32_MAX = 0xffffffff


class Gen:
    """Requests along the policies, bent at random."""

    def __init__(self, rnd, gate, port, ids):
        self.r = rnd
        self.clean = False	# this request: along the policies only
        self.gate = socket.inet_aton(gate)
        self.port = port
        self.ids = ids

    def chance(self, n):
        return self.r.randrange(n) == 0

    def pick(self, *values):
        return self.r.choice(values)

    # -- payloads ----------------------------------------------------------
    def bent(self, payload):
        """The right payload mostly; else a wrong length."""
        if self.clean or not self.chance(12):
            return payload
        return self.pick(b"", payload[:-1], payload + b"\0",
                         payload + b"\xff" * 4, payload * 3,
                         bytes(self.r.randrange(256) for _ in
                               range(self.r.randrange(1, 64))))

    def u8(self, v):
        return self.bent(struct.pack("=B", v & 0xff))

    def u16(self, v):
        return self.bent(struct.pack("=H", v & 0xffff))

    def u32(self, v):
        return self.bent(struct.pack("=I", v & U32_MAX))

    def v(self, good, bad):
        """One of the good values, mostly, in a request along the
        policies (so that it gets to the command); else any."""
        if self.clean and self.r.random() < 0.8:
            return self.r.choice(good)
        return self.r.choice(tuple(good) + tuple(bad))

    def addr(self, *good):
        return self.bent(self.v(good, (
            self.gate, socket.inet_aton("10.1.0.2"), b"\0" * 4,
            socket.inet_aton("127.0.0.1"), socket.inet_aton("224.0.0.1"),
            b"\xff" * 4, socket.inet_aton("10.9.255.255"),
            struct.pack("=I", self.r.getrandbits(32)))))

    def bound(self, lo, hi):
        """A value of lo..hi, or at or past one of its bounds."""
        return self.v((lo, hi, self.r.randrange(lo, hi + 1)),
                      (0, 1, hi - 1, hi, hi + 1, U32_MAX,
                       self.r.getrandbits(32)))

    # -- attributes --------------------------------------------------------
    def attr(self, t, payload, nested=False):
        if nested and (self.clean or not self.chance(10)):
            t |= NLA_F_NESTED	# strict: the flag is required
        elif not self.clean and self.chance(40):
            t |= self.pick(NLA_F_NESTED, 1 << 14)
        return struct.pack("=HH", 4 + len(payload), t) + payload + \
            b"\0" * (-len(payload) % 4)

    def space(self, known, last, depth, foreign=()):
        """Attributes of a space: some of the known ones (type: maker),
        repeated at times, and unknown types now and then; foreign: types
        of the replies, which no request may carry."""
        out = []
        types = [t for t in known if not (self.clean and t in foreign)]
        for _ in range(self.r.randrange(0, len(types) + 2)):
            if not self.clean and self.chance(15):
                t = self.r.choice([0, last + 1, last + 2, 0x3fff,
                                   self.r.randrange(last + 8)])
                out.append(self.attr(t, self.junk(depth)))
            elif types:
                t = self.r.choice(types)
                out.append(known[t](depth))
        self.r.shuffle(out)
        return b"".join(out)

    def junk(self, depth):
        if depth < 6 and self.chance(3):	# nests of nests, any depth
            return self.attr(self.r.randrange(1, 20), self.junk(depth + 1),
                             nested=True)
        return bytes(self.r.randrange(256)
                     for _ in range(self.pick(0, 1, 2, 4, 8, 13)))

    def sb(self, depth=0):
        a = {
            H["RTPP_A_SB_ID"]: lambda d: self.attr(
                H["RTPP_A_SB_ID"], self.u32(self.v(
                    self.ids, (0, U32_MAX, max(self.ids) + 1)))),
            H["RTPP_A_SB_ADDR_A"]: lambda d: self.attr(
                H["RTPP_A_SB_ADDR_A"], self.addr(self.gate)),
            H["RTPP_A_SB_PORT_A"]: lambda d: self.attr(
                H["RTPP_A_SB_PORT_A"],
                self.u16(self.v((self.port, self.port + 100),
                                (self.port + 1, self.port + 2, 0, 1,
                                 65535)))),
            H["RTPP_A_SB_ADDR_B"]: lambda d: self.attr(
                H["RTPP_A_SB_ADDR_B"], self.addr(self.gate)),
            H["RTPP_A_SB_PORT_B"]: lambda d: self.attr(
                H["RTPP_A_SB_PORT_B"], self.u16(self.pick(0, 1, 65535,
                                                          self.port + 100))),
        }
        if self.clean or self.chance(2):	# a name that reaches the command
            body = self.pick(a[H["RTPP_A_SB_ID"]](depth),
                             a[H["RTPP_A_SB_ADDR_A"]](depth) +
                             a[H["RTPP_A_SB_PORT_A"]](depth))
        else:
            body = self.space(a, H["RTPP_A_SB_MAX"], depth + 1)
        return self.attr(H["RTPP_A_SB"], body, nested=True)

    def stream(self, t, depth):
        a = {
            H["RTPP_A_STREAM_ADDR"]: lambda d: self.attr(
                H["RTPP_A_STREAM_ADDR"],
                self.addr(socket.inet_aton("10.1.0.2"), b"\0" * 4)),
            H["RTPP_A_STREAM_PORT"]: lambda d: self.attr(
                H["RTPP_A_STREAM_PORT"], self.u16(self.v((4000, 1, 65535),
                                                         (0,)))),
            H["RTPP_A_STREAM_LEARNING_MS"]: lambda d: self.attr(
                H["RTPP_A_STREAM_LEARNING_MS"],
                self.u32(self.bound(0, H["XT_RTPPROXY_MAX_LEARNING"]))),
            # reply-only attributes, which a request must not carry
            H["RTPP_A_STREAM_GATE_PORT"]: lambda d: self.attr(
                H["RTPP_A_STREAM_GATE_PORT"], self.u16(20000)),
            H["RTPP_A_STREAM_PACKETS"]: lambda d: self.attr(
                H["RTPP_A_STREAM_PACKETS"], self.bent(b"\1" * 8)),
        }
        return self.attr(t, self.space(a, H["RTPP_A_STREAM_MAX"], depth + 1,
                                       (H["RTPP_A_STREAM_GATE_PORT"],
                                        H["RTPP_A_STREAM_PACKETS"])),
                         nested=True)

    def side(self, t, depth):
        a = {
            H["RTPP_A_SIDE_ALWAYS_LEARN"]: lambda d: self.attr(
                H["RTPP_A_SIDE_ALWAYS_LEARN"], self.u8(self.v((0, 1),
                                                              (2, 255)))),
            H["RTPP_A_SIDE_RTP"]: lambda d: self.stream(H["RTPP_A_SIDE_RTP"],
                                                        d),
            H["RTPP_A_SIDE_RTCP"]: lambda d: self.stream(
                H["RTPP_A_SIDE_RTCP"], d),
        }
        return self.attr(t, self.space(a, H["RTPP_A_SIDE_MAX"], depth + 1),
                         nested=True)

    def sess(self, depth=0):
        a = {
            H["RTPP_A_SESS_EXPIRES"]: lambda d: self.attr(
                H["RTPP_A_SESS_EXPIRES"],
                self.u32(self.bound(1, H["XT_RTPPROXY_MAX_TIMEOUT"]))),
            H["RTPP_A_SESS_SIDE_A"]: lambda d: self.side(
                H["RTPP_A_SESS_SIDE_A"], d),
            H["RTPP_A_SESS_SIDE_B"]: lambda d: self.side(
                H["RTPP_A_SESS_SIDE_B"], d),
            H["RTPP_A_SESS_ID"]: lambda d: self.attr(H["RTPP_A_SESS_ID"],
                                                     self.u32(1)),
        }
        return self.attr(H["RTPP_A_SESS"],
                         self.space(a, H["RTPP_A_SESS_MAX"], depth + 1,
                                    (H["RTPP_A_SESS_ID"],)),
                         nested=True)

    def top(self, cmd):
        sid = lambda: self.u32(self.bound(0, H["XT_RTPPROXY_MAX_SESS"] - 1))  # noqa: E731
        a = {
            H["RTPP_A_SB"]: self.sb,
            H["RTPP_A_SESS"]: self.sess,
            H["RTPP_A_SESS_ID_LO"]: lambda d: self.attr(
                H["RTPP_A_SESS_ID_LO"], sid()),
            H["RTPP_A_SESS_ID_HI"]: lambda d: self.attr(
                H["RTPP_A_SESS_ID_HI"], sid()),
            H["RTPP_A_RESET"]: lambda d: self.attr(
                H["RTPP_A_RESET"], self.u32(self.v(
                    (H["RTPP_RESET_GLOBAL"], H["RTPP_RESET_SB"],
                     H["RTPP_RESET_SB_PACKETS"]),
                    (H["RTPP_RESET_SB_PACKETS"] + 1, 0, U32_MAX)))),
            H["RTPP_A_NO_SESS"]: lambda d: self.attr(H["RTPP_A_NO_SESS"],
                                                     self.bent(b"")),
            H["RTPP_A_VERSION"]: lambda d: self.attr(H["RTPP_A_VERSION"],
                                                     self.u32(1)),
            H["RTPP_A_COUNT"]: lambda d: self.attr(H["RTPP_A_COUNT"],
                                                   self.u32(1)),
        }
        out = self.space(a, H["RTPP_A_MAX"], 0,
                         (H["RTPP_A_VERSION"], H["RTPP_A_COUNT"]))
        if self.clean:	# what the command requires, mostly
            need = {H["RTPP_CMD_ALLOC"]: (H["RTPP_A_SB"], H["RTPP_A_SESS"]),
                    H["RTPP_CMD_UPDATE"]: (H["RTPP_A_SB"], H["RTPP_A_SESS"]),
                    H["RTPP_CMD_RESET"]: (H["RTPP_A_RESET"],)}.get(cmd, ())
            out += b"".join(a[t](0) for t in need if not self.chance(8))
        return out

    # -- requests ----------------------------------------------------------
    def command(self):
        last = H["RTPP_CMD_MAX"]
        if not self.clean and self.chance(10):
            return self.pick(0, last + 1, last + 2, 255)
        cmd = self.r.randrange(1, last + 1)
        if self.clean and cmd == H["RTPP_CMD_EVENT"]:	# multicast only
            cmd = H["RTPP_CMD_ALLOC"]
        return cmd

    def request(self, family, seq):
        """(message bytes, asks for an ack, is a dump, framed right)"""
        # two in five along the policies only: the values at and past the
        # bounds, in requests that get past the parsing to the commands
        self.clean = self.r.random() < 0.4
        cmd = self.command()
        version = H["XT_RTPPROXY_GENL_VERSION"]
        if not self.clean and self.chance(15):
            version = self.pick(0, version + 1, 255)
        flags = NLM_F_REQUEST
        if cmd in (H["RTPP_CMD_GET_SB"], H["RTPP_CMD_GET_SESS"]):
            dump = self.clean or not self.chance(8)
        elif cmd == H["RTPP_CMD_RESET"]:
            dump = self.chance(2)
        else:
            dump = not self.clean and self.chance(20)
        if dump:
            flags |= NLM_F_DUMP
        ack = not self.chance(10)
        if ack:
            flags |= NLM_F_ACK
        if not self.clean and self.chance(20):
            flags |= self.pick(0x10, 0x20, 0x1000, 0x8000)
        body = struct.pack("=BBH", cmd, version,
                           0 if self.clean or not self.chance(20) else
                           self.r.getrandbits(16)) + self.top(cmd)
        msg = bytearray(struct.pack("=IHHII", 16 + len(body), family, flags,
                                    seq, 0) + body)
        framed = True
        if not self.clean and self.chance(8):	# the bytes, bent
            how = self.r.randrange(5)
            if how == 0 and len(msg) > 16:
                for _ in range(self.r.randrange(1, 5)):
                    i = self.r.randrange(16, len(msg))
                    msg[i] ^= 1 << self.r.randrange(8)
            elif how == 1 and len(msg) > 20:
                msg = msg[:self.r.randrange(20, len(msg))]
                struct.pack_into("=I", msg, 0, len(msg))
            elif how == 2:	# nlmsg_len past the datagram: dropped unread
                struct.pack_into("=I", msg, 0, len(msg) + self.pick(1, 4, 4096))
                framed = False
            elif how == 3:	# an attribute's length overruns the message
                if len(msg) >= 24:
                    struct.pack_into("=H", msg, 20, self.pick(
                        len(msg) - 20 + 4, 0xffff, 1, 3))
            else:
                msg += bytes(self.r.randrange(256)
                             for _ in range(self.r.randrange(1, 16)))
                struct.pack_into("=I", msg, 0, len(msg))
        return bytes(msg), ack, dump, framed


def answer(g, wanted):
    """Read up to the acknowledgement or NLMSG_DONE of each request of
    sequence number in wanted: {seq: (errno, whether messages came)}."""
    got, multi = {}, set()
    while len(got) < len(wanted):
        data = g.s.recv(1 << 20)
        off = 0
        while off + 16 <= len(data):
            ln, typ, _, mseq, _ = struct.unpack_from("=IHHII", data, off)
            if ln < 16:
                break
            if mseq in wanted:
                if typ in (NLMSG_ERROR, NLMSG_DONE):
                    err = struct.unpack_from("=i", data, off + 16)[0] \
                        if ln >= 20 else 0
                    got[mseq] = (-err, mseq in multi)
                else:
                    multi.add(mseq)
            off += (ln + 3) & ~3
    return got


def sync_request(fam, seq):
    """A GET_INFO that is answered: after requests that may not be."""
    return struct.pack("=IHHII", 20, fam, NLM_F_REQUEST | NLM_F_ACK, seq, 0) + \
        struct.pack("=BBH", H["RTPP_CMD_GET_INFO"],
                    H["XT_RTPPROXY_GENL_VERSION"], 0)


def main():
    count, seed = int(sys.argv[1]), int(sys.argv[2])
    gate, port = sys.argv[3], int(sys.argv[4])
    ids = [int(i) for i in sys.argv[5].split(",")]
    g = Genl()
    g.s.settimeout(30)
    fam = g.family()
    gen = Gen(random.Random(seed), gate, port, ids)
    stats = {"sent": 0, "answered": 0, "ok": 0, "dumps": 0}
    errs, cmds, oks = {}, {}, {}
    names = {H[n]: n[len("RTPP_CMD_"):].lower() for n in H
             if n.startswith("RTPP_CMD_") and n != "RTPP_CMD_MAX"}
    for _ in range(count):
        # one request, at times two in one datagram; a datagram whose
        # framing is broken is dropped whole, unanswered
        data, wanted, framed = b"", set(), True
        for _ in range(2 if gen.chance(30) else 1):
            g.seq += 1
            msg, ack, dump, ok = gen.request(fam, g.seq)
            cmds[g.seq] = msg[16] if len(msg) > 16 else 0
            data += msg + b"\0" * (-len(msg) % 4)
            framed = framed and ok
            if ack or dump:	# a dump always ends with DONE or an error
                wanted.add(g.seq)
            stats["sent"] += 1
        if not framed:
            wanted = set()
        g.seq += 1
        sync = g.seq
        try:
            g.s.send(data)
            g.s.send(sync_request(fam, sync))
            got = answer(g, wanted | {sync})
        except socket.timeout:
            print("genl_fuzz: no answer in 30 s (seed %d) to %s" %
                  (seed, data.hex()))
            return 1
        except OSError as e:
            print("genl_fuzz: %s (seed %d) after %s" % (e, seed, data.hex()))
            return 1
        for seq, (err, multi) in got.items():
            if err not in EXPECTED:
                print("genl_fuzz: unexpected %s (seed %d) to %s" % (
                    errno.errorcode.get(err, err), seed, data.hex()))
                return 1
            if seq == sync:
                if err:
                    print("genl_fuzz: GET_INFO after the request failed: "
                          "%s (seed %d) after %s" % (
                              errno.errorcode.get(err, err), seed, data.hex()))
                    return 1
                continue
            stats["answered"] += 1
            stats["ok"] += err == 0
            if err == 0:
                c = names.get(cmds[seq], cmds[seq])
                oks[c] = oks.get(c, 0) + 1
            stats["dumps"] += multi
            errs[err] = errs.get(err, 0) + 1
    print("sent %(sent)d answered %(answered)d ok %(ok)d dumps %(dumps)d" %
          stats, "errors " + ",".join(
              "%s:%d" % (errno.errorcode.get(e, e), n)
              for e, n in sorted(errs.items()) if e),
          "ok_by_command " + ",".join("%s:%d" % (c, n)
                                      for c, n in sorted(oks.items())))
    return 0


sys.exit(main())
