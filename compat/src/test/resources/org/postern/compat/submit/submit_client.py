#!/usr/bin/python3
# A minimal submission client in another language, speaking SubmitProtocol version 1 from
# its documentation alone: proof that a non-JVM client (a future C one) can use it.
# Usage: submit_client.py SOCKET ARG... < message. Exit: the daemon's EXIT code; 100 when the
# daemon answered LOCAL or ERROR before SEND (a real client would then run sendmail itself).
import os
import socket
import sys


def item(data):
    return b"%d\n" % len(data) + data


def read_line(f):
    line = f.readline()
    if not line.endswith(b"\n"):
        sys.exit("connection closed")
    return line[:-1].decode()


def main():
    path, args = sys.argv[1], sys.argv[2:]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    f = s.makefile("rb")
    header = b"POSTERN-SUBMIT 1\n" + b"%d\n" % len(args)
    header += b"".join(item(os.fsencode(a)) for a in args)
    header += item(b"sendmail")
    env = [b"NAME=" + os.environb[b"NAME"]] if b"NAME" in os.environb else []
    header += b"%d\n" % len(env) + b"".join(item(e) for e in env)
    s.sendall(header)
    answer = read_line(f)
    if answer not in ("SEND EOF", "SEND DOT"):
        print(answer)
        return 100
    # Streams stdin to its end (a real client stops at a lone "." line for SEND DOT).
    while True:
        chunk = sys.stdin.buffer.read1(65536)
        if not chunk:
            break
        s.sendall(item(chunk))
    s.sendall(b"0\n")
    while True:
        tag, _, arg = read_line(f).partition(" ")
        if tag == "EXIT":
            return int(arg)
        if tag == "ERROR":
            sys.exit("daemon: " + arg)
        data = f.read(int(arg))
        (sys.stdout if tag == "OUT" else sys.stderr).buffer.write(data)


sys.exit(main())
