#!/usr/bin/env python3
"""Reads a delivered mbox with python3's own mailbox module, for the Bats suites.

Messages are picked by their Subject (delivery order across one queue run is not fixed).
Sub-commands (MBOX is a path: an mbox file, or a maildir directory, but for envelope):
  count MBOX                 number of messages
  summary MBOX               one block per message: envelope, Subject, From, To, body
  header MBOX SUBJECT NAME   every value of header NAME of that message, one per line
  headers MBOX SUBJECT       the header names of that message, in file order
  envelope MBOX SUBJECT      the From_ line's text after "From " (sender and date)
  body MBOX SUBJECT          the stored body, byte for byte (as in the file: >From quoted)
  sha256 MBOX SUBJECT        sha256 of the stored body
  sha256s MBOX               "SUBJECT SHA256" of every message's stored body, one read of
                             the mbox for many (large) messages
  markers MBOX N             checks that MARKER-1..N each occur in exactly one message,
                             whole (start and end line in the same message)
  report MBOX                for each multipart/report: report-type, then the
                             Final-Recipient, Action and Status of each recipient (and
                             Remote-MTA, Diagnostic-Code when present), and the Subject
                             of the returned message
Exit 2 when the message asked for is missing or not unique.
"""
import email
import hashlib
import mailbox
import os
import re
import sys


def open_box(path):
    if os.path.isdir(path):
        return mailbox.Maildir(path, factory=None, create=False)
    return mailbox.mbox(path, create=False)


def keys_with_subject(box, subject):
    found = []
    for key in box.keys():
        msg = box.get_message(key)
        if msg.get("Subject") == subject:
            found.append(key)
    return found


def one_key(box, subject):
    keys = keys_with_subject(box, subject)
    if len(keys) != 1:
        sys.stderr.write("mbox.py: %d messages with Subject %r\n" % (len(keys), subject))
        sys.exit(2)
    return keys[0]


def raw_body(box, key):
    raw = box.get_bytes(key)
    cut = raw.find(b"\n\n")
    return b"" if cut < 0 else raw[cut + 2:]


def summary(box):
    for i, key in enumerate(box.keys()):
        msg = box.get_message(key)
        print("--- message %d" % (i + 1))
        print("Envelope: %s" % msg.get_from())
        for name in ("Subject", "From", "To"):
            print("%s: %s" % (name, msg.get(name)))
        print("Body: %r" % raw_body(box, key)[:200])


def report(box):
    for key in box.keys():
        msg = box.get_message(key)
        if msg.get_content_type() != "multipart/report":
            continue
        print("report-type=%s" % msg.get_param("report-type"))
        for part in msg.walk():
            if part.get_content_type() == "message/delivery-status":
                # Python parses each field block as one sub-message.
                for block in part.get_payload():
                    if block.get("Final-Recipient"):
                        print("Final-Recipient: %s" % block.get("Final-Recipient"))
                        print("Action: %s" % block.get("Action"))
                        print("Status: %s" % block.get("Status"))
                        for name in ("Remote-MTA", "Diagnostic-Code"):
                            if block.get(name):
                                print("%s: %s" % (name, " ".join(block.get(name).split())))
            if part.get_content_type() in ("message/rfc822", "text/rfc822-headers"):
                payload = part.get_payload()
                inner = payload[0] if isinstance(payload, list) else email.message_from_string(
                    payload)
                print("Returned-Subject: %s" % inner.get("Subject"))


def markers(box, n):
    seen = {}
    ok = True
    for key in box.keys():
        body = raw_body(box, key).decode("latin-1")
        starts = re.findall(r"^MARKER-(\d+)-start$", body, re.M)
        ends = re.findall(r"^MARKER-(\d+)-end$", body, re.M)
        if len(starts) != 1 or starts != ends:
            print("message %s is not one whole message: starts=%s ends=%s" % (key, starts, ends))
            ok = False
        for m in starts:
            seen[int(m)] = seen.get(int(m), 0) + 1
    for i in range(1, n + 1):
        if seen.get(i, 0) != 1:
            print("MARKER-%d seen %d times" % (i, seen.get(i, 0)))
            ok = False
    extra = sorted(k for k in seen if k < 1 or k > n)
    if extra:
        print("unexpected markers: %s" % extra)
        ok = False
    if ok:
        print("all %d markers whole, once each" % n)
    sys.exit(0 if ok else 1)


def main(argv):
    cmd, path = argv[1], argv[2]
    if cmd == "count" and not os.path.exists(path):
        print(0)
        return
    box = open_box(path)
    if cmd == "count":
        print(len(box.keys()))
    elif cmd == "summary":
        summary(box)
    elif cmd == "header":
        msg = box.get_message(one_key(box, argv[3]))
        for value in msg.get_all(argv[4]) or []:
            print(value)
    elif cmd == "headers":
        msg = box.get_message(one_key(box, argv[3]))
        for name in msg.keys():
            print(name)
    elif cmd == "envelope":
        print(box.get_message(one_key(box, argv[3])).get_from())
    elif cmd == "body":
        sys.stdout.buffer.write(raw_body(box, one_key(box, argv[3])))
    elif cmd == "sha256":
        print(hashlib.sha256(raw_body(box, one_key(box, argv[3]))).hexdigest())
    elif cmd == "sha256s":
        for key in box.keys():
            subject = box.get_message(key).get("Subject")
            print("%s %s" % (subject, hashlib.sha256(raw_body(box, key)).hexdigest()))
    elif cmd == "markers":
        markers(box, int(argv[3]))
    elif cmd == "report":
        report(box)
    else:
        sys.stderr.write("mbox.py: unknown command %s\n" % cmd)
        sys.exit(64)


if __name__ == "__main__":
    main(sys.argv)
