#!/usr/bin/env python3
"""time-socket.py SOCKET RUNS LABEL (submit ARGS... | showq-json): the daemon's side of a
listing alone, RUNS requests from one process (no interpreter start per request), each read
to the close; prints the median, min and max in ms and the bytes per answer.

submit: a protocol-2 request of program "mailq" with ARGS (SubmitProtocol.java);
showq-json: a showq PRINT request for JSON lines (ListingOrder: no -v, no criteria, no TZ).
"""
import socket, struct, sys, time

sock, n, label, kind, args = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5:]


def utf(s):
    b = s.encode()
    return struct.pack(">H", len(b)) + b


if kind == "submit":
    req = b"POSTERN-SUBMIT 2\n%d\n" % len(args)
    for a in [x.encode() for x in args] + [b"mailq"]:
        req += b"%d\n" % len(a) + a
    req += b"0\n"
else:
    req = (utf("postern-showq 2") + utf("PRINT") + utf("JSON") + b"\0" + struct.pack(">i", 0)
           + b"\0" + struct.pack(">q", 0) + b"\0" + utf(""))


def once():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sock)
    s.sendall(req)
    got = 0
    while True:
        b = s.recv(1 << 20)
        if not b:
            break
        got += len(b)
    s.close()
    return got


once()
ts = []
for _ in range(n):
    t0 = time.perf_counter(); size = once(); ts.append(time.perf_counter() - t0)
ts.sort()
print("%-34s %8.1f ms median (min %.1f, max %.1f, n=%d)   %d bytes per answer"
      % (label, ts[len(ts) // 2] * 1000, ts[0] * 1000, ts[-1] * 1000, n, size))
