#!/usr/bin/env python3
"""rtpp_ctl.py SOCKET COMMAND...: send rtpproxy protocol commands, print replies.

SOCKET is udp:ADDR:PORT (each command in one datagram, with a cookie, as
Kamailio's rtpproxy module sends it) or unix:PATH (one command a connection,
no cookie, no newline).  Prints each reply without its cookie, its lines
joined by "|".  Exit status 1 when a reply does not carry the command's
cookie, or none came within 5 s.
"""
import os
import socket
import sys


def udp(target, commands):
    host, _, port = target.rpartition(":")
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(5)
    ok = True
    for n, cmd in enumerate(commands):
        cookie = "%d_%d" % (os.getpid(), n)
        s.sendto(("%s %s" % (cookie, cmd)).encode(), (host, int(port)))
        reply = s.recv(65536).decode()
        if not reply.startswith(cookie + " "):
            print("reply without the cookie %s: %r" % (cookie, reply))
            ok = False
            continue
        print(reply[len(cookie) + 1:].rstrip("\n").replace("\n", "|"))
    return ok


def unix(path, commands):
    for cmd in commands:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(5)
        s.connect(path)
        s.send(cmd.encode())
        reply = s.recv(65536).decode()
        s.close()
        print(reply.rstrip("\n").replace("\n", "|"))
    return True


def main():
    kind, _, where = sys.argv[1].partition(":")
    try:
        ok = (udp if kind == "udp" else unix)(where, sys.argv[2:])
    except OSError as e:
        print("no reply: %s" % e)
        ok = False
    sys.exit(0 if ok else 1)


main()
