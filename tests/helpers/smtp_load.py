#!/usr/bin/env python3
"""Sends large messages to an SMTP server concurrently, for the Bats suites.

  smtp_load.py PORT RCPT COUNT SIZE SUBJECT

opens COUNT connections to 127.0.0.1:PORT at once and sends on each one message of about
SIZE bytes (as the client sends it, CRLF line ends) to RCPT, with Subject "SUBJECT-N".
No SIZE parameter is given at MAIL, so the server must enforce its limit while reading.
The body is deterministic, 8-bit free, with lines that need dot-stuffing. Prints one line
per message, in order: "SUBJECT-N SHA256 REPLY" (SHA256: of the body as python's mailbox
reads it back from an mbox: LF line ends and the empty line that ends each message there;
REPLY: the server's reply to the end of DATA, or "closed" when it hung up without one),
then "seconds S".
"""
import hashlib
import smtplib
import sys
import threading
import time


def body(n, size):
    lines = []
    total = 0
    i = 0
    while total < size:
        digest = hashlib.sha256(b"%d-%d" % (n, i)).hexdigest()
        # Every 50th line starts with a dot: RFC 5321 §4.5.2 transparency both ways.
        line = ("." if i % 50 == 0 else "") + "%08d %s %s" % (i, digest, digest[: i % 13])
        lines.append(line)
        total += len(line) + 2
        i += 1
    return "\n".join(lines) + "\n"


def send(port, rcpt, subject, text, out, k):
    message = ("Subject: %s\nFrom: load@example.com\n\n%s" % (subject, text)).encode("ascii")
    try:
        c = smtplib.SMTP("127.0.0.1", port, timeout=120)
        c.ehlo("load.example")
        c.mail("load@example.com")
        c.rcpt(rcpt)
        code, text = c.data(message)
        out[k] = "%d %s" % (code, text.decode())
        c.quit()
    except smtplib.SMTPResponseException as e:
        out[k] = "%d %s" % (e.smtp_code, e.smtp_error.decode())
    except (smtplib.SMTPServerDisconnected, ConnectionError):
        out[k] = "closed"


def main(argv):
    port, rcpt, count, size, prefix = int(argv[1]), argv[2], int(argv[3]), int(argv[4]), argv[5]
    texts = [body(n, size) for n in range(count)]
    out = [None] * count
    threads = [threading.Thread(target=send, args=(port, rcpt, "%s-%d" % (prefix, n), texts[n],
                                                   out, n)) for n in range(count)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for n in range(count):
        sha = hashlib.sha256(texts[n].encode("ascii") + b"\n").hexdigest()
        print("%s-%d %s %s" % (prefix, n, sha, out[n]))
    print("seconds %.1f" % (time.monotonic() - start))


if __name__ == "__main__":
    main(sys.argv)
