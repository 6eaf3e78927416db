#!/usr/bin/env python3
"""genl.py: hand-made generic netlink requests to the RTPPROXY family, for the
protocol scenario (protocol.sh): what a client other than librtpproxy, or one
built against another version of include/xt_RTPPROXY.h, may send.

  genl.py REQUEST ADDR_A PORT_A

REQUEST is one of the names in REQUESTS below; the switchboard named by
ADDR_A:PORT_A is the one the request is about.  Prints one line: the errno
name the kernel answered (OK for success), then after a tab the extended-ack
message (empty when none), and the missing attribute it names, if any.  Numbers come from include/xt_RTPPROXY.h (read at
start-up, so this file carries none of them).

Bulk actions, for the scenario of many switchboards and sessions (many.sh),
where starting the command line once per object would take minutes:

  genl.py fill ADDR_A PORT_A N
      Allocate N sessions on the switchboard; prints how many were made.
  genl.py alloc-ids FIRST LAST
      Allocate one session on each switchboard of id FIRST..LAST.
  genl.py churn ADDR_A PORT_A STOPFILE
      Allocate and delete one session after the other until STOPFILE
      exists; prints how many pairs it made.
  genl.py dump-intr ADDR_A PORT_A
      Dump the switchboard's sessions; once the first piece has been read,
      allocate a session through a second socket, then read on.  Prints
      "pieces P messages M intr_before B intr_after A": messages that
      carried NLM_F_DUMP_INTR among those read before and after the change
      (NLMSG_DONE counts as a message).
  genl.py dump-hold ADDR_A PORT_A
      Ask for a listing of the switchboard's sessions, read its first
      datagram, print "holding N" (the messages it held) and then read no
      more until killed: the kernel keeps the listing open meanwhile.
  genl.py alloc-shape ADDR_A PORT_A brief|full
      Allocate a session, with RTPP_A_BRIEF or without, and print the
      reply's attributes by name, nests in parentheses, the session id
      and gate ports with their values: "SB(ID ...) SESS(ID=N ...
      SIDE_A(RTP(GATE_PORT=P ...".
  genl.py reset-pieces WHAT
      Reset WHAT (sb or sb-packets) of every switchboard, in the form the
      kernel takes (a dump; the single request of protocol version 1 if
      the kernel refuses the dump form).  Prints "FORM datagrams D largest
      L messages M ids U cleared_allocs A cleared_packets P".
"""
import errno
import os
import re
import signal
import socket
import struct
import sys

NETLINK_GENERIC = 16
NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK, NLM_F_DUMP = 1, 2, 4, 0x300
NLM_F_DUMP_INTR = 0x10
NLMSG_ERROR, NLMSG_DONE = 2, 3
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
NETLINK_EXT_ACK, NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_MISS_TYPE = 11, 1, 5
NLA_F_NESTED = 1 << 15
SOL_NETLINK = 270
SO_RCVBUFFORCE = 33


def enum_names(enum):
    """The enumerators of one enum of the header, in order (from 0)."""
    top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    text = re.sub(r"/\*.*?\*/", "", open(os.path.join(
        top, "include", "xt_RTPPROXY.h")).read(), flags=re.S)
    body = re.search(r"enum %s\s*\{(.*?)\}" % enum, text, flags=re.S).group(1)
    return [a.strip() for a in body.split(",") if a.strip()]


def shape(data, enum):
    """A reply's attributes (payload without the genl header) by name."""
    names, inner = enum_names(enum), {
        "RTPP_A_SB": "rtpp_sb_attr", "RTPP_A_SESS": "rtpp_sess_attr",
        "RTPP_A_SESS_SIDE_A": "rtpp_side_attr",
        "RTPP_A_SESS_SIDE_B": "rtpp_side_attr",
        "RTPP_A_SIDE_RTP": "rtpp_stream_attr",
        "RTPP_A_SIDE_RTCP": "rtpp_stream_attr"}
    prefix = {"rtpp_attr": "RTPP_A_", "rtpp_sb_attr": "RTPP_A_SB_",
              "rtpp_sess_attr": "RTPP_A_SESS_", "rtpp_side_attr": "RTPP_A_SIDE_",
              "rtpp_stream_attr": "RTPP_A_STREAM_"}[enum]
    out, off = [], 0
    while off + 4 <= len(data):
        alen, atype = struct.unpack_from("=HH", data, off)
        name = names[atype & 0x3fff]
        body = data[off + 4:off + alen]
        word = name[len(prefix):]
        if name in inner:
            word += "(%s)" % shape(body, inner[name])
        elif name == "RTPP_A_STREAM_GATE_PORT":
            word += "=%d" % struct.unpack_from("=H", body)[0]
        elif name == "RTPP_A_SESS_ID":
            word += "=%d" % struct.unpack_from("=I", body)[0]
        out.append(word)
        off += (alen + 3) & ~3
    return " ".join(out)


def header_enums():
    """Every RTPP_* enumerator and #define of the ABI header, by name."""
    top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    text = open(os.path.join(top, "include", "xt_RTPPROXY.h")).read()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    names = {}
    global TOP_ATTRS
    body = re.search(r"enum rtpp_attr\s*\{(.*?)\}", text, flags=re.S).group(1)
    TOP_ATTRS = [a.strip() for a in body.split(",") if a.strip()]

    def value(expr):	# our own header's constant expressions
        return eval(re.sub(r"(\d+)U\b", r"\1", expr), {}, dict(names))
    for body in re.findall(r"enum\s*\w*\s*\{(.*?)\}", text, flags=re.S):
        n = -1
        for item in body.split(","):
            name, _, val = item.strip().partition("=")
            if name.strip():
                n = value(val) if val.strip() else n + 1
                names[name.strip()] = n
    for name, val in re.findall(r"#define\s+(\w+)\s+([(\w][^\n]*)", text):
        try:
            names[name] = value(val)
        except (NameError, SyntaxError):
            pass
    names["XT_RTPPROXY_GENL_NAME"] = re.search(
        r'#define\s+XT_RTPPROXY_GENL_NAME\s+"(\w+)"', text).group(1)
    return names


H = header_enums()


def attr(t, payload):
    return struct.pack("=HH", 4 + len(payload), t) + payload + \
        b"\0" * (-len(payload) % 4)


def nest(t, *attrs):
    return attr(t | NLA_F_NESTED, b"".join(attrs))


def u8(t, v):
    return attr(t, struct.pack("=B", v))


def u16(t, v):
    return attr(t, struct.pack("=H", v))


def u32(t, v):
    return attr(t, struct.pack("=I", v))


def be32(t, addr):
    return attr(t, socket.inet_aton(addr))


class Genl:
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                               NETLINK_GENERIC)
        self.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        # room for the answers to a batch of requests (root only)
        self.s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 8 << 20)
        self.s.bind((0, 0))
        self.seq = 0

    def send(self, family, cmd, version, attrs=b"", flags=NLM_F_ACK):
        self.seq += 1
        body = struct.pack("=BBH", cmd, version, 0) + attrs
        self.s.send(struct.pack("=IHHII", 16 + len(body), family,
                                NLM_F_REQUEST | flags, self.seq, 0) + body)
        self.datagrams = []     # the size of each datagram of the answer
        self.flags = []         # the flags of each message of the answer

    def recv_piece(self, first=None, last=None):
        """One datagram of the answer to the request of sequence number
        first..last (the last request sent): a list of (type, flags,
        payload, length)."""
        buf = bytearray(16 << 20)       # an old kernel's RESET reply is big
        n = self.s.recv_into(buf)
        data = bytes(buf[:n])
        self.datagrams.append(n)
        out, off = [], 0
        first = self.seq if first is None else first
        last = self.seq if last is None else last
        while off < len(data):
            ln, typ, flags, seq, _ = struct.unpack_from("=IHHII", data, off)
            msg = data[off + 16:off + ln]
            off += (ln + 3) & ~3
            if first <= seq <= last:
                self.flags.append(flags)
                out.append((typ, flags, msg, ln))
        return out

    def answer(self, payloads, on_piece=None):
        """Read up to the acknowledgement or NLMSG_DONE."""
        while True:
            for typ, _, msg, ln in self.recv_piece():
                if typ in (NLMSG_ERROR, NLMSG_DONE):
                    err = -struct.unpack_from("=i", msg)[0] if msg else 0
                    return err, self.extack(typ, ln, msg), payloads
                payloads.append(msg)
            if on_piece:
                on_piece()

    def request(self, family, cmd, version, attrs=b"", flags=NLM_F_ACK):
        """Send one request; the answer as (errno, extack message, payloads)."""
        self.send(family, cmd, version, attrs, flags)
        return self.answer([])

    @staticmethod
    def extack(typ, ln, msg):
        # NLMSG_ERROR: error, then the request's header (its payload only
        # when not capped); NLMSG_DONE: error, then the attributes.
        if typ == NLMSG_ERROR:
            inner_len = struct.unpack_from("=I", msg, 4)[0]
            off = 4 + (16 if len(msg) < 4 + inner_len else inner_len)
        else:
            off = 4
        text = []
        while off + 4 <= len(msg):
            alen, atype = struct.unpack_from("=HH", msg, off)
            if alen < 4:
                break
            if atype & 0x3fff == NLMSGERR_ATTR_MSG:
                text.append(msg[off + 4:off + alen].rstrip(b"\0").decode())
            elif atype & 0x3fff == NLMSGERR_ATTR_MISS_TYPE:
                t = struct.unpack_from("=I", msg, off + 4)[0]
                text.append("missing attribute %s" % (
                    TOP_ATTRS[t] if t < len(TOP_ATTRS) else t))
            off += (alen + 3) & ~3
        return "; ".join(text)

    def family(self):
        err, _, payloads = self.request(
            GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1,
            attr(CTRL_ATTR_FAMILY_NAME,
                 H["XT_RTPPROXY_GENL_NAME"].encode() + b"\0"))
        if err:
            sys.exit("genl.py: family %s: %s" % (H["XT_RTPPROXY_GENL_NAME"],
                                                 os.strerror(err)))
        a = payloads[0][4:]
        off = 0
        while off < len(a):
            alen, atype = struct.unpack_from("=HH", a, off)
            if atype == CTRL_ATTR_FAMILY_ID:
                return struct.unpack_from("=H", a, off + 4)[0]
            off += (alen + 3) & ~3
        sys.exit("genl.py: no family id")


def requests(addr, port):
    """name: (command, version offset, attributes, dump)"""
    sb = nest(H["RTPP_A_SB"], be32(H["RTPP_A_SB_ADDR_A"], addr),
              u16(H["RTPP_A_SB_PORT_A"], port))

    def side_a(*stream, side=()):
        return nest(H["RTPP_A_SESS"],
                    nest(H["RTPP_A_SESS_SIDE_A"], *side,
                         nest(H["RTPP_A_SIDE_RTP"], *stream)))
    client = (be32(H["RTPP_A_STREAM_ADDR"], "10.1.0.2"),
              u16(H["RTPP_A_STREAM_PORT"], 4000))
    alloc, update = H["RTPP_CMD_ALLOC"], H["RTPP_CMD_UPDATE"]
    return {
        "info": (H["RTPP_CMD_GET_INFO"], 0, b"", False),
        "info-next-version": (H["RTPP_CMD_GET_INFO"], 1, b"", False),
        "alloc-next-version": (alloc, 1, sb + side_a(*client), False),
        "dump-next-version": (H["RTPP_CMD_GET_SB"], 1, b"", True),
        "sess-dump-next-version": (H["RTPP_CMD_GET_SESS"], 1, sb, True),
        "alloc": (alloc, 0, sb + side_a(*client), False),
        "alloc-unknown-attribute": (alloc, 0, sb + side_a(*client) +
                                    u32(H["RTPP_A_MAX"] + 1, 1), False),
        "alloc-no-switchboard": (alloc, 0, side_a(*client), False),
        "alloc-gate-without-port": (alloc, 0, nest(
            H["RTPP_A_SB"], be32(H["RTPP_A_SB_ADDR_A"], addr)) +
            side_a(*client), False),
        "alloc-short-port": (alloc, 0, nest(
            H["RTPP_A_SB"], be32(H["RTPP_A_SB_ADDR_A"], addr),
            u8(H["RTPP_A_SB_PORT_A"], 1)) + side_a(*client), False),
        "alloc-port-zero": (alloc, 0, nest(
            H["RTPP_A_SB"], be32(H["RTPP_A_SB_ADDR_A"], addr),
            u16(H["RTPP_A_SB_PORT_A"], 0)) + side_a(*client), False),
        "alloc-no-client": (alloc, 0, sb, False),
        "alloc-expires-zero": (alloc, 0, sb + nest(
            H["RTPP_A_SESS"], u32(H["RTPP_A_SESS_EXPIRES"], 0),
            nest(H["RTPP_A_SESS_SIDE_A"],
                 nest(H["RTPP_A_SIDE_RTP"], *client))), False),
        "alloc-expires-too-long": (alloc, 0, sb + nest(
            H["RTPP_A_SESS"],
            u32(H["RTPP_A_SESS_EXPIRES"], H["XT_RTPPROXY_MAX_TIMEOUT"] + 1),
            nest(H["RTPP_A_SESS_SIDE_A"],
                 nest(H["RTPP_A_SIDE_RTP"], *client))), False),
        "alloc-learning-too-long": (alloc, 0, sb + side_a(u32(
            H["RTPP_A_STREAM_LEARNING_MS"], H["XT_RTPPROXY_MAX_LEARNING"] + 1)),
            False),
        "alloc-always-learn-2": (alloc, 0, sb + side_a(
            *client, side=(u8(H["RTPP_A_SIDE_ALWAYS_LEARN"], 2),)), False),
        "alloc-brief-with-payload": (alloc, 0, sb + side_a(*client) +
                                     u32(H["RTPP_A_BRIEF"], 1), False),
        "alloc-stream-unknown-attribute": (alloc, 0, sb + side_a(
            *client, u32(H["RTPP_A_STREAM_MAX"] + 1, 1)), False),
        "update-id-too-big": (update, 0, sb + u32(
            H["RTPP_A_SESS_ID_LO"], H["XT_RTPPROXY_MAX_SESS"]) +
            side_a(*client), False),
        "reset-unknown": (H["RTPP_CMD_RESET"], 0,
                          u32(H["RTPP_A_RESET"], H["RTPP_RESET_SB_PACKETS"] + 1),
                          False),
        "unknown-command": (H["RTPP_CMD_MAX"] + 1, 0, b"", False),
        # every switchboard, not as a dump: version 1's single reply
        "reset-every-sb-single": (H["RTPP_CMD_RESET"], 0,
                                  u32(H["RTPP_A_RESET"], H["RTPP_RESET_SB"]),
                                  False),
    }


def attrs_of(payload):
    """The top-level attributes of a genl payload: {type: data}, repeated
    types as a list under the type."""
    out, off = {}, 4
    while off + 4 <= len(payload):
        alen, atype = struct.unpack_from("=HH", payload, off)
        if alen < 4:
            break
        out.setdefault(atype & 0x3fff, []).append(payload[off + 4:off + alen])
        off += (alen + 3) & ~3
    return out


def nested(data):
    return attrs_of(b"\0" * 4 + data)


def u32_of(data):
    return struct.unpack_from("=I", data)[0]


def u64_of(data):
    return struct.unpack_from("=Q", data)[0]


CLIENT = ("10.1.0.2", 4000)


def alloc_attrs(sb):
    return sb + nest(H["RTPP_A_SESS"], nest(
        H["RTPP_A_SESS_SIDE_A"], nest(
            H["RTPP_A_SIDE_RTP"], be32(H["RTPP_A_STREAM_ADDR"], CLIENT[0]),
            u16(H["RTPP_A_STREAM_PORT"], CLIENT[1]))))


def sb_by_gate(addr, port):
    return nest(H["RTPP_A_SB"], be32(H["RTPP_A_SB_ADDR_A"], addr),
                u16(H["RTPP_A_SB_PORT_A"], port))


def batch(g, fam, cmd, attrs_list):
    """Requests sent together in one datagram (the kernel takes them one
    after the other): the error of each, in order."""
    version = H["XT_RTPPROXY_GENL_VERSION"]
    first, data = g.seq + 1, b""
    for attrs in attrs_list:
        g.seq += 1
        body = struct.pack("=BBH", cmd, version, 0) + attrs
        data += struct.pack("=IHHII", 16 + len(body), fam,
                            NLM_F_REQUEST | NLM_F_ACK, g.seq, 0) + body
    g.s.send(data)
    errs = {}
    while len(errs) < len(attrs_list):
        for typ, _, msg, _ in g.recv_piece(first, g.seq):
            if typ == NLMSG_ERROR:
                errs[struct.unpack_from("=I", msg, 12)[0]] = \
                    -struct.unpack_from("=i", msg)[0]
    return [errs[s] for s in range(first, g.seq + 1)]


def alloc_many(g, fam, sbs):
    """One session on each switchboard of the list: how many were made."""
    made = 0
    for i in range(0, len(sbs), 100):
        made += sum(err == 0 for err in batch(
            g, fam, H["RTPP_CMD_ALLOC"],
            [alloc_attrs(sb) for sb in sbs[i:i + 100]]))
    return made


def alloc(g, fam, sb):
    """Allocate a session; its id, or None."""
    err, _, payloads = g.request(fam, H["RTPP_CMD_ALLOC"],
                                 H["XT_RTPPROXY_GENL_VERSION"], alloc_attrs(sb))
    if err:
        return None
    sess = nested(attrs_of(payloads[0])[H["RTPP_A_SESS"]][0])
    return u32_of(sess[H["RTPP_A_SESS_ID"]][0])


def bulk(action, args):
    g = Genl()
    fam = g.family()
    version = H["XT_RTPPROXY_GENL_VERSION"]
    if action == "fill":
        print(alloc_many(g, fam, [sb_by_gate(args[0], int(args[1]))] *
                         int(args[2])))
    elif action == "alloc-ids":
        print(alloc_many(g, fam, [nest(H["RTPP_A_SB"],
                                       u32(H["RTPP_A_SB_ID"], i))
                                  for i in range(int(args[0]),
                                                 int(args[1]) + 1)]))
    elif action == "churn":
        sb = sb_by_gate(args[0], int(args[1]))
        pairs = 0
        while not os.path.exists(args[2]):
            sid = alloc(g, fam, sb)
            if sid is None:
                continue
            g.request(fam, H["RTPP_CMD_DELETE"], version,
                      sb + u32(H["RTPP_A_SESS_ID_LO"], sid))
            pairs += 1
        print(pairs)
    elif action == "dump-intr":
        sb = sb_by_gate(args[0], int(args[1]))
        other = Genl()
        state = {"pieces": 0, "before": None}

        def changed():
            state["pieces"] += 1
            if state["pieces"] == 1:
                state["before"] = len(g.flags)
                alloc(other, fam, sb)
        g.send(fam, H["RTPP_CMD_GET_SESS"], version, sb, NLM_F_DUMP)
        err, msg, _ = g.answer([], changed)
        if err:
            sys.exit("genl.py: dump: %s %s" % (os.strerror(err), msg))
        before = state["before"] if state["before"] is not None else len(g.flags)
        intr = [bool(f & NLM_F_DUMP_INTR) for f in g.flags]
        print("pieces %d messages %d intr_before %d intr_after %d" % (
            len(g.datagrams), len(g.flags), sum(intr[:before]),
            sum(intr[before:])))
    elif action == "dump-hold":
        g.send(fam, H["RTPP_CMD_GET_SESS"], version,
               sb_by_gate(args[0], int(args[1])), NLM_F_DUMP)
        print("holding %d" % len(g.recv_piece()), flush=True)
        while True:
            signal.pause()
    elif action == "alloc-shape":
        attrs = alloc_attrs(sb_by_gate(args[0], int(args[1])))
        if args[2] == "brief":
            attrs += attr(H["RTPP_A_BRIEF"], b"")
        err, msg, payloads = g.request(fam, H["RTPP_CMD_ALLOC"], version, attrs)
        if err:
            sys.exit("genl.py: alloc: %s %s" % (os.strerror(err), msg))
        print(shape(payloads[0][4:], "rtpp_attr"))
    elif action == "reset-pieces":
        what = {"sb": "RTPP_RESET_SB", "sb-packets": "RTPP_RESET_SB_PACKETS"}
        attrs = u32(H["RTPP_A_RESET"], H[what[args[0]]])
        form = "dump"
        try:
            g.send(fam, H["RTPP_CMD_RESET"], version, attrs, NLM_F_DUMP)
            err, msg, payloads = g.answer([])
            if err == errno.EOPNOTSUPP:
                form = "single"
                g.send(fam, H["RTPP_CMD_RESET"], version, attrs, NLM_F_ACK)
                err, msg, payloads = g.answer([])
        except OSError as e:    # the socket overran: something was lost
            err, msg = e.errno, "(%s)" % " ".join(map(str, g.datagrams))
        if err:
            print("%s %s %s" % (form, errno.errorcode.get(err, err), msg))
            return
        ids, allocs, packets, msgs = set(), 0, 0, 0
        for p in payloads:
            msgs += 1
            for sbdata in attrs_of(p).get(H["RTPP_A_SB"], []):
                sba = nested(sbdata)
                ids.add(u32_of(sba[H["RTPP_A_SB_ID"]][0]))
                st = nested(sba[H["RTPP_A_SB_STATS"]][0])
                allocs += u64_of(st[H["RTPP_A_STAT_ALLOCS"]][0])
                packets += u64_of(st[H["RTPP_A_STAT_PACKETS"]][0])
        print("%s datagrams %d largest %d messages %d ids %d cleared_allocs %d"
              " cleared_packets %d" % (form, len(g.datagrams),
                                       max(g.datagrams), msgs, len(ids),
                                       allocs, packets))
    else:
        sys.exit("genl.py: unknown action %s" % action)


BULK = ("fill", "alloc-ids", "churn", "dump-intr", "dump-hold", "alloc-shape",
        "reset-pieces")


def main():
    if len(sys.argv) >= 2 and sys.argv[1] in BULK:
        return bulk(sys.argv[1], sys.argv[2:])
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    name, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    table = requests(addr, port)
    if name not in table:
        sys.exit("genl.py: unknown request %s; one of: %s"
                 % (name, " ".join(table)))
    cmd, vdelta, attrs, dump = table[name]
    g = Genl()
    fam = g.family()
    err, msg, _ = g.request(fam, cmd, H["XT_RTPPROXY_GENL_VERSION"] + vdelta,
                            attrs, NLM_F_ACK | (NLM_F_DUMP if dump else 0))
    print("%s\t%s" % (errno.errorcode.get(err, str(err)) if err else "OK", msg))


if __name__ == "__main__":
    main()
