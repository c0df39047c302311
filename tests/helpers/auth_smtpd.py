#!/usr/bin/python3
"""A smarthost for tests/smtp-auth.bats: aiosmtpd on loopback that takes mail only after
AUTH PLAIN or LOGIN with one user and password, over STARTTLS (default), implicit TLS
(--implicit, RFC 8314) or plaintext (--no-tls, AUTH offered without TLS; or --no-auth, no
AUTH at all). It appends every login attempt and every message's envelope to RECORD:
    auth MECH USER PASSWORD ok|refused
    mail FROM USER-OR-- TO...
and touches RECORD.ready once listening. Runs until killed.

usage: auth_smtpd.py PORT CERT KEY USER PASSWORD RECORD [--implicit|--no-tls|--no-auth]
"""
import asyncio
import ssl
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

port, cert, key, user, password, record = sys.argv[1:7]
mode = sys.argv[7] if len(sys.argv) > 7 else "--starttls"


def note(line):
    with open(record, "a", encoding="utf-8") as f:
        f.write(line + "\n")


def authenticator(server, session, envelope, mechanism, auth_data):
    if not isinstance(auth_data, LoginPassword):
        return AuthResult(success=False, handled=False)
    login = auth_data.login.decode()
    given = auth_data.password.decode()
    ok = login == user and given == password
    note(f"auth {mechanism} {login} {given} {'ok' if ok else 'refused'}")
    return AuthResult(success=ok, handled=False, auth_data=login if ok else None)


class Handler:
    async def handle_DATA(self, server, session, envelope):
        who = session.auth_data if session.authenticated else "-"
        note(f"mail {envelope.mail_from} {who} {' '.join(envelope.rcpt_tos)}")
        return "250 2.0.0 Ok: queued"


context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)
kwargs = dict(hostname="127.0.0.1", port=int(port), server_hostname="smarthost.test",
              authenticator=authenticator, auth_required=mode != "--no-auth",
              # Implicit TLS is TLS from the start, which aiosmtpd does not notice; without
              # a TLS context, requiring TLS for AUTH means AUTH is never offered.
              auth_require_tls=mode in ("--starttls", "--no-auth"))
if mode == "--implicit":
    kwargs["ssl_context"] = context
elif mode == "--starttls":
    kwargs["tls_context"] = context
    kwargs["require_starttls"] = True
controller = Controller(Handler(), **kwargs)
controller.start()
open(record + ".ready", "w").close()
while True:
    time.sleep(3600)
