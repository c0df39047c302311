#!/usr/bin/env python3
"""The far end of an SMTP delivery, for tests: accepts every message on 127.0.0.1:PORT and
appends what arrived to LOG: the MAIL FROM and RCPT TO lines as the client sent them, then
the message as received (dot-unstuffed, LF line ends), then a line "." per message.

usage: smtp_recorder.py PORT LOG    (LOG.ready appears once it listens; stops on SIGTERM)
"""
import socketserver
import sys


class Session(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self):
        self.reply("220 sink.test ESMTP recorder")
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line[:4].upper()
            if verb == "EHLO":
                self.reply("250-sink.test")
                self.reply("250 8BITMIME")
            elif verb in ("HELO", "RSET", "NOOP"):
                self.reply("250 ok")
            elif verb in ("MAIL", "RCPT"):
                record(line)
                self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 go ahead")
                lines = []
                while True:
                    data = self.rfile.readline()
                    if not data or data in (b".\r\n", b".\n"):
                        break
                    if data.startswith(b".."):
                        data = data[1:]
                    lines.append(data.decode("utf-8", "replace").rstrip("\r\n"))
                record("\n".join(lines) + "\n.")
                self.reply("250 2.0.0 Ok: queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not here")


def record(text):
    with open(LOG, "a", encoding="utf-8") as f:
        f.write(text + "\n")


if __name__ == "__main__":
    PORT, LOG = int(sys.argv[1]), sys.argv[2]
    socketserver.TCPServer.allow_reuse_address = True
    with socketserver.ThreadingTCPServer(("127.0.0.1", PORT), Session) as server:
        open(LOG + ".ready", "w").close()
        server.serve_forever()
