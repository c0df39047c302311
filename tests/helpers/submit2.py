#!/usr/bin/env python3
"""submit2.py SOCKET PROGRAM [ARG...]: a minimal client of the submission protocol, version 2
(SubmitProtocol.java), for tests and benchmarks of the daemon's side before the native front
exists. Sends argv, the program name and TZ/NAME from the environment; prints LOCAL and exits
3 when the daemon does not serve the command; replays a REPLY's records (OUT to stdout, ERR to
stderr) and exits with its EXIT code. It never sends message data (a SEND answer is exit 4)."""
import os
import socket
import sys


def line(f):
    b = f.readline(1025)
    if not b.endswith(b"\n"):
        sys.exit("submit2: connection closed")
    return b[:-1].decode()


def main():
    sock, program, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sock)
    env = [f"{k}={os.environ[k]}" for k in ("NAME", "TZ") if k in os.environ]
    out = bytearray(b"POSTERN-SUBMIT 2\n%d\n" % len(args))
    for item in [a.encode() for a in args] + [program.encode()]:
        out += b"%d\n" % len(item) + item
    out += b"%d\n" % len(env)
    for e in env:
        out += b"%d\n" % len(e.encode()) + e.encode()
    s.sendall(out)
    f = s.makefile("rb")
    answer = line(f)
    if answer != "REPLY":
        print(answer)
        sys.exit(3 if answer == "LOCAL" or answer.startswith("ERROR") else 4)
    while True:
        tag, _, arg = line(f).partition(" ")
        if tag == "EXIT":
            sys.exit(int(arg))
        data = f.read(int(arg))
        if tag == "OUT":
            sys.stdout.buffer.write(data)
        elif tag == "ERR":
            sys.stderr.buffer.write(data)


main()
