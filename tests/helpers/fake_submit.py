"""A stand-in for the daemon's submission socket, for tests of the native sendmail front.

fake_submit.py SOCKET DIR: serves one connection on SOCKET. Reads the request header as
SubmitProtocol describes it and stores it byte for byte in DIR/header, then sends
DIR/answer (raw bytes; an "answer" that does not start with "SEND" ends the conversation).
After a SEND it reads the data ITEMs up to the empty one into DIR/data and sends
DIR/result. Creates DIR/ready once listening. Trusts its test; a client error just ends it.
"""
import os
import socket
import sys


def line(f, raw):
    b = f.readline(2048)
    raw.extend(b)
    return b.rstrip(b"\n")


def item(f, raw):
    n = int(line(f, raw))
    b = f.read(n)
    raw.extend(b)
    return b


def main(path, d):
    srv = socket.socket(socket.AF_UNIX)
    srv.bind(path)
    os.chmod(path, 0o666)
    srv.listen(5)
    srv.settimeout(60)  # a test whose front never came: gone after a minute
    open(os.path.join(d, "ready"), "w").close()
    conn, _ = srv.accept()
    conn.settimeout(20)
    f = conn.makefile("rb")
    raw = bytearray()
    try:
        line(f, raw)
        for _ in range(int(line(f, raw))):
            item(f, raw)
        item(f, raw)
        for _ in range(int(line(f, raw))):
            item(f, raw)
    except (ValueError, OSError):
        pass
    with open(os.path.join(d, "header"), "wb") as out:
        out.write(raw)
    answer = open(os.path.join(d, "answer"), "rb").read()
    conn.sendall(answer)
    if answer.startswith(b"SEND"):
        data = bytearray()
        while True:
            chunk = item(f, bytearray())
            if not chunk:
                break
            data.extend(chunk)
        with open(os.path.join(d, "data"), "wb") as out:
            out.write(data)
        conn.sendall(open(os.path.join(d, "result"), "rb").read())
    conn.close()
    srv.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
